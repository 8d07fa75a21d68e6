/* SPDX-License-Identifier: MIT */
/*
 * The puller's side of the HTTP client (src/httpc): signed GETs of a
 * peer, its Mb-Log-* headers, and cancel when the exchange stops.
 */
#include "puller_int.h"

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

/* "Name: value" into out (n bytes) when line is that header. */
static void
header_text(const char *line, size_t len, const char *name, char *out,
    size_t n)
{
	size_t	k = strlen(name), i = 0;

	if (len <= k || strncasecmp(line, name, k) != 0 || line[k] != ':')
		return;
	line += k + 1;
	len -= k + 1;
	while (len > 0 && *line == ' ') {
		line++;
		len--;
	}
	while (len > 0 && i + 1 < n && *line != ' ' && *line != '\r') {
		out[i++] = *line++;
		len--;
	}
	out[i] = '\0';
}

/* "Content-Range: bytes FROM-TO/TOTAL" into r (a blob's answer). */
static void
content_range(const char *line, size_t len, struct response *r)
{
	char		buf[128];
	long long	from, to, total;

	if (len <= 14 || len >= sizeof(buf) ||
	    strncasecmp(line, "Content-Range:", 14) != 0)
		return;
	memcpy(buf, line + 14, len - 14);
	buf[len - 14] = '\0';
	if (sscanf(buf, " bytes %lld-%lld/%lld", &from, &to, &total) == 3 &&
	    from >= 0 && to >= from && total > to) {
		r->range_from = from;
		r->range_total = total;
	}
}

/* What on_header and headers_done need: the answer, the link's cap. */
struct hdr_ctx {
	struct response	*r;
	const char	*base;
	int64_t		 max_rate;	/* 0: not capped */
	bool		 text;		/* mb_sync_blob_text_begin said */
};

/*
 * At the end of the headers: a batch of the log big enough to take
 * more than two seconds of its capped link goes first, ahead of the
 * background fetcher's originals (blob.h); a smaller one shares the
 * link rather than cost the fetcher a new request.
 */
static void
headers_done(void *arg)
{
	struct hdr_ctx	*h = arg;
	struct response	*r = h->r;

	if (h->max_rate <= 0 || h->text || r->log_count <= 0 ||
	    (r->length >= 0 && r->length < 2 * h->max_rate))
		return;
	mb_sync_blob_text_begin(h->base);
	h->text = true;
}

/* Mb-Log-* and Mb-Registry-Version, where the answer has them. */
static void
on_header(const char *p, size_t len, void *arg)
{
	struct hdr_ctx	*h = arg;
	struct response	*r = h->r;
	int64_t		 v;

	/* A new answer (after a 100 or a redirect) forgets the last's. */
	if (len >= 5 && strncmp(p, "HTTP/", 5) == 0) {
		r->encoding[0] = '\0';
		r->dict[0] = '\0';
		r->range_from = r->range_total = r->length = -1;
	}
	content_range(p, len, r);
	if ((v = header_int(p, len, "Content-Length")) >= 0)
		r->length = v;
	header_text(p, len, "Content-Encoding", r->encoding,
	    sizeof(r->encoding));
	header_text(p, len, "Mb-Dict", r->dict, sizeof(r->dict));

	if ((v = header_int(p, len, "Mb-Log-Next")) >= 0)
		r->log_next = v;
	else if ((v = header_int(p, len, "Mb-Log-Last")) >= 0)
		r->log_last = v;
	else if ((v = header_int(p, len, "Mb-Log-Count")) >= 0)
		r->log_count = v;
	else if ((v = header_int(p, len, "Mb-Registry-Version")) >= 0)
		r->registry_version = v;
}

static bool
cancelled(void *arg)
{
	struct client *cl = arg;

	return (cl->stop != NULL && atomic_load(cl->stop)) ||
	    (cl->gone != NULL && atomic_load(cl->gone)) ||
	    atomic_load(&cl->cancel);
}

/* Splits "http://host:port/prefix" into authority and path prefix. */
int
pl_split_url(const char *url, char *authority, size_t an, char *prefix,
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
int
pl_http_get_h(struct client *c, const char *base, const char *path,
    const char *query, int timeout_s, bool sign, const char *extra,
    struct response *r, struct mb_diag *d)
{
	struct mb_sync_req	 req;
	struct mb_httpc_req	 hr;
	struct mb_httpc_resp	 hresp;
	enum mb_httpc_fail	 why;
	struct hdr_ctx		 hctx = { NULL, NULL, 0, false };
	struct mb_diag		 hd;
	struct mb_buf		 url = MB_BUF_INIT, full = MB_BUF_INIT;
	struct mb_buf		 si = MB_BUF_INIT, sg = MB_BUF_INIT;
	struct mb_buf		 host = MB_BUF_INIT, sil = MB_BUF_INIT;
	struct mb_buf		 sgl = MB_BUF_INIT, dl = MB_BUF_INIT;
	const char		*hdrs[8];
	char			 authority[256], prefix[256], dh[65];
	int64_t			 dv;
	int			 nh = 0, rc;

	memset(r, 0, sizeof(*r));
	r->range_from = r->range_total = r->length = -1;
	r->log_next = -1;
	r->log_last = -1;
	r->log_count = -1;
	r->registry_version = -1;
	c->cut = false;
	c->wire = 0;
	if (pl_split_url(base, authority, sizeof(authority), prefix,
	    sizeof(prefix)) != MB_OK)
		return mb_diag_set(d, MB_ERR_INVAL, "%s: not an http URL",
		    base);
	rc = MB_ERR_NOMEM;
	if (mb_buf_printf(&full, "%s%s", prefix, path) != MB_OK ||
	    mb_buf_printf(&url, "%.*s%s%s%s%s", (int)(strstr(base, "://") -
	    base + 3), base, authority, mb_buf_cstr(&full), query != NULL ?
	    "?" : "", query != NULL ? query : "") != MB_OK)
		goto out;
	/* The authority signed is the one sent (lower case). */
	if (mb_buf_printf(&host, "Host: %s", authority) != MB_OK)
		goto out;
	hdrs[nh++] = mb_buf_cstr(&host);
	if (extra != NULL)
		hdrs[nh++] = extra;
	/*
	 * Decoded here, not by libcurl: an answer compressed with the
	 * network's dictionary (dict.h) is a zstd frame libcurl cannot read.
	 */
	if (c->sink == NULL)
		hdrs[nh++] = "Accept-Encoding: zstd, gzip";
	if (c->sink == NULL &&
	    mb_sync_dict_current(c->node->conf.dir, &dv, dh, NULL) == MB_OK &&
	    mb_sync_dict_have(c->node->conf.dir, dh)) {
		rc = MB_ERR_NOMEM;
		if (mb_buf_printf(&dl, "Mb-Dict: %s", dh) != MB_OK)
			goto out;
		hdrs[nh++] = mb_buf_cstr(&dl);
	}
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
		rc = MB_ERR_NOMEM;
		if (mb_buf_printf(&sil, "Signature-Input: %s", si.data) !=
		    MB_OK || mb_buf_printf(&sgl, "Signature: %s", sg.data) !=
		    MB_OK)
			goto out;
		hdrs[nh++] = mb_buf_cstr(&sil);
		hdrs[nh++] = mb_buf_cstr(&sgl);
	}
	hdrs[nh] = NULL;
	memset(&hr, 0, sizeof(hr));
	hr.url = mb_buf_cstr(&url);
	hr.headers = hdrs;
	hr.max_answer = BODY_MAX;
	hr.accept_encoding = NULL;	/* sent above; decoded below */
	hr.on_header = on_header;
	hr.on_headers_end = headers_done;
	hctx.r = r;
	hctx.base = base;
	hctx.max_rate = c->line != NULL ? c->max_rate : 0;
	hr.header_arg = &hctx;
	hr.on_body = c->sink;
	hr.body_arg = c->sink_arg;
	hr.connect_timeout_ms = 5000;
	/*
	 * A slow link is not a dead one: give up when fewer than 256
	 * bytes/s came for the whole long-poll wait plus 30 s, not after a
	 * fixed time (a 1.7 MB batch takes minutes at 64 kbit/s). The hard
	 * cap only ends a request that trickles forever; a failed transfer
	 * makes the next batches smaller (pl_batch_fit).
	 */
	hr.low_speed_bytes = 256;
	hr.low_speed_s = timeout_s + 30;
	/* The link's cap (link.h); the slowest it may go stays above it. */
	hr.max_recv_bytes_s = c->max_rate;
	hr.line = c->line;
	if (c->max_rate > 0 && c->max_rate < 512)
		hr.low_speed_bytes = c->max_rate / 2;
	/* A shared line gives each of its (at most four) transfers less. */
	if (c->line != NULL && c->max_rate > 0 && hr.low_speed_bytes >
	    c->max_rate / 8)
		hr.low_speed_bytes = c->max_rate / 8 > 0 ? c->max_rate / 8 : 1;
	hr.timeout_ms = (timeout_s + 900) * 1000;
	mb_diag_clear(&hd);
	rc = mb_httpc_do(c->http, &hr, &hresp, &why, &hd);
	if (hctx.text)
		mb_sync_blob_text_end(base);
	if (rc != MB_OK) {
		/*
		 * Cut short by the link (not refused or unreachable): the
		 * batch size is what pl_batch_fit() changes.
		 */
		c->cut = why == MB_HTTPC_TOOBIG || why == MB_HTTPC_TIMEOUT ||
		    why == MB_HTTPC_CUT;
		/* The sink said why (sink_arg's); the link worked. */
		if (why == MB_HTTPC_SINK) {
			rc = MB_ERR_CORRUPT;
			goto out;
		}
		if (rc != MB_ERR_NOMEM)
			rc = mb_diag_set(d, rc, "%s: %s", base,
			    why == MB_HTTPC_TOOBIG ? "response too large" :
			    hd.msg);
		goto out;
	}
	r->status = hresp.status;
	r->body = hresp.body;
	if (c->sink == NULL && r->encoding[0] != '\0' &&
	    strcmp(r->encoding, "identity") != 0) {
		struct mb_buf plain = MB_BUF_INIT;

		if ((rc = mb_sync_decode(c->node->conf.dir, r->encoding,
		    r->dict, r->body.data, r->body.len, BODY_MAX, &plain,
		    d)) != MB_OK) {
			mb_buf_free(&plain);
			mb_buf_free(&r->body);
			/* A frame that does not decode: a transfer gone bad. */
			c->cut = rc == MB_ERR_CORRUPT;
			mb_diag_prefix(d, "%s", base);
			rc = MB_ERR_NET;
			goto out;
		}
		mb_buf_free(&r->body);
		r->body = plain;
	}
	r->wire_bytes = hresp.wire_bytes;
	c->wire = hresp.wire_bytes;
	snprintf(r->content_type, sizeof(r->content_type), "%s",
	    hresp.content_type);
	rc = MB_OK;
out:
	mb_buf_free(&url);
	mb_buf_free(&full);
	mb_buf_free(&si);
	mb_buf_free(&sg);
	mb_buf_free(&host);
	mb_buf_free(&sil);
	mb_buf_free(&sgl);
	mb_buf_free(&dl);
	return rc;
}

int
pl_http_get(struct client *c, const char *base, const char *path,
    const char *query, int timeout_s, bool sign, struct response *r,
    struct mb_diag *d)
{
	return pl_http_get_h(c, base, path, query, timeout_s, sign, NULL, r, d);
}

/* A non-200 answer as an error: "HTTP 403: <the server's message>". */
int
pl_status_error(const char *base, const struct response *r, struct mb_diag *d)
{
	json_t		*j;
	const char	*msg = NULL, *code;
	int		 rc;

	/*
	 * Only an error's size is read as one: a peer (or whoever answers
	 * for it) could send a 512 MiB body that a tree would make tens of
	 * GB.
	 */
	j = r->body.len <= 65536 ? json_loadb(r->body.data != NULL ?
	    r->body.data : "", r->body.len, 0, NULL) : NULL;
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

int
pl_client_init(struct client *c, const struct mb_center_node *n,
    atomic_int *stop, atomic_int *gone)
{
	/* Peers are named by the operator or the registry: the LAN is fine. */
	struct mb_httpc_opts o = {
		.user_agent = "mediabridge/sync",
		.allow_private = true,
		.cancelled = cancelled,
		.cancel_arg = c,
	};

	c->node = n;
	c->stop = stop;
	c->gone = gone;
	atomic_init(&c->cancel, 0);
	c->cut = false;
	c->max_rate = 0;
	c->line = NULL;
	c->wire = 0;
	c->sink = NULL;
	c->sink_arg = NULL;
	return mb_httpc_new(&o, &c->http);
}

void
pl_client_free(struct client *c)
{
	mb_httpc_free(c->http);
	c->http = NULL;
}

void
pl_curl_init(void)
{
	mb_httpc_global_init();
}
