/* SPDX-License-Identifier: MIT */
/*
 * The courses service: enrolment, progress, quizzes graded on the
 * server, certificates, learners' sign-up. Every door (the pages, the
 * CLI, the demo) calls these with an actor; none knows HTTP.
 */
#ifndef MB_COURSES_COURSES_H
#define MB_COURSES_COURSES_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "base/buf.h"
#include "base/err.h"
#include "center/center.h"
#include "courses/course.h"
#include "courses/quiz.h"
#include "newsroom/policy.h"
#include "store/courses.h"

/* What a call needs: this center (its id, name, url, key) and a store. */
struct mb_courses_env {
	struct mb_store			*st;
	const struct mb_center_node	*node;
};

/* A course loaded from the store: its envelope, item and facts. */
struct mb_course {
	json_t			*root;		/* the envelope */
	const json_t		*item;
	char			 audience[16];
	char			 center[MB_CENTER_MAX + 1];
	char			 local[MB_LOCAL_MAX + 1];
	struct mb_course_info	 info;
};

/*
 * The current version of a course the actor may see (docs/
 * permissions.md's rule). MB_ERR_NOTFOUND when there is none or it is
 * not a course; *out is the caller's (mb_course_free).
 */
int mb_courses_get(const struct mb_courses_env *e, const struct mb_actor *a,
    const char *uri, struct mb_course **out, struct mb_diag *d);
void mb_course_free(struct mb_course *c);

/*
 * A step's item (the envelope's item member, a new reference), for a
 * learner enrolled and active, or staff (translator and up: a preview,
 * nothing recorded). Viewing a lesson records it "seen". MB_ERR_PERM
 * "not enrolled" otherwise; MB_ERR_NOTFOUND for a step out of range,
 * an item this center does not hold yet, one whose profile is not the
 * step's rel, or a lesson outside the actor's audiences.
 */
int mb_courses_step(const struct mb_courses_env *e, const struct mb_actor *a,
    const struct mb_course *c, int step, json_t **item, struct mb_diag *d);

/*
 * Enrols the actor (an account of any role): "open" courses at once,
 * "code" with the course's code (a wrong one MB_ERR_PERM), "approval"
 * as "pending" until an editor approves. *state gets the new state.
 */
int mb_courses_enrol(const struct mb_courses_env *e, const struct mb_actor *a,
    const struct mb_course *c, const char *code,
    char state[MB_COURSE_STATE_MAX], struct mb_diag *d);
/* An editor (or admin) approves a pending learner. */
int mb_courses_approve(const struct mb_courses_env *e,
    const struct mb_actor *a, const char *course, const char *user,
    struct mb_diag *d);
/*
 * An editor sets how learners join: "open", "code" (with code),
 * "approval". A uri that names no course here is MB_ERR_NOTFOUND,
 * naming it, and nothing is kept.
 */
int mb_courses_set_enrolment(const struct mb_courses_env *e,
    const struct mb_actor *a, const char *course, const char *mode,
    const char *code, struct mb_diag *d);

/*
 * The learner marks a lesson completed: one they may read now
 * (MB_ERR_NOTFOUND otherwise, as for mb_courses_step).
 */
int mb_courses_lesson_done(const struct mb_courses_env *e,
    const struct mb_actor *a, const struct mb_course *c, int step,
    struct mb_diag *d);

/*
 * Step step's quiz (*q, mb_quiz_free) read for its questions' ids and
 * kinds, whoever asks: the pages use it to read a form's field names
 * and never show its answers. MB_ERR_NOTFOUND when the step is no quiz.
 */
struct mb_quiz;
int mb_courses_quiz_form(const struct mb_courses_env *e,
    const struct mb_course *c, int step, struct mb_quiz **q,
    struct mb_diag *d);

/* What a quiz submission came to. */
struct mb_quiz_result {
	int	score;		/* percent */
	bool	passed;
	int	attempt;	/* its number */
	int	left;		/* attempts left */
	bool	completed;	/* the course is now complete */
	bool	duplicate;	/* an offline upload seen before */
	bool	key_reused;	/* refused: the key was used otherwise */
	char	certificate[64]; /* issued now or before; "" */
};

/*
 * Grades answers (quiz.h's form) on the server and keeps the attempt.
 * key: an offline upload's own id (idempotent), or NULL. A key seen
 * before is looked up before anything is graded: with the same answers
 * at the same quiz it is answered from the attempt it made (its number,
 * score and pass, the attempts left now; duplicate set, nothing
 * recorded); with other answers, or at another quiz, it is refused
 * (MB_ERR_EXISTS, key_reused set). Refuses with nothing recorded: not
 * enrolled (MB_ERR_PERM), no attempts left (MB_ERR_PERM), already
 * passed (MB_ERR_EXISTS, "closed"), bad answers (MB_ERR_INVAL). Passing
 * the last quiz or lesson completes the course and issues the
 * certificate.
 */
int mb_courses_quiz_submit(const struct mb_courses_env *e,
    const struct mb_actor *a, const struct mb_course *c, int step,
    const json_t *answers, const char *key, struct mb_quiz_result *res,
    struct mb_diag *d);

/* A learner's progress in a course. */
struct mb_course_progress {
	bool	enrolled;
	char	state[MB_COURSE_STATE_MAX];	/* enrolment's, or "" */
	int	done;				/* steps completed */
	int	total;
	char	step[MB_COURSE_MAX_STEPS][MB_COURSE_STATE_MAX];
	int	best[MB_COURSE_MAX_STEPS];	/* quiz: best score, -1 */
	int	tries[MB_COURSE_MAX_STEPS];	/* quiz: attempts made */
	char	certificate[64];		/* "" when none */
};

int mb_courses_progress(const struct mb_courses_env *e, int64_t user_id,
    const struct mb_course *c, struct mb_course_progress *out,
    struct mb_diag *d);

/*
 * The class's progress as CSV (instructors: editor and up): one row per
 * learner and step (learner, step, kind, state, attempts, best score),
 * then one per learner and question of each quiz (learner, quiz,
 * question, right in the last attempt). Names are the accounts'.
 */
int mb_courses_class_csv(const struct mb_courses_env *e,
    const struct mb_actor *a, const struct mb_course *c, struct mb_buf *out,
    struct mb_diag *d);

/* ---- Publishing (publish.c) ---- */

struct mb_ingest;

/*
 * Publishes a course with its lessons and quizzes from one document:
 *
 *   {"items": [{"item": {ninjs}, "audience": "public|network",
 *               "translationOf": "urn:..."}, ...]}
 *
 * Every item is this center's (ingest completes and signs it). Quizzes
 * (profile "quiz") must read as quiz.h says; courses (profile
 * "course") must read as course.h says and each step must be an item
 * of the document or of the store, of the right profile. Everything is
 * checked before anything is stored, and stored in one transaction:
 * a refusal (MB_ERR_INVAL naming "items[3].item.bodies..." or the
 * quiz's field) changes nothing. n (may be NULL) counts the versions
 * stored (duplicates not counted). Editors and up; NULL actor: the
 * operator.
 */
int mb_courses_publish(const struct mb_courses_env *e,
    const struct mb_actor *a, struct mb_ingest *ig, const json_t *doc,
    int *n, struct mb_diag *d);

/* ---- Certificates (certs.c) ---- */

/* The status list's URL: <center url>/courses/status. */
void mb_courses_status_url(const struct mb_courses_env *e, char *out,
    size_t n);

/*
 * Issues the learner's certificate for a completed course (once: the
 * same again answers its id). id gets "urn:uuid:...".
 */
int mb_courses_certify(const struct mb_courses_env *e, int64_t user_id,
    const char *user, const struct mb_course *c, char id[64],
    struct mb_diag *d);

/* A certificate by id: its credential text (*text the caller's), state. */
int mb_courses_certificate(const struct mb_courses_env *e, const char *id,
    char **text, bool *revoked, char user[64], struct mb_diag *d);

/* Revokes a certificate (editor and up; NULL actor: the operator). */
int mb_courses_revoke(const struct mb_courses_env *e,
    const struct mb_actor *a, const char *id, struct mb_diag *d);

/* The signed status list of this center's certificates (*out the caller's). */
int mb_courses_status_list(const struct mb_courses_env *e, json_t **out,
    struct mb_diag *d);

/* ---- Learners (learners.c) ---- */

/*
 * A new invitation code for learners' sign-up (admin; NULL actor: the
 * operator): 16 random bytes, base64url, shown once; only its SHA-256
 * is kept.
 */
#define MB_INVITE_TEXT_LEN 24
int mb_courses_invite(const struct mb_courses_env *e,
    const struct mb_actor *a, char code[MB_INVITE_TEXT_LEN],
    struct mb_diag *d);

/*
 * Signs a learner up with an invitation code: the account (role
 * "learner") and the code's use in one transaction. MB_ERR_PERM for an
 * unknown or used code (the same message for both), MB_ERR_INVAL for a
 * bad name or password, MB_ERR_EXISTS for a taken name.
 *
 * Without a code, only where the center approves sign-ups ([courses]
 * signup = approval): the account is made disabled, *pending (may be
 * NULL) is set, and an admin enables it (`mediabridge user enable`, or
 * the newsroom's people page); at most MB_COURSE_PENDING_MAX wait at
 * once (MB_ERR_AGAIN after that). Elsewhere MB_ERR_PERM: sign-up is
 * never open to all.
 */
#define MB_COURSE_PENDING_MAX 200
int mb_courses_signup(const struct mb_courses_env *e, const char *name,
    const char *password, const char *code, bool *pending,
    struct mb_diag *d);

#endif
