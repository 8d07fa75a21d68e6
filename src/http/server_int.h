/* SPDX-License-Identifier: MIT */
/*
 * Private to the HTTP server's files (server.c, request.c, response.c,
 * longpoll.c, stream.c, cache.c, access_log.c, spool.c, lanes.c): the
 * server and request structs, and the calls one file makes into another. Only these
 * files know libmicrohttpd.
 */
#ifndef MB_HTTP_SERVER_INT_H
#define MB_HTTP_SERVER_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include <microhttpd.h>

#include "form.h"
#include "http_int.h"
#include "item/envelope.h"
#include "item/json_scan.h"
#include "server.h"

#define MAX_HEADERS 16
/* The body classes of http.h's MB_ROUTE_SMALL and MB_ROUTE_ITEM. */
#define BODY_SMALL (8 * 1024)
/* An envelope, and room for what the posted form adds or spells longer. */
#define BODY_ITEM_OVERHEAD (256 * 1024)
#define BODY_ITEM ((int64_t)MB_ENVELOPE_MAX + BODY_ITEM_OVERHEAD)
/* Read and dropped after a body passed its limit, before a cut. */
#define DRAIN_MAX ((int64_t)16 * 1024 * 1024)
#define CACHE_SLOTS 4096
#define CACHE_ENTRY_MAX (1024 * 1024)
/*
 * What a cached entry holds beyond its body, counted against cache_mb:
 * libmicrohttpd's response (192 bytes with glibc's malloc, 0.9.75) and
 * its key, then each header's 108 bytes plus its name and value
 * (measured; 4,096 entries of small pages held 8 MiB that cache_mb did
 * not count when only bodies were).
 */
#define CACHE_ENTRY_BYTES 216
#define CACHE_HEADER_BYTES 108
/*
 * Keys missed once, remembered as a fingerprint per direct-mapped slot
 * (64 KB): a response is cached on its key's second miss, not its
 * first. A crawler or a reader walking the archive asks for each item
 * page once, and caching those filled cache_mb with pages nobody asked
 * for again while pushing the fronts, feeds and searches that are asked
 * for out of their slots (docs/benchmarks.md, "serve's memory at 1M
 * items": the response cache's admission).
 */
#define SEEN_SLOTS 16384

struct cache_entry {
	uint64_t		 hash;
	char			*key;
	uint64_t		 gen;
	int64_t			 expires_ms;	/* mono; 0: until gen moves */
	char			 etag[48];
	size_t			 len;
	size_t			 cost;	/* counted in cache_used */
	struct MHD_Response	*resp;	/* the 304 is made from it */
};

struct waiter {
	struct mb_req	*r;
	struct waiter	*next;
};

struct mb_http_server {
	struct mb_http_lanes		*lanes;
	const struct mb_center_node	*node;
	struct mb_http_opts		 opts;
	struct mb_ingest		*ingest;
	struct mb_metrics		*metrics;
	struct mb_throttle		*throttle;
	pthread_key_t			 store_key;
	int				 listen_fd;
	char				 address[160];
	atomic_uint_fast64_t		 gen;
	atomic_int			 in_flight;
	atomic_bool			 stopping;

	/* The cache: direct-mapped slots under one lock. */
	pthread_rwlock_t		 cache_lock;
	struct cache_entry		 cache[CACHE_SLOTS];
	size_t				 cache_used;
	atomic_uint_least32_t		 seen[SEEN_SLOTS];	/* 0: none */

	/* Parked long-polls and the thread that wakes them. */
	pthread_mutex_t			 wait_lock;
	pthread_cond_t			 wait_cond;
	struct waiter			*waiters;
	int				 wake_all;
	/* This process committed: the next look at the store is no news. */
	int				 notified;
	/* Another process may have (a store notice): look at once. */
	int				 recheck;
	int				 waiter_stop;
	pthread_t			 waiter_thread;
	int				 waiter_started;
};

/*
 * The request threads (lanes.c): one acceptor hands each connection to the
 * lane holding the fewest, each lane a libmicrohttpd daemon of its own.
 * opts go to every lane's MHD_start_daemon (MHD_OPTION_ARRAY); listen_fd
 * stays the caller's.
 */
struct mb_http_lanes;
int	 mb_http_lanes_start(int listen_fd, unsigned n, unsigned max_conns,
	    const struct MHD_OptionItem *opts,
	    MHD_AccessHandlerCallback handler, void *handler_cls,
	    struct mb_http_lanes **out, struct mb_diag *d);
/* Stops accepting; connections already taken go on. */
void	 mb_http_lanes_quiesce(struct mb_http_lanes *ls);
/* Connections lane i holds now; -1 past the last lane. */
int	 mb_http_lanes_connections(const struct mb_http_lanes *ls,
	    unsigned i);
void	 mb_http_lanes_stop(struct mb_http_lanes *ls);

struct hdr {
	char	*name;
	char	*value;
};

/*
 * A body made as the client reads (mb_resp_stream): shared by the
 * request and libmicrohttpd's response, which may outlive it (r is
 * then NULL). done is called once, before the request is freed.
 */
struct stream {
	struct mb_req	*r;
	mb_resp_read_fn	 read;
	void		*arg;
	void		(*done)(void *arg);
	bool		 in_resp;	/* the response holds it */
};

struct mb_req {
	struct mb_http_server	*srv;
	struct MHD_Connection	*conn;
	const char		*method;
	const char		*path;
	char			*scratch;
	struct mb_route_match	 m;
	unsigned		 pre_status;	/* answer at once (404/405) */
	int64_t			 start_us;
	char			 client[64];

	struct mb_buf		 body;	/* or the spool's mapping */
	int			 spool_fd;	/* spool.c; -1: none */
	int64_t			 spool_len;
	bool			 body_mapped;
	bool			 has_body;
	int64_t			 body_max;	/* this request's limit */
	char			 body_why[200];	/* the refusal's message */
	unsigned		 body_status;	/* 413, or 401 without credentials */
	struct mb_json_limits	 json_lim;
	bool			 json_body;	/* scanned as it arrives */
	struct mb_json_scan	 scan;
	bool			 refused;	/* over a limit: 413 at the end */
	int64_t			 drained;	/* bytes dropped since */
	bool			 form_parsed;
	struct mb_form		 form;

	bool			 authed;
	bool			 anon_request;	/* no credentials offered */
	struct mb_http_user	 user;
	bool			 have_user;
	struct mb_store		*store;

	/* The answer. */
	bool			 answered;
	bool			 queued;
	unsigned		 status;
	char			 ctype[64];
	char			*rbody;
	size_t			 rlen;
	int			 rfd;		/* mb_resp_file(); -1: none */
	uint64_t		 roff;
	int			 nhdrs;
	struct hdr		 hdrs[MAX_HEADERS];
	bool			 hdr_refused;	/* mb_resp_header: a 500 */
	bool			 priv;
	bool			 costly;	/* mb_resp_costly() */
	int64_t			 ttl_ms;
	const char		*cache_state;	/* "hit", "miss", "-" */
	char			 etag_tag[32];	/* mb_resp_etag_tag(); "" none */

	struct stream		*stream;	/* mb_resp_stream(); NULL */

	/* Long-polls, and waits for mb_req_wake() (wake_only). */
	bool			 wait;
	bool			 wake_only;
	bool			 woken;		/* under srv->wait_lock */
	int64_t			 deadline;
	uint64_t		 gen_seen;
	unsigned		 wakeups;
	void			*data;
	void			(*data_free)(void *);

};


/* Calls between the server's files. */
void srv_close_store(void *p);
void srv_park(struct mb_http_server *s, struct mb_req *r);
/* libmicrohttpd's content reader and its free callback for a stream. */
ssize_t srv_stream_read(void *cls, uint64_t pos, char *buf, size_t max);
void srv_stream_free(void *cls);
/* The request is done with its stream (req_free). */
void srv_stream_detach(struct mb_req *r);
void *srv_waiter_main(void *arg);
char *srv_cache_key(struct mb_req *r);
uint64_t srv_key_hash(const char *k);
bool srv_etag_matches(const char *inm, const char *etag);
void srv_entry_clear(struct mb_http_server *s, struct cache_entry *e);
void srv_maybe_gzip(struct mb_req *r);
bool srv_has_header(const struct mb_req *r, const char *name);
void srv_make_etag(const char *data, size_t len, char out[24]);
/* access_log.c: the request's line (us: its time; completed: not aborted). */
void srv_access_log(const struct mb_req *r, int64_t us, bool completed);
/* The path as logs may show it (MB_ROUTE_SECRET: the route's pattern). */
const char *srv_logged_path(const struct mb_req *r);

/*
 * spool.c: an upload's body in an unlinked file as it arrives. wanted:
 * this request's body (with more bytes) goes there; append: write them;
 * finish: map it as r->body once it is all in; free: unmap, close (or
 * free the body in memory).
 */
bool mb_spool_wanted(const struct mb_req *r, size_t more);
int mb_spool_append(struct mb_req *r, const char *data, size_t n);
int mb_spool_finish(struct mb_req *r);
void mb_spool_free(struct mb_req *r);

#endif
