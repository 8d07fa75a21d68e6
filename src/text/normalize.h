/* SPDX-License-Identifier: MIT */
/* Search normalization: the form in which text is indexed and queried. */
#ifndef MB_TEXT_NORMALIZE_H
#define MB_TEXT_NORMALIZE_H

#include <stddef.h>

#include "base/buf.h"

/*
 * Appends to out the search form of the UTF-8 text s[0..len):
 *  - NFKC and Unicode case folding (utf8proc);
 *  - Arabic: harakat U+064B-U+065F and U+0670 and tatweel U+0640 removed,
 *    أ إ آ ٱ -> ا, ة -> ه, ى -> ي, Persian ی ک -> ي ك;
 *  - Cyrillic ё -> е;
 *  - Latin letters lose their diacritics (é -> e, ç -> c, ñ -> n, ø -> o,
 *    ł -> l, ı -> i, æ -> ae, œ -> oe, ß -> ss);
 *  - default-ignorable characters (ZWNJ, ZWJ, soft hyphen) removed.
 * Text between words (spaces, punctuation) is kept, so this is usable on
 * whole strings; the tokenizer applies the same fold to each word.
 * lang (a BCP 47 tag, or NULL) does not change the result today: the fold
 * is the same for every language so that a mislabelled item is still
 * found (docs/search.md, "Accents"); it only decides, in the tokenizer,
 * whether stemming comes before or after the accent fold.
 * MB_OK, MB_ERR_INVAL (invalid UTF-8), MB_ERR_NOMEM. On error out may
 * hold part of the result.
 */
int mb_text_normalize(const char *s, size_t len, const char *lang,
    struct mb_buf *out);

#endif
