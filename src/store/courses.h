/* SPDX-License-Identifier: MIT */
/* The courses domain's tables: enrolments, progress, quiz attempts, certificates, invitations. */
#ifndef MB_STORE_COURSES_H
#define MB_STORE_COURSES_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"
#include "item/id.h"

/*
 * Everything here is the center's own and never travels (docs/
 * architecture.md, "What never enters the exchange"): who learns what,
 * how far they got, what they answered. The courses themselves are
 * items (profile course, lesson, quiz) in the core's tables.
 *
 * Contracts as store.h's: MB_OK or a negative MB_ERR_*; out-parameters
 * set only on success; visitors return MB_OK to go on, positive to
 * stop, negative to fail.
 */
struct mb_store;

#define MB_COURSE_STATE_MAX 16

/* A learner's place in a course: "pending", "active", "completed". */
struct mb_course_enrolment {
	int64_t	user_id;
	char	user[64];
	char	course[MB_URI_MAX];
	char	state[MB_COURSE_STATE_MAX];
	int64_t	created_ms;
	int64_t	updated_ms;
};

/* MB_ERR_EXISTS when the learner is already enrolled (any state). */
int mb_store_course_enrol(struct mb_store *st, int64_t user_id,
    const char *course, const char *state, struct mb_diag *d);
/* MB_ERR_NOTFOUND when not enrolled. */
int mb_store_course_enrol_set(struct mb_store *st, int64_t user_id,
    const char *course, const char *state, struct mb_diag *d);
int mb_store_course_enrolment(struct mb_store *st, int64_t user_id,
    const char *course, struct mb_course_enrolment *out, struct mb_diag *d);
/* course NULL: every course; user_id 0: every learner. By course, name. */
int mb_store_course_enrolments(struct mb_store *st, const char *course,
    int64_t user_id,
    int (*cb)(const struct mb_course_enrolment *e, void *arg), void *arg,
    struct mb_diag *d);

/* Progress on one module (a lesson or a quiz): "seen", "completed". */
struct mb_course_step {
	int64_t	user_id;
	char	course[MB_URI_MAX];
	char	module[MB_URI_MAX];
	char	state[MB_COURSE_STATE_MAX];
	int64_t	updated_ms;
};

/* Records progress; "completed" is never taken back to "seen". */
int mb_store_course_step_set(struct mb_store *st, int64_t user_id,
    const char *course, const char *module, const char *state,
    struct mb_diag *d);
/* user_id 0: every learner's. */
int mb_store_course_steps(struct mb_store *st, int64_t user_id,
    const char *course,
    int (*cb)(const struct mb_course_step *s, void *arg), void *arg,
    struct mb_diag *d);

/* One try at a quiz, graded by the server. */
struct mb_course_attempt {
	int64_t		 id;
	int64_t		 user_id;
	char		 course[MB_URI_MAX];
	char		 quiz[MB_URI_MAX];
	int		 n;		/* 1, 2, ... for this learner */
	int		 score;		/* percent */
	bool		 passed;
	const char	*answers;	/* JSON, borrowed for the visit */
	char		 key[64];	/* the offline upload's key, or "" */
	int64_t		 created_ms;
};

/*
 * Keeps an attempt as number n (returned) when the learner has made
 * fewer than max_attempts and passed none: MB_ERR_PERM "no attempts
 * left" otherwise, MB_ERR_EXISTS "already passed" for a closed quiz;
 * both change nothing. key (may be NULL or ""): an offline upload's
 * own id, one per learner; the same key again is MB_ERR_EXISTS, before
 * the other checks, with *n set to the attempt it made when that was
 * at the same course and quiz (an upload is idempotent), and *n left
 * alone when it was at another. The caller answers a key seen before
 * from that attempt's row (mb_store_course_attempt_key), never from
 * answers graded again.
 */
int mb_store_course_attempt_add(struct mb_store *st,
    const struct mb_course_attempt *a, int max_attempts, int *n,
    struct mb_diag *d);
/*
 * Visits the attempt the learner made under an offline upload's key,
 * at whatever course and quiz: once, or not at all when the key is new.
 */
int mb_store_course_attempt_key(struct mb_store *st, int64_t user_id,
    const char *key,
    int (*cb)(const struct mb_course_attempt *a, void *arg), void *arg,
    struct mb_diag *d);
/* user_id 0: every learner's; quiz NULL: every quiz of the course. */
int mb_store_course_attempts(struct mb_store *st, int64_t user_id,
    const char *course, const char *quiz,
    int (*cb)(const struct mb_course_attempt *a, void *arg), void *arg,
    struct mb_diag *d);

/* A certificate issued here; index is its bit in the status list. */
struct mb_course_cert {
	int64_t		 index;
	char		 id[64];	/* "urn:uuid:..." */
	int64_t		 user_id;
	char		 user[64];
	char		 course[MB_URI_MAX];
	const char	*credential;	/* JSON, borrowed; NULL while issuing */
	bool		 revoked;
	int64_t		 created_ms;
};

/*
 * Reserves the status list index of a learner's certificate for a
 * course (one per learner and course: MB_ERR_EXISTS with *index set to
 * the one reserved before).
 */
int mb_store_course_cert_reserve(struct mb_store *st, int64_t user_id,
    const char *course, const char *id, int64_t *index, struct mb_diag *d);
/* Stores the signed credential for a reserved index. */
int mb_store_course_cert_set(struct mb_store *st, int64_t index,
    const char *credential, struct mb_diag *d);
/* MB_ERR_NOTFOUND for an unknown id. */
int mb_store_course_cert_revoke(struct mb_store *st, const char *id,
    struct mb_diag *d);
/*
 * Certificates by id (NULL: any), learner (0: any), course (NULL: any),
 * oldest first.
 */
int mb_store_course_certs(struct mb_store *st, const char *id,
    int64_t user_id, const char *course,
    int (*cb)(const struct mb_course_cert *c, void *arg), void *arg,
    struct mb_diag *d);

/* How learners join a course here: "open", "code", "approval". */
struct mb_course_setting {
	char	course[MB_URI_MAX];
	char	enrol[MB_COURSE_STATE_MAX];
	char	code[64];	/* for "code" */
};

int mb_store_course_setting_set(struct mb_store *st,
    const struct mb_course_setting *s, struct mb_diag *d);
/* MB_ERR_NOTFOUND when none was set (the course is then open). */
int mb_store_course_setting_get(struct mb_store *st, const char *course,
    struct mb_course_setting *out, struct mb_diag *d);

/* Invitation codes for learners' sign-up, kept as SHA-256 hashes. */
#define MB_COURSE_INVITE_HASH 32
int mb_store_course_invite_add(struct mb_store *st,
    const uint8_t hash[MB_COURSE_INVITE_HASH], struct mb_diag *d);
/*
 * Whether a code could be used, changing nothing: MB_OK when unused,
 * MB_ERR_NOTFOUND unknown, MB_ERR_EXISTS used.
 */
int mb_store_course_invite_check(struct mb_store *st,
    const uint8_t hash[MB_COURSE_INVITE_HASH], struct mb_diag *d);
/* Uses a code once: MB_ERR_NOTFOUND unknown, MB_ERR_EXISTS used. */
int mb_store_course_invite_use(struct mb_store *st,
    const uint8_t hash[MB_COURSE_INVITE_HASH], int64_t user_id,
    struct mb_diag *d);

#endif
