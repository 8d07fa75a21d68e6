/* SPDX-License-Identifier: MIT */
/* The envelope: a ninjs item, mediabridge's meta, and the origin's signature. */
#ifndef MB_ITEM_ENVELOPE_H
#define MB_ITEM_ENVELOPE_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "base/buf.h"
#include "base/err.h"
#include "item/id.h"
#include "item/key.h"

/*
 * Wire form (DESIGN §4), always written as RFC 8785 canonical JSON:
 *   {"item": {...ninjs...},
 *    "meta": {"origin": "cairo", "audience": "public", ...},
 *    "signature": "<base64 Ed25519 over JCS({item, meta})>"}
 * The origin signs; any node verifies with the origin's key.
 */
struct mb_envelope;

/* Largest envelope accepted from anywhere. */
#define MB_ENVELOPE_MAX (4u * 1024 * 1024)

/* Facts read off a checked envelope. Strings are borrowed from it. */
struct mb_item_info {
	const char	*uri;
	char		 center[MB_CENTER_MAX + 1];
	char		 local[MB_LOCAL_MAX + 1];
	int64_t		 version;
	const char	*origin;
	const char	*audience;	/* public, network, internal */
	const char	*pub_status;	/* usable, withheld, canceled */
	const char	*workflow;	/* draft, submitted, published */
	const char	*language;	/* NULL when the item has none */
	const char	*type;		/* NULL when the item has none */
	const char	*profile;	/* NULL when the item has none */
	const char	*headline;	/* the first headline, or NULL */
	int64_t		 embargo_ms;	/* embargoedUntil, or 0 */
	int64_t		 created_ms;	/* versionCreated */
	int64_t		 first_ms;	/* firstCreated, else versionCreated */
};

/*
 * Checks an item against ninjs 3.1 and mediabridge's own rules: a uri
 * urn:mediabridge:<center>:<local>, a version "1", "2", ... and a
 * versionCreated date-time. The diagnostic names the field.
 */
int mb_item_check(const json_t *item, struct mb_diag *d);

/*
 * Parses an envelope from the wire and checks item, meta and the form of
 * the signature; does not verify the signature (see
 * mb_envelope_verify). Duplicate member names are refused.
 */
int mb_envelope_parse(const char *buf, size_t len, struct mb_envelope **out,
    struct mb_diag *d);

/* The same, from a parsed JSON value (stolen, also on failure). */
int mb_envelope_from_json(json_t *root, struct mb_envelope **out,
    struct mb_diag *d);

/*
 * Makes an unsigned envelope from an item and its meta. Both references
 * are stolen, also on failure. Checks both.
 */
int mb_envelope_new(json_t *item, json_t *meta, struct mb_envelope **out,
    struct mb_diag *d);

void mb_envelope_free(struct mb_envelope *e);

/* Signs (or signs again) with the origin's key. */
int mb_envelope_sign(struct mb_envelope *e, const struct mb_key *k,
    struct mb_diag *d);

/* MB_OK when the signature is pk's over JCS({item, meta}); else MB_ERR_SIG. */
int mb_envelope_verify(const struct mb_envelope *e,
    const uint8_t pk[MB_PUBKEY_LEN], struct mb_diag *d);

/* Appends JCS({item, meta}): the bytes the signature is over. */
int mb_envelope_signed_bytes(const struct mb_envelope *e, struct mb_buf *out,
    struct mb_diag *d);

/* Appends the wire form (canonical JSON) of a signed envelope. */
int mb_envelope_dump(const struct mb_envelope *e, struct mb_buf *out,
    struct mb_diag *d);

/*
 * mb_envelope_sign() or mb_envelope_verify(), then mb_envelope_dump() to
 * out, canonicalizing once: the wire form is the signed bytes with the
 * signature added. On failure out may hold part of the form.
 */
int mb_envelope_sign_dump(struct mb_envelope *e, const struct mb_key *k,
    struct mb_buf *out, struct mb_diag *d);
int mb_envelope_verify_dump(const struct mb_envelope *e,
    const uint8_t pk[MB_PUBKEY_LEN], struct mb_buf *out, struct mb_diag *d);

/* Borrowed views; do not modify them. */
const json_t *mb_envelope_item(const struct mb_envelope *e);
const json_t *mb_envelope_meta(const struct mb_envelope *e);
const struct mb_item_info *mb_envelope_info(const struct mb_envelope *e);
bool mb_envelope_is_signed(const struct mb_envelope *e);

#endif
