/* SPDX-License-Identifier: MIT */
/* GET /api/v1/search (ranked hits with highlights) and an item's translations. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/timeutil.h"
#include "http/http.h"
#include "http/http_int.h"
#include "item/id.h"
#include "newsroom/items.h"
#include "text/highlight.h"
#include "text/lang.h"
#include "text/query.h"

struct hits {
	json_t		*arr;
	int		 err;
	struct mb_store	*st;
	bool		 moderator;	/* sees hidden proposals */
};

static json_t *
str_or_null(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

/* The store's hit sentinels, escaped, as <mark>; NULL when out of memory. */
static json_t *
marked_html(const char *s)
{
	struct mb_buf	 b = MB_BUF_INIT;
	json_t		*j = NULL;

	if (mb_text_marks_to_html(s, strlen(s), &b) == MB_OK)
		j = json_string(mb_buf_cstr(&b));
	mb_buf_free(&b);
	return j;
}

static int
on_hit(const struct mb_store_search_hit *h, void *arg)
{
	struct hits	*hs = arg;
	char		 center[MB_CENTER_MAX + 1], local[MB_LOCAL_MAX + 1];
	char		 url[sizeof(center) + sizeof(local) + 16];
	char		 first[MB_TIME_RFC3339_LEN];
	json_t		*j;

	if (!hs->moderator && mb_newsroom_hidden_proposal(hs->st, h->uri,
	    h->profile))
		return MB_OK;
	if (mb_uri_parse(h->uri, center, local) == MB_OK)
		snprintf(url, sizeof(url), "/items/%s/%s", center, local);
	else
		url[0] = '\0';
	mb_time_format(h->first_ms, first);
	/* "o" steals: marked_html()'s and str_or_null()'s new references. */
	j = json_pack("{s:s, s:s, s:I, s:o, s:b, s:o, s:o, s:s, s:o*, "
	    "s:o*, s:s, s:f, s:o}",
	    "uri", h->uri, "url", url, "version", (json_int_t)h->version,
	    "language", str_or_null(h->language),
	    "rtl", h->language != NULL && mb_lang_is_rtl(h->language),
	    "type", str_or_null(h->type),
	    "profile", str_or_null(h->profile),
	    "headline", h->headline,
	    "headline_html", marked_html(h->headline_marked),
	    "snippet_html", marked_html(h->snippet),
	    "first_created", first,
	    "score", h->score,
	    "translation_of_hit", str_or_null(h->matched_uri));
	if (j == NULL || json_array_append_new(hs->arr, j) != 0) {
		hs->err = MB_ERR_NOMEM;
		return MB_ERR_NOMEM;
	}
	return MB_OK;
}

static bool
int_query(struct mb_req *r, const char *name, int lo, int hi, int *out)
{
	const char	*q = mb_req_query(r, name);
	char		*end;
	long		 v;

	if (q == NULL)
		return true;
	v = strtol(q, &end, 10);
	if (*q == '\0' || *end != '\0' || v < lo || v > hi) {
		mb_resp_error(r, 400, "invalid", "%s: a number from %d to %d",
		    name, lo, hi);
		return false;
	}
	*out = (int)v;
	return true;
}

static bool
time_query(struct mb_req *r, const char *name, int64_t *out)
{
	const char *q = mb_req_query(r, name);

	if (q == NULL || mb_time_parse(q, out) == MB_OK)
		return true;
	mb_resp_error(r, 400, "invalid", "%s: an RFC 3339 date-time, like "
	    "2026-11-29T14:00:00Z", name);
	return false;
}

static void
search(struct mb_req *r)
{
	struct mb_store_search_query	 q;
	struct mb_store_search_result	 res = { 0, false, 0, false };
	struct mb_store			*st;
	struct mb_buf			 m = MB_BUF_INIT;
	struct mb_diag			 d = { "" };
	struct hits			 hs = { NULL, MB_OK, NULL, false };
	const char			*text = mb_req_query(r, "q");
	const char			*lang = mb_req_query(r, "lang");
	json_t				*doc;
	int				 rc;

	memset(&q, 0, sizeof(q));
	q.limit = 20;
	if (text == NULL || text[0] == '\0') {
		mb_resp_error(r, 400, "invalid", "q: what to search for");
		return;
	}
	if (!int_query(r, "limit", 1, MB_STORE_SEARCH_MAX_LIMIT, &q.limit) ||
	    !int_query(r, "offset", 0, MB_STORE_SEARCH_CANDIDATES - 1,
	    &q.offset) ||
	    !time_query(r, "from", &q.from_ms) ||
	    !time_query(r, "to", &q.to_ms))
		return;
	if (q.offset > MB_STORE_SEARCH_CANDIDATES - q.limit)
		q.offset = MB_STORE_SEARCH_CANDIDATES - q.limit;
	/* The query's language: as asked, else by its script. */
	if (lang == NULL || lang[0] == '\0')
		lang = mb_text_detect_query_lang(text, strlen(text));
	if ((rc = mb_text_query_translate(text, strlen(text), lang, &m, &d)) !=
	    MB_OK) {
		/* Too long a q is a bad parameter, not a request too large
		 * (413); d names the limit. */
		if (rc == MB_ERR_TOOBIG)
			mb_resp_error(r, 400, "invalid", "q: %s",
			    mb_diag_msg(&d, rc));
		else
			mb_resp_err(r, rc, &d);
		return;
	}
	q.match = m.data;
	q.language = mb_req_query(r, "in");
	q.type = mb_req_query(r, "type");
	q.profile = mb_req_query(r, "profile");
	q.center = mb_req_query(r, "center");
	q.topic = mb_req_query(r, "topic");
	q.country = mb_req_query(r, "country");
	q.prefer_language = mb_req_query(r, "prefer");
	q.now_ms = mb_time_now_ms();
	q.all = mb_req_role(r) >= MB_ROLE_EDITOR;
	q.audiences = mb_audiences_of(mb_req_role(r));
	if ((st = mb_req_store_or_reply(r)) == NULL) {
		mb_buf_free(&m);
		return;
	}
	hs.st = st;
	hs.moderator = q.all;
	if ((hs.arr = json_array()) == NULL) {
		mb_buf_free(&m);
		mb_resp_error(r, 503, "unavailable", "out of memory");
		return;
	}
	rc = mb_store_search(st, &q, on_hit, &hs, &res, &d);
	mb_buf_free(&m);
	if (rc != MB_OK || hs.err != MB_OK) {
		json_decref(hs.arr);
		mb_resp_err(r, rc != MB_OK ? rc : hs.err, &d);
		return;
	}
	/* "o" steals hs.arr and the next offset. */
	doc = json_pack("{s:s, s:s, s:i, s:i, s:I, s:I, s:b, s:b, s:o, s:o}",
	    "query", text, "lang", lang, "offset", q.offset, "limit", q.limit,
	    "ranked", (json_int_t)res.ranked, "total", (json_int_t)res.total,
	    "total_estimated", res.total_estimated, "more", res.more,
	    "next_offset", q.offset + q.limit < res.ranked &&
	    q.offset + q.limit <= MB_STORE_SEARCH_CANDIDATES - q.limit ?
	    json_integer(q.offset + q.limit) : json_null(),
	    "hits", hs.arr);
	if (doc == NULL) {
		mb_resp_error(r, 503, "unavailable", "out of memory");
		return;
	}
	/* An embargo ends with the clock, not with a log entry. */
	mb_resp_cache_ttl(r, 1000);
	mb_resp_json(r, 200, doc);
}

static int
on_translation(const struct mb_store_translation *t, void *arg)
{
	json_t *j;

	j = json_pack("{s:s, s:o, s:o, s:b, s:o}", "uri", t->uri,
	    "language", str_or_null(t->language),
	    "headline", str_or_null(t->headline),
	    "original", t->original, "by", str_or_null(t->by));
	if (j == NULL || json_array_append_new(arg, j) != 0)
		return MB_ERR_NOMEM;
	return MB_OK;
}

static void
translations(struct mb_req *r)
{
	struct mb_store	*st;
	struct mb_diag	 d = { "" };
	const char	*c = mb_req_param(r, "center");
	const char	*l = mb_req_param(r, "local");
	char		 uri[MB_URI_MAX];
	json_t		*arr;
	int		 rc;

	if (c == NULL || l == NULL || mb_uri_make(uri, sizeof(uri), c, l) !=
	    MB_OK) {
		mb_resp_error(r, 404, "not_found", "no such item");
		return;
	}
	if ((st = mb_req_store_or_reply(r)) == NULL)
		return;
	/* An item the asker may not see has no translations to show. */
	if (!mb_http_item_visible(r, st, uri)) {
		mb_resp_error(r, 404, "not_found", "no such item");
		return;
	}
	if ((arr = json_array()) == NULL) {
		mb_resp_error(r, 503, "unavailable", "out of memory");
		return;
	}
	rc = mb_store_translations(st, uri, mb_req_role(r) >= MB_ROLE_EDITOR,
	    mb_audiences_of(mb_req_role(r)), mb_time_now_ms(), on_translation,
	    arr, &d);
	if (rc != MB_OK) {
		json_decref(arr);
		mb_resp_err(r, rc, &d);
		return;
	}
	mb_resp_cache_ttl(r, 1000);
	mb_resp_json(r, 200, json_pack("{s:s, s:o}", "uri", uri,
	    "translations", arr));
}

const struct mb_route mb_routes_search[] = {
	{ "GET", "/api/v1/search", search, MB_ROUTE_CACHE, "search" },
	{ "GET", "/api/v1/items/:center/:local/translations", translations,
	  MB_ROUTE_CACHE, "items.translations" },
	MB_ROUTES_END
};
