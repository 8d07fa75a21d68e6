/* SPDX-License-Identifier: MIT */
/*
 * Feed ingest wired for this program: a feeds context (feeds/feeds.h)
 * with the site's sanitizer, for serve's poller and `mediabridge feed
 * poll` alike.
 */
#ifndef MB_SERVE_FEED_POLLER_H
#define MB_SERVE_FEED_POLLER_H

#include <stdint.h>

#include "base/err.h"
#include "center/center.h"
#include "feeds/feeds.h"

/* A feeds context on st (the caller's thread), bodies sanitized. */
int mb_serve_feeds_new(const struct mb_center_node *n, struct mb_store *st,
    struct mb_feeds **out, struct mb_diag *d);

struct mb_feed_poller;

/* For the poller thread: its own store, opened at the first round. */
int mb_feed_poller_new(const struct mb_center_node *n,
    struct mb_feed_poller **out, struct mb_diag *d);
void mb_feed_poller_free(struct mb_feed_poller *p);
/* Entries' media are decoded in sb (serve's sandbox; NULL: here). */
struct mb_media_sandbox;
void mb_feed_poller_set_decoder(struct mb_feed_poller *p,
    struct mb_media_sandbox *sb);
/* The poller round (serve/poller.h): every source that is due. */
int mb_feed_poller_round(void *arg, int64_t *next_ms, struct mb_diag *d);

#endif
