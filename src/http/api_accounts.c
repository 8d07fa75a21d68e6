/* SPDX-License-Identifier: MIT */
/* Accounts over HTTP: login, logout, me, users and tokens. */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "base/log.h"
#include "base/timeutil.h"
#include "http_int.h"

#define SESSION_TTL_MS (INT64_C(12) * 3600 * 1000)

/* A string field of a JSON body or of a form. */
static const char *
field(struct mb_req *r, json_t *body, const char *name)
{
	if (body != NULL)
		return json_string_value(json_object_get(body, name));
	return mb_req_form(r, name);
}

static bool
is_form(struct mb_req *r)
{
	const char *ct = mb_req_header(r, "Content-Type");

	return ct != NULL && strncasecmp(ct,
	    "application/x-www-form-urlencoded", 33) == 0;
}

static void
login(struct mb_req *r)
{
	struct mb_store	*st;
	struct mb_user	 u;
	struct mb_diag	 d = { "" };
	json_t		*body = NULL;
	const char	*name, *pw;
	char		 secret[MB_SECRET_TEXT_LEN], csrf[MB_SECRET_TEXT_LEN];
	char		 cookie[160], ra[24];
	int64_t		 wait, now = mb_time_now_ms();
	int		 rc;

	if (!is_form(r) && (body = mb_req_json_or_reply(r)) == NULL)
		return;
	name = field(r, body, "name");
	pw = field(r, body, "password");
	if (name == NULL || pw == NULL) {
		json_decref(body);
		mb_resp_error(r, 400, "invalid", "give name and password");
		return;
	}
	if ((wait = mb_throttle_check(mb_req_throttle(r), name,
	    mb_req_client(r), now)) > 0) {
		json_decref(body);
		snprintf(ra, sizeof(ra), "%lld", (long long)wait);
		mb_resp_header(r, "Retry-After", ra);
		mb_resp_error(r, 429, "too_many_attempts", "too many failed "
		    "logins for this name from this address; try again in %lld "
		    "seconds", (long long)wait);
		return;
	}
	if ((st = mb_req_store_or_reply(r)) == NULL) {
		json_decref(body);
		return;
	}
	rc = mb_accounts_login(st, name, pw, &u, &d);
	if (rc == MB_ERR_PERM) {
		mb_throttle_fail(mb_req_throttle(r), name, mb_req_client(r),
		    now);
		log_warn("http: login failed client=%s", mb_req_client(r));
		json_decref(body);
		mb_resp_error(r, 401, "unauthorized", "wrong name or password");
		return;
	}
	json_decref(body);
	if (rc != MB_OK ||
	    (rc = mb_accounts_session_new(st, u.id, SESSION_TTL_MS, secret,
	    csrf, &d)) != MB_OK) {
		mb_resp_err(r, rc, &d);
		return;
	}
	mb_throttle_ok(mb_req_throttle(r), u.name, mb_req_client(r));
	snprintf(cookie, sizeof(cookie), "mb_session=%s; Path=/; HttpOnly; "
	    "SameSite=Strict; Max-Age=%lld%s", secret,
	    (long long)(SESSION_TTL_MS / 1000),
	    strncmp(mb_req_node(r)->conf.url, "https:", 6) == 0 ?
	    "; Secure" : "");
	mb_resp_header(r, "Set-Cookie", cookie);
	mb_resp_json(r, 200, json_pack("{s:s, s:s, s:s}", "name", u.name,
	    "role", u.role, "csrf", csrf));
}

static void
logout(struct mb_req *r)
{
	const char	*c = mb_req_cookie(r, "mb_session");
	struct mb_store	*st;
	struct mb_diag	 d = { "" };

	if (c != NULL) {
		if ((st = mb_req_store_or_reply(r)) == NULL)
			return;
		if (mb_accounts_session_end(st, c, &d) != MB_OK) {
			mb_resp_err(r, MB_ERR_STORE, &d);
			return;
		}
	}
	mb_resp_header(r, "Set-Cookie", "mb_session=; Path=/; HttpOnly; "
	    "SameSite=Strict; Max-Age=0");
	mb_resp_empty(r, 204);
}

static void
me(struct mb_req *r)
{
	const struct mb_http_user *u = mb_req_user(r);

	if (u == NULL) {
		mb_resp_error(r, 401, "unauthorized", "not signed in");
		return;
	}
	mb_resp_json(r, 200, json_pack("{s:s, s:s, s:s*}", "name", u->name,
	    "role", mb_role_name(u->role), "csrf",
	    u->session ? u->csrf : NULL));
}

/* 401 for readers, 403 for the others; true when the caller is admin. */
/* False, having answered 401, when nobody is signed in. */
static bool
signed_in_or_reply(struct mb_req *r)
{
	if (mb_req_user(r) != NULL)
		return true;
	mb_resp_error(r, 401, "unauthorized", "sign in first");
	return false;
}

static bool
admin_or_reply(struct mb_req *r)
{
	struct mb_actor	a;
	struct mb_diag	d = { "" };
	int		rc;

	if (!signed_in_or_reply(r))
		return false;
	mb_req_actor(r, &a);
	if ((rc = mb_accounts_may_manage(&a, &d)) != MB_OK) {
		mb_resp_err(r, rc, &d);
		return false;
	}
	return true;
}

/* A user as the list and GET /api/v1/users/NAME show one. */
static json_t *
user_json(const struct mb_user *u)
{
	return json_pack("{s:s, s:s, s:b}", "name", u->name, "role", u->role,
	    "disabled", u->disabled);
}

static int
add_user_json(const struct mb_user *u, void *arg)
{
	json_array_append_new(arg, user_json(u));
	return MB_OK;
}

static void
users_list(struct mb_req *r)
{
	struct mb_store	*st;
	struct mb_diag	 d = { "" };
	json_t		*a;
	int		 rc;

	if (!admin_or_reply(r) || (st = mb_req_store_or_reply(r)) == NULL)
		return;
	if ((a = json_array()) == NULL) {
		mb_resp_error(r, 503, "unavailable", "out of memory");
		return;
	}
	if ((rc = mb_store_user_list(st, add_user_json, a, &d)) != MB_OK) {
		json_decref(a);
		mb_resp_err(r, rc, &d);
		return;
	}
	mb_resp_json(r, 200, json_pack("{s:o}", "users", a));
}

/* GET /api/v1/users/NAME: where POST /api/v1/users's Location points. */
static void
users_get(struct mb_req *r)
{
	struct mb_store	*st;
	struct mb_user	 u;
	struct mb_diag	 d = { "" };
	int		 rc;

	if (!admin_or_reply(r) || (st = mb_req_store_or_reply(r)) == NULL)
		return;
	if ((rc = mb_store_user_get(st, mb_req_param(r, "name"), 0, &u, NULL,
	    0, &d)) != MB_OK) {
		mb_resp_err(r, rc, &d);
		return;
	}
	mb_resp_json(r, 200, user_json(&u));
}

static void
users_add(struct mb_req *r)
{
	struct mb_store	*st;
	struct mb_diag	 d = { "" };
	json_t		*body, *v;
	const char	*name = NULL, *role = NULL, *pw = NULL, *k;
	char		 loc[128];
	int		 rc = MB_OK;

	if (!admin_or_reply(r) || (body = mb_req_json_or_reply(r)) == NULL)
		return;
	/*
	 * As users_update: a misspelt or non-string field is refused, not
	 * dropped (a user made without the password meant for them).
	 */
	if (!json_is_object(body))
		rc = mb_diag_set(&d, MB_ERR_INVAL, "give an object with name, "
		    "role and password");
	else
		json_object_foreach(body, k, v) {
			if (rc != MB_OK)
				break;
			if (strcmp(k, "name") != 0 && strcmp(k, "role") != 0 &&
			    strcmp(k, "password") != 0)
				rc = mb_diag_set(&d, MB_ERR_INVAL, "%.60s: not "
				    "a field here (name, role, password)", k);
			else if (!json_is_string(v))
				rc = mb_diag_set(&d, MB_ERR_INVAL, "%s: a "
				    "string", k);
			else if (strcmp(k, "name") == 0)
				name = json_string_value(v);
			else if (strcmp(k, "role") == 0)
				role = json_string_value(v);
			else
				pw = json_string_value(v);
		}
	if (rc == MB_OK && (name == NULL || role == NULL))
		rc = mb_diag_set(&d, MB_ERR_INVAL, "give name and role (and "
		    "password, for web sign-in)");
	if (rc != MB_OK) {
		json_decref(body);
		mb_resp_err(r, rc, &d);
		return;
	}
	if ((st = mb_req_store_or_reply(r)) == NULL) {
		json_decref(body);
		return;
	}
	rc = mb_accounts_user_add(st, name, role, pw, &d);
	if (rc != MB_OK) {
		json_decref(body);
		mb_resp_err(r, rc, &d);
		return;
	}
	log_info("http: user added name=%s role=%s by=%s", name, role,
	    mb_req_user(r)->name);
	snprintf(loc, sizeof(loc), "/api/v1/users/%s", name);
	mb_resp_header(r, "Location", loc);
	mb_resp_json(r, 201, json_pack("{s:s, s:s}", "name", name, "role",
	    role));
	json_decref(body);
}

/* PUT /api/v1/users/NAME {"role"?, "password"?, "disabled"?}. */
static void
users_update(struct mb_req *r)
{
	const char		*name = mb_req_param(r, "name");
	struct mb_user_change	 c = { NULL, NULL, -1 };
	struct mb_actor		 a;
	struct mb_store		*st;
	struct mb_diag		 d = { "" };
	json_t			*body, *v;
	const char		*k;
	int			 rc = MB_OK;

	if (!admin_or_reply(r) || (body = mb_req_json_or_reply(r)) == NULL)
		return;
	/* The shape here; the rules, whole or not at all, in the service. */
	if (!json_is_object(body))
		rc = mb_diag_set(&d, MB_ERR_INVAL, "give an object with role, "
		    "password or disabled");
	else
		json_object_foreach(body, k, v) {
			if (rc != MB_OK)
				break;
			if (strcmp(k, "role") == 0 && json_is_string(v))
				c.role = json_string_value(v);
			else if (strcmp(k, "password") == 0 &&
			    json_is_string(v))
				c.password = json_string_value(v);
			else if (strcmp(k, "disabled") == 0 &&
			    json_is_boolean(v))
				c.disabled = json_is_true(v);
			else if (strcmp(k, "disabled") == 0)
				rc = mb_diag_set(&d, MB_ERR_INVAL, "disabled: "
				    "true or false");
			else if (strcmp(k, "role") == 0 ||
			    strcmp(k, "password") == 0)
				rc = mb_diag_set(&d, MB_ERR_INVAL, "%s: a "
				    "string", k);
			else
				rc = mb_diag_set(&d, MB_ERR_INVAL, "%.60s: not "
				    "a field here (role, password, disabled)",
				    k);
		}
	mb_req_actor(r, &a);
	if (rc == MB_OK && (st = mb_req_store_or_reply(r)) == NULL) {
		json_decref(body);
		return;
	}
	if (rc == MB_OK)
		rc = mb_accounts_user_change_as(st, &a, name, &c, &d);
	if (rc != MB_OK) {
		json_decref(body);
		mb_resp_err(r, rc, &d);
		return;
	}
	log_info("http: user updated name=%s by=%s%s%s%s", name, a.name,
	    c.role != NULL ? " role" : "", c.password != NULL ? " password" :
	    "", c.disabled == 1 ? " disabled" : c.disabled == 0 ? " enabled" :
	    "");
	json_decref(body);
	mb_resp_empty(r, 204);
}

static int
add_token_json(const struct mb_token_info *t, void *arg)
{
	char made[MB_TIME_RFC3339_LEN], until[MB_TIME_RFC3339_LEN];

	mb_time_format(t->created_ms, made);
	mb_time_format(t->expires_ms, until);
	json_array_append_new(arg, json_pack("{s:s, s:s, s:s, s:s?}", "id",
	    t->id, "user", t->user, "created", made, "expires",
	    t->expires_ms > 0 ? until : NULL));
	return MB_OK;
}

/* GET /api/v1/tokens[?user=NAME]: an admin's all, anyone else's own. */
static void
tokens_list(struct mb_req *r)
{
	struct mb_actor	 a;
	struct mb_store	*st;
	struct mb_diag	 d = { "" };
	json_t		*arr;
	int		 rc;

	if (!signed_in_or_reply(r) || (st = mb_req_store_or_reply(r)) == NULL)
		return;
	if ((arr = json_array()) == NULL) {
		mb_resp_error(r, 503, "unavailable", "out of memory");
		return;
	}
	mb_req_actor(r, &a);
	if ((rc = mb_accounts_token_list_as(st, &a, mb_req_query(r, "user"),
	    add_token_json, arr, &d)) != MB_OK) {
		json_decref(arr);
		mb_resp_err(r, rc, &d);
		return;
	}
	mb_resp_json(r, 200, json_pack("{s:o}", "tokens", arr));
}

/* DELETE /api/v1/tokens/ID: an admin any token, anyone else their own. */
static void
tokens_revoke(struct mb_req *r)
{
	const char	*id = mb_req_param(r, "id");
	struct mb_actor	 a;
	struct mb_store	*st;
	struct mb_diag	 d = { "" };
	int		 rc;

	if (!signed_in_or_reply(r) || (st = mb_req_store_or_reply(r)) == NULL)
		return;
	mb_req_actor(r, &a);
	if ((rc = mb_accounts_token_revoke_as(st, &a, id, &d)) != MB_OK) {
		mb_resp_err(r, rc, &d);
		return;
	}
	log_info("http: token revoked id=%s by=%s", id, a.name);
	mb_resp_empty(r, 204);
}

/* POST /api/v1/users/NAME/tokens: one's own, or an admin's for anyone. */
static void
token_add(struct mb_req *r)
{
	const char	*name = mb_req_param(r, "name");
	struct mb_actor	 a;
	struct mb_store	*st;
	struct mb_diag	 d = { "" };
	char		 tok[MB_SECRET_TEXT_LEN], id[MB_TOKEN_ID_LEN];
	int		 rc;

	if (!signed_in_or_reply(r))
		return;
	if ((st = mb_req_store_or_reply(r)) == NULL)
		return;
	mb_req_actor(r, &a);
	if ((rc = mb_accounts_token_new_as(st, &a, name, tok, &d)) != MB_OK) {
		mb_resp_err(r, rc, &d);
		return;
	}
	log_info("http: token added user=%s by=%s", name, a.name);
	mb_accounts_token_id(tok, id);
	mb_resp_json(r, 201, json_pack("{s:s, s:s, s:s}", "name", name, "id",
	    id, "token", tok));
	sodium_memzero(tok, sizeof(tok));
}

const struct mb_route mb_routes_accounts[] = {
	{ "POST", "/api/v1/login", login, MB_ROUTE_FORM | MB_ROUTE_SMALL,
	  "login" },
	{ "POST", "/api/v1/logout", logout, MB_ROUTE_FORM | MB_ROUTE_SMALL,
	  "logout" },
	{ "GET", "/api/v1/me", me, 0, "me" },
	{ "GET", "/api/v1/users", users_list, 0, "users.list" },
	{ "POST", "/api/v1/users", users_add, MB_ROUTE_SMALL,
	  "users.add" },
	{ "GET", "/api/v1/users/:name", users_get, 0, "users.get" },
	{ "PUT", "/api/v1/users/:name", users_update, MB_ROUTE_SMALL,
	  "users.update" },
	{ "POST", "/api/v1/users/:name/tokens", token_add, MB_ROUTE_SMALL,
	  "tokens.add" },
	{ "GET", "/api/v1/tokens", tokens_list, 0, "tokens.list" },
	{ "DELETE", "/api/v1/tokens/:id", tokens_revoke, MB_ROUTE_SMALL,
	  "tokens.revoke" },
	MB_ROUTES_END
};
