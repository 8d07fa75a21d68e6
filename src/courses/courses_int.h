/* SPDX-License-Identifier: MIT */
/* Private to src/courses: what the service's files share. */
#ifndef MB_COURSES_COURSES_INT_H
#define MB_COURSES_COURSES_INT_H

#include "courses/courses.h"

/* MB_OK when the actor may read the course's steps: staff, or enrolled. */
int mb_courses__may_read(const struct mb_courses_env *e,
    const struct mb_actor *a, const struct mb_course *c, struct mb_diag *d);

/*
 * A step's stored envelope (*env, NUL-terminated, the caller's) and its
 * item (*item, a new reference), read as a member would, recording
 * nothing. MB_ERR_NOTFOUND when this center does not hold it.
 */
int mb_courses__step_raw(const struct mb_courses_env *e,
    const struct mb_course *c, int step, char **env, size_t *len,
    json_t **item, struct mb_diag *d);

#endif
