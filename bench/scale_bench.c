/* SPDX-License-Identifier: MIT */
/* bench/scale's writer: log appends per second with concurrent writers on one store. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/store.h"

/*
 * usage: scale_bench LOCATION WRITERS SECONDS
 *
 * WRITERS threads, each with its own store handle (as separate processes
 * would have), append versions of about 3 KB, one transaction each (what
 * the items API does), for SECONDS. Prints one line:
 * "writers=W appends=N per_s=X". The log must come out whole: the run
 * fails if seq is not 1..N afterwards.
 */
static const char	*loc;
static atomic_int	 stop;
static atomic_long	 total;
static int		 failed;

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *
writer(void *arg)
{
	struct mb_store		*st;
	struct mb_store_version	 v;
	struct mb_diag		 d = { "" };
	char			 uri[96], env[3400];
	int			 id = (int)(intptr_t)arg;
	long			 n = 0;
	int64_t			 seq;

	if (mb_store_open(loc, NULL, &st, &d) != MB_OK) {
		fprintf(stderr, "scale_bench: %s\n", d.msg);
		failed = 1;
		return NULL;
	}
	memset(env, 'x', sizeof(env) - 1);
	env[sizeof(env) - 1] = '\0';
	while (!atomic_load(&stop)) {
		snprintf(uri, sizeof(uri), "urn:mediabridge:bench:w%d-%ld", id,
		    n);
		memset(&v, 0, sizeof(v));
		v.uri = uri;
		v.center = "bench";
		v.local = uri + 22;
		v.version = 1;
		v.origin = "bench";
		v.audience = "public";
		v.pub_status = "usable";
		v.workflow = "published";
		v.language = "en";
		v.headline = "A story";
		v.created_ms = v.first_ms = 1800000000000LL + n;
		v.envelope = env;
		v.envelope_len = sizeof(env) - 1;
		if (mb_store_put(st, &v, NULL, &seq, &d) != MB_OK) {
			fprintf(stderr, "scale_bench: put: %s\n", d.msg);
			failed = 1;
			break;
		}
		n++;
	}
	atomic_fetch_add(&total, n);
	mb_store_close(st);
	return NULL;
}

struct whole {
	int64_t	last;
	int	bad;
};

static int
check_seq(const struct mb_store_version *v, void *arg)
{
	struct whole *w = arg;

	if (v->seq != w->last + 1)
		w->bad++;
	w->last = v->seq;
	return MB_OK;
}

int
main(int argc, char **argv)
{
	struct mb_store	*st;
	struct mb_diag	 d = { "" };
	struct whole	 w = { 0, 0 };
	pthread_t	*t;
	int		 nw;
	double		 secs, t0, el;

	if (argc != 4) {
		fprintf(stderr,
		    "usage: scale_bench LOCATION WRITERS SECONDS\n");
		return 2;
	}
	loc = argv[1];
	nw = atoi(argv[2]);
	secs = atof(argv[3]);
	/* Create and migrate once, before the clock starts. */
	if (mb_store_open(loc, NULL, &st, &d) != MB_OK) {
		fprintf(stderr, "scale_bench: %s\n", d.msg);
		return 1;
	}
	if ((t = calloc((size_t)nw, sizeof(*t))) == NULL)
		return 1;
	t0 = now_s();
	for (int i = 0; i < nw; i++)
		pthread_create(&t[i], NULL, writer, (void *)(intptr_t)i);
	while (now_s() - t0 < secs && !failed) {
		struct timespec ts = { 0, 50000000L };

		nanosleep(&ts, NULL);
	}
	atomic_store(&stop, 1);
	for (int i = 0; i < nw; i++)
		pthread_join(t[i], NULL);
	el = now_s() - t0;
	if (mb_store_log(st, 0, 0, check_seq, &w, &d) != MB_OK ||
	    w.last != atomic_load(&total) || w.bad != 0) {
		fprintf(stderr, "scale_bench: the log is not whole (last=%lld "
		    "appends=%ld gaps=%d)\n", (long long)w.last,
		    atomic_load(&total), w.bad);
		failed = 1;
	}
	mb_store_close(st);
	free(t);
	printf("writers=%d appends=%ld per_s=%.0f\n", nw, atomic_load(&total),
	    (double)atomic_load(&total) / el);
	return failed;
}
