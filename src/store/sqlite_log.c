/* SPDX-License-Identifier: MIT */
/* The SQLite backend's items and log: put, get, the log, stats, checks, the index queue. */
#include "sqlite_int.h"

#include <stdio.h>
#include <string.h>

#include "base/log.h"
#include "base/timeutil.h"

static void
bind_item_facts(sqlite3_stmt *s, const struct mb_store_version *v,
    int64_t seq)
{
	sqlite3_bind_int64(s, 2, seq);
	sqlite3_bind_int64(s, 3, v->version);
	sqlite3_bind_text(s, 4, v->center, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, v->audience, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 6, v->pub_status, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 7, v->workflow, -1, SQLITE_STATIC);
	mb_sqlite__bind_text(s, 8, v->language);
	mb_sqlite__bind_text(s, 9, v->type);
	mb_sqlite__bind_text(s, 10, v->profile);
	sqlite3_bind_int64(s, 11, v->embargo_ms);
	sqlite3_bind_int64(s, 12, v->created_ms);
	sqlite3_bind_int64(s, 13, v->first_ms);
}

/*
 * Takes item_id's words out of the index, while the view fts_text still
 * shows the text they came from (sqlite_fts_text.c): before the item
 * points at another version or is queued. Nothing for an item that is
 * not in the index (new, or queued: the view leaves it out).
 */
static int
unindex_item(struct mb_sqlite *sq, int64_t item_id, struct mb_diag *d)
{
	sqlite3_stmt *s;

	if ((s = mb_sqlite_stmt(sq, STMT_FTS_DELETE, d)) == NULL)
		return MB_ERR_STORE;
	sqlite3_bind_int64(s, 1, item_id);
	if (sqlite3_step(s) != SQLITE_DONE)
		return mb_sqlite_err(sq, d, "index");
	return MB_OK;
}

/*
 * Indexes the text of item_id, which is not in the index (unindex_item()
 * took its old words out): t must be the text the view derives for it.
 */
static int
index_item(struct mb_sqlite *sq, int64_t item_id,
    const struct mb_store_text *t, struct mb_diag *d)
{
	struct mb_buf	*h = &sq->fts_h, *b = &sq->fts_b;
	sqlite3_stmt	*s;
	int		 rc = MB_OK;

	if (mb_sqlite__marked(h, t->language, t->headline) != MB_OK ||
	    mb_sqlite__marked(b, t->language, t->body) != MB_OK)
		return mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
	if ((s = mb_sqlite_stmt(sq, STMT_FTS_INSERT, d)) == NULL)
		return MB_ERR_STORE;
	sqlite3_bind_int64(s, 1, item_id);
	sqlite3_bind_text(s, 2, h->data, (int)h->len, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, b->data, (int)b->len, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_DONE)
		rc = mb_sqlite_err(sq, d, "index");
	sqlite3_reset(s);
	/* One item's text is 3-4 KB; keep the buffers unless it was huge. */
	if (h->cap > 65536)
		mb_buf_free(h);
	if (b->cap > 65536)
		mb_buf_free(b);
	return rc;
}

static int
put_locked(struct mb_sqlite *sq, const struct mb_store_version *v,
    const struct mb_store_text *text, int64_t *seq_out, struct mb_diag *d)
{
	sqlite3_stmt	*s;
	int64_t		 seq, item_id = 0, cur_version = 0;
	int		 found = 0, rc;
	bool		 has;
	const void	*stored;
	size_t		 stored_len;

	/*
	 * Look first rather than let the insert conflict: a conflicting
	 * insert would still use up a sequence number.
	 */
	if ((rc = mb_sqlite_has(&sq->base, v->uri, v->version, &has, d)) !=
	    MB_OK)
		return rc;
	if (has)
		return MB_ERR_EXISTS;
	/* Stored compressed (sqlite_zenv.c); v keeps the envelope itself. */
	if ((rc = mb_sqlite_zenv_pack(sq, v, &stored, &stored_len, d)) !=
	    MB_OK)
		return rc;
	if ((s = mb_sqlite_stmt(sq, STMT_VERSION_INSERT, d)) == NULL)
		return MB_ERR_STORE;
	sqlite3_bind_text(s, 1, v->uri, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, v->version);
	sqlite3_bind_text(s, 3, v->center, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, v->local, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, v->origin, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 6, v->audience, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 7, v->pub_status, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 8, v->workflow, -1, SQLITE_STATIC);
	mb_sqlite__bind_text(s, 9, v->language);
	mb_sqlite__bind_text(s, 10, v->type);
	mb_sqlite__bind_text(s, 11, v->profile);
	mb_sqlite__bind_text(s, 12, v->headline);
	sqlite3_bind_int64(s, 13, v->embargo_ms);
	sqlite3_bind_int64(s, 14, v->created_ms);
	sqlite3_bind_int64(s, 15, v->first_ms);
	sqlite3_bind_int64(s, 16, v->received_ms ? v->received_ms :
	    mb_time_now_ms());
	sqlite3_bind_blob(s, 17, stored, (int)stored_len, SQLITE_STATIC);
	mb_sqlite__bind_text(s, 18, v->via);
	if (sqlite3_step(s) != SQLITE_DONE)
		return mb_sqlite_err(sq, d, "put");
	sqlite3_reset(s);
	seq = sqlite3_last_insert_rowid(sq->db);

	if ((s = mb_sqlite_stmt(sq, STMT_ITEM_FIND, d)) == NULL)
		return MB_ERR_STORE;
	sqlite3_bind_text(s, 1, v->uri, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		found = 1;
		item_id = sqlite3_column_int64(s, 0);
		cur_version = sqlite3_column_int64(s, 1);
	} else if (rc != SQLITE_DONE) {
		return mb_sqlite_err(sq, d, "put");
	}
	sqlite3_reset(s);
	if (found && cur_version > v->version) {
		/* An older version arriving late: kept, not current. */
		*seq_out = seq;
		return MB_OK;
	}
	if (found && (rc = unindex_item(sq, item_id, d)) != MB_OK)
		return rc;
	s = mb_sqlite_stmt(sq, found ? STMT_ITEM_UPDATE : STMT_ITEM_INSERT,
	    d);
	if (s == NULL)
		return MB_ERR_STORE;
	if (found)
		sqlite3_bind_int64(s, 1, item_id);
	else
		sqlite3_bind_text(s, 1, v->uri, -1, SQLITE_STATIC);
	bind_item_facts(s, v, seq);
	if (sqlite3_step(s) != SQLITE_DONE)
		return mb_sqlite_err(sq, d, "put");
	sqlite3_reset(s);
	if (!found)
		item_id = sqlite3_last_insert_rowid(sq->db);
	if ((rc = mb_sqlite_search_put(sq, item_id, !found, v, d)) != MB_OK)
		return rc;
	if (text != NULL) {
		if ((rc = index_item(sq, item_id, text, d)) != MB_OK)
			return rc;
		if (found) {
			if ((s = mb_sqlite_stmt(sq, STMT_PENDING_DELETE, d)) ==
			    NULL)
				return MB_ERR_STORE;
			sqlite3_bind_int64(s, 1, item_id);
			if (sqlite3_step(s) != SQLITE_DONE)
				return mb_sqlite_err(sq, d, "put");
		}
	} else {
		if ((s = mb_sqlite_stmt(sq, STMT_PENDING_INSERT, d)) == NULL)
			return MB_ERR_STORE;
		sqlite3_bind_int64(s, 1, item_id);
		if (sqlite3_step(s) != SQLITE_DONE)
			return mb_sqlite_err(sq, d, "put");
	}
	*seq_out = seq;
	return MB_OK;
}

int
mb_sqlite_put(struct mb_store *st, const struct mb_store_version *v,
    const struct mb_store_text *text, int64_t *seq, struct mb_diag *d)
{
	struct mb_sqlite	*sq = SQ(st);
	int64_t			 s = 0;
	int			 own, rc;

	if ((rc = mb_sqlite__auto_begin(sq, &own, d)) != MB_OK)
		return rc;
	rc = put_locked(sq, v, text, &s, d);
	/* EXISTS changed nothing: commit the (empty) transaction anyway. */
	if (rc == MB_ERR_EXISTS) {
		if (own && mb_sqlite_commit(st, d) != MB_OK)
			return MB_ERR_STORE;
		return MB_ERR_EXISTS;
	}
	if ((rc = mb_sqlite__auto_end(sq, own, rc, d)) == MB_OK)
		*seq = s;
	return rc;
}

static const char *
col_text(sqlite3_stmt *s, int i)
{
	return (const char *)sqlite3_column_text(s, i);
}

int
mb_sqlite__row_version(struct mb_sqlite *sq, sqlite3_stmt *s, int at,
    struct mb_store_version *v, struct mb_buf *scratch, struct mb_diag *d)
{
	struct mb_diag	why = { "" };
	int		rc;

	v->seq = sqlite3_column_int64(s, at);
	v->uri = col_text(s, at + 1);
	v->version = sqlite3_column_int64(s, at + 2);
	v->center = col_text(s, at + 3);
	v->local = col_text(s, at + 4);
	v->origin = col_text(s, at + 5);
	v->audience = col_text(s, at + 6);
	v->pub_status = col_text(s, at + 7);
	v->workflow = col_text(s, at + 8);
	v->language = col_text(s, at + 9);
	v->type = col_text(s, at + 10);
	v->profile = col_text(s, at + 11);
	v->headline = col_text(s, at + 12);
	v->embargo_ms = sqlite3_column_int64(s, at + 13);
	v->created_ms = sqlite3_column_int64(s, at + 14);
	v->first_ms = sqlite3_column_int64(s, at + 15);
	v->received_ms = sqlite3_column_int64(s, at + 16);
	v->envelope = sqlite3_column_blob(s, at + 17);
	v->envelope_len = (size_t)sqlite3_column_bytes(s, at + 17);
	if (v->envelope == NULL)
		v->envelope = "";
	v->topics = NULL;
	/* Only the log selects it, after the version's own columns. */
	v->via = sqlite3_column_count(s) > at + 18 ? col_text(s, at + 18) :
	    NULL;
	if ((rc = mb_sqlite_zenv_unpack(sq, v, scratch, &why)) ==
	    MB_ERR_CORRUPT || rc == MB_ERR_NOTFOUND) {
		/*
		 * A damaged row (or one whose dictionary is gone) is handed
		 * on as it is stored, as a damaged envelope always was: it
		 * parses as no envelope, so verify names it, a peer refuses
		 * it, and the walk (the log served, export) goes on past it.
		 */
		log_warn("store: %s", why.msg);
		return MB_OK;
	}
	if (rc != MB_OK)
		return mb_diag_set(d, rc, "%s", why.msg);
	return MB_OK;
}

/* Steps through s, handing each row to cb. */
static int
visit(struct mb_sqlite *sq, sqlite3_stmt *s, mb_store_version_cb cb,
    void *arg, int *rows, struct mb_diag *d)
{
	struct mb_store_version	v;
	struct mb_buf		scratch = MB_BUF_INIT;
	int			rc, n = 0;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		n++;
		if ((rc = mb_sqlite__row_version(sq, s, 0, &v, &scratch, d)) ==
		    MB_OK)
			rc = cb(&v, arg);
		if (rc != MB_OK) {
			sqlite3_reset(s);
			mb_buf_free(&scratch);
			if (rows)
				*rows = n;
			return rc > 0 ? MB_OK : rc;
		}
	}
	mb_buf_free(&scratch);
	if (rows)
		*rows = n;
	if (rc != SQLITE_DONE) {
		rc = mb_sqlite_err(sq, d, "read");
		sqlite3_reset(s);
		return rc;
	}
	sqlite3_reset(s);
	return MB_OK;
}

int
mb_sqlite_get(struct mb_store *st, const char *uri, int64_t version,
    mb_store_version_cb cb, void *arg, struct mb_diag *d)
{
	struct mb_sqlite	*sq = SQ(st);
	sqlite3_stmt		*s;
	int			 rows = 0, rc;

	s = mb_sqlite_stmt(sq, version ? STMT_GET_VERSION : STMT_GET_CURRENT,
	    d);
	if (s == NULL)
		return MB_ERR_STORE;
	sqlite3_bind_text(s, 1, uri, -1, SQLITE_TRANSIENT);
	if (version)
		sqlite3_bind_int64(s, 2, version);
	if ((rc = visit(sq, s, cb, arg, &rows, d)) != MB_OK)
		return rc;
	if (rows == 0)
		return mb_diag_set(d, MB_ERR_NOTFOUND, "%s%s: not found", uri,
		    version ? " at that version" : "");
	return MB_OK;
}

int
mb_sqlite_has(struct mb_store *st, const char *uri, int64_t version,
    bool *has, struct mb_diag *d)
{
	struct mb_sqlite	*sq = SQ(st);
	sqlite3_stmt		*s;
	int			 rc;

	if ((s = mb_sqlite_stmt(sq, STMT_HAS, d)) == NULL)
		return MB_ERR_STORE;
	sqlite3_bind_text(s, 1, uri, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 2, version);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return mb_sqlite_err(sq, d, "read");
	*has = rc == SQLITE_ROW;
	return MB_OK;
}

int
mb_sqlite_log(struct mb_store *st, int64_t after, int64_t limit,
    mb_store_version_cb cb, void *arg, struct mb_diag *d)
{
	struct mb_sqlite	*sq = SQ(st);
	sqlite3_stmt		*s;

	if ((s = mb_sqlite_stmt(sq, STMT_LOG, d)) == NULL)
		return MB_ERR_STORE;
	sqlite3_bind_int64(s, 1, after);
	sqlite3_bind_int64(s, 2, limit > 0 ? limit : -1);
	return visit(sq, s, cb, arg, NULL, d);
}

static int
query_int64(struct mb_sqlite *sq, const char *sql, int64_t *out,
    struct mb_diag *d)
{
	sqlite3_stmt	*s;
	int		 rc;

	if (sqlite3_prepare_v2(sq->db, sql, -1, &s, NULL) != SQLITE_OK)
		return mb_sqlite_err(sq, d, "read");
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW)
		return mb_sqlite_err(sq, d, "read");
	return MB_OK;
}

/*
 * An SQLite varint (big-endian groups of 7 bits, the ninth byte whole),
 * as FTS5 writes its structure record. 0 when the bytes run out.
 */
static size_t
get_varint(const unsigned char *p, size_t n, uint64_t *out)
{
	uint64_t	v = 0;
	size_t		i;

	for (i = 0; i < n && i < 9; i++) {
		if (i == 8) {
			*out = (v << 8) | p[i];
			return 9;
		}
		v = (v << 7) | (p[i] & 0x7f);
		if ((p[i] & 0x80) == 0) {
			*out = v;
			return i + 1;
		}
	}
	return 0;
}

/*
 * The number of segments, from FTS5's structure record (row 10 of
 * fts_data: a 4-byte cookie, a 4-byte marker FF 00 00 01 in SQLite 3.45
 * and later, then varints nLevel and nSegment; FTS5's on-disk format,
 * which later SQLite versions keep reading). One row read, whatever
 * the size of the index; 0 for an index never written to.
 */
static int
index_segments(struct mb_sqlite *sq, int64_t *out, struct mb_diag *d)
{
	static const unsigned char v2[4] = { 0xff, 0x00, 0x00, 0x01 };
	sqlite3_stmt		*s;
	const unsigned char	*p;
	size_t			 n, k, at = 4;
	uint64_t		 levels, segments;
	int			 rc;

	*out = 0;
	if (sqlite3_prepare_v2(sq->db, "SELECT block FROM fts_data WHERE "
	    "id = 10", -1, &s, NULL) != SQLITE_OK)
		return mb_sqlite_err(sq, d, "read");
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		p = sqlite3_column_blob(s, 0);
		n = (size_t)sqlite3_column_bytes(s, 0);
		if (n >= 8 && memcmp(p + 4, v2, 4) == 0)
			at = 8;
		if (p != NULL && n > at &&
		    (k = get_varint(p + at, n - at, &levels)) > 0 &&
		    get_varint(p + at + k, n - at - k, &segments) > 0 &&
		    segments <= INT64_MAX)
			*out = (int64_t)segments;
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return mb_sqlite_err(sq, d, "read");
	return MB_OK;
}

int
mb_sqlite_stats(struct mb_store *st, struct mb_store_stats *out,
    struct mb_diag *d)
{
	struct mb_sqlite	*sq = SQ(st);
	struct mb_store_stats	 s;
	int			 rc;

	memset(&s, 0, sizeof(s));
	/*
	 * Four rows of store_counts (the scale domain's, sqlite_counts.c)
	 * rather than count(*) over a large store: a scrape costs
	 * microseconds (docs/store.md, "Counts and long lists").
	 */
	if (mb_store__has_domain(st, "scale")) {
		if ((rc = query_int64(sq, "SELECT n FROM store_counts WHERE "
		    "name = 'items'", &s.items, d)) != MB_OK ||
		    (rc = query_int64(sq, "SELECT n FROM store_counts WHERE "
		    "name = 'versions'", &s.versions, d)) != MB_OK ||
		    (rc = query_int64(sq, "SELECT (SELECT n FROM store_counts "
		    "WHERE name = 'pending_in') - (SELECT n FROM store_counts "
		    "WHERE name = 'pending_out')", &s.unindexed, d)) != MB_OK)
			return rc;
	} else if ((rc = query_int64(sq, "SELECT count(*) FROM items",
	    &s.items, d)) != MB_OK ||
	    (rc = query_int64(sq, "SELECT count(*) FROM versions",
	    &s.versions, d)) != MB_OK ||
	    (rc = query_int64(sq, "SELECT count(*) FROM fts_pending",
	    &s.unindexed, d)) != MB_OK)
		return rc;
	/* Inside a transaction of this connection: its counts not written. */
	mb_sqlite_counts_pending(sq, &s.items, &s.versions, &s.unindexed);
	if ((rc = query_int64(sq, "SELECT coalesce(max(seq), 0) FROM versions",
	    &s.last_seq, d)) != MB_OK ||
	    (rc = query_int64(sq, "SELECT coalesce(min(v.received_ms), 0) "
	    "FROM (SELECT item_id FROM fts_pending ORDER BY item_id LIMIT "
	    MB_STORE_LAG_SCAN ") p JOIN items i ON i.id = p.item_id JOIN "
	    "versions v ON v.seq = i.seq", &s.unindexed_since_ms, d)) != MB_OK ||
	    (rc = index_segments(sq, &s.index_segments, d)) != MB_OK)
		return rc;
	*out = s;
	return MB_OK;
}

int
mb_sqlite_index_peek(struct mb_store *st, int64_t limit,
    mb_store_version_cb cb, void *arg, struct mb_diag *d)
{
	struct mb_sqlite	*sq = SQ(st);
	sqlite3_stmt		*s;
	int			 rc;

	/* VERSION_COLS; the same rows, in the same order, as below. */
	if (sqlite3_prepare_v2(sq->db, "SELECT v.seq, v.uri, "
	    "v.version, v.center, v.local, v.origin, v.audience, v.pub_status, "
	    "v.workflow, v.language, v.type, v.profile, v.headline, "
	    "v.embargo_ms, v.created_ms, v.first_ms, v.received_ms, v.envelope "
	    "FROM fts_pending p JOIN items i ON i.id = p.item_id "
	    "JOIN versions v ON v.seq = i.seq ORDER BY p.item_id LIMIT ?1",
	    -1, &s, NULL) != SQLITE_OK)
		return mb_sqlite_err(sq, d, "index");
	sqlite3_bind_int64(s, 1, limit);
	rc = visit(sq, s, cb, arg, NULL, d);
	sqlite3_finalize(s);
	return rc;
}

/*
 * FTS5's 'merge' command: merges levels that hold at least 'usermerge'
 * (4) segments, writing about `pages` leaf pages, and goes on with a
 * merge begun by an earlier step. SQLite's documented way to know
 * whether it did anything: the rows it changed, fewer than 2 when
 * nothing was left to merge.
 */
int
mb_sqlite_index_tidy(struct mb_store *st, int pages, bool *more,
    struct mb_diag *d)
{
	struct mb_sqlite	*sq = SQ(st);
	sqlite3_stmt		*s;
	int64_t			 before;
	int			 rc;

	*more = false;
	if ((rc = mb_sqlite_begin(st, d)) != MB_OK)
		return rc;
	if (sqlite3_prepare_v2(sq->db, "INSERT INTO fts (fts, rank) "
	    "VALUES ('merge', ?1)", -1, &s, NULL) != SQLITE_OK) {
		rc = mb_sqlite_err(sq, d, "index tidy");
		mb_sqlite_rollback(st);
		return rc;
	}
	sqlite3_bind_int(s, 1, pages);
	before = sqlite3_total_changes64(sq->db);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		rc = mb_sqlite_err(sq, d, "index tidy");
		mb_sqlite_rollback(st);
		return rc;
	}
	*more = sqlite3_total_changes64(sq->db) - before >= 2;
	return mb_sqlite_commit(st, d);
}

int
mb_sqlite_index_next(struct mb_store *st, int64_t limit,
    int (*cb)(const struct mb_store_version *v, struct mb_store_text *t,
	void *arg), void *arg, int64_t *done, struct mb_diag *d)
{
	struct mb_sqlite	*sq = SQ(st);
	sqlite3_stmt		*s;
	struct mb_store_version	 v;
	struct mb_store_text	 t;
	struct mb_buf		 scratch = MB_BUF_INIT;
	int64_t			 n = 0;
	int			 rc;

	if (sqlite3_prepare_v2(sq->db, "SELECT i.id, v.seq, v.uri, "
	    "v.version, v.center, v.local, v.origin, v.audience, v.pub_status, "
	    "v.workflow, v.language, v.type, v.profile, v.headline, "
	    "v.embargo_ms, v.created_ms, v.first_ms, v.received_ms, v.envelope "
	    "FROM fts_pending p JOIN items i ON i.id = p.item_id "
	    "JOIN versions v ON v.seq = i.seq ORDER BY p.item_id LIMIT ?1",
	    -1, &s, NULL) !=
	    SQLITE_OK)
		return mb_sqlite_err(sq, d, "index");
	/*
	 * The column list is VERSION_COLS shifted by one; read the rows into
	 * the transaction that indexes them.
	 */
	if ((rc = mb_sqlite_begin(st, d)) != MB_OK) {
		sqlite3_finalize(s);
		return rc;
	}
	sqlite3_bind_int64(s, 1, limit);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int64_t		 id = sqlite3_column_int64(s, 0);
		sqlite3_stmt	*p;

		if ((rc = mb_sqlite__row_version(sq, s, 1, &v, &scratch,
		    d)) != MB_OK)
			goto fail;
		memset(&t, 0, sizeof(t));
		if ((rc = cb(&v, &t, arg)) != MB_OK)
			goto fail;
		if ((rc = index_item(sq, id, &t, d)) != MB_OK)
			goto fail;
		if ((p = mb_sqlite_stmt(sq, STMT_PENDING_DELETE, d)) == NULL) {
			rc = MB_ERR_STORE;
			goto fail;
		}
		sqlite3_bind_int64(p, 1, id);
		if (sqlite3_step(p) != SQLITE_DONE) {
			rc = mb_sqlite_err(sq, d, "index");
			goto fail;
		}
		n++;
	}
	if (rc != SQLITE_DONE) {
		rc = mb_sqlite_err(sq, d, "index");
		goto fail;
	}
	sqlite3_finalize(s);
	mb_buf_free(&scratch);
	if ((rc = mb_sqlite_commit(st, d)) != MB_OK)
		return rc;
	*done = n;
	return MB_OK;
fail:
	sqlite3_finalize(s);
	mb_buf_free(&scratch);
	mb_sqlite_rollback(st);
	return rc;
}
