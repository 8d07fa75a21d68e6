/* SPDX-License-Identifier: MIT */
/* Bitstring Status Lists: a signed, GZIP'd bitstring of revocations. */
#include "signed/credential.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "base/buf.h"
#include "base/gzip.h"
#include "base/timeutil.h"
#include "signed/multibase.h"
#include "signed/proof.h"
#include "signed/signed_int.h"

#define refuse mb_signed__refuse
#define str mb_signed__str

struct mb_status_list {
	json_t		*doc;	/* the credential; id is borrowed from it */
	const char	*id;
	uint8_t		*bits;
	uint64_t	 length; /* entries (bits) */
};

/*
 * Inflates one gzip member, nothing after it, at most max bytes out: a
 * list that would grow beyond is refused before it is (a zip bomb).
 */
static int
gunzip_bytes(const uint8_t *in, size_t n, size_t max, uint8_t **out,
    size_t *outlen)
{
	z_stream	 z;
	uint8_t		*buf = NULL, *nb;
	size_t		 cap = 0, len = 0;
	int		 rc = Z_OK;

	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, 15 + 16) != Z_OK)
		return MB_ERR_NOMEM;
	z.next_in = (Bytef *)(uintptr_t)in;
	z.avail_in = (uInt)n;
	while (rc != Z_STREAM_END) {
		if (len == cap) {
			/* One byte past max tells "more" from "exactly". */
			if (cap > max)
				goto toobig;
			cap = cap == 0 ? 16384 : cap * 2;
			if (cap > max + 1)
				cap = max + 1;
			if ((nb = realloc(buf, cap)) == NULL) {
				inflateEnd(&z);
				free(buf);
				return MB_ERR_NOMEM;
			}
			buf = nb;
		}
		z.next_out = buf + len;
		z.avail_out = (uInt)(cap - len);
		rc = inflate(&z, Z_NO_FLUSH);
		len = cap - z.avail_out;
		if (rc != Z_OK && rc != Z_STREAM_END)
			goto bad;
		if (rc == Z_OK && z.avail_in == 0 && z.avail_out != 0)
			goto bad;	/* truncated */
	}
	if (z.avail_in != 0)
		goto bad;		/* bytes after the member */
	if (len > max)
		goto toobig;
	inflateEnd(&z);
	*out = buf;
	*outlen = len;
	return MB_OK;
toobig:
	inflateEnd(&z);
	free(buf);
	return MB_ERR_TOOBIG;
bad:
	inflateEnd(&z);
	free(buf);
	return MB_ERR_INVAL;
}

int
mb_status_list_issue(const struct mb_status_list_opts *o,
    const uint64_t *revoked, size_t n, const struct mb_key *k, json_t **out,
    struct mb_diag *d)
{
	struct mb_proof_opts	 po;
	struct mb_buf		 gz = MB_BUF_INIT, enc = MB_BUF_INIT;
	char			 did[MB_DIDKEY_LEN], subj[2048];
	uint8_t			 pk[MB_PUBKEY_LEN], *bits = NULL;
	uint64_t		 length = o->length ? o->length :
	    MB_STATUS_LIST_MIN;
	json_t			*doc = NULL, *ctx, *iss, *cs;
	int64_t			 from;
	int			 rc;

	if (o->id == NULL || o->id[0] == '\0')
		return mb_diag_set(d, MB_ERR_INVAL,
		    "a status list needs the URL it is published at");
	if (length < MB_STATUS_LIST_MIN || length > MB_STATUS_LIST_MAX ||
	    length % 8 != 0)
		return mb_diag_set(d, MB_ERR_INVAL, "a status list holds "
		    "%u to %u entries, a multiple of 8", MB_STATUS_LIST_MIN,
		    MB_STATUS_LIST_MAX);
	if ((size_t)snprintf(subj, sizeof(subj), "%s#list", o->id) >=
	    sizeof(subj))
		return mb_diag_set(d, MB_ERR_INVAL,
		    "status list URL is too long");
	if ((bits = calloc(1, length / 8)) == NULL)
		return MB_ERR_NOMEM;
	for (size_t i = 0; i < n; i++) {
		if (revoked[i] >= length) {
			rc = mb_diag_set(d, MB_ERR_INVAL, "index %llu is "
			    "beyond the list (%llu entries)",
			    (unsigned long long)revoked[i],
			    (unsigned long long)length);
			goto fail;
		}
		/* Index 0 is the left-most (most significant) bit. */
		bits[revoked[i] / 8] |= (uint8_t)(0x80u >> (revoked[i] % 8));
	}
	/*
	 * GZIP (RFC 1952), as the format asks. Level 6, serve's pages' own:
	 * its compressor is kept already, and on a bitstring of mostly
	 * zeroes a higher level gains nothing worth another one.
	 */
	if ((rc = mb_gzip(bits, length / 8, 6, &gz)) != MB_OK ||
	    (rc = mb_buf_putc(&enc, 'u')) != MB_OK ||
	    (rc = mb_b64url_encode((uint8_t *)gz.data, gz.len, &enc)) != MB_OK)
		goto fail;

	mb_key_public(k, pk);
	mb_didkey_format(pk, did);
	from = o->valid_from_ms ? o->valid_from_ms : mb_time_now_ms();
	if ((doc = json_object()) == NULL || (ctx = json_array()) == NULL) {
		rc = MB_ERR_NOMEM;
		goto fail;
	}
	json_array_append_new(ctx, json_string(MB_VC_CONTEXT));
	json_object_set_new(doc, "@context", ctx);
	if ((rc = mb_signed__set_str(doc, "id", o->id, d)) != MB_OK)
		goto fail;
	json_object_set_new(doc, "type", json_pack("[ss]",
	    "VerifiableCredential", "BitstringStatusListCredential"));
	if (o->issuer_name != NULL) {
		/* VC 2.0's own "name": no Open Badges Profile type here,
		 * the list has only the VC context. */
		if ((iss = json_object()) == NULL) {
			rc = MB_ERR_NOMEM;
			goto fail;
		}
		json_object_set_new(doc, "issuer", iss);
		if ((rc = mb_signed__set_str(iss, "id", o->issuer_id ?
		    o->issuer_id : did, d)) != MB_OK ||
		    (rc = mb_signed__set_str(iss, "name", o->issuer_name,
		    d)) != MB_OK)
			goto fail;
	} else if ((rc = mb_signed__set_str(doc, "issuer", o->issuer_id ?
	    o->issuer_id : did, d)) != MB_OK) {
		goto fail;
	}
	if ((rc = mb_signed__set_time(doc, "validFrom", from)) != MB_OK ||
	    (o->valid_until_ms != 0 && (rc = mb_signed__set_time(doc,
	    "validUntil", o->valid_until_ms)) != MB_OK))
		goto fail;
	if ((cs = json_object()) == NULL) {
		rc = MB_ERR_NOMEM;
		goto fail;
	}
	json_object_set_new(doc, "credentialSubject", cs);
	if ((rc = mb_signed__set_str(cs, "id", subj, d)) != MB_OK)
		goto fail;
	json_object_set_new(cs, "type", json_string("BitstringStatusList"));
	json_object_set_new(cs, "statusPurpose", json_string("revocation"));
	json_object_set_new(cs, "encodedList", json_string(enc.data));

	po.verification_method = o->verification_method;
	po.created_ms = o->created_ms ? o->created_ms : mb_time_now_ms();
	po.proof_purpose = NULL;
	if ((rc = mb_proof_sign(doc, k, &po, d)) != MB_OK)
		goto fail;
	*out = doc;
	doc = NULL;
fail:
	json_decref(doc);
	free(bits);
	mb_buf_free(&gz);
	mb_buf_free(&enc);
	return rc;
}

int
mb_status_list_load(const char *buf, size_t len, const uint8_t *pk,
    int64_t now_ms, struct mb_status_list **out, enum mb_verdict *why,
    struct mb_diag *d)
{
	struct mb_status_list	*sl = NULL;
	const json_t		*cs, *size;
	const char		*enc;
	uint8_t			*gz = NULL;
	size_t			 gzlen, enclen, bitslen;
	json_t			*doc = NULL;
	int			 rc;

	if ((rc = mb_signed__parse(buf, len, MB_CREDENTIAL_MAX, &doc, why,
	    d)) != MB_OK)
		goto fail;
	/* The proof first: nothing unsigned gets inflated. */
	if ((rc = mb_proof_verify(doc, pk, NULL, NULL, why, d)) != MB_OK)
		goto fail;
	cs = json_object_get(doc, "credentialSubject");
	if (!mb_signed__has(json_object_get(doc, "type"),
	    "BitstringStatusListCredential") || !json_is_object(cs) ||
	    !mb_signed__has(json_object_get(cs, "type"),
	    "BitstringStatusList") || str(doc, "id") == NULL) {
		rc = refuse(why, MB_VERDICT_MALFORMED, d, MB_ERR_INVAL,
		    "not a BitstringStatusListCredential with an id");
		goto fail;
	}
	if (!mb_signed__has(json_object_get(cs, "statusPurpose"),
	    "revocation")) {
		rc = refuse(why, MB_VERDICT_UNSUPPORTED, d, MB_ERR_UNSUPPORTED,
		    "the status list is not for revocation");
		goto fail;
	}
	if ((size = json_object_get(cs, "statusSize")) != NULL &&
	    json_integer_value(size) != 1) {
		rc = refuse(why, MB_VERDICT_UNSUPPORTED, d, MB_ERR_UNSUPPORTED,
		    "only statusSize 1 is supported");
		goto fail;
	}
	if ((rc = mb_signed__check_validity(doc, now_ms, "the status list",
	    why, d)) != MB_OK)
		goto fail;
	enc = str(cs, "encodedList");
	if (enc == NULL || enc[0] != 'u') {
		rc = refuse(why, MB_VERDICT_MALFORMED, d, MB_ERR_INVAL,
		    "encodedList must be multibase base64url ('u...')");
		goto fail;
	}
	enclen = strlen(enc + 1);
	if ((gz = malloc(enclen / 4 * 3 + 3)) == NULL) {
		rc = MB_ERR_NOMEM;
		goto fail;
	}
	if (mb_b64url_decode(enc + 1, enclen, gz, enclen / 4 * 3 + 3,
	    &gzlen) != MB_OK) {
		rc = refuse(why, MB_VERDICT_MALFORMED, d, MB_ERR_INVAL,
		    "encodedList is not base64url");
		goto fail;
	}
	if ((sl = calloc(1, sizeof(*sl))) == NULL) {
		rc = MB_ERR_NOMEM;
		goto fail;
	}
	rc = gunzip_bytes(gz, gzlen, MB_STATUS_LIST_MAX / 8, &sl->bits,
	    &bitslen);
	if (rc == MB_ERR_TOOBIG) {
		rc = refuse(why, MB_VERDICT_MALFORMED, d, MB_ERR_TOOBIG,
		    "encodedList expands beyond %u entries",
		    MB_STATUS_LIST_MAX);
		goto fail;
	} else if (rc != MB_OK) {
		rc = refuse(why, MB_VERDICT_MALFORMED, d, MB_ERR_INVAL,
		    "encodedList is not one GZIP member");
		goto fail;
	}
	if (bitslen * 8 < MB_STATUS_LIST_MIN) {
		rc = refuse(why, MB_VERDICT_MALFORMED, d, MB_ERR_INVAL,
		    "the status list holds %zu entries, fewer than %u",
		    bitslen * 8, MB_STATUS_LIST_MIN);
		goto fail;
	}
	sl->length = (uint64_t)bitslen * 8;
	sl->doc = doc;
	sl->id = str(doc, "id");
	free(gz);
	if (why != NULL)
		*why = MB_VERDICT_VALID;
	*out = sl;
	return MB_OK;
fail:
	if (sl != NULL)
		free(sl->bits);
	free(sl);
	free(gz);
	json_decref(doc);
	return rc;
}

const char *
mb_status_list_id(const struct mb_status_list *sl)
{
	return sl->id;
}

uint64_t
mb_status_list_length(const struct mb_status_list *sl)
{
	return sl->length;
}

int
mb_status_list_get(const struct mb_status_list *sl, uint64_t index)
{
	if (index >= sl->length)
		return -1;
	return (sl->bits[index / 8] >> (7 - index % 8)) & 1;
}

void
mb_status_list_free(struct mb_status_list *sl)
{
	if (sl == NULL)
		return;
	json_decref(sl->doc);
	free(sl->bits);
	free(sl);
}
