/* SPDX-License-Identifier: MIT */
/*
 * The serve assembly: starts, in order, everything `mediabridge serve`
 * runs — the site, the HTTP listeners, the exchange (pullers and the
 * indexer), the store-notice listener, the media fetcher and the
 * pollers other domains register — and stops it all on one path, in
 * the reverse order. No thread is started from a route file.
 */
#ifndef MB_SERVE_SERVE_H
#define MB_SERVE_SERVE_H

#include <stdint.h>

#include "base/err.h"
#include "serve/poller.h"

struct mb_serve;

struct mb_key;

struct mb_serve_opts {
	const char	*listen;	/* NULL: the configuration's */
	/*
	 * The signer's remote key (serve/privsep.h), owned by the serve
	 * from the call on; NULL: the key file is read here.
	 */
	struct mb_key	*key;
};

/*
 * Opens the center in dir and starts serving it; DIR/serve.addr gets the
 * bound address once listening. Started as root, it binds the listener,
 * then drops root (mb_privsep_drop_root) before it starts anything else.
 * On failure nothing is left running.
 */
int mb_serve_start(const char *dir, const struct mb_serve_opts *o,
    struct mb_serve **out, struct mb_diag *d);

/* The bound address, "127.0.0.1:43127". */
const char *mb_serve_address(const struct mb_serve *s);

/*
 * Registers background work that runs every period_ms in a thread of its
 * own until serve stops (feed polling, schedules of the next domains).
 */
int mb_serve_add_poller(struct mb_serve *s, const char *name,
    int64_t period_ms, mb_poller_round fn, void *arg, struct mb_diag *d);

/*
 * Stops everything in the reverse order of starting, letting requests in
 * flight finish for up to grace_ms, removes DIR/serve.addr and frees.
 */
void mb_serve_stop(struct mb_serve *s, int64_t grace_ms);

#endif
