/* SPDX-License-Identifier: MIT */
/* Unit tests for the accounts domain on each backend: users, credentials, authors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/accounts.h"
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

struct names {
	int	n;
	char	name[8][64];
};

static int
collect_user(const struct mb_user *u, void *arg)
{
	struct names *c = arg;

	if (c->n < 8)
		snprintf(c->name[c->n], sizeof(c->name[0]), "%s", u->name);
	c->n++;
	return MB_OK;
}

static int
stop_after_one(const struct mb_user *u, void *arg)
{
	(void)u;
	(*(int *)arg)++;
	return 1;
}

static void
test_users(void **state)
{
	struct mb_store	*st = open_store();
	struct mb_user	 u;
	struct names	 c;
	char		 h[128];
	int64_t		 id = 0, id2 = 0;
	int		 calls = 0;

	(void)state;
	assert_int_equal(mb_store_user_add(st, "zoe", "editor",
	    "$argon2id$x", &id, NULL), MB_OK);
	assert_true(id > 0);
	assert_int_equal(mb_store_user_add(st, "ali", "journalist", NULL,
	    &id2, NULL), MB_OK);
	assert_true(id2 > id);
	assert_int_equal(mb_store_user_add(st, "zoe", "admin", NULL, NULL,
	    NULL), MB_ERR_EXISTS);

	/* By name, by id; the hash comes back as stored, "" when none. */
	assert_int_equal(mb_store_user_get(st, "zoe", 0, &u, h, sizeof(h),
	    NULL), MB_OK);
	assert_int_equal(u.id, id);
	assert_string_equal(u.role, "editor");
	assert_string_equal(h, "$argon2id$x");
	assert_false(u.disabled);
	assert_true(u.created_ms > 0);
	assert_int_equal(mb_store_user_get(st, NULL, id2, &u, h, sizeof(h),
	    NULL), MB_OK);
	assert_string_equal(u.name, "ali");
	assert_string_equal(h, "");
	assert_int_equal(mb_store_user_get(st, "nobody", 0, &u, NULL, 0,
	    NULL), MB_ERR_NOTFOUND);

	/* NULL leaves a field as it is. */
	assert_int_equal(mb_store_user_update(st, "ali", "editor", NULL,
	    NULL), MB_OK);
	assert_int_equal(mb_store_user_update(st, "ali", NULL, "$new", NULL),
	    MB_OK);
	assert_int_equal(mb_store_user_get(st, "ali", 0, &u, h, sizeof(h),
	    NULL), MB_OK);
	assert_string_equal(u.role, "editor");
	assert_string_equal(h, "$new");
	assert_int_equal(mb_store_user_update(st, "nobody", "admin", NULL,
	    NULL), MB_ERR_NOTFOUND);

	/* By name, in byte order on both backends. */
	assert_int_equal(mb_store_user_add(st, "Bob", "member", NULL, NULL,
	    NULL), MB_OK);
	memset(&c, 0, sizeof(c));
	assert_int_equal(mb_store_user_list(st, collect_user, &c, NULL),
	    MB_OK);
	assert_int_equal(c.n, 3);
	assert_string_equal(c.name[0], "Bob");
	assert_string_equal(c.name[1], "ali");
	assert_string_equal(c.name[2], "zoe");
	/* A visitor that stops: MB_OK, no more rows. */
	assert_int_equal(mb_store_user_list(st, stop_after_one, &calls, NULL),
	    MB_OK);
	assert_int_equal(calls, 1);
	mb_store_close(st);
}

static void
test_credentials(void **state)
{
	struct mb_store	*st = open_store();
	struct mb_user	 u;
	uint8_t		 tok[MB_CRED_HASH_LEN], ses[MB_CRED_HASH_LEN];
	uint8_t		 old[MB_CRED_HASH_LEN];
	char		 csrf[65];
	int64_t		 id = 0;

	(void)state;
	memset(tok, 1, sizeof(tok));
	memset(ses, 2, sizeof(ses));
	memset(old, 3, sizeof(old));
	assert_int_equal(mb_store_user_add(st, "edi", "editor", NULL, &id,
	    NULL), MB_OK);
	assert_int_equal(mb_store_cred_add(st, "token", tok, id, NULL, 0,
	    NULL), MB_OK);
	assert_int_equal(mb_store_cred_add(st, "session", ses, id, "c5rf",
	    5000, NULL), MB_OK);
	assert_int_equal(mb_store_cred_add(st, "session", old, id, "x", 1000,
	    NULL), MB_OK);

	assert_int_equal(mb_store_cred_user(st, "token", tok, 4000, &u, NULL,
	    NULL), MB_OK);
	assert_string_equal(u.name, "edi");
	/* The kind must match; expiry counts. */
	assert_int_equal(mb_store_cred_user(st, "session", tok, 4000, &u,
	    NULL, NULL), MB_ERR_NOTFOUND);
	assert_int_equal(mb_store_cred_user(st, "session", ses, 4000, &u,
	    csrf, NULL), MB_OK);
	assert_string_equal(csrf, "c5rf");
	assert_int_equal(mb_store_cred_user(st, "session", ses, 5000, &u,
	    csrf, NULL), MB_ERR_NOTFOUND);
	assert_int_equal(mb_store_cred_user(st, "session", old, 4000, &u,
	    csrf, NULL), MB_ERR_NOTFOUND);

	/* A disabled user's credentials stop working. */
	assert_int_equal(tb_exec("UPDATE users SET disabled = true"), 0);
	assert_int_equal(mb_store_cred_user(st, "token", tok, 4000, &u, NULL,
	    NULL), MB_ERR_NOTFOUND);
	assert_int_equal(tb_exec("UPDATE users SET disabled = false"), 0);

	/* Logout; forgetting what is not there is no error. */
	assert_int_equal(mb_store_cred_delete(st, tok, NULL), MB_OK);
	assert_int_equal(mb_store_cred_user(st, "token", tok, 4000, &u, NULL,
	    NULL), MB_ERR_NOTFOUND);
	assert_int_equal(mb_store_cred_delete(st, tok, NULL), MB_OK);
	mb_store_close(st);
}

static int
put(struct mb_store *st, const char *uri, const char *workflow)
{
	struct mb_store_version	v;
	int64_t			seq;
	char			env[128];

	snprintf(env, sizeof(env), "{\"uri\":\"%s\"}", uri);
	memset(&v, 0, sizeof(v));
	v.uri = uri;
	v.center = "cairo";
	v.local = strrchr(uri, ':') + 1;
	v.version = 1;
	v.origin = "cairo";
	v.audience = "public";
	v.pub_status = "usable";
	v.workflow = workflow;
	v.language = "en";
	v.created_ms = 1000;
	v.first_ms = 1000;
	v.envelope = env;
	v.envelope_len = strlen(env);
	return mb_store_put(st, &v, NULL, &seq, NULL);
}

static int
count(const struct mb_store_version *v, void *arg)
{
	(void)v;
	(*(int *)arg)++;
	return MB_OK;
}

struct va_seen {
	int	n;
	int64_t	v[2];
};

static int
va_cb(const struct mb_version_author *va, void *arg)
{
	struct va_seen *s = arg;

	assert_string_equal(va->user, "jo");
	if (s->n < 2)
		s->v[s->n] = va->version;
	s->n++;
	return MB_OK;
}

/* Authors, and the listing's "or written by that user" that reads them. */
static void
test_authors(void **state)
{
	struct mb_store		*st = open_store();
	struct mb_store_filter	 f;
	int64_t			 id = 0, who = 0;
	int			 n;

	(void)state;
	assert_int_equal(mb_store_user_add(st, "jo", "journalist", NULL, &id,
	    NULL), MB_OK);
	assert_int_equal(put(st, "urn:mediabridge:cairo:draft", "draft"),
	    MB_OK);
	assert_int_equal(put(st, "urn:mediabridge:cairo:pub", "published"),
	    MB_OK);
	assert_int_equal(mb_store_author_get(st, "urn:mediabridge:cairo:draft",
	    &who, NULL), MB_ERR_NOTFOUND);
	assert_int_equal(mb_store_author_set(st, "urn:mediabridge:cairo:draft",
	    id, NULL), MB_OK);
	/* Set once: a second author is ignored. */
	assert_int_equal(mb_store_author_set(st, "urn:mediabridge:cairo:draft",
	    id + 1, NULL), MB_OK);
	assert_int_equal(mb_store_author_get(st, "urn:mediabridge:cairo:draft",
	    &who, NULL), MB_OK);
	assert_int_equal(who, id);

	/* Each version's author, set once, newest first with the name. */
	assert_int_equal(mb_store_version_author_set(st,
	    "urn:mediabridge:cairo:draft", 1, id, NULL), MB_OK);
	assert_int_equal(mb_store_version_author_set(st,
	    "urn:mediabridge:cairo:draft", 2, id, NULL), MB_OK);
	assert_int_equal(mb_store_version_author_set(st,
	    "urn:mediabridge:cairo:draft", 2, id + 7, NULL), MB_OK);
	{
		struct va_seen s = { 0, { 0, 0 } };

		assert_int_equal(mb_store_version_authors(st,
		    "urn:mediabridge:cairo:draft", va_cb, &s, NULL), MB_OK);
		assert_int_equal(s.n, 2);
		assert_int_equal(s.v[0], 2);
		assert_int_equal(s.v[1], 1);
		s.n = 0;
		assert_int_equal(mb_store_version_authors(st,
		    "urn:mediabridge:cairo:pub", va_cb, &s, NULL), MB_OK);
		assert_int_equal(s.n, 0);
	}

	memset(&f, 0, sizeof(f));
	f.limit = 10;
	f.audiences = MB_AUD_PUBLIC;
	f.now_ms = 2000;
	n = 0;
	assert_int_equal(mb_store_list(st, &f, count, &n, NULL), MB_OK);
	assert_int_equal(n, 1);
	f.author_id = id;
	n = 0;
	assert_int_equal(mb_store_list(st, &f, count, &n, NULL), MB_OK);
	assert_int_equal(n, 2);
	mb_store_close(st);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_users, setup, teardown),
		cmocka_unit_test_setup_teardown(test_credentials, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_authors, setup, teardown),
	};

	tb_require();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
