/* SPDX-License-Identifier: MIT */
/*
 * Campaigns (docs/impact.md, "Campaigns"): in the newsroom, the list and
 * a form to add one (editors and admins), and each campaign's page with
 * its reach before, during and after it, by country and by language,
 * each a chart with its table; in the API, the same as JSON
 * (/api/v1/campaigns). The rules are src/impact/campaign.c's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/log.h"
#include "base/timeutil.h"
#include "http_int.h"
#include "impact/campaign.h"
#include "impact/chart.h"
#include "impact/impact.h"
#include "newsroom/policy.h"
#include "nr_int.h"

bool mb_http__impact_staff_or_reply(struct mb_req *r);

static const char *const period_names[MB_REACH__N] = { "before", "during",
	"after" };

static int
add_campaign(struct mb_req *r, struct mb_store *st,
    const struct mb_campaign_args *a, int64_t *id, struct mb_diag *d)
{
	struct mb_campaign	 c;
	int			 rc;

	if (mb_req_role(r) < MB_ROLE_EDITOR)
		return mb_diag_set(d, MB_ERR_PERM, "editors and admins add "
		    "campaigns");
	if ((rc = mb_campaign_parse(a, &c, d)) != MB_OK)
		return rc;
	c.created_ms = mb_time_now_ms();
	if ((rc = mb_store_campaign_add(st, &c, id, d)) == MB_ERR_EXISTS)
		return mb_diag_set(d, rc, "utm_campaign: %s is another "
		    "campaign's", c.utm);
	if (rc == MB_OK)
		log_info("impact: campaign added id=%lld utm=%s by=%s",
		    (long long)*id, c.utm, mb_req_user(r)->name);
	return rc;
}

/* ---- The newsroom's pages ------------------------------------------- */

struct list_arg {
	struct mb_page	*p;
	struct mb_tval	*list;
};

static int
on_campaign(const struct mb_campaign *c, void *arg)
{
	struct list_arg	*la = arg;
	struct mb_tval	*m = mb_tv_map(la->p->td, la->list, NULL);

	mb_tv_str(la->p->td, m, "name", c->name);
	mb_tv_str(la->p->td, m, "utm", c->utm);
	mb_tv_str(la->p->td, m, "topics", c->topics);
	mb_tv_str(la->p->td, m, "starts", c->starts);
	mb_tv_str(la->p->td, m, "ends", c->ends);
	mb_tv_printf(la->p->td, m, "url", "/newsroom/campaigns/%lld",
	    (long long)c->id);
	return MB_OK;
}

static void
list_page(struct mb_req *r, unsigned status, const char *error,
    const struct mb_campaign_args *given)
{
	struct mb_store		*st;
	struct mb_page		 p;
	struct list_arg		 la;
	struct mb_diag		 d = { "" };
	struct mb_tval		*f;
	char			 today[MB_IMPACT_DAY_LEN + 1];
	int			 rc;

	if ((st = mb_req_store_or_reply(r)) == NULL)
		return;
	if (!mb_nr_begin(&p, r, "campaign.title"))
		return;
	if (error != NULL)
		mb_tv_str(p.td, mb_tv_map(p.td, p.root, "errors"), "form",
		    error);
	mb_tv_bool(p.td, p.root, "may_add", mb_req_role(r) >= MB_ROLE_EDITOR);
	mb_impact_day(mb_time_now_ms(), today);
	f = mb_tv_map(p.td, p.root, "form");
	mb_tv_str(p.td, f, "name", given != NULL && given->name != NULL ?
	    given->name : "");
	mb_tv_str(p.td, f, "utm", given != NULL && given->utm != NULL ?
	    given->utm : "");
	mb_tv_str(p.td, f, "topics", given != NULL && given->topics != NULL ?
	    given->topics : "");
	mb_tv_str(p.td, f, "items", given != NULL && given->items != NULL ?
	    given->items : "");
	mb_tv_str(p.td, f, "starts", given != NULL && given->starts != NULL ?
	    given->starts : today);
	mb_tv_str(p.td, f, "ends", given != NULL && given->ends != NULL ?
	    given->ends : "");
	la.p = &p;
	la.list = mb_tv_list(p.td, p.root, "campaigns");
	rc = mb_store_campaign_list(st, on_campaign, &la, &d);
	mb_page_finish_rc(&p, rc, &d, status, "nr_campaigns.html");
}

static void
campaigns(struct mb_req *r)
{
	if (!mb_nr_staff_or_login(r))
		return;
	list_page(r, 200, NULL, NULL);
}

static void
campaign_add_form(struct mb_req *r)
{
	struct mb_campaign_args	 a;
	struct mb_diag		 d = { "" };
	char			 to[64];
	int64_t			 id = 0;
	int			 rc;

	struct mb_store		*st;

	if (!mb_nr_staff_or_login(r))
		return;
	if ((st = mb_req_store_or_reply(r)) == NULL)
		return;
	a.name = mb_req_form(r, "name");
	a.utm = mb_req_form(r, "utm");
	a.topics = mb_req_form(r, "topics");
	a.items = mb_req_form(r, "items");
	a.starts = mb_req_form(r, "starts");
	a.ends = mb_req_form(r, "ends");
	if ((rc = add_campaign(r, st, &a, &id, &d)) != MB_OK) {
		unsigned status = rc == MB_ERR_INVAL ? 400 : rc ==
		    MB_ERR_EXISTS ? 409 : rc == MB_ERR_PERM ? 403 : 0;

		if (status == 0) {
			mb_resp_err(r, rc, &d);
			return;
		}
		/* The form again, as it was filled in, the reason above. */
		list_page(r, status, mb_diag_msg(&d, rc), &a);
		return;
	}
	snprintf(to, sizeof(to), "/newsroom/campaigns/%lld", (long long)id);
	mb_nr_see_other(r, to);
}

/* The campaign of the :id parameter; false when answered (404, 500). */
static bool
campaign_of(struct mb_req *r, struct mb_store *st, struct mb_campaign *c,
    bool html)
{
	const char	*s = mb_req_param(r, "id");
	struct mb_diag	 d = { "" };
	char		*end;
	long long	 id;
	int		 rc;

	id = s != NULL ? strtoll(s, &end, 10) : 0;
	if (s == NULL || *s == '\0' || *end != '\0' || id <= 0) {
		rc = mb_diag_set(&d, MB_ERR_NOTFOUND, "no such campaign");
	} else {
		rc = mb_store_campaign_get(st, id, c, &d);
	}
	if (rc == MB_ERR_NOTFOUND && html) {
		mb_nr_not_found(r);
		return false;
	}
	if (rc != MB_OK) {
		mb_resp_err(r, rc, &d);
		return false;
	}
	return true;
}

/* One period's rows (countries or languages) as a chart and a table. */
static int
reach_part(struct mb_page *p, struct mb_tval *m, const char *id,
    const char *title, const struct mb_reach_row *rows, size_t n)
{
	struct mb_chart_point	 pts[MB_REACH_KEYS + 1];
	struct mb_buf		 svg = MB_BUF_INIT;
	struct mb_tval		*list;
	int			 rc;

	mb_tv_str(p->td, m, "id", id);
	mb_tv_str(p->td, m, "title", title);
	list = mb_tv_list(p->td, m, "rows");
	for (size_t i = 0; i < n; i++) {
		struct mb_tval *row = mb_tv_map(p->td, list, NULL);

		pts[i] = (struct mb_chart_point){ rows[i].key, rows[i].views,
		    rows[i].uniques };
		mb_tv_str(p->td, row, "label", rows[i].key[0] != '\0' ?
		    rows[i].key : "-");
		mb_tv_int(p->td, row, "views", rows[i].views);
		mb_tv_int(p->td, row, "uniques", rows[i].uniques);
	}
	if ((rc = mb_chart_bars(id, title, pts, n, &svg)) == MB_OK)
		mb_tv_html(p->td, m, "svg", svg.data != NULL ? svg.data : "");
	mb_buf_free(&svg);
	return rc;
}

static void
campaign_page(struct mb_req *r)
{
	struct mb_reach_period	 reach[MB_REACH__N];
	struct mb_campaign	 c;
	struct mb_store		*st;
	struct mb_page		 p;
	struct mb_diag		 d = { "" };
	struct mb_tval		*cm, *periods;
	char			 today[MB_IMPACT_DAY_LEN + 1];
	int			 rc;

	if (!mb_nr_staff_or_login(r))
		return;
	if ((st = mb_req_store_or_reply(r)) == NULL)
		return;
	if (!campaign_of(r, st, &c, true))
		return;
	mb_impact_day(mb_time_now_ms(), today);
	if ((rc = mb_campaign_reach(st, &c, today, reach, &d)) != MB_OK) {
		mb_resp_err(r, rc, &d);
		return;
	}
	if (!mb_nr_begin(&p, r, "campaign.title"))
		return;
	cm = mb_tv_map(p.td, p.root, "campaign");
	mb_tv_str(p.td, cm, "name", c.name);
	mb_tv_str(p.td, cm, "utm", c.utm);
	mb_tv_str(p.td, cm, "topics", c.topics);
	mb_tv_str(p.td, cm, "items", c.items);
	mb_tv_str(p.td, cm, "starts", c.starts);
	mb_tv_str(p.td, cm, "ends", c.ends);
	periods = mb_tv_list(p.td, p.root, "periods");
	for (int i = 0; i < MB_REACH__N && rc == MB_OK; i++) {
		struct mb_tval	*m = mb_tv_map(p.td, periods, NULL);
		char		 id[32], key[32];

		snprintf(key, sizeof(key), "campaign.%s", period_names[i]);
		mb_tv_str(p.td, m, "name", period_names[i]);
		mb_tv_str(p.td, m, "title", mb_page_msg(&p, key));
		mb_tv_str(p.td, m, "from", reach[i].from);
		mb_tv_str(p.td, m, "to", reach[i].to);
		mb_tv_bool(p.td, m, "empty", reach[i].empty);
		mb_tv_int(p.td, m, "views", reach[i].views);
		mb_tv_int(p.td, m, "uniques", reach[i].uniques);
		if (reach[i].empty)
			continue;
		snprintf(id, sizeof(id), "%s-countries", period_names[i]);
		rc = reach_part(&p, mb_tv_map(p.td, m, "countries"), id,
		    mb_page_msg(&p, "impact.countries"), reach[i].country,
		    reach[i].ncountry);
		snprintf(id, sizeof(id), "%s-languages", period_names[i]);
		if (rc == MB_OK)
			rc = reach_part(&p, mb_tv_map(p.td, m, "languages"),
			    id, mb_page_msg(&p, "impact.languages"),
			    reach[i].lang, reach[i].nlang);
	}
	mb_page_finish_rc(&p, rc, &d, 200, "nr_campaign.html");
}

/* ---- The API -------------------------------------------------------- */

static json_t *
campaign_json(const struct mb_campaign *c)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s?}", "id",
	    (json_int_t)c->id, "name", c->name, "utm_campaign", c->utm,
	    "topics", c->topics, "items", c->items, "starts", c->starts,
	    "ends", c->ends[0] != '\0' ? c->ends : NULL);
}

static int
on_campaign_json(const struct mb_campaign *c, void *arg)
{
	return json_array_append_new(arg, campaign_json(c)) == 0 ? MB_OK :
	    MB_ERR_NOMEM;
}

static void
api_list(struct mb_req *r)
{
	struct mb_store	*st;
	struct mb_diag	 d = { "" };
	json_t		*list;
	int		 rc;

	if (!mb_http__impact_staff_or_reply(r) ||
	    (st = mb_req_store_or_reply(r)) == NULL)
		return;
	list = json_array();
	if ((rc = mb_store_campaign_list(st, on_campaign_json, list, &d)) !=
	    MB_OK) {
		json_decref(list);
		mb_resp_err(r, rc, &d);
		return;
	}
	mb_resp_json(r, 200, json_pack("{s:o}", "campaigns", list));
}

/*
 * A field's string; NULL when absent or null. Anything else (an array
 * of items, a number) is MB_ERR_INVAL naming it: taken as "not given",
 * a campaign was stored without the items or topics that were sent.
 */
static int
jstr(const json_t *o, const char *k, const char **out, struct mb_diag *d)
{
	const json_t *v = json_object_get(o, k);

	*out = json_string_value(v);
	if (v != NULL && !json_is_null(v) && *out == NULL)
		return mb_diag_set(d, MB_ERR_INVAL, "%s: not a string%s", k,
		    strcmp(k, "items") == 0 ? " (uris by spaces or commas)" :
		    strcmp(k, "topics") == 0 ? " (comma-separated)" : "");
	return MB_OK;
}

static void
api_add(struct mb_req *r)
{
	struct mb_campaign_args	 a;
	struct mb_campaign	 c;
	struct mb_store		*st;
	struct mb_diag		 d = { "" };
	json_t			*body;
	int64_t			 id = 0;
	int			 rc;

	if (!mb_http__impact_staff_or_reply(r) ||
	    (st = mb_req_store_or_reply(r)) == NULL)
		return;
	if ((body = mb_req_json_or_reply(r)) == NULL)
		return;
	if ((rc = jstr(body, "name", &a.name, &d)) == MB_OK &&
	    (rc = jstr(body, "utm_campaign", &a.utm, &d)) == MB_OK &&
	    (rc = jstr(body, "topics", &a.topics, &d)) == MB_OK &&
	    (rc = jstr(body, "items", &a.items, &d)) == MB_OK &&
	    (rc = jstr(body, "starts", &a.starts, &d)) == MB_OK &&
	    (rc = jstr(body, "ends", &a.ends, &d)) == MB_OK)
		rc = add_campaign(r, st, &a, &id, &d);
	json_decref(body);
	if (rc != MB_OK) {
		mb_resp_err(r, rc, &d);
		return;
	}
	if ((rc = mb_store_campaign_get(st, id, &c, &d)) != MB_OK) {
		mb_resp_err(r, rc, &d);
		return;
	}
	mb_resp_json(r, 201, json_pack("{s:o}", "campaign", campaign_json(&c)));
}

static json_t *
rows_json(const struct mb_reach_row *rows, size_t n, const char *field)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:s, s:I, s:I}", field,
		    rows[i].key, "views", (json_int_t)rows[i].views,
		    "uniques", (json_int_t)rows[i].uniques));
	return a;
}

static void
api_get(struct mb_req *r)
{
	struct mb_reach_period	 reach[MB_REACH__N];
	struct mb_campaign	 c;
	struct mb_store		*st;
	struct mb_diag		 d = { "" };
	char			 today[MB_IMPACT_DAY_LEN + 1];
	json_t			*o, *rj;
	int			 rc;

	if (!mb_http__impact_staff_or_reply(r) ||
	    (st = mb_req_store_or_reply(r)) == NULL ||
	    !campaign_of(r, st, &c, false))
		return;
	mb_impact_day(mb_time_now_ms(), today);
	if ((rc = mb_campaign_reach(st, &c, today, reach, &d)) != MB_OK) {
		mb_resp_err(r, rc, &d);
		return;
	}
	rj = json_object();
	for (int i = 0; i < MB_REACH__N; i++)
		json_object_set_new(rj, period_names[i], json_pack("{s:s, s:s, "
		    "s:b, s:I, s:I, s:o, s:o}", "from", reach[i].from, "to",
		    reach[i].to, "empty", reach[i].empty, "views",
		    (json_int_t)reach[i].views, "uniques",
		    (json_int_t)reach[i].uniques, "countries",
		    rows_json(reach[i].country, reach[i].ncountry, "country"),
		    "languages", rows_json(reach[i].lang, reach[i].nlang,
		    "language")));
	o = campaign_json(&c);
	json_object_set_new(o, "reach", rj);
	mb_resp_json(r, 200, json_pack("{s:o}", "campaign", o));
}

const struct mb_route mb_routes_campaigns[] = {
	{ "GET", "/newsroom/campaigns", campaigns, 0, "newsroom.campaigns" },
	{ "POST", "/newsroom/campaigns", campaign_add_form, MB_ROUTE_FORM |
	  MB_ROUTE_SMALL, "newsroom.campaign_add" },
	{ "GET", "/newsroom/campaigns/:id", campaign_page, 0,
	  "newsroom.campaign" },
	{ "GET", "/api/v1/campaigns", api_list, 0, "campaigns.list" },
	{ "POST", "/api/v1/campaigns", api_add, MB_ROUTE_SMALL,
	  "campaigns.add" },
	{ "GET", "/api/v1/campaigns/:id", api_get, 0, "campaigns.get" },
	MB_ROUTES_END
};
