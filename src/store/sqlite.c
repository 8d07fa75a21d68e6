/* SPDX-License-Identifier: MIT */
/* The SQLite backend: the connection (WAL, 16 KB pages, FTS5), migrations, transactions, row walks. */
#include "sqlite_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/hash.h"
#include "base/log.h"
#include "base/timeutil.h"
#include "store/sql.h"

const struct mb_sql_dialect mb_sqlite_dialect = {
	MB_STORE_SQLITE,
	"lower(substr(i.language, 1, instr(i.language || '-', '-') - 1))",
};

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
	    "languages, url, key, role, status, updated_ms, names, mt_pairs) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) "
	    "ON CONFLICT (id) DO UPDATE SET "
	    "name = excluded.name, country = excluded.country, "
	    "languages = excluded.languages, url = excluded.url, "
	    "key = excluded.key, role = excluded.role, "
	    "status = excluded.status, updated_ms = excluded.updated_ms, "
	    "names = excluded.names, mt_pairs = excluded.mt_pairs",
	[STMT_CENTER_GET] = "SELECT " MB_STORE_CENTER_COLS " FROM centers "
	    "WHERE id = ?1",
	[STMT_CENTER_LIST] = "SELECT " MB_STORE_CENTER_COLS " FROM centers "
	    "ORDER BY id",
	/* With the item's listing order (the scale domain's columns). */
	[STMT_TOPIC_ADD] = "INSERT OR IGNORE INTO item_topics (topic, "
	    "item_id, first_ms, seq) SELECT ?1, id, first_ms, seq FROM items "
	    "WHERE id = ?2",
};

int
mb_sqlite_err(struct mb_sqlite *sq, struct mb_diag *d, const char *what)
{
	int code = sqlite3_extended_errcode(sq->db);

	if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
		return mb_diag_set(d, MB_ERR_AGAIN, "store: %s: database busy",
		    what);
	if ((code & 0xff) == SQLITE_FULL) {
		/* The rollback checkpoints the log (mb_sqlite_rollback). */
		sq->full = 1;
		return mb_diag_set(d, MB_ERR_NOSPACE, "store: %s: the disk "
		    "is full: %s", what, sqlite3_errmsg(sq->db));
	}
	if ((code & 0xff) == SQLITE_CORRUPT || (code & 0xff) == SQLITE_NOTADB)
		return mb_diag_set(d, MB_ERR_CORRUPT, "store: %s: %s", what,
		    sqlite3_errmsg(sq->db));
	return mb_diag_set(d, MB_ERR_STORE, "store: %s: %s", what,
	    sqlite3_errmsg(sq->db));
}

sqlite3_stmt *
mb_sqlite_stmt(struct mb_sqlite *sq, enum mb_sqlite_stmt s, struct mb_diag *d)
{
	sqlite3_stmt *stmt = sq->stmt[s];

	if (stmt == NULL) {
		if (sqlite3_prepare_v3(sq->db, stmt_sql[s], -1,
		    SQLITE_PREPARE_PERSISTENT, &sq->stmt[s], NULL) !=
		    SQLITE_OK) {
			mb_sqlite_err(sq, d, "prepare");
			return NULL;
		}
		return sq->stmt[s];
	}
	sqlite3_reset(stmt);
	sqlite3_clear_bindings(stmt);
	return stmt;
}

int
mb_sqlite__exec(struct mb_sqlite *sq, const char *sql, struct mb_diag *d)
{
	char *msg = NULL;

	if (sqlite3_exec(sq->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		int rc = mb_sqlite_err(sq, d, msg ? msg : "exec");

		sqlite3_free(msg);
		return rc;
	}
	return MB_OK;
}

/* Registers the tokenizer "mb": the caller's, or unicode61 under that name. */
static int
register_tokenizer(struct mb_sqlite *sq, const struct mb_store_opts *opts,
    struct mb_diag *d)
{
	fts5_api	*api = NULL;
	sqlite3_stmt	*s;
	fts5_tokenizer	 tok;
	void		*ud = NULL;
	int		 rc;

	if (sqlite3_prepare_v2(sq->db, "SELECT fts5(?1)", -1, &s, NULL) !=
	    SQLITE_OK)
		return mb_sqlite_err(sq, d, "fts5");
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
migrate(struct mb_sqlite *sq, struct mb_diag *d)
{
	sqlite3_stmt	*s;
	int		 have, from, want = 0, rc;
	char		 sql[64];

	while (mb_sqlite_migrations[want] != NULL)
		want++;
	if ((rc = mb_sqlite__exec(sq, "BEGIN IMMEDIATE", d)) != MB_OK)
		return rc;
	if (sqlite3_prepare_v2(sq->db, "PRAGMA user_version", -1, &s, NULL) !=
	    SQLITE_OK) {
		rc = mb_sqlite_err(sq, d, "schema version");
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
	if (have < want && (rc = mb_sqlite_lower_register(sq, true, d)) !=
	    MB_OK)
		goto fail;
	for (; have < want; have++) {
		if ((rc = mb_sqlite__exec(sq, mb_sqlite_migrations[have], d)) != MB_OK) {
			mb_diag_prefix(d, "migration %d", have + 1);
			goto fail;
		}
		snprintf(sql, sizeof(sql), "PRAGMA user_version = %d",
		    have + 1);
		if ((rc = mb_sqlite__exec(sq, sql, d)) != MB_OK)
			goto fail;
	}
	/* A new store says nothing; an upgraded one says what happened. */
	if (from > 0 && from < want) {
		log_info("store: migrated schema=%d to=%d", from, want);
		/* The scale domain's counts of what the steps changed. */
		if ((rc = mb_sqlite_counts_after_migration(sq, d)) != MB_OK)
			goto fail;
	}
	sq->schema_version = want;
	mb_sqlite_lower_register(sq, false, NULL);
	return mb_sqlite__exec(sq, "COMMIT", d);
fail:
	mb_sqlite_lower_register(sq, false, NULL);
	mb_sqlite__exec(sq, "ROLLBACK", NULL);
	return rc;
}

/*
 * FTS5 keeps the terms of the rows a transaction inserts in memory and
 * writes them out as a new segment of the index when they pass
 * 'hashsize' bytes (1 MB by default) and at commit. With 8 MB a bulk
 * import writes an eighth as many segments and rewrites each posting
 * fewer times (measured: a third less index time); the index ends with
 * fewer, larger segments, which queries like. The price is up to 8 MB of
 * memory in the connection that writes.
 *
 * 'automerge' is 0: a commit only writes its segment, and the merging
 * of segments that FTS5 would otherwise do inside every commit (a fifth
 * of the exchange's writer, docs/benchmarks.md "Merges when idle") is
 * done when the store is idle instead, by mb_store_index_tidy() in
 * serve's indexer. 'crisismerge' stays at its default (16): a level
 * that reaches 16 segments is merged in the commit that made it so,
 * which bounds what a query visits on a store nobody tidies (a center
 * that only runs `sync --once` or `import`). The options live in
 * fts_config, so they are written once per store.
 */
#define FTS_HASHSIZE	8388608
#define MB_STR_(x)	#x
#define MB_STR(x)	MB_STR_(x)

static int
tune_fts(struct mb_sqlite *sq, struct mb_diag *d)
{
	sqlite3_stmt	*s;
	int		 hashsize = 0, automerge = -1, rc;

	if (sqlite3_prepare_v2(sq->db, "SELECT k, v FROM fts_config WHERE "
	    "k IN ('hashsize', 'automerge')", -1, &s, NULL) != SQLITE_OK)
		return mb_sqlite_err(sq, d, "index settings");
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *k = (const char *)sqlite3_column_text(s, 0);

		if (k != NULL && strcmp(k, "hashsize") == 0)
			hashsize = sqlite3_column_int(s, 1);
		else if (k != NULL)
			automerge = sqlite3_column_int(s, 1);
	}
	sqlite3_finalize(s);
	if (hashsize != FTS_HASHSIZE && (rc = mb_sqlite__exec(sq,
	    "INSERT INTO fts (fts, rank) VALUES ('hashsize', "
	    MB_STR(FTS_HASHSIZE) ")", d)) != MB_OK)
		return rc;
	if (automerge != 0 && (rc = mb_sqlite__exec(sq,
	    "INSERT INTO fts (fts, rank) VALUES ('automerge', 0)", d)) !=
	    MB_OK)
		return rc;
	return MB_OK;
}

/* Locations that are SQLite files: "sqlite:PATH", or a path. */
static bool
sqlite_accepts(const char *location)
{
	return strncmp(location, "sqlite:", 7) == 0 ||
	    strstr(location, "://") == NULL;
}

static void sqlite_close(struct mb_store *st);

static int
sqlite_open(const char *location, const struct mb_store_opts *opts,
    struct mb_store **out, struct mb_diag *d)
{
	struct mb_sqlite	*sq;
	const char		*path = location;
	int			 flags, rc;

	if (strncmp(location, "sqlite:", 7) == 0)
		path = location + 7;
	if ((sq = calloc(1, sizeof(*sq))) == NULL)
		return MB_ERR_NOMEM;
	sq->base.ops = &mb_sqlite_ops;
	flags = SQLITE_OPEN_NOMUTEX | (opts != NULL && opts->readonly ?
	    SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
	if (sqlite3_open_v2(path, &sq->db, flags, NULL) != SQLITE_OK) {
		rc = mb_diag_set(d, MB_ERR_STORE, "store: %s: %s", path,
		    sq->db ? sqlite3_errmsg(sq->db) : "cannot open");
		goto fail;
	}
	sqlite3_extended_result_codes(sq->db, 1);
	sqlite3_busy_timeout(sq->db, 10000);
	/*
	 * 16 KB pages suit 3-4 KB envelopes (ANCHORS.md: 4 KB pages wasted a
	 * fifth of the file); they only take effect on a new database.
	 * synchronous=NORMAL in WAL mode: a crash never corrupts nor
	 * half-applies a transaction; a power cut may lose the last ones,
	 * whole, which a re-pull or re-import restores.
	 */
	/*
	 * auto_vacuum = INCREMENTAL (a new database only: an old one keeps
	 * NONE until a VACUUM): FTS5's merges leave pages free, 3-10 % of
	 * a freshly filled store; closing gives them back (sqlite_close).
	 */
	sq->writable = opts == NULL || !opts->readonly;
	if ((rc = mb_sqlite__exec(sq, "PRAGMA page_size = 16384;", d)) !=
	    MB_OK)
		goto fail;
	/* After page_size: this one writes the new file's header. */
	if (sq->writable && (rc = mb_sqlite__exec(sq,
	    "PRAGMA auto_vacuum = INCREMENTAL;", d)) != MB_OK)
		goto fail;
	if ((rc = mb_sqlite__exec(sq, "PRAGMA journal_mode = WAL;"
	    "PRAGMA synchronous = NORMAL;"
	    "PRAGMA foreign_keys = ON;"
	    "PRAGMA cache_size = -65536;", d)) != MB_OK)
		goto fail;
	if (opts != NULL && opts->cache_kb > 0) {
		char pragma[64];

		snprintf(pragma, sizeof(pragma), "PRAGMA cache_size = -%d;",
		    opts->cache_kb);
		if ((rc = mb_sqlite__exec(sq, pragma, d)) != MB_OK)
			goto fail;
	}
	if ((rc = register_tokenizer(sq, opts, d)) != MB_OK ||
	    (rc = mb_sqlite_fts_text_register(sq, opts != NULL ?
	    opts->index_text : NULL, d)) != MB_OK ||
	    (rc = mb_sqlite_zenv_open(sq, opts, d)) != MB_OK ||
	    (rc = mb_sqlite_media_register(sq, d)) != MB_OK)
		goto fail;
	if ((rc = migrate(sq, d)) != MB_OK)
		goto fail;
	if (sq->writable && (rc = tune_fts(sq, d)) != MB_OK)
		goto fail;
	*out = &sq->base;
	return MB_OK;
fail:
	sqlite_close(&sq->base);
	return rc;
}

/*
 * Truncates the free pages off the end of the file (auto_vacuum =
 * INCREMENTAL: a store made since issue 23) when there are more than
 * 1 MB of them; best effort, and only if no other writer holds the
 * store (it is not worth waiting for).
 */
static void
give_back_free_pages(struct mb_sqlite *sq)
{
	sqlite3_stmt	*s;
	int64_t		 free = 0, mode = 0;

	if (sqlite3_prepare_v2(sq->db, "SELECT f.freelist_count * "
	    "p.page_size, a.auto_vacuum FROM pragma_freelist_count f, "
	    "pragma_page_size p, pragma_auto_vacuum a", -1, &s, NULL) !=
	    SQLITE_OK)
		return;
	if (sqlite3_step(s) == SQLITE_ROW) {
		free = sqlite3_column_int64(s, 0);
		mode = sqlite3_column_int64(s, 1);
	}
	sqlite3_finalize(s);
	if (mode != 2 || free < 1024 * 1024)
		return;
	sqlite3_busy_timeout(sq->db, 0);
	sqlite3_exec(sq->db, "PRAGMA incremental_vacuum", NULL, NULL, NULL);
}

/*
 * Before SQLite starts (a constructor: the first connection initializes
 * it): no bulk allocation of 20 pages per connection's cache (SQLite's
 * SQLITE_DEFAULT_PCACHE_INITSZ, 330 KB at our 16 KB pages), which a
 * connection keeps until it closes, idle or not: serve's eleven held
 * 3.6 MB of them against its memory_mb. Pages are allocated one by one
 * instead, as they are after the first 20 anyway.
 */
__attribute__((constructor)) static void
no_bulk_page_cache(void)
{
	sqlite3_config(SQLITE_CONFIG_PAGECACHE, NULL, 0, 0);
}

void
mb_store_memory_limit(int64_t bytes)
{
	sqlite3_soft_heap_limit64(bytes > 0 ? bytes : 0);
}

/*
 * sqlite3_db_release_memory: every page of the cache that no statement
 * holds goes back to the heap (and, by serve's malloc_trim, to the
 * system). The statements and the schema stay.
 */
static void
sqlite_idle(struct mb_store *st)
{
	struct mb_sqlite *sq = SQ(st);

	if (!sq->in_txn)
		sqlite3_db_release_memory(sq->db);
}

static void qc_close(struct mb_sqlite *sq);

static void
sqlite_close(struct mb_store *st)
{
	struct mb_sqlite *sq = SQ(st);

	for (int i = 0; i < STMT__COUNT; i++)
		sqlite3_finalize(sq->stmt[i]);
	qc_close(sq);
	mb_sqlite_search_close(sq);
	if (sq->in_txn)
		sqlite3_exec(sq->db, "ROLLBACK", NULL, NULL, NULL);
	else if (sq->writable)
		give_back_free_pages(sq);
	sqlite3_close_v2(sq->db);
	mb_buf_free(&sq->fts_h);
	mb_buf_free(&sq->fts_b);
	mb_sqlite_fts_text_close(sq);
	mb_sqlite_zenv_close(sq);
	free(sq);
}

static int
sqlite_schema_version(struct mb_store *st)
{
	return SQ(st)->schema_version;
}

int
mb_sqlite_begin(struct mb_store *st, struct mb_diag *d)
{
	struct mb_sqlite	*sq = SQ(st);
	int			 rc;

	if (sq->in_txn)
		return mb_diag_set(d, MB_ERR_STORE,
		    "store: transaction already open");
	mb_sqlite_counts_attach(sq);
	if ((rc = mb_sqlite__exec(sq, "BEGIN IMMEDIATE", d)) == MB_OK)
		sq->in_txn = 1;
	return rc;
}

int
mb_sqlite_commit(struct mb_store *st, struct mb_diag *d)
{
	struct mb_sqlite	*sq = SQ(st);
	int			 rc;

	if (!sq->in_txn)
		return mb_diag_set(d, MB_ERR_STORE, "store: no transaction");
	if ((rc = mb_sqlite_counts_flush(sq, d)) != MB_OK ||
	    (rc = mb_sqlite__exec(sq, "COMMIT", d)) != MB_OK) {
		mb_sqlite_rollback(st);
		return rc;
	}
	sq->in_txn = 0;
	mb_sqlite_zenv_end(sq, true);
	return MB_OK;
}

void
mb_sqlite_rollback(struct mb_store *st)
{
	struct mb_sqlite *sq = SQ(st);

	if (!sq->in_txn)
		return;
	sqlite3_exec(sq->db, "ROLLBACK", NULL, NULL, NULL);
	sq->in_txn = 0;
	mb_sqlite_zenv_end(sq, false);
	/*
	 * A write-ahead log that grew while the disk filled would keep
	 * the store stuck when a little space is freed: copy what it holds
	 * into the database and truncate it to nothing now (best effort: a
	 * reader may hold it; the next full disk tries again).
	 */
	if (sq->full) {
		sqlite3_wal_checkpoint_v2(sq->db, NULL,
		    SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
		sq->full = 0;
	}
}

int
mb_sqlite__auto_begin(struct mb_sqlite *sq, int *own, struct mb_diag *d)
{
	*own = 0;
	if (sq->in_txn)
		return MB_OK;
	*own = 1;
	return mb_sqlite_begin(&sq->base, d);
}

int
mb_sqlite__auto_end(struct mb_sqlite *sq, int own, int rc, struct mb_diag *d)
{
	if (!own)
		return rc;
	if (rc == MB_OK)
		return mb_sqlite_commit(&sq->base, d);
	mb_sqlite_rollback(&sq->base);
	return rc;
}

/* ---- domain migrations (domain.c) ------------------------------------ */

static int
sqlite_mig_begin(struct mb_store *st, struct mb_diag *d)
{
	return mb_sqlite__exec(SQ(st), "BEGIN IMMEDIATE", d);
}

static int
sqlite_mig_end(struct mb_store *st, bool commit, struct mb_diag *d)
{
	if (commit)
		return mb_sqlite__exec(SQ(st), "COMMIT", d);
	sqlite3_exec(SQ(st)->db, "ROLLBACK", NULL, NULL, NULL);
	return MB_OK;
}

static int
sqlite_exec(struct mb_store *st, const char *sql, struct mb_diag *d)
{
	return mb_sqlite__exec(SQ(st), sql, d);
}

static int
sqlite_domain_version(struct mb_store *st, const char *domain, int *version,
    struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int			rc;

	*version = 0;
	if ((rc = mb_sqlite__query(SQ(st), "SELECT version FROM "
	    "schema_domains WHERE domain = ?1", &r, "schema", d)) != MB_OK)
		return rc;
	sqlite3_bind_text(r.s, 1, domain, -1, SQLITE_STATIC);
	if (mb_sqlite__next(&r, NULL, NULL))
		*version = sqlite3_column_int(r.s, 0);
	return mb_sqlite__end(&r, MB_OK, d);
}

static int
sqlite_domain_version_set(struct mb_store *st, const char *domain,
    int version, struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "INSERT INTO schema_domains "
	    "(domain, version) VALUES (?1, ?2) ON CONFLICT (domain) DO "
	    "UPDATE SET version = excluded.version", &r, "schema", d)) !=
	    MB_OK)
		return rc;
	sqlite3_bind_text(r.s, 1, domain, -1, SQLITE_STATIC);
	sqlite3_bind_int(r.s, 2, version);
	return mb_sqlite__done(&r, NULL, d);
}

/* ---- row walks --------------------------------------------------------- */

/*
 * sql's kept statement when one is free (not in a walk: a query may run
 * inside another walk's callback, even the same text); else prepares it
 * and keeps it in a free slot or the least recently used idle one.
 */
static int
qc_get(struct mb_sqlite *sq, const char *sql, struct mb_sqlite_rows *r)
{
	struct mb_sqlite_qc	*q, *pick = NULL;
	uint64_t		 h = mb_fnv1a(MB_FNV1A_START, sql);
	char			*copy;

	for (int i = 0; i < MB_SQLITE_QCACHE; i++) {
		q = &sq->qc[i];
		if (q->sql != NULL && q->hash == h && !q->busy &&
		    strcmp(q->sql, sql) == 0) {
			q->busy = true;
			q->used = ++sq->qc_tick;
			r->s = q->s;
			r->qc = i;
			return SQLITE_OK;
		}
		if (!q->busy && (pick == NULL || (pick->sql != NULL &&
		    (q->sql == NULL || q->used < pick->used))))
			pick = q;
	}
	if (sqlite3_prepare_v2(sq->db, sql, -1, &r->s, NULL) != SQLITE_OK)
		return SQLITE_ERROR;
	if (pick == NULL || r->s == NULL || (copy = strdup(sql)) == NULL)
		return SQLITE_OK;	/* used once, finalized at its end */
	if (pick->sql != NULL) {
		sqlite3_finalize(pick->s);
		free(pick->sql);
	}
	pick->sql = copy;
	pick->hash = h;
	pick->s = r->s;
	pick->busy = true;
	pick->used = ++sq->qc_tick;
	r->qc = (int)(pick - sq->qc);
	return SQLITE_OK;
}

static void
qc_close(struct mb_sqlite *sq)
{
	for (int i = 0; i < MB_SQLITE_QCACHE; i++) {
		sqlite3_finalize(sq->qc[i].s);
		free(sq->qc[i].sql);
		memset(&sq->qc[i], 0, sizeof(sq->qc[i]));
	}
}

int
mb_sqlite__query(struct mb_sqlite *sq, const char *sql,
    struct mb_sqlite_rows *r, const char *what, struct mb_diag *d)
{
	r->sq = sq;
	r->s = NULL;
	r->what = what;
	r->step = SQLITE_OK;
	r->cached = false;
	r->qc = -1;
	if (qc_get(sq, sql, r) != SQLITE_OK)
		return mb_sqlite_err(sq, d, what);
	return MB_OK;
}

int
mb_sqlite__cached(struct mb_sqlite *sq, enum mb_sqlite_stmt which,
    struct mb_sqlite_rows *r, const char *what, struct mb_diag *d)
{
	r->sq = sq;
	r->what = what;
	r->step = SQLITE_OK;
	r->cached = true;
	r->qc = -1;
	if ((r->s = mb_sqlite_stmt(sq, which, d)) == NULL)
		return MB_ERR_STORE;
	return MB_OK;
}

/* Ends a statement's use: a cached one stays, holding no read lock. */
static void
rows_close(struct mb_sqlite_rows *r)
{
	if (r->qc >= 0) {
		/* Kept: no read lock, and no binding to a caller's memory. */
		sqlite3_reset(r->s);
		sqlite3_clear_bindings(r->s);
		r->sq->qc[r->qc].busy = false;
		r->qc = -1;
	} else if (r->cached)
		sqlite3_reset(r->s);
	else
		sqlite3_finalize(r->s);
	r->s = NULL;
}

void
mb_sqlite__close(struct mb_sqlite_rows *r)
{
	rows_close(r);
}

bool
mb_sqlite__next(struct mb_sqlite_rows *r, const struct mb_store_cols *cols,
    void *out)
{
	if ((r->step = sqlite3_step(r->s)) != SQLITE_ROW)
		return false;
	if (cols != NULL)
		mb_sqlite__fill(r->s, 0, cols, out);
	return true;
}

int
mb_sqlite__end(struct mb_sqlite_rows *r, int rc, struct mb_diag *d)
{
	if (rc == MB_OK && r->step != SQLITE_ROW && r->step != SQLITE_DONE)
		rc = mb_sqlite_err(r->sq, d, r->what);
	rows_close(r);
	return rc > 0 ? MB_OK : rc;
}

int
mb_sqlite__one(struct mb_sqlite_rows *r, const struct mb_store_cols *cols,
    void *out, struct mb_diag *d)
{
	int rc = MB_OK;

	if (!mb_sqlite__next(r, cols, out) && r->step == SQLITE_DONE)
		rc = MB_ERR_NOTFOUND;
	return mb_sqlite__end(r, rc, d);
}

int
mb_sqlite__done(struct mb_sqlite_rows *r, int64_t *changes,
    struct mb_diag *d)
{
	int rc = MB_OK;

	if ((r->step = sqlite3_step(r->s)) != SQLITE_DONE)
		rc = mb_sqlite_err(r->sq, d, r->what);
	else if (changes != NULL)
		*changes = sqlite3_changes(r->sq->db);
	rows_close(r);
	return rc;
}

void
mb_sqlite__fill(sqlite3_stmt *s, int at, const struct mb_store_cols *cols,
    void *out)
{
	memset(out, 0, cols->size);
	for (int i = 0; i < cols->n; i++) {
		const struct mb_store_col	*c = &cols->col[i];
		char				*f = (char *)out + c->off;
		const char			*t;
		int64_t				 v;
		int				 k = at + i, iv;
		bool				 b;
		double				 r;

		switch (c->kind) {
		case MB_COL_INT:
			v = sqlite3_column_int64(s, k);
			if (c->size == sizeof(v)) {
				memcpy(f, &v, sizeof(v));
			} else {
				iv = (int)v;
				memcpy(f, &iv, sizeof(iv));
			}
			break;
		case MB_COL_BOOL:
			b = sqlite3_column_int64(s, k) != 0;
			memcpy(f, &b, sizeof(b));
			break;
		case MB_COL_REAL:
			r = sqlite3_column_double(s, k);
			memcpy(f, &r, sizeof(r));
			break;
		case MB_COL_CHARS:
			t = (const char *)sqlite3_column_text(s, k);
			snprintf(f, c->size, "%s", t != NULL ? t : "");
			break;
		case MB_COL_STR:
			t = (const char *)sqlite3_column_text(s, k);
			memcpy(f, &t, sizeof(t));
			break;
		case MB_COL_BYTES:
			t = sqlite3_column_blob(s, k);
			if (t != NULL && (size_t)sqlite3_column_bytes(s, k) ==
			    c->size)
				memcpy(f, t, c->size);
			break;
		}
	}
}

void
mb_sqlite__bind_text(sqlite3_stmt *s, int i, const char *v)
{
	if (v != NULL)
		sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(s, i);
}

/* ---- the table ----------------------------------------------------------- */

const struct mb_store_ops mb_sqlite_ops = {
	.name = "sqlite",
	.backend = MB_STORE_SQLITE,
	.param = '?',
	.accepts = sqlite_accepts,
	.open = sqlite_open,
	.close = sqlite_close,
	.schema_version = sqlite_schema_version,
	.begin = mb_sqlite_begin,
	.commit = mb_sqlite_commit,
	.rollback = mb_sqlite_rollback,
	.idle = sqlite_idle,
	.packer = mb_sqlite_packer,
	.put = mb_sqlite_put,
	.get = mb_sqlite_get,
	.has = mb_sqlite_has,
	.log = mb_sqlite_log,
	.stats = mb_sqlite_stats,
	.check = mb_sqlite_check,
	.repair = mb_sqlite_repair,
	.repair_version = mb_sqlite_repair_version,
	.backup = mb_sqlite_backup,
	.index_next = mb_sqlite_index_next,
	.index_tidy = mb_sqlite_index_tidy,
	.index_peek = mb_sqlite_index_peek,
	.alias_get = mb_sqlite_alias_get,
	.alias_put = mb_sqlite_alias_put,
	.center_put = mb_sqlite_center_put,
	.center_get = mb_sqlite_center_get,
	.center_list = mb_sqlite_center_list,
	.peer_put = mb_sqlite_peer_put,
	.peer_get = mb_sqlite_peer_get,
	.peer_list = mb_sqlite_peer_list,
	.peer_advance = mb_sqlite_peer_advance,
	.peer_fail = mb_sqlite_peer_fail,
	.last_seq = mb_sqlite_last_seq,
	.registry_get = mb_sqlite_registry_get,
	.registry_put = mb_sqlite_registry_put,
	.list = mb_sqlite_list,
	.search = mb_sqlite_search,
	.translations = mb_sqlite_translations,
	.blob_put = mb_sqlite_blob_put,
	.blob_get = mb_sqlite_blob_get,
	.blob_delete = mb_sqlite_blob_delete,
	.blob_refs_set = mb_sqlite_blob_refs_set,
	.blob_cursor = mb_sqlite_blob_cursor,
	.blob_cursor_set = mb_sqlite_blob_cursor_set,
	.blob_unused = mb_sqlite_blob_unused,
	.blob_wanted = mb_sqlite_blob_wanted,
	.blob_each = mb_sqlite_blob_each,
	.center_keys = mb_sqlite_center_keys,
	.center_key_users = mb_sqlite_center_key_users,
	.listen = mb_sqlite_listen,
	.wait = mb_sqlite_wait,
	.try_lock = mb_sqlite_try_lock,
	.unlock = mb_sqlite_unlock,
	.mig_begin = sqlite_mig_begin,
	.mig_end = sqlite_mig_end,
	.exec = sqlite_exec,
	.domain_version = sqlite_domain_version,
	.domain_version_set = sqlite_domain_version_set,
	/* A source for mb_store_copy, not a target. */
	.copy_rows = mb_sqlite_copy_rows,
};
