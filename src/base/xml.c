/* SPDX-License-Identifier: MIT */
/* XML 1.0 text escaping, dropping the characters XML cannot carry. */
#include "xml.h"

#include <string.h>

#include "err.h"
#include "utf8.h"

bool
mb_xml_char(unsigned cp)
{
	if (cp < 0x20)
		return cp == 0x09 || cp == 0x0a || cp == 0x0d;
	return cp <= 0xd7ff || (cp >= 0xe000 && cp <= 0xfffd) ||
	    (cp >= 0x10000 && cp <= 0x10ffff);
}

int
mb_xml_text(struct mb_buf *b, const char *s)
{
	size_t		 n = s != NULL ? strlen(s) : 0, i = 0, run = 0, k;
	const char	*rep;
	unsigned	 cp;
	int		 rc = MB_OK;

	/* Runs of bytes that need nothing are appended whole. */
	while (i < n && rc == MB_OK) {
		unsigned char c = (unsigned char)s[i];

		k = 1;
		rep = NULL;
		if (c >= 0x80) {
			if ((k = mb_utf8_decode(s + i, n - i, &cp)) == 0) {
				k = 1;
				rep = "";	/* not UTF-8 */
			} else if (!mb_xml_char(cp))
				rep = "";
		} else if (c == '&')
			rep = "&amp;";
		else if (c == '<')
			rep = "&lt;";
		else if (c == '>')
			rep = "&gt;";
		else if (c == '"')
			rep = "&quot;";
		else if (c == '\r')
			rep = "&#13;";
		else if (!mb_xml_char(c))
			rep = "";
		if (rep != NULL) {
			if ((rc = mb_buf_append(b, s + run, i - run)) == MB_OK)
				rc = mb_buf_puts(b, rep);
			run = i + k;
		}
		i += k;
	}
	if (rc == MB_OK)
		rc = mb_buf_append(b, s + run, n - run);
	return rc;
}
