/* SPDX-License-Identifier: MIT */
/* NewsML-G2 out over HTTP: an item's envelope as a newsItem, bodies sanitized. */
#ifndef MB_HTTP_NEWSML_H
#define MB_HTTP_NEWSML_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "base/buf.h"
#include "base/err.h"

#define MB_NEWSML_ITEM_TYPE	"application/vnd.iptc.g2.newsitem+xml"
#define MB_NEWSML_MESSAGE_TYPE	"application/vnd.iptc.g2.newsmessage+xml"

struct mb_req;

/* True when the request's Accept names the NewsML-G2 news item type. */
bool mb_http_wants_newsml(struct mb_req *r);

/*
 * A copy of item (borrowed) whose bodies are replaced by the HTML the
 * site shows for them (mb_item_body_html: text/plain escaped, a line a
 * paragraph; HTML sanitized), contentType text/html: what leaves in
 * NewsML-G2 is never the unsanitized bytes an importer stored, nor
 * plain text read as markup. NULL when out of memory.
 */
json_t *mb_http_newsml_item_copy(const json_t *item);

/*
 * The signed envelope env[0..len) as a NewsML-G2 newsItem document
 * (appended to out); its provider is the item's origin center.
 */
int mb_http_newsml_envelope(const char *env, size_t len, struct mb_buf *out,
    struct mb_diag *d);

#endif
