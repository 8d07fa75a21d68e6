/* SPDX-License-Identifier: MIT */
/* Proposals on the site: the list, a proposal with its result, and members' forms. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/timeutil.h"
#include "http/sanitize.h"
#include "http_int.h"
#include "item/id.h"
#include "members/agenda.h"
#include "members/members.h"
#include "site_members_int.h"
#include "store/agenda.h"

/*
 * Readers see the proposals of their audience with the state, each
 * center's signed tally (counted, or refused with the reason) and the
 * total, and the organisers' answer. A signed-in member of this center
 * votes, comments and reports through plain forms (the session's CSRF
 * token is checked before a handler runs); every rule is src/members/'s,
 * and a refusal shows the page again with the service's reason and the
 * status the API gives. After a change, 303 back to the page.
 */

static const char *
state_label(struct mb_page *p, const char *state)
{
	char k[48];

	snprintf(k, sizeof(k), "ag.state.%s", state);
	return mb_page_msg(p, k);
}

/* ---- the list ---- */

struct list_walk {
	struct mb_page	*p;
	struct mb_store	*st;
	struct mb_tval	*list;
};

static void
put_summary(struct mb_page *p, struct mb_store *st, struct mb_tval *m,
    const json_t *v)
{
	const char	*uri = json_string_value(json_object_get(v, "uri"));
	const char	*state = json_string_value(json_object_get(v, "state"));
	const char	*s;
	char		 c[MB_CENTER_MAX + 1], l[MB_LOCAL_MAX + 1], name[256];
	int64_t		 ms;

	mb_tv_str(p->td, m, "title", json_string_value(json_object_get(v,
	    "title")));
	mb_tv_str(p->td, m, "lang", json_string_value(json_object_get(v,
	    "language")));
	if (uri != NULL && mb_uri_parse(uri, c, l) == MB_OK) {
		mb_tv_printf(p->td, m, "url", "/%s/proposals/%s/%s", p->lang, c,
		    l);
		mb_site_center_name(st, c, p->lang, name, sizeof(name));
		mb_tv_str(p->td, m, "center", name);
	}
	if (state != NULL) {
		mb_tv_str(p->td, m, "state", state);
		mb_tv_str(p->td, m, "statelabel", state_label(p, state));
	}
	if ((s = json_string_value(json_object_get(v, "agenda"))) != NULL &&
	    s[0] != '\0')
		mb_tv_str(p->td, m, "agenda", s);
	if ((s = json_string_value(json_object_get(v, "closes"))) != NULL &&
	    mb_time_parse(s, &ms) == MB_OK)
		mb_page_date(p, m, "closes", ms);
	if ((s = json_string_value(json_object_get(v, "authorName"))) != NULL)
		mb_tv_str(p->td, m, "author", s);
}

static int
list_cb(const json_t *v, void *arg)
{
	struct list_walk *w = arg;

	put_summary(w->p, w->st, mb_tv_map(w->p->td, w->list, NULL), v);
	return MB_OK;
}

static void
proposals_page(struct mb_req *r, unsigned status, const char *error)
{
	const char		*lang = mb_mp_lang_or_404(r);
	const char		*done = mb_req_query(r, "done");
	struct mb_newsroom_env	 e;
	struct mb_actor		 a;
	struct mb_member	*me;
	struct mb_page		 p;
	struct list_walk	 w;
	struct mb_diag		 d = { "" };
	int			 rc;

	if (lang == NULL || !mb_req_newsroom_or_reply(r, &e))
		return;
	mb_req_actor(r, &a);
	if (!mb_mp_begin(&p, r, lang, "/proposals", "ag.title"))
		return;
	/* A member of this center drafts here; a moderator admits it. */
	if (a.user_id != 0 && (me = malloc(sizeof(*me))) != NULL) {
		if (mb_members_of_actor(&e, &a, me, NULL) == MB_OK &&
		    strcmp(me->status, "active") == 0) {
			struct mb_tval *f = mb_tv_map(p.td, p.root, "propose");

			mb_tv_str(p.td, f, "lang", lang);
			mb_tv_str(p.td, f, "title", mb_req_form(r, "title"));
			mb_tv_str(p.td, f, "text", mb_req_form(r, "text"));
		}
		free(me);
	}
	mb_page_notice(&p, error, done == NULL ? NULL :
	    strcmp(done, "proposed") == 0 ? "ag.done.proposed" :
	    strcmp(done, "hidden") == 0 ? "ag.done.hidden" : NULL);
	w.p = &p;
	w.st = e.st;
	w.list = mb_tv_list(p.td, p.root, "proposals");
	rc = mb_agenda_list(&e, &a, list_cb, &w, &d);
	mb_page_finish_rc(&p, rc, &d, status, "proposals.html");
}

static void
proposals(struct mb_req *r)
{
	proposals_page(r, 200, NULL);
}

/*
 * POST /<lang>/proposals: a member of this center drafts a proposal
 * (the closing date as the form's date, the end of that day in UTC).
 */
static void
propose(struct mb_req *r)
{
	const char		*lang = mb_mp_lang_or_404(r);
	const char		*day = mb_req_form(r, "closes");
	const char		*th = mb_req_form(r, "threshold");
	struct mb_newsroom_env	 e;
	struct mb_proposal_in	 in;
	struct mb_member	 m;
	struct mb_actor		 a;
	struct mb_diag		 d = { "" };
	char			 uri[MB_URI_MAX], closes[32], to[64], *end;
	int			 rc;

	if (lang == NULL || !mb_req_newsroom_or_reply(r, &e))
		return;
	mb_req_actor(r, &a);
	if (a.user_id == 0) {
		proposals_page(r, 401, "sign in first: members propose");
		return;
	}
	if (mb_members_of_actor(&e, &a, &m, NULL) != MB_OK) {
		proposals_page(r, 403, "only a member of this center proposes "
		    "here");
		return;
	}
	memset(&in, 0, sizeof(in));
	in.title = mb_req_form(r, "title");
	in.text = mb_req_form(r, "text");
	in.language = mb_req_form(r, "language");
	in.topics = mb_req_form(r, "topics");
	in.scope = mb_req_form(r, "scope");
	in.event = mb_req_form(r, "event");
	in.poll = mb_req_form(r, "poll");
	/* A date (YYYY-MM-DD) from the form's date field: that day's end. */
	if (day != NULL && strlen(day) == 10 && day[4] == '-' &&
	    day[7] == '-') {
		snprintf(closes, sizeof(closes), "%sT23:59:59Z", day);
		in.closes = closes;
	} else {
		in.closes = day;
	}
	in.threshold = th != NULL && *th != '\0' ? strtoll(th, &end, 10) : 0;
	if (th != NULL && *th != '\0' && *end != '\0')
		in.threshold = 0;
	if ((rc = mb_agenda_propose(&e, &m, &in, uri, &d)) != MB_OK) {
		proposals_page(r, mb_newsroom_http_status(rc), mb_diag_msg(&d,
		    rc));
		return;
	}
	snprintf(to, sizeof(to), "/%s/proposals?done=proposed", lang);
	mb_resp_see_other(r, to);
}

/* ---- a proposal ---- */

static bool
uri_of(struct mb_req *r, char uri[MB_URI_MAX])
{
	if (mb_uri_make(uri, MB_URI_MAX, mb_req_param(r, "center"),
	    mb_req_param(r, "local")) == MB_OK)
		return true;
	if (!mb_site_not_found(r))
		mb_resp_error(r, 404, "not_found", "no such proposal");
	return false;
}

static void
put_tallies(struct mb_page *p, struct mb_store *st, const json_t *v)
{
	struct mb_tval	*list = mb_tv_list(p->td, p->root, "tallies");
	const json_t	*total = json_object_get(v, "total"), *t;
	struct mb_tval	*m;
	size_t		 i;
	char		 name[256];

	json_array_foreach(json_object_get(v, "tallies"), i, t) {
		const char *status = json_string_value(json_object_get(t,
		    "status"));
		const char *center = json_string_value(json_object_get(t,
		    "center"));

		m = mb_tv_map(p->td, list, NULL);
		mb_site_center_name(st, center != NULL ? center : "", p->lang,
		    name, sizeof(name));
		mb_tv_str(p->td, m, "center", name);
		mb_tv_str(p->td, m, "centerid", center);
		mb_tv_int(p->td, m, "yes", json_integer_value(json_object_get(
		    t, "yes")));
		mb_tv_int(p->td, m, "no", json_integer_value(json_object_get(
		    t, "no")));
		mb_tv_int(p->td, m, "abstain", json_integer_value(
		    json_object_get(t, "abstain")));
		mb_tv_int(p->td, m, "voters", json_integer_value(
		    json_object_get(t, "voters")));
		mb_tv_int(p->td, m, "version", json_integer_value(
		    json_object_get(t, "version")));
		mb_tv_bool(p->td, m, "counted", status != NULL &&
		    strcmp(status, "counted") == 0);
		if (json_object_get(t, "reason") != NULL)
			mb_tv_str(p->td, m, "reason", json_string_value(
			    json_object_get(t, "reason")));
	}
	m = mb_tv_map(p->td, p->root, "total");
	mb_tv_int(p->td, m, "yes", json_integer_value(json_object_get(total,
	    "yes")));
	mb_tv_int(p->td, m, "no", json_integer_value(json_object_get(total,
	    "no")));
	mb_tv_int(p->td, m, "abstain", json_integer_value(json_object_get(
	    total, "abstain")));
	mb_tv_int(p->td, m, "voters", json_integer_value(json_object_get(
	    total, "voters")));
}

struct comments_walk {
	struct mb_page	*p;
	struct mb_tval	*list;
};

static int
comment_cb(const json_t *c, void *arg)
{
	struct comments_walk	*w = arg;
	struct mb_tval		*m = mb_tv_map(w->p->td, w->list, NULL);

	mb_tv_int(w->p->td, m, "id", json_integer_value(json_object_get(c,
	    "id")));
	mb_tv_str(w->p->td, m, "author", json_string_value(json_object_get(c,
	    "author")));
	mb_tv_str(w->p->td, m, "text", json_string_value(json_object_get(c,
	    "text")));
	mb_tv_bool(w->p->td, m, "hidden", json_is_true(json_object_get(c,
	    "hidden")));
	mb_page_date(w->p, m, "date", json_integer_value(json_object_get(c,
	    "created")));
	return MB_OK;
}

/*
 * The page, with status and the service's reason when a form was
 * refused (error; NULL else) or a catalog key said after a change.
 */
static void
proposal_page(struct mb_req *r, unsigned status, const char *error)
{
	const char		*lang = mb_mp_lang_or_404(r);
	const char		*done = mb_req_query(r, "done"), *s;
	struct mb_newsroom_env	 e;
	struct mb_actor		 a;
	struct mb_member	*me = NULL;
	struct mb_page		 p;
	struct comments_walk	 cw;
	struct mb_tval		*pr;
	struct mb_buf		 html = MB_BUF_INIT;
	struct mb_diag		 d = { "" };
	json_t			*v = NULL, *x;
	char			 uri[MB_URI_MAX], rest[MB_URI_MAX + 16];
	size_t			 i;
	bool			 voted = false, open;
	int			 rc;

	if (lang == NULL || !uri_of(r, uri) || !mb_req_newsroom_or_reply(r,
	    &e))
		return;
	mb_req_actor(r, &a);
	if ((rc = mb_agenda_get(&e, &a, uri, &v, &d)) != MB_OK) {
		if (rc != MB_ERR_NOTFOUND || !mb_site_not_found(r))
			mb_resp_err(r, rc, &d);
		return;
	}
	snprintf(rest, sizeof(rest), "/proposals/%s/%s", mb_req_param(r,
	    "center"), mb_req_param(r, "local"));
	if (!mb_mp_begin(&p, r, lang, rest, "ag.title"))
		goto out;
	mb_tv_str(p.td, mb_tv_map(p.td, p.root, "page"), "title",
	    json_string_value(json_object_get(v, "title")));
	pr = mb_tv_map(p.td, p.root, "proposal");
	put_summary(&p, e.st, pr, v);
	mb_tv_printf(p.td, pr, "action", "/%s%s", lang, rest);
	/* The body was made from plain text; a peer's goes through the
	 * sanitizer all the same. */
	s = json_string_value(json_object_get(v, "text"));
	if (s != NULL && mb_sanitize_html(s, strlen(s), &html, NULL) == MB_OK)
		mb_tv_html(p.td, pr, "text", mb_buf_cstr(&html));
	mb_buf_free(&html);
	mb_tv_int(p.td, pr, "threshold", json_integer_value(json_object_get(v,
	    "threshold")));
	s = json_string_value(json_object_get(v, "poll"));
	mb_tv_str(p.td, pr, "poll", mb_page_msg(&p, s != NULL && strcmp(s,
	    "secret") == 0 ? "ag.poll.secret" : "ag.poll.open"));
	if ((s = json_string_value(json_object_get(v, "answer"))) != NULL &&
	    s[0] != '\0')
		mb_tv_str(p.td, pr, "answer", s);
	{
		struct mb_tval *tl = mb_tv_list(p.td, pr, "topics");

		json_array_foreach(json_object_get(v, "topics"), i, x)
			mb_tv_str(p.td, tl, NULL, json_string_value(x));
		if (i == 0)
			mb_tv_bool(p.td, pr, "notopics", true);
	}
	put_tallies(&p, e.st, v);
	open = strcmp(json_string_value(json_object_get(v, "state")) ?: "",
	    "open") == 0;
	/* The forms: a signed-in member of this center. */
	if (a.user_id != 0 && (me = malloc(sizeof(*me))) != NULL &&
	    mb_members_of_actor(&e, &a, me, NULL) == MB_OK) {
		mb_tv_bool(p.td, p.root, "member", true);
		if (mb_store_agenda_voted(e.st, uri, me->id, &voted, NULL) ==
		    MB_OK && voted)
			mb_tv_bool(p.td, p.root, "voted", true);
		else if (open)
			mb_tv_bool(p.td, p.root, "canvote", true);
	} else if (a.user_id != 0) {
		mb_tv_bool(p.td, p.root, "notmember", true);
	}
	free(me);
	if (error != NULL)
		mb_tv_str(p.td, p.root, "error", error);
	if (done != NULL && (strcmp(done, "voted") == 0 ||
	    strcmp(done, "commented") == 0 || strcmp(done, "reported") == 0 ||
	    strcmp(done, "hidden") == 0)) {
		char k[32];

		snprintf(k, sizeof(k), "ag.done.%s", done);
		mb_tv_str(p.td, p.root, "flash", mb_page_msg(&p, k));
	}
	cw.p = &p;
	cw.list = mb_tv_list(p.td, p.root, "comments");
	rc = mb_agenda_comments(&e, &a, uri, comment_cb, &cw, &d);
	mb_page_finish_rc(&p, rc, &d, status, "proposal.html");
out:
	json_decref(v);
}

static void
proposal_get(struct mb_req *r)
{
	proposal_page(r, 200, NULL);
}

static bool
target_is_proposal(struct mb_req *r)
{
	const char *c = mb_req_form(r, "comment");

	return c == NULL || c[0] == '\0';
}

/* POST .../vote, .../comment, .../report: a member of this center. */
static void
proposal_post(struct mb_req *r)
{
	const char		*lang = mb_mp_lang_or_404(r);
	const char		*act = mb_req_param(r, "action");
	const char		*code = NULL, *target, *done;
	struct mb_newsroom_env	 e;
	struct mb_member	 m;
	struct mb_actor		 a;
	struct mb_diag		 d = { "" };
	char			 uri[MB_URI_MAX], tgt[64], to[MB_URI_MAX + 48];
	bool			 hidden = false;
	int64_t			 id = 0;
	int			 rc;

	if (lang == NULL || !uri_of(r, uri))
		return;
	if (strcmp(act, "vote") != 0 && strcmp(act, "comment") != 0 &&
	    strcmp(act, "report") != 0) {
		if (!mb_site_not_found(r))
			mb_resp_error(r, 404, "not_found", "no such page");
		return;
	}
	if (!mb_req_newsroom_or_reply(r, &e))
		return;
	mb_req_actor(r, &a);
	if (a.user_id == 0) {
		proposal_page(r, 401, "sign in first: members vote, comment "
		    "and report");
		return;
	}
	if ((rc = mb_members_of_actor(&e, &a, &m, &d)) != MB_OK) {
		proposal_page(r, 403, "only a member of this center does "
		    "that");
		return;
	}
	done = act;
	if (strcmp(act, "vote") == 0) {
		rc = mb_agenda_vote(&e, &m, uri, mb_req_form(r, "choice"),
		    &code, &d);
		done = "voted";
	} else if (strcmp(act, "comment") == 0) {
		rc = mb_agenda_comment(&e, &m, uri, mb_req_form(r, "text"),
		    &id, &d);
		done = "commented";
	} else {
		/* The proposal itself, or one of its comments here. */
		target = mb_req_form(r, "comment");
		if (target != NULL && target[0] != '\0') {
			char *end;
			long long c = strtoll(target, &end, 10);

			if (*end != '\0' || c <= 0) {
				proposal_page(r, 400, "comment: a comment's "
				    "number");
				return;
			}
			snprintf(tgt, sizeof(tgt), "comment:%lld", c);
			rc = mb_agenda_report(&e, &m, tgt, &hidden, &d);
		} else {
			rc = mb_agenda_report(&e, &m, uri, &hidden, &d);
		}
		done = hidden ? "hidden" : "reported";
	}
	if (rc != MB_OK) {
		proposal_page(r, mb_newsroom_http_status(rc), mb_diag_msg(&d,
		    rc));
		return;
	}
	/* A proposal hidden by the reports is gone for its reporter too. */
	if (hidden && target_is_proposal(r))
		snprintf(to, sizeof(to), "/%s/proposals?done=hidden", lang);
	else
		snprintf(to, sizeof(to), "/%s/proposals/%s/%s?done=%s", lang,
		    mb_req_param(r, "center"), mb_req_param(r, "local"), done);
	mb_resp_see_other(r, to);
}

const struct mb_route mb_routes_site_agenda[] = {
	{ "GET", "/:lang/proposals", proposals, 0, "site.proposals" },
	{ "POST", "/:lang/proposals", propose, MB_ROUTE_FORM | MB_ROUTE_ITEM,
	  "site.propose" },
	{ "GET", "/:lang/proposals/:center/:local", proposal_get, 0,
	  "site.proposal" },
	{ "POST", "/:lang/proposals/:center/:local/:action", proposal_post,
	  MB_ROUTE_FORM | MB_ROUTE_ITEM, "site.proposal.post" },
	MB_ROUTES_END
};
