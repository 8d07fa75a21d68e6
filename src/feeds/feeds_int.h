/* SPDX-License-Identifier: MIT */
/* Private to feeds/: an entry's media made this center's (media.c). */
#ifndef MB_FEEDS_FEEDS_INT_H
#define MB_FEEDS_FEEDS_INT_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "feeds/feeds.h"

/* What is left of one poll's media budget (mb_feeds_media_budget). */
struct mb_feeds__left {
	int64_t	deadline_ms;
	int	files;
	int64_t	bytes;
	bool	told;		/* the log said it was spent */
};

/*
 * Fetches the pictures, sounds and videos item's associations link to
 * (at most MB_FEEDS_MEDIA_PER_ENTRY, http or https, under the source's
 * address guard, within what is left of the poll's budget, which each
 * fetch spends) and puts this center's renditions in their place, the
 * source's URL kept in the association's altIds. One that cannot be
 * fetched, is not a picture, sound or video the pipeline takes, or
 * comes after the budget is spent stays a link: the entry is ingested
 * all the same, and the log says why.
 */
void mb_feeds__media(struct mb_store *st, const struct mb_feed_source *s,
    json_t *item, mb_feeds_media_fn fn, void *arg,
    struct mb_feeds__left *left);

#endif
