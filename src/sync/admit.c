/* SPDX-License-Identifier: MIT */
/* HQ admitting a center to the registry: the rules its key must meet (registry.h). */
#include "registry.h"

#include <stdio.h>
#include <string.h>

struct key_seek {
	const char	*id;		/* the center being added */
	char		 revoked[33];	/* a center revoked with the key */
	char		 holder[33];	/* another center whose key it is now */
};

static int
key_user(const struct mb_center_key *k, void *arg)
{
	struct key_seek *s = arg;

	if (k->revoked && s->revoked[0] == '\0')
		snprintf(s->revoked, sizeof(s->revoked), "%s", k->id);
	else if (!k->revoked && k->until_ms == 0 &&
	    strcmp(k->id, s->id) != 0 && s->holder[0] == '\0')
		snprintf(s->holder, sizeof(s->holder), "%s", k->id);
	return MB_OK;
}

/*
 * MB_ERR_PERM, with why, when c's key may not be admitted: it was revoked,
 * under c's id or any other (now or before a replacement: center_keys),
 * so that a stolen key does not come back under a new name; or another
 * center holds it now, which would make two centers sign as one. Else
 * MB_OK, or the store's error.
 */
static int
key_taken(struct mb_store *st, const struct mb_center *c,
    struct mb_diag *d)
{
	struct key_seek	s = { c->id, "", "" };
	int		rc;

	if ((rc = mb_store_center_key_users(st, c->key, key_user, &s, d)) !=
	    MB_OK)
		return rc;
	if (strcmp(s.revoked, c->id) == 0)
		return mb_diag_set(d, MB_ERR_PERM, "%s was revoked with this "
		    "key: a revoked key stays revoked; admit the center again "
		    "with a new key (mediabridge init a new data directory "
		    "on the center)", c->id);
	if (s.revoked[0] != '\0')
		return mb_diag_set(d, MB_ERR_PERM, "this key was revoked with "
		    "center %s: a revoked key stays revoked, under any id; "
		    "admit %s with a new key (mediabridge init a new data "
		    "directory on the center)", s.revoked, c->id);
	if (s.holder[0] != '\0')
		return mb_diag_set(d, MB_ERR_PERM, "center %s holds this key: "
		    "each center signs with a key of its own; admit %s with "
		    "its own key (mediabridge init a new data directory on "
		    "the center)", s.holder, c->id);
	return MB_OK;
}

int
mb_sync_registry_admit(struct mb_store *st, const struct mb_center_node *n,
    const struct mb_center *c, int64_t *version, struct mb_diag *d)
{
	int rc;

	if (strcmp(c->id, n->conf.id) == 0)
		return mb_diag_set(d, MB_ERR_INVAL, "%s is HQ itself", c->id);
	/* A key revoked because it was stolen must never come back. */
	if ((rc = key_taken(st, c, d)) != MB_OK ||
	    (rc = mb_store_center_put(st, c, d)) != MB_OK)
		return rc;
	return mb_sync_registry_publish(st, n, version, d);
}
