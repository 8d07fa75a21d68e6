/* SPDX-License-Identifier: MIT */
/* Unit tests for src/text normalization and the HTML text extractor. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/err.h"
#include "text/html_text.h"
#include "text/normalize.h"

static void
check(const char *in, const char *lang, const char *want)
{
	struct mb_buf	b = MB_BUF_INIT;

	assert_int_equal(mb_text_normalize(in, strlen(in), lang, &b), MB_OK);
	if (strcmp(mb_buf_cstr(&b), want) != 0)
		fail_msg("normalize(%s): want [%s], got [%s]", in, want,
		    mb_buf_cstr(&b));
	mb_buf_free(&b);
}

static void
test_case_and_nfkc(void **state)
{
	(void)state;
	check("Hello WORLD", "en", "hello world");
	check("ＡＢＣ１２３", NULL, "abc123");	/* fullwidth */
	check("ﬁnance", "en", "finance");		/* ligature */
	check("Straße", "de", "strasse");
	check("ΣΟΦΙΑ", "el", "σοφια");
	check("", NULL, "");
}

static void
test_latin_accents(void **state)
{
	(void)state;
	check("Élection présidentielle", "fr", "election presidentielle");
	check("café CAFÉ cafe\xcc\x81", "fr", "cafe cafe cafe");
	check("año niño ÑANDÚ", "es", "ano nino nandu");
	check("eleição ação", "pt", "eleicao acao");
	check("Ça çà", "fr", "ca ca");
	check("Øresund Łódź İstanbul ıi", NULL, "oresund lodz istanbul ii");
	check("Æsir œuvre", NULL, "aesir oeuvre");
}

static void
test_arabic(void **state)
{
	(void)state;
	/* Harakat and tatweel removed. */
	check("كِتَابٌ", "ar", "كتاب");
	check("كتــــاب", "ar", "كتاب");
	/* Alef forms. */
	check("أحمد", "ar", "احمد");
	check("إسلام", "ar", "اسلام");
	check("آمن", "ar", "امن");
	check("ٱلله", "ar", "الله");
	/* Ta marbuta, alef maqsura. */
	check("مدرسة", "ar", "مدرسه");
	check("مستشفى", "ar", "مستشفي");
	/* Hamza on waw and yeh stays. */
	check("مؤتمر رئيس", "ar", "مؤتمر رئيس");
	/* Persian yeh and kaf fold to the Arabic letters. */
	check("کتابی", "fa", "كتابي");
	/* A word with harakat is not split: the marks are removed. */
	check("مُدَرِّسَة", "ar", "مدرسه");
}

static void
test_cyrillic_and_others(void **state)
{
	(void)state;
	check("Ёлка ЁЖ её", "ru", "елка еж ее");
	check("Йошкар-Ола", "ru", "йошкар-ола");		/* й stays */
	check("चुनाव", "hi", "चुनाव");
	check("北京大学", "zh", "北京大学");
	check("ｶﾀｶﾅ", "ja", "カタカナ");
	check("می\u200cخواهم", "fa", "ميخواهم");	/* ZWNJ dropped */
}

static void
test_invalid(void **state)
{
	struct mb_buf	b = MB_BUF_INIT;

	(void)state;
	assert_int_equal(mb_text_normalize("a\xff", 2, NULL, &b),
	    MB_ERR_INVAL);
	mb_buf_free(&b);
}

/*
 * Text made only of what folding ignores (a soft hyphen, a zero-width
 * space) folds to nothing; it crashed utf8proc_reencode on a NULL
 * scratch buffer (found by feed ingest: a JSON Feed item).
 */
static void
test_only_ignorable(void **state)
{
	(void)state;
	check("\xc2\xad", NULL, "");
	check("\xe2\x80\x8b\xc2\xad", "en", "");
	check("a\xc2\xad" "b", "en", "ab");
}

static void
html(const char *in, const char *want)
{
	struct mb_buf	b = MB_BUF_INIT;

	assert_int_equal(mb_text_from_html(in, strlen(in), &b), MB_OK);
	if (strcmp(mb_buf_cstr(&b), want) != 0)
		fail_msg("html(%s): want [%s], got [%s]", in, want,
		    mb_buf_cstr(&b));
	mb_buf_free(&b);
}

static void
test_html(void **state)
{
	(void)state;
	html("<p>Hello <b>wor</b>ld</p><p>Next</p>", "Hello world\nNext");
	html("a<br>b<br/>c", "a\nb\nc");
	html("<script>var x = '<p>no</p>';</script>yes", "yes");
	html("<STYLE>p { color: red }</STYLE>ok<style/>fine", "okfine");
	html("<!-- comment <p> -->text<!-- unterminated", "text");
	html("Fish &amp; chips &lt;3 &#233;t&#xE9; &eacute; &bogus; &",
	    "Fish & chips <3 été é &bogus; &");
	html("&#0; &#xD800; &#x110000;", "\xef\xbf\xbd \xef\xbf\xbd "
	    "\xef\xbf\xbd");
	/*
	 * Noncharacters, referenced or raw, are U+FFFD as the sanitizer's
	 * parser makes a raw one: XML forbids U+FFFE and U+FFFF, and a
	 * summary made from this text broke the Atom feed.
	 */
	html("a&#xFFFF;b&#xfffe;c&#65535;d", "a\xef\xbf\xbd" "b\xef\xbf\xbd"
	    "c\xef\xbf\xbd" "d");
	html("a\xef\xbf\xbf" "b\xef\xbf\xbe" "c", "a\xef\xbf\xbd"
	    "b\xef\xbf\xbd" "c");
	html("&#xFDD0;\xef\xb7\xaf&#x1FFFF;\xf4\x8f\xbf\xbe.",
	    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd.");
	/* Three bytes from 0xef that are characters stay as they were. */
	html("\xef\xbc\x81\xef\xbf\xbd\xef\xb7\xb0", "\xef\xbc\x81"
	    "\xef\xbf\xbd\xef\xb7\xb0");
	html("  lots   of\n\n\tspace&nbsp;here  ", "lots of space here");
	/* A space written as a reference is white space like any other. */
	html("one&#32;&#32;two &#32; three&#x20;", "one two three");
	html("<a href=\"x>y\" title='a>b'>link</a> text", "link text");
	html("<li>one</li><li>two</li>", "one\ntwo");
	html("1 < 2 and 3 > 2", "1 < 2 and 3 > 2");
	html("<p>مرحبا <i>بالعالم</i></p>", "مرحبا بالعالم");
	html("bad\xff utf8", "bad utf8");
	html("<title>T</title><h1>Head</h1>body", "Head\nbody");
	html("<div", "");
	html("", "");
	/*
	 * Runs of text are copied whole up to what ends them: Unicode
	 * white space (no-break, en quad to hair space, line separator,
	 * ideographic), invalid or cut sequences (dropped), a tag.
	 */
	html("a\xc2\xa0" "b\xe2\x80\x83" "c\xe2\x80\xa8" "d\xe3\x80\x80"
	    "e\xc2\x85" "f", "a b c\nd e f");
	html("\xe2\x80\xa6\xe2\x80\x8bx\xe3\x80\x81\xe4\xb8\xad",
	    "\xe2\x80\xa6\xe2\x80\x8bx\xe3\x80\x81\xe4\xb8\xad");
	html("ok\xe0\x9f\xbfno\xed\xa0\x80\xc1\xbfyes\xe4\xb8", "oknoyes");
	html("\xd9\x85\xd8\xb1<b>\xd8\xad</b>\xd8\xa8\xd8\xa7", "\xd9\x85\xd8\xb1"
	    "\xd8\xad\xd8\xa8\xd8\xa7");
}

static void
test_html_big(void **state)
{
	struct mb_buf	 b = MB_BUF_INIT;
	size_t		 n = 1 << 20;
	char		*s = malloc(n);

	(void)state;
	assert_non_null(s);
	for (size_t i = 0; i < n; i++)
		s[i] = "<a&b>;x\"'"[i % 9];
	assert_int_equal(mb_text_from_html(s, n, &b), MB_OK);
	assert_true(b.len <= n);
	free(s);
	mb_buf_free(&b);
}

/*
 * The summary's extraction: for every limit, a prefix of the whole text,
 * and longer than the limit whenever the whole text is.
 */
static void
test_html_upto(void **state)
{
	static const char *const in[] = {
		"<p>Hello <b>wor</b>ld</p><p>Next</p>",
		"<script>x</script>  lots   of\n\tspace&nbsp;here &amp; "
		    "<i>there</i>",
		"<p>\xd8\xa7\xd9\x84\xd9\x86\xd9\x8a\xd9\x84 "
		    "\xd0\x9c\xd0\xbe\xd1\x81 &#233;t&#xE9;</p><br>end",
		"",
	};

	(void)state;
	for (size_t k = 0; k < sizeof(in) / sizeof(in[0]); k++) {
		struct mb_buf whole = MB_BUF_INIT;

		assert_int_equal(mb_text_from_html(in[k], strlen(in[k]),
		    &whole), MB_OK);
		for (size_t limit = 0; limit <= whole.len + 2; limit++) {
			struct mb_buf part = MB_BUF_INIT;

			assert_int_equal(mb_buf_puts(&part, "kept:"), MB_OK);
			assert_int_equal(mb_text_from_html_upto(in[k],
			    strlen(in[k]), limit, &part), MB_OK);
			assert_true(part.len - 5 <= whole.len);
			assert_memory_equal(part.data + 5, whole.data,
			    part.len - 5);
			assert_int_equal(part.data[part.len], '\0');
			if (whole.len > limit)
				assert_true(part.len - 5 > limit);
			else
				assert_int_equal(part.len - 5, whole.len);
			mb_buf_free(&part);
		}
		mb_buf_free(&whole);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_case_and_nfkc),
		cmocka_unit_test(test_latin_accents),
		cmocka_unit_test(test_arabic),
		cmocka_unit_test(test_cyrillic_and_others),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_only_ignorable),
		cmocka_unit_test(test_html),
		cmocka_unit_test(test_html_big),
		cmocka_unit_test(test_html_upto),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
