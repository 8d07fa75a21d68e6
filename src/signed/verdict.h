/* SPDX-License-Identifier: MIT */
/* Why a signed artefact (ticket, credential, list, document) was refused. */
#ifndef MB_SIGNED_VERDICT_H
#define MB_SIGNED_VERDICT_H

/*
 * Every verifier in signed/ returns MB_OK for a valid artefact, or a
 * negative enum mb_err with a diagnostic in words; when the artefact was
 * read far enough to judge it, it also says why in one of these, so that
 * a check-in page can show "revoked" apart from "forged" without parsing
 * the message.
 */
enum mb_verdict {
	MB_VERDICT_VALID = 0,
	MB_VERDICT_MALFORMED,	/* not the format at all (MB_ERR_INVAL) */
	MB_VERDICT_UNSUPPORTED,	/* another version or cryptosuite
				   (MB_ERR_UNSUPPORTED) */
	MB_VERDICT_WRONG_KEY,	/* signed, but by another key (MB_ERR_SIG) */
	MB_VERDICT_BAD_SIGNATURE, /* the signature does not match the
				   content: altered or forged (MB_ERR_SIG) */
	MB_VERDICT_NOT_YET_VALID, /* before its validity (MB_ERR_PERM) */
	MB_VERDICT_EXPIRED,	/* after its validity (MB_ERR_PERM) */
	MB_VERDICT_REVOKED,	/* on the issuer's revocation or status
				   list (MB_ERR_PERM) */
	MB_VERDICT_WRONG_LIST	/* the list given is for something else
				   (MB_ERR_INVAL) */
};

/* One word for each verdict ("valid", "revoked", "bad-signature", ...). */
const char *mb_verdict_str(enum mb_verdict v);

#endif
