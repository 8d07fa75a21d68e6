/* SPDX-License-Identifier: MIT */
/* The registry: HQ's signed list of member centers, built, served and applied. */
#ifndef MB_SYNC_REGISTRY_H
#define MB_SYNC_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"
#include "center/center.h"
#include "store/store.h"

/*
 * The document (docs/protocol.md):
 *   {"registry": {"version": 7, "issued": "2026-11-29T14:27:11Z",
 *                 "hq": "moscow",
 *                 "centers": [{"id", "name", "country", "languages": [..],
 *                              "url", "key": "ed25519:..", "role",
 *                              "status"}, ...]},
 *    "signature": "<base64 Ed25519 of JCS(registry) by HQ's key>"}
 * Versions only grow; a node keeps the newest it verified.
 */

/*
 * HQ: builds a new version from the centers table (the stored version
 * plus one), signs it with HQ's key and stores it. *version may be NULL.
 */
int mb_sync_registry_publish(struct mb_store *st,
    const struct mb_center_node *n, int64_t *version, struct mb_diag *d);

/*
 * HQ: admits c (a new center, or new details of one) and publishes the
 * registry. MB_ERR_INVAL for HQ's own id; MB_ERR_PERM, with why, for a
 * key that was revoked (under c's id or any other, now or before a
 * replacement: a stolen key never comes back under a new name) or that
 * another center holds (two centers would sign as one). Nothing is
 * stored then.
 */
int mb_sync_registry_admit(struct mb_store *st,
    const struct mb_center_node *n, const struct mb_center *c,
    int64_t *version, struct mb_diag *d);

/*
 * The document this node serves (appended to doc) and its version: the
 * stored one; HQ publishes one first when it has none. MB_ERR_NOTFOUND
 * on a branch that has not fetched one yet.
 */
int mb_sync_registry_current(struct mb_store *st,
    const struct mb_center_node *n, struct mb_buf *doc, int64_t *version,
    struct mb_diag *d);

/*
 * Checks a document's form and HQ's signature with pk; on success
 * *version is its version. cb (may be NULL) then sees each center.
 */
int mb_sync_registry_verify(const char *doc, size_t len,
    const uint8_t pk[MB_PUBKEY_LEN], int64_t *version,
    int (*cb)(const struct mb_center *c, void *arg), void *arg,
    struct mb_diag *d);

/*
 * A branch: verifies doc with the pinned HQ key (mediabridge.conf [hq]
 * key) and, when it is newer than the stored one, stores it and applies
 * its centers to the centers table in one transaction (this center's
 * own row is left alone). *applied says whether it was newer.
 * MB_ERR_SIG when HQ did not sign it.
 */
int mb_sync_registry_apply(struct mb_store *st,
    const struct mb_center_node *n, const char *doc, size_t len,
    bool *applied, struct mb_diag *d);

/*
 * The wire dictionary a (verified) registry document names (dict.h):
 * MB_ERR_NOTFOUND when it names none.
 */
int mb_sync_registry_dict(const char *doc, size_t len, int64_t *version,
    char hash[65]);

/* The version of the registry stored here, 0 when none. */
int64_t mb_sync_registry_version(struct mb_store *st);

#endif
