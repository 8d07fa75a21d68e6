/* SPDX-License-Identifier: MIT */
/* The machine translation domain on SQLite: the cache, the glossary, machine drafts. */
#include "sqlite_int.h"

#include <stdlib.h>
#include <string.h>

#include "store/mt_int.h"

const char *const mb_sqlite_mt_migrations[] = {
	/* 1 */
	"CREATE TABLE mt_cache ("
	"  key TEXT PRIMARY KEY,"
	"  text TEXT NOT NULL,"
	"  at_ms INTEGER NOT NULL) WITHOUT ROWID;"
	"CREATE TABLE mt_glossary ("
	"  id INTEGER PRIMARY KEY,"
	"  src TEXT NOT NULL,"
	"  dst TEXT NOT NULL,"
	"  term TEXT NOT NULL,"
	"  translation TEXT NOT NULL DEFAULT '',"
	"  UNIQUE (src, dst, term));"
	"CREATE TABLE mt_drafts ("
	"  uri TEXT PRIMARY KEY,"
	"  of_uri TEXT NOT NULL,"
	"  of_version INTEGER NOT NULL,"
	"  language TEXT NOT NULL,"
	"  made_ms INTEGER NOT NULL) WITHOUT ROWID;"
	"CREATE INDEX mt_drafts_of ON mt_drafts (of_uri, language);",
	/*
	 * 2: glossary ids never used again, as PostgreSQL's BIGSERIAL: with
	 * a plain rowid a new term took the id of the last one removed, so a
	 * remove button left open on a stale page removed another term. The
	 * rows keep their ids (and their columns' order, for mb_store_copy);
	 * the sequence starts at the largest id there is.
	 */
	"CREATE TABLE mt_glossary_new ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  src TEXT NOT NULL,"
	"  dst TEXT NOT NULL,"
	"  term TEXT NOT NULL,"
	"  translation TEXT NOT NULL DEFAULT '',"
	"  UNIQUE (src, dst, term));"
	"INSERT INTO mt_glossary_new (id, src, dst, term, translation)"
	"  SELECT id, src, dst, term, translation FROM mt_glossary;"
	"DROP TABLE mt_glossary;"
	"ALTER TABLE mt_glossary_new RENAME TO mt_glossary;",
	NULL
};

static int
cache_get(struct mb_store *st, const char *key, char **text, int64_t *at_ms,
    struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "SELECT text, at_ms FROM mt_cache "
	    "WHERE key = ?1", &r, "translation cache", d)) != MB_OK)
		return rc;
	sqlite3_bind_text(r.s, 1, key, -1, SQLITE_STATIC);
	if (mb_sqlite__next(&r, NULL, NULL)) {
		const char *t = (const char *)sqlite3_column_text(r.s, 0);

		if ((*text = strdup(t != NULL ? t : "")) == NULL)
			rc = mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
		else
			*at_ms = sqlite3_column_int64(r.s, 1);
	} else if (r.step == SQLITE_DONE) {
		rc = MB_ERR_NOTFOUND;
	}
	return mb_sqlite__end(&r, rc, d);
}

static int
cache_put(struct mb_store *st, const char *key, const char *text,
    int64_t at_ms, struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "INSERT INTO mt_cache (key, text, "
	    "at_ms) VALUES (?1, ?2, ?3) ON CONFLICT (key) DO NOTHING", &r,
	    "translation cache", d)) != MB_OK)
		return rc;
	sqlite3_bind_text(r.s, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(r.s, 2, text, -1, SQLITE_STATIC);
	sqlite3_bind_int64(r.s, 3, at_ms);
	return mb_sqlite__done(&r, NULL, d);
}

static int
term_add(struct mb_store *st, const char *src, const char *dst,
    const char *term, const char *translation, int64_t *id, struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int64_t			changed = 0;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "INSERT INTO mt_glossary (src, dst, "
	    "term, translation) VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
	    &r, "glossary", d)) != MB_OK)
		return rc;
	sqlite3_bind_text(r.s, 1, src, -1, SQLITE_STATIC);
	sqlite3_bind_text(r.s, 2, dst, -1, SQLITE_STATIC);
	sqlite3_bind_text(r.s, 3, term, -1, SQLITE_STATIC);
	sqlite3_bind_text(r.s, 4, translation != NULL ? translation : "", -1,
	    SQLITE_STATIC);
	if ((rc = mb_sqlite__done(&r, &changed, d)) != MB_OK)
		return rc;
	if (changed == 0)
		return mb_diag_set(d, MB_ERR_EXISTS, "glossary: %s -> %s \"%s\" "
		    "is there already", src, dst, term);
	if (id != NULL)
		*id = sqlite3_last_insert_rowid(SQ(st)->db);
	return MB_OK;
}

static int
term_remove(struct mb_store *st, int64_t id, struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int64_t			changed = 0;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "DELETE FROM mt_glossary WHERE "
	    "id = ?1", &r, "glossary", d)) != MB_OK)
		return rc;
	sqlite3_bind_int64(r.s, 1, id);
	if ((rc = mb_sqlite__done(&r, &changed, d)) != MB_OK)
		return rc;
	if (changed == 0)
		return mb_diag_set(d, MB_ERR_NOTFOUND, "glossary entry %lld: "
		    "no such entry", (long long)id);
	return MB_OK;
}

static int
term_list(struct mb_store *st,
    int (*cb)(const struct mb_store_mt_term *t, void *arg), void *arg,
    struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	struct mb_store_mt_term	t;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "SELECT " MB_STORE_MT_TERM_COLS
	    " FROM mt_glossary ORDER BY id", &r, "glossary", d)) != MB_OK)
		return rc;
	while (rc == MB_OK && mb_sqlite__next(&r, &mb_store__mt_term_cols, &t))
		rc = cb(&t, arg);
	return mb_sqlite__end(&r, rc, d);
}

static int
draft_put(struct mb_store *st, const char *uri, const char *of_uri,
    int64_t of_version, const char *language, int64_t made_ms,
    struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "INSERT INTO mt_drafts (uri, "
	    "of_uri, of_version, language, made_ms) VALUES (?1, ?2, ?3, ?4, "
	    "?5) ON CONFLICT (uri) DO UPDATE SET of_version = "
	    "excluded.of_version, made_ms = excluded.made_ms", &r,
	    "machine draft", d)) != MB_OK)
		return rc;
	sqlite3_bind_text(r.s, 1, uri, -1, SQLITE_STATIC);
	sqlite3_bind_text(r.s, 2, of_uri, -1, SQLITE_STATIC);
	sqlite3_bind_int64(r.s, 3, of_version);
	sqlite3_bind_text(r.s, 4, language, -1, SQLITE_STATIC);
	sqlite3_bind_int64(r.s, 5, made_ms);
	return mb_sqlite__done(&r, NULL, d);
}

static int
draft_find(struct mb_store *st, const char *of_uri, const char *language,
    struct mb_store_mt_draft *out, struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int			rc;

	/* A draft whose item was canceled is no longer the language's. */
	if ((rc = mb_sqlite__query(SQ(st), "SELECT " MB_STORE_MT_DRAFT_COLS
	    " FROM mt_drafts d JOIN items i ON i.uri = d.uri WHERE "
	    "d.of_uri = ?1 AND d.language = ?2 AND i.pub_status <> 'canceled' "
	    "ORDER BY d.made_ms DESC LIMIT 1", &r, "machine draft", d)) !=
	    MB_OK)
		return rc;
	sqlite3_bind_text(r.s, 1, of_uri, -1, SQLITE_STATIC);
	sqlite3_bind_text(r.s, 2, language, -1, SQLITE_STATIC);
	memset(out, 0, sizeof(*out));
	return mb_sqlite__one(&r, &mb_store__mt_draft_cols, out, d);
}

static int
stale_list(struct mb_store *st,
    int (*cb)(const struct mb_store_mt_draft *t, void *arg), void *arg,
    struct mb_diag *d)
{
	struct mb_sqlite_rows		r;
	struct mb_store_mt_draft	t;
	int				rc;

	if ((rc = mb_sqlite__query(SQ(st), "SELECT " MB_STORE_MT_DRAFT_COLS
	    ", o.version FROM mt_drafts d JOIN items o ON o.uri = d.of_uri "
	    "JOIN items i ON i.uri = d.uri WHERE o.version > d.of_version "
	    "AND i.pub_status <> 'canceled' ORDER BY o.seq DESC, d.uri",
	    &r, "machine draft", d)) != MB_OK)
		return rc;
	while (rc == MB_OK && mb_sqlite__next(&r, &mb_store__mt_draft_cols,
	    &t)) {
		t.current = sqlite3_column_int64(r.s, 5);
		rc = cb(&t, arg);
	}
	return mb_sqlite__end(&r, rc, d);
}

const struct mb_store_mt_ops mb_sqlite_mt = {
	.cache_get = cache_get,
	.cache_put = cache_put,
	.term_add = term_add,
	.term_remove = term_remove,
	.term_list = term_list,
	.draft_put = draft_put,
	.draft_find = draft_find,
	.stale_list = stale_list,
};
