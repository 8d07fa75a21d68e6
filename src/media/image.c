/* SPDX-License-Identifier: MIT */
/* Picture renditions with libvips: bounded before decoding, stripped of metadata (codec module). */
#include "codec.h"
#include "media_int.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vips/vips.h>

static const struct {
	const char	*name;
	int		 size;
} sizes[] = {
	{ "thumbnail", MB_MEDIA_SIZE_THUMBNAIL },
	{ "medium", MB_MEDIA_SIZE_MEDIUM },
	{ "large", MB_MEDIA_SIZE_LARGE },
};

static void
vips_free_fn(void *p)
{
	g_free(p);
}

static int
vips_fail(struct mb_diag *d, int err, const char *what)
{
	char	msg[400];
	size_t	n;

	snprintf(msg, sizeof(msg), "%s", vips_error_buffer());
	vips_error_clear();
	n = strlen(msg);
	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		msg[--n] = '\0';
	for (char *p = msg; *p; p++)
		if (*p == '\n')
			*p = ' ';
	return mb_diag_set(d, err, "%s: %s", what, msg[0] ? msg :
	    "libvips failed");
}

/*
 * Drops every metadata field from img (which the caller owns alone):
 * EXIF (and in it GPS), XMP, IPTC, ICC, comments. The savers' "strip"
 * is asked for too, but libvips 8.14's WebP saver still writes XMP
 * with it, so nothing is left for it to write.
 */
static void
drop_metadata(VipsImage *img)
{
	gchar **f = vips_image_get_fields(img);

	for (int i = 0; f[i] != NULL; i++)
		if (strncmp(f[i], "exif-", 5) == 0 ||
		    strcmp(f[i], "xmp-data") == 0 ||
		    strcmp(f[i], "iptc-data") == 0 ||
		    strcmp(f[i], "icc-profile-data") == 0 ||
		    strncmp(f[i], "jpeg-", 5) == 0 ||
		    strncmp(f[i], "png-comment-", 12) == 0 ||
		    strcmp(f[i], "gif-comment") == 0 ||
		    strcmp(f[i], "orientation") == 0 ||
		    strcmp(f[i], "filename") == 0)
			vips_image_remove(img, f[i]);
	g_strfreev(f);
}

static uint32_t
le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static void
put_le32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

/*
 * Removes EXIF, XMP and ICC chunks from a WebP in place (libvips 8.14
 * writes a small EXIF chunk of its own, strip or not) and clears their
 * flags in VP8X; *len shrinks. MB_ERR_CORRUPT if the RIFF is not ours.
 */
static int
webp_strip(unsigned char *p, size_t *len)
{
	size_t	in = 12, out = 12, n = *len, vp8x = 0;

	if (n < 12 || memcmp(p, "RIFF", 4) != 0 || memcmp(p + 8, "WEBP", 4))
		return MB_ERR_CORRUPT;
	while (in + 8 <= n) {
		size_t csize = le32(p + in + 4), total = 8 + csize + (csize & 1);

		if (total > n - in)
			return MB_ERR_CORRUPT;
		if (memcmp(p + in, "EXIF", 4) == 0 ||
		    memcmp(p + in, "XMP ", 4) == 0 ||
		    memcmp(p + in, "ICCP", 4) == 0) {
			in += total;
			continue;
		}
		if (memcmp(p + in, "VP8X", 4) == 0 && csize >= 1)
			vp8x = out;
		memmove(p + out, p + in, total);
		in += total;
		out += total;
	}
	if (vp8x != 0)
		p[vp8x + 8] &= (unsigned char)~(0x20 | 0x08 | 0x04);
	put_le32(p + 4, (uint32_t)(out - 8));
	*len = out;
	return MB_OK;
}

/*
 * Saves img as a JPEG (PNG when it has alpha) and as a WebP, without any
 * metadata: "strip" drops EXIF (and so GPS), XMP, IPTC and ICC.
 */
static int
save_pair(VipsImage *img, const char *name, struct mb_media_set *s,
    struct mb_diag *d)
{
	struct mb_media_rendition	*r;
	bool				 alpha = vips_image_hasalpha(img);
	char				 wname[32];
	void				*buf;
	size_t				 len;

	if (alpha) {
		if (vips_pngsave_buffer(img, &buf, &len, "strip", TRUE,
		    "compression", 6, NULL) != 0)
			return vips_fail(d, MB_ERR_INVAL, "encoding PNG");
	} else if (vips_jpegsave_buffer(img, &buf, &len, "Q", 82, "strip",
	    TRUE, "optimize_coding", TRUE, "interlace", TRUE, NULL) != 0)
		return vips_fail(d, MB_ERR_INVAL, "encoding JPEG");
	if ((r = mb_media__add(s, name, alpha ? "image/png" : "image/jpeg",
	    alpha ? "png" : "jpeg")) == NULL) {
		g_free(buf);
		return mb_diag_set(d, MB_ERR_TOOBIG, "too many renditions");
	}
	r->data = buf;
	r->len = len;
	r->free_fn = vips_free_fn;
	r->width = vips_image_get_width(img);
	r->height = vips_image_get_height(img);
	if (vips_webpsave_buffer(img, &buf, &len, "Q", 75, "strip", TRUE,
	    NULL) != 0)
		return vips_fail(d, MB_ERR_INVAL, "encoding WebP");
	if (webp_strip(buf, &len) != MB_OK) {
		g_free(buf);
		return mb_diag_set(d, MB_ERR_INVAL, "encoding WebP: libvips "
		    "wrote no RIFF");
	}
	snprintf(wname, sizeof(wname), "%s-webp", name);
	if ((r = mb_media__add(s, wname, "image/webp", "webp")) == NULL) {
		g_free(buf);
		return mb_diag_set(d, MB_ERR_TOOBIG, "too many renditions");
	}
	r->data = buf;
	r->len = len;
	r->free_fn = vips_free_fn;
	r->width = vips_image_get_width(img);
	r->height = vips_image_get_height(img);
	return MB_OK;
}

int
mb_media__image(const void *data, size_t len,
    const struct mb_media_limits *l, struct mb_media_set *s,
    struct mb_diag *d)
{
	VipsImage	*hdr = NULL, *large = NULL, *mem = NULL, *t = NULL;
	int64_t		 pixels;
	int		 w, h, side, rc = MB_OK;

	/*
	 * The header only: libvips reads the dimensions without decoding
	 * the pixels, so a decompression bomb (a small file that says
	 * 100000 x 100000) is refused here, before any memory is spent.
	 */
	if ((hdr = vips_image_new_from_buffer(data, len, "", "access",
	    VIPS_ACCESS_SEQUENTIAL, "fail_on", VIPS_FAIL_ON_ERROR,
	    NULL)) == NULL)
		return vips_fail(d, MB_ERR_INVAL, "reading the picture");
	w = vips_image_get_width(hdr);
	h = vips_image_get_height(hdr);
	g_object_unref(hdr);
	pixels = (int64_t)w * h;
	if (w <= 0 || h <= 0)
		return mb_diag_set(d, MB_ERR_INVAL, "the picture has no "
		    "pixels");
	if (w > l->max_side || h > l->max_side || pixels > l->max_pixels)
		return mb_diag_set(d, MB_ERR_TOOBIG, "the picture is %d x %d "
		    "pixels; at most %d a side and %lld megapixels are "
		    "taken", w, h, l->max_side,
		    (long long)(l->max_pixels / 1000000));

	/*
	 * The large size straight from the bytes (JPEG and WebP shrink
	 * while decoding), turned upright by its EXIF orientation, in
	 * sRGB; fail_on=error turns a truncated or damaged file into an
	 * error instead of grey pixels. Then the smaller sizes come from
	 * the large one in memory.
	 */
	if (vips_thumbnail_buffer((void *)data, len, &large,
	    MB_MEDIA_SIZE_LARGE, "height", MB_MEDIA_SIZE_LARGE, "size",
	    VIPS_SIZE_DOWN, "option_string", "fail_on=error", NULL) != 0)
		return vips_fail(d, MB_ERR_INVAL, "reading the picture");
	mem = vips_image_copy_memory(large);
	g_object_unref(large);
	if (mem == NULL)
		return vips_fail(d, MB_ERR_INVAL, "decoding the picture");
	drop_metadata(mem);
	side = VIPS_MAX(vips_image_get_width(mem), vips_image_get_height(mem));
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		if (i > 0 && side <= sizes[i - 1].size)
			break;
		if (sizes[i].size >= side) {
			if ((rc = save_pair(mem, sizes[i].name, s, d)) != MB_OK)
				break;
			continue;
		}
		if (vips_thumbnail_image(mem, &t, sizes[i].size, "height",
		    sizes[i].size, "size", VIPS_SIZE_DOWN, NULL) != 0) {
			rc = vips_fail(d, MB_ERR_INVAL, "resizing");
			break;
		}
		rc = save_pair(t, sizes[i].name, s, d);
		g_object_unref(t);
		if (rc != MB_OK)
			break;
	}
	g_object_unref(mem);
	return rc;
}

int
mb_media__rgb(const unsigned char *rgb, int w, int h, const char *name,
    struct mb_media_set *s, struct mb_diag *d)
{
	VipsImage	*img;
	int		 rc;

	if ((img = vips_image_new_from_memory(rgb, (size_t)w * h * 3, w, h,
	    3, VIPS_FORMAT_UCHAR)) == NULL)
		return vips_fail(d, MB_ERR_NOMEM, "the poster frame");
	drop_metadata(img);
	rc = save_pair(img, name, s, d);
	g_object_unref(img);
	return rc;
}

int
mb_media_codec__jpeg_rgb(const unsigned char *rgb, int w, int h,
    int quality, void **out, size_t *len, struct mb_diag *d)
{
	VipsImage	*img;
	void		*buf = NULL;
	size_t		 n = 0;
	int		 rc = MB_OK;

	*out = NULL;
	*len = 0;
	if ((img = vips_image_new_from_memory(rgb, (size_t)w * h * 3, w, h,
	    3, VIPS_FORMAT_UCHAR)) == NULL)
		return vips_fail(d, MB_ERR_NOMEM, "the picture");
	if (vips_jpegsave_buffer(img, &buf, &n, "Q", quality, NULL) != 0)
		rc = vips_fail(d, MB_ERR_INVAL, "the picture");
	g_object_unref(img);
	if (rc != MB_OK)
		return rc;
	/* The caller frees with free(), not g_free(). */
	if ((*out = malloc(n)) == NULL) {
		g_free(buf);
		return mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
	}
	memcpy(*out, buf, n);
	*len = n;
	g_free(buf);
	return MB_OK;
}
