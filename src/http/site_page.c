/* SPDX-License-Identifier: MIT */
/* Building a site page: common data, rendering, and an item's facts. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/timeutil.h"
#include "center/names.h"
#include "http/sanitize.h"
#include "item/json.h"
#include "countries.h"
#include "site_int.h"
#include "text/html_text.h"
#include "text/lang.h"

/* Names of languages in themselves, for those without a catalog. */
static const struct {
	const char *code, *name;
} lang_names[] = {
	{ "ar", "العربية" }, { "de", "Deutsch" }, { "en", "English" },
	{ "es", "Español" }, { "fa", "فارسی" }, { "fr", "Français" },
	{ "ha", "Hausa" }, { "hi", "हिन्दी" }, { "id", "Bahasa Indonesia" },
	{ "pt", "Português" }, { "ru", "Русский" }, { "sw", "Kiswahili" },
	{ "tr", "Türkçe" }, { "ur", "اردو" }, { "zh", "中文" },
};

const char *
mb_site_lang_name(const struct mb_site *s, const char *lang)
{
	const struct mb_catalog	*c;
	char			 p[MB_LANG_TAG_MAX + 1];

	if (lang == NULL || mb_lang_primary(lang, p) == 0)
		return lang != NULL ? lang : "";
	if (s != NULL && (c = mb_i18n_get(mb_site_i18n(s), p)) != NULL &&
	    strcmp(mb_catalog_get(c, "lang.name"), "lang.name") != 0)
		return mb_catalog_get(c, "lang.name");
	for (size_t i = 0; i < sizeof(lang_names) / sizeof(lang_names[0]); i++)
		if (strcmp(lang_names[i].code, p) == 0)
			return lang_names[i].name;
	return lang;
}

const char *
mb_site_lang_attr(const char *tag, char *out)
{
	size_t n;

	if (mb_lang_primary(tag, out) == 0) {
		out[0] = '\0';
		return out;
	}
	if ((n = strlen(tag)) > MB_LANG_TAG_MAX ||
	    !mb_i18n_tag_shaped(tag, n))
		return out;
	for (size_t i = 0; i <= n; i++)
		out[i] = tag[i] == '_' ? '-' : tag[i];
	return out;
}

bool
mb_page_begin(struct mb_page *p, struct mb_req *r, const char *lang,
    const char *rest)
{
	const struct mb_center_node	*node = mb_req_node(r);
	const struct mb_site_file	*css;
	const struct mb_i18n		*i18n;
	struct mb_tval			*ui, *c, *langs, *feeds, *f;
	struct mb_diag			 d = { "" };
	char				 self_name[128];

	memset(p, 0, sizeof(*p));
	p->r = r;
	if ((p->site = mb_site_get(&d)) == NULL) {
		log_error("site: %s", d.msg);
		mb_resp_error(r, 500, "internal", "the site's templates are "
		    "missing: %s", d.msg);
		return false;
	}
	i18n = mb_site_i18n(p->site);
	p->cat = lang != NULL ? mb_i18n_get(i18n, lang) : NULL;
	if (p->cat == NULL)
		p->cat = mb_i18n_negotiate(i18n, mb_req_cookie(r, "mb_lang"),
		    mb_req_header(r, "Accept-Language"));
	snprintf(p->lang, sizeof(p->lang), "%s", mb_catalog_lang(p->cat));
	if (mb_tdata_new(&p->td) != MB_OK) {
		mb_resp_error(r, 503, "unavailable", "out of memory");
		return false;
	}
	p->root = mb_tdata_root(p->td);
	if (rest == NULL)
		rest = "/";
	ui = mb_tv_map(p->td, p->root, "ui");
	mb_tv_str(p->td, ui, "lang", p->lang);
	mb_tv_str(p->td, ui, "dir", mb_catalog_rtl(p->cat) ? "rtl" : "ltr");
	css = mb_site_file(p->site, "site.css");
	mb_tv_printf(p->td, ui, "css", "/static/site.css?v=%s",
	    css != NULL ? css->hash : "0");
	mb_tv_printf(p->td, ui, "home", "/%s/", p->lang);
	mb_tv_printf(p->td, ui, "search", "/%s/search", p->lang);
	mb_tv_printf(p->td, ui, "events", "/%s/events", p->lang);
	mb_tv_printf(p->td, ui, "members", "/%s/members", p->lang);
	mb_tv_printf(p->td, ui, "proposals", "/%s/proposals", p->lang);
	mb_tv_str(p->td, ui, "newsroom", "/newsroom/");
	c = mb_tv_map(p->td, p->root, "center");
	/* This center's own name in the page's language, when it has one. */
	{
		struct mb_store *st = mb_req_store(r);

		if (st != NULL)
			mb_site_center_name(st, node->conf.id, p->lang,
			    self_name, sizeof(self_name));
		else
			snprintf(self_name, sizeof(self_name), "%s",
			    node->conf.name);
	}
	mb_tv_str(p->td, c, "name", self_name);
	mb_tv_str(p->td, c, "id", node->conf.id);
	mb_tv_str(p->td, c, "country", node->conf.country);
	{
		char cn[128];

		mb_tv_str(p->td, c, "country_name", node->conf.country[0] ?
		    mb_country_name(p->lang, node->conf.country, cn,
		    sizeof(cn)) : "");
	}
	langs = mb_tv_list(p->td, p->root, "langs");
	for (size_t i = 0; i < mb_i18n_count(i18n); i++) {
		const struct mb_catalog	*lc = mb_i18n_at(i18n, i);
		struct mb_tval		*l = mb_tv_map(p->td, langs, NULL);
		struct mb_buf		 next = MB_BUF_INIT;

		mb_tv_str(p->td, l, "code", mb_catalog_lang(lc));
		mb_tv_str(p->td, l, "name", mb_catalog_get(lc, "lang.name"));
		mb_tv_bool(p->td, l, "current", lc == p->cat);
		/* The newsroom's pages, and the others whose path has no
		 * language (lang NULL: /verify/<id>, /events/r/<token>), keep
		 * their paths; the site's carry the language first, the
		 * front page ("/") too. */
		if (strncmp(rest, "/newsroom/", 10) == 0 || (lang == NULL &&
		    strcmp(rest, "/") != 0))
			mb_buf_puts(&next, rest);
		else
			mb_buf_printf(&next, "/%s%s", mb_catalog_lang(lc),
			    rest);
		{
			struct mb_buf u = MB_BUF_INIT;

			mb_buf_printf(&u, "/language?set=%s&next=",
			    mb_catalog_lang(lc));
			mb_http_urlencode(mb_buf_cstr(&next), &u);
			mb_tv_str(p->td, l, "url", mb_buf_cstr(&u));
			mb_buf_free(&u);
		}
		mb_buf_free(&next);
	}
	feeds = mb_tv_list(p->td, p->root, "feeds");
	f = mb_tv_map(p->td, feeds, NULL);
	mb_tv_str(p->td, f, "type", "application/atom+xml");
	mb_tv_str(p->td, f, "label", "Atom");
	mb_tv_str(p->td, f, "title", self_name);
	mb_tv_printf(p->td, f, "url", "/feeds/%s.atom", p->lang);
	f = mb_tv_map(p->td, feeds, NULL);
	mb_tv_str(p->td, f, "type", "application/feed+json");
	mb_tv_str(p->td, f, "label", "JSON Feed");
	mb_tv_str(p->td, f, "title", self_name);
	mb_tv_printf(p->td, f, "url", "/feeds/%s.json", p->lang);
	f = mb_tv_map(p->td, feeds, NULL);
	mb_tv_str(p->td, f, "type", "text/calendar");
	mb_tv_str(p->td, f, "label", "iCalendar");
	mb_tv_str(p->td, f, "title", self_name);
	mb_tv_str(p->td, f, "url", "/events.ics");
	return true;
}

void
mb_page_free(struct mb_page *p)
{
	mb_tdata_free(p->td);
	p->td = NULL;
}

void
mb_page_finish(struct mb_page *p, unsigned status, const char *tpl)
{
	struct mb_buf	out = MB_BUF_INIT;
	struct mb_diag	d = { "" };
	int		rc;

	rc = mb_tpl_render(mb_site_templates(p->site), tpl, p->td, p->cat,
	    &out, &d);
	mb_page_free(p);
	if (rc != MB_OK || out.data == NULL) {
		mb_buf_free(&out);
		log_error("site: template=%s: %s", tpl, mb_diag_msg(&d, rc));
		mb_resp_error(p->r, 500, "internal", "the page could not be "
		    "made: %s", mb_diag_msg(&d, rc));
		return;
	}
	mb_resp_header(p->r, "Content-Language", p->lang);
	/* Readers' pages run no script; the newsroom's may run its own. */
	mb_resp_header(p->r, "Content-Security-Policy", p->scripts ?
	    "default-src 'none'; "
	    "img-src 'self' https: http: data: blob:; media-src 'self'; "
	    "style-src 'self'; script-src 'self'; connect-src 'self'; "
	    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'" :
	    "default-src 'none'; "
	    "img-src 'self' https: http: data:; media-src 'self'; "
	    "style-src 'self'; "
	    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
	mb_resp_header(p->r, "Referrer-Policy", "same-origin");
	mb_resp_take(p->r, status, "text/html; charset=utf-8",
	    mb_buf_steal(&out), out.len);
}

void
mb_page_finish_rc(struct mb_page *p, int rc, const struct mb_diag *d,
    unsigned status, const char *tpl)
{
	if (rc == MB_OK) {
		mb_page_finish(p, status, tpl);
		return;
	}
	mb_page_free(p);
	mb_resp_err(p->r, rc, d);
}

void
mb_page_notice(struct mb_page *p, const char *error, const char *flash)
{
	if (error != NULL)
		mb_tv_str(p->td, p->root, "error", error);
	else if (flash != NULL)
		mb_tv_str(p->td, p->root, "flash", mb_page_msg(p, flash));
}

void
mb_page_switch_to(struct mb_page *p, const char *lang, const char *path)
{
	const struct mb_i18n	*i18n = mb_site_i18n(p->site);
	struct mb_tval		*langs = mb_tv_get(p->root, "langs");
	struct mb_buf		 u = MB_BUF_INIT;

	for (size_t i = 0; i < mb_i18n_count(i18n); i++) {
		if (strcmp(mb_catalog_lang(mb_i18n_at(i18n, i)), lang) != 0)
			continue;
		/* The list is built in the catalogs' order (mb_page_begin). */
		mb_buf_printf(&u, "/language?set=%s&next=", lang);
		mb_http_urlencode(path, &u);
		mb_tv_str(p->td, mb_tv_at(langs, i), "url", mb_buf_cstr(&u));
		break;
	}
	mb_buf_free(&u);
}

const char *
mb_page_msg(const struct mb_page *p, const char *key)
{
	return mb_catalog_get(p->cat, key);
}

struct mb_tval *
mb_page_date(struct mb_page *p, struct mb_tval *parent, const char *key,
    int64_t ms)
{
	struct mb_buf	 b = MB_BUF_INIT;
	struct mb_tval	*v;

	mb_catalog_format_date(p->cat, ms, &b);
	v = mb_tv_str(p->td, parent, key, mb_buf_cstr(&b));
	mb_buf_free(&b);
	return v;
}

/* ---- Item views ---- */

static const char *
first_value(const json_t *arr)
{
	return json_string_value(json_object_get(json_array_get(arr, 0),
	    "value"));
}

/*
 * The description a reader may see as the summary: plain text or HTML
 * (*html), with no "mb:" role. Member profiles, tallies and the like keep
 * their data in descriptions as application/json under such a role: not
 * words for a front page or a feed.
 */
static const char *
summary_of(const json_t *descs, bool *html)
{
	const json_t	*o;
	const char	*ct, *role;
	size_t		 i;

	*html = false;
	json_array_foreach(descs, i, o) {
		ct = json_string_value(json_object_get(o, "contentType"));
		role = json_string_value(json_object_get(o, "role"));
		if (role != NULL && strncmp(role, "mb:", 3) == 0)
			continue;
		if (ct == NULL || strcmp(ct, "text/plain") == 0 ||
		    strcmp(ct, "text/html") == 0) {
			*html = ct != NULL && strcmp(ct, "text/html") == 0;
			return json_string_value(json_object_get(o, "value"));
		}
	}
	return NULL;
}

static int64_t
time_of(const json_t *v)
{
	int64_t ms = 0;

	if (json_string_value(v) == NULL ||
	    mb_time_parse(json_string_value(v), &ms) != MB_OK)
		return 0;
	return ms;
}

int
mb_item_view_load(struct mb_item_view *v, const struct mb_store_version *sv)
{
	const json_t	*a, *o, *dates;
	size_t		 i;

	memset(v, 0, sizeof(*v));
	v->root = mb_json_loadb(sv->envelope, sv->envelope_len, 0, NULL);
	if (v->root == NULL || !json_is_object(v->item = json_object_get(
	    v->root, "item"))) {
		json_decref(v->root);
		v->root = NULL;
		return MB_ERR_CORRUPT;
	}
	v->meta = json_object_get(v->root, "meta");
	v->uri = json_string_value(json_object_get(v->item, "uri"));
	if (v->uri == NULL || mb_uri_parse(v->uri, v->center, v->local) !=
	    MB_OK) {
		mb_item_view_free(v);
		return MB_ERR_CORRUPT;
	}
	v->headline = first_value(json_object_get(v->item, "headlines"));
	if (v->headline == NULL)
		v->headline = sv->headline != NULL ? sv->headline : "";
	v->language = json_string_value(json_object_get(v->item, "language"));
	if (v->language != NULL) {
		mb_lang_primary(v->language, v->lang);
		mb_site_lang_attr(v->language, v->tag);
	}
	v->rtl = v->language != NULL && mb_lang_is_rtl(v->language);
	v->type = json_string_value(json_object_get(v->item, "type"));
	v->profile = json_string_value(json_object_get(v->item, "profile"));
	v->byline = json_string_value(json_object_get(v->item, "by"));
	v->summary = summary_of(json_object_get(v->item, "descriptions"),
	    &v->summary_html);
	v->where = json_string_value(json_object_get(v->item, "located"));
	if (v->where == NULL)
		v->where = json_string_value(json_object_get(json_array_get(
		    json_object_get(v->item, "places"), 0), "name"));
	v->origin = json_string_value(json_object_get(v->meta, "origin"));
	if (v->origin == NULL)
		v->origin = v->center;
	v->audience = json_string_value(json_object_get(v->meta, "audience"));
	o = json_object_get(v->meta, "translation");
	v->translation_of = json_string_value(json_object_get(o, "of"));
	/* Made by machine, edited by a person or not: labelled as such. */
	v->machine = json_string_value(json_object_get(o, "by")) != NULL &&
	    strncmp(json_string_value(json_object_get(o, "by")), "machine",
	    7) == 0;
	a = json_object_get(v->item, "associations");
	json_array_foreach(a, i, o) {
		const char *rel = json_string_value(json_object_get(o, "rel"));

		if (rel != NULL && strcmp(rel, "source") == 0)
			v->source_uri = json_string_value(json_object_get(o,
			    "uri"));
		if (rel != NULL && strcmp(rel, "translation-of") == 0 &&
		    v->translation_of == NULL)
			v->translation_of = json_string_value(
			    json_object_get(o, "uri"));
	}
	dates = json_object_get(json_object_get(v->item, "eventDetails"),
	    "dates");
	v->start_ms = time_of(json_object_get(dates, "startDate"));
	v->end_ms = time_of(json_object_get(dates, "endDate"));
	v->version = sv->version;
	v->first_ms = sv->first_ms;
	v->updated_ms = sv->created_ms;
	v->embargo_ms = sv->embargo_ms;
	v->seq = sv->seq;
	snprintf(v->workflow, sizeof(v->workflow), "%s",
	    sv->workflow != NULL ? sv->workflow : "published");
	snprintf(v->pub_status, sizeof(v->pub_status), "%s",
	    sv->pub_status != NULL ? sv->pub_status : "usable");
	return MB_OK;
}

void
mb_item_view_free(struct mb_item_view *v)
{
	json_decref(v->root);
	v->root = NULL;
}

/*
 * Sanitized bodies, kept per (uri, version): a version's envelope never
 * changes, and the feeds and item pages would otherwise run the
 * sanitizer over the same bodies on every request. Direct-mapped and
 * bounded (BODY_SLOTS entries of at most BODY_MAX bytes, BODY_BYTES in
 * all: 1,024 long articles would otherwise hold 64 MiB of serve's
 * memory); each entry also keeps a hash of its input, so a slot is used
 * only for the very bodies it was made from.
 */
#define BODY_SLOTS	1024
#define BODY_MAX	(64 * 1024)
#define BODY_BYTES	(2 * 1024 * 1024)

static struct body_slot {
	char		*uri;
	int64_t		 version;
	uint64_t	 in_hash;
	char		*html;
	size_t		 len;
} body_slots[BODY_SLOTS];
static size_t		body_bytes;	/* the entries' html, all slots */
static size_t		body_hand;	/* the next slot to empty for room */
static pthread_mutex_t body_lock = PTHREAD_MUTEX_INITIALIZER;

/* Empties a slot (body_lock held). */
static void
body_drop(struct body_slot *sl)
{
	body_bytes -= sl->html != NULL ? sl->len : 0;
	free(sl->uri);
	free(sl->html);
	sl->uri = sl->html = NULL;
	sl->len = 0;
}

static uint64_t
fnv1a(uint64_t h, const char *s)
{
	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return (h ^ 0xff) * 0x100000001b3ULL;	/* ends each string */
}

static uint64_t
bodies_hash(const struct mb_item_view *v)
{
	const json_t	*o;
	size_t		 i;
	uint64_t	 h = 0xcbf29ce484222325ULL;

	json_array_foreach(json_object_get(v->item, "bodies"), i, o) {
		const char *html = json_string_value(json_object_get(o,
		    "value"));
		const char *ct = json_string_value(json_object_get(o,
		    "contentType"));

		h = fnv1a(h, html != NULL ? html : "");
		h = fnv1a(h, ct != NULL ? ct : "");
	}
	return h;
}

static struct body_slot *
body_slot(const struct mb_item_view *v)
{
	uint64_t h = fnv1a(0xcbf29ce484222325ULL, v->uri);

	h = (h ^ (uint64_t)v->version) * 0x100000001b3ULL;
	return &body_slots[h % BODY_SLOTS];
}

static bool
body_cached(const struct mb_item_view *v, uint64_t in_hash,
    struct mb_buf *out)
{
	struct body_slot	*sl = body_slot(v);
	bool			 hit = false;
	int			 rc = MB_OK;

	pthread_mutex_lock(&body_lock);
	if (sl->uri != NULL && sl->version == v->version &&
	    sl->in_hash == in_hash && strcmp(sl->uri, v->uri) == 0) {
		rc = mb_buf_append(out, sl->html, sl->len);
		hit = true;
	}
	pthread_mutex_unlock(&body_lock);
	return hit && rc == MB_OK;
}

static void
body_keep(const struct mb_item_view *v, uint64_t in_hash, const char *html,
    size_t len)
{
	struct body_slot	*sl = body_slot(v);
	char			*u, *c;

	if (len > BODY_MAX)
		return;
	u = strdup(v->uri);
	c = malloc(len + 1);
	if (u == NULL || c == NULL) {
		free(u);
		free(c);
		return;
	}
	memcpy(c, html, len);
	c[len] = '\0';
	pthread_mutex_lock(&body_lock);
	body_drop(sl);
	/* Past BODY_BYTES: slots emptied in turn, a clock hand's way. */
	while (body_bytes + len > BODY_BYTES) {
		body_drop(&body_slots[body_hand]);
		body_hand = (body_hand + 1) % BODY_SLOTS;
	}
	body_bytes += len;
	sl->uri = u;
	sl->version = v->version;
	sl->in_hash = in_hash;
	sl->html = c;
	sl->len = len;
	pthread_mutex_unlock(&body_lock);
}

size_t
mb_item_view_body_kept(void)
{
	size_t n;

	pthread_mutex_lock(&body_lock);
	n = body_bytes;
	pthread_mutex_unlock(&body_lock);
	return n;
}

static int body_render(const struct mb_item_view *v, struct mb_buf *out);

int
mb_item_view_body(const struct mb_item_view *v, struct mb_buf *out)
{
	uint64_t	 in_hash;
	size_t		 start = out->len;
	int		 rc;

	if (v->uri == NULL || v->item == NULL)
		return body_render(v, out);
	in_hash = bodies_hash(v);
	if (body_cached(v, in_hash, out))
		return MB_OK;
	if ((rc = body_render(v, out)) == MB_OK && out->data != NULL)
		body_keep(v, in_hash, out->data + start, out->len - start);
	return rc;
}

static int
body_render(const struct mb_item_view *v, struct mb_buf *out)
{
	const json_t	*o;
	size_t		 i;
	int		 rc = MB_OK;

	json_array_foreach(json_object_get(v->item, "bodies"), i, o)
		if ((rc = mb_item_body_html(o, out, NULL)) != MB_OK)
			break;
	return rc;
}

int
mb_item_body_html(const json_t *body, struct mb_buf *out,
    struct mb_diag *d)
{
	const char	*html = json_string_value(json_object_get(body,
			    "value"));
	const char	*ct = json_string_value(json_object_get(body,
			    "contentType"));

	if (html == NULL)
		return MB_OK;
	if (ct != NULL && strcmp(ct, "text/plain") == 0) {
		/* Plain text: escaped, one paragraph per line. */
		mb_buf_puts(out, "<p>");
		for (const char *s = html; *s != '\0'; s++) {
			if (*s == '\n')
				mb_buf_puts(out, "</p><p>");
			else if (*s == '<')
				mb_buf_puts(out, "&lt;");
			else if (*s == '&')
				mb_buf_puts(out, "&amp;");
			else if (*s == '>')
				mb_buf_puts(out, "&gt;");
			else
				mb_buf_putc(out, *s);
		}
		return mb_buf_puts(out, "</p>");
	}
	return mb_sanitize_html(html, strlen(html), out, d);
}

int
mb_item_view_summary(const struct mb_item_view *v, size_t max,
    struct mb_buf *out)
{
	struct mb_buf	 t = MB_BUF_INIT;
	const char	*body, *s;
	size_t		 n;
	int		 rc;

	if (v->summary != NULL && !v->summary_html) {
		s = v->summary;
		n = strlen(s);
	} else {
		body = v->summary != NULL ? v->summary :
		    first_value(json_object_get(v->item, "bodies"));
		if (body == NULL)
			return MB_OK;
		/* Only what the cut below can keep: not a 3 KB body. */
		if ((rc = mb_text_from_html_upto(body, strlen(body), max + 8,
		    &t)) != MB_OK)
			return rc;
		s = mb_buf_cstr(&t);
		n = t.len;
	}
	while (n > 0 && (*s == ' ' || *s == '\n'))
		s++, n--;
	if (n > max) {
		/* Cut at a space, on a UTF-8 boundary, and mark the cut. */
		size_t cut = max;

		while (cut > max / 2 && s[cut] != ' ')
			cut--;
		while (cut > 0 && ((unsigned char)s[cut] & 0xc0) == 0x80)
			cut--;
		rc = mb_buf_append(out, s, cut);
		if (rc == MB_OK)
			rc = mb_buf_puts(out, "…");
	} else {
		rc = mb_buf_append(out, s, n);
	}
	mb_buf_free(&t);
	return rc;
}

void
mb_site_center_name(struct mb_store *st, const char *id, const char *lang,
    char *out, size_t n)
{
	struct mb_center c;

	if (st != NULL && mb_store_center_get(st, id, &c, NULL) == MB_OK)
		mb_center_name_in(&c, lang, out, n);
	else
		snprintf(out, n, "%s", id);
}

const char *
mb_site_item_dir(const char *profile)
{
	/* mb_event_load takes the profile "event", not the type, alone. */
	return profile != NULL && strcmp(profile, "event") == 0 ? "events" :
	    "items";
}

void
mb_page_card(struct mb_page *p, struct mb_tval *m,
    const struct mb_item_view *v, struct mb_store *st)
{
	struct mb_buf	 s = MB_BUF_INIT;
	char		 name[128], iso[MB_TIME_RFC3339_LEN];
	int64_t		 when = v->start_ms != 0 ? v->start_ms : v->first_ms;

	mb_tv_str(p->td, m, "headline", v->headline);
	mb_tv_printf(p->td, m, "url", "/%s/%s/%s/%s", p->lang,
	    mb_site_item_dir(v->profile), v->center, v->local);
	mb_tv_str(p->td, m, "lang", v->tag[0] != '\0' ? v->tag : p->lang);
	mb_tv_str(p->td, m, "dir", v->rtl ? "rtl" : "ltr");
	mb_page_date(p, m, "date", when);
	mb_time_format(when, iso);
	mb_tv_str(p->td, m, "datetime", iso);
	if (mb_item_view_summary(v, 220, &s) == MB_OK && s.len > 0)
		mb_tv_str(p->td, m, "summary", mb_buf_cstr(&s));
	mb_buf_free(&s);
	mb_site_center_name(st, v->origin, p->lang, name, sizeof(name));
	mb_tv_str(p->td, m, "center", name);
	mb_site_thumb(p, m, v->item);
	if ((v->profile != NULL && strcmp(v->profile, "event") == 0) ||
	    (v->type != NULL && strcmp(v->type, "event") == 0))
		mb_tv_str(p->td, m, "kind", mb_page_msg(p, "kind.event"));
	else if (v->type != NULL && (strcmp(v->type, "picture") == 0 ||
	    strcmp(v->type, "video") == 0 || strcmp(v->type, "audio") == 0)) {
		char k[32];

		snprintf(k, sizeof(k), "kind.%s", v->type);
		mb_tv_str(p->td, m, "kind", mb_page_msg(p, k));
	}
}
