/* SPDX-License-Identifier: MIT */
/* The allowlist of media types and their limits, by MIME type. */
#include "media.h"

#include <stdbool.h>
#include <string.h>

#define MiB (1024 * 1024)

/*
 * The allowlist. The limits are what one upload may weigh; the server's
 * max_body (mediabridge.conf) caps every request before this.
 */
static const struct mb_media_type types[] = {
	{ "image/jpeg", "jpeg", MB_MEDIA_PICTURE, 40 * (int64_t)MiB },
	{ "image/png", "png", MB_MEDIA_PICTURE, 40 * (int64_t)MiB },
	{ "image/webp", "webp", MB_MEDIA_PICTURE, 40 * (int64_t)MiB },
	{ "image/gif", "gif", MB_MEDIA_PICTURE, 20 * (int64_t)MiB },
	{ "image/avif", "avif", MB_MEDIA_PICTURE, 40 * (int64_t)MiB },
	{ "image/heif", "heif", MB_MEDIA_PICTURE, 40 * (int64_t)MiB },
	{ "video/mp4", "mp4", MB_MEDIA_VIDEO, 2048 * (int64_t)MiB },
	{ "video/webm", "webm", MB_MEDIA_VIDEO, 2048 * (int64_t)MiB },
	{ "audio/mpeg", "mp3", MB_MEDIA_AUDIO, 200 * (int64_t)MiB },
	{ "audio/ogg", "ogg", MB_MEDIA_AUDIO, 200 * (int64_t)MiB },
	{ "audio/wav", "wav", MB_MEDIA_AUDIO, 500 * (int64_t)MiB },
	{ "application/pdf", "pdf", MB_MEDIA_DOCUMENT, 50 * (int64_t)MiB },
};

/* libmagic's names for the same types. */
static const struct {
	const char *magic, *mime;
} aliases[] = {
	{ "image/heic", "image/heif" },
	{ "image/heic-sequence", "image/heif" },
	{ "image/heif-sequence", "image/heif" },
	{ "audio/x-wav", "audio/wav" },
	{ "audio/vnd.wave", "audio/wav" },
	{ "application/ogg", "audio/ogg" },
	{ "video/ogg", "audio/ogg" },
	{ "audio/mp3", "audio/mpeg" },
	{ "audio/x-mp3", "audio/mpeg" },
	{ "video/x-m4v", "video/mp4" },
	/*
	 * Not aliases: M4A (audio/mp4, audio/x-m4a) is no MP4 video and
	 * Matroska (video/x-matroska) holds codecs the WebM muxer refuses
	 * (H.264, AAC). Taken as such they failed later ("no video
	 * stream", "remuxing: Invalid argument"); refused, the uploader is
	 * told the type (415).
	 */
};

const char *
mb_media_kind_name(enum mb_media_kind k)
{
	switch (k) {
	case MB_MEDIA_PICTURE:
		return "picture";
	case MB_MEDIA_VIDEO:
		return "video";
	case MB_MEDIA_AUDIO:
		return "audio";
	case MB_MEDIA_DOCUMENT:
		return "document";
	}
	return "unknown";
}

const struct mb_media_type *
mb_media_type_by_mime(const char *mime)
{
	for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (strcmp(mime, aliases[i].magic) == 0) {
			mime = aliases[i].mime;
			break;
		}
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(mime, types[i].mime) == 0)
			return &types[i];
	return NULL;
}

/* The ISO base media box types a file of that family may begin with. */
static bool
iso_box(const unsigned char *h, size_t len)
{
	static const char *const boxes[] = { "ftyp", "moov", "mdat", "free",
	    "skip", "wide" };

	if (len < 8)
		return false;
	for (size_t i = 0; i < sizeof(boxes) / sizeof(boxes[0]); i++)
		if (memcmp(h + 4, boxes[i], 4) == 0)
			return true;
	return false;
}

static bool
riff(const unsigned char *h, size_t len, const char *form)
{
	return len >= 12 && memcmp(h, "RIFF", 4) == 0 &&
	    memcmp(h + 8, form, 4) == 0;
}

#define STARTS(h, len, lit) \
	((len) >= sizeof(lit) - 1 && memcmp((h), (lit), sizeof(lit) - 1) == 0)

bool
mb_media_type_matches(const struct mb_media_type *t, const void *head,
    size_t len)
{
	const unsigned char	*h = head;
	const char		*m = t->mime;

	if (strcmp(m, "image/jpeg") == 0)
		return STARTS(h, len, "\xff\xd8\xff");
	if (strcmp(m, "image/png") == 0)
		return STARTS(h, len, "\x89PNG\r\n\x1a\n");
	if (strcmp(m, "image/gif") == 0)
		return STARTS(h, len, "GIF87a") || STARTS(h, len, "GIF89a");
	if (strcmp(m, "image/webp") == 0)
		return riff(h, len, "WEBP");
	if (strcmp(m, "audio/wav") == 0)
		return riff(h, len, "WAVE");
	if (strcmp(m, "image/avif") == 0 || strcmp(m, "image/heif") == 0 ||
	    strcmp(m, "video/mp4") == 0)
		return iso_box(h, len);
	if (strcmp(m, "video/webm") == 0)
		return STARTS(h, len, "\x1a\x45\xdf\xa3");
	if (strcmp(m, "audio/ogg") == 0)
		return STARTS(h, len, "OggS");
	if (strcmp(m, "audio/mpeg") == 0)
		return STARTS(h, len, "ID3") || (len >= 2 && h[0] == 0xff &&
		    (h[1] & 0xe0) == 0xe0);
	if (strcmp(m, "application/pdf") == 0)
		/* libmagic, too, finds the header a little way in. */
		return memmem(h, len, "%PDF-", 5) != NULL;
	return false;
}

const char *
mb_media_checked_type(const char *claimed, const void *head, size_t len)
{
	const struct mb_media_type *t = mb_media_type_by_mime(claimed);

	return t != NULL && mb_media_type_matches(t, head, len) ? t->mime :
	    "application/octet-stream";
}

const char *
mb_media_serve_type(const char *mime, bool *attachment)
{
	const struct mb_media_type *t = mb_media_type_by_mime(mime);

	if (attachment != NULL)
		*attachment = t == NULL || t->kind == MB_MEDIA_DOCUMENT;
	return t != NULL ? t->mime : "application/octet-stream";
}
