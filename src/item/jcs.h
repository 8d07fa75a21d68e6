/* SPDX-License-Identifier: MIT */
/* RFC 8785 JSON Canonicalization Scheme (JCS) over jansson values. */
#ifndef MB_ITEM_JCS_H
#define MB_ITEM_JCS_H

#include <jansson.h>

#include "base/buf.h"
#include "base/err.h"

/*
 * Appends the canonical form of v (borrowed) to out: object members sorted
 * by their names' UTF-16 code units, no whitespace, strings escaped as
 * RFC 8785 §3.2.2.2 says, numbers as ECMAScript's Number.toString.
 * Integers beyond ±2^53 cannot round-trip through an IEEE double and are
 * refused (MB_ERR_INVAL, the diagnostic names the path, e.g.
 * "renditions[0].width"). Strings must be valid UTF-8.
 */
int mb_jcs_dump(const json_t *v, struct mb_buf *out, struct mb_diag *d);

/*
 * Formats a finite double the way ECMAScript's Number.prototype.toString
 * does (shortest round-trip digits; exponent form outside 1e-7..1e21).
 * out must hold at least 32 bytes. MB_ERR_INVAL for NaN and infinities.
 */
int mb_jcs_number(double x, char *out, size_t n);

#endif
