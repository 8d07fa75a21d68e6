/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target: a quiz document (courses/quiz.h), as another center's
 * quiz item carries it, and a learner's answers graded against it. The
 * input up to its first NUL is the quiz; what follows, the answers.
 * Checks what a parsed quiz promises (bounds, ids, right answers among
 * the choices), that its own right answers score 100 and no answers 0,
 * and that any answers graded score within 0-100.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "courses/quiz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_quiz(const struct mb_quiz *q)
{
	if (q->n < 1 || q->n > MB_QUIZ_MAX_QUESTIONS || q->pass_mark < 1 ||
	    q->pass_mark > 100 || q->attempts < 1 || q->attempts > 20)
		abort();
	for (int i = 0; i < q->n; i++) {
		const struct mb_quiz_question *qq = &q->q[i];
		size_t n = strlen(qq->id);

		if (n < 1 || n > 32 || strspn(qq->id, "abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") != n ||
		    qq->text == NULL || strlen(qq->text) > MB_QUIZ_MAX_TEXT)
			abort();
		for (int j = 0; j < i; j++)
			if (strcmp(q->q[j].id, qq->id) == 0)
				abort();
		if (qq->kind == MB_QUIZ_SHORT) {
			if (qq->nchoices != 0 || qq->nanswers < 1 ||
			    qq->nanswers > MB_QUIZ_MAX_ANSWERS)
				abort();
			continue;
		}
		if (qq->nchoices < 2 || qq->nchoices > MB_QUIZ_MAX_CHOICES ||
		    qq->right == 0 || (qq->right >> qq->nchoices) != 0 ||
		    (qq->kind == MB_QUIZ_SINGLE &&
		    (qq->right & (qq->right - 1)) != 0))
			abort();
	}
}

/* The quiz's own right answers, as a learner would send them. */
static json_t *
right_answers(const struct mb_quiz *q)
{
	json_t *a = json_object(), *v;

	if (a == NULL)
		abort();
	for (int i = 0; i < q->n; i++) {
		const struct mb_quiz_question *qq = &q->q[i];

		if ((v = json_array()) == NULL)
			abort();
		if (qq->kind == MB_QUIZ_SHORT)
			json_array_append_new(v, json_string(qq->answers[0]));
		else
			for (int c = 0; c < qq->nchoices; c++) {
				char n[12];

				if (!(qq->right & (1u << c)))
					continue;
				snprintf(n, sizeof(n), "%d", c);
				json_array_append_new(v, json_string(n));
			}
		json_object_set_new(a, qq->id, v);
	}
	return a;
}

static void
grade(const struct mb_quiz *q, const json_t *answers, int want)
{
	unsigned long long	 right;
	bool			 passed;
	int			 score;

	if (mb_quiz_grade(q, answers, &score, &passed, &right, NULL) !=
	    MB_OK) {
		if (want >= 0)
			abort();
		return;
	}
	if (score < 0 || score > 100 || passed != (score >= q->pass_mark) ||
	    (q->n < 64 && (right >> q->n) != 0) ||
	    (want >= 0 && score != want))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*buf = (const char *)data;
	const uint8_t	*nul = memchr(data, '\0', size);
	size_t		 ql = nul != NULL ? (size_t)(nul - data) : size;
	struct mb_quiz	*q;
	json_t		*a;

	if (mb_quiz_parse(buf, ql, &q, NULL) != MB_OK)
		return 0;
	check_quiz(q);
	a = right_answers(q);
	grade(q, a, 100);
	json_decref(a);
	a = json_object();
	grade(q, a, 0);
	json_decref(a);
	if (nul != NULL && (a = json_loadb(buf + ql + 1, size - ql - 1, 0,
	    NULL)) != NULL) {
		grade(q, a, -1);
		json_decref(a);
	}
	mb_quiz_free(q);
	return 0;
}
