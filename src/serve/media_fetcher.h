/* SPDX-License-Identifier: MIT */
/* The media fetcher: a poller round that fetches the blobs arriving items refer to. */
#ifndef MB_SERVE_MEDIA_FETCHER_H
#define MB_SERVE_MEDIA_FETCHER_H

#include <stdint.h>

#include "base/err.h"
#include "center/center.h"

struct mb_media_fetcher;

/*
 * Every round reads the log for renditions (mb_media_index) and fetches
 * the missing blobs that are fetched eagerly (pictures, anything up to
 * eager_bytes) from the origin center or a peer, over the exchange's
 * signed blob endpoint; large video waits for its first GET
 * /media/<hash>. n must outlive it.
 */
int mb_media_fetcher_new(const struct mb_center_node *n, int64_t eager_bytes,
    struct mb_media_fetcher **out, struct mb_diag *d);
void mb_media_fetcher_free(struct mb_media_fetcher *f);

/* The poller round (serve/poller.h); arg is the fetcher. */
int mb_media_fetcher_round(void *arg, int64_t *next_ms, struct mb_diag *d);

#endif
