/* SPDX-License-Identifier: MIT */
/* The newsroom's workflow moves on an item: submit, publish, embargo,
 * send back with a note, withhold, cancel; and picking up another
 * center's item. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "http_int.h"
#include "newsroom/derive.h"
#include "nr_form.h"
#include "nr_int.h"
#include "site_int.h"

/*
 * Picks up another center's item: a new draft here, crediting it, with
 * what travels with it (audience, embargo, rights: the service's rule,
 * newsroom/derive.h, the one a machine translation follows).
 */
static void
pickup(struct mb_req *r, const char *c, const char *l)
{
	struct mb_newsroom_env	 e;
	struct mb_actor		 a;
	struct mb_nr_saved	 sv;
	struct mb_diag		 d = { "" };
	char			 uri[MB_URI_MAX], name[128], to[200];
	int			 rc;

	if (mb_uri_make(uri, sizeof(uri), c, l) != MB_OK) {
		mb_nr_not_found(r);
		return;
	}
	if (!mb_req_newsroom_or_reply(r, &e))
		return;
	mb_req_actor(r, &a);
	mb_site_center_name(e.st, c, NULL, name, sizeof(name));
	rc = mb_newsroom_pickup(&e, &a, uri, name, &sv, &d);
	if (rc == MB_ERR_NOTFOUND) {
		mb_nr_not_found(r);
		return;
	}
	if (rc != MB_OK) {
		mb_nr_edit_page(r, mb_newsroom_http_status(rc), NULL, "form",
		    mb_diag_msg(&d, rc), false);
		return;
	}
	{
		char nc[MB_CENTER_MAX + 1], nl[MB_LOCAL_MAX + 1];

		if (mb_uri_parse(sv.uri, nc, nl) == MB_OK)
			snprintf(to, sizeof(to),
			    "/newsroom/items/%s/%s?done=pickedup", nc, nl);
		else
			snprintf(to, sizeof(to), "/newsroom/");
	}
	mb_nr_saved_free(&sv);
	log_info("site: picked up uri=%s", uri);
	mb_nr_see_other(r, to);
}

static void
act(struct mb_req *r)
{
	const char	*c = mb_req_param(r, "center");
	const char	*l = mb_req_param(r, "local");
	const char	*a = mb_req_param(r, "action");
	const char		*ver = mb_req_form(r, "version");
	struct mb_newsroom_env	 e;
	struct mb_actor		 who;
	struct mb_nr_precond	 pre;
	struct mb_nr_saved	 sv;
	struct mb_diag		 d = { "" };
	char			 uri[MB_URI_MAX], to[200];
	int64_t			 until_ms = 0;
	int			 action, prc, rc;

	if (!mb_nr_staff_or_login(r))
		return;
	if (strcmp(a, "pickup") == 0) {
		pickup(r, c, l);
		return;
	}
	if ((action = mb_nr_action_parse(a)) < 0 ||
	    mb_uri_make(uri, sizeof(uri), c, l) != MB_OK) {
		mb_nr_not_found(r);
		return;
	}
	if (strcmp(a, "embargo") == 0) {
		const char	*u = mb_req_form(r, "until");

		/* An empty field lifts it; a date (any) is the service's. */
		if (u == NULL || *u == '\0') {
			until_ms = MB_NR_LIFT;
		} else if (!mb_nr_parse_local(u, &until_ms)) {
			const struct mb_site *s = mb_site_get(NULL);

			mb_nr_edit_page(r, 422, NULL, "until", s != NULL ?
			    mb_catalog_get(mb_i18n_negotiate(mb_site_i18n(s),
			    mb_req_cookie(r, "mb_lang"), mb_req_header(r,
			    "Accept-Language")), "err.time") : "err.time",
			    false);
			return;
		}
	}
	if ((prc = mb_if_match_parse(ver, &pre)) < 0) {
		mb_nr_edit_page(r, 400, NULL, "form", "the form's version is "
		    "not a number; open the item again", false);
		return;
	}
	if (!mb_req_newsroom_or_reply(r, &e))
		return;
	mb_req_actor(r, &who);
	if (action == MB_NR_RETURN)
		rc = mb_newsroom_send_back(&e, &who, uri, prc == 1 ? NULL :
		    &pre, mb_req_form(r, "note"), &sv, &d);
	else
		rc = mb_newsroom_act(&e, &who, uri, (enum mb_nr_action)action,
		    prc == 1 ? NULL : &pre, until_ms, &sv, &d);
	if (rc != MB_OK && sv.code != NULL && strcmp(sv.code, "no_alt") ==
	    0) {
		struct mb_buf m = MB_BUF_INIT;

		/* Said in the newsroom's language, naming the picture. */
		mb_nr_msg(r, "picture.noalt", sv.what, &m);
		mb_nr_edit_page(r, 422, NULL, "form", mb_buf_cstr(&m), false);
		mb_buf_free(&m);
		return;
	}
	if (rc != MB_OK) {
		mb_nr_edit_page(r, mb_newsroom_http_status(rc), NULL,
		    action == MB_NR_EMBARGO ? "until" :
		    action == MB_NR_RETURN && rc == MB_ERR_INVAL ? "note" :
		    "form",
		    mb_diag_msg(&d, rc), false);
		return;
	}
	mb_nr_saved_free(&sv);
	log_info("site: newsroom action=%s uri=urn:mediabridge:%s:%s user=%s",
	    a, c, l, mb_req_user(r)->name);
	snprintf(to, sizeof(to), "/newsroom/items/%s/%s?done=%s", c, l, a);
	mb_nr_see_other(r, to);
}

const struct mb_route mb_routes_nr_actions[] = {
	{ "POST", "/newsroom/items/:center/:local/:action", act,
	  MB_ROUTE_FORM, "newsroom.action" },
	MB_ROUTES_END
};
