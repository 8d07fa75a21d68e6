/* SPDX-License-Identifier: MIT */
/* The PostgreSQL side of mb_store_copy: an empty target, rows in, what they imply derived. */
#include "pg_int.h"

#include <stdio.h>
#include <string.h>

int
mb_pg_copy_begin(struct mb_store *to, struct mb_diag *d)
{
	struct mb_pg_rows	r;
	int64_t			n = 0;
	int			rc;

	if ((rc = mb_pg__query(PG(to), "SELECT (SELECT count(*) FROM "
	    "versions) + (SELECT count(*) FROM users) + (SELECT count(*) FROM "
	    "centers)", NULL, false, &r, d)) != MB_OK)
		return rc;
	if (mb_pg__next(&r, NULL, NULL))
		n = mb_pg__i64(r.res, r.row, 0);
	mb_pg__end(&r, MB_OK);
	if (n != 0)
		return mb_diag_set(d, MB_ERR_EXISTS, "store: the target "
		    "database is not empty");
	return mb_pg_begin(to, d);
}

int
mb_pg_copy_row(struct mb_store *to, const char *insert,
    const struct mb_store_cell *c, int n, struct mb_diag *d)
{
	struct mb_pg_params p;

	if (n > MB_PG_MAXP)
		return mb_diag_set(d, MB_ERR_TOOBIG, "store: copy: too many "
		    "columns");
	p.n = 0;
	for (int i = 0; i < n; i++) {
		switch (c[i].kind) {
		case MB_CELL_NULL:
			mb_pg__p_text(&p, NULL);
			break;
		case MB_CELL_BLOB:
			mb_pg__p_bytes(&p, c[i].p, c[i].len);
			break;
		case MB_CELL_TEXT:
			mb_pg__p_text(&p, c[i].p);
			break;
		}
		/* The server types each value by its column. */
		p.type[i] = 0;
	}
	return mb_pg__run(PG(to), insert, &p, false, NULL, d);
}

/*
 * A column filled by a sequence (BIGSERIAL: items.id, users.id, and any
 * a domain declares) continues after the highest value copied.
 */
int
mb_pg_copy_table_end(struct mb_store *to, const char *table,
    const char *cols, struct mb_diag *d)
{
	struct mb_pg_params	 p;
	struct mb_pg_rows	 r;
	const char		*s = cols;
	char			 col[64], seq[256], sql[512];
	int			 rc;

	while (*s != '\0') {
		size_t n = strcspn(s, ",");

		while (n > 0 && s[n - 1] == ' ')
			n--;
		if (n >= sizeof(col))
			return mb_diag_set(d, MB_ERR_TOOBIG, "store: copy: %s: "
			    "a column name too long", table);
		memcpy(col, s, n);
		col[n] = '\0';
		s += strcspn(s, ",");
		while (*s == ',' || *s == ' ')
			s++;
		p.n = 0;
		mb_pg__p_text(&p, table);
		mb_pg__p_text(&p, col);
		if ((rc = mb_pg__query(PG(to), "SELECT "
		    "pg_get_serial_sequence($1, $2)", &p, false, &r, d)) !=
		    MB_OK)
			return rc;
		seq[0] = '\0';
		if (mb_pg__next(&r, NULL, NULL))
			mb_pg__copy(seq, sizeof(seq), r.res, r.row, 0);
		mb_pg__end(&r, MB_OK);
		if (seq[0] == '\0')
			continue;
		/* Our own names (copy.c, the domains), never input. */
		snprintf(sql, sizeof(sql), "SELECT setval($1::regclass, "
		    "(SELECT coalesce(max(%s), 0) + 1 FROM %s), false)", col,
		    table);
		p.n = 0;
		mb_pg__p_text(&p, seq);
		if ((rc = mb_pg__run(PG(to), sql, &p, false, NULL, d)) != MB_OK)
			return rc;
	}
	return MB_OK;
}

/* What is derived from the rows, derived again. */
static const char *const fixups[] = {
	"UPDATE log_counter SET seq = (SELECT coalesce(max(seq), 0) FROM "
	"versions)",
	"INSERT INTO fts_pending SELECT id FROM items",
};

int
mb_pg_copy_end(struct mb_store *to, bool commit, struct mb_diag *d)
{
	int rc;

	if (!commit) {
		mb_pg_rollback(to);
		return MB_OK;
	}
	for (size_t i = 0; i < sizeof(fixups) / sizeof(fixups[0]); i++)
		if ((rc = mb_pg__run(PG(to), fixups[i], NULL, false, NULL,
		    d)) != MB_OK) {
			mb_pg_rollback(to);
			return rc;
		}
	return mb_pg_commit(to, d);
}
