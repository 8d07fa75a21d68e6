/* SPDX-License-Identifier: MIT */
/* Quizzes: reading and checking a quiz document, grading answers. Pure: no I/O. */
#include "quiz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"

static bool
id_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 32)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || *s == '_' || *s == '-'))
			return false;
	return true;
}

/*
 * Plain text: UTF-8, not empty, not too long, no control characters
 * but newline and tab, and nothing a browser could take for markup
 * ("<" before a letter, "/", "!" or "?").
 */
static const char *
text_bad(const char *s)
{
	size_t n = strlen(s);

	if (n == 0)
		return "must not be empty";
	if (n > MB_QUIZ_MAX_TEXT)
		return "longer than 2000 bytes";
	if (!mb_utf8_valid(s, n))
		return "not UTF-8";
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i], next = (unsigned char)
		    s[i + 1];

		if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)
			return "control characters are not allowed";
		if (c == '<' && ((next >= 'a' && next <= 'z') || (next >= 'A' &&
		    next <= 'Z') || next == '/' || next == '!' || next == '?'))
			return "plain text only, no markup";
	}
	return NULL;
}

static int
text_field(const json_t *o, const char *key, const char *path,
    const char **out, struct mb_diag *d)
{
	const json_t	*v = json_object_get(o, key);
	const char	*why;

	if (!json_is_string(v))
		return mb_diag_set(d, MB_ERR_INVAL, "%s.%s: a string is "
		    "required", path, key);
	if ((why = text_bad(json_string_value(v))) != NULL)
		return mb_diag_set(d, MB_ERR_INVAL, "%s.%s: %s", path, key,
		    why);
	*out = json_string_value(v);
	return MB_OK;
}

static int
only_keys(const json_t *o, const char *const *allowed, const char *path,
    struct mb_diag *d)
{
	const char	*k;
	json_t		*v;

	json_object_foreach((json_t *)o, k, v) {
		bool ok = false;

		(void)v;
		for (int i = 0; allowed[i] != NULL; i++)
			if (strcmp(k, allowed[i]) == 0)
				ok = true;
		if (!ok)
			return mb_diag_set(d, MB_ERR_INVAL, "%s: unknown member "
			    "\"%.40s\"", path, k);
	}
	return MB_OK;
}

static int
int_field(const json_t *o, const char *key, int lo, int hi, int *out,
    struct mb_diag *d)
{
	const json_t *v = json_object_get(o, key);

	if (!json_is_integer(v) || json_integer_value(v) < lo ||
	    json_integer_value(v) > hi)
		return mb_diag_set(d, MB_ERR_INVAL, "quiz.%s: a whole number "
		    "from %d to %d is required", key, lo, hi);
	*out = (int)json_integer_value(v);
	return MB_OK;
}

static int
question(const json_t *o, const char *path, struct mb_quiz_question *q,
    struct mb_diag *d)
{
	static const char *const keys[] = { "id", "kind", "text", "choices",
	    "answer", NULL };
	const json_t	*kind, *choices, *answer, *v;
	const char	*why;
	size_t		 i;
	int		 rc;

	if (!json_is_object(o))
		return mb_diag_set(d, MB_ERR_INVAL, "%s: an object is "
		    "required", path);
	if ((rc = only_keys(o, keys, path, d)) != MB_OK)
		return rc;
	v = json_object_get(o, "id");
	if (!json_is_string(v) || !id_ok(json_string_value(v)))
		return mb_diag_set(d, MB_ERR_INVAL, "%s.id: 1 to 32 of "
		    "A-Z a-z 0-9 _ - is required", path);
	q->id = json_string_value(v);
	kind = json_object_get(o, "kind");
	if (json_is_string(kind) && strcmp(json_string_value(kind),
	    "single") == 0)
		q->kind = MB_QUIZ_SINGLE;
	else if (json_is_string(kind) && strcmp(json_string_value(kind),
	    "multiple") == 0)
		q->kind = MB_QUIZ_MULTIPLE;
	else if (json_is_string(kind) && strcmp(json_string_value(kind),
	    "short") == 0)
		q->kind = MB_QUIZ_SHORT;
	else
		return mb_diag_set(d, MB_ERR_INVAL, "%s.kind: \"single\", "
		    "\"multiple\" or \"short\"", path);
	if ((rc = text_field(o, "text", path, &q->text, d)) != MB_OK)
		return rc;
	choices = json_object_get(o, "choices");
	answer = json_object_get(o, "answer");
	if (!json_is_array(answer) || json_array_size(answer) == 0)
		return mb_diag_set(d, MB_ERR_INVAL, "%s.answer: a non-empty "
		    "array is required", path);
	if (q->kind == MB_QUIZ_SHORT) {
		if (choices != NULL)
			return mb_diag_set(d, MB_ERR_INVAL, "%s.choices: a "
			    "short answer has none", path);
		if (json_array_size(answer) > MB_QUIZ_MAX_ANSWERS)
			return mb_diag_set(d, MB_ERR_INVAL, "%s.answer: at "
			    "most %d accepted answers", path,
			    MB_QUIZ_MAX_ANSWERS);
		json_array_foreach(answer, i, v) {
			if (!json_is_string(v))
				return mb_diag_set(d, MB_ERR_INVAL, "%s.answer"
				    "[%zu]: a string is required", path, i);
			if ((why = text_bad(json_string_value(v))) != NULL)
				return mb_diag_set(d, MB_ERR_INVAL, "%s.answer"
				    "[%zu]: %s", path, i, why);
			q->answers[q->nanswers++] = json_string_value(v);
		}
		return MB_OK;
	}
	if (!json_is_array(choices) || json_array_size(choices) < 2 ||
	    json_array_size(choices) > MB_QUIZ_MAX_CHOICES)
		return mb_diag_set(d, MB_ERR_INVAL, "%s.choices: 2 to %d "
		    "strings are required", path, MB_QUIZ_MAX_CHOICES);
	json_array_foreach(choices, i, v) {
		if (!json_is_string(v))
			return mb_diag_set(d, MB_ERR_INVAL, "%s.choices[%zu]: "
			    "a string is required", path, i);
		if ((why = text_bad(json_string_value(v))) != NULL)
			return mb_diag_set(d, MB_ERR_INVAL, "%s.choices[%zu]: "
			    "%s", path, i, why);
		q->choices[q->nchoices++] = json_string_value(v);
	}
	if (q->kind == MB_QUIZ_SINGLE && json_array_size(answer) != 1)
		return mb_diag_set(d, MB_ERR_INVAL, "%s.answer: a single "
		    "choice has exactly one right answer", path);
	json_array_foreach(answer, i, v) {
		json_int_t c = json_is_integer(v) ? json_integer_value(v) : -1;

		if (c < 0 || c >= q->nchoices)
			return mb_diag_set(d, MB_ERR_INVAL, "%s.answer[%zu]: "
			    "the index of a choice (0 to %d)", path, i,
			    q->nchoices - 1);
		if (q->right & (1u << c))
			return mb_diag_set(d, MB_ERR_INVAL, "%s.answer[%zu]: "
			    "given twice", path, i);
		q->right |= 1u << c;
	}
	return MB_OK;
}

static int
parse_doc(json_t *doc, struct mb_quiz *q, struct mb_diag *d)
{
	static const char *const keys[] = { "passMark", "attempts",
	    "questions", NULL };
	const json_t	*qs, *v;
	char		 path[32];
	size_t		 i;
	int		 rc;

	if (!json_is_object(doc))
		return mb_diag_set(d, MB_ERR_INVAL, "quiz: an object is "
		    "required");
	if ((rc = only_keys(doc, keys, "quiz", d)) != MB_OK ||
	    (rc = int_field(doc, "passMark", 1, 100, &q->pass_mark, d)) !=
	    MB_OK ||
	    (rc = int_field(doc, "attempts", 1, 20, &q->attempts, d)) != MB_OK)
		return rc;
	qs = json_object_get(doc, "questions");
	if (!json_is_array(qs) || json_array_size(qs) == 0 ||
	    json_array_size(qs) > MB_QUIZ_MAX_QUESTIONS)
		return mb_diag_set(d, MB_ERR_INVAL, "quiz.questions: 1 to %d "
		    "questions are required", MB_QUIZ_MAX_QUESTIONS);
	json_array_foreach(qs, i, v) {
		snprintf(path, sizeof(path), "questions[%zu]", i);
		if ((rc = question(v, path, &q->q[i], d)) != MB_OK)
			return rc;
		for (size_t j = 0; j < i; j++)
			if (strcmp(q->q[j].id, q->q[i].id) == 0)
				return mb_diag_set(d, MB_ERR_INVAL, "%s.id: "
				    "\"%s\" is used twice", path, q->q[i].id);
		q->n++;
	}
	return MB_OK;
}

int
mb_quiz_parse(const char *buf, size_t len, struct mb_quiz **out,
    struct mb_diag *d)
{
	struct mb_quiz	*q;
	json_error_t	 je;
	json_t		*doc;
	int		 rc;

	if (len > MB_QUIZ_MAX_BYTES)
		return mb_diag_set(d, MB_ERR_TOOBIG, "quiz: larger than "
		    "256 KiB");
	if ((doc = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je)) == NULL)
		return mb_diag_set(d, MB_ERR_INVAL, "quiz: not JSON: %s "
		    "(line %d)", je.text, je.line);
	if ((q = calloc(1, sizeof(*q))) == NULL) {
		json_decref(doc);
		return MB_ERR_NOMEM;
	}
	q->doc = doc;
	if ((rc = parse_doc(doc, q, d)) != MB_OK) {
		mb_quiz_free(q);
		return rc;
	}
	*out = q;
	return MB_OK;
}

int
mb_quiz_from_item(const json_t *item, struct mb_quiz **out,
    struct mb_diag *d)
{
	const json_t	*bodies = json_object_get(item, "bodies"), *b;
	size_t		 i;

	json_array_foreach(bodies, i, b) {
		const json_t *ct = json_object_get(b, "contentType");
		const json_t *v = json_object_get(b, "value");

		if (json_is_string(ct) && strcmp(json_string_value(ct),
		    MB_QUIZ_TYPE) == 0 && json_is_string(v))
			return mb_quiz_parse(json_string_value(v),
			    json_string_length(v), out, d);
	}
	return mb_diag_set(d, MB_ERR_INVAL, "quiz: the item has no body of "
	    "type " MB_QUIZ_TYPE);
}

void
mb_quiz_free(struct mb_quiz *q)
{
	if (q == NULL)
		return;
	json_decref(q->doc);
	free(q);
}

/* Trims leading and trailing white space: s[*from, *to). */
static void
trim(const char *s, size_t *from, size_t *to)
{
	size_t a = 0, b = strlen(s);

	while (a < b && (s[a] == ' ' || s[a] == '\t' || s[a] == '\n' ||
	    s[a] == '\r'))
		a++;
	while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t' ||
	    s[b - 1] == '\n' || s[b - 1] == '\r'))
		b--;
	*from = a;
	*to = b;
}

static bool
short_right(const struct mb_quiz_question *q, const char *given)
{
	size_t ga, gb;

	trim(given, &ga, &gb);
	for (int i = 0; i < q->nanswers; i++) {
		size_t aa, ab;

		trim(q->answers[i], &aa, &ab);
		if (ab - aa == gb - ga && memcmp(q->answers[i] + aa,
		    given + ga, gb - ga) == 0)
			return true;
	}
	return false;
}

static int
grade_one(const struct mb_quiz_question *q, const json_t *vals, bool *ok,
    struct mb_diag *d)
{
	unsigned	 chosen = 0;
	const json_t	*v;
	size_t		 i;

	*ok = false;
	if (vals == NULL)
		return MB_OK;
	if (!json_is_array(vals))
		return mb_diag_set(d, MB_ERR_INVAL, "answers.%s: an array of "
		    "strings is required", q->id);
	if (q->kind == MB_QUIZ_SHORT) {
		if (json_array_size(vals) > 1)
			return mb_diag_set(d, MB_ERR_INVAL, "answers.%s: one "
			    "answer", q->id);
		v = json_array_get(vals, 0);
		if (v != NULL && !json_is_string(v))
			return mb_diag_set(d, MB_ERR_INVAL, "answers.%s: a "
			    "string is required", q->id);
		if (v != NULL && json_string_length(v) > MB_QUIZ_MAX_TEXT)
			return mb_diag_set(d, MB_ERR_INVAL, "answers.%s: "
			    "longer than 2000 bytes", q->id);
		*ok = v != NULL && short_right(q, json_string_value(v));
		return MB_OK;
	}
	json_array_foreach(vals, i, v) {
		const char	*s = json_string_value(v);
		char		*end;
		long		 c;

		if (s == NULL || s[0] < '0' || s[0] > '9')
			return mb_diag_set(d, MB_ERR_INVAL, "answers.%s[%zu]: "
			    "the number of a choice", q->id, i);
		c = strtol(s, &end, 10);
		if (*end != '\0' || c < 0 || c >= q->nchoices)
			return mb_diag_set(d, MB_ERR_INVAL, "answers.%s[%zu]: "
			    "no such choice", q->id, i);
		chosen |= 1u << c;
	}
	if (q->kind == MB_QUIZ_SINGLE && json_array_size(vals) > 1)
		return mb_diag_set(d, MB_ERR_INVAL, "answers.%s: one choice",
		    q->id);
	*ok = chosen == q->right;
	return MB_OK;
}

int
mb_quiz_grade(const struct mb_quiz *q, const json_t *answers, int *score,
    bool *passed, unsigned long long *right, struct mb_diag *d)
{
	unsigned long long	 bits = 0;
	const char		*k;
	json_t			*v;
	int			 nright = 0, rc;

	if (!json_is_object(answers))
		return mb_diag_set(d, MB_ERR_INVAL, "answers: an object is "
		    "required");
	json_object_foreach((json_t *)answers, k, v) {
		bool known = false;

		(void)v;
		for (int i = 0; i < q->n && !known; i++)
			known = strcmp(q->q[i].id, k) == 0;
		if (!known)
			return mb_diag_set(d, MB_ERR_INVAL, "answers: no "
			    "question \"%.32s\" in this quiz", k);
	}
	for (int i = 0; i < q->n; i++) {
		bool ok;

		if ((rc = grade_one(&q->q[i], json_object_get(answers,
		    q->q[i].id), &ok, d)) != MB_OK)
			return rc;
		if (ok) {
			nright++;
			bits |= 1ULL << i;
		}
	}
	*score = nright * 100 / q->n;
	*passed = *score >= q->pass_mark;
	if (right != NULL)
		*right = bits;
	return MB_OK;
}
