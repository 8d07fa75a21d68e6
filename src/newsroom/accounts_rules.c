/* SPDX-License-Identifier: MIT */
/*
 * Who may manage which accounts and tokens (docs/permissions.md), for
 * every door: an admin manages users and anyone's tokens; anyone signed
 * in makes, lists and revokes their own tokens.
 */
#include <string.h>

#include "accounts.h"

int
mb_accounts_may_manage(const struct mb_actor *a, struct mb_diag *d)
{
	if (mb_actor_role(a) != MB_ROLE_ADMIN)
		return mb_diag_set(d, MB_ERR_PERM, "only an admin manages "
		    "accounts");
	return MB_OK;
}

/* True when the actor is the user called name. */
static bool
is_self(const struct mb_actor *a, const char *name)
{
	return a != NULL && a->name != NULL && name != NULL &&
	    strcmp(a->name, name) == 0;
}

int
mb_accounts_user_change_as(struct mb_store *st, const struct mb_actor *a,
    const char *name, const struct mb_user_change *c, struct mb_diag *d)
{
	int rc;

	if ((rc = mb_accounts_may_manage(a, d)) != MB_OK)
		return rc;
	/* So that a slip cannot lock a center's last admin out. */
	if (c->disabled == 1 && is_self(a, name))
		return mb_diag_set(d, MB_ERR_INVAL, "an admin cannot disable "
		    "their own account; ask another admin");
	if (c->role != NULL && strcmp(c->role, "admin") != 0 &&
	    is_self(a, name))
		return mb_diag_set(d, MB_ERR_INVAL, "an admin cannot give "
		    "up their own admin role; ask another admin");
	return mb_accounts_user_change(st, name, c, d);
}

int
mb_accounts_token_new_as(struct mb_store *st, const struct mb_actor *a,
    const char *name, char token[MB_SECRET_TEXT_LEN], struct mb_diag *d)
{
	if (mb_actor_role(a) != MB_ROLE_ADMIN && !is_self(a, name))
		return mb_diag_set(d, MB_ERR_PERM, "a token for someone else "
		    "is an admin's to make");
	return mb_accounts_token_new(st, name, token, d);
}

int
mb_accounts_token_list_as(struct mb_store *st, const struct mb_actor *a,
    const char *user, int (*cb)(const struct mb_token_info *t, void *arg),
    void *arg, struct mb_diag *d)
{
	if (mb_actor_role(a) != MB_ROLE_ADMIN) {
		if (a == NULL || a->name == NULL)
			return mb_diag_set(d, MB_ERR_PERM, "sign in first");
		if (user != NULL && !is_self(a, user))
			return mb_diag_set(d, MB_ERR_PERM, "someone else's "
			    "tokens are an admin's to see");
		user = a->name;
	}
	return mb_accounts_token_list(st, user, cb, arg, d);
}

static int
find_own(const struct mb_token_info *t, void *arg)
{
	const char **id = arg;

	if (*id != NULL && strcmp(t->id, *id) == 0)
		*id = NULL;
	return MB_OK;
}

int
mb_accounts_token_revoke_as(struct mb_store *st, const struct mb_actor *a,
    const char *id, struct mb_diag *d)
{
	const char	*seek = id;
	int		 rc;

	if (mb_actor_role(a) != MB_ROLE_ADMIN) {
		if (a == NULL || a->name == NULL)
			return mb_diag_set(d, MB_ERR_PERM, "sign in first");
		if ((rc = mb_accounts_token_list(st, a->name, find_own, &seek,
		    d)) != MB_OK)
			return rc;
		/* Someone else's token is not found, not forbidden. */
		if (seek != NULL)
			return mb_diag_set(d, MB_ERR_NOTFOUND, "token %.20s: "
			    "no such token of yours", id);
	}
	return mb_accounts_token_revoke(st, id, d);
}

int
mb_accounts_reset_new_as(struct mb_store *st, const struct mb_actor *a,
    const char *name, char secret[MB_SECRET_TEXT_LEN], struct mb_diag *d)
{
	int rc;

	if ((rc = mb_accounts_may_manage(a, d)) != MB_OK)
		return rc;
	return mb_accounts_reset_new(st, name, MB_RESET_TTL_MS, secret, d);
}

int
mb_accounts_own_password(struct mb_store *st, const struct mb_actor *a,
    const char *current, const char *password, struct mb_diag *d)
{
	struct mb_user	u;
	int		rc;

	if (a == NULL || a->name == NULL)
		return mb_diag_set(d, MB_ERR_PERM, "sign in first");
	/* The current password, so that an unattended session cannot. */
	if ((rc = mb_accounts_login(st, a->name, current != NULL ? current :
	    "", &u, d)) != MB_OK)
		return rc == MB_ERR_PERM ? mb_diag_set(d, MB_ERR_PERM,
		    "current password: wrong password") : rc;
	return mb_accounts_set_password(st, a->name, password, d);
}
