/* SPDX-License-Identifier: MIT */
/* A consistent copy of a live SQLite store, through SQLite's online backup API. */
#include "sqlite_int.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

/*
 * The copy is taken in one step (sqlite3_backup_step(-1)) under one read
 * transaction, so it is the store as of one commit, whatever other
 * connections and processes write meanwhile (WAL lets them go on). The
 * target must not exist: a backup never overwrites a file.
 */
int
mb_sqlite_backup(struct mb_store *st, const char *path, struct mb_diag *d)
{
	struct mb_sqlite	*sq = SQ(st);
	sqlite3			*to = NULL;
	sqlite3_backup		*b;
	int			 fd, rc;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600)) < 0)
		return mb_diag_set(d, errno == EEXIST ? MB_ERR_EXISTS :
		    MB_ERR_IO, "%s: %s", path, strerror(errno));
	close(fd);
	if (sqlite3_open_v2(path, &to, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK) {
		rc = mb_diag_set(d, MB_ERR_IO, "%s: %s", path,
		    to != NULL ? sqlite3_errmsg(to) : "cannot open");
		goto fail;
	}
	if ((b = sqlite3_backup_init(to, "main", sq->db, "main")) == NULL) {
		rc = mb_diag_set(d, MB_ERR_STORE, "store: backup: %s",
		    sqlite3_errmsg(to));
		goto fail;
	}
	/* A writer holding the lock makes a step busy: wait a while. */
	for (int tries = 0; tries < 200; tries++) {
		rc = sqlite3_backup_step(b, -1);
		if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED)
			break;
		sqlite3_sleep(50);
	}
	if (sqlite3_backup_finish(b) != SQLITE_OK || rc != SQLITE_DONE) {
		rc = mb_diag_set(d, MB_ERR_STORE, "store: backup: %s",
		    sqlite3_errmsg(to));
		goto fail;
	}
	/* A file of its own: no -wal beside it once closed. */
	if ((rc = sqlite3_exec(to, "PRAGMA journal_mode=DELETE", NULL, NULL,
	    NULL)) != SQLITE_OK) {
		rc = mb_diag_set(d, MB_ERR_STORE, "store: backup: %s",
		    sqlite3_errmsg(to));
		goto fail;
	}
	if (sqlite3_close(to) != SQLITE_OK) {
		to = NULL;
		rc = mb_diag_set(d, MB_ERR_IO, "%s: cannot close", path);
		goto fail_closed;
	}
	return MB_OK;
fail:
	sqlite3_close(to);
fail_closed:
	unlink(path);
	return rc;
}
