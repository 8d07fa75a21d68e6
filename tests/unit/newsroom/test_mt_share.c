/* SPDX-License-Identifier: MIT */
/* Unit tests for lending engines to member centers: the rate per center and the bounds of a request, checked before any engine is asked. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mt/mt_int.h"
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

/* ---- what is announced --------------------------------------------------- */

/* A fake engine: its pairs are its user pointer's "from|to" list. */
static int
fake_pairs(struct mb_mt__engine *e, int timeout_ms, struct mb_mt_pair **out,
    size_t *n, struct mb_diag *d)
{
	const char *const	*l = e->user;
	size_t			 k = 0;

	(void)timeout_ms;
	(void)d;
	while (l[k] != NULL)
		k++;
	*out = calloc(k + 1, sizeof(**out));
	for (size_t i = 0; i < k; i++) {
		sscanf(l[i], "%35[^|]|%35s", (*out)[i].from, (*out)[i].to);
		memcpy((*out)[i].engine_from, (*out)[i].from, 36);
		memcpy((*out)[i].engine_to, (*out)[i].to, 36);
	}
	*n = k;
	return MB_OK;
}

static const struct mb_mt__backend fake = { MB_MT_APY, fake_pairs, NULL };

static void
add(struct mb_mt *mt, const char *name, bool share, const char **pairs)
{
	struct mb_mt_engine_conf c;

	mb_mt_engine_conf_defaults(&c);
	snprintf(c.name, sizeof(c.name), "%s", name);
	snprintf(c.url, sizeof(c.url), "http://127.0.0.1:1");
	c.share = share;
	assert_int_equal(mb_mt__add(mt, &c, &fake, (void *)pairs, NULL),
	    MB_OK);
}

/*
 * Only shared engines' pairs, sorted, once each, in the registry's
 * languages (Asturian's "ast" is not announced); never a lender's.
 */
static void
test_announcement(void **state)
{
	static const char	*shared[] = { "es|en", "en|es", "ast|es",
	    "en|es", NULL };
	static const char	*private[] = { "fr|es", NULL };
	struct mb_mt_lender	 l = { "moscow", "http://127.0.0.1:2", "ru|en" };
	struct mb_mt		*mt;
	char			 dir[] = "/tmp/mb-share-test.XXXXXX", *s;
	json_t			*a;

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(mb_mt_open(dir, &mt, NULL), MB_OK);
	a = mb_mt_share_announcement(mt);
	assert_int_equal(json_array_size(a), 0);
	json_decref(a);
	add(mt, "apy", true, shared);
	add(mt, "mine", false, private);
	assert_int_equal(mb_mt_set_lenders(mt, &l, 1, NULL), MB_OK);
	a = mb_mt_share_announcement(mt);
	s = json_dumps(a, JSON_COMPACT);
	assert_string_equal(s, "[\"en|es\",\"es|en\"]");
	free(s);
	json_decref(a);
	mb_mt_close(mt);
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rate_per_center),
		cmocka_unit_test(test_many_callers),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_announcement),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
