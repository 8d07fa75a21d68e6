/* SPDX-License-Identifier: MIT */
/*
 * Members and proposals in the browser newsroom: an admin lists this
 * center's member records (contacts included: they stay here), adds one,
 * suspends, reinstates or removes; a moderator (editor, admin) admits,
 * closes and answers this center's proposals, publishes this center's
 * tally of any network proposal, and hides or shows again what members'
 * reports hid.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "form.h"
#include "http_int.h"
#include "item/id.h"
#include "members/agenda.h"
#include "members/members.h"
#include "nr_int.h"
#include "store/agenda.h"
#include "store/members.h"

/*
 * Every change goes through src/members/, as the API's and the CLI's
 * do, so the rules are the same at every door. A refused form answers
 * its page again with the service's reason and the status the API would
 * give; nothing has changed.
 */

static const char *const audiences[] = { "public", "network", "internal" };

/* ---- members ---- */

struct rec_walk {
	struct mb_page	*p;
	struct mb_tval	*list;
};

static int
rec_cb(const struct mb_member *m, void *arg)
{
	struct rec_walk	*w = arg;
	struct mb_page	*p = w->p;
	struct mb_tval	*r = mb_tv_map(p->td, w->list, NULL);
	char		 k[48];

	mb_tv_int(p->td, r, "id", m->id);
	mb_tv_str(p->td, r, "name", m->name);
	snprintf(k, sizeof(k), "mem.cat.%s", m->category);
	mb_tv_str(p->td, r, "category", mb_page_msg(p, k));
	mb_tv_str(p->td, r, "country", m->country);
	mb_tv_str(p->td, r, "languages", m->languages);
	snprintf(k, sizeof(k), "nrm.aud.%s", m->audience);
	mb_tv_str(p->td, r, "audience", mb_page_msg(p, k));
	snprintf(k, sizeof(k), "nrm.st.%s", m->status);
	mb_tv_str(p->td, r, "status", mb_page_msg(p, k));
	mb_tv_str(p->td, r, "state", m->status);
	mb_tv_str(p->td, r, "email", m->email);
	mb_tv_str(p->td, r, "phone", m->phone);
	mb_tv_str(p->td, r, "account", m->user);
	mb_tv_printf(p->td, r, "action", "/newsroom/members/%lld",
	    (long long)m->id);
	mb_tv_bool(p->td, r, "active", strcmp(m->status, "active") == 0);
	mb_tv_bool(p->td, r, "suspended", strcmp(m->status, "suspended") ==
	    0);
	return MB_OK;
}

/* The signed-in actor into a when an admin; else a 403 answered. */
static bool
admin_or_403(struct mb_req *r, struct mb_actor *a)
{
	mb_req_actor(r, a);
	if (mb_actor_role(a) == MB_ROLE_ADMIN)
		return true;
	mb_resp_error(r, 403, "forbidden", "only this center's admins manage "
	    "its members");
	return false;
}

/* The member's number in :id; else a 404 answered. */
static bool
member_id(struct mb_req *r, long long *n)
{
	char *end;

	*n = strtoll(mb_req_param(r, "id"), &end, 10);
	if (*end == '\0' && *n > 0)
		return true;
	mb_nr_not_found(r);
	return false;
}

static void
members_page(struct mb_req *r, unsigned status, const char *error)
{
	struct mb_store_member_filter	 f;
	struct mb_actor			 a;
	struct mb_store			*st;
	struct mb_page			 p;
	struct rec_walk			 w;
	struct mb_tval			*l;
	struct mb_diag			 d = { "" };
	int				 rc;

	if (!mb_nr_user_or_login(r))
		return;
	if (!admin_or_403(r, &a))
		return;
	if ((st = mb_req_store_or_reply(r)) == NULL ||
	    !mb_nr_begin(&p, r, "nrm.members"))
		return;
	mb_page_notice(&p, error, mb_req_query(r, "done") != NULL ?
	    "nrm.done" : NULL);
	l = mb_tv_list(p.td, p.root, "categories");
	for (int i = 0; mb_member_categories[i] != NULL; i++) {
		struct mb_tval	*o = mb_tv_map(p.td, l, NULL);
		char		 k[48];

		snprintf(k, sizeof(k), "mem.cat.%s", mb_member_categories[i]);
		mb_tv_str(p.td, o, "code", mb_member_categories[i]);
		mb_tv_str(p.td, o, "name", mb_page_msg(&p, k));
	}
	l = mb_tv_list(p.td, p.root, "audiences");
	for (size_t i = 0; i < sizeof(audiences) / sizeof(audiences[0]);
	    i++) {
		struct mb_tval	*o = mb_tv_map(p.td, l, NULL);
		char		 k[48];

		snprintf(k, sizeof(k), "nrm.aud.%s", audiences[i]);
		mb_tv_str(p.td, o, "code", audiences[i]);
		mb_tv_str(p.td, o, "name", mb_page_msg(&p, k));
		mb_tv_bool(p.td, o, "selected", i == 1);
	}
	memset(&f, 0, sizeof(f));
	w.p = &p;
	w.list = mb_tv_list(p.td, p.root, "members");
	rc = mb_store_member_list(st, &f, rec_cb, &w, &d);
	mb_page_finish_rc(&p, rc, &d, status, "nr_members.html");
}

static void
members_get(struct mb_req *r)
{
	members_page(r, 200, NULL);
}

static const char *
form_or_null(struct mb_req *r, const char *k)
{
	const char *v = mb_req_form(r, k);

	return v != NULL && v[0] != '\0' ? v : NULL;
}

/* POST /newsroom/members: an admin adds a member. */
static void
member_add(struct mb_req *r)
{
	struct mb_newsroom_env	 e;
	struct mb_member_in	 in;
	struct mb_actor		 a;
	struct mb_diag		 d = { "" };
	const char		*bl = form_or_null(r, "bio_lang");
	const char		*bt = form_or_null(r, "bio");
	json_t			*bio = NULL;
	int			 rc;

	if (!mb_nr_user_or_login(r) || !mb_req_newsroom_or_reply(r, &e))
		return;
	mb_req_actor(r, &a);
	memset(&in, 0, sizeof(in));
	in.name = form_or_null(r, "name");
	in.category = form_or_null(r, "category");
	in.country = form_or_null(r, "country");
	in.languages = form_or_null(r, "languages");
	in.affiliation = form_or_null(r, "affiliation");
	in.audience = form_or_null(r, "audience");
	in.email = form_or_null(r, "email");
	in.phone = form_or_null(r, "phone");
	in.user = form_or_null(r, "user");
	if (bt != NULL) {
		bio = json_pack("{s:s}", bl != NULL ? bl : "en", bt);
		in.bio = bio;
	}
	rc = mb_members_add(&e, &a, &in, NULL, &d);
	json_decref(bio);
	if (rc != MB_OK) {
		members_page(r, mb_newsroom_http_status(rc), mb_diag_msg(&d,
		    rc));
		return;
	}
	mb_nr_see_other(r, "/newsroom/members?done=1");
}

/* POST /newsroom/members/:id: do=suspend|reinstate|remove. */
static void
member_post(struct mb_req *r)
{
	struct mb_newsroom_env	 e;
	struct mb_actor		 a;
	struct mb_diag		 d = { "" };
	const char		*act = mb_req_form(r, "do");
	const char		*status;
	long long		 n;
	int			 rc;

	if (!mb_nr_user_or_login(r))
		return;
	if (!member_id(r, &n))
		return;
	status = act == NULL ? NULL : strcmp(act, "suspend") == 0 ?
	    "suspended" : strcmp(act, "remove") == 0 ? "removed" :
	    strcmp(act, "reinstate") == 0 ? "active" : NULL;
	if (status == NULL) {
		members_page(r, 400, "do: suspend, reinstate or remove");
		return;
	}
	if (!mb_req_newsroom_or_reply(r, &e))
		return;
	mb_req_actor(r, &a);
	if ((rc = mb_members_set_status(&e, &a, n, status, &d)) != MB_OK) {
		members_page(r, mb_newsroom_http_status(rc), mb_diag_msg(&d,
		    rc));
		return;
	}
	mb_nr_see_other(r, "/newsroom/members?done=1");
}

/*
 * POST /newsroom/members/:id/photo (multipart: file, caption): the
 * picture through the media pipeline (decoded in its sandbox, its
 * renditions made and stored), then the profile carries it.
 */
static void
member_photo(struct mb_req *r)
{
	struct mb_newsroom_env	 e;
	struct mb_actor		 a;
	struct mb_store		*st;
	struct mb_diag		 d = { "" };
	const char		*caption = mb_req_form(r, "caption");
	const char		*data, *code, *long_;
	char			 msg[160];
	json_t			*up = NULL;
	size_t			 len;
	long long		 n;
	int			 rc;

	if (!mb_nr_user_or_login(r))
		return;
	if (!member_id(r, &n))
		return;
	if (!admin_or_403(r, &a))
		return;
	/* Checked before the upload is decoded: a refusal costs nothing. */
	/* A field the form could not hold would read as missing. */
	if ((long_ = mb_req_form_too_long(r)) != NULL) {
		snprintf(msg, sizeof(msg), "%s: too long, at most %d bytes",
		    long_, MB_FORM_TEXT_MAX);
		members_page(r, 413, msg);
		return;
	}
	if (caption == NULL || caption[strspn(caption, " \t\r\n")] == '\0') {
		members_page(r, 422, "caption: describe the photo; it is also "
		    "its text for readers who cannot see it");
		return;
	}
	if (!mb_http_upload_bytes(r, &data, &len) || len == 0) {
		members_page(r, 400, "file: choose a picture to upload");
		return;
	}
	if (!mb_req_newsroom_or_reply(r, &e) ||
	    (st = mb_req_store_or_reply(r)) == NULL)
		return;
	if ((rc = mb_http_media_ingest(r, st, data, len, &up, &d)) != MB_OK) {
		members_page(r, mb_http_upload_status(rc, &code),
		    mb_diag_msg(&d, rc));
		return;
	}
	rc = mb_members_set_photo(&e, &a, n, up, caption, &d);
	json_decref(up);
	if (rc != MB_OK) {
		members_page(r, mb_newsroom_http_status(rc), mb_diag_msg(&d,
		    rc));
		return;
	}
	mb_nr_see_other(r, "/newsroom/members?done=1");
}

/* ---- proposals ---- */

struct prop_walk {
	struct mb_page			*p;
	const struct mb_newsroom_env	*e;
	const struct mb_actor		*a;
	struct mb_tval			*list, *hidden;
};

static int
hidden_cb(const json_t *c, void *arg)
{
	struct prop_walk	*w = arg;
	struct mb_tval		*m;

	if (!json_is_true(json_object_get(c, "hidden")))
		return MB_OK;
	m = mb_tv_map(w->p->td, w->hidden, NULL);
	mb_tv_int(w->p->td, m, "id", json_integer_value(json_object_get(c,
	    "id")));
	mb_tv_str(w->p->td, m, "author", json_string_value(json_object_get(c,
	    "author")));
	mb_tv_str(w->p->td, m, "text", json_string_value(json_object_get(c,
	    "text")));
	mb_tv_int(w->p->td, m, "reports", json_integer_value(json_object_get(
	    c, "reports")));
	return MB_OK;
}

static int
prop_cb(const json_t *v, void *arg)
{
	struct prop_walk	*w = arg;
	struct mb_page		*p = w->p;
	struct mb_tval		*m = mb_tv_map(p->td, w->list, NULL);
	const char		*uri = json_string_value(json_object_get(v,
				    "uri"));
	const char		*center = json_string_value(json_object_get(v,
				    "center"));
	const char		*state = json_string_value(json_object_get(v,
				    "state"));
	const char		*aud = json_string_value(json_object_get(v,
				    "audience"));
	char			 c[MB_CENTER_MAX + 1], l[MB_LOCAL_MAX + 1];
	char			 k[48];
	bool			 own, hidden = false;
	int64_t			 reports = 0;

	if (uri == NULL || center == NULL || state == NULL ||
	    mb_uri_parse(uri, c, l) != MB_OK)
		return MB_OK;
	own = strcmp(center, w->e->center) == 0;
	mb_tv_str(p->td, m, "title", json_string_value(json_object_get(v,
	    "title")));
	mb_tv_str(p->td, m, "center", center);
	mb_tv_str(p->td, m, "state", state);
	snprintf(k, sizeof(k), "ag.state.%s", state);
	mb_tv_str(p->td, m, "statelabel", mb_page_msg(p, k));
	mb_tv_printf(p->td, m, "url", "/%s/proposals/%s/%s", p->lang, c, l);
	mb_tv_printf(p->td, m, "action", "/newsroom/proposals/%s/%s", c, l);
	mb_tv_str(p->td, m, "id", l);
	mb_tv_bool(p->td, m, "admit", own && strcmp(state, "draft") == 0);
	mb_tv_bool(p->td, m, "close", own && strcmp(state, "open") == 0);
	mb_tv_bool(p->td, m, "answer", own && strcmp(state, "draft") != 0);
	/* Any network proposal: this center's own count of its members. */
	mb_tv_bool(p->td, m, "tally", strcmp(state, "draft") != 0 &&
	    aud != NULL && strcmp(aud, "internal") != 0);
	if (mb_store_agenda_flags(w->e->st, uri, &reports, &hidden, NULL) ==
	    MB_OK) {
		mb_tv_bool(p->td, m, "hidden", hidden);
		mb_tv_int(p->td, m, "reports", reports);
	}
	/* The comments that reports hid here, to look at. */
	w->hidden = mb_tv_list(p->td, m, "comments");
	return mb_agenda_comments(w->e, w->a, uri, hidden_cb, w, NULL) ==
	    MB_ERR_NOMEM ? MB_ERR_NOMEM : MB_OK;
}

static void
proposals_page(struct mb_req *r, unsigned status, const char *error)
{
	struct mb_newsroom_env	 e;
	struct mb_actor		 a;
	struct mb_page		 p;
	struct prop_walk	 w;
	struct mb_diag		 d = { "" };
	int			 rc;

	if (!mb_nr_user_or_login(r))
		return;
	mb_req_actor(r, &a);
	if (mb_actor_role(&a) < MB_ROLE_EDITOR) {
		mb_resp_error(r, 403, "forbidden", "moderators (editors and "
		    "admins) only");
		return;
	}
	if (!mb_req_newsroom_or_reply(r, &e) ||
	    !mb_nr_begin(&p, r, "nrm.proposals"))
		return;
	mb_page_notice(&p, error, mb_req_query(r, "done") != NULL ?
	    "nrm.done" : NULL);
	w.p = &p;
	w.e = &e;
	w.a = &a;
	w.list = mb_tv_list(p.td, p.root, "proposals");
	rc = mb_agenda_list(&e, &a, prop_cb, &w, &d);
	mb_page_finish_rc(&p, rc, &d, status, "nr_proposals.html");
}

static void
proposals_get(struct mb_req *r)
{
	proposals_page(r, 200, NULL);
}

/*
 * POST /newsroom/proposals/:center/:local: do=admit|close|answer|tally|
 * hide|show; with comment=ID, hide or show that comment.
 */
static void
proposal_post(struct mb_req *r)
{
	struct mb_newsroom_env	 e;
	struct mb_actor		 a;
	struct mb_diag		 d = { "" };
	const char		*act = mb_req_form(r, "do");
	const char		*cm = form_or_null(r, "comment");
	char			 uri[MB_URI_MAX], tgt[48];
	int			 rc;

	if (!mb_nr_user_or_login(r))
		return;
	if (mb_uri_make(uri, sizeof(uri), mb_req_param(r, "center"),
	    mb_req_param(r, "local")) != MB_OK) {
		mb_nr_not_found(r);
		return;
	}
	if (act == NULL) {
		proposals_page(r, 400, "do: admit, close, answer, tally, hide "
		    "or show");
		return;
	}
	if (!mb_req_newsroom_or_reply(r, &e))
		return;
	mb_req_actor(r, &a);
	if (cm != NULL) {
		char		*end;
		long long	 n = strtoll(cm, &end, 10);

		if (*end != '\0' || n <= 0 || (strcmp(act, "hide") != 0 &&
		    strcmp(act, "show") != 0)) {
			proposals_page(r, 400, "comment: a comment's number, "
			    "with do=hide or show");
			return;
		}
		snprintf(tgt, sizeof(tgt), "comment:%lld", n);
		rc = mb_agenda_moderate(&e, &a, tgt, strcmp(act, "hide") == 0,
		    &d);
	} else if (strcmp(act, "admit") == 0)
		rc = mb_agenda_admit(&e, &a, uri, &d);
	else if (strcmp(act, "close") == 0)
		rc = mb_agenda_close(&e, &a, uri, &d);
	else if (strcmp(act, "answer") == 0)
		rc = mb_agenda_answer(&e, &a, uri, mb_req_form(r, "text") ?: "",
		    &d);
	else if (strcmp(act, "tally") == 0)
		rc = mb_actor_role(&a) < MB_ROLE_EDITOR ? mb_diag_set(&d,
		    MB_ERR_PERM, "a moderator's (an editor's) move") :
		    mb_agenda_tally(&e, uri, NULL, &d);
	else if (strcmp(act, "hide") == 0 || strcmp(act, "show") == 0)
		rc = mb_agenda_moderate(&e, &a, uri, strcmp(act, "hide") == 0,
		    &d);
	else
		rc = mb_diag_set(&d, MB_ERR_INVAL, "do: admit, close, answer, "
		    "tally, hide or show");
	if (rc != MB_OK) {
		proposals_page(r, mb_newsroom_http_status(rc), mb_diag_msg(&d,
		    rc));
		return;
	}
	mb_nr_see_other(r, "/newsroom/proposals?done=1");
}

const struct mb_route mb_routes_nr_members[] = {
	{ "GET", "/newsroom/members", members_get, 0, "nr.members" },
	{ "POST", "/newsroom/members", member_add, MB_ROUTE_FORM |
	  MB_ROUTE_SMALL, "nr.members.add" },
	{ "POST", "/newsroom/members/:id", member_post, MB_ROUTE_FORM |
	  MB_ROUTE_SMALL, "nr.members.change" },
	{ "POST", "/newsroom/members/:id/photo", member_photo, MB_ROUTE_RAW |
	  MB_ROUTE_FORM, "nr.members.photo" },
	{ "GET", "/newsroom/proposals", proposals_get, 0, "nr.proposals" },
	{ "POST", "/newsroom/proposals/:center/:local", proposal_post,
	  MB_ROUTE_FORM | MB_ROUTE_ITEM, "nr.proposals.change" },
	MB_ROUTES_END
};
