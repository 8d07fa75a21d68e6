/* SPDX-License-Identifier: MIT */
/* Feed ingest inside serve: one poller thread polls the sources that are due. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/timeutil.h"
#include "http/sanitize.h"
#include "media/media.h"
#include "media/sandbox.h"
#include "serve/feed_poller.h"

struct mb_feed_poller {
	const struct mb_center_node	*node;
	struct mb_media_sandbox		*decoder;	/* NULL: in-process */
	struct mb_store			*st;	/* the poller thread's own */
	struct mb_feeds			*feeds;
};

/*
 * An entry's picture, sound or video through the media pipeline, as an
 * upload's: decoded in the sandbox when serve has one, metadata
 * stripped, renditions saved in the center's media directory. Only the
 * kind the association says (type: picture, audio or video) is taken:
 * the upload allowlist also holds documents (PDF), and an enclosure
 * "image/jpeg" whose bytes are a PDF is not a picture to serve from
 * /media/ and hand to every center; it stays a link.
 */
static int
make_media(const struct mb_center_node *n, struct mb_media_sandbox *sb,
    struct mb_store *st, const char *type, const void *data, size_t len,
    json_t **rends, struct mb_diag *d)
{
	struct mb_media_limits	 l;
	struct mb_media_set	 set;
	const char		*kind;
	int			 rc;

	if (type == NULL || (strcmp(type, "picture") != 0 &&
	    strcmp(type, "audio") != 0 && strcmp(type, "video") != 0))
		return mb_diag_set(d, MB_ERR_UNSUPPORTED, "not a picture, "
		    "sound or video");
	mb_media_limits_default(&l);
	l.max_bytes = MB_FEEDS_MEDIA_BYTES;
	if (sb != NULL)
		rc = mb_media_sandbox_make(sb, data, len, &l, &set, d);
	else
		rc = mb_media_make(data, len, &l, &set, d);
	if (rc != MB_OK)
		return rc;
	kind = set.type != NULL ? mb_media_kind_name(set.type->kind) : "?";
	if (strcmp(kind, type) != 0) {
		rc = mb_diag_set(d, MB_ERR_UNSUPPORTED, "the bytes are a %s "
		    "(%s), not the %s the entry says", kind, set.type != NULL ?
		    set.type->mime : "?", type);
		mb_media_set_free(&set);
		return rc;
	}
	rc = mb_media_save(n->conf.dir, st, &set, mb_time_now_ms(), d);
	mb_media_set_free(&set);
	if (rc != MB_OK)
		return rc;
	if ((*rends = mb_media_set_json(&set)) == NULL)
		return mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
	return MB_OK;
}

static int
media_here(void *arg, struct mb_store *st, const char *type, const void *data,
    size_t len, json_t **rends, struct mb_diag *d)
{
	return make_media(arg, NULL, st, type, data, len, rends, d);
}

static int
media_sandboxed(void *arg, struct mb_store *st, const char *type,
    const void *data, size_t len, json_t **rends, struct mb_diag *d)
{
	struct mb_feed_poller *p = arg;

	return make_media(p->node, p->decoder, st, type, data, len, rends, d);
}

/*
 * MB_FEEDS_MEDIA=links leaves entries' media as links to the source's
 * copies (the tests' corpus, whose pictures are on the Internet).
 */
static bool
media_on(void)
{
	const char *e = getenv("MB_FEEDS_MEDIA");

	return e == NULL || strcmp(e, "links") != 0;
}

/*
 * MB_FEEDS_MEDIA_BUDGET_MS: another time budget for one poll's media
 * than MB_FEEDS_MEDIA_BUDGET_MS's 2 minutes (the tests' slow source).
 */
static void
media_budget(struct mb_feeds *f)
{
	const char			*e = getenv("MB_FEEDS_MEDIA_BUDGET_MS");
	struct mb_feeds_media_budget	 b = { MB_FEEDS_MEDIA_BUDGET_MS,
					    MB_FEEDS_MEDIA_BUDGET_FILES,
					    MB_FEEDS_MEDIA_BUDGET_BYTES };

	if (e != NULL && atoll(e) > 0) {
		b.ms = atoll(e);
		mb_feeds_set_media_budget(f, &b);
	}
}

int
mb_serve_feeds_new(const struct mb_center_node *n, struct mb_store *st,
    struct mb_feeds **out, struct mb_diag *d)
{
	int rc;

	if ((rc = mb_feeds_new(n, st, mb_sanitize_html, out, d)) != MB_OK)
		return rc;
	media_budget(*out);
	/* The command line decodes in its own process, as import does. */
	if (media_on())
		mb_feeds_set_media(*out, media_here, (void *)n);
	return MB_OK;
}

void
mb_feed_poller_set_decoder(struct mb_feed_poller *p,
    struct mb_media_sandbox *sb)
{
	p->decoder = sb;
}

int
mb_feed_poller_new(const struct mb_center_node *n,
    struct mb_feed_poller **out, struct mb_diag *d)
{
	struct mb_feed_poller *p;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		return mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
	p->node = n;
	*out = p;
	return MB_OK;
}

void
mb_feed_poller_free(struct mb_feed_poller *p)
{
	if (p == NULL)
		return;
	mb_feeds_free(p->feeds);
	mb_store_close(p->st);
	free(p);
}

int
mb_feed_poller_round(void *arg, int64_t *next_ms, struct mb_diag *d)
{
	struct mb_feed_poller	*p = arg;
	int			 rc;

	if (p->st == NULL && (rc = mb_center_store(p->node, &p->st, d)) !=
	    MB_OK)
		return rc;
	if (p->feeds == NULL) {
		if ((rc = mb_serve_feeds_new(p->node, p->st, &p->feeds, d)) !=
		    MB_OK)
			return rc;
		/*
		 * serve decodes nothing itself (media/sandbox.h): without
		 * its sandbox, entries' media stay links.
		 */
		if (p->decoder != NULL && media_on())
			mb_feeds_set_media(p->feeds, media_sandboxed, p);
		else
			mb_feeds_set_media(p->feeds, NULL, NULL);
	}
	/* Each source's error is kept on the source (and logged once). */
	rc = mb_feeds_poll_due(p->feeds, next_ms, d);
	/* Rounds are seconds apart: nothing cached is worth keeping. */
	mb_store_idle(p->st);
	return rc;
}
