/* SPDX-License-Identifier: MIT */
/* The impact domain: its descriptor, its rows, its checks and its calls handed to the store's backend. */
#include "impact_int.h"

#include <stdio.h>
#include <string.h>

static const struct mb_store_table tables[] = {
	{ "impact_daily", MB_STORE_IMPACT_COLS ", views, uniques" },
	{ "impact_campaigns", MB_STORE_CAMPAIGN_COLS },
	{ "impact_state", "name, value" },
	{ NULL, NULL }
};

const struct mb_store_domain mb_store_impact_domain = {
	.name = "impact",
	.migrations = {
		[MB_STORE_SQLITE] = mb_sqlite_impact_migrations,
		[MB_STORE_PG] = mb_pg_impact_migrations,
	},
	.tables = tables,
};

static const struct mb_store_col impact_col[] = {
	MB_COL(MB_COL_CHARS, struct mb_impact_row, center),
	MB_COL(MB_COL_CHARS, struct mb_impact_row, day),
	MB_COL(MB_COL_CHARS, struct mb_impact_row, kind),
	MB_COL(MB_COL_CHARS, struct mb_impact_row, key),
	MB_COL(MB_COL_CHARS, struct mb_impact_row, lang),
	MB_COL(MB_COL_CHARS, struct mb_impact_row, country),
	MB_COL(MB_COL_CHARS, struct mb_impact_row, referrer),
	MB_COL(MB_COL_CHARS, struct mb_impact_row, campaign),
	MB_COL(MB_COL_CHARS, struct mb_impact_row, source),
	MB_COL(MB_COL_CHARS, struct mb_impact_row, medium),
	MB_COL(MB_COL_INT, struct mb_impact_row, views),
	MB_COL(MB_COL_INT, struct mb_impact_row, uniques),
};
const struct mb_store_cols mb_store__impact_cols =
    MB_COLS(struct mb_impact_row, impact_col);

static const struct mb_store_col campaign_col[] = {
	MB_COL(MB_COL_INT, struct mb_campaign, id),
	MB_COL(MB_COL_CHARS, struct mb_campaign, name),
	MB_COL(MB_COL_CHARS, struct mb_campaign, utm),
	MB_COL(MB_COL_CHARS, struct mb_campaign, topics),
	MB_COL(MB_COL_CHARS, struct mb_campaign, items),
	MB_COL(MB_COL_CHARS, struct mb_campaign, starts),
	MB_COL(MB_COL_CHARS, struct mb_campaign, ends),
	MB_COL(MB_COL_INT, struct mb_campaign, created_ms),
};
const struct mb_store_cols mb_store__campaign_cols =
    MB_COLS(struct mb_campaign, campaign_col);

static const struct mb_store_impact_ops *const impl[MB_STORE__BACKENDS] = {
	[MB_STORE_SQLITE] = &mb_sqlite_impact,
	[MB_STORE_PG] = &mb_pg_impact,
};

#define OPS(st)	(impl[mb_store__backend(st)])

/* The row's text columns, in MB_STORE_IMPACT_COLS order. */
static const char *const cols[] = {
	"center", "day", "kind", "key", "lang", "country", "referrer",
	"campaign", "source", "medium"
};
#define NCOLS (sizeof(cols) / sizeof(cols[0]))

/* Which of cols each grouping keeps, one bit per column. */
static const unsigned groups[MB_IMPACT_BY__N] = {
	[MB_IMPACT_BY_DAY] = 1u << 1,
	[MB_IMPACT_BY_ITEM] = 1u << 2 | 1u << 3,
	[MB_IMPACT_BY_LANGUAGE] = 1u << 4,
	[MB_IMPACT_BY_COUNTRY] = 1u << 5,
	[MB_IMPACT_BY_REFERRER] = 1u << 6,
	[MB_IMPACT_BY_CAMPAIGN] = 1u << 7,
	[MB_IMPACT_BY_CENTER] = 1u << 0,
	[MB_IMPACT_BY_SOURCE] = 1u << 8 | 1u << 9,
};

int
mb_store__impact_sql(enum mb_impact_by by, bool dollar, char *out, size_t n,
    struct mb_diag *d)
{
	char	sel[256] = "", grp[128] = "";
	size_t	sl = 0, gl = 0;
	int	len;
	char	p = dollar ? '$' : '?';

	if ((unsigned)by >= MB_IMPACT_BY__N)
		return mb_diag_set(d, MB_ERR_INVAL, "impact: no such grouping");
	for (size_t i = 0; i < NCOLS; i++) {
		bool kept = (groups[by] >> i) & 1u;

		sl += (size_t)snprintf(sel + sl, sizeof(sel) - sl, "%s%s",
		    kept ? cols[i] : "''", i + 1 < NCOLS ? ", " : "");
		if (kept)
			gl += (size_t)snprintf(grp + gl, sizeof(grp) - gl,
			    "%s%s", gl > 0 ? ", " : "", cols[i]);
	}
	/*
	 * Every filter is "parameter is NULL or column equals it", so one
	 * statement per grouping serves every query; the day range comes
	 * first in the primary key's order but for the center, so the scan
	 * is bounded by the days asked for.
	 */
	len = snprintf(out, n, "SELECT %s, CAST(sum(views) AS BIGINT), "
	    "CAST(sum(uniques) AS BIGINT) FROM impact_daily WHERE day >= %c1 AND day <= %c2 AND (%c3 IS NULL "
	    "OR center = %c3) AND (%c4 IS NULL OR kind = %c4) AND (%c5 IS "
	    "NULL OR key = %c5) AND (%c6 IS NULL OR campaign = %c6) GROUP BY "
	    "%s ORDER BY %s LIMIT %c7", sel, p, p, p, p, p, p, p, p, p, p,
	    grp, by == MB_IMPACT_BY_DAY ? "day" :
	    "sum(views) DESC, sum(uniques) DESC, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10",
	    p);
	if (len < 0 || (size_t)len >= n)
		return mb_diag_set(d, MB_ERR_INVAL, "impact: statement too long");
	return MB_OK;
}

static bool
day_ok(const char *s)
{
	if (strlen(s) != MB_IMPACT_DAY_LEN || s[4] != '-' || s[7] != '-')
		return false;
	for (int i = 0; i < MB_IMPACT_DAY_LEN; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return false;
	/* The calendar is impact/'s (a door's input is checked there). */
	return strncmp(s + 5, "01", 2) >= 0 && strncmp(s + 5, "12", 2) <= 0 &&
	    strncmp(s + 8, "01", 2) >= 0 && strncmp(s + 8, "31", 2) <= 0;
}

int
mb_store_impact_add(struct mb_store *st, const struct mb_impact_row *rows,
    size_t n, struct mb_diag *d)
{
	if (n == 0)
		return MB_OK;
	return OPS(st)->add(st, rows, n, d);
}

int
mb_store_impact_replace(struct mb_store *st, const char *center,
    const char *day, const struct mb_impact_row *rows, size_t n,
    struct mb_diag *d)
{
	if (!day_ok(day))
		return mb_diag_set(d, MB_ERR_INVAL, "impact: day: not "
		    "YYYY-MM-DD");
	for (size_t i = 0; i < n; i++)
		if (strcmp(rows[i].center, center) != 0 ||
		    strcmp(rows[i].day, day) != 0)
			return mb_diag_set(d, MB_ERR_INVAL, "impact: rows[%zu]: "
			    "not of %s on %s", i, center, day);
	return OPS(st)->replace(st, center, day, rows, n, d);
}

int
mb_store_impact_query(struct mb_store *st, const struct mb_impact_query *q,
    int (*cb)(const struct mb_impact_row *row, void *arg), void *arg,
    struct mb_diag *d)
{
	char	sql[768];
	int	rc;

	if (!day_ok(q->from) || !day_ok(q->to))
		return mb_diag_set(d, MB_ERR_INVAL, "impact: from, to: not "
		    "YYYY-MM-DD");
	if (q->limit < 1 || q->limit > MB_IMPACT_ROWS_MAX)
		return mb_diag_set(d, MB_ERR_INVAL, "impact: limit: 1 to %d",
		    MB_IMPACT_ROWS_MAX);
	if ((rc = mb_store__impact_sql(q->by, mb_store__backend(st) ==
	    MB_STORE_PG, sql, sizeof(sql), d)) != MB_OK)
		return rc;
	return OPS(st)->query(st, sql, q, cb, arg, d);
}

int
mb_store_impact_day(struct mb_store *st, const char *center, const char *day,
    int (*cb)(const struct mb_impact_row *row, void *arg), void *arg,
    struct mb_diag *d)
{
	return OPS(st)->day(st, center, day, cb, arg, d);
}

int
mb_store_impact_prune(struct mb_store *st, const char *day, int64_t *n,
    struct mb_diag *d)
{
	if (!day_ok(day))
		return mb_diag_set(d, MB_ERR_INVAL, "impact: day: not "
		    "YYYY-MM-DD");
	return OPS(st)->prune(st, day, n, d);
}

int
mb_store_campaign_add(struct mb_store *st, const struct mb_campaign *c,
    int64_t *id, struct mb_diag *d)
{
	return OPS(st)->campaign_add(st, c, id, d);
}

int
mb_store_campaign_get(struct mb_store *st, int64_t id,
    struct mb_campaign *out, struct mb_diag *d)
{
	return OPS(st)->campaign_get(st, id, out, d);
}

int
mb_store_campaign_list(struct mb_store *st,
    int (*cb)(const struct mb_campaign *c, void *arg), void *arg,
    struct mb_diag *d)
{
	return OPS(st)->campaign_list(st, cb, arg, d);
}

int
mb_store_impact_state_get(struct mb_store *st, const char *name, char *out,
    size_t n, struct mb_diag *d)
{
	return OPS(st)->state_get(st, name, out, n, d);
}

int
mb_store_impact_state_set(struct mb_store *st, const char *name,
    const char *value, struct mb_diag *d)
{
	return OPS(st)->state_set(st, name, value, d);
}
