/* SPDX-License-Identifier: MIT */
/* The one Range header parser: pure, so that a fuzzer links only it. */
#include "range.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Decimal digits only: strtoull would take a sign or leading space. */
static int
number(const char *p, const char **end, uint64_t *v)
{
	char			*e;
	unsigned long long	 n;

	if (*p < '0' || *p > '9')
		return -1;
	errno = 0;
	n = strtoull(p, &e, 10);
	if (errno != 0)
		return -1;
	*v = n;
	*end = e;
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
		if (number(p + 1, &e, &b) != 0 || *e != '\0' || b == 0 ||
		    size == 0)
			return -1;
		*from = b >= size ? 0 : size - b;
		*to = size - 1;
		return 1;
	}
	if (number(p, &e, &a) != 0 || *e != '-' || a >= size)
		return -1;
	p = e + 1;
	if (*p == '\0')
		b = size - 1;
	else {
		if (number(p, &e, &b) != 0 || *e != '\0' || b < a)
			return -1;
		if (b >= size)
			b = size - 1;
	}
	*from = a;
	*to = b;
	return 1;
}
