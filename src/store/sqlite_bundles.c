/* SPDX-License-Identifier: MIT */
/* The SQLite side of the bundles domain: its migrations and its calls. */
#include "sqlite_int.h"
#include "store/bundles_int.h"

const char *const mb_sqlite_bundles_migrations[] = {
	/* 1: how far bundles took each log, in and out. */
	"CREATE TABLE bundles_marks ("
	"  direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),"
	"  center TEXT NOT NULL,"
	"  through INTEGER NOT NULL,"
	"  manifest TEXT NOT NULL,"
	"  at_ms INTEGER NOT NULL,"
	"  PRIMARY KEY (direction, center)) WITHOUT ROWID;",
	NULL
};

static int
mark(struct mb_store *st, const char *direction, const char *center,
    struct mb_bundle_mark *out, struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "SELECT "
	    MB_STORE_BUNDLE_MARK_COLS " FROM bundles_marks WHERE "
	    "direction = ?1 AND center = ?2", &r, "bundle mark", d)) != MB_OK)
		return rc;
	sqlite3_bind_text(r.s, 1, direction, -1, SQLITE_STATIC);
	sqlite3_bind_text(r.s, 2, center, -1, SQLITE_STATIC);
	return mb_sqlite__one(&r, &mb_store__bundle_mark_cols, out, d);
}

static int
mark_set(struct mb_store *st, const char *direction,
    const struct mb_bundle_mark *m, struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "INSERT INTO bundles_marks "
	    "(direction, " MB_STORE_BUNDLE_MARK_COLS ") VALUES (?1, ?2, ?3, "
	    "?4, ?5) ON CONFLICT (direction, center) DO UPDATE SET through = "
	    "max(through, excluded.through), manifest = excluded.manifest, "
	    "at_ms = excluded.at_ms", &r, "bundle mark", d)) != MB_OK)
		return rc;
	sqlite3_bind_text(r.s, 1, direction, -1, SQLITE_STATIC);
	sqlite3_bind_text(r.s, 2, m->center, -1, SQLITE_STATIC);
	sqlite3_bind_int64(r.s, 3, m->through);
	sqlite3_bind_text(r.s, 4, m->manifest, -1, SQLITE_STATIC);
	sqlite3_bind_int64(r.s, 5, m->at_ms);
	return mb_sqlite__done(&r, NULL, d);
}

const struct mb_store_bundles_ops mb_sqlite_bundles = {
	.mark = mark, .mark_set = mark_set,
};
