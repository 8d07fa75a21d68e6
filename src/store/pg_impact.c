/* SPDX-License-Identifier: MIT */
/* The impact domain on PostgreSQL: daily aggregates, campaigns, state. */
#include "pg_int.h"

#include <stdio.h>

#include "base/timeutil.h"
#include "store/impact_int.h"

const char *const mb_pg_impact_migrations[] = {
	/* 1 */
	"CREATE TABLE impact_daily ("
	"  center TEXT NOT NULL,"
	"  day TEXT NOT NULL,"
	"  kind TEXT NOT NULL,"
	"  key TEXT NOT NULL,"
	"  lang TEXT NOT NULL,"
	"  country TEXT NOT NULL,"
	"  referrer TEXT NOT NULL,"
	"  campaign TEXT NOT NULL,"
	"  source TEXT NOT NULL,"
	"  medium TEXT NOT NULL,"
	"  views BIGINT NOT NULL,"
	"  uniques BIGINT NOT NULL,"
	"  PRIMARY KEY (day, center, kind, key, lang, country, referrer,"
	"    campaign, source, medium));"
	"CREATE TABLE impact_campaigns ("
	"  id BIGSERIAL PRIMARY KEY,"
	"  name TEXT NOT NULL,"
	"  utm TEXT NOT NULL UNIQUE,"
	"  topics TEXT NOT NULL,"
	"  items TEXT NOT NULL,"
	"  starts TEXT NOT NULL,"
	"  ends TEXT NOT NULL,"
	"  created_ms BIGINT NOT NULL);"
	"CREATE TABLE impact_state ("
	"  name TEXT PRIMARY KEY,"
	"  value TEXT NOT NULL);",
	NULL
};

#define INSERT "INSERT INTO impact_daily (" MB_STORE_IMPACT_COLS ", views, " \
    "uniques) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"

static int
put_rows(struct mb_store *st, const char *sql, const struct mb_impact_row *rows,
    size_t n, struct mb_diag *d)
{
	struct mb_pg_params	p;
	int			rc = MB_OK;

	for (size_t i = 0; i < n && rc == MB_OK; i++) {
		const struct mb_impact_row *r = &rows[i];

		p.n = 0;
		mb_pg__p_text(&p, r->center);
		mb_pg__p_text(&p, r->day);
		mb_pg__p_text(&p, r->kind);
		mb_pg__p_text(&p, r->key);
		mb_pg__p_text(&p, r->lang);
		mb_pg__p_text(&p, r->country);
		mb_pg__p_text(&p, r->referrer);
		mb_pg__p_text(&p, r->campaign);
		mb_pg__p_text(&p, r->source);
		mb_pg__p_text(&p, r->medium);
		mb_pg__p_int(&p, r->views);
		mb_pg__p_int(&p, r->uniques);
		rc = mb_pg__run(PG(st), sql, &p, true, NULL, d);
	}
	return rc;
}

/* Runs fn's writes in a transaction of their own when none is open. */
static int
txn_end(struct mb_pg *pg, bool own, int rc, struct mb_diag *d)
{
	if (!own)
		return rc;
	if (rc == MB_OK)
		return mb_pg__commit(pg, d);
	mb_pg__rollback(pg);
	return rc;
}

static int
add(struct mb_store *st, const struct mb_impact_row *rows, size_t n,
    struct mb_diag *d)
{
	bool	own = !mb_pg__in_txn(PG(st));
	int	rc;

	if (own && (rc = mb_pg__begin_plain(PG(st), d)) != MB_OK)
		return rc;
	rc = put_rows(st, INSERT " ON CONFLICT (day, center, kind, key, lang, "
	    "country, referrer, campaign, source, medium) DO UPDATE SET views = "
	    "impact_daily.views + excluded.views, uniques = "
	    "impact_daily.uniques + excluded.uniques", rows, n, d);
	return txn_end(PG(st), own, rc, d);
}

static int
replace(struct mb_store *st, const char *center, const char *day,
    const struct mb_impact_row *rows, size_t n, struct mb_diag *d)
{
	struct mb_pg_params	p;
	bool			own = !mb_pg__in_txn(PG(st));
	int			rc;

	if (own && (rc = mb_pg__begin_plain(PG(st), d)) != MB_OK)
		return rc;
	p.n = 0;
	mb_pg__p_text(&p, day);
	mb_pg__p_text(&p, center);
	rc = mb_pg__run(PG(st), "DELETE FROM impact_daily WHERE day = $1 AND "
	    "center = $2", &p, false, NULL, d);
	if (rc == MB_OK)
		rc = put_rows(st, INSERT, rows, n, d);
	return txn_end(PG(st), own, rc, d);
}

static int
query(struct mb_store *st, const char *sql, const struct mb_impact_query *q,
    int (*cb)(const struct mb_impact_row *row, void *arg), void *arg,
    struct mb_diag *d)
{
	struct mb_pg_params	p;
	struct mb_pg_rows	r;
	struct mb_impact_row	row;
	int			rc;

	p.n = 0;
	mb_pg__p_text(&p, q->from);
	mb_pg__p_text(&p, q->to);
	mb_pg__p_text(&p, q->center);
	mb_pg__p_text(&p, q->kind);
	mb_pg__p_text(&p, q->key);
	mb_pg__p_text(&p, q->campaign);
	mb_pg__p_int(&p, q->limit);
	/* sum() of bigint is numeric on PostgreSQL: the statement casts. */
	if ((rc = mb_pg__query(PG(st), sql, &p, false, &r, d)) != MB_OK)
		return rc;
	while (rc == MB_OK && mb_pg__next(&r, &mb_store__impact_cols, &row))
		rc = cb(&row, arg);
	return mb_pg__end(&r, rc);
}

static int
day_rows(struct mb_store *st, const char *center, const char *day,
    int (*cb)(const struct mb_impact_row *row, void *arg), void *arg,
    struct mb_diag *d)
{
	struct mb_pg_params	p;
	struct mb_pg_rows	r;
	struct mb_impact_row	row;
	int			rc;

	p.n = 0;
	mb_pg__p_text(&p, day);
	mb_pg__p_text(&p, center);
	if ((rc = mb_pg__query(PG(st), "SELECT " MB_STORE_IMPACT_COLS
	    ", views, uniques FROM impact_daily WHERE day = $1 AND center = $2 "
	    "ORDER BY views DESC, uniques DESC, kind COLLATE \"C\", key COLLATE "
	    "\"C\", lang, country, referrer, campaign, source, medium", &p,
	    false, &r, d)) != MB_OK)
		return rc;
	while (rc == MB_OK && mb_pg__next(&r, &mb_store__impact_cols, &row))
		rc = cb(&row, arg);
	return mb_pg__end(&r, rc);
}

static int
prune(struct mb_store *st, const char *day, int64_t *n, struct mb_diag *d)
{
	struct mb_pg_params	 p;
	struct mb_pg_res	*r;
	int			 rc;

	p.n = 0;
	mb_pg__p_text(&p, day);
	if ((rc = mb_pg__run(PG(st), "DELETE FROM impact_daily WHERE day < $1",
	    &p, false, &r, d)) != MB_OK)
		return rc;
	if (n != NULL)
		*n = mb_pg__affected(r);
	mb_pg__free(r);
	return MB_OK;
}

static int
campaign_add(struct mb_store *st, const struct mb_campaign *c, int64_t *id,
    struct mb_diag *d)
{
	struct mb_pg_params	p;
	struct mb_pg_rows	r;
	int			rc;

	p.n = 0;
	mb_pg__p_text(&p, c->name);
	mb_pg__p_text(&p, c->utm);
	mb_pg__p_text(&p, c->topics);
	mb_pg__p_text(&p, c->items);
	mb_pg__p_text(&p, c->starts);
	mb_pg__p_text(&p, c->ends);
	mb_pg__p_int(&p, mb_time_now_ms());
	if ((rc = mb_pg__query(PG(st), "INSERT INTO impact_campaigns (name, "
	    "utm, topics, items, starts, ends, created_ms) VALUES ($1, $2, $3, "
	    "$4, $5, $6, $7) ON CONFLICT (utm) DO NOTHING RETURNING id", &p,
	    false, &r, d)) != MB_OK)
		return rc;
	if (!mb_pg__next(&r, NULL, NULL))
		rc = mb_diag_set(d, MB_ERR_EXISTS, "campaign: utm_campaign "
		    "%s: already used", c->utm);
	else if (id != NULL)
		*id = mb_pg__i64(r.res, r.row, 0);
	return mb_pg__end(&r, rc);
}

static int
campaign_get(struct mb_store *st, int64_t id, struct mb_campaign *out,
    struct mb_diag *d)
{
	struct mb_pg_params	p;
	int			rc;

	p.n = 0;
	mb_pg__p_int(&p, id);
	if ((rc = mb_pg__one(PG(st), "SELECT " MB_STORE_CAMPAIGN_COLS " FROM "
	    "impact_campaigns WHERE id = $1", &p, false,
	    &mb_store__campaign_cols, out, d)) == MB_ERR_NOTFOUND)
		return mb_diag_set(d, rc, "campaign %lld: no such campaign",
		    (long long)id);
	return rc;
}

static int
campaign_list(struct mb_store *st,
    int (*cb)(const struct mb_campaign *c, void *arg), void *arg,
    struct mb_diag *d)
{
	struct mb_pg_rows	r;
	struct mb_campaign	c;
	int			rc;

	if ((rc = mb_pg__query(PG(st), "SELECT " MB_STORE_CAMPAIGN_COLS
	    " FROM impact_campaigns ORDER BY id DESC", NULL, false, &r, d)) !=
	    MB_OK)
		return rc;
	while (rc == MB_OK && mb_pg__next(&r, &mb_store__campaign_cols, &c))
		rc = cb(&c, arg);
	return mb_pg__end(&r, rc);
}

static int
state_get(struct mb_store *st, const char *name, char *out, size_t n,
    struct mb_diag *d)
{
	struct mb_pg_params	p;
	struct mb_pg_rows	r;
	int			rc;

	p.n = 0;
	mb_pg__p_text(&p, name);
	if ((rc = mb_pg__query(PG(st), "SELECT value FROM impact_state WHERE "
	    "name = $1", &p, false, &r, d)) != MB_OK)
		return rc;
	out[0] = '\0';
	if (mb_pg__next(&r, NULL, NULL))
		mb_pg__copy(out, n, r.res, r.row, 0);
	return mb_pg__end(&r, rc);
}

static int
state_set(struct mb_store *st, const char *name, const char *value,
    struct mb_diag *d)
{
	struct mb_pg_params p;

	p.n = 0;
	mb_pg__p_text(&p, name);
	mb_pg__p_text(&p, value);
	return mb_pg__run(PG(st), "INSERT INTO impact_state (name, value) "
	    "VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = "
	    "excluded.value", &p, false, NULL, d);
}

const struct mb_store_impact_ops mb_pg_impact = {
	.add = add, .replace = replace, .query = query, .day = day_rows,
	.prune = prune, .campaign_add = campaign_add,
	.campaign_get = campaign_get, .campaign_list = campaign_list,
	.state_get = state_get, .state_set = state_set,
};
