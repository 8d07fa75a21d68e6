/* SPDX-License-Identifier: MIT */
/*
 * The exchange's writer alone (issue 23): applies the log of a source
 * center to a fresh center in batches, as `sync --once` does, and prints
 * the CPU the applying thread spent per batch and per item. Each batch
 * is verified first (not counted: on the other cores in a real pull),
 * then applied (mb_sync_batch_apply_from: one transaction, as a pull
 * without its cursor) and timed with the thread's own CPU clock, which
 * other processes' load inflates less than wall time.
 *
 *   apply_bench SOURCE_DIR TARGET_DIR [BATCH [MAX]]
 *
 * MAX: stop after that many items (0: the whole log), e.g. under
 * valgrind --tool=callgrind --collect-atstart=no
 * --toggle-collect=mb_sync_batch_apply_from, whose instruction counts do
 * not depend on the machine's load.
 *
 * TARGET_DIR: a center that holds nothing yet (`mediabridge init`); the
 * origins' keys are SOURCE's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "center/center.h"
#include "store/store.h"
#include "sync/apply.h"

struct body {
	struct mb_buf	b;
	int64_t		last;
	size_t		n;
};

static int
add_line(const struct mb_store_version *v, void *arg)
{
	struct body *bd = arg;

	bd->last = v->seq;
	bd->n++;
	if (mb_buf_printf(&bd->b, "{\"seq\":%lld,\"envelope\":",
	    (long long)v->seq) != MB_OK ||
	    mb_buf_append(&bd->b, v->envelope, v->envelope_len) != MB_OK ||
	    mb_buf_puts(&bd->b, "}\n") != MB_OK)
		return MB_ERR_NOMEM;
	return MB_OK;
}

static int64_t
us_of(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int
main(int argc, char **argv)
{
	struct mb_center_node	*src = NULL, *dst = NULL;
	struct mb_store		*from = NULL, *to = NULL;
	struct mb_sync_keyring	*kr = NULL;
	struct mb_diag		 d = { "" };
	int64_t			 after = 0, limit, max, cpu = 0, wall = 0;
	int64_t			 items = 0;
	int			 rc;

	if (argc < 3) {
		fprintf(stderr, "usage: apply_bench SOURCE_DIR TARGET_DIR "
		    "[BATCH [MAX]]\n");
		return 2;
	}
	limit = argc > 3 ? atoll(argv[3]) : 1000;
	max = argc > 4 ? atoll(argv[4]) : 0;
	if ((rc = mb_center_open(argv[1], &src, &d)) != MB_OK ||
	    (rc = mb_center_store(src, &from, &d)) != MB_OK ||
	    (rc = mb_center_open(argv[2], &dst, &d)) != MB_OK ||
	    (rc = mb_center_store(dst, &to, &d)) != MB_OK ||
	    (rc = mb_sync_keyring_load(from, &kr, &d)) != MB_OK)
		goto out;
	while (max <= 0 || items < max) {
		struct mb_sync_batch		*b = NULL;
		struct mb_sync_apply_result	 r;
		struct body			 bd = { MB_BUF_INIT, 0, 0 };
		int64_t				 c0, w0, c1, w1;

		if ((rc = mb_store_log(from, after, limit, add_line, &bd,
		    &d)) != MB_OK || bd.n == 0) {
			mb_buf_free(&bd.b);
			break;
		}
		if ((rc = mb_sync_batch_parse(bd.b.data, bd.b.len, &b, &d)) !=
		    MB_OK) {
			mb_buf_free(&bd.b);
			break;
		}
		mb_sync_batch_verify(b, kr, 0, bd.n);
		c0 = us_of(CLOCK_THREAD_CPUTIME_ID);
		w0 = us_of(CLOCK_MONOTONIC);
		rc = mb_sync_batch_apply_from(to, b, src->conf.id, &r, &d);
		c1 = us_of(CLOCK_THREAD_CPUTIME_ID);
		w1 = us_of(CLOCK_MONOTONIC);
		mb_sync_batch_free(b);
		mb_buf_free(&bd.b);
		if (rc != MB_OK)
			break;
		printf("batch n=%zu applied=%lld apply_cpu_us=%lld "
		    "apply_us=%lld\n", bd.n, (long long)r.applied,
		    (long long)(c1 - c0), (long long)(w1 - w0));
		cpu += c1 - c0;
		wall += w1 - w0;
		items += (int64_t)bd.n;
		after = bd.last;
	}
	if (rc == MB_OK)
		printf("total items=%lld apply_cpu_s=%.3f apply_s=%.3f "
		    "cpu_us_per_item=%.1f\n", (long long)items, cpu / 1e6,
		    wall / 1e6, items ? (double)cpu / (double)items : 0.0);
out:
	if (rc != MB_OK)
		fprintf(stderr, "apply_bench: %s\n", d.msg);
	mb_sync_keyring_free(kr);
	mb_store_close(to);
	mb_store_close(from);
	mb_center_close(dst);
	mb_center_close(src);
	return rc == MB_OK ? 0 : 1;
}
