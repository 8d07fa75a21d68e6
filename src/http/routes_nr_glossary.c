/* SPDX-License-Identifier: MIT */
/*
 * The center's machine-translation glossary in the newsroom
 * (docs/translation.md): terms that must not be translated (names of
 * centers, people, places) or must be translated one way. Translators
 * read it; editors add and remove terms. The same rules as the API's
 * (api_mt.c): each entry is checked by the engine's own glossary check.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "http_int.h"
#include "mt/mt.h"
#include "nr_int.h"
#include "site_int.h"
#include "store/mt.h"

struct rows {
	struct mb_page	*p;
	struct mb_tval	*list;
	bool		 editor;
};

static int
row_cb(const struct mb_store_mt_term *t, void *arg)
{
	struct rows	*rs = arg;
	struct mb_tval	*m = mb_tv_map(rs->p->td, rs->list, NULL);

	mb_tv_str(rs->p->td, m, "from", t->src);
	mb_tv_str(rs->p->td, m, "to", t->dst);
	mb_tv_str(rs->p->td, m, "term", t->term);
	mb_tv_str(rs->p->td, m, "translation", t->translation);
	if (rs->editor)
		mb_tv_printf(rs->p->td, m, "remove", "/newsroom/glossary/%lld/"
		    "remove", (long long)t->id);
	return MB_OK;
}

/* The page; err (may be NULL) above the form, with the values given. */
static void
page(struct mb_req *r, unsigned status, const char *err)
{
	struct mb_store	*st;
	struct mb_page	 p;
	struct rows	 rs;
	struct mb_diag	 d = { "" };
	int		 rc;

	if ((st = mb_req_store_or_reply(r)) == NULL ||
	    !mb_nr_begin(&p, r, "nrmt.glossary"))
		return;
	memset(&rs, 0, sizeof(rs));
	rs.p = &p;
	rs.list = mb_tv_list(p.td, p.root, "terms");
	rs.editor = mb_req_role(r) >= MB_ROLE_EDITOR;
	if ((rc = mb_store_mt_term_list(st, row_cb, &rs, &d)) != MB_OK) {
		mb_page_free(&p);
		mb_resp_err(r, rc, &d);
		return;
	}
	if (rs.editor) {
		struct mb_tval *f = mb_tv_map(p.td, p.root, "form");

		mb_tv_str(p.td, f, "from", mb_req_form(r, "from"));
		mb_tv_str(p.td, f, "to", mb_req_form(r, "to"));
		mb_tv_str(p.td, f, "term", mb_req_form(r, "term"));
		mb_tv_str(p.td, f, "translation", mb_req_form(r,
		    "translation"));
	}
	if (err != NULL)
		mb_tv_str(p.td, mb_tv_map(p.td, p.root, "errors"), "form", err);
	if (mb_req_query(r, "done") != NULL)
		mb_tv_str(p.td, p.root, "flash", mb_page_msg(&p, "flash.saved"));
	mb_page_finish(&p, status, "nr_glossary.html");
}

static void
show(struct mb_req *r)
{
	if (!mb_nr_staff_or_login(r))
		return;
	page(r, 200, NULL);
}

static bool
editor_or_refuse(struct mb_req *r)
{
	if (!mb_nr_staff_or_login(r))
		return false;
	if (mb_req_role(r) < MB_ROLE_EDITOR) {
		page(r, 403, "only editors change the glossary");
		return false;
	}
	return true;
}

static void
add(struct mb_req *r)
{
	const char		*to = mb_req_form(r, "to");
	const char		*tr = mb_req_form(r, "translation");
	struct mb_mt_glossary	*g = NULL;
	struct mb_mt_term	 t;
	struct mb_store		*st;
	struct mb_diag		 d = { "" };
	char			 from[MB_MT_TAG_MAX + 1], dst[MB_MT_TAG_MAX + 1];
	int64_t			 id;
	int			 rc;

	if (!editor_or_refuse(r))
		return;
	memset(&t, 0, sizeof(t));
	t.from = mb_req_form(r, "from");
	t.to = to != NULL && *to != '\0' ? to : "*";
	t.term = mb_req_form(r, "term");
	t.translation = tr != NULL && *tr != '\0' ? tr : NULL;
	if (t.from == NULL || *t.from == '\0' || mb_mt_lang_norm(t.from, from,
	    &d) != MB_OK) {
		page(r, 400, "from: the language of the term, a BCP 47 tag "
		    "such as en");
		return;
	}
	if (strcmp(t.to, "*") == 0)
		snprintf(dst, sizeof(dst), "*");
	else if (mb_mt_lang_norm(t.to, dst, &d) != MB_OK) {
		page(r, 400, "to: a BCP 47 tag such as es, or empty for "
		    "every language");
		return;
	}
	if (t.term == NULL || strlen(t.term) > 255 || (t.translation != NULL &&
	    strlen(t.translation) > 255) || (rc = mb_mt_glossary_new(&t, 1, &g,
	    &d)) != MB_OK) {
		char msg[sizeof(d.msg) + 8];

		snprintf(msg, sizeof(msg), "term: %s", d.msg[0] != '\0' ?
		    d.msg : "a term of at most 255 bytes, and a translation of "
		    "at most 255, or none to keep the term");
		page(r, 400, msg);
		return;
	}
	mb_mt_glossary_free(g);
	if ((st = mb_req_store_or_reply(r)) == NULL)
		return;
	if ((rc = mb_store_mt_term_add(st, from, dst, t.term, t.translation,
	    &id, &d)) != MB_OK) {
		page(r, rc == MB_ERR_EXISTS ? 409 : mb_newsroom_http_status(rc),
		    rc == MB_ERR_EXISTS ? "term: already in the glossary" :
		    mb_diag_msg(&d, rc));
		return;
	}
	log_info("site: glossary term added id=%lld user=%s", (long long)id,
	    mb_req_user(r)->name);
	mb_nr_see_other(r, "/newsroom/glossary?done=1");
}

static void
remove_term(struct mb_req *r)
{
	const char	*s = mb_req_param(r, "id");
	struct mb_store	*st;
	struct mb_diag	 d = { "" };
	char		*end;
	long long	 id;
	int		 rc;

	if (!editor_or_refuse(r))
		return;
	id = s != NULL ? strtoll(s, &end, 10) : 0;
	if (s == NULL || *end != '\0' || id < 1) {
		mb_nr_not_found(r);
		return;
	}
	if ((st = mb_req_store_or_reply(r)) == NULL)
		return;
	if ((rc = mb_store_mt_term_remove(st, id, &d)) != MB_OK) {
		if (rc == MB_ERR_NOTFOUND)
			mb_nr_not_found(r);
		else
			mb_resp_err(r, rc, &d);
		return;
	}
	log_info("site: glossary term removed id=%lld user=%s", id,
	    mb_req_user(r)->name);
	mb_nr_see_other(r, "/newsroom/glossary?done=1");
}

const struct mb_route mb_routes_nr_glossary[] = {
	{ "GET", "/newsroom/glossary", show, 0, "newsroom.glossary" },
	{ "POST", "/newsroom/glossary", add, MB_ROUTE_FORM | MB_ROUTE_SMALL,
	  "newsroom.glossary.add" },
	{ "POST", "/newsroom/glossary/:id/remove", remove_term,
	  MB_ROUTE_FORM | MB_ROUTE_SMALL, "newsroom.glossary.remove" },
	MB_ROUTES_END
};
