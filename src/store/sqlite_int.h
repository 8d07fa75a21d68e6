/* SPDX-License-Identifier: MIT */
/* Private to the SQLite backend: its handle, its calls, its helpers. */
#ifndef MB_STORE_SQLITE_INT_H
#define MB_STORE_SQLITE_INT_H

#include <sqlite3.h>

#include "base/buf.h"
#include "store/sql.h"
#include "store/store_int.h"
#include "store/zenv.h"

/* The migrations, oldest first, NULL-terminated. */
extern const char *const mb_sqlite_migrations[];

/* Prepared statements, one slot each, prepared on first use. */
enum mb_sqlite_stmt {
	STMT_VERSION_INSERT,
	STMT_ITEM_FIND,
	STMT_ITEM_INSERT,
	STMT_ITEM_UPDATE,
	STMT_FTS_DELETE,
	STMT_FTS_INSERT,
	STMT_PENDING_INSERT,
	STMT_PENDING_DELETE,
	STMT_GET_CURRENT,
	STMT_GET_VERSION,
	STMT_HAS,
	STMT_LOG,
	STMT_ALIAS_GET,
	STMT_ALIAS_PUT,
	STMT_CENTER_PUT,
	STMT_CENTER_GET,
	STMT_CENTER_LIST,
	STMT_TOPIC_ADD,
	STMT__COUNT
};

/* sqlite_search.c's own prepared statements. */
#define MB_SQLITE_SEARCH_STMTS 12
/*
 * Statements mb_sqlite__query() keeps prepared, by their SQL, per
 * connection: most of its 120 callers run the same few texts again and
 * again (a front page ran ~40 queries, and preparing them was a sixth
 * of its CPU).
 */
#define MB_SQLITE_QCACHE 16

struct mb_sqlite_qc {
	char		*sql;		/* NULL: a free slot */
	uint64_t	 hash;
	sqlite3_stmt	*s;
	uint64_t	 used;		/* the tick of its last use */
	bool		 busy;		/* a walk holds it now */
};

/* The handle: a struct mb_store (store_int.h) that is one of these. */
struct mb_sqlite {
	struct mb_store	 base;
	sqlite3		*db;
	sqlite3_stmt	*stmt[STMT__COUNT];
	sqlite3_stmt	*search_stmt[MB_SQLITE_SEARCH_STMTS];
	struct mb_sqlite_qc qc[MB_SQLITE_QCACHE];
	uint64_t	 qc_tick;
	int		 in_txn;
	int		 full;		/* a write met a full disk */
	int		 schema_version;
	bool		 writable;	/* not opened read-only */
	struct mb_buf	 fts_h, fts_b;	/* index_item()'s, kept for reuse */
	/* sqlite_fts_text.c: the index's text, from the envelopes. */
	mb_store_text_fn index_text;
	struct mb_buf	 tx_env, tx_h, tx_b;	/* the last envelope's */
	bool		 tx_valid;
	struct mb_buf	 tx_raw;	/* its envelope, unpacked */
	/* sqlite_zenv.c: compressed envelopes. */
	struct mb_zenv	*zenv;
	struct mb_buf	 zput;		/* the last put's stored form */
	void		*zdict;		/* opts' dictionary, copied */
	size_t		 zdict_len;
	bool		 zdict_kept;	/* in envelope_dicts, committed */
	bool		 zdict_written;	/* written by this transaction */
	/* sqlite_counts.c: this transaction's row counts, not yet written. */
	int64_t		 counts[4];
	bool		 counts_on, counts_dirty, counts_stale;
};

#define SQ(st)	((struct mb_sqlite *)(st))

/* What its SQL says differently from PostgreSQL's (sql.h). */
extern const struct mb_sql_dialect mb_sqlite_dialect;

/* The statement for slot s, reset and with its bindings cleared. */
sqlite3_stmt *mb_sqlite_stmt(struct mb_sqlite *sq, enum mb_sqlite_stmt s,
    struct mb_diag *d);

/* Sets d from the connection's last error; returns MB_ERR_STORE. */
int mb_sqlite_err(struct mb_sqlite *sq, struct mb_diag *d, const char *what);

/* Runs a script (several statements, no rows). */
int mb_sqlite__exec(struct mb_sqlite *sq, const char *sql, struct mb_diag *d);

/*
 * Runs the rest of an operation in a transaction of its own when none is
 * open: *own says whether it began one, which auto_end ends.
 */
int mb_sqlite__auto_begin(struct mb_sqlite *sq, int *own, struct mb_diag *d);
int mb_sqlite__auto_end(struct mb_sqlite *sq, int own, int rc,
    struct mb_diag *d);

/* ---- Row walks: the loop every list and get shares --------------------- */

/*
 * A statement prepared for one call (the calls that use these run a few
 * times a request at most: a slot in the shared cache is not worth it),
 * bound by the caller on r.s, then walked:
 *
 *	if ((rc = mb_sqlite__query(sq, SQL, &r, "peer", d)) != MB_OK)
 *		return rc;
 *	sqlite3_bind_text(r.s, 1, center, -1, SQLITE_STATIC);
 *	while (rc == MB_OK && mb_sqlite__next(&r, &mb_store__peer_cols, &p))
 *		rc = cb(&p, arg);
 *	return mb_sqlite__end(&r, rc, d);
 */
struct mb_sqlite_rows {
	struct mb_sqlite	*sq;
	sqlite3_stmt		*s;
	const char		*what;	/* for error messages */
	int			 step;	/* the last sqlite3_step() */
	bool			 cached;/* reset at the end, not finalized */
	int			 qc;	/* its slot in sq->qc; -1: none */
};

int mb_sqlite__query(struct mb_sqlite *sq, const char *sql,
    struct mb_sqlite_rows *r, const char *what, struct mb_diag *d);
/* Ends r's statement whatever its last step said (r->s is then gone). */
void mb_sqlite__close(struct mb_sqlite_rows *r);
/* The same over a cached statement (the calls on hot paths). */
int mb_sqlite__cached(struct mb_sqlite *sq, enum mb_sqlite_stmt which,
    struct mb_sqlite_rows *r, const char *what, struct mb_diag *d);
/*
 * Steps to the next row and, with cols, fills out by that map (else the
 * caller reads r->s). False at the end, and on an error, which
 * mb_sqlite__end reports.
 */
bool mb_sqlite__next(struct mb_sqlite_rows *r, const struct mb_store_cols *cols,
    void *out);
/*
 * Finalizes the walk. rc is the visitor's: positive (it stopped the walk)
 * becomes MB_OK, negative is returned; MB_OK becomes the step's error if
 * the walk ended on one.
 */
int mb_sqlite__end(struct mb_sqlite_rows *r, int rc, struct mb_diag *d);
/*
 * The first row into out: MB_OK, or MB_ERR_NOTFOUND with d untouched
 * (the caller names what was not found), or the step's error.
 */
int mb_sqlite__one(struct mb_sqlite_rows *r, const struct mb_store_cols *cols,
    void *out, struct mb_diag *d);
/* Runs a statement that returns no rows; *changes (may be NULL) counts
 * the rows it changed. */
int mb_sqlite__done(struct mb_sqlite_rows *r, int64_t *changes,
    struct mb_diag *d);

/* Fills out from the row of s, columns from at, by cols. */
void mb_sqlite__fill(sqlite3_stmt *s, int at, const struct mb_store_cols *cols,
    void *out);
/* Binds text, or NULL when v is. */
void mb_sqlite__bind_text(sqlite3_stmt *s, int i, const char *v);
/*
 * An item version from the row of s, columns from at (VERSION_COLS), its
 * envelope unpacked into scratch when stored compressed (sqlite_zenv.c):
 * MB_ERR_CORRUPT or MB_ERR_NOTFOUND when it cannot be.
 */
int mb_sqlite__row_version(struct mb_sqlite *sq, sqlite3_stmt *s, int at,
    struct mb_store_version *v, struct mb_buf *scratch, struct mb_diag *d);

/* ---- Between the backend's files ----------------------------------------- */

/*
 * sqlite_search.c: derives the item's topics and translation link from
 * v's envelope when v becomes the current version of item_id (is_new:
 * the item was just created), in the caller's transaction.
 */
int mb_sqlite_search_put(struct mb_sqlite *sq, int64_t item_id, bool is_new,
    const struct mb_store_version *v, struct mb_diag *d);
/*
 * sqlite_search.c: whether item_id's topic rows (*topics) and translation
 * row (*translation) differ from what v's envelope derives (verify).
 */
int mb_sqlite_search_differs(struct mb_sqlite *sq, int64_t item_id,
    const struct mb_store_version *v, bool *topics, bool *translation,
    struct mb_diag *d);
/*
 * sqlite_search.c: registers (on) or drops (off) mb_lower(text), the
 * Unicode lower case of mb_fold_lower, for the migrations alone: a
 * function on every connection cost a bulk import 1.7x the CPU.
 */
int mb_sqlite_lower_register(struct mb_sqlite *sq, bool on,
    struct mb_diag *d);
/* sqlite_search.c: binds a topic filter at i in the rows' Unicode lower case. */
void mb_sqlite__bind_topic(sqlite3_stmt *s, int i, const char *topic);
/* Registers sqlite_search.c's FTS5 functions (mb_bm25) on a connection. */
int mb_sqlite_search_register(fts5_api *api);

/*
 * sqlite_fts_text.c. The index is FTS5 with external content: the view
 * fts_text (migration 10), whose text mb_fts_text(col, envelope)
 * derives from each indexed item's current envelope with fn. marked()
 * is the form both the index and the view hold: "\x1f" lang "\x1f"
 * text, the tokenizer reading the language off it.
 */
int mb_sqlite_fts_text_register(struct mb_sqlite *sq, mb_store_text_fn fn,
    struct mb_diag *d);
void mb_sqlite_fts_text_close(struct mb_sqlite *sq);
int mb_sqlite__marked(struct mb_buf *b, const char *lang, const char *text);
/*
 * sqlite_zenv.c: compressed envelopes (zenv.h). open sets up the codec
 * with opts' dictionary and registers mb_envelope(stored); pack gives
 * the stored form of an envelope being put (valid until the next pack),
 * writing the dictionary into envelope_dicts first if the store lacks
 * it; end says the transaction ended (committed or not); unpack points
 * v's envelope at its own bytes, in scratch when it was compressed.
 */
int mb_sqlite_zenv_open(struct mb_sqlite *sq,
    const struct mb_store_opts *opts, struct mb_diag *d);
void mb_sqlite_zenv_close(struct mb_sqlite *sq);
int mb_sqlite_zenv_pack(struct mb_sqlite *sq, const struct mb_store_version *v,
    const void **out, size_t *out_len, struct mb_diag *d);
int mb_sqlite_packer(struct mb_store *st, struct mb_zenv_packer **out,
    struct mb_diag *d);
void mb_sqlite_zenv_end(struct mb_sqlite *sq, bool committed);
int mb_sqlite_zenv_unpack(struct mb_sqlite *sq, struct mb_store_version *v,
    struct mb_buf *scratch, struct mb_diag *d);

/* Finalizes sqlite_search.c's statements (on close). */
void mb_sqlite_search_close(struct mb_sqlite *sq);

/*
 * sqlite_counts.c: store_counts kept by this connection (the scale
 * domain). attach: start counting (at the first transaction, after the
 * migrations); flush: add this transaction's counts to store_counts
 * (mb_sqlite_commit, before COMMIT); pending: add the counts not yet
 * written to a reading of store_counts in the same transaction.
 */
void mb_sqlite_counts_attach(struct mb_sqlite *sq);
int mb_sqlite_counts_flush(struct mb_sqlite *sq, struct mb_diag *d);
/* After the core's migrations changed the store: every count again. */
int mb_sqlite_counts_after_migration(struct mb_sqlite *sq,
    struct mb_diag *d);
void mb_sqlite_counts_pending(const struct mb_sqlite *sq, int64_t *items,
    int64_t *versions, int64_t *queued);

/* ---- The calls of the table (store_int.h), by file ---------------------- */

/* sqlite.c */
int mb_sqlite_begin(struct mb_store *st, struct mb_diag *d);
int mb_sqlite_commit(struct mb_store *st, struct mb_diag *d);
void mb_sqlite_rollback(struct mb_store *st);

/* sqlite_log.c: items and the log. */
int mb_sqlite_put(struct mb_store *st, const struct mb_store_version *v,
    const struct mb_store_text *text, int64_t *seq, struct mb_diag *d);
int mb_sqlite_get(struct mb_store *st, const char *uri, int64_t version,
    mb_store_version_cb cb, void *arg, struct mb_diag *d);
int mb_sqlite_has(struct mb_store *st, const char *uri, int64_t version,
    bool *has, struct mb_diag *d);
int mb_sqlite_log(struct mb_store *st, int64_t after, int64_t limit,
    mb_store_version_cb cb, void *arg, struct mb_diag *d);
int mb_sqlite_stats(struct mb_store *st, struct mb_store_stats *out,
    struct mb_diag *d);
/* sqlite_backup.c */
int mb_sqlite_backup(struct mb_store *st, const char *path,
    struct mb_diag *d);
/* sqlite_check.c: the fsck (verify and verify --repair). */
int mb_sqlite_repair(struct mb_store *st,
    void (*report)(const char *fixed, void *arg), void *arg,
    int *fixed, struct mb_diag *d);
int mb_sqlite_repair_version(struct mb_store *st,
    const struct mb_store_version *v, struct mb_diag *d);
int mb_sqlite_check(struct mb_store *st,
    void (*report)(const char *problem, void *arg), void *arg,
    struct mb_diag *d);
int mb_sqlite_index_peek(struct mb_store *st, int64_t limit,
    mb_store_version_cb cb, void *arg, struct mb_diag *d);
int mb_sqlite_index_tidy(struct mb_store *st, int pages, bool *more,
    struct mb_diag *d);
int mb_sqlite_index_next(struct mb_store *st, int64_t limit,
    int (*cb)(const struct mb_store_version *v, struct mb_store_text *t,
	void *arg), void *arg, int64_t *done, struct mb_diag *d);

/* sqlite_peers.c: aliases, centers, peers, the registry. */
int mb_sqlite_alias_get(struct mb_store *st, const char *key,
    struct mb_buf *uri, struct mb_diag *d);
int mb_sqlite_alias_put(struct mb_store *st, const char *key, const char *uri,
    struct mb_diag *d);
int mb_sqlite_center_put(struct mb_store *st, const struct mb_center *c,
    struct mb_diag *d);
int mb_sqlite_center_get(struct mb_store *st, const char *id,
    struct mb_center *out, struct mb_diag *d);
int mb_sqlite_center_list(struct mb_store *st,
    int (*cb)(const struct mb_center *c, void *arg), void *arg,
    struct mb_diag *d);
int mb_sqlite_peer_put(struct mb_store *st, const char *center,
    const char *url, int manual, struct mb_diag *d);
int mb_sqlite_peer_get(struct mb_store *st, const char *center,
    struct mb_peer *out, struct mb_diag *d);
int mb_sqlite_peer_list(struct mb_store *st,
    int (*cb)(const struct mb_peer *p, void *arg), void *arg,
    struct mb_diag *d);
int mb_sqlite_peer_advance(struct mb_store *st, const char *center,
    int64_t cursor, int64_t received, int64_t refused, int64_t now_ms,
    struct mb_diag *d);
int mb_sqlite_peer_fail(struct mb_store *st, const char *center,
    const char *error, int64_t now_ms, struct mb_diag *d);
int mb_sqlite_last_seq(struct mb_store *st, int64_t *seq, struct mb_diag *d);
int mb_sqlite_registry_get(struct mb_store *st, int64_t *version,
    struct mb_buf *doc, struct mb_diag *d);
int mb_sqlite_registry_put(struct mb_store *st, int64_t version,
    const char *doc, size_t len, struct mb_diag *d);

/* sqlite_list.c, sqlite_search.c */
int mb_sqlite_list(struct mb_store *st, const struct mb_store_filter *f,
    mb_store_version_cb cb, void *arg, struct mb_diag *d);
int mb_sqlite_search(struct mb_store *st,
    const struct mb_store_search_query *q,
    int (*cb)(const struct mb_store_search_hit *h, void *arg), void *arg,
    struct mb_store_search_result *out, struct mb_diag *d);
int mb_sqlite_translations(struct mb_store *st, const char *uri, bool all,
    unsigned audiences, int64_t now_ms,
    int (*cb)(const struct mb_store_translation *t, void *arg), void *arg,
    struct mb_diag *d);

/* sqlite_media.c */
int mb_sqlite_blob_put(struct mb_store *st, const char *hash,
    const char *mime, int64_t size, int64_t now_ms, struct mb_diag *d);
int mb_sqlite_blob_get(struct mb_store *st, const char *hash,
    struct mb_store_blob *out, struct mb_diag *d);
int mb_sqlite_blob_delete(struct mb_store *st, const char *hash,
    int64_t before_ms, bool *deleted, struct mb_diag *d);
int mb_sqlite_blob_refs_set(struct mb_store *st, const char *uri,
    const char *origin, const struct mb_store_blob_ref *refs, size_t n,
    struct mb_diag *d);
int mb_sqlite_blob_cursor(struct mb_store *st, int64_t *seq,
    struct mb_diag *d);
int mb_sqlite_blob_cursor_set(struct mb_store *st, int64_t seq,
    struct mb_diag *d);
/* mb_hash_b64(hex), which blob_unused's query uses (sqlite_media.c). */
int mb_sqlite_media_register(struct mb_sqlite *sq, struct mb_diag *d);
int mb_sqlite_blob_unused(struct mb_store *st, int64_t before_ms,
    int (*cb)(const struct mb_store_blob *b, void *arg), void *arg,
    struct mb_diag *d);
int mb_sqlite_center_keys(struct mb_store *st, const char *id,
    int (*cb)(const struct mb_center_key *k, void *arg), void *arg,
    struct mb_diag *d);
int mb_sqlite_center_key_users(struct mb_store *st, const unsigned char key[32],
    int (*cb)(const struct mb_center_key *k, void *arg), void *arg,
    struct mb_diag *d);
int mb_sqlite_blob_each(struct mb_store *st,
    int (*cb)(const struct mb_store_blob *b, void *arg), void *arg,
    struct mb_diag *d);
int mb_sqlite_blob_wanted(struct mb_store *st, int64_t limit,
    int (*cb)(const struct mb_store_blob *b, const char *origin, void *arg),
    void *arg, struct mb_diag *d);

/* sqlite_shared.c */
int mb_sqlite_listen(struct mb_store *st, struct mb_diag *d);
int mb_sqlite_wait(struct mb_store *st, int timeout_ms, bool *got,
    struct mb_diag *d);
int mb_sqlite_try_lock(struct mb_store *st, const char *name, bool *got,
    struct mb_diag *d);
int mb_sqlite_unlock(struct mb_store *st, const char *name,
    struct mb_diag *d);

/* sqlite_copy.c: the source side of mb_store_copy. */
int mb_sqlite_copy_rows(struct mb_store *from, const char *table,
    const char *cols, int ncols, mb_store_cells_cb row, void *arg,
    struct mb_diag *d);

#endif
