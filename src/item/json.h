/* SPDX-License-Identifier: MIT */
/* Parsing JSON into jansson trees fast: yajl's lexer, jansson's verdicts. */
#ifndef MB_ITEM_JSON_H
#define MB_ITEM_JSON_H

#include <stddef.h>

#include <jansson.h>

/*
 * json_loadb() with the same result for every input, several times
 * faster on news items: yajl lexes (about 9 us for a 3.9 KB envelope,
 * against 48-70 us for jansson, whose lexer reads a byte at a time
 * through a stream) and the tree is built with jansson's own calls, so
 * every consumer (the ninjs checks, JCS, templates) is unchanged.
 *
 * Anything yajl and jansson might judge differently goes to json_loadb()
 * itself: input with \u escapes (lone surrogates, \u0000), flags other
 * than JSON_REJECT_DUPLICATES and JSON_DECODE_ANY, and every input the
 * fast path refuses (bad JSON, an integer out of range, duplicate keys,
 * depth), so that errors carry jansson's message and position.
 * tests/fuzz/fuzz_json.c checks the two agree.
 */
json_t *mb_json_loadb(const char *buf, size_t len, size_t flags,
    json_error_t *err);

#endif
