/* SPDX-License-Identifier: MIT */
/* The one Range header parser (RFC 9110 §14.1.2), for /media and the exchange's blobs. */
#ifndef MB_HTTP_RANGE_H
#define MB_HTTP_RANGE_H

#include <stdint.h>

/*
 * One "bytes=" range of a representation of size bytes: "a-b", "a-" or
 * "-n", clamped to the size. 1 with [*from, *to] (inclusive) when it is
 * satisfiable; 0 when the header is not one bytes range (another unit,
 * or a list: RFC 9110 lets a server ignore it and send the whole) or
 * is invalid (malformed, or last before first: RFC 7233 2.1 ignores it);
 * -1 when it is not satisfiable (416). A last position past the end,
 * however large, is the end.
 */
int	mb_http_range(const char *h, uint64_t size, uint64_t *from,
	    uint64_t *to);

#endif
