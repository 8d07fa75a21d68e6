/* SPDX-License-Identifier: MIT */
/*
 * An item's versions: its history (who made each version, when, in what
 * state), a readable comparison of any two, and an old version restored
 * as a new one. Reading obeys the visibility rule of items.h; restoring
 * is an update, with its permission checks.
 */
#ifndef MB_NEWSROOM_VERSIONS_H
#define MB_NEWSROOM_VERSIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/buf.h"
#include "newsroom/items.h"

/* One version as the history shows it (strings borrowed for the call). */
struct mb_nr_version_info {
	int64_t		 version;
	const char	*workflow;
	const char	*pub_status;
	int64_t		 created_ms;
	int64_t		 embargo_ms;
	int64_t		 user_id;	/* 0: not made here by a user */
	const char	*user;		/* NULL when user_id is 0 */
	const char	*headline;	/* may be NULL */
	const char	*note;		/* the editor's note (edNote), or NULL */
	bool		 current;
};

/* The history's longest answer. */
#define MB_NR_HISTORY_MAX 200

/*
 * The item's versions the actor may see, newest first, at most limit
 * (0 or over MB_NR_HISTORY_MAX: MB_NR_HISTORY_MAX). cb returns MB_OK to
 * go on, positive to stop. MB_ERR_NOTFOUND when the item is not visible.
 */
int mb_newsroom_history(const struct mb_newsroom_env *e,
    const struct mb_actor *a, const char *uri, int64_t limit,
    int (*cb)(const struct mb_nr_version_info *v, void *arg), void *arg,
    struct mb_diag *d);

/* Two versions compared: each part's difference as safe HTML (diff.h). */
struct mb_nr_compare {
	int64_t		 from, to;
	struct mb_buf	 headline;	/* words: <del>/<ins> */
	struct mb_buf	 byline;	/* words; empty when both have none */
	struct mb_buf	 body;		/* lines, then words (<p class=...>) */
	char		 from_lang[16], to_lang[16];
	size_t		 added, removed;	/* the body's lines */
};
void mb_nr_compare_free(struct mb_nr_compare *c);

/*
 * Compares versions from and to (both from 1; either may be older) of
 * an item the actor may see. MB_ERR_NOTFOUND (a version not there or not
 * visible), MB_ERR_INVAL (a version below 1).
 */
int mb_newsroom_compare(const struct mb_newsroom_env *e,
    const struct mb_actor *a, const char *uri, int64_t from, int64_t to,
    struct mb_nr_compare *out, struct mb_diag *d);

/*
 * Restores version's content (headline, text, pictures, ...) as the
 * item's next version, conditioned on pre (may be NULL); the workflow's
 * state, the audience, pubStatus, the embargo and the editor's note stay
 * the current version's. MB_ERR_INVAL for the current version itself,
 * and the errors of mb_newsroom_update.
 */
int mb_newsroom_restore(const struct mb_newsroom_env *e,
    const struct mb_actor *a, const char *uri, int64_t version,
    const struct mb_nr_precond *pre, struct mb_nr_saved *out,
    struct mb_diag *d);

#endif
