/* SPDX-License-Identifier: MIT */
/*
 * The HTTP edge of the newsroom service: who is asking (the actor), the
 * service's environment for this request, If-Match as a precondition
 * (RFC 9110 §13.1.1), and a service failure as an HTTP answer.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	return true;
}

/*
 * One entity-tag of If-Match: "N" or "N-gzip" (the tags this server
 * sends for an item's version N, identity or gzip-coded), or a bare N
 * as earlier clients sent. Weak tags never match (§13.1.1: strong
 * comparison). Returns the version, 0 for a tag that names none, -1 when
 * malformed; *next after it.
 */
static int64_t
one_tag(const char *s, const char **next)
{
	const char	*p = s, *end;
	char		*e;
	long long	 v;
	bool		 weak = false, quoted = false;

	if (strncmp(p, "W/", 2) == 0) {
		weak = true;
		p += 2;
	}
	if (*p == '"') {
		quoted = true;
		p++;
	}
	if (quoted) {
		if ((end = strchr(p, '"')) == NULL)
			return -1;
		*next = end + 1;
	} else {
		end = p + strcspn(p, ", \t");
		*next = end;
		if (weak)
			return -1;
	}
	for (const char *c = p; c < end; c++)
		if ((unsigned char)*c < 0x21 || *c == 0x7f ||
		    (!quoted && !isdigit((unsigned char)*c)))
			/* Unquoted, only a bare version is understood. */
			return -1;
	if (weak || end == p || !isdigit((unsigned char)*p))
		return 0;
	v = strtoll(p, &e, 10);
	if (v < 1)
		return 0;
	if (e == end || (quoted && (size_t)(end - e) == 5 &&
	    strncmp(e, "-gzip", 5) == 0))
		return v;
	return 0;
}

int
mb_if_match_parse(const char *h, struct mb_nr_precond *pre)
{
	const char *p = h, *next;

	memset(pre, 0, sizeof(*pre));
	if (h == NULL)
		return 1;
	while (*p == ' ' || *p == '\t')
		p++;
	if (strcmp(p, "*") == 0 || (p[0] == '*' && strspn(p + 1, " \t") ==
	    strlen(p + 1))) {
		pre->any = true;
		return 0;
	}
	for (;;) {
		int64_t v;

		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (*p == '\0')
			break;
		if ((v = one_tag(p, &next)) < 0)
			return -1;
		if (v > 0 && pre->n < (int)(sizeof(pre->v) / sizeof(pre->v[0])))
			pre->v[pre->n++] = v;
		p = next;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p != '\0' && *p != ',')
			return -1;
	}
	/* Tags that name no version here can never match: a stale 412. */
	if (pre->n == 0)
		pre->v[pre->n++] = -1;
	return 0;
}

int
mb_req_if_match(struct mb_req *r, struct mb_nr_precond *pre)
{
	int rc = mb_if_match_parse(mb_req_header(r, "If-Match"), pre);

	if (rc < 0)
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
	default:
		return 500;
	}
}
