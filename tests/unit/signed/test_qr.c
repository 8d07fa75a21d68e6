/* SPDX-License-Identifier: MIT */
/* Unit tests for signed/qr (test_ticket.py reads both with zbarimg). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "base/buf.h"
#include "signed/qr.h"

static const char ticket[] =
    "MBT1:BWNhaXJvBm1vc2Nvd4ABlgUUzHQlS2Nc-EZToGw8gAGWBqAsLBNG4jywNE8kTTRr"
    "ueGAa73WANaR7jA_h_c1V8og7QG6MOAOYHlxfjlDTFkMnK6wTr2-_8o95Txonc0IFp_5M"
    "RAnM83KIBNAj2iP9AuwHSUulQh3aA1NI4C7RBCmi7onoMkP";

static size_t
count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++)
		n++;
	return n;
}

static void
test_svg(void **state)
{
	struct mb_buf	b = MB_BUF_INIT;
	struct mb_diag	d = { "" };
	int		w = mb_qr_width(ticket);
	char		want[64];

	(void)state;
	/* 185 characters at level M: version 10, 57 modules. */
	assert_int_equal(w, 57);
	assert_int_equal(mb_qr_svg(ticket, "Ticket for \"Media & <Law>\"", &b,
	    &d), MB_OK);
	assert_memory_equal(b.data, "<svg ", 5);
	assert_int_equal(count(b.data, "<path"), 1);
	assert_int_equal(count(b.data, "<rect"), 1);
	assert_non_null(strstr(b.data, "role=\"img\""));
	assert_non_null(strstr(b.data, "aria-label=\"Ticket for &quot;Media "
	    "&amp; &lt;Law&gt;&quot;\""));
	snprintf(want, sizeof(want), "viewBox=\"0 0 %d %d\"", w + 8, w + 8);
	assert_non_null(strstr(b.data, want));
	/* The quiet zone: nothing drawn before module 4. */
	assert_non_null(strstr(b.data, "d=\"M4 4h7v1h-7z"));
	assert_null(strstr(b.data, "M3 "));
	/* Small enough to inline in a page or a mail. */
	assert_true(b.len < 16 * 1024);
	print_message("svg: %zu bytes\n", b.len);
	mb_buf_free(&b);

	/* Nothing, and too much. */
	assert_int_equal(mb_qr_svg("", NULL, &b, &d), MB_ERR_INVAL);
	{
		char *big = malloc(4000);

		memset(big, 'x', 3999);
		big[3999] = '\0';
		assert_int_equal(mb_qr_svg(big, NULL, &b, &d), MB_ERR_TOOBIG);
		free(big);
	}
	mb_buf_free(&b);
}

static uint32_t
be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static void
test_png(void **state)
{
	struct mb_buf	 b = MB_BUF_INIT;
	struct mb_diag	 d = { "" };
	const uint8_t	*p;
	uint32_t	 side, n;
	uLongf		 rawlen;
	uint8_t		*raw;
	size_t		 stride;
	unsigned	 scale = 3;

	(void)state;
	assert_int_equal(mb_qr_png(ticket, scale, &b, &d), MB_OK);
	p = (const uint8_t *)b.data;
	assert_memory_equal(p, "\x89PNG\r\n\x1a\n", 8);
	assert_int_equal(be32(p + 8), 13);
	assert_memory_equal(p + 12, "IHDR", 4);
	side = be32(p + 16);
	assert_int_equal(side, (57 + 8) * scale);
	assert_int_equal(be32(p + 20), side);
	assert_int_equal(p[24], 1);	/* 1 bit */
	assert_int_equal(p[25], 0);	/* greyscale */
	assert_int_equal(crc32(0, p + 12, 17), be32(p + 29));
	n = be32(p + 33);
	assert_memory_equal(p + 37, "IDAT", 4);
	assert_int_equal(crc32(0, p + 37, 4 + n), be32(p + 41 + n));
	assert_memory_equal(p + 45 + n, "\0\0\0\0IEND\xae\x42\x60\x82", 12);
	assert_int_equal(b.len, 57 + n);

	stride = 1 + (side + 7) / 8;
	rawlen = stride * side;
	raw = malloc(rawlen);
	assert_int_equal(uncompress(raw, &rawlen, p + 41, n), Z_OK);
	assert_int_equal(rawlen, stride * side);
	/* The quiet zone is white; the finder's corner at module 4 is
	 * black; the finder's white ring at module 5 (row 5) is white. */
	for (size_t y = 0; y < side; y++)
		assert_int_equal(raw[y * stride], 0);	/* filter: none */
	assert_int_equal(raw[1] & 0x80, 0x80);
	{
		size_t	y = 4 * scale, x = 4 * scale;
		size_t	x5 = 5 * scale, y5 = 5 * scale;

		assert_int_equal(raw[y * stride + 1 + x / 8] &
		    (0x80 >> (x % 8)), 0);
		assert_int_equal(raw[y5 * stride + 1 + x5 / 8] &
		    (0x80 >> (x5 % 8)), 0x80 >> (x5 % 8));
	}
	free(raw);
	assert_int_equal(mb_qr_png(ticket, 0, &b, &d), MB_ERR_INVAL);
	mb_buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_svg),
		cmocka_unit_test(test_png),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
