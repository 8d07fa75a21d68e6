/* SPDX-License-Identifier: MIT */
/* Private to the feeds domain: its table of calls per backend, its rows. */
#ifndef MB_STORE_FEEDS_INT_H
#define MB_STORE_FEEDS_INT_H

#include "store/feeds.h"
#include "store/store_int.h"

struct mb_store_feeds_ops {
	int	(*add)(struct mb_store *st, const struct mb_feed_source *s,
		    int64_t *id, struct mb_diag *d);
	int	(*get)(struct mb_store *st, int64_t id,
		    struct mb_feed_source *out, struct mb_diag *d);
	int	(*list)(struct mb_store *st,
		    int (*cb)(const struct mb_feed_source *s, void *arg),
		    void *arg, struct mb_diag *d);
	int	(*remove)(struct mb_store *st, int64_t id, struct mb_diag *d);
	int	(*save)(struct mb_store *st, const struct mb_feed_source *s,
		    struct mb_diag *d);
	int	(*entry_get)(struct mb_store *st, int64_t source,
		    const char *key, struct mb_feed_seen *out,
		    struct mb_diag *d);
	int	(*entry_put)(struct mb_store *st, int64_t source,
		    const char *key, const struct mb_feed_seen *e,
		    struct mb_diag *d);
	int	(*entry_claim)(struct mb_store *st, int64_t source,
		    const char *key, const struct mb_feed_seen *e,
		    struct mb_diag *d);
};

extern const struct mb_store_feeds_ops mb_sqlite_feeds, mb_pg_feeds;
extern const char *const mb_sqlite_feeds_migrations[];
extern const char *const mb_pg_feeds_migrations[];

/* A source row: MB_STORE_FEED_COLS into struct mb_feed_source. */
extern const struct mb_store_cols mb_store__feed_cols;
#define MB_STORE_FEED_COLS "id, url, title, language, topics, audience, " \
	"workflow, every_s, allow_private, etag, last_modified, body_hash, " \
	"last_fetch_ms, last_new_ms, next_poll_ms, failures, last_error, " \
	"entries, updates, created_ms"
/* An entry row: uri, version, hash into struct mb_feed_seen. */
extern const struct mb_store_cols mb_store__feed_entry_cols;

#endif
