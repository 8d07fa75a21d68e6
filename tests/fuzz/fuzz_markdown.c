/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: the newsroom's Markdown never crashes; what it
 * makes is a fixed point of the sanitizer; and Markdown made back from
 * a body (when it can be) makes that body again.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/err.h"
#include "http/markdown.h"
#include "http/sanitize.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mb_buf	h = MB_BUF_INIT, s = MB_BUF_INIT, m = MB_BUF_INIT;

	if (size > 64 * 1024)
		return 0;
	if (mb_markdown_to_html((const char *)data, size, &h, NULL) == MB_OK) {
		if (mb_sanitize_html(h.data, h.len, &s, NULL) != MB_OK ||
		    s.len != h.len || (h.len > 0 && memcmp(s.data, h.data,
		    h.len) != 0))
			abort();
		/* The way back either fails or is checked inside. */
		(void)mb_html_to_markdown(h.data, h.len, &m);
	}
	(void)mb_html_to_markdown((const char *)data, size, &m);
	mb_buf_free(&h);
	mb_buf_free(&s);
	mb_buf_free(&m);
	return 0;
}
