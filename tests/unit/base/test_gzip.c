/* SPDX-License-Identifier: MIT */
/* Unit tests for base/gzip.c: what it makes, zlib (what browsers and
 * curl decode with) reads back byte for byte, from any thread. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/gzip.h"

/* gunzips in[0..len) with zlib into a fresh buffer; -1 on any error. */
static long
gunzip(const char *in, size_t len, char *out, size_t cap)
{
	z_stream	z;
	int		rc;

	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, 15 + 16) != Z_OK)
		return -1;
	z.next_in = (Bytef *)(uintptr_t)in;
	z.avail_in = (uInt)len;
	z.next_out = (Bytef *)out;
	z.avail_out = (uInt)cap;
	rc = inflate(&z, Z_FINISH);
	inflateEnd(&z);
	/* The whole gzip member, its CRC and length checked by zlib. */
	return rc == Z_STREAM_END && z.avail_in == 0 ? (long)z.total_out : -1;
}

/* A page-like text: repeats (markup) and what does not (words). */
static char *
page(size_t n, unsigned seed)
{
	char	*p = malloc(n + 1);

	for (size_t i = 0; i < n; i++) {
		seed = seed * 1103515245 + 12345;
		p[i] = i % 97 < 40 ? "<div class=\"card\"><a href=\"/en/"
		    "items/cairo/\">"[i % 40] : (char)('a' + (seed >> 16) % 26);
	}
	p[n] = '\0';
	return p;
}

static void
round_trip(const char *in, size_t len, int level)
{
	struct mb_buf	 b = MB_BUF_INIT;
	char		*back = malloc(len + 1);

	/* Appended after what the buffer holds. */
	assert_int_equal(mb_buf_puts(&b, "HDR"), MB_OK);
	assert_int_equal(mb_gzip(in, len, level, &b), MB_OK);
	assert_memory_equal(b.data, "HDR", 3);
	assert_int_equal(b.data[b.len], '\0');
	assert_true((unsigned char)b.data[3] == 0x1f &&
	    (unsigned char)b.data[4] == 0x8b);
	assert_int_equal(gunzip(b.data + 3, b.len - 3, back, len + 1),
	    (long)len);
	if (len > 0)
		assert_memory_equal(back, in, len);
	free(back);
	mb_buf_free(&b);
}

static void
test_levels_and_sizes(void **state)
{
	size_t	 sizes[] = { 0, 1, 255, 4096, 65536, 1000003 };
	int	 levels[] = { -3, 0, 1, 6, 9, 12, 99 };

	(void)state;
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		char *p = page(sizes[i], (unsigned)i);

		for (size_t l = 0; l < sizeof(levels) / sizeof(levels[0]); l++)
			round_trip(p, sizes[i], levels[l]);
		free(p);
	}
}

static void
test_smaller(void **state)
{
	struct mb_buf	 b1 = MB_BUF_INIT, b6 = MB_BUF_INIT;
	char		*p = page(20000, 3);

	(void)state;
	assert_int_equal(mb_gzip(p, 20000, 1, &b1), MB_OK);
	assert_int_equal(mb_gzip(p, 20000, 6, &b6), MB_OK);
	/* Compresses, and a higher level is not larger here. */
	assert_true(b1.len < 20000 / 2);
	assert_true(b6.len <= b1.len);
	mb_buf_free(&b1);
	mb_buf_free(&b6);
	free(p);
}

static void *
thread_main(void *arg)
{
	unsigned seed = (unsigned)(uintptr_t)arg;

	for (int i = 0; i < 50; i++) {
		char *p = page(3000 + (size_t)(i * 97), seed + (unsigned)i);

		round_trip(p, 3000 + (size_t)(i * 97), i % 2 ? 6 : 1);
		free(p);
	}
	return NULL;
}

static void
test_threads(void **state)
{
	pthread_t t[4];

	(void)state;
	for (int i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&t[i], NULL, thread_main,
		    (void *)(uintptr_t)i), 0);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_levels_and_sizes),
		cmocka_unit_test(test_smaller),
		cmocka_unit_test(test_threads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
