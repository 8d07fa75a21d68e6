/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for src/newsroom/accounts.c on a real SQLite store in a
 * temporary directory: adding users, signing in, sessions, tokens by
 * id, and that disabling or a new password ends every credential.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "newsroom/accounts.h"
#include "store/store.h"

struct fixture {
	char		 dir[64];
	struct mb_store	*st;
};

static int
setup(void **state)
{
	struct fixture	*f = calloc(1, sizeof(*f));
	char		 path[128];

	snprintf(f->dir, sizeof(f->dir), "/tmp/mb-test-accounts.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(path, sizeof(path), "%s/store.db", f->dir);
	assert_int_equal(mb_store_open(path, NULL, &f->st, NULL), MB_OK);
	assert_int_equal(mb_accounts_user_add(f->st, "amira", "editor",
	    "password 123", NULL), MB_OK);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;
	char		 cmd[128];

	mb_store_close(f->st);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

static void
test_add(void **state)
{
	struct fixture	*f = *state;
	struct mb_diag	 d = { "" };

	assert_int_equal(mb_accounts_user_add(f->st, "Amira", "editor", NULL,
	    &d), MB_ERR_INVAL);
	assert_non_null(strstr(d.msg, "name"));
	assert_int_equal(mb_accounts_user_add(f->st, "-x", "editor", NULL,
	    NULL), MB_ERR_INVAL);
	assert_int_equal(mb_accounts_user_add(f->st, "omar", "reader", NULL,
	    &d), MB_ERR_INVAL);
	assert_non_null(strstr(d.msg, "role"));
	assert_int_equal(mb_accounts_user_add(f->st, "omar", "member",
	    "short", NULL), MB_ERR_INVAL);
	assert_int_equal(mb_accounts_user_add(f->st, "amira", "member", NULL,
	    NULL), MB_ERR_EXISTS);
	/* No password: tokens only, and no sign-in with any password. */
	assert_int_equal(mb_accounts_user_add(f->st, "omar", "member", NULL,
	    NULL), MB_OK);
	{
		struct mb_user u;

		assert_int_equal(mb_accounts_login(f->st, "omar", "", &u,
		    NULL), MB_ERR_PERM);
	}
}

static void
test_login_and_sessions(void **state)
{
	struct fixture	*f = *state;
	struct mb_user	 u;
	struct mb_diag	 d1 = { "" }, d2 = { "" };
	char		 s[MB_SECRET_TEXT_LEN], c[MB_SECRET_TEXT_LEN];
	char		 csrf[65];

	assert_int_equal(mb_accounts_login(f->st, "amira", "password 123", &u,
	    NULL), MB_OK);
	assert_string_equal(u.role, "editor");
	/* A wrong password and an unknown user read the same. */
	assert_int_equal(mb_accounts_login(f->st, "amira", "password 124", &u,
	    &d1), MB_ERR_PERM);
	assert_int_equal(mb_accounts_login(f->st, "nobody", "password 123",
	    &u, &d2), MB_ERR_PERM);
	assert_string_equal(d1.msg, d2.msg);
	assert_int_equal(mb_accounts_session_new(f->st, u.id, 60000, s, c,
	    NULL), MB_OK);
	assert_int_equal(mb_accounts_session_user(f->st, s, &u, csrf, NULL),
	    MB_OK);
	assert_string_equal(csrf, c);
	assert_string_equal(u.name, "amira");
	assert_int_equal(mb_accounts_session_user(f->st, "not a secret", &u,
	    csrf, NULL), MB_ERR_NOTFOUND);
	assert_int_equal(mb_accounts_session_end(f->st, s, NULL), MB_OK);
	assert_int_equal(mb_accounts_session_user(f->st, s, &u, csrf, NULL),
	    MB_ERR_NOTFOUND);
	/* An expired session is no session. */
	assert_int_equal(mb_accounts_session_new(f->st, u.id, -1, s, c, NULL),
	    MB_OK);
	assert_int_equal(mb_accounts_session_user(f->st, s, &u, csrf, NULL),
	    MB_ERR_NOTFOUND);
}

struct seen {
	int	n;
	char	id[MB_TOKEN_ID_LEN];
	char	user[64];
};

static int
collect(const struct mb_token_info *t, void *arg)
{
	struct seen *s = arg;

	s->n++;
	memcpy(s->id, t->id, sizeof(s->id));
	snprintf(s->user, sizeof(s->user), "%s", t->user);
	return MB_OK;
}

static void
test_tokens(void **state)
{
	struct fixture	*f = *state;
	struct mb_user	 u;
	struct seen	 all = { 0 }, mine = { 0 }, none = { 0 };
	char		 t[MB_SECRET_TEXT_LEN], id[MB_TOKEN_ID_LEN];

	assert_int_equal(mb_accounts_user_add(f->st, "omar", "journalist",
	    NULL, NULL), MB_OK);
	assert_int_equal(mb_accounts_token_new(f->st, "ghost", t, NULL),
	    MB_ERR_NOTFOUND);
	assert_int_equal(mb_accounts_token_new(f->st, "amira", t, NULL),
	    MB_OK);
	assert_int_equal(strlen(t), MB_SECRET_TEXT_LEN - 1);
	assert_int_equal(mb_accounts_token_new(f->st, "omar", t, NULL), MB_OK);
	mb_accounts_token_id(t, id);
	assert_int_equal(mb_accounts_token_list(f->st, NULL, collect, &all,
	    NULL), MB_OK);
	assert_int_equal(all.n, 2);
	assert_int_equal(mb_accounts_token_list(f->st, "omar", collect, &mine,
	    NULL), MB_OK);
	assert_int_equal(mine.n, 1);
	assert_string_equal(mine.id, id);
	assert_string_equal(mine.user, "omar");
	/* The id is not the secret, nor a prefix of it. */
	assert_null(strstr(t, id));
	/* An unknown user is named, not answered with an empty list. */
	assert_int_equal(mb_accounts_token_list(f->st, "ghost", collect, &none,
	    NULL), MB_ERR_NOTFOUND);
	assert_int_equal(none.n, 0);
	assert_int_equal(mb_accounts_token_user(f->st, t, &u, NULL), MB_OK);
	assert_string_equal(u.name, "omar");
	assert_int_equal(mb_accounts_token_revoke(f->st, id, NULL), MB_OK);
	assert_int_equal(mb_accounts_token_user(f->st, t, &u, NULL),
	    MB_ERR_NOTFOUND);
	/* A disabled user gets no new token (it would wake on enable). */
	assert_int_equal(mb_accounts_user_disable(f->st, "omar", true, NULL),
	    MB_OK);
	assert_int_equal(mb_accounts_token_new(f->st, "omar", t, NULL),
	    MB_ERR_PERM);
	assert_int_equal(mb_accounts_user_disable(f->st, "omar", false, NULL),
	    MB_OK);
	assert_int_equal(mb_accounts_token_new(f->st, "omar", t, NULL), MB_OK);
}

static void
test_role_and_password(void **state)
{
	struct fixture	*f = *state;
	struct mb_user	 u;
	char		 t[MB_SECRET_TEXT_LEN];

	assert_int_equal(mb_accounts_set_role(f->st, "amira", "journalist",
	    NULL), MB_OK);
	assert_int_equal(mb_accounts_login(f->st, "amira", "password 123", &u,
	    NULL), MB_OK);
	assert_string_equal(u.role, "journalist");
	assert_int_equal(mb_accounts_set_role(f->st, "ghost", "editor", NULL),
	    MB_ERR_NOTFOUND);
	assert_int_equal(mb_accounts_token_new(f->st, "amira", t, NULL), MB_OK);
	/* A short password changes nothing, the token included. */
	assert_int_equal(mb_accounts_set_password(f->st, "amira", "short",
	    NULL), MB_ERR_INVAL);
	assert_int_equal(mb_accounts_token_user(f->st, t, &u, NULL), MB_OK);
	assert_int_equal(mb_accounts_set_password(f->st, "ghost",
	    "long enough", NULL), MB_ERR_NOTFOUND);
	assert_int_equal(mb_accounts_set_password(f->st, "amira",
	    "long enough", NULL), MB_OK);
	assert_int_equal(mb_accounts_token_user(f->st, t, &u, NULL),
	    MB_ERR_NOTFOUND);
	assert_int_equal(mb_accounts_login(f->st, "amira", "password 123", &u,
	    NULL), MB_ERR_PERM);
	assert_int_equal(mb_accounts_login(f->st, "amira", "long enough", &u,
	    NULL), MB_OK);
	assert_true(mb_user_name_valid("a.b_c-9"));
	assert_false(mb_user_name_valid(""));
	assert_false(mb_user_name_valid("a b"));
}

static void
test_disable(void **state)
{
	struct fixture	*f = *state;
	struct mb_user	 u;
	struct mb_diag	 d = { "" };
	char		 t[MB_SECRET_TEXT_LEN], s[MB_SECRET_TEXT_LEN];
	char		 c[MB_SECRET_TEXT_LEN], csrf[65];

	assert_int_equal(mb_accounts_login(f->st, "amira", "password 123", &u,
	    NULL), MB_OK);
	assert_int_equal(mb_accounts_session_new(f->st, u.id, 60000, s, c,
	    NULL), MB_OK);
	assert_int_equal(mb_accounts_token_new(f->st, "amira", t, NULL), MB_OK);
	assert_int_equal(mb_accounts_user_disable(f->st, "ghost", true, &d),
	    MB_ERR_NOTFOUND);
	/* Disabling ends the session and the token at once. */
	assert_int_equal(mb_accounts_user_disable(f->st, "amira", true, NULL),
	    MB_OK);
	assert_int_equal(mb_accounts_session_user(f->st, s, &u, csrf, NULL),
	    MB_ERR_NOTFOUND);
	assert_int_equal(mb_accounts_token_user(f->st, t, &u, NULL),
	    MB_ERR_NOTFOUND);
	/* The right password does not sign a disabled user in. */
	assert_int_equal(mb_accounts_login(f->st, "amira", "password 123", &u,
	    NULL), MB_ERR_PERM);
	/* Enabling gives back the account, not the old credentials. */
	assert_int_equal(mb_accounts_user_disable(f->st, "amira", false, NULL),
	    MB_OK);
	assert_int_equal(mb_accounts_token_user(f->st, t, &u, NULL),
	    MB_ERR_NOTFOUND);
	assert_int_equal(mb_accounts_session_user(f->st, s, &u, csrf, NULL),
	    MB_ERR_NOTFOUND);
	assert_int_equal(mb_accounts_login(f->st, "amira", "password 123", &u,
	    NULL), MB_OK);
	assert_false(u.disabled);
}

/* One change, whole or not at all. */
static void
test_change(void **state)
{
	struct fixture		*f = *state;
	struct mb_user		 u;
	struct mb_diag		 d = { "" };
	char			 t[MB_SECRET_TEXT_LEN];
	struct mb_user_change	 bad = { "king", "long enough", 1 };
	struct mb_user_change	 good = { "journalist", "long enough", -1 };
	struct mb_user_change	 none = { NULL, NULL, -1 };

	assert_int_equal(mb_accounts_token_new(f->st, "amira", t, NULL), MB_OK);
	assert_int_equal(mb_accounts_user_change(f->st, "amira", &bad, &d),
	    MB_ERR_INVAL);
	assert_non_null(strstr(d.msg, "role"));
	/* Nothing of it happened: the password, the token, not disabled. */
	assert_int_equal(mb_accounts_token_user(f->st, t, &u, NULL), MB_OK);
	assert_string_equal(u.role, "editor");
	assert_false(u.disabled);
	assert_int_equal(mb_accounts_login(f->st, "amira", "password 123", &u,
	    NULL), MB_OK);
	bad.role = NULL;
	bad.password = "short";
	assert_int_equal(mb_accounts_user_change(f->st, "amira", &bad, NULL),
	    MB_ERR_INVAL);
	assert_int_equal(mb_accounts_token_user(f->st, t, &u, NULL), MB_OK);
	assert_false(u.disabled);
	assert_int_equal(mb_accounts_user_change(f->st, "ghost", &none, &d),
	    MB_ERR_NOTFOUND);
	assert_non_null(strstr(d.msg, "no such user"));
	assert_int_equal(mb_accounts_user_change(f->st, "amira", &none, NULL),
	    MB_OK);
	assert_int_equal(mb_accounts_user_change(f->st, "amira", &good, NULL),
	    MB_OK);
	assert_int_equal(mb_accounts_token_user(f->st, t, &u, NULL),
	    MB_ERR_NOTFOUND);
	assert_int_equal(mb_accounts_login(f->st, "amira", "long enough", &u,
	    NULL), MB_OK);
	assert_string_equal(u.role, "journalist");
}

static int
count(const struct mb_token_info *t, void *arg)
{
	(void)t;
	(*(int *)arg)++;
	return MB_OK;
}

/* The cells of docs/permissions.md for accounts, below the HTTP edge. */
static void
test_rules(void **state)
{
	struct fixture		*f = *state;
	struct mb_actor		 adm = { 0, "root", MB_ROLE_ADMIN };
	struct mb_actor		 ami = { 0, "amira", MB_ROLE_EDITOR };
	struct mb_actor		 omr = { 0, "omar", MB_ROLE_MEMBER };
	struct mb_actor		 odd = { 0, "amira", (enum mb_role)77 };
	struct mb_user_change	 off = { NULL, NULL, 1 };
	struct mb_user		 u;
	char			 ta[MB_SECRET_TEXT_LEN], to[MB_SECRET_TEXT_LEN];
	char			 ida[MB_TOKEN_ID_LEN], ido[MB_TOKEN_ID_LEN];
	int			 n;

	assert_int_equal(mb_accounts_user_add(f->st, "root", "admin", NULL,
	    NULL), MB_OK);
	assert_int_equal(mb_accounts_user_add(f->st, "omar", "member", NULL,
	    NULL), MB_OK);
	assert_int_equal(mb_accounts_may_manage(&adm, NULL), MB_OK);
	assert_int_equal(mb_accounts_may_manage(&ami, NULL), MB_ERR_PERM);
	assert_int_equal(mb_accounts_may_manage(&odd, NULL), MB_ERR_PERM);
	assert_int_equal(mb_accounts_may_manage(NULL, NULL), MB_ERR_PERM);
	/* Tokens: one's own; someone else's only as an admin. */
	assert_int_equal(mb_accounts_token_new_as(f->st, &ami, "amira", ta,
	    NULL), MB_OK);
	assert_int_equal(mb_accounts_token_new_as(f->st, &ami, "omar", to,
	    NULL), MB_ERR_PERM);
	assert_int_equal(mb_accounts_token_new_as(f->st, &adm, "omar", to,
	    NULL), MB_OK);
	mb_accounts_token_id(ta, ida);
	mb_accounts_token_id(to, ido);
	n = 0;
	assert_int_equal(mb_accounts_token_list_as(f->st, &ami, NULL, count,
	    &n, NULL), MB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(mb_accounts_token_list_as(f->st, &ami, "omar", count,
	    &n, NULL), MB_ERR_PERM);
	n = 0;
	assert_int_equal(mb_accounts_token_list_as(f->st, &adm, NULL, count,
	    &n, NULL), MB_OK);
	assert_int_equal(n, 2);
	/* Someone else's token is not found, as a hidden item is. */
	assert_int_equal(mb_accounts_token_revoke_as(f->st, &ami, ido, NULL),
	    MB_ERR_NOTFOUND);
	assert_int_equal(mb_accounts_token_user(f->st, to, &u, NULL), MB_OK);
	assert_int_equal(mb_accounts_token_revoke_as(f->st, &omr, ida, NULL),
	    MB_ERR_NOTFOUND);
	assert_int_equal(mb_accounts_token_revoke_as(f->st, &ami, ida, NULL),
	    MB_OK);
	assert_int_equal(mb_accounts_token_revoke_as(f->st, &adm, ido, NULL),
	    MB_OK);
	assert_int_equal(mb_accounts_token_user(f->st, to, &u, NULL),
	    MB_ERR_NOTFOUND);
	/* Users: an admin's, never disabling themselves. */
	assert_int_equal(mb_accounts_user_change_as(f->st, &ami, "omar", &off,
	    NULL), MB_ERR_PERM);
	assert_int_equal(mb_accounts_user_change_as(f->st, &adm, "root", &off,
	    NULL), MB_ERR_INVAL);
	assert_int_equal(mb_accounts_user_change_as(f->st, &adm, "omar", &off,
	    NULL), MB_OK);
	assert_int_equal(mb_accounts_token_new(f->st, "omar", to, NULL),
	    MB_ERR_PERM);
}

/* A reset link: an admin's to make, works once, ends the rest. */
static void
test_reset(void **state)
{
	struct fixture	*f = *state;
	struct mb_actor	 adm = { 0, "root", MB_ROLE_ADMIN };
	struct mb_actor	 ami = { 0, "amira", MB_ROLE_EDITOR };
	struct mb_user	 u;
	char		 k[MB_SECRET_TEXT_LEN], old[MB_SECRET_TEXT_LEN];
	char		 t[MB_SECRET_TEXT_LEN];
	int		 n = 0;

	assert_int_equal(mb_accounts_reset_new_as(f->st, &ami, "amira", k,
	    NULL), MB_ERR_PERM);
	assert_int_equal(mb_accounts_reset_new_as(f->st, &adm, "ghost", k,
	    NULL), MB_ERR_NOTFOUND);
	assert_int_equal(mb_accounts_token_new(f->st, "amira", t, NULL), MB_OK);
	assert_int_equal(mb_accounts_reset_new_as(f->st, &adm, "amira", k,
	    NULL), MB_OK);
	/* Not a token: listing tokens does not show it. */
	assert_int_equal(mb_accounts_token_list(f->st, "amira", count, &n,
	    NULL), MB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(mb_accounts_reset_user(f->st, k, &u, NULL), MB_OK);
	assert_string_equal(u.name, "amira");
	assert_int_equal(mb_accounts_reset_user(f->st, "nonsense", &u, NULL),
	    MB_ERR_NOTFOUND);
	/* A token is not a reset link. */
	assert_int_equal(mb_accounts_reset_user(f->st, t, &u, NULL),
	    MB_ERR_NOTFOUND);
	/* A short password changes nothing: the link still works. */
	assert_int_equal(mb_accounts_reset_use(f->st, k, "short", &u, NULL),
	    MB_ERR_INVAL);
	assert_int_equal(mb_accounts_token_user(f->st, t, &u, NULL), MB_OK);
	assert_int_equal(mb_accounts_reset_use(f->st, k, "brand new one", &u,
	    NULL), MB_OK);
	assert_int_equal(mb_accounts_login(f->st, "amira", "brand new one", &u,
	    NULL), MB_OK);
	assert_int_equal(mb_accounts_token_user(f->st, t, &u, NULL),
	    MB_ERR_NOTFOUND);
	assert_int_equal(mb_accounts_reset_use(f->st, k, "again and again",
	    &u, NULL), MB_ERR_NOTFOUND);
	/* An expired one, and a disabled user's, do not work. */
	assert_int_equal(mb_accounts_reset_new(f->st, "amira", -1000, old,
	    NULL), MB_OK);
	assert_int_equal(mb_accounts_reset_user(f->st, old, &u, NULL),
	    MB_ERR_NOTFOUND);
	assert_int_equal(mb_accounts_reset_new(f->st, "amira", 60000, k,
	    NULL), MB_OK);
	assert_int_equal(mb_accounts_user_disable(f->st, "amira", true, NULL),
	    MB_OK);
	assert_int_equal(mb_accounts_reset_user(f->st, k, &u, NULL),
	    MB_ERR_NOTFOUND);
	assert_int_equal(mb_accounts_reset_new(f->st, "amira", 60000, k,
	    NULL), MB_ERR_PERM);
	/* One's own password needs the current one. */
	assert_int_equal(mb_accounts_user_disable(f->st, "amira", false, NULL),
	    MB_OK);
	assert_int_equal(mb_accounts_own_password(f->st, &ami, "wrong one",
	    "another good one", NULL), MB_ERR_PERM);
	assert_int_equal(mb_accounts_own_password(f->st, &ami,
	    "brand new one", "another good one", NULL), MB_OK);
	assert_int_equal(mb_accounts_login(f->st, "amira", "another good one",
	    &u, NULL), MB_OK);
	assert_int_equal(mb_accounts_own_password(f->st, NULL, "x", "y", NULL),
	    MB_ERR_PERM);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_add, setup, teardown),
		cmocka_unit_test_setup_teardown(test_login_and_sessions, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_tokens, setup, teardown),
		cmocka_unit_test_setup_teardown(test_role_and_password, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_disable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_change, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reset, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
