/* SPDX-License-Identifier: MIT */
/* The exchange's endpoints: /federation/v1/center, registry, log and blobs. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/log.h"
#include "base/timeutil.h"
#include "http/federation.h"
#include "http/http.h"
#include "http/range.h"
#include "sync/dict.h"
#include "sync/httpsig.h"
#include "sync/log.h"
#include "sync/registry.h"

#define LOG_LIMIT_MAX 5000
#define WAIT_MAX_S 60

static struct mb_sync_replay	*replay;
static pthread_once_t		 replay_once = PTHREAD_ONCE_INIT;
static struct mb_sync		*attached;

static void
replay_init(void)
{
	if (mb_sync_replay_new(1u << 16, &replay) != MB_OK)
		replay = NULL;
}

void
mb_http_federation_attach(struct mb_sync *s)
{
	attached = s;
}

int
mb_http_federation_metrics(struct mb_store *st, struct mb_buf *out)
{
	return mb_sync_metrics(attached, st, out, NULL);
}

/* Callers: members of the registry, active ones only. */
static int
caller_key(const char *id, uint8_t pk[MB_PUBKEY_LEN], void *arg,
    struct mb_diag *d)
{
	struct mb_center	c;
	int			rc;

	if ((rc = mb_store_center_get(arg, id, &c, NULL)) != MB_OK)
		return rc == MB_ERR_NOTFOUND ? mb_diag_set(d, rc,
		    "unknown center") : rc;
	if (strcmp(c.status, "active") != 0)
		return mb_diag_set(d, MB_ERR_PERM, "center %s is %s", id,
		    c.status);
	memcpy(pk, c.key, MB_PUBKEY_LEN);
	return MB_OK;
}

/*
 * Checks the request's signature; on failure answers 401 or 403 and
 * returns false. query is the canonical query the signature covers.
 */
static bool
signed_or_reply(struct mb_req *r, const char *query, char caller[33])
{
	struct mb_sync_req	 q;
	struct mb_store		*st;
	struct mb_diag		 d = { "" };
	int			 rc;

	pthread_once(&replay_once, replay_init);
	if ((st = mb_req_store_or_reply(r)) == NULL)
		return false;
	memset(&q, 0, sizeof(q));
	q.method = mb_req_method(r);
	q.authority = mb_req_header(r, "Host");
	q.path = mb_req_path(r);
	q.query = query;
	/* A body is covered by its Content-Digest (POST translate). */
	if (strcmp(q.method, "POST") == 0) {
		q.body = mb_req_body(r, &q.body_len);
		q.content_digest = mb_req_header(r, "Content-Digest");
	}
	rc = mb_sync_httpsig_verify(&q, mb_req_header(r, "Signature-Input"),
	    mb_req_header(r, "Signature"), mb_time_now_ms() / 1000, replay,
	    caller_key, st, caller, &d);
	if (rc == MB_OK)
		return true;
	log_warn("federation: refused path=%s client=%s why=\"%s\"",
	    mb_req_path(r), mb_req_client(r), mb_diag_msg(&d, rc));
	mb_resp_private(r);
	if (rc == MB_ERR_PERM)
		mb_resp_error(r, 403, "forbidden", "%s", mb_diag_msg(&d, rc));
	else if (rc == MB_ERR_EXISTS) {
		/*
		 * Its own code: a member's request that arrives twice (an
		 * HTTP client retrying on a fresh connection after the link
		 * dropped) signs again and retries.
		 */
		mb_resp_header(r, "WWW-Authenticate", "Signature");
		mb_resp_error(r, 401, "replayed", "%s", mb_diag_msg(&d, rc));
	} else if (rc == MB_ERR_AGAIN)
		mb_resp_error(r, 503, "busy", "%s", mb_diag_msg(&d, rc));
	else {
		mb_resp_header(r, "WWW-Authenticate", "Signature");
		mb_resp_error(r, 401, "unauthenticated", "%s",
		    mb_diag_msg(&d, rc));
	}
	return false;
}

bool
mb_http_federation_signed(struct mb_req *r, const char *query,
    char caller[33])
{
	return signed_or_reply(r, query, caller);
}

static void
center_info(struct mb_req *r)
{
	const struct mb_center_node	*n = mb_req_node(r);
	char				 key[MB_PUBKEY_TEXT_LEN];
	json_t				*langs = json_array();
	const char			*p = n->conf.languages, *e;

	while (langs != NULL && *p != '\0') {
		e = strchr(p, ',');
		if (e == NULL)
			e = p + strlen(p);
		json_array_append_new(langs, json_stringn(p, (size_t)(e - p)));
		p = *e == ',' ? e + 1 : e;
	}
	mb_pubkey_format(n->pk, key);
	mb_resp_json(r, 200, json_pack("{s:s, s:s, s:s, s:o, s:s, s:s, s:s}",
	    "id", n->conf.id, "name", n->conf.name, "country",
	    n->conf.country, "languages", langs ? langs : json_array(),
	    "url", n->conf.url, "key", key, "role", n->conf.role));
}

static void
registry(struct mb_req *r)
{
	struct mb_buf	 doc = MB_BUF_INIT;
	struct mb_store	*st;
	struct mb_diag	 d = { "" };
	char		 caller[33], ver[24];
	int64_t		 v = 0;
	int		 rc;

	if (!signed_or_reply(r, NULL, caller))
		return;
	st = mb_req_store_or_reply(r);
	if (st == NULL)
		return;
	mb_resp_private(r);
	rc = mb_sync_registry_current(st, mb_req_node(r), &doc, &v, &d);
	if (rc != MB_OK) {
		mb_buf_free(&doc);
		mb_resp_err(r, rc, &d);
		return;
	}
	snprintf(ver, sizeof(ver), "%lld", (long long)v);
	mb_resp_header(r, "Mb-Registry-Version", ver);
	mb_resp_take(r, 200, "application/json", mb_buf_steal(&doc), doc.len);
}

/* A query parameter as a bounded non-negative integer; -1 when bad. */
static int64_t
query_int(struct mb_req *r, const char *name, int64_t def, int64_t max)
{
	const char	*s = mb_req_query(r, name);
	char		*end;
	long long	 v;

	if (s == NULL)
		return def;
	if (*s < '0' || *s > '9')
		return -1;
	v = strtoll(s, &end, 10);
	if (*end != '\0' || v < 0)
		return -1;
	return v > max ? max : v;
}

struct log_wait {
	int64_t	deadline;
	char	caller[33];	/* the signed caller, for the split horizon */
};

static void
log_get(struct mb_req *r)
{
	struct mb_store		*st;
	struct mb_buf		 body = MB_BUF_INIT, z = MB_BUF_INIT;
	struct mb_diag		 d = { "" };
	struct log_wait		*w = mb_req_data(r);
	const char		*enc = NULL;
	int64_t			 after, limit, wait, next = 0;
	size_t			 count = 0, len;
	char			 num[24], query[128], caller[33], dict[65];
	int			 rc;

	after = query_int(r, "after", 0, INT64_MAX);
	limit = query_int(r, "limit", 1000, LOG_LIMIT_MAX);
	wait = query_int(r, "wait", 0, WAIT_MAX_S);
	if (w == NULL) {
		/* The signed query: after, limit, wait, in this order. */
		query[0] = '\0';
		if (mb_req_query(r, "after") != NULL ||
		    mb_req_query(r, "limit") != NULL ||
		    mb_req_query(r, "wait") != NULL) {
			struct mb_buf qb = MB_BUF_INIT;
			const char *names[] = { "after", "limit", "wait" };

			for (int i = 0; i < 3; i++) {
				const char *v = mb_req_query(r, names[i]);

				if (v != NULL)
					mb_buf_printf(&qb, "%s%s=%s",
					    qb.len ? "&" : "", names[i], v);
			}
			snprintf(query, sizeof(query), "%s", mb_buf_cstr(&qb));
			mb_buf_free(&qb);
		}
		if (!signed_or_reply(r, query, caller))
			return;
		if (after < 0 || limit < 0 || wait < 0) {
			mb_resp_error(r, 400, "bad_request",
			    "after, limit and wait are non-negative integers");
			return;
		}
		if ((w = calloc(1, sizeof(*w))) == NULL) {
			mb_resp_error(r, 503, "nomem", "out of memory");
			return;
		}
		w->deadline = mb_time_mono_ms() + wait * 1000;
		snprintf(w->caller, sizeof(w->caller), "%s", caller);
		mb_req_set_data(r, w, free);
	}
	if ((st = mb_req_store_or_reply(r)) == NULL)
		return;
	mb_resp_private(r);
	if ((rc = mb_sync_log_build(st, w->caller, after,
	    limit == 0 ? 1000 : limit,
	    &body, &next, &count, &d)) != MB_OK) {
		mb_buf_free(&body);
		mb_resp_err(r, rc, &d);
		return;
	}
	if (count == 0 && next == after && mb_time_mono_ms() < w->deadline &&
	    !mb_http_stopping(mb_req_server(r))) {
		mb_buf_free(&body);
		mb_resp_wait(r, w->deadline);
		return;
	}
	snprintf(num, sizeof(num), "%lld", (long long)next);
	mb_resp_header(r, "Mb-Log-Next", num);
	/* Lets the puller tell a whole answer from one cut short. */
	snprintf(num, sizeof(num), "%zu", count);
	mb_resp_header(r, "Mb-Log-Count", num);
	snprintf(num, sizeof(num), "%lld", (long long)mb_sync_log_last(st));
	mb_resp_header(r, "Mb-Log-Last", num);
	snprintf(num, sizeof(num), "%lld",
	    (long long)mb_sync_registry_version(st));
	mb_resp_header(r, "Mb-Registry-Version", num);
	mb_resp_header(r, "Vary", "Accept-Encoding, Mb-Dict");
	/* With the network's dictionary when the puller holds it (dict.h). */
	if (mb_sync_compress_dict(mb_req_node(r)->conf.dir,
	    mb_req_header(r, "Accept-Encoding"), mb_req_header(r, "Mb-Dict"),
	    body.data, body.len, &z, &enc, dict) == MB_OK && enc != NULL) {
		mb_resp_header(r, "Content-Encoding", enc);
		if (dict[0] != '\0')
			mb_resp_header(r, "Mb-Dict", dict);
		mb_buf_free(&body);
		len = z.len;
		mb_resp_take(r, 200, "application/x-ndjson", mb_buf_steal(&z),
		    len);
		return;
	}
	mb_buf_free(&z);
	len = body.len;
	mb_resp_take(r, 200, "application/x-ndjson", mb_buf_steal(&body), len);
}

/* A wire dictionary this center holds, for a member (dict.h). */
static void
dict_get(struct mb_req *r)
{
	const char	*hash = mb_req_param(r, "hash");
	char		 caller[33], path[1200];
	struct stat	 sb;
	int		 fd;

	if (!signed_or_reply(r, NULL, caller))
		return;
	mb_resp_private(r);
	if (hash == NULL || !mb_sync_dict_have(mb_req_node(r)->conf.dir,
	    hash) || snprintf(path, sizeof(path), "%s/dicts/%s.zdict",
	    mb_req_node(r)->conf.dir, hash) >= (int)sizeof(path) ||
	    (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		mb_resp_error(r, 404, "not_found", "no dictionary %.64s",
		    hash != NULL ? hash : "");
		return;
	}
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		mb_resp_error(r, 500, "io", "dictionary %s: not a file", hash);
		return;
	}
	mb_resp_header(r, "Cache-Control", "max-age=31536000, immutable");
	mb_resp_file(r, 200, "application/octet-stream", fd, 0,
	    (uint64_t)sb.st_size);
}

static void
blob_get(struct mb_req *r)
{
	const char	*hash = mb_req_param(r, "hash");
	const char	*range;
	char		 path[1200], caller[33], cr[96];
	struct stat	 sb;
	uint64_t	 len, from, to;
	int		 fd, rr;

	if (!signed_or_reply(r, NULL, caller))
		return;
	mb_resp_private(r);
	if (hash == NULL || mb_sync_blob_path(&mb_req_node(r)->conf, hash,
	    path, sizeof(path)) != MB_OK) {
		mb_resp_error(r, 400, "bad_hash",
		    "a blob is named by its SHA-256, 64 lower-case hex digits");
		return;
	}
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		if (errno == ENOENT)
			mb_resp_error(r, 404, "not_found", "no blob %s", hash);
		else
			mb_resp_error(r, 500, "io", "blob %s: %s", hash,
			    strerror(errno));
		return;
	}
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		mb_resp_error(r, 500, "io", "blob %s: not a readable file",
		    hash);
		return;
	}
	len = (uint64_t)sb.st_size;
	mb_resp_header(r, "Accept-Ranges", "bytes");
	/* Not one bytes range (rr 0): the whole, as RFC 9110 allows. */
	if ((range = mb_req_header(r, "Range")) != NULL &&
	    (rr = mb_http_range(range, len, &from, &to)) != 0) {
		if (rr < 0) {
			/* No ETag or year-long caching on an error: a
			 * cache would keep this JSON as the blob. */
			close(fd);
			snprintf(cr, sizeof(cr), "bytes */%" PRIu64, len);
			mb_resp_header(r, "Content-Range", cr);
			mb_resp_error(r, 416, "range",
			    "range not satisfiable for %" PRIu64 " bytes", len);
			return;
		}
		mb_resp_header(r, "ETag", hash);
		mb_resp_header(r, "Cache-Control",
		    "max-age=31536000, immutable");
		snprintf(cr, sizeof(cr), "bytes %" PRIu64 "-%" PRIu64 "/%" PRIu64,
		    from, to, len);
		mb_resp_header(r, "Content-Range", cr);
		mb_resp_file(r, 206, "application/octet-stream", fd, from,
		    to - from + 1);
		return;
	}
	/* Streamed from the file, whatever its size (a video). */
	mb_resp_header(r, "ETag", hash);
	mb_resp_header(r, "Cache-Control", "max-age=31536000, immutable");
	mb_resp_file(r, 200, "application/octet-stream", fd, 0, len);
}

const struct mb_route mb_routes_federation[] = {
	{ "GET", "/federation/v1/center", center_info, 0, "fed.center" },
	{ "GET", "/federation/v1/registry", registry, 0, "fed.registry" },
	{ "GET", "/federation/v1/log", log_get, 0, "fed.log" },
	{ "GET", "/federation/v1/blobs/:hash", blob_get, 0, "fed.blob" },
	{ "GET", "/federation/v1/dicts/:hash", dict_get, 0, "fed.dict" },
	MB_ROUTES_END
};
