/* SPDX-License-Identifier: MIT */
/* Media over HTTP: POST /api/v1/media (uploads) and GET /media/<hash> (serving). */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/log.h"
#include "base/timeutil.h"
#include "http/form.h"
#include "http/http.h"
#include "http/range.h"
#include "http_int.h"
#include "media/media.h"
#include "media/sandbox.h"
#include "sync/apply.h"
#include "sync/blob.h"
#include "sync/blob_live.h"
#include "sync/link.h"

/* The most one range answer carries (players ask again for the rest). */
#define RANGE_MAX ((int64_t)8 * 1024 * 1024)

/* ---- Upload -------------------------------------------------------- */

/* An upload's status and error code for an mb_media error. */
unsigned
mb_http_upload_status(int rc, const char **code)
{
	switch (rc) {
	case MB_ERR_UNSUPPORTED:
		*code = "unsupported_media_type";
		return 415;
	case MB_ERR_TOOBIG:
		*code = "too_large";
		return 413;
	case MB_ERR_INVAL:
		*code = "bad_media";
		return 422;
	case MB_ERR_NOMEM:
	case MB_ERR_AGAIN:
		*code = "busy";
		return 503;
	default:
		*code = "internal";
		return 500;
	}
}

/*
 * The bytes of the request: the body, or the file part of a multipart
 * form. false when a form has no complete file part.
 */
bool
mb_http_upload_bytes(struct mb_req *r, const char **data, size_t *len)
{
	const char	*ct = mb_req_header(r, "Content-Type");
	char		 boundary[80];

	*data = mb_req_body(r, len);
	if (ct != NULL && strncasecmp(ct, "multipart/form-data", 19) == 0)
		return mb_multipart_boundary(ct, boundary, sizeof(boundary)) &&
		    mb_multipart_file(*data, *len, boundary, data, len);
	return true;
}

/*
 * Makes and saves the renditions; on success *out gets the answer
 * ({"type", "contentType", "sizeInBytes", "renditions", "urls"}, a new
 * reference).
 */
int
mb_http_media_ingest(struct mb_req *r, struct mb_store *st, const char *data,
    size_t len, json_t **out, struct mb_diag *d)
{
	const struct mb_center_node	*n = mb_req_node(r);
	struct mb_media_limits		 l;
	struct mb_media_set		 s;
	json_t				*o, *rends, *urls;
	int				 rc;

	mb_media_limits_default(&l);
	/*
	 * serve decodes in its sandbox (media/sandbox.h); tests may not. A
	 * body spooled whole to a file (spool.c) goes from the file.
	 */
	if (mb_req_media(r) != NULL && mb_req_body_fd(r, data, len) >= 0)
		rc = mb_media_sandbox_make_fd(mb_req_media(r),
		    mb_req_body_fd(r, data, len), len, &l, &s, d);
	else if (mb_req_media(r) != NULL)
		rc = mb_media_sandbox_make(mb_req_media(r), data, len, &l, &s,
		    d);
	else
		rc = mb_media_make(data, len, &l, &s, d);
	if (rc != MB_OK)
		return rc;
	rc = mb_media_save(n->conf.dir, st, &s, mb_time_now_ms(), d);
	mb_media_set_free(&s);
	if (rc != MB_OK)
		return rc;
	log_info("media: upload user=%s type=%s bytes=%zu renditions=%zu",
	    mb_req_user(r) != NULL ? mb_req_user(r)->name : "-",
	    s.type->name, len, s.n);
	if ((rends = mb_media_set_json(&s)) == NULL ||
	    (urls = json_array()) == NULL) {
		json_decref(rends);
		return mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
	}
	/* Where each rendition is served here, in the same order. */
	for (size_t i = 0; i < s.n; i++) {
		char url[96];

		snprintf(url, sizeof(url), "/media/%s", s.r[i].hash);
		json_array_append_new(urls, json_string(url));
	}
	/* json_pack "o" steals rends and urls. */
	if ((o = json_pack("{s:s, s:s, s:I, s:o, s:o}", "type",
	    mb_media_kind_name(s.type->kind), "contentType", s.type->mime,
	    "sizeInBytes", (json_int_t)len, "renditions", rends, "urls",
	    urls)) == NULL)
		return mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
	*out = o;
	return MB_OK;
}

static void
upload(struct mb_req *r)
{
	const char	*data, *code;
	struct mb_store	*st;
	struct mb_diag	 d = { "" };
	size_t		 len;
	json_t		*out;
	unsigned	 status;
	int		 rc;

	mb_resp_private(r);
	if (mb_req_role(r) == MB_ROLE_NONE) {
		mb_resp_error(r, 401, "unauthorized", "uploading media needs "
		    "an account (a bearer token or a session)");
		return;
	}
	if (mb_req_role(r) < MB_ROLE_JOURNALIST) {
		mb_resp_error(r, 403, "forbidden", "uploading media is for "
		    "journalists, editors and admins");
		return;
	}
	if (!mb_http_upload_bytes(r, &data, &len)) {
		mb_resp_error(r, 400, "bad_multipart", "the form has no "
		    "complete file part");
		return;
	}
	if (len == 0) {
		mb_resp_error(r, 400, "empty", "the upload is empty");
		return;
	}
	if ((st = mb_req_store_or_reply(r)) == NULL)
		return;
	if ((rc = mb_http_media_ingest(r, st, data, len, &out, &d)) != MB_OK) {
		status = mb_http_upload_status(rc, &code);
		if (status >= 500)
			log_error("media: upload: %s", mb_diag_msg(&d, rc));
		mb_resp_error(r, status, code, "%s", mb_diag_msg(&d, rc));
		return;
	}
	mb_resp_header(r, "Location", json_string_value(json_array_get(
	    json_object_get(out, "urls"), 0)));
	mb_resp_json(r, 201, out);
}

/* ---- The newsroom's upload page (no JavaScript) ---------------------- */

static void
html_escape(struct mb_buf *b, const char *s)
{
	for (; *s; s++)
		switch (*s) {
		case '<':
			mb_buf_puts(b, "&lt;");
			break;
		case '>':
			mb_buf_puts(b, "&gt;");
			break;
		case '&':
			mb_buf_puts(b, "&amp;");
			break;
		case '"':
			mb_buf_puts(b, "&quot;");
			break;
		case '\'':
			mb_buf_puts(b, "&#39;");
			break;
		default:
			mb_buf_putc(b, *s);
		}
}

static void
page_head(struct mb_buf *b, const char *title)
{
	mb_buf_puts(b, "<!doctype html><html lang=\"en\"><head>"
	    "<meta charset=\"utf-8\"><meta name=\"viewport\" "
	    "content=\"width=device-width\"><title>");
	html_escape(b, title);
	mb_buf_puts(b, "</title></head><body><h1>");
	html_escape(b, title);
	mb_buf_puts(b, "</h1>");
}

static void
page_form(struct mb_buf *b, const struct mb_http_user *u)
{
	mb_buf_puts(b, "<form method=\"post\" action=\"/newsroom/media\" "
	    "enctype=\"multipart/form-data\"><input type=\"hidden\" "
	    "name=\"csrf\" value=\"");
	html_escape(b, u->csrf);
	mb_buf_puts(b, "\"><p><input type=\"file\" name=\"file\" required "
	    "accept=\"image/*,video/*,audio/*,application/pdf\"></p>"
	    "<p><button>Upload</button></p></form>"
	    "<p>Pictures are resized and lose their EXIF, GPS and XMP data; "
	    "give the caption and credit in the item.</p>"
	    "<p><a href=\"/newsroom/\">Back to the newsroom</a></p>");
}

/* The page's user, or NULL after answering (login, or not allowed). */
static const struct mb_http_user *
page_user_or_reply(struct mb_req *r)
{
	const struct mb_http_user *u = mb_req_user(r);

	mb_resp_private(r);
	if (u == NULL || !u->session) {
		mb_resp_header(r, "Location", "/newsroom/login");
		mb_resp_empty(r, 303);
		return NULL;
	}
	if (u->role < MB_ROLE_JOURNALIST) {
		mb_resp_error(r, 403, "forbidden", "uploading media is for "
		    "journalists, editors and admins");
		return NULL;
	}
	return u;
}

static void
page_get(struct mb_req *r)
{
	const struct mb_http_user	*u;
	struct mb_buf			 b = MB_BUF_INIT;
	size_t				 len;

	if ((u = page_user_or_reply(r)) == NULL)
		return;
	page_head(&b, "Upload media");
	page_form(&b, u);
	mb_buf_puts(&b, "</body></html>\n");
	len = b.len;
	mb_resp_take(r, 200, "text/html; charset=utf-8", mb_buf_steal(&b),
	    len);
}

static void
page_post(struct mb_req *r)
{
	const struct mb_http_user	*u;
	const char			*data, *code;
	struct mb_store			*st;
	struct mb_buf			 b = MB_BUF_INIT;
	struct mb_diag			 d = { "" };
	size_t				 len, i;
	json_t				*out = NULL, *x;
	unsigned			 status = 201;
	char				*js;
	int				 rc;

	if ((u = page_user_or_reply(r)) == NULL)
		return;
	if ((st = mb_req_store_or_reply(r)) == NULL)
		return;
	if (!mb_http_upload_bytes(r, &data, &len) || len == 0) {
		rc = mb_diag_set(&d, MB_ERR_INVAL, "choose a file to upload");
		status = 400;
	} else if ((rc = mb_http_media_ingest(r, st, data, len, &out, &d)) !=
	    MB_OK)
		status = mb_http_upload_status(rc, &code);
	page_head(&b, rc == MB_OK ? "Uploaded" : "Not uploaded");
	if (rc != MB_OK) {
		mb_buf_puts(&b, "<p role=\"alert\">");
		html_escape(&b, mb_diag_msg(&d, rc));
		mb_buf_puts(&b, "</p>");
	} else {
		mb_buf_puts(&b, "<ul>");
		json_array_foreach(json_object_get(out, "renditions"), i, x) {
			const char *url = json_string_value(json_array_get(
			    json_object_get(out, "urls"), i));

			mb_buf_puts(&b, "<li><a href=\"");
			html_escape(&b, url);
			mb_buf_puts(&b, "\">");
			html_escape(&b, json_string_value(json_object_get(x,
			    "name")));
			mb_buf_printf(&b, "</a> %s, %lld bytes",
			    json_string_value(json_object_get(x,
			    "contentType")), (long long)json_integer_value(
			    json_object_get(x, "sizeInBytes")));
			if (json_object_get(x, "width") != NULL)
				mb_buf_printf(&b, ", %lld x %lld",
				    (long long)json_integer_value(
				    json_object_get(x, "width")),
				    (long long)json_integer_value(
				    json_object_get(x, "height")));
			mb_buf_puts(&b, "</li>");
		}
		mb_buf_puts(&b, "</ul><p>The item's renditions (ninjs), to "
		    "put in the item:</p><textarea readonly rows=\"12\" "
		    "cols=\"80\" name=\"renditions\">");
		js = json_dumps(json_object_get(out, "renditions"),
		    JSON_INDENT(1));
		html_escape(&b, js != NULL ? js : "[]");
		free(js);
		mb_buf_puts(&b, "</textarea>");
		json_decref(out);
	}
	page_form(&b, u);
	mb_buf_puts(&b, "</body></html>\n");
	len = b.len;
	mb_resp_take(r, status, "text/html; charset=utf-8", mb_buf_steal(&b),
	    len);
}

/* ---- Serving ------------------------------------------------------- */

/*
 * How long a reader's request waits for the origin's first answer when
 * a video is fetched for it: then 503 with Retry-After (the fetch goes
 * on), rather than a player left hanging on a link that does not answer.
 */
#define LIVE_WAIT_MS 20000

/*
 * The headers of every answer with a blob's bytes. mime is what the
 * blob was recorded as (for a fetched one, what a peer's item claimed);
 * the answer's own Content-Type comes from mb_media_serve_type().
 */
static void
blob_headers(struct mb_req *r, const char *hash, const char *mime)
{
	char	etag[80];
	bool	attachment;

	/* Content-addressed: the bytes never change under this name. */
	snprintf(etag, sizeof(etag), "\"%s\"", hash);
	mb_resp_header(r, "ETag", etag);
	mb_resp_header(r, "Cache-Control", "public, max-age=31536000, "
	    "immutable");
	mb_resp_header(r, "X-Content-Type-Options", "nosniff");
	mb_resp_header(r, "Content-Security-Policy", "default-src 'none'; "
	    "sandbox");
	mb_resp_header(r, "Accept-Ranges", "bytes");
	(void)mb_media_serve_type(mime, &attachment);
	if (attachment)
		mb_resp_header(r, "Content-Disposition", "attachment");
}

/*
 * If-None-Match names the blob: answered 304 (with the blob's headers),
 * true. Checked before the range, as preconditions are (RFC 9110 13.2.2).
 */
static bool
not_modified(struct mb_req *r, const char *hash, const char *mime)
{
	const char *inm = mb_req_header(r, "If-None-Match");

	if (inm == NULL || (strstr(inm, hash) == NULL && strcmp(inm, "*") != 0))
		return false;
	blob_headers(r, hash, mime);
	mb_resp_empty(r, 304);
	return true;
}

/*
 * The part of a blob of size bytes the request asks for: *from, *to and
 * 1 for a range (Content-Range set), 0 for the whole, -1 when answered
 * 416.
 */
static int
blob_range(struct mb_req *r, const char *hash, int64_t size, int64_t *from,
    int64_t *to)
{
	const char	*range;
	char		 cr[96];
	int		 rr = 0;

	if ((range = mb_req_header(r, "Range")) != NULL) {
		const char	*ifr = mb_req_header(r, "If-Range");
		uint64_t	 f, t;

		if ((ifr == NULL || strstr(ifr, hash) != NULL) &&
		    (rr = mb_http_range(range, (uint64_t)size, &f, &t)) > 0) {
			*from = (int64_t)f;
			*to = (int64_t)t;
		}
	}
	if (rr < 0) {
		snprintf(cr, sizeof(cr), "bytes */%lld", (long long)size);
		mb_resp_header(r, "Content-Range", cr);
		mb_resp_error(r, 416, "range", "range not satisfiable for %lld "
		    "bytes", (long long)size);
		return -1;
	}
	if (rr == 0) {
		*from = 0;
		*to = size - 1;
		return 0;
	}
	if (*to - *from + 1 > RANGE_MAX)
		/*
		 * A player asks for "bytes=0-" and takes what comes: a
		 * large video goes in pieces, so that a seek is answered
		 * without waiting behind the rest of a long transfer.
		 */
		*to = *from + RANGE_MAX - 1;
	snprintf(cr, sizeof(cr), "bytes %lld-%lld/%lld", (long long)*from,
	    (long long)*to, (long long)size);
	mb_resp_header(r, "Content-Range", cr);
	return 1;
}

/* A blob that is here, streamed from its file. */
static void
serve_file(struct mb_req *r, const char *hash, const char *mime)
{
	const struct mb_center_node	*n = mb_req_node(r);
	struct stat			 sb;
	char				 path[1200];
	int64_t				 from = 0, to = 0;
	uint64_t			 want;
	int				 fd, rr;

	if (mb_media_blob_path(n->conf.dir, hash, path, sizeof(path)) !=
	    MB_OK || (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		mb_resp_error(r, 404, "not_found", "media %s is gone", hash);
		return;
	}
	if (fstat(fd, &sb) != 0) {
		close(fd);
		mb_resp_error(r, 500, "io", "media %s: %s", hash,
		    strerror(errno));
		return;
	}
	/* A 416 gets none of the blob's headers: no ETag, no year-long
	 * caching of an error. */
	if (not_modified(r, hash, mime) ||
	    (rr = blob_range(r, hash, sb.st_size, &from, &to)) < 0) {
		close(fd);
		return;
	}
	blob_headers(r, hash, mime);
	want = sb.st_size > 0 ? (uint64_t)(to - from + 1) : 0;
	/* Streamed from the file: no size is too large for memory. */
	mb_resp_file(r, rr > 0 ? 206 : 200, mb_media_serve_type(mime,
	    NULL), fd, (uint64_t)from, want);
}

/*
 * A video fetched as it is read (sync/blob_live.h): the thread of the
 * blob's one fetch runs this, with a store of its own. A reader asked:
 * the link to the origin says whether it may come (link.h).
 */
struct on_demand {
	const struct mb_center_node	*n;
	struct mb_store			*st;
	const struct mb_sync_blob_watch	*w;
};

static int
fetch_on_demand(void *arg, const char *base, const char *hash,
    struct mb_diag *d)
{
	struct on_demand	*od = arg;
	bool			 thumbnail = false;

	(void)mb_media_blob_thumbnail(od->st, hash, &thumbnail, NULL);
	return mb_sync_blob_fetch_link(od->n, od->st, base, hash, thumbnail,
	    true, od->w, d);
}

/*
 * A store for the fetches' threads, kept between them: opening one per
 * fetch would cost a new PostgreSQL connection each time a reader asks,
 * even when the answer is only "backing off" (one node per process).
 */
static pthread_mutex_t	 spare_lock = PTHREAD_MUTEX_INITIALIZER;
static struct mb_store	*spare;

static int
live_fetch(void *arg, const char *hash, const struct mb_sync_blob_watch *w,
    struct mb_diag *d)
{
	struct on_demand	od = { arg, NULL, w };
	int			rc;

	pthread_mutex_lock(&spare_lock);
	od.st = spare;
	spare = NULL;
	pthread_mutex_unlock(&spare_lock);
	if (od.st == NULL && (rc = mb_center_store(od.n, &od.st, d)) != MB_OK)
		return rc;
	rc = mb_media_fetch_one(od.n->conf.dir, od.st, fetch_on_demand, &od,
	    hash, d);
	/* Backing off (MB_ERR_AGAIN): not tried, not logged. */
	if (rc != MB_OK && rc != MB_ERR_AGAIN)
		log_warn("media: on-demand fetch blob=%.12s: %s", hash,
		    mb_diag_msg(d, rc));
	else if (rc == MB_OK)
		log_info("media: fetched blob=%.12s on demand", hash);
	/* Kept for the next fetch, not its pages (the media index's walk). */
	mb_store_idle(od.st);
	pthread_mutex_lock(&spare_lock);
	if (spare == NULL) {
		spare = od.st;
		od.st = NULL;
	}
	pthread_mutex_unlock(&spare_lock);
	mb_store_close(od.st);
	return rc;
}

/* The request's part in the blob's fetch (its data while it waits). */
struct live_join {
	struct mb_blob_live	*l;
	struct mb_req		*r;
	int64_t			 until;	/* mono: the origin's answer by then */
};

static void
live_join_free(void *p)
{
	struct live_join *j = p;

	mb_blob_live_release(j->l, j->r);
	free(j);
}

static void
wake_req(void *token)
{
	mb_req_wake(token);
}

/* One answer's bytes, read from the .part as it fills. */
struct live_body {
	struct mb_blob_live_reader	 rd;
	struct mb_blob_live		*l;	/* a reference */
	struct mb_req			*r;
};

static ssize_t
live_body_read(void *arg, uint64_t pos, char *buf, size_t max)
{
	struct live_body *b = arg;

	return mb_blob_live_read(&b->rd, b->rd.from + (int64_t)pos, buf, max,
	    wake_req, b->r);
}

static void
live_body_done(void *arg)
{
	struct live_body *b = arg;

	mb_blob_live_reader_close(&b->rd);
	mb_blob_live_release(b->l, b->r);
	free(b);
}

static void
not_here_yet(struct mb_req *r, const char *hash, const char *retry,
    const char *why)
{
	mb_resp_header(r, "Retry-After", retry);
	mb_resp_error(r, 503, "not_here_yet", "media %s is not here yet: %s",
	    hash, why);
}

/*
 * Referred to by an item, not fetched yet (a large video): joins (or
 * starts) the blob's one fetch, waits parked for the origin's first
 * answer, then answers the range asked for as its bytes arrive.
 */
static void
serve_live(struct mb_req *r, const struct mb_store_blob *b)
{
	const struct mb_center_node	*n = mb_req_node(r);
	struct live_join		*j = mb_req_data(r);
	struct mb_blob_live_view	 v;
	struct live_body		*body;
	struct mb_diag			 d = { "" };
	int64_t				 from = 0, to = 0;
	int				 rc, rr;

	if (j == NULL) {
		if ((j = calloc(1, sizeof(*j))) == NULL) {
			not_here_yet(r, b->hash, "5", "out of memory");
			return;
		}
		j->r = r;
		j->until = mb_time_mono_ms() + LIVE_WAIT_MS;
		if ((rc = mb_blob_live_join(n->conf.dir, b->hash, b->size > 0 ?
		    b->size : -1, live_fetch, (void *)n, &j->l, &d)) != MB_OK) {
			free(j);
			not_here_yet(r, b->hash, "30", mb_diag_msg(&d, rc));
			return;
		}
		mb_req_set_data(r, j, live_join_free);
	}
	if (mb_blob_live_wait_start(j->l, &v, wake_req, r)) {
		if (mb_time_mono_ms() < j->until &&
		    !mb_http_stopping(mb_req_server(r))) {
			mb_resp_wait_wake(r, j->until);
			return;
		}
		not_here_yet(r, b->hash, "5", "the center it comes from has "
		    "not answered yet");
		return;
	}
	if (v.state == MB_BLOB_LIVE_FAILED) {
		not_here_yet(r, b->hash, "30", v.msg);
		return;
	}
	if (v.state == MB_BLOB_LIVE_DONE) {
		serve_file(r, b->hash, b->mime);
		return;
	}
	if (v.total < 0) {
		/* No size to announce: the whole blob first. */
		not_here_yet(r, b->hash, "5", "its size is not known yet");
		return;
	}
	if (not_modified(r, b->hash, b->mime) ||
	    (rr = blob_range(r, b->hash, v.total, &from, &to)) < 0)
		return;
	if (v.total == 0) {
		/* Nothing to stream; an empty blob is checked at once. */
		not_here_yet(r, b->hash, "1", "it is being checked");
		return;
	}
	if ((body = calloc(1, sizeof(*body))) == NULL) {
		not_here_yet(r, b->hash, "5", "out of memory");
		return;
	}
	if ((rc = mb_blob_live_reader_open(j->l, &v, from, to, &body->rd,
	    &d)) != MB_OK) {
		free(body);
		not_here_yet(r, b->hash, "5", mb_diag_msg(&d, rc));
		return;
	}
	/* Only now, with bytes to send: a 503 above must not be cached. */
	blob_headers(r, b->hash, b->mime);
	/* The answer holds the reference from here. */
	body->l = j->l;
	body->r = r;
	j->l = NULL;
	log_info("media: streaming blob=%.12s from=%lld to=%lld while it is "
	    "fetched (%lld of %lld bytes here)", b->hash, (long long)from,
	    (long long)to, (long long)v.have, (long long)v.total);
	mb_resp_stream(r, rr > 0 ? 206 : 200, mb_media_serve_type(b->mime,
	    NULL),
	    (uint64_t)(to - from + 1), live_body_read, body, live_body_done);
}

static void
serve_blob(struct mb_req *r)
{
	const char		*hash = mb_req_param(r, "hash");
	struct mb_store_blob	 b;
	struct mb_store		*st;
	struct mb_diag		 d = { "" };
	int			 rc;

	if (!mb_media_hash_ok(hash)) {
		mb_resp_error(r, 404, "not_found", "media is named by its "
		    "SHA-256, 64 lower-case hex digits");
		return;
	}
	if ((st = mb_req_store_or_reply(r)) == NULL)
		return;
	rc = mb_store_blob_get(st, hash, &b, &d);
	/*
	 * An item that has just arrived names its media before the media
	 * poller has indexed it: index what is new (a cursor read when
	 * nothing is) and look again, so that a reader following the item's
	 * link gets the media, not a 404.
	 */
	if (rc == MB_ERR_NOTFOUND && (rc = mb_media_index(st, NULL, &d)) ==
	    MB_OK)
		rc = mb_store_blob_get(st, hash, &b, &d);
	if (rc != MB_OK) {
		if (rc == MB_ERR_NOTFOUND)
			mb_resp_error(r, 404, "not_found", "no media %s", hash);
		else
			mb_resp_err(r, rc, &d);
		return;
	}
	/* Woken with the fetch done, a wait ends here too. */
	if (!b.here || mb_req_data(r) != NULL) {
		serve_live(r, &b);
		return;
	}
	serve_file(r, hash, b.mime);
}

const struct mb_route mb_routes_media[] = {
	{ "POST", "/api/v1/media", upload, MB_ROUTE_RAW, "media.upload" },
	{ "GET", "/media/:hash", serve_blob, 0, "media.get" },
	{ "GET", "/newsroom/media", page_get, 0, "media.page" },
	{ "POST", "/newsroom/media", page_post, MB_ROUTE_RAW | MB_ROUTE_FORM,
	  "media.page_upload" },
	MB_ROUTES_END
};
