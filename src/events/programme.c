/* SPDX-License-Identifier: MIT */
/*
 * The event as its item says it: dates, status, place, organiser, and
 * the programme, its associations of rel "session" (docs/events.md).
 */
#include "events/events_int.h"

#include <stdio.h>
#include <string.h>

#include "base/timeutil.h"
#include "item/id.h"
#include "item/json.h"
#include "store/store.h"

static const char *
str(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* The first headline's value, else title. */
static const char *
headline(const json_t *o)
{
	const char *h = str(json_array_get(json_object_get(o, "headlines"), 0),
	    "value");

	return h != NULL ? h : str(o, "title");
}

static int64_t
date(const json_t *o, const char *k)
{
	const char	*s = str(json_object_get(json_object_get(o,
			    "eventDetails"), "dates"), k);
	int64_t		 ms = 0;

	if (s == NULL || mb_time_parse(s, &ms) != MB_OK)
		return 0;
	return ms;
}

/* The last word of an eventStatus URI, as schema.org's and iCal's know it. */
static const char *
status_of(const json_t *item)
{
	const char *s = str(json_object_get(item, "eventDetails"),
	    "eventStatus"), *w;

	if (s == NULL)
		return "scheduled";
	w = strrchr(s, '/');
	w = w != NULL ? w + 1 : s;
	if (strchr(w, ':') != NULL)
		w = strrchr(w, ':') + 1;
	if (strcmp(w, "canceled") == 0 || strcmp(w, "cancelled") == 0)
		return "canceled";
	if (strcmp(w, "postponed") == 0)
		return "postponed";
	if (strcmp(w, "rescheduled") == 0)
		return "rescheduled";
	return "scheduled";
}

static void
place(const json_t *item, struct mb_event *e)
{
	const json_t	*p = json_array_get(json_object_get(item, "places"), 0);
	const json_t	*g = json_object_get(p, "geoJSON"), *c;

	e->place = str(p, "name");
	c = json_object_get(g, "coordinates");
	if (g != NULL && json_is_array(c) && json_array_size(c) >= 2 &&
	    json_is_number(json_array_get(c, 0)) &&
	    json_is_number(json_array_get(c, 1))) {
		/* GeoJSON is longitude, latitude. */
		e->lon = json_number_value(json_array_get(c, 0));
		e->lat = json_number_value(json_array_get(c, 1));
		e->has_geo = true;
	}
}

/*
 * eventDetails.dates.recurrence: the ninjs validator checked its shape
 * (frequency from the enum, integers, until a date-time); here what
 * RFC 5545 adds: one rule, positive numbers, not COUNT and UNTIL both,
 * UNTIL not before the start. recurrenceDates cannot be valid ninjs
 * (src/item/ninjs.c says why) and never gets here.
 */
static int
recurrence(const json_t *item, struct mb_event *e, struct mb_diag *d)
{
	static const char *const freqs[][2] = {
		{ "secondly", "SECONDLY" }, { "minutely", "MINUTELY" },
		{ "hourly", "HOURLY" }, { "daily", "DAILY" },
		{ "weekly", "WEEKLY" }, { "monthly", "MONTHLY" },
		{ "yearly", "YEARLY" },
	};
	const json_t	*rules = json_object_get(json_object_get(
			    json_object_get(json_object_get(item,
			    "eventDetails"), "dates"), "recurrence"),
			    "recurrenceRules"), *r, *v;
	const char	*f, *until;

	if (json_array_size(rules) == 0)
		return MB_OK;
	if (json_array_size(rules) > 1)
		return mb_diag_set(d, MB_ERR_INVAL, "eventDetails.dates."
		    "recurrence.recurrenceRules: one rule at most (RFC 5545 "
		    "§3.6.1)");
	r = json_array_get(rules, 0);
	if ((f = str(r, "frequency")) == NULL)
		return mb_diag_set(d, MB_ERR_INVAL, "eventDetails.dates."
		    "recurrence.recurrenceRules[0].frequency: missing");
	for (size_t i = 0; i < sizeof(freqs) / sizeof(freqs[0]); i++)
		if (strcmp(f, freqs[i][0]) == 0)
			e->repeat.freq = freqs[i][1];
	if (e->repeat.freq == NULL)
		return mb_diag_set(d, MB_ERR_INVAL, "eventDetails.dates."
		    "recurrence.recurrenceRules[0].frequency: not one of "
		    "secondly ... yearly");
	e->repeat.interval = 1;
	if ((v = json_object_get(r, "interval")) != NULL) {
		if (!json_is_integer(v) || json_integer_value(v) < 1 ||
		    json_integer_value(v) > 1000)
			return mb_diag_set(d, MB_ERR_INVAL, "eventDetails.dates."
			    "recurrence.recurrenceRules[0].interval: 1 to "
			    "1000");
		e->repeat.interval = (int)json_integer_value(v);
	}
	if ((v = json_object_get(r, "count")) != NULL) {
		if (!json_is_integer(v) || json_integer_value(v) < 1 ||
		    json_integer_value(v) > 1000)
			return mb_diag_set(d, MB_ERR_INVAL, "eventDetails.dates."
			    "recurrence.recurrenceRules[0].count: 1 to 1000");
		e->repeat.count = (int)json_integer_value(v);
	}
	if ((until = str(r, "until")) != NULL) {
		if (e->repeat.count > 0)
			return mb_diag_set(d, MB_ERR_INVAL, "eventDetails.dates."
			    "recurrence.recurrenceRules[0]: count or until, not "
			    "both (RFC 5545 §3.3.10)");
		if (mb_time_parse(until, &e->repeat.until_ms) != MB_OK ||
		    (e->start_ms != 0 && e->repeat.until_ms < e->start_ms))
			return mb_diag_set(d, MB_ERR_INVAL, "eventDetails.dates."
			    "recurrence.recurrenceRules[0].until: a date-time "
			    "not before the start");
	}
	return MB_OK;
}

static int
session(const json_t *a, struct mb_ev_session *s, size_t i,
    struct mb_diag *d)
{
	const json_t	*people = json_object_get(a, "people"), *p;
	const json_t	*room = json_array_get(json_object_get(a, "places"), 0);
	size_t		 j;

	s->id = str(a, "name");
	s->title = headline(a);
	s->language = str(a, "language");
	s->room = str(room, "name");
	s->start_ms = date(a, "startDate");
	s->end_ms = date(a, "endDate");
	if (s->title == NULL)
		return mb_diag_set(d, MB_ERR_INVAL, "associations[%zu]: a "
		    "session needs a headline", i);
	if (s->start_ms == 0)
		return mb_diag_set(d, MB_ERR_INVAL, "associations[%zu]: a "
		    "session needs eventDetails.dates.startDate", i);
	if (s->end_ms != 0 && s->end_ms < s->start_ms)
		return mb_diag_set(d, MB_ERR_INVAL, "associations[%zu]: ends "
		    "before it starts", i);
	json_array_foreach(people, j, p) {
		if (s->nspeakers == MB_EV_MAX_SPEAKERS)
			break;
		if (str(p, "name") == NULL)
			continue;
		s->speakers[s->nspeakers].name = str(p, "name");
		s->speakers[s->nspeakers].uri = str(p, "uri");
		s->nspeakers++;
	}
	return MB_OK;
}

int
mb_event_read(const json_t *item, struct mb_event *e, struct mb_diag *d)
{
	const json_t	*assocs = json_object_get(item, "associations"), *a;
	const char	*ver = str(item, "version"), *upd;
	size_t		 i;
	int		 rc;

	json_t *own = e->own;

	memset(e, 0, sizeof(*e));
	e->own = own;
	e->uri = str(item, "uri");
	e->title = headline(item);
	e->summary = str(json_array_get(json_object_get(item, "descriptions"),
	    0), "value");
	e->language = str(item, "language");
	e->status = status_of(item);
	e->version = ver != NULL ? strtoll(ver, NULL, 10) : 1;
	e->start_ms = date(item, "startDate");
	e->end_ms = date(item, "endDate");
	if ((upd = str(item, "versionCreated")) != NULL)
		mb_time_parse(upd, &e->updated_ms);
	e->organiser = str(json_object_get(json_object_get(item,
	    "eventDetails"), "organiser"), "name");
	place(item, e);
	if (e->uri == NULL)
		return mb_diag_set(d, MB_ERR_INVAL, "uri: missing");
	if ((rc = recurrence(item, e, d)) != MB_OK)
		return rc;
	json_array_foreach(assocs, i, a) {
		const char *rel = str(a, "rel");

		if (rel == NULL || strcmp(rel, "session") != 0)
			continue;
		if (e->nsessions == MB_EV_MAX_SESSIONS)
			return mb_diag_set(d, MB_ERR_TOOBIG, "associations: "
			    "more than %d sessions", MB_EV_MAX_SESSIONS);
		if ((rc = session(a, &e->sessions[e->nsessions], i, d)) !=
		    MB_OK)
			return rc;
		e->nsessions++;
	}
	/* An event with a programme but no dates of its own spans it. */
	for (int k = 0; k < e->nsessions; k++) {
		const struct mb_ev_session *s = &e->sessions[k];

		if (e->start_ms == 0 || s->start_ms < e->start_ms)
			e->start_ms = s->start_ms;
		if (s->end_ms > e->end_ms)
			e->end_ms = s->end_ms;
	}
	return MB_OK;
}

int
mb_event_check(const json_t *item, struct mb_diag *d)
{
	struct mb_event	*e;
	int64_t		 start = date(item, "startDate");
	int64_t		 end = date(item, "endDate");
	int		 rc;

	if (start != 0 && end != 0 && end < start)
		return mb_diag_set(d, MB_ERR_INVAL, "eventDetails.dates."
		    "endDate: before startDate");
	if ((e = calloc(1, sizeof(*e))) == NULL)
		return mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
	/* Read, the event starts with its programme when it says nothing. */
	if ((rc = mb_event_read(item, e, d)) == MB_OK && end != 0 &&
	    end < e->start_ms)
		rc = mb_diag_set(d, MB_ERR_INVAL, "eventDetails.dates."
		    "endDate: before the programme's first session starts");
	free(e);
	return rc;
}

struct load_ctx {
	struct mb_event	*e;
	int		 rc;
	struct mb_diag	*d;
};

static int
load_cb(const struct mb_store_version *v, void *arg)
{
	struct load_ctx	*c = arg;
	json_t		*root;

	if (v->profile == NULL || strcmp(v->profile, "event") != 0) {
		c->rc = mb_diag_set(c->d, MB_ERR_NOTFOUND, "%s: not an event",
		    v->uri);
		return 1;
	}
	if ((root = mb_json_loadb(v->envelope, v->envelope_len, 0, NULL)) ==
	    NULL) {
		c->rc = mb_diag_set(c->d, MB_ERR_CORRUPT, "%s: the stored "
		    "envelope does not parse", v->uri);
		return 1;
	}
	c->e->own = root;
	c->rc = mb_event_read(json_object_get(root, "item"), c->e, c->d);
	return 1;
}

int
mb_event_load(struct mb_store *st, const char *uri, struct mb_event *e,
    struct mb_diag *d)
{
	struct load_ctx	c = { e, MB_OK, d };
	int		rc;

	mb_event_release(e);
	if (uri == NULL || strlen(uri) >= MB_EV_URI_MAX)
		return mb_diag_set(d, MB_ERR_INVAL, "event: not an item uri");
	if ((rc = mb_store_get(st, uri, 0, load_cb, &c, d)) != MB_OK) {
		if (rc == MB_ERR_NOTFOUND)
			mb_diag_set(d, rc, "%s: no such event", uri);
		return rc;
	}
	return c.rc;
}

void
mb_event_release(struct mb_event *e)
{
	if (e == NULL)
		return;
	json_decref(e->own);
	e->own = NULL;
}

int
mb_ev__load(const struct mb_events_env *env, const char *uri,
    struct mb_event *e, struct mb_diag *d)
{
	char	center[MB_CENTER_MAX + 1], local[MB_LOCAL_MAX + 1];
	int	rc;

	if (uri == NULL || mb_uri_parse(uri, center, local) != MB_OK)
		return mb_diag_set(d, MB_ERR_INVAL, "event: not an item uri");
	if (strcmp(center, env->center) != 0)
		return mb_diag_set(d, MB_ERR_PERM, "%s: registration is at the "
		    "organising center, %s", uri, center);
	if ((rc = mb_event_load(env->st, uri, e, d)) != MB_OK)
		return rc;
	return MB_OK;
}

void
mb_ev__free(struct mb_event *e)
{
	mb_event_release(e);
	free(e);
}

int
mb_ev__check(const struct mb_events_env *env, const char *uri,
    struct mb_diag *d)
{
	struct mb_event	*e;
	int		 rc;

	if ((e = calloc(1, sizeof(*e))) == NULL)
		return MB_ERR_NOMEM;
	rc = mb_ev__load(env, uri, e, d);
	mb_ev__free(e);
	return rc;
}
