/* SPDX-License-Identifier: MIT */
/* Unit tests for the store on each backend: versions, the log, dedupe, checks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
    const char *audience, const char *body, int64_t *seq)
{
	struct mb_store_version	v;
	struct mb_store_text	t = { "en", "headline", body };
	char			env[256];

	snprintf(env, sizeof(env), "{\"uri\":\"%s\",\"v\":%lld}", uri,
	    (long long)version);
	memset(&v, 0, sizeof(v));
	v.uri = uri;
	v.center = "cairo";
	v.local = strrchr(uri, ':') + 1;
	v.version = version;
	v.origin = "cairo";
	v.audience = audience;
	v.pub_status = "usable";
	v.workflow = "published";
	v.language = "en";
	v.created_ms = 1000 * version;
	v.first_ms = 1000;
	v.envelope = env;
	v.envelope_len = strlen(env);
	return mb_store_put(st, &v, body ? &t : NULL, seq, NULL);
}

struct collect {
	int	n;
	int64_t	seqs[64];
	int64_t	versions[64];
	char	last_env[256];
};

static int
collect(const struct mb_store_version *v, void *arg)
{
	struct collect *c = arg;

	if (c->n < 64) {
		c->seqs[c->n] = v->seq;
		c->versions[c->n] = v->version;
	}
	c->n++;
	snprintf(c->last_env, sizeof(c->last_env), "%.*s",
	    (int)v->envelope_len, v->envelope);
	return MB_OK;
}

static void
test_put_get_log(void **state)
{
	struct mb_store		*st = open_store();
	struct mb_store_stats	 s;
	struct collect		 c;
	int64_t			 seq = 0;
	bool			 has;

	(void)state;
	assert_int_equal(mb_store_schema_version(st) >= 1, 1);
	assert_int_equal(put(st, "urn:mediabridge:cairo:a", 1, "public",
	    "first words", &seq), MB_OK);
	assert_int_equal(seq, 1);
	assert_int_equal(put(st, "urn:mediabridge:cairo:a", 2, "public",
	    "second words", &seq), MB_OK);
	assert_int_equal(seq, 2);
	/* The same (uri, version) again changes nothing. */
	seq = 99;
	assert_int_equal(put(st, "urn:mediabridge:cairo:a", 2, "public",
	    "other", &seq), MB_ERR_EXISTS);
	assert_int_equal(seq, 99);
	assert_int_equal(put(st, "urn:mediabridge:cairo:b", 1, "internal",
	    NULL, &seq), MB_OK);

	assert_int_equal(mb_store_stats(st, &s, NULL), MB_OK);
	assert_int_equal(s.items, 2);
	assert_int_equal(s.versions, 3);
	assert_int_equal(s.last_seq, 3);
	assert_int_equal(s.unindexed, 1);

	memset(&c, 0, sizeof(c));
	assert_int_equal(mb_store_get(st, "urn:mediabridge:cairo:a", 0,
	    collect, &c, NULL), MB_OK);
	assert_int_equal(c.n, 1);
	assert_int_equal(c.versions[0], 2);
	memset(&c, 0, sizeof(c));
	assert_int_equal(mb_store_get(st, "urn:mediabridge:cairo:a", 1,
	    collect, &c, NULL), MB_OK);
	assert_string_equal(c.last_env,
	    "{\"uri\":\"urn:mediabridge:cairo:a\",\"v\":1}");
	assert_int_equal(mb_store_get(st, "urn:mediabridge:cairo:zz", 0,
	    collect, &c, NULL), MB_ERR_NOTFOUND);
	assert_int_equal(mb_store_has(st, "urn:mediabridge:cairo:a", 1, &has,
	    NULL), MB_OK);
	assert_true(has);
	assert_int_equal(mb_store_has(st, "urn:mediabridge:cairo:a", 7, &has,
	    NULL), MB_OK);
	assert_false(has);

	/* The log, in order, after a cursor, bounded. */
	memset(&c, 0, sizeof(c));
	assert_int_equal(mb_store_log(st, 1, 10, collect, &c, NULL), MB_OK);
	assert_int_equal(c.n, 2);
	assert_int_equal(c.seqs[0], 2);
	assert_int_equal(c.seqs[1], 3);
	memset(&c, 0, sizeof(c));
	assert_int_equal(mb_store_log(st, 0, 1, collect, &c, NULL), MB_OK);
	assert_int_equal(c.n, 1);
	assert_int_equal(mb_store_check(st, NULL, NULL, NULL), MB_OK);
	mb_store_close(st);
}

static void
test_late_older_version(void **state)
{
	struct mb_store	*st = open_store();
	struct collect	 c;
	int64_t		 seq;

	(void)state;
	assert_int_equal(put(st, "urn:mediabridge:cairo:x", 3, "public", "3",
	    &seq), MB_OK);
	assert_int_equal(put(st, "urn:mediabridge:cairo:x", 2, "public", "2",
	    &seq), MB_OK);
	memset(&c, 0, sizeof(c));
	assert_int_equal(mb_store_get(st, "urn:mediabridge:cairo:x", 0,
	    collect, &c, NULL), MB_OK);
	assert_int_equal(c.versions[0], 3);
	assert_int_equal(mb_store_check(st, NULL, NULL, NULL), MB_OK);
	mb_store_close(st);
}

static void
test_transactions(void **state)
{
	struct mb_store		*st = open_store();
	struct mb_store_stats	 s;
	int64_t			 seq;

	(void)state;
	assert_int_equal(mb_store_begin(st, NULL), MB_OK);
	assert_int_equal(mb_store_begin(st, NULL), MB_ERR_STORE);
	assert_int_equal(put(st, "urn:mediabridge:cairo:t", 1, "public", "t",
	    &seq), MB_OK);
	mb_store_rollback(st);
	assert_int_equal(mb_store_stats(st, &s, NULL), MB_OK);
	assert_int_equal(s.versions, 0);
	assert_int_equal(mb_store_begin(st, NULL), MB_OK);
	assert_int_equal(put(st, "urn:mediabridge:cairo:t", 1, "public", "t",
	    &seq), MB_OK);
	assert_int_equal(mb_store_commit(st, NULL), MB_OK);
	mb_store_close(st);
	/* Reopening keeps it and runs no migration twice. */
	st = open_store();
	assert_int_equal(mb_store_stats(st, &s, NULL), MB_OK);
	assert_int_equal(s.versions, 1);
	mb_store_close(st);
}

/*
 * mb_store_idle: the page cache a walk filled goes back (SQLite: most
 * of the memory the connection took for it), and what the store holds
 * reads the same after it; inside a transaction it loses nothing.
 */
static void
test_idle_gives_back_cache(void **state)
{
	struct mb_store		*st = open_store();
	struct mb_store_stats	 s;
	struct collect		 c;
	char			 uri[64], body[2048];
	int64_t			 seq, warm, idle;

	(void)state;
	memset(body, 'w', sizeof(body) - 1);
	body[sizeof(body) - 1] = '\0';
	assert_int_equal(mb_store_begin(st, NULL), MB_OK);
	for (int i = 0; i < 1500; i++) {
		snprintf(uri, sizeof(uri), "urn:mediabridge:cairo:idle%04d", i);
		body[i % 2000] = (char)('a' + i % 26);
		assert_int_equal(put(st, uri, 1, "public", body, &seq), MB_OK);
	}
	assert_int_equal(mb_store_commit(st, NULL), MB_OK);
	memset(&c, 0, sizeof(c));
	assert_int_equal(mb_store_log(st, 0, 100000, collect, &c, NULL),
	    MB_OK);
	assert_int_equal(c.n, 1500);
	warm = sqlite3_memory_used();
	mb_store_idle(st);
	idle = sqlite3_memory_used();
	if (!tb_is_pg())	/* 1,500 items' pages: well over 1 MB */
		assert_true(warm - idle > 1024 * 1024);
	memset(&c, 0, sizeof(c));
	assert_int_equal(mb_store_log(st, 0, 100000, collect, &c, NULL),
	    MB_OK);
	assert_int_equal(c.n, 1500);
	assert_non_null(strstr(c.last_env, "idle1499"));
	/* In a transaction: its writes stay, and commit. */
	assert_int_equal(mb_store_begin(st, NULL), MB_OK);
	assert_int_equal(put(st, "urn:mediabridge:cairo:idlet", 1, "public",
	    "t", &seq), MB_OK);
	mb_store_idle(st);
	assert_int_equal(mb_store_commit(st, NULL), MB_OK);
	assert_int_equal(mb_store_stats(st, &s, NULL), MB_OK);
	assert_int_equal(s.versions, 1501);
	mb_store_close(st);
}

static int
give_text(const struct mb_store_version *v, struct mb_store_text *t,
    void *arg)
{
	(void)v;
	(void)arg;
	t->language = "en";
	t->headline = "queued";
	t->body = "indexed later";
	return MB_OK;
}

static void
test_index_queue(void **state)
{
	struct mb_store		*st = open_store();
	struct mb_store_stats	 s;
	int64_t			 seq, done = 0;

	(void)state;
	for (int i = 0; i < 5; i++) {
		char uri[64];

		snprintf(uri, sizeof(uri), "urn:mediabridge:cairo:q%d", i);
		assert_int_equal(put(st, uri, 1, "public", NULL, &seq), MB_OK);
	}
	assert_int_equal(mb_store_stats(st, &s, NULL), MB_OK);
	assert_int_equal(s.unindexed, 5);
	assert_int_equal(mb_store_index_next(st, 3, give_text, NULL, &done,
	    NULL), MB_OK);
	assert_int_equal(done, 3);
	assert_int_equal(mb_store_index_next(st, 100, give_text, NULL, &done,
	    NULL), MB_OK);
	assert_int_equal(done, 2);
	assert_int_equal(mb_store_stats(st, &s, NULL), MB_OK);
	assert_int_equal(s.unindexed, 0);
	assert_int_equal(mb_store_check(st, NULL, NULL, NULL), MB_OK);
	mb_store_close(st);
}

static void
test_alias_and_centers(void **state)
{
	struct mb_store		*st = open_store();
	struct mb_buf		 b = MB_BUF_INIT;
	struct mb_center	 c, got;

	(void)state;
	assert_int_equal(mb_store_alias_get(st, "item:1", &b, NULL),
	    MB_ERR_NOTFOUND);
	assert_int_equal(mb_store_alias_put(st, "item:1",
	    "urn:mediabridge:cairo:a", NULL), MB_OK);
	assert_int_equal(mb_store_alias_get(st, "item:1", &b, NULL), MB_OK);
	assert_string_equal(b.data, "urn:mediabridge:cairo:a");
	mb_buf_free(&b);

	memset(&c, 0, sizeof(c));
	snprintf(c.id, sizeof(c.id), "cairo");
	snprintf(c.name, sizeof(c.name), "Cairo");
	snprintf(c.country, sizeof(c.country), "EG");
	snprintf(c.languages, sizeof(c.languages), "ar,en");
	snprintf(c.url, sizeof(c.url), "http://127.0.0.1:1");
	memset(c.key, 7, sizeof(c.key));
	snprintf(c.role, sizeof(c.role), "branch");
	snprintf(c.status, sizeof(c.status), "active");
	assert_int_equal(mb_store_center_put(st, &c, NULL), MB_OK);
	snprintf(c.status, sizeof(c.status), "revoked");
	assert_int_equal(mb_store_center_put(st, &c, NULL), MB_OK);
	assert_int_equal(mb_store_center_get(st, "cairo", &got, NULL), MB_OK);
	assert_string_equal(got.status, "revoked");
	assert_memory_equal(got.key, c.key, sizeof(c.key));
	assert_int_equal(mb_store_center_get(st, "nowhere", &got, NULL),
	    MB_ERR_NOTFOUND);
	mb_store_close(st);
}

static void
report(const char *problem, void *arg)
{
	int *n = arg;

	(void)problem;
	(*n)++;
}

static void
test_check_finds_damage(void **state)
{
	struct mb_store	*st = open_store();
	int64_t		 seq;
	int		 problems = 0;

	(void)state;
	assert_int_equal(put(st, "urn:mediabridge:cairo:d", 1, "public", "d",
	    &seq), MB_OK);
	assert_int_equal(put(st, "urn:mediabridge:cairo:d", 2, "public", "d",
	    &seq), MB_OK);
	mb_store_close(st);
	/* Break an invariant behind the store's back. */
	assert_int_equal(tb_exec("UPDATE items SET seq = 1, version = 1"), 0);
	st = open_store();
	assert_int_equal(mb_store_check(st, report, &problems, NULL),
	    MB_ERR_CORRUPT);
	assert_true(problems >= 1);
	mb_store_close(st);
}

static void
test_notices_and_locks(void **state)
{
	struct mb_store	*a = open_store(), *b = open_store();
	int64_t		 seq;
	bool		 got;

	(void)state;
	/* A named lock: one holder across handles (processes) at a time. */
	assert_int_equal(mb_store_try_lock(a, "puller:cairo", &got, NULL),
	    MB_OK);
	assert_true(got);
	assert_int_equal(mb_store_try_lock(b, "puller:cairo", &got, NULL),
	    MB_OK);
	assert_true(got == !tb_is_pg());
	assert_int_equal(mb_store_try_lock(b, "puller:manama", &got, NULL),
	    MB_OK);
	assert_true(got);
	if (!tb_is_pg()) {
		assert_int_equal(mb_store_listen(b, NULL), MB_ERR_UNSUPPORTED);
		mb_store_close(a);
		mb_store_close(b);
		return;
	}
	/* Notices: a commit on one handle wakes the other. */
	assert_int_equal(mb_store_listen(b, NULL), MB_OK);
	assert_int_equal(mb_store_wait(b, 50, &got, NULL), MB_OK);
	assert_false(got);
	assert_int_equal(put(a, "urn:mediabridge:cairo:n", 1, "public", "n",
	    &seq), MB_OK);
	assert_int_equal(mb_store_wait(b, 5000, &got, NULL), MB_OK);
	assert_true(got);
	assert_int_equal(mb_store_wait(b, 50, &got, NULL), MB_OK);
	assert_false(got);
	/*
	 * A lock goes with its holder: a dead process frees it, once the
	 * server has seen the connection go (asynchronously).
	 */
	mb_store_close(a);
	for (int i = 0; i < 500; i++) {
		assert_int_equal(mb_store_try_lock(b, "puller:cairo", &got,
		    NULL), MB_OK);
		if (got)
			break;
		usleep(10000);
	}
	assert_true(got);
	/*
	 * A lost connection is reopened, but the locks it held are gone:
	 * the next call says so (MB_ERR_AGAIN), then the lock can be taken
	 * again.
	 */
	assert_int_equal(tb_exec("SELECT pg_terminate_backend(pid, 5000) "
	    "FROM pg_stat_activity WHERE datname = current_database() AND "
	    "pid <> pg_backend_pid()"), 0);
	assert_int_equal(mb_store_try_lock(b, "puller:cairo", &got, NULL),
	    MB_ERR_AGAIN);
	assert_int_equal(mb_store_try_lock(b, "puller:cairo", &got, NULL),
	    MB_OK);
	assert_true(got);
	assert_int_equal(mb_store_unlock(b, "puller:cairo", NULL), MB_OK);
	mb_store_close(b);
}

/*
 * The log with several writers: a puller reading "after its cursor" while
 * four writers commit must see every version exactly once. A sequence
 * handed out at insert time would let a writer that took seq N commit
 * after another's N+1 had been read, and the puller would skip N.
 */
#define WRITERS	4
#define PUTS	60

struct writer_arg {
	int	id;
	int	rc;
};

static void *
writer_main(void *p)
{
	struct writer_arg	*w = p;
	struct mb_store		*st = open_store();
	char			 uri[64];
	int64_t			 seq;

	for (int i = 0; i < PUTS && w->rc == MB_OK; i++) {
		snprintf(uri, sizeof(uri), "urn:mediabridge:cairo:w%d-%d",
		    w->id, i);
		if ((w->rc = mb_store_begin(st, NULL)) != MB_OK)
			break;
		w->rc = put(st, uri, 1, "public", NULL, &seq);
		/* Hold the transaction open a while, as a batch would. */
		usleep((useconds_t)(500 * (i % 3)));
		if (w->rc == MB_OK)
			w->rc = mb_store_commit(st, NULL);
		else
			mb_store_rollback(st);
	}
	mb_store_close(st);
	return NULL;
}

struct seen {
	int64_t	last;
	int	n;
	int	bad;
};

static int
pull_cb(const struct mb_store_version *v, void *arg)
{
	struct seen *s = arg;

	if (v->seq != s->last + 1)
		s->bad++;
	s->last = v->seq;
	s->n++;
	return MB_OK;
}

static void
test_concurrent_writers_never_skip(void **state)
{
	struct mb_store		*st = open_store();
	struct writer_arg	 w[WRITERS];
	pthread_t		 t[WRITERS];
	struct seen		 s = { 0, 0, 0 };

	(void)state;
	for (int i = 0; i < WRITERS; i++) {
		w[i].id = i;
		w[i].rc = MB_OK;
		assert_int_equal(pthread_create(&t[i], NULL, writer_main,
		    &w[i]), 0);
	}
	/* Pull as the exchange does, while they write. */
	while (s.n < WRITERS * PUTS)
		assert_int_equal(mb_store_log(st, s.last, 7, pull_cb, &s,
		    NULL), MB_OK);
	for (int i = 0; i < WRITERS; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(w[i].rc, MB_OK);
	}
	assert_int_equal(mb_store_log(st, s.last, 0, pull_cb, &s, NULL),
	    MB_OK);
	assert_int_equal(s.n, WRITERS * PUTS);
	assert_int_equal(s.bad, 0);
	assert_int_equal(s.last, WRITERS * PUTS);
	mb_store_close(st);
}

static void
test_refuses_other_backends(void **state)
{
	struct mb_store	*st;
	struct mb_diag	 d = { "" };

	(void)state;
	assert_int_equal(mb_store_open("mysql://x", NULL, &st, &d),
	    MB_ERR_UNSUPPORTED);
	assert_int_equal(mb_store_open("/nonexistent/dir/x.db", NULL, &st, &d),
	    MB_ERR_STORE);
	assert_non_null(strstr(d.msg, "/nonexistent/dir/x.db"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_put_get_log, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_late_older_version, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_transactions, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_idle_gives_back_cache,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_index_queue, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_alias_and_centers, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_check_finds_damage, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_notices_and_locks, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_concurrent_writers_never_skip, setup, teardown),
		cmocka_unit_test(test_refuses_other_backends),
	};

	tb_require();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
