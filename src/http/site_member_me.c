/* SPDX-License-Identifier: MIT */
/* A member's own profile on the site: what is shown, to whom, and the photo. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "form.h"
#include "http_int.h"
#include "members/members.h"
#include "site_members_int.h"
#include "store/members.h"

/*
 * /<lang>/members/me: a member signed in at their home center edits
 * their own record (not their category or account: an admin's) and
 * consents to what is shown by choosing the profile's audience —
 * everyone, the network's members, or this center only. The contact
 * fields are theirs to keep current and stay here whatever the choice.
 * Every rule is mb_members_update()'s and mb_members_set_photo()'s; a
 * refusal shows the form again with the reason and nothing changed.
 */

static const char *const audiences[] = { "public", "network", "internal" };

static bool
me_or_reply(struct mb_req *r, const char *lang, struct mb_newsroom_env *e,
    struct mb_member *m)
{
	struct mb_actor	a;
	char		to[64];

	mb_req_actor(r, &a);
	if (a.user_id == 0) {
		snprintf(to, sizeof(to), "/%s/login?next=/%s/members/me", lang,
		    lang);
		mb_resp_see_other(r, to);
		return false;
	}
	if (!mb_req_newsroom_or_reply(r, e))
		return false;
	if (mb_members_of_actor(e, &a, m, NULL) != MB_OK) {
		mb_resp_private(r);
		mb_resp_error(r, 403, "forbidden", "only a member of this "
		    "center has a profile here");
		return false;
	}
	return true;
}

static void
me_page(struct mb_req *r, unsigned status, const char *error)
{
	const char		*lang = mb_mp_lang_or_404(r);
	struct mb_newsroom_env	 e;
	struct mb_member	*m;
	struct mb_page		 p;
	struct mb_tval		*f, *l;
	json_t			*bio, *prof = NULL;
	struct mb_actor		 a;
	const char		*s;

	if (lang == NULL || (m = malloc(sizeof(*m))) == NULL)
		return;
	if (!me_or_reply(r, lang, &e, m) ||
	    !mb_mp_begin(&p, r, lang, "/members/me", "mem.me")) {
		free(m);
		return;
	}
	mb_page_notice(&p, error, mb_req_query(r, "done") != NULL ?
	    "mem.saved" : NULL);
	f = mb_tv_map(p.td, p.root, "me");
	mb_tv_str(p.td, f, "name", m->name);
	mb_tv_str(p.td, f, "category", mb_mp_category(&p, m->category));
	mb_tv_str(p.td, f, "country", m->country);
	mb_tv_str(p.td, f, "languages", m->languages);
	mb_tv_str(p.td, f, "affiliation", m->affiliation);
	mb_tv_str(p.td, f, "email", m->email);
	mb_tv_str(p.td, f, "phone", m->phone);
	mb_tv_str(p.td, f, "biolang", lang);
	if ((bio = json_loads(m->bio, 0, NULL)) != NULL &&
	    (s = json_string_value(json_object_get(bio, lang))) != NULL)
		mb_tv_str(p.td, f, "bio", s);
	json_decref(bio);
	l = mb_tv_list(p.td, f, "audiences");
	for (size_t i = 0; i < sizeof(audiences) / sizeof(audiences[0]);
	    i++) {
		struct mb_tval	*o = mb_tv_map(p.td, l, NULL);
		char		 k[32];

		snprintf(k, sizeof(k), "nrm.aud.%s", audiences[i]);
		mb_tv_str(p.td, o, "code", audiences[i]);
		mb_tv_str(p.td, o, "name", mb_page_msg(&p, k));
		mb_tv_bool(p.td, o, "selected", strcmp(m->audience,
		    audiences[i]) == 0);
	}
	/* The published profile, with its photo, as others see it. */
	mb_req_actor(r, &a);
	if (mb_members_profile(&e, &a, m->uri, &prof, NULL) == MB_OK) {
		char c[MB_CENTER_MAX + 1], lo[MB_LOCAL_MAX + 1];

		if (mb_uri_parse(m->uri, c, lo) == MB_OK)
			mb_tv_printf(p.td, f, "url", "/%s/members/%s/%s", lang,
			    c, lo);
		if (json_is_object(json_object_get(prof, "photo"))) {
			json_t *it = json_pack("{s:[O]}", "associations",
			    json_object_get(prof, "photo"));

			if (it != NULL)
				mb_site_thumb(&p, f, it);
			json_decref(it);
		}
		json_decref(prof);
	}
	free(m);
	mb_page_finish(&p, status, "member_me.html");
}

static void
me_get(struct mb_req *r)
{
	me_page(r, 200, NULL);
}

static const char *
given(struct mb_req *r, const char *k)
{
	const char *v = mb_req_form(r, k);

	return v != NULL && v[0] != '\0' ? v : NULL;
}

static void
me_post(struct mb_req *r)
{
	const char		*lang = mb_mp_lang_or_404(r);
	const char		*bl = given(r, "bio_lang"), *bt;
	struct mb_newsroom_env	 e;
	struct mb_member_in	 in;
	struct mb_member	*m;
	struct mb_actor		 a;
	struct mb_diag		 d = { "" };
	json_t			*bio = NULL;
	char			 to[64];
	int			 rc;

	if (lang == NULL || (m = malloc(sizeof(*m))) == NULL)
		return;
	if (!me_or_reply(r, lang, &e, m)) {
		free(m);
		return;
	}
	mb_req_actor(r, &a);
	memset(&in, 0, sizeof(in));
	in.name = given(r, "name");
	in.languages = given(r, "languages");
	in.audience = given(r, "audience");
	/* Fields a member may empty: given as "" they are cleared. */
	in.affiliation = mb_req_form(r, "affiliation");
	in.email = mb_req_form(r, "email");
	in.phone = mb_req_form(r, "phone");
	/* The bio of one language, the others kept. */
	if ((bt = mb_req_form(r, "bio")) != NULL) {
		if ((bio = json_loads(m->bio, 0, NULL)) == NULL)
			bio = json_object();
		if (bt[0] != '\0')
			json_object_set_new(bio, bl != NULL ? bl : lang,
			    json_string(bt));
		else
			json_object_del(bio, bl != NULL ? bl : lang);
		in.bio = bio;
	}
	rc = mb_members_update(&e, &a, m->id, &in, NULL, &d);
	json_decref(bio);
	free(m);
	if (rc != MB_OK) {
		me_page(r, mb_newsroom_http_status(rc), mb_diag_msg(&d, rc));
		return;
	}
	snprintf(to, sizeof(to), "/%s/members/me?done=1", lang);
	mb_resp_see_other(r, to);
}

/* POST /<lang>/members/me/photo (multipart: file, caption). */
static void
me_photo(struct mb_req *r)
{
	const char		*lang = mb_mp_lang_or_404(r);
	const char		*caption = mb_req_form(r, "caption");
	const char		*data, *code, *long_;
	char			 msg[160];
	struct mb_newsroom_env	 e;
	struct mb_member	*m;
	struct mb_actor		 a;
	struct mb_diag		 d = { "" };
	json_t			*up = NULL;
	char			 to[64];
	size_t			 len;
	int64_t			 id;
	int			 rc;

	if (lang == NULL || (m = malloc(sizeof(*m))) == NULL)
		return;
	if (!me_or_reply(r, lang, &e, m)) {
		free(m);
		return;
	}
	id = m->id;
	free(m);
	mb_req_actor(r, &a);
	/* A field the form could not hold would read as missing. */
	if ((long_ = mb_req_form_too_long(r)) != NULL) {
		snprintf(msg, sizeof(msg), "%s: too long, at most %d bytes",
		    long_, MB_FORM_TEXT_MAX);
		me_page(r, 413, msg);
		return;
	}
	if (caption == NULL || caption[strspn(caption, " \t\r\n")] == '\0') {
		me_page(r, 422, "caption: describe the photo; it is also its "
		    "text for readers who cannot see it");
		return;
	}
	if (!mb_http_upload_bytes(r, &data, &len) || len == 0) {
		me_page(r, 400, "file: choose a picture to upload");
		return;
	}
	if ((rc = mb_http_media_ingest(r, e.st, data, len, &up, &d)) !=
	    MB_OK) {
		me_page(r, mb_http_upload_status(rc, &code), mb_diag_msg(&d,
		    rc));
		return;
	}
	rc = mb_members_set_photo(&e, &a, id, up, caption, &d);
	json_decref(up);
	if (rc != MB_OK) {
		me_page(r, mb_newsroom_http_status(rc), mb_diag_msg(&d, rc));
		return;
	}
	snprintf(to, sizeof(to), "/%s/members/me?done=1", lang);
	mb_resp_see_other(r, to);
}

const struct mb_route mb_routes_site_member_me[] = {
	{ "GET", "/:lang/members/me", me_get, 0, "site.member.me" },
	{ "POST", "/:lang/members/me", me_post, MB_ROUTE_FORM |
	  MB_ROUTE_ITEM, "site.member.me.save" },
	{ "POST", "/:lang/members/me/photo", me_photo, MB_ROUTE_RAW |
	  MB_ROUTE_FORM, "site.member.me.photo" },
	MB_ROUTES_END
};
