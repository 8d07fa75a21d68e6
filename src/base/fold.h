/* SPDX-License-Identifier: MIT */
/* Unicode lower case for keys that must match across backends (topics). */
#ifndef MB_BASE_FOLD_H
#define MB_BASE_FOLD_H

#include <stddef.h>

#include "base/buf.h"

/*
 * Appends s[0..n) to out with every code point in its Unicode simple
 * lower case (utf8proc: "Политика" -> "политика", "É" -> "é"), what
 * PostgreSQL's lower() does in a UTF-8 database; SQLite's lower() folds
 * ASCII alone. out stays NUL-terminated. Malformed bytes are copied as they
 * are. Returns MB_OK or MB_ERR_NOMEM (out unchanged).
 */
int mb_fold_lower(struct mb_buf *out, const char *s, size_t n);

#endif
