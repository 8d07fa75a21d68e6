/* SPDX-License-Identifier: MIT */
/* Media blobs by content hash: where they live, checking them, fetching them. */
#ifndef MB_SYNC_BLOB_H
#define MB_SYNC_BLOB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/blobpath.h"
#include "base/err.h"
#include "center/center.h"


/* mb_blob_path in the node's data directory. */
int mb_sync_blob_path(const struct mb_conf *c, const char *hash, char *out,
    size_t n);

/* MB_OK when the file at path hashes to hash; MB_ERR_CORRUPT if not. */
int mb_sync_blob_check(const char *path, const char *hash,
    struct mb_diag *d);

/*
 * Fetches blob hash from the center at base (GET /federation/v1/blobs/,
 * signed), resuming a partial download with Range, checks it against the
 * hash and only then moves it into place. A blob already here is kept.
 * *answered (may be NULL; left alone otherwise) is set when base gave an
 * HTTP answer, whatever its status: a failure without one is the link's
 * or the center's, not the blob's.
 */
int mb_sync_blob_fetch(const struct mb_center_node *n, const char *base,
    const char *hash, bool *answered, struct mb_diag *d);

/*
 * mb_sync_blob_fetch, one at a time in this process: the exchange
 * resumes into DIR/blobs/.../<hash>.part, which two fetches of the same
 * blob (the fetcher and a reader's request, or two readers) must not
 * share. A second asker waits, then finds the blob there. arg is the
 * node: the shape of media's fetch callback.
 *
 * It backs off as the puller does, for every asker alike (the media
 * poller, a reader's request): a center that gave no answer is not asked
 * again for 2 s, doubling to 10 min, whatever the blob; a blob that
 * failed otherwise (not there, corrupt) waits the same way on its own.
 * Meanwhile MB_ERR_AGAIN, without connecting, d saying until when. A
 * center's failing and recovering are logged once each.
 */
int mb_sync_blob_fetch_serial(void *arg, const char *base, const char *hash,
    struct mb_diag *d);

/*
 * mb_sync_blob_fetch_serial over a link with a cap of max_rate bytes a
 * second (0: none); *wire (may be NULL) adds the bytes that came.
 */
int mb_sync_blob_fetch_capped(const struct mb_center_node *n,
    const char *base, const char *hash, int64_t max_rate, int64_t *wire,
    struct mb_diag *d);

/* mb_sync_blob_fetch with a cap and a count (puller.c; for blob.c). */
int mb_sync__blob_fetch(const struct mb_center_node *n, const char *base,
    const char *hash, int64_t max_rate, int64_t *wire, bool *answered,
    struct mb_diag *d);

#endif
