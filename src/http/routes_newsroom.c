/* SPDX-License-Identifier: MIT */
/* The newsroom in the browser: sign in and out, and the desk. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/timeutil.h"
#include "http_int.h"
#include "nr_int.h"
#include "site_int.h"

/*
 * Plain HTML forms, no JavaScript. Every change goes through the
 * newsroom service (newsroom/items.h), as the JSON API's do, so both obey
 * the one permission table of docs/permissions.md; the server checks
 * each form's CSRF token (field "csrf") before a handler runs. After a
 * change: 303 to the item. The editor is in routes_nr_edit.c (its form
 * in nr_form.c), the workflow's moves in routes_nr_actions.c.
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
	if (mb_nr_mt_stale(dk->st, v))
		mb_tv_bool(dk->p->td, m, "stale", true);
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
	rc = mb_store_list(st, &f, desk_cb, &dk, &d);
	mb_page_finish_rc(&p, rc, &d, 200, "nr_home.html");
}


const struct mb_route mb_routes_newsroom[] = {
	{ "GET", "/newsroom/", desk, 0, "newsroom.desk" },
	{ "POST", "/newsroom/login", login, MB_ROUTE_FORM | MB_ROUTE_SMALL,
	  "newsroom.login" },
	{ "POST", "/newsroom/logout", logout, MB_ROUTE_FORM | MB_ROUTE_SMALL,
	  "newsroom.logout" },
	MB_ROUTES_END
};
