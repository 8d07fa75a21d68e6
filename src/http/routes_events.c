/* SPDX-License-Identifier: MIT */
/*
 * Events on the site: the event page (programme, schema.org/Event
 * JSON-LD, the registration form at the organising center), its
 * iCalendar, registration, and the attendee's own page behind the
 * link the mail carries (ticket and QR code, confirm, withdraw). The
 * rules are src/events/'s; this parses, asks, and answers.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "base/log.h"
#include "base/timeutil.h"
#include "center/names.h"
#include "ev_int.h"
#include "events/events.h"
#include "http/i18n.h"
#include "http_int.h"
#include "item/id.h"
#include "signed/qr.h"
#include "site_int.h"
#include "text/lang.h"

bool
mb_ev_env_of(struct mb_req *r, struct mb_events_env *e)
{
	const struct mb_center_node *n = mb_req_node(r);

	memset(e, 0, sizeof(*e));
	if ((e->st = mb_req_store_or_reply(r)) == NULL)
		return false;
	e->key = n->key;
	e->center = n->conf.id;
	e->site_url = n->conf.url;
	e->mail_from = n->conf.mail_relay[0] != '\0' ? n->conf.mail_from : "";
	return true;
}

unsigned
mb_ev_status(int rc)
{
	switch (rc) {
	case MB_ERR_INVAL:	return 400;
	case MB_ERR_PERM:	return 403;
	case MB_ERR_NOTFOUND:	return 404;
	case MB_ERR_EXISTS:	return 409;
	case MB_ERR_TOOBIG:	return 413;
	case MB_ERR_UNSUPPORTED: return 501;
	default:		return 500;
	}
}

static const char *
lang_or_404(struct mb_req *r)
{
	const struct mb_site	*s = mb_site_get(NULL);
	const char		*l = mb_req_param(r, "lang");
	const struct mb_catalog	*c;

	if (s != NULL && l != NULL && (c = mb_i18n_get(mb_site_i18n(s), l)) !=
	    NULL && strcmp(mb_catalog_lang(c), l) == 0)
		return l;
	if (!mb_site_not_found(r))
		mb_resp_error(r, 404, "not_found", "no such page");
	return NULL;
}

/* ---- The rate limit of registration forms, per client ---- */

#define RL_SLOTS 512

static struct {
	pthread_mutex_t	mu;
	struct {
		char	client[48];
		int64_t	minute;
		int	n;
	} slot[RL_SLOTS];
} rl = { .mu = PTHREAD_MUTEX_INITIALIZER };

/* True when this client may send another form this minute. */
static bool
rate_ok(struct mb_req *r)
{
	const char	*c = mb_req_client(r);
	int		 limit = mb_req_node(r)->conf.events_register_per_minute;
	int64_t		 minute = mb_time_mono_ms() / 60000;
	unsigned	 h = 5381;
	bool		 ok;

	if (limit <= 0)
		return true;
	for (const char *p = c; *p; p++)
		h = h * 33 + (unsigned char)*p;
	pthread_mutex_lock(&rl.mu);
	h %= RL_SLOTS;
	if (strcmp(rl.slot[h].client, c) != 0 || rl.slot[h].minute != minute) {
		snprintf(rl.slot[h].client, sizeof(rl.slot[h].client), "%s", c);
		rl.slot[h].minute = minute;
		rl.slot[h].n = 0;
	}
	ok = ++rl.slot[h].n <= limit;
	pthread_mutex_unlock(&rl.mu);
	return ok;
}

/*
 * Who is signed in. A session's POST needs its CSRF token (the server
 * checks it before a handler runs: docs/permissions.md), so the forms
 * of a signed-in reader's page carry it, as the courses' pages do; the
 * page is then private, never cached or kept for another reader (the
 * response cache takes anonymous requests only).
 */
static void
signed_in(struct mb_page *p, struct mb_req *r)
{
	const struct mb_http_user	*u = mb_req_user(r);
	struct mb_tval			*m;

	if (u == NULL)
		return;
	mb_resp_private(r);
	m = mb_tv_map(p->td, p->root, "user");
	mb_tv_str(p->td, m, "name", u->name);
	mb_tv_str(p->td, m, "csrf", u->csrf);
}

/* ---- The event page ---- */

/*
 * The direction of text in language tag (the whole tag: "pa-Arab" is
 * rtl, "az-Latn" ltr), for an element that carries its own lang; a
 * text of no stated language is left to the browser to tell.
 */
static const char *
dir_of(const char *tag)
{
	if (tag == NULL || tag[0] == '\0')
		return "auto";
	return mb_lang_is_rtl(tag) ? "rtl" : "ltr";
}

static void
fmt_time(struct mb_page *p, struct mb_tval *m, const char *key,
    const char *iso_key, int64_t ms)
{
	struct mb_buf	s = MB_BUF_INIT;
	char		iso[MB_TIME_RFC3339_LEN];

	mb_catalog_format_datetime(p->cat, ms, &s);
	mb_tv_str(p->td, m, key, mb_buf_cstr(&s));
	mb_buf_free(&s);
	mb_time_format(ms, iso);
	mb_tv_str(p->td, m, iso_key, iso);
}

/* One message, with the number n formatted as the page's language writes
 * it, and its plural form when n is given (n < 0: none). */
static void
say(struct mb_page *p, struct mb_buf *out, const char *key, int64_t n,
    const char *arg)
{
	struct mb_buf	num = MB_BUF_INIT;
	const char	*m = n >= 0 ? mb_catalog_plural(p->cat, key, n) :
			    mb_catalog_get(p->cat, key);

	if (out->len > 0)
		mb_buf_puts(out, " · ");
	if (n >= 0)
		mb_catalog_format_int(p->cat, n, &num);
	mb_i18n_subst(m, n >= 0 ? mb_buf_cstr(&num) : arg, out);
	mb_buf_free(&num);
}

/*
 * How the event repeats, in the page's language ("every 2 weeks · 10
 * times · until …"): the calendar and the JSON-LD carry the rule for
 * machines, this line for people.
 */
static void
repeats(struct mb_page *p, struct mb_tval *ev, const struct mb_event *e)
{
	static const char *const per[][3] = {
		{ "HOURLY", "ev.every_hour", "ev.every_hours" },
		{ "DAILY", "ev.every_day", "ev.every_days" },
		{ "WEEKLY", "ev.every_week", "ev.every_weeks" },
		{ "MONTHLY", "ev.every_month", "ev.every_months" },
		{ "YEARLY", "ev.every_year", "ev.every_years" },
	};
	const struct mb_ev_recurrence *r = &e->repeat;
	struct mb_buf	 s = MB_BUF_INIT, date = MB_BUF_INIT;

	if (r->freq == NULL)
		return;
	for (size_t i = 0; i < sizeof(per) / sizeof(per[0]); i++) {
		if (strcmp(r->freq, per[i][0]) != 0)
			continue;
		if (r->interval > 1)
			say(p, &s, per[i][2], r->interval, NULL);
		else
			say(p, &s, per[i][1], -1, NULL);
	}
	if (r->count > 0)
		say(p, &s, "ev.times", r->count, NULL);
	if (r->until_ms != 0) {
		mb_catalog_format_date(p->cat, r->until_ms, &date);
		say(p, &s, "ev.until", -1, mb_buf_cstr(&date));
	}
	if (s.len > 0)
		mb_tv_str(p->td, ev, "repeats", mb_buf_cstr(&s));
	mb_buf_free(&s);
	mb_buf_free(&date);
}

static void
programme(struct mb_page *p, struct mb_tval *ev, const struct mb_event *e)
{
	struct mb_tval *list = mb_tv_list(p->td, ev, "sessions");

	for (int i = 0; i < e->nsessions; i++) {
		const struct mb_ev_session	*s = &e->sessions[i];
		struct mb_tval			*m = mb_tv_map(p->td, list, NULL);
		struct mb_tval			*sp;
		char				 c[MB_CENTER_MAX + 1];
		char				 l[MB_LOCAL_MAX + 1];

		fmt_time(p, m, "time", "start_iso", s->start_ms);
		mb_tv_str(p->td, m, "title", s->title);
		mb_tv_str(p->td, m, "room", s->room);
		mb_tv_str(p->td, m, "lang", s->language);
		mb_tv_str(p->td, m, "dir", dir_of(s->language));
		mb_tv_str(p->td, m, "language", s->language != NULL ?
		    mb_site_lang_name(p->site, s->language) : NULL);
		sp = mb_tv_list(p->td, m, "speakers");
		for (int k = 0; k < s->nspeakers; k++) {
			struct mb_tval *pm = mb_tv_map(p->td, sp, NULL);

			mb_tv_str(p->td, pm, "name", s->speakers[k].name);
			/* A member's profile, on its page (site_members.c). */
			if (s->speakers[k].uri != NULL &&
			    mb_uri_parse(s->speakers[k].uri, c, l) == MB_OK)
				mb_tv_printf(p->td, pm, "url",
				    "/%s/members/%s/%s", p->lang, c, l);
		}
	}
}

/* What the reader typed, to show again with the error. */
struct typed {
	unsigned	 status;
	const char	*error;
};

static void
event_page_with(struct mb_req *r, const char *lang, const struct typed *ty)
{
	struct mb_events_env	 env;
	struct mb_event		*e;
	struct mb_ev_settings	 s;
	struct mb_ev_counts	 c;
	struct mb_page		 p;
	struct mb_tval		*ev, *pg, *reg, *qs, *form;
	struct mb_buf		 ld = MB_BUF_INIT, url = MB_BUF_INIT;
	char			 uri[MB_URI_MAX], rest[200];
	const char		*center = mb_req_param(r, "center");
	const char		*local = mb_req_param(r, "local");
	bool			 ours, open;
	json_t			*qa = NULL, *q;
	size_t			 i;

	if (mb_uri_make(uri, sizeof(uri), center, local) != MB_OK ||
	    !mb_ev_env_of(r, &env))
		goto notfound;
	if (!mb_http_item_visible(r, env.st, uri))
		goto notfound;
	if ((e = calloc(1, sizeof(*e))) == NULL) {
		mb_resp_error(r, 500, "internal", "out of memory");
		return;
	}
	if (mb_event_load(env.st, uri, e, NULL) != MB_OK) {
		free(e);
		goto notfound;
	}
	snprintf(rest, sizeof(rest), "/events/%s/%s", center, local);
	if (!mb_page_begin(&p, r, lang, rest)) {
		mb_event_release(e);
		free(e);
		return;
	}
	mb_resp_private(r);	/* places left change without the log */
	signed_in(&p, r);
	pg = mb_tv_map(p.td, p.root, "page");
	mb_tv_str(p.td, pg, "title", e->title);
	ev = mb_tv_map(p.td, p.root, "ev");
	mb_tv_str(p.td, ev, "title", e->title);
	mb_tv_str(p.td, ev, "lang", e->language);
	mb_tv_str(p.td, ev, "dir", dir_of(e->language));
	mb_tv_str(p.td, ev, "summary", e->summary);
	mb_tv_str(p.td, ev, "place", e->place);
	mb_tv_str(p.td, ev, "organiser", e->organiser);
	mb_tv_str(p.td, ev, "status", e->status);
	mb_tv_bool(p.td, ev, "canceled", strcmp(e->status, "canceled") == 0);
	mb_tv_bool(p.td, ev, "postponed", strcmp(e->status, "postponed") ==
	    0);
	mb_tv_bool(p.td, ev, "rescheduled", strcmp(e->status, "rescheduled")
	    == 0);
	if (e->start_ms != 0)
		fmt_time(&p, ev, "start", "start_iso", e->start_ms);
	if (e->end_ms != 0)
		fmt_time(&p, ev, "end", "end_iso", e->end_ms);
	mb_tv_printf(p.td, ev, "ics", "/events/%s/%s.ics", center, local);
	repeats(&p, ev, e);
	programme(&p, ev, e);

	ours = strcmp(center, env.center) == 0;
	open = ours && mb_store_ev_settings_get(env.st, uri, &s, NULL) ==
	    MB_OK;
	memset(&c, 0, sizeof(c));
	if (open)
		mb_store_ev_reg_counts(env.st, uri, &c, NULL);
	mb_buf_printf(&url, "%s/%s/events/%s/%s", mb_req_node(r)->conf.url,
	    p.lang, center, local);
	if (mb_event_jsonld(e, mb_buf_cstr(&url), open ? &c : NULL, open ? &s :
	    NULL, &ld) == MB_OK) {
		struct mb_buf html = MB_BUF_INIT;

		/* mb_event_jsonld wrote no '<': the script cannot be closed. */
		mb_buf_printf(&html, "<script type=\"application/ld+json\">%s"
		    "</script>", mb_buf_cstr(&ld));
		mb_tv_html(p.td, ev, "jsonld", mb_buf_cstr(&html));
		mb_buf_free(&html);
	}
	reg = mb_tv_map(p.td, p.root, "reg");
	if (!ours) {
		struct mb_center cc;

		/* Registration is at the organising center's site. */
		if (mb_store_center_get(env.st, center, &cc, NULL) == MB_OK &&
		    cc.url[0] != '\0') {
			char cn[128];

			mb_tv_printf(p.td, reg, "elsewhere", "%s/%s/events/%s/%s",
			    cc.url, p.lang, center, local);
			mb_center_name_in(&cc, p.lang, cn, sizeof(cn));
			mb_tv_str(p.td, reg, "center", cn);
		}
	} else if (open && strcmp(e->status, "canceled") != 0) {
		int64_t deadline = s.deadline_ms != 0 ? s.deadline_ms :
		    e->start_ms;

		if (deadline != 0 && mb_time_now_ms() > deadline) {
			mb_tv_bool(p.td, reg, "closed", true);
		} else {
			mb_tv_bool(p.td, reg, "open", true);
			if (s.capacity > 0) {
				int64_t left = s.capacity - c.complete -
				    c.pending;

				mb_tv_bool(p.td, reg, "places", true);
				mb_tv_int(p.td, reg, "left", left > 0 ? left :
				    0);
				mb_tv_bool(p.td, reg, "full", left <= 0);
			}
			if (deadline != 0)
				fmt_time(&p, reg, "deadline", "deadline_iso",
				    deadline);
			mb_tv_printf(p.td, reg, "action",
			    "/%s/events/%s/%s/register", p.lang, center,
			    local);
			qs = mb_tv_list(p.td, reg, "questions");
			qa = json_loads(s.questions, 0, NULL);
			json_array_foreach(qa, i, q) {
				struct mb_tval *m = mb_tv_map(p.td, qs, NULL);

				mb_tv_str(p.td, m, "text",
				    json_string_value(q));
				mb_tv_printf(p.td, m, "field", "q%zu", i);
				if (ty != NULL) {
					char f[24];

					snprintf(f, sizeof(f), "q%zu", i);
					mb_tv_str(p.td, m, "value",
					    mb_req_form(r, f));
				}
			}
			json_decref(qa);
		}
	}
	if (ty != NULL) {
		mb_tv_str(p.td, reg, "error", ty->error);
		form = mb_tv_map(p.td, p.root, "form");
		mb_tv_str(p.td, form, "name", mb_req_form(r, "name"));
		mb_tv_str(p.td, form, "email", mb_req_form(r, "email"));
		mb_tv_str(p.td, form, "organisation",
		    mb_req_form(r, "organisation"));
		mb_tv_str(p.td, form, "country", mb_req_form(r, "country"));
	}
	mb_buf_free(&ld);
	mb_buf_free(&url);
	mb_event_release(e);
	free(e);
	mb_page_finish(&p, ty != NULL ? ty->status : 200, "ev_event.html");
	return;
notfound:
	if (!mb_site_not_found(r))
		mb_resp_error(r, 404, "not_found", "no such event");
}

static void
event_page(struct mb_req *r)
{
	const char *lang = lang_or_404(r);

	if (lang != NULL)
		event_page_with(r, lang, NULL);
}

static void to_lang(struct mb_req *r, const char *local);

/* /events/C/L.ics: the calendar; /events/C/L: the page. */
static void
event_ics(struct mb_req *r)
{
	struct mb_events_env	 env;
	struct mb_event		*e;
	const char		*file = mb_req_param(r, "file");
	const char		*center = mb_req_param(r, "center");
	char			 local[MB_LOCAL_MAX + 8], uri[MB_URI_MAX];
	struct mb_buf		 out = MB_BUF_INIT, url = MB_BUF_INIT;
	size_t			 n = strlen(file);

	if (n < 5 || strcmp(file + n - 4, ".ics") != 0) {
		/* The center goes into Location: a center id, or no page. */
		if (mb_local_id_valid(file) && mb_center_id_valid(center))
			to_lang(r, file);
		else
			mb_resp_error(r, 404, "not_found", "no such event");
		return;
	}
	if (n - 4 > MB_LOCAL_MAX)
		goto notfound;
	memcpy(local, file, n - 4);
	local[n - 4] = '\0';
	if (mb_uri_make(uri, sizeof(uri), center, local) != MB_OK ||
	    !mb_ev_env_of(r, &env))
		goto notfound;
	if (!mb_http_item_visible(r, env.st, uri))
		goto notfound;
	if ((e = calloc(1, sizeof(*e))) == NULL) {
		mb_resp_error(r, 500, "internal", "out of memory");
		return;
	}
	if (mb_event_load(env.st, uri, e, NULL) != MB_OK) {
		free(e);
		goto notfound;
	}
	mb_buf_printf(&url, "%s/events/%s/%s", mb_req_node(r)->conf.url,
	    center, local);
	mb_event_ical(e, mb_buf_cstr(&url), mb_time_now_ms(), &out);
	mb_event_release(e);
	free(e);
	mb_buf_free(&url);
	if (out.data == NULL) {
		mb_resp_error(r, 500, "internal", "out of memory");
		return;
	}
	mb_resp_take(r, 200, "text/calendar; charset=utf-8", out.data,
	    out.len);
	return;
notfound:
	mb_resp_error(r, 404, "not_found", "no such event");
}

/* /events/C/L: the event page in the reader's language. */
static void
to_lang(struct mb_req *r, const char *local)
{
	struct mb_page	p;
	char		to[300];

	if (!mb_page_begin(&p, r, NULL, "/"))
		return;
	snprintf(to, sizeof(to), "/%s/events/%s/%s", p.lang,
	    mb_req_param(r, "center"), local);
	mb_page_free(&p);
	mb_resp_header(r, "Location", to);
	mb_resp_private(r);
	mb_resp_bytes(r, 302, "text/plain; charset=utf-8", to, strlen(to));
}

/* ---- Registration ---- */

static void
do_register(struct mb_req *r)
{
	const char		*lang = lang_or_404(r);
	struct mb_events_env	 env;
	struct mb_ev_settings	 s;
	struct mb_ev_form	 f;
	struct mb_ev_reg	*out;
	struct mb_diag		 d = { "" };
	struct typed		 ty;
	char			 uri[MB_URI_MAX], token[MB_EV_TOKEN_LEN + 1];
	char			 to[200];
	json_t			*qs = NULL, *answers = NULL, *q;
	size_t			 i;
	int			 rc;

	if (lang == NULL)
		return;
	if (!rate_ok(r)) {
		mb_resp_header(r, "Retry-After", "60");
		mb_resp_error(r, 429, "too_many_requests", "too many "
		    "registrations from this address; try again in a minute");
		return;
	}
	if (mb_uri_make(uri, sizeof(uri), mb_req_param(r, "center"),
	    mb_req_param(r, "local")) != MB_OK || !mb_ev_env_of(r, &env))
		goto notfound;
	if (!mb_http_item_visible(r, env.st, uri))
		goto notfound;
	memset(&f, 0, sizeof(f));
	f.event = uri;
	f.name = mb_req_form(r, "name");
	f.email = mb_req_form(r, "email");
	f.organisation = mb_req_form(r, "organisation");
	f.country = mb_req_form(r, "country");
	f.language = mb_req_form(r, "language");
	if (f.language == NULL || f.language[0] == '\0')
		f.language = lang;
	/* The organiser's questions come as q0, q1, ... */
	answers = json_object();
	if (mb_store_ev_settings_get(env.st, uri, &s, NULL) == MB_OK &&
	    (qs = json_loads(s.questions, 0, NULL)) != NULL) {
		json_array_foreach(qs, i, q) {
			char		 k[24];
			const char	*v;

			snprintf(k, sizeof(k), "q%zu", i);
			if ((v = mb_req_form(r, k)) != NULL && v[0] != '\0' &&
			    json_is_string(q))
				json_object_set_new(answers,
				    json_string_value(q), json_string(v));
		}
	}
	f.answers = answers;
	if ((out = malloc(sizeof(*out))) == NULL) {
		rc = MB_ERR_NOMEM;
	} else {
		rc = mb_event_register(&env, &f, out, token, &d);
		if (rc == MB_OK)
			log_info("events: registration event=%s id=%s state=%s",
			    uri, out->id, out->state);
		free(out);
	}
	json_decref(qs);
	json_decref(answers);
	if (rc == MB_OK) {
		snprintf(to, sizeof(to), "/events/r/%s", token);
		mb_resp_see_other(r, to);
		return;
	}
	ty.status = mb_ev_status(rc);
	ty.error = mb_diag_msg(&d, rc);
	event_page_with(r, lang, &ty);
	return;
notfound:
	if (!mb_site_not_found(r))
		mb_resp_error(r, 404, "not_found", "no such event");
}

/* ---- The attendee's page ---- */

static void
reg_page_with(struct mb_req *r, unsigned status, const char *msg)
{
	struct mb_events_env	 env;
	struct mb_ev_reg	*g;
	struct mb_event		*e = NULL;
	struct mb_page		 p;
	struct mb_tval		*m, *pg;
	const char		*token = mb_req_param(r, "token");
	char			 key[40], c[MB_CENTER_MAX + 1];
	char			 l[MB_LOCAL_MAX + 1], self[256];

	if (!mb_ev_env_of(r, &env))
		return;
	g = malloc(sizeof(*g));
	e = calloc(1, sizeof(*e));
	if (g == NULL || e == NULL || mb_event_by_token(&env, token, g, NULL)
	    != MB_OK || mb_event_load(env.st, g->event, e, NULL) != MB_OK) {
		free(g);
		mb_event_release(e);
		free(e);
		if (!mb_site_not_found(r))
			mb_resp_error(r, 404, "not_found", "no such "
			    "registration");
		return;
	}
	snprintf(self, sizeof(self), "/events/r/%s", token);
	if (!mb_page_begin(&p, r, NULL, self)) {
		free(g);
		mb_event_release(e);
		free(e);
		return;
	}
	mb_resp_private(r);
	mb_resp_header(r, "Referrer-Policy", "no-referrer");
	signed_in(&p, r);
	pg = mb_tv_map(p.td, p.root, "page");
	mb_tv_str(p.td, pg, "title", e->title);
	m = mb_tv_map(p.td, p.root, "reg");
	mb_tv_str(p.td, m, "event", e->title);
	if (mb_uri_parse(g->event, c, l) == MB_OK)
		mb_tv_printf(p.td, m, "event_url", "/%s/events/%s/%s", p.lang,
		    c, l);
	mb_tv_str(p.td, m, "name", g->name);
	mb_tv_str(p.td, m, "state", g->state);
	snprintf(key, sizeof(key), "ev.state.%s", g->state);
	mb_tv_str(p.td, m, "state_text", mb_page_msg(&p, key));
	mb_tv_str(p.td, m, "message", msg);
	if (strcmp(g->state, "complete") == 0 && g->ticket[0] != '\0') {
		struct mb_buf svg = MB_BUF_INIT;

		mb_tv_str(p.td, m, "ticket", g->ticket);
		if (mb_qr_svg(g->ticket, mb_page_msg(&p, "ev.ticket"), &svg,
		    NULL) == MB_OK)
			mb_tv_html(p.td, m, "qr", mb_buf_cstr(&svg));
		mb_buf_free(&svg);
	}
	if (strcmp(g->state, "pending") == 0 && g->offer_until_ms != 0) {
		mb_tv_bool(p.td, m, "offer", true);
		fmt_time(&p, m, "offer_until", "offer_until_iso",
		    g->offer_until_ms);
		mb_tv_printf(p.td, m, "confirm", "/events/r/%s/confirm",
		    token);
	}
	if (strcmp(g->state, "withdrawn") != 0 &&
	    strcmp(g->state, "rejected") != 0)
		mb_tv_printf(p.td, m, "withdraw", "/events/r/%s/withdraw",
		    token);
	free(g);
	mb_event_release(e);
	free(e);
	mb_page_finish(&p, status, "ev_reg.html");
}

static void
reg_page(struct mb_req *r)
{
	reg_page_with(r, 200, NULL);
}

static void
reg_change(struct mb_req *r, bool withdraw)
{
	struct mb_events_env	 env;
	struct mb_ev_reg	*g;
	struct mb_diag		 d = { "" };
	char			 to[120];
	int			 rc;

	if (!mb_ev_env_of(r, &env))
		return;
	if ((g = malloc(sizeof(*g))) == NULL) {
		mb_resp_error(r, 500, "internal", "out of memory");
		return;
	}
	rc = withdraw ? mb_event_withdraw(&env, mb_req_param(r, "token"), g,
	    &d) : mb_event_confirm(&env, mb_req_param(r, "token"), g, &d);
	if (rc == MB_OK)
		log_info("events: registration id=%s %s", g->id, withdraw ?
		    "withdrawn" : "confirmed");
	free(g);
	if (rc == MB_OK) {
		snprintf(to, sizeof(to), "/events/r/%s",
		    mb_req_param(r, "token"));
		mb_resp_see_other(r, to);
		return;
	}
	if (rc == MB_ERR_NOTFOUND) {
		if (!mb_site_not_found(r))
			mb_resp_error(r, 404, "not_found", "no such "
			    "registration");
		return;
	}
	reg_page_with(r, mb_ev_status(rc), mb_diag_msg(&d, rc));
}

static void
reg_withdraw(struct mb_req *r)
{
	reg_change(r, true);
}

static void
reg_confirm(struct mb_req *r)
{
	reg_change(r, false);
}

const struct mb_route mb_routes_events[] = {
	{ "GET", "/:lang/events/:center/:local", event_page, 0,
	  "events.page" },
	{ "POST", "/:lang/events/:center/:local/register", do_register,
	  MB_ROUTE_FORM | MB_ROUTE_SMALL, "events.register" },
	{ "GET", "/events/:center/:file", event_ics, MB_ROUTE_CACHE,
	  "events.ics" },
	{ "GET", "/events/r/:token", reg_page, MB_ROUTE_SECRET,
	  "events.registration" },
	{ "POST", "/events/r/:token/withdraw", reg_withdraw,
	  MB_ROUTE_FORM | MB_ROUTE_SMALL | MB_ROUTE_SECRET, "events.withdraw" },
	{ "POST", "/events/r/:token/confirm", reg_confirm,
	  MB_ROUTE_FORM | MB_ROUTE_SMALL | MB_ROUTE_SECRET, "events.confirm" },
	MB_ROUTES_END
};
