/* SPDX-License-Identifier: MIT */
/* RSS 2.0 (and 0.91/0.92) and RSS 1.0 (RDF): channel and items to entries. */
#include <stdlib.h>
#include <string.h>

#include "wire_int.h"

/* Media RSS (media:content, media:thumbnail, media:group) under n. */
int
mb_wire__media_of(struct wire_entry *e, xmlNode *n)
{
	struct mb_buf	url = MB_BUF_INIT, type = MB_BUF_INIT,
			w = MB_BUF_INIT, h = MB_BUF_INIT,
			medium = MB_BUF_INIT;
	int		rc = MB_OK;

	for (xmlNode *c = n->children; c != NULL && rc == MB_OK; c = c->next) {
		if (mb_wire__is(c, NS_MEDIA, "group")) {
			rc = mb_wire__media_of(e, c);
			continue;
		}
		if (!mb_wire__is(c, NS_MEDIA, "content") &&
		    !mb_wire__is(c, NS_MEDIA, "thumbnail"))
			continue;
		mb_buf_reset(&url);
		mb_buf_reset(&type);
		mb_buf_reset(&w);
		mb_buf_reset(&h);
		mb_buf_reset(&medium);
		if ((rc = mb_wire__attr(c, "url", &url)) != MB_OK ||
		    (rc = mb_wire__attr(c, "type", &type)) != MB_OK ||
		    (rc = mb_wire__attr(c, "medium", &medium)) != MB_OK ||
		    (rc = mb_wire__attr(c, "width", &w)) != MB_OK ||
		    (rc = mb_wire__attr(c, "height", &h)) != MB_OK)
			break;
		if (type.len == 0 && (strcmp(mb_buf_cstr(&medium), "image") ==
		    0 || mb_wire__is(c, NS_MEDIA, "thumbnail")))
			mb_buf_puts(&type, "image/*");
		rc = mb_wire__entry_media(e, mb_buf_cstr(&url),
		    strcmp(mb_buf_cstr(&type), "image/*") == 0 ? NULL :
		    mb_buf_cstr(&type), atol(mb_buf_cstr(&w)),
		    atol(mb_buf_cstr(&h)));
	}
	mb_buf_free(&url);
	mb_buf_free(&type);
	mb_buf_free(&w);
	mb_buf_free(&h);
	mb_buf_free(&medium);
	return rc;
}

/* One <item> of RSS 2.0 or 1.0 (rss1: elements in the RSS 1.0 namespace). */
static int
item(struct mb_wire_feed *f, const struct mb_wire_opts *o, xmlNode *it,
    bool rss1, struct mb_diag *d)
{
	const char		*ns = rss1 ? NS_RSS1 : NULL;
	struct wire_entry	 e;
	struct mb_buf		 desc = MB_BUF_INIT, tmp = MB_BUF_INIT;
	bool			 permalink_guid = false;
	int			 rc = MB_OK;

	mb_wire__entry_init(&e);
	if ((rc = mb_wire__base(it, o->url, &e.base)) != MB_OK)
		goto out;
	if (rss1 && (rc = mb_buf_puts(&tmp, "")) == MB_OK) {
		xmlChar *about = xmlGetNsProp(it, (const xmlChar *)"about",
		    (const xmlChar *)NS_RDF);

		if (about != NULL)
			rc = mb_buf_puts(&e.id, (const char *)about);
		xmlFree(about);
	}
	e.title_html = true;
	for (xmlNode *c = it->children; c != NULL && rc == MB_OK; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		mb_buf_reset(&tmp);
		if (mb_wire__is(c, ns, "title"))
			rc = mb_wire__text(c, &e.title);
		else if (mb_wire__is(c, ns, "link") && e.link.len == 0)
			rc = mb_wire__text(c, &e.link);
		else if (mb_wire__is(c, ns, "description"))
			rc = mb_wire__text(c, &desc);
		else if (mb_wire__is(c, NS_CONTENT, "encoded"))
			rc = mb_wire__text(c, &e.body);
		else if (mb_wire__is(c, NULL, "guid")) {
			xmlChar *pl = xmlGetNoNsProp(c,
			    (const xmlChar *)"isPermaLink");

			mb_buf_reset(&e.id);
			rc = mb_wire__text(c, &e.id);
			permalink_guid = pl == NULL ||
			    strcmp((const char *)pl, "false") != 0;
			xmlFree(pl);
		} else if (mb_wire__is(c, NULL, "pubDate") ||
		    mb_wire__is(c, NS_DC, "date"))
			e.published_ms = mb_wire__date_of(c);
		else if (mb_wire__is(c, NS_ATOM, "updated") ||
		    mb_wire__is(c, NS_DC, "modified"))
			e.updated_ms = mb_wire__date_of(c);
		else if (mb_wire__is(c, NULL, "author") ||
		    mb_wire__is(c, NS_DC, "creator")) {
			if ((rc = mb_wire__text(c, &tmp)) == MB_OK)
				rc = mb_wire__entry_by(&e, mb_buf_cstr(&tmp));
		} else if (mb_wire__is(c, NULL, "category") ||
		    mb_wire__is(c, NS_DC, "subject")) {
			if ((rc = mb_wire__text(c, &tmp)) == MB_OK)
				rc = mb_wire__entry_subject(&e,
				    mb_buf_cstr(&tmp), NULL);
		} else if (mb_wire__is(c, NS_DC, "language") ||
		    mb_wire__is(c, NULL, "language")) {
			mb_buf_reset(&e.lang);
			rc = mb_wire__text(c, &e.lang);
		} else if (mb_wire__is(c, NULL, "enclosure")) {
			struct mb_buf t2 = MB_BUF_INIT;

			if ((rc = mb_wire__attr(c, "url", &tmp)) == MB_OK &&
			    (rc = mb_wire__attr(c, "type", &t2)) == MB_OK)
				rc = mb_wire__entry_media(&e, mb_buf_cstr(&tmp),
				    mb_buf_cstr(&t2), 0, 0);
			mb_buf_free(&t2);
		} else if (mb_wire__is(c, NS_ATOM, "link") && e.link.len == 0) {
			if ((rc = mb_wire__attr(c, "rel", &tmp)) == MB_OK &&
			    (tmp.len == 0 || strcmp(tmp.data, "alternate") ==
			    0))
				rc = mb_wire__attr(c, "href", &e.link);
		}
	}
	if (rc == MB_OK)
		rc = mb_wire__media_of(&e, it);
	if (rc != MB_OK)
		goto out;
	/* A guid that is the permalink is also the link when none is given. */
	if (e.link.len == 0 && permalink_guid && e.id.len > 0 &&
	    strncmp(mb_buf_cstr(&e.id), "http", 4) == 0)
		rc = mb_buf_append(&e.link, e.id.data, e.id.len);
	if (e.body.len == 0) {
		/* The description is the body; nothing else summarises it. */
		if ((rc = mb_buf_append(&e.body, mb_buf_cstr(&desc),
		    desc.len)) != MB_OK)
			goto out;
	} else if ((rc = mb_buf_append(&e.summary, mb_buf_cstr(&desc),
	    desc.len)) != MB_OK)
		goto out;
	e.summary_html = true;
	rc = mb_wire__emit(f, o, &e, d);
out:
	mb_buf_free(&desc);
	mb_buf_free(&tmp);
	mb_wire__entry_free(&e);
	return rc;
}

/* sy:updatePeriod and sy:updateFrequency in seconds, or 0. */
static int64_t
sy_period(xmlNode *ch)
{
	static const struct {
		const char	*name;
		int64_t		 s;
	} periods[] = { { "hourly", 3600 }, { "daily", 86400 },
		{ "weekly", 7 * 86400 }, { "monthly", 30 * 86400 },
		{ "yearly", 365 * 86400 } };
	struct mb_buf	b = MB_BUF_INIT;
	int64_t		period = 0, freq = 1;

	for (xmlNode *c = ch->children; c != NULL; c = c->next) {
		mb_buf_reset(&b);
		if (mb_wire__is(c, NS_SY, "updatePeriod") &&
		    mb_wire__text(c, &b) == MB_OK) {
			for (size_t i = 0; i < 5; i++)
				if (strcmp(mb_buf_cstr(&b), periods[i].name) ==
				    0)
					period = periods[i].s;
		} else if (mb_wire__is(c, NS_SY, "updateFrequency") &&
		    mb_wire__text(c, &b) == MB_OK && atol(mb_buf_cstr(&b)) > 0)
			freq = atol(mb_buf_cstr(&b));
	}
	mb_buf_free(&b);
	return period / freq;
}

static int
channel(struct mb_wire_feed *f, xmlNode *ch, const char *ns)
{
	struct mb_buf	b = MB_BUF_INIT;
	int		rc = MB_OK;

	for (xmlNode *c = ch->children; c != NULL && rc == MB_OK; c = c->next) {
		mb_buf_reset(&b);
		if (mb_wire__is(c, ns, "title") && f->title[0] == '\0') {
			if ((rc = mb_wire__text(c, &b)) == MB_OK) {
				mb_wire__squash(&b);
				free(f->title);
				f->title = mb_buf_steal(&b);
			}
		} else if (mb_wire__is(c, ns, "link") && f->link[0] == '\0') {
			if ((rc = mb_wire__text(c, &b)) == MB_OK) {
				free(f->link);
				f->link = mb_buf_steal(&b);
			}
		} else if ((mb_wire__is(c, ns, "language") ||
		    mb_wire__is(c, NS_DC, "language")) &&
		    f->language[0] == '\0') {
			if ((rc = mb_wire__text(c, &b)) == MB_OK) {
				free(f->language);
				f->language = mb_buf_steal(&b);
			}
		} else if (mb_wire__is(c, NULL, "ttl")) {
			if ((rc = mb_wire__text(c, &b)) == MB_OK &&
			    atol(mb_buf_cstr(&b)) > 0)
				f->ttl_s = (int64_t)atol(mb_buf_cstr(&b)) * 60;
		}
	}
	mb_buf_free(&b);
	if (f->ttl_s == 0)
		f->ttl_s = sy_period(ch);
	if (f->title == NULL || f->link == NULL || f->language == NULL)
		return MB_ERR_NOMEM;
	return rc;
}

int
mb_wire__rss(xmlDoc *doc, const struct mb_wire_opts *o,
    struct mb_wire_feed *f, struct mb_diag *d)
{
	xmlNode	*root = xmlDocGetRootElement(doc), *ch = NULL;
	bool	 rss1 = f->format == MB_WIRE_RSS1;
	int	 rc;

	if (!rss1 && root->children != NULL) {
		for (xmlNode *c = root->children; c != NULL; c = c->next)
			if (mb_wire__is(c, NULL, "channel"))
				ch = c;
	} else
		for (xmlNode *c = root->children; c != NULL; c = c->next)
			if (mb_wire__is(c, NS_RSS1, "channel"))
				ch = c;
	/* xml:lang on the root counts as the feed's language. */
	if (ch != NULL && (rc = channel(f, ch, rss1 ? NS_RSS1 : NULL)) != MB_OK)
		return rc;
	if (f->language[0] == '\0') {
		xmlChar *l = xmlNodeGetLang(root);

		if (l != NULL) {
			free(f->language);
			f->language = strdup((const char *)l);
			xmlFree(l);
			if (f->language == NULL)
				return MB_ERR_NOMEM;
		}
	}
	/* RSS 2.0 items are in the channel; RSS 1.0's beside it. */
	for (xmlNode *c = rss1 ? root->children : (ch != NULL ? ch->children :
	    NULL); c != NULL; c = c->next)
		if (mb_wire__is(c, rss1 ? NS_RSS1 : NULL, "item") &&
		    (rc = item(f, o, c, rss1, d)) != MB_OK)
			return rc;
	return MB_OK;
}
