/* SPDX-License-Identifier: MIT */
/*
 * Which answers are a reader's view, and what of the request the impact
 * counter sees (src/impact/ does the counting and keeps no reader): item
 * pages, listings, feeds and media answered 200 or 304 to a GET.
 */
#include <string.h>

#include "http/http.h"
#include "http_int.h"
#include "impact/impact.h"

/* The routes that count, by name (router.c's tables), and as what. */
static const struct {
	const char	*route;
	const char	*kind;
} counted[] = {
	{ "site.item", "item" },
	{ "site.front", "page" },
	{ "site.search", "page" },
	{ "site.events", "page" },
	{ "site.center", "page" },
	{ "site.topic", "page" },
	{ "site.country", "page" },
	{ "feeds.lang", "feed" },
	{ "feeds.topic", "feed" },
	{ "feeds.center", "feed" },
	{ "feeds.events", "feed" },
	{ "media.get", "media" },
};

static const char *
kind_of(const char *route)
{
	for (size_t i = 0; i < sizeof(counted) / sizeof(counted[0]); i++)
		if (strcmp(counted[i].route, route) == 0)
			return counted[i].kind;
	return NULL;
}

/*
 * a, then sep and b when b is not NULL, cut to n - 1 bytes: no printf
 * on every counted view (docs/benchmarks.md, "impact").
 */
static void
put(char *out, size_t n, const char *a, char sep, const char *b)
{
	size_t o = 0;

	for (; a != NULL && *a != '\0' && o + 1 < n; a++)
		out[o++] = *a;
	if (b != NULL && o + 1 < n) {
		out[o++] = sep;
		for (; *b != '\0' && o + 1 < n; b++)
			out[o++] = *b;
	}
	out[o] = '\0';
}

static bool
is_one(const char *v)
{
	return v != NULL && v[0] == '1' && v[1] == '\0';
}

void
mb_http__impact_count(struct mb_req *r, struct mb_impact *im,
    const char *route, unsigned status, int64_t now_ms)
{
	struct mb_impact_hit	 h;
	const char		*kind, *path = mb_req_path(r);
	char			 key[MB_IMPACT_KEY_MAX], lang[16] = "";

	if (im == NULL || route == NULL || (status != 200 && status != 304) ||
	    strcmp(mb_req_method(r), "GET") != 0 ||
	    (kind = kind_of(route)) == NULL)
		return;
	memset(&h, 0, sizeof(h));
	h.kind = kind;
	if (strcmp(kind, "item") == 0) {
		put(key, sizeof(key), mb_req_param(r, "center"), '/',
		    mb_req_param(r, "local"));
	} else if (strcmp(kind, "page") == 0) {
		/* "/en/topics/x" is the page "/topics/x" read in "en". */
		const char *rest = strchr(path + 1, '/');

		put(key, sizeof(key), rest != NULL ? rest : "/", 0, NULL);
	} else if (strcmp(kind, "media") == 0) {
		put(key, sizeof(key), mb_req_param(r, "hash"), 0, NULL);
	} else {
		put(key, sizeof(key), path, 0, NULL);
	}
	if (mb_req_param(r, "lang") != NULL) {
		put(lang, sizeof(lang), mb_req_param(r, "lang"), 0, NULL);
	} else if (strcmp(route, "feeds.lang") == 0) {
		/* /feeds/en.atom: the feed of "en". */
		const char *f = mb_req_param(r, "file");
		size_t n = f != NULL ? strcspn(f, ".") : 0;

		if (n > 0 && n < sizeof(lang)) {
			memcpy(lang, f, n);
			lang[n] = '\0';
		}
	}
	h.key = key;
	/* Any topic's name answers 200: a flood of made-up ones must not
	 * push out what readers read. */
	h.key_chosen = strcmp(route, "feeds.topic") == 0 ||
	    strcmp(route, "site.topic") == 0;
	h.lang = lang;
	h.peer = mb_req_client(r);
	/* Only the headers that can matter are looked up: every counted
	 * view pays for each (docs/benchmarks.md, "impact"). */
	h.forwarded = mb_impact_trusts_proxies(im) ?
	    mb_req_header(r, "X-Forwarded-For") : NULL;
	h.user_agent = mb_req_header(r, "User-Agent");
	h.referer = mb_req_header(r, "Referer");
	h.host = h.referer != NULL ? mb_req_header(r, "Host") : NULL;
	h.utm_campaign = mb_req_query(r, "utm_campaign");
	h.utm_source = mb_req_query(r, "utm_source");
	h.utm_medium = mb_req_query(r, "utm_medium");
	h.opt_out = is_one(mb_req_header(r, "DNT")) ||
	    is_one(mb_req_header(r, "Sec-GPC"));
	h.staff = mb_req_role(r) >= MB_ROLE_TRANSLATOR;
	/* A browser's prefetch: impact/ decides (it is not a view). */
	if ((h.purpose = mb_req_header(r, "Sec-Purpose")) == NULL)
		h.purpose = mb_req_header(r, "Purpose");
	mb_impact_count(im, &h, now_ms);
}
