/* SPDX-License-Identifier: MIT */
/*
 * The impact view in the newsroom (docs/impact.md, "The impact view"):
 * this center's figures for any period -- views over time, by country,
 * by language, top items, top referrers, campaigns -- each drawn as a
 * server-rendered SVG chart (src/impact/chart.c) with a table of the
 * same figures beside it and its CSV (the stats API's); and the
 * network's view: every center's figures and signed reports, and the
 * reach of the most read items at each center. Staff only, counts only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/timeutil.h"
#include "http_int.h"
#include "impact/chart.h"
#include "impact/impact.h"
#include "impact/report.h"
#include "nr_int.h"

#define TABLE_MAX	100	/* rows in a table (the CSV has up to 1,000) */
#define REPORT_DAYS	31	/* days of reports listed per center */

struct section {
	const char	*id;		/* the chart's id on the page */
	enum mb_impact_by by;
	const char	*title;		/* catalog key */
	const char	*head;		/* the key column's heading */
};

static const struct section mine[] = {
	{ "days", MB_IMPACT_BY_DAY, "impact.days", "impact.day" },
	{ "countries", MB_IMPACT_BY_COUNTRY, "impact.countries",
	  "impact.country" },
	{ "languages", MB_IMPACT_BY_LANGUAGE, "impact.languages",
	  "impact.language" },
	{ "items", MB_IMPACT_BY_ITEM, "impact.items", "impact.item" },
	{ "referrers", MB_IMPACT_BY_REFERRER, "impact.referrers",
	  "impact.referrer" },
	{ "campaigns", MB_IMPACT_BY_CAMPAIGN, "impact.campaigns",
	  "impact.campaign" },
};

/* The rows of one query, kept for the chart and the table. */
struct rows {
	struct mb_impact_row	*v;
	size_t			 n, cap;
};

static int
on_row(const struct mb_impact_row *row, void *arg)
{
	struct rows *rs = arg;

	if (rs->n == rs->cap) {
		size_t			 cap = rs->cap > 0 ? rs->cap * 2 : 32;
		struct mb_impact_row	*nv;

		if ((nv = realloc(rs->v, cap * sizeof(*nv))) == NULL)
			return MB_ERR_NOMEM;
		rs->v = nv;
		rs->cap = cap;
	}
	rs->v[rs->n++] = *row;
	return MB_OK;
}

/* An item's headline, for its row ("" when it is not here). */
struct headline {
	char text[200];
	char lang[16];
};

static int
on_version(const struct mb_store_version *v, void *arg)
{
	struct headline *h = arg;

	snprintf(h->text, sizeof(h->text), "%s", v->headline != NULL ?
	    v->headline : "");
	snprintf(h->lang, sizeof(h->lang), "%s", v->language != NULL ?
	    v->language : "");
	return 1;
}

/* What a row is called: its key field, an item by its headline. */
static void
row_label(struct mb_store *st, const struct mb_impact_row *row,
    enum mb_impact_by by, char *out, size_t n, char *url, size_t un)
{
	url[0] = '\0';
	switch (by) {
	case MB_IMPACT_BY_DAY:
		snprintf(out, n, "%s", row->day);
		break;
	case MB_IMPACT_BY_COUNTRY:
		snprintf(out, n, "%s", row->country);
		break;
	case MB_IMPACT_BY_LANGUAGE:
		snprintf(out, n, "%s", row->lang[0] != '\0' ? row->lang : "-");
		break;
	case MB_IMPACT_BY_REFERRER:
		snprintf(out, n, "%s", row->referrer[0] != '\0' ?
		    row->referrer : "-");
		break;
	case MB_IMPACT_BY_CAMPAIGN:
		snprintf(out, n, "%s", row->campaign[0] != '\0' ?
		    row->campaign : "-");
		break;
	case MB_IMPACT_BY_CENTER:
		snprintf(out, n, "%s", row->center);
		break;
	case MB_IMPACT_BY_ITEM: {
		const char	*sl = strchr(row->key, '/');
		struct headline	 h = { "", "" };
		struct mb_diag	 d = { "" };
		char		 uri[MB_IMPACT_KEY_MAX + 32];

		if (strcmp(row->kind, "item") == 0 && sl != NULL) {
			snprintf(uri, sizeof(uri), "urn:mediabridge:%.*s:%s",
			    (int)(sl - row->key), row->key, sl + 1);
			(void)mb_store_get(st, uri, 0, on_version, &h, &d);
			snprintf(url, un, "/newsroom/items/%s", row->key);
		}
		if (h.text[0] != '\0')
			snprintf(out, n, "%s", h.text);
		else
			snprintf(out, n, "%s %s", row->kind, row->key);
		break;
	}
	default:
		snprintf(out, n, "%s %s", row->source, row->medium);
	}
}

/* The period's arguments as a query string ("from=…&to=…"). */
static void
period_qs(const struct mb_impact_query *q, char *out, size_t n)
{
	snprintf(out, n, "from=%s&to=%s", q->from, q->to);
}

/*
 * One section: the query, its chart (days with no views drawn as
 * zero) and its table. center: NULL for every center.
 */
static int
section(struct mb_page *p, struct mb_store *st, struct mb_tval *list,
    const struct section *s, const struct mb_impact_query *period,
    const char *center, const char *center_arg, struct mb_diag *d)
{
	struct mb_impact_query	 q = *period;
	struct rows		 rs = { NULL, 0, 0 };
	struct mb_chart_point	*pts = NULL;
	struct mb_buf		 svg = MB_BUF_INIT;
	struct mb_tval		*m, *tr;
	char			(*labels)[200] = NULL;
	char			 url[256], qs[64];
	size_t			 npts = 0;
	int			 span = 0, rc;

	q.by = s->by;
	q.center = center;
	q.limit = s->by == MB_IMPACT_BY_DAY ? MB_IMPACT_ROWS_MAX : TABLE_MAX;
	if ((rc = mb_store_impact_query(st, &q, on_row, &rs, d)) != MB_OK)
		goto out;
	if (s->by == MB_IMPACT_BY_DAY) {
		mb_impact_day_diff(q.from, q.to, &span);
		npts = (size_t)span + 1;
	} else {
		npts = rs.n;
	}
	pts = calloc(npts > 0 ? npts : 1, sizeof(*pts));
	labels = calloc(npts > 0 ? npts : 1, sizeof(*labels));
	if (pts == NULL || labels == NULL) {
		rc = mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
		goto out;
	}
	m = mb_tv_map(p->td, list, NULL);
	mb_tv_str(p->td, m, "id", s->id);
	mb_tv_str(p->td, m, "title", mb_page_msg(p, s->title));
	mb_tv_str(p->td, m, "head", mb_page_msg(p, s->head));
	period_qs(period, qs, sizeof(qs));
	mb_tv_printf(p->td, m, "csv", "/api/v1/stats?format=csv&limit=1000&"
	    "by=%s&%s&center=%s", mb_impact_by_name(s->by), qs, center_arg);
	tr = mb_tv_list(p->td, m, "rows");
	if (s->by == MB_IMPACT_BY_DAY) {
		/* Every day of the period, those without views as zero. */
		size_t j = 0;

		for (size_t i = 0; i < npts; i++) {
			mb_impact_day_add(q.from, (int)i, labels[i]);
			pts[i].label = labels[i];
			if (j < rs.n && strcmp(rs.v[j].day, labels[i]) == 0) {
				pts[i].views = rs.v[j].views;
				pts[i].uniques = rs.v[j].uniques;
				j++;
			}
		}
	}
	/* The table: the query's rows (days: those with views, oldest first). */
	for (size_t i = 0; i < rs.n; i++) {
		struct mb_tval *row = mb_tv_map(p->td, tr, NULL);

		if (s->by != MB_IMPACT_BY_DAY) {
			row_label(st, &rs.v[i], s->by, labels[i],
			    sizeof(labels[i]), url, sizeof(url));
			pts[i] = (struct mb_chart_point){ labels[i],
			    rs.v[i].views, rs.v[i].uniques };
		} else {
			url[0] = '\0';
		}
		mb_tv_str(p->td, row, "label", s->by == MB_IMPACT_BY_DAY ?
		    rs.v[i].day : labels[i]);
		if (url[0] != '\0')
			mb_tv_str(p->td, row, "url", url);
		mb_tv_int(p->td, row, "views", rs.v[i].views);
		mb_tv_int(p->td, row, "uniques", rs.v[i].uniques);
	}
	if (s->by == MB_IMPACT_BY_DAY)
		rc = mb_chart_days(s->id, mb_page_msg(p, s->title), pts, npts,
		    &svg);
	else
		rc = mb_chart_bars(s->id, mb_page_msg(p, s->title), pts, npts,
		    &svg);
	if (rc != MB_OK) {
		rc = mb_diag_set(d, rc, "impact: chart %s", s->id);
		goto out;
	}
	mb_tv_html(p->td, m, "svg", svg.data != NULL ? svg.data : "");
out:
	mb_buf_free(&svg);
	free(pts);
	free(labels);
	free(rs.v);
	return rc;
}

/* The period asked for, checked as the stats API checks it. */
static int
period(struct mb_req *r, struct mb_page *p, struct mb_impact_query *q,
    struct mb_diag *d)
{
	struct mb_impact_args	 a;
	char			 today[MB_IMPACT_DAY_LEN + 1];
	struct mb_tval		*m, *presets;
	static const int	 days[] = { 7, 30, 90, 365 };

	memset(&a, 0, sizeof(a));
	a.from = mb_req_query(r, "from");
	a.to = mb_req_query(r, "to");
	if (a.from != NULL && a.from[0] == '\0')
		a.from = NULL;
	if (a.to != NULL && a.to[0] == '\0')
		a.to = NULL;
	mb_impact_day(mb_time_now_ms(), today);
	m = mb_tv_map(p->td, p->root, "period");
	presets = mb_tv_list(p->td, m, "presets");
	for (size_t i = 0; i < sizeof(days) / sizeof(days[0]); i++) {
		struct mb_tval	*o = mb_tv_map(p->td, presets, NULL);
		char		 from[MB_IMPACT_DAY_LEN + 1];

		mb_impact_day_add(today, 1 - days[i], from);
		mb_tv_int(p->td, o, "days", days[i]);
		mb_tv_printf(p->td, o, "qs", "from=%s&to=%s", from, today);
	}
	if (mb_impact_args_parse(&a, mb_req_node(r)->conf.id, today, q, d) !=
	    MB_OK) {
		mb_tv_str(p->td, m, "from", a.from != NULL ? a.from : "");
		mb_tv_str(p->td, m, "to", a.to != NULL ? a.to : "");
		return MB_ERR_INVAL;
	}
	mb_tv_str(p->td, m, "from", q->from);
	mb_tv_str(p->td, m, "to", q->to);
	return MB_OK;
}

static void
impact_page(struct mb_req *r)
{
	struct mb_impact_query	 q;
	struct mb_store		*st;
	struct mb_page		 p;
	struct mb_diag		 d = { "" };
	struct mb_tval		*list;
	const char		*self = mb_req_node(r)->conf.id;
	int			 rc = MB_OK;

	if (!mb_nr_staff_or_login(r))
		return;
	if ((st = mb_req_store_or_reply(r)) == NULL)
		return;
	if (!mb_nr_begin(&p, r, "impact.title"))
		return;
	mb_tv_str(p.td, p.root, "action", "/newsroom/impact");
	if (period(r, &p, &q, &d) != MB_OK) {
		mb_tv_str(p.td, mb_tv_map(p.td, p.root, "errors"), "form",
		    d.msg);
		mb_page_finish(&p, 400, "nr_impact.html");
		return;
	}
	list = mb_tv_list(p.td, p.root, "sections");
	for (size_t i = 0; i < sizeof(mine) / sizeof(mine[0]) && rc == MB_OK;
	    i++)
		rc = section(&p, st, list, &mine[i], &q, self, self, &d);
	mb_page_finish_rc(&p, rc, &d, 200, "nr_impact.html");
}

/* ---- The network's view --------------------------------------------- */

struct centers {
	char	(*ids)[33];
	size_t	  n, cap;
};

static int
on_center(const struct mb_center *c, void *arg)
{
	struct centers *cs = arg;

	if (cs->n == cs->cap) {
		size_t	  cap = cs->cap > 0 ? cs->cap * 2 : 16;
		char	(*ni)[33] = realloc(cs->ids, cap * sizeof(*ni));

		if (ni == NULL)
			return MB_ERR_NOMEM;
		cs->ids = ni;
		cs->cap = cap;
	}
	snprintf(cs->ids[cs->n++], sizeof(cs->ids[0]), "%s", c->id);
	return MB_OK;
}

/* Every center's reports of the period's last REPORT_DAYS days. */
static int
reports(struct mb_page *p, struct mb_store *st, const struct centers *cs,
    const struct mb_impact_query *q, struct mb_diag *d)
{
	struct mb_tval	*list = mb_tv_list(p->td, p->root, "reports");
	int		 span = 0;

	mb_impact_day_diff(q->from, q->to, &span);
	if (span >= REPORT_DAYS)
		span = REPORT_DAYS - 1;
	for (size_t c = 0; c < cs->n; c++) {
		for (int i = 0; i <= span; i++) {
			struct mb_impact_report_info	 ri;
			struct mb_tval			*m;
			char				 day[MB_IMPACT_DAY_LEN + 1];
			int				 rc;

			mb_impact_day_add(q->to, -i, day);
			rc = mb_impact_report_info(st, cs->ids[c], day, &ri,
			    d);
			if (rc == MB_ERR_NOTFOUND)
				continue;
			if (rc != MB_OK)
				return rc;
			m = mb_tv_map(p->td, list, NULL);
			mb_tv_str(p->td, m, "center", ri.center);
			mb_tv_str(p->td, m, "day", ri.day);
			mb_tv_str(p->td, m, "uri", ri.uri);
			mb_tv_str(p->td, m, "origin", ri.origin);
			mb_tv_int(p->td, m, "version", ri.version);
			mb_tv_bool(p->td, m, "verified", ri.verified);
			mb_tv_str(p->td, m, "why", ri.why);
			mb_tv_int(p->td, m, "views", ri.views);
			mb_tv_int(p->td, m, "uniques", ri.uniques);
			mb_tv_int(p->td, m, "rows", (int64_t)ri.rows);
		}
	}
	return MB_OK;
}

/* An item's language versions (its translation group), kept a while. */
#define VERSIONS_MAX 16

struct versions {
	char	uri[VERSIONS_MAX][MB_IMPACT_KEY_MAX + 32];
	char	lang[VERSIONS_MAX][16];
	int	n;
};

static int
on_translation(const struct mb_store_translation *t, void *arg)
{
	struct versions *vs = arg;

	if (vs->n == VERSIONS_MAX)
		return 1;
	snprintf(vs->uri[vs->n], sizeof(vs->uri[0]), "%s", t->uri);
	snprintf(vs->lang[vs->n], sizeof(vs->lang[0]), "%s",
	    t->language != NULL ? t->language : "");
	vs->n++;
	return MB_OK;
}

/* "urn:mediabridge:c:l" to the counter's key "c/l"; false if not one. */
static bool
key_of(const char *uri, char *out, size_t n)
{
	const char *p = uri, *colon;

	if (strncmp(p, "urn:mediabridge:", 16) != 0)
		return false;
	p += 16;
	if ((colon = strchr(p, ':')) == NULL)
		return false;
	snprintf(out, n, "%.*s/%s", (int)(colon - p), p, colon + 1);
	return true;
}

/*
 * The reach of the most read items of the network: for each, every
 * language version of it (the translation provenance: its original
 * and its translations) and, for each version, the figures of each
 * center that read it -- an item from Cairo read at Cairo, at Manama
 * and at HQ, in Arabic and in English.
 */
static int
reach(struct mb_page *p, struct mb_store *st, const struct mb_impact_query *q,
    struct mb_diag *d)
{
	struct mb_impact_query	 top = *q;
	struct rows		 items = { NULL, 0, 0 };
	struct mb_tval		*list = mb_tv_list(p->td, p->root, "reach");
	struct versions		*vs = NULL, *shown = NULL;
	int			 rc;

	top.by = MB_IMPACT_BY_ITEM;
	top.center = NULL;
	top.kind = "item";
	top.limit = 10;
	if ((vs = calloc(1, sizeof(*vs))) == NULL ||
	    (shown = calloc(1, sizeof(*shown))) == NULL) {
		rc = mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
		goto out;
	}
	if ((rc = mb_store_impact_query(st, &top, on_row, &items, d)) !=
	    MB_OK)
		goto out;
	for (size_t i = 0; i < items.n && rc == MB_OK; i++) {
		struct mb_tval	*m, *cl;
		char		 label[200], url[256], uri[MB_IMPACT_KEY_MAX + 32];
		const char	*sl = strchr(items.v[i].key, '/');
		bool		 seen = false;

		if (sl == NULL)
			continue;
		snprintf(uri, sizeof(uri), "urn:mediabridge:%.*s:%s",
		    (int)(sl - items.v[i].key), items.v[i].key, sl + 1);
		/* A version of a group shown above is in that group's rows. */
		for (int k = 0; k < shown->n && !seen; k++)
			seen = strcmp(shown->uri[k], uri) == 0;
		if (seen)
			continue;
		memset(vs, 0, sizeof(*vs));
		rc = mb_store_translations(st, uri, true, MB_AUD_PUBLIC |
		    MB_AUD_NETWORK | MB_AUD_INTERNAL, mb_time_now_ms(),
		    on_translation, vs, d);
		if (rc != MB_OK)
			break;
		if (vs->n == 0) {	/* in no group: itself alone */
			struct headline	h = { "", "" };
			struct mb_diag	e = { "" };

			(void)mb_store_get(st, uri, 0, on_version, &h, &e);
			snprintf(vs->uri[0], sizeof(vs->uri[0]), "%s", uri);
			snprintf(vs->lang[0], sizeof(vs->lang[0]), "%s",
			    h.lang);
			vs->n = 1;
		}
		row_label(st, &items.v[i], MB_IMPACT_BY_ITEM, label,
		    sizeof(label), url, sizeof(url));
		m = mb_tv_map(p->td, list, NULL);
		mb_tv_str(p->td, m, "label", label);
		mb_tv_str(p->td, m, "key", items.v[i].key);
		cl = mb_tv_list(p->td, m, "centers");
		for (int k = 0; k < vs->n && rc == MB_OK; k++) {
			struct mb_impact_query	 one = *q;
			struct rows		 per = { NULL, 0, 0 };
			char			 key[MB_IMPACT_KEY_MAX];

			if (shown->n < VERSIONS_MAX)
				snprintf(shown->uri[shown->n++],
				    sizeof(shown->uri[0]), "%s", vs->uri[k]);
			if (!key_of(vs->uri[k], key, sizeof(key)))
				continue;
			one.by = MB_IMPACT_BY_CENTER;
			one.center = NULL;
			one.kind = "item";
			one.key = key;
			one.limit = 100;
			rc = mb_store_impact_query(st, &one, on_row, &per, d);
			for (size_t j = 0; j < per.n && rc == MB_OK; j++) {
				struct mb_tval *c = mb_tv_map(p->td, cl, NULL);

				mb_tv_str(p->td, c, "center", per.v[j].center);
				mb_tv_str(p->td, c, "lang", vs->lang[k][0] !=
				    '\0' ? vs->lang[k] : "-");
				mb_tv_bool(p->td, c, "original", k == 0 &&
				    vs->n > 1);
				mb_tv_int(p->td, c, "views", per.v[j].views);
				mb_tv_int(p->td, c, "uniques",
				    per.v[j].uniques);
			}
			free(per.v);
		}
	}
out:
	free(vs);
	free(shown);
	free(items.v);
	return rc;
}

static void
network_page(struct mb_req *r)
{
	static const struct section by_center = { "centers",
	    MB_IMPACT_BY_CENTER, "impact.centers", "impact.center" };
	struct mb_impact_query	 q;
	struct centers		 cs = { NULL, 0, 0 };
	struct mb_store		*st;
	struct mb_page		 p;
	struct mb_diag		 d = { "" };
	struct mb_tval		*list;
	int			 rc;

	if (!mb_nr_staff_or_login(r))
		return;
	if ((st = mb_req_store_or_reply(r)) == NULL)
		return;
	if (!mb_nr_begin(&p, r, "impact.network"))
		return;
	mb_tv_str(p.td, p.root, "action", "/newsroom/impact/network");
	mb_tv_bool(p.td, p.root, "network", true);
	if (period(r, &p, &q, &d) != MB_OK) {
		mb_tv_str(p.td, mb_tv_map(p.td, p.root, "errors"), "form",
		    d.msg);
		mb_page_finish(&p, 400, "nr_impact.html");
		return;
	}
	list = mb_tv_list(p.td, p.root, "sections");
	if ((rc = section(&p, st, list, &by_center, &q, NULL, "all", &d)) ==
	    MB_OK)
		rc = reach(&p, st, &q, &d);
	if (rc == MB_OK)
		rc = mb_store_center_list(st, on_center, &cs, &d);
	if (rc == MB_OK)
		rc = reports(&p, st, &cs, &q, &d);
	free(cs.ids);
	mb_page_finish_rc(&p, rc, &d, 200, "nr_impact.html");
}

const struct mb_route mb_routes_nr_impact[] = {
	{ "GET", "/newsroom/impact", impact_page, 0, "newsroom.impact" },
	{ "GET", "/newsroom/impact/network", network_page, 0,
	  "newsroom.impact_network" },
	MB_ROUTES_END
};
