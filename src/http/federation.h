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

/*
 * Checks a federation request's RFC 9421 signature (and its body's
 * Content-Digest) against the registry's active members; caller gets
 * the center's id. On failure answers 401 or 403 and returns false.
 * query is the canonical query the signature covers (NULL: none).
 */
struct mb_req;
bool mb_http_federation_signed(struct mb_req *r, const char *query,
    char caller[33]);

/* Appends the exchange's lines of /metrics (Prometheus text). */
int mb_http_federation_metrics(struct mb_store *st, struct mb_buf *out);

#endif
