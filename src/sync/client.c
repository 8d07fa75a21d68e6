/* SPDX-License-Identifier: MIT */
/* The puller's HTTP client (libcurl): GETs with timeouts, size limits, signed requests, progress and cancel. */
#include "puller_int.h"


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
		 * batch size is what pl_batch_fit() changes.
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

int
pl_client_init(struct client *c, const struct mb_center_node *n,
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

void
pl_client_free(struct client *c)
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


void
pl_curl_init(void)
{
	pthread_once(&curl_once, curl_start);
}
