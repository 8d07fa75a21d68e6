/* SPDX-License-Identifier: MIT */
/* Reading HTML as tokens, deciding what elements are, and the text between
 * them: the pieces segment.c cuts documents with. Not a sanitizer. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <utf8proc.h>

#include "base/utf8.h"
#include "mt/html.h"
#include "mt/mt_int.h"

/* ---- tokens -------------------------------------------------------------- */

static bool
is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool
mb_mt__is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static bool
word_in(const char *s, size_t n, const char *word)
{
	size_t	wl = strlen(word), i = 0;

	while (i < n) {
		size_t start;

		while (i < n && mb_mt__is_space(s[i]))
			i++;
		start = i;
		while (i < n && !mb_mt__is_space(s[i]))
			i++;
		if (i - start == wl && strncasecmp(s + start, word, wl) == 0)
			return true;
	}
	return false;
}

/* The attributes of an open tag from p (after the name) to its '>'. */
static bool
scan_attrs(const char *s, size_t len, size_t *pos, struct tok *t)
{
	size_t i = *pos;

	for (;;) {
		size_t	ns, nl, vs = 0, vl = 0;

		while (i < len && (mb_mt__is_space(s[i]) || s[i] == '/')) {
			if (s[i] == '/' && i + 1 < len && s[i + 1] == '>')
				t->selfclose = true;
			i++;
		}
		if (i >= len)
			return false;
		if (s[i] == '>') {
			*pos = i + 1;
			return true;
		}
		ns = i;
		while (i < len && !mb_mt__is_space(s[i]) && s[i] != '/' &&
		    s[i] != '>' && s[i] != '=')
			i++;
		nl = i - ns;
		while (i < len && mb_mt__is_space(s[i]))
			i++;
		if (i < len && s[i] == '=') {
			i++;
			while (i < len && mb_mt__is_space(s[i]))
				i++;
			if (i < len && (s[i] == '"' || s[i] == '\'')) {
				char	q = s[i++];

				vs = i;
				while (i < len && s[i] != q)
					i++;
				if (i >= len)
					return false;
				vl = i++ - vs;
			} else {
				vs = i;
				while (i < len && !mb_mt__is_space(s[i]) &&
				    s[i] != '>')
					i++;
				vl = i - vs;
			}
		}
		if (nl == 9 && strncasecmp(s + ns, "translate", 9) == 0 &&
		    vl == 2 && strncasecmp(s + vs, "no", 2) == 0)
			t->noxlate = true;
		else if (nl == 5 && strncasecmp(s + ns, "class", 5) == 0 &&
		    word_in(s + vs, vl, "notranslate"))
			t->noxlate = true;
		else if (nl == 2 && strncasecmp(s + ns, "mb", 2) == 0 &&
		    vl > 0 && vl < 8) {
			t->mb = 0;
			for (size_t k = 0; k < vl; k++) {
				if (s[vs + k] < '0' || s[vs + k] > '9') {
					t->mb = -1;
					break;
				}
				t->mb = t->mb * 10 + (s[vs + k] - '0');
			}
		}
	}
}

void
mb_mt__lex_init(struct lex *lx, const char *s, size_t len)
{
	lx->s = s;
	lx->len = len;
	lx->tail = false;
}

void
mb_mt__next_tok(struct lex *lx, size_t pos, struct tok *t)
{
	const char	*s = lx->s;
	size_t		 len = lx->len, i = pos;

	memset(t, 0, sizeof(*t));
	t->mb = -1;
	t->off = pos;
	if (pos >= len) {
		t->kind = T_EOF;
		t->end = pos;
		return;
	}
	if (s[i] == '<' && i + 1 < len) {
		if (!lx->tail && (is_alpha(s[i + 1]) ||
		    (s[i + 1] == '/' && i + 2 < len && is_alpha(s[i + 2])))) {
			bool	close = s[i + 1] == '/';
			size_t	ns = i + (close ? 2 : 1), k = ns;

			while (k < len && (is_alpha(s[k]) ||
			    (s[k] >= '0' && s[k] <= '9') || s[k] == '-' ||
			    s[k] == ':'))
				k++;
			if (k - ns < sizeof(t->name))
				for (size_t j = ns; j < k; j++)
					t->name[j - ns] = (char)(s[j] | 0x20);
			if (close) {
				const char *gt = memchr(s + k, '>', len - k);

				if (gt != NULL) {
					t->kind = T_CLOSE;
					t->end = (size_t)(gt - s) + 1;
					return;
				}
			} else if (scan_attrs(s, len, &k, t)) {
				t->kind = T_OPEN;
				t->end = k;
				return;
			}
			/* It ran to the end: no tag from here on. */
			lx->tail = true;
			memset(t->name, 0, sizeof(t->name));
			t->selfclose = t->noxlate = false;
			t->mb = -1;
		} else if (s[i + 1] == '!' || s[i + 1] == '?') {
			const char *e;

			if (len - i >= 4 && memcmp(s + i, "<!--", 4) == 0) {
				e = memmem(s + i + 4, len - i - 4, "-->", 3);
				t->end = e != NULL ? (size_t)(e - s) + 3 : len;
			} else {
				e = memchr(s + i, '>', len - i);
				t->end = e != NULL ? (size_t)(e - s) + 1 : len;
			}
			t->kind = T_COMMENT;
			return;
		}
	}
	/* Text: up to the next '<' that starts markup. */
	t->kind = T_TEXT;
	for (i = pos + 1; i < len; i++) {
		if (s[i] != '<' || i + 1 >= len)
			continue;
		if (s[i + 1] == '!' || s[i + 1] == '?' || (!lx->tail &&
		    (is_alpha(s[i + 1]) || (s[i + 1] == '/' && i + 2 < len &&
		    is_alpha(s[i + 2])))))
			break;
	}
	t->end = i;
}

/* ---- what elements are --------------------------------------------------- */

bool
mb_mt__in_list(const char *name, const char *const *list)
{
	for (; *list != NULL; list++)
		if (strcmp(name, *list) == 0)
			return true;
	return false;
}

/* Phrasing elements: they stay inside a segment. */
const char *const mb_mt__inline_names[] = { "a", "abbr", "acronym", "b",
	"bdi", "bdo", "big", "br", "cite", "data", "del", "dfn", "em", "font",
	"i", "img", "ins", "label", "mark", "q", "s", "small", "span",
	"strike", "strong", "sub", "sup", "time", "tt", "u", "wbr", NULL };
/* Void elements among them. */
const char *const mb_mt__void_names[] = { "br", "img", "wbr", NULL };
/* Inline elements whose content is never translated: a placeholder. */
const char *const mb_mt__hold_names[] = { "code", "kbd", "samp", "var",
	"math", "svg", NULL };
/* Elements whose content is not HTML: find "</name". */
const char *const mb_mt__raw_names[] = { "script", "style", "textarea",
	"title", "xmp", "iframe", "noembed", "noframes", "noscript", NULL };
/* Blocks whose content is never translated. */
const char *const mb_mt__keep_names[] = { "pre", "template", "object",
	"video", "audio", "canvas", "select", "head", NULL };
/* Void elements anywhere (no closing tag to look for). */
const char *const mb_mt__all_void_names[] = { "area", "base", "br", "col",
	"embed", "hr", "img", "input", "link", "meta", "param", "source",
	"track", "wbr", NULL };

size_t
mb_mt__element_end(struct lex *lx, const struct tok *t)
{
	const char	*s = lx->s;
	size_t		 len = lx->len, pos = t->end, nl = strlen(t->name);
	int		 depth = 1;
	struct tok	 u;

	if (t->selfclose || t->name[0] == '\0' ||
	    mb_mt__in_list(t->name, mb_mt__all_void_names))
		return t->end;
	if (mb_mt__in_list(t->name, mb_mt__raw_names)) {
		for (size_t i = pos; i + 2 + nl <= len; i++)
			if (s[i] == '<' && s[i + 1] == '/' &&
			    strncasecmp(s + i + 2, t->name, nl) == 0) {
				const char *gt = memchr(s + i, '>', len - i);

				return gt != NULL ? (size_t)(gt - s) + 1 : len;
			}
		return len;
	}
	while (pos < len) {
		mb_mt__next_tok(lx, pos, &u);
		if (u.kind == T_OPEN && strcmp(u.name, t->name) == 0 &&
		    !u.selfclose)
			depth++;
		else if (u.kind == T_CLOSE && strcmp(u.name, t->name) == 0 &&
		    --depth == 0)
			return u.end;
		else if (u.kind == T_OPEN &&
		    mb_mt__in_list(u.name, mb_mt__raw_names))
			u.end = mb_mt__element_end(lx, &u);
		pos = u.end;
	}
	return len;
}

/* ---- text ---------------------------------------------------------------- */

int
mb_mt__put_cp(struct mb_buf *b, uint32_t cp)
{
	utf8proc_uint8_t	u[4];
	utf8proc_ssize_t	n;

	if (cp == 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		cp = 0xfffd;
	n = utf8proc_encode_char((utf8proc_int32_t)cp, u);
	return mb_buf_append(b, u, (size_t)n);
}

/* Decodes the reference at s (s[0] == '&'); bytes used, 0 if none. */
static size_t
entity_at(const char *s, size_t len, uint32_t *cp)
{
	size_t		i;
	uint32_t	c = 0;

	if (len > 2 && s[1] == '#') {
		bool hex = s[2] == 'x' || s[2] == 'X';

		i = hex ? 3 : 2;
		for (size_t start = i; i < len && i < start + 8; i++) {
			unsigned d = (unsigned char)s[i];

			if (d >= '0' && d <= '9')
				c = c * (hex ? 16 : 10) + (d - '0');
			else if (hex && (d | 0x20) >= 'a' && (d | 0x20) <= 'f')
				c = c * 16 + ((d | 0x20) - 'a' + 10);
			else
				break;
		}
		if (i == (hex ? 3u : 2u))
			return 0;
		*cp = c;
		return i < len && s[i] == ';' ? i + 1 : i;
	}
	for (i = 1; i < len && i < 10 && (is_alpha(s[i]) ||
	    (s[i] >= '0' && s[i] <= '9')); i++)
		;
	if (i == 1 || i >= len || s[i] != ';')
		return 0;
	if (i == 5 && memcmp(s + 1, "apos", 4) == 0)
		c = '\'';
	else
		c = mb_mt__entity(s + 1, i - 1);
	if (c == 0)
		return 0;
	*cp = c;
	return i + 1;
}

int
mb_mt__decode_text(const char *s, size_t len, bool html, bool collapse,
    struct mb_buf *out)
{
	struct mb_buf	tmp = MB_BUF_INIT;
	utf8proc_uint8_t *nfc;
	int		rc = MB_OK;
	bool		sp = false;

	for (size_t i = 0; i < len && rc == MB_OK;) {
		uint32_t	cp;
		unsigned	u;
		size_t		n;

		if (collapse && mb_mt__is_space(s[i])) {
			if (!sp)
				rc = mb_buf_putc(&tmp, ' ');
			sp = true;
			i++;
			continue;
		}
		sp = false;
		if (html && s[i] == '&' && (n = entity_at(s + i, len - i,
		    &cp)) > 0) {
			rc = mb_mt__put_cp(&tmp, cp);
			i += n;
		} else if ((n = mb_utf8_decode(s + i, len - i, &u)) > 0) {
			rc = mb_buf_append(&tmp, s + i, n);
			i += n;
		} else {
			rc = mb_mt__put_cp(&tmp, 0xfffd);
			i++;
		}
	}
	if (rc != MB_OK || tmp.len == 0) {
		mb_buf_free(&tmp);
		return rc;
	}
	nfc = utf8proc_NFC((const utf8proc_uint8_t *)tmp.data);
	mb_buf_free(&tmp);
	if (nfc == NULL)
		return MB_ERR_NOMEM;
	rc = mb_buf_puts(out, (const char *)nfc);
	free(nfc);
	return rc;
}

int
mb_mt__escape(struct mb_buf *b, const char *s, size_t len)
{
	int	rc = MB_OK;
	size_t	run = 0;

	for (size_t i = 0; i < len && rc == MB_OK; i++) {
		const char *rep = s[i] == '&' ? "&amp;" : s[i] == '<' ?
		    "&lt;" : s[i] == '>' ? "&gt;" : NULL;

		if (rep == NULL)
			continue;
		if ((rc = mb_buf_append(b, s + run, i - run)) == MB_OK)
			rc = mb_buf_puts(b, rep);
		run = i + 1;
	}
	return rc == MB_OK ? mb_buf_append(b, s + run, len - run) : rc;
}

bool
mb_mt__has_letter(const char *s, size_t len)
{
	for (size_t i = 0; i < len;) {
		utf8proc_int32_t	cp;
		utf8proc_ssize_t	n;

		n = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
		    (utf8proc_ssize_t)(len - i), &cp);
		if (n <= 0)
			return false;
		switch (utf8proc_category(cp)) {
		case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL:
		case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
		case UTF8PROC_CATEGORY_LO:
			return true;
		default:
			break;
		}
		i += (size_t)n;
	}
	return false;
}
