/* SPDX-License-Identifier: MIT */
/*
 * The store's anchor: the raw rate of inserting the same rows into a plain
 * SQLite table with an FTS5 (unicode61) index, in one transaction, WAL,
 * with the text already in memory. Prints "raw_sqlite_fts5 ROWS/s".
 * usage: raw_sqlite ITEMS.ndjson DB
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <sqlite3.h>

struct row {
	char	*json;
	char	*headline;
	char	*body;
};

static char *
values(json_t *arr)
{
	size_t	 i, len = 0;
	json_t	*o;
	char	*out = calloc(1, 1);

	json_array_foreach(arr, i, o) {
		const char *v = json_string_value(json_object_get(o, "value"));
		size_t n = v ? strlen(v) : 0;

		out = realloc(out, len + n + 2);
		memcpy(out + len, v ? v : "", n);
		len += n;
		out[len++] = '\n';
		out[len] = '\0';
	}
	return out;
}

int
main(int argc, char **argv)
{
	struct row	*rows = NULL;
	size_t		 n = 0, cap = 0;
	char		*line = NULL;
	size_t		 lcap = 0;
	ssize_t		 len;
	FILE		*f;
	sqlite3		*db;
	sqlite3_stmt	*ins, *fts;
	struct timespec	 t0, t1;
	double		 secs;

	if (argc != 3) {
		fprintf(stderr, "usage: raw_sqlite ITEMS.ndjson DB\n");
		return 2;
	}
	if ((f = fopen(argv[1], "r")) == NULL) {
		perror(argv[1]);
		return 1;
	}
	while ((len = getline(&line, &lcap, f)) > 0) {
		json_t *v = json_loadb(line, (size_t)len, 0, NULL);

		if (v == NULL)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 1024;
			rows = realloc(rows, cap * sizeof(*rows));
		}
		rows[n].json = strdup(line);
		rows[n].headline = values(json_object_get(v, "headlines"));
		rows[n].body = values(json_object_get(v, "bodies"));
		n++;
		json_decref(v);
	}
	fclose(f);
	remove(argv[2]);
	if (sqlite3_open(argv[2], &db) != SQLITE_OK)
		return 1;
	sqlite3_exec(db, "PRAGMA page_size=16384; PRAGMA journal_mode=WAL;"
	    "PRAGMA synchronous=NORMAL;"
	    "CREATE TABLE t (id INTEGER PRIMARY KEY, json TEXT);"
	    "CREATE VIRTUAL TABLE f USING fts5 (headline, body, "
	    "tokenize='unicode61');", NULL, NULL, NULL);
	sqlite3_prepare_v2(db, "INSERT INTO t (id, json) VALUES (?1, ?2)", -1,
	    &ins, NULL);
	sqlite3_prepare_v2(db, "INSERT INTO f (rowid, headline, body) VALUES "
	    "(?1, ?2, ?3)", -1, &fts, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
	for (size_t i = 0; i < n; i++) {
		sqlite3_bind_int64(ins, 1, (sqlite3_int64)i + 1);
		sqlite3_bind_text(ins, 2, rows[i].json, -1, SQLITE_STATIC);
		sqlite3_step(ins);
		sqlite3_reset(ins);
		sqlite3_bind_int64(fts, 1, (sqlite3_int64)i + 1);
		sqlite3_bind_text(fts, 2, rows[i].headline, -1, SQLITE_STATIC);
		sqlite3_bind_text(fts, 3, rows[i].body, -1, SQLITE_STATIC);
		sqlite3_step(fts);
		sqlite3_reset(fts);
	}
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("raw_sqlite_fts5 %.0f rows/s (%zu rows, %.2f s)\n",
	    (double)n / secs, n, secs);
	sqlite3_finalize(ins);
	sqlite3_finalize(fts);
	sqlite3_close(db);
	return 0;
}
