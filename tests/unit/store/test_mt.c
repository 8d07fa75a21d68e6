/* SPDX-License-Identifier: MIT */
/* Unit tests for the machine translation domain on each backend: the cache, the glossary, machine drafts and staleness. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/mt_int.h"
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

static int
put(struct mb_store *st, const char *uri, int64_t version,
    const char *pub_status)
{
	struct mb_store_version	v;
	char			env[256];
	int64_t			seq;

	snprintf(env, sizeof(env), "{\"uri\":\"%s\",\"v\":%lld}", uri,
	    (long long)version);
	memset(&v, 0, sizeof(v));
	v.uri = uri;
	v.center = "cairo";
	v.local = strrchr(uri, ':') + 1;
	v.version = version;
	v.origin = "cairo";
	v.audience = "public";
	v.pub_status = pub_status;
	v.workflow = "draft";
	v.language = "es";
	v.created_ms = 1000 * version;
	v.first_ms = 1000;
	v.envelope = env;
	v.envelope_len = strlen(env);
	return mb_store_put(st, &v, NULL, &seq, NULL);
}

static void
test_tables_are_full(void **state)
{
	(void)state;
	assert_int_equal(tb_ops_missing(&mb_sqlite_mt, 0,
	    sizeof(struct mb_store_mt_ops)), 0);
	assert_int_equal(tb_ops_missing(&mb_pg_mt, 0,
	    sizeof(struct mb_store_mt_ops)), 0);
}

static void
test_cache(void **state)
{
	struct mb_store	*st = open_store();
	struct mb_diag	 d = { "" };
	char		*t = NULL, big[70000];
	int64_t		 at = 0;

	(void)state;
	assert_int_equal(mb_store_mt_cache_get(st, "k1", &t, &at, &d),
	    MB_ERR_NOTFOUND);
	assert_null(t);
	assert_int_equal(mb_store_mt_cache_put(st, "k1", "<p>hola</p>", 42,
	    &d), MB_OK);
	/* The same key again keeps the first: a key names one result. */
	assert_int_equal(mb_store_mt_cache_put(st, "k1", "<p>otro</p>", 43,
	    &d), MB_OK);
	assert_int_equal(mb_store_mt_cache_get(st, "k1", &t, &at, &d), MB_OK);
	assert_string_equal(t, "<p>hola</p>");
	assert_int_equal(at, 42);
	free(t);
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(mb_store_mt_cache_put(st, "k2", big, 1, &d), MB_OK);
	assert_int_equal(mb_store_mt_cache_get(st, "k2", &t, &at, &d), MB_OK);
	assert_int_equal(strlen(t), sizeof(big) - 1);
	free(t);
	mb_store_close(st);
}

struct terms {
	int			n;
	struct mb_store_mt_term	t[4];
};

static int
collect_term(const struct mb_store_mt_term *t, void *arg)
{
	struct terms *c = arg;

	if (c->n < 4)
		c->t[c->n] = *t;
	c->n++;
	return MB_OK;
}

static void
test_glossary(void **state)
{
	struct mb_store	*st = open_store();
	struct mb_diag	 d = { "" };
	struct terms	 c;
	int64_t		 a, b;

	(void)state;
	assert_int_equal(mb_store_mt_term_add(st, "en", "*", "Moscow House",
	    NULL, &a, &d), MB_OK);
	assert_int_equal(mb_store_mt_term_add(st, "en", "es", "media center",
	    "centro de medios", &b, &d), MB_OK);
	assert_true(b > a);
	assert_int_equal(mb_store_mt_term_add(st, "en", "*", "Moscow House",
	    "x", NULL, &d), MB_ERR_EXISTS);
	assert_non_null(strstr(d.msg, "Moscow House"));
	memset(&c, 0, sizeof(c));
	assert_int_equal(mb_store_mt_term_list(st, collect_term, &c, &d),
	    MB_OK);
	assert_int_equal(c.n, 2);
	assert_string_equal(c.t[0].term, "Moscow House");
	assert_string_equal(c.t[0].translation, "");
	assert_string_equal(c.t[1].dst, "es");
	assert_string_equal(c.t[1].translation, "centro de medios");
	assert_int_equal(mb_store_mt_term_remove(st, a, &d), MB_OK);
	assert_int_equal(mb_store_mt_term_remove(st, a, &d), MB_ERR_NOTFOUND);
	memset(&c, 0, sizeof(c));
	assert_int_equal(mb_store_mt_term_list(st, collect_term, &c, &d),
	    MB_OK);
	assert_int_equal(c.n, 1);
	/* An id is never given again, not even the largest one removed: a
	 * remove button left on a stale page must not remove another term. */
	assert_int_equal(mb_store_mt_term_remove(st, b, &d), MB_OK);
	assert_int_equal(mb_store_mt_term_add(st, "en", "*", "Cairo", NULL,
	    &a, &d), MB_OK);
	assert_true(a > b);
	mb_store_close(st);
}

/*
 * A SQLite store whose glossary was made by migration 1 (ids from the
 * rowid) keeps its terms and their ids through migration 2, and gives
 * no id again after it.
 */
static void
test_glossary_ids_migrated(void **state)
{
	struct mb_store	*st;
	struct mb_diag	 d = { "" };
	struct terms	 c;
	int64_t		 id;

	(void)state;
	if (tb_is_pg())
		skip();		/* BIGSERIAL from the start */
	st = open_store();
	mb_store_close(st);
	assert_int_equal(tb_exec("DROP TABLE mt_glossary;"
	    "CREATE TABLE mt_glossary ("
	    "  id INTEGER PRIMARY KEY,"
	    "  src TEXT NOT NULL,"
	    "  dst TEXT NOT NULL,"
	    "  term TEXT NOT NULL,"
	    "  translation TEXT NOT NULL DEFAULT '',"
	    "  UNIQUE (src, dst, term));"
	    "INSERT INTO mt_glossary VALUES (3, 'en', '*', 'Moscow House', ''),"
	    "  (7, 'en', 'es', 'media center', 'centro de medios');"
	    "UPDATE schema_domains SET version = 1 WHERE domain = 'mt'"), 0);
	st = open_store();
	assert_int_equal(tb_query_int("SELECT version FROM schema_domains "
	    "WHERE domain = 'mt'"), 2);
	memset(&c, 0, sizeof(c));
	assert_int_equal(mb_store_mt_term_list(st, collect_term, &c, &d),
	    MB_OK);
	assert_int_equal(c.n, 2);
	assert_int_equal(tb_query_int("SELECT id FROM mt_glossary WHERE term "
	    "= 'Moscow House'"), 3);
	assert_int_equal(tb_query_int("SELECT id FROM mt_glossary WHERE term "
	    "= 'media center' AND translation = 'centro de medios'"), 7);
	assert_int_equal(mb_store_mt_term_remove(st, 7, &d), MB_OK);
	assert_int_equal(mb_store_mt_term_add(st, "en", "*", "Cairo", NULL,
	    &id, &d), MB_OK);
	assert_int_equal(id, 8);
	mb_store_close(st);
}

struct drafts {
	int				n;
	struct mb_store_mt_draft	t[4];
};

static int
collect_draft(const struct mb_store_mt_draft *t, void *arg)
{
	struct drafts *c = arg;

	if (c->n < 4)
		c->t[c->n] = *t;
	c->n++;
	return MB_OK;
}

static void
test_drafts_and_staleness(void **state)
{
	struct mb_store			*st = open_store();
	struct mb_store_mt_draft	 dr;
	struct mb_diag			 d = { "" };
	struct drafts			 c;
	const char			*orig = "urn:mediabridge:moscow:o";
	const char			*es = "urn:mediabridge:cairo:es";
	const char			*pt = "urn:mediabridge:cairo:pt";

	(void)state;
	assert_int_equal(put(st, orig, 1, "usable"), MB_OK);
	assert_int_equal(put(st, es, 1, "usable"), MB_OK);
	assert_int_equal(put(st, pt, 1, "usable"), MB_OK);
	assert_int_equal(mb_store_mt_draft_put(st, es, orig, 1, "es", 10, &d),
	    MB_OK);
	assert_int_equal(mb_store_mt_draft_put(st, pt, orig, 1, "pt", 11, &d),
	    MB_OK);
	assert_int_equal(mb_store_mt_draft_find(st, orig, "es", &dr, &d),
	    MB_OK);
	assert_string_equal(dr.uri, es);
	assert_int_equal(dr.of_version, 1);
	assert_int_equal(mb_store_mt_draft_find(st, orig, "fr", &dr, &d),
	    MB_ERR_NOTFOUND);

	memset(&c, 0, sizeof(c));
	assert_int_equal(mb_store_mt_stale_list(st, collect_draft, &c, &d),
	    MB_OK);
	assert_int_equal(c.n, 0);
	/* The original moves on: both are stale, with its version. */
	assert_int_equal(put(st, orig, 2, "usable"), MB_OK);
	memset(&c, 0, sizeof(c));
	assert_int_equal(mb_store_mt_stale_list(st, collect_draft, &c, &d),
	    MB_OK);
	assert_int_equal(c.n, 2);
	assert_string_equal(c.t[0].uri, es);
	assert_int_equal(c.t[0].of_version, 1);
	assert_int_equal(c.t[0].current, 2);
	assert_string_equal(c.t[1].language, "pt");
	/* Made again: up to date. A canceled translation is not listed. */
	assert_int_equal(mb_store_mt_draft_put(st, es, orig, 2, "es", 12, &d),
	    MB_OK);
	assert_int_equal(put(st, pt, 2, "canceled"), MB_OK);
	memset(&c, 0, sizeof(c));
	assert_int_equal(mb_store_mt_stale_list(st, collect_draft, &c, &d),
	    MB_OK);
	assert_int_equal(c.n, 0);
	assert_int_equal(mb_store_mt_draft_find(st, orig, "pt", &dr, &d),
	    MB_ERR_NOTFOUND);
	assert_int_equal(mb_store_mt_draft_find(st, orig, "es", &dr, &d),
	    MB_OK);
	assert_int_equal(dr.of_version, 2);
	assert_int_equal(tb_query_int("SELECT count(*) FROM mt_drafts"), 2);
	mb_store_close(st);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tables_are_full),
		cmocka_unit_test_setup_teardown(test_cache, setup, teardown),
		cmocka_unit_test_setup_teardown(test_glossary, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_glossary_ids_migrated,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_drafts_and_staleness,
		    setup, teardown),
	};

	tb_require();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
