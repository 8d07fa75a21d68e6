/* SPDX-License-Identifier: MIT */
/* Accounts: roles, password hashes, API tokens and web sessions. */
#ifndef MB_HTTP_ACCOUNTS_H
#define MB_HTTP_ACCOUNTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "store/store.h"

/* Roles, weakest first; MB_ROLE_NONE is the reader without an account. */
enum mb_role {
	MB_ROLE_NONE = 0,
	MB_ROLE_MEMBER,
	MB_ROLE_TRANSLATOR,
	MB_ROLE_JOURNALIST,
	MB_ROLE_EDITOR,
	MB_ROLE_ADMIN
};

/* "member" -> MB_ROLE_MEMBER...; MB_ROLE_NONE for anything else. */
enum mb_role mb_role_parse(const char *s);
/* "admin", ..., "reader" for MB_ROLE_NONE. Static string. */
const char *mb_role_name(enum mb_role r);

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

/* Sets a user's password. */
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
