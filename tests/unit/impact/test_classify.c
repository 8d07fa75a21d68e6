/* SPDX-License-Identifier: MIT */
/* Unit tests for impact's pure parts: bots, referrer hosts, utm tags, days, trusted proxies. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "impact/impact.h"

static void
test_bots(void **state)
{
	char big[12000];

	(void)state;
	assert_true(mb_impact_is_bot(NULL));
	assert_true(mb_impact_is_bot(""));
	assert_true(mb_impact_is_bot("Mozilla/5.0 (compatible; Googlebot/2.1)"));
	assert_true(mb_impact_is_bot("curl/7.88.1"));
	assert_true(mb_impact_is_bot("python-requests/2.28"));
	assert_true(mb_impact_is_bot("Mozilla/5.0 HeadlessChrome/119"));
	assert_false(mb_impact_is_bot("Mozilla/5.0 (X11; Linux x86_64; "
	    "rv:120.0) Gecko/20100101 Firefox/120.0"));
	/* A feed reader reads for somebody. */
	assert_false(mb_impact_is_bot("NetNewsWire (RSS Reader; "
	    "https://netnewswire.com/)"));
	/* 10 KB: read up to its first KiB, no further. */
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	memcpy(big + 5000, "bot", 3);
	assert_false(mb_impact_is_bot(big));
	memcpy(big + 10, "bot", 3);
	assert_true(mb_impact_is_bot(big));
}

/* A browser fetching a page ahead of its reader says so. */
static void
test_prefetch(void **state)
{
	(void)state;
	assert_true(mb_impact_is_prefetch("prefetch"));
	assert_true(mb_impact_is_prefetch("prefetch;prerender"));
	assert_true(mb_impact_is_prefetch("prefetch;anonymous-client-ip"));
	assert_true(mb_impact_is_prefetch(" Prefetch"));
	assert_true(mb_impact_is_prefetch("other, prefetch"));
	assert_false(mb_impact_is_prefetch(NULL));
	assert_false(mb_impact_is_prefetch(""));
	assert_false(mb_impact_is_prefetch("prefetcher"));
	assert_false(mb_impact_is_prefetch("preview"));
	assert_false(mb_impact_is_prefetch("no;prefetch"));
}

static void
test_referrers(void **state)
{
	static const struct { const char *ref, *host, *want; } cases[] = {
		{ "https://www.News.Example.org:8443/a?b#c", NULL,
		  "news.example.org" },
		{ "http://example.com", NULL, "example.com" },
		{ "https://cairo.example/x", "cairo.example", "" },
		{ "https://www.cairo.example/x", "cairo.example:8080", "" },
		{ "ht!tp://[::1", NULL, "" },
		{ "https://user:pw@evil.example/", NULL, "" },
		{ "https://10.1.2.3/", NULL, "" },
		{ "https://localhost/", NULL, "" },
		{ "https://ex ample.com/", NULL, "" },
		{ "android-app://com.google.android.gm/", NULL, "" },
		{ "https://.example.com/", NULL, "" },
		{ "", NULL, "" },
	};
	char out[MB_IMPACT_HOST_MAX], longref[600];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		mb_impact_referrer_host(cases[i].ref, cases[i].host, out);
		assert_string_equal(out, cases[i].want);
	}
	mb_impact_referrer_host(NULL, NULL, out);
	assert_string_equal(out, "");
	snprintf(longref, sizeof(longref), "https://%0500d.example/", 0);
	mb_impact_referrer_host(longref, NULL, out);
	assert_string_equal(out, "");
}

static void
test_tags_and_days(void **state)
{
	char	tag[MB_IMPACT_TAG_MAX], day[MB_IMPACT_DAY_LEN + 1];
	int	n = 0;

	(void)state;
	mb_impact_tag("spring-2026_nile.v2", tag);
	assert_string_equal(tag, "spring-2026_nile.v2");
	mb_impact_tag("<script>", tag);
	assert_string_equal(tag, "");
	mb_impact_tag("a b", tag);
	assert_string_equal(tag, "");
	mb_impact_tag("0123456789012345678901234567890123456789012345678901"
	    "234567890123", tag);
	assert_string_equal(tag, "");

	mb_impact_day(INT64_C(1764892800000), day);	/* 2025-12-05 */
	assert_string_equal(day, "2025-12-05");
	assert_int_equal(mb_impact_day_add("2026-03-01", -1, day), MB_OK);
	assert_string_equal(day, "2026-02-28");
	assert_int_equal(mb_impact_day_add("2026-02-30", 0, day),
	    MB_ERR_INVAL);
	assert_int_equal(mb_impact_day_add("26-02-01", 0, day), MB_ERR_INVAL);
	assert_int_equal(mb_impact_day_diff("2016-01-01", "2025-12-31", &n),
	    MB_OK);
	assert_int_equal(n, 3652);
}

static void
client(const char *proxies, const char *peer, const char *fwd,
    const char *want)
{
	struct mb_impact_proxies	*p;
	char				 out[64];

	assert_int_equal(mb_impact_proxies_parse(proxies, &p, NULL), MB_OK);
	mb_impact_client(p, peer, fwd, out, sizeof(out));
	assert_string_equal(out, want);
	mb_impact_proxies_free(p);
}

static void
test_proxies(void **state)
{
	struct mb_impact_proxies	*p;
	struct mb_diag			 d = { "" };

	(void)state;
	/* Nobody trusted: a forged header changes nothing. */
	client("", "192.0.2.1", "8.8.8.8", "192.0.2.1");
	client(NULL, "192.0.2.1", NULL, "192.0.2.1");
	/* A trusted proxy: the right-most hop that is not one. */
	client("127.0.0.1", "127.0.0.1", "8.8.8.8", "8.8.8.8");
	client("127.0.0.0/8, ::1", "127.0.0.1", "1.2.3.4, 8.8.8.8, 127.0.0.9",
	    "8.8.8.8");
	client("10.0.0.0/8", "10.1.1.1", " 9.9.9.9 ,10.2.2.2", "9.9.9.9");
	/* A hop that does not parse ends the walk at the hop that added it. */
	client("10.0.0.0/8", "10.1.1.1", "8.8.8.8, garbage", "10.1.1.1");
	client("10.0.0.0/8", "10.1.1.1", "", "10.1.1.1");
	/* Every hop trusted: the left-most. */
	client("10.0.0.0/8", "10.1.1.1", "10.3.3.3, 10.2.2.2", "10.3.3.3");
	/* IPv6, and IPv4 mapped in IPv6. */
	client("::1", "::1", "2001:db8::7", "2001:db8::7");
	client("127.0.0.1", "::ffff:127.0.0.1", "8.8.4.4", "8.8.4.4");
	client("2001:db8::/32", "2001:db8:1::1", "8.8.8.8", "8.8.8.8");
	client("2001:db8::/32", "2001:db9::1", "8.8.8.8", "2001:db9::1");

	assert_int_equal(mb_impact_proxies_parse("10.0.0.0/33", &p, &d),
	    MB_ERR_INVAL);
	assert_non_null(strstr(d.msg, "10.0.0.0/33"));
	assert_int_equal(mb_impact_proxies_parse("proxy.example", &p, &d),
	    MB_ERR_INVAL);
	assert_int_equal(mb_impact_proxies_parse("1.2.3.4/", &p, &d),
	    MB_ERR_INVAL);
}

/* The day of a time, computed without gmtime, as gmtime says it. */
static void
test_day_fast(void **state)
{
	(void)state;
	for (int64_t t = -86400LL * 800; t < 86400LL * 365 * 120;
	    t += 86400 * 7 + 3601) {
		time_t		tt = (time_t)t;
		struct tm	tm;
		char		want[32], got[MB_IMPACT_DAY_LEN + 1];

		gmtime_r(&tt, &tm);
		snprintf(want, sizeof(want), "%04d-%02d-%02d",
		    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
		mb_impact_day(t * 1000 + 999, got);
		if (t >= 0)
			assert_string_equal(got, want);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_day_fast),
		cmocka_unit_test(test_bots),
		cmocka_unit_test(test_prefetch),
		cmocka_unit_test(test_referrers),
		cmocka_unit_test(test_tags_and_days),
		cmocka_unit_test(test_proxies),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
