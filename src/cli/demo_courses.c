/* SPDX-License-Identifier: MIT */
/*
 * The demo's course: HQ publishes a short digital-literacy course in
 * English and Arabic, Cairo receives it over the exchange, and a learner
 * at Cairo signs up with an invitation code, enrols, reads the lessons,
 * passes the quiz and gets a certificate (docs/courses.md).
 */
#include <stdio.h>
#include <string.h>

#include "center/center.h"
#include "center/ingest.h"
#include "cli/cli.h"
#include "cli/demo_util.h"
#include "courses/courses.h"
#include "newsroom/accounts.h"

#define COURSE_AR "urn:mediabridge:moscow:dl-safe-ar"
#define LEARNER "amira"
#define LEARNER_PASSWORD "demo-learner-pass"

static int
publish(const char *dir, const char *samples, struct mb_diag *d)
{
	struct mb_center_node	*n = NULL;
	struct mb_store		*st = NULL;
	struct mb_ingest	*ig = NULL;
	struct mb_courses_env	 e;
	char			 path[4200];
	json_t			*doc;
	int			 rc;

	snprintf(path, sizeof(path), "%s/course-moscow.json", samples);
	if ((doc = json_load_file(path, JSON_REJECT_DUPLICATES, NULL)) == NULL)
		return mb_diag_set(d, MB_ERR_INVAL, "%s: cannot read", path);
	snprintf(path, sizeof(path), "%s/moscow", dir);
	if ((rc = mb_center_open(path, &n, d)) == MB_OK &&
	    (rc = mb_center_store(n, &st, d)) == MB_OK &&
	    (rc = mb_ingest_new(n, st, &ig, d)) == MB_OK) {
		e.st = st;
		e.node = n;
		rc = mb_courses_publish(&e, NULL, ig, doc, NULL, d);
	}
	mb_ingest_free(ig);
	mb_store_close(st);
	mb_center_close(n);
	json_decref(doc);
	return rc;
}

/* The quiz's right answers, as the learner would tick them. */
static json_t *
right_answers(const json_t *item)
{
	struct mb_quiz	*q = NULL;
	json_t		*a = json_object();

	if (mb_quiz_from_item(item, &q, NULL) != MB_OK)
		return a;
	for (int i = 0; i < q->n; i++) {
		json_t *v = json_array();

		if (q->q[i].kind == MB_QUIZ_SHORT)
			json_array_append_new(v, json_string(q->q[i].answers[0]));
		for (int k = 0; k < q->q[i].nchoices; k++)
			if (q->q[i].right & (1u << k))
				json_array_append_new(v, json_sprintf("%d", k));
		json_object_set_new(a, q->q[i].id, v);
	}
	mb_quiz_free(q);
	return a;
}

static int
learn(struct mb_courses_env *e, char cert[64], struct mb_diag *d)
{
	struct mb_course	*c = NULL;
	struct mb_user		 u;
	struct mb_actor		 a;
	struct mb_quiz_result	 res;
	char			 code[MB_INVITE_TEXT_LEN], state[16];
	int			 rc;

	if ((rc = mb_courses_invite(e, NULL, code, d)) != MB_OK ||
	    (rc = mb_courses_signup(e, LEARNER, LEARNER_PASSWORD, code,
	    NULL, d)) !=
	    MB_OK ||
	    (rc = mb_store_user_get(e->st, LEARNER, 0, &u, NULL, 0, d)) !=
	    MB_OK)
		return rc;
	a.user_id = u.id;
	a.name = LEARNER;
	a.role = MB_ROLE_LEARNER;
	if ((rc = mb_courses_get(e, &a, COURSE_AR, &c, d)) != MB_OK ||
	    (rc = mb_courses_enrol(e, &a, c, NULL, state, d)) != MB_OK)
		goto out;
	for (int i = 0; i < c->info.nsteps && rc == MB_OK; i++) {
		json_t *item = NULL, *ans;

		if ((rc = mb_courses_step(e, &a, c, i, &item, d)) != MB_OK)
			break;
		if (c->info.step[i].kind == MB_STEP_LESSON) {
			rc = mb_courses_lesson_done(e, &a, c, i, d);
		} else {
			ans = right_answers(item);
			rc = mb_courses_quiz_submit(e, &a, c, i, ans, NULL, &res,
			    d);
			json_decref(ans);
			if (rc == MB_OK && res.certificate[0])
				snprintf(cert, 64, "%s", res.certificate);
		}
		json_decref(item);
	}
out:
	mb_course_free(c);
	return rc;
}

int
mb_demo_courses(const char *dir, const char *samples, long port)
{
	struct mb_center_node	*n = NULL;
	struct mb_store		*st = NULL;
	struct mb_courses_env	 e;
	struct mb_diag		 d = { "" };
	char			 path[4200], cert[64] = "";
	bool			 has = false;
	int			 rc;

	if ((rc = publish(dir, samples, &d)) != MB_OK)
		goto fail;
	snprintf(path, sizeof(path), "%s/cairo", dir);
	if ((rc = mb_center_open(path, &n, &d)) != MB_OK ||
	    (rc = mb_center_store(n, &st, &d)) != MB_OK)
		goto fail;
	for (int i = 0; i < 300 && !has; i++) {
		if (mb_store_has(st, COURSE_AR, 1, &has, NULL) != MB_OK || !has)
			mb_demo_nap(100);
	}
	if (!has) {
		rc = mb_diag_set(&d, MB_ERR_AGAIN, "the course did not reach "
		    "Cairo within 30 s");
		goto fail;
	}
	e.st = st;
	e.node = n;
	if ((rc = learn(&e, cert, &d)) != MB_OK)
		goto fail;
	printf("  course: HQ published \"digital literacy\" in English and "
	    "Arabic; in Cairo\n  learner \"%s\" (password \"%s\") completed "
	    "it:\n    course       http://127.0.0.1:%ld/ar/courses/moscow/"
	    "dl-safe-ar\n    certificate  http://127.0.0.1:%ld/ar/"
	    "certificates/%s\n    verify       http://127.0.0.1:%ld/verify/"
	    "%s\n", LEARNER, LEARNER_PASSWORD, port + 1, port + 1, cert + 9,
	    port + 1, cert + 9);
	mb_store_close(st);
	mb_center_close(n);
	return MB_OK;
fail:
	printf("  course: FAILED: %s\n", mb_diag_msg(&d, rc));
	mb_store_close(st);
	mb_center_close(n);
	return rc;
}
