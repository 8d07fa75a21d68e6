/* SPDX-License-Identifier: MIT */
/* Unit tests for lending engines to member centers: the rate per center and the bounds of a request, checked before any engine is asked. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "newsroom/mt_share.h"

static void
test_rate_per_center(void **state)
{
	int64_t	now = 1000000;
	int	ok = 0;

	(void)state;
	/* A burst, then one every 60000 / PER_MIN ms. */
	while (mb_mt_share_admit("cairo", now) == 0)
		ok++;
	assert_int_equal(ok, MB_MT_SHARE_BURST);
	assert_true(mb_mt_share_admit("cairo", now) > 0);
	/* Another center is counted apart. */
	assert_int_equal(mb_mt_share_admit("manama", now), 0);
	now += 60000 / MB_MT_SHARE_PER_MIN;
	assert_int_equal(mb_mt_share_admit("cairo", now), 0);
	assert_true(mb_mt_share_admit("cairo", now) > 0);
	/* Time gives back no more than the burst. */
	now += 3600 * 1000;
	ok = 0;
	while (mb_mt_share_admit("cairo", now) == 0)
		ok++;
	assert_int_equal(ok, MB_MT_SHARE_BURST);
}

static void
test_many_callers(void **state)
{
	char id[16];

	(void)state;
	/* More callers than slots: each still gets its burst's first. */
	for (int i = 0; i < 200; i++) {
		snprintf(id, sizeof(id), "c%d", i);
		assert_int_equal(mb_mt_share_admit(id, 5000000 + i), 0);
	}
}

static void
test_bounds(void **state)
{
	struct mb_diag	 d = { "" };
	json_t		*a = NULL, *rq;
	static char	 big[MB_MT_SHARE_BYTES + 10];

	(void)state;
	/* Refused before any engine is asked: mt may be NULL here. */
	rq = json_pack("{s:s, s:s}", "from", "en", "to", "es");
	assert_int_equal(mb_mt_share_translate(NULL, "hq", rq, &a, &d),
	    MB_ERR_INVAL);
	json_decref(rq);
	rq = json_pack("{s:s, s:s, s:[]}", "from", "en", "to", "es",
	    "segments");
	assert_int_equal(mb_mt_share_translate(NULL, "hq", rq, &a, &d),
	    MB_ERR_INVAL);
	json_decref(rq);
	rq = json_pack("{s:s, s:s, s:[i]}", "from", "en", "to", "es",
	    "segments", 3);
	assert_int_equal(mb_mt_share_translate(NULL, "hq", rq, &a, &d),
	    MB_ERR_INVAL);
	assert_non_null(strstr(d.msg, "segments[0]"));
	json_decref(rq);
	rq = json_pack("{s:s, s:s, s:[s, s]}", "from", "en", "to", "es",
	    "segments", "fine", "a</p><p>b");
	assert_int_equal(mb_mt_share_translate(NULL, "hq", rq, &a, &d),
	    MB_ERR_INVAL);
	assert_non_null(strstr(d.msg, "segments[1]"));
	json_decref(rq);
	memset(big, 'a', sizeof(big) - 1);
	rq = json_pack("{s:s, s:s, s:[s]}", "from", "en", "to", "es",
	    "segments", big);
	assert_int_equal(mb_mt_share_translate(NULL, "hq", rq, &a, &d),
	    MB_ERR_TOOBIG);
	json_decref(rq);
	rq = json_pack("{s:s, s:s, s:[]}", "from", "en", "to", "es",
	    "segments");
	for (int i = 0; i <= MB_MT_SHARE_SEGMENTS; i++)
		json_array_append_new(json_object_get(rq, "segments"),
		    json_string("x"));
	assert_int_equal(mb_mt_share_translate(NULL, "hq", rq, &a, &d),
	    MB_ERR_TOOBIG);
	json_decref(rq);
	assert_null(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rate_per_center),
		cmocka_unit_test(test_many_callers),
		cmocka_unit_test(test_bounds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
