/* SPDX-License-Identifier: MIT */
/* The courses' JSON API: a learner's quiz answers uploaded from an offline package. */
#include <stdlib.h>
#include <string.h>

#include "courses/courses.h"
#include "http_int.h"

/*
 * POST /api/v1/courses/<center>/<local>/steps/<n>/attempts
 * {"answers": {"q1": ["1"], ...}, "key": "<the offline attempt's id>"}
 *
 * Signed in (a bearer token or a session with its CSRF token). The key
 * makes the upload idempotent: the same key again with the same answers
 * answers 200 with the attempt it made the first time ("duplicate":
 * true: its score and pass, the attempts left now), never a second
 * attempt; the key again with other answers, or at another quiz, is 409
 * "key_reused". 201 with the grade; 403 not enrolled or no attempts
 * left; 409 "closed": the quiz was passed before; 400 bad answers.
 * Answers stay here: they are personal data and no door sends them
 * elsewhere.
 */
static void
upload(struct mb_req *r)
{
	struct mb_courses_env	 e;
	struct mb_course	*c = NULL;
	struct mb_quiz_result	 res;
	struct mb_actor		 a;
	struct mb_diag		 d = { "" };
	const char		*ns = mb_req_param(r, "n");
	char			 uri[MB_URI_MAX], *end;
	json_t			*body, *key;
	long			 n;
	int			 rc;

	mb_resp_private(r);
	memset(&res, 0, sizeof(res));
	if (mb_req_user(r) == NULL) {
		mb_resp_error(r, 401, "unauthorized", "sign in (a bearer token "
		    "or a session) to upload answers");
		return;
	}
	n = ns != NULL ? strtol(ns, &end, 10) : 0;
	if (ns == NULL || *end != '\0' || n < 1 || n > MB_COURSE_MAX_STEPS) {
		mb_resp_error(r, 404, "not_found", "no such step");
		return;
	}
	if ((body = mb_req_json_or_reply(r)) == NULL)
		return;
	key = json_object_get(body, "key");
	if (!json_is_object(json_object_get(body, "answers")) ||
	    (key != NULL && !json_is_string(key)) || json_object_size(body) !=
	    (key != NULL ? 2u : 1u)) {
		json_decref(body);
		mb_resp_error(r, 400, "invalid", "the body is {\"answers\": "
		    "{question id: [answers]}, \"key\": \"...\"}");
		return;
	}
	if ((e.st = mb_req_store_or_reply(r)) == NULL) {
		json_decref(body);
		return;
	}
	e.node = mb_req_node(r);
	mb_req_actor(r, &a);
	if ((rc = mb_uri_make(uri, sizeof(uri), mb_req_param(r, "center"),
	    mb_req_param(r, "local"))) != MB_OK)
		rc = mb_diag_set(&d, MB_ERR_NOTFOUND, "no such course");
	if (rc == MB_OK && (rc = mb_courses_get(&e, &a, uri, &c, &d)) ==
	    MB_OK)
		rc = mb_courses_quiz_submit(&e, &a, c, (int)n - 1,
		    json_object_get(body, "answers"), json_string_value(key),
		    &res, &d);
	json_decref(body);
	mb_course_free(c);
	if (rc != MB_OK) {
		mb_resp_newsroom_fail(r, rc, &(struct mb_nr_saved){ .code =
		    rc != MB_ERR_EXISTS ? NULL : res.key_reused ? "key_reused" :
		    "closed" }, &d);
		return;
	}
	mb_resp_json(r, res.duplicate ? 200 : 201, json_pack("{s:i, s:b, "
	    "s:i, s:i, s:b, s:b, s:s?}", "score", res.score, "passed",
	    res.passed, "attempt", res.attempt, "left", res.left, "completed",
	    res.completed, "duplicate", res.duplicate, "certificate",
	    res.certificate[0] ? res.certificate : NULL));
}

const struct mb_route mb_routes_api_courses[] = {
	{ "POST", "/api/v1/courses/:center/:local/steps/:n/attempts", upload,
	  MB_ROUTE_SMALL, "courses.upload" },
	MB_ROUTES_END
};
