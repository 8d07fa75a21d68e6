/* SPDX-License-Identifier: MIT */
/* Unit tests for src/sync/httpsig: RFC 9421's ed25519 example, sign/verify, replays. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "sync/httpsig.h"

/*
 * RFC 9421 Appendix B.2.6: test-key-ed25519 (B.1.4) signs a base over
 * date, @method, @path, @authority, content-type and content-length.
 * The seed is the last 32 bytes of the PKCS#8 key in B.1.4.
 */
static const char rfc_seed_b64[] =
    "MC4CAQAwBQYDK2VwBCIEIJ+DYvh6SEqVTm50DFtMDoQikTmiCqirVv9mWG9qfSnF";
static const char rfc_pub_b64[] =
    "MCowBQYDK2VwAyEAJrQLj5P/89iXES9+vFgrIy29clF9CC/oPPsw3c5D0bs=";
static const char rfc_sig_b64[] =
    "wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6v"
    "uQv5lIp5WPpBKRCw==";
static const char rfc_base[] =
    "\"date\": Tue, 20 Apr 2021 02:07:55 GMT\n"
    "\"@method\": POST\n"
    "\"@path\": /foo\n"
    "\"@authority\": example.com\n"
    "\"content-type\": application/json\n"
    "\"content-length\": 18\n"
    "\"@signature-params\": (\"date\" \"@method\" \"@path\" \"@authority\" "
    "\"content-type\" \"content-length\");created=1618884473"
    ";keyid=\"test-key-ed25519\"";

static void
b64(const char *s, unsigned char *out, size_t max, size_t *len)
{
	assert_int_equal(sodium_base642bin(out, max, s, strlen(s), NULL, len,
	    NULL, sodium_base64_VARIANT_ORIGINAL), 0);
}

static void
test_rfc9421_b26(void **state)
{
	static const char *const names[] = { "date", "@method", "@path",
		"@authority", "content-type", "content-length" };
	static const char *const values[] = {
		"Tue, 20 Apr 2021 02:07:55 GMT", "POST", "/foo",
		"example.com", "application/json", "18" };
	struct mb_buf	base = MB_BUF_INIT;
	unsigned char	der[64], pub[64], want[64], sig[64];
	unsigned char	pk[32], sk[64];
	size_t		dlen, plen, slen;

	(void)state;
	assert_int_equal(mb_sync_sigbase(names, values, 6,
	    "(\"date\" \"@method\" \"@path\" \"@authority\" \"content-type\" "
	    "\"content-length\");created=1618884473;keyid=\"test-key-ed25519\"",
	    &base), MB_OK);
	assert_string_equal(mb_buf_cstr(&base), rfc_base);
	b64(rfc_seed_b64, der, sizeof(der), &dlen);
	b64(rfc_pub_b64, pub, sizeof(pub), &plen);
	b64(rfc_sig_b64, want, sizeof(want), &slen);
	assert_int_equal(slen, 64);
	crypto_sign_seed_keypair(pk, sk, der + dlen - 32);
	assert_memory_equal(pk, pub + plen - 32, 32);
	/* Ed25519 is deterministic: the very signature of the RFC. */
	crypto_sign_detached(sig, NULL, (const unsigned char *)base.data,
	    base.len, sk);
	assert_memory_equal(sig, want, 64);
	assert_true(mb_sig_verify(pk, base.data, base.len, want));
	mb_buf_free(&base);
}

struct keys {
	uint8_t	cairo[MB_PUBKEY_LEN];
	int	cairo_suspended;
};

static int
lookup(const char *id, uint8_t pk[MB_PUBKEY_LEN], void *arg,
    struct mb_diag *d)
{
	struct keys *k = arg;

	if (strcmp(id, "cairo") != 0)
		return mb_diag_set(d, MB_ERR_NOTFOUND, "unknown");
	if (k->cairo_suspended)
		return mb_diag_set(d, MB_ERR_PERM, "center cairo is suspended");
	memcpy(pk, k->cairo, MB_PUBKEY_LEN);
	return MB_OK;
}

struct signed_req {
	struct mb_buf	input, sig, digest;
};

static void
sign(const struct mb_sync_req *r, const struct mb_key *k, int64_t now,
    struct signed_req *s)
{
	memset(s, 0, sizeof(*s));
	assert_int_equal(mb_sync_httpsig_sign(r, "cairo", k, now, &s->input,
	    &s->sig, &s->digest, NULL), MB_OK);
}

static void
signed_free(struct signed_req *s)
{
	mb_buf_free(&s->input);
	mb_buf_free(&s->sig);
	mb_buf_free(&s->digest);
}

static int
verify(const struct mb_sync_req *r, const struct signed_req *s, int64_t now,
    struct mb_sync_replay *rp, struct keys *k)
{
	struct mb_diag	d = { "" };
	char		id[33] = "";
	int		rc;

	rc = mb_sync_httpsig_verify(r, mb_buf_cstr(&s->input),
	    mb_buf_cstr(&s->sig), now, rp, lookup, k, id, &d);
	if (rc == MB_OK)
		assert_string_equal(id, "cairo");
	return rc;
}

static void
test_sign_verify(void **state)
{
	struct mb_sync_req	 r = { "GET", "127.0.0.1:8080",
		"/federation/v1/log", "after=10&limit=500&wait=20", NULL, 0,
		NULL };
	struct mb_sync_req	 other;
	struct mb_sync_replay	*rp;
	struct mb_key		*k, *k2;
	struct signed_req	 s;
	struct keys		 keys;
	int64_t			 now = 1764426000;

	(void)state;
	assert_int_equal(mb_key_generate(&k), MB_OK);
	assert_int_equal(mb_key_generate(&k2), MB_OK);
	mb_key_public(k, keys.cairo);
	keys.cairo_suspended = 0;
	assert_int_equal(mb_sync_replay_new(16, &rp), MB_OK);
	sign(&r, k, now, &s);
	assert_non_null(strstr(mb_buf_cstr(&s.input), "keyid=\"cairo\""));
	assert_non_null(strstr(mb_buf_cstr(&s.input), "alg=\"ed25519\""));
	assert_int_equal(verify(&r, &s, now + 2, NULL, &keys), MB_OK);

	/* Each covered component matters. */
	other = r;
	other.query = "after=0&limit=500&wait=20";
	assert_int_equal(verify(&other, &s, now, NULL, &keys), MB_ERR_SIG);
	other = r;
	other.path = "/federation/v1/registry";
	assert_int_equal(verify(&other, &s, now, NULL, &keys), MB_ERR_SIG);
	other = r;
	other.authority = "127.0.0.1:8081";
	assert_int_equal(verify(&other, &s, now, NULL, &keys), MB_ERR_SIG);
	other = r;
	other.method = "POST";
	assert_int_equal(verify(&other, &s, now, NULL, &keys), MB_ERR_SIG);

	/* Outside the window, either way. */
	assert_int_equal(verify(&r, &s, now + MB_SYNC_SIG_WINDOW + 1, NULL,
	    &keys), MB_ERR_SIG);
	assert_int_equal(verify(&r, &s, now - MB_SYNC_SIG_WINDOW - 1, NULL,
	    &keys), MB_ERR_SIG);

	/* Replayed inside the window. */
	assert_int_equal(verify(&r, &s, now, rp, &keys), MB_OK);
	assert_int_equal(verify(&r, &s, now + 1, rp, &keys), MB_ERR_EXISTS);

	/* Suspended: 403, not 401. */
	keys.cairo_suspended = 1;
	signed_free(&s);
	sign(&r, k, now, &s);
	assert_int_equal(verify(&r, &s, now, rp, &keys), MB_ERR_PERM);
	keys.cairo_suspended = 0;

	/* Another key claiming to be cairo. */
	signed_free(&s);
	sign(&r, k2, now, &s);
	assert_int_equal(verify(&r, &s, now, rp, &keys), MB_ERR_SIG);
	signed_free(&s);

	mb_sync_replay_free(rp);
	mb_key_free(k);
	mb_key_free(k2);
}

static void
test_body_digest(void **state)
{
	struct mb_sync_req	 r = { "POST", "hq.example", "/federation/v1/x",
		NULL, "{\"hello\": \"world\"}", 18, NULL };
	struct mb_key		*k;
	struct signed_req	 s;
	struct keys		 keys;
	int64_t			 now = 1764426000;

	(void)state;
	assert_int_equal(mb_key_generate(&k), MB_OK);
	mb_key_public(k, keys.cairo);
	keys.cairo_suspended = 0;
	sign(&r, k, now, &s);
	assert_string_equal(mb_buf_cstr(&s.digest),
	    "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:");
	r.content_digest = mb_buf_cstr(&s.digest);
	assert_int_equal(verify(&r, &s, now, NULL, &keys), MB_OK);
	r.body = "{\"hello\": \"World\"}";
	assert_int_equal(verify(&r, &s, now, NULL, &keys), MB_ERR_SIG);
	signed_free(&s);
	mb_key_free(k);
}

static void
test_malformed(void **state)
{
	struct mb_sync_req r = { "GET", "h", "/federation/v1/log", "", NULL, 0,
		NULL };
	static const char *const inputs[] = {
		"", "mb=", "mb=(", "mb=(\"@method\"", "other=(\"@method\")",
		"mb=(\"@method\" \"@path\" \"@query\" \"@authority\")",
		"mb=(\"@method\" \"@path\" \"@query\" \"@authority\");"
		"created=1;keyid=\"cairo\"",
		"mb=(\"@method\" \"@path\" \"@query\" \"@authority\");"
		"created=1764426000;keyid=\"cairo\";alg=\"rsa-pss-sha512\"",
		"mb=(\"@method\" \"@path\" \"@query\" \"@authority\" "
		"\"x-other\");created=1764426000;keyid=\"cairo\"",
		"mb=(\"@method\" \"@path\" \"@query\" \"@authority\");"
		"created=1764426000;keyid=\"Not An Id\"",
		NULL };
	struct keys	keys;
	struct mb_diag	d;
	char		id[33];

	(void)state;
	memset(&keys, 0, sizeof(keys));
	for (int i = 0; inputs[i] != NULL; i++)
		assert_int_equal(mb_sync_httpsig_verify(&r, inputs[i],
		    "mb=:AAAA:", 1764426000, NULL, lookup, &keys, id, &d),
		    MB_ERR_SIG);
	assert_int_equal(mb_sync_httpsig_verify(&r, NULL, NULL, 1764426000,
	    NULL, lookup, &keys, id, &d), MB_ERR_SIG);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc9421_b26),
		cmocka_unit_test(test_sign_verify),
		cmocka_unit_test(test_body_digest),
		cmocka_unit_test(test_malformed),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
