/* SPDX-License-Identifier: MIT */
/*
 * /api/v1/stats: the impact figures as JSON rows or CSV, for the
 * newsroom's staff (docs/impact.md). The arguments are read by
 * src/impact/stats.c, the rows come from the store's aggregates: no
 * reader is in either.
 */
#include <string.h>

#include "base/buf.h"
#include "base/timeutil.h"
#include "http/http.h"
#include "http_int.h"
#include "impact/impact.h"
#include "impact/service.h"
#include "newsroom/policy.h"

/* False, having answered 401 or 403, unless the newsroom's staff asks. */
bool mb_http__impact_staff_or_reply(struct mb_req *r);

bool
mb_http__impact_staff_or_reply(struct mb_req *r)
{
	if (mb_req_user(r) == NULL) {
		mb_resp_header(r, "WWW-Authenticate", "Bearer");
		mb_resp_error(r, 401, "unauthorized", "sign in or send a "
		    "bearer token");
		return false;
	}
	if (mb_req_role(r) < MB_ROLE_TRANSLATOR) {
		mb_resp_error(r, 403, "forbidden", "the impact figures are "
		    "for the newsroom's staff");
		return false;
	}
	return true;
}

struct collect {
	enum mb_impact_by	 by;
	json_t			*rows;
	struct mb_buf		*csv;
};

static int
on_row(const struct mb_impact_row *row, void *arg)
{
	struct collect *c = arg;

	if (c->csv != NULL)
		return mb_impact_csv_row(row, c->by, c->csv);
	return json_array_append_new(c->rows, mb_impact_row_json(row, c->by))
	    == 0 ? MB_OK : MB_ERR_NOMEM;
}

static void
get_stats(struct mb_req *r)
{
	struct mb_impact_args	 a;
	struct mb_impact_query	 q;
	struct mb_diag		 d = { "" };
	struct mb_store		*st;
	struct collect		 c;
	struct mb_buf		 csv = MB_BUF_INIT;
	const char		*fmt = mb_req_query(r, "format");
	char			 today[16];
	int			 rc;

	if (!mb_http__impact_staff_or_reply(r))
		return;
	if (fmt != NULL && strcmp(fmt, "csv") != 0 &&
	    strcmp(fmt, "json") != 0) {
		mb_resp_error(r, 400, "bad_request", "format: json or csv");
		return;
	}
	memset(&a, 0, sizeof(a));
	a.from = mb_req_query(r, "from");
	a.to = mb_req_query(r, "to");
	a.by = mb_req_query(r, "by");
	a.center = mb_req_query(r, "center");
	a.kind = mb_req_query(r, "kind");
	a.key = mb_req_query(r, "key");
	a.campaign = mb_req_query(r, "campaign");
	a.limit = mb_req_query(r, "limit");
	mb_impact_day(mb_time_now_ms(), today);
	if ((rc = mb_impact_args_parse(&a, mb_req_node(r)->conf.id, today, &q,
	    &d)) != MB_OK) {
		mb_resp_err(r, rc, &d);
		return;
	}
	if ((st = mb_req_store_or_reply(r)) == NULL)
		return;
	c.by = q.by;
	c.csv = NULL;
	c.rows = json_array();
	if (fmt != NULL && strcmp(fmt, "csv") == 0) {
		c.csv = &csv;
		mb_impact_csv_header(q.by, &csv);
	}
	if ((rc = mb_store_impact_query(st, &q, on_row, &c, &d)) != MB_OK) {
		json_decref(c.rows);
		mb_buf_free(&csv);
		mb_resp_err(r, rc, &d);
		return;
	}
	if (c.csv != NULL) {
		json_decref(c.rows);
		mb_resp_header(r, "Content-Disposition", "attachment; "
		    "filename=\"impact.csv\"");
		mb_resp_take(r, 200, "text/csv; charset=utf-8", csv.data,
		    csv.len);
		return;
	}
	mb_resp_json(r, 200, json_pack("{s:s, s:s, s:s, s:s?, s:o}",
	    "from", q.from, "to", q.to, "by", mb_impact_by_name(q.by),
	    "center", q.center, "rows", c.rows));
}

/*
 * Flushes the counters and publishes today's report so far at once
 * (editors and admins): the figures then reach HQ within a pull.
 */
static void
post_report(struct mb_req *r)
{
	struct mb_impact_service	*s;
	struct mb_diag			 d = { "" };
	int				 rc;

	if (!mb_http__impact_staff_or_reply(r))
		return;
	if (mb_req_role(r) < MB_ROLE_EDITOR) {
		mb_resp_error(r, 403, "forbidden", "editors and admins publish "
		    "reports");
		return;
	}
	if ((s = mb_http__impact_service(mb_req_server(r))) == NULL) {
		mb_resp_error(r, 409, "counting_off", "counting is off here "
		    "([impact] count = off)");
		return;
	}
	if ((rc = mb_impact_service_report_now(s, &d)) != MB_OK) {
		mb_resp_err(r, rc, &d);
		return;
	}
	mb_resp_json(r, 200, json_pack("{s:b}", "published", 1));
}

const struct mb_route mb_routes_stats[] = {
	{ "GET", "/api/v1/stats", get_stats, 0, "stats.get" },
	{ "POST", "/api/v1/stats/report", post_report, MB_ROUTE_SMALL,
	  "stats.report" },
	MB_ROUTES_END
};
