/* SPDX-License-Identifier: MIT */
/* Search hits marked with sentinel bytes, turned into safe HTML. */
#include "text/highlight.h"

#include "base/err.h"

#define HIT_OPEN	'\x02'
#define HIT_CLOSE	'\x03'

int
mb_text_marks_to_html(const char *s, size_t len, struct mb_buf *out)
{
	int	rc = MB_OK;
	int	open = 0;

	for (size_t i = 0; i < len && rc == MB_OK; i++) {
		unsigned char ch = (unsigned char)s[i];

		switch (ch) {
		case HIT_OPEN:
			if (!open)
				rc = mb_buf_puts(out, "<mark>");
			open = 1;
			break;
		case HIT_CLOSE:
			if (open)
				rc = mb_buf_puts(out, "</mark>");
			open = 0;
			break;
		case '&':
			rc = mb_buf_puts(out, "&amp;");
			break;
		case '<':
			rc = mb_buf_puts(out, "&lt;");
			break;
		case '>':
			rc = mb_buf_puts(out, "&gt;");
			break;
		case '"':
			rc = mb_buf_puts(out, "&quot;");
			break;
		case '\'':
			rc = mb_buf_puts(out, "&#39;");
			break;
		default:
			/* Control bytes are no text a reader should get. */
			if ((ch < 0x20 && ch != '\t' && ch != '\n') ||
			    ch == 0x7f)
				break;
			rc = mb_buf_putc(out, (char)ch);
		}
	}
	if (rc == MB_OK && open)
		rc = mb_buf_puts(out, "</mark>");
	if (rc == MB_OK && out->data == NULL)
		rc = mb_buf_puts(out, "");
	return rc;
}

int
mb_text_marks_strip(const char *s, size_t len, struct mb_buf *out)
{
	int rc = mb_buf_puts(out, "");

	for (size_t i = 0; i < len && rc == MB_OK; i++) {
		unsigned char ch = (unsigned char)s[i];

		if ((ch < 0x20 && ch != '\t' && ch != '\n') || ch == 0x7f)
			continue;
		rc = mb_buf_putc(out, (char)ch);
	}
	return rc;
}
