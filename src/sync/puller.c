/* SPDX-License-Identifier: MIT */
/* Pulling peers' logs over HTTP (libcurl): one thread per peer and a supervisor. */
#include "puller.h"

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

#include <curl/curl.h>
#include <jansson.h>
#include <sodium.h>

#include "base/log.h"
#include "base/timeutil.h"
#include "item/id.h"
#include "base/fs.h"
#include "sync/apply.h"
#include "sync/blob.h"
#include "sync/httpsig.h"
#include "sync/log.h"
#include "sync/registry.h"

#define BODY_MAX (512u * 1024 * 1024)

/* Microseconds on the monotonic clock (the debug log's batch timings). */
static int64_t
mono_us(void)
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

/* ---- the HTTP client ---------------------------------------------------- */

struct client {
	const struct mb_center_node	*node;
	CURL				*curl;
	atomic_int			*stop;	/* may be NULL */
	atomic_int			*gone;	/* may be NULL */
	atomic_int			 cancel;/* prefetch_drop(): give up */
	bool				 cut;	/* the last transfer was cut */
};

struct response {
	long		status;
	struct mb_buf	body;
	int64_t		log_next;
	int64_t		log_last;
	int64_t		log_count;	/* Mb-Log-Count: lines in the body */
	int64_t		registry_version;
	int64_t		wire_bytes;
	int		too_big;
};

static size_t
on_body(char *p, size_t size, size_t n, void *arg)
{
	struct response *r = arg;

	if (r->body.len + size * n > BODY_MAX) {
		r->too_big = 1;
		return 0;
	}
	if (mb_buf_append(&r->body, p, size * n) != MB_OK)
		return 0;
	return size * n;
}

static int64_t
header_int(const char *line, size_t len, const char *name)
{
	size_t	n = strlen(name);
	char	num[24];
	size_t	i = 0;

	if (len <= n || strncasecmp(line, name, n) != 0 || line[n] != ':')
		return -1;
	line += n + 1;
	len -= n + 1;
	while (len > 0 && *line == ' ') {
		line++;
		len--;
	}
	while (len > 0 && i + 1 < sizeof(num) && *line >= '0' &&
	    *line <= '9') {
		num[i++] = *line++;
		len--;
	}
	num[i] = '\0';
	return i > 0 ? strtoll(num, NULL, 10) : -1;
}

static size_t
on_header(char *p, size_t size, size_t n, void *arg)
{
	struct response	*r = arg;
	int64_t		 v;

	if ((v = header_int(p, size * n, "Mb-Log-Next")) >= 0)
		r->log_next = v;
	else if ((v = header_int(p, size * n, "Mb-Log-Last")) >= 0)
		r->log_last = v;
	else if ((v = header_int(p, size * n, "Mb-Log-Count")) >= 0)
		r->log_count = v;
	else if ((v = header_int(p, size * n, "Mb-Registry-Version")) >= 0)
		r->registry_version = v;
	return size * n;
}

static int
on_progress(void *arg, curl_off_t a, curl_off_t b, curl_off_t c,
    curl_off_t e)
{
	struct client *cl = arg;

	(void)a, (void)b, (void)c, (void)e;
	return (cl->stop != NULL && atomic_load(cl->stop)) ||
	    (cl->gone != NULL && atomic_load(cl->gone)) ||
	    atomic_load(&cl->cancel);
}

/* Splits "http://host:port/prefix" into authority and path prefix. */
static int
split_url(const char *url, char *authority, size_t an, char *prefix,
    size_t pn)
{
	const char	*p = strstr(url, "://"), *slash;
	size_t		 n;

	if (p == NULL)
		return MB_ERR_INVAL;
	p += 3;
	slash = strchr(p, '/');
	n = slash != NULL ? (size_t)(slash - p) : strlen(p);
	if (n == 0 || n >= an)
		return MB_ERR_INVAL;
	for (size_t i = 0; i < n; i++)
		authority[i] = (char)(p[i] >= 'A' && p[i] <= 'Z' ? p[i] + 32 :
		    p[i]);
	authority[n] = '\0';
	snprintf(prefix, pn, "%s", slash != NULL ? slash : "");
	n = strlen(prefix);
	if (n > 0 && prefix[n - 1] == '/')
		prefix[n - 1] = '\0';
	return MB_OK;
}

/*
 * A signed GET of base + path + "?" + query (query may be NULL). The
 * response's status is in r; MB_OK means the transfer worked (whatever
 * the status).
 */
static int
http_get_h(struct client *c, const char *base, const char *path,
    const char *query, int timeout_s, bool sign, const char *extra,
    struct response *r, struct mb_diag *d)
{
	struct mb_sync_req	 req;
	struct mb_buf		 url = MB_BUF_INIT, full = MB_BUF_INIT;
	struct mb_buf		 si = MB_BUF_INIT, sg = MB_BUF_INIT;
	struct mb_buf		 h = MB_BUF_INIT;
	struct curl_slist	*hdrs = NULL;
	char			 authority[256], prefix[256];
	curl_off_t		 down = 0, hsize = 0;
	CURLcode		 cc;
	int			 rc;

	memset(r, 0, sizeof(*r));
	r->log_next = -1;
	r->log_last = -1;
	r->log_count = -1;
	r->registry_version = -1;
	c->cut = false;
	if (split_url(base, authority, sizeof(authority), prefix,
	    sizeof(prefix)) != MB_OK)
		return mb_diag_set(d, MB_ERR_INVAL, "%s: not an http URL",
		    base);
	rc = MB_ERR_NOMEM;
	if (mb_buf_printf(&full, "%s%s", prefix, path) != MB_OK ||
	    mb_buf_printf(&url, "%.*s%s%s%s%s", (int)(strstr(base, "://") -
	    base + 3), base, authority, mb_buf_cstr(&full), query != NULL ?
	    "?" : "", query != NULL ? query : "") != MB_OK)
		goto out;
	if (mb_buf_printf(&h, "Host: %s", authority) != MB_OK ||
	    (hdrs = curl_slist_append(hdrs, mb_buf_cstr(&h))) == NULL)
		goto out;
	if (extra != NULL && (hdrs = curl_slist_append(hdrs, extra)) == NULL)
		goto out;
	if (sign) {
		memset(&req, 0, sizeof(req));
		req.method = "GET";
		req.authority = authority;
		req.path = mb_buf_cstr(&full);
		req.query = query;
		if ((rc = mb_sync_httpsig_sign(&req, c->node->conf.id,
		    c->node->key, mb_time_now_ms() / 1000, &si, &sg, NULL,
		    d)) != MB_OK)
			goto out;
		mb_buf_reset(&h);
		rc = MB_ERR_NOMEM;
		if (mb_buf_printf(&h, "Signature-Input: %s", si.data) !=
		    MB_OK ||
		    (hdrs = curl_slist_append(hdrs, mb_buf_cstr(&h))) == NULL)
			goto out;
		mb_buf_reset(&h);
		if (mb_buf_printf(&h, "Signature: %s", sg.data) != MB_OK ||
		    (hdrs = curl_slist_append(hdrs, mb_buf_cstr(&h))) == NULL)
			goto out;
	}
	curl_easy_setopt(c->curl, CURLOPT_URL, mb_buf_cstr(&url));
	curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(c->curl, CURLOPT_HTTPGET, 1L);
	curl_easy_setopt(c->curl, CURLOPT_ACCEPT_ENCODING, "zstd, gzip");
	curl_easy_setopt(c->curl, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c->curl, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(c->curl, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c->curl, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(c->curl, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(c->curl, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(c->curl, CURLOPT_XFERINFODATA, c);
	curl_easy_setopt(c->curl, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
	/*
	 * A slow link is not a dead one: give up when fewer than 256
	 * bytes/s came for the whole long-poll wait plus 30 s, not after a
	 * fixed time (a 1.7 MB batch takes minutes at 64 kbit/s). The hard
	 * cap only ends a request that trickles forever; a failed transfer
	 * makes the next batches smaller (worker_main).
	 */
	curl_easy_setopt(c->curl, CURLOPT_LOW_SPEED_LIMIT, 256L);
	curl_easy_setopt(c->curl, CURLOPT_LOW_SPEED_TIME, (long)timeout_s + 30);
	curl_easy_setopt(c->curl, CURLOPT_TIMEOUT_MS,
	    (long)(timeout_s + 900) * 1000L);
	curl_easy_setopt(c->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c->curl, CURLOPT_USERAGENT, "mediabridge/" "sync");
	cc = curl_easy_perform(c->curl);
	curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, NULL);
	if (cc != CURLE_OK) {
		/*
		 * Cut short by the link (not refused or unreachable): the
		 * batch size is what batch_fit() changes.
		 */
		c->cut = r->too_big || cc == CURLE_PARTIAL_FILE ||
		    cc == CURLE_OPERATION_TIMEDOUT || cc == CURLE_RECV_ERROR ||
		    cc == CURLE_GOT_NOTHING || cc == CURLE_SEND_ERROR ||
		    cc == CURLE_BAD_CONTENT_ENCODING;
		rc = mb_diag_set(d, MB_ERR_NET, "%s: %s", base,
		    r->too_big ? "response too large" :
		    curl_easy_strerror(cc));
		/* What came of a failed transfer is not kept. */
		mb_buf_free(&r->body);
		goto out;
	}
	curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &r->status);
	curl_easy_getinfo(c->curl, CURLINFO_SIZE_DOWNLOAD_T, &down);
	curl_easy_getinfo(c->curl, CURLINFO_HEADER_SIZE, &hsize);
	r->wire_bytes = (int64_t)down + (int64_t)hsize;
	rc = MB_OK;
out:
	curl_slist_free_all(hdrs);
	mb_buf_free(&url);
	mb_buf_free(&full);
	mb_buf_free(&si);
	mb_buf_free(&sg);
	mb_buf_free(&h);
	return rc;
}

static int
http_get(struct client *c, const char *base, const char *path,
    const char *query, int timeout_s, bool sign, struct response *r,
    struct mb_diag *d)
{
	return http_get_h(c, base, path, query, timeout_s, sign, NULL, r, d);
}

/* A non-200 answer as an error: "HTTP 403: <the server's message>". */
static int
status_error(const char *base, const struct response *r, struct mb_diag *d)
{
	json_t		*j;
	const char	*msg = NULL, *code;
	int		 rc;

	j = json_loadb(r->body.data != NULL ? r->body.data : "", r->body.len,
	    0, NULL);
	msg = json_string_value(json_object_get(json_object_get(j, "error"),
	    "message"));
	code = json_string_value(json_object_get(json_object_get(j, "error"),
	    "code"));
	/*
	 * Refused (not a member, suspended): not the link's fault. But a
	 * request of ours seen twice was sent twice by libcurl, which
	 * retries on a fresh connection when a reused one dies before
	 * answering: a link failure; the retry is signed anew.
	 */
	rc = mb_diag_set(d, (r->status == 401 || r->status == 403) &&
	    (code == NULL || strcmp(code, "replayed") != 0) ?
	    MB_ERR_PERM : MB_ERR_NET, "%s: HTTP %ld%s%.200s", base,
	    r->status, msg != NULL ? ": " : "", msg != NULL ? msg : "");
	json_decref(j);
	return rc;
}

static int
client_init(struct client *c, const struct mb_center_node *n,
    atomic_int *stop, atomic_int *gone)
{
	c->node = n;
	c->stop = stop;
	c->gone = gone;
	atomic_init(&c->cancel, 0);
	c->cut = false;
	if ((c->curl = curl_easy_init()) == NULL)
		return MB_ERR_NOMEM;
	return MB_OK;
}

static void
client_free(struct client *c)
{
	if (c->curl != NULL)
		curl_easy_cleanup(c->curl);
	c->curl = NULL;
}

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void
curl_start(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

/* ---- the exchange's state ----------------------------------------------- */

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

/* Whether w's peer has more waiting than the batch in hand. */
static void
set_behind(struct worker *w, bool behind)
{
	if (w->behind == behind)
		return;
	w->behind = behind;
	mb_sync_backlog_add(behind ? 1 : -1);
}

struct mb_sync {
	const struct mb_center_node	*node;
	struct mb_sync_opts		 o;
	pthread_t			 supervisor;
	pthread_mutex_t			 lock;
	pthread_cond_t			 cond;
	atomic_int			 stop;
	struct worker			*workers;
	int64_t				 registry_fetched_ms;
	int				 once;
};

/* Sleeps up to ms, waking early when the exchange stops. */
static void
nap(struct mb_sync *s, int64_t ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (ms % 1000) * 1000000L;
	ts.tv_sec += ts.tv_nsec / 1000000000L;
	ts.tv_nsec %= 1000000000L;
	pthread_mutex_lock(&s->lock);
	if (!atomic_load(&s->stop))
		pthread_cond_timedwait(&s->cond, &s->lock, &ts);
	pthread_mutex_unlock(&s->lock);
}

/* Fetches the registry from base and applies it when newer. */
static int
fetch_registry(struct client *c, struct mb_store *st, const char *base,
    bool *applied, struct mb_diag *d)
{
	struct response	r;
	int		rc;

	*applied = false;
	if ((rc = http_get(c, base, "/federation/v1/registry", NULL, 10, true,
	    &r, d)) != MB_OK)
		return rc;
	if (r.status != 200)
		rc = status_error(base, &r, d);
	else
		rc = mb_sync_registry_apply(st, c->node, r.body.data,
		    r.body.len, applied, d);
	mb_buf_free(&r.body);
	return rc;
}

struct verify_job {
	struct mb_sync_batch		*b;
	const struct mb_sync_keyring	*kr;
	size_t				 from, to;
};

static void *
verify_main(void *arg)
{
	struct verify_job *j = arg;

	mb_sync_batch_verify(j->b, j->kr, j->from, j->to);
	return NULL;
}

static void *
verify_thread(void *arg)
{
	pthread_setname_np(pthread_self(), "mb-verify");
	return verify_main(arg);
}

/* Verifies a batch on up to threads cores. */
static void
verify_parallel(struct mb_sync_batch *b, const struct mb_sync_keyring *kr,
    int threads)
{
	struct verify_job	jobs[16];
	pthread_t		tids[16];
	size_t			n = mb_sync_batch_count(b), per;
	int			t = threads, started = 0;

	if (t > 16)
		t = 16;
	if (t <= 1 || n < 32) {
		mb_sync_batch_verify(b, kr, 0, n);
		return;
	}
	per = (n + (size_t)t - 1) / (size_t)t;
	for (int i = 0; i < t; i++) {
		jobs[i].b = b;
		jobs[i].kr = kr;
		jobs[i].from = (size_t)i * per;
		jobs[i].to = jobs[i].from + per > n ? n : jobs[i].from + per;
	}
	for (int i = 1; i < t; i++)
		if (pthread_create(&tids[i], NULL, verify_thread, &jobs[i]) == 0)
			started |= 1 << i;
		else
			verify_main(&jobs[i]);
	verify_main(&jobs[0]);
	for (int i = 1; i < t; i++)
		if (started & (1 << i))
			pthread_join(tids[i], NULL);
}

struct pull_state {
	struct mb_sync_keyring	*kr;
	bool			 caught_up;
	int64_t			 applied, refused, dups, wire, raw;
	int			 limit;		/* versions asked for (0: opts) */
	int			 streak;	/* transfers in a row that came */
};

/*
 * The batch size follows the link: a transfer that fails (a link that
 * drops every connection after so many bytes, a timeout on a slow one)
 * makes the next ones a quarter as large, down to one version, so that
 * a batch can get through; eight in a row that come double it again, up
 * to the configured size. Batches are applied whole or not at all, so a
 * smaller one is progress a larger one would lose.
 */
static int
batch_limit(struct pull_state *ps, const struct mb_sync_opts *o)
{
	if (ps->limit <= 0 || ps->limit > o->batch)
		ps->limit = o->batch;
	return ps->limit;
}

static void
batch_fit(struct pull_state *ps, const struct mb_sync_opts *o, int rc,
    bool cut)
{
	batch_limit(ps, o);
	if (rc != MB_OK) {
		/* A peer down or refusing says nothing of the size. */
		ps->streak = 0;
		if (cut && ps->limit > 1)
			ps->limit = ps->limit / 4 > 1 ? ps->limit / 4 : 1;
	} else if (++ps->streak >= 8) {
		ps->streak = 0;
		ps->limit = ps->limit * 2 < o->batch ? ps->limit * 2 : o->batch;
	}
}

/* GET the peer's log after after. */
static int
fetch_log(struct client *c, const char *base, int64_t after, int limit,
    int wait_s, struct response *r, struct mb_diag *d)
{
	char	query[128];
	int	rc;

	snprintf(query, sizeof(query), "after=%lld&limit=%d&wait=%d",
	    (long long)after, limit, wait_s > 0 ? wait_s : 0);
	if ((rc = http_get(c, base, "/federation/v1/log", query,
	    wait_s > 0 ? wait_s : 0, true, r, d)) != MB_OK)
		return rc;
	if (r->status != 200) {
		rc = status_error(base, r, d);
		mb_buf_free(&r->body);
		return rc;
	}
	/*
	 * A link that drops mid-headers can leave libcurl with a "complete"
	 * answer that is no such thing (no length yet: read to the close).
	 * Trusting its Mb-Log-Next would move the cursor past versions never
	 * received: every Mb-Log-* header, and (in apply_response) as many
	 * lines as Mb-Log-Count, or it is a transfer cut short. (A length is
	 * not required: a proxy may re-chunk a whole answer.)
	 */
	if (r->log_next < 0 || r->log_last < 0 || r->log_count < 0) {
		mb_buf_free(&r->body);
		c->cut = true;
		return mb_diag_set(d, MB_ERR_NET, "%s: incomplete log answer "
		    "(Mb-Log-* headers missing)", base);
	}
	log_debug("sync: fetched %s after=%lld limit=%d bytes=%zu wire=%lld "
	    "next=%lld last=%lld", base, (long long)after, limit, r->body.len,
	    (long long)r->wire_bytes, (long long)r->log_next,
	    (long long)r->log_last);
	return MB_OK;
}

/*
 * Makes ps->kr fit for a batch from base: fetches the registry first when
 * the peer says it has a newer one, then takes a new snapshot when the
 * store's registry is not the one ps->kr was read at (fetched just now,
 * or changed here: a revoke on HQ).
 */
static int
keyring_refresh(struct client *c, struct mb_store *st, const char *base,
    int64_t peer_registry, struct pull_state *ps, struct mb_diag *d)
{
	int64_t	have = mb_sync_registry_version(st);
	bool	applied;
	int	rc;

	if (peer_registry > have) {
		if ((rc = fetch_registry(c, st, base, &applied, d)) != MB_OK) {
			mb_diag_prefix(d, "registry");
			return rc;
		}
		have = mb_sync_registry_version(st);
	}
	if (ps->kr != NULL && mb_sync_keyring_version(ps->kr) != have) {
		mb_sync_keyring_free(ps->kr);
		ps->kr = NULL;
	}
	if (ps->kr == NULL)
		return mb_sync_keyring_load(st, &ps->kr, d);
	return MB_OK;
}

/*
 * Applies one fetched log response r (freed here): refreshes the
 * registry when the peer has a newer one, verifies on every core and
 * applies in one transaction. ahead (may be NULL; taken over) is r's
 * batch already verified in the fetching thread with the keyring
 * ahead_kr: used as it is when that is still the keyring at hand, else
 * verified again. *cursor tells where the cursor went (r->log_next
 * unless the batch stopped early).
 */
static int
apply_response(struct client *c, struct mb_store *st,
    const struct mb_sync_opts *o, const char *center, const char *base,
    struct response *r, struct mb_sync_batch *ahead,
    const struct mb_sync_keyring *ahead_kr, struct pull_state *ps,
    int64_t *cursor, struct mb_diag *d)
{
	struct mb_sync_batch		*b = ahead;
	struct mb_sync_apply_result	 res;
	int64_t				 t0, t1;
	bool				 applied;
	int				 rc;

	ps->caught_up = false;
	*cursor = -1;
	ps->wire += r->wire_bytes;
	ps->raw += (int64_t)r->body.len;
	if ((rc = keyring_refresh(c, st, base, r->registry_version, ps, d)) !=
	    MB_OK)
		goto out;
	t0 = mono_us();
	if (b == NULL || ahead_kr != ps->kr) {
		if (b != NULL)
			mb_sync_batch_unverify(b);
		else if ((rc = mb_sync_batch_parse(r->body.data != NULL ?
		    r->body.data : "", r->body.len, &b, d)) != MB_OK)
			goto out;
		verify_parallel(b, ps->kr, o->threads);
	}
	if (r->log_count >= 0 && (int64_t)mb_sync_batch_count(b) !=
	    r->log_count) {
		c->cut = true;
		rc = mb_diag_set(d, MB_ERR_NET, "%s: log answer cut short: "
		    "%zu of %lld lines", base, mb_sync_batch_count(b),
		    (long long)r->log_count);
		goto out;
	}
	t1 = mono_us();
	if ((rc = mb_sync_batch_apply(st, b, center, r->log_next, &res, d)) !=
	    MB_OK)
		goto out;
	log_debug("sync: batch peer=%s n=%zu verify_us=%lld apply_us=%lld",
	    center, mb_sync_batch_count(b), (long long)(t1 - t0),
	    (long long)(mono_us() - t1));
	*cursor = res.cursor;
	ps->applied += res.applied;
	ps->refused += res.refused;
	ps->dups += res.duplicates;
	if (res.applied > 0 && o->on_applied != NULL)
		o->on_applied(o->on_applied_arg);
	if (res.applied > 0 || res.refused > 0)
		log_info("sync: pulled peer=%s applied=%lld dup=%lld "
		    "refused=%lld cursor=%lld", center, (long long)res.applied,
		    (long long)res.duplicates, (long long)res.refused,
		    (long long)res.cursor);
	if (res.unknown_origin[0] != '\0') {
		/* Our registry is behind: ask this peer for a newer one. */
		mb_sync_keyring_free(ps->kr);
		ps->kr = NULL;
		if (fetch_registry(c, st, base, &applied, NULL) != MB_OK ||
		    !applied)
			rc = mb_diag_set(d, MB_ERR_AGAIN,
			    "origin %s is not in the registry yet",
			    res.unknown_origin);
		goto out;
	}
	ps->caught_up = r->log_last >= 0 ? res.cursor >= r->log_last :
	    mb_sync_batch_count(b) == 0;
out:
	mb_sync_batch_free(b);
	mb_buf_free(&r->body);
	return rc;
}

/*
 * One round with peer center at base: GET the log after its cursor,
 * then apply it (sync --once).
 */
static int
pull_once(struct client *c, struct mb_store *st, const struct mb_sync_opts *o,
    const char *center, const char *base, int wait_s, struct pull_state *ps,
    struct mb_diag *d)
{
	struct mb_peer	peer;
	struct response	r;
	int64_t		cursor;
	int		rc;

	ps->caught_up = false;
	if ((rc = mb_store_peer_get(st, center, &peer, d)) != MB_OK)
		return rc;
	rc = fetch_log(c, base, peer.cursor, batch_limit(ps, o), wait_s, &r,
	    d);
	if (rc == MB_OK)
		rc = apply_response(c, st, o, center, base, &r, NULL, NULL, ps,
		    &cursor, d);
	batch_fit(ps, o, rc, c->cut);
	return rc;
}

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
	pthread_t		 thread;
	bool			 running;
};

static void *
prefetch_main(void *arg)
{
	struct prefetch *pf = arg;

	pthread_setname_np(pthread_self(), "mb-fetch");
	mb_diag_clear(&pf->d);
	pf->b = NULL;
	pf->rc = fetch_log(pf->c, pf->base, pf->after, pf->limit, 0, &pf->r,
	    &pf->d);
	/* A body that does not parse is left to the applying thread. */
	if (pf->rc == MB_OK && pf->kr != NULL &&
	    mb_sync_batch_parse(pf->r.body.data != NULL ? pf->r.body.data :
	    "", pf->r.body.len, &pf->b, NULL) == MB_OK)
		verify_parallel(pf->b, pf->kr, pf->o->threads);
	return NULL;
}

static void
prefetch_start(struct prefetch *pf, struct client *c,
    const struct mb_sync_opts *o, const char *base, int64_t after, int limit,
    struct mb_sync_keyring *kr)
{
	pf->c = c;
	pf->o = o;
	pf->base = base;
	pf->after = after;
	pf->limit = limit;
	pf->kr = mb_sync_keyring_ref(kr);
	pf->running = pthread_create(&pf->thread, NULL, prefetch_main, pf) ==
	    0;
	if (!pf->running) {
		mb_sync_keyring_free(pf->kr);
		pf->kr = NULL;
	}
}

/*
 * Waits for the prefetch; MB_OK with its response, its batch (NULL:
 * not verified ahead) and the keyring that verified it (a reference for
 * the caller to drop), or its error.
 */
static int
prefetch_join(struct prefetch *pf, struct response *r,
    struct mb_sync_batch **b, struct mb_sync_keyring **kr, struct mb_diag *d)
{
	if (!pf->running)
		return MB_ERR_NOTFOUND;
	pthread_join(pf->thread, NULL);
	pf->running = false;
	*kr = pf->kr;
	pf->kr = NULL;
	if (pf->rc != MB_OK) {
		*d = pf->d;
		*b = NULL;
		return pf->rc;
	}
	*r = pf->r;
	*b = pf->b;
	return MB_OK;
}

static void
prefetch_drop(struct prefetch *pf)
{
	struct response		 r;
	struct mb_sync_batch	*b;
	struct mb_sync_keyring	*kr = NULL;
	struct mb_diag		 d;

	/* Its answer is not wanted: do not wait for a slow link to give it. */
	if (pf->running)
		atomic_store(&pf->c->cancel, 1);
	if (prefetch_join(pf, &r, &b, &kr, &d) == MB_OK) {
		mb_sync_batch_free(b);
		mb_buf_free(&r.body);
	}
	if (pf->c != NULL)
		atomic_store(&pf->c->cancel, 0);
	mb_sync_keyring_free(kr);
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
		nap(s, 1000);
	}
	return false;
}

static void *
worker_main(void *arg)
{
	struct worker		*w = arg;
	struct mb_sync		*s = w->sync;
	struct client		 c[2];
	struct mb_store		*st = NULL;
	struct pull_state	 ps;
	struct prefetch		 pf;
	struct response		 r;
	struct mb_sync_batch	*ahead;
	struct mb_sync_keyring	*ahead_kr;
	struct mb_peer		 peer;
	struct mb_diag		 d;
	int64_t			 backoff = 0, cursor;
	int			 rc, cur = 0;

	pthread_setname_np(pthread_self(), "mb-pull");
	memset(&ps, 0, sizeof(ps));
	memset(&pf, 0, sizeof(pf));
	memset(c, 0, sizeof(c));
	if (client_init(&c[0], s->node, &s->stop, &w->gone) != MB_OK ||
	    client_init(&c[1], s->node, &s->stop, &w->gone) != MB_OK)
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
		/* The batch prefetched during the last round, else a GET. */
		ahead = NULL;
		ahead_kr = NULL;
		if (pf.running) {
			rc = prefetch_join(&pf, &r, &ahead, &ahead_kr, &d);
			cur ^= 1;
		} else if ((rc = mb_store_peer_get(st, w->center, &peer,
		    &d)) == MB_OK) {
			rc = fetch_log(&c[cur], w->url, peer.cursor,
			    batch_limit(&ps, &s->o), s->o.wait_s, &r, &d);
		}
		if (rc == MB_OK) {
			/*
			 * More waiting at the peer: fetch and verify it
			 * meanwhile (with the keyring of the last round).
			 */
			if (r.log_last > r.log_next)
				prefetch_start(&pf, &c[cur ^ 1], &s->o,
				    w->url, r.log_next,
				    batch_limit(&ps, &s->o), ps.kr);
			set_behind(w, r.log_last > r.log_next);
			rc = apply_response(&c[cur], st, &s->o, w->center,
			    w->url, &r, ahead, ahead_kr, &ps, &cursor, &d);
			if (pf.running && (rc != MB_OK ||
			    cursor != pf.after)) {
				prefetch_drop(&pf);
				cur ^= 1;
			}
		}
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
		mb_sync_keyring_free(ahead_kr);
		/* c[cur] fetched this round's batch (batch_fit). */
		batch_fit(&ps, &s->o, rc, c[cur].cut);
		if (rc == MB_OK) {
			backoff = 0;
			continue;
		}
		set_behind(w, false);
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
		log_warn("sync: pull failed peer=%s retry_ms=%lld why=\"%s\"",
		    w->center, (long long)backoff, mb_diag_msg(&d, rc));
		/* Full jitter over the upper half: peers don't retry in step. */
		nap(s, backoff / 2 + (int64_t)randombytes_uniform(
		    (uint32_t)(backoff / 2 + 1)));
		/*
		 * A lost database connection took the peer's lock with it
		 * (MB_ERR_AGAIN): take it again, or stand by, before pulling.
		 */
		if (rc == MB_ERR_AGAIN && !hold_peer(s, w, st))
			break;
	}
out:
	set_behind(w, false);
	prefetch_drop(&pf);
	mb_sync_keyring_free(ps.kr);
	mb_store_close(st);
	client_free(&c[0]);
	client_free(&c[1]);
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
		if (mb_sync_registry_version(st) == 0 ||
		    now - s->registry_fetched_ms >= s->o.registry_s * 1000L) {
			rc = fetch_registry(c, st, conf->hq_url, &applied, d);
			if (rc != MB_OK)
				log_warn("sync: registry fetch from hq failed: "
				    "%s", mb_diag_msg(d, rc));
			else
				s->registry_fetched_ms = now;
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

	if (client_init(&c, s->node, &s->stop, NULL) != MB_OK)
		return NULL;
	if ((rc = mb_center_store(s->node, &st, &d)) != MB_OK) {
		log_error("sync: store: %s", mb_diag_msg(&d, rc));
		client_free(&c);
		return NULL;
	}
	while (!atomic_load(&s->stop)) {
		struct wants ws = { NULL, 0, NULL, NULL };

		if ((rc = compute_peers(s, &c, st, &ws, &d)) != MB_OK)
			log_warn("sync: peers: %s", mb_diag_msg(&d, rc));
		else
			reconcile(s, &ws);
		free(ws.w);
		nap(s, s->o.rescan_ms);
	}
	mb_store_close(st);
	client_free(&c);
	return NULL;
}

int
mb_sync_start(const struct mb_center_node *n, const struct mb_sync_opts *o,
    struct mb_sync **out, struct mb_diag *d)
{
	struct mb_sync *s;

	pthread_once(&curl_once, curl_start);
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
    struct mb_diag *d)
{
	struct mb_sync		 s;
	struct client		 c;
	struct mb_store		*st = NULL;
	struct wants		 ws = { NULL, 0, NULL, NULL };
	struct pull_state	 ps;
	struct mb_diag		 pd;
	int			 rc, failed = 0;

	pthread_once(&curl_once, curl_start);
	memset(&s, 0, sizeof(s));
	memset(&ps, 0, sizeof(ps));
	s.node = n;
	s.once = 1;
	opts_fill(&s.o, o);
	if ((rc = client_init(&c, n, NULL, NULL)) != MB_OK)
		return rc;
	if ((rc = mb_center_store(n, &st, d)) != MB_OK)
		goto out;
	if ((rc = compute_peers(&s, &c, st, &ws, d)) != MB_OK)
		goto out;
	for (size_t i = 0; i < ws.n; i++) {
		int64_t applied = 0, refused = 0;
		int	retries = 0;

		ps.limit = 0;

		for (int rounds = 0; rounds < 1000000; rounds++) {
			mb_diag_clear(&pd);
			ps.applied = ps.refused = 0;
			rc = pull_once(&c, st, &s.o, ws.w[i].center,
			    ws.w[i].url, 0, &ps, &pd);
			applied += ps.applied;
			refused += ps.refused;
			/*
			 * A failed transfer: again at once, smaller
			 * (batch_fit), up to 8 failures in a row.
			 */
			if (rc == MB_ERR_NET && retries++ < 8)
				continue;
			if (rc != MB_OK || ps.caught_up)
				break;
			retries = 0;
		}
		if (rc != MB_OK) {
			mb_store_peer_fail(st, ws.w[i].center,
			    mb_diag_msg(&pd, rc), mb_time_now_ms(), NULL);
			if (!failed)
				mb_diag_set(d, MB_ERR_NET, "peer %s: %s",
				    ws.w[i].center, mb_diag_msg(&pd, rc));
			failed = 1;
		}
		printf("%s\t%lld new\t%lld refused\t%s\n", ws.w[i].center,
		    (long long)applied, (long long)refused,
		    rc == MB_OK ? "ok" : mb_diag_msg(&pd, rc));
	}
	rc = failed ? MB_ERR_NET : MB_OK;
out:
	mb_sync_keyring_free(ps.kr);
	free(ws.w);
	mb_store_close(st);
	client_free(&c);
	return rc;
}

/* ---- metrics and small client calls ------------------------------------- */

struct metrics_ctx {
	struct mb_buf	*out;
	struct mb_sync	*s;
};

static int
peer_metrics(const struct mb_peer *p, void *arg)
{
	struct metrics_ctx	*m = arg;
	int64_t			 backoff = 0, wire = 0, raw = 0, errors = 0;
	int64_t			 dups = 0;

	if (m->s != NULL) {
		pthread_mutex_lock(&m->s->lock);
		for (struct worker *w = m->s->workers; w != NULL; w = w->next)
			if (strcmp(w->center, p->center) == 0) {
				backoff = w->backoff_ms;
				wire = w->wire_bytes;
				raw = w->raw_bytes;
				errors = w->errors;
				dups = w->dups;
			}
		pthread_mutex_unlock(&m->s->lock);
	}
	if (mb_buf_printf(m->out,
	    "mediabridge_peer_cursor{peer=\"%s\"} %lld\n"
	    "mediabridge_peer_received_total{peer=\"%s\"} %lld\n"
	    "mediabridge_peer_refused_total{peer=\"%s\"} %lld\n"
	    "mediabridge_peer_last_success_seconds{peer=\"%s\"} %.3f\n"
	    "mediabridge_peer_last_error_seconds{peer=\"%s\"} %.3f\n"
	    "mediabridge_peer_up{peer=\"%s\"} %d\n"
	    "mediabridge_peer_errors_total{peer=\"%s\"} %lld\n"
	    "mediabridge_peer_backoff_ms{peer=\"%s\"} %lld\n"
	    "mediabridge_peer_wire_bytes_total{peer=\"%s\"} %lld\n"
	    "mediabridge_peer_raw_bytes_total{peer=\"%s\"} %lld\n"
	    "mediabridge_peer_duplicates_total{peer=\"%s\"} %lld\n",
	    p->center, (long long)p->cursor, p->center, (long long)p->received,
	    p->center, (long long)p->refused, p->center,
	    (double)p->last_ok_ms / 1000.0, p->center,
	    (double)p->last_err_ms / 1000.0, p->center,
	    p->last_ok_ms >= p->last_err_ms && p->last_ok_ms > 0 ? 1 : 0,
	    p->center, (long long)errors, p->center, (long long)backoff,
	    p->center, (long long)wire, p->center, (long long)raw,
	    p->center, (long long)dups) != MB_OK)
		return MB_ERR_NOMEM;
	return MB_OK;
}

int
mb_sync_metrics(struct mb_sync *s, struct mb_store *st, struct mb_buf *out,
    struct mb_diag *d)
{
	struct metrics_ctx m = { out, s };

	if (mb_buf_printf(out,
	    "# TYPE mediabridge_peer_cursor gauge\n"
	    "# TYPE mediabridge_peer_received_total counter\n"
	    "# TYPE mediabridge_peer_refused_total counter\n"
	    "# TYPE mediabridge_registry_version gauge\n"
	    "mediabridge_registry_version %lld\n",
	    (long long)mb_sync_registry_version(st)) != MB_OK)
		return MB_ERR_NOMEM;
	return mb_store_peer_list(st, peer_metrics, &m, d);
}

int
mb_sync_fetch_center_id(const char *url, char id[33], struct mb_diag *d)
{
	struct client	 c;
	struct response	 r;
	json_t		*j;
	const char	*s;
	int		 rc;

	pthread_once(&curl_once, curl_start);
	if ((rc = client_init(&c, NULL, NULL, NULL)) != MB_OK)
		return rc;
	rc = http_get(&c, url, "/federation/v1/center", NULL, 10, false, &r,
	    d);
	client_free(&c);
	if (rc != MB_OK)
		return rc;
	if (r.status != 200) {
		rc = status_error(url, &r, d);
		mb_buf_free(&r.body);
		return rc;
	}
	j = json_loadb(r.body.data != NULL ? r.body.data : "", r.body.len, 0,
	    NULL);
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

	if (split_url(url, authority, sizeof(authority), path,
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

int
mb_sync_blob_fetch(const struct mb_center_node *n, const char *base,
    const char *hash, struct mb_diag *d)
{
	struct client	 c;
	struct response	 r;
	struct stat	 sb;
	char		 path[1200], part[1300], dir[1200], range[64];
	char		 urlpath[128];
	off_t		 have = 0;
	FILE		*f;
	int		 rc;

	if (mb_sync_blob_path(&n->conf, hash, path, sizeof(path)) != MB_OK)
		return mb_diag_set(d, MB_ERR_INVAL, "%s: not a blob hash",
		    hash);
	if (access(path, F_OK) == 0)
		return MB_OK;
	snprintf(dir, sizeof(dir), "%s", path);
	*strrchr(dir, '/') = '\0';
	if ((rc = mb_fs_mkdirs(dir, 0755, d)) != MB_OK)
		return rc;
	snprintf(part, sizeof(part), "%s.part", path);
	if (stat(part, &sb) == 0)
		have = sb.st_size;
	snprintf(range, sizeof(range), "Range: bytes=%lld-", (long long)have);
	snprintf(urlpath, sizeof(urlpath), "/federation/v1/blobs/%s", hash);
	pthread_once(&curl_once, curl_start);
	if ((rc = client_init(&c, n, NULL, NULL)) != MB_OK)
		return rc;
	rc = http_get_h(&c, base, urlpath, NULL, 300, true,
	    have > 0 ? range : NULL, &r, d);
	client_free(&c);
	if (rc != MB_OK)
		return rc;
	if (r.status != 200 && r.status != 206) {
		rc = r.status == 416 ? MB_ERR_CORRUPT : status_error(base, &r,
		    d);
		if (r.status == 416)
			unlink(part);
		mb_buf_free(&r.body);
		return rc;
	}
	/* 200: the whole blob again; 206: the rest after what we have. */
	if ((f = fopen(part, r.status == 206 ? "ab" : "wb")) == NULL ||
	    fwrite(r.body.data != NULL ? r.body.data : "", 1, r.body.len, f) !=
	    r.body.len) {
		if (f != NULL)
			fclose(f);
		mb_buf_free(&r.body);
		return mb_diag_set(d, MB_ERR_IO, "%s: %s", part,
		    strerror(errno));
	}
	mb_buf_free(&r.body);
	if (fclose(f) != 0)
		return mb_diag_set(d, MB_ERR_IO, "%s: %s", part,
		    strerror(errno));
	if ((rc = mb_sync_blob_check(part, hash, d)) != MB_OK) {
		unlink(part);
		return rc;
	}
	if (rename(part, path) != 0)
		return mb_diag_set(d, MB_ERR_IO, "%s: %s", path,
		    strerror(errno));
	return MB_OK;
}
