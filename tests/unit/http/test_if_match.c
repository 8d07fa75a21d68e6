/* SPDX-License-Identifier: MIT */
/* Unit tests for src/http/if_match.c: the If-Match forms of RFC 9110 §13.1.1 and the bare version. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "http/if_match.h"

static void
test_tags(void **state)
{
	struct mb_nr_precond p;

	(void)state;
	assert_int_equal(mb_if_match_parse(NULL, &p), 1);
	/* The tags GET sends, identity and gzip-coded. */
	assert_int_equal(mb_if_match_parse("\"3\"", &p), 0);
	assert_false(p.any);
	assert_int_equal(p.n, 1);
	assert_int_equal(p.v[0], 3);
	assert_int_equal(mb_if_match_parse("\"12-gzip\"", &p), 0);
	assert_int_equal(p.n, 1);
	assert_int_equal(p.v[0], 12);
	/* A bare version, as earlier clients sent. */
	assert_int_equal(mb_if_match_parse(" 7 ", &p), 0);
	assert_int_equal(p.v[0], 7);
	/* A list: any one may match; foreign and weak tags name none. */
	assert_int_equal(mb_if_match_parse("\"9\", W/\"4\",\"x\" , \"3\"", &p),
	    0);
	assert_int_equal(p.n, 2);
	assert_int_equal(p.v[0], 9);
	assert_int_equal(p.v[1], 3);
	assert_int_equal(mb_if_match_parse("*", &p), 0);
	assert_true(p.any);
	assert_int_equal(p.n, 0);
}

static void
test_never_matches(void **state)
{
	struct mb_nr_precond p;

	(void)state;
	/* Weak comparison is not allowed for If-Match: a 412, never a match. */
	assert_int_equal(mb_if_match_parse("W/\"3\"", &p), 0);
	assert_false(p.any);
	assert_int_equal(p.n, 1);
	assert_int_equal(p.v[0], -1);
	assert_int_equal(mb_if_match_parse("\"3-deflate\"", &p), 0);
	assert_int_equal(p.v[0], -1);
	assert_int_equal(mb_if_match_parse("\"0\"", &p), 0);
	assert_int_equal(p.v[0], -1);
	assert_int_equal(mb_if_match_parse("\"\"", &p), 0);
	assert_int_equal(p.v[0], -1);
}

static void
test_malformed(void **state)
{
	static const char *const bad[] = {
		"\"5", "W/7", "abc", "5x", "\"1\" \"2\"", "\"a b\"",
		"\"1\";", "* \"1\"",
	};
	struct mb_nr_precond p;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		print_message("%s\n", bad[i]);
		assert_int_equal(mb_if_match_parse(bad[i], &p), -1);
	}
}

/* More versions than fit were dropped: a list naming the current version
 * ninth answered 412. Now too many is refused (400), and a version named
 * twice ("N" and "N-gzip") counts once. */
static void
test_too_many(void **state)
{
	struct mb_nr_precond p;

	(void)state;
	assert_int_equal(mb_if_match_parse("\"1\",\"2\",\"3\",\"4\",\"5\","
	    "\"6\",\"7\",\"8\",\"9\"", &p), -2);
	assert_int_equal(mb_if_match_parse("\"1\",\"1-gzip\",\"2\",\"2-gzip\","
	    "\"3\",\"3-gzip\",\"4\",\"4-gzip\",\"5\",\"5-gzip\"", &p), 0);
	assert_int_equal(p.n, 5);
	assert_int_equal(p.v[4], 5);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tags),
		cmocka_unit_test(test_never_matches),
		cmocka_unit_test(test_too_many),
		cmocka_unit_test(test_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
