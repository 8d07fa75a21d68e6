/* SPDX-License-Identifier: MIT */
/* The HTTP client on libcurl: limits, redirects, the address guard. */
#include "httpc.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#include <curl/curl.h>

#define ANSWER_MAX_DEFAULT	(16u * 1024 * 1024)
#define TIMEOUT_DEFAULT_MS	60000
#define CONNECT_DEFAULT_MS	5000

struct mb_httpc {
	CURL			*curl;
	struct mb_httpc_opts	 o;
	char			 user_agent[96];

	/* The transfer in hand. */
	const struct mb_httpc_req *rq;
	struct mb_httpc_resp	*resp;
	size_t			 max;
	bool			 over;
	bool			 nomem;
	bool			 sunk;	/* rq->on_body said no */
	bool			 stopped; /* cancelled, seen by on_body */
	size_t			 got;	/* body bytes so far */
	bool			 refused;
	char			 refused_addr[64];
	struct timespec		 start;	/* the transfer's, for the rate cap */
	int64_t			 booked; /* bytes booked on rq->line */
	int64_t			 until_us; /* the line's time they are due */
};

struct mb_httpc_line {
	pthread_mutex_t	lock;
	int64_t		next_us;	/* CLOCK_MONOTONIC µs: the line is free */
};

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void
curl_start(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

void
mb_httpc_global_init(void)
{
	pthread_once(&curl_once, curl_start);
}

int
mb_httpc_new(const struct mb_httpc_opts *o, struct mb_httpc **out)
{
	struct mb_httpc *c;

	mb_httpc_global_init();
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return MB_ERR_NOMEM;
	if (o != NULL)
		c->o = *o;
	snprintf(c->user_agent, sizeof(c->user_agent), "%s",
	    c->o.user_agent != NULL ? c->o.user_agent : "mediabridge");
	c->o.user_agent = c->user_agent;
	if (c->o.max_redirects < 0)
		c->o.max_redirects = 0;
	if ((c->curl = curl_easy_init()) == NULL) {
		free(c);
		return MB_ERR_NOMEM;
	}
	*out = c;
	return MB_OK;
}

void
mb_httpc_free(struct mb_httpc *c)
{
	if (c == NULL)
		return;
	curl_easy_cleanup(c->curl);
	free(c);
}

void
mb_httpc_resp_free(struct mb_httpc_resp *out)
{
	if (out != NULL)
		mb_buf_free(&out->body);
}

/* ---- the address guard --------------------------------------------- */

static bool
v4_public(uint32_t a)
{
	static const struct {
		uint32_t	net;
		int		bits;
	} deny[] = {
		{ 0x00000000, 8 },	/* "this network", 0.0.0.0 */
		{ 0x0a000000, 8 },	/* RFC 1918 */
		{ 0x64400000, 10 },	/* RFC 6598, carrier-grade NAT */
		{ 0x7f000000, 8 },	/* loopback */
		{ 0xa9fe0000, 16 },	/* link-local (and cloud metadata) */
		{ 0xac100000, 12 },	/* RFC 1918 */
		{ 0xc0000000, 24 },	/* IETF protocol assignments */
		{ 0xc0000200, 24 },	/* TEST-NET-1 */
		{ 0xc0586300, 24 },	/* 6to4 relay anycast (deprecated) */
		{ 0xc0a80000, 16 },	/* RFC 1918 */
		{ 0xc6120000, 15 },	/* benchmarking */
		{ 0xc6336400, 24 },	/* TEST-NET-2 */
		{ 0xcb007100, 24 },	/* TEST-NET-3 */
		{ 0xe0000000, 4 },	/* multicast */
		{ 0xf0000000, 4 },	/* reserved, and broadcast */
	};

	for (size_t i = 0; i < sizeof(deny) / sizeof(deny[0]); i++) {
		uint32_t mask = 0xffffffffu << (32 - deny[i].bits);

		if ((a & mask) == deny[i].net)
			return false;
	}
	return true;
}

bool
mb_httpc_addr_public(const struct sockaddr *sa)
{
	const unsigned char	*b;
	static const unsigned char mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0,
	    0, 0xff, 0xff };
	static const unsigned char nat64[12] = { 0, 0x64, 0xff, 0x9b, 0, 0,
	    0, 0, 0, 0, 0, 0 };

	if (sa == NULL)
		return false;
	if (sa->sa_family == AF_INET)
		return v4_public(ntohl(((const struct sockaddr_in *)(const void *)
		    sa)->sin_addr.s_addr));
	if (sa->sa_family != AF_INET6)
		return false;
	b = ((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr.s6_addr;
	/* An IPv4 address in IPv6 clothing is judged as IPv4. */
	if (memcmp(b, mapped, 12) == 0 || memcmp(b, nat64, 12) == 0)
		return v4_public((uint32_t)b[12] << 24 | (uint32_t)b[13] << 16 |
		    (uint32_t)b[14] << 8 | b[15]);
	/* Unspecified and loopback; IPv4-compatible (deprecated) too. */
	if (memcmp(b, mapped, 10) == 0 && b[10] == 0 && b[11] == 0)
		return false;
	if ((b[0] & 0xfe) == 0xfc)		/* unique local, RFC 4193 */
		return false;
	if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80)	/* link-local */
		return false;
	if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0)	/* site-local (old) */
		return false;
	if (b[0] == 0xff)			/* multicast */
		return false;
	if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8)
		return false;			/* documentation */
	if (b[0] == 0x20 && b[1] == 0x02)	/* 6to4: judge the IPv4 */
		return v4_public((uint32_t)b[2] << 24 | (uint32_t)b[3] << 16 |
		    (uint32_t)b[4] << 8 | b[5]);
	if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0 && b[3] == 0)
		return false;			/* Teredo */
	return true;
}

static void
addr_string(const struct sockaddr *sa, char *out, size_t n)
{
	const void *a = sa->sa_family == AF_INET6 ?
	    (const void *)&((const struct sockaddr_in6 *)(const void *)sa)->
	    sin6_addr : (const void *)&((const struct sockaddr_in *)
	    (const void *)sa)->sin_addr;

	if (inet_ntop(sa->sa_family, a, out, (socklen_t)n) == NULL)
		snprintf(out, n, "?");
}

/*
 * Every connection libcurl opens comes here with the address it is
 * about to connect to, after DNS and for every redirect: the address
 * checked is the one used, so a name that resolves to 127.0.0.1 (or is
 * re-pointed there between two lookups) is caught too.
 */
static curl_socket_t
open_socket(void *arg, curlsocktype purpose, struct curl_sockaddr *a)
{
	struct mb_httpc *c = arg;

	(void)purpose;
	if (!c->o.allow_private && !mb_httpc_addr_public(&a->addr)) {
		c->refused = true;
		addr_string(&a->addr, c->refused_addr, sizeof(c->refused_addr));
		return CURL_SOCKET_BAD;
	}
	return socket(a->family, a->socktype | SOCK_CLOEXEC, a->protocol);
}

/* ---- one transfer --------------------------------------------------- */

/*
 * The rate cap, kept here too: libcurl's own (CURLOPT_MAX_RECV_SPEED_LARGE)
 * lets a burst already in the socket's buffer through at once, which on
 * a fast hop before the slow link (or on 127.0.0.1) is the whole answer.
 * Waiting here until the bytes so far fit the rate makes TCP hold the
 * sender back, a fraction of a second at a time so that a cancel is
 * seen.
 */
static int64_t
mono_us(const struct timespec *t)
{
	return (int64_t)t->tv_sec * 1000000 + t->tv_nsec / 1000;
}

/*
 * On a shared line: the bytes that came since the last look are booked
 * after whatever the line has booked already, and the transfer waits
 * until their time is over. Returns the wait's end (CLOCK_MONOTONIC µs).
 */
static int64_t
book(struct mb_httpc *c, int64_t down, int64_t rate)
{
	struct mb_httpc_line	*l = c->rq->line;
	struct timespec		 now;
	int64_t			 fresh = down - c->booked, at;

	if (fresh <= 0)
		return c->until_us;
	clock_gettime(CLOCK_MONOTONIC, &now);
	pthread_mutex_lock(&l->lock);
	at = l->next_us > mono_us(&now) ? l->next_us : mono_us(&now);
	l->next_us = at + fresh * 1000000 / rate;
	c->until_us = l->next_us;
	pthread_mutex_unlock(&l->lock);
	c->booked = down;
	return c->until_us;
}

static void
pace(struct mb_httpc *c)
{
	struct timespec	now, nap;
	curl_off_t	down = 0;
	int64_t		rate = c->rq->max_recv_bytes_s, due_us, spent_us;

	if (rate <= 0 || curl_easy_getinfo(c->curl, CURLINFO_SIZE_DOWNLOAD_T,
	    &down) != CURLE_OK)
		return;
	if (c->rq->line != NULL) {
		/* The same wait, measured from the transfer's start. */
		due_us = book(c, (int64_t)down, rate) - mono_us(&c->start);
	} else
		due_us = (int64_t)down * 1000000 / rate;
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		spent_us = (int64_t)(now.tv_sec - c->start.tv_sec) * 1000000 +
		    (now.tv_nsec - c->start.tv_nsec) / 1000;
		if (spent_us >= due_us || (c->o.cancelled != NULL &&
		    c->o.cancelled(c->o.cancel_arg)))
			return;
		spent_us = due_us - spent_us > 200000 ? 200000 :
		    due_us - spent_us;
		nap.tv_sec = 0;
		nap.tv_nsec = (long)spent_us * 1000;
		nanosleep(&nap, NULL);
	}
}

static size_t
on_body(char *p, size_t size, size_t n, void *arg)
{
	struct mb_httpc *c = arg;

	pace(c);
	/*
	 * Cancelled while it waited: stop taking bytes now, not at the
	 * progress callback's next look (a second of bytes at a fast hop's
	 * speed, booked on a shared line as the link's).
	 */
	if (c->o.cancelled != NULL && c->o.cancelled(c->o.cancel_arg)) {
		c->stopped = true;
		return 0;
	}
	n *= size;
	if (c->got + n > c->max) {
		c->over = true;
		return 0;
	}
	c->got += n;
	if (c->rq->on_body != NULL) {
		long status = 0;

		curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &status);
		if (!c->rq->on_body(status, p, n, c->rq->body_arg)) {
			c->sunk = true;
			return 0;
		}
		return n;
	}
	if (mb_buf_append(&c->resp->body, p, n) != MB_OK) {
		c->nomem = true;
		return 0;
	}
	return n;
}

static size_t
on_header(char *p, size_t size, size_t n, void *arg)
{
	struct mb_httpc	*c = arg;
	size_t		 len = size * n, l = len;

	while (l > 0 && (p[l - 1] == '\n' || p[l - 1] == '\r'))
		l--;
	/* A new answer (after a redirect or a 100): forget the last's. */
	if (l >= 5 && strncmp(p, "HTTP/", 5) == 0)
		c->resp->content_type[0] = '\0';
	else if (l > 13 && strncasecmp(p, "Content-Type:", 13) == 0) {
		size_t i = 13;

		while (i < l && (p[i] == ' ' || p[i] == '\t'))
			i++;
		snprintf(c->resp->content_type,
		    sizeof(c->resp->content_type), "%.*s", (int)(l - i),
		    p + i);
	}
	if (c->rq->on_header != NULL && l > 0)
		c->rq->on_header(p, l, c->rq->header_arg);
	if (c->rq->on_headers_end != NULL && l == 0 && len > 0)
		c->rq->on_headers_end(c->rq->header_arg);
	return len;
}

static int
on_progress(void *arg, curl_off_t a, curl_off_t b, curl_off_t x,
    curl_off_t y)
{
	struct mb_httpc *c = arg;

	(void)a, (void)b, (void)x, (void)y;
	return c->o.cancelled != NULL && c->o.cancelled(c->o.cancel_arg);
}

static enum mb_httpc_fail
classify(const struct mb_httpc *c, CURLcode cc)
{
	if (c->refused)
		return MB_HTTPC_REFUSED;
	if (c->over)
		return MB_HTTPC_TOOBIG;
	if (c->sunk)
		return MB_HTTPC_SINK;
	if (c->stopped)
		return MB_HTTPC_CANCELLED;
	switch (cc) {
	case CURLE_FILESIZE_EXCEEDED:
		return MB_HTTPC_TOOBIG;
	case CURLE_ABORTED_BY_CALLBACK:
		return MB_HTTPC_CANCELLED;
	case CURLE_OPERATION_TIMEDOUT:
		return MB_HTTPC_TIMEOUT;
	case CURLE_COULDNT_CONNECT:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
		return MB_HTTPC_CONNECT;
	case CURLE_PARTIAL_FILE:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_SEND_ERROR:
	case CURLE_BAD_CONTENT_ENCODING:
		return MB_HTTPC_CUT;
	default:
		return MB_HTTPC_OTHER;
	}
}

static bool
http_url(const char *url)
{
	return url != NULL && (strncasecmp(url, "http://", 7) == 0 ||
	    strncasecmp(url, "https://", 8) == 0);
}

int
mb_httpc_do(struct mb_httpc *c, const struct mb_httpc_req *rq,
    struct mb_httpc_resp *out, enum mb_httpc_fail *why, struct mb_diag *d)
{
	struct curl_slist	*hdrs = NULL, *h;
	char			 ctype[160];
	bool			 post = rq->method != NULL &&
	    strcmp(rq->method, "POST") == 0;
	int			 timeout = rq->timeout_ms > 0 ? rq->timeout_ms :
	    TIMEOUT_DEFAULT_MS;
	int			 connect = rq->connect_timeout_ms > 0 ?
	    rq->connect_timeout_ms : CONNECT_DEFAULT_MS;
	enum mb_httpc_fail	 f;
	curl_off_t		 down = 0;
	long			 hsize = 0;
	CURLcode		 cc;
	int			 rc;

	memset(out, 0, sizeof(*out));
	if (why != NULL)
		*why = MB_HTTPC_OTHER;
	if (!http_url(rq->url))
		return mb_diag_set(d, MB_ERR_INVAL, "%.200s: not an http URL",
		    rq->url != NULL ? rq->url : "(none)");
	if (rq->method != NULL && !post && strcmp(rq->method, "GET") != 0)
		return mb_diag_set(d, MB_ERR_INVAL, "method %s: only GET and "
		    "POST", rq->method);
	if (connect > timeout)
		connect = timeout;
	c->rq = rq;
	c->resp = out;
	c->max = rq->max_answer > 0 ? rq->max_answer : ANSWER_MAX_DEFAULT;
	c->over = c->nomem = c->refused = c->sunk = false;
	c->stopped = false;
	c->got = 0;
	c->refused_addr[0] = '\0';

	/* Options from scratch; live connections and the DNS cache stay. */
	curl_easy_reset(c->curl);
	rc = MB_ERR_NOMEM;
	if (rq->headers != NULL)
		for (const char *const *l = rq->headers; *l != NULL; l++) {
			if ((h = curl_slist_append(hdrs, *l)) == NULL)
				goto out;
			hdrs = h;
		}
	if (post) {
		snprintf(ctype, sizeof(ctype), "Content-Type: %s",
		    rq->content_type != NULL ? rq->content_type :
		    "application/octet-stream");
		/* No "Expect: 100-continue" round trip before a large POST. */
		if ((h = curl_slist_append(hdrs, ctype)) == NULL)
			goto out;
		hdrs = h;
		if ((h = curl_slist_append(hdrs, "Expect:")) == NULL)
			goto out;
		hdrs = h;
		curl_easy_setopt(c->curl, CURLOPT_POST, 1L);
		curl_easy_setopt(c->curl, CURLOPT_POSTFIELDS, rq->body != NULL ?
		    rq->body : "");
		curl_easy_setopt(c->curl, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)rq->len);
	} else {
		curl_easy_setopt(c->curl, CURLOPT_HTTPGET, 1L);
	}
	curl_easy_setopt(c->curl, CURLOPT_URL, rq->url);
	curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(c->curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c->curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c->curl, CURLOPT_FOLLOWLOCATION,
	    c->o.max_redirects > 0 ? 1L : 0L);
	curl_easy_setopt(c->curl, CURLOPT_MAXREDIRS, (long)c->o.max_redirects);
	if (!c->o.allow_private)
		/* A proxy would connect for us, past the guard: none. */
		curl_easy_setopt(c->curl, CURLOPT_PROXY, "");
	curl_easy_setopt(c->curl, CURLOPT_OPENSOCKETFUNCTION, open_socket);
	curl_easy_setopt(c->curl, CURLOPT_OPENSOCKETDATA, c);
	if (rq->accept_encoding != NULL)
		curl_easy_setopt(c->curl, CURLOPT_ACCEPT_ENCODING,
		    rq->accept_encoding);
	/* An answer that announces more than we take is refused unread. */
	curl_easy_setopt(c->curl, CURLOPT_MAXFILESIZE_LARGE,
	    (curl_off_t)c->max);
	curl_easy_setopt(c->curl, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c->curl, CURLOPT_WRITEDATA, c);
	curl_easy_setopt(c->curl, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c->curl, CURLOPT_HEADERDATA, c);
	if (c->o.cancelled != NULL) {
		curl_easy_setopt(c->curl, CURLOPT_NOPROGRESS, 0L);
		curl_easy_setopt(c->curl, CURLOPT_XFERINFOFUNCTION,
		    on_progress);
		curl_easy_setopt(c->curl, CURLOPT_XFERINFODATA, c);
	}
	curl_easy_setopt(c->curl, CURLOPT_CONNECTTIMEOUT_MS, (long)connect);
	curl_easy_setopt(c->curl, CURLOPT_TIMEOUT_MS, (long)timeout);
	if (rq->low_speed_s > 0) {
		curl_easy_setopt(c->curl, CURLOPT_LOW_SPEED_LIMIT,
		    rq->low_speed_bytes > 0 ? rq->low_speed_bytes : 1L);
		curl_easy_setopt(c->curl, CURLOPT_LOW_SPEED_TIME,
		    (long)rq->low_speed_s);
	}
	/* Set on every request: the handle keeps its options between them. */
	curl_easy_setopt(c->curl, CURLOPT_MAX_RECV_SPEED_LARGE,
	    (curl_off_t)(rq->max_recv_bytes_s > 0 ? rq->max_recv_bytes_s : 0));
	curl_easy_setopt(c->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c->curl, CURLOPT_USERAGENT, c->o.user_agent);
	clock_gettime(CLOCK_MONOTONIC, &c->start);
	c->booked = 0;
	c->until_us = 0;
	cc = curl_easy_perform(c->curl);
	/* Nothing of this request's may be used after it. */
	curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, NULL);
	if (cc == CURLE_OK) {
		curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &out->status);
		curl_easy_getinfo(c->curl, CURLINFO_SIZE_DOWNLOAD_T, &down);
		curl_easy_getinfo(c->curl, CURLINFO_HEADER_SIZE, &hsize);
		out->wire_bytes = (int64_t)down + (int64_t)hsize;
		if (why != NULL)
			*why = MB_HTTPC_OK;
		rc = MB_OK;
		goto out;
	}
	/* What came of a failed transfer is not kept. */
	mb_buf_free(&out->body);
	if (c->nomem)
		goto out;
	f = classify(c, cc);
	if (why != NULL)
		*why = f;
	if (f == MB_HTTPC_REFUSED)
		rc = mb_diag_set(d, MB_ERR_NET, "refused to connect to %s: not "
		    "a public address", c->refused_addr);
	else if (f == MB_HTTPC_TOOBIG)
		rc = mb_diag_set(d, MB_ERR_NET, "answer over %zu bytes",
		    c->max);
	else
		/*
		 * libcurl's own words, not its error buffer: that one counts
		 * milliseconds and bytes, and callers log a failure once per
		 * change of message, not once per attempt.
		 */
		rc = mb_diag_set(d, MB_ERR_NET, "%s", curl_easy_strerror(cc));
out:
	curl_slist_free_all(hdrs);
	c->rq = NULL;
	c->resp = NULL;
	return rc;
}

struct mb_httpc_line *
mb_httpc_line_new(void)
{
	struct mb_httpc_line *l;

	if ((l = calloc(1, sizeof(*l))) == NULL)
		return NULL;
	pthread_mutex_init(&l->lock, NULL);
	return l;
}

void
mb_httpc_line_free(struct mb_httpc_line *l)
{
	if (l == NULL)
		return;
	pthread_mutex_destroy(&l->lock);
	free(l);
}
