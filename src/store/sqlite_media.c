/* SPDX-License-Identifier: MIT */
/* The SQLite backend's media part: blob rows, item references, the index cursor. */
#include "sqlite_int.h"

#include <stdio.h>
#include <string.h>

/*
 * These run once per upload, per indexed version or per gc round: each
 * prepares its statement on the spot rather than taking a cached slot.
 */
static int
prepare(struct mb_store *st, const char *sql, sqlite3_stmt **s,
    struct mb_diag *d)
{
	if (sqlite3_prepare_v2(st->db, sql, -1, s, NULL) != SQLITE_OK)
		return mb_sqlite_err(st, d, "prepare");
	return MB_OK;
}

static int
step_done(struct mb_store *st, sqlite3_stmt *s, const char *what,
    struct mb_diag *d)
{
	int rc = MB_OK;

	if (sqlite3_step(s) != SQLITE_DONE)
		rc = mb_sqlite_err(st, d, what);
	sqlite3_finalize(s);
	return rc;
}

static void
copy_text(char *dst, size_t n, sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);

	snprintf(dst, n, "%s", t != NULL ? (const char *)t : "");
}

int
mb_store_blob_put(struct mb_store *st, const char *hash, const char *mime,
    int64_t size, int64_t now_ms, struct mb_diag *d)
{
	sqlite3_stmt	*s;
	int		 rc;

	if (st->pg != NULL)
		return mb_pg_blob_put(st->pg, hash, mime, size, now_ms, d);
	if ((rc = prepare(st, "INSERT INTO media_blobs "
	    "(hash, mime, size, created_ms) VALUES (?1, ?2, ?3, ?4) "
	    "ON CONFLICT (hash) DO UPDATE SET created_ms = "
	    "max(created_ms, excluded.created_ms)", &s, d)) != MB_OK)
		return rc;
	sqlite3_bind_text(s, 1, hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, mime, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, size);
	sqlite3_bind_int64(s, 4, now_ms);
	return step_done(st, s, "blob put", d);
}

int
mb_store_blob_get(struct mb_store *st, const char *hash,
    struct mb_store_blob *out, struct mb_diag *d)
{
	struct mb_store_blob	 b;
	sqlite3_stmt		*s;
	int			 rc, step;

	if (st->pg != NULL)
		return mb_pg_blob_get(st->pg, hash, out, d);
	if ((rc = prepare(st, "SELECT b.mime, b.size, b.created_ms, "
	    "(SELECT count(*) FROM media_refs r WHERE r.hash = ?1), "
	    "(SELECT min(origin) FROM media_refs r WHERE r.hash = ?1) "
	    "FROM media_blobs b WHERE b.hash = ?1 "
	    "UNION ALL SELECT max(r.mime), max(r.size), 0, count(*), "
	    "min(r.origin) "
	    "FROM media_refs r WHERE r.hash = ?1 AND NOT EXISTS "
	    "(SELECT 1 FROM media_blobs b WHERE b.hash = ?1) "
	    "GROUP BY r.hash", &s, d)) != MB_OK)
		return rc;
	sqlite3_bind_text(s, 1, hash, -1, SQLITE_STATIC);
	memset(&b, 0, sizeof(b));
	if ((step = sqlite3_step(s)) == SQLITE_ROW) {
		snprintf(b.hash, sizeof(b.hash), "%s", hash);
		copy_text(b.mime, sizeof(b.mime), s, 0);
		b.size = sqlite3_column_int64(s, 1);
		b.created_ms = sqlite3_column_int64(s, 2);
		b.refs = sqlite3_column_int64(s, 3);
		copy_text(b.origin, sizeof(b.origin), s, 4);
		b.here = b.created_ms != 0;
	}
	sqlite3_finalize(s);
	if (step == SQLITE_DONE)
		return mb_diag_set(d, MB_ERR_NOTFOUND, "no blob %s", hash);
	if (step != SQLITE_ROW)
		return mb_sqlite_err(st, d, "blob get");
	*out = b;
	return MB_OK;
}

int
mb_store_blob_delete(struct mb_store *st, const char *hash,
    int64_t before_ms, bool *deleted, struct mb_diag *d)
{
	sqlite3_stmt	*s;
	int		 rc;

	if (st->pg != NULL)
		return mb_pg_blob_delete(st->pg, hash, before_ms, deleted, d);
	if ((rc = prepare(st, "DELETE FROM media_blobs WHERE hash = ?1 AND "
	    "created_ms < ?2 AND NOT EXISTS (SELECT 1 FROM media_refs r "
	    "WHERE r.hash = ?1)", &s, d)) != MB_OK)
		return rc;
	sqlite3_bind_text(s, 1, hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, before_ms);
	if ((rc = step_done(st, s, "blob delete", d)) != MB_OK)
		return rc;
	*deleted = sqlite3_changes(st->db) > 0;
	return MB_OK;
}

int
mb_store_blob_refs_set(struct mb_store *st, const char *uri,
    const char *origin, const struct mb_store_blob_ref *refs, size_t n,
    struct mb_diag *d)
{
	sqlite3_stmt	*s = NULL;
	bool		 own = !st->in_txn;
	int		 rc;

	if (st->pg != NULL)
		return mb_pg_blob_refs_set(st->pg, uri, origin, refs, n, d);
	if (own && (rc = mb_store_begin(st, d)) != MB_OK)
		return rc;
	if ((rc = prepare(st, "DELETE FROM media_refs WHERE uri = ?1", &s,
	    d)) != MB_OK)
		goto fail;
	sqlite3_bind_text(s, 1, uri, -1, SQLITE_STATIC);
	if ((rc = step_done(st, s, "refs delete", d)) != MB_OK)
		goto fail;
	if ((rc = prepare(st, "INSERT OR IGNORE INTO media_refs "
	    "(uri, hash, origin, mime, size) VALUES (?1, ?2, ?3, ?4, ?5)", &s,
	    d)) != MB_OK)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		sqlite3_reset(s);
		sqlite3_bind_text(s, 1, uri, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 2, refs[i].hash, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 3, origin, -1, SQLITE_STATIC);
		if (refs[i].mime != NULL)
			sqlite3_bind_text(s, 4, refs[i].mime, -1,
			    SQLITE_STATIC);
		else
			sqlite3_bind_null(s, 4);
		sqlite3_bind_int64(s, 5, refs[i].size);
		if (sqlite3_step(s) != SQLITE_DONE) {
			rc = mb_sqlite_err(st, d, "refs insert");
			sqlite3_finalize(s);
			goto fail;
		}
	}
	sqlite3_finalize(s);
	if (own)
		return mb_store_commit(st, d);
	return MB_OK;
fail:
	if (own)
		mb_store_rollback(st);
	return rc;
}

int
mb_store_blob_cursor(struct mb_store *st, int64_t *seq, struct mb_diag *d)
{
	sqlite3_stmt	*s;
	int64_t		 v = 0;
	int		 rc, step;

	if (st->pg != NULL)
		return mb_pg_blob_cursor(st->pg, seq, d);
	if ((rc = prepare(st, "SELECT v FROM media_state WHERE k = 'cursor'",
	    &s, d)) != MB_OK)
		return rc;
	if ((step = sqlite3_step(s)) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return mb_sqlite_err(st, d, "blob cursor");
	*seq = v;
	return MB_OK;
}

int
mb_store_blob_cursor_set(struct mb_store *st, int64_t seq,
    struct mb_diag *d)
{
	sqlite3_stmt	*s;
	int		 rc;

	if (st->pg != NULL)
		return mb_pg_blob_cursor_set(st->pg, seq, d);
	if ((rc = prepare(st, "INSERT INTO media_state (k, v) "
	    "VALUES ('cursor', ?1) ON CONFLICT (k) DO UPDATE SET v = "
	    "excluded.v", &s, d)) != MB_OK)
		return rc;
	sqlite3_bind_int64(s, 1, seq);
	return step_done(st, s, "blob cursor set", d);
}

int
mb_store_blob_unused(struct mb_store *st, int64_t before_ms,
    int (*cb)(const struct mb_store_blob *b, void *arg), void *arg,
    struct mb_diag *d)
{
	struct mb_store_blob	 b;
	sqlite3_stmt		*s;
	int			 rc, step;

	if (st->pg != NULL)
		return mb_pg_blob_unused(st->pg, before_ms, cb, arg, d);
	if ((rc = prepare(st, "SELECT hash, mime, size, created_ms "
	    "FROM media_blobs b WHERE created_ms < ?1 AND NOT EXISTS "
	    "(SELECT 1 FROM media_refs r WHERE r.hash = b.hash) "
	    "ORDER BY hash", &s, d)) != MB_OK)
		return rc;
	sqlite3_bind_int64(s, 1, before_ms);
	rc = MB_OK;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		memset(&b, 0, sizeof(b));
		copy_text(b.hash, sizeof(b.hash), s, 0);
		copy_text(b.mime, sizeof(b.mime), s, 1);
		b.size = sqlite3_column_int64(s, 2);
		b.created_ms = sqlite3_column_int64(s, 3);
		b.here = true;
		if ((rc = cb(&b, arg)) != MB_OK)
			break;
	}
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		rc = mb_sqlite_err(st, d, "blob unused");
	sqlite3_finalize(s);
	return rc > 0 ? MB_OK : rc;
}

int
mb_store_blob_wanted(struct mb_store *st, int64_t limit,
    int (*cb)(const struct mb_store_blob *b, const char *origin, void *arg),
    void *arg, struct mb_diag *d)
{
	struct mb_store_blob	 b;
	char			 origin[33];
	sqlite3_stmt		*s;
	int			 rc, step;

	if (st->pg != NULL)
		return mb_pg_blob_wanted(st->pg, limit, cb, arg, d);
	if ((rc = prepare(st, "SELECT hash, max(mime), max(size), "
	    "count(*), min(origin) FROM media_refs r WHERE NOT EXISTS "
	    "(SELECT 1 FROM media_blobs b WHERE b.hash = r.hash) "
	    "GROUP BY hash ORDER BY hash LIMIT ?1", &s, d)) != MB_OK)
		return rc;
	sqlite3_bind_int64(s, 1, limit > 0 ? limit : -1);
	rc = MB_OK;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		memset(&b, 0, sizeof(b));
		copy_text(b.hash, sizeof(b.hash), s, 0);
		copy_text(b.mime, sizeof(b.mime), s, 1);
		b.size = sqlite3_column_int64(s, 2);
		b.refs = sqlite3_column_int64(s, 3);
		copy_text(origin, sizeof(origin), s, 4);
		if ((rc = cb(&b, origin, arg)) != MB_OK)
			break;
	}
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		rc = mb_sqlite_err(st, d, "blob wanted");
	sqlite3_finalize(s);
	return rc > 0 ? MB_OK : rc;
}
