/* SPDX-License-Identifier: MIT */
/* The courses service: courses read as the actor may, enrolment, progress, quizzes. */
#include "courses.h"
#include "courses_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "item/json.h"
#include "newsroom/items.h"

/* An item as the actor may see it, parsed: the envelope's root. */
static int
load_item(const struct mb_courses_env *e, const struct mb_actor *a,
    const char *uri, json_t **root, char audience[16], struct mb_diag *d)
{
	struct mb_newsroom_env	ne;
	struct mb_nr_item	it;
	int			rc;

	memset(&ne, 0, sizeof(ne));
	ne.st = e->st;
	ne.center = e->node->conf.id;
	if ((rc = mb_newsroom_get(&ne, a, uri, 0, &it, d)) != MB_OK)
		return rc;
	*root = mb_json_loadb(it.envelope, it.len, 0, NULL);
	if (audience != NULL)
		snprintf(audience, 16, "%s", it.audience);
	mb_nr_item_free(&it);
	if (*root == NULL)
		return mb_diag_set(d, MB_ERR_CORRUPT, "%s: the stored envelope "
		    "does not parse", uri);
	return MB_OK;
}

int
mb_courses_get(const struct mb_courses_env *e, const struct mb_actor *a,
    const char *uri, struct mb_course **out, struct mb_diag *d)
{
	struct mb_course	*c;
	int			 rc;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return MB_ERR_NOMEM;
	if ((rc = load_item(e, a, uri, &c->root, c->audience, d)) != MB_OK)
		goto fail;
	c->item = json_object_get(c->root, "item");
	if ((rc = mb_course_read(c->item, &c->info, d)) != MB_OK) {
		rc = mb_diag_set(d, MB_ERR_NOTFOUND, "%s: not a course (%s)",
		    uri, d->msg);
		goto fail;
	}
	mb_uri_parse(uri, c->center, c->local);
	*out = c;
	return MB_OK;
fail:
	mb_course_free(c);
	return rc;
}

void
mb_course_free(struct mb_course *c)
{
	if (c == NULL)
		return;
	json_decref(c->root);
	free(c);
}

static bool
staff(const struct mb_actor *a)
{
	return mb_actor_role(a) >= MB_ROLE_TRANSLATOR;
}

static bool
instructor(const struct mb_actor *a)
{
	return mb_actor_role(a) >= MB_ROLE_EDITOR;
}

/* The actor's active enrolment, or MB_ERR_PERM. */
static int
enrolled(const struct mb_courses_env *e, const struct mb_actor *a,
    const struct mb_course *c, struct mb_diag *d)
{
	struct mb_course_enrolment	en;
	int				rc;

	if (a == NULL || a->user_id == 0)
		return mb_diag_set(d, MB_ERR_PERM, "sign in and enrol in this "
		    "course first");
	rc = mb_store_course_enrolment(e->st, a->user_id, c->info.uri, &en,
	    d);
	if (rc == MB_ERR_NOTFOUND)
		return mb_diag_set(d, MB_ERR_PERM, "not enrolled in this "
		    "course");
	if (rc != MB_OK)
		return rc;
	if (strcmp(en.state, "pending") == 0)
		return mb_diag_set(d, MB_ERR_PERM, "your enrolment waits for "
		    "the center's approval");
	return MB_OK;
}

int
mb_courses__may_read(const struct mb_courses_env *e, const struct mb_actor *a,
    const struct mb_course *c, struct mb_diag *d)
{
	return staff(a) ? MB_OK : enrolled(e, a, c, d);
}

/*
 * May the reader be given step's item (read as a translator, below)?
 * Its profile must be what the course says the step is: a course made
 * over the API, or arriving from another center, may call any item a
 * "lesson", and a lesson's envelope goes whole into a package, so a
 * quiz (its answer key in its item) or a news item named a lesson
 * would be given out as one. A lesson is then read as the reader reads
 * any item, by their own audiences (the course never widens them). A
 * quiz is read only by staff (policy.h), so nobody's audiences include
 * it; what a learner gets of it is its questions, never its key (the
 * pages and package_quiz.c), offered when it was published for the
 * public or the network: a quiz travels with its course to the
 * network's centers as "network".
 */
static bool
step_readable(const struct mb_actor *a, const struct mb_course_step_ref *s,
    const struct mb_nr_item *it)
{
	unsigned aud = mb_audience_bit(it->audience);

	if (s->kind == MB_STEP_QUIZ)
		return strcmp(it->profile, "quiz") == 0 &&
		    (aud & (MB_AUD_PUBLIC | MB_AUD_NETWORK)) != 0;
	return strcmp(it->profile, "lesson") == 0 &&
	    (aud & mb_audiences_of(mb_actor_role(a))) != 0;
}

int
mb_courses__step_raw(const struct mb_courses_env *e, const struct mb_actor *a,
    const struct mb_course *c, int step, char **env, size_t *len,
    json_t **item, struct mb_diag *d)
{
	struct mb_newsroom_env	 ne;
	struct mb_nr_item	 it;
	/*
	 * A quiz is read by staff only (its answer key is in its item:
	 * policy.h, mb_policy_read_audience): an enrolled learner reads a
	 * step through this service and nowhere else, published and usable
	 * as anyone reads it. A translator without an account reads what
	 * is published, whatever the audience; step_readable() then says
	 * whether this reader may have it.
	 */
	struct mb_actor		 reader = { 0, "learner", MB_ROLE_TRANSLATOR };
	json_t			*root;
	int			 rc;

	if (step < 0 || step >= c->info.nsteps)
		return mb_diag_set(d, MB_ERR_NOTFOUND, "this course has no "
		    "step %d", step + 1);
	memset(&ne, 0, sizeof(ne));
	ne.st = e->st;
	ne.center = e->node->conf.id;
	rc = mb_newsroom_get(&ne, &reader, c->info.step[step].uri, 0, &it, d);
	if (rc == MB_OK && !step_readable(a, &c->info.step[step], &it)) {
		mb_nr_item_free(&it);
		rc = MB_ERR_NOTFOUND;
	}
	if (rc != MB_OK) {
		if (rc == MB_ERR_NOTFOUND)
			mb_diag_set(d, rc, "step %d (%s) is not here yet", step
			    + 1, c->info.step[step].uri);
		return rc;
	}
	if ((root = mb_json_loadb(it.envelope, it.len, 0, NULL)) == NULL) {
		mb_nr_item_free(&it);
		return mb_diag_set(d, MB_ERR_CORRUPT, "%s: the stored envelope "
		    "does not parse", c->info.step[step].uri);
	}
	*item = json_incref(json_object_get(root, "item"));
	json_decref(root);
	if (env != NULL) {
		*env = it.envelope;
		*len = it.len;
	} else {
		mb_nr_item_free(&it);
	}
	return MB_OK;
}

int
mb_courses_quiz_form(const struct mb_courses_env *e,
    const struct mb_course *c, int step, struct mb_quiz **q,
    struct mb_diag *d)
{
	json_t	*item = NULL;
	int	 rc;

	if (step < 0 || step >= c->info.nsteps ||
	    c->info.step[step].kind != MB_STEP_QUIZ)
		return mb_diag_set(d, MB_ERR_NOTFOUND, "step %d of this course "
		    "is not a quiz", step + 1);
	/* A quiz's questions are offered whoever reads (step_readable). */
	if ((rc = mb_courses__step_raw(e, NULL, c, step, NULL, NULL, &item,
	    d)) != MB_OK)
		return rc;
	rc = mb_quiz_from_item(item, q, d);
	json_decref(item);
	return rc;
}

int
mb_courses_step(const struct mb_courses_env *e, const struct mb_actor *a,
    const struct mb_course *c, int step, json_t **item, struct mb_diag *d)
{
	bool	preview = staff(a);
	int	rc;

	if (step < 0 || step >= c->info.nsteps)
		return mb_diag_set(d, MB_ERR_NOTFOUND, "this course has no "
		    "step %d", step + 1);
	if (!preview && (rc = enrolled(e, a, c, d)) != MB_OK)
		return rc;
	if ((rc = mb_courses__step_raw(e, a, c, step, NULL, NULL, item,
	    d)) != MB_OK)
		return rc;
	if (!preview && c->info.step[step].kind == MB_STEP_LESSON &&
	    (rc = mb_store_course_step_set(e->st, a->user_id, c->info.uri,
	    c->info.step[step].uri, "seen", d)) != MB_OK) {
		json_decref(*item);
		return rc;
	}
	return MB_OK;
}

int
mb_courses_enrol(const struct mb_courses_env *e, const struct mb_actor *a,
    const struct mb_course *c, const char *code,
    char state[MB_COURSE_STATE_MAX], struct mb_diag *d)
{
	struct mb_course_setting	s;
	const char			*st = "active";
	int				rc;

	if (a == NULL || a->user_id == 0)
		return mb_diag_set(d, MB_ERR_PERM, "sign in to enrol");
	rc = mb_store_course_setting_get(e->st, c->info.uri, &s, d);
	if (rc == MB_ERR_NOTFOUND)
		snprintf(s.enrol, sizeof(s.enrol), "open");
	else if (rc != MB_OK)
		return rc;
	if (strcmp(s.enrol, "code") == 0) {
		if (code == NULL || *code == '\0')
			return mb_diag_set(d, MB_ERR_INVAL, "code: this course "
			    "needs its enrolment code");
		if (strcmp(code, s.code) != 0)
			return mb_diag_set(d, MB_ERR_PERM, "code: not this "
			    "course's enrolment code");
	} else if (strcmp(s.enrol, "approval") == 0) {
		st = "pending";
	}
	if ((rc = mb_store_course_enrol(e->st, a->user_id, c->info.uri, st,
	    d)) != MB_OK)
		return rc;
	log_info("courses: enrol user=%s course=%s state=%s", a->name,
	    c->info.uri, st);
	snprintf(state, MB_COURSE_STATE_MAX, "%s", st);
	return MB_OK;
}

int
mb_courses_approve(const struct mb_courses_env *e, const struct mb_actor *a,
    const char *course, const char *user, struct mb_diag *d)
{
	struct mb_user			u;
	struct mb_course_enrolment	en;
	int				rc;

	if (a != NULL && !instructor(a))
		return mb_diag_set(d, MB_ERR_PERM, "only an editor approves "
		    "enrolments");
	if ((rc = mb_store_user_get(e->st, user, 0, &u, NULL, 0, d)) != MB_OK)
		return rc;
	if ((rc = mb_store_course_enrolment(e->st, u.id, course, &en, d)) !=
	    MB_OK)
		return rc;
	if (strcmp(en.state, "pending") != 0)
		return mb_diag_set(d, MB_ERR_EXISTS, "%s is %s, not pending",
		    user, en.state);
	return mb_store_course_enrol_set(e->st, u.id, course, "active", d);
}

int
mb_courses_set_enrolment(const struct mb_courses_env *e,
    const struct mb_actor *a, const char *course, const char *mode,
    const char *code, struct mb_diag *d)
{
	struct mb_course_setting s;
	struct mb_course	*c = NULL;
	/* The operator (no actor: the CLI) reads every course here. */
	struct mb_actor		 op = { 0, "operator", MB_ROLE_ADMIN };
	int			 rc;

	if (a != NULL && !instructor(a))
		return mb_diag_set(d, MB_ERR_PERM, "only an editor sets how "
		    "learners enrol");
	if (mode == NULL || (strcmp(mode, "open") != 0 && strcmp(mode,
	    "code") != 0 && strcmp(mode, "approval") != 0))
		return mb_diag_set(d, MB_ERR_INVAL, "enrolment: \"open\", "
		    "\"code\" or \"approval\"");
	if (strcmp(mode, "code") == 0 && (code == NULL || strlen(code) < 6 ||
	    strlen(code) > 63))
		return mb_diag_set(d, MB_ERR_INVAL, "code: 6 to 63 characters");
	/*
	 * A setting for a uri that names no course here would be kept and
	 * never used, and a typo in the uri would look like success.
	 */
	if (course == NULL)
		return mb_diag_set(d, MB_ERR_INVAL, "give the course's uri");
	rc = mb_courses_get(e, a != NULL ? a : &op, course, &c, d);
	if (rc == MB_ERR_NOTFOUND)
		return mb_diag_set(d, rc, "%s: no such course here", course);
	if (rc != MB_OK)
		return rc;
	memset(&s, 0, sizeof(s));
	snprintf(s.course, sizeof(s.course), "%s", c->info.uri);
	snprintf(s.enrol, sizeof(s.enrol), "%s", mode);
	snprintf(s.code, sizeof(s.code), "%s", strcmp(mode, "code") == 0 ?
	    code : "");
	mb_course_free(c);
	return mb_store_course_setting_set(e->st, &s, d);
}

/* ---- Progress ---- */

struct prog_walk {
	const struct mb_course		*c;
	struct mb_course_progress	*p;
};

static int
step_index(const struct mb_course *c, const char *uri)
{
	for (int i = 0; i < c->info.nsteps; i++)
		if (strcmp(c->info.step[i].uri, uri) == 0)
			return i;
	return -1;
}

static int
prog_step(const struct mb_course_step *s, void *arg)
{
	struct prog_walk	*w = arg;
	int			 i = step_index(w->c, s->module);

	if (i >= 0)
		snprintf(w->p->step[i], sizeof(w->p->step[i]), "%s", s->state);
	return MB_OK;
}

static int
prog_attempt(const struct mb_course_attempt *at, void *arg)
{
	struct prog_walk	*w = arg;
	int			 i = step_index(w->c, at->quiz);

	if (i >= 0) {
		w->p->tries[i]++;
		if (at->score > w->p->best[i])
			w->p->best[i] = at->score;
	}
	return MB_OK;
}

static int
prog_cert(const struct mb_course_cert *ct, void *arg)
{
	struct prog_walk *w = arg;

	if (ct->credential != NULL)
		snprintf(w->p->certificate, sizeof(w->p->certificate), "%s",
		    ct->id);
	return 1;
}

int
mb_courses_progress(const struct mb_courses_env *e, int64_t user_id,
    const struct mb_course *c, struct mb_course_progress *out,
    struct mb_diag *d)
{
	struct mb_course_enrolment	 en;
	struct mb_course_progress	*p;
	struct prog_walk		 w;
	int				 rc;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		return MB_ERR_NOMEM;
	p->total = c->info.nsteps;
	for (int i = 0; i < MB_COURSE_MAX_STEPS; i++)
		p->best[i] = -1;
	w.c = c;
	w.p = p;
	rc = mb_store_course_enrolment(e->st, user_id, c->info.uri, &en, d);
	if (rc == MB_OK) {
		p->enrolled = true;
		snprintf(p->state, sizeof(p->state), "%s", en.state);
	} else if (rc != MB_ERR_NOTFOUND) {
		goto out;
	}
	if ((rc = mb_store_course_steps(e->st, user_id, c->info.uri,
	    prog_step, &w, d)) != MB_OK ||
	    (rc = mb_store_course_attempts(e->st, user_id, c->info.uri, NULL,
	    prog_attempt, &w, d)) != MB_OK ||
	    (rc = mb_store_course_certs(e->st, NULL, user_id, c->info.uri,
	    prog_cert, &w, d)) != MB_OK)
		goto out;
	for (int i = 0; i < c->info.nsteps; i++)
		if (strcmp(p->step[i], "completed") == 0)
			p->done++;
	*out = *p;
out:
	free(p);
	return rc;
}

/*
 * After a step is completed: when every step is, the enrolment is
 * "completed" and the certificate issued (in that order: a failure to
 * sign leaves the learner complete, and the next look issues it).
 */
static int
maybe_complete(const struct mb_courses_env *e, const struct mb_actor *a,
    const struct mb_course *c, bool *completed, char cert[64],
    struct mb_diag *d)
{
	struct mb_course_progress	*p;
	int				 rc;

	*completed = false;
	if ((p = malloc(sizeof(*p))) == NULL)
		return MB_ERR_NOMEM;
	if ((rc = mb_courses_progress(e, a->user_id, c, p, d)) != MB_OK)
		goto out;
	if (p->done < p->total)
		goto out;
	*completed = true;
	if (strcmp(p->state, "completed") != 0 &&
	    (rc = mb_store_course_enrol_set(e->st, a->user_id, c->info.uri,
	    "completed", d)) != MB_OK)
		goto out;
	if (strcmp(p->state, "completed") != 0)
		log_info("courses: completed user=%s course=%s", a->name,
		    c->info.uri);
	rc = mb_courses_certify(e, a->user_id, a->name, c, cert, d);
out:
	free(p);
	return rc;
}

int
mb_courses_lesson_done(const struct mb_courses_env *e,
    const struct mb_actor *a, const struct mb_course *c, int step,
    struct mb_diag *d)
{
	json_t	*item = NULL;
	char	 cert[64];
	bool	 completed;
	int	 rc;

	if (step < 0 || step >= c->info.nsteps)
		return mb_diag_set(d, MB_ERR_NOTFOUND, "this course has no "
		    "step %d", step + 1);
	if (c->info.step[step].kind != MB_STEP_LESSON)
		return mb_diag_set(d, MB_ERR_INVAL, "step %d is a quiz: it is "
		    "completed by passing it", step + 1);
	if ((rc = enrolled(e, a, c, d)) != MB_OK)
		return rc;
	/*
	 * Only a lesson the learner may read now (published, past its
	 * embargo: its page is 404 otherwise) is completed, so that no
	 * certificate comes for lessons never read.
	 */
	if ((rc = mb_courses__step_raw(e, a, c, step, NULL, NULL, &item,
	    d)) != MB_OK)
		return rc;
	json_decref(item);
	if ((rc = mb_store_course_step_set(e->st, a->user_id, c->info.uri,
	    c->info.step[step].uri, "completed", d)) != MB_OK)
		return rc;
	return maybe_complete(e, a, c, &completed, cert, d);
}

/* The attempt an offline upload's key made, and the quiz's count. */
struct keyed {
	const struct mb_course	*c;
	const char		*quiz;
	bool			 found, here;
	int			 n, score, count;
	bool			 passed;
	json_t			*answers;	/* parsed; NULL: unreadable */
};

static int
keyed_cb(const struct mb_course_attempt *at, void *arg)
{
	struct keyed *k = arg;

	k->found = true;
	k->here = strcmp(at->course, k->c->info.uri) == 0 &&
	    strcmp(at->quiz, k->quiz) == 0;
	k->n = at->n;
	k->score = at->score;
	k->passed = at->passed;
	k->answers = at->answers != NULL ? mb_json_loadb(at->answers,
	    strlen(at->answers), 0, NULL) : NULL;
	return 1;
}

static int
count_cb(const struct mb_course_attempt *at, void *arg)
{
	struct keyed *k = arg;

	(void)at;
	k->count++;
	return MB_OK;
}

/*
 * An offline upload's key seen before: MB_ERR_NOTFOUND (no diagnostic)
 * when it is new. The same answers at the same quiz are answered from
 * the row the key made, never graded again: grading first and looking
 * after answered a new score for new answers under an old key, with no
 * attempt counted, so one key graded answers without limit. Other
 * answers, or another quiz, under a key already used are refused.
 */
static int
keyed_again(const struct mb_courses_env *e, const struct mb_actor *a,
    const struct mb_course *c, int step, const struct mb_quiz *q,
    const char *key, const json_t *answers, struct mb_quiz_result *res,
    struct mb_diag *d)
{
	struct keyed	k;
	int		rc;

	memset(&k, 0, sizeof(k));
	k.c = c;
	k.quiz = c->info.step[step].uri;
	if ((rc = mb_store_course_attempt_key(e->st, a->user_id, key,
	    keyed_cb, &k, d)) != MB_OK)
		goto out;
	if (!k.found) {
		rc = MB_ERR_NOTFOUND;
		goto out;
	}
	if (!k.here) {
		res->key_reused = true;
		rc = mb_diag_set(d, MB_ERR_EXISTS, "key: these answers' key "
		    "was used for another quiz; each upload has its own key");
		goto out;
	}
	if (k.answers == NULL || !json_equal(k.answers, answers)) {
		res->key_reused = true;
		rc = mb_diag_set(d, MB_ERR_EXISTS, "key: this key was sent "
		    "before with other answers (attempt %d); each upload has "
		    "its own key", k.n);
		goto out;
	}
	if ((rc = mb_store_course_attempts(e->st, a->user_id, c->info.uri,
	    k.quiz, count_cb, &k, d)) != MB_OK)
		goto out;
	res->score = k.score;
	res->passed = k.passed;
	res->attempt = k.n;
	res->left = k.count < q->attempts ? q->attempts - k.count : 0;
	res->duplicate = true;
	log_info("courses: quiz again user=%s quiz=%s attempt=%d", a->name,
	    k.quiz, k.n);
out:
	json_decref(k.answers);
	return rc;
}

int
mb_courses_quiz_submit(const struct mb_courses_env *e,
    const struct mb_actor *a, const struct mb_course *c, int step,
    const json_t *answers, const char *key, struct mb_quiz_result *res,
    struct mb_diag *d)
{
	struct mb_course_attempt	 at;
	struct mb_quiz			*q = NULL;
	json_t				*item = NULL;
	char				*text = NULL;
	int				 rc;

	memset(res, 0, sizeof(*res));
	if (step < 0 || step >= c->info.nsteps ||
	    c->info.step[step].kind != MB_STEP_QUIZ)
		return mb_diag_set(d, MB_ERR_NOTFOUND, "step %d of this course "
		    "is not a quiz", step + 1);
	if (key != NULL && (strlen(key) == 0 || strlen(key) > 63))
		return mb_diag_set(d, MB_ERR_INVAL, "key: 1 to 63 characters");
	if ((rc = enrolled(e, a, c, d)) != MB_OK)
		return rc;
	if ((rc = mb_courses_step(e, a, c, step, &item, d)) != MB_OK)
		return rc;
	if ((rc = mb_quiz_from_item(item, &q, d)) != MB_OK)
		goto out;
	/* A key seen before is answered before anything is graded. */
	if (key != NULL && (rc = keyed_again(e, a, c, step, q, key, answers,
	    res, d)) != MB_ERR_NOTFOUND)
		goto out;
	if ((rc = mb_quiz_grade(q, answers, &res->score, &res->passed, NULL,
	    d)) != MB_OK)
		goto out;
	if ((text = json_dumps(answers, JSON_COMPACT | JSON_SORT_KEYS)) ==
	    NULL) {
		rc = MB_ERR_NOMEM;
		goto out;
	}
	memset(&at, 0, sizeof(at));
	at.user_id = a->user_id;
	snprintf(at.course, sizeof(at.course), "%s", c->info.uri);
	snprintf(at.quiz, sizeof(at.quiz), "%s", c->info.step[step].uri);
	at.score = res->score;
	at.passed = res->passed;
	at.answers = text;
	snprintf(at.key, sizeof(at.key), "%s", key != NULL ? key : "");
	rc = mb_store_course_attempt_add(e->st, &at, q->attempts,
	    &res->attempt, d);
	if (rc == MB_ERR_EXISTS && key != NULL) {
		/*
		 * The same key sent twice at once: the other one kept its
		 * attempt between the look above and this one. Answered
		 * from that row, as above; never with this grade.
		 */
		struct mb_diag	kd = { "" };
		int		krc;

		memset(res, 0, sizeof(*res));
		if ((krc = keyed_again(e, a, c, step, q, key, answers, res,
		    &kd)) != MB_ERR_NOTFOUND) {
			rc = krc;
			if (d != NULL)
				*d = kd;
		}
		goto out;
	}
	if (rc != MB_OK)
		goto out;
	res->left = q->attempts - res->attempt;
	log_info("courses: quiz user=%s quiz=%s attempt=%d score=%d passed=%d",
	    a->name, at.quiz, res->attempt, res->score, res->passed);
	if (res->passed && !res->duplicate &&
	    ((rc = mb_store_course_step_set(e->st, a->user_id, c->info.uri,
	    at.quiz, "completed", d)) != MB_OK ||
	    (rc = maybe_complete(e, a, c, &res->completed, res->certificate,
	    d)) != MB_OK))
		goto out;
out:
	free(text);
	mb_quiz_free(q);
	json_decref(item);
	return rc;
}

/* ---- The class, for instructors ---- */

struct class_walk {
	const struct mb_courses_env	*e;
	const struct mb_course		*c;
	struct mb_buf			*out;
	int				 rc;
	struct mb_diag			*d;
};

/* A CSV field: quoted, quotes doubled; a leading = + - @ defused. */
static void
csv(struct mb_buf *b, const char *s, bool last)
{
	mb_buf_append(b, "\"", 1);
	if (*s == '=' || *s == '+' || *s == '-' || *s == '@')
		mb_buf_append(b, "'", 1);
	for (; *s; s++)
		mb_buf_append(b, *s == '"' ? "\"\"" : s, *s == '"' ? 2 : 1);
	mb_buf_append(b, last ? "\"\r\n" : "\",", last ? 3 : 2);
}

static int
class_learner(const struct mb_course_enrolment *en, void *arg)
{
	struct class_walk		*w = arg;
	struct mb_course_progress	 p;
	char				 n[32], s[16];
	int				 rc;

	if ((rc = mb_courses_progress(w->e, en->user_id, w->c, &p, w->d)) !=
	    MB_OK)
		return rc;
	for (int i = 0; i < w->c->info.nsteps; i++) {
		snprintf(n, sizeof(n), "%d", i + 1);
		csv(w->out, en->user, false);
		csv(w->out, n, false);
		csv(w->out, w->c->info.step[i].uri, false);
		csv(w->out, w->c->info.step[i].kind == MB_STEP_QUIZ ? "quiz" :
		    "lesson", false);
		csv(w->out, p.step[i][0] ? p.step[i] : "not started", false);
		snprintf(n, sizeof(n), "%d", p.tries[i]);
		csv(w->out, n, false);
		if (p.best[i] >= 0)
			snprintf(s, sizeof(s), "%d", p.best[i]);
		else
			s[0] = '\0';
		csv(w->out, s, true);
	}
	return MB_OK;
}

struct question_walk {
	struct mb_buf		*out;
	const struct mb_quiz	*q;
	const char		*user;
	json_t			*last;	/* the learner's last answers */
};

static int
last_attempt(const struct mb_course_attempt *at, void *arg)
{
	struct question_walk *w = arg;

	json_decref(w->last);
	w->last = at->answers != NULL ? mb_json_loadb(at->answers,
	    strlen(at->answers), 0, NULL) : NULL;
	return MB_OK;
}

static int
class_questions(const struct mb_course_enrolment *en, void *arg)
{
	struct class_walk	*w = arg;
	int			 rc = MB_OK;

	for (int i = 0; i < w->c->info.nsteps && rc == MB_OK; i++) {
		struct question_walk	 qw = { w->out, NULL, en->user, NULL };
		struct mb_quiz		*q = NULL;
		struct mb_actor		 staff_actor = { 0, "class",
					    MB_ROLE_EDITOR };
		json_t			*item = NULL;
		unsigned long long	 right = 0;
		int			 score;
		bool			 passed;

		if (w->c->info.step[i].kind != MB_STEP_QUIZ)
			continue;
		if (mb_courses_step(w->e, &staff_actor, w->c, i, &item,
		    NULL) != MB_OK)
			continue;
		if (mb_quiz_from_item(item, &q, NULL) != MB_OK) {
			json_decref(item);
			continue;
		}
		qw.q = q;
		rc = mb_store_course_attempts(w->e->st, en->user_id,
		    w->c->info.uri, w->c->info.step[i].uri, last_attempt, &qw,
		    w->d);
		if (rc == MB_OK && qw.last != NULL && mb_quiz_grade(q, qw.last,
		    &score, &passed, &right, NULL) == MB_OK) {
			for (int k = 0; k < q->n; k++) {
				csv(w->out, en->user, false);
				csv(w->out, "question", false);
				csv(w->out, w->c->info.step[i].uri, false);
				csv(w->out, q->q[k].id, false);
				csv(w->out, (right >> k) & 1 ? "right" :
				    "wrong", false);
				csv(w->out, "", false);
				csv(w->out, "", true);
			}
		}
		json_decref(qw.last);
		mb_quiz_free(q);
		json_decref(item);
	}
	return rc;
}

int
mb_courses_class_csv(const struct mb_courses_env *e,
    const struct mb_actor *a, const struct mb_course *c, struct mb_buf *out,
    struct mb_diag *d)
{
	struct class_walk	w = { e, c, out, MB_OK, d };
	int			rc;

	if (a != NULL && !instructor(a))
		return mb_diag_set(d, MB_ERR_PERM, "only instructors (editor "
		    "and up) see the class");
	mb_buf_puts(out, "learner,step,item,kind,state,attempts,best\r\n");
	if ((rc = mb_store_course_enrolments(e->st, c->info.uri, 0,
	    class_learner, &w, d)) != MB_OK)
		return rc;
	return mb_store_course_enrolments(e->st, c->info.uri, 0,
	    class_questions, &w, d);
}
