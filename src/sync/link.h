/* SPDX-License-Identifier: MIT */
/* A peer link's policy: parsing it, and deciding what may cross the link now (text first, thumbnails next, originals in the window). */
#ifndef MB_SYNC_LINK_H
#define MB_SYNC_LINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "base/err.h"
#include "center/center.h"
#include "store/links.h"
#include "store/store.h"

struct mb_httpc_line;
struct mb_sync_blob_watch;

/*
 * The policy of a link (`peer set`, stored by store/links.h) says:
 *
 *   window    HH:MM-HH:MM, local time; may wrap midnight (22:00-06:00)
 *   max_rate  the most the link may carry, in bits a second (64k: 64,000
 *             bit/s, 8,000 bytes/s): libcurl's receive cap on the
 *             puller's and the blob fetcher's transfers
 *   media     none:       text only, no media at all, not even asked for
 *             thumbnails: text, then thumbnails; originals and video only
 *                         when a reader asks for one
 *             window:     as thumbnails, and originals fetched ahead
 *                         inside the window
 *             all:        text, then thumbnails, then originals
 *   quota     bytes per day, week or month (500M/month); once used up,
 *             only text crosses the link until the period ends
 *
 * Text always goes first: over a link with a policy no blob is fetched
 * while the puller is behind on that peer's log.
 */

/* "22:00-06:00" into minutes after midnight. */
int mb_link_parse_window(const char *s, int *from, int *to,
    struct mb_diag *d);
/* "64k" (bit/s; k, M, G are powers of 1000) into bytes a second. */
int mb_link_parse_rate(const char *s, int64_t *bytes_s, struct mb_diag *d);
/* "500M/month" (bytes; K, M, G powers of 1000) into bytes and a period. */
int mb_link_parse_quota(const char *s, int64_t *bytes, char period[8],
    struct mb_diag *d);
/* The policy as `peer list` shows it: "window=22:00-06:00 rate=64k ...". */
void mb_link_format(const struct mb_link_policy *p, char *out, size_t n);

/* Whether t (local time) is inside p's window; false without one. */
bool mb_link_in_window(const struct mb_link_policy *p, time_t t);
/* When the period ("day", "week", "month"; "": month) holding now_ms began. */
int64_t mb_link_period_start(const char *period, int64_t now_ms);
/* Whether p's quota is used up in the period holding now_ms. */
bool mb_link_over_quota(const struct mb_link_policy *p, int64_t now_ms);

/* Counts bytes that crossed center's link (nothing without a policy). */
int mb_sync_link_count(struct mb_store *st, const char *center,
    int64_t bytes, struct mb_diag *d);

/*
 * The puller says, after each batch, whether this process has caught up
 * with center's log; the blob fetcher asks (text first). A center never
 * pulled from in this process is not caught up.
 */
void mb_sync_link_text_state(const char *center, bool caught_up);
bool mb_sync_link_text_done(const char *center);

/*
 * The line of the link to base (httpc.h's mb_httpc_line): every capped
 * transfer over it in this process, the puller's batches and the blob
 * fetches alike, books its bytes on it, so that together they carry no
 * more than the link's cap. Counted: each taker gives it back, and the
 * last one frees it. NULL when out of memory (the transfer is then
 * capped alone).
 */
struct mb_httpc_line *mb_sync_link_line_take(const char *base);
void mb_sync_link_line_give(struct mb_httpc_line *line);
/*
 * Whether a blob may come over p's link now: MB_OK, or MB_ERR_AGAIN
 * with d saying why not (not an error: the fetcher tries later).
 * on_demand: a reader asked for it (then neither the text's turn nor
 * the window holds it back; media none and the quota still do).
 */
int mb_link_media_allowed(const struct mb_link_policy *p, bool thumbnail,
    bool on_demand, bool text_done, int64_t now_ms, struct mb_diag *d);

/*
 * Fetches blob hash from base as the link there allows: base's peer's
 * policy decides (above), its rate caps the transfer and its bytes are
 * counted. A URL that is no peer's is not fetched from while any link
 * has a policy (every byte crosses a link whose policy is known).
 * MB_ERR_AGAIN when not now; else as mb_sync_blob_fetch_serial. w (may
 * be NULL) watches the transfer (blob.h).
 */
int mb_sync_blob_fetch_link(const struct mb_center_node *n,
    struct mb_store *st, const char *base, const char *hash, bool thumbnail,
    bool on_demand, const struct mb_sync_blob_watch *w, struct mb_diag *d);

#endif
