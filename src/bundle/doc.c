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

/*
 * A signed document as mb_bundle__sign writes it (JCS, so "<kind>"
 * sorts before "signature"):
 *   {"<kind>":BODY,"signature":"<88 base64>"}
 * and the message signed is {"<kind>":BODY}: the same bytes less the
 * signature. Checking those bytes needs no tree, so a manifest of up to
 * 256 MiB is never parsed before its signer is known to have written
 * it (a parse costs ten times the text in small allocations).
 */
#define SIG_MEMBER	",\"signature\":\""
#define SIG_TAIL	(sizeof(SIG_MEMBER) - 1 + MB_SIG_TEXT_LEN - 1 + 2)

/* Whether doc has that form; the body then ends at doc + len - SIG_TAIL. */
static bool
laid_out(const char *doc, size_t len, const char *kind)
{
	size_t	kl = strlen(kind), at;

	if (len < kl + 5 + SIG_TAIL || doc[0] != '{' || doc[1] != '"' ||
	    memcmp(doc + 2, kind, kl) != 0 || doc[kl + 2] != '"' ||
	    doc[kl + 3] != ':')
		return false;
	at = len - SIG_TAIL;
	return memcmp(doc + at, SIG_MEMBER, sizeof(SIG_MEMBER) - 1) == 0 &&
	    doc[len - 2] == '"' && doc[len - 1] == '}';
}

int
mb_bundle__check_raw(char *doc, size_t len, const char *kind,
    const uint8_t pk[MB_PUBKEY_LEN], struct mb_diag *d)
{
	char		sig64[MB_SIG_TEXT_LEN];
	uint8_t		sig[MB_SIG_LEN];
	size_t		at;
	bool		ok;

	if (!laid_out(doc, len, kind))
		return mb_diag_set(d, MB_ERR_INVAL, "%s: not a signed %s as "
		    "one is written ({\"%s\":{...},\"signature\":\"...\"}, "
		    "JCS)", kind, kind, kind);
	at = len - SIG_TAIL;
	memcpy(sig64, doc + at + sizeof(SIG_MEMBER) - 1, MB_SIG_TEXT_LEN - 1);
	sig64[MB_SIG_TEXT_LEN - 1] = '\0';
	if (mb_sig_parse(sig64, sig) != MB_OK)
		return mb_diag_set(d, MB_ERR_SIG, "%s: the signature is not "
		    "base64 of 64 bytes", kind);
	/* The message ends where the signature member starts: "}" there. */
	doc[at] = '}';
	ok = mb_sig_verify(pk, doc, at + 1, sig);
	doc[at] = ',';
	return ok ? MB_OK : mb_diag_set(d, MB_ERR_SIG, "%s: bad signature",
	    kind);
}

/* Past the string opening at p (a '"'); NULL when it does not close. */
static const char *
past_string(const char *p, const char *end)
{
	for (p++; p < end; p++) {
		if (*p == '\\')
			p++;
		else if (*p == '"')
			return p + 1;
	}
	return NULL;
}

/* Past the value starting at p, nested ones and strings included. */
static const char *
past_value(const char *p, const char *end)
{
	size_t depth = 0;

	while (p < end) {
		switch (*p) {
		case '"':
			if ((p = past_string(p, end)) == NULL)
				return NULL;
			if (depth == 0)
				return p;
			continue;
		case '{':
		case '[':
			depth++;
			break;
		case '}':
		case ']':
			if (depth == 0)
				return p;	/* a scalar's end */
			if (--depth == 0)
				return p + 1;
			break;
		case ',':
			if (depth == 0)
				return p;
			break;
		}
		p++;
	}
	return NULL;
}

int
mb_bundle__peek(const char *doc, size_t len, const char *kind,
    const char *key, char *out, size_t n)
{
	const char	*p = doc, *end = doc + len, *k, *v;
	size_t		 kl = strlen(key);

	if (!laid_out(doc, len, kind))
		return MB_ERR_INVAL;
	p += strlen(kind) + 4;		/* {"<kind>": */
	end -= SIG_TAIL;
	if (p >= end || *p++ != '{')
		return MB_ERR_INVAL;
	while (p < end && *p == '"') {
		k = p + 1;
		if ((p = past_string(p, end)) == NULL || p >= end || *p != ':')
			return MB_ERR_INVAL;
		v = ++p;
		if ((p = past_value(p, end)) == NULL || p >= end)
			return MB_ERR_INVAL;
		/* Only an unescaped string: the parse must read the same. */
		if ((size_t)(v - k) == kl + 2 && memcmp(k, key, kl) == 0) {
			if (*v != '"' || p - v < 2 || (size_t)(p - v - 2) >= n ||
			    memchr(v + 1, '\\', (size_t)(p - v - 2)) != NULL)
				return MB_ERR_INVAL;
			memcpy(out, v + 1, (size_t)(p - v - 2));
			out[p - v - 2] = '\0';
			return MB_OK;
		}
		if (*p == ',')
			p++;
	}
	return MB_ERR_NOTFOUND;
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
