/* SPDX-License-Identifier: MIT */
/* Private to feeds/: an entry's media made this center's (media.c). */
#ifndef MB_FEEDS_FEEDS_INT_H
#define MB_FEEDS_FEEDS_INT_H

#include <jansson.h>

#include "feeds/feeds.h"

/*
 * Fetches the pictures, sounds and videos item's associations link to
 * (at most MB_FEEDS_MEDIA_PER_ENTRY, http or https, under the source's
 * address guard) and puts this center's renditions in their place, the
 * source's URL kept in the association's altIds. One that cannot be
 * fetched or is not a picture, sound or video the pipeline takes stays
 * a link: the entry is ingested all the same, and the log says why.
 */
void mb_feeds__media(struct mb_store *st, const struct mb_feed_source *s,
    json_t *item, mb_feeds_media_fn fn, void *arg);

#endif
