/* SPDX-License-Identifier: MIT */
/* The feeds domain on SQLite: sources, their polling state, entries. */
#include "sqlite_int.h"

#include <stdlib.h>

#include "base/timeutil.h"
#include "store/feeds_int.h"

const char *const mb_sqlite_feeds_migrations[] = {
	/* 1 */
	"CREATE TABLE feeds_sources ("
	"  id INTEGER PRIMARY KEY,"
	"  url TEXT NOT NULL UNIQUE,"
	"  title TEXT NOT NULL DEFAULT '',"
	"  language TEXT NOT NULL DEFAULT '',"
	"  topics TEXT NOT NULL DEFAULT '',"
	"  audience TEXT NOT NULL,"
	"  workflow TEXT NOT NULL,"
	"  every_s INTEGER NOT NULL,"
	"  allow_private INTEGER NOT NULL DEFAULT 0,"
	"  etag TEXT NOT NULL DEFAULT '',"
	"  last_modified TEXT NOT NULL DEFAULT '',"
	"  body_hash TEXT NOT NULL DEFAULT '',"
	"  last_fetch_ms INTEGER NOT NULL DEFAULT 0,"
	"  last_new_ms INTEGER NOT NULL DEFAULT 0,"
	"  next_poll_ms INTEGER NOT NULL DEFAULT 0,"
	"  failures INTEGER NOT NULL DEFAULT 0,"
	"  last_error TEXT NOT NULL DEFAULT '',"
	"  entries INTEGER NOT NULL DEFAULT 0,"
	"  updates INTEGER NOT NULL DEFAULT 0,"
	"  created_ms INTEGER NOT NULL);"
	"CREATE TABLE feeds_entries ("
	"  source_id INTEGER NOT NULL REFERENCES feeds_sources (id)"
	"    ON DELETE CASCADE,"
	"  key TEXT NOT NULL,"
	"  uri TEXT NOT NULL,"
	"  version INTEGER NOT NULL,"
	"  hash TEXT NOT NULL,"
	"  PRIMARY KEY (source_id, key));",
	NULL
};

static int
add(struct mb_store *st, const struct mb_feed_source *s, int64_t *id,
    struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int64_t			changed = 0;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "INSERT INTO feeds_sources (url, "
	    "title, language, topics, audience, workflow, every_s, "
	    "allow_private, next_poll_ms, created_ms) VALUES (?1, ?2, ?3, ?4, "
	    "?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT (url) DO NOTHING", &r,
	    "feed", d)) != MB_OK)
		return rc;
	sqlite3_bind_text(r.s, 1, s->url, -1, SQLITE_STATIC);
	sqlite3_bind_text(r.s, 2, s->title, -1, SQLITE_STATIC);
	sqlite3_bind_text(r.s, 3, s->language, -1, SQLITE_STATIC);
	sqlite3_bind_text(r.s, 4, s->topics, -1, SQLITE_STATIC);
	sqlite3_bind_text(r.s, 5, s->audience, -1, SQLITE_STATIC);
	sqlite3_bind_text(r.s, 6, s->workflow, -1, SQLITE_STATIC);
	sqlite3_bind_int64(r.s, 7, s->every_s);
	sqlite3_bind_int(r.s, 8, s->allow_private);
	sqlite3_bind_int64(r.s, 9, s->next_poll_ms);
	sqlite3_bind_int64(r.s, 10, mb_time_now_ms());
	if ((rc = mb_sqlite__done(&r, &changed, d)) != MB_OK)
		return rc;
	if (changed == 0)
		return mb_diag_set(d, MB_ERR_EXISTS, "feed %.200s: already a "
		    "source", s->url);
	if (id != NULL)
		*id = sqlite3_last_insert_rowid(SQ(st)->db);
	return MB_OK;
}

static int
get(struct mb_store *st, int64_t id, struct mb_feed_source *out,
    struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "SELECT " MB_STORE_FEED_COLS
	    " FROM feeds_sources WHERE id = ?1", &r, "feed", d)) != MB_OK)
		return rc;
	sqlite3_bind_int64(r.s, 1, id);
	if ((rc = mb_sqlite__one(&r, &mb_store__feed_cols, out, d)) ==
	    MB_ERR_NOTFOUND)
		return mb_diag_set(d, rc, "feed %lld: no such source",
		    (long long)id);
	return rc;
}

static int
list(struct mb_store *st, int (*cb)(const struct mb_feed_source *s,
    void *arg), void *arg, struct mb_diag *d)
{
	struct mb_sqlite_rows	 r;
	struct mb_feed_source	*s;
	int			 rc;

	/* 4 KB a row: on the heap, not a visitor's stack. */
	if ((s = malloc(sizeof(*s))) == NULL)
		return MB_ERR_NOMEM;
	if ((rc = mb_sqlite__query(SQ(st), "SELECT " MB_STORE_FEED_COLS
	    " FROM feeds_sources ORDER BY id", &r, "feed", d)) != MB_OK) {
		free(s);
		return rc;
	}
	while (rc == MB_OK && mb_sqlite__next(&r, &mb_store__feed_cols, s))
		rc = cb(s, arg);
	rc = mb_sqlite__end(&r, rc, d);
	free(s);
	return rc;
}

static int
remove_(struct mb_store *st, int64_t id, struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int64_t			changed = 0;
	int			own, rc;

	if ((rc = mb_sqlite__auto_begin(SQ(st), &own, d)) != MB_OK)
		return rc;
	if ((rc = mb_sqlite__query(SQ(st), "DELETE FROM feeds_entries WHERE "
	    "source_id = ?1", &r, "feed", d)) == MB_OK) {
		sqlite3_bind_int64(r.s, 1, id);
		rc = mb_sqlite__done(&r, NULL, d);
	}
	if (rc == MB_OK && (rc = mb_sqlite__query(SQ(st), "DELETE FROM "
	    "feeds_sources WHERE id = ?1", &r, "feed", d)) == MB_OK) {
		sqlite3_bind_int64(r.s, 1, id);
		if ((rc = mb_sqlite__done(&r, &changed, d)) == MB_OK &&
		    changed == 0)
			rc = mb_diag_set(d, MB_ERR_NOTFOUND, "feed %lld: no "
			    "such source", (long long)id);
	}
	return mb_sqlite__auto_end(SQ(st), own, rc, d);
}

static int
save(struct mb_store *st, const struct mb_feed_source *s, struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	struct mb_feed_source	*cur;
	int64_t			changed = 0;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "UPDATE feeds_sources SET url = "
	    "?2, title = ?3, etag = ?4, last_modified = ?5, body_hash = ?6, "
	    "last_fetch_ms = ?7, last_new_ms = ?8, next_poll_ms = ?9, "
	    "failures = ?10, last_error = ?11, entries = ?12, updates = ?13 "
	    "WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM feeds_sources o "
	    "WHERE o.url = ?2 AND o.id <> ?1)", &r, "feed", d)) != MB_OK)
		return rc;
	sqlite3_bind_int64(r.s, 1, s->id);
	sqlite3_bind_text(r.s, 2, s->url, -1, SQLITE_STATIC);
	sqlite3_bind_text(r.s, 3, s->title, -1, SQLITE_STATIC);
	sqlite3_bind_text(r.s, 4, s->etag, -1, SQLITE_STATIC);
	sqlite3_bind_text(r.s, 5, s->last_modified, -1, SQLITE_STATIC);
	sqlite3_bind_text(r.s, 6, s->body_hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(r.s, 7, s->last_fetch_ms);
	sqlite3_bind_int64(r.s, 8, s->last_new_ms);
	sqlite3_bind_int64(r.s, 9, s->next_poll_ms);
	sqlite3_bind_int64(r.s, 10, s->failures);
	sqlite3_bind_text(r.s, 11, s->last_error, -1, SQLITE_STATIC);
	sqlite3_bind_int64(r.s, 12, s->entries);
	sqlite3_bind_int64(r.s, 13, s->updates);
	if ((rc = mb_sqlite__done(&r, &changed, d)) != MB_OK || changed > 0)
		return rc;
	/* Gone, or the url is another source's. */
	if ((cur = malloc(sizeof(*cur))) == NULL)
		return MB_ERR_NOMEM;
	rc = get(st, s->id, cur, d);
	free(cur);
	if (rc != MB_OK)
		return rc;
	return mb_diag_set(d, MB_ERR_EXISTS, "feed %.200s: already a source",
	    s->url);
}

static int
entry_get(struct mb_store *st, int64_t source, const char *key,
    struct mb_feed_seen *out, struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "SELECT uri, version, hash FROM "
	    "feeds_entries WHERE source_id = ?1 AND key = ?2", &r, "feed",
	    d)) != MB_OK)
		return rc;
	sqlite3_bind_int64(r.s, 1, source);
	sqlite3_bind_text(r.s, 2, key, -1, SQLITE_STATIC);
	return mb_sqlite__one(&r, &mb_store__feed_entry_cols, out, d);
}

static int
entry_put(struct mb_store *st, int64_t source, const char *key,
    const struct mb_feed_seen *e, struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "INSERT INTO feeds_entries "
	    "(source_id, key, uri, version, hash) VALUES (?1, ?2, ?3, ?4, ?5) "
	    "ON CONFLICT (source_id, key) DO UPDATE SET uri = excluded.uri, "
	    "version = excluded.version, hash = excluded.hash", &r, "feed",
	    d)) != MB_OK)
		return rc;
	sqlite3_bind_int64(r.s, 1, source);
	sqlite3_bind_text(r.s, 2, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(r.s, 3, e->uri, -1, SQLITE_STATIC);
	sqlite3_bind_int64(r.s, 4, e->version);
	sqlite3_bind_text(r.s, 5, e->hash, -1, SQLITE_STATIC);
	return mb_sqlite__done(&r, NULL, d);
}

static int
entry_claim(struct mb_store *st, int64_t source, const char *key,
    const struct mb_feed_seen *e, struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int64_t			changed = 0;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "INSERT INTO feeds_entries "
	    "(source_id, key, uri, version, hash) VALUES (?1, ?2, ?3, ?4, ?5) "
	    "ON CONFLICT (source_id, key) DO NOTHING", &r, "feed", d)) !=
	    MB_OK)
		return rc;
	sqlite3_bind_int64(r.s, 1, source);
	sqlite3_bind_text(r.s, 2, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(r.s, 3, e->uri, -1, SQLITE_STATIC);
	sqlite3_bind_int64(r.s, 4, e->version);
	sqlite3_bind_text(r.s, 5, e->hash, -1, SQLITE_STATIC);
	if ((rc = mb_sqlite__done(&r, &changed, d)) != MB_OK)
		return rc;
	return changed > 0 ? MB_OK : MB_ERR_EXISTS;
}

const struct mb_store_feeds_ops mb_sqlite_feeds = {
	.add = add, .get = get, .list = list, .remove = remove_,
	.save = save, .entry_get = entry_get, .entry_put = entry_put,
	.entry_claim = entry_claim,
};
