/* SPDX-License-Identifier: MIT */
/* Accounts: users, password hashes, API tokens and web sessions, and revoking them. */
#ifndef MB_NEWSROOM_ACCOUNTS_H
#define MB_NEWSROOM_ACCOUNTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "newsroom/policy.h"
#include "store/store.h"

/* A user name: 1 to 63 of [a-z0-9._-], starting with a letter or digit. */
bool mb_user_name_valid(const char *name);

/* Length of a token or session secret in text: 43 base64url characters. */
#define MB_SECRET_TEXT_LEN 44

/*
 * Adds a user with a role and (password may be NULL) an Argon2id hash
 * of the password. MB_ERR_INVAL (bad name, role or a password under 8
 * bytes), MB_ERR_EXISTS.
 */
int mb_accounts_user_add(struct mb_store *st, const char *name,
    const char *role, const char *password, struct mb_diag *d);

/* Sets a user's password and ends every session and token they hold. */
int mb_accounts_set_password(struct mb_store *st, const char *name,
    const char *password, struct mb_diag *d);

/*
 * Checks a password: MB_OK and *out, or MB_ERR_PERM ("wrong name or
 * password", the same whether or not the user exists, in about the same
 * time).
 */
int mb_accounts_login(struct mb_store *st, const char *name,
    const char *password, struct mb_user *out, struct mb_diag *d);

/*
 * Makes a new API token for a user: 32 random bytes, base64url in
 * token (shown once; only its hash is stored).
 */
int mb_accounts_token_new(struct mb_store *st, const char *name,
    char token[MB_SECRET_TEXT_LEN], struct mb_diag *d);

/* The user a bearer token belongs to. MB_ERR_NOTFOUND. */
int mb_accounts_token_user(struct mb_store *st, const char *token,
    struct mb_user *out, struct mb_diag *d);

/*
 * Web sessions: a new one for a user (secret for the cookie, csrf for
 * forms), lasting ttl_ms; the user and CSRF token of one; logout.
 */
int mb_accounts_session_new(struct mb_store *st, int64_t user_id,
    int64_t ttl_ms, char secret[MB_SECRET_TEXT_LEN],
    char csrf[MB_SECRET_TEXT_LEN], struct mb_diag *d);
int mb_accounts_session_user(struct mb_store *st, const char *secret,
    struct mb_user *out, char csrf[65], struct mb_diag *d);
int mb_accounts_session_end(struct mb_store *st, const char *secret,
    struct mb_diag *d);

/*
 * A change to a user: a field left NULL (disabled: -1) stays as it is.
 * Applied whole or not at all: every field is checked first, then one
 * transaction. A new password and disabling end every session and token
 * of the user in it; enabling does not bring them back. MB_ERR_INVAL,
 * MB_ERR_NOTFOUND.
 */
struct mb_user_change {
	const char	*role;
	const char	*password;
	int		 disabled;	/* -1 as is, 0 enable, 1 disable */
};
int mb_accounts_user_change(struct mb_store *st, const char *name,
    const struct mb_user_change *c, struct mb_diag *d);

/* Disables a user (ending every session and token at once) or enables one. */
int mb_accounts_user_disable(struct mb_store *st, const char *name,
    bool disabled, struct mb_diag *d);

/* Changes a user's role. MB_ERR_INVAL, MB_ERR_NOTFOUND. */
int mb_accounts_set_role(struct mb_store *st, const char *name,
    const char *role, struct mb_diag *d);

/*
 * A token's id: the first 6 bytes of its stored hash, in hex. It names a
 * token in lists and revocation without being a secret.
 */
#define MB_TOKEN_ID_LEN 13
void mb_accounts_token_id(const char *token, char id[MB_TOKEN_ID_LEN]);

struct mb_token_info {
	char	id[MB_TOKEN_ID_LEN];
	char	user[64];
	int64_t	created_ms;
	int64_t	expires_ms;	/* 0: never */
};

/* Every API token (user NULL) or one user's, oldest first. */
int mb_accounts_token_list(struct mb_store *st, const char *user,
    int (*cb)(const struct mb_token_info *t, void *arg), void *arg,
    struct mb_diag *d);

/* Revokes the token with this id. MB_ERR_INVAL, MB_ERR_NOTFOUND. */
int mb_accounts_token_revoke(struct mb_store *st, const char *id,
    struct mb_diag *d);

/*
 * Password resets: a one-time link that expires after ttl_ms. new makes
 * its secret (shown once; only its hash is kept) for an enabled user;
 * user says whose it is (MB_ERR_NOTFOUND when unknown, used or expired);
 * use sets the password and ends every session, token and reset link of
 * the user at once, so it works once.
 */
#define MB_RESET_TTL_MS (INT64_C(24) * 3600 * 1000)
int mb_accounts_reset_new(struct mb_store *st, const char *name,
    int64_t ttl_ms, char secret[MB_SECRET_TEXT_LEN], struct mb_diag *d);
int mb_accounts_reset_user(struct mb_store *st, const char *secret,
    struct mb_user *out, struct mb_diag *d);
int mb_accounts_reset_use(struct mb_store *st, const char *secret,
    const char *password, struct mb_user *out, struct mb_diag *d);

/*
 * The rules of docs/permissions.md for accounts, for every door
 * (accounts_rules.c). The actor must be signed in (the edges answer 401
 * before asking). MB_ERR_PERM when the role may not; someone else's
 * token is MB_ERR_NOTFOUND to anyone but an admin, as a hidden item is.
 */
/* An admin manages users: list, add, change. */
int mb_accounts_may_manage(const struct mb_actor *a, struct mb_diag *d);
/* An admin's change; an admin may not disable their own account. */
int mb_accounts_user_change_as(struct mb_store *st, const struct mb_actor *a,
    const char *name, const struct mb_user_change *c, struct mb_diag *d);
/* A password-reset link for someone: an admin's to make. */
int mb_accounts_reset_new_as(struct mb_store *st, const struct mb_actor *a,
    const char *name, char secret[MB_SECRET_TEXT_LEN], struct mb_diag *d);
/* One's own password, given the current one; MB_ERR_PERM when wrong. */
int mb_accounts_own_password(struct mb_store *st, const struct mb_actor *a,
    const char *current, const char *password, struct mb_diag *d);
/* A token for oneself, or by an admin for anyone. */
int mb_accounts_token_new_as(struct mb_store *st, const struct mb_actor *a,
    const char *name, char token[MB_SECRET_TEXT_LEN], struct mb_diag *d);
/* One's own tokens (user NULL or one's name); an admin's: anyone's or all. */
int mb_accounts_token_list_as(struct mb_store *st, const struct mb_actor *a,
    const char *user, int (*cb)(const struct mb_token_info *t, void *arg),
    void *arg, struct mb_diag *d);
/* One's own token; an admin any. */
int mb_accounts_token_revoke_as(struct mb_store *st, const struct mb_actor *a,
    const char *id, struct mb_diag *d);

/*
 * Login throttling, in memory, per (user name, client address): after
 * MB_LOGIN_FAILS failures within MB_LOGIN_WINDOW_MS, refuses for the
 * rest of the window. Thread-safe.
 */
#define MB_LOGIN_FAILS 5
#define MB_LOGIN_WINDOW_MS (15 * 60 * 1000)
struct mb_throttle;
int mb_throttle_new(struct mb_throttle **out);
void mb_throttle_free(struct mb_throttle *t);
/* 0 when allowed; else the seconds to wait. */
int64_t mb_throttle_check(struct mb_throttle *t, const char *name,
    const char *addr, int64_t now_ms);
void mb_throttle_fail(struct mb_throttle *t, const char *name,
    const char *addr, int64_t now_ms);
void mb_throttle_ok(struct mb_throttle *t, const char *name,
    const char *addr);

#endif
