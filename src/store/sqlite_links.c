/* SPDX-License-Identifier: MIT */
/* The SQLite side of the links domain: its migrations and its calls. */
#include "sqlite_int.h"
#include "store/links_int.h"

#include <stdio.h>

const char *const mb_sqlite_links_migrations[] = {
	/* 1: each peer link's policy and the bytes it carried. */
	"CREATE TABLE links_policy ("
	"  center TEXT PRIMARY KEY,"
	"  window_from INTEGER NOT NULL DEFAULT -1"
	"    CHECK (window_from BETWEEN -1 AND 1439),"
	"  window_to INTEGER NOT NULL DEFAULT -1"
	"    CHECK (window_to BETWEEN -1 AND 1439),"
	"  max_rate INTEGER NOT NULL DEFAULT 0 CHECK (max_rate >= 0),"
	"  media TEXT NOT NULL DEFAULT 'all'"
	"    CHECK (media IN ('none', 'thumbnails', 'window', 'all')),"
	"  quota INTEGER NOT NULL DEFAULT 0 CHECK (quota >= 0),"
	"  period TEXT NOT NULL DEFAULT '',"
	"  used INTEGER NOT NULL DEFAULT 0,"
	"  period_ms INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;",
	NULL
};

static int
get(struct mb_store *st, const char *center, struct mb_link_policy *out,
    struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "SELECT " MB_STORE_LINK_COLS
	    " FROM links_policy WHERE center = ?1", &r, "link get", d)) !=
	    MB_OK)
		return rc;
	sqlite3_bind_text(r.s, 1, center, -1, SQLITE_STATIC);
	return mb_sqlite__one(&r, &mb_store__link_cols, out, d);
}

static int
set(struct mb_store *st, const struct mb_link_policy *p, struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "INSERT INTO links_policy (center, "
	    "window_from, window_to, max_rate, media, quota, period) VALUES "
	    "(?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (center) DO UPDATE SET "
	    "window_from = excluded.window_from, window_to = "
	    "excluded.window_to, max_rate = excluded.max_rate, media = "
	    "excluded.media, quota = excluded.quota, period = excluded.period",
	    &r, "link set", d)) != MB_OK)
		return rc;
	sqlite3_bind_text(r.s, 1, p->center, -1, SQLITE_STATIC);
	sqlite3_bind_int(r.s, 2, p->window_from);
	sqlite3_bind_int(r.s, 3, p->window_to);
	sqlite3_bind_int64(r.s, 4, p->max_rate);
	sqlite3_bind_text(r.s, 5, p->media, -1, SQLITE_STATIC);
	sqlite3_bind_int64(r.s, 6, p->quota);
	sqlite3_bind_text(r.s, 7, p->period, -1, SQLITE_STATIC);
	return mb_sqlite__done(&r, NULL, d);
}

static int
list(struct mb_store *st, int (*cb)(const struct mb_link_policy *p,
    void *arg), void *arg, struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	struct mb_link_policy	p;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "SELECT " MB_STORE_LINK_COLS
	    " FROM links_policy ORDER BY center", &r, "link list", d)) !=
	    MB_OK)
		return rc;
	while (rc == MB_OK && mb_sqlite__next(&r, &mb_store__link_cols, &p))
		rc = cb(&p, arg);
	return mb_sqlite__end(&r, rc, d);
}

static int
count(struct mb_store *st, const char *center, int64_t bytes,
    int64_t period_ms, struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "UPDATE links_policy SET used = "
	    "CASE WHEN period_ms = ?3 THEN used + ?2 ELSE ?2 END, period_ms = "
	    "?3 WHERE center = ?1", &r, "link count", d)) != MB_OK)
		return rc;
	sqlite3_bind_text(r.s, 1, center, -1, SQLITE_STATIC);
	sqlite3_bind_int64(r.s, 2, bytes);
	sqlite3_bind_int64(r.s, 3, period_ms);
	return mb_sqlite__done(&r, NULL, d);
}

static int
blob_uri(struct mb_store *st, const char *hash, char uri[2048],
    struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "SELECT uri FROM media_refs WHERE "
	    "hash = ?1 ORDER BY uri LIMIT 1", &r, "link blob uri", d)) !=
	    MB_OK)
		return rc;
	sqlite3_bind_text(r.s, 1, hash, -1, SQLITE_STATIC);
	if (mb_sqlite__next(&r, NULL, NULL))
		snprintf(uri, 2048, "%s", (const char *)
		    sqlite3_column_text(r.s, 0));
	else if (r.step == SQLITE_DONE)
		rc = MB_ERR_NOTFOUND;
	return mb_sqlite__end(&r, rc, d);
}

const struct mb_store_links_ops mb_sqlite_links = {
	.get = get, .set = set, .list = list, .count = count,
	.blob_uri = blob_uri,
};
