/* SPDX-License-Identifier: MIT */
/* Private to the PostgreSQL backend: its handle, its calls, its helpers. */
#ifndef MB_STORE_PG_INT_H
#define MB_STORE_PG_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "store/sql.h"
#include "store/store_int.h"

/*
 * The PostgreSQL backend fills mb_pg_ops (store_int.h) with the calls of
 * store.h, mb_pg_<name>(struct mb_store *, ...) with the same arguments
 * and contract. The handle is a struct mb_pg (pg.c), which begins with
 * its struct mb_store. libpq's header stays out of this one.
 */
struct mb_pg;

#define PG(st)	((struct mb_pg *)(st))

/* What its SQL says differently from SQLite's (sql.h). */
extern const struct mb_sql_dialect mb_pg_dialect;

/* The migrations, oldest first, NULL-terminated (pg_schema.c). */
extern const char *const mb_pg_migrations[];

/* ---- The calls of the table (store_int.h), by file ---------------------- */

/* pg.c */
int mb_pg_begin(struct mb_store *st, struct mb_diag *d);
int mb_pg_commit(struct mb_store *st, struct mb_diag *d);
void mb_pg_rollback(struct mb_store *st);

/* pg_log.c: items and the log. */
int mb_pg_put(struct mb_store *st, const struct mb_store_version *v,
    const struct mb_store_text *text, int64_t *seq, struct mb_diag *d);
int mb_pg_get(struct mb_store *st, const char *uri, int64_t version,
    mb_store_version_cb cb, void *arg, struct mb_diag *d);
int mb_pg_has(struct mb_store *st, const char *uri, int64_t version,
    bool *has, struct mb_diag *d);
int mb_pg_log(struct mb_store *st, int64_t after, int64_t limit,
    mb_store_version_cb cb, void *arg, struct mb_diag *d);
int mb_pg_stats(struct mb_store *st, struct mb_store_stats *out,
    struct mb_diag *d);
/* pg_check.c: the fsck (verify and verify --repair). */
int mb_pg_repair(struct mb_store *st,
    void (*report)(const char *fixed, void *arg), void *arg,
    int *fixed, struct mb_diag *d);
int mb_pg_repair_version(struct mb_store *st,
    const struct mb_store_version *v, struct mb_diag *d);
int mb_pg_check(struct mb_store *st,
    void (*report)(const char *problem, void *arg), void *arg,
    struct mb_diag *d);
int mb_pg_index_peek(struct mb_store *st, int64_t limit,
    mb_store_version_cb cb, void *arg, struct mb_diag *d);
int mb_pg_index_next(struct mb_store *st, int64_t limit,
    int (*cb)(const struct mb_store_version *v, struct mb_store_text *t,
	void *arg), void *arg, int64_t *done, struct mb_diag *d);

/* pg_peers.c: aliases, centers, peers, the registry. */
int mb_pg_alias_get(struct mb_store *st, const char *key, struct mb_buf *uri,
    struct mb_diag *d);
int mb_pg_alias_put(struct mb_store *st, const char *key, const char *uri,
    struct mb_diag *d);
int mb_pg_center_put(struct mb_store *st, const struct mb_center *c,
    struct mb_diag *d);
int mb_pg_center_get(struct mb_store *st, const char *id,
    struct mb_center *out, struct mb_diag *d);
int mb_pg_center_list(struct mb_store *st,
    int (*cb)(const struct mb_center *c, void *arg), void *arg,
    struct mb_diag *d);
int mb_pg_peer_put(struct mb_store *st, const char *center, const char *url,
    int manual, struct mb_diag *d);
int mb_pg_peer_get(struct mb_store *st, const char *center,
    struct mb_peer *out, struct mb_diag *d);
int mb_pg_peer_list(struct mb_store *st,
    int (*cb)(const struct mb_peer *p, void *arg), void *arg,
    struct mb_diag *d);
int mb_pg_peer_advance(struct mb_store *st, const char *center,
    int64_t cursor, int64_t received, int64_t refused, int64_t now_ms,
    struct mb_diag *d);
int mb_pg_peer_fail(struct mb_store *st, const char *center,
    const char *error, int64_t now_ms, struct mb_diag *d);
int mb_pg_last_seq(struct mb_store *st, int64_t *seq, struct mb_diag *d);
int mb_pg_registry_get(struct mb_store *st, int64_t *version,
    struct mb_buf *doc, struct mb_diag *d);
int mb_pg_registry_put(struct mb_store *st, int64_t version, const char *doc,
    size_t len, struct mb_diag *d);

/* pg_list.c, pg_search.c */
int mb_pg_list(struct mb_store *st, const struct mb_store_filter *f,
    mb_store_version_cb cb, void *arg, struct mb_diag *d);
int mb_pg_search(struct mb_store *st, const struct mb_store_search_query *q,
    int (*cb)(const struct mb_store_search_hit *h, void *arg), void *arg,
    struct mb_store_search_result *out, struct mb_diag *d);
int mb_pg_translations(struct mb_store *st, const char *uri, bool all,
    unsigned audiences, int64_t now_ms,
    int (*cb)(const struct mb_store_translation *t, void *arg), void *arg,
    struct mb_diag *d);

/* pg_media.c */
int mb_pg_blob_put(struct mb_store *st, const char *hash, const char *mime,
    int64_t size, int64_t now_ms, struct mb_diag *d);
int mb_pg_blob_get(struct mb_store *st, const char *hash,
    struct mb_store_blob *out, struct mb_diag *d);
int mb_pg_blob_delete(struct mb_store *st, const char *hash,
    int64_t before_ms, bool *deleted, struct mb_diag *d);
int mb_pg_blob_refs_set(struct mb_store *st, const char *uri,
    const char *origin, const struct mb_store_blob_ref *refs, size_t n,
    struct mb_diag *d);
int mb_pg_blob_cursor(struct mb_store *st, int64_t *seq, struct mb_diag *d);
int mb_pg_blob_cursor_set(struct mb_store *st, int64_t seq,
    struct mb_diag *d);
int mb_pg_blob_unused(struct mb_store *st, int64_t before_ms,
    int (*cb)(const struct mb_store_blob *b, void *arg), void *arg,
    struct mb_diag *d);
int mb_pg_center_keys(struct mb_store *st, const char *id,
    int (*cb)(const struct mb_center_key *k, void *arg), void *arg,
    struct mb_diag *d);
int mb_pg_center_key_users(struct mb_store *st, const unsigned char key[32],
    int (*cb)(const struct mb_center_key *k, void *arg), void *arg,
    struct mb_diag *d);
int mb_pg_blob_each(struct mb_store *st,
    int (*cb)(const struct mb_store_blob *b, void *arg), void *arg,
    struct mb_diag *d);
int mb_pg_blob_wanted(struct mb_store *st, int64_t limit,
    int (*cb)(const struct mb_store_blob *b, const char *origin, void *arg),
    void *arg, struct mb_diag *d);

/* pg_shared.c */
int mb_pg_listen(struct mb_store *st, struct mb_diag *d);
int mb_pg_wait(struct mb_store *st, int timeout_ms, bool *got,
    struct mb_diag *d);
int mb_pg_try_lock(struct mb_store *st, const char *name, bool *got,
    struct mb_diag *d);
int mb_pg_unlock(struct mb_store *st, const char *name, struct mb_diag *d);

/* pg_copy.c: the target side of mb_store_copy. */
int mb_pg_copy_begin(struct mb_store *to, struct mb_diag *d);
int mb_pg_copy_row(struct mb_store *to, const char *insert,
    const struct mb_store_cell *c, int n, struct mb_diag *d);
int mb_pg_copy_table_end(struct mb_store *to, const char *table,
    const char *cols, struct mb_diag *d);
int mb_pg_copy_end(struct mb_store *to, bool commit, struct mb_diag *d);

/* ---- Between the backend's own files ------------------------------------ */

/* The connection, a PGconn * (void: libpq stays out of this header). */
void *mb_pg__conn(struct mb_pg *pg);

/*
 * Parameters of one statement: each value sent as text (numbers too) or,
 * for bytea, as binary, with its type given so the server infers nothing.
 */
/* The listing's 21, and a country's centers (sql.h). */
#define MB_PG_MAXP 40
struct mb_pg_params {
	int		 n;
	const char	*v[MB_PG_MAXP];
	int		 len[MB_PG_MAXP];
	int		 fmt[MB_PG_MAXP];
	unsigned	 type[MB_PG_MAXP];
	char		 num[MB_PG_MAXP][24];
};

/* Text (NULL: SQL NULL), int8, bool, bytea (binary). */
void mb_pg__p_text(struct mb_pg_params *p, const char *s);
void mb_pg__p_int(struct mb_pg_params *p, int64_t v);
void mb_pg__p_bool(struct mb_pg_params *p, bool v);
void mb_pg__p_bytes(struct mb_pg_params *p, const void *b, size_t n);

/*
 * A result: rows in binary format (int8 big-endian, text NUL-terminated,
 * bytea raw). Read with the getters; free with mb_pg__free.
 */
struct mb_pg_res;
int mb_pg__nrows(const struct mb_pg_res *r);
bool mb_pg__null(const struct mb_pg_res *r, int row, int col);
int64_t mb_pg__i64(const struct mb_pg_res *r, int row, int col);
double mb_pg__f64(const struct mb_pg_res *r, int row, int col);
const char *mb_pg__str(const struct mb_pg_res *r, int row, int col);
const char *mb_pg__bytes(const struct mb_pg_res *r, int row, int col,
    size_t *len);
void mb_pg__copy(char *dst, size_t n, const struct mb_pg_res *r, int row,
    int col);
void mb_pg__free(struct mb_pg_res *r);

/*
 * Runs sql with p (may be NULL). cache: sql is a static string, worth
 * preparing once per connection. *res (may be NULL: rows are dropped)
 * gets the result; MB_ERR_* with d set on failure.
 */
int mb_pg__run(struct mb_pg *pg, const char *sql,
    const struct mb_pg_params *p, bool cache, struct mb_pg_res **res,
    struct mb_diag *d);
/* The number of rows the last INSERT/UPDATE/DELETE run by r touched. */
int64_t mb_pg__affected(const struct mb_pg_res *r);
bool mb_pg__in_txn(const struct mb_pg *pg);
/* A transaction without the log's lock, for writes that skip the log. */
int mb_pg__begin_plain(struct mb_pg *pg, struct mb_diag *d);
/* mb_pg_commit and mb_pg_rollback, for the handle itself. */
int mb_pg__commit(struct mb_pg *pg, struct mb_diag *d);
void mb_pg__rollback(struct mb_pg *pg);
/* Counts the session locks held (a reconnect then reports their loss). */
void mb_pg__locks(struct mb_pg *pg, int delta);

/* ---- Row walks: the loop every list and get shares --------------------- */

/*
 * A statement's rows, run at once (mb_pg__run) and walked:
 *
 *	p.n = 0;
 *	mb_pg__p_text(&p, center);
 *	if ((rc = mb_pg__query(pg, SQL, &p, false, &r, d)) != MB_OK)
 *		return rc;
 *	while (rc == MB_OK && mb_pg__next(&r, &mb_store__peer_cols, &out))
 *		rc = cb(&out, arg);
 *	return mb_pg__end(&r, rc);
 *
 * r.res and r.row name the current row for columns the map leaves out.
 */
struct mb_pg_rows {
	struct mb_pg_res	*res;
	int			 row;	/* the current one, -1 before the first */
	int			 n;
};

int mb_pg__query(struct mb_pg *pg, const char *sql,
    const struct mb_pg_params *p, bool cache, struct mb_pg_rows *r,
    struct mb_diag *d);
/* Moves to the next row and, with cols, fills out by that map. */
bool mb_pg__next(struct mb_pg_rows *r, const struct mb_store_cols *cols,
    void *out);
/* Frees the rows; rc as mb_sqlite__end has it (positive: MB_OK). */
int mb_pg__end(struct mb_pg_rows *r, int rc);
/* The first row into out: MB_OK, or MB_ERR_NOTFOUND with d untouched. */
int mb_pg__one(struct mb_pg *pg, const char *sql,
    const struct mb_pg_params *p, bool cache, const struct mb_store_cols *cols,
    void *out, struct mb_diag *d);
/* Fills out from row of r, columns from at, by cols. */
void mb_pg__fill(const struct mb_pg_res *r, int row, int at,
    const struct mb_store_cols *cols, void *out);
/* An item version from row of r, columns from at (MB_SQL_VERSION_COLS). */
void mb_pg__row_version(const struct mb_pg_res *r, int row, int at,
    struct mb_store_version *v);

/* ---- Text search ------------------------------------------------------- */

/* The text search configuration for a BCP 47 language ("mb_simple" if none). */
const char *mb_pg__tsconfig(const char *lang);
/*
 * Text as the index sees it, words split as the SQLite tokenizer splits
 * them (docs/search.md, "Words"). Every run of CJK characters becomes its
 * overlapping bigrams, separated by spaces (one character stays alone),
 * so that PostgreSQL's parser, which splits on spaces only for these
 * scripts, matches Chinese and Japanese words inside longer runs. tail
 * (documents): the last character of a run also alone, so that a one-
 * character query (a prefix) finds it at the end of a run too. And every
 * ASCII punctuation character becomes a space: PostgreSQL's parser keeps
 * hosts, URLs, e-mail addresses, file names, numbers with a point and
 * "end.Next" whole, one token that a word inside it never matches.
 * mb_pg__needs_words: whether s[0..len) has any of these (else it is
 * its own index text).
 */
int mb_pg__words(const char *s, size_t len, bool tail, struct mb_buf *out);
bool mb_pg__needs_words(const char *s, size_t len);

#endif
