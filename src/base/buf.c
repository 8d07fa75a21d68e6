/* SPDX-License-Identifier: MIT */
/* Growable byte buffers. */
#include "buf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"

int
mb_buf_reserve(struct mb_buf *b, size_t n)
{
	size_t	 cap;
	char	*p;

	if (n > SIZE_MAX - b->len - 1)
		return MB_ERR_NOMEM;
	if (b->len + n + 1 <= b->cap)
		return MB_OK;
	cap = b->cap ? b->cap : 64;
	while (cap < b->len + n + 1) {
		if (cap > SIZE_MAX / 2) {
			cap = b->len + n + 1;
			break;
		}
		cap *= 2;
	}
	if ((p = realloc(b->data, cap)) == NULL)
		return MB_ERR_NOMEM;
	b->data = p;
	b->cap = cap;
	return MB_OK;
}

int
mb_buf_append(struct mb_buf *b, const void *p, size_t n)
{
	if (mb_buf_reserve(b, n) != MB_OK)
		return MB_ERR_NOMEM;
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return MB_OK;
}

int
mb_buf_puts(struct mb_buf *b, const char *s)
{
	return mb_buf_append(b, s, strlen(s));
}

int
mb_buf_putc(struct mb_buf *b, char c)
{
	return mb_buf_append(b, &c, 1);
}

int
mb_buf_vprintf(struct mb_buf *b, const char *fmt, va_list ap)
{
	va_list	ap2;
	int	n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return MB_ERR_INVAL;
	if (mb_buf_reserve(b, (size_t)n) != MB_OK)
		return MB_ERR_NOMEM;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return MB_OK;
}

int
mb_buf_printf(struct mb_buf *b, const char *fmt, ...)
{
	va_list	ap;
	int	rc;

	va_start(ap, fmt);
	rc = mb_buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

void
mb_buf_reset(struct mb_buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

void
mb_buf_free(struct mb_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

char *
mb_buf_steal(struct mb_buf *b)
{
	char *p;

	if (b->data == NULL)
		return strdup("");
	p = b->data;
	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}

const char *
mb_buf_cstr(const struct mb_buf *b)
{
	return b->data != NULL ? b->data : "";
}
