/* SPDX-License-Identifier: MIT */
/*
 * The impact domain's tables: readership aggregated per day (never a
 * reader: no address, no user agent, no visitor hash), campaigns, and
 * the domain's small state (the report cursor). docs/impact.md.
 */
#ifndef MB_STORE_IMPACT_H
#define MB_STORE_IMPACT_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

struct mb_store;

#define MB_IMPACT_DAY_LEN	10	/* YYYY-MM-DD */
#define MB_IMPACT_KEY_MAX	160
#define MB_IMPACT_HOST_MAX	128
#define MB_IMPACT_TAG_MAX	64

/*
 * One aggregate: what was read (kind "item", "page", "feed" or "media",
 * and its key), in which language, from which country, coming from
 * which referrer host and campaign, on one day at one center; its views
 * and the day's unique visitors. Absent dimensions are "" (none) or
 * "unknown" (country).
 */
struct mb_impact_row {
	char	center[33];
	char	day[MB_IMPACT_DAY_LEN + 1];
	char	kind[8];
	char	key[MB_IMPACT_KEY_MAX];
	char	lang[16];
	char	country[8];	/* "EG"; "unknown" whole, as reports send it */
	char	referrer[MB_IMPACT_HOST_MAX];
	char	campaign[MB_IMPACT_TAG_MAX];
	char	source[MB_IMPACT_TAG_MAX];
	char	medium[MB_IMPACT_TAG_MAX];
	int64_t	views;
	int64_t	uniques;
};

/* What a query groups by: the fields it fills in each row it returns. */
enum mb_impact_by {
	MB_IMPACT_BY_DAY,	/* day */
	MB_IMPACT_BY_ITEM,	/* kind, key */
	MB_IMPACT_BY_LANGUAGE,	/* lang */
	MB_IMPACT_BY_COUNTRY,	/* country */
	MB_IMPACT_BY_REFERRER,	/* referrer */
	MB_IMPACT_BY_CAMPAIGN,	/* campaign */
	MB_IMPACT_BY_CENTER,	/* center */
	MB_IMPACT_BY_SOURCE,	/* source, medium */
	MB_IMPACT_BY__N
};

#define MB_IMPACT_ROWS_MAX	1000	/* the most one query returns */

struct mb_impact_query {
	char		 from[MB_IMPACT_DAY_LEN + 1];	/* inclusive */
	char		 to[MB_IMPACT_DAY_LEN + 1];	/* inclusive */
	const char	*center;	/* NULL: every center */
	const char	*kind;		/* NULL: every kind */
	const char	*key;		/* NULL: every key */
	const char	*campaign;	/* NULL: any (""): none */
	enum mb_impact_by by;
	int		 limit;		/* 1..MB_IMPACT_ROWS_MAX */
};

/*
 * Adds n rows' views and uniques to what the store holds for the same
 * dimensions (the minute's flush), in one transaction.
 */
int mb_store_impact_add(struct mb_store *st, const struct mb_impact_row *rows,
    size_t n, struct mb_diag *d);

/*
 * Replaces the rows of (center, day) by these n (a center's signed
 * report, newer than the one before), in one transaction.
 */
int mb_store_impact_replace(struct mb_store *st, const char *center,
    const char *day, const struct mb_impact_row *rows, size_t n,
    struct mb_diag *d);

/*
 * Sums over q's days and filters, grouped by q->by: most views first
 * (by day: oldest first), at most q->limit rows.
 */
int mb_store_impact_query(struct mb_store *st, const struct mb_impact_query *q,
    int (*cb)(const struct mb_impact_row *row, void *arg), void *arg,
    struct mb_diag *d);

/* Every row of (center, day), for a report, most views first. */
int mb_store_impact_day(struct mb_store *st, const char *center,
    const char *day, int (*cb)(const struct mb_impact_row *row, void *arg),
    void *arg, struct mb_diag *d);

/* Deletes every row of a day before day (retention). *n: rows deleted. */
int mb_store_impact_prune(struct mb_store *st, const char *day, int64_t *n,
    struct mb_diag *d);

/* A campaign: items and links read under one utm_campaign, for a time. */
struct mb_campaign {
	int64_t	id;
	char	name[128];
	char	utm[MB_IMPACT_TAG_MAX];		/* its utm_campaign value */
	char	topics[256];			/* comma-separated */
	char	items[1024];			/* uris, space-separated */
	char	starts[MB_IMPACT_DAY_LEN + 1];
	char	ends[MB_IMPACT_DAY_LEN + 1];
	int64_t	created_ms;
};

/* MB_ERR_EXISTS when its utm value is taken. */
int mb_store_campaign_add(struct mb_store *st, const struct mb_campaign *c,
    int64_t *id, struct mb_diag *d);
int mb_store_campaign_get(struct mb_store *st, int64_t id,
    struct mb_campaign *out, struct mb_diag *d);
/* Newest first. */
int mb_store_campaign_list(struct mb_store *st,
    int (*cb)(const struct mb_campaign *c, void *arg), void *arg,
    struct mb_diag *d);

/* The domain's state: a named value (the report cursor); "" if unset. */
int mb_store_impact_state_get(struct mb_store *st, const char *name,
    char *out, size_t n, struct mb_diag *d);
int mb_store_impact_state_set(struct mb_store *st, const char *name,
    const char *value, struct mb_diag *d);

#endif
