/* SPDX-License-Identifier: MIT */
/* The role and audience rules of docs/permissions.md, written once. */
#include "policy.h"

#include <stdio.h>
#include <string.h>

#include "store/store.h"

static const char *const role_names[] = {
	[MB_ROLE_NONE] = "reader",
	[MB_ROLE_LEARNER] = "learner",
	[MB_ROLE_MEMBER] = "member",
	[MB_ROLE_TRANSLATOR] = "translator",
	[MB_ROLE_JOURNALIST] = "journalist",
	[MB_ROLE_EDITOR] = "editor",
	[MB_ROLE_ADMIN] = "admin",
};

/*
 * A role outside the enum (a corrupt value, a cast) counts as a reader:
 * the comparisons below would otherwise read it as above admin.
 */
static enum mb_role
known(enum mb_role r)
{
	return (unsigned)r > (unsigned)MB_ROLE_ADMIN ? MB_ROLE_NONE : r;
}

enum mb_role
mb_actor_role(const struct mb_actor *a)
{
	return a != NULL ? known(a->role) : MB_ROLE_NONE;
}

enum mb_role
mb_role_parse(const char *s)
{
	if (s == NULL)
		return MB_ROLE_NONE;
	for (int r = MB_ROLE_LEARNER; r <= MB_ROLE_ADMIN; r++)
		if (strcmp(s, role_names[r]) == 0)
			return (enum mb_role)r;
	return MB_ROLE_NONE;
}

const char *
mb_role_name(enum mb_role r)
{
	return role_names[known(r)];
}

unsigned
mb_audiences_of(enum mb_role role)
{
	role = known(role);
	/* Staff read internal items; members the network's; readers public. */
	if (role >= MB_ROLE_TRANSLATOR)
		return MB_AUD_PUBLIC | MB_AUD_NETWORK | MB_AUD_INTERNAL;
	if (role == MB_ROLE_MEMBER)
		return MB_AUD_PUBLIC | MB_AUD_NETWORK;
	return MB_AUD_PUBLIC;
}

unsigned
mb_audience_bit(const char *a)
{
	/* Unknown counts as the narrowest: a typo never widens an audience. */
	if (a != NULL && strcmp(a, "public") == 0)
		return MB_AUD_PUBLIC;
	if (a != NULL && strcmp(a, "network") == 0)
		return MB_AUD_NETWORK;
	return MB_AUD_INTERNAL;
}

bool
mb_audience_valid(const char *a)
{
	return a != NULL && (strcmp(a, "public") == 0 ||
	    strcmp(a, "network") == 0 || strcmp(a, "internal") == 0);
}

bool
mb_policy_own(const struct mb_actor *a, const struct mb_item_state *s)
{
	return a != NULL && a->user_id != 0 && s->author != 0 &&
	    s->author == a->user_id;
}

const char *
mb_policy_read_audience(const struct mb_item_state *s)
{
	/* Store-side, MB_SQL_VISIBLE (store/sql.h) says the same. */
	if (s->profile != NULL && strcmp(s->profile, "quiz") == 0)
		return "internal";
	return s->audience;
}

bool
mb_policy_visible(const struct mb_actor *a, const struct mb_item_state *s,
    int64_t now_ms)
{
	enum mb_role role = mb_actor_role(a);

	if (role >= MB_ROLE_EDITOR || mb_policy_own(a, s))
		return true;
	return strcmp(s->workflow, "published") == 0 &&
	    strcmp(s->pub_status, "usable") == 0 && s->embargo_ms <= now_ms &&
	    (mb_audience_bit(mb_policy_read_audience(s)) &
	    mb_audiences_of(role)) != 0;
}

bool
mb_policy_may_edit(const struct mb_actor *a, const struct mb_item_state *s,
    char *why, size_t n)
{
	enum mb_role	role = mb_actor_role(a);
	bool		own = mb_policy_own(a, s);

	if (role >= MB_ROLE_EDITOR)
		return true;
	if ((role == MB_ROLE_JOURNALIST || role == MB_ROLE_TRANSLATOR) &&
	    own && strcmp(s->workflow, "published") != 0)
		return true;
	snprintf(why, n, "a %s may change only their own drafts; this one is "
	    "%s", mb_role_name(role), own ? "published" : "someone else's");
	return false;
}
