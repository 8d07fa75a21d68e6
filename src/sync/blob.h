/* SPDX-License-Identifier: MIT */
/* Media blobs by content hash: where they live, checking them, fetching them. */
#ifndef MB_SYNC_BLOB_H
#define MB_SYNC_BLOB_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/blobpath.h"
#include "base/err.h"
#include "center/center.h"
#include "httpc/httpc.h"


/* mb_blob_path in the node's data directory. */
int mb_sync_blob_path(const struct mb_conf *c, const char *hash, char *out,
    size_t n);

/* MB_OK when the file at path hashes to hash; MB_ERR_CORRUPT if not. */
int mb_sync_blob_check(const char *path, const char *hash,
    struct mb_diag *d);

/*
 * Watching a fetch as it goes: a reader following a video while it is
 * fetched (blob_live.h). The hooks are called from the fetching thread.
 */
struct mb_sync_blob_watch {
	/* The blob's size as the item says; -1: unknown. A body past it
	 * is refused, and the .part removed. */
	int64_t	expect;
	/*
	 * The center answered with the body: the .part keeps its first
	 * kept bytes (a resumed fetch; 0 when it starts again) and grows
	 * from there; total is the blob's size (-1: unknown).
	 */
	void	(*begin)(void *arg, int64_t kept, int64_t total);
	/* The .part now holds have bytes, written: a read sees them. */
	void	(*grew)(void *arg, int64_t have);
	void	*arg;
	/* Set (any thread): the transfer gives up. NULL: never. */
	atomic_int *stop;
};

/*
 * Fetches blob hash from the center at base (GET /federation/v1/blobs/,
 * signed), resuming a partial download with Range, checks it against the
 * hash and only then moves it into place. A blob already here is kept.
 * *answered (may be NULL; left alone otherwise) is set when base gave an
 * HTTP answer, whatever its status: a failure without one is the link's
 * or the center's, not the blob's.
 */
int mb_sync_blob_fetch(const struct mb_center_node *n, const char *base,
    const char *hash, bool *answered, struct mb_diag *d);

/*
 * mb_sync_blob_fetch, one at a time per blob in this process: the
 * exchange resumes into DIR/blobs/.../<hash>.part, which two fetches of
 * the same blob (the fetcher and a reader's request, or two readers)
 * must not share. A second asker of the same blob waits, then finds it
 * there. Fetches of different blobs run side by side, at most four at
 * once; a fetch with no watch (the media fetcher's) gives way to a
 * reader's that waits for it. arg is the node: the shape of media's
 * fetch callback.
 *
 * It backs off as the puller does, for every asker alike (the media
 * poller, a reader's request): a center that gave no answer is not asked
 * again for 2 s, doubling to 10 min, whatever the blob; a blob that
 * failed otherwise (not there, corrupt) waits the same way on its own.
 * A transfer cut after some of its bytes came (a link that drops) backs
 * off neither: the blob's next try, resumed, comes 2 s later.
 * Meanwhile MB_ERR_AGAIN, without connecting, d saying until when. A
 * center's failing and recovering are logged once each.
 */
int mb_sync_blob_fetch_serial(void *arg, const char *base, const char *hash,
    struct mb_diag *d);

/*
 * mb_sync_blob_fetch_serial over a link with a cap of max_rate bytes a
 * second (0: none). Readers' fetches from one base with a cap share it
 * (one httpc line per base), so the link never carries more than it;
 * the media fetcher's (w NULL) does not share with readers: it waits,
 * or gives way. A fetch waiting for its turn gives up (MB_ERR_AGAIN)
 * once w's stop is set. *wire (may be NULL) adds the bytes that came;
 * w (may be NULL) watches the transfer.
 */
int mb_sync_blob_fetch_capped(const struct mb_center_node *n,
    const char *base, const char *hash, int64_t max_rate, int64_t *wire,
    const struct mb_sync_blob_watch *w, struct mb_diag *d);

/*
 * Text goes first: a batch of the log is coming from base over its
 * capped link (the puller says so at its answer's headers) until the
 * matching mb_sync_blob_text_end. Meanwhile the background fetcher's
 * transfers from base give way (stopped, their .part kept) and none
 * starts; readers' fetches share the link with the text (link.h).
 */
void mb_sync_blob_text_begin(const char *base);
void mb_sync_blob_text_end(const char *base);

/*
 * For the process's end (serve's stop): the background fetcher's
 * transfers stop now (their .part kept), as do fetches waiting for
 * their turn, and every fetch asked from now on answers MB_ERR_AGAIN.
 * A reader's fetch stops through its own watch (blob_live.h).
 */
void mb_sync_blob_stop_all(void);

/* Fetches may be asked again: a server started again in this process. */
void mb_sync_blob_start_all(void);

/*
 * mb_sync_blob_fetch with a cap (line: shared with the link's other
 * transfers; may be NULL), a count and a watch (blob_fetch.c; for
 * blob.c). The body goes to DIR/blobs/.../<hash>.part as it arrives,
 * never whole in memory; a transfer cut short leaves the .part for the
 * next try to resume from; a body longer than w->expect, or whose
 * hash is not hash, leaves nothing (MB_ERR_CORRUPT). *progressed (may be
 * NULL; left alone otherwise) is set, with *answered, when a transfer
 * cut short had written bytes to the .part first.
 */
int mb_sync__blob_fetch(const struct mb_center_node *n, const char *base,
    const char *hash, int64_t max_rate, struct mb_httpc_line *line,
    int64_t *wire, bool *answered, bool *progressed,
    const struct mb_sync_blob_watch *w, struct mb_diag *d);

#endif
