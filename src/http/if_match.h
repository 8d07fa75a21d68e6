/* SPDX-License-Identifier: MIT */
/*
 * If-Match (RFC 9110 §13.1.1) as the newsroom service's precondition. It
 * stands alone, with no libmicrohttpd, so that the fuzzer links only it.
 */
#ifndef MB_HTTP_IF_MATCH_H
#define MB_HTTP_IF_MATCH_H

#include "newsroom/items.h"

/*
 * Reads an If-Match value into the versions it names: the ETags GET sent
 * for an item ("N", "N-gzip"), a list of them, "*", or a bare version N
 * as earlier clients sent. Weak tags (W/"N") and tags this server never
 * sent parse but match no version, so they answer 412. 0 parsed, 1
 * absent (h NULL), -1 malformed, -2 more versions than pre->v holds (the
 * edge answers 400 for both).
 */
int mb_if_match_parse(const char *h, struct mb_nr_precond *pre);

#endif
