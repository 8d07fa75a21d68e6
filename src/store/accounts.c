/* SPDX-License-Identifier: MIT */
/* The accounts domain: its descriptor, its rows, and its calls handed to the store's backend. */
#include "accounts_int.h"

/*
 * The domain's tables (users, credentials, item_authors) came with core
 * migration 3, before domains had migrations of their own; the
 * domain's own steps add to them (1: accounts_version_authors).
 */
static const struct mb_store_table tables[] = {
	{ "users", "id, name, role, pwhash, created_ms, disabled" },
	{ "credentials", "hash, kind, user_id, csrf, created_ms, expires_ms" },
	{ "item_authors", "uri, user_id" },
	{ "accounts_version_authors", "uri, version, user_id" },
	{ NULL, NULL }
};

const struct mb_store_domain mb_store_accounts_domain = {
	.name = "accounts",
	.migrations = {
		[MB_STORE_SQLITE] = mb_sqlite_accounts_migrations,
		[MB_STORE_PG] = mb_pg_accounts_migrations,
	},
	.tables = tables,
};

static const struct mb_store_col user_col[] = {
	MB_COL(MB_COL_INT, struct mb_user, id),
	MB_COL(MB_COL_CHARS, struct mb_user, name),
	MB_COL(MB_COL_CHARS, struct mb_user, role),
	MB_COL(MB_COL_INT, struct mb_user, created_ms),
	MB_COL(MB_COL_BOOL, struct mb_user, disabled),
};
const struct mb_store_cols mb_store__user_cols =
    MB_COLS(struct mb_user, user_col);

static const struct mb_store_col cred_col[] = {
	MB_COL(MB_COL_BYTES, struct mb_cred, hash),
	MB_COL(MB_COL_CHARS, struct mb_cred, kind),
	MB_COL(MB_COL_INT, struct mb_cred, user_id),
	MB_COL(MB_COL_CHARS, struct mb_cred, user),
	MB_COL(MB_COL_INT, struct mb_cred, created_ms),
	MB_COL(MB_COL_INT, struct mb_cred, expires_ms),
};
const struct mb_store_cols mb_store__cred_cols =
    MB_COLS(struct mb_cred, cred_col);

static const struct mb_store_col va_col[] = {
	MB_COL(MB_COL_INT, struct mb_version_author, version),
	MB_COL(MB_COL_INT, struct mb_version_author, user_id),
	MB_COL(MB_COL_CHARS, struct mb_version_author, user),
};
const struct mb_store_cols mb_store__va_cols =
    MB_COLS(struct mb_version_author, va_col);

/* One table per backend, by the store's backend: one indirect call. */
static const struct mb_store_accounts_ops *const impl[MB_STORE__BACKENDS] = {
	[MB_STORE_SQLITE] = &mb_sqlite_accounts,
	[MB_STORE_PG] = &mb_pg_accounts,
};

#define OPS(st)	(impl[mb_store__backend(st)])

int
mb_store_user_add(struct mb_store *st, const char *name, const char *role,
    const char *pwhash, int64_t *id, struct mb_diag *d)
{
	return OPS(st)->user_add(st, name, role, pwhash, id, d);
}

int
mb_store_user_get(struct mb_store *st, const char *name, int64_t id,
    struct mb_user *out, char *pwhash, size_t n, struct mb_diag *d)
{
	return OPS(st)->user_get(st, name, id, out, pwhash, n, d);
}

int
mb_store_user_update(struct mb_store *st, const char *name, const char *role,
    const char *pwhash, struct mb_diag *d)
{
	return OPS(st)->user_update(st, name, role, pwhash, d);
}

int
mb_store_user_list(struct mb_store *st,
    int (*cb)(const struct mb_user *u, void *arg), void *arg,
    struct mb_diag *d)
{
	return OPS(st)->user_list(st, cb, arg, d);
}

int
mb_store_cred_add(struct mb_store *st, const char *kind,
    const uint8_t hash[MB_CRED_HASH_LEN], int64_t user_id, const char *csrf,
    int64_t expires_ms, struct mb_diag *d)
{
	return OPS(st)->cred_add(st, kind, hash, user_id, csrf, expires_ms, d);
}

int
mb_store_cred_user(struct mb_store *st, const char *kind,
    const uint8_t hash[MB_CRED_HASH_LEN], int64_t now_ms,
    struct mb_user *out, char *csrf, struct mb_diag *d)
{
	return OPS(st)->cred_user(st, kind, hash, now_ms, out, csrf, d);
}

int
mb_store_cred_delete(struct mb_store *st,
    const uint8_t hash[MB_CRED_HASH_LEN], struct mb_diag *d)
{
	return OPS(st)->cred_delete(st, hash, d);
}

int
mb_store_user_disable(struct mb_store *st, const char *name, bool disabled,
    struct mb_diag *d)
{
	return OPS(st)->user_disable(st, name, disabled, d);
}

int
mb_store_cred_list(struct mb_store *st, int64_t user_id,
    int (*cb)(const struct mb_cred *c, void *arg), void *arg,
    struct mb_diag *d)
{
	return OPS(st)->cred_list(st, user_id, cb, arg, d);
}

int
mb_store_cred_delete_user(struct mb_store *st, int64_t user_id,
    const char *kind, struct mb_diag *d)
{
	return OPS(st)->cred_delete_user(st, user_id, kind, d);
}

int
mb_store_author_set(struct mb_store *st, const char *uri, int64_t user_id,
    struct mb_diag *d)
{
	return OPS(st)->author_set(st, uri, user_id, d);
}

int
mb_store_author_get(struct mb_store *st, const char *uri, int64_t *user_id,
    struct mb_diag *d)
{
	return OPS(st)->author_get(st, uri, user_id, d);
}

int
mb_store_version_author_set(struct mb_store *st, const char *uri,
    int64_t version, int64_t user_id, struct mb_diag *d)
{
	return OPS(st)->version_author_set(st, uri, version, user_id, d);
}

int
mb_store_version_authors(struct mb_store *st, const char *uri,
    int (*cb)(const struct mb_version_author *va, void *arg), void *arg,
    struct mb_diag *d)
{
	return OPS(st)->version_authors(st, uri, cb, arg, d);
}
