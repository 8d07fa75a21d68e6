/* SPDX-License-Identifier: MIT */
/*
 * The members service: the network's people, recorded at their home
 * center and published to the network as signed profile items. The CLI,
 * the JSON API and the pages call these; the rules are here once
 * (docs/members.md).
 */
#ifndef MB_MEMBERS_MEMBERS_H
#define MB_MEMBERS_MEMBERS_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "base/err.h"
#include "newsroom/items.h"
#include "newsroom/policy.h"
#include "store/members.h"

/* Limits on what a record may hold; a longer value is refused. */
#define MB_MEMBER_BIO_MAX	2000	/* bytes, per language */
#define MB_MEMBER_BIOS_MAX	8	/* languages with a bio */

/* The categories, NULL-terminated. */
extern const char *const mb_member_categories[];

/*
 * A new member or a change, as the doors give it: strings (NULL: not
 * given). bio is a JSON object {lang: plain text} (borrowed) or NULL.
 */
struct mb_member_in {
	const char	*name;
	const char	*category;
	const char	*country;
	const char	*languages;	/* "ar,en" */
	const char	*affiliation;
	const json_t	*bio;
	const char	*audience;	/* public, network, internal */
	const char	*email;
	const char	*phone;
	const char	*user;		/* an account with role member */
};

/*
 * Adds a member (every field checked; name, category, country and
 * languages required; audience defaults to network) and publishes its
 * profile unless its audience is internal. out (may be NULL) gets the
 * record. Only an admin, or the CLI (a NULL actor).
 */
int mb_members_add(const struct mb_newsroom_env *e, const struct mb_actor *a,
    const struct mb_member_in *in, struct mb_member *out, struct mb_diag *d);

/*
 * Changes the fields given in `in` of member id and publishes the new
 * profile. An admin, the CLI, or the member themself (signed in with the
 * account linked to the record).
 */
int mb_members_update(const struct mb_newsroom_env *e,
    const struct mb_actor *a, int64_t id, const struct mb_member_in *in,
    struct mb_member *out, struct mb_diag *d);

/*
 * Suspends (a withheld profile version: reversible with reinstate) or
 * removes (a canceled one: for good) a member: the profile disappears
 * from every center's directory once the signed version reaches it.
 * status is "suspended", "removed" or "active" (reinstate).
 */
int mb_members_set_status(const struct mb_newsroom_env *e,
    const struct mb_actor *a, int64_t id, const char *status,
    struct mb_diag *d);

/*
 * Finds a member of this center by "ID" (digits), profile uri or the
 * account name. MB_ERR_NOTFOUND.
 */
int mb_members_find(const struct mb_newsroom_env *e, const char *key,
    struct mb_member *out, struct mb_diag *d);

/* The member an actor signs in as (role member). MB_ERR_NOTFOUND. */
int mb_members_of_actor(const struct mb_newsroom_env *e,
    const struct mb_actor *a, struct mb_member *out, struct mb_diag *d);

/*
 * The network directory as the actor may see it: profiles of every
 * center (this one's and those the exchange brought), current, usable,
 * in the actor's audiences. Filters: NULL or "" for any. Each profile is
 * a JSON object (borrowed for the call): uri, center, name, category,
 * country, languages (array), affiliation, bio {lang: text}, audience,
 * version. Never a contact field: those are not in profiles.
 */
struct mb_directory_filter {
	const char	*category;
	const char	*country;
	const char	*language;
	const char	*center;
	int		 limit;		/* 1..1000; 0: 1000; <0: all */
};
int mb_members_directory(const struct mb_newsroom_env *e,
    const struct mb_actor *a, const struct mb_directory_filter *f,
    int (*cb)(const json_t *profile, void *arg), void *arg,
    struct mb_diag *d);

/* One profile by uri, as the directory has it. MB_ERR_NOTFOUND. */
int mb_members_profile(const struct mb_newsroom_env *e,
    const struct mb_actor *a, const char *uri, json_t **out,
    struct mb_diag *d);

/*
 * The members of center that the network knows: the profiles of that
 * center held here whose current version is usable (audience public or
 * network) or withdrawn (withheld, canceled). Tallies are checked
 * against this (docs/members.md, "Tallies").
 */
int mb_members_count(struct mb_store *st, const char *center, int64_t *n,
    struct mb_diag *d);

/*
 * Sets a member's photo from an upload the media pipeline made ({"type":
 * "picture", "renditions": [...]}, borrowed) with its caption (the alt
 * text: required, plain), or removes it (upload NULL), and publishes
 * the profile again. An admin, the CLI, or the member themself. The
 * profiles carry it as their main picture (profile JSON: "photo").
 */
int mb_members_set_photo(const struct mb_newsroom_env *e,
    const struct mb_actor *a, int64_t id, const json_t *upload,
    const char *caption, struct mb_diag *d);

/* The record as JSON for its own center's admins (contact fields too). */
json_t *mb_member_record_json(const struct mb_member *m);

#endif
