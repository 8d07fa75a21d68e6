/* SPDX-License-Identifier: MIT */
/* zstd dictionaries for the exchange: trained at HQ, announced in the registry, used by both ends of a log transfer. */
#ifndef MB_SYNC_DICT_H
#define MB_SYNC_DICT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"
#include "store/store.h"

/*
 * Small items compress badly alone: a batch of five envelopes has little
 * to say about the next. A dictionary trained on the network's own log
 * lines (ZDICT_trainFromBuffer) gives zstd the field names, the
 * signature's framing and the common words before the first byte.
 *
 * HQ trains one (`mediabridge dict train`), keeps it as
 * DIR/dicts/<sha256>.zdict, names it in DIR/dicts/current ("VERSION
 * SHA256") and announces it in the next registry it signs
 * ("wireDictionary": {"version", "sha256", "size"}), so a branch trusts
 * a dictionary only by HQ's signature. A branch fetches it from its peer
 * (GET /federation/v1/dicts/<sha256>, signed), checks the hash and keeps
 * it the same way. A puller that holds the current dictionary sends
 * "Mb-Dict: <sha256>" with "Accept-Encoding: zstd, gzip"; a server that
 * has that dictionary answers "Content-Encoding: zstd" and "Mb-Dict"
 * with the frame compressed with it, else plain zstd or gzip as before.
 */

#define MB_DICT_MAX (1024 * 1024)	/* the largest accepted */

/* Trains a dictionary of at most size bytes on up to samples log lines. */
int mb_sync_dict_train(struct mb_store *st, size_t samples, size_t size,
    struct mb_buf *out, struct mb_diag *d);

/* The SHA-256 of a dictionary's bytes, lower-case hex: its name. */
void mb_sync_dict_hash(const void *data, size_t len, char hash[65]);
/* Stores data as DIR/dicts/<sha256>.zdict; hash (65) gets its name. */
int mb_sync_dict_put(const char *dir, const void *data, size_t len,
    char hash[65], struct mb_diag *d);
/* MB_OK when DIR/dicts/<hash>.zdict is here. */
bool mb_sync_dict_have(const char *dir, const char *hash);
/* The current dictionary (MB_ERR_NOTFOUND when none, d untouched). */
int mb_sync_dict_current(const char *dir, int64_t *version, char hash[65],
    struct mb_diag *d);
int mb_sync_dict_set_current(const char *dir, int64_t version,
    const char *hash, struct mb_diag *d);

/*
 * The log's answer for a client that sent accept and (may be NULL)
 * want, the Mb-Dict it holds: zstd with that dictionary when dir has
 * it (*dict_used its hash, else ""), else as mb_sync_compress.
 */
int mb_sync_compress_dict(const char *dir, const char *accept,
    const char *want, const void *body, size_t len, struct mb_buf *out,
    const char **encoding, char dict_used[65]);

/*
 * Decodes an answer of encoding ("zstd", "gzip"; dict: the Mb-Dict it
 * came with, or "") into out, at most max bytes: MB_ERR_TOOBIG beyond
 * (a bomb), MB_ERR_CORRUPT for a frame that does not decode.
 */
int mb_sync_decode(const char *dir, const char *encoding, const char *dict,
    const void *in, size_t len, size_t max, struct mb_buf *out,
    struct mb_diag *d);

/* Compresses body with zstd at level, with dictionary data (may be NULL). */
int mb_sync_dict_compress(const void *dict, size_t dlen, int level,
    const void *body, size_t len, struct mb_buf *out, struct mb_diag *d);

#endif
