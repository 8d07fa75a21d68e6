/* SPDX-License-Identifier: MIT */
/* Text forms of keys and signatures: base58-btc, base64url, did:key. */
#ifndef MB_SIGNED_MULTIBASE_H
#define MB_SIGNED_MULTIBASE_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"
#include "item/key.h"

/*
 * Longest base58 text the decoder takes. Base58 decoding is quadratic in
 * the length; every value here (keys, signatures) is under 100 characters,
 * so a hostile megabyte of '2's is refused before any work is done.
 */
#define MB_BASE58_MAX 256

/* Appends the base58-btc (Bitcoin alphabet) form of in[0..n) to out. */
int mb_base58_encode(const uint8_t *in, size_t n, struct mb_buf *out);

/*
 * Decodes base58-btc text s[0..len) into out (cap bytes), leading '1's
 * giving leading zero bytes. MB_ERR_INVAL for a character outside the
 * alphabet or a result longer than cap, MB_ERR_TOOBIG over MB_BASE58_MAX.
 */
int mb_base58_decode(const char *s, size_t len, uint8_t *out, size_t cap,
    size_t *outlen);

/* Appends base64url without padding (RFC 4648 §5) of in[0..n) to out. */
int mb_b64url_encode(const uint8_t *in, size_t n, struct mb_buf *out);

/*
 * Decodes base64url without padding; '=' padding, whitespace and the
 * standard alphabet's '+' and '/' are refused (one text, one meaning).
 */
int mb_b64url_decode(const char *s, size_t len, uint8_t *out, size_t cap,
    size_t *outlen);

/*
 * did:key for an Ed25519 public key (W3C did:key method, multicodec
 * ed25519-pub 0xed 0x01 in front of the key, base58-btc with the
 * multibase prefix 'z'): "did:key:z6Mk..." is 56 characters.
 */
#define MB_DIDKEY_LEN 64
void mb_didkey_format(const uint8_t pk[MB_PUBKEY_LEN],
    char out[MB_DIDKEY_LEN]);

/*
 * The verification method of that key: "did:key:z6Mk...#z6Mk...", the
 * form Data Integrity proofs name.
 */
#define MB_DIDKEY_VM_LEN 128
void mb_didkey_vm(const uint8_t pk[MB_PUBKEY_LEN],
    char out[MB_DIDKEY_VM_LEN]);

/*
 * Reads the Ed25519 key from "did:key:z6Mk..." or "did:key:z6Mk...#z6Mk..."
 * (the fragment, when there, must repeat the key). MB_ERR_INVAL names
 * what is wrong; MB_ERR_UNSUPPORTED for a did:key of another key type.
 */
int mb_didkey_parse(const char *s, uint8_t pk[MB_PUBKEY_LEN],
    struct mb_diag *d);

/*
 * A public key as an operator gives one: "ed25519:<base64>" as
 * `mediabridge key` prints it (mb_pubkey_parse), or a did:key.
 */
int mb_key_parse_any(const char *s, uint8_t pk[MB_PUBKEY_LEN],
    struct mb_diag *d);

#endif
