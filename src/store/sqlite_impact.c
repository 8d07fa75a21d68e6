/* SPDX-License-Identifier: MIT */
/* The impact domain on SQLite: daily aggregates, campaigns, state. */
#include "sqlite_int.h"

#include <stdio.h>

#include "base/timeutil.h"
#include "store/impact_int.h"

const char *const mb_sqlite_impact_migrations[] = {
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
	"  views INTEGER NOT NULL,"
	"  uniques INTEGER NOT NULL,"
	"  PRIMARY KEY (day, center, kind, key, lang, country, referrer,"
	"    campaign, source, medium)) WITHOUT ROWID;"
	"CREATE TABLE impact_campaigns ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL,"
	"  utm TEXT NOT NULL UNIQUE,"
	"  topics TEXT NOT NULL,"
	"  items TEXT NOT NULL,"
	"  starts TEXT NOT NULL,"
	"  ends TEXT NOT NULL,"
	"  created_ms INTEGER NOT NULL);"
	"CREATE TABLE impact_state ("
	"  name TEXT PRIMARY KEY,"
	"  value TEXT NOT NULL);",
	NULL
};

static int
prepare(struct mb_store *st, const char *sql, sqlite3_stmt **s,
    struct mb_diag *d)
{
	if (sqlite3_prepare_v2(SQ(st)->db, sql, -1, s, NULL) != SQLITE_OK)
		return mb_sqlite_err(SQ(st), d, "impact");
	return MB_OK;
}

/* Binds a row's ten text columns from parameter 1 on. */
static void
bind_row(sqlite3_stmt *s, const struct mb_impact_row *r)
{
	const char *v[10] = { r->center, r->day, r->kind, r->key, r->lang,
	    r->country, r->referrer, r->campaign, r->source, r->medium };

	for (int i = 0; i < 10; i++)
		sqlite3_bind_text(s, i + 1, v[i], -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 11, r->views);
	sqlite3_bind_int64(s, 12, r->uniques);
}

static int
put_rows(struct mb_store *st, const char *sql, const struct mb_impact_row *rows,
    size_t n, struct mb_diag *d)
{
	sqlite3_stmt	*s;
	int		 rc;

	if ((rc = prepare(st, sql, &s, d)) != MB_OK)
		return rc;
	for (size_t i = 0; i < n && rc == MB_OK; i++) {
		bind_row(s, &rows[i]);
		if (sqlite3_step(s) != SQLITE_DONE)
			rc = mb_sqlite_err(SQ(st), d, "impact");
		sqlite3_reset(s);
	}
	sqlite3_finalize(s);
	return rc;
}

#define INSERT "INSERT INTO impact_daily (" MB_STORE_IMPACT_COLS ", views, " \
    "uniques) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"

static int
add(struct mb_store *st, const struct mb_impact_row *rows, size_t n,
    struct mb_diag *d)
{
	int own, rc;

	if ((rc = mb_sqlite__auto_begin(SQ(st), &own, d)) != MB_OK)
		return rc;
	rc = put_rows(st, INSERT " ON CONFLICT DO UPDATE SET views = views + "
	    "excluded.views, uniques = uniques + excluded.uniques", rows, n, d);
	return mb_sqlite__auto_end(SQ(st), own, rc, d);
}

static int
replace(struct mb_store *st, const char *center, const char *day,
    const struct mb_impact_row *rows, size_t n, struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int			own, rc;

	if ((rc = mb_sqlite__auto_begin(SQ(st), &own, d)) != MB_OK)
		return rc;
	if ((rc = mb_sqlite__query(SQ(st), "DELETE FROM impact_daily WHERE "
	    "day = ?1 AND center = ?2", &r, "impact", d)) == MB_OK) {
		sqlite3_bind_text(r.s, 1, day, -1, SQLITE_STATIC);
		sqlite3_bind_text(r.s, 2, center, -1, SQLITE_STATIC);
		rc = mb_sqlite__done(&r, NULL, d);
	}
	if (rc == MB_OK)
		rc = put_rows(st, INSERT, rows, n, d);
	return mb_sqlite__auto_end(SQ(st), own, rc, d);
}

static void
bind_opt(sqlite3_stmt *s, int i, const char *v)
{
	mb_sqlite__bind_text(s, i, v);
}

static int
query(struct mb_store *st, const char *sql, const struct mb_impact_query *q,
    int (*cb)(const struct mb_impact_row *row, void *arg), void *arg,
    struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	struct mb_impact_row	row;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), sql, &r, "impact", d)) != MB_OK)
		return rc;
	sqlite3_bind_text(r.s, 1, q->from, -1, SQLITE_STATIC);
	sqlite3_bind_text(r.s, 2, q->to, -1, SQLITE_STATIC);
	bind_opt(r.s, 3, q->center);
	bind_opt(r.s, 4, q->kind);
	bind_opt(r.s, 5, q->key);
	bind_opt(r.s, 6, q->campaign);
	sqlite3_bind_int(r.s, 7, q->limit);
	while (rc == MB_OK && mb_sqlite__next(&r, &mb_store__impact_cols, &row))
		rc = cb(&row, arg);
	return mb_sqlite__end(&r, rc, d);
}

static int
day_rows(struct mb_store *st, const char *center, const char *day,
    int (*cb)(const struct mb_impact_row *row, void *arg), void *arg,
    struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	struct mb_impact_row	row;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "SELECT " MB_STORE_IMPACT_COLS
	    ", views, uniques FROM impact_daily WHERE day = ?1 AND center = ?2 "
	    "ORDER BY views DESC, uniques DESC, kind, key, lang, country, "
	    "referrer, campaign, source, medium", &r, "impact", d)) != MB_OK)
		return rc;
	sqlite3_bind_text(r.s, 1, day, -1, SQLITE_STATIC);
	sqlite3_bind_text(r.s, 2, center, -1, SQLITE_STATIC);
	while (rc == MB_OK && mb_sqlite__next(&r, &mb_store__impact_cols, &row))
		rc = cb(&row, arg);
	return mb_sqlite__end(&r, rc, d);
}

static int
prune(struct mb_store *st, const char *day, int64_t *n, struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "DELETE FROM impact_daily WHERE "
	    "day < ?1", &r, "impact", d)) != MB_OK)
		return rc;
	sqlite3_bind_text(r.s, 1, day, -1, SQLITE_STATIC);
	return mb_sqlite__done(&r, n, d);
}

static int
campaign_add(struct mb_store *st, const struct mb_campaign *c, int64_t *id,
    struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int64_t			changed = 0;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "INSERT INTO impact_campaigns "
	    "(name, utm, topics, items, starts, ends, created_ms) VALUES (?1, "
	    "?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (utm) DO NOTHING", &r,
	    "campaign", d)) != MB_OK)
		return rc;
	sqlite3_bind_text(r.s, 1, c->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(r.s, 2, c->utm, -1, SQLITE_STATIC);
	sqlite3_bind_text(r.s, 3, c->topics, -1, SQLITE_STATIC);
	sqlite3_bind_text(r.s, 4, c->items, -1, SQLITE_STATIC);
	sqlite3_bind_text(r.s, 5, c->starts, -1, SQLITE_STATIC);
	sqlite3_bind_text(r.s, 6, c->ends, -1, SQLITE_STATIC);
	sqlite3_bind_int64(r.s, 7, mb_time_now_ms());
	if ((rc = mb_sqlite__done(&r, &changed, d)) != MB_OK)
		return rc;
	if (changed == 0)
		return mb_diag_set(d, MB_ERR_EXISTS, "campaign: utm_campaign "
		    "%s: already used", c->utm);
	if (id != NULL)
		*id = sqlite3_last_insert_rowid(SQ(st)->db);
	return MB_OK;
}

static int
campaign_get(struct mb_store *st, int64_t id, struct mb_campaign *out,
    struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "SELECT " MB_STORE_CAMPAIGN_COLS
	    " FROM impact_campaigns WHERE id = ?1", &r, "campaign", d)) !=
	    MB_OK)
		return rc;
	sqlite3_bind_int64(r.s, 1, id);
	if ((rc = mb_sqlite__one(&r, &mb_store__campaign_cols, out, d)) ==
	    MB_ERR_NOTFOUND)
		return mb_diag_set(d, rc, "campaign %lld: no such campaign",
		    (long long)id);
	return rc;
}

static int
campaign_list(struct mb_store *st,
    int (*cb)(const struct mb_campaign *c, void *arg), void *arg,
    struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	struct mb_campaign	c;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "SELECT " MB_STORE_CAMPAIGN_COLS
	    " FROM impact_campaigns ORDER BY id DESC", &r, "campaign", d)) !=
	    MB_OK)
		return rc;
	while (rc == MB_OK && mb_sqlite__next(&r, &mb_store__campaign_cols, &c))
		rc = cb(&c, arg);
	return mb_sqlite__end(&r, rc, d);
}

static int
state_get(struct mb_store *st, const char *name, char *out, size_t n,
    struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "SELECT value FROM impact_state "
	    "WHERE name = ?1", &r, "impact", d)) != MB_OK)
		return rc;
	sqlite3_bind_text(r.s, 1, name, -1, SQLITE_STATIC);
	out[0] = '\0';
	if (mb_sqlite__next(&r, NULL, NULL)) {
		const unsigned char *v = sqlite3_column_text(r.s, 0);

		snprintf(out, n, "%s", v != NULL ? (const char *)v : "");
	}
	return mb_sqlite__end(&r, rc, d);
}

static int
state_set(struct mb_store *st, const char *name, const char *value,
    struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "INSERT INTO impact_state (name, "
	    "value) VALUES (?1, ?2) ON CONFLICT (name) DO UPDATE SET value = "
	    "excluded.value", &r, "impact", d)) != MB_OK)
		return rc;
	sqlite3_bind_text(r.s, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(r.s, 2, value, -1, SQLITE_STATIC);
	return mb_sqlite__done(&r, NULL, d);
}

const struct mb_store_impact_ops mb_sqlite_impact = {
	.add = add, .replace = replace, .query = query, .day = day_rows,
	.prune = prune, .campaign_add = campaign_add,
	.campaign_get = campaign_get, .campaign_list = campaign_list,
	.state_get = state_get, .state_set = state_set,
};
