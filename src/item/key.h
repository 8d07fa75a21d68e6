/* SPDX-License-Identifier: MIT */
/* A center's Ed25519 key pair, public keys in text form, signatures. */
#ifndef MB_ITEM_KEY_H
#define MB_ITEM_KEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

#define MB_PUBKEY_LEN 32
#define MB_SIG_LEN 64
/* "ed25519:" and 44 characters of base64, and a NUL. */
#define MB_PUBKEY_TEXT_LEN 56
/* 64 bytes of signature in base64 (88 characters) and a NUL. */
#define MB_SIG_TEXT_LEN 89

/* A secret key; kept in sodium_malloc'd memory, wiped when freed. */
struct mb_key;

/* Makes a new random key pair. */
int mb_key_generate(struct mb_key **out);

/*
 * Loads a secret key file. Refuses (MB_ERR_PERM) a file that group or
 * others may read or write, naming the mode and the fix.
 */
int mb_key_load(const char *path, struct mb_key **out, struct mb_diag *d);

/* Writes the secret key atomically, mode 0600. */
int mb_key_save(const struct mb_key *k, const char *path, struct mb_diag *d);

void mb_key_free(struct mb_key *k);

/* The public half. */
void mb_key_public(const struct mb_key *k, uint8_t pk[MB_PUBKEY_LEN]);

/* Signs msg: a detached 64-byte Ed25519 signature. */
void mb_key_sign(const struct mb_key *k, const void *msg, size_t len,
    uint8_t sig[MB_SIG_LEN]);

/* True when sig is pk's signature of msg. */
bool mb_sig_verify(const uint8_t pk[MB_PUBKEY_LEN], const void *msg,
    size_t len, const uint8_t sig[MB_SIG_LEN]);

/* "ed25519:<base64>", the form `key` prints and `--hq-key` takes. */
void mb_pubkey_format(const uint8_t pk[MB_PUBKEY_LEN],
    char out[MB_PUBKEY_TEXT_LEN]);
int mb_pubkey_parse(const char *s, uint8_t pk[MB_PUBKEY_LEN],
    struct mb_diag *d);

/* Standard base64 with padding, as envelopes carry signatures. */
void mb_sig_format(const uint8_t sig[MB_SIG_LEN], char out[MB_SIG_TEXT_LEN]);
int mb_sig_parse(const char *s, uint8_t sig[MB_SIG_LEN]);

#endif
