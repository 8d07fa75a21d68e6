/* SPDX-License-Identifier: MIT */
/* A one-pass HTML-to-text extractor for the search index. */
#include "text/html_text.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "base/err.h"
#include "base/utf8.h"

enum ws { WS_NONE, WS_SPACE, WS_LINE };

struct ex {
	struct mb_buf	*out;
	enum ws		 pending;	/* white space owed before next text */
	bool		 any;		/* text written yet */
	int		 rc;
};

static void
put(struct ex *x, const char *s, size_t n)
{
	if (x->rc != MB_OK || n == 0)
		return;
	if (x->pending != WS_NONE && x->any)
		x->rc = mb_buf_putc(x->out, x->pending == WS_LINE ? '\n' : ' ');
	x->pending = WS_NONE;
	if (x->rc == MB_OK)
		x->rc = mb_buf_append(x->out, s, n);
	x->any = true;
}

static void
space(struct ex *x, enum ws w)
{
	if (w > x->pending)
		x->pending = w;
}

/*
 * Unicode's noncharacters (U+FDD0-U+FDEF, and the last two of every
 * plane): XML forbids U+FFFE and U+FFFF, and the text is what feeds'
 * summaries are made of.
 */
static bool
nonchar(uint32_t c)
{
	return (c >= 0xfdd0 && c <= 0xfdef) || (c & 0xfffe) == 0xfffe;
}

static void
put_cp(struct ex *x, uint32_t c)
{
	char	b[4];
	size_t	n;

	/* What the sanitizer (gumbo) makes of a raw one: U+FFFD. */
	if (c == 0 || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff) ||
	    nonchar(c))
		c = 0xfffd;
	if (c <= 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == 0xa0) {
		space(x, WS_SPACE);
		return;
	}
	if (c < 0x80) {
		b[0] = (char)c;
		n = 1;
	} else if (c < 0x800) {
		b[0] = (char)(0xc0 | (c >> 6));
		b[1] = (char)(0x80 | (c & 0x3f));
		n = 2;
	} else if (c < 0x10000) {
		b[0] = (char)(0xe0 | (c >> 12));
		b[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		b[2] = (char)(0x80 | (c & 0x3f));
		n = 3;
	} else {
		b[0] = (char)(0xf0 | (c >> 18));
		b[1] = (char)(0x80 | ((c >> 12) & 0x3f));
		b[2] = (char)(0x80 | ((c >> 6) & 0x3f));
		b[3] = (char)(0x80 | (c & 0x3f));
		n = 4;
	}
	put(x, b, n);
}

static const struct { const char *name; uint32_t cp; } entities[] = {
	{ "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' },
	{ "apos", '\'' }, { "nbsp", 0xa0 }, { "shy", 0xad },
	{ "mdash", 0x2014 }, { "ndash", 0x2013 }, { "hellip", 0x2026 },
	{ "laquo", 0xab }, { "raquo", 0xbb }, { "lsquo", 0x2018 },
	{ "rsquo", 0x2019 }, { "ldquo", 0x201c }, { "rdquo", 0x201d },
	{ "sbquo", 0x201a }, { "bdquo", 0x201e }, { "bull", 0x2022 },
	{ "middot", 0xb7 }, { "copy", 0xa9 }, { "reg", 0xae },
	{ "trade", 0x2122 }, { "euro", 0x20ac }, { "pound", 0xa3 },
	{ "yen", 0xa5 }, { "cent", 0xa2 }, { "deg", 0xb0 },
	{ "times", 0xd7 }, { "divide", 0xf7 }, { "frac12", 0xbd },
	{ "thinsp", 0x2009 }, { "ensp", 0x2002 }, { "emsp", 0x2003 },
	{ "zwnj", 0x200c }, { "zwj", 0x200d }, { "lrm", 0x200e },
	{ "rlm", 0x200f }, { "sect", 0xa7 }, { "para", 0xb6 },
	{ "agrave", 0xe0 }, { "aacute", 0xe1 }, { "acirc", 0xe2 },
	{ "atilde", 0xe3 }, { "auml", 0xe4 }, { "ccedil", 0xe7 },
	{ "egrave", 0xe8 }, { "eacute", 0xe9 }, { "ecirc", 0xea },
	{ "euml", 0xeb }, { "iacute", 0xed }, { "icirc", 0xee },
	{ "iuml", 0xef }, { "ntilde", 0xf1 }, { "oacute", 0xf3 },
	{ "ocirc", 0xf4 }, { "otilde", 0xf5 }, { "ouml", 0xf6 },
	{ "uacute", 0xfa }, { "ugrave", 0xf9 }, { "ucirc", 0xfb },
	{ "uuml", 0xfc }, { "szlig", 0xdf }, { "Eacute", 0xc9 },
	{ "Agrave", 0xc0 }, { "Ccedil", 0xc7 }, { "Ouml", 0xd6 },
	{ "Uuml", 0xdc }, { "Auml", 0xc4 },
};

/* Decodes the entity at s[0..len) (s[0] == '&'); returns bytes used, or
 * 0 when it is not one (the '&' is then literal). */
static size_t
entity(const char *s, size_t len, uint32_t *cp)
{
	size_t		i = 1, start;
	uint32_t	c = 0;

	if (len > 1 && s[1] == '#') {
		bool hex = len > 2 && (s[2] == 'x' || s[2] == 'X');
		i = hex ? 3 : 2;
		start = i;
		for (; i < len && i < start + 8; i++) {
			unsigned char d = (unsigned char)s[i];
			if (d >= '0' && d <= '9')
				c = c * (hex ? 16 : 10) + (d - '0');
			else if (hex && (d | 0x20) >= 'a' && (d | 0x20) <= 'f')
				c = c * 16 + ((d | 0x20) - 'a' + 10);
			else
				break;
		}
		if (i == start)
			return 0;
		if (i < len && s[i] == ';')
			i++;
		*cp = c > 0x10ffff ? 0xfffd : c;
		return i;
	}
	start = 1;
	while (i < len && i < 12 && (((s[i] | 0x20) >= 'a' &&
	    (s[i] | 0x20) <= 'z') || (s[i] >= '0' && s[i] <= '9')))
		i++;
	if (i == start)
		return 0;
	for (size_t k = 0; k < sizeof(entities) / sizeof(entities[0]); k++) {
		if (strlen(entities[k].name) == i - 1 &&
		    memcmp(entities[k].name, s + 1, i - 1) == 0) {
			*cp = entities[k].cp;
			return i < len && s[i] == ';' ? i + 1 : i;
		}
	}
	return 0;
}

static bool
is_block(const char *n, size_t len)
{
	static const char *const block[] = { "p", "div", "br", "li", "ul",
	    "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th",
	    "table", "thead", "tbody", "tfoot", "blockquote", "section",
	    "article", "header", "footer", "figure", "figcaption", "pre",
	    "hr", "dd", "dt", "dl", "aside", "nav", "main", "address",
	    "caption", "form", "fieldset", "legend", "details", "summary",
	    "option", "iframe", "img", "video", "audio", "body", "html",
	    NULL };

	for (int i = 0; block[i] != NULL; i++)
		if (strlen(block[i]) == len && strncasecmp(block[i], n, len) == 0)
			return true;
	return false;
}

static bool
is_hidden(const char *n, size_t len)
{
	static const char *const hidden[] = { "script", "style", "template",
	    "noscript", "head", "title", "svg", "math", "textarea", NULL };

	for (int i = 0; hidden[i] != NULL; i++)
		if (strlen(hidden[i]) == len &&
		    strncasecmp(hidden[i], n, len) == 0)
			return true;
	return false;
}

/* Finds "</name" (any case) at or after i; returns its index or len. */
static size_t
find_close(const char *s, size_t len, size_t i, const char *n, size_t nl)
{
	for (; i + 2 + nl <= len; i++)
		if (s[i] == '<' && s[i + 1] == '/' &&
		    strncasecmp(s + i + 2, n, nl) == 0)
			return i;
	return len;
}

/* Skips a tag starting at s[i] == '<'; returns the index after '>'. */
static size_t
skip_tag(const char *s, size_t len, size_t i)
{
	char	q = 0;

	for (i++; i < len; i++) {
		if (q != 0) {
			if (s[i] == q)
				q = 0;
		} else if (s[i] == '"' || s[i] == '\'') {
			q = s[i];
		} else if (s[i] == '>') {
			return i + 1;
		}
	}
	return len;
}

/* The white space a non-ASCII code point is to the extractor, if any. */
static enum ws
cp_space(unsigned cp)
{
	if (cp == 0x2028 || cp == 0x2029)
		return WS_LINE;
	if (cp == 0xa0 || (cp >= 0x2000 && cp <= 0x200a) || cp == 0x202f ||
	    cp == 0x3000 || cp == 0x85)
		return WS_SPACE;
	return WS_NONE;
}

/*
 * The end of the run of ordinary text at s[i]: printable ASCII but '<'
 * and '&', and valid UTF-8 sequences that are neither white space nor
 * noncharacters (three bytes from 0xef are checked by decoding them).
 */
static size_t
text_run(const char *s, size_t len, size_t i)
{
	unsigned	cp;
	size_t		n;

	while (i < len) {
		unsigned char d = (unsigned char)s[i];

		if (d < 0x80) {
			if (d <= 0x20 || d == '<' || d == '&' || d == 0x7f)
				break;
			i++;
			continue;
		}
		/* Two and three bytes (most scripts) on their bytes. */
		if (d >= 0xc2 && d <= 0xdf && len - i >= 2 &&
		    ((unsigned char)s[i + 1] & 0xc0) == 0x80) {
			if (d == 0xc2 && (s[i + 1] == '\x85' ||
			    s[i + 1] == '\xa0'))
				break;
			i += 2;
			continue;
		}
		if (d >= 0xe0 && d <= 0xef && len - i >= 3 &&
		    ((unsigned char)s[i + 1] & 0xc0) == 0x80 &&
		    ((unsigned char)s[i + 2] & 0xc0) == 0x80 &&
		    (d != 0xe0 || (unsigned char)s[i + 1] >= 0xa0) &&
		    (d != 0xed || (unsigned char)s[i + 1] < 0xa0) &&
		    d != 0xe2 && d != 0xe3 && d != 0xef) {
			i += 3;
			continue;
		}
		if ((n = mb_utf8_decode(s + i, len - i, &cp)) == 0 ||
		    cp_space(cp) != WS_NONE || nonchar(cp))
			break;
		i += n;
	}
	return i;
}

int
mb_text_from_html(const char *s, size_t len, struct mb_buf *out)
{
	return mb_text_from_html_upto(s, len, SIZE_MAX, out);
}

int
mb_text_from_html_upto(const char *s, size_t len, size_t limit,
    struct mb_buf *out)
{
	struct ex	x = { out, WS_NONE, false, MB_OK };
	size_t		i = 0, n, start = out->len;
	unsigned	cp;

	if (len > MB_TEXT_HTML_MAX)
		return MB_ERR_TOOBIG;
	/* Output is never longer than the input, nor (much) the limit. */
	if ((x.rc = mb_buf_reserve(out, limit < len ? limit + 64 : len)) !=
	    MB_OK)
		return x.rc;
	while (i < len && x.rc == MB_OK && out->len - start <= limit) {
		unsigned char c = (unsigned char)s[i];

		/*
		 * A run of ordinary text is written with one append, not a
		 * call a character (a third of an item's preparation went
		 * there): the same bytes the cases below would write one by
		 * one, up to the first that needs one of them.
		 */
		if (c > 0x20 && c != '<' && c != '&' && c != 0x7f) {
			size_t r = text_run(s, len, i);

			if (r > i) {
				put(&x, s + i, r - i);
				i = r;
				continue;
			}
		}
		if (c == '<') {
			size_t j = i + 1, ns, nl;
			bool close = false;

			if (j < len && s[j] == '!') {
				if (len - j >= 3 && memcmp(s + j, "!--", 3) == 0) {
					const char *e = memmem(s + j + 3,
					    len - j - 3, "-->", 3);
					i = e ? (size_t)(e - s) + 3 : len;
				} else {
					i = skip_tag(s, len, i);
				}
				continue;
			}
			if (j < len && s[j] == '/') {
				close = true;
				j++;
			}
			ns = j;
			while (j < len && ((((unsigned char)s[j] | 0x20) >= 'a' &&
			    ((unsigned char)s[j] | 0x20) <= 'z') ||
			    (s[j] >= '0' && s[j] <= '9')))
				j++;
			nl = j - ns;
			if (nl == 0 && !(j < len && s[j] == '?')) {
				put(&x, "<", 1);	/* "a < b" */
				i++;
				continue;
			}
			i = skip_tag(s, len, i);
			if (is_block(s + ns, nl))
				space(&x, WS_LINE);
			if (!close && is_hidden(s + ns, nl) &&
			    s[i - 2] != '/') {
				i = find_close(s, len, i, s + ns, nl);
				i = i < len ? skip_tag(s, len, i) : len;
			}
			continue;
		}
		if (c == '&') {
			uint32_t ec;
			if ((n = entity(s + i, len - i, &ec)) > 0) {
				put_cp(&x, ec);
				i += n;
				continue;
			}
			put(&x, "&", 1);
			i++;
			continue;
		}
		if (c < 0x80) {
			if (c <= 0x20 || c == 0x7f)
				space(&x, WS_SPACE);
			else
				put(&x, s + i, 1);
			i++;
			continue;
		}
		if ((n = mb_utf8_decode(s + i, len - i, &cp)) == 0) {
			i++;		/* invalid byte: dropped */
			continue;
		}
		if (cp_space(cp) != WS_NONE)
			space(&x, cp_space(cp));
		else if (nonchar(cp))
			put_cp(&x, cp);		/* U+FFFD */
		else
			put(&x, s + i, n);
		i += n;
	}
	if (x.rc == MB_OK)
		x.rc = mb_buf_append(out, "", 0);	/* the terminator */
	return x.rc;
}
