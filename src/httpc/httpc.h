/* SPDX-License-Identifier: MIT */
/*
 * The HTTP client: the one door from the node to other servers (peers,
 * translation engines, and the feeds the next issues ingest). GET and
 * POST with a time limit, a limit on the answer's size, a redirect
 * policy, and a guard against server-side request forgery: addresses
 * that are not the public internet's (loopback, private, link-local,
 * and the like) are refused unless the caller says it may reach them.
 * Only this folder knows libcurl.
 */
#ifndef MB_HTTPC_HTTPC_H
#define MB_HTTPC_HTTPC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"

struct sockaddr;

/* A client: one connection kept alive between requests; one thread. */
struct mb_httpc;

/*
 * A link's rate shared by the transfers over it (any threads): each
 * books the bytes it receives on one timeline at the request's
 * max_recv_bytes_s, so that two at once get half each and the link
 * never carries more than its cap.
 */
struct mb_httpc_line;

struct mb_httpc_opts {
	const char	*user_agent;	/* NULL: "mediabridge" */
	/*
	 * Whether the client may connect to addresses that are not public
	 * (mb_httpc_addr_public): a peer or an engine the operator named
	 * may be on the LAN or on this host (tests run everything on
	 * 127.0.0.1); a URL that came from outside may not.
	 */
	bool		 allow_private;
	/* Redirects followed (http and https only); 0: none, a 3xx answers. */
	int		 max_redirects;
	/*
	 * Asked while a transfer runs (at least once a second): true ends
	 * it (MB_HTTPC_CANCELLED). NULL: never.
	 */
	bool		(*cancelled)(void *arg);
	void		*cancel_arg;
};

struct mb_httpc_req {
	const char	*method;	/* "GET" (NULL) or "POST" */
	const char	*url;		/* http:// or https:// */
	/* More header lines, "Name: value"; NULL-terminated; may be NULL. */
	const char *const *headers;
	const char	*content_type;	/* POST: NULL is octet-stream */
	const void	*body;		/* POST */
	size_t		 len;
	size_t		 max_answer;	/* the body's limit; 0: 16 MiB */
	int		 timeout_ms;	/* the whole transfer; 0: 60 s */
	int		 connect_timeout_ms;	/* 0: 5 s, at most timeout_ms */
	/*
	 * A slow link is not a dead one: with low_speed_s > 0 the transfer
	 * also ends when fewer than low_speed_bytes a second came for that
	 * long (timeout_ms is then only the cap on one that trickles).
	 */
	long		 low_speed_bytes;
	int		 low_speed_s;
	/*
	 * The most bytes a second taken from the server (libcurl's
	 * CURLOPT_MAX_RECV_SPEED_LARGE: a link's rate cap); 0: no cap.
	 */
	int64_t		 max_recv_bytes_s;
	/* With max_recv_bytes_s: the rate is shared on this line; NULL: the
	 * transfer's own. */
	struct mb_httpc_line *line;
	/* Accept-Encoding, decoded on arrival; NULL: ask for none. */
	const char	*accept_encoding;
	/* Each header line of the answer (without CRLF); may be NULL. */
	void		(*on_header)(const char *line, size_t len, void *arg);
	/*
	 * The end of each answer's headers (the blank line), before its
	 * body; may be NULL. Gets header_arg.
	 */
	void		(*on_headers_end)(void *arg);
	void		*header_arg;
	/*
	 * Where the body goes as it arrives (a download written to a file
	 * as it comes, never held whole): each piece is handed on instead
	 * of kept in out->body, with the answer's status (its headers have
	 * all been seen by then). false ends the transfer
	 * (MB_HTTPC_SINK). NULL: the body is kept in
	 * out->body. max_answer still bounds the whole.
	 */
	bool		(*on_body)(long status, const char *p, size_t len,
	    void *arg);
	void		*body_arg;
};

struct mb_httpc_resp {
	long		 status;
	struct mb_buf	 body;		/* the caller frees it */
	char		 content_type[128];	/* "" when none */
	int64_t		 wire_bytes;	/* headers and body as they came */
};

/* What kind of failure a transfer was (the callers' retry policies). */
enum mb_httpc_fail {
	MB_HTTPC_OK = 0,
	MB_HTTPC_REFUSED,	/* a non-public address, not allowed */
	MB_HTTPC_CONNECT,	/* not resolved, refused, unreachable */
	MB_HTTPC_TIMEOUT,	/* the time limit, or too slow */
	MB_HTTPC_TOOBIG,	/* the answer is over max_answer */
	MB_HTTPC_CUT,		/* the link dropped mid-transfer */
	MB_HTTPC_CANCELLED,	/* opts.cancelled said so */
	MB_HTTPC_SINK,		/* rq.on_body refused a piece */
	MB_HTTPC_OTHER
};

/* libcurl's process-wide set-up; any thread, any number of times. */
void mb_httpc_global_init(void);

/* A client with o (copied; NULL: the defaults). */
int mb_httpc_new(const struct mb_httpc_opts *o, struct mb_httpc **out);
/* NULL is a no-op. */
void mb_httpc_free(struct mb_httpc *c);

/*
 * Makes one request. MB_OK with out filled whenever an HTTP answer came,
 * whatever its status; else MB_ERR_NET (MB_ERR_INVAL for a URL that is
 * not http(s), MB_ERR_NOMEM) with *why (may be NULL) saying what kind of
 * failure, d the reason, and nothing kept in out->body.
 */
int mb_httpc_do(struct mb_httpc *c, const struct mb_httpc_req *rq,
    struct mb_httpc_resp *out, enum mb_httpc_fail *why, struct mb_diag *d);

/* A line nobody uses yet (NULL: out of memory). */
struct mb_httpc_line *mb_httpc_line_new(void);
/* NULL is a no-op; no transfer may be using it. */
void mb_httpc_line_free(struct mb_httpc_line *l);

/* Frees out's body; out may be reused. */
void mb_httpc_resp_free(struct mb_httpc_resp *out);

/*
 * True when sa is an address of the public internet: not loopback,
 * unspecified, private (RFC 1918, RFC 4193), shared (RFC 6598),
 * link-local, multicast, broadcast, documentation or reserved, and not
 * one of those written as IPv4-mapped or NAT64 IPv6.
 */
bool mb_httpc_addr_public(const struct sockaddr *sa);

#endif
