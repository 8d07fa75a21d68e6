/* SPDX-License-Identifier: MIT */
/*
 * People in the browser newsroom: admins list users, add them, change
 * roles, disable and enable them, set a password or make a one-time
 * reset link, and revoke anyone's tokens; everyone signed in changes
 * their own password and lists, makes and revokes their own tokens.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "base/log.h"
#include "base/timeutil.h"
#include "http_int.h"
#include "newsroom/accounts.h"
#include "nr_int.h"

/*
 * Every change goes through newsroom/accounts_rules.c, as the JSON API's
 * do, so one table of docs/permissions.md holds for both. A refused form
 * answers its page again with the service's reason above it and the
 * status the API would give; nothing has changed.
 */

/*
 * Every role a user may hold: a row's menu shows the one they have, and
 * posting the row unchanged must keep it (a learner missing here showed
 * as the first, Admin, and one click promoted them).
 */
static const char *const roles[] = { "admin", "editor", "journalist",
	"translator", "member", "learner" };

/* What a page shows besides the lists: a message, a secret shown once. */
struct shown {
	unsigned	 status;
	const char	*error;		/* the service's reason, or NULL */
	const char	*flash;		/* a catalog key, or NULL */
	const char	*token;		/* a new token, shown once */
	const char	*reset_user, *reset_url;
};

static void
role_options(struct mb_page *p, struct mb_tval *list, const char *sel)
{
	for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++) {
		struct mb_tval	*o = mb_tv_map(p->td, list, NULL);
		char		 k[32];

		snprintf(k, sizeof(k), "role.%s", roles[i]);
		mb_tv_str(p->td, o, "code", roles[i]);
		mb_tv_str(p->td, o, "name", mb_page_msg(p, k));
		mb_tv_bool(p->td, o, "selected", sel != NULL &&
		    strcmp(sel, roles[i]) == 0);
	}
}

struct lists {
	struct mb_page	*p;
	struct mb_tval	*list;
	const char	*self;
};

static int
user_cb(const struct mb_user *u, void *arg)
{
	struct lists	*ls = arg;
	struct mb_page	*p = ls->p;
	struct mb_tval	*m = mb_tv_map(p->td, ls->list, NULL);
	char		 k[32];

	mb_tv_str(p->td, m, "name", u->name);
	snprintf(k, sizeof(k), "role.%s", u->role);
	mb_tv_str(p->td, m, "role", mb_page_msg(p, k));
	mb_tv_printf(p->td, m, "url", "/newsroom/people/%s", u->name);
	mb_tv_bool(p->td, m, "disabled", u->disabled);
	mb_tv_bool(p->td, m, "self", strcmp(u->name, ls->self) == 0);
	mb_page_date(p, m, "created", u->created_ms);
	role_options(p, mb_tv_list(p->td, m, "roles"), u->role);
	return MB_OK;
}

static int
token_cb(const struct mb_token_info *t, void *arg)
{
	struct lists	*ls = arg;
	struct mb_page	*p = ls->p;
	struct mb_tval	*m = mb_tv_map(p->td, ls->list, NULL);

	mb_tv_str(p->td, m, "id", t->id);
	mb_tv_str(p->td, m, "user", t->user);
	mb_tv_printf(p->td, m, "revoke", "/newsroom/tokens/%s/revoke", t->id);
	mb_page_date(p, m, "created", t->created_ms);
	return MB_OK;
}

static void
put_shown(struct mb_page *p, const struct shown *sh)
{
	if (sh->error != NULL)
		mb_tv_str(p->td, mb_tv_map(p->td, p->root, "errors"), "form",
		    sh->error);
	if (sh->flash != NULL)
		mb_tv_str(p->td, p->root, "flash", mb_page_msg(p, sh->flash));
	if (sh->token != NULL)
		mb_tv_str(p->td, p->root, "new_token", sh->token);
	if (sh->reset_url != NULL) {
		struct mb_tval *m = mb_tv_map(p->td, p->root, "reset");

		mb_tv_str(p->td, m, "user", sh->reset_user);
		mb_tv_str(p->td, m, "url", sh->reset_url);
	}
}

/* The admins' page: every user and every token. */
static void
people_page(struct mb_req *r, const struct shown *sh)
{
	const struct mb_http_user	*u = mb_req_user(r);
	struct mb_store			*st;
	struct mb_actor			 a;
	struct mb_page			 p;
	struct lists			 ls;
	struct mb_diag			 d = { "" };
	int				 rc;

	mb_req_actor(r, &a);
	if ((rc = mb_accounts_may_manage(&a, &d)) != MB_OK) {
		mb_resp_err(r, rc, &d);
		return;
	}
	if ((st = mb_req_store_or_reply(r)) == NULL)
		return;
	if (!mb_nr_begin(&p, r, "people.title"))
		return;
	put_shown(&p, sh);
	role_options(&p, mb_tv_list(p.td, p.root, "roles"), "journalist");
	ls.p = &p;
	ls.self = u->name;
	ls.list = mb_tv_list(p.td, p.root, "users");
	if ((rc = mb_store_user_list(st, user_cb, &ls, &d)) == MB_OK) {
		ls.list = mb_tv_list(p.td, p.root, "tokens");
		rc = mb_accounts_token_list_as(st, &a, NULL, token_cb, &ls,
		    &d);
	}
	mb_page_finish_rc(&p, rc, &d, sh->status, "nr_people.html");
}

/* Anyone's own page: their password and their tokens. */
static void
account_page(struct mb_req *r, const struct shown *sh)
{
	const struct mb_http_user	*u = mb_req_user(r);
	struct mb_store			*st;
	struct mb_actor			 a;
	struct mb_page			 p;
	struct lists			 ls;
	struct mb_diag			 d = { "" };
	int				 rc;

	if ((st = mb_req_store_or_reply(r)) == NULL)
		return;
	if (!mb_nr_begin(&p, r, "account.title"))
		return;
	put_shown(&p, sh);
	mb_req_actor(r, &a);
	ls.p = &p;
	ls.self = u->name;
	ls.list = mb_tv_list(p.td, p.root, "tokens");
	rc = mb_accounts_token_list_as(st, &a, NULL, token_cb, &ls, &d);
	mb_page_finish_rc(&p, rc, &d, sh->status, "nr_account.html");
}

static void
people(struct mb_req *r)
{
	struct shown	 sh = { 200, NULL, NULL, NULL, NULL, NULL };
	const char	*done = mb_req_query(r, "done");

	if (!mb_nr_user_or_login(r))
		return;
	if (done != NULL && strcmp(done, "saved") == 0)
		sh.flash = "flash.saved";
	people_page(r, &sh);
}

static void
account(struct mb_req *r)
{
	struct shown	 sh = { 200, NULL, NULL, NULL, NULL, NULL };
	const char	*done = mb_req_query(r, "done");

	if (!mb_nr_user_or_login(r))
		return;
	if (done != NULL && strcmp(done, "password") == 0)
		sh.flash = "account.changed";
	else if (done != NULL && strcmp(done, "revoked") == 0)
		sh.flash = "account.revoked";
	account_page(r, &sh);
}

/* The page again with the service's refusal, or 303 when it went well. */
static void
answer(struct mb_req *r, bool admin_page, int rc, struct mb_diag *d,
    const char *ok_to)
{
	struct shown sh = { 200, NULL, NULL, NULL, NULL, NULL };

	if (rc == MB_OK) {
		mb_nr_see_other(r, ok_to);
		return;
	}
	if (rc == MB_ERR_STORE || rc == MB_ERR_NOSPACE || rc == MB_ERR_IO) {
		mb_resp_err(r, rc, d);
		return;
	}
	sh.status = mb_newsroom_http_status(rc);
	sh.error = mb_diag_msg(d, rc);
	if (admin_page)
		people_page(r, &sh);
	else
		account_page(r, &sh);
}

static void
user_add(struct mb_req *r)
{
	const char	*name = mb_req_form(r, "name");
	const char	*role = mb_req_form(r, "role");
	const char	*pw = mb_req_form(r, "password");
	struct mb_store	*st;
	struct mb_actor	 a;
	struct mb_diag	 d = { "" };
	int		 rc;

	if (!mb_nr_user_or_login(r))
		return;
	mb_req_actor(r, &a);
	if ((rc = mb_accounts_may_manage(&a, &d)) != MB_OK) {
		mb_resp_err(r, rc, &d);
		return;
	}
	if ((st = mb_req_store_or_reply(r)) == NULL)
		return;
	if (name == NULL || *name == '\0')
		rc = mb_diag_set(&d, MB_ERR_INVAL, "name: give the new "
		    "user's name");
	else
		rc = mb_accounts_user_add(st, name, role != NULL ? role : "",
		    pw != NULL && *pw != '\0' ? pw : NULL, &d);
	if (rc == MB_OK)
		log_info("site: user added name=%s role=%s by=%s", name, role,
		    a.name);
	answer(r, true, rc, &d, "/newsroom/people?done=saved");
}

/* One change to one user: do = role, disable, enable, password, reset. */
static void
user_change(struct mb_req *r)
{
	const char		*name = mb_req_param(r, "name");
	const char		*op = mb_req_form(r, "do");
	struct mb_user_change	 c = { NULL, NULL, -1 };
	struct mb_store		*st;
	struct mb_actor		 a;
	struct mb_diag		 d = { "" };
	int			 rc;

	if (!mb_nr_user_or_login(r))
		return;
	mb_req_actor(r, &a);
	if ((rc = mb_accounts_may_manage(&a, &d)) != MB_OK) {
		mb_resp_err(r, rc, &d);
		return;
	}
	if ((st = mb_req_store_or_reply(r)) == NULL)
		return;
	if (op != NULL && strcmp(op, "reset") == 0) {
		char		secret[MB_SECRET_TEXT_LEN], url[384];
		struct shown	sh = { 200, NULL, "people.resetmade", NULL,
				    name, url };

		if ((rc = mb_accounts_reset_new_as(st, &a, name, secret, &d)) !=
		    MB_OK) {
			answer(r, true, rc, &d, NULL);
			return;
		}
		snprintf(url, sizeof(url), "%s/newsroom/reset?key=%s",
		    mb_req_node(r)->conf.url, secret);
		sodium_memzero(secret, sizeof(secret));
		log_info("site: reset link made user=%s by=%s", name, a.name);
		people_page(r, &sh);
		sodium_memzero(url, sizeof(url));
		return;
	}
	if (op != NULL && strcmp(op, "role") == 0)
		c.role = mb_req_form(r, "role") != NULL ?
		    mb_req_form(r, "role") : "";
	else if (op != NULL && strcmp(op, "disable") == 0)
		c.disabled = 1;
	else if (op != NULL && strcmp(op, "enable") == 0)
		c.disabled = 0;
	else if (op != NULL && strcmp(op, "password") == 0)
		c.password = mb_req_form(r, "password") != NULL ?
		    mb_req_form(r, "password") : "";
	else {
		answer(r, true, mb_diag_set(&d, MB_ERR_INVAL, "do: one of "
		    "role, disable, enable, password, reset"), &d, NULL);
		return;
	}
	rc = mb_accounts_user_change_as(st, &a, name, &c, &d);
	if (rc == MB_OK)
		log_info("site: user changed name=%s do=%s by=%s", name, op,
		    a.name);
	/* One's own new password ended this session too: a new one, as
	 * own_password gives, instead of signing the admin out. */
	if (rc == MB_OK && c.password != NULL && strcmp(name, a.name) == 0 &&
	    (rc = mb_nr_session_start(r, st, a.user_id, &d)) != MB_OK) {
		mb_resp_err(r, rc, &d);
		return;
	}
	answer(r, true, rc, &d, "/newsroom/people?done=saved");
}

/* One's own password; a new session replaces the ones it ended. */
static void
own_password(struct mb_req *r)
{
	const char	*cur = mb_req_form(r, "current");
	const char	*pw = mb_req_form(r, "password");
	const char	*pw2 = mb_req_form(r, "password2");
	struct mb_store	*st;
	struct mb_actor	 a;
	struct mb_diag	 d = { "" };
	int		 rc;

	if (!mb_nr_user_or_login(r))
		return;
	if ((st = mb_req_store_or_reply(r)) == NULL)
		return;
	mb_req_actor(r, &a);
	if (mb_throttle_check(mb_req_throttle(r), a.name, mb_req_client(r),
	    mb_time_now_ms()) > 0)
		rc = mb_diag_set(&d, MB_ERR_INVAL, "current password: too "
		    "many wrong tries; wait a quarter of an hour");
	else if (pw == NULL || pw2 == NULL || strcmp(pw, pw2) != 0)
		rc = mb_diag_set(&d, MB_ERR_INVAL, "new password: the two "
		    "do not match");
	else
		rc = mb_accounts_own_password(st, &a, cur, pw, &d);
	if (rc == MB_ERR_PERM) {
		mb_throttle_fail(mb_req_throttle(r), a.name, mb_req_client(r),
		    mb_time_now_ms());
		rc = MB_ERR_INVAL;	/* a form's mistake: 400, not 403 */
	}
	if (rc == MB_OK) {
		log_info("site: password changed user=%s", a.name);
		if ((rc = mb_nr_session_start(r, st, a.user_id, &d)) != MB_OK) {
			mb_resp_err(r, rc, &d);
			return;
		}
	}
	answer(r, false, rc, &d, "/newsroom/account?done=password");
}

static void
token_new(struct mb_req *r)
{
	const struct mb_http_user	*u;
	char				 tok[MB_SECRET_TEXT_LEN];
	struct shown			 sh = { 201, NULL, "account.tokenmade",
					    tok, NULL, NULL };
	struct mb_store			*st;
	struct mb_actor			 a;
	struct mb_diag			 d = { "" };
	int				 rc;

	if (!mb_nr_user_or_login(r))
		return;
	u = mb_req_user(r);
	if ((st = mb_req_store_or_reply(r)) == NULL)
		return;
	mb_req_actor(r, &a);
	if ((rc = mb_accounts_token_new_as(st, &a, u->name, tok, &d)) !=
	    MB_OK) {
		answer(r, false, rc, &d, NULL);
		return;
	}
	log_info("site: token made user=%s", u->name);
	account_page(r, &sh);
	sodium_memzero(tok, sizeof(tok));
}

static void
token_revoke(struct mb_req *r)
{
	const char	*id = mb_req_param(r, "id");
	const char	*back = mb_req_form(r, "back");
	bool		 admin_page = back != NULL && strcmp(back, "people") ==
			    0;
	struct mb_store	*st;
	struct mb_actor	 a;
	struct mb_diag	 d = { "" };
	int		 rc;

	if (!mb_nr_user_or_login(r))
		return;
	if ((st = mb_req_store_or_reply(r)) == NULL)
		return;
	mb_req_actor(r, &a);
	rc = mb_accounts_token_revoke_as(st, &a, id, &d);
	if (rc == MB_OK)
		log_info("site: token revoked id=%s by=%s", id, a.name);
	answer(r, admin_page, rc, &d, admin_page ?
	    "/newsroom/people?done=saved" : "/newsroom/account?done=revoked");
}

/* ---- The reset link: no session needed, the key is the credential ---- */

static void
reset_page(struct mb_req *r, unsigned status, const char *key,
    const char *who, const char *err)
{
	struct mb_page	 p;
	struct mb_tval	*m;

	if (!mb_nr_begin(&p, r, "reset.title"))
		return;
	m = mb_tv_map(p.td, p.root, "reset");
	mb_tv_str(p.td, m, "key", key);
	mb_tv_str(p.td, m, "user", who);
	if (err != NULL)
		mb_tv_str(p.td, mb_tv_map(p.td, p.root, "errors"), "form", err);
	mb_page_finish(&p, status, "nr_reset.html");
}

static void
reset_form(struct mb_req *r)
{
	const char	*key = mb_req_query(r, "key");
	struct mb_store	*st;
	struct mb_user	 u;
	struct mb_diag	 d = { "" };
	int		 rc;

	if ((st = mb_req_store_or_reply(r)) == NULL)
		return;
	if ((rc = mb_accounts_reset_user(st, key, &u, &d)) != MB_OK) {
		if (rc != MB_ERR_NOTFOUND) {
			mb_resp_err(r, rc, &d);
			return;
		}
		reset_page(r, 404, NULL, NULL, mb_diag_msg(&d, rc));
		return;
	}
	reset_page(r, 200, key, u.name, NULL);
}

static void
reset_use(struct mb_req *r)
{
	const char	*key = mb_req_form(r, "key");
	const char	*pw = mb_req_form(r, "password");
	const char	*pw2 = mb_req_form(r, "password2");
	struct mb_store	*st;
	struct mb_user	 u;
	struct mb_diag	 d = { "" };
	int		 rc;

	if ((st = mb_req_store_or_reply(r)) == NULL)
		return;
	if ((rc = mb_accounts_reset_user(st, key, &u, &d)) != MB_OK) {
		if (rc != MB_ERR_NOTFOUND)
			mb_resp_err(r, rc, &d);
		else
			reset_page(r, 404, NULL, NULL, mb_diag_msg(&d, rc));
		return;
	}
	if (pw == NULL || pw2 == NULL || strcmp(pw, pw2) != 0) {
		reset_page(r, 400, key, u.name, "new password: the two do not "
		    "match");
		return;
	}
	if ((rc = mb_accounts_reset_use(st, key, pw, &u, &d)) != MB_OK) {
		if (rc == MB_ERR_INVAL)
			reset_page(r, 400, key, u.name, mb_diag_msg(&d, rc));
		else if (rc == MB_ERR_NOTFOUND)
			reset_page(r, 404, NULL, NULL, mb_diag_msg(&d, rc));
		else
			mb_resp_err(r, rc, &d);
		return;
	}
	log_info("site: password reset used user=%s", u.name);
	if ((rc = mb_nr_session_start(r, st, u.id, &d)) != MB_OK) {
		mb_resp_err(r, rc, &d);
		return;
	}
	mb_nr_see_other(r, "/newsroom/account?done=password");
}

const struct mb_route mb_routes_nr_people[] = {
	{ "GET", "/newsroom/people", people, 0, "newsroom.people" },
	{ "POST", "/newsroom/people", user_add, MB_ROUTE_FORM |
	  MB_ROUTE_SMALL, "newsroom.user_add" },
	{ "POST", "/newsroom/people/:name", user_change, MB_ROUTE_FORM |
	  MB_ROUTE_SMALL, "newsroom.user_change" },
	{ "GET", "/newsroom/account", account, 0, "newsroom.account" },
	{ "POST", "/newsroom/account/password", own_password, MB_ROUTE_FORM |
	  MB_ROUTE_SMALL, "newsroom.password" },
	{ "POST", "/newsroom/account/tokens", token_new, MB_ROUTE_FORM |
	  MB_ROUTE_SMALL, "newsroom.token_new" },
	{ "POST", "/newsroom/tokens/:id/revoke", token_revoke, MB_ROUTE_FORM |
	  MB_ROUTE_SMALL, "newsroom.token_revoke" },
	{ "GET", "/newsroom/reset", reset_form, 0, "newsroom.reset" },
	{ "POST", "/newsroom/reset", reset_use, MB_ROUTE_FORM |
	  MB_ROUTE_SMALL, "newsroom.reset_use" },
	MB_ROUTES_END
};
