/* SPDX-License-Identifier: MIT */
/*
 * NewsML-G2 out: a ninjs item as a NewsML-G2 2.35 newsItem that the IPTC
 * schema accepts (elements in the schema's order), its HTML body as
 * XHTML in inlineXML. What an agency's system reads from a center.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>

#include "base/timeutil.h"
#include "base/xml.h"
#include "wire_int.h"

#define MEDTOP_URI	"http://cv.iptc.org/newscodes/mediatopic/"

/* s as XML text or attribute value; characters XML forbids dropped. */
static int
esc(struct mb_buf *b, const char *s)
{
	return mb_xml_text(b, s);
}

static const char *
str(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* The first value of a ninjs text array with role r (or any). */
static const char *
first(const json_t *arr, const char *role)
{
	const json_t	*v;
	size_t		 i;

	json_array_foreach(arr, i, v)
		if (role == NULL || str(v, "role") == NULL ||
		    strcmp(str(v, "role"), role) == 0)
			return str(v, "value");
	return NULL;
}

/* An RFC 3339 time as NewsML-G2 wants it (xs:dateTime with a zone). */
static int
elem_time(struct mb_buf *b, const char *name, const char *t)
{
	int64_t	ms;
	char	out[MB_TIME_RFC3339_LEN];

	if (t == NULL || mb_time_parse(t, &ms) != MB_OK)
		return MB_OK;
	mb_time_format(ms, out);
	return mb_buf_printf(b, "    <%s>%s</%s>\n", name, out, name);
}

/* The HTML body as XHTML, the children of <body>. */
static int
xhtml(struct mb_buf *b, const char *html)
{
	struct mb_buf	 w = MB_BUF_INIT;
	htmlDocPtr	 doc;
	xmlNode		*n, *body = NULL;
	int		 rc;

	if ((rc = mb_buf_puts(&w, "<!DOCTYPE html><html><head><meta charset="
	    "\"utf-8\"></head><body>")) != MB_OK ||
	    (rc = mb_buf_puts(&w, html)) != MB_OK ||
	    (rc = mb_buf_puts(&w, "</body></html>")) != MB_OK)
		goto out;
	doc = htmlReadMemory(w.data, (int)w.len, NULL, "UTF-8",
	    HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
	    HTML_PARSE_RECOVER);
	if (doc == NULL) {
		rc = esc(b, html);
		goto out;
	}
	for (n = xmlDocGetRootElement(doc); n != NULL && body == NULL;
	    n = n->next)
		for (xmlNode *c = n->children; c != NULL; c = c->next)
			if (c->type == XML_ELEMENT_NODE &&
			    strcmp((const char *)c->name, "body") == 0)
				body = c;
	if (body != NULL) {
		/* Serialized as XML: <br/>, quoted attributes, escaped text. */
		xmlBuffer *xb = xmlBufferCreate();

		if (xb == NULL)
			rc = MB_ERR_NOMEM;
		for (n = body->children; n != NULL && rc == MB_OK; n = n->next)
			if (xmlNodeDump(xb, doc, n, 0, 0) < 0)
				rc = MB_ERR_NOMEM;
		if (rc == MB_OK)
			rc = mb_buf_append(b, xmlBufferContent(xb),
			    (size_t)xmlBufferLength(xb));
		xmlBufferFree(xb);
	}
	xmlFreeDoc(doc);
out:
	mb_buf_free(&w);
	return rc;
}

static int
subjects(struct mb_buf *b, const json_t *item)
{
	const json_t	*s;
	size_t		 i;
	int		 rc = MB_OK;

	json_array_foreach(json_object_get(item, "subjects"), i, s) {
		const char *uri = str(s, "uri"), *name = str(s, "name");

		if (uri == NULL && name == NULL)
			continue;
		rc = mb_buf_puts(b, "    <subject");
		if (rc == MB_OK && uri != NULL && strncmp(uri, MEDTOP_URI,
		    strlen(MEDTOP_URI)) == 0)
			rc = mb_buf_printf(b, " qcode=\"medtop:%s\"", uri +
			    strlen(MEDTOP_URI));
		else if (rc == MB_OK && uri != NULL) {
			if ((rc = mb_buf_puts(b, " uri=\"")) == MB_OK &&
			    (rc = esc(b, uri)) == MB_OK)
				rc = mb_buf_putc(b, '"');
		} else if (rc == MB_OK) {
			/* A keyword-like subject: its name is its literal. */
			if ((rc = mb_buf_puts(b, " literal=\"")) == MB_OK &&
			    (rc = esc(b, name)) == MB_OK)
				rc = mb_buf_putc(b, '"');
		}
		if (rc == MB_OK && name != NULL) {
			if ((rc = mb_buf_puts(b, "><name>")) == MB_OK &&
			    (rc = esc(b, name)) == MB_OK)
				rc = mb_buf_puts(b, "</name></subject>\n");
		} else if (rc == MB_OK)
			rc = mb_buf_puts(b, "/>\n");
		if (rc != MB_OK)
			break;
	}
	return rc;
}

static int
sources(struct mb_buf *b, const json_t *item)
{
	const json_t	*s;
	size_t		 i;
	int		 rc = MB_OK;

	json_array_foreach(json_object_get(item, "infoSources"), i, s) {
		const char *uri = str(s, "uri"), *name = str(s, "name");

		if (uri == NULL && name == NULL)
			continue;
		if ((rc = mb_buf_puts(b, "    <infoSource")) != MB_OK)
			break;
		if (uri != NULL && ((rc = mb_buf_puts(b, " uri=\"")) != MB_OK ||
		    (rc = esc(b, uri)) != MB_OK || (rc = mb_buf_putc(b, '"')) !=
		    MB_OK))
			break;
		if (name != NULL)
			rc = (rc = mb_buf_puts(b, "><name>")) == MB_OK &&
			    (rc = esc(b, name)) == MB_OK ?
			    mb_buf_puts(b, "</name></infoSource>\n") : rc;
		else
			rc = mb_buf_puts(b, "/>\n");
		if (rc != MB_OK)
			break;
	}
	return rc;
}

/* The newsItem element itself (no XML declaration). */
static int
news_item(const json_t *item, const char *source, struct mb_buf *b,
    struct mb_diag *d)
{
	const char	*uri = str(item, "uri"), *lang = str(item, "language"),
			*type = str(item, "type"), *v = str(item, "version"),
			*headline, *body, *summary, *t;
	long		 version = v != NULL ? atol(v) : 1;
	int		 rc;

	if (uri == NULL)
		return mb_diag_set(d, MB_ERR_INVAL, "item: no uri");
	if (version < 1)
		version = 1;
	if (type == NULL || (strcmp(type, "text") != 0 && strcmp(type,
	    "picture") != 0 && strcmp(type, "video") != 0 && strcmp(type,
	    "audio") != 0 && strcmp(type, "graphic") != 0 && strcmp(type,
	    "composite") != 0))
		type = "text";
	headline = first(json_object_get(item, "headlines"), "main");
	body = first(json_object_get(item, "bodies"), "main");
	summary = first(json_object_get(item, "descriptions"), "summary");
	if ((rc = mb_buf_puts(b, "<newsItem xmlns=\"" NS_G2 "\" guid=\"")) !=
	    MB_OK || (rc = esc(b, uri)) != MB_OK ||
	    (rc = mb_buf_printf(b, "\" version=\"%ld\" standard=\"NewsML-G2\" "
	    "standardversion=\"2.35\" conformance=\"power\"", version)) !=
	    MB_OK)
		return rc;
	if (lang != NULL && ((rc = mb_buf_puts(b, " xml:lang=\"")) != MB_OK ||
	    (rc = esc(b, lang)) != MB_OK || (rc = mb_buf_putc(b, '"')) !=
	    MB_OK))
		return rc;
	if ((rc = mb_buf_printf(b, ">\n  <catalogRef href=\"http://www.iptc."
	    "org/std/catalog/catalog.IPTC-G2-Standards_38.xml\"/>\n"
	    "  <itemMeta>\n    <itemClass qcode=\"ninat:%s\"/>\n"
	    "    <provider literal=\"", type)) != MB_OK ||
	    (rc = esc(b, source)) != MB_OK ||
	    (rc = mb_buf_puts(b, "\"/>\n")) != MB_OK)
		return rc;
	t = str(item, "versionCreated");
	if (t == NULL || mb_time_parse(t, &(int64_t){ 0 }) != MB_OK)
		return mb_diag_set(d, MB_ERR_INVAL, "item: no versionCreated");
	if ((rc = elem_time(b, "versionCreated", t)) != MB_OK ||
	    (rc = elem_time(b, "firstCreated", str(item, "firstCreated"))) !=
	    MB_OK || (rc = elem_time(b, "embargoed", str(item,
	    "embargoedUntil"))) != MB_OK)
		return rc;
	t = str(item, "pubStatus");
	if ((rc = mb_buf_printf(b, "    <pubStatus qcode=\"stat:%s\"/>\n"
	    "  </itemMeta>\n  <contentMeta>\n", t != NULL && strcmp(t,
	    "withheld") == 0 ? "withheld" : t != NULL && strcmp(t,
	    "canceled") == 0 ? "canceled" : "usable")) != MB_OK ||
	    (rc = elem_time(b, "contentCreated", str(item,
	    "contentCreated"))) != MB_OK ||
	    (rc = sources(b, item)) != MB_OK)
		return rc;
	if ((t = str(item, "by")) != NULL &&
	    ((rc = mb_buf_puts(b, "    <creator><name>")) != MB_OK ||
	    (rc = esc(b, t)) != MB_OK ||
	    (rc = mb_buf_puts(b, "</name></creator>\n")) != MB_OK))
		return rc;
	if (lang != NULL && ((rc = mb_buf_puts(b, "    <language tag=\"")) !=
	    MB_OK || (rc = esc(b, lang)) != MB_OK ||
	    (rc = mb_buf_puts(b, "\"/>\n")) != MB_OK))
		return rc;
	if ((rc = subjects(b, item)) != MB_OK)
		return rc;
	if ((t = str(item, "slugline")) != NULL &&
	    ((rc = mb_buf_puts(b, "    <slugline>")) != MB_OK ||
	    (rc = esc(b, t)) != MB_OK ||
	    (rc = mb_buf_puts(b, "</slugline>\n")) != MB_OK))
		return rc;
	if (headline != NULL && ((rc = mb_buf_puts(b, "    <headline>")) !=
	    MB_OK || (rc = esc(b, headline)) != MB_OK ||
	    (rc = mb_buf_puts(b, "</headline>\n")) != MB_OK))
		return rc;
	if (summary != NULL && ((rc = mb_buf_puts(b, "    <description "
	    "role=\"drol:summary\">")) != MB_OK || (rc = esc(b, summary)) !=
	    MB_OK || (rc = mb_buf_puts(b, "</description>\n")) != MB_OK))
		return rc;
	if ((rc = mb_buf_puts(b, "  </contentMeta>\n")) != MB_OK)
		return rc;
	if (body != NULL) {
		if ((rc = mb_buf_puts(b, "  <contentSet>\n    <inlineXML "
		    "contenttype=\"application/xhtml+xml\">\n      <html xmlns="
		    "\"" NS_XHTML "\"><head><title>")) != MB_OK ||
		    (rc = esc(b, headline != NULL ? headline : "")) != MB_OK ||
		    (rc = mb_buf_puts(b, "</title></head><body>")) != MB_OK ||
		    (rc = xhtml(b, body)) != MB_OK ||
		    (rc = mb_buf_puts(b, "</body></html>\n    </inlineXML>\n"
		    "  </contentSet>\n")) != MB_OK)
			return rc;
	}
	return mb_buf_puts(b, "</newsItem>\n");
}

int
mb_wire_newsml_write(const json_t *item, const char *source,
    struct mb_buf *out, struct mb_diag *d)
{
	struct mb_buf	b = MB_BUF_INIT;
	int		rc;

	if ((rc = mb_buf_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
	    "\n")) == MB_OK && (rc = news_item(item, source, &b, d)) == MB_OK)
		rc = mb_buf_append(out, mb_buf_cstr(&b), b.len);
	mb_buf_free(&b);
	return rc;
}

int
mb_wire_newsml_message_begin(const char *source, int64_t now_ms,
    struct mb_buf *out)
{
	char	t[MB_TIME_RFC3339_LEN];
	int	rc;

	mb_time_format(now_ms, t);
	if ((rc = mb_buf_printf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\""
	    "?>\n<newsMessage xmlns=\"" NS_G2 "\">\n  <header>\n"
	    "    <sent>%s</sent>\n    <sender>", t)) != MB_OK ||
	    (rc = esc(out, source)) != MB_OK)
		return rc;
	return mb_buf_puts(out, "</sender>\n  </header>\n  <itemSet>\n");
}

int
mb_wire_newsml_message_item(const json_t *item, const char *source,
    struct mb_buf *out, struct mb_diag *d)
{
	struct mb_buf	b = MB_BUF_INIT;
	int		rc;

	/* All or nothing: an item that fails leaves the message as it was. */
	if ((rc = news_item(item, source, &b, d)) == MB_OK)
		rc = mb_buf_append(out, mb_buf_cstr(&b), b.len);
	mb_buf_free(&b);
	return rc;
}

int
mb_wire_newsml_message_end(struct mb_buf *out)
{
	return mb_buf_puts(out, "  </itemSet>\n</newsMessage>\n");
}
