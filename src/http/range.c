/* SPDX-License-Identifier: MIT */
/* The one Range header parser: pure, so that a fuzzer links only it. */
#include "range.h"

#include <string.h>

/* Decimal digits only (strtoull would take a sign or leading space); a
 * number too large for 64 bits is UINT64_MAX, past any size. */
static int
number(const char *p, const char **end, uint64_t *v)
{
	uint64_t	n = 0;

	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		unsigned d = (unsigned)(*p - '0');

		n = n > (UINT64_MAX - d) / 10 ? UINT64_MAX : n * 10 + d;
	}
	*v = n;
	*end = p;
	return 0;
}

int
mb_http_range(const char *h, uint64_t size, uint64_t *from, uint64_t *to)
{
	const char	*p, *e;
	uint64_t	 a, b;

	if (strncmp(h, "bytes=", 6) != 0 || strchr(h, ',') != NULL)
		return 0;	/* ignored: the whole is sent */
	p = h + 6;
	if (*p == '-') {
		/* The last b bytes. */
		if (number(p + 1, &e, &b) != 0 || *e != '\0')
			return 0;	/* invalid: ignored */
		if (b == 0 || size == 0)
			return -1;
		*from = b >= size ? 0 : size - b;
		*to = size - 1;
		return 1;
	}
	if (number(p, &e, &a) != 0 || *e != '-')
		return 0;
	p = e + 1;
	if (*p == '\0')
		b = UINT64_MAX;
	else if (number(p, &e, &b) != 0 || *e != '\0' || b < a)
		return 0;	/* invalid (RFC 7233 2.1): ignored */
	if (a >= size)
		return -1;
	if (b >= size)
		b = size - 1;
	*from = a;
	*to = b;
	return 1;
}
