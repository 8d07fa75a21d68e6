/* SPDX-License-Identifier: MIT */
/* JSON Feed 1.0 and 1.1 (jsonfeed.org): the feed and its items to entries. */
#include <stdlib.h>
#include <string.h>

#include "wire_int.h"

static const char *
str(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s != NULL ? s : "";
}

static int
authors(struct wire_entry *e, const json_t *it)
{
	const json_t	*a;
	size_t		 i;
	int		 rc = MB_OK;

	/* 1.1's "authors", and 1.0's "author" that 1.1 feeds still send. */
	json_array_foreach(json_object_get(it, "authors"), i, a)
		if ((rc = mb_wire__entry_by(e, str(a, "name"))) != MB_OK)
			return rc;
	if ((a = json_object_get(it, "author")) != NULL)
		rc = mb_wire__entry_by(e, str(a, "name"));
	return rc;
}

static int
item(struct mb_wire_feed *f, const struct mb_wire_opts *o, const json_t *it,
    struct mb_diag *d)
{
	struct wire_entry	 e;
	const json_t		*v;
	size_t			 i;
	int64_t			 ms;
	int			 rc = MB_OK;

	if (!json_is_object(it))
		return MB_OK;
	mb_wire__entry_init(&e);
	e.title_html = true;
	/* JSON Feed ids may be numbers; "" and null are no id. */
	if ((v = json_object_get(it, "id")) != NULL) {
		if (json_is_string(v))
			rc = mb_buf_puts(&e.id, json_string_value(v));
		else if (json_is_integer(v))
			rc = mb_buf_printf(&e.id, "%lld",
			    (long long)json_integer_value(v));
	}
	if (rc == MB_OK)
		rc = mb_buf_puts(&e.link, str(it, "url")[0] != '\0' ?
		    str(it, "url") : str(it, "external_url"));
	if (rc == MB_OK)
		rc = mb_buf_puts(&e.title, str(it, "title"));
	if (rc == MB_OK && str(it, "content_html")[0] != '\0')
		rc = mb_buf_puts(&e.body, str(it, "content_html"));
	else if (rc == MB_OK && str(it, "content_text")[0] != '\0') {
		for (const char *s = str(it, "content_text"); *s != '\0' &&
		    rc == MB_OK; s++)
			rc = *s == '<' ? mb_buf_puts(&e.body, "&lt;") :
			    *s == '&' ? mb_buf_puts(&e.body, "&amp;") :
			    *s == '\n' ? mb_buf_puts(&e.body, "<br>") :
			    mb_buf_putc(&e.body, *s);
	}
	if (rc == MB_OK)
		rc = mb_buf_puts(&e.summary, str(it, "summary"));
	if (rc == MB_OK)
		rc = mb_buf_puts(&e.lang, str(it, "language"));
	if (mb_wire_date(str(it, "date_published"), &ms) == MB_OK)
		e.published_ms = ms;
	if (mb_wire_date(str(it, "date_modified"), &ms) == MB_OK)
		e.updated_ms = ms;
	if (rc == MB_OK)
		rc = authors(&e, it);
	json_array_foreach(json_object_get(it, "tags"), i, v)
		if (rc == MB_OK && json_is_string(v))
			rc = mb_wire__entry_subject(&e, json_string_value(v),
			    NULL);
	if (rc == MB_OK)
		rc = mb_wire__entry_media(&e, str(it, "image"), NULL, 0, 0);
	json_array_foreach(json_object_get(it, "attachments"), i, v)
		if (rc == MB_OK)
			rc = mb_wire__entry_media(&e, str(v, "url"),
			    str(v, "mime_type"), 0, 0);
	if (rc == MB_OK)
		rc = mb_wire__emit(f, o, &e, d);
	mb_wire__entry_free(&e);
	return rc;
}

int
mb_wire__jsonfeed(const char *utf8, size_t len, const struct mb_wire_opts *o,
    struct mb_wire_feed *f, struct mb_diag *d)
{
	json_error_t	 je;
	json_t		*doc, *items, *it;
	const char	*version;
	size_t		 i;
	int		 rc = MB_OK;

	if ((doc = json_loadb(utf8, len, JSON_REJECT_DUPLICATES, &je)) ==
	    NULL)
		return mb_diag_set(d, MB_ERR_INVAL, "JSON Feed: line %d: %s",
		    je.line, je.text);
	version = str(doc, "version");
	if (strstr(version, "jsonfeed.org/version/") == NULL) {
		json_decref(doc);
		return mb_diag_set(d, MB_ERR_INVAL, "not a JSON Feed (no "
		    "\"version\": \"https://jsonfeed.org/version/1.1\")");
	}
	free(f->title);
	free(f->link);
	free(f->language);
	f->title = strdup(str(doc, "title"));
	f->link = strdup(str(doc, "home_page_url"));
	f->language = strdup(str(doc, "language"));
	if (f->title == NULL || f->link == NULL || f->language == NULL)
		rc = MB_ERR_NOMEM;
	items = json_object_get(doc, "items");
	if (rc == MB_OK && !json_is_array(items))
		rc = mb_diag_set(d, MB_ERR_INVAL, "JSON Feed: \"items\" must "
		    "be an array");
	json_array_foreach(items, i, it)
		if (rc == MB_OK)
			rc = item(f, o, it, d);
	json_decref(doc);
	return rc;
}
