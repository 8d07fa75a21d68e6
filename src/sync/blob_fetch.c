/* SPDX-License-Identifier: MIT */
/*
 * One blob fetched from a center: the body written to <hash>.part as it
 * arrives (a video is never held whole in memory), resumed with Range
 * from what the .part holds, checked against its hash, then moved into
 * place.
 */
#include <fcntl.h>

#include "puller_int.h"

/* The most of an error answer's body kept (its message). */
#define ERROR_BODY_MAX (64 * 1024)

/* The transfer in hand: where its body goes. */
struct sink {
	const char			*part;
	const struct mb_sync_blob_watch	*w;
	struct response			*r;
	int				 fd;	/* -1 until the body starts */
	int64_t				 have;	/* in the .part when asked */
	int64_t				 written; /* in the .part now */
	bool				 begun;
	int				 err;	/* MB_OK, or why it stopped */
	char				 why[200];
};

/* Refuses the transfer: err and a reason for the log. */
static bool
sink_fail(struct sink *k, int err, const char *why)
{
	k->err = err;
	snprintf(k->why, sizeof(k->why), "%s", why);
	return false;
}

/*
 * The body's first bytes (or its end, when it has none): where they go
 * in the .part. A 206 must go on from what the .part holds; a 200 starts
 * it again.
 */
static bool
sink_begin(struct sink *k, long status)
{
	const struct mb_sync_blob_watch	*w = k->w;
	int64_t				 kept, total;
	char				 why[160];

	k->begun = true;
	if (k->r->encoding[0] != '\0' && strcmp(k->r->encoding, "identity") !=
	    0)
		return sink_fail(k, MB_ERR_NET, "a compressed blob (not asked "
		    "for)");
	if (status == 206) {
		if (k->r->range_from != k->have)
			return sink_fail(k, MB_ERR_NET, "the answer's range does "
			    "not start where the .part ends");
		kept = k->have;
		total = k->r->range_total;
	} else {
		kept = 0;
		total = k->r->length;
	}
	if (w != NULL && w->expect >= 0 && total >= 0 && total != w->expect) {
		snprintf(why, sizeof(why), "the center says %lld bytes, the "
		    "item %lld", (long long)total, (long long)w->expect);
		return sink_fail(k, MB_ERR_CORRUPT, why);
	}
	if (w != NULL && w->expect >= 0 && kept > w->expect)
		return sink_fail(k, MB_ERR_CORRUPT, "the .part is longer than "
		    "the blob");
	if ((k->fd = open(k->part, O_WRONLY | O_CREAT | O_CLOEXEC |
	    (status == 206 ? O_APPEND : O_TRUNC), 0644)) < 0)
		return sink_fail(k, MB_ERR_IO, strerror(errno));
	k->written = kept;
	if (w != NULL && w->begin != NULL)
		w->begin(w->arg, kept, total >= 0 ? total : w->expect);
	return true;
}

static bool
sink_body(long status, const char *p, size_t len, void *arg)
{
	struct sink	*k = arg;
	ssize_t		 n;

	if (status != 200 && status != 206) {
		/* An error's message, for pl_status_error(). */
		if (k->r->body.len + len <= ERROR_BODY_MAX &&
		    mb_buf_append(&k->r->body, p, len) != MB_OK)
			return sink_fail(k, MB_ERR_NOMEM, "out of memory");
		return true;
	}
	if (!k->begun && !sink_begin(k, status))
		return false;
	if (k->fd < 0)
		return sink_fail(k, MB_ERR_IO, "no .part to write to");
	if (k->w != NULL && k->w->expect >= 0 &&
	    k->written + (int64_t)len > k->w->expect)
		return sink_fail(k, MB_ERR_CORRUPT, "the body is longer than "
		    "the item says");
	while (len > 0) {
		if ((n = write(k->fd, p, len)) < 0) {
			if (errno == EINTR)
				continue;
			return sink_fail(k, MB_ERR_IO, strerror(errno));
		}
		p += n;
		len -= (size_t)n;
		k->written += n;
	}
	if (k->w != NULL && k->w->grew != NULL)
		k->w->grew(k->w->arg, k->written);
	return true;
}

int
mb_sync_blob_fetch(const struct mb_center_node *n, const char *base,
    const char *hash, bool *answered, struct mb_diag *d)
{
	return mb_sync__blob_fetch(n, base, hash, 0, NULL, NULL, answered,
	    NULL, NULL, d);
}

int
mb_sync__blob_fetch(const struct mb_center_node *n, const char *base,
    const char *hash, int64_t max_rate, struct mb_httpc_line *line,
    int64_t *wire, bool *answered, bool *progressed,
    const struct mb_sync_blob_watch *w, struct mb_diag *d)
{
	struct client	 c;
	struct response	 r;
	struct sink	 k;
	struct stat	 sb;
	char		 path[1200], part[1300], dir[1200], range[64];
	char		 urlpath[128];
	off_t		 have = 0;
	int		 rc;

	if (mb_sync_blob_path(&n->conf, hash, path, sizeof(path)) != MB_OK)
		return mb_diag_set(d, MB_ERR_INVAL, "%s: not a blob hash",
		    hash);
	if (access(path, F_OK) == 0)
		return MB_OK;
	snprintf(dir, sizeof(dir), "%s", path);
	*strrchr(dir, '/') = '\0';
	if ((rc = mb_fs_mkdirs(dir, 0755, d)) != MB_OK)
		return rc;
	snprintf(part, sizeof(part), "%s.part", path);
	if (stat(part, &sb) == 0)
		have = sb.st_size;
	if (w != NULL && w->expect >= 0 && have > w->expect) {
		/* Longer than the blob: nothing in it can be right. */
		unlink(part);
		have = 0;
	}
	snprintf(range, sizeof(range), "Range: bytes=%lld-", (long long)have);
	snprintf(urlpath, sizeof(urlpath), "/federation/v1/blobs/%s", hash);
	memset(&k, 0, sizeof(k));
	k.part = part;
	k.w = w;
	k.r = &r;
	k.fd = -1;
	k.have = have;
	pl_curl_init();
	if ((rc = pl_client_init(&c, n, w != NULL ? w->stop : NULL, NULL)) !=
	    MB_OK)
		return rc;
	c.max_rate = max_rate;
	c.line = line;
	c.sink = sink_body;
	c.sink_arg = &k;
	rc = pl_http_get_h(&c, base, urlpath, NULL, 300, true,
	    have > 0 ? range : NULL, &r, d);
	if (wire != NULL)
		*wire += c.wire;
	pl_client_free(&c);
	/* An answer with no body at all: its status alone. */
	if (rc == MB_OK && !k.begun && (r.status == 200 || r.status == 206))
		(void)sink_begin(&k, r.status);
	if (k.fd >= 0 && close(k.fd) != 0 && k.err == MB_OK) {
		k.err = MB_ERR_IO;
		snprintf(k.why, sizeof(k.why), "%s", strerror(errno));
	}
	if (k.err != MB_OK) {
		/* Refused here, not cut by the link: the center answered. */
		if (answered != NULL)
			*answered = true;
		if (k.err == MB_ERR_CORRUPT)
			unlink(part);
		mb_buf_free(&r.body);
		return mb_diag_set(d, k.err, "%s: blob %.12s…: %s", base, hash,
		    k.why);
	}
	if (rc != MB_OK) {
		/*
		 * Cut short: the .part keeps what came, to resume from. When
		 * bytes came, the center answered and the try got somewhere:
		 * the link dropped, which is no reason to leave the center
		 * alone, nor to wait longer before the next piece.
		 */
		if (k.written > k.have) {
			if (answered != NULL)
				*answered = true;
			if (progressed != NULL)
				*progressed = true;
		}
		mb_buf_free(&r.body);
		return rc;
	}
	if (answered != NULL)
		*answered = true;
	if (r.status != 200 && r.status != 206) {
		rc = r.status == 416 ? MB_ERR_CORRUPT : pl_status_error(base, &r,
		    d);
		if (r.status == 416) {
			unlink(part);
			mb_diag_set(d, rc, "%s: blob %.12s…: the .part is not a "
			    "beginning of it", base, hash);
		}
		mb_buf_free(&r.body);
		return rc;
	}
	mb_buf_free(&r.body);
	if ((rc = mb_sync_blob_check(part, hash, d)) != MB_OK) {
		unlink(part);
		return rc;
	}
	if (rename(part, path) != 0)
		return mb_diag_set(d, MB_ERR_IO, "%s: %s", path,
		    strerror(errno));
	return MB_OK;
}
