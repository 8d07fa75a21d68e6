/* SPDX-License-Identifier: MIT */
/* The PostgreSQL schema, as an ordered list of migrations. */
#include "pg_int.h"

#include <stddef.h>

/*
 * Entry i takes the schema from version i to i + 1, in step with the
 * SQLite list (sqlite_schema.c) so that a store's schema version means
 * the same on both backends; each runs in one transaction under an
 * advisory lock (pg.c), so several processes starting at once migrate
 * once. Entries are never edited once released.
 *
 * The log (docs/store.md, "PostgreSQL"): versions.seq is not a sequence
 * but the value of the single row of log_counter, taken FOR UPDATE by
 * mb_put() in the writing transaction and kept locked until it commits.
 * Writers are thus serialized from their first append to their commit,
 * and seq order is commit order: a reader that has seen seq N has seen
 * every seq below N, so a puller reading "seq > N" never skips a row that
 * commits later with a smaller seq (what a plain sequence allows). A
 * rolled-back append rolls the counter back too: no gaps.
 */
const char *const mb_pg_migrations[] = {
	/* 1: item versions and the log, current items, search, centers. */
	"CREATE TABLE versions ("
	"  seq BIGINT PRIMARY KEY,"
	"  uri TEXT NOT NULL,"
	"  version BIGINT NOT NULL,"
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
	"  embargo_ms BIGINT NOT NULL DEFAULT 0,"
	"  created_ms BIGINT NOT NULL,"
	"  first_ms BIGINT NOT NULL,"
	"  received_ms BIGINT NOT NULL,"
	"  envelope BYTEA NOT NULL,"
	"  UNIQUE (uri, version));"
	"CREATE TABLE log_counter ("
	"  id INTEGER PRIMARY KEY CHECK (id = 1),"
	"  seq BIGINT NOT NULL);"
	"INSERT INTO log_counter VALUES (1, 0);"
	"CREATE TABLE items ("
	"  id BIGSERIAL PRIMARY KEY,"
	"  uri TEXT NOT NULL UNIQUE,"
	"  seq BIGINT NOT NULL REFERENCES versions(seq),"
	"  version BIGINT NOT NULL,"
	"  center TEXT NOT NULL,"
	"  audience TEXT NOT NULL,"
	"  pub_status TEXT NOT NULL,"
	"  workflow TEXT NOT NULL,"
	"  language TEXT,"
	"  type TEXT,"
	"  profile TEXT,"
	"  embargo_ms BIGINT NOT NULL DEFAULT 0,"
	"  created_ms BIGINT NOT NULL,"
	"  first_ms BIGINT NOT NULL);"
	"CREATE INDEX items_first ON items (first_ms);"
	"CREATE TABLE fts_pending (item_id BIGINT PRIMARY KEY);"
	/*
	 * Text search configurations mb_<language>: the language's own
	 * (snowball stemmer, stop words) with accents folded first, as the
	 * SQLite tokenizer folds them (é = e, ё = е); mb_simple folds and
	 * does not stem. A language whose stemmer this server lacks gets
	 * simple's. unaccent is a trusted extension: the database's owner
	 * may create it.
	 */
	"CREATE EXTENSION IF NOT EXISTS unaccent;"
	"DO $d$ DECLARE l TEXT; BEGIN"
	"  FOREACH l IN ARRAY ARRAY['simple', 'arabic', 'armenian', 'basque',"
	"    'catalan', 'danish', 'dutch', 'english', 'finnish', 'french',"
	"    'german', 'greek', 'hindi', 'hungarian', 'indonesian', 'irish',"
	"    'italian', 'lithuanian', 'nepali', 'norwegian', 'portuguese',"
	"    'romanian', 'russian', 'serbian', 'spanish', 'swedish', 'tamil',"
	"    'turkish', 'yiddish'] LOOP"
	"    IF l != 'simple' AND EXISTS (SELECT 1 FROM pg_ts_config WHERE"
	"        cfgname = l) AND EXISTS (SELECT 1 FROM pg_ts_dict WHERE"
	"        dictname = l || '_stem') THEN"
	"      EXECUTE format('CREATE TEXT SEARCH CONFIGURATION mb_%s "
	"        (COPY = pg_catalog.%s)', l, l);"
	"      EXECUTE format('ALTER TEXT SEARCH CONFIGURATION mb_%s ALTER "
	"        MAPPING FOR hword, hword_part, word, asciiword, asciihword, "
	"        hword_asciipart WITH unaccent, %s_stem', l, l);"
	"    ELSE"
	"      EXECUTE format('CREATE TEXT SEARCH CONFIGURATION mb_%s "
	"        (COPY = pg_catalog.simple)', l);"
	"      EXECUTE format('ALTER TEXT SEARCH CONFIGURATION mb_%s ALTER "
	"        MAPPING FOR hword, hword_part, word, asciiword, asciihword, "
	"        hword_asciipart WITH unaccent, simple', l);"
	"    END IF;"
	"  END LOOP;"
	"END $d$;"
	/*
	 * The full-text index: the text shown in snippets, its language's
	 * configuration, and the vector (stemmed and plain forms; headline
	 * weight A, body D) that a GIN index serves.
	 */
	"CREATE TABLE item_text ("
	"  item_id BIGINT PRIMARY KEY,"
	"  cfg REGCONFIG NOT NULL,"
	"  headline TEXT NOT NULL,"
	"  body TEXT NOT NULL,"
	"  tsv TSVECTOR NOT NULL);"
	"CREATE INDEX item_text_tsv ON item_text USING gin (tsv);"
	"CREATE TABLE aliases ("
	"  key TEXT PRIMARY KEY,"
	"  uri TEXT NOT NULL);"
	"CREATE TABLE centers ("
	"  id TEXT PRIMARY KEY,"
	"  name TEXT NOT NULL,"
	"  country TEXT NOT NULL,"
	"  languages TEXT NOT NULL,"
	"  url TEXT NOT NULL,"
	"  key BYTEA NOT NULL,"
	"  role TEXT NOT NULL,"
	"  status TEXT NOT NULL,"
	"  updated_ms BIGINT NOT NULL);"
	/* Invalid JSON is {}: derived rows are a convenience, never fatal. */
	"CREATE FUNCTION mb_json(e BYTEA) RETURNS JSONB LANGUAGE plpgsql "
	"  IMMUTABLE AS $f$ BEGIN"
	"  RETURN convert_from(e, 'UTF8')::jsonb;"
	"  EXCEPTION WHEN OTHERS THEN RETURN '{}'::jsonb;"
	"  END $f$;"
	"CREATE FUNCTION mb_tsv(c REGCONFIG, h TEXT, b TEXT) RETURNS TSVECTOR"
	"  LANGUAGE sql IMMUTABLE AS $f$ SELECT"
	"  setweight(to_tsvector(c, h), 'A') ||"
	"  setweight(to_tsvector('mb_simple', h), 'A') ||"
	"  to_tsvector(c, b) || to_tsvector('mb_simple', b) $f$;"
	"CREATE FUNCTION mb_index(id BIGINT, c REGCONFIG, h TEXT, b TEXT,"
	"  hi TEXT, bi TEXT) RETURNS VOID LANGUAGE sql AS $f$"
	"  INSERT INTO item_text (item_id, cfg, headline, body, tsv)"
	"  VALUES (id, c, h, b, mb_tsv(c, coalesce(hi, h), coalesce(bi, b)))"
	"  ON CONFLICT (item_id) DO UPDATE SET cfg = excluded.cfg,"
	"  headline = excluded.headline, body = excluded.body,"
	"  tsv = excluded.tsv;"
	"  DELETE FROM fts_pending WHERE item_id = id $f$;",
	/* 2 (sync): the peers pulled from, and the HQ-signed registry. */
	"CREATE TABLE peers ("
	"  center TEXT PRIMARY KEY,"
	"  url TEXT NOT NULL,"
	"  manual INTEGER NOT NULL DEFAULT 0,"
	"  cursor BIGINT NOT NULL DEFAULT 0,"
	"  last_ok_ms BIGINT NOT NULL DEFAULT 0,"
	"  last_err_ms BIGINT NOT NULL DEFAULT 0,"
	"  last_error TEXT NOT NULL DEFAULT '',"
	"  received BIGINT NOT NULL DEFAULT 0,"
	"  refused BIGINT NOT NULL DEFAULT 0);"
	"CREATE TABLE registry ("
	"  id INTEGER PRIMARY KEY CHECK (id = 1),"
	"  version BIGINT NOT NULL,"
	"  document BYTEA NOT NULL);",
	/* 3 (http): accounts, credentials, item authors; listing's index. */
	"CREATE TABLE users ("
	"  id BIGSERIAL PRIMARY KEY,"
	"  name TEXT NOT NULL UNIQUE,"
	"  role TEXT NOT NULL,"
	"  pwhash TEXT,"
	"  created_ms BIGINT NOT NULL,"
	"  disabled BOOLEAN NOT NULL DEFAULT false);"
	"CREATE TABLE credentials ("
	"  hash BYTEA PRIMARY KEY,"
	"  kind TEXT NOT NULL,"
	"  user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  csrf TEXT,"
	"  created_ms BIGINT NOT NULL,"
	"  expires_ms BIGINT NOT NULL DEFAULT 0);"
	"CREATE TABLE item_authors ("
	"  uri TEXT PRIMARY KEY,"
	"  user_id BIGINT NOT NULL);"
	"CREATE INDEX items_list ON items (first_ms DESC, seq DESC);",
	/*
	 * 4 (search): the item's topics and the item a translation
	 * translates, derived from the envelope when a version becomes
	 * current (mb_derive), the same derivation as SQLite's.
	 */
	"CREATE TABLE item_topics ("
	"  topic TEXT NOT NULL,"
	"  item_id BIGINT NOT NULL,"
	"  PRIMARY KEY (topic, item_id));"
	"CREATE INDEX item_topics_item ON item_topics (item_id);"
	"CREATE TABLE translations ("
	"  uri TEXT PRIMARY KEY,"
	"  of_uri TEXT NOT NULL,"
	"  by TEXT);"
	"CREATE INDEX translations_of ON translations (of_uri);"
	"CREATE FUNCTION mb_derive(iid BIGINT, u TEXT, env BYTEA,"
	"  is_new BOOLEAN) RETURNS VOID LANGUAGE plpgsql AS $f$"
	"DECLARE e JSONB; o TEXT; b TEXT;"
	"BEGIN"
	"  IF NOT is_new THEN"
	"    DELETE FROM item_topics WHERE item_id = iid;"
	"    DELETE FROM translations WHERE uri = u;"
	"  END IF;"
	"  IF position('\"subjects\"'::bytea IN env) = 0 AND"
	"     position('translation'::bytea IN env) = 0 THEN RETURN; END IF;"
	"  e := mb_json(env);"
	"  IF jsonb_typeof(e #> '{item,subjects}') = 'array' THEN"
	"    INSERT INTO item_topics (topic, item_id)"
	"    SELECT DISTINCT lower(t), iid FROM"
	"      jsonb_array_elements(e #> '{item,subjects}') s,"
	"      LATERAL (VALUES"
	"        (CASE WHEN jsonb_typeof(s->'uri') = 'string'"
	"          THEN s->>'uri' END),"
	"        (CASE WHEN jsonb_typeof(s->'name') = 'string'"
	"          THEN s->>'name' END),"
	"        (CASE WHEN jsonb_typeof(s->'code') = 'string'"
	"          THEN s->>'code' END),"
	"        (CASE WHEN jsonb_typeof(s->'uri') = 'string' THEN"
	"          regexp_replace(s->>'uri', '^.*[/:]', '') END)) x(t)"
	"    WHERE t IS NOT NULL AND t != ''"
	"    ON CONFLICT DO NOTHING;"
	"  END IF;"
	"  o := CASE WHEN jsonb_typeof(e #> '{meta,translation,of}') = 'string'"
	"    THEN e #>> '{meta,translation,of}' END;"
	"  IF o IS NULL AND"
	"     jsonb_typeof(e #> '{item,associations}') = 'array' THEN"
	"    SELECT a->>'uri' INTO o FROM"
	"      jsonb_array_elements(e #> '{item,associations}') a"
	"      WHERE jsonb_typeof(a) = 'object' AND"
	"      a->>'rel' = 'translation-of' AND"
	"      jsonb_typeof(a->'uri') = 'string' LIMIT 1;"
	"  END IF;"
	"  b := CASE WHEN jsonb_typeof(e #> '{meta,translation,by}') = 'string'"
	"    THEN e #>> '{meta,translation,by}' END;"
	"  IF o IS NOT NULL AND o != u THEN"
	"    INSERT INTO translations (uri, of_uri, by) VALUES (u, o, b)"
	"    ON CONFLICT (uri) DO UPDATE SET of_uri = excluded.of_uri,"
	"    by = excluded.by;"
	"  END IF;"
	"END $f$;"
	/*
	 * One call per put, so that a write is one round trip. Returns the
	 * new seq, or 0 when (uri, version) is already stored. The counter
	 * row is locked first, so that the existence check sees every
	 * committed writer (READ COMMITTED: each statement a new snapshot).
	 */
	"CREATE FUNCTION mb_put(p_uri TEXT, p_version BIGINT, p_center TEXT,"
	"  p_local TEXT, p_origin TEXT, p_audience TEXT, p_pub_status TEXT,"
	"  p_workflow TEXT, p_language TEXT, p_type TEXT, p_profile TEXT,"
	"  p_headline TEXT, p_embargo BIGINT, p_created BIGINT, p_first BIGINT,"
	"  p_received BIGINT, p_env BYTEA, p_cfg REGCONFIG, p_h TEXT, p_b TEXT,"
	"  p_hi TEXT, p_bi TEXT) RETURNS BIGINT LANGUAGE plpgsql AS $f$"
	"DECLARE s BIGINT; iid BIGINT; cur BIGINT;"
	"BEGIN"
	"  SELECT seq INTO s FROM log_counter WHERE id = 1 FOR UPDATE;"
	"  PERFORM 1 FROM versions WHERE uri = p_uri AND version = p_version;"
	"  IF FOUND THEN RETURN 0; END IF;"
	"  s := s + 1;"
	"  UPDATE log_counter SET seq = s WHERE id = 1;"
	"  INSERT INTO versions VALUES (s, p_uri, p_version, p_center, p_local,"
	"    p_origin, p_audience, p_pub_status, p_workflow, p_language,"
	"    p_type, p_profile, p_headline, p_embargo, p_created, p_first,"
	"    p_received, p_env);"
	"  PERFORM pg_notify('mb_log', '');"
	"  SELECT id, version INTO iid, cur FROM items WHERE uri = p_uri;"
	"  IF FOUND AND cur > p_version THEN RETURN s; END IF;"
	"  IF FOUND THEN"
	"    UPDATE items SET seq = s, version = p_version, center = p_center,"
	"      audience = p_audience, pub_status = p_pub_status,"
	"      workflow = p_workflow, language = p_language, type = p_type,"
	"      profile = p_profile, embargo_ms = p_embargo,"
	"      created_ms = p_created, first_ms = p_first WHERE id = iid;"
	"    PERFORM mb_derive(iid, p_uri, p_env, false);"
	"  ELSE"
	"    INSERT INTO items (uri, seq, version, center, audience,"
	"      pub_status, workflow, language, type, profile, embargo_ms,"
	"      created_ms, first_ms) VALUES (p_uri, s, p_version, p_center,"
	"      p_audience, p_pub_status, p_workflow, p_language, p_type,"
	"      p_profile, p_embargo, p_created, p_first) RETURNING id INTO iid;"
	"    PERFORM mb_derive(iid, p_uri, p_env, true);"
	"  END IF;"
	"  IF p_cfg IS NOT NULL THEN"
	"    PERFORM mb_index(iid, p_cfg, p_h, p_b, p_hi, p_bi);"
	"  ELSE"
	"    INSERT INTO fts_pending VALUES (iid) ON CONFLICT DO NOTHING;"
	"  END IF;"
	"  RETURN s;"
	"END $f$;",
	/* 5 (media): blob files here, what items refer to, the cursor. */
	"CREATE TABLE media_blobs ("
	"  hash TEXT PRIMARY KEY,"
	"  mime TEXT NOT NULL,"
	"  size BIGINT NOT NULL,"
	"  created_ms BIGINT NOT NULL);"
	"CREATE TABLE media_refs ("
	"  uri TEXT NOT NULL,"
	"  hash TEXT NOT NULL,"
	"  origin TEXT NOT NULL,"
	"  mime TEXT,"
	"  size BIGINT NOT NULL DEFAULT 0,"
	"  PRIMARY KEY (uri, hash));"
	"CREATE INDEX media_refs_hash ON media_refs (hash);"
	"CREATE TABLE media_state ("
	"  k TEXT PRIMARY KEY,"
	"  v BIGINT NOT NULL);",
	/*
	 * 6 (site): listing at scale, as SQLite's: one index per list
	 * filter in listing order; language by its primary subtag in lower
	 * case; the visible rows alone for unfiltered pages.
	 */
	"CREATE INDEX IF NOT EXISTS items_lang_list ON items ("
	"  lower(split_part(language, '-', 1)), first_ms DESC, seq DESC);"
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
	 * 7 (sync): the peer each pulled version came from (split horizon,
	 * as SQLite's 7), and mb_put taking it: the function of 4 with
	 * p_via added.
	 */
	"ALTER TABLE versions ADD COLUMN via TEXT;"
	"DROP FUNCTION mb_put(TEXT, BIGINT, TEXT, TEXT, TEXT, TEXT, TEXT, TEXT,"
	"  TEXT, TEXT, TEXT, TEXT, BIGINT, BIGINT, BIGINT, BIGINT, BYTEA,"
	"  REGCONFIG, TEXT, TEXT, TEXT, TEXT);"
	"CREATE FUNCTION mb_put(p_uri TEXT, p_version BIGINT, p_center TEXT,"
	"  p_local TEXT, p_origin TEXT, p_audience TEXT, p_pub_status TEXT,"
	"  p_workflow TEXT, p_language TEXT, p_type TEXT, p_profile TEXT,"
	"  p_headline TEXT, p_embargo BIGINT, p_created BIGINT, p_first BIGINT,"
	"  p_received BIGINT, p_env BYTEA, p_cfg REGCONFIG, p_h TEXT, p_b TEXT,"
	"  p_hi TEXT, p_bi TEXT, p_via TEXT) RETURNS BIGINT LANGUAGE plpgsql AS $f$"
	"DECLARE s BIGINT; iid BIGINT; cur BIGINT;"
	"BEGIN"
	"  SELECT seq INTO s FROM log_counter WHERE id = 1 FOR UPDATE;"
	"  PERFORM 1 FROM versions WHERE uri = p_uri AND version = p_version;"
	"  IF FOUND THEN RETURN 0; END IF;"
	"  s := s + 1;"
	"  UPDATE log_counter SET seq = s WHERE id = 1;"
	"  INSERT INTO versions VALUES (s, p_uri, p_version, p_center, p_local,"
	"    p_origin, p_audience, p_pub_status, p_workflow, p_language,"
	"    p_type, p_profile, p_headline, p_embargo, p_created, p_first,"
	"    p_received, p_env, p_via);"
	"  PERFORM pg_notify('mb_log', '');"
	"  SELECT id, version INTO iid, cur FROM items WHERE uri = p_uri;"
	"  IF FOUND AND cur > p_version THEN RETURN s; END IF;"
	"  IF FOUND THEN"
	"    UPDATE items SET seq = s, version = p_version, center = p_center,"
	"      audience = p_audience, pub_status = p_pub_status,"
	"      workflow = p_workflow, language = p_language, type = p_type,"
	"      profile = p_profile, embargo_ms = p_embargo,"
	"      created_ms = p_created, first_ms = p_first WHERE id = iid;"
	"    PERFORM mb_derive(iid, p_uri, p_env, false);"
	"  ELSE"
	"    INSERT INTO items (uri, seq, version, center, audience,"
	"      pub_status, workflow, language, type, profile, embargo_ms,"
	"      created_ms, first_ms) VALUES (p_uri, s, p_version, p_center,"
	"      p_audience, p_pub_status, p_workflow, p_language, p_type,"
	"      p_profile, p_embargo, p_created, p_first) RETURNING id INTO iid;"
	"    PERFORM mb_derive(iid, p_uri, p_env, true);"
	"  END IF;"
	"  IF p_cfg IS NOT NULL THEN"
	"    PERFORM mb_index(iid, p_cfg, p_h, p_b, p_hi, p_bi);"
	"  ELSE"
	"    INSERT INTO fts_pending VALUES (iid) ON CONFLICT DO NOTHING;"
	"  END IF;"
	"  RETURN s;"
	"END $f$;",
	/* 8 (store): domains' migrations counted apart, as SQLite's 8. */
	"CREATE TABLE schema_domains ("
	"  domain TEXT PRIMARY KEY,"
	"  version INTEGER NOT NULL);",
	/*
	 * 9 (verify): mb_derive's two derivations as functions of their
	 * own, so that verify compares the stored rows with what the
	 * envelope derives through the very code that derived them. The
	 * same rows as before: an unchanged store needs no backfill.
	 */
	"CREATE OR REPLACE FUNCTION mb_topics_of(e JSONB) RETURNS SETOF TEXT"
	"  LANGUAGE sql IMMUTABLE AS $f$"
	"  SELECT DISTINCT lower(t) FROM jsonb_array_elements(CASE WHEN"
	"    jsonb_typeof(e #> '{item,subjects}') = 'array' THEN"
	"    e #> '{item,subjects}' ELSE '[]'::jsonb END) s,"
	"    LATERAL (VALUES"
	"      (CASE WHEN jsonb_typeof(s->'uri') = 'string'"
	"        THEN s->>'uri' END),"
	"      (CASE WHEN jsonb_typeof(s->'name') = 'string'"
	"        THEN s->>'name' END),"
	"      (CASE WHEN jsonb_typeof(s->'code') = 'string'"
	"        THEN s->>'code' END),"
	"      (CASE WHEN jsonb_typeof(s->'uri') = 'string' THEN"
	"        regexp_replace(s->>'uri', '^.*[/:]', '') END)) x(t)"
	"  WHERE t IS NOT NULL AND t != '' $f$;"
	/* o is NULL when the item u translates none (or itself). */
	"CREATE OR REPLACE FUNCTION mb_translation_of(u TEXT, e JSONB, OUT o TEXT,"
	"  OUT b TEXT) LANGUAGE plpgsql IMMUTABLE AS $f$"
	"BEGIN"
	"  o := CASE WHEN jsonb_typeof(e #> '{meta,translation,of}') = 'string'"
	"    THEN e #>> '{meta,translation,of}' END;"
	"  IF o IS NULL AND"
	"     jsonb_typeof(e #> '{item,associations}') = 'array' THEN"
	"    SELECT a->>'uri' INTO o FROM"
	"      jsonb_array_elements(e #> '{item,associations}') a"
	"      WHERE jsonb_typeof(a) = 'object' AND"
	"      a->>'rel' = 'translation-of' AND"
	"      jsonb_typeof(a->'uri') = 'string' LIMIT 1;"
	"  END IF;"
	"  IF o IS NULL OR o = u THEN o := NULL; b := NULL; RETURN; END IF;"
	"  b := CASE WHEN jsonb_typeof(e #> '{meta,translation,by}') = 'string'"
	"    THEN e #>> '{meta,translation,by}' END;"
	"END $f$;"
	"CREATE OR REPLACE FUNCTION mb_derive(iid BIGINT, u TEXT, env BYTEA,"
	"  is_new BOOLEAN) RETURNS VOID LANGUAGE plpgsql AS $f$"
	"DECLARE e JSONB; t RECORD;"
	"BEGIN"
	"  IF NOT is_new THEN"
	"    DELETE FROM item_topics WHERE item_id = iid;"
	"    DELETE FROM translations WHERE uri = u;"
	"  END IF;"
	"  IF position('\"subjects\"'::bytea IN env) = 0 AND"
	"     position('translation'::bytea IN env) = 0 THEN RETURN; END IF;"
	"  e := mb_json(env);"
	"  INSERT INTO item_topics (topic, item_id)"
	"    SELECT x, iid FROM mb_topics_of(e) x ON CONFLICT DO NOTHING;"
	"  SELECT * INTO t FROM mb_translation_of(u, e);"
	"  IF t.o IS NOT NULL THEN"
	"    INSERT INTO translations (uri, of_uri, by) VALUES (u, t.o, t.b)"
	"    ON CONFLICT (uri) DO UPDATE SET of_uri = excluded.of_uri,"
	"    by = excluded.by;"
	"  END IF;"
	"END $f$;",
	/*
	 * 10 (sync): a center's names and lent pairs, as SQLite's 11 (and
	 * like 8, safe to run again on a store that has them).
	 */
	"ALTER TABLE centers ADD COLUMN IF NOT EXISTS names TEXT NOT NULL"
	"  DEFAULT '';"
	"ALTER TABLE centers ADD COLUMN IF NOT EXISTS mt_pairs TEXT NOT NULL"
	"  DEFAULT '';",
	/* 11 (sync): a center's earlier keys, as SQLite's 13 (safe to run
	 * again, like 10). */
	"CREATE TABLE IF NOT EXISTS center_keys ("
	"  id TEXT NOT NULL,"
	"  key BYTEA NOT NULL,"
	"  until_ms BIGINT NOT NULL,"
	"  revoked INTEGER NOT NULL DEFAULT 0,"
	"  PRIMARY KEY (id, key));",
	/*
	 * 12 (search): the index text's words split as the SQLite
	 * tokenizer splits them (mb_pg__words: a host, URL, e-mail address
	 * or "end.Next" no longer one token), and queries split alike: every
	 * item is queued to be indexed again (serve's indexer, sync --once,
	 * verify --repair do it); until then it is found by its old vector.
	 */
	"INSERT INTO fts_pending (item_id) SELECT id FROM items"
	"  ON CONFLICT DO NOTHING;",
	NULL
};
