/* SPDX-License-Identifier: MIT */
/* Quizzes: what a quiz item holds, read and checked, and answers graded. */
#ifndef MB_COURSES_QUIZ_H
#define MB_COURSES_QUIZ_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "base/err.h"

/*
 * A quiz is an item with profile "quiz" whose body (contentType
 * MB_QUIZ_TYPE) is a JSON document, signed and exchanged with the item:
 *
 *   {"passMark": 70, "attempts": 3,
 *    "questions": [
 *      {"id": "q1", "kind": "single", "text": "...",
 *       "choices": ["a", "b"], "answer": [1]},
 *      {"id": "q2", "kind": "multiple", "text": "...",
 *       "choices": ["a", "b", "c"], "answer": [0, 2]},
 *      {"id": "q3", "kind": "short", "text": "...",
 *       "answer": ["https", "HTTPS"]}]}
 *
 * passMark: the percentage of questions right that passes (1-100);
 * attempts: how many tries a learner has (1-20). A single choice has
 * one right answer, a multiple choice any set (all and only those
 * right); a short answer is right when it is one of "answer" exactly,
 * after leading and trailing white space is dropped (no case folding:
 * "matched exactly"). Texts are plain text: markup is refused, and
 * every page escapes them anyway.
 */
#define MB_QUIZ_TYPE "application/vnd.mediabridge.quiz+json"
#define MB_QUIZ_MAX_QUESTIONS 50
#define MB_QUIZ_MAX_CHOICES 12
#define MB_QUIZ_MAX_ANSWERS 8
#define MB_QUIZ_MAX_TEXT 2000
#define MB_QUIZ_MAX_BYTES (256u * 1024)

enum mb_quiz_kind { MB_QUIZ_SINGLE, MB_QUIZ_MULTIPLE, MB_QUIZ_SHORT };

struct mb_quiz_question {
	const char		*id;		/* [A-Za-z0-9_-]{1,32} */
	enum mb_quiz_kind	 kind;
	const char		*text;
	int			 nchoices;
	const char		*choices[MB_QUIZ_MAX_CHOICES];
	unsigned		 right;		/* choices: bit i = right */
	int			 nanswers;	/* short: accepted answers */
	const char		*answers[MB_QUIZ_MAX_ANSWERS];
};

/* Strings borrow from doc, which the quiz owns. */
struct mb_quiz {
	json_t			*doc;
	int			 pass_mark;
	int			 attempts;
	int			 n;
	struct mb_quiz_question	 q[MB_QUIZ_MAX_QUESTIONS];
};

/*
 * Reads a quiz document (at most MB_QUIZ_MAX_BYTES, no duplicate
 * members). MB_ERR_INVAL naming the field ("questions[2].choices[1]:
 * plain text only, no markup") for anything off: unknown members, a
 * missing answer, an answer outside the choices, a single choice with
 * two answers, duplicate question ids. *out is the caller's
 * (mb_quiz_free).
 */
int mb_quiz_parse(const char *buf, size_t len, struct mb_quiz **out,
    struct mb_diag *d);

/* The quiz of a quiz item (borrowed): its MB_QUIZ_TYPE body. */
int mb_quiz_from_item(const json_t *item, struct mb_quiz **out,
    struct mb_diag *d);

void mb_quiz_free(struct mb_quiz *q);

/*
 * Grades answers: an object mapping each question id to an array of
 * strings (choices as their index in decimal, "0", "2"; a short answer
 * as its text). A missing question counts as wrong; an id the quiz does
 * not have, a choice out of range, two answers to a single choice or a
 * value that is not a string are MB_ERR_INVAL (nothing is recorded).
 * *score is the percentage right (rounded down), *passed when it
 * reaches the pass mark; right (may be NULL) gets bit i for question i.
 */
int mb_quiz_grade(const struct mb_quiz *q, const json_t *answers,
    int *score, bool *passed, unsigned long long *right, struct mb_diag *d);

#endif
