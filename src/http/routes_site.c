/* SPDX-License-Identifier: MIT */
/* The public site: front, item, list, search and 404 pages; static files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/log.h"
#include "base/timeutil.h"
#include "center/names.h"
#include "http/template.h"
#include "http_int.h"
#include "media/media.h"
#include "newsroom/items.h"
#include "newsroom/translate.h"
#include "countries.h"
#include "site_int.h"
#include "text/highlight.h"
#include "text/lang.h"
#include "text/query.h"

#define PAGE_ITEMS 20
#define LAST_SEARCH_PAGE \
	((MB_STORE_SEARCH_CANDIDATES - PAGE_ITEMS) / PAGE_ITEMS)

/*
 * URLs: every page's path starts with its interface language, so that a
 * cached copy is right for everyone who asks for that path; "/" and the
 * language-less paths of DESIGN.md redirect to the reader's language.
 */

/* The interface language of a /<lang>/ path, or NULL after a 404. */
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

static void
redirect(struct mb_req *r, unsigned status, const char *to)
{
	mb_resp_header(r, "Location", to);
	mb_resp_private(r);
	mb_resp_header(r, "Vary", "Accept-Language, Cookie");
	mb_resp_bytes(r, status, "text/plain; charset=utf-8", to, strlen(to));
}

/*
 * The reader's language: the remembered choice, else Accept-Language,
 * else the center's own first language with a catalog (a reader in Cairo
 * whose browser names no language we speak gets Arabic, not English).
 */
static const char *
reader_lang(struct mb_req *r)
{
	const struct mb_site *s = mb_site_get(NULL);

	if (s == NULL)
		return "en";
	return mb_catalog_lang(mb_i18n_negotiate_or(mb_site_i18n(s),
	    mb_req_cookie(r, "mb_lang"), mb_req_header(r, "Accept-Language"),
	    mb_req_node(r) != NULL ? mb_req_node(r)->conf.languages : NULL));
}

static void
root(struct mb_req *r)
{
	char to[32];

	snprintf(to, sizeof(to), "/%s/", reader_lang(r));
	redirect(r, 302, to);
}

/*
 * Whether a path has a control character (a decoded %0d%0a): no page has
 * one, and a Location with it cannot be sent (mb_resp_header refuses it).
 */
static bool
path_has_ctl(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

/* /items/<c>/<l>, /search, /events, /centers/<id>: into a language. */
static void
to_lang(struct mb_req *r)
{
	struct mb_buf	 b = MB_BUF_INIT;

	if (path_has_ctl(mb_req_path(r))) {
		if (!mb_site_not_found(r))
			mb_resp_error(r, 404, "not_found", "no such page");
		return;
	}
	mb_buf_printf(&b, "/%s%s", reader_lang(r), mb_req_path(r));
	mb_req_query_append(r, &b);	/* ?q=, ?page=, ?after=: all kept */
	redirect(r, 302, mb_buf_cstr(&b));
	mb_buf_free(&b);
}


/*
 * A link with a parameter no page takes (a cut ?after=, ?set=xx): a page
 * in the reader's language that says so, status 400; the API's JSON
 * error is for programs. rest is the page the switcher keeps.
 */
static void
bad_request(struct mb_req *r, const char *lang, const char *rest,
    const char *key)
{
	struct mb_page p;

	if (!mb_page_begin(&p, r, lang, rest))
		return;
	mb_tv_str(p.td, mb_tv_map(p.td, p.root, "page"), "title",
	    mb_page_msg(&p, "badrequest.title"));
	mb_tv_str(p.td, p.root, "error", mb_page_msg(&p, key));
	mb_resp_private(r);
	mb_page_finish(&p, 400, "badrequest.html");
}

/* GET /language?set=ar&next=/ar/...: remembers the choice (a cookie). */
static void
set_language(struct mb_req *r)
{
	const struct mb_site	*s = mb_site_get(NULL);
	const char		*set = mb_req_query(r, "set");
	const char		*next = mb_req_query(r, "next");
	const struct mb_catalog	*c;
	char			 cookie[96], to[32];

	if (s == NULL) {
		mb_resp_error(r, 400, "invalid", "set: one of the site's "
		    "languages");
		return;
	}
	if (set == NULL || (c = mb_i18n_get(mb_site_i18n(s), set)) == NULL) {
		bad_request(r, NULL, "/", "badrequest.language");
		return;
	}
	snprintf(cookie, sizeof(cookie), "mb_lang=%s; Path=/; "
	    "Max-Age=31536000; SameSite=Lax", mb_catalog_lang(c));
	mb_resp_header(r, "Set-Cookie", cookie);
	if (!mb_http_local_path(next)) {
		snprintf(to, sizeof(to), "/%s/", mb_catalog_lang(c));
		next = to;
	}
	redirect(r, 303, next);
}

static void
static_file(struct mb_req *r)
{
	const struct mb_site		*s = mb_site_get(NULL);
	const struct mb_site_file	*f;
	const char			*v = mb_req_query(r, "v");

	if (s == NULL || (f = mb_site_file(s, mb_req_param(r, "name"))) ==
	    NULL) {
		mb_resp_error(r, 404, "not_found", "no such file");
		return;
	}
	/* A URL naming the contents' hash never changes: cache it long. */
	mb_resp_header(r, "Cache-Control", v != NULL && strcmp(v, f->hash) ==
	    0 ? "public, max-age=31536000, immutable" :
	    "public, max-age=300");
	mb_resp_bytes(r, 200, f->ctype, f->data, f->len);
}

/*
 * A first segment shaped like a language tag that is not one of the
 * catalogs: redirects to the same path in the reader's language (that
 * tag's own catalog when it has a region or another case, else the
 * remembered choice, Accept-Language, the center's first language with a
 * catalog, English). "api" is a path, not Afro-Asiatic.
 */
static bool
other_language(struct mb_req *r, const struct mb_site *s, const char *path,
    size_t n)
{
	const struct mb_i18n	*i18n = mb_site_i18n(s);
	const struct mb_catalog	*c;
	char			 seg[40];
	struct mb_buf		 to = MB_BUF_INIT;

	/* A path no page has is a 404 in any language, not a redirect. */
	if (n == 0 || n >= sizeof(seg) || !mb_i18n_tag_shaped(path + 1, n) ||
	    path_has_ctl(path))
		return false;
	memcpy(seg, path + 1, n);
	seg[n] = '\0';
	if (strcmp(seg, "api") == 0 || ((c = mb_i18n_get(i18n, seg)) != NULL &&
	    strcmp(mb_catalog_lang(c), seg) == 0))
		return false;
	if (c == NULL)
		c = mb_i18n_negotiate_or(i18n, mb_req_cookie(r, "mb_lang"),
		    mb_req_header(r, "Accept-Language"), mb_req_node(r) !=
		    NULL ? mb_req_node(r)->conf.languages : NULL);
	mb_buf_printf(&to, "/%s%s", mb_catalog_lang(c), path[1 + n] == '\0' ?
	    "/" : path + 1 + n);
	mb_req_query_append(r, &to);	/* a cursor or a page too, not only q */
	redirect(r, 302, mb_buf_cstr(&to));
	mb_buf_free(&to);
	return true;
}

bool
mb_site_not_found(struct mb_req *r)
{
	const char	*path = mb_req_path(r), *m = mb_req_method(r);
	const struct mb_site *s;
	struct mb_page	 p;
	char		 lang[16] = "";
	size_t		 n;

	if ((strcmp(m, "GET") != 0 && strcmp(m, "HEAD") != 0) ||
	    strncmp(path, "/api/", 5) == 0 ||
	    strncmp(path, "/federation/", 12) == 0 ||
	    (s = mb_site_get(NULL)) == NULL)
		return false;
	/* "/de/...", "/ES/...", "/pt-BR/...": a language without a catalog
	 * of that exact name goes to the reader's best one, not a 404. */
	n = strcspn(path + 1, "/");
	if (other_language(r, s, path, n))
		return true;
	/* "/ar" and "/ar/anything": that language's 404 (or its front). */
	if (n > 0 && n < sizeof(lang)) {
		memcpy(lang, path + 1, n);
		lang[n] = '\0';
		if (mb_i18n_get(mb_site_i18n(s), lang) == NULL ||
		    strcmp(mb_catalog_lang(mb_i18n_get(mb_site_i18n(s), lang)),
		    lang) != 0)
			lang[0] = '\0';
		else if (path[1 + n] == '\0') {
			char to[32];

			snprintf(to, sizeof(to), "/%s/", lang);
			redirect(r, 301, to);
			return true;
		}
	}
	if (!mb_page_begin(&p, r, lang[0] != '\0' ? lang : NULL, "/"))
		return true;
	mb_tv_str(p.td, mb_tv_map(p.td, p.root, "page"), "title",
	    mb_page_msg(&p, "notfound.title"));
	mb_tv_str(p.td, p.root, "path", path);
	mb_resp_private(r);
	mb_page_finish(&p, 404, "notfound.html");
	return true;
}

/* ---- Lists ---- */

struct list_ctx {
	struct mb_page	*p;
	struct mb_store	*st;
	struct mb_tval	*items;
	int		 n;
	int64_t		 last_first, last_seq;
};

static int
list_cb(const struct mb_store_version *sv, void *arg)
{
	struct list_ctx		*lc = arg;
	struct mb_item_view	 v;

	lc->n++;
	lc->last_first = sv->first_ms;
	lc->last_seq = sv->seq;
	/* The site's lists are the public's: no moderator reads them. */
	if (mb_newsroom_hidden_proposal(lc->st, sv->uri, sv->profile))
		return MB_OK;
	if (mb_item_view_load(&v, sv) != MB_OK)
		return MB_OK;	/* a damaged row is left out, not fatal */
	mb_page_card(lc->p, mb_tv_map(lc->p->td, lc->items, NULL), &v, lc->st);
	mb_item_view_free(&v);
	return MB_OK;
}

static int
count_cb(const struct mb_store_version *sv, void *arg)
{
	(void)sv;
	(*(int *)arg)++;
	return MB_OK;
}

/*
 * Whether any public item fits f, wherever its cursor stands: an empty
 * page after ?after= is still a page when the name is someone's (the
 * last "older items" link), and none when it is nobody's (any word with
 * any cursor made a page). A store error counts as someone's: a 404 that
 * is only an outage's would be cached as one.
 */
static bool
anyone_has(struct mb_store *st, struct mb_store_filter *f)
{
	int n = 0;

	if (f->cursor_first_ms == 0 && f->cursor_seq == 0)
		return false;	/* the list just read was the whole start */
	f->cursor_first_ms = f->cursor_seq = 0;
	f->limit = 1;
	return mb_store_list(st, f, count_cb, &n, NULL) != MB_OK || n > 0;
}

/*
 * A list page: f's items (the public ones), PAGE_ITEMS at a time with
 * ?after=<first>.<seq>; rest is the path after the language.
 */
static void
list_page(struct mb_req *r, const char *lang, struct mb_store_filter *f,
    const char *rest, const char *heading, const char *intro, bool must_have)
{
	struct list_ctx	 lc;
	struct mb_page	 p;
	struct mb_store	*st;
	struct mb_tval	*pg;
	struct mb_diag	 d = { "" };
	const char	*after = mb_req_query(r, "after");
	int		 rc;

	if (after != NULL) {
		long long a, b;
		int n = 0;

		if (sscanf(after, "%lld.%lld%n", &a, &b, &n) != 2 ||
		    after[n] != '\0' || b < 1) {
			bad_request(r, lang, rest, "badrequest.after");
			return;
		}
		f->cursor_first_ms = a;
		f->cursor_seq = b;
	}
	f->limit = PAGE_ITEMS;
	f->all = false;
	f->audiences = MB_SITE_PUBLIC;
	f->now_ms = mb_time_now_ms();
	if ((st = mb_req_store_or_reply(r)) == NULL)
		return;
	if (!mb_page_begin(&p, r, lang, rest))
		return;
	pg = mb_tv_map(p.td, p.root, "page");
	mb_tv_str(p.td, pg, "title", heading);
	mb_tv_str(p.td, pg, "heading", heading);
	mb_tv_str(p.td, pg, "intro", intro);
	memset(&lc, 0, sizeof(lc));
	lc.p = &p;
	lc.st = st;
	lc.items = mb_tv_list(p.td, p.root, "items");
	if ((rc = mb_store_list(st, f, list_cb, &lc, &d)) != MB_OK) {
		mb_page_free(&p);
		mb_resp_err(r, rc, &d);
		return;
	}
	/*
	 * A name that is nobody's (a topic word no item carries) names no
	 * page: 404, not an empty 200 that any word in a URL would make,
	 * each a page view of its own in the day's figures (src/impact).
	 */
	if (must_have && lc.n == 0 && !anyone_has(st, f)) {
		mb_page_free(&p);
		if (!mb_site_not_found(r))
			mb_resp_error(r, 404, "not_found", "nothing here");
		return;
	}
	if (lc.n == PAGE_ITEMS)
		mb_tv_printf(p.td, p.root, "next", "/%s%s?after=%lld.%lld",
		    p.lang, rest, (long long)lc.last_first,
		    (long long)lc.last_seq);
	/* An embargo ends with the clock, not with a log entry. */
	mb_resp_cache_ttl(r, 5000);
	mb_page_finish(&p, 200, "list.html");
}

static void
front(struct mb_req *r)
{
	const char		*lang = lang_or_404(r);
	struct mb_store_filter	 f;
	const struct mb_catalog	*c;

	if (lang == NULL)
		return;
	c = mb_i18n_get(mb_site_i18n(mb_site_get(NULL)), lang);
	memset(&f, 0, sizeof(f));
	f.language = lang;
	list_page(r, lang, &f, "/", mb_catalog_get(c, "front.title"), NULL,
	    false);
}

static void
events(struct mb_req *r)
{
	const char		*lang = lang_or_404(r);
	struct mb_store_filter	 f;
	const struct mb_catalog	*c;

	if (lang == NULL)
		return;
	c = mb_i18n_get(mb_site_i18n(mb_site_get(NULL)), lang);
	memset(&f, 0, sizeof(f));
	f.profile = "event";
	list_page(r, lang, &f, "/events", mb_catalog_get(c, "events.title"),
	    NULL, false);
}

/* A list titled with a catalog message around a name ("News from {}"). */
static void
named_list(struct mb_req *r, const char *key, const char *name,
    struct mb_store_filter *f, const char *rest, bool must_have)
{
	const char		*lang = lang_or_404(r);
	const struct mb_catalog	*c;
	struct mb_buf		 h = MB_BUF_INIT;

	if (lang == NULL)
		return;
	c = mb_i18n_get(mb_site_i18n(mb_site_get(NULL)), lang);
	mb_i18n_subst(mb_catalog_get(c, key), name, &h);
	list_page(r, lang, f, rest, mb_buf_cstr(&h), NULL, must_have);
	mb_buf_free(&h);
}

static bool
word_ok(const char *s, size_t max)
{
	size_t n = s != NULL ? strlen(s) : 0;

	if (n == 0 || n > max)
		return false;
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x21 || *s == '/')
			return false;
	return true;
}

/*
 * A topic as the path gives it (decoded): ingested categories hold
 * spaces ("New York"), which their links encode as %20. A '/' cannot
 * be one path segment, so such a topic is not linked (topics()).
 */
static bool
topic_ok(const char *s)
{
	size_t n = s != NULL ? strlen(s) : 0;

	if (n == 0 || n > 200 || s[0] == ' ' || s[n - 1] == ' ')
		return false;
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f || *s == '/')
			return false;
	return true;
}

static void
center_page(struct mb_req *r)
{
	const char		*id = mb_req_param(r, "id");
	struct mb_store_filter	 f;
	struct mb_store		*st;
	struct mb_center	 c;
	char			 rest[80], name[128];

	if (!mb_center_id_valid(id) || (st = mb_req_store_or_reply(r)) ==
	    NULL || mb_store_center_get(st, id, &c, NULL) != MB_OK) {
		if (!mb_site_not_found(r))
			mb_resp_error(r, 404, "not_found", "no such center");
		return;
	}
	memset(&f, 0, sizeof(f));
	f.center = id;
	snprintf(rest, sizeof(rest), "/centers/%s", id);
	/* The center's name in the page's language (the path's first). */
	mb_center_name_in(&c, mb_req_param(r, "lang"), name, sizeof(name));
	named_list(r, "center.title", name, &f, rest, false);
}

/*
 * An IPTC Media Topic's name in the catalog's language (templates/i18n/
 * topics/: the top level), from its code ("01000000", "medtop:01000000");
 * NULL for a code it does not name.
 */
static const char *
topic_name(const struct mb_catalog *c, const char *code)
{
	const char	*v;
	char		 k[64];

	if (c == NULL || code == NULL)
		return NULL;
	if (strncmp(code, "medtop:", 7) == 0)
		code += 7;
	snprintf(k, sizeof(k), "topic.%s", code);
	v = mb_catalog_get(c, k);
	return strcmp(v, k) != 0 ? v : NULL;
}

static void
topic_page(struct mb_req *r)
{
	const char		*t = mb_req_param(r, "topic");
	struct mb_store_filter	 f;
	struct mb_buf		 rest = MB_BUF_INIT;

	if (!topic_ok(t)) {
		if (!mb_site_not_found(r))
			mb_resp_error(r, 404, "not_found", "no such topic");
		return;
	}
	memset(&f, 0, sizeof(f));
	f.topic = t;
	mb_buf_puts(&rest, "/topics/");
	mb_http_urlencode(t, &rest);
	{
		const struct mb_site	*s = mb_site_get(NULL);
		const char		*name = s == NULL ? NULL : topic_name(
		    mb_i18n_get(mb_site_i18n(s), mb_req_param(r, "lang")), t);

		/* An IPTC topic is a page, items or not; a word, if used. */
		named_list(r, "topic.title", name != NULL ? name : t, &f,
		    mb_buf_cstr(&rest), name == NULL);
	}
	mb_buf_free(&rest);
}

static void
country_page(struct mb_req *r)
{
	const char		*cc = mb_req_param(r, "cc");
	struct mb_store_filter	 f;
	char			 rest[40];

	char			 name[128];
	bool			 known;

	if (!word_ok(cc, 3)) {
		if (!mb_site_not_found(r))
			mb_resp_error(r, 404, "not_found", "no such country");
		return;
	}
	memset(&f, 0, sizeof(f));
	f.country = cc;
	snprintf(rest, sizeof(rest), "/countries/%s", cc);
	/*
	 * A code iso-codes names is a page, items or not (as an IPTC topic
	 * is); any other ("QQ", "<x>", or every code without iso-codes
	 * installed) only when a center of that country has public items:
	 * mb_country_name gives such a code back as it is, upper-cased.
	 */
	mb_country_name("en", cc, name, sizeof(name));
	known = strcasecmp(name, cc) != 0;
	/* "News from Egypt" in the page's language (iso-codes). */
	named_list(r, "country.title", mb_country_name(mb_req_param(r,
	    "lang"), cc, name, sizeof(name)), &f, rest, !known);
}

/* ---- The item page ---- */

struct copy {
	struct mb_store_version	 v;
	char			*env;
	char			 workflow[16], pub_status[16];
};

static int
copy_cb(const struct mb_store_version *v, void *arg)
{
	struct copy *c = arg;

	c->v = *v;
	if ((c->env = malloc(v->envelope_len + 1)) == NULL)
		return MB_ERR_NOMEM;
	memcpy(c->env, v->envelope, v->envelope_len);
	c->env[v->envelope_len] = '\0';
	c->v.envelope = c->env;
	snprintf(c->workflow, sizeof(c->workflow), "%s", v->workflow ?
	    v->workflow : "published");
	snprintf(c->pub_status, sizeof(c->pub_status), "%s", v->pub_status ?
	    v->pub_status : "usable");
	c->v.workflow = c->workflow;
	c->v.pub_status = c->pub_status;
	/* Strings the view does not keep are not used after the call. */
	c->v.uri = c->v.center = c->v.local = c->v.origin = NULL;
	c->v.audience = c->v.language = c->v.type = c->v.profile = NULL;
	c->v.headline = NULL;
	return MB_OK;
}

struct tr_ctx {
	struct mb_page		*p;
	struct mb_tval		*list;
	const char		*self;
	struct mb_tval		*alternates;
	bool			 have;	/* a version in the page's language */
};

static int
translation_cb(const struct mb_store_translation *t, void *arg)
{
	struct tr_ctx	*tc = arg;
	struct mb_tval	*m;
	char		 c[MB_CENTER_MAX + 1], l[MB_LOCAL_MAX + 1];
	char		 p[MB_LANG_TAG_MAX + 1];

	if (mb_uri_parse(t->uri, c, l) != MB_OK)
		return MB_OK;
	if (mb_lang_primary(t->language, p) == 0)
		snprintf(p, sizeof(p), "und");
	if (strcmp(p, tc->p->lang) == 0)
		tc->have = true;
	if (strcmp(t->uri, tc->self) != 0) {
		/* <link rel="alternate" hreflang> in the head, and the list. */
		m = mb_tv_map(tc->p->td, tc->alternates, NULL);
		mb_tv_str(tc->p->td, m, "lang", p);
		mb_tv_printf(tc->p->td, m, "url", "/%s/items/%s/%s",
		    tc->p->lang, c, l);
		/* The switcher goes to the translation, not the same item. */
		{
			char path[200];

			snprintf(path, sizeof(path), "/%s/items/%s/%s", p, c,
			    l);
			mb_page_switch_to(tc->p, p, path);
		}
		m = mb_tv_map(tc->p->td, tc->list, NULL);
		mb_tv_str(tc->p->td, m, "lang", p);
		mb_tv_str(tc->p->td, m, "name", mb_site_lang_name(tc->p->site,
		    p));
		mb_tv_printf(tc->p->td, m, "url", "/%s/items/%s/%s",
		    tc->p->lang, c, l);
	}
	return MB_OK;
}

static void
topics(struct mb_page *p, struct mb_tval *list, const json_t *item)
{
	const json_t	*o;
	size_t		 i;

	json_array_foreach(json_object_get(item, "subjects"), i, o) {
		const char	*name = json_string_value(json_object_get(o,
				    "name"));
		const char	*uri = json_string_value(json_object_get(o,
				    "uri"));
		const char	*code = NULL;
		struct mb_tval	*m;
		struct mb_buf	 u = MB_BUF_INIT;

		if (uri != NULL) {
			const char *a = strrchr(uri, '/'), *b = strrchr(uri,
			    ':');

			code = (a != NULL && (b == NULL || a > b)) ? a + 1 :
			    b != NULL ? b + 1 : uri;
		}
		if (code == NULL || *code == '\0')
			code = name;
		if (code == NULL || name == NULL)
			continue;
		m = mb_tv_map(p->td, list, NULL);
		mb_tv_str(p->td, m, "name", topic_name(p->cat, code) != NULL ?
		    topic_name(p->cat, code) : name);
		/* No page serves a topic with a '/': its name, no link. */
		if (strchr(code, '/') != NULL)
			continue;
		mb_buf_printf(&u, "/%s/topics/", p->lang);
		mb_http_urlencode(code, &u);
		mb_tv_str(p->td, m, "url", mb_buf_cstr(&u));
		mb_buf_free(&u);
	}
}

static void
item_page(struct mb_req *r)
{
	const char		*lang = lang_or_404(r);
	struct mb_item_view	 v;
	struct mb_store		*st;
	struct mb_page		 p;
	struct mb_tval		*it, *pg;
	struct mb_buf		 body = MB_BUF_INIT;
	struct tr_ctx		 tc;
	struct copy		 cp;
	char			 uri[MB_URI_MAX], name[128], rest[200];
	char			 iso[MB_TIME_RFC3339_LEN];
	int			 rc;

	if (lang == NULL)
		return;
	if (mb_uri_make(uri, sizeof(uri), mb_req_param(r, "center"),
	    mb_req_param(r, "local")) != MB_OK) {
		mb_site_not_found(r);
		return;
	}
	if ((st = mb_req_store_or_reply(r)) == NULL)
		return;
	if (!mb_http_item_visible(r, st, uri)) {
		mb_site_not_found(r);
		return;
	}
	memset(&cp, 0, sizeof(cp));
	if ((rc = mb_store_get(st, uri, 0, copy_cb, &cp, NULL)) != MB_OK ||
	    mb_item_view_load(&v, &cp.v) != MB_OK) {
		free(cp.env);
		mb_site_not_found(r);
		return;
	}
	snprintf(rest, sizeof(rest), "/items/%s/%s", v.center, v.local);
	if (!mb_page_begin(&p, r, lang, rest)) {
		mb_item_view_free(&v);
		free(cp.env);
		return;
	}
	pg = mb_tv_map(p.td, p.root, "page");
	mb_tv_str(p.td, pg, "title", v.headline);
	it = mb_tv_map(p.td, p.root, "item");
	mb_tv_str(p.td, it, "headline", v.headline);
	mb_tv_str(p.td, it, "lang", v.tag[0] != '\0' ? v.tag : p.lang);
	mb_tv_str(p.td, it, "dir", v.rtl ? "rtl" : "ltr");
	mb_tv_str(p.td, it, "byline", v.byline);
	mb_site_center_name(st, v.origin, p.lang, name, sizeof(name));
	mb_tv_str(p.td, it, "origin_name", name);
	mb_tv_printf(p.td, it, "origin_url", "/%s/centers/%s", p.lang,
	    v.origin);
	mb_page_date(&p, it, "date", v.first_ms);
	mb_time_format(v.first_ms, iso);
	mb_tv_str(p.td, it, "datetime", iso);
	mb_tv_bool(p.td, it, "machine", v.machine);
	mb_site_mt_labels(&p, it, st, &v);
	if (mb_item_view_body(&v, &body) == MB_OK)
		mb_tv_html(p.td, it, "body", mb_buf_cstr(&body));
	mb_buf_free(&body);
	if ((v.profile != NULL && strcmp(v.profile, "event") == 0) ||
	    v.start_ms != 0) {
		struct mb_tval *ev = mb_tv_map(p.td, it, "event");

		mb_tv_str(p.td, it, "kind", mb_page_msg(&p, "kind.event"));
		/* The programme and the registration form are there. */
		if (strcmp(mb_site_item_dir(v.profile), "events") == 0)
			mb_tv_printf(p.td, ev, "page", "/%s/events/%s/%s",
			    p.lang, v.center, v.local);
		if (v.start_ms != 0) {
			struct mb_buf s = MB_BUF_INIT;

			mb_catalog_format_datetime(p.cat, v.start_ms, &s);
			mb_tv_str(p.td, ev, "start", mb_buf_cstr(&s));
			mb_buf_free(&s);
			mb_time_format(v.start_ms, iso);
			mb_tv_str(p.td, ev, "start_iso", iso);
		}
		if (v.end_ms != 0) {
			struct mb_buf e = MB_BUF_INIT;

			/* The hour as well, as the start has it: an event
			 * ends at a time, not only on a day. */
			mb_catalog_format_datetime(p.cat, v.end_ms, &e);
			mb_tv_str(p.td, ev, "end", mb_buf_cstr(&e));
			mb_buf_free(&e);
			mb_time_format(v.end_ms, iso);
			mb_tv_str(p.td, ev, "end_iso", iso);
		}
		mb_tv_str(p.td, ev, "where", v.where);
	}
	if (v.source_uri != NULL) {
		char sc[MB_CENTER_MAX + 1], sl[MB_LOCAL_MAX + 1];
		struct mb_tval *src = mb_tv_map(p.td, it, "source");

		if (mb_uri_parse(v.source_uri, sc, sl) == MB_OK) {
			mb_site_center_name(st, sc, p.lang, name,
			    sizeof(name));
			mb_tv_str(p.td, src, "name", name);
			mb_tv_printf(p.td, src, "url", "/%s/items/%s/%s",
			    p.lang, sc, sl);
		}
	}
	mb_site_media(&p, it, v.item, v.headline);
	topics(&p, mb_tv_list(p.td, it, "topics"), v.item);
	memset(&tc, 0, sizeof(tc));
	tc.p = &p;
	tc.self = v.uri;
	tc.list = mb_tv_list(p.td, it, "translations");
	tc.alternates = mb_tv_list(p.td, p.root, "alternates");
	if ((rc = mb_store_translations(st, v.uri, false, MB_SITE_PUBLIC,
	    mb_time_now_ms(), translation_cb, &tc, NULL)) != MB_OK)
		log_warn("site: translations of %s: %s", v.uri,
		    mb_strerror(rc));
	/* None in the reader's language: a machine translation, on demand. */
	if (!tc.have && strcmp(v.lang, p.lang) != 0)
		mb_site_mt_offer(&p, r, it, &v);
	mb_item_view_free(&v);
	free(cp.env);
	mb_page_finish(&p, 200, "item.html");
}

/* ---- Search ---- */

struct hit_ctx {
	struct mb_page	*p;
	struct mb_store	*st;
	struct mb_tval	*hits;
};

static int
hit_cb(const struct mb_store_search_hit *h, void *arg)
{
	struct hit_ctx	*hc = arg;
	struct mb_tval	*m;
	struct mb_buf	 b = MB_BUF_INIT;
	char		 c[MB_CENTER_MAX + 1], l[MB_LOCAL_MAX + 1], name[128];
	char		 pl[MB_LANG_TAG_MAX + 1], iso[MB_TIME_RFC3339_LEN];
	bool		 rtl;

	if (mb_newsroom_hidden_proposal(hc->st, h->uri, h->profile))
		return MB_OK;
	m = mb_tv_map(hc->p->td, hc->hits, NULL);
	if (mb_uri_parse(h->uri, c, l) != MB_OK)
		return MB_OK;
	mb_tv_printf(hc->p->td, m, "url", "/%s/%s/%s/%s", hc->p->lang,
	    mb_site_item_dir(h->profile), c, l);
	mb_text_marks_to_html(h->headline_marked, strlen(h->headline_marked),
	    &b);
	mb_tv_html(hc->p->td, m, "headline", mb_buf_cstr(&b));
	mb_buf_reset(&b);
	if (h->snippet != NULL) {
		mb_text_marks_to_html(h->snippet, strlen(h->snippet), &b);
		mb_tv_html(hc->p->td, m, "snippet", mb_buf_cstr(&b));
	}
	mb_buf_free(&b);
	/*
	 * The direction from the whole tag, as the item's page has it: a
	 * script subtag decides ("pa-Arab" is right to left, "pa" is not).
	 */
	if (mb_site_lang_attr(h->language, pl)[0] != '\0')
		rtl = mb_lang_is_rtl(h->language);
	else {
		snprintf(pl, sizeof(pl), "%s", hc->p->lang);
		rtl = mb_lang_is_rtl(pl);
	}
	mb_tv_str(hc->p->td, m, "lang", pl);
	mb_tv_str(hc->p->td, m, "dir", rtl ? "rtl" : "ltr");
	mb_page_date(hc->p, m, "date", h->first_ms);
	mb_time_format(h->first_ms, iso);
	mb_tv_str(hc->p->td, m, "datetime", iso);
	mb_site_center_name(hc->st, h->center, hc->p->lang, name,
	    sizeof(name));
	mb_tv_str(hc->p->td, m, "center", name);
	return MB_OK;
}

/*
 * The catalog key for a query the parser refused (src/text/query.h): its
 * diagnostic is English and says "query: ...", which a reader of an
 * Arabic page should not get. The two MB_ERR_INVAL refusals a reader can
 * mend are told apart by their words; anything else (text that is not
 * UTF-8) is "could not be understood".
 */
static const char *
query_error_key(int rc, const struct mb_diag *d)
{
	if (rc == MB_ERR_TOOBIG)
		return "search.too_long";
	if (rc == MB_ERR_INVAL && strstr(d->msg, "only excluded") != NULL)
		return "search.only_excluded";
	if (rc == MB_ERR_INVAL && strstr(d->msg, "no words") != NULL)
		return "search.no_words";
	return rc == MB_ERR_INVAL ? "search.bad" : "search.failed";
}

static void
search_page(struct mb_req *r)
{
	const char			*lang = lang_or_404(r);
	const char			*q = mb_req_query(r, "q");
	const char			*pgs = mb_req_query(r, "page");
	struct mb_store_search_query	 sq;
	struct mb_store_search_result	 res;
	struct mb_buf			 m = MB_BUF_INIT;
	struct mb_store			*st;
	struct mb_page			 p;
	struct mb_tval			*pg;
	struct hit_ctx			 hc;
	struct mb_diag			 d = { "" };
	const char			*ql;
	long				 page = 0;
	int				 rc;

	if (lang == NULL)
		return;
	if (pgs != NULL && (page = strtol(pgs, NULL, 10)) < 0)
		page = 0;
	/* The store ranks only its best candidates: past them is the last
	 * page it allows, not a failure. */
	if (page > LAST_SEARCH_PAGE)
		page = LAST_SEARCH_PAGE;
	if ((st = mb_req_store_or_reply(r)) == NULL)
		return;
	while (q != NULL && (*q == ' ' || *q == '\t'))
		q++;
	/* The switcher searches the same words in the other language. */
	mb_buf_puts(&m, "/search");
	if (q != NULL && *q != '\0') {
		mb_buf_puts(&m, "?q=");
		mb_http_urlencode(q, &m);
	}
	if (!mb_page_begin(&p, r, lang, mb_buf_cstr(&m))) {
		mb_buf_free(&m);
		return;
	}
	mb_buf_reset(&m);
	pg = mb_tv_map(p.td, p.root, "page");
	mb_tv_str(p.td, pg, "title", mb_page_msg(&p, "search.title"));
	mb_tv_str(p.td, pg, "heading", mb_page_msg(&p, "search.title"));
	if (q == NULL || *q == '\0') {
		mb_buf_free(&m);
		mb_page_finish(&p, 200, "search.html");
		return;
	}
	mb_tv_str(p.td, p.root, "query", q);
	/* Stem in the query's script's language; a Latin-script query in
	 * the reader's and every Latin language we stem, since the page's
	 * language says nothing of the items' (an exact word is found). */
	ql = mb_text_detect_query_lang(q, strlen(q));
	if (strcmp(ql, "und") == 0)
		rc = mb_text_query_translate_wide(q, strlen(q), lang, &m, &d);
	else
		rc = mb_text_query_translate(q, strlen(q), ql, &m, &d);
	if (rc != MB_OK) {
		mb_tv_str(p.td, p.root, "error", mb_page_msg(&p,
		    query_error_key(rc, &d)));
		mb_buf_free(&m);
		mb_page_finish(&p, 200, "search.html");
		return;
	}
	memset(&sq, 0, sizeof(sq));
	sq.match = mb_buf_cstr(&m);
	sq.prefer_language = lang;
	sq.limit = PAGE_ITEMS;
	sq.offset = (int)page * PAGE_ITEMS;
	sq.audiences = MB_SITE_PUBLIC;
	sq.now_ms = mb_time_now_ms();
	memset(&hc, 0, sizeof(hc));
	hc.p = &p;
	hc.st = st;
	hc.hits = mb_tv_list(p.td, p.root, "hits");
	memset(&res, 0, sizeof(res));
	rc = mb_store_search(st, &sq, hit_cb, &hc, &res, &d);
	mb_buf_free(&m);
	if (rc != MB_OK) {
		/* The store's words are for the log, not for readers. */
		log_warn("site: search: %s", mb_diag_msg(&d, rc));
		mb_tv_str(p.td, p.root, "error", mb_page_msg(&p,
		    "search.failed"));
	}
	/* What was found, all of it; the pages walk the ranked ones. */
	mb_tv_int(p.td, p.root, "count", res.total);
	mb_tv_bool(p.td, p.root, "about", res.total_estimated);
	mb_tv_bool(p.td, p.root, "more", res.more);
	for (int k = 0; k < 2; k++) {
		long		 to = k == 0 ? page + 1 : page - 1;
		struct mb_buf	 n = MB_BUF_INIT;

		if (to < 0 || to > LAST_SEARCH_PAGE || (k == 0 && res.ranked <= (page + 1) *
		    PAGE_ITEMS))
			continue;
		mb_buf_printf(&n, "/%s/search?q=", p.lang);
		mb_http_urlencode(q, &n);
		if (to > 0)
			mb_buf_printf(&n, "&page=%ld", to);
		mb_tv_str(p.td, p.root, k == 0 ? "next" : "prev",
		    mb_buf_cstr(&n));
		mb_buf_free(&n);
	}
	mb_resp_cache_ttl(r, 5000);
	mb_page_finish(&p, 200, "search.html");
}

const struct mb_route mb_routes_site[] = {
	{ "GET", "/", root, 0, "site.root" },
	{ "GET", "/language", set_language, 0, "site.language" },
	{ "GET", "/static/:name", static_file, MB_ROUTE_CACHE, "site.static" },
	{ "GET", "/:lang/", front, MB_ROUTE_CACHE, "site.front" },
	{ "GET", "/:lang/items/:center/:local", item_page, MB_ROUTE_CACHE,
	  "site.item" },
	{ "GET", "/:lang/search", search_page, MB_ROUTE_CACHE,
	  "site.search" },
	{ "GET", "/:lang/events", events, MB_ROUTE_CACHE, "site.events" },
	{ "GET", "/:lang/centers/:id", center_page, MB_ROUTE_CACHE,
	  "site.center" },
	{ "GET", "/:lang/topics/:topic", topic_page, MB_ROUTE_CACHE,
	  "site.topic" },
	{ "GET", "/:lang/countries/:cc", country_page, MB_ROUTE_CACHE,
	  "site.country" },
	{ "GET", "/items/:center/:local", to_lang, 0, "site.redirect" },
	{ "GET", "/search", to_lang, 0, "site.redirect" },
	{ "GET", "/events", to_lang, 0, "site.redirect" },
	{ "GET", "/centers/:id", to_lang, 0, "site.redirect" },
	MB_ROUTES_END
};
