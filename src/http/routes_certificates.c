/* SPDX-License-Identifier: MIT */
/* Certificates of courses: the printable page with its QR code, the credential, verifying one, the status list. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/timeutil.h"
#include "courses/courses.h"
#include "http_int.h"
#include "signed/credential.h"
#include "signed/qr.h"
#include "site_int.h"

/*
 * A certificate is named by its id's UUID (urn:uuid:<uuid>): unguessable,
 * so its page shows the learner's name only to whoever the learner gave
 * the link or the printout. The QR code leads to /verify/<uuid>, which
 * checks the stored credential's proof with this center's key and its
 * bit in the status list, as any verifier would, here.
 */

static bool
uuid_ok(const char *s)
{
	if (s == NULL || strlen(s) != 36)
		return false;
	for (int i = 0; i < 36; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;

		if (dash ? s[i] != '-' : !((s[i] >= '0' && s[i] <= '9') ||
		    (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	}
	return true;
}

/* The stored certificate of the request's :id, or an answer given. */
static int
load(struct mb_req *r, struct mb_courses_env *e, char **text, bool *revoked,
    struct mb_diag *d)
{
	const char	*uuid = mb_req_param(r, "id");
	char		 id[64];

	if ((e->st = mb_req_store_or_reply(r)) == NULL)
		return MB_ERR_AGAIN;
	e->node = mb_req_node(r);
	if (!uuid_ok(uuid))
		return mb_diag_set(d, MB_ERR_NOTFOUND, "no such certificate");
	snprintf(id, sizeof(id), "urn:uuid:%s", uuid);
	return mb_courses_certificate(e, id, text, revoked, NULL, d);
}

/* Checks text as a verifier would: proof, dates, status list. */
static int
verify(const struct mb_courses_env *e, const char *text, json_t **doc,
    struct mb_credential_facts *f, enum mb_verdict *why, struct mb_diag *d)
{
	struct mb_credential_check	 c;
	struct mb_status_list		*sl = NULL;
	json_t				*list = NULL;
	char				*ltext = NULL;
	int				 rc;

	if ((rc = mb_courses_status_list(e, &list, d)) != MB_OK ||
	    (rc = mb_credential_text(list, &ltext)) != MB_OK ||
	    (rc = mb_status_list_load(ltext, strlen(ltext), e->node->pk, 0,
	    &sl, why, d)) != MB_OK)
		goto out;
	memset(&c, 0, sizeof(c));
	c.pk = e->node->pk;
	c.status = sl;
	rc = mb_credential_verify_text(text, strlen(text), &c, doc, f, why, d);
out:
	mb_status_list_free(sl);
	free(ltext);
	json_decref(list);
	return rc;
}

static void
page(struct mb_req *r, bool verifying)
{
	struct mb_courses_env		 e;
	struct mb_credential_facts	 f;
	struct mb_page			 p;
	struct mb_diag			 d = { "" };
	struct mb_buf			 qr = MB_BUF_INIT;
	enum mb_verdict			 why = MB_VERDICT_MALFORMED;
	struct mb_tval			*m;
	const char			*lang = mb_req_param(r, "lang");
	char				*text = NULL, url[400], rest[120];
	json_t				*doc = NULL;
	bool				 revoked = false;
	int				 rc, vrc;

	if ((rc = load(r, &e, &text, &revoked, &d)) == MB_ERR_AGAIN)
		return;
	if (rc != MB_OK) {
		if (!mb_site_not_found(r))
			mb_resp_err(r, rc, &d);
		return;
	}
	memset(&f, 0, sizeof(f));
	vrc = verify(&e, text, &doc, &f, &why, &d);
	snprintf(rest, sizeof(rest), "/%s/%s", verifying ? "verify" :
	    "certificates", mb_req_param(r, "id"));
	if (!mb_page_begin(&p, r, lang, verifying ? rest : rest))
		goto out;
	mb_resp_private(r);
	m = mb_tv_map(p.td, p.root, "cert");
	mb_tv_str(p.td, mb_tv_map(p.td, p.root, "page"), "title",
	    f.achievement_name != NULL ? f.achievement_name :
	    mb_page_msg(&p, "courses.certificate"));
	mb_tv_str(p.td, m, "id", f.id);
	mb_tv_str(p.td, m, "name", f.subject_name);
	mb_tv_str(p.td, m, "course", f.achievement_name);
	mb_tv_str(p.td, m, "course_id", f.achievement_id);
	mb_tv_str(p.td, m, "issuer", f.issuer_name);
	mb_tv_str(p.td, m, "from", f.valid_from);
	if (f.valid_from != NULL) {
		int64_t ms;

		if (mb_time_parse(f.valid_from, &ms) == MB_OK)
			mb_page_date(&p, m, "date", ms);
	}
	mb_tv_str(p.td, m, "method", f.verification_method);
	mb_tv_bool(p.td, m, "valid", vrc == MB_OK);
	mb_tv_bool(p.td, m, "revoked", why == MB_VERDICT_REVOKED);
	mb_tv_str(p.td, m, "verdict", vrc == MB_OK ? "valid" :
	    mb_verdict_str(why));
	mb_tv_printf(p.td, m, "json", "/certificates/%s/credential.json",
	    mb_req_param(r, "id"));
	mb_tv_printf(p.td, m, "verify", "/verify/%s", mb_req_param(r, "id"));
	{
		const char	*base = e.node->conf.url;
		size_t		 n = strlen(base);

		while (n > 0 && base[n - 1] == '/')
			n--;
		snprintf(url, sizeof(url), "%.*s/verify/%s", (int)n, base,
		    mb_req_param(r, "id"));
	}
	mb_tv_str(p.td, m, "verify_url", url);
	if (mb_qr_svg(url, mb_page_msg(&p, "courses.qr"), &qr, &d) == MB_OK)
		mb_tv_html(p.td, m, "qr", mb_buf_cstr(&qr));
	mb_tv_bool(p.td, p.root, "verifying", verifying);
	mb_page_finish(&p, 200, "certificate.html");
out:
	mb_buf_free(&qr);
	json_decref(doc);
	free(text);
}

static void
certificate_page(struct mb_req *r)
{
	page(r, false);
}

static void
verify_page(struct mb_req *r)
{
	page(r, true);
}

static void
credential_json(struct mb_req *r)
{
	struct mb_courses_env	 e;
	struct mb_diag		 d = { "" };
	char			*text = NULL;
	bool			 revoked;
	int			 rc;

	mb_resp_private(r);
	if ((rc = load(r, &e, &text, &revoked, &d)) == MB_ERR_AGAIN)
		return;
	if (rc != MB_OK) {
		mb_resp_err(r, rc, &d);
		return;
	}
	mb_resp_take(r, 200, "application/vc+ld+json", text, strlen(text));
}

static void
status_list(struct mb_req *r)
{
	struct mb_courses_env	 e;
	struct mb_diag		 d = { "" };
	json_t			*list = NULL;
	char			*text = NULL;
	int			 rc;

	if ((e.st = mb_req_store_or_reply(r)) == NULL)
		return;
	e.node = mb_req_node(r);
	if ((rc = mb_courses_status_list(&e, &list, &d)) != MB_OK ||
	    (rc = mb_credential_text(list, &text)) != MB_OK) {
		json_decref(list);
		mb_resp_err(r, rc, &d);
		return;
	}
	json_decref(list);
	/* A revocation shows within a minute, and verifiers may keep it. */
	mb_resp_header(r, "Cache-Control", "public, max-age=60");
	mb_resp_take(r, 200, "application/vc+ld+json", text, strlen(text));
}

const struct mb_route mb_routes_certificates[] = {
	{ "GET", "/:lang/certificates/:id", certificate_page, 0,
	  "courses.certificate" },
	{ "GET", "/certificates/:id/credential.json", credential_json, 0,
	  "courses.credential" },
	{ "GET", "/verify/:id", verify_page, 0, "courses.verify" },
	{ "GET", "/courses/status", status_list, 0, "courses.status" },
	MB_ROUTES_END
};
