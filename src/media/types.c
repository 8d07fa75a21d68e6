/* SPDX-License-Identifier: MIT */
/* The allowlist of media types and their limits, by MIME type. */
#include "media.h"

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
	{ "audio/mp4", "video/mp4" },
	{ "audio/x-m4a", "video/mp4" },
	{ "video/x-matroska", "video/webm" },
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
