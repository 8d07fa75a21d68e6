/* SPDX-License-Identifier: MIT */
/* A document cut into segments for an engine: one per block element, inline
 * tags numbered and bare, untranslatable spans as placeholders; the engine's
 * answers checked, then put back together with the original tags. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/utf8.h"
#include "mt/html.h"
#include "mt/mt_int.h"

enum item_kind { IT_TEXT, IT_OPEN, IT_CLOSE, IT_VOID, IT_HOLD };

/* One piece of a segment. */
struct item {
	enum item_kind	kind;
	char		*text;		/* IT_TEXT: decoded, NFC; owned */
	size_t		 tlen;
	size_t		 roff, rend;	/* IT_TEXT: its source bytes */
	int		 n;		/* tag or placeholder number */
	char		 name[16];	/* tags: the name the engine sees */
};

/* An inline tag of the document (or a comment inside a segment). */
struct tag {
	size_t	off, len;	/* the original open tag, as written */
	size_t	coff, clen;	/* its original closing tag; clen 0: none */
	char	name[16];	/* the name the engine sees */
	bool	isvoid;
};

/* What a placeholder stands for. */
struct hold {
	size_t	 off, len;	/* original HTML (code, translate="no") */
	char	*repl;		/* or a glossary term's replacement text */
	bool	 glue_l;	/* a digit before it: sent with a space */
	bool	 glue_r;	/* a digit after it: sent with a space */
};

struct seg {
	struct item	*items;
	size_t		 n, cap;
	size_t		 start;		/* where it starts in the source */
	size_t		 lead_off, lead_len;	/* white space kept as is */
	size_t		 trail_off, trail_len;
	int		 tag_lo, tag_hi;	/* its tags' numbers */
	bool		 nested;	/* its inline tags nest properly */
};

struct part {
	bool	seg;
	size_t	off, len;	/* verbatim source bytes */
	size_t	k;		/* or a segment */
};

struct mb_mt__doc {
	const char	*src;
	size_t		 len;
	bool		 plain;
	struct part	*parts;
	size_t		 nparts, capparts;
	struct seg	*segs;
	size_t		 nsegs, capsegs;
	struct tag	*tags;
	size_t		 ntags, captags;
	struct hold	*holds;
	size_t		 nholds, capholds;
	long		 base;		/* placeholders: base + n ... */
	int		 width;		/* ... written in width digits */
};

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

#define STACK_MAX 64

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
	struct tok		 t;
	bool			 taken;
	int			 rc = MB_OK;

	while (rc == MB_OK && pos < doc->len) {
		mb_mt__next_tok(doc->src, doc->len, pos, &t);
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
				pos = mb_mt__element_end(doc->src, doc->len, &t);
			} else if (t.noxlate ||
			    mb_mt__in_list(t.name, mb_mt__hold_names)) {
				struct item it = { .kind = IT_HOLD };

				end = mb_mt__element_end(doc->src, doc->len, &t);
				seg_start(b, t.off);
				it.n = (int)doc->nholds;
				if ((rc = add_hold(doc, t.off, end - t.off,
				    NULL)) == MB_OK)
					rc = add_item(&b->cur, &it);
				pos = end;
			} else if (mb_mt__in_list(t.name, mb_mt__inline_names) &&
			    b->sp < STACK_MAX) {
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
 * A placeholder next to a digit ("<kbd>y</kbd>8000") would run into it
 * ("70018000"): such a one is sent with a space between, taken out again
 * when the document is put back together.
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
			h->glue_r = b != NULL && b->kind == IT_TEXT &&
			    b->tlen > 0 && is_digit(b->text[0]);
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

/* ---- the glossary's placeholders ------------------------------------------ */

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

/*
 * Replaces the matches in text item i of s with placeholders; *used is
 * the number of items that now stand where item i stood.
 */
static int
protect_item(struct mb_mt__doc *doc, struct seg *s, size_t i,
    struct matches *m, size_t *used)
{
	struct item	*nv, *it;
	size_t		 nn = s->n - 1 + 2 * m->n + 1, k = 0, at = 0;
	char		*text;

	if ((nv = calloc(nn, sizeof(*nv))) == NULL)
		return MB_ERR_NOMEM;
	memcpy(nv, s->items, i * sizeof(*nv));
	k = i;
	it = &s->items[i];
	text = it->text;
	for (size_t j = 0; j < m->n; j++) {
		struct match	*x = &m->v[j];
		char		*repl = x->repl;

		/* A kept term stands for itself. */
		if (repl == NULL && (repl = strndup(text + x->off, x->len)) ==
		    NULL)
			goto nomem;
		x->repl = NULL;
		if (x->off > at) {
			nv[k] = (struct item){ .kind = IT_TEXT };
			if ((nv[k].text = strndup(text + at, x->off - at)) ==
			    NULL) {
				free(repl);
				goto nomem;
			}
			nv[k].tlen = x->off - at;
			k++;
		}
		nv[k] = (struct item){ .kind = IT_HOLD, .n = (int)doc->nholds };
		if (add_hold(doc, 0, 0, repl) != MB_OK)
			goto nomem;
		k++;
		at = x->off + x->len;
	}
	if (at < it->tlen) {
		nv[k] = (struct item){ .kind = IT_TEXT };
		if ((nv[k].text = strndup(text + at, it->tlen - at)) == NULL)
			goto nomem;
		nv[k].tlen = it->tlen - at;
		k++;
	}
	*used = k - i;
	memcpy(nv + k, s->items + i + 1, (s->n - i - 1) * sizeof(*nv));
	k += s->n - i - 1;
	free(text);
	free(s->items);
	s->items = nv;
	s->n = s->cap = k;
	return MB_OK;
nomem:
	for (size_t j = i; j < k; j++)
		free(nv[j].text);
	free(nv);
	return MB_ERR_NOMEM;
}

int
mb_mt__doc_protect(struct mb_mt__doc *doc, const struct mb_mt_glossary *g,
    const char *from, const char *to, struct mb_diag *d)
{
	struct matches	m = { NULL, 0, 0 };
	int		rc = MB_OK;

	if (g == NULL || mb_mt_glossary_size(g) == 0)
		return MB_OK;
	for (size_t k = 0; k < doc->nsegs && rc == MB_OK; k++) {
		struct seg *s = &doc->segs[k];

		for (size_t i = 0; i < s->n && rc == MB_OK; i++) {
			size_t used = 1;

			if (s->items[i].kind != IT_TEXT)
				continue;
			m.n = 0;
			rc = mb_mt_glossary_match(g, from, to, s->items[i].text,
			    s->items[i].tlen, on_match, &m, d);
			if (rc == MB_OK && m.n > 0)
				rc = protect_item(doc, s, i, &m, &used);
			/* The pieces between matches were looked at. */
			i += used - 1;
			for (size_t j = 0; j < m.n; j++)
				free(m.v[j].repl);
			m.n = 0;
		}
	}
	free(m.v);
	choose_base(doc);
	glue_holds(doc);
	return rc;
}

/* ---- engine form ----------------------------------------------------------- */

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

/* ---- the engine's answers ---------------------------------------------------- */

/*
 * The next placeholder in t[from..len): a run of exactly doc->width
 * digits from doc->base on. Its offset (len when none), its number and
 * its length.
 */
static size_t
find_hold(const struct mb_mt__doc *doc, const char *t, size_t len,
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

static const struct item *
find_item(const struct seg *s, enum item_kind kind, int n, size_t *idx)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->items[i].n == n && (s->items[i].kind == kind ||
		    (kind == IT_OPEN && s->items[i].kind == IT_VOID))) {
			*idx = i;
			return &s->items[i];
		}
	return NULL;
}

/* The index of the first closing tag named name in s (s->n if none). */
static size_t
first_close(const struct seg *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->items[i].kind == IT_CLOSE &&
		    strcmp(s->items[i].name, name) == 0)
			return i;
	return s->n;
}

/* How many closing tags named name segment s was sent with. */
static int
closes_of(const struct seg *s, const char *name)
{
	int c = 0;

	for (size_t i = 0; i < s->n; i++)
		c += s->items[i].kind == IT_CLOSE &&
		    strcmp(s->items[i].name, name) == 0;
	return c;
}

struct checker {
	const struct mb_mt__doc	*doc;
	const struct seg	*s;
	int			*seen;		/* per item */
	int			*closes;	/* per item: see check_end */
	struct mb_buf		 out;
	char			 stack[STACK_MAX][16];
	int			 sp;
	bool			 crossed;
};

static int
check_text(struct checker *c, const char *t, size_t len, struct mb_diag *d)
{
	struct mb_buf	dec = MB_BUF_INIT;
	size_t		at = 0, pos, plen, idx;
	int		n, rc;

	if ((rc = mb_mt__decode_text(t, len, true, false, &dec)) != MB_OK)
		goto done;
	while (rc == MB_OK && (pos = find_hold(c->doc, dec.data, dec.len, at,
	    &n, &plen)) < dec.len) {
		if (find_item(c->s, IT_HOLD, n, &idx) == NULL) {
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
	size_t			 idx;

	if (t->kind == T_COMMENT)
		return mb_diag_set(d, MB_ERR_CORRUPT, "it added a comment");
	if (t->kind == T_OPEN) {
		if (t->mb < 0 || (it = find_item(c->s, IT_OPEN, (int)t->mb,
		    &idx)) == NULL || strcmp(it->name, t->name) != 0)
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
	if ((idx = first_close(c->s, t->name)) == c->s->n) {
		/* "</br>" or "</wbr>" after a void tag is harmless. */
		if (mb_mt__in_list(t->name, mb_mt__all_void_names))
			return MB_OK;
		return mb_diag_set(d, MB_ERR_CORRUPT, "it added a closing tag "
		    "</%.16s>", t->name);
	}
	c->closes[idx]++;
	if (c->sp > 0 && strcmp(c->stack[c->sp - 1], t->name) == 0) {
		c->sp--;
	} else {
		c->crossed = true;
		for (int i = c->sp - 1; i >= 0; i--)
			if (strcmp(c->stack[i], t->name) == 0) {
				memmove(c->stack[i], c->stack[i + 1],
				    (size_t)(c->sp - i - 1) * sizeof(c->stack[0]));
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
		/* Closing tags are counted on the first of each name. */
		if (it->kind == IT_CLOSE && first_close(s, it->name) == i &&
		    c->closes[i] != closes_of(s, it->name))
			return mb_diag_set(d, MB_ERR_CORRUPT, "it answered "
			    "%d </%s> for %d sent", c->closes[i], it->name,
			    closes_of(s, it->name));
	}
	if (s->nested && c->crossed)
		return mb_diag_set(d, MB_ERR_CORRUPT, "its tags cross (<b><i>"
		    "</b></i>) where the text sent had them nested");
	return MB_OK;
}

int
mb_mt__doc_check(const struct mb_mt__doc *doc, size_t k, const char *answer,
    char **out, struct mb_diag *d)
{
	struct checker	c;
	size_t		alen = strlen(answer), sent = 0, pos = 0;
	struct tok	t;
	int		rc = MB_OK;
	bool		blank = true;

	memset(&c, 0, sizeof(c));
	c.doc = doc;
	c.s = &doc->segs[k];
	for (size_t i = 0; i < c.s->n; i++)
		sent += c.s->items[i].kind == IT_TEXT ? c.s->items[i].tlen : 16;
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
	if ((c.seen = calloc(2 * c.s->n + 1, sizeof(int))) == NULL)
		return MB_ERR_NOMEM;
	c.closes = c.seen + c.s->n;
	while (rc == MB_OK && pos < alen) {
		mb_mt__next_tok(answer, alen, pos, &t);
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
	free(c.seen);
	if (rc != MB_OK) {
		mb_buf_free(&c.out);
		return rc;
	}
	*out = mb_buf_steal(&c.out);
	return MB_OK;
}

/* ---- putting it together ------------------------------------------------------ */

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
	while (rc == MB_OK && (pos = find_hold(doc, dec.data, dec.len, at, &n,
	    &plen)) < dec.len) {
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
	struct tok	t;

	while (rc == MB_OK && pos < alen) {
		mb_mt__next_tok(a, alen, pos, &t);
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
				if (strcmp(doc->tags[stack[i]].name, t.name) == 0)
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

/* ---- the skeleton ------------------------------------------------------------- */

int
mb_mt_html_skeleton(const char *html, size_t len, struct mb_buf *out)
{
	size_t		pos = 0;
	struct tok	t;
	int		rc = MB_OK;

	while (rc == MB_OK && pos < len) {
		mb_mt__next_tok(html, len, pos, &t);
		pos = t.end;
		if (t.kind == T_TEXT || t.kind == T_EOF)
			continue;
		/* The content of script, style... is not HTML: all of it. */
		if (t.kind == T_OPEN && mb_mt__in_list(t.name, mb_mt__raw_names))
			pos = mb_mt__element_end(html, len, &t);
		if ((rc = mb_buf_append(out, html + t.off, pos - t.off)) ==
		    MB_OK)
			rc = mb_buf_putc(out, '\n');
	}
	return rc;
}
