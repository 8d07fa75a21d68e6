/* SPDX-License-Identifier: MIT */
/* The reader's query language, translated into an FTS5 MATCH expression
 * for tables tokenized by "mb". */
#ifndef MB_TEXT_QUERY_H
#define MB_TEXT_QUERY_H

#include <stddef.h>

#include "base/buf.h"
#include "base/err.h"

#define MB_TEXT_QUERY_MAX_TERMS	32	/* words and phrases */
#define MB_TEXT_QUERY_MAX_BYTES	2048

/*
 * Translates the reader's query q[0..len) (UTF-8) into an FTS5 MATCH
 * expression, appended to out (NUL-terminated; it contains \x1f bytes, so
 * bind it as a parameter, never paste it into SQL). The syntax:
 *
 *   word word     both (AND)          "a phrase"   the words in a row
 *   -word         not this word       -"a phrase"  not this phrase
 *   a OR b        either (upper-case OR, binds tighter than AND)
 *   word*         words starting so   NOT word     same as -word
 *
 * Anything else (parentheses, colons, NEAR, ^, stray * or quotes) is
 * just text: every term is emitted as a quoted FTS5 string, so FTS5
 * syntax cannot be injected and the result always parses.
 *
 * lang is the query's language (BCP 47; NULL or "und": unknown). Each
 * term is searched stemmed in lang when its script fits lang, and always
 * also unstemmed (for items in languages without a stemmer); a term whose
 * script does not fit (or with no lang) is searched in the languages of
 * its script: Latin en, fr, es, pt; Cyrillic ru; Arabic ar; Devanagari hi.
 *
 * MB_ERR_INVAL (invalid UTF-8, no words, only excluded words),
 * MB_ERR_TOOBIG (more than MB_TEXT_QUERY_MAX_TERMS terms or
 * MB_TEXT_QUERY_MAX_BYTES bytes), MB_ERR_NOMEM; d says which.
 */
int mb_text_query_translate(const char *q, size_t len, const char *lang,
    struct mb_buf *out, struct mb_diag *d);

/*
 * As mb_text_query_translate(), but a term in lang's script is stemmed in
 * lang and also in the languages of its script, so a word typed as an item
 * has it is found whatever the item's language (the site's search, where
 * lang is only the reader's page, not the query's language).
 */
int mb_text_query_translate_wide(const char *q, size_t len,
    const char *lang, struct mb_buf *out, struct mb_diag *d);

/*
 * The language of a short query by its script alone ("ar", "ru", "hi",
 * "zh", ...), or "und" (Latin script, or no letters). Static string.
 */
const char *mb_text_detect_query_lang(const char *q, size_t len);

#endif
