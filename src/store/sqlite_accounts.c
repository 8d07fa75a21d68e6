/* SPDX-License-Identifier: MIT */
/* The SQLite backend's accounts: users, credentials, item authors. */
#include "sqlite_int.h"

#include <stdio.h>
#include <string.h>

#include "base/timeutil.h"

/*
 * Statements are prepared per call: these run a few times a request at
 * most, and preparing keeps this file out of the shared statement table.
 */
static int
prep(struct mb_store *st, const char *sql, sqlite3_stmt **s,
    struct mb_diag *d)
{
	if (sqlite3_prepare_v2(st->db, sql, -1, s, NULL) != SQLITE_OK)
		return mb_sqlite_err(st, d, "prepare");
	return MB_OK;
}

static void
copy_text(char *dst, size_t n, sqlite3_stmt *s, int i)
{
	const char *v = (const char *)sqlite3_column_text(s, i);

	snprintf(dst, n, "%s", v != NULL ? v : "");
}

#define USER_COLS "u.id, u.name, u.role, u.created_ms, u.disabled"

static void
row_to_user(sqlite3_stmt *s, int at, struct mb_user *u)
{
	memset(u, 0, sizeof(*u));
	u->id = sqlite3_column_int64(s, at);
	copy_text(u->name, sizeof(u->name), s, at + 1);
	copy_text(u->role, sizeof(u->role), s, at + 2);
	u->created_ms = sqlite3_column_int64(s, at + 3);
	u->disabled = sqlite3_column_int(s, at + 4) != 0;
}

int
mb_store_user_add(struct mb_store *st, const char *name, const char *role,
    const char *pwhash, int64_t *id, struct mb_diag *d)
{
	sqlite3_stmt	*s;
	int		 rc;

	if (st->pg != NULL)
		return mb_pg_user_add(st->pg, name, role, pwhash, id, d);
	if ((rc = prep(st, "INSERT INTO users (name, role, pwhash, "
	    "created_ms) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (name) DO "
	    "NOTHING", &s, d)) != MB_OK)
		return rc;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 2, role, -1, SQLITE_TRANSIENT);
	if (pwhash != NULL)
		sqlite3_bind_text(s, 3, pwhash, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 4, mb_time_now_ms());
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return mb_sqlite_err(st, d, "user");
	if (sqlite3_changes(st->db) == 0)
		return mb_diag_set(d, MB_ERR_EXISTS, "user %s: already exists",
		    name);
	if (id != NULL)
		*id = sqlite3_last_insert_rowid(st->db);
	return MB_OK;
}

int
mb_store_user_get(struct mb_store *st, const char *name, int64_t id,
    struct mb_user *out, char *pwhash, size_t n, struct mb_diag *d)
{
	sqlite3_stmt	*s;
	int		 rc;

	if (st->pg != NULL)
		return mb_pg_user_get(st->pg, name, id, out, pwhash, n, d);
	if ((rc = prep(st, name != NULL ?
	    "SELECT " USER_COLS ", u.pwhash FROM users u WHERE u.name = ?1" :
	    "SELECT " USER_COLS ", u.pwhash FROM users u WHERE u.id = ?2",
	    &s, d)) != MB_OK)
		return rc;
	if (name != NULL)
		sqlite3_bind_text(s, 1, name, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_int64(s, 2, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		row_to_user(s, 0, out);
		if (pwhash != NULL && n > 0)
			copy_text(pwhash, n, s, 5);
	}
	sqlite3_finalize(s);
	if (rc == SQLITE_ROW)
		return MB_OK;
	if (rc == SQLITE_DONE)
		return mb_diag_set(d, MB_ERR_NOTFOUND, "no such user");
	return mb_sqlite_err(st, d, "user");
}

int
mb_store_user_update(struct mb_store *st, const char *name, const char *role,
    const char *pwhash, struct mb_diag *d)
{
	sqlite3_stmt	*s;
	int		 rc;

	if (st->pg != NULL)
		return mb_pg_user_update(st->pg, name, role, pwhash, d);
	if ((rc = prep(st, "UPDATE users SET role = coalesce(?2, role), "
	    "pwhash = coalesce(?3, pwhash) WHERE name = ?1", &s, d)) != MB_OK)
		return rc;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_TRANSIENT);
	if (role != NULL)
		sqlite3_bind_text(s, 2, role, -1, SQLITE_TRANSIENT);
	if (pwhash != NULL)
		sqlite3_bind_text(s, 3, pwhash, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return mb_sqlite_err(st, d, "user");
	if (sqlite3_changes(st->db) == 0)
		return mb_diag_set(d, MB_ERR_NOTFOUND, "user %s: no such user",
		    name);
	return MB_OK;
}

int
mb_store_user_list(struct mb_store *st,
    int (*cb)(const struct mb_user *u, void *arg), void *arg,
    struct mb_diag *d)
{
	sqlite3_stmt	*s;
	struct mb_user	 u;
	int		 rc;

	if (st->pg != NULL)
		return mb_pg_user_list(st->pg, cb, arg, d);
	if ((rc = prep(st, "SELECT " USER_COLS " FROM users u ORDER BY "
	    "u.name", &s, d)) != MB_OK)
		return rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		row_to_user(s, 0, &u);
		if ((rc = cb(&u, arg)) != MB_OK) {
			sqlite3_finalize(s);
			return rc > 0 ? MB_OK : rc;
		}
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return mb_sqlite_err(st, d, "user");
	return MB_OK;
}

int
mb_store_cred_add(struct mb_store *st, const char *kind,
    const uint8_t hash[MB_CRED_HASH_LEN], int64_t user_id, const char *csrf,
    int64_t expires_ms, struct mb_diag *d)
{
	sqlite3_stmt	*s;
	int		 rc;

	if (st->pg != NULL)
		return mb_pg_cred_add(st->pg, kind, hash, user_id, csrf,
		    expires_ms, d);
	if ((rc = prep(st, "INSERT INTO credentials (hash, kind, user_id, "
	    "csrf, created_ms, expires_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	    &s, d)) != MB_OK)
		return rc;
	sqlite3_bind_blob(s, 1, hash, MB_CRED_HASH_LEN, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 2, kind, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 3, user_id);
	if (csrf != NULL)
		sqlite3_bind_text(s, 4, csrf, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 5, mb_time_now_ms());
	sqlite3_bind_int64(s, 6, expires_ms);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return mb_sqlite_err(st, d, "credential");
	return MB_OK;
}

int
mb_store_cred_user(struct mb_store *st, const char *kind,
    const uint8_t hash[MB_CRED_HASH_LEN], int64_t now_ms,
    struct mb_user *out, char *csrf, struct mb_diag *d)
{
	sqlite3_stmt	*s;
	int		 rc;

	if (st->pg != NULL)
		return mb_pg_cred_user(st->pg, kind, hash, now_ms, out, csrf,
		    d);
	if ((rc = prep(st, "SELECT " USER_COLS ", c.csrf FROM credentials c "
	    "JOIN users u ON u.id = c.user_id WHERE c.hash = ?1 AND "
	    "c.kind = ?2 AND (c.expires_ms = 0 OR c.expires_ms > ?3) AND "
	    "u.disabled = 0", &s, d)) != MB_OK)
		return rc;
	sqlite3_bind_blob(s, 1, hash, MB_CRED_HASH_LEN, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 2, kind, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 3, now_ms);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		row_to_user(s, 0, out);
		if (csrf != NULL)
			copy_text(csrf, 65, s, 5);
	}
	sqlite3_finalize(s);
	if (rc == SQLITE_ROW)
		return MB_OK;
	if (rc == SQLITE_DONE)
		return MB_ERR_NOTFOUND;
	return mb_sqlite_err(st, d, "credential");
}

int
mb_store_cred_delete(struct mb_store *st,
    const uint8_t hash[MB_CRED_HASH_LEN], struct mb_diag *d)
{
	sqlite3_stmt	*s;
	int		 rc;

	if (st->pg != NULL)
		return mb_pg_cred_delete(st->pg, hash, d);
	if ((rc = prep(st, "DELETE FROM credentials WHERE hash = ?1", &s,
	    d)) != MB_OK)
		return rc;
	sqlite3_bind_blob(s, 1, hash, MB_CRED_HASH_LEN, SQLITE_TRANSIENT);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return mb_sqlite_err(st, d, "credential");
	return MB_OK;
}

int
mb_store_author_set(struct mb_store *st, const char *uri, int64_t user_id,
    struct mb_diag *d)
{
	sqlite3_stmt	*s;
	int		 rc;

	if (st->pg != NULL)
		return mb_pg_author_set(st->pg, uri, user_id, d);
	if ((rc = prep(st, "INSERT INTO item_authors (uri, user_id) VALUES "
	    "(?1, ?2) ON CONFLICT (uri) DO NOTHING", &s, d)) != MB_OK)
		return rc;
	sqlite3_bind_text(s, 1, uri, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 2, user_id);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return mb_sqlite_err(st, d, "author");
	return MB_OK;
}

int
mb_store_author_get(struct mb_store *st, const char *uri, int64_t *user_id,
    struct mb_diag *d)
{
	sqlite3_stmt	*s;
	int		 rc;

	if (st->pg != NULL)
		return mb_pg_author_get(st->pg, uri, user_id, d);
	if ((rc = prep(st, "SELECT user_id FROM item_authors WHERE uri = ?1",
	    &s, d)) != MB_OK)
		return rc;
	sqlite3_bind_text(s, 1, uri, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*user_id = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	if (rc == SQLITE_ROW)
		return MB_OK;
	if (rc == SQLITE_DONE)
		return MB_ERR_NOTFOUND;
	return mb_sqlite_err(st, d, "author");
}
