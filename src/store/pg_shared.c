/* SPDX-License-Identifier: MIT */
/* The PostgreSQL side of several processes on one database: LISTEN/NOTIFY, advisory locks. */
#include "pg_int.h"

#include <errno.h>
#include <poll.h>

#include <libpq-fe.h>

#include "base/timeutil.h"

/*
 * mb_put() (pg_schema.c) sends NOTIFY mb_log in every transaction that
 * appends to the log; PostgreSQL delivers it at commit, to every
 * connection listening, once per transaction. Locks are session-level
 * advisory locks keyed by a 64-bit hash of the name: released when the
 * connection ends, so a killed process's locks go with it.
 */

int
mb_pg_listen(struct mb_store *st, struct mb_diag *d)
{
	return mb_pg__run(PG(st), "LISTEN mb_log", NULL, false, NULL, d);
}

int
mb_pg_wait(struct mb_store *st, int timeout_ms, bool *got, struct mb_diag *d)
{
	PGconn		*c = mb_pg__conn(PG(st));
	PGnotify	*n;
	int64_t		 end = mb_time_mono_ms() + timeout_ms;
	bool		 any = false;

	for (;;) {
		struct pollfd	pfd;
		int64_t		left;

		if (PQconsumeInput(c) == 0)
			return mb_diag_set(d, MB_ERR_STORE,
			    "store: postgresql: %s", PQerrorMessage(c));
		while ((n = PQnotifies(c)) != NULL) {
			any = true;
			PQfreemem(n);
		}
		left = end - mb_time_mono_ms();
		if (any || left <= 0)
			break;
		pfd.fd = PQsocket(c);
		pfd.events = POLLIN;
		pfd.revents = 0;
		if (pfd.fd < 0)
			return mb_diag_set(d, MB_ERR_STORE,
			    "store: postgresql: no connection");
		if (poll(&pfd, 1, (int)left) < 0 && errno != EINTR)
			return mb_diag_set(d, MB_ERR_STORE,
			    "store: postgresql: poll failed");
	}
	*got = any;
	return MB_OK;
}

static const char SQL_TRY[] =
    "SELECT pg_try_advisory_lock(hashtextextended($1, 7236016178716353281))";
static const char SQL_UNLOCK[] =
    "SELECT pg_advisory_unlock(hashtextextended($1, 7236016178716353281))";

int
mb_pg_try_lock(struct mb_store *st, const char *name, bool *got,
    struct mb_diag *d)
{
	struct mb_pg		*pg = PG(st);
	struct mb_pg_params	 p;
	struct mb_pg_res	*r;
	int			 rc;

	p.n = 0;
	mb_pg__p_text(&p, name);
	if ((rc = mb_pg__run(pg, SQL_TRY, &p, true, &r, d)) != MB_OK)
		return rc;
	*got = mb_pg__i64(r, 0, 0) != 0;
	mb_pg__free(r);
	if (*got)
		mb_pg__locks(pg, 1);
	return MB_OK;
}

int
mb_pg_unlock(struct mb_store *st, const char *name, struct mb_diag *d)
{
	struct mb_pg		*pg = PG(st);
	struct mb_pg_params	 p;
	struct mb_pg_res	*r;
	int			 rc;

	p.n = 0;
	mb_pg__p_text(&p, name);
	if ((rc = mb_pg__run(pg, SQL_UNLOCK, &p, true, &r, d)) != MB_OK)
		return rc;
	if (mb_pg__i64(r, 0, 0) != 0)
		mb_pg__locks(pg, -1);
	mb_pg__free(r);
	return MB_OK;
}
