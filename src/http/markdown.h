/* SPDX-License-Identifier: MIT */
/* The newsroom's writing format: Markdown in, sanitized HTML stored. */
#ifndef MB_HTTP_MARKDOWN_H
#define MB_HTTP_MARKDOWN_H

#include <stddef.h>

struct mb_buf;
struct mb_diag;

/*
 * Markdown as a writer types it (CommonMark through libcmark, one line
 * one paragraph as in a word processor, except where a list or quote
 * goes on) into HTML, run through the sanitizer (sanitize.h) so that
 * what is stored is the body any reader gets. A picture alone on its
 * line, ![caption](src "credit"), becomes a figure: the picture with
 * the caption as its alt text, and under it the caption and the credit.
 * HTML typed in the Markdown is kept as text, never as markup.
 * MB_ERR_TOOBIG (the sanitizer's limits), MB_ERR_NOMEM; out unchanged
 * on failure.
 */
int mb_markdown_to_html(const char *md, size_t len, struct mb_buf *out,
    struct mb_diag *d);

/*
 * The way back, for editing a stored body: HTML of what
 * mb_markdown_to_html makes (paragraphs, headings, bold, italic, links,
 * lists, quotes, line breaks, pictures and figures) into Markdown that
 * makes the same HTML again. MB_ERR_INVAL when the HTML holds anything
 * else (a table, a class of its own): such a body is edited as HTML.
 */
int mb_html_to_markdown(const char *html, size_t len, struct mb_buf *out);

#endif
