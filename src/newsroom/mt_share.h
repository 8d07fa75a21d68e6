/* SPDX-License-Identifier: MIT */
/*
 * Lending this center's engines to member centers: the pairs offered
 * (engines with share = yes), a rate per calling center, the bounds of
 * one request, and the translation of a batch of segments in engine form
 * (docs/translation.md, "Shared engines").
 */
#ifndef MB_NEWSROOM_MT_SHARE_H
#define MB_NEWSROOM_MT_SHARE_H

#include <stdint.h>

#include <jansson.h>

#include "base/err.h"

struct mb_mt;

#define MB_MT_SHARE_PER_MIN	60	/* requests a minute per center */
#define MB_MT_SHARE_BURST	20	/* at once after a quiet while */
#define MB_MT_SHARE_SEGMENTS	512	/* segments in one request */
#define MB_MT_SHARE_BYTES	(256 * 1024)	/* their bytes in all */

/*
 * Counts a request of center caller at now_ms: 0 when it may go on,
 * else how many ms until it may (answer 429 with Retry-After).
 */
int64_t mb_mt_share_admit(const char *caller, int64_t now_ms);

/* [{"from", "to"}, ...] of the shared engines (a new reference). */
json_t *mb_mt_share_pairs(struct mb_mt *mt);

/*
 * What this center announces to HQ for the registry: its shared engines'
 * pairs as ["en|es", ...] (sorted, no duplicates, at most
 * MB_CENTER_PAIRS_MAX; a new reference). Lenders are never announced.
 */
json_t *mb_mt_share_announcement(struct mb_mt *mt);

struct mb_store;

/*
 * Gives mt the lenders the stored registry lists (mb_mt_set_lenders):
 * active member centers other than self with "mt_pairs".
 */
int mb_mt_share_lenders(struct mb_mt *mt, struct mb_store *st,
    const char *self, struct mb_diag *d);

/*
 * Translates req {"from", "to", "segments": [...]} with the shared
 * engines only (never a peer's: no relaying), as one request to the
 * engine; *answer (new reference) is the provenance with "center" (this
 * center's id) and "segments", as many as were sent. Errors as
 * mb_mt_translate's; MB_ERR_INVAL and MB_ERR_TOOBIG for a request out
 * of bounds.
 */
int mb_mt_share_translate(struct mb_mt *mt, const char *center,
    const json_t *req, json_t **answer, struct mb_diag *d);

#endif
