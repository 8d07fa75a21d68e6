/* SPDX-License-Identifier: MIT */
/* A readable difference between two texts, as HTML (diff.h). */
#include "diff.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"

/* A piece of a text: a line, or a word or a run of spaces. */
struct tok {
	const char	*p;
	size_t		 n;
};

struct toks {
	struct tok	*t;
	size_t		 n, cap;
};

enum op { OP_SAME, OP_DEL, OP_INS };

struct edit {
	enum op	op;
	size_t	i;	/* index in a (SAME, DEL) or b (INS) */
};

static int
push(struct toks *ts, const char *p, size_t n)
{
	if (ts->n == ts->cap) {
		size_t		 cap = ts->cap ? ts->cap * 2 : 64;
		struct tok	*t = realloc(ts->t, cap * sizeof(*t));

		if (t == NULL)
			return MB_ERR_NOMEM;
		ts->t = t;
		ts->cap = cap;
	}
	ts->t[ts->n].p = p;
	ts->t[ts->n].n = n;
	ts->n++;
	return MB_OK;
}

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Lines, trimmed, empty ones left out. */
static int
split_lines(const char *s, size_t len, struct toks *ts)
{
	size_t i = 0;

	while (i < len) {
		size_t b = i, e;

		while (i < len && s[i] != '\n')
			i++;
		e = i++;
		while (b < e && is_space(s[b]))
			b++;
		while (e > b && is_space(s[e - 1]))
			e--;
		if (e > b && push(ts, s + b, e - b) != MB_OK)
			return MB_ERR_NOMEM;
	}
	return MB_OK;
}

/* Words and the runs of spaces between them, so that nothing is lost. */
static int
split_words(const char *s, size_t len, struct toks *ts)
{
	size_t i = 0;

	while (i < len) {
		size_t	b = i;
		bool	sp = is_space(s[i]);

		while (i < len && is_space(s[i]) == sp)
			i++;
		if (push(ts, s + b, i - b) != MB_OK)
			return MB_ERR_NOMEM;
	}
	return MB_OK;
}

static bool
same(const struct tok *x, const struct tok *y)
{
	return x->n == y->n && memcmp(x->p, y->p, x->n) == 0;
}

/*
 * The shortest edit from a to b, by the longest common subsequence over
 * what lies between the common start and end (a table of at most
 * MB_DIFF_LINES_MAX_CELLS; beyond it, all removed then all added). *out (n
 * edits) is the caller's to free.
 */
static int
edits(const struct toks *a, const struct toks *b, struct edit **out,
    size_t *n)
{
	size_t		 pre = 0, suf = 0, na, nb, k = 0;
	uint32_t	*dp = NULL;
	struct edit	*e;

	while (pre < a->n && pre < b->n && same(&a->t[pre], &b->t[pre]))
		pre++;
	while (suf < a->n - pre && suf < b->n - pre &&
	    same(&a->t[a->n - 1 - suf], &b->t[b->n - 1 - suf]))
		suf++;
	na = a->n - pre - suf;
	nb = b->n - pre - suf;
	if ((e = calloc(a->n + b->n + 1, sizeof(*e))) == NULL)
		return MB_ERR_NOMEM;
	for (size_t i = 0; i < pre; i++)
		e[k++] = (struct edit){ OP_SAME, i };
	if (na > 0 && nb > 0 && (na + 1) * (nb + 1) <= MB_DIFF_LINES_MAX_CELLS &&
	    (dp = calloc((na + 1) * (nb + 1), sizeof(*dp))) != NULL) {
		/* dp[i][j]: the LCS of a[pre+i..] and b[pre+j..]. */
#define DP(i, j) dp[(i) * (nb + 1) + (j)]
		for (size_t i = na; i-- > 0;)
			for (size_t j = nb; j-- > 0;)
				DP(i, j) = same(&a->t[pre + i], &b->t[pre + j]) ?
				    DP(i + 1, j + 1) + 1 :
				    (DP(i + 1, j) >= DP(i, j + 1) ?
				    DP(i + 1, j) : DP(i, j + 1));
		{
			size_t i = 0, j = 0;

			while (i < na || j < nb) {
				if (i < na && j < nb && same(&a->t[pre + i],
				    &b->t[pre + j])) {
					e[k++] = (struct edit){ OP_SAME,
					    pre + i };
					i++, j++;
				} else if (j >= nb || (i < na &&
				    DP(i + 1, j) >= DP(i, j + 1)))
					e[k++] = (struct edit){ OP_DEL,
					    pre + i++ };
				else
					e[k++] = (struct edit){ OP_INS,
					    pre + j++ };
			}
		}
#undef DP
		free(dp);
	} else {
		if (na > 0 && nb > 0 && (na + 1) * (nb + 1) <=
		    MB_DIFF_LINES_MAX_CELLS) {
			free(e);
			return MB_ERR_NOMEM;
		}
		for (size_t i = 0; i < na; i++)
			e[k++] = (struct edit){ OP_DEL, pre + i };
		for (size_t j = 0; j < nb; j++)
			e[k++] = (struct edit){ OP_INS, pre + j };
	}
	for (size_t i = 0; i < suf; i++)
		e[k++] = (struct edit){ OP_SAME, a->n - suf + i };
	*out = e;
	*n = k;
	return MB_OK;
}

static int
esc(struct mb_buf *out, const char *p, size_t n)
{
	int rc = MB_OK;

	for (size_t i = 0; i < n && rc == MB_OK; i++) {
		switch (p[i]) {
		case '&': rc = mb_buf_puts(out, "&amp;"); break;
		case '<': rc = mb_buf_puts(out, "&lt;"); break;
		case '>': rc = mb_buf_puts(out, "&gt;"); break;
		case '"': rc = mb_buf_puts(out, "&quot;"); break;
		case '\'': rc = mb_buf_puts(out, "&#39;"); break;
		default: rc = mb_buf_putc(out, p[i]); break;
		}
	}
	return rc;
}

/* A run of removed or added words in its tag, then the tag closed. */
static int
words_out(const struct toks *a, const struct toks *b, const struct edit *e,
    size_t n, struct mb_buf *out)
{
	int rc = MB_OK;

	for (size_t k = 0; k < n && rc == MB_OK;) {
		enum op op = e[k].op;

		if (op == OP_SAME) {
			rc = esc(out, a->t[e[k].i].p, a->t[e[k].i].n);
			k++;
			continue;
		}
		rc = mb_buf_puts(out, op == OP_DEL ? "<del>" : "<ins>");
		for (; k < n && e[k].op == op && rc == MB_OK; k++) {
			const struct tok *t = op == OP_DEL ? &a->t[e[k].i] :
			    &b->t[e[k].i];

			rc = esc(out, t->p, t->n);
		}
		if (rc == MB_OK)
			rc = mb_buf_puts(out, op == OP_DEL ? "</del>" :
			    "</ins>");
	}
	return rc;
}

int
mb_diff_words_html(const char *a, size_t alen, const char *b, size_t blen,
    struct mb_buf *out)
{
	struct toks	 ta = { 0 }, tb = { 0 };
	struct edit	*e = NULL;
	size_t		 n = 0;
	int		 rc;

	if ((rc = split_words(a, alen, &ta)) == MB_OK &&
	    (rc = split_words(b, blen, &tb)) == MB_OK &&
	    (rc = edits(&ta, &tb, &e, &n)) == MB_OK)
		rc = words_out(&ta, &tb, e, n, out);
	free(e);
	free(ta.t);
	free(tb.t);
	return rc;
}

static int
line_out(struct mb_buf *out, const char *cls, const char *tag,
    const struct tok *t)
{
	int rc;

	if (cls == NULL)
		rc = mb_buf_puts(out, "<p>");
	else
		rc = mb_buf_printf(out, "<p class=\"%s\"><%s>", cls, tag);
	if (rc == MB_OK)
		rc = esc(out, t->p, t->n);
	if (rc == MB_OK)
		rc = cls == NULL ? mb_buf_puts(out, "</p>\n") :
		    mb_buf_printf(out, "</%s></p>\n", tag);
	return rc;
}

/*
 * A hunk: nd removed lines (from dels) and ni added (from inss). Pairs
 * show as one line changed in place, word by word; the rest whole.
 */
static int
hunk_out(const struct toks *a, const struct toks *b, const size_t *dels,
    size_t nd, const size_t *inss, size_t ni, struct mb_buf *out)
{
	size_t	pairs = nd < ni ? nd : ni;
	int	rc = MB_OK;

	for (size_t k = 0; k < pairs && rc == MB_OK; k++) {
		const struct tok *x = &a->t[dels[k]], *y = &b->t[inss[k]];

		if ((rc = mb_buf_puts(out, "<p class=\"chg\">")) == MB_OK &&
		    (rc = mb_diff_words_html(x->p, x->n, y->p, y->n, out)) ==
		    MB_OK)
			rc = mb_buf_puts(out, "</p>\n");
	}
	for (size_t k = pairs; k < nd && rc == MB_OK; k++)
		rc = line_out(out, "del", "del", &a->t[dels[k]]);
	for (size_t k = pairs; k < ni && rc == MB_OK; k++)
		rc = line_out(out, "ins", "ins", &b->t[inss[k]]);
	return rc;
}

int
mb_diff_lines_html(const char *a, size_t alen, const char *b, size_t blen,
    struct mb_buf *out, struct mb_diff_stats *st)
{
	struct toks		 ta = { 0 }, tb = { 0 };
	struct edit		*e = NULL;
	struct mb_diff_stats	 s = { 0, 0, 0 };
	size_t			 n = 0, *dels = NULL, *inss = NULL;
	int			 rc;

	if ((rc = split_lines(a, alen, &ta)) != MB_OK ||
	    (rc = split_lines(b, blen, &tb)) != MB_OK ||
	    (rc = edits(&ta, &tb, &e, &n)) != MB_OK)
		goto out;
	if ((dels = calloc(ta.n + 1, sizeof(*dels))) == NULL ||
	    (inss = calloc(tb.n + 1, sizeof(*inss))) == NULL) {
		rc = MB_ERR_NOMEM;
		goto out;
	}
	for (size_t k = 0; k < n && rc == MB_OK;) {
		size_t nd = 0, ni = 0;

		if (e[k].op == OP_SAME) {
			s.same++;
			rc = line_out(out, NULL, NULL, &ta.t[e[k++].i]);
			continue;
		}
		for (; k < n && e[k].op != OP_SAME; k++) {
			if (e[k].op == OP_DEL)
				dels[nd++] = e[k].i;
			else
				inss[ni++] = e[k].i;
		}
		s.removed += nd;
		s.added += ni;
		rc = hunk_out(&ta, &tb, dels, nd, inss, ni, out);
	}
	if (rc == MB_OK && st != NULL)
		*st = s;
out:
	free(dels);
	free(inss);
	free(e);
	free(ta.t);
	free(tb.t);
	return rc;
}
