/* SPDX-License-Identifier: MIT */
/* Other processes' commits wake this one: store notices to long-polls and the cache. */
#ifndef MB_SERVE_NOTICES_H
#define MB_SERVE_NOTICES_H

#include "base/err.h"
#include "center/center.h"
#include "http/server.h"

/*
 * Starts a thread that listens for the store's change notices (PostgreSQL
 * LISTEN/NOTIFY: every commit that appends to the log, by any process on
 * the database) and on each has the server look at the log at once
 * (mb_http_recheck), so that long-polls parked here wake and the response
 * cache drops what another process made stale, within milliseconds. On SQLite there are no notices and
 * nothing starts (the server's once-a-second look at the log covers other
 * processes). n and s are borrowed until mb_serve_notices_stop().
 */
int mb_serve_notices_start(const struct mb_center_node *n,
    struct mb_http_server *s, struct mb_diag *d);
void mb_serve_notices_stop(void);

#endif
