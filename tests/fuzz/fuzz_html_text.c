/* SPDX-License-Identifier: MIT */
/* Fuzz target: the HTML-to-text extractor every indexed body goes through. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/utf8.h"
#include "text/html_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * What html_text.h promises, checked on every input: MB_OK (the input is
 * far under the limit), valid UTF-8 out, never longer than the input, no
 * NUL (the index takes C strings), and white space as the extractor
 * writes it: no leading or trailing white space and no run of two.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mb_buf	b = MB_BUF_INIT;
	const char	*s;

	if (mb_text_from_html((const char *)data, size, &b) != MB_OK)
		abort();
	s = mb_buf_cstr(&b);
	if (!mb_utf8_valid(s, b.len) || b.len > size ||
	    memchr(s, '\0', b.len) != NULL)
		abort();
	if (b.len > 0 && (s[0] == ' ' || s[0] == '\n' ||
	    s[b.len - 1] == ' ' || s[b.len - 1] == '\n'))
		abort();
	for (size_t i = 0; i + 1 < b.len; i++)
		if ((s[i] == ' ' || s[i] == '\n') &&
		    (s[i + 1] == ' ' || s[i + 1] == '\n'))
			abort();
	/*
	 * A card's summary (mb_text_from_html_upto): a prefix of the whole
	 * text, longer than its limit whenever the whole text is.
	 */
	{
		struct mb_buf	p = MB_BUF_INIT;
		size_t		limit = size > 0 ? data[0] % 128 : 0;

		if (mb_text_from_html_upto((const char *)data, size, limit,
		    &p) != MB_OK || p.len > b.len ||
		    memcmp(p.data, b.data, p.len) != 0 ||
		    (b.len > limit ? p.len <= limit : p.len != b.len))
			abort();
		mb_buf_free(&p);
	}
	/* Appending keeps what was there (the indexer joins fields). */
	mb_buf_reset(&b);
	if (mb_buf_puts(&b, "x") != MB_OK ||
	    mb_text_from_html((const char *)data, size, &b) != MB_OK ||
	    b.data[0] != 'x')
		abort();
	mb_buf_free(&b);
	return 0;
}
