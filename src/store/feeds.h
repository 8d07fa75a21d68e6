/* SPDX-License-Identifier: MIT */
/*
 * The feeds domain's tables: the sources a center ingests (RSS, Atom,
 * JSON Feed, NewsML-G2), their polling state, and each entry's identity
 * and the item it became, so that an entry seen again adds nothing and
 * an entry changed becomes a new version of the same item.
 */
#ifndef MB_STORE_FEEDS_H
#define MB_STORE_FEEDS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"

struct mb_store;

#define MB_FEED_URL_MAX		2048

/* A source and its state, as stored (every field a column). */
struct mb_feed_source {
	int64_t	id;
	char	url[MB_FEED_URL_MAX];
	char	title[256];		/* the feed's own, once fetched */
	char	language[36];		/* "" : as each entry declares */
	char	topics[512];		/* subjects added, comma-separated */
	char	audience[16];		/* public, network, internal */
	char	workflow[16];		/* draft, published */
	int64_t	every_s;		/* the operator's period */
	bool	allow_private;		/* may be on the LAN or this host */
	char	etag[256];		/* conditional GET */
	char	last_modified[64];
	char	body_hash[72];		/* when the server gives neither */
	int64_t	last_fetch_ms;		/* last answer, 0: never */
	int64_t	last_new_ms;		/* last new entry or update */
	int64_t	next_poll_ms;
	int64_t	failures;		/* in a row; 0 once it works */
	char	last_error[512];	/* "" when the last poll worked */
	int64_t	entries;		/* items made */
	int64_t	updates;		/* new versions of them */
	int64_t	created_ms;
};

/* What an entry became. */
struct mb_feed_seen {
	char	uri[160];
	int64_t	version;
	char	hash[72];
};

/* MB_ERR_EXISTS when a source has that url. Sets *id (may be NULL). */
int mb_store_feed_add(struct mb_store *st, const struct mb_feed_source *s,
    int64_t *id, struct mb_diag *d);
/* MB_ERR_NOTFOUND when there is none. */
int mb_store_feed_get(struct mb_store *st, int64_t id,
    struct mb_feed_source *out, struct mb_diag *d);
/* In id order; cb returns MB_OK to go on, positive to stop. */
int mb_store_feed_list(struct mb_store *st,
    int (*cb)(const struct mb_feed_source *s, void *arg), void *arg,
    struct mb_diag *d);
/* The source and its entries' records (the items stay). */
int mb_store_feed_remove(struct mb_store *st, int64_t id, struct mb_diag *d);
/*
 * Saves s's url, title and polling state (etag .. updates) over the
 * stored row of s->id. MB_ERR_NOTFOUND when it was removed meanwhile;
 * MB_ERR_EXISTS when the new url is another source's.
 */
int mb_store_feed_save(struct mb_store *st, const struct mb_feed_source *s,
    struct mb_diag *d);
/* MB_ERR_NOTFOUND (d untouched) when the entry was never seen. */
int mb_store_feed_entry_get(struct mb_store *st, int64_t source,
    const char *key, struct mb_feed_seen *out, struct mb_diag *d);
/*
 * Records e for the entry key of source only when it has no record yet:
 * MB_OK when this call made it, MB_ERR_EXISTS (d untouched) when there
 * was one (another poll of the source claimed the entry first). Two
 * polls at once then mint one item for a new entry, not two.
 */
int mb_store_feed_entry_claim(struct mb_store *st, int64_t source,
    const char *key, const struct mb_feed_seen *e, struct mb_diag *d);
/* Records (or replaces) what the entry key of source became. */
int mb_store_feed_entry_put(struct mb_store *st, int64_t source,
    const char *key, const struct mb_feed_seen *e, struct mb_diag *d);

#endif
