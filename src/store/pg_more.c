/* SPDX-License-Identifier: MIT */
/* The PostgreSQL backend's peers, registry, accounts, listing and media rows. */
#include "pg_int.h"

#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/timeutil.h"

/*
 * Text is ordered by bytes (COLLATE "C"), as SQLite orders it, whatever
 * the database's collation: listings agree across backends.
 */

/* ---- peers and the registry ----------------------------------------- */

int
mb_pg_peer_put(struct mb_pg *pg, const char *center, const char *url,
    int manual, struct mb_diag *d)
{
	struct mb_pg_params p;

	p.n = 0;
	mb_pg__p_text(&p, center);
	mb_pg__p_text(&p, url);
	mb_pg__p_int(&p, manual ? 1 : 0);
	return mb_pg__run(pg, "INSERT INTO peers (center, url, manual) "
	    "VALUES ($1, $2, $3) ON CONFLICT (center) DO UPDATE SET "
	    "url = excluded.url, manual = greatest(peers.manual, "
	    "excluded.manual)", &p, false, NULL, d);
}

#define PEER_COLS "center, url, manual, cursor, last_ok_ms, last_err_ms, " \
	"last_error, received, refused"

static void
row_to_peer(const struct mb_pg_res *r, int i, struct mb_peer *p)
{
	memset(p, 0, sizeof(*p));
	mb_pg__copy(p->center, sizeof(p->center), r, i, 0);
	mb_pg__copy(p->url, sizeof(p->url), r, i, 1);
	p->manual = (int)mb_pg__i64(r, i, 2);
	p->cursor = mb_pg__i64(r, i, 3);
	p->last_ok_ms = mb_pg__i64(r, i, 4);
	p->last_err_ms = mb_pg__i64(r, i, 5);
	mb_pg__copy(p->last_error, sizeof(p->last_error), r, i, 6);
	p->received = mb_pg__i64(r, i, 7);
	p->refused = mb_pg__i64(r, i, 8);
}

int
mb_pg_peer_get(struct mb_pg *pg, const char *center, struct mb_peer *out,
    struct mb_diag *d)
{
	struct mb_pg_params	 p;
	struct mb_pg_res	*r;
	int			 rc;

	p.n = 0;
	mb_pg__p_text(&p, center);
	if ((rc = mb_pg__run(pg, "SELECT " PEER_COLS " FROM peers WHERE "
	    "center = $1", &p, false, &r, d)) != MB_OK)
		return rc;
	if (mb_pg__nrows(r) == 0)
		rc = mb_diag_set(d, MB_ERR_NOTFOUND, "no peer %s", center);
	else
		row_to_peer(r, 0, out);
	mb_pg__free(r);
	return rc;
}

int
mb_pg_peer_list(struct mb_pg *pg,
    int (*cb)(const struct mb_peer *p, void *arg), void *arg,
    struct mb_diag *d)
{
	struct mb_pg_res	*r;
	struct mb_peer		 p;
	int			 rc;

	if ((rc = mb_pg__run(pg, "SELECT " PEER_COLS " FROM peers ORDER BY "
	    "center COLLATE \"C\"", NULL, false, &r, d)) != MB_OK)
		return rc;
	for (int i = 0; i < mb_pg__nrows(r); i++) {
		row_to_peer(r, i, &p);
		if ((rc = cb(&p, arg)) != MB_OK)
			break;
	}
	mb_pg__free(r);
	return rc > 0 ? MB_OK : rc;
}

int
mb_pg_peer_advance(struct mb_pg *pg, const char *center, int64_t cursor,
    int64_t received, int64_t refused, int64_t now_ms, struct mb_diag *d)
{
	struct mb_pg_params	 p;
	struct mb_pg_res	*r;
	int			 rc;

	p.n = 0;
	mb_pg__p_text(&p, center);
	mb_pg__p_int(&p, cursor);
	mb_pg__p_int(&p, received);
	mb_pg__p_int(&p, refused);
	mb_pg__p_int(&p, now_ms);
	if ((rc = mb_pg__run(pg, "UPDATE peers SET cursor = greatest(cursor, "
	    "$2), received = received + $3, refused = refused + $4, "
	    "last_ok_ms = $5, last_error = '' WHERE center = $1", &p, false,
	    &r, d)) != MB_OK)
		return rc;
	if (mb_pg__affected(r) == 0)
		rc = mb_diag_set(d, MB_ERR_NOTFOUND, "no peer %s", center);
	mb_pg__free(r);
	return rc;
}

int
mb_pg_peer_fail(struct mb_pg *pg, const char *center, const char *error,
    int64_t now_ms, struct mb_diag *d)
{
	struct mb_pg_params p;

	p.n = 0;
	mb_pg__p_text(&p, center);
	mb_pg__p_int(&p, now_ms);
	mb_pg__p_text(&p, error);
	return mb_pg__run(pg, "UPDATE peers SET last_err_ms = $2, "
	    "last_error = substr($3, 1, 255) WHERE center = $1", &p, false,
	    NULL, d);
}

int
mb_pg_registry_get(struct mb_pg *pg, int64_t *version, struct mb_buf *doc,
    struct mb_diag *d)
{
	struct mb_pg_res	*r;
	const char		*b;
	size_t			 n;
	int			 rc;

	if ((rc = mb_pg__run(pg, "SELECT version, document FROM registry "
	    "WHERE id = 1", NULL, false, &r, d)) != MB_OK)
		return rc;
	if (mb_pg__nrows(r) == 0) {
		rc = mb_diag_set(d, MB_ERR_NOTFOUND, "no registry yet");
	} else {
		b = mb_pg__bytes(r, 0, 1, &n);
		if (doc != NULL && mb_buf_append(doc, b, n) != MB_OK)
			rc = MB_ERR_NOMEM;
		else if (version != NULL)
			*version = mb_pg__i64(r, 0, 0);
	}
	mb_pg__free(r);
	return rc;
}

int
mb_pg_registry_put(struct mb_pg *pg, int64_t version, const char *doc,
    size_t len, struct mb_diag *d)
{
	struct mb_pg_params p;

	p.n = 0;
	mb_pg__p_int(&p, version);
	mb_pg__p_bytes(&p, doc, len);
	return mb_pg__run(pg, "INSERT INTO registry (id, version, document) "
	    "VALUES (1, $1, $2) ON CONFLICT (id) DO UPDATE SET "
	    "version = excluded.version, document = excluded.document", &p,
	    false, NULL, d);
}

/* ---- accounts ------------------------------------------------------- */

#define USER_COLS "u.id, u.name, u.role, u.created_ms, u.disabled"

static void
row_to_user(const struct mb_pg_res *r, int i, struct mb_user *u)
{
	memset(u, 0, sizeof(*u));
	u->id = mb_pg__i64(r, i, 0);
	mb_pg__copy(u->name, sizeof(u->name), r, i, 1);
	mb_pg__copy(u->role, sizeof(u->role), r, i, 2);
	u->created_ms = mb_pg__i64(r, i, 3);
	u->disabled = mb_pg__i64(r, i, 4) != 0;
}

int
mb_pg_user_add(struct mb_pg *pg, const char *name, const char *role,
    const char *pwhash, int64_t *id, struct mb_diag *d)
{
	struct mb_pg_params	 p;
	struct mb_pg_res	*r;
	int			 rc;

	p.n = 0;
	mb_pg__p_text(&p, name);
	mb_pg__p_text(&p, role);
	mb_pg__p_text(&p, pwhash);
	mb_pg__p_int(&p, mb_time_now_ms());
	if ((rc = mb_pg__run(pg, "INSERT INTO users (name, role, pwhash, "
	    "created_ms) VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO "
	    "NOTHING RETURNING id", &p, false, &r, d)) != MB_OK)
		return rc;
	if (mb_pg__nrows(r) == 0)
		rc = mb_diag_set(d, MB_ERR_EXISTS, "user %s: already exists",
		    name);
	else if (id != NULL)
		*id = mb_pg__i64(r, 0, 0);
	mb_pg__free(r);
	return rc;
}

int
mb_pg_user_get(struct mb_pg *pg, const char *name, int64_t id,
    struct mb_user *out, char *pwhash, size_t n, struct mb_diag *d)
{
	struct mb_pg_params	 p;
	struct mb_pg_res	*r;
	int			 rc;

	p.n = 0;
	if (name != NULL)
		mb_pg__p_text(&p, name);
	else
		mb_pg__p_int(&p, id);
	if ((rc = mb_pg__run(pg, name != NULL ?
	    "SELECT " USER_COLS ", u.pwhash FROM users u WHERE u.name = $1" :
	    "SELECT " USER_COLS ", u.pwhash FROM users u WHERE u.id = $1",
	    &p, false, &r, d)) != MB_OK)
		return rc;
	if (mb_pg__nrows(r) == 0) {
		rc = mb_diag_set(d, MB_ERR_NOTFOUND, "no such user");
	} else {
		row_to_user(r, 0, out);
		if (pwhash != NULL && n > 0)
			mb_pg__copy(pwhash, n, r, 0, 5);
	}
	mb_pg__free(r);
	return rc;
}

int
mb_pg_user_update(struct mb_pg *pg, const char *name, const char *role,
    const char *pwhash, struct mb_diag *d)
{
	struct mb_pg_params	 p;
	struct mb_pg_res	*r;
	int			 rc;

	p.n = 0;
	mb_pg__p_text(&p, name);
	mb_pg__p_text(&p, role);
	mb_pg__p_text(&p, pwhash);
	if ((rc = mb_pg__run(pg, "UPDATE users SET role = coalesce($2, role), "
	    "pwhash = coalesce($3, pwhash) WHERE name = $1", &p, false, &r,
	    d)) != MB_OK)
		return rc;
	if (mb_pg__affected(r) == 0)
		rc = mb_diag_set(d, MB_ERR_NOTFOUND, "user %s: no such user",
		    name);
	mb_pg__free(r);
	return rc;
}

int
mb_pg_user_list(struct mb_pg *pg,
    int (*cb)(const struct mb_user *u, void *arg), void *arg,
    struct mb_diag *d)
{
	struct mb_pg_res	*r;
	struct mb_user		 u;
	int			 rc;

	if ((rc = mb_pg__run(pg, "SELECT " USER_COLS " FROM users u ORDER BY "
	    "u.name COLLATE \"C\"", NULL, false, &r, d)) != MB_OK)
		return rc;
	for (int i = 0; i < mb_pg__nrows(r); i++) {
		row_to_user(r, i, &u);
		if ((rc = cb(&u, arg)) != MB_OK)
			break;
	}
	mb_pg__free(r);
	return rc > 0 ? MB_OK : rc;
}

int
mb_pg_cred_add(struct mb_pg *pg, const char *kind,
    const uint8_t hash[MB_CRED_HASH_LEN], int64_t user_id, const char *csrf,
    int64_t expires_ms, struct mb_diag *d)
{
	struct mb_pg_params p;

	p.n = 0;
	mb_pg__p_bytes(&p, hash, MB_CRED_HASH_LEN);
	mb_pg__p_text(&p, kind);
	mb_pg__p_int(&p, user_id);
	mb_pg__p_text(&p, csrf);
	mb_pg__p_int(&p, mb_time_now_ms());
	mb_pg__p_int(&p, expires_ms);
	return mb_pg__run(pg, "INSERT INTO credentials (hash, kind, user_id, "
	    "csrf, created_ms, expires_ms) VALUES ($1, $2, $3, $4, $5, $6)",
	    &p, false, NULL, d);
}

static const char SQL_CRED_USER[] = "SELECT " USER_COLS ", c.csrf FROM "
    "credentials c JOIN users u ON u.id = c.user_id WHERE c.hash = $1 AND "
    "c.kind = $2 AND (c.expires_ms = 0 OR c.expires_ms > $3) AND "
    "NOT u.disabled";

int
mb_pg_cred_user(struct mb_pg *pg, const char *kind,
    const uint8_t hash[MB_CRED_HASH_LEN], int64_t now_ms,
    struct mb_user *out, char *csrf, struct mb_diag *d)
{
	struct mb_pg_params	 p;
	struct mb_pg_res	*r;
	int			 rc;

	p.n = 0;
	mb_pg__p_bytes(&p, hash, MB_CRED_HASH_LEN);
	mb_pg__p_text(&p, kind);
	mb_pg__p_int(&p, now_ms);
	if ((rc = mb_pg__run(pg, SQL_CRED_USER, &p, true, &r, d)) != MB_OK)
		return rc;
	if (mb_pg__nrows(r) == 0) {
		rc = MB_ERR_NOTFOUND;
	} else {
		row_to_user(r, 0, out);
		if (csrf != NULL)
			mb_pg__copy(csrf, 65, r, 0, 5);
	}
	mb_pg__free(r);
	return rc;
}

int
mb_pg_cred_delete(struct mb_pg *pg, const uint8_t hash[MB_CRED_HASH_LEN],
    struct mb_diag *d)
{
	struct mb_pg_params p;

	p.n = 0;
	mb_pg__p_bytes(&p, hash, MB_CRED_HASH_LEN);
	return mb_pg__run(pg, "DELETE FROM credentials WHERE hash = $1", &p,
	    false, NULL, d);
}

int
mb_pg_author_set(struct mb_pg *pg, const char *uri, int64_t user_id,
    struct mb_diag *d)
{
	struct mb_pg_params p;

	p.n = 0;
	mb_pg__p_text(&p, uri);
	mb_pg__p_int(&p, user_id);
	return mb_pg__run(pg, "INSERT INTO item_authors (uri, user_id) VALUES "
	    "($1, $2) ON CONFLICT (uri) DO NOTHING", &p, false, NULL, d);
}

int
mb_pg_author_get(struct mb_pg *pg, const char *uri, int64_t *user_id,
    struct mb_diag *d)
{
	struct mb_pg_params	 p;
	struct mb_pg_res	*r;
	int			 rc;

	p.n = 0;
	mb_pg__p_text(&p, uri);
	if ((rc = mb_pg__run(pg, "SELECT user_id FROM item_authors WHERE "
	    "uri = $1", &p, false, &r, d)) != MB_OK)
		return rc;
	if (mb_pg__nrows(r) == 0)
		rc = MB_ERR_NOTFOUND;
	else
		*user_id = mb_pg__i64(r, 0, 0);
	mb_pg__free(r);
	return rc;
}

/* ---- listing -------------------------------------------------------- */

/*
 * One statement built per call from the filters that are set; every
 * value is a parameter ($1..$13 by meaning, all of them bound, typed).
 */
static int
build_list(struct mb_buf *q, const struct mb_store_filter *f)
{
	int rc = 0;

	rc |= mb_buf_puts(q, "SELECT " MB_PG_VERSION_COLS " FROM items i "
	    "JOIN versions v ON v.seq = i.seq WHERE true");
	/* A primary subtag reads items_lang_list (migration 6). */
	if (f->language != NULL && strchr(f->language, '-') == NULL)
		rc |= mb_buf_puts(q, " AND lower(split_part(i.language, '-', "
		    "1)) = lower($1)");
	else if (f->language != NULL)
		rc |= mb_buf_puts(q, " AND (i.language = $1 OR i.language "
		    "LIKE $1 || '-%')");
	if (f->type != NULL)
		rc |= mb_buf_puts(q, " AND i.type = $2");
	if (f->profile != NULL)
		rc |= mb_buf_puts(q, " AND i.profile = $3");
	if (f->center != NULL)
		rc |= mb_buf_puts(q, " AND i.center = $4");
	if (f->topic != NULL)
		rc |= mb_buf_puts(q, " AND EXISTS (SELECT 1 FROM item_topics "
		    "tp WHERE tp.topic = lower($5) AND tp.item_id = i.id)");
	if (f->country != NULL)
		rc |= mb_buf_puts(q, " AND i.center IN (SELECT id FROM centers "
		    "WHERE country = $6)");
	if (f->before_ms > 0)
		rc |= mb_buf_puts(q, " AND i.first_ms < $7");
	if (f->cursor_seq > 0)
		rc |= mb_buf_puts(q, " AND (i.first_ms < $8 OR (i.first_ms = "
		    "$8 AND i.seq < $9))");
	if (!f->all) {
		rc |= mb_buf_puts(q, " AND ((i.workflow = 'published' AND "
		    "i.pub_status = 'usable' AND i.embargo_ms <= $10 AND "
		    "((CASE i.audience WHEN 'public' THEN 1 WHEN 'network' "
		    "THEN 2 ELSE 4 END) & $11) != 0)");
		if (f->author_id != 0)
			rc |= mb_buf_puts(q, " OR EXISTS (SELECT 1 FROM "
			    "item_authors a WHERE a.uri = i.uri AND "
			    "a.user_id = $12)");
		rc |= mb_buf_puts(q, ")");
	}
	rc |= mb_buf_puts(q, " ORDER BY i.first_ms DESC, i.seq DESC "
	    "LIMIT $13");
	return rc != 0 ? MB_ERR_NOMEM : MB_OK;
}

int
mb_pg_list(struct mb_pg *pg, const struct mb_store_filter *f,
    mb_store_version_cb cb, void *arg, struct mb_diag *d)
{
	struct mb_store_version	 v;
	struct mb_pg_params	 p;
	struct mb_pg_res	*r;
	struct mb_buf		 q = MB_BUF_INIT;
	int			 rc;

	if (f->limit < 1 || f->limit > 1000)
		return mb_diag_set(d, MB_ERR_INVAL,
		    "limit: must be from 1 to 1000");
	if ((rc = build_list(&q, f)) != MB_OK) {
		mb_buf_free(&q);
		return rc;
	}
	p.n = 0;
	mb_pg__p_text(&p, f->language);
	mb_pg__p_text(&p, f->type);
	mb_pg__p_text(&p, f->profile);
	mb_pg__p_text(&p, f->center);
	mb_pg__p_text(&p, f->topic);
	mb_pg__p_text(&p, f->country);
	mb_pg__p_int(&p, f->before_ms);
	mb_pg__p_int(&p, f->cursor_first_ms);
	mb_pg__p_int(&p, f->cursor_seq);
	mb_pg__p_int(&p, f->now_ms);
	mb_pg__p_int(&p, f->audiences);
	mb_pg__p_int(&p, f->author_id);
	mb_pg__p_int(&p, f->limit);
	rc = mb_pg__run(pg, mb_buf_cstr(&q), &p, false, &r, d);
	mb_buf_free(&q);
	if (rc != MB_OK)
		return rc;
	for (int i = 0; i < mb_pg__nrows(r); i++) {
		mb_pg__row_version(r, i, 0, &v);
		if ((rc = cb(&v, arg)) != MB_OK)
			break;
	}
	mb_pg__free(r);
	return rc > 0 ? MB_OK : rc;
}

/* ---- media ---------------------------------------------------------- */

int
mb_pg_blob_put(struct mb_pg *pg, const char *hash, const char *mime,
    int64_t size, int64_t now_ms, struct mb_diag *d)
{
	struct mb_pg_params p;

	p.n = 0;
	mb_pg__p_text(&p, hash);
	mb_pg__p_text(&p, mime);
	mb_pg__p_int(&p, size);
	mb_pg__p_int(&p, now_ms);
	return mb_pg__run(pg, "INSERT INTO media_blobs (hash, mime, size, "
	    "created_ms) VALUES ($1, $2, $3, $4) ON CONFLICT (hash) DO UPDATE "
	    "SET created_ms = greatest(media_blobs.created_ms, "
	    "excluded.created_ms)", &p, false, NULL, d);
}

int
mb_pg_blob_get(struct mb_pg *pg, const char *hash, struct mb_store_blob *out,
    struct mb_diag *d)
{
	struct mb_store_blob	 b;
	struct mb_pg_params	 p;
	struct mb_pg_res	*r;
	int			 rc;

	p.n = 0;
	mb_pg__p_text(&p, hash);
	if ((rc = mb_pg__run(pg, "SELECT b.mime, b.size, b.created_ms, "
	    "(SELECT count(*) FROM media_refs r WHERE r.hash = $1), "
	    "(SELECT min(origin COLLATE \"C\") FROM media_refs r "
	    "WHERE r.hash = $1) FROM media_blobs b WHERE b.hash = $1 "
	    "UNION ALL SELECT max(r.mime), max(r.size), 0, count(*), "
	    "min(r.origin COLLATE \"C\") FROM media_refs r WHERE r.hash = $1 "
	    "AND NOT EXISTS (SELECT 1 FROM media_blobs b WHERE b.hash = $1) "
	    "GROUP BY r.hash", &p, false, &r, d)) != MB_OK)
		return rc;
	if (mb_pg__nrows(r) == 0) {
		mb_pg__free(r);
		return mb_diag_set(d, MB_ERR_NOTFOUND, "no blob %s", hash);
	}
	memset(&b, 0, sizeof(b));
	snprintf(b.hash, sizeof(b.hash), "%s", hash);
	mb_pg__copy(b.mime, sizeof(b.mime), r, 0, 0);
	b.size = mb_pg__i64(r, 0, 1);
	b.created_ms = mb_pg__i64(r, 0, 2);
	b.refs = mb_pg__i64(r, 0, 3);
	mb_pg__copy(b.origin, sizeof(b.origin), r, 0, 4);
	b.here = b.created_ms != 0;
	mb_pg__free(r);
	*out = b;
	return MB_OK;
}

int
mb_pg_blob_delete(struct mb_pg *pg, const char *hash, int64_t before_ms,
    bool *deleted, struct mb_diag *d)
{
	struct mb_pg_params	 p;
	struct mb_pg_res	*r;
	int			 rc;

	p.n = 0;
	mb_pg__p_text(&p, hash);
	mb_pg__p_int(&p, before_ms);
	if ((rc = mb_pg__run(pg, "DELETE FROM media_blobs WHERE hash = $1 AND "
	    "created_ms < $2 AND NOT EXISTS (SELECT 1 FROM media_refs r "
	    "WHERE r.hash = $1)", &p, false, &r, d)) != MB_OK)
		return rc;
	*deleted = mb_pg__affected(r) > 0;
	mb_pg__free(r);
	return MB_OK;
}

int
mb_pg_blob_refs_set(struct mb_pg *pg, const char *uri, const char *origin,
    const struct mb_store_blob_ref *refs, size_t n, struct mb_diag *d)
{
	struct mb_pg_params	p;
	bool			own = !mb_pg__in_txn(pg);
	int			rc;

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
		return mb_pg_commit(pg, d);
	return MB_OK;
fail:
	if (own)
		mb_pg_rollback(pg);
	return rc;
}

int
mb_pg_blob_cursor(struct mb_pg *pg, int64_t *seq, struct mb_diag *d)
{
	struct mb_pg_res	*r;
	int			 rc;

	if ((rc = mb_pg__run(pg, "SELECT v FROM media_state WHERE "
	    "k = 'cursor'", NULL, false, &r, d)) != MB_OK)
		return rc;
	*seq = mb_pg__nrows(r) > 0 ? mb_pg__i64(r, 0, 0) : 0;
	mb_pg__free(r);
	return MB_OK;
}

int
mb_pg_blob_cursor_set(struct mb_pg *pg, int64_t seq, struct mb_diag *d)
{
	struct mb_pg_params p;

	p.n = 0;
	mb_pg__p_int(&p, seq);
	return mb_pg__run(pg, "INSERT INTO media_state (k, v) VALUES "
	    "('cursor', $1) ON CONFLICT (k) DO UPDATE SET v = excluded.v", &p,
	    false, NULL, d);
}

int
mb_pg_blob_unused(struct mb_pg *pg, int64_t before_ms,
    int (*cb)(const struct mb_store_blob *b, void *arg), void *arg,
    struct mb_diag *d)
{
	struct mb_store_blob	 b;
	struct mb_pg_params	 p;
	struct mb_pg_res	*r;
	int			 rc;

	p.n = 0;
	mb_pg__p_int(&p, before_ms);
	if ((rc = mb_pg__run(pg, "SELECT hash, mime, size, created_ms FROM "
	    "media_blobs b WHERE created_ms < $1 AND NOT EXISTS (SELECT 1 "
	    "FROM media_refs r WHERE r.hash = b.hash) ORDER BY hash "
	    "COLLATE \"C\"", &p, false, &r, d)) != MB_OK)
		return rc;
	for (int i = 0; i < mb_pg__nrows(r); i++) {
		memset(&b, 0, sizeof(b));
		mb_pg__copy(b.hash, sizeof(b.hash), r, i, 0);
		mb_pg__copy(b.mime, sizeof(b.mime), r, i, 1);
		b.size = mb_pg__i64(r, i, 2);
		b.created_ms = mb_pg__i64(r, i, 3);
		b.here = true;
		if ((rc = cb(&b, arg)) != MB_OK)
			break;
	}
	mb_pg__free(r);
	return rc > 0 ? MB_OK : rc;
}

int
mb_pg_blob_wanted(struct mb_pg *pg, int64_t limit,
    int (*cb)(const struct mb_store_blob *b, const char *origin, void *arg),
    void *arg, struct mb_diag *d)
{
	struct mb_store_blob	 b;
	struct mb_pg_params	 p;
	struct mb_pg_res	*r;
	char			 origin[33];
	int			 rc;

	p.n = 0;
	if (limit > 0)
		mb_pg__p_int(&p, limit);
	else
		mb_pg__p_text(&p, NULL);
	if ((rc = mb_pg__run(pg, "SELECT hash, max(mime), max(size), count(*), "
	    "min(origin COLLATE \"C\") FROM media_refs r WHERE NOT EXISTS "
	    "(SELECT 1 FROM media_blobs b WHERE b.hash = r.hash) GROUP BY hash "
	    "ORDER BY hash COLLATE \"C\" LIMIT $1::bigint", &p, false, &r,
	    d)) != MB_OK)
		return rc;
	for (int i = 0; i < mb_pg__nrows(r); i++) {
		memset(&b, 0, sizeof(b));
		mb_pg__copy(b.hash, sizeof(b.hash), r, i, 0);
		mb_pg__copy(b.mime, sizeof(b.mime), r, i, 1);
		b.size = mb_pg__i64(r, i, 2);
		b.refs = mb_pg__i64(r, i, 3);
		mb_pg__copy(origin, sizeof(origin), r, i, 4);
		if ((rc = cb(&b, origin, arg)) != MB_OK)
			break;
	}
	mb_pg__free(r);
	return rc > 0 ? MB_OK : rc;
}
