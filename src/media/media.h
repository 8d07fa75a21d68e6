/* SPDX-License-Identifier: MIT */
/* Media: sniffing uploads, content-addressed blob files, renditions. */
#ifndef MB_MEDIA_MEDIA_H
#define MB_MEDIA_MEDIA_H

/*
 * An upload goes: bytes -> mb_media_sniff() (libmagic, never the name or
 * the client's Content-Type) -> the allowlist and its size limit ->
 * renditions made in memory (libvips for pictures: metadata stripped;
 * libavformat for audio and video: remuxed without metadata, probed, a
 * poster frame) -> every rendition written as a blob named by its
 * SHA-256 (DIR/blobs/<h0h1>/<hash>, atomically) -> one row per blob in
 * the store. Nothing is written until every rendition is made, so a
 * refused upload leaves nothing. See docs/media.md.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "base/blobpath.h"
#include "base/buf.h"
#include "base/err.h"
#include "store/store.h"

/* A blob's name: its SHA-256 in 64 lower-case hex digits. */
#define MB_MEDIA_HASH_LEN MB_BLOB_HASH_LEN

enum mb_media_kind {
	MB_MEDIA_PICTURE = 1,
	MB_MEDIA_VIDEO,
	MB_MEDIA_AUDIO,
	MB_MEDIA_DOCUMENT
};

/* One allowlisted type. */
struct mb_media_type {
	const char		*mime;		/* "image/jpeg" */
	const char		*name;		/* "jpeg" */
	enum mb_media_kind	 kind;
	int64_t			 max_bytes;	/* the upload limit */
};

/* "picture", "video", "audio", "document": the ninjs type word. */
const char *mb_media_kind_name(enum mb_media_kind k);

/*
 * Starts libvips, libmagic and libavformat once per process (any thread,
 * any number of times). MB_ERR_UNSUPPORTED when one cannot start.
 */
int mb_media_init(struct mb_diag *d);

/*
 * What the bytes are: an allowlisted type, or MB_ERR_UNSUPPORTED with d
 * naming what libmagic saw. Does no I/O beyond libmagic's database.
 */
int mb_media_sniff(const void *data, size_t len,
    const struct mb_media_type **out, struct mb_diag *d);

/* The allowlisted type with that MIME type; NULL when not allowed. */
const struct mb_media_type *mb_media_type_by_mime(const char *mime);

/*
 * Whether head, a file's first len bytes (MB_MEDIA_HEAD_LEN are enough),
 * begin as files of type t do: a check of the magic numbers, not a full
 * sniff, for bytes a peer sent under the type its item claims.
 */
#define MB_MEDIA_HEAD_LEN 1024
bool mb_media_type_matches(const struct mb_media_type *t, const void *head,
    size_t len);

/*
 * The type a blob that came from elsewhere (a peer's fetch, a bundle) is
 * recorded as, from the type claimed for it and its first len bytes:
 * the claimed one when allowlisted and head begins as that type's files
 * do, else application/octet-stream (served as a download), so that no
 * sender can have a center serve HTML or SVG under an image's name.
 */
const char *mb_media_checked_type(const char *claimed, const void *head,
    size_t len);

/*
 * The Content-Type a blob recorded as mime is served with: an
 * allowlisted type's own name, or application/octet-stream for anything
 * else (a peer's item may claim text/html or image/svg+xml). *attachment
 * (when not NULL) says the bytes are to be saved, not shown: those, and
 * PDF.
 */
const char *mb_media_serve_type(const char *mime, bool *attachment);

/* ---- Blob files -------------------------------------------------- */

/* hex (65 bytes) gets the SHA-256 of data. */
void mb_media_hash(const void *data, size_t len, char hex[65]);

/* mb_blob_hash_ok (base/blobpath.h, the one layout of blob files). */
bool mb_media_hash_ok(const char *s);

/*
 * mb_blob_path: DIR/blobs/<h0h1>/<hash>; MB_ERR_INVAL when hash is not a
 * blob name, so that no client string ever becomes a path.
 */
int mb_media_blob_path(const char *dir, const char *hash, char *out,
    size_t n);

/*
 * Writes data as a blob (atomically; a blob already there is kept: they
 * are the same bytes). hex gets its hash; *created (may be NULL) says
 * whether this call wrote it.
 */
int mb_media_blob_put(const char *dir, const void *data, size_t len,
    char hex[65], bool *created, struct mb_diag *d);

/* Removes a blob file; MB_OK when it was not there. */
int mb_media_blob_remove(const char *dir, const char *hash,
    struct mb_diag *d);

/* ---- Renditions -------------------------------------------------- */

/* Limits beside the per-type byte limits. */
struct mb_media_limits {
	int64_t	max_pixels;	/* width x height from the header */
	int	max_side;	/* pixels, either side */
	int64_t	max_bytes;	/* overall cap over the type's; 0: none */
	double	max_duration;	/* seconds of audio or video */
};

/* 100 megapixels, 30000 pixels a side, 6 hours. */
void mb_media_limits_default(struct mb_media_limits *l);

#define MB_MEDIA_MAX_RENDITIONS 10

struct mb_media_rendition {
	char	name[24];	/* "thumbnail", "medium-webp", "poster" ... */
	char	hash[65];
	char	mime[48];
	int64_t	size;
	int	width;		/* 0: not a picture */
	int	height;
	double	duration;	/* seconds; 0: none */
	double	frame_rate;	/* 0: none */
	char	video_codec[32];/* "" when none */
	char	audio_codec[32];
	char	format[32];	/* "jpeg", "webp", "mp4" ... */
	/* Private: the bytes until they are written, and how to free them. */
	void	*data;
	size_t	 len;
	void	(*free_fn)(void *);
};

/* What one upload became. */
struct mb_media_set {
	const struct mb_media_type	*type;
	size_t				 n;
	struct mb_media_rendition	 r[MB_MEDIA_MAX_RENDITIONS];
};

/*
 * Picture renditions: three sizes that fit a square box (no upscaling;
 * a size equal to the one below is left out), each in JPEG (PNG when
 * the picture has alpha) and in WebP, all without metadata.
 */
#define MB_MEDIA_SIZE_THUMBNAIL	320
#define MB_MEDIA_SIZE_MEDIUM	800
#define MB_MEDIA_SIZE_LARGE	1600

/*
 * Sniffs, checks and makes the renditions of data in memory (nothing
 * written). MB_ERR_UNSUPPORTED: not an allowed type; MB_ERR_TOOBIG:
 * over a limit; MB_ERR_INVAL: damaged or truncated. Free with
 * mb_media_set_free().
 */
int mb_media_make(const void *data, size_t len,
    const struct mb_media_limits *l, struct mb_media_set *out,
    struct mb_diag *d);

/*
 * Writes every rendition of s as a blob under dir and records each in
 * st (may be NULL) at now_ms. On failure the blobs this call created are
 * removed again.
 */
int mb_media_save(const char *dir, struct mb_store *st,
    struct mb_media_set *s, int64_t now_ms, struct mb_diag *d);

/*
 * Packed RGB (w*h*3) as a JPEG of that quality (1-100), in *out (free()
 * it), *len bytes: the demo's pictures.
 */
int mb_media_jpeg_rgb(const unsigned char *rgb, int w, int h, int quality,
    void **out, size_t *len, struct mb_diag *d);

/* mb_media_make() then mb_media_save(). */
int mb_media_ingest(const char *dir, struct mb_store *st, const void *data,
    size_t len, const struct mb_media_limits *l, struct mb_media_set *out,
    struct mb_diag *d);

/* Frees the in-memory bytes; the descriptions stay. */
void mb_media_set_free(struct mb_media_set *s);

/*
 * The set as a ninjs renditions array (a new reference): each with
 * name, href (the content-addressed URI, below), contentType,
 * sizeInBytes, format, width/height, duration, videoCodec, frameRate.
 */
json_t *mb_media_set_json(const struct mb_media_set *s);

/*
 * The href of a blob: RFC 6920 "ni:///sha-256;<base64url>?ct=<mime>",
 * an absolute URI that names the bytes, not a place; every center serves
 * it at /media/<hex>.
 */
int mb_media_href(const char *hash, const char *mime, char *out, size_t n);

/*
 * The hash an href names (ni: as above, or any URL whose path ends in
 * /media/<hex> or /blobs/<hex>). MB_ERR_INVAL when it names none.
 */
int mb_media_href_hash(const char *href, char hash[65]);

/*
 * The blobs an item version refers to: cb(hash, rendition, arg) for each
 * rendition of item (a ninjs object) and of its associations whose href
 * names one, in that order (rendition borrowed); a canceled version
 * refers to none. The one rule for the media index, gc and bundles.
 * Stops at, and returns, cb's first result other than MB_OK.
 */
int mb_media_item_blobs(const json_t *item,
    int (*cb)(const char *hash, const json_t *rendition, void *arg),
    void *arg);

/*
 * For pages: the srcset of an item's picture renditions (a ninjs array,
 * borrowed) -- "/media/<hex> 320w, /media/<hex> 800w, ..." -- of the
 * WebP ones (webp) or of the others (the JPEG/PNG fallback), appended
 * to out. Renditions whose href names no blob, or without a width, are
 * left out. MB_ERR_NOTFOUND when none is left.
 */
int mb_media_srcset(const json_t *renditions, bool webp, struct mb_buf *out);

/* ---- Audio and video --------------------------------------------- */

struct mb_media_av {
	double	duration;
	int	width, height;
	double	frame_rate;
	char	video_codec[32];
	char	audio_codec[32];
	char	format[32];
};

/* Probes audio or video in memory (bounded: libavformat on a buffer). */
int mb_media_av_probe(const void *data, size_t len, struct mb_media_av *out,
    struct mb_diag *d);

/*
 * Remuxes audio or video into the same container without any metadata
 * (phones put the place in MP4's udta): *out (malloc'd) gets the bytes.
 */
int mb_media_av_strip(const void *data, size_t len, const char *format,
    void **out, size_t *outlen, struct mb_diag *d);

/*
 * The first decodable video frame as packed RGB (malloc'd, w*h*3),
 * scaled to fit max_side.
 */
int mb_media_av_frame(const void *data, size_t len, int max_side,
    unsigned char **rgb, int *w, int *h, struct mb_diag *d);

/* ---- References and collection (gc) ------------------------------ */

/*
 * Reads the log from where it stopped (the store keeps the cursor) and
 * records which blobs each item's current version refers to (by the
 * hashes of its renditions' hrefs). A canceled version refers to none.
 * *seen (may be NULL) counts versions read.
 */
int mb_media_index(struct mb_store *st, int64_t *seen, struct mb_diag *d);

struct mb_media_gc_result {
	int64_t	removed;	/* blobs deleted */
	int64_t	bytes;		/* their sizes */
	int64_t	kept;		/* blobs still referred to, or too new */
};

/*
 * Brings the references up to date, then removes every blob no item
 * refers to that was stored before now_ms - grace_ms (an upload not yet
 * in an item is left that long). dry: only count.
 */
int mb_media_gc(const char *dir, struct mb_store *st, int64_t now_ms,
    int64_t grace_ms, bool dry, struct mb_media_gc_result *r,
    struct mb_diag *d);

/* ---- Fetching from other centers --------------------------------- */

/*
 * Fetches one blob from the center at base into dir's blob store,
 * checking the hash (the exchange's mb_sync_blob_fetch; media does not
 * know HTTP). MB_OK once the blob is here; MB_ERR_AGAIN when it chose
 * not to try now (backing off, or base is this center): not logged.
 */
typedef int (*mb_media_fetch_fn)(void *arg, const char *base,
    const char *hash, struct mb_diag *d);

/* Pictures and anything up to this size are fetched eagerly. */
#define MB_MEDIA_EAGER_BYTES (16 * 1024 * 1024)

/*
 * One round: index the log, then fetch every wanted blob that is
 * missing and eager -- a picture, or up to eager_bytes (negative: every
 * missing blob) -- from its origin center's URL (from the store's
 * centers) and then from the peers. *got counts the blobs fetched. A
 * blob that fails stays wanted.
 */
int mb_media_fetch_round(const char *dir, struct mb_store *st,
    mb_media_fetch_fn fetch, void *arg, int64_t eager_bytes, int64_t *got,
    struct mb_diag *d);

/*
 * Fetches one blob that an item refers to but that is not here (the
 * first request for a large video). MB_ERR_NOTFOUND when no item refers
 * to it.
 */
int mb_media_fetch_one(const char *dir, struct mb_store *st,
    mb_media_fetch_fn fetch, void *arg, const char *hash,
    struct mb_diag *d);

/*
 * Whether blob hash is a thumbnail (kind.c): a rendition named
 * "thumbnail" or "poster", or a picture at most MB_MEDIA_SIZE_THUMBNAIL
 * wide, in the current version of an item that refers to it. A link
 * with a policy sends these after the text and before the originals
 * (src/sync/link.h). MB_ERR_NOTFOUND when no item refers to the blob.
 */
int mb_media_blob_thumbnail(struct mb_store *st, const char *hash,
    bool *thumbnail, struct mb_diag *d);

#endif
