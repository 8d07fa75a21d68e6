/* SPDX-License-Identifier: MIT */
/*
 * The members and agenda API: the directory, member records for the
 * center's admins, proposals, votes, comments, reports and the
 * moderators' moves. Thin: the rules are src/members/'s.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http_int.h"
#include "item/id.h"
#include "members/agenda.h"
#include "members/members.h"

static bool
signed_in_or_reply(struct mb_req *r)
{
	if (mb_req_user(r) != NULL)
		return true;
	mb_resp_header(r, "WWW-Authenticate", "Bearer");
	mb_resp_error(r, 401, "unauthorized", "sign in or send a bearer "
	    "token");
	return false;
}

/* The uri from the path, or a 404 answered. */
static bool
uri_or_reply(struct mb_req *r, char *uri, size_t n, const char *what)
{
	const char *c = mb_req_param(r, "center"), *l = mb_req_param(r,
	    "local");

	if (c == NULL || l == NULL || mb_uri_make(uri, n, c, l) != MB_OK) {
		mb_resp_error(r, 404, "not_found", "no such %s", what);
		return false;
	}
	return true;
}

/* The member the signed-in actor is, or a 403 answered. */
static bool
member_or_reply(struct mb_req *r, const struct mb_newsroom_env *e,
    struct mb_member *m)
{
	struct mb_actor	a;
	struct mb_diag	d = { "" };

	mb_req_actor(r, &a);
	if (mb_members_of_actor(e, &a, m, &d) != MB_OK) {
		mb_resp_error(r, 403, "forbidden", "only a member of this "
		    "center does that: %s", d.msg);
		return false;
	}
	return true;
}

/* ---- the directory and the records ---- */

struct dir_state {
	json_t	*list;
};

static int
dir_cb(const json_t *p, void *arg)
{
	struct dir_state *s = arg;

	return json_array_append(s->list, (json_t *)p) == 0 ? MB_OK :
	    MB_ERR_NOMEM;
}

static void
members_list(struct mb_req *r)
{
	struct mb_newsroom_env		e;
	struct mb_directory_filter	f;
	struct mb_actor			a;
	struct dir_state		s;
	struct mb_diag			d = { "" };
	const char			*q;
	char				*end;
	int				 rc;

	memset(&f, 0, sizeof(f));
	f.category = mb_req_query(r, "category");
	f.country = mb_req_query(r, "country");
	f.language = mb_req_query(r, "lang");
	f.center = mb_req_query(r, "center");
	f.limit = 100;
	if ((q = mb_req_query(r, "limit")) != NULL) {
		f.limit = (int)strtol(q, &end, 10);
		if (*q == '\0' || *end != '\0' || f.limit < 1 ||
		    f.limit > 1000) {
			mb_resp_error(r, 400, "invalid", "limit: from 1 to "
			    "1000");
			return;
		}
	}
	if (!mb_req_newsroom_or_reply(r, &e))
		return;
	mb_req_actor(r, &a);
	if ((s.list = json_array()) == NULL) {
		mb_resp_error(r, 503, "unavailable", "out of memory");
		return;
	}
	if ((rc = mb_members_directory(&e, &a, &f, dir_cb, &s, &d)) != MB_OK) {
		json_decref(s.list);
		mb_resp_err(r, rc, &d);
		return;
	}
	mb_resp_json(r, 200, json_pack("{s:o}", "members", s.list));
}

static void
member_get(struct mb_req *r)
{
	struct mb_newsroom_env	 e;
	struct mb_actor		 a;
	struct mb_diag		 d = { "" };
	json_t			*p;
	char			 uri[MB_URI_MAX];
	int			 rc;

	if (!uri_or_reply(r, uri, sizeof(uri), "member") ||
	    !mb_req_newsroom_or_reply(r, &e))
		return;
	mb_req_actor(r, &a);
	if ((rc = mb_members_profile(&e, &a, uri, &p, &d)) != MB_OK) {
		mb_resp_err(r, rc, &d);
		return;
	}
	mb_resp_json(r, 200, p);
}

/* The fields of a JSON body as the service takes them (borrowed). */
static bool
member_in_or_reply(struct mb_req *r, const json_t *b, struct mb_member_in *in)
{
	static const char *const keys[] = { "name", "category", "country",
		"languages", "affiliation", "audience", "email", "phone",
		"user", "bio", NULL };
	const char	*k;
	json_t		*v;

	memset(in, 0, sizeof(*in));
	json_object_foreach((json_t *)b, k, v) {
		int i;

		for (i = 0; keys[i] != NULL && strcmp(keys[i], k) != 0; i++)
			;
		if (keys[i] == NULL) {
			mb_resp_error(r, 400, "invalid", "%.60s: not a field "
			    "of a member", k);
			return false;
		}
		if (strcmp(k, "bio") != 0 && !json_is_string(v)) {
			mb_resp_error(r, 400, "invalid", "%s: must be a "
			    "string", k);
			return false;
		}
	}
#define S(k)	json_string_value(json_object_get(b, k))
	in->name = S("name");
	in->category = S("category");
	in->country = S("country");
	in->languages = S("languages");
	in->affiliation = S("affiliation");
	in->audience = S("audience");
	in->email = S("email");
	in->phone = S("phone");
	in->user = S("user");
#undef S
	in->bio = json_object_get(b, "bio");
	return true;
}

static void
member_create(struct mb_req *r)
{
	struct mb_newsroom_env	 e;
	struct mb_member_in	 in;
	struct mb_member	 m;
	struct mb_actor		 a;
	struct mb_diag		 d = { "" };
	json_t			*b;
	int			 rc;

	if (!signed_in_or_reply(r) || (b = mb_req_json_or_reply(r)) == NULL)
		return;
	if (!member_in_or_reply(r, b, &in) ||
	    !mb_req_newsroom_or_reply(r, &e)) {
		json_decref(b);
		return;
	}
	mb_req_actor(r, &a);
	rc = mb_members_add(&e, &a, &in, &m, &d);
	json_decref(b);
	if (rc != MB_OK) {
		mb_resp_err(r, rc, &d);
		return;
	}
	mb_resp_header(r, "Location", "/api/v1/members");
	mb_resp_private(r);
	mb_resp_json(r, 201, mb_member_record_json(&m));
}

/* PUT: an admin, or the member on their own profile. */
static void
member_update(struct mb_req *r)
{
	struct mb_newsroom_env	 e;
	struct mb_member_in	 in;
	struct mb_member	 m;
	struct mb_actor		 a;
	struct mb_diag		 d = { "" };
	json_t			*b;
	char			 uri[MB_URI_MAX];
	int			 rc;

	if (!signed_in_or_reply(r) || !uri_or_reply(r, uri, sizeof(uri),
	    "member") || (b = mb_req_json_or_reply(r)) == NULL)
		return;
	if (!member_in_or_reply(r, b, &in) ||
	    !mb_req_newsroom_or_reply(r, &e)) {
		json_decref(b);
		return;
	}
	mb_req_actor(r, &a);
	if ((rc = mb_store_member_get(e.st, 0, uri, NULL, &m, &d)) == MB_OK)
		rc = mb_members_update(&e, &a, m.id, &in, &m, &d);
	json_decref(b);
	if (rc != MB_OK) {
		mb_resp_err(r, rc, &d);
		return;
	}
	mb_resp_private(r);
	mb_resp_json(r, 200, mb_member_record_json(&m));
}

static void
member_action(struct mb_req *r)
{
	struct mb_newsroom_env	 e;
	struct mb_member	 m;
	struct mb_actor		 a;
	struct mb_diag		 d = { "" };
	const char		*act = mb_req_param(r, "action"), *status;
	char			 uri[MB_URI_MAX];
	int			 rc;

	if (!signed_in_or_reply(r) || !uri_or_reply(r, uri, sizeof(uri),
	    "member"))
		return;
	status = strcmp(act, "suspend") == 0 ? "suspended" :
	    strcmp(act, "remove") == 0 ? "removed" :
	    strcmp(act, "reinstate") == 0 ? "active" : NULL;
	if (status == NULL) {
		mb_resp_error(r, 404, "not_found", "no such action: suspend, "
		    "reinstate or remove");
		return;
	}
	if (!mb_req_newsroom_or_reply(r, &e))
		return;
	mb_req_actor(r, &a);
	if ((rc = mb_store_member_get(e.st, 0, uri, NULL, &m, &d)) == MB_OK)
		rc = mb_members_set_status(&e, &a, m.id, status, &d);
	if (rc != MB_OK) {
		mb_resp_err(r, rc, &d);
		return;
	}
	mb_resp_empty(r, 204);
}

/* ---- proposals ---- */

static int
list_cb(const json_t *p, void *arg)
{
	return json_array_append((json_t *)arg, (json_t *)p) == 0 ? MB_OK :
	    MB_ERR_NOMEM;
}

static void
proposals_list(struct mb_req *r)
{
	struct mb_newsroom_env	 e;
	struct mb_actor		 a;
	struct mb_diag		 d = { "" };
	json_t			*list;
	int			 rc;

	if (!mb_req_newsroom_or_reply(r, &e))
		return;
	mb_req_actor(r, &a);
	if ((list = json_array()) == NULL) {
		mb_resp_error(r, 503, "unavailable", "out of memory");
		return;
	}
	if ((rc = mb_agenda_list(&e, &a, list_cb, list, &d)) != MB_OK) {
		json_decref(list);
		mb_resp_err(r, rc, &d);
		return;
	}
	if (a.user_id != 0)
		mb_resp_private(r);
	mb_resp_json(r, 200, json_pack("{s:o}", "proposals", list));
}

static void
proposal_get(struct mb_req *r)
{
	struct mb_newsroom_env	 e;
	struct mb_actor		 a;
	struct mb_diag		 d = { "" };
	json_t			*p;
	char			 uri[MB_URI_MAX];
	int			 rc;

	if (!uri_or_reply(r, uri, sizeof(uri), "proposal") ||
	    !mb_req_newsroom_or_reply(r, &e))
		return;
	mb_req_actor(r, &a);
	if ((rc = mb_agenda_get(&e, &a, uri, &p, &d)) != MB_OK) {
		mb_resp_err(r, rc, &d);
		return;
	}
	if (a.user_id != 0)
		mb_resp_private(r);
	mb_resp_json(r, 200, p);
}

static void
proposal_create(struct mb_req *r)
{
	static const char *const str_keys[] = { "title", "text", "language",
		"topics", "scope", "closes", "event", "poll" };
	struct mb_newsroom_env	 e;
	struct mb_proposal_in	 in;
	struct mb_member	 m;
	struct mb_diag		 d = { "" };
	json_t			*b, *t;
	char			 uri[MB_URI_MAX], loc[MB_URI_MAX + 32];
	char			 c[MB_CENTER_MAX + 1], l[MB_LOCAL_MAX + 1];
	int			 rc;

	if (!signed_in_or_reply(r) || (b = mb_req_json_or_reply(r)) == NULL)
		return;
	if (!mb_req_newsroom_or_reply(r, &e) || !member_or_reply(r, &e, &m)) {
		json_decref(b);
		return;
	}
	/*
	 * A field given with the wrong type is refused, naming it: read as
	 * absent, it would fall back to its default (a scope of ["center"]
	 * became a network proposal).
	 */
	for (size_t i = 0; i < sizeof(str_keys) / sizeof(str_keys[0]); i++)
		if ((t = json_object_get(b, str_keys[i])) != NULL &&
		    !json_is_string(t)) {
			mb_resp_error(r, 400, "invalid", "%s: must be a string",
			    str_keys[i]);
			json_decref(b);
			return;
		}
	if ((t = json_object_get(b, "threshold")) != NULL &&
	    !json_is_integer(t)) {
		mb_resp_error(r, 400, "invalid", "threshold: must be an "
		    "integer");
		json_decref(b);
		return;
	}
	memset(&in, 0, sizeof(in));
#define S(k)	json_string_value(json_object_get(b, k))
	in.title = S("title");
	in.text = S("text");
	in.language = S("language");
	in.topics = S("topics");
	in.scope = S("scope");
	in.closes = S("closes");
	in.event = S("event");
	in.poll = S("poll");
#undef S
	t = json_object_get(b, "threshold");
	in.threshold = json_is_integer(t) ? json_integer_value(t) : 0;
	rc = mb_agenda_propose(&e, &m, &in, uri, &d);
	json_decref(b);
	if (rc != MB_OK) {
		mb_resp_err(r, rc, &d);
		return;
	}
	mb_uri_parse(uri, c, l);
	snprintf(loc, sizeof(loc), "/api/v1/proposals/%s/%s", c, l);
	mb_resp_header(r, "Location", loc);
	mb_resp_json(r, 201, json_pack("{s:s}", "uri", uri));
}

/*
 * POST /api/v1/proposals/C/L/ACTION: a member's vote, comment or
 * report; a moderator's admit, close, answer, tally, hide, show.
 */
static void
proposal_action(struct mb_req *r)
{
	struct mb_newsroom_env	 e;
	struct mb_member	 m;
	struct mb_actor		 a;
	struct mb_diag		 d = { "" };
	const char		*act = mb_req_param(r, "action");
	const char		*code = NULL, *s;
	json_t			*b = NULL, *out = NULL;
	char			 uri[MB_URI_MAX];
	bool			 by_member, hidden = false;
	int64_t			 id = 0;
	size_t			 blen = 0;
	int			 rc;

	if (!signed_in_or_reply(r) || !uri_or_reply(r, uri, sizeof(uri),
	    "proposal"))
		return;
	by_member = strcmp(act, "vote") == 0 || strcmp(act, "comment") == 0 ||
	    strcmp(act, "report") == 0;
	if (!by_member && strcmp(act, "admit") != 0 &&
	    strcmp(act, "close") != 0 && strcmp(act, "answer") != 0 &&
	    strcmp(act, "tally") != 0 && strcmp(act, "hide") != 0 &&
	    strcmp(act, "show") != 0) {
		mb_resp_error(r, 404, "not_found", "no such action: vote, "
		    "comment, report, admit, close, answer, tally, hide, "
		    "show");
		return;
	}
	if (mb_req_body(r, &blen) != NULL && blen > 0 &&
	    (b = mb_req_json_or_reply(r)) == NULL)
		return;
	if (!mb_req_newsroom_or_reply(r, &e) ||
	    (by_member && !member_or_reply(r, &e, &m))) {
		json_decref(b);
		return;
	}
	mb_req_actor(r, &a);
	/* No default choice: a malformed vote is refused, never a "yes". */
	s = json_string_value(json_object_get(b, strcmp(act, "vote") == 0 ?
	    "choice" : "text"));
	if (strcmp(act, "vote") == 0)
		rc = mb_agenda_vote(&e, &m, uri, s, &code, &d);
	else if (strcmp(act, "comment") == 0)
		rc = mb_agenda_comment(&e, &m, uri, s, &id, &d);
	else if (strcmp(act, "report") == 0)
		rc = mb_agenda_report(&e, &m, uri, &hidden, &d);
	else if (strcmp(act, "admit") == 0)
		rc = mb_agenda_admit(&e, &a, uri, &d);
	else if (strcmp(act, "close") == 0)
		rc = mb_agenda_close(&e, &a, uri, &d);
	else if (strcmp(act, "answer") == 0)
		rc = s == NULL ? mb_diag_set(&d, MB_ERR_INVAL, "text: the "
		    "answer, required") : mb_agenda_answer(&e, &a, uri, s, &d);
	else if (strcmp(act, "tally") == 0)
		rc = a.role < MB_ROLE_EDITOR ? mb_diag_set(&d, MB_ERR_PERM,
		    "a moderator's (an editor's) move") :
		    mb_agenda_tally(&e, uri, NULL, &d);
	else
		rc = mb_agenda_moderate(&e, &a, uri, strcmp(act, "hide") == 0,
		    &d);
	json_decref(b);
	if (rc == MB_ERR_EXISTS && code != NULL) {
		mb_resp_error(r, 409, code, "%s", mb_diag_msg(&d, rc));
		return;
	}
	if (rc != MB_OK) {
		mb_resp_err(r, rc, &d);
		return;
	}
	if (strcmp(act, "comment") == 0)
		out = json_pack("{s:I}", "id", (json_int_t)id);
	else if (strcmp(act, "report") == 0)
		out = json_pack("{s:b}", "hidden", hidden);
	if (out == NULL) {
		mb_resp_empty(r, 204);
		return;
	}
	mb_resp_json(r, 200, out);
}

const struct mb_route mb_routes_members[] = {
	{ "GET", "/api/v1/members", members_list, 0, "members.list" },
	{ "POST", "/api/v1/members", member_create, MB_ROUTE_ITEM,
	  "members.create" },
	{ "GET", "/api/v1/members/:center/:local", member_get, 0,
	  "members.get" },
	{ "PUT", "/api/v1/members/:center/:local", member_update,
	  MB_ROUTE_ITEM, "members.update" },
	{ "POST", "/api/v1/members/:center/:local/:action", member_action,
	  MB_ROUTE_SMALL, "members.action" },
	{ "GET", "/api/v1/proposals", proposals_list, 0, "proposals.list" },
	{ "POST", "/api/v1/proposals", proposal_create, MB_ROUTE_ITEM,
	  "proposals.create" },
	{ "GET", "/api/v1/proposals/:center/:local", proposal_get, 0,
	  "proposals.get" },
	{ "POST", "/api/v1/proposals/:center/:local/:action",
	  proposal_action, MB_ROUTE_ITEM, "proposals.action" },
	MB_ROUTES_END
};
