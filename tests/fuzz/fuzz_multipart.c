/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target: the multipart/form-data decoder (text fields and the file
 * part); the input's first line is the Content-Type, the rest the body.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http/form.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mb_form	 f;
	const char	*nl = memchr(data, '\n', size), *body, *file;
	char		*ct, *copy, b[80];
	size_t		 cl, blen, flen;

	if (nl == NULL)
		return 0;
	cl = (size_t)(nl - (const char *)data);
	blen = size - cl - 1;
	if ((ct = strndup((const char *)data, cl)) == NULL)
		return 0;
	/* The body in a buffer of its own, so ASan sees a read past it. */
	if ((copy = malloc(blen + 1)) == NULL) {
		free(ct);
		return 0;
	}
	memcpy(copy, nl + 1, blen);
	body = copy;

	memset(&f, 0, sizeof(f));
	mb_form_parse(&f, ct, body, blen);
	if (f.n < 0 || f.n > MB_FORM_MAX)
		abort();
	/*
	 * Only multipart text parts are bounded: an urlencoded value is the
	 * newsroom's article body (nr_edit.html posts it so), bounded by
	 * the request's max_body alone.
	 */
	for (int j = 0; j < f.n; j++)
		if (strncasecmp(ct, "multipart/form-data", 19) == 0 &&
		    strlen(f.kv[j][1]) > MB_FORM_TEXT_MAX)
			abort();
	mb_form_free(&f);

	if (mb_multipart_boundary(ct, b, sizeof(b))) {
		if (strlen(b) == 0 || strlen(b) > 70)
			abort();
		if (mb_multipart_file(body, blen, b, &file, &flen) &&
		    (file < body || file + flen > body + blen))
			abort();	/* the file part is a slice of the body */
	}
	free(copy);
	free(ct);
	return 0;
}
