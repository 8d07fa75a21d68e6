/* SPDX-License-Identifier: MIT */
/* Private to src/http: the router, the response cache and the metrics. */
#ifndef MB_HTTP_HTTP_INT_H
#define MB_HTTP_HTTP_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "http/http.h"

/* ---- router.c ---- */

#define MB_ROUTE_MAX_PARAMS 8

struct mb_route_match {
	const struct mb_route	*route;		/* NULL: none */
	int			 index;		/* for metrics */
	int			 nparams;
	const char		*names[MB_ROUTE_MAX_PARAMS];
	const char		*values[MB_ROUTE_MAX_PARAMS];
	char			 allow[64];	/* methods, for a 405 */
};

/* Every route, numbered 0..n-1 in table order. */
int mb_router_count(void);
const struct mb_route *mb_router_at(int i);

/*
 * Matches method and path. scratch (a copy of path the caller keeps for
 * the request's life) holds the parameter values. MB_OK with m->route
 * set; MB_ERR_NOTFOUND (no path matched) or MB_ERR_PERM (the path
 * matched with other methods: m->allow lists them).
 */
int mb_router_match(const char *method, const char *path, char *scratch,
    struct mb_route_match *m);

/* ---- json.c ---- */

/*
 * Parses JSON with limits (depth, values, token length: mb_json_scan()
 * runs first, so an over-limit body never becomes a tree), valid UTF-8
 * and no duplicate keys; MB_ERR_INVAL/MB_ERR_TOOBIG with a message.
 */
struct mb_json_limits;
int mb_http_json_parse(const char *buf, size_t len,
    const struct mb_json_limits *lim, json_t **out, struct mb_diag *d);

/* ---- metrics.c ---- */

struct mb_metrics;
int mb_metrics_new(int nroutes, struct mb_metrics **out);
void mb_metrics_free(struct mb_metrics *m);
/* route -1: none matched. */
void mb_metrics_record(struct mb_metrics *m, int route, unsigned status,
    int64_t us);
void mb_metrics_cache(struct mb_metrics *m, bool hit);
int mb_metrics_render(struct mb_metrics *m, struct mb_buf *out);

/* ---- api_items.c: the readers' visibility rule, for other routes ---- */
bool mb_http_item_visible(struct mb_req *r, struct mb_store *st,
    const char *uri);

/* ---- routes_media.c: uploads, for the newsroom's picture form ---- */

/* The bytes of an upload: the body, or a multipart form's file part. */
bool mb_http_upload_bytes(struct mb_req *r, const char **data, size_t *len);
/* Makes and saves the renditions: {"type", "contentType", "sizeInBytes",
 * "renditions", "urls"} in *out (a new reference). */
int mb_http_media_ingest(struct mb_req *r, struct mb_store *st,
    const char *data, size_t len, json_t **out, struct mb_diag *d);
/* The status and error code for an upload's mb_media error. */
unsigned mb_http_upload_status(int rc, const char **code);

/* ---- routes_site.c: a readable 404 page for a browser's GET ---- */
/* Answers a path no route matched when it is the site's; true if so. */
bool mb_site_not_found(struct mb_req *r);

/* ---- cache.c: the query as the cache key has it, for redirects ---- */
/*
 * Appends r's query parameters to b, each percent-encoded again (no
 * control character survives), "?k=v&k2=v2", or nothing when none.
 */
void mb_req_query_append(struct mb_req *r, struct mb_buf *b);

/*
 * Whether an Accept-Encoding value takes gzip (RFC 9110 §12.5.3): the
 * coding "gzip" as a whole token, any case, or "*", with a weight above
 * zero ("gzip;q=0", "gzip; Q=0.000" refuse it; "x-gzip" is not it).
 */
bool mb_http_accepts_gzip(const char *accept_encoding);

/* ---- server.c, for api_ops.c ---- */
struct mb_metrics *mb_http__metrics(struct mb_http_server *s);

/*
 * Counts r's answer as a reader's view when it is one (impact_count.c):
 * route is the matched route's name. im NULL: counting is off.
 */
struct mb_impact;
void mb_http__impact_count(struct mb_req *r, struct mb_impact *im,
    const char *route, unsigned status, int64_t now_ms);
/* The server's counter and its service (NULL: off), for the stats routes. */
struct mb_impact *mb_http__impact(struct mb_http_server *s);
struct mb_impact_service;
struct mb_impact_service *mb_http__impact_service(struct mb_http_server *s);
/* Wakes serve's feed poller (a source marked due); nothing without one. */
void mb_http__feeds_kick(struct mb_http_server *s);
int mb_http__in_flight(struct mb_http_server *s);
/* Open connections request thread i holds; -1 past the last thread. */
int mb_http__thread_connections(struct mb_http_server *s, unsigned i);

#endif
