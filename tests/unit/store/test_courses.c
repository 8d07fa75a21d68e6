/* SPDX-License-Identifier: MIT */
/* Unit tests for the courses domain on each backend: enrolments, progress, attempts, certificates, invitations. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/accounts.h"
#include "store/courses.h"
#include "store/courses_int.h"
#include "store/store.h"

#include "backend.h"

#define COURSE "urn:mediabridge:moscow:c1"
#define QUIZ "urn:mediabridge:moscow:q1"
#define LESSON "urn:mediabridge:moscow:l1"

static int
setup(void **state)
{
	*state = NULL;
	return tb_create();
}

static int
teardown(void **state)
{
	(void)state;
	tb_destroy();
	return 0;
}

static struct mb_store *
open_store(int64_t *alice, int64_t *bob)
{
	struct mb_store	*st;
	struct mb_diag	 d = { "" };

	if (mb_store_open(tb_loc, NULL, &st, &d) != MB_OK)
		fail_msg("open: %s", d.msg);
	assert_int_equal(mb_store_user_add(st, "alice", "learner", NULL, alice,
	    &d), MB_OK);
	assert_int_equal(mb_store_user_add(st, "bob", "learner", NULL, bob,
	    &d), MB_OK);
	return st;
}

static int
count_enrol(const struct mb_course_enrolment *e, void *arg)
{
	int *n = arg;

	(void)e;
	(*n)++;
	return MB_OK;
}

static void
test_enrolments(void **state)
{
	struct mb_course_enrolment	 e;
	struct mb_store			*st;
	struct mb_diag			 d = { "" };
	int64_t				 alice, bob;
	int				 n = 0;

	(void)state;
	st = open_store(&alice, &bob);
	assert_int_equal(mb_store_course_enrolment(st, alice, COURSE, &e, &d),
	    MB_ERR_NOTFOUND);
	assert_int_equal(mb_store_course_enrol(st, alice, COURSE, "active",
	    &d), MB_OK);
	assert_int_equal(mb_store_course_enrol(st, alice, COURSE, "active",
	    &d), MB_ERR_EXISTS);
	assert_int_equal(mb_store_course_enrol(st, bob, COURSE, "pending",
	    &d), MB_OK);
	assert_int_equal(mb_store_course_enrolment(st, bob, COURSE, &e, &d),
	    MB_OK);
	assert_string_equal(e.state, "pending");
	assert_string_equal(e.user, "bob");
	assert_int_equal(mb_store_course_enrol_set(st, bob, COURSE,
	    "active", &d), MB_OK);
	assert_int_equal(mb_store_course_enrol_set(st, bob, "urn:x", "active",
	    &d), MB_ERR_NOTFOUND);
	assert_int_equal(mb_store_course_enrolments(st, COURSE, 0,
	    count_enrol, &n, &d), MB_OK);
	assert_int_equal(n, 2);
	n = 0;
	assert_int_equal(mb_store_course_enrolments(st, NULL, alice,
	    count_enrol, &n, &d), MB_OK);
	assert_int_equal(n, 1);
	mb_store_close(st);
}

struct steps {
	int	n;
	char	state[4][16];
};

static int
collect_step(const struct mb_course_step *s, void *arg)
{
	struct steps *c = arg;

	if (c->n < 4)
		snprintf(c->state[c->n], sizeof(c->state[0]), "%s", s->state);
	c->n++;
	return MB_OK;
}

static void
test_steps_never_go_back(void **state)
{
	struct mb_store	*st;
	struct mb_diag	 d = { "" };
	struct steps	 c;
	int64_t		 alice, bob;

	(void)state;
	st = open_store(&alice, &bob);
	assert_int_equal(mb_store_course_step_set(st, alice, COURSE, LESSON,
	    "seen", &d), MB_OK);
	assert_int_equal(mb_store_course_step_set(st, alice, COURSE, LESSON,
	    "completed", &d), MB_OK);
	/* Seeing the lesson again does not undo its completion. */
	assert_int_equal(mb_store_course_step_set(st, alice, COURSE, LESSON,
	    "seen", &d), MB_OK);
	memset(&c, 0, sizeof(c));
	assert_int_equal(mb_store_course_steps(st, alice, COURSE,
	    collect_step, &c, &d), MB_OK);
	assert_int_equal(c.n, 1);
	assert_string_equal(c.state[0], "completed");
	memset(&c, 0, sizeof(c));
	assert_int_equal(mb_store_course_steps(st, bob, COURSE, collect_step,
	    &c, &d), MB_OK);
	assert_int_equal(c.n, 0);
	mb_store_close(st);
}

static void
attempt(struct mb_course_attempt *a, int64_t user, int score, bool passed,
    const char *key)
{
	memset(a, 0, sizeof(*a));
	a->user_id = user;
	snprintf(a->course, sizeof(a->course), "%s", COURSE);
	snprintf(a->quiz, sizeof(a->quiz), "%s", QUIZ);
	a->score = score;
	a->passed = passed;
	a->answers = "{\"q1\":[\"0\"]}";
	snprintf(a->key, sizeof(a->key), "%s", key != NULL ? key : "");
}

static int
count_attempt(const struct mb_course_attempt *a, void *arg)
{
	int *n = arg;

	assert_string_equal(a->answers, "{\"q1\":[\"0\"]}");
	(*n)++;
	return MB_OK;
}

static int
key_attempt(const struct mb_course_attempt *a, void *arg)
{
	int *n = arg;

	assert_string_equal(a->key, "offline-1");
	assert_string_equal(a->quiz, QUIZ);
	assert_int_equal(a->n, 1);
	assert_int_equal(a->score, 100);
	assert_true(a->passed);
	(*n)++;
	return MB_OK;
}

static void
test_attempts(void **state)
{
	struct mb_course_attempt	 a;
	struct mb_store			*st;
	struct mb_diag			 d = { "" };
	int64_t				 alice, bob;
	int				 n = 0, count = 0;

	(void)state;
	st = open_store(&alice, &bob);
	attempt(&a, alice, 0, false, NULL);
	assert_int_equal(mb_store_course_attempt_add(st, &a, 2, &n, &d),
	    MB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(mb_store_course_attempt_add(st, &a, 2, &n, &d),
	    MB_OK);
	assert_int_equal(n, 2);
	/* Past the limit: refused, nothing kept. */
	n = 0;
	assert_int_equal(mb_store_course_attempt_add(st, &a, 2, &n, &d),
	    MB_ERR_PERM);
	assert_non_null(strstr(d.msg, "no attempts left"));
	assert_int_equal(n, 0);
	assert_int_equal(mb_store_course_attempts(st, alice, COURSE, QUIZ,
	    count_attempt, &count, &d), MB_OK);
	assert_int_equal(count, 2);

	/* Bob passes with an offline upload; the same upload again is one. */
	attempt(&a, bob, 100, true, "offline-1");
	assert_int_equal(mb_store_course_attempt_add(st, &a, 3, &n, &d),
	    MB_OK);
	assert_int_equal(n, 1);
	n = 0;
	assert_int_equal(mb_store_course_attempt_add(st, &a, 3, &n, &d),
	    MB_ERR_EXISTS);
	assert_int_equal(n, 1);
	/* The key is found by itself, with the row it made. */
	count = 0;
	assert_int_equal(mb_store_course_attempt_key(st, bob, "offline-1",
	    key_attempt, &count, &d), MB_OK);
	assert_int_equal(count, 1);
	count = 0;
	assert_int_equal(mb_store_course_attempt_key(st, alice, "offline-1",
	    key_attempt, &count, &d), MB_OK);
	assert_int_equal(count, 0);
	/* The key at another quiz is not this quiz's attempt 1. */
	snprintf(a.quiz, sizeof(a.quiz), "%s", LESSON);
	n = 0;
	assert_int_equal(mb_store_course_attempt_add(st, &a, 3, &n, &d),
	    MB_ERR_EXISTS);
	assert_int_equal(n, 0);
	assert_non_null(strstr(d.msg, "another quiz"));
	/* A closed quiz: passed already. */
	attempt(&a, bob, 50, false, NULL);
	assert_int_equal(mb_store_course_attempt_add(st, &a, 3, &n, &d),
	    MB_ERR_EXISTS);
	assert_non_null(strstr(d.msg, "closed"));
	count = 0;
	assert_int_equal(mb_store_course_attempts(st, 0, COURSE, NULL,
	    count_attempt, &count, &d), MB_OK);
	assert_int_equal(count, 3);
	mb_store_close(st);
}

struct certs {
	int	n, revoked, signed_;
	int64_t	index;
};

static int
collect_cert(const struct mb_course_cert *c, void *arg)
{
	struct certs *cs = arg;

	cs->n++;
	cs->revoked += c->revoked;
	cs->signed_ += c->credential != NULL;
	cs->index = c->index;
	return MB_OK;
}

static void
test_certificates(void **state)
{
	struct mb_store	*st;
	struct mb_diag	 d = { "" };
	struct certs	 cs;
	int64_t		 alice, bob, i1 = 0, i2 = 0, again = 0;

	(void)state;
	st = open_store(&alice, &bob);
	assert_int_equal(mb_store_course_cert_reserve(st, alice, COURSE,
	    "urn:uuid:a", &i1, &d), MB_OK);
	assert_int_equal(mb_store_course_cert_reserve(st, bob, COURSE,
	    "urn:uuid:b", &i2, &d), MB_OK);
	assert_true(i1 > 0 && i2 > i1);
	/* One per learner and course: the same index again. */
	assert_int_equal(mb_store_course_cert_reserve(st, alice, COURSE,
	    "urn:uuid:c", &again, &d), MB_ERR_EXISTS);
	assert_int_equal(again, i1);
	assert_int_equal(mb_store_course_cert_set(st, i1, "{\"x\":1}", &d),
	    MB_OK);
	assert_int_equal(mb_store_course_cert_set(st, 9999, "{}", &d),
	    MB_ERR_NOTFOUND);
	assert_int_equal(mb_store_course_cert_revoke(st, "urn:uuid:b", &d),
	    MB_OK);
	assert_int_equal(mb_store_course_cert_revoke(st, "urn:uuid:zz", &d),
	    MB_ERR_NOTFOUND);
	memset(&cs, 0, sizeof(cs));
	assert_int_equal(mb_store_course_certs(st, NULL, 0, NULL,
	    collect_cert, &cs, &d), MB_OK);
	assert_int_equal(cs.n, 2);
	assert_int_equal(cs.revoked, 1);
	assert_int_equal(cs.signed_, 1);
	memset(&cs, 0, sizeof(cs));
	assert_int_equal(mb_store_course_certs(st, "urn:uuid:a", 0, NULL,
	    collect_cert, &cs, &d), MB_OK);
	assert_int_equal(cs.n, 1);
	assert_int_equal(cs.index, i1);
	mb_store_close(st);
}

static void
test_settings_and_invites(void **state)
{
	struct mb_course_setting	 s, got;
	struct mb_store			*st;
	struct mb_diag			 d = { "" };
	uint8_t				 h[MB_COURSE_INVITE_HASH];
	int64_t				 alice, bob;

	(void)state;
	st = open_store(&alice, &bob);
	assert_int_equal(mb_store_course_setting_get(st, COURSE, &got, &d),
	    MB_ERR_NOTFOUND);
	memset(&s, 0, sizeof(s));
	snprintf(s.course, sizeof(s.course), "%s", COURSE);
	snprintf(s.enrol, sizeof(s.enrol), "code");
	snprintf(s.code, sizeof(s.code), "secret-code");
	assert_int_equal(mb_store_course_setting_set(st, &s, &d), MB_OK);
	snprintf(s.enrol, sizeof(s.enrol), "approval");
	s.code[0] = '\0';
	assert_int_equal(mb_store_course_setting_set(st, &s, &d), MB_OK);
	assert_int_equal(mb_store_course_setting_get(st, COURSE, &got, &d),
	    MB_OK);
	assert_string_equal(got.enrol, "approval");
	assert_string_equal(got.code, "");

	memset(h, 7, sizeof(h));
	assert_int_equal(mb_store_course_invite_check(st, h, &d),
	    MB_ERR_NOTFOUND);
	assert_int_equal(mb_store_course_invite_use(st, h, alice, &d),
	    MB_ERR_NOTFOUND);
	assert_int_equal(mb_store_course_invite_add(st, h, &d), MB_OK);
	assert_int_equal(mb_store_course_invite_check(st, h, &d), MB_OK);
	assert_int_equal(mb_store_course_invite_use(st, h, alice, &d), MB_OK);
	assert_int_equal(mb_store_course_invite_check(st, h, &d),
	    MB_ERR_EXISTS);
	assert_int_equal(mb_store_course_invite_use(st, h, bob, &d),
	    MB_ERR_EXISTS);
	mb_store_close(st);
}

static void
test_tables_are_full(void **state)
{
	(void)state;
	assert_int_equal(tb_ops_missing(&mb_sqlite_courses, 0,
	    sizeof(struct mb_store_courses_ops)), 0);
	assert_int_equal(tb_ops_missing(&mb_pg_courses, 0,
	    sizeof(struct mb_store_courses_ops)), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_enrolments, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_steps_never_go_back, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_attempts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_certificates, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_settings_and_invites,
		    setup, teardown),
		cmocka_unit_test(test_tables_are_full),
	};

	tb_require();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
