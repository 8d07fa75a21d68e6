/* SPDX-License-Identifier: MIT */
/* Unit tests for ids, keys and envelopes: minting, signing, verifying. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/timeutil.h"
#include "item/envelope.h"
#include "item/id.h"
#include "item/key.h"

static const char item_json[] =
    "{\"uri\":\"urn:mediabridge:cairo:01hx\",\"version\":\"3\","
    "\"versionCreated\":\"2026-11-29T10:00:00Z\",\"type\":\"text\","
    "\"language\":\"ar\",\"pubStatus\":\"usable\","
    "\"embargoedUntil\":\"2026-12-01T00:00:00Z\","
    "\"headlines\":[{\"value\":\"\xd8\xae\xd8\xa8\xd8\xb1\"}],"
    "\"bodies\":[{\"value\":\"<p>x</p>\"}]}";

static struct mb_envelope *
make_envelope(const char *item, const char *meta, struct mb_diag *d)
{
	struct mb_envelope *e = NULL;

	if (mb_envelope_new(json_loads(item, 0, NULL), json_loads(meta, 0,
	    NULL), &e, d) != MB_OK)
		return NULL;
	return e;
}

static void
test_ids(void **state)
{
	char	a[MB_LOCAL_LEN + 1], b[MB_LOCAL_LEN + 1];
	char	c[MB_CENTER_MAX + 1], l[MB_LOCAL_MAX + 1], uri[MB_URI_MAX];
	int64_t	now = mb_time_now_ms();

	(void)state;
	mb_local_id_mint(a);
	for (int i = 0; i < 10000; i++) {
		mb_local_id_mint(b);
		assert_true(strcmp(a, b) < 0); /* strictly increasing */
		memcpy(a, b, sizeof(a));
	}
	assert_int_equal(strlen(a), MB_LOCAL_LEN);
	assert_true(mb_local_id_valid(a));
	assert_true(llabs(mb_local_id_time(a) - now) < 5000);
	assert_true(mb_center_id_valid("cairo"));
	assert_true(mb_center_id_valid("hq-2"));
	assert_false(mb_center_id_valid("Cairo"));
	assert_false(mb_center_id_valid("2cairo"));
	assert_false(mb_center_id_valid(""));
	assert_false(mb_center_id_valid("a23456789012345678901234567890123"));
	assert_false(mb_local_id_valid("a/b"));
	assert_false(mb_local_id_valid(".."));
	assert_int_equal(mb_uri_make(uri, sizeof(uri), "cairo", a), MB_OK);
	assert_int_equal(mb_uri_parse(uri, c, l), MB_OK);
	assert_string_equal(c, "cairo");
	assert_string_equal(l, a);
	assert_int_equal(mb_uri_parse("urn:mediabridge:cairo", c, l),
	    MB_ERR_INVAL);
	assert_int_equal(mb_uri_parse("urn:other:cairo:x", c, l),
	    MB_ERR_INVAL);
	assert_int_equal(mb_uri_parse("urn:mediabridge:cairo:x/y", c, l),
	    MB_ERR_INVAL);
}

static void
test_keys(void **state)
{
	struct mb_key	*k, *k2;
	uint8_t		 pk[MB_PUBKEY_LEN], pk2[MB_PUBKEY_LEN];
	uint8_t		 sig[MB_SIG_LEN];
	char		 text[MB_PUBKEY_TEXT_LEN], dir[] = "/tmp/mbkeyXXXXXX";
	char		 path[128];
	struct mb_diag	 d = { "" };

	(void)state;
	assert_int_equal(mb_key_generate(&k), MB_OK);
	mb_key_public(k, pk);
	mb_pubkey_format(pk, text);
	assert_int_equal(strncmp(text, "ed25519:", 8), 0);
	assert_int_equal(mb_pubkey_parse(text, pk2, &d), MB_OK);
	assert_memory_equal(pk, pk2, sizeof(pk));
	assert_int_equal(mb_pubkey_parse("ed25519:AAAA", pk2, &d),
	    MB_ERR_INVAL);
	assert_int_equal(mb_pubkey_parse("rsa:AAAA", pk2, &d), MB_ERR_INVAL);
	mb_key_sign(k, "hello", 5, sig);
	assert_true(mb_sig_verify(pk, "hello", 5, sig));
	assert_false(mb_sig_verify(pk, "hellO", 5, sig));

	/* Saved 0600, loaded back the same; refused when others can read. */
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/center.key", dir);
	assert_int_equal(mb_key_save(k, path, &d), MB_OK);
	assert_int_equal(mb_key_load(path, &k2, &d), MB_OK);
	mb_key_public(k2, pk2);
	assert_memory_equal(pk, pk2, sizeof(pk));
	mb_key_free(k2);
	assert_int_equal(chmod(path, 0644), 0);
	assert_int_equal(mb_key_load(path, &k2, &d), MB_ERR_PERM);
	assert_non_null(strstr(d.msg, "chmod 600"));
	assert_int_equal(chmod(path, 0600), 0);
	assert_int_equal(truncate(path, 10), 0);
	assert_int_equal(mb_key_load(path, &k2, &d), MB_ERR_CORRUPT);
	unlink(path);
	rmdir(dir);
	mb_key_free(k);
	mb_key_free(NULL);
}

static void
test_sign_verify(void **state)
{
	struct mb_key			*k, *other;
	struct mb_envelope		*e, *e2;
	const struct mb_item_info	*info;
	struct mb_buf			 wire = MB_BUF_INIT, wire2 = MB_BUF_INIT;
	uint8_t				 pk[MB_PUBKEY_LEN], opk[MB_PUBKEY_LEN];
	struct mb_diag			 d = { "" };
	char				*p;

	(void)state;
	assert_int_equal(mb_key_generate(&k), MB_OK);
	assert_int_equal(mb_key_generate(&other), MB_OK);
	mb_key_public(k, pk);
	mb_key_public(other, opk);
	e = make_envelope(item_json,
	    "{\"origin\":\"cairo\",\"audience\":\"network\"}", &d);
	assert_non_null(e);
	info = mb_envelope_info(e);
	assert_string_equal(info->center, "cairo");
	assert_int_equal(info->version, 3);
	assert_string_equal(info->audience, "network");
	assert_string_equal(info->workflow, "published");
	assert_string_equal(info->language, "ar");
	assert_true(info->embargo_ms > info->created_ms);
	assert_false(mb_envelope_is_signed(e));
	assert_int_equal(mb_envelope_dump(e, &wire, &d), MB_ERR_INVAL);
	assert_int_equal(mb_envelope_sign(e, k, &d), MB_OK);
	assert_int_equal(mb_envelope_verify(e, pk, &d), MB_OK);
	assert_int_equal(mb_envelope_verify(e, opk, &d), MB_ERR_SIG);

	/* The wire form parses back and verifies; it is canonical. */
	mb_buf_reset(&wire);
	assert_int_equal(mb_envelope_dump(e, &wire, &d), MB_OK);
	assert_int_equal(strncmp(wire.data, "{\"item\":{\"bodies\"", 17), 0);
	assert_int_equal(mb_envelope_parse(wire.data, wire.len, &e2, &d),
	    MB_OK);
	assert_int_equal(mb_envelope_verify(e2, pk, &d), MB_OK);
	assert_int_equal(mb_envelope_dump(e2, &wire2, &d), MB_OK);
	assert_string_equal(wire.data, wire2.data);
	mb_envelope_free(e2);

	/* One changed byte of the item: still parses, no longer verifies. */
	p = strstr(wire.data, "<p>x</p>");
	p[3] = 'y';
	assert_int_equal(mb_envelope_parse(wire.data, wire.len, &e2, &d),
	    MB_OK);
	assert_int_equal(mb_envelope_verify(e2, pk, &d), MB_ERR_SIG);
	assert_non_null(strstr(d.msg, "urn:mediabridge:cairo:01hx"));
	mb_envelope_free(e2);

	/* Whitespace and member order do not matter: canonical form does. */
	mb_buf_reset(&wire2);
	p[3] = 'x';
	mb_buf_puts(&wire2, "{ \"signature\" : ");
	mb_buf_append(&wire2, strstr(wire.data, "\"signature\":") + 12,
	    strlen(strstr(wire.data, "\"signature\":") + 12) - 1);
	mb_buf_puts(&wire2, ", \"meta\": {\"audience\":\"network\",");
	mb_buf_puts(&wire2, "\"origin\":\"cairo\"}, \"item\": ");
	mb_buf_append(&wire2, wire.data + 8,
	    (size_t)(strstr(wire.data, ",\"meta\":") - wire.data - 8));
	mb_buf_puts(&wire2, "}");
	assert_int_equal(mb_envelope_parse(wire2.data, wire2.len, &e2, &d),
	    MB_OK);
	assert_int_equal(mb_envelope_verify(e2, pk, &d), MB_OK);
	mb_envelope_free(e2);

	mb_buf_free(&wire);
	mb_buf_free(&wire2);
	mb_envelope_free(e);
	mb_key_free(k);
	mb_key_free(other);
}

static void
test_refusals(void **state)
{
	static const struct {
		const char *json;
		const char *why;
	} cases[] = {
		{ "[1]", "envelope: must be an object" },
		{ "{\"item\":{},\"meta\":{}}", "signature: missing" },
		{ "{\"item\":{},\"meta\":{},\"signature\":\"abc\"}",
		  "signature: not 64 bytes of base64" },
		{ "{\"item\":{},\"meta\":{},\"signature\":\"x\",\"extra\":1}",
		  "extra: not an envelope field" },
		{ "{\"item\":{},\"item\":{}}", "not JSON: duplicate object key" },
		{ "{\"meta\":{},\"signature\":\"x\"}", "item: missing" },
		{ "not json", "not JSON" },
	};
	struct mb_envelope	*e;
	struct mb_diag		 d;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		mb_diag_clear(&d);
		assert_int_equal(mb_envelope_parse(cases[i].json,
		    strlen(cases[i].json), &e, &d), MB_ERR_INVAL);
		if (strstr(d.msg, cases[i].why) == NULL)
			fail_msg("%s: got \"%s\"", cases[i].json, d.msg);
	}
}

static void
test_item_rules(void **state)
{
	static const struct {
		const char *patch;	/* members merged over item_json */
		const char *meta;
		const char *why;	/* NULL: valid */
	} cases[] = {
		{ "{}", "{\"origin\":\"cairo\",\"audience\":\"public\"}", NULL },
		{ "{\"version\":\"0\"}", NULL, "version: must be a whole" },
		{ "{\"version\":\"01\"}", NULL, "version: must be a whole" },
		{ "{\"version\":\"99999999999999999\"}", NULL,
		  "version: must be a whole" },
		{ "{\"uri\":\"http://example.org/x\"}", NULL,
		  "uri: must be urn:mediabridge" },
		{ "{\"versionCreated\":\"yesterday\"}", NULL, "versionCreated" },
		{ "{\"language\":\"arabic-language\"}", NULL,
		  "language: not a BCP 47" },
		{ "{\"urgency\":12}", NULL, "urgency" },
		{ "{\"renditions\":[{\"name\":\"x\",\"duration\":1e300}]}", NULL,
		  "too large for I-JSON" },
		{ "{}", "{\"origin\":\"moscow\",\"audience\":\"public\"}",
		  "meta.origin: \"moscow\" is not the center" },
		{ "{}", "{\"origin\":\"cairo\",\"audience\":\"everyone\"}",
		  "meta.audience: must be one of" },
		{ "{}", "{\"origin\":\"cairo\"}", "meta.audience: missing" },
		{ "{}", "{\"origin\":\"cairo\",\"audience\":\"public\","
		  "\"workflow\":\"maybe\"}", "meta.workflow" },
		{ "{}", "{\"origin\":\"cairo\",\"audience\":\"public\","
		  "\"secret\":1}", "meta.secret: not a mediabridge meta field" },
		{ "{}", "{\"origin\":\"cairo\",\"audience\":\"public\","
		  "\"translation\":{\"of\":\"urn:mediabridge:hq:1\","
		  "\"by\":\"machine\",\"engine\":\"x\"}}", NULL },
		{ "{}", "{\"origin\":\"cairo\",\"audience\":\"public\","
		  "\"translation\":{\"of\":\"urn:mediabridge:hq:1\","
		  "\"by\":\"robot\"}}", "meta.translation.by" },
	};
	struct mb_diag d;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_t			*item = json_loads(item_json, 0, NULL);
		json_t			*patch = json_loads(cases[i].patch, 0,
		    NULL);
		struct mb_envelope	*e = NULL;
		int			 rc;

		json_object_update(item, patch);
		json_decref(patch);
		mb_diag_clear(&d);
		rc = mb_envelope_new(item, json_loads(cases[i].meta ?
		    cases[i].meta : "{\"origin\":\"cairo\",\"audience\":"
		    "\"public\"}", 0, NULL), &e, &d);
		if (cases[i].why == NULL) {
			if (rc != MB_OK)
				fail_msg("case %zu: %s", i, d.msg);
		} else if (rc != MB_ERR_INVAL || strstr(d.msg,
		    cases[i].why) == NULL) {
			fail_msg("case %zu: expected \"%s\", got %d \"%s\"", i,
			    cases[i].why, rc, d.msg);
		}
		mb_envelope_free(e);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ids),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_sign_verify),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_item_rules),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
