/* SPDX-License-Identifier: MIT */
/* The SQLite backend: WAL, 16 KB pages, FTS5, migrations, the log. */
#include "sqlite_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/timeutil.h"

/* The statements behind enum mb_sqlite_stmt, in the same order. */
#define VERSION_COLS \
	"seq, uri, version, center, local, origin, audience, pub_status, " \
	"workflow, language, type, profile, headline, embargo_ms, " \
	"created_ms, first_ms, received_ms, envelope"

static const char *const stmt_sql[STMT__COUNT] = {
	[STMT_VERSION_INSERT] = "INSERT INTO versions (uri, version, center, "
	    "local, origin, audience, pub_status, workflow, language, type, "
	    "profile, headline, embargo_ms, created_ms, first_ms, "
	    "received_ms, envelope, via) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
	    "?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
	[STMT_ITEM_FIND] = "SELECT id, version FROM items WHERE uri = ?1",
	[STMT_ITEM_INSERT] = "INSERT INTO items (uri, seq, version, center, "
	    "audience, pub_status, workflow, language, type, profile, "
	    "embargo_ms, created_ms, first_ms) VALUES (?1, ?2, ?3, ?4, ?5, "
	    "?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
	[STMT_ITEM_UPDATE] = "UPDATE items SET seq = ?2, version = ?3, "
	    "center = ?4, audience = ?5, pub_status = ?6, workflow = ?7, "
	    "language = ?8, type = ?9, profile = ?10, embargo_ms = ?11, "
	    "created_ms = ?12, first_ms = ?13 WHERE id = ?1",
	[STMT_FTS_DELETE] = "DELETE FROM fts WHERE rowid = ?1",
	[STMT_FTS_INSERT] = "INSERT INTO fts (rowid, headline, body) "
	    "VALUES (?1, ?2, ?3)",
	[STMT_PENDING_INSERT] = "INSERT OR IGNORE INTO fts_pending (item_id) "
	    "VALUES (?1)",
	[STMT_PENDING_DELETE] = "DELETE FROM fts_pending WHERE item_id = ?1",
	[STMT_GET_CURRENT] = "SELECT " VERSION_COLS " FROM versions WHERE "
	    "seq = (SELECT seq FROM items WHERE uri = ?1)",
	[STMT_GET_VERSION] = "SELECT " VERSION_COLS " FROM versions WHERE "
	    "uri = ?1 AND version = ?2",
	[STMT_HAS] = "SELECT 1 FROM versions WHERE uri = ?1 AND version = ?2",
	[STMT_LOG] = "SELECT " VERSION_COLS ", via FROM versions "
	    "WHERE seq > ?1 ORDER BY seq LIMIT ?2",
	[STMT_ALIAS_GET] = "SELECT uri FROM aliases WHERE key = ?1",
	[STMT_ALIAS_PUT] = "INSERT INTO aliases (key, uri) VALUES (?1, ?2) "
	    "ON CONFLICT (key) DO UPDATE SET uri = excluded.uri",
	[STMT_CENTER_PUT] = "INSERT INTO centers (id, name, country, "
	    "languages, url, key, role, status, updated_ms) VALUES (?1, ?2, "
	    "?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT (id) DO UPDATE SET "
	    "name = excluded.name, country = excluded.country, "
	    "languages = excluded.languages, url = excluded.url, "
	    "key = excluded.key, role = excluded.role, "
	    "status = excluded.status, updated_ms = excluded.updated_ms",
	[STMT_CENTER_GET] = "SELECT id, name, country, languages, url, key, "
	    "role, status, updated_ms FROM centers WHERE id = ?1",
	[STMT_CENTER_LIST] = "SELECT id, name, country, languages, url, key, "
	    "role, status, updated_ms FROM centers ORDER BY id",
	[STMT_TOPIC_ADD] = "INSERT OR IGNORE INTO item_topics (topic, "
	    "item_id) VALUES (?1, ?2)",
};

int
mb_sqlite_err(struct mb_store *st, struct mb_diag *d, const char *what)
{
	int code = sqlite3_extended_errcode(st->db);

	if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
		return mb_diag_set(d, MB_ERR_AGAIN, "store: %s: database busy",
		    what);
	if ((code & 0xff) == SQLITE_CORRUPT || (code & 0xff) == SQLITE_NOTADB)
		return mb_diag_set(d, MB_ERR_CORRUPT, "store: %s: %s", what,
		    sqlite3_errmsg(st->db));
	return mb_diag_set(d, MB_ERR_STORE, "store: %s: %s", what,
	    sqlite3_errmsg(st->db));
}

sqlite3_stmt *
mb_sqlite_stmt(struct mb_store *st, enum mb_sqlite_stmt s, struct mb_diag *d)
{
	sqlite3_stmt *stmt = st->stmt[s];

	if (stmt == NULL) {
		if (sqlite3_prepare_v3(st->db, stmt_sql[s], -1,
		    SQLITE_PREPARE_PERSISTENT, &st->stmt[s], NULL) !=
		    SQLITE_OK) {
			mb_sqlite_err(st, d, "prepare");
			return NULL;
		}
		return st->stmt[s];
	}
	sqlite3_reset(stmt);
	sqlite3_clear_bindings(stmt);
	return stmt;
}

static int
exec(struct mb_store *st, const char *sql, struct mb_diag *d)
{
	char *msg = NULL;

	if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		int rc = mb_sqlite_err(st, d, msg ? msg : "exec");

		sqlite3_free(msg);
		return rc;
	}
	return MB_OK;
}

/* Registers the tokenizer "mb": the caller's, or unicode61 under that name. */
static int
register_tokenizer(struct mb_store *st, const struct mb_store_opts *opts,
    struct mb_diag *d)
{
	fts5_api	*api = NULL;
	sqlite3_stmt	*s;
	fts5_tokenizer	 tok;
	void		*ud = NULL;
	int		 rc;

	if (sqlite3_prepare_v2(st->db, "SELECT fts5(?1)", -1, &s, NULL) !=
	    SQLITE_OK)
		return mb_sqlite_err(st, d, "fts5");
	sqlite3_bind_pointer(s, 1, &api, "fts5_api_ptr", NULL);
	sqlite3_step(s);
	sqlite3_finalize(s);
	if (api == NULL)
		return mb_diag_set(d, MB_ERR_UNSUPPORTED,
		    "store: this SQLite has no FTS5");
	if (opts != NULL && opts->fts5_tokenizer != NULL) {
		rc = api->xCreateTokenizer(api, "mb", opts->fts5_tokenizer_ctx,
		    (fts5_tokenizer *)opts->fts5_tokenizer, NULL);
	} else {
		if (api->xFindTokenizer(api, "unicode61", &ud, &tok) !=
		    SQLITE_OK)
			return mb_diag_set(d, MB_ERR_STORE,
			    "store: no unicode61 tokenizer");
		rc = api->xCreateTokenizer(api, "mb", ud, &tok, NULL);
	}
	if (rc != SQLITE_OK)
		return mb_diag_set(d, MB_ERR_STORE,
		    "store: cannot register the tokenizer");
	if (mb_sqlite_search_register(api) != SQLITE_OK)
		return mb_diag_set(d, MB_ERR_STORE,
		    "store: cannot register mb_bm25");
	return MB_OK;
}

static int
migrate(struct mb_store *st, struct mb_diag *d)
{
	sqlite3_stmt	*s;
	int		 have, from, want = 0, rc;
	char		 sql[64];

	while (mb_sqlite_migrations[want] != NULL)
		want++;
	if ((rc = exec(st, "BEGIN IMMEDIATE", d)) != MB_OK)
		return rc;
	if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s, NULL) !=
	    SQLITE_OK) {
		rc = mb_sqlite_err(st, d, "schema version");
		goto fail;
	}
	sqlite3_step(s);
	have = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	from = have;
	if (have > want) {
		rc = mb_diag_set(d, MB_ERR_UNSUPPORTED,
		    "store: schema version %d is newer than this program's "
		    "(%d); upgrade mediabridge", have, want);
		goto fail;
	}
	for (; have < want; have++) {
		if ((rc = exec(st, mb_sqlite_migrations[have], d)) != MB_OK) {
			mb_diag_prefix(d, "migration %d", have + 1);
			goto fail;
		}
		snprintf(sql, sizeof(sql), "PRAGMA user_version = %d",
		    have + 1);
		if ((rc = exec(st, sql, d)) != MB_OK)
			goto fail;
	}
	/* A new store says nothing; an upgraded one says what happened. */
	if (from > 0 && from < want)
		log_info("store: migrated schema=%d to=%d", from, want);
	st->schema_version = want;
	return exec(st, "COMMIT", d);
fail:
	exec(st, "ROLLBACK", NULL);
	return rc;
}

/*
 * FTS5 keeps the terms of the rows a transaction inserts in memory and
 * writes them out as a new segment of the index when they pass
 * 'hashsize' bytes (1 MB by default) and at commit; later inserts merge
 * segments ('automerge'), and that rewriting was most of what indexing a
 * bulk import cost. With 8 MB a bulk import writes an eighth as many
 * segments and rewrites each posting fewer times (measured: a third less
 * index time); the index ends with fewer, larger segments, which queries
 * like. The price is up to 8 MB of memory in the connection that writes.
 * 'automerge' and 'crisismerge' stay at their defaults: raising them
 * would leave more segments for every query to visit. The option lives
 * in fts_config, so it is written once per store.
 */
#define FTS_HASHSIZE	8388608
#define MB_STR_(x)	#x
#define MB_STR(x)	MB_STR_(x)

static int
tune_fts(struct mb_store *st, struct mb_diag *d)
{
	sqlite3_stmt	*s;
	int		 have = 0;

	if (sqlite3_prepare_v2(st->db, "SELECT v FROM fts_config WHERE "
	    "k = 'hashsize'", -1, &s, NULL) != SQLITE_OK)
		return mb_sqlite_err(st, d, "index settings");
	if (sqlite3_step(s) == SQLITE_ROW)
		have = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	if (have == FTS_HASHSIZE)
		return MB_OK;
	return exec(st, "INSERT INTO fts (fts, rank) VALUES ('hashsize', "
	    MB_STR(FTS_HASHSIZE) ")", d);
}

int
mb_store_open(const char *location, const struct mb_store_opts *opts,
    struct mb_store **out, struct mb_diag *d)
{
	struct mb_store	*st;
	const char	*path = location;
	int		 flags, rc;

	if (mb_pg_is_url(location))
		return mb_pg_store_open(location, opts, out, d);
	if (strncmp(location, "sqlite:", 7) == 0)
		path = location + 7;
	else if (strstr(location, "://") != NULL)
		return mb_diag_set(d, MB_ERR_UNSUPPORTED,
		    "store: %s: not a store (sqlite:PATH or postgresql://...)",
		    location);
	if ((st = calloc(1, sizeof(*st))) == NULL)
		return MB_ERR_NOMEM;
	flags = SQLITE_OPEN_NOMUTEX | (opts != NULL && opts->readonly ?
	    SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
	if (sqlite3_open_v2(path, &st->db, flags, NULL) != SQLITE_OK) {
		rc = mb_diag_set(d, MB_ERR_STORE, "store: %s: %s", path,
		    st->db ? sqlite3_errmsg(st->db) : "cannot open");
		goto fail;
	}
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_timeout(st->db, 10000);
	/*
	 * 16 KB pages suit 3-4 KB envelopes (ANCHORS.md: 4 KB pages wasted a
	 * fifth of the file); they only take effect on a new database.
	 * synchronous=NORMAL in WAL mode: a crash never corrupts nor
	 * half-applies a transaction; a power cut may lose the last ones,
	 * whole, which a re-pull or re-import restores.
	 */
	if ((rc = exec(st, "PRAGMA page_size = 16384;"
	    "PRAGMA journal_mode = WAL;"
	    "PRAGMA synchronous = NORMAL;"
	    "PRAGMA foreign_keys = ON;"
	    "PRAGMA cache_size = -65536;", d)) != MB_OK)
		goto fail;
	if ((rc = register_tokenizer(st, opts, d)) != MB_OK)
		goto fail;
	if ((rc = migrate(st, d)) != MB_OK)
		goto fail;
	if ((opts == NULL || !opts->readonly) && (rc = tune_fts(st, d)) !=
	    MB_OK)
		goto fail;
	*out = st;
	return MB_OK;
fail:
	mb_store_close(st);
	return rc;
}

void
mb_store_close(struct mb_store *st)
{
	if (st == NULL)
		return;
	if (st->pg != NULL) {
		mb_pg_store_close(st);
		return;
	}
	for (int i = 0; i < STMT__COUNT; i++)
		sqlite3_finalize(st->stmt[i]);
	mb_sqlite_search_close(st);
	if (st->in_txn)
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close_v2(st->db);
	mb_buf_free(&st->fts_h);
	mb_buf_free(&st->fts_b);
	free(st);
}

int
mb_store_schema_version(struct mb_store *st)
{
	if (st->pg != NULL)
		return mb_pg_schema_version(st->pg);
	return st->schema_version;
}

int
mb_store_begin(struct mb_store *st, struct mb_diag *d)
{
	int rc;

	if (st->pg != NULL)
		return mb_pg_begin(st->pg, d);
	if (st->in_txn)
		return mb_diag_set(d, MB_ERR_STORE,
		    "store: transaction already open");
	if ((rc = exec(st, "BEGIN IMMEDIATE", d)) == MB_OK)
		st->in_txn = 1;
	return rc;
}

int
mb_store_commit(struct mb_store *st, struct mb_diag *d)
{
	int rc;

	if (st->pg != NULL)
		return mb_pg_commit(st->pg, d);
	if (!st->in_txn)
		return mb_diag_set(d, MB_ERR_STORE, "store: no transaction");
	if ((rc = exec(st, "COMMIT", d)) != MB_OK) {
		mb_store_rollback(st);
		return rc;
	}
	st->in_txn = 0;
	return MB_OK;
}

void
mb_store_rollback(struct mb_store *st)
{
	if (st->pg != NULL) {
		mb_pg_rollback(st->pg);
		return;
	}
	if (!st->in_txn)
		return;
	sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	st->in_txn = 0;
}

/* Runs the rest of an operation in its own transaction when none is open. */
static int
auto_begin(struct mb_store *st, int *own, struct mb_diag *d)
{
	*own = 0;
	if (st->in_txn)
		return MB_OK;
	*own = 1;
	return mb_store_begin(st, d);
}

static int
auto_end(struct mb_store *st, int own, int rc, struct mb_diag *d)
{
	if (!own)
		return rc;
	if (rc == MB_OK)
		return mb_store_commit(st, d);
	mb_store_rollback(st);
	return rc;
}

static void
bind_text_or_null(sqlite3_stmt *s, int i, const char *v)
{
	if (v != NULL)
		sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(s, i);
}

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
	bind_text_or_null(s, 8, v->language);
	bind_text_or_null(s, 9, v->type);
	bind_text_or_null(s, 10, v->profile);
	sqlite3_bind_int64(s, 11, v->embargo_ms);
	sqlite3_bind_int64(s, 12, v->created_ms);
	sqlite3_bind_int64(s, 13, v->first_ms);
}

/* "\x1f" lang "\x1f" text: the tokenizer reads the language off it. */
static int
marked(struct mb_buf *b, const char *lang, const char *text)
{
	mb_buf_reset(b);
	if (lang != NULL && mb_buf_printf(b, "\x1f%s\x1f", lang) != MB_OK)
		return MB_ERR_NOMEM;
	if (mb_buf_puts(b, text != NULL ? text : "") != MB_OK)
		return MB_ERR_NOMEM;
	return MB_OK;
}

/* Indexes the text of item_id; is_new: the item was just created, so
 * it has no row in the index to replace. */
static int
index_item(struct mb_store *st, int64_t item_id, bool is_new,
    const struct mb_store_text *t, struct mb_diag *d)
{
	struct mb_buf	*h = &st->fts_h, *b = &st->fts_b;
	sqlite3_stmt	*s;
	int		 rc = MB_OK;

	if (!is_new) {
		if ((s = mb_sqlite_stmt(st, STMT_FTS_DELETE, d)) == NULL)
			return MB_ERR_STORE;
		sqlite3_bind_int64(s, 1, item_id);
		if (sqlite3_step(s) != SQLITE_DONE)
			return mb_sqlite_err(st, d, "index");
	}
	if (marked(h, t->language, t->headline) != MB_OK ||
	    marked(b, t->language, t->body) != MB_OK)
		return mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
	if ((s = mb_sqlite_stmt(st, STMT_FTS_INSERT, d)) == NULL)
		return MB_ERR_STORE;
	sqlite3_bind_int64(s, 1, item_id);
	sqlite3_bind_text(s, 2, h->data, (int)h->len, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, b->data, (int)b->len, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_DONE)
		rc = mb_sqlite_err(st, d, "index");
	sqlite3_reset(s);
	/* One item's text is 3-4 KB; keep the buffers unless it was huge. */
	if (h->cap > 65536)
		mb_buf_free(h);
	if (b->cap > 65536)
		mb_buf_free(b);
	return rc;
}

static int
put_locked(struct mb_store *st, const struct mb_store_version *v,
    const struct mb_store_text *text, int64_t *seq_out, struct mb_diag *d)
{
	sqlite3_stmt	*s;
	int64_t		 seq, item_id = 0, cur_version = 0;
	int		 found = 0, rc;
	bool		 has;

	/*
	 * Look first rather than let the insert conflict: a conflicting
	 * insert would still use up a sequence number.
	 */
	if ((rc = mb_store_has(st, v->uri, v->version, &has, d)) != MB_OK)
		return rc;
	if (has)
		return MB_ERR_EXISTS;
	if ((s = mb_sqlite_stmt(st, STMT_VERSION_INSERT, d)) == NULL)
		return MB_ERR_STORE;
	sqlite3_bind_text(s, 1, v->uri, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, v->version);
	sqlite3_bind_text(s, 3, v->center, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, v->local, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, v->origin, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 6, v->audience, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 7, v->pub_status, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 8, v->workflow, -1, SQLITE_STATIC);
	bind_text_or_null(s, 9, v->language);
	bind_text_or_null(s, 10, v->type);
	bind_text_or_null(s, 11, v->profile);
	bind_text_or_null(s, 12, v->headline);
	sqlite3_bind_int64(s, 13, v->embargo_ms);
	sqlite3_bind_int64(s, 14, v->created_ms);
	sqlite3_bind_int64(s, 15, v->first_ms);
	sqlite3_bind_int64(s, 16, v->received_ms ? v->received_ms :
	    mb_time_now_ms());
	sqlite3_bind_blob(s, 17, v->envelope, (int)v->envelope_len,
	    SQLITE_STATIC);
	bind_text_or_null(s, 18, v->via);
	if (sqlite3_step(s) != SQLITE_DONE)
		return mb_sqlite_err(st, d, "put");
	sqlite3_reset(s);
	seq = sqlite3_last_insert_rowid(st->db);

	if ((s = mb_sqlite_stmt(st, STMT_ITEM_FIND, d)) == NULL)
		return MB_ERR_STORE;
	sqlite3_bind_text(s, 1, v->uri, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		found = 1;
		item_id = sqlite3_column_int64(s, 0);
		cur_version = sqlite3_column_int64(s, 1);
	} else if (rc != SQLITE_DONE) {
		return mb_sqlite_err(st, d, "put");
	}
	sqlite3_reset(s);
	if (found && cur_version > v->version) {
		/* An older version arriving late: kept, not current. */
		*seq_out = seq;
		return MB_OK;
	}
	s = mb_sqlite_stmt(st, found ? STMT_ITEM_UPDATE : STMT_ITEM_INSERT,
	    d);
	if (s == NULL)
		return MB_ERR_STORE;
	if (found)
		sqlite3_bind_int64(s, 1, item_id);
	else
		sqlite3_bind_text(s, 1, v->uri, -1, SQLITE_STATIC);
	bind_item_facts(s, v, seq);
	if (sqlite3_step(s) != SQLITE_DONE)
		return mb_sqlite_err(st, d, "put");
	sqlite3_reset(s);
	if (!found)
		item_id = sqlite3_last_insert_rowid(st->db);
	if ((rc = mb_sqlite_search_put(st, item_id, !found, v, d)) != MB_OK)
		return rc;
	if (text != NULL) {
		if ((rc = index_item(st, item_id, !found, text, d)) != MB_OK)
			return rc;
		if (found) {
			if ((s = mb_sqlite_stmt(st, STMT_PENDING_DELETE, d)) ==
			    NULL)
				return MB_ERR_STORE;
			sqlite3_bind_int64(s, 1, item_id);
			if (sqlite3_step(s) != SQLITE_DONE)
				return mb_sqlite_err(st, d, "put");
		}
	} else {
		if ((s = mb_sqlite_stmt(st, STMT_PENDING_INSERT, d)) == NULL)
			return MB_ERR_STORE;
		sqlite3_bind_int64(s, 1, item_id);
		if (sqlite3_step(s) != SQLITE_DONE)
			return mb_sqlite_err(st, d, "put");
	}
	*seq_out = seq;
	return MB_OK;
}

int
mb_store_put(struct mb_store *st, const struct mb_store_version *v,
    const struct mb_store_text *text, int64_t *seq, struct mb_diag *d)
{
	int64_t	s = 0;
	int	own, rc;

	if (st->pg != NULL)
		return mb_pg_put(st->pg, v, text, seq, d);
	if ((rc = auto_begin(st, &own, d)) != MB_OK)
		return rc;
	rc = put_locked(st, v, text, &s, d);
	/* EXISTS changed nothing: commit the (empty) transaction anyway. */
	if (rc == MB_ERR_EXISTS) {
		if (own && mb_store_commit(st, d) != MB_OK)
			return MB_ERR_STORE;
		return MB_ERR_EXISTS;
	}
	if ((rc = auto_end(st, own, rc, d)) == MB_OK)
		*seq = s;
	return rc;
}

static const char *
col_text(sqlite3_stmt *s, int i)
{
	return (const char *)sqlite3_column_text(s, i);
}

static void
row_to_version(sqlite3_stmt *s, struct mb_store_version *v)
{
	v->seq = sqlite3_column_int64(s, 0);
	v->uri = col_text(s, 1);
	v->version = sqlite3_column_int64(s, 2);
	v->center = col_text(s, 3);
	v->local = col_text(s, 4);
	v->origin = col_text(s, 5);
	v->audience = col_text(s, 6);
	v->pub_status = col_text(s, 7);
	v->workflow = col_text(s, 8);
	v->language = col_text(s, 9);
	v->type = col_text(s, 10);
	v->profile = col_text(s, 11);
	v->headline = col_text(s, 12);
	v->embargo_ms = sqlite3_column_int64(s, 13);
	v->created_ms = sqlite3_column_int64(s, 14);
	v->first_ms = sqlite3_column_int64(s, 15);
	v->received_ms = sqlite3_column_int64(s, 16);
	v->envelope = sqlite3_column_blob(s, 17);
	v->envelope_len = (size_t)sqlite3_column_bytes(s, 17);
	if (v->envelope == NULL)
		v->envelope = "";
	v->subjects = NULL;
	/* Only the log selects it, after the version's own columns. */
	v->via = sqlite3_column_count(s) > 18 ? col_text(s, 18) : NULL;
}

/* Steps through s, handing each row to cb. */
static int
visit(struct mb_store *st, sqlite3_stmt *s, mb_store_version_cb cb,
    void *arg, int *rows, struct mb_diag *d)
{
	struct mb_store_version	v;
	int			rc, n = 0;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		n++;
		row_to_version(s, &v);
		if ((rc = cb(&v, arg)) != MB_OK) {
			sqlite3_reset(s);
			if (rows)
				*rows = n;
			return rc > 0 ? MB_OK : rc;
		}
	}
	if (rows)
		*rows = n;
	if (rc != SQLITE_DONE) {
		rc = mb_sqlite_err(st, d, "read");
		sqlite3_reset(s);
		return rc;
	}
	sqlite3_reset(s);
	return MB_OK;
}

int
mb_store_get(struct mb_store *st, const char *uri, int64_t version,
    mb_store_version_cb cb, void *arg, struct mb_diag *d)
{
	sqlite3_stmt	*s;
	int		 rows = 0, rc;

	if (st->pg != NULL)
		return mb_pg_get(st->pg, uri, version, cb, arg, d);
	s = mb_sqlite_stmt(st, version ? STMT_GET_VERSION : STMT_GET_CURRENT,
	    d);
	if (s == NULL)
		return MB_ERR_STORE;
	sqlite3_bind_text(s, 1, uri, -1, SQLITE_TRANSIENT);
	if (version)
		sqlite3_bind_int64(s, 2, version);
	if ((rc = visit(st, s, cb, arg, &rows, d)) != MB_OK)
		return rc;
	if (rows == 0)
		return mb_diag_set(d, MB_ERR_NOTFOUND, "%s%s: not found", uri,
		    version ? " at that version" : "");
	return MB_OK;
}

int
mb_store_has(struct mb_store *st, const char *uri, int64_t version,
    bool *has, struct mb_diag *d)
{
	sqlite3_stmt	*s;
	int		 rc;

	if (st->pg != NULL)
		return mb_pg_has(st->pg, uri, version, has, d);
	if ((s = mb_sqlite_stmt(st, STMT_HAS, d)) == NULL)
		return MB_ERR_STORE;
	sqlite3_bind_text(s, 1, uri, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 2, version);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return mb_sqlite_err(st, d, "read");
	*has = rc == SQLITE_ROW;
	return MB_OK;
}

int
mb_store_log(struct mb_store *st, int64_t after, int64_t limit,
    mb_store_version_cb cb, void *arg, struct mb_diag *d)
{
	sqlite3_stmt *s;

	if (st->pg != NULL)
		return mb_pg_log(st->pg, after, limit, cb, arg, d);
	if ((s = mb_sqlite_stmt(st, STMT_LOG, d)) == NULL)
		return MB_ERR_STORE;
	sqlite3_bind_int64(s, 1, after);
	sqlite3_bind_int64(s, 2, limit > 0 ? limit : -1);
	return visit(st, s, cb, arg, NULL, d);
}

static int
query_int64(struct mb_store *st, const char *sql, int64_t *out,
    struct mb_diag *d)
{
	sqlite3_stmt	*s;
	int		 rc;

	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
		return mb_sqlite_err(st, d, "read");
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW)
		return mb_sqlite_err(st, d, "read");
	return MB_OK;
}

int
mb_store_stats(struct mb_store *st, struct mb_store_stats *out,
    struct mb_diag *d)
{
	struct mb_store_stats	s;
	int			rc;

	if (st->pg != NULL)
		return mb_pg_stats(st->pg, out, d);
	memset(&s, 0, sizeof(s));
	if ((rc = query_int64(st, "SELECT count(*) FROM items", &s.items,
	    d)) != MB_OK ||
	    (rc = query_int64(st, "SELECT count(*) FROM versions",
	    &s.versions, d)) != MB_OK ||
	    (rc = query_int64(st, "SELECT coalesce(max(seq), 0) FROM versions",
	    &s.last_seq, d)) != MB_OK ||
	    (rc = query_int64(st, "SELECT count(*) FROM fts_pending",
	    &s.unindexed, d)) != MB_OK)
		return rc;
	*out = s;
	return MB_OK;
}

/* The invariants, each a query listing what breaks it. */
static const struct {
	const char *what;
	const char *sql;
} invariants[] = {
	{ "item does not point at its highest version",
	  "SELECT i.uri FROM items i WHERE i.seq IS NOT (SELECT v.seq FROM "
	  "versions v WHERE v.uri = i.uri ORDER BY v.version DESC LIMIT 1)" },
	{ "item's facts differ from its current version",
	  "SELECT i.uri FROM items i JOIN versions v ON v.seq = i.seq WHERE "
	  "v.uri IS NOT i.uri OR v.version IS NOT i.version OR v.audience "
	  "IS NOT i.audience OR v.pub_status IS NOT i.pub_status" },
	{ "version belongs to no item",
	  "SELECT v.uri FROM versions v WHERE NOT EXISTS (SELECT 1 FROM "
	  "items i WHERE i.uri = v.uri)" },
	{ "index row for no item",
	  "SELECT f.rowid FROM fts f WHERE NOT EXISTS (SELECT 1 FROM items i "
	  "WHERE i.id = f.rowid)" },
};

int
mb_store_check(struct mb_store *st,
    void (*report)(const char *problem, void *arg), void *arg,
    struct mb_diag *d)
{
	sqlite3_stmt	*s;
	char		 line[512];
	int		 bad = 0, rc;

	if (st->pg != NULL)
		return mb_pg_check(st->pg, report, arg, d);
	if (sqlite3_prepare_v2(st->db, "PRAGMA integrity_check", -1, &s,
	    NULL) != SQLITE_OK)
		return mb_sqlite_err(st, d, "integrity check");
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *r = col_text(s, 0);

		if (r != NULL && strcmp(r, "ok") != 0) {
			bad++;
			snprintf(line, sizeof(line), "database: %s", r);
			if (report)
				report(line, arg);
		}
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		bad++;
		snprintf(line, sizeof(line), "database: %s",
		    sqlite3_errmsg(st->db));
		if (report)
			report(line, arg);
	}
	for (size_t i = 0; i < sizeof(invariants) / sizeof(invariants[0]);
	    i++) {
		if (sqlite3_prepare_v2(st->db, invariants[i].sql, -1, &s,
		    NULL) != SQLITE_OK)
			return mb_sqlite_err(st, d, "check");
		while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
			bad++;
			snprintf(line, sizeof(line), "%s: %s",
			    col_text(s, 0) ? col_text(s, 0) : "?",
			    invariants[i].what);
			if (report)
				report(line, arg);
		}
		sqlite3_finalize(s);
	}
	if (bad)
		return mb_diag_set(d, MB_ERR_CORRUPT,
		    "store: %d problem%s found", bad, bad == 1 ? "" : "s");
	return MB_OK;
}

int
mb_store_index_next(struct mb_store *st, int64_t limit,
    int (*cb)(const struct mb_store_version *v, struct mb_store_text *t,
	void *arg), void *arg, int64_t *done, struct mb_diag *d)
{
	sqlite3_stmt		*s;
	struct mb_store_version	 v;
	struct mb_store_text	 t;
	int64_t			 n = 0;
	int			 rc;

	if (st->pg != NULL)
		return mb_pg_index_next(st->pg, limit, cb, arg, done, d);
	if (sqlite3_prepare_v2(st->db, "SELECT i.id, v.seq, v.uri, "
	    "v.version, v.center, v.local, v.origin, v.audience, v.pub_status, "
	    "v.workflow, v.language, v.type, v.profile, v.headline, "
	    "v.embargo_ms, v.created_ms, v.first_ms, v.received_ms, v.envelope "
	    "FROM fts_pending p JOIN items i ON i.id = p.item_id "
	    "JOIN versions v ON v.seq = i.seq LIMIT ?1", -1, &s, NULL) !=
	    SQLITE_OK)
		return mb_sqlite_err(st, d, "index");
	/*
	 * The column list is VERSION_COLS shifted by one; read the rows into
	 * the transaction that indexes them.
	 */
	if ((rc = mb_store_begin(st, d)) != MB_OK) {
		sqlite3_finalize(s);
		return rc;
	}
	sqlite3_bind_int64(s, 1, limit);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int64_t		 id = sqlite3_column_int64(s, 0);
		sqlite3_stmt	*p;

		v.seq = sqlite3_column_int64(s, 1);
		v.uri = col_text(s, 2);
		v.version = sqlite3_column_int64(s, 3);
		v.center = col_text(s, 4);
		v.local = col_text(s, 5);
		v.origin = col_text(s, 6);
		v.audience = col_text(s, 7);
		v.pub_status = col_text(s, 8);
		v.workflow = col_text(s, 9);
		v.language = col_text(s, 10);
		v.type = col_text(s, 11);
		v.profile = col_text(s, 12);
		v.headline = col_text(s, 13);
		v.embargo_ms = sqlite3_column_int64(s, 14);
		v.created_ms = sqlite3_column_int64(s, 15);
		v.first_ms = sqlite3_column_int64(s, 16);
		v.received_ms = sqlite3_column_int64(s, 17);
		v.envelope = sqlite3_column_blob(s, 18);
		v.envelope_len = (size_t)sqlite3_column_bytes(s, 18);
		memset(&t, 0, sizeof(t));
		if ((rc = cb(&v, &t, arg)) != MB_OK)
			goto fail;
		if ((rc = index_item(st, id, false, &t, d)) != MB_OK)
			goto fail;
		if ((p = mb_sqlite_stmt(st, STMT_PENDING_DELETE, d)) == NULL) {
			rc = MB_ERR_STORE;
			goto fail;
		}
		sqlite3_bind_int64(p, 1, id);
		if (sqlite3_step(p) != SQLITE_DONE) {
			rc = mb_sqlite_err(st, d, "index");
			goto fail;
		}
		n++;
	}
	if (rc != SQLITE_DONE) {
		rc = mb_sqlite_err(st, d, "index");
		goto fail;
	}
	sqlite3_finalize(s);
	if ((rc = mb_store_commit(st, d)) != MB_OK)
		return rc;
	*done = n;
	return MB_OK;
fail:
	sqlite3_finalize(s);
	mb_store_rollback(st);
	return rc;
}

int
mb_store_alias_get(struct mb_store *st, const char *key, struct mb_buf *uri,
    struct mb_diag *d)
{
	sqlite3_stmt	*s;
	int		 rc;

	if (st->pg != NULL)
		return mb_pg_alias_get(st->pg, key, uri, d);
	if ((s = mb_sqlite_stmt(st, STMT_ALIAS_GET, d)) == NULL)
		return MB_ERR_STORE;
	sqlite3_bind_text(s, 1, key, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		mb_buf_reset(uri);
		rc = mb_buf_puts(uri, col_text(s, 0));
		sqlite3_reset(s);
		return rc;
	}
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return MB_ERR_NOTFOUND;
	return mb_sqlite_err(st, d, "alias");
}

int
mb_store_alias_put(struct mb_store *st, const char *key, const char *uri,
    struct mb_diag *d)
{
	sqlite3_stmt	*s;
	int		 rc;

	if (st->pg != NULL)
		return mb_pg_alias_put(st->pg, key, uri, d);
	if ((s = mb_sqlite_stmt(st, STMT_ALIAS_PUT, d)) == NULL)
		return MB_ERR_STORE;
	sqlite3_bind_text(s, 1, key, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 2, uri, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return mb_sqlite_err(st, d, "alias");
	return MB_OK;
}

int
mb_store_center_put(struct mb_store *st, const struct mb_center *c,
    struct mb_diag *d)
{
	sqlite3_stmt	*s;
	int		 rc;

	if (st->pg != NULL)
		return mb_pg_center_put(st->pg, c, d);
	if ((s = mb_sqlite_stmt(st, STMT_CENTER_PUT, d)) == NULL)
		return MB_ERR_STORE;
	sqlite3_bind_text(s, 1, c->id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 2, c->name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 3, c->country, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 4, c->languages, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 5, c->url, -1, SQLITE_TRANSIENT);
	sqlite3_bind_blob(s, 6, c->key, sizeof(c->key), SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 7, c->role, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 8, c->status, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 9, c->updated_ms ? c->updated_ms :
	    mb_time_now_ms());
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return mb_sqlite_err(st, d, "center");
	return MB_OK;
}

static void
copy_col(char *dst, size_t n, sqlite3_stmt *s, int i)
{
	const char *v = col_text(s, i);

	snprintf(dst, n, "%s", v != NULL ? v : "");
}

static void
row_to_center(sqlite3_stmt *s, struct mb_center *c)
{
	memset(c, 0, sizeof(*c));
	copy_col(c->id, sizeof(c->id), s, 0);
	copy_col(c->name, sizeof(c->name), s, 1);
	copy_col(c->country, sizeof(c->country), s, 2);
	copy_col(c->languages, sizeof(c->languages), s, 3);
	copy_col(c->url, sizeof(c->url), s, 4);
	if (sqlite3_column_bytes(s, 5) == (int)sizeof(c->key))
		memcpy(c->key, sqlite3_column_blob(s, 5), sizeof(c->key));
	copy_col(c->role, sizeof(c->role), s, 6);
	copy_col(c->status, sizeof(c->status), s, 7);
	c->updated_ms = sqlite3_column_int64(s, 8);
}

int
mb_store_center_get(struct mb_store *st, const char *id,
    struct mb_center *out, struct mb_diag *d)
{
	sqlite3_stmt	*s;
	int		 rc;

	if (st->pg != NULL)
		return mb_pg_center_get(st->pg, id, out, d);
	if ((s = mb_sqlite_stmt(st, STMT_CENTER_GET, d)) == NULL)
		return MB_ERR_STORE;
	sqlite3_bind_text(s, 1, id, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		row_to_center(s, out);
	sqlite3_reset(s);
	if (rc == SQLITE_ROW)
		return MB_OK;
	if (rc == SQLITE_DONE)
		return mb_diag_set(d, MB_ERR_NOTFOUND, "center %s: unknown",
		    id);
	return mb_sqlite_err(st, d, "center");
}

int
mb_store_center_list(struct mb_store *st,
    int (*cb)(const struct mb_center *c, void *arg), void *arg,
    struct mb_diag *d)
{
	sqlite3_stmt		*s;
	struct mb_center	 c;
	int			 rc;

	if (st->pg != NULL)
		return mb_pg_center_list(st->pg, cb, arg, d);
	if ((s = mb_sqlite_stmt(st, STMT_CENTER_LIST, d)) == NULL)
		return MB_ERR_STORE;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		row_to_center(s, &c);
		if ((rc = cb(&c, arg)) != MB_OK) {
			sqlite3_reset(s);
			return rc > 0 ? MB_OK : rc;
		}
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return mb_sqlite_err(st, d, "center");
	return MB_OK;
}
