/* SPDX-License-Identifier: MIT */
/* Unit tests for text/diff.c: line and word differences as HTML. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "text/diff.h"

static char *
lines(const char *a, const char *b, struct mb_diff_stats *st)
{
	struct mb_buf out = MB_BUF_INIT;

	assert_int_equal(mb_diff_lines_html(a, strlen(a), b, strlen(b), &out,
	    st), MB_OK);
	mb_buf_putc(&out, '\0');
	return mb_buf_steal(&out);
}

static void
test_same(void **state)
{
	struct mb_diff_stats	 st;
	char			*h = lines("One.\n\nTwo.", "One.\nTwo.\n", &st);

	(void)state;
	assert_string_equal(h, "<p>One.</p>\n<p>Two.</p>\n");
	assert_int_equal(st.same, 2);
	assert_int_equal(st.added + st.removed, 0);
	free(h);
}

static void
test_lines_and_words(void **state)
{
	struct mb_diff_stats	 st;
	char			*h = lines("Intro.\nThe cat sat.\nGone line.\nEnd.",
	    "Intro.\nThe dog sat.\nEnd.\nNew last line.", &st);

	(void)state;
	/* One line changed in place (word by word), one removed, one added. */
	assert_non_null(strstr(h, "<p>Intro.</p>"));
	assert_non_null(strstr(h, "<p class=\"chg\">The <del>cat</del><ins>"
	    "dog</ins> sat.</p>"));
	assert_non_null(strstr(h, "<p class=\"del\"><del>Gone line.</del>"
	    "</p>"));
	assert_non_null(strstr(h, "<p class=\"ins\"><ins>New last line."
	    "</ins></p>"));
	assert_int_equal(st.removed, 2);
	assert_int_equal(st.added, 2);
	assert_int_equal(st.same, 2);
	free(h);
}

/* The texts are escaped: markup in an item never becomes markup here. */
static void
test_escaped(void **state)
{
	char *h = lines("<b>a</b> & \"q\"", "<script>x</script> 'z'", NULL);

	(void)state;
	assert_null(strstr(h, "<script"));
	assert_null(strstr(h, "<b>"));
	assert_non_null(strstr(h, "&lt;script&gt;x&lt;/script&gt;"));
	assert_non_null(strstr(h, "&amp;"));
	assert_non_null(strstr(h, "&quot;q&quot;"));
	assert_non_null(strstr(h, "&#39;z&#39;"));
	free(h);
}

static void
test_words(void **state)
{
	struct mb_buf out = MB_BUF_INIT;

	(void)state;
	assert_int_equal(mb_diff_words_html("Talks in Cairo", 14,
	    "Talks end in Cairo today", 24, &out), MB_OK);
	mb_buf_putc(&out, '\0');
	assert_string_equal(mb_buf_cstr(&out), "Talks <ins>end </ins>in "
	    "Cairo<ins> today</ins>");
	mb_buf_free(&out);
	/* Arabic: words are UTF-8, split on spaces only. */
	assert_int_equal(mb_diff_words_html("محادثات في القاهرة",
	    strlen("محادثات في القاهرة"), "محادثات في عمان",
	    strlen("محادثات في عمان"), &out), MB_OK);
	mb_buf_putc(&out, '\0');
	assert_string_equal(mb_buf_cstr(&out), "محادثات في <del>القاهرة"
	    "</del><ins>عمان</ins>");
	mb_buf_free(&out);
}

/* Beyond the table's size: all removed then all added, still correct. */
static void
test_large(void **state)
{
	struct mb_buf		a = MB_BUF_INIT, b = MB_BUF_INIT, out =
	    MB_BUF_INIT;
	struct mb_diff_stats	st;

	(void)state;
	for (int i = 0; i < 3000; i++) {
		mb_buf_printf(&a, "a%d\n", i);
		mb_buf_printf(&b, "b%d\n", i);
	}
	assert_int_equal(mb_diff_lines_html(a.data, a.len, b.data, b.len,
	    &out, &st), MB_OK);
	assert_int_equal(st.removed, 3000);
	assert_int_equal(st.added, 3000);
	mb_buf_free(&a);
	mb_buf_free(&b);
	mb_buf_free(&out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same),
		cmocka_unit_test(test_lines_and_words),
		cmocka_unit_test(test_escaped),
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_large),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
