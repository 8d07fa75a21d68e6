/* SPDX-License-Identifier: MIT */
/* Certificates of completed courses: Open Badges 3.0 credentials, their revocation list. */
#include "courses.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "base/log.h"
#include "signed/credential.h"

/* Each bit of the list is a certificate's index; 131,072 hold a center's. */
#define STATUS_LENGTH MB_STATUS_LIST_MIN

void
mb_courses_status_url(const struct mb_courses_env *e, char *out, size_t n)
{
	const char	*url = e->node->conf.url;
	size_t		 len = strlen(url);

	while (len > 0 && url[len - 1] == '/')
		len--;
	snprintf(out, n, "%.*s/courses/status", (int)len, url);
}

/* A random (version 4) UUID as "urn:uuid:...". */
static void
uuid_urn(char out[64])
{
	uint8_t	u[16];

	randombytes_buf(u, sizeof(u));
	u[6] = (u[6] & 0x0f) | 0x40;
	u[8] = (u[8] & 0x3f) | 0x80;
	snprintf(out, 64, "urn:uuid:%02x%02x%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x-%02x%02x%02x%02x%02x%02x", u[0], u[1], u[2], u[3], u[4],
	    u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13], u[14],
	    u[15]);
}

struct found {
	char	 id[64];
	bool	 signed_;
	bool	 revoked;
	char	 user[64];
	char	*text;
};

static int
found_cb(const struct mb_course_cert *c, void *arg)
{
	struct found *f = arg;

	snprintf(f->id, sizeof(f->id), "%s", c->id);
	snprintf(f->user, sizeof(f->user), "%s", c->user);
	f->signed_ = c->credential != NULL;
	f->revoked = c->revoked;
	if (c->credential != NULL && (f->text = strdup(c->credential)) ==
	    NULL)
		return MB_ERR_NOMEM;
	return 1;
}

int
mb_courses_certify(const struct mb_courses_env *e, int64_t user_id,
    const char *user, const struct mb_course *c, char id[64],
    struct mb_diag *d)
{
	struct mb_badge	 b;
	struct found	 f;
	char		 fresh[64], status[300], criteria[512], *text = NULL;
	int64_t		 index = 0;
	json_t		*doc = NULL;
	int		 rc;

	uuid_urn(fresh);
	rc = mb_store_course_cert_reserve(e->st, user_id, c->info.uri, fresh,
	    &index, d);
	if (rc == MB_ERR_EXISTS) {
		memset(&f, 0, sizeof(f));
		if ((rc = mb_store_course_certs(e->st, NULL, user_id,
		    c->info.uri, found_cb, &f, d)) != MB_OK)
			return rc;
		free(f.text);
		snprintf(id, 64, "%s", f.id);
		if (f.signed_)
			return MB_OK;
		snprintf(fresh, sizeof(fresh), "%s", f.id);	/* finish it */
	} else if (rc != MB_OK) {
		return rc;
	}
	if (index < 0 || (uint64_t)index >= STATUS_LENGTH)
		return mb_diag_set(d, MB_ERR_TOOBIG, "this center's status "
		    "list is full (%u certificates)", STATUS_LENGTH);
	mb_courses_status_url(e, status, sizeof(status));
	snprintf(criteria, sizeof(criteria), "Completed every lesson and "
	    "passed every quiz of \"%.400s\".", c->info.title);
	memset(&b, 0, sizeof(b));
	b.id = fresh;
	b.name = c->info.title;
	b.description = c->info.description;
	b.issuer_name = e->node->conf.name;
	b.issuer_url = e->node->conf.url[0] ? e->node->conf.url : NULL;
	b.subject_name = user;
	b.achievement_id = c->info.uri;
	b.achievement_type = "Course";
	b.achievement_name = c->info.title;
	b.achievement_description = c->info.description != NULL ?
	    c->info.description : c->info.title;
	b.criteria_narrative = criteria;
	b.language = c->info.language;
	b.status_list = status;
	b.status_index = (uint64_t)index;
	if ((rc = mb_credential_issue(&b, e->node->key, &doc, d)) != MB_OK ||
	    (rc = mb_credential_text(doc, &text)) != MB_OK ||
	    (rc = mb_store_course_cert_set(e->st, index, text, d)) != MB_OK)
		goto out;
	snprintf(id, 64, "%s", fresh);
	log_info("courses: certificate id=%s user=%s course=%s index=%lld",
	    fresh, user, c->info.uri, (long long)index);
out:
	free(text);
	json_decref(doc);
	return rc;
}

int
mb_courses_certificate(const struct mb_courses_env *e, const char *id,
    char **text, bool *revoked, char user[64], struct mb_diag *d)
{
	struct found	f;
	int		rc;

	memset(&f, 0, sizeof(f));
	if ((rc = mb_store_course_certs(e->st, id, 0, NULL, found_cb, &f, d)) !=
	    MB_OK)
		return rc;
	if (!f.signed_) {
		free(f.text);
		return mb_diag_set(d, MB_ERR_NOTFOUND, "no certificate %s was "
		    "issued here", id);
	}
	*text = f.text;
	*revoked = f.revoked;
	if (user != NULL)
		snprintf(user, 64, "%s", f.user);
	return MB_OK;
}

int
mb_courses_revoke(const struct mb_courses_env *e, const struct mb_actor *a,
    const char *id, struct mb_diag *d)
{
	int rc;

	if (a != NULL && mb_actor_role(a) < MB_ROLE_EDITOR)
		return mb_diag_set(d, MB_ERR_PERM, "only an editor revokes "
		    "certificates");
	if ((rc = mb_store_course_cert_revoke(e->st, id, d)) == MB_OK)
		log_info("courses: certificate revoked id=%s", id);
	return rc;
}

struct revoked {
	uint64_t	*idx;
	size_t		 n, cap;
};

static int
revoked_cb(const struct mb_course_cert *c, void *arg)
{
	struct revoked *r = arg;

	if (!c->revoked)
		return MB_OK;
	if (r->n == r->cap) {
		size_t		 cap = r->cap ? r->cap * 2 : 64;
		uint64_t	*p = realloc(r->idx, cap * sizeof(*p));

		if (p == NULL)
			return MB_ERR_NOMEM;
		r->idx = p;
		r->cap = cap;
	}
	r->idx[r->n++] = (uint64_t)c->index;
	return MB_OK;
}

int
mb_courses_status_list(const struct mb_courses_env *e, json_t **out,
    struct mb_diag *d)
{
	struct mb_status_list_opts	o;
	struct revoked			r = { NULL, 0, 0 };
	char				url[300];
	int				rc;

	if ((rc = mb_store_course_certs(e->st, NULL, 0, NULL, revoked_cb, &r,
	    d)) != MB_OK)
		goto out;
	mb_courses_status_url(e, url, sizeof(url));
	memset(&o, 0, sizeof(o));
	o.id = url;
	o.issuer_name = e->node->conf.name;
	o.length = STATUS_LENGTH;
	rc = mb_status_list_issue(&o, r.idx, r.n, e->node->key, out, d);
out:
	free(r.idx);
	return rc;
}
