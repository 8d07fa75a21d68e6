/* SPDX-License-Identifier: MIT */
/* Reading a course item: its facts and its steps in order. Pure: no I/O. */
#include "course.h"

#include <stdio.h>
#include <string.h>

static const char *
str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

const char *
mb_course_headline(const json_t *item)
{
	return str(json_array_get(json_object_get(item, "headlines"), 0),
	    "value");
}

static const char *
level_of(const json_t *item)
{
	const json_t	*g;
	size_t		 i;

	json_array_foreach(json_object_get(item, "genres"), i, g) {
		const char *u = str(g, "uri");

		if (u != NULL && strncmp(u, MB_COURSE_LEVEL_URI,
		    strlen(MB_COURSE_LEVEL_URI)) == 0 &&
		    u[strlen(MB_COURSE_LEVEL_URI)] != '\0')
			return u + strlen(MB_COURSE_LEVEL_URI);
	}
	return NULL;
}

int
mb_course_read(const json_t *item, struct mb_course_info *out,
    struct mb_diag *d)
{
	const json_t	*as, *a;
	const char	*profile = str(item, "profile");
	char		 c[MB_CENTER_MAX + 1], l[MB_LOCAL_MAX + 1];
	size_t		 i;

	memset(out, 0, sizeof(*out));
	if (profile == NULL || strcmp(profile, "course") != 0)
		return mb_diag_set(d, MB_ERR_INVAL, "profile: not a course");
	out->uri = str(item, "uri");
	if ((out->title = mb_course_headline(item)) == NULL)
		return mb_diag_set(d, MB_ERR_INVAL, "headlines: a course needs "
		    "a title");
	out->description = str(json_array_get(json_object_get(item,
	    "descriptions"), 0), "value");
	out->language = str(item, "language");
	out->by = str(item, "by");
	out->level = level_of(item);
	as = json_object_get(item, "associations");
	if (json_array_size(as) == 0)
		return mb_diag_set(d, MB_ERR_INVAL, "associations: a course "
		    "needs at least one lesson or quiz");
	if (json_array_size(as) > MB_COURSE_MAX_STEPS)
		return mb_diag_set(d, MB_ERR_INVAL, "associations: at most %d "
		    "lessons and quizzes", MB_COURSE_MAX_STEPS);
	json_array_foreach(as, i, a) {
		struct mb_course_step_ref	*s = &out->step[i];
		const char			*rel = str(a, "rel");
		const char			*uri = str(a, "uri");

		if (rel != NULL && strcmp(rel, "lesson") == 0)
			s->kind = MB_STEP_LESSON;
		else if (rel != NULL && strcmp(rel, "quiz") == 0)
			s->kind = MB_STEP_QUIZ;
		else
			return mb_diag_set(d, MB_ERR_INVAL, "associations[%zu]"
			    ".rel: \"lesson\" or \"quiz\"", i);
		if (uri == NULL || mb_uri_parse(uri, c, l) != MB_OK)
			return mb_diag_set(d, MB_ERR_INVAL, "associations[%zu]"
			    ".uri: an item's urn:mediabridge: uri", i);
		for (size_t j = 0; j < i; j++)
			if (strcmp(out->step[j].uri, uri) == 0)
				return mb_diag_set(d, MB_ERR_INVAL,
				    "associations[%zu].uri: %s is already "
				    "step %zu", i, uri, j + 1);
		snprintf(s->uri, sizeof(s->uri), "%s", uri);
		s->module = str(a, "name");
		s->title = mb_course_headline(a);
		out->nsteps++;
	}
	return MB_OK;
}
