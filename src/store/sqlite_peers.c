/* SPDX-License-Identifier: MIT */
/* The SQLite backend's aliases, centers, and its part of the exchange: peers, cursors, the registry. */
#include "sqlite_int.h"

#include "base/timeutil.h"

/*
 * Aliases and centers are read per imported or verified item: their
 * statements are cached. The rest run a few times per pulled batch and
 * prepare theirs on the spot.
 */

int
mb_sqlite_alias_get(struct mb_store *st, const char *key, struct mb_buf *uri,
    struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int			rc;

	if ((rc = mb_sqlite__cached(SQ(st), STMT_ALIAS_GET, &r, "alias",
	    d)) != MB_OK)
		return rc;
	sqlite3_bind_text(r.s, 1, key, -1, SQLITE_STATIC);
	if (mb_sqlite__next(&r, NULL, NULL)) {
		mb_buf_reset(uri);
		rc = mb_buf_puts(uri, (const char *)sqlite3_column_text(r.s,
		    0));
	} else if (r.step == SQLITE_DONE) {
		rc = MB_ERR_NOTFOUND;
	}
	return mb_sqlite__end(&r, rc, d);
}

int
mb_sqlite_alias_put(struct mb_store *st, const char *key, const char *uri,
    struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int			rc;

	if ((rc = mb_sqlite__cached(SQ(st), STMT_ALIAS_PUT, &r, "alias",
	    d)) != MB_OK)
		return rc;
	sqlite3_bind_text(r.s, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(r.s, 2, uri, -1, SQLITE_STATIC);
	return mb_sqlite__done(&r, NULL, d);
}

int
mb_sqlite_center_put(struct mb_store *st, const struct mb_center *c,
    struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int			rc;

	/* The key it replaces is kept, and whether it was revoked. */
	if ((rc = mb_sqlite__query(SQ(st), "INSERT INTO center_keys (id, "
	    "key, until_ms, revoked) SELECT id, key, ?3, status = 'revoked' "
	    "FROM centers WHERE id = ?1 AND key <> ?2 ON CONFLICT (id, key) "
	    "DO UPDATE SET until_ms = max(until_ms, excluded.until_ms), "
	    "revoked = max(revoked, excluded.revoked)", &r, "center key",
	    d)) != MB_OK)
		return rc;
	sqlite3_bind_text(r.s, 1, c->id, -1, SQLITE_STATIC);
	sqlite3_bind_blob(r.s, 2, c->key, sizeof(c->key), SQLITE_STATIC);
	sqlite3_bind_int64(r.s, 3, mb_time_now_ms());
	if ((rc = mb_sqlite__done(&r, NULL, d)) != MB_OK)
		return rc;
	if ((rc = mb_sqlite__cached(SQ(st), STMT_CENTER_PUT, &r, "center",
	    d)) != MB_OK)
		return rc;
	sqlite3_bind_text(r.s, 1, c->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(r.s, 2, c->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(r.s, 3, c->country, -1, SQLITE_STATIC);
	sqlite3_bind_text(r.s, 4, c->languages, -1, SQLITE_STATIC);
	sqlite3_bind_text(r.s, 5, c->url, -1, SQLITE_STATIC);
	sqlite3_bind_blob(r.s, 6, c->key, sizeof(c->key), SQLITE_STATIC);
	sqlite3_bind_text(r.s, 7, c->role, -1, SQLITE_STATIC);
	sqlite3_bind_text(r.s, 8, c->status, -1, SQLITE_STATIC);
	sqlite3_bind_int64(r.s, 9, c->updated_ms ? c->updated_ms :
	    mb_time_now_ms());
	sqlite3_bind_text(r.s, 10, c->names, -1, SQLITE_STATIC);
	sqlite3_bind_text(r.s, 11, c->mt_pairs, -1, SQLITE_STATIC);
	return mb_sqlite__done(&r, NULL, d);
}

int
mb_sqlite_center_keys(struct mb_store *st, const char *id,
    int (*cb)(const struct mb_center_key *k, void *arg), void *arg,
    struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	struct mb_center_key	k;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "SELECT " MB_STORE_CENTER_KEY_COLS
	    " FROM center_keys WHERE id = ?1 ORDER BY until_ms DESC", &r,
	    "center keys", d)) != MB_OK)
		return rc;
	sqlite3_bind_text(r.s, 1, id, -1, SQLITE_STATIC);
	while (rc == MB_OK && mb_sqlite__next(&r, &mb_store__center_key_cols,
	    &k))
		rc = cb(&k, arg);
	return mb_sqlite__end(&r, rc, d);
}

int
mb_sqlite_center_key_users(struct mb_store *st, const unsigned char key[32],
    int (*cb)(const struct mb_center_key *k, void *arg), void *arg,
    struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	struct mb_center_key	k;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "SELECT id, key, 0, status = "
	    "'revoked' FROM centers WHERE key = ?1 UNION ALL SELECT "
	    MB_STORE_CENTER_KEY_COLS " FROM center_keys WHERE key = ?1", &r,
	    "center key users", d)) != MB_OK)
		return rc;
	sqlite3_bind_blob(r.s, 1, key, 32, SQLITE_STATIC);
	while (rc == MB_OK && mb_sqlite__next(&r, &mb_store__center_key_cols,
	    &k))
		rc = cb(&k, arg);
	return mb_sqlite__end(&r, rc, d);
}

int
mb_sqlite_center_get(struct mb_store *st, const char *id,
    struct mb_center *out, struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int			rc;

	if ((rc = mb_sqlite__cached(SQ(st), STMT_CENTER_GET, &r, "center",
	    d)) != MB_OK)
		return rc;
	sqlite3_bind_text(r.s, 1, id, -1, SQLITE_STATIC);
	if ((rc = mb_sqlite__one(&r, &mb_store__center_cols, out, d)) ==
	    MB_ERR_NOTFOUND)
		return mb_diag_set(d, rc, "center %s: unknown", id);
	return rc;
}

int
mb_sqlite_center_list(struct mb_store *st,
    int (*cb)(const struct mb_center *c, void *arg), void *arg,
    struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	struct mb_center	c;
	int			rc;

	if ((rc = mb_sqlite__cached(SQ(st), STMT_CENTER_LIST, &r, "center",
	    d)) != MB_OK)
		return rc;
	while (rc == MB_OK && mb_sqlite__next(&r, &mb_store__center_cols, &c))
		rc = cb(&c, arg);
	return mb_sqlite__end(&r, rc, d);
}

int
mb_sqlite_peer_put(struct mb_store *st, const char *center, const char *url,
    int manual, struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "INSERT INTO peers (center, url, "
	    "manual) VALUES (?1, ?2, ?3) ON CONFLICT (center) DO UPDATE SET "
	    "url = excluded.url, manual = max(manual, excluded.manual)", &r,
	    "peer put", d)) != MB_OK)
		return rc;
	sqlite3_bind_text(r.s, 1, center, -1, SQLITE_STATIC);
	sqlite3_bind_text(r.s, 2, url, -1, SQLITE_STATIC);
	sqlite3_bind_int(r.s, 3, manual ? 1 : 0);
	return mb_sqlite__done(&r, NULL, d);
}

int
mb_sqlite_peer_get(struct mb_store *st, const char *center,
    struct mb_peer *out, struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "SELECT " MB_STORE_PEER_COLS
	    " FROM peers WHERE center = ?1", &r, "peer get", d)) != MB_OK)
		return rc;
	sqlite3_bind_text(r.s, 1, center, -1, SQLITE_STATIC);
	if ((rc = mb_sqlite__one(&r, &mb_store__peer_cols, out, d)) ==
	    MB_ERR_NOTFOUND)
		return mb_diag_set(d, rc, "no peer %s", center);
	return rc;
}

int
mb_sqlite_peer_list(struct mb_store *st,
    int (*cb)(const struct mb_peer *p, void *arg), void *arg,
    struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	struct mb_peer		p;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "SELECT " MB_STORE_PEER_COLS
	    " FROM peers ORDER BY center", &r, "peer list", d)) != MB_OK)
		return rc;
	while (rc == MB_OK && mb_sqlite__next(&r, &mb_store__peer_cols, &p))
		rc = cb(&p, arg);
	return mb_sqlite__end(&r, rc, d);
}

int
mb_sqlite_peer_advance(struct mb_store *st, const char *center,
    int64_t cursor, int64_t received, int64_t refused, int64_t now_ms,
    struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int64_t			changed = 0;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "UPDATE peers SET cursor = "
	    "max(cursor, ?2), received = received + ?3, refused = refused + "
	    "?4, last_ok_ms = ?5, last_error = '' WHERE center = ?1", &r,
	    "peer advance", d)) != MB_OK)
		return rc;
	sqlite3_bind_text(r.s, 1, center, -1, SQLITE_STATIC);
	sqlite3_bind_int64(r.s, 2, cursor);
	sqlite3_bind_int64(r.s, 3, received);
	sqlite3_bind_int64(r.s, 4, refused);
	sqlite3_bind_int64(r.s, 5, now_ms);
	if ((rc = mb_sqlite__done(&r, &changed, d)) != MB_OK)
		return rc;
	if (changed == 0)
		return mb_diag_set(d, MB_ERR_NOTFOUND, "no peer %s", center);
	return MB_OK;
}

int
mb_sqlite_peer_fail(struct mb_store *st, const char *center,
    const char *error, int64_t now_ms, struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "UPDATE peers SET last_err_ms = "
	    "?2, last_error = substr(?3, 1, 255) WHERE center = ?1", &r,
	    "peer fail", d)) != MB_OK)
		return rc;
	sqlite3_bind_text(r.s, 1, center, -1, SQLITE_STATIC);
	sqlite3_bind_int64(r.s, 2, now_ms);
	sqlite3_bind_text(r.s, 3, error, -1, SQLITE_STATIC);
	return mb_sqlite__done(&r, NULL, d);
}

int
mb_sqlite_registry_get(struct mb_store *st, int64_t *version,
    struct mb_buf *doc, struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "SELECT version, document FROM "
	    "registry WHERE id = 1", &r, "registry get", d)) != MB_OK)
		return rc;
	if (mb_sqlite__next(&r, NULL, NULL)) {
		if (doc != NULL && mb_buf_append(doc,
		    sqlite3_column_blob(r.s, 1),
		    (size_t)sqlite3_column_bytes(r.s, 1)) != MB_OK)
			rc = MB_ERR_NOMEM;
		else if (version != NULL)
			*version = sqlite3_column_int64(r.s, 0);
	} else if (r.step == SQLITE_DONE) {
		rc = mb_diag_set(d, MB_ERR_NOTFOUND, "no registry yet");
	}
	return mb_sqlite__end(&r, rc, d);
}

int
mb_sqlite_registry_put(struct mb_store *st, int64_t version, const char *doc,
    size_t len, struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "INSERT INTO registry (id, "
	    "version, document) VALUES (1, ?1, ?2) ON CONFLICT (id) DO UPDATE "
	    "SET version = excluded.version, document = excluded.document",
	    &r, "registry put", d)) != MB_OK)
		return rc;
	sqlite3_bind_int64(r.s, 1, version);
	sqlite3_bind_blob(r.s, 2, doc, (int)len, SQLITE_STATIC);
	return mb_sqlite__done(&r, NULL, d);
}

int
mb_sqlite_last_seq(struct mb_store *st, int64_t *seq, struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "SELECT coalesce(max(seq), 0) FROM "
	    "versions", &r, "last seq", d)) != MB_OK)
		return rc;
	if (mb_sqlite__next(&r, NULL, NULL))
		*seq = sqlite3_column_int64(r.s, 0);
	else if (r.step == SQLITE_DONE)
		r.step = SQLITE_ERROR;	/* an aggregate always has its row */
	return mb_sqlite__end(&r, MB_OK, d);
}
