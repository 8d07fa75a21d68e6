/* SPDX-License-Identifier: MIT */
/* An engine's answers checked against the segments they were sent for, and
 * the document put back together with its original tags; the skeleton. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "mt/doc.h"
#include "mt/html.h"
#include "mt/mt_int.h"

/* ---- the engine's answers ------------------------------------------------ */

size_t
mb_mt__find_hold(const struct mb_mt__doc *doc, const char *t, size_t len,
    size_t from, int *n, size_t *plen)
{
	size_t i = from;

	while (i < len) {
		size_t	s = i;
		long	v = 0;

		while (i < len && t[i] >= '0' && t[i] <= '9' && i - s < 10)
			v = v * 10 + (t[i++] - '0');
		if (i == s) {
			i++;
			continue;
		}
		while (i < len && t[i] >= '0' && t[i] <= '9')
			i++;
		if (i - s == (size_t)doc->width && v >= doc->base &&
		    v < doc->base + (long)doc->nholds) {
			*n = (int)(v - doc->base);
			*plen = i - s;
			return s;
		}
	}
	return len;
}

/* A placeholder's number and where it is in the segment. */
struct hidx {
	int	n;
	size_t	idx;
};

/* A name of closing tag the segment was sent with, and how many. */
struct cname {
	char	name[16];
	int	want, got;
};

/*
 * What the check looks things up in, made once per answer so that a
 * segment of many tags is checked in linear time.
 */
struct checker {
	const struct mb_mt__doc	*doc;
	const struct seg	*s;
	int			*seen;		/* per item */
	size_t			*tag_idx;	/* tag n - tag_lo -> item + 1 */
	struct hidx		*holds;		/* sorted by n */
	size_t			 nholds;
	struct cname		*names;		/* few: inline names only */
	size_t			 nnames;
	struct mb_buf		 out;
	char			 stack[STACK_MAX][16];
	int			 sp;
	bool			 crossed;
};

static int
hidx_cmp(const void *a, const void *b)
{
	const struct hidx *x = a, *y = b;

	return x->n < y->n ? -1 : x->n > y->n;
}

static int
checker_init(struct checker *c, const struct mb_mt__doc *doc,
    const struct seg *s)
{
	size_t ntags = (size_t)(s->tag_hi - s->tag_lo);

	memset(c, 0, sizeof(*c));
	c->doc = doc;
	c->s = s;
	c->seen = calloc(s->n + 1, sizeof(*c->seen));
	c->tag_idx = calloc(ntags + 1, sizeof(*c->tag_idx));
	c->holds = calloc(s->n + 1, sizeof(*c->holds));
	c->names = calloc(s->n + 1, sizeof(*c->names));
	if (c->seen == NULL || c->tag_idx == NULL || c->holds == NULL ||
	    c->names == NULL)
		return MB_ERR_NOMEM;
	for (size_t i = 0; i < s->n; i++) {
		const struct item *it = &s->items[i];

		if ((it->kind == IT_OPEN || it->kind == IT_VOID) &&
		    it->n >= s->tag_lo && it->n < s->tag_hi) {
			c->tag_idx[it->n - s->tag_lo] = i + 1;
		} else if (it->kind == IT_HOLD) {
			c->holds[c->nholds++] = (struct hidx){ it->n, i };
		} else if (it->kind == IT_CLOSE) {
			size_t j;

			for (j = 0; j < c->nnames; j++)
				if (strcmp(c->names[j].name, it->name) == 0)
					break;
			if (j == c->nnames)
				memcpy(c->names[c->nnames++].name, it->name,
				    sizeof(it->name));
			c->names[j].want++;
		}
	}
	qsort(c->holds, c->nholds, sizeof(*c->holds), hidx_cmp);
	return MB_OK;
}

static void
checker_free(struct checker *c)
{
	free(c->seen);
	free(c->tag_idx);
	free(c->holds);
	free(c->names);
	mb_buf_free(&c->out);
}

/* The segment's open or void tag numbered n, or NULL. */
static const struct item *
tag_item(const struct checker *c, long n, size_t *idx)
{
	if (n < c->s->tag_lo || n >= c->s->tag_hi ||
	    c->tag_idx[n - c->s->tag_lo] == 0)
		return NULL;
	*idx = c->tag_idx[n - c->s->tag_lo] - 1;
	return &c->s->items[*idx];
}

/* The segment's placeholder numbered n: its item index, or false. */
static bool
hold_item(const struct checker *c, int n, size_t *idx)
{
	struct hidx	 key = { n, 0 };
	struct hidx	*h = bsearch(&key, c->holds, c->nholds,
			    sizeof(*c->holds), hidx_cmp);

	if (h == NULL)
		return false;
	*idx = h->idx;
	return true;
}

/* The closing tags named name the segment was sent with, or NULL. */
static struct cname *
close_name(struct checker *c, const char *name)
{
	for (size_t j = 0; j < c->nnames; j++)
		if (strcmp(c->names[j].name, name) == 0)
			return &c->names[j];
	return NULL;
}

static int
check_text(struct checker *c, const char *t, size_t len, struct mb_diag *d)
{
	struct mb_buf	dec = MB_BUF_INIT;
	size_t		at = 0, pos, plen, idx;
	int		n, rc;

	if ((rc = mb_mt__decode_text(t, len, true, false, &dec)) != MB_OK)
		goto done;
	while (rc == MB_OK && (pos = mb_mt__find_hold(c->doc, dec.data,
	    dec.len, at, &n, &plen)) < dec.len) {
		if (!hold_item(c, n, &idx)) {
			rc = mb_diag_set(d, MB_ERR_CORRUPT, "it answered a "
			    "placeholder (%ld) it was not sent",
			    c->doc->base + n);
			goto done;
		}
		c->seen[idx]++;
		if ((rc = mb_mt__escape(&c->out, dec.data + at, pos - at)) ==
		    MB_OK)
			rc = mb_buf_printf(&c->out, "%ld", c->doc->base + n);
		at = pos + plen;
	}
	if (rc == MB_OK && dec.len > at)
		rc = mb_mt__escape(&c->out, dec.data + at, dec.len - at);
done:
	mb_buf_free(&dec);
	return rc;
}

static int
check_tag(struct checker *c, const struct tok *t, struct mb_diag *d)
{
	const struct item	*it;
	struct cname		*cn;
	size_t			 idx;

	if (t->kind == T_COMMENT)
		return mb_diag_set(d, MB_ERR_CORRUPT, "it added a comment");
	if (t->kind == T_OPEN) {
		if ((it = tag_item(c, t->mb, &idx)) == NULL ||
		    strcmp(it->name, t->name) != 0)
			return mb_diag_set(d, MB_ERR_CORRUPT, "it added a tag "
			    "<%.16s> that was not sent", t->name);
		if (c->seen[idx]++ > 0)
			return mb_diag_set(d, MB_ERR_CORRUPT, "it repeated "
			    "the tag <%s> (number %ld)", t->name, t->mb);
		if (it->kind == IT_OPEN && !t->selfclose) {
			if (c->sp == STACK_MAX)
				return mb_diag_set(d, MB_ERR_CORRUPT, "tags "
				    "nested too deep");
			memcpy(c->stack[c->sp++], it->name, sizeof(it->name));
		}
		return mb_buf_printf(&c->out, "<%s mb=\"%ld\">", it->name,
		    t->mb);
	}
	/* A closing tag: one of the segment's, else refused. */
	if ((cn = close_name(c, t->name)) == NULL) {
		/* "</br>" or "</wbr>" after a void tag is harmless. */
		if (mb_mt__in_list(t->name, mb_mt__all_void_names))
			return MB_OK;
		return mb_diag_set(d, MB_ERR_CORRUPT, "it added a closing tag "
		    "</%.16s>", t->name);
	}
	cn->got++;
	if (c->sp > 0 && strcmp(c->stack[c->sp - 1], t->name) == 0) {
		c->sp--;
	} else {
		c->crossed = true;
		for (int i = c->sp - 1; i >= 0; i--)
			if (strcmp(c->stack[i], t->name) == 0) {
				memmove(c->stack[i], c->stack[i + 1],
				    (size_t)(c->sp - i - 1) *
				    sizeof(c->stack[0]));
				c->sp--;
				break;
			}
	}
	return mb_buf_printf(&c->out, "</%s>", t->name);
}

/* What is missing or too much once the whole answer is read. */
static int
check_end(struct checker *c, struct mb_diag *d)
{
	const struct seg *s = c->s;

	for (size_t i = 0; i < s->n; i++) {
		const struct item *it = &s->items[i];

		if ((it->kind == IT_OPEN || it->kind == IT_VOID) &&
		    c->seen[i] == 0)
			return mb_diag_set(d, MB_ERR_CORRUPT, "it dropped the "
			    "tag <%s> (number %d)", it->name, it->n);
		if (it->kind == IT_HOLD && c->seen[i] != 1)
			return mb_diag_set(d, MB_ERR_CORRUPT, "it %s the "
			    "placeholder %ld (a protected term or code)",
			    c->seen[i] == 0 ? "dropped" : "repeated",
			    c->doc->base + it->n);
	}
	for (size_t j = 0; j < c->nnames; j++)
		if (c->names[j].got != c->names[j].want)
			return mb_diag_set(d, MB_ERR_CORRUPT, "it answered "
			    "%d </%s> for %d sent", c->names[j].got,
			    c->names[j].name, c->names[j].want);
	if (s->nested && c->crossed)
		return mb_diag_set(d, MB_ERR_CORRUPT, "its tags cross (<b><i>"
		    "</b></i>) where the text sent had them nested");
	return MB_OK;
}

int
mb_mt__doc_check(const struct mb_mt__doc *doc, size_t k, const char *answer,
    char **out, struct mb_diag *d)
{
	const struct seg	*s = &doc->segs[k];
	struct checker		 c;
	size_t			 alen = strlen(answer), sent = 0, pos = 0;
	struct lex		 lx;
	struct tok		 t;
	int			 rc = MB_OK;
	bool			 blank = true;

	for (size_t i = 0; i < s->n; i++)
		sent += s->items[i].kind == IT_TEXT ? s->items[i].tlen : 16;
	if (!mb_utf8_valid(answer, alen))
		return mb_diag_set(d, MB_ERR_CORRUPT, "its answer is not "
		    "valid UTF-8");
	if (alen > 4 * sent + 1024)
		return mb_diag_set(d, MB_ERR_CORRUPT, "it answered %zu bytes "
		    "for about %zu sent", alen, sent);
	for (size_t i = 0; i < alen && blank; i++)
		blank = mb_mt__is_space(answer[i]);
	if (blank)
		return mb_diag_set(d, MB_ERR_CORRUPT, "it answered nothing "
		    "for a segment of %zu bytes", sent);
	if ((rc = checker_init(&c, doc, s)) != MB_OK) {
		checker_free(&c);
		return rc;
	}
	mb_mt__lex_init(&lx, answer, alen);
	while (rc == MB_OK && pos < alen) {
		mb_mt__next_tok(&lx, pos, &t);
		if (t.kind == T_TEXT)
			rc = check_text(&c, answer + t.off, t.end - t.off, d);
		else
			rc = check_tag(&c, &t, d);
		pos = t.end;
	}
	if (rc == MB_OK)
		rc = check_end(&c, d);
	if (rc == MB_OK && c.out.data == NULL)
		rc = mb_buf_puts(&c.out, "");
	if (rc == MB_OK)
		*out = mb_buf_steal(&c.out);
	checker_free(&c);
	return rc;
}

/* ---- putting it together ------------------------------------------------- */

static int
put_text(const struct mb_mt__doc *doc, struct mb_buf *b, const char *s,
    size_t len)
{
	return doc->plain ? mb_buf_append(b, s, len) :
	    mb_mt__escape(b, s, len);
}

static int
render_text(const struct mb_mt__doc *doc, struct mb_buf *b, const char *t,
    size_t len)
{
	struct mb_buf	dec = MB_BUF_INIT;
	size_t		at = 0, pos, plen;
	int		n, rc;

	rc = mb_mt__decode_text(t, len, true, false, &dec);
	while (rc == MB_OK && (pos = mb_mt__find_hold(doc, dec.data, dec.len,
	    at, &n, &plen)) < dec.len) {
		const struct hold	*h = &doc->holds[n];
		size_t			 end = pos;

		/* The space a glued placeholder was sent with goes. */
		if (h->glue_l && end > at && dec.data[end - 1] == ' ')
			end--;
		if ((rc = put_text(doc, b, dec.data + at, end - at)) != MB_OK)
			break;
		rc = h->repl != NULL ? put_text(doc, b, h->repl,
		    strlen(h->repl)) : mb_buf_append(b, doc->src + h->off,
		    h->len);
		at = pos + plen;
		if (h->glue_r && at < dec.len && dec.data[at] == ' ')
			at++;
	}
	if (rc == MB_OK && dec.len > at)
		rc = put_text(doc, b, dec.data + at, dec.len - at);
	mb_buf_free(&dec);
	return rc;
}

/* An answer (checked, in normal form) with the original tags put back. */
static int
render(const struct mb_mt__doc *doc, const char *a, struct mb_buf *b)
{
	int		stack[STACK_MAX], sp = 0, rc = MB_OK;
	size_t		alen = strlen(a), pos = 0;
	struct lex	lx;
	struct tok	t;

	mb_mt__lex_init(&lx, a, alen);
	while (rc == MB_OK && pos < alen) {
		mb_mt__next_tok(&lx, pos, &t);
		pos = t.end;
		if (t.kind == T_TEXT) {
			rc = render_text(doc, b, a + t.off, t.end - t.off);
		} else if (t.kind == T_OPEN && t.mb >= 0 &&
		    (size_t)t.mb < doc->ntags) {
			const struct tag *g = &doc->tags[t.mb];

			rc = mb_buf_append(b, doc->src + g->off, g->len);
			if (!g->isvoid && !t.selfclose && sp < STACK_MAX)
				stack[sp++] = (int)t.mb;
		} else if (t.kind == T_CLOSE) {
			int i;

			for (i = sp - 1; i >= 0; i--)
				if (strcmp(doc->tags[stack[i]].name,
				    t.name) == 0)
					break;
			if (i < 0) {
				rc = mb_buf_printf(b, "</%s>", t.name);
				continue;
			}
			if (doc->tags[stack[i]].clen > 0)
				rc = mb_buf_append(b, doc->src +
				    doc->tags[stack[i]].coff,
				    doc->tags[stack[i]].clen);
			else
				rc = mb_buf_printf(b, "</%s>", t.name);
			memmove(&stack[i], &stack[i + 1],
			    (size_t)(sp - i - 1) * sizeof(stack[0]));
			sp--;
		}
	}
	return rc;
}

int
mb_mt__doc_assemble(const struct mb_mt__doc *doc, char *const *answers,
    struct mb_buf *out, struct mb_diag *d)
{
	int rc = MB_OK;

	(void)d;
	for (size_t i = 0; i < doc->nparts && rc == MB_OK; i++) {
		const struct part	*p = &doc->parts[i];
		const struct seg	*s;

		if (!p->seg) {
			rc = mb_buf_append(out, doc->src + p->off, p->len);
			continue;
		}
		s = &doc->segs[p->k];
		if ((rc = mb_buf_append(out, doc->src + s->lead_off,
		    s->lead_len)) == MB_OK &&
		    (rc = render(doc, answers[p->k], out)) == MB_OK)
			rc = mb_buf_append(out, doc->src + s->trail_off,
			    s->trail_len);
	}
	if (rc == MB_OK && out->data == NULL)
		rc = mb_buf_puts(out, "");
	return rc;
}

/* ---- the skeleton -------------------------------------------------------- */

int
mb_mt_html_skeleton(const char *html, size_t len, struct mb_buf *out)
{
	size_t		pos = 0;
	struct lex	lx;
	struct tok	t;
	int		rc = MB_OK;

	mb_mt__lex_init(&lx, html, len);
	while (rc == MB_OK && pos < len) {
		mb_mt__next_tok(&lx, pos, &t);
		pos = t.end;
		if (t.kind == T_TEXT || t.kind == T_EOF)
			continue;
		/* The content of script, style... is not HTML: all of it. */
		if (t.kind == T_OPEN &&
		    mb_mt__in_list(t.name, mb_mt__raw_names))
			pos = mb_mt__element_end(&lx, &t);
		if ((rc = mb_buf_append(out, html + t.off, pos - t.off)) ==
		    MB_OK)
			rc = mb_buf_putc(out, '\n');
	}
	return rc;
}
