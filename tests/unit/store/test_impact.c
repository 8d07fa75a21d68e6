/* SPDX-License-Identifier: MIT */
/* Unit tests for the impact domain on each backend: aggregates, reports, retention, campaigns, state. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/impact.h"
#include "store/impact_int.h"
#include "store/store.h"

#include "backend.h"

static int
setup(void **state)
{
	*state = NULL;
	return tb_create();
}

static int
teardown(void **state)
{
	(void)state;
	tb_destroy();
	return 0;
}

static struct mb_store *
open_store(void)
{
	struct mb_store	*st;
	struct mb_diag	 d = { "" };

	if (mb_store_open(tb_loc, NULL, &st, &d) != MB_OK)
		fail_msg("open: %s", d.msg);
	return st;
}

static struct mb_impact_row
row(const char *center, const char *day, const char *key, const char *lang,
    const char *cc, int64_t views, int64_t uniques)
{
	struct mb_impact_row r;

	memset(&r, 0, sizeof(r));
	snprintf(r.center, sizeof(r.center), "%s", center);
	snprintf(r.day, sizeof(r.day), "%s", day);
	snprintf(r.kind, sizeof(r.kind), "item");
	snprintf(r.key, sizeof(r.key), "%s", key);
	snprintf(r.lang, sizeof(r.lang), "%s", lang);
	snprintf(r.country, sizeof(r.country), "%s", cc);
	r.views = views;
	r.uniques = uniques;
	return r;
}

struct got {
	int			n;
	struct mb_impact_row	rows[16];
};

static int
collect(const struct mb_impact_row *r, void *arg)
{
	struct got *g = arg;

	if (g->n < 16)
		g->rows[g->n] = *r;
	g->n++;
	return MB_OK;
}

static struct got
query(struct mb_store *st, enum mb_impact_by by, const char *center,
    const char *from, const char *to)
{
	struct mb_impact_query	q;
	struct got		g;
	struct mb_diag		d = { "" };

	memset(&q, 0, sizeof(q));
	memset(&g, 0, sizeof(g));
	snprintf(q.from, sizeof(q.from), "%s", from);
	snprintf(q.to, sizeof(q.to), "%s", to);
	q.center = center;
	q.by = by;
	q.limit = 100;
	if (mb_store_impact_query(st, &q, collect, &g, &d) != MB_OK)
		fail_msg("query: %s", d.msg);
	return g;
}

static void
test_add_and_query(void **state)
{
	struct mb_store		*st = open_store();
	struct mb_impact_row	 r[3];
	struct got		 g;

	(void)state;
	r[0] = row("cairo", "2026-12-01", "cairo/a", "ar", "EG", 5, 2);
	r[1] = row("cairo", "2026-12-01", "cairo/b", "en", "BH", 3, 3);
	r[2] = row("cairo", "2026-12-02", "cairo/a", "ar", "EG", 1, 1);
	assert_int_equal(mb_store_impact_add(st, r, 3, NULL), MB_OK);
	/* Adding again adds: the minute's flush. */
	assert_int_equal(mb_store_impact_add(st, r, 1, NULL), MB_OK);

	g = query(st, MB_IMPACT_BY_ITEM, "cairo", "2026-12-01", "2026-12-31");
	assert_int_equal(g.n, 2);
	assert_string_equal(g.rows[0].key, "cairo/a");
	assert_int_equal(g.rows[0].views, 11);
	assert_int_equal(g.rows[0].uniques, 5);
	assert_string_equal(g.rows[0].lang, "");	/* not grouped */
	assert_string_equal(g.rows[1].key, "cairo/b");

	g = query(st, MB_IMPACT_BY_DAY, "cairo", "2026-12-01", "2026-12-31");
	assert_int_equal(g.n, 2);
	assert_string_equal(g.rows[0].day, "2026-12-01");
	assert_int_equal(g.rows[0].views, 13);
	assert_string_equal(g.rows[1].day, "2026-12-02");

	g = query(st, MB_IMPACT_BY_COUNTRY, "cairo", "2026-12-02",
	    "2026-12-02");
	assert_int_equal(g.n, 1);
	assert_string_equal(g.rows[0].country, "EG");
	assert_int_equal(g.rows[0].views, 1);

	g = query(st, MB_IMPACT_BY_LANGUAGE, "manama", "2026-12-01",
	    "2026-12-31");
	assert_int_equal(g.n, 0);
	mb_store_close(st);
}

static void
test_replace_and_centers(void **state)
{
	struct mb_store		*st = open_store();
	struct mb_impact_row	 r[2];
	struct got		 g;

	(void)state;
	r[0] = row("manama", "2026-12-01", "manama/x", "ar", "BH", 7, 4);
	r[1] = row("manama", "2026-12-01", "cairo/a", "ar", "BH", 2, 2);
	assert_int_equal(mb_store_impact_replace(st, "manama", "2026-12-01",
	    r, 2, NULL), MB_OK);
	/* A newer report of the day replaces the older, never adds. */
	r[0].views = 9;
	assert_int_equal(mb_store_impact_replace(st, "manama", "2026-12-01",
	    r, 1, NULL), MB_OK);
	r[0] = row("cairo", "2026-12-01", "cairo/a", "ar", "EG", 5, 2);
	assert_int_equal(mb_store_impact_add(st, r, 1, NULL), MB_OK);
	g = query(st, MB_IMPACT_BY_CENTER, NULL, "2026-12-01", "2026-12-01");
	assert_int_equal(g.n, 2);
	assert_string_equal(g.rows[0].center, "manama");
	assert_int_equal(g.rows[0].views, 9);
	assert_string_equal(g.rows[1].center, "cairo");
	assert_int_equal(mb_store_impact_replace(st, "manama", "2026-13-01",
	    r, 1, NULL), MB_ERR_INVAL);
	mb_store_close(st);
}

static void
test_prune_and_bounds(void **state)
{
	struct mb_store		*st = open_store();
	struct mb_impact_row	 r[2];
	struct mb_impact_query	 q;
	struct got		 g;
	int64_t			 n = 0;

	(void)state;
	r[0] = row("cairo", "2024-01-01", "cairo/old", "ar", "EG", 1, 1);
	r[1] = row("cairo", "2026-12-01", "cairo/new", "ar", "EG", 1, 1);
	assert_int_equal(mb_store_impact_add(st, r, 2, NULL), MB_OK);
	assert_int_equal(mb_store_impact_prune(st, "2024-11-01", &n, NULL),
	    MB_OK);
	assert_int_equal(n, 1);
	g = query(st, MB_IMPACT_BY_ITEM, "cairo", "2000-01-01", "2030-01-01");
	assert_int_equal(g.n, 1);
	assert_string_equal(g.rows[0].key, "cairo/new");

	memset(&q, 0, sizeof(q));
	snprintf(q.from, sizeof(q.from), "2026-12-01");
	snprintf(q.to, sizeof(q.to), "2026-12-01");
	q.limit = MB_IMPACT_ROWS_MAX + 1;
	assert_int_equal(mb_store_impact_query(st, &q, collect, &g, NULL),
	    MB_ERR_INVAL);
	q.limit = 10;
	q.by = MB_IMPACT_BY__N;
	assert_int_equal(mb_store_impact_query(st, &q, collect, &g, NULL),
	    MB_ERR_INVAL);
	mb_store_close(st);
}

static int
count_campaign(const struct mb_campaign *c, void *arg)
{
	(void)c;
	(*(int *)arg)++;
	return MB_OK;
}

static void
test_campaigns_and_state(void **state)
{
	struct mb_store		*st = open_store();
	struct mb_campaign	 c, got;
	int64_t			 id = 0;
	int			 n = 0;
	char			 v[32];

	(void)state;
	memset(&c, 0, sizeof(c));
	snprintf(c.name, sizeof(c.name), "Spring on the Nile");
	snprintf(c.utm, sizeof(c.utm), "spring-nile");
	snprintf(c.topics, sizeof(c.topics), "tourism,culture");
	snprintf(c.items, sizeof(c.items), "urn:mediabridge:cairo:a");
	snprintf(c.starts, sizeof(c.starts), "2026-03-01");
	snprintf(c.ends, sizeof(c.ends), "2026-03-31");
	assert_int_equal(mb_store_campaign_add(st, &c, &id, NULL), MB_OK);
	assert_true(id > 0);
	assert_int_equal(mb_store_campaign_add(st, &c, NULL, NULL),
	    MB_ERR_EXISTS);
	assert_int_equal(mb_store_campaign_get(st, id, &got, NULL), MB_OK);
	assert_string_equal(got.name, "Spring on the Nile");
	assert_string_equal(got.ends, "2026-03-31");
	assert_int_equal(mb_store_campaign_get(st, id + 7, &got, NULL),
	    MB_ERR_NOTFOUND);
	assert_int_equal(mb_store_campaign_list(st, count_campaign, &n, NULL),
	    MB_OK);
	assert_int_equal(n, 1);

	assert_int_equal(mb_store_impact_state_get(st, "report_seq", v,
	    sizeof(v), NULL), MB_OK);
	assert_string_equal(v, "");
	assert_int_equal(mb_store_impact_state_set(st, "report_seq", "42",
	    NULL), MB_OK);
	assert_int_equal(mb_store_impact_state_set(st, "report_seq", "43",
	    NULL), MB_OK);
	assert_int_equal(mb_store_impact_state_get(st, "report_seq", v,
	    sizeof(v), NULL), MB_OK);
	assert_string_equal(v, "43");
	mb_store_close(st);
}

static void
test_tables_are_full(void **state)
{
	(void)state;
	assert_int_equal(tb_ops_missing(&mb_sqlite_impact, 0,
	    sizeof(struct mb_store_impact_ops)), 0);
	assert_int_equal(tb_ops_missing(&mb_pg_impact, 0,
	    sizeof(struct mb_store_impact_ops)), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_add_and_query, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_replace_and_centers, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_prune_and_bounds, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_campaigns_and_state, setup,
		    teardown),
		cmocka_unit_test(test_tables_are_full),
	};

	tb_require();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
