/* SPDX-License-Identifier: MIT */
/* RFC 8785 JSON Canonicalization Scheme: the bytes that items are signed as. */
#include "item/jcs.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"

/*
 * How deep arrays and objects may nest. Items are a few levels deep; the
 * cap keeps the recursion (and a hostile peer) bounded.
 */
#define JCS_MAX_DEPTH	64

/* 2^53: up to here in magnitude, every integer is exactly a double. */
#define JCS_MAX_SAFE	9007199254740992LL

/* Object members held on the C stack before the scratch array spills. */
#define JCS_STACK_MEMBERS	64

/* One object member waiting to be sorted and written. */
struct jcs_member {
	const char	*key;
	size_t		 klen;
	json_t		*val;
	int		 slow;	/* key has a byte >= 0xee: see jcs_member_cmp() */
};

/* One step of the path from the root to the value being written. */
struct jcs_frame {
	const char	*key;	/* NULL for an array element */
	size_t		 klen;
	size_t		 idx;
};

/* The state of one mb_jcs_dump() call. */
struct jcs {
	struct mb_buf		*out;
	struct mb_diag		*d;
	struct jcs_member	*m;	/* scratch: a stack of pending members */
	size_t			 mlen;
	size_t			 mcap;
	struct jcs_frame	 path[JCS_MAX_DEPTH + 1];
	struct jcs_member	 stack_m[JCS_STACK_MEMBERS];
};

static int	jcs_value(struct jcs *, const json_t *, int);

/*
 * Bytes a JSON string cannot carry verbatim, with the short escape RFC 8785
 * §3.2.2.2 prescribes, or 'u' for \u00xx. Everything else, UTF-8 included,
 * is copied as it is.
 */
static const char jcs_esc[256] = {
	'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u',
	'b', 't', 'n', 'u', 'f', 'r', 'u', 'u',
	'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u',
	'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u',
	['"'] = '"', ['\\'] = '\\',
};

/*
 * Writes the path to the value at depth level ("renditions[0].width") into
 * buf; only used on errors, so nothing here needs to be fast. A path that
 * does not fit ends in "...".
 */
static void
jcs_path(const struct jcs *j, int level, char *buf, size_t size)
{
	char	 idx[32];
	size_t	 len = 0, k, n;

	if (level == 0) {
		snprintf(buf, size, "(top level)");
		return;
	}
	for (int i = 0; i < level; i++) {
		const struct jcs_frame *f = &j->path[i];
		const char *s = f->key;

		if (s == NULL) {
			snprintf(idx, sizeof(idx), "[%zu]", f->idx);
			s = idx;
			n = strlen(idx);
		} else {
			n = f->klen;
			if (i > 0 && len + 1 < size)
				buf[len++] = '.';
		}
		/* Control bytes would garble a log line; names are UTF-8. */
		for (k = 0; k < n && len + 1 < size; k++) {
			unsigned char c = (unsigned char)s[k];
			buf[len++] = c < 0x20 || c == 0x7f ? '?' : (char)c;
		}
		if (k < n && size > 4) {
			memcpy(buf + size - 4, "...", 4);
			return;
		}
	}
	buf[len] = '\0';
}

static int
jcs_fail(const struct jcs *j, int level, int err, const char *what)
{
	char	path[400];

	if (err == MB_ERR_NOMEM)
		return mb_diag_set(j->d, err, "canonical JSON: out of memory");
	jcs_path(j, level, path, sizeof(path));
	return mb_diag_set(j->d, err, "%s: %s", path, what);
}

/*
 * Appends n bytes. Most appends are a few bytes into a buffer that already
 * has room, so that case is handled here without a call into buf.c.
 */
static inline int
jcs_put(struct jcs *j, const char *p, size_t n)
{
	struct mb_buf	*b = j->out;

	if (b->cap - b->len > n) {
		memcpy(b->data + b->len, p, n);
		b->len += n;
		b->data[b->len] = '\0';
		return MB_OK;
	}
	if (mb_buf_append(b, p, n) != MB_OK)
		return MB_ERR_NOMEM;
	return MB_OK;
}

#define JCS_ONES	0x0101010101010101ULL
#define JCS_HIGHS	0x8080808080808080ULL

/*
 * True when one of the 8 bytes in w needs escaping: below 0x20, '"' or
 * '\\'. The usual bit tricks; as a yes/no answer they are exact.
 */
static inline int
jcs_word_needs_esc(uint64_t w)
{
	uint64_t	q = w ^ (JCS_ONES * '"'), bs = w ^ (JCS_ONES * '\\');

	return ((((w - JCS_ONES * 0x20) & ~w) | ((q - JCS_ONES) & ~q) |
	    ((bs - JCS_ONES) & ~bs)) & JCS_HIGHS) != 0;
}

/*
 * Writes s[0..len) as a JSON string. The caller has checked that it is
 * UTF-8. Runs of plain bytes are found 8 at a time and copied in one go,
 * so ordinary text costs little more than a memcpy.
 */
static int
jcs_quote(struct jcs *j, const char *s, size_t len)
{
	static const char	 hex[] = "0123456789abcdef";
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 i = 0, run = 0;
	uint64_t		 w;
	char			 e[6];
	int			 rc;

	if ((rc = jcs_put(j, "\"", 1)) != MB_OK)
		return rc;
	while (i < len) {
		if (i + 8 <= len) {
			memcpy(&w, s + i, 8);
			if (!jcs_word_needs_esc(w)) {
				i += 8;
				continue;
			}
		}
		if (jcs_esc[u[i]] == 0) {
			i++;
			continue;
		}
		if ((rc = jcs_put(j, s + run, i - run)) != MB_OK)
			return rc;
		e[0] = '\\';
		if ((e[1] = jcs_esc[u[i]]) != 'u') {
			rc = jcs_put(j, e, 2);
		} else {
			e[2] = '0';
			e[3] = '0';
			e[4] = hex[u[i] >> 4];
			e[5] = hex[u[i] & 0xf];
			rc = jcs_put(j, e, 6);
		}
		if (rc != MB_OK)
			return rc;
		run = ++i;
	}
	if ((rc = jcs_put(j, s + run, len - run)) != MB_OK)
		return rc;
	return jcs_put(j, "\"", 1);
}

static int
jcs_string(struct jcs *j, const json_t *v, int level)
{
	const char	*s = json_string_value(v);
	size_t		 len = json_string_length(v);

	if (!mb_utf8_ascii(s, len) && !mb_utf8_valid(s, len))
		return jcs_fail(j, level, MB_ERR_INVAL,
		    "string is not valid UTF-8");
	return jcs_quote(j, s, len);
}

/* Writes u in decimal, NUL-terminated, to end at end; returns the start. */
static char *
jcs_utoa(uint64_t u, char *end)
{
	*--end = '\0';
	do {
		*--end = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	return end;
}

/*
 * Reads the output of printf's %e for a positive number into its digits
 * (trailing zeros dropped) and decimal exponent. Whatever the locale uses
 * as a decimal point is skipped, so LC_NUMERIC cannot change the result.
 */
static int
jcs_parse_e(const char *s, char *dig, int *exp)
{
	int	k = 0;

	for (; *s != '\0' && *s != 'e'; s++)
		if (*s >= '0' && *s <= '9' && k < 17)
			dig[k++] = *s;
	*exp = *s == 'e' ? atoi(s + 1) : 0;
	while (k > 1 && dig[k - 1] == '0')
		k--;
	return k;
}

/*
 * The double nearest to the k digits dig read as d.ddd * 10^exp. The text
 * handed to strtod() has no decimal point, so the locale's does not matter.
 */
static double
jcs_digits_value(const char *dig, int k, int exp)
{
	char	buf[40];

	memcpy(buf, dig, (size_t)k);
	snprintf(buf + k, sizeof(buf) - (size_t)k, "e%d", exp - (k - 1));
	return strtod(buf, NULL);
}

/*
 * The shortest digits that read back as x > 0, the closest to x when several
 * are that short: what ECMAScript's Number::toString (and so RFC 8785)
 * asks for. Returns the digit count and sets *exp so that
 * x ~ d.ddd * 10^exp.
 *
 * printf rounds correctly, so for a given precision p the %.{p-1}e digits
 * are the closest p-digit decimal. Two shortcuts keep this cheap:
 *
 * - A normal double's closest 15-digit decimal reads back as it exactly
 *   when some decimal of at most 15 digits does (DBL_DIG is 15), and then
 *   it is that decimal padded with zeros. So one try settles every number
 *   that people type, and the rest need 16 or 17 digits (17 always work).
 *
 * - The round-trip interval is symmetric except at a power of two, where
 *   the part below is half as wide. There the closest decimal may miss
 *   below while the next one up still hits; such numbers (and subnormals,
 *   where DBL_DIG does not hold) take the slow way: every precision, and
 *   that neighbour.
 */
static int
jcs_shortest(double x, char *dig, int *exp)
{
	char		 buf[40];
	uint64_t	 bits;
	double		 y;
	int		 k, p, e, i, slow;

	memcpy(&bits, &x, sizeof(bits));
	slow = x < DBL_MIN || (bits & 0xfffffffffffffULL) == 0;
	for (p = slow ? 1 : 15; p <= 17; p++) {
		snprintf(buf, sizeof(buf), "%.*e", p - 1, x);
		k = jcs_parse_e(buf, dig, &e);
		if ((y = jcs_digits_value(dig, k, e)) == x)
			goto done;
		if (!slow || y > x)
			continue;
		/* dig[0..p) still holds all p digits: add one to the last. */
		for (i = p - 1; i >= 0 && dig[i] == '9'; i--)
			dig[i] = '0';
		if (i >= 0) {
			dig[i]++;
		} else {
			dig[0] = '1';
			e++;
		}
		for (k = p; k > 1 && dig[k - 1] == '0'; k--)
			continue;
		if (jcs_digits_value(dig, k, e) == x)
			goto done;
	}
	/* Not reached: 17 digits always read back. */
	snprintf(buf, sizeof(buf), "%.16e", x);
	k = jcs_parse_e(buf, dig, &e);
done:
	*exp = e;
	return k;
}

/*
 * The fast way for numbers with a few decimals (prices, coordinates,
 * scores). Finds the fewest decimals f for which m = round(x * 10^f) reads
 * back as x. With m < 10^15 both m and 10^f are exact doubles, so m / 10^f
 * is correctly rounded: exactly what strtod() makes of those digits. A
 * decimal that reads back as x lies within x * 2^-53 of it, so m lies
 * within 0.12 of x * 10^f, and so does the computed product: one integer
 * at most can be that close, and rounding the product finds it. Fewer
 * decimals mean fewer digits, so the first f that works is the shortest.
 * x is positive and not an integer. Returns 0 when no f works, else the
 * digit count (as jcs_shortest() does).
 */
static int
jcs_short_decimal(double x, char *dig, int *exp)
{
	static const double	 p10[] = { 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7,
	    1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15 };
	char			 tmp[24], *s;
	double			 t, m;
	int			 f, k;

	for (f = 1; f <= 15; f++) {
		t = x * p10[f - 1];
		if (t >= 1e15)
			return 0;
		m = nearbyint(t);
		if (m != 0 && m / p10[f - 1] == x)
			break;
	}
	if (f > 15)
		return 0;
	s = jcs_utoa((uint64_t)m, tmp + sizeof(tmp));
	k = (int)(tmp + sizeof(tmp) - 1 - s);
	memcpy(dig, s, (size_t)k);
	*exp = k - 1 - f;
	while (k > 1 && dig[k - 1] == '0')
		k--;
	return k;
}

/*
 * Lays out k digits with value 0.ddd * 10^n the way ECMAScript's
 * Number::toString does (ECMA-262 §6.1.6.1.20, steps 6 to 10).
 */
static size_t
jcs_layout(const char *dig, int k, int n, char *o)
{
	size_t	len = 0;
	int	i, e;

	if (k <= n && n <= 21) {
		memcpy(o, dig, (size_t)k);
		len = (size_t)k;
		for (i = k; i < n; i++)
			o[len++] = '0';
	} else if (0 < n && n <= 21) {
		memcpy(o, dig, (size_t)n);
		len = (size_t)n;
		o[len++] = '.';
		memcpy(o + len, dig + n, (size_t)(k - n));
		len += (size_t)(k - n);
	} else if (-6 < n && n <= 0) {
		o[len++] = '0';
		o[len++] = '.';
		for (i = n; i < 0; i++)
			o[len++] = '0';
		memcpy(o + len, dig, (size_t)k);
		len += (size_t)k;
	} else {
		o[len++] = dig[0];
		if (k > 1) {
			o[len++] = '.';
			memcpy(o + len, dig + 1, (size_t)(k - 1));
			len += (size_t)(k - 1);
		}
		e = n - 1;
		o[len++] = 'e';
		o[len++] = e < 0 ? '-' : '+';
		if (e < 0)
			e = -e;
		if (e >= 100)
			o[len++] = (char)('0' + e / 100);
		if (e >= 10)
			o[len++] = (char)('0' + e / 10 % 10);
		o[len++] = (char)('0' + e % 10);
	}
	o[len] = '\0';
	return len;
}

int
mb_jcs_number(double x, char *out, size_t n)
{
	char	 dig[17], tmp[24], *s;
	size_t	 len = 0;
	int	 k, e;

	if (!isfinite(x) || n < 32)
		return MB_ERR_INVAL;
	if (x == 0) {		/* -0 too: ECMAScript prints it as "0" */
		memcpy(out, "0", 2);
		return MB_OK;
	}
	if (x < 0) {
		out[len++] = '-';
		x = -x;
	}
	/*
	 * Below 2^53 an integral double is printed as that integer exactly:
	 * no shorter decimal lies within half a unit of it. Counts, sizes and
	 * timestamps all take this path.
	 */
	if (x <= (double)JCS_MAX_SAFE && x == floor(x)) {
		s = jcs_utoa((uint64_t)x, tmp + sizeof(tmp));
		memcpy(out + len, s, (size_t)(tmp + sizeof(tmp) - s));
		return MB_OK;
	}
	if ((k = jcs_short_decimal(x, dig, &e)) == 0)
		k = jcs_shortest(x, dig, &e);
	jcs_layout(dig, k, e + 1, out + len);
	return MB_OK;
}

static int
jcs_integer(struct jcs *j, const json_t *v, int level)
{
	json_int_t	 i = json_integer_value(v);
	uint64_t	 u;
	char		 tmp[24], *s;

	/*
	 * I-JSON (RFC 7493) numbers are doubles; a bigger integer would be
	 * signed as digits that a JavaScript verifier cannot reproduce.
	 */
	if (i > JCS_MAX_SAFE || i < -JCS_MAX_SAFE)
		return jcs_fail(j, level, MB_ERR_INVAL,
		    "integer too large for I-JSON");
	u = i < 0 ? (uint64_t)-i : (uint64_t)i;
	s = jcs_utoa(u, tmp + sizeof(tmp));
	if (i < 0)
		*--s = '-';
	return jcs_put(j, s, (size_t)(tmp + sizeof(tmp) - 1 - s));
}

static int
jcs_real(struct jcs *j, const json_t *v, int level)
{
	char	buf[32];

	if (mb_jcs_number(json_real_value(v), buf, sizeof(buf)) != MB_OK)
		return jcs_fail(j, level, MB_ERR_INVAL, "number is not finite");
	return jcs_put(j, buf, strlen(buf));
}

/*
 * RFC 8785 §3.2.3 orders names by UTF-16 code units. UTF-8 byte order is
 * code point order, and the two agree except where a character from
 * U+10000 up (UTF-16 surrogates, 0xd800..0xdbff) meets one in
 * U+E000..U+FFFF: UTF-8 puts the astral one last, UTF-16 first. So memcmp
 * decides unless a name holds a lead byte 0xee..0xf4 (the slow flag), and
 * then only the first differing byte needs a second look. Both names are
 * valid UTF-8 and agree before that byte, so either both bytes are
 * continuation bytes of the same kind of character, or both lead bytes.
 */
static int
jcs_member_cmp(const void *pa, const void *pb)
{
	const struct jcs_member	*a = pa, *b = pb;
	const unsigned char	*x, *y;
	size_t			 n, i;
	int			 r;

	n = a->klen < b->klen ? a->klen : b->klen;
	r = memcmp(a->key, b->key, n);
	if (r == 0)
		return (a->klen > b->klen) - (a->klen < b->klen);
	if (!a->slow && !b->slow)
		return r;
	x = (const unsigned char *)a->key;
	y = (const unsigned char *)b->key;
	for (i = 0; x[i] == y[i]; i++)
		continue;
	if (x[i] >= 0xf0 && (y[i] == 0xee || y[i] == 0xef))
		return -1;
	if (y[i] >= 0xf0 && (x[i] == 0xee || x[i] == 0xef))
		return 1;
	return x[i] < y[i] ? -1 : 1;
}

/*
 * Sorts an object's members. Most objects in an item have a handful of
 * members, where an insertion sort beats qsort()'s calls and set-up.
 */
static void
jcs_sort(struct jcs_member *m, size_t n)
{
	struct jcs_member	t;
	size_t			i, k;

	if (n > 16) {
		qsort(m, n, sizeof(*m), jcs_member_cmp);
		return;
	}
	for (i = 1; i < n; i++) {
		t = m[i];
		for (k = i; k > 0 && jcs_member_cmp(&m[k - 1], &t) > 0; k--)
			m[k] = m[k - 1];
		m[k] = t;
	}
}

/* Makes room for n more pending members in the scratch array. */
static int
jcs_grow(struct jcs *j, size_t n)
{
	struct jcs_member	*m;
	size_t			 cap;

	if (j->mlen + n <= j->mcap)
		return MB_OK;
	cap = j->mcap * 2;
	if (cap < j->mlen + n)
		cap = j->mlen + n;
	if (cap > SIZE_MAX / sizeof(*m))
		return MB_ERR_NOMEM;
	if (j->m == j->stack_m) {
		if ((m = malloc(cap * sizeof(*m))) == NULL)
			return MB_ERR_NOMEM;
		memcpy(m, j->m, j->mlen * sizeof(*m));
	} else if ((m = realloc(j->m, cap * sizeof(*m))) == NULL)
		return MB_ERR_NOMEM;
	j->m = m;
	j->mcap = cap;
	return MB_OK;
}

/*
 * Writes an object. Its members are pushed onto the scratch array (shared
 * by all levels, so a dump allocates nothing for objects of ordinary size),
 * sorted there, and popped when done. Children may move the array, so
 * members are addressed by index.
 */
static int
jcs_object(struct jcs *j, const json_t *v, int level)
{
	json_t			*o = (json_t *)v;	/* borrowed, not changed */
	struct jcs_member	*m;
	size_t			 base = j->mlen, n = json_object_size(v), i;
	void			*it;
	int			 rc;

	if ((rc = jcs_grow(j, n)) != MB_OK)
		return rc;
	for (it = json_object_iter(o); it != NULL;
	    it = json_object_iter_next(o, it)) {
		m = &j->m[j->mlen];
		m->key = json_object_iter_key(it);
		m->klen = json_object_iter_key_len(it);
		m->val = json_object_iter_value(it);
		m->slow = 0;
		if (!mb_utf8_ascii(m->key, m->klen)) {
			if (!mb_utf8_valid(m->key, m->klen)) {
				j->mlen = base;
				return jcs_fail(j, level, MB_ERR_INVAL,
				    "member name is not valid UTF-8");
			}
			for (i = 0; i < m->klen && !m->slow; i++)
				m->slow = (unsigned char)m->key[i] >= 0xee;
		}
		j->mlen++;
	}
	n = j->mlen - base;
	jcs_sort(j->m + base, n);

	if ((rc = jcs_put(j, "{", 1)) != MB_OK)
		goto fail;
	for (i = 0; i < n; i++) {
		m = &j->m[base + i];
		j->path[level].key = m->key;
		j->path[level].klen = m->klen;
		if ((i > 0 && (rc = jcs_put(j, ",", 1)) != MB_OK) ||
		    (rc = jcs_quote(j, m->key, m->klen)) != MB_OK ||
		    (rc = jcs_put(j, ":", 1)) != MB_OK ||
		    (rc = jcs_value(j, m->val, level + 1)) != MB_OK)
			goto fail;
	}
	j->mlen = base;
	return jcs_put(j, "}", 1);
fail:
	j->mlen = base;
	return rc;
}

static int
jcs_array(struct jcs *j, const json_t *v, int level)
{
	size_t	i, n = json_array_size(v);
	int	rc;

	if ((rc = jcs_put(j, "[", 1)) != MB_OK)
		return rc;
	j->path[level].key = NULL;
	for (i = 0; i < n; i++) {
		j->path[level].idx = i;
		if ((i > 0 && (rc = jcs_put(j, ",", 1)) != MB_OK) ||
		    (rc = jcs_value(j, json_array_get(v, i), level + 1)) !=
		    MB_OK)
			return rc;
	}
	return jcs_put(j, "]", 1);
}

/*
 * Writes v, found at depth level (j->path[0..level) says how). Errors are
 * reported where found, so callers only pass the code up, except for
 * running out of memory, which is reported here once.
 */
static int
jcs_value(struct jcs *j, const json_t *v, int level)
{
	int	rc;

	if (v == NULL)
		return jcs_fail(j, level, MB_ERR_INVAL, "no value");
	switch (json_typeof(v)) {
	case JSON_OBJECT:
	case JSON_ARRAY:
		if (level >= JCS_MAX_DEPTH)
			return jcs_fail(j, level, MB_ERR_INVAL,
			    "nested too deeply");
		rc = json_is_object(v) ? jcs_object(j, v, level) :
		    jcs_array(j, v, level);
		break;
	case JSON_STRING:
		rc = jcs_string(j, v, level);
		break;
	case JSON_INTEGER:
		rc = jcs_integer(j, v, level);
		break;
	case JSON_REAL:
		rc = jcs_real(j, v, level);
		break;
	case JSON_TRUE:
		rc = jcs_put(j, "true", 4);
		break;
	case JSON_FALSE:
		rc = jcs_put(j, "false", 5);
		break;
	case JSON_NULL:
		rc = jcs_put(j, "null", 4);
		break;
	default:
		return jcs_fail(j, level, MB_ERR_INVAL, "unknown JSON type");
	}
	return rc;
}

/*
 * Arrays and objects may nest JCS_MAX_DEPTH deep. On failure out keeps
 * whatever was written before the error: callers reset it (or remember
 * out->len before the call and cut back to it). Reals from 2^53 up to 1e21
 * come out in integer form ("1152921504606847000", as ECMAScript writes
 * them), which jansson reads back as an integer that this refuses.
 */
int
mb_jcs_dump(const json_t *v, struct mb_buf *out, struct mb_diag *d)
{
	struct jcs	*j, local;
	int		 rc;

	j = &local;
	j->out = out;
	j->d = d;
	j->m = j->stack_m;
	j->mlen = 0;
	j->mcap = JCS_STACK_MEMBERS;
	rc = jcs_value(j, v, 0);
	if (rc == MB_ERR_NOMEM)
		jcs_fail(j, 0, rc, "");
	if (j->m != j->stack_m)
		free(j->m);
	return rc;
}
