/* SPDX-License-Identifier: MIT */
/* The SQLite backend's fsck: the database, the store's invariants, and what is derived from the envelopes, checked and rebuilt. */
#include "sqlite_int.h"

#include <stdio.h>
#include <string.h>

/*
 * The envelope is the truth; everything here is derived from it and may
 * be rebuilt from it, never the reverse. Each invariant is a query
 * listing what breaks it and the statement that rebuilds it. The fixes
 * run in this order (verify --repair, one transaction): an item with no
 * version goes, so that the next fix has a version to point every item
 * at; rows for no item go last, after the items are settled.
 */
#define ITEM_FACTS "seq, version, center, audience, pub_status, workflow, " \
	"language, type, profile, embargo_ms, created_ms, first_ms"
#define VERSION_FACTS "v.seq, v.version, v.center, v.audience, " \
	"v.pub_status, v.workflow, v.language, v.type, v.profile, " \
	"v.embargo_ms, v.created_ms, v.first_ms"
#define HIGHEST "v.version = (SELECT max(w.version) FROM versions w " \
	"WHERE w.uri = v.uri)"
/* Every item pointed at its highest version, with that version's facts. */
#define FIX_FACTS "UPDATE items SET (" ITEM_FACTS ") = (SELECT " \
	VERSION_FACTS " FROM versions v WHERE v.uri = items.uri ORDER BY " \
	"v.version DESC LIMIT 1) WHERE EXISTS (SELECT 1 FROM versions v " \
	"WHERE v.uri = items.uri AND " HIGHEST " AND (v.seq IS NOT " \
	"items.seq OR v.version IS NOT items.version OR v.audience IS NOT " \
	"items.audience OR v.pub_status IS NOT items.pub_status OR " \
	"v.center IS NOT items.center OR v.workflow IS NOT items.workflow " \
	"OR v.language IS NOT items.language OR v.type IS NOT items.type " \
	"OR v.profile IS NOT items.profile OR v.embargo_ms IS NOT " \
	"items.embargo_ms OR v.created_ms IS NOT items.created_ms OR " \
	"v.first_ms IS NOT items.first_ms))"

static const struct {
	const char *what;
	const char *find;
	const char *fix;
} invariants[] = {
	{ "item has no stored version",
	  "SELECT i.uri FROM items i WHERE NOT EXISTS (SELECT 1 FROM "
	  "versions v WHERE v.uri = i.uri)",
	  "DELETE FROM items WHERE NOT EXISTS (SELECT 1 FROM versions v "
	  "WHERE v.uri = items.uri)" },
	{ "item does not point at its highest version",
	  "SELECT i.uri FROM items i WHERE i.seq IS NOT (SELECT v.seq FROM "
	  "versions v WHERE v.uri = i.uri ORDER BY v.version DESC LIMIT 1)",
	  FIX_FACTS },
	{ "item's facts differ from its current version",
	  "SELECT i.uri FROM items i JOIN versions v ON v.seq = i.seq WHERE "
	  "v.uri IS NOT i.uri OR v.version IS NOT i.version OR v.audience "
	  "IS NOT i.audience OR v.pub_status IS NOT i.pub_status OR "
	  "v.center IS NOT i.center OR v.workflow IS NOT i.workflow OR "
	  "v.language IS NOT i.language OR v.type IS NOT i.type OR "
	  "v.profile IS NOT i.profile OR v.embargo_ms IS NOT i.embargo_ms OR "
	  "v.created_ms IS NOT i.created_ms OR v.first_ms IS NOT i.first_ms",
	  FIX_FACTS },
	{ "version belongs to no item",
	  "SELECT v.uri FROM versions v WHERE NOT EXISTS (SELECT 1 FROM "
	  "items i WHERE i.uri = v.uri)",
	  "INSERT INTO items (uri, " ITEM_FACTS ") SELECT v.uri, "
	  VERSION_FACTS " FROM versions v WHERE " HIGHEST " AND NOT EXISTS "
	  "(SELECT 1 FROM items i WHERE i.uri = v.uri)" },
	/*
	 * The index's rows are its fts_docsize rows (reading fts itself
	 * would read its content, the view fts_text). Both are fixed by
	 * the rebuild at the end.
	 */
	{ "index row for no item",
	  "SELECT f.id FROM fts_docsize f WHERE NOT EXISTS (SELECT 1 FROM "
	  "items i WHERE i.id = f.id)",
	  NULL },
	{ "item missing from the search index",
	  "SELECT i.uri FROM items i WHERE NOT EXISTS (SELECT 1 FROM "
	  "fts_docsize f WHERE f.id = i.id) AND NOT EXISTS (SELECT 1 FROM "
	  "fts_pending p WHERE p.item_id = i.id)",
	  NULL },
	{ "topic row for no item",
	  "SELECT DISTINCT t.item_id FROM item_topics t WHERE NOT EXISTS "
	  "(SELECT 1 FROM items i WHERE i.id = t.item_id)",
	  "DELETE FROM item_topics WHERE NOT EXISTS (SELECT 1 FROM items i "
	  "WHERE i.id = item_topics.item_id)" },
	{ "translation row for no item",
	  "SELECT t.uri FROM translations t WHERE NOT EXISTS (SELECT 1 FROM "
	  "items i WHERE i.uri = t.uri)",
	  "DELETE FROM translations WHERE NOT EXISTS (SELECT 1 FROM items i "
	  "WHERE i.uri = translations.uri)" },
	{ "queued for the index but no item",
	  "SELECT p.item_id FROM fts_pending p WHERE NOT EXISTS (SELECT 1 "
	  "FROM items i WHERE i.id = p.item_id)",
	  "DELETE FROM fts_pending WHERE NOT EXISTS (SELECT 1 FROM items i "
	  "WHERE i.id = fts_pending.item_id)" },
};

#define NINVARIANTS (sizeof(invariants) / sizeof(invariants[0]))

/* The scale domain's copies (scale.c), checked after the rows they copy. */
#define COUNT_OF(c) "CASE " c " WHEN 'items' THEN (SELECT count(*) FROM " \
	"items) WHEN 'versions' THEN (SELECT count(*) FROM versions) WHEN " \
	"'pending_in' THEN (SELECT count(*) FROM fts_pending) ELSE 0 END"
static const struct {
	const char *what;
	const char *find;
	const char *fix;
} scale_invariants[] = {
	{ "topic row out of its item's listing order",
	  "SELECT DISTINCT t.item_id FROM item_topics t JOIN items i ON "
	  "i.id = t.item_id WHERE t.first_ms IS NOT i.first_ms OR t.seq IS "
	  "NOT i.seq",
	  "UPDATE item_topics SET first_ms = i.first_ms, seq = i.seq FROM "
	  "items i WHERE i.id = item_topics.item_id AND (item_topics.first_ms "
	  "IS NOT i.first_ms OR item_topics.seq IS NOT i.seq)" },
	/* The queue's length is pending_in - pending_out. */
	{ "count differs from the rows counted",
	  "SELECT c.name FROM store_counts c WHERE c.name != 'pending_out' "
	  "AND c.n - CASE c.name WHEN 'pending_in' THEN (SELECT n FROM "
	  "store_counts WHERE name = 'pending_out') ELSE 0 END IS NOT "
	  COUNT_OF("c.name"),
	  "UPDATE store_counts SET n = " COUNT_OF("name") },
};

struct fsck {
	struct mb_sqlite	*sq;
	bool			 repair;
	void			(*report)(const char *problem, void *arg);
	void			*arg;
	int			 bad;
};

static void
found(struct fsck *f, const char *what, const char *which)
{
	char line[512];

	f->bad++;
	snprintf(line, sizeof(line), "%s%s%s%s", f->repair ? "repaired: " :
	    "", which != NULL ? which : "", which != NULL ? ": " : "", what);
	if (f->report != NULL)
		f->report(line, f->arg);
}

static const char *
col_text(sqlite3_stmt *s, int i)
{
	return (const char *)sqlite3_column_text(s, i);
}

/* SQLite's own check of its pages, then FTS5's of its index. */
static int
check_database(struct fsck *f, bool *index_bad, struct mb_diag *d)
{
	struct mb_sqlite	*sq = f->sq;
	sqlite3_stmt		*s;
	char			 line[512];
	int			 rc;

	if (sqlite3_prepare_v2(sq->db, "PRAGMA integrity_check", -1, &s,
	    NULL) != SQLITE_OK)
		return mb_sqlite_err(sq, d, "integrity check");
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *r = col_text(s, 0);

		if (r != NULL && strcmp(r, "ok") != 0) {
			snprintf(line, sizeof(line), "database: %s", r);
			found(f, line, NULL);
		}
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		snprintf(line, sizeof(line), "database: %s",
		    sqlite3_errmsg(sq->db));
		found(f, line, NULL);
	}
	/*
	 * rank 1: the index is also compared with the text it indexes (the
	 * view fts_text: each indexed item's envelope); a store opened
	 * without mb_store_opts.index_text has no text to compare with, so
	 * rank 0, the index's own structure. An error here is the finding,
	 * not a failure of the check.
	 */
	*index_bad = false;
	if (sqlite3_exec(sq->db, sq->index_text != NULL ? "INSERT INTO fts "
	    "(fts, rank) VALUES ('integrity-check', 1)" : "INSERT INTO fts "
	    "(fts, rank) VALUES ('integrity-check', 0)", NULL, NULL, NULL) !=
	    SQLITE_OK) {
		snprintf(line, sizeof(line), "search index: %s",
		    sqlite3_errmsg(sq->db));
		*index_bad = true;
		found(f, line, NULL);
	}
	return MB_OK;
}

static int
check_invariants(struct fsck *f, struct mb_diag *d)
{
	struct mb_sqlite	*sq = f->sq;
	sqlite3_stmt		*s;
	int			 rc;

	for (size_t i = 0; i < NINVARIANTS; i++) {
		int n = 0;

		if (sqlite3_prepare_v2(sq->db, invariants[i].find, -1, &s,
		    NULL) != SQLITE_OK)
			return mb_sqlite_err(sq, d, "check");
		while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
			n++;
			found(f, invariants[i].what, col_text(s, 0) ?
			    col_text(s, 0) : "?");
		}
		sqlite3_finalize(s);
		if (rc != SQLITE_DONE)
			return mb_sqlite_err(sq, d, "check");
		if (f->repair && n > 0 && invariants[i].fix != NULL &&
		    sqlite3_exec(sq->db, invariants[i].fix, NULL, NULL, NULL) !=
		    SQLITE_OK)
			return mb_sqlite_err(sq, d, "repair");
	}
	return MB_OK;
}

/* Each item's topic and translation rows against its current envelope. */
static int
check_derived(struct fsck *f, struct mb_diag *d)
{
	struct mb_sqlite	*sq = f->sq;
	struct mb_store_version	 v;
	struct mb_buf		 scratch = MB_BUF_INIT;
	sqlite3_stmt		*s;
	bool			 topics, translation;
	int			 rc;

	if (sqlite3_prepare_v2(sq->db, "SELECT i.id, i.uri, v.envelope FROM "
	    "items i JOIN versions v ON v.seq = i.seq", -1, &s, NULL) !=
	    SQLITE_OK)
		return mb_sqlite_err(sq, d, "check");
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(s, 0);

		memset(&v, 0, sizeof(v));
		v.uri = col_text(s, 1);
		v.envelope = sqlite3_column_blob(s, 2);
		v.envelope_len = (size_t)sqlite3_column_bytes(s, 2);
		if (v.uri == NULL || v.envelope == NULL)
			continue;
		/* One that does not unpack: verify's own check names it. */
		if (mb_sqlite_zenv_unpack(sq, &v, &scratch, NULL) != MB_OK) {
			found(f, "item's envelope does not decompress", v.uri);
			continue;
		}
		if ((rc = mb_sqlite_search_differs(sq, id, &v, &topics,
		    &translation, d)) != MB_OK)
			goto out;
		if (topics)
			found(f, "item's topics differ from its envelope", v.uri);
		if (translation)
			found(f, "item's translation link differs from its "
			    "envelope", v.uri);
		if (f->repair && (topics || translation) &&
		    (rc = mb_sqlite_search_put(sq, id, false, &v, d)) != MB_OK)
			goto out;
	}
	rc = rc == SQLITE_DONE ? MB_OK : mb_sqlite_err(sq, d, "check");
out:
	sqlite3_finalize(s);
	mb_buf_free(&scratch);
	return rc;
}

static int
check_scale(struct fsck *f, struct mb_diag *d)
{
	struct mb_sqlite	*sq = f->sq;
	sqlite3_stmt		*s;
	int			 rc;

	if (!mb_store__has_domain(&sq->base, "scale"))
		return MB_OK;
	/* The counts of what the fixes above changed, written first. */
	if ((rc = mb_sqlite_counts_flush(sq, d)) != MB_OK)
		return rc;
	for (size_t i = 0; i < sizeof(scale_invariants) /
	    sizeof(scale_invariants[0]); i++) {
		int n = 0;

		if (sqlite3_prepare_v2(sq->db, scale_invariants[i].find, -1,
		    &s, NULL) != SQLITE_OK)
			return mb_sqlite_err(sq, d, "check");
		while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
			n++;
			found(f, scale_invariants[i].what, col_text(s, 0) ?
			    col_text(s, 0) : "?");
		}
		sqlite3_finalize(s);
		if (rc != SQLITE_DONE)
			return mb_sqlite_err(sq, d, "check");
		if (f->repair && n > 0 && sqlite3_exec(sq->db,
		    scale_invariants[i].fix, NULL, NULL, NULL) != SQLITE_OK)
			return mb_sqlite_err(sq, d, "repair");
	}
	return MB_OK;
}

static int
fsck(struct fsck *f, struct mb_diag *d)
{
	bool	index_bad;
	int	rc;

	if ((rc = check_database(f, &index_bad, d)) != MB_OK)
		return rc;
	(void)index_bad;	/* the index is rebuilt whole below */
	if ((rc = check_invariants(f, d)) != MB_OK ||
	    (rc = check_derived(f, d)) != MB_OK ||
	    (rc = check_scale(f, d)) != MB_OK)
		return rc;
	/*
	 * Last, with the items settled: the index made again from every
	 * item's envelope ('rebuild' empties it first, so it needs nothing
	 * from the index as it was), the queue emptied since the view
	 * shows every item once it is.
	 */
	/* A WHERE: not the truncate, which the counts would not see. */
	if (f->repair && (sqlite3_exec(f->sq->db, "DELETE FROM fts_pending "
	    "WHERE item_id IS NOT NULL",
	    NULL, NULL, NULL) != SQLITE_OK || sqlite3_exec(f->sq->db,
	    "INSERT INTO fts (fts) VALUES ('rebuild')", NULL, NULL, NULL) !=
	    SQLITE_OK))
		return mb_sqlite_err(f->sq, d, "repair: search index");
	return MB_OK;
}

int
mb_sqlite_check(struct mb_store *st,
    void (*report)(const char *problem, void *arg), void *arg,
    struct mb_diag *d)
{
	struct fsck	f = { SQ(st), false, report, arg, 0 };
	int		rc;

	if ((rc = fsck(&f, d)) != MB_OK)
		return rc;
	if (f.bad)
		return mb_diag_set(d, MB_ERR_CORRUPT,
		    "store: %d problem%s found", f.bad, f.bad == 1 ? "" : "s");
	return MB_OK;
}

int
mb_sqlite_repair(struct mb_store *st,
    void (*report)(const char *fixed, void *arg), void *arg,
    int *fixed, struct mb_diag *d)
{
	struct fsck	f = { SQ(st), true, report, arg, 0 };
	int		rc;

	if ((rc = mb_sqlite_begin(st, d)) != MB_OK)
		return rc;
	if ((rc = fsck(&f, d)) != MB_OK) {
		mb_sqlite_rollback(st);
		return rc;
	}
	if ((rc = mb_sqlite_commit(st, d)) != MB_OK)
		return rc;
	*fixed = f.bad;
	return MB_OK;
}

int
mb_sqlite_repair_version(struct mb_store *st,
    const struct mb_store_version *v, struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int64_t			changes = 0;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "UPDATE versions SET center = ?2, "
	    "local = ?3, origin = ?4, audience = ?5, pub_status = ?6, "
	    "workflow = ?7, language = ?8, type = ?9, profile = ?10, "
	    "headline = ?11, embargo_ms = ?12, created_ms = ?13, "
	    "first_ms = ?14 WHERE seq = ?1", &r, "repair", d)) != MB_OK)
		return rc;
	sqlite3_bind_int64(r.s, 1, v->seq);
	mb_sqlite__bind_text(r.s, 2, v->center);
	mb_sqlite__bind_text(r.s, 3, v->local);
	mb_sqlite__bind_text(r.s, 4, v->origin);
	mb_sqlite__bind_text(r.s, 5, v->audience);
	mb_sqlite__bind_text(r.s, 6, v->pub_status);
	mb_sqlite__bind_text(r.s, 7, v->workflow);
	mb_sqlite__bind_text(r.s, 8, v->language);
	mb_sqlite__bind_text(r.s, 9, v->type);
	mb_sqlite__bind_text(r.s, 10, v->profile);
	mb_sqlite__bind_text(r.s, 11, v->headline);
	sqlite3_bind_int64(r.s, 12, v->embargo_ms);
	sqlite3_bind_int64(r.s, 13, v->created_ms);
	sqlite3_bind_int64(r.s, 14, v->first_ms);
	if ((rc = mb_sqlite__done(&r, &changes, d)) != MB_OK)
		return rc;
	if (changes == 0)
		return mb_diag_set(d, MB_ERR_NOTFOUND, "store: no version "
		    "with seq %lld", (long long)v->seq);
	return MB_OK;
}
