/* SPDX-License-Identifier: MIT */
/* Glossaries: terms kept as they are or translated one way, matched on NFC
 * text at word boundaries, longest first. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>
#include <utf8proc.h>

#include "base/utf8.h"
#include "mt/mt_int.h"

#define TERM_MAX 256		/* bytes of a term */
#define TRANSLATION_MAX 512

struct term {
	char		 from[MB_MT_TAG_MAX + 1];	/* primary subtag */
	char		 to[MB_MT_TAG_MAX + 1];		/* "" for all */
	char		*term;		/* NFC */
	char		*translation;	/* NFC; NULL: kept */
	int32_t		*cps;		/* the term's code points */
	int32_t		*fold;		/* the same, lower case */
	size_t		 ncp;
	bool		 anycase;	/* written in lower case */
	size_t		 index;		/* in the caller's array */
};

struct mb_mt_glossary {
	struct term	*v;
	size_t		 n;
};

static void
term_free(struct term *t)
{
	free(t->term);
	free(t->translation);
	free(t->cps);
	free(t->fold);
}

void
mb_mt_glossary_free(struct mb_mt_glossary *g)
{
	if (g == NULL)
		return;
	for (size_t i = 0; i < g->n; i++)
		term_free(&g->v[i]);
	free(g->v);
	free(g);
}

size_t
mb_mt_glossary_size(const struct mb_mt_glossary *g)
{
	return g != NULL ? g->n : 0;
}

static char *
nfc_dup(const char *s)
{
	return (char *)utf8proc_NFC((const utf8proc_uint8_t *)s);
}

/* Decodes NFC text into code points and their byte offsets. */
static int
decode(const char *s, size_t len, int32_t **cps, size_t **offs, size_t *n)
{
	size_t	k = 0;

	*cps = malloc((len + 1) * sizeof(**cps));
	if (offs != NULL)
		*offs = malloc((len + 1) * sizeof(**offs));
	if (*cps == NULL || (offs != NULL && *offs == NULL))
		return MB_ERR_NOMEM;
	for (size_t i = 0; i < len;) {
		utf8proc_ssize_t m = utf8proc_iterate(
		    (const utf8proc_uint8_t *)s + i,
		    (utf8proc_ssize_t)(len - i), &(*cps)[k]);

		if (m <= 0)
			return MB_ERR_INVAL;
		if (offs != NULL)
			(*offs)[k] = i;
		k++;
		i += (size_t)m;
	}
	if (offs != NULL)
		(*offs)[k] = len;
	*n = k;
	return MB_OK;
}

static int
term_cmp(const void *a, const void *b)
{
	const struct term *x = a, *y = b;

	if (x->fold[0] != y->fold[0])
		return x->fold[0] < y->fold[0] ? -1 : 1;
	if (x->ncp != y->ncp)	/* longest first */
		return x->ncp > y->ncp ? -1 : 1;
	if ((x->to[0] == '\0') != (y->to[0] == '\0'))	/* a pair's own first */
		return x->to[0] == '\0' ? 1 : -1;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* Letters, marks and digits make words. */
static bool
is_word(int32_t cp)
{
	switch (utf8proc_category(cp)) {
	case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL:
	case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN:
	case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
	case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL:
	case UTF8PROC_CATEGORY_NO:
		return true;
	default:
		return false;
	}
}

/*
 * Whether a term or translation is written so that it can be matched and
 * put back: no control characters, no white space at either end (a term
 * " " made every space of every text a placeholder), and for a term a
 * letter or digit somewhere.
 */
static int
text_check(const char *s, bool term, struct mb_diag *d)
{
	const char	*what = term ? "the term" : "the translation";
	int32_t		*cps = NULL;
	size_t		 n = 0;
	bool		 word = false;
	int		 rc;

	if ((rc = decode(s, strlen(s), &cps, NULL, &n)) != MB_OK)
		goto done;
	for (size_t k = 0; k < n; k++) {
		utf8proc_category_t cat = utf8proc_category(cps[k]);

		if (cat == UTF8PROC_CATEGORY_CC) {
			rc = mb_diag_set(d, MB_ERR_INVAL, "%s has a control "
			    "character", what);
			goto done;
		}
		if ((k == 0 || k == n - 1) && (cat == UTF8PROC_CATEGORY_ZS ||
		    cat == UTF8PROC_CATEGORY_ZL ||
		    cat == UTF8PROC_CATEGORY_ZP)) {
			rc = mb_diag_set(d, MB_ERR_INVAL, "%s begins or ends "
			    "with white space", what);
			goto done;
		}
		word = word || is_word(cps[k]);
	}
	if (term && !word)
		rc = mb_diag_set(d, MB_ERR_INVAL, "%s has no letter or digit",
		    what);
done:
	free(cps);
	return rc;
}

static int
term_make(const struct mb_mt_term *in, size_t i, struct term *t,
    struct mb_diag *d)
{
	char	tag[MB_MT_TAG_MAX + 1];
	size_t	len;
	int	rc;

	memset(t, 0, sizeof(*t));
	t->index = i;
	if ((rc = mb_mt_lang_norm(in->from, tag, d)) != MB_OK)
		goto bad;
	mb_mt__primary(tag, t->from);
	if (in->to != NULL && in->to[0] != '\0' && strcmp(in->to, "*") != 0) {
		if ((rc = mb_mt_lang_norm(in->to, tag, d)) != MB_OK)
			goto bad;
		mb_mt__primary(tag, t->to);
	}
	len = in->term != NULL ? strlen(in->term) : 0;
	if (len == 0 || len > TERM_MAX || !mb_utf8_valid(in->term, len)) {
		rc = mb_diag_set(d, MB_ERR_INVAL, "the term must be 1 to %d "
		    "bytes of UTF-8", TERM_MAX);
		goto bad;
	}
	if (in->translation != NULL && in->translation[0] != '\0') {
		len = strlen(in->translation);
		if (len > TRANSLATION_MAX ||
		    !mb_utf8_valid(in->translation, len)) {
			rc = mb_diag_set(d, MB_ERR_INVAL, "the translation "
			    "must be at most %d bytes of UTF-8",
			    TRANSLATION_MAX);
			goto bad;
		}
		if ((t->translation = nfc_dup(in->translation)) == NULL)
			return MB_ERR_NOMEM;
		if ((rc = text_check(t->translation, false, d)) != MB_OK)
			goto bad;
	}
	if ((t->term = nfc_dup(in->term)) == NULL)
		return MB_ERR_NOMEM;
	if ((rc = text_check(t->term, true, d)) != MB_OK)
		goto bad;
	if ((rc = decode(t->term, strlen(t->term), &t->cps, NULL,
	    &t->ncp)) != MB_OK)
		return rc;
	if ((t->fold = malloc(t->ncp * sizeof(*t->fold))) == NULL)
		return MB_ERR_NOMEM;
	t->anycase = true;
	for (size_t k = 0; k < t->ncp; k++) {
		t->fold[k] = utf8proc_tolower(t->cps[k]);
		if (t->fold[k] != t->cps[k])
			t->anycase = false;
	}
	return MB_OK;
bad:
	mb_diag_prefix(d, "glossary entry %zu (%.40s)", i + 1,
	    in->term != NULL ? in->term : "");
	return rc;
}

int
mb_mt_glossary_new(const struct mb_mt_term *terms, size_t n,
    struct mb_mt_glossary **out, struct mb_diag *d)
{
	struct mb_mt_glossary	*g;
	int			 rc;

	if ((g = calloc(1, sizeof(*g))) == NULL ||
	    (n > 0 && (g->v = calloc(n, sizeof(*g->v))) == NULL)) {
		free(g);
		return MB_ERR_NOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		if ((rc = term_make(&terms[i], i, &g->v[i], d)) != MB_OK) {
			term_free(&g->v[i]);
			mb_mt_glossary_free(g);
			return rc;
		}
		g->n++;
	}
	qsort(g->v, g->n, sizeof(*g->v), term_cmp);
	*out = g;
	return MB_OK;
}

/* Scripts written without spaces between words have no word boundary. */
static bool
no_spaces(int32_t c)
{
	return (c >= 0x0e00 && c <= 0x0eff) ||	/* Thai, Lao */
	    (c >= 0x1000 && c <= 0x109f) ||	/* Myanmar */
	    (c >= 0x1780 && c <= 0x17ff) ||	/* Khmer */
	    (c >= 0x2e80 && c <= 0x2fdf) ||	/* CJK radicals */
	    (c >= 0x3040 && c <= 0x30ff) ||	/* kana */
	    (c >= 0x3400 && c <= 0x4dbf) || (c >= 0x4e00 && c <= 0x9fff) ||
	    (c >= 0xf900 && c <= 0xfaff) || (c >= 0x20000 && c <= 0x3134f);
}

/* Whether a boundary may fall between code points a and b. */
static bool
boundary(int32_t a, int32_t b)
{
	return !is_word(a) || !is_word(b) || no_spaces(a) || no_spaces(b);
}

static bool
applies(const struct term *t, const char *fp, const char *tp)
{
	return strcmp(t->from, fp) == 0 && (t->to[0] == '\0' ||
	    strcmp(t->to, tp) == 0);
}

/* The first term index whose folded first code point is c, or g->n. */
static size_t
first_with(const struct mb_mt_glossary *g, int32_t c)
{
	size_t lo = 0, hi = g->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (g->v[mid].fold[0] < c)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int
mb_mt_glossary_match(const struct mb_mt_glossary *g, const char *from,
    const char *to, const char *s, size_t len,
    int (*fn)(size_t off, size_t mlen, size_t term, const char *repl,
    void *arg), void *arg, struct mb_diag *d)
{
	char	 fp[MB_MT_TAG_MAX + 1], tp[MB_MT_TAG_MAX + 1];
	int32_t	*cps = NULL;
	size_t	*offs = NULL, n = 0, i = 0;
	int	 rc;

	if (g == NULL || g->n == 0 || len == 0)
		return MB_OK;
	mb_mt__primary(from, fp);
	mb_mt__primary(to, tp);
	if ((rc = decode(s, len, &cps, &offs, &n)) != MB_OK) {
		if (rc == MB_ERR_INVAL)
			mb_diag_set(d, rc, "glossary: text not UTF-8");
		goto done;
	}
	while (i < n) {
		int32_t		 c = utf8proc_tolower(cps[i]);
		const struct term *hit = NULL;

		if (i > 0 && !boundary(cps[i - 1], cps[i])) {
			i++;
			continue;
		}
		for (size_t k = first_with(g, c); k < g->n &&
		    g->v[k].fold[0] == c && hit == NULL; k++) {
			const struct term	*t = &g->v[k];
			size_t			 j;

			if (i + t->ncp > n || !applies(t, fp, tp))
				continue;
			for (j = 0; j < t->ncp; j++)
				if (t->anycase ?
				    utf8proc_tolower(cps[i + j]) != t->fold[j] :
				    cps[i + j] != t->cps[j])
					break;
			if (j == t->ncp && (i + j == n ||
			    boundary(cps[i + j - 1], cps[i + j])))
				hit = t;
		}
		if (hit == NULL) {
			i++;
			continue;
		}
		if ((rc = fn(offs[i], offs[i + hit->ncp] - offs[i], hit->index,
		    hit->translation, arg)) != MB_OK)
			goto done;
		i += hit->ncp;
	}
	rc = MB_OK;
done:
	free(cps);
	free(offs);
	return rc;
}

void
mb_mt_glossary_digest(const struct mb_mt_glossary *g, const char *from,
    const char *to, char out[65])
{
	crypto_hash_sha256_state	st;
	unsigned char			h[crypto_hash_sha256_BYTES];
	char				fp[MB_MT_TAG_MAX + 1];
	char				tp[MB_MT_TAG_MAX + 1];
	size_t				used = 0;

	out[0] = '\0';
	if (g == NULL)
		return;
	if (sodium_init() < 0)
		return;
	mb_mt__primary(from, fp);
	mb_mt__primary(to, tp);
	crypto_hash_sha256_init(&st);
	for (size_t i = 0; i < g->n; i++) {
		const struct term	*t = &g->v[i];
		const char		*f[4] = { t->from, t->to, t->term,
					    t->translation ? t->translation :
					    "" };

		if (!applies(t, fp, tp))
			continue;
		used++;
		for (int k = 0; k < 4; k++)
			crypto_hash_sha256_update(&st,
			    (const unsigned char *)f[k], strlen(f[k]) + 1);
	}
	crypto_hash_sha256_final(&st, h);
	if (used > 0)
		sodium_bin2hex(out, 65, h, sizeof(h));
}
