/* SPDX-License-Identifier: MIT */
/* The newsroom in the browser: sign in, desk, write, preview, workflow. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/timeutil.h"
#include "http/markdown.h"
#include "http/sanitize.h"
#include "http_int.h"
#include "nr_int.h"
#include "site_int.h"
#include "text/lang.h"

/*
 * Plain HTML forms, no JavaScript. Every change goes through the
 * newsroom service (newsroom/items.h), as the JSON API's do, so both obey
 * the one permission table of docs/permissions.md; the server checks
 * each form's CSRF token (field "csrf") before a handler runs. After a
 * change: 303 to the item.
 */

#define DESK_SCAN 300
#define DESK_ROWS 30

/* ---- Sign in and out ---- */

static void
login_form(struct mb_req *r, unsigned status, const char *name,
    const char *field, const char *msg)
{
	struct mb_page	 p;
	struct mb_tval	*e;

	if (!mb_nr_begin(&p, r, "nr.login"))
		return;
	mb_tv_str(p.td, mb_tv_map(p.td, p.root, "form"), "name", name);
	e = mb_tv_map(p.td, p.root, "errors");
	if (field != NULL)
		mb_tv_str(p.td, e, field, mb_page_msg(&p, msg));
	mb_page_finish(&p, status, "nr_login.html");
}

static void
login(struct mb_req *r)
{
	const char	*name = mb_req_form(r, "name");
	const char	*pw = mb_req_form(r, "password");
	struct mb_store	*st;
	struct mb_user	 u;
	struct mb_diag	 d = { "" };
	int64_t		 now = mb_time_now_ms();
	int		 rc;

	if (name == NULL || *name == '\0') {
		login_form(r, 422, name, "name", "err.required");
		return;
	}
	if (pw == NULL || *pw == '\0') {
		login_form(r, 422, name, "password", "err.required");
		return;
	}
	if (mb_throttle_check(mb_req_throttle(r), name, mb_req_client(r),
	    now) > 0) {
		login_form(r, 429, name, "form", "err.throttled");
		return;
	}
	if ((st = mb_req_store_or_reply(r)) == NULL)
		return;
	rc = mb_accounts_login(st, name, pw, &u, &d);
	if (rc == MB_ERR_PERM) {
		mb_throttle_fail(mb_req_throttle(r), name, mb_req_client(r),
		    now);
		log_warn("site: newsroom login failed client=%s",
		    mb_req_client(r));
		login_form(r, 401, name, "password", "err.login");
		return;
	}
	if (rc != MB_OK || (rc = mb_nr_session_start(r, st, u.id, &d)) !=
	    MB_OK) {
		mb_resp_err(r, rc, &d);
		return;
	}
	mb_throttle_ok(mb_req_throttle(r), u.name, mb_req_client(r));
	log_info("site: newsroom login user=%s", u.name);
	mb_nr_see_other(r, "/newsroom/");
}

static void
logout(struct mb_req *r)
{
	const char	*cookie = mb_req_cookie(r, "mb_session");
	struct mb_store	*st;

	if (cookie != NULL && (st = mb_req_store_or_reply(r)) != NULL)
		mb_accounts_session_end(st, cookie, NULL);
	mb_resp_header(r, "Set-Cookie", "mb_session=; Path=/; HttpOnly; "
	    "SameSite=Strict; Max-Age=0");
	mb_nr_see_other(r, "/newsroom/");
}

/* ---- The desk ---- */

struct desk {
	struct mb_page	*p;
	struct mb_store	*st;
	const char	*self;
	struct mb_tval	*queue, *drafts, *published, *others;
	int		 nq, nd, np, no;
};

static void
row(struct desk *dk, struct mb_tval *list, const struct mb_item_view *v,
    bool pickup)
{
	struct mb_tval *m = mb_tv_map(dk->p->td, list, NULL);

	mb_tv_str(dk->p->td, m, "headline", v->headline);
	mb_tv_printf(dk->p->td, m, "url", "/newsroom/items/%s/%s", v->center,
	    v->local);
	mb_tv_str(dk->p->td, m, "lang", v->lang[0] ? v->lang : "und");
	mb_tv_str(dk->p->td, m, "dir", v->rtl ? "rtl" : "ltr");
	mb_nr_status_text(dk->p, m, v);
	mb_page_date(dk->p, m, "date", v->first_ms);
	if (pickup)
		mb_tv_printf(dk->p->td, m, "pickup",
		    "/newsroom/items/%s/%s/pickup", v->center, v->local);
}

static int
desk_cb(const struct mb_store_version *sv, void *arg)
{
	struct desk		*dk = arg;
	struct mb_item_view	 v;
	bool			 mine;

	if (mb_item_view_load(&v, sv) != MB_OK)
		return MB_OK;
	mine = strcmp(v.center, dk->self) == 0;
	if (mine && strcmp(v.workflow, "submitted") == 0 && dk->nq <
	    DESK_ROWS) {
		row(dk, dk->queue, &v, false);
		dk->nq++;
	} else if (mine && strcmp(v.workflow, "draft") == 0 && dk->nd <
	    DESK_ROWS) {
		row(dk, dk->drafts, &v, false);
		dk->nd++;
	} else if (mine && strcmp(v.workflow, "published") == 0 &&
	    dk->np < DESK_ROWS) {
		row(dk, dk->published, &v, false);
		dk->np++;
	} else if (!mine && strcmp(v.workflow, "published") == 0 &&
	    strcmp(v.pub_status, "usable") == 0 && dk->no < DESK_ROWS) {
		row(dk, dk->others, &v, true);
		dk->no++;
	}
	mb_item_view_free(&v);
	return MB_OK;
}

static struct mb_tval *
section(struct mb_page *p, struct mb_tval *list, const char *id,
    const char *title, bool pickup)
{
	struct mb_tval *s = mb_tv_map(p->td, list, NULL);

	mb_tv_str(p->td, s, "id", id);
	mb_tv_str(p->td, s, "title", mb_page_msg(p, title));
	mb_tv_bool(p->td, s, "pickup", pickup);
	return mb_tv_list(p->td, s, "rows");
}

static void
desk(struct mb_req *r)
{
	const struct mb_http_user	*u = mb_req_user(r);
	struct mb_store_filter		 f;
	struct mb_store			*st;
	struct mb_page			 p;
	struct mb_tval			*secs;
	struct desk			 dk;
	struct mb_diag			 d = { "" };
	int				 rc;

	if (u == NULL || u->role < MB_ROLE_TRANSLATOR) {
		login_form(r, 200, NULL, NULL, NULL);
		return;
	}
	if ((st = mb_req_store_or_reply(r)) == NULL)
		return;
	if (!mb_nr_begin(&p, r, "nr.desk"))
		return;
	if (mb_req_query(r, "done") != NULL)
		mb_tv_str(p.td, p.root, "flash", mb_page_msg(&p,
		    "flash.saved"));
	secs = mb_tv_list(p.td, p.root, "sections");
	memset(&dk, 0, sizeof(dk));
	dk.p = &p;
	dk.st = st;
	dk.self = mb_req_node(r)->conf.id;
	dk.queue = section(&p, secs, "queue", "nr.queue", false);
	dk.drafts = section(&p, secs, "drafts", "nr.drafts", false);
	dk.published = section(&p, secs, "published", "nr.published", false);
	dk.others = section(&p, secs, "others", "nr.others", true);
	memset(&f, 0, sizeof(f));
	f.limit = DESK_SCAN;
	f.all = u->role >= MB_ROLE_EDITOR;
	f.audiences = MB_AUD_PUBLIC | MB_AUD_NETWORK | MB_AUD_INTERNAL;
	f.now_ms = mb_time_now_ms();
	f.author_id = u->id;
	if ((rc = mb_store_list(st, &f, desk_cb, &dk, &d)) != MB_OK) {
		mb_page_free(&p);
		mb_resp_err(r, rc, &d);
		return;
	}
	mb_page_finish(&p, 200, "nr_home.html");
}

/* ---- The editor ---- */

/* What the form carries, from a request or from a stored item. */
struct form {
	const char	*headline, *language, *byline, *profile, *audience;
	const char	*body, *start, *end, *where, *of, *version;
	const char	*format;	/* "markdown" or "html" (the body's) */
	const char	*html;		/* the body as stored, once rendered */
	char		 start_buf[24], end_buf[24];
};

static bool
is_markdown(const struct form *fm)
{
	return fm->format != NULL && strcmp(fm->format, "markdown") == 0;
}

/*
 * The body as it will be stored: Markdown rendered and sanitized
 * (markdown.h), HTML as given (sanitized whenever shown). into holds
 * what fm->html points to.
 */
static int
form_render(struct form *fm, struct mb_buf *into, struct mb_diag *d)
{
	int rc;

	fm->html = fm->body;
	if (!is_markdown(fm) || fm->body == NULL)
		return MB_OK;
	if ((rc = mb_markdown_to_html(fm->body, strlen(fm->body), into, d)) !=
	    MB_OK)
		return rc;
	fm->html = into->len > 0 ? mb_buf_cstr(into) : "";
	return MB_OK;
}

/*
 * A stored body for the editor: Markdown when it says the same (the
 * round trip is checked), else the HTML to edit as HTML.
 */
static void
form_body_for_editing(struct form *fm, struct mb_buf *md)
{
	fm->format = "html";
	if (fm->body == NULL || *fm->body == '\0') {
		fm->format = "markdown";
		return;
	}
	if (mb_html_to_markdown(fm->body, strlen(fm->body), md) == MB_OK) {
		fm->body = md->len > 0 ? mb_buf_cstr(md) : "";
		fm->format = "markdown";
	}
}

/* "2026-11-29T14:00:00Z" -> "2026-11-29T14:00" for datetime-local. */
static const char *
local_time(const char *iso, char out[24])
{
	int64_t ms;
	char	t[MB_TIME_RFC3339_LEN];

	if (iso == NULL || mb_time_parse(iso, &ms) != MB_OK)
		return NULL;
	mb_time_format(ms - ms % 60000, t);
	snprintf(out, 24, "%.16s", t);
	return out;
}

/* "2026-11-29T14:00" (UTC) -> ms; false when malformed. */
static bool
parse_local(const char *s, int64_t *ms)
{
	char t[40];

	if (s == NULL)
		return false;
	if (strlen(s) == 16)
		snprintf(t, sizeof(t), "%s:00Z", s);
	else if (strlen(s) == 19)
		snprintf(t, sizeof(t), "%sZ", s);
	else
		return false;
	return mb_time_parse(t, ms) == MB_OK;
}

static void
form_from_request(struct mb_req *r, struct form *fm)
{
	memset(fm, 0, sizeof(*fm));
	fm->headline = mb_req_form(r, "headline");
	fm->language = mb_req_form(r, "language");
	fm->byline = mb_req_form(r, "byline");
	fm->profile = mb_req_form(r, "profile");
	fm->audience = mb_req_form(r, "audience");
	fm->body = mb_req_form(r, "body");
	/* A form from before the editor spoke Markdown sends HTML. */
	fm->format = mb_req_form(r, "format") != NULL ? mb_req_form(r,
	    "format") : "html";
	fm->start = mb_req_form(r, "start");
	fm->end = mb_req_form(r, "end");
	fm->where = mb_req_form(r, "where");
	fm->of = mb_req_form(r, "of");
	fm->version = mb_req_form(r, "version");
}

static void
form_from_item(const struct mb_item_view *v, struct form *fm)
{
	const json_t *dates = json_object_get(json_object_get(v->item,
	    "eventDetails"), "dates");

	memset(fm, 0, sizeof(*fm));
	fm->headline = v->headline;
	fm->language = v->lang[0] ? v->lang : NULL;
	fm->byline = v->byline;
	fm->profile = (v->profile != NULL && strcmp(v->profile, "event") ==
	    0) ? "event" : "article";
	fm->audience = v->audience;
	fm->body = json_string_value(json_object_get(json_array_get(
	    json_object_get(v->item, "bodies"), 0), "value"));
	fm->start = local_time(json_string_value(json_object_get(dates,
	    "startDate")), fm->start_buf);
	fm->end = local_time(json_string_value(json_object_get(dates,
	    "endDate")), fm->end_buf);
	fm->where = v->where;
	fm->of = v->translation_of;
}

/* Checks the form; each problem goes next to its field. */
static bool
form_check(struct mb_page *p, const struct form *fm, struct mb_tval *errs)
{
	bool	ok = true;
	int64_t	a = 0, b = 0;

	if (fm->headline == NULL || fm->headline[strspn(fm->headline,
	    " \t\r\n")] == '\0') {
		mb_tv_str(p->td, errs, "headline", mb_page_msg(p,
		    "err.required"));
		ok = false;
	}
	if (fm->body == NULL || fm->body[strspn(fm->body, " \t\r\n")] ==
	    '\0') {
		mb_tv_str(p->td, errs, "body", mb_page_msg(p, "err.required"));
		ok = false;
	}
	{
		char pl[MB_LANG_TAG_MAX + 1];

		if (fm->language == NULL || mb_lang_primary(fm->language, pl) ==
		    0) {
			mb_tv_str(p->td, errs, "language", mb_page_msg(p,
			    "err.language"));
			ok = false;
		}
	}
	if (fm->profile != NULL && strcmp(fm->profile, "event") == 0) {
		if (!parse_local(fm->start, &a)) {
			mb_tv_str(p->td, errs, "start", mb_page_msg(p,
			    "err.time"));
			ok = false;
		}
		if (fm->end != NULL && *fm->end != '\0' &&
		    (!parse_local(fm->end, &b) || (a != 0 && b <= a))) {
			mb_tv_str(p->td, errs, "end", mb_page_msg(p,
			    b == 0 ? "err.time" : "err.endbefore"));
			ok = false;
		}
	}
	return ok;
}

/* Language options: the site's catalogs and the center's languages. */
static void
language_options(struct mb_page *p, struct mb_tval *list, const char *sel,
    const char *center_langs)
{
	const struct mb_i18n	*i18n = mb_site_i18n(p->site);
	char			 seen[512] = ",";
	char			 langs[256];

	snprintf(langs, sizeof(langs), "%s", center_langs);
	for (size_t i = 0; i <= mb_i18n_count(i18n); i++) {
		const char *code = i < mb_i18n_count(i18n) ?
		    mb_catalog_lang(mb_i18n_at(i18n, i)) : NULL;
		char *save = NULL, *t;

		if (code == NULL) {
			/* Then the center's own languages. */
			for (t = strtok_r(langs, ",", &save); t != NULL;
			    t = strtok_r(NULL, ",", &save)) {
				char k[24];
				struct mb_tval *o;

				snprintf(k, sizeof(k), ",%s,", t);
				if (strstr(seen, k) != NULL || strlen(t) > 8)
					continue;
				strncat(seen, t, sizeof(seen) - strlen(seen) -
				    2);
				strcat(seen, ",");
				o = mb_tv_map(p->td, list, NULL);
				mb_tv_str(p->td, o, "code", t);
				mb_tv_str(p->td, o, "name", mb_site_lang_name(
				    p->site, t));
				mb_tv_bool(p->td, o, "selected", sel != NULL &&
				    strcmp(sel, t) == 0);
			}
			break;
		}
		{
			struct mb_tval *o = mb_tv_map(p->td, list, NULL);

			mb_tv_str(p->td, o, "code", code);
			mb_tv_str(p->td, o, "name", mb_site_lang_name(p->site,
			    code));
			mb_tv_bool(p->td, o, "selected", sel != NULL &&
			    strcmp(sel, code) == 0);
			strncat(seen, code, sizeof(seen) - strlen(seen) - 2);
			strcat(seen, ",");
		}
	}
}

static void
form_values(struct mb_page *p, const struct form *fm, const char *action,
    const char *default_lang)
{
	static const char *const auds[] = { "public", "network", "internal" };
	struct mb_tval	*f = mb_tv_map(p->td, p->root, "form"), *l;

	mb_tv_str(p->td, f, "action", action);
	mb_tv_str(p->td, f, "headline", fm->headline);
	mb_tv_str(p->td, f, "byline", fm->byline);
	mb_tv_str(p->td, f, "body", fm->body);
	mb_tv_bool(p->td, f, "markdown", fm->format == NULL ||
	    is_markdown(fm));
	mb_tv_str(p->td, f, "start", fm->start);
	mb_tv_str(p->td, f, "end", fm->end);
	mb_tv_str(p->td, f, "where", fm->where);
	mb_tv_str(p->td, f, "of", fm->of);
	mb_tv_str(p->td, f, "version", fm->version);
	mb_tv_bool(p->td, f, "is_event", fm->profile != NULL &&
	    strcmp(fm->profile, "event") == 0);
	language_options(p, mb_tv_list(p->td, f, "languages"),
	    fm->language != NULL ? fm->language : default_lang,
	    mb_req_node(p->r)->conf.languages);
	l = mb_tv_list(p->td, f, "audiences");
	for (size_t i = 0; i < 3; i++) {
		struct mb_tval	*o = mb_tv_map(p->td, l, NULL);
		char		 k[24];

		snprintf(k, sizeof(k), "aud.%s", auds[i]);
		mb_tv_str(p->td, o, "code", auds[i]);
		mb_tv_str(p->td, o, "name", mb_page_msg(p, k));
		mb_tv_bool(p->td, o, "selected", fm->audience != NULL ?
		    strcmp(fm->audience, auds[i]) == 0 : i == 0);
	}
}

static void
preview(struct mb_page *p, const struct form *fm)
{
	struct mb_tval	*pv = mb_tv_map(p->td, p->root, "preview");
	struct mb_buf	 b = MB_BUF_INIT;
	char		 pl[MB_LANG_TAG_MAX + 1] = "";

	mb_tv_str(p->td, pv, "headline", fm->headline);
	if (fm->language != NULL)
		mb_lang_primary(fm->language, pl);
	mb_tv_str(p->td, pv, "lang", pl[0] ? pl : p->lang);
	mb_tv_str(p->td, pv, "dir", pl[0] && mb_lang_is_rtl(pl) ? "rtl" :
	    "ltr");
	if (is_markdown(fm) && fm->body != NULL) {
		if (mb_markdown_to_html(fm->body, strlen(fm->body), &b,
		    NULL) == MB_OK)
			mb_tv_html(p->td, pv, "body", b.len > 0 ?
			    mb_buf_cstr(&b) : "");
	} else if (fm->body != NULL && mb_sanitize_html(fm->body,
	    strlen(fm->body), &b, NULL) == MB_OK)
		mb_tv_html(p->td, pv, "body", mb_buf_cstr(&b));
	mb_buf_free(&b);
}

/* The service's refusal beside the field it names, else above the form. */
static void
service_error(struct mb_page *p, struct mb_tval *errs, const char *msg)
{
	const char *field = "form";

	if (strstr(msg, "headline") != NULL)
		field = "headline";
	else if (strstr(msg, "language") != NULL)
		field = "language";
	else if (strstr(msg, "bodies") != NULL)
		field = "body";
	else if (strstr(msg, "startDate") != NULL)
		field = "start";
	else if (strstr(msg, "endDate") != NULL)
		field = "end";
	else if (strstr(msg, "until") != NULL || strstr(msg, "embargo"))
		field = "until";
	mb_tv_str(p->td, errs, field, msg);
}

/* Writes the form's fields into item (a ninjs object; references kept). */
static void
form_to_item(const struct form *fm, json_t *item)
{
	json_t	*dates;
	int64_t	 ms;
	char	 t[MB_TIME_RFC3339_LEN];

	json_object_set_new(item, "headlines", json_pack("[{s:s}]", "value",
	    fm->headline));
	json_object_set_new(item, "bodies", json_pack("[{s:s, s:s}]",
	    "value", fm->html != NULL ? fm->html : fm->body, "contentType",
	    "text/html"));
	json_object_set_new(item, "language", json_string(fm->language));
	if (fm->byline != NULL && *fm->byline != '\0')
		json_object_set_new(item, "by", json_string(fm->byline));
	else
		json_object_del(item, "by");
	if (fm->profile != NULL && strcmp(fm->profile, "event") == 0) {
		json_object_set_new(item, "profile", json_string("event"));
		if (json_object_get(item, "type") == NULL)
			json_object_set_new(item, "type", json_string("event"));
		dates = json_object();
		if (parse_local(fm->start, &ms)) {
			mb_time_format(ms, t);
			json_object_set_new(dates, "startDate", json_string(t));
		}
		if (parse_local(fm->end, &ms)) {
			mb_time_format(ms, t);
			json_object_set_new(dates, "endDate", json_string(t));
		}
		json_object_set_new(item, "eventDetails", json_pack("{s:o}",
		    "dates", dates));
		if (fm->where != NULL && *fm->where != '\0')
			json_object_set_new(item, "located",
			    json_string(fm->where));
	} else {
		if (json_object_get(item, "profile") != NULL &&
		    strcmp(json_string_value(json_object_get(item,
		    "profile")) ? json_string_value(json_object_get(item,
		    "profile")) : "", "event") == 0)
			json_object_del(item, "profile");
		json_object_del(item, "eventDetails");
		if (json_object_get(item, "type") == NULL ||
		    strcmp(json_string_value(json_object_get(item, "type")) ?
		    json_string_value(json_object_get(item, "type")) : "",
		    "event") == 0)
			json_object_set_new(item, "type", json_string("text"));
	}
}

/*
 * Fetches an item as the caller may see it; 200 and the view (raw holds
 * its envelope). The service's item carries the store's facts (version,
 * workflow, dates), so nothing is read back out of the envelope twice.
 */
static unsigned
fetch(struct mb_req *r, const char *center, const char *local,
    struct mb_item_view *v, struct mb_buf *raw)
{
	struct mb_newsroom_env	 e;
	struct mb_actor		 a;
	struct mb_nr_item	 it;
	struct mb_store_version	 sv;
	char			 path[200];
	unsigned		 status;
	int			 rc;

	if (mb_uri_make(path, sizeof(path), center, local) != MB_OK)
		return 404;
	if (!mb_req_newsroom_or_reply(r, &e))
		return 503;
	mb_req_actor(r, &a);
	if ((rc = mb_newsroom_get(&e, &a, path, 0, &it, NULL)) != MB_OK)
		return mb_newsroom_http_status(rc);
	if (mb_buf_append(raw, it.envelope, it.len) != MB_OK) {
		mb_nr_item_free(&it);
		return 503;
	}
	memset(&sv, 0, sizeof(sv));
	sv.uri = path;
	sv.version = it.version;
	sv.workflow = it.workflow;
	sv.pub_status = it.pub_status;
	sv.audience = it.audience;
	sv.embargo_ms = it.embargo_ms;
	sv.created_ms = it.created_ms;
	sv.first_ms = it.first_ms;
	sv.seq = it.seq;
	sv.envelope = raw->data;
	sv.envelope_len = raw->len;
	status = mb_item_view_load(v, &sv) == MB_OK ? 200 : 500;
	mb_nr_item_free(&it);
	return status;
}

static void
add_action(struct mb_page *p, struct mb_tval *list, const struct
    mb_item_view *v, const char *name)
{
	struct mb_tval	*a = mb_tv_map(p->td, list, NULL);
	char		 k[32];

	snprintf(k, sizeof(k), "action.%s", name);
	mb_tv_str(p->td, a, "name", name);
	mb_tv_str(p->td, a, "label", mb_page_msg(p, k));
	mb_tv_printf(p->td, a, "url", "/newsroom/items/%s/%s/%s", v->center,
	    v->local, name);
}

/*
 * The original a translation is made from, beside the form: its
 * headline and its text (sanitized), as the translator may see it; its
 * uri when it cannot be read.
 */
static void
original(struct mb_page *p, struct mb_req *r, const char *uri)
{
	struct mb_tval		*f = mb_tv_get(p->root, "form");
	struct mb_newsroom_env	 e;
	struct mb_actor		 a;
	struct mb_nr_item	 it;
	struct mb_buf		 b = MB_BUF_INIT;
	json_t			*env;
	const char		*h = NULL, *body = NULL;

	mb_req_actor(r, &a);
	if (mb_req_newsroom_or_reply(r, &e) && mb_newsroom_get(&e, &a, uri,
	    0, &it, NULL) == MB_OK) {
		if ((env = json_loadb(it.envelope, it.len, 0, NULL)) != NULL) {
			const json_t *item = json_object_get(env, "item");

			h = json_string_value(json_object_get(json_array_get(
			    json_object_get(item, "headlines"), 0), "value"));
			body = json_string_value(json_object_get(
			    json_array_get(json_object_get(item, "bodies"), 0),
			    "value"));
			mb_tv_str(p->td, f, "of_headline", h != NULL ? h : uri);
			if (body != NULL && mb_sanitize_html(body, strlen(body),
			    &b, NULL) == MB_OK && b.len > 0)
				mb_tv_html(p->td, f, "of_body", mb_buf_cstr(&b));
			json_decref(env);
		}
		mb_nr_item_free(&it);
	}
	if (h == NULL)
		mb_tv_str(p->td, f, "of_headline", uri);
	mb_buf_free(&b);
}

/*
 * The edit page of a stored item: fm (may be NULL: the stored values),
 * errors and a flash message from the caller.
 */
static void
edit_page(struct mb_req *r, unsigned status, const struct form *given,
    const char *err_field, const char *err_msg, bool with_preview)
{
	const char		*c = mb_req_param(r, "center");
	const char		*l = mb_req_param(r, "local");
	const enum mb_role	 role = mb_req_role(r);
	struct mb_item_view	 v;
	struct mb_buf		 raw = MB_BUF_INIT, mdb = MB_BUF_INIT;
	struct mb_page		 p;
	struct mb_tval		*it, *acts, *errs;
	struct form		 fm;
	unsigned		 st;
	char			 action[200], ver[24];
	bool			 mine = false;

	if ((st = fetch(r, c, l, &v, &raw)) != 200) {
		mb_buf_free(&raw);
		if (st == 404)
			mb_nr_not_found(r);
		else
			mb_resp_error(r, st, "error", "the item could not be "
			    "read");
		return;
	}
	if (!mb_nr_begin(&p, r, "nr.edittitle")) {
		mb_item_view_free(&v);
		mb_buf_free(&raw);
		return;
	}
	errs = mb_tv_map(p.td, p.root, "errors");
	if (err_field != NULL)
		mb_tv_str(p.td, errs, err_field, err_msg);
	else if (given != NULL && !with_preview)
		form_check(&p, given, errs);
	if (mb_req_query(r, "done") != NULL) {
		struct mb_buf	 b = MB_BUF_INIT;
		const char	*done = mb_req_query(r, "done");
		char		 k[32];

		if (strcmp(done, "saved") == 0)
			mb_buf_puts(&b, mb_page_msg(&p, "flash.saved"));
		else if (strcmp(done, "pickedup") == 0)
			mb_buf_puts(&b, mb_page_msg(&p, "flash.pickedup"));
		else if (strcmp(done, "picture") == 0)
			mb_buf_puts(&b, mb_page_msg(&p, "picture.added"));
		else {
			/* "Done: published." -- the state the action made. */
			snprintf(k, sizeof(k), "status.%s",
			    strcmp(done, "submit") == 0 ? "submitted" :
			    strcmp(done, "publish") == 0 ? "published" :
			    strcmp(done, "withhold") == 0 ? "withheld" :
			    strcmp(done, "cancel") == 0 ? "canceled" :
			    strcmp(done, "return") == 0 ? "draft" :
			    "embargoed");
			mb_i18n_subst(mb_page_msg(&p, "flash.done"),
			    mb_page_msg(&p, k), &b);
		}
		mb_tv_str(p.td, p.root, "flash", mb_buf_cstr(&b));
		mb_buf_free(&b);
	}
	it = mb_tv_map(p.td, p.root, "item");
	mb_nr_status_text(&p, it, &v);
	mb_tv_int(p.td, it, "version", v.version);
	mb_tv_str(p.td, it, "note", json_string_value(json_object_get(v.item,
	    "edNote")));
	if (v.embargo_ms > 0) {
		char t[MB_TIME_RFC3339_LEN];

		mb_time_format(v.embargo_ms, t);
		mb_tv_printf(p.td, it, "embargo", "%.16s", t);
	}
	if (strcmp(v.workflow, "published") == 0 &&
	    strcmp(v.pub_status, "usable") == 0)
		mb_tv_printf(p.td, it, "public_url", "/%s/items/%s/%s",
		    p.lang, v.center, v.local);
	if (given != NULL) {
		fm = *given;
	} else {
		form_from_item(&v, &fm);
		form_body_for_editing(&fm, &mdb);
	}
	snprintf(ver, sizeof(ver), "%lld", (long long)v.version);
	fm.version = ver;
	snprintf(action, sizeof(action), "/newsroom/items/%s/%s", c, l);
	form_values(&p, &fm, action, p.lang);
	if (with_preview)
		preview(&p, &fm);
	mb_nr_pictures(&p, v.item);
	if (role >= MB_ROLE_JOURNALIST)
		mb_tv_printf(p.td, p.root, "picture_url",
		    "/newsroom/items/%s/%s/picture", c, l);
	/* The workflow's moves this user may make now. */
	acts = mb_tv_list(p.td, p.root, "actions");
	{
		struct mb_store	*sto = mb_req_store_or_reply(r);
		int64_t		 author = 0;
		char		 uri[MB_URI_MAX];

		if (sto != NULL && mb_uri_make(uri, sizeof(uri), c, l) ==
		    MB_OK && mb_store_author_get(sto, uri, &author, NULL) ==
		    MB_OK)
			mine = author == mb_req_user(r)->id;
	}
	if (strcmp(v.pub_status, "canceled") != 0) {
		if (strcmp(v.workflow, "draft") == 0 && (mine ||
		    role >= MB_ROLE_EDITOR))
			add_action(&p, acts, &v, "submit");
		if (role >= MB_ROLE_EDITOR) {
			if (!(strcmp(v.workflow, "published") == 0 &&
			    strcmp(v.pub_status, "usable") == 0))
				add_action(&p, acts, &v, "publish");
			if (strcmp(v.pub_status, "usable") == 0 &&
			    strcmp(v.workflow, "published") == 0)
				add_action(&p, acts, &v, "withhold");
			add_action(&p, acts, &v, "cancel");
			if (strcmp(v.workflow, "submitted") == 0)
				mb_tv_printf(p.td, p.root, "return_url",
				    "/newsroom/items/%s/%s/return", c, l);
			mb_tv_bool(p.td, p.root, "can_embargo", true);
			mb_tv_printf(p.td, p.root, "embargo_url",
			    "/newsroom/items/%s/%s/embargo", c, l);
		}
		if (v.translation_of == NULL)
			mb_tv_printf(p.td, p.root, "translate_url",
			    "/newsroom/new?of=urn:mediabridge:%s:%s", c, l);
	}
	if (fm.of != NULL) {
		char oc[MB_CENTER_MAX + 1], ol[MB_LOCAL_MAX + 1];

		if (mb_uri_parse(fm.of, oc, ol) == MB_OK) {
			original(&p, r, fm.of);
			mb_tv_printf(p.td, mb_tv_get(p.root, "form"), "of_url",
			    "/newsroom/items/%s/%s", oc, ol);
		}
	}
	/* The form's strings may point into raw: render before freeing. */
	mb_page_finish(&p, status, "nr_edit.html");
	mb_item_view_free(&v);
	mb_buf_free(&raw);
	mb_buf_free(&mdb);
}

static void
edit(struct mb_req *r)
{
	if (!mb_nr_staff_or_login(r))
		return;
	edit_page(r, 200, NULL, NULL, NULL, false);
}

/* The new-item page (also after a failed create or for a preview). */
static void
new_page(struct mb_req *r, unsigned status, const struct form *given,
    bool with_preview, const char *err_field, const char *err_msg)
{
	struct mb_page	 p;
	struct mb_tval	*errs;
	struct form	 fm;

	if (!mb_nr_begin(&p, r, "nr.newtitle"))
		return;
	if (given != NULL)
		fm = *given;
	else {
		memset(&fm, 0, sizeof(fm));
		fm.of = mb_req_query(r, "of");
		fm.format = "markdown";
	}
	form_values(&p, &fm, "/newsroom/new", p.lang);
	errs = mb_tv_map(p.td, p.root, "errors");
	if (given != NULL && !with_preview && err_field == NULL)
		form_check(&p, &fm, errs);
	if (err_field != NULL)
		mb_tv_str(p.td, errs, err_field, err_msg);
	if (with_preview)
		preview(&p, &fm);
	if (fm.of != NULL && *fm.of != '\0') {
		char oc[MB_CENTER_MAX + 1], ol[MB_LOCAL_MAX + 1];

		if (mb_uri_parse(fm.of, oc, ol) == MB_OK) {
			original(&p, r, fm.of);
			mb_tv_printf(p.td, mb_tv_get(p.root, "form"), "of_url",
			    "/newsroom/items/%s/%s", oc, ol);
		}
	}
	mb_page_finish(&p, status, "nr_edit.html");
}

static void
new_item(struct mb_req *r)
{
	if (!mb_nr_staff_or_login(r))
		return;
	new_page(r, 200, NULL, false, NULL, NULL);
}

static bool
is_preview(struct mb_req *r)
{
	const char *d = mb_req_form(r, "do");

	return d != NULL && strcmp(d, "preview") == 0;
}

/* Checks a submitted form; false when its page was answered. */
static bool
form_ok(struct mb_req *r, const struct form *fm)
{
	struct mb_page	p;
	struct mb_tdata	*td;
	bool		ok;

	/* A throwaway page only to run the checks in the right language. */
	if (mb_tdata_new(&td) != MB_OK)
		return true;
	memset(&p, 0, sizeof(p));
	p.td = td;
	p.site = mb_site_get(NULL);
	p.cat = p.site != NULL ? mb_i18n_default(mb_site_i18n(p.site)) : NULL;
	ok = form_check(&p, fm, mb_tdata_root(td));
	mb_tdata_free(td);
	(void)r;
	return ok;
}

static void
create(struct mb_req *r)
{
	struct form		 fm;
	struct mb_newsroom_env	 e;
	struct mb_actor		 a;
	struct mb_nr_saved	 sv;
	struct mb_diag		 d = { "" };
	struct mb_buf		 html = MB_BUF_INIT;
	json_t			*item, *meta;
	char			 to[200];
	unsigned		 status = 0;
	int			 rc;

	if (!mb_nr_staff_or_login(r))
		return;
	form_from_request(r, &fm);
	if (is_preview(r)) {
		new_page(r, 200, &fm, true, NULL, NULL);
		return;
	}
	if (!form_ok(r, &fm)) {
		new_page(r, 422, &fm, false, NULL, NULL);
		return;
	}
	if ((rc = form_render(&fm, &html, &d)) != MB_OK) {
		new_page(r, mb_newsroom_http_status(rc), &fm, false, "body",
		    mb_diag_msg(&d, rc));
		return;
	}
	item = json_object();
	form_to_item(&fm, item);
	mb_buf_free(&html);
	meta = json_pack("{s:s}", "audience", fm.audience != NULL &&
	    *fm.audience != '\0' ? fm.audience : "public");
	if (fm.of != NULL && *fm.of != '\0')
		json_object_set_new(meta, "translation", json_pack("{s:s, s:s}",
		    "of", fm.of, "by", "human"));
	if (!mb_req_newsroom_or_reply(r, &e)) {
		json_decref(item);
		json_decref(meta);
		return;
	}
	mb_req_actor(r, &a);
	rc = mb_newsroom_create(&e, &a, item, meta, &sv, &d);
	json_decref(meta);
	if (rc != MB_OK) {
		const char *msg = mb_diag_msg(&d, rc);

		status = mb_newsroom_http_status(rc);
		{
			struct mb_page	 p;
			struct mb_tval	*errs;

			/* The error goes next to its field. */
			if (!mb_nr_begin(&p, r, "nr.newtitle"))
				return;
			form_values(&p, &fm, "/newsroom/new", p.lang);
			errs = mb_tv_map(p.td, p.root, "errors");
			service_error(&p, errs, msg);
			mb_page_finish(&p, status >= 400 ? status : 500,
			    "nr_edit.html");
		}
		return;
	}
	{
		char c[MB_CENTER_MAX + 1], l[MB_LOCAL_MAX + 1];

		if (mb_uri_parse(sv.uri, c, l) == MB_OK)
			snprintf(to, sizeof(to),
			    "/newsroom/items/%s/%s?done=saved", c, l);
		else
			snprintf(to, sizeof(to), "/newsroom/?done=saved");
	}
	mb_nr_saved_free(&sv);
	mb_nr_see_other(r, to);
}

static void
save(struct mb_req *r)
{
	const char		*c = mb_req_param(r, "center");
	const char		*l = mb_req_param(r, "local");
	struct mb_item_view	 v;
	struct mb_buf		 raw = MB_BUF_INIT;
	struct form		 fm;
	struct mb_newsroom_env	 e;
	struct mb_actor		 a;
	struct mb_nr_precond	 pre;
	struct mb_nr_saved	 sv;
	struct mb_diag		 d = { "" };
	struct mb_buf		 html = MB_BUF_INIT;
	json_t			*item, *hints;
	char			 uri[MB_URI_MAX], to[200];
	unsigned		 status = 0;
	int			 rc;

	if (!mb_nr_staff_or_login(r))
		return;
	form_from_request(r, &fm);
	if (is_preview(r)) {
		edit_page(r, 200, &fm, NULL, NULL, true);
		return;
	}
	if (!form_ok(r, &fm)) {
		edit_page(r, 422, &fm, NULL, NULL, false);
		return;
	}
	if ((status = fetch(r, c, l, &v, &raw)) != 200) {
		mb_buf_free(&raw);
		mb_nr_not_found(r);
		return;
	}
	item = json_deep_copy(v.item);
	mb_item_view_free(&v);
	mb_buf_free(&raw);
	if (item == NULL) {
		mb_resp_error(r, 503, "unavailable", "out of memory");
		return;
	}
	if ((rc = form_render(&fm, &html, &d)) != MB_OK) {
		json_decref(item);
		edit_page(r, mb_newsroom_http_status(rc), &fm, "body",
		    mb_diag_msg(&d, rc), false);
		return;
	}
	form_to_item(&fm, item);
	mb_buf_free(&html);
	json_object_del(item, "version");
	json_object_del(item, "versionCreated");
	hints = json_pack("{s:s}", "audience", fm.audience != NULL &&
	    *fm.audience ? fm.audience : "public");
	/* The form carries the version it was made from: a stale save 412s. */
	if (mb_if_match_parse(fm.version, &pre) != 0 || mb_uri_make(uri,
	    sizeof(uri), c, l) != MB_OK) {
		json_decref(item);
		json_decref(hints);
		edit_page(r, 400, &fm, "form", "the form lost the version it "
		    "was made from; open the item again", false);
		return;
	}
	if (!mb_req_newsroom_or_reply(r, &e)) {
		json_decref(item);
		json_decref(hints);
		return;
	}
	mb_req_actor(r, &a);
	rc = mb_newsroom_update(&e, &a, uri, &pre, item, hints, &sv, &d);
	json_decref(hints);
	if (rc != MB_OK) {
		edit_page(r, mb_newsroom_http_status(rc), &fm, "form",
		    mb_diag_msg(&d, rc), false);
		return;
	}
	mb_nr_saved_free(&sv);
	(void)status;
	snprintf(to, sizeof(to), "/newsroom/items/%s/%s?done=saved", c, l);
	mb_nr_see_other(r, to);
}

/* Picks up another center's item: a new draft here, crediting it. */
static void
pickup(struct mb_req *r, const char *c, const char *l)
{
	struct mb_item_view	 v;
	struct mb_buf		 raw = MB_BUF_INIT;
	struct mb_newsroom_env	 e;
	struct mb_actor		 a;
	struct mb_nr_saved	 sv;
	struct mb_diag		 d = { "" };
	struct mb_store		*st;
	json_t			*item, *meta, *assoc;
	const char		*keep[] = { "type", "profile", "language",
				    "headlines", "descriptions", "bodies", "by",
				    "subjects", "places", "located",
				    "eventDetails", "renditions", NULL };
	char			 name[128], to[200];
	unsigned		 status;
	int			 rc;

	if ((status = fetch(r, c, l, &v, &raw)) != 200) {
		mb_buf_free(&raw);
		mb_nr_not_found(r);
		return;
	}
	item = json_object();
	for (size_t i = 0; keep[i] != NULL; i++)
		if (json_object_get(v.item, keep[i]) != NULL)
			json_object_set(item, keep[i], json_object_get(v.item,
			    keep[i]));
	st = mb_req_store_or_reply(r);
	mb_site_center_name(st, v.origin, name, sizeof(name));
	assoc = json_pack("[{s:s, s:s, s:s}]", "name", name, "uri", v.uri,
	    "rel", "source");
	json_object_set_new(item, "associations", assoc);
	mb_item_view_free(&v);
	mb_buf_free(&raw);
	meta = json_pack("{s:s}", "audience", "public");
	if (!mb_req_newsroom_or_reply(r, &e)) {
		json_decref(item);
		json_decref(meta);
		return;
	}
	mb_req_actor(r, &a);
	rc = mb_newsroom_create(&e, &a, item, meta, &sv, &d);
	json_decref(meta);
	if (rc != MB_OK) {
		edit_page(r, mb_newsroom_http_status(rc), NULL, "form",
		    mb_diag_msg(&d, rc), false);
		return;
	}
	{
		char nc[MB_CENTER_MAX + 1], nl[MB_LOCAL_MAX + 1];

		if (mb_uri_parse(sv.uri, nc, nl) == MB_OK)
			snprintf(to, sizeof(to),
			    "/newsroom/items/%s/%s?done=pickedup", nc, nl);
		else
			snprintf(to, sizeof(to), "/newsroom/");
	}
	mb_nr_saved_free(&sv);
	log_info("site: picked up uri=urn:mediabridge:%s:%s", c, l);
	mb_nr_see_other(r, to);
}

static void
act(struct mb_req *r)
{
	const char	*c = mb_req_param(r, "center");
	const char	*l = mb_req_param(r, "local");
	const char	*a = mb_req_param(r, "action");
	const char		*ver = mb_req_form(r, "version");
	struct mb_newsroom_env	 e;
	struct mb_actor		 who;
	struct mb_nr_precond	 pre;
	struct mb_nr_saved	 sv;
	struct mb_diag		 d = { "" };
	char			 uri[MB_URI_MAX], to[200];
	int64_t			 until_ms = 0;
	int			 action, prc, rc;

	if (!mb_nr_staff_or_login(r))
		return;
	if (strcmp(a, "pickup") == 0) {
		pickup(r, c, l);
		return;
	}
	if ((action = mb_nr_action_parse(a)) < 0 ||
	    mb_uri_make(uri, sizeof(uri), c, l) != MB_OK) {
		mb_nr_not_found(r);
		return;
	}
	if (strcmp(a, "embargo") == 0) {
		const char	*u = mb_req_form(r, "until");
		if (u == NULL || *u == '\0') {
			until_ms = 0;
		} else if (!parse_local(u, &until_ms)) {
			const struct mb_site *s = mb_site_get(NULL);

			edit_page(r, 422, NULL, "until", s != NULL ?
			    mb_catalog_get(mb_i18n_negotiate(mb_site_i18n(s),
			    mb_req_cookie(r, "mb_lang"), mb_req_header(r,
			    "Accept-Language")), "err.time") : "err.time",
			    false);
			return;
		}
	}
	if ((prc = mb_if_match_parse(ver, &pre)) < 0) {
		edit_page(r, 400, NULL, "form", "the form's version is not a "
		    "number; open the item again", false);
		return;
	}
	if (!mb_req_newsroom_or_reply(r, &e))
		return;
	mb_req_actor(r, &who);
	if (action == MB_NR_RETURN)
		rc = mb_newsroom_send_back(&e, &who, uri, prc == 1 ? NULL :
		    &pre, mb_req_form(r, "note"), &sv, &d);
	else
		rc = mb_newsroom_act(&e, &who, uri, (enum mb_nr_action)action,
		    prc == 1 ? NULL : &pre, until_ms, &sv, &d);
	if (rc != MB_OK) {
		edit_page(r, mb_newsroom_http_status(rc), NULL,
		    action == MB_NR_EMBARGO ? "until" : "form",
		    mb_diag_msg(&d, rc), false);
		return;
	}
	mb_nr_saved_free(&sv);
	log_info("site: newsroom action=%s uri=urn:mediabridge:%s:%s user=%s",
	    a, c, l, mb_req_user(r)->name);
	snprintf(to, sizeof(to), "/newsroom/items/%s/%s?done=%s", c, l, a);
	mb_nr_see_other(r, to);
}

const struct mb_route mb_routes_newsroom[] = {
	{ "GET", "/newsroom/", desk, 0, "newsroom.desk" },
	{ "POST", "/newsroom/login", login, MB_ROUTE_FORM | MB_ROUTE_SMALL,
	  "newsroom.login" },
	{ "POST", "/newsroom/logout", logout, MB_ROUTE_FORM | MB_ROUTE_SMALL,
	  "newsroom.logout" },
	{ "GET", "/newsroom/new", new_item, 0, "newsroom.new" },
	{ "POST", "/newsroom/new", create, MB_ROUTE_FORM, "newsroom.create" },
	{ "GET", "/newsroom/items/:center/:local", edit, 0, "newsroom.edit" },
	{ "POST", "/newsroom/items/:center/:local", save, MB_ROUTE_FORM,
	  "newsroom.save" },
	{ "POST", "/newsroom/items/:center/:local/:action", act,
	  MB_ROUTE_FORM, "newsroom.action" },
	MB_ROUTES_END
};
