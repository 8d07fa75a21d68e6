/* SPDX-License-Identifier: MIT */
/* Unit tests for quizzes and course items: reading, refusing, grading. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "courses/course.h"
#include "courses/quiz.h"

static const char QUIZ[] =
    "{\"passMark\": 60, \"attempts\": 2, \"questions\": ["
    "{\"id\": \"q1\", \"kind\": \"single\", \"text\": \"Which is the "
    "strongest password?\", \"choices\": [\"123456\", \"correct horse "
    "battery staple\", \"password\"], \"answer\": [1]},"
    "{\"id\": \"q2\", \"kind\": \"multiple\", \"text\": \"Which are signs "
    "of phishing? x < 3 is fine\", \"choices\": [\"urgency\", \"your "
    "bank's usual address\", \"a link to a look-alike site\"], "
    "\"answer\": [0, 2]},"
    "{\"id\": \"q3\", \"kind\": \"short\", \"text\": \"The s in https "
    "stands for?\", \"answer\": [\"secure\", \"Secure\"]}]}";

static struct mb_quiz *
parse(const char *s, int want, const char *msg)
{
	struct mb_quiz	*q = NULL;
	struct mb_diag	 d = { "" };
	int		 rc = mb_quiz_parse(s, strlen(s), &q, &d);

	if (rc != want)
		fail_msg("parse: %d (%s), want %d", rc, d.msg, want);
	if (msg != NULL && strstr(d.msg, msg) == NULL)
		fail_msg("message \"%s\" lacks \"%s\"", d.msg, msg);
	return q;
}

static void
test_parse(void **state)
{
	struct mb_quiz *q;

	(void)state;
	q = parse(QUIZ, MB_OK, NULL);
	assert_int_equal(q->n, 3);
	assert_int_equal(q->pass_mark, 60);
	assert_int_equal(q->attempts, 2);
	assert_int_equal(q->q[0].kind, MB_QUIZ_SINGLE);
	assert_int_equal(q->q[0].right, 2u);
	assert_int_equal(q->q[1].right, 5u);
	assert_int_equal(q->q[2].nanswers, 2);
	mb_quiz_free(q);
}

static void
test_refused(void **state)
{
	(void)state;
	/* Script in a question, in a choice, in an accepted answer. */
	parse("{\"passMark\": 50, \"attempts\": 1, \"questions\": [{\"id\": "
	    "\"a\", \"kind\": \"short\", \"text\": \"<script>alert(1)"
	    "</script>\", \"answer\": [\"x\"]}]}", MB_ERR_INVAL,
	    "questions[0].text: plain text only");
	parse("{\"passMark\": 50, \"attempts\": 1, \"questions\": [{\"id\": "
	    "\"a\", \"kind\": \"single\", \"text\": \"t\", \"choices\": "
	    "[\"a\", \"<img src=x onerror=alert(1)>\"], \"answer\": [0]}]}",
	    MB_ERR_INVAL, "questions[0].choices[1]: plain text only");
	parse("{\"passMark\": 50, \"attempts\": 1, \"questions\": [{\"id\": "
	    "\"a\", \"kind\": \"single\", \"text\": \"t\", \"choices\": "
	    "[\"a\", \"b\"], \"answer\": [0, 1]}]}", MB_ERR_INVAL,
	    "exactly one right answer");
	parse("{\"passMark\": 50, \"attempts\": 1, \"questions\": [{\"id\": "
	    "\"a\", \"kind\": \"single\", \"text\": \"t\", \"choices\": "
	    "[\"a\", \"b\"], \"answer\": [2]}]}", MB_ERR_INVAL,
	    "questions[0].answer[0]");
	parse("{\"passMark\": 0, \"attempts\": 1, \"questions\": []}",
	    MB_ERR_INVAL, "passMark");
	parse("{\"passMark\": 50, \"attempts\": 99, \"questions\": []}",
	    MB_ERR_INVAL, "attempts");
	parse("{\"passMark\": 50, \"attempts\": 1, \"questions\": [], "
	    "\"extra\": 1}", MB_ERR_INVAL, "unknown member");
	parse("{\"passMark\": 50, \"attempts\": 1, \"questions\": [{\"id\": "
	    "\"a\", \"kind\": \"short\", \"text\": \"t\", \"answer\": [\"x\"]},"
	    "{\"id\": \"a\", \"kind\": \"short\", \"text\": \"t\", \"answer\": "
	    "[\"x\"]}]}", MB_ERR_INVAL, "used twice");
	parse("{\"passMark\": 50, \"passMark\": 60}", MB_ERR_INVAL, "not JSON");
	parse("[1]", MB_ERR_INVAL, "an object");
}

static int
grade(const struct mb_quiz *q, const char *answers, int *score,
    bool *passed, unsigned long long *right)
{
	struct mb_diag	 d = { "" };
	json_t		*a = json_loads(answers, 0, NULL);
	int		 rc;

	assert_non_null(a);
	rc = mb_quiz_grade(q, a, score, passed, right, &d);
	json_decref(a);
	return rc;
}

static void
test_grade(void **state)
{
	struct mb_quiz		*q;
	unsigned long long	 right;
	int			 score;
	bool			 passed;

	(void)state;
	q = parse(QUIZ, MB_OK, NULL);
	assert_int_equal(grade(q, "{\"q1\": [\"1\"], \"q2\": [\"2\", \"0\"], "
	    "\"q3\": [\"  secure \"]}", &score, &passed, &right), MB_OK);
	assert_int_equal(score, 100);
	assert_true(passed);
	assert_int_equal(right, 7);
	/* Half a multiple choice is wrong; a short answer is exact. */
	assert_int_equal(grade(q, "{\"q1\": [\"1\"], \"q2\": [\"0\"], "
	    "\"q3\": [\"SECURE\"]}", &score, &passed, &right), MB_OK);
	assert_int_equal(score, 33);
	assert_false(passed);
	assert_int_equal(right, 1);
	/* Two right of three passes at 60. */
	assert_int_equal(grade(q, "{\"q1\": [\"1\"], \"q3\": [\"Secure\"]}",
	    &score, &passed, &right), MB_OK);
	assert_int_equal(score, 66);
	assert_true(passed);
	/* Nothing answered: 0, not an error. */
	assert_int_equal(grade(q, "{}", &score, &passed, &right), MB_OK);
	assert_int_equal(score, 0);
	/* Bad answers are refused. */
	assert_int_equal(grade(q, "{\"q9\": [\"1\"]}", &score, &passed,
	    &right), MB_ERR_INVAL);
	assert_int_equal(grade(q, "{\"q1\": [\"7\"]}", &score, &passed,
	    &right), MB_ERR_INVAL);
	assert_int_equal(grade(q, "{\"q1\": [\"0\", \"1\"]}", &score, &passed,
	    &right), MB_ERR_INVAL);
	assert_int_equal(grade(q, "{\"q1\": [1]}", &score, &passed, &right),
	    MB_ERR_INVAL);
	assert_int_equal(grade(q, "[]", &score, &passed, &right),
	    MB_ERR_INVAL);
	mb_quiz_free(q);
}

static void
test_course(void **state)
{
	struct mb_course_info	 c;
	struct mb_diag		 d = { "" };
	json_t			*it;

	(void)state;
	it = json_loads("{\"uri\": \"urn:mediabridge:moscow:c1\", \"type\": "
	    "\"composite\", \"profile\": \"course\", \"language\": \"en\", "
	    "\"headlines\": [{\"value\": \"Digital literacy\"}], "
	    "\"genres\": [{\"name\": \"beginner\", \"uri\": "
	    "\"urn:mediabridge:level:beginner\"}], \"associations\": ["
	    "{\"name\": \"Module 1\", \"rel\": \"lesson\", \"uri\": "
	    "\"urn:mediabridge:moscow:l1\"}, {\"name\": \"Module 1\", \"rel\": "
	    "\"quiz\", \"uri\": \"urn:mediabridge:moscow:q1\"}]}", 0, NULL);
	assert_int_equal(mb_course_read(it, &c, &d), MB_OK);
	assert_string_equal(c.title, "Digital literacy");
	assert_string_equal(c.level, "beginner");
	assert_int_equal(c.nsteps, 2);
	assert_int_equal(c.step[1].kind, MB_STEP_QUIZ);
	assert_string_equal(c.step[0].module, "Module 1");
	/* The same item twice, a bad rel, not a course. */
	json_object_set_new(json_array_get(json_object_get(it, "associations"),
	    1), "uri", json_string("urn:mediabridge:moscow:l1"));
	assert_int_equal(mb_course_read(it, &c, &d), MB_ERR_INVAL);
	assert_non_null(strstr(d.msg, "associations[1].uri"));
	json_object_set_new(json_array_get(json_object_get(it, "associations"),
	    1), "rel", json_string("video"));
	assert_int_equal(mb_course_read(it, &c, &d), MB_ERR_INVAL);
	assert_non_null(strstr(d.msg, "associations[1].rel"));
	json_object_set_new(it, "profile", json_string("lesson"));
	assert_int_equal(mb_course_read(it, &c, &d), MB_ERR_INVAL);
	json_decref(it);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_grade),
		cmocka_unit_test(test_course),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
