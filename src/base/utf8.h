/* SPDX-License-Identifier: MIT */
/* UTF-8 checks. */
#ifndef MB_BASE_UTF8_H
#define MB_BASE_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* True when s[0..len) is all ASCII (checked a word at a time). */
bool mb_utf8_ascii(const char *s, size_t len);

/* True when s[0..len) is well-formed UTF-8 (no overlongs, surrogates). */
bool mb_utf8_valid(const char *s, size_t len);

/*
 * Decodes one code point at s (len bytes left). Returns its length in
 * bytes and sets *cp, or returns 0 on a malformed sequence.
 */
size_t mb_utf8_decode(const char *s, size_t len, unsigned *cp);

#endif
