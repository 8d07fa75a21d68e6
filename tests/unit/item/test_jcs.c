/* SPDX-License-Identifier: MIT */
/* Unit tests for src/item/jcs: RFC 8785's own examples, errors, round trips. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/utf8.h"
#include "item/jcs.h"

/* Parses text the way the node reads items (borrowed from nothing). */
static json_t *
parse(const char *text, size_t len)
{
	json_error_t	 e;
	json_t		*v;

	v = json_loadb(text, len,
	    JSON_REJECT_DUPLICATES | JSON_DECODE_ANY | JSON_ALLOW_NUL, &e);
	if (v == NULL)
		fail_msg("parse: %s at %d:%d", e.text, e.line, e.column);
	return v;
}

/* Canonicalizes text and checks the bytes against want. */
static void
check_canon(const char *text, const char *want, size_t wantlen)
{
	struct mb_buf	 b = MB_BUF_INIT;
	struct mb_diag	 d = { "" };
	json_t		*v = parse(text, strlen(text));

	assert_int_equal(mb_jcs_dump(v, &b, &d), MB_OK);
	if (b.len != wantlen || memcmp(b.data, want, wantlen) != 0)
		fail_msg("got  %s\nwant %.*s", mb_buf_cstr(&b), (int)wantlen,
		    want);
	json_decref(v);
	mb_buf_free(&b);
}

/* Expects v (stolen) to be refused with MB_ERR_INVAL and message msg. */
static void
check_refused(json_t *v, const char *msg)
{
	struct mb_buf	b = MB_BUF_INIT;
	struct mb_diag	d = { "" };

	assert_int_equal(mb_jcs_dump(v, &b, &d), MB_ERR_INVAL);
	assert_string_equal(d.msg, msg);
	json_decref(v);
	mb_buf_free(&b);
}

/* RFC 8785 §3.2.2: the sample input and its canonical form. */
static void
test_rfc_sample(void **state)
{
	static const char in[] =
	    "{\n"
	    "  \"numbers\": [333333333.33333329, 1E30, 4.50,\n"
	    "              2e-3, 0.000000000000000000000000001],\n"
	    "  \"string\": \"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c"
	    "\\\\\\\"\\/\",\n"
	    "  \"literals\": [null, true, false]\n"
	    "}";
	static const char want[] =
	    "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,"
	    "1e+30,4.5,0.002,1e-27],\"string\":\"\xe2\x82\xac$\\u000f\\nA'B"
	    "\\\"\\\\\\\\\\\"/\"}";

	(void)state;
	check_canon(in, want, sizeof(want) - 1);
}

/* RFC 8785 §3.2.3: names sort by UTF-16 code units, not UTF-8 bytes. */
static void
test_rfc_sorting(void **state)
{
	static const char in[] =
	    "{\n"
	    "  \"\\u20ac\": \"Euro Sign\",\n"
	    "  \"\\r\": \"Carriage Return\",\n"
	    "  \"\\ufb33\": \"Hebrew Letter Dalet With Dagesh\",\n"
	    "  \"1\": \"One\",\n"
	    "  \"\\ud83d\\ude00\": \"Emoji: Grinning Face\",\n"
	    "  \"\\u0080\": \"Control\",\n"
	    "  \"\\u00f6\": \"Latin Small Letter O With Diaeresis\"\n"
	    "}";
	static const char want[] =
	    "{\"\\r\":\"Carriage Return\","
	    "\"1\":\"One\","
	    "\"\xc2\x80\":\"Control\","
	    "\"\xc3\xb6\":\"Latin Small Letter O With Diaeresis\","
	    "\"\xe2\x82\xac\":\"Euro Sign\","
	    "\"\xf0\x9f\x98\x80\":\"Emoji: Grinning Face\","
	    "\"\xef\xac\xb3\":\"Hebrew Letter Dalet With Dagesh\"}";

	(void)state;
	check_canon(in, want, sizeof(want) - 1);
}

/* RFC 8785 Appendix B (NaN and Infinity below), then some more. */
static const struct {
	uint64_t	 bits;
	const char	*want;
} numbers[] = {
	{ 0x0000000000000000ULL, "0" },
	{ 0x8000000000000000ULL, "0" },
	{ 0x0000000000000001ULL, "5e-324" },
	{ 0x8000000000000001ULL, "-5e-324" },
	{ 0x7fefffffffffffffULL, "1.7976931348623157e+308" },
	{ 0xffefffffffffffffULL, "-1.7976931348623157e+308" },
	{ 0x4340000000000000ULL, "9007199254740992" },
	{ 0xc340000000000000ULL, "-9007199254740992" },
	{ 0x4430000000000000ULL, "295147905179352830000" },
	{ 0x44b52d02c7e14af5ULL, "9.999999999999997e+22" },
	{ 0x44b52d02c7e14af6ULL, "1e+23" },
	{ 0x44b52d02c7e14af7ULL, "1.0000000000000001e+23" },
	{ 0x444b1ae4d6e2ef4eULL, "999999999999999700000" },
	{ 0x444b1ae4d6e2ef4fULL, "999999999999999900000" },
	{ 0x444b1ae4d6e2ef50ULL, "1e+21" },
	{ 0x3eb0c6f7a0b5ed8cULL, "9.999999999999997e-7" },
	{ 0x3eb0c6f7a0b5ed8dULL, "0.000001" },
	{ 0x41b3de4355555553ULL, "333333333.3333332" },
	{ 0x41b3de4355555554ULL, "333333333.33333325" },
	{ 0x41b3de4355555555ULL, "333333333.3333333" },
	{ 0x41b3de4355555556ULL, "333333333.3333334" },
	{ 0x41b3de4355555557ULL, "333333333.33333343" },
	{ 0xbecbf647612f3696ULL, "-0.0000033333333333333333" },
	{ 0x43143ff3c1cb0959ULL, "1424953923781206.2" },
	/* Not from the RFC; the expected strings are node's. */
	{ 0x3e7ad7f29abcaf48ULL, "1e-7" },
	{ 0x3e8421f5f40d8376ULL, "1.5e-7" },
	{ 0x3ea0c6f7a0b5ed8dULL, "5e-7" },
	{ 0x3fb999999999999aULL, "0.1" },
	{ 0x3fd3333333333333ULL, "0.3" },
	{ 0x3fd5555555555555ULL, "0.3333333333333333" },
	{ 0x4011666666666666ULL, "4.35" },
	{ 0xbff8000000000000ULL, "-1.5" },
	{ 0x4059000000000000ULL, "100" },
	{ 0x4415af1d78b58c40ULL, "100000000000000000000" },
	{ 0x43b0000000000000ULL, "1152921504606847000" },
	{ 0x441ac53a7e04bcdaULL, "123456789012345680000" },
	{ 0x3eb4b3fd5942cd96ULL, "0.000001234" },
	{ 0x7fdfffffffffffffULL, "8.988465674311579e+307" },
	{ 0x7fe0000000000000ULL, "8.98846567431158e+307" },
	{ 0x0010000000000000ULL, "2.2250738585072014e-308" },
	{ 0x000fffffffffffffULL, "2.225073858507201e-308" },
	{ 0x0000000000000003ULL, "1.5e-323" },
	/* Powers of two whose closest 16 digits fall just outside below. */
	{ 0x0060000000000000ULL, "7.120236347223045e-307" },
	{ 0x0420000000000000ULL, "8.209073602596753e-289" },
	{ 0x4620000000000000ULL, "6.338253001141147e+29" },
	{ 0x7c50000000000000ULL, "6.237000967296e+290" },
};

static void
test_numbers(void **state)
{
	char	 buf[32];
	double	 x;

	(void)state;
	for (size_t i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++) {
		memcpy(&x, &numbers[i].bits, sizeof(x));
		assert_int_equal(mb_jcs_number(x, buf, sizeof(buf)), MB_OK);
		if (strcmp(buf, numbers[i].want) != 0)
			fail_msg("0x%016llx: got %s, want %s",
			    (unsigned long long)numbers[i].bits, buf,
			    numbers[i].want);
	}
	/* Appendix B's two that JSON cannot carry. */
	assert_int_equal(mb_jcs_number(NAN, buf, sizeof(buf)), MB_ERR_INVAL);
	assert_int_equal(mb_jcs_number(INFINITY, buf, sizeof(buf)),
	    MB_ERR_INVAL);
	assert_int_equal(mb_jcs_number(-INFINITY, buf, sizeof(buf)),
	    MB_ERR_INVAL);
	assert_int_equal(mb_jcs_number(1, buf, 31), MB_ERR_INVAL);
}

/* Reals, integers and -0 inside a document. */
static void
test_number_values(void **state)
{
	struct mb_buf	 b = MB_BUF_INIT;
	json_t		*a;

	(void)state;
	a = json_pack("[f,f,f,I,I,I,I,f]", -0.0, 0.0, 1e21, (json_int_t)0,
	    (json_int_t)-42, (json_int_t)9007199254740992LL,
	    (json_int_t)-9007199254740992LL, 2.5);
	assert_non_null(a);
	assert_int_equal(mb_jcs_dump(a, &b, NULL), MB_OK);
	assert_string_equal(b.data, "[0,0,1e+21,0,-42,9007199254740992,"
	    "-9007199254740992,2.5]");
	json_decref(a);
	mb_buf_free(&b);
}

static void
test_structure(void **state)
{
	static const char want[] =
	    "{\"\":[],\"a\":{},\"b\":[[],{},[{}]],\"c\":{\"x\":{\"y\":[1,"
	    "{\"m\":\"n\",\"z\":true}]},\"y\":null},\"ca\":false}";
	static const char top[] = "[\"s\",1]";

	(void)state;
	check_canon("{ \"ca\": false, \"c\": {\"y\": null, \"x\": {\"y\": [1, "
	    "{\"z\": true, \"m\": \"n\"}]}}, \"b\": [[], {}, [{}]], \"a\": {},"
	    "\"\": [] }", want, sizeof(want) - 1);
	check_canon("{}", "{}", 2);
	check_canon("[]", "[]", 2);
	check_canon(" [ \"s\" , 1 ] ", top, sizeof(top) - 1);
	check_canon("\"x\"", "\"x\"", 3);
	check_canon("null", "null", 4);
	check_canon("true", "true", 4);
	check_canon("1.0", "1", 1);
}

/* Every control character, the two that must be escaped, and some that
 * must not be (/, DEL, U+0080, U+2028, astral). */
static void
test_escaping(void **state)
{
	static const char	*shorts = "btnvfr";
	struct mb_buf		 b = MB_BUF_INIT, want = MB_BUF_INIT;
	char			 in[64];
	size_t			 n = 0;
	json_t			*v;

	(void)state;
	for (int c = 0; c < 0x20; c++)
		in[n++] = (char)c;
	memcpy(in + n, "\"\\/\x7f\xc2\x80\xe2\x80\xa8\xf0\x9f\x98\x80", 13);
	n += 13;

	mb_buf_putc(&want, '"');
	for (int c = 0; c < 0x20; c++) {
		if (c >= 8 && c <= 13 && c != 11)
			mb_buf_printf(&want, "\\%c", shorts[c - 8]);
		else
			mb_buf_printf(&want, "\\u%04x", c);
	}
	mb_buf_puts(&want, "\\\"\\\\/\x7f\xc2\x80\xe2\x80\xa8\xf0\x9f\x98\x80\"");

	v = json_stringn(in, n);
	assert_non_null(v);
	assert_int_equal(mb_jcs_dump(v, &b, NULL), MB_OK);
	assert_int_equal(b.len, want.len);
	assert_memory_equal(b.data, want.data, want.len);
	/* Lower-case hex, as the RFC's sample shows. */
	assert_non_null(strstr(b.data, "\\u001f"));
	json_decref(v);

	/* The same rules apply to member names. */
	mb_buf_reset(&b);
	v = json_object();
	json_object_setn_new(v, "\x01\"\n", 3, json_true());
	assert_int_equal(mb_jcs_dump(v, &b, NULL), MB_OK);
	assert_string_equal(b.data, "{\"\\u0001\\\"\\n\":true}");
	json_decref(v);
	mb_buf_free(&b);
	mb_buf_free(&want);
}

static void
test_bad_utf8(void **state)
{
	json_t	*v;

	(void)state;
	v = json_pack("{s:[{s:s},{s:o}]}", "renditions", "title", "ok",
	    "title", json_stringn_nocheck("a\xff", 2));
	assert_non_null(v);
	check_refused(v, "renditions[1].title: string is not valid UTF-8");

	/* An encoded surrogate is not UTF-8 either. */
	check_refused(json_pack("[o]", json_stringn_nocheck("\xed\xa0\x80",
	    3)), "[0]: string is not valid UTF-8");

	v = json_object();
	json_object_set_new(v, "body", json_object());
	json_object_setn_new_nocheck(json_object_get(v, "body"), "\xc3", 1,
	    json_null());
	check_refused(v, "body: member name is not valid UTF-8");
}

static void
test_big_integer(void **state)
{
	json_t	*v;

	(void)state;
	v = parse("{\"renditions\":[{\"width\":9007199254740993}]}",
	    strlen("{\"renditions\":[{\"width\":9007199254740993}]}"));
	check_refused(v, "renditions[0].width: integer too large for I-JSON");
	check_refused(json_integer(-9007199254740993LL),
	    "(top level): integer too large for I-JSON");
	check_refused(json_pack("{s:I}", "n", (json_int_t)INT64_MIN),
	    "n: integer too large for I-JSON");
}

/* Builds n arrays nested in each other around a 1. */
static json_t *
nested(int n)
{
	json_t	*v = json_integer(1), *a;

	for (int i = 0; i < n; i++) {
		a = json_array();
		json_array_append_new(a, v);
		v = a;
	}
	return v;
}

static void
test_depth(void **state)
{
	struct mb_buf	 b = MB_BUF_INIT;
	struct mb_diag	 d = { "" };
	json_t		*v;

	(void)state;
	v = nested(64);
	assert_int_equal(mb_jcs_dump(v, &b, &d), MB_OK);
	assert_int_equal(b.len, 64 * 2 + 1);
	json_decref(v);

	mb_buf_reset(&b);
	v = nested(65);
	assert_int_equal(mb_jcs_dump(v, &b, &d), MB_ERR_INVAL);
	assert_non_null(strstr(d.msg, "[0][0][0]"));
	assert_non_null(strstr(d.msg, ": nested too deeply"));
	json_decref(v);

	/* Far deeper than the stack would like: refused, not crashed. */
	mb_buf_reset(&b);
	v = nested(10000);
	assert_int_equal(mb_jcs_dump(v, &b, &d), MB_ERR_INVAL);
	json_decref(v);

	/* Objects count too. */
	mb_buf_reset(&b);
	v = json_integer(1);
	for (int i = 0; i < 65; i++)
		v = json_pack("{s:o}", "k", v);
	assert_int_equal(mb_jcs_dump(v, &b, &d), MB_ERR_INVAL);
	assert_non_null(strstr(d.msg, "k.k.k"));
	json_decref(v);
	mb_buf_free(&b);
}

/* A small deterministic generator (xorshift64*), so failures reproduce. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t
rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ULL;
}

/* Appends one code point, drawn mostly from the awkward places. */
static void
put_random_char(struct mb_buf *b)
{
	static const unsigned	 picks[] = { 0x01, 0x1f, 0x22, 0x5c, 0x7f,
	    0x80, 0xf6, 0x20ac, 0xd7ff, 0xe000, 0xfb33, 0xffff, 0x10000,
	    0x1f600, 0x10ffff };
	unsigned		 cp;
	char			 u[4];

	switch (rng() % 4) {
	case 0:
		cp = picks[rng() % (sizeof(picks) / sizeof(picks[0]))];
		break;
	case 1:
		cp = (unsigned)(rng() % 0x110000);
		if (cp >= 0xd800 && cp <= 0xdfff)
			cp = 0xe000 + cp % 0x2000;
		break;
	default:
		cp = 'a' + (unsigned)(rng() % 4);
		break;
	}
	if (cp < 0x80) {
		mb_buf_putc(b, (char)cp);
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | cp >> 6);
		u[1] = (char)(0x80 | (cp & 0x3f));
		mb_buf_append(b, u, 2);
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | cp >> 12);
		u[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		mb_buf_append(b, u, 3);
	} else {
		u[0] = (char)(0xf0 | cp >> 18);
		u[1] = (char)(0x80 | (cp >> 12 & 0x3f));
		u[2] = (char)(0x80 | (cp >> 6 & 0x3f));
		u[3] = (char)(0x80 | (cp & 0x3f));
		mb_buf_append(b, u, 4);
	}
}

static void
random_text(struct mb_buf *b)
{
	size_t	n = (size_t)(rng() % 6);

	mb_buf_reset(b);
	mb_buf_puts(b, "");
	for (size_t i = 0; i < n; i++)
		put_random_char(b);
}

/* A random finite double: random bits, or something rounder. */
static double
random_double(void)
{
	uint64_t	bits;
	double		x;

	switch (rng() % 3) {
	case 0:
		do {
			bits = rng();
			memcpy(&x, &bits, sizeof(x));
		} while (!isfinite(x));
		return x;
	case 1:
		return (double)(int64_t)(rng() % 2000001) / 1000 - 1000;
	default:
		return ldexp((double)(rng() % 1000), (int)(rng() % 200) - 100);
	}
}

static json_t *
random_value(int depth)
{
	struct mb_buf	 b = MB_BUF_INIT;
	json_t		*v;
	double		 x;
	int		 n;

	switch (depth > 4 ? 4 + rng() % 6 : rng() % 10) {
	case 0:
	case 1:
		v = json_object();
		/* Now and then one big enough to be sorted by qsort(). */
		n = (int)(rng() % 10 == 0 ? 17 + rng() % 24 : rng() % 8);
		for (int i = 0; i < n; i++) {
			random_text(&b);
			json_object_setn_new(v, b.data, b.len,
			    random_value(depth + 1));
		}
		break;
	case 2:
	case 3:
		v = json_array();
		n = (int)(rng() % 6);
		for (int i = 0; i < n; i++)
			json_array_append_new(v, random_value(depth + 1));
		break;
	case 4:
	case 5:
		random_text(&b);
		v = json_stringn(b.data, b.len);
		break;
	case 6:
		v = json_integer((json_int_t)(rng() % (1ULL << 54)) -
		    (json_int_t)(1ULL << 53));
		break;
	case 7:
		/*
		 * Reals from 2^53 up to 1e21 print as integers (ECMAScript's
		 * layout), which jansson would read back as integers too big
		 * for I-JSON; test_numbers covers their digits instead.
		 */
		do {
			x = random_double();
		} while (fabs(x) >= 9007199254740992.0 && fabs(x) < 1e21);
		v = json_real(x);
		break;
	case 8:
		v = json_boolean(rng() % 2);
		break;
	default:
		v = json_null();
		break;
	}
	mb_buf_free(&b);
	assert_non_null(v);
	return v;
}

/* Reference order: decode both to UTF-16 code units and compare those. */
static int
utf16_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	uint16_t	ua[64], ub[64];
	size_t		na = 0, nb = 0, i, n;
	unsigned	cp;
	const char	*s[2] = { a, b };
	size_t		 len[2] = { alen, blen }, *cnt[2] = { &na, &nb };
	uint16_t	*u[2] = { ua, ub };

	for (int k = 0; k < 2; k++) {
		for (i = 0; i < len[k]; i += n) {
			n = mb_utf8_decode(s[k] + i, len[k] - i, &cp);
			assert_true(n > 0);
			if (cp >= 0x10000) {
				cp -= 0x10000;
				u[k][(*cnt[k])++] = (uint16_t)(0xd800 + (cp >> 10));
				u[k][(*cnt[k])++] =
				    (uint16_t)(0xdc00 + (cp & 0x3ff));
			} else {
				u[k][(*cnt[k])++] = (uint16_t)cp;
			}
		}
	}
	for (i = 0; i < na && i < nb; i++)
		if (ua[i] != ub[i])
			return ua[i] < ub[i] ? -1 : 1;
	return (na > nb) - (na < nb);
}

/* Checks that the names of every object in v come in UTF-16 order (v was
 * parsed from canonical text, and jansson keeps the order it read). */
static void
check_sorted(json_t *v)
{
	const char	*key, *prev = NULL;
	size_t		 klen, plen = 0, i;
	json_t		*m;

	if (json_is_array(v)) {
		json_array_foreach(v, i, m)
			check_sorted(m);
	} else if (json_is_object(v)) {
		json_object_keylen_foreach(v, key, klen, m) {
			if (prev != NULL &&
			    utf16_cmp(prev, plen, key, klen) >= 0)
				fail_msg("names out of order");
			prev = key;
			plen = klen;
			check_sorted(m);
		}
	}
}

/* dump(parse(dump(x))) == dump(x), and the order is right, for random x. */
static void
test_random_roundtrip(void **state)
{
	struct mb_buf	 b1 = MB_BUF_INIT, b2 = MB_BUF_INIT;
	struct mb_diag	 d = { "" };
	json_t		*v, *w;

	(void)state;
	for (int i = 0; i < 500; i++) {
		v = random_value(0);
		mb_buf_reset(&b1);
		mb_buf_reset(&b2);
		if (mb_jcs_dump(v, &b1, &d) != MB_OK)
			fail_msg("dump %d: %s", i, d.msg);
		w = parse(b1.data, b1.len);
		if (mb_jcs_dump(w, &b2, &d) != MB_OK)
			fail_msg("dump %d again: %s\n%s", i, d.msg, b1.data);
		if (b1.len != b2.len || memcmp(b1.data, b2.data, b1.len) != 0)
			fail_msg("%d: not stable:\n%s\n%s", i, b1.data,
			    b2.data);
		check_sorted(w);
		json_decref(v);
		json_decref(w);
	}
	mb_buf_free(&b1);
	mb_buf_free(&b2);
}

/* Doubles read back exactly, through both printf's and our digits. */
static void
test_random_doubles(void **state)
{
	char	buf[32], *end;
	double	x;

	(void)state;
	for (int i = 0; i < 20000; i++) {
		x = random_double();
		assert_int_equal(mb_jcs_number(x, buf, sizeof(buf)), MB_OK);
		assert_true(strtod(buf, &end) == x);
		assert_int_equal(*end, '\0');
	}
}

/* Many members: more than fit in the dump's stack scratch space. */
static void
test_wide_object(void **state)
{
	struct mb_buf	 b = MB_BUF_INIT, want = MB_BUF_INIT;
	char		 key[16];
	json_t		*v = json_object(), *inner = json_object();

	(void)state;
	for (int i = 999; i >= 0; i--) {
		snprintf(key, sizeof(key), "k%04d", i);
		json_object_set_new(i % 2 ? v : inner, key, json_integer(i));
	}
	json_object_set_new(v, "k0000", inner);
	mb_buf_puts(&want, "{\"k0000\":{");
	for (int i = 0; i < 1000; i += 2)
		mb_buf_printf(&want, "%s\"k%04d\":%d", i ? "," : "", i, i);
	mb_buf_puts(&want, "}");
	for (int i = 1; i < 1000; i += 2)
		mb_buf_printf(&want, ",\"k%04d\":%d", i, i);
	mb_buf_puts(&want, "}");
	assert_int_equal(mb_jcs_dump(v, &b, NULL), MB_OK);
	assert_string_equal(b.data, want.data);
	json_decref(v);
	mb_buf_free(&b);
	mb_buf_free(&want);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc_sample),
		cmocka_unit_test(test_rfc_sorting),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_number_values),
		cmocka_unit_test(test_structure),
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_bad_utf8),
		cmocka_unit_test(test_big_integer),
		cmocka_unit_test(test_depth),
		cmocka_unit_test(test_random_roundtrip),
		cmocka_unit_test(test_random_doubles),
		cmocka_unit_test(test_wide_object),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
