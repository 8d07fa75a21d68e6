/* SPDX-License-Identifier: MIT */
/* Unit tests for the media sandbox's messages (media/wire.h): what the server accepts from the child. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "media/media.h"
#include "media/wire.h"

/* A set of two picture renditions, as the child has it. */
static void
two(struct mb_media_set *s)
{
	static char a[] = "abcde", b[] = "xyz";

	memset(s, 0, sizeof(*s));
	s->type = mb_media_type_by_mime("image/png");
	s->n = 2;
	strcpy(s->r[0].name, "thumbnail");
	strcpy(s->r[0].mime, "image/png");
	strcpy(s->r[0].format, "png");
	s->r[0].width = 64;
	s->r[0].height = 48;
	s->r[0].data = a;
	s->r[0].len = 5;
	strcpy(s->r[1].name, "thumbnail-webp");
	strcpy(s->r[1].mime, "image/webp");
	strcpy(s->r[1].format, "webp");
	s->r[1].data = b;
	s->r[1].len = 3;
}

static void
round_trip(void **state)
{
	struct mb_media_set	s, got;
	struct mb_buf		b = MB_BUF_INIT;
	uint64_t		cpu = 0;
	char			hex[65];

	(void)state;
	two(&s);
	assert_int_equal(mb_media_wire_reply_put(&s, 1234, &b), MB_OK);
	assert_int_equal(b.len, MB_MEDIA_WIRE_PREFIX +
	    2 * MB_MEDIA_WIRE_RECORD + 8);
	assert_int_equal(mb_media_wire_reply_parse((uint8_t *)b.data, b.len,
	    &got, &cpu, NULL), MB_OK);
	assert_int_equal(cpu, 1234);
	assert_ptr_equal(got.type, s.type);
	assert_int_equal(got.n, 2);
	assert_string_equal(got.r[1].name, "thumbnail-webp");
	assert_int_equal(got.r[0].width, 64);
	assert_memory_equal(got.r[0].data, "abcde", 5);
	assert_memory_equal(got.r[1].data, "xyz", 3);
	/* The server hashes the bytes itself. */
	mb_media_hash("abcde", 5, hex);
	assert_string_equal(got.r[0].hash, hex);
	mb_media_set_free(&got);
	mb_buf_free(&b);
}

/* Each way a reply can be wrong is refused as corrupt. */
static void
refusals(void **state)
{
	struct mb_media_set	s, got;
	struct mb_buf		b = MB_BUF_INIT;
	struct mb_diag		d = { "" };
	uint64_t		cpu;
	uint8_t			*p;

	(void)state;
	two(&s);
	assert_int_equal(mb_media_wire_reply_put(&s, 0, &b), MB_OK);
	p = malloc(b.len + 1);
	/* Cut short, one byte too many. */
	assert_int_equal(mb_media_wire_reply_parse((uint8_t *)b.data,
	    b.len - 1, &got, &cpu, &d), MB_ERR_CORRUPT);
	memcpy(p, b.data, b.len);
	p[b.len] = 'x';
	assert_int_equal(mb_media_wire_reply_parse(p, b.len + 1, &got, &cpu,
	    &d), MB_ERR_CORRUPT);
	/* A type that is not allowlisted. */
	memcpy(p, b.data, b.len);
	memcpy(p, "text/html", 10);
	assert_int_equal(mb_media_wire_reply_parse(p, b.len, &got, &cpu, &d),
	    MB_ERR_CORRUPT);
	assert_non_null(strstr(d.msg, "text/html"));
	/* A name that does not end inside its field. */
	memcpy(p, b.data, b.len);
	memset(p + MB_MEDIA_WIRE_PREFIX, 'a', 24);
	assert_int_equal(mb_media_wire_reply_parse(p, b.len, &got, &cpu, &d),
	    MB_ERR_CORRUPT);
	/* A control character in a name. */
	memcpy(p, b.data, b.len);
	p[MB_MEDIA_WIRE_PREFIX + 1] = '\n';
	assert_int_equal(mb_media_wire_reply_parse(p, b.len, &got, &cpu, &d),
	    MB_ERR_CORRUPT);
	/* Too many renditions, and none. */
	memcpy(p, b.data, b.len);
	p[48] = MB_MEDIA_MAX_RENDITIONS + 1;
	assert_int_equal(mb_media_wire_reply_parse(p, b.len, &got, &cpu, &d),
	    MB_ERR_CORRUPT);
	p[48] = 0;
	assert_int_equal(mb_media_wire_reply_parse(p, b.len, &got, &cpu, &d),
	    MB_ERR_CORRUPT);
	/* A length that points past the end. */
	memcpy(p, b.data, b.len);
	memset(p + MB_MEDIA_WIRE_PREFIX + 192, 0xff, 8);
	assert_int_equal(mb_media_wire_reply_parse(p, b.len, &got, &cpu, &d),
	    MB_ERR_CORRUPT);
	free(p);
	mb_buf_free(&b);
}

static void
header(void **state)
{
	uint8_t				h[MB_MEDIA_WIRE_HEADER];
	struct mb_media_wire_hdr	got;

	(void)state;
	mb_media_wire_hdr_put(h, "MBMR", -2, 100);
	assert_int_equal(mb_media_wire_hdr_get(h, "MBMR", 100, &got, NULL),
	    MB_OK);
	assert_int_equal(got.code, -2);
	assert_int_equal(got.len, 100);
	/* Over the cap: refused before anything is allocated. */
	assert_int_equal(mb_media_wire_hdr_get(h, "MBMR", 99, &got, NULL),
	    MB_ERR_CORRUPT);
	assert_int_equal(mb_media_wire_hdr_get(h, "MBMQ", 100, &got, NULL),
	    MB_ERR_CORRUPT);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(round_trip),
		cmocka_unit_test(refusals),
		cmocka_unit_test(header),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
