/* SPDX-License-Identifier: MIT */
/* The courses domain: its descriptor, its rows, and its calls handed to the store's backend. */
#include "courses_int.h"

static const struct mb_store_table tables[] = {
	{ "courses_enrolments", "user_id, course, state, created_ms, "
	  "updated_ms" },
	{ "courses_steps", "user_id, course, module, state, updated_ms" },
	{ "courses_attempts", "id, user_id, course, quiz, n, score, passed, "
	  "answers, key, created_ms" },
	{ "courses_certificates", "idx, id, user_id, course, credential, "
	  "revoked, created_ms" },
	{ "courses_settings", "course, enrol, code" },
	{ "courses_invites", "hash, created_ms, used_by, used_ms" },
	{ NULL, NULL }
};

const struct mb_store_domain mb_store_courses_domain = {
	.name = "courses",
	.migrations = {
		[MB_STORE_SQLITE] = mb_sqlite_courses_migrations,
		[MB_STORE_PG] = mb_pg_courses_migrations,
	},
	.tables = tables,
};

static const struct mb_store_col enrol_col[] = {
	MB_COL(MB_COL_INT, struct mb_course_enrolment, user_id),
	MB_COL(MB_COL_CHARS, struct mb_course_enrolment, user),
	MB_COL(MB_COL_CHARS, struct mb_course_enrolment, course),
	MB_COL(MB_COL_CHARS, struct mb_course_enrolment, state),
	MB_COL(MB_COL_INT, struct mb_course_enrolment, created_ms),
	MB_COL(MB_COL_INT, struct mb_course_enrolment, updated_ms),
};
const struct mb_store_cols mb_store__enrol_cols =
    MB_COLS(struct mb_course_enrolment, enrol_col);

static const struct mb_store_col step_col[] = {
	MB_COL(MB_COL_INT, struct mb_course_step, user_id),
	MB_COL(MB_COL_CHARS, struct mb_course_step, course),
	MB_COL(MB_COL_CHARS, struct mb_course_step, module),
	MB_COL(MB_COL_CHARS, struct mb_course_step, state),
	MB_COL(MB_COL_INT, struct mb_course_step, updated_ms),
};
const struct mb_store_cols mb_store__step_cols =
    MB_COLS(struct mb_course_step, step_col);

static const struct mb_store_col attempt_col[] = {
	MB_COL(MB_COL_INT, struct mb_course_attempt, id),
	MB_COL(MB_COL_INT, struct mb_course_attempt, user_id),
	MB_COL(MB_COL_CHARS, struct mb_course_attempt, course),
	MB_COL(MB_COL_CHARS, struct mb_course_attempt, quiz),
	MB_COL(MB_COL_INT, struct mb_course_attempt, n),
	MB_COL(MB_COL_INT, struct mb_course_attempt, score),
	MB_COL(MB_COL_BOOL, struct mb_course_attempt, passed),
	MB_COL(MB_COL_STR, struct mb_course_attempt, answers),
	MB_COL(MB_COL_CHARS, struct mb_course_attempt, key),
	MB_COL(MB_COL_INT, struct mb_course_attempt, created_ms),
};
const struct mb_store_cols mb_store__attempt_cols =
    MB_COLS(struct mb_course_attempt, attempt_col);

static const struct mb_store_col cert_col[] = {
	MB_COL(MB_COL_INT, struct mb_course_cert, index),
	MB_COL(MB_COL_CHARS, struct mb_course_cert, id),
	MB_COL(MB_COL_INT, struct mb_course_cert, user_id),
	MB_COL(MB_COL_CHARS, struct mb_course_cert, user),
	MB_COL(MB_COL_CHARS, struct mb_course_cert, course),
	MB_COL(MB_COL_STR, struct mb_course_cert, credential),
	MB_COL(MB_COL_BOOL, struct mb_course_cert, revoked),
	MB_COL(MB_COL_INT, struct mb_course_cert, created_ms),
};
const struct mb_store_cols mb_store__cert_cols =
    MB_COLS(struct mb_course_cert, cert_col);

static const struct mb_store_col setting_col[] = {
	MB_COL(MB_COL_CHARS, struct mb_course_setting, course),
	MB_COL(MB_COL_CHARS, struct mb_course_setting, enrol),
	MB_COL(MB_COL_CHARS, struct mb_course_setting, code),
};
const struct mb_store_cols mb_store__setting_cols =
    MB_COLS(struct mb_course_setting, setting_col);

static const struct mb_store_courses_ops *const impl[MB_STORE__BACKENDS] = {
	[MB_STORE_SQLITE] = &mb_sqlite_courses,
	[MB_STORE_PG] = &mb_pg_courses,
};
#define OPS(st)	(impl[mb_store__backend(st)])

int
mb_store_course_enrol(struct mb_store *st, int64_t user_id,
    const char *course, const char *state, struct mb_diag *d)
{
	return OPS(st)->enrol(st, user_id, course, state, d);
}

int
mb_store_course_enrol_set(struct mb_store *st, int64_t user_id,
    const char *course, const char *state, struct mb_diag *d)
{
	return OPS(st)->enrol_set(st, user_id, course, state, d);
}

struct one_enrol {
	int64_t				 user_id;
	struct mb_course_enrolment	*out;
	bool				 found;
};

static int
one_enrol(const struct mb_course_enrolment *e, void *arg)
{
	struct one_enrol *o = arg;

	*o->out = *e;
	o->found = true;
	return 1;
}

int
mb_store_course_enrolment(struct mb_store *st, int64_t user_id,
    const char *course, struct mb_course_enrolment *out, struct mb_diag *d)
{
	struct mb_course_enrolment	e;
	struct one_enrol		o = { user_id, &e, false };
	int				rc;

	if ((rc = OPS(st)->enrolments(st, course, user_id, one_enrol, &o,
	    d)) != MB_OK)
		return rc;
	if (!o.found)
		return mb_diag_set(d, MB_ERR_NOTFOUND, "not enrolled in %s",
		    course);
	*out = e;
	return MB_OK;
}

int
mb_store_course_enrolments(struct mb_store *st, const char *course,
    int64_t user_id,
    int (*cb)(const struct mb_course_enrolment *e, void *arg), void *arg,
    struct mb_diag *d)
{
	return OPS(st)->enrolments(st, course, user_id, cb, arg, d);
}

int
mb_store_course_step_set(struct mb_store *st, int64_t user_id,
    const char *course, const char *module, const char *state,
    struct mb_diag *d)
{
	return OPS(st)->step_set(st, user_id, course, module, state, d);
}

int
mb_store_course_steps(struct mb_store *st, int64_t user_id,
    const char *course,
    int (*cb)(const struct mb_course_step *s, void *arg), void *arg,
    struct mb_diag *d)
{
	return OPS(st)->steps(st, user_id, course, cb, arg, d);
}

int
mb_store_course_attempt_add(struct mb_store *st,
    const struct mb_course_attempt *a, int max_attempts, int *n,
    struct mb_diag *d)
{
	return OPS(st)->attempt_add(st, a, max_attempts, n, d);
}

int
mb_store_course_attempts(struct mb_store *st, int64_t user_id,
    const char *course, const char *quiz,
    int (*cb)(const struct mb_course_attempt *a, void *arg), void *arg,
    struct mb_diag *d)
{
	return OPS(st)->attempts(st, user_id, course, quiz, cb, arg, d);
}

int
mb_store_course_attempt_key(struct mb_store *st, int64_t user_id,
    const char *key,
    int (*cb)(const struct mb_course_attempt *a, void *arg), void *arg,
    struct mb_diag *d)
{
	return OPS(st)->attempt_key(st, user_id, key, cb, arg, d);
}

int
mb_store_course_cert_reserve(struct mb_store *st, int64_t user_id,
    const char *course, const char *id, int64_t *index, struct mb_diag *d)
{
	return OPS(st)->cert_reserve(st, user_id, course, id, index, d);
}

int
mb_store_course_cert_set(struct mb_store *st, int64_t index,
    const char *credential, struct mb_diag *d)
{
	return OPS(st)->cert_set(st, index, credential, d);
}

int
mb_store_course_cert_revoke(struct mb_store *st, const char *id,
    struct mb_diag *d)
{
	return OPS(st)->cert_revoke(st, id, d);
}

int
mb_store_course_certs(struct mb_store *st, const char *id, int64_t user_id,
    const char *course,
    int (*cb)(const struct mb_course_cert *c, void *arg), void *arg,
    struct mb_diag *d)
{
	return OPS(st)->certs(st, id, user_id, course, cb, arg, d);
}

int
mb_store_course_setting_set(struct mb_store *st,
    const struct mb_course_setting *s, struct mb_diag *d)
{
	return OPS(st)->setting_set(st, s, d);
}

int
mb_store_course_setting_get(struct mb_store *st, const char *course,
    struct mb_course_setting *out, struct mb_diag *d)
{
	return OPS(st)->setting_get(st, course, out, d);
}

int
mb_store_course_invite_add(struct mb_store *st,
    const uint8_t hash[MB_COURSE_INVITE_HASH], struct mb_diag *d)
{
	return OPS(st)->invite_add(st, hash, d);
}

int
mb_store_course_invite_check(struct mb_store *st,
    const uint8_t hash[MB_COURSE_INVITE_HASH], struct mb_diag *d)
{
	return OPS(st)->invite_check(st, hash, d);
}

int
mb_store_course_invite_use(struct mb_store *st,
    const uint8_t hash[MB_COURSE_INVITE_HASH], int64_t user_id,
    struct mb_diag *d)
{
	return OPS(st)->invite_use(st, hash, user_id, d);
}
