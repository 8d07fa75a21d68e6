/* SPDX-License-Identifier: MIT */
/* zstd dictionaries for the exchange: training, keeping, compressing and decoding with them. */
#include "dict.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>
#include <zdict.h>
#include <zlib.h>
#include <zstd.h>

#include "base/fs.h"
#include "sync/log.h"

/* The level of every zstd answer, with a dictionary or without. */
#define LEVEL 3

/* ---- training ---------------------------------------------------------- */

struct lines {
	struct mb_buf	 all;
	size_t		*sizes;
	size_t		 n, cap;
};

static int
add_lines(struct lines *l, const char *p, size_t len, size_t want)
{
	const char *end = p + len;

	while (p < end && l->n < want) {
		const char	*nl = memchr(p, '\n', (size_t)(end - p));
		size_t		 n = nl != NULL ? (size_t)(nl - p) + 1 :
		    (size_t)(end - p);

		if (l->n == l->cap) {
			size_t	 cap = l->cap ? l->cap * 2 : 1024;
			size_t	*s = realloc(l->sizes, cap * sizeof(*s));

			if (s == NULL)
				return MB_ERR_NOMEM;
			l->sizes = s;
			l->cap = cap;
		}
		if (mb_buf_append(&l->all, p, n) != MB_OK)
			return MB_ERR_NOMEM;
		l->sizes[l->n++] = n;
		p += n;
	}
	return MB_OK;
}

int
mb_sync_dict_train(struct mb_store *st, size_t samples, size_t size,
    struct mb_buf *out, struct mb_diag *d)
{
	struct lines	l = { MB_BUF_INIT, NULL, 0, 0 };
	struct mb_buf	body = MB_BUF_INIT;
	int64_t		last = mb_sync_log_last(st), after, next;
	size_t		count, got;
	int		rc = MB_OK;

	if (size < 1024 || size > MB_DICT_MAX)
		return mb_diag_set(d, MB_ERR_INVAL, "dictionary size %zu: "
		    "from 1 KiB to 1 MiB", size);
	/* The newest lines: what the network sends now. */
	after = last > (int64_t)samples ? last - (int64_t)samples : 0;
	while (l.n < samples && after < last) {
		mb_buf_reset(&body);
		if ((rc = mb_sync_log_build(st, NULL, after, 1000, &body, &next,
		    &count, d)) != MB_OK)
			goto out;
		if ((rc = add_lines(&l, body.data != NULL ? body.data : "",
		    body.len, samples)) != MB_OK)
			goto out;
		if (next <= after)
			break;
		after = next;
	}
	if (l.n < 64) {
		rc = mb_diag_set(d, MB_ERR_INVAL, "%zu log lines: too few to "
		    "train on (64 at least)", l.n);
		goto out;
	}
	if ((rc = mb_buf_reserve(out, size + 1)) != MB_OK)
		goto out;
	got = ZDICT_trainFromBuffer(out->data + out->len, size, l.all.data,
	    l.sizes, (unsigned)l.n);
	if (ZDICT_isError(got)) {
		rc = mb_diag_set(d, MB_ERR_INVAL, "training on %zu lines: %s",
		    l.n, ZDICT_getErrorName(got));
		goto out;
	}
	out->len += got;
out:
	mb_buf_free(&l.all);
	mb_buf_free(&body);
	free(l.sizes);
	return rc;
}

/* ---- keeping ----------------------------------------------------------- */

static bool
hash_ok(const char *h)
{
	if (h == NULL || strlen(h) != 64)
		return false;
	for (size_t i = 0; i < 64; i++)
		if (!((h[i] >= '0' && h[i] <= '9') || (h[i] >= 'a' &&
		    h[i] <= 'f')))
			return false;
	return true;
}

static int
dict_path(const char *dir, const char *hash, char *out, size_t n)
{
	if (!hash_ok(hash) || snprintf(out, n, "%s/dicts/%s.zdict", dir,
	    hash) >= (int)n)
		return MB_ERR_INVAL;
	return MB_OK;
}

void
mb_sync_dict_hash(const void *data, size_t len, char hash[65])
{
	unsigned char h[32];

	crypto_hash_sha256(h, data, len);
	sodium_bin2hex(hash, 65, h, sizeof(h));
}

int
mb_sync_dict_put(const char *dir, const void *data, size_t len,
    char hash[65], struct mb_diag *d)
{
	char		path[1200];
	int		rc;

	if (len == 0 || len > MB_DICT_MAX)
		return mb_diag_set(d, MB_ERR_TOOBIG, "a dictionary of %zu "
		    "bytes", len);
	mb_sync_dict_hash(data, len, hash);
	snprintf(path, sizeof(path), "%s/dicts", dir);
	if ((rc = mb_fs_mkdirs(path, 0755, d)) != MB_OK)
		return rc;
	if (dict_path(dir, hash, path, sizeof(path)) != MB_OK)
		return mb_diag_set(d, MB_ERR_INVAL, "%s: path too long", dir);
	return mb_fs_write_atomic(path, data, len, 0644, d);
}

bool
mb_sync_dict_have(const char *dir, const char *hash)
{
	char path[1200];

	return dict_path(dir, hash, path, sizeof(path)) == MB_OK &&
	    access(path, R_OK) == 0;
}

int
mb_sync_dict_current(const char *dir, int64_t *version, char hash[65],
    struct mb_diag *d)
{
	char	path[1200], *text = NULL, h[65];
	size_t	len;
	int64_t	v;
	int	rc;

	snprintf(path, sizeof(path), "%s/dicts/current", dir);
	if ((rc = mb_fs_read(path, 256, &text, &len, NULL)) != MB_OK)
		return rc == MB_ERR_NOTFOUND ? rc : mb_diag_set(d, rc,
		    "%s: unreadable", path);
	rc = sscanf(text, "%" SCNd64 " %64s", &v, h) == 2 && v > 0 &&
	    hash_ok(h) ? MB_OK : mb_diag_set(d, MB_ERR_CORRUPT, "%s: not "
	    "\"VERSION SHA256\"", path);
	free(text);
	if (rc == MB_OK) {
		*version = v;
		memcpy(hash, h, 65);
	}
	return rc;
}

int
mb_sync_dict_set_current(const char *dir, int64_t version, const char *hash,
    struct mb_diag *d)
{
	char path[1200], line[128];
	int  n;

	snprintf(path, sizeof(path), "%s/dicts/current", dir);
	n = snprintf(line, sizeof(line), "%" PRId64 " %s\n", version, hash);
	return mb_fs_write_atomic(path, line, (size_t)n, 0644, d);
}

/* ---- the dictionaries in use, loaded once per process ----------------- */

#define CACHE 4

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
	char		 hash[65];
	ZSTD_CDict	*c;
	ZSTD_DDict	*dd;
} cache[CACHE];
static unsigned cache_next;

/* The slot for hash, loaded from dir; under cache_lock. NULL: not here. */
static int
cache_slot(const char *dir, const char *hash)
{
	char	path[1200], *data = NULL;
	size_t	len;
	int	i;

	for (i = 0; i < CACHE; i++)
		if (strcmp(cache[i].hash, hash) == 0)
			return i;
	if (dict_path(dir, hash, path, sizeof(path)) != MB_OK ||
	    mb_fs_read(path, MB_DICT_MAX, &data, &len, NULL) != MB_OK)
		return -1;
	i = (int)(cache_next++ % CACHE);
	ZSTD_freeCDict(cache[i].c);
	ZSTD_freeDDict(cache[i].dd);
	cache[i].c = ZSTD_createCDict(data, len, LEVEL);
	cache[i].dd = ZSTD_createDDict(data, len);
	free(data);
	if (cache[i].c == NULL || cache[i].dd == NULL) {
		ZSTD_freeCDict(cache[i].c);
		ZSTD_freeDDict(cache[i].dd);
		memset(&cache[i], 0, sizeof(cache[i]));
		return -1;
	}
	snprintf(cache[i].hash, sizeof(cache[i].hash), "%s", hash);
	return i;
}

int
mb_sync_dict_compress(const void *dict, size_t dlen, int level,
    const void *body, size_t len, struct mb_buf *out, struct mb_diag *d)
{
	ZSTD_CCtx	*cx;
	size_t		 bound = ZSTD_compressBound(len), n;

	if (mb_buf_reserve(out, bound + 1) != MB_OK ||
	    (cx = ZSTD_createCCtx()) == NULL)
		return mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
	n = dict != NULL ? ZSTD_compress_usingDict(cx, out->data + out->len,
	    bound, body, len, dict, dlen, level) : ZSTD_compressCCtx(cx,
	    out->data + out->len, bound, body, len, level);
	ZSTD_freeCCtx(cx);
	if (ZSTD_isError(n))
		return mb_diag_set(d, MB_ERR_INVAL, "zstd: %s",
		    ZSTD_getErrorName(n));
	out->len += n;
	out->data[out->len] = '\0';
	return MB_OK;
}

int
mb_sync_compress_dict(const char *dir, const char *accept, const char *want,
    const void *body, size_t len, struct mb_buf *out, const char **encoding,
    char dict_used[65])
{
	ZSTD_CCtx	*cx;
	size_t		 bound, n;
	int		 i;

	dict_used[0] = '\0';
	if (want == NULL || !hash_ok(want) || accept == NULL ||
	    strstr(accept, "zstd") == NULL || len < 64)
		return mb_sync_compress(accept, body, len, out, encoding);
	pthread_mutex_lock(&cache_lock);
	if ((i = cache_slot(dir, want)) < 0) {
		pthread_mutex_unlock(&cache_lock);
		return mb_sync_compress(accept, body, len, out, encoding);
	}
	bound = ZSTD_compressBound(len);
	if (mb_buf_reserve(out, bound + 1) != MB_OK ||
	    (cx = ZSTD_createCCtx()) == NULL) {
		pthread_mutex_unlock(&cache_lock);
		return MB_ERR_NOMEM;
	}
	/* A CDict is read-only once made: shared by every thread. */
	n = ZSTD_compress_usingCDict(cx, out->data + out->len, bound, body,
	    len, cache[i].c);
	pthread_mutex_unlock(&cache_lock);
	ZSTD_freeCCtx(cx);
	if (ZSTD_isError(n))
		return mb_sync_compress(accept, body, len, out, encoding);
	out->len += n;
	out->data[out->len] = '\0';
	*encoding = "zstd";
	memcpy(dict_used, want, 65);
	return MB_OK;
}

/* ---- decoding ---------------------------------------------------------- */

/*
 * A whole answer in one frame that gives its size (what ZSTD_compress
 * makes, so every HQ's log answer): decoded in one call straight into a
 * buffer of that size. Through the stream below, a 1,000-line answer
 * (4 MB) cost a window buffer as large as the answer (the frame is one
 * segment), a copy out of each 64 KB chunk and the buffer's growth:
 * ~15 us of the branch's CPU an item (issue 23). MB_ERR_NOTFOUND: not
 * such a frame, stream it.
 */
static int
decode_whole(const ZSTD_DDict *dd, const void *in, size_t len, size_t max,
    struct mb_buf *out, struct mb_diag *d)
{
	unsigned long long	 size = ZSTD_getFrameContentSize(in, len);
	ZSTD_DCtx		*dx;
	size_t			 n;

	if (size == ZSTD_CONTENTSIZE_UNKNOWN ||
	    size == ZSTD_CONTENTSIZE_ERROR ||
	    ZSTD_findFrameCompressedSize(in, len) != len)
		return MB_ERR_NOTFOUND;
	if (size > max || out->len > max - size)
		return mb_diag_set(d, MB_ERR_TOOBIG, "the answer decodes to "
		    "more than %zu bytes", max);
	if (mb_buf_reserve(out, (size_t)size) != MB_OK ||
	    (dx = ZSTD_createDCtx()) == NULL)
		return mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
	n = dd != NULL ? ZSTD_decompress_usingDDict(dx, out->data + out->len,
	    (size_t)size, in, len, dd) : ZSTD_decompressDCtx(dx,
	    out->data + out->len, (size_t)size, in, len);
	ZSTD_freeDCtx(dx);
	if (ZSTD_isError(n))
		return mb_diag_set(d, MB_ERR_CORRUPT, "zstd: %s",
		    ZSTD_getErrorName(n));
	if (n != size)
		return mb_diag_set(d, MB_ERR_CORRUPT, "zstd: the frame is "
		    "shorter than its header says");
	out->len += n;
	out->data[out->len] = '\0';
	return MB_OK;
}

static int
decode_zstd(const ZSTD_DDict *dd, const void *in, size_t len, size_t max,
    struct mb_buf *out, struct mb_diag *d)
{
	ZSTD_DStream	*ds;
	ZSTD_inBuffer	 ib = { in, len, 0 };
	char		 chunk[65536];
	size_t		 r = 1;
	int		 rc;

	if ((rc = decode_whole(dd, in, len, max, out, d)) != MB_ERR_NOTFOUND)
		return rc;
	rc = MB_OK;
	if ((ds = ZSTD_createDStream()) == NULL)
		return mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
	ZSTD_initDStream(ds);
	if (dd != NULL)
		ZSTD_DCtx_refDDict(ds, dd);
	/* A window larger than any answer may use is not one of ours. */
	ZSTD_DCtx_setParameter(ds, ZSTD_d_windowLogMax, 27);
	while (ib.pos < ib.size || r != 0) {
		ZSTD_outBuffer ob = { chunk, sizeof(chunk), 0 };

		r = ZSTD_decompressStream(ds, &ob, &ib);
		if (ZSTD_isError(r)) {
			rc = mb_diag_set(d, MB_ERR_CORRUPT, "zstd: %s",
			    ZSTD_getErrorName(r));
			break;
		}
		if (out->len + ob.pos > max) {
			rc = mb_diag_set(d, MB_ERR_TOOBIG, "the answer decodes "
			    "to more than %zu bytes", max);
			break;
		}
		if (mb_buf_append(out, chunk, ob.pos) != MB_OK) {
			rc = mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
			break;
		}
		if (ob.pos == 0 && ib.pos == ib.size && r != 0) {
			rc = mb_diag_set(d, MB_ERR_CORRUPT, "zstd: the frame "
			    "is cut short");
			break;
		}
	}
	ZSTD_freeDStream(ds);
	return rc;
}

static int
decode_gzip(const void *in, size_t len, size_t max, struct mb_buf *out,
    struct mb_diag *d)
{
	z_stream	z;
	char		chunk[65536];
	int		zr = Z_OK, rc = MB_OK;

	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, 15 + 16) != Z_OK)
		return mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
	z.next_in = (Bytef *)(uintptr_t)in;
	z.avail_in = (uInt)len;
	while (zr != Z_STREAM_END) {
		z.next_out = (Bytef *)chunk;
		z.avail_out = sizeof(chunk);
		zr = inflate(&z, Z_NO_FLUSH);
		if (zr != Z_OK && zr != Z_STREAM_END) {
			rc = mb_diag_set(d, MB_ERR_CORRUPT, "gzip: %s",
			    z.msg != NULL ? z.msg : "bad data");
			break;
		}
		if (out->len + (sizeof(chunk) - z.avail_out) > max) {
			rc = mb_diag_set(d, MB_ERR_TOOBIG, "the answer decodes "
			    "to more than %zu bytes", max);
			break;
		}
		if (mb_buf_append(out, chunk, sizeof(chunk) - z.avail_out) !=
		    MB_OK) {
			rc = mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
			break;
		}
	}
	inflateEnd(&z);
	return rc;
}

int
mb_sync_decode(const char *dir, const char *encoding, const char *dict,
    const void *in, size_t len, size_t max, struct mb_buf *out,
    struct mb_diag *d)
{
	int i, rc;

	if (strcmp(encoding, "gzip") == 0)
		return decode_gzip(in, len, max, out, d);
	if (strcmp(encoding, "zstd") != 0)
		return mb_diag_set(d, MB_ERR_CORRUPT, "Content-Encoding %.40s: "
		    "not asked for", encoding);
	if (dict == NULL || dict[0] == '\0')
		return decode_zstd(NULL, in, len, max, out, d);
	pthread_mutex_lock(&cache_lock);
	if ((i = cache_slot(dir, dict)) < 0)
		rc = mb_diag_set(d, MB_ERR_CORRUPT, "answer compressed with "
		    "dictionary %.12s, which is not here", dict);
	else
		rc = decode_zstd(cache[i].dd, in, len, max, out, d);
	pthread_mutex_unlock(&cache_lock);
	return rc;
}
