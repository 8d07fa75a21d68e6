/* SPDX-License-Identifier: MIT */
/* The SQLite backend's media part: blob rows, item references, the index cursor. */
#include "sqlite_int.h"

#include <stdio.h>
#include <string.h>

/*
 * These run once per upload, per indexed version or per gc round: each
 * prepares its statement on the spot rather than taking a cached slot.
 */

int
mb_sqlite_blob_put(struct mb_store *st, const char *hash, const char *mime,
    int64_t size, int64_t now_ms, struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "INSERT INTO media_blobs "
	    "(hash, mime, size, created_ms) VALUES (?1, ?2, ?3, ?4) "
	    "ON CONFLICT (hash) DO UPDATE SET created_ms = "
	    "max(created_ms, excluded.created_ms)", &r, "blob put", d)) !=
	    MB_OK)
		return rc;
	sqlite3_bind_text(r.s, 1, hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(r.s, 2, mime, -1, SQLITE_STATIC);
	sqlite3_bind_int64(r.s, 3, size);
	sqlite3_bind_int64(r.s, 4, now_ms);
	return mb_sqlite__done(&r, NULL, d);
}

int
mb_sqlite_blob_get(struct mb_store *st, const char *hash,
    struct mb_store_blob *out, struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	struct mb_store_blob	b;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "SELECT ?1, b.mime, b.size, "
	    "b.created_ms, (SELECT count(*) FROM media_refs r WHERE "
	    "r.hash = ?1), (SELECT min(origin) FROM media_refs r WHERE "
	    "r.hash = ?1) FROM media_blobs b WHERE b.hash = ?1 "
	    "UNION ALL SELECT ?1, max(r.mime), max(r.size), 0, count(*), "
	    "min(r.origin) "
	    "FROM media_refs r WHERE r.hash = ?1 AND NOT EXISTS "
	    "(SELECT 1 FROM media_blobs b WHERE b.hash = ?1) "
	    "GROUP BY r.hash", &r, "blob get", d)) != MB_OK)
		return rc;
	sqlite3_bind_text(r.s, 1, hash, -1, SQLITE_STATIC);
	if (mb_sqlite__next(&r, &mb_store__blob_cols, &b))
		snprintf(b.origin, sizeof(b.origin), "%s",
		    sqlite3_column_text(r.s, 5) != NULL ?
		    (const char *)sqlite3_column_text(r.s, 5) : "");
	else if (r.step == SQLITE_DONE)
		rc = mb_diag_set(d, MB_ERR_NOTFOUND, "no blob %s", hash);
	if ((rc = mb_sqlite__end(&r, rc, d)) != MB_OK)
		return rc;
	b.here = b.created_ms != 0;
	*out = b;
	return MB_OK;
}

int
mb_sqlite_blob_delete(struct mb_store *st, const char *hash,
    int64_t before_ms, bool *deleted, struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int64_t			changed = 0;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "DELETE FROM media_blobs WHERE "
	    "hash = ?1 AND created_ms < ?2 AND NOT EXISTS (SELECT 1 FROM "
	    "media_refs r WHERE r.hash = ?1)", &r, "blob delete", d)) != MB_OK)
		return rc;
	sqlite3_bind_text(r.s, 1, hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(r.s, 2, before_ms);
	if ((rc = mb_sqlite__done(&r, &changed, d)) != MB_OK)
		return rc;
	*deleted = changed > 0;
	return MB_OK;
}

int
mb_sqlite_blob_refs_set(struct mb_store *st, const char *uri,
    const char *origin, const struct mb_store_blob_ref *refs, size_t n,
    struct mb_diag *d)
{
	struct mb_sqlite	*sq = SQ(st);
	struct mb_sqlite_rows	 r;
	int			 own, rc;

	if ((rc = mb_sqlite__auto_begin(sq, &own, d)) != MB_OK)
		return rc;
	if ((rc = mb_sqlite__query(sq, "DELETE FROM media_refs WHERE "
	    "uri = ?1", &r, "refs delete", d)) != MB_OK)
		goto out;
	sqlite3_bind_text(r.s, 1, uri, -1, SQLITE_STATIC);
	if ((rc = mb_sqlite__done(&r, NULL, d)) != MB_OK)
		goto out;
	if ((rc = mb_sqlite__query(sq, "INSERT OR IGNORE INTO media_refs "
	    "(uri, hash, origin, mime, size) VALUES (?1, ?2, ?3, ?4, ?5)", &r,
	    "refs insert", d)) != MB_OK)
		goto out;
	for (size_t i = 0; i < n && rc == MB_OK; i++) {
		sqlite3_reset(r.s);
		sqlite3_bind_text(r.s, 1, uri, -1, SQLITE_STATIC);
		sqlite3_bind_text(r.s, 2, refs[i].hash, -1, SQLITE_STATIC);
		sqlite3_bind_text(r.s, 3, origin, -1, SQLITE_STATIC);
		mb_sqlite__bind_text(r.s, 4, refs[i].mime);
		sqlite3_bind_int64(r.s, 5, refs[i].size);
		if ((r.step = sqlite3_step(r.s)) != SQLITE_DONE)
			rc = mb_sqlite_err(sq, d, "refs insert");
	}
	mb_sqlite__close(&r);
out:
	return mb_sqlite__auto_end(sq, own, rc, d);
}

int
mb_sqlite_blob_cursor(struct mb_store *st, int64_t *seq, struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int64_t			v = 0;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "SELECT v FROM media_state WHERE "
	    "k = 'cursor'", &r, "blob cursor", d)) != MB_OK)
		return rc;
	if (mb_sqlite__next(&r, NULL, NULL))
		v = sqlite3_column_int64(r.s, 0);
	if ((rc = mb_sqlite__end(&r, MB_OK, d)) == MB_OK)
		*seq = v;
	return rc;
}

int
mb_sqlite_blob_cursor_set(struct mb_store *st, int64_t seq,
    struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "INSERT INTO media_state (k, v) "
	    "VALUES ('cursor', ?1) ON CONFLICT (k) DO UPDATE SET v = "
	    "excluded.v", &r, "blob cursor set", d)) != MB_OK)
		return rc;
	sqlite3_bind_int64(r.s, 1, seq);
	return mb_sqlite__done(&r, NULL, d);
}

/*
 * mb_hash_b64(hex): a blob's hash as an ni:/// href writes it (base64url,
 * unpadded), so that a query finds it in stored JSON (members.photo);
 * NULL for anything but a hash.
 */
static void
hash_b64_fn(sqlite3_context *ctx, int argc, sqlite3_value **v)
{
	static const char	 abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789-_";
	const char		*hex = (const char *)sqlite3_value_text(v[0]);
	unsigned char		 bin[33] = { 0 };
	char			 out[44];
	size_t			 o = 0;
	unsigned int		 x;

	(void)argc;
	if (hex == NULL || strlen(hex) != 64 ||
	    strspn(hex, "0123456789abcdef") != 64) {
		sqlite3_result_null(ctx);
		return;
	}
	for (int i = 0; i < 32; i++) {
		sscanf(hex + 2 * i, "%2x", &x);
		bin[i] = (unsigned char)x;
	}
	/* 32 bytes: ten groups of three, then two (three characters). */
	for (int i = 0; i < 33; i += 3) {
		x = (unsigned int)bin[i] << 16 | (unsigned int)bin[i + 1] << 8 |
		    (i + 2 < 33 ? bin[i + 2] : 0);
		out[o++] = abc[x >> 18 & 63];
		out[o++] = abc[x >> 12 & 63];
		out[o++] = abc[x >> 6 & 63];
		if (i + 3 < 33)
			out[o++] = abc[x & 63];
	}
	sqlite3_result_text(ctx, out, (int)o, SQLITE_TRANSIENT);
}

int
mb_sqlite_media_register(struct mb_sqlite *sq, struct mb_diag *d)
{
	if (sqlite3_create_function(sq->db, "mb_hash_b64", 1, SQLITE_UTF8 |
	    SQLITE_DETERMINISTIC, NULL, hash_b64_fn, NULL, NULL) != SQLITE_OK)
		return mb_sqlite_err(sq, d, "register mb_hash_b64");
	return MB_OK;
}

int
mb_sqlite_blob_unused(struct mb_store *st, int64_t before_ms,
    int (*cb)(const struct mb_store_blob *b, void *arg), void *arg,
    struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	struct mb_store_blob	b;
	int			rc;

	/* A member's record keeps its photo for later profile versions. */
	if ((rc = mb_sqlite__query(SQ(st), "SELECT hash, mime, size, "
	    "created_ms, 0 FROM media_blobs b WHERE created_ms < ?1 AND NOT "
	    "EXISTS (SELECT 1 FROM media_refs r WHERE r.hash = b.hash) "
	    "AND NOT EXISTS (SELECT 1 FROM members m WHERE m.photo <> '' AND "
	    "(instr(m.photo, b.hash) > 0 OR instr(m.photo, "
	    "mb_hash_b64(b.hash)) > 0)) ORDER BY hash", &r, "blob unused",
	    d)) != MB_OK)
		return rc;
	sqlite3_bind_int64(r.s, 1, before_ms);
	while (rc == MB_OK && mb_sqlite__next(&r, &mb_store__blob_cols, &b)) {
		b.here = true;
		rc = cb(&b, arg);
	}
	return mb_sqlite__end(&r, rc, d);
}

int
mb_sqlite_blob_wanted(struct mb_store *st, int64_t limit,
    int (*cb)(const struct mb_store_blob *b, const char *origin, void *arg),
    void *arg, struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	struct mb_store_blob	b;
	int			rc;

	/* b.created_ms stays 0 (not here); the origin is column 5. */
	if ((rc = mb_sqlite__query(SQ(st), "SELECT hash, max(mime), "
	    "max(size), 0, count(*), min(origin) FROM media_refs r WHERE NOT "
	    "EXISTS (SELECT 1 FROM media_blobs b WHERE b.hash = r.hash) "
	    "GROUP BY hash ORDER BY hash LIMIT ?1", &r, "blob wanted", d)) !=
	    MB_OK)
		return rc;
	sqlite3_bind_int64(r.s, 1, limit > 0 ? limit : -1);
	while (rc == MB_OK && mb_sqlite__next(&r, &mb_store__blob_cols, &b)) {
		char		 origin[33];
		const char	*o = (const char *)sqlite3_column_text(r.s, 5);

		snprintf(origin, sizeof(origin), "%s", o != NULL ? o : "");
		rc = cb(&b, origin, arg);
	}
	return mb_sqlite__end(&r, rc, d);
}

int
mb_sqlite_blob_each(struct mb_store *st,
    int (*cb)(const struct mb_store_blob *b, void *arg), void *arg,
    struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	struct mb_store_blob	b;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "SELECT hash, mime, size, "
	    "created_ms, 0 FROM media_blobs ORDER BY hash", &r, "blob each",
	    d)) != MB_OK)
		return rc;
	while (rc == MB_OK && mb_sqlite__next(&r, &mb_store__blob_cols, &b)) {
		b.here = true;
		rc = cb(&b, arg);
	}
	return mb_sqlite__end(&r, rc, d);
}
