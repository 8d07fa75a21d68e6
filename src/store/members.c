/* SPDX-License-Identifier: MIT */
/* The members domain: its descriptor, its rows, and its calls handed to the store's backend. */
#include "members_int.h"

static const struct mb_store_table tables[] = {
	{ "members", "id, uri, name, category, country, languages, "
	    "affiliation, bio, audience, email, phone, user_name, status, "
	    "created_ms, updated_ms, photo" },
	{ NULL, NULL }
};

const struct mb_store_domain mb_store_members_domain = {
	.name = "members",
	.migrations = {
		[MB_STORE_SQLITE] = mb_sqlite_members_migrations,
		[MB_STORE_PG] = mb_pg_members_migrations,
	},
	.tables = tables,
};

static const struct mb_store_col member_col[] = {	/* MEMBER_COLS */
	MB_COL(MB_COL_INT, struct mb_member, id),
	MB_COL(MB_COL_CHARS, struct mb_member, uri),
	MB_COL(MB_COL_CHARS, struct mb_member, name),
	MB_COL(MB_COL_CHARS, struct mb_member, category),
	MB_COL(MB_COL_CHARS, struct mb_member, country),
	MB_COL(MB_COL_CHARS, struct mb_member, languages),
	MB_COL(MB_COL_CHARS, struct mb_member, affiliation),
	MB_COL(MB_COL_CHARS, struct mb_member, bio),
	MB_COL(MB_COL_CHARS, struct mb_member, audience),
	MB_COL(MB_COL_CHARS, struct mb_member, email),
	MB_COL(MB_COL_CHARS, struct mb_member, phone),
	MB_COL(MB_COL_CHARS, struct mb_member, user),
	MB_COL(MB_COL_CHARS, struct mb_member, status),
	MB_COL(MB_COL_INT, struct mb_member, created_ms),
	MB_COL(MB_COL_INT, struct mb_member, updated_ms),
};
const struct mb_store_cols mb_store__member_cols =
    MB_COLS(struct mb_member, member_col);

static const struct mb_store_members_ops *const impl[MB_STORE__BACKENDS] = {
	[MB_STORE_SQLITE] = &mb_sqlite_members,
	[MB_STORE_PG] = &mb_pg_members,
};

#define OPS(st)	(impl[mb_store__backend(st)])

int
mb_store_member_add(struct mb_store *st, const struct mb_member *m,
    int64_t *id, struct mb_diag *d)
{
	return OPS(st)->add(st, m, id, d);
}

int
mb_store_member_get(struct mb_store *st, int64_t id, const char *uri,
    const char *user, struct mb_member *out, struct mb_diag *d)
{
	return OPS(st)->get(st, id, uri, user, out, d);
}

int
mb_store_member_update(struct mb_store *st, const struct mb_member *m,
    struct mb_diag *d)
{
	return OPS(st)->update(st, m, d);
}

int
mb_store_member_list(struct mb_store *st,
    const struct mb_store_member_filter *f,
    int (*cb)(const struct mb_member *m, void *arg), void *arg,
    struct mb_diag *d)
{
	return OPS(st)->list(st, f, cb, arg, d);
}

int
mb_store_member_photo_get(struct mb_store *st, int64_t id, char **out,
    struct mb_diag *d)
{
	return OPS(st)->photo_get(st, id, out, d);
}

int
mb_store_member_photo_set(struct mb_store *st, int64_t id, const char *photo,
    struct mb_diag *d)
{
	return OPS(st)->photo_set(st, id, photo != NULL ? photo : "", d);
}
