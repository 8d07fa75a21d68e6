/* SPDX-License-Identifier: MIT */
/* Unit tests for src/newsroom: the policy table, the item workflow and account revocation, on a real center. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/timeutil.h"
#include "center/center.h"
#include "center/ingest.h"
#include "newsroom/accounts.h"
#include "newsroom/items.h"
#include "newsroom/policy.h"
#include "store/store.h"

struct fixture {
	char			 dir[64];
	struct mb_center_node	*n;
	struct mb_store		*st;
	struct mb_ingest	*ing;
	struct mb_newsroom_env	 env;
	int			 saved;
	struct mb_actor		 admin, editor, jou, jou2, tra, member, reader;
};

static void
on_saved(void *arg)
{
	((struct fixture *)arg)->saved++;
}

static struct mb_actor
user(struct fixture *f, const char *name, const char *role)
{
	struct mb_actor	a;
	struct mb_user	u;

	assert_int_equal(mb_accounts_user_add(f->st, name, role,
	    "password 123", NULL), MB_OK);
	assert_int_equal(mb_store_user_get(f->st, name, 0, &u, NULL, 0, NULL),
	    MB_OK);
	a.user_id = u.id;
	a.name = strdup(name);
	a.role = mb_role_parse(role);
	return a;
}

static int
setup(void **state)
{
	struct fixture		*f = calloc(1, sizeof(*f));
	struct mb_init_opts	 o;
	char			 dir[128];

	snprintf(f->dir, sizeof(f->dir), "/tmp/mb-test-newsroom.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(dir, sizeof(dir), "%s/cairo", f->dir);
	memset(&o, 0, sizeof(o));
	o.id = "cairo";
	o.name = "Cairo";
	o.country = "EG";
	o.languages = "ar,en";
	o.url = "http://127.0.0.1:1";
	o.hq = 1;
	assert_int_equal(mb_center_init(dir, &o, NULL), MB_OK);
	assert_int_equal(mb_center_open(dir, &f->n, NULL), MB_OK);
	assert_int_equal(mb_center_store(f->n, &f->st, NULL), MB_OK);
	assert_int_equal(mb_ingest_new(f->n, f->st, &f->ing, NULL), MB_OK);
	f->env.st = f->st;
	f->env.ing = f->ing;
	f->env.center = f->n->conf.id;
	f->env.saved = on_saved;
	f->env.saved_arg = f;
	f->admin = user(f, "adm", "admin");
	f->editor = user(f, "edi", "editor");
	f->jou = user(f, "jou", "journalist");
	f->jou2 = user(f, "jo2", "journalist");
	f->tra = user(f, "tra", "translator");
	f->member = user(f, "mem", "member");
	f->reader.user_id = 0;
	f->reader.name = NULL;
	f->reader.role = MB_ROLE_NONE;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;
	char		 cmd[128];

	mb_ingest_free(f->ing);
	mb_store_close(f->st);
	mb_center_close(f->n);
	free((char *)f->admin.name);
	free((char *)f->editor.name);
	free((char *)f->jou.name);
	free((char *)f->jou2.name);
	free((char *)f->tra.name);
	free((char *)f->member.name);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

static json_t *
item(const char *headline)
{
	return json_pack("{s:s, s:s, s:[{s:s}], s:[{s:s, s:s}]}", "type",
	    "text", "language", "en", "headlines", "value", headline, "bodies",
	    "value", "<p>A story.</p>", "contentType", "text/html");
}

/* Creates an item as a, with meta (may be NULL); its uri in out. */
static int
create(struct fixture *f, const struct mb_actor *a, const char *headline,
    json_t *meta, char uri[MB_URI_MAX])
{
	struct mb_nr_saved	sv;
	struct mb_diag		d = { "" };
	int			rc;

	rc = mb_newsroom_create(&f->env, a, item(headline), meta, &sv, &d);
	json_decref(meta);
	if (rc == MB_OK) {
		snprintf(uri, MB_URI_MAX, "%s", sv.uri);
		assert_int_equal(sv.version, 1);
		assert_true(sv.wire.len > 0);
	}
	mb_nr_saved_free(&sv);
	return rc;
}

static void
test_policy(void **state)
{
	struct mb_actor		a = { 7, "x", MB_ROLE_NONE };
	struct mb_item_state	s = { 0, "published", "usable", "public",
				    0, NULL };
	char			why[160];

	(void)state;
	assert_int_equal(mb_audiences_of(MB_ROLE_NONE), MB_AUD_PUBLIC);
	assert_int_equal(mb_audiences_of(MB_ROLE_MEMBER), MB_AUD_PUBLIC |
	    MB_AUD_NETWORK);
	assert_int_equal(mb_audiences_of(MB_ROLE_TRANSLATOR), MB_AUD_PUBLIC |
	    MB_AUD_NETWORK | MB_AUD_INTERNAL);
	assert_int_equal(mb_audience_bit("typo"), MB_AUD_INTERNAL);
	assert_false(mb_audience_valid("everyone"));
	assert_true(mb_policy_visible(&a, &s, 1000));
	s.audience = "network";
	assert_false(mb_policy_visible(&a, &s, 1000));
	a.role = MB_ROLE_MEMBER;
	assert_true(mb_policy_visible(&a, &s, 1000));
	s.embargo_ms = 2000;
	assert_false(mb_policy_visible(&a, &s, 1000));
	assert_true(mb_policy_visible(&a, &s, 2000));
	s.workflow = "draft";
	assert_false(mb_policy_visible(&a, &s, 5000));
	s.author = 7;
	assert_true(mb_policy_visible(&a, &s, 5000));
	a.role = MB_ROLE_JOURNALIST;
	assert_true(mb_policy_may_edit(&a, &s, why, sizeof(why)));
	s.workflow = "published";
	assert_false(mb_policy_may_edit(&a, &s, why, sizeof(why)));
	assert_non_null(strstr(why, "published"));
	s.author = 8;
	s.workflow = "draft";
	assert_false(mb_policy_may_edit(&a, &s, why, sizeof(why)));
	assert_non_null(strstr(why, "someone else's"));
	a.role = MB_ROLE_EDITOR;
	assert_true(mb_policy_may_edit(&a, &s, why, sizeof(why)));
	assert_int_equal(mb_role_parse("king"), MB_ROLE_NONE);
	assert_string_equal(mb_role_name(MB_ROLE_NONE), "reader");
}

static void
test_create_rules(void **state)
{
	struct fixture	*f = *state;
	char		 uri[MB_URI_MAX], dup[MB_URI_MAX];
	struct mb_nr_item it;
	struct mb_nr_saved sv;

	assert_int_equal(create(f, &f->reader, "x", NULL, uri), MB_ERR_PERM);
	assert_int_equal(create(f, &f->member, "x", NULL, uri), MB_ERR_PERM);
	/* A translator creates only translations. */
	assert_int_equal(create(f, &f->tra, "x", NULL, uri), MB_ERR_PERM);
	assert_int_equal(create(f, &f->jou, "x", json_pack("{s:s}",
	    "workflow", "published"), uri), MB_ERR_PERM);
	assert_int_equal(create(f, &f->jou, "x", json_pack("{s:s}",
	    "audience", "everyone"), uri), MB_ERR_INVAL);
	assert_int_equal(create(f, &f->jou, "x", json_pack("{s:s}",
	    "colour", "red"), uri), MB_ERR_INVAL);
	assert_int_equal(f->saved, 0);
	assert_int_equal(create(f, &f->jou, "Draft", NULL, uri), MB_OK);
	assert_int_equal(f->saved, 1);
	/* A draft: its author and editors see it, nobody else. */
	assert_true(mb_newsroom_visible(&f->env, &f->jou, uri));
	assert_true(mb_newsroom_visible(&f->env, &f->editor, uri));
	assert_false(mb_newsroom_visible(&f->env, &f->jou2, uri));
	assert_false(mb_newsroom_visible(&f->env, &f->reader, uri));
	assert_int_equal(mb_newsroom_get(&f->env, &f->reader, uri, 0, &it,
	    NULL), MB_ERR_NOTFOUND);
	assert_int_equal(mb_newsroom_get(&f->env, &f->jou, uri, 0, &it, NULL),
	    MB_OK);
	assert_string_equal(it.workflow, "draft");
	assert_int_equal(it.author, f->jou.user_id);
	mb_nr_item_free(&it);
	/*
	 * A translation of it, by the translator: not while it is the
	 * journalist's draft (as if not there: the translator cannot see
	 * it), once it is submitted for review.
	 */
	assert_int_equal(create(f, &f->tra, "Translation", json_pack(
	    "{s:{s:s, s:s}}", "translation", "of", uri, "by", "human"), dup),
	    MB_ERR_INVAL);
	assert_int_equal(mb_newsroom_act(&f->env, &f->jou, uri, MB_NR_SUBMIT,
	    NULL, 0, &sv, NULL), MB_OK);
	mb_nr_saved_free(&sv);
	assert_int_equal(create(f, &f->tra, "Translation", json_pack(
	    "{s:{s:s, s:s}}", "translation", "of", uri, "by", "human"), dup),
	    MB_OK);
	assert_int_equal(create(f, &f->tra, "Orphan", json_pack(
	    "{s:{s:s, s:s}}", "translation", "of", "urn:mediabridge:cairo:no",
	    "by", "human"), dup), MB_ERR_INVAL);
}

static void
test_workflow(void **state)
{
	struct fixture		*f = *state;
	struct mb_nr_precond	 pre = { false, 1, { 1 } };
	struct mb_nr_saved	 sv;
	struct mb_diag		 d = { "" };
	char			 uri[MB_URI_MAX];
	int			 before;

	assert_int_equal(create(f, &f->jou, "Flow", NULL, uri), MB_OK);
	/* Someone else's draft: not theirs to change. */
	assert_int_equal(mb_newsroom_update(&f->env, &f->jou2, uri, &pre,
	    item("x"), NULL, &sv, &d), MB_ERR_NOTFOUND);
	/* The author edits with the current version; a stale one is 412. */
	assert_int_equal(mb_newsroom_update(&f->env, &f->jou, uri, &pre,
	    item("Flow 2"), NULL, &sv, &d), MB_OK);
	assert_int_equal(sv.version, 2);
	mb_nr_saved_free(&sv);
	before = f->saved;
	assert_int_equal(mb_newsroom_update(&f->env, &f->jou, uri, &pre,
	    item("stale"), NULL, &sv, &d), MB_ERR_CONFLICT);
	assert_int_equal(sv.current, 2);
	assert_string_equal(sv.code, "stale_version");
	assert_int_equal(f->saved, before);
	/* A journalist may not publish or set an embargo. */
	assert_int_equal(mb_newsroom_act(&f->env, &f->jou, uri, MB_NR_PUBLISH,
	    NULL, 0, &sv, &d), MB_ERR_PERM);
	assert_int_equal(mb_newsroom_act(&f->env, &f->jou, uri, MB_NR_SUBMIT,
	    NULL, 0, &sv, &d), MB_OK);
	mb_nr_saved_free(&sv);
	assert_int_equal(mb_newsroom_act(&f->env, &f->jou, uri, MB_NR_SUBMIT,
	    NULL, 0, &sv, &d), MB_ERR_EXISTS);
	assert_string_equal(sv.code, "bad_transition");
	/* Sent back with a note: a draft again; only an editor may. */
	assert_int_equal(mb_newsroom_send_back(&f->env, &f->jou, uri, NULL,
	    "no", &sv, &d), MB_ERR_PERM);
	assert_int_equal(mb_newsroom_send_back(&f->env, &f->editor, uri, NULL,
	    "Check the minister's name.", &sv, &d), MB_OK);
	mb_nr_saved_free(&sv);
	assert_int_equal(mb_newsroom_send_back(&f->env, &f->editor, uri, NULL,
	    "again", &sv, &d), MB_ERR_EXISTS);
	assert_string_equal(sv.code, "bad_transition");
	assert_int_equal(mb_newsroom_act(&f->env, &f->jou, uri, MB_NR_SUBMIT,
	    NULL, 0, &sv, &d), MB_OK);
	mb_nr_saved_free(&sv);
	assert_int_equal(mb_newsroom_act(&f->env, &f->editor, uri,
	    MB_NR_PUBLISH, NULL, 0, &sv, &d), MB_OK);
	mb_nr_saved_free(&sv);
	assert_true(mb_newsroom_visible(&f->env, &f->reader, uri));
	/* Published: the author can no longer change it. */
	pre.v[0] = 4;
	assert_int_equal(mb_newsroom_update(&f->env, &f->jou, uri, &pre,
	    item("late"), NULL, &sv, &d), MB_ERR_PERM);
	/* An embargo hides it until the time passes. */
	assert_int_equal(mb_newsroom_act(&f->env, &f->editor, uri,
	    MB_NR_EMBARGO, NULL, mb_time_now_ms() + 3600 * 1000, &sv, &d),
	    MB_OK);
	mb_nr_saved_free(&sv);
	assert_false(mb_newsroom_visible(&f->env, &f->reader, uri));
	/* A date at or before 1970 is refused, never read as a lift. */
	assert_int_equal(mb_newsroom_act(&f->env, &f->editor, uri,
	    MB_NR_EMBARGO, NULL, 0, &sv, &d), MB_ERR_INVAL);
	assert_int_equal(mb_newsroom_act(&f->env, &f->editor, uri,
	    MB_NR_EMBARGO, NULL, -315619200000LL, &sv, &d), MB_ERR_INVAL);
	assert_false(mb_newsroom_visible(&f->env, &f->reader, uri));
	assert_int_equal(mb_newsroom_act(&f->env, &f->editor, uri,
	    MB_NR_EMBARGO, NULL, MB_NR_LIFT, &sv, &d), MB_OK);
	mb_nr_saved_free(&sv);
	assert_true(mb_newsroom_visible(&f->env, &f->reader, uri));
	/* Withhold, then cancel: a canceled item stays so. */
	assert_int_equal(mb_newsroom_act(&f->env, &f->editor, uri,
	    MB_NR_WITHHOLD, NULL, 0, &sv, &d), MB_OK);
	mb_nr_saved_free(&sv);
	assert_false(mb_newsroom_visible(&f->env, &f->reader, uri));
	assert_int_equal(mb_newsroom_act(&f->env, &f->editor, uri,
	    MB_NR_WITHHOLD, NULL, 0, &sv, &d), MB_ERR_EXISTS);
	assert_int_equal(mb_newsroom_act(&f->env, &f->editor, uri,
	    MB_NR_CANCEL, NULL, 0, &sv, &d), MB_OK);
	mb_nr_saved_free(&sv);
	assert_int_equal(mb_newsroom_act(&f->env, &f->editor, uri,
	    MB_NR_PUBLISH, NULL, 0, &sv, &d), MB_ERR_EXISTS);
	assert_string_equal(sv.code, "canceled");
	assert_int_equal(mb_nr_action_parse("publish"), MB_NR_PUBLISH);
	assert_int_equal(mb_nr_action_parse("delete"), -1);
}

/* A profile's rule, as the edge plugs it in: "bad" is refused. */
static int checked;

static int
refuse_bad(const json_t *item, struct mb_diag *d)
{
	const char *h = json_string_value(json_object_get(json_array_get(
	    json_object_get(item, "headlines"), 0), "value"));

	checked++;
	if (json_string_value(json_object_get(item, "uri")) == NULL)
		return mb_diag_set(d, MB_ERR_INVAL, "uri: not set yet");
	if (h != NULL && strcmp(h, "bad") == 0)
		return mb_diag_set(d, MB_ERR_INVAL, "headlines: bad");
	return MB_OK;
}

/*
 * The environment's check runs on every version created or edited, with
 * its uri, before anything is signed: a refusal stores nothing.
 */
static void
test_profile_check(void **state)
{
	struct fixture		*f = *state;
	struct mb_nr_precond	 pre = { true, 0, { 0 } };
	struct mb_nr_saved	 sv;
	struct mb_nr_item	 it;
	struct mb_diag		 d = { "" };
	char			 uri[MB_URI_MAX];
	int64_t			 seq, seq2;

	f->env.check = refuse_bad;
	checked = 0;
	assert_int_equal(mb_store_last_seq(f->st, &seq, NULL), MB_OK);
	assert_int_equal(create(f, &f->editor, "bad", NULL, uri),
	    MB_ERR_INVAL);
	assert_int_equal(checked, 1);
	assert_int_equal(f->saved, 0);
	assert_int_equal(create(f, &f->editor, "good", NULL, uri), MB_OK);
	assert_int_equal(mb_newsroom_update(&f->env, &f->editor, uri, &pre,
	    item("bad"), NULL, &sv, &d), MB_ERR_INVAL);
	assert_string_equal(sv.code, "invalid");
	assert_non_null(strstr(d.msg, "headlines: bad"));
	assert_int_equal(checked, 3);
	assert_int_equal(mb_newsroom_get(&f->env, &f->editor, uri, 0, &it,
	    &d), MB_OK);
	assert_int_equal(it.version, 1);
	mb_nr_item_free(&it);
	assert_int_equal(mb_store_last_seq(f->st, &seq2, NULL), MB_OK);
	assert_int_equal(seq2, seq + 1);
	assert_int_equal(mb_newsroom_update(&f->env, &f->editor, uri, &pre,
	    item("better"), NULL, &sv, &d), MB_OK);
	assert_int_equal(sv.version, 2);
	mb_nr_saved_free(&sv);
}

/*
 * The create and workflow cells of docs/permissions.md, role by role, at
 * the service: MB_OK, MB_ERR_PERM (403; 401 for a reader at the edge) or
 * MB_ERR_NOTFOUND (404: the item is not theirs to see).
 */
static void
test_action_cells(void **state)
{
	struct fixture		*f = *state;
	const struct mb_actor	*who[] = { &f->reader, &f->member, &f->tra,
	    &f->jou, &f->editor, &f->admin };
	/* reader, member, translator, journalist, editor, admin */
	static const int create_draft[] = { MB_ERR_PERM, MB_ERR_PERM,
	    MB_ERR_PERM, MB_OK, MB_OK, MB_OK };
	static const int create_published[] = { MB_ERR_PERM, MB_ERR_PERM,
	    MB_ERR_PERM, MB_ERR_PERM, MB_OK, MB_OK };
	static const int publish_other[] = { MB_ERR_NOTFOUND, MB_ERR_NOTFOUND,
	    MB_ERR_NOTFOUND, MB_ERR_NOTFOUND, MB_OK, MB_OK };
	static const int withhold[] = { MB_ERR_PERM, MB_ERR_PERM, MB_ERR_PERM,
	    MB_ERR_PERM, MB_OK, MB_OK };
	struct mb_nr_saved	 sv;
	struct mb_diag		 d = { "" };
	char			 uri[MB_URI_MAX];
	int			 rc;

	for (size_t r = 0; r < sizeof(who) / sizeof(who[0]); r++) {
		print_message("role %s\n", mb_role_name(who[r]->role));
		assert_int_equal(create(f, who[r], "Draft", NULL, uri),
		    create_draft[r]);
		assert_int_equal(create(f, who[r], "Out", json_pack("{s:s}",
		    "workflow", "published"), uri), create_published[r]);
		/* Someone else's submitted item: only editors publish it. */
		assert_int_equal(create(f, &f->jou2, "Theirs", NULL, uri),
		    MB_OK);
		assert_int_equal(mb_newsroom_act(&f->env, &f->jou2, uri,
		    MB_NR_SUBMIT, NULL, 0, &sv, &d), MB_OK);
		mb_nr_saved_free(&sv);
		rc = mb_newsroom_act(&f->env, who[r], uri, MB_NR_PUBLISH, NULL,
		    0, &sv, &d);
		assert_int_equal(rc, publish_other[r]);
		if (rc == MB_OK)
			mb_nr_saved_free(&sv);
		/* A published public item: everyone sees it, editors act. */
		assert_int_equal(create(f, &f->editor, "Public", json_pack(
		    "{s:s}", "workflow", "published"), uri), MB_OK);
		for (int a = MB_NR_WITHHOLD; a <= MB_NR_EMBARGO; a++) {
			rc = mb_newsroom_act(&f->env, who[r], uri,
			    (enum mb_nr_action)a, NULL, a == MB_NR_EMBARGO ?
			    mb_time_now_ms() + 60000 : 0, &sv, &d);
			assert_int_equal(rc, withhold[r]);
			if (rc == MB_OK)
				mb_nr_saved_free(&sv);
			if (rc == MB_OK && a == MB_NR_CANCEL)
				break;
		}
		/* Refused, nothing changed: readers still see it; else not. */
		assert_int_equal(mb_newsroom_visible(&f->env, &f->reader, uri),
		    withhold[r] != MB_OK);
	}
}

static int
count_tokens(const struct mb_token_info *t, void *arg)
{
	(void)t;
	(*(int *)arg)++;
	return MB_OK;
}

static void
test_revocation(void **state)
{
	struct fixture	*f = *state;
	struct mb_user	 u;
	char		 t1[MB_SECRET_TEXT_LEN], t2[MB_SECRET_TEXT_LEN];
	char		 s[MB_SECRET_TEXT_LEN], csrf[MB_SECRET_TEXT_LEN];
	char		 id[MB_TOKEN_ID_LEN];
	int		 n = 0;

	assert_int_equal(mb_accounts_token_new(f->st, "jou", t1, NULL), MB_OK);
	assert_int_equal(mb_accounts_token_new(f->st, "jou", t2, NULL), MB_OK);
	assert_int_equal(mb_accounts_session_new(f->st, f->jou.user_id,
	    3600 * 1000, s, csrf, NULL), MB_OK);
	assert_int_equal(mb_accounts_token_list(f->st, "jou", count_tokens, &n,
	    NULL), MB_OK);
	assert_int_equal(n, 2);
	mb_accounts_token_id(t1, id);
	assert_int_equal(strlen(id), 12);
	assert_int_equal(mb_accounts_token_revoke(f->st, id, NULL), MB_OK);
	assert_int_equal(mb_accounts_token_user(f->st, t1, &u, NULL),
	    MB_ERR_NOTFOUND);
	assert_int_equal(mb_accounts_token_user(f->st, t2, &u, NULL), MB_OK);
	assert_int_equal(mb_accounts_token_revoke(f->st, id, NULL),
	    MB_ERR_NOTFOUND);
	assert_int_equal(mb_accounts_token_revoke(f->st, "XYZ", NULL),
	    MB_ERR_INVAL);
	/* Disabling ends the session and the token at once. */
	assert_int_equal(mb_accounts_user_disable(f->st, "jou", true, NULL),
	    MB_OK);
	assert_int_equal(mb_accounts_token_user(f->st, t2, &u, NULL),
	    MB_ERR_NOTFOUND);
	assert_int_equal(mb_accounts_session_user(f->st, s, &u, NULL, NULL),
	    MB_ERR_NOTFOUND);
	assert_int_equal(mb_accounts_login(f->st, "jou", "password 123", &u,
	    NULL), MB_ERR_PERM);
	assert_int_equal(mb_accounts_user_disable(f->st, "jou", false, NULL),
	    MB_OK);
	assert_int_equal(mb_accounts_token_user(f->st, t2, &u, NULL),
	    MB_ERR_NOTFOUND);
	assert_int_equal(mb_accounts_login(f->st, "jou", "password 123", &u,
	    NULL), MB_OK);
	/* A password change ends them too. */
	assert_int_equal(mb_accounts_token_new(f->st, "jou", t1, NULL), MB_OK);
	assert_int_equal(mb_accounts_set_password(f->st, "jou",
	    "another password", NULL), MB_OK);
	assert_int_equal(mb_accounts_token_user(f->st, t1, &u, NULL),
	    MB_ERR_NOTFOUND);
	assert_int_equal(mb_accounts_user_disable(f->st, "ghost", true, NULL),
	    MB_ERR_NOTFOUND);
	assert_int_equal(mb_accounts_set_role(f->st, "jou", "king", NULL),
	    MB_ERR_INVAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_policy),
		cmocka_unit_test_setup_teardown(test_create_rules, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_workflow, setup, teardown),
		cmocka_unit_test_setup_teardown(test_profile_check, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_action_cells, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_revocation, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
