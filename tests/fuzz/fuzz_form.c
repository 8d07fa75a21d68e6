/* SPDX-License-Identifier: MIT */
/* Fuzz target: the form decoder; the input's first line is the Content-Type. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/form.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const types[] = {
		"application/x-www-form-urlencoded",
		"application/x-www-form-urlencoded; charset=utf-8",
	};
	struct mb_form	 f;
	const char	*nl = memchr(data, '\n', size);
	char		*ct;
	size_t		 cl = nl != NULL ? (size_t)(nl - (const char *)data) : 0;

	/* With its own first line as the type, then as each form type. */
	if ((ct = strndup((const char *)data, cl)) == NULL)
		return 0;
	for (size_t i = 0; i <= sizeof(types) / sizeof(types[0]); i++) {
		const char *t = i == 0 ? ct : types[i - 1];

		memset(&f, 0, sizeof(f));
		mb_form_parse(&f, t, (const char *)data, size);
		if (f.n < 0 || f.n > MB_FORM_MAX)
			abort();
		for (int j = 0; j < f.n; j++)
			if (f.kv[j][0] == NULL || f.kv[j][1] == NULL ||
			    mb_form_get(&f, f.kv[j][0]) == NULL)
				abort();
		mb_form_free(&f);
	}
	free(ct);
	return 0;
}
