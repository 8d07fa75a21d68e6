/* SPDX-License-Identifier: MIT */
/*
 * A word diff of two texts, for people to read: what a translator changed
 * in a machine draft, shown when the draft is made again. Words and runs
 * of white space are the units; the common start and end are trimmed,
 * then the longest common subsequence of what is left is found.
 */
#ifndef MB_TEXT_WORDDIFF_H
#define MB_TEXT_WORDDIFF_H

#include <stddef.h>

#include "base/err.h"

enum mb_diff_op { MB_DIFF_SAME, MB_DIFF_DEL, MB_DIFF_INS };

/*
 * Called with runs of the same op in order (a run of DEL before the INS
 * that replaces it); s points into a (SAME, DEL) or b (INS). A non-zero
 * return stops the diff and is returned.
 */
typedef int (*mb_diff_cb)(enum mb_diff_op op, const char *s, size_t len,
    void *arg);

/*
 * Diffs a against b (UTF-8 or any bytes; white space is ASCII's). White
 * space differs from white space only in SAME runs, given as b's. When
 * the part that differs is too large to compare word by word (more than
 * MB_DIFF_MAX_CELLS pairs of words), it is given as one DEL and one INS.
 * MB_OK, MB_ERR_NOMEM, or the callback's return.
 */
#define MB_DIFF_MAX_CELLS (4u * 1024 * 1024)
int mb_word_diff(const char *a, size_t alen, const char *b, size_t blen,
    mb_diff_cb cb, void *arg);

#endif
