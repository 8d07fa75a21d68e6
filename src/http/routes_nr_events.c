/* SPDX-License-Identifier: MIT */
/*
 * Events in the newsroom: the organiser's page of an event (registration
 * settings, the attendee list with states and check-ins, approvals, a
 * message to all, CSV, the revocation list, certificates of attendance)
 * and the check-in page at the door. Editors organise; any newsroom
 * user (journalist and up) may check tickets in.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/timeutil.h"
#include "ev_int.h"
#include "events/events.h"
#include "http_int.h"
#include "item/id.h"
#include "nr_int.h"

static void
actor(struct mb_req *r, struct mb_actor *a)
{
	mb_req_actor(r, a);
}

static bool
organiser_or_refuse(struct mb_req *r)
{
	if (!mb_nr_staff_or_login(r))
		return false;
	if (mb_req_role(r) < MB_ROLE_EDITOR) {
		mb_resp_error(r, 403, "forbidden", "only editors organise "
		    "events");
		return false;
	}
	return true;
}

/* ---- The list of this center's events ---- */

struct list_ctx {
	struct mb_page	*p;
	struct mb_tval	*list;
};

static int
event_cb(const struct mb_store_version *v, void *arg)
{
	struct list_ctx	*c = arg;
	struct mb_tval	*m = mb_tv_map(c->p->td, c->list, NULL);

	mb_tv_str(c->p->td, m, "title", v->headline != NULL ? v->headline :
	    v->uri);
	mb_tv_printf(c->p->td, m, "url", "/newsroom/events/%s", v->local);
	return MB_OK;
}

static void
events_list(struct mb_req *r)
{
	struct mb_events_env	env;
	struct mb_store_filter	f;
	struct list_ctx		c;
	struct mb_page		p;

	if (!organiser_or_refuse(r) || !mb_ev_env_of(r, &env))
		return;
	if (!mb_nr_begin(&p, r, "ev.nr.title"))
		return;
	memset(&f, 0, sizeof(f));
	f.profile = "event";
	f.center = env.center;
	f.limit = 200;
	f.all = true;
	c.p = &p;
	c.list = mb_tv_list(p.td, p.root, "events");
	mb_store_list(env.st, &f, event_cb, &c, NULL);
	mb_page_finish(&p, 200, "nr_events.html");
}

/* ---- One event ---- */

struct att_ctx {
	struct mb_page	*p;
	struct mb_tval	*list;
	const char	*local;
};

static int
att_cb(const struct mb_ev_reg *g, void *arg)
{
	struct att_ctx	*c = arg;
	struct mb_page	*p = c->p;
	struct mb_tval	*m = mb_tv_map(p->td, c->list, NULL);
	char		 key[40];

	mb_tv_int(p->td, m, "seq", g->seq);
	mb_tv_str(p->td, m, "id", g->id);
	mb_tv_str(p->td, m, "name", g->name);
	mb_tv_str(p->td, m, "email", g->email);
	mb_tv_str(p->td, m, "organisation", g->organisation);
	mb_tv_str(p->td, m, "country", g->country);
	snprintf(key, sizeof(key), "ev.state.%s", g->state);
	mb_tv_str(p->td, m, "state", mb_page_msg(p, key));
	mb_tv_bool(p->td, m, "pending", strcmp(g->state, "pending") == 0 &&
	    g->offer_until_ms == 0);
	if (g->checked_in_ms != 0) {
		mb_page_date(p, m, "checked_in", g->checked_in_ms);
		/* Who attended (mb_event_certificate): not one withdrawn since. */
		if (strcmp(g->state, "complete") == 0)
			mb_tv_printf(p->td, m, "certificate",
			    "/newsroom/events/%s/certificate/%s", c->local,
			    g->id);
	}
	return MB_OK;
}

static void
event_admin_with(struct mb_req *r, unsigned status, const char *error,
    const char *flash)
{
	struct mb_events_env	 env;
	struct mb_event		*e;
	struct mb_ev_settings	 s;
	struct mb_ev_counts	 c;
	struct mb_page		 p;
	struct mb_tval		*ev, *st;
	struct att_ctx		 ac;
	const char		*local = mb_req_param(r, "local");
	char			 uri[MB_URI_MAX];

	if (!mb_ev_env_of(r, &env))
		return;
	if (mb_uri_make(uri, sizeof(uri), env.center, local) != MB_OK ||
	    (e = calloc(1, sizeof(*e))) == NULL) {
		mb_nr_not_found(r);
		return;
	}
	if (mb_event_load(env.st, uri, e, NULL) != MB_OK) {
		free(e);
		mb_nr_not_found(r);
		return;
	}
	if (!mb_nr_begin(&p, r, "ev.nr.title")) {
		mb_event_release(e);
		free(e);
		return;
	}
	ev = mb_tv_map(p.td, p.root, "ev");
	mb_tv_str(p.td, ev, "title", e->title);
	mb_tv_str(p.td, ev, "status", e->status);
	mb_tv_printf(p.td, ev, "base", "/newsroom/events/%s", local);
	mb_tv_str(p.td, ev, "local", local);
	mb_tv_printf(p.td, ev, "page", "/%s/events/%s/%s", p.lang, env.center,
	    local);
	mb_tv_str(p.td, ev, "error", error);
	mb_tv_str(p.td, ev, "flash", flash);
	st = mb_tv_map(p.td, ev, "settings");
	memset(&c, 0, sizeof(c));
	if (mb_store_ev_settings_get(env.st, uri, &s, NULL) == MB_OK) {
		char t[MB_TIME_RFC3339_LEN];

		mb_tv_bool(p.td, ev, "open", true);
		mb_tv_int(p.td, st, "capacity", s.capacity);
		mb_tv_bool(p.td, st, "approval", s.approval);
		mb_tv_int(p.td, st, "confirm_hours", s.confirm_ms / 3600000);
		if (s.deadline_ms != 0) {
			mb_time_format(s.deadline_ms, t);
			mb_tv_str(p.td, st, "deadline", t);
		}
		mb_tv_str(p.td, st, "questions", s.questions);
		mb_store_ev_reg_counts(env.st, uri, &c, NULL);
	}
	mb_tv_int(p.td, ev, "complete", c.complete);
	mb_tv_int(p.td, ev, "pending", c.pending);
	mb_tv_int(p.td, ev, "waitlisted", c.waitlisted);
	mb_tv_int(p.td, ev, "withdrawn", c.withdrawn);
	mb_tv_int(p.td, ev, "rejected", c.rejected);
	ac.p = &p;
	ac.list = mb_tv_list(p.td, ev, "attendees");
	ac.local = local;
	mb_store_ev_reg_list(env.st, uri, NULL, att_cb, &ac, NULL);
	mb_event_release(e);
	free(e);
	mb_page_finish(&p, status, "nr_event.html");
}

static void
event_admin(struct mb_req *r)
{
	if (organiser_or_refuse(r))
		event_admin_with(r, 200, NULL, mb_req_query(r, "done"));
}

/* After a form: back to the page (303), or the page with the reason. */
static void
after(struct mb_req *r, int rc, const struct mb_diag *d, const char *flash)
{
	char to[200];

	if (rc == MB_OK) {
		snprintf(to, sizeof(to), "/newsroom/events/%s%s%s",
		    mb_req_param(r, "local"), flash != NULL ? "?done=" : "",
		    flash != NULL ? flash : "");
		mb_nr_see_other(r, to);
		return;
	}
	event_admin_with(r, mb_ev_status(rc), mb_diag_msg(d, rc), NULL);
}

static int
uri_of(struct mb_req *r, const struct mb_events_env *env,
    char uri[MB_URI_MAX], struct mb_diag *d)
{
	if (mb_uri_make(uri, MB_URI_MAX, env->center, mb_req_param(r,
	    "local")) != MB_OK)
		return mb_diag_set(d, MB_ERR_NOTFOUND, "no such event");
	return MB_OK;
}

static void
settings(struct mb_req *r)
{
	struct mb_events_env	 env;
	struct mb_ev_settings	 s;
	struct mb_actor		 a;
	struct mb_diag		 d = { "" };
	const char		*v;
	char			*end;
	long long		 hours;
	int			 rc;

	if (!organiser_or_refuse(r) || !mb_ev_env_of(r, &env))
		return;
	actor(r, &a);
	memset(&s, 0, sizeof(s));
	if ((rc = uri_of(r, &env, s.event, &d)) != MB_OK)
		goto out;
	v = mb_req_form(r, "capacity");
	s.capacity = v != NULL && v[0] != '\0' ? strtoll(v, &end, 10) : 0;
	if (v != NULL && v[0] != '\0' && *end != '\0') {
		rc = mb_diag_set(&d, MB_ERR_INVAL, "capacity: not a number");
		goto out;
	}
	v = mb_req_form(r, "confirm_hours");
	hours = v != NULL && v[0] != '\0' ? strtoll(v, &end, 10) : 0;
	if (v != NULL && v[0] != '\0' && *end != '\0') {
		rc = mb_diag_set(&d, MB_ERR_INVAL, "confirm_hours: not a "
		    "number");
		goto out;
	}
	/* Checked before it is made milliseconds, which could overflow. */
	if (hours < 0 || hours > MB_EV_CONFIRM_HOURS_MAX) {
		rc = mb_diag_set(&d, MB_ERR_INVAL, "confirm_hours: 0 to %d",
		    MB_EV_CONFIRM_HOURS_MAX);
		goto out;
	}
	s.confirm_ms = hours * 3600000;
	v = mb_req_form(r, "deadline");
	if (v != NULL && v[0] != '\0' && mb_time_parse(v, &s.deadline_ms) !=
	    MB_OK) {
		rc = mb_diag_set(&d, MB_ERR_INVAL, "deadline: not an RFC 3339 "
		    "time (2030-03-01T00:00:00Z)");
		goto out;
	}
	s.approval = (v = mb_req_form(r, "approval")) != NULL &&
	    strcmp(v, "1") == 0;
	v = mb_req_form(r, "questions");
	snprintf(s.questions, sizeof(s.questions), "%s", v != NULL &&
	    v[0] != '\0' ? v : "[]");
	rc = mb_event_configure(&env, &a, &s, &d);
	if (rc == MB_OK)
		log_info("events: settings event=%s capacity=%lld by=%s",
		    s.event, (long long)s.capacity, a.name);
out:
	after(r, rc, &d, "settings");
}

static void
decide(struct mb_req *r)
{
	struct mb_events_env	env;
	struct mb_actor		a;
	struct mb_diag		d = { "" };
	const char		*id = mb_req_form(r, "registration");
	const char		*v = mb_req_form(r, "approve");

	if (!organiser_or_refuse(r) || !mb_ev_env_of(r, &env))
		return;
	actor(r, &a);
	after(r, id == NULL ? mb_diag_set(&d, MB_ERR_INVAL, "registration: "
	    "required") : mb_event_decide(&env, &a, id, v != NULL &&
	    strcmp(v, "1") == 0, &d), &d, NULL);
}

static void
message(struct mb_req *r)
{
	struct mb_events_env	env;
	struct mb_actor		a;
	struct mb_diag		d = { "" };
	char			uri[MB_URI_MAX];
	int			n = 0, rc;

	if (!organiser_or_refuse(r) || !mb_ev_env_of(r, &env))
		return;
	actor(r, &a);
	if ((rc = uri_of(r, &env, uri, &d)) == MB_OK)
		rc = mb_event_message(&env, &a, uri, mb_req_form(r, "subject"),
		    mb_req_form(r, "body"), &n, &d);
	if (rc == MB_OK)
		log_info("events: message event=%s to=%d by=%s", uri, n,
		    a.name);
	after(r, rc, &d, "message");
}

static void
csv(struct mb_req *r)
{
	struct mb_events_env	env;
	struct mb_actor		a;
	struct mb_diag		d = { "" };
	struct mb_buf		out = MB_BUF_INIT;
	char			uri[MB_URI_MAX];
	int			rc;

	if (!organiser_or_refuse(r) || !mb_ev_env_of(r, &env))
		return;
	actor(r, &a);
	if ((rc = uri_of(r, &env, uri, &d)) == MB_OK)
		rc = mb_event_csv(&env, &a, uri, &out, &d);
	if (rc != MB_OK || out.data == NULL) {
		mb_buf_free(&out);
		mb_resp_err(r, rc != MB_OK ? rc : MB_ERR_NOMEM, &d);
		return;
	}
	mb_resp_private(r);
	mb_resp_header(r, "Content-Disposition",
	    "attachment; filename=\"attendees.csv\"");
	mb_resp_take(r, 200, "text/csv; charset=utf-8", out.data, out.len);
}

static void
revoked(struct mb_req *r)
{
	struct mb_events_env	env;
	struct mb_diag		d = { "" };
	struct mb_buf		out = MB_BUF_INIT;
	char			uri[MB_URI_MAX];
	int			rc;

	if (!mb_nr_staff_or_login(r) || !mb_ev_env_of(r, &env))
		return;
	if ((rc = uri_of(r, &env, uri, &d)) == MB_OK)
		rc = mb_event_revoked(&env, uri, &out, &d);
	if (rc == MB_OK)
		rc = mb_buf_append(&out, "\n", 1);
	if (rc != MB_OK) {
		mb_buf_free(&out);
		mb_resp_err(r, rc, &d);
		return;
	}
	mb_resp_private(r);
	mb_resp_take(r, 200, "text/plain; charset=utf-8", out.data, out.len);
}

static void
certificate(struct mb_req *r)
{
	struct mb_events_env	 env;
	struct mb_actor		 a;
	struct mb_diag		 d = { "" };
	char			*out = NULL;
	int			 rc;

	if (!organiser_or_refuse(r) || !mb_ev_env_of(r, &env))
		return;
	actor(r, &a);
	if ((rc = mb_event_certificate(&env, &a, mb_req_param(r, "reg"),
	    mb_req_node(r)->conf.name, &out, &d)) != MB_OK) {
		mb_resp_err(r, rc, &d);
		return;
	}
	mb_resp_private(r);
	mb_resp_header(r, "Content-Disposition",
	    "attachment; filename=\"certificate.json\"");
	mb_resp_take(r, 200, "application/vc+ld+json", out, strlen(out));
}

/* ---- Check-in at the door ---- */

/*
 * The door's event is named by the form (event=LOCAL, chosen from this
 * center's events and kept from one scan to the next): a ticket only
 * says it is genuine, and one for another event must not pass here.
 */
struct door_ctx {
	struct mb_page	*p;
	struct mb_tval	*list;
	const char	*local;		/* the one chosen, or NULL */
};

static int
door_cb(const struct mb_store_version *v, void *arg)
{
	struct door_ctx	*c = arg;
	struct mb_tval	*m = mb_tv_map(c->p->td, c->list, NULL);

	mb_tv_str(c->p->td, m, "title", v->headline != NULL ? v->headline :
	    v->uri);
	mb_tv_str(c->p->td, m, "local", v->local);
	mb_tv_bool(c->p->td, m, "selected", c->local != NULL &&
	    strcmp(c->local, v->local) == 0);
	return MB_OK;
}

static void
checkin_page(struct mb_req *r, unsigned status, const struct mb_ev_checkin *ci,
    const char *error, const char *local)
{
	struct mb_events_env	 env;
	struct mb_store_filter	 f;
	struct door_ctx		 dc;
	struct mb_page		 p;
	struct mb_tval		*m;

	if (!mb_ev_env_of(r, &env) || !mb_nr_begin(&p, r, "ev.checkin.title"))
		return;
	m = mb_tv_map(p.td, p.root, "ci");
	mb_tv_str(p.td, m, "error", error);
	memset(&f, 0, sizeof(f));
	f.profile = "event";
	f.center = env.center;
	f.limit = 200;
	f.all = true;
	dc.p = &p;
	dc.list = mb_tv_list(p.td, m, "events");
	dc.local = local;
	mb_store_list(env.st, &f, door_cb, &dc, NULL);
	if (ci != NULL) {
		char key[40];

		mb_tv_bool(p.td, m, "done", true);
		mb_tv_bool(p.td, m, "admitted", ci->admitted);
		mb_tv_bool(p.td, m, "again", ci->again);
		mb_tv_str(p.td, m, "why", ci->why);
		if (ci->reg.id[0] != '\0') {
			mb_tv_str(p.td, m, "name", ci->reg.name);
			mb_tv_str(p.td, m, "organisation",
			    ci->reg.organisation);
			snprintf(key, sizeof(key), "ev.state.%s",
			    ci->reg.state);
			mb_tv_str(p.td, m, "state", mb_page_msg(&p, key));
		}
		if (ci->first_ms != 0)
			mb_page_date(&p, m, "first", ci->first_ms);
	}
	mb_page_finish(&p, status, "nr_checkin.html");
}

static void
checkin_get(struct mb_req *r)
{
	if (mb_nr_staff_or_login(r))
		checkin_page(r, 200, NULL, NULL, mb_req_query(r, "event"));
}

static void
checkin_post(struct mb_req *r)
{
	struct mb_events_env	 env;
	struct mb_ev_checkin	*ci;
	struct mb_actor		 a;
	struct mb_diag		 d = { "" };
	const char		*local = mb_req_form(r, "event");
	char			 uri[MB_URI_MAX];
	int			 rc;

	if (!mb_nr_staff_or_login(r) || !mb_ev_env_of(r, &env))
		return;
	actor(r, &a);
	if ((ci = malloc(sizeof(*ci))) == NULL) {
		mb_resp_error(r, 500, "internal", "out of memory");
		return;
	}
	if (local == NULL || local[0] == '\0')
		rc = mb_diag_set(&d, MB_ERR_INVAL, "event: required (the "
		    "event at this door)");
	else if (mb_uri_make(uri, sizeof(uri), env.center, local) != MB_OK)
		rc = mb_diag_set(&d, MB_ERR_NOTFOUND, "event: no such event");
	else
		rc = mb_event_checkin(&env, &a, uri, mb_req_form(r, "ticket"),
		    ci, &d);
	if (rc != MB_OK)
		checkin_page(r, mb_ev_status(rc), NULL, mb_diag_msg(&d, rc),
		    local);
	else {
		log_info("events: check-in event=%s registration=%s %s", uri,
		    ci->reg.id[0] != '\0' ? ci->reg.id : "-", ci->admitted ?
		    "admitted" : ci->again ? "again" : "refused");
		checkin_page(r, 200, ci, NULL, local);
	}
	free(ci);
}

const struct mb_route mb_routes_nr_events[] = {
	{ "GET", "/newsroom/events", events_list, 0, "nr.events" },
	{ "GET", "/newsroom/events/:local", event_admin, 0, "nr.event" },
	{ "POST", "/newsroom/events/:local/settings", settings, MB_ROUTE_FORM,
	  "nr.event.settings" },
	{ "POST", "/newsroom/events/:local/decide", decide, MB_ROUTE_FORM,
	  "nr.event.decide" },
	{ "POST", "/newsroom/events/:local/message", message, MB_ROUTE_FORM,
	  "nr.event.message" },
	{ "GET", "/newsroom/events/:local/attendees.csv", csv, 0,
	  "nr.event.csv" },
	{ "GET", "/newsroom/events/:local/revoked", revoked, 0,
	  "nr.event.revoked" },
	{ "GET", "/newsroom/events/:local/certificate/:reg", certificate, 0,
	  "nr.event.certificate" },
	{ "GET", "/newsroom/checkin", checkin_get, 0, "nr.checkin" },
	{ "POST", "/newsroom/checkin", checkin_post, MB_ROUTE_FORM,
	  "nr.checkin.post" },
	MB_ROUTES_END
};
