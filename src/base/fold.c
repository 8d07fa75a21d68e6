/* SPDX-License-Identifier: MIT */
/* Unicode lower case (utf8proc's simple mapping), ASCII at memcpy's pace. */
#include "base/fold.h"

#include <string.h>

#include <utf8proc.h>

#include "base/err.h"
#include "base/utf8.h"

int
mb_fold_lower(struct mb_buf *out, const char *s, size_t n)
{
	size_t	start = out->len, i = 0;
	char	*p;

	/* Most lower cases are as long as their code point: n bytes, grown below when not. */
	if (mb_buf_reserve(out, n) != MB_OK)
		return MB_ERR_NOMEM;
	p = out->data + start;
	while (i < n) {
		unsigned char		 c = (unsigned char)s[i];
		unsigned		 cp;
		size_t			 k;
		utf8proc_uint8_t	 u[4];
		utf8proc_ssize_t	 m;

		if (c < 0x80) {
			*p++ = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
			i++;
			continue;
		}
		if ((k = mb_utf8_decode(s + i, n - i, &cp)) == 0) {
			*p++ = (char)c;
			i++;
			continue;
		}
		m = utf8proc_encode_char(utf8proc_tolower(
		    (utf8proc_int32_t)cp), u);
		if ((size_t)m > k) {
			/* Longer (U+023A Ⱥ, 2 bytes -> U+2C65 ⱥ, 3): room for it and the rest. */
			size_t at = (size_t)(p - out->data);

			out->len = at;
			if (mb_buf_reserve(out, (n - i) + (size_t)m) != MB_OK) {
				out->len = start;
				return MB_ERR_NOMEM;
			}
			p = out->data + at;
		}
		memcpy(p, u, (size_t)m);
		p += m;
		i += k;
	}
	out->len = (size_t)(p - out->data);
	out->data[out->len] = '\0';	/* reserve keeps a byte for it */
	return MB_OK;
}
