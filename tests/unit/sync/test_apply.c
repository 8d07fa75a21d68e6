/* SPDX-License-Identifier: MIT */
/* Unit tests for src/sync/apply: framing, verification with the origin's key, one-transaction apply. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>

#include "item/envelope.h"
#include "item/key.h"
#include "store/store.h"
#include "sync/apply.h"
#include "sync/log.h"

#include "../store/backend.h"

struct fixture {
	char		 dir[64];
	struct mb_store	*st;
	struct mb_key	*cairo, *stranger;
};

static void
add_center(struct mb_store *st, const char *id, const struct mb_key *k,
    const char *status)
{
	struct mb_center c;

	memset(&c, 0, sizeof(c));
	snprintf(c.id, sizeof(c.id), "%s", id);
	snprintf(c.name, sizeof(c.name), "%s", id);
	snprintf(c.country, sizeof(c.country), "EG");
	snprintf(c.languages, sizeof(c.languages), "ar,en");
	snprintf(c.url, sizeof(c.url), "http://127.0.0.1:1");
	mb_key_public(k, c.key);
	snprintf(c.role, sizeof(c.role), "branch");
	snprintf(c.status, sizeof(c.status), "%s", status);
	assert_int_equal(mb_store_center_put(st, &c, NULL), MB_OK);
}

static int
setup(void **state)
{
	struct fixture	*f = calloc(1, sizeof(*f));
	char		 path[600];

	snprintf(f->dir, sizeof(f->dir), "/tmp/mb-test-apply.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(path, sizeof(path), "%s/store.db", f->dir);
	/* The PostgreSQL variant: a fresh database (store/backend.h). */
	if (tb_is_pg()) {
		assert_int_equal(tb_create(), 0);
		snprintf(path, sizeof(path), "%s", tb_loc);
	}
	assert_int_equal(mb_store_open(path, NULL, &f->st, NULL), MB_OK);
	assert_int_equal(mb_key_generate(&f->cairo), MB_OK);
	assert_int_equal(mb_key_generate(&f->stranger), MB_OK);
	add_center(f->st, "cairo", f->cairo, "active");
	assert_int_equal(mb_store_peer_put(f->st, "moscow", "http://x", 0,
	    NULL), MB_OK);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;
	char		 cmd[128];

	mb_store_close(f->st);
	tb_destroy();
	mb_key_free(f->cairo);
	mb_key_free(f->stranger);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

/* A signed envelope of origin's item local, version 1, as its wire bytes. */
static void
envelope(struct mb_buf *out, const char *origin, const char *local,
    const struct mb_key *k)
{
	struct mb_envelope	*e;
	char			 uri[128];
	json_t			*item, *meta;

	snprintf(uri, sizeof(uri), "urn:mediabridge:%s:%s", origin, local);
	item = json_pack("{s:s, s:s, s:s, s:s, s:s, s:[{s:s}]}", "uri", uri,
	    "version", "1", "versionCreated", "2026-11-29T10:00:00Z", "type",
	    "text", "language", "en", "headlines", "value", local);
	meta = json_pack("{s:s, s:s}", "origin", origin, "audience", "public");
	assert_int_equal(mb_envelope_new(item, meta, &e, NULL), MB_OK);
	assert_int_equal(mb_envelope_sign_dump(e, k, out, NULL), MB_OK);
	mb_envelope_free(e);
}

static void
line(struct mb_buf *body, int64_t seq, const struct mb_buf *env)
{
	assert_int_equal(mb_buf_printf(body, "{\"seq\":%lld,\"envelope\":%s}\n",
	    (long long)seq, env->data), MB_OK);
}

static int64_t
cursor_of(struct mb_store *st)
{
	struct mb_peer p;

	assert_int_equal(mb_store_peer_get(st, "moscow", &p, NULL), MB_OK);
	return p.cursor;
}

/* Parses, verifies on two "threads" (two ranges) and applies body. */
static int
run(struct fixture *f, const struct mb_buf *body, int64_t next,
    struct mb_sync_apply_result *r)
{
	struct mb_sync_keyring	*kr;
	struct mb_sync_batch	*b;
	size_t			 n;
	int			 rc;

	assert_int_equal(mb_sync_keyring_load(f->st, &kr, NULL), MB_OK);
	assert_int_equal(mb_sync_batch_parse(body->data, body->len, &b, NULL),
	    MB_OK);
	n = mb_sync_batch_count(b);
	mb_sync_batch_verify(b, kr, 0, n / 2);
	mb_sync_batch_verify(b, kr, n / 2, n);
	rc = mb_sync_batch_apply(f->st, b, "moscow", next, r, NULL);
	mb_sync_batch_free(b);
	mb_sync_keyring_free(kr);
	assert_false(mb_sync_applying());
	return rc;
}

static void
test_apply_and_duplicates(void **state)
{
	struct fixture			*f = *state;
	struct mb_buf			 a = MB_BUF_INIT, b = MB_BUF_INIT;
	struct mb_buf			 body = MB_BUF_INIT;
	struct mb_sync_apply_result	 r;
	bool				 has;

	envelope(&a, "cairo", "a1", f->cairo);
	envelope(&b, "cairo", "b2", f->cairo);
	line(&body, 1, &a);
	line(&body, 5, &b);
	assert_int_equal(run(f, &body, 7, &r), MB_OK);
	assert_int_equal(r.applied, 2);
	assert_int_equal(r.refused, 0);
	assert_int_equal(r.cursor, 7);
	assert_int_equal(cursor_of(f->st), 7);
	assert_int_equal(mb_store_has(f->st, "urn:mediabridge:cairo:b2", 1,
	    &has, NULL), MB_OK);
	assert_true(has);
	/* The same batch again (another link, a crash before the ack). */
	assert_int_equal(run(f, &body, 7, &r), MB_OK);
	assert_int_equal(r.applied, 0);
	assert_int_equal(r.duplicates, 2);
	/*
	 * Not a log's: lines past where the answer says it ends (lines not
	 * rising, the framing refuses). Nothing applied, the cursor where
	 * it was.
	 */
	assert_int_equal(run(f, &body, 4, &r), MB_ERR_NET);
	assert_int_equal(cursor_of(f->st), 7);
	mb_buf_free(&a);
	mb_buf_free(&b);
	mb_buf_free(&body);
}

static int
count_row(const struct mb_store_version *v, void *arg)
{
	(void)v;
	(*(int *)arg)++;
	return MB_OK;
}

/* Topics of pulled items: from the parsed tree, not the store's parse. */
static void
test_topics(void **state)
{
	struct fixture			*f = *state;
	struct mb_buf			 a = MB_BUF_INIT, body = MB_BUF_INIT;
	struct mb_sync_apply_result	 r;
	struct mb_store_filter		 flt;
	struct mb_envelope		*e;
	json_t				*item, *meta;
	int				 n = 0;

	item = json_pack("{s:s, s:s, s:s, s:s, s:[{s:s}], s:[{s:s, s:s}]}",
	    "uri", "urn:mediabridge:cairo:t1", "version", "1",
	    "versionCreated", "2026-11-29T10:00:00Z", "type", "text",
	    "headlines", "value", "t1", "subjects", "name", "economy",
	    "uri", "http://cv.iptc.org/newscodes/mediatopic/04000000");
	meta = json_pack("{s:s, s:s}", "origin", "cairo", "audience", "public");
	assert_int_equal(mb_envelope_new(item, meta, &e, NULL), MB_OK);
	assert_int_equal(mb_envelope_sign_dump(e, f->cairo, &a, NULL), MB_OK);
	mb_envelope_free(e);
	line(&body, 1, &a);
	assert_int_equal(run(f, &body, 1, &r), MB_OK);
	assert_int_equal(r.applied, 1);
	memset(&flt, 0, sizeof(flt));
	flt.all = true;
	flt.limit = 10;
	flt.topic = "04000000";
	assert_int_equal(mb_store_list(f->st, &flt, count_row, &n, NULL),
	    MB_OK);
	assert_int_equal(n, 1);
	flt.topic = "economy";
	assert_int_equal(mb_store_list(f->st, &flt, count_row, &n, NULL),
	    MB_OK);
	assert_int_equal(n, 2);
	mb_buf_free(&a);
	mb_buf_free(&body);
}

static void
test_tampered_and_forged_refused(void **state)
{
	struct fixture			*f = *state;
	struct mb_buf			 ok = MB_BUF_INIT, bad = MB_BUF_INIT;
	struct mb_buf			 forged = MB_BUF_INIT;
	struct mb_buf			 body = MB_BUF_INIT;
	struct mb_sync_apply_result	 r;
	char				*p;
	bool				 has;

	envelope(&ok, "cairo", "ok1", f->cairo);
	envelope(&bad, "cairo", "tamper", f->cairo);
	/* Alter the headline after signing. */
	assert_non_null(p = strstr(bad.data, "\"value\":\"tamper\""));
	p[9] = 'T';
	/* Signed by someone else in cairo's name. */
	envelope(&forged, "cairo", "forged", f->stranger);
	line(&body, 1, &bad);
	line(&body, 2, &ok);
	line(&body, 3, &forged);
	assert_int_equal(run(f, &body, 3, &r), MB_OK);
	assert_int_equal(r.applied, 1);
	assert_int_equal(r.refused, 2);
	assert_int_equal(r.cursor, 3);
	assert_int_equal(mb_store_has(f->st, "urn:mediabridge:cairo:tamper",
	    1, &has, NULL), MB_OK);
	assert_false(has);
	mb_buf_free(&ok);
	mb_buf_free(&bad);
	mb_buf_free(&forged);
	mb_buf_free(&body);
}

static void
test_relayed_not_canonical(void **state)
{
	struct fixture			*f = *state;
	struct mb_buf			 env = MB_BUF_INIT;
	struct mb_buf			 body = MB_BUF_INIT;
	struct mb_sync_apply_result	 r;
	json_t				*j;
	char				*sig, *item, *meta;

	/*
	 * A relay that re-serialized the envelope (other key order, spaces):
	 * the bytes no longer verify as they are, the canonical form does.
	 */
	envelope(&env, "cairo", "pretty", f->cairo);
	assert_non_null(j = json_loads(env.data, 0, NULL));
	sig = json_dumps(json_object_get(j, "signature"), JSON_ENCODE_ANY);
	item = json_dumps(json_object_get(j, "item"), 0);
	meta = json_dumps(json_object_get(j, "meta"), 0);
	mb_buf_reset(&env);
	/* signature first: no longer the signed prefix. */
	assert_int_equal(mb_buf_printf(&env, "{\"signature\":%s,\"item\":%s,"
	    "\"meta\":%s}", sig, item, meta), MB_OK);
	free(sig);
	free(item);
	free(meta);
	line(&body, 1, &env);
	assert_int_equal(run(f, &body, 1, &r), MB_OK);
	assert_int_equal(r.applied, 1);
	assert_int_equal(r.refused, 0);
	json_decref(j);
	mb_buf_free(&env);
	mb_buf_free(&body);
}

static void
test_unknown_and_revoked_origin(void **state)
{
	struct fixture			*f = *state;
	struct mb_buf			 a = MB_BUF_INIT, u = MB_BUF_INIT;
	struct mb_buf			 body = MB_BUF_INIT;
	struct mb_sync_apply_result	 r;

	envelope(&a, "cairo", "before", f->cairo);
	envelope(&u, "dakar", "new", f->stranger);
	line(&body, 10, &a);
	line(&body, 11, &u);
	line(&body, 12, &a);
	/* Stops just before the unknown origin: the registry is behind. */
	assert_int_equal(run(f, &body, 12, &r), MB_OK);
	assert_int_equal(r.applied, 1);
	assert_int_equal(r.cursor, 10);
	assert_string_equal(r.unknown_origin, "dakar");
	assert_int_equal(cursor_of(f->st), 10);
	/* Revoked: its new items are refused, the batch goes on. */
	add_center(f->st, "dakar", f->stranger, "revoked");
	mb_buf_reset(&body);
	line(&body, 11, &u);
	assert_int_equal(run(f, &body, 12, &r), MB_OK);
	assert_int_equal(r.refused, 1);
	assert_int_equal(r.cursor, 12);
	mb_buf_free(&a);
	mb_buf_free(&u);
	mb_buf_free(&body);
}

/*
 * A batch verified ahead with a keyring that lacked its origin is
 * verified again with a newer one before it is applied.
 */
static void
test_verified_again(void **state)
{
	struct fixture			*f = *state;
	struct mb_buf			 u = MB_BUF_INIT, body = MB_BUF_INIT;
	struct mb_sync_apply_result	 r;
	struct mb_sync_keyring		*old, *kr, *held;
	struct mb_sync_batch		*b;

	envelope(&u, "dakar", "late", f->stranger);
	line(&body, 3, &u);
	assert_int_equal(mb_sync_keyring_load(f->st, &old, NULL), MB_OK);
	/* A reference outlives the loader's. */
	held = mb_sync_keyring_ref(old);
	mb_sync_keyring_free(old);
	assert_int_equal(mb_sync_batch_parse(body.data, body.len, &b, NULL),
	    MB_OK);
	mb_sync_batch_verify(b, held, 0, 1);
	add_center(f->st, "dakar", f->stranger, "active");
	assert_int_equal(mb_sync_keyring_load(f->st, &kr, NULL), MB_OK);
	assert_int_equal(mb_sync_keyring_version(kr),
	    mb_sync_keyring_version(held));
	mb_sync_batch_unverify(b);
	mb_sync_batch_verify(b, kr, 0, 1);
	assert_int_equal(mb_sync_batch_apply(f->st, b, "moscow", 3, &r, NULL),
	    MB_OK);
	assert_int_equal(r.applied, 1);
	assert_string_equal(r.unknown_origin, "");
	mb_sync_batch_free(b);
	mb_sync_keyring_free(kr);
	mb_sync_keyring_free(held);
	mb_buf_free(&u);
	mb_buf_free(&body);
}

static int
via_of(const struct mb_store_version *v, void *arg)
{
	snprintf(arg, 33, "%s", v->via != NULL ? v->via : "(null)");
	return MB_OK;
}

/*
 * Split horizon: pulled versions remember the peer they came from, and
 * the log served to a peer leaves out what it sent or signed, while its
 * cursor still moves past them.
 */
static void
test_split_horizon(void **state)
{
	struct fixture			*f = *state;
	struct mb_buf			 a = MB_BUF_INIT, b = MB_BUF_INIT;
	struct mb_buf			 body = MB_BUF_INIT, out = MB_BUF_INIT;
	struct mb_sync_apply_result	 r;
	int64_t				 next, last;
	size_t				 count;
	char				 via[33];

	envelope(&a, "cairo", "h1", f->cairo);
	envelope(&b, "cairo", "h2", f->cairo);
	line(&body, 1, &a);
	line(&body, 2, &b);
	assert_int_equal(run(f, &body, 2, &r), MB_OK);
	assert_int_equal(r.applied, 2);
	assert_int_equal(mb_store_log(f->st, 0, 1, via_of, via, NULL), MB_OK);
	assert_string_equal(via, "moscow");
	last = mb_sync_log_last(f->st);
	/* To the peer they came from: nothing, and the cursor moves on. */
	assert_int_equal(mb_sync_log_build(f->st, "moscow", 0, 100, &out,
	    &next, &count, NULL), MB_OK);
	assert_int_equal(count, 0);
	assert_int_equal(next, last);
	/* To their origin: nothing either. */
	mb_buf_reset(&out);
	assert_int_equal(mb_sync_log_build(f->st, "cairo", 0, 100, &out,
	    &next, &count, NULL), MB_OK);
	assert_int_equal(count, 0);
	assert_int_equal(next, last);
	/* To anyone else: both. */
	mb_buf_reset(&out);
	assert_int_equal(mb_sync_log_build(f->st, "manama", 0, 100, &out,
	    &next, &count, NULL), MB_OK);
	assert_int_equal(count, 2);
	assert_non_null(strstr(out.data, "urn:mediabridge:cairo:h2"));
	mb_buf_reset(&out);
	assert_int_equal(mb_sync_log_build(f->st, NULL, 0, 100, &out,
	    &next, &count, NULL), MB_OK);
	assert_int_equal(count, 2);
	mb_buf_free(&a);
	mb_buf_free(&b);
	mb_buf_free(&body);
	mb_buf_free(&out);
}

static void
test_framing(void **state)
{
	struct mb_sync_batch	*b = NULL;
	struct mb_diag		 d;
	const char		*bad[] = {
		"{\"seq\":2,\"envelope\":{}}\n{\"seq\":1,\"envelope\":{}}\n",
		"{\"seq\":x,\"envelope\":{}}\n",
		"{\"sequence\":1,\"envelope\":{}}\n",
		"{\"seq\":1}\n",
		"garbage\n",
		NULL };

	(void)state;
	for (int i = 0; bad[i] != NULL; i++)
		assert_int_equal(mb_sync_batch_parse(bad[i], strlen(bad[i]), &b,
		    &d), MB_ERR_INVAL);
	assert_int_equal(mb_sync_batch_parse("", 0, &b, &d), MB_OK);
	assert_int_equal(mb_sync_batch_count(b), 0);
	mb_sync_batch_free(b);
	mb_sync_batch_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_apply_and_duplicates,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_topics, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tampered_and_forged_refused,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_relayed_not_canonical,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_and_revoked_origin,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_verified_again, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_split_horizon, setup,
		    teardown),
		cmocka_unit_test(test_framing),
	};

	if (sodium_init() < 0)
		return 1;
	tb_require();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
