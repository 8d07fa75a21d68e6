/* SPDX-License-Identifier: MIT */
/*
 * The newsroom's versions of an item: its history (who, when, what
 * state), two versions compared (server-rendered, the texts escaped),
 * and an old version restored as a new one (newsroom/versions.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/timeutil.h"
#include "http_int.h"
#include "newsroom/versions.h"
#include "nr_int.h"
#include "site_int.h"

struct hist {
	struct mb_page	*p;
	struct mb_tval	*list;
	int64_t		 current, older;	/* the compare form's picks */
	bool		 may_restore;
	char		 headline[512];
};

static int
history_cb(const struct mb_nr_version_info *v, void *arg)
{
	struct hist	*h = arg;
	struct mb_page	*p = h->p;
	struct mb_tval	*m = mb_tv_map(p->td, h->list, NULL);
	const char	*state;
	char		 k[40], t[MB_TIME_RFC3339_LEN];

	/* The compare form's picks: the one before the current, and it. */
	if (v->current) {
		h->current = v->version;
		snprintf(h->headline, sizeof(h->headline), "%s",
		    v->headline != NULL ? v->headline : "");
		mb_tv_bool(p->td, m, "to_checked", true);
	} else if (h->older == 0) {
		h->older = v->version;
		mb_tv_bool(p->td, m, "from_checked", true);
	}
	mb_tv_int(p->td, m, "version", v->version);
	mb_tv_bool(p->td, m, "current", v->current);
	mb_page_date(p, m, "date", v->created_ms);
	mb_time_format(v->created_ms, t);
	mb_tv_printf(p->td, m, "time", "%.5s", t + 11);
	mb_tv_str(p->td, m, "who", v->user);
	mb_tv_str(p->td, m, "headline", v->headline);
	mb_tv_str(p->td, m, "note", v->note);
	state = strcmp(v->pub_status, "usable") != 0 ? v->pub_status :
	    (strcmp(v->workflow, "published") == 0 && v->embargo_ms >
	    mb_time_now_ms()) ? "embargoed" : v->workflow;
	snprintf(k, sizeof(k), "status.%s", state);
	mb_tv_str(p->td, m, "state", state);
	mb_tv_str(p->td, m, "status", mb_page_msg(p, k));
	mb_tv_bool(p->td, m, "restore", h->may_restore && !v->current);
	return MB_OK;
}

static bool
uri_of(struct mb_req *r, char *uri, size_t n)
{
	return mb_uri_make(uri, n, mb_req_param(r, "center"), mb_req_param(r,
	    "local")) == MB_OK;
}

static void
history_page(struct mb_req *r, unsigned status, const char *err)
{
	const char		*c = mb_req_param(r, "center");
	const char		*l = mb_req_param(r, "local");
	struct mb_newsroom_env	 e;
	struct mb_actor		 a;
	struct mb_page		 p;
	struct mb_diag		 d = { "" };
	struct hist		 h;
	char			 uri[MB_URI_MAX];
	int			 rc;

	if (!uri_of(r, uri, sizeof(uri))) {
		mb_nr_not_found(r);
		return;
	}
	if (!mb_req_newsroom_or_reply(r, &e))
		return;
	mb_req_actor(r, &a);
	if (!mb_nr_begin(&p, r, "versions.title"))
		return;
	memset(&h, 0, sizeof(h));
	h.p = &p;
	h.list = mb_tv_list(p.td, p.root, "versions");
	h.may_restore = a.role >= MB_ROLE_JOURNALIST;
	if ((rc = mb_newsroom_history(&e, &a, uri, 0, history_cb, &h, &d)) !=
	    MB_OK) {
		mb_page_free(&p);
		if (rc == MB_ERR_NOTFOUND)
			mb_nr_not_found(r);
		else
			mb_resp_err(r, rc, &d);
		return;
	}
	mb_tv_str(p.td, p.root, "headline", h.headline);
	mb_tv_int(p.td, p.root, "current", h.current);
	mb_tv_printf(p.td, p.root, "item_url", "/newsroom/items/%s/%s", c, l);
	mb_tv_printf(p.td, p.root, "diff_url", "/newsroom/items/%s/%s/diff",
	    c, l);
	mb_tv_printf(p.td, p.root, "restore_url",
	    "/newsroom/items/%s/%s/restore", c, l);
	if (err != NULL)
		mb_tv_str(p.td, mb_tv_map(p.td, p.root, "errors"), "form", err);
	mb_page_finish(&p, status, "nr_versions.html");
}

static void
history(struct mb_req *r)
{
	if (!mb_nr_staff_or_login(r))
		return;
	history_page(r, 200, NULL);
}

static bool
version_arg(const char *s, int64_t *v)
{
	char		*end;
	long long	 n;

	if (s == NULL || *s == '\0')
		return false;
	n = strtoll(s, &end, 10);
	if (*end != '\0' || n < 1)
		return false;
	*v = n;
	return true;
}

static void
diff(struct mb_req *r)
{
	const char		*c = mb_req_param(r, "center");
	const char		*l = mb_req_param(r, "local");
	struct mb_newsroom_env	 e;
	struct mb_actor		 a;
	struct mb_nr_compare	 cmp;
	struct mb_page		 p;
	struct mb_diag		 d = { "" };
	struct mb_tval		*m;
	char			 uri[MB_URI_MAX];
	int64_t			 from, to;
	int			 rc;

	if (!mb_nr_staff_or_login(r))
		return;
	if (!uri_of(r, uri, sizeof(uri))) {
		mb_nr_not_found(r);
		return;
	}
	if (!version_arg(mb_req_query(r, "from"), &from) ||
	    !version_arg(mb_req_query(r, "to"), &to)) {
		history_page(r, 400, "from, to: pick two versions");
		return;
	}
	if (!mb_req_newsroom_or_reply(r, &e))
		return;
	mb_req_actor(r, &a);
	if ((rc = mb_newsroom_compare(&e, &a, uri, from, to, &cmp, &d)) !=
	    MB_OK) {
		if (rc == MB_ERR_NOTFOUND)
			mb_nr_not_found(r);
		else
			mb_resp_err(r, rc, &d);
		return;
	}
	if (!mb_nr_begin(&p, r, "versions.compare")) {
		mb_nr_compare_free(&cmp);
		return;
	}
	m = mb_tv_map(p.td, p.root, "diff");
	mb_tv_int(p.td, m, "from", from);
	mb_tv_int(p.td, m, "to", to);
	/* diff.h: escaped text and only del/ins/p markup. */
	mb_tv_html(p.td, m, "headline", cmp.headline.len ?
	    mb_buf_cstr(&cmp.headline) : "");
	if (cmp.byline.len > 0)
		mb_tv_html(p.td, m, "byline", mb_buf_cstr(&cmp.byline));
	mb_tv_html(p.td, m, "body", cmp.body.len ? mb_buf_cstr(&cmp.body) :
	    "");
	mb_tv_int(p.td, m, "added", (int64_t)cmp.added);
	mb_tv_int(p.td, m, "removed", (int64_t)cmp.removed);
	if (strcmp(cmp.from_lang, cmp.to_lang) != 0) {
		mb_tv_str(p.td, m, "from_lang", cmp.from_lang);
		mb_tv_str(p.td, m, "to_lang", cmp.to_lang);
	}
	mb_tv_bool(p.td, m, "same", cmp.added == 0 && cmp.removed == 0 &&
	    strstr(mb_buf_cstr(&cmp.headline), "<del>") == NULL &&
	    strstr(mb_buf_cstr(&cmp.headline), "<ins>") == NULL);
	mb_tv_printf(p.td, p.root, "history_url",
	    "/newsroom/items/%s/%s/versions", c, l);
	mb_tv_printf(p.td, p.root, "item_url", "/newsroom/items/%s/%s", c, l);
	mb_page_finish(&p, 200, "nr_diff.html");
	mb_nr_compare_free(&cmp);
}

static void
restore(struct mb_req *r)
{
	const char		*c = mb_req_param(r, "center");
	const char		*l = mb_req_param(r, "local");
	struct mb_newsroom_env	 e;
	struct mb_actor		 a;
	struct mb_nr_precond	 pre;
	struct mb_nr_saved	 sv;
	struct mb_diag		 d = { "" };
	char			 uri[MB_URI_MAX], to[200];
	int64_t			 version;
	int			 rc;

	if (!mb_nr_staff_or_login(r))
		return;
	if (!uri_of(r, uri, sizeof(uri))) {
		mb_nr_not_found(r);
		return;
	}
	if (!version_arg(mb_req_form(r, "restore"), &version)) {
		history_page(r, 422, "restore: the version to restore");
		return;
	}
	/* The form carries the version it was made from: a stale one 412s. */
	if (mb_if_match_parse(mb_req_form(r, "version"), &pre) != 0) {
		history_page(r, 400, "the form lost the current version; open "
		    "the history again");
		return;
	}
	if (!mb_req_newsroom_or_reply(r, &e))
		return;
	mb_req_actor(r, &a);
	if ((rc = mb_newsroom_restore(&e, &a, uri, version, &pre, &sv, &d)) !=
	    MB_OK) {
		history_page(r, mb_newsroom_http_status(rc), mb_diag_msg(&d,
		    rc));
		return;
	}
	log_info("site: restored uri=%s from version=%lld as version=%lld "
	    "user=%s", uri, (long long)version, (long long)sv.version,
	    mb_req_user(r)->name);
	mb_nr_saved_free(&sv);
	snprintf(to, sizeof(to), "/newsroom/items/%s/%s?done=restored", c, l);
	mb_nr_see_other(r, to);
}

const struct mb_route mb_routes_nr_versions[] = {
	{ "GET", "/newsroom/items/:center/:local/versions", history, 0,
	  "newsroom.versions" },
	{ "GET", "/newsroom/items/:center/:local/diff", diff, 0,
	  "newsroom.diff" },
	{ "POST", "/newsroom/items/:center/:local/restore", restore,
	  MB_ROUTE_FORM | MB_ROUTE_SMALL, "newsroom.restore" },
	MB_ROUTES_END
};
