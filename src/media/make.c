/* SPDX-License-Identifier: MIT */
/*
 * An upload's renditions, made in memory: pictures by libvips (image.c),
 * audio and video by libavformat (av.c), documents as they are. Part of
 * the codec module (codec.h).
 */
#include "codec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "media_int.h"

/* A poster frame fits this box (and is saved as JPEG and WebP). */
#define POSTER_SIDE 1280

static void
copy_av(struct mb_media_rendition *r, const struct mb_media_av *a)
{
	r->duration = a->duration;
	r->width = a->width;
	r->height = a->height;
	r->frame_rate = a->frame_rate;
	snprintf(r->video_codec, sizeof(r->video_codec), "%s", a->video_codec);
	snprintf(r->audio_codec, sizeof(r->audio_codec), "%s", a->audio_codec);
}

/*
 * Audio and video: the original remuxed without metadata (probed again
 * after, so the facts are the stored file's), and for video a poster.
 */
static int
make_av(const void *data, size_t len, const struct mb_media_type *t,
    const struct mb_media_limits *l, struct mb_media_set *s,
    struct mb_diag *d)
{
	static const struct {
		const char *type, *muxer;
	} muxers[] = {
		{ "mp4", "mp4" }, { "webm", "webm" }, { "mp3", "mp3" },
		{ "ogg", "ogg" }, { "wav", "wav" },
	};
	struct mb_media_rendition	*r;
	struct mb_media_av		 a;
	const char			*mux = NULL;
	unsigned char			*rgb = NULL;
	void				*out = NULL;
	size_t				 outlen = 0;
	int				 rc, w, h;

	for (size_t i = 0; i < sizeof(muxers) / sizeof(muxers[0]); i++)
		if (strcmp(t->name, muxers[i].type) == 0)
			mux = muxers[i].muxer;
	if (mux == NULL)
		return mb_diag_set(d, MB_ERR_UNSUPPORTED, "%s", t->mime);
	if ((rc = mb_media_av_probe(data, len, &a, d)) != MB_OK)
		return rc;
	if (a.duration > l->max_duration)
		return mb_diag_set(d, MB_ERR_TOOBIG, "%.0f seconds long; at "
		    "most %.0f are taken", a.duration, l->max_duration);
	if (a.width > l->max_side || a.height > l->max_side)
		return mb_diag_set(d, MB_ERR_TOOBIG, "the video is %d x %d",
		    a.width, a.height);
	if (t->kind == MB_MEDIA_VIDEO && a.video_codec[0] == '\0')
		return mb_diag_set(d, MB_ERR_INVAL, "the %s file has no video "
		    "stream", t->name);
	if ((rc = mb_media_av_strip(data, len, mux, &out, &outlen, d)) !=
	    MB_OK)
		return rc;
	if ((rc = mb_media_av_probe(out, outlen, &a, d)) != MB_OK) {
		free(out);
		return rc;
	}
	if ((r = mb_media__add(s, "original", t->mime, t->name)) == NULL) {
		free(out);
		return mb_diag_set(d, MB_ERR_TOOBIG, "too many renditions");
	}
	r->data = out;
	r->len = outlen;
	r->free_fn = free;
	copy_av(r, &a);
	if (t->kind != MB_MEDIA_VIDEO)
		return MB_OK;
	if ((rc = mb_media_av_frame(out, outlen, POSTER_SIDE, &rgb, &w, &h,
	    d)) != MB_OK)
		return rc;
	rc = mb_media__rgb(rgb, w, h, "poster", s, d);
	free(rgb);
	return rc;
}

int
mb_media_codec__make(const void *data, size_t len,
    const struct mb_media_limits *l,
    struct mb_media_set *out, struct mb_diag *d)
{
	const struct mb_media_type	*t;
	struct mb_media_limits		 dl;
	struct mb_media_rendition	*r;
	int				 rc;

	memset(out, 0, sizeof(*out));
	if (l == NULL) {
		mb_media_limits_default(&dl);
		l = &dl;
	}
	if ((rc = mb_media_codec__sniff(data, len, &t, d)) != MB_OK)
		return rc;
	if ((int64_t)len > t->max_bytes ||
	    (l->max_bytes > 0 && (int64_t)len > l->max_bytes))
		return mb_diag_set(d, MB_ERR_TOOBIG, "%zu bytes of %s; at most "
		    "%lld are taken", len, t->name, (long long)(l->max_bytes >
		    0 && l->max_bytes < t->max_bytes ? l->max_bytes :
		    t->max_bytes));
	out->type = t;
	switch (t->kind) {
	case MB_MEDIA_PICTURE:
		rc = mb_media__image(data, len, l, out, d);
		break;
	case MB_MEDIA_VIDEO:
	case MB_MEDIA_AUDIO:
		rc = make_av(data, len, t, l, out, d);
		break;
	case MB_MEDIA_DOCUMENT:
		/* Kept as uploaded: served as an attachment (docs/media.md). */
		if ((r = mb_media__add(out, "original", t->mime, t->name)) ==
		    NULL) {
			rc = MB_ERR_TOOBIG;
			break;
		}
		if ((r->data = malloc(len)) == NULL) {
			rc = mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
			break;
		}
		memcpy(r->data, data, len);
		r->len = len;
		r->free_fn = free;
		rc = MB_OK;
		break;
	default:
		rc = MB_ERR_UNSUPPORTED;
	}
	if (rc != MB_OK) {
		mb_media_set_free(out);
		memset(out, 0, sizeof(*out));
		return rc;
	}
	for (size_t i = 0; i < out->n; i++) {
		out->r[i].size = (int64_t)out->r[i].len;
		mb_media_hash(out->r[i].data, out->r[i].len, out->r[i].hash);
	}
	return MB_OK;
}
