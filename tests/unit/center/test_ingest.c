/* SPDX-License-Identifier: MIT */
/* Unit tests for src/center/ingest.c, the one door every item passes: own items signed, peers' verified, the rest refused with nothing stored. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "center/center.h"
#include "center/ingest.h"
#include "item/envelope.h"
#include "item/key.h"
#include "store/store.h"

struct side {
	struct mb_center_node	*n;
	struct mb_store		*st;
	struct mb_ingest	*ing;
};

struct fixture {
	char		dir[64];
	struct side	cairo, moscow, lima;
};

static void
open_side(struct fixture *f, const char *id, struct side *s)
{
	struct mb_init_opts	o;
	char			dir[128];

	snprintf(dir, sizeof(dir), "%s/%s", f->dir, id);
	memset(&o, 0, sizeof(o));
	o.id = id;
	o.name = id;
	o.country = "EG";
	o.languages = "ar,en";
	o.url = "http://127.0.0.1:1";
	o.hq = 1;
	assert_int_equal(mb_center_init(dir, &o, NULL), MB_OK);
	assert_int_equal(mb_center_open(dir, &s->n, NULL), MB_OK);
	assert_int_equal(mb_center_store(s->n, &s->st, NULL), MB_OK);
}

static void
know(struct side *s, const struct side *other, const char *status)
{
	struct mb_center c;

	memset(&c, 0, sizeof(c));
	snprintf(c.id, sizeof(c.id), "%s", other->n->conf.id);
	snprintf(c.name, sizeof(c.name), "%s", other->n->conf.id);
	snprintf(c.country, sizeof(c.country), "RU");
	snprintf(c.languages, sizeof(c.languages), "ru");
	snprintf(c.url, sizeof(c.url), "http://127.0.0.1:2");
	memcpy(c.key, other->n->pk, sizeof(c.key));
	snprintf(c.role, sizeof(c.role), "branch");
	snprintf(c.status, sizeof(c.status), "%s", status);
	assert_int_equal(mb_store_center_put(s->st, &c, NULL), MB_OK);
}

static void
new_ingest(struct side *s)
{
	mb_ingest_free(s->ing);
	s->ing = NULL;
	assert_int_equal(mb_ingest_new(s->n, s->st, &s->ing, NULL), MB_OK);
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	snprintf(f->dir, sizeof(f->dir), "/tmp/mb-test-ingest.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	open_side(f, "cairo", &f->cairo);
	open_side(f, "moscow", &f->moscow);
	open_side(f, "lima", &f->lima);
	know(&f->cairo, &f->moscow, "active");
	new_ingest(&f->cairo);
	new_ingest(&f->moscow);
	new_ingest(&f->lima);
	*state = f;
	return 0;
}

static void
close_side(struct side *s)
{
	mb_ingest_free(s->ing);
	mb_store_close(s->st);
	mb_center_close(s->n);
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;
	char		 cmd[128];

	close_side(&f->cairo);
	close_side(&f->moscow);
	close_side(&f->lima);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

static json_t *
item(const char *headline, const char *body)
{
	return json_pack("{s:s, s:s, s:[{s:s}], s:[{s:s, s:s}]}", "type",
	    "text", "language", "en", "headlines", "value", headline, "bodies",
	    "value", body, "contentType", "text/html");
}

/* Prepares and commits value (stolen) at s; the result's rc. */
static int
ingest(struct side *s, json_t *value, struct mb_ingest_result *res,
    struct mb_diag *d)
{
	struct mb_prepared	*p = NULL;
	struct mb_ingest_opts	 o;
	int			 rc;

	memset(&o, 0, sizeof(o));
	if ((rc = mb_ingest_prepare(s->ing, value, &o, &p, d)) != MB_OK)
		return rc;
	rc = mb_ingest_commit(s->ing, s->st, p, true, res, d);
	mb_prepared_free(p);
	return rc;
}

/* A signed envelope of s's, as the exchange carries it (a new string). */
static char *
signed_by(struct side *s, const char *headline)
{
	struct mb_prepared	*p = NULL;
	struct mb_ingest_opts	 o;
	struct mb_buf		 b = MB_BUF_INIT;

	memset(&o, 0, sizeof(o));
	assert_int_equal(mb_ingest_prepare(s->ing, item(headline,
	    "<p>From afar.</p>"), &o, &p, NULL), MB_OK);
	assert_int_equal(mb_envelope_dump(mb_prepared_envelope(p), &b, NULL),
	    MB_OK);
	mb_prepared_free(p);
	return mb_buf_steal(&b);
}

static int64_t
log_len(struct side *s)
{
	int64_t seq = 0;

	assert_int_equal(mb_store_last_seq(s->st, &seq, NULL), MB_OK);
	return seq;
}

static json_t *
parse(const char *text)
{
	json_t *j = json_loads(text, 0, NULL);

	assert_non_null(j);
	return j;
}

static void
test_own_item_signed_and_deduplicated(void **state)
{
	struct fixture		*f = *state;
	struct mb_ingest_result	 r1, r2;
	bool			 has;

	assert_int_equal(ingest(&f->cairo, item("Own", "<p>Text.</p>"), &r1,
	    NULL), MB_OK);
	assert_false(r1.duplicate);
	assert_true(r1.seq > 0);
	assert_int_equal(r1.version, 1);
	assert_non_null(strstr(r1.uri, "urn:mediabridge:cairo:"));
	assert_int_equal(mb_store_has(f->cairo.st, r1.uri, 1, &has, NULL),
	    MB_OK);
	assert_true(has);
	/* The same item again: its hash is an alias, nothing new. */
	assert_int_equal(ingest(&f->cairo, item("Own", "<p>Text.</p>"), &r2,
	    NULL), MB_OK);
	assert_true(r2.duplicate);
	assert_string_equal(r2.uri, r1.uri);
	assert_int_equal(log_len(&f->cairo), r1.seq);
}

static void
test_peer_envelope_verified(void **state)
{
	struct fixture		*f = *state;
	struct mb_ingest_result	 r;
	char			*env = signed_by(&f->moscow, "From Moscow");
	int64_t			 before = log_len(&f->cairo);

	assert_int_equal(ingest(&f->cairo, parse(env), &r, NULL), MB_OK);
	assert_false(r.duplicate);
	assert_non_null(strstr(r.uri, ":moscow:"));
	assert_int_equal(log_len(&f->cairo), before + 1);
	assert_int_equal(ingest(&f->cairo, parse(env), &r, NULL), MB_OK);
	assert_true(r.duplicate);
	assert_int_equal(log_len(&f->cairo), before + 1);
	free(env);
}

static void
test_tampered_refused(void **state)
{
	struct fixture		*f = *state;
	struct mb_ingest_result	 r;
	struct mb_diag		 d = { "" };
	char			*env = signed_by(&f->moscow, "Honest words");
	char			*at = strstr(env, "Honest");
	int64_t			 before = log_len(&f->cairo);

	assert_non_null(at);
	memcpy(at, "Forged", 6);
	assert_int_equal(ingest(&f->cairo, parse(env), &r, &d), MB_ERR_SIG);
	assert_true(d.msg[0] != '\0');
	assert_int_equal(log_len(&f->cairo), before);
	free(env);
}

static void
test_unknown_and_revoked_origins_refused(void **state)
{
	struct fixture		*f = *state;
	struct mb_ingest_result	 r;
	struct mb_diag		 d = { "" };
	char			*from_lima = signed_by(&f->lima, "From Lima");
	char			*from_moscow;
	int64_t			 before = log_len(&f->cairo);

	assert_int_not_equal(ingest(&f->cairo, parse(from_lima), &r, &d),
	    MB_OK);
	assert_non_null(strstr(d.msg, "lima"));
	know(&f->cairo, &f->moscow, "revoked");
	new_ingest(&f->cairo);
	from_moscow = signed_by(&f->moscow, "After revocation");
	mb_diag_clear(&d);
	assert_int_not_equal(ingest(&f->cairo, parse(from_moscow), &r, &d),
	    MB_OK);
	assert_non_null(strstr(d.msg, "revoked"));
	assert_int_equal(log_len(&f->cairo), before);
	free(from_lima);
	free(from_moscow);
}

static void
test_bad_input_refused(void **state)
{
	struct fixture		*f = *state;
	struct mb_ingest_result	 r;
	struct mb_diag		 d = { "" };
	int64_t			 before = log_len(&f->cairo);
	size_t			 big = 5u << 20;
	char			*body = malloc(big + 8);
	json_t			*it;

	/* Over the envelope limit: too big, named. */
	memcpy(body, "<p>", 3);
	memset(body + 3, 'a', big);
	memcpy(body + 3 + big, "</p>", 5);
	assert_int_equal(ingest(&f->cairo, item("Huge", body), &r, &d),
	    MB_ERR_TOOBIG);
	free(body);
	/* Another center's uri as a plain item: only its envelope enters. */
	it = item("Stolen", "<p>x</p>");
	json_object_set_new(it, "uri", json_string(
	    "urn:mediabridge:moscow:01abc"));
	mb_diag_clear(&d);
	assert_int_not_equal(ingest(&f->cairo, it, &r, &d), MB_OK);
	assert_true(d.msg[0] != '\0');
	/* Not an item at all. */
	mb_diag_clear(&d);
	assert_int_equal(ingest(&f->cairo, json_pack("{s:i}", "headlines", 3),
	    &r, &d), MB_ERR_INVAL);
	assert_true(d.msg[0] != '\0');
	assert_int_equal(log_len(&f->cairo), before);
}

static int
current_version(const struct mb_store_version *v, void *arg)
{
	*(int64_t *)arg = v->version;
	return MB_OK;
}

/* A version arriving after a newer one is kept as history, not current. */
static void
test_stale_version_kept_as_history(void **state)
{
	struct fixture		*f = *state;
	struct mb_ingest_result	 r;
	json_t			*v1 = item("One", "<p>first</p>");
	json_t			*v2 = item("Two", "<p>second</p>");
	char			*e1, *e2;
	struct mb_prepared	*p = NULL;
	struct mb_buf		 b = MB_BUF_INIT;
	int64_t			 cur = 0;

	json_object_set_new(v1, "uri", json_string(
	    "urn:mediabridge:moscow:stale1"));
	json_object_set_new(v2, "uri", json_string(
	    "urn:mediabridge:moscow:stale1"));
	json_object_set_new(v2, "version", json_string("2"));
	assert_int_equal(mb_ingest_prepare(f->moscow.ing, v1, NULL, &p, NULL),
	    MB_OK);
	assert_int_equal(mb_envelope_dump(mb_prepared_envelope(p), &b, NULL),
	    MB_OK);
	mb_prepared_free(p);
	e1 = mb_buf_steal(&b);
	assert_int_equal(mb_ingest_prepare(f->moscow.ing, v2, NULL, &p, NULL),
	    MB_OK);
	assert_int_equal(mb_envelope_dump(mb_prepared_envelope(p), &b, NULL),
	    MB_OK);
	mb_prepared_free(p);
	e2 = mb_buf_steal(&b);
	assert_int_equal(ingest(&f->cairo, parse(e2), &r, NULL), MB_OK);
	assert_int_equal(r.version, 2);
	assert_int_equal(ingest(&f->cairo, parse(e1), &r, NULL), MB_OK);
	assert_false(r.duplicate);
	assert_int_equal(r.version, 1);
	assert_int_equal(mb_store_get(f->cairo.st, "urn:mediabridge:moscow:"
	    "stale1", 0, current_version, &cur, NULL), MB_OK);
	assert_int_equal(cur, 2);
	/* The same (uri, version) again: a duplicate, nothing changes. */
	assert_int_equal(ingest(&f->cairo, parse(e1), &r, NULL), MB_OK);
	assert_true(r.duplicate);
	free(e1);
	free(e2);
}

/* Suspended: its envelopes already signed still enter; a uri of another
 * center under its origin does not. */
static void
test_suspended_origin_and_foreign_uri(void **state)
{
	struct fixture		*f = *state;
	struct mb_ingest_result	 r;
	struct mb_diag		 d = { "" };
	char			*env = signed_by(&f->moscow, "Suspended");
	char			*at;
	int64_t			 before;

	know(&f->cairo, &f->moscow, "suspended");
	new_ingest(&f->cairo);
	before = log_len(&f->cairo);
	assert_int_equal(ingest(&f->cairo, parse(env), &r, NULL), MB_OK);
	assert_int_equal(log_len(&f->cairo), before + 1);
	free(env);
	env = signed_by(&f->moscow, "Claims Lima");
	assert_non_null(at = strstr(env, "urn:mediabridge:moscow:"));
	/* "moscow" becomes "limaab": six letters, the signature breaks and
	 * the uri no longer belongs to the origin. */
	memcpy(at + strlen("urn:mediabridge:"), "limaab", 6);
	assert_int_not_equal(ingest(&f->cairo, parse(env), &r, &d), MB_OK);
	assert_true(d.msg[0] != '\0');
	assert_int_equal(log_len(&f->cairo), before + 1);
	free(env);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_own_item_signed_and_deduplicated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_peer_envelope_verified,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_tampered_refused, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_unknown_and_revoked_origins_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_input_refused, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_stale_version_kept_as_history, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_suspended_origin_and_foreign_uri, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
