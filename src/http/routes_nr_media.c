/* SPDX-License-Identifier: MIT */
/*
 * Pictures, video and audio in a newsroom item: the edit page's upload
 * form puts the file, with its caption and credit, into the item as a
 * new version -- as its main picture, or placed in the text as a figure.
 * The same form takes a picture chosen from the center's media instead of
 * a file (routes_nr_picker.c), and a focal point; the focus form moves
 * the focal point of a picture already there.
 */
#include <stdio.h>
#include <string.h>

#include "base/log.h"
#include "focus.h"
#include "form.h"
#include "http_int.h"
#include "media/media.h"
#include "nr_int.h"

/*
 * An item's pictures and media are ninjs associations (docs/media.md):
 *
 *	{"name": "picture-1", "uri": "ni:///sha-256;…", "type": "picture",
 *	 "rel": "main" | "inline",
 *	 "descriptions": [{"role": "caption", "value": "…"}],
 *	 "by": "the credit", "renditions": [ … the upload's … ]}
 *
 * The caption is also the picture's alt text: an accessible page needs
 * one, so the form refuses a picture without it. A picture placed in the
 * text is also a <figure> at the end of the body (the form the Markdown
 * editor writes, so it stays editable as Markdown); its association
 * carries the renditions so that the blobs travel and are kept.
 */

#define MAX_ASSOC 64

/* The href of the rendition called name (NULL: the first image one). */
static const char *
rendition_url(const json_t *rends, const char *name, char out[80])
{
	const json_t	*o;
	size_t		 i;
	char		 hx[65];

	json_array_foreach(rends, i, o) {
		const char *n = json_string_value(json_object_get(o, "name"));
		const char *ct = json_string_value(json_object_get(o,
		    "contentType"));
		const char *href = json_string_value(json_object_get(o,
		    "href"));

		if (href == NULL || ct == NULL || strncmp(ct, "image/", 6) != 0)
			continue;
		if (name != NULL && (n == NULL || strcmp(n, name) != 0))
			continue;
		if (mb_media_href_hash(href, hx) != MB_OK)
			continue;
		snprintf(out, 80, "/media/%s", hx);
		return out;
	}
	return NULL;
}

static int
escape(struct mb_buf *b, const char *s)
{
	int rc = MB_OK;

	for (; s != NULL && *s != '\0' && rc == MB_OK; s++) {
		switch (*s) {
		case '&': rc = mb_buf_puts(b, "&amp;"); break;
		case '<': rc = mb_buf_puts(b, "&lt;"); break;
		case '>': rc = mb_buf_puts(b, "&gt;"); break;
		case '"': rc = mb_buf_puts(b, "&quot;"); break;
		default: rc = mb_buf_putc(b, *s); break;
		}
	}
	return rc;
}

/* Appends the figure to the item's first body. */
static void
body_figure(json_t *item, const char *src, const char *caption,
    const char *alt, const char *credit)
{
	json_t		*bodies = json_object_get(item, "bodies");
	json_t		*b0 = json_array_get(bodies, 0);
	const char	*old = json_string_value(json_object_get(b0, "value"));
	struct mb_buf	 h = MB_BUF_INIT;

	mb_buf_puts(&h, old != NULL ? old : "");
	mb_buf_puts(&h, "\n<figure><img src=\"");
	escape(&h, src);
	mb_buf_puts(&h, "\" alt=\"");
	escape(&h, alt);
	mb_buf_puts(&h, "\"><figcaption>");
	escape(&h, caption);
	if (credit != NULL && *credit != '\0') {
		mb_buf_puts(&h, " <small>");
		escape(&h, credit);
		mb_buf_puts(&h, "</small>");
	}
	mb_buf_puts(&h, "</figcaption></figure>\n");
	if (b0 == NULL) {
		json_object_set_new(item, "bodies", json_pack("[{s:s, s:s}]",
		    "value", mb_buf_cstr(&h), "contentType", "text/html"));
	} else {
		json_object_set_new(b0, "value", json_string(mb_buf_cstr(&h)));
	}
	mb_buf_free(&h);
}

/* The page again with the problem above the picture form. */
static void
refuse(struct mb_req *r, const char *to, unsigned status, const char *msg)
{
	struct mb_page p;

	if (!mb_nr_begin(&p, r, "picture.title"))
		return;
	mb_tv_str(p.td, mb_tv_map(p.td, p.root, "errors"), "form", msg);
	mb_tv_str(p.td, p.root, "back", to);
	mb_page_finish(&p, status, "nr_refused.html");
}

/* The message refusing a form field over max bytes, into buf. */
static const char *
long_field(char *buf, size_t n, const char *field, size_t max)
{
	snprintf(buf, n, "The %s is too long: at most %zu bytes. Nothing was "
	    "changed.", field, max);
	return buf;
}

/* The same, with the message from the catalogs (key). */
static void
refuse_msg(struct mb_req *r, const char *to, unsigned status, const char *key)
{
	struct mb_page p;

	if (!mb_nr_begin(&p, r, "picture.title"))
		return;
	mb_tv_str(p.td, mb_tv_map(p.td, p.root, "errors"), "form",
	    mb_page_msg(&p, key));
	mb_tv_str(p.td, p.root, "back", to);
	mb_page_finish(&p, status, "nr_refused.html");
}

/*
 * A picture chosen from the center's media: the association whose uri is
 * pick in the item from ("center/local", one the user may see), or that
 * item itself when it is a picture item. *out gets {"type", "renditions"}
 * (copies), as an upload's answer has them.
 */
static int
picked(const struct mb_newsroom_env *e, const struct mb_actor *a,
    const char *from, const char *pick, json_t **out, struct mb_diag *d)
{
	struct mb_nr_item	 it;
	const json_t		*item, *o;
	json_t			*env;
	char			 c[MB_CENTER_MAX + 1], uri[MB_URI_MAX];
	const char		*slash = from != NULL ? strchr(from, '/') :
				    NULL;
	size_t			 i;
	int			 rc;

	*out = NULL;
	if (slash == NULL || (size_t)(slash - from) >= sizeof(c))
		return MB_ERR_NOTFOUND;
	memcpy(c, from, (size_t)(slash - from));
	c[slash - from] = '\0';
	if (mb_uri_make(uri, sizeof(uri), c, slash + 1) != MB_OK)
		return MB_ERR_NOTFOUND;
	if ((rc = mb_newsroom_get(e, a, uri, 0, &it, d)) != MB_OK)
		return rc;
	env = json_loadb(it.envelope, it.len, 0, NULL);
	mb_nr_item_free(&it);
	item = json_object_get(env, "item");
	{
		const json_t *r0 = json_array_get(json_object_get(item,
		    "renditions"), 0);
		const char *t = json_string_value(json_object_get(item,
		    "type"));

		const char *h0 = json_string_value(json_object_get(r0,
		    "href"));

		if (t != NULL && strcmp(t, "picture") == 0 && h0 != NULL &&
		    strcmp(h0, pick) == 0)
			*out = json_pack("{s:s, s:O}", "type", "picture",
			    "renditions", json_object_get(item,
			    "renditions"));
	}
	json_array_foreach(json_object_get(item, "associations"), i, o) {
		const char *u = json_string_value(json_object_get(o, "uri"));
		const char *t = json_string_value(json_object_get(o, "type"));

		if (*out != NULL)
			break;
		if (u != NULL && t != NULL && strcmp(u, pick) == 0 &&
		    json_is_array(json_object_get(o, "renditions")))
			*out = json_pack("{s:s, s:O}", "type", t,
			    "renditions", json_object_get(o, "renditions"));
	}
	if (*out != NULL) {
		/* Ours to change (the focal point): not the source's. */
		json_object_set_new(*out, "renditions", json_deep_copy(
		    json_object_get(*out, "renditions")));
	}
	json_decref(env);
	return *out != NULL ? MB_OK : MB_ERR_NOTFOUND;
}

/* Whether the form's version (pre) is the item's current one, cur. */
static bool
version_ok(const struct mb_nr_precond *pre, int64_t cur)
{
	if (pre->any)
		return true;
	for (int i = 0; i < pre->n; i++)
		if (pre->v[i] == cur)
			return true;
	return false;
}

static void
add_picture(struct mb_req *r)
{
	const char		*c = mb_req_param(r, "center");
	const char		*l = mb_req_param(r, "local");
	const char		*caption = mb_req_form(r, "caption");
	const char		*credit = mb_req_form(r, "credit");
	const char		*alt = mb_req_form(r, "alt");
	const char		*place = mb_req_form(r, "place");
	const char		*ver = mb_req_form(r, "version");
	const char		*pick = mb_req_form(r, "pick");
	const char		*data = NULL, *code, *kind, *long_;
	struct mb_newsroom_env	 e;
	struct mb_actor		 a;
	struct mb_nr_item	 it;
	struct mb_nr_precond	 pre;
	struct mb_nr_saved	 sv;
	struct mb_store		*st;
	struct mb_diag		 d = { "" };
	json_t			*env = NULL, *item, *up = NULL, *assoc;
	char			 uri[MB_URI_MAX], back[200], to[220], name[32];
	char			 src[80], msg[160];
	size_t			 len = 0;
	bool			 inline_ = place != NULL && strcmp(place,
				    "text") == 0, focus;
	double			 fx = 0.5, fy = 0.5;
	int64_t			 cur;
	int			 rc;

	if (!mb_nr_staff_or_login(r))
		return;
	snprintf(back, sizeof(back), "/newsroom/items/%s/%s", c, l);
	if (mb_req_role(r) < MB_ROLE_JOURNALIST) {
		refuse_msg(r, back, 403, "picture.forbidden");
		return;
	}
	if (mb_uri_make(uri, sizeof(uri), c, l) != MB_OK) {
		mb_nr_not_found(r);
		return;
	}
	/* Checked before the upload is decoded: a refusal costs nothing. */
	if ((long_ = mb_req_form_too_long(r)) != NULL) {
		refuse(r, back, 413, long_field(msg, sizeof(msg), long_,
		    MB_FORM_TEXT_MAX));
		return;
	}
	if (caption != NULL && strlen(caption) > MB_NR_PICTURE_TEXT_MAX) {
		refuse(r, back, 422, long_field(msg, sizeof(msg), "caption",
		    MB_NR_PICTURE_TEXT_MAX));
		return;
	}
	if (credit != NULL && strlen(credit) > MB_NR_PICTURE_TEXT_MAX) {
		refuse(r, back, 422, long_field(msg, sizeof(msg), "credit",
		    MB_NR_PICTURE_TEXT_MAX));
		return;
	}
	if (caption == NULL || caption[strspn(caption, " \t\r\n")] == '\0') {
		refuse_msg(r, back, 422, "picture.nocaption");
		return;
	}
	/* The description for readers who cannot see it: the caption
	 * unless the writer gave one of its own (ninjs role "alt"). */
	if (alt == NULL || alt[strspn(alt, " \t\r\n")] == '\0')
		alt = caption;
	else if (strlen(alt) > MB_NR_PICTURE_TEXT_MAX) {
		refuse_msg(r, back, 422, "picture.altlong");
		return;
	}
	if (mb_if_match_parse(ver, &pre) != 0) {
		refuse(r, back, 400, "the form lost the version it was made "
		    "from; open the item again");
		return;
	}
	if (mb_focus_parse(mb_req_form(r, "focus_x"), mb_req_form(r,
	    "focus_y"), &fx, &fy, &focus) != MB_OK) {
		refuse_msg(r, back, 422, "focus.bad");
		return;
	}
	/* A file, or a picture chosen from the center's media. */
	if (pick != NULL && *pick == '\0')
		pick = NULL;
	if (pick == NULL && (!mb_http_upload_bytes(r, &data, &len) ||
	    len == 0)) {
		refuse_msg(r, back, 400, "picture.nofile");
		return;
	}
	if (!mb_req_newsroom_or_reply(r, &e) ||
	    (st = mb_req_store_or_reply(r)) == NULL)
		return;
	mb_req_actor(r, &a);
	/* The item first: one the user may not see is not theirs to fill. */
	if ((rc = mb_newsroom_get(&e, &a, uri, 0, &it, &d)) != MB_OK) {
		if (rc == MB_ERR_NOTFOUND)
			mb_nr_not_found(r);
		else
			mb_resp_err(r, rc, &d);
		return;
	}
	cur = it.version;
	env = json_loadb(it.envelope, it.len, 0, NULL);
	mb_nr_item_free(&it);
	if (env == NULL || (item = json_deep_copy(json_object_get(env,
	    "item"))) == NULL) {
		json_decref(env);
		mb_resp_error(r, 500, "internal", "the item could not be read");
		return;
	}
	/*
	 * A stale form or a full item is refused before the upload is
	 * stored: the update below would refuse it anyway, after the
	 * renditions had been written for nothing. (It still checks the
	 * version: another save may land in between.)
	 */
	if (!version_ok(&pre, cur)) {
		json_decref(env);
		json_decref(item);
		snprintf(msg, sizeof(msg), "The item has changed since the "
		    "form was opened (it is at version %lld); open it again. "
		    "Nothing was changed.", (long long)cur);
		refuse(r, back, mb_newsroom_http_status(MB_ERR_CONFLICT), msg);
		return;
	}
	if (json_array_size(json_object_get(item, "associations")) >=
	    MAX_ASSOC) {
		json_decref(env);
		json_decref(item);
		refuse_msg(r, back, 413, "picture.full");
		return;
	}
	if (pick != NULL) {
		if ((rc = picked(&e, &a, mb_req_form(r, "from"), pick, &up,
		    &d)) != MB_OK) {
			json_decref(env);
			json_decref(item);
			refuse_msg(r, back, 404, "picker.gone");
			return;
		}
	} else if ((rc = mb_http_media_ingest(r, st, data, len, &up, &d)) !=
	    MB_OK) {
		unsigned status = mb_http_upload_status(rc, &code);

		json_decref(env);
		json_decref(item);
		/* Not a kind of file the center takes: said in the
		 * interface's language (the rest names what libvips saw). */
		if (status == 415)
			refuse_msg(r, back, status, "picture.notmedia");
		else
			refuse(r, back, status, mb_diag_msg(&d, rc));
		return;
	}
	if (focus)
		mb_focus_set(json_object_get(up, "renditions"), fx, fy);
	kind = json_string_value(json_object_get(up, "type"));
	if (kind == NULL || (strcmp(kind, "picture") != 0 &&
	    strcmp(kind, "video") != 0 && strcmp(kind, "audio") != 0)) {
		json_decref(env);
		json_decref(item);
		json_decref(up);
		refuse_msg(r, back, 415, "picture.notmedia");
		return;
	}
	if ((assoc = json_object_get(item, "associations")) == NULL) {
		assoc = json_array();
		json_object_set_new(item, "associations", assoc);
	}
	/* A picture in the text needs a picture to show there. */
	if (inline_ && (strcmp(kind, "picture") != 0 || (rendition_url(
	    json_object_get(up, "renditions"), "medium", src) == NULL &&
	    rendition_url(json_object_get(up, "renditions"), NULL, src) ==
	    NULL)))
		inline_ = false;
	snprintf(name, sizeof(name), "%s-%zu", kind,
	    json_array_size(assoc) + 1);
	{
		json_t *o = json_pack("{s:s, s:O, s:s, s:s, s:[{s:s, s:s}], "
		    "s:O}", "name", name, "uri", json_object_get(
		    json_array_get(json_object_get(up, "renditions"), 0),
		    "href"), "type", kind, "rel", inline_ ? "inline" :
		    "main", "descriptions", "role", "caption", "value",
		    caption, "renditions", json_object_get(up, "renditions"));

		if (o != NULL && credit != NULL && *credit != '\0')
			json_object_set_new(o, "by", json_string(credit));
		if (o != NULL && alt != caption)
			json_array_append_new(json_object_get(o,
			    "descriptions"), json_pack("{s:s, s:s}", "role",
			    "alt", "value", alt));
		json_array_append_new(assoc, o);
	}
	if (inline_)
		body_figure(item, src, caption, alt, credit);
	json_decref(up);
	json_object_del(item, "version");
	json_object_del(item, "versionCreated");
	{
		const char *aud = json_string_value(json_object_get(
		    json_object_get(env, "meta"), "audience"));
		json_t *hints = json_pack("{s:s}", "audience", aud != NULL ?
		    aud : "public");

		rc = mb_newsroom_update(&e, &a, uri, &pre, item, hints, &sv,
		    &d);
		json_decref(hints);
	}
	json_decref(env);
	if (rc != MB_OK) {
		refuse(r, back, mb_newsroom_http_status(rc), mb_diag_msg(&d,
		    rc));
		return;
	}
	mb_nr_saved_free(&sv);
	log_info("site: picture added uri=%s kind=%s place=%s from=%s "
	    "user=%s", uri, kind, inline_ ? "text" : "main", pick != NULL ?
	    "media" : "upload", a.name);
	snprintf(to, sizeof(to), "%s?done=picture", back);
	mb_nr_see_other(r, to);
}

/*
 * The focus form: moves the focal point of the picture (or video) called
 * name in the item, as a new version. Out of range, or no such picture:
 * refused, nothing changed.
 */
static void
set_focus(struct mb_req *r)
{
	const char		*c = mb_req_param(r, "center");
	const char		*l = mb_req_param(r, "local");
	const char		*name = mb_req_form(r, "name");
	struct mb_newsroom_env	 e;
	struct mb_actor		 a;
	struct mb_nr_item	 it;
	struct mb_nr_precond	 pre;
	struct mb_nr_saved	 sv;
	struct mb_diag		 d = { "" };
	json_t			*env, *item, *o, *target = NULL, *hints;
	const char		*aud;
	char			 uri[MB_URI_MAX], back[200], to[220];
	double			 fx, fy;
	bool			 given;
	size_t			 i;
	int			 rc;

	if (!mb_nr_staff_or_login(r))
		return;
	snprintf(back, sizeof(back), "/newsroom/items/%s/%s", c, l);
	if (mb_req_role(r) < MB_ROLE_JOURNALIST) {
		refuse_msg(r, back, 403, "picture.forbidden");
		return;
	}
	if (mb_uri_make(uri, sizeof(uri), c, l) != MB_OK) {
		mb_nr_not_found(r);
		return;
	}
	if (mb_focus_parse(mb_req_form(r, "focus_x"), mb_req_form(r,
	    "focus_y"), &fx, &fy, &given) != MB_OK || !given) {
		refuse_msg(r, back, 422, "focus.bad");
		return;
	}
	if (mb_if_match_parse(mb_req_form(r, "version"), &pre) != 0) {
		refuse(r, back, 400, "the form lost the version it was made "
		    "from; open the item again");
		return;
	}
	if (!mb_req_newsroom_or_reply(r, &e))
		return;
	mb_req_actor(r, &a);
	if ((rc = mb_newsroom_get(&e, &a, uri, 0, &it, &d)) != MB_OK) {
		if (rc == MB_ERR_NOTFOUND)
			mb_nr_not_found(r);
		else
			mb_resp_err(r, rc, &d);
		return;
	}
	env = json_loadb(it.envelope, it.len, 0, NULL);
	mb_nr_item_free(&it);
	if (env == NULL || (item = json_deep_copy(json_object_get(env,
	    "item"))) == NULL) {
		json_decref(env);
		mb_resp_error(r, 500, "internal", "the item could not be read");
		return;
	}
	json_array_foreach(json_object_get(item, "associations"), i, o) {
		const char *n = json_string_value(json_object_get(o, "name"));

		if (name != NULL && n != NULL && strcmp(n, name) == 0)
			target = o;
	}
	if (target == NULL || rendition_url(json_object_get(target,
	    "renditions"), NULL, to) == NULL) {
		json_decref(env);
		json_decref(item);
		refuse_msg(r, back, 422, "focus.nopicture");
		return;
	}
	mb_focus_set(json_object_get(target, "renditions"), fx, fy);
	json_object_del(item, "version");
	json_object_del(item, "versionCreated");
	aud = json_string_value(json_object_get(json_object_get(env, "meta"),
	    "audience"));
	hints = json_pack("{s:s}", "audience", aud != NULL ? aud : "public");
	rc = mb_newsroom_update(&e, &a, uri, &pre, item, hints, &sv, &d);
	json_decref(hints);
	json_decref(env);
	if (rc != MB_OK) {
		refuse(r, back, mb_newsroom_http_status(rc), mb_diag_msg(&d,
		    rc));
		return;
	}
	mb_nr_saved_free(&sv);
	log_info("site: focal point uri=%s picture=%s x=%.3f y=%.3f user=%s",
	    uri, name, fx, fy, a.name);
	snprintf(to, sizeof(to), "%s?done=focus", back);
	mb_nr_see_other(r, to);
}

void
mb_nr_pictures(struct mb_page *p, const json_t *item)
{
	struct mb_tval	*list = NULL;
	const json_t	*o;
	size_t		 i;
	char		 src[80];

	json_array_foreach(json_object_get(item, "associations"), i, o) {
		const char	*t = json_string_value(json_object_get(o,
				    "type"));
		struct mb_tval	*m;

		if (t == NULL || (strcmp(t, "picture") != 0 &&
		    strcmp(t, "video") != 0 && strcmp(t, "audio") != 0))
			continue;
		if (list == NULL)
			list = mb_tv_list(p->td, p->root, "pictures");
		m = mb_tv_map(p->td, list, NULL);
		mb_tv_str(p->td, m, "caption", json_string_value(
		    json_object_get(json_array_get(json_object_get(o,
		    "descriptions"), 0), "value")));
		mb_tv_str(p->td, m, "credit", json_string_value(
		    json_object_get(o, "by")));
		mb_tv_str(p->td, m, "kind", t);
		mb_tv_str(p->td, m, "name", json_string_value(
		    json_object_get(o, "name")));
		{
			double fx, fy;

			if (mb_focus_get(json_object_get(o, "renditions"),
			    &fx, &fy)) {
				mb_tv_printf(p->td, m, "fx", "%.2f", fx);
				mb_tv_printf(p->td, m, "fy", "%.2f", fy);
			}
		}
		mb_tv_bool(p->td, m, "inline", json_string_value(
		    json_object_get(o, "rel")) != NULL && strcmp(
		    json_string_value(json_object_get(o, "rel")), "inline") ==
		    0);
		if (rendition_url(json_object_get(o, "renditions"),
		    "thumbnail", src) != NULL || rendition_url(
		    json_object_get(o, "renditions"), "poster", src) != NULL ||
		    rendition_url(json_object_get(o, "renditions"), NULL,
		    src) != NULL)
			mb_tv_str(p->td, m, "thumb", src);
	}
}

const struct mb_route mb_routes_nr_media[] = {
	{ "POST", "/newsroom/items/:center/:local/picture", add_picture,
	  MB_ROUTE_RAW | MB_ROUTE_FORM, "newsroom.picture" },
	{ "POST", "/newsroom/items/:center/:local/focus", set_focus,
	  MB_ROUTE_FORM, "newsroom.focus" },
	MB_ROUTES_END
};
