/* SPDX-License-Identifier: MIT */
/* NewsML-G2 out over HTTP: content negotiation and an envelope's item as a newsItem. */
#include <string.h>

#include "http/newsml.h"
#include "http_int.h"
#include "site_int.h"
#include "wire/wire.h"

bool
mb_http_wants_newsml(struct mb_req *r)
{
	const char *a = mb_req_header(r, "Accept");

	return a != NULL && strstr(a, MB_NEWSML_ITEM_TYPE) != NULL;
}

json_t *
mb_http_newsml_item_copy(const json_t *item)
{
	json_t	*copy = json_deep_copy(item), *b;
	size_t	 i;

	if (copy == NULL)
		return NULL;
	json_array_foreach(json_object_get(copy, "bodies"), i, b) {
		struct mb_buf out = MB_BUF_INIT;

		if (json_string_value(json_object_get(b, "value")) == NULL)
			continue;
		/*
		 * As the site shows it: a text/plain body escaped, a line a
		 * paragraph (it was read as HTML, its "<b>" live), and HTML
		 * sanitized. One the sanitizer refuses (too big) leaves
		 * empty. Either way the value is HTML now, and says so.
		 */
		if (mb_item_body_html(b, &out, NULL) != MB_OK)
			mb_buf_reset(&out);
		json_object_set_new(b, "value", json_string(mb_buf_cstr(&out)));
		json_object_set_new(b, "contentType", json_string(
		    "text/html"));
		mb_buf_free(&out);
	}
	return copy;
}

int
mb_http_newsml_envelope(const char *env, size_t len, struct mb_buf *out,
    struct mb_diag *d)
{
	json_t		*root, *item;
	const char	*origin;
	int		 rc;

	if ((root = json_loadb(env, len, 0, NULL)) == NULL)
		return mb_diag_set(d, MB_ERR_CORRUPT, "stored envelope: not "
		    "JSON");
	origin = json_string_value(json_object_get(json_object_get(root,
	    "meta"), "origin"));
	if ((item = mb_http_newsml_item_copy(json_object_get(root, "item"))) ==
	    NULL) {
		json_decref(root);
		return MB_ERR_NOMEM;
	}
	rc = mb_wire_newsml_write(item, origin != NULL ? origin : "", out, d);
	json_decref(item);
	json_decref(root);
	return rc;
}
