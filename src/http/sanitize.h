/* SPDX-License-Identifier: MIT */
/* An allowlist HTML sanitizer for item bodies shown as HTML. */
#ifndef MB_HTTP_SANITIZE_H
#define MB_HTTP_SANITIZE_H

#include <stddef.h>

struct mb_buf;
struct mb_diag;

/* Inputs larger than this are refused with MB_ERR_TOOBIG. */
#define MB_SANITIZE_MAX_INPUT	(4u * 1024 * 1024)

/*
 * The deepest nesting of non-void elements in the output; elements
 * below it are unwrapped (their text is kept, their tags are not).
 */
#define MB_SANITIZE_MAX_DEPTH	64

/*
 * Inputs whose tags (estimated before parsing) nest deeper than this are
 * refused with MB_ERR_TOOBIG: the HTML parser is quadratic in the depth,
 * and no real news body nests thousands of elements deep.
 */
#define MB_SANITIZE_MAX_PARSE_DEPTH 2048

/* Outputs larger than this fail with MB_ERR_TOOBIG (nothing appended). */
#define MB_SANITIZE_MAX_OUTPUT	(16u * 1024 * 1024)

/*
 * Parses html[0..len) (untrusted; need not be NUL-terminated or valid
 * UTF-8) as a fragment inside a <div> and appends to out an HTML fragment
 * that contains only allowlisted elements, attributes and URL schemes,
 * is UTF-8, and is a fixed point: sanitizing it again gives the same
 * bytes. The output is meant to be placed inside a <div> (or another
 * element that takes flow content) of an HTML document in no-quirks mode.
 *
 * Returns MB_OK; MB_ERR_TOOBIG for input or output over the limits above
 * or nesting too deep; MB_ERR_INVAL for html == NULL with len > 0;
 * MB_ERR_NOMEM. On failure out is unchanged and d says why.
 */
int mb_sanitize_html(const char *html, size_t len, struct mb_buf *out,
    struct mb_diag *d);

#endif
