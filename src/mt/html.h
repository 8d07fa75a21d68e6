/* SPDX-License-Identifier: MIT */
/* Private to src/mt: HTML tokens, kinds of elements, and text (html.c). */
#ifndef MB_MT_HTML_H
#define MB_MT_HTML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"

enum tok_kind { T_EOF, T_TEXT, T_OPEN, T_CLOSE, T_COMMENT };

/* One token of HTML: text, a tag, or a comment (also <!...> and <?...>). */
struct tok {
	enum tok_kind	kind;
	size_t		off, end;	/* the token's bytes */
	char		name[16];	/* lower case; "" when too long */
	bool		selfclose;	/* <x ... /> */
	bool		noxlate;	/* translate="no", class notranslate */
	long		mb;		/* the mb="N" attribute, or -1 */
};

/*
 * Reading one text from its start. Once a tag runs to the end of the text
 * without its '>' (an open quote, say), every later "<x" is text: looking
 * for the end of each again would make "<a <a <a ... x=\"" quadratic.
 * Both sides of a translation are read the same way, so they agree.
 */
struct lex {
	const char	*s;
	size_t		 len;
	bool		 tail;	/* no tag from here on */
};

void mb_mt__lex_init(struct lex *lx, const char *s, size_t len);

/*
 * The token at pos. A '<' that does not start complete markup is text, as
 * a browser reads it. No recursion; linear in the text read.
 */
void mb_mt__next_tok(struct lex *lx, size_t pos, struct tok *t);

/* Where the element opened by t ends (after its closing tag, or len). */
size_t mb_mt__element_end(struct lex *lx, const struct tok *t);

bool mb_mt__in_list(const char *name, const char *const *list);
bool mb_mt__is_space(char c);

/* Phrasing elements: they stay inside a segment. */
extern const char *const mb_mt__inline_names[];
/* Void elements among them (<br>, <img>, <wbr>). */
extern const char *const mb_mt__void_names[];
/* Inline elements whose content is never translated (code, kbd, ...). */
extern const char *const mb_mt__hold_names[];
/* Elements whose content is not HTML (script, style, textarea, ...). */
extern const char *const mb_mt__raw_names[];
/* Blocks whose content is never translated (pre, template, ...). */
extern const char *const mb_mt__keep_names[];
/* Every void element. */
extern const char *const mb_mt__all_void_names[];

/*
 * Appends the text of s[0..len): references decoded when html, runs of
 * white space made one space when collapse, invalid UTF-8 made U+FFFD,
 * and the whole in NFC.
 */
int mb_mt__decode_text(const char *s, size_t len, bool html, bool collapse,
    struct mb_buf *out);

/* Appends s with &, < and > escaped. */
int mb_mt__escape(struct mb_buf *b, const char *s, size_t len);

/* True when s holds a letter (Unicode category L). */
bool mb_mt__has_letter(const char *s, size_t len);

#endif
