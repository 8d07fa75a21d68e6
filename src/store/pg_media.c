/* SPDX-License-Identifier: MIT */
/* The PostgreSQL backend's media part: blob rows, item references, the index cursor. */
#include "pg_int.h"

#include <stdio.h>
#include <string.h>

int
mb_pg_blob_put(struct mb_store *st, const char *hash, const char *mime,
    int64_t size, int64_t now_ms, struct mb_diag *d)
{
	struct mb_pg_params p;

	p.n = 0;
	mb_pg__p_text(&p, hash);
	mb_pg__p_text(&p, mime);
	mb_pg__p_int(&p, size);
	mb_pg__p_int(&p, now_ms);
	return mb_pg__run(PG(st), "INSERT INTO media_blobs (hash, mime, size, "
	    "created_ms) VALUES ($1, $2, $3, $4) ON CONFLICT (hash) DO UPDATE "
	    "SET created_ms = greatest(media_blobs.created_ms, "
	    "excluded.created_ms)", &p, false, NULL, d);
}

int
mb_pg_blob_get(struct mb_store *st, const char *hash,
    struct mb_store_blob *out, struct mb_diag *d)
{
	struct mb_store_blob	b;
	struct mb_pg_params	p;
	struct mb_pg_rows	r;
	int			rc;

	p.n = 0;
	mb_pg__p_text(&p, hash);
	if ((rc = mb_pg__query(PG(st), "SELECT $1, b.mime, b.size, "
	    "b.created_ms, (SELECT count(*) FROM media_refs r WHERE "
	    "r.hash = $1), (SELECT min(origin COLLATE \"C\") FROM media_refs r "
	    "WHERE r.hash = $1) FROM media_blobs b WHERE b.hash = $1 "
	    "UNION ALL SELECT $1, max(r.mime), max(r.size), 0, count(*), "
	    "min(r.origin COLLATE \"C\") FROM media_refs r WHERE r.hash = $1 "
	    "AND NOT EXISTS (SELECT 1 FROM media_blobs b WHERE b.hash = $1) "
	    "GROUP BY r.hash", &p, false, &r, d)) != MB_OK)
		return rc;
	if (mb_pg__next(&r, &mb_store__blob_cols, &b))
		mb_pg__copy(b.origin, sizeof(b.origin), r.res, r.row, 5);
	else
		rc = mb_diag_set(d, MB_ERR_NOTFOUND, "no blob %s", hash);
	if ((rc = mb_pg__end(&r, rc)) != MB_OK)
		return rc;
	b.here = b.created_ms != 0;
	*out = b;
	return MB_OK;
}

int
mb_pg_blob_delete(struct mb_store *st, const char *hash, int64_t before_ms,
    bool *deleted, struct mb_diag *d)
{
	struct mb_pg_params	 p;
	struct mb_pg_res	*r;
	int			 rc;

	p.n = 0;
	mb_pg__p_text(&p, hash);
	mb_pg__p_int(&p, before_ms);
	if ((rc = mb_pg__run(PG(st), "DELETE FROM media_blobs WHERE hash = $1 "
	    "AND created_ms < $2 AND NOT EXISTS (SELECT 1 FROM media_refs r "
	    "WHERE r.hash = $1)", &p, false, &r, d)) != MB_OK)
		return rc;
	*deleted = mb_pg__affected(r) > 0;
	mb_pg__free(r);
	return MB_OK;
}

int
mb_pg_blob_refs_set(struct mb_store *st, const char *uri, const char *origin,
    const struct mb_store_blob_ref *refs, size_t n, struct mb_diag *d)
{
	struct mb_pg		*pg = PG(st);
	struct mb_pg_params	 p;
	bool			 own = !mb_pg__in_txn(pg);
	int			 rc;

	if (own && (rc = mb_pg__begin_plain(pg, d)) != MB_OK)
		return rc;
	p.n = 0;
	mb_pg__p_text(&p, uri);
	if ((rc = mb_pg__run(pg, "DELETE FROM media_refs WHERE uri = $1", &p,
	    false, NULL, d)) != MB_OK)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		p.n = 0;
		mb_pg__p_text(&p, uri);
		mb_pg__p_text(&p, refs[i].hash);
		mb_pg__p_text(&p, origin);
		mb_pg__p_text(&p, refs[i].mime);
		mb_pg__p_int(&p, refs[i].size);
		if ((rc = mb_pg__run(pg, "INSERT INTO media_refs (uri, hash, "
		    "origin, mime, size) VALUES ($1, $2, $3, $4, $5) "
		    "ON CONFLICT DO NOTHING", &p, false, NULL, d)) != MB_OK)
			goto fail;
	}
	if (own)
		return mb_pg__commit(pg, d);
	return MB_OK;
fail:
	if (own)
		mb_pg__rollback(pg);
	return rc;
}

int
mb_pg_blob_cursor(struct mb_store *st, int64_t *seq, struct mb_diag *d)
{
	struct mb_pg_rows	r;
	int			rc;

	if ((rc = mb_pg__query(PG(st), "SELECT v FROM media_state WHERE "
	    "k = 'cursor'", NULL, false, &r, d)) != MB_OK)
		return rc;
	*seq = mb_pg__next(&r, NULL, NULL) ? mb_pg__i64(r.res, r.row, 0) : 0;
	return mb_pg__end(&r, MB_OK);
}

int
mb_pg_blob_cursor_set(struct mb_store *st, int64_t seq, struct mb_diag *d)
{
	struct mb_pg_params p;

	p.n = 0;
	mb_pg__p_int(&p, seq);
	return mb_pg__run(PG(st), "INSERT INTO media_state (k, v) VALUES "
	    "('cursor', $1) ON CONFLICT (k) DO UPDATE SET v = excluded.v", &p,
	    false, NULL, d);
}

int
mb_pg_blob_unused(struct mb_store *st, int64_t before_ms,
    int (*cb)(const struct mb_store_blob *b, void *arg), void *arg,
    struct mb_diag *d)
{
	struct mb_store_blob	b;
	struct mb_pg_params	p;
	struct mb_pg_rows	r;
	int			rc;

	p.n = 0;
	mb_pg__p_int(&p, before_ms);
	/* A member's record keeps its photo for later profile versions;
	 * its hrefs name the hash in base64url (ni:///sha-256;…). */
	if ((rc = mb_pg__query(PG(st), "SELECT hash, mime, size, created_ms, "
	    "0 FROM media_blobs b WHERE created_ms < $1 AND NOT EXISTS "
	    "(SELECT 1 FROM media_refs r WHERE r.hash = b.hash) AND NOT EXISTS "
	    "(SELECT 1 FROM members m WHERE m.photo <> '' AND (strpos(m.photo, "
	    "b.hash) > 0 OR strpos(m.photo, translate(rtrim(encode(decode("
	    "b.hash, 'hex'), 'base64'), '='), '+/', '-_')) > 0)) ORDER BY hash "
	    "COLLATE \"C\"", &p, false, &r, d)) != MB_OK)
		return rc;
	while (rc == MB_OK && mb_pg__next(&r, &mb_store__blob_cols, &b)) {
		b.here = true;
		rc = cb(&b, arg);
	}
	return mb_pg__end(&r, rc);
}

int
mb_pg_blob_wanted(struct mb_store *st, int64_t limit,
    int (*cb)(const struct mb_store_blob *b, const char *origin, void *arg),
    void *arg, struct mb_diag *d)
{
	struct mb_store_blob	b;
	struct mb_pg_params	p;
	struct mb_pg_rows	r;
	char			origin[33];
	int			rc;

	p.n = 0;
	if (limit > 0)
		mb_pg__p_int(&p, limit);
	else
		mb_pg__p_text(&p, NULL);
	/* b.created_ms stays 0 (not here); the origin is column 5. */
	if ((rc = mb_pg__query(PG(st), "SELECT hash, max(mime), max(size), 0, "
	    "count(*), min(origin COLLATE \"C\") FROM media_refs r WHERE NOT "
	    "EXISTS (SELECT 1 FROM media_blobs b WHERE b.hash = r.hash) GROUP "
	    "BY hash ORDER BY hash COLLATE \"C\" LIMIT $1::bigint", &p, false,
	    &r, d)) != MB_OK)
		return rc;
	while (rc == MB_OK && mb_pg__next(&r, &mb_store__blob_cols, &b)) {
		mb_pg__copy(origin, sizeof(origin), r.res, r.row, 5);
		rc = cb(&b, origin, arg);
	}
	return mb_pg__end(&r, rc);
}

int
mb_pg_blob_each(struct mb_store *st,
    int (*cb)(const struct mb_store_blob *b, void *arg), void *arg,
    struct mb_diag *d)
{
	struct mb_store_blob	b;
	struct mb_pg_params	p;
	struct mb_pg_rows	r;
	int			rc;

	p.n = 0;
	if ((rc = mb_pg__query(PG(st), "SELECT hash, mime, size, created_ms, "
	    "0 FROM media_blobs ORDER BY hash COLLATE \"C\"", &p, false, &r,
	    d)) != MB_OK)
		return rc;
	while (rc == MB_OK && mb_pg__next(&r, &mb_store__blob_cols, &b)) {
		b.here = true;
		rc = cb(&b, arg);
	}
	return mb_pg__end(&r, rc);
}
