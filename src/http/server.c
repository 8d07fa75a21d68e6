/* SPDX-License-Identifier: MIT */
/* The libmicrohttpd glue: dispatch of each request, start and stop. */
#include "server_int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>

#include <sodium.h>

#include "base/log.h"
#include "base/timeutil.h"

/* ---------------------------------------------------------------- */
/* Dispatch                                                         */

static int
authenticate(struct mb_req *r)
{
	const char	*auth = mb_req_header(r, "Authorization");
	const char	*cookie = mb_req_cookie(r, "mb_session");
	struct mb_store	*st;
	struct mb_user	 u;
	struct mb_diag	 d = { "" };
	char		 csrf[65];
	int		 rc;

	r->anon_request = auth == NULL && cookie == NULL;
	if (r->anon_request)
		return MB_OK;
	if ((st = mb_req_store_or_reply(r)) == NULL)
		return MB_ERR_STORE;
	if (auth != NULL) {
		if (strncasecmp(auth, "Bearer ", 7) != 0) {
			mb_resp_header(r, "WWW-Authenticate", "Bearer");
			mb_resp_error(r, 401, "unauthorized",
			    "Authorization: only Bearer tokens are accepted");
			return MB_ERR_PERM;
		}
		rc = mb_accounts_token_user(st, auth + 7, &u, &d);
		if (rc == MB_ERR_NOTFOUND) {
			mb_resp_header(r, "WWW-Authenticate",
			    "Bearer error=\"invalid_token\"");
			mb_resp_error(r, 401, "unauthorized",
			    "the token is not valid (revoked, or mistyped)");
			return MB_ERR_PERM;
		}
	} else {
		rc = mb_accounts_session_user(st, cookie, &u, csrf, &d);
		if (rc == MB_ERR_NOTFOUND)
			return MB_OK;	/* a stale cookie: a reader */
		if (rc == MB_OK && strcmp(r->method, "GET") != 0 &&
		    strcmp(r->method, "HEAD") != 0) {
			const char *given = mb_req_header(r, "X-CSRF-Token");

			if (given == NULL && r->m.route != NULL &&
			    (r->m.route->flags & MB_ROUTE_FORM))
				given = mb_req_form(r, "csrf");
			if (given == NULL || strlen(given) != strlen(csrf) ||
			    sodium_memcmp(given, csrf, strlen(csrf)) != 0) {
				mb_resp_error(r, 403, "csrf",
				    "a session's form or request needs its "
				    "CSRF token (X-CSRF-Token or field csrf)");
				return MB_ERR_PERM;
			}
		}
		r->user.session = true;
		snprintf(r->user.csrf, sizeof(r->user.csrf), "%s", csrf);
	}
	if (rc != MB_OK) {
		mb_resp_err(r, rc, &d);
		return rc;
	}
	r->have_user = true;
	r->user.id = u.id;
	snprintf(r->user.name, sizeof(r->user.name), "%s", u.name);
	r->user.role = mb_role_parse(u.role);
	return MB_OK;
}

static void
dispatch(struct mb_req *r)
{
	if (r->pre_status == 404 && mb_site_not_found(r))
		return;
	if (r->pre_status == 404) {
		mb_resp_error(r, 404, "not_found", "no such path: %.200s",
		    r->path);
		return;
	}
	if (r->pre_status == 405) {
		mb_resp_header(r, "Allow", r->m.allow);
		mb_resp_error(r, 405, "method_not_allowed",
		    "%s is not allowed here; allowed: %s", r->method,
		    r->m.allow);
		return;
	}
	if (!r->authed) {
		r->authed = true;
		if (authenticate(r) != MB_OK)
			return;
	}
	r->gen_seen = atomic_load(&r->srv->gen);
	r->m.route->handler(r);
	if (!r->answered && !r->wait)
		mb_resp_error(r, 500, "internal", "the handler did not answer");
}

static bool
cacheable_route(const struct mb_req *r)
{
	return r->m.route != NULL && (r->m.route->flags & MB_ROUTE_CACHE) &&
	    (strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0);
}

/* A header of the cached 200 onto its 304: all but Content-Type. */
static enum MHD_Result
copy_header(void *cls, enum MHD_ValueKind kind, const char *name,
    const char *value)
{
	(void)kind;
	if (strcasecmp(name, "Content-Type") != 0 &&
	    MHD_add_response_header(cls, name, value) != MHD_YES)
		return MHD_NO;
	return MHD_YES;
}

/*
 * The 304 for a cached 200, made when a reader's If-None-Match matches
 * (a few microseconds) rather than kept beside every entry: it carries
 * the same headers but Content-Type, as queue()'s own 304 does, and
 * keeping one per entry doubled what each entry's headers hold. NULL
 * when out of memory.
 */
static struct MHD_Response *
not_modified_of(struct MHD_Response *ok)
{
	struct MHD_Response *nm;

	if ((nm = MHD_create_response_from_buffer(0, NULL,
	    MHD_RESPMEM_PERSISTENT)) == NULL)
		return NULL;
	MHD_get_response_headers(ok, copy_header, nm);
	return nm;
}

/* Serves r from the cache when it can; true when queued. */
static bool
try_cache(struct mb_req *r, enum MHD_Result *ret)
{
	struct mb_http_server	*s = r->srv;
	struct cache_entry	*e;
	char			*key;
	uint64_t		 h, gen = atomic_load(&s->gen);
	bool			 served = false;

	if (s->opts.cache_bytes == 0 || atomic_load(&s->stopping) ||
	    mb_req_header(r, "Authorization") != NULL ||
	    mb_req_cookie(r, "mb_session") != NULL)
		return false;
	if ((key = srv_cache_key(r)) == NULL)
		return false;
	h = srv_key_hash(key);
	pthread_rwlock_rdlock(&s->cache_lock);
	e = &s->cache[h % CACHE_SLOTS];
	if (e->resp != NULL && e->hash == h && e->gen == gen &&
	    strcmp(e->key, key) == 0 && (e->expires_ms == 0 ||
	    e->expires_ms > mb_time_mono_ms())) {
		bool nm = srv_etag_matches(mb_req_header(r, "If-None-Match"),
		    e->etag);
		struct MHD_Response *resp = nm ? not_modified_of(e->resp) :
		    e->resp;

		if (resp != NULL) {
			r->status = nm ? 304 : 200;
			r->rlen = nm ? 0 : e->len;
			*ret = MHD_queue_response(r->conn, r->status, resp);
			served = true;
		}
		if (nm && resp != NULL)
			MHD_destroy_response(resp);
	}
	pthread_rwlock_unlock(&s->cache_lock);
	free(key);
	if (served) {
		r->answered = r->queued = true;
		r->cache_state = "hit";
		r->anon_request = true;
	}
	mb_metrics_cache(s->metrics, served);
	return served;
}

static struct MHD_Response *
build_response(struct mb_req *r, bool with_body)
{
	struct MHD_Response *resp;

	if (with_body && r->stream != NULL) {
		/* Made as the client reads (stream.c); 64 KiB at a time. */
		resp = MHD_create_response_from_callback(r->rlen, 64 * 1024,
		    srv_stream_read, r->stream, srv_stream_free);
		if (resp != NULL)
			r->stream->in_resp = true;
	} else if (with_body && r->rfd >= 0) {
		/* MHD owns the descriptor from here, and closes it. */
		resp = MHD_create_response_from_fd_at_offset64(r->rlen,
		    r->rfd, r->roff);
		if (resp != NULL)
			r->rfd = -1;
	} else if (with_body)
		resp = MHD_create_response_from_buffer(r->rlen, r->rbody,
		    MHD_RESPMEM_MUST_COPY);
	else
		resp = MHD_create_response_from_buffer(0, NULL,
		    MHD_RESPMEM_PERSISTENT);
	if (resp == NULL)
		return NULL;
	if (r->ctype[0] != '\0' && with_body)
		MHD_add_response_header(resp, "Content-Type", r->ctype);
	for (int i = 0; i < r->nhdrs; i++)
		if (MHD_add_response_header(resp, r->hdrs[i].name,
		    r->hdrs[i].value) != MHD_YES)
			/* mb_resp_header checked it: should never be. */
			log_error("http: path=%s header=%.64s refused by "
			    "libmicrohttpd", srv_logged_path(r),
			    r->hdrs[i].name);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	return resp;
}

/*
 * True when the key of hash h missed before (SEEN_SLOTS); else remembers
 * it. Without the lock: two threads that race on a slot at worst cache
 * one response a miss later, or one a miss early.
 */
static bool
seen_before(struct mb_http_server *s, uint64_t h)
{
	atomic_uint_least32_t	*slot = &s->seen[(h >> 32) % SEEN_SLOTS];
	uint32_t		 fp = (uint32_t)h | 1;

	if (atomic_load_explicit(slot, memory_order_relaxed) == fp)
		return true;
	atomic_store_explicit(slot, fp, memory_order_relaxed);
	return false;
}

static void
cache_put(struct mb_req *r, const char *etag)
{
	struct mb_http_server	*s = r->srv;
	struct cache_entry	*e, ne;
	char			*key;
	uint64_t		 h;

	if (r->rlen > CACHE_ENTRY_MAX || (key = srv_cache_key(r)) == NULL)
		return;
	h = srv_key_hash(key);
	if (!seen_before(s, h) && !r->costly) {
		free(key);
		return;
	}
	memset(&ne, 0, sizeof(ne));
	ne.key = key;
	ne.hash = h;
	ne.gen = r->gen_seen;
	ne.expires_ms = r->ttl_ms > 0 ? mb_time_mono_ms() + r->ttl_ms : 0;
	ne.len = r->rlen;
	snprintf(ne.etag, sizeof(ne.etag), "%s", etag);
	ne.cost = CACHE_ENTRY_BYTES + ne.len + strlen(key);
	/* build_response adds these two to the handler's own. */
	ne.cost += 2 * CACHE_HEADER_BYTES + strlen(r->ctype) +
	    sizeof("Content-Type") + sizeof("X-Content-Type-Options") +
	    sizeof("nosniff");
	for (int i = 0; i < r->nhdrs; i++)
		ne.cost += CACHE_HEADER_BYTES + strlen(r->hdrs[i].name) +
		    strlen(r->hdrs[i].value);
	if ((ne.resp = build_response(r, true)) == NULL) {
		free(key);
		return;
	}
	pthread_rwlock_wrlock(&s->cache_lock);
	e = &s->cache[ne.hash % CACHE_SLOTS];
	if (e->resp != NULL)
		srv_entry_clear(s, e);
	if (s->cache_used + ne.cost <= s->opts.cache_bytes) {
		*e = ne;
		s->cache_used += ne.cost;
		memset(&ne, 0, sizeof(ne));
	}
	pthread_rwlock_unlock(&s->cache_lock);
	if (ne.resp != NULL) {
		MHD_destroy_response(ne.resp);
		free(ne.key);
	}
}

/* True when the handler set its own ETag (content-addressed media). */
static bool
handler_etag(const struct mb_req *r)
{
	for (int i = 0; i < r->nhdrs; i++)
		if (strcasecmp(r->hdrs[i].name, "ETag") == 0)
			return true;
	return false;
}

/*
 * The handler's answer, replaced by a 500: a header it set was refused
 * (mb_resp_header), and without it the answer would be broken.
 */
static void
answer_refused(struct mb_req *r)
{
	srv_stream_detach(r);
	free(r->rbody);
	r->rbody = NULL;
	r->rlen = 0;
	if (r->rfd >= 0)
		close(r->rfd);
	r->rfd = -1;
	for (int i = 0; i < r->nhdrs; i++) {
		free(r->hdrs[i].name);
		free(r->hdrs[i].value);
	}
	r->nhdrs = 0;
	r->hdr_refused = false;
	r->answered = false;
	mb_resp_error(r, 500, "internal", "internal error: a response "
	    "header could not be sent");
}

static enum MHD_Result
queue(struct mb_req *r)
{
	struct MHD_Response	*resp;
	enum MHD_Result		 ret;
	char			 etag[48] = "";
	bool			 cacheable, nm = false;

	if (r->hdr_refused)
		answer_refused(r);
	cacheable = cacheable_route(r) && r->anon_request && !r->have_user &&
	    r->status == 200 && !r->priv && r->rfd < 0 && r->stream == NULL;
	if (r->status == 200 || r->status == 404)
		srv_maybe_gzip(r);
	if (r->status == 200 && strcmp(r->method, "PUT") != 0 &&
	    strcmp(r->method, "POST") != 0 && !handler_etag(r) &&
	    r->rfd < 0 && r->stream == NULL) {
		/* A handler that names its bytes (media) set its own. */
		if (r->etag_tag[0] != '\0')
			/* Distinct per coding, as a strong tag must be. */
			snprintf(etag, sizeof(etag), "\"%s%s\"", r->etag_tag,
			    srv_has_header(r, "Content-Encoding") ? "-gzip" : "");
		else
			srv_make_etag(r->rbody ? r->rbody : "", r->rlen, etag);
		mb_resp_header(r, "ETag", etag);
		nm = srv_etag_matches(mb_req_header(r, "If-None-Match"), etag);
	}
	if (!srv_has_header(r, "Cache-Control"))
		mb_resp_header(r, "Cache-Control", cacheable ?
		    "public, no-cache" : "private, no-store");
	if (cacheable && r->srv->opts.cache_bytes > 0 &&
	    !atomic_load(&r->srv->stopping)) {
		cache_put(r, etag);
		r->cache_state = "miss";
	}
	if (nm) {
		r->status = 304;
		r->rlen = 0;
	}
	if (atomic_load(&r->srv->stopping))
		mb_resp_header(r, "Connection", "close");
	if ((resp = build_response(r, !nm)) == NULL)
		return MHD_NO;
	ret = MHD_queue_response(r->conn, r->status, resp);
	MHD_destroy_response(resp);
	r->queued = true;
	return ret;
}

static struct mb_req *
req_new(struct mb_http_server *s, struct MHD_Connection *conn,
    const char *url, const char *method)
{
	const union MHD_ConnectionInfo	*ci;
	struct mb_req			*r;

	if ((r = calloc(1, sizeof(*r))) == NULL)
		return NULL;
	r->srv = s;
	r->conn = conn;
	r->rfd = -1;
	r->spool_fd = -1;
	r->method = method;
	r->path = url;
	r->start_us = mb_time_mono_ms() * 1000;
	{
		struct timespec ts;

		clock_gettime(CLOCK_MONOTONIC, &ts);
		r->start_us = (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
	}
	r->cache_state = "-";
	if ((r->scratch = strdup(url)) == NULL) {
		free(r);
		return NULL;
	}
	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci != NULL && ci->client_addr != NULL) {
		const struct sockaddr *sa = ci->client_addr;

		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->
			    sin_addr, r->client, sizeof(r->client));
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->
			    sin6_addr, r->client, sizeof(r->client));
	}
	if (r->client[0] == '\0')
		snprintf(r->client, sizeof(r->client), "-");
	return r;
}

static void
req_free(struct mb_req *r)
{
	srv_stream_detach(r);
	if (r->data != NULL && r->data_free != NULL)
		r->data_free(r->data);
	for (int i = 0; i < r->nhdrs; i++) {
		free(r->hdrs[i].name);
		free(r->hdrs[i].value);
	}
	mb_form_free(&r->form);
	free(r->rbody);
	if (r->rfd >= 0)
		close(r->rfd);
	free(r->scratch);
	mb_spool_free(r);
	free(r);
}

/* True when the request says it carries a body. */
static bool
announces_body(struct mb_req *r, int64_t *clen)
{
	const char *cl = mb_req_header(r, "Content-Length");
	const char *te = mb_req_header(r, "Transfer-Encoding");

	*clen = -1;
	if (cl != NULL) {
		char *end;
		long long v = strtoll(cl, &end, 10);

		*clen = (end == cl || *end != '\0' || v < 0) ? INT64_MAX : v;
	}
	return (*clen > 0) || te != NULL;
}

static bool
type_ok(struct mb_req *r)
{
	const char	*ct = mb_req_header(r, "Content-Type");
	unsigned	 f = r->m.route ? r->m.route->flags : 0;

	if (f & MB_ROUTE_RAW)
		return true;
	if (ct == NULL)
		return false;
	if (strncasecmp(ct, "application/json", 16) == 0 &&
	    (ct[16] == '\0' || ct[16] == ';' || ct[16] == ' '))
		return true;
	return (f & MB_ROUTE_FORM) && strncasecmp(ct,
	    "application/x-www-form-urlencoded", 33) == 0;
}

/*
 * This request's limits on its body and on the JSON in it, by the route's
 * class (http.h), and the message a 413 gives. Decided before a byte of
 * the body is read. The message is written only for a request that
 * announces a body: none other can pass a limit, and a GET's snprintf()
 * was a cached item's cost for nothing.
 */
static void
body_limits(struct mb_req *r, int64_t clen)
{
	static const struct mb_json_limits small = { 16, 512, 4096 };
	static const struct mb_json_limits item = { 64, 20000,
	    MB_ENVELOPE_MAX };
	unsigned	flags = r->m.route ? r->m.route->flags : 0;
	int64_t		max_body = r->srv->opts.max_body;
	/*
	 * A peer's request to /federation/ carries an RFC 9421 signature,
	 * not a token: its handler checks it before anything is done, so
	 * it gets its route's class (the translate route's: one item). As
	 * anonymous, a borrowed translation of a long article was refused
	 * (401 "sign in first") before the signature was looked at.
	 */
	bool		signed_peer = mb_req_header(r, "Signature") != NULL &&
	    strncmp(r->path, "/federation/", 12) == 0;
	bool		anon = mb_req_header(r, "Authorization") == NULL &&
	    mb_req_cookie(r, "mb_session") == NULL && !signed_peer;
	const char	*ct = mb_req_header(r, "Content-Type");

	/* The route's class, as for a signed-in client. */
	r->json_lim = item;
	r->body_status = 413;
	if (flags & MB_ROUTE_SMALL) {
		r->body_max = BODY_SMALL;
		r->json_lim = small;
		if (r->has_body)
			snprintf(r->body_why, sizeof(r->body_why),
			    "the body of %s %.60s is limited to %d bytes "
			    "(8 KiB)", r->method, r->m.route->pattern,
			    BODY_SMALL);
	} else if (flags & MB_ROUTE_ITEM) {
		r->body_max = BODY_ITEM;
		if (r->has_body)
			snprintf(r->body_why, sizeof(r->body_why),
			    "an item's body is limited to %lld bytes: a "
			    "signed envelope's limit of %u bytes (4 MiB) and "
			    "%d KiB more", (long long)BODY_ITEM,
			    MB_ENVELOPE_MAX, BODY_ITEM_OVERHEAD / 1024);
	} else {
		r->body_max = max_body;
	}
	if (r->body_max >= max_body) {
		r->body_max = max_body;
		if (r->has_body)
			snprintf(r->body_why, sizeof(r->body_why),
			    "the body is larger than this server accepts: "
			    "[server] max_body = %lld bytes",
			    (long long)max_body);
	}
	/*
	 * Without credentials, the small class whatever the route; past it
	 * what is missing is a sign-in (401), unless the body is too large
	 * for anyone (413 as above).
	 */
	if (anon && !(flags & MB_ROUTE_SMALL) && clen <= r->body_max &&
	    BODY_SMALL < r->body_max) {
		r->body_max = BODY_SMALL;
		r->json_lim = small;
		r->body_status = 401;
		if (r->has_body)
			snprintf(r->body_why, sizeof(r->body_why),
			    "sign in first: a request without credentials may "
			    "send a body of at most %d bytes (8 KiB)",
			    BODY_SMALL);
	}
	/* JSON is counted as it arrives: refused before it is all here. */
	r->json_body = !(flags & MB_ROUTE_RAW) && ct != NULL &&
	    strncasecmp(ct, "application/json", 16) == 0;
	mb_json_scan_init(&r->scan, &r->json_lim);
}

static enum MHD_Result
answer_now(struct mb_req *r, unsigned status, const char *code,
    const char *msg)
{
	mb_resp_header(r, "Connection", "close");
	mb_resp_error(r, status, code, "%s", msg);
	return queue(r);
}

/* The body's refusal: 413, or 401 when credentials are what is missing. */
static enum MHD_Result
answer_body(struct mb_req *r)
{
	if (r->body_status == 401) {
		mb_resp_header(r, "WWW-Authenticate", "Bearer");
		return answer_now(r, 401, "unauthorized", r->body_why);
	}
	return answer_now(r, 413, "too_large", r->body_why);
}

/* The body passed a limit: drop what came, answer once it is all in. */
static enum MHD_Result
refuse_body(struct mb_req *r, size_t *upload_size, const char *why)
{
	r->refused = true;
	r->drained = (int64_t)(r->body.len + r->spool_len + *upload_size);
	*upload_size = 0;
	mb_spool_free(r);
	if (why != r->body_why)
		snprintf(r->body_why, sizeof(r->body_why), "%s", why);
	return MHD_YES;
}

static enum MHD_Result
count_host(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *value)
{
	(void)kind, (void)value;
	if (strcasecmp(key, "Host") == 0)
		(*(int *)cls)++;
	return MHD_YES;
}

/* RFC 9112 3.2: a request with two Host lines is a 400 (MHD lets it by). */
static bool
one_host_at_most(struct MHD_Connection *conn)
{
	int n = 0;

	MHD_get_connection_values(conn, MHD_HEADER_KIND, count_host, &n);
	return n <= 1;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_size, void **con_cls)
{
	struct mb_http_server	*s = cls;
	struct mb_req		*r = *con_cls;
	enum MHD_Result		 ret;
	int64_t			 clen;
	int			 rc;

	(void)version;
	if (r == NULL) {
		if ((r = req_new(s, conn, url, method)) == NULL)
			return MHD_NO;
		*con_cls = r;
		atomic_fetch_add(&s->in_flight, 1);
		rc = mb_router_match(method, url, r->scratch, &r->m);
		if (rc == MB_ERR_NOTFOUND)
			r->pre_status = 404;
		else if (rc == MB_ERR_PERM)
			r->pre_status = 405;
		if (!one_host_at_most(conn))
			return answer_now(r, 400, "bad_request",
			    "more than one Host header");
		r->has_body = announces_body(r, &clen);
		body_limits(r, clen);
		if (clen > r->body_max) {
			const char *ex = mb_req_header(r, "Expect");

			/*
			 * A client that waits for "100 Continue" reads the
			 * 413 instead; one that sends at once is read (and
			 * its body dropped) to the end so that it can.
			 */
			if ((ex != NULL && strcasecmp(ex, "100-continue") ==
			    0) || clen - r->body_max > DRAIN_MAX)
				return answer_body(r);
			r->refused = true;
		}
		if (r->has_body && r->pre_status == 0 && !type_ok(r))
			return answer_now(r, 415, "unsupported_media_type",
			    "send the body as application/json");
		if (r->has_body && r->pre_status != 0) {
			dispatch(r);
			mb_resp_header(r, "Connection", "close");
			return queue(r);
		}
		/* Queue on a later call: keeps keep-alive (ANCHORS.md). */
		return MHD_YES;
	}
	if (r->queued) {
		*upload_size = 0;
		return MHD_YES;
	}
	if (*upload_size > 0 && r->refused) {
		/*
		 * Over a limit: read on and drop, so that the client, still
		 * sending, can read the 413 (libmicrohttpd 0.9.75 cannot
		 * answer in mid-body, and a close with unread data is a
		 * reset that can lose the answer). Up to a point.
		 */
		r->drained += *upload_size;
		*upload_size = 0;
		if (r->drained > DRAIN_MAX) {
			log_warn("http: method=%s path=%.200s client=%s body "
			    "cut after %lld bytes over its limit", r->method,
			    r->path, r->client, (long long)r->drained);
			return MHD_NO;
		}
		return MHD_YES;
	}
	if (*upload_size > 0) {
		struct mb_diag d = { "" };

		if ((int64_t)(r->body.len + *upload_size) + r->spool_len >
		    r->body_max)
			return refuse_body(r, upload_size, r->body_why);
		if (r->json_body && mb_json_scan_feed(&r->scan, upload_data,
		    *upload_size, &d) != MB_OK) {
			/*
			 * Small JSON limits only for want of credentials:
			 * still a 401, whichever limit the first reads meet
			 * first (that depends on connection_kb).
			 */
			if (r->body_status == 401)
				return refuse_body(r, upload_size,
				    r->body_why);
			mb_diag_prefix(&d, "body");
			r->body_status = 413;
			return refuse_body(r, upload_size, d.msg);
		}
		/* An upload goes to a file as it comes (spool.c). */
		if (mb_spool_wanted(r, *upload_size)) {
			if (mb_spool_append(r, upload_data, *upload_size) !=
			    MB_OK) {
				*upload_size = 0;
				return answer_now(r, 503, "unavailable",
				    "cannot keep the upload: disk full?");
			}
		} else if (mb_buf_append(&r->body, upload_data, *upload_size) !=
		    MB_OK) {
			*upload_size = 0;
			return answer_now(r, 503, "unavailable",
			    "out of memory");
		}
		*upload_size = 0;
		return MHD_YES;
	}
	if (r->refused)
		return answer_body(r);
	if (mb_spool_finish(r) != MB_OK)
		return answer_now(r, 503, "unavailable",
		    "cannot read the upload back");
	if (r->wakeups == 0 && !r->answered && cacheable_route(r) &&
	    r->pre_status == 0 && try_cache(r, &ret))
		return ret;
	if (r->wait) {
		/* Called again after a wake-up: run the handler again. */
		r->wait = false;
		r->wake_only = false;
	}
	dispatch(r);
	if (r->wait) {
		MHD_suspend_connection(conn);
		srv_park(s, r);
		return MHD_YES;
	}
	return queue(r);
}

static void
on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct mb_http_server	*s = cls;
	struct mb_req		*r = *con_cls;
	struct timespec		 ts;
	int64_t			 us;

	(void)conn;
	if (r == NULL)
		return;
	*con_cls = NULL;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	us = (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000 - r->start_us;
	mb_metrics_record(s->metrics, r->m.index, r->status, us);
	if (s->opts.impact != NULL && r->m.route != NULL &&
	    toe == MHD_REQUEST_TERMINATED_COMPLETED_OK)
		mb_http__impact_count(r, s->opts.impact, r->m.route->name,
		    r->status, mb_time_now_ms());
	if (s->opts.access_log && !(r->m.route != NULL &&
	    (r->m.route->flags & MB_ROUTE_NOLOG)))
		srv_access_log(r, us, toe == MHD_REQUEST_TERMINATED_COMPLETED_OK);
	req_free(r);
	atomic_fetch_sub(&s->in_flight, 1);
}

/* libmicrohttpd's own messages: its format, checked by it. */
static void __attribute__((format(printf, 2, 0)))
mhd_log(void *cls, const char *fmt, va_list ap)
{
	char	msg[512];
	size_t	n;

	(void)cls;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	n = strlen(msg);
	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
		msg[--n] = '\0';
	log_warn("http: mhd=\"%s\"", msg);
}

/* ---------------------------------------------------------------- */
/* Start and stop                                                   */

void
mb_http_opts_from_conf(const struct mb_conf *c, struct mb_http_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->listen = c->listen;
	o->listen_fd = -1;
	o->threads = c->threads;
	o->max_body = c->max_body;
	o->timeout_s = c->timeout > 0 ? c->timeout : 30;
	o->max_connections = c->max_connections > 0 ? c->max_connections :
	    16384;
	o->connection_bytes = (size_t)(c->connection_kb > 0 ?
	    c->connection_kb : 16) * 1024;
	o->cache_bytes = (size_t)c->cache_mb * 1024 * 1024;
	o->access_log = c->access_log;
}

/* The address fd is bound to, "127.0.0.1:43127" or "[::1]:80". */
static int
sock_address(int fd, char *addr, size_t n, struct mb_diag *d)
{
	struct sockaddr_storage	 ss;
	socklen_t		 sl = sizeof(ss);
	char			 hbuf[64];

	if (getsockname(fd, (struct sockaddr *)&ss, &sl) != 0)
		return mb_diag_set(d, MB_ERR_IO, "listen: %s", strerror(errno));
	if (ss.ss_family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

		inet_ntop(AF_INET6, &s6->sin6_addr, hbuf, sizeof(hbuf));
		snprintf(addr, n, "[%s]:%u", hbuf, ntohs(s6->sin6_port));
	} else if (ss.ss_family == AF_INET) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

		inet_ntop(AF_INET, &s4->sin_addr, hbuf, sizeof(hbuf));
		snprintf(addr, n, "%s:%u", hbuf, ntohs(s4->sin_port));
	} else {
		return mb_diag_set(d, MB_ERR_INVAL, "listen: not a TCP socket");
	}
	return MB_OK;
}

int
mb_http_bind(const char *listen_on, int *fd_out, struct mb_diag *d)
{
	struct addrinfo		 hints, *res = NULL;
	char			 host[MB_LISTEN_HOST_MAX], port[MB_LISTEN_PORT_MAX];
	int			 fd = -1, one = 1, rc;

	if ((rc = mb_conf_listen_split(listen_on, host, port, d)) != MB_OK)
		return rc;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	if ((rc = getaddrinfo(strcmp(host, "*") == 0 ? NULL : host, port,
	    &hints, &res)) != 0)
		return mb_diag_set(d, MB_ERR_INVAL, "listen: %s: %s",
		    listen_on, gai_strerror(rc));
	fd = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one,
	    sizeof(one)) != 0 || bind(fd, res->ai_addr, res->ai_addrlen) != 0 ||
	    listen(fd, 4096) != 0) {
		rc = mb_diag_set(d, MB_ERR_IO, "listen: %s: %s", listen_on,
		    strerror(errno));
		if (fd >= 0)
			close(fd);
		freeaddrinfo(res);
		return rc;
	}
	freeaddrinfo(res);
	*fd_out = fd;
	return MB_OK;
}

static void
server_free(struct mb_http_server *s)
{
	if (s == NULL)
		return;
	if (s->waiter_started) {
		pthread_mutex_lock(&s->wait_lock);
		s->waiter_stop = 1;
		pthread_cond_signal(&s->wait_cond);
		pthread_mutex_unlock(&s->wait_lock);
		pthread_join(s->waiter_thread, NULL);
	}
	mb_http_lanes_stop(s->lanes);
	if (s->listen_fd >= 0)
		close(s->listen_fd);
	for (int i = 0; i < CACHE_SLOTS; i++)
		if (s->cache[i].resp != NULL)
			srv_entry_clear(s, &s->cache[i]);
	{
		struct mb_store *st = pthread_getspecific(s->store_key);

		pthread_setspecific(s->store_key, NULL);
		mb_store_close(st);
	}
	pthread_key_delete(s->store_key);
	mb_ingest_free(s->ingest);
	mb_metrics_free(s->metrics);
	mb_throttle_free(s->throttle);
	pthread_rwlock_destroy(&s->cache_lock);
	pthread_mutex_destroy(&s->wait_lock);
	pthread_cond_destroy(&s->wait_cond);
	free(s);
}

/*
 * Connections serve may hold at once: max_connections, within the
 * descriptor limit. Each connection is a descriptor, and the store, the
 * logs, the media sandbox and the pollers need some (FD_RESERVE). The
 * soft limit is raised to the hard one first (a shell's 1024 would
 * otherwise cap serve at a few hundred idle keep-alive clients, and
 * accept() failing with EMFILE stalls every client behind them).
 */
#define FD_RESERVE 256

static unsigned
conn_limit(int want)
{
	struct rlimit	rl;
	rlim_t		cap;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return (unsigned)want;
	if (rl.rlim_cur < rl.rlim_max) {
		struct rlimit up = { rl.rlim_max, rl.rlim_max };

		if (setrlimit(RLIMIT_NOFILE, &up) == 0)
			rl.rlim_cur = rl.rlim_max;
	}
	if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > (rlim_t)want +
	    FD_RESERVE)
		return (unsigned)want;
	cap = rl.rlim_cur > 2 * FD_RESERVE ? rl.rlim_cur - FD_RESERVE :
	    rl.rlim_cur / 2;
	log_warn("http: max_connections %d capped to %llu by the descriptor "
	    "limit (%llu; systemd: LimitNOFILE)", want, (unsigned long long)cap,
	    (unsigned long long)rl.rlim_cur);
	return (unsigned)cap;
}

int
mb_http_start(const struct mb_center_node *node, const struct mb_http_opts *o,
    struct mb_http_server **out, struct mb_diag *d)
{
	struct mb_http_server	*s;
	struct mb_store		*st = NULL;
	long			 ncpu;
	unsigned		 threads, max_conns;
	int			 rc;

	if ((s = calloc(1, sizeof(*s))) == NULL) {
		if (o->listen_fd >= 0)
			close(o->listen_fd);
		return MB_ERR_NOMEM;
	}
	/* A socket bound before (serve, before it drops root) is ours. */
	s->listen_fd = o->listen_fd;
	s->node = node;
	s->opts = *o;
	pthread_rwlock_init(&s->cache_lock, NULL);
	pthread_mutex_init(&s->wait_lock, NULL);
	pthread_cond_init(&s->wait_cond, NULL);
	if (pthread_key_create(&s->store_key, srv_close_store) != 0) {
		if (s->listen_fd >= 0)
			close(s->listen_fd);
		free(s);
		return MB_ERR_NOMEM;
	}
	if ((rc = mb_metrics_new(mb_router_count(), &s->metrics)) != MB_OK ||
	    (rc = mb_throttle_new(&s->throttle)) != MB_OK)
		goto fail;
	if ((rc = mb_center_store(node, &st, d)) != MB_OK)
		goto fail;
	rc = mb_ingest_new(node, st, &s->ingest, d);
	mb_store_close(st);
	if (rc != MB_OK)
		goto fail;
	if (s->listen_fd < 0 &&
	    (rc = mb_http_bind(o->listen, &s->listen_fd, d)) != MB_OK)
		goto fail;
	if ((rc = sock_address(s->listen_fd, s->address, sizeof(s->address),
	    d)) != MB_OK)
		goto fail;
	ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	threads = o->threads > 0 ? (unsigned)o->threads :
	    (unsigned)(ncpu > 0 ? ncpu : 1);
	max_conns = conn_limit(o->max_connections);
	/*
	 * Each connection holds a libmicrohttpd memory pool for its request
	 * line, headers and reads (connection_kb, default 16 KB); 0.9.75
	 * zeroes the whole pool after each request, so an idle keep-alive
	 * connection keeps all of it resident: 64 KB made 10,000 idle
	 * clients cost 620 MB (docs/benchmarks.md, "http").
	 */
	{
		const struct MHD_OptionItem opts[] = {
			{ MHD_OPTION_EXTERNAL_LOGGER, (intptr_t)mhd_log, NULL },
			{ MHD_OPTION_CONNECTION_TIMEOUT, o->timeout_s, NULL },
			{ MHD_OPTION_CONNECTION_MEMORY_LIMIT,
			    o->connection_bytes > 0 ? (intptr_t)o->connection_bytes :
			    16 * 1024, NULL },
			{ MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)on_completed, s },
			/* RFC 9112 3.2: an HTTP/1.1 request without Host: 400. */
			{ MHD_OPTION_STRICT_FOR_CLIENT, 1, NULL },
			{ MHD_OPTION_END, 0, NULL },
		};

		if ((rc = mb_http_lanes_start(s->listen_fd, threads, max_conns,
		    opts, on_request, s, &s->lanes, d)) != MB_OK)
			goto fail;
	}
	if (pthread_create(&s->waiter_thread, NULL, srv_waiter_main, s) != 0) {
		rc = mb_diag_set(d, MB_ERR_NOMEM, "http: no thread");
		goto fail;
	}
	s->waiter_started = 1;
	log_info("http: listening=%s threads=%u cache_mb=%zu "
	    "max_connections=%u", s->address, threads,
	    o->cache_bytes / (1024 * 1024), max_conns);
	*out = s;
	return MB_OK;
fail:
	server_free(s);
	return rc;
}

const char *
mb_http_address(const struct mb_http_server *s)
{
	return s->address;
}

void
mb_http_stop(struct mb_http_server *s, int64_t grace_ms)
{
	int64_t deadline = mb_time_mono_ms() + grace_ms;

	if (s == NULL)
		return;
	atomic_store(&s->stopping, true);
	mb_http_lanes_quiesce(s->lanes);
	if (s->listen_fd >= 0) {
		close(s->listen_fd);
		s->listen_fd = -1;
	}
	pthread_mutex_lock(&s->wait_lock);
	s->wake_all = 1;
	pthread_cond_signal(&s->wait_cond);
	pthread_mutex_unlock(&s->wait_lock);
	while (atomic_load(&s->in_flight) > 0 && mb_time_mono_ms() < deadline)
		usleep(10000);
	if (atomic_load(&s->in_flight) > 0)
		log_warn("http: stopping with requests=%d still in flight",
		    atomic_load(&s->in_flight));
	log_info("http: stopped");
	server_free(s);
}

bool
mb_http_local_path(const char *p)
{
	if (p == NULL || p[0] != '/' || p[1] == '/' || p[1] == '\\')
		return false;
	for (; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f || *p == '\\')
			return false;
	return true;
}

int
mb_http_urlencode(const char *s, struct mb_buf *out)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' ||
		    c == '.' || c == '~') {
			if (mb_buf_putc(out, (char)c) != MB_OK)
				return MB_ERR_NOMEM;
		} else if (mb_buf_putc(out, '%') != MB_OK ||
		    mb_buf_putc(out, hex[c >> 4]) != MB_OK ||
		    mb_buf_putc(out, hex[c & 15]) != MB_OK) {
			return MB_ERR_NOMEM;
		}
	}
	return MB_OK;
}

struct mb_impact *
mb_http__impact(struct mb_http_server *s)
{
	return s->opts.impact;
}

void
mb_http__feeds_kick(struct mb_http_server *s)
{
	if (s->opts.feeds_kick != NULL)
		s->opts.feeds_kick(s->opts.feeds_kick_arg);
}

struct mb_impact_service *
mb_http__impact_service(struct mb_http_server *s)
{
	return s->opts.impact_service;
}

struct mb_metrics *
mb_http__metrics(struct mb_http_server *s)
{
	return s->metrics;
}

int
mb_http__in_flight(struct mb_http_server *s)
{
	return atomic_load(&s->in_flight);
}

int
mb_http__thread_connections(struct mb_http_server *s, unsigned i)
{
	return mb_http_lanes_connections(s->lanes, i);
}

