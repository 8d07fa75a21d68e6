/* SPDX-License-Identifier: MIT */
/* The SQLite side of several processes: no notices, locks always granted. */
#include "sqlite_int.h"

int
mb_store_listen(struct mb_store *st, struct mb_diag *d)
{
	if (st->pg != NULL)
		return mb_pg_listen(st->pg, d);
	return mb_diag_set(d, MB_ERR_UNSUPPORTED,
	    "store: SQLite sends no change notices");
}

int
mb_store_wait(struct mb_store *st, int timeout_ms, bool *got,
    struct mb_diag *d)
{
	if (st->pg != NULL)
		return mb_pg_wait(st->pg, timeout_ms, got, d);
	return mb_diag_set(d, MB_ERR_UNSUPPORTED,
	    "store: SQLite sends no change notices");
}

int
mb_store_try_lock(struct mb_store *st, const char *name, bool *got,
    struct mb_diag *d)
{
	if (st->pg != NULL)
		return mb_pg_try_lock(st->pg, name, got, d);
	/* One process serves a SQLite data directory. */
	*got = true;
	return MB_OK;
}

int
mb_store_unlock(struct mb_store *st, const char *name, struct mb_diag *d)
{
	if (st->pg != NULL)
		return mb_pg_unlock(st->pg, name, d);
	return MB_OK;
}
