/* SPDX-License-Identifier: MIT */
/* serve's signer: the one process that holds the key, and the narrow request it answers. */
#ifndef MB_ITEM_SIGNER_H
#define MB_ITEM_SIGNER_H

/*
 * In serve the center's secret key stays in the parent process; the
 * server process (HTTP, exchange, store) holds a remote key
 * (mb_key_remote) and asks over a socketpair:
 *
 *   request  "MBSQ" kind (4) length (8) | the bytes to sign
 *   reply    "MBSR" status (4) length (8) | 64 bytes of signature, or
 *            the reason it was refused (at most 255 bytes)
 *
 * The signer signs only what mb_signer_check() accepts: an envelope of
 * this center in canonical form (RFC 8785) and within the envelope
 * limit; an RFC 9421 signature base of a federation request with this
 * center as keyid; HQ's registry naming this center as HQ, canonical;
 * a compact artefact (ticket, revocation list) behind its domain tag,
 * at most MB_SIGNER_MAX_COMPACT; a Data Integrity hash, exactly 64
 * bytes. No message of one kind can be read as one of another: an
 * envelope and a registry start with '{', a base with '"', a compact
 * artefact with "mediabridge ", and all three are longer than 64 bytes.
 * See docs/architecture.md (Privilege separation).
 */

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "item/key.h"

/* Largest request: an envelope's signed bytes, or a registry. */
#define MB_SIGNER_MAX_REQUEST	(4u * 1024 * 1024)
/* Largest signature base of a federation request. */
#define MB_SIGNER_MAX_BASE	8192
/* Largest compact artefact (tag and body): a revocation list. */
#define MB_SIGNER_MAX_COMPACT	(1024u * 1024)

/*
 * MB_OK when msg is well-formed as kind and may be signed by center
 * own_id; else MB_ERR_PERM or MB_ERR_TOOBIG with d saying why. Does no
 * I/O (fuzzed: tests/fuzz/fuzz_signer.c).
 */
int mb_signer_check(int kind, const char *own_id, const void *msg,
    size_t len, struct mb_diag *d);

/*
 * The signer's side: reads one request from fd, checks it, signs it
 * with k (held here) and answers. MB_OK when a request was answered
 * (signed or refused); MB_ERR_IO when the other end is gone or broke
 * the framing (then the signer stops talking to it).
 */
int mb_signer_answer(const struct mb_key *k, const char *own_id, int fd,
    struct mb_diag *d);

/* The worker's side (key.c, for a remote key): one request, its reply. */
int mb_signer_ask(int fd, enum mb_sign_kind kind, const void *msg,
    size_t len, uint8_t sig[MB_SIG_LEN], struct mb_diag *d);

#endif
