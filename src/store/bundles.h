/* SPDX-License-Identifier: MIT */
/* The bundles domain's tables: how far each offline bundle took the log, in and out. */
#ifndef MB_STORE_BUNDLES_H
#define MB_STORE_BUNDLES_H

#include <stdint.h>

#include "base/err.h"

/*
 * A mark per direction and center: for "in", the highest seq of the
 * exporter's log that bundles imported here reached, and the hash of
 * the last such bundle's manifest (what an ack tells the exporter); for
 * "out", the same for what this center exported for a center ("*": for
 * nobody in particular), so that the next bundle names its previous.
 *
 * Contracts as store.h's: MB_OK or a negative MB_ERR_*; out-parameters
 * set only on success.
 */
struct mb_store;

struct mb_bundle_mark {
	char	center[33];
	int64_t	through;	/* the last seq of the exporter's log */
	char	manifest[65];	/* SHA-256 of the last manifest, hex */
	int64_t	at_ms;
};

/* MB_ERR_NOTFOUND, d untouched, when there is none. */
int mb_store_bundle_mark(struct mb_store *st, const char *direction,
    const char *center, struct mb_bundle_mark *out, struct mb_diag *d);
/* Sets the mark; through never goes back (max of the two). */
int mb_store_bundle_mark_set(struct mb_store *st, const char *direction,
    const struct mb_bundle_mark *m, struct mb_diag *d);

#endif
