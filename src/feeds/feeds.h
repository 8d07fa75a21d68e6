/* SPDX-License-Identifier: MIT */
/*
 * Ingest: the sources a center takes feeds from (RSS, Atom, JSON Feed,
 * NewsML-G2), their rules, and polling them: a conditional GET through
 * httpc with caps, the document parsed (wire/), each entry sanitized,
 * deduplicated and signed by this center as an item naming its source,
 * an updated entry a new version of the same item; then the next poll
 * from the source's own rate, or a back-off that is capped at 24 h.
 */
#ifndef MB_FEEDS_FEEDS_H
#define MB_FEEDS_FEEDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "base/err.h"
#include "center/center.h"
#include "newsroom/policy.h"
#include "store/feeds.h"
#include "store/store.h"

/* The caps on one poll. */
#define MB_FEEDS_MAX_BYTES	(10 * 1024 * 1024)	/* the body, decoded */
#define MB_FEEDS_MAX_REDIRECTS	5
#define MB_FEEDS_TIMEOUT_MS	60000
#define MB_FEEDS_MAX_BACKOFF_S	(24 * 3600)
#define MB_FEEDS_MIN_EVERY_S	60

/* What an operator or editor gives to add a source. */
struct mb_feeds_add {
	const char	*url;		/* http:// or https:// */
	const char	*language;	/* NULL: as entries declare */
	const char	*topics;	/* NULL: none; "a,b" */
	const char	*audience;	/* NULL: public */
	const char	*workflow;	/* NULL: draft; or publish(ed) */
	int64_t		 every_s;	/* 0: 15 min */
	bool		 allow_private;	/* the operator's choice only */
};

/*
 * Checks a and adds the source: MB_ERR_INVAL with d naming the field
 * (url, language, topics, audience, workflow, every), MB_ERR_EXISTS for
 * a url already a source; nothing stored on failure.
 */
int mb_feeds_add(struct mb_store *st, const struct mb_feeds_add *a,
    int64_t *id, struct mb_diag *d);

/*
 * Whether a (signed-in) actor may see and change the sources: editors
 * and admins. MB_ERR_PERM with the reason otherwise. Only the operator
 * (the command line) may allow a source on a private address.
 */
int mb_feeds_may_manage(const struct mb_actor *a, struct mb_diag *d);

/* "15m", "1h", "90s", "2d", "900" (seconds) to seconds. */
int mb_feeds_parse_every(const char *s, int64_t *secs, struct mb_diag *d);

/* What one poll did. */
struct mb_feeds_result {
	int	 added;		/* new items */
	int	 updated;	/* new versions */
	int	 unchanged;	/* entries seen before, the same */
	int	 refused;	/* entries that did not make valid items */
	int	 held;		/* changed, but the newsroom's item now */
	bool	 not_modified;	/* 304, or the same body again */
	int64_t	 next_poll_ms;
};

struct mb_feeds;

/*
 * A poller's context: its own store handle (one thread), the center's
 * key, the sanitizer for bodies. n must outlive it.
 */
typedef int (*mb_feeds_sanitize_fn)(const char *html, size_t len,
    struct mb_buf *out, struct mb_diag *d);
int mb_feeds_new(const struct mb_center_node *n, struct mb_store *st,
    mb_feeds_sanitize_fn sanitize, struct mb_feeds **out, struct mb_diag *d);
void mb_feeds_free(struct mb_feeds *f);

/*
 * What makes a fetched picture, sound or video this center's media: the
 * media pipeline, as for an upload (decoded in serve's sandbox when there
 * is one, metadata stripped, renditions saved as blobs and recorded in
 * st); the renditions as ninjs into *renditions (a new reference).
 * type is the association's ("picture", "audio", "video"): bytes that
 * are another kind, a document above all, are MB_ERR_UNSUPPORTED and
 * nothing is saved. MB_ERR_UNSUPPORTED, MB_ERR_TOOBIG, MB_ERR_INVAL as
 * mb_media_make().
 */
typedef int (*mb_feeds_media_fn)(void *arg, struct mb_store *st,
    const char *type, const void *data, size_t len, json_t **renditions,
    struct mb_diag *d);

/* The caps on an entry's media (docs/ingest.md, "Media"). */
#define MB_FEEDS_MEDIA_BYTES	(20 * 1024 * 1024)	/* one file */
#define MB_FEEDS_MEDIA_PER_ENTRY 4
#define MB_FEEDS_MEDIA_TIMEOUT_MS 30000

/*
 * What all the media of one poll of one source may take, together: the
 * poller is one thread for every source, and without a budget a source
 * with 5,000 entries of 4 slow files each held it for days (30 s a file).
 * Past any of the three, the poll's remaining media stay links to the
 * source's copies, as a file that cannot be fetched does.
 */
#define MB_FEEDS_MEDIA_BUDGET_MS	120000
#define MB_FEEDS_MEDIA_BUDGET_FILES	100
#define MB_FEEDS_MEDIA_BUDGET_BYTES	(200LL * 1024 * 1024)

struct mb_feeds_media_budget {
	int64_t	ms;		/* fetching and decoding, from the first */
	int	files;		/* fetches started */
	int64_t	bytes;		/* bytes fetched */
};

/*
 * Entries' enclosures and Media RSS pictures (associations with an
 * http(s) uri) are fetched and made this center's media by fn; without
 * it (NULL) they stay links to the source's copies.
 */
void mb_feeds_set_media(struct mb_feeds *f, mb_feeds_media_fn fn, void *arg);

/* Another budget than the MB_FEEDS_MEDIA_BUDGET_* above (tests). */
void mb_feeds_set_media_budget(struct mb_feeds *f,
    const struct mb_feeds_media_budget *b);

/*
 * Polls source id now. Whatever happens the source's state is saved
 * (last fetch, error or none, counts, next poll); MB_OK when the feed
 * was read (r filled), else the error, also kept on the source.
 */
int mb_feeds_poll(struct mb_feeds *f, int64_t id, struct mb_feeds_result *r,
    struct mb_diag *d);

/*
 * Polls every source whose time has come, one after another; one
 * failing does not stop the others. *next_ms: ms until the next is due.
 */
int mb_feeds_poll_due(struct mb_feeds *f, int64_t *next_ms,
    struct mb_diag *d);

#endif
