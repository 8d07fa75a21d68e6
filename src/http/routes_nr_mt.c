/* SPDX-License-Identifier: MIT */
/*
 * Machine translation in the newsroom (docs/translation.md): the
 * "Machine translate" form on an item's page, the stale badge and the
 * "needs update" list, and -- when a draft was made again -- what the
 * translator had changed in the previous machine text, compared as the
 * newsroom compares versions (newsroom/versions.h).
 * Every change goes through mb_newsroom_translate(), as the API's does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "http_int.h"
#include "item/id.h"
#include "item/json.h"
#include "mt/mt.h"
#include "newsroom/mt_share.h"
#include "newsroom/translate.h"
#include "newsroom/versions.h"
#include "nr_int.h"
#include "site_int.h"
#include "store/mt.h"
#include "text/lang.h"

/* How far back the edit page looks for the translator's last edit. */
#define HISTORY_MAX 40
/* Rows of the "needs update" list. */
#define STALE_ROWS 200

/*
 * Whether a machine translation can be asked for: an engine here, or a
 * member center the registry says lends one (its lender is then loaded).
 */
static bool
engines(struct mb_req *r)
{
	struct mb_mt	*mt = mb_req_mt(r);
	struct mb_store	*st;

	if (mt == NULL)
		return false;
	if (mb_mt_engine_count(mt) == 0 && (st = mb_req_store(r)) != NULL)
		(void)mb_mt_share_lenders(mt, st, mb_req_node(r)->conf.id,
		    NULL);
	for (size_t i = 0; i < mb_mt_engine_count(mt); i++)
		if (!mb_mt_engine_off(mt, i))
			return true;
	return false;
}

static void
add_lang(struct mb_page *p, struct mb_tval *list, char *seen, size_t n,
    const char *code, const char *own)
{
	struct mb_tval	*o;
	char		 k[24];

	snprintf(k, sizeof(k), ",%s,", code);
	if (strlen(code) > 8 || strstr(seen, k) != NULL || (own != NULL &&
	    strcmp(own, code) == 0) || strlen(seen) + strlen(code) + 2 > n)
		return;
	strcat(seen, code);
	strcat(seen, ",");
	o = mb_tv_map(p->td, list, NULL);
	mb_tv_str(p->td, o, "code", code);
	mb_tv_str(p->td, o, "name", mb_site_lang_name(p->site, code));
}

/* The languages offered: the center's, then the site's, not the item's. */
static void
target_langs(struct mb_page *p, struct mb_tval *list, const char *own)
{
	const struct mb_i18n	*i18n = mb_site_i18n(p->site);
	char			 seen[512] = ",", langs[256];
	char			*save = NULL, *t;

	snprintf(langs, sizeof(langs), "%s", mb_req_node(p->r)->conf.languages);
	for (t = strtok_r(langs, ",", &save); t != NULL; t = strtok_r(NULL,
	    ",", &save))
		add_lang(p, list, seen, sizeof(seen), t, own);
	for (size_t i = 0; i < mb_i18n_count(i18n); i++)
		add_lang(p, list, seen, sizeof(seen), mb_catalog_lang(
		    mb_i18n_at(i18n, i)), own);
}

/* ---- what the translator changed, when a draft was made again ---- */

/* meta.translation.by of a version's envelope ("" when none). */
static const char *
by_of(const json_t *root)
{
	const char *by = json_string_value(json_object_get(json_object_get(
	    json_object_get(root, "meta"), "translation"), "by"));

	return by != NULL ? by : "";
}

/*
 * Walks the draft's history back from its current version (cur): the
 * last making-again R is a version by "machine" whose previous version
 * was by "machine+human" (H: what the translator left); M is the
 * machine's text they started from (the last "machine" version before
 * H). True with *mach and *human set when there is one.
 */
static bool
last_edits(const struct mb_newsroom_env *e, const struct mb_actor *a,
    const char *uri, int64_t cur, int64_t *mach, int64_t *human)
{
	struct mb_nr_item	 it;
	char			 prev_by[16] = "";

	*mach = *human = 0;
	for (int64_t v = cur; v >= 1 && v > cur - HISTORY_MAX; v--) {
		json_t		*root;
		const char	*by;

		if (mb_newsroom_get(e, a, uri, v, &it, NULL) != MB_OK)
			break;
		root = mb_json_loadb(it.envelope, it.len, 0, NULL);
		mb_nr_item_free(&it);
		if (root == NULL)
			break;
		by = by_of(root);
		if (*human == 0 && strcmp(by, "machine+human") == 0 &&
		    strcmp(prev_by, "machine") == 0) {
			*human = v;	/* v + 1 was made again */
		} else if (*human != 0 && strcmp(by, "machine") == 0) {
			*mach = v;
			json_decref(root);
			return true;
		}
		snprintf(prev_by, sizeof(prev_by), "%s", by);
		json_decref(root);
	}
	return false;
}

/*
 * The diff from M to H with the newsroom's comparison of versions
 * (newsroom/versions.h: escaped text, only del/ins/p markup), and the
 * link to its page.
 */
static void
edits_diff(struct mb_page *p, struct mb_tval *m, const struct
    mb_newsroom_env *e, const struct mb_actor *a, const struct
    mb_item_view *v)
{
	struct mb_nr_compare	 cmp;
	struct mb_tval		*df;
	int64_t			 mach, human;

	if (!last_edits(e, a, v->uri, v->version, &mach, &human) ||
	    mb_newsroom_compare(e, a, v->uri, mach, human, &cmp, NULL) !=
	    MB_OK)
		return;
	df = mb_tv_map(p->td, m, "diff");
	mb_tv_int(p->td, df, "from", mach);
	mb_tv_int(p->td, df, "to", human);
	mb_tv_html(p->td, df, "headline", cmp.headline.len > 0 ?
	    mb_buf_cstr(&cmp.headline) : "");
	mb_tv_html(p->td, df, "body", cmp.body.len > 0 ?
	    mb_buf_cstr(&cmp.body) : "");
	mb_tv_bool(p->td, df, "changes", cmp.added > 0 || cmp.removed > 0 ||
	    strstr(mb_buf_cstr(&cmp.headline), "<del>") != NULL ||
	    strstr(mb_buf_cstr(&cmp.headline), "<ins>") != NULL);
	mb_tv_printf(p->td, df, "url", "/newsroom/items/%s/%s/diff?from=%lld"
	    "&to=%lld", v->center, v->local, (long long)mach,
	    (long long)human);
	mb_nr_compare_free(&cmp);
}

/* ---- the item's page ---- */

void
mb_nr_mt_panel(struct mb_page *p, struct mb_req *r,
    const struct mb_item_view *v)
{
	struct mb_newsroom_env	 e;
	struct mb_actor		 a;
	struct mb_tval		*m;
	const json_t		*tr = json_object_get(v->meta, "translation");
	char			 oc[MB_CENTER_MAX + 1], ol[MB_LOCAL_MAX + 1];

	if (strcmp(v->pub_status, "canceled") == 0)
		return;
	m = mb_tv_map(p->td, p->root, "mt");
	if (v->translation_of == NULL || mb_uri_parse(v->translation_of, oc,
	    ol) != MB_OK) {
		/* An original: machine translate it into another language. */
		if (!engines(r))
			return;
		mb_tv_printf(p->td, m, "url", "/newsroom/items/%s/%s/mt",
		    v->center, v->local);
		target_langs(p, mb_tv_list(p->td, m, "langs"), v->lang);
		return;
	}
	if (!mb_req_newsroom_or_reply(r, &e))
		return;
	mb_req_actor(r, &a);
	{
		const char	*by = json_string_value(json_object_get(tr,
		    "by"));
		int64_t		 cur = 0;

		if (by != NULL)
			mb_tv_str(p->td, m, "by", by);
		mb_tv_str(p->td, m, "engine", json_string_value(
		    json_object_get(tr, "engine")));
		mb_tv_str(p->td, m, "via", json_string_value(json_object_get(tr,
		    "via")));
		mb_tv_int(p->td, m, "of_version", json_integer_value(
		    json_object_get(tr, "ofVersion")));
		if (mb_newsroom_translation_stale(e.st, v->meta, &cur)) {
			mb_tv_bool(p->td, m, "stale", true);
			mb_tv_int(p->td, m, "of_current", cur);
		}
		/* Made again from the original, into the draft's language. */
		/*
		 * A translator remakes only their own draft (the service's
		 * rule); a published one is an editor's to remake.
		 */
		if (engines(r) && by != NULL && strcmp(by, "human") != 0 &&
		    (mb_req_role(r) >= MB_ROLE_EDITOR || strcmp(v->workflow,
		    "draft") == 0)) {
			mb_tv_printf(p->td, m, "again_url",
			    "/newsroom/items/%s/%s/mt", oc, ol);
			mb_tv_str(p->td, m, "again_lang", v->language != NULL ?
			    v->language : v->lang);
		}
	}
	edits_diff(p, m, &e, &a, v);
}

bool
mb_nr_mt_stale(struct mb_store *st, const struct mb_item_view *v)
{
	int64_t cur;

	return v->translation_of != NULL && st != NULL &&
	    mb_newsroom_translation_stale(st, v->meta, &cur);
}

/* ---- POST /newsroom/items/:center/:local/mt  language=es ---- */

static void
refuse(struct mb_req *r, const char *back, unsigned status, const char *msg)
{
	struct mb_page p;

	if (!mb_nr_begin(&p, r, "nrmt.title"))
		return;
	mb_tv_str(p.td, mb_tv_map(p.td, p.root, "errors"), "form", msg);
	mb_tv_str(p.td, p.root, "back", back);
	mb_page_finish(&p, status, "nr_refused.html");
}

/* The status of a failed translation, as the API's (mb_resp_mt_fail). */
static unsigned
fail_status(int rc, const char *code)
{
	switch (rc) {
	case MB_ERR_NOTFOUND:
		if (code != NULL && (strcmp(code, "no_pair") == 0 ||
		    strcmp(code, "no_engine") == 0))
			return 422;
		break;
	case MB_ERR_NET:
	case MB_ERR_AGAIN:
		return 503;
	case MB_ERR_CORRUPT:
		return 502;
	default:
		break;
	}
	return mb_newsroom_http_status(rc);
}

static void
translate(struct mb_req *r)
{
	const char		*c = mb_req_param(r, "center");
	const char		*l = mb_req_param(r, "local");
	const char		*lang = mb_req_form(r, "language");
	struct mb_newsroom_env	 e;
	struct mb_actor		 a;
	struct mb_nr_saved	 sv;
	struct mb_diag		 d = { "" };
	char			 uri[MB_URI_MAX], back[200], to[200];
	char			 nc[MB_CENTER_MAX + 1], nl[MB_LOCAL_MAX + 1];
	bool			 made = false;
	int			 rc;

	if (!mb_nr_staff_or_login(r))
		return;
	if (mb_uri_make(uri, sizeof(uri), c, l) != MB_OK) {
		mb_nr_not_found(r);
		return;
	}
	snprintf(back, sizeof(back), "/newsroom/items/%s/%s", c, l);
	if (lang == NULL || *lang == '\0' || strlen(lang) > MB_MT_TAG_MAX) {
		refuse(r, back, 400, "language: choose the language to "
		    "translate into");
		return;
	}
	if (!mb_req_newsroom_or_reply(r, &e))
		return;
	mb_req_actor(r, &a);
	rc = mb_newsroom_translate(&e, &a, mb_req_mt(r), uri, lang, &sv, &made,
	    &d);
	if (rc != MB_OK) {
		/* Nothing was made: say why, with the way back. */
		if (rc == MB_ERR_NET || rc == MB_ERR_AGAIN)
			mb_resp_header(r, "Retry-After", rc == MB_ERR_NET ?
			    "30" : "5");
		refuse(r, back, fail_status(rc, sv.code), mb_diag_msg(&d, rc));
		mb_nr_saved_free(&sv);
		return;
	}
	if (mb_uri_parse(sv.uri, nc, nl) == MB_OK)
		snprintf(to, sizeof(to), "/newsroom/items/%s/%s?done=%s", nc,
		    nl, made ? "translated" : "retranslated");
	else
		snprintf(to, sizeof(to), "/newsroom/");
	log_info("site: machine translate uri=%s to=%s draft=%s user=%s", uri,
	    lang, sv.uri, mb_req_user(r)->name);
	mb_nr_saved_free(&sv);
	mb_nr_see_other(r, to);
}

/* ---- GET /newsroom/translations: the "needs update" list ---- */

struct stale_rows {
	struct mb_page		*p;
	struct mb_req		*r;
	struct mb_newsroom_env	*e;
	struct mb_actor		*a;
	struct mb_tval		*rows;
	int			 n;
};

/*
 * A visible item's headline, malloc'd (NULL when it cannot be read);
 * draft (may be NULL) says whether its workflow is "draft".
 */
static char *
headline_of(struct stale_rows *s, const char *uri, bool *draft)
{
	struct mb_nr_item	 it;
	json_t			*root;
	char			*h = NULL;

	if (mb_newsroom_get(s->e, s->a, uri, 0, &it, NULL) != MB_OK)
		return NULL;
	if (draft != NULL)
		*draft = strcmp(it.workflow, "draft") == 0;
	if ((root = mb_json_loadb(it.envelope, it.len, 0, NULL)) != NULL) {
		const char *v = json_string_value(json_object_get(
		    json_array_get(json_object_get(json_object_get(root,
		    "item"), "headlines"), 0), "value"));

		h = v != NULL ? strdup(v) : NULL;
		json_decref(root);
	}
	mb_nr_item_free(&it);
	return h;
}

static int
stale_cb(const struct mb_store_mt_draft *t, void *arg)
{
	struct stale_rows	*s = arg;
	struct mb_tval		*m;
	char			 c[MB_CENTER_MAX + 1], l[MB_LOCAL_MAX + 1];
	char			 oc[MB_CENTER_MAX + 1], ol[MB_LOCAL_MAX + 1];
	char			*h, *oh;
	bool			 draft = false;

	if (s->n >= STALE_ROWS || mb_uri_parse(t->uri, c, l) != MB_OK ||
	    mb_uri_parse(t->of_uri, oc, ol) != MB_OK)
		return MB_OK;
	/* Only what this person may see (a translator: their own). */
	if ((h = headline_of(s, t->uri, &draft)) == NULL)
		return MB_OK;
	oh = headline_of(s, t->of_uri, NULL);
	m = mb_tv_map(s->p->td, s->rows, NULL);
	mb_tv_str(s->p->td, m, "headline", h);
	mb_tv_printf(s->p->td, m, "url", "/newsroom/items/%s/%s", c, l);
	mb_tv_str(s->p->td, m, "lang", t->language);
	mb_tv_str(s->p->td, m, "of_headline", oh != NULL ? oh : t->of_uri);
	mb_tv_printf(s->p->td, m, "of_url", "/newsroom/items/%s/%s", oc, ol);
	mb_tv_int(s->p->td, m, "of_version", t->of_version);
	mb_tv_int(s->p->td, m, "of_current", t->current);
	if (engines(s->r) && (draft || mb_req_role(s->r) >= MB_ROLE_EDITOR))
		mb_tv_printf(s->p->td, m, "again_url",
		    "/newsroom/items/%s/%s/mt", oc, ol);
	free(h);
	free(oh);
	s->n++;
	return MB_OK;
}

static void
stale_list(struct mb_req *r)
{
	struct mb_newsroom_env	 e;
	struct mb_actor		 a;
	struct mb_page		 p;
	struct stale_rows	 s;
	struct mb_diag		 d = { "" };
	int			 rc;

	if (!mb_nr_staff_or_login(r) || !mb_req_newsroom_or_reply(r, &e))
		return;
	mb_req_actor(r, &a);
	if (!mb_nr_begin(&p, r, "nrmt.stale"))
		return;
	memset(&s, 0, sizeof(s));
	s.p = &p;
	s.r = r;
	s.e = &e;
	s.a = &a;
	s.rows = mb_tv_list(p.td, p.root, "rows");
	if ((rc = mb_store_mt_stale_list(e.st, stale_cb, &s, &d)) != MB_OK) {
		mb_page_free(&p);
		mb_resp_err(r, rc, &d);
		return;
	}
	mb_page_finish(&p, 200, "nr_mt_stale.html");
}

const struct mb_route mb_routes_nr_mt[] = {
	{ "POST", "/newsroom/items/:center/:local/mt", translate,
	  MB_ROUTE_FORM | MB_ROUTE_SMALL, "newsroom.translate" },
	{ "GET", "/newsroom/translations", stale_list, 0,
	  "newsroom.translations" },
	MB_ROUTES_END
};
