/* SPDX-License-Identifier: MIT */
/* Private to src/media: what the files of the module share. */
#ifndef MB_MEDIA_MEDIA_INT_H
#define MB_MEDIA_MEDIA_INT_H

#include "media.h"

/* Makes the picture renditions of data (image.c). */
int mb_media__image(const void *data, size_t len,
    const struct mb_media_limits *l, struct mb_media_set *s,
    struct mb_diag *d);

/*
 * Encodes packed RGB (w*h*3) as JPEG and WebP renditions called name and
 * name-webp (image.c).
 */
int mb_media__rgb(const unsigned char *rgb, int w, int h, const char *name,
    struct mb_media_set *s, struct mb_diag *d);

/* The next free rendition of s, zeroed; NULL when s is full. */
struct mb_media_rendition *mb_media__add(struct mb_media_set *s,
    const char *name, const char *mime, const char *format);

#endif
