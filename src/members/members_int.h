/* SPDX-License-Identifier: MIT */
/* Private to the members service: publishing own items, domain data in ninjs. */
#ifndef MB_MEMBERS_MEMBERS_INT_H
#define MB_MEMBERS_MEMBERS_INT_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "base/err.h"
#include "item/id.h"
#include "newsroom/items.h"

/*
 * A domain item (profile, proposal, tally) carries its structured data
 * as one entry of ninjs "descriptions": {"role": "mb:<kind>",
 * "contentType": "application/json", "value": "<JSON text>"}, so the
 * item stays plain ninjs 3.1 (which forbids fields of our own) and is
 * signed, exchanged and verified as any item is.
 */
#define MB_DOMAIN_TYPE "application/json"

/* Adds {"role": "mb:<kind>", ...} with data (borrowed) to item. */
int mb_members__set_data(json_t *item, const char *kind, const json_t *data);

/* The data of kind from an item (new reference), or NULL. */
json_t *mb_members__data(const json_t *item, const char *kind);

/* The item and meta of an envelope's text (new references). */
int mb_members__parse(const char *env, size_t len, json_t **item,
    json_t **meta, struct mb_diag *d);

/*
 * Signs item (stolen; its uri set, version and times filled here: the
 * next version after the stored one, firstCreated kept) with audience
 * and workflow, and stores it, in a transaction of its own. *version
 * (may be NULL) gets the version.
 */
int mb_members__publish(const struct mb_newsroom_env *e, json_t *item,
    const char *audience, const char *workflow, int64_t *version,
    struct mb_diag *d);

/*
 * Publishes the record's profile (its photo too) with the record's
 * audience; a record never published (internal) stays unpublished.
 */
struct mb_member;
int mb_members__publish_profile(const struct mb_newsroom_env *e,
    const struct mb_member *m, struct mb_diag *d);

/* True when s holds no markup character (< or >) and no control. */
bool mb_members__plain(const char *s);

#endif
