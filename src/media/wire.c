/* SPDX-License-Identifier: MIT */
/* The media sandbox's messages: written by one end, checked to the byte by the other. */
#include "wire.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* The fields of a rendition record, in order, and their widths. */
#define F_NAME		0
#define F_MIME		24
#define F_FORMAT	72
#define F_VCODEC	104
#define F_ACODEC	136
#define F_WIDTH		168
#define F_HEIGHT	172
#define F_DURATION	176
#define F_RATE		184
#define F_LEN		192

static void
put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static void
put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

static uint32_t
get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

static uint64_t
get64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

static void
putd(uint8_t *p, double v)
{
	memcpy(p, &v, 8);
}

static double
getd(const uint8_t *p)
{
	double v;

	memcpy(&v, p, 8);
	return v;
}

void
mb_media_wire_hdr_put(uint8_t out[MB_MEDIA_WIRE_HEADER], const char magic[4],
    int32_t code, uint64_t len)
{
	memcpy(out, magic, 4);
	put32(out + 4, (uint32_t)code);
	put64(out + 8, len);
}

int
mb_media_wire_hdr_get(const uint8_t in[MB_MEDIA_WIRE_HEADER],
    const char magic[4], uint64_t max, struct mb_media_wire_hdr *h,
    struct mb_diag *d)
{
	if (memcmp(in, magic, 4) != 0)
		return mb_diag_set(d, MB_ERR_CORRUPT, "media sandbox: a frame "
		    "without its magic");
	memcpy(h->magic, in, 4);
	h->code = (int32_t)get32(in + 4);
	h->len = get64(in + 8);
	if (h->len > max)
		return mb_diag_set(d, MB_ERR_CORRUPT, "media sandbox: a frame "
		    "of %llu bytes, over the %llu expected",
		    (unsigned long long)h->len, (unsigned long long)max);
	return MB_OK;
}

void
mb_media_wire_limits_put(uint8_t out[MB_MEDIA_WIRE_LIMITS],
    const struct mb_media_limits *l)
{
	memset(out, 0, MB_MEDIA_WIRE_LIMITS);
	put64(out, (uint64_t)l->max_pixels);
	put32(out + 8, (uint32_t)l->max_side);
	put64(out + 16, (uint64_t)l->max_bytes);
	putd(out + 24, l->max_duration);
}

int
mb_media_wire_limits_get(const uint8_t in[MB_MEDIA_WIRE_LIMITS],
    struct mb_media_limits *l, struct mb_diag *d)
{
	l->max_pixels = (int64_t)get64(in);
	l->max_side = (int)(int32_t)get32(in + 8);
	l->max_bytes = (int64_t)get64(in + 16);
	l->max_duration = getd(in + 24);
	if (l->max_pixels <= 0 || l->max_side <= 0 || l->max_bytes < 0 ||
	    !isfinite(l->max_duration) || l->max_duration <= 0)
		return mb_diag_set(d, MB_ERR_CORRUPT, "media sandbox: "
		    "limits out of range");
	return MB_OK;
}

/* A fixed field: the string and NULs to its end. */
static void
put_str(uint8_t *p, size_t width, const char *s)
{
	size_t n = strnlen(s, width - 1);

	memset(p, 0, width);
	memcpy(p, s, n);
}

int
mb_media_wire_reply_put(const struct mb_media_set *s, uint64_t cpu_ms,
    struct mb_buf *out)
{
	uint8_t	pre[MB_MEDIA_WIRE_PREFIX], rec[MB_MEDIA_WIRE_RECORD];
	int	rc;

	memset(pre, 0, sizeof(pre));
	put_str(pre, MB_MEDIA_WIRE_TYPE, s->type != NULL ? s->type->mime : "");
	put32(pre + 48, (uint32_t)s->n);
	put64(pre + 56, cpu_ms);
	if ((rc = mb_buf_append(out, pre, sizeof(pre))) != MB_OK)
		return rc;
	for (size_t i = 0; i < s->n; i++) {
		const struct mb_media_rendition *r = &s->r[i];

		memset(rec, 0, sizeof(rec));
		put_str(rec + F_NAME, sizeof(r->name), r->name);
		put_str(rec + F_MIME, sizeof(r->mime), r->mime);
		put_str(rec + F_FORMAT, sizeof(r->format), r->format);
		put_str(rec + F_VCODEC, sizeof(r->video_codec),
		    r->video_codec);
		put_str(rec + F_ACODEC, sizeof(r->audio_codec),
		    r->audio_codec);
		put32(rec + F_WIDTH, (uint32_t)r->width);
		put32(rec + F_HEIGHT, (uint32_t)r->height);
		putd(rec + F_DURATION, r->duration);
		putd(rec + F_RATE, r->frame_rate);
		put64(rec + F_LEN, (uint64_t)r->len);
		if ((rc = mb_buf_append(out, rec, sizeof(rec))) != MB_OK)
			return rc;
	}
	for (size_t i = 0; i < s->n; i++)
		if ((rc = mb_buf_append(out, s->r[i].data, s->r[i].len)) != MB_OK)
			return rc;
	return MB_OK;
}

/*
 * A string field from the child: ends inside its width, printable
 * ASCII, and copied out; NULs after the end only.
 */
static int
get_str(const uint8_t *p, size_t width, char *dst, bool may_be_empty,
    const char *what, struct mb_diag *d)
{
	size_t n = strnlen((const char *)p, width);

	if (n == width || (n == 0 && !may_be_empty))
		return mb_diag_set(d, MB_ERR_CORRUPT, "media sandbox: %s: "
		    "empty or unterminated", what);
	for (size_t i = 0; i < n; i++)
		if (p[i] < 0x20 || p[i] > 0x7e)
			return mb_diag_set(d, MB_ERR_CORRUPT, "media sandbox: "
			    "%s: a byte that is not printable", what);
	for (size_t i = n; i < width; i++)
		if (p[i] != 0)
			return mb_diag_set(d, MB_ERR_CORRUPT, "media sandbox: "
			    "%s: bytes after its end", what);
	memcpy(dst, p, n + 1);
	return MB_OK;
}

static int
get_record(const uint8_t *rec, const struct mb_media_type *t,
    struct mb_media_rendition *r, uint64_t *len, struct mb_diag *d)
{
	const struct mb_media_type	*rt;
	double				 dur, rate;
	int32_t				 w, h;
	int				 rc;

	memset(r, 0, sizeof(*r));
	if ((rc = get_str(rec + F_NAME, sizeof(r->name), r->name, false,
	    "name", d)) != MB_OK ||
	    (rc = get_str(rec + F_MIME, sizeof(r->mime), r->mime, false,
	    "mime", d)) != MB_OK ||
	    (rc = get_str(rec + F_FORMAT, sizeof(r->format), r->format, false,
	    "format", d)) != MB_OK ||
	    (rc = get_str(rec + F_VCODEC, sizeof(r->video_codec),
	    r->video_codec, true, "video codec", d)) != MB_OK ||
	    (rc = get_str(rec + F_ACODEC, sizeof(r->audio_codec),
	    r->audio_codec, true, "audio codec", d)) != MB_OK)
		return rc;
	/* A rendition is the upload's own type or a picture made from it. */
	if ((rt = mb_media_type_by_mime(r->mime)) == NULL ||
	    (rt != t && rt->kind != MB_MEDIA_PICTURE))
		return mb_diag_set(d, MB_ERR_CORRUPT, "media sandbox: a "
		    "rendition of type %s from a %s", r->mime, t->mime);
	w = (int32_t)get32(rec + F_WIDTH);
	h = (int32_t)get32(rec + F_HEIGHT);
	dur = getd(rec + F_DURATION);
	rate = getd(rec + F_RATE);
	if (w < 0 || h < 0 || w > 1000000 || h > 1000000 || !isfinite(dur) ||
	    dur < 0 || !isfinite(rate) || rate < 0)
		return mb_diag_set(d, MB_ERR_CORRUPT, "media sandbox: "
		    "rendition %s: dimensions out of range", r->name);
	r->width = w;
	r->height = h;
	r->duration = dur;
	r->frame_rate = rate;
	*len = get64(rec + F_LEN);
	return MB_OK;
}

int
mb_media_wire_reply_parse(const uint8_t *p, size_t len,
    struct mb_media_set *out, uint64_t *cpu_ms, struct mb_diag *d)
{
	char		 mime[MB_MEDIA_WIRE_TYPE];
	uint64_t	 lens[MB_MEDIA_MAX_RENDITIONS], total = 0;
	size_t		 n, at;
	int		 rc;

	memset(out, 0, sizeof(*out));
	if (len < MB_MEDIA_WIRE_PREFIX)
		return mb_diag_set(d, MB_ERR_CORRUPT, "media sandbox: a reply "
		    "of %zu bytes", len);
	if ((rc = get_str(p, MB_MEDIA_WIRE_TYPE, mime, false, "type", d)) !=
	    MB_OK)
		return rc;
	if ((out->type = mb_media_type_by_mime(mime)) == NULL)
		return mb_diag_set(d, MB_ERR_CORRUPT, "media sandbox: type %s "
		    "is not allowed", mime);
	n = get32(p + 48);
	if (n == 0 || n > MB_MEDIA_MAX_RENDITIONS || get32(p + 52) != 0)
		return mb_diag_set(d, MB_ERR_CORRUPT, "media sandbox: %zu "
		    "renditions", n);
	*cpu_ms = get64(p + 56);
	if ((len - MB_MEDIA_WIRE_PREFIX) / MB_MEDIA_WIRE_RECORD < n)
		return mb_diag_set(d, MB_ERR_CORRUPT, "media sandbox: a reply "
		    "cut short");
	at = MB_MEDIA_WIRE_PREFIX;
	for (size_t i = 0; i < n; i++, at += MB_MEDIA_WIRE_RECORD) {
		if ((rc = get_record(p + at, out->type, &out->r[i], &lens[i],
		    d)) != MB_OK)
			goto fail;
		if (lens[i] == 0 || lens[i] > len || total > len - lens[i]) {
			rc = mb_diag_set(d, MB_ERR_CORRUPT, "media sandbox: "
			    "rendition %s: %llu bytes", out->r[i].name,
			    (unsigned long long)lens[i]);
			goto fail;
		}
		total += lens[i];
	}
	if (total != len - at) {
		rc = mb_diag_set(d, MB_ERR_CORRUPT, "media sandbox: %llu "
		    "bytes of renditions in a reply of %zu",
		    (unsigned long long)total, len - at);
		goto fail;
	}
	for (size_t i = 0; i < n; i++) {
		struct mb_media_rendition *r = &out->r[i];

		if ((r->data = malloc(lens[i])) == NULL) {
			out->n = i;
			rc = mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
			goto fail;
		}
		memcpy(r->data, p + at, lens[i]);
		r->len = lens[i];
		r->size = (int64_t)lens[i];
		r->free_fn = free;
		mb_media_hash(r->data, r->len, r->hash);
		at += lens[i];
	}
	out->n = n;
	return MB_OK;
fail:
	mb_media_set_free(out);
	memset(out, 0, sizeof(*out));
	return rc;
}
