/* SPDX-License-Identifier: MIT */
/*
 * The media fetcher's round and its per-blob backoff: this center's own
 * URL is never asked, and a blob that failed is tried again only after
 * a delay that doubles from 2 s to 10 min (remembered for the last
 * BACKOFF_SLOTS failures), so an origin that is down for days costs one
 * request now and then.
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

#define BACKOFF_SLOTS 256

struct mb_media_fetcher {
	const struct mb_center_node	*node;
	struct mb_store			*st;	/* the poller thread's own */
	int64_t				 eager_bytes;
	int64_t				 last_ms;
	struct {
		char	hash[65];
		int64_t	next_ms;
		int64_t	delay_ms;
	} backoff[BACKOFF_SLOTS];
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
	struct mb_media_fetcher	*f = arg;
	int64_t			 now = mb_time_mono_ms();
	size_t			 slot, i;
	int			 rc;

	if (strcmp(base, f->node->conf.url) == 0)
		return MB_ERR_AGAIN;
	/* The slot: the hash's first hex digits (it is already random). */
	for (slot = 0, i = 0; i < 4; i++)
		slot = slot * 16 + (size_t)(hash[i] <= '9' ? hash[i] - '0' :
		    hash[i] - 'a' + 10);
	i = slot % BACKOFF_SLOTS;
	if (strcmp(f->backoff[i].hash, hash) == 0 &&
	    now < f->backoff[i].next_ms)
		return MB_ERR_AGAIN;
	if ((rc = mb_sync_blob_fetch_serial((void *)f->node, base, hash, d)) ==
	    MB_OK) {
		if (strcmp(f->backoff[i].hash, hash) == 0)
			f->backoff[i].hash[0] = '\0';
		return MB_OK;
	}
	if (strcmp(f->backoff[i].hash, hash) != 0) {
		snprintf(f->backoff[i].hash, sizeof(f->backoff[i].hash), "%s",
		    hash);
		f->backoff[i].delay_ms = 2000;
	} else if ((f->backoff[i].delay_ms *= 2) > 600000) {
		f->backoff[i].delay_ms = 600000;
	}
	f->backoff[i].next_ms = now + f->backoff[i].delay_ms;
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
	rc = mb_media_fetch_round(f->node->conf.dir, f->st, fetch, f,
	    f->eager_bytes, &got, d);
	if (rc == MB_ERR_NOTFOUND || rc == MB_ERR_AGAIN)
		rc = MB_OK;
	return rc;
}
