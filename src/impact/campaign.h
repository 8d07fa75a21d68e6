/* SPDX-License-Identifier: MIT */
/*
 * Campaigns (docs/impact.md, "Campaigns"): a name, topics, a utm_campaign
 * value, dates and the items it promotes; its reach is what was read
 * under its utm_campaign or of its items, before, during and after it,
 * by country and by language. Rules only: the store keeps the campaign,
 * the doors (newsroom, API) call these.
 */
#ifndef MB_IMPACT_CAMPAIGN_H
#define MB_IMPACT_CAMPAIGN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "store/impact.h"

struct mb_store;

/* A campaign as a door received it; NULL: not given. */
struct mb_campaign_args {
	const char	*name;		/* required, 1..127 bytes */
	const char	*utm;		/* required, [A-Za-z0-9._-]{1,63} */
	const char	*topics;	/* comma-separated, optional */
	const char	*items;		/* uris or center/local, by spaces or
					   commas, optional */
	const char	*starts;	/* YYYY-MM-DD, required */
	const char	*ends;		/* YYYY-MM-DD or empty: open */
};

/*
 * Checks a and fills c: MB_ERR_INVAL naming the field when one is
 * missing or wrong (the end before the start, a period over 800 days,
 * an item that is not a uri of this network, more than 16 items).
 */
int mb_campaign_parse(const struct mb_campaign_args *a, struct mb_campaign *c,
    struct mb_diag *d);

#define MB_REACH_KEYS	32	/* countries or languages kept per period */

/* One country's or language's figures. */
struct mb_reach_row {
	char	key[16];	/* "EG", "ar"; "(other)" for the rest */
	int64_t	views, uniques;
};

/* One period: its days and what was read then. */
struct mb_reach_period {
	char			 from[MB_IMPACT_DAY_LEN + 1];
	char			 to[MB_IMPACT_DAY_LEN + 1];
	bool			 empty;	/* not begun yet, or no days */
	int64_t			 views, uniques;
	struct mb_reach_row	 country[MB_REACH_KEYS + 1];
	size_t			 ncountry;
	struct mb_reach_row	 lang[MB_REACH_KEYS + 1];
	size_t			 nlang;
};

enum { MB_REACH_BEFORE, MB_REACH_DURING, MB_REACH_AFTER, MB_REACH__N };

/*
 * The campaign's reach, every center known here: the views under its
 * utm_campaign plus the views of its items (those under both once).
 * "During" is its dates up to today (an open one runs to today);
 * "before" the same number of days before it; "after" as many after
 * its end, up to today. Rows most views first.
 */
int mb_campaign_reach(struct mb_store *st, const struct mb_campaign *c,
    const char *today, struct mb_reach_period out[MB_REACH__N],
    struct mb_diag *d);

/* The counter's key of an item ("cairo/01H…") from "urn:mediabridge:cairo:01H…" or itself. */
int mb_campaign_item_key(const char *item, char *out, size_t n);

#endif
