/* SPDX-License-Identifier: MIT */
/* Open Badges 3.0 credentials and Bitstring Status Lists. */
#ifndef MB_SIGNED_CREDENTIAL_H
#define MB_SIGNED_CREDENTIAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "base/err.h"
#include "item/key.h"
#include "signed/verdict.h"

/*
 * An OpenBadgeCredential (1EdTech Open Badges 3.0 on the W3C Verifiable
 * Credentials Data Model 2.0) with a Data Integrity proof (proof.h). The
 * courses module issues one when a learner completes a course, the events
 * module one for attendance. docs/signed.md shows a whole credential.
 */
#define MB_VC_CONTEXT "https://www.w3.org/ns/credentials/v2"
#define MB_OB_CONTEXT \
	"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"

/* Largest credential or status list the verifiers read. */
#define MB_CREDENTIAL_MAX (1024u * 1024)

/* What a credential says. Strings are borrowed; NULL for "none". */
struct mb_badge {
	/* The credential. */
	const char	*id;		/* NULL: a fresh "urn:uuid:..." */
	const char	*name;		/* shown by wallets; required */
	const char	*description;
	int64_t		 valid_from_ms;	/* 0: now */
	int64_t		 valid_until_ms; /* 0: no end */

	/* The issuer, an Open Badges Profile: the center. */
	const char	*issuer_id;	/* NULL: the key's did:key, so that
					   the issuer is its own key */
	const char	*issuer_name;	/* required */
	const char	*issuer_url;	/* the center's site */

	/* The learner or attendee: an id, or a name (or both). */
	const char	*subject_id;	/* a URI the person controls */
	const char	*subject_name;	/* as an IdentityObject "name" */
	bool		 subject_hashed; /* "sha256$..." instead of the name */
	const char	*subject_salt;	/* NULL: 16 random bytes, hex */
	int64_t		 activity_start_ms; /* 0: none (attendance) */
	int64_t		 activity_end_ms;

	/* The achievement: the course, or attending the event. */
	const char	*achievement_id;	  /* a URI; required */
	const char	*achievement_type;	  /* "CertificateOfCompletion"... */
	const char	*achievement_name;	  /* required */
	const char	*achievement_description; /* required */
	const char	*criteria_narrative;	  /* one of the two required */
	const char	*criteria_id;
	const char	*language;		  /* BCP 47: inLanguage */

	/* Revocation: a BitstringStatusListEntry, when status_list is set. */
	const char	*status_list;	/* the status list credential's URL */
	uint64_t	 status_index;

	/* The proof. */
	const char	*verification_method; /* NULL: the key's did:key */
	int64_t		 created_ms;	      /* 0: now */
};

/*
 * Builds and signs the credential; *out is the caller's. Refuses
 * (MB_ERR_INVAL, naming the field) a required field missing, a string
 * that is not UTF-8, or an index with no status list.
 */
int mb_credential_issue(const struct mb_badge *b, const struct mb_key *k,
    json_t **out, struct mb_diag *d);

/* Indented JSON text of a credential or status list, newline-terminated. */
int mb_credential_text(const json_t *doc, char **out);

struct mb_status_list;

/* What to check a credential against. */
struct mb_credential_check {
	const uint8_t			*pk;	/* the issuer's key; NULL:
						   trust its did:key */
	int64_t				 now_ms; /* 0: now */
	const struct mb_status_list	*status; /* NULL: not checked */
};

/* What a verified credential says. Strings are borrowed from it. */
struct mb_credential_facts {
	const char	*id;
	const char	*name;
	const char	*issuer_id;
	const char	*issuer_name;	/* NULL when the issuer is a bare id */
	const char	*subject_id;
	const char	*subject_name;	/* the plain name, NULL if hashed */
	bool		 subject_hashed;
	const char	*achievement_id;
	const char	*achievement_name;
	const char	*valid_from;
	const char	*valid_until;
	const char	*status_list;	/* NULL: not revocable */
	int64_t		 status_index;	/* -1 when none */
	const char	*verification_method;
	const char	*created;
};

/*
 * Verifies a credential (doc borrowed): its shape as an OpenBadgeCredential
 * (contexts, types, issuer, validFrom, subject, achievement), its proof
 * with the key in c, its validity period at c->now_ms, and, when c->status
 * is given, that the status list is the one the credential names and its
 * bit is clear. MB_OK, or an error with *why and the reason in words.
 * facts may be NULL; it is filled in as far as the document was read,
 * also on failure.
 */
int mb_credential_verify(const json_t *doc,
    const struct mb_credential_check *c, struct mb_credential_facts *facts,
    enum mb_verdict *why, struct mb_diag *d);

/*
 * The same over text (at most MB_CREDENTIAL_MAX bytes, duplicate member
 * names refused); the document goes to *out (the caller's) whenever it
 * parsed, so that facts stay readable. out may be NULL only if facts is.
 */
int mb_credential_verify_text(const char *buf, size_t len,
    const struct mb_credential_check *c, json_t **out,
    struct mb_credential_facts *facts, enum mb_verdict *why,
    struct mb_diag *d);

/*
 * Open Badges "verify the recipient": true when one of the subject's
 * identifiers of type "name" is name (plain, or its salted SHA-256).
 */
bool mb_credential_names(const json_t *doc, const char *name);

/*
 * A BitstringStatusListCredential (W3C Bitstring Status List v1.0),
 * statusPurpose "revocation", one bit per credential: bit i set means the
 * credential with statusListIndex i is revoked. The bitstring is GZIP-
 * compressed and multibase base64url ('u') encoded; at least 131,072
 * entries (16 KB) so that a bit says little about who holds it. Signed
 * like a credential, so a verifier can carry it offline.
 */
#define MB_STATUS_LIST_MIN 131072u
/* Most entries a list may have (the decompressed size is bounded). */
#define MB_STATUS_LIST_MAX (8u * 1024 * 1024 * 8)

struct mb_status_list_opts {
	const char	*id;		/* its URL; required */
	const char	*issuer_id;	/* NULL: the key's did:key */
	const char	*issuer_name;	/* NULL: issuer is a bare id */
	int64_t		 valid_from_ms;	/* 0: now */
	int64_t		 valid_until_ms; /* 0: no end */
	uint64_t	 length;	/* entries; 0: MB_STATUS_LIST_MIN */
	const char	*verification_method; /* NULL: did:key */
	int64_t		 created_ms;	/* 0: now */
};

/* Builds and signs a status list with the bits of revoked[0..n) set. */
int mb_status_list_issue(const struct mb_status_list_opts *o,
    const uint64_t *revoked, size_t n, const struct mb_key *k, json_t **out,
    struct mb_diag *d);

/*
 * Reads a status list credential and checks its proof with pk (NULL: its
 * did:key) and its validity at now_ms (0: now): a list past validUntil is
 * MB_VERDICT_EXPIRED, because a stale list could hide a revocation.
 */
int mb_status_list_load(const char *buf, size_t len, const uint8_t *pk,
    int64_t now_ms, struct mb_status_list **out, enum mb_verdict *why,
    struct mb_diag *d);

/* The URL the list names as its id (what credentials point at). */
const char *mb_status_list_id(const struct mb_status_list *sl);

/* How many entries it holds. */
uint64_t mb_status_list_length(const struct mb_status_list *sl);

/* The bit at index: 1 revoked, 0 not, -1 outside the list. */
int mb_status_list_get(const struct mb_status_list *sl, uint64_t index);

void mb_status_list_free(struct mb_status_list *sl);

#endif
