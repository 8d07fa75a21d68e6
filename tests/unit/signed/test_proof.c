/* SPDX-License-Identifier: MIT */
/* Unit tests for signed/proof and signed/multibase: the W3C vector. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>

#include "base/buf.h"
#include "item/jcs.h"
#include "signed/multibase.h"
#include "signed/proof.h"

#include "helpers.h"

/*
 * "Data Integrity EdDSA Cryptosuites v1.0", Appendix A.2 (Representation:
 * eddsa-jcs-2022), from w3c/vc-di-eddsa TestVectors/: the key pair, the
 * unsigned credential, every intermediate value and the signed result.
 */
static const char vec_private_mb[] =
    "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq";
static const char vec_public_mb[] =
    "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2";
static const char vec_unsigned[] =
    "{\"@context\": [\"https://www.w3.org/ns/credentials/v2\",\n"
    "  \"https://www.w3.org/ns/credentials/examples/v2\"],\n"
    " \"id\": \"urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33\",\n"
    " \"type\": [\"VerifiableCredential\", \"AlumniCredential\"],\n"
    " \"name\": \"Alumni Credential\",\n"
    " \"description\": \"A minimum viable example of an Alumni "
    "Credential.\",\n"
    " \"issuer\": \"https://vc.example/issuers/5678\",\n"
    " \"validFrom\": \"2023-01-01T00:00:00Z\",\n"
    " \"credentialSubject\": {\"id\": \"did:example:abcdefgh\",\n"
    "   \"alumniOf\": \"The School of Examples\"}}";
static const char vec_canon_doc[] =
    "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\",\"https://"
    "www.w3.org/ns/credentials/examples/v2\"],\"credentialSubject\":{\""
    "alumniOf\":\"The School of Examples\",\"id\":\"did:example:abcdefgh\""
    "},\"description\":\"A minimum viable example of an Alumni Credential."
    "\",\"id\":\"urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33\",\"issuer"
    "\":\"https://vc.example/issuers/5678\",\"name\":\"Alumni Credential\""
    ",\"type\":[\"VerifiableCredential\",\"AlumniCredential\"],\"validFrom"
    "\":\"2023-01-01T00:00:00Z\"}";
static const char vec_doc_hash[] =
    "59b7cb6251b8991add1ce0bc83107e3db9dbbab5bd2c28f687db1a03abc92f19";
static const char vec_canon_proof[] =
    "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\",\"https://"
    "www.w3.org/ns/credentials/examples/v2\"],\"created\":\"2023-02-24T23:"
    "36:38Z\",\"cryptosuite\":\"eddsa-jcs-2022\",\"proofPurpose\":\""
    "assertionMethod\",\"type\":\"DataIntegrityProof\",\"verificationMethod"
    "\":\"did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#z6MkrJV"
    "naZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2\"}";
static const char vec_proof_hash[] =
    "66ab154f5c2890a140cb8388a22a160454f80575f6eae09e5a097cabe539a1db";
static const char vec_sig_hex[] =
    "407cd12654b33d718ecbb99179a1506daaa849450bf3fc523cce3e1c96f8b803"
    "51da3f253d725c6f00b07c9e5448d50b3ef78012b9ab54255116d069c6dd2808";
static const char vec_proof_value[] =
    "z2HnFSSPPBzR36zdDgK8PbEHeXbR56YF24jwMpt3R1eHXQzJDMWS93FCzpvJpwTWd3GAV"
    "FuUfjoJdcnTMuVor51aX";
/* 2023-02-24T23:36:38Z */
#define VEC_CREATED_MS 1677281798000LL

static const char vec_signed[] =
    "{\"@context\": [\"https://www.w3.org/ns/credentials/v2\",\n"
    "  \"https://www.w3.org/ns/credentials/examples/v2\"],\n"
    " \"id\": \"urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33\",\n"
    " \"type\": [\"VerifiableCredential\", \"AlumniCredential\"],\n"
    " \"name\": \"Alumni Credential\",\n"
    " \"description\": \"A minimum viable example of an Alumni "
    "Credential.\",\n"
    " \"issuer\": \"https://vc.example/issuers/5678\",\n"
    " \"validFrom\": \"2023-01-01T00:00:00Z\",\n"
    " \"credentialSubject\": {\"id\": \"did:example:abcdefgh\",\n"
    "   \"alumniOf\": \"The School of Examples\"},\n"
    " \"proof\": {\"type\": \"DataIntegrityProof\",\n"
    "   \"cryptosuite\": \"eddsa-jcs-2022\",\n"
    "   \"created\": \"2023-02-24T23:36:38Z\",\n"
    "   \"verificationMethod\": \"did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6"
    "pvBQ7XJPt4swbTQ2#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2\",\n"
    "   \"proofPurpose\": \"assertionMethod\",\n"
    "   \"@context\": [\"https://www.w3.org/ns/credentials/v2\",\n"
    "     \"https://www.w3.org/ns/credentials/examples/v2\"],\n"
    "   \"proofValue\": \"z2HnFSSPPBzR36zdDgK8PbEHeXbR56YF24jwMpt3R1eHXQzJ"
    "DMWS93FCzpvJpwTWd3GAVFuUfjoJdcnTMuVor51aX\"}}";

static json_t *
parse(const char *text)
{
	json_error_t	 e;
	json_t		*v = json_loads(text, JSON_REJECT_DUPLICATES, &e);

	if (v == NULL)
		fail_msg("parse: %s at %d:%d", e.text, e.line, e.column);
	return v;
}

static void
hex32(const uint8_t *b, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
}

/* The vector's key, from its multibase private key (0x8026 + seed). */
static struct mb_key *
vector_key(void)
{
	uint8_t	raw[64];
	size_t	n;

	assert_int_equal(mb_base58_decode(vec_private_mb + 1,
	    strlen(vec_private_mb) - 1, raw, sizeof(raw), &n), MB_OK);
	assert_int_equal(n, 34);
	assert_int_equal(raw[0], 0x80);	/* ed25519-priv, varint 0x1300 */
	assert_int_equal(raw[1], 0x26);
	return key_from_seed(raw + 2);
}

static void
test_base58(void **state)
{
	static const struct {
		const char	*hex;
		const char	*b58;
	} cases[] = {
		/* draft-msporny-base58 §5 */
		{ "48656c6c6f20576f726c6421", "2NEpo7TZRRrLZSi2U" },
		{ "54686520717569636b2062726f776e20666f78206a756d7073206f76"
		  "657220746865206c617a7920646f672e",
		  "USm3fpXnKG5EUBx2ndxBDMPVciP5hGey2Jh4NDv6gmeo1LkMeiKrLJUUBk"
		  "6Z" },
		{ "0000287fb4cd", "11233QC4" },
		{ "", "" },
		{ "00", "1" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t		in[64], back[64];
		size_t		n = unhex(cases[i].hex, in, sizeof(in)), m;
		struct mb_buf	b = MB_BUF_INIT;

		assert_int_equal(mb_base58_encode(in, n, &b), MB_OK);
		assert_string_equal(mb_buf_cstr(&b), cases[i].b58);
		assert_int_equal(mb_base58_decode(cases[i].b58,
		    strlen(cases[i].b58), back, sizeof(back), &m), MB_OK);
		assert_int_equal(m, n);
		assert_memory_equal(back, in, n);
		mb_buf_free(&b);
	}
	{
		uint8_t	out[8];
		size_t	n;
		char	big[MB_BASE58_MAX + 2];

		/* Outside the alphabet: 0, O, I, l; too long; no room. */
		assert_int_equal(mb_base58_decode("0", 1, out, 8, &n),
		    MB_ERR_INVAL);
		assert_int_equal(mb_base58_decode("2NO", 3, out, 8, &n),
		    MB_ERR_INVAL);
		assert_int_equal(mb_base58_decode("l", 1, out, 8, &n),
		    MB_ERR_INVAL);
		memset(big, '2', sizeof(big));
		assert_int_equal(mb_base58_decode(big, sizeof(big), out, 8,
		    &n), MB_ERR_TOOBIG);
		assert_int_equal(mb_base58_decode("2NEpo7TZRRrLZSi2U", 17, out,
		    8, &n), MB_ERR_INVAL);
	}
}

static void
test_b64url(void **state)
{
	uint8_t		in[] = { 0xfb, 0xff, 0xfe, 0x01 }, out[8];
	struct mb_buf	b = MB_BUF_INIT;
	size_t		n;

	(void)state;
	assert_int_equal(mb_b64url_encode(in, sizeof(in), &b), MB_OK);
	assert_string_equal(mb_buf_cstr(&b), "-__-AQ");
	assert_int_equal(mb_b64url_decode(b.data, b.len, out, sizeof(out),
	    &n), MB_OK);
	assert_int_equal(n, 4);
	assert_memory_equal(out, in, 4);
	/* Padding, the standard alphabet, stray bytes: refused. */
	assert_int_equal(mb_b64url_decode("-__-AQ==", 8, out, 8, &n),
	    MB_ERR_INVAL);
	assert_int_equal(mb_b64url_decode("+//+AQ", 6, out, 8, &n),
	    MB_ERR_INVAL);
	assert_int_equal(mb_b64url_decode("-__-A", 5, out, 8, &n),
	    MB_ERR_INVAL);
	assert_int_equal(mb_b64url_decode("-__-AQ\n", 7, out, 8, &n),
	    MB_ERR_INVAL);
	/* Non-zero bits past the last byte: another text, same bytes. */
	assert_int_equal(mb_b64url_decode("-__-AR", 6, out, 8, &n),
	    MB_ERR_INVAL);
	mb_buf_free(&b);
}

static void
test_didkey(void **state)
{
	struct mb_key	*k = vector_key();
	uint8_t		 pk[32], back[32];
	char		 did[MB_DIDKEY_LEN], vm[MB_DIDKEY_VM_LEN], want[160];
	struct mb_diag	 d = { "" };

	(void)state;
	assert_non_null(k);
	mb_key_public(k, pk);
	mb_didkey_format(pk, did);
	snprintf(want, sizeof(want), "did:key:%s", vec_public_mb);
	assert_string_equal(did, want);
	mb_didkey_vm(pk, vm);
	snprintf(want, sizeof(want), "did:key:%s#%s", vec_public_mb,
	    vec_public_mb);
	assert_string_equal(vm, want);
	assert_int_equal(mb_didkey_parse(vm, back, &d), MB_OK);
	assert_memory_equal(back, pk, 32);
	assert_int_equal(mb_didkey_parse(did, back, &d), MB_OK);
	assert_memory_equal(back, pk, 32);

	assert_int_equal(mb_didkey_parse("did:web:example.org", back, &d),
	    MB_ERR_INVAL);
	assert_int_equal(mb_didkey_parse("did:key:6Mkr", back, &d),
	    MB_ERR_INVAL);
	/* A fragment naming another key. */
	snprintf(want, sizeof(want), "did:key:%s#z6Mkother", vec_public_mb);
	assert_int_equal(mb_didkey_parse(want, back, &d), MB_ERR_INVAL);
	/* A secp256k1 did:key (multicodec 0xe7): not Ed25519. */
	assert_int_equal(mb_didkey_parse("did:key:zQ3shokFTS3brHcDQrn82RUDfCZ"
	    "ESWL1ZdCEJwekUDPQiYBme", back, &d), MB_ERR_UNSUPPORTED);
	mb_key_free(k);
}

/* The specification's vector, every intermediate value byte for byte. */
static void
test_w3c_vector(void **state)
{
	struct mb_key		*k = vector_key();
	struct mb_proof_opts	 o = { NULL, VEC_CREATED_MS, NULL };
	struct mb_diag		 d = { "" };
	struct mb_buf		 b = MB_BUF_INIT;
	uint8_t			 hash[64], sig[64], want_sig[64], pk[32];
	char			 hex[129];
	json_t			*doc = parse(vec_unsigned), *proof, *config;
	json_t			*want = parse(vec_signed);
	enum mb_verdict		 why;

	(void)state;
	assert_non_null(k);
	assert_int_equal(mb_jcs_dump(doc, &b, &d), MB_OK);
	assert_string_equal(mb_buf_cstr(&b), vec_canon_doc);
	mb_buf_reset(&b);

	assert_int_equal(mb_proof_sign(doc, k, &o, &d), MB_OK);
	proof = json_object_get(doc, "proof");
	assert_string_equal(json_string_value(json_object_get(proof,
	    "proofValue")), vec_proof_value);

	/* The intermediate values: the configuration, the hashes. */
	config = json_copy(proof);
	json_object_del(config, "proofValue");
	assert_int_equal(mb_jcs_dump(config, &b, &d), MB_OK);
	assert_string_equal(mb_buf_cstr(&b), vec_canon_proof);
	{
		json_t *unsecured = json_copy(doc);

		json_object_del(unsecured, "proof");
		assert_int_equal(mb_proof_hash_data(unsecured, config, hash,
		    &d), MB_OK);
		json_decref(unsecured);
	}
	hex32(hash, 32, hex);
	assert_string_equal(hex, vec_proof_hash);
	hex32(hash + 32, 32, hex);
	assert_string_equal(hex, vec_doc_hash);
	{
		size_t n;

		assert_int_equal(mb_base58_decode(vec_proof_value + 1,
		    strlen(vec_proof_value) - 1, sig, sizeof(sig), &n), MB_OK);
		assert_int_equal(n, 64);
		assert_int_equal(unhex(vec_sig_hex, want_sig, 64), 64);
		assert_memory_equal(sig, want_sig, 64);
	}
	/* The whole signed document equals the specification's. */
	assert_true(json_equal(doc, want));

	/* And the specification's own text verifies, with and without the
	 * key given. */
	mb_key_public(k, pk);
	assert_int_equal(mb_proof_verify_text(vec_signed, strlen(vec_signed),
	    pk, NULL, NULL, &why, &d), MB_OK);
	assert_int_equal(why, MB_VERDICT_VALID);
	assert_int_equal(mb_proof_verify_text(vec_signed, strlen(vec_signed),
	    NULL, NULL, NULL, &why, &d), MB_OK);

	json_decref(config);
	json_decref(doc);
	json_decref(want);
	mb_buf_free(&b);
	mb_key_free(k);
}

/* A small signed document of our own, with a did:key method. */
static json_t *
signed_doc(struct mb_key *k, const char *vm)
{
	struct mb_proof_opts	 o = { vm, 1767225600000LL, NULL };
	struct mb_diag		 d = { "" };
	json_t			*doc = parse(
	    "{\"@context\": [\"https://www.w3.org/ns/credentials/v2\"],"
	    " \"type\": \"Tally\", \"center\": \"cairo\","
	    " \"counts\": {\"yes\": 12, \"no\": 3, \"abstain\": 0},"
	    " \"flags\": [true, false, null], \"text\": \"\\u0645\\u0635\\u0631\"}");

	assert_int_equal(mb_proof_sign(doc, k, &o, &d), MB_OK);
	return doc;
}

static int
verify(const json_t *doc, const struct mb_key *k, enum mb_verdict *why,
    struct mb_diag *d)
{
	uint8_t pk[32];

	mb_key_public(k, pk);
	return mb_proof_verify(doc, pk, NULL, NULL, why, d);
}

/*
 * Changes one leaf at a time, everywhere in the signed document (the
 * proof's own fields too, except proofValue): each change must fail.
 */
static int
tamper_walk(json_t *root, json_t *v, const struct mb_key *k, int *count)
{
	const char	*key;
	json_t		*child, *saved;
	size_t		 i;
	struct mb_diag	 d = { "" };
	enum mb_verdict	 why;

	if (json_is_object(v)) {
		json_object_foreach(v, key, child) {
			if (strcmp(key, "proofValue") == 0)
				continue;
			if (json_is_object(child) || json_is_array(child)) {
				tamper_walk(root, child, k, count);
				continue;
			}
			saved = json_incref(child);
			if (json_is_string(child))
				json_object_set_new(v, key, json_sprintf("%sX",
				    json_string_value(child)));
			else if (json_is_integer(child))
				json_object_set_new(v, key, json_integer(
				    json_integer_value(child) + 1));
			else
				json_object_set_new(v, key, json_string("x"));
			if (verify(root, k, &why, &d) == MB_OK)
				fail_msg("changing %s went unnoticed", key);
			(*count)++;
			json_object_set_new(v, key, saved);
		}
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, child) {
			if (json_is_object(child) || json_is_array(child)) {
				tamper_walk(root, child, k, count);
				continue;
			}
			saved = json_incref(child);
			json_array_set_new(v, i, json_is_true(child) ?
			    json_false() : json_true());
			if (verify(root, k, &why, &d) == MB_OK)
				fail_msg("changing [%zu] went unnoticed", i);
			(*count)++;
			json_array_set_new(v, i, saved);
		}
	}
	return 0;
}

static void
test_tamper_every_field(void **state)
{
	struct mb_key	*k = key_of_byte(7);
	json_t		*doc = signed_doc(k, NULL);
	struct mb_diag	 d = { "" };
	enum mb_verdict	 why;
	int		 count = 0;

	(void)state;
	assert_int_equal(verify(doc, k, &why, &d), MB_OK);
	tamper_walk(doc, doc, k, &count);
	assert_true(count >= 14);
	/* Put back, it verifies again: the walk restored every field. */
	assert_int_equal(verify(doc, k, &why, &d), MB_OK);

	/* A member added, one removed. */
	json_object_set_new(doc, "extra", json_true());
	assert_int_equal(verify(doc, k, &why, &d), MB_ERR_SIG);
	assert_int_equal(why, MB_VERDICT_BAD_SIGNATURE);
	json_object_del(doc, "extra");
	json_object_del(json_object_get(doc, "counts"), "abstain");
	assert_int_equal(verify(doc, k, &why, &d), MB_ERR_SIG);
	json_decref(doc);
	mb_key_free(k);
}

static void
test_failures_named(void **state)
{
	struct mb_key	*k = key_of_byte(7), *other = key_of_byte(8);
	json_t		*doc = signed_doc(k, NULL), *proof;
	struct mb_diag	 d = { "" };
	enum mb_verdict	 why;
	uint8_t		 pk[32];

	(void)state;
	proof = json_object_get(doc, "proof");

	/* Another key given: the did:key names the signer. */
	assert_int_equal(verify(doc, other, &why, &d), MB_ERR_SIG);
	assert_int_equal(why, MB_VERDICT_WRONG_KEY);
	assert_non_null(strstr(d.msg, "not by the key given"));

	/* Another cryptosuite, another type. */
	json_object_set_new(proof, "cryptosuite", json_string("eddsa-rdfc-2022"));
	assert_int_equal(verify(doc, k, &why, &d), MB_ERR_UNSUPPORTED);
	assert_int_equal(why, MB_VERDICT_UNSUPPORTED);
	assert_non_null(strstr(d.msg, "eddsa-rdfc-2022"));
	json_object_set_new(proof, "cryptosuite", json_string("eddsa-jcs-2022"));
	json_object_set_new(proof, "type", json_string("Ed25519Signature2020"));
	assert_int_equal(verify(doc, k, &why, &d), MB_ERR_UNSUPPORTED);
	json_object_set_new(proof, "type", json_string("DataIntegrityProof"));
	assert_int_equal(verify(doc, k, &why, &d), MB_OK);

	/* Another purpose than the one expected. */
	mb_key_public(k, pk);
	assert_int_equal(mb_proof_verify(doc, pk, "authentication", NULL, &why,
	    &d), MB_ERR_UNSUPPORTED);

	/* A proofValue that is not a signature. */
	json_object_set_new(proof, "proofValue", json_string("zzz0"));
	assert_int_equal(verify(doc, k, &why, &d), MB_ERR_INVAL);
	assert_int_equal(why, MB_VERDICT_MALFORMED);
	json_object_set_new(proof, "proofValue", json_string("u2HnFSSPPBz"));
	assert_int_equal(verify(doc, k, &why, &d), MB_ERR_INVAL);
	json_object_set_new(proof, "proofValue", json_string("z2HnFSSPPBz"));
	assert_int_equal(verify(doc, k, &why, &d), MB_ERR_INVAL);
	json_object_set_new(proof, "proofValue", json_integer(5));
	assert_int_equal(verify(doc, k, &why, &d), MB_ERR_INVAL);

	/* A created that is not a date-time. */
	json_object_set_new(proof, "created", json_string("yesterday"));
	assert_int_equal(verify(doc, k, &why, &d), MB_ERR_INVAL);
	assert_non_null(strstr(d.msg, "created"));

	/* No proof; several proofs; a proof that is a string. */
	json_object_set_new(doc, "proof", json_array());
	assert_int_equal(verify(doc, k, &why, &d), MB_ERR_UNSUPPORTED);
	json_object_set_new(doc, "proof", json_string("x"));
	assert_int_equal(verify(doc, k, &why, &d), MB_ERR_INVAL);
	json_object_del(doc, "proof");
	assert_int_equal(verify(doc, k, &why, &d), MB_ERR_INVAL);
	assert_int_equal(why, MB_VERDICT_MALFORMED);
	assert_non_null(strstr(d.msg, "no proof"));
	json_decref(doc);

	/* Signing twice is refused. */
	doc = signed_doc(k, NULL);
	assert_int_equal(mb_proof_sign(doc, k, NULL, &d), MB_ERR_INVAL);
	/* The @context changed: the proof's copy no longer prefixes it. */
	json_array_set_new(json_object_get(doc, "@context"), 0,
	    json_string("https://evil.example/ctx"));
	assert_int_equal(verify(doc, k, &why, &d), MB_ERR_SIG);
	assert_int_equal(why, MB_VERDICT_BAD_SIGNATURE);
	json_decref(doc);
	mb_key_free(k);
	mb_key_free(other);
}

static void
test_url_method(void **state)
{
	struct mb_key	*k = key_of_byte(7), *other = key_of_byte(8);
	json_t		*doc = signed_doc(k, "https://cairo.example/centers/"
	    "cairo#key");
	struct mb_diag	 d = { "" };
	enum mb_verdict	 why;
	uint8_t		 pk[32];

	(void)state;
	assert_int_equal(verify(doc, k, &why, &d), MB_OK);
	/* A URL cannot be resolved offline: the key must be given. */
	assert_int_equal(mb_proof_verify(doc, NULL, NULL, NULL, &why, &d),
	    MB_ERR_UNSUPPORTED);
	/* With the wrong key, no way to tell forged from altered. */
	assert_int_equal(verify(doc, other, &why, &d), MB_ERR_SIG);
	assert_int_equal(why, MB_VERDICT_BAD_SIGNATURE);
	mb_key_public(k, pk);
	json_decref(doc);
	mb_key_free(k);
	mb_key_free(other);
}

static void
test_text(void **state)
{
	struct mb_key	*k = key_of_byte(9);
	struct mb_buf	 b = MB_BUF_INIT;
	struct mb_diag	 d = { "" };
	enum mb_verdict	 why;
	uint8_t		 pk[32];
	json_t		*doc = parse("{\"a\": 1, \"b\": [\"x\"]}"), *out = NULL;
	static const char dup[] =
	    "{\"a\": 1, \"a\": 2, \"proof\": {}}";
	static const char big[] = "{\"n\": 9007199254740993}";

	(void)state;
	mb_key_public(k, pk);
	assert_int_equal(mb_proof_sign_text(doc, k, NULL, &b, &d), MB_OK);
	assert_non_null(strstr(b.data, "\"proofValue\": \"z"));
	assert_int_equal(b.data[b.len - 1], '\n');
	assert_int_equal(mb_proof_verify_text(b.data, b.len, pk, NULL, &out,
	    &why, &d), MB_OK);
	assert_non_null(out);
	assert_int_equal(json_integer_value(json_object_get(out, "a")), 1);
	json_decref(out);

	/* Duplicate names: two parsers could read two documents. */
	assert_int_equal(mb_proof_verify_text(dup, strlen(dup), pk, NULL,
	    NULL, &why, &d), MB_ERR_INVAL);
	assert_int_equal(why, MB_VERDICT_MALFORMED);
	assert_int_equal(mb_proof_verify_text("[1]", 3, pk, NULL, NULL, &why,
	    &d), MB_ERR_INVAL);
	assert_int_equal(mb_proof_verify_text("{", 1, pk, NULL, NULL, &why,
	    &d), MB_ERR_INVAL);
	/* Integers JCS cannot carry exactly are refused when signing. */
	json_decref(doc);
	doc = parse(big);
	assert_int_equal(mb_proof_sign(doc, k, NULL, &d), MB_ERR_INVAL);
	assert_null(json_object_get(doc, "proof"));
	json_decref(doc);
	mb_buf_free(&b);
	mb_key_free(k);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_base58),
		cmocka_unit_test(test_b64url),
		cmocka_unit_test(test_didkey),
		cmocka_unit_test(test_w3c_vector),
		cmocka_unit_test(test_tamper_every_field),
		cmocka_unit_test(test_failures_named),
		cmocka_unit_test(test_url_method),
		cmocka_unit_test(test_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
