/* SPDX-License-Identifier: MIT */
/* Fuzz target: the Range header parser, against sizes from empty to huge. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/range.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint64_t sizes[] = { 0, 1, 2, 100, 8388608,
	    UINT64_MAX / 2, UINT64_MAX };
	char		*h;

	/* A header value is a C string: the input up to its first NUL. */
	if ((h = malloc(size + 1)) == NULL)
		return 0;
	memcpy(h, data, size);
	h[size] = '\0';
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		uint64_t	from = 0, to = 0;
		int		rc = mb_http_range(h, sizes[i], &from, &to);

		/* A satisfiable range lies inside the representation. */
		if (rc == 1 && (sizes[i] == 0 || from > to || to >= sizes[i]))
			abort();
		if (rc < -1 || rc > 1)
			abort();
	}
	free(h);
	return 0;
}
