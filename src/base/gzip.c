/* SPDX-License-Identifier: MIT */
/* gzip of a whole buffer with libdeflate, a compressor kept per thread and level. */
#include "base/gzip.h"

#include <pthread.h>
#include <stdlib.h>

#include <libdeflate.h>

#include "base/err.h"

#define LEVELS	13	/* libdeflate's levels: 0-12 */

/*
 * A thread's compressors. Making one costs more than compressing a page
 * (a level-6 compressor is ~650 KB, of which it clears 64 KB of hash
 * table per call anyway), so each thread keeps the ones it used: serve's
 * few request threads, a puller's.
 */
struct kept {
	struct libdeflate_compressor	*c[LEVELS];
};

static pthread_key_t	key;
static pthread_once_t	once = PTHREAD_ONCE_INIT;
static int		key_ok;

static void
kept_free(void *arg)
{
	struct kept *k = arg;

	for (int i = 0; i < LEVELS; i++)
		libdeflate_free_compressor(k->c[i]);
	free(k);
}

static void
key_make(void)
{
	key_ok = pthread_key_create(&key, kept_free) == 0;
}

static struct libdeflate_compressor *
compressor(int level)
{
	struct kept *k;

	pthread_once(&once, key_make);
	if (!key_ok)
		return NULL;
	if ((k = pthread_getspecific(key)) == NULL) {
		if ((k = calloc(1, sizeof(*k))) == NULL)
			return NULL;
		if (pthread_setspecific(key, k) != 0) {
			free(k);
			return NULL;
		}
	}
	if (k->c[level] == NULL)
		k->c[level] = libdeflate_alloc_compressor(level);
	return k->c[level];
}

int
mb_gzip(const void *in, size_t len, int level, struct mb_buf *out)
{
	struct libdeflate_compressor	*c;
	size_t				 bound, n;

	if (level < 1)
		level = 1;
	if (level >= LEVELS)
		level = LEVELS - 1;
	if ((c = compressor(level)) == NULL)
		return MB_ERR_NOMEM;
	bound = libdeflate_gzip_compress_bound(c, len);
	if (mb_buf_reserve(out, bound + 1) != MB_OK)
		return MB_ERR_NOMEM;
	/* 0 only when the bound is too small, which it is not. */
	if ((n = libdeflate_gzip_compress(c, in, len, out->data + out->len,
	    bound)) == 0)
		return MB_ERR_NOMEM;
	out->len += n;
	out->data[out->len] = '\0';
	return MB_OK;
}
