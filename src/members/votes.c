/* SPDX-License-Identifier: MIT */
/*
 * Votes, supports and the debate: who may vote on what and when, one
 * vote per member (the store's UNIQUE decides, also under concurrency),
 * comments by members and the reports that hide them.
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

/* The member may act at all (a suspended or removed one may not). */
static int
active(const struct mb_member *m, struct mb_diag *d)
{
	if (strcmp(m->status, "active") != 0)
		return mb_diag_set(d, MB_ERR_PERM, "member %lld is %s: a "
		    "%s member neither votes nor comments", (long long)m->id,
		    m->status, m->status);
	return MB_OK;
}

/* The actor a member of this center acts as, for the visibility rules. */
static struct mb_actor
as_actor(const struct mb_member *m)
{
	struct mb_actor a = { m->id, m->user[0] != '\0' ? m->user : NULL,
		MB_ROLE_MEMBER };

	return a;
}

/*
 * Loads a published, visible proposal a member acts on; on success the
 * caller owns p.
 */
static int
load_for(const struct mb_newsroom_env *e, const struct mb_member *m,
    const char *uri, struct mb_proposal *p, struct mb_diag *d)
{
	struct mb_actor	a = as_actor(m);
	int		rc;

	if ((rc = mb_proposal__load(e->st, uri, p, d)) != MB_OK)
		return rc;
	if (strcmp(p->workflow, "published") != 0 ||
	    !mb_proposal__visible(e, &a, p)) {
		mb_proposal__free(p);
		return mb_diag_set(d, MB_ERR_NOTFOUND, "%.128s: no such "
		    "proposal", uri);
	}
	return MB_OK;
}

int
mb_agenda_vote(const struct mb_newsroom_env *e, const struct mb_member *m,
    const char *uri, const char *choice, const char **code,
    struct mb_diag *d)
{
	struct mb_proposal	 p;
	const char		*state;
	const char		*dummy;
	int64_t			 closes = 0, now = mb_time_now_ms();
	bool			 secret;
	int			 rc;

	if (code == NULL)
		code = &dummy;
	*code = "invalid";
	if (choice == NULL || (strcmp(choice, "yes") != 0 &&
	    strcmp(choice, "no") != 0 && strcmp(choice, "abstain") != 0))
		return mb_diag_set(d, MB_ERR_INVAL, "choice: yes, no or "
		    "abstain (yes is a support)");
	if ((rc = active(m, d)) != MB_OK) {
		*code = "forbidden";
		return rc;
	}
	if ((rc = load_for(e, m, uri, &p, d)) != MB_OK) {
		*code = "not_found";
		return rc;
	}
	state = mb_proposal__str(&p, "state");
	if (strcmp(state, "open") != 0 ||
	    mb_time_parse(mb_proposal__str(&p, "closes"), &closes) != MB_OK ||
	    now >= closes) {
		rc = mb_diag_set(d, MB_ERR_EXISTS, "%s is closed for votes "
		    "(%s, closing %s)", uri, strcmp(state, "open") == 0 ?
		    "its closing date has passed" : state,
		    mb_proposal__str(&p, "closes"));
		*code = "closed";
		goto out;
	}
	if (strcmp(p.audience, "internal") == 0) {
		/* A proposal of one center: its own members vote. */
		if (strcmp(p.center, e->center) != 0) {
			rc = mb_diag_set(d, MB_ERR_PERM, "%s is for %s's "
			    "members", uri, p.center);
			*code = "forbidden";
			goto out;
		}
	} else if (strcmp(m->audience, "internal") == 0) {
		rc = mb_diag_set(d, MB_ERR_PERM, "member %lld's profile is "
		    "internal: the network counts only the members it knows "
		    "(publish the profile to the network first)",
		    (long long)m->id);
		*code = "forbidden";
		goto out;
	}
	secret = strcmp(mb_proposal__str(&p, "poll"), "secret") == 0;
	if ((rc = mb_store_agenda_vote(e->st, uri, m->id, choice, secret, now,
	    d)) != MB_OK) {
		if (rc == MB_ERR_EXISTS) {
			rc = mb_diag_set(d, rc, "member %lld has already "
			    "voted on %s: one member, one vote",
			    (long long)m->id, uri);
			*code = "already_voted";
		} else {
			*code = "store";
		}
		goto out;
	}
	/* Never the member nor the choice in a secret poll's log line. */
	if (secret)
		log_info("agenda: ballot cast proposal=%s", uri);
	else
		log_info("agenda: vote proposal=%s member=%lld choice=%s", uri,
		    (long long)m->id, choice);
	/*
	 * An open poll's tally follows each vote. A secret poll's waits for
	 * mb_agenda_tally() (a moderator, or the close), so that a tally's
	 * versions cannot be lined up with the moments members voted.
	 */
	if (!secret && strcmp(p.audience, "internal") != 0 &&
	    (rc = mb_agenda_tally(e, uri, NULL, d)) != MB_OK)
		log_warn("agenda: tally not published proposal=%s why=\"%s\"",
		    uri, d != NULL ? d->msg : "");
	rc = MB_OK;
	*code = NULL;
out:
	mb_proposal__free(&p);
	return rc;
}

int
mb_agenda_comment(const struct mb_newsroom_env *e, const struct mb_member *m,
    const char *uri, const char *body, int64_t *id, struct mb_diag *d)
{
	struct mb_proposal	p;
	size_t			len;
	int			rc;

	if ((rc = active(m, d)) != MB_OK)
		return rc;
	len = body != NULL ? strlen(body) : 0;
	if (len == 0)
		return mb_diag_set(d, MB_ERR_INVAL, "comment: required");
	if (len > MB_COMMENT_MAX)
		return mb_diag_set(d, MB_ERR_TOOBIG, "comment: longer than %d "
		    "bytes", MB_COMMENT_MAX);
	if (!mb_utf8_valid(body, len) || !mb_members__plain(body))
		return mb_diag_set(d, MB_ERR_INVAL, "comment: plain UTF-8 "
		    "text only (< and > are refused)");
	if ((rc = load_for(e, m, uri, &p, d)) != MB_OK)
		return rc;
	mb_proposal__free(&p);
	return mb_store_agenda_comment_add(e->st, uri, m->id, body,
	    mb_time_now_ms(), id, d);
}

/*
 * The proposal a report or a moderator's move is about: the target
 * itself, or the one comment "comment:N" is on. N is read strictly (the
 * form the comments' flags are found by), and a comment that does not
 * exist is MB_ERR_NOTFOUND, as is an unknown proposal: nothing is
 * recorded about a target that is not there.
 */
static int
target_proposal(const struct mb_newsroom_env *e, const char *target,
    char out[MB_URI_MAX], struct mb_diag *d)
{
	struct mb_proposal	 p;
	const char		*n = target + 8;
	char			*end, canon[32];
	long long		 id;
	int			 rc;

	if (strncmp(target, "comment:", 8) != 0) {
		if ((rc = mb_proposal__load(e->st, target, &p, d)) != MB_OK)
			return rc;
		mb_proposal__free(&p);
		snprintf(out, MB_URI_MAX, "%s", target);
		return MB_OK;
	}
	id = *n >= '1' && *n <= '9' ? strtoll(n, &end, 10) : 0;
	snprintf(canon, sizeof(canon), "comment:%lld", id);
	if (id <= 0 || strcmp(canon, target) != 0)
		return mb_diag_set(d, MB_ERR_NOTFOUND, "%.128s: no such "
		    "comment (comment:N)", target);
	return mb_store_agenda_comment_proposal(e->st, id, out, MB_URI_MAX, d);
}

int
mb_agenda_report(const struct mb_newsroom_env *e, const struct mb_member *m,
    const char *target, bool *hidden, struct mb_diag *d)
{
	struct mb_proposal	p;
	char			uri[MB_URI_MAX];
	int			rc;

	if ((rc = active(m, d)) != MB_OK)
		return rc;
	/* The member reports only what they may see. */
	if ((rc = target_proposal(e, target, uri, d)) != MB_OK ||
	    (rc = load_for(e, m, uri, &p, d)) != MB_OK)
		return rc;
	mb_proposal__free(&p);
	rc = mb_store_agenda_report(e->st, target, m->id, MB_REPORTS_HIDE,
	    NULL, hidden, d);
	if (rc == MB_ERR_EXISTS)
		return mb_diag_set(d, rc, "member %lld has already reported "
		    "%s", (long long)m->id, target);
	return rc;
}

int
mb_agenda_moderate(const struct mb_newsroom_env *e, const struct mb_actor *a,
    const char *target, bool hide, struct mb_diag *d)
{
	char	uri[MB_URI_MAX];
	int	rc;

	if (a != NULL && mb_actor_role(a) < MB_ROLE_EDITOR)
		return mb_diag_set(d, MB_ERR_PERM, "a moderator's (an "
		    "editor's) move");
	if ((rc = target_proposal(e, target, uri, d)) != MB_OK)
		return rc;
	return mb_store_agenda_moderate(e->st, target, hide, d);
}

struct comments_walk {
	const struct mb_newsroom_env	*e;
	const struct mb_actor		*a;
	bool				 moderator;
	int				(*cb)(const json_t *, void *);
	void				*arg;
};

/*
 * A member's name goes with a comment or a proposal only to whom may see
 * their profile (active, its audience one of the viewer's), to the
 * member and to the moderators; to others it is a member's, unnamed, so
 * a public page never names an internal or network-only profile.
 */
bool
mb_agenda__name_shown(const struct mb_actor *a, const struct mb_member *m)
{
	if (a == NULL || mb_actor_role(a) >= MB_ROLE_EDITOR ||
	    (a->name != NULL && m->user[0] != '\0' &&
	    strcmp(a->name, m->user) == 0))
		return true;
	return strcmp(m->status, "active") == 0 &&
	    (mb_audiences_of(mb_actor_role(a)) &
	    mb_audience_bit(m->audience)) != 0;
}

static int
comment_cb(const struct mb_agenda_comment *c, void *arg)
{
	struct comments_walk	*w = arg;
	struct mb_member	*m;
	json_t			*j;
	int			 rc;

	if (c->hidden && !w->moderator)
		return MB_OK;
	/* The author's name from the record here: comments stay home. */
	if ((m = malloc(sizeof(*m))) == NULL)
		return MB_ERR_NOMEM;
	if (mb_store_member_get(w->e->st, c->member, NULL, NULL, m, NULL) !=
	    MB_OK)
		snprintf(m->name, sizeof(m->name), "%s", "?");
	j = json_pack("{s:I, s:s?, s:s, s:I, s:I, s:b}", "id",
	    (json_int_t)c->id, "author", mb_agenda__name_shown(w->a, m) ?
	    m->name : NULL,
	    "text", c->body,
	    "created", (json_int_t)c->created_ms, "reports",
	    (json_int_t)c->reports, "hidden", c->hidden);
	free(m);
	if (j == NULL)
		return MB_ERR_NOMEM;
	rc = w->cb(j, w->arg);
	json_decref(j);
	return rc;
}

int
mb_agenda_comments(const struct mb_newsroom_env *e, const struct mb_actor *a,
    const char *uri, int (*cb)(const json_t *c, void *arg), void *arg,
    struct mb_diag *d)
{
	struct comments_walk	w = { e, a, a == NULL ||
		mb_actor_role(a) >= MB_ROLE_EDITOR, cb, arg };
	struct mb_proposal	p;
	bool			visible;
	int			rc;

	if ((rc = mb_proposal__load(e->st, uri, &p, d)) != MB_OK)
		return rc;
	visible = mb_proposal__visible(e, a, &p);
	mb_proposal__free(&p);
	if (!visible)
		return mb_diag_set(d, MB_ERR_NOTFOUND, "%.128s: no such "
		    "proposal", uri);
	return mb_store_agenda_comments(e->st, uri, w.moderator, comment_cb,
	    &w, d);
}
