/* SPDX-License-Identifier: MIT */
/* An item's bodies as sanitized HTML: GET /api/v1/items/<c>/<l>/html. */
#include <string.h>

#include "http_int.h"
#include "item/envelope.h"
#include "item/id.h"
#include "site_int.h"
#include "text/lang.h"

/*
 * Bodies are stored exactly as signed; whatever shows them as HTML
 * shows mb_item_body_html()'s output, never the stored bytes: HTML
 * through the sanitizer, text/plain escaped a line a paragraph. This
 * route is what an editor's preview and other tools fetch; the site's
 * pages show the same.
 */

static int
escape(struct mb_buf *b, const char *s)
{
	int rc = MB_OK;

	for (; *s != '\0' && rc == MB_OK; s++) {
		switch (*s) {
		case '<':
			rc = mb_buf_puts(b, "&lt;");
			break;
		case '>':
			rc = mb_buf_puts(b, "&gt;");
			break;
		case '&':
			rc = mb_buf_puts(b, "&amp;");
			break;
		case '"':
			rc = mb_buf_puts(b, "&quot;");
			break;
		case '\'':
			rc = mb_buf_puts(b, "&#39;");
			break;
		default:
			rc = mb_buf_putc(b, *s);
		}
	}
	return rc;
}

struct html_state {
	struct mb_req	*r;
	struct mb_buf	 out;
	int		 rc;
	bool		 hidden;
	struct mb_diag	 d;
};

static int
render(const struct mb_store_version *v, void *arg)
{
	struct html_state	*hs = arg;
	struct mb_envelope	*e = NULL;
	const json_t		*bodies, *o;
	const char		*lang;
	size_t			 i;

	if ((hs->rc = mb_envelope_parse(v->envelope, v->envelope_len, &e,
	    &hs->d)) != MB_OK)
		return hs->rc;
	lang = v->language != NULL ? v->language : "und";
	mb_buf_puts(&hs->out, "<!doctype html>\n<html lang=\"");
	escape(&hs->out, lang);
	/* The whole tag: "pa-Arab" is right to left, "pa" is not. */
	mb_buf_printf(&hs->out, "\" dir=\"%s\"><meta charset=\"utf-8\">"
	    "<title>", mb_lang_is_rtl(lang) ? "rtl" : "ltr");
	escape(&hs->out, v->headline != NULL ? v->headline : "");
	mb_buf_puts(&hs->out, "</title>\n<div class=\"body\">");
	bodies = json_object_get(mb_envelope_item(e), "bodies");
	json_array_foreach(bodies, i, o) {
		if ((hs->rc = mb_item_body_html(o, &hs->out, &hs->d)) !=
		    MB_OK)
			break;
	}
	mb_buf_puts(&hs->out, "</div>\n");
	mb_envelope_free(e);
	return hs->rc;
}

/* Reuses the items API's visibility through a JSON fetch of the item. */
static void
item_html(struct mb_req *r)
{
	struct html_state	 hs;
	struct mb_store		*st;
	char			 uri[MB_URI_MAX];
	int			 rc;

	if (mb_uri_make(uri, sizeof(uri), mb_req_param(r, "center"),
	    mb_req_param(r, "local")) != MB_OK) {
		mb_resp_error(r, 404, "not_found", "no such item");
		return;
	}
	if ((st = mb_req_store_or_reply(r)) == NULL)
		return;
	if (!mb_http_item_visible(r, st, uri)) {
		mb_resp_error(r, 404, "not_found", "%s: not found", uri);
		return;
	}
	memset(&hs, 0, sizeof(hs));
	hs.r = r;
	if ((rc = mb_store_get(st, uri, 0, render, &hs, &hs.d)) != MB_OK) {
		mb_buf_free(&hs.out);
		mb_resp_err(r, rc, &hs.d);
		return;
	}
	if (hs.out.data == NULL) {
		mb_resp_error(r, 503, "unavailable", "out of memory");
		return;
	}
	mb_resp_header(r, "Content-Security-Policy", "default-src 'none'; "
	    "img-src https: data:; style-src 'none'; sandbox");
	mb_resp_take(r, 200, "text/html; charset=utf-8", mb_buf_steal(&hs.out),
	    hs.out.len);
}

const struct mb_route mb_routes_html[] = {
	{ "GET", "/api/v1/items/:center/:local/html", item_html,
	  MB_ROUTE_CACHE, "items.html" },
	MB_ROUTES_END
};
