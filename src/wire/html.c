/* SPDX-License-Identifier: MIT */
/*
 * HTML inside feeds: relative links made absolute against the entry's
 * base (xml:base, else the feed's URL), and the text of an HTML title.
 * libxml2's HTML parser, no network. Sanitizing is the caller's (the
 * feeds service runs the site's sanitizer before an item is signed).
 */
#include <ctype.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <libxml/uri.h>

#include "wire_int.h"

static bool
is_hex(char c)
{
	return isxdigit((unsigned char)c) != 0;
}

int
mb_wire__uri_escape(const char *s, struct mb_buf *out)
{
	static const char	hex[] = "0123456789ABCDEF";
	const unsigned char	*p;
	int			 rc = MB_OK;

	while (isspace((unsigned char)*s))
		s++;
	for (p = (const unsigned char *)s; *p != '\0' && rc == MB_OK; p++) {
		if (*p <= 0x20 || *p >= 0x7f || strchr("<>\"{}|\\^`", *p) !=
		    NULL || (*p == '%' && !(is_hex((char)p[1]) &&
		    is_hex((char)p[2])))) {
			if (*p <= 0x20 && p[1] == '\0')
				break;	/* trailing white space */
			if ((rc = mb_buf_putc(out, '%')) == MB_OK &&
			    (rc = mb_buf_putc(out, hex[*p >> 4])) == MB_OK)
				rc = mb_buf_putc(out, hex[*p & 15]);
		} else
			rc = mb_buf_putc(out, (char)*p);
	}
	return rc;
}

int
mb_wire__strip_userinfo(const char *url, struct mb_buf *out)
{
	const char	*h = strstr(url, "://"), *end, *at;

	if (h == NULL)
		return mb_buf_puts(out, url);
	h += 3;
	end = h + strcspn(h, "/?#");
	for (at = end; at > h && at[-1] != '@'; at--)
		;
	if (at == h)
		return mb_buf_puts(out, url);
	return mb_buf_printf(out, "%.*s%s", (int)(h - url), url, at);
}

int
mb_wire_resolve(const char *base, const char *ref, struct mb_buf *out)
{
	struct mb_buf	 e = MB_BUF_INIT;
	xmlChar		*r;
	int		 rc;

	if (ref == NULL)
		return MB_ERR_INVAL;
	/* Fragments and the schemes that are not places stay as they are. */
	if (base == NULL || base[0] == '\0' || ref[0] == '#' ||
	    strncmp(ref, "mailto:", 7) == 0 || strncmp(ref, "data:", 5) == 0)
		return mb_wire__uri_escape(ref, out);
	/* libxml2 refuses a reference with a space or a byte over 0x7f. */
	if ((rc = mb_wire__uri_escape(ref, &e)) != MB_OK)
		return rc;
	r = xmlBuildURI((const xmlChar *)mb_buf_cstr(&e),
	    (const xmlChar *)base);
	mb_buf_free(&e);
	if (r == NULL)
		return MB_ERR_INVAL;
	rc = mb_wire__uri_escape((const char *)r, out);
	xmlFree(r);
	return rc;
}

/* A fragment parsed inside <body>; the document is the caller's to free. */
static htmlDocPtr
parse_fragment(const char *html, xmlNode **body)
{
	struct mb_buf	 b = MB_BUF_INIT;
	htmlDocPtr	 doc;
	xmlNode		*n;

	if (mb_buf_puts(&b, "<!DOCTYPE html><html><head><meta charset=\"utf-8\">"
	    "</head><body>") != MB_OK || mb_buf_puts(&b, html) != MB_OK ||
	    mb_buf_puts(&b, "</body></html>") != MB_OK) {
		mb_buf_free(&b);
		return NULL;
	}
	doc = htmlReadMemory(b.data, (int)b.len, NULL, "UTF-8",
	    HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
	    HTML_PARSE_RECOVER);
	mb_buf_free(&b);
	if (doc == NULL)
		return NULL;
	*body = NULL;
	for (n = xmlDocGetRootElement(doc); n != NULL; n = n->next)
		if (n->type == XML_ELEMENT_NODE)
			for (xmlNode *c = n->children; c != NULL; c = c->next)
				if (c->type == XML_ELEMENT_NODE &&
				    strcmp((const char *)c->name, "body") == 0)
					*body = c;
	if (*body == NULL) {
		xmlFreeDoc(doc);
		return NULL;
	}
	return doc;
}

static void
resolve_tree(xmlNode *n, const char *base)
{
	static const char *const attrs[] = { "href", "src", "poster", "cite",
		NULL };
	struct mb_buf	b = MB_BUF_INIT;
	size_t		i;

	for (; n != NULL; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		for (i = 0; attrs[i] != NULL; i++) {
			xmlChar *v = xmlGetProp(n, (const xmlChar *)attrs[i]);

			if (v == NULL)
				continue;
			mb_buf_reset(&b);
			if (mb_wire_resolve(base, (const char *)v, &b) == MB_OK &&
			    strcmp(mb_buf_cstr(&b), (const char *)v) != 0)
				xmlSetProp(n, (const xmlChar *)attrs[i],
				    (const xmlChar *)mb_buf_cstr(&b));
			xmlFree(v);
		}
		resolve_tree(n->children, base);
	}
	mb_buf_free(&b);
}

int
mb_wire__html_resolve(const char *html, const char *base,
    struct mb_buf *out)
{
	htmlDocPtr	 doc;
	xmlNode		*body, *c;
	xmlBuffer	*xb;
	int		 rc = MB_OK;

	/* Nothing to resolve: the bytes as they came (the sanitizer next). */
	if (base == NULL || base[0] == '\0' || (strstr(html, "href") ==
	    NULL && strstr(html, "src") == NULL && strstr(html, "poster") ==
	    NULL && strstr(html, "cite") == NULL))
		return mb_buf_puts(out, html);
	if ((doc = parse_fragment(html, &body)) == NULL)
		return mb_buf_puts(out, html);
	resolve_tree(body->children, base);
	if ((xb = xmlBufferCreate()) == NULL) {
		xmlFreeDoc(doc);
		return MB_ERR_NOMEM;
	}
	for (c = body->children; c != NULL; c = c->next) {
		xmlOutputBuffer *ob = xmlOutputBufferCreateBuffer(xb, NULL);

		if (ob == NULL) {
			rc = MB_ERR_NOMEM;
			break;
		}
		htmlNodeDumpFormatOutput(ob, doc, c, "UTF-8", 0);
		xmlOutputBufferClose(ob);
	}
	if (rc == MB_OK)
		rc = mb_buf_append(out, xmlBufferContent(xb),
		    (size_t)xmlBufferLength(xb));
	xmlBufferFree(xb);
	xmlFreeDoc(doc);
	return rc;
}

void
mb_wire__squash(struct mb_buf *b)
{
	size_t	i, j;
	bool	space = false;

	if (b->data == NULL)
		return;
	for (i = j = 0; i < b->len; i++) {
		if (isspace((unsigned char)b->data[i])) {
			space = j > 0;
			continue;
		}
		if (space)
			b->data[j++] = ' ';
		space = false;
		b->data[j++] = b->data[i];
	}
	b->len = j;
	b->data[j] = '\0';
}

int
mb_wire__html_text(const char *html, struct mb_buf *out)
{
	htmlDocPtr	 doc;
	xmlNode		*body;
	xmlChar		*c;
	int		 rc;
	struct mb_buf	 t = MB_BUF_INIT;

	if ((doc = parse_fragment(html, &body)) == NULL)
		return mb_buf_puts(out, html);
	c = xmlNodeGetContent(body);
	rc = mb_buf_puts(&t, c != NULL ? (const char *)c : "");
	xmlFree(c);
	xmlFreeDoc(doc);
	mb_wire__squash(&t);
	if (rc == MB_OK)
		rc = mb_buf_append(out, mb_buf_cstr(&t), t.len);
	mb_buf_free(&t);
	return rc;
}
