/* SPDX-License-Identifier: MIT */
/* A pulled batch: framing, verification with the origin's key, one-transaction apply. */
#ifndef MB_SYNC_APPLY_H
#define MB_SYNC_APPLY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"
#include "store/store.h"

/*
 * The log's wire form (docs/protocol.md), one line per version:
 *   {"seq":123,"envelope":{...the stored envelope, verbatim...}}\n
 * A batch is parsed (framing only), verified (CPU only, in parallel over
 * disjoint ranges) and applied (one store transaction with the peer's
 * cursor).
 */

/*
 * The keys and status of every center the store knows, read once, with
 * the registry version they were read at (read first: a registry that
 * changes meanwhile makes the snapshot look older, never newer).
 * Reference-counted, so that a batch verified ahead in another thread
 * can hold the snapshot it used; read-only once loaded.
 */
struct mb_sync_keyring;

int mb_sync_keyring_load(struct mb_store *st, struct mb_sync_keyring **out,
    struct mb_diag *d);
struct mb_sync_keyring *mb_sync_keyring_ref(struct mb_sync_keyring *kr);
/* Drops a reference; the last one frees it. NULL is fine. */
void mb_sync_keyring_free(struct mb_sync_keyring *kr);
int64_t mb_sync_keyring_version(const struct mb_sync_keyring *kr);
/*
 * Sets c's key and status in kr (added when kr lacks it), as applying a
 * registry that lists c would: only for a keyring not yet shared (bundle
 * import checks a bundle's versions against the registry it brings
 * before storing either).
 */
int mb_sync_keyring_put(struct mb_sync_keyring *kr,
    const struct mb_center *c);

struct mb_sync_batch;

/*
 * Splits a log body into entries. The body is borrowed and must outlive
 * the batch. MB_ERR_INVAL when the framing is broken (a bad peer or a
 * bad transfer: nothing of it is applied).
 */
int mb_sync_batch_parse(const char *body, size_t len,
    struct mb_sync_batch **out, struct mb_diag *d);
void mb_sync_batch_free(struct mb_sync_batch *b);
size_t mb_sync_batch_count(const struct mb_sync_batch *b);

/*
 * Checks entries [from, to): the envelope's form, its uri belonging to
 * its origin, the origin known and not revoked, and the origin's
 * signature. Thread-safe for disjoint ranges.
 */
void mb_sync_batch_verify(struct mb_sync_batch *b,
    const struct mb_sync_keyring *kr, size_t from, size_t to);

/*
 * Forgets every verdict, so that the batch can be verified again (with
 * a newer keyring than the one it was verified ahead with).
 */
void mb_sync_batch_unverify(struct mb_sync_batch *b);

struct mb_sync_apply_result {
	int64_t	applied;	/* new (uri, version)s stored */
	int64_t	duplicates;	/* already here */
	int64_t	refused;	/* forged, tampered, revoked origin, ... */
	int64_t	cursor;		/* the peer's cursor after this batch */
	char	unknown_origin[33]; /* stopped before an unknown origin */
};

/*
 * In one transaction: stores every verified entry that is new (queued
 * for the search index), counts refusals (each logged) and moves the
 * peer's cursor to next (the log position the peer said the batch ends
 * at). An entry from an origin this node does not know yet stops the
 * batch just before it (the registry is probably behind): the cursor
 * stops there too and r->unknown_origin names it.
 */
int mb_sync_batch_apply(struct mb_store *st, struct mb_sync_batch *b,
    const char *peer, int64_t next, struct mb_sync_apply_result *r,
    struct mb_diag *d);

/* The first origin verification found unknown here, or NULL. */
const char *mb_sync_batch_unknown(const struct mb_sync_batch *b);

/*
 * The first entry verification refused (*seq: its seq) and why, or NULL.
 * A version of a revoked origin is not one: the log still serves what
 * that center signed before, and a pull skips it (counted refused)
 * without stopping, so an importer must too.
 */
const char *mb_sync_batch_refused(const struct mb_sync_batch *b,
    int64_t *seq);

/*
 * As mb_sync_batch_apply, for versions that came another way than a
 * pull (offline bundles): via names where they came from (the log served
 * to it leaves them out); no peer's cursor moves. A batch with an entry
 * from an unknown origin is refused whole, before anything is stored.
 */
int mb_sync_batch_apply_from(struct mb_store *st, struct mb_sync_batch *b,
    const char *via, struct mb_sync_apply_result *r, struct mb_diag *d);

/*
 * A puller of this process has more waiting at its peer than the batch
 * in hand (delta +1), or no longer (-1).
 */
void mb_sync_backlog_add(int delta);

/* True while a batch is being applied in this process. */
bool mb_sync_applying(void);

/*
 * Whether background work on the store (the search and media indexes)
 * should wait for the exchange now, last_ms being when it last ran
 * (mb_time_mono_ms()): while a batch is being applied or a puller is
 * catching up, until it has waited MB_SYNC_DEFER_MAX_MS, so that the
 * exchange has the write lock and the CPU in bulk but a long catch-up
 * never starves search (the indexer's transaction then waits for the
 * batch being applied, as any writer does).
 */
#define MB_SYNC_DEFER_MAX_MS 3000
bool mb_sync_defer(int64_t last_ms);

#endif
