/* SPDX-License-Identifier: MIT */
/* Unit tests for src/base: buffers, diagnostics, time, UTF-8, XML, files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/fs.h"
#include "base/timeutil.h"
#include "base/utf8.h"
#include "base/xml.h"

static void
test_buf(void **state)
{
	struct mb_buf	b = MB_BUF_INIT;
	char		*s;

	(void)state;
	assert_string_equal(mb_buf_cstr(&b), "");
	for (int i = 0; i < 1000; i++)
		assert_int_equal(mb_buf_printf(&b, "%d,", i), MB_OK);
	assert_int_equal(strncmp(b.data, "0,1,2,", 6), 0);
	assert_int_equal(b.data[b.len], '\0');
	mb_buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_int_equal(mb_buf_append(&b, "ab\0c", 4), MB_OK);
	assert_int_equal(b.len, 4);
	s = mb_buf_steal(&b);
	assert_memory_equal(s, "ab\0c", 4);
	assert_null(b.data);
	free(s);
	mb_buf_free(&b);
}

static void
test_diag(void **state)
{
	struct mb_diag d = { "" };

	(void)state;
	assert_string_equal(mb_diag_msg(&d, MB_ERR_IO), "input/output error");
	assert_int_equal(mb_diag_set(&d, MB_ERR_INVAL, "x: %d", 5),
	    MB_ERR_INVAL);
	mb_diag_prefix(&d, "item %d", 3);
	assert_string_equal(d.msg, "item 3: x: 5");
	assert_int_equal(mb_diag_set(NULL, MB_ERR_IO, "ignored"), MB_ERR_IO);
	assert_string_equal(mb_strerror(12345), "unknown error");
}

static void
test_time(void **state)
{
	int64_t	ms;
	char	out[MB_TIME_RFC3339_LEN];

	(void)state;
	assert_int_equal(mb_time_parse("1970-01-01T00:00:00Z", &ms), MB_OK);
	assert_int_equal(ms, 0);
	assert_int_equal(mb_time_parse("2026-11-29T16:27:11.5+02:00", &ms),
	    MB_OK);
	mb_time_format(ms, out);
	assert_string_equal(out, "2026-11-29T14:27:11.500Z");
	assert_int_equal(mb_time_parse("2024-02-29T00:00:00Z", &ms), MB_OK);
	mb_time_format(ms, out);
	assert_string_equal(out, "2024-02-29T00:00:00Z");
	assert_int_equal(mb_time_parse("2023-02-29T00:00:00Z", &ms),
	    MB_ERR_INVAL);
	assert_int_equal(mb_time_parse("2023-13-01T00:00:00Z", &ms),
	    MB_ERR_INVAL);
	assert_int_equal(mb_time_parse("2023-01-01T00:00:00", &ms),
	    MB_ERR_INVAL);
	assert_int_equal(mb_time_parse("2023-01-01", &ms), MB_ERR_INVAL);
	assert_int_equal(mb_time_parse("2023-01-01T24:00:00Z", &ms),
	    MB_ERR_INVAL);
	assert_int_equal(mb_time_parse("2023-01-01T00:00:00Zjunk", &ms),
	    MB_ERR_INVAL);
	assert_int_equal(mb_time_parse(NULL, &ms), MB_ERR_INVAL);
	mb_time_format(-1, out);
	assert_string_equal(out, "1969-12-31T23:59:59.999Z");
}

static void
test_utf8(void **state)
{
	(void)state;
	assert_true(mb_utf8_valid("plain", 5));
	assert_true(mb_utf8_valid("\xd8\xb9\xd8\xb1\xd8\xa8", 6)); /* عرب */
	assert_true(mb_utf8_valid("\xf0\x9f\x98\x80", 4));
	assert_false(mb_utf8_valid("\xc0\xaf", 2));	  /* overlong */
	assert_false(mb_utf8_valid("\xed\xa0\x80", 3));	  /* surrogate */
	assert_false(mb_utf8_valid("\xe2\x82", 2));	  /* truncated */
	assert_false(mb_utf8_valid("\xf4\x90\x80\x80", 4)); /* > U+10FFFF */
	assert_false(mb_utf8_valid("\xff", 1));
	/* ASCII: a word at a time, then the tail; a high byte anywhere. */
	assert_true(mb_utf8_ascii("", 0));
	assert_true(mb_utf8_ascii("plain text, seventeen", 21));
	assert_false(mb_utf8_ascii("plain text, s\xc3\xa9venteen", 22));
	assert_false(mb_utf8_ascii("\xd8\xb9", 2));
	assert_false(mb_utf8_ascii("12345678\x80", 9));
	assert_false(mb_utf8_ascii("1234567\x80", 8));
}

static void
xml(const char *in, const char *want)
{
	struct mb_buf b = MB_BUF_INIT;

	assert_int_equal(mb_xml_text(&b, in), MB_OK);
	if (strcmp(mb_buf_cstr(&b), want) != 0)
		fail_msg("xml(%s): want [%s], got [%s]", in, want,
		    mb_buf_cstr(&b));
	mb_buf_free(&b);
}

/*
 * XML text: markup escaped, what XML 1.0 forbids dropped. U+FFFF and
 * U+FFFE in a headline made the Atom feed not well formed (xmllint:
 * "Char 0xFFFF out of allowed range"); the writer had dropped only
 * bytes below 0x20.
 */
static void
test_xml(void **state)
{
	(void)state;
	xml("a<b>&\"c'", "a&lt;b&gt;&amp;&quot;c'");
	xml("FFFF\xef\xbf\xbf FFFE\xef\xbf\xbe end", "FFFF FFFE end");
	xml("\xef\xbf\xbf\xef\xbf\xbe", "");
	/* A reference is text here: escaped, not a character. */
	xml("&#xFFFF;", "&amp;#xFFFF;");
	xml("c\x01t\x0bl\x1f\x7f\xc2\x85", "ctl\x7f\xc2\x85");
	xml("tab\tlf\ncr\r", "tab\tlf\ncr&#13;");
	xml("bad\xff\xed\xa0\x80 utf8\xe2\x82", "bad utf8");
	xml("\xef\xbf\xbd\xef\xb7\x90\xf0\x9f\xbf\xbf\xd8\xb9",
	    "\xef\xbf\xbd\xef\xb7\x90\xf0\x9f\xbf\xbf\xd8\xb9");
	xml(NULL, "");
	assert_true(mb_xml_char('\t') && mb_xml_char(0xd7ff) &&
	    mb_xml_char(0xe000) && mb_xml_char(0xfffd) &&
	    mb_xml_char(0x10000) && mb_xml_char(0x10ffff));
	assert_false(mb_xml_char(0) || mb_xml_char(0x1f) ||
	    mb_xml_char(0xd800) || mb_xml_char(0xdfff) ||
	    mb_xml_char(0xfffe) || mb_xml_char(0xffff) ||
	    mb_xml_char(0x110000));
}

/* mb_utf8_valid by the definition: every sequence decodes. */
static bool
valid_by_decode(const char *s, size_t len)
{
	unsigned	cp;
	size_t		n;

	for (size_t i = 0; i < len; i += n)
		if ((n = mb_utf8_decode(s + i, len - i, &cp)) == 0)
			return false;
	return true;
}

/*
 * The validator's fast paths (ASCII a word at a time, sequences checked
 * on their bytes) against the decoder: every one-, two- and three-byte
 * string, four-byte ones over every lead and second byte, each alone,
 * after nine ASCII bytes (past the word loop) and before a tail.
 */
static void
test_utf8_valid_exhaustive(void **state)
{
	static const unsigned char	 tails[] = { 0x80, 0xbf, 0x41, 0xc0 };
	char				 b[16];

	(void)state;
	memset(b, 'a', sizeof(b));
	for (unsigned v = 0; v < 1u << 24; v++) {
		unsigned n = v < 256 ? 1 : v < 65536 ? 2 : 3;

		/* Three bytes with an ASCII lead say nothing new. */
		if (n == 3 && (v >> 16) < 0xc0)
			continue;
		for (unsigned k = 0; k < n; k++)
			b[9 + k] = (char)(v >> (8 * (n - 1 - k)));
		if (mb_utf8_valid(b + 9, n) != valid_by_decode(b + 9, n) ||
		    mb_utf8_valid(b, 9 + n) != valid_by_decode(b, 9 + n))
			fail_msg("sequence %06x (%u bytes)", v, n);
	}
	for (unsigned lead = 0xf0; lead <= 0xff; lead++)
		for (unsigned b1 = 0; b1 < 256; b1++)
			for (unsigned t = 0; t < 16; t++) {
				b[9] = (char)lead;
				b[10] = (char)b1;
				b[11] = (char)tails[t & 3];
				b[12] = (char)tails[t >> 2];
				b[13] = 'z';
				for (size_t len = 1; len <= 5; len++)
					if (mb_utf8_valid(b + 9, len) !=
					    valid_by_decode(b + 9, len) ||
					    mb_utf8_valid(b, 9 + len) !=
					    valid_by_decode(b, 9 + len))
						fail_msg("%02x %02x ... (%zu)",
						    lead, b1, len);
			}
}

static void
test_fs(void **state)
{
	char		 dir[] = "/tmp/mb-test-fs-XXXXXX", path[256], *got;
	size_t		 len;
	struct stat	 st;
	struct mb_diag	 d = { "" };

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/a/b/c", dir);
	assert_int_equal(mb_fs_mkdirs(path, 0700, &d), MB_OK);
	snprintf(path, sizeof(path), "%s/a/file", dir);
	assert_int_equal(mb_fs_write_atomic(path, "hello", 5, 0600, &d),
	    MB_OK);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(mb_fs_read(path, 100, &got, &len, &d), MB_OK);
	assert_int_equal(len, 5);
	assert_string_equal(got, "hello");
	free(got);
	assert_int_equal(mb_fs_read(path, 3, &got, &len, &d), MB_ERR_TOOBIG);
	snprintf(path, sizeof(path), "%s/none", dir);
	assert_int_equal(mb_fs_read(path, 3, &got, &len, &d),
	    MB_ERR_NOTFOUND);
	assert_non_null(strstr(d.msg, "none"));
	snprintf(path, sizeof(path), "rm -rf %s", dir);
	assert_int_equal(system(path), 0);
	/* The program's own directory: where this test binary is. */
	assert_true(mb_fs_self_dir(path, sizeof(path)));
	assert_true(path[0] == '/');
	assert_non_null(strstr(path, "tests/unit/base"));
	assert_false(mb_fs_self_dir(path, 2));
	/* The program itself: this test binary, a file that exists. */
	assert_true(mb_fs_self_exe(path, sizeof(path)));
	assert_non_null(strstr(path, "tests/unit/base/"));
	assert_null(strstr(path, "(deleted)"));
	assert_int_equal(stat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_false(mb_fs_self_exe(path, 2));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buf),
		cmocka_unit_test(test_diag),
		cmocka_unit_test(test_time),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_xml),
		cmocka_unit_test(test_utf8_valid_exhaustive),
		cmocka_unit_test(test_fs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
