/* SPDX-License-Identifier: MIT */
/* Unit tests for the feeds domain on each backend: sources, state, entries. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/feeds_int.h"
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

static void
source(struct mb_feed_source *s, const char *url)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->url, sizeof(s->url), "%s", url);
	snprintf(s->language, sizeof(s->language), "ar");
	snprintf(s->topics, sizeof(s->topics), "politics,economy");
	snprintf(s->audience, sizeof(s->audience), "public");
	snprintf(s->workflow, sizeof(s->workflow), "draft");
	s->every_s = 900;
	s->next_poll_ms = 5;
}

static int
count(const struct mb_feed_source *s, void *arg)
{
	int *n = arg;

	assert_true(s->id > 0);
	(*n)++;
	return MB_OK;
}

static void
test_tables_are_full(void **state)
{
	(void)state;
	assert_int_equal(tb_ops_missing(&mb_sqlite_feeds, 0,
	    sizeof(struct mb_store_feeds_ops)), 0);
	assert_int_equal(tb_ops_missing(&mb_pg_feeds, 0,
	    sizeof(struct mb_store_feeds_ops)), 0);
}

static void
test_sources(void **state)
{
	struct mb_store		*st = open_store();
	struct mb_feed_source	 s, g;
	struct mb_diag		 d = { "" };
	int64_t			 id, id2;
	int			 n = 0;

	(void)state;
	source(&s, "https://wire.example/a.xml");
	assert_int_equal(mb_store_feed_add(st, &s, &id, &d), MB_OK);
	/* The same url twice is refused, nothing changed. */
	assert_int_equal(mb_store_feed_add(st, &s, NULL, &d), MB_ERR_EXISTS);
	assert_non_null(strstr(d.msg, "already a source"));
	source(&s, "https://wire.example/b.xml");
	s.allow_private = true;
	assert_int_equal(mb_store_feed_add(st, &s, &id2, NULL), MB_OK);
	assert_int_equal(mb_store_feed_list(st, count, &n, NULL), MB_OK);
	assert_int_equal(n, 2);
	assert_int_equal(mb_store_feed_get(st, id2, &g, NULL), MB_OK);
	assert_string_equal(g.url, "https://wire.example/b.xml");
	assert_string_equal(g.topics, "politics,economy");
	assert_true(g.allow_private);
	assert_int_equal(g.every_s, 900);
	assert_int_equal(g.next_poll_ms, 5);
	assert_true(g.created_ms > 0);

	/* State saved; a permanent redirect moves the url. */
	snprintf(g.etag, sizeof(g.etag), "\"v1\"");
	snprintf(g.last_error, sizeof(g.last_error), "connect: refused");
	snprintf(g.title, sizeof(g.title), "Wire B");
	snprintf(g.url, sizeof(g.url), "https://wire.example/b2.xml");
	g.failures = 3;
	g.entries = 7;
	g.updates = 1;
	g.next_poll_ms = 123456;
	assert_int_equal(mb_store_feed_save(st, &g, NULL), MB_OK);
	memset(&s, 0, sizeof(s));
	assert_int_equal(mb_store_feed_get(st, id2, &s, NULL), MB_OK);
	assert_string_equal(s.url, "https://wire.example/b2.xml");
	assert_string_equal(s.etag, "\"v1\"");
	assert_string_equal(s.last_error, "connect: refused");
	assert_string_equal(s.title, "Wire B");
	assert_int_equal(s.failures, 3);
	assert_int_equal(s.entries, 7);
	assert_int_equal(s.next_poll_ms, 123456);
	/* Moving onto another source's url is refused. */
	snprintf(s.url, sizeof(s.url), "https://wire.example/a.xml");
	assert_int_equal(mb_store_feed_save(st, &s, &d), MB_ERR_EXISTS);
	s.id = 999;
	assert_int_equal(mb_store_feed_save(st, &s, NULL), MB_ERR_NOTFOUND);

	assert_int_equal(mb_store_feed_remove(st, id, NULL), MB_OK);
	assert_int_equal(mb_store_feed_remove(st, id, NULL), MB_ERR_NOTFOUND);
	assert_int_equal(mb_store_feed_get(st, id, &g, &d), MB_ERR_NOTFOUND);
	assert_non_null(strstr(d.msg, "no such source"));
	mb_store_close(st);
}

static void
test_entries(void **state)
{
	struct mb_store		*st = open_store();
	struct mb_feed_source	 s;
	struct mb_feed_seen	 e, g;
	int64_t			 id;

	(void)state;
	source(&s, "https://wire.example/c.xml");
	assert_int_equal(mb_store_feed_add(st, &s, &id, NULL), MB_OK);
	assert_int_equal(mb_store_feed_entry_get(st, id, "guid-1", &g, NULL),
	    MB_ERR_NOTFOUND);
	memset(&e, 0, sizeof(e));
	snprintf(e.uri, sizeof(e.uri), "urn:mediabridge:cairo:f1");
	snprintf(e.hash, sizeof(e.hash), "h1");
	e.version = 1;
	assert_int_equal(mb_store_feed_entry_put(st, id, "guid-1", &e, NULL),
	    MB_OK);
	e.version = 2;
	snprintf(e.hash, sizeof(e.hash), "h2");
	assert_int_equal(mb_store_feed_entry_put(st, id, "guid-1", &e, NULL),
	    MB_OK);
	assert_int_equal(mb_store_feed_entry_get(st, id, "guid-1", &g, NULL),
	    MB_OK);
	assert_string_equal(g.uri, "urn:mediabridge:cairo:f1");
	assert_int_equal(g.version, 2);
	assert_string_equal(g.hash, "h2");
	/* A claim records only a key without a record (one poll wins). */
	snprintf(e.uri, sizeof(e.uri), "urn:mediabridge:cairo:f2");
	assert_int_equal(mb_store_feed_entry_claim(st, id, "guid-1", &e, NULL),
	    MB_ERR_EXISTS);
	assert_int_equal(mb_store_feed_entry_claim(st, id, "guid-2", &e, NULL),
	    MB_OK);
	assert_int_equal(mb_store_feed_entry_claim(st, id, "guid-2", &e, NULL),
	    MB_ERR_EXISTS);
	assert_int_equal(mb_store_feed_entry_get(st, id, "guid-1", &g, NULL),
	    MB_OK);
	assert_string_equal(g.uri, "urn:mediabridge:cairo:f1");
	assert_int_equal(tb_query_int("SELECT count(*) FROM feeds_entries"), 2);
	/* Keys are per source. */
	assert_int_equal(mb_store_feed_entry_get(st, id + 1, "guid-1", &g,
	    NULL), MB_ERR_NOTFOUND);
	/* Removing the source removes its entries' records. */
	assert_int_equal(mb_store_feed_remove(st, id, NULL), MB_OK);
	assert_int_equal(tb_query_int("SELECT count(*) FROM feeds_entries"), 0);
	mb_store_close(st);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tables_are_full),
		cmocka_unit_test_setup_teardown(test_sources, setup, teardown),
		cmocka_unit_test_setup_teardown(test_entries, setup, teardown),
	};

	tb_require();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
