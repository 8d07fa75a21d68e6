/* SPDX-License-Identifier: MIT */
/* Search hits marked with sentinel bytes, turned into safe HTML. */
#ifndef MB_TEXT_HIGHLIGHT_H
#define MB_TEXT_HIGHLIGHT_H

#include <stddef.h>

#include "base/buf.h"

/*
 * Appends s[0..len) to out as HTML text: & < > " ' escaped, the store's
 * hit sentinels ('\x02' open, '\x03' close: MB_STORE_HIT_OPEN/CLOSE)
 * turned into <mark> and </mark>, always balanced (a stray close is
 * dropped, an open one is closed at the end, a nested open is ignored),
 * and other control bytes but tab and newline dropped, so that text a
 * writer put in an item can never make markup. MB_OK or MB_ERR_NOMEM.
 */
int mb_text_marks_to_html(const char *s, size_t len, struct mb_buf *out);

/*
 * Plain text: the sentinels and other control bytes but tab and newline
 * dropped, nothing escaped (for terminals and plain-text output).
 */
int mb_text_marks_strip(const char *s, size_t len, struct mb_buf *out);

#endif
