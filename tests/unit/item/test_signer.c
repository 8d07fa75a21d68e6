/* SPDX-License-Identifier: MIT */
/* Unit tests for serve's signer (item/signer.h): what it signs, what it refuses, over a real socketpair. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/buf.h"
#include "item/envelope.h"
#include "item/key.h"
#include "item/signer.h"

static const char item_json[] =
    "{\"uri\":\"urn:mediabridge:cairo:01hx\",\"version\":\"3\","
    "\"versionCreated\":\"2026-11-29T10:00:00Z\",\"type\":\"text\","
    "\"headlines\":[{\"value\":\"x\"}]}";

static const char tunis_json[] =
    "{\"uri\":\"urn:mediabridge:tunis:01hx\",\"version\":\"1\","
    "\"versionCreated\":\"2026-11-29T10:00:00Z\",\"type\":\"text\"}";

/* JCS({item, meta}) of an envelope of origin. */
static void
signed_bytes(const char *item, const char *origin, struct mb_buf *out)
{
	struct mb_envelope	*e = NULL;
	json_t			*meta = json_pack("{s:s, s:s}", "origin",
				    origin, "audience", "public");

	assert_int_equal(mb_envelope_new(json_loads(item, 0, NULL), meta, &e,
	    NULL), MB_OK);
	assert_int_equal(mb_envelope_signed_bytes(e, out, NULL), MB_OK);
	mb_envelope_free(e);
}

static void
envelopes(void **state)
{
	struct mb_buf	b = MB_BUF_INIT;
	struct mb_diag	d = { "" };

	(void)state;
	signed_bytes(item_json, "cairo", &b);
	assert_int_equal(mb_signer_check(MB_SIGN_ENVELOPE, "cairo", b.data,
	    b.len, &d), MB_OK);
	/* Another center's: refused, and said so. */
	assert_int_equal(mb_signer_check(MB_SIGN_ENVELOPE, "tunis", b.data,
	    b.len, &d), MB_ERR_PERM);
	assert_non_null(strstr(d.msg, "not this center's"));
	/* Not canonical: a space added. */
	b.data[b.len - 1] = ' ';
	mb_buf_putc(&b, '}');
	assert_int_equal(mb_signer_check(MB_SIGN_ENVELOPE, "cairo", b.data,
	    b.len, &d), MB_ERR_PERM);
	assert_non_null(strstr(d.msg, "canonical"));
	/* The right bytes under the wrong kind. */
	b.len = 0;
	signed_bytes(item_json, "cairo", &b);
	assert_int_equal(mb_signer_check(MB_SIGN_HTTPSIG, "cairo", b.data,
	    b.len, &d), MB_ERR_PERM);
	assert_int_equal(mb_signer_check(MB_SIGN_REGISTRY, "cairo", b.data,
	    b.len, &d), MB_ERR_PERM);
	assert_int_equal(mb_signer_check(9, "cairo", b.data, b.len, &d),
	    MB_ERR_PERM);
	mb_buf_free(&b);
}

static const char base_ok[] =
    "\"@method\": GET\n\"@authority\": 127.0.0.1:8080\n"
    "\"@path\": /federation/v1/log\n\"@query\": ?after=0\n"
    "\"@signature-params\": (\"@method\" \"@authority\" \"@path\" "
    "\"@query\");created=1;keyid=\"cairo\";alg=\"ed25519\";nonce=\"n\"";

static void
bases(void **state)
{
	struct mb_diag	d = { "" };
	char		b[sizeof(base_ok)], *cut;
	size_t		n;

	(void)state;
	assert_int_equal(mb_signer_check(MB_SIGN_HTTPSIG, "cairo", base_ok,
	    strlen(base_ok), &d), MB_OK);
	assert_int_equal(mb_signer_check(MB_SIGN_HTTPSIG, "tunis", base_ok,
	    strlen(base_ok), &d), MB_ERR_PERM);
	memcpy(b, base_ok, sizeof(b));
	memcpy(strstr(b, "/federation"), "/api/v1/x/xx", 12);
	assert_int_equal(mb_signer_check(MB_SIGN_HTTPSIG, "cairo", b,
	    strlen(b), &d), MB_ERR_PERM);
	memcpy(b, base_ok, sizeof(b));
	*strchr(b, '\n') = '\r';
	assert_int_equal(mb_signer_check(MB_SIGN_HTTPSIG, "cairo", b,
	    strlen(b), &d), MB_ERR_PERM);
	/*
	 * A base that ends inside its @path value ("/federat", a fuzzer's
	 * find): refused, and nothing read past the end: a heap copy of
	 * exactly that length, for ASan to see.
	 */
	n = (size_t)(strstr(base_ok, "/federation") + 8 - base_ok);
	assert_non_null(cut = malloc(n));
	memcpy(cut, base_ok, n);
	assert_int_equal(mb_signer_check(MB_SIGN_HTTPSIG, "cairo", cut, n,
	    &d), MB_ERR_PERM);
	free(cut);
}

static void
compact_and_proof(void **state)
{
#define S(x) { x, sizeof(x) - 1 }
	static const char ticket[] = "mediabridge ticket v1\0\x05" "cairo..";
	static const struct { const char *s; size_t n; } bad[] = {
		S("mediabridge ticket\0body"), S("mediabridge ticket v\0body"),
		S("ticket v1\0body"), S("mediabridge ticket v1 body"),
		S("mediabridge tick\x01t v1\0b"), S("mediabridge \xc3\xa9 v1\0b"),
		S("{\"item\":{}}\0mediabridge x v1"),
		S("mediabridge ticket v1"), S("mediabridge ticket v1\0") };
#undef S
	struct mb_diag	d = { "" };
	uint8_t		hash[65];

	(void)state;
	assert_int_equal(mb_signer_check(MB_SIGN_COMPACT, "cairo", ticket,
	    sizeof(ticket) - 1, &d), MB_OK);
	assert_int_equal(mb_signer_check(MB_SIGN_COMPACT, "cairo",
	    "mediabridge revocations v12\0x", 29, &d), MB_OK);
	/* No tag, no version, not printable, no body. */
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(mb_signer_check(MB_SIGN_COMPACT, "cairo",
		    bad[i].s, bad[i].n, &d), MB_ERR_PERM);
	/* A ticket is no envelope, base or registry, nor those a ticket. */
	assert_int_equal(mb_signer_check(MB_SIGN_ENVELOPE, "cairo", ticket,
	    sizeof(ticket) - 1, &d), MB_ERR_PERM);
	assert_int_equal(mb_signer_check(MB_SIGN_HTTPSIG, "cairo", ticket,
	    sizeof(ticket) - 1, &d), MB_ERR_PERM);
	assert_int_equal(mb_signer_check(MB_SIGN_COMPACT, "cairo", base_ok,
	    strlen(base_ok), &d), MB_ERR_PERM);
	/* A Data Integrity hash: 64 bytes exactly. */
	memset(hash, 0x7b, sizeof(hash));
	assert_int_equal(mb_signer_check(MB_SIGN_PROOF, "cairo", hash, 64,
	    &d), MB_OK);
	assert_int_equal(mb_signer_check(MB_SIGN_PROOF, "cairo", hash, 65,
	    &d), MB_ERR_PERM);
	assert_int_equal(mb_signer_check(MB_SIGN_PROOF, "cairo", hash, 63,
	    &d), MB_ERR_PERM);
	assert_int_equal(mb_signer_check(MB_SIGN_PROOF, "cairo", base_ok,
	    strlen(base_ok), &d), MB_ERR_PERM);
}

static void *
answer_one(void *arg)
{
	void	**a = arg;

	mb_signer_answer(a[0], "cairo", *(int *)a[1], NULL);
	return NULL;
}

/* A remote key signs through the socket; a refusal comes back named. */
static void
over_a_socket(void **state)
{
	struct mb_key	*k, *remote;
	struct mb_buf	 b = MB_BUF_INIT;
	struct mb_diag	 d = { "" };
	uint8_t		 pk[MB_PUBKEY_LEN], sig[MB_SIG_LEN];
	pthread_t	 t;
	void		*arg[2];
	int		 sv[2];

	(void)state;
	assert_int_equal(mb_key_generate(&k), MB_OK);
	mb_key_public(k, pk);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(mb_key_remote(sv[0], pk, &remote), MB_OK);
	arg[0] = k;
	arg[1] = &sv[1];
	signed_bytes(item_json, "cairo", &b);
	pthread_create(&t, NULL, answer_one, arg);
	assert_int_equal(mb_key_sign_as(remote, MB_SIGN_ENVELOPE, b.data,
	    b.len, sig, &d), MB_OK);
	pthread_join(t, NULL);
	assert_true(mb_sig_verify(pk, b.data, b.len, sig));
	b.len = 0;
	signed_bytes(tunis_json, "tunis", &b);
	pthread_create(&t, NULL, answer_one, arg);
	assert_int_equal(mb_key_sign_as(remote, MB_SIGN_ENVELOPE, b.data,
	    b.len, sig, &d), MB_ERR_PERM);
	pthread_join(t, NULL);
	assert_non_null(strstr(d.msg, "not this center's"));
	/* The signer gone: an error, not a hang. */
	close(sv[1]);
	assert_int_equal(mb_key_sign_as(remote, MB_SIGN_ENVELOPE, b.data,
	    b.len, sig, &d), MB_ERR_IO);
	mb_key_free(remote);
	mb_key_free(k);
	mb_buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(envelopes),
		cmocka_unit_test(bases),
		cmocka_unit_test(compact_and_proof),
		cmocka_unit_test(over_a_socket),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
