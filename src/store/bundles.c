/* SPDX-License-Identifier: MIT */
/* The bundles domain: its descriptor, its rows, and its calls handed to the store's backend. */
#include "bundles_int.h"

#include <string.h>

static const struct mb_store_table tables[] = {
	{ "bundles_marks", "direction, center, through, manifest, at_ms" },
	{ NULL, NULL }
};

const struct mb_store_domain mb_store_bundles_domain = {
	.name = "bundles",
	.migrations = {
		[MB_STORE_SQLITE] = mb_sqlite_bundles_migrations,
		[MB_STORE_PG] = mb_pg_bundles_migrations,
	},
	.tables = tables,
};

static const struct mb_store_col mark_col[] = {
	MB_COL(MB_COL_CHARS, struct mb_bundle_mark, center),
	MB_COL(MB_COL_INT, struct mb_bundle_mark, through),
	MB_COL(MB_COL_CHARS, struct mb_bundle_mark, manifest),
	MB_COL(MB_COL_INT, struct mb_bundle_mark, at_ms),
};
const struct mb_store_cols mb_store__bundle_mark_cols =
    MB_COLS(struct mb_bundle_mark, mark_col);

static const struct mb_store_bundles_ops *const impl[MB_STORE__BACKENDS] = {
	[MB_STORE_SQLITE] = &mb_sqlite_bundles,
	[MB_STORE_PG] = &mb_pg_bundles,
};
#define OPS(st)	(impl[mb_store__backend(st)])

static int
direction_ok(const char *direction, struct mb_diag *d)
{
	if (strcmp(direction, "in") != 0 && strcmp(direction, "out") != 0)
		return mb_diag_set(d, MB_ERR_INVAL, "store: bundle mark: "
		    "direction %s is neither in nor out", direction);
	return MB_OK;
}

int
mb_store_bundle_mark(struct mb_store *st, const char *direction,
    const char *center, struct mb_bundle_mark *out, struct mb_diag *d)
{
	int rc;

	if ((rc = direction_ok(direction, d)) != MB_OK)
		return rc;
	return OPS(st)->mark(st, direction, center, out, d);
}

int
mb_store_bundle_mark_set(struct mb_store *st, const char *direction,
    const struct mb_bundle_mark *m, struct mb_diag *d)
{
	int rc;

	if ((rc = direction_ok(direction, d)) != MB_OK)
		return rc;
	return OPS(st)->mark_set(st, direction, m, d);
}
