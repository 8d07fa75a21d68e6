/* SPDX-License-Identifier: MIT */
/* libFuzzer target: the HTML sanitizer never crashes and is idempotent. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/err.h"
#include "http/sanitize.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Well-formed UTF-8 (kept here so the target links only buf.c, err.c). */
static int
utf8_ok(const unsigned char *s, size_t n)
{
	size_t	 i = 0, k, need;
	uint32_t cp, min;

	while (i < n) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if ((s[i] & 0xe0) == 0xc0) {
			need = 1, cp = s[i] & 0x1f, min = 0x80;
		} else if ((s[i] & 0xf0) == 0xe0) {
			need = 2, cp = s[i] & 0x0f, min = 0x800;
		} else if ((s[i] & 0xf8) == 0xf0) {
			need = 3, cp = s[i] & 0x07, min = 0x10000;
		} else
			return 0;
		if (n - i <= need)
			return 0;
		for (k = 1; k <= need; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000))
			return 0;
		i += need + 1;
	}
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mb_buf	 a = MB_BUF_INIT, b = MB_BUF_INIT;
	struct mb_diag	 d;

	if (mb_sanitize_html((const char *)data, size, &a, &d) != MB_OK)
		goto done;
	/*
	 * What the oracle in the unit test checks too: the output is UTF-8
	 * text and sanitizing it again changes nothing.
	 */
	if (!utf8_ok((const unsigned char *)mb_buf_cstr(&a), a.len) ||
	    strlen(mb_buf_cstr(&a)) != a.len)
		abort();
	if (mb_sanitize_html(a.data, a.len, &b, &d) != MB_OK ||
	    b.len != a.len || memcmp(mb_buf_cstr(&a), mb_buf_cstr(&b),
	    a.len) != 0)
		abort();
done:
	mb_buf_free(&a);
	mb_buf_free(&b);
	return 0;
}
