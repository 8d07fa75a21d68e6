/* SPDX-License-Identifier: MIT */
/* Pulling peers' logs over HTTP: the options, one worker thread per peer, the supervisor that keeps the set of peers, metrics. */
#include "puller_int.h"

#include "sync/apply_text.h"

/* Versions per request of `sync --once` (serve's pullers: 1,000). */
#define ONCE_BATCH 2000

/* Microseconds on the monotonic clock (the debug log's batch timings). */
int64_t
pl_mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int
env_int(const char *name, int def)
{
	const char	*v = getenv(name);
	char		*end;
	long		 n;

	if (v == NULL || *v == '\0')
		return def;
	n = strtol(v, &end, 10);
	if (*end != '\0' || n < -1 || n > 1000000000)
		return def;
	return (int)n;
}

void
mb_sync_opts_default(struct mb_sync_opts *o)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);

	o->batch = env_int("MB_SYNC_BATCH", 1000);
	o->wait_s = env_int("MB_SYNC_WAIT", 20);
	o->threads = env_int("MB_SYNC_THREADS", cores > 0 ? (int)cores : 2);
	o->backoff_min_ms = env_int("MB_SYNC_BACKOFF_MIN_MS", 250);
	o->backoff_max_ms = env_int("MB_SYNC_BACKOFF_MAX_MS", 60000);
	o->registry_s = env_int("MB_SYNC_REGISTRY_S", 60);
	o->rescan_ms = env_int("MB_SYNC_RESCAN_MS", 1000);
	o->merge_as_applied = false;
	o->on_applied = NULL;
	o->on_applied_arg = NULL;
}

static void
opts_fill(struct mb_sync_opts *o, const struct mb_sync_opts *in)
{
	struct mb_sync_opts def;

	mb_sync_opts_default(&def);
	*o = in != NULL ? *in : def;
	if (o->batch <= 0)
		o->batch = def.batch;
	if (o->wait_s == 0)
		o->wait_s = def.wait_s;
	if (o->threads <= 0)
		o->threads = def.threads > 0 ? def.threads : 1;
	if (o->threads > 16)
		o->threads = 16;
	if (o->backoff_min_ms <= 0)
		o->backoff_min_ms = def.backoff_min_ms;
	if (o->backoff_max_ms <= 0)
		o->backoff_max_ms = def.backoff_max_ms;
	if (o->registry_s <= 0)
		o->registry_s = def.registry_s;
	if (o->rescan_ms <= 0)
		o->rescan_ms = def.rescan_ms;
}


/* ---- workers ------------------------------------------------------------ */

/*
 * One puller per peer across every process on the database (several
 * serve processes on one PostgreSQL): the others stand by here for the
 * lock, which the holder's connection releases when it stops or dies.
 * False when stopping.
 */
static bool
hold_peer(struct mb_sync *s, struct worker *w, struct mb_store *st)
{
	struct mb_diag	d;
	char		name[64];
	bool		got = false, said = false;
	int		rc;

	snprintf(name, sizeof(name), "puller:%s", w->center);
	while (!atomic_load(&s->stop) && !atomic_load(&w->gone)) {
		if ((rc = mb_store_try_lock(st, name, &got, &d)) != MB_OK) {
			log_warn("sync: peer=%s lock: %s", w->center,
			    mb_diag_msg(&d, rc));
		} else if (got) {
			return true;
		} else if (!said) {
			log_info("sync: peer=%s pulled by another process, "
			    "standing by", w->center);
			said = true;
		}
		pl_nap(s, &w->gone, 1000);
	}
	return false;
}

/* The rate cap of center's link: bytes a second, 0 for none. */
static int64_t
link_rate(struct mb_store *st, const char *center)
{
	struct mb_link_policy p;

	if (mb_store_link_get(st, center, &p, NULL) != MB_OK)
		return 0;
	return p.max_rate;
}

/*
 * A round shorter than this that moved nothing did not wait at the peer
 * (a long-poll waits the whole wait_s when nothing comes); the first
 * pause after one.
 */
#define IDLE_ROUND_US	(500 * 1000)
#define IDLE_MIN_MS	1000

static void *
worker_main(void *arg)
{
	struct worker		*w = arg;
	struct mb_sync		*s = w->sync;
	struct pull_pipe	 pp;
	struct mb_store		*st = NULL;
	struct pull_state	 ps;
	struct mb_diag		 d;
	int64_t			 backoff = 0, idle = 0, t0;
	int			 rc;
	char			 failing[512] = "";

	pthread_setname_np(pthread_self(), "mb-pull");
	memset(&ps, 0, sizeof(ps));
	if (pl_pipe_init(&pp, s->node, &s->stop, &w->gone) != MB_OK)
		goto out;
	if ((rc = mb_center_store(s->node, &st, &d)) != MB_OK) {
		log_error("sync: peer=%s store: %s", w->center,
		    mb_diag_msg(&d, rc));
		goto out;
	}
	if (!hold_peer(s, w, st))
		goto out;
	log_info("sync: pulling peer=%s url=%s", w->center, w->url);
	while (!atomic_load(&s->stop) && !atomic_load(&w->gone)) {
		mb_diag_clear(&d);
		ps.applied = ps.refused = ps.dups = ps.wire = ps.raw = 0;
		/* The link's cap, as `peer set` last left it. */
		pl_pipe_set_rate(&pp, w->url, link_rate(st, w->center));
		t0 = pl_mono_us();
		rc = pl_pull_round(&pp, st, &s->o, w->center, w->url,
		    s->o.wait_s, &ps, w, &d);
		pthread_mutex_lock(&s->lock);
		w->pulls++;
		w->applied += ps.applied;
		w->refused += ps.refused;
		w->dups += ps.dups;
		w->wire_bytes += ps.wire;
		w->raw_bytes += ps.raw;
		if (rc != MB_OK)
			w->errors++;
		pthread_mutex_unlock(&s->lock);
		(void)mb_sync_link_count(st, w->center, ps.wire, NULL);
		if (rc == MB_OK)
			mb_sync_link_text_state(w->center, ps.caught_up);
		/*
		 * Caught up, the next pull a long-poll: the pages the
		 * batches read go back meanwhile (mb_store_idle).
		 */
		if (rc == MB_OK && ps.caught_up && !pp.pf.running)
			mb_store_idle(st);
		if (rc == MB_OK) {
			if (failing[0] != '\0')
				log_info("sync: peer=%s reachable again",
				    w->center);
			failing[0] = '\0';
			backoff = 0;
			/*
			 * A round that left the cursor where it was and came
			 * back at once: a peer that holds no long-poll (or
			 * serves the same lines again) would have this loop
			 * sign, fetch and commit thousands of times a second.
			 * Such rounds wait, longer each time, as failures do.
			 */
			if (ps.moved || s->o.wait_s <= 0 ||
			    pl_mono_us() - t0 >= IDLE_ROUND_US) {
				idle = 0;
				continue;
			}
			idle = idle == 0 ? IDLE_MIN_MS : idle * 2;
			if (idle > s->o.backoff_max_ms)
				idle = s->o.backoff_max_ms;
			if (idle == IDLE_MIN_MS)
				log_warn("sync: peer=%s answered at once with "
				    "nothing new; pulls wait, up to %lld ms "
				    "(said once until it moves)", w->center,
				    (long long)s->o.backoff_max_ms);
			pl_nap(s, &w->gone, idle);
			continue;
		}
		pl_set_behind(w, false);
		if (atomic_load(&s->stop) || atomic_load(&w->gone))
			break;
		mb_store_peer_fail(st, w->center, mb_diag_msg(&d, rc),
		    mb_time_now_ms(), NULL);
		backoff = backoff == 0 ? s->o.backoff_min_ms : backoff * 2;
		if (backoff > s->o.backoff_max_ms)
			backoff = s->o.backoff_max_ms;
		pthread_mutex_lock(&s->lock);
		w->backoff_ms = backoff;
		pthread_mutex_unlock(&s->lock);
		/* A log line per change of state, not per attempt. */
		if (strcmp(failing, mb_diag_msg(&d, rc)) != 0) {
			snprintf(failing, sizeof(failing), "%s",
			    mb_diag_msg(&d, rc));
			log_warn("sync: pull failed peer=%s retry_ms=%lld "
			    "why=\"%s\" (said once until it changes)",
			    w->center, (long long)backoff, failing);
		}
		/* Full jitter over the upper half: peers don't retry in step. */
		pl_nap(s, &w->gone, backoff / 2 + (int64_t)randombytes_uniform(
		    (uint32_t)(backoff / 2 + 1)));
		/*
		 * A lost database connection took the peer's lock with it
		 * (MB_ERR_AGAIN): take it again, or stand by, before pulling.
		 */
		if (rc == MB_ERR_AGAIN && !hold_peer(s, w, st))
			break;
	}
out:
	pl_set_behind(w, false);
	pl_pipe_free(&pp);
	mb_sync_keyring_free(ps.kr);
	mb_store_close(st);
	atomic_store(&w->finished, 1);
	return NULL;
}

/* ---- the set of peers --------------------------------------------------- */

struct want {
	char	center[33];
	char	url[256];
};

struct wants {
	struct want	*w;
	size_t		 n;
	struct mb_store	*st;
	const struct mb_center_node *node;
};

static int
want_add(struct wants *ws, const char *center, const char *url)
{
	struct want *w;

	for (size_t i = 0; i < ws->n; i++)
		if (strcmp(ws->w[i].center, center) == 0)
			return MB_OK;
	if ((w = realloc(ws->w, (ws->n + 1) * sizeof(*w))) == NULL)
		return MB_ERR_NOMEM;
	ws->w = w;
	w += ws->n++;
	snprintf(w->center, sizeof(w->center), "%s", center);
	snprintf(w->url, sizeof(w->url), "%s", url);
	return MB_OK;
}

/* HQ: every active center with a URL is a peer. */
static int
hq_peer(const struct mb_center *c, void *arg)
{
	struct wants *ws = arg;

	if (strcmp(c->id, ws->node->conf.id) == 0 ||
	    strcmp(c->status, "active") != 0 || c->url[0] == '\0')
		return MB_OK;
	return mb_store_peer_put(ws->st, c->id, c->url, 0, NULL);
}

/* A branch: HQ, under the id the registry gives it. */
static int
find_hq(const struct mb_center *c, void *arg)
{
	char *id = arg;

	if (strcmp(c->role, "hq") == 0 && strcmp(c->status, "active") == 0) {
		snprintf(id, 33, "%s", c->id);
		return 1;
	}
	return MB_OK;
}

static int
peer_eligible(const struct mb_peer *p, void *arg)
{
	struct wants		*ws = arg;
	struct mb_center	 c;

	if (strcmp(p->center, ws->node->conf.id) == 0)
		return MB_OK;
	if (mb_store_center_get(ws->st, p->center, &c, NULL) != MB_OK ||
	    strcmp(c.status, "active") != 0)
		return MB_OK;
	return want_add(ws, p->center, p->url);
}

/*
 * Brings the peers table up to date with the registry (and, on a branch,
 * the registry with HQ), then lists the peers to pull from.
 */
static int
compute_peers(struct mb_sync *s, struct client *c, struct mb_store *st,
    struct wants *ws, struct mb_diag *d)
{
	const struct mb_conf	*conf = &s->node->conf;
	int64_t			 now = mb_time_now_ms();
	char			 hq[33] = "";
	bool			 applied;
	int			 rc;

	ws->st = st;
	ws->node = s->node;
	if (strcmp(conf->role, "hq") == 0) {
		if ((rc = mb_store_center_list(st, hq_peer, ws, d)) != MB_OK)
			return rc;
	} else if (conf->hq_url[0] != '\0') {
		if ((mb_sync_registry_version(st) == 0 ||
		    now - s->registry_fetched_ms >= s->o.registry_s * 1000L) &&
		    now >= s->registry_retry_ms) {
			rc = pl_fetch_registry(c, st, conf->hq_url, &applied, d);
			if (rc != MB_OK) {
				/* Backs off as pulls do; said once. */
				if (s->registry_backoff_ms == 0)
					log_warn("sync: registry fetch from hq "
					    "failed: %s", mb_diag_msg(d, rc));
				s->registry_backoff_ms =
				    s->registry_backoff_ms == 0 ?
				    s->o.backoff_min_ms :
				    s->registry_backoff_ms * 2;
				if (s->registry_backoff_ms > s->o.backoff_max_ms)
					s->registry_backoff_ms =
					    s->o.backoff_max_ms;
				s->registry_retry_ms = now +
				    s->registry_backoff_ms;
				mb_diag_clear(d);
			} else {
				if (s->registry_backoff_ms != 0)
					log_info("sync: registry fetch from hq "
					    "works again");
				s->registry_backoff_ms = 0;
				s->registry_retry_ms = 0;
				s->registry_fetched_ms = now;
			}
		}
		if ((rc = mb_store_center_list(st, find_hq, hq, d)) != MB_OK)
			return rc;
		if (hq[0] != '\0' && (rc = mb_store_peer_put(st, hq,
		    conf->hq_url, 0, d)) != MB_OK)
			return rc;
	}
	return mb_store_peer_list(st, peer_eligible, ws, d);
}

static void
reap(struct mb_sync *s, bool all)
{
	struct worker **pp = &s->workers, *w;

	while ((w = *pp) != NULL) {
		if (all)
			atomic_store(&w->gone, 1);
		if (atomic_load(&w->gone)) {
			pthread_join(w->thread, NULL);
			*pp = w->next;
			free(w);
		} else {
			pp = &w->next;
		}
	}
}

static void
reconcile(struct mb_sync *s, const struct wants *ws)
{
	struct worker *w;

	for (w = s->workers; w != NULL; w = w->next) {
		bool keep = false;

		for (size_t i = 0; i < ws->n; i++)
			if (strcmp(ws->w[i].center, w->center) == 0 &&
			    strcmp(ws->w[i].url, w->url) == 0)
				keep = true;
		if (!keep)
			atomic_store(&w->gone, 1);
	}
	pthread_mutex_lock(&s->lock);
	pthread_cond_broadcast(&s->cond);
	pthread_mutex_unlock(&s->lock);
	reap(s, false);
	for (size_t i = 0; i < ws->n; i++) {
		bool have = false;

		for (w = s->workers; w != NULL; w = w->next)
			if (strcmp(ws->w[i].center, w->center) == 0)
				have = true;
		if (have || (w = calloc(1, sizeof(*w))) == NULL)
			continue;
		w->sync = s;
		snprintf(w->center, sizeof(w->center), "%s", ws->w[i].center);
		snprintf(w->url, sizeof(w->url), "%s", ws->w[i].url);
		if (pthread_create(&w->thread, NULL, worker_main, w) != 0) {
			free(w);
			continue;
		}
		pthread_mutex_lock(&s->lock);
		w->next = s->workers;
		s->workers = w;
		pthread_mutex_unlock(&s->lock);
	}
}

static void *
supervisor_main(void *arg)
{
	struct mb_sync	*s = arg;
	struct client	 c;
	struct mb_store	*st = NULL;
	struct mb_diag	 d;
	int		 rc;

	if (pl_client_init(&c, s->node, &s->stop, NULL) != MB_OK)
		return NULL;
	if ((rc = mb_center_store(s->node, &st, &d)) != MB_OK) {
		log_error("sync: store: %s", mb_diag_msg(&d, rc));
		pl_client_free(&c);
		return NULL;
	}
	while (!atomic_load(&s->stop)) {
		struct wants ws = { NULL, 0, NULL, NULL };

		if ((rc = compute_peers(s, &c, st, &ws, &d)) != MB_OK)
			log_warn("sync: peers: %s", mb_diag_msg(&d, rc));
		else
			reconcile(s, &ws);
		free(ws.w);
		pl_nap(s, NULL, s->o.rescan_ms);
	}
	mb_store_close(st);
	pl_client_free(&c);
	return NULL;
}

int
mb_sync_start(const struct mb_center_node *n, const struct mb_sync_opts *o,
    struct mb_sync **out, struct mb_diag *d)
{
	struct mb_sync *s;

	pl_curl_init();
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return MB_ERR_NOMEM;
	s->node = n;
	opts_fill(&s->o, o);
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->cond, NULL);
	if (pthread_create(&s->supervisor, NULL, supervisor_main, s) != 0) {
		free(s);
		return mb_diag_set(d, MB_ERR_NOMEM,
		    "sync: cannot start a thread");
	}
	*out = s;
	return MB_OK;
}

void
mb_sync_stop(struct mb_sync *s)
{
	if (s == NULL)
		return;
	atomic_store(&s->stop, 1);
	pthread_mutex_lock(&s->lock);
	pthread_cond_broadcast(&s->cond);
	pthread_mutex_unlock(&s->lock);
	pthread_join(s->supervisor, NULL);
	reap(s, true);
	pthread_mutex_destroy(&s->lock);
	pthread_cond_destroy(&s->cond);
	free(s);
}

int
mb_sync_once(const struct mb_center_node *n, const struct mb_sync_opts *o,
    struct mb_sync_result **res, size_t *nres, struct mb_diag *d)
{
	struct mb_sync		 s;
	struct pull_pipe	 pp;
	struct mb_store		*st = NULL;
	struct wants		 ws = { NULL, 0, NULL, NULL };
	struct pull_state	 ps;
	struct mb_diag		 pd;
	int			 rc, failed = 0;

	*res = NULL;
	*nres = 0;
	pl_curl_init();
	memset(&s, 0, sizeof(s));
	memset(&ps, 0, sizeof(ps));
	s.node = n;
	s.once = 1;
	opts_fill(&s.o, o);
	/*
	 * A bulk run that exits after: larger transactions, as the writer
	 * is the exchange's serial path and each commit writes a search
	 * index segment and merges (2,000 versions: ~20 % less of its CPU
	 * than 1,000, at ~70 MB more peak memory than serve's pullers are
	 * given; docs/benchmarks.md, "The pull's batches").
	 */
	if (o == NULL || o->batch <= 0)
		s.o.batch = env_int("MB_SYNC_BATCH", ONCE_BATCH);
	mb_sync_tokenizer_bulk();
	if ((rc = pl_pipe_init(&pp, n, NULL, NULL)) != MB_OK)
		return rc;
	if ((rc = mb_center_store(n, &st, d)) != MB_OK)
		goto out;
	if ((rc = compute_peers(&s, &pp.c[0], st, &ws, d)) != MB_OK)
		goto out;
	if (ws.n > 0 && (*res = calloc(ws.n, sizeof(**res))) == NULL) {
		rc = mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < ws.n; i++) {
		struct mb_sync_result	*r = &(*res)[i];
		int64_t			 applied = 0, refused = 0;
		int	retries = 0;

		ps.limit = 0;

		for (int rounds = 0; rounds < 1000000; rounds++) {
			mb_diag_clear(&pd);
			ps.applied = ps.refused = ps.wire = 0;
			pl_pipe_set_rate(&pp, ws.w[i].url,
			    link_rate(st, ws.w[i].center));
			rc = pl_pull_round(&pp, st, &s.o, ws.w[i].center,
			    ws.w[i].url, 0, &ps, NULL, &pd);
			(void)mb_sync_link_count(st, ws.w[i].center, ps.wire,
			    NULL);
			applied += ps.applied;
			refused += ps.refused;
			/*
			 * A failed transfer: again at once, smaller
			 * (pl_batch_fit), up to 8 failures in a row.
			 */
			if (rc == MB_ERR_NET && retries++ < 8)
				continue;
			if (rc != MB_OK || ps.caught_up)
				break;
			retries = 0;
		}
		/* Nothing fetched ahead from this peer goes to the next. */
		pl_prefetch_drop(&pp.pf);
		if (rc != MB_OK) {
			mb_store_peer_fail(st, ws.w[i].center,
			    mb_diag_msg(&pd, rc), mb_time_now_ms(), NULL);
			if (!failed)
				mb_diag_set(d, MB_ERR_NET, "peer %s: %s",
				    ws.w[i].center, mb_diag_msg(&pd, rc));
			failed = 1;
		}
		snprintf(r->center, sizeof(r->center), "%s", ws.w[i].center);
		r->got = applied;
		r->refused = refused;
		r->rc = rc;
		if (rc != MB_OK)
			snprintf(r->error, sizeof(r->error), "%s",
			    mb_diag_msg(&pd, rc));
		(*nres)++;
	}
	rc = failed ? MB_ERR_NET : MB_OK;
out:
	mb_sync_keyring_free(ps.kr);
	free(ws.w);
	mb_store_close(st);
	pl_pipe_free(&pp);
	return rc;
}

/* ---- small client calls ------------------------------------------------- */

int
mb_sync_fetch_center_id(const char *url, char id[33], struct mb_diag *d)
{
	struct client	 c;
	struct response	 r;
	json_t		*j;
	const char	*s;
	int		 rc;

	pl_curl_init();
	if ((rc = pl_client_init(&c, NULL, NULL, NULL)) != MB_OK)
		return rc;
	rc = pl_http_get(&c, url, "/federation/v1/center", NULL, 10, false, &r,
	    d);
	pl_client_free(&c);
	if (rc != MB_OK)
		return rc;
	if (r.status != 200) {
		rc = pl_status_error(url, &r, d);
		mb_buf_free(&r.body);
		return rc;
	}
	/* A center's card is small: anything larger is not parsed. */
	j = r.body.len <= 65536 ? json_loadb(r.body.data != NULL ?
	    r.body.data : "", r.body.len, 0, NULL) : NULL;
	mb_buf_free(&r.body);
	s = json_string_value(json_object_get(j, "id"));
	if (s == NULL || !mb_center_id_valid(s)) {
		json_decref(j);
		return mb_diag_set(d, MB_ERR_NET,
		    "%s: /federation/v1/center gave no center id", url);
	}
	snprintf(id, 33, "%s", s);
	json_decref(j);
	return MB_OK;
}

int
mb_sync_sign_get(const struct mb_center_node *n, const char *url,
    struct mb_buf *out, struct mb_diag *d)
{
	struct mb_sync_req	 req;
	struct mb_buf		 si = MB_BUF_INIT, sg = MB_BUF_INIT;
	char			 authority[256], path[1024];
	const char		*q;
	int			 rc;

	if (pl_split_url(url, authority, sizeof(authority), path,
	    sizeof(path)) != MB_OK)
		return mb_diag_set(d, MB_ERR_INVAL, "%s: not an http URL",
		    url);
	if ((q = strchr(path, '?')) != NULL)
		path[q - path] = '\0';
	q = strchr(url, '?');
	memset(&req, 0, sizeof(req));
	req.method = "GET";
	req.authority = authority;
	req.path = path;
	req.query = q != NULL ? q + 1 : NULL;
	if ((rc = mb_sync_httpsig_sign(&req, n->conf.id, n->key,
	    mb_time_now_ms() / 1000, &si, &sg, NULL, d)) == MB_OK &&
	    mb_buf_printf(out, "Signature-Input: %s\nSignature: %s\n",
	    si.data, sg.data) != MB_OK)
		rc = MB_ERR_NOMEM;
	mb_buf_free(&si);
	mb_buf_free(&sg);
	return rc;
}
