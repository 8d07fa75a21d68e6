/* SPDX-License-Identifier: MIT */
/*
 * The media fetcher's round: fetching the blobs that arriving items
 * refer to, never from this center's own URL. The backoff (a center
 * down, a blob that fails) is the exchange's, shared with readers'
 * requests (mb_sync_blob_fetch_serial). Over links with a policy
 * (src/sync/link.h) thumbnails go first: a round fetches them, and the
 * originals only once none is left waiting.
 */
#include "media_fetcher.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/timeutil.h"
#include "media/media.h"
#include "store/store.h"
#include "sync/apply.h"
#include "sync/blob.h"
#include "sync/link.h"

struct mb_media_fetcher {
	const struct mb_center_node	*node;
	struct mb_store			*st;	/* the poller thread's own */
	int64_t				 eager_bytes;
	int64_t				 last_ms;
	/* Some link has a policy: two passes, as below. */
	bool				 links;
	/* This round's pass: thumbnails only, then every blob. */
	bool				 originals;
	/* The blob being tried (its URLs one by one) and how it went. */
	char				 hash[65];
	bool				 hash_thumbnail, hash_here;
	bool				 thumbnail_left;	/* one failed */
};

int
mb_media_fetcher_new(const struct mb_center_node *n, int64_t eager_bytes,
    struct mb_media_fetcher **out, struct mb_diag *d)
{
	struct mb_media_fetcher	*f;

	/* Fetching decodes nothing: no libvips in the server (sandbox.h). */
	if ((f = calloc(1, sizeof(*f))) == NULL)
		return mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
	f->node = n;
	f->eager_bytes = eager_bytes;
	*out = f;
	return MB_OK;
}

void
mb_media_fetcher_free(struct mb_media_fetcher *f)
{
	if (f == NULL)
		return;
	mb_store_close(f->st);
	free(f);
}

static int
any_link(const struct mb_link_policy *p, void *arg)
{
	(void)p;
	*(bool *)arg = true;
	return 1;
}

/* The blob tried before this one was a thumbnail that did not come. */
static void
settle(struct mb_media_fetcher *f)
{
	if (f->hash[0] != '\0' && f->hash_thumbnail && !f->hash_here)
		f->thumbnail_left = true;
	f->hash[0] = '\0';
}

static int
fetch(void *arg, const char *base, const char *hash, struct mb_diag *d)
{
	struct mb_media_fetcher	*f = arg;
	int			 rc;

	if (!f->links)
		return strcmp(base, f->node->conf.url) == 0 ? MB_ERR_AGAIN :
		    mb_sync_blob_fetch_serial((void *)f->node, base, hash, d);
	if (strcmp(f->hash, hash) != 0) {
		settle(f);
		snprintf(f->hash, sizeof(f->hash), "%s", hash);
		f->hash_here = false;
		f->hash_thumbnail = false;
		(void)mb_media_blob_thumbnail(f->st, hash, &f->hash_thumbnail,
		    NULL);
	}
	if (strcmp(base, f->node->conf.url) == 0)
		return MB_ERR_AGAIN;
	if (!f->originals && !f->hash_thumbnail)
		return MB_ERR_AGAIN;	/* the next pass's */
	rc = mb_sync_blob_fetch_link(f->node, f->st, base, hash,
	    f->hash_thumbnail, false, NULL, d);
	if (rc == MB_OK)
		f->hash_here = true;
	return rc;
}

int
mb_media_fetcher_round(void *arg, int64_t *next_ms, struct mb_diag *d)
{
	struct mb_media_fetcher	*f = arg;
	int64_t			 got = 0;
	int			 rc;

	(void)next_ms;
	if (f->st == NULL && (rc = mb_center_store(f->node, &f->st, d)) !=
	    MB_OK)
		return rc;
	/*
	 * While the exchange catches up, its batches go first: the media
	 * index (a transaction of its own per round) waits, as the search
	 * index does, for a few seconds at most.
	 */
	if (mb_sync_defer(f->last_ms))
		return MB_OK;
	f->last_ms = mb_time_mono_ms();
	f->links = false;
	if ((rc = mb_store_link_list(f->st, any_link, &f->links, d)) != MB_OK)
		return rc;
	/*
	 * Over links with a policy, thumbnails first: the originals' pass
	 * only once every one of them came.
	 */
	f->originals = !f->links;
	f->thumbnail_left = false;
	f->hash[0] = '\0';
	rc = mb_media_fetch_round(f->node->conf.dir, f->st, fetch, f,
	    f->eager_bytes, &got, d);
	settle(f);
	if (f->links && !f->thumbnail_left && (rc == MB_OK ||
	    rc == MB_ERR_AGAIN || rc == MB_ERR_NOTFOUND)) {
		int64_t more = 0;

		f->originals = true;
		mb_diag_clear(d);
		rc = mb_media_fetch_round(f->node->conf.dir, f->st, fetch, f,
		    f->eager_bytes, &more, d);
		settle(f);
		got += more;
	}
	if (rc == MB_ERR_NOTFOUND || rc == MB_ERR_AGAIN)
		rc = MB_OK;
	/*
	 * Until the next round: the media index's first walk over a large
	 * store (every item's log entry) fills the whole page cache, which
	 * the rounds after it, over a few new items, never need.
	 */
	mb_store_idle(f->st);
	return rc;
}
