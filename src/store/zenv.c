/* SPDX-License-Identifier: MIT */
/* The stored form of an envelope: zstd frames with the store's dictionaries, made and read back. */
#include "zenv.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <zstd.h>

/*
 * Envelopes are small (3-4 KB) and alike: alone, zstd finds little to
 * say about one; with the exchange's dictionary (src/sync/dict.c:
 * trained on the network's own log, field names, the signature's
 * framing, common words) it starts knowing them. The frame keeps
 * zstd's dictionary ID (which row needs which dictionary), the size
 * (one allocation to decode) and a checksum (damage is named, not
 * handed on as an envelope).
 */

struct ddict {
	uint32_t	 id;
	ZSTD_DDict	*dd;
};

struct mb_zenv {
	ZSTD_CCtx	*cctx;
	ZSTD_DCtx	*dctx;
	const void	*dict;		/* the caller's, for new frames */
	size_t		 dict_len;
	ZSTD_CDict	*cdict;		/* dict, digested at the first pack */
	uint32_t	 cid;		/* its ID; 0: frames without one */
	int		 level;
	struct ddict	*dd;		/* the dictionaries rows named, by id */
	size_t		 ndd;
	mb_zenv_load_fn	 load;
	void		*load_arg;
	struct mb_buf	 tmp;
};

static const unsigned char magic[4] = { 0x28, 0xb5, 0x2f, 0xfd };

bool
mb_zenv_packed(const void *p, size_t len)
{
	return p != NULL && len >= 4 && memcmp(p, magic, 4) == 0;
}

int
mb_zenv_new(const void *dict, size_t dict_len, int level,
    mb_zenv_load_fn load, void *load_arg, struct mb_zenv **out,
    struct mb_diag *d)
{
	struct mb_zenv *z;

	if ((z = calloc(1, sizeof(*z))) == NULL)
		return mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
	z->level = level;
	z->load = load;
	z->load_arg = load_arg;
	if ((z->cctx = ZSTD_createCCtx()) == NULL ||
	    (z->dctx = ZSTD_createDCtx()) == NULL)
		goto nomem;
	if (ZSTD_isError(ZSTD_CCtx_setParameter(z->cctx,
	    ZSTD_c_compressionLevel, level)) ||
	    ZSTD_isError(ZSTD_CCtx_setParameter(z->cctx, ZSTD_c_checksumFlag,
	    1)))
		goto nomem;
	/*
	 * A dictionary no row could name (no ID: not ZDICT's) is not used.
	 * Digested at the first pack: most handles only read.
	 */
	if (dict != NULL && dict_len > 0 &&
	    (z->cid = ZSTD_getDictID_fromDict(dict, dict_len)) != 0) {
		z->dict = dict;
		z->dict_len = dict_len;
	}
	*out = z;
	return MB_OK;
nomem:
	mb_zenv_free(z);
	return mb_diag_set(d, MB_ERR_NOMEM, "envelopes: cannot set up zstd");
}

void
mb_zenv_free(struct mb_zenv *z)
{
	if (z == NULL)
		return;
	ZSTD_freeCCtx(z->cctx);
	ZSTD_freeDCtx(z->dctx);
	ZSTD_freeCDict(z->cdict);
	for (size_t i = 0; i < z->ndd; i++)
		ZSTD_freeDDict(z->dd[i].dd);
	free(z->dd);
	mb_buf_free(&z->tmp);
	free(z);
}

uint32_t
mb_zenv_dict_id(const struct mb_zenv *z)
{
	return z != NULL ? z->cid : 0;
}

/* The stored form of env into out, with cctx as set up for it. */
static int
compress(ZSTD_CCtx *cctx, const void *env, size_t len, struct mb_buf *out,
    struct mb_diag *d)
{
	size_t	bound = ZSTD_compressBound(len), n;

	mb_buf_reset(out);
	if (mb_buf_reserve(out, bound) != MB_OK)
		return mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
	n = ZSTD_compress2(cctx, out->data, bound, env, len);
	if (ZSTD_isError(n))
		return mb_diag_set(d, MB_ERR_INVAL, "envelope: zstd: %s",
		    ZSTD_getErrorName(n));
	/* Smaller as it came (a tiny envelope): kept so. */
	if (n >= len) {
		mb_buf_reset(out);
		if (mb_buf_append(out, env, len) != MB_OK)
			return mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
		return MB_OK;
	}
	out->len = n;
	return MB_OK;
}

int
mb_zenv_pack(struct mb_zenv *z, const void *env, size_t len,
    struct mb_buf *out, struct mb_diag *d)
{
	if (z->cid != 0 && z->cdict == NULL) {
		if ((z->cdict = ZSTD_createCDict(z->dict, z->dict_len,
		    z->level)) == NULL ||
		    ZSTD_isError(ZSTD_CCtx_refCDict(z->cctx, z->cdict)))
			return mb_diag_set(d, MB_ERR_NOMEM, "envelopes: cannot "
			    "load the zstd dictionary");
	}
	return compress(z->cctx, env, len, out, d);
}

/*
 * The packer: the digested dictionary, read-only once made, is shared
 * by every context (zstd allows that); contexts wait in a pool between
 * calls, as many as threads ever packed at once, up to POOL_MAX.
 */
#define POOL_MAX	16

struct mb_zenv_packer {
	ZSTD_CDict	*cdict;
	uint32_t	 cid;
	int		 level;
	pthread_mutex_t	 mu;
	ZSTD_CCtx	*pool[POOL_MAX];
	int		 npool;
};

int
mb_zenv_packer_new(const void *dict, size_t dict_len, int level,
    struct mb_zenv_packer **out, struct mb_diag *d)
{
	struct mb_zenv_packer *p;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		return mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
	p->level = level;
	pthread_mutex_init(&p->mu, NULL);
	/* As mb_zenv_new: a dictionary without an ID is not used. */
	if (dict != NULL && dict_len > 0 &&
	    (p->cid = ZSTD_getDictID_fromDict(dict, dict_len)) != 0 &&
	    (p->cdict = ZSTD_createCDict(dict, dict_len, level)) == NULL) {
		mb_zenv_packer_free(p);
		return mb_diag_set(d, MB_ERR_NOMEM, "envelopes: cannot load "
		    "the zstd dictionary");
	}
	*out = p;
	return MB_OK;
}

void
mb_zenv_packer_free(struct mb_zenv_packer *p)
{
	if (p == NULL)
		return;
	for (int i = 0; i < p->npool; i++)
		ZSTD_freeCCtx(p->pool[i]);
	ZSTD_freeCDict(p->cdict);
	pthread_mutex_destroy(&p->mu);
	free(p);
}

uint32_t
mb_zenv_packer_dict_id(const struct mb_zenv_packer *p)
{
	return p != NULL ? p->cid : 0;
}

/* A context set up as mb_zenv_new's, from the pool or new; NULL: none. */
static ZSTD_CCtx *
cctx_get(struct mb_zenv_packer *p)
{
	ZSTD_CCtx *c = NULL;

	pthread_mutex_lock(&p->mu);
	if (p->npool > 0)
		c = p->pool[--p->npool];
	pthread_mutex_unlock(&p->mu);
	if (c != NULL)
		return c;
	if ((c = ZSTD_createCCtx()) == NULL ||
	    ZSTD_isError(ZSTD_CCtx_setParameter(c, ZSTD_c_compressionLevel,
	    p->level)) ||
	    ZSTD_isError(ZSTD_CCtx_setParameter(c, ZSTD_c_checksumFlag, 1)) ||
	    (p->cdict != NULL && ZSTD_isError(ZSTD_CCtx_refCDict(c,
	    p->cdict)))) {
		ZSTD_freeCCtx(c);
		return NULL;
	}
	return c;
}

static void
cctx_put(struct mb_zenv_packer *p, ZSTD_CCtx *c)
{
	pthread_mutex_lock(&p->mu);
	if (p->npool < POOL_MAX) {
		p->pool[p->npool++] = c;
		c = NULL;
	}
	pthread_mutex_unlock(&p->mu);
	ZSTD_freeCCtx(c);
}

int
mb_zenv_packer_pack(struct mb_zenv_packer *p, const void *env, size_t len,
    struct mb_buf *out, struct mb_diag *d)
{
	ZSTD_CCtx	*c;
	int		 rc;

	if ((c = cctx_get(p)) == NULL)
		return mb_diag_set(d, MB_ERR_NOMEM, "envelopes: cannot set "
		    "up zstd");
	rc = compress(c, env, len, out, d);
	cctx_put(p, c);
	return rc;
}

uint32_t
mb_zenv_frame_dict_id(const void *p, size_t len)
{
	return mb_zenv_packed(p, len) ? ZSTD_getDictID_fromFrame(p, len) : 0;
}

/* The decoding dictionary of id, loaded on first use. */
static int
ddict(struct mb_zenv *z, uint32_t id, ZSTD_DDict **out, struct mb_diag *d)
{
	struct ddict	*dd;
	int		 rc;

	for (size_t i = 0; i < z->ndd; i++)
		if (z->dd[i].id == id) {
			*out = z->dd[i].dd;
			return MB_OK;
		}
	mb_buf_reset(&z->tmp);
	if (z->load == NULL)
		return mb_diag_set(d, MB_ERR_NOTFOUND, "envelope: compressed "
		    "with dictionary %u, which this store does not have", id);
	if ((rc = z->load(z->load_arg, id, &z->tmp, d)) != MB_OK) {
		if (rc == MB_ERR_NOTFOUND)
			return mb_diag_set(d, rc, "envelope: compressed with "
			    "dictionary %u, which this store does not have",
			    id);
		return rc;
	}
	if (ZSTD_getDictID_fromDict(z->tmp.data, z->tmp.len) != id)
		return mb_diag_set(d, MB_ERR_CORRUPT, "envelope: the store's "
		    "dictionary %u is damaged", id);
	if ((dd = realloc(z->dd, (z->ndd + 1) * sizeof(*dd))) == NULL)
		return mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
	z->dd = dd;
	if ((dd[z->ndd].dd = ZSTD_createDDict(z->tmp.data, z->tmp.len)) ==
	    NULL)
		return mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
	dd[z->ndd].id = id;
	*out = dd[z->ndd++].dd;
	mb_buf_free(&z->tmp);
	return MB_OK;
}

int
mb_zenv_unpack(struct mb_zenv *z, const void *p, size_t len, size_t max,
    struct mb_buf *out, const void **env, size_t *env_len,
    struct mb_diag *d)
{
	unsigned long long	 size;
	ZSTD_DDict		*dd = NULL;
	uint32_t		 id;
	size_t			 n;
	int			 rc;

	if (!mb_zenv_packed(p, len)) {
		*env = p;
		*env_len = len;
		return MB_OK;
	}
	size = ZSTD_getFrameContentSize(p, len);
	if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN)
		return mb_diag_set(d, MB_ERR_CORRUPT, "envelope: a damaged "
		    "zstd frame (no size in its header)");
	if (size > max)
		return mb_diag_set(d, MB_ERR_CORRUPT, "envelope: a zstd frame "
		    "of %llu bytes, over the %zu allowed", size, max);
	if ((id = ZSTD_getDictID_fromFrame(p, len)) != 0 &&
	    (rc = ddict(z, id, &dd, d)) != MB_OK)
		return rc;
	mb_buf_reset(out);
	/* One byte more: the buffer stays a C string for those who want it. */
	if (mb_buf_reserve(out, (size_t)size + 1) != MB_OK)
		return mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
	n = dd != NULL ? ZSTD_decompress_usingDDict(z->dctx, out->data,
	    (size_t)size, p, len, dd) : ZSTD_decompressDCtx(z->dctx,
	    out->data, (size_t)size, p, len);
	if (ZSTD_isError(n) || n != size)
		return mb_diag_set(d, MB_ERR_CORRUPT, "envelope: a damaged "
		    "zstd frame (%s)", ZSTD_isError(n) ? ZSTD_getErrorName(n) :
		    "shorter than its header says");
	out->len = n;
	out->data[n] = '\0';
	*env = out->data;
	*env_len = n;
	return MB_OK;
}
