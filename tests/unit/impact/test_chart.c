/* SPDX-License-Identifier: MIT */
/* Unit tests for the impact view's SVG charts and the campaigns' rules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "impact/campaign.h"
#include "impact/chart.h"

static char *
text(struct mb_buf *b)
{
	return b->data;
}

static void
test_bars(void **state)
{
	struct mb_chart_point	 pts[20];
	struct mb_buf		 b = MB_BUF_INIT;
	char			*s;

	(void)state;
	for (int i = 0; i < 20; i++)
		pts[i] = (struct mb_chart_point){ "EG", 100 - i, 10 };
	pts[0].label = "<script>&\"x'";
	assert_int_equal(mb_chart_bars("by-country", "Views <by> country",
	    pts, 20, &b), MB_OK);
	s = text(&b);
	/* An image with a title a screen reader announces. */
	assert_non_null(strstr(s, "role=\"img\" aria-labelledby="
	    "\"by-country-t\""));
	assert_non_null(strstr(s, "<title id=\"by-country-t\">Views &lt;by"
	    "&gt; country</title>"));
	/* Every label escaped; no markup of a reader's making. */
	assert_null(strstr(s, "<script>"));
	assert_non_null(strstr(s, "&lt;script&gt;&amp;&quot;x&#39;"));
	/* At most MB_CHART_BARS_MAX bars, the largest the full width. */
	{
		size_t n = 0;

		for (const char *p = s; (p = strstr(p, "class=\"views\"")) !=
		    NULL; p++)
			n++;
		assert_int_equal(n, MB_CHART_BARS_MAX);
	}
	assert_non_null(strstr(s, ">100</text>"));
	assert_string_equal(s + strlen(s) - 6, "</svg>");
	mb_buf_free(&b);

	/* A bad id is refused; an empty chart still has its title. */
	assert_int_equal(mb_chart_bars("x\"y", "t", pts, 1, &b),
	    MB_ERR_INVAL);
	assert_int_equal(mb_chart_bars("e", "Empty", pts, 0, &b), MB_OK);
	s = text(&b);
	assert_non_null(strstr(s, "<title id=\"e-t\">Empty</title>"));
	mb_buf_free(&b);
}

/*
 * A label of continuation bytes alone (a counter key not UTF-8): its
 * first "character" ran over all of them, past the label's buffer.
 */
static void
test_bars_not_utf8(void **state)
{
	char			 label[200];
	struct mb_chart_point	 pts[1];
	struct mb_buf		 b = MB_BUF_INIT;

	(void)state;
	label[0] = 'A';
	memset(label + 1, 0x80, sizeof(label) - 2);
	label[sizeof(label) - 1] = '\0';
	pts[0] = (struct mb_chart_point){ label, 5, 1 };
	assert_int_equal(mb_chart_bars("bad", "Bad", pts, 1, &b), MB_OK);
	assert_string_equal(b.data + strlen(b.data) - 6, "</svg>");
	mb_buf_free(&b);
	assert_int_equal(mb_chart_days("bad", "Bad", pts, 1, &b), MB_OK);
	mb_buf_free(&b);
}

static void
test_days(void **state)
{
	struct mb_chart_point	 pts[3] = {
		{ "2026-12-01", 4, 2 }, { "2026-12-02", 0, 0 },
		{ "2026-12-03", 8, 3 },
	};
	struct mb_buf		 b = MB_BUF_INIT;
	char			*s;

	(void)state;
	assert_int_equal(mb_chart_days("days", "Views over time", pts, 3, &b),
	    MB_OK);
	s = text(&b);
	assert_non_null(strstr(s, "<polyline class=\"uniques\""));
	assert_non_null(strstr(s, ">2026-12-01</text>"));
	assert_non_null(strstr(s, ">2026-12-03</text>"));
	assert_non_null(strstr(s, ">8</text>"));
	mb_buf_free(&b);
}

static void
test_campaign_parse(void **state)
{
	struct mb_campaign	c, again;
	struct mb_diag		d = { "" };
	struct mb_campaign_args	a = { "Nile tourism", "nile-2026",
	    "tourism,culture", "urn:mediabridge:cairo:01ABC cairo/01DEF",
	    "2026-11-01", "2026-11-30" };

	(void)state;
	assert_int_equal(mb_campaign_parse(&a, &c, &d), MB_OK);
	assert_string_equal(c.utm, "nile-2026");
	assert_string_equal(c.items, "urn:mediabridge:cairo:01ABC "
	    "urn:mediabridge:cairo:01DEF");
	a.utm = "bad tag!";
	assert_int_equal(mb_campaign_parse(&a, &c, &d), MB_ERR_INVAL);
	assert_non_null(strstr(d.msg, "utm_campaign"));
	a.utm = "ok";
	a.ends = "2026-10-01";
	assert_int_equal(mb_campaign_parse(&a, &c, &d), MB_ERR_INVAL);
	assert_non_null(strstr(d.msg, "ends"));
	a.ends = "";
	a.items = "http://evil.example/x";
	assert_int_equal(mb_campaign_parse(&a, &c, &d), MB_ERR_INVAL);
	assert_non_null(strstr(d.msg, "items"));
	/* A center longer than a uri's: kept as a uri, it would not read
	 * back (the fuzzer's find). */
	a.items = "cairo-center-of-the-nile-delta-33/01DEF";
	assert_int_equal(mb_campaign_parse(&a, &c, &d), MB_ERR_INVAL);
	assert_non_null(strstr(d.msg, "items"));
	/* A "/" in a uri's center or local id would move the split. */
	a.items = "urn:mediabridge:/air:01DEF";
	assert_int_equal(mb_campaign_parse(&a, &c, &d), MB_ERR_INVAL);
	a.items = "urn:mediabridge:cairo:01/DEF";
	assert_int_equal(mb_campaign_parse(&a, &c, &d), MB_ERR_INVAL);
	a.items = "cairo-center-of-the-nile-delta-3/01DEF";
	assert_int_equal(mb_campaign_parse(&a, &c, &d), MB_OK);
	a.items = c.items;
	assert_int_equal(mb_campaign_parse(&a, &again, &d), MB_OK);
	assert_string_equal(again.items, c.items);
	a.items = NULL;
	a.name = "";
	assert_int_equal(mb_campaign_parse(&a, &c, &d), MB_ERR_INVAL);
	assert_non_null(strstr(d.msg, "name"));
	a.name = "x";
	a.starts = "2026-13-01";
	assert_int_equal(mb_campaign_parse(&a, &c, &d), MB_ERR_INVAL);
	assert_non_null(strstr(d.msg, "starts"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bars),
		cmocka_unit_test(test_bars_not_utf8),
		cmocka_unit_test(test_days),
		cmocka_unit_test(test_campaign_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
