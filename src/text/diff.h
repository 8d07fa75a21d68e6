/* SPDX-License-Identifier: MIT */
/*
 * A readable difference between two texts, as HTML: line by line, and
 * word by word inside a changed line. For the newsroom's comparison of
 * two versions of an item.
 */
#ifndef MB_TEXT_DIFF_H
#define MB_TEXT_DIFF_H

#include <stddef.h>

#include "base/buf.h"

/* What changed, in lines (a changed line counts once each way). */
struct mb_diff_stats {
	size_t	removed;
	size_t	added;
	size_t	same;
};

/*
 * Appends to out the difference from a to b (plain UTF-8 text, lines
 * separated by '\n'; empty lines are ignored): each line a <p>, removed
 * lines <p class="del"><del>, added ones <p class="ins"><ins>, and a
 * line changed in place <p class="chg"> with its removed and added words
 * in <del> and <ins>. The texts are escaped; the only markup is this, so
 * the result is safe to show as it is. Texts too long to compare line
 * by line (more than MB_DIFF_LINES_MAX_CELLS pairs once common starts and ends
 * are set aside) show as wholly removed and added. st may be NULL.
 * MB_OK or MB_ERR_NOMEM.
 */
#define MB_DIFF_LINES_MAX_CELLS (2u * 1024 * 1024)
int mb_diff_lines_html(const char *a, size_t alen, const char *b,
    size_t blen, struct mb_buf *out, struct mb_diff_stats *st);

/* The same for one line of text (a headline): words in <del>/<ins>. */
int mb_diff_words_html(const char *a, size_t alen, const char *b,
    size_t blen, struct mb_buf *out);

#endif
