/* SPDX-License-Identifier: MIT */
/*
 * Private to the puller's files (puller.c: the peers and their workers;
 * pull.c: one pull of a peer's log; client.c: the HTTP client): their
 * structs and the calls between them.
 */
#ifndef MB_SYNC_PULLER_INT_H
#define MB_SYNC_PULLER_INT_H

#include "sync/puller.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>

#include "base/log.h"
#include "base/timeutil.h"
#include "item/id.h"
#include "base/fs.h"
#include "httpc/httpc.h"
#include "sync/apply.h"
#include "sync/blob.h"
#include "sync/dict.h"
#include "sync/httpsig.h"
#include "sync/link.h"
#include "sync/log.h"
#include "sync/registry.h"

#define BODY_MAX (512u * 1024 * 1024)
/* The first batch of a catch-up (pl_batch_ask), then twice as many each. */
#define BATCH_FIRST 128

struct client {
	const struct mb_center_node	*node;
	struct mb_httpc			*http;
	atomic_int			*stop;	/* may be NULL */
	atomic_int			*gone;	/* may be NULL */
	atomic_int			 cancel;/* prefetch_drop(): give up */
	bool				 cut;	/* the last transfer was cut */
	int64_t				 max_rate; /* bytes/s; 0: no cap */
	/* With max_rate: shared with the link's other transfers. */
	struct mb_httpc_line		*line;
	int64_t				 wire;	/* bytes of the last transfer */
	/*
	 * The body goes here as it arrives (httpc.h's on_body) instead of
	 * into the response: nothing is asked compressed then, since it
	 * is written as it comes. NULL: kept in the response's body.
	 */
	bool	(*sink)(long status, const char *p, size_t len, void *arg);
	void	*sink_arg;
};

struct response {
	long		status;
	struct mb_buf	body;
	int64_t		log_next;
	int64_t		log_last;
	int64_t		log_count;	/* Mb-Log-Count: lines in the body */
	int64_t		registry_version;
	int64_t		wire_bytes;
	char		content_type[128];	/* "" when none */
	char		encoding[16];	/* Content-Encoding; "" when none */
	char		dict[65];	/* Mb-Dict: the dictionary it used */
	/* Content-Range "bytes FROM-TO/TOTAL" and Content-Length; -1: none. */
	int64_t		range_from;
	int64_t		range_total;
	int64_t		length;
};

struct worker {
	struct mb_sync		*sync;
	char			 center[33];
	char			 url[256];
	pthread_t		 thread;
	atomic_int		 gone;
	atomic_int		 finished;
	/* this process's counters, under sync->lock */
	int64_t			 pulls, errors, applied, refused, dups;
	int64_t			 wire_bytes, raw_bytes, backoff_ms;
	bool			 behind;	/* counted in the backlog */
	struct worker		*next;
};


struct mb_sync {
	const struct mb_center_node	*node;
	struct mb_sync_opts		 o;
	pthread_t			 supervisor;
	pthread_mutex_t			 lock;
	pthread_cond_t			 cond;
	atomic_int			 stop;
	struct worker			*workers;
	int64_t				 registry_fetched_ms;
	/* A failed registry fetch waits as a failed pull does. */
	int64_t				 registry_retry_ms;
	int64_t				 registry_backoff_ms;
	int				 once;
};


struct pull_state {
	struct mb_sync_keyring	*kr;
	bool			 caught_up;
	bool			 moved;	/* the round moved the peer's cursor */
	int64_t			 applied, refused, dups, wire, raw;
	int			 limit;		/* versions asked for (0: opts) */
	int			 streak;	/* transfers in a row that came */
	int			 run;	/* asked last in this catch-up; 0: none */
};

/*
 * The next batch, fetched and verified in a thread of its own while this
 * one is applied: the exchange streams rather than waiting for a round
 * trip per batch, and the writer never waits for the signatures of the
 * batch after its own. The keyring is the one at hand when the fetch
 * starts; a batch verified with one that has been replaced since is
 * verified again before it is applied.
 */
struct prefetch {
	struct client		*c;
	const struct mb_sync_opts *o;
	const char		*base;
	int64_t			 after;
	int			 limit;
	struct mb_sync_keyring	*kr;	/* a reference; NULL: fetch only */
	struct response		 r;
	struct mb_sync_batch	*b;	/* r's batch, verified with kr */
	struct mb_diag		 d;
	int			 rc;
	int64_t			 t_start, t_fetched, t_done; /* debug log */
	pthread_t		 thread;
	bool			 running;
};

/*
 * A peer's two connections and the prefetch between them: c[cur] fetched
 * the batch at hand, c[cur ^ 1] fetches the next (pl_pull_round).
 */
struct pull_pipe {
	struct client		c[2];
	int			cur;
	struct prefetch		pf;
	/*
	 * The line of the link to line_base (link.h), taken at the first
	 * capped round and held until the pipe is freed or pulls from
	 * another base: a transfer under way may be booking on it.
	 */
	struct mb_httpc_line	*line;
	char			*line_base;
};

/* Calls between the puller's files. */
void pl_curl_init(void);
int64_t pl_mono_us(void);
int pl_apply_response(struct client *c, struct mb_store *st,
    const struct mb_sync_opts *o, const char *center, const char *base,
    struct response *r, struct mb_sync_batch *ahead,
    const struct mb_sync_keyring *ahead_kr, struct pull_state *ps,
    int64_t *cursor, struct mb_diag *d);
void pl_batch_fit(struct pull_state *ps, const struct mb_sync_opts *o, int rc,
    bool cut);
int pl_batch_limit(struct pull_state *ps, const struct mb_sync_opts *o);
int pl_batch_ask(struct pull_state *ps, const struct mb_sync_opts *o,
    bool next);
int pl_fetch_log(struct client *c, const char *base, int64_t after, int limit,
    int wait_s, struct response *r, struct mb_diag *d);
int pl_keyring_refresh(struct client *c, struct mb_store *st, const char *base,
    int64_t peer_registry, struct pull_state *ps, struct mb_diag *d);
int pl_fetch_registry(struct client *c, struct mb_store *st, const char *base,
    bool *applied, struct mb_diag *d);
void pl_nap(struct mb_sync *s, const atomic_int *gone, int64_t ms);
void pl_prefetch_drop(struct prefetch *pf);
int pl_prefetch_join(struct prefetch *pf, struct response *r,
    struct mb_sync_batch **b, struct mb_sync_keyring **kr, struct mb_diag *d);
void pl_prefetch_start(struct prefetch *pf, struct client *c,
    const struct mb_sync_opts *o, const char *base, int64_t after, int limit,
    struct mb_sync_keyring *kr);
void pl_pipe_free(struct pull_pipe *pp);
int pl_pipe_init(struct pull_pipe *pp, const struct mb_center_node *n,
    atomic_int *stop, atomic_int *gone);
/*
 * The cap of the link to base for the next round: its transfers book on
 * the link's line, shared with the blob fetches over it. Called between
 * rounds.
 */
void pl_pipe_set_rate(struct pull_pipe *pp, const char *base,
    int64_t max_rate);
int pl_pull_round(struct pull_pipe *pp, struct mb_store *st,
    const struct mb_sync_opts *o, const char *center, const char *base,
    int wait_s, struct pull_state *ps, struct worker *w, struct mb_diag *d);
void pl_set_behind(struct worker *w, bool behind);
void pl_client_free(struct client *c);
int pl_client_init(struct client *c, const struct mb_center_node *n,
    atomic_int *stop, atomic_int *gone);
int pl_http_get_h(struct client *c, const char *base, const char *path,
    const char *query, int timeout_s, bool sign, const char *extra,
    struct response *r, struct mb_diag *d);
int pl_http_get(struct client *c, const char *base, const char *path,
    const char *query, int timeout_s, bool sign, struct response *r,
    struct mb_diag *d);
int pl_split_url(const char *url, char *authority, size_t an, char *prefix,
    size_t pn);
int pl_status_error(const char *base, const struct response *r, struct mb_diag *d);

#endif
