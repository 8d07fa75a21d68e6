/* SPDX-License-Identifier: MIT */
/* Private to the members domain: its table of calls, one per backend, and its rows. */
#ifndef MB_STORE_MEMBERS_INT_H
#define MB_STORE_MEMBERS_INT_H

#include "store/members.h"
#include "store/store_int.h"

/* The calls of members.h, with the same arguments and contract. */
struct mb_store_members_ops {
	int	(*add)(struct mb_store *st, const struct mb_member *m,
		    int64_t *id, struct mb_diag *d);
	int	(*get)(struct mb_store *st, int64_t id, const char *uri,
		    const char *user, struct mb_member *out,
		    struct mb_diag *d);
	int	(*update)(struct mb_store *st, const struct mb_member *m,
		    struct mb_diag *d);
	int	(*list)(struct mb_store *st,
		    const struct mb_store_member_filter *f,
		    int (*cb)(const struct mb_member *m, void *arg),
		    void *arg, struct mb_diag *d);
	int	(*photo_get)(struct mb_store *st, int64_t id, char **out,
		    struct mb_diag *d);
	int	(*photo_set)(struct mb_store *st, int64_t id,
		    const char *photo, struct mb_diag *d);
};

extern const struct mb_store_members_ops mb_sqlite_members, mb_pg_members;
extern const char *const mb_sqlite_members_migrations[];
extern const char *const mb_pg_members_migrations[];

/* A member row: MB_STORE_MEMBER_COLS into struct mb_member (members.c). */
extern const struct mb_store_cols mb_store__member_cols;
#define MB_STORE_MEMBER_COLS "id, uri, name, category, country, languages, " \
    "affiliation, bio, audience, email, phone, coalesce(user_name, ''), " \
    "status, created_ms, updated_ms"

#endif
