/* SPDX-License-Identifier: MIT */
/* Query translation: the reader's words, phrases, OR, -exclusions and
 * prefixes become quoted, language-marked FTS5 strings. */
#include "text/query.h"

#include <stdbool.h>
#include <string.h>

#include "base/utf8.h"
#include "text/lang.h"
#include "text/text_internal.h"
#include "text/tokenizer.h"

enum script { S_NONE, S_LATN, S_CYRL, S_ARAB, S_HEBR, S_DEVA, S_CJK,
    S_OTHER };

struct term {
	const char	*s;	/* the text, in q */
	size_t		 len;
	bool		 phrase, prefix, neg;
	bool		 or_next;	/* "OR" follows: same group */
};

static enum script
script_of(uint32_t c)
{
	if (c < 0x250 || (c >= 0x1e00 && c < 0x1f00))
		return S_LATN;
	if (c >= 0x400 && c < 0x530)
		return S_CYRL;
	if (c >= 0x590 && c < 0x600)
		return S_HEBR;
	if ((c >= 0x600 && c < 0x780) || (c >= 0x8a0 && c < 0x900) ||
	    (c >= 0xfb50 && c < 0xff00 && !(c >= 0xfe00 && c < 0xfe70)))
		return S_ARAB;
	if (c >= 0x900 && c < 0x980)
		return S_DEVA;
	if (mb_text__classify(c) == MB_TC_CJK)
		return S_CJK;
	return S_OTHER;
}

/* The script of the first letter of s, and whether s has any word. */
static enum script
term_script(const char *s, size_t len, size_t *nchar, bool *cjk_only)
{
	enum script	sc = S_NONE;
	size_t		i = 0, n, words = 0;
	uint32_t	c;
	unsigned	u;

	*cjk_only = true;
	while (i < len) {
		if ((n = mb_utf8_decode(s + i, len - i, &u)) == 0)
			break;
		c = u;
		i += n;
		enum mb_text__class cl = mb_text__classify(c);
		if (cl == MB_TC_SEP || c == 0x200c || c == 0x200d ||
		    c == 0xad || c == 0x640)
			continue;
		words++;
		if (cl != MB_TC_CJK)
			*cjk_only = false;
		if (sc == S_NONE && !(c >= '0' && c <= '9'))
			sc = script_of(c);
	}
	*nchar = words;
	if (words > 0 && sc == S_NONE)
		sc = S_LATN;	/* digits only */
	return sc;
}

/* The script a language is written in (for the languages we stem). */
static enum script
lang_script(const char *p)
{
	static const char *const arab[] = { "ar", "fa", "ur", "ps", "sd", "ug",
	    "ckb", NULL };
	static const char *const cyrl[] = { "ru", "uk", "bg", "be", "mk", "sr",
	    "kk", "ky", "mn", "tg", "tt", NULL };
	static const char *const deva[] = { "hi", "mr", "ne", "sa", "mai",
	    NULL };
	static const char *const cjk[] = { "zh", "ja", "ko", NULL };
	static const char *const hebr[] = { "he", "yi", NULL };
	static const struct { const char *const *l; enum script s; } t[] = {
		{ arab, S_ARAB }, { cyrl, S_CYRL }, { deva, S_DEVA },
		{ cjk, S_CJK }, { hebr, S_HEBR },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		for (int j = 0; t[i].l[j] != NULL; j++)
			if (strcmp(t[i].l[j], p) == 0)
				return t[i].s;
	if (strcmp(p, "el") == 0 || strcmp(p, "hy") == 0 ||
	    strcmp(p, "ta") == 0)
		return S_OTHER;
	return S_LATN;
}

static bool
is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	    c == '\f' || c == '\v';
}

/* Appends one quoted FTS5 string: marker, the text without controls. */
static int
put_string(struct mb_buf *b, const char *lang, const struct term *t)
{
	int	rc;

	if ((rc = mb_buf_putc(b, '"')) != MB_OK ||
	    (lang != NULL && (rc = mb_text_put_marker(b, lang)) != MB_OK))
		return rc;
	for (size_t i = 0; i < t->len; i++) {
		unsigned char c = (unsigned char)t->s[i];
		if (c == '"' || c < 0x20 || c == 0x7f)
			c = ' ';	/* cannot happen for '"' */
		if ((rc = mb_buf_putc(b, (char)c)) != MB_OK)
			return rc;
	}
	if ((rc = mb_buf_putc(b, '"')) != MB_OK)
		return rc;
	return t->prefix ? mb_buf_puts(b, " *") : MB_OK;
}

/* Appends the alternatives for one term: ( "..." OR "..." ); wide adds
 * the languages of the term's script to qlang. */
static int
put_term(struct mb_buf *b, const char *qlang, bool wide,
    const struct term *t)
{
	static const char *const latn[] = { "en", "fr", "es", "pt", NULL };
	static const char *const cyrl[] = { "ru", NULL };
	static const char *const arab[] = { "ar", NULL };
	static const char *const deva[] = { "hi", NULL };
	static const char *const none[] = { NULL };
	const char *const *cand = none;
	const char	*one[2] = { NULL, NULL };
	const char	*both[6] = { NULL };
	enum script	 sc;
	size_t		 nch;
	bool		 cjk_only;
	int		 rc;

	sc = term_script(t->s, t->len, &nch, &cjk_only);
	if (sc == S_LATN)
		cand = latn;
	else if (sc == S_CYRL)
		cand = cyrl;
	else if (sc == S_ARAB)
		cand = arab;
	else if (sc == S_DEVA)
		cand = deva;
	if (qlang != NULL && lang_script(qlang) == sc && wide) {
		size_t k = 0;

		both[k++] = qlang;
		for (int i = 0; cand[i] != NULL; i++)
			if (strcmp(cand[i], qlang) != 0)
				both[k++] = cand[i];
		cand = both;
	} else if (qlang != NULL && lang_script(qlang) == sc) {
		one[0] = qlang;
		cand = one;
	}
	if ((rc = mb_buf_putc(b, '(')) != MB_OK)
		return rc;
	for (int i = 0; cand[i] != NULL; i++) {
		if (mb_lang_stemmer_name(cand[i]) == NULL)
			continue;	/* same as the unmarked form */
		if ((rc = put_string(b, cand[i], t)) != MB_OK ||
		    (rc = mb_buf_puts(b, " OR ")) != MB_OK)
			return rc;
	}
	if ((rc = put_string(b, NULL, t)) != MB_OK)
		return rc;
	return mb_buf_putc(b, ')');
}

const char *
mb_text_detect_query_lang(const char *q, size_t len)
{
	return mb_lang_detect_script(q, len);
}

/* Splits q into terms; returns MB_OK or an error with d set. */
static int
parse(const char *q, size_t len, struct term *terms, size_t *nterms,
    struct mb_diag *d)
{
	size_t		 i = 0, n = 0;
	bool		 neg_next = false;

	while (i < len) {
		struct term	t;
		size_t		nch;
		bool		cjk_only, neg = neg_next;

		while (i < len && (is_space((unsigned char)q[i]) ||
		    (unsigned char)q[i] < 0x20 || q[i] == 0x7f))
			i++;
		if (i == len)
			break;
		memset(&t, 0, sizeof(t));
		neg_next = false;
		if (q[i] == '-' && i + 1 < len &&
		    !is_space((unsigned char)q[i + 1])) {
			neg = true;
			i++;
		}
		if (q[i] == '"') {
			t.phrase = true;
			t.s = q + ++i;
			while (i < len && q[i] != '"')
				i++;
			t.len = (size_t)(q + i - t.s);
			if (i < len)
				i++;	/* the closing quote */
			if (i < len && q[i] == '*') {
				t.prefix = true;
				while (i < len && q[i] == '*')
					i++;
			}
		} else {
			t.s = q + i;
			while (i < len && !is_space((unsigned char)q[i]) &&
			    q[i] != '"')
				i++;
			t.len = (size_t)(q + i - t.s);
			while (t.len > 0 && t.s[t.len - 1] == '*') {
				t.prefix = true;
				t.len--;
			}
			if (!neg && t.len == 2 && memcmp(t.s, "OR", 2) == 0 &&
			    !t.prefix) {
				if (n > 0 && !terms[n - 1].neg)
					terms[n - 1].or_next = true;
				continue;
			}
			if (!neg && t.len == 3 && !t.prefix &&
			    memcmp(t.s, "AND", 3) == 0)
				continue;
			if (!neg && t.len == 3 && !t.prefix &&
			    memcmp(t.s, "NOT", 3) == 0) {
				neg_next = true;
				continue;
			}
		}
		t.neg = neg;
		(void)term_script(t.s, t.len, &nch, &cjk_only);
		if (nch == 0)
			continue;	/* punctuation only: nothing to find */
		/* One CJK character is indexed only inside bigrams. */
		if (nch == 1 && cjk_only && !t.phrase)
			t.prefix = true;
		if (n == MB_TEXT_QUERY_MAX_TERMS)
			return mb_diag_set(d, MB_ERR_TOOBIG,
			    "query: more than %d words or phrases",
			    MB_TEXT_QUERY_MAX_TERMS);
		terms[n++] = t;
	}
	/* A dangling OR (at the end, or before an exclusion) is a no-op. */
	for (size_t k = 0; k < n; k++)
		if (terms[k].or_next && (k + 1 == n || terms[k + 1].neg))
			terms[k].or_next = false;
	*nterms = n;
	return MB_OK;
}

static int
translate(const char *q, size_t len, const char *lang, bool wide,
    struct mb_buf *out, struct mb_diag *d)
{
	struct term	 terms[MB_TEXT_QUERY_MAX_TERMS];
	struct mb_buf	 b = MB_BUF_INIT;
	char		 p[MB_LANG_TAG_MAX + 1];
	const char	*qlang = NULL;
	size_t		 n = 0, npos = 0;
	bool		 first = true, in_group = false;
	int		 rc;

	if (q == NULL)
		len = 0;
	if (len > MB_TEXT_QUERY_MAX_BYTES)
		return mb_diag_set(d, MB_ERR_TOOBIG,
		    "query: longer than %d bytes", MB_TEXT_QUERY_MAX_BYTES);
	if (!mb_utf8_valid(q, len))
		return mb_diag_set(d, MB_ERR_INVAL, "query: not valid UTF-8");
	if ((rc = parse(q, len, terms, &n, d)) != MB_OK)
		return rc;
	for (size_t i = 0; i < n; i++)
		npos += !terms[i].neg;
	if (n == 0)
		return mb_diag_set(d, MB_ERR_INVAL, "query: no words to search");
	if (npos == 0)
		return mb_diag_set(d, MB_ERR_INVAL,
		    "query: only excluded words; add a word to search");
	if (mb_lang_primary(lang, p) > 0)
		qlang = p;

	/* (G1 AND G2 ...) NOT (E1) NOT (E2): a group is t OR t OR t. */
	if ((rc = mb_buf_putc(&b, '(')) != MB_OK)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		if (terms[i].neg)
			continue;
		if (!in_group) {
			if (!first && (rc = mb_buf_puts(&b, " AND ")) != MB_OK)
				goto fail;
			if ((rc = mb_buf_putc(&b, '(')) != MB_OK)
				goto fail;
			in_group = true;
		}
		first = false;
		if ((rc = put_term(&b, qlang, wide, &terms[i])) != MB_OK)
			goto fail;
		if (terms[i].or_next) {
			rc = mb_buf_puts(&b, " OR ");
		} else {
			rc = mb_buf_putc(&b, ')');
			in_group = false;
		}
		if (rc != MB_OK)
			goto fail;
	}
	if ((rc = mb_buf_putc(&b, ')')) != MB_OK)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		if (!terms[i].neg)
			continue;
		if ((rc = mb_buf_puts(&b, " NOT ")) != MB_OK ||
		    (rc = put_term(&b, qlang, wide, &terms[i])) != MB_OK)
			goto fail;
	}
	if ((rc = mb_buf_append(out, b.data, b.len)) != MB_OK)
		goto fail;
	mb_buf_free(&b);
	return MB_OK;
fail:
	mb_buf_free(&b);
	return mb_diag_set(d, rc, "query: out of memory");
}

int
mb_text_query_translate(const char *q, size_t len, const char *lang,
    struct mb_buf *out, struct mb_diag *d)
{
	return translate(q, len, lang, false, out, d);
}

int
mb_text_query_translate_wide(const char *q, size_t len, const char *lang,
    struct mb_buf *out, struct mb_diag *d)
{
	return translate(q, len, lang, true, out, d);
}
