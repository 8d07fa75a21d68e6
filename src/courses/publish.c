/* SPDX-License-Identifier: MIT */
/* Publishing a course: its items checked together, then signed and stored in one transaction. */
#include "courses.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "center/ingest.h"

#define PUBLISH_MAX 200

static const char *
str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* The profile of step uri when the document holds it. */
static int
step_profile(const json_t *items, const char *uri, char out[32])
{
	const json_t	*en;
	size_t		 i;

	json_array_foreach(items, i, en) {
		const json_t	*it = json_object_get(en, "item");
		const char	*u = str(it, "uri");

		if (u != NULL && strcmp(u, uri) == 0) {
			snprintf(out, 32, "%s", str(it, "profile") ?
			    str(it, "profile") : "");
			return MB_OK;
		}
	}
	return MB_ERR_NOTFOUND;
}

static int
profile_cb(const struct mb_store_version *v, void *arg)
{
	snprintf(arg, 32, "%s", v->profile != NULL ? v->profile : "");
	return MB_OK;
}

static int
check_entry(const struct mb_courses_env *e, const json_t *items, size_t i,
    const json_t *en, struct mb_diag *d)
{
	const json_t	*it = json_object_get(en, "item");
	const char	*profile, *aud = str(en, "audience");
	const char	*k;
	json_t		*v;
	int		 rc;

	if (!json_is_object(en))
		return mb_diag_set(d, MB_ERR_INVAL, "items[%zu]: an object is "
		    "required", i);
	json_object_foreach((json_t *)en, k, v) {
		(void)v;
		if (strcmp(k, "item") != 0 && strcmp(k, "audience") != 0 &&
		    strcmp(k, "translationOf") != 0)
			return mb_diag_set(d, MB_ERR_INVAL, "items[%zu]: unknown "
			    "member \"%.40s\"", i, k);
	}
	if (!json_is_object(it))
		return mb_diag_set(d, MB_ERR_INVAL, "items[%zu].item: a ninjs "
		    "item is required", i);
	if (aud != NULL && strcmp(aud, "public") != 0 && strcmp(aud,
	    "network") != 0)
		return mb_diag_set(d, MB_ERR_INVAL, "items[%zu].audience: "
		    "\"public\" or \"network\" (a course travels)", i);
	if (json_object_get(en, "translationOf") != NULL &&
	    str(en, "translationOf") == NULL)
		return mb_diag_set(d, MB_ERR_INVAL, "items[%zu].translationOf: "
		    "a uri", i);
	profile = str(it, "profile");
	if (profile != NULL && strcmp(profile, "quiz") == 0) {
		struct mb_quiz *q = NULL;

		if ((rc = mb_quiz_from_item(it, &q, d)) != MB_OK) {
			mb_diag_prefix(d, "items[%zu]", i);
			return rc;
		}
		mb_quiz_free(q);
	} else if (profile != NULL && strcmp(profile, "course") == 0) {
		struct mb_course_info	*c = malloc(sizeof(*c));
		char			 p[32];

		if (c == NULL)
			return MB_ERR_NOMEM;
		if ((rc = mb_course_read(it, c, d)) != MB_OK) {
			free(c);
			mb_diag_prefix(d, "items[%zu].item", i);
			return rc;
		}
		for (int s = 0; s < c->nsteps && rc == MB_OK; s++) {
			const char *want = c->step[s].kind == MB_STEP_QUIZ ?
			    "quiz" : "lesson";

			if (step_profile(items, c->step[s].uri, p) !=
			    MB_OK && mb_store_get(e->st, c->step[s].uri, 0,
			    profile_cb, p, NULL) != MB_OK)
				rc = mb_diag_set(d, MB_ERR_INVAL, "items[%zu]."
				    "item.associations[%d]: %s is neither in "
				    "this document nor stored here", i, s,
				    c->step[s].uri);
			else if (strcmp(p, want) != 0)
				rc = mb_diag_set(d, MB_ERR_INVAL, "items[%zu]."
				    "item.associations[%d]: %s has profile "
				    "\"%s\", not \"%s\"", i, s, c->step[s].uri,
				    p, want);
		}
		free(c);
		return rc;
	} else if (profile == NULL || strcmp(profile, "lesson") != 0) {
		return mb_diag_set(d, MB_ERR_INVAL, "items[%zu].item.profile: "
		    "\"course\", \"lesson\" or \"quiz\"", i);
	}
	return MB_OK;
}

int
mb_courses_publish(const struct mb_courses_env *e, const struct mb_actor *a,
    struct mb_ingest *ig, const json_t *doc, int *n, struct mb_diag *d)
{
	const json_t		 *items = json_object_get(doc, "items"), *en;
	struct mb_prepared	**p = NULL;
	size_t			  i, count;
	int			  stored = 0, rc = MB_OK;

	if (a != NULL && mb_actor_role(a) < MB_ROLE_EDITOR)
		return mb_diag_set(d, MB_ERR_PERM, "only an editor publishes "
		    "courses");
	if (!json_is_object(doc) || json_object_size(doc) != 1 ||
	    !json_is_array(items) || json_array_size(items) == 0)
		return mb_diag_set(d, MB_ERR_INVAL, "a course document is "
		    "{\"items\": [...]}, with at least one item");
	if ((count = json_array_size(items)) > PUBLISH_MAX)
		return mb_diag_set(d, MB_ERR_TOOBIG, "items: at most %d",
		    PUBLISH_MAX);
	json_array_foreach(items, i, en)
		if ((rc = check_entry(e, items, i, en, d)) != MB_OK)
			return rc;
	if ((p = calloc(count, sizeof(*p))) == NULL)
		return MB_ERR_NOMEM;
	/* Signed first, all of them: a refusal stores nothing. */
	json_array_foreach(items, i, en) {
		struct mb_ingest_opts	 o;
		json_t			*tr = NULL;

		memset(&o, 0, sizeof(o));
		o.audience = str(en, "audience") ? str(en, "audience") :
		    "public";
		if (str(en, "translationOf") != NULL)
			tr = json_pack("{s:s, s:s}", "of", str(en,
			    "translationOf"), "by", "human");
		o.translation = tr;
		rc = mb_ingest_prepare(ig, json_deep_copy(json_object_get(en,
		    "item")), &o, &p[i], d);
		json_decref(tr);
		if (rc != MB_OK) {
			mb_diag_prefix(d, "items[%zu].item", i);
			goto out;
		}
	}
	if ((rc = mb_store_begin(e->st, d)) != MB_OK)
		goto out;
	for (i = 0; i < count; i++) {
		struct mb_ingest_result r;

		if ((rc = mb_ingest_commit(ig, e->st, p[i], true, &r, d)) !=
		    MB_OK) {
			mb_store_rollback(e->st);
			mb_diag_prefix(d, "items[%zu]", i);
			goto out;
		}
		if (!r.duplicate)
			stored++;
	}
	if ((rc = mb_store_commit(e->st, d)) != MB_OK)
		goto out;
	log_info("courses: published items=%zu stored=%d", count, stored);
	if (n != NULL)
		*n = stored;
out:
	for (i = 0; i < count; i++)
		mb_prepared_free(p[i]);
	free(p);
	return rc;
}
