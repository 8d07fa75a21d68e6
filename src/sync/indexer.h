/* SPDX-License-Identifier: MIT */
/* The indexer thread: the search index follows the log, off the exchange's path. */
#ifndef MB_SYNC_INDEXER_H
#define MB_SYNC_INDEXER_H

#include "base/err.h"
#include "center/center.h"

/*
 * Pulled versions are stored with their text left for later (queued in
 * the store); this thread indexes the queue in small transactions, so
 * that applying a batch never waits on the full-text index (ANCHORS.md:
 * FTS is 92% of an insert's cost) and the lag stays bounded.
 */
struct mb_sync_indexer;

int mb_sync_indexer_start(const struct mb_center_node *n,
    struct mb_sync_indexer **out, struct mb_diag *d);
/* Stops after the current transaction; NULL is a no-op. */
void mb_sync_indexer_stop(struct mb_sync_indexer *ix);

/* Indexes everything queued now (one thread; `sync --once`, tests). */
int mb_sync_index_all(struct mb_store *st, struct mb_diag *d);

#endif
