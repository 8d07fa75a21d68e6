/* SPDX-License-Identifier: MIT */
/* Strict UTF-8 decoding (RFC 3629). */
#include "utf8.h"

#include <stdint.h>
#include <string.h>

bool
mb_utf8_ascii(const char *s, size_t len)
{
	uint64_t	w, acc = 0;
	size_t		i = 0;

	for (; i + 8 <= len; i += 8) {
		memcpy(&w, s + i, 8);
		acc |= w;
	}
	for (; i < len; i++)
		acc |= (unsigned char)s[i];
	return (acc & 0x8080808080808080ULL) == 0;
}

size_t
mb_utf8_decode(const char *str, size_t len, unsigned *cp)
{
	const unsigned char	*s = (const unsigned char *)str;
	unsigned		 c, min;
	size_t			 n;

	if (len == 0)
		return 0;
	c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if ((c & 0xe0) == 0xc0) {
		n = 2;
		c &= 0x1f;
		min = 0x80;
	} else if ((c & 0xf0) == 0xe0) {
		n = 3;
		c &= 0x0f;
		min = 0x800;
	} else if ((c & 0xf8) == 0xf0) {
		n = 4;
		c &= 0x07;
		min = 0x10000;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

/*
 * The same rules as mb_utf8_decode() (RFC 3629 table 3-7: no overlongs,
 * no surrogates, nothing past U+10FFFF) checked on the bytes without
 * building the code point, and ASCII skipped a word at a time: JCS checks
 * every string of every envelope it signs or verifies.
 */
bool
mb_utf8_valid(const char *str, size_t len)
{
	const unsigned char	*s = (const unsigned char *)str;
	size_t			 i = 0;
	uint64_t		 w;

	while (i < len) {
		unsigned c;

		while (i + 8 <= len) {
			memcpy(&w, s + i, 8);
			if (w & 0x8080808080808080ULL)
				break;
			i += 8;
		}
		while (i < len && s[i] < 0x80)
			i++;
		if (i == len)
			break;
		c = s[i];
		if (c >= 0xc2 && c <= 0xdf) {
			if (len - i < 2 || (s[i + 1] & 0xc0) != 0x80)
				return false;
			i += 2;
		} else if (c >= 0xe0 && c <= 0xef) {
			if (len - i < 3 || (s[i + 1] & 0xc0) != 0x80 ||
			    (s[i + 2] & 0xc0) != 0x80 ||
			    (c == 0xe0 && s[i + 1] < 0xa0) ||	/* overlong */
			    (c == 0xed && s[i + 1] >= 0xa0))	/* surrogate */
				return false;
			i += 3;
		} else if (c >= 0xf0 && c <= 0xf4) {
			if (len - i < 4 || (s[i + 1] & 0xc0) != 0x80 ||
			    (s[i + 2] & 0xc0) != 0x80 ||
			    (s[i + 3] & 0xc0) != 0x80 ||
			    (c == 0xf0 && s[i + 1] < 0x90) ||	/* overlong */
			    (c == 0xf4 && s[i + 1] >= 0x90))	/* > U+10FFFF */
				return false;
			i += 4;
		} else {
			return false;	/* a continuation, C0/C1, F5-FF */
		}
	}
	return true;
}
