/* SPDX-License-Identifier: MIT */
/* The response side of the server: bodies, headers, errors, files. */
#include "server_int.h"

#include <string.h>

#include "base/log.h"
#include "base/timeutil.h"

/* ---------------------------------------------------------------- */
/* Responses                                                        */

/*
 * Whether HTTP can carry the header: a name of token characters, a value
 * without controls but HTAB (RFC 9110 §5.5). libmicrohttpd refuses a CR
 * or LF silently, and the answer went out without it (a 302 with no
 * Location, for a path with %0d%0a in it).
 */
static bool
header_ok(const char *name, const char *value)
{
	const unsigned char *p;

	if (name[0] == '\0')
		return false;
	for (p = (const unsigned char *)name; *p != '\0'; p++)
		if (*p <= 0x20 || *p >= 0x7f || strchr("\"(),/:;<=>?@[\\]{}",
		    *p) != NULL)
			return false;
	for (p = (const unsigned char *)value; *p != '\0'; p++)
		if ((*p < 0x20 && *p != '\t') || *p == 0x7f)
			return false;
	return true;
}

int
mb_resp_header(struct mb_req *r, const char *name, const char *value)
{
	if (!header_ok(name, value)) {
		/* The value is the client's, maybe a secret: not logged. */
		log_error("http: path=%s header=%.64s refused: not a header "
		    "HTTP can carry; answering 500", srv_logged_path(r), name);
		r->hdr_refused = true;
		return MB_ERR_INVAL;
	}
	if (r->nhdrs == MAX_HEADERS) {
		log_error("http: path=%s header=%.64s dropped: more than %d",
		    srv_logged_path(r), name, MAX_HEADERS);
		return MB_ERR_TOOBIG;
	}
	r->hdrs[r->nhdrs].name = strdup(name);
	r->hdrs[r->nhdrs].value = strdup(value);
	if (r->hdrs[r->nhdrs].name == NULL ||
	    r->hdrs[r->nhdrs].value == NULL) {
		free(r->hdrs[r->nhdrs].name);
		free(r->hdrs[r->nhdrs].value);
		return MB_ERR_NOMEM;
	}
	r->nhdrs++;
	return MB_OK;
}

void
mb_resp_take(struct mb_req *r, unsigned status, const char *ctype,
    char *data, size_t len)
{
	if (r->answered) {
		free(data);
		return;
	}
	r->answered = true;
	r->wait = false;
	r->status = status;
	snprintf(r->ctype, sizeof(r->ctype), "%s", ctype ? ctype : "");
	r->rbody = data;
	r->rlen = data != NULL ? len : 0;
}

void
mb_resp_file(struct mb_req *r, unsigned status, const char *ctype, int fd,
    uint64_t offset, uint64_t len)
{
	if (r->answered) {
		close(fd);
		return;
	}
	mb_resp_take(r, status, ctype, NULL, 0);
	r->rfd = fd;
	r->roff = offset;
	r->rlen = (size_t)len;
}

void
mb_resp_bytes(struct mb_req *r, unsigned status, const char *ctype,
    const void *data, size_t len)
{
	char *p = malloc(len + 1);

	if (p == NULL) {
		mb_resp_take(r, 503, NULL, NULL, 0);
		return;
	}
	memcpy(p, data, len);
	p[len] = '\0';
	mb_resp_take(r, status, ctype, p, len);
}

void
mb_resp_json(struct mb_req *r, unsigned status, json_t *v)
{
	char *s = v != NULL ? json_dumps(v, JSON_COMPACT) : NULL;

	json_decref(v);
	if (s == NULL) {
		mb_resp_take(r, 503, NULL, NULL, 0);
		return;
	}
	mb_resp_take(r, status, "application/json", s, strlen(s));
}

void
mb_resp_empty(struct mb_req *r, unsigned status)
{
	mb_resp_take(r, status, NULL, NULL, 0);
}

void
mb_resp_error(struct mb_req *r, unsigned status, const char *code,
    const char *fmt, ...)
{
	char	msg[600];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	mb_resp_private(r);
	mb_resp_json(r, status, json_pack("{s:{s:s, s:s}}", "error", "code",
	    code, "message", msg));
}

void
mb_resp_err(struct mb_req *r, int err, const struct mb_diag *d)
{
	static const struct {
		int		 err;
		unsigned	 status;
		const char	*code;
	} map[] = {
		{ MB_ERR_INVAL, 400, "invalid" },
		{ MB_ERR_NOTFOUND, 404, "not_found" },
		{ MB_ERR_EXISTS, 409, "exists" },
		{ MB_ERR_CONFLICT, 412, "stale_version" },
		{ MB_ERR_PERM, 403, "forbidden" },
		{ MB_ERR_TOOBIG, 413, "too_large" },
		{ MB_ERR_SIG, 400, "bad_signature" },
		{ MB_ERR_AGAIN, 503, "busy" },
		{ MB_ERR_UNSUPPORTED, 400, "unsupported" },
		/* RFC 4918's: the request may work once space is freed. */
		{ MB_ERR_NOSPACE, 507, "insufficient_storage" },
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (map[i].err == err) {
			if (map[i].status == 503 || map[i].status == 507)
				mb_resp_header(r, "Retry-After", "1");
			mb_resp_error(r, map[i].status, map[i].code, "%s",
			    mb_diag_msg(d, err));
			return;
		}
	log_error("http: path=%s error: %s", srv_logged_path(r),
	    mb_diag_msg(d, err));
	mb_resp_error(r, 500, "internal", "internal error: %s",
	    mb_strerror(err));
}

void
mb_resp_etag_tag(struct mb_req *r, const char *tag)
{
	snprintf(r->etag_tag, sizeof(r->etag_tag), "%s", tag);
}

void
mb_resp_private(struct mb_req *r)
{
	r->priv = true;
}

void
mb_resp_costly(struct mb_req *r)
{
	r->costly = true;
}

void
mb_resp_see_other(struct mb_req *r, const char *to)
{
	mb_resp_header(r, "Location", to);
	mb_resp_private(r);
	mb_resp_bytes(r, 303, "text/plain; charset=utf-8", to, strlen(to));
}

void
mb_resp_cache_ttl(struct mb_req *r, int64_t ms)
{
	r->ttl_ms = ms;
}

void
mb_resp_wait(struct mb_req *r, int64_t mono_deadline_ms)
{
	if (r->answered)
		return;
	r->wait = true;
	r->wake_only = false;
	r->deadline = mono_deadline_ms;
}

void
mb_resp_wait_wake(struct mb_req *r, int64_t mono_deadline_ms)
{
	mb_resp_wait(r, mono_deadline_ms);
	if (r->wait)
		r->wake_only = true;
}

void
mb_resp_stream(struct mb_req *r, unsigned status, const char *ctype,
    uint64_t len, mb_resp_read_fn read, void *arg, void (*done)(void *arg))
{
	struct stream *sh;

	if (r->answered || (sh = calloc(1, sizeof(*sh))) == NULL) {
		done(arg);
		if (!r->answered)
			mb_resp_take(r, 503, NULL, NULL, 0);
		return;
	}
	sh->r = r;
	sh->read = read;
	sh->arg = arg;
	sh->done = done;
	mb_resp_take(r, status, ctype, NULL, 0);
	r->stream = sh;
	r->rlen = (size_t)len;
}

