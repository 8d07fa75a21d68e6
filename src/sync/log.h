/* SPDX-License-Identifier: MIT */
/* The serving side of the log: building responses, waking long-polls, compression. */
#ifndef MB_SYNC_LOG_H
#define MB_SYNC_LOG_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"
#include "store/store.h"

/*
 * The body of GET /federation/v1/log for a member center: the versions
 * after after, at most limit of them looked at, one line each
 * ({"seq":N,"envelope":{...}}), internal ones left out (they never leave
 * their center). For peer (a center id; NULL: nobody in particular) the
 * versions it sent here or signed itself are left out too: it has them
 * (split horizon, as INN's Path). *next is the last seq looked at
 * (after, when none): the caller's next cursor. *count counts the lines.
 */
int mb_sync_log_build(struct mb_store *st, const char *peer, int64_t after,
    int64_t limit, struct mb_buf *body, int64_t *next, size_t *count,
    struct mb_diag *d);

/* The store's last seq (0 when empty). */
int64_t mb_sync_log_last(struct mb_store *st);

/*
 * Long-poll: the log grew (anything that appends in this process calls
 * it). Cheap; thread-safe.
 */
void mb_sync_log_notify(void);

/*
 * Waits until mb_sync_log_notify() is called or timeout_ms pass (at most
 * 100 ms per call, so that a waiter also sees other processes' writes by
 * looking at the store again). Returns at once when the log has grown
 * since *gen was read; *gen is updated. Start with *gen = 0.
 */
void mb_sync_log_wait(uint64_t *gen, int timeout_ms);

/*
 * Compresses body for a client that sent accept (the Accept-Encoding
 * header, may be NULL): zstd, else gzip, else nothing. *encoding is
 * "zstd", "gzip" or NULL (out is then left empty: send body).
 */
int mb_sync_compress(const char *accept, const void *body, size_t len,
    struct mb_buf *out, const char **encoding);

#endif
