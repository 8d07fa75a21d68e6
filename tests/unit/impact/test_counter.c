/* SPDX-License-Identifier: MIT */
/* Unit tests for impact's counter: views, uniques, the day's key, bounds, floods, the flush. */
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
#include "base/utf8.h"
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
	/* A browser's prefetch or prerender: nobody read it (yet). */
	h.staff = false;
	h.purpose = "prefetch;prerender";
	assert_int_equal(mb_impact_count(im, &h, T0), MB_IMPACT_PREFETCH);
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

/* The uniques of utm_source s0's row, and of the others with a source. */
struct sources {
	int64_t	s0, rest, views, uniques;
	int	rows;
};

static int
on_source(const struct mb_impact_row *r, void *arg)
{
	struct sources *s = arg;

	if (strcmp(r->source, "s0") == 0)
		s->s0 += r->uniques;
	else if (r->source[0] != '\0')
		s->rest += r->uniques;
	s->views += r->views;
	s->uniques += r->uniques;
	s->rows++;
	return MB_OK;
}

/* The views and uniques the store holds for one kind and key that day. */
static struct sum
of(struct mb_store *st, const char *day, const char *kind, const char *key)
{
	struct mb_impact_query	q;
	struct sum		s;

	memset(&q, 0, sizeof(q));
	memset(&s, 0, sizeof(s));
	memcpy(q.from, day, MB_IMPACT_DAY_LEN);
	memcpy(q.to, day, MB_IMPACT_DAY_LEN);
	q.kind = kind;
	q.key = key;
	q.by = MB_IMPACT_BY_ITEM;
	q.limit = 1000;
	assert_int_equal(mb_store_impact_query(st, &q, on_row, &s, NULL),
	    MB_OK);
	return s;
}

static void
rm(const char *dir)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

/*
 * One reader is one unique of an item that day, whatever link brought
 * them: the referrer and the utm_* tags are the reader's to choose, and
 * were part of what told a new visitor (5 sources and 3 referrers were
 * 8 uniques). The unique goes to the aggregate of the first view.
 */
static void
test_unique_whatever_the_link(void **state)
{
	char			 dir[] = "/tmp/mb-impact-XXXXXX", day[16];
	char			 src[16], ref[64];
	struct mb_store		*st = store(dir);
	struct mb_impact	*im = counter(0, 0);
	struct mb_impact_hit	 h = hit("cairo/a", "192.0.2.1", "Firefox");
	struct mb_impact_query	 q;
	struct sum		 s;
	struct sources		 first;
	int64_t			 now = mb_time_now_ms();

	(void)state;
	mb_impact_day(now, day);
	for (int i = 0; i < 5; i++) {
		snprintf(src, sizeof(src), "s%d", i);
		h.utm_source = src;
		assert_int_equal(mb_impact_count(im, &h, now),
		    MB_IMPACT_COUNTED);
	}
	h.utm_source = NULL;
	for (int i = 0; i < 3; i++) {
		snprintf(ref, sizeof(ref), "https://r%d.example.com/", i);
		h.referer = ref;
		assert_int_equal(mb_impact_count(im, &h, now),
		    MB_IMPACT_COUNTED);
	}
	/* Another item, and the same in another language: new to each. */
	h.referer = NULL;
	h.key = "cairo/b";
	mb_impact_count(im, &h, now);
	h.key = "cairo/a";
	h.lang = "en";
	mb_impact_count(im, &h, now);
	/* Another reader through a link already seen: a unique. */
	h.lang = "ar";
	h.peer = "192.0.2.2";
	h.referer = "https://r0.example.com/";
	mb_impact_count(im, &h, now);
	assert_int_equal(mb_impact_flush(im, st, NULL), MB_OK);

	memset(&q, 0, sizeof(q));
	s = of(st, day, "item", "cairo/a");
	assert_int_equal(s.views, 10);
	assert_int_equal(s.uniques, 3);		/* ar twice, en once */
	s = of(st, day, "item", "cairo/b");
	assert_int_equal(s.views, 1);
	assert_int_equal(s.uniques, 1);
	/*
	 * Credited to the first view's aggregate: utm_source s0's has the
	 * first reader's unique of "ar", the rest of their views none.
	 */
	memcpy(q.from, day, MB_IMPACT_DAY_LEN);
	memcpy(q.to, day, MB_IMPACT_DAY_LEN);
	q.by = MB_IMPACT_BY_SOURCE;
	q.limit = 1000;
	memset(&first, 0, sizeof(first));
	assert_int_equal(mb_store_impact_query(st, &q, on_source, &first,
	    NULL), MB_OK);
	assert_int_equal(first.rows, 6);	/* s0..s4 and none */
	assert_int_equal(first.views, 11);
	assert_int_equal(first.uniques, 4);
	assert_int_equal(first.s0, 1);
	assert_int_equal(first.rest, 0);
	mb_impact_free(im);
	mb_store_close(st);
	rm(dir);
}

/*
 * A flood of made-up utm_campaign values from one client filled the
 * day's aggregates, and every view after it was "(other)" (or lost): the
 * referrers and campaigns may fill half the room, and beyond it a view
 * is counted under what was read, without them.
 */
static void
test_flood_of_campaigns(void **state)
{
	char			 dir[] = "/tmp/mb-impact-XXXXXX", day[16];
	char			 camp[32], peer[32];
	struct mb_store		*st = store(dir);
	struct mb_impact	*im = counter(100, 0);
	struct mb_impact_hit	 h = hit("/", "192.0.2.66", "Firefox");
	struct sum		 s;
	int64_t			 now = mb_time_now_ms();

	(void)state;
	mb_impact_day(now, day);
	/* A campaign that was there before the flood keeps its row. */
	h.kind = "item";
	h.key = "cairo/a";
	h.utm_campaign = "spring";
	assert_int_equal(mb_impact_count(im, &h, now), MB_IMPACT_COUNTED);
	h.kind = "page";
	h.key = "/";
	for (int i = 0; i < 1000; i++) {
		snprintf(camp, sizeof(camp), "x%d", i);
		h.utm_campaign = camp;
		(void)mb_impact_count(im, &h, now);
	}
	/* Real readers afterwards: their items and feeds, each its own. */
	for (int i = 0; i < 3; i++) {
		struct mb_impact_hit r;

		snprintf(peer, sizeof(peer), "198.51.100.%d", i + 1);
		r = hit("cairo/a", peer, "Firefox");
		assert_int_equal(mb_impact_count(im, &r, now),
		    MB_IMPACT_COUNTED);
		r.kind = "feed";
		r.key = "/feeds/ar.atom";
		assert_int_equal(mb_impact_count(im, &r, now),
		    MB_IMPACT_COUNTED);
		/* Through a new campaign: counted, without it. */
		r.kind = "item";
		r.key = "cairo/a";
		r.utm_campaign = "autumn";
		assert_int_equal(mb_impact_count(im, &r, now),
		    MB_IMPACT_TRIMMED);
		/* Through the campaign known before: as before. */
		r.utm_campaign = "spring";
		assert_int_equal(mb_impact_count(im, &r, now),
		    MB_IMPACT_COUNTED);
	}
	assert_int_equal(mb_impact_flush(im, st, NULL), MB_OK);
	s = of(st, day, "item", "cairo/a");
	assert_int_equal(s.views, 10);
	assert_int_equal(s.uniques, 4);
	s = of(st, day, "feed", "/feeds/ar.atom");
	assert_int_equal(s.views, 3);
	assert_int_equal(s.uniques, 3);
	/* The flood itself: every view, one unique, half the room. */
	s = of(st, day, "page", "/");
	assert_int_equal(s.views, 1000);
	assert_int_equal(s.uniques, 1);
	s = totals(st, day);
	assert_int_equal(s.views, 1013);
	assert_true(s.rows <= 100);
	mb_impact_free(im);
	mb_store_close(st);
	rm(dir);
}

/*
 * Full, every kind's views still count under its own "(other)": there
 * was room for one "(other)" in all, and the next kind's views were lost.
 */
static void
test_other_of_each_kind(void **state)
{
	char			 dir[] = "/tmp/mb-impact-XXXXXX", day[16];
	char			 key[32];
	const char		*kinds[] = { "item", "page", "feed", "media" };
	struct mb_store		*st = store(dir);
	struct mb_impact	*im = counter(8, 0);
	struct mb_impact_hit	 h = hit("", "192.0.2.1", "Firefox");
	struct sum		 s;
	int64_t			 now = mb_time_now_ms();

	(void)state;
	mb_impact_day(now, day);
	for (int i = 0; i < 8; i++) {
		snprintf(key, sizeof(key), "cairo/%d", i);
		h.key = key;
		assert_int_equal(mb_impact_count(im, &h, now),
		    MB_IMPACT_COUNTED);
	}
	for (int k = 0; k < 4; k++) {
		h.kind = kinds[k];
		for (int i = 0; i < 2; i++) {
			snprintf(key, sizeof(key), "/%s/%d", kinds[k], i);
			h.key = key;
			assert_int_equal(mb_impact_count(im, &h, now),
			    MB_IMPACT_FULL);
		}
	}
	assert_int_equal(mb_impact_pending(im), 16);
	assert_int_equal(mb_impact_flush(im, st, NULL), MB_OK);
	for (int k = 0; k < 4; k++) {
		s = of(st, day, kinds[k], "(other)");
		assert_int_equal(s.views, 2);
		/* Two pages read by one reader: two uniques. */
		assert_int_equal(s.uniques, 2);
	}
	mb_impact_free(im);
	mb_store_close(st);
	rm(dir);
}

/* Every key the store holds that day is UTF-8 and not cut. */
static int
on_utf8(const struct mb_impact_row *r, void *arg)
{
	int *n = arg;

	assert_true(mb_utf8_valid(r->key, strlen(r->key)));
	(*n)++;
	return MB_OK;
}

/*
 * A path decoded from the reader's URL is any bytes: counted as they
 * were, a key not UTF-8 made the day's report fail (and HQ's round
 * with it) and a label of stray continuation bytes overran the chart.
 * A byte that starts no character is "?"; a character is never cut.
 */
static void
test_keys_utf8(void **state)
{
	char			 dir[] = "/tmp/mb-impact-XXXXXX", day[16];
	char			 key[300];
	struct mb_store		*st = store(dir);
	struct mb_impact	*im = counter(0, 0);
	struct mb_impact_hit	 h = hit("", "192.0.2.1", "Firefox");
	struct mb_impact_query	 q;
	struct sum		 s;
	int			 n = 0;
	int64_t			 now = mb_time_now_ms();

	(void)state;
	mb_impact_day(now, day);
	h.kind = "feed";
	h.key = "/feeds/topics/caf\xe9.atom";
	assert_int_equal(mb_impact_count(im, &h, now), MB_IMPACT_COUNTED);
	strcpy(key, "/feeds/topics/A");
	memset(key + strlen(key), 0x80, 140);
	strcpy(key + 15 + 140, ".atom");
	h.key = key;
	assert_int_equal(mb_impact_count(im, &h, now), MB_IMPACT_COUNTED);
	/* UTF-8 as it is, cut before a character rather than in it. */
	h.key = "/feeds/topics/caf\xc3\xa9.atom";
	assert_int_equal(mb_impact_count(im, &h, now), MB_IMPACT_COUNTED);
	memset(key, 'a', 158);
	memcpy(key + 158, "\xc3\xa9", 3);
	h.key = key;
	assert_int_equal(mb_impact_count(im, &h, now), MB_IMPACT_COUNTED);
	assert_int_equal(mb_impact_flush(im, st, NULL), MB_OK);
	s = of(st, day, "feed", "/feeds/topics/caf?.atom");
	assert_int_equal(s.views, 1);
	s = of(st, day, "feed", "/feeds/topics/caf\xc3\xa9.atom");
	assert_int_equal(s.views, 1);
	key[158] = '\0';
	s = of(st, day, "feed", key);
	assert_int_equal(s.views, 1);
	memset(&q, 0, sizeof(q));
	memcpy(q.from, day, MB_IMPACT_DAY_LEN);
	memcpy(q.to, day, MB_IMPACT_DAY_LEN);
	q.by = MB_IMPACT_BY_ITEM;
	q.limit = 1000;
	assert_int_equal(mb_store_impact_query(st, &q, on_utf8, &n, NULL),
	    MB_OK);
	assert_int_equal(n, 4);
	mb_impact_free(im);
	mb_store_close(st);
	rm(dir);
}

/*
 * A topic's feed answers any name: 100k made-up ones from one client
 * filled the day's room, and the items read after it were "(other)".
 * Made-up keys share half the room, then go to the kind's "(other)".
 */
static void
test_flood_of_topics(void **state)
{
	char			 dir[] = "/tmp/mb-impact-XXXXXX", day[16];
	char			 key[64], peer[32];
	struct mb_store		*st = store(dir);
	struct mb_impact	*im = counter(100, 0);
	struct mb_impact_hit	 h = hit("", "192.0.2.66", "Firefox");
	struct sum		 s;
	int64_t			 now = mb_time_now_ms();

	(void)state;
	mb_impact_day(now, day);
	h.kind = "feed";
	h.key_chosen = true;
	/* A topic read before the flood keeps its row. */
	h.key = "/feeds/topics/nile.atom";
	assert_int_equal(mb_impact_count(im, &h, now), MB_IMPACT_COUNTED);
	for (int i = 0; i < 1000; i++) {
		snprintf(key, sizeof(key), "/feeds/topics/t%d.atom", i);
		h.key = key;
		(void)mb_impact_count(im, &h, now);
	}
	h.key = "/feeds/topics/nile.atom";
	assert_int_equal(mb_impact_count(im, &h, now), MB_IMPACT_COUNTED);
	/* Real readers afterwards: their items, each its own row. */
	for (int i = 0; i < 40; i++) {
		struct mb_impact_hit r;

		snprintf(key, sizeof(key), "cairo/%d", i);
		snprintf(peer, sizeof(peer), "198.51.100.%d", i + 1);
		r = hit(key, peer, "Firefox");
		assert_int_equal(mb_impact_count(im, &r, now),
		    MB_IMPACT_COUNTED);
	}
	assert_int_equal(mb_impact_flush(im, st, NULL), MB_OK);
	s = of(st, day, "item", "cairo/39");
	assert_int_equal(s.views, 1);
	s = of(st, day, "feed", "/feeds/topics/nile.atom");
	assert_int_equal(s.views, 2);
	s = of(st, day, "feed", "(other)");
	assert_true(s.views >= 1000 - 50);
	s = totals(st, day);
	assert_int_equal(s.views, 1042);
	mb_impact_free(im);
	mb_store_close(st);
	rm(dir);
}

static int
on_country(const struct mb_impact_row *r, void *arg)
{
	assert_string_equal(r->country, "unknown");
	(*(int *)arg)++;
	return MB_OK;
}

/*
 * Without a country (no geo database here), the row's country is
 * "unknown" as docs/impact.md says, not "unk": a report sends its
 * summed row as "unknown", and peers took it as too long for the field.
 */
static void
test_country_unknown(void **state)
{
	char			 dir[] = "/tmp/mb-impact-XXXXXX", day[16];
	struct mb_store		*st = store(dir);
	struct mb_impact	*im = counter(0, 0);
	struct mb_impact_hit	 h = hit("cairo/a", "192.0.2.1", "Firefox");
	struct mb_impact_query	 q;
	int			 n = 0;
	int64_t			 now = mb_time_now_ms();

	(void)state;
	mb_impact_day(now, day);
	assert_int_equal(mb_impact_count(im, &h, now), MB_IMPACT_COUNTED);
	assert_int_equal(mb_impact_flush(im, st, NULL), MB_OK);
	memset(&q, 0, sizeof(q));
	memcpy(q.from, day, MB_IMPACT_DAY_LEN);
	memcpy(q.to, day, MB_IMPACT_DAY_LEN);
	q.by = MB_IMPACT_BY_COUNTRY;
	q.limit = 10;
	assert_int_equal(mb_store_impact_query(st, &q, on_country, &n, NULL),
	    MB_OK);
	assert_int_equal(n, 1);
	mb_impact_free(im);
	mb_store_close(st);
	rm(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_views_and_uniques),
		cmocka_unit_test(test_flush_and_new_day),
		cmocka_unit_test(test_bounded),
		cmocka_unit_test(test_unique_whatever_the_link),
		cmocka_unit_test(test_other_of_each_kind),
		cmocka_unit_test(test_flood_of_campaigns),
		cmocka_unit_test(test_keys_utf8),
		cmocka_unit_test(test_country_unknown),
		cmocka_unit_test(test_flood_of_topics),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
