/* SPDX-License-Identifier: MIT */
/* The stored form of an envelope: as it arrived, or a zstd frame made with a dictionary the store keeps. */
#ifndef MB_STORE_ZENV_H
#define MB_STORE_ZENV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"

/*
 * An envelope is stored either verbatim (JSON: its first byte is '{'),
 * or as one zstd frame (its first four bytes zstd's magic number,
 * 28 b5 2f fd), whose header names the dictionary it was made with
 * (zstd's dictionary ID, which ZDICT writes into every dictionary it
 * trains; 0 for none) and holds the envelope's size and a checksum of
 * it. So a row says its own form, rows stored before compression read
 * as they are, and the dictionary a row needs is found by the number in
 * the row (docs/store.md, "Compressed envelopes"). What callers of the
 * store see is always the envelope's own bytes: the signed JSON.
 */

struct mb_zenv;

/* Fetches dictionary id's bytes into out: MB_ERR_NOTFOUND when unknown. */
typedef int (*mb_zenv_load_fn)(void *arg, uint32_t id, struct mb_buf *out,
    struct mb_diag *d);

/*
 * A codec: one per store handle (one thread). dict (may be NULL; the
 * caller's, kept until mb_zenv_free) is the dictionary new envelopes
 * are compressed with; one without a zstd dictionary ID cannot be named
 * by a row and is not used. load finds the dictionaries that rows name,
 * once each.
 */
int mb_zenv_new(const void *dict, size_t dict_len, int level,
    mb_zenv_load_fn load, void *load_arg, struct mb_zenv **out,
    struct mb_diag *d);
void mb_zenv_free(struct mb_zenv *z);

/* The ID of the dictionary new envelopes are compressed with; 0: none. */
uint32_t mb_zenv_dict_id(const struct mb_zenv *z);

/* True when p is a zstd frame (the compressed form), not an envelope. */
bool mb_zenv_packed(const void *p, size_t len);

/* The stored form of env into out (replacing what it held). */
int mb_zenv_pack(struct mb_zenv *z, const void *env, size_t len,
    struct mb_buf *out, struct mb_diag *d);

/*
 * A packer: the frames mb_zenv_pack makes with dict at level (the same
 * dictionary ID, level and checksum), made on any number of threads at
 * once, so that the exchange's verifying cores compress the envelopes
 * they checked and the store's one writer does not (issue 23). The
 * digested dictionary is shared; each call takes a compression context
 * from a pool. dict is copied.
 */
struct mb_zenv_packer;

int mb_zenv_packer_new(const void *dict, size_t dict_len, int level,
    struct mb_zenv_packer **out, struct mb_diag *d);
void mb_zenv_packer_free(struct mb_zenv_packer *p);
uint32_t mb_zenv_packer_dict_id(const struct mb_zenv_packer *p);
/* As mb_zenv_pack; thread-safe. */
int mb_zenv_packer_pack(struct mb_zenv_packer *p, const void *env,
    size_t len, struct mb_buf *out, struct mb_diag *d);

/* The dictionary ID stored form p was made with; 0: none, or not a frame. */
uint32_t mb_zenv_frame_dict_id(const void *p, size_t len);

/*
 * The envelope of stored form p: *env points at p itself when it is
 * stored as it came, else into out, which holds it decompressed. A
 * frame that does not decode, or is larger than max, answers
 * MB_ERR_CORRUPT; one made with a dictionary load does not know,
 * MB_ERR_NOTFOUND, naming the dictionary.
 */
int mb_zenv_unpack(struct mb_zenv *z, const void *p, size_t len,
    size_t max, struct mb_buf *out, const void **env, size_t *env_len,
    struct mb_diag *d);

/* The largest envelope a frame may decode to. */
#define MB_ZENV_MAX	(64u * 1024 * 1024)

#endif
