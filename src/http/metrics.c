/* SPDX-License-Identifier: MIT */
/* Request counters and the latency histogram, in Prometheus text form. */
#include "http_int.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const unsigned statuses[] = { 200, 201, 204, 304, 400, 401, 403,
	404, 405, 409, 412, 413, 415, 428, 429, 431, 500, 503, 0 };
#define NSTATUS (sizeof(statuses) / sizeof(statuses[0]))

/* Upper bounds in microseconds. */
static const int64_t bounds_us[] = { 250, 500, 1000, 2500, 5000, 10000,
	25000, 50000, 100000, 250000, 500000, 1000000, 2500000, 5000000 };
#define NBUCKET (sizeof(bounds_us) / sizeof(bounds_us[0]))

struct mb_metrics {
	int			 nroutes;
	atomic_uint_fast64_t	*counts;	/* (nroutes + 1) * NSTATUS */
	atomic_uint_fast64_t	 buckets[NBUCKET + 1];
	atomic_uint_fast64_t	 sum_us;
	atomic_uint_fast64_t	 hits, misses;
};

int
mb_metrics_new(int nroutes, struct mb_metrics **out)
{
	struct mb_metrics *m;

	if ((m = calloc(1, sizeof(*m))) == NULL)
		return MB_ERR_NOMEM;
	m->nroutes = nroutes;
	m->counts = calloc((size_t)(nroutes + 1) * NSTATUS,
	    sizeof(*m->counts));
	if (m->counts == NULL) {
		free(m);
		return MB_ERR_NOMEM;
	}
	*out = m;
	return MB_OK;
}

void
mb_metrics_free(struct mb_metrics *m)
{
	if (m == NULL)
		return;
	free(m->counts);
	free(m);
}

void
mb_metrics_record(struct mb_metrics *m, int route, unsigned status,
    int64_t us)
{
	size_t s, b;

	for (s = 0; s < NSTATUS - 1 && statuses[s] != status; s++)
		;
	if (route < 0 || route >= m->nroutes)
		route = m->nroutes;
	atomic_fetch_add_explicit(&m->counts[(size_t)route * NSTATUS + s], 1,
	    memory_order_relaxed);
	for (b = 0; b < NBUCKET && us > bounds_us[b]; b++)
		;
	atomic_fetch_add_explicit(&m->buckets[b], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&m->sum_us, (uint_fast64_t)(us < 0 ? 0 : us),
	    memory_order_relaxed);
}

void
mb_metrics_cache(struct mb_metrics *m, bool hit)
{
	atomic_fetch_add_explicit(hit ? &m->hits : &m->misses, 1,
	    memory_order_relaxed);
}

int
mb_metrics_render(struct mb_metrics *m, struct mb_buf *out)
{
	uint64_t	cum = 0, total = 0;
	int		rc = 0;

	rc |= mb_buf_puts(out, "# HELP mediabridge_http_requests_total "
	    "HTTP requests by route and status.\n"
	    "# TYPE mediabridge_http_requests_total counter\n");
	for (int r = 0; r <= m->nroutes; r++) {
		const struct mb_route *rt = r < m->nroutes ? mb_router_at(r) :
		    NULL;

		for (size_t s = 0; s < NSTATUS; s++) {
			uint64_t n = atomic_load_explicit(
			    &m->counts[(size_t)r * NSTATUS + s],
			    memory_order_relaxed);
			char st[16];

			if (n == 0)
				continue;
			if (statuses[s] != 0)
				snprintf(st, sizeof(st), "%u", statuses[s]);
			else
				snprintf(st, sizeof(st), "other");
			rc |= mb_buf_printf(out,
			    "mediabridge_http_requests_total{route=\"%s\","
			    "status=\"%s\"} %llu\n", rt ? rt->name : "none", st,
			    (unsigned long long)n);
		}
	}
	rc |= mb_buf_puts(out, "# HELP mediabridge_http_request_seconds "
	    "Time from request to response.\n"
	    "# TYPE mediabridge_http_request_seconds histogram\n");
	for (size_t b = 0; b <= NBUCKET; b++)
		total += atomic_load_explicit(&m->buckets[b],
		    memory_order_relaxed);
	for (size_t b = 0; b < NBUCKET; b++) {
		cum += atomic_load_explicit(&m->buckets[b],
		    memory_order_relaxed);
		rc |= mb_buf_printf(out, "mediabridge_http_request_seconds_"
		    "bucket{le=\"%g\"} %llu\n", (double)bounds_us[b] / 1e6,
		    (unsigned long long)cum);
	}
	rc |= mb_buf_printf(out, "mediabridge_http_request_seconds_bucket"
	    "{le=\"+Inf\"} %llu\n"
	    "mediabridge_http_request_seconds_sum %.6f\n"
	    "mediabridge_http_request_seconds_count %llu\n",
	    (unsigned long long)total,
	    (double)atomic_load_explicit(&m->sum_us, memory_order_relaxed) /
	    1e6, (unsigned long long)total);
	rc |= mb_buf_printf(out,
	    "# TYPE mediabridge_http_cache_hits_total counter\n"
	    "mediabridge_http_cache_hits_total %llu\n"
	    "# TYPE mediabridge_http_cache_misses_total counter\n"
	    "mediabridge_http_cache_misses_total %llu\n",
	    (unsigned long long)atomic_load(&m->hits),
	    (unsigned long long)atomic_load(&m->misses));
	return rc != 0 ? MB_ERR_NOMEM : MB_OK;
}
