/* SPDX-License-Identifier: MIT */
/* The PostgreSQL side of the links domain: its migrations and its calls. */
#include "pg_int.h"
#include "store/links_int.h"

#include <stdio.h>

const char *const mb_pg_links_migrations[] = {
	/* 1: each peer link's policy and the bytes it carried. */
	"CREATE TABLE links_policy ("
	"  center TEXT PRIMARY KEY,"
	"  window_from INTEGER NOT NULL DEFAULT -1"
	"    CHECK (window_from BETWEEN -1 AND 1439),"
	"  window_to INTEGER NOT NULL DEFAULT -1"
	"    CHECK (window_to BETWEEN -1 AND 1439),"
	"  max_rate BIGINT NOT NULL DEFAULT 0 CHECK (max_rate >= 0),"
	"  media TEXT NOT NULL DEFAULT 'all'"
	"    CHECK (media IN ('none', 'thumbnails', 'window', 'all')),"
	"  quota BIGINT NOT NULL DEFAULT 0 CHECK (quota >= 0),"
	"  period TEXT NOT NULL DEFAULT '',"
	"  used BIGINT NOT NULL DEFAULT 0,"
	"  period_ms BIGINT NOT NULL DEFAULT 0);",
	NULL
};

static int
get(struct mb_store *st, const char *center, struct mb_link_policy *out,
    struct mb_diag *d)
{
	struct mb_pg_params p;

	p.n = 0;
	mb_pg__p_text(&p, center);
	return mb_pg__one(PG(st), "SELECT " MB_STORE_LINK_COLS " FROM "
	    "links_policy WHERE center = $1", &p, false, &mb_store__link_cols,
	    out, d);
}

static int
set(struct mb_store *st, const struct mb_link_policy *pol, struct mb_diag *d)
{
	struct mb_pg_params p;

	p.n = 0;
	mb_pg__p_text(&p, pol->center);
	mb_pg__p_int(&p, pol->window_from);
	mb_pg__p_int(&p, pol->window_to);
	mb_pg__p_int(&p, pol->max_rate);
	mb_pg__p_text(&p, pol->media);
	mb_pg__p_int(&p, pol->quota);
	mb_pg__p_text(&p, pol->period);
	return mb_pg__run(PG(st), "INSERT INTO links_policy (center, "
	    "window_from, window_to, max_rate, media, quota, period) VALUES "
	    "($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (center) DO UPDATE SET "
	    "window_from = excluded.window_from, window_to = "
	    "excluded.window_to, max_rate = excluded.max_rate, media = "
	    "excluded.media, quota = excluded.quota, period = excluded.period",
	    &p, false, NULL, d);
}

static int
list(struct mb_store *st, int (*cb)(const struct mb_link_policy *p,
    void *arg), void *arg, struct mb_diag *d)
{
	struct mb_pg_rows	r;
	struct mb_link_policy	pol;
	int			rc;

	if ((rc = mb_pg__query(PG(st), "SELECT " MB_STORE_LINK_COLS " FROM "
	    "links_policy ORDER BY center", NULL, false, &r, d)) != MB_OK)
		return rc;
	while (rc == MB_OK && mb_pg__next(&r, &mb_store__link_cols, &pol))
		rc = cb(&pol, arg);
	return mb_pg__end(&r, rc);
}

static int
count(struct mb_store *st, const char *center, int64_t bytes,
    int64_t period_ms, struct mb_diag *d)
{
	struct mb_pg_params p;

	p.n = 0;
	mb_pg__p_text(&p, center);
	mb_pg__p_int(&p, bytes);
	mb_pg__p_int(&p, period_ms);
	return mb_pg__run(PG(st), "UPDATE links_policy SET used = CASE WHEN "
	    "period_ms = $3 THEN used + $2 ELSE $2 END, period_ms = $3 WHERE "
	    "center = $1", &p, false, NULL, d);
}

static int
blob_uri(struct mb_store *st, const char *hash, char uri[2048],
    struct mb_diag *d)
{
	struct mb_pg_params	p;
	struct mb_pg_rows	r;
	int			rc;

	p.n = 0;
	mb_pg__p_text(&p, hash);
	if ((rc = mb_pg__query(PG(st), "SELECT uri FROM media_refs WHERE "
	    "hash = $1 ORDER BY uri LIMIT 1", &p, false, &r, d)) != MB_OK)
		return rc;
	if (mb_pg__next(&r, NULL, NULL))
		snprintf(uri, 2048, "%s", mb_pg__str(r.res, r.row, 0));
	else
		rc = MB_ERR_NOTFOUND;
	return mb_pg__end(&r, rc);
}

const struct mb_store_links_ops mb_pg_links = {
	.get = get, .set = set, .list = list, .count = count,
	.blob_uri = blob_uri,
};
