/* SPDX-License-Identifier: MIT */
/* Signed JSON documents: W3C Data Integrity proofs, eddsa-jcs-2022. */
#ifndef MB_SIGNED_PROOF_H
#define MB_SIGNED_PROOF_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "base/buf.h"
#include "base/err.h"
#include "item/key.h"
#include "signed/verdict.h"

/*
 * Any JSON object (a credential, a tally, a report, a manifest) is signed
 * by adding a member "proof" exactly as "Data Integrity EdDSA Cryptosuites
 * v1.0" §3.3 (eddsa-jcs-2022) says:
 *
 *   proof = {"type": "DataIntegrityProof", "cryptosuite": "eddsa-jcs-2022",
 *            "created": "<date-time>", "verificationMethod": "<vm>",
 *            "proofPurpose": "assertionMethod",
 *            "@context": <the document's @context, when it has one>,
 *            "proofValue": "z<base58-btc of the 64-byte signature>"}
 *   signature = Ed25519(SHA-256(JCS(proof without proofValue)) ||
 *                       SHA-256(JCS(document without proof)))
 *
 * The verification method is the key's did:key ("did:key:z6Mk...#z6Mk...")
 * unless the caller names another (a URL with "#key"); either way the
 * verifier is given the key it trusts and checks the signature with it.
 */

/* Largest signed document the verifiers parse. */
#define MB_PROOF_DOC_MAX (4u * 1024 * 1024)

struct mb_proof_opts {
	/* NULL: the signing key's did:key verification method. */
	const char	*verification_method;
	/* "created", ms since the epoch, written to the second; 0: now. */
	int64_t		 created_ms;
	/* NULL: "assertionMethod". */
	const char	*proof_purpose;
};

/*
 * Adds doc["proof"] (doc is borrowed and changed in place). doc must be an
 * object without a proof; opts may be NULL. Every value must survive JCS
 * (no integer beyond 2^53, valid UTF-8), else MB_ERR_INVAL naming where.
 */
int mb_proof_sign(json_t *doc, const struct mb_key *k,
    const struct mb_proof_opts *opts, struct mb_diag *d);

/* What a verified proof said. Strings are borrowed from the document. */
struct mb_proof_info {
	const char	*verification_method;
	const char	*created;	/* NULL when the proof has none */
	uint8_t		 pk[MB_PUBKEY_LEN]; /* the key it verified with */
};

/*
 * Verifies doc's proof (doc borrowed, not changed). pk is the key the
 * caller trusts; NULL trusts the did:key in verificationMethod, which
 * proves the document is intact but not who signed it. A did:key that is
 * not pk is MB_VERDICT_WRONG_KEY; a verification method the proof cannot
 * be checked against without a network (a URL) needs pk. purpose NULL
 * expects "assertionMethod". Returns MB_OK, or an error with *why (may
 * be NULL) and the diagnostic saying what failed. info may be NULL.
 */
int mb_proof_verify(const json_t *doc, const uint8_t *pk,
    const char *purpose, struct mb_proof_info *info, enum mb_verdict *why,
    struct mb_diag *d);

/*
 * The same over text: parses buf (duplicate member names refused, at most
 * MB_PROOF_DOC_MAX bytes), verifies, and hands the document to *out (the
 * caller's reference) when out is not NULL.
 */
int mb_proof_verify_text(const char *buf, size_t len, const uint8_t *pk,
    const char *purpose, json_t **out, enum mb_verdict *why,
    struct mb_diag *d);

/*
 * Signs doc and writes it as indented JSON text (members in their order,
 * proof last) with a final newline: the form files and pages carry.
 */
int mb_proof_sign_text(json_t *doc, const struct mb_key *k,
    const struct mb_proof_opts *opts, struct mb_buf *out, struct mb_diag *d);

/*
 * The bytes that are signed, for tests and third-party checks:
 * hash_data = SHA-256(JCS(proof_config)) || SHA-256(JCS(unsecured)).
 */
int mb_proof_hash_data(const json_t *unsecured, const json_t *proof_config,
    uint8_t out[64], struct mb_diag *d);

#endif
