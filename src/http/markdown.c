/* SPDX-License-Identifier: MIT */
/* Markdown to sanitized HTML (libcmark) and back (gumbo), for the editor. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmark.h>
#include <gumbo.h>

#include "base/buf.h"
#include "base/err.h"
#include "http/markdown.h"
#include "http/sanitize.h"

/* ---- Markdown in ---- */

static bool
blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return false;
	return true;
}

/* Whether a line starts a list item: "- ", "* ", "+ ", "1. ", "1) ". */
static bool
list_item(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && i < 3 && s[i] == ' ')
		i++;
	if (i + 1 < n && (s[i] == '-' || s[i] == '*' || s[i] == '+') &&
	    s[i + 1] == ' ')
		return true;
	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++;
	return i > 0 && i + 1 < n && (s[i] == '.' || s[i] == ')') &&
	    s[i + 1] == ' ';
}

/*
 * Appends a line with each '<' that would open an HTML tag escaped, so
 * that what a writer types is text (autolinks to http, https and mailto
 * stay; code spans are left as they are).
 */
static int
put_line(struct mb_buf *out, const char *l, size_t n, bool fence)
{
	bool	code = false;
	int	rc = MB_OK;

	for (size_t i = 0; i < n && rc == MB_OK; i++) {
		char	nx = i + 1 < n ? l[i + 1] : '\0';

		if (l[i] == '`')
			code = !code;
		/* Not one already escaped: "\\<" is text. */
		if (l[i] == '<' && !fence && !code && (i == 0 ||
		    l[i - 1] != '\\') && ((nx >= 'a' && nx <= 'z') ||
		    (nx >= 'A' && nx <= 'Z') || nx == '/' || nx == '!' ||
		    nx == '?') && !(n - i > 6 && (strncmp(l + i + 1, "http:",
		    5) == 0 || strncmp(l + i + 1, "https:", 6) == 0 ||
		    strncmp(l + i + 1, "mailto:", 7) == 0)))
			rc = mb_buf_putc(out, '\\');
		if (rc == MB_OK)
			rc = mb_buf_putc(out, l[i]);
	}
	return rc;
}

/*
 * A writer presses Enter for a new paragraph, as in a word processor;
 * CommonMark joins such lines. So a line break between two lines of
 * text becomes a blank line, except where the next line goes on a list
 * item (a new item, or indented), the line ends in a hard break ("\" or
 * two spaces), or inside a fenced code block. Between two quoted lines
 * a ">" line keeps the quote one.
 */
static int
paragraph_lines(const char *md, size_t len, struct mb_buf *out)
{
	size_t	i = 0;
	bool	fence = false;
	int	rc = MB_OK;

	while (i < len && rc == MB_OK) {
		const char	*l = md + i, *nl = memchr(l, '\n', len - i);
		size_t		 n = nl != NULL ? (size_t)(nl - l) : len - i;
		size_t		 ln = n;
		const char	*nx;
		size_t		 nn;

		while (ln > 0 && l[ln - 1] == '\r')
			ln--;
		if (ln >= 3 && (memcmp(l, "```", 3) == 0 ||
		    memcmp(l, "~~~", 3) == 0))
			fence = !fence;
		rc = put_line(out, l, ln, fence);
		if (rc == MB_OK && nl != NULL)
			rc = mb_buf_putc(out, '\n');
		i += n + (nl != NULL);
		if (nl == NULL || i >= len || fence || blank(l, ln))
			continue;
		nx = md + i;
		nn = memchr(nx, '\n', len - i) != NULL ? (size_t)((const char *)
		    memchr(nx, '\n', len - i) - nx) : len - i;
		if (blank(nx, nn) || nx[0] == ' ' || nx[0] == '\t' ||
		    list_item(nx, nn) || l[ln - 1] == '\\' || (ln >= 2 &&
		    l[ln - 1] == ' ' && l[ln - 2] == ' '))
			continue;
		if (l[0] == '>' && nx[0] == '>')
			rc = mb_buf_puts(out, ">\n");
		else if (l[0] != '>' || nx[0] != '>')
			rc = mb_buf_putc(out, '\n');
	}
	return rc;
}

static int
escape_html(struct mb_buf *b, const char *s)
{
	int rc = MB_OK;

	for (; s != NULL && *s != '\0' && rc == MB_OK; s++) {
		switch (*s) {
		case '&': rc = mb_buf_puts(b, "&amp;"); break;
		case '<': rc = mb_buf_puts(b, "&lt;"); break;
		case '>': rc = mb_buf_puts(b, "&gt;"); break;
		case '"': rc = mb_buf_puts(b, "&quot;"); break;
		default: rc = mb_buf_putc(b, *s); break;
		}
	}
	return rc;
}

/* The plain text of an image's description: its alt text. */
static int
plain_text(cmark_node *n, struct mb_buf *b)
{
	int rc = MB_OK;

	for (cmark_node *c = cmark_node_first_child(n); c != NULL &&
	    rc == MB_OK; c = cmark_node_next(c)) {
		const char *lit = cmark_node_get_literal(c);

		if (cmark_node_get_type(c) == CMARK_NODE_SOFTBREAK ||
		    cmark_node_get_type(c) == CMARK_NODE_LINEBREAK)
			rc = mb_buf_putc(b, ' ');
		else if (lit != NULL)
			rc = mb_buf_puts(b, lit);
		else
			rc = plain_text(c, b);
	}
	return rc;
}

/* A paragraph that is one picture becomes a figure with its caption. */
static int
figure(cmark_node *para)
{
	cmark_node	*img = cmark_node_first_child(para), *fig;
	const char	*credit = cmark_node_get_title(img);
	struct mb_buf	 alt = MB_BUF_INIT, h = MB_BUF_INIT;
	int		 rc;

	if ((rc = plain_text(img, &alt)) != MB_OK)
		goto out;
	mb_buf_puts(&h, "<figure><img src=\"");
	escape_html(&h, cmark_node_get_url(img));
	mb_buf_puts(&h, "\" alt=\"");
	escape_html(&h, mb_buf_cstr(&alt));
	mb_buf_puts(&h, "\">");
	if (alt.len > 0 || (credit != NULL && *credit != '\0')) {
		mb_buf_puts(&h, "<figcaption>");
		escape_html(&h, mb_buf_cstr(&alt));
		if (credit != NULL && *credit != '\0') {
			mb_buf_puts(&h, alt.len > 0 ? " <small>" : "<small>");
			escape_html(&h, credit);
			mb_buf_puts(&h, "</small>");
		}
		mb_buf_puts(&h, "</figcaption>");
	}
	if ((rc = mb_buf_puts(&h, "</figure>")) != MB_OK)
		goto out;
	if ((fig = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK)) == NULL) {
		rc = MB_ERR_NOMEM;
		goto out;
	}
	cmark_node_set_on_enter(fig, mb_buf_cstr(&h));
	cmark_node_replace(para, fig);
	cmark_node_free(para);
out:
	mb_buf_free(&alt);
	mb_buf_free(&h);
	return rc;
}

/* HTML typed in the Markdown: shown as the text it is. */
static int
html_as_text(cmark_node *n)
{
	bool		 block = cmark_node_get_type(n) == CMARK_NODE_HTML_BLOCK;
	const char	*lit = cmark_node_get_literal(n);
	size_t		 ln = lit != NULL ? strlen(lit) : 0;
	cmark_node	*t = cmark_node_new(CMARK_NODE_TEXT), *p = NULL;
	char		*s;

	if (t == NULL || (s = strndup(lit != NULL ? lit : "", ln)) == NULL) {
		cmark_node_free(t);
		return MB_ERR_NOMEM;
	}
	while (ln > 0 && (s[ln - 1] == '\n' || s[ln - 1] == '\r'))
		s[--ln] = '\0';
	cmark_node_set_literal(t, s);
	free(s);
	if (block) {
		if ((p = cmark_node_new(CMARK_NODE_PARAGRAPH)) == NULL) {
			cmark_node_free(t);
			return MB_ERR_NOMEM;
		}
		cmark_node_append_child(p, t);
		t = p;
	}
	cmark_node_replace(n, t);
	cmark_node_free(n);
	return MB_OK;
}

int
mb_markdown_to_html(const char *md, size_t len, struct mb_buf *out,
    struct mb_diag *d)
{
	struct mb_buf	 pre = MB_BUF_INIT;
	cmark_node	*doc = NULL, **todo = NULL;
	cmark_iter	*it;
	cmark_event_type ev;
	size_t		 n = 0, cap = 0;
	char		*html = NULL;
	int		 rc;

	if (len > MB_SANITIZE_MAX_INPUT)
		return mb_diag_set(d, MB_ERR_TOOBIG, "body: over %u bytes",
		    MB_SANITIZE_MAX_INPUT);
	if ((rc = paragraph_lines(md, len, &pre)) != MB_OK)
		goto out;
	if ((doc = cmark_parse_document(pre.data != NULL ? pre.data : "",
	    pre.len, CMARK_OPT_VALIDATE_UTF8)) == NULL) {
		rc = MB_ERR_NOMEM;
		goto out;
	}
	/* Collect first: the tree is not changed under the iterator. */
	it = cmark_iter_new(doc);
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node	*nd = cmark_iter_get_node(it);
		cmark_node_type	 t = cmark_node_get_type(nd);
		bool		 pic = t == CMARK_NODE_PARAGRAPH &&
				    cmark_node_first_child(nd) != NULL &&
				    cmark_node_first_child(nd) ==
				    cmark_node_last_child(nd) &&
				    cmark_node_get_type(cmark_node_first_child(
				    nd)) == CMARK_NODE_IMAGE;

		if (ev != CMARK_EVENT_ENTER || !(pic ||
		    t == CMARK_NODE_HTML_BLOCK || t == CMARK_NODE_HTML_INLINE))
			continue;
		if (n == cap) {
			cmark_node **g = realloc(todo, (cap = cap ? cap * 2 :
			    16) * sizeof(*todo));

			if (g == NULL) {
				cmark_iter_free(it);
				rc = MB_ERR_NOMEM;
				goto out;
			}
			todo = g;
		}
		todo[n++] = nd;
	}
	cmark_iter_free(it);
	/* Raw HTML first: a picture's caption may hold some. */
	for (size_t i = 0; i < n && rc == MB_OK; i++)
		if (cmark_node_get_type(todo[i]) != CMARK_NODE_PARAGRAPH)
			rc = html_as_text(todo[i]);
	for (size_t i = 0; i < n && rc == MB_OK; i++)
		if (cmark_node_get_type(todo[i]) == CMARK_NODE_PARAGRAPH)
			rc = figure(todo[i]);
	if (rc != MB_OK)
		goto out;
	if ((html = cmark_render_html(doc, CMARK_OPT_DEFAULT)) == NULL) {
		rc = MB_ERR_NOMEM;
		goto out;
	}
	rc = mb_sanitize_html(html, strlen(html), out, d);
out:
	if (rc == MB_ERR_NOMEM)
		mb_diag_set(d, rc, "markdown: out of memory");
	free(html);
	free(todo);
	cmark_node_free(doc);
	mb_buf_free(&pre);
	return rc;
}

/* ---- Markdown back out ---- */

struct md {
	struct mb_buf	*out;
	bool		 bol;		/* at the beginning of a line */
	const char	*prefix;	/* "> " inside quotes, "  " in items */
	int		 depth;
};

static int
md_puts(struct md *m, const char *s)
{
	int rc = MB_OK;

	for (; *s != '\0' && rc == MB_OK; s++) {
		if (m->bol && *s != '\n' && m->prefix != NULL)
			rc = mb_buf_puts(m->out, m->prefix);
		else if (m->bol && m->prefix != NULL) {
			/* A blank line in a quote stays in it: ">". */
			size_t n = strlen(m->prefix);

			while (n > 0 && m->prefix[n - 1] == ' ')
				n--;
			rc = mb_buf_append(m->out, m->prefix, n);
		}
		if (rc == MB_OK)
			rc = mb_buf_putc(m->out, *s);
		m->bol = *s == '\n';
	}
	return rc;
}

/* Text, with what Markdown would read as markup escaped. */
static int
md_text(struct md *m, const char *s)
{
	char	c[3] = { 0 };
	int	rc = MB_OK;

	for (; *s != '\0' && rc == MB_OK; s++) {
		char ch = *s == '\n' || *s == '\t' ? ' ' : *s;

		if (m->bol && ch == ' ')
			continue;
		if (strchr("\\`*_[]<>#&!|~", ch) != NULL ||
		    (m->bol && (ch == '-' || ch == '+' || ch == '=' ||
		    (ch >= '0' && ch <= '9')))) {
			c[0] = '\\';
			c[1] = ch;
		} else {
			c[0] = ch;
			c[1] = '\0';
		}
		rc = md_puts(m, c);
	}
	return rc;
}

static int md_node(struct md *m, const GumboNode *n);

static int
md_kids(struct md *m, const GumboNode *n)
{
	const GumboVector	*k = &n->v.element.children;
	int			 rc = MB_OK;

	for (unsigned i = 0; i < k->length && rc == MB_OK; i++)
		rc = md_node(m, k->data[i]);
	return rc;
}

static const char *
attr(const GumboNode *n, const char *name)
{
	const GumboAttribute *a = gumbo_get_attribute(&n->v.element.attributes,
	    name);

	return a != NULL ? a->value : NULL;
}

/* A URL as a Markdown destination; MB_ERR_INVAL when it cannot be. */
static int
md_url(struct md *m, const char *u)
{
	if (u == NULL || *u == '\0' || strpbrk(u, "<>()\\ \t\r\n") != NULL)
		return MB_ERR_INVAL;
	return md_puts(m, u);
}

static int
md_title(struct md *m, const char *t)
{
	int rc = md_puts(m, " \"");

	for (; t != NULL && *t != '\0' && rc == MB_OK; t++) {
		char c[3] = { *t == '"' || *t == '\\' ? '\\' : *t,
			*t == '"' || *t == '\\' ? *t : '\0', '\0' };

		rc = md_puts(m, c);
	}
	return rc == MB_OK ? md_puts(m, "\"") : rc;
}

static int
md_img(struct md *m, const GumboNode *img, const char *credit)
{
	int rc;

	md_puts(m, "![");
	md_text(m, attr(img, "alt") != NULL ? attr(img, "alt") : "");
	md_puts(m, "](");
	if ((rc = md_url(m, attr(img, "src"))) != MB_OK)
		return rc;
	if (credit != NULL && *credit != '\0')
		md_title(m, credit);
	return md_puts(m, ")");
}

/* <figure><img><figcaption>caption <small>credit</small></figcaption>. */
static int
md_figure(struct md *m, const GumboNode *n)
{
	const GumboVector	*k = &n->v.element.children;
	const GumboNode		*img = NULL, *cap = NULL;
	const char		*credit = NULL;

	for (unsigned i = 0; i < k->length; i++) {
		const GumboNode *c = k->data[i];

		if (c->type == GUMBO_NODE_WHITESPACE)
			continue;
		if (c->type != GUMBO_NODE_ELEMENT)
			return MB_ERR_INVAL;
		if (c->v.element.tag == GUMBO_TAG_IMG && img == NULL)
			img = c;
		else if (c->v.element.tag == GUMBO_TAG_FIGCAPTION &&
		    cap == NULL)
			cap = c;
		else
			return MB_ERR_INVAL;
	}
	if (img == NULL)
		return MB_ERR_INVAL;
	if (cap != NULL) {
		const GumboVector *ck = &cap->v.element.children;
		const GumboNode *last = ck->length > 0 ?
		    ck->data[ck->length - 1] : NULL;

		if (last != NULL && last->type == GUMBO_NODE_ELEMENT &&
		    last->v.element.tag == GUMBO_TAG_SMALL &&
		    last->v.element.children.length == 1 &&
		    ((const GumboNode *)last->v.element.children.data[0])->
		    type == GUMBO_NODE_TEXT)
			credit = ((const GumboNode *)last->v.element.children.
			    data[0])->v.text.text;
	}
	/* Whether the caption is the alt text: the round trip checks. */
	return md_img(m, img, credit);
}

static int
md_block_end(struct md *m)
{
	md_puts(m, "\n");
	return md_puts(m, "\n");
}

static int
md_list(struct md *m, const GumboNode *n, bool ordered)
{
	const GumboVector	*k = &n->v.element.children;
	const char		*saved = m->prefix;
	char			 pre[80], mark[16];
	int			 num = 1, rc = MB_OK;

	for (unsigned i = 0; i < k->length && rc == MB_OK; i++) {
		const GumboNode *li = k->data[i];

		if (li->type == GUMBO_NODE_WHITESPACE)
			continue;
		if (li->type != GUMBO_NODE_ELEMENT ||
		    li->v.element.tag != GUMBO_TAG_LI)
			return MB_ERR_INVAL;
		if (ordered)
			snprintf(mark, sizeof(mark), "%d. ", num++);
		else
			snprintf(mark, sizeof(mark), "- ");
		md_puts(m, mark);
		m->bol = false;
		snprintf(pre, sizeof(pre), "%s%*s", saved != NULL ? saved : "",
		    (int)strlen(mark), "");
		m->prefix = pre;
		rc = md_kids(m, li);
		m->prefix = saved;
		if (rc == MB_OK && !m->bol)
			rc = md_puts(m, "\n");
	}
	return rc == MB_OK ? md_puts(m, "\n") : rc;
}

static int
md_node(struct md *m, const GumboNode *n)
{
	char		 h[8];
	const char	*saved;
	char		 pre[80];
	int		 rc;

	if (n->type == GUMBO_NODE_TEXT)
		return md_text(m, n->v.text.text);
	if (n->type == GUMBO_NODE_WHITESPACE)
		return m->bol ? MB_OK : md_text(m, " ");
	if (n->type != GUMBO_NODE_ELEMENT || ++m->depth > 40)
		return MB_ERR_INVAL;
	rc = MB_OK;
	switch (n->v.element.tag) {
	case GUMBO_TAG_HTML:
		rc = md_kids(m, n);
		break;
	case GUMBO_TAG_P:
		if ((rc = md_kids(m, n)) == MB_OK)
			rc = md_block_end(m);
		break;
	case GUMBO_TAG_H2: case GUMBO_TAG_H3: case GUMBO_TAG_H4:
	case GUMBO_TAG_H5: case GUMBO_TAG_H6:
		snprintf(h, sizeof(h), "%.*s ", n->v.element.tag -
		    GUMBO_TAG_H1 + 1, "######");
		md_puts(m, h);
		m->bol = false;
		if ((rc = md_kids(m, n)) == MB_OK)
			rc = md_block_end(m);
		break;
	case GUMBO_TAG_STRONG: case GUMBO_TAG_B:
		md_puts(m, "**");
		if ((rc = md_kids(m, n)) == MB_OK)
			rc = md_puts(m, "**");
		break;
	case GUMBO_TAG_EM: case GUMBO_TAG_I:
		md_puts(m, "*");
		if ((rc = md_kids(m, n)) == MB_OK)
			rc = md_puts(m, "*");
		break;
	case GUMBO_TAG_A:
		md_puts(m, "[");
		if ((rc = md_kids(m, n)) != MB_OK)
			break;
		md_puts(m, "](");
		if ((rc = md_url(m, attr(n, "href"))) != MB_OK)
			break;
		if (attr(n, "title") != NULL)
			md_title(m, attr(n, "title"));
		rc = md_puts(m, ")");
		break;
	case GUMBO_TAG_BR:
		rc = md_puts(m, "\\\n");
		break;
	case GUMBO_TAG_CODE:
		/* One text child without backticks: `text`. */
		if (n->v.element.children.length != 1 || ((const GumboNode *)
		    n->v.element.children.data[0])->type != GUMBO_NODE_TEXT ||
		    strchr(((const GumboNode *)n->v.element.children.data[0])->
		    v.text.text, '`') != NULL) {
			rc = MB_ERR_INVAL;
			break;
		}
		md_puts(m, "`");
		md_puts(m, ((const GumboNode *)n->v.element.children.data[0])->
		    v.text.text);
		rc = md_puts(m, "`");
		break;
	case GUMBO_TAG_IMG:
		rc = md_img(m, n, attr(n, "title"));
		break;
	case GUMBO_TAG_FIGURE:
		if ((rc = md_figure(m, n)) == MB_OK)
			rc = md_block_end(m);
		break;
	case GUMBO_TAG_UL: case GUMBO_TAG_OL:
		rc = md_list(m, n, n->v.element.tag == GUMBO_TAG_OL);
		break;
	case GUMBO_TAG_BLOCKQUOTE:
		saved = m->prefix;
		snprintf(pre, sizeof(pre), "%s> ", saved != NULL ? saved : "");
		m->prefix = pre;
		rc = md_kids(m, n);
		m->prefix = saved;
		break;
	default:
		rc = MB_ERR_INVAL;
		break;
	}
	m->depth--;
	return rc;
}

/*
 * Whitespace between tags and runs of it do not change what is shown,
 * nor <b> for <strong> and <i> for <em> (Markdown writes the latter).
 */
static void
squeeze(struct mb_buf *b)
{
	static const char *const same[][2] = { { "<b>", "<strong>" },
		{ "</b>", "</strong>" }, { "<i>", "<em>" }, { "</i>", "</em>" } };
	struct mb_buf	cb = MB_BUF_INIT;
	size_t		j = 0;
	bool		sp = false;

	for (size_t i = 0; i < b->len; i++) {
		size_t k;

		for (k = 0; k < 4; k++)
			if (b->len - i >= strlen(same[k][0]) && memcmp(b->data +
			    i, same[k][0], strlen(same[k][0])) == 0)
				break;
		if (k < 4) {
			mb_buf_puts(&cb, same[k][1]);
			i += strlen(same[k][0]) - 1;
		} else {
			mb_buf_putc(&cb, b->data[i]);
		}
	}
	mb_buf_reset(b);
	mb_buf_append(b, cb.data != NULL ? cb.data : "", cb.len);
	mb_buf_free(&cb);
	for (size_t i = 0; i < b->len; i++) {
		char c = b->data[i];

		if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
			sp = true;
			continue;
		}
		if (sp && j > 0 && c != '<' && b->data[j - 1] != '>')
			b->data[j++] = ' ';
		sp = false;
		b->data[j++] = c;
	}
	b->len = j;
}

int
mb_html_to_markdown(const char *html, size_t len, struct mb_buf *out)
{
	GumboOptions	 opt = kGumboDefaultOptions;
	GumboOutput	*g;
	struct mb_buf	 md = MB_BUF_INIT, a = MB_BUF_INIT, b = MB_BUF_INIT;
	struct md	 m = { &md, true, NULL, 0 };
	int		 rc;

	if (len > MB_SANITIZE_MAX_INPUT)
		return MB_ERR_INVAL;
	opt.fragment_context = GUMBO_TAG_DIV;
	opt.fragment_namespace = GUMBO_NAMESPACE_HTML;
	opt.max_errors = 0;
	if ((g = gumbo_parse_with_options(&opt, html, len)) == NULL)
		return MB_ERR_NOMEM;
	rc = md_node(&m, g->root);
	gumbo_destroy_output(&kGumboDefaultOptions, g);
	while (rc == MB_OK && md.len > 0 && md.data[md.len - 1] == '\n')
		md.data[--md.len] = '\0';
	/* Markdown that would not make the same body again is no use. */
	if (rc == MB_OK &&
	    (rc = mb_sanitize_html(html, len, &a, NULL)) == MB_OK &&
	    (rc = mb_markdown_to_html(md.data != NULL ? md.data : "", md.len,
	    &b, NULL)) == MB_OK) {
			squeeze(&a);
		squeeze(&b);
		if (a.len != b.len || (a.len > 0 && memcmp(a.data, b.data,
		    a.len) != 0))
			rc = MB_ERR_INVAL;
	}
	if (rc == MB_OK)
		rc = mb_buf_append(out, md.data != NULL ? md.data : "", md.len);
	mb_buf_free(&md);
	mb_buf_free(&a);
	mb_buf_free(&b);
	return rc == MB_ERR_NOMEM ? rc : rc != MB_OK ? MB_ERR_INVAL : MB_OK;
}
