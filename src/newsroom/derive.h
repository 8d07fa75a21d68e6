/* SPDX-License-Identifier: MIT */
/*
 * Items made from another item: the copy that picking up an item and a
 * machine translation both start from, so that what travels with an
 * item (its audience, its embargo, its rights) is kept in one place,
 * and picking up another center's item as a draft of this center.
 */
#ifndef MB_NEWSROOM_DERIVE_H
#define MB_NEWSROOM_DERIVE_H

#include <jansson.h>

#include "base/err.h"
#include "newsroom/items.h"

/*
 * Makes the original's item (a copy the caller owns) into a new item's:
 * its identity and times go (uri, version, versionCreated, firstCreated,
 * contentCreated), pubStatus is usable; everything else stays, the
 * rights (copyrightHolder, copyrightNotice, usageTerms) among it, and
 * embargoedUntil for an editor (an embargo is an editor's to set; any
 * other role sees no item still under one).
 */
void mb_newsroom_derive_item(json_t *item, const struct mb_actor *a);

/*
 * Picks up uri (another center's item, as the actor may see it) as a
 * new draft of this center: the original's item as
 * mb_newsroom_derive_item leaves it, a "source" association to uri
 * named credit (the origin's name; NULL: its id) added to its own, the
 * original's audience. MB_ERR_NOTFOUND (not there, or hidden from the
 * actor), MB_ERR_EXISTS with code "bad_transition" when the original is
 * not published and usable (a withheld or canceled item is not to be
 * republished), and the errors of mb_newsroom_create.
 */
int mb_newsroom_pickup(const struct mb_newsroom_env *e,
    const struct mb_actor *a, const char *uri, const char *credit,
    struct mb_nr_saved *out, struct mb_diag *d);

#endif
