/* SPDX-License-Identifier: MIT */
/* A growable byte buffer, always NUL-terminated after its contents. */
#ifndef MB_BASE_BUF_H
#define MB_BASE_BUF_H

#include <stdarg.h>
#include <stddef.h>

/*
 * A small value type: embed it, start it with MB_BUF_INIT (or zero it),
 * and release it with mb_buf_free(). data is NULL until something is
 * appended; after any successful append data[len] == '\0'.
 */
struct mb_buf {
	char	*data;
	size_t	 len;
	size_t	 cap;
};

#define MB_BUF_INIT { NULL, 0, 0 }

/* Makes room for n more bytes. MB_OK or MB_ERR_NOMEM. */
int mb_buf_reserve(struct mb_buf *b, size_t n);
int mb_buf_append(struct mb_buf *b, const void *p, size_t n);
int mb_buf_puts(struct mb_buf *b, const char *s);
int mb_buf_putc(struct mb_buf *b, char c);
int mb_buf_printf(struct mb_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int mb_buf_vprintf(struct mb_buf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

/* Forgets the contents but keeps the memory. */
void mb_buf_reset(struct mb_buf *b);

/* Frees the memory; the buffer is empty and usable again. */
void mb_buf_free(struct mb_buf *b);

/*
 * Hands the contents to the caller (who frees them with free()) and
 * empties the buffer. Never NULL on success: an empty buffer gives "".
 */
char *mb_buf_steal(struct mb_buf *b);

/* The contents as a C string ("" when empty); borrowed. */
const char *mb_buf_cstr(const struct mb_buf *b);

#endif
