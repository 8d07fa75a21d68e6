/* SPDX-License-Identifier: MIT */
/* RFC 9421 HTTP Message Signatures with ed25519 for federation requests. */
#ifndef MB_SYNC_HTTPSIG_H
#define MB_SYNC_HTTPSIG_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"
#include "item/key.h"

/*
 * Every federation request (but GET /federation/v1/center) carries
 *   Signature-Input: mb=("@method" "@authority" "@path" "@query"
 *       ["content-digest"]);created=<unix s>;keyid="<center id>";
 *       alg="ed25519";nonce="<base64 of 16 random bytes>"
 *   Signature: mb=:<base64 of the Ed25519 signature of the base>:
 * (one line each), signed with the calling center's key. The verifier
 * rebuilds the signature base (RFC 9421 §2.5) from the request it
 * received, checks created against its clock (MB_SYNC_SIG_WINDOW), the
 * key of the center named by keyid, and refuses a signature it has
 * already seen (a replay cache covering the window). See
 * docs/protocol.md.
 */

/* How far created may be from the verifier's clock, in seconds. */
#define MB_SYNC_SIG_WINDOW 300

/* What a signature covers of one request. */
struct mb_sync_req {
	const char	*method;	/* "GET" */
	const char	*authority;	/* the Host: "127.0.0.1:8080" */
	const char	*path;		/* "/federation/v1/log", not decoded */
	const char	*query;		/* "after=1&limit=2" (no "?"), may be
					   NULL or "" */
	const void	*body;		/* NULL: no body */
	size_t		 body_len;
	const char	*content_digest;/* verifying a body: the header */
};

/* "sha-256=:<base64>:", the Content-Digest (RFC 9530) of a body. */
int mb_sync_content_digest(const void *body, size_t len, struct mb_buf *out);

/*
 * The signature base (RFC 9421 §2.5) of n covered components with their
 * values, and the serialized signature parameters (the inner list and
 * its parameters, as Signature-Input carries them after "label=").
 */
int mb_sync_sigbase(const char *const *names, const char *const *values,
    size_t n, const char *params, struct mb_buf *out);

/*
 * Signs a request as center keyid at now_s (unix seconds). Appends the
 * values of the Signature-Input and Signature headers; when the request
 * has a body, content_digest (not NULL then) gets the Content-Digest
 * header's value, which the request must carry too.
 */
int mb_sync_httpsig_sign(const struct mb_sync_req *r, const char *keyid,
    const struct mb_key *k, int64_t now_s, struct mb_buf *sig_input,
    struct mb_buf *signature, struct mb_buf *content_digest,
    struct mb_diag *d);

/*
 * The verifier's view of callers: the public key of center id, MB_OK;
 * MB_ERR_NOTFOUND for an unknown center; MB_ERR_PERM for one that may
 * not call (suspended, revoked), with d saying so.
 */
typedef int (*mb_sync_key_lookup)(const char *id, uint8_t pk[MB_PUBKEY_LEN],
    void *arg, struct mb_diag *d);

/* Signatures seen within the window, so that none is accepted twice. */
struct mb_sync_replay;

int mb_sync_replay_new(size_t capacity, struct mb_sync_replay **out);
void mb_sync_replay_free(struct mb_sync_replay *rc);

/*
 * Verifies the signature of a received request whose headers were
 * sig_input and signature (either may be NULL: missing). On success
 * keyid (33 bytes) names the calling center. Returns MB_ERR_SIG for
 * anything that makes the request unauthenticated (missing, malformed,
 * stale, unknown key, bad signature: 401), MB_ERR_EXISTS for a request
 * seen already (replayed: 401 too, but the caller may just be behind a
 * transport that sent it twice) and MB_ERR_PERM for a known center that
 * may not call (403). replay may be NULL (no replay
 * check: tests only). Thread-safe when replay is shared.
 */
int mb_sync_httpsig_verify(const struct mb_sync_req *r,
    const char *sig_input, const char *signature, int64_t now_s,
    struct mb_sync_replay *replay, mb_sync_key_lookup lookup, void *arg,
    char keyid[33], struct mb_diag *d);

#endif
