/* SPDX-License-Identifier: MIT */
/* RFC 9421 signature bases, signing and verifying requests, the replay cache. */
#include "httpsig.h"

#include <ctype.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "item/id.h"

#define LABEL "mb"

int
mb_sync_content_digest(const void *body, size_t len, struct mb_buf *out)
{
	unsigned char	h[crypto_hash_sha256_BYTES];
	char		b64[sodium_base64_ENCODED_LEN(sizeof(h),
	    sodium_base64_VARIANT_ORIGINAL)];

	crypto_hash_sha256(h, body, len);
	sodium_bin2base64(b64, sizeof(b64), h, sizeof(h),
	    sodium_base64_VARIANT_ORIGINAL);
	return mb_buf_printf(out, "sha-256=:%s:", b64);
}

int
mb_sync_sigbase(const char *const *names, const char *const *values,
    size_t n, const char *params, struct mb_buf *out)
{
	for (size_t i = 0; i < n; i++) {
		/* A value must not smuggle in a line of its own. */
		if (strpbrk(values[i], "\r\n") != NULL)
			return MB_ERR_INVAL;
		if (mb_buf_printf(out, "\"%s\": %s\n", names[i], values[i]) !=
		    MB_OK)
			return MB_ERR_NOMEM;
	}
	if (mb_buf_printf(out, "\"@signature-params\": %s", params) != MB_OK)
		return MB_ERR_NOMEM;
	return MB_OK;
}

/* The value of one covered component of r, into v. */
static int
component(const struct mb_sync_req *r, const char *name, const char *digest,
    struct mb_buf *v)
{
	mb_buf_reset(v);
	if (strcmp(name, "@method") == 0)
		return mb_buf_puts(v, r->method);
	if (strcmp(name, "@authority") == 0) {
		const char *a = r->authority != NULL ? r->authority : "";

		for (; *a; a++)
			if (mb_buf_putc(v, (char)tolower((unsigned char)*a)) !=
			    MB_OK)
				return MB_ERR_NOMEM;
		return mb_buf_puts(v, "");
	}
	if (strcmp(name, "@path") == 0)
		return mb_buf_puts(v, r->path[0] != '\0' ? r->path : "/");
	if (strcmp(name, "@query") == 0)
		return mb_buf_printf(v, "?%s", r->query != NULL ? r->query :
		    "");
	if (strcmp(name, "content-digest") == 0 && digest != NULL)
		return mb_buf_puts(v, digest);
	return MB_ERR_INVAL;
}

static int
build_base(const struct mb_sync_req *r, const char *const *names, size_t n,
    const char *digest, const char *params, struct mb_buf *base)
{
	struct mb_buf	 vals[8];
	const char	*vp[8] = { NULL };
	int		 rc = MB_OK;

	if (n > 8)
		return MB_ERR_INVAL;
	memset(vals, 0, sizeof(vals));
	for (size_t i = 0; i < n && rc == MB_OK; i++) {
		rc = component(r, names[i], digest, &vals[i]);
		vp[i] = mb_buf_cstr(&vals[i]);
	}
	if (rc == MB_OK)
		rc = mb_sync_sigbase(names, vp, n, params, base);
	for (size_t i = 0; i < n; i++)
		mb_buf_free(&vals[i]);
	return rc;
}

int
mb_sync_httpsig_sign(const struct mb_sync_req *r, const char *keyid,
    const struct mb_key *k, int64_t now_s, struct mb_buf *sig_input,
    struct mb_buf *signature, struct mb_buf *content_digest,
    struct mb_diag *d)
{
	static const char *const names[] = { "@method", "@authority",
		"@path", "@query", "content-digest" };
	struct mb_buf	 params = MB_BUF_INIT, base = MB_BUF_INIT;
	struct mb_buf	 digest = MB_BUF_INIT;
	unsigned char	 nonce[16];
	char		 nonce64[sodium_base64_ENCODED_LEN(16,
	    sodium_base64_VARIANT_ORIGINAL)];
	uint8_t		 sig[MB_SIG_LEN];
	char		 sig64[MB_SIG_TEXT_LEN];
	size_t		 n = r->body != NULL ? 5 : 4;
	int		 rc = MB_ERR_NOMEM;

	if (!mb_center_id_valid(keyid))
		return mb_diag_set(d, MB_ERR_INVAL, "httpsig: bad key id");
	if (r->body != NULL && (content_digest == NULL ||
	    mb_sync_content_digest(r->body, r->body_len, &digest) != MB_OK))
		return mb_diag_set(d, MB_ERR_INVAL,
		    "httpsig: a body needs its content digest");
	randombytes_buf(nonce, sizeof(nonce));
	sodium_bin2base64(nonce64, sizeof(nonce64), nonce, sizeof(nonce),
	    sodium_base64_VARIANT_ORIGINAL);
	if (mb_buf_putc(&params, '(') != MB_OK)
		goto out;
	for (size_t i = 0; i < n; i++)
		if (mb_buf_printf(&params, "%s\"%s\"", i ? " " : "",
		    names[i]) != MB_OK)
			goto out;
	if (mb_buf_printf(&params, ");created=%lld;keyid=\"%s\";"
	    "alg=\"ed25519\";nonce=\"%s\"", (long long)now_s, keyid,
	    nonce64) != MB_OK)
		goto out;
	if ((rc = build_base(r, names, n, r->body != NULL ?
	    mb_buf_cstr(&digest) : NULL, mb_buf_cstr(&params), &base)) !=
	    MB_OK) {
		rc = mb_diag_set(d, rc, "httpsig: cannot build the base");
		goto out;
	}
	if ((rc = mb_key_sign_as(k, MB_SIGN_HTTPSIG, base.data, base.len, sig,
	    d)) != MB_OK)
		goto out;
	mb_sig_format(sig, sig64);
	rc = MB_ERR_NOMEM;
	if (mb_buf_printf(sig_input, LABEL "=%s", mb_buf_cstr(&params)) !=
	    MB_OK ||
	    mb_buf_printf(signature, LABEL "=:%s:", sig64) != MB_OK)
		goto out;
	if (r->body != NULL &&
	    mb_buf_puts(content_digest, mb_buf_cstr(&digest)) != MB_OK)
		goto out;
	rc = MB_OK;
out:
	mb_buf_free(&params);
	mb_buf_free(&base);
	mb_buf_free(&digest);
	return rc;
}

/* ---- parsing Signature-Input and Signature ------------------------------ */

struct parsed_input {
	char		 names[8][32];
	size_t		 n;
	int64_t		 created;
	int		 has_created;
	char		 keyid[33];
	char		 alg[16];
	const char	*params;	/* inside the header, after "mb=" */
	size_t		 params_len;
};

/* The member named LABEL of a dictionary header (RFC 8941), or NULL. */
static const char *
find_member(const char *h)
{
	const char *p = h;

	while (p != NULL && *p != '\0') {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (strncmp(p, LABEL "=", sizeof(LABEL)) == 0)
			return p + sizeof(LABEL);
		/* Skip this member: to the next comma outside quotes/parens. */
		for (int depth = 0, quoted = 0; *p != '\0'; p++) {
			if (quoted) {
				if (*p == '\\' && p[1] != '\0')
					p++;
				else if (*p == '"')
					quoted = 0;
			} else if (*p == '"') {
				quoted = 1;
			} else if (*p == '(') {
				depth++;
			} else if (*p == ')') {
				depth--;
			} else if (*p == ',' && depth == 0) {
				break;
			}
		}
	}
	return NULL;
}

/* A quoted string (no escapes needed for ours) into out. */
static const char *
parse_quoted(const char *p, char *out, size_t n)
{
	size_t i = 0;

	if (*p++ != '"')
		return NULL;
	while (*p != '"') {
		if (*p == '\0' || *p == '\\' || (unsigned char)*p < 0x20 ||
		    i + 1 >= n)
			return NULL;
		out[i++] = *p++;
	}
	out[i] = '\0';
	return p + 1;
}

static int
parse_input(const char *h, struct parsed_input *pi)
{
	const char	*p;
	char		 key[16], val[64];

	memset(pi, 0, sizeof(*pi));
	if ((p = find_member(h)) == NULL || *p != '(')
		return MB_ERR_SIG;
	pi->params = p++;
	while (*p != ')') {
		if (pi->n == 8)
			return MB_ERR_SIG;
		if ((p = parse_quoted(p, pi->names[pi->n],
		    sizeof(pi->names[0]))) == NULL)
			return MB_ERR_SIG;
		pi->n++;
		if (*p == ' ')
			p++;
		else if (*p != ')')
			return MB_ERR_SIG;
	}
	p++;
	while (*p == ';') {
		size_t i = 0;

		p++;
		while ((islower((unsigned char)*p) || *p == '-') &&
		    i + 1 < sizeof(key))
			key[i++] = *p++;
		key[i] = '\0';
		if (*p++ != '=')
			return MB_ERR_SIG;
		if (*p == '"') {
			if ((p = parse_quoted(p, val, sizeof(val))) == NULL)
				return MB_ERR_SIG;
		} else {
			char *end;
			long long v = strtoll(p, &end, 10);

			if (end == p || !isdigit((unsigned char)*p))
				return MB_ERR_SIG;
			p = end;
			if (strcmp(key, "created") == 0) {
				pi->created = v;
				pi->has_created = 1;
			}
			continue;
		}
		if (strcmp(key, "keyid") == 0) {
			if (strlen(val) >= sizeof(pi->keyid))
				return MB_ERR_SIG;
			memcpy(pi->keyid, val, strlen(val) + 1);
		} else if (strcmp(key, "alg") == 0) {
			if (strlen(val) >= sizeof(pi->alg))
				return MB_ERR_SIG;
			memcpy(pi->alg, val, strlen(val) + 1);
		}
	}
	pi->params_len = (size_t)(p - pi->params);
	if (*p != '\0' && *p != ',' && *p != ' ')
		return MB_ERR_SIG;
	return MB_OK;
}

static bool
covers(const struct parsed_input *pi, const char *name)
{
	for (size_t i = 0; i < pi->n; i++)
		if (strcmp(pi->names[i], name) == 0)
			return true;
	return false;
}

/* ---- the replay cache --------------------------------------------------- */

struct replay_slot {
	unsigned char	h[16];
	int64_t		expires;	/* unix seconds; 0: free */
};

struct mb_sync_replay {
	pthread_mutex_t		 lock;
	struct replay_slot	*slots;
	size_t			 mask;
};

int
mb_sync_replay_new(size_t capacity, struct mb_sync_replay **out)
{
	struct mb_sync_replay	*rc;
	size_t			 n = 1024;

	while (n < capacity)
		n <<= 1;
	if ((rc = calloc(1, sizeof(*rc))) == NULL ||
	    (rc->slots = calloc(n, sizeof(*rc->slots))) == NULL) {
		free(rc);
		return MB_ERR_NOMEM;
	}
	rc->mask = n - 1;
	pthread_mutex_init(&rc->lock, NULL);
	*out = rc;
	return MB_OK;
}

void
mb_sync_replay_free(struct mb_sync_replay *rc)
{
	if (rc == NULL)
		return;
	pthread_mutex_destroy(&rc->lock);
	free(rc->slots);
	free(rc);
}

/*
 * Remembers a signature until expires: MB_OK the first time, MB_ERR_SIG
 * when seen already, MB_ERR_AGAIN when the cache has no room nearby.
 */
static int
replay_check(struct mb_sync_replay *rc, const uint8_t sig[MB_SIG_LEN],
    int64_t now_s, int64_t expires)
{
	unsigned char	 h[16];
	size_t		 i, probe;
	struct replay_slot *free_slot = NULL;
	int		 ret = MB_ERR_AGAIN;

	crypto_generichash(h, sizeof(h), sig, MB_SIG_LEN, NULL, 0);
	memcpy(&i, h, sizeof(i));
	pthread_mutex_lock(&rc->lock);
	for (probe = 0; probe < 64; probe++) {
		struct replay_slot *s = &rc->slots[(i + probe) & rc->mask];

		if (s->expires >= now_s && memcmp(s->h, h, sizeof(h)) == 0) {
			ret = MB_ERR_SIG;
			goto out;
		}
		if (s->expires < now_s && free_slot == NULL)
			free_slot = s;
	}
	if (free_slot != NULL) {
		memcpy(free_slot->h, h, sizeof(h));
		free_slot->expires = expires;
		ret = MB_OK;
	}
out:
	pthread_mutex_unlock(&rc->lock);
	return ret;
}

/* ---- verifying ---------------------------------------------------------- */

int
mb_sync_httpsig_verify(const struct mb_sync_req *r, const char *sig_input,
    const char *signature, int64_t now_s, struct mb_sync_replay *replay,
    mb_sync_key_lookup lookup, void *arg, char keyid[33], struct mb_diag *d)
{
	struct parsed_input	 pi;
	struct mb_buf		 base = MB_BUF_INIT, params = MB_BUF_INIT;
	struct mb_buf		 digest = MB_BUF_INIT;
	const char		*names[8], *p;
	char			 sig64[MB_SIG_TEXT_LEN + 1];
	uint8_t			 sig[MB_SIG_LEN], pk[MB_PUBKEY_LEN];
	size_t			 i;
	int			 rc;

	if (sig_input == NULL || signature == NULL)
		return mb_diag_set(d, MB_ERR_SIG,
		    "unsigned request: Signature-Input and Signature are "
		    "required");
	if (parse_input(sig_input, &pi) != MB_OK)
		return mb_diag_set(d, MB_ERR_SIG,
		    "Signature-Input: no well-formed \"" LABEL "\" member");
	if (!covers(&pi, "@method") || !covers(&pi, "@path") ||
	    !covers(&pi, "@query") || !covers(&pi, "@authority"))
		return mb_diag_set(d, MB_ERR_SIG,
		    "Signature-Input: must cover @method, @authority, @path "
		    "and @query");
	if (r->body != NULL && !covers(&pi, "content-digest"))
		return mb_diag_set(d, MB_ERR_SIG,
		    "Signature-Input: a body needs content-digest covered");
	if (!pi.has_created || pi.keyid[0] == '\0')
		return mb_diag_set(d, MB_ERR_SIG,
		    "Signature-Input: created and keyid are required");
	if (pi.alg[0] != '\0' && strcmp(pi.alg, "ed25519") != 0)
		return mb_diag_set(d, MB_ERR_SIG,
		    "Signature-Input: alg must be ed25519");
	if (pi.created < now_s - MB_SYNC_SIG_WINDOW ||
	    pi.created > now_s + MB_SYNC_SIG_WINDOW)
		return mb_diag_set(d, MB_ERR_SIG,
		    "signature created %lld s from now: outside the %d s "
		    "window (check the clocks)", (long long)(pi.created - now_s),
		    MB_SYNC_SIG_WINDOW);
	/* Signature: mb=:<base64>: */
	if ((p = find_member(signature)) == NULL || *p != ':')
		return mb_diag_set(d, MB_ERR_SIG,
		    "Signature: no \"" LABEL "\" member");
	p++;
	for (i = 0; p[i] != ':' && p[i] != '\0' && i < MB_SIG_TEXT_LEN; i++)
		sig64[i] = p[i];
	sig64[i] = '\0';
	if (p[i] != ':' || mb_sig_parse(sig64, sig) != MB_OK)
		return mb_diag_set(d, MB_ERR_SIG,
		    "Signature: not an ed25519 signature");
	if (r->body != NULL) {
		if (mb_sync_content_digest(r->body, r->body_len, &digest) !=
		    MB_OK)
			return MB_ERR_NOMEM;
		if (r->content_digest == NULL ||
		    strcmp(r->content_digest, mb_buf_cstr(&digest)) != 0) {
			mb_buf_free(&digest);
			return mb_diag_set(d, MB_ERR_SIG,
			    "Content-Digest: does not match the body");
		}
	}
	if (!mb_center_id_valid(pi.keyid)) {
		mb_buf_free(&digest);
		return mb_diag_set(d, MB_ERR_SIG, "keyid: not a center id");
	}
	if ((rc = lookup(pi.keyid, pk, arg, d)) != MB_OK) {
		mb_buf_free(&digest);
		if (rc == MB_ERR_PERM)
			return rc;
		return mb_diag_set(d, MB_ERR_SIG,
		    "keyid: center %s is not a member", pi.keyid);
	}
	for (i = 0; i < pi.n; i++)
		names[i] = pi.names[i];
	rc = mb_buf_append(&params, pi.params, pi.params_len);
	if (rc == MB_OK)
		rc = build_base(r, names, pi.n, r->body != NULL ?
		    mb_buf_cstr(&digest) : NULL, mb_buf_cstr(&params), &base);
	if (rc != MB_OK) {
		rc = mb_diag_set(d, MB_ERR_SIG,
		    "Signature-Input: covers a component this request lacks");
		goto out;
	}
	if (!mb_sig_verify(pk, base.data, base.len, sig)) {
		rc = mb_diag_set(d, MB_ERR_SIG,
		    "signature does not verify with %s's key", pi.keyid);
		goto out;
	}
	if (replay != NULL) {
		rc = replay_check(replay, sig, now_s,
		    pi.created + MB_SYNC_SIG_WINDOW);
		if (rc == MB_ERR_SIG) {
			rc = mb_diag_set(d, MB_ERR_EXISTS,
			    "replayed request: this signature was used "
			    "already");
			goto out;
		}
		if (rc != MB_OK) {
			rc = mb_diag_set(d, MB_ERR_AGAIN,
			    "too many signed requests: try again");
			goto out;
		}
	}
	snprintf(keyid, 33, "%s", pi.keyid);
	rc = MB_OK;
out:
	mb_buf_free(&base);
	mb_buf_free(&params);
	mb_buf_free(&digest);
	return rc;
}
