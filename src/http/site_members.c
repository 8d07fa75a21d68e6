/* SPDX-License-Identifier: MIT */
/* The network's directory on the site: /<lang>/members and a member's profile. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http_int.h"
#include "item/id.h"
#include "members/members.h"
#include "site_members_int.h"

/*
 * Server-rendered, no JavaScript, every value escaped by the templates.
 * The rules are src/members/'s: the pages show what mb_members_directory()
 * gives the actor (a reader: public profiles; a signed-in member or staff:
 * network ones too) — profiles of every center, as the exchange brought
 * them, current and usable only, so a suspended or removed member is gone
 * as soon as the signed withdrawal has arrived. Profiles carry no contact
 * field, so no page can show one.
 */

#define DIRECTORY_MAX 500

const char *
mb_mp_lang_or_404(struct mb_req *r)
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

bool
mb_mp_begin(struct mb_page *p, struct mb_req *r, const char *lang,
    const char *rest, const char *title)
{
	const struct mb_http_user	*u = mb_req_user(r);

	if (!mb_page_begin(p, r, lang, rest))
		return false;
	mb_tv_str(p->td, mb_tv_map(p->td, p->root, "page"), "title",
	    mb_page_msg(p, title));
	if (u != NULL) {
		struct mb_tval *m = mb_tv_map(p->td, p->root, "user");

		mb_resp_private(r);
		mb_tv_str(p->td, m, "name", u->name);
		mb_tv_str(p->td, m, "csrf", u->csrf);
	}
	mb_tv_printf(p->td, p->root, "login", "/%s/login?next=/%s%s", p->lang,
	    p->lang, rest);
	return true;
}

const char *
mb_mp_category(struct mb_page *p, const char *code)
{
	char k[64];

	snprintf(k, sizeof(k), "mem.cat.%s", code);
	return mb_page_msg(p, k);
}

/* ---- the directory ---- */

/* Distinct values seen, for the filters' choices (small: a directory). */
struct seen {
	json_t	*countries, *languages, *centers;	/* objects as sets */
};

struct dir_walk {
	struct mb_page	*p;
	struct mb_store	*st;
	struct mb_tval	*list;
	struct seen	*seen;		/* the unfiltered pass; else NULL */
	int		 n;
};

static void
put_profile(struct mb_page *p, struct mb_store *st, struct mb_tval *m,
    const json_t *prof)
{
	const char	*uri = json_string_value(json_object_get(prof, "uri"));
	const char	*center = json_string_value(json_object_get(prof,
			    "center"));
	const char	*s;
	char		 c[MB_CENTER_MAX + 1], l[MB_LOCAL_MAX + 1];
	char		 name[256];
	struct mb_tval	*langs;
	json_t		*v;
	size_t		 i;

	mb_tv_str(p->td, m, "name", json_string_value(json_object_get(prof,
	    "name")));
	if (uri != NULL && mb_uri_parse(uri, c, l) == MB_OK)
		mb_tv_printf(p->td, m, "url", "/%s/members/%s/%s", p->lang, c,
		    l);
	if ((s = json_string_value(json_object_get(prof, "category"))) !=
	    NULL)
		mb_tv_str(p->td, m, "category", mb_mp_category(p, s));
	mb_tv_str(p->td, m, "country", json_string_value(json_object_get(prof,
	    "country")));
	if ((s = json_string_value(json_object_get(prof, "affiliation"))) !=
	    NULL && s[0] != '\0')
		mb_tv_str(p->td, m, "affiliation", s);
	if (center != NULL) {
		mb_site_center_name(st, center, p->lang, name, sizeof(name));
		mb_tv_str(p->td, m, "center", name);
		mb_tv_str(p->td, m, "centerid", center);
	}
	/* The photo, through the site's picture code, as an item's. */
	if (json_is_object(json_object_get(prof, "photo"))) {
		json_t *it = json_pack("{s:[O]}", "associations",
		    json_object_get(prof, "photo"));

		if (it != NULL) {
			mb_site_thumb(p, m, it);
			mb_site_media(p, m, it, json_string_value(
			    json_object_get(prof, "name")));
		}
		json_decref(it);
	}
	langs = mb_tv_list(p->td, m, "languages");
	json_array_foreach(json_object_get(prof, "languages"), i, v) {
		struct mb_tval *x = mb_tv_map(p->td, langs, NULL);

		mb_tv_str(p->td, x, "code", json_string_value(v));
		mb_tv_str(p->td, x, "name", mb_site_lang_name(p->site,
		    json_string_value(v)));
	}
}

static int
dir_cb(const json_t *prof, void *arg)
{
	struct dir_walk	*w = arg;
	json_t		*v;
	size_t		 i;

	if (w->seen != NULL) {
		json_object_set_new(w->seen->countries, json_string_value(
		    json_object_get(prof, "country")) ?: "", json_true());
		json_object_set_new(w->seen->centers, json_string_value(
		    json_object_get(prof, "center")) ?: "", json_true());
		json_array_foreach(json_object_get(prof, "languages"), i, v)
			if (json_is_string(v))
				json_object_set_new(w->seen->languages,
				    json_string_value(v), json_true());
		return MB_OK;
	}
	put_profile(w->p, w->st, mb_tv_map(w->p->td, w->list, NULL), prof);
	w->n++;
	return MB_OK;
}

/* A filter's choices: "any", then each value seen, the given one selected. */
static void
choices(struct mb_page *p, struct mb_store *st, const char *key,
    const json_t *set, const char *sel, int kind)
{
	struct mb_tval	*list = mb_tv_list(p->td, mb_tv_get(p->root,
			    "filters"), key);
	const char	*k;
	json_t		*v;
	char		 name[256];

	json_object_foreach((json_t *)set, k, v) {
		struct mb_tval *o;

		if (k[0] == '\0')
			continue;
		o = mb_tv_map(p->td, list, NULL);
		mb_tv_str(p->td, o, "code", k);
		if (kind == 1)
			mb_tv_str(p->td, o, "name", mb_site_lang_name(p->site,
			    k));
		else if (kind == 2) {
			mb_site_center_name(st, k, p->lang, name,
			    sizeof(name));
			mb_tv_str(p->td, o, "name", name);
		} else
			mb_tv_str(p->td, o, "name", k);
		mb_tv_bool(p->td, o, "selected", sel != NULL &&
		    strcmp(sel, k) == 0);
	}
}

static void
directory(struct mb_req *r)
{
	const char			*lang = mb_mp_lang_or_404(r);
	struct mb_newsroom_env		 e;
	struct mb_directory_filter	 f, all;
	struct mb_actor			 a;
	struct mb_page			 p;
	struct dir_walk			 w;
	struct seen			 seen;
	struct mb_tval			*cats;
	struct mb_diag			 d = { "" };
	int				 rc;

	if (lang == NULL || !mb_req_newsroom_or_reply(r, &e))
		return;
	mb_req_actor(r, &a);
	memset(&f, 0, sizeof(f));
	f.category = mb_req_query(r, "category");
	f.country = mb_req_query(r, "country");
	f.language = mb_req_query(r, "language");
	f.center = mb_req_query(r, "center");
	f.limit = DIRECTORY_MAX;
	if (!mb_mp_begin(&p, r, lang, "/members", "mem.title"))
		return;
	memset(&w, 0, sizeof(w));
	w.p = &p;
	w.st = e.st;
	seen.countries = json_object();
	seen.languages = json_object();
	seen.centers = json_object();
	/* First the choices (every profile the actor sees), then the list. */
	memset(&all, 0, sizeof(all));
	all.limit = DIRECTORY_MAX;
	w.seen = &seen;
	if ((rc = mb_members_directory(&e, &a, &all, dir_cb, &w, &d)) ==
	    MB_OK) {
		w.seen = NULL;
		w.list = mb_tv_list(p.td, p.root, "members");
		rc = mb_members_directory(&e, &a, &f, dir_cb, &w, &d);
	}
	if (rc == MB_OK) {
		cats = mb_tv_list(p.td, mb_tv_map(p.td, p.root, "filters"),
		    "categories");	/* the one "filters" map */
		for (int i = 0; mb_member_categories[i] != NULL; i++) {
			struct mb_tval *o = mb_tv_map(p.td, cats, NULL);

			mb_tv_str(p.td, o, "code", mb_member_categories[i]);
			mb_tv_str(p.td, o, "name", mb_mp_category(&p,
			    mb_member_categories[i]));
			mb_tv_bool(p.td, o, "selected", f.category != NULL &&
			    strcmp(f.category, mb_member_categories[i]) == 0);
		}
		choices(&p, e.st, "countries", seen.countries, f.country, 0);
		choices(&p, e.st, "languages", seen.languages, f.language, 1);
		choices(&p, e.st, "centers", seen.centers, f.center, 2);
		mb_tv_int(p.td, p.root, "count", w.n);
	}
	json_decref(seen.countries);
	json_decref(seen.languages);
	json_decref(seen.centers);
	mb_page_finish_rc(&p, rc, &d, 200, "members.html");
}

/* ---- a profile ---- */

static void
profile(struct mb_req *r)
{
	const char		*lang = mb_mp_lang_or_404(r);
	struct mb_newsroom_env	 e;
	struct mb_actor		 a;
	struct mb_page		 p;
	struct mb_tval		*m, *bios;
	struct mb_diag		 d = { "" };
	json_t			*prof = NULL, *v;
	const char		*k;
	char			 uri[MB_URI_MAX], rest[MB_URI_MAX + 16];
	int			 rc;

	if (lang == NULL)
		return;
	if (mb_uri_make(uri, sizeof(uri), mb_req_param(r, "center"),
	    mb_req_param(r, "local")) != MB_OK) {
		if (!mb_site_not_found(r))
			mb_resp_error(r, 404, "not_found", "no such member");
		return;
	}
	if (!mb_req_newsroom_or_reply(r, &e))
		return;
	mb_req_actor(r, &a);
	if ((rc = mb_members_profile(&e, &a, uri, &prof, &d)) != MB_OK) {
		/* Withdrawn, unknown or not for this reader: the same 404. */
		if (rc != MB_ERR_NOTFOUND || !mb_site_not_found(r))
			mb_resp_err(r, rc, &d);
		return;
	}
	snprintf(rest, sizeof(rest), "/members/%s/%s", mb_req_param(r,
	    "center"), mb_req_param(r, "local"));
	if (!mb_mp_begin(&p, r, lang, rest, "mem.profile")) {
		json_decref(prof);
		return;
	}
	mb_tv_str(p.td, mb_tv_map(p.td, p.root, "page"), "title",
	    json_string_value(json_object_get(prof, "name")));
	m = mb_tv_map(p.td, p.root, "member");
	put_profile(&p, e.st, m, prof);
	/* The bio in the page's language first, then the others. */
	bios = mb_tv_list(p.td, m, "bios");
	for (int pass = 0; pass < 2; pass++)
		json_object_foreach(json_object_get(prof, "bio"), k, v) {
			struct mb_tval *b;

			if ((strcmp(k, lang) == 0) != (pass == 0) ||
			    !json_is_string(v))
				continue;
			b = mb_tv_map(p.td, bios, NULL);
			mb_tv_str(p.td, b, "lang", k);
			mb_tv_str(p.td, b, "langname", mb_site_lang_name(p.site,
			    k));
			mb_tv_str(p.td, b, "text", json_string_value(v));
		}
	json_decref(prof);
	mb_page_finish(&p, 200, "member.html");
}

const struct mb_route mb_routes_site_members[] = {
	{ "GET", "/:lang/members", directory, 0, "site.members" },
	{ "GET", "/:lang/members/:center/:local", profile, 0,
	  "site.member" },
	MB_ROUTES_END
};
