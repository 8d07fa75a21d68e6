/* SPDX-License-Identifier: MIT */
/* Unit tests for the courses service on a real center: publish, enrol, learn, quiz, certify, revoke. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "center/center.h"
#include "base/blobpath.h"
#include "center/ingest.h"
#include "courses/courses.h"
#include "courses/package.h"
#include "newsroom/accounts.h"
#include "newsroom/items.h"
#include "signed/credential.h"
#include "store/store.h"

#define COURSE "urn:mediabridge:cairo:dl"
/* A picture's rendition: any 32 bytes name a blob for the packer. */
#define PIC "ni:///sha-256;AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE?ct=image/png"
#define PIC_HEX "0101010101010101010101010101010101010101010101010101010101010101"

struct fixture {
	char			 dir[64];
	struct mb_center_node	*n;
	struct mb_store		*st;
	struct mb_ingest	*ig;
	struct mb_courses_env	 env;
	struct mb_actor		 editor, ana, ben;
};

static struct mb_actor
user(struct fixture *f, const char *name, const char *role)
{
	struct mb_actor	a;
	struct mb_user	u;

	assert_int_equal(mb_accounts_user_add(f->st, name, role,
	    "password 123", NULL), MB_OK);
	assert_int_equal(mb_store_user_get(f->st, name, 0, &u, NULL, 0, NULL),
	    MB_OK);
	a.user_id = u.id;
	a.name = strdup(name);
	a.role = mb_role_parse(role);
	return a;
}

static const char DOC[] =
    "{\"items\": ["
    "{\"item\": {\"uri\": \"urn:mediabridge:cairo:dl-l1\", \"type\": "
    "\"text\", \"profile\": \"lesson\", \"language\": \"en\", "
    "\"headlines\": [{\"value\": \"Strong passwords\"}], \"bodies\": "
    "[{\"value\": \"<p>Use a long passphrase.</p>\", \"contentType\": "
    "\"text/html\"}]}},"
    "{\"audience\": \"network\", \"item\": {\"uri\": "
    "\"urn:mediabridge:cairo:dl-q1\", \"type\": \"text\", \"profile\": "
    "\"quiz\", \"language\": \"en\", \"headlines\": [{\"value\": "
    "\"Check\"}], \"bodies\": [{\"contentType\": "
    "\"application/vnd.mediabridge.quiz+json\", \"value\": "
    "\"{\\\"passMark\\\": 100, \\\"attempts\\\": 2, \\\"questions\\\": "
    "[{\\\"id\\\": \\\"q1\\\", \\\"kind\\\": \\\"short\\\", \\\"text\\\": "
    "\\\"The s in https?\\\", \\\"answer\\\": [\\\"secure\\\"]}]}\"}]}},"
    "{\"item\": {\"uri\": \"" COURSE "\", \"type\": \"composite\", "
    "\"profile\": \"course\", \"language\": \"en\", \"headlines\": "
    "[{\"value\": \"Digital literacy\"}], \"descriptions\": [{\"value\": "
    "\"Safe online.\"}], \"associations\": [{\"name\": \"Module 1\", "
    "\"rel\": \"lesson\", \"uri\": \"urn:mediabridge:cairo:dl-l1\"}, "
    "{\"name\": \"Module 1\", \"rel\": \"quiz\", \"uri\": "
    "\"urn:mediabridge:cairo:dl-q1\"}]}}]}";

static int
setup(void **state)
{
	struct fixture		*f = calloc(1, sizeof(*f));
	struct mb_init_opts	 o;
	char			 dir[128];
	json_t			*doc;
	int			 n = 0;

	snprintf(f->dir, sizeof(f->dir), "/tmp/mb-test-courses.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(dir, sizeof(dir), "%s/cairo", f->dir);
	memset(&o, 0, sizeof(o));
	o.id = "cairo";
	o.name = "Cairo";
	o.country = "EG";
	o.languages = "ar,en";
	o.url = "http://127.0.0.1:1";
	o.hq = 1;
	assert_int_equal(mb_center_init(dir, &o, NULL), MB_OK);
	assert_int_equal(mb_center_open(dir, &f->n, NULL), MB_OK);
	assert_int_equal(mb_center_store(f->n, &f->st, NULL), MB_OK);
	assert_int_equal(mb_ingest_new(f->n, f->st, &f->ig, NULL), MB_OK);
	f->env.st = f->st;
	f->env.node = f->n;
	f->editor = user(f, "edi", "editor");
	f->ana = user(f, "ana", "learner");
	f->ben = user(f, "ben", "learner");
	doc = json_loads(DOC, 0, NULL);
	assert_non_null(doc);
	assert_int_equal(mb_courses_publish(&f->env, &f->editor, f->ig, doc,
	    &n, NULL), MB_OK);
	assert_int_equal(n, 3);
	json_decref(doc);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;
	char		 cmd[128];

	mb_ingest_free(f->ig);
	mb_store_close(f->st);
	mb_center_close(f->n);
	free((char *)f->editor.name);
	free((char *)f->ana.name);
	free((char *)f->ben.name);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

static int
submit(struct fixture *f, const struct mb_actor *a,
    const struct mb_course *c, const char *answer, const char *key,
    struct mb_quiz_result *res, struct mb_diag *d)
{
	json_t	*ans = json_pack("{s:[s]}", "q1", answer);
	int	 rc = mb_courses_quiz_submit(&f->env, a, c, 1, ans, key, res,
		    d);

	json_decref(ans);
	return rc;
}

static void
test_publish_refuses_script(void **state)
{
	struct fixture	*f = *state;
	struct mb_diag	 d = { "" };
	json_t		*doc = json_loads(DOC, 0, NULL);
	json_t		*q = json_object_get(json_array_get(json_object_get(doc,
			    "items"), 1), "item");
	bool		 has = true;

	json_object_set_new(q, "uri", json_string("urn:mediabridge:cairo:"
	    "bad-q"));
	json_object_set_new(json_array_get(json_object_get(q, "bodies"), 0),
	    "value", json_string("{\"passMark\": 50, \"attempts\": 1, "
	    "\"questions\": [{\"id\": \"a\", \"kind\": \"short\", \"text\": "
	    "\"<script>x</script>\", \"answer\": [\"x\"]}]}"));
	json_object_set_new(json_object_get(json_array_get(json_object_get(doc,
	    "items"), 0), "item"), "uri", json_string("urn:mediabridge:cairo:"
	    "new-l"));
	assert_int_equal(mb_courses_publish(&f->env, &f->editor, f->ig, doc,
	    NULL, &d), MB_ERR_INVAL);
	assert_non_null(strstr(d.msg, "items[1]"));
	assert_non_null(strstr(d.msg, "plain text only"));
	/* Nothing was stored, not even the good lesson before it. */
	assert_int_equal(mb_store_has(f->st, "urn:mediabridge:cairo:new-l", 1,
	    &has, NULL), MB_OK);
	assert_false(has);
	/* A learner may not publish. */
	assert_int_equal(mb_courses_publish(&f->env, &f->ana, f->ig, doc,
	    NULL, &d), MB_ERR_PERM);
	json_decref(doc);
}

/*
 * An item written over the newsroom (as the API does), under embargo
 * until until_ms when that is not 0, and published when publish is.
 */
static void
api_item_as(struct fixture *f, const char *item, const char *audience,
    bool publish, int64_t until_ms)
{
	struct mb_newsroom_env	ne;
	struct mb_nr_saved	sv;
	json_t			*it = json_loads(item, 0, NULL);
	json_t			*meta = json_pack("{s:s}", "audience", audience);
	char			uri[MB_URI_MAX];

	assert_non_null(it);
	snprintf(uri, sizeof(uri), "%s", json_string_value(json_object_get(it,
	    "uri")));
	memset(&ne, 0, sizeof(ne));
	ne.st = f->st;
	ne.ing = f->ig;
	ne.center = "cairo";
	memset(&sv, 0, sizeof(sv));
	assert_int_equal(mb_newsroom_create(&ne, &f->editor, it, meta, &sv,
	    NULL), MB_OK);
	mb_nr_saved_free(&sv);
	memset(&sv, 0, sizeof(sv));
	if (until_ms != 0) {
		assert_int_equal(mb_newsroom_act(&ne, &f->editor, uri,
		    MB_NR_EMBARGO, NULL, until_ms, &sv, NULL), MB_OK);
		mb_nr_saved_free(&sv);
		memset(&sv, 0, sizeof(sv));
	}
	if (publish)
		assert_int_equal(mb_newsroom_act(&ne, &f->editor, uri,
		    MB_NR_PUBLISH, NULL, 0, &sv, NULL), MB_OK);
	mb_nr_saved_free(&sv);
	json_decref(meta);
}

static void
api_item(struct fixture *f, const char *item, const char *audience)
{
	api_item_as(f, item, audience, true, 0);
}

static int
clean_copy(const char *html, size_t len, struct mb_buf *out,
    struct mb_diag *d)
{
	(void)d;
	return mb_buf_append(out, html, len);
}

#define API_ITEM(uri, profile, body) "{\"uri\": \"urn:mediabridge:cairo:" \
    uri "\", \"type\": \"text\", " profile "\"language\": \"en\", " \
    "\"headlines\": [{\"value\": \"" uri "\"}], \"bodies\": " \
    "[{\"value\": \"<p>" body "</p>\", \"contentType\": " \
    "\"text/html\"}]}"
#define API_COURSE(uri, steps) "{\"uri\": \"urn:mediabridge:cairo:" uri \
    "\", \"type\": \"composite\", \"profile\": \"course\", " \
    "\"language\": \"en\", \"headlines\": [{\"value\": \"" uri \
    "\"}], \"descriptions\": [{\"value\": \"d\"}], " \
    "\"associations\": [" steps "]}"
#define STEP(rel, uri) "{\"name\": \"M\", \"rel\": \"" rel "\", " \
    "\"uri\": \"urn:mediabridge:cairo:" uri "\"}"

/*
 * A course made over the API (or from another center) may call any
 * item a lesson: the old service gave a learner a quiz named a lesson
 * (its answer key in the package's items/) and a network news item (a
 * learner reads public items only). A step is given only when its
 * profile is its rel's, and a lesson only in the reader's audiences.
 */
static void
test_step_profile_and_audience(void **state)
{
	struct fixture		*f = *state;
	struct mb_actor		 mia = user(f, "mia", "member");
	struct mb_course	*c = NULL;
	struct mb_package_opts	 o = { clean_copy, NULL, 0 };
	struct mb_buf		 zip = MB_BUF_INIT;
	struct mb_quiz		*q = NULL;
	struct mb_diag		 d = { "" };
	json_t			*item = NULL;
	char			 st[MB_COURSE_STATE_MAX];

	api_item(f, API_ITEM("netnews", "", "NETSECRET"), "network");
	api_item(f, API_ITEM("netlesson", "\"profile\": \"lesson\", ",
	    "NETLESSON"), "network");
	api_item(f, API_COURSE("mixed", STEP("lesson", "dl-q1") ", "
	    STEP("lesson", "netnews") ", " STEP("lesson", "netlesson") ", "
	    STEP("quiz", "dl-l1")), "public");
	api_item(f, API_COURSE("leak", STEP("lesson", "dl-q1")), "public");

	assert_int_equal(mb_courses_get(&f->env, &f->ana, "urn:mediabridge:"
	    "cairo:mixed", &c, &d), MB_OK);
	assert_int_equal(mb_courses_enrol(&f->env, &f->ana, c, NULL, st, &d),
	    MB_OK);
	assert_int_equal(mb_courses_enrol(&f->env, &mia, c, NULL, st, &d),
	    MB_OK);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(mb_courses_step(&f->env, &f->ana, c, i, &item,
		    &d), MB_ERR_NOTFOUND);
		/* A member reads the network's lesson, and no other. */
		assert_int_equal(mb_courses_step(&f->env, &mia, c, i, &item,
		    &d), i == 2 ? MB_OK : MB_ERR_NOTFOUND);
		if (i == 2)
			json_decref(item);
		item = NULL;
	}
	assert_int_equal(mb_courses_quiz_form(&f->env, c, 3, &q, &d),
	    MB_ERR_NOTFOUND);
	assert_int_equal(mb_courses_package(&f->env, &f->ana, c, &o, &zip,
	    &d), MB_ERR_NOTFOUND);
	assert_int_equal(zip.len, 0);
	mb_course_free(c);

	/* The quiz named a lesson: no page, no package. */
	assert_int_equal(mb_courses_get(&f->env, &f->ana, "urn:mediabridge:"
	    "cairo:leak", &c, &d), MB_OK);
	assert_int_equal(mb_courses_enrol(&f->env, &f->ana, c, NULL, st, &d),
	    MB_OK);
	assert_int_equal(mb_courses_step(&f->env, &f->ana, c, 0, &item, &d),
	    MB_ERR_NOTFOUND);
	assert_int_equal(mb_courses_package(&f->env, &f->ana, c, &o, &zip,
	    &d), MB_ERR_NOTFOUND);
	assert_int_equal(mb_courses_package(&f->env, &f->editor, c, &o, &zip,
	    &d), MB_ERR_NOTFOUND);
	assert_int_equal(zip.len, 0);
	mb_course_free(c);
	free((char *)mia.name);
}

/*
 * A lesson nobody may read yet (a draft, one under embargo) is 404 on
 * its page; the old service still let a learner mark it completed, and
 * a certificate came for lessons never read. It is 404 there too.
 */
static void
test_lesson_done_needs_a_readable_lesson(void **state)
{
	struct fixture			*f = *state;
	struct mb_course		*c = NULL;
	struct mb_course_progress	 p;
	struct mb_diag			 d = { "" };
	char				 st[MB_COURSE_STATE_MAX];

	api_item_as(f, API_ITEM("draftl", "\"profile\": \"lesson\", ",
	    "DRAFT"), "public", false, 0);
	api_item_as(f, API_ITEM("embl", "\"profile\": \"lesson\", ",
	    "EMBARGO"), "public", true, INT64_C(4102444800000));
	api_item(f, API_COURSE("dc", STEP("lesson", "draftl") ", "
	    STEP("lesson", "embl")), "public");
	assert_int_equal(mb_courses_get(&f->env, &f->ana, "urn:mediabridge:"
	    "cairo:dc", &c, &d), MB_OK);
	assert_int_equal(mb_courses_enrol(&f->env, &f->ana, c, NULL, st, &d),
	    MB_OK);
	for (int i = 0; i < 2; i++)
		assert_int_equal(mb_courses_lesson_done(&f->env, &f->ana, c, i,
		    &d), MB_ERR_NOTFOUND);
	assert_int_equal(mb_courses_progress(&f->env, f->ana.user_id, c, &p,
	    &d), MB_OK);
	assert_int_equal(p.done, 0);
	assert_string_equal(p.state, "active");
	assert_string_equal(p.certificate, "");
	mb_course_free(c);
}

/*
 * Two lessons showing the same picture: the old packer added its file
 * once per lesson, and `course check` refused its own package ("appears
 * twice"). Each media file goes in once; both pages show it.
 */
static void
test_package_shared_media(void **state)
{
	struct fixture		*f = *state;
	static const char	 doc_text[] =
	    "{\"items\": ["
	    "{\"item\": {\"uri\": \"urn:mediabridge:cairo:pic-1\", "
	    "\"type\": \"text\", \"profile\": \"lesson\", \"language\": "
	    "\"en\", \"headlines\": [{\"value\": \"One\"}], \"renditions\": "
	    "[{\"name\": \"p\", \"href\": \"" PIC "\", \"contentType\": "
	    "\"image/png\", \"sizeInBytes\": 4}]}},"
	    "{\"item\": {\"uri\": \"urn:mediabridge:cairo:pic-2\", "
	    "\"type\": \"text\", \"profile\": \"lesson\", \"language\": "
	    "\"en\", \"headlines\": [{\"value\": \"Two\"}], \"renditions\": "
	    "[{\"name\": \"p\", \"href\": \"" PIC "\", \"contentType\": "
	    "\"image/png\", \"sizeInBytes\": 4}]}},"
	    "{\"item\": {\"uri\": \"urn:mediabridge:cairo:pics\", \"type\": "
	    "\"composite\", \"profile\": \"course\", \"language\": \"en\", "
	    "\"headlines\": [{\"value\": \"Pictures\"}], \"associations\": "
	    "[{\"name\": \"M\", \"rel\": \"lesson\", \"uri\": "
	    "\"urn:mediabridge:cairo:pic-1\"}, {\"name\": \"M\", \"rel\": "
	    "\"lesson\", \"uri\": \"urn:mediabridge:cairo:pic-2\"}]}}]}";
	struct mb_course	*c = NULL;
	struct mb_package_opts	 o = { clean_copy, NULL, 0 };
	struct mb_package_report rep;
	struct mb_buf		 zip = MB_BUF_INIT;
	struct mb_diag		 d = { "" };
	char			 data[128], path[512], cmd[700];
	json_t			*doc = json_loads(doc_text, 0, NULL);
	FILE			*fp;

	assert_non_null(doc);
	assert_int_equal(mb_courses_publish(&f->env, &f->editor, f->ig, doc,
	    NULL, &d), MB_OK);
	json_decref(doc);
	snprintf(data, sizeof(data), "%s/cairo", f->dir);
	assert_int_equal(mb_blob_path(data, PIC_HEX, path, sizeof(path)),
	    MB_OK);
	snprintf(cmd, sizeof(cmd), "mkdir -p $(dirname %s)", path);
	assert_int_equal(system(cmd), 0);
	assert_non_null(fp = fopen(path, "w"));
	fputs("\x89PNG", fp);
	fclose(fp);
	o.blob_dir = data;
	assert_int_equal(mb_courses_get(&f->env, &f->editor, "urn:mediabridge:"
	    "cairo:pics", &c, &d), MB_OK);
	assert_int_equal(mb_courses_package(&f->env, &f->editor, c, &o, &zip,
	    &d), MB_OK);
	assert_non_null(memmem(zip.data, zip.len, "media/" PIC_HEX ".png",
	    strlen("media/" PIC_HEX ".png")));
	assert_int_equal(mb_courses_package_check(zip.data, zip.len, f->n->pk,
	    NULL, &rep, &d), MB_OK);
	/* index, two pages, one picture, three envelopes, the manifest. */
	assert_int_equal(rep.files, 8);
	mb_buf_free(&zip);
	mb_course_free(c);
}

static void
test_learn_and_certify(void **state)
{
	struct fixture			*f = *state;
	struct mb_course		*c = NULL;
	struct mb_course_progress	 p;
	struct mb_quiz_result		 res;
	struct mb_credential_check	 chk;
	struct mb_status_list		*sl = NULL;
	enum mb_verdict			 why;
	struct mb_diag			 d = { "" };
	json_t				*item = NULL, *doc = NULL, *list = NULL;
	char				 state_[MB_COURSE_STATE_MAX], *text;
	char				 user[64], *ltext;
	bool				 revoked;

	assert_int_equal(mb_courses_get(&f->env, &f->ana, COURSE, &c, &d),
	    MB_OK);
	assert_int_equal(c->info.nsteps, 2);
	/* Not enrolled: no lesson, no quiz, nothing recorded. */
	assert_int_equal(mb_courses_step(&f->env, &f->ana, c, 0, &item, &d),
	    MB_ERR_PERM);
	assert_int_equal(submit(f, &f->ana, c, "secure", NULL, &res, &d),
	    MB_ERR_PERM);
	assert_int_equal(mb_courses_enrol(&f->env, &f->ana, c, NULL, state_,
	    &d), MB_OK);
	assert_string_equal(state_, "active");
	assert_int_equal(mb_courses_enrol(&f->env, &f->ana, c, NULL, state_,
	    &d), MB_ERR_EXISTS);
	assert_int_equal(mb_courses_step(&f->env, &f->ana, c, 0, &item, &d),
	    MB_OK);
	json_decref(item);
	/* The quiz item is for the network; an enrolled learner reads it. */
	assert_int_equal(mb_courses_step(&f->env, &f->ana, c, 1, &item, &d),
	    MB_OK);
	json_decref(item);
	assert_int_equal(mb_courses_step(&f->env, &f->ana, c, 2, &item, &d),
	    MB_ERR_NOTFOUND);

	/* A wrong answer, then bad answers (not counted), then a pass. */
	assert_int_equal(submit(f, &f->ana, c, "SECURE", NULL, &res, &d),
	    MB_OK);
	assert_false(res.passed);
	assert_int_equal(res.left, 1);
	{
		json_t *bad = json_pack("{s:[s]}", "q9", "x");

		assert_int_equal(mb_courses_quiz_submit(&f->env, &f->ana, c, 1,
		    bad, NULL, &res, &d), MB_ERR_INVAL);
		json_decref(bad);
	}
	assert_int_equal(submit(f, &f->ana, c, "secure", NULL, &res, &d),
	    MB_OK);
	assert_true(res.passed);
	assert_int_equal(res.attempt, 2);
	assert_false(res.completed);	/* the lesson is not done yet */
	/* A closed quiz. */
	assert_int_equal(submit(f, &f->ana, c, "secure", NULL, &res, &d),
	    MB_ERR_EXISTS);
	assert_int_equal(mb_courses_lesson_done(&f->env, &f->ana, c, 1, &d),
	    MB_ERR_INVAL);
	assert_int_equal(mb_courses_lesson_done(&f->env, &f->ana, c, 0, &d),
	    MB_OK);
	assert_int_equal(mb_courses_progress(&f->env, f->ana.user_id, c, &p,
	    &d), MB_OK);
	assert_int_equal(p.done, 2);
	assert_string_equal(p.state, "completed");
	assert_int_equal(p.best[1], 100);
	assert_int_equal(p.tries[1], 2);
	assert_true(strncmp(p.certificate, "urn:uuid:", 9) == 0);

	/* The certificate verifies with the center's key; then revoked. */
	assert_int_equal(mb_courses_certificate(&f->env, p.certificate, &text,
	    &revoked, user, &d), MB_OK);
	assert_false(revoked);
	assert_string_equal(user, "ana");
	memset(&chk, 0, sizeof(chk));
	chk.pk = f->n->pk;
	assert_int_equal(mb_credential_verify_text(text, strlen(text), &chk,
	    &doc, NULL, &why, &d), MB_OK);
	assert_true(mb_credential_names(doc, "ana"));
	assert_int_equal(mb_courses_revoke(&f->env, &f->ana, p.certificate,
	    &d), MB_ERR_PERM);
	assert_int_equal(mb_courses_revoke(&f->env, &f->editor, p.certificate,
	    &d), MB_OK);
	assert_int_equal(mb_courses_status_list(&f->env, &list, &d), MB_OK);
	assert_int_equal(mb_credential_text(list, &ltext), MB_OK);
	assert_int_equal(mb_status_list_load(ltext, strlen(ltext), f->n->pk, 0,
	    &sl, &why, &d), MB_OK);
	chk.status = sl;
	json_decref(doc);
	doc = NULL;
	assert_int_not_equal(mb_credential_verify_text(text, strlen(text),
	    &chk, &doc, NULL, &why, &d), MB_OK);
	assert_int_equal(why, MB_VERDICT_REVOKED);
	mb_status_list_free(sl);
	free(ltext);
	json_decref(list);
	json_decref(doc);
	free(text);
	mb_course_free(c);
}

static void
test_attempt_limit_and_offline(void **state)
{
	struct fixture		*f = *state;
	struct mb_course	*c = NULL;
	struct mb_quiz_result	 res;
	struct mb_diag		 d = { "" };
	char			 st[MB_COURSE_STATE_MAX];

	assert_int_equal(mb_courses_get(&f->env, &f->ben, COURSE, &c, &d),
	    MB_OK);
	assert_int_equal(mb_courses_enrol(&f->env, &f->ben, c, NULL, st, &d),
	    MB_OK);
	/* An offline upload twice is one attempt. */
	assert_int_equal(submit(f, &f->ben, c, "no", "k1", &res, &d), MB_OK);
	assert_int_equal(res.attempt, 1);
	assert_int_equal(submit(f, &f->ben, c, "no", "k1", &res, &d), MB_OK);
	assert_true(res.duplicate);
	assert_int_equal(res.attempt, 1);
	assert_int_equal(res.left, 1);
	assert_int_equal(res.score, 0);
	/* The key with other answers is refused, not graded. */
	assert_int_equal(submit(f, &f->ben, c, "secure", "k1", &res, &d),
	    MB_ERR_EXISTS);
	assert_true(res.key_reused);
	assert_false(res.passed);
	assert_non_null(strstr(d.msg, "other answers"));
	assert_int_equal(submit(f, &f->ben, c, "no", NULL, &res, &d), MB_OK);
	assert_int_equal(res.left, 0);
	assert_int_equal(submit(f, &f->ben, c, "secure", NULL, &res, &d),
	    MB_ERR_PERM);
	assert_non_null(strstr(d.msg, "no attempts left"));
	/*
	 * With no attempt left, the old key: its own answers are answered
	 * from its row, with what is left now; others are still refused.
	 */
	assert_int_equal(submit(f, &f->ben, c, "no", "k1", &res, &d), MB_OK);
	assert_true(res.duplicate);
	assert_int_equal(res.attempt, 1);
	assert_int_equal(res.score, 0);
	assert_false(res.passed);
	assert_int_equal(res.left, 0);
	assert_int_equal(submit(f, &f->ben, c, "secure", "k1", &res, &d),
	    MB_ERR_EXISTS);
	assert_true(res.key_reused);
	assert_int_equal(submit(f, &f->ben, c, "secure", "k2", &res, &d),
	    MB_ERR_PERM);
	mb_course_free(c);
}

static void
test_enrolment_modes_and_signup(void **state)
{
	struct fixture		*f = *state;
	struct mb_course	*c = NULL;
	struct mb_diag		 d = { "" };
	struct mb_user		 u;
	char			 st[MB_COURSE_STATE_MAX];
	char			 code[MB_INVITE_TEXT_LEN];
	json_t			*item;

	assert_int_equal(mb_courses_get(&f->env, &f->ana, COURSE, &c, &d),
	    MB_OK);
	assert_int_equal(mb_courses_set_enrolment(&f->env, &f->ana, COURSE,
	    "open", NULL, &d), MB_ERR_PERM);
	/* No such course here (or not a course): named, nothing kept. */
	{
		static const char *const bad[] = { "urn:mediabridge:hq:nosuch",
			"not-a-uri", "urn:mediabridge:cairo:dl-q1" };
		struct mb_course_setting s;

		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			assert_int_equal(mb_courses_set_enrolment(&f->env, NULL,
			    bad[i], "code", "abcdefg", &d), MB_ERR_NOTFOUND);
			assert_non_null(strstr(d.msg, bad[i]));
			assert_int_equal(mb_store_course_setting_get(f->st,
			    bad[i], &s, NULL), MB_ERR_NOTFOUND);
		}
	}
	assert_int_equal(mb_courses_set_enrolment(&f->env, &f->editor, COURSE,
	    "code", "open-sesame", &d), MB_OK);
	assert_int_equal(mb_courses_enrol(&f->env, &f->ana, c, "wrong-code",
	    st, &d), MB_ERR_PERM);
	assert_int_equal(mb_courses_enrol(&f->env, &f->ana, c, "open-sesame",
	    st, &d), MB_OK);
	assert_int_equal(mb_courses_set_enrolment(&f->env, &f->editor, COURSE,
	    "approval", NULL, &d), MB_OK);
	assert_int_equal(mb_courses_enrol(&f->env, &f->ben, c, NULL, st, &d),
	    MB_OK);
	assert_string_equal(st, "pending");
	assert_int_equal(mb_courses_step(&f->env, &f->ben, c, 0, &item, &d),
	    MB_ERR_PERM);
	assert_int_equal(mb_courses_approve(&f->env, &f->ben, COURSE, "ben",
	    &d), MB_ERR_PERM);
	assert_int_equal(mb_courses_approve(&f->env, &f->editor, COURSE, "ben",
	    &d), MB_OK);
	assert_int_equal(mb_courses_step(&f->env, &f->ben, c, 0, &item, &d),
	    MB_OK);
	json_decref(item);
	mb_course_free(c);

	/* Sign-up: never without a code; a code once. */
	assert_int_equal(mb_courses_signup(&f->env, "cat", "password 123",
	    NULL, NULL, &d), MB_ERR_PERM);
	assert_int_equal(mb_courses_invite(&f->env, &f->editor, code, &d),
	    MB_ERR_PERM);
	assert_int_equal(mb_courses_invite(&f->env, NULL, code, &d), MB_OK);
	assert_int_equal(mb_courses_signup(&f->env, "cat", "password 123",
	    "not-a-code", NULL, &d), MB_ERR_PERM);
	assert_int_equal(mb_store_user_get(f->st, "cat", 0, &u, NULL, 0, &d),
	    MB_ERR_NOTFOUND);
	/* A bad code says nothing of the name (the old order: "exists"). */
	assert_int_equal(mb_courses_signup(&f->env, "ana", "password 123",
	    "not-a-code", NULL, &d), MB_ERR_PERM);
	assert_non_null(strstr(d.msg, "invitation code"));
	assert_int_equal(mb_courses_signup(&f->env, "cat", "password 123",
	    code, NULL, &d), MB_OK);
	assert_int_equal(mb_store_user_get(f->st, "cat", 0, &u, NULL, 0, &d),
	    MB_OK);
	assert_string_equal(u.role, "learner");
	assert_int_equal(mb_courses_signup(&f->env, "dan", "password 123",
	    code, NULL, &d), MB_ERR_PERM);
	assert_int_equal(mb_courses_signup(&f->env, "cat", "password 123",
	    code, NULL, &d), MB_ERR_PERM);
	assert_int_equal(mb_store_user_get(f->st, "dan", 0, &u, NULL, 0, &d),
	    MB_ERR_NOTFOUND);

	/* Where the center approves sign-ups: made, but disabled. */
	{
		bool pending = false;

		f->n->conf.courses_signup_approval = 1;
		assert_int_equal(mb_courses_signup(&f->env, "eve",
		    "password 123", "", &pending, &d), MB_OK);
		assert_true(pending);
		assert_int_equal(mb_store_user_get(f->st, "eve", 0, &u, NULL,
		    0, &d), MB_OK);
		assert_true(u.disabled);
		assert_string_equal(u.role, "learner");
		assert_int_equal(mb_accounts_login(f->st, "eve",
		    "password 123", &u, &d), MB_ERR_PERM);
		/* A code still makes a working account at once. */
		assert_int_equal(mb_courses_invite(&f->env, NULL, code, &d),
		    MB_OK);
		assert_int_equal(mb_courses_signup(&f->env, "fay",
		    "password 123", code, &pending, &d), MB_OK);
		assert_false(pending);
		assert_int_equal(mb_store_user_get(f->st, "fay", 0, &u, NULL,
		    0, &d), MB_OK);
		assert_false(u.disabled);
		/* Bad input changes nothing. */
		assert_int_equal(mb_courses_signup(&f->env, "Bad Name",
		    "password 123", NULL, &pending, &d), MB_ERR_INVAL);
		f->n->conf.courses_signup_approval = 0;
	}
}

static void
test_class_csv(void **state)
{
	struct fixture		*f = *state;
	struct mb_course	*c = NULL;
	struct mb_quiz_result	 res;
	struct mb_diag		 d = { "" };
	struct mb_buf		 b = MB_BUF_INIT;
	char			 st[MB_COURSE_STATE_MAX];

	assert_int_equal(mb_courses_get(&f->env, &f->ana, COURSE, &c, &d),
	    MB_OK);
	assert_int_equal(mb_courses_enrol(&f->env, &f->ana, c, NULL, st, &d),
	    MB_OK);
	assert_int_equal(submit(f, &f->ana, c, "secure", NULL, &res, &d),
	    MB_OK);
	assert_int_equal(mb_courses_class_csv(&f->env, &f->ana, c, &b, &d),
	    MB_ERR_PERM);
	assert_int_equal(mb_courses_class_csv(&f->env, &f->editor, c, &b, &d),
	    MB_OK);
	assert_non_null(strstr(mb_buf_cstr(&b), "\"ana\",\"2\","
	    "\"urn:mediabridge:cairo:dl-q1\",\"quiz\",\"completed\",\"1\","
	    "\"100\""));
	assert_non_null(strstr(mb_buf_cstr(&b), "\"ana\",\"question\","
	    "\"urn:mediabridge:cairo:dl-q1\",\"q1\",\"right\""));
	mb_buf_free(&b);
	mb_course_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_publish_refuses_script,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_step_profile_and_audience,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_lesson_done_needs_a_readable_lesson, setup, teardown),
		cmocka_unit_test_setup_teardown(test_package_shared_media,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_learn_and_certify, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_attempt_limit_and_offline,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_enrolment_modes_and_signup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_class_csv, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
