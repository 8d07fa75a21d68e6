/* SPDX-License-Identifier: MIT */
/*
 * The newsroom's items: reading with the visibility rule, creating,
 * updating and the publishing workflow (submit, publish, withhold,
 * cancel, embargo), with the permission checks of docs/permissions.md.
 * The JSON API and the browser newsroom both call these; neither knows
 * the rules.
 */
#ifndef MB_NEWSROOM_ITEMS_H
#define MB_NEWSROOM_ITEMS_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "base/buf.h"
#include "base/err.h"
#include "item/id.h"
#include "newsroom/policy.h"

struct mb_store;
struct mb_ingest;

/* Where the service works: the store, the signer, the center, a waker. */
struct mb_newsroom_env {
	struct mb_store		*st;
	struct mb_ingest	*ing;
	const char		*center;	/* this center's id */
	/* Called after each commit (wakes long-polls); may be NULL. */
	void			(*saved)(void *arg);
	void			*saved_arg;
	/*
	 * The rules a profile adds to ninjs (an event's dates and
	 * programme, a course's steps, a quiz), which live in modules above
	 * this one: called on the content of every version created or
	 * edited (a restore too), before it is signed; an error
	 * (MB_ERR_INVAL naming the field) refuses it, nothing stored. May
	 * be NULL: no such rules.
	 */
	int			(*check)(const json_t *item,
				    struct mb_diag *d);
};

/* An item version as read: its state and its signed envelope. */
struct mb_nr_item {
	int64_t	 version;
	char	 workflow[16];
	char	 pub_status[16];
	char	 audience[16];
	char	 profile[32];	/* "" when none; the rules read "quiz" */
	int64_t	 embargo_ms;
	int64_t	 created_ms;	/* versionCreated */
	int64_t	 first_ms;	/* firstCreated */
	int64_t	 seq;		/* its place in the log */
	int64_t	 author;	/* 0: none recorded */
	char	*envelope;	/* NUL-terminated; mb_nr_item_free() */
	size_t	 len;
};
void mb_nr_item_free(struct mb_nr_item *it);

/* The rules' view of a read item (borrows from it). */
struct mb_item_state mb_nr_item_state(const struct mb_nr_item *it);

/*
 * Reads an item as the actor may see it: the current version (version
 * 0) or an older one. MB_ERR_NOTFOUND also when the actor may not see
 * it, so that hidden items are not revealed.
 */
int mb_newsroom_get(const struct mb_newsroom_env *e, const struct mb_actor *a,
    const char *uri, int64_t version, struct mb_nr_item *out,
    struct mb_diag *d);

/* True when the actor may see the item's current version. */
bool mb_newsroom_visible(const struct mb_newsroom_env *e,
    const struct mb_actor *a, const char *uri);

/*
 * True when uri, of profile (NULL: none), is a proposal hidden at this
 * center (members' reports or a moderator: src/members/votes.c). Only a
 * proposal pays the flag's look-up. Lists, search and feeds leave such a
 * row out for all but the moderators, as the one-item doors above do:
 * the flag is the members domain's, so the store's list SQL cannot.
 */
bool mb_newsroom_hidden_proposal(struct mb_store *st, const char *uri,
    const char *profile);

/*
 * The outcome of a change. On MB_OK: the uri, version and log sequence
 * of the new version and its signed envelope (wire). On failure, code
 * names the kind for the edges ("exists", "canceled", "bad_transition",
 * "stale_version", "forbidden", "invalid", "no_alt", ...) and current
 * the version that is current when the caller's was stale. "no_alt": a
 * picture has neither alt text nor caption in the item's language, so
 * the item is not published (what names the picture; MB_ERR_INVAL).
 */
struct mb_nr_saved {
	char		 uri[MB_URI_MAX];
	int64_t		 version;
	int64_t		 seq;
	struct mb_buf	 wire;
	const char	*code;
	int64_t		 current;
	char		 what[64];	/* code "no_alt": the picture's name */
};
void mb_nr_saved_free(struct mb_nr_saved *s);

/*
 * The versions a change is conditioned on (If-Match): any (the item must
 * exist), or one of up to eight versions.
 */
struct mb_nr_precond {
	bool	any;
	int	n;
	int64_t	v[8];
};

/*
 * Creates an item from ninjs (item stolen) with optional meta hints
 * (borrowed: audience, workflow, translation). The actor must be signed
 * in. MB_ERR_PERM, MB_ERR_INVAL, MB_ERR_EXISTS, store errors.
 */
int mb_newsroom_create(const struct mb_newsroom_env *e,
    const struct mb_actor *a, json_t *item, const json_t *meta,
    struct mb_nr_saved *out, struct mb_diag *d);

/*
 * Replaces an item's content (item stolen; hints borrowed: audience
 * only) if its current version satisfies pre. MB_ERR_CONFLICT when
 * stale (out->current says which is current).
 */
int mb_newsroom_update(const struct mb_newsroom_env *e,
    const struct mb_actor *a, const char *uri,
    const struct mb_nr_precond *pre, json_t *item, const json_t *hints,
    struct mb_nr_saved *out, struct mb_diag *d);

/*
 * The translate step's update of a machine draft made again: as
 * mb_newsroom_update, with translation (borrowed) as the new
 * meta.translation and the item back to draft.
 */
int mb_newsroom_update_translation(const struct mb_newsroom_env *e,
    const struct mb_actor *a, const char *uri,
    const struct mb_nr_precond *pre, json_t *item, const json_t *translation,
    struct mb_nr_saved *out, struct mb_diag *d);

enum mb_nr_action {
	MB_NR_SUBMIT, MB_NR_PUBLISH, MB_NR_WITHHOLD, MB_NR_CANCEL,
	MB_NR_EMBARGO, MB_NR_RETURN
};

/* "submit" -> MB_NR_SUBMIT...; -1 for an unknown name. */
int mb_nr_action_parse(const char *name);
const char *mb_nr_action_name(enum mb_nr_action a);

/*
 * A workflow action on the current version (pre may be NULL: no
 * condition). For MB_NR_EMBARGO, until_ms > 0 sets the embargo and
 * MB_NR_LIFT lifts it; any other value (a date at or before 1970) is
 * MB_ERR_INVAL, nothing changed. MB_ERR_EXISTS with code
 * "bad_transition" when the state does not allow it.
 */
#define MB_NR_LIFT	INT64_MIN
int mb_newsroom_act(const struct mb_newsroom_env *e,
    const struct mb_actor *a, const char *uri, enum mb_nr_action action,
    const struct mb_nr_precond *pre, int64_t until_ms,
    struct mb_nr_saved *out, struct mb_diag *d);

/*
 * Sends a submitted item back to its writer (MB_NR_RETURN, an editor's):
 * a new version in draft with the note as the item's edNote (none: the
 * old note goes). Submitting again or publishing clears the note, so
 * that readers never get it. MB_ERR_INVAL (a note over MB_NR_NOTE_MAX
 * bytes), and the errors of mb_newsroom_act.
 */
#define MB_NR_NOTE_MAX 4000
int mb_newsroom_send_back(const struct mb_newsroom_env *e,
    const struct mb_actor *a, const char *uri,
    const struct mb_nr_precond *pre, const char *note,
    struct mb_nr_saved *out, struct mb_diag *d);

#endif
