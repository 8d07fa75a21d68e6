/* SPDX-License-Identifier: MIT */
/* Unit tests for src/media: sniffing, blobs, picture renditions without metadata, bombs, gc. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <vips/vips.h>
#include <zlib.h>

#include "media/media.h"

/* ---- Test media, made here ---------------------------------------- */

/* A w x h JPEG (or PNG) with a pattern, from libvips. */
static void *
make_picture(int w, int h, bool png, size_t *len)
{
	VipsImage	*x, *y, *img;
	void		*buf;

	assert_int_equal(vips_xyz(&x, w, h, NULL), 0);
	assert_int_equal(vips_bandjoin_const1(x, &y, 128, NULL), 0);
	g_object_unref(x);
	assert_int_equal(vips_cast_uchar(y, &img, NULL), 0);
	g_object_unref(y);
	if (png)
		assert_int_equal(vips_pngsave_buffer(img, &buf, len, NULL), 0);
	else
		assert_int_equal(vips_jpegsave_buffer(img, &buf, len, "Q", 90,
		    NULL), 0);
	g_object_unref(img);
	return buf;
}

static void
put16be(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)(v >> 8);
	p[1] = (unsigned char)v;
}

static void
put16(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
}

static void
put32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static void
ifd_entry(unsigned char *p, unsigned tag, unsigned type, uint32_t count,
    uint32_t value)
{
	put16(p, tag);
	put16(p + 2, type);
	put32(p + 4, count);
	put32(p + 8, value);
}

#define SECRET "Cairo-safehouse-30.0444N"

/*
 * jpeg with, after SOI: an EXIF APP1 carrying a GPS IFD (latitude
 * 30 2 15 N), an XMP APP1 and a comment, each naming SECRET.
 */
static unsigned char *
add_metadata(const unsigned char *jpeg, size_t len, size_t *outlen)
{
	unsigned char	 tiff[80], *out, *p;
	const char	 xmp_ns[] = "http://ns.adobe.com/xap/1.0/";
	char		 xmp[256];
	size_t		 xl, n;

	memset(tiff, 0, sizeof(tiff));
	memcpy(tiff, "II*\0", 4);
	put32(tiff + 4, 8);
	put16(tiff + 8, 1);			/* IFD0: one entry */
	ifd_entry(tiff + 10, 0x8825, 4, 1, 26);	/* GPSInfo -> 26 */
	put16(tiff + 26, 2);			/* GPS IFD: two entries */
	ifd_entry(tiff + 28, 0x0001, 2, 2, 'N');/* GPSLatitudeRef "N" */
	ifd_entry(tiff + 40, 0x0002, 5, 3, 56);	/* GPSLatitude -> 56 */
	put32(tiff + 56, 30); put32(tiff + 60, 1);
	put32(tiff + 64, 2); put32(tiff + 68, 1);
	put32(tiff + 72, 15); put32(tiff + 76, 1);
	snprintf(xmp, sizeof(xmp), "<x:xmpmeta xmlns:x='adobe:ns:meta/'>"
	    "<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>"
	    "<rdf:Description>%s</rdf:Description></rdf:RDF></x:xmpmeta>",
	    SECRET);
	xl = strlen(xmp);
	n = len + (4 + 6 + sizeof(tiff)) + (4 + sizeof(xmp_ns) + xl) +
	    (4 + strlen(SECRET));
	out = malloc(n);
	assert_non_null(out);
	p = out;
	memcpy(p, jpeg, 2);			/* SOI */
	p += 2;
	p[0] = 0xff; p[1] = 0xe1;
	put16be(p + 2, 2 + 6 + sizeof(tiff));
	memcpy(p + 4, "Exif\0\0", 6);
	memcpy(p + 10, tiff, sizeof(tiff));
	p += 4 + 6 + sizeof(tiff);
	p[0] = 0xff; p[1] = 0xe1;
	put16be(p + 2, (unsigned)(2 + sizeof(xmp_ns) + xl));
	memcpy(p + 4, xmp_ns, sizeof(xmp_ns));
	memcpy(p + 4 + sizeof(xmp_ns), xmp, xl);
	p += 4 + sizeof(xmp_ns) + xl;
	p[0] = 0xff; p[1] = 0xfe;
	put16be(p + 2, (unsigned)(2 + strlen(SECRET)));
	memcpy(p + 4, SECRET, strlen(SECRET));
	p += 4 + strlen(SECRET);
	memcpy(p, jpeg + 2, len - 2);
	*outlen = n;
	return out;
}

static bool
contains(const void *hay, size_t n, const char *needle)
{
	return memmem(hay, n, needle, strlen(needle)) != NULL;
}

/* A PNG whose header says w x h, with a tiny (empty) image stream. */
static unsigned char *
png_bomb(uint32_t w, uint32_t h, size_t *len)
{
	static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G', '\r',
	    '\n', 0x1a, '\n' };
	unsigned char	*p = calloc(1, 128), *c;
	unsigned char	 z[16];
	uLongf		 zl = sizeof(z);
	uint32_t	 crc;
	size_t		 n = 0;

	assert_int_equal(compress(z, &zl, (const Bytef *)"\0", 1), Z_OK);
	memcpy(p, sig, 8);
	n = 8;
	/* IHDR */
	c = p + n;
	c[3] = 13;
	memcpy(c + 4, "IHDR", 4);
	c[8] = (unsigned char)(w >> 24); c[9] = (unsigned char)(w >> 16);
	c[10] = (unsigned char)(w >> 8); c[11] = (unsigned char)w;
	c[12] = (unsigned char)(h >> 24); c[13] = (unsigned char)(h >> 16);
	c[14] = (unsigned char)(h >> 8); c[15] = (unsigned char)h;
	c[16] = 8; c[17] = 0;	/* 8-bit grey */
	crc = (uint32_t)crc32(0, c + 4, 17);
	c[21] = (unsigned char)(crc >> 24); c[22] = (unsigned char)(crc >> 16);
	c[23] = (unsigned char)(crc >> 8); c[24] = (unsigned char)crc;
	n += 25;
	/* IDAT */
	c = p + n;
	c[3] = (unsigned char)zl;
	memcpy(c + 4, "IDAT", 4);
	memcpy(c + 8, z, zl);
	crc = (uint32_t)crc32(0, c + 4, (uInt)(4 + zl));
	c[8 + zl] = (unsigned char)(crc >> 24);
	c[9 + zl] = (unsigned char)(crc >> 16);
	c[10 + zl] = (unsigned char)(crc >> 8);
	c[11 + zl] = (unsigned char)crc;
	n += 12 + zl;
	/* IEND */
	c = p + n;
	memcpy(c + 4, "IEND", 4);
	crc = (uint32_t)crc32(0, c + 4, 4);
	c[8] = (unsigned char)(crc >> 24); c[9] = (unsigned char)(crc >> 16);
	c[10] = (unsigned char)(crc >> 8); c[11] = (unsigned char)crc;
	n += 12;
	*len = n;
	return p;
}

/* A mono 16-bit PCM WAV of secs seconds at 8000 Hz. */
static unsigned char *
make_wav(int secs, size_t *len)
{
	uint32_t	 data = (uint32_t)(8000 * 2 * secs);
	unsigned char	*p = calloc(1, 44 + data);

	assert_non_null(p);
	memcpy(p, "RIFF", 4);
	put32(p + 4, 36 + data);
	memcpy(p + 8, "WAVEfmt ", 8);
	put32(p + 16, 16);
	put16(p + 20, 1);
	put16(p + 22, 1);
	put32(p + 24, 8000);
	put32(p + 28, 16000);
	put16(p + 32, 2);
	put16(p + 34, 16);
	memcpy(p + 36, "data", 4);
	put32(p + 40, data);
	for (uint32_t i = 0; i < data / 2; i++)
		put16(p + 44 + 2 * i, (unsigned)((i * 37) & 0x3fff));
	*len = 44 + data;
	return p;
}

static char tmpdir[64];

static int
setup(void **state)
{
	struct mb_diag d = { "" };

	snprintf(tmpdir, sizeof(tmpdir), "/tmp/mb-media-XXXXXX");
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	if (mb_media_init(&d) != MB_OK) {
		fprintf(stderr, "init: %s\n", d.msg);
		return -1;
	}
	return 0;
}

static int
teardown(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

/* Files under dir/blobs (recursively one level deep). */
static int
count_blobs(const char *dir)
{
	char		 top[256], sub[512];
	DIR		*td, *sd;
	struct dirent	*e, *f;
	int		 n = 0;

	snprintf(top, sizeof(top), "%s/blobs", dir);
	if ((td = opendir(top)) == NULL)
		return 0;
	while ((e = readdir(td)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", top, e->d_name);
		if ((sd = opendir(sub)) == NULL)
			continue;
		while ((f = readdir(sd)) != NULL)
			if (f->d_name[0] != '.')
				n++;
		closedir(sd);
	}
	closedir(td);
	return n;
}

/* ---- Tests ---------------------------------------------------------- */

static void
test_sniff(void **state)
{
	const struct mb_media_type	*t;
	struct mb_diag			 d = { "" };
	const char			 html[] = "<!DOCTYPE html><html><head>"
	    "<title>x</title></head><body><script>alert(1)</script></body>"
	    "</html>\n";
	void				*jpg, *png;
	size_t				 jl, pl;

	jpg = make_picture(64, 48, false, &jl);
	png = make_picture(64, 48, true, &pl);
	assert_int_equal(mb_media_sniff(jpg, jl, &t, &d), MB_OK);
	assert_string_equal(t->mime, "image/jpeg");
	assert_int_equal(t->kind, MB_MEDIA_PICTURE);
	assert_int_equal(mb_media_sniff(png, pl, &t, &d), MB_OK);
	assert_string_equal(t->mime, "image/png");
	/* A ".jpg" that is HTML: the name is never asked. */
	assert_int_equal(mb_media_sniff(html, sizeof(html) - 1, &t, &d),
	    MB_ERR_UNSUPPORTED);
	assert_non_null(strstr(d.msg, "text/html"));
	assert_int_equal(mb_media_sniff("#!/bin/sh\nrm -rf /\n", 19, &t, &d),
	    MB_ERR_UNSUPPORTED);
	assert_int_equal(mb_media_sniff("", 0, &t, &d), MB_ERR_INVAL);
	assert_non_null(mb_media_type_by_mime("audio/x-wav"));
	assert_null(mb_media_type_by_mime("image/svg+xml"));
	/* Not MP4 video, not WebM: refused by name, not failed later. */
	assert_null(mb_media_type_by_mime("audio/mp4"));
	assert_null(mb_media_type_by_mime("audio/x-m4a"));
	assert_null(mb_media_type_by_mime("video/x-matroska"));
	g_free(jpg);
	g_free(png);
}

/* Fetched blobs: a peer's claimed type stands only on the allowlist and
 * when the bytes begin as that type's do (refs.c, routes_media.c). */
static void
test_fetched_types(void **state)
{
	const struct mb_media_type	*png = mb_media_type_by_mime(
	    "image/png");
	const struct mb_media_type	*mp4 = mb_media_type_by_mime(
	    "video/mp4");
	static const char		 pdf_html[] = "%PDF-1.4\n<html>"
	    "<script>alert(1)</script></html>";
	bool				 att;

	(void)state;
	assert_true(mb_media_type_matches(png, "\x89PNG\r\n\x1a\n....", 12));
	assert_false(mb_media_type_matches(png, pdf_html,
	    sizeof(pdf_html) - 1));
	assert_false(mb_media_type_matches(png, "\x89PNG", 4));
	assert_true(mb_media_type_matches(mp4, "\0\0\0 ftypisom", 12));
	assert_false(mb_media_type_matches(mp4, "<html><body>", 12));
	assert_true(mb_media_type_matches(mb_media_type_by_mime(
	    "application/pdf"), pdf_html, sizeof(pdf_html) - 1));
	assert_string_equal(mb_media_serve_type("text/html", &att),
	    "application/octet-stream");
	assert_true(att);
	assert_string_equal(mb_media_serve_type("image/svg+xml", &att),
	    "application/octet-stream");
	assert_true(att);
	assert_string_equal(mb_media_serve_type("application/pdf", &att),
	    "application/pdf");
	assert_true(att);
	assert_string_equal(mb_media_serve_type("audio/x-wav", &att),
	    "audio/wav");
	assert_false(att);
	assert_string_equal(mb_media_serve_type("image/jpeg", NULL),
	    "image/jpeg");
}

static void
test_blob_paths(void **state)
{
	struct mb_diag	d = { "" };
	char		path[256], hex[65], hex2[65];
	bool		created = false;
	struct stat	sb;

	assert_int_equal(mb_media_blob_path(tmpdir, "../../etc/passwd", path,
	    sizeof(path)), MB_ERR_INVAL);
	assert_int_equal(mb_media_blob_path(tmpdir, "ABCDEF", path,
	    sizeof(path)), MB_ERR_INVAL);
	assert_int_equal(mb_media_blob_put(tmpdir, "hello", 5, hex, &created,
	    &d), MB_OK);
	assert_true(created);
	assert_string_equal(hex, "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c"
	    "1fa7425e73043362938b9824");
	assert_int_equal(mb_media_blob_path(tmpdir, hex, path, sizeof(path)),
	    MB_OK);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_size, 5);
	assert_non_null(strstr(path, "/blobs/2c/2cf24dba"));
	/* Deduplicated: the same bytes are not written again. */
	assert_int_equal(mb_media_blob_put(tmpdir, "hello", 5, hex2, &created,
	    &d), MB_OK);
	assert_false(created);
	assert_string_equal(hex, hex2);
	assert_int_equal(mb_media_blob_remove(tmpdir, hex, &d), MB_OK);
	assert_int_equal(mb_media_blob_remove(tmpdir, hex, &d), MB_OK);
	assert_int_not_equal(stat(path, &sb), 0);
}

static void
test_href(void **state)
{
	const char	*h = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e"
	    "73043362938b9824";
	char		 href[160], back[65];

	assert_int_equal(mb_media_href(h, "image/jpeg", href, sizeof(href)),
	    MB_OK);
	assert_string_equal(href, "ni:///sha-256;LPJNul-wow4m6DsqxbninhsWHl"
	    "wfp0JecwQzYpOLmCQ?ct=image/jpeg");
	assert_int_equal(mb_media_href_hash(href, back), MB_OK);
	assert_string_equal(back, h);
	snprintf(href, sizeof(href), "https://cairo.example/media/%s", h);
	assert_int_equal(mb_media_href_hash(href, back), MB_OK);
	assert_string_equal(back, h);
	assert_int_equal(mb_media_href_hash("https://x.example/a.jpg", back),
	    MB_ERR_INVAL);
	assert_int_equal(mb_media_href_hash("ni:///sha-256;abc", back),
	    MB_ERR_INVAL);
	assert_int_equal(mb_media_href("../x", "a/b", href, sizeof(href)),
	    MB_ERR_INVAL);
}

/* A journalist's location must not leak through any rendition. */
static void
test_picture_stripped(void **state)
{
	struct mb_media_set	 s;
	struct mb_diag		 d = { "" };
	VipsImage		*in, *back;
	unsigned char		*withgps;
	void			*jpg;
	size_t			 jl, gl;
	json_t			*js;

	jpg = make_picture(2000, 1500, false, &jl);
	withgps = add_metadata(jpg, jl, &gl);
	g_free(jpg);
	/* The input does carry the location (libvips reads it). */
	in = vips_image_new_from_buffer(withgps, gl, "", NULL);
	assert_non_null(in);
	assert_true(vips_image_get_typeof(in, "exif-ifd3-GPSLatitude") != 0);
	g_object_unref(in);
	assert_true(contains(withgps, gl, SECRET));

	assert_int_equal(mb_media_make(withgps, gl, NULL, &s, &d), MB_OK);
	assert_int_equal(s.n, 6);
	assert_string_equal(s.r[0].name, "thumbnail");
	assert_string_equal(s.r[1].name, "thumbnail-webp");
	assert_string_equal(s.r[4].name, "large");
	assert_int_equal(s.r[0].width, 320);
	assert_int_equal(s.r[0].height, 240);
	assert_int_equal(s.r[2].width, 800);
	assert_int_equal(s.r[4].width, 1600);
	assert_int_equal(s.r[4].height, 1200);
	assert_string_equal(s.r[5].mime, "image/webp");
	for (size_t i = 0; i < s.n; i++) {
		const struct mb_media_rendition *r = &s.r[i];

		assert_false(contains(r->data, r->len, SECRET));
		assert_false(contains(r->data, r->len, "Exif"));
		assert_false(contains(r->data, r->len, "xmpmeta"));
		back = vips_image_new_from_buffer(r->data, r->len, "", NULL);
		assert_non_null(back);
		assert_true(vips_image_get_typeof(back,
		    "exif-ifd3-GPSLatitude") == 0);
		assert_true(vips_image_get_typeof(back, "exif-data") == 0);
		assert_true(vips_image_get_typeof(back, "xmp-data") == 0);
		g_object_unref(back);
		assert_int_equal(r->size, (int64_t)r->len);
		assert_true(mb_media_hash_ok(r->hash));
	}
	js = mb_media_set_json(&s);
	assert_non_null(js);
	assert_int_equal(json_array_size(js), 6);
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(js, 0), "name")), "thumbnail");
	assert_int_equal(json_integer_value(json_object_get(
	    json_array_get(js, 4), "width")), 1600);
	assert_true(strncmp(json_string_value(json_object_get(
	    json_array_get(js, 4), "href")), "ni:///sha-256;", 14) == 0);
	{
		struct mb_buf b = MB_BUF_INIT;

		assert_int_equal(mb_media_srcset(js, true, &b), MB_OK);
		assert_non_null(strstr(b.data, " 320w, /media/"));
		assert_non_null(strstr(b.data, " 1600w"));
		assert_non_null(strstr(b.data, s.r[5].hash));
		assert_null(strstr(b.data, s.r[4].hash));
		mb_buf_reset(&b);
		assert_int_equal(mb_media_srcset(js, false, &b), MB_OK);
		assert_non_null(strstr(b.data, s.r[4].hash));
		mb_buf_free(&b);
		assert_int_equal(mb_media_srcset(json_array_get(js, 0), false,
		    &b), MB_ERR_NOTFOUND);
	}
	json_decref(js);
	mb_media_set_free(&s);
	free(withgps);
}

static void
test_small_picture(void **state)
{
	struct mb_media_set	s;
	struct mb_diag		d = { "" };
	void			*png;
	size_t			 pl;

	png = make_picture(200, 100, true, &pl);
	assert_int_equal(mb_media_make(png, pl, NULL, &s, &d), MB_OK);
	/* No upscaling: one size, in PNG (no alpha -> JPEG) and WebP. */
	assert_int_equal(s.n, 2);
	assert_int_equal(s.r[0].width, 200);
	assert_int_equal(s.r[0].height, 100);
	assert_string_equal(s.r[0].mime, "image/jpeg");
	mb_media_set_free(&s);
	g_free(png);
}

static void
test_truncated(void **state)
{
	struct mb_media_set	s;
	struct mb_diag		d = { "" };
	void			*jpg;
	size_t			 jl;

	jpg = make_picture(1200, 900, false, &jl);
	assert_int_equal(mb_media_make(jpg, jl / 2, NULL, &s, &d),
	    MB_ERR_INVAL);
	assert_int_equal(s.n, 0);
	g_free(jpg);
}

static void
test_bombs(void **state)
{
	struct mb_media_set	 s;
	struct mb_media_limits	 l;
	struct mb_diag		 d = { "" };
	unsigned char		*p, *j;
	size_t			 n, jl;

	/* 100000 x 100000 grey: 10 gigapixels in a 70-byte file. */
	p = png_bomb(100000, 100000, &n);
	assert_true(n < 100);
	assert_int_equal(mb_media_make(p, n, NULL, &s, &d), MB_ERR_TOOBIG);
	assert_non_null(strstr(d.msg, "100000 x 100000"));
	free(p);
	/* Under the side limit but over the pixel limit. */
	p = png_bomb(20000, 20000, &n);
	assert_int_equal(mb_media_make(p, n, NULL, &s, &d), MB_ERR_TOOBIG);
	free(p);
	/* A JPEG whose frame header claims 60000 x 60000. */
	j = make_picture(64, 48, false, &jl);
	for (size_t i = 2; i + 9 < jl; i++)
		if (j[i] == 0xff && j[i + 1] == 0xc0) {
			put16be(j + i + 5, 60000);
			put16be(j + i + 7, 60000);
			break;
		}
	assert_int_equal(mb_media_make(j, jl, NULL, &s, &d), MB_ERR_TOOBIG);
	/* Tighter limits are honoured too. */
	g_free(j);
	j = make_picture(640, 480, false, &jl);
	mb_media_limits_default(&l);
	l.max_pixels = 100000;
	assert_int_equal(mb_media_make(j, jl, &l, &s, &d), MB_ERR_TOOBIG);
	l.max_pixels = 1000000;
	l.max_bytes = 100;
	assert_int_equal(mb_media_make(j, jl, &l, &s, &d), MB_ERR_TOOBIG);
	g_free(j);
}

static void
test_audio(void **state)
{
	struct mb_media_set	s;
	struct mb_diag		d = { "" };
	unsigned char		*w;
	size_t			 n;

	w = make_wav(2, &n);
	assert_int_equal(mb_media_make(w, n, NULL, &s, &d), MB_OK);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.r[0].name, "original");
	assert_string_equal(s.r[0].mime, "audio/wav");
	assert_true(s.r[0].duration > 1.9 && s.r[0].duration < 2.1);
	assert_string_equal(s.r[0].audio_codec, "pcm_s16le");
	mb_media_set_free(&s);
	/* Cut in the middle of its header: refused. */
	assert_int_not_equal(mb_media_make(w, 30, NULL, &s, &d), MB_OK);
	free(w);
}

/* Nothing is written for a refused upload; references decide gc. */
static void
test_store_gc(void **state)
{
	struct mb_store			*st;
	struct mb_store_version		 v;
	struct mb_store_blob		 b;
	struct mb_media_set		 s;
	struct mb_media_gc_result	 r;
	struct mb_diag			 d = { "" };
	char				 db[128], href[160], *env;
	void				*jpg;
	size_t				 jl;
	int64_t				 seq, seen;
	json_t				*e;

	snprintf(db, sizeof(db), "%s/store.db", tmpdir);
	assert_int_equal(mb_store_open(db, NULL, &st, &d), MB_OK);
	assert_int_equal(mb_media_ingest(tmpdir, st, "<html>", 6, NULL, &s,
	    &d), MB_ERR_UNSUPPORTED);
	assert_int_equal(count_blobs(tmpdir), 0);

	jpg = make_picture(1000, 800, false, &jl);
	assert_int_equal(mb_media_ingest(tmpdir, st, jpg, jl, NULL, &s, &d),
	    MB_OK);
	g_free(jpg);
	assert_int_equal(s.n, 6);
	assert_int_equal(count_blobs(tmpdir), 6);
	assert_int_equal(mb_store_blob_get(st, s.r[0].hash, &b, &d), MB_OK);
	assert_true(b.here);
	assert_int_equal(b.refs, 0);

	/* An item refers to the thumbnail and the large JPEG. */
	e = json_pack("{s:{s:s, s:s, s:s, s:[{s:s, s:s}, {s:s, s:s}]}}",
	    "item", "uri", "urn:mediabridge:cairo:01a", "version", "1",
	    "type", "picture", "renditions", "name", "thumbnail", "href", "",
	    "name", "large", "href", "");
	assert_int_equal(mb_media_href(s.r[0].hash, "image/jpeg", href,
	    sizeof(href)), MB_OK);
	json_object_set_new(json_array_get(json_object_get(json_object_get(e,
	    "item"), "renditions"), 0), "href", json_string(href));
	assert_int_equal(mb_media_href(s.r[4].hash, "image/jpeg", href,
	    sizeof(href)), MB_OK);
	json_object_set_new(json_array_get(json_object_get(json_object_get(e,
	    "item"), "renditions"), 1), "href", json_string(href));
	env = json_dumps(e, JSON_COMPACT);
	json_decref(e);
	memset(&v, 0, sizeof(v));
	v.uri = "urn:mediabridge:cairo:01a";
	v.center = "cairo";
	v.local = "01a";
	v.version = 1;
	v.origin = "cairo";
	v.audience = "public";
	v.pub_status = "usable";
	v.workflow = "published";
	v.type = "picture";
	v.created_ms = v.first_ms = v.received_ms = 1000;
	v.envelope = env;
	v.envelope_len = strlen(env);
	assert_int_equal(mb_store_put(st, &v, NULL, &seq, &d), MB_OK);
	free(env);
	assert_int_equal(mb_media_index(st, &seen, &d), MB_OK);
	assert_int_equal(seen, 1);
	assert_int_equal(mb_store_blob_get(st, s.r[0].hash, &b, &d), MB_OK);
	assert_int_equal(b.refs, 1);

	/* Within the grace period nothing goes. */
	assert_int_equal(mb_media_gc(tmpdir, st, 2000, 3600 * 1000, false, &r,
	    &d), MB_OK);
	assert_int_equal(r.removed, 0);
	assert_int_equal(count_blobs(tmpdir), 6);
	/* Dry run counts, removes nothing. */
	assert_int_equal(mb_media_gc(tmpdir, st, INT64_MAX / 2, 0, true, &r,
	    &d), MB_OK);
	assert_int_equal(r.removed, 4);
	assert_int_equal(count_blobs(tmpdir), 6);
	assert_int_equal(mb_media_gc(tmpdir, st, INT64_MAX / 2, 0, false, &r,
	    &d), MB_OK);
	assert_int_equal(r.removed, 4);
	assert_int_equal(count_blobs(tmpdir), 2);
	assert_int_equal(mb_store_blob_get(st, s.r[1].hash, &b, &d),
	    MB_ERR_NOTFOUND);
	assert_int_equal(mb_store_blob_get(st, s.r[4].hash, &b, &d), MB_OK);
	assert_true(b.here);
	mb_store_close(st);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sniff),
		cmocka_unit_test(test_fetched_types),
		cmocka_unit_test(test_blob_paths),
		cmocka_unit_test(test_href),
		cmocka_unit_test(test_picture_stripped),
		cmocka_unit_test(test_small_picture),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_bombs),
		cmocka_unit_test(test_audio),
		cmocka_unit_test(test_store_gc),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
