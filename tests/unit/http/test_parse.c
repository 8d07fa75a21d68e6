/* SPDX-License-Identifier: MIT */
/* Unit tests for the request parsers that need no server: Range, forms, multipart. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "base/buf.h"
#include "http/form.h"
#include "http/http_int.h"
#include "http/range.h"

#define CT_MP "multipart/form-data; boundary=XyZ"

/* Accept-Encoding: gzip as a whole token, refused by any spelling of q=0. */
static void
test_accepts_gzip(void **state)
{
	static const char *const yes[] = { "gzip", "gzip, deflate, br",
	    "deflate, GZIP", " gzip ;q=0.5", "gzip;q=1.0", "gzip;q=0.001",
	    "br, *", "*;q=0.1", "gzip;level=1;q=0.3", "x-gzip", "X-Gzip;q=1",
	    NULL };
	static const char *const no[] = { "gzip;q=0", "gzip; q=0",
	    "gzip;Q=0", "gzip ; q = 0", "gzip;q=0.0", "gzip;q=0.000",
	    "x-gzip;q=0", "gzipx", "xx-gzip", "deflate", "", "br;q=1, gzip;q=0, *",
	    "*;q=0", "identity", "deflate;gzip", NULL };

	(void)state;
	assert_false(mb_http_accepts_gzip(NULL));
	for (int i = 0; yes[i] != NULL; i++)
		if (!mb_http_accepts_gzip(yes[i]))
			fail_msg("should take gzip: \"%s\"", yes[i]);
	for (int i = 0; no[i] != NULL; i++)
		if (mb_http_accepts_gzip(no[i]))
			fail_msg("should not take gzip: \"%s\"", no[i]);
}

static void
test_range(void **state)
{
	uint64_t from, to;

	(void)state;
	assert_int_equal(mb_http_range("bytes=0-", 10, &from, &to), 1);
	assert_true(from == 0 && to == 9);
	assert_int_equal(mb_http_range("bytes=2-4", 10, &from, &to), 1);
	assert_true(from == 2 && to == 4);
	/* Clamped to the end; a suffix longer than the whole is the whole. */
	assert_int_equal(mb_http_range("bytes=5-99", 10, &from, &to), 1);
	assert_true(from == 5 && to == 9);
	assert_int_equal(mb_http_range("bytes=-3", 10, &from, &to), 1);
	assert_true(from == 7 && to == 9);
	assert_int_equal(mb_http_range("bytes=-30", 10, &from, &to), 1);
	assert_true(from == 0 && to == 9);
	/* A last position past the end, however large, is the end. */
	assert_int_equal(mb_http_range("bytes=0-99999999999999999999", 10,
	    &from, &to), 1);
	assert_true(from == 0 && to == 9);
	/* Not satisfiable: 416. */
	assert_int_equal(mb_http_range("bytes=10-", 10, &from, &to), -1);
	assert_int_equal(mb_http_range("bytes=-0", 10, &from, &to), -1);
	assert_int_equal(mb_http_range("bytes=0-", 0, &from, &to), -1);
	assert_int_equal(mb_http_range("bytes=-5", 0, &from, &to), -1);
	assert_int_equal(mb_http_range("bytes=99999999999999999999-", 10,
	    &from, &to), -1);
	/* Invalid (last before first, not the syntax): ignored, as RFC 7233
	 * 2.1 says and RFC 9110 lets a server do, the whole is sent. */
	assert_int_equal(mb_http_range("bytes=4-2", 10, &from, &to), 0);
	assert_int_equal(mb_http_range("bytes=5-2", 10, &from, &to), 0);
	assert_int_equal(mb_http_range("bytes=x-", 10, &from, &to), 0);
	assert_int_equal(mb_http_range("bytes=+1-2", 10, &from, &to), 0);
	assert_int_equal(mb_http_range("bytes= 1-2", 10, &from, &to), 0);
	assert_int_equal(mb_http_range("bytes= 0-5", 10, &from, &to), 0);
	assert_int_equal(mb_http_range("bytes=1-2x", 10, &from, &to), 0);
	assert_int_equal(mb_http_range("bytes=-x", 10, &from, &to), 0);
	/* Another unit or a list: ignored, the whole is sent. */
	assert_int_equal(mb_http_range("items=0-1", 10, &from, &to), 0);
	assert_int_equal(mb_http_range("bytes=0-1,4-5", 10, &from, &to), 0);
}

static void
test_urlencoded(void **state)
{
	static const char body[] = "csrf=abc&headline=Hello+world%21&x&"
	    "bad=%zz%4&utf=%E2%9C%93";
	struct mb_form f = { 0 };

	(void)state;
	mb_form_parse(&f, "application/x-www-form-urlencoded; charset=utf-8",
	    body, strlen(body));
	assert_int_equal(f.n, 5);
	assert_string_equal(mb_form_get(&f, "csrf"), "abc");
	assert_string_equal(mb_form_get(&f, "headline"), "Hello world!");
	assert_string_equal(mb_form_get(&f, "x"), "");
	assert_string_equal(mb_form_get(&f, "bad"), "%zz%4");
	assert_string_equal(mb_form_get(&f, "utf"), "\xe2\x9c\x93");
	assert_null(mb_form_get(&f, "missing"));
	mb_form_free(&f);
	/* Another type is not a form. */
	mb_form_parse(&f, "application/json", body, strlen(body));
	assert_int_equal(f.n, 0);
	mb_form_parse(&f, NULL, body, strlen(body));
	assert_int_equal(f.n, 0);
}

/*
 * A value a C string cannot hold whole (a NUL byte) or that is no UTF-8
 * text is named in bad, so that a handler refuses the form instead of
 * saving it cut short or without the field.
 */
static void
test_form_bad_bytes(void **state)
{
	static const char nul[] = "csrf=t&body=First.%00Second.&x=y";
	static const char ff[] = "csrf=t&headline=Bad%FFhead&byline=%C0%AF";
	static const char ok[] = "csrf=t&utf=%E2%9C%93";
	static const char mp[] = "--XyZ\r\nContent-Disposition: form-data; "
	    "name=\"caption\"\r\n\r\nA\xff\r\n--XyZ--\r\n";
	struct mb_form f = { 0 };

	(void)state;
	mb_form_parse(&f, "application/x-www-form-urlencoded", nul,
	    strlen(nul));
	assert_string_equal(f.bad, "body");
	assert_string_equal(mb_form_get(&f, "x"), "y");
	mb_form_free(&f);
	memset(&f, 0, sizeof(f));
	mb_form_parse(&f, "application/x-www-form-urlencoded", ff,
	    strlen(ff));
	assert_string_equal(f.bad, "headline");
	mb_form_free(&f);
	memset(&f, 0, sizeof(f));
	mb_form_parse(&f, "application/x-www-form-urlencoded", ok,
	    strlen(ok));
	assert_string_equal(f.bad, "");
	mb_form_free(&f);
	memset(&f, 0, sizeof(f));
	mb_form_parse(&f, CT_MP, mp, sizeof(mp) - 1);
	assert_string_equal(f.bad, "caption");
	mb_form_free(&f);
}

static void
test_urlencoded_bounded(void **state)
{
	struct mb_form	f = { 0 };
	char		body[4096] = "";

	(void)state;
	for (int i = 0; i < 100; i++)
		strcat(body, "a=b&");
	mb_form_parse(&f, "application/x-www-form-urlencoded", body,
	    strlen(body));
	assert_int_equal(f.n, MB_FORM_MAX);
	mb_form_free(&f);
}

/*
 * An urlencoded value has no length of its own to keep to: the newsroom
 * posts an article's body so (nr_edit.html), longer than a multipart text
 * part may be. A multipart text part over MB_FORM_TEXT_MAX is no field.
 */
static void
test_form_value_lengths(void **state)
{
	struct mb_form	 f = { 0 };
	struct mb_buf	 b = MB_BUF_INIT;
	const char	*v;

	(void)state;
	mb_buf_puts(&b, "csrf=t&body=");
	for (int i = 0; i < 3 * MB_FORM_TEXT_MAX; i++)
		mb_buf_putc(&b, i % 50 == 49 ? '+' : 'x');
	mb_form_parse(&f, "application/x-www-form-urlencoded", b.data, b.len);
	assert_int_equal(f.n, 2);
	assert_non_null(v = mb_form_get(&f, "body"));
	assert_int_equal(strlen(v), 3 * MB_FORM_TEXT_MAX);
	assert_int_equal(v[49], ' ');
	mb_form_free(&f);

	b.len = 0;
	mb_buf_puts(&b, "--XyZ\r\nContent-Disposition: form-data; "
	    "name=\"csrf\"\r\n\r\nt\r\n--XyZ\r\nContent-Disposition: "
	    "form-data; name=\"note\"\r\n\r\n");
	for (int i = 0; i < MB_FORM_TEXT_MAX + 1; i++)
		mb_buf_putc(&b, 'x');
	mb_buf_puts(&b, "\r\n--XyZ--\r\n");
	memset(&f, 0, sizeof(f));
	mb_form_parse(&f, "multipart/form-data; boundary=XyZ", b.data, b.len);
	assert_string_equal(mb_form_get(&f, "csrf"), "t");
	assert_null(mb_form_get(&f, "note"));
	mb_form_free(&f);
	mb_buf_free(&b);
}

#define CT "multipart/form-data; boundary=XyZ"
static const char upload[] =
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"csrf\"\r\n\r\n"
    "t0k3n\r\n"
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"up\"; filename=\"a.png\"\r\n"
    "Content-Type: image/png\r\n\r\n"
    "PNG\r\nbytes\r\n"
    "--XyZ--\r\n";

static void
test_multipart(void **state)
{
	struct mb_form	 f = { 0 };
	const char	*data;
	size_t		 len;
	char		 b[80];

	(void)state;
	mb_form_parse(&f, CT, upload, sizeof(upload) - 1);
	assert_int_equal(f.n, 1);	/* the file part is not a field */
	assert_string_equal(mb_form_get(&f, "csrf"), "t0k3n");
	mb_form_free(&f);

	assert_true(mb_multipart_boundary(CT, b, sizeof(b)));
	assert_string_equal(b, "XyZ");
	assert_true(mb_multipart_boundary(
	    "multipart/form-data; boundary=\"a b\"; x=y", b, sizeof(b)));
	assert_string_equal(b, "a b");
	assert_false(mb_multipart_boundary("multipart/form-data", b,
	    sizeof(b)));
	assert_false(mb_multipart_boundary("multipart/form-data; boundary=",
	    b, sizeof(b)));

	assert_true(mb_multipart_file(upload, sizeof(upload) - 1, "XyZ",
	    &data, &len));
	assert_int_equal(len, 10);
	assert_memory_equal(data, "PNG\r\nbytes", 10);
	/* Cut before the closing delimiter: no file. */
	assert_false(mb_multipart_file(upload, sizeof(upload) - 12, "XyZ",
	    &data, &len));
	assert_false(mb_multipart_file(upload, sizeof(upload) - 1, "Other",
	    &data, &len));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accepts_gzip),
		cmocka_unit_test(test_range),
		cmocka_unit_test(test_urlencoded),
		cmocka_unit_test(test_urlencoded_bounded),
		cmocka_unit_test(test_form_bad_bytes),
		cmocka_unit_test(test_multipart),
		cmocka_unit_test(test_form_value_lengths),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
