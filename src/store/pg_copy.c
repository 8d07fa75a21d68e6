/* SPDX-License-Identifier: MIT */
/* Copying a whole store from SQLite into an empty PostgreSQL one, row for row. */
#include "sqlite_int.h"

#include <stdio.h>
#include <string.h>

/*
 * Rows are copied as they are, keys and all: the log keeps its seq
 * numbers (other centers' cursors point into it), items and users keep
 * their ids (credentials and the search index refer to them). What is
 * derived is derived again on the PostgreSQL side: the full-text index
 * (every item queued for the indexer) and the counters behind the log
 * and the id sequences. One transaction: a failed copy leaves the target
 * as empty as it was.
 */
static const struct {
	const char	*table;
	const char	*cols;
	int		 ncols;
} tables[] = {
	{ "centers", "id, name, country, languages, url, key, role, status, "
	  "updated_ms", 9 },
	{ "versions", "seq, uri, version, center, local, origin, audience, "
	  "pub_status, workflow, language, type, profile, headline, "
	  "embargo_ms, created_ms, first_ms, received_ms, envelope, via", 19 },
	{ "items", "id, uri, seq, version, center, audience, pub_status, "
	  "workflow, language, type, profile, embargo_ms, created_ms, "
	  "first_ms", 14 },
	{ "aliases", "key, uri", 2 },
	{ "peers", "center, url, manual, cursor, last_ok_ms, last_err_ms, "
	  "last_error, received, refused", 9 },
	{ "registry", "id, version, document", 3 },
	{ "users", "id, name, role, pwhash, created_ms, disabled", 6 },
	{ "credentials", "hash, kind, user_id, csrf, created_ms, expires_ms",
	  6 },
	{ "item_authors", "uri, user_id", 2 },
	{ "item_topics", "topic, item_id", 2 },
	{ "translations", "uri, of_uri, by", 3 },
	{ "media_blobs", "hash, mime, size, created_ms", 4 },
	{ "media_refs", "uri, hash, origin, mime, size", 5 },
	{ "media_state", "k, v", 2 },
};

static int
copy_table(struct mb_store *from, struct mb_pg *to, int t,
    void (*progress)(const char *table, int64_t rows, void *arg), void *arg,
    struct mb_diag *d)
{
	struct mb_pg_params	 p;
	sqlite3_stmt		*s;
	char			 sql[600], ins[800], *o;
	int64_t			 rows = 0;
	int			 rc = MB_OK, step;

	snprintf(sql, sizeof(sql), "SELECT %s FROM %s", tables[t].cols,
	    tables[t].table);
	if (sqlite3_prepare_v2(from->db, sql, -1, &s, NULL) != SQLITE_OK)
		return mb_sqlite_err(from, d, tables[t].table);
	o = ins + snprintf(ins, sizeof(ins), "INSERT INTO %s (%s) VALUES (",
	    tables[t].table, tables[t].cols);
	for (int i = 0; i < tables[t].ncols; i++)
		o += snprintf(o, (size_t)(ins + sizeof(ins) - o), "%s$%d",
		    i ? ", " : "", i + 1);
	snprintf(o, (size_t)(ins + sizeof(ins) - o), ")");
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		p.n = 0;
		for (int i = 0; i < tables[t].ncols; i++) {
			switch (sqlite3_column_type(s, i)) {
			case SQLITE_NULL:
				mb_pg__p_text(&p, NULL);
				break;
			case SQLITE_BLOB:
				mb_pg__p_bytes(&p, sqlite3_column_blob(s, i),
				    (size_t)sqlite3_column_bytes(s, i));
				break;
			default:
				mb_pg__p_text(&p, (const char *)
				    sqlite3_column_text(s, i));
				break;
			}
			/* The server types each value by its column. */
			p.type[i] = 0;
		}
		if ((rc = mb_pg__run(to, ins, &p, false, NULL, d)) != MB_OK) {
			mb_diag_prefix(d, "%s", tables[t].table);
			break;
		}
		if (++rows % 10000 == 0 && progress != NULL)
			progress(tables[t].table, rows, arg);
	}
	if (rc == MB_OK && step != SQLITE_DONE)
		rc = mb_sqlite_err(from, d, tables[t].table);
	sqlite3_finalize(s);
	if (rc == MB_OK && progress != NULL)
		progress(tables[t].table, rows, arg);
	return rc;
}

/* What is derived from the rows, derived again. */
static const char *const fixups[] = {
	"UPDATE log_counter SET seq = (SELECT coalesce(max(seq), 0) FROM "
	"versions)",
	"SELECT setval(pg_get_serial_sequence('items', 'id'), (SELECT "
	"coalesce(max(id), 0) + 1 FROM items), false)",
	"SELECT setval(pg_get_serial_sequence('users', 'id'), (SELECT "
	"coalesce(max(id), 0) + 1 FROM users), false)",
	"INSERT INTO fts_pending SELECT id FROM items",
};

int
mb_store_copy(struct mb_store *from, struct mb_store *to,
    void (*progress)(const char *table, int64_t rows, void *arg), void *arg,
    struct mb_diag *d)
{
	struct mb_pg_res	*r;
	int64_t			 n;
	int			 rc;

	if (from->pg != NULL || to->pg == NULL)
		return mb_diag_set(d, MB_ERR_UNSUPPORTED, "store: copying "
		    "goes from SQLite to PostgreSQL only");
	if ((rc = mb_pg__run(to->pg, "SELECT (SELECT count(*) FROM versions) "
	    "+ (SELECT count(*) FROM users) + (SELECT count(*) FROM centers)",
	    NULL, false, &r, d)) != MB_OK)
		return rc;
	n = mb_pg__i64(r, 0, 0);
	mb_pg__free(r);
	if (n != 0)
		return mb_diag_set(d, MB_ERR_EXISTS, "store: the target "
		    "database is not empty");
	/* A consistent snapshot of the source for the whole copy. */
	if ((rc = mb_store_begin(from, d)) != MB_OK)
		return rc;
	if ((rc = mb_pg_begin(to->pg, d)) != MB_OK)
		goto out;
	for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++)
		if ((rc = copy_table(from, to->pg, (int)t, progress, arg, d)) !=
		    MB_OK)
			goto fail;
	for (size_t i = 0; i < sizeof(fixups) / sizeof(fixups[0]); i++)
		if ((rc = mb_pg__run(to->pg, fixups[i], NULL, false, NULL,
		    d)) != MB_OK)
			goto fail;
	rc = mb_pg_commit(to->pg, d);
	goto out;
fail:
	mb_pg_rollback(to->pg);
out:
	mb_store_rollback(from);
	return rc;
}
