/* SPDX-License-Identifier: MIT */
/* Private to src/mt: the engine interface (a table of functions per kind),
 * the HTTP transport, and the segmented document. Tests include it to
 * plug in fake engines. */
#ifndef MB_MT_MT_INT_H
#define MB_MT_MT_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"
#include "mt/mt.h"

struct mb_mt__engine;

/*
 * An engine kind. Both functions may be called from several threads at
 * once (for different translations) and must not print.
 *  pairs: the pairs as the engine reports them (*out malloc'd).
 *  translate: n segments in engine form (HTML with bare numbered tags and
 *   placeholders) from p->engine_from to p->engine_to; out[i] malloc'd,
 *   one per segment, in order; *requests counts the HTTP requests made.
 *   On failure no out[i] is set.
 */
struct mb_mt__backend {
	enum mb_mt_kind	kind;
	int		(*pairs)(struct mb_mt__engine *e, int timeout_ms,
			    struct mb_mt_pair **out, size_t *n,
			    struct mb_diag *d);
	int		(*translate)(struct mb_mt__engine *e,
			    const struct mb_mt_pair *p, char *const *in,
			    size_t n, char **out, size_t *requests,
			    struct mb_diag *d);
};

extern const struct mb_mt__backend mb_mt__apy;
extern const struct mb_mt__backend mb_mt__libretranslate;
extern const struct mb_mt__backend mb_mt__peer;

struct mb_mt__engine {
	struct mb_mt_engine_conf	 conf;
	const struct mb_mt__backend	*be;
	void				*user;		/* a fake's state */
	char				*api_key;	/* sodium_malloc'd */
	pthread_mutex_t			 lock;
	pthread_cond_t			 cond;
	int				 in_flight;	/* under lock */
	int				 waiting;
	struct mb_mt_pair		*pairs;		/* cached, under lock */
	size_t				 npairs;
	int64_t				 pairs_ms;	/* when; 0: never */
	char				 version[MB_MT_VERSION_MAX];
	/* A peer engine: how to sign, and the center that answered. */
	mb_mt_sign_fn			 sign;
	void				*sign_arg;
	char				 peer[33];	/* under lock */
	atomic_bool			 off;	/* a lender set aside */
};

/*
 * The engines: the configured ones, then lenders (lenders.c). engines is
 * allocated once with room for MB_MT_LENDERS_MAX more, so that a lender
 * is appended while other threads read: n is read with
 * mb_mt__count (acquire) and grows under grow_lock.
 */
struct mb_mt {
	char			 dir[1024];
	struct mb_mt__engine	**engines;
	size_t			 n, cap;
	pthread_mutex_t		 grow_lock;
	mb_mt_sign_fn		 sign;		/* for lenders added later */
	void			*sign_arg;
};

/* The number of engines now (the lenders appended so far included). */
size_t mb_mt__count(const struct mb_mt *mt);

/*
 * Makes an engine (not yet in a handle) with a given backend; freed with
 * mb_mt__engine_free. Sets its cache of pairs to p[0..n) as if asked now.
 */
struct mb_mt__engine *mb_mt__engine_new(const struct mb_mt_engine_conf *c,
    const struct mb_mt__backend *be, void *user);
void mb_mt__engine_free(struct mb_mt__engine *e);
void mb_mt__pairs_seed(struct mb_mt__engine *e, struct mb_mt_pair *p,
    size_t n);

/*
 * Adds an engine with a given backend to an open handle (tests' fakes;
 * mb_mt_open uses it for the real kinds). The conf is copied.
 */
int mb_mt__add(struct mb_mt *mt, const struct mb_mt_engine_conf *c,
    const struct mb_mt__backend *be, void *user, struct mb_diag *d);

/* ---- HTTP, through one function (transport.c, the only libcurl user) ----- */

enum mb_mt__net {
	MB_MT__NET_OK = 0,	/* an HTTP answer came (any status) */
	MB_MT__NET_CONNECT,	/* could not connect (refused, no route, DNS) */
	MB_MT__NET_TIMEOUT,	/* no whole answer within the time limit */
	MB_MT__NET_TOOBIG,	/* the answer was over max_reply */
	MB_MT__NET_OTHER	/* anything else on the wire */
};

struct mb_mt__http_req {
	const char	*method;	/* "GET" or "POST" */
	const char	*url;
	const char	*content_type;	/* POST only */
	const char	*body;
	size_t		 len;
	int		 timeout_ms;
	size_t		 max_reply;
	const char *const *headers;	/* more header lines; may be NULL */
};

/*
 * Makes one request. MB_OK with *status and reply filled whenever an HTTP
 * answer came; else MB_ERR_NET (MB_ERR_NOMEM) with *why saying what kind
 * of failure and d the reason (never the body).
 */
int mb_mt__http(const struct mb_mt__http_req *rq, long *status,
    struct mb_buf *reply, enum mb_mt__net *why, struct mb_diag *d);

/*
 * One request to an engine, relative to its URL (path "/translate"),
 * with the engine's time limit, retried with backoff (0.2 s, then x3)
 * when the connection is refused or the answer is 429 or 5xx, never
 * after a timeout (a hung engine does not wake up in a second). MB_OK
 * with the final status and body whenever an HTTP answer came.
 */
int mb_mt__engine_http(struct mb_mt__engine *e, const char *method,
    const char *path, const char *content_type, const char *body,
    size_t len, int timeout_ms, long *status, struct mb_buf *reply,
    struct mb_diag *d);

/*
 * A copy of the engine's pairs (malloc'd) and its version, from the cache
 * when under 5 minutes old, else asked again.
 */
int mb_mt__pairs(struct mb_mt__engine *e, struct mb_mt_pair **out,
    size_t *n, char version[MB_MT_VERSION_MAX], struct mb_diag *d);

/*
 * The engine's bounded queue: a slot for one translation, waiting at most
 * the engine's timeout when all are taken and the queue has room;
 * MB_ERR_AGAIN otherwise. Every slot got is put back.
 */
int mb_mt__slot_get(struct mb_mt__engine *e, struct mb_diag *d);
void mb_mt__slot_put(struct mb_mt__engine *e);

/* Appends s percent-encoded for a URL query or a form body. */
int mb_mt__urlencode(struct mb_buf *b, const char *s, size_t len);

/* A short, printable excerpt of an engine's answer for a diagnostic. */
void mb_mt__excerpt(const char *s, size_t len, char *out, size_t n);

/* ---- the segmented document (html.c) ------------------------------------- */

struct mb_mt__doc;

/*
 * Cuts html (or plain text, escaped first) into segments to send and
 * verbatim parts; chooses the placeholder prefix. Segments with no letter
 * are not sent.
 */
int mb_mt__doc_parse(const char *text, size_t len, bool plain,
    struct mb_mt__doc **out, struct mb_diag *d);
void mb_mt__doc_free(struct mb_mt__doc *doc);

/* Replaces the glossary's terms for from -> to with placeholders. */
int mb_mt__doc_protect(struct mb_mt__doc *doc, const struct mb_mt_glossary *g,
    const char *from, const char *to, struct mb_diag *d);

/* The number of segments to send (after protection). */
size_t mb_mt__doc_count(const struct mb_mt__doc *doc);

/* Segment k in engine form (malloc'd). */
int mb_mt__doc_form(const struct mb_mt__doc *doc, size_t k, char **out);

/*
 * Checks an engine's answer for segment k: only the segment's numbered
 * tags, each exactly once, the same closing tags, each placeholder
 * exactly once, valid UTF-8, not absurdly long. On success *out is the
 * answer in normal engine form (entities decoded), ready for the next leg
 * or for mb_mt__doc_assemble. MB_ERR_CORRUPT naming what is wrong.
 */
int mb_mt__doc_check(const struct mb_mt__doc *doc, size_t k,
    const char *answer, char **out, struct mb_diag *d);

/*
 * Puts the document back together from the checked answers (one per
 * segment to send, in order): original tags and verbatim parts, answers'
 * text, placeholders replaced by what they stand for. plain: the output
 * is plain text (tags cannot occur; entities decoded).
 */
int mb_mt__doc_assemble(const struct mb_mt__doc *doc, char *const *answers,
    struct mb_buf *out, struct mb_diag *d);

/* Decodes the named reference name[0..len) ("eacute"); 0 when unknown. */
uint32_t mb_mt__entity(const char *name, size_t len);

/* Appends the UTF-8 form of code point cp. */
int mb_mt__put_cp(struct mb_buf *b, uint32_t cp);

/* ---- glossary internals (glossary.c) ------------------------------------- */

/* A language tag's primary subtag, lower case ("pt-BR" -> "pt"). */
void mb_mt__primary(const char *tag, char out[MB_MT_TAG_MAX + 1]);

#endif
