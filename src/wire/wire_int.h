/* SPDX-License-Identifier: MIT */
/* The wire library's private parts: decoding, HTML helpers, the entry. */
#ifndef MB_WIRE_WIRE_INT_H
#define MB_WIRE_WIRE_INT_H

#include <stdbool.h>

#include <libxml/tree.h>

#include "wire/wire.h"

#define NS_ATOM		"http://www.w3.org/2005/Atom"
#define NS_RSS1		"http://purl.org/rss/1.0/"
#define NS_RDF		"http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#define NS_DC		"http://purl.org/dc/elements/1.1/"
#define NS_CONTENT	"http://purl.org/rss/1.0/modules/content/"
#define NS_MEDIA	"http://search.yahoo.com/mrss/"
#define NS_SY		"http://purl.org/rss/1.0/modules/syndication/"
#define NS_G2		"http://iptc.org/std/nar/2006-10-01/"
#define NS_XHTML	"http://www.w3.org/1999/xhtml"

/*
 * An entry as the format parsers find it, before it becomes ninjs
 * (emit.c): every format fills the same fields, so that the mapping to
 * ninjs, link resolution and identity are written once.
 */
struct wire_entry {
	struct mb_buf	 id;		/* guid, Atom id, G2 guid */
	struct mb_buf	 link;		/* the entry's own page */
	struct mb_buf	 title;
	bool		 title_html;	/* may hold tags or entities */
	struct mb_buf	 body;		/* HTML */
	struct mb_buf	 summary;
	bool		 summary_html;
	struct mb_buf	 lang;
	struct mb_buf	 base;		/* xml:base in force, or "" */
	struct mb_buf	 by;		/* authors, ", " between */
	int64_t		 published_ms;	/* 0: none */
	int64_t		 updated_ms;
	const char	*type;		/* ninjs type; NULL: "text" */
	json_t		*subjects;	/* [{name, uri?}] (owned) */
	json_t		*media;		/* [{href, type?, w?, h?}] (owned) */
	json_t		*assocs;	/* ready associations (owned) */
	json_t		*altids;	/* more altIds, e.g. G2 version */
	json_t		*sources;	/* more infoSources (owned) */
	const char	*pub_status;	/* "withheld", "canceled"; NULL: usable */
	int64_t		 embargo_ms;	/* 0: none */
};

void mb_wire__entry_init(struct wire_entry *e);
void mb_wire__entry_free(struct wire_entry *e);
/* A subject by name (and uri, may be NULL); duplicates dropped. */
int mb_wire__entry_subject(struct wire_entry *e, const char *name,
    const char *uri);
/* An enclosure or picture; type, width, height may be NULL / 0. */
int mb_wire__entry_media(struct wire_entry *e, const char *href,
    const char *type, long width, long height);
/* Authors are joined with ", ". */
int mb_wire__entry_by(struct wire_entry *e, const char *name);
/* Media RSS (media:content, :thumbnail, :group) among n's children. */
int mb_wire__media_of(struct wire_entry *e, xmlNode *n);
/* Appends e as ninjs to f->entries; MB_ERR_TOOBIG over the cap. */
int mb_wire__emit(struct mb_wire_feed *f, const struct mb_wire_opts *o,
    struct wire_entry *e, struct mb_diag *d);

/* The document as clean UTF-8 (xmlin.c), and parsed. */
int mb_wire__utf8(const char *buf, size_t len, const char *charset,
    struct mb_buf *out, struct mb_diag *d);
int mb_wire__xml(const char *utf8, size_t len, const char *url,
    xmlDoc **out, struct mb_diag *d);

/* Node helpers. ns NULL: the element has no namespace. */
bool mb_wire__is(const xmlNode *n, const char *ns, const char *name);
/* The node's text, trimmed (appended to out). */
int mb_wire__text(const xmlNode *n, struct mb_buf *out);
/* An attribute's value (no namespace), trimmed, or "" (appended). */
int mb_wire__attr(const xmlNode *n, const char *name, struct mb_buf *out);
/* The xml:base in force at n, resolved, or "" (appended). */
int mb_wire__base(const xmlNode *n, const char *url, struct mb_buf *out);
/* The XML of n's children (XHTML content) appended to out. */
int mb_wire__inner_xml(xmlNode *n, struct mb_buf *out);
/* A date from n's text; 0 when none or unreadable. */
int64_t mb_wire__date_of(const xmlNode *n);
/* Replaces out's contents with s (NULL: empty). */
int mb_wire__set(struct mb_buf *out, const char *s);

/* HTML helpers (html.c). */
/* html with href/src/poster/cite made absolute against base. */
int mb_wire__html_resolve(const char *html, const char *base,
    struct mb_buf *out);
/* The text of an HTML fragment, white space collapsed. */
int mb_wire__html_text(const char *html, struct mb_buf *out);
/*
 * A URL made fit for ninjs's "uri" format: bytes outside ASCII, spaces
 * and the characters RFC 3986 excludes percent-encoded.
 */
int mb_wire__uri_escape(const char *s, struct mb_buf *out);
/*
 * url without user:password@: a source added before they were refused
 * must not publish them as the infoSource or inside its links.
 */
int mb_wire__strip_userinfo(const char *url, struct mb_buf *out);
/* White space collapsed and trimmed, in place. */
void mb_wire__squash(struct mb_buf *b);

/* The format parsers. */
int mb_wire__rss(xmlDoc *doc, const struct mb_wire_opts *o,
    struct mb_wire_feed *f, struct mb_diag *d);
int mb_wire__atom(xmlDoc *doc, const struct mb_wire_opts *o,
    struct mb_wire_feed *f, struct mb_diag *d);
int mb_wire__newsml(xmlDoc *doc, const struct mb_wire_opts *o,
    struct mb_wire_feed *f, struct mb_diag *d);
int mb_wire__jsonfeed(const char *utf8, size_t len,
    const struct mb_wire_opts *o, struct mb_wire_feed *f,
    struct mb_diag *d);

#endif
