/* SPDX-License-Identifier: MIT */
/*
 * The media API's codec calls, linked straight to the codec code: for the
 * tests, fuzzers and benchmarks. The program loads the same code as a
 * module instead (codec_load.c, codec.h).
 */
#include "codec.h"

int
mb_media_init(struct mb_diag *d)
{
	return mb_media_codec__init(d);
}

int
mb_media_sniff(const void *data, size_t len,
    const struct mb_media_type **out, struct mb_diag *d)
{
	return mb_media_codec__sniff(data, len, out, d);
}

int
mb_media_make(const void *data, size_t len, const struct mb_media_limits *l,
    struct mb_media_set *out, struct mb_diag *d)
{
	return mb_media_codec__make(data, len, l, out, d);
}

int
mb_media_jpeg_rgb(const unsigned char *rgb, int w, int h, int quality,
    void **out, size_t *len, struct mb_diag *d)
{
	return mb_media_codec__jpeg_rgb(rgb, w, h, quality, out, len, d);
}
