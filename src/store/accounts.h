/* SPDX-License-Identifier: MIT */
/* The accounts domain: newsroom users, their credentials, the authors of items. */
#ifndef MB_STORE_ACCOUNTS_H
#define MB_STORE_ACCOUNTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

/*
 * The store's first domain (docs/store.md, "Adding a domain's tables"):
 * accounts.c dispatches these calls to sqlite_accounts.c or
 * pg_accounts.c. store.h includes this header, so code that has always
 * found these calls there still does.
 */
struct mb_store;

/* A newsroom account. role is one of admin, editor, journalist,
 * translator, member, learner (the HTTP layer gives them meaning). */
struct mb_user {
	int64_t	id;
	char	name[64];
	char	role[16];
	int64_t	created_ms;
	bool	disabled;
};

/*
 * Adds a user; pwhash (an Argon2id string, may be NULL: no password
 * login) is stored as given. *id gets the new id (id may be NULL).
 * MB_ERR_EXISTS when the name is taken.
 */
int mb_store_user_add(struct mb_store *st, const char *name,
    const char *role, const char *pwhash, int64_t *id, struct mb_diag *d);

/*
 * A user by name (id 0) or by id (name NULL). pwhash (may be NULL) gets
 * the stored hash, "" when none, truncated to n. MB_ERR_NOTFOUND.
 */
int mb_store_user_get(struct mb_store *st, const char *name, int64_t id,
    struct mb_user *out, char *pwhash, size_t n, struct mb_diag *d);

/* Changes a user's role or password hash (NULL: leave as is). */
int mb_store_user_update(struct mb_store *st, const char *name,
    const char *role, const char *pwhash, struct mb_diag *d);

/* Every user, by name. */
int mb_store_user_list(struct mb_store *st,
    int (*cb)(const struct mb_user *u, void *arg), void *arg,
    struct mb_diag *d);

/*
 * Credentials: API tokens ("token") and web sessions ("session"), kept
 * only as a 32-byte hash of the secret. csrf (sessions) may be NULL.
 * expires_ms 0: never.
 */
#define MB_CRED_HASH_LEN 32
int mb_store_cred_add(struct mb_store *st, const char *kind,
    const uint8_t hash[MB_CRED_HASH_LEN], int64_t user_id, const char *csrf,
    int64_t expires_ms, struct mb_diag *d);

/*
 * The user a credential of that kind belongs to, if it has not expired
 * at now_ms and the user is not disabled; csrf (may be NULL, 65 bytes)
 * gets the session's CSRF token. MB_ERR_NOTFOUND otherwise.
 */
int mb_store_cred_user(struct mb_store *st, const char *kind,
    const uint8_t hash[MB_CRED_HASH_LEN], int64_t now_ms,
    struct mb_user *out, char *csrf, struct mb_diag *d);

/* Forgets a credential (logout); no error when it is not there. */
int mb_store_cred_delete(struct mb_store *st,
    const uint8_t hash[MB_CRED_HASH_LEN], struct mb_diag *d);

/* Disables (true) or enables a user; a disabled user's credentials no
 * longer answer mb_store_cred_user. MB_ERR_NOTFOUND. */
int mb_store_user_disable(struct mb_store *st, const char *name,
    bool disabled, struct mb_diag *d);

/* A credential as listed: never the secret, only its hash. */
struct mb_cred {
	uint8_t	hash[MB_CRED_HASH_LEN];
	char	kind[16];
	int64_t	user_id;
	char	user[64];
	int64_t	created_ms;
	int64_t	expires_ms;
};

/* Every credential (user_id 0) or one user's, oldest first. */
int mb_store_cred_list(struct mb_store *st, int64_t user_id,
    int (*cb)(const struct mb_cred *c, void *arg), void *arg,
    struct mb_diag *d);

/* Forgets every credential of a user (kind NULL: tokens and sessions). */
int mb_store_cred_delete_user(struct mb_store *st, int64_t user_id,
    const char *kind, struct mb_diag *d);

/* Who wrote an item here (set once, when it is created over the API). */
int mb_store_author_set(struct mb_store *st, const char *uri,
    int64_t user_id, struct mb_diag *d);
/* MB_ERR_NOTFOUND when the item has no recorded author. */
int mb_store_author_get(struct mb_store *st, const char *uri,
    int64_t *user_id, struct mb_diag *d);

/*
 * Who made each version here (a newsroom user; versions received from
 * other centers, or made by the operator, have none). Set once per
 * (uri, version): a second call changes nothing. Never leaves the center.
 */
int mb_store_version_author_set(struct mb_store *st, const char *uri,
    int64_t version, int64_t user_id, struct mb_diag *d);
/* One recorded version author, with the user's name. */
struct mb_version_author {
	int64_t	version;
	int64_t	user_id;
	char	user[64];
};
/* The recorded authors of an item's versions, newest version first. */
int mb_store_version_authors(struct mb_store *st, const char *uri,
    int (*cb)(const struct mb_version_author *va, void *arg), void *arg,
    struct mb_diag *d);

#endif
