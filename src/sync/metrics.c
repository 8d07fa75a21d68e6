/* SPDX-License-Identifier: MIT */
/* The exchange's lines for /metrics: each peer's state, this process's counters, and each link's policy and use. */
#include "puller_int.h"

struct metrics_ctx {
	struct mb_buf	*out;
	struct mb_sync	*s;
	struct mb_store	*st;
};

/* A link's policy and use, where it has a policy (link.h). */
static int
link_metrics(struct metrics_ctx *m, const char *center)
{
	struct mb_link_policy	p;
	int64_t			now = mb_time_now_ms();

	if (mb_store_link_get(m->st, center, &p, NULL) != MB_OK)
		return MB_OK;
	if (mb_buf_printf(m->out,
	    "mediabridge_peer_link_used_bytes{peer=\"%s\"} %lld\n"
	    "mediabridge_peer_link_quota_bytes{peer=\"%s\"} %lld\n"
	    "mediabridge_peer_link_over_quota{peer=\"%s\"} %d\n"
	    "mediabridge_peer_link_max_rate_bytes{peer=\"%s\"} %lld\n"
	    "mediabridge_peer_link_in_window{peer=\"%s\"} %d\n",
	    center, (long long)(p.period_ms == mb_link_period_start(p.period,
	    now) ? p.used : 0), center, (long long)p.quota, center,
	    mb_link_over_quota(&p, now) ? 1 : 0, center,
	    (long long)p.max_rate, center,
	    mb_link_in_window(&p, (time_t)(now / 1000)) ? 1 : 0) != MB_OK)
		return MB_ERR_NOMEM;
	return MB_OK;
}

static int
peer_metrics(const struct mb_peer *p, void *arg)
{
	struct metrics_ctx	*m = arg;
	int64_t			 backoff = 0, wire = 0, raw = 0, errors = 0;
	int64_t			 dups = 0;

	if (m->s != NULL) {
		pthread_mutex_lock(&m->s->lock);
		for (struct worker *w = m->s->workers; w != NULL; w = w->next)
			if (strcmp(w->center, p->center) == 0) {
				backoff = w->backoff_ms;
				wire = w->wire_bytes;
				raw = w->raw_bytes;
				errors = w->errors;
				dups = w->dups;
			}
		pthread_mutex_unlock(&m->s->lock);
	}
	if (mb_buf_printf(m->out,
	    "mediabridge_peer_cursor{peer=\"%s\"} %lld\n"
	    "mediabridge_peer_received_total{peer=\"%s\"} %lld\n"
	    "mediabridge_peer_refused_total{peer=\"%s\"} %lld\n"
	    "mediabridge_peer_last_success_seconds{peer=\"%s\"} %.3f\n"
	    "mediabridge_peer_last_error_seconds{peer=\"%s\"} %.3f\n"
	    "mediabridge_peer_up{peer=\"%s\"} %d\n"
	    "mediabridge_peer_errors_total{peer=\"%s\"} %lld\n"
	    "mediabridge_peer_backoff_ms{peer=\"%s\"} %lld\n"
	    "mediabridge_peer_wire_bytes_total{peer=\"%s\"} %lld\n"
	    "mediabridge_peer_raw_bytes_total{peer=\"%s\"} %lld\n"
	    "mediabridge_peer_duplicates_total{peer=\"%s\"} %lld\n",
	    p->center, (long long)p->cursor, p->center, (long long)p->received,
	    p->center, (long long)p->refused, p->center,
	    (double)p->last_ok_ms / 1000.0, p->center,
	    (double)p->last_err_ms / 1000.0, p->center,
	    p->last_ok_ms >= p->last_err_ms && p->last_ok_ms > 0 ? 1 : 0,
	    p->center, (long long)errors, p->center, (long long)backoff,
	    p->center, (long long)wire, p->center, (long long)raw,
	    p->center, (long long)dups) != MB_OK)
		return MB_ERR_NOMEM;
	return link_metrics(m, p->center);
}

int
mb_sync_metrics(struct mb_sync *s, struct mb_store *st, struct mb_buf *out,
    struct mb_diag *d)
{
	struct metrics_ctx m = { out, s, st };

	if (mb_buf_printf(out,
	    "# TYPE mediabridge_peer_cursor gauge\n"
	    "# TYPE mediabridge_peer_received_total counter\n"
	    "# TYPE mediabridge_peer_refused_total counter\n"
	    "# TYPE mediabridge_registry_version gauge\n"
	    "mediabridge_registry_version %lld\n",
	    (long long)mb_sync_registry_version(st)) != MB_OK)
		return MB_ERR_NOMEM;
	return mb_store_peer_list(st, peer_metrics, &m, d);
}
