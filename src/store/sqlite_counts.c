/* SPDX-License-Identifier: MIT */
/* The SQLite backend's row counts (the scale domain's store_counts): counted as this connection changes rows, written once per transaction. */
#include "sqlite_int.h"

#include <string.h>

/*
 * Not triggers, as on PostgreSQL: a statement on a table with a trigger
 * opens a statement savepoint, and FTS5 writes its pending terms out as a
 * new segment at every savepoint. With the index written in the same
 * transaction as the items (import, sync), triggers on items, versions
 * and fts_pending made every put flush the index: a fifth more
 * instructions per imported item (callgrind, 300 items: 1.50 G against
 * 1.21 G). Instead SQLite's update hook counts each row this connection
 * inserts or deletes in the three tables, and the commit adds the
 * transaction's counts to store_counts in one statement, in the same
 * transaction; a rollback forgets them.
 *
 * The core's migrations run before counting starts: one that changed
 * the store has every count taken again (a core migration may queue
 * every item, as 10 did). What this connection cannot count: a commit that did not go through
 * mb_sqlite_commit (a statement outside a transaction) leaves the counts
 * to be taken again, whole, at the next commit; and another program
 * writing the file (sqlite3 behind the store's back) is not seen, which
 * verify reports and verify --repair mends.
 */
enum { C_ITEMS, C_VERSIONS, C_IN, C_OUT };

static void
on_update(void *arg, int op, const char *db, const char *table,
    sqlite3_int64 rowid)
{
	struct mb_sqlite	*sq = arg;
	int			 add = op == SQLITE_INSERT;

	(void)db, (void)rowid;
	if (op == SQLITE_UPDATE)
		return;
	if (strcmp(table, "items") == 0)
		sq->counts[C_ITEMS] += add ? 1 : -1;
	else if (strcmp(table, "versions") == 0)
		sq->counts[C_VERSIONS] += add ? 1 : -1;
	else if (strcmp(table, "fts_pending") == 0)
		sq->counts[add ? C_IN : C_OUT]++;
	else
		return;
	sq->counts_dirty = true;
}

/* A commit with counts not written: take them again at the next. */
static int
on_commit(void *arg)
{
	struct mb_sqlite *sq = arg;

	if (sq->counts_dirty) {
		sq->counts_stale = true;
		memset(sq->counts, 0, sizeof(sq->counts));
		sq->counts_dirty = false;
	}
	return 0;
}

static void
on_rollback(void *arg)
{
	struct mb_sqlite *sq = arg;

	memset(sq->counts, 0, sizeof(sq->counts));
	sq->counts_dirty = false;
}

void
mb_sqlite_counts_attach(struct mb_sqlite *sq)
{
	if (sq->counts_on || !mb_store__has_domain(&sq->base, "scale"))
		return;
	sqlite3_update_hook(sq->db, on_update, sq);
	sqlite3_commit_hook(sq->db, on_commit, sq);
	sqlite3_rollback_hook(sq->db, on_rollback, sq);
	sq->counts_on = true;
}

/* Every count taken again with count(*), when the store has them. */
static int
recount(struct mb_sqlite *sq, struct mb_diag *d)
{
	if (sqlite3_exec(sq->db, "UPDATE store_counts SET n = CASE name "
	    "WHEN 'items' THEN (SELECT count(*) FROM items) WHEN "
	    "'versions' THEN (SELECT count(*) FROM versions) WHEN "
	    "'pending_in' THEN (SELECT count(*) FROM fts_pending) ELSE "
	    "0 END", NULL, NULL, NULL) != SQLITE_OK)
		return mb_sqlite_err(sq, d, "counts");
	return MB_OK;
}

int
mb_sqlite_counts_after_migration(struct mb_sqlite *sq, struct mb_diag *d)
{
	sqlite3_stmt	*s;
	bool		 has;

	if (sqlite3_prepare_v2(sq->db, "SELECT 1 FROM sqlite_master WHERE "
	    "name = 'store_counts'", -1, &s, NULL) != SQLITE_OK)
		return mb_sqlite_err(sq, d, "counts");
	has = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_finalize(s);
	return has ? recount(sq, d) : MB_OK;
}

int
mb_sqlite_counts_flush(struct mb_sqlite *sq, struct mb_diag *d)
{
	sqlite3_stmt	*s;
	int		 rc;

	if (!sq->counts_on)
		return MB_OK;
	if (sq->counts_stale) {
		if ((rc = recount(sq, d)) != MB_OK)
			return rc;
		sq->counts_stale = false;
		memset(sq->counts, 0, sizeof(sq->counts));
		sq->counts_dirty = false;
		return MB_OK;
	}
	if (!sq->counts_dirty)
		return MB_OK;
	/*
	 * One row at a time: an UPDATE of several rows opens a statement
	 * savepoint, at which FTS5 would write out its pending terms.
	 */
	if (sqlite3_prepare_v2(sq->db, "UPDATE store_counts SET n = n + ?2 "
	    "WHERE name = ?1", -1, &s, NULL) != SQLITE_OK)
		return mb_sqlite_err(sq, d, "counts");
	for (int i = 0; i < 4; i++) {
		static const char *const names[] = { "items", "versions",
		    "pending_in", "pending_out" };

		if (sq->counts[i] == 0)
			continue;
		sqlite3_bind_text(s, 1, names[i], -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 2, sq->counts[i]);
		rc = sqlite3_step(s);
		sqlite3_reset(s);
		if (rc != SQLITE_DONE) {
			sqlite3_finalize(s);
			return mb_sqlite_err(sq, d, "counts");
		}
	}
	sqlite3_finalize(s);
	memset(sq->counts, 0, sizeof(sq->counts));
	sq->counts_dirty = false;
	return MB_OK;
}

void
mb_sqlite_counts_pending(const struct mb_sqlite *sq, int64_t *items,
    int64_t *versions, int64_t *queued)
{
	*items += sq->counts[C_ITEMS];
	*versions += sq->counts[C_VERSIONS];
	*queued += sq->counts[C_IN] - sq->counts[C_OUT];
}
