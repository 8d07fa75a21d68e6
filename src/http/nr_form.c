/* SPDX-License-Identifier: MIT */
/* The newsroom's item form: read, checked, shown, written into ninjs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/timeutil.h"
#include "base/utf8.h"
#include "http/markdown.h"
#include "http/sanitize.h"
#include "http_int.h"
#include "nr_form.h"
#include "nr_int.h"
#include "site_int.h"
#include "text/lang.h"

static bool
is_markdown(const struct mb_nr_form *fm)
{
	return fm->format != NULL && strcmp(fm->format, "markdown") == 0;
}

/*
 * The body as it will be stored: Markdown rendered and sanitized
 * (markdown.h), HTML as given (sanitized whenever shown). into holds
 * what fm->html points to.
 */
int
mb_nr_form_render(struct mb_nr_form *fm, struct mb_buf *into,
    struct mb_diag *d)
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
void
mb_nr_form_body_for_editing(struct mb_nr_form *fm, struct mb_buf *md)
{
	struct mb_buf	 h = MB_BUF_INIT;
	json_t		*b;

	fm->format = "html";
	if (fm->body == NULL || *fm->body == '\0') {
		fm->format = "markdown";
		return;
	}
	/*
	 * Plain text (from the API, a wire) is text: escaped as readers
	 * see it, a line a paragraph, so that its "<b>" stays letters once
	 * the form saves it back as HTML.
	 */
	if (fm->plain) {
		b = json_pack("{s:s, s:s}", "value", fm->body, "contentType",
		    "text/plain");
		if (b == NULL || mb_item_body_html(b, &h, NULL) != MB_OK) {
			json_decref(b);
			mb_buf_free(&h);
			fm->body = "";
			return;
		}
		json_decref(b);
		fm->body = mb_buf_cstr(&h);
	}
	if (mb_html_to_markdown(fm->body, strlen(fm->body), md) == MB_OK) {
		fm->body = md->len > 0 ? mb_buf_cstr(md) : "";
		fm->format = "markdown";
	} else if (fm->plain) {
		/* md outlives h: the page is rendered after this returns. */
		mb_buf_reset(md);
		mb_buf_append(md, h.data, h.len);
		fm->body = mb_buf_cstr(md);
	}
	mb_buf_free(&h);
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
bool
mb_nr_parse_local(const char *s, int64_t *ms)
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

void
mb_nr_form_from_request(struct mb_req *r, struct mb_nr_form *fm)
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

void
mb_nr_form_from_item(const struct mb_item_view *v, struct mb_nr_form *fm)
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
	{
		const json_t *b = json_array_get(json_object_get(v->item,
		    "bodies"), 0);
		const char *ct = json_string_value(json_object_get(b,
		    "contentType"));

		fm->body = json_string_value(json_object_get(b, "value"));
		fm->plain = ct != NULL && strcmp(ct, "text/plain") == 0;
	}
	fm->start = local_time(json_string_value(json_object_get(dates,
	    "startDate")), fm->start_buf);
	fm->end = local_time(json_string_value(json_object_get(dates,
	    "endDate")), fm->end_buf);
	fm->where = v->where;
	fm->of = v->translation_of;
}

/* Checks the form; each problem goes next to its field. */
bool
mb_nr_form_check(struct mb_page *p, const struct mb_nr_form *fm,
    struct mb_tval *errs)
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
		if (!mb_nr_parse_local(fm->start, &a)) {
			mb_tv_str(p->td, errs, "start", mb_page_msg(p,
			    "err.time"));
			ok = false;
		}
		if (fm->end != NULL && *fm->end != '\0' &&
		    (!mb_nr_parse_local(fm->end, &b) || (a != 0 && b <= a))) {
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

void
mb_nr_form_values(struct mb_page *p, const struct mb_nr_form *fm,
    const char *action, const char *default_lang)
{
	static const char *const auds[] = { "public", "network", "internal" };
	struct mb_tval	*f = mb_tv_get(p->root, "form"), *l;

	/* The caller may have begun the form (the original beside it). */
	if (f == NULL)
		f = mb_tv_map(p->td, p->root, "form");

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

void
mb_nr_preview(struct mb_page *p, const struct mb_nr_form *fm)
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
void
mb_nr_service_error(struct mb_page *p, struct mb_tval *errs, const char *msg)
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

/*
 * The form shows the first headline and the first body: their value
 * (and the body's type) is replaced, the rest kept -- a subheadline, a
 * second body, the entry's other members.
 */
static void
set_first(json_t *item, const char *key, const char *value, const char *ct)
{
	json_t *arr = json_object_get(item, key), *first;

	if (!json_is_array(arr) || json_array_size(arr) == 0) {
		arr = json_array();
		json_object_set_new(item, key, arr);
		json_array_append_new(arr, json_object());
	}
	if (!json_is_object(first = json_array_get(arr, 0))) {
		json_array_set_new(arr, 0, json_object());
		first = json_array_get(arr, 0);
	}
	json_object_set_new(first, "value", json_string(value));
	if (ct != NULL)
		json_object_set_new(first, "contentType", json_string(ct));
}

/* Writes the form's fields into item (a ninjs object; references kept). */
void
mb_nr_form_to_item(const struct mb_nr_form *fm, json_t *item)
{
	json_t	*dates, *ev;
	int64_t	 ms;
	char	 t[MB_TIME_RFC3339_LEN];

	set_first(item, "headlines", fm->headline, NULL);
	set_first(item, "bodies", fm->html != NULL ? fm->html : fm->body,
	    "text/html");
	json_object_set_new(item, "language", json_string(fm->language));
	if (fm->byline != NULL && *fm->byline != '\0')
		json_object_set_new(item, "by", json_string(fm->byline));
	else
		json_object_del(item, "by");
	if (fm->profile != NULL && strcmp(fm->profile, "event") == 0) {
		json_object_set_new(item, "profile", json_string("event"));
		if (json_object_get(item, "type") == NULL)
			json_object_set_new(item, "type", json_string("event"));
		/*
		 * The form shows only the dates: the rest of eventDetails
		 * (its status, organiser, recurrence...) is kept, or saving
		 * a canceled event would quietly un-cancel it.
		 */
		ev = json_object_get(item, "eventDetails");
		ev = json_is_object(ev) ? json_copy(ev) : json_object();
		dates = json_object_get(ev, "dates");
		dates = json_is_object(dates) ? json_copy(dates) :
		    json_object();
		json_object_del(dates, "startDate");
		json_object_del(dates, "endDate");
		if (mb_nr_parse_local(fm->start, &ms)) {
			mb_time_format(ms, t);
			json_object_set_new(dates, "startDate", json_string(t));
		}
		if (mb_nr_parse_local(fm->end, &ms)) {
			mb_time_format(ms, t);
			json_object_set_new(dates, "endDate", json_string(t));
		}
		json_object_set_new(ev, "dates", dates);
		json_object_set_new(item, "eventDetails", ev);
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
 * A value cut at a NUL byte, or bytes JSON cannot hold (not UTF-8: the
 * headline would vanish), would be saved short while the save says it
 * succeeded: the form is refused naming the field, nothing stored.
 */
bool
mb_nr_form_bad(struct mb_req *r, const char **field, char *msg, size_t n)
{
	static const char *const shown[] = { "headline", "language", "body",
		"start", "end", NULL };
	const char *bad = mb_req_form_bad(r);

	if (bad == NULL)
		return false;
	*field = "form";
	for (size_t i = 0; shown[i] != NULL; i++)
		if (strcmp(bad, shown[i]) == 0)
			*field = shown[i];
	snprintf(msg, n, "%s: holds a NUL byte or bytes that are not UTF-8 "
	    "text; nothing was saved", mb_utf8_valid(bad, strlen(bad)) ? bad :
	    "a field");
	return true;
}

bool
mb_nr_is_preview(struct mb_req *r)
{
	const char *d = mb_req_form(r, "do");

	return d != NULL && strcmp(d, "preview") == 0;
}

/* Checks a submitted form; false when its page was answered. */
bool
mb_nr_form_ok(struct mb_req *r, const struct mb_nr_form *fm)
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
	ok = mb_nr_form_check(&p, fm, mb_tdata_root(td));
	mb_tdata_free(td);
	(void)r;
	return ok;
}
