/* SPDX-License-Identifier: MIT */
/* The puller: one thread per peer, fetching, verifying and applying its log. */
#ifndef MB_SYNC_PULLER_H
#define MB_SYNC_PULLER_H

#include <stdbool.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"
#include "center/center.h"
#include "store/store.h"

/*
 * Which peers: a branch pulls from HQ (mediabridge.conf [hq] url) and
 * from the peers added with `peer add`; HQ pulls from every active
 * center of the registry and its own added peers. Only active centers
 * are pulled from. The set is looked at again every rescan_ms, so that
 * `center add` or a new registry takes effect without a restart.
 */
struct mb_sync_opts {
	int	batch;		/* versions per request; 0: 1000 (once: 2000) */
	int	wait_s;		/* long-poll wait; 0: 20; -1: none */
	int	threads;	/* verifying threads; 0: one per core */
	int	backoff_min_ms;	/* first retry after a failure; 0: 250 */
	int	backoff_max_ms;	/* longest wait between retries; 0: 60000 */
	int	registry_s;	/* branches refetch the registry; 0: 60 */
	int	rescan_ms;	/* look at the set of peers; 0: 1000 */
	/*
	 * Merge the index's segments after each applied batch, a page for
	 * each item applied (serve: a catch-up then never leaves a commit
	 * one large merge that a newsroom save waits behind);
	 * false: left to the idle indexer and FTS5's crisis bound
	 * (`sync --once`; docs/search.md, "Segments and merges").
	 */
	bool	merge_as_applied;
	/* Called (any thread) after a batch added versions: long-polls. */
	void	(*on_applied)(void *arg);
	void	*on_applied_arg;
};

/*
 * The defaults, overridden by the environment where set (tests and
 * benchmarks): MB_SYNC_BATCH, MB_SYNC_WAIT, MB_SYNC_THREADS,
 * MB_SYNC_BACKOFF_MIN_MS, MB_SYNC_BACKOFF_MAX_MS, MB_SYNC_REGISTRY_S,
 * MB_SYNC_RESCAN_MS.
 */
void mb_sync_opts_default(struct mb_sync_opts *o);

/* The running exchange of one serve process. */
struct mb_sync;

/*
 * Starts the pullers (and the supervisor that keeps the set of peers
 * current) for node, which must outlive the returned handle.
 */
int mb_sync_start(const struct mb_center_node *n,
    const struct mb_sync_opts *o, struct mb_sync **out, struct mb_diag *d);
/* Stops every thread (a long-poll in flight is cut short); NULL is a no-op. */
void mb_sync_stop(struct mb_sync *s);

/* What `sync --once` did with one peer. */
struct mb_sync_result {
	char	center[33];
	int64_t	got;		/* versions applied */
	int64_t	refused;	/* versions refused (bad signature, ...) */
	int	rc;		/* MB_OK: caught up */
	char	error[256];	/* when rc != MB_OK: why */
};

/*
 * Pulls from every peer until each is caught up, then returns (`sync
 * --once`). A failing peer does not stop the others; MB_ERR_NET when any
 * failed (d names the first). *res (freed by the caller, may be NULL
 * with *nres 0) gets one result per peer, in the order they were pulled.
 */
int mb_sync_once(const struct mb_center_node *n,
    const struct mb_sync_opts *o, struct mb_sync_result **res,
    size_t *nres, struct mb_diag *d);

/*
 * The exchange's lines for /metrics (Prometheus text): per peer its
 * cursor, items received and refused, last success and failure, and
 * this process's counters. s may be NULL (nothing running: the stored
 * peer state only).
 */
int mb_sync_metrics(struct mb_sync *s, struct mb_store *st,
    struct mb_buf *out, struct mb_diag *d);

/*
 * The caller's view of one peer for `peer add`: GET URL/federation/v1/center
 * (unsigned); fills id (33 bytes) from the answer.
 */
int mb_sync_fetch_center_id(const char *url, char id[33], struct mb_diag *d);

/*
 * Builds the headers of a signed GET of url by this center, one per line
 * ("Signature-Input: ...\nSignature: ...\n"): for tests that replay.
 */
int mb_sync_sign_get(const struct mb_center_node *n, const char *url,
    struct mb_buf *out, struct mb_diag *d);

#endif
