/* SPDX-License-Identifier: MIT */
/* Starting and stopping the HTTP server (for `mediabridge serve`). */
#ifndef MB_HTTP_SERVER_H
#define MB_HTTP_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "center/center.h"

struct mb_media_sandbox;
struct mb_mt;
struct mb_impact;
struct mb_impact_service;

struct mb_http_server;

struct mb_http_opts {
	const char	*listen;	/* HOST:PORT; port 0 picks one */
	int		 listen_fd;	/* >= 0: bound already (mb_http_bind) */
	int		 threads;	/* 0: one per core */
	int64_t		 max_body;	/* bytes */
	int		 timeout_s;	/* idle connection timeout */
	int		 max_connections;	/* capped to the fd limit */
	size_t		 connection_bytes;	/* libmicrohttpd pool each */
	size_t		 cache_bytes;	/* response cache; 0: off */
	bool		 access_log;	/* one log line per request */
	/* Uploads are decoded there (serve); NULL: in this process. */
	struct mb_media_sandbox *media;
	/* The translation engines (serve); NULL: none. */
	struct mb_mt	*mt;
	/* Readers' views are counted there (serve); NULL: not counted. */
	struct mb_impact	*impact;
	/* Its reports, for "report now" (POST /api/v1/stats/report). */
	struct mb_impact_service *impact_service;
	/*
	 * Wakes serve's feed poller, so that a source an editor marked due
	 * ("poll now") is polled at once (serve); NULL: at its next round.
	 */
	void		(*feeds_kick)(void *arg);
	void		*feeds_kick_arg;
};

/* Fills o from the center's configuration. */
void mb_http_opts_from_conf(const struct mb_conf *c, struct mb_http_opts *o);

/*
 * Binds a listening socket to listen_on (HOST:PORT, port 0 picks one),
 * for a caller that binds before it drops root: *fd goes in listen_fd.
 */
int mb_http_bind(const char *listen_on, int *fd, struct mb_diag *d);

/*
 * Binds (unless o->listen_fd is a bound socket, which the server then
 * owns, even on failure), starts the thread pool, and returns; serving goes on in the
 * server's threads. node is borrowed and must outlive the server.
 */
int mb_http_start(const struct mb_center_node *node,
    const struct mb_http_opts *o, struct mb_http_server **out,
    struct mb_diag *d);

/* The bound address, "127.0.0.1:43127" ("[::1]:80" for IPv6). */
const char *mb_http_address(const struct mb_http_server *s);

/*
 * Stops accepting, wakes parked long-polls, lets requests in flight
 * finish (at most grace_ms), then stops and frees everything.
 */
void mb_http_stop(struct mb_http_server *s, int64_t grace_ms);

/*
 * Has the waker look at the store's log now rather than within the second
 * (src/serve/notices.c calls it on a store notice): if the log moved past
 * what this process committed itself, long-polls wake and the response
 * cache starts over.
 */
void mb_http_recheck(struct mb_http_server *s);

/*
 * A commit happened (this process's own, or the exchange's batch): bumps
 * the log's generation, so that parked long-polls answer and the
 * response cache starts over. Any thread.
 */
void mb_http_notify(struct mb_http_server *s);

#endif
