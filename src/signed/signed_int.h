/* SPDX-License-Identifier: MIT */
/* What the files of signed/ share and nobody else needs. */
#ifndef MB_SIGNED_SIGNED_INT_H
#define MB_SIGNED_SIGNED_INT_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "base/buf.h"
#include "base/err.h"
#include "item/key.h"
#include "signed/verdict.h"

/*
 * Sets *why (when not NULL) to v and the diagnostic from fmt; returns
 * err, so that a verifier can end with `return mb_signed__refuse(...)`.
 */
int mb_signed__refuse(enum mb_verdict *why, enum mb_verdict v,
    struct mb_diag *d, int err, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));


/*
 * Sets o[name] to the string v (when v is not NULL). MB_ERR_INVAL with
 * "<name>: not valid UTF-8" when jansson refuses the text.
 */
int mb_signed__set_str(json_t *o, const char *name, const char *v,
    struct mb_diag *d);

/* Sets o[name] to the date-time of ms, to the second. */
int mb_signed__set_time(json_t *o, const char *name, int64_t ms);

/* A string member of o, or NULL. */
const char *mb_signed__str(const json_t *o, const char *name);

/* True when v is s, or an array holding s. */
int mb_signed__has(const json_t *v, const char *s);

/*
 * Checks validFrom and validUntil of a credential at now_ms (0: now):
 * NOT_YET_VALID or EXPIRED; MALFORMED for a date-time that is not one
 * or a missing validFrom. what names the artefact in the message.
 */
int mb_signed__check_validity(const json_t *doc, int64_t now_ms,
    const char *what, enum mb_verdict *why, struct mb_diag *d);

/* Reads text as a JSON object (duplicates refused, at most max bytes). */
int mb_signed__parse(const char *buf, size_t len, size_t max, json_t **out,
    enum mb_verdict *why, struct mb_diag *d);

/*
 * The compact binary codec of tickets and revocation lists. An id field
 * is one byte n (1..64) and n bytes of text, or 0x80 and 16 bytes: a
 * minted local id (26 Crockford base32 digits, lower case) packed into
 * 128 bits. A center field is n (0..32) and n bytes; 0 means "the same
 * as the issuer". Integers are big-endian.
 */
struct mb_signed__rd {
	const uint8_t	*p;
	size_t		 n;
	size_t		 off;
};

#define MB_SIGNED__PACKED 0x80

int mb_signed__put_id(struct mb_buf *b, const char *id);
int mb_signed__put_center(struct mb_buf *b, const char *center);
int mb_signed__put_u32(struct mb_buf *b, uint32_t v);
/* MB_OK or MB_ERR_INVAL (the message names what, for the caller). */
int mb_signed__get_id(struct mb_signed__rd *r, char out[65]);
int mb_signed__get_center(struct mb_signed__rd *r, char out[33]);
int mb_signed__get_u32(struct mb_signed__rd *r, uint32_t *v);

/*
 * Splits "<PREFIX>" + base64url text (white space around it allowed) into
 * body and signature: out gets the decoded bytes (the caller frees it),
 * *bodylen the length before the 64-byte signature. prefix is "MBT1:" or
 * "MBR1:"; another digit there is MB_ERR_UNSUPPORTED.
 */
int mb_signed__unwrap(const char *text, size_t len, const char *prefix,
    size_t max, uint8_t **out, size_t *bodylen, struct mb_diag *d);

/*
 * Signs tag || body with k (MB_SIGN_COMPACT: in serve, by the signer
 * parent, which may refuse) and appends prefix, base64url(body || sig).
 */
int mb_signed__wrap(const char *prefix, const char *tag,
    const struct mb_buf *body, const struct mb_key *k, struct mb_buf *out,
    struct mb_diag *d);

/* True when sig is pk's signature of tag || body. */
int mb_signed__check(const char *tag, const uint8_t *body, size_t n,
    const uint8_t *sig, const uint8_t *pk);

#endif
