/* SPDX-License-Identifier: MIT */
/* A word diff for people to read (worddiff.h). */
#include "worddiff.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct tok {
	size_t	off, len;
	int	space;
};

static int
is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	    c == '\v';
}

/* Words and runs of white space, in order; *out malloc'd. */
static int
tokens(const char *s, size_t len, struct tok **out, size_t *n)
{
	struct tok	*v = NULL;
	size_t		 cap = 0, k = 0, i = 0;

	while (i < len) {
		int	sp = is_space((unsigned char)s[i]);
		size_t	j = i;

		while (j < len && is_space((unsigned char)s[j]) == sp)
			j++;
		if (k == cap) {
			size_t		 c2 = cap ? cap * 2 : 64;
			struct tok	*nv = realloc(v, c2 * sizeof(*nv));

			if (nv == NULL) {
				free(v);
				return MB_ERR_NOMEM;
			}
			v = nv;
			cap = c2;
		}
		v[k].off = i;
		v[k].len = j - i;
		v[k].space = sp;
		k++;
		i = j;
	}
	*out = v;
	*n = k;
	return MB_OK;
}

static int
same(const char *a, const struct tok *x, const char *b, const struct tok *y)
{
	if (x->space || y->space)
		return x->space && y->space;
	return x->len == y->len && memcmp(a + x->off, b + y->off, x->len) == 0;
}

/*
 * The edit script of the middle: '=' keeps a word, '-' drops a's, '+'
 * adds b's. The LCS table (suffix lengths) fits in 16 bits: with at most
 * MB_DIFF_MAX_CELLS cells, the shorter side has fewer than 65,536 words.
 */
static int
script_lcs(const char *a, const struct tok *ta, size_t n, const char *b,
    const struct tok *tb, size_t m, char *out, size_t *len)
{
	uint16_t	*L;
	size_t		 w = m + 1, i = 0, j = 0, k = 0;

	if ((L = calloc((n + 1) * w, sizeof(*L))) == NULL)
		return MB_ERR_NOMEM;
	for (size_t x = n; x-- > 0;)
		for (size_t y = m; y-- > 0;) {
			if (same(a, &ta[x], b, &tb[y]))
				L[x * w + y] = L[(x + 1) * w + y + 1] + 1;
			else
				L[x * w + y] = L[(x + 1) * w + y] >=
				    L[x * w + y + 1] ? L[(x + 1) * w + y] :
				    L[x * w + y + 1];
		}
	while (i < n || j < m) {
		if (i < n && j < m && same(a, &ta[i], b, &tb[j])) {
			out[k++] = '=';
			i++;
			j++;
		} else if (j == m || (i < n && L[(i + 1) * w + j] >=
		    L[i * w + j + 1])) {
			out[k++] = '-';
			i++;
		} else {
			out[k++] = '+';
			j++;
		}
	}
	free(L);
	*len = k;
	return MB_OK;
}

int
mb_word_diff(const char *a, size_t alen, const char *b, size_t blen,
    mb_diff_cb cb, void *arg)
{
	struct tok	*ta = NULL, *tb = NULL;
	size_t		 na = 0, nb = 0, p = 0, s = 0, n, m, k = 0, i, j, x;
	char		*sc = NULL;
	int		 rc;

	if ((rc = tokens(a, alen, &ta, &na)) != MB_OK ||
	    (rc = tokens(b, blen, &tb, &nb)) != MB_OK)
		goto out;
	while (p < na && p < nb && same(a, &ta[p], b, &tb[p]))
		p++;
	while (s < na - p && s < nb - p && same(a, &ta[na - 1 - s], b,
	    &tb[nb - 1 - s]))
		s++;
	n = na - p - s;
	m = nb - p - s;
	if ((sc = malloc(na + nb + 1)) == NULL) {
		rc = MB_ERR_NOMEM;
		goto out;
	}
	memset(sc, '=', p);
	k = p;
	if (n > 0 && m > 0 && (uint64_t)n * m <= MB_DIFF_MAX_CELLS) {
		size_t mid;

		if ((rc = script_lcs(a, ta + p, n, b, tb + p, m, sc + k,
		    &mid)) != MB_OK)
			goto out;
		k += mid;
	} else {
		memset(sc + k, '-', n);
		memset(sc + k + n, '+', m);
		k += n + m;
	}
	memset(sc + k, '=', s);
	k += s;
	/*
	 * A lone space kept between two changes reads as noise
	 * ("<del>a</del><ins>x</ins> <del>b</del>..."): it joins them.
	 * Walk the script keeping a's and b's token positions.
	 */
	for (x = 0, i = 0, j = 0; x < k; x++) {
		if (sc[x] == '=' && x > 0 && x + 1 < k && sc[x - 1] != '=' &&
		    sc[x + 1] != '=' && ta[i].space) {
			/* Made "-+": the same tokens, one each side. */
			memmove(sc + x + 2, sc + x + 1, k - x - 1);
			sc[x] = '-';
			sc[x + 1] = '+';
			k++;
			x++;
		}
		if (sc[x] == '=') {
			i++;
			j++;
		} else if (sc[x] == '-')
			i++;
		else
			j++;
	}
	/* Runs: a kept run from b; a changed run as a's part, then b's. */
	for (x = 0, i = 0, j = 0; x < k && rc == MB_OK;) {
		size_t i0 = i, j0 = j;

		if (sc[x] == '=') {
			while (x < k && sc[x] == '=') {
				i++;
				j++;
				x++;
			}
			rc = cb(MB_DIFF_SAME, b + tb[j0].off, tb[j - 1].off +
			    tb[j - 1].len - tb[j0].off, arg);
			continue;
		}
		while (x < k && sc[x] != '=') {
			if (sc[x] == '-')
				i++;
			else
				j++;
			x++;
		}
		if (i > i0)
			rc = cb(MB_DIFF_DEL, a + ta[i0].off, ta[i - 1].off +
			    ta[i - 1].len - ta[i0].off, arg);
		if (rc == MB_OK && j > j0)
			rc = cb(MB_DIFF_INS, b + tb[j0].off, tb[j - 1].off +
			    tb[j - 1].len - tb[j0].off, arg);
	}
out:
	free(sc);
	free(ta);
	free(tb);
	return rc;
}
