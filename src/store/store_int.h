/* SPDX-License-Identifier: MIT */
/* Private to the store: the handle, the table of calls each backend fills, and what the backends share. */
#ifndef MB_STORE_STORE_INT_H
#define MB_STORE_STORE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "store/store.h"

/*
 * A backend is a table of functions, chosen once by mb_store_open() (as
 * SQLite picks a struct sqlite3_vfs): store.c hands every public call to
 * st->ops with one indirect call, and no file asks "which backend am I?"
 * again. sqlite*.c fill mb_sqlite_ops, pg*.c mb_pg_ops; neither includes
 * the other's private header.
 *
 * Backends as indexes: a domain (below) keeps one implementation per
 * backend in an array indexed by this.
 */
enum mb_store_backend {
	MB_STORE_SQLITE,
	MB_STORE_PG,
	MB_STORE__BACKENDS
};

struct mb_store_ops;
struct mb_store_domain;

/*
 * Every backend's handle begins with this one (as a struct sqlite3_file
 * begins with its methods): a struct mb_store * is the backend's own
 * handle, which its functions convert back with a cast.
 */
struct mb_store {
	const struct mb_store_ops		 *ops;
	/* The domains this handle was opened with (domain.c). */
	const struct mb_store_domain *const	 *domains;
};

/* One value of a row being copied (mb_store_copy). */
struct mb_store_cell {
	enum { MB_CELL_NULL, MB_CELL_TEXT, MB_CELL_BLOB } kind;
	const char	*p;
	size_t		 len;
};

typedef int (*mb_store_cells_cb)(const struct mb_store_cell *c, int n,
    void *arg);

/*
 * The calls of store.h, each with the public function's arguments and
 * contract, then what the shared code (store.c, domain.c, copy.c) needs
 * of a backend. Where a backend cannot do something the entry is NULL
 * (only for the copy entries) and the shared code says so.
 */
struct mb_store_ops {
	const char		*name;		/* "sqlite", "postgresql" */
	enum mb_store_backend	 backend;
	/* How its SQL numbers parameters: '?' (?1, ?2) or '$' ($1, $2). */
	char			 param;

	bool	(*accepts)(const char *location);
	int	(*open)(const char *location, const struct mb_store_opts *opts,
		    struct mb_store **out, struct mb_diag *d);
	void	(*close)(struct mb_store *st);
	int	(*schema_version)(struct mb_store *st);
	int	(*begin)(struct mb_store *st, struct mb_diag *d);
	int	(*commit)(struct mb_store *st, struct mb_diag *d);
	void	(*rollback)(struct mb_store *st);
	/* Hands back what the connection caches between uses. */
	void	(*idle)(struct mb_store *st);
	/* A packer for envelopes bound for this store; NULL: none. */
	int	(*packer)(struct mb_store *st, struct mb_zenv_packer **out,
		    struct mb_diag *d);

	int	(*put)(struct mb_store *st, const struct mb_store_version *v,
		    const struct mb_store_text *text, int64_t *seq,
		    struct mb_diag *d);
	int	(*get)(struct mb_store *st, const char *uri, int64_t version,
		    mb_store_version_cb cb, void *arg, struct mb_diag *d);
	int	(*has)(struct mb_store *st, const char *uri, int64_t version,
		    bool *has, struct mb_diag *d);
	int	(*log)(struct mb_store *st, int64_t after, int64_t limit,
		    mb_store_version_cb cb, void *arg, struct mb_diag *d);
	int	(*stats)(struct mb_store *st, struct mb_store_stats *out,
		    struct mb_diag *d);
	int	(*check)(struct mb_store *st,
		    void (*report)(const char *problem, void *arg), void *arg,
		    struct mb_diag *d);
	int	(*repair)(struct mb_store *st,
		    void (*report)(const char *fixed, void *arg), void *arg,
		    int *fixed, struct mb_diag *d);
	int	(*repair_version)(struct mb_store *st,
		    const struct mb_store_version *v, struct mb_diag *d);
	/* MB_ERR_UNSUPPORTED where the backend has its own tools. */
	int	(*backup)(struct mb_store *st, const char *path,
		    struct mb_diag *d);
	int	(*index_next)(struct mb_store *st, int64_t limit,
		    int (*cb)(const struct mb_store_version *v,
			struct mb_store_text *t, void *arg), void *arg,
		    int64_t *done, struct mb_diag *d);
	int	(*index_peek)(struct mb_store *st, int64_t limit,
		    mb_store_version_cb cb, void *arg, struct mb_diag *d);
	int	(*index_tidy)(struct mb_store *st, int pages, bool *more,
		    struct mb_diag *d);
	int	(*alias_get)(struct mb_store *st, const char *key,
		    struct mb_buf *uri, struct mb_diag *d);
	int	(*alias_put)(struct mb_store *st, const char *key,
		    const char *uri, struct mb_diag *d);
	int	(*center_put)(struct mb_store *st, const struct mb_center *c,
		    struct mb_diag *d);
	int	(*center_get)(struct mb_store *st, const char *id,
		    struct mb_center *out, struct mb_diag *d);
	int	(*center_list)(struct mb_store *st,
		    int (*cb)(const struct mb_center *c, void *arg), void *arg,
		    struct mb_diag *d);

	int	(*peer_put)(struct mb_store *st, const char *center,
		    const char *url, int manual, struct mb_diag *d);
	int	(*peer_get)(struct mb_store *st, const char *center,
		    struct mb_peer *out, struct mb_diag *d);
	int	(*peer_list)(struct mb_store *st,
		    int (*cb)(const struct mb_peer *p, void *arg), void *arg,
		    struct mb_diag *d);
	int	(*peer_advance)(struct mb_store *st, const char *center,
		    int64_t cursor, int64_t received, int64_t refused,
		    int64_t now_ms, struct mb_diag *d);
	int	(*peer_fail)(struct mb_store *st, const char *center,
		    const char *error, int64_t now_ms, struct mb_diag *d);
	int	(*last_seq)(struct mb_store *st, int64_t *seq,
		    struct mb_diag *d);
	int	(*registry_get)(struct mb_store *st, int64_t *version,
		    struct mb_buf *doc, struct mb_diag *d);
	int	(*registry_put)(struct mb_store *st, int64_t version,
		    const char *doc, size_t len, struct mb_diag *d);

	int	(*list)(struct mb_store *st, const struct mb_store_filter *f,
		    mb_store_version_cb cb, void *arg, struct mb_diag *d);
	int	(*search)(struct mb_store *st,
		    const struct mb_store_search_query *q,
		    int (*cb)(const struct mb_store_search_hit *h, void *arg),
		    void *arg, struct mb_store_search_result *out,
		    struct mb_diag *d);
	int	(*translations)(struct mb_store *st, const char *uri, bool all,
		    unsigned audiences, int64_t now_ms,
		    int (*cb)(const struct mb_store_translation *t, void *arg),
		    void *arg, struct mb_diag *d);

	int	(*blob_put)(struct mb_store *st, const char *hash,
		    const char *mime, int64_t size, int64_t now_ms,
		    struct mb_diag *d);
	int	(*blob_get)(struct mb_store *st, const char *hash,
		    struct mb_store_blob *out, struct mb_diag *d);
	int	(*blob_delete)(struct mb_store *st, const char *hash,
		    int64_t before_ms, bool *deleted, struct mb_diag *d);
	int	(*blob_refs_set)(struct mb_store *st, const char *uri,
		    const char *origin, const struct mb_store_blob_ref *refs,
		    size_t n, struct mb_diag *d);
	int	(*blob_cursor)(struct mb_store *st, int64_t *seq,
		    struct mb_diag *d);
	int	(*blob_cursor_set)(struct mb_store *st, int64_t seq,
		    struct mb_diag *d);
	int	(*blob_unused)(struct mb_store *st, int64_t before_ms,
		    int (*cb)(const struct mb_store_blob *b, void *arg),
		    void *arg, struct mb_diag *d);
	int	(*blob_wanted)(struct mb_store *st, int64_t limit,
		    int (*cb)(const struct mb_store_blob *b, const char *origin,
			void *arg), void *arg, struct mb_diag *d);
	int	(*center_keys)(struct mb_store *st, const char *id,
		    int (*cb)(const struct mb_center_key *k, void *arg),
		    void *arg, struct mb_diag *d);
	int	(*center_key_users)(struct mb_store *st,
		    const unsigned char key[32],
		    int (*cb)(const struct mb_center_key *k, void *arg),
		    void *arg, struct mb_diag *d);
	int	(*blob_each)(struct mb_store *st,
		    int (*cb)(const struct mb_store_blob *b, void *arg),
		    void *arg, struct mb_diag *d);

	int	(*listen)(struct mb_store *st, struct mb_diag *d);
	int	(*wait)(struct mb_store *st, int timeout_ms, bool *got,
		    struct mb_diag *d);
	int	(*try_lock)(struct mb_store *st, const char *name, bool *got,
		    struct mb_diag *d);
	int	(*unlock)(struct mb_store *st, const char *name,
		    struct mb_diag *d);

	/*
	 * Domain migrations (domain.c). mig_begin opens a transaction that
	 * holds the schema's write lock (across processes on PostgreSQL);
	 * mig_end commits it (commit) or rolls it back. exec runs a script
	 * of several statements. domain_version is 0 for a domain with no
	 * row yet.
	 */
	int	(*mig_begin)(struct mb_store *st, struct mb_diag *d);
	int	(*mig_end)(struct mb_store *st, bool commit, struct mb_diag *d);
	int	(*exec)(struct mb_store *st, const char *sql, struct mb_diag *d);
	int	(*domain_version)(struct mb_store *st, const char *domain,
		    int *version, struct mb_diag *d);
	int	(*domain_version_set)(struct mb_store *st, const char *domain,
		    int version, struct mb_diag *d);

	/*
	 * mb_store_copy (copy.c). A source reads a table's columns row by
	 * row (copy_rows); a target checks it is empty and opens one
	 * transaction (copy_begin), inserts rows with the INSERT copy.c
	 * wrote in its parameter style (copy_row), settles what a table's
	 * keys imply (copy_table_end: id sequences) and at the end derives
	 * what is derived and commits, or rolls back (copy_end).
	 */
	int	(*copy_rows)(struct mb_store *from, const char *table,
		    const char *cols, int ncols, mb_store_cells_cb row,
		    void *arg, struct mb_diag *d);
	int	(*copy_begin)(struct mb_store *to, struct mb_diag *d);
	int	(*copy_row)(struct mb_store *to, const char *insert,
		    const struct mb_store_cell *c, int n, struct mb_diag *d);
	int	(*copy_table_end)(struct mb_store *to, const char *table,
		    const char *cols, struct mb_diag *d);
	int	(*copy_end)(struct mb_store *to, bool commit, struct mb_diag *d);
};

extern const struct mb_store_ops mb_sqlite_ops;	/* sqlite.c */
extern const struct mb_store_ops mb_pg_ops;	/* pg.c */

/* ---- Domains: tables beyond the core, migrated apart (domain.c) ------ */

/* A table, for mb_store_copy: its name and its columns ("a, b, c"). */
struct mb_store_table {
	const char	*name;
	const char	*cols;
};

/*
 * A domain's tables (docs/store.md, "Adding a domain's tables"): its
 * migrations for each backend, oldest first and NULL-terminated, counted
 * in schema_domains under its name (not in the core's schema version),
 * and the tables mb_store_copy copies, in an order their keys allow,
 * ended by { NULL, NULL }. A released step is never edited.
 */
struct mb_store_domain {
	const char			*name;
	const char *const		*migrations[MB_STORE__BACKENDS];
	const struct mb_store_table	*tables;
};

/* Every domain, in the order they migrate; NULL-terminated (domain.c). */
extern const struct mb_store_domain *const mb_store_domains[];

/*
 * mb_store_open with another list of domains (the unit tests' own);
 * mb_store_open is this with mb_store_domains.
 */
int mb_store__open_with(const char *location, const struct mb_store_opts *opts,
    const struct mb_store_domain *const *domains, struct mb_store **out,
    struct mb_diag *d);

/* Brings each domain's tables to its newest migration (at open). */
int mb_store__migrate_domains(struct mb_store *st, bool readonly,
    struct mb_diag *d);

/*
 * How many of the index queue's first rows (in the indexer's order) the
 * index lag's age reads: exact while fewer wait, else the oldest of the
 * next to be indexed, and a scrape stays cheap during a catch-up.
 */
#define MB_STORE_LAG_SCAN "10000"

/*
 * True when this handle was opened with the domain called name (the
 * unit tests open stores with lists of their own).
 */
bool mb_store__has_domain(const struct mb_store *st, const char *name);

/* The migration a domain's tables are at here (0: none yet). */
int mb_store__domain_version(struct mb_store *st, const char *domain,
    int *version, struct mb_diag *d);

/* The backend this handle runs on: a domain's index into its tables. */
static inline enum mb_store_backend
mb_store__backend(const struct mb_store *st)
{
	return st->ops->backend;
}

/* ---- Rows into structs: written once per struct, read by each backend -- */

/*
 * How the columns of a result row fill a C struct, column i into col[i]:
 * INT an integer field (int or int64_t, by its size), BOOL a bool, REAL a
 * double, CHARS a char array (copied, cut to fit, "" for NULL), STR a
 * const char * borrowed from the row (NULL for NULL), BYTES an array
 * copied when the value has exactly its size (else left zero). The
 * backends' row walkers (mb_sqlite__next, mb_pg__next) zero the struct
 * and fill it by this map.
 */
enum mb_store_col_kind {
	MB_COL_INT, MB_COL_BOOL, MB_COL_REAL, MB_COL_CHARS, MB_COL_STR,
	MB_COL_BYTES
};

struct mb_store_col {
	enum mb_store_col_kind	kind;
	size_t			off;
	size_t			size;
};

struct mb_store_cols {
	size_t				 size;	/* of the struct */
	int				 n;
	const struct mb_store_col	*col;
};

#define MB_COL(kind, T, field) \
	{ (kind), offsetof(T, field), sizeof(((T *)0)->field) }
#define MB_COLS(T, arr) \
	{ sizeof(T), (int)(sizeof(arr) / sizeof((arr)[0])), (arr) }

/* The core's maps (rows.c): their SQL names the columns in this order. */
extern const struct mb_store_cols mb_store__center_cols;
#define MB_STORE_CENTER_COLS "id, name, country, languages, url, key, " \
	"role, status, updated_ms, names, mt_pairs"
extern const struct mb_store_cols mb_store__peer_cols;
#define MB_STORE_PEER_COLS "center, url, manual, cursor, last_ok_ms, " \
	"last_err_ms, last_error, received, refused"
/* Blob rows: hash, mime, size, created_ms, refs (b.here is the caller's). */
extern const struct mb_store_cols mb_store__blob_cols;
extern const struct mb_store_cols mb_store__center_key_cols;
#define MB_STORE_CENTER_KEY_COLS "id, key, until_ms, revoked"

/* ---- Search, shared by both backends (search.c) ---------------------- */

/* MB_ERR_INVAL with a reason when q's match, limit or offset is wrong. */
int mb_store__search_check(const struct mb_store_search_query *q,
    struct mb_diag *d);

/* A ranked candidate. */
struct mb_store__cand {
	int64_t	 id;
	int64_t	 first_ms;
	double	 bm25;		/* relevance, higher is better */
	double	 score;		/* bm25 with the recency boost */
	char	*group;		/* translation group (prefer_language) */
};

/*
 * Scores c[0..*n) with the recency boost at now, sorts them best first
 * and, with dedupe, keeps the best of each translation group (*n shrinks).
 */
void mb_store__rank(struct mb_store__cand *c, int *n, int64_t now,
    bool dedupe);
void mb_store__cands_free(struct mb_store__cand *c, int n);

/* The lead of a body: its first 240 characters cut at a space, "…". */
int mb_store__lead(const char *body, struct mb_buf *out);

#endif
