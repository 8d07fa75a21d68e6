/* SPDX-License-Identifier: MIT */
/*
 * The agenda service: proposals (items of profile "proposal"), their
 * supports and votes (one member, one vote, counted at the member's home
 * center), each center's signed tally (an item of profile "tally",
 * counts only) and the network result as the sum of the tallies that
 * pass the checks of docs/members.md ("Tallies: the trust model").
 */
#ifndef MB_MEMBERS_AGENDA_H
#define MB_MEMBERS_AGENDA_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "base/err.h"
#include "item/id.h"
#include "newsroom/items.h"
#include "newsroom/policy.h"
#include "store/members.h"

#define MB_PROPOSAL_TITLE_MAX	300	/* bytes */
#define MB_PROPOSAL_TEXT_MAX	20000	/* bytes */
#define MB_COMMENT_MAX		5000	/* bytes */
#define MB_REPORTS_HIDE		3	/* reports that hide until reviewed */
#define MB_AGENDA_GRACE_DEFAULT_MS 3600000 /* tallies come first */

/* A new proposal as the doors give it (NULL: not given). */
struct mb_proposal_in {
	const char	*title;		/* required */
	const char	*text;		/* required, plain text */
	const char	*language;	/* required */
	const char	*topics;	/* "health,energy" */
	const char	*scope;		/* center, network (default), public */
	const char	*closes;	/* RFC 3339; required */
	const char	*event;		/* the event whose agenda it joins */
	const char	*poll;		/* open (default) or secret */
	int64_t		 threshold;	/* supports needed; 1 or more */
};

/*
 * A member drafts a proposal (author: the member; a suspended one may
 * not). uri gets the new proposal's uri. The draft stays at this center
 * until a moderator admits it.
 */
int mb_agenda_propose(const struct mb_newsroom_env *e,
    const struct mb_member *author, const struct mb_proposal_in *in,
    char uri[MB_URI_MAX], struct mb_diag *d);

/*
 * A moderator (an editor or admin; NULL: the CLI) of the proposal's own
 * center admits a draft (open for support until its closing date),
 * closes it (accepted, on the agenda of its event, when the network's
 * supports reach the threshold; else rejected), or gives the
 * organisers' official answer. Each is a new signed version.
 */
int mb_agenda_admit(const struct mb_newsroom_env *e, const struct mb_actor *a,
    const char *uri, struct mb_diag *d);
int mb_agenda_close(const struct mb_newsroom_env *e, const struct mb_actor *a,
    const char *uri, struct mb_diag *d);
int mb_agenda_answer(const struct mb_newsroom_env *e,
    const struct mb_actor *a, const char *uri, const char *text,
    struct mb_diag *d);

/*
 * A member of this center votes (choice yes, no or abstain; yes is a
 * support). MB_ERR_PERM for a suspended member, or a network vote by a
 * member whose profile the network cannot count; MB_ERR_EXISTS (code
 * "already_voted") for a second vote; MB_ERR_EXISTS ("closed") after
 * the close. In an open poll the center's tally is published at once.
 */
int mb_agenda_vote(const struct mb_newsroom_env *e, const struct mb_member *m,
    const char *uri, const char *choice, const char **code,
    struct mb_diag *d);

/*
 * Publishes this center's signed tally of a network proposal (a new
 * version when the counts changed). *version (may be NULL) gets the
 * tally's current version.
 */
int mb_agenda_tally(const struct mb_newsroom_env *e, const char *uri,
    int64_t *version, struct mb_diag *d);

/* The uri of center's tally of proposal: urn:mediabridge:C:tally-<hash>. */
int mb_agenda_tally_uri(const char *center, const char *proposal,
    char out[MB_URI_MAX]);

/*
 * A proposal as the actor may see it, with its result: the fields, the
 * state, "tallies" (one per center: counts, version, "status" counted
 * or refused with a "reason") and "total" (the counted ones' sum).
 * MB_ERR_NOTFOUND also when the actor may not see it.
 */
int mb_agenda_get(const struct mb_newsroom_env *e, const struct mb_actor *a,
    const char *uri, json_t **out, struct mb_diag *d);

/* The proposals the actor may see, newest first, without results. */
int mb_agenda_list(const struct mb_newsroom_env *e, const struct mb_actor *a,
    int (*cb)(const json_t *p, void *arg), void *arg, struct mb_diag *d);

/* The debate: comments by members of this center, reports, moderation. */
int mb_agenda_comment(const struct mb_newsroom_env *e,
    const struct mb_member *m, const char *uri, const char *body,
    int64_t *id, struct mb_diag *d);
/* target: a proposal's uri or "comment:ID". *hidden: hidden after. */
int mb_agenda_report(const struct mb_newsroom_env *e,
    const struct mb_member *m, const char *target, bool *hidden,
    struct mb_diag *d);
int mb_agenda_moderate(const struct mb_newsroom_env *e,
    const struct mb_actor *a, const char *target, bool hide,
    struct mb_diag *d);

/*
 * The comments made at this center on a proposal the actor may see,
 * oldest first. Hidden ones (three reports, or a moderator's decision)
 * reach moderators only. Each is a JSON object (borrowed for the call):
 * id, author (the member's name), text, created (ms), reports, hidden.
 */
int mb_agenda_comments(const struct mb_newsroom_env *e,
    const struct mb_actor *a, const char *uri,
    int (*cb)(const json_t *c, void *arg), void *arg, struct mb_diag *d);

/*
 * Serve's periodic work at the closing dates. Signs this center's tally
 * of every open network proposal of another center whose closing date
 * has passed (the final count, a secret poll's too), and closes every
 * open proposal of this center, as mb_agenda_close() does (accepted
 * onto its event's agenda by the threshold, else rejected): a center
 * proposal at its closing date, a network one grace_ms after it, so
 * that the other centers' final tallies arrive first. *closed (may be
 * NULL) gets how many.
 */
int mb_agenda_close_due(const struct mb_newsroom_env *e, int64_t now_ms,
    int64_t grace_ms, int *closed, struct mb_diag *d);

#endif
