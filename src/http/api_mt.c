/* SPDX-License-Identifier: MIT */
/*
 * The translate step's API: a machine draft of an item, a translation's
 * provenance and staleness, the drafts that need an update, and the
 * center's glossary. The rules are newsroom/translate.c's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http_int.h"
#include "item/id.h"
#include "item/json.h"
#include "mt/mt.h"
#include "newsroom/translate.h"
#include "store/mt.h"

/* An engine's failure as HTTP: 422 no pair, 503 down or busy, 502 garbage. */
void
mb_resp_mt_fail(struct mb_req *r, int rc, const char *code,
    const struct mb_diag *d)
{
	const char *msg = mb_diag_msg(d, rc);

	switch (rc) {
	case MB_ERR_NOTFOUND:
		if (code != NULL && (strcmp(code, "no_pair") == 0 ||
		    strcmp(code, "no_engine") == 0)) {
			mb_resp_error(r, 422, code, "%s", msg);
			return;
		}
		break;
	case MB_ERR_NET:
		mb_resp_header(r, "Retry-After", "30");
		mb_resp_error(r, 503, "engine_unavailable", "%s", msg);
		return;
	case MB_ERR_AGAIN:
		mb_resp_header(r, "Retry-After", "5");
		mb_resp_error(r, 503, "engine_busy", "%s", msg);
		return;
	case MB_ERR_CORRUPT:
		mb_resp_error(r, 502, "engine_garbage", "%s", msg);
		return;
	default:
		break;
	}
	mb_resp_err(r, rc, d);
}

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
staff_or_reply(struct mb_req *r, enum mb_role least)
{
	if (mb_req_user(r) == NULL) {
		mb_resp_header(r, "WWW-Authenticate", "Bearer");
		mb_resp_error(r, 401, "unauthorized", "sign in or send a "
		    "bearer token");
		return false;
	}
	if (mb_req_role(r) < least) {
		mb_resp_error(r, 403, "forbidden", "a %s cannot do this",
		    mb_role_name(mb_req_role(r)));
		return false;
	}
	return true;
}

/* POST /api/v1/items/:center/:local/translate {"language": "es"} */
static void
translate(struct mb_req *r)
{
	struct mb_newsroom_env	 e;
	struct mb_actor		 a;
	struct mb_nr_saved	 sv;
	struct mb_diag		 d = { "" };
	json_t			*body;
	char			 uri[MB_URI_MAX], lang[MB_MT_TAG_MAX + 1];
	char			 loc[200], tag[24], c[MB_CENTER_MAX + 1];
	char			 l[MB_LOCAL_MAX + 1];
	const char		*to;
	bool			 made = false;
	int			 rc;

	if (!uri_or_reply(r, uri, sizeof(uri)) ||
	    !staff_or_reply(r, MB_ROLE_TRANSLATOR))
		return;
	if ((body = mb_req_json_or_reply(r)) == NULL)
		return;
	if (!json_is_object(body) || (to = json_string_value(
	    json_object_get(body, "language"))) == NULL ||
	    strlen(to) > MB_MT_TAG_MAX) {
		json_decref(body);
		mb_resp_error(r, 400, "invalid", "give {\"language\": a BCP 47 "
		    "tag such as \"es\"}");
		return;
	}
	snprintf(lang, sizeof(lang), "%s", to);
	json_decref(body);
	if (!mb_req_newsroom_or_reply(r, &e))
		return;
	mb_req_actor(r, &a);
	rc = mb_newsroom_translate(&e, &a, mb_req_mt(r), uri, lang, &sv, &made,
	    &d);
	if (rc != MB_OK) {
		if (rc == MB_ERR_EXISTS || rc == MB_ERR_CONFLICT)
			mb_resp_newsroom_fail(r, rc, &sv, &d);
		else
			mb_resp_mt_fail(r, rc, sv.code, &d);
		mb_nr_saved_free(&sv);
		return;
	}
	if (mb_uri_parse(sv.uri, c, l) == MB_OK) {
		snprintf(loc, sizeof(loc), "/api/v1/items/%s/%s", c, l);
		mb_resp_header(r, "Location", loc);
	}
	snprintf(tag, sizeof(tag), "\"%lld\"", (long long)sv.version);
	mb_resp_header(r, "ETag", tag);
	mb_resp_take(r, made ? 201 : 200, "application/json",
	    mb_buf_steal(&sv.wire), sv.wire.len);
	mb_nr_saved_free(&sv);
}

/* GET /api/v1/items/:center/:local/translation: provenance and staleness. */
static void
translation(struct mb_req *r)
{
	struct mb_newsroom_env	 e;
	struct mb_actor		 a;
	struct mb_nr_item	 it;
	struct mb_diag		 d = { "" };
	json_t			*root, *tr, *out;
	char			 uri[MB_URI_MAX];
	int64_t			 current;
	bool			 stale;
	int			 rc;

	if (!uri_or_reply(r, uri, sizeof(uri)) ||
	    !mb_req_newsroom_or_reply(r, &e))
		return;
	mb_req_actor(r, &a);
	if ((rc = mb_newsroom_get(&e, &a, uri, 0, &it, &d)) != MB_OK) {
		mb_resp_err(r, rc, &d);
		return;
	}
	root = mb_json_loadb(it.envelope, it.len, 0, NULL);
	tr = json_object_get(json_object_get(root, "meta"), "translation");
	if (tr == NULL) {
		json_decref(root);
		mb_nr_item_free(&it);
		mb_resp_error(r, 404, "not_found", "%s is not a translation",
		    uri);
		return;
	}
	stale = mb_newsroom_translation_stale(e.st, json_object_get(root,
	    "meta"), &current);
	out = json_deep_copy(tr);
	json_object_set_new(out, "uri", json_string(uri));
	json_object_set_new(out, "version", json_integer(it.version));
	json_object_set_new(out, "stale", json_boolean(stale));
	if (current > 0)
		json_object_set_new(out, "ofCurrent", json_integer(current));
	json_decref(root);
	mb_nr_item_free(&it);
	/* Staleness moves with another item's log: never cached. */
	mb_resp_private(r);
	mb_resp_json(r, 200, out);
}

static int
stale_cb(const struct mb_store_mt_draft *t, void *arg)
{
	json_array_append_new(arg, json_pack("{s:s, s:s, s:I, s:I, s:s}",
	    "uri", t->uri, "of", t->of_uri, "ofVersion",
	    (json_int_t)t->of_version, "ofCurrent", (json_int_t)t->current,
	    "language", t->language));
	return MB_OK;
}

/* GET /api/v1/translations/stale: this center's drafts needing an update. */
static void
stale(struct mb_req *r)
{
	struct mb_store	*st;
	struct mb_diag	 d = { "" };
	json_t		*arr;
	int		 rc;

	if (!staff_or_reply(r, MB_ROLE_TRANSLATOR) ||
	    (st = mb_req_store_or_reply(r)) == NULL)
		return;
	arr = json_array();
	if ((rc = mb_store_mt_stale_list(st, stale_cb, arr, &d)) != MB_OK) {
		json_decref(arr);
		mb_resp_err(r, rc, &d);
		return;
	}
	mb_resp_private(r);
	mb_resp_json(r, 200, json_pack("{s:o}", "stale", arr));
}

static int
term_cb(const struct mb_store_mt_term *t, void *arg)
{
	json_array_append_new(arg, json_pack("{s:I, s:s, s:s, s:s, s:s}",
	    "id", (json_int_t)t->id, "from", t->src, "to", t->dst, "term",
	    t->term, "translation", t->translation));
	return MB_OK;
}

/* GET /api/v1/mt/glossary */
static void
glossary_list(struct mb_req *r)
{
	struct mb_store	*st;
	struct mb_diag	 d = { "" };
	json_t		*arr;
	int		 rc;

	if (!staff_or_reply(r, MB_ROLE_TRANSLATOR) ||
	    (st = mb_req_store_or_reply(r)) == NULL)
		return;
	arr = json_array();
	if ((rc = mb_store_mt_term_list(st, term_cb, arr, &d)) != MB_OK) {
		json_decref(arr);
		mb_resp_err(r, rc, &d);
		return;
	}
	mb_resp_private(r);
	mb_resp_json(r, 200, json_pack("{s:o}", "terms", arr));
}

/* POST /api/v1/mt/glossary {"from", "to", "term", "translation"} */
static void
glossary_add(struct mb_req *r)
{
	static const char *const fields[] = { "from", "to", "term",
	    "translation" };
	struct mb_mt_glossary	*g = NULL;
	struct mb_mt_term	 t;
	struct mb_store		*st;
	struct mb_diag		 d = { "" };
	json_t			*body;
	char			 from[MB_MT_TAG_MAX + 1], to[MB_MT_TAG_MAX + 1];
	int64_t			 id;
	int			 rc;

	if (!staff_or_reply(r, MB_ROLE_EDITOR))
		return;
	if ((body = mb_req_json_or_reply(r)) == NULL)
		return;
	/* {"to": 5} read as absent was "*", every target: say so instead. */
	for (size_t i = 0; i < sizeof(fields) / sizeof(*fields); i++) {
		json_t *v = json_object_get(body, fields[i]);	/* borrowed */

		if (v != NULL && !json_is_null(v) && !json_is_string(v)) {
			json_decref(body);
			mb_resp_error(r, 400, "invalid", "%s: must be a string",
			    fields[i]);
			return;
		}
	}
	memset(&t, 0, sizeof(t));
	t.from = json_string_value(json_object_get(body, "from"));
	t.to = json_string_value(json_object_get(body, "to"));
	t.term = json_string_value(json_object_get(body, "term"));
	t.translation = json_string_value(json_object_get(body,
	    "translation"));
	if (t.to == NULL)
		t.to = "*";
	/* The engine's own check of an entry: tags, UTF-8, lengths. */
	if (t.from == NULL || t.term == NULL || strlen(t.term) > 255 ||
	    (t.translation != NULL && strlen(t.translation) > 255) ||
	    (rc = mb_mt_glossary_new(&t, 1, &g, &d)) != MB_OK ||
	    mb_mt_lang_norm(t.from, from, &d) != MB_OK ||
	    (strcmp(t.to, "*") != 0 && mb_mt_lang_norm(t.to, to, &d) !=
	    MB_OK)) {
		json_decref(body);
		mb_resp_error(r, 400, "invalid", "give {\"from\": \"en\", "
		    "\"to\": \"es\" or \"*\", \"term\": \"...\", "
		    "\"translation\": \"...\" or none to keep it}%s%s",
		    d.msg[0] != '\0' ? ": " : "", d.msg);
		return;
	}
	mb_mt_glossary_free(g);
	if (strcmp(t.to, "*") == 0)
		snprintf(to, sizeof(to), "*");
	if ((st = mb_req_store_or_reply(r)) == NULL) {
		json_decref(body);
		return;
	}
	rc = mb_store_mt_term_add(st, from, to, t.term, t.translation, &id,
	    &d);
	json_decref(body);
	if (rc != MB_OK) {
		mb_resp_err(r, rc, &d);
		return;
	}
	mb_resp_json(r, 201, json_pack("{s:I}", "id", (json_int_t)id));
}

/* DELETE /api/v1/mt/glossary/:id */
static void
glossary_remove(struct mb_req *r)
{
	const char	*s = mb_req_param(r, "id");
	struct mb_store	*st;
	struct mb_diag	 d = { "" };
	char		*end;
	long long	 id;
	int		 rc;

	if (!staff_or_reply(r, MB_ROLE_EDITOR))
		return;
	id = s != NULL ? strtoll(s, &end, 10) : 0;
	if (s == NULL || *end != '\0' || id < 1) {
		mb_resp_error(r, 404, "not_found", "no such glossary entry");
		return;
	}
	if ((st = mb_req_store_or_reply(r)) == NULL)
		return;
	if ((rc = mb_store_mt_term_remove(st, id, &d)) != MB_OK) {
		mb_resp_err(r, rc, &d);
		return;
	}
	mb_resp_empty(r, 204);
}

const struct mb_route mb_routes_mt[] = {
	{ "POST", "/api/v1/items/:center/:local/translate", translate,
	  MB_ROUTE_SMALL, "items.translate" },
	{ "GET", "/api/v1/items/:center/:local/translation", translation, 0,
	  "items.translation" },
	{ "GET", "/api/v1/translations/stale", stale, 0, "mt.stale" },
	{ "GET", "/api/v1/mt/glossary", glossary_list, 0, "mt.glossary" },
	{ "POST", "/api/v1/mt/glossary", glossary_add,
	  MB_ROUTE_SMALL, "mt.glossary.add" },
	{ "DELETE", "/api/v1/mt/glossary/:id", glossary_remove, 0,
	  "mt.glossary.remove" },
	MB_ROUTES_END
};
