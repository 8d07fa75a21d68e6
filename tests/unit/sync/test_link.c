/* SPDX-License-Identifier: MIT */
/* Unit tests for src/sync/link and dict: a link's policy parsed, decided, and the wire dictionary's round trip and bomb cap. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zstd.h>

#include "sync/dict.h"
#include "sync/link.h"

static void
test_parse(void **state)
{
	int64_t	v;
	char	period[8];
	int	from, to;

	(void)state;
	assert_int_equal(mb_link_parse_window("22:00-06:00", &from, &to,
	    NULL), MB_OK);
	assert_int_equal(from, 22 * 60);
	assert_int_equal(to, 6 * 60);
	assert_int_not_equal(mb_link_parse_window("24:00-06:00", &from, &to,
	    NULL), MB_OK);
	assert_int_not_equal(mb_link_parse_window("10:00-10:00", &from, &to,
	    NULL), MB_OK);
	assert_int_not_equal(mb_link_parse_window("1:00-6:00", &from, &to,
	    NULL), MB_OK);
	assert_int_equal(mb_link_parse_rate("64k", &v, NULL), MB_OK);
	assert_int_equal(v, 8000);
	assert_int_equal(mb_link_parse_rate("2M", &v, NULL), MB_OK);
	assert_int_equal(v, 250000);
	assert_int_not_equal(mb_link_parse_rate("100", &v, NULL), MB_OK);
	assert_int_not_equal(mb_link_parse_rate("-64k", &v, NULL), MB_OK);
	assert_int_not_equal(mb_link_parse_rate("64kB", &v, NULL), MB_OK);
	assert_int_equal(mb_link_parse_quota("500M/month", &v, period, NULL),
	    MB_OK);
	assert_int_equal(v, 500000000);
	assert_string_equal(period, "month");
	assert_int_not_equal(mb_link_parse_quota("500M", &v, period, NULL),
	    MB_OK);
	assert_int_not_equal(mb_link_parse_quota("500M/year", &v, period,
	    NULL), MB_OK);
	assert_int_not_equal(mb_link_parse_quota("99999999999G/day", &v,
	    period, NULL), MB_OK);
}

static struct mb_link_policy
policy(const char *media)
{
	struct mb_link_policy p;

	memset(&p, 0, sizeof(p));
	snprintf(p.center, sizeof(p.center), "moscow");
	snprintf(p.media, sizeof(p.media), "%s", media);
	p.window_from = p.window_to = -1;
	return p;
}

static void
test_decide(void **state)
{
	struct mb_link_policy	p;
	struct tm		tm;
	time_t			t = time(NULL);
	int64_t			now = (int64_t)t * 1000;
	int			m;

	(void)state;
	localtime_r(&t, &tm);
	m = tm.tm_hour * 60 + tm.tm_min;
	/* none: nothing, not even asked for. */
	p = policy("none");
	assert_int_equal(mb_link_media_allowed(&p, true, true, true, now,
	    NULL), MB_ERR_AGAIN);
	/* Text first: nothing ahead while the log is behind. */
	p = policy("all");
	assert_int_equal(mb_link_media_allowed(&p, true, false, false, now,
	    NULL), MB_ERR_AGAIN);
	assert_int_equal(mb_link_media_allowed(&p, false, false, true, now,
	    NULL), MB_OK);
	/* thumbnails: originals on demand only. */
	p = policy("thumbnails");
	assert_int_equal(mb_link_media_allowed(&p, true, false, true, now,
	    NULL), MB_OK);
	assert_int_equal(mb_link_media_allowed(&p, false, false, true, now,
	    NULL), MB_ERR_AGAIN);
	assert_int_equal(mb_link_media_allowed(&p, false, true, false, now,
	    NULL), MB_OK);
	/* window: inside it (wrapping midnight or not), not outside. */
	p = policy("window");
	p.window_from = (m + 1380) % 1440;	/* an hour ago */
	p.window_to = (m + 60) % 1440;		/* in an hour */
	assert_true(mb_link_in_window(&p, t));
	assert_int_equal(mb_link_media_allowed(&p, false, false, true, now,
	    NULL), MB_OK);
	p.window_from = (m + 120) % 1440;
	p.window_to = (m + 180) % 1440;
	assert_false(mb_link_in_window(&p, t));
	assert_int_equal(mb_link_media_allowed(&p, false, false, true, now,
	    NULL), MB_ERR_AGAIN);
	/* A quota used up in this period: text only; the next period: no. */
	p = policy("all");
	p.quota = 1000;
	snprintf(p.period, sizeof(p.period), "day");
	p.used = 1000;
	p.period_ms = mb_link_period_start("day", now);
	assert_true(mb_link_over_quota(&p, now));
	assert_int_equal(mb_link_media_allowed(&p, true, true, true, now,
	    NULL), MB_ERR_AGAIN);
	assert_false(mb_link_over_quota(&p, now + 86400000LL));
	/* Periods: a week starts on a Monday, a month on the 1st. */
	{
		time_t		ws = (time_t)(mb_link_period_start("week",
		    now) / 1000), ms = (time_t)(mb_link_period_start("month",
		    now) / 1000);
		struct tm	a, b;

		localtime_r(&ws, &a);
		localtime_r(&ms, &b);
		assert_int_equal(a.tm_wday, 1);
		assert_int_equal(a.tm_hour, 0);
		assert_int_equal(b.tm_mday, 1);
		assert_true(ws * 1000LL <= now && ms * 1000LL <= now);
	}
}

static void
test_dict_round_trip_and_bomb(void **state)
{
	struct mb_buf	 z = MB_BUF_INIT, out = MB_BUF_INIT;
	char		*body = malloc(4 << 20);
	int		 rc;

	(void)state;
	assert_non_null(body);
	memset(body, 'a', 4 << 20);
	assert_int_equal(mb_sync_dict_compress(NULL, 0, 3, body, 4 << 20, &z,
	    NULL), MB_OK);
	assert_true(z.len < 4096);		/* a bomb: 4 MiB in little */
	assert_int_equal(mb_sync_decode(".", "zstd", "", z.data, z.len,
	    4 << 20, &out, NULL), MB_OK);
	assert_int_equal(out.len, (size_t)(4 << 20));
	mb_buf_reset(&out);
	rc = mb_sync_decode(".", "zstd", "", z.data, z.len, 1 << 20, &out,
	    NULL);
	assert_int_equal(rc, MB_ERR_TOOBIG);	/* refused past the cap */
	rc = mb_sync_decode(".", "zstd", "", z.data, z.len / 2, 4 << 20, &out,
	    NULL);
	assert_int_not_equal(rc, MB_OK);	/* cut short */
	rc = mb_sync_decode(".", "br", "", z.data, z.len, 4 << 20, &out,
	    NULL);
	assert_int_equal(rc, MB_ERR_CORRUPT);	/* not asked for */
	rc = mb_sync_decode(".", "zstd", "00000000000000000000000000000000"
	    "00000000000000000000000000000000", z.data, z.len, 4 << 20, &out,
	    NULL);
	assert_int_equal(rc, MB_ERR_CORRUPT);	/* a dictionary not here */
	mb_buf_free(&z);
	mb_buf_free(&out);
	free(body);
}

/* A frame made by a stream (no size in its header): no frame says its size. */
static void
streamed(const char *body, size_t len, struct mb_buf *z)
{
	ZSTD_CCtx	*cx = ZSTD_createCCtx();
	ZSTD_inBuffer	 in = { body, len, 0 };
	size_t		 left;
	int		 end = 0;

	assert_non_null(cx);
	/* Given in pieces (as serving a log would): zstd cannot know. */
	do {
		ZSTD_outBuffer	 out;
		ZSTD_inBuffer	 part = { body, in.pos + 4096 < len ?
		    in.pos + 4096 : len, in.pos };

		assert_int_equal(mb_buf_reserve(z, ZSTD_CStreamOutSize()),
		    MB_OK);
		out.dst = z->data + z->len;
		out.size = z->cap - z->len - 1;
		out.pos = 0;
		end = part.size == len;
		left = ZSTD_compressStream2(cx, &out, &part, end ? ZSTD_e_end :
		    ZSTD_e_continue);
		assert_false(ZSTD_isError(left));
		in.pos = part.pos;
		z->len += out.pos;
	} while (!end || left != 0);
	ZSTD_freeCCtx(cx);
}

/*
 * A frame with its size in its header is decoded in one call (dict.c);
 * frames without one, and answers of several frames, still decode, and
 * the cap holds on both paths.
 */
static void
test_decode_whole_and_streamed(void **state)
{
	struct mb_buf	 z = MB_BUF_INIT, two = MB_BUF_INIT, out = MB_BUF_INIT;
	size_t		 n = 3 << 20;
	char		*body = malloc(n);

	(void)state;
	assert_non_null(body);
	for (size_t i = 0; i < n; i++)
		body[i] = (char)('a' + (i * 7 + i / 4096) % 26);
	/* One frame with its size: decoded whole, after what out held. */
	assert_int_equal(mb_sync_dict_compress(NULL, 0, 1, body, n, &z, NULL),
	    MB_OK);
	assert_int_equal(ZSTD_getFrameContentSize(z.data, z.len), n);
	assert_int_equal(mb_buf_puts(&out, "x"), MB_OK);
	assert_int_equal(mb_sync_decode(".", "zstd", "", z.data, z.len, n + 1,
	    &out, NULL), MB_OK);
	assert_int_equal(out.len, n + 1);
	assert_int_equal(out.data[n + 1], '\0');
	assert_memory_equal(out.data + 1, body, n);
	mb_buf_reset(&out);
	assert_int_equal(mb_buf_puts(&out, "x"), MB_OK);
	assert_int_equal(mb_sync_decode(".", "zstd", "", z.data, z.len, n,
	    &out, NULL), MB_ERR_TOOBIG);
	/* Two frames back to back: both, in order. */
	assert_int_equal(mb_buf_append(&two, z.data, z.len), MB_OK);
	assert_int_equal(mb_buf_append(&two, z.data, z.len), MB_OK);
	mb_buf_reset(&out);
	assert_int_equal(mb_sync_decode(".", "zstd", "", two.data, two.len,
	    2 * n, &out, NULL), MB_OK);
	assert_int_equal(out.len, 2 * n);
	assert_memory_equal(out.data + n, body, n);
	/* A frame without its size: streamed, capped the same. */
	mb_buf_reset(&z);
	streamed(body, n, &z);
	assert_int_equal(ZSTD_getFrameContentSize(z.data, z.len),
	    ZSTD_CONTENTSIZE_UNKNOWN);
	mb_buf_reset(&out);
	assert_int_equal(mb_sync_decode(".", "zstd", "", z.data, z.len, n,
	    &out, NULL), MB_OK);
	assert_int_equal(out.len, n);
	assert_memory_equal(out.data, body, n);
	mb_buf_reset(&out);
	assert_int_equal(mb_sync_decode(".", "zstd", "", z.data, z.len, n - 1,
	    &out, NULL), MB_ERR_TOOBIG);
	mb_buf_free(&z);
	mb_buf_free(&two);
	mb_buf_free(&out);
	free(body);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_decide),
		cmocka_unit_test(test_dict_round_trip_and_bomb),
		cmocka_unit_test(test_decode_whole_and_streamed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
