/* SPDX-License-Identifier: MIT */
/* Private to src/courses: what the service's files share. */
#ifndef MB_COURSES_COURSES_INT_H
#define MB_COURSES_COURSES_INT_H

#include "base/buf.h"
#include "courses/courses.h"

/* MB_OK when the actor may read the course's steps: staff, or enrolled. */
int mb_courses__may_read(const struct mb_courses_env *e,
    const struct mb_actor *a, const struct mb_course *c, struct mb_diag *d);

/*
 * A step's stored envelope (*env, NUL-terminated, the caller's) and its
 * item (*item, a new reference), recording nothing: published, usable,
 * its profile the one its rel names, and a lesson in one of a's
 * audiences (a quiz: public or network). MB_ERR_NOTFOUND when this
 * center does not hold it or a may not have it.
 */
int mb_courses__step_raw(const struct mb_courses_env *e,
    const struct mb_actor *a, const struct mb_course *c, int step, char **env, size_t *len,
    json_t **item, struct mb_diag *d);

/* ---- Packages (package.c, package_quiz.c) ---- */

/* s escaped for HTML text and attribute values. */
void mb_courses__esc(struct mb_buf *b, const char *s);

/* The CSP source of the quiz page's script: "sha256-<base64>". */
#define MB_PACKAGE_SCRIPT_HASH_LEN 64
void mb_courses__package_csp_script(char out[MB_PACKAGE_SCRIPT_HASH_LEN]);

/*
 * The body of step i's page when it is a quiz: its questions in a form
 * whose answers the script keeps in the page's storage, and the link
 * that sends them to the quiz at center_url once online.
 */
int mb_courses__package_quiz(struct mb_buf *b, const struct mb_course *c,
    int i, const json_t *item, const char *center_url, struct mb_diag *d);

#endif
