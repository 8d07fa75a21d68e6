/* SPDX-License-Identifier: MIT */
/* The visible text of an item body (HTML), for indexing. Not a sanitizer. */
#ifndef MB_TEXT_HTML_TEXT_H
#define MB_TEXT_HTML_TEXT_H

#include <stddef.h>

#include "base/buf.h"

/* Bodies larger than this are refused (MB_ERR_TOOBIG). */
#define MB_TEXT_HTML_MAX	(64u * 1024 * 1024)

/*
 * Appends to out the text a reader sees in html[0..len): tags dropped,
 * comments and the contents of script, style, template, noscript, head
 * and title dropped; entities decoded (the common named ones and all
 * numeric ones; invalid code points and noncharacters, U+FFFE and U+FFFF
 * among them, become U+FFFD, raw or referenced); runs of white space
 * become one space; block elements (p, div, br, li, h1-h6, tr, ...) become
 * a line break. Invalid UTF-8 bytes are dropped, so out is valid UTF-8.
 * One pass, no recursion, output no longer than the input. MB_OK,
 * MB_ERR_TOOBIG, MB_ERR_NOMEM.
 */
int mb_text_from_html(const char *html, size_t len, struct mb_buf *out);

/*
 * The same, stopping once more than limit bytes of text were appended
 * (a card's summary needs its first few hundred bytes, not the whole
 * body): what it appends is a prefix of what mb_text_from_html would,
 * at least limit + 1 bytes of it when the text is longer than limit.
 */
int mb_text_from_html_upto(const char *html, size_t len, size_t limit,
    struct mb_buf *out);

#endif
