/* SPDX-License-Identifier: MIT */
/* A blob fetched while readers wait for it: one fetch per blob, followed by its readers as its .part grows. */
#ifndef MB_SYNC_BLOB_LIVE_H
#define MB_SYNC_BLOB_LIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "base/err.h"
#include "sync/blob.h"

/*
 * A reader asks for a video this center has not fetched yet. Rather
 * than wait for the whole of it, the reader joins the blob's one fetch
 * (started by the first reader, in a thread of its own) and is given
 * its bytes from the .part file as they arrive: a player on a slow link
 * starts playing at once, and a second reader (or the same player's
 * next Range request) costs the origin nothing more.
 *
 * The bytes a reader gets are checked only when the whole blob is here
 * (its hash): so the last byte of every answer waits for that check,
 * and when it fails (or the fetch does) the reader's answer is cut,
 * never completed wrong. Nothing of a failed blob is kept (blob.h).
 *
 * Wake-ups are callbacks (the HTTP layer parks the request and resumes
 * it): they are called once, from the fetching thread, under this
 * module's lock: a callback only marks its request runnable.
 */
struct mb_blob_live;

/*
 * What the fetch runs in its thread: fetches hash (from the origin, then
 * the peers), handing w to mb_sync_blob_fetch_link(), and records it
 * once here. arg is the one given to mb_blob_live_join (it must outlive
 * every fetch: the node).
 */
typedef int (*mb_blob_live_fn)(void *arg, const char *hash,
    const struct mb_sync_blob_watch *w, struct mb_diag *d);

enum mb_blob_live_state {
	MB_BLOB_LIVE_STARTING,	/* no answer yet */
	MB_BLOB_LIVE_FLOWING,	/* the .part fills */
	MB_BLOB_LIVE_DONE,	/* here, checked */
	MB_BLOB_LIVE_FAILED	/* not fetched; rc and msg say why */
};

struct mb_blob_live_view {
	enum mb_blob_live_state	state;
	int64_t			total;	/* the blob's size; -1: unknown */
	int64_t			have;	/* bytes in the .part */
	unsigned		epoch;	/* moves when the .part starts again */
	int			rc;	/* FAILED: MB_ERR_AGAIN when backing off */
	char			msg[256];
};

/*
 * Joins the fetch of hash under way in this process, or starts one
 * (expect: the blob's size as the item says, -1 unknown; dir: the
 * center's data directory). *out is a reference: mb_blob_live_release.
 * MB_ERR_AGAIN while shutting down.
 */
int mb_blob_live_join(const char *dir, const char *hash, int64_t expect,
    mb_blob_live_fn fn, void *arg, struct mb_blob_live **out,
    struct mb_diag *d);

/* Forgets token's wake-up (below) and drops the reference. NULL: no-op. */
void mb_blob_live_release(struct mb_blob_live *l, void *token);

/*
 * Where the fetch stands, in *v. While it has not begun (STARTING),
 * registers wake(token), called once when that changes, and returns
 * true: the caller waits for it.
 */
bool mb_blob_live_wait_start(struct mb_blob_live *l,
    struct mb_blob_live_view *v, void (*wake)(void *), void *token);

/* The blob's bytes as they come, for one answer: [from, last]. */
struct mb_blob_live_reader {
	struct mb_blob_live	*l;	/* borrowed */
	int			 fd;	/* the .part (or the blob), -1 */
	int64_t			 from, last;
	int64_t			 total;	/* as the answer said */
	unsigned		 epoch;
	bool			 sent;
};

/*
 * Opens the .part (or the blob, once in place) for an answer of bytes
 * from..last of a blob of total bytes (the view's).
 */
int mb_blob_live_reader_open(struct mb_blob_live *l,
    const struct mb_blob_live_view *v, int64_t from, int64_t last,
    struct mb_blob_live_reader *rd, struct mb_diag *d);
void mb_blob_live_reader_close(struct mb_blob_live_reader *rd);

/*
 * Up to max bytes at pos (from <= pos <= last) into buf: how many; 0
 * when none are here yet (wake(token) is then registered, called once
 * when more come); -1 when the answer must be cut (the fetch failed,
 * the blob did not match its hash, or the .part started again under
 * bytes already sent). The last byte comes only once the blob is
 * checked.
 */
ssize_t mb_blob_live_read(struct mb_blob_live_reader *rd, int64_t pos,
    char *buf, size_t max, void (*wake)(void *), void *token);

/*
 * Shutting down: new joins are refused, the fetches under way give up,
 * and this returns once their threads are done (waiting 5 s at most).
 */
void mb_blob_live_shutdown(void);

#endif
