/* SPDX-License-Identifier: MIT */
/* The newsroom's editor: new item, edit, preview, create and save. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/timeutil.h"
#include "http/sanitize.h"
#include "http_int.h"
#include "nr_form.h"
#include "nr_int.h"
#include "site_int.h"
#include "newsroom/pictext.h"
#include "newsroom/versions.h"
#include "text/lang.h"

/*
 * Fetches an item as the caller may see it; 200 and the view (raw holds
 * its envelope). The service's item carries the store's facts (version,
 * workflow, dates), so nothing is read back out of the envelope twice.
 */
unsigned
mb_nr_fetch(struct mb_req *r, const char *center, const char *local,
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
 * uri when it cannot be read. aud (may be NULL) gets its audience ("" when
 * it cannot be read).
 */
static void
original(struct mb_page *p, struct mb_req *r, const char *uri,
    char lang[MB_LANG_TAG_MAX + 1], json_t **orig_item, char aud[16])
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
		if (aud != NULL)
			snprintf(aud, 16, "%s", it.audience);
		if ((env = json_loadb(it.envelope, it.len, 0, NULL)) != NULL) {
			const json_t *item = json_object_get(env, "item");

			/* Its pictures' words, beside the translation's. */
			if (orig_item != NULL)
				*orig_item = json_incref(json_object_get(env,
				    "item"));

			h = json_string_value(json_object_get(json_array_get(
			    json_object_get(item, "headlines"), 0), "value"));
			body = json_string_value(json_object_get(
			    json_array_get(json_object_get(item, "bodies"), 0),
			    "value"));
			mb_tv_str(p->td, f, "of_headline", h != NULL ? h : uri);
			if (lang != NULL && mb_lang_primary(json_string_value(
			    json_object_get(item, "language")), lang) == 0)
				lang[0] = '\0';
			/* As readers see it: a text/plain body is escaped. */
			if (body != NULL && mb_item_body_html(json_array_get(
			    json_object_get(item, "bodies"), 0), &b, NULL) ==
			    MB_OK && b.len > 0)
				mb_tv_html(p->td, f, "of_body", mb_buf_cstr(&b));
			json_decref(env);
		}
		mb_nr_item_free(&it);
	}
	if (h == NULL)
		mb_tv_str(p->td, f, "of_headline", uri);
	mb_buf_free(&b);
}

/* The original's language versions, as the translator may see them. */
struct group {
	struct mb_page	*p;
	struct mb_tval	*list;
	char		 have[256];	/* ",ar,en," */
};

static int
group_cb(const struct mb_store_translation *t, void *arg)
{
	struct group	*g = arg;
	struct mb_tval	*m;
	char		 c[MB_CENTER_MAX + 1], l[MB_LOCAL_MAX + 1];
	char		 pl[MB_LANG_TAG_MAX + 1];

	if (mb_uri_parse(t->uri, c, l) != MB_OK)
		return MB_OK;
	if (mb_lang_primary(t->language, pl) == 0)
		snprintf(pl, sizeof(pl), "und");
	else if (strlen(g->have) + strlen(pl) + 2 < sizeof(g->have)) {
		strcat(g->have, pl);
		strcat(g->have, ",");
	}
	m = mb_tv_map(g->p->td, g->list, NULL);
	mb_tv_str(g->p->td, m, "lang", pl);
	mb_tv_str(g->p->td, m, "name", mb_site_lang_name(g->p->site, pl));
	mb_tv_str(g->p->td, m, "headline", t->headline);
	mb_tv_bool(g->p->td, m, "original", t->original);
	mb_tv_bool(g->p->td, m, "machine", t->by != NULL && strcmp(t->by,
	    "machine") == 0);
	mb_tv_printf(g->p->td, m, "url", "/newsroom/items/%s/%s", c, l);
	return MB_OK;
}

static bool
lacks(const struct group *g, const char *lang)
{
	char k[MB_LANG_TAG_MAX + 3];

	snprintf(k, sizeof(k), ",%s,", lang);
	return strstr(g->have, k) == NULL;
}

/*
 * The item's other language versions beside a translation form
 * ("of_versions"), and into deflang the first language none of them has:
 * the center's languages first, then the site's. orig_lang: the
 * original's primary subtag ("" when unknown).
 */
static void
translation_group(struct mb_page *p, struct mb_req *r, const char *of,
    const char *orig_lang, char deflang[MB_LANG_TAG_MAX + 1])
{
	const struct mb_i18n	*i18n = mb_site_i18n(p->site);
	struct mb_store		*st = mb_req_store_or_reply(r);
	struct group		 g;
	char			 langs[256], *save = NULL, *t;

	memset(&g, 0, sizeof(g));
	g.p = p;
	g.list = mb_tv_list(p->td, mb_tv_get(p->root, "form"), "of_versions");
	snprintf(g.have, sizeof(g.have), ",%s,", orig_lang);
	if (st == NULL || mb_store_translations(st, of, mb_req_role(r) >=
	    MB_ROLE_EDITOR, MB_AUD_PUBLIC | MB_AUD_NETWORK | MB_AUD_INTERNAL,
	    mb_time_now_ms(), group_cb, &g, NULL) != MB_OK)
		return;
	snprintf(langs, sizeof(langs), "%s", mb_req_node(r)->conf.languages);
	for (t = strtok_r(langs, ",", &save); t != NULL; t = strtok_r(NULL,
	    ",", &save)) {
		char pl[MB_LANG_TAG_MAX + 1];

		if (mb_lang_primary(t, pl) != 0 && lacks(&g, pl)) {
			snprintf(deflang, MB_LANG_TAG_MAX + 1, "%s", pl);
			return;
		}
	}
	for (size_t i = 0; i < mb_i18n_count(i18n); i++) {
		const char *code = mb_catalog_lang(mb_i18n_at(i18n, i));

		if (lacks(&g, code)) {
			snprintf(deflang, MB_LANG_TAG_MAX + 1, "%s", code);
			return;
		}
	}
}

/*
 * When the form sent back was made from an older version than the
 * current one ("version" in the form), what changed since, beside the
 * writer's text kept as they sent it: the difference between the two
 * versions, a link to it, and a button that saves their text over the
 * current version named in the form ("current"), a choice made seeing
 * it rather than a silent one. A save refused as stale (412) says so.
 */
static void
changed_since(struct mb_page *p, struct mb_req *r,
    const struct mb_item_view *v, const char *from_s, unsigned status)
{
	struct mb_newsroom_env	 e;
	struct mb_actor		 a;
	struct mb_nr_compare	 cmp;
	struct mb_tval		*ch;
	char			*end;
	long long		 from;

	if (from_s == NULL || *from_s == '\0')
		return;
	from = strtoll(from_s, &end, 10);
	if (*end != '\0' || from < 1 || from >= v->version)
		return;
	ch = mb_tv_map(p->td, p->root, "changed");
	mb_tv_int(p->td, ch, "from", from);
	mb_tv_int(p->td, ch, "to", v->version);
	mb_tv_printf(p->td, ch, "url", "/newsroom/items/%s/%s/diff?from=%lld"
	    "&to=%lld", v->center, v->local, from, (long long)v->version);
	if (status == 412)
		mb_tv_str(p->td, mb_tv_get(p->root, "errors"), "form",
		    mb_page_msg(p, "changed.notsaved"));
	mb_req_actor(r, &a);
	if (!mb_req_newsroom_or_reply(r, &e) || mb_newsroom_compare(&e, &a,
	    v->uri, from, v->version, &cmp, NULL) != MB_OK)
		return;
	mb_tv_html(p->td, ch, "headline", mb_buf_cstr(&cmp.headline));
	mb_tv_html(p->td, ch, "body", mb_buf_cstr(&cmp.body));
	mb_nr_compare_free(&cmp);
}

/*
 * The edit page of a stored item: fm (may be NULL: the stored values),
 * errors and a flash message from the caller.
 */
void
mb_nr_edit_page(struct mb_req *r, unsigned status,
    const struct mb_nr_form *given, const char *err_field,
    const char *err_msg, bool with_preview)
{
	const char		*c = mb_req_param(r, "center");
	const char		*l = mb_req_param(r, "local");
	const enum mb_role	 role = mb_req_role(r);
	struct mb_item_view	 v;
	struct mb_buf		 raw = MB_BUF_INIT, mdb = MB_BUF_INIT;
	struct mb_page		 p;
	struct mb_tval		*it, *acts, *errs;
	struct mb_nr_form		 fm;
	unsigned		 st;
	char			 action[200], ver[24];
	bool			 mine = false;

	if ((st = mb_nr_fetch(r, c, l, &v, &raw)) != 200) {
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
		mb_nr_form_check(&p, given, errs);
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
		else if (strcmp(done, "focus") == 0)
			mb_buf_puts(&b, mb_page_msg(&p, "focus.done"));
		else if (strcmp(done, "translated") == 0 ||
		    strcmp(done, "retranslated") == 0)
			mb_buf_puts(&b, mb_page_msg(&p, strcmp(done,
			    "translated") == 0 ? "nrmt.made" : "nrmt.again"));
		else if (strcmp(done, "restored") == 0)
			mb_buf_puts(&b, mb_page_msg(&p, "versions.restored"));
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
	mb_tv_printf(p.td, it, "history_url", "/newsroom/items/%s/%s/versions",
	    c, l);
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
		mb_nr_form_from_item(&v, &fm);
		mb_nr_form_body_for_editing(&fm, &mdb);
	}
	/*
	 * A form shown again (a preview, a refusal) keeps the version it
	 * was made from: given the current one, its next save would
	 * overwrite whatever changed since, unseen by its writer.
	 */
	snprintf(ver, sizeof(ver), "%lld", (long long)v.version);
	if (given == NULL)
		fm.version = ver;
	else
		changed_since(&p, r, &v, fm.version, status);
	snprintf(action, sizeof(action), "/newsroom/items/%s/%s", c, l);
	mb_nr_form_values(&p, &fm, action, p.lang);
	if (with_preview)
		mb_nr_preview(&p, &fm);
	mb_nr_pictures(&p, v.item);
	mb_nr_mt_panel(&p, r, &v);
	{
		json_t	*oi = NULL;
		char	 name[64];

		/*
		 * The pictures' words as fields on a translation, and on any
		 * item a picture of which has none in its language (from the
		 * API): elsewhere the picture form's caption is theirs.
		 */
		if (fm.of != NULL)
			original(&p, r, fm.of, NULL, &oi, NULL);
		if (fm.of != NULL || mb_newsroom_picture_lacks_text(v.item,
		    name, sizeof(name)))
			mb_nr_picture_fields(&p, r, v.item, oi);
		json_decref(oi);
	}
	if (role >= MB_ROLE_JOURNALIST) {
		mb_tv_printf(p.td, p.root, "picture_url",
		    "/newsroom/items/%s/%s/picture", c, l);
		mb_tv_printf(p.td, p.root, "picker_url",
		    "/newsroom/items/%s/%s/media", c, l);
		mb_tv_printf(p.td, p.root, "focus_url",
		    "/newsroom/items/%s/%s/focus", c, l);
		/* The script says "too large" before sending it all. */
		mb_tv_int(p.td, p.root, "picture_max",
		    mb_req_node(r)->conf.max_body);
	}
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
			if (strcmp(v.workflow, "submitted") == 0) {
				mb_tv_printf(p.td, p.root, "return_url",
				    "/newsroom/items/%s/%s/return", c, l);
				/* A refused send-back keeps its note. */
				mb_tv_str(p.td, p.root, "return_note",
				    mb_req_form(r, "note"));
			}
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
	mb_nr_edit_page(r, 200, NULL, NULL, NULL, false);
}

/* The new-item page (also after a failed create or for a preview). */
static void
new_page(struct mb_req *r, unsigned status, const struct mb_nr_form *given,
    bool with_preview, const char *err_field, const char *err_msg)
{
	struct mb_page		 p;
	struct mb_tval		*errs;
	struct mb_nr_form	 fm;
	json_t			*oi = NULL;
	char			 deflang[MB_LANG_TAG_MAX + 1] = "";
	char			 aud[16] = "";

	if (!mb_nr_begin(&p, r, "nr.newtitle"))
		return;
	if (given != NULL)
		fm = *given;
	else {
		memset(&fm, 0, sizeof(fm));
		fm.of = mb_req_query(r, "of");
		fm.format = "markdown";
	}
	if (fm.of != NULL && *fm.of != '\0') {
		char oc[MB_CENTER_MAX + 1], ol[MB_LOCAL_MAX + 1];
		char lang[MB_LANG_TAG_MAX + 1] = "";

		if (mb_uri_parse(fm.of, oc, ol) == MB_OK) {
			/* The form first, for the original beside it. */
			mb_tv_map(p.td, p.root, "form");
			original(&p, r, fm.of, lang, &oi, aud);
			translation_group(&p, r, fm.of, lang, deflang);
			/*
			 * A new translation is for the original's readers:
			 * its audience first (a network item's is not public).
			 */
			if (given == NULL && aud[0] != '\0')
				fm.audience = aud;
			mb_tv_printf(p.td, mb_tv_get(p.root, "form"), "of_url",
			    "/newsroom/items/%s/%s", oc, ol);
		}
	}
	mb_nr_form_values(&p, &fm, "/newsroom/new", deflang[0] ? deflang :
	    p.lang);
	/* The original's pictures come along, their words to translate. */
	if (oi != NULL)
		mb_nr_picture_fields(&p, r, NULL, oi);
	json_decref(oi);
	errs = mb_tv_map(p.td, p.root, "errors");
	if (given != NULL && !with_preview && err_field == NULL)
		mb_nr_form_check(&p, &fm, errs);
	if (err_field != NULL && strcmp(err_field, "service") == 0)
		mb_nr_service_error(&p, errs, err_msg);
	else if (err_field != NULL)
		mb_tv_str(p.td, errs, err_field, err_msg);
	if (with_preview)
		mb_nr_preview(&p, &fm);
	mb_page_finish(&p, status, "nr_edit.html");
}

/*
 * A person's translation takes the original's pictures along (the
 * original as the translator may see it), with the words the form gives
 * for each in the translation's language; a picture left without them
 * keeps the original's, marked as in the original's language.
 */
static void
translation_pictures(const struct mb_newsroom_env *e,
    const struct mb_actor *a, const char *of, struct mb_req *r,
    json_t *item)
{
	struct mb_nr_item	 it;
	json_t			*env;

	if (mb_newsroom_get(e, a, of, 0, &it, NULL) != MB_OK)
		return;
	if ((env = json_loadb(it.envelope, it.len, 0, NULL)) != NULL) {
		const json_t *oi = json_object_get(env, "item");

		if (mb_newsroom_pictures_copy(item, oi, json_string_value(
		    json_object_get(oi, "language"))) == MB_OK) {
			mb_nr_picture_fields_apply(r, item);
			mb_nr_picture_inline_fallback(item);
		}
		json_decref(env);
	}
	mb_nr_item_free(&it);
}

static void
new_item(struct mb_req *r)
{
	if (!mb_nr_staff_or_login(r))
		return;
	new_page(r, 200, NULL, false, NULL, NULL);
}
static void
create(struct mb_req *r)
{
	struct mb_nr_form		 fm;
	struct mb_newsroom_env	 e;
	struct mb_actor		 a;
	struct mb_nr_saved	 sv;
	struct mb_diag		 d = { "" };
	struct mb_buf		 html = MB_BUF_INIT;
	json_t			*item, *meta;
	const char		*bad;
	char			 to[200];
	unsigned		 status = 0;
	int			 rc;

	if (!mb_nr_staff_or_login(r))
		return;
	mb_nr_form_from_request(r, &fm);
	if (mb_nr_form_bad(r, &bad, to, sizeof(to))) {
		new_page(r, 422, &fm, false, bad, to);
		return;
	}
	if (mb_nr_is_preview(r)) {
		new_page(r, 200, &fm, true, NULL, NULL);
		return;
	}
	if (!mb_nr_form_ok(r, &fm)) {
		new_page(r, 422, &fm, false, NULL, NULL);
		return;
	}
	if ((rc = mb_nr_form_render(&fm, &html, &d)) != MB_OK) {
		new_page(r, mb_newsroom_http_status(rc), &fm, false, "body",
		    mb_diag_msg(&d, rc));
		return;
	}
	item = json_object();
	mb_nr_form_to_item(&fm, item);
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
	if (fm.of != NULL && *fm.of != '\0')
		translation_pictures(&e, &a, fm.of, r, item);
	rc = mb_newsroom_create(&e, &a, item, meta, &sv, &d);
	json_decref(meta);
	if (rc != MB_OK) {
		const char *msg = mb_diag_msg(&d, rc);

		status = mb_newsroom_http_status(rc);
		/* The error next to its field; a translation's original and
		 * its pictures' fields (as sent) beside the form again. */
		new_page(r, status >= 400 ? status : 500, &fm, false,
		    "service", msg);
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
	struct mb_nr_form		 fm;
	struct mb_newsroom_env	 e;
	struct mb_actor		 a;
	struct mb_nr_precond	 pre;
	struct mb_nr_saved	 sv;
	struct mb_diag		 d = { "" };
	struct mb_buf		 html = MB_BUF_INIT;
	json_t			*item, *hints;
	const char		*over = NULL, *bad;
	char			 uri[MB_URI_MAX], to[200];
	unsigned		 status = 0;
	int			 rc;

	if (!mb_nr_staff_or_login(r))
		return;
	mb_nr_form_from_request(r, &fm);
	if (mb_nr_form_bad(r, &bad, to, sizeof(to))) {
		mb_nr_edit_page(r, 422, &fm, bad, to, false);
		return;
	}
	if (mb_nr_is_preview(r)) {
		mb_nr_edit_page(r, 200, &fm, NULL, NULL, true);
		return;
	}
	if (!mb_nr_form_ok(r, &fm)) {
		mb_nr_edit_page(r, 422, &fm, NULL, NULL, false);
		return;
	}
	if ((status = mb_nr_fetch(r, c, l, &v, &raw)) != 200) {
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
	if ((rc = mb_nr_form_render(&fm, &html, &d)) != MB_OK) {
		json_decref(item);
		mb_nr_edit_page(r, mb_newsroom_http_status(rc), &fm, "body",
		    mb_diag_msg(&d, rc), false);
		return;
	}
	mb_nr_form_to_item(&fm, item);
	if (mb_nr_picture_fields_long(r, item, to, sizeof(to))) {
		json_decref(item);
		mb_buf_free(&html);
		mb_nr_edit_page(r, 422, &fm, "form", to, false);
		return;
	}
	mb_nr_picture_fields_apply(r, item);
	mb_buf_free(&html);
	json_object_del(item, "version");
	json_object_del(item, "versionCreated");
	hints = json_pack("{s:s}", "audience", fm.audience != NULL &&
	    *fm.audience ? fm.audience : "public");
	/*
	 * The form carries the version it was made from: a stale save 412s
	 * and the form comes back with what changed. Saving over it is a
	 * second choice, made seeing the change ("overwrite"), and holds for
	 * the version then shown ("current"), not for any later one.
	 */
	{
		const char *d0 = mb_req_form(r, "do");

		if (d0 != NULL && strcmp(d0, "overwrite") == 0)
			over = mb_req_form(r, "current");
	}
	if (mb_if_match_parse(over != NULL ? over : fm.version, &pre) != 0 ||
	    mb_uri_make(uri, sizeof(uri), c, l) != MB_OK) {
		json_decref(item);
		json_decref(hints);
		mb_nr_edit_page(r, 400, &fm, "form", "the form lost the "
		    "version it was made from; open the item again", false);
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
	if (rc != MB_OK && sv.code != NULL && strcmp(sv.code, "no_alt") ==
	    0) {
		struct mb_buf m = MB_BUF_INIT;

		mb_nr_msg(r, "picture.noalt", sv.what, &m);
		mb_nr_edit_page(r, 422, &fm, "form", mb_buf_cstr(&m), false);
		mb_buf_free(&m);
		return;
	}
	if (rc == MB_ERR_CONFLICT) {
		/* The page says what changed, the writer's text kept. */
		mb_nr_edit_page(r, 412, &fm, NULL, NULL, false);
		return;
	}
	if (rc != MB_OK) {
		mb_nr_edit_page(r, mb_newsroom_http_status(rc), &fm, "form",
		    mb_diag_msg(&d, rc), false);
		return;
	}
	mb_nr_saved_free(&sv);
	(void)status;
	snprintf(to, sizeof(to), "/newsroom/items/%s/%s?done=saved", c, l);
	mb_nr_see_other(r, to);
}

const struct mb_route mb_routes_nr_edit[] = {
	{ "GET", "/newsroom/new", new_item, 0, "newsroom.new" },
	{ "POST", "/newsroom/new", create, MB_ROUTE_FORM, "newsroom.create" },
	{ "GET", "/newsroom/items/:center/:local", edit, 0, "newsroom.edit" },
	{ "POST", "/newsroom/items/:center/:local", save, MB_ROUTE_FORM,
	  "newsroom.save" },
	MB_ROUTES_END
};
