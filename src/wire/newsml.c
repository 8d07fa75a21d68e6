/* SPDX-License-Identifier: MIT */
/*
 * NewsML-G2 in: newsItem (text, picture, video, audio, graphic) and
 * packageItem, alone or in a newsMessage, to entries. The identity is
 * the item's guid; its version travels in altIds.
 */
#include <stdlib.h>
#include <string.h>

#include "wire_int.h"

/* A qcode of the IPTC media topics, as the URI ninjs wants. */
#define MEDTOP_URI	"http://cv.iptc.org/newscodes/mediatopic/"

static xmlNode *
child(const xmlNode *n, const char *name)
{
	for (xmlNode *c = n != NULL ? n->children : NULL; c != NULL;
	    c = c->next)
		if (mb_wire__is(c, NS_G2, name))
			return c;
	return NULL;
}

/* "ninat:picture" (or its URI form) to the ninjs type. */
static const char *
nature(const xmlNode *itemmeta)
{
	static const char *const types[] = { "text", "picture", "video",
		"audio", "graphic", "composite", NULL };
	struct mb_buf	 q = MB_BUF_INIT;
	const char	*t = "text", *s;
	xmlNode		*ic = child(itemmeta, "itemClass");

	if (ic != NULL && mb_wire__attr(ic, "qcode", &q) == MB_OK &&
	    q.len == 0)
		mb_wire__attr(ic, "uri", &q);
	if ((s = strrchr(mb_buf_cstr(&q), ':')) != NULL ||
	    (s = strrchr(mb_buf_cstr(&q), '/')) != NULL)
		for (size_t i = 0; types[i] != NULL; i++)
			if (strcmp(s + 1, types[i]) == 0)
				t = types[i];
	mb_buf_free(&q);
	return t;
}

/* The body: XHTML's <body>, NITF's <body.content>, or escaped text. */
static int
content(struct wire_entry *e, xmlNode *cset)
{
	xmlNode	*n;
	int	 rc = MB_OK;

	for (xmlNode *c = cset->children; c != NULL && rc == MB_OK;
	    c = c->next) {
		if (mb_wire__is(c, NS_G2, "inlineXML") && e->body.len == 0) {
			xmlNode *body = NULL;

			for (n = c->children; n != NULL; n = n->next) {
				if (n->type != XML_ELEMENT_NODE)
					continue;
				/* html > body, or nitf > body > body.content */
				for (xmlNode *k = n->children; k != NULL;
				    k = k->next)
					if (k->type == XML_ELEMENT_NODE &&
					    strcmp((const char *)k->name,
					    "body") == 0)
						body = k;
				if (body == NULL)
					body = n;
				for (xmlNode *k = body->children; k != NULL;
				    k = k->next)
					if (k->type == XML_ELEMENT_NODE &&
					    strcmp((const char *)k->name,
					    "body.content") == 0)
						body = k;
				break;
			}
			if (body != NULL)
				rc = mb_wire__inner_xml(body, &e->body);
		} else if (mb_wire__is(c, NS_G2, "inlineData") &&
		    e->body.len == 0) {
			struct mb_buf t = MB_BUF_INIT;

			if ((rc = mb_wire__text(c, &t)) == MB_OK)
				for (const char *s = mb_buf_cstr(&t);
				    *s != '\0' && rc == MB_OK; s++)
					rc = *s == '<' ? mb_buf_puts(&e->body,
					    "&lt;") : *s == '&' ?
					    mb_buf_puts(&e->body, "&amp;") :
					    mb_buf_putc(&e->body, *s);
			mb_buf_free(&t);
		} else if (mb_wire__is(c, NS_G2, "remoteContent")) {
			struct mb_buf h = MB_BUF_INIT, t = MB_BUF_INIT,
				      w = MB_BUF_INIT, hh = MB_BUF_INIT;

			if ((rc = mb_wire__attr(c, "href", &h)) == MB_OK &&
			    (rc = mb_wire__attr(c, "contenttype", &t)) ==
			    MB_OK && (rc = mb_wire__attr(c, "width", &w)) ==
			    MB_OK && (rc = mb_wire__attr(c, "height", &hh)) ==
			    MB_OK)
				rc = mb_wire__entry_media(e, mb_buf_cstr(&h),
				    mb_buf_cstr(&t), atol(mb_buf_cstr(&w)),
				    atol(mb_buf_cstr(&hh)));
			mb_buf_free(&h);
			mb_buf_free(&t);
			mb_buf_free(&w);
			mb_buf_free(&hh);
		}
	}
	return rc;
}

static int
subject(struct wire_entry *e, xmlNode *s)
{
	struct mb_buf	name = MB_BUF_INIT, q = MB_BUF_INIT, uri = MB_BUF_INIT;
	int		rc;

	if ((rc = mb_wire__attr(s, "qcode", &q)) != MB_OK ||
	    (rc = mb_wire__attr(s, "uri", &uri)) != MB_OK)
		goto out;
	if (uri.len == 0 && strncmp(mb_buf_cstr(&q), "medtop:", 7) == 0)
		rc = mb_buf_printf(&uri, MEDTOP_URI "%s", q.data + 7);
	else if (uri.len == 0)
		rc = mb_buf_append(&uri, mb_buf_cstr(&q), q.len);
	if (rc != MB_OK)
		goto out;
	/* The first name (the language of the item, usually). */
	if ((rc = mb_wire__text(child(s, "name"), &name)) == MB_OK)
		rc = mb_wire__entry_subject(e, name.len > 0 ?
		    mb_buf_cstr(&name) : mb_buf_cstr(&q), mb_buf_cstr(&uri));
out:
	mb_buf_free(&name);
	mb_buf_free(&q);
	mb_buf_free(&uri);
	return rc;
}

static int
info_source(struct wire_entry *e, xmlNode *c)
{
	struct mb_buf	 uri = MB_BUF_INIT, name = MB_BUF_INIT,
			 esc = MB_BUF_INIT;
	json_t		*s = NULL;
	int		 rc;

	if ((rc = mb_wire__attr(c, "uri", &uri)) != MB_OK ||
	    (rc = mb_wire__text(child(c, "name"), &name)) != MB_OK ||
	    (rc = mb_wire__uri_escape(mb_buf_cstr(&uri), &esc)) != MB_OK)
		goto out;
	if (name.len == 0 && (esc.len == 0 || strchr(esc.data, ':') == NULL))
		goto out;
	rc = MB_ERR_NOMEM;
	if ((e->sources == NULL && (e->sources = json_array()) == NULL) ||
	    (s = json_pack("{ss}", "role", "originator")) == NULL)
		goto out;
	if (name.len > 0)
		json_object_set_new(s, "name", json_string(name.data));
	if (esc.len > 0 && strchr(esc.data, ':') != NULL)
		json_object_set_new(s, "uri", json_string(esc.data));
	if (json_array_size(e->sources) < 10 &&
	    json_array_append(e->sources, s) != 0)
		goto out;
	rc = MB_OK;
out:
	json_decref(s);
	mb_buf_free(&uri);
	mb_buf_free(&name);
	mb_buf_free(&esc);
	return rc;
}

static int
contentmeta(struct wire_entry *e, xmlNode *cm)
{
	struct mb_buf	tmp = MB_BUF_INIT;
	int		rc = MB_OK;

	for (xmlNode *c = cm != NULL ? cm->children : NULL;
	    c != NULL && rc == MB_OK; c = c->next) {
		mb_buf_reset(&tmp);
		if (mb_wire__is(c, NS_G2, "headline") && e->title.len == 0)
			rc = mb_wire__text(c, &e->title);
		else if (mb_wire__is(c, NS_G2, "description") &&
		    e->summary.len == 0)
			rc = mb_wire__text(c, &e->summary);
		else if (mb_wire__is(c, NS_G2, "subject"))
			rc = subject(e, c);
		else if (mb_wire__is(c, NS_G2, "language") &&
		    e->lang.len == 0)
			rc = mb_wire__attr(c, "tag", &e->lang);
		else if (mb_wire__is(c, NS_G2, "creator") ||
		    mb_wire__is(c, NS_G2, "by")) {
			xmlNode *nm = child(c, "name");

			if ((rc = mb_wire__text(nm != NULL ? nm : c, &tmp)) ==
			    MB_OK)
				rc = mb_wire__entry_by(e, mb_buf_cstr(&tmp));
		} else if (mb_wire__is(c, NS_G2, "contentCreated"))
			e->published_ms = mb_wire__date_of(c);
		else if (mb_wire__is(c, NS_G2, "contentModified"))
			e->updated_ms = mb_wire__date_of(c);
		else if (mb_wire__is(c, NS_G2, "infoSource"))
			rc = info_source(e, c);
		else if (mb_wire__is(c, NS_G2, "keyword")) {
			if ((rc = mb_wire__text(c, &tmp)) == MB_OK)
				rc = mb_wire__entry_subject(e,
				    mb_buf_cstr(&tmp), NULL);
		}
	}
	mb_buf_free(&tmp);
	return rc;
}

/* packageItem: its itemRefs as associations. */
static int
package(struct wire_entry *e, xmlNode *gs)
{
	struct mb_buf	 ref = MB_BUF_INIT, title = MB_BUF_INIT,
			 uri = MB_BUF_INIT;
	char		 name[32];
	int		 rc = MB_OK;

	for (xmlNode *g = gs->children; g != NULL && rc == MB_OK; g = g->next) {
		if (!mb_wire__is(g, NS_G2, "group"))
			continue;
		for (xmlNode *r = g->children; r != NULL && rc == MB_OK;
		    r = r->next) {
			json_t *a;

			if (!mb_wire__is(r, NS_G2, "itemRef"))
				continue;
			mb_buf_reset(&ref);
			mb_buf_reset(&title);
			mb_buf_reset(&uri);
			if ((rc = mb_wire__attr(r, "residref", &ref)) != MB_OK ||
			    (ref.len == 0 && (rc = mb_wire__attr(r, "href",
			    &ref)) != MB_OK) ||
			    (rc = mb_wire__text(child(r, "title"), &title)) !=
			    MB_OK)
				break;
			if (ref.len == 0)
				continue;
			if ((rc = mb_wire__uri_escape(mb_buf_cstr(&ref),
			    &uri)) != MB_OK)
				break;
			if (e->assocs == NULL &&
			    (e->assocs = json_array()) == NULL) {
				rc = MB_ERR_NOMEM;
				break;
			}
			if (json_array_size(e->assocs) >= 100)
				break;
			snprintf(name, sizeof(name), "ref%zu",
			    json_array_size(e->assocs) + 1);
			if ((a = json_pack("{ss ss}", "name", name, "uri",
			    mb_buf_cstr(&uri))) == NULL ||
			    json_array_append_new(e->assocs, a) != 0) {
				rc = MB_ERR_NOMEM;
				break;
			}
			mb_wire__squash(&title);
			if (title.len > 0)
				json_object_set_new(a, "headlines", json_pack(
				    "[{ss}]", "value", mb_buf_cstr(&title)));
		}
	}
	mb_buf_free(&ref);
	mb_buf_free(&title);
	mb_buf_free(&uri);
	return rc;
}

/*
 * itemMeta's pubStatus (stat:withheld, stat:canceled or the pubstatusg2
 * URI) and embargoed: an agency's withheld or canceled item, or one under
 * embargo, must not be shown before the agency allows it. An embargoed
 * element without a date is an embargo until further notice: withheld.
 */
static int
status(struct wire_entry *e, const xmlNode *im)
{
	struct mb_buf	 b = MB_BUF_INIT;
	const xmlNode	*n;
	const char	*c;
	int		 rc = MB_OK;

	if ((n = child(im, "pubStatus")) != NULL &&
	    (rc = mb_wire__attr(n, "qcode", &b)) == MB_OK && b.len == 0)
		rc = mb_wire__attr(n, "uri", &b);
	if (rc != MB_OK)
		goto out;
	if ((c = strrchr(mb_buf_cstr(&b), '/')) == NULL &&
	    (c = strrchr(mb_buf_cstr(&b), ':')) == NULL)
		c = mb_buf_cstr(&b);
	else
		c++;
	if (strcmp(c, "withheld") == 0)
		e->pub_status = "withheld";
	else if (strcmp(c, "canceled") == 0)
		e->pub_status = "canceled";
	if ((n = child(im, "embargoed")) != NULL &&
	    (e->embargo_ms = mb_wire__date_of(n)) == 0 &&
	    e->pub_status == NULL)
		e->pub_status = "withheld";
out:
	mb_buf_free(&b);
	return rc;
}

static int
one(struct mb_wire_feed *f, const struct mb_wire_opts *o, xmlNode *it,
    struct mb_diag *d)
{
	struct wire_entry	 e;
	struct mb_buf		 v = MB_BUF_INIT;
	xmlNode			*im = child(it, "itemMeta");
	xmlNode			*cm = child(it, "contentMeta"), *n;
	xmlChar			*lang;
	int			 rc;

	mb_wire__entry_init(&e);
	e.type = mb_wire__is(it, NS_G2, "packageItem") ? "composite" :
	    nature(im);
	if ((rc = mb_wire__attr(it, "guid", &e.id)) != MB_OK ||
	    (rc = mb_wire__attr(it, "version", &v)) != MB_OK)
		goto out;
	if (v.len > 0 && ((e.altids = json_array()) == NULL ||
	    json_array_append_new(e.altids, json_pack("{ss ss}", "role",
	    "version", "value", mb_buf_cstr(&v))) != 0)) {
		rc = MB_ERR_NOMEM;
		goto out;
	}
	if ((lang = xmlNodeGetLang(it)) != NULL) {
		rc = mb_buf_puts(&e.lang, (const char *)lang);
		xmlFree(lang);
	}
	if (rc == MB_OK)
		rc = contentmeta(&e, cm);
	if (rc != MB_OK)
		goto out;
	/* itemMeta's times are the item's, contentMeta's the content's. */
	if ((n = child(im, "firstCreated")) != NULL &&
	    mb_wire__date_of(n) != 0)
		e.published_ms = mb_wire__date_of(n);
	if ((n = child(im, "versionCreated")) != NULL &&
	    mb_wire__date_of(n) != 0)
		e.updated_ms = mb_wire__date_of(n);
	if ((rc = status(&e, im)) != MB_OK)
		goto out;
	if (e.title.len == 0 && (rc = mb_wire__text(child(im, "title"),
	    &e.title)) != MB_OK)
		goto out;
	for (n = im != NULL ? im->children : NULL; n != NULL; n = n->next)
		if (mb_wire__is(n, NS_G2, "link") && e.link.len == 0 &&
		    (rc = mb_wire__attr(n, "href", &e.link)) != MB_OK)
			goto out;
	if ((n = child(it, "contentSet")) != NULL &&
	    (rc = content(&e, n)) != MB_OK)
		goto out;
	if ((n = child(it, "groupSet")) != NULL &&
	    (rc = package(&e, n)) != MB_OK)
		goto out;
	if (e.title.len == 0 && e.body.len == 0 && e.summary.len == 0 &&
	    e.assocs == NULL && e.media == NULL)
		goto out;
	if (e.title.len == 0 && (rc = mb_buf_puts(&e.title, "")) != MB_OK)
		goto out;
	rc = mb_wire__emit(f, o, &e, d);
out:
	mb_buf_free(&v);
	mb_wire__entry_free(&e);
	return rc;
}

int
mb_wire__newsml(xmlDoc *doc, const struct mb_wire_opts *o,
    struct mb_wire_feed *f, struct mb_diag *d)
{
	xmlNode	*root = xmlDocGetRootElement(doc), *set;
	int	 rc = MB_OK;

	if (!mb_wire__is(root, NS_G2, "newsMessage"))
		return one(f, o, root, d);
	/* A newsMessage: header (skipped), itemSet of items. */
	if ((set = child(root, "itemSet")) == NULL)
		return MB_OK;
	for (xmlNode *c = set->children; c != NULL && rc == MB_OK; c = c->next)
		if (mb_wire__is(c, NS_G2, "newsItem") ||
		    mb_wire__is(c, NS_G2, "packageItem"))
			rc = one(f, o, c, d);
	return rc;
}
