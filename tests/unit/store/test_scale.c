/* SPDX-License-Identifier: MIT */
/* Unit tests for the scale domain on each backend: counts kept exact as rows change, topic and country pages read in index order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "store/store.h"
#include "store/sql.h"

#include "backend.h"

/* The backends' SQL dialects (sqlite.c, pg.c), for the plans below. */
extern const struct mb_sql_dialect mb_sqlite_dialect, mb_pg_dialect;

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

/* Item i of center c, version ver, first_ms, with topics (JSON array). */
static int
put(struct mb_store *st, const char *c, int i, int64_t ver, int64_t first,
    const char *subjects, bool text)
{
	struct mb_store_version	v;
	struct mb_store_text	t = { "en", "headline", "body" };
	char			uri[64], local[16], env[512];
	int64_t			seq;

	snprintf(local, sizeof(local), "n%d", i);
	snprintf(uri, sizeof(uri), "urn:mediabridge:%s:%s", c, local);
	snprintf(env, sizeof(env), "{\"uri\":\"%s\",\"v\":%lld,\"item\":"
	    "{\"subjects\":%s}}", uri, (long long)ver, subjects);
	memset(&v, 0, sizeof(v));
	v.uri = uri;
	v.center = c;
	v.local = local;
	v.version = ver;
	v.origin = c;
	v.audience = "public";
	v.pub_status = "usable";
	v.workflow = "published";
	v.language = "en";
	v.created_ms = first;
	v.first_ms = first;
	v.envelope = env;
	v.envelope_len = strlen(env);
	return mb_store_put(st, &v, text ? &t : NULL, &seq, NULL);
}

/* The store's counts against count(*) read behind its back. */
static void
assert_counts(struct mb_store *st)
{
	struct mb_store_stats	s;
	struct mb_diag		d = { "" };

	assert_int_equal(mb_store_stats(st, &s, &d), MB_OK);
	assert_int_equal(s.items, tb_query_int("SELECT count(*) FROM items"));
	assert_int_equal(s.versions,
	    tb_query_int("SELECT count(*) FROM versions"));
	assert_int_equal(s.unindexed,
	    tb_query_int("SELECT count(*) FROM fts_pending"));
}

static int
give_text(const struct mb_store_version *v, struct mb_store_text *t,
    void *arg)
{
	(void)v;
	(void)arg;
	t->language = "en";
	t->headline = "h";
	t->body = "b";
	return MB_OK;
}

static void
test_counts_exact(void **state)
{
	struct mb_store	*st;
	struct mb_diag	 d = { "" };
	int64_t		 done = 0;

	(void)state;
	st = open_store();
	assert_counts(st);
	for (int i = 0; i < 40; i++)
		assert_int_equal(put(st, "cairo", i, 1, 1000 + i, "[]",
		    i % 2 == 0), MB_OK);
	assert_counts(st);
	/* New versions: the item count stays, versions grow. */
	for (int i = 0; i < 10; i++)
		assert_int_equal(put(st, "cairo", i, 2, 1000 + i, "[]",
		    i % 3 == 0), MB_OK);
	/* The same version again changes nothing. */
	assert_int_equal(put(st, "cairo", 3, 2, 1003, "[]", false),
	    MB_ERR_EXISTS);
	assert_counts(st);
	/* A rolled-back transaction counts nothing. */
	assert_int_equal(mb_store_begin(st, &d), MB_OK);
	assert_int_equal(put(st, "cairo", 100, 1, 5000, "[]", false), MB_OK);
	mb_store_rollback(st);
	assert_counts(st);
	/* The indexer takes some of the queue, then the rest. */
	assert_int_equal(mb_store_index_next(st, 7, give_text, NULL, &done,
	    &d), MB_OK);
	assert_int_equal(done, 7);
	assert_counts(st);
	assert_int_equal(mb_store_index_next(st, 1000, give_text, NULL, &done,
	    &d), MB_OK);
	assert_counts(st);
	/*
	 * Rows changed behind the store's back, in bulk: PostgreSQL's
	 * triggers count them; SQLite's connection cannot see another's
	 * writes, which verify finds and --repair counts again.
	 */
	assert_int_equal(tb_exec("INSERT INTO fts_pending (item_id) SELECT id "
	    "FROM items"), 0);
	assert_int_equal(tb_exec("DELETE FROM fts_pending WHERE item_id % 2 = "
	    "0"), 0);
	assert_int_equal(tb_exec("DELETE FROM items WHERE id % 5 = 0"), 0);
	if (tb_is_pg()) {
		assert_counts(st);
	} else {
		int fixed = 0;

		assert_int_equal(mb_store_check(st, NULL, NULL, &d),
		    MB_ERR_CORRUPT);
		assert_int_equal(mb_store_repair(st, NULL, NULL, &fixed, &d),
		    MB_OK);
		assert_counts(st);
	}
	/* A bulk change through the store's own connection is counted. */
	assert_int_equal(mb_store_repair(st, NULL, NULL, &(int){ 0 }, &d),
	    MB_OK);
	assert_counts(st);
	assert_int_equal(mb_store_check(st, NULL, NULL, &d), MB_OK);
	mb_store_close(st);
}

struct page {
	int	n;
	int64_t	first[64], seq[64];
	char	uri[64][64];
};

static int
collect(const struct mb_store_version *v, void *arg)
{
	struct page *p = arg;

	if (p->n < 64) {
		p->first[p->n] = v->first_ms;
		p->seq[p->n] = v->seq;
		snprintf(p->uri[p->n], sizeof(p->uri[0]), "%s", v->uri);
	}
	p->n++;
	return MB_OK;
}

/*
 * Walks every page of f (size per) and checks the order: first_ms
 * descending, seq descending on ties, each row once. Returns the rows.
 */
static int
walk(struct mb_store *st, struct mb_store_filter *f, int per)
{
	struct mb_diag	d = { "" };
	int64_t		last_first = INT64_MAX, last_seq = INT64_MAX;
	int		total = 0;

	f->limit = per;
	f->cursor_seq = 0;
	for (;;) {
		struct page p = { 0 };

		if (mb_store_list(st, f, collect, &p, &d) != MB_OK)
			fail_msg("list: %s", d.msg);
		for (int i = 0; i < p.n; i++) {
			assert_true(p.first[i] < last_first || (p.first[i] ==
			    last_first && p.seq[i] < last_seq));
			last_first = p.first[i];
			last_seq = p.seq[i];
		}
		total += p.n;
		if (p.n < per)
			break;
		f->cursor_first_ms = last_first;
		f->cursor_seq = last_seq;
	}
	return total;
}

/* mb_lower (the store's Unicode lower case) for a plan: only its name. */
static void
fake_lower(sqlite3_context *ctx, int n, sqlite3_value **v)
{
	(void)n;
	sqlite3_result_value(ctx, v[0]);
}

/*
 * The plan of sql as EXPLAIN gives it, one line per row, up to where the
 * page's rows (at most limit of them) are joined to their versions and
 * put in order: what picks them must read an index in order and sort
 * nothing.
 */
static void
plan(const char *sql, int ncenters, char *out, size_t n)
{
	char	q[16384];
	size_t	o = 0;

	out[0] = '\0';
	if (!tb_is_pg()) {
		sqlite3		*db;
		sqlite3_stmt	*s;

		snprintf(q, sizeof(q), "EXPLAIN QUERY PLAN %s", sql);
		assert_int_equal(sqlite3_open(tb_path, &db), SQLITE_OK);
		assert_int_equal(sqlite3_create_function(db, "mb_lower", 1,
		    SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, fake_lower, NULL,
		    NULL), SQLITE_OK);
		assert_int_equal(sqlite3_prepare_v2(db, q, -1, &s, NULL),
		    SQLITE_OK);
		while (sqlite3_step(s) == SQLITE_ROW && o < n) {
			const char *l = (const char *)sqlite3_column_text(s,
			    3);

			if (strncmp(l, "SCAN x", 6) == 0)
				break;
			o += (size_t)snprintf(out + o, n - o, "%s\n", l);
		}
		sqlite3_finalize(s);
		sqlite3_close(db);
		return;
	}
	{
		PGconn		*c = PQconnectdb(tb_loc);
		PGresult	*r;
		char		 args[1024];
		int		 a;

		/* Every parameter typed as pg_list.c binds them. */
		a = snprintf(args, sizeof(args), "NULL, NULL, NULL, NULL, NULL, "
		    "'sport', 'EG', 0, 0, 9000000000000, 1, 0, NULL, false, 0, "
		    "0, NULL, 0, 0, 0, 20");
		for (int k = 0; k < ncenters; k++)
			a += snprintf(args + a, sizeof(args) - (size_t)a,
			    ", 'c%d'", k);
		snprintf(q, sizeof(q), "PREPARE p (text, text, text, text, "
		    "text, text, text, bigint, bigint, bigint, bigint, bigint, "
		    "text, boolean, bigint, bigint, text, bigint, bigint, "
		    "bigint, bigint%s) AS %s", ncenters > 0 ? ", text, text" :
		    "", sql);
		assert_true(ncenters == 0 || ncenters == 2);
		r = PQexec(c, "ANALYZE");
		PQclear(r);
		r = PQexec(c, q);
		if (PQresultStatus(r) != PGRES_COMMAND_OK)
			fail_msg("%s: %s", q, PQresultErrorMessage(r));
		PQclear(r);
		snprintf(q, sizeof(q), "EXPLAIN EXECUTE p (%s)", args);
		r = PQexec(c, q);
		if (PQresultStatus(r) != PGRES_TUPLES_OK)
			fail_msg("%s: %s", q, PQresultErrorMessage(r));
		for (int i = 0, in = 0; i < PQntuples(r) && o < n; i++) {
			const char *l = PQgetvalue(r, i, 0);

			/* From where the page's rows are picked. */
			in |= strstr(l, "Subquery Scan on x") != NULL;
			if (in)
				o += (size_t)snprintf(out + o, n - o, "%s\n",
				    l);
		}
		PQclear(r);
		PQfinish(c);
	}
}

static void
fill(struct mb_store *st)
{
	struct mb_center	c;
	struct mb_diag		d = { "" };
	const char		*centers[] = { "c0", "c1", "c2" };

	for (int k = 0; k < 3; k++) {
		memset(&c, 0, sizeof(c));
		snprintf(c.id, sizeof(c.id), "%s", centers[k]);
		snprintf(c.name, sizeof(c.name), "%s", centers[k]);
		/* c0 and c1 in Egypt, c2 in Kenya. */
		snprintf(c.country, sizeof(c.country), k < 2 ? "EG" : "KE");
		snprintf(c.languages, sizeof(c.languages), "en");
		snprintf(c.url, sizeof(c.url), "http://%s", centers[k]);
		snprintf(c.role, sizeof(c.role), "branch");
		snprintf(c.status, sizeof(c.status), "active");
		assert_int_equal(mb_store_center_put(st, &c, &d), MB_OK);
	}
	assert_int_equal(mb_store_begin(st, &d), MB_OK);
	/*
	 * 1,500 items, most on "sport"; first_ms repeats (ties broken by
	 * seq); every tenth item gets a second version (a new seq, its
	 * topic rows derived again).
	 */
	for (int i = 0; i < 1500; i++)
		assert_int_equal(put(st, centers[i % 3], i, 1,
		    1000 + (i * 7) % 400, i % 10 == 9 ?
		    "[{\"code\":\"politics\"}]" :
		    "[{\"code\":\"sport\"},{\"name\":\"Football\"}]", true),
		    MB_OK);
	for (int i = 0; i < 1500; i += 10)
		assert_int_equal(put(st, centers[i % 3], i, 2,
		    1000 + (i * 7) % 400, "[{\"code\":\"sport\"}]", true),
		    MB_OK);
	assert_int_equal(mb_store_commit(st, &d), MB_OK);
}

static void
test_topic_pages(void **state)
{
	struct mb_store		*st;
	struct mb_store_filter	 f;
	struct mb_buf		 q = MB_BUF_INIT;
	char			 p[8192];

	(void)state;
	st = open_store();
	fill(st);
	memset(&f, 0, sizeof(f));
	f.all = true;
	f.topic = "SPORT";	/* topics match in lower case */
	assert_int_equal(walk(st, &f, 20), 1350);
	f.topic = "football";
	assert_int_equal(walk(st, &f, 33), 1350 - 150);
	f.topic = "politics";
	assert_int_equal(walk(st, &f, 20), 150);
	/* The reader's page: visible only, as the site asks. */
	memset(&f, 0, sizeof(f));
	f.topic = "sport";
	f.audiences = MB_AUD_PUBLIC;
	f.now_ms = 9000000000000;
	assert_int_equal(walk(st, &f, 20), 1350);
	/* Its plan reads item_topics_list in order and sorts nothing. */
	f.limit = 20;
	f.cursor_seq = 0;
	assert_int_equal(mb_sql_list(&q, tb_is_pg() ? &mb_pg_dialect :
	    &mb_sqlite_dialect, &f, true, 0), MB_OK);
	plan(mb_buf_cstr(&q), 0, p, sizeof(p));
	print_message("%s", p);
	assert_non_null(strstr(p, "item_topics_list"));
	assert_null(strstr(p, "TEMP B-TREE"));
	assert_null(strstr(p, "Sort"));
	mb_buf_free(&q);
	mb_store_close(st);
}

static void
test_country_pages(void **state)
{
	struct mb_store		*st;
	struct mb_store_filter	 f;
	struct mb_buf		 q = MB_BUF_INIT;
	char			 p[8192];

	(void)state;
	st = open_store();
	fill(st);
	memset(&f, 0, sizeof(f));
	f.all = true;
	f.country = "EG";	/* c0 and c1: two arms merged */
	assert_int_equal(walk(st, &f, 20), 1000);
	f.country = "KE";	/* c2 alone */
	assert_int_equal(walk(st, &f, 20), 500);
	f.country = "FR";	/* no center */
	assert_int_equal(walk(st, &f, 20), 0);
	f.country = "EG";
	f.center = "c2";	/* a center of another country */
	assert_int_equal(walk(st, &f, 20), 0);
	f.center = "c1";
	assert_int_equal(walk(st, &f, 20), 500);
	f.center = NULL;
	f.topic = "sport";	/* a topic and a country */
	assert_int_equal(walk(st, &f, 20), 900);
	/* The two arms read items_center_list in order, sort nothing. */
	memset(&f, 0, sizeof(f));
	f.country = "EG";
	f.audiences = MB_AUD_PUBLIC;
	f.now_ms = 9000000000000;
	assert_int_equal(walk(st, &f, 20), 1000);
	f.limit = 20;
	f.cursor_seq = 0;
	assert_int_equal(mb_sql_list(&q, tb_is_pg() ? &mb_pg_dialect :
	    &mb_sqlite_dialect, &f, true, 2), MB_OK);
	plan(mb_buf_cstr(&q), 2, p, sizeof(p));
	print_message("%s", p);
	assert_non_null(strstr(p, "items_center_list"));
	assert_null(strstr(p, "TEMP B-TREE"));
	/*
	 * PostgreSQL: each arm an index scan stopped after the page, the
	 * page sorted out of those rows, no scan of a center's rows whole.
	 */
	assert_null(strstr(p, "Seq Scan"));
	assert_null(strstr(p, "Bitmap"));
	if (tb_is_pg())
		assert_non_null(strstr(strstr(p, "Index Scan using "
		    "items_center_list") + 1, "Index Scan using "
		    "items_center_list"));
	mb_buf_free(&q);
	mb_store_close(st);
}

/* verify finds topic rows out of their item's order, and mends them. */
static void
test_check_topic_order(void **state)
{
	struct mb_store	*st;
	struct mb_diag	 d = { "" };
	int		 fixed = 0;

	(void)state;
	st = open_store();
	assert_int_equal(put(st, "c0", 1, 1, 1000, "[{\"code\":\"sport\"}]",
	    true), MB_OK);
	assert_int_equal(mb_store_check(st, NULL, NULL, &d), MB_OK);
	assert_int_equal(tb_query_int("SELECT count(*) FROM item_topics t "
	    "JOIN items i ON i.id = t.item_id WHERE t.seq = i.seq AND "
	    "t.first_ms = i.first_ms"), 1);
	assert_int_equal(tb_exec("UPDATE item_topics SET seq = 99"), 0);
	assert_int_equal(tb_exec("UPDATE store_counts SET n = 7 WHERE name = "
	    "'items'"), 0);
	assert_int_equal(mb_store_check(st, NULL, NULL, &d), MB_ERR_CORRUPT);
	assert_int_equal(mb_store_repair(st, NULL, NULL, &fixed, &d), MB_OK);
	assert_true(fixed >= 2);
	assert_int_equal(tb_query_int("SELECT count(*) FROM item_topics t "
	    "JOIN items i ON i.id = t.item_id WHERE t.seq = i.seq"), 1);
	assert_counts(st);
	mb_store_close(st);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_counts_exact, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_topic_pages, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_country_pages, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_check_topic_order, setup,
		    teardown),
	};

	tb_require();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
