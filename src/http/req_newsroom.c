/* SPDX-License-Identifier: MIT */
/*
 * The HTTP edge of the newsroom service: who is asking (the actor), the
 * service's environment for this request, If-Match as a precondition
 * (parsed in if_match.c), and a service failure as an HTTP answer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "courses/course.h"
#include "courses/quiz.h"
#include "events/events.h"
#include "http_int.h"

void
mb_req_actor(const struct mb_req *r, struct mb_actor *out)
{
	const struct mb_http_user *u = mb_req_user(r);

	out->user_id = u != NULL ? u->id : 0;
	out->name = u != NULL ? u->name : NULL;
	out->role = u != NULL ? u->role : MB_ROLE_NONE;
}

static void
saved(void *arg)
{
	mb_http_notify(arg);
}

/*
 * The rules of the profiles whose modules stand above the newsroom, on
 * every item the API and the browser newsroom create or edit: an event
 * as src/events reads it (its dates in order), a course and a quiz as
 * course publish checks them (src/courses' pure parsers). Without this
 * an item refused by those readers was signed and exchanged, and then
 * its page, calendar or course would not load anywhere.
 */
static int
profile_check(const json_t *item, struct mb_diag *d)
{
	const char	*profile = json_string_value(json_object_get(item,
			    "profile"));
	int		 rc;

	if (profile == NULL)
		return MB_OK;
	if (strcmp(profile, "event") == 0)
		return mb_event_check(item, d);
	if (strcmp(profile, "course") == 0) {
		struct mb_course_info *c;

		if ((c = malloc(sizeof(*c))) == NULL)
			return mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
		rc = mb_course_read(item, c, d);
		free(c);
		return rc;
	}
	if (strcmp(profile, "quiz") == 0) {
		struct mb_quiz *q = NULL;

		rc = mb_quiz_from_item(item, &q, d);
		mb_quiz_free(q);
		return rc;
	}
	return MB_OK;
}

bool
mb_req_newsroom_or_reply(struct mb_req *r, struct mb_newsroom_env *e)
{
	memset(e, 0, sizeof(*e));
	if ((e->st = mb_req_store_or_reply(r)) == NULL)
		return false;
	e->ing = mb_req_ingest(r);
	e->center = mb_req_node(r)->conf.id;
	e->saved = saved;
	e->saved_arg = mb_req_server(r);
	e->check = profile_check;
	return true;
}

int
mb_req_if_match(struct mb_req *r, struct mb_nr_precond *pre)
{
	int rc = mb_if_match_parse(mb_req_header(r, "If-Match"), pre);

	if (rc == -2)
		mb_resp_error(r, 400, "invalid", "If-Match: too many tags "
		    "(at most %d versions)", (int)(sizeof(pre->v) /
		    sizeof(pre->v[0])));
	else if (rc < 0)
		mb_resp_error(r, 400, "invalid", "If-Match: the ETag of the "
		    "item as GET sent it (or a list of them, or *)");
	return rc;
}

void
mb_resp_newsroom_fail(struct mb_req *r, int rc, const struct mb_nr_saved *s,
    const struct mb_diag *d)
{
	if (rc == MB_ERR_CONFLICT && s->current > 0) {
		char v[24], tag[40];

		snprintf(v, sizeof(v), "%lld", (long long)s->current);
		snprintf(tag, sizeof(tag), "\"%lld\"", (long long)s->current);
		mb_resp_header(r, "X-Current-Version", v);
		mb_resp_header(r, "ETag", tag);
		mb_resp_error(r, 412, "stale_version", "%s",
		    mb_diag_msg(d, rc));
		return;
	}
	/* Understood, but not to be published as it is. */
	if (s->code != NULL && strcmp(s->code, "no_alt") == 0) {
		mb_resp_error(r, 422, "no_alt", "%s", mb_diag_msg(d, rc));
		return;
	}
	if (rc == MB_ERR_EXISTS) {
		mb_resp_error(r, 409, s->code != NULL ? s->code : "exists",
		    "%s", mb_diag_msg(d, rc));
		return;
	}
	mb_resp_err(r, rc, d);
}

unsigned
mb_newsroom_http_status(int rc)
{
	switch (rc) {
	case MB_OK:
		return 200;
	case MB_ERR_INVAL:
	case MB_ERR_SIG:
	case MB_ERR_UNSUPPORTED:
		return 400;
	case MB_ERR_PERM:
		return 403;
	case MB_ERR_NOTFOUND:
		return 404;
	case MB_ERR_EXISTS:
		return 409;
	case MB_ERR_CONFLICT:
		return 412;
	case MB_ERR_TOOBIG:
		return 413;
	case MB_ERR_AGAIN:
	case MB_ERR_NOMEM:
		return 503;
	case MB_ERR_NOSPACE:
		return 507;
	default:
		return 500;
	}
}
