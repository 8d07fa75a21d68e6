/* SPDX-License-Identifier: MIT */
/* A feed document of any format: the format recognised, then its parser. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "wire_int.h"

const char *
mb_wire_format_name(enum mb_wire_format f)
{
	switch (f) {
	case MB_WIRE_RSS2: return "rss";
	case MB_WIRE_RSS1: return "rdf";
	case MB_WIRE_ATOM: return "atom";
	case MB_WIRE_JSONFEED: return "jsonfeed";
	case MB_WIRE_NEWSML: return "newsml-g2";
	default: return "unknown";
	}
}

void
mb_wire_feed_free(struct mb_wire_feed *f)
{
	free(f->title);
	free(f->link);
	free(f->language);
	json_decref(f->entries);
	memset(f, 0, sizeof(*f));
}

static enum mb_wire_format
format_of(const xmlNode *root)
{
	if (mb_wire__is(root, NULL, "rss"))
		return MB_WIRE_RSS2;
	if (mb_wire__is(root, NS_RDF, "RDF"))
		return MB_WIRE_RSS1;
	if (mb_wire__is(root, NS_ATOM, "feed"))
		return MB_WIRE_ATOM;
	if (mb_wire__is(root, NS_G2, "newsItem") ||
	    mb_wire__is(root, NS_G2, "packageItem") ||
	    mb_wire__is(root, NS_G2, "newsMessage"))
		return MB_WIRE_NEWSML;
	return MB_WIRE_UNKNOWN;
}

int
mb_wire_parse(const char *buf, size_t len, const struct mb_wire_opts *o,
    struct mb_wire_feed *out, struct mb_diag *d)
{
	static const struct mb_wire_opts none;
	struct mb_wire_opts	 clean;
	struct mb_wire_feed	 f;
	struct mb_buf		 u = MB_BUF_INIT, url = MB_BUF_INIT;
	xmlDoc			*doc = NULL;
	const char		*p;
	int			 rc;

	if (o == NULL)
		o = &none;
	if (buf == NULL && len > 0)
		return mb_diag_set(d, MB_ERR_INVAL, "no document");
	if (len > MB_WIRE_MAX_INPUT)
		return mb_diag_set(d, MB_ERR_TOOBIG, "the document is over "
		    "%u MB", MB_WIRE_MAX_INPUT / (1024 * 1024));
	/* The URL is the items' infoSource and their links' base. */
	if (o->url != NULL) {
		if (mb_wire__strip_userinfo(o->url, &url) != MB_OK)
			return MB_ERR_NOMEM;
		clean = *o;
		clean.url = mb_buf_cstr(&url);
		o = &clean;
	}
	memset(&f, 0, sizeof(f));
	if ((f.title = strdup("")) == NULL || (f.link = strdup("")) == NULL ||
	    (f.language = strdup("")) == NULL ||
	    (f.entries = json_array()) == NULL) {
		rc = MB_ERR_NOMEM;
		goto fail;
	}
	if ((rc = mb_wire__utf8(buf != NULL ? buf : "", len, o->charset, &u,
	    d)) != MB_OK)
		goto fail;
	for (p = mb_buf_cstr(&u); isspace((unsigned char)*p); p++)
		;
	if (*p == '{') {
		f.format = MB_WIRE_JSONFEED;
		rc = mb_wire__jsonfeed(p, u.len - (size_t)(p - u.data), o, &f,
		    d);
	} else if (*p != '<') {
		rc = mb_diag_set(d, MB_ERR_INVAL, "not a feed: neither XML nor "
		    "a JSON Feed");
	} else if ((rc = mb_wire__xml(mb_buf_cstr(&u), u.len, o->url, &doc,
	    d)) == MB_OK) {
		f.format = format_of(xmlDocGetRootElement(doc));
		switch (f.format) {
		case MB_WIRE_RSS2:
		case MB_WIRE_RSS1:
			rc = mb_wire__rss(doc, o, &f, d);
			break;
		case MB_WIRE_ATOM:
			rc = mb_wire__atom(doc, o, &f, d);
			break;
		case MB_WIRE_NEWSML:
			rc = mb_wire__newsml(doc, o, &f, d);
			break;
		default:
			rc = mb_diag_set(d, MB_ERR_INVAL, "not a feed: the root "
			    "element <%.40s> is not RSS, Atom or NewsML-G2",
			    (const char *)xmlDocGetRootElement(doc)->name);
		}
	}
	if (rc != MB_OK)
		goto fail;
	xmlFreeDoc(doc);
	mb_buf_free(&u);
	mb_buf_free(&url);
	*out = f;
	return MB_OK;
fail:
	xmlFreeDoc(doc);
	mb_buf_free(&u);
	mb_buf_free(&url);
	mb_wire_feed_free(&f);
	return rc;
}
