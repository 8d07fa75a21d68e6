/* SPDX-License-Identifier: MIT */
/* Accounts: Argon2id passwords, hashed tokens and sessions, revocation, throttling. */
#include "accounts.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "base/timeutil.h"

bool
mb_user_name_valid(const char *name)
{
	size_t n;

	if (name == NULL || name[0] == '\0' || name[0] == '.' ||
	    name[0] == '-' || name[0] == '_')
		return false;
	for (n = 0; name[n] != '\0'; n++) {
		char c = name[n];

		if (n >= 63)
			return false;
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '.' || c == '_' || c == '-'))
			return false;
	}
	return true;
}

static int
init_sodium(struct mb_diag *d)
{
	if (sodium_init() < 0)
		return mb_diag_set(d, MB_ERR_NOMEM, "libsodium: cannot start");
	return MB_OK;
}

static int
hash_password(const char *password, char out[crypto_pwhash_STRBYTES],
    struct mb_diag *d)
{
	if (strlen(password) < 8 || strlen(password) > 1024)
		return mb_diag_set(d, MB_ERR_INVAL,
		    "password: from 8 to 1024 bytes");
	if (crypto_pwhash_str(out, password, strlen(password),
	    crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return mb_diag_set(d, MB_ERR_NOMEM,
		    "password: out of memory while hashing");
	return MB_OK;
}

int
mb_accounts_user_add(struct mb_store *st, const char *name, const char *role,
    const char *password, struct mb_diag *d)
{
	char	h[crypto_pwhash_STRBYTES];
	int	rc;

	if ((rc = init_sodium(d)) != MB_OK)
		return rc;
	if (!mb_user_name_valid(name))
		return mb_diag_set(d, MB_ERR_INVAL,
		    "name: 1 to 63 of a-z, 0-9, '.', '_', '-', starting with "
		    "a letter or digit");
	if (mb_role_parse(role) == MB_ROLE_NONE)
		return mb_diag_set(d, MB_ERR_INVAL, "role: one of admin, "
		    "editor, journalist, translator, member, learner");
	if (password != NULL && (rc = hash_password(password, h, d)) != MB_OK)
		return rc;
	rc = mb_store_user_add(st, name, role, password ? h : NULL, NULL, d);
	sodium_memzero(h, sizeof(h));
	return rc;
}

/* Ends every session and token of a user. */
static int
end_all(struct mb_store *st, const char *name, struct mb_diag *d)
{
	struct mb_user	u;
	int		rc;

	if ((rc = mb_store_user_get(st, name, 0, &u, NULL, 0, d)) != MB_OK)
		return rc;
	return mb_store_cred_delete_user(st, u.id, NULL, d);
}

/* MB_OK when the user exists, else MB_ERR_NOTFOUND. */
static int
user_exists(struct mb_store *st, const char *name, struct mb_diag *d)
{
	struct mb_user u;

	return mb_store_user_get(st, name, 0, &u, NULL, 0, d);
}

int
mb_accounts_set_password(struct mb_store *st, const char *name,
    const char *password, struct mb_diag *d)
{
	struct mb_user_change c = { NULL, password, -1 };

	return mb_accounts_user_change(st, name, &c, d);
}

int
mb_accounts_user_change(struct mb_store *st, const char *name,
    const struct mb_user_change *c, struct mb_diag *d)
{
	char	h[crypto_pwhash_STRBYTES];
	int	rc;

	/* Everything is checked, and the slow hash made, before the lock. */
	if (c->role != NULL && mb_role_parse(c->role) == MB_ROLE_NONE)
		return mb_diag_set(d, MB_ERR_INVAL, "role: one of admin, "
		    "editor, journalist, translator, member, learner");
	if (c->disabled < -1 || c->disabled > 1)
		return mb_diag_set(d, MB_ERR_INVAL, "disabled: true or false");
	if (c->role == NULL && c->password == NULL && c->disabled < 0) {
		/* A change of nothing still says whether the user exists. */
		if ((rc = user_exists(st, name, d)) == MB_ERR_NOTFOUND)
			mb_diag_set(d, rc, "user %s: no such user", name);
		return rc;
	}
	if ((rc = init_sodium(d)) != MB_OK)
		return rc;
	if (c->password != NULL && (rc = hash_password(c->password, h, d)) !=
	    MB_OK)
		return rc;
	/*
	 * A password changed because it leaked, or a user disabled, must
	 * lock the thief out now: the change and the end of every session
	 * and token commit together. Enabling gives back the account, not
	 * the old credentials.
	 */
	if ((rc = mb_store_begin(st, d)) != MB_OK)
		goto out;
	if (((c->role != NULL || c->password != NULL) &&
	    (rc = mb_store_user_update(st, name, c->role, c->password != NULL ?
	    h : NULL, d)) != MB_OK) ||
	    (c->disabled >= 0 && (rc = mb_store_user_disable(st, name,
	    c->disabled == 1, d)) != MB_OK) ||
	    ((c->password != NULL || c->disabled == 1) &&
	    (rc = end_all(st, name, d)) != MB_OK) ||
	    (rc = mb_store_commit(st, d)) != MB_OK)
		mb_store_rollback(st);
out:
	sodium_memzero(h, sizeof(h));
	if (rc == MB_ERR_NOTFOUND)
		mb_diag_set(d, rc, "user %s: no such user", name);
	return rc;
}

/* A hash to check against when the user does not exist: same cost. */
static char		dummy_hash[crypto_pwhash_STRBYTES];
static pthread_once_t	dummy_once = PTHREAD_ONCE_INIT;

static void
make_dummy(void)
{
	if (crypto_pwhash_str(dummy_hash, "not a password", 14,
	    crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		dummy_hash[0] = '\0';
}

int
mb_accounts_login(struct mb_store *st, const char *name, const char *password,
    struct mb_user *out, struct mb_diag *d)
{
	struct mb_user	u;
	char		h[crypto_pwhash_STRBYTES];
	int		rc, found;

	if ((rc = init_sodium(d)) != MB_OK)
		return rc;
	pthread_once(&dummy_once, make_dummy);
	rc = mb_user_name_valid(name) ? mb_store_user_get(st, name, 0, &u, h,
	    sizeof(h), d) : MB_ERR_NOTFOUND;
	if (rc != MB_OK && rc != MB_ERR_NOTFOUND)
		return rc;
	found = rc == MB_OK && h[0] != '\0' && !u.disabled;
	if (strlen(password) > 1024)
		found = 0;
	else if (crypto_pwhash_str_verify(found ? h : dummy_hash, password,
	    strlen(password)) != 0)
		found = 0;
	sodium_memzero(h, sizeof(h));
	if (!found)
		return mb_diag_set(d, MB_ERR_PERM, "wrong name or password");
	*out = u;
	return MB_OK;
}

/* 32 random bytes as base64url without padding (43 characters). */
static void
new_secret(char out[MB_SECRET_TEXT_LEN])
{
	unsigned char raw[32];

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(out, MB_SECRET_TEXT_LEN, raw, sizeof(raw),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
}

/*
 * A fast hash is right here: the secrets are 256 random bits, so there
 * is nothing to guess; BLAKE2b keeps a stolen database from being usable.
 */
static void
secret_hash(const char *secret, uint8_t h[MB_CRED_HASH_LEN])
{
	crypto_generichash(h, MB_CRED_HASH_LEN, (const unsigned char *)secret,
	    strlen(secret), (const unsigned char *)"mediabridge-cred", 16);
}

static bool
secret_valid(const char *s)
{
	size_t n = 0;

	if (s == NULL)
		return false;
	for (; s[n] != '\0'; n++) {
		char c = s[n];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return false;
	}
	return n == MB_SECRET_TEXT_LEN - 1;
}

int
mb_accounts_token_new(struct mb_store *st, const char *name,
    char token[MB_SECRET_TEXT_LEN], struct mb_diag *d)
{
	struct mb_user	u;
	uint8_t		h[MB_CRED_HASH_LEN];
	char		t[MB_SECRET_TEXT_LEN];
	int		rc;

	if ((rc = init_sodium(d)) != MB_OK)
		return rc;
	if ((rc = mb_store_user_get(st, name, 0, &u, NULL, 0, d)) != MB_OK) {
		if (rc == MB_ERR_NOTFOUND)
			mb_diag_set(d, rc, "user %s: no such user", name);
		return rc;
	}
	/* It would not work now, and would come back with an enable. */
	if (u.disabled)
		return mb_diag_set(d, MB_ERR_PERM, "user %s is disabled", name);
	new_secret(t);
	secret_hash(t, h);
	if ((rc = mb_store_cred_add(st, "token", h, u.id, NULL, 0, d)) !=
	    MB_OK)
		return rc;
	memcpy(token, t, sizeof(t));
	sodium_memzero(t, sizeof(t));
	return MB_OK;
}

int
mb_accounts_token_user(struct mb_store *st, const char *token,
    struct mb_user *out, struct mb_diag *d)
{
	uint8_t h[MB_CRED_HASH_LEN];

	if (!secret_valid(token))
		return MB_ERR_NOTFOUND;
	secret_hash(token, h);
	return mb_store_cred_user(st, "token", h, mb_time_now_ms(), out, NULL,
	    d);
}

int
mb_accounts_session_new(struct mb_store *st, int64_t user_id, int64_t ttl_ms,
    char secret[MB_SECRET_TEXT_LEN], char csrf[MB_SECRET_TEXT_LEN],
    struct mb_diag *d)
{
	uint8_t	h[MB_CRED_HASH_LEN];
	char	s[MB_SECRET_TEXT_LEN], c[MB_SECRET_TEXT_LEN];
	int	rc;

	if ((rc = init_sodium(d)) != MB_OK)
		return rc;
	new_secret(s);
	new_secret(c);
	secret_hash(s, h);
	if ((rc = mb_store_cred_add(st, "session", h, user_id, c,
	    mb_time_now_ms() + ttl_ms, d)) != MB_OK)
		return rc;
	memcpy(secret, s, sizeof(s));
	memcpy(csrf, c, sizeof(c));
	return MB_OK;
}

int
mb_accounts_session_user(struct mb_store *st, const char *secret,
    struct mb_user *out, char csrf[65], struct mb_diag *d)
{
	uint8_t h[MB_CRED_HASH_LEN];

	if (!secret_valid(secret))
		return MB_ERR_NOTFOUND;
	secret_hash(secret, h);
	return mb_store_cred_user(st, "session", h, mb_time_now_ms(), out,
	    csrf, d);
}

int
mb_accounts_session_end(struct mb_store *st, const char *secret,
    struct mb_diag *d)
{
	uint8_t h[MB_CRED_HASH_LEN];

	if (!secret_valid(secret))
		return MB_OK;
	secret_hash(secret, h);
	return mb_store_cred_delete(st, h, d);
}

/* The throttle: a fixed table; a slot is reused once its window ends. */
#define THROTTLE_SLOTS 4096

struct slot {
	uint64_t	key;
	int64_t		start_ms;
	int		fails;
};

struct mb_throttle {
	pthread_mutex_t	lock;
	struct slot	slots[THROTTLE_SLOTS];
	unsigned char	salt[crypto_shorthash_KEYBYTES];
};

int
mb_throttle_new(struct mb_throttle **out)
{
	struct mb_throttle *t;

	if (sodium_init() < 0 || (t = calloc(1, sizeof(*t))) == NULL)
		return MB_ERR_NOMEM;
	pthread_mutex_init(&t->lock, NULL);
	randombytes_buf(t->salt, sizeof(t->salt));
	*out = t;
	return MB_OK;
}

void
mb_throttle_free(struct mb_throttle *t)
{
	if (t == NULL)
		return;
	pthread_mutex_destroy(&t->lock);
	free(t);
}

static uint64_t
throttle_key(const struct mb_throttle *t, const char *name, const char *addr)
{
	crypto_generichash_state	s;
	uint64_t			k;

	crypto_generichash_init(&s, t->salt, sizeof(t->salt), sizeof(k));
	crypto_generichash_update(&s, (const unsigned char *)name,
	    strlen(name) + 1);
	crypto_generichash_update(&s, (const unsigned char *)addr,
	    strlen(addr) + 1);
	crypto_generichash_final(&s, (unsigned char *)&k, sizeof(k));
	return k | 1;	/* 0 marks a free slot */
}

int64_t
mb_throttle_check(struct mb_throttle *t, const char *name, const char *addr,
    int64_t now_ms)
{
	uint64_t	 k = throttle_key(t, name, addr);
	struct slot	*s = &t->slots[k % THROTTLE_SLOTS];
	int64_t		 wait = 0;

	pthread_mutex_lock(&t->lock);
	if (s->key == k && s->fails >= MB_LOGIN_FAILS &&
	    now_ms - s->start_ms < MB_LOGIN_WINDOW_MS)
		wait = (MB_LOGIN_WINDOW_MS - (now_ms - s->start_ms)) / 1000 + 1;
	pthread_mutex_unlock(&t->lock);
	return wait;
}

void
mb_throttle_fail(struct mb_throttle *t, const char *name, const char *addr,
    int64_t now_ms)
{
	uint64_t	 k = throttle_key(t, name, addr);
	struct slot	*s = &t->slots[k % THROTTLE_SLOTS];

	pthread_mutex_lock(&t->lock);
	if (s->key != k || now_ms - s->start_ms >= MB_LOGIN_WINDOW_MS) {
		/* A live slot of another key is only taken when it has fewer
		 * failures, so that flooding cannot free a throttled pair. */
		if (s->key != k && s->key != 0 && s->fails >= MB_LOGIN_FAILS &&
		    now_ms - s->start_ms < MB_LOGIN_WINDOW_MS) {
			pthread_mutex_unlock(&t->lock);
			return;
		}
		s->key = k;
		s->start_ms = now_ms;
		s->fails = 0;
	}
	s->fails++;
	pthread_mutex_unlock(&t->lock);
}

void
mb_throttle_ok(struct mb_throttle *t, const char *name, const char *addr)
{
	uint64_t	 k = throttle_key(t, name, addr);
	struct slot	*s = &t->slots[k % THROTTLE_SLOTS];

	pthread_mutex_lock(&t->lock);
	if (s->key == k)
		memset(s, 0, sizeof(*s));
	pthread_mutex_unlock(&t->lock);
}

/* ---- Revocation ------------------------------------------------------ */

int
mb_accounts_user_disable(struct mb_store *st, const char *name,
    bool disabled, struct mb_diag *d)
{
	struct mb_user_change c = { NULL, NULL, disabled ? 1 : 0 };

	return mb_accounts_user_change(st, name, &c, d);
}

int
mb_accounts_set_role(struct mb_store *st, const char *name,
    const char *role, struct mb_diag *d)
{
	struct mb_user_change c = { role, NULL, -1 };

	if (role == NULL)
		return mb_diag_set(d, MB_ERR_INVAL, "role: give one");
	return mb_accounts_user_change(st, name, &c, d);
}

static void
hash_id(const uint8_t h[MB_CRED_HASH_LEN], char id[MB_TOKEN_ID_LEN])
{
	sodium_bin2hex(id, MB_TOKEN_ID_LEN, h, (MB_TOKEN_ID_LEN - 1) / 2);
}

void
mb_accounts_token_id(const char *token, char id[MB_TOKEN_ID_LEN])
{
	uint8_t h[MB_CRED_HASH_LEN];

	secret_hash(token, h);
	hash_id(h, id);
}

struct token_walk {
	int	(*cb)(const struct mb_token_info *t, void *arg);
	void	*arg;
	const char *want;			/* revoke: the id sought */
	uint8_t	 found[MB_CRED_HASH_LEN];
	int	 nfound;
};

static int
token_cb(const struct mb_cred *c, void *arg)
{
	struct token_walk	*w = arg;
	struct mb_token_info	 t;

	if (strcmp(c->kind, "token") != 0)
		return MB_OK;
	memset(&t, 0, sizeof(t));
	hash_id(c->hash, t.id);
	if (w->want != NULL) {
		if (strcmp(t.id, w->want) == 0) {
			memcpy(w->found, c->hash, MB_CRED_HASH_LEN);
			w->nfound++;
		}
		return MB_OK;
	}
	snprintf(t.user, sizeof(t.user), "%s", c->user);
	t.created_ms = c->created_ms;
	t.expires_ms = c->expires_ms;
	return w->cb(&t, w->arg);
}

int
mb_accounts_token_list(struct mb_store *st, const char *user,
    int (*cb)(const struct mb_token_info *t, void *arg), void *arg,
    struct mb_diag *d)
{
	struct token_walk	w = { cb, arg, NULL, { 0 }, 0 };
	struct mb_user		u;
	int			rc;

	u.id = 0;
	if (user != NULL && (rc = mb_store_user_get(st, user, 0, &u, NULL, 0,
	    d)) != MB_OK) {
		if (rc == MB_ERR_NOTFOUND)
			mb_diag_set(d, rc, "user %s: no such user", user);
		return rc;
	}
	return mb_store_cred_list(st, u.id, token_cb, &w, d);
}

int
mb_accounts_token_revoke(struct mb_store *st, const char *id,
    struct mb_diag *d)
{
	struct token_walk	w = { NULL, NULL, id, { 0 }, 0 };
	int			rc;

	if (id == NULL || strlen(id) != MB_TOKEN_ID_LEN - 1 ||
	    strspn(id, "0123456789abcdef") != MB_TOKEN_ID_LEN - 1)
		return mb_diag_set(d, MB_ERR_INVAL, "token id: %d lower-case "
		    "hex digits, as token list prints it", MB_TOKEN_ID_LEN - 1);
	if ((rc = mb_store_cred_list(st, 0, token_cb, &w, d)) != MB_OK)
		return rc;
	if (w.nfound == 0)
		return mb_diag_set(d, MB_ERR_NOTFOUND, "token %s: no such "
		    "token", id);
	if (w.nfound > 1)
		return mb_diag_set(d, MB_ERR_CONFLICT, "token %s: more than "
		    "one token has this id; disable the user instead", id);
	return mb_store_cred_delete(st, w.found, d);
}

/*
 * Password resets: a one-time secret of kind "reset" that expires. Using
 * it sets the password, which ends every credential of the user in the
 * same transaction, the reset secret among them: it works once.
 */
int
mb_accounts_reset_new(struct mb_store *st, const char *name, int64_t ttl_ms,
    char secret[MB_SECRET_TEXT_LEN], struct mb_diag *d)
{
	struct mb_user	u;
	uint8_t		h[MB_CRED_HASH_LEN];
	char		s[MB_SECRET_TEXT_LEN];
	int		rc;

	if ((rc = init_sodium(d)) != MB_OK)
		return rc;
	if ((rc = mb_store_user_get(st, name, 0, &u, NULL, 0, d)) != MB_OK) {
		if (rc == MB_ERR_NOTFOUND)
			mb_diag_set(d, rc, "user %s: no such user", name);
		return rc;
	}
	if (u.disabled)
		return mb_diag_set(d, MB_ERR_PERM, "user %s is disabled; "
		    "enable the account first", name);
	new_secret(s);
	secret_hash(s, h);
	if ((rc = mb_store_cred_add(st, "reset", h, u.id, NULL,
	    mb_time_now_ms() + ttl_ms, d)) != MB_OK)
		return rc;
	memcpy(secret, s, sizeof(s));
	sodium_memzero(s, sizeof(s));
	return MB_OK;
}

int
mb_accounts_reset_user(struct mb_store *st, const char *secret,
    struct mb_user *out, struct mb_diag *d)
{
	uint8_t h[MB_CRED_HASH_LEN];

	if (!secret_valid(secret))
		return mb_diag_set(d, MB_ERR_NOTFOUND, "this reset link is "
		    "not valid");
	secret_hash(secret, h);
	if (mb_store_cred_user(st, "reset", h, mb_time_now_ms(), out, NULL,
	    d) != MB_OK)
		return mb_diag_set(d, MB_ERR_NOTFOUND, "this reset link has "
		    "been used or has expired");
	return MB_OK;
}

int
mb_accounts_reset_use(struct mb_store *st, const char *secret,
    const char *password, struct mb_user *out, struct mb_diag *d)
{
	struct mb_user	u;
	int		rc;

	if ((rc = mb_accounts_reset_user(st, secret, &u, d)) != MB_OK)
		return rc;
	if ((rc = mb_accounts_set_password(st, u.name, password, d)) != MB_OK)
		return rc;
	*out = u;
	return MB_OK;
}
