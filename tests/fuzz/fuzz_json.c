/* SPDX-License-Identifier: MIT */
/* Fuzz target: mb_json_loadb (yajl's lexer) must agree with json_loadb on every input. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <jansson.h>

#include "item/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t	 flags[] = { 0, JSON_REJECT_DUPLICATES,
	    JSON_DECODE_ANY, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY };
	json_t			*a, *b;
	size_t			 f;

	if (size == 0)
		return 0;
	/* The first byte picks the flags; the rest is the document. */
	f = flags[data[0] % 4];
	a = mb_json_loadb((const char *)data + 1, size - 1, f, NULL);
	b = json_loadb((const char *)data + 1, size - 1, f, NULL);
	if ((a == NULL) != (b == NULL) || (a != NULL && !json_equal(a, b)))
		abort();
	json_decref(a);
	json_decref(b);
	return 0;
}
