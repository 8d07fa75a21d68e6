/* SPDX-License-Identifier: MIT */
/* Signing the translation client's requests to other centers' engines (mt's mb_mt_sign_fn, with the center's key). */
#ifndef MB_SERVE_MT_SIGNER_H
#define MB_SERVE_MT_SIGNER_H

#include <stddef.h>

#include "base/err.h"

struct mb_center_node;

/*
 * An mb_mt_sign_fn: arg is the center (const struct mb_center_node *).
 * Fills hdrs with "Host", "Signature-Input", "Signature" and, with a
 * body, "Content-Digest" lines (malloc'd), as the exchange signs its
 * requests (sync/httpsig.h).
 */
int mb_serve_mt_sign(void *arg, const char *method, const char *url,
    const char *body, size_t len, char *hdrs[6], struct mb_diag *d);

#endif
