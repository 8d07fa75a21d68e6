/* SPDX-License-Identifier: MIT */
/* The members domain: the records of the network's people at their home center. */
#ifndef MB_STORE_MEMBERS_H
#define MB_STORE_MEMBERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

/*
 * One row per member whose home is this center. The public and network
 * fields (name, category, country, languages, affiliation, bio) are also
 * published as the member's signed profile item (uri); the contact
 * fields (email, phone) live only in this table, which no exchange, feed
 * or export reads (docs/members.md).
 */
struct mb_store;

struct mb_member {
	int64_t	id;
	char	uri[128];	/* the profile item's uri */
	char	name[128];
	char	category[32];	/* politician, diplomat, academic, ... */
	char	country[8];	/* ISO 3166-1 alpha-2 */
	char	languages[128];	/* "ar,en" */
	char	affiliation[256];
	char	bio[4096];	/* JSON object {lang: plain text} */
	char	audience[16];	/* the profile's: public, network, internal */
	char	email[256];	/* contact: internal, always */
	char	phone[64];	/* contact: internal, always */
	char	user[64];	/* the account it signs in with; "" none */
	char	status[16];	/* active, suspended, removed */
	int64_t	created_ms;
	int64_t	updated_ms;
};

/*
 * Adds a member (m->id and the times are set here; *id gets the id, id
 * may be NULL). MB_ERR_EXISTS when the uri or the user is taken.
 */
int mb_store_member_add(struct mb_store *st, const struct mb_member *m,
    int64_t *id, struct mb_diag *d);

/*
 * A member by id (when not 0), else by profile uri (when not NULL), else
 * by user name. MB_ERR_NOTFOUND.
 */
int mb_store_member_get(struct mb_store *st, int64_t id, const char *uri,
    const char *user, struct mb_member *out, struct mb_diag *d);

/* Replaces every field of member m->id but the times it was created. */
int mb_store_member_update(struct mb_store *st, const struct mb_member *m,
    struct mb_diag *d);

/* Filters of mb_store_member_list(); NULL: any. */
struct mb_store_member_filter {
	const char	*status;
	const char	*category;
	const char	*country;
};

/* The members that pass f, by name. */
int mb_store_member_list(struct mb_store *st,
    const struct mb_store_member_filter *f,
    int (*cb)(const struct mb_member *m, void *arg), void *arg,
    struct mb_diag *d);

/*
 * A member's photo: the ninjs association (JSON text, its renditions
 * made by the media pipeline) that the profile carries, "" for none.
 * get: *out is malloc'd ("" when none). MB_ERR_NOTFOUND: no such member.
 */
int mb_store_member_photo_get(struct mb_store *st, int64_t id, char **out,
    struct mb_diag *d);
int mb_store_member_photo_set(struct mb_store *st, int64_t id,
    const char *photo, struct mb_diag *d);

#endif
