/* SPDX-License-Identifier: MIT */
/* The SQLite backend's part of the exchange: peers, cursors and the registry. */
#include "sqlite_int.h"

#include <stdio.h>
#include <string.h>

/*
 * These run a few times per pulled batch, not per item: each prepares its
 * statement on the spot rather than taking a slot in the shared cache.
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

int
mb_store_peer_put(struct mb_store *st, const char *center, const char *url,
    int manual, struct mb_diag *d)
{
	sqlite3_stmt	*s;
	int		 rc;

	if (st->pg != NULL)
		return mb_pg_peer_put(st->pg, center, url, manual, d);
	if ((rc = prepare(st, "INSERT INTO peers (center, url, manual) "
	    "VALUES (?1, ?2, ?3) ON CONFLICT (center) DO UPDATE SET "
	    "url = excluded.url, manual = max(manual, excluded.manual)", &s,
	    d)) != MB_OK)
		return rc;
	sqlite3_bind_text(s, 1, center, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, url, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 3, manual ? 1 : 0);
	return step_done(st, s, "peer put", d);
}

static void
copy_text(char *dst, size_t n, sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);

	snprintf(dst, n, "%s", t != NULL ? (const char *)t : "");
}

static void
row_to_peer(sqlite3_stmt *s, struct mb_peer *p)
{
	memset(p, 0, sizeof(*p));
	copy_text(p->center, sizeof(p->center), s, 0);
	copy_text(p->url, sizeof(p->url), s, 1);
	p->manual = sqlite3_column_int(s, 2);
	p->cursor = sqlite3_column_int64(s, 3);
	p->last_ok_ms = sqlite3_column_int64(s, 4);
	p->last_err_ms = sqlite3_column_int64(s, 5);
	copy_text(p->last_error, sizeof(p->last_error), s, 6);
	p->received = sqlite3_column_int64(s, 7);
	p->refused = sqlite3_column_int64(s, 8);
}

#define PEER_COLS "center, url, manual, cursor, last_ok_ms, last_err_ms, " \
	"last_error, received, refused"

int
mb_store_peer_get(struct mb_store *st, const char *center,
    struct mb_peer *out, struct mb_diag *d)
{
	sqlite3_stmt	*s;
	int		 rc;

	if (st->pg != NULL)
		return mb_pg_peer_get(st->pg, center, out, d);
	if ((rc = prepare(st, "SELECT " PEER_COLS " FROM peers WHERE "
	    "center = ?1", &s, d)) != MB_OK)
		return rc;
	sqlite3_bind_text(s, 1, center, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		row_to_peer(s, out);
		rc = MB_OK;
	} else if (rc == SQLITE_DONE) {
		rc = mb_diag_set(d, MB_ERR_NOTFOUND, "no peer %s", center);
	} else {
		rc = mb_sqlite_err(st, d, "peer get");
	}
	sqlite3_finalize(s);
	return rc;
}

int
mb_store_peer_list(struct mb_store *st,
    int (*cb)(const struct mb_peer *p, void *arg), void *arg,
    struct mb_diag *d)
{
	struct mb_peer	 p;
	sqlite3_stmt	*s;
	int		 rc;

	if (st->pg != NULL)
		return mb_pg_peer_list(st->pg, cb, arg, d);
	if ((rc = prepare(st, "SELECT " PEER_COLS " FROM peers ORDER BY "
	    "center", &s, d)) != MB_OK)
		return rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		row_to_peer(s, &p);
		if ((rc = cb(&p, arg)) != MB_OK) {
			sqlite3_finalize(s);
			return rc > 0 ? MB_OK : rc;
		}
	}
	if (rc != SQLITE_DONE)
		rc = mb_sqlite_err(st, d, "peer list");
	else
		rc = MB_OK;
	sqlite3_finalize(s);
	return rc;
}

int
mb_store_peer_advance(struct mb_store *st, const char *center,
    int64_t cursor, int64_t received, int64_t refused, int64_t now_ms,
    struct mb_diag *d)
{
	sqlite3_stmt	*s;
	int		 rc;

	if (st->pg != NULL)
		return mb_pg_peer_advance(st->pg, center, cursor, received,
		    refused, now_ms, d);
	if ((rc = prepare(st, "UPDATE peers SET cursor = max(cursor, ?2), "
	    "received = received + ?3, refused = refused + ?4, "
	    "last_ok_ms = ?5, last_error = '' WHERE center = ?1", &s, d)) !=
	    MB_OK)
		return rc;
	sqlite3_bind_text(s, 1, center, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, cursor);
	sqlite3_bind_int64(s, 3, received);
	sqlite3_bind_int64(s, 4, refused);
	sqlite3_bind_int64(s, 5, now_ms);
	if ((rc = step_done(st, s, "peer advance", d)) != MB_OK)
		return rc;
	if (sqlite3_changes(st->db) == 0)
		return mb_diag_set(d, MB_ERR_NOTFOUND, "no peer %s", center);
	return MB_OK;
}

int
mb_store_peer_fail(struct mb_store *st, const char *center,
    const char *error, int64_t now_ms, struct mb_diag *d)
{
	sqlite3_stmt	*s;
	int		 rc;

	if (st->pg != NULL)
		return mb_pg_peer_fail(st->pg, center, error, now_ms, d);
	if ((rc = prepare(st, "UPDATE peers SET last_err_ms = ?2, "
	    "last_error = substr(?3, 1, 255) WHERE center = ?1", &s, d)) !=
	    MB_OK)
		return rc;
	sqlite3_bind_text(s, 1, center, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, now_ms);
	sqlite3_bind_text(s, 3, error, -1, SQLITE_STATIC);
	return step_done(st, s, "peer fail", d);
}

int
mb_store_registry_get(struct mb_store *st, int64_t *version,
    struct mb_buf *doc, struct mb_diag *d)
{
	sqlite3_stmt	*s;
	int		 rc;

	if (st->pg != NULL)
		return mb_pg_registry_get(st->pg, version, doc, d);
	if ((rc = prepare(st, "SELECT version, document FROM registry "
	    "WHERE id = 1", &s, d)) != MB_OK)
		return rc;
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		rc = MB_OK;
		if (doc != NULL && mb_buf_append(doc,
		    sqlite3_column_blob(s, 1),
		    (size_t)sqlite3_column_bytes(s, 1)) != MB_OK)
			rc = MB_ERR_NOMEM;
		else if (version != NULL)
			*version = sqlite3_column_int64(s, 0);
	} else if (rc == SQLITE_DONE) {
		rc = mb_diag_set(d, MB_ERR_NOTFOUND, "no registry yet");
	} else {
		rc = mb_sqlite_err(st, d, "registry get");
	}
	sqlite3_finalize(s);
	return rc;
}

int
mb_store_registry_put(struct mb_store *st, int64_t version, const char *doc,
    size_t len, struct mb_diag *d)
{
	sqlite3_stmt	*s;
	int		 rc;

	if (st->pg != NULL)
		return mb_pg_registry_put(st->pg, version, doc, len, d);
	if ((rc = prepare(st, "INSERT INTO registry (id, version, document) "
	    "VALUES (1, ?1, ?2) ON CONFLICT (id) DO UPDATE SET "
	    "version = excluded.version, document = excluded.document", &s,
	    d)) != MB_OK)
		return rc;
	sqlite3_bind_int64(s, 1, version);
	sqlite3_bind_blob(s, 2, doc, (int)len, SQLITE_STATIC);
	return step_done(st, s, "registry put", d);
}

int
mb_store_last_seq(struct mb_store *st, int64_t *seq, struct mb_diag *d)
{
	sqlite3_stmt	*s;
	int		 rc;

	if (st->pg != NULL)
		return mb_pg_last_seq(st->pg, seq, d);
	if ((rc = prepare(st, "SELECT coalesce(max(seq), 0) FROM versions",
	    &s, d)) != MB_OK)
		return rc;
	if (sqlite3_step(s) != SQLITE_ROW) {
		rc = mb_sqlite_err(st, d, "last seq");
		sqlite3_finalize(s);
		return rc;
	}
	*seq = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return MB_OK;
}
