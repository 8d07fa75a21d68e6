/* SPDX-License-Identifier: MIT */
/* Feed ingest inside serve: one poller thread polls the sources that are due. */
#include <stdlib.h>

#include "http/sanitize.h"
#include "serve/feed_poller.h"

struct mb_feed_poller {
	const struct mb_center_node	*node;
	struct mb_store			*st;	/* the poller thread's own */
	struct mb_feeds			*feeds;
};

int
mb_serve_feeds_new(const struct mb_center_node *n, struct mb_store *st,
    struct mb_feeds **out, struct mb_diag *d)
{
	return mb_feeds_new(n, st, mb_sanitize_html, out, d);
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
	if (p->feeds == NULL && (rc = mb_serve_feeds_new(p->node, p->st,
	    &p->feeds, d)) != MB_OK)
		return rc;
	/* Each source's error is kept on the source (and logged once). */
	return mb_feeds_poll_due(p->feeds, next_ms, d);
}
