/* SPDX-License-Identifier: MIT */
/* Signed bundle documents (manifests, acks): JCS, Ed25519, and their checks. */
#include "bundle_int.h"

#include <string.h>

#include <sodium.h>

#include "item/jcs.h"
#include "item/json.h"

int
mb_bundle__sign(const struct mb_key *k, const char *kind, json_t *body,
    struct mb_buf *out, struct mb_diag *d)
{
	struct mb_buf	 canon = MB_BUF_INIT;
	uint8_t		 sig[MB_SIG_LEN];
	char		 sig64[MB_SIG_TEXT_LEN];
	json_t		*doc;
	int		 rc;

	if ((doc = json_object()) == NULL || json_object_set_new(doc, kind,
	    body) != 0) {
		json_decref(doc);
		return mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
	}
	if ((rc = mb_jcs_dump(doc, &canon, d)) != MB_OK)
		goto out;
	mb_key_sign(k, canon.data, canon.len, sig);
	mb_sig_format(sig, sig64);
	if (json_object_set_new(doc, "signature", json_string(sig64)) != 0) {
		rc = mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
		goto out;
	}
	rc = mb_jcs_dump(doc, out, d);
out:
	mb_buf_free(&canon);
	json_decref(doc);
	return rc;
}

static int
parse(const char *doc, size_t len, const char *kind, json_t **root,
    struct mb_diag *d)
{
	json_error_t	 je;
	json_t		*r;

	if ((r = mb_json_loadb(doc, len, JSON_REJECT_DUPLICATES, &je)) ==
	    NULL)
		return mb_diag_set(d, MB_ERR_INVAL, "%s: not JSON (%s, line "
		    "%d)", kind, je.text, je.line);
	if (!json_is_object(r) || json_object_size(r) != 2 ||
	    !json_is_object(json_object_get(r, kind)) ||
	    !json_is_string(json_object_get(r, "signature"))) {
		json_decref(r);
		return mb_diag_set(d, MB_ERR_INVAL, "%s: not a signed %s "
		    "({\"%s\": {...}, \"signature\": \"...\"})", kind, kind,
		    kind);
	}
	*root = r;
	return MB_OK;
}

int
mb_bundle__open(const char *doc, size_t len, const char *kind,
    json_t **body, struct mb_diag *d)
{
	json_t	*root;
	int	 rc;

	if ((rc = parse(doc, len, kind, &root, d)) != MB_OK)
		return rc;
	*body = json_incref(json_object_get(root, kind));
	json_decref(root);
	return MB_OK;
}

int
mb_bundle__check(const char *doc, size_t len, const char *kind,
    const uint8_t pk[MB_PUBKEY_LEN], struct mb_diag *d)
{
	struct mb_buf	 canon = MB_BUF_INIT;
	uint8_t		 sig[MB_SIG_LEN];
	json_t		*root;
	int		 rc;

	if ((rc = parse(doc, len, kind, &root, d)) != MB_OK)
		return rc;
	if (mb_sig_parse(json_string_value(json_object_get(root,
	    "signature")), sig) != MB_OK) {
		rc = mb_diag_set(d, MB_ERR_SIG, "%s: the signature is not "
		    "base64 of 64 bytes", kind);
		goto out;
	}
	if (json_object_del(root, "signature") != 0 ||
	    (rc = mb_jcs_dump(root, &canon, d)) != MB_OK) {
		rc = rc != MB_OK ? rc : mb_diag_set(d, MB_ERR_NOMEM,
		    "out of memory");
		goto out;
	}
	if (!mb_sig_verify(pk, canon.data, canon.len, sig))
		rc = mb_diag_set(d, MB_ERR_SIG, "%s: bad signature", kind);
out:
	mb_buf_free(&canon);
	json_decref(root);
	return rc;
}

void
mb_bundle__sha256(const void *data, size_t len, char hex[65])
{
	uint8_t h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, data, len);
	sodium_bin2hex(hex, 65, h, sizeof(h));
}

const char *
mb_bundle__str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

bool
mb_bundle__int(const json_t *o, const char *key, int64_t *v)
{
	const json_t *j = json_object_get(o, key);

	if (!json_is_integer(j))
		return false;
	*v = json_integer_value(j);
	return true;
}

bool
mb_bundle__center_ok(const char *id)
{
	size_t n;

	if (id == NULL || (n = strlen(id)) == 0 || n > 32 || id[0] < 'a' ||
	    id[0] > 'z')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((id[i] >= 'a' && id[i] <= 'z') || (id[i] >= '0' &&
		    id[i] <= '9') || id[i] == '-'))
			return false;
	return true;
}
