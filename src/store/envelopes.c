/* SPDX-License-Identifier: MIT */
/* The envelopes domain: the zstd dictionaries compressed envelopes were made with, kept for as long as the rows. */
#include "store_int.h"

#include <stddef.h>

/*
 * A domain (its own counter, domain.c) rather than a core migration, so
 * that it takes no core number from branches under way. envelope_dicts
 * holds each dictionary a stored envelope names (its zstd dictionary
 * ID, zenv.h), written with the first row compressed with it and never
 * deleted. Only SQLite compresses; PostgreSQL has the table, empty, so
 * both schemas say the same (docs/store.md, "Compressed envelopes").
 * Copies to another backend carry envelopes decompressed
 * (sqlite_copy.c), so the table is not copied.
 */
static const char *const sqlite_migrations[] = {
	/* 1 */
	"CREATE TABLE envelope_dicts ("
	"  id INTEGER PRIMARY KEY,"
	"  bytes BLOB NOT NULL);",
	NULL
};

static const char *const pg_migrations[] = {
	/* 1 */
	"CREATE TABLE envelope_dicts ("
	"  id BIGINT PRIMARY KEY,"
	"  bytes BYTEA NOT NULL);",
	NULL
};

static const struct mb_store_table tables[] = {
	{ NULL, NULL }
};

const struct mb_store_domain mb_store_envelopes_domain = {
	.name = "envelopes",
	.migrations = {
		[MB_STORE_SQLITE] = sqlite_migrations,
		[MB_STORE_PG] = pg_migrations,
	},
	.tables = tables,
};
