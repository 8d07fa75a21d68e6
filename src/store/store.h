/* SPDX-License-Identifier: MIT */
/* The one storage interface: item versions, the log, centers, and more. */
#ifndef MB_STORE_STORE_H
#define MB_STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"

/*
 * A store handle is one connection to one backend (SQLite or PostgreSQL):
 * use it from one thread at a time; open one per thread. No SQL and no
 * backend type crosses this interface, so that both backends implement
 * exactly these calls (store_int.h: each fills a table of them, chosen
 * at open). Tables beyond the core belong to domains, each with a header
 * of its own (store/accounts.h; docs/store.md).
 *
 * Model: every accepted item version is kept verbatim, as the signed
 * envelope bytes it arrived as, and appended to the log with a local
 * sequence number (seq) that only grows. The current version of an item
 * is its highest version number. (uri, version) is unique: putting a
 * version that is already there changes nothing and says MB_ERR_EXISTS.
 */
struct mb_store;

#define MB_STORE_LANG_MAX	40	/* a primary language subtag and its NUL */

/*
 * Sets *headline and *body (malloc'd, the store frees them; NULL: none)
 * and lang (the primary subtag the tokenizer stems for, "" for none) to
 * the text the index holds for the envelope. MB_OK, or an error for an
 * envelope with no text to give (then the item has none in the index).
 */
typedef int (*mb_store_text_fn)(const char *envelope, size_t len,
    char **headline, char **body, char lang[MB_STORE_LANG_MAX]);

struct mb_store_opts {
	/*
	 * The FTS5 tokenizer to register as "mb" (a const fts5_tokenizer *
	 * and its context, from the text module): the store's full-text
	 * index uses it. NULL: a plain unicode61 tokenizer stands in.
	 */
	const void	*fts5_tokenizer;
	void		*fts5_tokenizer_ctx;
	bool		 readonly;
	/*
	 * The text the full-text index holds for a stored envelope: what
	 * mb_store_put()'s text is for it (SQLite's index keeps no copy of
	 * the text, it reads it from the envelopes: for snippets, and to
	 * take an item's old text out of the index). NULL: the store shows
	 * no snippets, and an item's old words stay in the index when it
	 * changes (for tests that never search).
	 */
	mb_store_text_fn index_text;
	/*
	 * The zstd dictionary new envelopes are stored compressed with (the
	 * exchange's current one, src/sync/dict.h; copied at open); NULL:
	 * zstd without one. The store keeps every dictionary a row was
	 * compressed with, so rows stay readable whatever the next open
	 * passes. PostgreSQL stores envelopes as they are (docs/store.md,
	 * "Compressed envelopes").
	 */
	const void	*zdict;
	size_t		 zdict_len;
	/*
	 * SQLite's page cache for this connection, KiB; 0: 64 MiB. serve
	 * holds a connection per thread and keeps it lean (16 MiB each:
	 * the operating system's page cache holds the file either way;
	 * docs/benchmarks.md, "pages"). PostgreSQL: unused.
	 */
	int		 cache_kb;
};

/*
 * Opens (creating and migrating as needed) the store at location: a
 * file path or "sqlite:PATH" for SQLite, a libpq URL
 * ("postgresql://USER@HOST:PORT/DB?...") for PostgreSQL (opts' tokenizer
 * is then unused: PostgreSQL's text search configurations stand in).
 * Other schemes answer MB_ERR_UNSUPPORTED.
 */
int mb_store_open(const char *location, const struct mb_store_opts *opts,
    struct mb_store **out, struct mb_diag *d);
void mb_store_close(struct mb_store *st);

/*
 * Bounds the memory SQLite takes in this process, every connection
 * together (page caches, statements, schemas), to about bytes
 * (sqlite3_soft_heap_limit64; 0: unbounded, the default). Past it a
 * connection reuses its own oldest cached pages instead of taking more,
 * so a connection alone may still fill its whole cache_kb while several
 * busy ones share the bound. Process-wide: for serve, which holds a
 * connection per thread. PostgreSQL: nothing to bound.
 */
void mb_store_memory_limit(int64_t bytes);

/*
 * The connection goes idle for a while (a poller between its rounds, the
 * indexer or a puller caught up): what it caches for speed -- SQLite's
 * page cache, up to cache_kb -- is handed back, and the next call reads
 * its pages again (from the operating system's cache, a pread each). A
 * background thread's cache would otherwise hold, for good, the pages of
 * the largest thing it ever walked (docs/benchmarks.md, "serve's memory
 * at 1M items"). Never fails; outside a transaction only (inside one it
 * keeps what the transaction wrote). PostgreSQL: nothing to do.
 */
void mb_store_idle(struct mb_store *st);

/*
 * A packer (store/zenv.h) that makes the form this store keeps envelopes
 * in (its dictionary, its level), for threads that handle envelopes
 * before the writer puts them: their v->packed spares the writer the
 * compression (issue 23). *out NULL where envelopes are kept as they
 * are (PostgreSQL: its own TOAST compresses them). The packer outlives
 * the store if need be; free it with mb_zenv_packer_free().
 */
struct mb_zenv_packer;
int mb_store_packer(struct mb_store *st, struct mb_zenv_packer **out,
    struct mb_diag *d);

/* The schema version the store is at after migrations. */
int mb_store_schema_version(struct mb_store *st);

/*
 * Transactions: begin takes the write lock at once. Calls made outside
 * a transaction run in one of their own.
 */
int mb_store_begin(struct mb_store *st, struct mb_diag *d);
int mb_store_commit(struct mb_store *st, struct mb_diag *d);
void mb_store_rollback(struct mb_store *st);

/* One item version: the envelope and the facts the store indexes. */
struct mb_store_version {
	int64_t		 seq;		/* set by the store */
	const char	*uri;
	const char	*center;
	const char	*local;
	int64_t		 version;
	const char	*origin;
	const char	*audience;
	const char	*pub_status;
	const char	*workflow;
	const char	*language;	/* may be NULL */
	const char	*type;		/* may be NULL */
	const char	*profile;	/* may be NULL */
	const char	*headline;	/* may be NULL */
	int64_t		 embargo_ms;	/* 0: none */
	int64_t		 created_ms;	/* versionCreated */
	int64_t		 first_ms;	/* firstCreated */
	int64_t		 received_ms;	/* when this node accepted it */
	const char	*envelope;	/* the signed envelope, verbatim */
	size_t		 envelope_len;
	/*
	 * Optional: the topics the envelope derives (mb_item_topics: each
	 * ends with a NUL, an empty one ends the list), when the caller has
	 * them at hand, so that the writer neither parses the envelope nor
	 * derives them. NULL: the store derives them from the envelope.
	 */
	const char	*topics;
	/*
	 * Optional: the envelope in the form the store keeps it, made by
	 * mb_store_packer()'s packer on another core, so that the writer
	 * does not compress it. The store takes it when it was made with
	 * the dictionary the store compresses with now, else compresses
	 * the envelope itself. NULL: the store compresses it.
	 */
	const void	*packed;
	size_t		 packed_len;
	/*
	 * The peer (center id) this version was pulled from; NULL: written
	 * here. Stored with the version and read back by mb_store_log()
	 * (other readers leave it NULL), so that the log served to a peer
	 * leaves out what came from that peer (split horizon).
	 */
	const char	*via;
};

/*
 * The text of a version for the full-text index. The store puts
 * "\x1f" language "\x1f" in front of each column, the convention the
 * text module's tokenizer reads to stem in the item's language.
 */
struct mb_store_text {
	const char	*language;	/* NULL: no stemming */
	const char	*headline;
	const char	*body;
};

/*
 * Adds a version and appends it to the log; *seq gets its sequence.
 * When it becomes the item's current version and text is not NULL, the
 * index is updated in the same transaction; with text NULL the item is
 * queued for mb_store_index_next(). MB_ERR_EXISTS: already there.
 */
int mb_store_put(struct mb_store *st, const struct mb_store_version *v,
    const struct mb_store_text *text, int64_t *seq, struct mb_diag *d);

/*
 * Row visitors: called once per row with fields borrowed for the call.
 * Return MB_OK to go on, a positive number to stop (the scan returns
 * MB_OK), a negative error to stop and have the scan return it.
 */
typedef int (*mb_store_version_cb)(const struct mb_store_version *v,
    void *arg);

/* The current version (version 0) or a given one. MB_ERR_NOTFOUND. */
int mb_store_get(struct mb_store *st, const char *uri, int64_t version,
    mb_store_version_cb cb, void *arg, struct mb_diag *d);

/* True when (uri, version) is stored. */
int mb_store_has(struct mb_store *st, const char *uri, int64_t version,
    bool *has, struct mb_diag *d);

/* The log after seq, in order, at most limit versions (0: all). */
int mb_store_log(struct mb_store *st, int64_t after, int64_t limit,
    mb_store_version_cb cb, void *arg, struct mb_diag *d);

struct mb_store_stats {
	int64_t	items;		/* distinct uris */
	int64_t	versions;	/* log entries */
	int64_t	last_seq;	/* highest seq, 0 when empty */
	int64_t	unindexed;	/* items waiting for the full-text index */
	/*
	 * When the oldest of them arrived (its version's received_ms), 0
	 * when none waits: no item has been findable on the site but not by
	 * search for longer than since then. Read from the first 10,000 in
	 * the indexer's order (exact below that; a scrape never reads a
	 * long queue whole).
	 */
	int64_t	unindexed_since_ms;
	/*
	 * The full-text index's segments (SQLite; 0 on PostgreSQL): what a
	 * query visits, and what mb_store_index_tidy() has left to merge.
	 */
	int64_t	index_segments;
};
/*
 * The counts are kept as rows change (store_counts, the scale domain):
 * a few index lookups, whatever the store's size.
 */
int mb_store_stats(struct mb_store *st, struct mb_store_stats *out,
    struct mb_diag *d);

/*
 * Checks the database itself (page-level integrity; on SQLite also the
 * full-text index's own integrity check) and the store's invariants:
 * every item points at its highest stored version and has its facts,
 * every version belongs to an item, every item is in the search index
 * or queued for it, and each item's topic and translation rows are what
 * its current envelope derives. Each problem found is passed to report
 * (may be NULL); returns MB_ERR_CORRUPT when there was any.
 */
int mb_store_check(struct mb_store *st,
    void (*report)(const char *problem, void *arg), void *arg,
    struct mb_diag *d);

/*
 * verify --repair: what the store derived from the envelopes, derived
 * from them again (never the reverse).
 *
 * mb_store_repair_version sets the derived columns of the stored version
 * v->seq (center, local, origin, audience, pubStatus, workflow, language,
 * type, profile, headline, embargo, times) to v's, which the caller read
 * off the signed envelope. MB_ERR_NOTFOUND when there is no such seq.
 *
 * mb_store_repair finds what mb_store_check finds and rebuilds it, in one
 * transaction: items pointed at their highest version with its facts (an
 * item made for a version that had none, an item with no version gone),
 * topic and translation rows derived again, rows for no item removed, a
 * damaged full-text index rebuilt; and it queues every item for the
 * indexer, which the caller runs (mb_sync_index_all) so that the text
 * searched is read from the envelopes again. *fixed counts the problems
 * repaired, each passed to report.
 */
int mb_store_repair_version(struct mb_store *st,
    const struct mb_store_version *v, struct mb_diag *d);
int mb_store_repair(struct mb_store *st,
    void (*report)(const char *fixed, void *arg), void *arg, int *fixed,
    struct mb_diag *d);

/*
 * Writes a consistent copy of the whole store, as of one commit, to a new
 * SQLite file at path (which must not exist), while others go on reading
 * and writing. MB_ERR_UNSUPPORTED on PostgreSQL, whose own pg_dump does
 * that (docs/operations.md, "Backup and restore").
 */
int mb_store_backup(struct mb_store *st, const char *path,
    struct mb_diag *d);

/*
 * The full-text index's queue: hands the current version of up to limit
 * queued items to cb (with no transaction open), which returns the text
 * through mb_store_index_text(); *done counts them.
 */
int mb_store_index_next(struct mb_store *st, int64_t limit,
    int (*cb)(const struct mb_store_version *v, struct mb_store_text *t,
	void *arg), void *arg, int64_t *done, struct mb_diag *d);

/*
 * Reads (writes nothing) the current versions of up to limit queued
 * items, in the order mb_store_index_next() takes them, so that their
 * text can be prepared ahead on other threads.
 */
int mb_store_index_peek(struct mb_store *st, int64_t limit,
    mb_store_version_cb cb, void *arg, struct mb_diag *d);

/*
 * One step of tidying the full-text index, for a store that is idle
 * (serve's indexer, caught up): merges up to about `pages` pages of its
 * segments in a transaction of its own, so that a writer waits at most
 * one step. Commits only write their segment (docs/search.md, "Segments
 * and merges"); this merges a level once it holds 4, which leaves the
 * shape FTS5 would have kept by merging inside every commit. *more:
 * there may be more to do (call again); false once nothing is left.
 * PostgreSQL: nothing to do, *more false.
 */
int mb_store_index_tidy(struct mb_store *st, int pages, bool *more,
    struct mb_diag *d);

/*
 * Keeps the index's merging abreast of a long run of commits (serve's
 * pullers, a large import): tidies a page for each of the `items` just
 * committed, in steps of at most 256 pages (each its own transaction),
 * about what FTS5's automerge would have spent inside those commits.
 * Stops early when nothing is left to merge. Best effort: a store that
 * another writer holds (busy) stops it without an error, what is left
 * being merged by the next call or serve's idle indexer; an error is the
 * store failing. A long run that never does
 * this piles a level up to FTS5's crisis bound (16 segments), merged
 * inside one commit that then takes seconds (docs/benchmarks.md,
 * "Merges when idle").
 */
int mb_store_index_keep_up(struct mb_store *st, int64_t items,
    struct mb_diag *d);

/*
 * Aliases: a key from outside (an imported file's item hash, say) and
 * the uri it became, so that importing the same thing twice adds nothing.
 */
int mb_store_alias_get(struct mb_store *st, const char *key,
    struct mb_buf *uri, struct mb_diag *d);
int mb_store_alias_put(struct mb_store *st, const char *key,
    const char *uri, struct mb_diag *d);

/* A member center, as the registry lists it. */
struct mb_center {
	char		id[33];
	char		name[128];
	char		country[8];
	char		languages[128];	/* "ar,en" */
	char		url[256];
	unsigned char	key[32];	/* Ed25519 public key */
	char		role[16];	/* hq, branch */
	char		status[16];	/* active, suspended, revoked */
	int64_t		updated_ms;
	/*
	 * The registry's optional fields (center/names.h, center/pairs.h):
	 * the center's name in other languages as JSON {"ar": "..."} and
	 * the machine translation pairs it lends, "en|es,es|en"; "" none.
	 */
	char		names[2048];
	char		mt_pairs[2048];
};

/* Adds or replaces a center. */
int mb_store_center_put(struct mb_store *st, const struct mb_center *c,
    struct mb_diag *d);
/* MB_ERR_NOTFOUND when there is no such center. */
int mb_store_center_get(struct mb_store *st, const char *id,
    struct mb_center *out, struct mb_diag *d);
/* Every center, by id. */
int mb_store_center_list(struct mb_store *st,
    int (*cb)(const struct mb_center *c, void *arg), void *arg,
    struct mb_diag *d);

/*
 * A key a center had before its current one: mb_store_center_put keeps
 * the key it replaces, with when (this node's clock) and whether the
 * center was revoked with it.
 */
struct mb_center_key {
	char		id[33];
	unsigned char	key[32];
	int64_t		until_ms;
	int64_t		revoked;
};

/* id's earlier keys, newest first. */
int mb_store_center_keys(struct mb_store *st, const char *id,
    int (*cb)(const struct mb_center_key *k, void *arg), void *arg,
    struct mb_diag *d);

/*
 * Every center, of any id, that holds key now or held it before: a
 * registry row whose key it is (until_ms 0; revoked when the center
 * is) and each center_keys row of it. center add checks these: a key
 * is one center's, and a revoked key never comes back.
 */
int mb_store_center_key_users(struct mb_store *st,
    const unsigned char key[32],
    int (*cb)(const struct mb_center_key *k, void *arg), void *arg,
    struct mb_diag *d);

/*
 * ---- The exchange (sync): peers and the registry -------------------------
 * A peer is a center this node pulls from, keyed by the center's id (its
 * URL may change; its log and so the cursor stay). cursor is the last
 * seq of the peer's log that has been applied here; it is advanced in
 * the same transaction as the batch it covers.
 */
struct mb_peer {
	char	center[33];
	char	url[256];
	int	manual;		/* added by `peer add`, not from the registry */
	int64_t	cursor;
	int64_t	last_ok_ms;	/* 0: never */
	int64_t	last_err_ms;	/* 0: never */
	char	last_error[256];
	int64_t	received;	/* versions applied from this peer */
	int64_t	refused;	/* envelopes refused from this peer */
};

/*
 * Adds a peer or updates its URL, keeping its cursor and counters; a
 * peer once manual stays manual.
 */
int mb_store_peer_put(struct mb_store *st, const char *center,
    const char *url, int manual, struct mb_diag *d);
/* MB_ERR_NOTFOUND when there is no such peer. */
int mb_store_peer_get(struct mb_store *st, const char *center,
    struct mb_peer *out, struct mb_diag *d);
/* Every peer, by center id. */
int mb_store_peer_list(struct mb_store *st,
    int (*cb)(const struct mb_peer *p, void *arg), void *arg,
    struct mb_diag *d);
/*
 * Records a successful pull: the new cursor, counts added, last_ok_ms
 * set and the last error cleared. Call it inside the batch's
 * transaction.
 */
int mb_store_peer_advance(struct mb_store *st, const char *center,
    int64_t cursor, int64_t received, int64_t refused, int64_t now_ms,
    struct mb_diag *d);
/*
 * The log's last seq (0 when empty): one index lookup.
 */
int mb_store_last_seq(struct mb_store *st, int64_t *seq, struct mb_diag *d);
/* Records a failed pull (the cursor stays). */
int mb_store_peer_fail(struct mb_store *st, const char *center,
    const char *error, int64_t now_ms, struct mb_diag *d);

/*
 * The registry document (signed by HQ) this node holds, with its version.
 * MB_ERR_NOTFOUND when none yet. doc is appended to.
 */
int mb_store_registry_get(struct mb_store *st, int64_t *version,
    struct mb_buf *doc, struct mb_diag *d);
/* Replaces the registry document. */
int mb_store_registry_put(struct mb_store *st, int64_t version,
    const char *doc, size_t len, struct mb_diag *d);

/* ------------------------------------------------------------------ */
/* The node's accounts, credentials and item authors: a domain of its */
/* own (store/accounts.h), included here for the code that has always */
/* found them in this header. Then the item listing.                  */
/* ------------------------------------------------------------------ */

#include "store/accounts.h"

/* Audiences as bits, for mb_store_filter.audiences. */
#define MB_AUD_PUBLIC	0x1
#define MB_AUD_NETWORK	0x2
#define MB_AUD_INTERNAL	0x4

/*
 * What mb_store_list() returns: current versions, newest first by
 * firstCreated (then by seq). Strings NULL: no filter.
 */
struct mb_store_filter {
	const char	*language;	/* "ar" also matches "ar-EG" */
	const char	*type;
	const char	*profile;
	const char	*center;
	const char	*topic;		/* a subject's uri, name or code */
	const char	*country;	/* the origin center's country */
	int64_t		 before_ms;	/* firstCreated before; 0: none */
	int64_t		 cursor_first_ms;/* resume after (first_ms, seq) */
	int64_t		 cursor_seq;	/* 0: from the top */
	int64_t		 limit;		/* 1..1000 */
	/*
	 * Visibility. all: everything. Otherwise: published, usable,
	 * embargo passed at now_ms and audience in audiences (bits) --
	 * or, when author_id is not 0, written by that user.
	 */
	bool		 all;
	unsigned	 audiences;
	int64_t		 now_ms;
	int64_t		 author_id;
};

int mb_store_list(struct mb_store *st, const struct mb_store_filter *f,
    mb_store_version_cb cb, void *arg, struct mb_diag *d);

/* ------------------------------------------------------------------ */
/* Search and translations (*_search.c; docs/search.md).              */
/* ------------------------------------------------------------------ */

/*
 * Hits in snippets and headlines are wrapped in these bytes, never in
 * HTML: whoever shows them escapes the text first, then turns the
 * sentinels into <mark> (mb_text_marks_to_html()).
 */
#define MB_STORE_HIT_OPEN	'\x02'
#define MB_STORE_HIT_CLOSE	'\x03'

/*
 * The most candidates ranked per query (the newest visible matches; each
 * costs an items lookup and a bm25 evaluation: docs/benchmarks.md,
 * "search"), and the most hits per page.
 */
#define MB_STORE_SEARCH_CANDIDATES	500
#define MB_STORE_SEARCH_MAX_LIMIT	100

struct mb_store_search_query {
	/* The FTS5 expression from mb_text_query_translate() (required). */
	const char	*match;
	/* Filters; NULL or 0: none. language "ar" also matches "ar-EG". */
	const char	*language;
	const char	*type;
	const char	*profile;
	const char	*center;
	const char	*topic;		/* a subject's uri, name or code */
	const char	*country;	/* the origin center's country */
	int64_t		 from_ms;	/* firstCreated >= from_ms */
	int64_t		 to_ms;		/* firstCreated < to_ms */
	/*
	 * When a hit has a translation (or is one) in this language, the
	 * hit is that version instead; one hit per translation group.
	 */
	const char	*prefer_language;
	int		 limit;		/* 1..MB_STORE_SEARCH_MAX_LIMIT */
	int		 offset;	/* into the ranked candidates */
	/*
	 * Visibility, as in struct mb_store_filter. all: everything
	 * (staff). Otherwise: workflow published, pubStatus usable,
	 * embargo passed at now_ms, audience among audiences (MB_AUD_*).
	 */
	bool		 all;
	unsigned	 audiences;
	int64_t		 now_ms;
};

/* One hit; every pointer is borrowed for the callback's duration. */
struct mb_store_search_hit {
	const char	*uri;
	int64_t		 version;
	int64_t		 seq;
	const char	*center;
	const char	*language;	/* may be NULL */
	const char	*type;		/* may be NULL */
	const char	*profile;	/* may be NULL */
	const char	*headline;	/* plain; may be "" */
	const char	*headline_marked; /* hits between the sentinels */
	const char	*snippet;	/* body around the hits, marked, "…" */
	int64_t		 first_ms;
	double		 bm25;		/* FTS5's, higher is better here */
	double		 score;		/* bm25 with the recency boost */
	/* The uri that matched, when this hit is its translation. */
	const char	*matched_uri;	/* NULL when the hit itself matched */
};

struct mb_store_search_result {
	int64_t	ranked;		/* visible hits ranked (after dedupe) */
	bool	more;		/* older matches were not ranked */
	/*
	 * Every visible match (a translation and its original count twice
	 * when more is set; ranked otherwise): what a reader is told was
	 * found. Counted exactly while the matches beyond the ranked ones
	 * are few (MB_STORE_SEARCH_COUNT_WALK more rows looked at);
	 * beyond, estimated from the share of the store's item ids that
	 * the rows looked at span, and total_estimated is set: counting
	 * every match of a common word cost 10-50 ms at 1M items, ten
	 * times the search itself (docs/benchmarks.md, "search").
	 */
	int64_t	total;
	bool	total_estimated;
};
#define MB_STORE_SEARCH_COUNT_WALK	200

/*
 * Ranked search: the newest MB_STORE_SEARCH_CANDIDATES visible matches
 * (by arrival here) are scored by bm25 with a recency boost, and
 * q->limit of them from q->offset are passed to cb (same contract as
 * the row visitors). out (may be NULL) says how many there were.
 * MB_ERR_INVAL for a bad limit/offset or a MATCH FTS5 refuses.
 */
int mb_store_search(struct mb_store *st, const struct mb_store_search_query *q,
    int (*cb)(const struct mb_store_search_hit *h, void *arg), void *arg,
    struct mb_store_search_result *out, struct mb_diag *d);

/*
 * Translations: a version that declares what it translates (ninjs
 * associations entry with rel "translation-of", or the envelope's
 * meta.translation.of) is linked to that uri when it becomes current.
 */
struct mb_store_translation {
	const char	*uri;
	const char	*language;	/* may be NULL */
	const char	*headline;	/* may be NULL */
	bool		 original;	/* the item the others translate */
	const char	*by;		/* "human", "machine" or NULL */
};

/*
 * The translation group of uri (its original and all its translations,
 * uri itself included when it is in one), visible under the same rules
 * as search (all, audiences, now_ms), original first then by language.
 * An item in no group gives no rows (MB_OK).
 */
int mb_store_translations(struct mb_store *st, const char *uri, bool all,
    unsigned audiences, int64_t now_ms,
    int (*cb)(const struct mb_store_translation *t, void *arg), void *arg,
    struct mb_diag *d);


/* ------------------------------------------------------------------ */
/* Media blobs and the items that refer to them (*_media.c;           */
/* src/media, docs/media.md).                                         */
/* ------------------------------------------------------------------ */

/*
 * A blob file this node holds (DIR/blobs/...), named by its SHA-256 in
 * hex. refs: how many items' current versions refer to it.
 */
struct mb_store_blob {
	char	hash[65];
	char	mime[48];
	int64_t	size;
	int64_t	created_ms;
	int64_t	refs;
	bool	here;		/* the file is here (a row in media_blobs) */
	char	origin[33];	/* one referring item's origin, or "" */
};

/*
 * Records a blob that is now here; a blob already recorded is kept and
 * its created_ms renewed (a new upload of it starts a new grace period).
 */
int mb_store_blob_put(struct mb_store *st, const char *hash,
    const char *mime, int64_t size, int64_t now_ms, struct mb_diag *d);

/*
 * A blob that is here or that an item refers to (here false: wanted,
 * with mime and size from the rendition). MB_ERR_NOTFOUND when neither.
 */
int mb_store_blob_get(struct mb_store *st, const char *hash,
    struct mb_store_blob *out, struct mb_diag *d);

/*
 * Forgets a blob's row if it is still collectable (no references,
 * created before before_ms); *deleted says whether it was. Remove the
 * file only then.
 */
int mb_store_blob_delete(struct mb_store *st, const char *hash,
    int64_t before_ms, bool *deleted, struct mb_diag *d);

/* One rendition an item version refers to. */
struct mb_store_blob_ref {
	const char	*hash;
	const char	*mime;		/* may be NULL */
	int64_t		 size;		/* 0: not given */
};

/*
 * Replaces what uri refers to by refs (n may be 0: nothing), for the
 * item's origin center (where it can be fetched from first).
 */
int mb_store_blob_refs_set(struct mb_store *st, const char *uri,
    const char *origin, const struct mb_store_blob_ref *refs, size_t n,
    struct mb_diag *d);

/* The log position the media index has read up to (0: none). */
int mb_store_blob_cursor(struct mb_store *st, int64_t *seq,
    struct mb_diag *d);
int mb_store_blob_cursor_set(struct mb_store *st, int64_t seq,
    struct mb_diag *d);

/*
 * Blobs here that no item refers to and created before before_ms
 * (collectable), by hash.
 */
int mb_store_blob_unused(struct mb_store *st, int64_t before_ms,
    int (*cb)(const struct mb_store_blob *b, void *arg), void *arg,
    struct mb_diag *d);

/*
 * Blobs that items refer to but that are not here, with the origin of
 * one item that refers to each (origin[33]), at most limit (0: all).
 */
int mb_store_blob_wanted(struct mb_store *st, int64_t limit,
    int (*cb)(const struct mb_store_blob *b, const char *origin, void *arg),
    void *arg, struct mb_diag *d);

/* Every blob row, by hash (restore checks each has its file). */
int mb_store_blob_each(struct mb_store *st,
    int (*cb)(const struct mb_store_blob *b, void *arg), void *arg,
    struct mb_diag *d);

/* ------------------------------------------------------------------ */
/* Several processes on one database (*_shared.c;                     */
/* docs/store.md, "PostgreSQL").                                      */
/* ------------------------------------------------------------------ */

/*
 * Change notices: after mb_store_listen(), every commit that appends to
 * the log, by any process, wakes mb_store_wait() on this handle (use the
 * handle for nothing else meanwhile). *got says whether a notice came
 * within timeout_ms; several commits may come as one notice. SQLite has
 * no notices: MB_ERR_UNSUPPORTED (poll mb_store_last_seq() instead).
 */
int mb_store_listen(struct mb_store *st, struct mb_diag *d);
int mb_store_wait(struct mb_store *st, int timeout_ms, bool *got,
    struct mb_diag *d);

/*
 * A named lock across every process on the database, held by this
 * handle until mb_store_unlock() or until the handle (or the process)
 * goes: *got false when someone else holds it. On SQLite, where one
 * process serves a data directory, it is always granted.
 */
int mb_store_try_lock(struct mb_store *st, const char *name, bool *got,
    struct mb_diag *d);
int mb_store_unlock(struct mb_store *st, const char *name, struct mb_diag *d);

/*
 * Copies everything in from (SQLite) into to (PostgreSQL, empty: else
 * MB_ERR_EXISTS) in one transaction, keeping every seq and id; the
 * full-text index is queued to be rebuilt (mb_store_index_next).
 * progress (may be NULL) hears each table's row count as it goes.
 */
int mb_store_copy(struct mb_store *from, struct mb_store *to,
    void (*progress)(const char *table, int64_t rows, void *arg), void *arg,
    struct mb_diag *d);

#endif
