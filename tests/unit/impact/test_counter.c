/* SPDX-License-Identifier: MIT */
/* Unit tests for impact's counter: views, uniques, the day's key, bounds, the flush. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/timeutil.h"
#include "impact/impact.h"
#include "store/store.h"

#define DAY INT64_C(86400000)
#define T0 (INT64_C(20427) * DAY + 3600000)	/* 2025-12-06 01:00 UTC */

static struct mb_impact_hit
hit(const char *key, const char *peer, const char *ua)
{
	struct mb_impact_hit h;

	memset(&h, 0, sizeof(h));
	h.kind = "item";
	h.key = key;
	h.lang = "ar";
	h.peer = peer;
	h.user_agent = ua;
	return h;
}

static struct mb_impact *
counter(size_t max_rows, size_t max_vis)
{
	struct mb_impact_opts	 o;
	struct mb_impact	*im;
	struct mb_diag		 d = { "" };

	memset(&o, 0, sizeof(o));
	o.center = "cairo";
	o.geo_db = "";
	o.max_rows = max_rows;
	o.max_visitors = max_vis;
	if (mb_impact_new(&o, &im, &d) != MB_OK)
		fail_msg("new: %s", d.msg);
	return im;
}

struct sum {
	int64_t	views, uniques;
	int	rows;
	char	day[16];
};

static int
on_row(const struct mb_impact_row *r, void *arg)
{
	struct sum *s = arg;

	s->views += r->views;
	s->uniques += r->uniques;
	s->rows++;
	snprintf(s->day, sizeof(s->day), "%s", r->day);
	return MB_OK;
}

static struct mb_store *
store(char *dir)
{
	struct mb_store	*st;
	char		 loc[300];
	struct mb_diag	 d = { "" };

	if (mkdtemp(dir) == NULL)
		fail_msg("mkdtemp");
	snprintf(loc, sizeof(loc), "sqlite:%s/store.db", dir);
	if (mb_store_open(loc, NULL, &st, &d) != MB_OK)
		fail_msg("open: %s", d.msg);
	return st;
}

static struct sum
totals(struct mb_store *st, const char *day)
{
	struct mb_impact_query	q;
	struct sum		s;

	memset(&q, 0, sizeof(q));
	memset(&s, 0, sizeof(s));
	memcpy(q.from, day, MB_IMPACT_DAY_LEN);
	memcpy(q.to, day, MB_IMPACT_DAY_LEN);
	q.by = MB_IMPACT_BY_ITEM;
	q.limit = 1000;
	assert_int_equal(mb_store_impact_query(st, &q, on_row, &s, NULL),
	    MB_OK);
	return s;
}

static void
test_views_and_uniques(void **state)
{
	struct mb_impact	*im = counter(0, 0);
	struct mb_impact_hit	 h = hit("cairo/a", "192.0.2.1", "Firefox");

	(void)state;
	/* A flood from one reader: every view, one unique. */
	for (int i = 0; i < 1000; i++)
		assert_int_equal(mb_impact_count(im, &h, T0 + i), 0);
	h.user_agent = "Chrome";
	assert_int_equal(mb_impact_count(im, &h, T0), MB_IMPACT_COUNTED);
	h.user_agent = "Googlebot";
	assert_int_equal(mb_impact_count(im, &h, T0), MB_IMPACT_BOT);
	h.user_agent = "Firefox";
	h.opt_out = true;
	assert_int_equal(mb_impact_count(im, &h, T0), MB_IMPACT_OPT_OUT);
	h.opt_out = false;
	h.staff = true;
	assert_int_equal(mb_impact_count(im, &h, T0), MB_IMPACT_STAFF);
	assert_int_equal(mb_impact_pending(im), 1001);
	mb_impact_free(im);
}

static void
test_flush_and_new_day(void **state)
{
	char			 dir[] = "/tmp/mb-impact-XXXXXX", cmd[300];
	struct mb_store		*st = store(dir);
	struct mb_impact	*im = counter(0, 0);
	struct mb_impact_hit	 h = hit("cairo/a", "192.0.2.1", "Firefox");
	struct sum		 s;
	int64_t			 now = mb_time_now_ms();

	(void)state;
	for (int i = 0; i < 3; i++)
		mb_impact_count(im, &h, now);
	assert_int_equal(mb_impact_flush(im, st, NULL), MB_OK);
	assert_int_equal(mb_impact_pending(im), 0);
	/* The same reader after a flush is still not new today. */
	mb_impact_count(im, &h, now);
	h.peer = "192.0.2.2";
	mb_impact_count(im, &h, now);
	assert_int_equal(mb_impact_flush(im, st, NULL), MB_OK);
	{
		char day[16];

		mb_impact_day(now, day);
		s = totals(st, day);
	}
	assert_int_equal(s.views, 5);
	assert_int_equal(s.uniques, 2);
	assert_int_equal(s.rows, 1);
	/* Tomorrow, with a new key: the same reader is a new unique. */
	h.peer = "192.0.2.1";
	mb_impact_count(im, &h, now + DAY);
	mb_impact_count(im, &h, now + DAY);
	assert_int_equal(mb_impact_pending(im), 2);
	mb_impact_free(im);
	mb_store_close(st);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

static void
test_bounded(void **state)
{
	struct mb_impact	*im = counter(8, 16);
	char			 key[32], peer[32];

	(void)state;
	/* More items than rows: the rest is "(other)", still counted. */
	for (int i = 0; i < 50; i++) {
		struct mb_impact_hit h;

		snprintf(key, sizeof(key), "cairo/%d", i);
		snprintf(peer, sizeof(peer), "192.0.2.%d", i % 200);
		h = hit(key, peer, "Firefox");
		(void)mb_impact_count(im, &h, T0);
	}
	assert_int_equal(mb_impact_pending(im), 50);
	/* More visitors than the set holds: counted, never unbounded. */
	for (int i = 0; i < 5000; i++) {
		struct mb_impact_hit h;

		snprintf(peer, sizeof(peer), "198.51.%d.%d", i / 250, i % 250);
		h = hit("cairo/0", peer, "Firefox");
		(void)mb_impact_count(im, &h, T0);
	}
	assert_int_equal(mb_impact_pending(im), 5050);
	mb_impact_free(im);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_views_and_uniques),
		cmocka_unit_test(test_flush_and_new_day),
		cmocka_unit_test(test_bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
