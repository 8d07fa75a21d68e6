/* SPDX-License-Identifier: MIT */
/* Unit tests for src/http/focus.c: a picture's focal point, from the form to ninjs poi and the site's class. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/err.h"
#include "http/focus.h"

static void
test_parse(void **state)
{
	double	x = -1, y = -1;
	bool	given = true;

	(void)state;
	assert_int_equal(mb_focus_parse(NULL, NULL, &x, &y, &given), MB_OK);
	assert_false(given);
	assert_int_equal(mb_focus_parse(" ", "", &x, &y, &given), MB_OK);
	assert_false(given);
	assert_int_equal(mb_focus_parse("0.25", " 0,75 ", &x, &y, &given),
	    MB_OK);
	assert_true(given);
	assert_true(x == 0.25 && y == 0.75);
	assert_int_equal(mb_focus_parse("0", "1", &x, &y, &given), MB_OK);
	assert_true(x == 0 && y == 1);
	/* Out of range, half given, not a plain decimal. */
	static const char *bad[][2] = {
		{ "1.5", "0" }, { "-0.1", "0" }, { "0.5", "" }, { "", "0.5" },
		{ "nan", "0" }, { "inf", "0" }, { "1e-1", "0" }, { "0x1", "0" },
		{ "0.5.5", "0" }, { ".", "0" }, { "1.0000001", "0" },
		{ "0.5abc", "0" }, { "00000000000000000000000000000000.5",
		"0" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(mb_focus_parse(bad[i][0], bad[i][1], &x, &y,
		    &given), MB_ERR_INVAL);
}

static void
test_poi(void **state)
{
	json_t		*r = json_pack("[{s:s, s:i, s:i}, {s:s, s:i, s:i}, "
			    "{s:s}]", "name", "thumbnail", "width", 320,
			    "height", 160, "name", "large", "width", 1600,
			    "height", 800, "name", "original");
	double		 x, y;
	char		 c[8];

	(void)state;
	assert_false(mb_focus_get(r, &x, &y));
	assert_null(mb_focus_class(r, c));
	mb_focus_set(r, 0.8, 0.2);
	/* Pixels of each rendition, the last one included. */
	assert_int_equal(json_integer_value(json_object_get(json_object_get(
	    json_array_get(r, 0), "poi"), "x")), 255);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(
	    json_array_get(r, 0), "poi"), "y")), 32);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(
	    json_array_get(r, 1), "poi"), "x")), 1279);
	/* No size, no poi. */
	assert_null(json_object_get(json_array_get(r, 2), "poi"));
	assert_true(mb_focus_get(r, &x, &y));
	assert_true(x > 0.79 && x < 0.81 && y > 0.19 && y < 0.21);
	assert_string_equal(mb_focus_class(r, c), "fp31");
	/* The middle needs no class; the corners round to quarters. */
	mb_focus_set(r, 0.5, 0.45);
	assert_null(mb_focus_class(r, c));
	mb_focus_set(r, 1, 0);
	assert_string_equal(mb_focus_class(r, c), "fp40");
	/* A poi outside its rendition (an item from elsewhere): ignored. */
	json_object_set_new(json_array_get(r, 0), "poi", json_pack("{s:i, "
	    "s:i}", "x", 320, "y", 0));
	json_object_del(json_array_get(r, 1), "poi");
	assert_false(mb_focus_get(r, &x, &y));
	json_decref(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_poi),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
