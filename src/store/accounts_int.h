/* SPDX-License-Identifier: MIT */
/* Private to the accounts domain: its table of calls, one per backend, and its rows. */
#ifndef MB_STORE_ACCOUNTS_INT_H
#define MB_STORE_ACCOUNTS_INT_H

#include "store/accounts.h"
#include "store/store_int.h"

/* The calls of accounts.h, with the same arguments and contract. */
struct mb_store_accounts_ops {
	int	(*user_add)(struct mb_store *st, const char *name,
		    const char *role, const char *pwhash, int64_t *id,
		    struct mb_diag *d);
	int	(*user_get)(struct mb_store *st, const char *name, int64_t id,
		    struct mb_user *out, char *pwhash, size_t n,
		    struct mb_diag *d);
	int	(*user_update)(struct mb_store *st, const char *name,
		    const char *role, const char *pwhash, struct mb_diag *d);
	int	(*user_list)(struct mb_store *st,
		    int (*cb)(const struct mb_user *u, void *arg), void *arg,
		    struct mb_diag *d);
	int	(*cred_add)(struct mb_store *st, const char *kind,
		    const uint8_t hash[MB_CRED_HASH_LEN], int64_t user_id,
		    const char *csrf, int64_t expires_ms, struct mb_diag *d);
	int	(*cred_user)(struct mb_store *st, const char *kind,
		    const uint8_t hash[MB_CRED_HASH_LEN], int64_t now_ms,
		    struct mb_user *out, char *csrf, struct mb_diag *d);
	int	(*cred_delete)(struct mb_store *st,
		    const uint8_t hash[MB_CRED_HASH_LEN], struct mb_diag *d);
	int	(*user_disable)(struct mb_store *st, const char *name,
		    bool disabled, struct mb_diag *d);
	int	(*cred_list)(struct mb_store *st, int64_t user_id,
		    int (*cb)(const struct mb_cred *c, void *arg), void *arg,
		    struct mb_diag *d);
	int	(*cred_delete_user)(struct mb_store *st, int64_t user_id,
		    const char *kind, struct mb_diag *d);
	int	(*author_set)(struct mb_store *st, const char *uri,
		    int64_t user_id, struct mb_diag *d);
	int	(*author_get)(struct mb_store *st, const char *uri,
		    int64_t *user_id, struct mb_diag *d);
	int	(*version_author_set)(struct mb_store *st, const char *uri,
		    int64_t version, int64_t user_id, struct mb_diag *d);
	int	(*version_authors)(struct mb_store *st, const char *uri,
		    int (*cb)(const struct mb_version_author *va, void *arg),
		    void *arg, struct mb_diag *d);
};

/* Each backend's table and migrations (sqlite_accounts.c, pg_accounts.c). */
extern const struct mb_store_accounts_ops mb_sqlite_accounts;
extern const struct mb_store_accounts_ops mb_pg_accounts;
extern const char *const mb_sqlite_accounts_migrations[];
extern const char *const mb_pg_accounts_migrations[];

/* A user row: USER_COLS into struct mb_user (accounts.c). */
extern const struct mb_store_cols mb_store__user_cols;
/* A credential row: CRED_COLS into struct mb_cred (accounts.c). */
extern const struct mb_store_cols mb_store__cred_cols;
#define MB_STORE_CRED_COLS "c.hash, c.kind, c.user_id, u.name, c.created_ms, " \
    "c.expires_ms"
/* A version author row: VA_COLS into struct mb_version_author. */
extern const struct mb_store_cols mb_store__va_cols;
#define MB_STORE_VA_COLS "a.version, a.user_id, u.name"
#define MB_STORE_USER_COLS "u.id, u.name, u.role, u.created_ms, u.disabled"

#endif
