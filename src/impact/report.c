/* SPDX-License-Identifier: MIT */
/*
 * The daily signed report: a center's aggregates of one day (counts
 * only) as an item of profile "impact-report", audience "network",
 * signed by the center like any item, so that the exchange carries it
 * to HQ and every peer verifies it with the center's key. Received
 * reports are checked again here (the signature is the center's, the
 * report names the center that signed it) and their rows replace that
 * center's rows of that day.
 */
#include "report.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/log.h"
#include "center/center.h"
#include "center/ingest.h"
#include "item/envelope.h"
#include "item/id.h"
#include "store/impact.h"

#define REPORT_PROFILE "impact-report"
#define REPORT_LOCAL "impact-"
#define REPORT_ROWS_MAX 2000
#define APPLY_BATCH 500
/*
 * The most views (or uniques) one row of a day may claim: far above any
 * center's, far below what a sum over the stats' longest period of
 * every row of every center can take in an int64 (SQLite's sum() fails
 * on overflow, and the stats API with it, for as long as it is kept).
 */
#define REPORT_FIGURE_MAX INT64_C(1000000000000)

static const char *const row_fields[] = {
	"kind", "key", "lang", "country", "referrer", "campaign", "source",
	"medium", "views", "uniques"
};
#define NFIELDS 10

struct collect {
	json_t	*rows;
	size_t	 n;
	int64_t	 other_views, other_uniques;
};

static int
on_day_row(const struct mb_impact_row *r, void *arg)
{
	struct collect	*c = arg;
	json_t		*row;

	/* Most views first: the tail beyond the cap is summed as one row. */
	if (c->n >= REPORT_ROWS_MAX) {
		c->other_views += r->views;
		c->other_uniques += r->uniques;
		return MB_OK;
	}
	row = json_pack("[ssssssssII]", r->kind, r->key, r->lang, r->country,
	    r->referrer, r->campaign, r->source, r->medium,
	    (json_int_t)r->views, (json_int_t)r->uniques);
	if (row == NULL) {
		/*
		 * A text that is not UTF-8 (kept before the counter made
		 * keys UTF-8) is no JSON string: failing here failed the
		 * day's report and the round with it, every minute. Its
		 * views still count, in the summed row.
		 */
		log_warn("impact: report: a row of %s is not UTF-8; summed "
		    "as (other)", r->day);
		c->other_views += r->views;
		c->other_uniques += r->uniques;
		return MB_OK;
	}
	if (json_array_append_new(c->rows, row) != 0)
		return MB_ERR_NOMEM;
	c->n++;
	return MB_OK;
}

struct current {
	int64_t	 version;
	char	*body;
};

static int
on_current(const struct mb_store_version *v, void *arg)
{
	struct current	*c = arg;
	json_t		*env, *val;

	c->version = v->version;
	if ((env = json_loadb(v->envelope, v->envelope_len, 0, NULL)) == NULL)
		return MB_OK;
	val = json_object_get(json_array_get(json_object_get(
	    json_object_get(env, "item"), "bodies"), 0), "value");
	if (json_is_string(val))
		c->body = strdup(json_string_value(val));
	json_decref(env);
	return MB_OK;
}

int
mb_impact_report_publish(const struct mb_center_node *n, struct mb_store *st,
    const char *day, bool *published, struct mb_diag *d)
{
	struct collect		 c = { NULL, 0, 0, 0 };
	struct current		 cur = { 0, NULL };
	struct mb_ingest	*ig = NULL;
	struct mb_prepared	*p = NULL;
	struct mb_ingest_result	 res;
	struct mb_ingest_opts	 o;
	char			 uri[MB_URI_MAX], local[64], vers[24], head[160];
	char			*body = NULL;
	json_t			*report = NULL, *item = NULL;
	int			 rc;

	*published = false;
	snprintf(local, sizeof(local), REPORT_LOCAL "%s", day);
	if (mb_uri_make(uri, sizeof(uri), n->conf.id, local) != MB_OK)
		return mb_diag_set(d, MB_ERR_INVAL, "impact: report: no uri "
		    "for %s", day);
	if ((c.rows = json_array()) == NULL)
		return mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
	if ((rc = mb_store_impact_day(st, n->conf.id, day, on_day_row, &c,
	    d)) != MB_OK)
		goto out;
	if (c.other_views > 0)
		json_array_append_new(c.rows, json_pack("[ssssssssII]", "item",
		    "(other)", "", "unknown", "", "", "", "",
		    (json_int_t)c.other_views, (json_int_t)c.other_uniques));
	report = json_pack("{s:s, s:s, s:[ssssssssss], s:O}", "center",
	    n->conf.id, "day", day, "fields", row_fields[0], row_fields[1],
	    row_fields[2], row_fields[3], row_fields[4], row_fields[5],
	    row_fields[6], row_fields[7], row_fields[8], row_fields[9],
	    "rows", c.rows);
	if (report == NULL || (body = json_dumps(report, JSON_COMPACT |
	    JSON_SORT_KEYS)) == NULL) {
		rc = mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
		goto out;
	}
	rc = mb_store_get(st, uri, 0, on_current, &cur, d);
	if (rc == MB_ERR_NOTFOUND) {
		mb_diag_clear(d);
		rc = MB_OK;
	}
	if (rc != MB_OK)
		goto out;
	/* Nothing new since the last report of the day: no new version. */
	if (cur.body != NULL && strcmp(cur.body, body) == 0)
		goto out;
	if (cur.version == 0 && c.n == 0)
		goto out;
	snprintf(vers, sizeof(vers), "%lld", (long long)cur.version + 1);
	snprintf(head, sizeof(head), "Impact report: %s, %s", n->conf.id, day);
	item = json_pack("{s:s, s:s, s:s, s:s, s:s, s:[{s:s}], "
	    "s:[{s:s, s:s, s:s}]}", "uri", uri, "version", vers, "type",
	    "text", "profile", REPORT_PROFILE, "language", "en", "headlines",
	    "value", head, "bodies", "role", "impact-report", "contentType",
	    "application/json", "value", body);
	if (item == NULL) {
		rc = mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
		goto out;
	}
	memset(&o, 0, sizeof(o));
	o.audience = "network";
	if ((rc = mb_ingest_new(n, st, &ig, d)) != MB_OK)
		goto out;
	rc = mb_ingest_prepare(ig, item, &o, &p, d);
	item = NULL;		/* stolen */
	if (rc != MB_OK)
		goto out;
	if ((rc = mb_ingest_commit(ig, st, p, true, &res, d)) != MB_OK)
		goto out;
	*published = !res.duplicate;
	if (*published)
		log_info("impact: report published uri=%s version=%lld rows=%zu",
		    res.uri, (long long)res.version, c.n);
out:
	mb_prepared_free(p);
	mb_ingest_free(ig);
	json_decref(item);
	json_decref(report);
	json_decref(c.rows);
	free(body);
	free(cur.body);
	return rc;
}

/* A report's rows into a table; MB_ERR_INVAL naming what is wrong. */
static int
parse_rows(const json_t *rows, const char *center, const char *day,
    struct mb_impact_row **out, size_t *nout, struct mb_diag *d)
{
	struct mb_impact_row	*v;
	size_t			 n = json_array_size(rows), i;
	const json_t		*row;

	if (!json_is_array(rows) || n > REPORT_ROWS_MAX + 1)
		return mb_diag_set(d, MB_ERR_INVAL, "rows: not an array of at "
		    "most %d", REPORT_ROWS_MAX + 1);
	if ((v = calloc(n > 0 ? n : 1, sizeof(*v))) == NULL)
		return mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
	json_array_foreach(rows, i, row) {
		char		*f[8] = { v[i].kind, v[i].key, v[i].lang,
		    v[i].country, v[i].referrer, v[i].campaign, v[i].source,
		    v[i].medium };
		size_t		 sz[8] = { sizeof(v[i].kind), sizeof(v[i].key),
		    sizeof(v[i].lang), sizeof(v[i].country),
		    sizeof(v[i].referrer), sizeof(v[i].campaign),
		    sizeof(v[i].source), sizeof(v[i].medium) };
		const json_t	*views = json_array_get(row, 8);
		const json_t	*uniq = json_array_get(row, 9);

		if (json_array_size(row) != NFIELDS || !json_is_integer(views) ||
		    !json_is_integer(uniq) || json_integer_value(views) < 0 ||
		    json_integer_value(uniq) < 0 ||
		    json_integer_value(uniq) > json_integer_value(views) ||
		    json_integer_value(views) > REPORT_FIGURE_MAX)
			goto bad;
		for (int j = 0; j < 8; j++) {
			const json_t *s = json_array_get(row, (size_t)j);

			if (!json_is_string(s) || json_string_length(s) >=
			    sz[j])
				goto bad;
			memcpy(f[j], json_string_value(s),
			    json_string_length(s) + 1);
		}
		snprintf(v[i].center, sizeof(v[i].center), "%s", center);
		snprintf(v[i].day, sizeof(v[i].day), "%s", day);
		v[i].views = json_integer_value(views);
		v[i].uniques = json_integer_value(uniq);
		continue;
bad:
		free(v);
		return mb_diag_set(d, MB_ERR_INVAL, "rows[%zu]: not [kind, "
		    "key, lang, country, referrer, campaign, source, medium, "
		    "views, uniques] within limits", i);
	}
	*out = v;
	*nout = n;
	return MB_OK;
}

int
mb_impact_report_check(struct mb_store *st, const struct mb_store_version *v,
    struct mb_impact_row **rows_out, size_t *n_out, struct mb_diag *d)
{
	struct mb_envelope	*env = NULL;
	struct mb_impact_row	*rows = NULL;
	const json_t		*item, *val;
	json_t			*rep = NULL;
	const char		*center, *day;
	size_t			 n = 0;
	int			 rc;

	/* Its center signed it: the origin is the uri's center... */
	if (v->origin == NULL || v->center == NULL ||
	    strcmp(v->origin, v->center) != 0)
		return mb_diag_set(d, MB_ERR_SIG, "not signed by its center");
	/* ...and the signature is that center's key (checked again here). */
	if ((rc = mb_envelope_parse(v->envelope, v->envelope_len, &env, d)) !=
	    MB_OK)
		return rc;
	/* A report signed before a key replacement: with the key of then. */
	if ((rc = mb_center_verify(st, v->origin, NULL, env, v->received_ms,
	    d)) != MB_OK) {
		rc = mb_diag_set(d, MB_ERR_SIG, "not signed by its center %s",
		    v->origin);
		goto out;
	}
	item = mb_envelope_item(env);
	val = json_object_get(json_array_get(json_object_get(item, "bodies"),
	    0), "value");
	if (!json_is_string(val) || (rep = json_loads(json_string_value(val),
	    JSON_REJECT_DUPLICATES, NULL)) == NULL) {
		rc = mb_diag_set(d, MB_ERR_INVAL, "the body is not a JSON "
		    "report");
		goto out;
	}
	center = json_string_value(json_object_get(rep, "center"));
	day = json_string_value(json_object_get(rep, "day"));
	if (center == NULL || strcmp(center, v->center) != 0) {
		rc = mb_diag_set(d, MB_ERR_SIG, "the report names center %s, "
		    "signed by %s", center != NULL ? center : "(none)",
		    v->center);
		goto out;
	}
	if (day == NULL || v->local == NULL ||
	    strncmp(v->local, REPORT_LOCAL, strlen(REPORT_LOCAL)) != 0 ||
	    strcmp(v->local + strlen(REPORT_LOCAL), day) != 0) {
		rc = mb_diag_set(d, MB_ERR_INVAL, "day: not the uri's");
		goto out;
	}
	if ((rc = parse_rows(json_object_get(rep, "rows"), center, day, &rows,
	    &n, d)) != MB_OK)
		goto out;
	*rows_out = rows;
	*n_out = n;
	rows = NULL;
out:
	free(rows);
	json_decref(rep);
	mb_envelope_free(env);
	return rc;
}

int
mb_impact_report_apply(struct mb_store *st, const struct mb_store_version *v,
    struct mb_diag *d)
{
	struct mb_impact_row	*rows = NULL;
	size_t			 n = 0;
	int			 rc;

	if ((rc = mb_impact_report_check(st, v, &rows, &n, d)) != MB_OK)
		return rc;
	rc = mb_store_impact_replace(st, v->center, v->local +
	    strlen(REPORT_LOCAL), rows, n, d);
	free(rows);
	return rc;
}

/* The current version of a report, held past the store's callback. */
struct held {
	struct mb_store_version	 v;
	char			 uri[MB_URI_MAX], origin[64], center[64];
	char			 local[MB_LOCAL_MAX + 1];
	char			*envelope;
};

static int on_version(const struct mb_store_version *v, void *arg);

int
mb_impact_report_info(struct mb_store *st, const char *center,
    const char *day, struct mb_impact_report_info *out, struct mb_diag *d)
{
	struct held		 h;
	struct mb_impact_row	*rows = NULL;
	struct mb_diag		 e = { "" };
	char			 uri[MB_URI_MAX];
	size_t			 n = 0;
	int			 rc;

	memset(out, 0, sizeof(*out));
	memset(&h, 0, sizeof(h));
	snprintf(uri, sizeof(uri), "urn:mediabridge:%s:" REPORT_LOCAL "%s",
	    center, day);
	if ((rc = mb_store_get(st, uri, 0, on_version, &h, d)) != MB_OK) {
		free(h.envelope);
		return rc;
	}
	if (h.envelope == NULL)
		return mb_diag_set(d, MB_ERR_NOTFOUND, "no report of %s for "
		    "%s", center, day);
	snprintf(out->center, sizeof(out->center), "%s", center);
	snprintf(out->day, sizeof(out->day), "%s", day);
	snprintf(out->uri, sizeof(out->uri), "%s", uri);
	snprintf(out->origin, sizeof(out->origin), "%s", h.origin);
	out->version = h.v.version;
	out->received_ms = h.v.received_ms;
	/* The same checks as when it was applied, made again for the eye. */
	if (mb_impact_report_check(st, &h.v, &rows, &n, &e) == MB_OK) {
		out->verified = true;
		out->rows = n;
		for (size_t i = 0; i < n; i++) {
			out->views += rows[i].views;
			out->uniques += rows[i].uniques;
		}
	} else {
		/* Cut to fit: the page shows the start of the reason. */
		snprintf(out->why, sizeof(out->why), "%.*s",
		    (int)sizeof(out->why) - 1, e.msg);
	}
	free(rows);
	free(h.envelope);
	return MB_OK;
}

struct ref {
	char	uri[MB_URI_MAX];
	int64_t	version;
};

struct walk {
	const char	*self;
	int64_t		 last;
	struct ref	 refs[APPLY_BATCH];
	int		 n;
};

/* The log is walked first, the reports applied after: no nested reads. */
static int
on_log(const struct mb_store_version *v, void *arg)
{
	struct walk *w = arg;

	w->last = v->seq;
	if (v->profile == NULL || strcmp(v->profile, REPORT_PROFILE) != 0 ||
	    v->center == NULL || strcmp(v->center, w->self) == 0)
		return MB_OK;
	snprintf(w->refs[w->n].uri, MB_URI_MAX, "%s", v->uri);
	w->refs[w->n].version = v->version;
	w->n++;
	return MB_OK;
}

static int
on_version(const struct mb_store_version *v, void *arg)
{
	struct held *h = arg;

	h->v = *v;
	snprintf(h->uri, sizeof(h->uri), "%s", v->uri);
	snprintf(h->origin, sizeof(h->origin), "%s", v->origin != NULL ?
	    v->origin : "");
	snprintf(h->center, sizeof(h->center), "%s", v->center != NULL ?
	    v->center : "");
	snprintf(h->local, sizeof(h->local), "%s", v->local != NULL ?
	    v->local : "");
	if ((h->envelope = malloc(v->envelope_len + 1)) == NULL)
		return MB_ERR_NOMEM;
	memcpy(h->envelope, v->envelope, v->envelope_len);
	h->envelope[v->envelope_len] = '\0';
	h->v.uri = h->uri;
	h->v.origin = h->origin;
	h->v.center = h->center;
	h->v.local = h->local;
	h->v.envelope = h->envelope;
	return 1;
}

int
mb_impact_reports_catch_up(struct mb_store *st, const char *self, int *applied,
    struct mb_diag *d)
{
	struct walk	*w;
	int		 ok = 0;
	char		 cursor[32];
	int		 rc;

	if ((w = calloc(1, sizeof(*w))) == NULL)
		return mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
	w->self = self;
	if ((rc = mb_store_impact_state_get(st, "report_seq", cursor,
	    sizeof(cursor), d)) != MB_OK)
		goto out;
	w->last = strtoll(cursor, NULL, 10);
	for (;;) {
		int64_t before = w->last;

		w->n = 0;
		if ((rc = mb_store_log(st, w->last, APPLY_BATCH, on_log, w,
		    d)) != MB_OK)
			goto out;
		if (w->last == before)
			break;
		for (int i = 0; i < w->n; i++) {
			struct held	h;
			struct mb_diag	e = { "" };

			/* Only the current version of a day's report counts. */
			memset(&h, 0, sizeof(h));
			if (mb_store_get(st, w->refs[i].uri, 0, on_version, &h,
			    &e) != MB_OK || h.v.version != w->refs[i].version) {
				free(h.envelope);
				continue;
			}
			if (mb_impact_report_apply(st, &h.v, &e) != MB_OK) {
				log_warn("impact: report refused uri=%s "
				    "version=%lld: %s", h.uri,
				    (long long)h.v.version, e.msg);
			} else {
				ok++;
			}
			free(h.envelope);
		}
		snprintf(cursor, sizeof(cursor), "%lld", (long long)w->last);
		if ((rc = mb_store_impact_state_set(st, "report_seq", cursor,
		    d)) != MB_OK)
			goto out;
	}
	if (applied != NULL)
		*applied = ok;
out:
	free(w);
	return rc;
}
