/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for src/newsroom/policy.c: the read and edit cells of the
 * table in docs/permissions.md, role by role, at the rules themselves
 * (the integration test checks the same cells over HTTP).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <string.h>

#include "newsroom/policy.h"
#include "store/store.h"

#define NOW	1000000
#define ME	10
#define OTHER	99

enum { R_READER, R_MEMBER, R_TRANSLATOR, R_JOURNALIST, R_EDITOR, R_ADMIN,
    NROLES };

static const enum mb_role roles[NROLES] = {
	MB_ROLE_NONE, MB_ROLE_MEMBER, MB_ROLE_TRANSLATOR, MB_ROLE_JOURNALIST,
	MB_ROLE_EDITOR, MB_ROLE_ADMIN,
};

/* One row: an item's state and, per role, 1 allowed, 0 refused, -1 n/a. */
struct row {
	const char		*name;
	struct mb_item_state	 s;
	int			 cell[NROLES];
};

static struct mb_actor
actor(int r)
{
	struct mb_actor a = { r == R_READER ? 0 : ME, "x", roles[r] };

	return a;
}

static void
test_read_cells(void **state)
{
	static const struct row rows[] = {
		{ "read-public", { OTHER, "published", "usable", "public",
		    0, NULL }, { 1, 1, 1, 1, 1, 1 } },
		{ "read-network", { OTHER, "published", "usable", "network",
		    0, NULL }, { 0, 1, 1, 1, 1, 1 } },
		{ "read-internal", { OTHER, "published", "usable", "internal",
		    0, NULL }, { 0, 0, 1, 1, 1, 1 } },
		{ "read-draft-other", { OTHER, "draft", "usable", "public",
		    0, NULL }, { 0, 0, 0, 0, 1, 1 } },
		{ "read-draft-own", { ME, "draft", "usable", "public",
		    0, NULL }, { -1, -1, 1, 1, 1, 1 } },
		{ "read-submitted-other", { OTHER, "submitted", "usable",
		    "public", 0, NULL }, { 0, 0, 0, 0, 1, 1 } },
		{ "read-embargoed", { OTHER, "published", "usable", "public",
		    NOW + 1, NULL }, { 0, 0, 0, 0, 1, 1 } },
		{ "read-embargo-past", { OTHER, "published", "usable",
		    "public", NOW, NULL }, { 1, 1, 1, 1, 1, 1 } },
		{ "read-withheld", { OTHER, "published", "withheld", "public",
		    0, NULL }, { 0, 0, 0, 0, 1, 1 } },
		{ "read-canceled", { OTHER, "published", "canceled", "public",
		    0, NULL }, { 0, 0, 0, 0, 1, 1 } },
		{ "read-no-author", { 0, "draft", "usable", "public",
		    0, NULL }, { 0, 0, 0, 0, 1, 1 } },
		/* A quiz holds its answer key: staff only, as internal. */
		{ "read-quiz", { OTHER, "published", "usable", "network",
		    0, "quiz" }, { 0, 0, 1, 1, 1, 1 } },
		{ "read-quiz-public", { OTHER, "published", "usable",
		    "public", 0, "quiz" }, { 0, 0, 1, 1, 1, 1 } },
		{ "read-lesson", { OTHER, "published", "usable", "network",
		    0, "lesson" }, { 0, 1, 1, 1, 1, 1 } },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		for (int r = 0; r < NROLES; r++) {
			struct mb_actor a = actor(r);

			if (rows[i].cell[r] < 0)
				continue;
			print_message("%s as %s\n", rows[i].name,
			    mb_role_name(roles[r]));
			assert_int_equal(mb_policy_visible(&a, &rows[i].s, NOW),
			    rows[i].cell[r] == 1);
		}
	/* An anonymous reader is never the author, even of an authorless item. */
	{
		struct mb_actor		a = actor(R_READER);
		struct mb_item_state	s = { 0, "draft", "usable", "public",
					    0, NULL };

		assert_false(mb_policy_own(&a, &s));
		assert_false(mb_policy_visible(NULL, &s, NOW));
	}
	/* A learner reads what a reader reads: no quiz either. */
	{
		struct mb_actor		a = { ME, "x", MB_ROLE_LEARNER };
		struct mb_item_state	s = { OTHER, "published", "usable",
					    "network", 0, "quiz" };

		assert_false(mb_policy_visible(&a, &s, NOW));
		assert_string_equal(mb_policy_read_audience(&s), "internal");
		s.profile = NULL;
		assert_string_equal(mb_policy_read_audience(&s), "network");
	}
}

static void
test_edit_cells(void **state)
{
	static const struct row rows[] = {
		{ "edit-own-draft", { ME, "draft", "usable", "public",
		    0, NULL }, { -1, -1, 1, 1, 1, 1 } },
		{ "edit-own-submitted", { ME, "submitted", "usable", "public",
		    0, NULL }, { -1, -1, 1, 1, 1, 1 } },
		{ "edit-other-draft", { OTHER, "draft", "usable", "public",
		    0, NULL }, { 0, 0, 0, 0, 1, 1 } },
		{ "edit-published", { OTHER, "published", "usable", "public",
		    0, NULL }, { 0, 0, 0, 0, 1, 1 } },
		{ "edit-own-published", { ME, "published", "usable", "public",
		    0, NULL }, { -1, -1, 0, 0, 1, 1 } },
	};
	char why[160];

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		for (int r = 0; r < NROLES; r++) {
			struct mb_actor	a = actor(r);
			bool		ok;

			if (rows[i].cell[r] < 0)
				continue;
			print_message("%s as %s\n", rows[i].name,
			    mb_role_name(roles[r]));
			why[0] = '\0';
			ok = mb_policy_may_edit(&a, &rows[i].s, why,
			    sizeof(why));
			assert_int_equal(ok, rows[i].cell[r] == 1);
			/* A refusal says why, naming the role. */
			if (!ok)
				assert_non_null(strstr(why,
				    mb_role_name(roles[r])));
		}
}

static void
test_audiences(void **state)
{
	(void)state;
	/* Each role reads its audiences and every weaker role's. */
	for (int r = 1; r < NROLES; r++)
		assert_int_equal(mb_audiences_of(roles[r]) &
		    mb_audiences_of(roles[r - 1]), mb_audiences_of(roles[r - 1]));
	assert_int_equal(mb_audiences_of(MB_ROLE_NONE), MB_AUD_PUBLIC);
	assert_int_equal(mb_audiences_of(MB_ROLE_MEMBER), MB_AUD_PUBLIC |
	    MB_AUD_NETWORK);
	for (int r = R_TRANSLATOR; r < NROLES; r++)
		assert_int_equal(mb_audiences_of(roles[r]), MB_AUD_PUBLIC |
		    MB_AUD_NETWORK | MB_AUD_INTERNAL);
	/* A role out of range reads no more than a reader. */
	assert_int_equal(mb_audiences_of((enum mb_role)-3), MB_AUD_PUBLIC);
	assert_int_equal(mb_audience_bit("public"), MB_AUD_PUBLIC);
	assert_int_equal(mb_audience_bit("network"), MB_AUD_NETWORK);
	assert_int_equal(mb_audience_bit("internal"), MB_AUD_INTERNAL);
	/* A typo or nothing never widens an audience. */
	assert_int_equal(mb_audience_bit("Public"), MB_AUD_INTERNAL);
	assert_int_equal(mb_audience_bit(NULL), MB_AUD_INTERNAL);
	assert_true(mb_audience_valid("network"));
	assert_false(mb_audience_valid(""));
	assert_false(mb_audience_valid(NULL));
}

static void
test_roles(void **state)
{
	(void)state;
	for (int r = R_MEMBER; r < NROLES; r++)
		assert_int_equal(mb_role_parse(mb_role_name(roles[r])),
		    roles[r]);
	/* A learner (courses) reads what a reader reads. */
	assert_int_equal(mb_role_parse("learner"), MB_ROLE_LEARNER);
	assert_string_equal(mb_role_name(MB_ROLE_LEARNER), "learner");
	assert_int_equal(mb_audiences_of(MB_ROLE_LEARNER), MB_AUD_PUBLIC);
	/* "reader" is no role one can be given: it is having none. */
	assert_int_equal(mb_role_parse("reader"), MB_ROLE_NONE);
	assert_int_equal(mb_role_parse("Admin"), MB_ROLE_NONE);
	assert_int_equal(mb_role_parse(NULL), MB_ROLE_NONE);
	assert_string_equal(mb_role_name((enum mb_role)42), "reader");
	/* A corrupt role is a reader, not something above admin. */
	{
		struct mb_actor		bad = { ME, "x", (enum mb_role)42 };
		struct mb_item_state	s = { OTHER, "draft", "usable",
		    "internal", 0, NULL };
		char			why[160];

		assert_int_equal(mb_actor_role(&bad), MB_ROLE_NONE);
		assert_int_equal(mb_actor_role(NULL), MB_ROLE_NONE);
		assert_false(mb_policy_visible(&bad, &s, NOW));
		assert_false(mb_policy_may_edit(&bad, &s, why, sizeof(why)));
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_cells),
		cmocka_unit_test(test_edit_cells),
		cmocka_unit_test(test_audiences),
		cmocka_unit_test(test_roles),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
