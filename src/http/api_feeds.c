/* SPDX-License-Identifier: MIT */
/* The sources API for editors: list with their state, add, remove (docs/ingest.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/timeutil.h"
#include "feeds/feeds.h"
#include "http_int.h"

/* False, having answered, unless an editor or admin is signed in. */
static bool
manager_or_reply(struct mb_req *r)
{
	struct mb_actor	a;
	struct mb_diag	d = { "" };
	int		rc;

	if (mb_req_user(r) == NULL) {
		mb_resp_header(r, "WWW-Authenticate", "Bearer");
		mb_resp_error(r, 401, "unauthorized", "sign in first");
		return false;
	}
	mb_req_actor(r, &a);
	if ((rc = mb_feeds_may_manage(&a, &d)) != MB_OK) {
		mb_resp_err(r, rc, &d);
		return false;
	}
	return true;
}

static json_t *
time_or_null(int64_t ms)
{
	char t[MB_TIME_RFC3339_LEN];

	if (ms == 0)
		return json_null();
	mb_time_format(ms, t);
	return json_string(t);
}

static int
add_source(const struct mb_feed_source *s, void *arg)
{
	json_t *o = json_pack("{sI ss ss ss ss ss ss sI sb so so so sI ss sI "
	    "sI}", "id", (json_int_t)s->id, "url", s->url, "title", s->title,
	    "language", s->language, "topics", s->topics, "audience",
	    s->audience, "workflow", s->workflow, "every_s",
	    (json_int_t)s->every_s, "allow_private", s->allow_private,
	    "last_fetch", time_or_null(s->last_fetch_ms), "last_new",
	    time_or_null(s->last_new_ms), "next_poll",
	    time_or_null(s->next_poll_ms), "failures", (json_int_t)s->failures,
	    "last_error", s->last_error, "entries", (json_int_t)s->entries,
	    "updates", (json_int_t)s->updates);

	if (o == NULL || json_array_append_new(arg, o) != 0)
		return MB_ERR_NOMEM;
	return MB_OK;
}

/* GET /api/v1/feeds: every source and its state. */
static void
feeds_list(struct mb_req *r)
{
	struct mb_store	*st;
	struct mb_diag	 d = { "" };
	json_t		*a;
	int		 rc;

	if (!manager_or_reply(r) || (st = mb_req_store_or_reply(r)) == NULL)
		return;
	if ((a = json_array()) == NULL) {
		mb_resp_error(r, 503, "unavailable", "out of memory");
		return;
	}
	if ((rc = mb_store_feed_list(st, add_source, a, &d)) != MB_OK) {
		json_decref(a);
		mb_resp_err(r, rc, &d);
		return;
	}
	mb_resp_private(r);
	mb_resp_json(r, 200, json_pack("{so}", "feeds", a));
}

static const char *
opt_str(const json_t *body, const char *k, bool *bad)
{
	const json_t *v = json_object_get(body, k);

	if (v == NULL || json_is_null(v))
		return NULL;
	if (!json_is_string(v))
		*bad = true;
	return json_string_value(v);
}

/* POST /api/v1/feeds {url, language?, topics?, audience?, workflow?, every?} */
static void
feeds_add(struct mb_req *r)
{
	struct mb_feeds_add	 a;
	struct mb_store		*st;
	struct mb_diag		 d = { "" };
	json_t			*body;
	const char		*every;
	bool			 bad = false;
	int64_t			 id;
	int			 rc;

	if (!manager_or_reply(r) || (body = mb_req_json_or_reply(r)) == NULL)
		return;
	memset(&a, 0, sizeof(a));
	a.url = opt_str(body, "url", &bad);
	a.language = opt_str(body, "language", &bad);
	a.topics = opt_str(body, "topics", &bad);
	a.audience = opt_str(body, "audience", &bad);
	a.workflow = opt_str(body, "workflow", &bad);
	every = opt_str(body, "every", &bad);
	if (json_is_true(json_object_get(body, "allow_private"))) {
		json_decref(body);
		mb_resp_error(r, 403, "forbidden", "allow_private: only the "
		    "operator allows a source on a private address (mediabridge "
		    "feed add --allow-private)");
		return;
	}
	if (bad || a.url == NULL) {
		json_decref(body);
		mb_resp_error(r, 400, "invalid", "give {\"url\"} and maybe "
		    "language, topics, audience, workflow, every: strings");
		return;
	}
	rc = every != NULL ? mb_feeds_parse_every(every, &a.every_s, &d) :
	    MB_OK;
	if (rc == MB_OK && (st = mb_req_store_or_reply(r)) == NULL) {
		json_decref(body);
		return;
	}
	if (rc == MB_OK)
		rc = mb_feeds_add(st, &a, &id, &d);
	json_decref(body);
	if (rc != MB_OK) {
		mb_resp_err(r, rc, &d);
		return;
	}
	mb_resp_json(r, 201, json_pack("{sI}", "id", (json_int_t)id));
}

/* DELETE /api/v1/feeds/:id: stop ingesting (its items stay). */
static void
feeds_remove(struct mb_req *r)
{
	struct mb_store	*st;
	struct mb_diag	 d = { "" };
	const char	*p = mb_req_param(r, "id");
	char		*end;
	long long	 id;
	int		 rc;

	if (!manager_or_reply(r))
		return;
	id = p != NULL ? strtoll(p, &end, 10) : 0;
	if (p == NULL || *p == '\0' || *end != '\0' || id < 1) {
		mb_resp_error(r, 404, "not_found", "no such source");
		return;
	}
	if ((st = mb_req_store_or_reply(r)) == NULL)
		return;
	if ((rc = mb_store_feed_remove(st, id, &d)) != MB_OK) {
		mb_resp_err(r, rc, &d);
		return;
	}
	mb_resp_empty(r, 204);
}

const struct mb_route mb_routes_ingest[] = {
	{ "GET", "/api/v1/feeds", feeds_list, 0, "feeds.list" },
	{ "POST", "/api/v1/feeds", feeds_add, MB_ROUTE_SMALL, "feeds.add" },
	{ "DELETE", "/api/v1/feeds/:id", feeds_remove, MB_ROUTE_SMALL,
	  "feeds.remove" },
	MB_ROUTES_END
};
