/* SPDX-License-Identifier: MIT */
/* Private to the SQLite backend: the handle and statement helpers. */
#ifndef MB_STORE_SQLITE_INT_H
#define MB_STORE_SQLITE_INT_H

#include <sqlite3.h>

#include "base/buf.h"
#include "store/store.h"
#include "pg_int.h"

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
#define MB_SQLITE_SEARCH_STMTS 10

struct mb_store {
	sqlite3		*db;
	sqlite3_stmt	*stmt[STMT__COUNT];
	sqlite3_stmt	*search_stmt[MB_SQLITE_SEARCH_STMTS];
	int		 in_txn;
	int		 schema_version;
	struct mb_pg	*pg;		/* PostgreSQL: every call goes there */
	struct mb_buf	 fts_h, fts_b;	/* index_item()'s, kept for reuse */
};

/* The statement for slot s, reset and with its bindings cleared. */
sqlite3_stmt *mb_sqlite_stmt(struct mb_store *st, enum mb_sqlite_stmt s,
    struct mb_diag *d);

/*
 * sqlite_search.c: derives the item's topics and translation link from
 * v's envelope when v becomes the current version of item_id (is_new:
 * the item was just created), in the caller's transaction.
 */
int mb_sqlite_search_put(struct mb_store *st, int64_t item_id, bool is_new,
    const struct mb_store_version *v, struct mb_diag *d);
/* Registers sqlite_search.c's FTS5 functions (mb_bm25) on a connection. */
int mb_sqlite_search_register(fts5_api *api);
/* Finalizes sqlite_search.c's statements (on close). */
void mb_sqlite_search_close(struct mb_store *st);

/* pg_store.c: a store whose backend is PostgreSQL (st->pg set). */
int mb_pg_store_open(const char *url, const struct mb_store_opts *opts,
    struct mb_store **out, struct mb_diag *d);
void mb_pg_store_close(struct mb_store *st);

/* Sets d from the connection's last error; returns MB_ERR_STORE. */
int mb_sqlite_err(struct mb_store *st, struct mb_diag *d, const char *what);

#endif
