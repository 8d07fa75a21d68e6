/* SPDX-License-Identifier: MIT */
/*
 * Announcing the pairs this center lends (its shared engines', never a
 * lender's) for HQ's registry: HQ writes its own entry and signs a new
 * registry; a branch sends a signed POST /federation/v1/announce to HQ.
 * Nothing is sent while the registry already says the same.
 */
#ifndef MB_SERVE_MT_ANNOUNCE_H
#define MB_SERVE_MT_ANNOUNCE_H

#include <stdint.h>

#include <jansson.h>

#include "base/buf.h"
#include "base/err.h"

struct mb_center_node;
struct mb_mt;
struct mb_store;

enum mb_mt_announced {
	MB_MT_ANNOUNCE_SAME = 0,	/* the registry says so already */
	MB_MT_ANNOUNCE_SENT = 1,	/* a branch: HQ took it */
	MB_MT_ANNOUNCE_SIGNED = 2	/* HQ: a new registry signed */
};

/*
 * One announcement, now: *out says what happened and said (may be
 * NULL) gets the pairs announced ("en|es,es|en", "" none). Errors: HQ's
 * refusal (MB_ERR_INVAL, MB_ERR_TOOBIG, MB_ERR_PERM) naming its reason,
 * MB_ERR_NET when HQ cannot be reached.
 */
int mb_serve_mt_announce(const struct mb_center_node *n, struct mb_store *st,
    struct mb_mt *mt, enum mb_mt_announced *out, struct mb_buf *said,
    struct mb_diag *d);

/*
 * Announces pairs (a JSON array of "from|to", as given) instead of the
 * engines': a branch sends them unchecked, for HQ to check; HQ checks
 * them itself. The next announcement of the engines' pairs replaces
 * them.
 */
int mb_serve_mt_announce_list(const struct mb_center_node *n,
    struct mb_store *st, json_t *pairs, enum mb_mt_announced *out,
    struct mb_diag *d);

/* serve's poller (poller.h): a round every period, the first at once. */
struct mb_mt_announcer;

int mb_mt_announcer_new(const struct mb_center_node *n, struct mb_mt *mt,
    struct mb_mt_announcer **out, struct mb_diag *d);
int mb_mt_announcer_round(void *arg, int64_t *next_ms, struct mb_diag *d);
/* After its poller has stopped; NULL is a no-op. */
void mb_mt_announcer_free(struct mb_mt_announcer *a);

#endif
