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

/*
 * Signs msg: a detached 64-byte Ed25519 signature. Only with a key held
 * in this process (the CLI's commands); a key held by serve's signer
 * process signs only through mb_key_sign_as.
 */
void mb_key_sign(const struct mb_key *k, const void *msg, size_t len,
    uint8_t sig[MB_SIG_LEN]);

/*
 * What a signature is for: serve's signer (item/signer.h) checks that
 * msg is well-formed as that kind, and of this center, before signing.
 */
enum mb_sign_kind {
	MB_SIGN_ENVELOPE = 1,	/* JCS({item, meta}) of an own item */
	MB_SIGN_HTTPSIG = 2,	/* an RFC 9421 signature base, as keyid */
	MB_SIGN_REGISTRY = 3,	/* JCS of HQ's registry */
	MB_SIGN_COMPACT = 4,	/* "mediabridge <what> v<n>" NUL body: a
				 * ticket, a revocation list (signed/) */
	MB_SIGN_PROOF = 5	/* a Data Integrity hash: 64 bytes, two
				 * SHA-256 (signed/proof.c) */
};

/*
 * Signs msg as kind: here when the key is in this process, else by
 * asking the process that holds it (mb_key_remote). Fails only for a
 * remote key: the signer refused (MB_ERR_PERM, d says why) or is gone.
 */
int mb_key_sign_as(const struct mb_key *k, enum mb_sign_kind kind,
    const void *msg, size_t len, uint8_t sig[MB_SIG_LEN], struct mb_diag *d);

/*
 * A key whose secret half is in another process, reached over fd (a
 * socketpair; item/signer.h): pk is its public half. fd is owned.
 */
int mb_key_remote(int fd, const uint8_t pk[MB_PUBKEY_LEN],
    struct mb_key **out);

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
