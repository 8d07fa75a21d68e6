/* SPDX-License-Identifier: MIT */
/* The SQLite side of several processes: no notices, locks always granted. */
#include "sqlite_int.h"

int
mb_sqlite_listen(struct mb_store *st, struct mb_diag *d)
{
	(void)st;
	return mb_diag_set(d, MB_ERR_UNSUPPORTED,
	    "store: SQLite sends no change notices");
}

int
mb_sqlite_wait(struct mb_store *st, int timeout_ms, bool *got,
    struct mb_diag *d)
{
	(void)st;
	(void)timeout_ms;
	(void)got;
	return mb_diag_set(d, MB_ERR_UNSUPPORTED,
	    "store: SQLite sends no change notices");
}

int
mb_sqlite_try_lock(struct mb_store *st, const char *name, bool *got,
    struct mb_diag *d)
{
	(void)st;
	(void)name;
	(void)d;
	/* One process serves a SQLite data directory. */
	*got = true;
	return MB_OK;
}

int
mb_sqlite_unlock(struct mb_store *st, const char *name, struct mb_diag *d)
{
	(void)st;
	(void)name;
	(void)d;
	return MB_OK;
}
