/* SPDX-License-Identifier: MIT */
/* The courses domain on SQLite: enrolments, progress, attempts, certificates, invitations. */
#include "sqlite_int.h"

#include <stdio.h>

#include "base/timeutil.h"
#include "store/courses_int.h"

const char *const mb_sqlite_courses_migrations[] = {
	/* 1 */
	"CREATE TABLE courses_enrolments ("
	"  user_id INTEGER NOT NULL REFERENCES users(id),"
	"  course TEXT NOT NULL,"
	"  state TEXT NOT NULL,"
	"  created_ms INTEGER NOT NULL,"
	"  updated_ms INTEGER NOT NULL,"
	"  PRIMARY KEY (user_id, course));"
	"CREATE INDEX courses_enrolments_course ON courses_enrolments(course);"
	"CREATE TABLE courses_steps ("
	"  user_id INTEGER NOT NULL REFERENCES users(id),"
	"  course TEXT NOT NULL,"
	"  module TEXT NOT NULL,"
	"  state TEXT NOT NULL,"
	"  updated_ms INTEGER NOT NULL,"
	"  PRIMARY KEY (user_id, course, module));"
	"CREATE INDEX courses_steps_course ON courses_steps(course);"
	"CREATE TABLE courses_attempts ("
	"  id INTEGER PRIMARY KEY,"
	"  user_id INTEGER NOT NULL REFERENCES users(id),"
	"  course TEXT NOT NULL,"
	"  quiz TEXT NOT NULL,"
	"  n INTEGER NOT NULL,"
	"  score INTEGER NOT NULL,"
	"  passed INTEGER NOT NULL,"
	"  answers TEXT NOT NULL,"
	"  key TEXT,"
	"  created_ms INTEGER NOT NULL,"
	"  UNIQUE (user_id, course, quiz, n));"
	"CREATE UNIQUE INDEX courses_attempts_key ON courses_attempts"
	"  (user_id, key) WHERE key IS NOT NULL;"
	"CREATE INDEX courses_attempts_course ON courses_attempts(course);"
	"CREATE TABLE courses_certificates ("
	"  idx INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  id TEXT NOT NULL UNIQUE,"
	"  user_id INTEGER NOT NULL REFERENCES users(id),"
	"  course TEXT NOT NULL,"
	"  credential TEXT,"
	"  revoked INTEGER NOT NULL DEFAULT 0,"
	"  created_ms INTEGER NOT NULL,"
	"  UNIQUE (user_id, course));"
	"CREATE TABLE courses_settings ("
	"  course TEXT PRIMARY KEY,"
	"  enrol TEXT NOT NULL,"
	"  code TEXT NOT NULL DEFAULT '');"
	"CREATE TABLE courses_invites ("
	"  hash BLOB PRIMARY KEY,"
	"  created_ms INTEGER NOT NULL,"
	"  used_by INTEGER REFERENCES users(id),"
	"  used_ms INTEGER);",
	NULL
};

static int
enrol(struct mb_store *st, int64_t user_id, const char *course,
    const char *state, struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int64_t			changed = 0, now = mb_time_now_ms();
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "INSERT INTO courses_enrolments "
	    "(user_id, course, state, created_ms, updated_ms) VALUES (?1, ?2, "
	    "?3, ?4, ?4) ON CONFLICT DO NOTHING", &r, "enrolment", d)) !=
	    MB_OK)
		return rc;
	sqlite3_bind_int64(r.s, 1, user_id);
	sqlite3_bind_text(r.s, 2, course, -1, SQLITE_STATIC);
	sqlite3_bind_text(r.s, 3, state, -1, SQLITE_STATIC);
	sqlite3_bind_int64(r.s, 4, now);
	if ((rc = mb_sqlite__done(&r, &changed, d)) != MB_OK)
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
	struct mb_sqlite_rows	r;
	int64_t			changed = 0;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "UPDATE courses_enrolments SET "
	    "state = ?3, updated_ms = ?4 WHERE user_id = ?1 AND course = ?2",
	    &r, "enrolment", d)) != MB_OK)
		return rc;
	sqlite3_bind_int64(r.s, 1, user_id);
	sqlite3_bind_text(r.s, 2, course, -1, SQLITE_STATIC);
	sqlite3_bind_text(r.s, 3, state, -1, SQLITE_STATIC);
	sqlite3_bind_int64(r.s, 4, mb_time_now_ms());
	if ((rc = mb_sqlite__done(&r, &changed, d)) != MB_OK)
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
	struct mb_sqlite_rows		r;
	struct mb_course_enrolment	e;
	int				rc;

	if ((rc = mb_sqlite__query(SQ(st), "SELECT " MB_STORE_ENROL_COLS
	    " FROM courses_enrolments e JOIN users u ON u.id = e.user_id "
	    "WHERE (?1 IS NULL OR e.course = ?1) AND (?2 = 0 OR "
	    "e.user_id = ?2) ORDER BY e.course, u.name", &r, "enrolment",
	    d)) != MB_OK)
		return rc;
	mb_sqlite__bind_text(r.s, 1, course);
	sqlite3_bind_int64(r.s, 2, user_id);
	while (rc == MB_OK && mb_sqlite__next(&r, &mb_store__enrol_cols, &e))
		rc = cb(&e, arg);
	return mb_sqlite__end(&r, rc, d);
}

static int
step_set(struct mb_store *st, int64_t user_id, const char *course,
    const char *module, const char *state, struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "INSERT INTO courses_steps "
	    "(user_id, course, module, state, updated_ms) VALUES (?1, ?2, ?3, "
	    "?4, ?5) ON CONFLICT (user_id, course, module) DO UPDATE SET "
	    "state = CASE WHEN courses_steps.state = 'completed' THEN "
	    "'completed' ELSE excluded.state END, updated_ms = "
	    "excluded.updated_ms", &r, "progress", d)) != MB_OK)
		return rc;
	sqlite3_bind_int64(r.s, 1, user_id);
	sqlite3_bind_text(r.s, 2, course, -1, SQLITE_STATIC);
	sqlite3_bind_text(r.s, 3, module, -1, SQLITE_STATIC);
	sqlite3_bind_text(r.s, 4, state, -1, SQLITE_STATIC);
	sqlite3_bind_int64(r.s, 5, mb_time_now_ms());
	return mb_sqlite__done(&r, NULL, d);
}

static int
steps(struct mb_store *st, int64_t user_id, const char *course,
    int (*cb)(const struct mb_course_step *s, void *arg), void *arg,
    struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	struct mb_course_step	s;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "SELECT " MB_STORE_STEP_COLS
	    " FROM courses_steps WHERE course = ?1 AND (?2 = 0 OR user_id = "
	    "?2) ORDER BY user_id, module", &r, "progress", d)) != MB_OK)
		return rc;
	sqlite3_bind_text(r.s, 1, course, -1, SQLITE_STATIC);
	sqlite3_bind_int64(r.s, 2, user_id);
	while (rc == MB_OK && mb_sqlite__next(&r, &mb_store__step_cols, &s))
		rc = cb(&s, arg);
	return mb_sqlite__end(&r, rc, d);
}

/*
 * The attempt an offline upload's key made before, if any (*n 0: none;
 * *here: at the same course and quiz). A key is the learner's: the
 * unique index is (user_id, key), so one made at another quiz is found
 * too, and is not taken for this one's.
 */
static int
attempt_by_key(struct mb_sqlite *sq, const struct mb_course_attempt *a,
    int *n, bool *here, struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int			rc;

	*n = 0;
	*here = false;
	if ((rc = mb_sqlite__query(sq, "SELECT n, course = ?3 AND quiz = ?4 "
	    "FROM courses_attempts WHERE user_id = ?1 AND key = ?2", &r,
	    "attempt", d)) != MB_OK)
		return rc;
	sqlite3_bind_int64(r.s, 1, a->user_id);
	sqlite3_bind_text(r.s, 2, a->key, -1, SQLITE_STATIC);
	sqlite3_bind_text(r.s, 3, a->course, -1, SQLITE_STATIC);
	sqlite3_bind_text(r.s, 4, a->quiz, -1, SQLITE_STATIC);
	if (mb_sqlite__next(&r, NULL, NULL)) {
		*n = sqlite3_column_int(r.s, 0);
		*here = sqlite3_column_int(r.s, 1) != 0;
	}
	return mb_sqlite__end(&r, MB_OK, d);
}

static int
attempt_count(struct mb_sqlite *sq, const struct mb_course_attempt *a,
    int *count, bool *passed, struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int			rc;

	if ((rc = mb_sqlite__query(sq, "SELECT count(*), coalesce(max(passed), "
	    "0) FROM courses_attempts WHERE user_id = ?1 AND course = ?2 AND "
	    "quiz = ?3", &r, "attempt", d)) != MB_OK)
		return rc;
	sqlite3_bind_int64(r.s, 1, a->user_id);
	sqlite3_bind_text(r.s, 2, a->course, -1, SQLITE_STATIC);
	sqlite3_bind_text(r.s, 3, a->quiz, -1, SQLITE_STATIC);
	if (mb_sqlite__next(&r, NULL, NULL)) {
		*count = sqlite3_column_int(r.s, 0);
		*passed = sqlite3_column_int(r.s, 1) != 0;
	}
	return mb_sqlite__end(&r, MB_OK, d);
}

static int
attempt_add(struct mb_store *st, const struct mb_course_attempt *a,
    int max_attempts, int *n, struct mb_diag *d)
{
	struct mb_sqlite	*sq = SQ(st);
	struct mb_sqlite_rows	 r;
	bool			 keyed = a->key[0] != '\0', passed = false;
	bool			 here = false;
	int			 own, count = 0, prev = 0, rc;

	if ((rc = mb_sqlite__auto_begin(sq, &own, d)) != MB_OK)
		return rc;
	if (keyed && (rc = attempt_by_key(sq, a, &prev, &here, d)) != MB_OK)
		goto out;
	if (keyed && prev > 0 && here) {
		*n = prev;
		rc = mb_diag_set(d, MB_ERR_EXISTS, "this upload was recorded "
		    "before, as attempt %d", prev);
		goto out;
	}
	if (keyed && prev > 0) {
		rc = mb_diag_set(d, MB_ERR_EXISTS, "key: this upload's key "
		    "was used for another quiz");
		goto out;
	}
	if ((rc = attempt_count(sq, a, &count, &passed, d)) != MB_OK)
		goto out;
	if (passed) {
		rc = mb_diag_set(d, MB_ERR_EXISTS, "this quiz is closed: "
		    "already passed");
		goto out;
	}
	if (count >= max_attempts) {
		rc = mb_diag_set(d, MB_ERR_PERM, "no attempts left (%d of %d "
		    "made)", count, max_attempts);
		goto out;
	}
	if ((rc = mb_sqlite__query(sq, "INSERT INTO courses_attempts (user_id, "
	    "course, quiz, n, score, passed, answers, key, created_ms) VALUES "
	    "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", &r, "attempt", d)) !=
	    MB_OK)
		goto out;
	sqlite3_bind_int64(r.s, 1, a->user_id);
	sqlite3_bind_text(r.s, 2, a->course, -1, SQLITE_STATIC);
	sqlite3_bind_text(r.s, 3, a->quiz, -1, SQLITE_STATIC);
	sqlite3_bind_int(r.s, 4, count + 1);
	sqlite3_bind_int(r.s, 5, a->score);
	sqlite3_bind_int(r.s, 6, a->passed);
	sqlite3_bind_text(r.s, 7, a->answers != NULL ? a->answers : "{}", -1,
	    SQLITE_STATIC);
	mb_sqlite__bind_text(r.s, 8, keyed ? a->key : NULL);
	sqlite3_bind_int64(r.s, 9, a->created_ms > 0 ? a->created_ms :
	    mb_time_now_ms());
	if ((rc = mb_sqlite__done(&r, NULL, d)) == MB_OK)
		*n = count + 1;
out:
	/* A refusal changes nothing; it is not the transaction's failure. */
	if (own && rc != MB_OK) {
		mb_sqlite__auto_end(sq, own, MB_ERR_STORE, NULL);
		return rc;
	}
	return mb_sqlite__auto_end(sq, own, rc, d);
}

static int
attempts(struct mb_store *st, int64_t user_id, const char *course,
    const char *quiz,
    int (*cb)(const struct mb_course_attempt *a, void *arg), void *arg,
    struct mb_diag *d)
{
	struct mb_sqlite_rows		r;
	struct mb_course_attempt	a;
	int				rc;

	if ((rc = mb_sqlite__query(SQ(st), "SELECT " MB_STORE_ATTEMPT_COLS
	    " FROM courses_attempts WHERE course = ?1 AND (?2 = 0 OR "
	    "user_id = ?2) AND (?3 IS NULL OR quiz = ?3) ORDER BY user_id, "
	    "quiz, n", &r, "attempt", d)) != MB_OK)
		return rc;
	sqlite3_bind_text(r.s, 1, course, -1, SQLITE_STATIC);
	sqlite3_bind_int64(r.s, 2, user_id);
	mb_sqlite__bind_text(r.s, 3, quiz);
	while (rc == MB_OK && mb_sqlite__next(&r, &mb_store__attempt_cols, &a))
		rc = cb(&a, arg);
	return mb_sqlite__end(&r, rc, d);
}

static int
attempt_key(struct mb_store *st, int64_t user_id, const char *key,
    int (*cb)(const struct mb_course_attempt *a, void *arg), void *arg,
    struct mb_diag *d)
{
	struct mb_sqlite_rows		r;
	struct mb_course_attempt	a;
	int				rc;

	if ((rc = mb_sqlite__query(SQ(st), "SELECT " MB_STORE_ATTEMPT_COLS
	    " FROM courses_attempts WHERE user_id = ?1 AND key = ?2", &r,
	    "attempt", d)) != MB_OK)
		return rc;
	sqlite3_bind_int64(r.s, 1, user_id);
	sqlite3_bind_text(r.s, 2, key, -1, SQLITE_STATIC);
	while (rc == MB_OK && mb_sqlite__next(&r, &mb_store__attempt_cols, &a))
		rc = cb(&a, arg);
	return mb_sqlite__end(&r, rc, d);
}

static int
cert_reserve(struct mb_store *st, int64_t user_id, const char *course,
    const char *id, int64_t *index, struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int64_t			changed = 0;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "INSERT INTO courses_certificates "
	    "(id, user_id, course, created_ms) VALUES (?1, ?2, ?3, ?4) ON "
	    "CONFLICT (user_id, course) DO NOTHING", &r, "certificate", d)) !=
	    MB_OK)
		return rc;
	sqlite3_bind_text(r.s, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(r.s, 2, user_id);
	sqlite3_bind_text(r.s, 3, course, -1, SQLITE_STATIC);
	sqlite3_bind_int64(r.s, 4, mb_time_now_ms());
	if ((rc = mb_sqlite__done(&r, &changed, d)) != MB_OK)
		return rc;
	if (changed == 1) {
		*index = sqlite3_last_insert_rowid(SQ(st)->db);
		return MB_OK;
	}
	if ((rc = mb_sqlite__query(SQ(st), "SELECT idx FROM "
	    "courses_certificates WHERE user_id = ?1 AND course = ?2", &r,
	    "certificate", d)) != MB_OK)
		return rc;
	sqlite3_bind_int64(r.s, 1, user_id);
	sqlite3_bind_text(r.s, 2, course, -1, SQLITE_STATIC);
	if (mb_sqlite__next(&r, NULL, NULL)) {
		*index = sqlite3_column_int64(r.s, 0);
		rc = mb_diag_set(d, MB_ERR_EXISTS, "a certificate for this "
		    "course was issued already");
	}
	return mb_sqlite__end(&r, rc, d);
}

static int
cert_set(struct mb_store *st, int64_t index, const char *credential,
    struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int64_t			changed = 0;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "UPDATE courses_certificates SET "
	    "credential = ?2 WHERE idx = ?1", &r, "certificate", d)) != MB_OK)
		return rc;
	sqlite3_bind_int64(r.s, 1, index);
	sqlite3_bind_text(r.s, 2, credential, -1, SQLITE_STATIC);
	if ((rc = mb_sqlite__done(&r, &changed, d)) != MB_OK)
		return rc;
	return changed == 1 ? MB_OK : mb_diag_set(d, MB_ERR_NOTFOUND,
	    "certificate #%lld: not reserved", (long long)index);
}

static int
cert_revoke(struct mb_store *st, const char *id, struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int64_t			changed = 0;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "UPDATE courses_certificates SET "
	    "revoked = 1 WHERE id = ?1", &r, "certificate", d)) != MB_OK)
		return rc;
	sqlite3_bind_text(r.s, 1, id, -1, SQLITE_STATIC);
	if ((rc = mb_sqlite__done(&r, &changed, d)) != MB_OK)
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
	struct mb_sqlite_rows	r;
	struct mb_course_cert	c;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "SELECT " MB_STORE_CERT_COLS
	    " FROM courses_certificates c JOIN users u ON u.id = c.user_id "
	    "WHERE (?1 IS NULL OR c.id = ?1) AND (?2 = 0 OR c.user_id = ?2) "
	    "AND (?3 IS NULL OR c.course = ?3) ORDER BY c.idx", &r,
	    "certificate", d)) != MB_OK)
		return rc;
	mb_sqlite__bind_text(r.s, 1, id);
	sqlite3_bind_int64(r.s, 2, user_id);
	mb_sqlite__bind_text(r.s, 3, course);
	while (rc == MB_OK && mb_sqlite__next(&r, &mb_store__cert_cols, &c))
		rc = cb(&c, arg);
	return mb_sqlite__end(&r, rc, d);
}

static int
setting_set(struct mb_store *st, const struct mb_course_setting *s,
    struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "INSERT INTO courses_settings "
	    "(course, enrol, code) VALUES (?1, ?2, ?3) ON CONFLICT (course) "
	    "DO UPDATE SET enrol = excluded.enrol, code = excluded.code", &r,
	    "course setting", d)) != MB_OK)
		return rc;
	sqlite3_bind_text(r.s, 1, s->course, -1, SQLITE_STATIC);
	sqlite3_bind_text(r.s, 2, s->enrol, -1, SQLITE_STATIC);
	sqlite3_bind_text(r.s, 3, s->code, -1, SQLITE_STATIC);
	return mb_sqlite__done(&r, NULL, d);
}

static int
setting_get(struct mb_store *st, const char *course,
    struct mb_course_setting *out, struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "SELECT " MB_STORE_SETTING_COLS
	    " FROM courses_settings WHERE course = ?1", &r, "course setting",
	    d)) != MB_OK)
		return rc;
	sqlite3_bind_text(r.s, 1, course, -1, SQLITE_STATIC);
	if ((rc = mb_sqlite__one(&r, &mb_store__setting_cols, out, d)) ==
	    MB_ERR_NOTFOUND)
		return mb_diag_set(d, rc, "%s: no enrolment setting", course);
	return rc;
}

static int
invite_add(struct mb_store *st, const uint8_t hash[MB_COURSE_INVITE_HASH],
    struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "INSERT INTO courses_invites "
	    "(hash, created_ms) VALUES (?1, ?2)", &r, "invitation", d)) !=
	    MB_OK)
		return rc;
	sqlite3_bind_blob(r.s, 1, hash, MB_COURSE_INVITE_HASH, SQLITE_STATIC);
	sqlite3_bind_int64(r.s, 2, mb_time_now_ms());
	return mb_sqlite__done(&r, NULL, d);
}

/* Why a code cannot be used: MB_ERR_EXISTS used, MB_ERR_NOTFOUND unknown. */
static int
invite_unusable(struct mb_store *st, const uint8_t hash[MB_COURSE_INVITE_HASH],
    struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "SELECT 1 FROM courses_invites "
	    "WHERE hash = ?1", &r, "invitation", d)) != MB_OK)
		return rc;
	sqlite3_bind_blob(r.s, 1, hash, MB_COURSE_INVITE_HASH, SQLITE_STATIC);
	rc = mb_sqlite__next(&r, NULL, NULL) ?
	    mb_diag_set(d, MB_ERR_EXISTS, "this invitation code was used "
	    "already") : mb_diag_set(d, MB_ERR_NOTFOUND, "no such invitation "
	    "code");
	mb_sqlite__end(&r, MB_OK, NULL);
	return rc;
}

static int
invite_use(struct mb_store *st, const uint8_t hash[MB_COURSE_INVITE_HASH],
    int64_t user_id, struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int64_t			changed = 0;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "UPDATE courses_invites SET "
	    "used_by = ?2, used_ms = ?3 WHERE hash = ?1 AND used_by IS NULL",
	    &r, "invitation", d)) != MB_OK)
		return rc;
	sqlite3_bind_blob(r.s, 1, hash, MB_COURSE_INVITE_HASH, SQLITE_STATIC);
	sqlite3_bind_int64(r.s, 2, user_id);
	sqlite3_bind_int64(r.s, 3, mb_time_now_ms());
	if ((rc = mb_sqlite__done(&r, &changed, d)) != MB_OK)
		return rc;
	if (changed == 1)
		return MB_OK;
	return invite_unusable(st, hash, d);
}

static int
invite_check(struct mb_store *st, const uint8_t hash[MB_COURSE_INVITE_HASH],
    struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	bool			free_;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "SELECT 1 FROM courses_invites "
	    "WHERE hash = ?1 AND used_by IS NULL", &r, "invitation", d)) !=
	    MB_OK)
		return rc;
	sqlite3_bind_blob(r.s, 1, hash, MB_COURSE_INVITE_HASH, SQLITE_STATIC);
	free_ = mb_sqlite__next(&r, NULL, NULL);
	mb_sqlite__end(&r, MB_OK, NULL);
	return free_ ? MB_OK : invite_unusable(st, hash, d);
}

const struct mb_store_courses_ops mb_sqlite_courses = {
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
