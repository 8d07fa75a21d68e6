/* SPDX-License-Identifier: MIT */
/* Private to the courses domain: its table of calls, one per backend, and its rows. */
#ifndef MB_STORE_COURSES_INT_H
#define MB_STORE_COURSES_INT_H

#include "store/courses.h"
#include "store/store_int.h"

/* The calls of courses.h, with the same arguments and contract. */
struct mb_store_courses_ops {
	int	(*enrol)(struct mb_store *st, int64_t user_id,
		    const char *course, const char *state, struct mb_diag *d);
	int	(*enrol_set)(struct mb_store *st, int64_t user_id,
		    const char *course, const char *state, struct mb_diag *d);
	int	(*enrolments)(struct mb_store *st, const char *course,
		    int64_t user_id,
		    int (*cb)(const struct mb_course_enrolment *e, void *arg),
		    void *arg, struct mb_diag *d);
	int	(*step_set)(struct mb_store *st, int64_t user_id,
		    const char *course, const char *module, const char *state,
		    struct mb_diag *d);
	int	(*steps)(struct mb_store *st, int64_t user_id,
		    const char *course,
		    int (*cb)(const struct mb_course_step *s, void *arg),
		    void *arg, struct mb_diag *d);
	int	(*attempt_add)(struct mb_store *st,
		    const struct mb_course_attempt *a, int max_attempts,
		    int *n, struct mb_diag *d);
	int	(*attempts)(struct mb_store *st, int64_t user_id,
		    const char *course, const char *quiz,
		    int (*cb)(const struct mb_course_attempt *a, void *arg),
		    void *arg, struct mb_diag *d);
	int	(*attempt_key)(struct mb_store *st, int64_t user_id,
		    const char *key,
		    int (*cb)(const struct mb_course_attempt *a, void *arg),
		    void *arg, struct mb_diag *d);
	int	(*cert_reserve)(struct mb_store *st, int64_t user_id,
		    const char *course, const char *id, int64_t *index,
		    struct mb_diag *d);
	int	(*cert_set)(struct mb_store *st, int64_t index,
		    const char *credential, struct mb_diag *d);
	int	(*cert_revoke)(struct mb_store *st, const char *id,
		    struct mb_diag *d);
	int	(*certs)(struct mb_store *st, const char *id, int64_t user_id,
		    const char *course,
		    int (*cb)(const struct mb_course_cert *c, void *arg),
		    void *arg, struct mb_diag *d);
	int	(*setting_set)(struct mb_store *st,
		    const struct mb_course_setting *s, struct mb_diag *d);
	int	(*setting_get)(struct mb_store *st, const char *course,
		    struct mb_course_setting *out, struct mb_diag *d);
	int	(*invite_add)(struct mb_store *st,
		    const uint8_t hash[MB_COURSE_INVITE_HASH],
		    struct mb_diag *d);
	int	(*invite_check)(struct mb_store *st,
		    const uint8_t hash[MB_COURSE_INVITE_HASH],
		    struct mb_diag *d);
	int	(*invite_use)(struct mb_store *st,
		    const uint8_t hash[MB_COURSE_INVITE_HASH], int64_t user_id,
		    struct mb_diag *d);
};

extern const struct mb_store_courses_ops mb_sqlite_courses, mb_pg_courses;
extern const char *const mb_sqlite_courses_migrations[];
extern const char *const mb_pg_courses_migrations[];

/* Rows: the column lists below, in this order, into the structs. */
extern const struct mb_store_cols mb_store__enrol_cols;
#define MB_STORE_ENROL_COLS "e.user_id, u.name, e.course, e.state, " \
	"e.created_ms, e.updated_ms"
extern const struct mb_store_cols mb_store__step_cols;
#define MB_STORE_STEP_COLS "user_id, course, module, state, updated_ms"
extern const struct mb_store_cols mb_store__attempt_cols;
#define MB_STORE_ATTEMPT_COLS "id, user_id, course, quiz, n, score, " \
	"passed, answers, key, created_ms"
extern const struct mb_store_cols mb_store__cert_cols;
#define MB_STORE_CERT_COLS "c.idx, c.id, c.user_id, u.name, c.course, " \
	"c.credential, c.revoked, c.created_ms"
extern const struct mb_store_cols mb_store__setting_cols;
#define MB_STORE_SETTING_COLS "course, enrol, code"

#endif
