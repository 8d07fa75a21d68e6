/* SPDX-License-Identifier: MIT */
/*
 * Proposals: drafting, admitting, closing and answering, each a new
 * signed version by the proposal's own center; reading one with its
 * result, and listing them.
 */
#include "agenda_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/timeutil.h"
#include "base/utf8.h"
#include "members/members.h"
#include "members_int.h"
#include "store/agenda.h"
#include "store/store.h"

void
mb_proposal__free(struct mb_proposal *p)
{
	json_decref(p->item);
	json_decref(p->data);
	p->item = p->data = NULL;
}

struct loaded {
	struct mb_proposal	*p;
	int			 rc;
};

static int load_cb(const struct mb_store_version *v, void *arg);

/* A listed version as a proposal (no second read). */
static int
mb_proposal__load_version(const struct mb_store_version *v,
    struct mb_proposal *p)
{
	struct loaded l = { p, MB_OK };

	memset(p, 0, sizeof(*p));
	load_cb(v, &l);
	if (l.rc != MB_OK)
		mb_proposal__free(p);
	return l.rc;
}

static int
load_cb(const struct mb_store_version *v, void *arg)
{
	struct loaded	*l = arg;
	json_t		*meta = NULL;

	snprintf(l->p->uri, sizeof(l->p->uri), "%s", v->uri);
	snprintf(l->p->center, sizeof(l->p->center), "%s", v->center);
	l->p->version = v->version;
	snprintf(l->p->audience, sizeof(l->p->audience), "%s", v->audience);
	snprintf(l->p->workflow, sizeof(l->p->workflow), "%s", v->workflow);
	snprintf(l->p->pub_status, sizeof(l->p->pub_status), "%s",
	    v->pub_status);
	if (v->profile == NULL || strcmp(v->profile, "proposal") != 0) {
		l->rc = MB_ERR_NOTFOUND;
		return MB_OK;
	}
	if (mb_members__parse(v->envelope, v->envelope_len, &l->p->item,
	    &meta, NULL) != MB_OK) {
		l->rc = MB_ERR_CORRUPT;
		return MB_OK;
	}
	json_decref(meta);
	if ((l->p->data = mb_members__data(l->p->item, "proposal")) == NULL)
		l->rc = MB_ERR_NOTFOUND;
	return MB_OK;
}

int
mb_proposal__load(struct mb_store *st, const char *uri, struct mb_proposal *p,
    struct mb_diag *d)
{
	struct loaded	l = { p, MB_OK };
	int		rc;

	memset(p, 0, sizeof(*p));
	if ((rc = mb_store_get(st, uri, 0, load_cb, &l, d)) != MB_OK)
		return rc == MB_ERR_NOTFOUND ? mb_diag_set(d, rc, "%.128s: no "
		    "such proposal", uri) : rc;
	if (l.rc != MB_OK) {
		mb_proposal__free(p);
		return mb_diag_set(d, l.rc == MB_ERR_CORRUPT ? l.rc :
		    MB_ERR_NOTFOUND, "%.128s: no such proposal", uri);
	}
	return MB_OK;
}

const char *
mb_proposal__str(const struct mb_proposal *p, const char *k)
{
	const char *s = json_string_value(json_object_get(p->data, k));

	return s != NULL ? s : "";
}

bool
mb_proposal__visible(const struct mb_newsroom_env *e, const struct mb_actor *a,
    const struct mb_proposal *p)
{
	enum mb_role	role = mb_actor_role(a);
	bool		hidden = false;

	if (a == NULL || role >= MB_ROLE_EDITOR)
		return true;
	if (strcmp(p->workflow, "published") != 0) {
		struct mb_member m;

		/* A draft: its author's, and the moderators'. */
		return mb_members_of_actor(e, a, &m, NULL) == MB_OK &&
		    strcmp(m.uri, mb_proposal__str(p, "author")) == 0;
	}
	if (strcmp(p->pub_status, "usable") != 0)
		return false;
	if (mb_store_agenda_flags(e->st, p->uri, NULL, &hidden, NULL) ==
	    MB_OK && hidden)
		return false;
	/* A proposal of this center only: its signed-in people. */
	if (strcmp(p->audience, "internal") == 0)
		return role >= MB_ROLE_MEMBER;
	return (mb_audiences_of(role) & mb_audience_bit(p->audience)) != 0;
}

/* ---- drafting ---- */

static int
check_plain(const char *field, const char *s, size_t max, struct mb_diag *d)
{
	size_t len = strlen(s);

	if (len == 0)
		return mb_diag_set(d, MB_ERR_INVAL, "%s: required", field);
	if (len > max)
		return mb_diag_set(d, MB_ERR_TOOBIG, "%s: longer than %zu "
		    "bytes (%zu)", field, max, len);
	if (!mb_utf8_valid(s, len))
		return mb_diag_set(d, MB_ERR_INVAL, "%s: not UTF-8", field);
	if (!mb_members__plain(s))
		return mb_diag_set(d, MB_ERR_INVAL, "%s: plain text only (< "
		    "and > and control characters are refused)", field);
	return MB_OK;
}

/* The text as paragraphs of HTML, every character escaped. */
static char *
text_html(const char *s)
{
	size_t	 n = strlen(s), o = 0;
	char	*out = malloc(n * 6 + 16);

	if (out == NULL)
		return NULL;
	o += (size_t)sprintf(out, "<p>");
	for (; *s != '\0'; s++) {
		if (*s == '&')
			o += (size_t)sprintf(out + o, "&amp;");
		else if (*s == '"')
			o += (size_t)sprintf(out + o, "&quot;");
		else if (*s == '\n' && s[1] == '\n') {
			o += (size_t)sprintf(out + o, "</p><p>");
			while (s[1] == '\n')
				s++;
		} else
			out[o++] = *s;
	}
	sprintf(out + o, "</p>");
	return out;
}

static json_t *
topics_json(const char *topics)
{
	json_t		*a = json_array();
	const char	*p = topics, *c;

	while (a != NULL && p != NULL && *p != '\0') {
		c = strchr(p, ',');
		if ((c != NULL ? c - p : (long)strlen(p)) > 0)
			json_array_append_new(a, json_pack("{s:s%}", "name", p,
			    c != NULL ? (size_t)(c - p) : strlen(p)));
		p = c != NULL ? c + 1 : NULL;
	}
	return a;
}

int
mb_agenda_propose(const struct mb_newsroom_env *e,
    const struct mb_member *author, const struct mb_proposal_in *in,
    char uri[MB_URI_MAX], struct mb_diag *d)
{
	json_t		*item = NULL, *data = NULL;
	char		*html = NULL, local[MB_LOCAL_LEN + 1];
	char		 closes[MB_TIME_RFC3339_LEN];
	const char	*scope = in->scope != NULL ? in->scope : "network";
	const char	*poll = in->poll != NULL ? in->poll : "open";
	int64_t		 closes_ms;
	int		 rc;

	if (strcmp(author->status, "active") != 0)
		return mb_diag_set(d, MB_ERR_PERM, "member %lld is %s",
		    (long long)author->id, author->status);
	if (in->title == NULL || in->text == NULL || in->language == NULL ||
	    in->closes == NULL)
		return mb_diag_set(d, MB_ERR_INVAL, "%s: required",
		    in->title == NULL ? "title" : in->text == NULL ? "text" :
		    in->language == NULL ? "language" : "closes");
	if ((rc = check_plain("title", in->title, MB_PROPOSAL_TITLE_MAX, d)) !=
	    MB_OK || (rc = check_plain("text", in->text, MB_PROPOSAL_TEXT_MAX,
	    d)) != MB_OK)
		return rc;
	if (in->topics != NULL && (rc = check_plain("topics", in->topics, 512,
	    d)) != MB_OK)
		return rc;
	if (in->event != NULL && in->event[0] != '\0' && (rc = check_plain(
	    "event", in->event, 300, d)) != MB_OK)
		return rc;
	if (strlen(in->language) < 2 || strlen(in->language) > 15 ||
	    strspn(in->language, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") != strlen(in->language))
		return mb_diag_set(d, MB_ERR_INVAL, "language: a language "
		    "tag, like en");
	if (strcmp(scope, "center") != 0 && strcmp(scope, "network") != 0 &&
	    strcmp(scope, "public") != 0)
		return mb_diag_set(d, MB_ERR_INVAL, "scope: center, network or "
		    "public");
	if (strcmp(poll, "open") != 0 && strcmp(poll, "secret") != 0)
		return mb_diag_set(d, MB_ERR_INVAL, "poll: open or secret");
	if (mb_time_parse(in->closes, &closes_ms) != MB_OK)
		return mb_diag_set(d, MB_ERR_INVAL, "closes: an RFC 3339 "
		    "date-time, like 2027-03-01T12:00:00Z");
	if (closes_ms <= mb_time_now_ms())
		return mb_diag_set(d, MB_ERR_INVAL, "closes: in the past");
	if (in->threshold < 1 || in->threshold > 1000000)
		return mb_diag_set(d, MB_ERR_INVAL, "threshold: the supports "
		    "needed, from 1 to 1000000");
	if (strcmp(scope, "center") != 0 && strcmp(author->audience,
	    "internal") == 0)
		return mb_diag_set(d, MB_ERR_PERM, "a network proposal needs "
		    "an author the network knows: the member's profile is "
		    "internal");
	mb_time_format(closes_ms, closes);
	mb_local_id_mint(local);
	if (mb_uri_make(uri, MB_URI_MAX, e->center, local) != MB_OK)
		return mb_diag_set(d, MB_ERR_INVAL, "center id: not valid");
	if ((html = text_html(in->text)) == NULL)
		return mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
	/*
	 * The author by uri only: a signed item goes to every reader of its
	 * audience and stays, while the name is the profile's, which may be
	 * for fewer people or change; view() names the author to whom may
	 * see the profile (DESIGN §9).
	 */
	data = json_pack("{s:s, s:s, s:s, s:I, s:s, s:s, s:s}",
	    "state", "draft", "scope", scope, "closes", closes,
	    "threshold", (json_int_t)in->threshold,
	    "event", in->event != NULL ? in->event : "", "poll", poll,
	    "author", author->uri);
	item = json_pack("{s:s, s:s, s:s, s:s, s:[{s:s}], s:[{s:s, s:s}], "
	    "s:[{s:s, s:s}], s:o}", "uri", uri, "type", "text",
	    "profile", "proposal", "language", in->language,
	    "headlines", "value", in->title,
	    "bodies", "contentType", "text/html", "value", html,
	    "people", "rel", "author", "uri",
	    author->uri, "subjects", topics_json(in->topics));
	free(html);
	if (item == NULL || data == NULL || mb_members__set_data(item,
	    "proposal", data) != MB_OK) {
		json_decref(item);
		json_decref(data);
		return mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
	}
	json_decref(data);
	if (json_array_size(json_object_get(item, "subjects")) == 0)
		json_object_del(item, "subjects");
	/* A draft is internal: it does not leave until admitted. */
	return mb_members__publish(e, item, "internal", "draft", NULL, d);
}

/* ---- the moderators' moves ---- */

static bool
moderator(const struct mb_actor *a)
{
	return a == NULL || mb_actor_role(a) >= MB_ROLE_EDITOR;
}

/*
 * Loads a proposal of this center for a moderator's move; on success the
 * caller owns p.
 */
static int
load_own(const struct mb_newsroom_env *e, const struct mb_actor *a,
    const char *uri, struct mb_proposal *p, struct mb_diag *d)
{
	int rc;

	if ((rc = mb_proposal__load(e->st, uri, p, d)) != MB_OK)
		return rc;
	if (!moderator(a)) {
		rc = mb_proposal__visible(e, a, p) ? mb_diag_set(d,
		    MB_ERR_PERM, "a moderator's (an editor's) move") :
		    mb_diag_set(d, MB_ERR_NOTFOUND, "%s: no such proposal",
		    uri);
		mb_proposal__free(p);
		return rc;
	}
	if (strcmp(p->center, e->center) != 0) {
		mb_proposal__free(p);
		return mb_diag_set(d, MB_ERR_PERM, "%s is %s's proposal: its "
		    "own center moderates it", uri, p->center);
	}
	return MB_OK;
}

/* Publishes p's item again with its data changed, as audience/workflow. */
static int
republish(const struct mb_newsroom_env *e, struct mb_proposal *p,
    const char *audience, struct mb_diag *d)
{
	json_t	*item = json_deep_copy(p->item), *descs, *x;
	size_t	 i;

	if (item == NULL)
		return mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
	/* Drop the old data entry, then add the new one. */
	descs = json_object_get(item, "descriptions");
	json_array_foreach(descs, i, x) {
		const char *role = json_string_value(json_object_get(x,
		    "role"));

		if (role != NULL && strcmp(role, "mb:proposal") == 0) {
			json_array_remove(descs, i);
			break;
		}
	}
	/* An older version named its author: the new one does not. */
	json_object_del(p->data, "authorName");
	json_array_foreach(json_object_get(item, "people"), i, x)
		json_object_del(x, "name");
	if (mb_members__set_data(item, "proposal", p->data) != MB_OK) {
		json_decref(item);
		return mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
	}
	return mb_members__publish(e, item, audience, "published", NULL, d);
}

int
mb_agenda_admit(const struct mb_newsroom_env *e, const struct mb_actor *a,
    const char *uri, struct mb_diag *d)
{
	struct mb_proposal	 p;
	const char		*s;
	int			 rc;

	if ((rc = load_own(e, a, uri, &p, d)) != MB_OK)
		return rc;
	if (strcmp(mb_proposal__str(&p, "state"), "draft") != 0) {
		rc = mb_diag_set(d, MB_ERR_EXISTS, "%s is %s, not a draft",
		    uri, mb_proposal__str(&p, "state"));
		goto out;
	}
	json_object_set_new(p.data, "state", json_string("open"));
	/* center: stays here; network: member centers; public: readers too. */
	s = mb_proposal__str(&p, "scope");
	rc = republish(e, &p, strcmp(s, "center") == 0 ? "internal" :
	    strcmp(s, "public") == 0 ? "public" : "network", d);
out:
	mb_proposal__free(&p);
	return rc;
}

int
mb_agenda_close(const struct mb_newsroom_env *e, const struct mb_actor *a,
    const char *uri, struct mb_diag *d)
{
	struct mb_proposal	 p;
	json_t			*tallies = json_array(), *total = json_object();
	json_int_t		 yes, threshold;
	int			 rc;

	if ((rc = load_own(e, a, uri, &p, d)) != MB_OK)
		goto out_free;
	if (strcmp(mb_proposal__str(&p, "state"), "open") != 0) {
		rc = mb_diag_set(d, MB_ERR_EXISTS, "%s is %s, not open", uri,
		    mb_proposal__str(&p, "state"));
		goto out;
	}
	/* This center's own tally first, so that its members count too. */
	if (strcmp(p.audience, "internal") != 0 &&
	    (rc = mb_agenda_tally(e, uri, NULL, d)) != MB_OK)
		goto out;
	if ((rc = mb_agenda__results(e, &p, true, tallies, total, d)) !=
	    MB_OK)
		goto out;
	yes = json_integer_value(json_object_get(total, "yes"));
	threshold = json_integer_value(json_object_get(p.data, "threshold"));
	json_object_set_new(p.data, "state", json_string(yes >= threshold ?
	    "accepted" : "rejected"));
	json_object_set(p.data, "result", total);
	rc = republish(e, &p, p.audience, d);
out:
	mb_proposal__free(&p);
out_free:
	json_decref(tallies);
	json_decref(total);
	return rc;
}

int
mb_agenda_answer(const struct mb_newsroom_env *e, const struct mb_actor *a,
    const char *uri, const char *text, struct mb_diag *d)
{
	struct mb_proposal	p;
	int			rc;

	if ((rc = check_plain("answer", text, MB_PROPOSAL_TEXT_MAX, d)) !=
	    MB_OK)
		return rc;
	if ((rc = load_own(e, a, uri, &p, d)) != MB_OK)
		return rc;
	if (strcmp(mb_proposal__str(&p, "state"), "draft") == 0) {
		rc = mb_diag_set(d, MB_ERR_EXISTS, "%s is a draft: admit it "
		    "first", uri);
		goto out;
	}
	json_object_set_new(p.data, "answer", json_string(text));
	rc = republish(e, &p, p.audience, d);
out:
	mb_proposal__free(&p);
	return rc;
}

/* ---- reading ---- */

struct profile_name {
	char	name[256];
};

static int
profile_name_cb(const struct mb_store_version *v, void *arg)
{
	struct profile_name	*n = arg;
	json_t			*item = NULL, *meta = NULL;
	const char		*s;

	if (mb_members__parse(v->envelope, v->envelope_len, &item, &meta,
	    NULL) != MB_OK)
		return MB_OK;
	s = json_string_value(json_object_get(json_array_get(json_object_get(
	    item, "people"), 0), "name"));
	if (s != NULL)
		snprintf(n->name, sizeof(n->name), "%s", s);
	json_decref(item);
	json_decref(meta);
	return MB_OK;
}

/*
 * The author's name as the actor may see it, or NULL ("a member"): a
 * member of this center by the record here and the profile's audience
 * (the comments' rule); one of another center when the profile item the
 * peers sent is one the actor may read here.
 */
static char *
author_name(const struct mb_newsroom_env *e, const struct mb_actor *a,
    const char *uri)
{
	struct mb_member	*m;
	struct profile_name	 n = { "" };
	char			*name = NULL;

	if (uri[0] == '\0' || (m = malloc(sizeof(*m))) == NULL)
		return NULL;
	if (mb_store_member_get(e->st, 0, uri, NULL, m, NULL) == MB_OK) {
		if (mb_agenda__name_shown(a, m))
			name = strdup(m->name);
	} else if (mb_newsroom_visible(e, a, uri) &&
	    mb_store_get(e->st, uri, 0, profile_name_cb, &n, NULL) == MB_OK &&
	    n.name[0] != '\0') {
		name = strdup(n.name);
	}
	free(m);
	return name;
}

/* The proposal's fields as the doors show them to a (new reference). */
static json_t *
view(const struct mb_newsroom_env *e, const struct mb_actor *a,
    const struct mb_proposal *p)
{
	json_t *v, *subjects, *s;
	char   *name;
	size_t	i;

	v = json_pack("{s:s, s:s, s:I, s:O?, s:O?, s:O?, s:s, s:O}",
	    "uri", p->uri, "center", p->center, "version",
	    (json_int_t)p->version,
	    "title", json_object_get(json_array_get(json_object_get(p->item,
	    "headlines"), 0), "value"),
	    "text", json_object_get(json_array_get(json_object_get(p->item,
	    "bodies"), 0), "value"),
	    "language", json_object_get(p->item, "language"),
	    "audience", p->audience, "topics", json_array());
	if (v == NULL)
		return NULL;
	json_object_update(v, p->data);
	/* Never the name a version signed: the profile's rule decides. */
	json_object_del(v, "authorName");
	if ((name = author_name(e, a, mb_proposal__str(p, "author"))) !=
	    NULL) {
		json_object_set_new(v, "authorName", json_string(name));
		free(name);
	}
	subjects = json_object_get(p->item, "subjects");
	json_array_foreach(subjects, i, s)
		json_array_append(json_object_get(v, "topics"),
		    json_object_get(s, "name"));
	if (strcmp(mb_proposal__str(p, "state"), "accepted") == 0 &&
	    mb_proposal__str(p, "event")[0] != '\0')
		json_object_set(v, "agenda", json_object_get(p->data,
		    "event"));
	return v;
}

int
mb_agenda_get(const struct mb_newsroom_env *e, const struct mb_actor *a,
    const char *uri, json_t **out, struct mb_diag *d)
{
	struct mb_proposal	 p;
	json_t			*v = NULL, *tallies, *total;
	int			 rc;

	if ((rc = mb_proposal__load(e->st, uri, &p, d)) != MB_OK)
		return rc;
	if (!mb_proposal__visible(e, a, &p)) {
		mb_proposal__free(&p);
		return mb_diag_set(d, MB_ERR_NOTFOUND, "%.128s: no such "
		    "proposal", uri);
	}
	tallies = json_array();
	total = json_object();
	if ((v = view(e, a, &p)) == NULL || tallies == NULL || total == NULL) {
		rc = mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
		goto fail;
	}
	if ((rc = mb_agenda__results(e, &p, false, tallies, total, d)) !=
	    MB_OK)
		goto fail;
	/*
	 * A closed proposal's total is the result its center signed at the
	 * close, whatever tally came after: the tallies are listed as they
	 * stand, the total is the decision's.
	 */
	if (json_is_object(json_object_get(p.data, "result")) &&
	    (strcmp(mb_proposal__str(&p, "state"), "accepted") == 0 ||
	    strcmp(mb_proposal__str(&p, "state"), "rejected") == 0)) {
		json_decref(total);
		total = json_deep_copy(json_object_get(p.data, "result"));
	}
	json_object_set_new(v, "tallies", tallies);
	json_object_set_new(v, "total", total);
	mb_proposal__free(&p);
	*out = v;
	return MB_OK;
fail:
	json_decref(v);
	json_decref(tallies);
	json_decref(total);
	mb_proposal__free(&p);
	return rc;
}

struct list_walk {
	const struct mb_newsroom_env	*e;
	const struct mb_actor		*a;
	int				(*cb)(const json_t *, void *);
	void				*arg;
	int64_t				 last_first, last_seq;
	int				 seen;
};

static int
list_cb(const struct mb_store_version *v, void *arg)
{
	struct list_walk	*w = arg;
	struct mb_proposal	 p;
	json_t			*j;
	int			 rc = MB_OK;

	w->last_first = v->first_ms;
	w->last_seq = v->seq;
	w->seen++;
	if (mb_proposal__load(w->e->st, v->uri, &p, NULL) != MB_OK)
		return MB_OK;
	if (mb_proposal__visible(w->e, w->a, &p) && (j = view(w->e, w->a, &p)) != NULL) {
		rc = w->cb(j, w->arg);
		json_decref(j);
	}
	mb_proposal__free(&p);
	return rc;
}

int
mb_agenda_list(const struct mb_newsroom_env *e, const struct mb_actor *a,
    int (*cb)(const json_t *p, void *arg), void *arg, struct mb_diag *d)
{
	struct mb_store_filter	f;
	struct list_walk	w = { e, a, cb, arg, 0, 0, 0 };
	int			rc;

	memset(&f, 0, sizeof(f));
	f.profile = "proposal";
	f.all = true;	/* the rules above decide, draft by draft */
	f.now_ms = mb_time_now_ms();
	f.limit = 200;
	for (;;) {
		w.seen = 0;
		if ((rc = mb_store_list(e->st, &f, list_cb, &w, d)) != MB_OK)
			return rc;
		if (w.seen < f.limit)
			return MB_OK;
		f.cursor_first_ms = w.last_first;
		f.cursor_seq = w.last_seq;
	}
}

/* ---- the close at the closing date ---- */

struct due_walk {
	const char	*center;
	int64_t		 now_ms, grace_ms, last_first, last_seq;
	int		 seen;
	json_t		*close, *tally;
};

static int
due_cb(const struct mb_store_version *v, void *arg)
{
	struct due_walk		*w = arg;
	struct mb_proposal	 p;
	int64_t			 closes;
	bool			 own = strcmp(v->center, w->center) == 0;

	w->last_first = v->first_ms;
	w->last_seq = v->seq;
	w->seen++;
	if (mb_proposal__load_version(v, &p) != MB_OK)
		return MB_OK;
	if (strcmp(p.workflow, "published") != 0 ||
	    strcmp(mb_proposal__str(&p, "state"), "open") != 0 ||
	    mb_time_parse(mb_proposal__str(&p, "closes"), &closes) != MB_OK ||
	    closes > w->now_ms)
		goto out;
	if (!own) {
		/* Another center's network proposal: this center's count. */
		if (strcmp(p.audience, "internal") != 0)
			json_array_append_new(w->tally, json_string(p.uri));
	} else if (strcmp(p.audience, "internal") == 0 ||
	    closes <= w->now_ms - w->grace_ms) {
		json_array_append_new(w->close, json_string(p.uri));
	}
out:
	mb_proposal__free(&p);
	return MB_OK;
}

int
mb_agenda_close_due(const struct mb_newsroom_env *e, int64_t now_ms,
    int64_t grace_ms, int *closed, struct mb_diag *d)
{
	struct mb_store_filter	 f;
	struct due_walk		 w;
	json_t			*u;
	size_t			 i;
	int			 rc = MB_OK, first = MB_OK, n = 0;

	memset(&w, 0, sizeof(w));
	w.center = e->center;
	w.now_ms = now_ms;
	w.grace_ms = grace_ms;
	w.close = json_array();
	w.tally = json_array();
	if (w.close == NULL || w.tally == NULL) {
		rc = mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
		goto out;
	}
	memset(&f, 0, sizeof(f));
	f.profile = "proposal";
	f.all = true;
	f.now_ms = now_ms;
	f.limit = 200;
	/* Gathered first, closed after: a close writes, the walk reads. */
	for (;;) {
		w.seen = 0;
		if ((rc = mb_store_list(e->st, &f, due_cb, &w, d)) != MB_OK)
			goto out;
		if (w.seen < f.limit)
			break;
		f.cursor_first_ms = w.last_first;
		f.cursor_seq = w.last_seq;
	}
	/*
	 * Voting is over: this center's final count of another center's
	 * proposal is signed (a secret poll's too, as no ballot moves it
	 * any more), so that the origin counts it at its close. The same
	 * count is not signed twice (mb_agenda_tally), so each round after
	 * the first costs a count, until the closed version arrives.
	 */
	json_array_foreach(w.tally, i, u) {
		struct mb_diag	d1 = { "" };
		const char	*uri = json_string_value(u);

		if ((rc = mb_agenda_tally(e, uri, NULL, &d1)) != MB_OK &&
		    first == MB_OK)
			first = mb_diag_set(d, rc, "%s", d1.msg);
	}
	json_array_foreach(w.close, i, u) {
		struct mb_diag	d1 = { "" };
		const char	*uri = json_string_value(u);

		if ((rc = mb_agenda_close(e, NULL, uri, &d1)) == MB_OK) {
			log_info("agenda: closed at its closing date "
			    "proposal=%s", uri);
			n++;
		} else if (rc != MB_ERR_EXISTS && first == MB_OK) {
			/* The others still close; the first failure is said. */
			first = mb_diag_set(d, rc, "%s", d1.msg);
		}
	}
	rc = first;
out:
	json_decref(w.close);
	json_decref(w.tally);
	if (closed != NULL)
		*closed = n;
	return rc;
}
