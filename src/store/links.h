/* SPDX-License-Identifier: MIT */
/* The links domain's table: each peer link's policy (window, rate, media, quota) and the bytes it used. */
#ifndef MB_STORE_LINKS_H
#define MB_STORE_LINKS_H

#include <stdint.h>

#include "base/err.h"

/*
 * A link is the way to one peer (keyed by the peer's center id, whether
 * the peer is in the peers table yet or not: HQ is only once the
 * registry came). Its policy is set by `peer set` and read by the
 * puller and the blob fetcher (src/sync/link.c decides with it); the
 * bytes the link carried are counted per period (day, week, month),
 * starting again at 0 when the period changes.
 *
 * Contracts as store.h's: MB_OK or a negative MB_ERR_*; out-parameters
 * set only on success.
 */
struct mb_store;

struct mb_link_policy {
	char	center[33];
	int	window_from;	/* minutes after local midnight; -1: none */
	int	window_to;	/* the window's end; from > to wraps midnight */
	int64_t	max_rate;	/* bytes a second; 0: no cap */
	char	media[12];	/* none, thumbnails, window, all */
	int64_t	quota;		/* bytes per period; 0: none */
	char	period[8];	/* day, week, month; "" with no quota */
	int64_t	used;		/* bytes carried in the current period */
	int64_t	period_ms;	/* when the current period began (0: none) */
};

/* MB_ERR_NOTFOUND, d untouched, when the link has no policy. */
int mb_store_link_get(struct mb_store *st, const char *center,
    struct mb_link_policy *out, struct mb_diag *d);
/* Sets the policy of p->center; the bytes used so far are kept. */
int mb_store_link_set(struct mb_store *st, const struct mb_link_policy *p,
    struct mb_diag *d);
/* Every link with a policy, by center id. */
int mb_store_link_list(struct mb_store *st,
    int (*cb)(const struct mb_link_policy *p, void *arg), void *arg,
    struct mb_diag *d);
/*
 * Adds bytes to center's count for the period that began at period_ms
 * (a new period starts the count again). No policy: nothing is counted,
 * MB_OK.
 */
int mb_store_link_count(struct mb_store *st, const char *center,
    int64_t bytes, int64_t period_ms, struct mb_diag *d);

/*
 * One item (uri, 2048 bytes with its NUL) whose current version refers
 * to blob hash; MB_ERR_NOTFOUND, d untouched, when none does.
 */
int mb_store_link_blob_uri(struct mb_store *st, const char *hash,
    char uri[2048], struct mb_diag *d);

#endif
