/* SPDX-License-Identifier: MIT */
/*
 * Wire formats in and out: RSS 2.0 (and 0.9x), RSS 1.0, Atom 1.0, JSON
 * Feed 1.0/1.1 and NewsML-G2 newsItem/packageItem parsed into ninjs
 * items; ninjs items written as NewsML-G2. Pure: bytes in, values out,
 * no I/O, so that fuzzers and unit tests link only this library.
 */
#ifndef MB_WIRE_WIRE_H
#define MB_WIRE_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "base/buf.h"
#include "base/err.h"

enum mb_wire_format {
	MB_WIRE_UNKNOWN = 0,
	MB_WIRE_RSS2,		/* RSS 2.0, and 0.91/0.92 */
	MB_WIRE_RSS1,		/* RSS 1.0 (RDF) */
	MB_WIRE_ATOM,
	MB_WIRE_JSONFEED,
	MB_WIRE_NEWSML		/* NewsML-G2 newsItem, packageItem, newsMessage */
};

/* "rss", "rdf", "atom", "jsonfeed", "newsml-g2" ("unknown"). */
const char *mb_wire_format_name(enum mb_wire_format f);

/* The most entries a document may hold; more is MB_ERR_TOOBIG. */
#define MB_WIRE_MAX_ENTRIES	5000
/* The largest document parsed; more is MB_ERR_TOOBIG. */
#define MB_WIRE_MAX_INPUT	(10u * 1024 * 1024)

struct mb_wire_opts {
	/* Where the document came from: the base of relative links. */
	const char	*url;
	/* The charset HTTP named ("" or NULL: none). */
	const char	*charset;
	/* 0: MB_WIRE_MAX_ENTRIES. */
	size_t		 max_entries;
};

/*
 * A parsed document. entries is an array (owned) of objects:
 *   {"key": the entry's identity (guid, id, NewsML-G2 guid, else its
 *            link, else "sha256:" of its content),
 *    "item": a ninjs 3.1 item without uri or version: headlines,
 *            bodies (HTML as the source gave it, relative links
 *            resolved: the caller sanitizes it), descriptions,
 *            firstCreated/versionCreated, language when declared, by,
 *            subjects, infoSources (the feed), altIds (the link),
 *            associations (enclosures and pictures, by URL)}
 */
struct mb_wire_feed {
	enum mb_wire_format format;
	char		*title;		/* "" when none; owned */
	char		*link;		/* the site; "" when none */
	char		*language;	/* "" when none */
	/* The feed's own rate: RSS ttl, sy:updatePeriod (seconds; 0). */
	int64_t		 ttl_s;
	json_t		*entries;
};

/*
 * Parses buf[0..len) (untrusted, any bytes). Encodings as declared by
 * HTTP and the XML declaration (bytes that are UTF-8 are taken as such
 * whatever the declaration says), illegal control characters dropped,
 * recovers from what real feeds get wrong (text before <?xml, a bare
 * "&", an undeclared prefix). Never reads the network, loads no DTD and
 * refuses entity declarations (MB_ERR_INVAL: "billion laughs" and
 * external entities). MB_ERR_INVAL with d naming what is wrong for what
 * is not a feed; MB_ERR_TOOBIG over the limits above.
 */
int mb_wire_parse(const char *buf, size_t len, const struct mb_wire_opts *o,
    struct mb_wire_feed *out, struct mb_diag *d);

/* Frees what a successful parse filled; a zeroed feed is a no-op. */
void mb_wire_feed_free(struct mb_wire_feed *f);

/*
 * A date as feeds write it, to ms since the epoch: RFC 3339 and ISO 8601
 * (date only, no zone: UTC), RFC 822 and its real-world variants (no
 * weekday, 2-digit years, "1500" for 15:00, zone names or "Z", month
 * and day names in a few languages), "2020/1/10 14:03:00". A date
 * before 1970 is refused (MB_ERR_INVAL); one in the future is not (an
 * embargo is): the feeds service clamps an entry's dates to now.
 */
int mb_wire_date(const char *s, int64_t *ms);

/*
 * Resolves ref against base (RFC 3986). Appends the result to out;
 * MB_ERR_INVAL when ref cannot be resolved.
 */
int mb_wire_resolve(const char *base, const char *ref, struct mb_buf *out);

/*
 * Writes a ninjs item (borrowed) as a NewsML-G2 2.35 newsItem, a
 * complete document. source: the center that publishes it (provider).
 */
int mb_wire_newsml_write(const json_t *item, const char *source,
    struct mb_buf *out, struct mb_diag *d);

/*
 * A NewsML-G2 newsMessage holding several items: begin, one call per
 * item, end.
 */
int mb_wire_newsml_message_begin(const char *source, int64_t now_ms,
    struct mb_buf *out);
int mb_wire_newsml_message_item(const json_t *item, const char *source,
    struct mb_buf *out, struct mb_diag *d);
int mb_wire_newsml_message_end(struct mb_buf *out);

#endif
