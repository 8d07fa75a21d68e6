/* SPDX-License-Identifier: MIT */
/* Unit tests for signed/credential: credentials and status lists. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <zlib.h>

#include "base/buf.h"
#include "signed/credential.h"
#include "signed/multibase.h"
#include "signed/proof.h"

#include "helpers.h"

/* 2027-03-01T10:00:00Z, and a day. */
#define T0 1803895200000LL
#define DAY 86400000LL
#define LIST_URL "https://cairo.example/credentials/status/1"

static struct mb_badge
badge(void)
{
	struct mb_badge b;

	memset(&b, 0, sizeof(b));
	b.id = "https://cairo.example/credentials/01jq7x";
	b.name = "Digital literacy: certificate of completion";
	b.description = "Awarded by the Cairo Media Center.";
	b.valid_from_ms = T0;
	b.valid_until_ms = T0 + 365 * DAY;
	b.issuer_name = "Cairo Media Center";
	b.issuer_url = "https://cairo.example/";
	b.subject_name = "Amira Haddad";
	b.achievement_id = "https://hq.example/items/moscow/01jq5course";
	b.achievement_type = "CertificateOfCompletion";
	b.achievement_name = "Digital literacy";
	b.achievement_description = "Five lessons and two quizzes.";
	b.criteria_narrative = "Every lesson seen, every quiz passed.";
	b.language = "en";
	b.status_list = LIST_URL;
	b.status_index = 94567;
	b.created_ms = T0;
	return b;
}

static json_t *
issue(const struct mb_badge *b, const struct mb_key *k)
{
	struct mb_diag	 d = { "" };
	json_t		*doc = NULL;

	if (mb_credential_issue(b, k, &doc, &d) != MB_OK)
		fail_msg("issue: %s", d.msg);
	return doc;
}

static int
check(const json_t *doc, const struct mb_key *k, int64_t now,
    const struct mb_status_list *sl, enum mb_verdict *why,
    struct mb_diag *d)
{
	uint8_t				pk[32];
	struct mb_credential_check	c;

	mb_key_public(k, pk);
	c.pk = pk;
	c.now_ms = now;
	c.status = sl;
	return mb_credential_verify(doc, &c, NULL, why, d);
}

static void
test_issue_shape(void **state)
{
	struct mb_key			*k = key_of_byte(1);
	struct mb_badge			 b = badge();
	json_t				*doc = issue(&b, k), *cs, *ach, *st, *io;
	uint8_t				 pk[32];
	char				 did[MB_DIDKEY_LEN];
	struct mb_credential_check	 c;
	struct mb_credential_facts	 f;
	struct mb_diag			 d = { "" };
	enum mb_verdict			 why;

	(void)state;
	mb_key_public(k, pk);
	mb_didkey_format(pk, did);
	assert_string_equal(json_string_value(json_array_get(json_object_get(
	    doc, "@context"), 0)), "https://www.w3.org/ns/credentials/v2");
	assert_string_equal(json_string_value(json_array_get(json_object_get(
	    doc, "@context"), 1)), "https://purl.imsglobal.org/spec/ob/v3p0/"
	    "context-3.0.3.json");
	assert_string_equal(json_string_value(json_array_get(json_object_get(
	    doc, "type"), 1)), "OpenBadgeCredential");
	/* The issuer is its own key unless told otherwise. */
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    doc, "issuer"), "id")), did);
	assert_string_equal(json_string_value(json_array_get(json_object_get(
	    json_object_get(doc, "issuer"), "type"), 0)), "Profile");
	assert_string_equal(json_string_value(json_object_get(doc,
	    "validFrom")), "2027-03-01T10:00:00Z");
	cs = json_object_get(doc, "credentialSubject");
	io = json_array_get(json_object_get(cs, "identifier"), 0);
	assert_string_equal(json_string_value(json_object_get(io,
	    "identityType")), "name");
	assert_string_equal(json_string_value(json_object_get(io,
	    "identityHash")), "Amira Haddad");
	assert_true(json_is_false(json_object_get(io, "hashed")));
	ach = json_object_get(cs, "achievement");
	assert_string_equal(json_string_value(json_object_get(ach,
	    "achievementType")), "CertificateOfCompletion");
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    ach, "criteria"), "narrative")),
	    "Every lesson seen, every quiz passed.");
	st = json_object_get(doc, "credentialStatus");
	assert_string_equal(json_string_value(json_object_get(st,
	    "statusListIndex")), "94567");
	assert_string_equal(json_string_value(json_object_get(st,
	    "statusListCredential")), LIST_URL);
	assert_string_equal(json_string_value(json_object_get(st, "id")),
	    LIST_URL "#94567");

	c.pk = pk;
	c.now_ms = T0 + DAY;
	c.status = NULL;
	assert_int_equal(mb_credential_verify(doc, &c, &f, &why, &d), MB_OK);
	assert_int_equal(why, MB_VERDICT_VALID);
	assert_string_equal(f.id, b.id);
	assert_string_equal(f.issuer_name, "Cairo Media Center");
	assert_string_equal(f.subject_name, "Amira Haddad");
	assert_string_equal(f.achievement_name, "Digital literacy");
	assert_string_equal(f.status_list, LIST_URL);
	assert_int_equal(f.status_index, 94567);
	assert_string_equal(f.created, "2027-03-01T10:00:00Z");
	assert_true(mb_credential_names(doc, "Amira Haddad"));
	assert_false(mb_credential_names(doc, "Amira Hadad"));
	/* Trusting its did:key instead of a key given also works. */
	c.pk = NULL;
	assert_int_equal(mb_credential_verify(doc, &c, &f, &why, &d), MB_OK);
	json_decref(doc);
	mb_key_free(k);
}

static void
test_hashed_subject(void **state)
{
	struct mb_key	*k = key_of_byte(1);
	struct mb_badge	 b = badge();
	json_t		*doc, *io;
	struct mb_diag	 d = { "" };
	enum mb_verdict	 why;

	(void)state;
	/* Open Badges 3.0's own IdentityHash example. */
	b.subject_name = "a@example.com";
	b.subject_hashed = true;
	b.subject_salt = "Kosher";
	doc = issue(&b, k);
	io = json_array_get(json_object_get(json_object_get(doc,
	    "credentialSubject"), "identifier"), 0);
	assert_string_equal(json_string_value(json_object_get(io,
	    "identityHash")), "sha256$b5809d8a92f8858436d7e6b87c12ebc0ae1eac4"
	    "baecc2c0b913aee2c922ef399");
	assert_true(mb_credential_names(doc, "a@example.com"));
	assert_false(mb_credential_names(doc, "b@example.com"));
	assert_int_equal(check(doc, k, T0, NULL, &why, &d), MB_OK);
	json_decref(doc);

	/* A random salt: the name is not in the credential. */
	b.subject_name = "Amira Haddad";
	b.subject_salt = NULL;
	doc = issue(&b, k);
	{
		char *text = NULL;

		assert_int_equal(mb_credential_text(doc, &text), MB_OK);
		assert_null(strstr(text, "Amira"));
		free(text);
	}
	assert_true(mb_credential_names(doc, "Amira Haddad"));
	json_decref(doc);
	mb_key_free(k);
}

static void
test_issue_refuses(void **state)
{
	struct mb_key	*k = key_of_byte(1);
	struct mb_badge	 b;
	struct mb_diag	 d = { "" };
	json_t		*doc = NULL;

	(void)state;
	b = badge();
	b.achievement_name = NULL;
	assert_int_equal(mb_credential_issue(&b, k, &doc, &d), MB_ERR_INVAL);
	assert_non_null(strstr(d.msg, "achievement name"));
	b = badge();
	b.subject_name = NULL;
	assert_int_equal(mb_credential_issue(&b, k, &doc, &d), MB_ERR_INVAL);
	assert_non_null(strstr(d.msg, "subject"));
	b = badge();
	b.criteria_narrative = NULL;
	assert_int_equal(mb_credential_issue(&b, k, &doc, &d), MB_ERR_INVAL);
	b = badge();
	b.subject_name = "Bad \xc3\x28 name";
	assert_int_equal(mb_credential_issue(&b, k, &doc, &d), MB_ERR_INVAL);
	assert_non_null(strstr(d.msg, "UTF-8"));
	b = badge();
	b.valid_until_ms = b.valid_from_ms - 1000;
	assert_int_equal(mb_credential_issue(&b, k, &doc, &d), MB_ERR_INVAL);
	assert_null(doc);
	mb_key_free(k);
}

/* Every leaf of the credential changed in turn must fail verification. */
static void
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
			json_object_set_new(v, key, json_is_string(child) ?
			    json_sprintf("%s.", json_string_value(child)) :
			    json_string("x"));
			if (check(root, k, T0 + DAY, NULL, &why, &d) == MB_OK)
				fail_msg("changing %s went unnoticed", key);
			assert_int_not_equal(why, MB_VERDICT_VALID);
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
			json_array_set_new(v, i, json_sprintf("%s.",
			    json_string_value(child)));
			if (check(root, k, T0 + DAY, NULL, &why, &d) == MB_OK)
				fail_msg("changing [%zu] went unnoticed", i);
			(*count)++;
			json_array_set_new(v, i, saved);
		}
	}
}

static void
test_tamper(void **state)
{
	struct mb_key	*k = key_of_byte(1), *other = key_of_byte(2);
	struct mb_badge	 b = badge();
	json_t		*doc = issue(&b, k), *forged;
	struct mb_diag	 d = { "" };
	enum mb_verdict	 why;
	int		 count = 0;

	(void)state;
	tamper_walk(doc, doc, k, &count);
	assert_true(count >= 30);
	assert_int_equal(check(doc, k, T0 + DAY, NULL, &why, &d), MB_OK);

	/* The name changed: the classic forgery. */
	json_object_set_new(json_array_get(json_object_get(json_object_get(doc,
	    "credentialSubject"), "identifier"), 0), "identityHash",
	    json_string("Mallory"));
	assert_int_equal(check(doc, k, T0 + DAY, NULL, &why, &d), MB_ERR_SIG);
	assert_int_equal(why, MB_VERDICT_BAD_SIGNATURE);
	json_decref(doc);

	/* Another center's key signed it (its own did:key, honestly). */
	forged = issue(&b, other);
	assert_int_equal(check(forged, k, T0 + DAY, NULL, &why, &d),
	    MB_ERR_SIG);
	assert_int_equal(why, MB_VERDICT_WRONG_KEY);
	json_decref(forged);
	mb_key_free(k);
	mb_key_free(other);
}

static void
test_validity(void **state)
{
	struct mb_key	*k = key_of_byte(1);
	struct mb_badge	 b = badge();
	json_t		*doc = issue(&b, k);
	struct mb_diag	 d = { "" };
	enum mb_verdict	 why;

	(void)state;
	assert_int_equal(check(doc, k, T0 - 1000, NULL, &why, &d),
	    MB_ERR_PERM);
	assert_int_equal(why, MB_VERDICT_NOT_YET_VALID);
	assert_non_null(strstr(d.msg, "2027-03-01T10:00:00Z"));
	assert_int_equal(check(doc, k, T0 + 366 * DAY, NULL, &why, &d),
	    MB_ERR_PERM);
	assert_int_equal(why, MB_VERDICT_EXPIRED);
	assert_int_equal(check(doc, k, T0, NULL, &why, &d), MB_OK);
	json_decref(doc);
	mb_key_free(k);
}

static void
test_malformed(void **state)
{
	struct mb_key			*k = key_of_byte(1);
	uint8_t				 pk[32];
	struct mb_credential_check	 c;
	struct mb_credential_facts	 f;
	struct mb_diag			 d = { "" };
	enum mb_verdict			 why;
	json_t				*out = NULL;
	static const char *cases[] = {
		"",
		"[]",
		"{\"@context\": [\"https://www.w3.org/ns/credentials/v2\"]}",
		"{\"@context\": [\"https://www.w3.org/ns/credentials/v2\", "
		"\"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json\"],"
		" \"type\": [\"VerifiableCredential\"]}",
		"{\"@context\": [\"https://www.w3.org/ns/credentials/v2\", "
		"\"https://purl.imsglobal.org/spec/ob/v3p0/context-9.json\"],"
		" \"type\": [\"VerifiableCredential\", \"OpenBadgeCredential\"]}",
		"{\"@context\": [\"https://www.w3.org/ns/credentials/v2\", "
		"\"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json\"],"
		" \"type\": [\"VerifiableCredential\", \"OpenBadgeCredential\"],"
		" \"id\": \"x\", \"issuer\": {\"id\": \"y\"}, \"credentialSubject\":"
		" {\"achievement\": {\"id\": \"a\", \"name\": \"n\"}}}",
		"{\"id\": 1, \"id\": 2}",
	};

	(void)state;
	mb_key_public(k, pk);
	c.pk = pk;
	c.now_ms = T0;
	c.status = NULL;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		out = NULL;
		assert_int_equal(mb_credential_verify_text(cases[i],
		    strlen(cases[i]), &c, &out, &f, &why, &d), MB_ERR_INVAL);
		assert_int_equal(why, MB_VERDICT_MALFORMED);
		json_decref(out);
	}

	/* A statusListIndex that is not a plain decimal. */
	{
		struct mb_badge	 b = badge();
		json_t		*doc = issue(&b, k);

		json_object_set_new(json_object_get(doc, "credentialStatus"),
		    "statusListIndex", json_string("0x10"));
		assert_int_equal(check(doc, k, T0, NULL, &why, &d),
		    MB_ERR_INVAL);
		assert_int_equal(why, MB_VERDICT_MALFORMED);
		json_object_set_new(json_object_get(doc, "credentialStatus"),
		    "type", json_string("1EdTechRevocationList"));
		assert_int_equal(check(doc, k, T0, NULL, &why, &d),
		    MB_ERR_UNSUPPORTED);
		json_decref(doc);
	}
	mb_key_free(k);
}

static struct mb_status_list *
load_list(const json_t *doc, const struct mb_key *k, int64_t now,
    enum mb_verdict *why, struct mb_diag *d, int *rc)
{
	struct mb_status_list	*sl = NULL;
	uint8_t			 pk[32];
	char			*text;

	mb_key_public(k, pk);
	assert_int_equal(mb_credential_text(doc, &text), MB_OK);
	*rc = mb_status_list_load(text, strlen(text), pk, now, &sl, why, d);
	free(text);
	return sl;
}

static json_t *
make_list(const struct mb_key *k, const char *id, const uint64_t *rev,
    size_t n, uint64_t length)
{
	struct mb_status_list_opts	 o;
	struct mb_diag			 d = { "" };
	json_t				*doc = NULL;

	memset(&o, 0, sizeof(o));
	o.id = id;
	o.issuer_name = "Cairo Media Center";
	o.valid_from_ms = T0;
	o.valid_until_ms = T0 + 30 * DAY;
	o.length = length;
	o.created_ms = T0;
	if (mb_status_list_issue(&o, rev, n, k, &doc, &d) != MB_OK)
		fail_msg("status list: %s", d.msg);
	return doc;
}

static void
test_status_list(void **state)
{
	struct mb_key		*k = key_of_byte(1), *other = key_of_byte(2);
	uint64_t		 rev[] = { 0, 5, 94567, 131071 };
	json_t			*list = make_list(k, LIST_URL, rev, 4, 0);
	json_t			*cred;
	struct mb_status_list	*sl;
	struct mb_badge		 b = badge();
	struct mb_diag		 d = { "" };
	enum mb_verdict		 why;
	int			 rc;
	const char		*enc;

	(void)state;
	enc = json_string_value(json_object_get(json_object_get(list,
	    "credentialSubject"), "encodedList"));
	assert_int_equal(enc[0], 'u');
	/* 16 KB of mostly zeros compresses to little. */
	assert_true(strlen(enc) < 200);

	sl = load_list(list, k, T0 + DAY, &why, &d, &rc);
	assert_int_equal(rc, MB_OK);
	assert_string_equal(mb_status_list_id(sl), LIST_URL);
	assert_int_equal(mb_status_list_length(sl), 131072);
	assert_int_equal(mb_status_list_get(sl, 0), 1);
	assert_int_equal(mb_status_list_get(sl, 1), 0);
	assert_int_equal(mb_status_list_get(sl, 5), 1);
	assert_int_equal(mb_status_list_get(sl, 94567), 1);
	assert_int_equal(mb_status_list_get(sl, 94568), 0);
	assert_int_equal(mb_status_list_get(sl, 131071), 1);
	assert_int_equal(mb_status_list_get(sl, 131072), -1);

	/* The credential at 94567 is revoked; at 6 it is not. */
	cred = issue(&b, k);
	assert_int_equal(check(cred, k, T0 + DAY, sl, &why, &d), MB_ERR_PERM);
	assert_int_equal(why, MB_VERDICT_REVOKED);
	assert_non_null(strstr(d.msg, "revoked"));
	json_decref(cred);
	b.status_index = 6;
	cred = issue(&b, k);
	assert_int_equal(check(cred, k, T0 + DAY, sl, &why, &d), MB_OK);
	json_decref(cred);
	/* Beyond the list. */
	b.status_index = 200000;
	cred = issue(&b, k);
	assert_int_equal(check(cred, k, T0 + DAY, sl, &why, &d),
	    MB_ERR_INVAL);
	assert_int_equal(why, MB_VERDICT_WRONG_LIST);
	json_decref(cred);
	/* Another list than the credential names. */
	b.status_index = 6;
	b.status_list = "https://cairo.example/credentials/status/2";
	cred = issue(&b, k);
	assert_int_equal(check(cred, k, T0 + DAY, sl, &why, &d),
	    MB_ERR_INVAL);
	assert_int_equal(why, MB_VERDICT_WRONG_LIST);
	json_decref(cred);
	/* Not revocable at all: nothing to look up. */
	b.status_list = NULL;
	cred = issue(&b, k);
	assert_null(json_object_get(cred, "credentialStatus"));
	assert_int_equal(check(cred, k, T0 + DAY, sl, &why, &d), MB_OK);
	json_decref(cred);
	mb_status_list_free(sl);

	/* The list itself: another key, altered bits, out of date. */
	sl = load_list(list, other, T0 + DAY, &why, &d, &rc);
	assert_int_equal(rc, MB_ERR_SIG);
	assert_int_equal(why, MB_VERDICT_WRONG_KEY);
	assert_null(sl);
	sl = load_list(list, k, T0 + 31 * DAY, &why, &d, &rc);
	assert_int_equal(rc, MB_ERR_PERM);
	assert_int_equal(why, MB_VERDICT_EXPIRED);
	json_object_set_new(json_object_get(list, "credentialSubject"),
	    "encodedList", json_string("uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAA"
	    "AAAAAAAAAAAAAAAIC3AYbSVKsAQAAA"));
	sl = load_list(list, k, T0 + DAY, &why, &d, &rc);
	assert_int_equal(rc, MB_ERR_SIG);
	assert_int_equal(why, MB_VERDICT_BAD_SIGNATURE);
	json_decref(list);

	/* Bigger lists; refused sizes. */
	list = make_list(k, LIST_URL, rev, 4, 1u << 20);
	sl = load_list(list, k, T0 + DAY, &why, &d, &rc);
	assert_int_equal(rc, MB_OK);
	assert_int_equal(mb_status_list_length(sl), 1u << 20);
	mb_status_list_free(sl);
	json_decref(list);
	{
		struct mb_status_list_opts	o;
		json_t				*doc = NULL;
		uint64_t			 far = 131072;

		memset(&o, 0, sizeof(o));
		o.id = LIST_URL;
		o.length = 1000;
		assert_int_equal(mb_status_list_issue(&o, NULL, 0, k, &doc,
		    &d), MB_ERR_INVAL);
		o.length = 0;
		assert_int_equal(mb_status_list_issue(&o, &far, 1, k, &doc,
		    &d), MB_ERR_INVAL);
		assert_non_null(strstr(d.msg, "beyond"));
		o.id = NULL;
		assert_int_equal(mb_status_list_issue(&o, NULL, 0, k, &doc,
		    &d), MB_ERR_INVAL);
	}
	mb_key_free(k);
	mb_key_free(other);
}

/* A signed list whose encodedList is chosen by the test. */
static json_t *
list_with(const struct mb_key *k, const uint8_t *raw, size_t n)
{
	struct mb_buf	 enc = MB_BUF_INIT;
	json_t		*doc = json_pack("{s:[s],s:s,s:[ss],s:s,s:s,s:{s:s,s:s,"
	    "s:s}}", "@context", "https://www.w3.org/ns/credentials/v2", "id",
	    LIST_URL, "type", "VerifiableCredential",
	    "BitstringStatusListCredential", "issuer", "did:example:x",
	    "validFrom", "2027-01-01T00:00:00Z", "credentialSubject", "id",
	    LIST_URL "#list", "type", "BitstringStatusList", "statusPurpose",
	    "revocation");
	struct mb_proof_opts o = { NULL, T0, NULL };
	struct mb_diag	 d = { "" };

	mb_buf_putc(&enc, 'u');
	mb_b64url_encode(raw, n, &enc);
	json_object_set_new(json_object_get(doc, "credentialSubject"),
	    "encodedList", json_string(enc.data));
	assert_int_equal(mb_proof_sign(doc, k, &o, &d), MB_OK);
	mb_buf_free(&enc);
	return doc;
}

static size_t
gzip_zeros(size_t n, uint8_t *out, size_t cap)
{
	uint8_t		*zeros = calloc(1, n);
	z_stream	 z;

	memset(&z, 0, sizeof(z));
	assert_int_equal(deflateInit2(&z, 9, Z_DEFLATED, 31, 9,
	    Z_DEFAULT_STRATEGY), Z_OK);
	z.next_in = zeros;
	z.avail_in = (uInt)n;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	deflateEnd(&z);
	free(zeros);
	return cap - z.avail_out;
}

static void
test_status_list_hostile(void **state)
{
	struct mb_key		*k = key_of_byte(1);
	static uint8_t		 gz[64 * 1024];
	struct mb_status_list	*sl;
	struct mb_diag		 d = { "" };
	enum mb_verdict		 why;
	json_t			*doc;
	size_t			 n;
	int			 rc;
	/* The specification's example list: 131,072 zero bits. */
	static const char w3c[] =
	    "H4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA";

	(void)state;
	assert_int_equal(mb_b64url_decode(w3c, strlen(w3c), gz, sizeof(gz),
	    &n), MB_OK);
	doc = list_with(k, gz, n);
	sl = load_list(doc, k, T0, &why, &d, &rc);
	assert_int_equal(rc, MB_OK);
	assert_int_equal(mb_status_list_length(sl), 131072);
	for (uint64_t i = 0; i < 131072; i += 977)
		assert_int_equal(mb_status_list_get(sl, i), 0);
	mb_status_list_free(sl);
	json_decref(doc);

	/* A zip bomb: 16 MiB of zeros in 16 KB. */
	n = gzip_zeros(16u << 20, gz, sizeof(gz));
	doc = list_with(k, gz, n);
	sl = load_list(doc, k, T0, &why, &d, &rc);
	assert_int_equal(rc, MB_ERR_TOOBIG);
	assert_null(sl);
	json_decref(doc);
	/* Too short a list: 1 KB. */
	n = gzip_zeros(1024, gz, sizeof(gz));
	doc = list_with(k, gz, n);
	sl = load_list(doc, k, T0, &why, &d, &rc);
	assert_int_equal(rc, MB_ERR_INVAL);
	assert_non_null(strstr(d.msg, "fewer than"));
	json_decref(doc);
	/* Truncated GZIP; trailing bytes; not GZIP at all. */
	n = gzip_zeros(16384, gz, sizeof(gz));
	doc = list_with(k, gz, n - 5);
	sl = load_list(doc, k, T0, &why, &d, &rc);
	assert_int_equal(rc, MB_ERR_INVAL);
	json_decref(doc);
	gz[n] = 0x1f;
	doc = list_with(k, gz, n + 1);
	sl = load_list(doc, k, T0, &why, &d, &rc);
	assert_int_equal(rc, MB_ERR_INVAL);
	json_decref(doc);
	doc = list_with(k, (const uint8_t *)"hello", 5);
	sl = load_list(doc, k, T0, &why, &d, &rc);
	assert_int_equal(rc, MB_ERR_INVAL);
	assert_int_equal(why, MB_VERDICT_MALFORMED);
	json_decref(doc);
	mb_key_free(k);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_issue_shape),
		cmocka_unit_test(test_hashed_subject),
		cmocka_unit_test(test_issue_refuses),
		cmocka_unit_test(test_tamper),
		cmocka_unit_test(test_validity),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_status_list),
		cmocka_unit_test(test_status_list_hostile),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
