/* SPDX-License-Identifier: MIT */
/* The handler side of the HTTP layer: routes, requests, responses. */
#ifndef MB_HTTP_HTTP_H
#define MB_HTTP_HTTP_H

/*
 * Handler files (api_items.c, and later federation, site, search ...)
 * include this header only: libmicrohttpd stays in the server's files
 * (server_int.h). See
 * docs/http.md for the whole picture.
 *
 * A file contributes a route table:
 *
 *	const struct mb_route mb_routes_things[] = {
 *		{ "GET", "/api/v1/things/:id", get_thing, MB_ROUTE_CACHE,
 *		  "things.get" },
 *		MB_ROUTES_END
 *	};
 *
 * and router.c lists the table (one extern line and one entry). A
 * handler reads the request through mb_req_*() and answers by calling
 * exactly one mb_resp_*() function (or mb_resp_wait() to park a
 * long-poll); a handler that answers nothing gets a 500.
 */

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <jansson.h>

#include "center/center.h"
#include "center/ingest.h"
#include "http/if_match.h"
#include "http/server.h"
#include "newsroom/accounts.h"
#include "newsroom/items.h"
#include "store/store.h"

struct mb_req;
struct mb_http_server;
struct mb_media_sandbox;

typedef void (*mb_http_handler)(struct mb_req *r);

/* Route flags. */
#define MB_ROUTE_CACHE	0x01	/* anonymous 200s go in the response cache */
#define MB_ROUTE_FORM	0x02	/* accepts x-www-form-urlencoded bodies */
#define MB_ROUTE_RAW	0x04	/* accepts any body type (uploads) */
#define MB_ROUTE_NOLOG	0x08	/* no access-log line (health checks) */
/*
 * Body classes (docs/http.md, "Limits"): a route names the most it can
 * need, and the server refuses more with 413 while the body streams in,
 * before it is buffered or parsed. Without either flag a body may be as
 * large as [server] max_body (uploads, the newsroom's forms). A request
 * without credentials gets the small class whatever the route says: the
 * only body anyone may send anonymously is a login.
 */
#define MB_ROUTE_SMALL	0x10	/* a few KB: logins, tokens, users */
#define MB_ROUTE_ITEM	0x20	/* one item: the envelope limit (4 MiB) */
/*
 * The path carries a bearer secret (an attendee's registration link):
 * logs write the route's pattern, not the path, so that whoever reads
 * them cannot act as its holder.
 */
#define MB_ROUTE_SECRET	0x40

struct mb_route {
	const char	*method;	/* "GET", "POST", "PUT", "DELETE" */
	/*
	 * Literal segments and ":name" parameters, "/api/v1/items/:center/
	 * :local"; a last segment "*" matches the rest of the path (read
	 * it as the parameter "*"). When several patterns match, the one
	 * with the most literal segments wins.
	 */
	const char	*pattern;
	mb_http_handler	 handler;
	unsigned	 flags;
	const char	*name;		/* metrics and log label: "items.get" */
};
#define MB_ROUTES_END { NULL, NULL, NULL, 0, NULL }

/* ---- The request (all strings borrowed for the request's life) ---- */

const char *mb_req_method(const struct mb_req *r);
/* The path, percent-decoded, without the query. */
const char *mb_req_path(const struct mb_req *r);
/* A ":name" path parameter ("*" for the tail); NULL when absent. */
const char *mb_req_param(const struct mb_req *r, const char *name);
/* A query parameter (decoded), a header, a cookie; NULL when absent. */
const char *mb_req_query(struct mb_req *r, const char *name);
const char *mb_req_header(struct mb_req *r, const char *name);
const char *mb_req_cookie(struct mb_req *r, const char *name);
/* The client's address as text ("127.0.0.1"). */
const char *mb_req_client(const struct mb_req *r);
/* The body (NUL-terminated; len may be NULL). "" when there is none. */
const char *mb_req_body(const struct mb_req *r, size_t *len);
/*
 * The file holding the body when it was spooled (spool.c) and data, len
 * are the whole of it: what may be sent from the file instead; -1 else.
 */
int mb_req_body_fd(const struct mb_req *r, const char *data, size_t len);
/*
 * The body as JSON (a new reference for the caller), parsed with the
 * server's limits (size, depth 64, no duplicate keys, valid UTF-8).
 * On failure it has answered (400 or 415) and returns NULL: the handler
 * just returns.
 */
json_t *mb_req_json_or_reply(struct mb_req *r);
/* A field of an x-www-form-urlencoded body (MB_ROUTE_FORM); NULL. */
const char *mb_req_form(struct mb_req *r, const char *name);
/* The name of the form's i-th field (from 0); NULL past the last. */
const char *mb_req_form_name(struct mb_req *r, int i);
/*
 * The name of a multipart text field the form left out for being over
 * MB_FORM_TEXT_MAX bytes (handlers refuse the form: a field silently
 * missing would be saved as empty); NULL when none.
 */
const char *mb_req_form_too_long(struct mb_req *r);
/*
 * The name of the first form field whose value holds a NUL byte or is
 * not UTF-8 text (handlers refuse the form: the value would be saved cut
 * short or dropped); NULL when none.
 */
const char *mb_req_form_bad(struct mb_req *r);

/* Who is asking: NULL for an anonymous reader. */
struct mb_http_user {
	int64_t		id;
	char		name[64];
	enum mb_role	role;
	bool		session;	/* by cookie (CSRF was checked) */
	char		csrf[65];	/* the session's CSRF token, or "" */
};
const struct mb_http_user *mb_req_user(const struct mb_req *r);
/* The caller's role; MB_ROLE_NONE when anonymous. */
enum mb_role mb_req_role(const struct mb_req *r);

/*
 * This thread's store connection (one per server thread, opened on first
 * use). NULL when it cannot be opened: the handler has then been
 * answered 503 already and must return.
 */
struct mb_store *mb_req_store_or_reply(struct mb_req *r);
/* The same without answering: NULL when the store is unavailable. */
struct mb_store *mb_req_store(struct mb_req *r);
const struct mb_center_node *mb_req_node(const struct mb_req *r);
/* The shared ingest context (thread-safe prepare; commit with a store). */
struct mb_ingest *mb_req_ingest(const struct mb_req *r);
struct mb_http_server *mb_req_server(const struct mb_req *r);
/* Where uploads are decoded: the sandbox, or NULL (in this process). */
struct mb_media_sandbox *mb_req_media(const struct mb_req *r);
/* The center's translation engines; NULL when serve gave none. */
struct mb_mt *mb_req_mt(const struct mb_req *r);
/* The login throttle. */
struct mb_throttle *mb_req_throttle(const struct mb_req *r);

/* Per-request state that outlives one handler call (long-polls). */
void *mb_req_data(const struct mb_req *r);
void mb_req_set_data(struct mb_req *r, void *p, void (*free_fn)(void *));

/* ---- The response ---- */

/*
 * Adds a header (both copied). Call before the mb_resp_*() that answers.
 * MB_ERR_INVAL for a name or value HTTP cannot carry (a control but TAB
 * in the value, CR and LF among them): nothing is added, and whatever
 * the handler answers goes out as a 500 (the answer without the header
 * would be broken: a redirect without its Location), logged. A handler
 * that takes a header's value from the request and would rather answer
 * otherwise (404) checks it first. MB_ERR_TOOBIG (more than 16) and
 * MB_ERR_NOMEM drop the header, logged.
 */
int mb_resp_header(struct mb_req *r, const char *name, const char *value);
/* JSON (v stolen), Content-Type application/json. */
void mb_resp_json(struct mb_req *r, unsigned status, json_t *v);
/* Bytes (copied) of a given type. */
void mb_resp_bytes(struct mb_req *r, unsigned status, const char *ctype,
    const void *data, size_t len);
/* Bytes (malloc'd, taken: freed by the server). */
void mb_resp_take(struct mb_req *r, unsigned status, const char *ctype,
    char *data, size_t len);
/*
 * len bytes of the open file fd from offset (fd taken: closed by the
 * server), sent from the file as the client reads (sendfile where it
 * can), never read into memory: blobs and media of any size. The
 * handler sets its own ETag; such answers are not cached or compressed.
 */
void mb_resp_file(struct mb_req *r, unsigned status, const char *ctype,
    int fd, uint64_t offset, uint64_t len);
/*
 * A body of len bytes made as the client reads: read(arg, pos, buf, max)
 * puts up to max bytes of position pos in buf and says how many; 0 when
 * none are ready yet, having arranged for mb_req_wake(r) to be called
 * when some may be (the connection then waits holding no thread); -1
 * cuts the connection: the client gets fewer bytes than announced, never
 * a body that looks complete. done(arg) is called once when the request
 * ends, before r is freed. Not cached or compressed; the handler sets
 * its own ETag.
 */
typedef ssize_t (*mb_resp_read_fn)(void *arg, uint64_t pos, char *buf,
    size_t max);
void mb_resp_stream(struct mb_req *r, unsigned status, const char *ctype,
    uint64_t len, mb_resp_read_fn read, void *arg, void (*done)(void *arg));
/* No body (204, 304, ...). */
void mb_resp_empty(struct mb_req *r, unsigned status);
/*
 * {"error": {"code": code, "message": ...}} with the status. code is a
 * short stable word ("not_found", "forbidden", ...); the message says
 * what was wrong, for people.
 */
void mb_resp_error(struct mb_req *r, unsigned status, const char *code,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* The error for an mb_err code and its diagnostic (400, 404, 409, ...). */
void mb_resp_err(struct mb_req *r, int err, const struct mb_diag *d);
/* 303 See Other to the path to, kept private: the answer to a form. */
void mb_resp_see_other(struct mb_req *r, const char *to);
/* Keeps this response out of the cache even on a cacheable route. */
void mb_resp_private(struct mb_req *r);
/*
 * Caps how long a cached copy may be served (a list whose contents also
 * change with the clock, embargoes); by default until the log moves.
 */
void mb_resp_cache_ttl(struct mb_req *r, int64_t ms);
/*
 * This response was costly to make (a machine translation, seconds of an
 * engine's time): cached at its key's first miss. Others are cached at
 * their second (server_int.h, SEEN_SLOTS).
 */
void mb_resp_costly(struct mb_req *r);

/*
 * Long-poll: parks the request (no thread is held) until the log grows
 * (mb_http_notify) or mono_deadline_ms (mb_time_mono_ms) passes or the
 * server shuts down; then the same handler is called again with
 * mb_req_wakeups() > 0. Typical handler:
 *
 *	if (nothing new && mb_time_mono_ms() < deadline &&
 *	    !mb_http_stopping(mb_req_server(r))) {
 *		mb_resp_wait(r, deadline);
 *		return;
 *	}
 *	answer with what there is
 */
void mb_resp_wait(struct mb_req *r, int64_t mono_deadline_ms);
unsigned mb_req_wakeups(const struct mb_req *r);

/*
 * As mb_resp_wait, but the log's moving does not wake it: only
 * mb_req_wake(r), the deadline or shutting down (a request waiting for
 * another thread's work, a fetch).
 */
void mb_resp_wait_wake(struct mb_req *r, int64_t mono_deadline_ms);
/*
 * Any thread: r, parked (mb_resp_wait_wake, or a stream waiting for
 * bytes), goes on; r not parked yet parks only for a moment. The caller
 * must know r is alive: forget r in its mb_req_set_data free function.
 */
void mb_req_wake(struct mb_req *r);

/*
 * The log's generation: bumped by mb_http_notify() after every commit
 * (and when the server sees the store's last seq move, every second,
 * for writes by other processes). Any thread.
 */
uint64_t mb_http_log_gen(struct mb_http_server *s);
bool mb_http_stopping(struct mb_http_server *s);

/* ---- Small helpers handlers share ---- */

/* Percent-encodes s for a URL path segment or query value. */
int mb_http_urlencode(const char *s, struct mb_buf *out);

/*
 * Whether p is a path on this site to send a browser back to (a "next"
 * after signing in or choosing a language): "/..." but not "//" or "/\",
 * and no control character anywhere (browsers drop TAB and newlines
 * from URLs, so "/<TAB>/evil.example/" would be "//evil.example/").
 */
bool mb_http_local_path(const char *p);

/* ---- The newsroom service's edge (req_newsroom.c) ---- */

/* Who is asking, for the service's rules. */
void mb_req_actor(const struct mb_req *r, struct mb_actor *out);

/* The service's environment for this request; false with 503 answered. */
bool mb_req_newsroom_or_reply(struct mb_req *r, struct mb_newsroom_env *e);

/*
 * The request's If-Match (mb_if_match_parse): 0 parsed, 1 absent, -1
 * malformed or -2 too many tags, answered 400.
 */
int mb_req_if_match(struct mb_req *r, struct mb_nr_precond *pre);

/* Answers a failed service call: 412 with the current ETag, 409s, ... */
/*
 * A translation's failure (mt/mt.h's errors) as HTTP: 422 with code
 * "no_pair" or "no_engine", 503 with Retry-After for an engine down or
 * busy, 502 for an engine's garbage, else as mb_resp_err.
 */
void mb_resp_mt_fail(struct mb_req *r, int rc, const char *code,
    const struct mb_diag *d);
void mb_resp_newsroom_fail(struct mb_req *r, int rc,
    const struct mb_nr_saved *s, const struct mb_diag *d);

/* The HTTP status of a service error code (the pages' answers). */
unsigned mb_newsroom_http_status(int rc);

/*
 * Names the answer's representation (an item's version): the ETag
 * becomes "tag", or "tag-gzip" when sent gzip-coded, so a client can
 * echo it in If-Match.
 */
void mb_resp_etag_tag(struct mb_req *r, const char *tag);

#endif
