/* SPDX-License-Identifier: MIT */
/* The PostgreSQL backend's aliases, centers, and its part of the exchange: peers, cursors, the registry. */
#include "pg_int.h"

#include "base/timeutil.h"

/*
 * Text is ordered by bytes (COLLATE "C"), as SQLite orders it, whatever
 * the database's collation: listings agree across backends. Centers are
 * read per verified item: their statement is prepared once.
 */

int
mb_pg_alias_get(struct mb_store *st, const char *key, struct mb_buf *uri,
    struct mb_diag *d)
{
	struct mb_pg_params	p;
	struct mb_pg_rows	r;
	int			rc;

	p.n = 0;
	mb_pg__p_text(&p, key);
	if ((rc = mb_pg__query(PG(st), "SELECT uri FROM aliases WHERE "
	    "key = $1", &p, false, &r, d)) != MB_OK)
		return rc;
	if (mb_pg__next(&r, NULL, NULL)) {
		mb_buf_reset(uri);
		rc = mb_buf_puts(uri, mb_pg__str(r.res, r.row, 0));
	} else {
		rc = MB_ERR_NOTFOUND;
	}
	return mb_pg__end(&r, rc);
}

int
mb_pg_alias_put(struct mb_store *st, const char *key, const char *uri,
    struct mb_diag *d)
{
	struct mb_pg_params p;

	p.n = 0;
	mb_pg__p_text(&p, key);
	mb_pg__p_text(&p, uri);
	return mb_pg__run(PG(st), "INSERT INTO aliases (key, uri) VALUES ($1, "
	    "$2) ON CONFLICT (key) DO UPDATE SET uri = excluded.uri", &p,
	    false, NULL, d);
}

int
mb_pg_center_put(struct mb_store *st, const struct mb_center *c,
    struct mb_diag *d)
{
	struct mb_pg_params	p;
	int			rc;

	/* The key it replaces is kept, and whether it was revoked. */
	p.n = 0;
	mb_pg__p_text(&p, c->id);
	mb_pg__p_bytes(&p, c->key, sizeof(c->key));
	mb_pg__p_int(&p, mb_time_now_ms());
	if ((rc = mb_pg__run(PG(st), "INSERT INTO center_keys (id, key, "
	    "until_ms, revoked) SELECT id, key, $3::bigint, CASE WHEN status = "
	    "'revoked' THEN 1 ELSE 0 END FROM centers WHERE id = $1 AND key "
	    "<> $2 ON CONFLICT (id, key) DO UPDATE SET until_ms = "
	    "GREATEST(center_keys.until_ms, excluded.until_ms), revoked = "
	    "GREATEST(center_keys.revoked, excluded.revoked)", &p, false,
	    NULL, d)) != MB_OK)
		return rc;
	p.n = 0;
	mb_pg__p_text(&p, c->id);
	mb_pg__p_text(&p, c->name);
	mb_pg__p_text(&p, c->country);
	mb_pg__p_text(&p, c->languages);
	mb_pg__p_text(&p, c->url);
	mb_pg__p_bytes(&p, c->key, sizeof(c->key));
	mb_pg__p_text(&p, c->role);
	mb_pg__p_text(&p, c->status);
	mb_pg__p_int(&p, c->updated_ms ? c->updated_ms : mb_time_now_ms());
	mb_pg__p_text(&p, c->names);
	mb_pg__p_text(&p, c->mt_pairs);
	return mb_pg__run(PG(st), "INSERT INTO centers (id, name, country, "
	    "languages, url, key, role, status, updated_ms, names, mt_pairs) "
	    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) "
	    "ON CONFLICT (id) DO UPDATE SET "
	    "name = excluded.name, country = excluded.country, "
	    "languages = excluded.languages, url = excluded.url, "
	    "key = excluded.key, role = excluded.role, "
	    "status = excluded.status, updated_ms = excluded.updated_ms, "
	    "names = excluded.names, mt_pairs = excluded.mt_pairs", &p,
	    false, NULL, d);
}

int
mb_pg_center_keys(struct mb_store *st, const char *id,
    int (*cb)(const struct mb_center_key *k, void *arg), void *arg,
    struct mb_diag *d)
{
	struct mb_center_key	k;
	struct mb_pg_params	p;
	struct mb_pg_rows	r;
	int			rc;

	p.n = 0;
	mb_pg__p_text(&p, id);
	if ((rc = mb_pg__query(PG(st), "SELECT " MB_STORE_CENTER_KEY_COLS
	    " FROM center_keys WHERE id = $1 ORDER BY until_ms DESC", &p,
	    false, &r, d)) != MB_OK)
		return rc;
	while (rc == MB_OK && mb_pg__next(&r, &mb_store__center_key_cols, &k))
		rc = cb(&k, arg);
	return mb_pg__end(&r, rc);
}

int
mb_pg_center_key_users(struct mb_store *st, const unsigned char key[32],
    int (*cb)(const struct mb_center_key *k, void *arg), void *arg,
    struct mb_diag *d)
{
	struct mb_center_key	k;
	struct mb_pg_params	p;
	struct mb_pg_rows	r;
	int			rc;

	p.n = 0;
	mb_pg__p_bytes(&p, key, 32);
	if ((rc = mb_pg__query(PG(st), "SELECT id, key, 0::bigint, CASE WHEN "
	    "status = 'revoked' THEN 1 ELSE 0 END FROM centers WHERE key = $1 "
	    "UNION ALL SELECT " MB_STORE_CENTER_KEY_COLS " FROM center_keys "
	    "WHERE key = $1", &p, false, &r, d)) != MB_OK)
		return rc;
	while (rc == MB_OK && mb_pg__next(&r, &mb_store__center_key_cols, &k))
		rc = cb(&k, arg);
	return mb_pg__end(&r, rc);
}

static const char SQL_CENTER_GET[] = "SELECT " MB_STORE_CENTER_COLS
    " FROM centers WHERE id = $1";

int
mb_pg_center_get(struct mb_store *st, const char *id, struct mb_center *out,
    struct mb_diag *d)
{
	struct mb_pg_params	p;
	int			rc;

	p.n = 0;
	mb_pg__p_text(&p, id);
	if ((rc = mb_pg__one(PG(st), SQL_CENTER_GET, &p, true,
	    &mb_store__center_cols, out, d)) == MB_ERR_NOTFOUND)
		return mb_diag_set(d, rc, "center %s: unknown", id);
	return rc;
}

int
mb_pg_center_list(struct mb_store *st,
    int (*cb)(const struct mb_center *c, void *arg), void *arg,
    struct mb_diag *d)
{
	struct mb_pg_rows	r;
	struct mb_center	c;
	int			rc;

	if ((rc = mb_pg__query(PG(st), "SELECT " MB_STORE_CENTER_COLS
	    " FROM centers ORDER BY id COLLATE \"C\"", NULL, false, &r, d)) !=
	    MB_OK)
		return rc;
	while (rc == MB_OK && mb_pg__next(&r, &mb_store__center_cols, &c))
		rc = cb(&c, arg);
	return mb_pg__end(&r, rc);
}

int
mb_pg_peer_put(struct mb_store *st, const char *center, const char *url,
    int manual, struct mb_diag *d)
{
	struct mb_pg_params p;

	p.n = 0;
	mb_pg__p_text(&p, center);
	mb_pg__p_text(&p, url);
	mb_pg__p_int(&p, manual ? 1 : 0);
	return mb_pg__run(PG(st), "INSERT INTO peers (center, url, manual) "
	    "VALUES ($1, $2, $3) ON CONFLICT (center) DO UPDATE SET "
	    "url = excluded.url, manual = greatest(peers.manual, "
	    "excluded.manual)", &p, false, NULL, d);
}

int
mb_pg_peer_get(struct mb_store *st, const char *center, struct mb_peer *out,
    struct mb_diag *d)
{
	struct mb_pg_params	p;
	int			rc;

	p.n = 0;
	mb_pg__p_text(&p, center);
	if ((rc = mb_pg__one(PG(st), "SELECT " MB_STORE_PEER_COLS " FROM peers "
	    "WHERE center = $1", &p, false, &mb_store__peer_cols, out, d)) ==
	    MB_ERR_NOTFOUND)
		return mb_diag_set(d, rc, "no peer %s", center);
	return rc;
}

int
mb_pg_peer_list(struct mb_store *st,
    int (*cb)(const struct mb_peer *p, void *arg), void *arg,
    struct mb_diag *d)
{
	struct mb_pg_rows	r;
	struct mb_peer		p;
	int			rc;

	if ((rc = mb_pg__query(PG(st), "SELECT " MB_STORE_PEER_COLS " FROM "
	    "peers ORDER BY center COLLATE \"C\"", NULL, false, &r, d)) !=
	    MB_OK)
		return rc;
	while (rc == MB_OK && mb_pg__next(&r, &mb_store__peer_cols, &p))
		rc = cb(&p, arg);
	return mb_pg__end(&r, rc);
}

int
mb_pg_peer_advance(struct mb_store *st, const char *center, int64_t cursor,
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
	if ((rc = mb_pg__run(PG(st), "UPDATE peers SET cursor = "
	    "greatest(cursor, $2), received = received + $3, refused = "
	    "refused + $4, last_ok_ms = $5, last_error = '' WHERE center = $1",
	    &p, false, &r, d)) != MB_OK)
		return rc;
	if (mb_pg__affected(r) == 0)
		rc = mb_diag_set(d, MB_ERR_NOTFOUND, "no peer %s", center);
	mb_pg__free(r);
	return rc;
}

int
mb_pg_peer_fail(struct mb_store *st, const char *center, const char *error,
    int64_t now_ms, struct mb_diag *d)
{
	struct mb_pg_params p;

	p.n = 0;
	mb_pg__p_text(&p, center);
	mb_pg__p_int(&p, now_ms);
	mb_pg__p_text(&p, error);
	return mb_pg__run(PG(st), "UPDATE peers SET last_err_ms = $2, "
	    "last_error = substr($3, 1, 255) WHERE center = $1", &p, false,
	    NULL, d);
}

int
mb_pg_registry_get(struct mb_store *st, int64_t *version,
    struct mb_buf *doc, struct mb_diag *d)
{
	struct mb_pg_rows	 r;
	const char		*b;
	size_t			 n;
	int			 rc;

	/* The version alone (the page cache's waker asks every second). */
	if ((rc = mb_pg__query(PG(st), doc != NULL ? "SELECT version, "
	    "document FROM registry WHERE id = 1" : "SELECT version, "
	    "''::bytea FROM registry WHERE id = 1", NULL, false, &r, d)) !=
	    MB_OK)
		return rc;
	if (!mb_pg__next(&r, NULL, NULL)) {
		rc = mb_diag_set(d, MB_ERR_NOTFOUND, "no registry yet");
	} else {
		b = mb_pg__bytes(r.res, r.row, 1, &n);
		if (doc != NULL && mb_buf_append(doc, b, n) != MB_OK)
			rc = MB_ERR_NOMEM;
		else if (version != NULL)
			*version = mb_pg__i64(r.res, r.row, 0);
	}
	return mb_pg__end(&r, rc);
}

int
mb_pg_registry_put(struct mb_store *st, int64_t version, const char *doc,
    size_t len, struct mb_diag *d)
{
	struct mb_pg_params p;

	p.n = 0;
	mb_pg__p_int(&p, version);
	mb_pg__p_bytes(&p, doc, len);
	return mb_pg__run(PG(st), "INSERT INTO registry (id, version, "
	    "document) VALUES (1, $1, $2) ON CONFLICT (id) DO UPDATE SET "
	    "version = excluded.version, document = excluded.document", &p,
	    false, NULL, d);
}

int
mb_pg_last_seq(struct mb_store *st, int64_t *seq, struct mb_diag *d)
{
	struct mb_pg_rows	r;
	int			rc;

	/* The counter, not max(seq): it is the committed end of the log. */
	if ((rc = mb_pg__query(PG(st), "SELECT seq FROM log_counter WHERE "
	    "id = 1", NULL, true, &r, d)) != MB_OK)
		return rc;
	*seq = mb_pg__next(&r, NULL, NULL) ? mb_pg__i64(r.res, r.row, 0) : 0;
	return mb_pg__end(&r, MB_OK);
}
