/* SPDX-License-Identifier: MIT */
/* The HTML sanitizer: gumbo parses, an allowlist walk re-serializes. */
#include "http/sanitize.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gumbo.h>

#include "base/buf.h"
#include "base/err.h"

/* What happens to an element. */
enum mb_san_action {
	SAN_DROP,	/* the element and everything inside it go */
	SAN_UNWRAP,	/* the tags go, the (sanitized) content stays */
	SAN_KEEP	/* the element stays, with allowed attributes only */
};

/*
 * The kind of the nearest element written to the output. Inside table
 * structure the parser moves ("foster-parents") text and most elements
 * out of the table, so only the right children may be written there, or
 * the output would not parse back to the tree we checked.
 */
enum mb_san_ctx {
	CTX_FLOW,	/* ordinary content */
	CTX_TABLE,	/* directly inside <table> */
	CTX_SECTION,	/* directly inside <thead>, <tbody>, <tfoot> */
	CTX_ROW		/* directly inside <tr> */
};

/* One element being walked: an explicit stack, so no recursion. */
struct mb_san_frame {
	const GumboNode	*node;
	unsigned	 next;		/* the next child to visit */
	const char	*close;		/* end tag to write, NULL if unwrapped */
	enum mb_san_ctx	 ctx;		/* context for the children */
	unsigned	 depth;		/* written elements open around them */
};

struct mb_san {
	struct mb_buf		*out;
	struct mb_san_frame	*stack;
	size_t			 nstack;
	size_t			 capstack;
	size_t			 pre_mark;	/* out->len just after <pre> */
	bool			 text_only;	/* the last-resort mode */
};

/* The value of rel forced on every link: no opener, referrer or SEO credit. */
#define SAN_LINK_REL	"noopener noreferrer nofollow ugc"

static enum mb_san_action
mb_san__action(GumboTag tag)
{
	switch (tag) {
	case GUMBO_TAG_P: case GUMBO_TAG_BR: case GUMBO_TAG_HR:
	case GUMBO_TAG_H1: case GUMBO_TAG_H2: case GUMBO_TAG_H3:
	case GUMBO_TAG_H4: case GUMBO_TAG_H5: case GUMBO_TAG_H6:
	case GUMBO_TAG_B: case GUMBO_TAG_STRONG: case GUMBO_TAG_I:
	case GUMBO_TAG_EM: case GUMBO_TAG_U: case GUMBO_TAG_S:
	case GUMBO_TAG_STRIKE: case GUMBO_TAG_SUB: case GUMBO_TAG_SUP:
	case GUMBO_TAG_SMALL: case GUMBO_TAG_MARK: case GUMBO_TAG_Q:
	case GUMBO_TAG_CITE: case GUMBO_TAG_ABBR: case GUMBO_TAG_DFN:
	case GUMBO_TAG_BLOCKQUOTE: case GUMBO_TAG_PRE: case GUMBO_TAG_CODE:
	case GUMBO_TAG_KBD: case GUMBO_TAG_SAMP: case GUMBO_TAG_VAR:
	case GUMBO_TAG_UL: case GUMBO_TAG_OL: case GUMBO_TAG_LI:
	case GUMBO_TAG_DL: case GUMBO_TAG_DT: case GUMBO_TAG_DD:
	case GUMBO_TAG_A: case GUMBO_TAG_IMG: case GUMBO_TAG_FIGURE:
	case GUMBO_TAG_FIGCAPTION: case GUMBO_TAG_TABLE:
	case GUMBO_TAG_CAPTION: case GUMBO_TAG_THEAD: case GUMBO_TAG_TBODY:
	case GUMBO_TAG_TFOOT: case GUMBO_TAG_TR: case GUMBO_TAG_TH:
	case GUMBO_TAG_TD: case GUMBO_TAG_SPAN: case GUMBO_TAG_DIV:
	case GUMBO_TAG_TIME: case GUMBO_TAG_DEL: case GUMBO_TAG_INS:
	case GUMBO_TAG_BDI: case GUMBO_TAG_BDO: case GUMBO_TAG_WBR:
		return SAN_KEEP;

	/*
	 * Active content, raw-text elements, forms, embedded media and
	 * metadata: their content is code, a parser trap or meaningless
	 * without them, so it goes too.
	 */
	case GUMBO_TAG_HEAD: case GUMBO_TAG_TITLE: case GUMBO_TAG_BASE:
	case GUMBO_TAG_LINK: case GUMBO_TAG_META: case GUMBO_TAG_STYLE:
	case GUMBO_TAG_SCRIPT: case GUMBO_TAG_NOSCRIPT:
	case GUMBO_TAG_TEMPLATE: case GUMBO_TAG_IFRAME: case GUMBO_TAG_EMBED:
	case GUMBO_TAG_OBJECT: case GUMBO_TAG_PARAM: case GUMBO_TAG_VIDEO:
	case GUMBO_TAG_AUDIO: case GUMBO_TAG_SOURCE: case GUMBO_TAG_TRACK:
	case GUMBO_TAG_CANVAS: case GUMBO_TAG_MAP: case GUMBO_TAG_AREA:
	case GUMBO_TAG_MATH: case GUMBO_TAG_SVG: case GUMBO_TAG_IMAGE:
	case GUMBO_TAG_COLGROUP: case GUMBO_TAG_COL: case GUMBO_TAG_INPUT:
	case GUMBO_TAG_BUTTON: case GUMBO_TAG_SELECT: case GUMBO_TAG_DATALIST:
	case GUMBO_TAG_OPTGROUP: case GUMBO_TAG_OPTION:
	case GUMBO_TAG_TEXTAREA: case GUMBO_TAG_KEYGEN: case GUMBO_TAG_OUTPUT:
	case GUMBO_TAG_PROGRESS: case GUMBO_TAG_METER: case GUMBO_TAG_MENUITEM:
	case GUMBO_TAG_APPLET: case GUMBO_TAG_BGSOUND: case GUMBO_TAG_FRAME:
	case GUMBO_TAG_FRAMESET: case GUMBO_TAG_NOFRAMES:
	case GUMBO_TAG_ISINDEX: case GUMBO_TAG_XMP: case GUMBO_TAG_NEXTID:
	case GUMBO_TAG_NOEMBED: case GUMBO_TAG_PLAINTEXT:
	case GUMBO_TAG_BASEFONT: case GUMBO_TAG_MARQUEE: case GUMBO_TAG_BLINK:
		return SAN_DROP;

	default:
		/* Sectioning, font, center, form, label, unknown names... */
		return SAN_UNWRAP;
	}
}

/* The name written for a kept element: <h1> is the page's, <strike> old. */
static const char *
mb_san__name(GumboTag tag)
{
	if (tag == GUMBO_TAG_H1)
		return "h2";
	if (tag == GUMBO_TAG_STRIKE)
		return "s";
	return gumbo_normalized_tagname(tag);
}

static bool
mb_san__void(GumboTag tag)
{
	return tag == GUMBO_TAG_BR || tag == GUMBO_TAG_HR ||
	    tag == GUMBO_TAG_IMG || tag == GUMBO_TAG_WBR;
}

/* ASCII whitespace and controls: what URL parsers skip or choke on. */
static bool
mb_san__ctl(unsigned char c)
{
	return c <= 0x20 || c == 0x7f;
}

static char
mb_san__lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static bool
mb_san__ieq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (mb_san__lower(*a) != mb_san__lower(*b))
			return false;
	return *a == *b;
}

/*
 * Whether a URL is safe: relative (no scheme), or http/https (and
 * mailto unless for an image). Whitespace and control characters are
 * ignored wherever they are, as browsers strip some of them ("java\tscript:"
 * is javascript:), and anything before the first ':' that is not one of
 * the allowed schemes is refused, even where a browser would see a
 * relative path: refusing too much is cheap, too little is not.
 * Entities are already decoded by the parser.
 */
static bool
mb_san__url_ok(const char *v, bool allow_mailto)
{
	char	 scheme[8];
	size_t	 n = 0;

	for (; *v != '\0'; v++) {
		unsigned char c = (unsigned char)*v;

		if (mb_san__ctl(c))
			continue;
		if (c == '/' || c == '?' || c == '#')
			return true;
		if (c == ':')
			break;
		if (n >= sizeof(scheme) - 1)
			return false;	/* longer than any allowed scheme */
		scheme[n++] = mb_san__lower((char)c);
	}
	if (*v == '\0')
		return true;
	scheme[n] = '\0';
	return strcmp(scheme, "http") == 0 || strcmp(scheme, "https") == 0 ||
	    (allow_mailto && strcmp(scheme, "mailto") == 0);
}

/* A language tag: letters, then letter/digit subtags (BCP 47 in shape). */
static bool
mb_san__lang_ok(const char *v)
{
	size_t	 i, run = 0;

	if (*v == '\0' || strlen(v) > 35)
		return false;
	for (i = 0; v[i] != '\0'; i++) {
		char c = v[i];

		if (c == '-') {
			if (run == 0)
				return false;
			run = 0;
		} else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9')) {
			if (++run > 8)
				return false;
		} else
			return false;
	}
	return run > 0;
}

/* An optionally signed decimal number of at most maxdigits digits. */
static bool
mb_san__int_ok(const char *v, bool sign, size_t maxdigits)
{
	size_t	 n = 0;

	if (sign && *v == '-')
		v++;
	for (; *v >= '0' && *v <= '9'; v++)
		n++;
	return *v == '\0' && n > 0 && n <= maxdigits;
}

static bool
mb_san__datetime_ok(const char *v)
{
	size_t	 n = 0;

	for (; *v != '\0'; v++, n++) {
		char c = *v;

		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
		    (c >= 'A' && c <= 'Z') || c == ':' || c == '-' ||
		    c == '+' || c == '.' || c == ' '))
			return false;
	}
	return n > 0 && n <= 64;
}

/* How an attribute value is written. */
enum mb_san_attr {
	ATTR_REFUSE,
	ATTR_AS_IS,	/* the value, escaped */
	ATTR_URL,	/* the value without surrounding whitespace */
	ATTR_LOWER,	/* an enumerated value, lower-cased */
	ATTR_EMPTY	/* a boolean attribute */
};

/*
 * The per-element attribute allowlist. Everything not named here goes:
 * event handlers, style, class and id (page CSS and DOM clobbering),
 * target (links get rel instead), rel, srcset (one more URL syntax to
 * get wrong, for little gain), and every presentational attribute.
 */
static enum mb_san_attr
mb_san__attr(GumboTag tag, const char *name, const char *v)
{
	if (strcmp(name, "title") == 0)
		return ATTR_AS_IS;
	if (strcmp(name, "lang") == 0)
		return mb_san__lang_ok(v) ? ATTR_AS_IS : ATTR_REFUSE;
	if (strcmp(name, "dir") == 0)
		return mb_san__ieq(v, "ltr") || mb_san__ieq(v, "rtl") ||
		    mb_san__ieq(v, "auto") ? ATTR_LOWER : ATTR_REFUSE;
	switch (tag) {
	case GUMBO_TAG_A:
		if (strcmp(name, "href") == 0)
			return mb_san__url_ok(v, true) ? ATTR_URL : ATTR_REFUSE;
		if (strcmp(name, "hreflang") == 0)
			return mb_san__lang_ok(v) ? ATTR_AS_IS : ATTR_REFUSE;
		break;
	case GUMBO_TAG_IMG:
		if (strcmp(name, "src") == 0)
			return mb_san__url_ok(v, false) ? ATTR_URL :
			    ATTR_REFUSE;
		if (strcmp(name, "alt") == 0)
			return ATTR_AS_IS;
		if (strcmp(name, "width") == 0 || strcmp(name, "height") == 0)
			return mb_san__int_ok(v, false, 5) ? ATTR_AS_IS :
			    ATTR_REFUSE;
		break;
	case GUMBO_TAG_TH:
		if (strcmp(name, "scope") == 0)
			return mb_san__ieq(v, "row") || mb_san__ieq(v, "col") ||
			    mb_san__ieq(v, "rowgroup") ||
			    mb_san__ieq(v, "colgroup") ? ATTR_LOWER :
			    ATTR_REFUSE;
		/* FALLTHROUGH */
	case GUMBO_TAG_TD:
		if (strcmp(name, "colspan") == 0 ||
		    strcmp(name, "rowspan") == 0)
			return mb_san__int_ok(v, false, 4) ? ATTR_AS_IS :
			    ATTR_REFUSE;
		break;
	case GUMBO_TAG_OL:
		if (strcmp(name, "start") == 0)
			return mb_san__int_ok(v, true, 9) ? ATTR_AS_IS :
			    ATTR_REFUSE;
		if (strcmp(name, "reversed") == 0)
			return ATTR_EMPTY;
		if (strcmp(name, "type") == 0)
			return strcmp(v, "1") == 0 || strcmp(v, "a") == 0 ||
			    strcmp(v, "A") == 0 || strcmp(v, "i") == 0 ||
			    strcmp(v, "I") == 0 ? ATTR_AS_IS : ATTR_REFUSE;
		break;
	case GUMBO_TAG_LI:
		if (strcmp(name, "value") == 0)
			return mb_san__int_ok(v, true, 9) ? ATTR_AS_IS :
			    ATTR_REFUSE;
		break;
	case GUMBO_TAG_TIME:
		if (strcmp(name, "datetime") == 0)
			return mb_san__datetime_ok(v) ? ATTR_AS_IS :
			    ATTR_REFUSE;
		break;
	case GUMBO_TAG_BLOCKQUOTE:
	case GUMBO_TAG_Q:
	case GUMBO_TAG_DEL:
	case GUMBO_TAG_INS:
		if (strcmp(name, "cite") == 0)
			return mb_san__url_ok(v, false) ? ATTR_URL :
			    ATTR_REFUSE;
		break;
	default:
		break;
	}
	return ATTR_REFUSE;
}

/*
 * Appends s[0..n) escaped for text (attr false) or a double-quoted
 * attribute value. Besides the usual & < > ", a CR is written as a
 * reference because the parser turns a literal one into LF, and a NUL
 * (which the parser would drop or replace) is dropped.
 */
static int
mb_san__escape(struct mb_buf *b, const char *s, size_t n, bool attr)
{
	size_t	 i, run = 0;
	const char *rep;

	for (i = 0; i < n; i++) {
		switch (s[i]) {
		case '&':
			rep = "&amp;";
			break;
		case '<':
			rep = "&lt;";
			break;
		case '>':
			rep = "&gt;";
			break;
		case '"':
			rep = attr ? "&quot;" : NULL;
			break;
		case '\r':
			rep = "&#13;";
			break;
		case '\0':
			rep = "";
			break;
		default:
			rep = NULL;
			break;
		}
		if (rep == NULL)
			continue;
		if (mb_buf_append(b, s + run, i - run) != MB_OK ||
		    mb_buf_puts(b, rep) != MB_OK)
			return MB_ERR_NOMEM;
		run = i + 1;
	}
	return mb_buf_append(b, s + run, n - run);
}

static int
mb_san__attr_out(struct mb_buf *b, const char *name, const char *v,
    enum mb_san_attr how)
{
	size_t	 n = strlen(v);
	size_t	 i;
	int	 rc;

	if (how == ATTR_URL) {
		while (n > 0 && mb_san__ctl((unsigned char)*v)) {
			v++;
			n--;
		}
		while (n > 0 && mb_san__ctl((unsigned char)v[n - 1]))
			n--;
	} else if (how == ATTR_EMPTY)
		n = 0;
	if ((rc = mb_buf_putc(b, ' ')) != MB_OK ||
	    (rc = mb_buf_puts(b, name)) != MB_OK ||
	    (rc = mb_buf_puts(b, "=\"")) != MB_OK)
		return rc;
	if (how == ATTR_LOWER) {
		/* Only ever short ASCII keywords, already checked. */
		for (i = 0; i < n; i++)
			if ((rc = mb_buf_putc(b, mb_san__lower(v[i]))) != MB_OK)
				return rc;
	} else if ((rc = mb_san__escape(b, v, n, true)) != MB_OK)
		return rc;
	return mb_buf_putc(b, '"');
}

/* <img> without a usable src shows nothing but a broken icon: drop it. */
static bool
mb_san__img_ok(const GumboElement *e)
{
	GumboAttribute *a = gumbo_get_attribute(&e->attributes, "src");

	return a != NULL && mb_san__url_ok(a->value, false);
}

static int
mb_san__start_tag(struct mb_san *s, const GumboElement *e)
{
	struct mb_buf	*b = s->out;
	bool		 href = false;
	unsigned	 i;
	int		 rc;

	if ((rc = mb_buf_putc(b, '<')) != MB_OK ||
	    (rc = mb_buf_puts(b, mb_san__name(e->tag))) != MB_OK)
		return rc;
	for (i = 0; i < e->attributes.length; i++) {
		const GumboAttribute *a = e->attributes.data[i];
		enum mb_san_attr how;

		/* Only HTML attributes; xlink:href and friends never. */
		if (a->attr_namespace != GUMBO_ATTR_NAMESPACE_NONE)
			continue;
		how = mb_san__attr(e->tag, a->name, a->value);
		if (how == ATTR_REFUSE)
			continue;
		if (e->tag == GUMBO_TAG_A && strcmp(a->name, "href") == 0)
			href = true;
		if ((rc = mb_san__attr_out(b, a->name, a->value, how)) != MB_OK)
			return rc;
	}
	if (href && (rc = mb_buf_puts(b, " rel=\"" SAN_LINK_REL "\"")) != MB_OK)
		return rc;
	return mb_buf_putc(b, '>');
}

static bool
mb_san__table_part(GumboTag tag)
{
	return tag == GUMBO_TAG_CAPTION || tag == GUMBO_TAG_THEAD ||
	    tag == GUMBO_TAG_TBODY || tag == GUMBO_TAG_TFOOT ||
	    tag == GUMBO_TAG_TR || tag == GUMBO_TAG_TD || tag == GUMBO_TAG_TH;
}

/* Whether a kept element may be written as a child in context ctx. */
static bool
mb_san__fits(GumboTag tag, enum mb_san_ctx ctx)
{
	switch (ctx) {
	case CTX_TABLE:
		return tag == GUMBO_TAG_CAPTION || tag == GUMBO_TAG_THEAD ||
		    tag == GUMBO_TAG_TBODY || tag == GUMBO_TAG_TFOOT;
	case CTX_SECTION:
		return tag == GUMBO_TAG_TR;
	case CTX_ROW:
		return tag == GUMBO_TAG_TD || tag == GUMBO_TAG_TH;
	default:
		return !mb_san__table_part(tag);
	}
}

static enum mb_san_ctx
mb_san__child_ctx(GumboTag tag)
{
	switch (tag) {
	case GUMBO_TAG_TABLE:
		return CTX_TABLE;
	case GUMBO_TAG_THEAD:
	case GUMBO_TAG_TBODY:
	case GUMBO_TAG_TFOOT:
		return CTX_SECTION;
	case GUMBO_TAG_TR:
		return CTX_ROW;
	default:
		return CTX_FLOW;
	}
}

static bool
mb_san__blank(const char *t)
{
	for (; *t != '\0'; t++)
		if (*t != ' ' && *t != '\t' && *t != '\n' && *t != '\f' &&
		    *t != '\r')
			return false;
	return true;
}

static int
mb_san__push(struct mb_san *s, const GumboNode *node, const char *close,
    enum mb_san_ctx ctx, unsigned depth)
{
	struct mb_san_frame *f;

	if (s->nstack == s->capstack) {
		size_t ncap = s->capstack ? s->capstack * 2 : 64;

		if ((f = realloc(s->stack, ncap * sizeof(*f))) == NULL)
			return MB_ERR_NOMEM;
		s->stack = f;
		s->capstack = ncap;
	}
	f = &s->stack[s->nstack++];
	f->node = node;
	f->next = 0;
	f->close = close;
	f->ctx = ctx;
	f->depth = depth;
	return MB_OK;
}

static int
mb_san__text(struct mb_san *s, const char *t, enum mb_san_ctx ctx)
{
	int	 rc;

	if (ctx != CTX_FLOW && !mb_san__blank(t))
		return MB_OK;	/* would be moved out of the table */
	/*
	 * The parser drops one newline right after <pre>, so a text that
	 * starts with one needs another in front to keep it.
	 */
	if (s->out->len == s->pre_mark && t[0] == '\n' &&
	    (rc = mb_buf_putc(s->out, '\n')) != MB_OK)
		return rc;
	return mb_san__escape(s->out, t, strlen(t), false);
}

/* Visits one child node of the frame on top of the stack. */
static int
mb_san__visit(struct mb_san *s, const GumboNode *n)
{
	struct mb_san_frame	*f = &s->stack[s->nstack - 1];
	enum mb_san_ctx		 ctx = f->ctx;
	unsigned		 depth = f->depth;
	const GumboElement	*e;
	enum mb_san_action	 act;
	int			 rc;

	switch (n->type) {
	case GUMBO_NODE_TEXT:
	case GUMBO_NODE_WHITESPACE:
	case GUMBO_NODE_CDATA:
		return mb_san__text(s, n->v.text.text, ctx);
	case GUMBO_NODE_ELEMENT:
		break;
	default:
		return MB_OK;	/* comments, <template>, doctype */
	}
	e = &n->v.element;
	/* SVG and MathML are where the parser-differential attacks live. */
	if (e->tag_namespace != GUMBO_NAMESPACE_HTML)
		return MB_OK;
	act = mb_san__action(e->tag);
	if (act == SAN_DROP)
		return MB_OK;
	if (act == SAN_KEEP && s->text_only)
		act = SAN_UNWRAP;
	if (act == SAN_KEEP && !mb_san__fits(e->tag, ctx)) {
		/*
		 * Inside table structure only table structure survives
		 * a round trip. Stray table parts elsewhere lose their tags.
		 */
		if (ctx != CTX_FLOW)
			return MB_OK;
		act = SAN_UNWRAP;
	}
	if (act == SAN_KEEP && e->tag == GUMBO_TAG_IMG && !mb_san__img_ok(e))
		return MB_OK;
	/*
	 * Past the depth limit tags are flattened. A table needs room for
	 * tbody, tr and td below it, or its cells would be flattened into
	 * text that the parser then moves out of the table.
	 */
	if (act == SAN_KEEP && !mb_san__void(e->tag) &&
	    depth + (e->tag == GUMBO_TAG_TABLE ? 4 : 1) > MB_SANITIZE_MAX_DEPTH) {
		if (ctx != CTX_FLOW)
			return MB_OK;
		act = SAN_UNWRAP;
	}
	if (act == SAN_UNWRAP) {
		if (ctx != CTX_FLOW)
			return MB_OK;
		return mb_san__push(s, n, NULL, ctx, depth);
	}
	if ((rc = mb_san__start_tag(s, e)) != MB_OK)
		return rc;
	if (mb_san__void(e->tag))
		return MB_OK;
	if (e->tag == GUMBO_TAG_PRE)
		s->pre_mark = s->out->len;
	return mb_san__push(s, n, mb_san__name(e->tag),
	    mb_san__child_ctx(e->tag), depth + 1);
}

/* One parse-and-write pass over src[0..len), into out. */
static int
mb_san__pass(const char *src, size_t len, struct mb_buf *out, bool text_only,
    struct mb_diag *d)
{
	GumboOptions		 opt = kGumboDefaultOptions;
	GumboOutput		*g;
	struct mb_san		 s;
	struct mb_san_frame	*f;
	int			 rc = MB_OK;

	memset(&s, 0, sizeof(s));
	s.out = out;
	s.pre_mark = SIZE_MAX;
	s.text_only = text_only;
	/* A fragment in a <div>: the context the output is shown in. */
	opt.fragment_context = GUMBO_TAG_DIV;
	opt.fragment_namespace = GUMBO_NAMESPACE_HTML;
	opt.max_errors = 0;	/* nobody reads them */
	if ((g = gumbo_parse_with_options(&opt, src, len)) == NULL)
		return mb_diag_set(d, MB_ERR_NOMEM, "sanitize: parse failed");
	/* In fragment mode the root <html> holds the fragment's nodes. */
	if ((rc = mb_san__push(&s, g->root, NULL, CTX_FLOW, 0)) != MB_OK)
		goto done;
	while (s.nstack > 0) {
		const GumboVector *kids;

		f = &s.stack[s.nstack - 1];
		kids = &f->node->v.element.children;
		if (f->next < kids->length) {
			const GumboNode *n = kids->data[f->next++];

			if ((rc = mb_san__visit(&s, n)) != MB_OK)
				goto done;
			if (out->len > MB_SANITIZE_MAX_OUTPUT) {
				rc = mb_diag_set(d, MB_ERR_TOOBIG,
				    "sanitize: output over %u bytes",
				    MB_SANITIZE_MAX_OUTPUT);
				goto done;
			}
			continue;
		}
		if (f->close != NULL &&
		    ((rc = mb_buf_puts(out, "</")) != MB_OK ||
		    (rc = mb_buf_puts(out, f->close)) != MB_OK ||
		    (rc = mb_buf_putc(out, '>')) != MB_OK))
			goto done;
		s.nstack--;
	}
	/* Even an empty result is a string. */
	rc = mb_buf_append(out, "", 0);
done:
	if (rc == MB_ERR_NOMEM)
		mb_diag_set(d, rc, "sanitize: out of memory");
	free(s.stack);
	gumbo_destroy_output(&opt, g);
	return rc;
}

/* A 32-bit FNV-1a hash of a lower-cased tag name. */
static uint32_t
mb_san__hash(const char *p, size_t n)
{
	uint32_t h = 2166136261u;

	while (n-- > 0) {
		h ^= (unsigned char)mb_san__lower(*p++);
		h *= 16777619u;
	}
	return h;
}

static bool
mb_san__alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool
mb_san__space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

static bool
mb_san__named(const char *p, size_t n, const char *const *names)
{
	char	 buf[16];
	size_t	 i;

	if (n >= sizeof(buf))
		return false;
	for (i = 0; i < n; i++)
		buf[i] = mb_san__lower(p[i]);
	buf[n] = '\0';
	for (; *names != NULL; names++)
		if (strcmp(buf, *names) == 0)
			return true;
	return false;
}

/*
 * Skips the rest of a tag from s[i] (just past its name) to after its
 * '>', the way the tokenizer does: quoted values may hold '>'.
 */
static size_t
mb_san__skip_tag(const char *s, size_t len, size_t i)
{
	char	 q;

	while (i < len) {
		if (s[i] == '>')
			return i + 1;
		if (s[i] == '=') {
			i++;
			while (i < len && mb_san__space(s[i]))
				i++;
			if (i < len && (s[i] == '"' || s[i] == '\'')) {
				q = s[i++];
				while (i < len && s[i] != q)
					i++;
				i++;
			}
			continue;
		}
		i++;
	}
	return len;
}

/* Skips raw text up to (not past) "</name", case-insensitively. */
static size_t
mb_san__skip_raw(const char *s, size_t len, size_t i, const char *name,
    size_t n)
{
	size_t	 k;

	for (; i + 1 + n < len; i++) {
		if (s[i] != '<' || s[i + 1] != '/')
			continue;
		for (k = 0; k < n; k++)
			if (mb_san__lower(s[i + 2 + k]) != name[k])
				break;
		if (k == n)
			return i;
	}
	return len;
}

/*
 * Estimates, without parsing, whether tags in s nest deeper than limit.
 * gumbo takes time quadratic in the nesting depth (800k nested <div>s
 * run for many minutes), so such input must be refused before it gets
 * there. The estimate pushes each start tag except void elements and
 * elements that close themselves (p, li, td...) and pops only on an end
 * tag matching the top, so it errs high on sloppy HTML, which only makes
 * absurd input be refused.
 */
static bool
mb_san__depth_ok(const char *s, size_t len, size_t limit)
{
	static const char *const nopush[] = {
		"area", "base", "basefont", "bgsound", "br", "col", "embed",
		"frame", "hr", "image", "img", "input", "keygen", "link",
		"meta", "param", "source", "track", "wbr", "p", "li", "dt",
		"dd", "tr", "td", "th", "option", "optgroup", "thead",
		"tbody", "tfoot", "colgroup", "caption", "rb", "rt", "rp",
		"rtc", "html", "head", "body", NULL
	};
	static const char *const raw[] = {
		"script", "style", "xmp", "iframe", "noembed", "noframes",
		"noscript", "textarea", "title", NULL
	};
	uint32_t	 stack[MB_SANITIZE_MAX_PARSE_DEPTH];
	size_t		 depth = 0, i = 0, start, n;
	bool		 end;

	if (limit > MB_SANITIZE_MAX_PARSE_DEPTH)
		limit = MB_SANITIZE_MAX_PARSE_DEPTH;
	while (i < len) {
		if (s[i] != '<' || i + 1 >= len) {
			i++;
			continue;
		}
		if (len - i >= 4 && memcmp(s + i, "<!--", 4) == 0) {
			/* From "<!" so that "<!-->" ends at once, as in HTML. */
			for (i += 2; i + 2 < len && memcmp(s + i, "-->", 3) != 0 &&
			    (i + 3 >= len || memcmp(s + i, "--!>", 4) != 0); i++)
				;
			i += 3;
			continue;
		}
		if (s[i + 1] == '!' || s[i + 1] == '?') {
			const char *e = memchr(s + i, '>', len - i);

			i = e == NULL ? len : (size_t)(e - s) + 1;
			continue;
		}
		end = s[i + 1] == '/';
		start = i + (end ? 2 : 1);
		if (start >= len || !mb_san__alpha(s[start])) {
			i++;
			continue;
		}
		for (n = 0; start + n < len && !mb_san__space(s[start + n]) &&
		    s[start + n] != '/' && s[start + n] != '>'; n++)
			;
		i = mb_san__skip_tag(s, len, start + n);
		if (end) {
			if (depth > 0 &&
			    stack[depth - 1] == mb_san__hash(s + start, n))
				depth--;
			continue;
		}
		if (n == 9 && mb_san__named(s + start, n,
		    (const char *const[]){ "plaintext", NULL }))
			return true;	/* the rest is text */
		if (mb_san__named(s + start, n, raw)) {
			char name[16];
			size_t k;

			for (k = 0; k < n; k++)
				name[k] = mb_san__lower(s[start + k]);
			i = mb_san__skip_raw(s, len, i, name, n);
			continue;
		}
		if (mb_san__named(s + start, n, nopush))
			continue;
		if (depth >= limit)
			return false;
		stack[depth++] = mb_san__hash(s + start, n);
	}
	return true;
}

int
mb_sanitize_html(const char *html, size_t len, struct mb_buf *out,
    struct mb_diag *d)
{
	struct mb_buf	 a = MB_BUF_INIT, b = MB_BUF_INIT, t;
	bool		 same;
	int		 rc, i;

	if (html == NULL && len > 0)
		return mb_diag_set(d, MB_ERR_INVAL, "sanitize: no input");
	if (len > MB_SANITIZE_MAX_INPUT)
		return mb_diag_set(d, MB_ERR_TOOBIG,
		    "sanitize: body of %zu bytes is over the %u byte limit",
		    len, MB_SANITIZE_MAX_INPUT);
	if (!mb_san__depth_ok(html, len, MB_SANITIZE_MAX_PARSE_DEPTH))
		return mb_diag_set(d, MB_ERR_TOOBIG,
		    "sanitize: elements nest more than %d deep",
		    MB_SANITIZE_MAX_PARSE_DEPTH);
	if ((rc = mb_san__pass(html == NULL ? "" : html, len, &a, false,
	    d)) != MB_OK)
		goto fail;
	/*
	 * The output must parse back to the tree that was checked, or what
	 * a browser builds differs from what was sanitized (mutation XSS).
	 * The walk is built to make that so; this proves it for the input
	 * at hand, by sanitizing the output again until nothing changes.
	 * Unwrapping can in rare hostile cases make a structure the parser
	 * rebuilds differently, which the second pass then settles; if
	 * that still does not converge, only the text is kept.
	 *
	 * An input the pass gives back unchanged is such a fixed point
	 * already (the pass is a function of its bytes: a second one would
	 * give them back again), and that is most stored bodies, written
	 * by the newsroom's editor or by an earlier sanitize: one parse
	 * then, not two (a quarter of a mixed reader load's CPU was these
	 * parses, docs/benchmarks.md).
	 */
	same = a.len == len && (len == 0 || memcmp(a.data, html, len) == 0);
	for (i = 0; i < 3 && !same; i++) {
		mb_buf_reset(&b);
		if ((rc = mb_san__pass(a.data, a.len, &b, i == 2, d)) != MB_OK)
			goto fail;
		if (b.len == a.len && memcmp(a.data, b.data, a.len) == 0)
			break;
		t = a;
		a = b;
		b = t;
	}
	if (i == 3) {
		/* Text only is a fixed point; check it like the rest. */
		mb_buf_reset(&b);
		if ((rc = mb_san__pass(a.data, a.len, &b, true, d)) != MB_OK)
			goto fail;
		if (b.len != a.len || memcmp(a.data, b.data, a.len) != 0) {
			rc = mb_diag_set(d, MB_ERR_INVAL,
			    "sanitize: output does not settle");
			goto fail;
		}
	}
	if ((rc = mb_buf_append(out, a.data, a.len)) != MB_OK)
		rc = mb_diag_set(d, rc, "sanitize: out of memory");
fail:
	mb_buf_free(&a);
	mb_buf_free(&b);
	return rc;
}
