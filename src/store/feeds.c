/* SPDX-License-Identifier: MIT */
/* The feeds domain: its descriptor, its rows, and its calls handed to the backend. */
#include "feeds_int.h"

static const struct mb_store_table tables[] = {
	{ "feeds_sources", MB_STORE_FEED_COLS },
	{ "feeds_entries", "source_id, key, uri, version, hash" },
	{ NULL, NULL }
};

const struct mb_store_domain mb_store_feeds_domain = {
	.name = "feeds",
	.migrations = {
		[MB_STORE_SQLITE] = mb_sqlite_feeds_migrations,
		[MB_STORE_PG] = mb_pg_feeds_migrations,
	},
	.tables = tables,
};

static const struct mb_store_col feed_col[] = {	/* MB_STORE_FEED_COLS */
	MB_COL(MB_COL_INT, struct mb_feed_source, id),
	MB_COL(MB_COL_CHARS, struct mb_feed_source, url),
	MB_COL(MB_COL_CHARS, struct mb_feed_source, title),
	MB_COL(MB_COL_CHARS, struct mb_feed_source, language),
	MB_COL(MB_COL_CHARS, struct mb_feed_source, topics),
	MB_COL(MB_COL_CHARS, struct mb_feed_source, audience),
	MB_COL(MB_COL_CHARS, struct mb_feed_source, workflow),
	MB_COL(MB_COL_INT, struct mb_feed_source, every_s),
	MB_COL(MB_COL_BOOL, struct mb_feed_source, allow_private),
	MB_COL(MB_COL_CHARS, struct mb_feed_source, etag),
	MB_COL(MB_COL_CHARS, struct mb_feed_source, last_modified),
	MB_COL(MB_COL_CHARS, struct mb_feed_source, body_hash),
	MB_COL(MB_COL_INT, struct mb_feed_source, last_fetch_ms),
	MB_COL(MB_COL_INT, struct mb_feed_source, last_new_ms),
	MB_COL(MB_COL_INT, struct mb_feed_source, next_poll_ms),
	MB_COL(MB_COL_INT, struct mb_feed_source, failures),
	MB_COL(MB_COL_CHARS, struct mb_feed_source, last_error),
	MB_COL(MB_COL_INT, struct mb_feed_source, entries),
	MB_COL(MB_COL_INT, struct mb_feed_source, updates),
	MB_COL(MB_COL_INT, struct mb_feed_source, created_ms),
};
const struct mb_store_cols mb_store__feed_cols =
    MB_COLS(struct mb_feed_source, feed_col);

static const struct mb_store_col entry_col[] = {
	MB_COL(MB_COL_CHARS, struct mb_feed_seen, uri),
	MB_COL(MB_COL_INT, struct mb_feed_seen, version),
	MB_COL(MB_COL_CHARS, struct mb_feed_seen, hash),
};
const struct mb_store_cols mb_store__feed_entry_cols =
    MB_COLS(struct mb_feed_seen, entry_col);

static const struct mb_store_feeds_ops *const impl[MB_STORE__BACKENDS] = {
	[MB_STORE_SQLITE] = &mb_sqlite_feeds,
	[MB_STORE_PG] = &mb_pg_feeds,
};
#define OPS(st)	(impl[mb_store__backend(st)])

int
mb_store_feed_add(struct mb_store *st, const struct mb_feed_source *s,
    int64_t *id, struct mb_diag *d)
{
	return OPS(st)->add(st, s, id, d);
}

int
mb_store_feed_get(struct mb_store *st, int64_t id, struct mb_feed_source *out,
    struct mb_diag *d)
{
	return OPS(st)->get(st, id, out, d);
}

int
mb_store_feed_list(struct mb_store *st,
    int (*cb)(const struct mb_feed_source *s, void *arg), void *arg,
    struct mb_diag *d)
{
	return OPS(st)->list(st, cb, arg, d);
}

int
mb_store_feed_remove(struct mb_store *st, int64_t id, struct mb_diag *d)
{
	return OPS(st)->remove(st, id, d);
}

int
mb_store_feed_save(struct mb_store *st, const struct mb_feed_source *s,
    struct mb_diag *d)
{
	return OPS(st)->save(st, s, d);
}

int
mb_store_feed_entry_get(struct mb_store *st, int64_t source, const char *key,
    struct mb_feed_seen *out, struct mb_diag *d)
{
	return OPS(st)->entry_get(st, source, key, out, d);
}

int
mb_store_feed_entry_claim(struct mb_store *st, int64_t source,
    const char *key, const struct mb_feed_seen *e, struct mb_diag *d)
{
	return OPS(st)->entry_claim(st, source, key, e, d);
}

int
mb_store_feed_entry_put(struct mb_store *st, int64_t source, const char *key,
    const struct mb_feed_seen *e, struct mb_diag *d)
{
	return OPS(st)->entry_put(st, source, key, e, d);
}
