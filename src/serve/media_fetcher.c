/* SPDX-License-Identifier: MIT */
/*
 * The media fetcher's round: fetching the blobs that arriving items
 * refer to, never from this center's own URL. The backoff (a center
 * down, a blob that fails) is the exchange's, shared with readers'
 * requests (mb_sync_blob_fetch_serial).
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

struct mb_media_fetcher {
	const struct mb_center_node	*node;
	struct mb_store			*st;	/* the poller thread's own */
	int64_t				 eager_bytes;
	int64_t				 last_ms;
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
fetch(void *arg, const char *base, const char *hash, struct mb_diag *d)
{
	struct mb_media_fetcher *f = arg;

	if (strcmp(base, f->node->conf.url) == 0)
		return MB_ERR_AGAIN;
	return mb_sync_blob_fetch_serial((void *)f->node, base, hash, d);
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
	rc = mb_media_fetch_round(f->node->conf.dir, f->st, fetch, f,
	    f->eager_bytes, &got, d);
	if (rc == MB_ERR_NOTFOUND || rc == MB_ERR_AGAIN)
		rc = MB_OK;
	return rc;
}
