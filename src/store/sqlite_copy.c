/* SPDX-License-Identifier: MIT */
/* The SQLite side of mb_store_copy: a table's rows, as they are stored. */
#include "sqlite_int.h"

#include <stdio.h>
#include <string.h>

int
mb_sqlite_copy_rows(struct mb_store *from, const char *table,
    const char *cols, int ncols, mb_store_cells_cb row, void *arg,
    struct mb_diag *d)
{
	struct mb_store_cell	c[32];
	struct mb_sqlite_rows	r;
	char			sql[1024];
	const char		*e;
	int			rc;

	if (ncols > (int)(sizeof(c) / sizeof(c[0])))
		return mb_diag_set(d, MB_ERR_TOOBIG, "store: copy: %s: too "
		    "many columns", table);
	/* Our own table and column names (copy.c, the domains), never input. */
	snprintf(sql, sizeof(sql), "SELECT %s FROM %s", cols, table);
	/*
	 * Envelopes leave as themselves, not in this store's compressed
	 * form (sqlite_zenv.c): the target keeps its own.
	 */
	if (strcmp(table, "versions") == 0 && (e = strstr(cols,
	    " envelope,")) != NULL)
		snprintf(sql, sizeof(sql), "SELECT %.*s mb_envelope(envelope)"
		    "%s FROM %s", (int)(e - cols), cols, e + 9, table);
	if ((rc = mb_sqlite__query(SQ(from), sql, &r, table, d)) != MB_OK)
		return rc;
	while (rc == MB_OK && mb_sqlite__next(&r, NULL, NULL)) {
		for (int i = 0; i < ncols; i++) {
			switch (sqlite3_column_type(r.s, i)) {
			case SQLITE_NULL:
				c[i].kind = MB_CELL_NULL;
				c[i].p = NULL;
				c[i].len = 0;
				break;
			case SQLITE_BLOB:
				c[i].kind = MB_CELL_BLOB;
				c[i].p = sqlite3_column_blob(r.s, i);
				c[i].len = (size_t)sqlite3_column_bytes(r.s, i);
				break;
			default:
				/* Numbers too: the target types them by column. */
				c[i].kind = MB_CELL_TEXT;
				c[i].p = (const char *)sqlite3_column_text(r.s,
				    i);
				c[i].len = (size_t)sqlite3_column_bytes(r.s, i);
				break;
			}
		}
		rc = row(c, ncols, arg);
	}
	return mb_sqlite__end(&r, rc, d);
}
