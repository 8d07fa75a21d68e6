/* SPDX-License-Identifier: MIT */
/* The accounts domain on SQLite: users, credentials, item authors. */
#include "sqlite_int.h"

#include <stdio.h>

#include "base/timeutil.h"
#include "store/accounts_int.h"

/* Its first tables came with core migration 3 (accounts.c says why). */
const char *const mb_sqlite_accounts_migrations[] = {
	/* 1: who made each version here (the history's "who"). */
	"CREATE TABLE accounts_version_authors ("
	"  uri TEXT NOT NULL,"
	"  version INTEGER NOT NULL,"
	"  user_id INTEGER NOT NULL,"
	"  PRIMARY KEY (uri, version)) WITHOUT ROWID;",
	NULL
};

static int
user_add(struct mb_store *st, const char *name, const char *role,
    const char *pwhash, int64_t *id, struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int64_t			changed = 0;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "INSERT INTO users (name, role, "
	    "pwhash, created_ms) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (name) DO "
	    "NOTHING", &r, "user", d)) != MB_OK)
		return rc;
	sqlite3_bind_text(r.s, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(r.s, 2, role, -1, SQLITE_STATIC);
	mb_sqlite__bind_text(r.s, 3, pwhash);
	sqlite3_bind_int64(r.s, 4, mb_time_now_ms());
	if ((rc = mb_sqlite__done(&r, &changed, d)) != MB_OK)
		return rc;
	if (changed == 0)
		return mb_diag_set(d, MB_ERR_EXISTS, "user %s: already exists",
		    name);
	if (id != NULL)
		*id = sqlite3_last_insert_rowid(SQ(st)->db);
	return MB_OK;
}

static int
user_get(struct mb_store *st, const char *name, int64_t id,
    struct mb_user *out, char *pwhash, size_t n, struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), name != NULL ?
	    "SELECT " MB_STORE_USER_COLS ", u.pwhash FROM users u WHERE "
	    "u.name = ?1" :
	    "SELECT " MB_STORE_USER_COLS ", u.pwhash FROM users u WHERE "
	    "u.id = ?2", &r, "user", d)) != MB_OK)
		return rc;
	if (name != NULL)
		sqlite3_bind_text(r.s, 1, name, -1, SQLITE_STATIC);
	else
		sqlite3_bind_int64(r.s, 2, id);
	if (mb_sqlite__next(&r, &mb_store__user_cols, out)) {
		if (pwhash != NULL && n > 0) {
			const unsigned char *h = sqlite3_column_text(r.s, 5);

			snprintf(pwhash, n, "%s", h != NULL ? (const char *)h :
			    "");
		}
	} else if (r.step == SQLITE_DONE) {
		rc = mb_diag_set(d, MB_ERR_NOTFOUND, "no such user");
	}
	return mb_sqlite__end(&r, rc, d);
}

static int
user_update(struct mb_store *st, const char *name, const char *role,
    const char *pwhash, struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int64_t			changed = 0;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "UPDATE users SET role = "
	    "coalesce(?2, role), pwhash = coalesce(?3, pwhash) WHERE "
	    "name = ?1", &r, "user", d)) != MB_OK)
		return rc;
	sqlite3_bind_text(r.s, 1, name, -1, SQLITE_STATIC);
	mb_sqlite__bind_text(r.s, 2, role);
	mb_sqlite__bind_text(r.s, 3, pwhash);
	if ((rc = mb_sqlite__done(&r, &changed, d)) != MB_OK)
		return rc;
	if (changed == 0)
		return mb_diag_set(d, MB_ERR_NOTFOUND, "user %s: no such user",
		    name);
	return MB_OK;
}

static int
user_list(struct mb_store *st, int (*cb)(const struct mb_user *u, void *arg),
    void *arg, struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	struct mb_user		u;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "SELECT " MB_STORE_USER_COLS
	    " FROM users u ORDER BY u.name", &r, "user", d)) != MB_OK)
		return rc;
	while (rc == MB_OK && mb_sqlite__next(&r, &mb_store__user_cols, &u))
		rc = cb(&u, arg);
	return mb_sqlite__end(&r, rc, d);
}

static int
cred_add(struct mb_store *st, const char *kind,
    const uint8_t hash[MB_CRED_HASH_LEN], int64_t user_id, const char *csrf,
    int64_t expires_ms, struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "INSERT INTO credentials (hash, "
	    "kind, user_id, csrf, created_ms, expires_ms) VALUES (?1, ?2, ?3, "
	    "?4, ?5, ?6)", &r, "credential", d)) != MB_OK)
		return rc;
	sqlite3_bind_blob(r.s, 1, hash, MB_CRED_HASH_LEN, SQLITE_STATIC);
	sqlite3_bind_text(r.s, 2, kind, -1, SQLITE_STATIC);
	sqlite3_bind_int64(r.s, 3, user_id);
	mb_sqlite__bind_text(r.s, 4, csrf);
	sqlite3_bind_int64(r.s, 5, mb_time_now_ms());
	sqlite3_bind_int64(r.s, 6, expires_ms);
	return mb_sqlite__done(&r, NULL, d);
}

static int
cred_user(struct mb_store *st, const char *kind,
    const uint8_t hash[MB_CRED_HASH_LEN], int64_t now_ms,
    struct mb_user *out, char *csrf, struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "SELECT " MB_STORE_USER_COLS
	    ", c.csrf FROM credentials c JOIN users u ON u.id = c.user_id "
	    "WHERE c.hash = ?1 AND c.kind = ?2 AND (c.expires_ms = 0 OR "
	    "c.expires_ms > ?3) AND u.disabled = 0", &r, "credential", d)) !=
	    MB_OK)
		return rc;
	sqlite3_bind_blob(r.s, 1, hash, MB_CRED_HASH_LEN, SQLITE_STATIC);
	sqlite3_bind_text(r.s, 2, kind, -1, SQLITE_STATIC);
	sqlite3_bind_int64(r.s, 3, now_ms);
	if (mb_sqlite__next(&r, &mb_store__user_cols, out)) {
		if (csrf != NULL) {
			const unsigned char *c = sqlite3_column_text(r.s, 5);

			snprintf(csrf, 65, "%s", c != NULL ? (const char *)c :
			    "");
		}
	} else if (r.step == SQLITE_DONE) {
		rc = MB_ERR_NOTFOUND;
	}
	return mb_sqlite__end(&r, rc, d);
}

static int
cred_delete(struct mb_store *st, const uint8_t hash[MB_CRED_HASH_LEN],
    struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "DELETE FROM credentials WHERE "
	    "hash = ?1", &r, "credential", d)) != MB_OK)
		return rc;
	sqlite3_bind_blob(r.s, 1, hash, MB_CRED_HASH_LEN, SQLITE_STATIC);
	return mb_sqlite__done(&r, NULL, d);
}

static int
user_disable(struct mb_store *st, const char *name, bool disabled,
    struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int64_t			changed = 0;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "UPDATE users SET disabled = ?2 "
	    "WHERE name = ?1", &r, "user", d)) != MB_OK)
		return rc;
	sqlite3_bind_text(r.s, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int(r.s, 2, disabled ? 1 : 0);
	if ((rc = mb_sqlite__done(&r, &changed, d)) != MB_OK)
		return rc;
	if (changed == 0)
		return mb_diag_set(d, MB_ERR_NOTFOUND, "user %s: no such user",
		    name);
	return MB_OK;
}

static int
cred_list(struct mb_store *st, int64_t user_id,
    int (*cb)(const struct mb_cred *c, void *arg), void *arg,
    struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	struct mb_cred		c;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "SELECT " MB_STORE_CRED_COLS
	    " FROM credentials c JOIN users u ON u.id = c.user_id WHERE "
	    "?1 = 0 OR c.user_id = ?1 ORDER BY c.created_ms, c.hash", &r,
	    "credential", d)) != MB_OK)
		return rc;
	sqlite3_bind_int64(r.s, 1, user_id);
	while (rc == MB_OK && mb_sqlite__next(&r, &mb_store__cred_cols, &c))
		rc = cb(&c, arg);
	return mb_sqlite__end(&r, rc, d);
}

static int
cred_delete_user(struct mb_store *st, int64_t user_id, const char *kind,
    struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "DELETE FROM credentials WHERE "
	    "user_id = ?1 AND (?2 IS NULL OR kind = ?2)", &r, "credential",
	    d)) != MB_OK)
		return rc;
	sqlite3_bind_int64(r.s, 1, user_id);
	mb_sqlite__bind_text(r.s, 2, kind);
	return mb_sqlite__done(&r, NULL, d);
}

static int
author_set(struct mb_store *st, const char *uri, int64_t user_id,
    struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "INSERT INTO item_authors (uri, "
	    "user_id) VALUES (?1, ?2) ON CONFLICT (uri) DO NOTHING", &r,
	    "author", d)) != MB_OK)
		return rc;
	sqlite3_bind_text(r.s, 1, uri, -1, SQLITE_STATIC);
	sqlite3_bind_int64(r.s, 2, user_id);
	return mb_sqlite__done(&r, NULL, d);
}

static int
author_get(struct mb_store *st, const char *uri, int64_t *user_id,
    struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "SELECT user_id FROM item_authors "
	    "WHERE uri = ?1", &r, "author", d)) != MB_OK)
		return rc;
	sqlite3_bind_text(r.s, 1, uri, -1, SQLITE_STATIC);
	if (mb_sqlite__next(&r, NULL, NULL))
		*user_id = sqlite3_column_int64(r.s, 0);
	else if (r.step == SQLITE_DONE)
		rc = MB_ERR_NOTFOUND;
	return mb_sqlite__end(&r, rc, d);
}

static int
version_author_set(struct mb_store *st, const char *uri, int64_t version,
    int64_t user_id, struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "INSERT INTO "
	    "accounts_version_authors (uri, version, user_id) VALUES (?1, ?2, "
	    "?3) ON CONFLICT (uri, version) DO NOTHING", &r, "version author",
	    d)) != MB_OK)
		return rc;
	sqlite3_bind_text(r.s, 1, uri, -1, SQLITE_STATIC);
	sqlite3_bind_int64(r.s, 2, version);
	sqlite3_bind_int64(r.s, 3, user_id);
	return mb_sqlite__done(&r, NULL, d);
}

static int
version_authors(struct mb_store *st, const char *uri,
    int (*cb)(const struct mb_version_author *va, void *arg), void *arg,
    struct mb_diag *d)
{
	struct mb_sqlite_rows		r;
	struct mb_version_author	va;
	int				rc;

	if ((rc = mb_sqlite__query(SQ(st), "SELECT " MB_STORE_VA_COLS " FROM "
	    "accounts_version_authors a JOIN users u ON u.id = a.user_id "
	    "WHERE a.uri = ?1 ORDER BY a.version DESC", &r, "version author",
	    d)) != MB_OK)
		return rc;
	sqlite3_bind_text(r.s, 1, uri, -1, SQLITE_STATIC);
	while (rc == MB_OK && mb_sqlite__next(&r, &mb_store__va_cols, &va))
		rc = cb(&va, arg);
	return mb_sqlite__end(&r, rc, d);
}

const struct mb_store_accounts_ops mb_sqlite_accounts = {
	.user_add = user_add,
	.user_get = user_get,
	.user_update = user_update,
	.user_list = user_list,
	.cred_add = cred_add,
	.cred_user = cred_user,
	.cred_delete = cred_delete,
	.user_disable = user_disable,
	.cred_list = cred_list,
	.cred_delete_user = cred_delete_user,
	.author_set = author_set,
	.author_get = author_get,
	.version_author_set = version_author_set,
	.version_authors = version_authors,
};
