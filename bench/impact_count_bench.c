/* SPDX-License-Identifier: MIT */
/*
 * bench/impact_count_bench: what one counted view costs in the counter
 * (mb_impact_count), alone and with threads counting at once, so that
 * the per-request cost can be set against a cached page's (docs/
 * benchmarks.md, "impact"). Usage: impact_count_bench [THREADS] [N]
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "impact/impact.h"

static struct mb_impact	*im;
static long		 per_thread = 1000000;

static double
now_s(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *
worker(void *arg)
{
	struct mb_impact_hit	h;
	char			peer[32];
	long			t = (long)(intptr_t)arg;
	int64_t			now = (int64_t)time(NULL) * 1000;

	memset(&h, 0, sizeof(h));
	h.kind = "item";
	h.key = "bench/01JAAAAAAAAAAAAAAAAAAAAAAA";
	h.lang = "en";
	h.peer = peer;
	h.user_agent = "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) "
	    "Gecko/20100101 Firefox/120.0";
	h.referer = "https://news.example.org/today";
	h.host = "127.0.0.1:8080";
	/* wrk's case: one reader, again and again (the cached page's). */
	snprintf(peer, sizeof(peer), "127.0.0.%ld", t + 1);
	for (long i = 0; i < per_thread; i++)
		mb_impact_count(im, &h, now);
	return NULL;
}

int
main(int argc, char **argv)
{
	struct mb_impact_opts	 o;
	struct mb_diag		 d = { "" };
	int			 threads = argc > 1 ? atoi(argv[1]) : 1;
	pthread_t		 tid[64];
	double			 t0, t1, c0, c1;

	if (argc > 2)
		per_thread = atol(argv[2]);
	if (threads < 1 || threads > 64)
		return 2;
	memset(&o, 0, sizeof(o));
	o.center = "bench";
	o.geo_db = NULL;	/* the system's, when installed */
	if (mb_impact_new(&o, &im, &d) != MB_OK) {
		fprintf(stderr, "impact_count_bench: %s\n", d.msg);
		return 1;
	}
	t0 = now_s(CLOCK_MONOTONIC);
	c0 = now_s(CLOCK_PROCESS_CPUTIME_ID);
	for (int i = 0; i < threads; i++)
		pthread_create(&tid[i], NULL, worker, (void *)(intptr_t)i);
	for (int i = 0; i < threads; i++)
		pthread_join(tid[i], NULL);
	t1 = now_s(CLOCK_MONOTONIC);
	c1 = now_s(CLOCK_PROCESS_CPUTIME_ID);
	/* CPU time: on a shared machine, wall time counts others' turns. */
	printf("threads=%d views=%ld: %.0f ns CPU per view, %.2f M views/s "
	    "(wall)\n", threads, per_thread * threads,
	    (c1 - c0) * 1e9 / (double)(per_thread * threads),
	    (double)(per_thread * threads) / (t1 - t0) / 1e6);
	mb_impact_free(im);
	return 0;
}
