/* SPDX-License-Identifier: MIT */
/* XML 1.0 text out: what the Atom and NewsML-G2 writers share. */
#ifndef MB_BASE_XML_H
#define MB_BASE_XML_H

#include <stdbool.h>

#include "base/buf.h"

/*
 * True when XML 1.0 (§2.2 Char) may carry the code point cp: TAB, LF,
 * CR, U+0020-U+D7FF, U+E000-U+FFFD and U+10000-U+10FFFF. A document
 * with any other, raw or as a character reference, is not well formed.
 */
bool mb_xml_char(unsigned cp);

/*
 * Appends s (UTF-8) as XML text or a double-quoted attribute value:
 * & < > " escaped, CR written as &#13; (a parser would read a raw one
 * as LF), and what XML 1.0 cannot carry dropped: the C0 controls but
 * TAB, LF and CR, U+FFFE, U+FFFF, and bytes that are not UTF-8. Those
 * cannot be escaped either (&#xFFFF; is as fatal as the raw character),
 * and one of them would make a whole feed unreadable. NULL appends
 * nothing. MB_OK or MB_ERR_NOMEM.
 */
int mb_xml_text(struct mb_buf *b, const char *s);

#endif
