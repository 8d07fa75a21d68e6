/* SPDX-License-Identifier: MIT */
/*
 * The media picker: the center's pictures, as a plain page that works
 * without JavaScript. Each one comes with a small form that puts it into
 * the item being edited (the picture form's POST, with "pick" and "from"
 * instead of a file: nothing is uploaded again). Searchable by caption,
 * alt text and credit; paginated.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/timeutil.h"
#include "focus.h"
#include "http_int.h"
#include "media/media.h"
#include "newsroom/accounts.h"
#include "nr_int.h"

#define PICKER_PAGE	24	/* pictures a page */
#define PICKER_SCAN	1000	/* the newest items looked through */
#define PICKER_PAGES	200	/* the furthest page asked for */

struct picker {
	struct mb_page	*p;
	struct mb_tval	*list;
	json_t		*seen;		/* uri -> true: each picture once */
	const char	*q;
	long		 page;
	long		 total;
};

/* The thumbnail: the first JPEG/PNG named thumbnail, else any image. */
static const char *
thumb(const json_t *rends, char out[80])
{
	const json_t	*o;
	size_t		 i;
	char		 hx[65];

	for (int pass = 0; pass < 2; pass++)
		json_array_foreach(rends, i, o) {
			const char *n = json_string_value(json_object_get(o,
			    "name"));
			const char *ct = json_string_value(json_object_get(o,
			    "contentType"));

			if (ct == NULL || strncmp(ct, "image/", 6) != 0 ||
			    strcmp(ct, "image/webp") == 0 || (pass == 0 &&
			    (n == NULL || strcmp(n, "thumbnail") != 0)))
				continue;
			if (mb_media_href_hash(json_string_value(
			    json_object_get(o, "href")), hx) != MB_OK)
				continue;
			snprintf(out, 80, "/media/%s", hx);
			return out;
		}
	return NULL;
}

static const char *
described(const json_t *descs, bool alt)
{
	const json_t	*o;
	size_t		 i;

	json_array_foreach(descs, i, o) {
		const char *role = json_string_value(json_object_get(o,
		    "role"));
		bool is_alt = role != NULL && strcmp(role, "alt") == 0;

		if (is_alt == alt)
			return json_string_value(json_object_get(o, "value"));
	}
	return NULL;
}

static bool
matches(const char *q, const char *a, const char *b, const char *c)
{
	if (q == NULL || *q == '\0')
		return true;
	return (a != NULL && strcasestr(a, q) != NULL) || (b != NULL &&
	    strcasestr(b, q) != NULL) || (c != NULL && strcasestr(c, q) !=
	    NULL);
}

static void
offer(struct picker *pk, const struct mb_item_view *v, const json_t *rends,
    const char *caption, const char *alt, const char *credit)
{
	const char	*uri = json_string_value(json_object_get(
			    json_array_get(rends, 0), "href"));
	struct mb_tval	*m;
	char		 src[80], fc[8];

	if (uri == NULL || json_object_get(pk->seen, uri) != NULL ||
	    thumb(rends, src) == NULL)
		return;
	json_object_set_new(pk->seen, uri, json_true());
	if (!matches(pk->q, caption, alt, credit))
		return;
	pk->total++;
	if (pk->total <= pk->page * PICKER_PAGE || pk->total > (pk->page + 1) *
	    PICKER_PAGE)
		return;
	m = mb_tv_map(pk->p->td, pk->list, NULL);
	mb_tv_int(pk->p->td, m, "n", pk->total);
	mb_tv_str(pk->p->td, m, "pick", uri);
	mb_tv_printf(pk->p->td, m, "from", "%s/%s", v->center, v->local);
	mb_tv_str(pk->p->td, m, "thumb", src);
	mb_tv_str(pk->p->td, m, "fp", mb_focus_class(rends, fc));
	mb_tv_str(pk->p->td, m, "caption", caption != NULL ? caption : "");
	mb_tv_str(pk->p->td, m, "alt", alt != NULL ? alt : "");
	/* The thumbnail's own alt: what it shows, else its caption. */
	mb_tv_str(pk->p->td, m, "imgalt", alt != NULL ? alt : caption != NULL ?
	    caption : "");
	mb_tv_str(pk->p->td, m, "credit", credit != NULL ? credit : "");
	mb_tv_str(pk->p->td, m, "headline", v->headline);
}

static int
picker_cb(const struct mb_store_version *sv, void *arg)
{
	struct picker		*pk = arg;
	struct mb_item_view	 v;
	const json_t		*o;
	size_t			 i;

	if (mb_item_view_load(&v, sv) != MB_OK)
		return MB_OK;
	/* A picture item is a picture itself; an item's carry theirs. */
	if (v.type != NULL && strcmp(v.type, "picture") == 0) {
		const json_t *descs = json_object_get(v.item, "descriptions");

		offer(pk, &v, json_object_get(v.item, "renditions"),
		    described(descs, false), described(descs, true),
		    json_string_value(json_object_get(v.item, "by")));
	}
	json_array_foreach(json_object_get(v.item, "associations"), i, o) {
		const char	*t = json_string_value(json_object_get(o,
				    "type"));
		const json_t	*descs = json_object_get(o, "descriptions");

		if (t == NULL || strcmp(t, "picture") != 0)
			continue;
		offer(pk, &v, json_object_get(o, "renditions"), described(
		    descs, false), described(descs, true), json_string_value(
		    json_object_get(o, "by")));
	}
	mb_item_view_free(&v);
	return MB_OK;
}

static void
pager(struct picker *pk, const char *base, const char *key, long to)
{
	struct mb_buf u = MB_BUF_INIT;

	mb_buf_printf(&u, "%s?page=%ld", base, to);
	if (pk->q != NULL && *pk->q != '\0') {
		mb_buf_puts(&u, "&q=");
		mb_http_urlencode(pk->q, &u);
	}
	mb_tv_str(pk->p->td, mb_tv_get(pk->p->root, "picker"), key,
	    mb_buf_cstr(&u));
	mb_buf_free(&u);
}

static void
picker(struct mb_req *r)
{
	const struct mb_http_user	*u = mb_req_user(r);
	const char			*c = mb_req_param(r, "center");
	const char			*l = mb_req_param(r, "local");
	const char			*pg = mb_req_query(r, "page");
	struct mb_newsroom_env		 e;
	struct mb_actor			 a;
	struct mb_nr_item		 it;
	struct mb_store_filter		 f;
	struct mb_store			*st;
	struct mb_page			 p;
	struct picker			 pk;
	struct mb_diag			 d = { "" };
	struct mb_tval			*t;
	char				 uri[MB_URI_MAX], base[200];
	int64_t				 version;
	int				 rc;

	if (!mb_nr_staff_or_login(r))
		return;
	if (mb_uri_make(uri, sizeof(uri), c, l) != MB_OK) {
		mb_nr_not_found(r);
		return;
	}
	if (!mb_req_newsroom_or_reply(r, &e) ||
	    (st = mb_req_store_or_reply(r)) == NULL)
		return;
	mb_req_actor(r, &a);
	if ((rc = mb_newsroom_get(&e, &a, uri, 0, &it, &d)) != MB_OK) {
		if (rc == MB_ERR_NOTFOUND)
			mb_nr_not_found(r);
		else
			mb_resp_err(r, rc, &d);
		return;
	}
	version = it.version;
	mb_nr_item_free(&it);
	if (!mb_nr_begin(&p, r, "picker.title"))
		return;
	memset(&pk, 0, sizeof(pk));
	pk.p = &p;
	pk.q = mb_req_query(r, "q");
	pk.page = pg != NULL ? strtol(pg, NULL, 10) : 0;
	if (pk.page < 0 || pk.page > PICKER_PAGES)
		pk.page = 0;
	pk.seen = json_object();
	pk.list = mb_tv_list(p.td, p.root, "pictures");
	snprintf(base, sizeof(base), "/newsroom/items/%s/%s/media", c, l);
	t = mb_tv_map(p.td, p.root, "picker");
	mb_tv_str(p.td, t, "action", base);
	mb_tv_str(p.td, t, "q", pk.q != NULL ? pk.q : "");
	mb_tv_printf(p.td, t, "back", "/newsroom/items/%s/%s", c, l);
	mb_tv_printf(p.td, t, "post", "/newsroom/items/%s/%s/picture", c, l);
	mb_tv_int(p.td, t, "version", version);
	mb_tv_bool(p.td, t, "may", u->role >= MB_ROLE_JOURNALIST);
	memset(&f, 0, sizeof(f));
	f.center = mb_req_node(r)->conf.id;
	f.limit = PICKER_SCAN;
	f.all = u->role >= MB_ROLE_EDITOR;
	f.audiences = MB_AUD_PUBLIC | MB_AUD_NETWORK | MB_AUD_INTERNAL;
	f.now_ms = mb_time_now_ms();
	f.author_id = u->id;
	rc = mb_store_list(st, &f, picker_cb, &pk, &d);
	json_decref(pk.seen);
	if (rc != MB_OK) {
		mb_page_free(&p);
		mb_resp_err(r, rc, &d);
		return;
	}
	mb_tv_int(p.td, t, "total", pk.total);
	if (pk.page > 0)
		pager(&pk, base, "prev", pk.page - 1);
	if (pk.total > (pk.page + 1) * PICKER_PAGE)
		pager(&pk, base, "next", pk.page + 1);
	mb_page_finish(&p, 200, "nr_picker.html");
}

const struct mb_route mb_routes_nr_picker[] = {
	{ "GET", "/newsroom/items/:center/:local/media", picker, 0,
	  "newsroom.picker" },
	MB_ROUTES_END
};
