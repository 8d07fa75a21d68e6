/* SPDX-License-Identifier: MIT */
/* Search normalization (NFKC, case fold, Arabic/Cyrillic/Latin folds), the
 * word classes, and the small stemming steps Snowball lacks. */
#include "text/normalize.h"

#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "base/err.h"
#include "base/utf8.h"
#include "text/lang.h"
#include "text/text_internal.h"

#define FOLD_OPTS (UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_DECOMPOSE | \
	UTF8PROC_CASEFOLD | UTF8PROC_IGNORE)

void
mb_text__scratch_free(struct mb_text__scratch *sc)
{
	free(sc->cp);
	sc->cp = NULL;
	sc->cap = 0;
}

static int
scratch_grow(struct mb_text__scratch *sc, size_t n)
{
	int32_t	*p;

	if (n <= sc->cap)
		return MB_OK;
	if (n < 64)
		n = 64;
	if (n > SIZE_MAX / sizeof(int32_t) / 2)
		return MB_ERR_NOMEM;
	if ((p = realloc(sc->cp, n * sizeof(int32_t))) == NULL)
		return MB_ERR_NOMEM;
	sc->cp = p;
	sc->cap = n;
	return MB_OK;
}

/* A base letter of the Latin script (after decomposition and folding). */
static bool
is_latin(int32_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= 0xc0 && c < 0x250 && c != 0xd7 && c != 0xf7) ||
	    (c >= 0x1e00 && c < 0x1f00);
}

/*
 * Filters the decomposed, case-folded code points in[0..n) into out (room
 * for 2n) and returns how many there are.
 */
static size_t
filter(const int32_t *in, size_t n, bool accents, int32_t *out)
{
	size_t	j = 0;
	int32_t	base = 0;	/* the last non-mark code point */

	for (size_t i = 0; i < n; i++) {
		int32_t c = in[i];

		/* Arabic harakat, superscript alef, tatweel. */
		if ((c >= 0x64b && c <= 0x652) || (c >= 0x656 && c <= 0x65f) ||
		    c == 0x670 || c == 0x640)
			continue;
		/* Hamza and madda above/below: folded away on alef only,
		 * so that أ إ آ become ا but ؤ ئ stay. */
		if (c >= 0x653 && c <= 0x655) {
			if (base == 0x627)
				continue;
			out[j++] = c;
			continue;
		}
		if (c == 0x308 && base == 0x435)	/* ё -> е */
			continue;
		if (accents && is_latin(base) && c >= 0x300 &&
		    utf8proc_category(c) == UTF8PROC_CATEGORY_MN)
			continue;
		switch (c) {
		case 0x671: c = 0x627; break;	/* ٱ -> ا */
		case 0x629: c = 0x647; break;	/* ة -> ه */
		case 0x649: c = 0x64a; break;	/* ى -> ي */
		case 0x6cc: c = 0x64a; break;	/* ی -> ي */
		case 0x6a9: c = 0x643; break;	/* ک -> ك */
		case 0x131: c = 'i'; break;	/* dotless i */
		}
		if (accents) {
			switch (c) {
			case 0xf8: c = 'o'; break;
			case 0x142: c = 'l'; break;
			case 0x111: c = 'd'; break;
			case 0xf0: c = 'd'; break;
			case 0x127: c = 'h'; break;
			case 0xe6:
				out[j++] = 'a';
				c = 'e';
				break;
			case 0x153:
				out[j++] = 'o';
				c = 'e';
				break;
			}
		}
		if (utf8proc_category(c) < UTF8PROC_CATEGORY_MN ||
		    utf8proc_category(c) > UTF8PROC_CATEGORY_ME)
			base = c;
		out[j++] = c;
	}
	return j;
}

/* U+00C0-U+017F folded (case, accents) to ASCII; "" where the general
 * path must decide (×, ÷, þ, ŉ). Generated with Python's unicodedata:
 * NFKD of the case fold without combining marks. */
static const char *const latin_fold[0x180 - 0xc0] = {
	"a", "a", "a", "a", "a", "a", "ae", "c",
	"e", "e", "e", "e", "i", "i", "i", "i",
	"d", "n", "o", "o", "o", "o", "o", "",
	"o", "u", "u", "u", "u", "y", "", "ss",
	"a", "a", "a", "a", "a", "a", "ae", "c",
	"e", "e", "e", "e", "i", "i", "i", "i",
	"d", "n", "o", "o", "o", "o", "o", "",
	"o", "u", "u", "u", "u", "y", "", "y",
	"a", "a", "a", "a", "a", "a", "c", "c",
	"c", "c", "c", "c", "c", "c", "d", "d",
	"d", "d", "e", "e", "e", "e", "e", "e",
	"e", "e", "e", "e", "g", "g", "g", "g",
	"g", "g", "g", "g", "h", "h", "h", "h",
	"i", "i", "i", "i", "i", "i", "i", "i",
	"i", "i", "ij", "ij", "j", "j", "k", "k",
	"", "l", "l", "l", "l", "l", "l", "",
	"", "l", "l", "n", "n", "n", "n", "n",
	"n", "", "", "", "o", "o", "o", "o",
	"o", "o", "oe", "oe", "r", "r", "r", "r",
	"r", "r", "s", "s", "s", "s", "s", "s",
	"s", "s", "t", "t", "t", "t", "", "",
	"u", "u", "u", "u", "u", "u", "u", "u",
	"u", "u", "u", "u", "w", "w", "y", "y",
	"y", "z", "z", "z", "z", "z", "z", "s",
};

/* The fold of a word of ASCII and U+00C0-U+017F with accents folded, by
 * table; false when the general path is needed. */
static bool
fold_latin(const char *s, size_t len, struct mb_buf *out)
{
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 i, start = out->len;

	if (mb_buf_reserve(out, len) != MB_OK)
		return false;
	for (i = 0; i < len; i++) {
		unsigned c = u[i];
		if (c < 0x80) {
			out->data[out->len++] = (char)(c >= 'A' && c <= 'Z' ?
			    c + 32 : c);
			continue;
		}
		if ((c != 0xc3 && c != 0xc4 && c != 0xc5) || i + 1 == len ||
		    (u[i + 1] & 0xc0) != 0x80)
			break;
		c = ((c & 0x1f) << 6) | (u[++i] & 0x3f);
		const char *r = latin_fold[c - 0xc0];
		if (r[0] == '\0')
			break;
		/* Two-letter folds (ß, æ, œ) come from two-byte letters. */
		out->data[out->len++] = r[0];
		if (r[1] != '\0')
			out->data[out->len++] = r[1];
	}
	if (i < len) {
		out->len = start;
		out->data[start] = '\0';
		return false;
	}
	out->data[out->len] = '\0';
	return true;
}

/* The fold by utf8proc: NFKD and case fold, filter(), NFC. */
static int
fold_general(const char *s, size_t len, bool accents,
    struct mb_text__scratch *sc, struct mb_buf *out)
{
	utf8proc_ssize_t	 n, m;
	int			 rc;

	if (len > (size_t)SSIZE_MAX / 16)
		return MB_ERR_NOMEM;
	for (;;) {
		size_t room = sc->cap / 3;
		n = utf8proc_decompose((const utf8proc_uint8_t *)s,
		    (utf8proc_ssize_t)len, sc->cp, (utf8proc_ssize_t)room,
		    FOLD_OPTS);
		if (n < 0)
			return MB_ERR_INVAL;
		if ((size_t)n <= room)
			break;
		if ((rc = scratch_grow(sc, (size_t)n * 3)) != MB_OK)
			return rc;
	}
	/* All ignorable (soft hyphens, zero-width spaces): nothing, and
	 * the scratch may never have been allocated. */
	if (n == 0)
		return MB_OK;
	m = (utf8proc_ssize_t)filter(sc->cp, (size_t)n, accents,
	    sc->cp + n);
	m = utf8proc_reencode(sc->cp + n, m, UTF8PROC_STABLE |
	    UTF8PROC_COMPOSE);
	if (m < 0)
		return MB_ERR_INVAL;
	return mb_buf_append(out, sc->cp + n, (size_t)m);
}

/*
 * The fold by table of the code points below FAST_END. Most words that
 * miss the tokenizer's cache in Cyrillic, Arabic, Devanagari or Greek are
 * folded one code point at a time, each to what the general path gives
 * it alone, when that is what the general path gives the whole word: a
 * code point qualifies when its decomposition is empty or made only of
 * marks the filter always drops (harakat, tatweel: "empty"), or begins
 * with a letter, digit or symbol of combining class 0 that no
 * composition takes as its second part, or is a single mark of class 0
 * (a Devanagari vowel sign) that nothing composes with. Such a code point
 * starts the filter's base afresh or leaves it alone, cannot be reordered
 * with what is before it and cannot compose with it, so that the whole
 * word's fold is the concatenation. The exception is a class 0 nonspacing
 * mark after a Latin base, which the accent fold drops: the table says
 * which code points those are, and the word then takes the general path.
 * Built on first use from the general path itself, once per process.
 */
#define FAST_END	0x1000
#define FAST_OUT	6

enum {
	FT_OK		= 1,	/* folded by table */
	FT_BASE		= 2,	/* its output sets the filter's base... */
	FT_LATIN	= 4,	/* ...to a Latin letter */
	FT_LATIN_MARK	= 8	/* dropped after a Latin base */
};

struct fold_entry {
	uint8_t	flags, len;
	char	out[FAST_OUT];
};

static struct fold_entry	fold_table[FAST_END];
static pthread_once_t		fold_once = PTHREAD_ONCE_INIT;

static bool
is_mark(int32_t c)
{
	utf8proc_category_t cat = utf8proc_category(c);

	return cat >= UTF8PROC_CATEGORY_MN && cat <= UTF8PROC_CATEGORY_ME;
}

/* Dropped by filter() whatever comes before it. */
static bool
always_dropped(int32_t c)
{
	return (c >= 0x64b && c <= 0x652) || (c >= 0x656 && c <= 0x65f) ||
	    c == 0x670 || c == 0x640;
}

static void
fold_table_init(void)
{
	static bool		 second[FAST_END];
	int32_t			 d[32], f[64];
	utf8proc_uint8_t	 u8[4];
	utf8proc_ssize_t	 u8len;
	struct mb_text__scratch	 sc = { NULL, 0 };
	struct mb_buf		 o = MB_BUF_INIT;

	/* What compositions take as their second part: after the first
	 * code point of any canonical decomposition (Hangul syllables are
	 * algorithmic: their jamo are left out below). */
	for (int32_t x = 0x80; x < 0x10000; x++) {
		utf8proc_ssize_t n;

		if ((x >= 0x3400 && x < 0xa000) || (x >= 0xac00 && x < 0xd800))
			continue;
		n = utf8proc_decompose_char(x, d, 32, UTF8PROC_DECOMPOSE,
		    NULL);
		for (utf8proc_ssize_t k = 1; k < n && k < 32; k++)
			if (d[k] < FAST_END)
				second[d[k]] = true;
	}
	for (int32_t c = 0x80; c < FAST_END; c++) {
		struct fold_entry	*e = &fold_table[c];
		utf8proc_ssize_t	 n, m;
		bool			 empty = true, latin = false, base = false;
		int32_t			 first;

		u8len = utf8proc_encode_char(c, u8);
		n = utf8proc_decompose(u8, u8len, d, 32, FOLD_OPTS);
		if (n < 0 || n > 32 || (c >= 0xd800 && c < 0xe000) ||
		    (c >= 0x1100 && c < 0x1200))
			continue;
		for (utf8proc_ssize_t k = 0; k < n; k++)
			if (!always_dropped(d[k]))
				empty = false;
		if (!empty) {
			first = d[0];
			if (utf8proc_get_property(first)->combining_class != 0 ||
			    (first < FAST_END && second[first]) ||
			    first == 0x640)
				continue;
			if (is_mark(first)) {
				/* A lone class 0 mark (Devanagari signs). */
				if (n != 1)
					continue;
				if (utf8proc_category(first) ==
				    UTF8PROC_CATEGORY_MN)
					e->flags |= FT_LATIN_MARK;
			}
		}
		/* The base filter() is left with; what it keeps must not
		 * compose with what is before either. */
		m = (utf8proc_ssize_t)filter(d, (size_t)n, true, f);
		if (m > 0 && ((f[0] < FAST_END && second[f[0]]) ||
		    utf8proc_get_property(f[0])->combining_class != 0)) {
			e->flags = 0;
			continue;
		}
		for (utf8proc_ssize_t k = 0; k < m; k++)
			if (!is_mark(f[k])) {
				base = true;
				latin = is_latin(f[k]);
			}
		/* Its fold, from the general path itself. */
		mb_buf_reset(&o);
		if (fold_general((const char *)u8, (size_t)u8len, true, &sc,
		    &o) != MB_OK || o.len > FAST_OUT) {
			e->flags = 0;
			continue;
		}
		if (o.len > 0)
			memcpy(e->out, o.data, o.len);
		e->len = (uint8_t)o.len;
		e->flags |= FT_OK | (base ? FT_BASE : 0) |
		    (latin ? FT_LATIN : 0);
	}
	mb_text__scratch_free(&sc);
	mb_buf_free(&o);
}

/* The fold of s[0..len) with accents folded by fold_table; false when a
 * code point needs the general path. */
static bool
fold_fast(const char *s, size_t len, struct mb_buf *out)
{
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 i = 0, start = out->len;
	bool			 latin = false;
	char			*dst;

	pthread_once(&fold_once, fold_table_init);
	/* No code point grows by more than FAST_OUT bytes from 2. */
	if (mb_buf_reserve(out, len * (FAST_OUT / 2) + 1) != MB_OK)
		return false;
	dst = out->data + out->len;
	while (i < len) {
		unsigned		 c = u[i];
		const struct fold_entry	*e;
		uint32_t		 cp;
		size_t			 k;

		if (c < 0x80) {
			if (c >= 'A' && c <= 'Z')
				c += 32;
			*dst++ = (char)c;
			latin = c >= 'a' && c <= 'z';
			i++;
			continue;
		}
		if (c >= 0xc2 && c < 0xe0 && i + 1 < len) {
			cp = (c & 0x1f) << 6 | (u[i + 1] & 0x3f);
			k = 2;
		} else if (c == 0xe0 && i + 2 < len) {
			/* U+0800-U+0FFF (the word is valid UTF-8) */
			cp = (uint32_t)(u[i + 1] & 0x3f) << 6 |
			    (u[i + 2] & 0x3f);
			k = 3;
		} else {
			break;
		}
		e = &fold_table[cp];
		if (!(e->flags & FT_OK) ||
		    ((e->flags & FT_LATIN_MARK) && latin))
			break;
		i += k;
		memcpy(dst, e->out, FAST_OUT);
		dst += e->len;
		if (e->flags & FT_BASE)
			latin = (e->flags & FT_LATIN) != 0;
	}
	if (i < len) {
		out->data[start] = '\0';
		return false;
	}
	out->len = (size_t)(dst - out->data);
	out->data[out->len] = '\0';
	return true;
}

int
mb_text__fold(const char *s, size_t len, bool accents,
    struct mb_text__scratch *sc, struct mb_buf *out)
{
	size_t			 i;
	int			 rc;
	char			*dst;

	for (i = 0; i < len && (unsigned char)s[i] < 0x80; i++)
		;
	if (i == len) {		/* ASCII: just lower case */
		if ((rc = mb_buf_reserve(out, len)) != MB_OK)
			return rc;
		dst = out->data + out->len;
		for (i = 0; i < len; i++) {
			unsigned char c = (unsigned char)s[i];
			dst[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
		}
		out->len += len;
		out->data[out->len] = '\0';
		return MB_OK;
	}
	if (accents && (unsigned char)s[i] < 0xc6 && fold_latin(s, len, out))
		return MB_OK;
	if (accents && (unsigned char)s[i] < 0xe1 && fold_fast(s, len, out))
		return MB_OK;
	return fold_general(s, len, accents, sc, out);
}

int
mb_text_normalize(const char *s, size_t len, const char *lang,
    struct mb_buf *out)
{
	struct mb_text__scratch	sc = { NULL, 0 };
	int			rc;

	(void)lang;
	if (len == 0)
		return mb_buf_append(out, "", 0);
	if (!mb_utf8_valid(s, len))
		return MB_ERR_INVAL;
	rc = mb_text__fold(s, len, true, &sc, out);
	mb_text__scratch_free(&sc);
	return rc;
}

enum mb_text__class
mb_text__classify(uint32_t c)
{
	if (c < 0x80) {
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9'))
			return MB_TC_WORD;
		return MB_TC_SEP;
	}
	if (c >= 0x1100) {
		if ((c >= 0x3400 && c < 0x4dc0) || (c >= 0x4e00 && c < 0xa000) ||
		    (c >= 0xf900 && c < 0xfb00) ||
		    (c >= 0x20000 && c < 0x30000) ||
		    (c >= 0x3041 && c < 0x30fb) || c == 0x30fc ||
		    (c >= 0x30fd && c < 0x3100) ||
		    (c >= 0x31f0 && c < 0x3200) ||
		    (c >= 0xff66 && c < 0xffa0) ||
		    (c >= 0xac00 && c < 0xd7b0) || (c < 0x1200) ||
		    (c >= 0x3131 && c < 0x318f))
			return MB_TC_CJK;
	}
	if (c == 0x200c || c == 0x200d || c == 0xad)
		return MB_TC_WORD;	/* joiners: kept in, folded away */
	switch (utf8proc_category((utf8proc_int32_t)c)) {
	case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL:
	case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN:
	case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
	case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL:
	case UTF8PROC_CATEGORY_NO:
		return MB_TC_WORD;
	default:
		return MB_TC_SEP;
	}
}

static uint8_t		class_table[MB_TEXT__CLASS_TABLE_END];
static pthread_once_t	class_once = PTHREAD_ONCE_INIT;

static void
class_table_init(void)
{
	for (uint32_t c = 0; c < MB_TEXT__CLASS_TABLE_END; c++)
		class_table[c] = (uint8_t)mb_text__classify(c);
}

const uint8_t *
mb_text__class_table(void)
{
	pthread_once(&class_once, class_table_init);
	return class_table;
}

/* Number of UTF-8 characters in s[0..len). */
static size_t
nchars(const char *s, size_t len)
{
	size_t	n = 0;

	for (size_t i = 0; i < len; i++)
		n += ((unsigned char)s[i] & 0xc0) != 0x80;
	return n;
}

static bool
has_prefix(const char *w, size_t len, const char *p)
{
	size_t	n = strlen(p);

	return len >= n && memcmp(w, p, n) == 0;
}

static bool
has_suffix(const char *w, size_t len, const char *p)
{
	size_t	n = strlen(p);

	return len >= n && memcmp(w + len - n, p, n) == 0;
}

/*
 * Light10 (Larkey, Ballesteros & Connell 2007; Lucene's ArabicStemmer),
 * over our fold (so ة is ه and ى is ي), with two changes that keep stems
 * the same whether or not a word has the article: (1) و or ف followed by
 * an article (وبال، فال، ولل...) loses both; (2) a leading و is removed
 * after the article too (الوزارة and وزارة both give زار). Then each
 * suffix of ها ان ات ون ين يه ه ي once, in that order. Every step leaves
 * at least two letters (three for the bare و).
 */
/* An affix of Arabic letters (two bytes each), its length known. */
struct affix {
	const char	*s;
	size_t		 len;
};

#define AFFIX(x)	{ x, sizeof(x) - 1 }

/* Removes a from the front of w when at least min letters stay. */
static bool
strip_affix(char *w, size_t *len, size_t *n, const struct affix *a,
    size_t min)
{
	size_t	pn = a->len / 2;

	if (*n < pn + min || *len < a->len || memcmp(w, a->s, a->len) != 0)
		return false;
	memmove(w, w + a->len, *len - a->len);
	*len -= a->len;
	*n -= pn;
	return true;
}

size_t
mb_text__ar_stem(char *w, size_t len)
{
	static const struct affix art[] = { AFFIX("\u0628\u0627\u0644"),
	    AFFIX("\u0643\u0627\u0644"), AFFIX("\u0644\u0644"),
	    AFFIX("\u0627\u0644") };
	static const struct affix suf[] = { AFFIX("\u0647\u0627"),
	    AFFIX("\u0627\u0646"), AFFIX("\u0627\u062a"),
	    AFFIX("\u0648\u0646"), AFFIX("\u064a\u0646"),
	    AFFIX("\u064a\u0647"), AFFIX("\u0647"), AFFIX("\u064a") };
	static const struct affix waw = AFFIX("\u0648");
	const size_t nart = sizeof(art) / sizeof(art[0]);
	size_t	n = nchars(w, len), k;
	bool	done = false;

	if (has_prefix(w, len, "\u0648") || has_prefix(w, len, "\u0641")) {
		for (size_t i = 0; i < nart && !done; i++) {
			k = art[i].len / 2;
			if (n >= k + 3 && len - 2 >= art[i].len &&
			    memcmp(w + 2, art[i].s, art[i].len) == 0) {
				memmove(w, w + 2, len - 2);	/* و or ف */
				len -= 2;
				n--;
				done = strip_affix(w, &len, &n, &art[i], 2);
			}
		}
	}
	for (size_t i = 0; i < nart && !done; i++)
		done = strip_affix(w, &len, &n, &art[i], 2);
	strip_affix(w, &len, &n, &waw, 3);
	for (size_t i = 0; i < sizeof(suf) / sizeof(suf[0]); i++) {
		k = suf[i].len / 2;
		if (n >= k + 2 && len >= suf[i].len &&
		    memcmp(w + len - suf[i].len, suf[i].s, suf[i].len) == 0) {
			len -= suf[i].len;
			n -= k;
		}
	}
	return len;
}

size_t
mb_text__pt_prestem(char *w, size_t len)
{
	/* eleicoes -> eleicao, milhoes -> milhao (already folded). */
	if (len >= 5 && has_suffix(w, len, "oes")) {
		memcpy(w + len - 3, "ao", 2);
		return len - 1;
	}
	return len;
}

bool
mb_text__stem_before_fold(const char *p)
{
	static const char *const l[] = { "tr", "hu", "fi", "lt", "ro", "sv",
	    "da", "nb", "nn", "no", "ga", NULL };

	for (int i = 0; l[i] != NULL; i++)
		if (strcmp(l[i], p) == 0)
			return true;
	return false;
}
