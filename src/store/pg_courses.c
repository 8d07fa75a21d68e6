/* SPDX-License-Identifier: MIT */
/* The courses domain on PostgreSQL: enrolments, progress, attempts, certificates, invitations. */
#include "pg_int.h"

#include "base/timeutil.h"
#include "store/courses_int.h"

const char *const mb_pg_courses_migrations[] = {
	/* 1 */
	"CREATE TABLE courses_enrolments ("
	"  user_id BIGINT NOT NULL REFERENCES users(id),"
	"  course TEXT NOT NULL,"
	"  state TEXT NOT NULL,"
	"  created_ms BIGINT NOT NULL,"
	"  updated_ms BIGINT NOT NULL,"
	"  PRIMARY KEY (user_id, course));"
	"CREATE INDEX courses_enrolments_course ON courses_enrolments(course);"
	"CREATE TABLE courses_steps ("
	"  user_id BIGINT NOT NULL REFERENCES users(id),"
	"  course TEXT NOT NULL,"
	"  module TEXT NOT NULL,"
	"  state TEXT NOT NULL,"
	"  updated_ms BIGINT NOT NULL,"
	"  PRIMARY KEY (user_id, course, module));"
	"CREATE INDEX courses_steps_course ON courses_steps(course);"
	"CREATE TABLE courses_attempts ("
	"  id BIGSERIAL PRIMARY KEY,"
	"  user_id BIGINT NOT NULL REFERENCES users(id),"
	"  course TEXT NOT NULL,"
	"  quiz TEXT NOT NULL,"
	"  n BIGINT NOT NULL,"
	"  score BIGINT NOT NULL,"
	"  passed BOOLEAN NOT NULL,"
	"  answers TEXT NOT NULL,"
	"  key TEXT,"
	"  created_ms BIGINT NOT NULL,"
	"  UNIQUE (user_id, course, quiz, n));"
	"CREATE UNIQUE INDEX courses_attempts_key ON courses_attempts"
	"  (user_id, key) WHERE key IS NOT NULL;"
	"CREATE INDEX courses_attempts_course ON courses_attempts(course);"
	"CREATE TABLE courses_certificates ("
	"  idx BIGSERIAL PRIMARY KEY,"
	"  id TEXT NOT NULL UNIQUE,"
	"  user_id BIGINT NOT NULL REFERENCES users(id),"
	"  course TEXT NOT NULL,"
	"  credential TEXT,"
	"  revoked BOOLEAN NOT NULL DEFAULT false,"
	"  created_ms BIGINT NOT NULL,"
	"  UNIQUE (user_id, course));"
	"CREATE TABLE courses_settings ("
	"  course TEXT PRIMARY KEY,"
	"  enrol TEXT NOT NULL,"
	"  code TEXT NOT NULL DEFAULT '');"
	"CREATE TABLE courses_invites ("
	"  hash BYTEA PRIMARY KEY,"
	"  created_ms BIGINT NOT NULL,"
	"  used_by BIGINT REFERENCES users(id),"
	"  used_ms BIGINT);",
	NULL
};

/* Runs a change; *changed counts the rows it touched. */
static int
change(struct mb_store *st, const char *sql, const struct mb_pg_params *p,
    int64_t *changed, struct mb_diag *d)
{
	struct mb_pg_res	*r;
	int			 rc;

	if ((rc = mb_pg__run(PG(st), sql, p, false, &r, d)) != MB_OK)
		return rc;
	*changed = mb_pg__affected(r);
	mb_pg__free(r);
	return MB_OK;
}

static int
enrol(struct mb_store *st, int64_t user_id, const char *course,
    const char *state, struct mb_diag *d)
{
	struct mb_pg_params	p;
	int64_t			changed = 0;
	int			rc;

	p.n = 0;
	mb_pg__p_int(&p, user_id);
	mb_pg__p_text(&p, course);
	mb_pg__p_text(&p, state);
	mb_pg__p_int(&p, mb_time_now_ms());
	if ((rc = change(st, "INSERT INTO courses_enrolments (user_id, course, "
	    "state, created_ms, updated_ms) VALUES ($1, $2, $3, $4, $4) ON "
	    "CONFLICT DO NOTHING", &p, &changed, d)) != MB_OK)
		return rc;
	if (changed == 0)
		return mb_diag_set(d, MB_ERR_EXISTS, "already enrolled in %s",
		    course);
	return MB_OK;
}

static int
enrol_set(struct mb_store *st, int64_t user_id, const char *course,
    const char *state, struct mb_diag *d)
{
	struct mb_pg_params	p;
	int64_t			changed = 0;
	int			rc;

	p.n = 0;
	mb_pg__p_int(&p, user_id);
	mb_pg__p_text(&p, course);
	mb_pg__p_text(&p, state);
	mb_pg__p_int(&p, mb_time_now_ms());
	if ((rc = change(st, "UPDATE courses_enrolments SET state = $3, "
	    "updated_ms = $4 WHERE user_id = $1 AND course = $2", &p, &changed,
	    d)) != MB_OK)
		return rc;
	if (changed == 0)
		return mb_diag_set(d, MB_ERR_NOTFOUND, "not enrolled in %s",
		    course);
	return MB_OK;
}

static int
enrolments(struct mb_store *st, const char *course, int64_t user_id,
    int (*cb)(const struct mb_course_enrolment *e, void *arg), void *arg,
    struct mb_diag *d)
{
	struct mb_pg_params		p;
	struct mb_pg_rows		r;
	struct mb_course_enrolment	e;
	int				rc;

	p.n = 0;
	mb_pg__p_text(&p, course);
	mb_pg__p_int(&p, user_id);
	if ((rc = mb_pg__query(PG(st), "SELECT " MB_STORE_ENROL_COLS " FROM "
	    "courses_enrolments e JOIN users u ON u.id = e.user_id WHERE ($1 "
	    "IS NULL OR e.course = $1) AND ($2 = 0 OR e.user_id = $2) ORDER BY "
	    "e.course COLLATE \"C\", u.name COLLATE \"C\"", &p, false, &r,
	    d)) != MB_OK)
		return rc;
	while (rc == MB_OK && mb_pg__next(&r, &mb_store__enrol_cols, &e))
		rc = cb(&e, arg);
	return mb_pg__end(&r, rc);
}

static int
step_set(struct mb_store *st, int64_t user_id, const char *course,
    const char *module, const char *state, struct mb_diag *d)
{
	struct mb_pg_params p;

	p.n = 0;
	mb_pg__p_int(&p, user_id);
	mb_pg__p_text(&p, course);
	mb_pg__p_text(&p, module);
	mb_pg__p_text(&p, state);
	mb_pg__p_int(&p, mb_time_now_ms());
	return mb_pg__run(PG(st), "INSERT INTO courses_steps (user_id, course, "
	    "module, state, updated_ms) VALUES ($1, $2, $3, $4, $5) ON "
	    "CONFLICT (user_id, course, module) DO UPDATE SET state = CASE "
	    "WHEN courses_steps.state = 'completed' THEN 'completed' ELSE "
	    "excluded.state END, updated_ms = excluded.updated_ms", &p, false,
	    NULL, d);
}

static int
steps(struct mb_store *st, int64_t user_id, const char *course,
    int (*cb)(const struct mb_course_step *s, void *arg), void *arg,
    struct mb_diag *d)
{
	struct mb_pg_params	p;
	struct mb_pg_rows	r;
	struct mb_course_step	s;
	int			rc;

	p.n = 0;
	mb_pg__p_text(&p, course);
	mb_pg__p_int(&p, user_id);
	if ((rc = mb_pg__query(PG(st), "SELECT " MB_STORE_STEP_COLS " FROM "
	    "courses_steps WHERE course = $1 AND ($2 = 0 OR user_id = $2) "
	    "ORDER BY user_id, module COLLATE \"C\"", &p, false, &r, d)) !=
	    MB_OK)
		return rc;
	while (rc == MB_OK && mb_pg__next(&r, &mb_store__step_cols, &s))
		rc = cb(&s, arg);
	return mb_pg__end(&r, rc);
}

static int
attempt_check(struct mb_store *st, const struct mb_course_attempt *a,
    int max_attempts, int *n, int *count, struct mb_diag *d)
{
	struct mb_pg_params	p;
	struct mb_pg_rows	r;
	bool			passed = false;
	int			rc;

	/*
	 * The attempt an offline upload's key made before. A key is the
	 * learner's (the unique index is (user_id, key)): one made at
	 * another quiz is found too, and is not taken for this one's.
	 */
	if (a->key[0] != '\0') {
		p.n = 0;
		mb_pg__p_int(&p, a->user_id);
		mb_pg__p_text(&p, a->key);
		mb_pg__p_text(&p, a->course);
		mb_pg__p_text(&p, a->quiz);
		if ((rc = mb_pg__query(PG(st), "SELECT n, course = $3 AND "
		    "quiz = $4 FROM courses_attempts WHERE user_id = $1 AND "
		    "key = $2", &p, false, &r, d)) != MB_OK)
			return rc;
		if (mb_pg__next(&r, NULL, NULL)) {
			if (*mb_pg__str(r.res, r.row, 1) != 0) {
				*n = (int)mb_pg__i64(r.res, r.row, 0);
				rc = mb_diag_set(d, MB_ERR_EXISTS, "this "
				    "upload was recorded before, as attempt "
				    "%d", *n);
			} else
				rc = mb_diag_set(d, MB_ERR_EXISTS, "key: this "
				    "upload's key was used for another quiz");
		}
		if ((rc = mb_pg__end(&r, rc)) != MB_OK)
			return rc;
	}
	p.n = 0;
	mb_pg__p_int(&p, a->user_id);
	mb_pg__p_text(&p, a->course);
	mb_pg__p_text(&p, a->quiz);
	/* The learner's rows, locked: two tries at once count one by one. */
	if ((rc = mb_pg__query(PG(st), "SELECT n, passed FROM courses_attempts "
	    "WHERE user_id = $1 AND course = $2 AND quiz = $3 FOR UPDATE", &p,
	    false, &r, d)) != MB_OK)
		return rc;
	*count = 0;
	while (mb_pg__next(&r, NULL, NULL)) {
		(*count)++;
		if (*mb_pg__str(r.res, r.row, 1) != 0)
			passed = true;
	}
	mb_pg__end(&r, MB_OK);
	if (passed)
		return mb_diag_set(d, MB_ERR_EXISTS, "this quiz is closed: "
		    "already passed");
	if (*count >= max_attempts)
		return mb_diag_set(d, MB_ERR_PERM, "no attempts left (%d of %d "
		    "made)", *count, max_attempts);
	return MB_OK;
}

static int
attempt_add(struct mb_store *st, const struct mb_course_attempt *a,
    int max_attempts, int *n, struct mb_diag *d)
{
	struct mb_pg_params	p;
	bool			own = !mb_pg__in_txn(PG(st));
	int			count = 0, rc;

	if (own && (rc = mb_pg__begin_plain(PG(st), d)) != MB_OK)
		return rc;
	if ((rc = attempt_check(st, a, max_attempts, n, &count, d)) != MB_OK)
		goto out;
	p.n = 0;
	mb_pg__p_int(&p, a->user_id);
	mb_pg__p_text(&p, a->course);
	mb_pg__p_text(&p, a->quiz);
	mb_pg__p_int(&p, count + 1);
	mb_pg__p_int(&p, a->score);
	mb_pg__p_bool(&p, a->passed);
	mb_pg__p_text(&p, a->answers != NULL ? a->answers : "{}");
	mb_pg__p_text(&p, a->key[0] != '\0' ? a->key : NULL);
	mb_pg__p_int(&p, a->created_ms > 0 ? a->created_ms :
	    mb_time_now_ms());
	if ((rc = mb_pg__run(PG(st), "INSERT INTO courses_attempts (user_id, "
	    "course, quiz, n, score, passed, answers, key, created_ms) VALUES "
	    "($1, $2, $3, $4, $5, $6, $7, $8, $9)", &p, false, NULL, d)) ==
	    MB_OK)
		*n = count + 1;
out:
	if (!own)
		return rc;
	if (rc != MB_OK) {
		mb_pg__rollback(PG(st));
		return rc;
	}
	return mb_pg__commit(PG(st), d);
}

static int
attempts(struct mb_store *st, int64_t user_id, const char *course,
    const char *quiz,
    int (*cb)(const struct mb_course_attempt *a, void *arg), void *arg,
    struct mb_diag *d)
{
	struct mb_pg_params		p;
	struct mb_pg_rows		r;
	struct mb_course_attempt	a;
	int				rc;

	p.n = 0;
	mb_pg__p_text(&p, course);
	mb_pg__p_int(&p, user_id);
	mb_pg__p_text(&p, quiz);
	if ((rc = mb_pg__query(PG(st), "SELECT " MB_STORE_ATTEMPT_COLS " FROM "
	    "courses_attempts WHERE course = $1 AND ($2 = 0 OR user_id = $2) "
	    "AND ($3 IS NULL OR quiz = $3) ORDER BY user_id, quiz COLLATE "
	    "\"C\", n", &p, false, &r, d)) != MB_OK)
		return rc;
	while (rc == MB_OK && mb_pg__next(&r, &mb_store__attempt_cols, &a))
		rc = cb(&a, arg);
	return mb_pg__end(&r, rc);
}

static int
attempt_key(struct mb_store *st, int64_t user_id, const char *key,
    int (*cb)(const struct mb_course_attempt *a, void *arg), void *arg,
    struct mb_diag *d)
{
	struct mb_pg_params		p;
	struct mb_pg_rows		r;
	struct mb_course_attempt	a;
	int				rc;

	p.n = 0;
	mb_pg__p_int(&p, user_id);
	mb_pg__p_text(&p, key);
	if ((rc = mb_pg__query(PG(st), "SELECT " MB_STORE_ATTEMPT_COLS " FROM "
	    "courses_attempts WHERE user_id = $1 AND key = $2", &p, false, &r,
	    d)) != MB_OK)
		return rc;
	while (rc == MB_OK && mb_pg__next(&r, &mb_store__attempt_cols, &a))
		rc = cb(&a, arg);
	return mb_pg__end(&r, rc);
}

static int
cert_reserve(struct mb_store *st, int64_t user_id, const char *course,
    const char *id, int64_t *index, struct mb_diag *d)
{
	struct mb_pg_params	p;
	struct mb_pg_rows	r;
	int			rc;

	p.n = 0;
	mb_pg__p_text(&p, id);
	mb_pg__p_int(&p, user_id);
	mb_pg__p_text(&p, course);
	mb_pg__p_int(&p, mb_time_now_ms());
	if ((rc = mb_pg__query(PG(st), "INSERT INTO courses_certificates (id, "
	    "user_id, course, created_ms) VALUES ($1, $2, $3, $4) ON CONFLICT "
	    "(user_id, course) DO NOTHING RETURNING idx", &p, false, &r, d)) !=
	    MB_OK)
		return rc;
	if (mb_pg__next(&r, NULL, NULL)) {
		*index = mb_pg__i64(r.res, r.row, 0);
		return mb_pg__end(&r, MB_OK);
	}
	mb_pg__end(&r, MB_OK);
	p.n = 0;
	mb_pg__p_int(&p, user_id);
	mb_pg__p_text(&p, course);
	if ((rc = mb_pg__query(PG(st), "SELECT idx FROM courses_certificates "
	    "WHERE user_id = $1 AND course = $2", &p, false, &r, d)) != MB_OK)
		return rc;
	if (mb_pg__next(&r, NULL, NULL)) {
		*index = mb_pg__i64(r.res, r.row, 0);
		rc = mb_diag_set(d, MB_ERR_EXISTS, "a certificate for this "
		    "course was issued already");
	}
	return mb_pg__end(&r, rc);
}

static int
cert_set(struct mb_store *st, int64_t index, const char *credential,
    struct mb_diag *d)
{
	struct mb_pg_params	p;
	int64_t			changed = 0;
	int			rc;

	p.n = 0;
	mb_pg__p_int(&p, index);
	mb_pg__p_text(&p, credential);
	if ((rc = change(st, "UPDATE courses_certificates SET credential = $2 "
	    "WHERE idx = $1", &p, &changed, d)) != MB_OK)
		return rc;
	return changed == 1 ? MB_OK : mb_diag_set(d, MB_ERR_NOTFOUND,
	    "certificate #%lld: not reserved", (long long)index);
}

static int
cert_revoke(struct mb_store *st, const char *id, struct mb_diag *d)
{
	struct mb_pg_params	p;
	int64_t			changed = 0;
	int			rc;

	p.n = 0;
	mb_pg__p_text(&p, id);
	if ((rc = change(st, "UPDATE courses_certificates SET revoked = true "
	    "WHERE id = $1", &p, &changed, d)) != MB_OK)
		return rc;
	return changed == 1 ? MB_OK : mb_diag_set(d, MB_ERR_NOTFOUND,
	    "certificate %s: unknown here", id);
}

static int
certs(struct mb_store *st, const char *id, int64_t user_id,
    const char *course,
    int (*cb)(const struct mb_course_cert *c, void *arg), void *arg,
    struct mb_diag *d)
{
	struct mb_pg_params	p;
	struct mb_pg_rows	r;
	struct mb_course_cert	c;
	int			rc;

	p.n = 0;
	mb_pg__p_text(&p, id);
	mb_pg__p_int(&p, user_id);
	mb_pg__p_text(&p, course);
	if ((rc = mb_pg__query(PG(st), "SELECT " MB_STORE_CERT_COLS " FROM "
	    "courses_certificates c JOIN users u ON u.id = c.user_id WHERE ($1 "
	    "IS NULL OR c.id = $1) AND ($2 = 0 OR c.user_id = $2) AND ($3 IS "
	    "NULL OR c.course = $3) ORDER BY c.idx", &p, false, &r, d)) !=
	    MB_OK)
		return rc;
	while (rc == MB_OK && mb_pg__next(&r, &mb_store__cert_cols, &c))
		rc = cb(&c, arg);
	return mb_pg__end(&r, rc);
}

static int
setting_set(struct mb_store *st, const struct mb_course_setting *s,
    struct mb_diag *d)
{
	struct mb_pg_params p;

	p.n = 0;
	mb_pg__p_text(&p, s->course);
	mb_pg__p_text(&p, s->enrol);
	mb_pg__p_text(&p, s->code);
	return mb_pg__run(PG(st), "INSERT INTO courses_settings (course, "
	    "enrol, code) VALUES ($1, $2, $3) ON CONFLICT (course) DO UPDATE "
	    "SET enrol = excluded.enrol, code = excluded.code", &p, false,
	    NULL, d);
}

static int
setting_get(struct mb_store *st, const char *course,
    struct mb_course_setting *out, struct mb_diag *d)
{
	struct mb_pg_params	p;
	int			rc;

	p.n = 0;
	mb_pg__p_text(&p, course);
	if ((rc = mb_pg__one(PG(st), "SELECT " MB_STORE_SETTING_COLS " FROM "
	    "courses_settings WHERE course = $1", &p, false,
	    &mb_store__setting_cols, out, d)) == MB_ERR_NOTFOUND)
		return mb_diag_set(d, rc, "%s: no enrolment setting", course);
	return rc;
}

static int
invite_add(struct mb_store *st, const uint8_t hash[MB_COURSE_INVITE_HASH],
    struct mb_diag *d)
{
	struct mb_pg_params p;

	p.n = 0;
	mb_pg__p_bytes(&p, hash, MB_COURSE_INVITE_HASH);
	mb_pg__p_int(&p, mb_time_now_ms());
	return mb_pg__run(PG(st), "INSERT INTO courses_invites (hash, "
	    "created_ms) VALUES ($1, $2)", &p, false, NULL, d);
}

/* Why a code cannot be used: MB_ERR_EXISTS used, MB_ERR_NOTFOUND unknown. */
static int
invite_unusable(struct mb_store *st, const uint8_t hash[MB_COURSE_INVITE_HASH],
    struct mb_diag *d)
{
	struct mb_pg_params	p;
	struct mb_pg_rows	r;
	int			rc;

	p.n = 0;
	mb_pg__p_bytes(&p, hash, MB_COURSE_INVITE_HASH);
	if ((rc = mb_pg__query(PG(st), "SELECT 1 FROM courses_invites WHERE "
	    "hash = $1", &p, false, &r, d)) != MB_OK)
		return rc;
	rc = mb_pg__next(&r, NULL, NULL) ?
	    mb_diag_set(d, MB_ERR_EXISTS, "this invitation code was used "
	    "already") : mb_diag_set(d, MB_ERR_NOTFOUND, "no such invitation "
	    "code");
	mb_pg__end(&r, MB_OK);
	return rc;
}

static int
invite_use(struct mb_store *st, const uint8_t hash[MB_COURSE_INVITE_HASH],
    int64_t user_id, struct mb_diag *d)
{
	struct mb_pg_params	p;
	int64_t			changed = 0;
	int			rc;

	p.n = 0;
	mb_pg__p_bytes(&p, hash, MB_COURSE_INVITE_HASH);
	mb_pg__p_int(&p, user_id);
	mb_pg__p_int(&p, mb_time_now_ms());
	if ((rc = change(st, "UPDATE courses_invites SET used_by = $2, "
	    "used_ms = $3 WHERE hash = $1 AND used_by IS NULL", &p, &changed,
	    d)) != MB_OK)
		return rc;
	if (changed == 1)
		return MB_OK;
	return invite_unusable(st, hash, d);
}

static int
invite_check(struct mb_store *st, const uint8_t hash[MB_COURSE_INVITE_HASH],
    struct mb_diag *d)
{
	struct mb_pg_params	p;
	struct mb_pg_rows	r;
	bool			free_;
	int			rc;

	p.n = 0;
	mb_pg__p_bytes(&p, hash, MB_COURSE_INVITE_HASH);
	if ((rc = mb_pg__query(PG(st), "SELECT 1 FROM courses_invites WHERE "
	    "hash = $1 AND used_by IS NULL", &p, false, &r, d)) != MB_OK)
		return rc;
	free_ = mb_pg__next(&r, NULL, NULL);
	mb_pg__end(&r, MB_OK);
	return free_ ? MB_OK : invite_unusable(st, hash, d);
}

const struct mb_store_courses_ops mb_pg_courses = {
	.enrol = enrol, .enrol_set = enrol_set, .enrolments = enrolments,
	.step_set = step_set, .steps = steps,
	.attempt_add = attempt_add, .attempts = attempts,
	.attempt_key = attempt_key,
	.cert_reserve = cert_reserve, .cert_set = cert_set,
	.cert_revoke = cert_revoke, .certs = certs,
	.setting_set = setting_set, .setting_get = setting_get,
	.invite_add = invite_add, .invite_check = invite_check,
	.invite_use = invite_use,
};
