/* SPDX-License-Identifier: MIT */
/* Atom 1.0 (RFC 4287): the feed and its entries to entries. */
#include <stdlib.h>
#include <string.h>

#include "wire_int.h"

/*
 * An Atom text construct (title, summary, content): type "text" (the
 * default), "html" (escaped HTML), "xhtml" (a div of XHTML), or a media
 * type. as_html: the value appended to out is HTML; else text.
 */
static int
text_construct(xmlNode *n, struct mb_buf *out, bool *html)
{
	struct mb_buf	type = MB_BUF_INIT;
	int		rc;

	if ((rc = mb_wire__attr(n, "type", &type)) != MB_OK)
		goto out;
	if (strcmp(mb_buf_cstr(&type), "xhtml") == 0) {
		xmlNode *div = NULL;

		for (xmlNode *c = n->children; c != NULL; c = c->next)
			if (c->type == XML_ELEMENT_NODE) {
				div = c;
				break;
			}
		/* The div is the container, not content (RFC 4287 3.1.1.3). */
		rc = mb_wire__inner_xml(div != NULL ? div : n, out);
		*html = true;
	} else {
		rc = mb_wire__text(n, out);
		*html = strcmp(mb_buf_cstr(&type), "html") == 0 ||
		    strstr(mb_buf_cstr(&type), "html") != NULL;
	}
out:
	mb_buf_free(&type);
	return rc;
}

/* Escapes text for HTML (a text construct used as a body). */
static int
escape_into(const char *s, struct mb_buf *out)
{
	int	rc = MB_OK;

	for (; *s != '\0' && rc == MB_OK; s++) {
		switch (*s) {
		case '<': rc = mb_buf_puts(out, "&lt;"); break;
		case '>': rc = mb_buf_puts(out, "&gt;"); break;
		case '&': rc = mb_buf_puts(out, "&amp;"); break;
		case '\n': rc = mb_buf_puts(out, "<br>"); break;
		default: rc = mb_buf_putc(out, *s);
		}
	}
	return rc;
}

static int
person(struct wire_entry *e, xmlNode *p)
{
	struct mb_buf	b = MB_BUF_INIT;
	int		rc = MB_OK;

	for (xmlNode *c = p->children; c != NULL && rc == MB_OK; c = c->next)
		if (mb_wire__is(c, NS_ATOM, "name") &&
		    (rc = mb_wire__text(c, &b)) == MB_OK)
			rc = mb_wire__entry_by(e, mb_buf_cstr(&b));
	mb_buf_free(&b);
	return rc;
}

static int
link_of(struct wire_entry *e, xmlNode *c)
{
	struct mb_buf	rel = MB_BUF_INIT, href = MB_BUF_INIT,
			type = MB_BUF_INIT;
	int		rc;

	if ((rc = mb_wire__attr(c, "rel", &rel)) != MB_OK ||
	    (rc = mb_wire__attr(c, "href", &href)) != MB_OK ||
	    (rc = mb_wire__attr(c, "type", &type)) != MB_OK)
		goto out;
	if ((rel.len == 0 || strcmp(rel.data, "alternate") == 0) &&
	    e->link.len == 0) {
		/* Relative hrefs resolve against the link's own base. */
		struct mb_buf base = MB_BUF_INIT;

		if ((rc = mb_wire__base(c, NULL, &base)) == MB_OK)
			rc = mb_wire_resolve(mb_buf_cstr(&base),
			    mb_buf_cstr(&href), &e->link);
		mb_buf_free(&base);
	} else if (strcmp(mb_buf_cstr(&rel), "enclosure") == 0)
		rc = mb_wire__entry_media(e, mb_buf_cstr(&href),
		    mb_buf_cstr(&type), 0, 0);
out:
	mb_buf_free(&rel);
	mb_buf_free(&href);
	mb_buf_free(&type);
	return rc;
}

static int
entry(struct mb_wire_feed *f, const struct mb_wire_opts *o, xmlNode *en,
    struct mb_diag *d)
{
	struct wire_entry	 e;
	struct mb_buf		 tmp = MB_BUF_INIT, content = MB_BUF_INIT;
	bool			 html = false, content_html = false;
	xmlNode			*content_node = NULL;
	xmlChar			*lang;
	int			 rc = MB_OK;

	mb_wire__entry_init(&e);
	if ((lang = xmlNodeGetLang(en)) != NULL) {
		rc = mb_buf_puts(&e.lang, (const char *)lang);
		xmlFree(lang);
	}
	for (xmlNode *c = en->children; c != NULL && rc == MB_OK; c = c->next) {
		mb_buf_reset(&tmp);
		if (mb_wire__is(c, NS_ATOM, "id"))
			rc = mb_wire__text(c, &e.id);
		else if (mb_wire__is(c, NS_ATOM, "title")) {
			rc = text_construct(c, &e.title, &e.title_html);
		} else if (mb_wire__is(c, NS_ATOM, "link"))
			rc = link_of(&e, c);
		else if (mb_wire__is(c, NS_ATOM, "content")) {
			content_node = c;
			if ((rc = mb_wire__attr(c, "src", &tmp)) == MB_OK &&
			    tmp.len > 0 && e.link.len == 0)
				rc = mb_buf_append(&e.link, tmp.data, tmp.len);
			else if (rc == MB_OK)
				rc = text_construct(c, &content,
				    &content_html);
		} else if (mb_wire__is(c, NS_ATOM, "summary"))
			rc = text_construct(c, &e.summary, &e.summary_html);
		else if (mb_wire__is(c, NS_ATOM, "published"))
			e.published_ms = mb_wire__date_of(c);
		else if (mb_wire__is(c, NS_ATOM, "updated"))
			e.updated_ms = mb_wire__date_of(c);
		else if (mb_wire__is(c, NS_ATOM, "author"))
			rc = person(&e, c);
		else if (mb_wire__is(c, NS_ATOM, "category")) {
			struct mb_buf label = MB_BUF_INIT, scheme = MB_BUF_INIT;

			if ((rc = mb_wire__attr(c, "label", &label)) == MB_OK &&
			    (rc = mb_wire__attr(c, "term", &tmp)) == MB_OK)
				rc = mb_wire__entry_subject(&e, label.len > 0 ?
				    mb_buf_cstr(&label) : mb_buf_cstr(&tmp),
				    NULL);
			mb_buf_free(&label);
			mb_buf_free(&scheme);
		}
	}
	if (rc != MB_OK)
		goto out;
	if ((rc = mb_wire__base(content_node != NULL ? content_node : en,
	    o->url, &e.base)) != MB_OK)
		goto out;
	if ((rc = mb_wire__media_of(&e, en)) != MB_OK)
		goto out;
	if (content.len > 0) {
		if (content_html)
			rc = mb_buf_append(&e.body, content.data, content.len);
		else
			rc = escape_into(mb_buf_cstr(&content), &e.body);
	} else if (e.summary.len > 0) {
		/* No content: the summary is all there is to read. */
		if (e.summary_html)
			rc = mb_buf_append(&e.body, e.summary.data,
			    e.summary.len);
		else
			rc = escape_into(mb_buf_cstr(&e.summary), &e.body);
		mb_buf_reset(&e.summary);
	}
	(void)html;
	if (rc == MB_OK)
		rc = mb_wire__emit(f, o, &e, d);
out:
	mb_buf_free(&tmp);
	mb_buf_free(&content);
	mb_wire__entry_free(&e);
	return rc;
}

int
mb_wire__atom(xmlDoc *doc, const struct mb_wire_opts *o,
    struct mb_wire_feed *f, struct mb_diag *d)
{
	xmlNode		*root = xmlDocGetRootElement(doc);
	struct mb_buf	 b = MB_BUF_INIT;
	xmlChar		*lang;
	bool		 html = false;
	int		 rc = MB_OK;

	if ((lang = xmlNodeGetLang(root)) != NULL) {
		free(f->language);
		f->language = strdup((const char *)lang);
		xmlFree(lang);
		if (f->language == NULL)
			return MB_ERR_NOMEM;
	}
	for (xmlNode *c = root->children; c != NULL && rc == MB_OK;
	    c = c->next) {
		if (mb_wire__is(c, NS_ATOM, "title") && f->title[0] == '\0') {
			mb_buf_reset(&b);
			if ((rc = text_construct(c, &b, &html)) == MB_OK) {
				if (html) {
					struct mb_buf t = MB_BUF_INIT;

					rc = mb_wire__html_text(mb_buf_cstr(&b),
					    &t);
					mb_buf_free(&b);
					b = t;
				}
				mb_wire__squash(&b);
				free(f->title);
				f->title = mb_buf_steal(&b);
			}
		} else if (mb_wire__is(c, NS_ATOM, "link") &&
		    f->link[0] == '\0') {
			struct mb_buf rel = MB_BUF_INIT;

			mb_buf_reset(&b);
			if ((rc = mb_wire__attr(c, "rel", &rel)) == MB_OK &&
			    (rel.len == 0 || strcmp(rel.data, "alternate") ==
			    0) && (rc = mb_wire__attr(c, "href", &b)) ==
			    MB_OK) {
				free(f->link);
				f->link = mb_buf_steal(&b);
			}
			mb_buf_free(&rel);
		} else if (mb_wire__is(c, NS_ATOM, "entry"))
			rc = entry(f, o, c, d);
	}
	mb_buf_free(&b);
	if (rc == MB_OK && (f->title == NULL || f->link == NULL))
		rc = MB_ERR_NOMEM;
	return rc;
}
