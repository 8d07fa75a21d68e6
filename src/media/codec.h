/* SPDX-License-Identifier: MIT */
/*
 * The codec module: the part of src/media that needs libvips, FFmpeg and
 * libmagic (sniff.c, image.c, av.c, make.c). Those libraries bring about
 * 160 shared objects; linked into the program, each of its processes
 * loads and relocates them at start (~5 MiB of relocated data, most of
 * the dynamic loader's time) whether or not it ever makes a rendition,
 * serve's worker included, which hands that work to its sandbox.
 *
 * So the program (codec_load.c) loads the module (mediabridge-codecs.so)
 * on its first mb_media_init(), mb_media_sniff(), mb_media_make() or
 * mb_media_jpeg_rgb(), and the tests, fuzzers and benchmarks link the
 * same code directly (codec_direct.c). The module calls back into the
 * program for the rest of src/media and src/base (the program exports
 * its symbols), so there is one type table, one log and one
 * mb_media_set layout.
 */
#ifndef MB_MEDIA_CODEC_H
#define MB_MEDIA_CODEC_H

#include "media.h"

int mb_media_codec__init(struct mb_diag *d);
int mb_media_codec__sniff(const void *data, size_t len,
    const struct mb_media_type **out, struct mb_diag *d);
int mb_media_codec__make(const void *data, size_t len,
    const struct mb_media_limits *l, struct mb_media_set *out,
    struct mb_diag *d);
int mb_media_codec__jpeg_rgb(const unsigned char *rgb, int w, int h,
    int quality, void **out, size_t *len, struct mb_diag *d);

/* The module's file name (codec_load.c says where it is looked for). */
#define MB_MEDIA_CODEC_FILE "mediabridge-codecs.so"

#endif
