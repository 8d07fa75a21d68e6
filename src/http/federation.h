/* SPDX-License-Identifier: MIT */
/* The exchange's endpoints' view of the running puller, attached by the serve assembly. */
#ifndef MB_HTTP_FEDERATION_H
#define MB_HTTP_FEDERATION_H

#include "base/buf.h"
#include "store/store.h"
#include "sync/blob.h"
#include "sync/puller.h"

struct mb_http_server;

/*
 * The running exchange whose figures /metrics shows (the serve assembly
 * attaches it after starting it, and NULL before stopping it).
 */
void mb_http_federation_attach(struct mb_sync *s);

/* Appends the exchange's lines of /metrics (Prometheus text). */
int mb_http_federation_metrics(struct mb_store *st, struct mb_buf *out);

#endif
