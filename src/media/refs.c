/* SPDX-License-Identifier: MIT */
/* Which blobs items refer to: the media index, gc, and fetching what is missing. */
#include "media_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/log.h"
#include "base/timeutil.h"

/* Log entries read per round of the index. */
#define INDEX_BATCH 256

struct entry {
	char	*uri;
	char	*origin;
	int64_t	 version;
	int64_t	 seq;
	char	*envelope;
	size_t	 len;
};

struct batch {
	struct entry	e[INDEX_BATCH];
	size_t		n;
	int		nomem;
};

static int
collect(const struct mb_store_version *v, void *arg)
{
	struct batch	*b = arg;
	struct entry	*e = &b->e[b->n];

	memset(e, 0, sizeof(*e));
	e->uri = strdup(v->uri);
	e->origin = strdup(v->origin != NULL ? v->origin : "");
	e->envelope = malloc(v->envelope_len + 1);
	if (e->uri == NULL || e->origin == NULL || e->envelope == NULL) {
		free(e->uri);
		free(e->origin);
		free(e->envelope);
		b->nomem = 1;
		return MB_ERR_NOMEM;
	}
	memcpy(e->envelope, v->envelope, v->envelope_len);
	e->envelope[v->envelope_len] = '\0';
	e->len = v->envelope_len;
	e->version = v->version;
	e->seq = v->seq;
	b->n++;
	return MB_OK;
}

static void
batch_free(struct batch *b)
{
	for (size_t i = 0; i < b->n; i++) {
		free(b->e[i].uri);
		free(b->e[i].origin);
		free(b->e[i].envelope);
	}
	b->n = 0;
}

static int
current_version(const struct mb_store_version *v, void *arg)
{
	*(int64_t *)arg = v->version;
	return 1;
}

/*
 * The blobs one item refers to, each hash once. Grows as needed: an item
 * may carry many pictures of several renditions each, and a blob left
 * out here is one gc removes and peers never fetch.
 */
struct refs {
	struct mb_store_blob_ref	*r;
	char				(*hash)[65];
	size_t				 n, cap;
};

static int
add_ref(const char *hash, const json_t *rend, void *arg)
{
	struct refs			*rs = arg;
	const json_t			*sz = json_object_get(rend, "sizeInBytes");
	struct mb_store_blob_ref	*r;
	char				(*h)[65];
	size_t				 cap;

	for (size_t i = 0; i < rs->n; i++)
		if (strcmp(rs->hash[i], hash) == 0)
			return MB_OK;
	if (rs->n == rs->cap) {
		cap = rs->cap ? rs->cap * 2 : 16;
		if ((r = reallocarray(rs->r, cap, sizeof(*r))) == NULL)
			return MB_ERR_NOMEM;
		rs->r = r;
		if ((h = reallocarray(rs->hash, cap, sizeof(*h))) == NULL)
			return MB_ERR_NOMEM;
		rs->hash = h;
		rs->cap = cap;
	}
	memcpy(rs->hash[rs->n], hash, 65);
	/* r[].hash is pointed at hash[] once all are in (it may move). */
	rs->r[rs->n].hash = NULL;
	rs->r[rs->n].mime = json_string_value(json_object_get(rend,
	    "contentType"));
	rs->r[rs->n].size = json_is_integer(sz) ? json_integer_value(sz) : 0;
	rs->n++;
	return MB_OK;
}

/* The blobs one envelope's item refers to, into st's references. */
static int
index_entry(struct mb_store *st, const struct entry *e, struct mb_diag *d)
{
	struct refs	 rs = { 0 };
	json_t		*env;
	int64_t		 cur = 0;
	int		 rc;

	/* Only the item's current version decides (versions can arrive
	 * out of order). */
	rc = mb_store_get(st, e->uri, 0, current_version, &cur, d);
	if (rc != MB_OK && rc != MB_ERR_NOTFOUND)
		return rc;
	if (cur != e->version)
		return MB_OK;
	/*
	 * Most items have no renditions: no need to parse them to know.
	 * Without \u escapes (a relayed envelope need not be canonical)
	 * the key, when there, appears as these bytes; a chance match
	 * elsewhere only costs the parse.
	 */
	if (memmem(e->envelope, e->len, "\"renditions\"", 12) == NULL &&
	    memmem(e->envelope, e->len, "\\u", 2) == NULL)
		return mb_store_blob_refs_set(st, e->uri, e->origin, rs.r, 0,
		    d);
	if ((env = json_loadb(e->envelope, e->len, 0, NULL)) == NULL)
		return MB_OK;	/* verify reports damaged envelopes */
	/* The item is borrowed from env, and so are the mimes in rs. */
	rc = mb_media_item_blobs(json_object_get(env, "item"), add_ref, &rs);
	if (rc == MB_OK) {
		for (size_t i = 0; i < rs.n; i++)
			rs.r[i].hash = rs.hash[i];
		rc = mb_store_blob_refs_set(st, e->uri, e->origin, rs.r, rs.n,
		    d);
	}
	json_decref(env);
	free(rs.r);
	free(rs.hash);
	return rc;
}

int
mb_media_index(struct mb_store *st, int64_t *seen, struct mb_diag *d)
{
	struct batch	*b;
	int64_t		 cursor, total = 0;
	int		 rc;

	if ((b = calloc(1, sizeof(*b))) == NULL)
		return mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
	for (;;) {
		if ((rc = mb_store_blob_cursor(st, &cursor, d)) != MB_OK)
			break;
		rc = mb_store_log(st, cursor, INDEX_BATCH, collect, b, d);
		if (rc != MB_OK || b->n == 0)
			break;
		if ((rc = mb_store_begin(st, d)) != MB_OK)
			break;
		for (size_t i = 0; i < b->n && rc == MB_OK; i++)
			rc = index_entry(st, &b->e[i], d);
		if (rc == MB_OK)
			rc = mb_store_blob_cursor_set(st, b->e[b->n - 1].seq,
			    d);
		if (rc != MB_OK) {
			mb_store_rollback(st);
			break;
		}
		if ((rc = mb_store_commit(st, d)) != MB_OK)
			break;
		total += (int64_t)b->n;
		if (b->n < INDEX_BATCH) {
			batch_free(b);
			break;
		}
		batch_free(b);
	}
	if (b->nomem && rc == MB_OK)
		rc = mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
	batch_free(b);
	free(b);
	if (rc == MB_OK && seen != NULL)
		*seen = total;
	return rc;
}

/* ---- gc ---------------------------------------------------------- */

struct hashes {
	char	(*h)[65];
	size_t	 n, cap;
	int64_t	*size;
};

static int
hashes_add(struct hashes *hs, const char *h, int64_t size)
{
	if (hs->n == hs->cap) {
		size_t	  cap = hs->cap ? hs->cap * 2 : 64;
		char	(*p)[65] = realloc(hs->h, cap * sizeof(*p));
		int64_t	 *s;

		if (p == NULL)
			return MB_ERR_NOMEM;
		hs->h = p;
		if ((s = realloc(hs->size, cap * sizeof(*s))) == NULL)
			return MB_ERR_NOMEM;
		hs->size = s;
		hs->cap = cap;
	}
	memcpy(hs->h[hs->n], h, 65);
	hs->size[hs->n++] = size;
	return MB_OK;
}

static int
unused_cb(const struct mb_store_blob *b, void *arg)
{
	return hashes_add(arg, b->hash, b->size);
}

/*
 * The name a bundle import stages a blob under, at the top of
 * DIR/blobs (src/bundle/import.c: mkstemp over .bundle-XXXXXX), until
 * the whole bundle has checked and the file is renamed into place.
 */
#define BUNDLE_STAGED ".bundle-"

/*
 * Files under DIR/blobs that no row describes: leftovers of a crash
 * (temporary files, partial fetches, an interrupted bundle import's
 * staging files) and blobs nothing refers to, once older than the grace
 * period.
 */
static void
sweep_files(const char *dir, struct mb_store *st, int64_t before_ms,
    bool dry, struct mb_media_gc_result *r)
{
	struct mb_store_blob	 b;
	struct dirent		*e, *f;
	struct stat		 sb;
	char			 top[1100], sub[1200], path[1500];
	DIR			*td, *sd;

	if (snprintf(top, sizeof(top), "%s/" MB_BLOB_TOP, dir) >= (int)sizeof(top))
		return;
	if ((td = opendir(top)) == NULL)
		return;
	while ((e = readdir(td)) != NULL) {
		/*
		 * A bundle import killed before it renamed its staged blobs
		 * leaves them here, and nothing else ever removes them. An
		 * import may be running now, so the same grace period as the
		 * other leftovers applies: an import writes its files as it
		 * reads the bundle and renames them before it ends, so one
		 * unchanged for longer (a day by default; a shorter --grace is
		 * the operator's word that no import runs that long) is no
		 * running import's.
		 */
		if (strncmp(e->d_name, BUNDLE_STAGED,
		    sizeof(BUNDLE_STAGED) - 1) == 0) {
			if (snprintf(path, sizeof(path), "%s/%s", top,
			    e->d_name) >= (int)sizeof(path) ||
			    lstat(path, &sb) != 0 || !S_ISREG(sb.st_mode) ||
			    (int64_t)sb.st_mtime * 1000 >= before_ms ||
			    (!dry && unlink(path) != 0))
				continue;
			r->removed++;
			r->bytes += sb.st_size;
			continue;
		}
		if (strlen(e->d_name) != 2 || e->d_name[0] == '.')
			continue;
		if (snprintf(sub, sizeof(sub), "%s/%s", top, e->d_name) >=
		    (int)sizeof(sub))
			continue;
		if ((sd = opendir(sub)) == NULL)
			continue;
		while ((f = readdir(sd)) != NULL) {
			bool is_blob = mb_media_hash_ok(f->d_name);

			if (f->d_name[0] == '.')
				continue;
			if (snprintf(path, sizeof(path), "%s/%s", sub,
			    f->d_name) >= (int)sizeof(path))
				continue;
			if (lstat(path, &sb) != 0 || !S_ISREG(sb.st_mode) ||
			    (int64_t)sb.st_mtime * 1000 >= before_ms)
				continue;
			if (is_blob && mb_store_blob_get(st, f->d_name, &b,
			    NULL) != MB_ERR_NOTFOUND)
				continue;
			if (!dry && unlink(path) != 0)
				continue;
			r->removed++;
			r->bytes += sb.st_size;
		}
		closedir(sd);
	}
	closedir(td);
}

int
mb_media_gc(const char *dir, struct mb_store *st, int64_t now_ms,
    int64_t grace_ms, bool dry, struct mb_media_gc_result *out,
    struct mb_diag *d)
{
	struct mb_media_gc_result	 r = { 0, 0, 0 };
	struct hashes			 hs = { NULL, 0, 0, NULL };
	int64_t				 before = now_ms - grace_ms;
	bool				 del;
	int				 rc;

	if ((rc = mb_media_index(st, NULL, d)) != MB_OK)
		return rc;
	if ((rc = mb_store_blob_unused(st, before, unused_cb, &hs, d)) !=
	    MB_OK)
		goto done;
	for (size_t i = 0; i < hs.n; i++) {
		if (dry) {
			r.removed++;
			r.bytes += hs.size[i];
			continue;
		}
		/* The row goes first: an upload racing us renews it. */
		if ((rc = mb_store_blob_delete(st, hs.h[i], before, &del, d)) !=
		    MB_OK)
			goto done;
		if (!del) {
			r.kept++;
			continue;
		}
		if ((rc = mb_media_blob_remove(dir, hs.h[i], d)) != MB_OK)
			goto done;
		r.removed++;
		r.bytes += hs.size[i];
	}
	sweep_files(dir, st, before, dry, &r);
	*out = r;
done:
	free(hs.h);
	free(hs.size);
	return rc;
}

/* ---- Fetching what items refer to -------------------------------- */

struct want {
	char	hash[65];
	char	mime[48];
	char	origin[33];
	int64_t	size;
};

struct wants {
	struct want	*w;
	size_t		 n, cap;
	int64_t		 eager;
};

static int
wanted_cb(const struct mb_store_blob *b, const char *origin, void *arg)
{
	struct wants	*ws = arg;
	struct want	*w;

	if (ws->eager >= 0 && strncmp(b->mime, "image/", 6) != 0 &&
	    (b->size <= 0 || b->size > ws->eager))
		return MB_OK;	/* large: fetched when first asked for */
	if (ws->n == ws->cap) {
		size_t	 cap = ws->cap ? ws->cap * 2 : 32;
		void	*p = realloc(ws->w, cap * sizeof(*ws->w));

		if (p == NULL)
			return MB_ERR_NOMEM;
		ws->w = p;
		ws->cap = cap;
	}
	w = &ws->w[ws->n++];
	snprintf(w->hash, sizeof(w->hash), "%s", b->hash);
	snprintf(w->mime, sizeof(w->mime), "%s", b->mime[0] ? b->mime :
	    "application/octet-stream");
	snprintf(w->origin, sizeof(w->origin), "%s", origin);
	w->size = b->size;
	return MB_OK;
}

struct urls {
	char	u[16][256];
	size_t	n;
	const char *skip;
};

static void
urls_add(struct urls *us, const char *url)
{
	if (url[0] == '\0' || us->n >= 16)
		return;
	for (size_t i = 0; i < us->n; i++)
		if (strcmp(us->u[i], url) == 0)
			return;
	snprintf(us->u[us->n++], sizeof(us->u[0]), "%s", url);
}

static int
peer_url(const struct mb_peer *p, void *arg)
{
	urls_add(arg, p->url);
	return MB_OK;
}

/*
 * The type a fetched blob is recorded as. The peer's item claims one; it
 * stands only when it is allowlisted and the bytes begin as that type's
 * do. Anything else is recorded as bytes (served as a download), so an
 * item cannot have a center serve HTML or SVG under its name.
 */
static const char *
fetched_type(const char *path, const struct want *w)
{
	const char	*type;
	unsigned char	 head[MB_MEDIA_HEAD_LEN];
	ssize_t		 len = -1;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) >= 0) {
		len = read(fd, head, sizeof(head));
		close(fd);
	}
	type = mb_media_checked_type(w->mime, head, len > 0 ? (size_t)len :
	    0);
	if (strcmp(type, "application/octet-stream") != 0)
		return type;
	if (strcmp(w->mime, "application/octet-stream") != 0)
		log_warn("media: blob=%.12s is not the %s its item says; "
		    "kept as application/octet-stream", w->hash, w->mime);
	return "application/octet-stream";
}

/* Tries the origin, then every peer; records the blob once it is here. */
static int
fetch_want(const char *dir, struct mb_store *st, mb_media_fetch_fn fetch,
    void *arg, const struct want *w, struct mb_diag *d)
{
	struct mb_center	 c;
	struct urls		 us;
	struct stat		 sb;
	char			 path[1200];
	int			 rc = MB_ERR_NOTFOUND;

	us.n = 0;
	if (w->origin[0] != '\0' &&
	    mb_store_center_get(st, w->origin, &c, NULL) == MB_OK)
		urls_add(&us, c.url);
	(void)mb_store_peer_list(st, peer_url, &us, NULL);
	if (us.n == 0)
		return mb_diag_set(d, MB_ERR_NOTFOUND, "blob %.12s…: no "
		    "center to fetch it from", w->hash);
	for (size_t i = 0; i < us.n; i++) {
		if ((rc = fetch(arg, us.u[i], w->hash, d)) == MB_OK)
			break;
		/* MB_ERR_AGAIN: the callback chose not to try now. */
		if (rc != MB_ERR_AGAIN)
			log_warn("media: fetch blob=%.12s from=%s: %s",
			    w->hash, us.u[i], mb_diag_msg(d, rc));
	}
	if (rc != MB_OK)
		return rc;
	if (mb_media_blob_path(dir, w->hash, path, sizeof(path)) != MB_OK ||
	    stat(path, &sb) != 0)
		return mb_diag_set(d, MB_ERR_IO, "blob %.12s…: not there after "
		    "the fetch", w->hash);
	return mb_store_blob_put(st, w->hash, fetched_type(path, w),
	    (int64_t)sb.st_size, mb_time_now_ms(), d);
}

int
mb_media_fetch_round(const char *dir, struct mb_store *st,
    mb_media_fetch_fn fetch, void *arg, int64_t eager_bytes, int64_t *got,
    struct mb_diag *d)
{
	struct wants	ws = { NULL, 0, 0, eager_bytes };
	int64_t		n = 0;
	int		rc, first = MB_OK;

	if ((rc = mb_media_index(st, NULL, d)) != MB_OK)
		return rc;
	if ((rc = mb_store_blob_wanted(st, 256, wanted_cb, &ws, d)) != MB_OK)
		goto done;
	for (size_t i = 0; i < ws.n; i++) {
		struct mb_diag dd = { "" };

		if ((rc = fetch_want(dir, st, fetch, arg, &ws.w[i], &dd)) ==
		    MB_OK) {
			n++;
			log_info("media: fetched blob=%.12s type=%s",
			    ws.w[i].hash, ws.w[i].mime);
		} else if (first == MB_OK) {
			first = rc;
			mb_diag_set(d, rc, "%s", mb_diag_msg(&dd, rc));
		}
	}
	rc = first;
	if (got != NULL)
		*got = n;
done:
	free(ws.w);
	return rc;
}

int
mb_media_fetch_one(const char *dir, struct mb_store *st,
    mb_media_fetch_fn fetch, void *arg, const char *hash, struct mb_diag *d)
{
	struct mb_store_blob	b;
	struct want		w;
	int			rc;

	if ((rc = mb_media_index(st, NULL, d)) != MB_OK)
		return rc;
	if ((rc = mb_store_blob_get(st, hash, &b, d)) != MB_OK)
		return rc;
	if (b.here)
		return MB_OK;
	memset(&w, 0, sizeof(w));
	snprintf(w.hash, sizeof(w.hash), "%s", hash);
	snprintf(w.mime, sizeof(w.mime), "%s", b.mime[0] ? b.mime :
	    "application/octet-stream");
	w.size = b.size;
	snprintf(w.origin, sizeof(w.origin), "%s", b.origin);
	return fetch_want(dir, st, fetch, arg, &w, d);
}
