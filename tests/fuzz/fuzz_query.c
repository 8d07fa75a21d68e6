/* SPDX-License-Identifier: MIT */
/* Fuzz target: the reader's query translated into an FTS5 expression. */
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "text/query.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const langs[] = { NULL, "ar", "ru", "en", "zh" };
	struct mb_buf	b = MB_BUF_INIT;

	for (size_t i = 0; i < sizeof(langs) / sizeof(langs[0]); i++) {
		mb_buf_reset(&b);
		(void)mb_text_query_translate((const char *)data, size,
		    langs[i], &b, NULL);
	}
	mb_buf_free(&b);
	return 0;
}
