/* SPDX-License-Identifier: MIT */
/* The SQLite schema, as an ordered list of migrations. */
#include "sqlite_int.h"

#include <stddef.h>

/*
 * Each entry takes the schema from version i to i + 1 and runs in one
 * transaction with PRAGMA user_version. Entries are never edited once
 * released: a change is a new entry at the end. These are the core's
 * tables; a domain's go in its own list (sqlite_<domain>.c), counted in
 * schema_domains (migration 8).
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
	/* 3 (http): accounts, credentials, item authors; listing's index. */
	"CREATE TABLE users ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL UNIQUE,"
	"  role TEXT NOT NULL,"
	"  pwhash TEXT,"
	"  created_ms INTEGER NOT NULL,"
	"  disabled INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE credentials ("
	"  hash BLOB PRIMARY KEY,"
	"  kind TEXT NOT NULL,"
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  csrf TEXT,"
	"  created_ms INTEGER NOT NULL,"
	"  expires_ms INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;"
	"CREATE TABLE item_authors ("
	"  uri TEXT PRIMARY KEY,"
	"  user_id INTEGER NOT NULL) WITHOUT ROWID;"
	"CREATE INDEX items_list ON items (first_ms DESC, seq DESC);",
	/*
	 * 4 (search): what search filters on and links that the envelope
	 * declares, derived from it when a version becomes current (and
	 * here, for the items already stored): the item's topics (each
	 * subject's uri, name, code and the uri's last segment, lower
	 * case) and the item a translation translates.
	 */
	"CREATE TABLE item_topics ("
	"  topic TEXT NOT NULL,"
	"  item_id INTEGER NOT NULL,"
	"  PRIMARY KEY (topic, item_id)) WITHOUT ROWID;"
	"CREATE INDEX item_topics_item ON item_topics (item_id);"
	"CREATE TABLE translations ("
	"  uri TEXT PRIMARY KEY,"
	"  of_uri TEXT NOT NULL,"
	"  by TEXT) WITHOUT ROWID;"
	"CREATE INDEX translations_of ON translations (of_uri);"
	"WITH x(id, u, n, c) AS (SELECT i.id,"
	"    json_extract(s.value, '$.uri'), json_extract(s.value, '$.name'),"
	"    json_extract(s.value, '$.code')"
	"    FROM items i JOIN versions v ON v.seq = i.seq,"
	"    json_each(CASE WHEN json_valid(CAST(v.envelope AS TEXT)) THEN"
	"      CAST(v.envelope AS TEXT) ELSE '{}' END, '$.item.subjects') s),"
	"  t(id, topic) AS (SELECT id, u FROM x UNION SELECT id, n FROM x"
	"    UNION SELECT id, c FROM x UNION SELECT id, replace(u, rtrim(u,"
	"    replace(replace(u, '/', ''), ':', '')), '') FROM x)"
	"INSERT OR IGNORE INTO item_topics (topic, item_id)"
	"  SELECT lower(topic), id FROM t"
	"  WHERE typeof(topic) = 'text' AND topic != '';"
	"INSERT OR IGNORE INTO translations (uri, of_uri, by)"
	"  SELECT uri, o, b FROM (SELECT i.uri AS uri,"
	"    coalesce(json_extract(e, '$.meta.translation.of'),"
	"      (SELECT json_extract(a.value, '$.uri') FROM"
	"      json_each(e, '$.item.associations') a WHERE"
	"      json_extract(a.value, '$.rel') = 'translation-of' LIMIT 1))"
	"      AS o,"
	"    json_extract(e, '$.meta.translation.by') AS b"
	"    FROM items i JOIN (SELECT seq, CASE WHEN json_valid(CAST("
	"      envelope AS TEXT)) THEN CAST(envelope AS TEXT) ELSE '{}' END"
	"      AS e FROM versions) v ON v.seq = i.seq)"
	"  WHERE o IS NOT NULL AND o != uri;",
	/*
	 * 5 (media): blob files this node holds, what each item's current
	 * version refers to (the reference counts gc reads), and how far
	 * the media index has read the log.
	 */
	"CREATE TABLE media_blobs ("
	"  hash TEXT PRIMARY KEY,"
	"  mime TEXT NOT NULL,"
	"  size INTEGER NOT NULL,"
	"  created_ms INTEGER NOT NULL) WITHOUT ROWID;"
	"CREATE TABLE media_refs ("
	"  uri TEXT NOT NULL,"
	"  hash TEXT NOT NULL,"
	"  origin TEXT NOT NULL,"
	"  mime TEXT,"
	"  size INTEGER NOT NULL DEFAULT 0,"
	"  PRIMARY KEY (uri, hash)) WITHOUT ROWID;"
	"CREATE INDEX media_refs_hash ON media_refs (hash);"
	"CREATE TABLE media_state ("
	"  k TEXT PRIMARY KEY,"
	"  v INTEGER NOT NULL) WITHOUT ROWID;",
	/*
	 * 6 (site): listing at scale. One index per list filter, each in
	 * listing order (newest first, seq breaking ties), so a page reads
	 * its 20 rows instead of scanning every item for a rare filter;
	 * language by its primary subtag in lower case ("ar" lists "ar"
	 * and "ar-EG"); and the visible rows alone for unfiltered pages.
	 */
	"CREATE INDEX IF NOT EXISTS items_lang_list ON items ("
	"  lower(substr(language, 1, instr(language || '-', '-') - 1)),"
	"  first_ms DESC, seq DESC);"
	"CREATE INDEX IF NOT EXISTS items_profile_list ON items"
	"  (profile, first_ms DESC, seq DESC);"
	"CREATE INDEX IF NOT EXISTS items_type_list ON items"
	"  (type, first_ms DESC, seq DESC);"
	"CREATE INDEX IF NOT EXISTS items_center_list ON items"
	"  (center, first_ms DESC, seq DESC);"
	"CREATE INDEX IF NOT EXISTS items_visible_list ON items"
	"  (first_ms DESC, seq DESC)"
	"  WHERE workflow = 'published' AND pub_status = 'usable';",
	/*
	 * 7 (sync): the peer each pulled version came from, so that the
	 * log served to a peer leaves out what that peer sent (split
	 * horizon: a branch does not echo HQ's items back to HQ).
	 */
	"ALTER TABLE versions ADD COLUMN via TEXT;",
	/*
	 * 8 (store): each domain's migrations counted apart from these
	 * (domain.c), so that domains added side by side never want the
	 * same number here.
	 */
	"CREATE TABLE schema_domains ("
	"  domain TEXT PRIMARY KEY,"
	"  version INTEGER NOT NULL) WITHOUT ROWID;",
	/*
	 * 9 (verify): in step with PostgreSQL's 9, which made its
	 * derivations functions that verify calls; SQLite's are statements
	 * in sqlite_search.c already. Nothing to change.
	 */
	"SELECT 1;",
	/*
	 * 10 (search): the index keeps no copy of the text (issue 23). FTS5
	 * with external content, the view fts_text: each indexed item's
	 * text derived from its current envelope (sqlite_fts_text.c); the
	 * items waiting for the indexer are not in the index, nor in the
	 * view. The old index and its copy of the text go; every item is
	 * queued to be indexed again (serve's indexer, sync --once, verify
	 * --repair do it).
	 */
	"DROP TABLE IF EXISTS fts;"
	"DROP VIEW IF EXISTS fts_text;"
	"CREATE VIEW fts_text (id, headline, body) AS SELECT i.id,"
	"  mb_fts_text(0, v.envelope), mb_fts_text(1, v.envelope)"
	"  FROM items i JOIN versions v ON v.seq = i.seq"
	"  WHERE NOT EXISTS (SELECT 1 FROM fts_pending p"
	"    WHERE p.item_id = i.id);"
	"CREATE VIRTUAL TABLE fts USING fts5 (headline, body,"
	"  tokenize = 'mb', content = 'fts_text', content_rowid = 'id');"
	"INSERT OR IGNORE INTO fts_pending (item_id) SELECT id FROM items;",
	/*
	 * 11 (sync): the registry's optional fields of a center: its name
	 * in other languages (JSON) and the translation pairs it lends.
	 */
	"ALTER TABLE centers ADD COLUMN names TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE centers ADD COLUMN mt_pairs TEXT NOT NULL DEFAULT '';",
	/*
	 * 12 (store): the listing indexes of 1 and 6 in ascending order,
	 * which SQLite reads backwards for the same newest-first pages
	 * (test_scale checks the plans). Items arrive in listing order,
	 * newest last: a descending index takes each one at its left edge,
	 * where a full page splits in two halves that never fill again
	 * (47 % of those indexes' leaf bytes were unused at 20,000 items);
	 * an ascending one takes it at its right edge, where pages fill.
	 * Issue 23's store size: docs/benchmarks.md, "Store size".
	 */
	"DROP INDEX items_list;"
	"CREATE INDEX items_list ON items (first_ms, seq);"
	"DROP INDEX items_lang_list;"
	"CREATE INDEX items_lang_list ON items ("
	"  lower(substr(language, 1, instr(language || '-', '-') - 1)),"
	"  first_ms, seq);"
	"DROP INDEX items_profile_list;"
	"CREATE INDEX items_profile_list ON items (profile, first_ms, seq);"
	"DROP INDEX items_type_list;"
	"CREATE INDEX items_type_list ON items (type, first_ms, seq);"
	"DROP INDEX items_center_list;"
	"CREATE INDEX items_center_list ON items (center, first_ms, seq);"
	"DROP INDEX items_visible_list;"
	"CREATE INDEX items_visible_list ON items (first_ms, seq)"
	"  WHERE workflow = 'published' AND pub_status = 'usable';",
	/*
	 * 13 (sync): the keys a center had before its current one, each
	 * with when this node stopped taking it (until_ms) and whether it
	 * was revoked then: center add never takes a revoked key back, and
	 * verify checks a version stored before a key change with the key
	 * of its time (center_put keeps it). Safe to run again (a
	 * test rewinds user_version over it).
	 */
	"CREATE TABLE IF NOT EXISTS center_keys ("
	"  id TEXT NOT NULL,"
	"  key BLOB NOT NULL,"
	"  until_ms INTEGER NOT NULL,"
	"  revoked INTEGER NOT NULL DEFAULT 0,"
	"  PRIMARY KEY (id, key)) WITHOUT ROWID;",
	/*
	 * 14 (search): topics in Unicode lower case, as PostgreSQL's lower()
	 * folds them (mb_fold_lower); lower() folded ASCII alone, so
	 * "Политика" was a topic of its own beside "политика", and a store
	 * with such a topic did not migrate to PostgreSQL (its rows
	 * differed from the copy's derivation). mb_lower exists only while
	 * migrations run (sqlite.c, migrate). A row whose folded topic the
	 * item already has goes.
	 */
	"UPDATE OR IGNORE item_topics SET topic = mb_lower(topic)"
	"  WHERE topic != mb_lower(topic);"
	"DELETE FROM item_topics WHERE topic != mb_lower(topic);",
	NULL
};
