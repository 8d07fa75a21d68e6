/* SPDX-License-Identifier: MIT */
/*
 * Machine translation for readers (docs/translation.md): a translation's
 * labels and provenance on its page, and on-demand machine translations
 * of an item with no version in the reader's language, when the center
 * allows it (engines with readers = yes in engines.conf). An on-demand
 * translation is not an item: it is made from the published original's
 * sanitized text, kept in the translation cache (mt_cache) and the
 * response cache, labelled as unreviewed machine output, linked to the
 * original, and not offered to search engines (noindex, nofollow).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/timeutil.h"
#include "http/sanitize.h"
#include "http_int.h"
#include "item/id.h"
#include "mt/mt.h"
#include "newsroom/pictext.h"
#include "newsroom/translate.h"
#include "site_int.h"
#include "text/lang.h"

/* ---- a translation's labels ---- */

void
mb_site_mt_labels(struct mb_page *p, struct mb_tval *it, struct mb_store *st,
    const struct mb_item_view *v)
{
	const json_t	*tr = json_object_get(v->meta, "translation");
	const char	*by = json_string_value(json_object_get(tr, "by"));
	const char	*engine = json_string_value(json_object_get(tr,
	    "engine"));
	const char	*via = json_string_value(json_object_get(tr, "via"));
	char		 c[MB_CENTER_MAX + 1], l[MB_LOCAL_MAX + 1], name[128];
	int64_t		 current;

	if (tr == NULL)
		return;
	mb_tv_bool(p->td, it, "mt_reviewed", v->machine &&
	    (json_object_get(tr, "reviewedBy") != NULL ||
	    (by != NULL && strcmp(by, "machine+human") == 0)));
	mb_tv_bool(p->td, it, "mt_stale",
	    mb_newsroom_translation_stale(st, v->meta, &current));
	if (v->translation_of != NULL &&
	    mb_uri_parse(v->translation_of, c, l) == MB_OK)
		mb_tv_printf(p->td, it, "original_url", "/%s/items/%s/%s",
		    p->lang, c, l);
	/* The provenance: which engine, and whose when it was borrowed. */
	if (v->machine && engine != NULL) {
		mb_tv_str(p->td, it, "mt_engine", engine);
		if (via != NULL) {
			mb_site_center_name(st, via, p->lang, name,
			    sizeof(name));
			mb_tv_str(p->td, it, "mt_via", name);
		}
	}
}

/* ---- the offer, and the on-demand page ---- */

/* Whether some engine of this center may translate for readers. */
static bool
for_readers(const struct mb_req *r)
{
	const struct mb_mt *mt = mb_req_mt(r);

	for (size_t i = 0; mt != NULL && i < mb_mt_engine_count(mt); i++)
		if (mb_mt_engine_at(mt, i)->readers)
			return true;
	return false;
}

void
mb_site_mt_offer(struct mb_page *p, struct mb_req *r, struct mb_tval *it,
    const struct mb_item_view *v)
{
	if (v->lang[0] == '\0' || !for_readers(r) || strcmp(v->workflow,
	    "published") != 0)
		return;
	mb_tv_printf(p->td, it, "mt_offer", "/%s/items/%s/%s/mt", p->lang,
	    v->center, v->local);
	mb_tv_str(p->td, it, "mt_offer_lang", mb_site_lang_name(p->site,
	    p->lang));
}

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
	c->v.uri = c->v.center = c->v.local = c->v.origin = NULL;
	c->v.audience = c->v.language = c->v.type = c->v.profile = NULL;
	c->v.headline = NULL;
	return MB_OK;
}

struct versions {
	struct mb_page	*p;
	struct mb_tval	*list, *alternates;
	const char	*self;		/* the original, listed first */
	char		 in_lang[200];	/* a version in the page's */
};

static int
version_cb(const struct mb_store_translation *t, void *arg)
{
	struct versions	*vs = arg;
	struct mb_tval	*m;
	char		 c[MB_CENTER_MAX + 1], l[MB_LOCAL_MAX + 1];
	char		 pl[MB_LANG_TAG_MAX + 1];

	if (mb_uri_parse(t->uri, c, l) != MB_OK || (vs->self != NULL &&
	    t->uri != vs->self && strcmp(t->uri, vs->self) == 0))
		return MB_OK;
	if (mb_lang_primary(t->language, pl) == 0)
		snprintf(pl, sizeof(pl), "und");
	if (strcmp(pl, vs->p->lang) == 0)
		snprintf(vs->in_lang, sizeof(vs->in_lang), "/%s/items/%s/%s",
		    vs->p->lang, c, l);
	m = mb_tv_map(vs->p->td, vs->alternates, NULL);
	mb_tv_str(vs->p->td, m, "lang", pl);
	mb_tv_printf(vs->p->td, m, "url", "/%s/items/%s/%s", vs->p->lang, c,
	    l);
	m = mb_tv_map(vs->p->td, vs->list, NULL);
	mb_tv_str(vs->p->td, m, "lang", pl);
	mb_tv_str(vs->p->td, m, "name", mb_site_lang_name(vs->p->site, pl));
	mb_tv_printf(vs->p->td, m, "url", "/%s/items/%s/%s", vs->p->lang, c,
	    l);
	return MB_OK;
}

static void
see_other(struct mb_req *r, const char *to)
{
	mb_resp_header(r, "Location", to);
	mb_resp_bytes(r, 303, "text/plain; charset=utf-8", to, strlen(to));
}

/* Why there is none: the page, with the way to the original. */
static void
unavailable(struct mb_page *p, unsigned status, const char *original)
{
	mb_tv_str(p->td, mb_tv_map(p->td, p->root, "page"), "title",
	    mb_page_msg(p, "mt.unavailable"));
	mb_tv_str(p->td, p->root, "original_url", original);
	mb_page_finish(p, status, "mt_unavailable.html");
}

/*
 * The engines for an on-demand translation of v: those marked for
 * readers, and of them this center's own only when v is internal (a
 * signed-in editor may read one here): such text never leaves it.
 */
static unsigned
readers_need(const struct mb_item_view *v)
{
	return MB_MT_FOR_READERS | mb_newsroom_mt_scope(v->audience,
	    v->workflow, NULL);
}

/*
 * Translates the item's headline (plain) and sanitized body (HTML) into
 * the page's language; the body's translation goes through the
 * sanitizer again. MB_OK with *head and *body malloc'd.
 */
static int
translate(struct mb_req *r, struct mb_store *st, const struct mb_item_view *v,
    const char *to, char **head, struct mb_buf *body, json_t **prov,
    struct mb_diag *d)
{
	struct mb_buf	 src = MB_BUF_INIT;
	char		 from[MB_MT_TAG_MAX + 1], tl[MB_MT_TAG_MAX + 1];
	char		*tb = NULL;
	int		 rc;

	*head = NULL;
	if ((rc = mb_mt_lang_norm(v->language, from, d)) != MB_OK ||
	    (rc = mb_mt_lang_norm(to, tl, d)) != MB_OK)
		return rc;
	if ((rc = mb_newsroom_mt_text(st, mb_req_mt(r), from, tl,
	    readers_need(v), v->headline != NULL ? v->headline : "",
	    v->headline != NULL ? strlen(v->headline) : 0, true, head, prov,
	    d)) != MB_OK)
		return rc;
	if ((rc = mb_item_view_body(v, &src)) == MB_OK && src.len > 0 &&
	    (rc = mb_newsroom_mt_text(st, mb_req_mt(r), from, tl,
	    readers_need(v), mb_buf_cstr(&src), src.len, false, &tb, NULL,
	    d)) == MB_OK)
		rc = mb_sanitize_html(tb, strlen(tb), body, d);
	free(tb);
	mb_buf_free(&src);
	if (rc != MB_OK) {
		free(*head);
		*head = NULL;
	}
	return rc;
}

/*
 * The item's pictures with their words in the page's language, for this
 * page only (a copy): each caption and alt text through the engines for
 * readers and the cache, as the headline. A picture whose words cannot
 * all be translated keeps them, marked with their language, so that its
 * figure says which it is.
 */
static json_t *
picture_words(struct mb_req *r, struct mb_store *st,
    const struct mb_item_view *v, const char *to)
{
	json_t	*c = json_deep_copy(v->item), *o, *e, *ds;
	char	 from[MB_MT_TAG_MAX + 1], tl[MB_MT_TAG_MAX + 1];
	size_t	 i, j;

	if (c == NULL)
		return NULL;
	if (mb_mt_lang_norm(v->language, from, NULL) != MB_OK ||
	    mb_mt_lang_norm(to, tl, NULL) != MB_OK)
		return c;
	json_object_set_new(c, "language", json_string(to));
	json_array_foreach(json_object_get(c, "associations"), i, o) {
		const char	*ml = json_string_value(json_object_get(o,
		    "language"));
		bool		 ok = ml == NULL;

		if (!mb_newsroom_is_media_assoc(o))
			continue;
		if ((ds = json_deep_copy(json_object_get(o, "descriptions"))) ==
		    NULL)
			ok = false;
		json_array_foreach(ds, j, e) {
			const char	*val = json_string_value(
			    json_object_get(e, "value"));
			char		*t = NULL;

			if (!ok)
				break;
			if (val == NULL || *val == '\0')
				continue;
			if (mb_newsroom_mt_text(st, mb_req_mt(r), from, tl,
			    readers_need(v), val, strlen(val), true, &t,
			    NULL, NULL) != MB_OK) {
				ok = false;
				break;
			}
			json_object_set_new(e, "value", json_string(t));
			free(t);
		}
		if (ok)
			json_object_set_new(o, "descriptions", ds);
		else {
			json_decref(ds);
			if (ml == NULL)
				json_object_set_new(o, "language",
				    json_string(v->language));
		}
	}
	return c;
}

/* GET /:lang/items/:center/:local/mt */
static void
ondemand(struct mb_req *r)
{
	const struct mb_site	*s = mb_site_get(NULL);
	const char		*lang = mb_req_param(r, "lang");
	const struct mb_catalog	*cat;
	struct mb_item_view	 v;
	struct mb_store		*st;
	struct mb_page		 p;
	struct mb_tval		*it;
	struct mb_buf		 body = MB_BUF_INIT;
	struct versions		 vs;
	struct copy		 cp;
	struct mb_diag		 d = { "" };
	json_t			*prov = NULL;
	char			 uri[MB_URI_MAX], rest[200], orig[200];
	char			 name[128], iso[MB_TIME_RFC3339_LEN];
	char			*head = NULL;
	int64_t			 t0;
	int			 rc;

	if (s == NULL || lang == NULL || (cat = mb_i18n_get(mb_site_i18n(s),
	    lang)) == NULL || strcmp(mb_catalog_lang(cat), lang) != 0 ||
	    mb_uri_make(uri, sizeof(uri), mb_req_param(r, "center"),
	    mb_req_param(r, "local")) != MB_OK || !for_readers(r)) {
		if (!mb_site_not_found(r))
			mb_resp_error(r, 404, "not_found", "no such page");
		return;
	}
	if ((st = mb_req_store_or_reply(r)) == NULL)
		return;
	memset(&cp, 0, sizeof(cp));
	if (!mb_http_item_visible(r, st, uri) || mb_store_get(st, uri, 0,
	    copy_cb, &cp, NULL) != MB_OK || mb_item_view_load(&v, &cp.v) !=
	    MB_OK) {
		free(cp.env);
		mb_site_not_found(r);
		return;
	}
	if (strcmp(v.workflow, "published") != 0) {
		mb_item_view_free(&v);
		free(cp.env);
		mb_site_not_found(r);
		return;
	}
	snprintf(orig, sizeof(orig), "/%s/items/%s/%s", lang, v.center,
	    v.local);
	snprintf(rest, sizeof(rest), "/items/%s/%s/mt", v.center, v.local);
	if (!mb_page_begin(&p, r, lang, rest)) {
		mb_item_view_free(&v);
		free(cp.env);
		return;
	}
	memset(&vs, 0, sizeof(vs));
	vs.p = &p;
	it = mb_tv_map(p.td, p.root, "item");
	vs.list = mb_tv_list(p.td, it, "translations");
	vs.alternates = mb_tv_list(p.td, p.root, "alternates");
	{
		/* The original first; then its other versions. */
		struct mb_store_translation o = { v.uri, v.language,
		    v.headline, true, NULL };

		vs.self = v.uri;
		version_cb(&o, &vs);
	}
	if (mb_store_translations(st, v.uri, false, MB_SITE_PUBLIC,
	    mb_time_now_ms(), version_cb, &vs, NULL) != MB_OK)
		log_warn("site: translations of %s failed", v.uri);
	/* The item is in this language, or a person's version is: that. */
	if (strcmp(v.lang, lang) == 0 || vs.in_lang[0] != '\0' ||
	    v.lang[0] == '\0') {
		mb_page_free(&p);
		see_other(r, vs.in_lang[0] != '\0' ? vs.in_lang : orig);
		goto out;
	}
	t0 = mb_time_now_ms();
	if ((rc = translate(r, st, &v, lang, &head, &body, &prov, &d)) !=
	    MB_OK) {
		log_warn("site: on-demand translation uri=%s to=%s: %s", uri,
		    lang, mb_diag_msg(&d, rc));
		if (rc == MB_ERR_NET || rc == MB_ERR_AGAIN)
			mb_resp_header(r, "Retry-After", "30");
		unavailable(&p, rc == MB_ERR_NOTFOUND || rc == MB_ERR_INVAL ?
		    404 : rc == MB_ERR_CORRUPT ? 502 : 503, orig);
		goto out;
	}
	log_info("site: on-demand translation uri=%s to=%s ms=%lld", uri, lang,
	    (long long)(mb_time_now_ms() - t0));
	/* An engine's seconds: a second reader gets this copy. */
	mb_resp_costly(r);
	mb_tv_str(p.td, mb_tv_map(p.td, p.root, "page"), "title", head);
	mb_tv_bool(p.td, mb_tv_get(p.root, "page"), "noindex", true);
	mb_tv_str(p.td, it, "headline", head);
	mb_tv_str(p.td, it, "lang", lang);
	mb_tv_str(p.td, it, "dir", mb_lang_is_rtl(lang) ? "rtl" : "ltr");
	mb_tv_str(p.td, it, "byline", v.byline);
	mb_site_center_name(st, v.origin, p.lang, name, sizeof(name));
	mb_tv_str(p.td, it, "origin_name", name);
	mb_tv_printf(p.td, it, "origin_url", "/%s/centers/%s", lang, v.origin);
	mb_page_date(&p, it, "date", v.first_ms);
	mb_time_format(v.first_ms, iso);
	mb_tv_str(p.td, it, "datetime", iso);
	mb_tv_html(p.td, it, "body", body.len > 0 ? mb_buf_cstr(&body) : "");
	/* Labelled: machine-made, on request, unreviewed; the original. */
	mb_tv_bool(p.td, it, "machine", true);
	mb_tv_bool(p.td, it, "mt_ondemand", true);
	mb_tv_str(p.td, it, "mt_engine", json_string_value(json_object_get(
	    prov, "engine")));
	if (json_string_value(json_object_get(prov, "via")) != NULL) {
		mb_site_center_name(st, json_string_value(json_object_get(prov,
		    "via")), p.lang, name, sizeof(name));
		mb_tv_str(p.td, it, "mt_via", name);
	}
	mb_tv_str(p.td, it, "original_url", orig);
	{
		json_t *pw = picture_words(r, st, &v, lang);

		mb_site_media(&p, it, pw != NULL ? pw : v.item, head);
		json_decref(pw);
	}
	mb_page_finish(&p, 200, "item.html");
out:
	json_decref(prov);
	free(head);
	mb_buf_free(&body);
	mb_item_view_free(&v);
	free(cp.env);
}

const struct mb_route mb_routes_site_mt[] = {
	{ "GET", "/:lang/items/:center/:local/mt", ondemand, MB_ROUTE_CACHE,
	  "site.item.mt" },
	MB_ROUTES_END
};
