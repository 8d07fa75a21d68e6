/* SPDX-License-Identifier: MIT */
/* Data Integrity proofs, eddsa-jcs-2022: Ed25519 over hashes of JCS. */
#include "signed/proof.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "base/timeutil.h"
#include "item/jcs.h"
#include "item/json.h"
#include "signed/multibase.h"
#include "signed/signed_int.h"

#define DI_TYPE		"DataIntegrityProof"
#define DI_SUITE	"eddsa-jcs-2022"
#define DI_PURPOSE	"assertionMethod"

const char *
mb_verdict_str(enum mb_verdict v)
{
	switch (v) {
	case MB_VERDICT_VALID:		return "valid";
	case MB_VERDICT_MALFORMED:	return "malformed";
	case MB_VERDICT_UNSUPPORTED:	return "unsupported";
	case MB_VERDICT_WRONG_KEY:	return "wrong-key";
	case MB_VERDICT_BAD_SIGNATURE:	return "bad-signature";
	case MB_VERDICT_NOT_YET_VALID:	return "not-yet-valid";
	case MB_VERDICT_EXPIRED:	return "expired";
	case MB_VERDICT_REVOKED:	return "revoked";
	case MB_VERDICT_WRONG_LIST:	return "wrong-list";
	}
	return "unknown";
}

int
mb_signed__refuse(enum mb_verdict *why, enum mb_verdict v,
    struct mb_diag *d, int err, const char *fmt, ...)
{
	va_list ap;

	if (why != NULL)
		*why = v;
	if (d != NULL) {
		va_start(ap, fmt);
		vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
		va_end(ap);
	}
	return err;
}

#define refuse mb_signed__refuse

/* SHA-256 of the canonical form of v. */
static int
jcs_sha256(const json_t *v, uint8_t out[32], struct mb_diag *d)
{
	struct mb_buf	b = MB_BUF_INIT;
	int		rc;

	if ((rc = mb_jcs_dump(v, &b, d)) == MB_OK)
		crypto_hash_sha256(out, (const uint8_t *)b.data, b.len);
	mb_buf_free(&b);
	return rc;
}

int
mb_proof_hash_data(const json_t *unsecured, const json_t *proof_config,
    uint8_t out[64], struct mb_diag *d)
{
	int rc;

	/* The proof configuration's hash first, then the document's. */
	if ((rc = jcs_sha256(proof_config, out, d)) != MB_OK) {
		mb_diag_prefix(d, "proof");
		return rc;
	}
	return jcs_sha256(unsecured, out + 32, d);
}

int
mb_proof_sign(json_t *doc, const struct mb_key *k,
    const struct mb_proof_opts *opts, struct mb_diag *d)
{
	char		 vm[MB_DIDKEY_VM_LEN], created[MB_TIME_RFC3339_LEN];
	uint8_t		 pk[MB_PUBKEY_LEN], hash[64], sig[MB_SIG_LEN];
	struct mb_buf	 pv = MB_BUF_INIT;
	const char	*vmp, *purpose;
	json_t		*proof, *ctx;
	int64_t		 ms;
	int		 rc;

	if (!json_is_object(doc))
		return mb_diag_set(d, MB_ERR_INVAL,
		    "only a JSON object can carry a proof");
	if (json_object_get(doc, "proof") != NULL)
		return mb_diag_set(d, MB_ERR_INVAL,
		    "the document already has a proof");
	mb_key_public(k, pk);
	vmp = opts != NULL ? opts->verification_method : NULL;
	if (vmp == NULL) {
		mb_didkey_vm(pk, vm);
		vmp = vm;
	}
	purpose = opts != NULL && opts->proof_purpose != NULL ?
	    opts->proof_purpose : DI_PURPOSE;
	ms = opts != NULL && opts->created_ms != 0 ? opts->created_ms :
	    mb_time_now_ms();
	/* Whole seconds: the date-time every verifier reads the same way. */
	mb_time_format(ms - ms % 1000, created);

	if ((proof = json_object()) == NULL)
		return MB_ERR_NOMEM;
	if (json_object_set_new(proof, "type", json_string(DI_TYPE)) != 0 ||
	    json_object_set_new(proof, "cryptosuite",
	    json_string(DI_SUITE)) != 0 ||
	    json_object_set_new(proof, "created", json_string(created)) != 0 ||
	    json_object_set_new(proof, "verificationMethod",
	    json_string(vmp)) != 0 ||
	    json_object_set_new(proof, "proofPurpose",
	    json_string(purpose)) != 0) {
		rc = mb_diag_set(d, MB_ERR_INVAL,
		    "proof options must be valid UTF-8");
		goto fail;
	}
	/*
	 * "If unsecuredDocument.@context is present, set proof.@context to
	 * unsecuredDocument.@context" (Create Proof, step 2): the proof then
	 * stays bound to the document's vocabulary in a proof set.
	 */
	if ((ctx = json_object_get(doc, "@context")) != NULL &&
	    json_object_set_new(proof, "@context",
	    json_deep_copy(ctx)) != 0) {
		rc = MB_ERR_NOMEM;
		goto fail;
	}
	if ((rc = mb_proof_hash_data(doc, proof, hash, d)) != MB_OK)
		goto fail;
	if ((rc = mb_key_sign_as(k, MB_SIGN_PROOF, hash, sizeof(hash), sig,
	    d)) != MB_OK)
		goto fail;
	if ((rc = mb_buf_putc(&pv, 'z')) != MB_OK ||
	    (rc = mb_base58_encode(sig, sizeof(sig), &pv)) != MB_OK)
		goto fail;
	if (json_object_set_new(proof, "proofValue",
	    json_string(pv.data)) != 0 ||
	    json_object_set_new(doc, "proof", proof) != 0) {
		proof = NULL;	/* set_new stole it, even on failure */
		rc = MB_ERR_NOMEM;
		goto fail;
	}
	mb_buf_free(&pv);
	return MB_OK;
fail:
	json_decref(proof);
	mb_buf_free(&pv);
	return rc;
}

int
mb_proof_sign_text(json_t *doc, const struct mb_key *k,
    const struct mb_proof_opts *opts, struct mb_buf *out, struct mb_diag *d)
{
	char	*text;
	int	 rc;

	if ((rc = mb_proof_sign(doc, k, opts, d)) != MB_OK)
		return rc;
	if ((text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER)) ==
	    NULL)
		return MB_ERR_NOMEM;
	rc = mb_buf_puts(out, text);
	if (rc == MB_OK)
		rc = mb_buf_putc(out, '\n');
	free(text);
	return rc;
}

/* v as an array: itself, or a one-element view of a lone value. */
static size_t
as_list(const json_t *v, const json_t **first)
{
	*first = v;
	return json_is_array(v) ? json_array_size(v) : 1;
}

static const json_t *
list_at(const json_t *v, size_t i)
{
	return json_is_array(v) ? json_array_get(v, i) : v;
}

/*
 * Verify Proof, step 4: the document's @context starts with the proof's,
 * in the same order.
 */
static int
context_prefix_ok(const json_t *doc_ctx, const json_t *proof_ctx)
{
	const json_t	*a, *b;
	size_t		 na, nb;

	if (doc_ctx == NULL)
		return 0;
	na = as_list(doc_ctx, &a);
	nb = as_list(proof_ctx, &b);
	if (nb > na)
		return 0;
	for (size_t i = 0; i < nb; i++)
		if (!json_equal((json_t *)list_at(a, i),
		    (json_t *)list_at(b, i)))
			return 0;
	return 1;
}

/* A string member of o, or NULL. */
static const char *
str_member(const json_t *o, const char *name)
{
	return json_string_value(json_object_get(o, name));
}

int
mb_proof_verify(const json_t *doc, const uint8_t *pk, const char *purpose,
    struct mb_proof_info *info, enum mb_verdict *why, struct mb_diag *d)
{
	const json_t	*proof, *pctx;
	const char	*type, *suite, *vm, *ppurpose, *created, *pv;
	uint8_t		 sig[MB_SIG_LEN + 8], vmkey[MB_PUBKEY_LEN], hash[64];
	uint8_t		 key[MB_PUBKEY_LEN];
	int		 have_vmkey = 0, rc;
	json_t		*unsecured = NULL, *config = NULL;
	size_t		 n;
	int64_t		 t;

	if (why != NULL)
		*why = MB_VERDICT_MALFORMED;
	if (purpose == NULL)
		purpose = DI_PURPOSE;
	if (!json_is_object(doc))
		return refuse(why, MB_VERDICT_MALFORMED, d, MB_ERR_INVAL,
		    "a signed document must be a JSON object");
	proof = json_object_get(doc, "proof");
	if (proof == NULL)
		return refuse(why, MB_VERDICT_MALFORMED, d, MB_ERR_INVAL,
		    "the document has no proof");
	if (json_is_array(proof))
		return refuse(why, MB_VERDICT_UNSUPPORTED, d,
		    MB_ERR_UNSUPPORTED, "%s",
		    "proof sets (several proofs) are not supported");
	if (!json_is_object(proof))
		return refuse(why, MB_VERDICT_MALFORMED, d, MB_ERR_INVAL,
		    "proof must be an object");
	type = str_member(proof, "type");
	suite = str_member(proof, "cryptosuite");
	vm = str_member(proof, "verificationMethod");
	ppurpose = str_member(proof, "proofPurpose");
	pv = str_member(proof, "proofValue");
	if (type == NULL || strcmp(type, DI_TYPE) != 0)
		return refuse(why, MB_VERDICT_UNSUPPORTED, d,
		    MB_ERR_UNSUPPORTED, "proof.type %s is not supported "
		    "(only DataIntegrityProof)", type ? type : "(missing)");
	if (suite == NULL || strcmp(suite, DI_SUITE) != 0)
		return refuse(why, MB_VERDICT_UNSUPPORTED, d,
		    MB_ERR_UNSUPPORTED, "proof.cryptosuite %s is not supported "
		    "(only eddsa-jcs-2022)", suite ? suite : "(missing)");
	if (ppurpose == NULL)
		return refuse(why, MB_VERDICT_MALFORMED, d, MB_ERR_INVAL,
		    "proof.proofPurpose is missing");
	if (strcmp(ppurpose, purpose) != 0)
		return refuse(why, MB_VERDICT_UNSUPPORTED, d,
		    MB_ERR_UNSUPPORTED, "proof.proofPurpose is %s, not the "
		    "purpose expected here", ppurpose);
	if (vm == NULL || vm[0] == '\0')
		return refuse(why, MB_VERDICT_MALFORMED, d, MB_ERR_INVAL,
		    "proof.verificationMethod is missing");
	if (json_object_get(proof, "created") != NULL &&
	    ((created = str_member(proof, "created")) == NULL ||
	    mb_time_parse(created, &t) != MB_OK))
		return refuse(why, MB_VERDICT_MALFORMED, d, MB_ERR_INVAL,
		    "proof.created is not a date-time");
	created = str_member(proof, "created");
	if (pv == NULL || pv[0] != 'z')
		return refuse(why, MB_VERDICT_MALFORMED, d, MB_ERR_INVAL,
		    "proof.proofValue must be multibase base58-btc "
		    "('z...')");
	if (mb_base58_decode(pv + 1, strlen(pv + 1), sig, sizeof(sig), &n) !=
	    MB_OK || n != MB_SIG_LEN)
		return refuse(why, MB_VERDICT_MALFORMED, d, MB_ERR_INVAL,
		    "proof.proofValue is not a 64-byte Ed25519 "
		    "signature in base58-btc");

	/* Which key: the one the caller trusts, checked against did:key. */
	if (strncmp(vm, "did:key:", 8) == 0) {
		if ((rc = mb_didkey_parse(vm, vmkey, d)) != MB_OK) {
			mb_diag_prefix(d, "proof.verificationMethod");
			if (why != NULL)
				*why = rc == MB_ERR_UNSUPPORTED ?
				    MB_VERDICT_UNSUPPORTED :
				    MB_VERDICT_MALFORMED;
			return rc;
		}
		have_vmkey = 1;
	}
	if (pk != NULL) {
		if (have_vmkey && sodium_memcmp(vmkey, pk, MB_PUBKEY_LEN) != 0)
			return refuse(why, MB_VERDICT_WRONG_KEY, d, MB_ERR_SIG,
			    "signed by %s, not by the key given", vm);
		memcpy(key, pk, MB_PUBKEY_LEN);
	} else if (have_vmkey) {
		memcpy(key, vmkey, MB_PUBKEY_LEN);
	} else {
		return refuse(why, MB_VERDICT_UNSUPPORTED, d,
		    MB_ERR_UNSUPPORTED, "verification method %s cannot be "
		    "resolved offline: give the issuer's key", vm);
	}

	pctx = json_object_get(proof, "@context");
	if (pctx != NULL &&
	    !context_prefix_ok(json_object_get(doc, "@context"), pctx))
		return refuse(why, MB_VERDICT_BAD_SIGNATURE, d, MB_ERR_SIG,
		    "the document's @context does not start with the "
		    "proof's: changed after signing");

	/* Shallow copies: the document without its proof, the proof
	 * without its value (json_copy takes a reference to each member). */
	if ((unsecured = json_copy((json_t *)doc)) == NULL ||
	    (config = json_copy((json_t *)proof)) == NULL) {
		rc = MB_ERR_NOMEM;
		goto out;
	}
	json_object_del(unsecured, "proof");
	json_object_del(config, "proofValue");
	if (pctx != NULL && json_object_set(unsecured, "@context",
	    (json_t *)pctx) != 0) {
		rc = MB_ERR_NOMEM;
		goto out;
	}
	if ((rc = mb_proof_hash_data(unsecured, config, hash, d)) != MB_OK) {
		if (why != NULL)
			*why = MB_VERDICT_MALFORMED;
		goto out;
	}
	if (!mb_sig_verify(key, hash, sizeof(hash), sig)) {
		rc = refuse(why, MB_VERDICT_BAD_SIGNATURE, d, MB_ERR_SIG, "%s",
		    have_vmkey ? "the signature does not match the content: "
		    "the document or its proof was changed after signing" :
		    "the signature does not verify with the key given: the "
		    "document was changed after signing, or another key "
		    "signed it");
		goto out;
	}
	if (info != NULL) {
		info->verification_method = vm;
		info->created = created;
		memcpy(info->pk, key, MB_PUBKEY_LEN);
	}
	if (why != NULL)
		*why = MB_VERDICT_VALID;
	rc = MB_OK;
out:
	json_decref(unsecured);
	json_decref(config);
	return rc;
}

int
mb_proof_verify_text(const char *buf, size_t len, const uint8_t *pk,
    const char *purpose, json_t **out, enum mb_verdict *why,
    struct mb_diag *d)
{
	json_t	*doc;
	int	 rc;

	if ((rc = mb_signed__parse(buf, len, MB_PROOF_DOC_MAX, &doc, why,
	    d)) != MB_OK)
		return rc;
	rc = mb_proof_verify(doc, pk, purpose, NULL, why, d);
	if (rc == MB_OK && out != NULL)
		*out = doc;
	else
		json_decref(doc);
	return rc;
}

/* What the other files of signed/ share (signed_int.h). */

int
mb_signed__parse(const char *buf, size_t len, size_t max, json_t **out,
    enum mb_verdict *why, struct mb_diag *d)
{
	json_error_t	 e;
	json_t		*doc;

	if (len > max)
		return refuse(why, MB_VERDICT_MALFORMED, d, MB_ERR_TOOBIG,
		    "larger than %zu bytes", max);
	if ((doc = mb_json_loadb(buf, len, JSON_REJECT_DUPLICATES, &e)) ==
	    NULL)
		return refuse(why, MB_VERDICT_MALFORMED, d, MB_ERR_INVAL,
		    "not JSON: %s (line %d)", e.text, e.line);
	if (!json_is_object(doc)) {
		json_decref(doc);
		return refuse(why, MB_VERDICT_MALFORMED, d, MB_ERR_INVAL,
		    "not a JSON object");
	}
	*out = doc;
	return MB_OK;
}

int
mb_signed__set_str(json_t *o, const char *name, const char *v,
    struct mb_diag *d)
{
	json_t *s;

	if (v == NULL)
		return MB_OK;
	if ((s = json_string(v)) == NULL)
		return mb_diag_set(d, MB_ERR_INVAL, "%s: not valid UTF-8",
		    name);
	if (json_object_set_new(o, name, s) != 0)
		return MB_ERR_NOMEM;
	return MB_OK;
}

int
mb_signed__set_time(json_t *o, const char *name, int64_t ms)
{
	char t[MB_TIME_RFC3339_LEN];

	mb_time_format(ms - ms % 1000, t);
	return json_object_set_new(o, name, json_string(t)) == 0 ? MB_OK :
	    MB_ERR_NOMEM;
}

const char *
mb_signed__str(const json_t *o, const char *name)
{
	return json_string_value(json_object_get(o, name));
}

int
mb_signed__has(const json_t *v, const char *s)
{
	const json_t	*e;
	size_t		 i;

	if (json_is_string(v))
		return strcmp(json_string_value(v), s) == 0;
	json_array_foreach(v, i, e)
		if (json_is_string(e) && strcmp(json_string_value(e), s) == 0)
			return 1;
	return 0;
}

int
mb_signed__check_validity(const json_t *doc, int64_t now_ms,
    const char *what, enum mb_verdict *why, struct mb_diag *d)
{
	const char	*from = mb_signed__str(doc, "validFrom");
	const char	*until = mb_signed__str(doc, "validUntil");
	int64_t		 from_ms, until_ms;

	if (now_ms == 0)
		now_ms = mb_time_now_ms();
	if (from == NULL || mb_time_parse(from, &from_ms) != MB_OK)
		return refuse(why, MB_VERDICT_MALFORMED, d, MB_ERR_INVAL,
		    "%s: validFrom is missing or not a date-time", what);
	if (json_object_get(doc, "validUntil") != NULL &&
	    (until == NULL || mb_time_parse(until, &until_ms) != MB_OK))
		return refuse(why, MB_VERDICT_MALFORMED, d, MB_ERR_INVAL,
		    "%s: validUntil is not a date-time", what);
	if (now_ms < from_ms)
		return refuse(why, MB_VERDICT_NOT_YET_VALID, d, MB_ERR_PERM,
		    "%s is not valid before %s", what, from);
	if (until != NULL && now_ms > until_ms)
		return refuse(why, MB_VERDICT_EXPIRED, d, MB_ERR_PERM,
		    "%s expired at %s", what, until);
	return MB_OK;
}
