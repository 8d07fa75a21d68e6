/* SPDX-License-Identifier: MIT */
/* A document cut into segments for an engine: one per block element, inline
 * tags numbered and bare, untranslatable spans and glossary terms as
 * placeholders (answer.c checks what comes back and reassembles). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/utf8.h"
#include "mt/doc.h"
#include "mt/html.h"
#include "mt/mt_int.h"

#define GROW(arr, n, cap) do {						\
	if ((n) == (cap)) {						\
		size_t nc_ = (cap) ? (cap) * 2 : 16;			\
		void *p_ = realloc((arr), nc_ * sizeof(*(arr)));	\
		if (p_ == NULL)						\
			return MB_ERR_NOMEM;				\
		(arr) = p_;						\
		(cap) = nc_;						\
	}								\
} while (0)

static void
seg_clear(struct seg *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->items[i].text);
	free(s->items);
	memset(s, 0, sizeof(*s));
}

void
mb_mt__doc_free(struct mb_mt__doc *doc)
{
	if (doc == NULL)
		return;
	for (size_t i = 0; i < doc->nsegs; i++)
		seg_clear(&doc->segs[i]);
	for (size_t i = 0; i < doc->nholds; i++)
		free(doc->holds[i].repl);
	free(doc->segs);
	free(doc->parts);
	free(doc->tags);
	free(doc->holds);
	free(doc);
}

static int
add_part(struct mb_mt__doc *doc, bool seg, size_t off, size_t len, size_t k)
{
	if (!seg && len == 0)
		return MB_OK;
	/* Verbatim runs next to each other are one part. */
	if (!seg && doc->nparts > 0 && !doc->parts[doc->nparts - 1].seg &&
	    doc->parts[doc->nparts - 1].off + doc->parts[doc->nparts - 1].len ==
	    off) {
		doc->parts[doc->nparts - 1].len += len;
		return MB_OK;
	}
	GROW(doc->parts, doc->nparts, doc->capparts);
	doc->parts[doc->nparts++] = (struct part){ seg, off, len, k };
	return MB_OK;
}

static int
add_item(struct seg *s, const struct item *it)
{
	GROW(s->items, s->n, s->cap);
	s->items[s->n++] = *it;
	return MB_OK;
}

static int
add_tag(struct mb_mt__doc *doc, size_t off, size_t len, const char *name,
    bool isvoid)
{
	GROW(doc->tags, doc->ntags, doc->captags);
	memset(&doc->tags[doc->ntags], 0, sizeof(struct tag));
	doc->tags[doc->ntags].off = off;
	doc->tags[doc->ntags].len = len;
	doc->tags[doc->ntags].isvoid = isvoid;
	snprintf(doc->tags[doc->ntags].name, sizeof(doc->tags[0].name), "%s",
	    name);
	doc->ntags++;
	return MB_OK;
}

static int
add_hold(struct mb_mt__doc *doc, size_t off, size_t len, char *repl)
{
	if (doc->nholds == doc->capholds) {
		size_t	nc = doc->capholds ? doc->capholds * 2 : 16;
		void	*p = realloc(doc->holds, nc * sizeof(*doc->holds));

		if (p == NULL) {
			free(repl);
			return MB_ERR_NOMEM;
		}
		doc->holds = p;
		doc->capholds = nc;
	}
	doc->holds[doc->nholds++] = (struct hold){ off, len, repl, false,
	    false };
	return MB_OK;
}

/* ---- parsing ------------------------------------------------------------- */

struct builder {
	struct mb_mt__doc	*doc;
	struct seg		 cur;
	bool			 open;
	size_t			 vstart;	/* the verbatim run so far */
	struct {
		int	tag;
		char	name[16];
	}			 st[STACK_MAX];
	int			 sp;
};

static void
seg_start(struct builder *b, size_t off)
{
	if (b->open)
		return;
	memset(&b->cur, 0, sizeof(b->cur));
	b->cur.start = off;
	b->cur.nested = true;
	b->cur.tag_lo = b->cur.tag_hi = (int)b->doc->ntags;
	b->open = true;
	b->sp = 0;
}

/* Ends the open segment at off: sent if it has a letter, else verbatim. */
static int
seg_end(struct builder *b, size_t off)
{
	struct mb_mt__doc	*doc = b->doc;
	struct seg		*s = &b->cur;
	bool			 letter = false;
	int			 rc;

	if (!b->open)
		return MB_OK;
	b->open = false;
	if (s->n > 0 && s->items[s->n - 1].kind == IT_TEXT) {
		struct item	*it = &s->items[s->n - 1];
		size_t		 e = it->rend;

		while (e > it->roff && mb_mt__is_space(doc->src[e - 1]))
			e--;
		if (e < it->rend) {
			s->trail_off = e;
			s->trail_len = it->rend - e;
			if (it->tlen > 0 && it->text[it->tlen - 1] == ' ')
				it->text[--it->tlen] = '\0';
		}
	}
	for (size_t i = 0; i < s->n && !letter; i++)
		letter = s->items[i].kind == IT_TEXT &&
		    mb_mt__has_letter(s->items[i].text, s->items[i].tlen);
	if (!letter) {
		/* Nothing to translate: the source, as it is. */
		seg_clear(s);
		return MB_OK;
	}
	s->tag_hi = (int)doc->ntags;
	if ((rc = add_part(doc, false, b->vstart, s->start - b->vstart, 0)) !=
	    MB_OK)
		goto fail;
	if (doc->nsegs == doc->capsegs) {
		size_t	nc = doc->capsegs ? doc->capsegs * 2 : 16;
		void	*p = realloc(doc->segs, nc * sizeof(*doc->segs));

		if (p == NULL) {
			rc = MB_ERR_NOMEM;
			goto fail;
		}
		doc->segs = p;
		doc->capsegs = nc;
	}
	/* The segment is the document's now, whatever follows. */
	doc->segs[doc->nsegs++] = *s;
	memset(s, 0, sizeof(*s));
	b->vstart = off;
	return add_part(doc, true, 0, 0, doc->nsegs - 1);
fail:
	seg_clear(s);
	return rc;
}

static int
add_text(struct builder *b, size_t off, size_t end, bool html,
    bool collapse)
{
	struct mb_buf	t = MB_BUF_INIT;
	struct item	it = { .kind = IT_TEXT, .roff = off, .rend = end };
	int		rc;

	if (!b->open) {
		size_t ws = off;

		while (ws < end && mb_mt__is_space(b->doc->src[ws]))
			ws++;
		if (ws == end)
			return MB_OK;	/* white space between blocks */
		seg_start(b, off);
		b->cur.lead_off = off;
		b->cur.lead_len = ws - off;
		it.roff = off = ws;
	}
	if ((rc = mb_mt__decode_text(b->doc->src + off, end - off, html,
	    collapse, &t)) != MB_OK) {
		mb_buf_free(&t);
		return rc;
	}
	it.text = mb_buf_steal(&t);
	it.tlen = strlen(it.text);
	if ((rc = add_item(&b->cur, &it)) != MB_OK)
		free(it.text);
	return rc;
}

/* An inline tag (or a comment standing for a void one) into the segment. */
static int
add_inline(struct builder *b, const struct tok *t, const char *name,
    bool isvoid)
{
	struct item	it = { .kind = isvoid ? IT_VOID : IT_OPEN };
	int		rc;

	seg_start(b, t->off);
	it.n = (int)b->doc->ntags;
	snprintf(it.name, sizeof(it.name), "%s", name);
	if ((rc = add_tag(b->doc, t->off, t->end - t->off, name, isvoid)) !=
	    MB_OK || (rc = add_item(&b->cur, &it)) != MB_OK)
		return rc;
	if (!isvoid) {
		b->st[b->sp].tag = it.n;
		memcpy(b->st[b->sp].name, name, sizeof(it.name));
		b->sp++;
	}
	return MB_OK;
}

/* A closing inline tag: closes the innermost open one of that name. */
static int
add_close(struct builder *b, const struct tok *t, bool *taken)
{
	struct item	it = { .kind = IT_CLOSE, .n = -1 };
	int		i;

	*taken = false;
	if (!b->open)
		return MB_OK;
	for (i = b->sp - 1; i >= 0; i--)
		if (strcmp(b->st[i].name, t->name) == 0)
			break;
	if (i < 0)
		return MB_OK;
	if (i != b->sp - 1)
		b->cur.nested = false;
	b->doc->tags[b->st[i].tag].coff = t->off;
	b->doc->tags[b->st[i].tag].clen = t->end - t->off;
	memmove(&b->st[i], &b->st[i + 1], (size_t)(b->sp - i - 1) *
	    sizeof(b->st[0]));
	b->sp--;
	snprintf(it.name, sizeof(it.name), "%s", t->name);
	*taken = true;
	return add_item(&b->cur, &it);
}

static int
parse_html(struct builder *b)
{
	struct mb_mt__doc	*doc = b->doc;
	size_t			 pos = 0, end;
	struct lex		 lx;
	struct tok		 t;
	bool			 taken;
	int			 rc = MB_OK;

	mb_mt__lex_init(&lx, doc->src, doc->len);
	while (rc == MB_OK && pos < doc->len) {
		mb_mt__next_tok(&lx, pos, &t);
		pos = t.end;
		switch (t.kind) {
		case T_TEXT:
			rc = add_text(b, t.off, t.end, true, true);
			break;
		case T_COMMENT:
			/* Inside a sentence it travels as an inert <wbr>. */
			if (b->open)
				rc = add_inline(b, &t, "wbr", true);
			break;
		case T_OPEN:
			if (t.name[0] == '\0' ||
			    mb_mt__in_list(t.name, mb_mt__raw_names) ||
			    mb_mt__in_list(t.name, mb_mt__keep_names) ||
			    (t.noxlate &&
			    !mb_mt__in_list(t.name, mb_mt__inline_names) &&
			    !mb_mt__in_list(t.name, mb_mt__hold_names))) {
				rc = seg_end(b, t.off);
				pos = mb_mt__element_end(&lx, &t);
			} else if (t.noxlate ||
			    mb_mt__in_list(t.name, mb_mt__hold_names)) {
				struct item it = { .kind = IT_HOLD };

				end = mb_mt__element_end(&lx, &t);
				seg_start(b, t.off);
				it.n = (int)doc->nholds;
				if ((rc = add_hold(doc, t.off, end - t.off,
				    NULL)) == MB_OK)
					rc = add_item(&b->cur, &it);
				pos = end;
			} else if (b->sp < STACK_MAX &&
			    mb_mt__in_list(t.name, mb_mt__inline_names)) {
				rc = add_inline(b, &t, t.name, t.selfclose ||
				    mb_mt__in_list(t.name, mb_mt__void_names));
			} else {
				rc = seg_end(b, t.off);
			}
			break;
		case T_CLOSE:
			if (mb_mt__in_list(t.name, mb_mt__inline_names) &&
			    (rc = add_close(b, &t, &taken)) == MB_OK && taken)
				break;
			if (rc == MB_OK)
				rc = seg_end(b, t.off);
			break;
		case T_EOF:
			break;
		}
	}
	if (rc == MB_OK)
		rc = seg_end(b, doc->len);
	if (rc == MB_OK)
		rc = add_part(doc, false, b->vstart, doc->len - b->vstart, 0);
	return rc;
}

/* Plain text: a segment per line; the line breaks stay where they are. */
static int
parse_plain(struct builder *b)
{
	struct mb_mt__doc	*doc = b->doc;
	size_t			 pos = 0;
	int			 rc = MB_OK;

	while (rc == MB_OK && pos < doc->len) {
		const char	*nl = memchr(doc->src + pos, '\n',
				    doc->len - pos);
		size_t		 end = nl != NULL ? (size_t)(nl - doc->src) :
				    doc->len;

		if ((rc = add_text(b, pos, end, false, true)) == MB_OK)
			rc = seg_end(b, end);
		pos = end + 1;
	}
	if (rc == MB_OK)
		rc = add_part(doc, false, b->vstart, doc->len - b->vstart, 0);
	return rc;
}

/* Whether some text of doc holds a run of exactly w digits in
 * [lo, lo + n): a number a placeholder would be mistaken for. */
static bool
digits_taken(const struct mb_mt__doc *doc, int w, long lo, size_t n)
{
	for (size_t k = 0; k < doc->nsegs; k++)
		for (size_t i = 0; i < doc->segs[k].n; i++) {
			const struct item	*it = &doc->segs[k].items[i];
			size_t			 j = 0;

			while (it->kind == IT_TEXT && j < it->tlen) {
				size_t	s = j;
				long	v = 0;

				while (j < it->tlen && it->text[j] >= '0' &&
				    it->text[j] <= '9' && j - s < 10)
					v = v * 10 + (it->text[j++] - '0');
				if (j == s) {
					j++;
					continue;
				}
				while (j < it->tlen && it->text[j] >= '0' &&
				    it->text[j] <= '9')
					j++;
				if (j - s == (size_t)w && v >= lo &&
				    v < lo + (long)n)
					return true;
			}
		}
	return false;
}

/*
 * Placeholders are numbers: engines copy a number where it stood and
 * leave it alone (Apertium cuts "MB_1" in two, moves it, and capitalizes
 * the next word after an unknown one; "9000" it keeps). The numbers are
 * at least 4 digits (no engine writes 9000 as 9.000) and none of them
 * occurs in the text.
 */
static void
choose_base(struct mb_mt__doc *doc)
{
	long pow = 1000;

	for (int w = 4; w <= 9; w++, pow *= 10) {
		if ((long)doc->nholds > pow)
			continue;
		for (long d = 9; d >= 1; d--)
			if (!digits_taken(doc, w, d * pow, doc->nholds)) {
				doc->base = d * pow;
				doc->width = w;
				return;
			}
	}
	doc->base = 9 * pow / 10;	/* unreachable in 1 MB */
	doc->width = 9;
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * A placeholder next to a digit ("<kbd>y</kbd>8000") or to another one
 * would run into it ("70018000"): such a one is sent with a space
 * between, taken out again when the document is put back together.
 */
static void
glue_holds(struct mb_mt__doc *doc)
{
	for (size_t k = 0; k < doc->nsegs; k++) {
		const struct seg *s = &doc->segs[k];

		for (size_t i = 0; i < s->n; i++) {
			const struct item	*a = i > 0 ? &s->items[i - 1] :
						    NULL;
			const struct item	*b = i + 1 < s->n ?
						    &s->items[i + 1] : NULL;
			struct hold		*h;

			if (s->items[i].kind != IT_HOLD)
				continue;
			h = &doc->holds[s->items[i].n];
			h->glue_l = a != NULL && a->kind == IT_TEXT &&
			    a->tlen > 0 && is_digit(a->text[a->tlen - 1]);
			/* Two placeholders in a row would be one number. */
			h->glue_r = b != NULL && (b->kind == IT_HOLD ||
			    (b->kind == IT_TEXT && b->tlen > 0 &&
			    is_digit(b->text[0])));
		}
	}
}

int
mb_mt__doc_parse(const char *text, size_t len, bool plain,
    struct mb_mt__doc **out, struct mb_diag *d)
{
	struct mb_mt__doc	*doc;
	struct builder		 b;
	int			 rc;

	if (len > MB_MT_INPUT_MAX)
		return mb_diag_set(d, MB_ERR_TOOBIG, "the text is %zu bytes; "
		    "at most %u (1 MB) are translated at once: split it",
		    len, MB_MT_INPUT_MAX);
	if (!mb_utf8_valid(text, len))
		return mb_diag_set(d, MB_ERR_INVAL, "the text is not valid "
		    "UTF-8");
	if ((doc = calloc(1, sizeof(*doc))) == NULL)
		return MB_ERR_NOMEM;
	doc->src = text;
	doc->len = len;
	doc->plain = plain;
	memset(&b, 0, sizeof(b));
	b.doc = doc;
	rc = plain ? parse_plain(&b) : parse_html(&b);
	if (b.open)
		seg_clear(&b.cur);
	if (rc != MB_OK) {
		mb_mt__doc_free(doc);
		return rc;
	}
	choose_base(doc);
	glue_holds(doc);
	*out = doc;
	return MB_OK;
}

size_t
mb_mt__doc_count(const struct mb_mt__doc *doc)
{
	return doc->nsegs;
}

/* ---- the glossary's placeholders ----------------------------------------- */

struct match {
	size_t	off, len;
	char	*repl;
};

struct matches {
	struct match	*v;
	size_t		 n, cap;
};

static int
on_match(size_t off, size_t mlen, size_t term, const char *repl, void *arg)
{
	struct matches	*m = arg;
	char		*r = NULL;

	(void)term;
	if (repl != NULL && (r = strdup(repl)) == NULL)
		return MB_ERR_NOMEM;
	if (m->n == m->cap) {
		size_t	nc = m->cap ? m->cap * 2 : 8;
		void	*p = realloc(m->v, nc * sizeof(*m->v));

		if (p == NULL) {
			free(r);
			return MB_ERR_NOMEM;
		}
		m->v = p;
		m->cap = nc;
	}
	m->v[m->n++] = (struct match){ off, mlen, r };
	return MB_OK;
}

/* Appends an item to a segment being rebuilt; its text is owned. */
static int
push_item(struct item **v, size_t *n, size_t *cap, const struct item *it)
{
	if (*n == *cap) {
		size_t	nc = *cap ? *cap * 2 : 16;
		void	*p = realloc(*v, nc * sizeof(**v));

		if (p == NULL)
			return MB_ERR_NOMEM;
		*v = p;
		*cap = nc;
	}
	(*v)[(*n)++] = *it;
	return MB_OK;
}

/* Text item it, cut at the matches m into text and placeholders. */
static int
split_item(struct mb_mt__doc *doc, const struct item *it, struct matches *m,
    struct item **v, size_t *n, size_t *cap)
{
	size_t	at = 0;

	for (size_t j = 0; j < m->n; j++) {
		struct match	*x = &m->v[j];
		struct item	 t = { .kind = IT_TEXT };
		struct item	 h = { .kind = IT_HOLD, .n = (int)doc->nholds };
		char		*repl = x->repl;

		/* A kept term stands for itself. */
		if (repl == NULL && (repl = strndup(it->text + x->off,
		    x->len)) == NULL)
			return MB_ERR_NOMEM;
		x->repl = NULL;
		if (add_hold(doc, 0, 0, repl) != MB_OK)
			return MB_ERR_NOMEM;
		if (x->off > at) {
			if ((t.text = strndup(it->text + at, x->off - at)) ==
			    NULL)
				return MB_ERR_NOMEM;
			t.tlen = x->off - at;
			if (push_item(v, n, cap, &t) != MB_OK) {
				free(t.text);
				return MB_ERR_NOMEM;
			}
		}
		if (push_item(v, n, cap, &h) != MB_OK)
			return MB_ERR_NOMEM;
		at = x->off + x->len;
	}
	if (at < it->tlen) {
		struct item t = { .kind = IT_TEXT, .tlen = it->tlen - at };

		if ((t.text = strndup(it->text + at, it->tlen - at)) == NULL)
			return MB_ERR_NOMEM;
		if (push_item(v, n, cap, &t) != MB_OK) {
			free(t.text);
			return MB_ERR_NOMEM;
		}
	}
	return MB_OK;
}

/* Segment s again, its glossary terms as placeholders; in one pass. */
static int
protect_seg(struct mb_mt__doc *doc, struct seg *s,
    const struct mb_mt_glossary *g, const char *from, const char *to,
    struct matches *m, struct mb_diag *d)
{
	struct item	*v = NULL;
	size_t		 n = 0, cap = 0;
	bool		 any = false;
	int		 rc = MB_OK;

	for (size_t i = 0; i < s->n && rc == MB_OK; i++) {
		struct item	*it = &s->items[i];
		struct item	 c = *it;

		m->n = 0;
		if (it->kind == IT_TEXT)
			rc = mb_mt_glossary_match(g, from, to, it->text,
			    it->tlen, on_match, m, d);
		if (rc == MB_OK && m->n > 0) {
			any = true;
			rc = split_item(doc, it, m, &v, &n, &cap);
		} else if (rc == MB_OK) {
			/* A copy: s stays whole until the end. */
			if (c.text != NULL && (c.text = strdup(c.text)) == NULL)
				rc = MB_ERR_NOMEM;
			else if ((rc = push_item(&v, &n, &cap, &c)) != MB_OK)
				free(c.text);
		}
		for (size_t j = 0; j < m->n; j++)
			free(m->v[j].repl);
		m->n = 0;
	}
	if (rc == MB_OK && any) {
		for (size_t i = 0; i < s->n; i++)
			free(s->items[i].text);
		free(s->items);
		s->items = v;
		s->n = n;
		s->cap = cap;
		return MB_OK;
	}
	for (size_t j = 0; j < n; j++)
		free(v[j].text);
	free(v);
	return rc;
}

int
mb_mt__doc_protect(struct mb_mt__doc *doc, const struct mb_mt_glossary *g,
    const char *from, const char *to, struct mb_diag *d)
{
	struct matches	m = { NULL, 0, 0 };
	int		rc = MB_OK;

	if (g == NULL || mb_mt_glossary_size(g) == 0)
		return MB_OK;
	for (size_t k = 0; k < doc->nsegs && rc == MB_OK; k++)
		rc = protect_seg(doc, &doc->segs[k], g, from, to, &m, d);
	free(m.v);
	choose_base(doc);
	glue_holds(doc);
	return rc;
}

/* ---- engine form --------------------------------------------------------- */

int
mb_mt__doc_form(const struct mb_mt__doc *doc, size_t k, char **out)
{
	const struct seg	*s = &doc->segs[k];
	struct mb_buf		 b = MB_BUF_INIT;
	int			 rc = MB_OK;

	for (size_t i = 0; i < s->n && rc == MB_OK; i++) {
		const struct item *it = &s->items[i];

		switch (it->kind) {
		case IT_TEXT:
			rc = mb_mt__escape(&b, it->text, it->tlen);
			break;
		case IT_OPEN:
		case IT_VOID:
			rc = mb_buf_printf(&b, "<%s mb=\"%d\">", it->name,
			    it->n);
			break;
		case IT_CLOSE:
			rc = mb_buf_printf(&b, "</%s>", it->name);
			break;
		case IT_HOLD:
			rc = mb_buf_printf(&b, "%s%ld%s",
			    doc->holds[it->n].glue_l ? " " : "",
			    doc->base + it->n,
			    doc->holds[it->n].glue_r ? " " : "");
			break;
		}
	}
	if (rc == MB_OK && b.data == NULL)
		rc = mb_buf_puts(&b, "");
	if (rc != MB_OK) {
		mb_buf_free(&b);
		return rc;
	}
	*out = mb_buf_steal(&b);
	return MB_OK;
}

