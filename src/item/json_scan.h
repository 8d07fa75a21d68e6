/* SPDX-License-Identifier: MIT */
/* A bounded pre-scan of JSON text: depth, values and token length, before any tree is built. */
#ifndef MB_ITEM_JSON_SCAN_H
#define MB_ITEM_JSON_SCAN_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"

/*
 * jansson builds a tree of small allocations: an empty object costs about
 * 240 bytes, so 8 MB of "[{},{},...]" becomes over 600 MB. The scan reads
 * the text a byte at a time with no allocation and says whether a parse
 * would stay within limits, so the tree is only built when it is small.
 * It can be fed in pieces as a body arrives (the verdict is the same
 * however the text is cut), so an HTTP request is refused while it
 * streams in.
 *
 * It is lexical, not a parser: it counts what it sees outside strings
 * and leaves the judgement of well-formedness to the parser. A value is
 * every string (member names too: each costs as much), number, literal,
 * object and array. Lengths are in bytes as sent (escapes included), an
 * upper bound of the decoded length.
 */
struct mb_json_limits {
	size_t	depth;		/* open [ and { at once */
	size_t	values;		/* values and member names in all */
	size_t	token;		/* bytes in one string, number or literal */
};

struct mb_json_scan {
	struct mb_json_limits	lim;
	size_t			depth;
	size_t			values;
	size_t			token;		/* length of the current token */
	unsigned char		in_str;		/* inside "…" */
	unsigned char		esc;		/* after a backslash in one */
	unsigned char		in_scalar;	/* inside a number or literal */
	int			err;		/* MB_OK, or the first verdict */
	char			why[120];	/* what was over, for a message */
};

/* Starts a scan with the given limits (0 means no limit on that one). */
void mb_json_scan_init(struct mb_json_scan *s, const struct mb_json_limits *l);

/*
 * Scans the next piece of text. MB_OK so far; MB_ERR_TOOBIG once a limit
 * is passed (and for every later piece), with the reason in d and s->why.
 */
int mb_json_scan_feed(struct mb_json_scan *s, const char *buf, size_t len,
    struct mb_diag *d);

/* The whole text at once: mb_json_scan_init() and one feed. */
int mb_json_scan(const char *buf, size_t len, const struct mb_json_limits *l,
    struct mb_diag *d);

#endif
