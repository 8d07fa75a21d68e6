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
	int (*blobs)(struct mb_store *st, const char *uri,
	    int (*cb)(const struct mb_bundle_blob *b, void *arg), void *arg,
	    struct mb_diag *d);
};
extern const struct mb_store_bundles_ops mb_sqlite_bundles, mb_pg_bundles;
extern const char *const mb_sqlite_bundles_migrations[];
extern const char *const mb_pg_bundles_migrations[];
extern const struct mb_store_cols mb_store__bundle_mark_cols;
extern const struct mb_store_cols mb_store__bundle_blob_cols;
#define MB_STORE_BUNDLE_MARK_COLS "center, through, manifest, at_ms"
#define MB_STORE_BUNDLE_BLOB_COLS "r.hash, b.mime, b.size"
/* The blobs uri refers to that are here (both backends' statement). */
#define MB_STORE_BUNDLE_BLOBS_SQL(p) "SELECT " MB_STORE_BUNDLE_BLOB_COLS \
	" FROM media_refs r JOIN media_blobs b ON b.hash = r.hash WHERE " \
	"r.uri = " p " ORDER BY b.size, r.hash"

#endif
