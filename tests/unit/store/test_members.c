/* SPDX-License-Identifier: MIT */
/* Unit tests for the members and agenda domains on each backend. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/agenda.h"
#include "store/agenda_int.h"
#include "store/members.h"
#include "store/members_int.h"
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
fill(struct mb_member *m, const char *uri, const char *name,
    const char *category, const char *user)
{
	memset(m, 0, sizeof(*m));
	snprintf(m->uri, sizeof(m->uri), "%s", uri);
	snprintf(m->name, sizeof(m->name), "%s", name);
	snprintf(m->category, sizeof(m->category), "%s", category);
	snprintf(m->country, sizeof(m->country), "EG");
	snprintf(m->languages, sizeof(m->languages), "ar,en");
	snprintf(m->audience, sizeof(m->audience), "network");
	snprintf(m->email, sizeof(m->email), "%s@example.org", name);
	snprintf(m->user, sizeof(m->user), "%s", user);
}

struct names {
	int	n;
	char	name[8][128];
};

static int
collect(const struct mb_member *m, void *arg)
{
	struct names *c = arg;

	if (c->n < 8)
		snprintf(c->name[c->n], sizeof(c->name[0]), "%s", m->name);
	c->n++;
	return MB_OK;
}

static void
test_members(void **state)
{
	struct mb_store			*st = open_store();
	struct mb_member		 m, got;
	struct mb_store_member_filter	 f;
	struct names			 c;
	int64_t				 a = 0, b = 0;

	(void)state;
	fill(&m, "urn:mediabridge:cairo:m1", "Zeinab", "diplomat", "zeinab");
	assert_int_equal(mb_store_member_add(st, &m, &a, NULL), MB_OK);
	fill(&m, "urn:mediabridge:cairo:m2", "Adel", "academic", "");
	assert_int_equal(mb_store_member_add(st, &m, &b, NULL), MB_OK);
	assert_true(a > 0 && b > a);
	/* The same profile, or the same account, twice: refused. */
	fill(&m, "urn:mediabridge:cairo:m1", "Other", "expert", "");
	assert_int_equal(mb_store_member_add(st, &m, NULL, NULL),
	    MB_ERR_EXISTS);
	fill(&m, "urn:mediabridge:cairo:m3", "Other", "expert", "zeinab");
	assert_int_equal(mb_store_member_add(st, &m, NULL, NULL),
	    MB_ERR_EXISTS);
	/* Two members without an account are fine (NULL is not a value). */
	fill(&m, "urn:mediabridge:cairo:m4", "Basma", "journalist", "");
	assert_int_equal(mb_store_member_add(st, &m, NULL, NULL), MB_OK);

	assert_int_equal(mb_store_member_get(st, a, NULL, NULL, &got, NULL),
	    MB_OK);
	assert_string_equal(got.name, "Zeinab");
	assert_string_equal(got.email, "Zeinab@example.org");
	assert_string_equal(got.status, "active");
	assert_string_equal(got.bio, "{}");
	assert_int_equal(mb_store_member_get(st, 0, "urn:mediabridge:cairo:m2",
	    NULL, &got, NULL), MB_OK);
	assert_int_equal(got.id, b);
	assert_string_equal(got.user, "");
	assert_int_equal(mb_store_member_get(st, 0, NULL, "zeinab", &got,
	    NULL), MB_OK);
	assert_int_equal(got.id, a);
	assert_int_equal(mb_store_member_get(st, 999, NULL, NULL, &got, NULL),
	    MB_ERR_NOTFOUND);

	got.id = a;
	assert_int_equal(mb_store_member_get(st, a, NULL, NULL, &got, NULL),
	    MB_OK);
	snprintf(got.status, sizeof(got.status), "suspended");
	assert_int_equal(mb_store_member_update(st, &got, NULL), MB_OK);
	got.id = 999;
	assert_int_equal(mb_store_member_update(st, &got, NULL),
	    MB_ERR_NOTFOUND);

	/* The photo: "" until set, then the association's text. */
	{
		char *ph = NULL;

		assert_int_equal(mb_store_member_photo_get(st, a, &ph, NULL),
		    MB_OK);
		assert_string_equal(ph, "");
		free(ph);
		assert_int_equal(mb_store_member_photo_set(st, a,
		    "{\"name\":\"photo\"}", NULL), MB_OK);
		assert_int_equal(mb_store_member_photo_get(st, a, &ph, NULL),
		    MB_OK);
		assert_string_equal(ph, "{\"name\":\"photo\"}");
		free(ph);
		/* An update of the record keeps it. */
		assert_int_equal(mb_store_member_get(st, a, NULL, NULL, &got,
		    NULL), MB_OK);
		assert_int_equal(mb_store_member_update(st, &got, NULL),
		    MB_OK);
		assert_int_equal(mb_store_member_photo_get(st, a, &ph, NULL),
		    MB_OK);
		assert_string_equal(ph, "{\"name\":\"photo\"}");
		free(ph);
		assert_int_equal(mb_store_member_photo_set(st, 999, "", NULL),
		    MB_ERR_NOTFOUND);
		assert_int_equal(mb_store_member_photo_get(st, 999, &ph, NULL),
		    MB_ERR_NOTFOUND);
	}

	memset(&c, 0, sizeof(c));
	assert_int_equal(mb_store_member_list(st, NULL, collect, &c, NULL),
	    MB_OK);
	assert_int_equal(c.n, 3);
	assert_string_equal(c.name[0], "Adel");
	assert_string_equal(c.name[2], "Zeinab");
	memset(&f, 0, sizeof(f));
	f.status = "active";
	memset(&c, 0, sizeof(c));
	assert_int_equal(mb_store_member_list(st, &f, collect, &c, NULL),
	    MB_OK);
	assert_int_equal(c.n, 2);
	f.category = "journalist";
	memset(&c, 0, sizeof(c));
	assert_int_equal(mb_store_member_list(st, &f, collect, &c, NULL),
	    MB_OK);
	assert_int_equal(c.n, 1);
	assert_string_equal(c.name[0], "Basma");
	mb_store_close(st);
}

static int
collect_vote(int64_t member, const char *choice, int64_t created_ms,
    void *arg)
{
	int *n = arg;

	(void)member;
	/* A secret vote carries neither choice nor time. */
	if (choice == NULL)
		assert_int_equal(created_ms, 0);
	else
		assert_true(created_ms > 0);
	(*n)++;
	return MB_OK;
}

static void
test_votes(void **state)
{
	struct mb_store		*st = open_store();
	struct mb_agenda_counts	 c;
	bool			 v;
	int			 n = 0;
	const char		*p = "urn:mediabridge:moscow:p1";
	const char		*s = "urn:mediabridge:moscow:p2";

	(void)state;
	assert_int_equal(mb_store_agenda_vote(st, p, 1, "yes", false, 1000,
	    NULL), MB_OK);
	assert_int_equal(mb_store_agenda_vote(st, p, 1, "no", false, 1001,
	    NULL), MB_ERR_EXISTS);
	assert_int_equal(mb_store_agenda_vote(st, p, 2, "no", false, 1002,
	    NULL), MB_OK);
	assert_int_equal(mb_store_agenda_vote(st, s, 1, "yes", true, 1003,
	    NULL), MB_OK);
	assert_int_equal(mb_store_agenda_vote(st, s, 1, "no", true, 1004,
	    NULL), MB_ERR_EXISTS);
	assert_int_equal(mb_store_agenda_vote(st, s, 2, "abstain", true, 1005,
	    NULL), MB_OK);
	assert_int_equal(mb_store_agenda_count(st, p, false, &c, NULL), MB_OK);
	assert_int_equal(c.voters, 2);
	assert_int_equal(c.yes, 1);
	assert_int_equal(c.no, 1);
	assert_int_equal(mb_store_agenda_count(st, s, false, &c, NULL), MB_OK);
	assert_int_equal(c.voters, 2);
	assert_int_equal(c.yes, 1);
	assert_int_equal(c.abstain, 1);
	assert_int_equal(c.no, 0);
	assert_int_equal(mb_store_agenda_voted(st, s, 2, &v, NULL), MB_OK);
	assert_true(v);
	assert_int_equal(mb_store_agenda_voted(st, s, 3, &v, NULL), MB_OK);
	assert_false(v);
	assert_int_equal(mb_store_agenda_votes(st, s, collect_vote, &n, NULL),
	    MB_OK);
	assert_int_equal(n, 2);
	/*
	 * What a secret poll leaves: who voted, without a choice or a time;
	 * the ballots, without a member or a time.
	 */
	assert_int_equal(tb_query_int("SELECT count(*) FROM agenda_voted WHERE "
	    "proposal = 'urn:mediabridge:moscow:p2' AND (choice IS NOT NULL OR "
	    "created_ms IS NOT NULL)"), 0);
	assert_int_equal(tb_query_int("SELECT count(*) FROM agenda_ballots"),
	    2);
	assert_int_equal(tb_query_int("SELECT count(*) FROM agenda_ballots "
	    "WHERE length(id) = 32 OR length(id) = 36"), 2);
	mb_store_close(st);
}

struct ncomments {
	int	n;
	int64_t	last;
};

static int
collect_comment(const struct mb_agenda_comment *c, void *arg)
{
	struct ncomments *nc = arg;

	nc->n++;
	nc->last = c->id;
	return MB_OK;
}

static void
test_reports(void **state)
{
	struct mb_store		*st = open_store();
	struct ncomments	 nc;
	int64_t			 id = 0, n = 0;
	bool			 hidden = true;
	char			 target[64];
	const char		*p = "urn:mediabridge:moscow:p1";

	(void)state;
	assert_int_equal(mb_store_agenda_comment_add(st, p, 1, "I agree",
	    1000, &id, NULL), MB_OK);
	assert_true(id > 0);
	{
		char on[128];

		assert_int_equal(mb_store_agenda_comment_proposal(st, id, on,
		    sizeof(on), NULL), MB_OK);
		assert_string_equal(on, p);
		assert_int_equal(mb_store_agenda_comment_proposal(st, id + 99,
		    on, sizeof(on), NULL), MB_ERR_NOTFOUND);
	}
	snprintf(target, sizeof(target), "comment:%lld", (long long)id);
	assert_int_equal(mb_store_agenda_report(st, target, 2, 3, &n, &hidden,
	    NULL), MB_OK);
	assert_int_equal(n, 1);
	assert_false(hidden);
	assert_int_equal(mb_store_agenda_report(st, target, 2, 3, &n, &hidden,
	    NULL), MB_ERR_EXISTS);
	assert_int_equal(mb_store_agenda_report(st, target, 3, 3, &n, &hidden,
	    NULL), MB_OK);
	assert_false(hidden);
	assert_int_equal(mb_store_agenda_report(st, target, 4, 3, &n, &hidden,
	    NULL), MB_OK);
	assert_int_equal(n, 3);
	assert_true(hidden);
	memset(&nc, 0, sizeof(nc));
	assert_int_equal(mb_store_agenda_comments(st, p, false,
	    collect_comment, &nc, NULL), MB_OK);
	assert_int_equal(nc.n, 0);
	assert_int_equal(mb_store_agenda_comments(st, p, true,
	    collect_comment, &nc, NULL), MB_OK);
	assert_int_equal(nc.n, 1);
	/* A moderator shows it again; later reports no longer hide it. */
	assert_int_equal(mb_store_agenda_moderate(st, target, false, NULL),
	    MB_OK);
	assert_int_equal(mb_store_agenda_report(st, target, 5, 3, &n, &hidden,
	    NULL), MB_OK);
	assert_int_equal(n, 4);
	assert_false(hidden);
	assert_int_equal(mb_store_agenda_flags(st, p, &n, &hidden, NULL),
	    MB_OK);
	assert_int_equal(n, 0);
	mb_store_close(st);
}

static void
test_tables_are_full(void **state)
{
	(void)state;
	assert_int_equal(tb_ops_missing(&mb_sqlite_members, 0,
	    sizeof(struct mb_store_members_ops)), 0);
	assert_int_equal(tb_ops_missing(&mb_pg_members, 0,
	    sizeof(struct mb_store_members_ops)), 0);
	assert_int_equal(tb_ops_missing(&mb_sqlite_agenda, 0,
	    sizeof(struct mb_store_agenda_ops)), 0);
	assert_int_equal(tb_ops_missing(&mb_pg_agenda, 0,
	    sizeof(struct mb_store_agenda_ops)), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_members, setup, teardown),
		cmocka_unit_test_setup_teardown(test_votes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reports, setup, teardown),
		cmocka_unit_test(test_tables_are_full),
	};

	tb_require();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
