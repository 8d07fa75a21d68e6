/* SPDX-License-Identifier: MIT */
/* The items API: read, list, create, update, and the publishing workflow. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/timeutil.h"
#include "http_int.h"
#include "item/id.h"
#include "item/json.h"

/* What a handler needs to know of an item's stored version. */
struct loaded {
	int64_t	 version;
	char	 workflow[16];
	char	 pub_status[16];
	char	 audience[16];
	int64_t	 embargo_ms;
	char	*envelope;
	size_t	 len;
	int64_t	 author;	/* 0: none recorded */
};

static void
loaded_free(struct loaded *l)
{
	free(l->envelope);
	l->envelope = NULL;
}

static int
load_cb(const struct mb_store_version *v, void *arg)
{
	struct loaded *l = arg;

	l->version = v->version;
	snprintf(l->workflow, sizeof(l->workflow), "%s", v->workflow);
	snprintf(l->pub_status, sizeof(l->pub_status), "%s", v->pub_status);
	snprintf(l->audience, sizeof(l->audience), "%s", v->audience);
	l->embargo_ms = v->embargo_ms;
	if ((l->envelope = malloc(v->envelope_len + 1)) == NULL)
		return MB_ERR_NOMEM;
	memcpy(l->envelope, v->envelope, v->envelope_len);
	l->envelope[v->envelope_len] = '\0';
	l->len = v->envelope_len;
	return MB_OK;
}

static int
load(struct mb_store *st, const char *uri, int64_t version, struct loaded *l,
    struct mb_diag *d)
{
	int rc;

	memset(l, 0, sizeof(*l));
	if ((rc = mb_store_get(st, uri, version, load_cb, l, d)) != MB_OK) {
		loaded_free(l);
		return rc;
	}
	rc = mb_store_author_get(st, uri, &l->author, d);
	if (rc == MB_ERR_NOTFOUND)
		rc = MB_OK;
	if (rc != MB_OK)
		loaded_free(l);
	return rc;
}

static unsigned
audiences_of(enum mb_role role)
{
	if (role >= MB_ROLE_TRANSLATOR)
		return MB_AUD_PUBLIC | MB_AUD_NETWORK | MB_AUD_INTERNAL;
	if (role == MB_ROLE_MEMBER)
		return MB_AUD_PUBLIC | MB_AUD_NETWORK;
	return MB_AUD_PUBLIC;
}

static unsigned
audience_bit(const char *a)
{
	if (strcmp(a, "public") == 0)
		return MB_AUD_PUBLIC;
	if (strcmp(a, "network") == 0)
		return MB_AUD_NETWORK;
	return MB_AUD_INTERNAL;
}

static bool
own(const struct mb_req *r, const struct loaded *l)
{
	const struct mb_http_user *u = mb_req_user(r);

	return u != NULL && l->author != 0 && l->author == u->id;
}

/* The visibility rule of docs/permissions.md. */
static bool
visible(const struct mb_req *r, const struct loaded *l)
{
	enum mb_role role = mb_req_role(r);

	if (role >= MB_ROLE_EDITOR || own(r, l))
		return true;
	return strcmp(l->workflow, "published") == 0 &&
	    strcmp(l->pub_status, "usable") == 0 &&
	    l->embargo_ms <= mb_time_now_ms() &&
	    (audience_bit(l->audience) & audiences_of(role)) != 0;
}

bool
mb_http_item_visible(struct mb_req *r, struct mb_store *st, const char *uri)
{
	struct loaded	l;
	bool		v;

	if (load(st, uri, 0, &l, NULL) != MB_OK)
		return false;
	v = visible(r, &l);
	loaded_free(&l);
	return v;
}

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

/* ---- reading ---- */

static void
item_get(struct mb_req *r)
{
	struct mb_store	*st;
	struct loaded	 cur, at;
	struct mb_diag	 d = { "" };
	const char	*q = mb_req_query(r, "version");
	char		 uri[MB_URI_MAX], *end;
	long long	 version = 0;
	int		 rc;

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
	if ((st = mb_req_store_or_reply(r)) == NULL)
		return;
	if ((rc = load(st, uri, 0, &cur, &d)) != MB_OK) {
		mb_resp_err(r, rc, &d);
		return;
	}
	if (!visible(r, &cur)) {
		loaded_free(&cur);
		mb_resp_error(r, 404, "not_found", "%s: not found", uri);
		return;
	}
	if (version == 0 || version == cur.version) {
		mb_resp_take(r, 200, "application/json", cur.envelope,
		    cur.len);
		return;
	}
	rc = load(st, uri, version, &at, &d);
	at.author = cur.author;
	loaded_free(&cur);
	if (rc != MB_OK) {
		mb_resp_err(r, rc, &d);
		return;
	}
	if (!visible(r, &at)) {
		loaded_free(&at);
		mb_resp_error(r, 404, "not_found", "%s at version %lld: not "
		    "found", uri, version);
		return;
	}
	mb_resp_take(r, 200, "application/json", at.envelope, at.len);
}

struct list_state {
	struct mb_buf	 b;
	int		 n;
	int64_t		 last_first, last_seq;
};

static int
list_cb(const struct mb_store_version *v, void *arg)
{
	struct list_state *ls = arg;

	if ((ls->n++ > 0 && mb_buf_putc(&ls->b, ',') != MB_OK) ||
	    mb_buf_append(&ls->b, v->envelope, v->envelope_len) != MB_OK)
		return MB_ERR_NOMEM;
	ls->last_first = v->first_ms;
	ls->last_seq = v->seq;
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
	f.audiences = audiences_of(mb_req_role(r));
	f.author_id = u != NULL ? u->id : 0;
	if ((st = mb_req_store_or_reply(r)) == NULL)
		return;
	memset(&ls, 0, sizeof(ls));
	if (mb_buf_puts(&ls.b, "{\"items\":[") != MB_OK) {
		mb_resp_error(r, 503, "unavailable", "out of memory");
		return;
	}
	if ((rc = mb_store_list(st, &f, list_cb, &ls, &d)) != MB_OK) {
		mb_buf_free(&ls.b);
		mb_resp_err(r, rc, &d);
		return;
	}
	if (ls.n == f.limit)
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

static bool
meta_keys_ok(struct mb_req *r, const json_t *meta)
{
	const char	*k;
	json_t		*v;

	json_object_foreach((json_t *)meta, k, v)
		if (strcmp(k, "audience") != 0 && strcmp(k, "workflow") != 0 &&
		    strcmp(k, "translation") != 0) {
			mb_resp_error(r, 400, "invalid", "meta.%.60s: not "
			    "settable here (audience, workflow, translation)",
			    k);
			return false;
		}
	return true;
}

static bool
audience_valid(const char *a)
{
	return a != NULL && (strcmp(a, "public") == 0 ||
	    strcmp(a, "network") == 0 || strcmp(a, "internal") == 0);
}

static int
set_str(json_t *o, const char *k, const char *v)
{
	return json_object_set_new(o, k, json_string(v)) == 0 ? MB_OK :
	    MB_ERR_NOMEM;
}

static int
set_version(json_t *item, int64_t version, int64_t now)
{
	char v[24], t[MB_TIME_RFC3339_LEN];

	snprintf(v, sizeof(v), "%lld", (long long)version);
	mb_time_format(now, t);
	if (set_str(item, "version", v) != MB_OK ||
	    set_str(item, "versionCreated", t) != MB_OK)
		return MB_ERR_NOMEM;
	return MB_OK;
}

/*
 * Prepares (completes, checks, signs) item, stores it inside the open
 * transaction, commits, wakes long-polls and answers with the signed
 * envelope. Rolls back and answers the error otherwise. item stolen.
 */
static void
save_and_reply(struct mb_req *r, struct mb_store *st, json_t *item,
    const struct mb_ingest_opts *o, bool created)
{
	struct mb_prepared	*p = NULL;
	struct mb_ingest_result	 res;
	struct mb_buf		 wire = MB_BUF_INIT;
	struct mb_diag		 d = { "" };
	char			 loc[200];
	int			 rc;

	if ((rc = mb_ingest_prepare(mb_req_ingest(r), item, o, &p, &d)) !=
	    MB_OK) {
		if (rc == MB_ERR_PERM)
			rc = MB_ERR_INVAL;
		goto fail;
	}
	if ((rc = mb_ingest_commit(mb_req_ingest(r), st, p, true, &res,
	    &d)) != MB_OK)
		goto fail;
	if (res.duplicate) {
		rc = mb_diag_set(&d, MB_ERR_EXISTS, "%s version %lld: already "
		    "stored", res.uri, (long long)res.version);
		goto fail;
	}
	if (created && (rc = mb_store_author_set(st, res.uri,
	    mb_req_user(r)->id, &d)) != MB_OK)
		goto fail;
	if ((rc = mb_envelope_dump(mb_prepared_envelope(p), &wire, &d)) !=
	    MB_OK)
		goto fail;
	if ((rc = mb_store_commit(st, &d)) != MB_OK)
		goto fail;
	mb_http_notify(mb_req_server(r));
	log_info("http: item saved uri=%s version=%lld seq=%lld user=%s",
	    res.uri, (long long)res.version, (long long)res.seq,
	    mb_req_user(r)->name);
	mb_prepared_free(p);
	if (created) {
		const struct mb_item_info *info = NULL;
		char c[MB_CENTER_MAX + 1], l[MB_LOCAL_MAX + 1];

		(void)info;
		if (mb_uri_parse(res.uri, c, l) == MB_OK) {
			snprintf(loc, sizeof(loc), "/api/v1/items/%s/%s", c,
			    l);
			mb_resp_header(r, "Location", loc);
		}
	}
	mb_resp_take(r, created ? 201 : 200, "application/json",
	    mb_buf_steal(&wire), wire.len);
	return;
fail:
	mb_store_rollback(st);
	mb_prepared_free(p);
	mb_buf_free(&wire);
	mb_resp_err(r, rc, &d);
}

static void
item_create(struct mb_req *r)
{
	enum mb_role		 role = mb_req_role(r);
	struct mb_ingest_opts	 o;
	struct mb_store		*st;
	struct mb_diag		 d = { "" };
	json_t			*body, *item = NULL, *meta = NULL, *v;
	const char		*ps;
	char			 uri[MB_URI_MAX], lid[MB_LOCAL_LEN + 1];
	bool			 has;
	int			 rc;

	if (!signed_in_or_reply(r))
		return;
	if (role < MB_ROLE_TRANSLATOR) {
		mb_resp_error(r, 403, "forbidden", "a %s cannot create items",
		    mb_role_name(role));
		return;
	}
	if ((body = mb_req_json_or_reply(r)) == NULL)
		return;
	if (!split_body(r, body, &item, &meta)) {
		json_decref(body);
		return;
	}
	json_decref(body);
	memset(&o, 0, sizeof(o));
	o.audience = "public";
	o.workflow = "draft";
	if (meta != NULL) {
		if (!meta_keys_ok(r, meta))
			goto out;
		if ((v = json_object_get(meta, "audience")) != NULL &&
		    !audience_valid(o.audience = json_string_value(v))) {
			mb_resp_error(r, 400, "invalid", "meta.audience: one of "
			    "public, network, internal");
			goto out;
		}
		if ((v = json_object_get(meta, "workflow")) != NULL) {
			o.workflow = json_string_value(v);
			if (o.workflow == NULL ||
			    (strcmp(o.workflow, "draft") != 0 &&
			    strcmp(o.workflow, "submitted") != 0 &&
			    strcmp(o.workflow, "published") != 0)) {
				mb_resp_error(r, 400, "invalid", "meta.workflow: "
				    "one of draft, submitted, published");
				goto out;
			}
		}
		o.translation = json_object_get(meta, "translation");
	}
	if (role == MB_ROLE_TRANSLATOR && o.translation == NULL) {
		mb_resp_error(r, 403, "forbidden", "a translator creates "
		    "translations: give meta.translation {\"of\", \"by\"}");
		goto out;
	}
	if (role < MB_ROLE_EDITOR) {
		if (strcmp(o.workflow, "published") == 0) {
			mb_resp_error(r, 403, "forbidden", "only an editor "
			    "publishes; create a draft and submit it");
			goto out;
		}
		ps = json_string_value(json_object_get(item, "pubStatus"));
		if ((ps != NULL && strcmp(ps, "usable") != 0) ||
		    json_object_get(item, "embargoedUntil") != NULL) {
			mb_resp_error(r, 403, "forbidden", "pubStatus and "
			    "embargoedUntil are an editor's to set");
			goto out;
		}
	}
	if ((st = mb_req_store_or_reply(r)) == NULL)
		goto out;
	if (o.translation != NULL) {
		const char *of = json_string_value(json_object_get(
		    o.translation, "of"));

		if (of == NULL || mb_store_has(st, of, 1, &has, &d) != MB_OK ||
		    !has) {
			mb_resp_error(r, 400, "invalid", "meta.translation.of: "
			    "no such item here");
			goto out;
		}
	}
	/* A uri minted here, not an alias: two equal drafts are two items. */
	if ((v = json_object_get(item, "uri")) == NULL) {
		mb_local_id_mint(lid);
		if (mb_uri_make(uri, sizeof(uri), mb_req_node(r)->conf.id,
		    lid) != MB_OK || set_str(item, "uri", uri) != MB_OK) {
			mb_resp_error(r, 503, "unavailable", "out of memory");
			goto out;
		}
	} else if (json_string_value(v) == NULL) {
		mb_resp_error(r, 400, "invalid", "uri: must be a string");
		goto out;
	}
	snprintf(uri, sizeof(uri), "%s", json_string_value(json_object_get(
	    item, "uri")));
	o.now_ms = mb_time_now_ms();
	if (set_version(item, 1, o.now_ms) != MB_OK) {
		mb_resp_error(r, 503, "unavailable", "out of memory");
		goto out;
	}
	if ((rc = mb_store_begin(st, &d)) != MB_OK) {
		mb_resp_err(r, rc, &d);
		goto out;
	}
	if ((rc = mb_store_has(st, uri, 1, &has, &d)) != MB_OK || has) {
		mb_store_rollback(st);
		if (rc == MB_OK)
			mb_resp_error(r, 409, "exists", "%s already exists; "
			    "PUT to its URL with If-Match to change it", uri);
		else
			mb_resp_err(r, rc, &d);
		goto out;
	}
	save_and_reply(r, st, item, &o, true);
	item = NULL;
out:
	json_decref(item);
	json_decref(meta);
}

/* If-Match: <version> (quotes allowed). 0: absent; -1: malformed. */
static int64_t
if_match(struct mb_req *r)
{
	const char	*h = mb_req_header(r, "If-Match");
	char		*end;
	long long	 v;

	if (h == NULL)
		return 0;
	if (strncmp(h, "W/", 2) == 0)
		h += 2;
	if (*h == '"')
		h++;
	v = strtoll(h, &end, 10);
	if (end == h || v < 1 || (*end != '\0' && strcmp(end, "\"") != 0))
		return -1;
	return v;
}

/* May the caller change this (visible) item at all? 403 answered. */
static bool
may_edit_or_reply(struct mb_req *r, const struct loaded *l)
{
	enum mb_role role = mb_req_role(r);

	if (role >= MB_ROLE_EDITOR)
		return true;
	if ((role == MB_ROLE_JOURNALIST || role == MB_ROLE_TRANSLATOR) &&
	    own(r, l) && strcmp(l->workflow, "published") != 0)
		return true;
	mb_resp_error(r, 403, "forbidden", "a %s may change only their own "
	    "drafts; this one is %s", mb_role_name(role),
	    own(r, l) ? "published" : "someone else's");
	return false;
}

/* The current version's item and meta, parsed (new references). */
static int
parse_loaded(const struct loaded *l, json_t **item, json_t **meta)
{
	json_t *root = mb_json_loadb(l->envelope, l->len, 0, NULL);

	if (root == NULL)
		return MB_ERR_CORRUPT;
	*item = json_deep_copy(json_object_get(root, "item"));
	*meta = json_incref(json_object_get(root, "meta"));
	json_decref(root);
	if (*item == NULL || *meta == NULL) {
		json_decref(*item);
		json_decref(*meta);
		return MB_ERR_CORRUPT;
	}
	return MB_OK;
}

/*
 * Opens the write transaction, loads the current version and checks
 * that the caller may see it (404) and that If-Match is current (412).
 * On false the transaction is closed and the answer given.
 */
static bool
begin_change(struct mb_req *r, struct mb_store *st, const char *uri,
    int64_t expect, struct loaded *cur)
{
	struct mb_diag	d = { "" };
	int		rc;

	if ((rc = mb_store_begin(st, &d)) != MB_OK) {
		mb_resp_err(r, rc, &d);
		return false;
	}
	if ((rc = load(st, uri, 0, cur, &d)) != MB_OK) {
		mb_store_rollback(st);
		mb_resp_err(r, rc, &d);
		return false;
	}
	if (!visible(r, cur)) {
		mb_store_rollback(st);
		loaded_free(cur);
		mb_resp_error(r, 404, "not_found", "%s: not found", uri);
		return false;
	}
	if (!may_edit_or_reply(r, cur))
		goto fail;
	if (strcmp(cur->pub_status, "canceled") == 0) {
		mb_resp_error(r, 409, "canceled", "%s is canceled; a canceled "
		    "item stays so", uri);
		goto fail;
	}
	if (expect > 0 && expect != cur->version) {
		char v[24];

		snprintf(v, sizeof(v), "%lld", (long long)cur->version);
		mb_resp_header(r, "X-Current-Version", v);
		mb_resp_error(r, 412, "stale_version", "If-Match %lld is "
		    "stale: the current version is %lld; fetch it and apply "
		    "your change again", (long long)expect,
		    (long long)cur->version);
		goto fail;
	}
	return true;
fail:
	mb_store_rollback(st);
	loaded_free(cur);
	return false;
}

static void
opts_from_meta(struct mb_ingest_opts *o, const json_t *meta)
{
	const char *wf = json_string_value(json_object_get(meta, "workflow"));

	memset(o, 0, sizeof(*o));
	o->audience = json_string_value(json_object_get(meta, "audience"));
	o->workflow = wf != NULL ? wf : "published";
	o->translation = json_object_get(meta, "translation");
	o->now_ms = mb_time_now_ms();
}

static bool
same_json(const json_t *a, const json_t *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return json_equal((json_t *)a, (json_t *)b) != 0;
}

static void
item_update(struct mb_req *r)
{
	struct mb_ingest_opts	 o;
	struct mb_store		*st;
	struct loaded		 cur;
	json_t			*body, *item = NULL, *hints = NULL;
	json_t			*old = NULL, *meta = NULL, *v;
	const char		*aud;
	char			 uri[MB_URI_MAX];
	int64_t			 expect;

	if (!uri_or_reply(r, uri, sizeof(uri)) || !signed_in_or_reply(r))
		return;
	if ((expect = if_match(r)) == 0) {
		mb_resp_error(r, 428, "precondition_required", "send If-Match "
		    "with the version you changed");
		return;
	}
	if (expect < 0) {
		mb_resp_error(r, 400, "invalid", "If-Match: a version number");
		return;
	}
	if ((body = mb_req_json_or_reply(r)) == NULL)
		return;
	if (!split_body(r, body, &item, &hints)) {
		json_decref(body);
		return;
	}
	json_decref(body);
	if (hints != NULL) {
		if (!meta_keys_ok(r, hints))
			goto out;
		if (json_object_get(hints, "workflow") != NULL ||
		    json_object_get(hints, "translation") != NULL) {
			mb_resp_error(r, 400, "invalid", "meta.workflow and "
			    "meta.translation change by the actions "
			    "(submit, publish, ...), not by PUT");
			goto out;
		}
	}
	if ((v = json_object_get(item, "uri")) != NULL &&
	    (json_string_value(v) == NULL ||
	    strcmp(json_string_value(v), uri) != 0)) {
		mb_resp_error(r, 400, "invalid", "uri: must be %s (or left "
		    "out)", uri);
		goto out;
	}
	if ((st = mb_req_store_or_reply(r)) == NULL)
		goto out;
	if (!begin_change(r, st, uri, expect, &cur))
		goto out;
	if (parse_loaded(&cur, &old, &meta) != MB_OK) {
		mb_store_rollback(st);
		mb_resp_error(r, 500, "internal", "the stored envelope does "
		    "not parse");
		goto done;
	}
	if (mb_req_role(r) < MB_ROLE_EDITOR &&
	    (!same_json(json_object_get(old, "pubStatus"),
	    json_object_get(item, "pubStatus")) ||
	    !same_json(json_object_get(old, "embargoedUntil"),
	    json_object_get(item, "embargoedUntil")))) {
		mb_store_rollback(st);
		mb_resp_error(r, 403, "forbidden", "pubStatus and "
		    "embargoedUntil are an editor's to change");
		goto done;
	}
	opts_from_meta(&o, meta);
	if (hints != NULL && (v = json_object_get(hints, "audience")) != NULL) {
		if (!audience_valid(aud = json_string_value(v))) {
			mb_store_rollback(st);
			mb_resp_error(r, 400, "invalid", "meta.audience: one of "
			    "public, network, internal");
			goto done;
		}
		o.audience = aud;
	}
	if (set_str(item, "uri", uri) != MB_OK ||
	    json_object_set(item, "firstCreated",
	    json_object_get(old, "firstCreated")) != 0 ||
	    set_version(item, cur.version + 1, o.now_ms) != MB_OK) {
		mb_store_rollback(st);
		mb_resp_error(r, 503, "unavailable", "out of memory");
		goto done;
	}
	save_and_reply(r, st, item, &o, false);
	item = NULL;
done:
	loaded_free(&cur);
out:
	json_decref(item);
	json_decref(hints);
	json_decref(old);
	json_decref(meta);
}

enum action { A_SUBMIT, A_PUBLISH, A_WITHHOLD, A_CANCEL, A_EMBARGO };

static const char *const action_names[] = { "submit", "publish",
	"withhold", "cancel", "embargo", NULL };

static void
item_action(struct mb_req *r)
{
	const char		*name = mb_req_param(r, "action");
	enum mb_role		 role = mb_req_role(r);
	struct mb_ingest_opts	 o;
	struct mb_store		*st;
	struct loaded		 cur;
	json_t			*body = NULL, *item = NULL, *meta = NULL;
	const char		*until = NULL, *conflict = NULL;
	char			 uri[MB_URI_MAX];
	int64_t			 expect, until_ms = 0;
	int			 a;

	for (a = 0; action_names[a] != NULL; a++)
		if (strcmp(name, action_names[a]) == 0)
			break;
	if (action_names[a] == NULL) {
		mb_resp_error(r, 404, "not_found", "no such action: %.40s "
		    "(submit, publish, withhold, cancel, embargo)", name);
		return;
	}
	if (!uri_or_reply(r, uri, sizeof(uri)) || !signed_in_or_reply(r))
		return;
	if ((expect = if_match(r)) < 0) {
		mb_resp_error(r, 400, "invalid", "If-Match: a version number");
		return;
	}
	if (a == A_EMBARGO) {
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
	}
	if ((st = mb_req_store_or_reply(r)) == NULL)
		goto out;
	if (!begin_change(r, st, uri, expect, &cur))
		goto out;
	if (a != A_SUBMIT && role < MB_ROLE_EDITOR) {
		mb_store_rollback(st);
		mb_resp_error(r, 403, "forbidden", "only an editor may %s",
		    name);
		goto done;
	}
	switch (a) {
	case A_SUBMIT:
		if (strcmp(cur.workflow, "draft") != 0)
			conflict = "only a draft can be submitted";
		break;
	case A_PUBLISH:
		if (strcmp(cur.workflow, "published") == 0 &&
		    strcmp(cur.pub_status, "usable") == 0)
			conflict = "already published";
		break;
	case A_WITHHOLD:
		if (strcmp(cur.pub_status, "usable") != 0)
			conflict = "already withheld";
		break;
	default:
		break;
	}
	if (conflict != NULL) {
		mb_store_rollback(st);
		mb_resp_error(r, 409, "bad_transition", "%s: %s (it is %s, "
		    "%s)", name, conflict, cur.workflow, cur.pub_status);
		goto done;
	}
	if (parse_loaded(&cur, &item, &meta) != MB_OK) {
		mb_store_rollback(st);
		mb_resp_error(r, 500, "internal", "the stored envelope does "
		    "not parse");
		goto done;
	}
	opts_from_meta(&o, meta);
	switch (a) {
	case A_SUBMIT:
		o.workflow = "submitted";
		break;
	case A_PUBLISH:
		o.workflow = "published";
		set_str(item, "pubStatus", "usable");
		break;
	case A_WITHHOLD:
		set_str(item, "pubStatus", "withheld");
		break;
	case A_CANCEL:
		set_str(item, "pubStatus", "canceled");
		break;
	case A_EMBARGO:
		if (until != NULL) {
			char t[MB_TIME_RFC3339_LEN];

			mb_time_format(until_ms, t);
			set_str(item, "embargoedUntil", t);
		} else {
			json_object_del(item, "embargoedUntil");
		}
		break;
	}
	if (set_version(item, cur.version + 1, o.now_ms) != MB_OK) {
		mb_store_rollback(st);
		mb_resp_error(r, 503, "unavailable", "out of memory");
		goto done;
	}
	save_and_reply(r, st, item, &o, false);
	item = NULL;
done:
	loaded_free(&cur);
out:
	json_decref(body);
	json_decref(item);
	json_decref(meta);
}

const struct mb_route mb_routes_items[] = {
	{ "GET", "/api/v1/items", items_list, MB_ROUTE_CACHE, "items.list" },
	{ "POST", "/api/v1/items", item_create, 0, "items.create" },
	{ "GET", "/api/v1/items/:center/:local", item_get, MB_ROUTE_CACHE,
	  "items.get" },
	{ "PUT", "/api/v1/items/:center/:local", item_update, 0,
	  "items.update" },
	{ "POST", "/api/v1/items/:center/:local/:action", item_action, 0,
	  "items.action" },
	MB_ROUTES_END
};
