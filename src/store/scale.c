/* SPDX-License-Identifier: MIT */
/* The scale domain: what keeps a scrape and a long list cheap on a large store (row counts kept as rows change, the topic lists' order). */
#include "store_int.h"

#include <stddef.h>

/*
 * Counted in schema_domains apart from the core's migrations (domain.c),
 * so that it never wants the core's next number. It owns no table of
 * rows worth copying: store_counts is kept by triggers on the target's
 * own inserts during mb_store_copy, and item_topics' new columns are
 * filled from items as rows arrive (PostgreSQL's trigger) or by the
 * insert itself (SQLite's STMT_TOPIC_ADD). docs/store.md, "Counts and
 * long lists".
 *
 * store_counts: one row per count, changed in the writing transaction
 * itself, so it is exact at every commit: on PostgreSQL by triggers, on
 * SQLite by the connection (sqlite_counts.c says why not triggers). The index queue
 * is counted as two totals, rows queued (pending_in) and rows taken
 * (pending_out), so that on PostgreSQL the writer (which queues) and the
 * indexer (which takes) update different rows and never wait on each
 * other's lock; its length is their difference.
 *
 * item_topics (first_ms, seq): the item's listing order beside each of
 * its topics, so that a topic's page reads its index in order and stops
 * after the page (item_topics_list), however many items the topic has.
 * Topic rows are derived again whenever an item gets a new current
 * version, so the copy is rewritten with them; verify checks it.
 */
static const char *const sqlite_migrations[] = {
	/* 1: row counts kept as rows come and go. */
	"CREATE TABLE store_counts ("
	"  name TEXT PRIMARY KEY,"
	"  n INTEGER NOT NULL) WITHOUT ROWID;"
	"INSERT INTO store_counts (name, n) VALUES"
	"  ('items', (SELECT count(*) FROM items)),"
	"  ('versions', (SELECT count(*) FROM versions)),"
	"  ('pending_in', (SELECT count(*) FROM fts_pending)),"
	"  ('pending_out', 0);"
	"CREATE TRIGGER store_counts_items_add AFTER INSERT ON items BEGIN"
	"  UPDATE store_counts SET n = n + 1 WHERE name = 'items'; END;"
	"CREATE TRIGGER store_counts_items_drop AFTER DELETE ON items BEGIN"
	"  UPDATE store_counts SET n = n - 1 WHERE name = 'items'; END;"
	"CREATE TRIGGER store_counts_versions_add AFTER INSERT ON versions"
	"  BEGIN UPDATE store_counts SET n = n + 1 WHERE name = 'versions';"
	"  END;"
	"CREATE TRIGGER store_counts_versions_drop AFTER DELETE ON versions"
	"  BEGIN UPDATE store_counts SET n = n - 1 WHERE name = 'versions';"
	"  END;"
	"CREATE TRIGGER store_counts_pending_add AFTER INSERT ON fts_pending"
	"  BEGIN UPDATE store_counts SET n = n + 1 WHERE name = 'pending_in';"
	"  END;"
	"CREATE TRIGGER store_counts_pending_drop AFTER DELETE ON fts_pending"
	"  BEGIN UPDATE store_counts SET n = n + 1 WHERE name = "
	"  'pending_out'; END;",
	/* 2: each topic's rows in listing order. */
	"ALTER TABLE item_topics ADD COLUMN first_ms INTEGER NOT NULL "
	"  DEFAULT 0;"
	"ALTER TABLE item_topics ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;"
	"UPDATE item_topics SET first_ms = i.first_ms, seq = i.seq"
	"  FROM items i WHERE i.id = item_topics.item_id;"
	"CREATE INDEX item_topics_list ON item_topics"
	"  (topic, first_ms DESC, seq DESC);",
	/*
	 * 3: items and versions are counted by the writer itself
	 * (sqlite_log.c, put_locked): a trigger makes every insert a
	 * statement that may abort halfway, so SQLite opens a statement
	 * savepoint for it, and FTS5 flushes its pending terms to a new
	 * segment at every savepoint: with import and the exchange indexing
	 * in the inserts' own transactions, a segment per item (store
	 * insert 15 -> 261 us an item, docs/benchmarks.md "## searchable").
	 * The insert paths are the writer's and verify --repair's, which
	 * mends the counts after its own inserts; deletes keep triggers.
	 */
	"DROP TRIGGER store_counts_items_add;"
	"DROP TRIGGER store_counts_versions_add;",
	/*
	 * 4: every count kept by the connection instead (sqlite_counts.c):
	 * with a trigger on them, a statement on items, versions or
	 * fts_pending opens a savepoint, at which FTS5 writes out its
	 * pending terms, on every put and every item indexed. The triggers
	 * 3 left go, and the writer's own counting of 3 with them.
	 */
	"DROP TRIGGER IF EXISTS store_counts_items_add;"
	"DROP TRIGGER IF EXISTS store_counts_items_drop;"
	"DROP TRIGGER IF EXISTS store_counts_versions_add;"
	"DROP TRIGGER IF EXISTS store_counts_versions_drop;"
	"DROP TRIGGER IF EXISTS store_counts_pending_add;"
	"DROP TRIGGER IF EXISTS store_counts_pending_drop;",
	/*
	 * 5: the rows of item_topics kept in the order they arrive: keyed
	 * by item first (an item's topics come with it, newest item last),
	 * and item_topics_list ascending, read backwards (as the core's
	 * migration 12 does for the items' lists). Keyed by topic first and
	 * listed descending, every row went into the middle or the left
	 * edge of its b-tree, whose pages split in halves that stayed half
	 * empty; item_topics_item repeated what the new key begins with.
	 * 460 -> 265 bytes an item for three topics (docs/benchmarks.md,
	 * "Store size"). The columns keep their order (mb_store_copy).
	 */
	"CREATE TABLE item_topics_new ("
	"  topic TEXT NOT NULL,"
	"  item_id INTEGER NOT NULL,"
	"  first_ms INTEGER NOT NULL DEFAULT 0,"
	"  seq INTEGER NOT NULL DEFAULT 0,"
	"  PRIMARY KEY (item_id, topic)) WITHOUT ROWID;"
	"INSERT INTO item_topics_new (topic, item_id, first_ms, seq)"
	"  SELECT topic, item_id, first_ms, seq FROM item_topics"
	"  ORDER BY item_id, topic;"
	"DROP TABLE item_topics;"
	"ALTER TABLE item_topics_new RENAME TO item_topics;"
	"CREATE INDEX item_topics_list ON item_topics (topic, first_ms, seq);",
	NULL
};

static const char *const pg_migrations[] = {
	/*
	 * 1: as SQLite's 1, with statement triggers: one update per
	 * statement (a bulk insert counts once), none when no row changed
	 * (a DELETE that found nothing takes no lock).
	 */
	"CREATE TABLE store_counts ("
	"  name TEXT PRIMARY KEY,"
	"  n BIGINT NOT NULL);"
	"INSERT INTO store_counts (name, n) VALUES"
	"  ('items', (SELECT count(*) FROM items)),"
	"  ('versions', (SELECT count(*) FROM versions)),"
	"  ('pending_in', (SELECT count(*) FROM fts_pending)),"
	"  ('pending_out', 0);"
	"CREATE FUNCTION mb_count_add() RETURNS TRIGGER LANGUAGE plpgsql AS $f$"
	"DECLARE k BIGINT;"
	"BEGIN"
	"  SELECT count(*) INTO k FROM nt;"
	"  IF k <> 0 THEN"
	"    UPDATE store_counts SET n = n + k WHERE name = TG_ARGV[0];"
	"  END IF;"
	"  RETURN NULL;"
	"END $f$;"
	"CREATE FUNCTION mb_count_drop() RETURNS TRIGGER LANGUAGE plpgsql AS $f$"
	"DECLARE k BIGINT;"
	"BEGIN"
	"  SELECT count(*) INTO k FROM ot;"
	"  IF k <> 0 THEN"
	"    UPDATE store_counts SET n = n + k * TG_ARGV[1]::BIGINT"
	"      WHERE name = TG_ARGV[0];"
	"  END IF;"
	"  RETURN NULL;"
	"END $f$;"
	"CREATE TRIGGER store_counts_items_add AFTER INSERT ON items"
	"  REFERENCING NEW TABLE AS nt FOR EACH STATEMENT"
	"  EXECUTE FUNCTION mb_count_add('items');"
	"CREATE TRIGGER store_counts_items_drop AFTER DELETE ON items"
	"  REFERENCING OLD TABLE AS ot FOR EACH STATEMENT"
	"  EXECUTE FUNCTION mb_count_drop('items', '-1');"
	"CREATE TRIGGER store_counts_versions_add AFTER INSERT ON versions"
	"  REFERENCING NEW TABLE AS nt FOR EACH STATEMENT"
	"  EXECUTE FUNCTION mb_count_add('versions');"
	"CREATE TRIGGER store_counts_versions_drop AFTER DELETE ON versions"
	"  REFERENCING OLD TABLE AS ot FOR EACH STATEMENT"
	"  EXECUTE FUNCTION mb_count_drop('versions', '-1');"
	"CREATE TRIGGER store_counts_pending_add AFTER INSERT ON fts_pending"
	"  REFERENCING NEW TABLE AS nt FOR EACH STATEMENT"
	"  EXECUTE FUNCTION mb_count_add('pending_in');"
	"CREATE TRIGGER store_counts_pending_drop AFTER DELETE ON fts_pending"
	"  REFERENCING OLD TABLE AS ot FOR EACH STATEMENT"
	"  EXECUTE FUNCTION mb_count_drop('pending_out', '1');",
	/*
	 * 2: as SQLite's 2. mb_derive (core migration 9) inserts (topic,
	 * item_id) only; a row trigger copies the item's order in, so that
	 * the core's function stays as it is.
	 */
	"ALTER TABLE item_topics ADD COLUMN first_ms BIGINT NOT NULL DEFAULT 0,"
	"  ADD COLUMN seq BIGINT NOT NULL DEFAULT 0;"
	"UPDATE item_topics t SET first_ms = i.first_ms, seq = i.seq"
	"  FROM items i WHERE i.id = t.item_id;"
	"CREATE INDEX item_topics_list ON item_topics"
	"  (topic, first_ms DESC, seq DESC);"
	"CREATE FUNCTION mb_topic_order() RETURNS TRIGGER LANGUAGE plpgsql"
	"  AS $f$"
	"DECLARE f BIGINT; s BIGINT;"
	"BEGIN"
	"  SELECT i.first_ms, i.seq INTO f, s FROM items i"
	"    WHERE i.id = NEW.item_id;"
	"  IF FOUND THEN NEW.first_ms := f; NEW.seq := s; END IF;"
	"  RETURN NEW;"
	"END $f$;"
	"CREATE TRIGGER item_topics_order BEFORE INSERT ON item_topics"
	"  FOR EACH ROW EXECUTE FUNCTION mb_topic_order();",
	/* 3: in step with SQLite's 3, which PostgreSQL needs not. */
	"SELECT 1;",
	NULL
};

const struct mb_store_domain mb_store_scale_domain = {
	.name = "scale",
	.migrations = {
		[MB_STORE_SQLITE] = sqlite_migrations,
		[MB_STORE_PG] = pg_migrations,
	},
	.tables = NULL,
};
