/* SPDX-License-Identifier: MIT */
/* Hooks between the exchange's endpoints and the running puller (for serve). */
#ifndef MB_HTTP_FEDERATION_H
#define MB_HTTP_FEDERATION_H

#include "base/buf.h"
#include "store/store.h"
#include "sync/blob.h"
#include "sync/puller.h"

struct mb_http_server;

/*
 * serve: starts the exchange beside the server (the pullers, which wake
 * the server's long-polls after each batch, and the indexer thread) and
 * stops it. Peers and their cursors persist, so a restart resumes.
 */
int mb_http_federation_start(const struct mb_center_node *n,
    struct mb_http_server *srv, struct mb_diag *d);
void mb_http_federation_stop(void);

/* Appends the exchange's lines of /metrics (Prometheus text). */
int mb_http_federation_metrics(struct mb_store *st, struct mb_buf *out);

#endif
