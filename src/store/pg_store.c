/* SPDX-License-Identifier: MIT */
/* A store handle whose backend is PostgreSQL: opened by URL, closed as one. */
#include "sqlite_int.h"

#include <stdlib.h>

/*
 * struct mb_store belongs to the SQLite backend (sqlite_int.h); a
 * PostgreSQL store is one with db NULL and pg set, and every public call
 * hands over to mb_pg_* on its first line.
 */
int
mb_pg_store_open(const char *url, const struct mb_store_opts *opts,
    struct mb_store **out, struct mb_diag *d)
{
	struct mb_store	*st;
	int		 rc;

	if ((st = calloc(1, sizeof(*st))) == NULL)
		return MB_ERR_NOMEM;
	if ((rc = mb_pg_open(url, opts, &st->pg, d)) != MB_OK) {
		free(st);
		return rc;
	}
	*out = st;
	return MB_OK;
}

void
mb_pg_store_close(struct mb_store *st)
{
	mb_pg_close(st->pg);
	free(st);
}
