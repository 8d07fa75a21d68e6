/* SPDX-License-Identifier: MIT */
/* Private to the PostgreSQL backend: its handle, its calls, its helpers. */
#ifndef MB_STORE_PG_INT_H
#define MB_STORE_PG_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

/*
 * The PostgreSQL backend implements every call of store.h as
 * mb_pg_<name>(struct mb_pg *, ...) with the same arguments and the same
 * contract; the public mb_store_* functions (sqlite*.c) hand over to them
 * with one line when the store is a PostgreSQL one (st->pg != NULL).
 * Nothing here includes libpq's header, so sqlite_int.h may include this.
 */
struct mb_pg;

/* True when location names a PostgreSQL database (postgres[ql]://). */
bool mb_pg_is_url(const char *location);

int mb_pg_open(const char *url, const struct mb_store_opts *opts,
    struct mb_pg **out, struct mb_diag *d);
void mb_pg_close(struct mb_pg *pg);
int mb_pg_schema_version(struct mb_pg *pg);
int mb_pg_begin(struct mb_pg *pg, struct mb_diag *d);
int mb_pg_commit(struct mb_pg *pg, struct mb_diag *d);
void mb_pg_rollback(struct mb_pg *pg);

int mb_pg_put(struct mb_pg *pg, const struct mb_store_version *v,
    const struct mb_store_text *text, int64_t *seq, struct mb_diag *d);
int mb_pg_get(struct mb_pg *pg, const char *uri, int64_t version,
    mb_store_version_cb cb, void *arg, struct mb_diag *d);
int mb_pg_has(struct mb_pg *pg, const char *uri, int64_t version,
    bool *has, struct mb_diag *d);
int mb_pg_log(struct mb_pg *pg, int64_t after, int64_t limit,
    mb_store_version_cb cb, void *arg, struct mb_diag *d);
int mb_pg_stats(struct mb_pg *pg, struct mb_store_stats *out,
    struct mb_diag *d);
int mb_pg_check(struct mb_pg *pg,
    void (*report)(const char *problem, void *arg), void *arg,
    struct mb_diag *d);
int mb_pg_index_next(struct mb_pg *pg, int64_t limit,
    int (*cb)(const struct mb_store_version *v, struct mb_store_text *t,
	void *arg), void *arg, int64_t *done, struct mb_diag *d);
int mb_pg_alias_get(struct mb_pg *pg, const char *key, struct mb_buf *uri,
    struct mb_diag *d);
int mb_pg_alias_put(struct mb_pg *pg, const char *key, const char *uri,
    struct mb_diag *d);
int mb_pg_center_put(struct mb_pg *pg, const struct mb_center *c,
    struct mb_diag *d);
int mb_pg_center_get(struct mb_pg *pg, const char *id, struct mb_center *out,
    struct mb_diag *d);
int mb_pg_center_list(struct mb_pg *pg,
    int (*cb)(const struct mb_center *c, void *arg), void *arg,
    struct mb_diag *d);

int mb_pg_peer_put(struct mb_pg *pg, const char *center, const char *url,
    int manual, struct mb_diag *d);
int mb_pg_peer_get(struct mb_pg *pg, const char *center, struct mb_peer *out,
    struct mb_diag *d);
int mb_pg_peer_list(struct mb_pg *pg,
    int (*cb)(const struct mb_peer *p, void *arg), void *arg,
    struct mb_diag *d);
int mb_pg_peer_advance(struct mb_pg *pg, const char *center, int64_t cursor,
    int64_t received, int64_t refused, int64_t now_ms, struct mb_diag *d);
int mb_pg_peer_fail(struct mb_pg *pg, const char *center, const char *error,
    int64_t now_ms, struct mb_diag *d);
int mb_pg_registry_get(struct mb_pg *pg, int64_t *version,
    struct mb_buf *doc, struct mb_diag *d);
int mb_pg_registry_put(struct mb_pg *pg, int64_t version, const char *doc,
    size_t len, struct mb_diag *d);

int mb_pg_user_add(struct mb_pg *pg, const char *name, const char *role,
    const char *pwhash, int64_t *id, struct mb_diag *d);
int mb_pg_user_get(struct mb_pg *pg, const char *name, int64_t id,
    struct mb_user *out, char *pwhash, size_t n, struct mb_diag *d);
int mb_pg_user_update(struct mb_pg *pg, const char *name, const char *role,
    const char *pwhash, struct mb_diag *d);
int mb_pg_user_list(struct mb_pg *pg,
    int (*cb)(const struct mb_user *u, void *arg), void *arg,
    struct mb_diag *d);
int mb_pg_cred_add(struct mb_pg *pg, const char *kind,
    const uint8_t hash[MB_CRED_HASH_LEN], int64_t user_id, const char *csrf,
    int64_t expires_ms, struct mb_diag *d);
int mb_pg_cred_user(struct mb_pg *pg, const char *kind,
    const uint8_t hash[MB_CRED_HASH_LEN], int64_t now_ms,
    struct mb_user *out, char *csrf, struct mb_diag *d);
int mb_pg_cred_delete(struct mb_pg *pg,
    const uint8_t hash[MB_CRED_HASH_LEN], struct mb_diag *d);
int mb_pg_author_set(struct mb_pg *pg, const char *uri, int64_t user_id,
    struct mb_diag *d);
int mb_pg_author_get(struct mb_pg *pg, const char *uri, int64_t *user_id,
    struct mb_diag *d);
int mb_pg_list(struct mb_pg *pg, const struct mb_store_filter *f,
    mb_store_version_cb cb, void *arg, struct mb_diag *d);

int mb_pg_search(struct mb_pg *pg, const struct mb_store_search_query *q,
    int (*cb)(const struct mb_store_search_hit *h, void *arg), void *arg,
    struct mb_store_search_result *out, struct mb_diag *d);
int mb_pg_translations(struct mb_pg *pg, const char *uri, bool all,
    unsigned audiences, int64_t now_ms,
    int (*cb)(const struct mb_store_translation *t, void *arg), void *arg,
    struct mb_diag *d);

int mb_pg_blob_put(struct mb_pg *pg, const char *hash, const char *mime,
    int64_t size, int64_t now_ms, struct mb_diag *d);
int mb_pg_blob_get(struct mb_pg *pg, const char *hash,
    struct mb_store_blob *out, struct mb_diag *d);
int mb_pg_blob_delete(struct mb_pg *pg, const char *hash, int64_t before_ms,
    bool *deleted, struct mb_diag *d);
int mb_pg_blob_refs_set(struct mb_pg *pg, const char *uri,
    const char *origin, const struct mb_store_blob_ref *refs, size_t n,
    struct mb_diag *d);
int mb_pg_blob_cursor(struct mb_pg *pg, int64_t *seq, struct mb_diag *d);
int mb_pg_blob_cursor_set(struct mb_pg *pg, int64_t seq, struct mb_diag *d);
int mb_pg_blob_unused(struct mb_pg *pg, int64_t before_ms,
    int (*cb)(const struct mb_store_blob *b, void *arg), void *arg,
    struct mb_diag *d);
int mb_pg_blob_wanted(struct mb_pg *pg, int64_t limit,
    int (*cb)(const struct mb_store_blob *b, const char *origin, void *arg),
    void *arg, struct mb_diag *d);

int mb_pg_last_seq(struct mb_pg *pg, int64_t *seq, struct mb_diag *d);
int mb_pg_listen(struct mb_pg *pg, struct mb_diag *d);
int mb_pg_wait(struct mb_pg *pg, int timeout_ms, bool *got,
    struct mb_diag *d);
int mb_pg_try_lock(struct mb_pg *pg, const char *name, bool *got,
    struct mb_diag *d);
int mb_pg_unlock(struct mb_pg *pg, const char *name, struct mb_diag *d);

/* ---- Between the backend's own files (pg*.c) only. ------------------ */

/* The connection, a PGconn * (void: libpq stays out of this header). */
void *mb_pg__conn(struct mb_pg *pg);


/* The migrations, oldest first, NULL-terminated (pg_schema.c). */
extern const char *const mb_pg_migrations[];

/*
 * Parameters of one statement: each value sent as text (numbers too) or,
 * for bytea, as binary, with its type given so the server infers nothing.
 */
#define MB_PG_MAXP 24
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
/* Counts the session locks held (a reconnect then reports their loss). */
void mb_pg__locks(struct mb_pg *pg, int delta);

/* The text search configuration for a BCP 47 language ("mb_simple" if none). */
const char *mb_pg__tsconfig(const char *lang);
/*
 * Text as the index sees it: every run of CJK characters becomes its
 * overlapping bigrams, separated by spaces (one character stays alone),
 * so that PostgreSQL's parser, which splits on spaces only for these
 * scripts, matches Chinese and Japanese words inside longer runs. tail
 * (documents): the last character of a run also alone, so that a one-
 * character query (a prefix) finds it at the end of a run too.
 */
int mb_pg__bigrams(const char *s, bool tail, struct mb_buf *out);
bool mb_pg__has_cjk(const char *s, size_t len);

/* The item-version row visitor over columns at..at+17 (VERSION_COLS). */
void mb_pg__row_version(const struct mb_pg_res *r, int row, int at,
    struct mb_store_version *v);
#define MB_PG_VERSION_COLS \
	"v.seq, v.uri, v.version, v.center, v.local, v.origin, v.audience, " \
	"v.pub_status, v.workflow, v.language, v.type, v.profile, " \
	"v.headline, v.embargo_ms, v.created_ms, v.first_ms, " \
	"v.received_ms, v.envelope"

#endif
