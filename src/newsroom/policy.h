/* SPDX-License-Identifier: MIT */
/*
 * The newsroom's rules of who may do what: roles, the audiences each
 * role may read, and whether an item is visible to someone. Every door
 * (the JSON API, the browser newsroom, search, the CLI) asks here, so
 * the table in docs/permissions.md is written once.
 */
#ifndef MB_NEWSROOM_POLICY_H
#define MB_NEWSROOM_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Roles, weakest first; MB_ROLE_NONE is the reader without an account.
 * A learner (courses) reads what a reader reads, and takes courses.
 */
enum mb_role {
	MB_ROLE_NONE = 0,
	MB_ROLE_LEARNER,
	MB_ROLE_MEMBER,
	MB_ROLE_TRANSLATOR,
	MB_ROLE_JOURNALIST,
	MB_ROLE_EDITOR,
	MB_ROLE_ADMIN
};

/* "learner" -> MB_ROLE_LEARNER...; MB_ROLE_NONE for anything else. */
enum mb_role mb_role_parse(const char *s);
/* "admin", ..., "reader" for MB_ROLE_NONE. Static string. */
const char *mb_role_name(enum mb_role r);

/* The audiences (MB_AUD_* bits of store.h) a role may read. */
unsigned mb_audiences_of(enum mb_role role);

/* The MB_AUD_* bit of "public", "network" or "internal" (else internal). */
unsigned mb_audience_bit(const char *audience);

/* True for "public", "network" and "internal". */
bool mb_audience_valid(const char *audience);

/* Who is asking: user_id 0 and MB_ROLE_NONE for an anonymous reader. */
struct mb_actor {
	int64_t		 user_id;
	const char	*name;
	enum mb_role	 role;
};

/* What the rules look at in an item's current version. */
struct mb_item_state {
	int64_t		 author;	/* 0: none recorded */
	const char	*workflow;	/* draft, submitted, published */
	const char	*pub_status;	/* usable, withheld, canceled */
	const char	*audience;
	int64_t		 embargo_ms;
	const char	*profile;	/* NULL: none */
};

/*
 * The actor's role for the rules: a missing actor, or a role outside the
 * enum, is an anonymous reader (never above admin).
 */
enum mb_role mb_actor_role(const struct mb_actor *a);

/* True when the actor wrote the item (here, over the API). */
bool mb_policy_own(const struct mb_actor *a, const struct mb_item_state *s);

/*
 * The audience an item is read as: its own, except a quiz's (profile
 * "quiz"), which is "internal" whatever it was published with. A quiz
 * carries its answer key; it travels to member centers for the network
 * (audience network) but is read by staff only (translator and up, who
 * write, translate and preview courses); an enrolled learner sees its
 * questions through the course pages, never the item.
 */
const char *mb_policy_read_audience(const struct mb_item_state *s);

/*
 * The visibility rule: editors and the author see everything; others
 * see a published, usable item past its embargo in one of their
 * audiences (the audience it is read as, above).
 */
bool mb_policy_visible(const struct mb_actor *a,
    const struct mb_item_state *s, int64_t now_ms);

/*
 * May the actor change this (visible) item at all? Editors may; a
 * journalist or translator only their own unpublished drafts. On false,
 * why[] says why in a sentence.
 */
bool mb_policy_may_edit(const struct mb_actor *a,
    const struct mb_item_state *s, char *why, size_t n);

#endif
