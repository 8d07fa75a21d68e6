/* SPDX-License-Identifier: MIT */
/* serve's signer: what it agrees to sign, and the two ends of its socket. */
#include "signer.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <jansson.h>

#include "base/buf.h"
#include "base/fdio.h"
#include "item/envelope.h"
#include "item/id.h"
#include "item/jcs.h"
#include "item/json.h"

#define HDR 16
#define MSG_MAX 255

/* ---- What may be signed ------------------------------------------- */

static int
check_envelope(const char *own, const char *msg, size_t len,
    struct mb_diag *d)
{
	const struct mb_item_info	*info;
	struct mb_envelope		*e = NULL;
	struct mb_buf			 canon = MB_BUF_INIT;
	json_error_t			 jerr;
	json_t				*root, *item, *meta;
	int				 rc;

	if (len > MB_ENVELOPE_MAX)
		return mb_diag_set(d, MB_ERR_TOOBIG, "the signed envelope "
		    "would be %zu bytes, over the limit of %u bytes (4 MiB); "
		    "shorten the text or put media in renditions", len,
		    MB_ENVELOPE_MAX);
	if ((root = mb_json_loadb(msg, len, JSON_REJECT_DUPLICATES,
	    &jerr)) == NULL)
		return mb_diag_set(d, MB_ERR_PERM, "signer: an envelope that "
		    "is not JSON");
	item = json_object_get(root, "item");
	meta = json_object_get(root, "meta");
	if (!json_is_object(root) || json_object_size(root) != 2 ||
	    item == NULL || meta == NULL) {
		json_decref(root);
		return mb_diag_set(d, MB_ERR_PERM, "signer: an envelope is "
		    "exactly {item, meta}");
	}
	/* mb_envelope_new steals both: they stay alive in root too. */
	rc = mb_envelope_new(json_incref(item), json_incref(meta), &e, d);
	json_decref(root);
	if (rc != MB_OK)
		return mb_diag_set(d, MB_ERR_PERM, "signer: %s",
		    mb_diag_msg(d, rc));
	info = mb_envelope_info(e);
	if (strcmp(info->origin, own) != 0 || strcmp(info->center, own) != 0)
		rc = mb_diag_set(d, MB_ERR_PERM, "signer: %s of origin %s is "
		    "not this center's (%s)", info->uri, info->origin, own);
	else if ((rc = mb_envelope_signed_bytes(e, &canon, d)) == MB_OK &&
	    (canon.len != len || memcmp(canon.data, msg, len) != 0))
		rc = mb_diag_set(d, MB_ERR_PERM, "signer: the envelope is not "
		    "in canonical form (RFC 8785)");
	mb_buf_free(&canon);
	mb_envelope_free(e);
	return rc;
}

/* A line of a signature base: "name": value, printable ASCII. */
static bool
base_line(const char *p, size_t n, const char *name)
{
	size_t k = strlen(name);

	if (n < k + 4 || p[0] != '"' || memcmp(p + 1, name, k) != 0 ||
	    memcmp(p + 1 + k, "\": ", 3) != 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)p[i] < 0x20 || (unsigned char)p[i] > 0x7e)
			return false;
	return true;
}

/*
 * RFC 9421 §2.5 as sync/httpsig.c builds it: @method, @authority,
 * @path (of the federation API), @query, optionally content-digest,
 * then @signature-params naming this center as keyid, ed25519.
 */
static int
check_base(const char *own, const char *msg, size_t len, struct mb_diag *d)
{
	static const char *const names[] = { "@method", "@authority",
		"@path", "@query", "content-digest", "@signature-params" };
	const char	*p = msg, *end = msg + len, *nl;
	char		 want[MB_CENTER_MAX + 16];
	size_t		 i = 0, n;

	if (len > MB_SIGNER_MAX_BASE)
		return mb_diag_set(d, MB_ERR_TOOBIG, "signer: a signature "
		    "base of %zu bytes", len);
	for (; p < end; p = nl + 1, i++) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		n = (size_t)(nl - p);
		/* content-digest is there only for a request with a body. */
		if (i == 4 && !base_line(p, n, names[4]))
			i = 5;
		if (i >= 6 || !base_line(p, n, names[i]))
			return mb_diag_set(d, MB_ERR_PERM, "signer: not a "
			    "signature base of a federation request");
		/* `"@path": ` is 9 bytes; the value may end the buffer. */
		if (i == 2 && (n < 9 + 12 ||
		    memcmp(p + 9, "/federation/", 12) != 0))
			return mb_diag_set(d, MB_ERR_PERM, "signer: a request "
			    "outside /federation/");
		if (i == 5) {
			if (nl != end)
				return mb_diag_set(d, MB_ERR_PERM, "signer: "
				    "lines after @signature-params");
			snprintf(want, sizeof(want), ";keyid=\"%s\";", own);
			if (memmem(p, n, want, strlen(want)) == NULL ||
			    memmem(p, n, ";alg=\"ed25519\"", 14) == NULL)
				return mb_diag_set(d, MB_ERR_PERM, "signer: "
				    "the signature is not this center's");
			return MB_OK;
		}
	}
	return mb_diag_set(d, MB_ERR_PERM, "signer: a signature base without "
	    "@signature-params");
}

static int
check_registry(const char *own, const char *msg, size_t len,
    struct mb_diag *d)
{
	struct mb_buf	 canon = MB_BUF_INIT;
	json_error_t	 jerr;
	json_t		*root;
	const char	*hq;
	int		 rc = MB_OK;

	if (len > MB_SIGNER_MAX_REQUEST)
		return mb_diag_set(d, MB_ERR_TOOBIG, "signer: a registry of "
		    "%zu bytes", len);
	if ((root = mb_json_loadb(msg, len, JSON_REJECT_DUPLICATES,
	    &jerr)) == NULL)
		return mb_diag_set(d, MB_ERR_PERM, "signer: a registry that is "
		    "not JSON");
	hq = json_string_value(json_object_get(root, "hq"));
	if (!json_is_object(root) || json_object_size(root) != 4 ||
	    json_integer_value(json_object_get(root, "version")) < 1 ||
	    !json_is_string(json_object_get(root, "issued")) ||
	    !json_is_array(json_object_get(root, "centers")) || hq == NULL ||
	    strcmp(hq, own) != 0)
		rc = mb_diag_set(d, MB_ERR_PERM, "signer: not a registry of "
		    "this center as HQ");
	else if (mb_jcs_dump(root, &canon, d) != MB_OK || canon.len != len ||
	    memcmp(canon.data, msg, len) != 0)
		rc = mb_diag_set(d, MB_ERR_PERM, "signer: the registry is not "
		    "in canonical form (RFC 8785)");
	mb_buf_free(&canon);
	json_decref(root);
	return rc;
}

/*
 * signed/compact.c: a domain tag "mediabridge <what> v<n>" (printable
 * ASCII), its NUL, and a body. The tag keeps a ticket from being taken
 * for anything else a verifier checks.
 */
static int
check_compact(const char *msg, size_t len, struct mb_diag *d)
{
	const char	*nul, *v;
	size_t		 n;

	if (len > MB_SIGNER_MAX_COMPACT)
		return mb_diag_set(d, MB_ERR_TOOBIG, "signer: a compact "
		    "artefact of %zu bytes", len);
	if ((nul = memchr(msg, '\0', len < 64 ? len : 64)) == NULL ||
	    (n = (size_t)(nul - msg)) < 15 || n + 1 == len ||
	    memcmp(msg, "mediabridge ", 12) != 0)
		return mb_diag_set(d, MB_ERR_PERM, "signer: not a compact "
		    "artefact (\"mediabridge <what> v<n>\", NUL, body)");
	for (size_t i = 12; i < n; i++)
		if ((unsigned char)msg[i] < 0x20 ||
		    (unsigned char)msg[i] > 0x7e)
			return mb_diag_set(d, MB_ERR_PERM, "signer: a compact "
			    "artefact's tag is printable ASCII");
	for (v = nul; v > msg + 12 && v[-1] >= '0' && v[-1] <= '9'; v--)
		;
	if (v == nul || v - msg < 14 || memcmp(v - 2, " v", 2) != 0)
		return mb_diag_set(d, MB_ERR_PERM, "signer: a compact "
		    "artefact's tag ends in \" v<n>\"");
	return MB_OK;
}

int
mb_signer_check(int kind, const char *own_id, const void *msg, size_t len,
    struct mb_diag *d)
{
	switch (kind) {
	case MB_SIGN_ENVELOPE:
		return check_envelope(own_id, msg, len, d);
	case MB_SIGN_HTTPSIG:
		return check_base(own_id, msg, len, d);
	case MB_SIGN_REGISTRY:
		return check_registry(own_id, msg, len, d);
	case MB_SIGN_COMPACT:
		return check_compact(msg, len, d);
	case MB_SIGN_PROOF:
		/* SHA-256(JCS(proof config)) || SHA-256(JCS(document)): the
		 * signer cannot see past the hashes, but 64 bytes are no
		 * envelope, base, registry or compact artefact. */
		return len == 64 ? MB_OK : mb_diag_set(d, MB_ERR_PERM,
		    "signer: a Data Integrity hash is 64 bytes, not %zu", len);
	default:
		return mb_diag_set(d, MB_ERR_PERM, "signer: unknown request "
		    "kind %d", kind);
	}
}

/* ---- The socket ---------------------------------------------------- */

static void
hdr_put(uint8_t h[HDR], const char *magic, int32_t code, uint64_t len)
{
	memcpy(h, magic, 4);
	memcpy(h + 4, &code, 4);
	memcpy(h + 8, &len, 8);
}

static void
hdr_get(const uint8_t h[HDR], int32_t *code, uint64_t *len)
{
	memcpy(code, h + 4, 4);
	memcpy(len, h + 8, 8);
}

int
mb_signer_answer(const struct mb_key *k, const char *own_id, int fd,
    struct mb_diag *d)
{
	uint8_t		 h[HDR], sig[MB_SIG_LEN];
	struct mb_diag	 why = { "" };
	struct mb_buf	 msg = MB_BUF_INIT;
	uint64_t	 len;
	int32_t		 kind;
	const char	*reply;
	size_t		 rlen;
	int		 rc;

	if (mb_fd_read_all(fd, h, HDR) != 0)
		return mb_diag_set(d, MB_ERR_IO, "signer: the worker is gone");
	hdr_get(h, &kind, &len);
	if (memcmp(h, "MBSQ", 4) != 0 || len > MB_SIGNER_MAX_REQUEST)
		return mb_diag_set(d, MB_ERR_IO, "signer: a request without "
		    "its magic or over %u bytes", MB_SIGNER_MAX_REQUEST);
	if (mb_buf_reserve(&msg, len + 1) != MB_OK ||
	    mb_fd_read_all(fd, msg.data, len) != 0) {
		mb_buf_free(&msg);
		return mb_diag_set(d, MB_ERR_IO, "signer: a request cut short");
	}
	if ((rc = mb_signer_check(kind, own_id, msg.data, len, &why)) ==
	    MB_OK) {
		rc = mb_key_sign_as(k, kind, msg.data, len, sig, &why);
		reply = (const char *)sig;
		rlen = sizeof(sig);
	} else {
		reply = mb_diag_msg(&why, rc);
		rlen = strnlen(reply, MSG_MAX);
	}
	mb_buf_free(&msg);
	hdr_put(h, "MBSR", rc, rlen);
	if (mb_fd_send_all(fd, h, HDR) != 0 || mb_fd_send_all(fd, reply, rlen) != 0)
		return mb_diag_set(d, MB_ERR_IO, "signer: the worker is gone");
	return MB_OK;
}

int
mb_signer_ask(int fd, enum mb_sign_kind kind, const void *msg, size_t len,
    uint8_t sig[MB_SIG_LEN], struct mb_diag *d)
{
	uint8_t		h[HDR];
	char		why[MSG_MAX + 1];
	uint64_t	rlen;
	int32_t		status;

	hdr_put(h, "MBSQ", (int32_t)kind, len);
	if (mb_fd_send_all(fd, h, HDR) != 0 || mb_fd_send_all(fd, msg, len) != 0 ||
	    mb_fd_read_all(fd, h, HDR) != 0)
		return mb_diag_set(d, MB_ERR_IO, "signer: the signing process "
		    "is gone");
	hdr_get(h, &status, &rlen);
	if (memcmp(h, "MBSR", 4) != 0 ||
	    (status == MB_OK && rlen != MB_SIG_LEN) ||
	    (status != MB_OK && (rlen > MSG_MAX || status > 0 ||
	    status < MB_ERR_UNSUPPORTED)))
		return mb_diag_set(d, MB_ERR_IO, "signer: a reply out of "
		    "protocol");
	if (status == MB_OK)
		return mb_fd_read_all(fd, sig, MB_SIG_LEN) == 0 ? MB_OK :
		    mb_diag_set(d, MB_ERR_IO, "signer: a reply cut short");
	if (mb_fd_read_all(fd, why, rlen) != 0)
		return mb_diag_set(d, MB_ERR_IO, "signer: a reply cut short");
	why[rlen] = '\0';
	return mb_diag_set(d, status, "%s", why);
}
