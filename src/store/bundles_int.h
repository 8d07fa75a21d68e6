/* SPDX-License-Identifier: MIT */
/* The bundles domain's table of calls, one per backend (private to the store). */
#ifndef MB_STORE_BUNDLES_INT_H
#define MB_STORE_BUNDLES_INT_H

#include "store/bundles.h"
#include "store/store_int.h"

struct mb_store_bundles_ops {
	int (*mark)(struct mb_store *st, const char *direction,
	    const char *center, struct mb_bundle_mark *out, struct mb_diag *d);
	int (*mark_set)(struct mb_store *st, const char *direction,
	    const struct mb_bundle_mark *m, struct mb_diag *d);
};
extern const struct mb_store_bundles_ops mb_sqlite_bundles, mb_pg_bundles;
extern const char *const mb_sqlite_bundles_migrations[];
extern const char *const mb_pg_bundles_migrations[];
extern const struct mb_store_cols mb_store__bundle_mark_cols;
#define MB_STORE_BUNDLE_MARK_COLS "center, through, manifest, at_ms"

#endif
