/* SPDX-License-Identifier: MIT */
/*
 * The items API's versions: an item's history, two versions compared,
 * an old version restored as a new one (newsroom/versions.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/timeutil.h"
#include "http_int.h"
#include "item/id.h"
#include "newsroom/versions.h"

static bool
uri_or_reply(struct mb_req *r, char *uri, size_t n)
{
	const char *c = mb_req_param(r, "center"), *l = mb_req_param(r,
	    "local");

	if (c == NULL || l == NULL || mb_uri_make(uri, n, c, l) != MB_OK) {
		mb_resp_error(r, 404, "not_found", "no such item");
		return false;
	}
	return true;
}

/*
 * The newsroom's staff only: who made which version names people, and
 * that stays in the newsroom (readers see only what is published).
 */
static bool
staff_or_reply(struct mb_req *r)
{
	const struct mb_http_user *u = mb_req_user(r);

	if (u == NULL) {
		mb_resp_header(r, "WWW-Authenticate", "Bearer");
		mb_resp_error(r, 401, "unauthorized", "sign in or send a "
		    "bearer token");
		return false;
	}
	if (u->role < MB_ROLE_TRANSLATOR) {
		mb_resp_error(r, 403, "forbidden", "versions are the "
		    "newsroom's (translators and up)");
		return false;
	}
	return true;
}

/* A version number from the query (or a JSON value): false when bad. */
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

static int
history_cb(const struct mb_nr_version_info *v, void *arg)
{
	json_t	*list = arg, *o;
	char	 t[MB_TIME_RFC3339_LEN];

	mb_time_format(v->created_ms, t);
	o = json_pack("{s:I, s:s, s:s, s:s, s:b}", "version",
	    (json_int_t)v->version, "workflow", v->workflow, "pubStatus",
	    v->pub_status, "versionCreated", t, "current", v->current);
	if (o == NULL)
		return MB_ERR_NOMEM;
	json_object_set_new(o, "by", v->user != NULL ? json_pack("{s:I, s:s}",
	    "id", (json_int_t)v->user_id, "name", v->user) : json_null());
	if (v->headline != NULL)
		json_object_set_new(o, "headline", json_string(v->headline));
	if (v->note != NULL)
		json_object_set_new(o, "edNote", json_string(v->note));
	if (v->embargo_ms > 0) {
		mb_time_format(v->embargo_ms, t);
		json_object_set_new(o, "embargoedUntil", json_string(t));
	}
	return json_array_append_new(list, o) == 0 ? MB_OK : MB_ERR_NOMEM;
}

/* GET .../versions: who made each version, when, in what state. */
static void
versions(struct mb_req *r)
{
	struct mb_newsroom_env	 e;
	struct mb_actor		 a;
	struct mb_diag		 d = { "" };
	json_t			*list;
	char			 uri[MB_URI_MAX];
	int			 rc;

	if (!uri_or_reply(r, uri, sizeof(uri)) || !staff_or_reply(r) ||
	    !mb_req_newsroom_or_reply(r, &e))
		return;
	mb_req_actor(r, &a);
	if ((list = json_array()) == NULL) {
		mb_resp_error(r, 503, "unavailable", "out of memory");
		return;
	}
	if ((rc = mb_newsroom_history(&e, &a, uri, 0, history_cb, list, &d)) !=
	    MB_OK) {
		json_decref(list);
		mb_resp_err(r, rc, &d);
		return;
	}
	/* Who made what is the newsroom's, never a cache's. */
	mb_resp_private(r);
	mb_resp_json(r, 200, json_pack("{s:s, s:o}", "uri", uri, "versions",
	    list));
}

/* GET .../diff?from=A&to=B: the two versions compared, as safe HTML. */
static void
diff(struct mb_req *r)
{
	struct mb_newsroom_env	 e;
	struct mb_actor		 a;
	struct mb_nr_compare	 c;
	struct mb_diag		 d = { "" };
	char			 uri[MB_URI_MAX];
	int64_t			 from, to;
	int			 rc;

	if (!uri_or_reply(r, uri, sizeof(uri)) || !staff_or_reply(r))
		return;
	if (!version_arg(mb_req_query(r, "from"), &from) ||
	    !version_arg(mb_req_query(r, "to"), &to)) {
		mb_resp_error(r, 400, "invalid", "from and to: version numbers "
		    "from 1");
		return;
	}
	if (!mb_req_newsroom_or_reply(r, &e))
		return;
	mb_req_actor(r, &a);
	if ((rc = mb_newsroom_compare(&e, &a, uri, from, to, &c, &d)) !=
	    MB_OK) {
		mb_resp_err(r, rc, &d);
		return;
	}
	mb_resp_private(r);
	mb_resp_json(r, 200, json_pack("{s:s, s:I, s:I, s:s, s:s, s:s, s:s%, "
	    "s:s, s:I, s:I}", "uri", uri, "from", (json_int_t)from, "to",
	    (json_int_t)to, "headline", c.headline.len ?
	    mb_buf_cstr(&c.headline) : "", "byline", c.byline.len ?
	    mb_buf_cstr(&c.byline) : "", "contentType", "text/html",
	    "body", c.body.len ? c.body.data : "", c.body.len, "language",
	    strcmp(c.from_lang, c.to_lang) == 0 ? c.to_lang : "",
	    "added", (json_int_t)c.added, "removed", (json_int_t)c.removed));
	mb_nr_compare_free(&c);
}

/* POST .../restore {"version": N}, If-Match: the current version. */
static void
restore(struct mb_req *r)
{
	struct mb_newsroom_env	 e;
	struct mb_actor		 a;
	struct mb_nr_precond	 pre;
	struct mb_nr_saved	 sv;
	struct mb_diag		 d = { "" };
	json_t			*body;
	char			 uri[MB_URI_MAX], tag[24];
	int64_t			 version;
	int			 rc;

	if (!uri_or_reply(r, uri, sizeof(uri)) || !staff_or_reply(r))
		return;
	if ((rc = mb_req_if_match(r, &pre)) < 0)
		return;
	if (rc == 1) {
		mb_resp_error(r, 428, "precondition_required", "send If-Match "
		    "with the ETag of the current version");
		return;
	}
	if ((body = mb_req_json_or_reply(r)) == NULL)
		return;
	if (!json_is_integer(json_object_get(body, "version")) ||
	    (version = json_integer_value(json_object_get(body, "version"))) <
	    1) {
		json_decref(body);
		mb_resp_error(r, 400, "invalid", "give {\"version\": the "
		    "number of the version to restore, from 1}");
		return;
	}
	json_decref(body);
	if (!mb_req_newsroom_or_reply(r, &e))
		return;
	mb_req_actor(r, &a);
	if ((rc = mb_newsroom_restore(&e, &a, uri, version, &pre, &sv, &d)) !=
	    MB_OK) {
		mb_resp_newsroom_fail(r, rc, &sv, &d);
		return;
	}
	snprintf(tag, sizeof(tag), "\"%lld\"", (long long)sv.version);
	mb_resp_header(r, "ETag", tag);
	mb_resp_take(r, 200, "application/json", mb_buf_steal(&sv.wire),
	    sv.wire.len);
	mb_nr_saved_free(&sv);
}

const struct mb_route mb_routes_api_versions[] = {
	{ "GET", "/api/v1/items/:center/:local/versions", versions, 0,
	  "items.versions" },
	{ "GET", "/api/v1/items/:center/:local/diff", diff, 0, "items.diff" },
	{ "POST", "/api/v1/items/:center/:local/restore", restore,
	  MB_ROUTE_SMALL, "items.restore" },
	MB_ROUTES_END
};
