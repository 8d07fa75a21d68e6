/* SPDX-License-Identifier: MIT */
/* The items API: read, list, create, update, and the publishing workflow. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/timeutil.h"
#include "http/newsml.h"
#include "http_int.h"
#include "item/id.h"
#include "item/json.h"
#include "newsroom/items.h"

/* The uri from the path, or a 404 answered. */
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

bool
mb_http_item_visible(struct mb_req *r, struct mb_store *st, const char *uri)
{
	struct mb_newsroom_env	e;
	struct mb_actor		a;

	memset(&e, 0, sizeof(e));
	e.st = st;
	mb_req_actor(r, &a);
	return mb_newsroom_visible(&e, &a, uri);
}

/* ---- reading ---- */

static void
item_get(struct mb_req *r)
{
	struct mb_newsroom_env	 e;
	struct mb_actor		 a;
	struct mb_nr_item	 it;
	struct mb_diag		 d = { "" };
	const char		*q = mb_req_query(r, "version");
	char			 uri[MB_URI_MAX], *end, tag[24];
	long long		 version = 0;
	int			 rc;

	if (!uri_or_reply(r, uri, sizeof(uri)))
		return;
	if (q != NULL) {
		version = strtoll(q, &end, 10);
		if (*q == '\0' || *end != '\0' || version < 1) {
			mb_resp_error(r, 400, "invalid",
			    "version: a number from 1");
			return;
		}
	}
	if (!mb_req_newsroom_or_reply(r, &e))
		return;
	mb_req_actor(r, &a);
	if ((rc = mb_newsroom_get(&e, &a, uri, version, &it, &d)) != MB_OK) {
		mb_resp_err(r, rc, &d);
		return;
	}
	/* The version names the bytes: a client echoes it in If-Match. */
	snprintf(tag, sizeof(tag), "%lld", (long long)it.version);
	mb_resp_etag_tag(r, tag);
	mb_resp_header(r, "Vary", "Accept");
	if (mb_http_wants_newsml(r)) {
		/* An agency's system: the item as a NewsML-G2 newsItem. */
		struct mb_buf x = MB_BUF_INIT;

		rc = mb_http_newsml_envelope(it.envelope, it.len, &x, &d);
		mb_nr_item_free(&it);
		if (rc != MB_OK) {
			mb_buf_free(&x);
			mb_resp_err(r, rc, &d);
			return;
		}
		mb_resp_take(r, 200, MB_NEWSML_ITEM_TYPE "; charset=utf-8",
		    mb_buf_steal(&x), x.len);
		return;
	}
	mb_resp_take(r, 200, "application/json", it.envelope, it.len);
}

struct list_state {
	struct mb_buf	 b;
	struct mb_store	*st;
	bool		 moderator;	/* sees hidden proposals */
	int		 n;		/* items written */
	int		 rows;		/* rows read: a full page has more */
	int64_t		 last_first, last_seq;
};

static int
list_cb(const struct mb_store_version *v, void *arg)
{
	struct list_state *ls = arg;

	ls->rows++;
	ls->last_first = v->first_ms;
	ls->last_seq = v->seq;
	if (!ls->moderator && mb_newsroom_hidden_proposal(ls->st, v->uri,
	    v->profile))
		return MB_OK;
	if ((ls->n++ > 0 && mb_buf_putc(&ls->b, ',') != MB_OK) ||
	    mb_buf_append(&ls->b, v->envelope, v->envelope_len) != MB_OK)
		return MB_ERR_NOMEM;
	return MB_OK;
}

static void
items_list(struct mb_req *r)
{
	const struct mb_http_user	*u = mb_req_user(r);
	struct mb_store_filter		 f;
	struct list_state		 ls;
	struct mb_store			*st;
	struct mb_diag			 d = { "" };
	const char			*q;
	char				*end;
	int				 rc;

	memset(&f, 0, sizeof(f));
	f.language = mb_req_query(r, "lang");
	f.type = mb_req_query(r, "type");
	f.profile = mb_req_query(r, "profile");
	f.center = mb_req_query(r, "center");
	f.topic = mb_req_query(r, "topic");
	f.country = mb_req_query(r, "country");
	f.limit = 20;
	if ((q = mb_req_query(r, "limit")) != NULL) {
		f.limit = strtoll(q, &end, 10);
		if (*q == '\0' || *end != '\0' || f.limit < 1 ||
		    f.limit > 100) {
			mb_resp_error(r, 400, "invalid",
			    "limit: from 1 to 100");
			return;
		}
	}
	if ((q = mb_req_query(r, "before")) != NULL &&
	    mb_time_parse(q, &f.before_ms) != MB_OK) {
		mb_resp_error(r, 400, "invalid", "before: an RFC 3339 "
		    "date-time, like 2026-11-29T14:00:00Z");
		return;
	}
	if ((q = mb_req_query(r, "cursor")) != NULL) {
		long long a, b;
		int n = 0;

		if (sscanf(q, "%lld.%lld%n", &a, &b, &n) != 2 ||
		    q[n] != '\0' || b < 1) {
			mb_resp_error(r, 400, "invalid", "cursor: use the "
			    "\"next\" of the previous page as it is");
			return;
		}
		f.cursor_first_ms = a;
		f.cursor_seq = b;
	}
	f.now_ms = mb_time_now_ms();
	f.all = mb_req_role(r) >= MB_ROLE_EDITOR;
	f.audiences = mb_audiences_of(mb_req_role(r));
	f.author_id = u != NULL ? u->id : 0;
	if ((st = mb_req_store_or_reply(r)) == NULL)
		return;
	memset(&ls, 0, sizeof(ls));
	ls.st = st;
	ls.moderator = f.all;
	if (mb_buf_puts(&ls.b, "{\"items\":[") != MB_OK) {
		mb_resp_error(r, 503, "unavailable", "out of memory");
		return;
	}
	if ((rc = mb_store_list(st, &f, list_cb, &ls, &d)) != MB_OK) {
		mb_buf_free(&ls.b);
		mb_resp_err(r, rc, &d);
		return;
	}
	if (ls.rows == f.limit)
		rc = mb_buf_printf(&ls.b, "],\"next\":\"%lld.%lld\"}",
		    (long long)ls.last_first, (long long)ls.last_seq);
	else
		rc = mb_buf_puts(&ls.b, "],\"next\":null}");
	if (rc != MB_OK) {
		mb_buf_free(&ls.b);
		mb_resp_error(r, 503, "unavailable", "out of memory");
		return;
	}
	/* An embargo ends with the clock, not with a log entry. */
	mb_resp_cache_ttl(r, 1000);
	mb_resp_take(r, 200, "application/json", mb_buf_steal(&ls.b),
	    ls.b.len);
}

/* ---- writing ---- */

/*
 * Splits a request body into the item and the optional meta hints:
 * either a bare ninjs item or {"item": {...}, "meta": {...}}.
 * Signed envelopes are refused here: they enter by import or the
 * exchange. The returned references are new.
 */
static bool
split_body(struct mb_req *r, json_t *body, json_t **item, json_t **meta)
{
	json_t *it;

	*meta = NULL;
	if (!json_is_object(body)) {
		mb_resp_error(r, 400, "invalid", "the body must be a JSON "
		    "object: a ninjs item, or {\"item\": ..., \"meta\": ...}");
		return false;
	}
	if (json_object_get(body, "signature") != NULL) {
		mb_resp_error(r, 400, "invalid", "signed envelopes enter by "
		    "import or the exchange, not by this API");
		return false;
	}
	if ((it = json_object_get(body, "item")) != NULL) {
		const char *k;
		json_t *v;

		json_object_foreach(body, k, v)
			if (strcmp(k, "item") != 0 && strcmp(k, "meta") != 0) {
				mb_resp_error(r, 400, "invalid",
				    "%.60s: not a field here (item, meta)", k);
				return false;
			}
		*meta = json_object_get(body, "meta");
		if (*meta != NULL && !json_is_object(*meta)) {
			mb_resp_error(r, 400, "invalid",
			    "meta: must be an object");
			return false;
		}
		if (!json_is_object(it)) {
			mb_resp_error(r, 400, "invalid",
			    "item: must be an object");
			return false;
		}
		json_incref(*meta);
	} else {
		it = body;
	}
	*item = json_deep_copy(it);
	if (*item == NULL) {
		json_decref(*meta);
		mb_resp_error(r, 503, "unavailable", "out of memory");
		return false;
	}
	return true;
}

/* Answers a saved version: 201 with Location for a new item, else 200. */
static void
reply_saved(struct mb_req *r, struct mb_nr_saved *sv, bool created)
{
	char loc[200], tag[24];

	if (created) {
		char c[MB_CENTER_MAX + 1], l[MB_LOCAL_MAX + 1];

		if (mb_uri_parse(sv->uri, c, l) == MB_OK) {
			snprintf(loc, sizeof(loc), "/api/v1/items/%s/%s", c,
			    l);
			mb_resp_header(r, "Location", loc);
		}
	}
	snprintf(tag, sizeof(tag), "\"%lld\"", (long long)sv->version);
	mb_resp_header(r, "ETag", tag);
	mb_resp_take(r, created ? 201 : 200, "application/json",
	    mb_buf_steal(&sv->wire), sv->wire.len);
}

static void
item_create(struct mb_req *r)
{
	struct mb_newsroom_env	 e;
	struct mb_actor		 a;
	struct mb_nr_saved	 sv;
	struct mb_diag		 d = { "" };
	json_t			*body, *item = NULL, *meta = NULL;
	int			 rc;

	if (!signed_in_or_reply(r))
		return;
	mb_req_actor(r, &a);
	if (a.role < MB_ROLE_TRANSLATOR) {
		mb_resp_error(r, 403, "forbidden", "a %s cannot create items",
		    mb_role_name(a.role));
		return;
	}
	if ((body = mb_req_json_or_reply(r)) == NULL)
		return;
	if (!split_body(r, body, &item, &meta)) {
		json_decref(body);
		return;
	}
	json_decref(body);
	if (!mb_req_newsroom_or_reply(r, &e)) {
		json_decref(item);
		json_decref(meta);
		return;
	}
	rc = mb_newsroom_create(&e, &a, item, meta, &sv, &d);
	json_decref(meta);
	if (rc != MB_OK) {
		mb_resp_newsroom_fail(r, rc, &sv, &d);
		return;
	}
	reply_saved(r, &sv, true);
}

static void
item_update(struct mb_req *r)
{
	struct mb_newsroom_env	 e;
	struct mb_actor		 a;
	struct mb_nr_precond	 pre;
	struct mb_nr_saved	 sv;
	struct mb_diag		 d = { "" };
	json_t			*body, *item = NULL, *hints = NULL;
	char			 uri[MB_URI_MAX];
	int			 rc;

	if (!uri_or_reply(r, uri, sizeof(uri)) || !signed_in_or_reply(r))
		return;
	if ((rc = mb_req_if_match(r, &pre)) < 0)
		return;
	if (rc == 1) {
		mb_resp_error(r, 428, "precondition_required", "send If-Match "
		    "with the ETag of the version you changed");
		return;
	}
	if ((body = mb_req_json_or_reply(r)) == NULL)
		return;
	if (!split_body(r, body, &item, &hints)) {
		json_decref(body);
		return;
	}
	json_decref(body);
	if (!mb_req_newsroom_or_reply(r, &e)) {
		json_decref(item);
		json_decref(hints);
		return;
	}
	mb_req_actor(r, &a);
	rc = mb_newsroom_update(&e, &a, uri, &pre, item, hints, &sv, &d);
	json_decref(hints);
	if (rc != MB_OK) {
		mb_resp_newsroom_fail(r, rc, &sv, &d);
		return;
	}
	reply_saved(r, &sv, false);
}

/*
 * The note of a send-back: {"note": "..."} (null or absent: none), or
 * no body at all. *note points into *body (a new reference, or NULL).
 */
static bool
note_or_reply(struct mb_req *r, json_t **body, const char **note)
{
	json_t	*n;
	size_t	 len = 0;

	*body = NULL;
	*note = NULL;
	(void)mb_req_body(r, &len);
	if (len == 0)
		return true;
	if ((*body = mb_req_json_or_reply(r)) == NULL)
		return false;
	n = json_object_get(*body, "note");
	if (!json_is_object(*body) || (n != NULL && !json_is_null(n) &&
	    !json_is_string(n))) {
		json_decref(*body);
		*body = NULL;
		mb_resp_error(r, 400, "invalid", "give {\"note\": the note "
		    "for the writer, at most %d bytes}, or no body",
		    MB_NR_NOTE_MAX);
		return false;
	}
	*note = json_string_value(n);
	return true;
}

static void
item_action(struct mb_req *r)
{
	const char		*name = mb_req_param(r, "action");
	struct mb_newsroom_env	 e;
	struct mb_actor		 a;
	struct mb_nr_precond	 pre;
	struct mb_nr_saved	 sv;
	struct mb_diag		 d = { "" };
	const char		*until = NULL, *note = NULL;
	char			 uri[MB_URI_MAX];
	json_t			*body = NULL;
	int64_t			 until_ms = 0;
	int			 act, rc;

	if ((act = mb_nr_action_parse(name)) < 0) {
		mb_resp_error(r, 404, "not_found", "no such action: %.40s "
		    "(submit, publish, withhold, cancel, embargo, return)",
		    name);
		return;
	}
	if (!uri_or_reply(r, uri, sizeof(uri)) || !signed_in_or_reply(r))
		return;
	if ((rc = mb_req_if_match(r, &pre)) < 0)
		return;
	if (act == MB_NR_EMBARGO) {
		json_t *u;

		if ((body = mb_req_json_or_reply(r)) == NULL)
			return;
		u = json_object_get(body, "until");
		if (!json_is_object(body) || u == NULL || (!json_is_null(u) &&
		    ((until = json_string_value(u)) == NULL ||
		    mb_time_parse(until, &until_ms) != MB_OK))) {
			json_decref(body);
			mb_resp_error(r, 400, "invalid", "give {\"until\": an "
			    "RFC 3339 date-time, or null to lift it}");
			return;
		}
		json_decref(body);
		body = NULL;
		/* null lifts it; a date, whatever it is, is never a lift. */
		if (until == NULL)
			until_ms = MB_NR_LIFT;
	}
	/* Sending back carries the editor's note, as the newsroom's does. */
	if (act == MB_NR_RETURN && !note_or_reply(r, &body, &note))
		return;
	if (!mb_req_newsroom_or_reply(r, &e)) {
		json_decref(body);
		return;
	}
	mb_req_actor(r, &a);
	if (act == MB_NR_RETURN)
		rc = mb_newsroom_send_back(&e, &a, uri, rc == 1 ? NULL : &pre,
		    note, &sv, &d);
	else
		rc = mb_newsroom_act(&e, &a, uri, (enum mb_nr_action)act,
		    rc == 1 ? NULL : &pre, until_ms, &sv, &d);
	/* The note points into body. */
	json_decref(body);
	if (rc != MB_OK) {
		mb_resp_newsroom_fail(r, rc, &sv, &d);
		return;
	}
	reply_saved(r, &sv, false);
}

const struct mb_route mb_routes_items[] = {
	{ "GET", "/api/v1/items", items_list, MB_ROUTE_CACHE, "items.list" },
	{ "POST", "/api/v1/items", item_create, MB_ROUTE_ITEM,
	  "items.create" },
	{ "GET", "/api/v1/items/:center/:local", item_get, MB_ROUTE_CACHE,
	  "items.get" },
	{ "PUT", "/api/v1/items/:center/:local", item_update, MB_ROUTE_ITEM,
	  "items.update" },
	{ "POST", "/api/v1/items/:center/:local/:action", item_action,
	  MB_ROUTE_ITEM, "items.action" },
	MB_ROUTES_END
};
