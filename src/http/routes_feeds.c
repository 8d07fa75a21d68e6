/* SPDX-License-Identifier: MIT */
/* Feeds: Atom and JSON Feed per language, topic and center; events.ics. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/timeutil.h"
#include "center/names.h"
#include "events/events.h"
#include "http/feeds.h"
#include "http/newsml.h"
#include "http_int.h"
#include "newsroom/items.h"
#include "site_int.h"
#include "wire/wire.h"

#define FEED_ITEMS 50

struct feed_ctx {
	struct mb_item_view	 views[FEED_ITEMS];
	struct mb_feed_entry	 entries[FEED_ITEMS];
	struct mb_buf		 html[FEED_ITEMS], sum[FEED_ITEMS];
	struct mb_buf		 ics[FEED_ITEMS];	/* events' VEVENTs */
	bool			 ical;	/* an iCalendar feed */
	char			 urls[FEED_ITEMS][200];
	char			*cats[FEED_ITEMS][8];
	char			 authors[FEED_ITEMS][128];
	size_t			 n;
	const char		*base;	/* "http://host" */
	const char		*lang;	/* page language of the links */
	struct mb_store		*st;
};

static int
feed_cb(const struct mb_store_version *sv, void *arg)
{
	struct feed_ctx		*fc = arg;
	struct mb_item_view	*v = &fc->views[fc->n];
	struct mb_feed_entry	*e = &fc->entries[fc->n];
	const json_t		*o;
	size_t			 i, nc = 0;

	if (fc->n == FEED_ITEMS)
		return 1;
	/* Feeds are the public's: a hidden proposal is no entry. */
	if (mb_newsroom_hidden_proposal(fc->st, sv->uri, sv->profile))
		return MB_OK;
	if (mb_item_view_load(v, sv) != MB_OK)
		return MB_OK;
	memset(e, 0, sizeof(*e));
	e->id = v->uri;
	e->title = v->headline;
	e->language = v->language;
	e->updated_ms = v->updated_ms;
	e->published_ms = v->first_ms;
	{
		char u[sizeof(fc->urls[0])];

		snprintf(u, sizeof(u), "%s/%s/%s/%s/%s", fc->base,
		    fc->lang != NULL ? fc->lang : (v->lang[0] != '\0' ?
		    v->lang : "en"), mb_site_item_dir(v->profile), v->center,
		    v->local);
		memcpy(fc->urls[fc->n], u, sizeof(u));
	}
	e->url = fc->urls[fc->n];
	if (v->byline != NULL) {
		e->author = v->byline;
	} else {
		mb_site_center_name(fc->st, v->origin, fc->lang,
		    fc->authors[fc->n],
		    sizeof(fc->authors[fc->n]));
		e->author = fc->authors[fc->n];
	}
	if (mb_item_view_summary(v, 300, &fc->sum[fc->n]) == MB_OK &&
	    fc->sum[fc->n].len > 0)
		e->summary = fc->sum[fc->n].data;
	if (mb_item_view_body(v, &fc->html[fc->n]) == MB_OK &&
	    fc->html[fc->n].len > 0)
		e->content_html = fc->html[fc->n].data;
	json_array_foreach(json_object_get(v->item, "subjects"), i, o) {
		const char *name = json_string_value(json_object_get(o,
		    "name"));

		if (name != NULL && nc < 8)
			fc->cats[fc->n][nc++] = (char *)name;
	}
	e->categories = (const char *const *)fc->cats[fc->n];
	e->ncategories = nc;
	e->start_ms = v->start_ms;
	e->end_ms = v->end_ms;
	e->location = v->where;
	/*
	 * An event's VEVENTs as its own .ics writes them: one per session
	 * with the same UIDs, STATUS (CANCELLED) and SEQUENCE, so that a
	 * calendar subscribed to both sees one event, and its cancellation.
	 */
	if (fc->ical) {
		struct mb_event *ev = calloc(1, sizeof(*ev));

		if (ev != NULL && mb_event_read(v->item, ev, NULL) == MB_OK &&
		    mb_event_ical_vevents(ev, e->url, mb_time_now_ms(),
		    &fc->ics[fc->n]) == MB_OK && fc->ics[fc->n].len > 0)
			e->ical = fc->ics[fc->n].data;
		free(ev);
	}
	fc->n++;
	return MB_OK;
}

static void
feed_free(struct feed_ctx *fc)
{
	for (size_t i = 0; i < fc->n; i++) {
		mb_item_view_free(&fc->views[i]);
		mb_buf_free(&fc->html[i]);
		mb_buf_free(&fc->sum[i]);
		mb_buf_free(&fc->ics[i]);
	}
	free(fc);
}

/*
 * The center's public URL ([center] url): never the Host header, since
 * a feed is cached and served to everyone.
 */
static void
base_url(struct mb_req *r, char *out, size_t n)
{
	size_t len;

	snprintf(out, n, "%s", mb_req_node(r)->conf.url);
	len = strlen(out);
	while (len > 0 && out[len - 1] == '/')
		out[--len] = '\0';
}

enum fmt { F_ATOM, F_JSON, F_ICS, F_NEWSML };

/*
 * The interface language of the pages a feed links to: the feed's own
 * when the site has its catalog, else English. A feed of Persian items
 * on a site without a Persian catalog links to /en/items/..., not to
 * /fa/items/..., which would be a 404.
 */
static const char *
page_lang(const char *want)
{
	const struct mb_site	*s = mb_site_get(NULL);
	const struct mb_catalog	*c;

	if (want != NULL && s != NULL && (c = mb_i18n_get(mb_site_i18n(s),
	    want)) != NULL && strcmp(mb_catalog_lang(c), want) == 0)
		return want;
	return "en";
}

/*
 * The items as a NewsML-G2 newsMessage, each a newsItem whose bodies are
 * the sanitized HTML the site shows; an item that cannot be written
 * (none should) is left out.
 */
static int
newsml_message(const struct feed_ctx *fc, const char *center,
    struct mb_buf *out)
{
	int	rc;

	if ((rc = mb_wire_newsml_message_begin(center, mb_time_now_ms(),
	    out)) != MB_OK)
		return rc;
	for (size_t i = 0; i < fc->n; i++) {
		json_t		*item = mb_http_newsml_item_copy(
				    fc->views[i].item);
		const char	*origin = fc->views[i].origin;

		if (item == NULL)
			return MB_ERR_NOMEM;
		rc = mb_wire_newsml_message_item(item, origin != NULL ?
		    origin : center, out, NULL);
		json_decref(item);
		if (rc == MB_ERR_NOMEM)
			return rc;
	}
	return mb_wire_newsml_message_end(out);
}

/*
 * Answers a feed of f's public items. kind names the feed in its id;
 * page is the site page it mirrors (after the language).
 */
static void
feed(struct mb_req *r, struct mb_store_filter *f, enum fmt fmt,
    const char *kind, const char *title, const char *page)
{
	const struct mb_center_node	*node = mb_req_node(r);
	struct feed_ctx			*fc;
	struct mb_feed			 feed;
	struct mb_store			*st;
	struct mb_buf			 out = MB_BUF_INIT;
	struct mb_diag			 d = { "" };
	char				 base[300], self[600], home[600];
	char				 id[400], ftitle[300];
	char				 self_name[128];
	const char			*ul = page_lang(f->language);
	int				 rc;

	if ((st = mb_req_store_or_reply(r)) == NULL)
		return;
	if ((fc = calloc(1, sizeof(*fc))) == NULL) {
		mb_resp_error(r, 503, "unavailable", "out of memory");
		return;
	}
	base_url(r, base, sizeof(base));
	fc->base = base;
	fc->lang = ul;
	fc->st = st;
	fc->ical = fmt == F_ICS;
	f->limit = FEED_ITEMS;
	f->audiences = MB_SITE_PUBLIC;
	f->now_ms = mb_time_now_ms();
	if ((rc = mb_store_list(st, f, feed_cb, fc, &d)) != MB_OK) {
		feed_free(fc);
		mb_resp_err(r, rc, &d);
		return;
	}
	snprintf(self, sizeof(self), "%s%s", base, mb_req_path(r));
	snprintf(home, sizeof(home), "%s/%s%s", base, ul, page);
	snprintf(id, sizeof(id), "tag:mediabridge,2026:%s:%s", node->conf.id,
	    kind);
	mb_site_center_name(st, node->conf.id, ul, self_name,
	    sizeof(self_name));
	snprintf(ftitle, sizeof(ftitle), "%s: %s", self_name, title);
	memset(&feed, 0, sizeof(feed));
	feed.id = id;
	feed.title = ftitle;
	feed.language = f->language;
	feed.self_url = self;
	feed.home_url = home;
	feed.author = self_name;
	feed.updated_ms = fc->n == 0 ? mb_time_now_ms() : 0;
	feed.entries = fc->entries;
	feed.n = fc->n;
	switch (fmt) {
	case F_ATOM:
		rc = mb_feed_atom(&feed, &out);
		break;
	case F_JSON:
		rc = mb_feed_json(&feed, &out);
		break;
	case F_ICS:
		rc = mb_feed_ical(&feed, mb_time_now_ms(), &out);
		break;
	case F_NEWSML:
		rc = newsml_message(fc, node->conf.id, &out);
		break;
	}
	feed_free(fc);
	if (rc != MB_OK || out.data == NULL) {
		mb_buf_free(&out);
		mb_resp_error(r, 503, "unavailable", "out of memory");
		return;
	}
	mb_resp_cache_ttl(r, 5000);
	mb_resp_take(r, 200, fmt == F_ATOM ?
	    "application/atom+xml; charset=utf-8" : fmt == F_JSON ?
	    "application/feed+json; charset=utf-8" : fmt == F_NEWSML ?
	    MB_NEWSML_MESSAGE_TYPE "; charset=utf-8" :
	    "text/calendar; charset=utf-8", mb_buf_steal(&out), out.len);
}

/* "ar.atom" -> name "ar", F_ATOM; false for anything else. */
static bool
split_file(const char *file, char *name, size_t n, enum fmt *fmt,
    bool space_ok)
{
	const char	*dot = file != NULL ? strrchr(file, '.') : NULL;
	size_t		 len;

	if (dot == NULL || (len = (size_t)(dot - file)) == 0 || len >= n)
		return false;
	if (strcmp(dot, ".atom") == 0)
		*fmt = F_ATOM;
	else if (strcmp(dot, ".json") == 0)
		*fmt = F_JSON;
	else if (strcmp(dot, ".newsml") == 0)
		*fmt = F_NEWSML;
	else
		return false;
	memcpy(name, file, len);
	name[len] = '\0';
	/* A topic may hold spaces ("New York", %20 in its link). */
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)name[i] < (space_ok ? 0x20 : 0x21) ||
		    name[i] == 0x7f || name[i] == '/')
			return false;
	return !space_ok || (name[0] != ' ' && name[len - 1] != ' ');
}

static void
not_found(struct mb_req *r)
{
	mb_resp_error(r, 404, "not_found", "no such feed: feeds are "
	    "/feeds/<lang>.atom, .json or .newsml (NewsML-G2), "
	    "/feeds/topics/<topic>.atom, "
	    "/feeds/centers/<id>.atom, /events.ics");
}

static void
lang_feed(struct mb_req *r)
{
	struct mb_store_filter	f;
	enum fmt		fmt;
	char			name[16], kind[40];

	if (!split_file(mb_req_param(r, "file"), name, sizeof(name), &fmt,
	    false) ||
	    strlen(name) > 8) {
		not_found(r);
		return;
	}
	memset(&f, 0, sizeof(f));
	f.language = name;
	snprintf(kind, sizeof(kind), "lang:%s", name);
	feed(r, &f, fmt, kind, mb_site_lang_name(mb_site_get(NULL), name),
	    "/");
}

static void
topic_feed(struct mb_req *r)
{
	struct mb_store_filter	f;
	enum fmt		fmt;
	struct mb_buf		page = MB_BUF_INIT;
	char			name[200], kind[220];

	if (!split_file(mb_req_param(r, "file"), name, sizeof(name), &fmt,
	    true)) {
		not_found(r);
		return;
	}
	memset(&f, 0, sizeof(f));
	f.topic = name;
	f.language = mb_req_query(r, "lang");
	snprintf(kind, sizeof(kind), "topic:%s", name);
	/* The topic page's link, encoded as the site's own links are. */
	if (mb_buf_puts(&page, "/topics/") == MB_OK &&
	    mb_http_urlencode(name, &page) == MB_OK)
		feed(r, &f, fmt, kind, name, mb_buf_cstr(&page));
	else
		mb_resp_error(r, 500, "internal", "out of memory");
	mb_buf_free(&page);
}

static void
center_feed(struct mb_req *r)
{
	struct mb_store_filter	 f;
	struct mb_store		*st;
	struct mb_center	 c;
	enum fmt		 fmt;
	char			 name[40], kind[60], page[80];

	if (!split_file(mb_req_param(r, "file"), name, sizeof(name), &fmt,
	    false) ||
	    !mb_center_id_valid(name)) {
		not_found(r);
		return;
	}
	if ((st = mb_req_store_or_reply(r)) == NULL)
		return;
	if (mb_store_center_get(st, name, &c, NULL) != MB_OK) {
		not_found(r);
		return;
	}
	memset(&f, 0, sizeof(f));
	f.center = name;
	f.language = mb_req_query(r, "lang");
	snprintf(kind, sizeof(kind), "center:%s", name);
	snprintf(page, sizeof(page), "/centers/%s", name);
	{
		char cn[128];

		/* The center's name in the feed's language when it has one. */
		mb_center_name_in(&c, page_lang(f.language), cn, sizeof(cn));
		feed(r, &f, fmt, kind, cn, page);
	}
}

static void
events_ics(struct mb_req *r)
{
	struct mb_store_filter f;

	memset(&f, 0, sizeof(f));
	f.profile = "event";
	f.language = mb_req_query(r, "lang");
	feed(r, &f, F_ICS, "events", "events", "/events");
}

const struct mb_route mb_routes_feeds[] = {
	{ "GET", "/feeds/:file", lang_feed, MB_ROUTE_CACHE, "feeds.lang" },
	{ "GET", "/feeds/topics/:file", topic_feed, MB_ROUTE_CACHE,
	  "feeds.topic" },
	{ "GET", "/feeds/centers/:file", center_feed, MB_ROUTE_CACHE,
	  "feeds.center" },
	{ "GET", "/events.ics", events_ics, MB_ROUTE_CACHE, "feeds.events" },
	MB_ROUTES_END
};
