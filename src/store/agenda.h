/* SPDX-License-Identifier: MIT */
/* The agenda domain: votes and supports, secret ballots, comments and reports. */
#ifndef MB_STORE_AGENDA_H
#define MB_STORE_AGENDA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

/*
 * Proposals and tallies are items (signed, exchanged); what stays here
 * is what never leaves the center (docs/members.md): who voted, the
 * ballots, the debate and its reports.
 *
 * agenda_voted holds one row per (proposal, member): its UNIQUE
 * constraint is what makes one member one vote, whatever the number of
 * processes and threads trying at once. In an open poll the row also
 * holds the choice and the time. In a secret poll it holds neither: the
 * choice goes to agenda_ballots under a random id, with no member and
 * no time, in the same transaction, and nothing links the two rows.
 */
struct mb_store;

struct mb_agenda_counts {
	int64_t	yes, no, abstain;
	int64_t	voters;
};

/*
 * Records member's vote on proposal (choice "yes", "no" or "abstain").
 * secret: a secret ballot (see above). MB_ERR_EXISTS when the member has
 * already voted on it (nothing changed).
 */
int mb_store_agenda_vote(struct mb_store *st, const char *proposal,
    int64_t member, const char *choice, bool secret, int64_t now_ms,
    struct mb_diag *d);

/* True when member has voted on proposal. */
int mb_store_agenda_voted(struct mb_store *st, const char *proposal,
    int64_t member, bool *voted, struct mb_diag *d);

/*
 * The counts of this center's votes on proposal. network: only the open
 * votes of members who are active now with a profile the network knows
 * (public or network), so that a member withdrawn after voting stops
 * counting; a secret ballot, which nothing ties to its voter, counts as
 * cast (docs/members.md, "Tallies").
 */
int mb_store_agenda_count(struct mb_store *st, const char *proposal,
    bool network, struct mb_agenda_counts *out, struct mb_diag *d);

/*
 * The open votes on proposal, oldest first (secret ones have no choice
 * and no time: choice is NULL and created_ms 0).
 */
int mb_store_agenda_votes(struct mb_store *st, const char *proposal,
    int (*cb)(int64_t member, const char *choice, int64_t created_ms,
	void *arg), void *arg, struct mb_diag *d);

/* A comment in the debate of a proposal. */
struct mb_agenda_comment {
	int64_t		 id;
	int64_t		 member;
	const char	*body;		/* plain text, borrowed */
	int64_t		 created_ms;
	int64_t		 reports;
	bool		 hidden;
};

int mb_store_agenda_comment_add(struct mb_store *st, const char *proposal,
    int64_t member, const char *body, int64_t now_ms, int64_t *id,
    struct mb_diag *d);
/*
 * The proposal comment id is on (out, of out_len bytes).
 * MB_ERR_NOTFOUND when there is no such comment.
 */
int mb_store_agenda_comment_proposal(struct mb_store *st, int64_t id,
    char *out, size_t out_len, struct mb_diag *d);
/* The comments on proposal, oldest first; hidden ones only when all. */
int mb_store_agenda_comments(struct mb_store *st, const char *proposal,
    bool all, int (*cb)(const struct mb_agenda_comment *c, void *arg),
    void *arg, struct mb_diag *d);

/*
 * Reports: target is a proposal's uri or "comment:ID". One report per
 * member and target (MB_ERR_EXISTS for a second). When the reports
 * reach hide_at and no moderator has looked, the target is hidden.
 * *reports and *hidden (may be NULL) say where it stands after.
 */
int mb_store_agenda_report(struct mb_store *st, const char *target,
    int64_t member, int64_t hide_at, int64_t *reports, bool *hidden,
    struct mb_diag *d);
/* Where target stands (0 and false when never reported). */
int mb_store_agenda_flags(struct mb_store *st, const char *target,
    int64_t *reports, bool *hidden, struct mb_diag *d);
/* A moderator's decision: shown or hidden, and reports no longer hide. */
int mb_store_agenda_moderate(struct mb_store *st, const char *target,
    bool hidden, struct mb_diag *d);

#endif
