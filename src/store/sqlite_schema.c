/* SPDX-License-Identifier: MIT */
/* The SQLite schema, as an ordered list of migrations. */
#include "sqlite_int.h"

#include <stddef.h>

/*
 * Each entry takes the schema from version i to i + 1 and runs in one
 * transaction with PRAGMA user_version. Entries are never edited once
 * released: a change is a new entry at the end.
 */
const char *const mb_sqlite_migrations[] = {
	/* 1: item versions and the log, current items, search, centers. */
	"CREATE TABLE versions ("
	"  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  uri TEXT NOT NULL,"
	"  version INTEGER NOT NULL,"
	"  center TEXT NOT NULL,"
	"  local TEXT NOT NULL,"
	"  origin TEXT NOT NULL,"
	"  audience TEXT NOT NULL,"
	"  pub_status TEXT NOT NULL,"
	"  workflow TEXT NOT NULL,"
	"  language TEXT,"
	"  type TEXT,"
	"  profile TEXT,"
	"  headline TEXT,"
	"  embargo_ms INTEGER NOT NULL DEFAULT 0,"
	"  created_ms INTEGER NOT NULL,"
	"  first_ms INTEGER NOT NULL,"
	"  received_ms INTEGER NOT NULL,"
	"  envelope BLOB NOT NULL,"
	"  UNIQUE (uri, version));"
	"CREATE TABLE items ("
	"  id INTEGER PRIMARY KEY,"
	"  uri TEXT NOT NULL UNIQUE,"
	"  seq INTEGER NOT NULL REFERENCES versions(seq),"
	"  version INTEGER NOT NULL,"
	"  center TEXT NOT NULL,"
	"  audience TEXT NOT NULL,"
	"  pub_status TEXT NOT NULL,"
	"  workflow TEXT NOT NULL,"
	"  language TEXT,"
	"  type TEXT,"
	"  profile TEXT,"
	"  embargo_ms INTEGER NOT NULL DEFAULT 0,"
	"  created_ms INTEGER NOT NULL,"
	"  first_ms INTEGER NOT NULL);"
	"CREATE INDEX items_first ON items (first_ms);"
	"CREATE TABLE fts_pending (item_id INTEGER PRIMARY KEY);"
	"CREATE VIRTUAL TABLE fts USING fts5 (headline, body,"
	"  tokenize = 'mb');"
	"CREATE TABLE aliases ("
	"  key TEXT PRIMARY KEY,"
	"  uri TEXT NOT NULL) WITHOUT ROWID;"
	"CREATE TABLE centers ("
	"  id TEXT PRIMARY KEY,"
	"  name TEXT NOT NULL,"
	"  country TEXT NOT NULL,"
	"  languages TEXT NOT NULL,"
	"  url TEXT NOT NULL,"
	"  key BLOB NOT NULL,"
	"  role TEXT NOT NULL,"
	"  status TEXT NOT NULL,"
	"  updated_ms INTEGER NOT NULL) WITHOUT ROWID;",
	/* 2 (sync): the peers pulled from, and the HQ-signed registry. */
	"CREATE TABLE peers ("
	"  center TEXT PRIMARY KEY,"
	"  url TEXT NOT NULL,"
	"  manual INTEGER NOT NULL DEFAULT 0,"
	"  cursor INTEGER NOT NULL DEFAULT 0,"
	"  last_ok_ms INTEGER NOT NULL DEFAULT 0,"
	"  last_err_ms INTEGER NOT NULL DEFAULT 0,"
	"  last_error TEXT NOT NULL DEFAULT '',"
	"  received INTEGER NOT NULL DEFAULT 0,"
	"  refused INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;"
	"CREATE TABLE registry ("
	"  id INTEGER PRIMARY KEY CHECK (id = 1),"
	"  version INTEGER NOT NULL,"
	"  document BLOB NOT NULL);",
	NULL
};
