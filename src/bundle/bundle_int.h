/* SPDX-License-Identifier: MIT */
/* What the bundle module's files share: signed documents, hashes, names. */
#ifndef MB_BUNDLE_INT_H
#define MB_BUNDLE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "base/buf.h"
#include "base/err.h"
#include "item/key.h"

#define MB_BUNDLE_MANIFEST	"manifest.json"
#define MB_BUNDLE_REGISTRY	"registry.json"
#define MB_BUNDLE_LOG		"log.ndjson"
#define MB_BUNDLE_BLOBS		"blobs/"

/*
 * A signed document {"<kind>": body, "signature": "<base64>"}: the
 * signature is Ed25519 over JCS({"<kind>": body}), so that a manifest,
 * an ack, an envelope ({item, meta}) and a registry can never be taken
 * for one another. mb_bundle__sign steals body and appends the document
 * (JCS) to out.
 */
int mb_bundle__sign(const struct mb_key *k, const char *kind, json_t *body,
    struct mb_buf *out, struct mb_diag *d);
/*
 * Parses doc, checks it is {"<kind>": {...}, "signature"} and nothing
 * else, and sets *body (a new reference; the caller decrefs it). The
 * signature is not checked: mb_bundle__check does, once the signer's
 * key is known.
 */
int mb_bundle__open(const char *doc, size_t len, const char *kind,
    json_t **body, struct mb_diag *d);
/* Whether doc (a signed kind) carries pk's signature. */
int mb_bundle__check(const char *doc, size_t len, const char *kind,
    const uint8_t pk[MB_PUBKEY_LEN], struct mb_diag *d);

/*
 * Whether doc, laid out as mb_bundle__sign writes it, carries pk's
 * signature: checked on the bytes as they are, no tree built (doc is
 * written to and restored: one byte stands in for the message's end).
 * MB_ERR_INVAL when doc is not laid out so, MB_ERR_SIG when unsigned.
 */
int mb_bundle__check_raw(char *doc, size_t len, const char *kind,
    const uint8_t pk[MB_PUBKEY_LEN], struct mb_diag *d);
/*
 * The string member key of a signed doc's body (laid out as above),
 * found without a tree: only a plain string (no escapes) shorter than
 * n. MB_ERR_NOTFOUND when the body has no such member, MB_ERR_INVAL
 * when doc is not laid out so or the value is not such a string.
 */
int mb_bundle__peek(const char *doc, size_t len, const char *kind,
    const char *key, char *out, size_t n);

/* SHA-256 of data in lower-case hex. */
void mb_bundle__sha256(const void *data, size_t len, char hex[65]);

/* The string member key of o, or NULL when absent or not a string. */
const char *mb_bundle__str(const json_t *o, const char *key);
/* The integer member key of o into *v; false when absent or not one. */
bool mb_bundle__int(const json_t *o, const char *key, int64_t *v);
/* A center id as init takes it: [a-z][a-z0-9-]{0,31}. */
bool mb_bundle__center_ok(const char *id);

#endif
