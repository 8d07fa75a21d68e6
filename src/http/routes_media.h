/* SPDX-License-Identifier: MIT */
/* The media routes' companion for serve: the thread that fetches blobs items refer to. */
#ifndef MB_HTTP_ROUTES_MEDIA_H
#define MB_HTTP_ROUTES_MEDIA_H

#include "base/err.h"
#include "center/center.h"

/*
 * Starts the media fetcher beside the server: every second it reads the
 * log for renditions (mb_media_index) and fetches the missing blobs that
 * are fetched eagerly (pictures, anything up to MB_MEDIA_EAGER_BYTES)
 * from the origin center or a peer, over the exchange's signed blob
 * endpoint. Large video waits for its first GET /media/<hash>. n must
 * outlive it. The environment may override the period
 * (MB_MEDIA_FETCH_MS) and the eager size (MB_MEDIA_EAGER_BYTES).
 */
int mb_http_media_start(const struct mb_center_node *n, struct mb_diag *d);
void mb_http_media_stop(void);

/* The exchange's blob fetch as media's fetch callback (arg: the node). */
int mb_http_media_fetch(void *arg, const char *base, const char *hash,
    struct mb_diag *d);

#endif
