/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for src/http/markdown.c: what writers type becomes the HTML
 * readers get (sanitized, typed HTML kept as text, a picture alone a
 * figure with caption and credit), and stored bodies come back as
 * Markdown that makes the same HTML again, or are refused when they
 * cannot.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/err.h"
#include "http/markdown.h"

static char got[8192];

static const char *
to_html(const char *md)
{
	struct mb_buf b = MB_BUF_INIT;

	assert_int_equal(mb_markdown_to_html(md, strlen(md), &b, NULL), MB_OK);
	snprintf(got, sizeof(got), "%s", b.len ? mb_buf_cstr(&b) : "");
	mb_buf_free(&b);
	/* One line for easy comparison. */
	for (char *p = got; *p; p++)
		if (*p == '\n')
			memmove(p, p + 1, strlen(p));
	return got;
}

static void
test_blocks(void **state)
{
	(void)state;
	assert_string_equal(to_html("One.\nTwo."), "<p>One.</p><p>Two.</p>");
	assert_string_equal(to_html("One.\n\nTwo."), "<p>One.</p><p>Two.</p>");
	assert_string_equal(to_html("## Head\nText *it* and **bold**."),
	    "<h2>Head</h2><p>Text <em>it</em> and <strong>bold</strong>."
	    "</p>");
	assert_string_equal(to_html("- a\n- b\n\n1. x\n2. y"),
	    "<ul><li>a</li><li>b</li></ul><ol><li>x</li><li>y</li></ol>");
	assert_string_equal(to_html("> q1\n> q2"),
	    "<blockquote><p>q1</p><p>q2</p></blockquote>");
	assert_string_equal(to_html("a\\\nb"), "<p>a<br>b</p>");
	assert_string_equal(to_html("# Top"), "<h2>Top</h2>");
	assert_string_equal(to_html("نص عربي\nسطر آخر"),
	    "<p>نص عربي</p><p>سطر آخر</p>");
}

static void
test_safety(void **state)
{
	(void)state;
	assert_string_equal(to_html("<script>alert(1)</script>"),
	    "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>");
	assert_string_equal(to_html("a <b>b</b>"),
	    "<p>a &lt;b&gt;b&lt;/b&gt;</p>");
	assert_null(strstr(to_html("[x](javascript:alert(1))"), "javascript"));
	assert_non_null(strstr(to_html("[site](https://example.org/)"),
	    "href=\"https://example.org/\""));
}

static void
test_figure(void **state)
{
	(void)state;
	assert_string_equal(to_html("![Dam at dawn](/media/ab.jpg \"Photo: "
	    "A. Said\")"), "<figure><img src=\"/media/ab.jpg\" alt=\"Dam at "
	    "dawn\"><figcaption>Dam at dawn <small>Photo: A. Said</small>"
	    "</figcaption></figure>");
	/* Inline in text: a plain picture, its alt the description. */
	assert_string_equal(to_html("See ![a](/m.jpg) here."),
	    "<p>See <img src=\"/m.jpg\" alt=\"a\"> here.</p>");
	assert_non_null(strstr(to_html("![a \"<q>\"](/m.jpg)"),
	    "alt=\"a &quot;&lt;q&gt;&quot;\""));
}

static void
round_trip(const char *md)
{
	struct mb_buf	h = MB_BUF_INIT, m = MB_BUF_INIT, h2 = MB_BUF_INIT;

	assert_int_equal(mb_markdown_to_html(md, strlen(md), &h, NULL), MB_OK);
	assert_int_equal(mb_html_to_markdown(h.data, h.len, &m), MB_OK);
	assert_int_equal(mb_markdown_to_html(m.data, m.len, &h2, NULL), MB_OK);
	assert_int_equal(h.len, h2.len);
	assert_memory_equal(h.data, h2.data, h.len);
	mb_buf_free(&h);
	mb_buf_free(&m);
	mb_buf_free(&h2);
}

static void
test_back(void **state)
{
	struct mb_buf b = MB_BUF_INIT;

	(void)state;
	round_trip("One.\nTwo *it* **b** [l](https://x.org/a_b) 3 < 4 & 5.");
	round_trip("## H\n- a\n- b *c*\n\n1. x\n2. y\n\n> q1\n> q2\nend");
	round_trip("a\\\nb\n![Cap](/media/x.jpg \"Credit\")\n# not a head?");
	round_trip("*stars* \\*literal\\* _und_ `tick` #hash 1. start");
	round_trip("قال *الوزير* إن [الاتفاق](https://x.org/) قريب.");
	assert_int_equal(mb_html_to_markdown("<p>Hi <b>there</b></p>", 22, &b),
	    MB_OK);
	assert_string_equal(mb_buf_cstr(&b), "Hi **there**");
	mb_buf_reset(&b);
	/* What Markdown cannot say is edited as HTML. */
	assert_int_equal(mb_html_to_markdown("<table><tr><td>1</td></tr>"
	    "</table>", 35, &b), MB_ERR_INVAL);
	assert_int_equal(mb_html_to_markdown("<p><u>under</u></p>", 19, &b),
	    MB_ERR_INVAL);
	assert_int_equal(b.len, 0);
	mb_buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_blocks),
		cmocka_unit_test(test_safety),
		cmocka_unit_test(test_figure),
		cmocka_unit_test(test_back),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
