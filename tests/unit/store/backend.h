/* SPDX-License-Identifier: MIT */
/* The backend the store tests run against: SQLite, or a private PostgreSQL. */
#ifndef MB_TEST_STORE_BACKEND_H
#define MB_TEST_STORE_BACKEND_H

/*
 * Each store test program is one table of cases, run once per backend
 * (tests/unit/store/meson.build registers both). MB_TEST_BACKEND unset or
 * "sqlite": a fresh SQLite file per case. MB_TEST_BACKEND=postgresql: a
 * fresh database per case on the server MB_TEST_PG names (tests/run.sh
 * starts one: tests/lib/pgtest.sh); without MB_TEST_PG the program exits
 * 77, which the runner counts as skipped. Header-only: each test program
 * includes it once.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libpq-fe.h>
#include <sqlite3.h>

static char	tb_loc[512];	/* what mb_store_open() gets */
static char	tb_db[64];	/* the PostgreSQL database, or "" */
static char	tb_path[64];	/* the SQLite file, or "" */

static bool __attribute__((unused))
tb_is_pg(void)
{
	const char *b = getenv("MB_TEST_BACKEND");

	return b != NULL && strcmp(b, "postgresql") == 0;
}

/* Exits 77 (skipped) when the PostgreSQL variant has no server. */
static void __attribute__((unused))
tb_require(void)
{
	if (tb_is_pg() && (getenv("MB_TEST_PG") == NULL ||
	    getenv("MB_TEST_PG")[0] == '\0')) {
		fprintf(stderr, "skipped: MB_TEST_BACKEND=postgresql but no "
		    "MB_TEST_PG (tests/run.sh starts a server)\n");
		exit(77);
	}
}

/* Runs sql on the server's maintenance database. */
static int __attribute__((unused))
tb_admin(const char *sql)
{
	PGconn		*c = PQconnectdb(getenv("MB_TEST_PG"));
	PGresult	*r;
	int		 ok;

	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "pg: %s", PQerrorMessage(c));
		PQfinish(c);
		return -1;
	}
	r = PQexec(c, sql);
	ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	if (!ok)
		fprintf(stderr, "pg: %s: %s", sql, PQresultErrorMessage(r));
	PQclear(r);
	PQfinish(c);
	return ok ? 0 : -1;
}

/* A fresh, empty location in tb_loc. */
static int __attribute__((unused))
tb_create(void)
{
	static int	n;
	char		sql[128];
	const char	*url;
	const char	*slash;
	int		fd;

	if (!tb_is_pg()) {
		snprintf(tb_path, sizeof(tb_path), "/tmp/mb-store-XXXXXX");
		if ((fd = mkstemp(tb_path)) < 0)
			return -1;
		close(fd);
		unlink(tb_path);
		snprintf(tb_loc, sizeof(tb_loc), "%s", tb_path);
		return 0;
	}
	url = getenv("MB_TEST_PG");
	snprintf(tb_db, sizeof(tb_db), "mbt_%ld_%d", (long)getpid(), ++n);
	snprintf(sql, sizeof(sql), "CREATE DATABASE %s TEMPLATE template0 "
	    "ENCODING 'UTF8'", tb_db);
	if (tb_admin(sql) != 0)
		return -1;
	/* The server URL names its maintenance database last: swap it. */
	if ((slash = strrchr(url, '/')) == NULL ||
	    slash < strstr(url, "://") + 3)
		return -1;
	snprintf(tb_loc, sizeof(tb_loc), "%.*s/%s", (int)(slash - url), url,
	    tb_db);
	return 0;
}

static void __attribute__((unused))
tb_destroy(void)
{
	char p[128];

	if (tb_db[0] != '\0') {
		snprintf(p, sizeof(p),
		    "DROP DATABASE IF EXISTS %s WITH (FORCE)", tb_db);
		tb_admin(p);
		tb_db[0] = '\0';
		return;
	}
	if (tb_path[0] == '\0')
		return;
	unlink(tb_path);
	snprintf(p, sizeof(p), "%s-wal", tb_path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", tb_path);
	unlink(p);
	tb_path[0] = '\0';
}

/* Runs sql on the store's database behind the store's back. */
static int __attribute__((unused))
tb_exec(const char *sql)
{
	if (tb_db[0] != '\0') {
		PGconn		*c = PQconnectdb(tb_loc);
		PGresult	*r = PQexec(c, sql);
		int		 ok = PQresultStatus(r) == PGRES_COMMAND_OK ||
		    PQresultStatus(r) == PGRES_TUPLES_OK;

		if (!ok)
			fprintf(stderr, "pg: %s", PQresultErrorMessage(r));
		PQclear(r);
		PQfinish(c);
		return ok ? 0 : -1;
	} else {
		sqlite3	*db;
		int	 rc;

		if (sqlite3_open(tb_path, &db) != SQLITE_OK)
			return -1;
		rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
		sqlite3_close(db);
		return rc == SQLITE_OK ? 0 : -1;
	}
}

/*
 * The first column of sql's first row as an integer, read behind the
 * store's back; -1 when there is no row or the query fails.
 */
static long long __attribute__((unused))
tb_query_int(const char *sql)
{
	long long v = -1;

	if (tb_db[0] != '\0') {
		PGconn		*c = PQconnectdb(tb_loc);
		PGresult	*r = PQexec(c, sql);

		if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0 &&
		    !PQgetisnull(r, 0, 0))
			v = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
		else if (PQresultStatus(r) != PGRES_TUPLES_OK)
			fprintf(stderr, "pg: %s", PQresultErrorMessage(r));
		PQclear(r);
		PQfinish(c);
	} else {
		sqlite3		*db;
		sqlite3_stmt	*s;

		if (sqlite3_open(tb_path, &db) != SQLITE_OK)
			return -1;
		if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK) {
			if (sqlite3_step(s) == SQLITE_ROW &&
			    sqlite3_column_type(s, 0) != SQLITE_NULL)
				v = sqlite3_column_int64(s, 0);
			sqlite3_finalize(s);
		} else {
			fprintf(stderr, "sqlite: %s\n", sqlite3_errmsg(db));
		}
		sqlite3_close(db);
	}
	return v;
}

/*
 * How many of the function pointers in a table of calls, bytes from..to
 * of it, are NULL (a call a backend forgot to fill: it would crash where
 * it is called). Function pointers here all have one size and form.
 */
static int __attribute__((unused))
tb_ops_missing(const void *ops, size_t from, size_t to)
{
	typedef void	(*fn)(void);
	int		missing = 0;

	for (size_t off = from; off + sizeof(fn) <= to; off += sizeof(fn)) {
		fn f;

		memcpy(&f, (const char *)ops + off, sizeof(f));
		missing += f == NULL;
	}
	return missing;
}

#endif
