/* SPDX-License-Identifier: MIT */
/* A course as its item says: title, description, level, and its steps in order. */
#ifndef MB_COURSES_COURSE_H
#define MB_COURSES_COURSE_H

#include <stdbool.h>

#include <jansson.h>

#include "base/err.h"
#include "item/id.h"

/*
 * A course is a composite item with profile "course" (signed, exchanged
 * and translated like any item: a translation is another course item
 * with meta.translation.of). Its modules are its associations, in
 * order: each names its module ("name": "Module 1: Passwords"; steps
 * side by side with the same name form one module), says what it is
 * ("rel": "lesson" or "quiz") and points at the item ("uri"). A lesson
 * is a text, picture, video or audio item with profile "lesson"; a quiz
 * an item with profile "quiz" (quiz.h). The level is a genre whose uri
 * is "urn:mediabridge:level:<level>"; the authors are "by".
 */
#define MB_COURSE_MAX_STEPS 64
#define MB_COURSE_LEVEL_URI "urn:mediabridge:level:"

enum mb_step_kind { MB_STEP_LESSON, MB_STEP_QUIZ };

struct mb_course_step_ref {
	char			 uri[MB_URI_MAX];
	enum mb_step_kind	 kind;
	const char		*module;	/* borrowed from the item */
	const char		*title;		/* the association's headline,
						   or NULL */
};

/* Strings borrow from the item, which the caller keeps. */
struct mb_course_info {
	const char			*uri;
	const char			*title;
	const char			*description;	/* may be NULL */
	const char			*language;	/* may be NULL */
	const char			*level;		/* may be NULL */
	const char			*by;		/* may be NULL */
	int				 nsteps;
	struct mb_course_step_ref	 step[MB_COURSE_MAX_STEPS];
};

/*
 * Reads a course item (borrowed). MB_ERR_INVAL naming the field when it
 * is not a course (profile), has no headline, no steps or too many, a
 * step whose rel is neither lesson nor quiz or whose uri is not an
 * item's, or the same item twice.
 */
int mb_course_read(const json_t *item, struct mb_course_info *out,
    struct mb_diag *d);

/* The headline of an item (the first), or NULL. */
const char *mb_course_headline(const json_t *item);

#endif
