/* SPDX-License-Identifier: MIT */
/* What every newsroom page shares: the banner, redirects, web sessions. */
#include <stdio.h>
#include <string.h>

#include "base/timeutil.h"
#include "http_int.h"
#include "newsroom/accounts.h"
#include "nr_int.h"

#define SESSION_TTL_MS (12LL * 3600 * 1000)

bool
mb_nr_begin(struct mb_page *p, struct mb_req *r, const char *title)
{
	const struct mb_http_user	*u = mb_req_user(r);
	struct mb_tval			*pg;

	if (!mb_page_begin(p, r, NULL, "/newsroom/"))
		return false;
	mb_resp_private(r);
	/* The editor's small script (static/nr.js): only ever an aid. */
	p->scripts = true;
	{
		const struct mb_site_file *js = mb_site_file(p->site,
		    "nr.js");

		if (js != NULL)
			mb_tv_printf(p->td, mb_tv_get(p->root, "ui"), "js",
			    "/static/nr.js?v=%s", js->hash);
	}
	pg = mb_tv_map(p->td, p->root, "page");
	mb_tv_str(p->td, pg, "title", title != NULL ? mb_page_msg(p, title) :
	    mb_page_msg(p, "nr.title"));
	mb_tv_str(p->td, pg, "heading", title != NULL ? mb_page_msg(p,
	    title) : "");
	if (u != NULL) {
		struct mb_tval *m = mb_tv_map(p->td, p->root, "user");

		mb_tv_str(p->td, m, "name", u->name);
		mb_tv_str(p->td, m, "role", mb_role_name(u->role));
		mb_tv_str(p->td, m, "csrf", u->csrf);
		mb_tv_bool(p->td, m, "staff", u->role >= MB_ROLE_TRANSLATOR);
		mb_tv_bool(p->td, m, "admin", u->role == MB_ROLE_ADMIN);
		mb_tv_bool(p->td, m, "editor", u->role >= MB_ROLE_EDITOR);
	}
	return true;
}

void
mb_nr_see_other(struct mb_req *r, const char *to)
{
	mb_resp_see_other(r, to);
}

void
mb_nr_not_found(struct mb_req *r)
{
	if (!mb_site_not_found(r))
		mb_resp_error(r, 404, "not_found", "no such item here, or not "
		    "one you may see");
}

bool
mb_nr_staff_or_login(struct mb_req *r)
{
	const struct mb_http_user *u = mb_req_user(r);

	if (u != NULL && u->role >= MB_ROLE_TRANSLATOR)
		return true;
	mb_nr_see_other(r, "/newsroom/");
	return false;
}

bool
mb_nr_user_or_login(struct mb_req *r)
{
	if (mb_req_user(r) != NULL)
		return true;
	mb_nr_see_other(r, "/newsroom/");
	return false;
}

int
mb_nr_session_start(struct mb_req *r, struct mb_store *st, int64_t user_id,
    struct mb_diag *d)
{
	char	secret[MB_SECRET_TEXT_LEN], csrf[MB_SECRET_TEXT_LEN];
	char	cookie[200];
	int	rc;

	if ((rc = mb_accounts_session_new(st, user_id, SESSION_TTL_MS, secret,
	    csrf, d)) != MB_OK)
		return rc;
	snprintf(cookie, sizeof(cookie), "mb_session=%s; Path=/; HttpOnly; "
	    "SameSite=Strict; Max-Age=%lld%s", secret,
	    (long long)(SESSION_TTL_MS / 1000),
	    strncmp(mb_req_node(r)->conf.url, "https:", 6) == 0 ?
	    "; Secure" : "");
	mb_resp_header(r, "Set-Cookie", cookie);
	return MB_OK;
}

void
mb_nr_status_text(struct mb_page *p, struct mb_tval *m,
    const struct mb_item_view *v)
{
	const char	*state;
	char		 k[40];

	if (strcmp(v->pub_status, "usable") != 0)
		state = v->pub_status;
	else if (strcmp(v->workflow, "published") == 0 &&
	    v->embargo_ms > mb_time_now_ms())
		state = "embargoed";
	else
		state = v->workflow;
	snprintf(k, sizeof(k), "status.%s", state);
	mb_tv_str(p->td, m, "status", mb_page_msg(p, k));
	mb_tv_str(p->td, m, "state", state);
}

void
mb_nr_msg(struct mb_req *r, const char *key, const char *arg,
    struct mb_buf *out)
{
	const struct mb_site	*s = mb_site_get(NULL);
	const char		*m = key;

	if (s != NULL)
		m = mb_catalog_get(mb_i18n_negotiate(mb_site_i18n(s),
		    mb_req_cookie(r, "mb_lang"), mb_req_header(r,
		    "Accept-Language")), key);
	if (arg != NULL)
		mb_i18n_subst(m, arg, out);
	else
		mb_buf_puts(out, m);
}
