/* SPDX-License-Identifier: MIT */
/* Event tickets that fit a QR code, and their revocation lists. */
#ifndef MB_SIGNED_TICKET_H
#define MB_SIGNED_TICKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"
#include "item/id.h"
#include "item/key.h"
#include "signed/verdict.h"

/*
 * A ticket is text: "MBT1:" and the base64url (no padding) of a binary
 * body and the issuing center's Ed25519 signature of it. docs/signed.md
 * gives the byte layout. With a center id of 5 letters and minted (ULID)
 * event and registration ids it is 177 characters (185 when the event
 * is another center's): a QR code of version 9 or 10 at level M. The
 * holder's name is not in it, only a keyed hash that the door checks
 * against an identity document.
 */
#define MB_TICKET_PREFIX "MBT1:"
#define MB_TICKET_NAME_HASH_LEN 16
/* Longest ticket text (every id at its longest), and a NUL. */
#define MB_TICKET_TEXT_MAX 400

struct mb_ticket {
	char	issuer[MB_CENTER_MAX + 1];	/* the center that signs it */
	char	event[MB_URI_MAX];		/* urn:mediabridge:c:local */
	char	registration[MB_LOCAL_MAX + 1];	/* a local id at the issuer */
	int64_t	valid_from_ms;		/* to the second, 1970 to 2106 */
	int64_t	valid_until_ms;
	uint8_t	name_hash[MB_TICKET_NAME_HASH_LEN];
};

/*
 * Fills t->name_hash from the holder's name, then signs t: out gets the
 * ticket text. Refuses (MB_ERR_INVAL, naming the field) an id that is
 * not a center id / uri / local id, times outside 1970..2106 or in the
 * wrong order, and a name that is empty once normalized or not UTF-8.
 */
int mb_ticket_issue(struct mb_ticket *t, const char *name,
    const struct mb_key *k, char out[MB_TICKET_TEXT_MAX], struct mb_diag *d);

/*
 * The name hash: BLAKE2b-128 of a domain tag, the issuer, the event and
 * the registration, and the name folded as people write it on a form
 * and read it off an ID card: Unicode compatibility forms, case and
 * diacritics folded ("José" = "JOSE"), letters and digits kept, dashes
 * and white space as one space, other punctuation dropped
 * ("Jean-Pierre O'Brien" = "jean pierre obrien"). Binding the hash to
 * the ticket keeps the same name on two tickets from being linked.
 * MB_ERR_INVAL for a name that folds to nothing or is not UTF-8.
 */
int mb_ticket_name_hash(const struct mb_ticket *t, const char *name,
    uint8_t out[MB_TICKET_NAME_HASH_LEN], struct mb_diag *d);

/*
 * True when name folds (as above) to something a ticket can hold: what
 * a registration form checks, so that no registration is taken whose
 * ticket could not be issued later, on a promotion from the waitlist.
 */
bool mb_ticket_name_ok(const char *name);

/* True when name (as above) is the holder's. */
bool mb_ticket_holder_is(const struct mb_ticket *t, const char *name);

/*
 * Reads a ticket's form (the text may carry white space around it) into
 * t, without checking the signature: only for tests and fuzzing, and to
 * say whose ticket a refused one claims to be. MB_ERR_INVAL names what
 * is wrong; MB_ERR_UNSUPPORTED for another version ("MBT2:").
 */
int mb_ticket_parse(const char *text, size_t len, struct mb_ticket *t,
    struct mb_diag *d);

struct mb_revoked;

/*
 * Verifies a ticket with the issuing center's key pk at now_ms (0: now)
 * and, when rl is given, against that revocation list (which must be for
 * the ticket's event; load it with mb_revoked_load and the same key).
 * MB_OK, or an error with *why (may be NULL) and the reason. t is filled
 * whenever the form was readable, so that a refused ticket can be shown;
 * trust it only on MB_OK.
 */
int mb_ticket_verify(const char *text, size_t len,
    const uint8_t pk[MB_PUBKEY_LEN], int64_t now_ms,
    const struct mb_revoked *rl, struct mb_ticket *t, enum mb_verdict *why,
    struct mb_diag *d);

/*
 * A revocation list: the registrations of one event whose tickets no
 * longer admit, signed by the issuing center: "MBR1:" and base64url, the
 * same way as a ticket (docs/signed.md). A check-in device carries the
 * newest it has; issued tells which is newest.
 */
#define MB_REVOKED_PREFIX "MBR1:"
#define MB_REVOKED_MAX 1000000	/* registrations in one list */

/*
 * Signs the list of regs[0..n) (any order, duplicates allowed) for
 * event, issued by issuer at issued_ms (0: now); appends the text to out.
 */
int mb_revoked_issue(const char *issuer, const char *event,
    int64_t issued_ms, const char *const *regs, size_t n,
    const struct mb_key *k, struct mb_buf *out, struct mb_diag *d);

/* Reads the form of a list without its signature (fuzzing, tests). */
int mb_revoked_parse(const char *text, size_t len, struct mb_revoked **out,
    struct mb_diag *d);

/* Reads a list and checks its signature with pk. */
int mb_revoked_load(const char *text, size_t len,
    const uint8_t pk[MB_PUBKEY_LEN], struct mb_revoked **out,
    enum mb_verdict *why, struct mb_diag *d);

const char *mb_revoked_issuer(const struct mb_revoked *r);
const char *mb_revoked_event(const struct mb_revoked *r);
int64_t mb_revoked_issued(const struct mb_revoked *r);
size_t mb_revoked_count(const struct mb_revoked *r);
/* The i-th registration, in the list's (sorted) order. */
const char *mb_revoked_at(const struct mb_revoked *r, size_t i);
bool mb_revoked_has(const struct mb_revoked *r, const char *registration);
void mb_revoked_free(struct mb_revoked *r);

#endif
