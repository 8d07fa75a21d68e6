/* SPDX-License-Identifier: MIT */
/*
 * The newsroom's sources page (docs/ingest.md): the feeds this center
 * ingests, for its editors and admins, each with its state -- last
 * fetch, last new entry, next poll, failures and the last error (gone
 * once it recovers), entries and updates -- and a form to add one, and
 * per source: poll now, remove. The same rules as the API's
 * (/api/v1/feeds) and the command line's (feeds/feeds.h): a source on a
 * private address is the operator's decision, never a form's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/timeutil.h"
#include "feeds/feeds.h"
#include "http_int.h"
#include "nr_int.h"

/* False, having answered, unless an editor or an admin asks. */
static bool
manager(struct mb_req *r)
{
	struct mb_actor	a;
	struct mb_diag	d = { "" };
	int		rc;

	if (!mb_nr_staff_or_login(r))
		return false;
	mb_req_actor(r, &a);
	if ((rc = mb_feeds_may_manage(&a, &d)) != MB_OK) {
		mb_resp_err(r, rc, &d);
		return false;
	}
	return true;
}

struct list_arg {
	struct mb_page	*p;
	struct mb_tval	*list;
};

static void
when(struct mb_page *p, struct mb_tval *m, const char *key, int64_t ms)
{
	char t[MB_TIME_RFC3339_LEN];

	if (ms == 0)
		return;
	mb_time_format(ms - ms % 1000, t);
	mb_tv_str(p->td, m, key, t);
}

static int
on_source(const struct mb_feed_source *s, void *arg)
{
	struct list_arg	*la = arg;
	struct mb_page	*p = la->p;
	struct mb_tval	*m = mb_tv_map(p->td, la->list, NULL);

	mb_tv_int(p->td, m, "id", s->id);
	mb_tv_str(p->td, m, "url", s->url);
	mb_tv_str(p->td, m, "title", s->title);
	mb_tv_str(p->td, m, "language", s->language);
	mb_tv_str(p->td, m, "topics", s->topics);
	mb_tv_str(p->td, m, "audience", s->audience);
	mb_tv_str(p->td, m, "workflow", s->workflow);
	mb_tv_int(p->td, m, "every_min", s->every_s / 60);
	mb_tv_bool(p->td, m, "private", s->allow_private);
	when(p, m, "fetched", s->last_fetch_ms);
	when(p, m, "fresh", s->last_new_ms);
	when(p, m, "next", s->next_poll_ms);
	mb_tv_int(p->td, m, "failures", s->failures);
	mb_tv_str(p->td, m, "error", s->last_error);
	mb_tv_int(p->td, m, "entries", s->entries);
	mb_tv_int(p->td, m, "updates", s->updates);
	mb_tv_printf(p->td, m, "action", "/newsroom/sources/%lld",
	    (long long)s->id);
	return MB_OK;
}

/* The page, with a message or a refusal above it and the form as sent. */
static void
page(struct mb_req *r, unsigned status, const char *error, const char *flash,
    const struct mb_feeds_add *given, const char *every)
{
	struct mb_store	*st;
	struct mb_page	 p;
	struct list_arg	 la;
	struct mb_diag	 d = { "" };
	struct mb_tval	*f;
	int		 rc;

	if ((st = mb_req_store_or_reply(r)) == NULL)
		return;
	if (!mb_nr_begin(&p, r, "sources.title"))
		return;
	if (error != NULL)
		mb_tv_str(p.td, mb_tv_map(p.td, p.root, "errors"), "form",
		    error);
	if (flash != NULL)
		mb_tv_str(p.td, p.root, "flash", mb_page_msg(&p, flash));
	f = mb_tv_map(p.td, p.root, "form");
	if (given != NULL) {
		mb_tv_str(p.td, f, "url", given->url != NULL ? given->url : "");
		mb_tv_str(p.td, f, "language", given->language != NULL ?
		    given->language : "");
		mb_tv_str(p.td, f, "topics", given->topics != NULL ?
		    given->topics : "");
		mb_tv_bool(p.td, f, "publish", given->workflow != NULL &&
		    strncmp(given->workflow, "publish", 7) == 0);
		mb_tv_str(p.td, f, "audience", given->audience != NULL ?
		    given->audience : "public");
	}
	mb_tv_str(p.td, f, "every", every != NULL ? every : "15m");
	la.p = &p;
	la.list = mb_tv_list(p.td, p.root, "sources");
	rc = mb_store_feed_list(st, on_source, &la, &d);
	mb_page_finish_rc(&p, rc, &d, status, "nr_sources.html");
}

static void
sources(struct mb_req *r)
{
	const char *done = mb_req_query(r, "done");

	if (!manager(r))
		return;
	page(r, 200, NULL, done == NULL ? NULL : strcmp(done, "added") == 0 ?
	    "sources.added" : strcmp(done, "removed") == 0 ?
	    "sources.removed" : strcmp(done, "polling") == 0 ?
	    "sources.polling" : NULL, NULL, NULL);
}

static unsigned
status_of(int rc)
{
	return rc == MB_ERR_INVAL ? 400 : rc == MB_ERR_EXISTS ? 409 :
	    rc == MB_ERR_NOTFOUND ? 404 : rc == MB_ERR_PERM ? 403 : 0;
}

static void
source_add(struct mb_req *r)
{
	struct mb_feeds_add	 a;
	struct mb_store		*st;
	struct mb_diag		 d = { "" };
	const char		*every = mb_req_form(r, "every");
	int64_t			 id = 0;
	int			 rc = MB_OK;

	if (!manager(r) || (st = mb_req_store_or_reply(r)) == NULL)
		return;
	memset(&a, 0, sizeof(a));
	a.url = mb_req_form(r, "url");
	a.language = mb_req_form(r, "language");
	a.topics = mb_req_form(r, "topics");
	a.audience = mb_req_form(r, "audience");
	a.workflow = mb_req_form(r, "workflow");
	/* Empty fields of a form are fields not given. */
	if (a.language != NULL && a.language[0] == '\0')
		a.language = NULL;
	if (a.topics != NULL && a.topics[0] == '\0')
		a.topics = NULL;
	if (a.url == NULL || a.url[0] == '\0')
		rc = mb_diag_set(&d, MB_ERR_INVAL, "url: give the feed's "
		    "address");
	if (rc == MB_OK && every != NULL && every[0] != '\0')
		rc = mb_feeds_parse_every(every, &a.every_s, &d);
	if (rc == MB_OK)
		rc = mb_feeds_add(st, &a, &id, &d);
	if (rc != MB_OK) {
		unsigned status = status_of(rc);

		if (status == 0)
			mb_resp_err(r, rc, &d);
		else
			page(r, status, mb_diag_msg(&d, rc), NULL, &a, every);
		return;
	}
	log_info("feeds: source added id=%lld url=%s by=%s", (long long)id,
	    a.url, mb_req_user(r)->name);
	/* Its first poll at once. */
	mb_http__feeds_kick(mb_req_server(r));
	mb_nr_see_other(r, "/newsroom/sources?done=added");
}

/* One source: do = poll (now) or remove. */
static void
source_change(struct mb_req *r)
{
	const char		*p = mb_req_param(r, "id");
	const char		*op = mb_req_form(r, "do");
	struct mb_feed_source	 s;
	struct mb_store		*st;
	struct mb_diag		 d = { "" };
	char			*end;
	long long		 id;
	int			 rc;

	if (!manager(r) || (st = mb_req_store_or_reply(r)) == NULL)
		return;
	id = p != NULL ? strtoll(p, &end, 10) : 0;
	if (p == NULL || *p == '\0' || *end != '\0' || id < 1) {
		mb_nr_not_found(r);
		return;
	}
	if (op != NULL && strcmp(op, "remove") == 0) {
		if ((rc = mb_store_feed_remove(st, id, &d)) != MB_OK) {
			if (status_of(rc) == 0)
				mb_resp_err(r, rc, &d);
			else
				page(r, status_of(rc), mb_diag_msg(&d, rc),
				    NULL, NULL, NULL);
			return;
		}
		log_info("feeds: source removed id=%lld by=%s", id,
		    mb_req_user(r)->name);
		mb_nr_see_other(r, "/newsroom/sources?done=removed");
		return;
	}
	if (op == NULL || strcmp(op, "poll") != 0) {
		page(r, 400, "do: poll or remove", NULL, NULL, NULL);
		return;
	}
	/*
	 * Poll now: the source is due, and serve's poller is woken; the
	 * poll runs there (with its caps and its one connection per host),
	 * not in this request.
	 */
	if ((rc = mb_store_feed_get(st, id, &s, &d)) == MB_OK) {
		s.next_poll_ms = mb_time_now_ms();
		rc = mb_store_feed_save(st, &s, &d);
	}
	if (rc != MB_OK) {
		if (status_of(rc) == 0)
			mb_resp_err(r, rc, &d);
		else
			page(r, status_of(rc), mb_diag_msg(&d, rc), NULL, NULL,
			    NULL);
		return;
	}
	mb_http__feeds_kick(mb_req_server(r));
	mb_nr_see_other(r, "/newsroom/sources?done=polling");
}

const struct mb_route mb_routes_nr_sources[] = {
	{ "GET", "/newsroom/sources", sources, 0, "newsroom.sources" },
	{ "POST", "/newsroom/sources", source_add, MB_ROUTE_FORM |
	  MB_ROUTE_SMALL, "newsroom.source_add" },
	{ "POST", "/newsroom/sources/:id", source_change, MB_ROUTE_FORM |
	  MB_ROUTE_SMALL, "newsroom.source_change" },
	MB_ROUTES_END
};
