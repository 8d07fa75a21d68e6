/* SPDX-License-Identifier: MIT */
/* Operations: /healthz, /metrics, and /api/v1/changes (a long-poll). */
#include <stdlib.h>
#include <string.h>

#include "base/timeutil.h"
#include "http_int.h"
#include "http/federation.h"

static void
healthz(struct mb_req *r)
{
	struct mb_store		*st;
	struct mb_store_stats	 s;
	struct mb_diag		 d = { "" };
	int			 rc;

	mb_resp_private(r);
	if ((st = mb_req_store_or_reply(r)) == NULL)
		return;
	if ((rc = mb_store_stats(st, &s, &d)) != MB_OK) {
		mb_resp_error(r, 503, "unhealthy", "store: %s",
		    mb_diag_msg(&d, rc));
		return;
	}
	mb_resp_json(r, 200, json_pack("{s:s, s:s, s:I}", "status", "ok",
	    "center", mb_req_node(r)->conf.id, "log_seq",
	    (json_int_t)s.last_seq));
}

/* The index lag in seconds: the age of the oldest item waiting. */
static double
lag_seconds(const struct mb_store_stats *s)
{
	int64_t ms;

	if (s->unindexed == 0 || s->unindexed_since_ms == 0)
		return 0.0;
	ms = mb_time_now_ms() - s->unindexed_since_ms;
	return ms > 0 ? (double)ms / 1000.0 : 0.0;
}

static void
metrics(struct mb_req *r)
{
	struct mb_buf		 b = MB_BUF_INIT;
	struct mb_store		*st;
	struct mb_store_stats	 s;
	struct mb_diag		 d = { "" };

	mb_resp_private(r);
	if ((st = mb_req_store_or_reply(r)) == NULL)
		return;
	if (mb_metrics_render(mb_http__metrics(mb_req_server(r)), &b) !=
	    MB_OK)
		goto nomem;
	/* Each request thread serves its own connections (lanes.c). */
	if (mb_buf_puts(&b, "# HELP mediabridge_http_connections Open "
	    "client connections by request thread.\n"
	    "# TYPE mediabridge_http_connections gauge\n") != MB_OK)
		goto nomem;
	for (unsigned i = 0;; i++) {
		int n = mb_http__thread_connections(mb_req_server(r), i);

		if (n < 0)
			break;
		if (mb_buf_printf(&b, "mediabridge_http_connections{thread="
		    "\"%u\"} %d\n", i, n) != MB_OK)
			goto nomem;
	}
	if (mb_store_stats(st, &s, &d) == MB_OK)
		mb_buf_printf(&b,
		    "# HELP mediabridge_items Items stored (current "
		    "versions).\n# TYPE mediabridge_items gauge\n"
		    "mediabridge_items %lld\n"
		    "# TYPE mediabridge_versions gauge\n"
		    "mediabridge_versions %lld\n"
		    "# HELP mediabridge_log_seq The log's last sequence "
		    "number.\n# TYPE mediabridge_log_seq gauge\n"
		    "mediabridge_log_seq %lld\n"
		    "# TYPE mediabridge_unindexed gauge\n"
		    "mediabridge_unindexed %lld\n"
		    "# HELP mediabridge_index_lag_items Items stored but not "
		    "yet searchable (0: every item is found by search).\n"
		    "# TYPE mediabridge_index_lag_items gauge\n"
		    "mediabridge_index_lag_items %lld\n"
		    "# HELP mediabridge_index_lag_seconds How long the oldest "
		    "item not yet searchable has waited (0 when none "
		    "waits).\n"
		    "# TYPE mediabridge_index_lag_seconds gauge\n"
		    "mediabridge_index_lag_seconds %.3f\n"
		    "# HELP mediabridge_index_segments Segments of the "
		    "full-text index (merged when the center is idle; "
		    "0 on PostgreSQL).\n"
		    "# TYPE mediabridge_index_segments gauge\n"
		    "mediabridge_index_segments %lld\n",
		    (long long)s.items, (long long)s.versions,
		    (long long)s.last_seq, (long long)s.unindexed,
		    (long long)s.unindexed, lag_seconds(&s),
		    (long long)s.index_segments);
	if (mb_buf_printf(&b, "# TYPE mediabridge_http_in_flight gauge\n"
	    "mediabridge_http_in_flight %d\n",
	    mb_http__in_flight(mb_req_server(r))) != MB_OK)
		goto nomem;
	/* The exchange's peers (src/http/routes_federation.c). */
	if (mb_http_federation_metrics(st, &b) == MB_ERR_NOMEM)
		goto nomem;
	mb_resp_take(r, 200, "text/plain; version=0.0.4", mb_buf_steal(&b),
	    b.len);
	return;
nomem:
	mb_buf_free(&b);
	mb_resp_error(r, 503, "unavailable", "out of memory");
}

/*
 * GET /api/v1/changes?after=SEQ&wait=S: the log's last seq, as soon as
 * it is past SEQ or S seconds (at most 60) have passed. For newsroom
 * screens that refresh when something changes; a signed-in user only.
 * It is also the worked example of a long-poll handler (docs/http.md).
 */
struct changes_state {
	int64_t deadline;
};

static void
changes(struct mb_req *r)
{
	struct changes_state	*cs = mb_req_data(r);
	struct mb_store		*st;
	struct mb_store_stats	 s;
	struct mb_diag		 d = { "" };
	const char		*q;
	char			*end;
	long long		 after = 0, wait = 0;
	int			 rc;

	if (mb_req_user(r) == NULL) {
		mb_resp_error(r, 401, "unauthorized", "sign in first");
		return;
	}
	if ((q = mb_req_query(r, "after")) != NULL) {
		after = strtoll(q, &end, 10);
		if (*q == '\0' || *end != '\0' || after < 0) {
			mb_resp_error(r, 400, "invalid",
			    "after: a log sequence number");
			return;
		}
	}
	if ((q = mb_req_query(r, "wait")) != NULL) {
		wait = strtoll(q, &end, 10);
		if (*q == '\0' || *end != '\0' || wait < 0 || wait > 60) {
			mb_resp_error(r, 400, "invalid",
			    "wait: seconds, from 0 to 60");
			return;
		}
	}
	if (cs == NULL) {
		if ((cs = malloc(sizeof(*cs))) == NULL) {
			mb_resp_error(r, 503, "unavailable", "out of memory");
			return;
		}
		cs->deadline = mb_time_mono_ms() + wait * 1000;
		mb_req_set_data(r, cs, free);
	}
	if ((st = mb_req_store_or_reply(r)) == NULL)
		return;
	if ((rc = mb_store_stats(st, &s, &d)) != MB_OK) {
		mb_resp_err(r, rc, &d);
		return;
	}
	if (s.last_seq <= after && mb_time_mono_ms() < cs->deadline &&
	    !mb_http_stopping(mb_req_server(r))) {
		mb_resp_wait(r, cs->deadline);
		return;
	}
	mb_resp_json(r, 200, json_pack("{s:I, s:b}", "seq",
	    (json_int_t)s.last_seq, "changed", s.last_seq > after));
}

const struct mb_route mb_routes_ops[] = {
	{ "GET", "/healthz", healthz, MB_ROUTE_NOLOG, "healthz" },
	{ "GET", "/metrics", metrics, 0, "metrics" },
	{ "GET", "/api/v1/changes", changes, 0, "changes" },
	MB_ROUTES_END
};

