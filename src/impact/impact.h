/* SPDX-License-Identifier: MIT */
/*
 * Impact figures without tracking (docs/impact.md): views counted in
 * the server, per day, as aggregates only. A reader is never stored:
 * unique visitors are told apart by a keyed hash of the center, the
 * client's address and its user agent, with a random key held only in
 * memory and replaced at midnight (UTC), so that yesterday's visitors
 * cannot be recognized today, nor by anyone who reads the store.
 */
#ifndef MB_IMPACT_IMPACT_H
#define MB_IMPACT_IMPACT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "store/impact.h"

struct mb_store;
struct mb_impact;

struct mb_impact_opts {
	const char	*center;	/* this center's id (borrowed) */
	/*
	 * Addresses or CIDR ranges, comma-separated, whose
	 * X-Forwarded-For is believed ("127.0.0.1, 10.0.0.0/8"); NULL or
	 * "": nobody's.
	 */
	const char	*trusted_proxies;
	/* libloc's database; NULL: the system's; "": no countries. */
	const char	*geo_db;
	size_t		 max_rows;	/* aggregates in memory; 0: 100,000 */
	size_t		 max_visitors;	/* (what, visitor) pairs; 0: 4 Mi */
};

/* MB_ERR_INVAL naming the entry when trusted_proxies is wrong. */
int mb_impact_new(const struct mb_impact_opts *o, struct mb_impact **out,
    struct mb_diag *d);
/* Wipes the key; NULL is a no-op. Counts not flushed are lost. */
void mb_impact_free(struct mb_impact *im);

/* One response a reader got: what it was, and who asked (never kept). */
struct mb_impact_hit {
	const char	*kind;		/* "item", "page", "feed", "media" */
	const char	*key;		/* "cairo/01H…", "/search", "/feeds/en.atom" */
	const char	*lang;		/* the page's language; NULL: "" */
	const char	*peer;		/* the connection's address */
	const char	*forwarded;	/* X-Forwarded-For; NULL: none */
	const char	*user_agent;	/* NULL: none (not counted) */
	const char	*referer;	/* NULL: none */
	const char	*host;		/* this site's Host: own referrers */
	const char	*utm_campaign, *utm_source, *utm_medium;
	bool		 opt_out;	/* DNT: 1 or Sec-GPC: 1 */
	bool		 staff;		/* a translator or more, signed in */
	const char	*purpose;	/* Sec-Purpose, else Purpose; NULL: none */
	/*
	 * The key is the reader's to make up (a topic's feed or page
	 * answers any name): new ones share half the room, as referrers
	 * and campaigns do, and beyond it go to the kind's "(other)".
	 */
	bool		 key_chosen;
};

/* Why a hit was not counted (or MB_IMPACT_COUNTED). */
enum mb_impact_verdict {
	MB_IMPACT_COUNTED,
	MB_IMPACT_BOT,
	MB_IMPACT_OPT_OUT,
	MB_IMPACT_STAFF,
	MB_IMPACT_FULL,		/* over max_rows: counted as "(other)" */
	/* Referrers and campaigns at their share of max_rows: counted
	 * without them, under what was read, its language and country. */
	MB_IMPACT_TRIMMED,
	MB_IMPACT_PREFETCH,	/* a browser's prefetch or prerender */
};

/* Counts h at now_ms (the wall clock, ms). Any thread. */
enum mb_impact_verdict mb_impact_count(struct mb_impact *im,
    const struct mb_impact_hit *h, int64_t now_ms);

/*
 * Adds what was counted since the last flush to the store, in one
 * transaction; on failure the counts are kept for the next one. A new
 * day's first flush forgets the days before (their counts written).
 */
int mb_impact_flush(struct mb_impact *im, struct mb_store *st,
    struct mb_diag *d);

/*
 * Whether X-Forwarded-For can matter: trusted proxies are configured
 * (else a door need not even look it up).
 */
bool mb_impact_trusts_proxies(const struct mb_impact *im);

/* Views counted and not yet flushed (tests, /metrics). */
int64_t mb_impact_pending(struct mb_impact *im);

/* ---- The pure parts (classify.c, client.c): no state, no I/O ---------- */

/* A crawler, a monitor or a library rather than a reader's browser. */
bool mb_impact_is_bot(const char *user_agent);

/*
 * A Sec-Purpose or Purpose that says the browser fetched the page ahead
 * of a reader ("prefetch", "prefetch;prerender"): no view. NULL: false.
 */
bool mb_impact_is_prefetch(const char *purpose);

/*
 * The referrer's host, lowercased, without port or "www."; "" when
 * there is none, it is this site (host), or it is not a URL with a
 * plausible host name.
 */
void mb_impact_referrer_host(const char *referer, const char *host,
    char out[MB_IMPACT_HOST_MAX]);

/* A utm_* value kept as is if 1..63 of [A-Za-z0-9._-], else "". */
void mb_impact_tag(const char *v, char out[MB_IMPACT_TAG_MAX]);

/* Trusted proxies (client.c). */
struct mb_impact_proxies;
int mb_impact_proxies_parse(const char *list, struct mb_impact_proxies **out,
    struct mb_diag *d);
void mb_impact_proxies_free(struct mb_impact_proxies *p);
/* How many addresses or ranges are trusted (NULL: none). */
int mb_impact_proxies_count(const struct mb_impact_proxies *p);
/*
 * The reader's address: peer, unless peer is a trusted proxy, then the
 * right-most address of X-Forwarded-For that is not one (a malformed
 * entry ends the walk at the hop that added it). out: at least 64.
 */
void mb_impact_client(const struct mb_impact_proxies *p, const char *peer,
    const char *forwarded, char *out, size_t n);

/* ---- Stats (stats.c): the one reading of a stats request --------------- */

#define MB_IMPACT_SPAN_MAX	800	/* days one query may cover */

/* The query's arguments as a door received them; NULL: not given. */
struct mb_impact_args {
	const char	*from, *to;	/* YYYY-MM-DD; default the last 30 days */
	const char	*by;		/* item|language|country|referrer|
					   campaign|center|day|source */
	const char	*center;	/* an id, or "all"; default this one */
	const char	*kind;		/* item|page|feed|media */
	const char	*key;
	const char	*campaign;
	const char	*limit;		/* 1..1000; default 100 */
};

/*
 * Checks a and fills q (its strings point into a), today being today:
 * MB_ERR_INVAL naming the argument when one is wrong, the period is
 * reversed or longer than MB_IMPACT_SPAN_MAX days. by=center counts
 * every center.
 */
int mb_impact_args_parse(const struct mb_impact_args *a, const char *self,
    const char *today, struct mb_impact_query *q, struct mb_diag *d);

/* "item", "language", ... of a grouping. */
const char *mb_impact_by_name(enum mb_impact_by by);

/* A row as JSON: its grouping's key fields, views and uniques (new ref). */
struct json_t;
struct json_t *mb_impact_row_json(const struct mb_impact_row *row,
    enum mb_impact_by by);

/* The CSV header line and one row, RFC 4180 (quotes where needed). */
struct mb_buf;
int mb_impact_csv_header(enum mb_impact_by by, struct mb_buf *out);
int mb_impact_csv_row(const struct mb_impact_row *row, enum mb_impact_by by,
    struct mb_buf *out);

/* ---- Days ------------------------------------------------------------- */

/* "YYYY-MM-DD" (UTC) of ms since the epoch. */
void mb_impact_day(int64_t ms, char out[MB_IMPACT_DAY_LEN + 1]);
/* The day n days after (or before, n < 0) day; MB_ERR_INVAL if not a day. */
int mb_impact_day_add(const char *day, int n, char out[MB_IMPACT_DAY_LEN + 1]);
/* Days from a to b (b - a); MB_ERR_INVAL if either is not a day. */
int mb_impact_day_diff(const char *a, const char *b, int *out);

#endif
