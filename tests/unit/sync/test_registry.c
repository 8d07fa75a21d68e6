/* SPDX-License-Identifier: MIT */
/* Unit tests for src/sync/registry: HQ publishes and signs, a branch applies only HQ's newer versions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "center/center.h"
#include "center/names.h"
#include "item/key.h"
#include "store/store.h"
#include "sync/registry.h"

struct fixture {
	char			 root[64];
	struct mb_center_node	*hq, *branch;
	struct mb_store		*hq_st, *br_st;
};

static int
setup(void **state)
{
	struct fixture		*f = calloc(1, sizeof(*f));
	struct mb_init_opts	 o;
	char			 dir[128], key[MB_PUBKEY_TEXT_LEN];

	snprintf(f->root, sizeof(f->root), "/tmp/mb-test-registry.XXXXXX");
	assert_non_null(mkdtemp(f->root));
	memset(&o, 0, sizeof(o));
	o.id = "moscow";
	o.name = "Moscow";
	o.country = "RU";
	o.languages = "ru,en";
	o.listen = "127.0.0.1:1";
	o.hq = 1;
	snprintf(dir, sizeof(dir), "%s/hq", f->root);
	assert_int_equal(mb_center_init(dir, &o, NULL), MB_OK);
	assert_int_equal(mb_center_open(dir, &f->hq, NULL), MB_OK);
	assert_int_equal(mb_center_store(f->hq, &f->hq_st, NULL), MB_OK);
	mb_pubkey_format(f->hq->pk, key);
	o.id = "cairo";
	o.name = "Cairo";
	o.country = "EG";
	o.languages = "ar,en";
	o.listen = "127.0.0.1:2";
	o.hq = 0;
	o.hq_url = "http://127.0.0.1:1";
	o.hq_key = key;
	snprintf(dir, sizeof(dir), "%s/cairo", f->root);
	assert_int_equal(mb_center_init(dir, &o, NULL), MB_OK);
	assert_int_equal(mb_center_open(dir, &f->branch, NULL), MB_OK);
	assert_int_equal(mb_center_store(f->branch, &f->br_st, NULL), MB_OK);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;
	char		 cmd[128];

	mb_store_close(f->hq_st);
	mb_store_close(f->br_st);
	mb_center_close(f->hq);
	mb_center_close(f->branch);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", f->root);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

/* HQ admits the branch (as `center add` does) with status. */
static void
admit(struct fixture *f, const char *status, int64_t *version)
{
	struct mb_center c;

	memset(&c, 0, sizeof(c));
	snprintf(c.id, sizeof(c.id), "cairo");
	snprintf(c.name, sizeof(c.name), "Cairo");
	snprintf(c.country, sizeof(c.country), "EG");
	snprintf(c.languages, sizeof(c.languages), "ar,en");
	snprintf(c.url, sizeof(c.url), "http://127.0.0.1:2");
	memcpy(c.key, f->branch->pk, sizeof(c.key));
	snprintf(c.role, sizeof(c.role), "branch");
	snprintf(c.status, sizeof(c.status), "%s", status);
	assert_int_equal(mb_store_center_put(f->hq_st, &c, NULL), MB_OK);
	assert_int_equal(mb_sync_registry_publish(f->hq_st, f->hq, version,
	    NULL), MB_OK);
}

static int
count(const struct mb_center *c, void *arg)
{
	(void)c;
	(*(int *)arg)++;
	return MB_OK;
}

static void
test_publish_verify_apply(void **state)
{
	struct fixture		*f = *state;
	struct mb_buf		 doc = MB_BUF_INIT;
	struct mb_center	 c;
	int64_t			 v1 = 0, v2 = 0, v = 0;
	bool			 applied;
	int			 n = 0;

	admit(f, "active", &v1);
	assert_int_equal(mb_sync_registry_current(f->hq_st, f->hq, &doc, &v,
	    NULL), MB_OK);
	assert_int_equal(v, v1);
	assert_int_equal(mb_sync_registry_verify(doc.data, doc.len, f->hq->pk,
	    &v, count, &n, NULL), MB_OK);
	assert_int_equal(v, v1);
	assert_int_equal(n, 2);	/* HQ and Cairo */
	/* The branch has none yet, then applies it once. */
	assert_int_equal(mb_sync_registry_version(f->br_st), 0);
	assert_int_equal(mb_sync_registry_apply(f->br_st, f->branch, doc.data,
	    doc.len, &applied, NULL), MB_OK);
	assert_true(applied);
	assert_int_equal(mb_sync_registry_version(f->br_st), v1);
	assert_int_equal(mb_store_center_get(f->br_st, "moscow", &c, NULL),
	    MB_OK);
	assert_string_equal(c.role, "hq");
	assert_int_equal(mb_sync_registry_apply(f->br_st, f->branch, doc.data,
	    doc.len, &applied, NULL), MB_OK);
	assert_false(applied);
	/* A newer version (Cairo suspended) replaces it... */
	mb_buf_reset(&doc);
	admit(f, "suspended", &v2);
	assert_true(v2 > v1);
	assert_int_equal(mb_sync_registry_current(f->hq_st, f->hq, &doc, &v,
	    NULL), MB_OK);
	assert_int_equal(mb_sync_registry_apply(f->br_st, f->branch, doc.data,
	    doc.len, &applied, NULL), MB_OK);
	assert_true(applied);
	assert_int_equal(mb_sync_registry_version(f->br_st), v2);
	mb_buf_free(&doc);
}

static void
test_refuses_unsigned_and_tampered(void **state)
{
	struct fixture	*f = *state;
	struct mb_buf	 doc = MB_BUF_INIT;
	char		*p;
	int64_t		 v = 0;
	bool		 applied = true;

	admit(f, "active", &v);
	assert_int_equal(mb_sync_registry_current(f->hq_st, f->hq, &doc, &v,
	    NULL), MB_OK);
	/* Cairo promotes itself to HQ in transit. */
	assert_non_null(p = strstr(doc.data, "\"role\":\"branch\""));
	memcpy(p, "\"role\":\"hq\"    ", 15);
	assert_int_not_equal(mb_sync_registry_apply(f->br_st, f->branch,
	    doc.data, doc.len, &applied, NULL), MB_OK);
	assert_int_equal(mb_sync_registry_version(f->br_st), 0);
	/* Signed, but by the branch, not by the pinned HQ key. */
	assert_int_not_equal(mb_sync_registry_verify(doc.data, doc.len,
	    f->branch->pk, &v, NULL, NULL, NULL), MB_OK);
	/* Not a document at all. */
	assert_int_not_equal(mb_sync_registry_apply(f->br_st, f->branch,
	    "{}", 2, &applied, NULL), MB_OK);
	assert_int_not_equal(mb_sync_registry_apply(f->br_st, f->branch,
	    "not json", 8, &applied, NULL), MB_OK);
	/*
	 * What a bomb decodes to is refused before a tree is built: past
	 * 16 MiB, and a small text of 1.2 million empty arrays (a tree of
	 * ~45 times its size).
	 */
	{
		size_t	 n = (16u << 20) + 1, k = 1200000;
		char	*big = malloc(n), *many = malloc(2 * 3 * k);

		assert_non_null(big);
		assert_non_null(many);
		memset(big, ' ', n);
		assert_int_equal(mb_sync_registry_verify(big, n, f->hq->pk, &v,
		    NULL, NULL, NULL), MB_ERR_TOOBIG);
		many[0] = '[';
		for (size_t i = 0; i < k; i++)
			memcpy(many + 1 + 3 * i, "[],", 3);
		many[3 * k] = ']';
		assert_int_equal(mb_sync_registry_verify(many, 3 * k + 1,
		    f->hq->pk, &v, NULL, NULL, NULL), MB_ERR_TOOBIG);
		free(big);
		free(many);
	}
	assert_int_equal(mb_sync_registry_version(f->br_st), 0);
	mb_buf_free(&doc);
}

static void
test_older_version_ignored(void **state)
{
	struct fixture	*f = *state;
	struct mb_buf	 d1 = MB_BUF_INIT, d2 = MB_BUF_INIT;
	int64_t		 v1 = 0, v2 = 0, v;
	bool		 applied;

	admit(f, "active", &v1);
	assert_int_equal(mb_sync_registry_current(f->hq_st, f->hq, &d1, &v,
	    NULL), MB_OK);
	admit(f, "revoked", &v2);
	assert_int_equal(mb_sync_registry_current(f->hq_st, f->hq, &d2, &v,
	    NULL), MB_OK);
	assert_int_equal(mb_sync_registry_apply(f->br_st, f->branch, d2.data,
	    d2.len, &applied, NULL), MB_OK);
	assert_true(applied);
	/* A replayed older document never rolls a revocation back. */
	assert_int_equal(mb_sync_registry_apply(f->br_st, f->branch, d1.data,
	    d1.len, &applied, NULL), MB_OK);
	assert_false(applied);
	assert_int_equal(mb_sync_registry_version(f->br_st), v2);
	mb_buf_free(&d1);
	mb_buf_free(&d2);
}

/* Names in other languages and lent pairs: set, signed, carried, applied. */
static void
test_names_and_pairs(void **state)
{
	struct fixture		*f = *state;
	struct mb_buf		 doc = MB_BUF_INIT;
	struct mb_center	 c;
	json_t			*pairs;
	char			 name[128];
	int64_t			 v = 0;
	bool			 applied;

	admit(f, "active", &v);
	assert_int_equal(mb_store_center_get(f->hq_st, "cairo", &c, NULL),
	    MB_OK);
	assert_int_equal(mb_center_name_set(&c, "AR", "\u0627\u0644\u0642"
	    "\u0627\u0647\u0631\u0629", NULL), MB_OK);
	assert_int_equal(mb_center_name_set(&c, "ru", "Каир", NULL), MB_OK);
	assert_int_equal(mb_center_name_set(&c, "ru", "Каир!", NULL), MB_OK);
	pairs = json_pack("[s, s, s]", "EN|es", "en|es", "fr|es");
	assert_int_equal(mb_center_pairs_from_json(&c, pairs, NULL), MB_OK);
	json_decref(pairs);
	assert_string_equal(c.mt_pairs, "en|es,fr|es");
	assert_int_equal(mb_store_center_put(f->hq_st, &c, NULL), MB_OK);
	assert_int_equal(mb_sync_registry_publish(f->hq_st, f->hq, &v, NULL),
	    MB_OK);
	assert_int_equal(mb_sync_registry_current(f->hq_st, f->hq, &doc, &v,
	    NULL), MB_OK);
	assert_non_null(strstr(doc.data, "\"names\":{\"ar\":\""));
	assert_non_null(strstr(doc.data, "\"mt_pairs\":[\"en|es\","
	    "\"fr|es\"]"));
	/* The branch applies them, for others and for its own row. */
	assert_int_equal(mb_sync_registry_apply(f->br_st, f->branch, doc.data,
	    doc.len, &applied, NULL), MB_OK);
	assert_true(applied);
	assert_int_equal(mb_store_center_get(f->br_st, "cairo", &c, NULL),
	    MB_OK);
	assert_string_equal(c.mt_pairs, "en|es,fr|es");
	assert_true(mb_center_lends(&c, "fr", "es"));
	assert_false(mb_center_lends(&c, "es", "fr"));
	mb_center_name_in(&c, "ar", name, sizeof(name));
	assert_string_equal(name, "\u0627\u0644\u0642\u0627\u0647\u0631"
	    "\u0629");
	mb_center_name_in(&c, "ar-EG", name, sizeof(name));
	assert_string_equal(name, "\u0627\u0644\u0642\u0627\u0647\u0631"
	    "\u0629");
	mb_center_name_in(&c, "ru", name, sizeof(name));
	assert_string_equal(name, "Каир!");
	mb_center_name_in(&c, "en", name, sizeof(name));
	assert_string_equal(name, "Cairo");
	mb_center_name_in(&c, NULL, name, sizeof(name));
	assert_string_equal(name, "Cairo");
	/* Cleared: the default name again. */
	assert_int_equal(mb_center_name_set(&c, "ru", NULL, NULL), MB_OK);
	mb_center_name_in(&c, "ru", name, sizeof(name));
	assert_string_equal(name, "Cairo");
	assert_int_equal(mb_center_name_set(&c, "ru", NULL, NULL),
	    MB_ERR_NOTFOUND);
	mb_buf_free(&doc);
}

/* Bad names and pairs: refused, naming what is wrong, nothing changed. */
static void
test_bad_names_and_pairs(void **state)
{
	struct fixture		*f = *state;
	struct mb_buf		 doc = MB_BUF_INIT;
	struct mb_center	 c, before;
	struct mb_diag		 d = { "" };
	json_t			*j;
	char			 big[200];
	int64_t			 v = 0;
	bool			 applied = true;

	admit(f, "active", &v);
	assert_int_equal(mb_store_center_get(f->hq_st, "cairo", &c, NULL),
	    MB_OK);
	assert_int_equal(mb_center_name_set(&c, "ar", "Cairo ar", NULL),
	    MB_OK);
	before = c;
	assert_int_equal(mb_center_name_set(&c, "xx", "X", &d), MB_ERR_INVAL);
	assert_non_null(strstr(d.msg, "not a known language"));
	assert_int_equal(mb_center_name_set(&c, "english", "X", &d),
	    MB_ERR_INVAL);
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(mb_center_name_set(&c, "ru", big, &d), MB_ERR_INVAL);
	assert_non_null(strstr(d.msg, "at most 127"));
	assert_int_equal(mb_center_name_set(&c, "ru", "bad \xff utf8", &d),
	    MB_ERR_INVAL);
	assert_non_null(strstr(d.msg, "UTF-8"));
	assert_int_equal(mb_center_name_set(&c, "ru", "line\nbreak", &d),
	    MB_ERR_INVAL);
	assert_int_equal(mb_center_name_set(&c, "ru", "   ", &d),
	    MB_ERR_INVAL);
	assert_memory_equal(&c, &before, sizeof(c));
	/* Pairs: unknown language, one language twice, too many. */
	j = json_pack("[s, s]", "en|es", "en|klingon");
	assert_int_equal(mb_center_pairs_from_json(&c, j, &d), MB_ERR_INVAL);
	assert_non_null(strstr(d.msg, "klingon"));
	json_decref(j);
	j = json_pack("[s]", "es|es");
	assert_int_equal(mb_center_pairs_from_json(&c, j, &d), MB_ERR_INVAL);
	json_decref(j);
	j = json_pack("[s]", "en-es");
	assert_int_equal(mb_center_pairs_from_json(&c, j, &d), MB_ERR_INVAL);
	json_decref(j);
	j = json_array();
	for (int i = 0; i < MB_CENTER_PAIRS_MAX + 1; i++)
		json_array_append_new(j, json_string("en|es"));
	assert_int_equal(mb_center_pairs_from_json(&c, j, &d), MB_ERR_TOOBIG);
	json_decref(j);
	assert_memory_equal(&c, &before, sizeof(c));
	/* A registry whose names are bad is refused whole, even signed. */
	snprintf(c.names, sizeof(c.names), "{\"xx\":\"bad\"}");
	assert_int_equal(mb_store_center_put(f->hq_st, &c, NULL), MB_OK);
	assert_int_equal(mb_sync_registry_publish(f->hq_st, f->hq, &v, NULL),
	    MB_OK);
	assert_int_equal(mb_sync_registry_current(f->hq_st, f->hq, &doc, &v,
	    NULL), MB_OK);
	assert_int_equal(mb_sync_registry_apply(f->br_st, f->branch, doc.data,
	    doc.len, &applied, &d), MB_ERR_INVAL);
	assert_non_null(strstr(d.msg, "cairo"));
	assert_false(applied);
	assert_int_equal(mb_sync_registry_version(f->br_st), 0);
	mb_buf_free(&doc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_publish_verify_apply,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_refuses_unsigned_and_tampered, setup, teardown),
		cmocka_unit_test_setup_teardown(test_older_version_ignored,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_names_and_pairs, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_bad_names_and_pairs,
		    setup, teardown),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
