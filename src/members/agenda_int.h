/* SPDX-License-Identifier: MIT */
/* Private to the agenda service: a proposal as loaded, shared by its files. */
#ifndef MB_MEMBERS_AGENDA_INT_H
#define MB_MEMBERS_AGENDA_INT_H

#include "members/agenda.h"

/* A proposal's current version, parsed. */
struct mb_proposal {
	char	 uri[MB_URI_MAX];
	char	 center[MB_CENTER_MAX + 1];
	int64_t	 version;
	char	 audience[16];
	char	 workflow[16];
	char	 pub_status[16];
	json_t	*item;		/* owned */
	json_t	*data;		/* owned: the mb:proposal object */
};
void mb_proposal__free(struct mb_proposal *p);

/* Loads a proposal; MB_ERR_NOTFOUND when there is none of that uri. */
int mb_proposal__load(struct mb_store *st, const char *uri,
    struct mb_proposal *p, struct mb_diag *d);

/* A string field of the proposal's data ("" when absent). */
const char *mb_proposal__str(const struct mb_proposal *p, const char *k);

/* Whether the actor may see it (docs/members.md, "Who sees what"). */
bool mb_proposal__visible(const struct mb_newsroom_env *e,
    const struct mb_actor *a, const struct mb_proposal *p);

/*
 * Whether the actor (NULL: the system) may see member m's name: the
 * member, a moderator, or whom m's current profile is for (votes.c).
 */
bool mb_agenda__name_shown(const struct mb_actor *a,
    const struct mb_member *m);

/*
 * The tallies of a network proposal, checked (tally.c): appends one
 * object per center to tallies and sums the counted ones into total.
 * A center proposal's own count instead; while a secret poll is open,
 * none (as no tally of a network one is signed after each vote), unless
 * closing: the close counts it once for the result.
 */
int mb_agenda__results(const struct mb_newsroom_env *e,
    const struct mb_proposal *p, bool closing, json_t *tallies,
    json_t *total, struct mb_diag *d);

#endif
