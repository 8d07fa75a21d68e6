/* SPDX-License-Identifier: MIT */
/* Feed writers: Atom (RFC 4287), JSON Feed 1.1, iCalendar (RFC 5545). */
#ifndef MB_HTTP_FEEDS_H
#define MB_HTTP_FEEDS_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"

/*
 * Pure functions from item data to text: no I/O, no store. Strings are
 * UTF-8 and borrowed; NULL means absent. Characters XML cannot carry
 * (controls other than tab and line breaks) are dropped from Atom.
 */
struct mb_feed_entry {
	const char	*id;		/* the item's uri (urn:mediabridge:...) */
	const char	*title;		/* plain text */
	const char	*url;		/* absolute URL of its page */
	const char	*language;	/* BCP 47 */
	int64_t		 updated_ms;	/* versionCreated */
	int64_t		 published_ms;	/* firstCreated */
	const char	*author;	/* the byline */
	const char	*summary;	/* plain text */
	const char	*content_html;	/* sanitized HTML */
	const char	*const *categories; /* topic names */
	size_t		 ncategories;
	/* Events (iCalendar): start required, end 0 when unknown. */
	int64_t		 start_ms;
	int64_t		 end_ms;
	const char	*location;
	/*
	 * The entry's VEVENTs written whole (an event's, by its own
	 * calendar's rules), in place of the one the fields above make.
	 */
	const char	*ical;
};

struct mb_feed {
	const char			*id;	/* tag: or URL, stable */
	const char			*title;
	const char			*language;
	const char			*self_url;	/* this feed */
	const char			*home_url;	/* the page it mirrors */
	const char			*author;	/* the center's name */
	int64_t				 updated_ms;	/* 0: newest entry's */
	const struct mb_feed_entry	*entries;
	size_t				 n;
};

/* Each appends the whole document to out; MB_OK or MB_ERR_NOMEM. */
int mb_feed_atom(const struct mb_feed *f, struct mb_buf *out);
int mb_feed_json(const struct mb_feed *f, struct mb_buf *out);
/*
 * An entry's ical as it is, else one VEVENT per entry with start_ms != 0
 * (UID the item's uri), CRLF
 * lines folded at 75 octets without splitting a UTF-8 sequence, TEXT
 * escaped; now_ms is DTSTAMP.
 */
int mb_feed_ical(const struct mb_feed *f, int64_t now_ms, struct mb_buf *out);

/*
 * RFC 5545 TEXT escaping (\\ \; \, \n) of s into out; the controls TEXT
 * cannot carry (all but TAB, DEL too) dropped.
 */
int mb_ical_escape(struct mb_buf *out, const char *s);

#endif
