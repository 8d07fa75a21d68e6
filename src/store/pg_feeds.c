/* SPDX-License-Identifier: MIT */
/* The feeds domain on PostgreSQL: sources, their polling state, entries. */
#include "pg_int.h"

#include <stdlib.h>

#include "base/timeutil.h"
#include "store/feeds_int.h"

const char *const mb_pg_feeds_migrations[] = {
	/* 1 */
	"CREATE TABLE feeds_sources ("
	"  id BIGSERIAL PRIMARY KEY,"
	"  url TEXT NOT NULL UNIQUE,"
	"  title TEXT NOT NULL DEFAULT '',"
	"  language TEXT NOT NULL DEFAULT '',"
	"  topics TEXT NOT NULL DEFAULT '',"
	"  audience TEXT NOT NULL,"
	"  workflow TEXT NOT NULL,"
	"  every_s BIGINT NOT NULL,"
	"  allow_private BOOLEAN NOT NULL DEFAULT false,"
	"  etag TEXT NOT NULL DEFAULT '',"
	"  last_modified TEXT NOT NULL DEFAULT '',"
	"  body_hash TEXT NOT NULL DEFAULT '',"
	"  last_fetch_ms BIGINT NOT NULL DEFAULT 0,"
	"  last_new_ms BIGINT NOT NULL DEFAULT 0,"
	"  next_poll_ms BIGINT NOT NULL DEFAULT 0,"
	"  failures BIGINT NOT NULL DEFAULT 0,"
	"  last_error TEXT NOT NULL DEFAULT '',"
	"  entries BIGINT NOT NULL DEFAULT 0,"
	"  updates BIGINT NOT NULL DEFAULT 0,"
	"  created_ms BIGINT NOT NULL);"
	"CREATE TABLE feeds_entries ("
	"  source_id BIGINT NOT NULL REFERENCES feeds_sources (id)"
	"    ON DELETE CASCADE,"
	"  key TEXT NOT NULL,"
	"  uri TEXT NOT NULL,"
	"  version BIGINT NOT NULL,"
	"  hash TEXT NOT NULL,"
	"  PRIMARY KEY (source_id, key));",
	NULL
};

static int
add(struct mb_store *st, const struct mb_feed_source *s, int64_t *id,
    struct mb_diag *d)
{
	struct mb_pg_params	p;
	struct mb_pg_rows	r;
	int			rc;

	p.n = 0;
	mb_pg__p_text(&p, s->url);
	mb_pg__p_text(&p, s->title);
	mb_pg__p_text(&p, s->language);
	mb_pg__p_text(&p, s->topics);
	mb_pg__p_text(&p, s->audience);
	mb_pg__p_text(&p, s->workflow);
	mb_pg__p_int(&p, s->every_s);
	mb_pg__p_bool(&p, s->allow_private);
	mb_pg__p_int(&p, s->next_poll_ms);
	mb_pg__p_int(&p, mb_time_now_ms());
	if ((rc = mb_pg__query(PG(st), "INSERT INTO feeds_sources (url, "
	    "title, language, topics, audience, workflow, every_s, "
	    "allow_private, next_poll_ms, created_ms) VALUES ($1, $2, $3, $4, "
	    "$5, $6, $7, $8, $9, $10) ON CONFLICT (url) DO NOTHING "
	    "RETURNING id", &p, false, &r, d)) != MB_OK)
		return rc;
	if (!mb_pg__next(&r, NULL, NULL))
		rc = mb_diag_set(d, MB_ERR_EXISTS, "feed %.200s: already a "
		    "source", s->url);
	else if (id != NULL)
		*id = mb_pg__i64(r.res, r.row, 0);
	return mb_pg__end(&r, rc);
}

static int
get(struct mb_store *st, int64_t id, struct mb_feed_source *out,
    struct mb_diag *d)
{
	struct mb_pg_params	p;
	int			rc;

	p.n = 0;
	mb_pg__p_int(&p, id);
	if ((rc = mb_pg__one(PG(st), "SELECT " MB_STORE_FEED_COLS " FROM "
	    "feeds_sources WHERE id = $1", &p, false, &mb_store__feed_cols, out,
	    d)) == MB_ERR_NOTFOUND)
		return mb_diag_set(d, rc, "feed %lld: no such source",
		    (long long)id);
	return rc;
}

static int
list(struct mb_store *st, int (*cb)(const struct mb_feed_source *s,
    void *arg), void *arg, struct mb_diag *d)
{
	struct mb_pg_rows	 r;
	struct mb_feed_source	*s;
	int			 rc;

	if ((s = malloc(sizeof(*s))) == NULL)
		return MB_ERR_NOMEM;
	if ((rc = mb_pg__query(PG(st), "SELECT " MB_STORE_FEED_COLS " FROM "
	    "feeds_sources ORDER BY id", NULL, false, &r, d)) != MB_OK) {
		free(s);
		return rc;
	}
	while (rc == MB_OK && mb_pg__next(&r, &mb_store__feed_cols, s))
		rc = cb(s, arg);
	rc = mb_pg__end(&r, rc);
	free(s);
	return rc;
}

static int
remove_(struct mb_store *st, int64_t id, struct mb_diag *d)
{
	struct mb_pg_params	 p;
	struct mb_pg_res	*r;
	int			 rc;

	p.n = 0;
	mb_pg__p_int(&p, id);
	/* Its entries go with it (ON DELETE CASCADE). */
	if ((rc = mb_pg__run(PG(st), "DELETE FROM feeds_sources WHERE id = $1",
	    &p, false, &r, d)) != MB_OK)
		return rc;
	if (mb_pg__affected(r) == 0)
		rc = mb_diag_set(d, MB_ERR_NOTFOUND, "feed %lld: no such source",
		    (long long)id);
	mb_pg__free(r);
	return rc;
}

static int
save(struct mb_store *st, const struct mb_feed_source *s, struct mb_diag *d)
{
	struct mb_pg_params	 p;
	struct mb_pg_res	*r;
	struct mb_feed_source	*cur;
	int64_t			 n;
	int			 rc;

	p.n = 0;
	mb_pg__p_int(&p, s->id);
	mb_pg__p_text(&p, s->url);
	mb_pg__p_text(&p, s->title);
	mb_pg__p_text(&p, s->etag);
	mb_pg__p_text(&p, s->last_modified);
	mb_pg__p_text(&p, s->body_hash);
	mb_pg__p_int(&p, s->last_fetch_ms);
	mb_pg__p_int(&p, s->last_new_ms);
	mb_pg__p_int(&p, s->next_poll_ms);
	mb_pg__p_int(&p, s->failures);
	mb_pg__p_text(&p, s->last_error);
	mb_pg__p_int(&p, s->entries);
	mb_pg__p_int(&p, s->updates);
	if ((rc = mb_pg__run(PG(st), "UPDATE feeds_sources SET url = $2, "
	    "title = $3, etag = $4, last_modified = $5, body_hash = $6, "
	    "last_fetch_ms = $7, last_new_ms = $8, next_poll_ms = $9, "
	    "failures = $10, last_error = $11, entries = $12, updates = $13 "
	    "WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM feeds_sources o "
	    "WHERE o.url = $2 AND o.id <> $1)", &p, false, &r, d)) != MB_OK)
		return rc;
	n = mb_pg__affected(r);
	mb_pg__free(r);
	if (n > 0)
		return MB_OK;
	if ((cur = malloc(sizeof(*cur))) == NULL)
		return MB_ERR_NOMEM;
	rc = get(st, s->id, cur, d);
	free(cur);
	if (rc != MB_OK)
		return rc;
	return mb_diag_set(d, MB_ERR_EXISTS, "feed %.200s: already a source",
	    s->url);
}

static int
entry_get(struct mb_store *st, int64_t source, const char *key,
    struct mb_feed_seen *out, struct mb_diag *d)
{
	struct mb_pg_params p;

	p.n = 0;
	mb_pg__p_int(&p, source);
	mb_pg__p_text(&p, key);
	return mb_pg__one(PG(st), "SELECT uri, version, hash FROM "
	    "feeds_entries WHERE source_id = $1 AND key = $2", &p, false,
	    &mb_store__feed_entry_cols, out, d);
}

static int
entry_put(struct mb_store *st, int64_t source, const char *key,
    const struct mb_feed_seen *e, struct mb_diag *d)
{
	struct mb_pg_params p;

	p.n = 0;
	mb_pg__p_int(&p, source);
	mb_pg__p_text(&p, key);
	mb_pg__p_text(&p, e->uri);
	mb_pg__p_int(&p, e->version);
	mb_pg__p_text(&p, e->hash);
	return mb_pg__run(PG(st), "INSERT INTO feeds_entries (source_id, key, "
	    "uri, version, hash) VALUES ($1, $2, $3, $4, $5) ON CONFLICT "
	    "(source_id, key) DO UPDATE SET uri = excluded.uri, version = "
	    "excluded.version, hash = excluded.hash", &p, false, NULL, d);
}

static int
entry_claim(struct mb_store *st, int64_t source, const char *key,
    const struct mb_feed_seen *e, struct mb_diag *d)
{
	struct mb_pg_params	 p;
	struct mb_pg_res	*r;
	int			 rc;

	p.n = 0;
	mb_pg__p_int(&p, source);
	mb_pg__p_text(&p, key);
	mb_pg__p_text(&p, e->uri);
	mb_pg__p_int(&p, e->version);
	mb_pg__p_text(&p, e->hash);
	if ((rc = mb_pg__run(PG(st), "INSERT INTO feeds_entries (source_id, "
	    "key, uri, version, hash) VALUES ($1, $2, $3, $4, $5) ON CONFLICT "
	    "(source_id, key) DO NOTHING", &p, false, &r, d)) != MB_OK)
		return rc;
	if (mb_pg__affected(r) == 0)
		rc = MB_ERR_EXISTS;
	mb_pg__free(r);
	return rc;
}

const struct mb_store_feeds_ops mb_pg_feeds = {
	.add = add, .get = get, .list = list, .remove = remove_,
	.save = save, .entry_get = entry_get, .entry_put = entry_put,
	.entry_claim = entry_claim,
};
