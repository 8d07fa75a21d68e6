/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target: an If-Match header value, as a client sends it on PUT and
 * the workflow actions. Checks the parser's promises, not just that it
 * survives: at most eight versions, each one positive or -1 (matches
 * none), and "any" only without versions; more than eight is -2.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/if_match.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mb_nr_precond	 pre;
	char			*h;
	int			 rc;

	/* A header value is a C string: it ends at the first NUL. */
	if ((h = malloc(size + 1)) == NULL)
		return 0;
	memcpy(h, data, size);
	h[size] = '\0';
	rc = mb_if_match_parse(h, &pre);
	if (rc != 0 && rc != -1 && rc != -2)
		abort();
	if (rc == 0) {
		if (pre.n < 0 || pre.n > 8 || (pre.any && pre.n != 0) ||
		    (!pre.any && pre.n == 0))
			abort();
		for (int i = 0; i < pre.n; i++)
			if (pre.v[i] != -1 && pre.v[i] < 1)
				abort();
	}
	free(h);
	return 0;
}
