/* SPDX-License-Identifier: MIT */
/* The media sandbox's messages: framing, encoding and strict parsing. */
#ifndef MB_MEDIA_WIRE_H
#define MB_MEDIA_WIRE_H

/*
 * Both directions are one frame: a 16-byte header (magic, kind or
 * status, payload length) and the payload. All integers little-endian
 * (the two ends are one binary on one machine; the checks do not
 * depend on it).
 *
 *   request  "MBMQ" kind=1 (make) len | limits (32 bytes) | the upload
 *   reply    "MBMR" status len | OK: type mime (48), count (4), 0 (4),
 *            cpu ms (8), count fixed records (200 each), the bytes of
 *            every rendition one after the other
 *            | error: the diagnostic, at most 255 bytes
 *
 * mb_media_wire_reply_parse() is what the server trusts the child with:
 * every string must end inside its field and be printable, every type
 * allowlisted, every size add up exactly.
 */

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"
#include "media/media.h"

#define MB_MEDIA_WIRE_HEADER	16
#define MB_MEDIA_WIRE_LIMITS	32
#define MB_MEDIA_WIRE_RECORD	200
#define MB_MEDIA_WIRE_PREFIX	64
#define MB_MEDIA_WIRE_TYPE	48
#define MB_MEDIA_WIRE_MSG	255
#define MB_MEDIA_WIRE_MAKE	1

/* A frame's header. */
struct mb_media_wire_hdr {
	char		magic[4];	/* "MBMQ" or "MBMR" */
	int32_t		code;		/* request: kind; reply: status */
	uint64_t	len;		/* payload bytes */
};

void mb_media_wire_hdr_put(uint8_t out[MB_MEDIA_WIRE_HEADER],
    const char magic[4], int32_t code, uint64_t len);

/*
 * Checks a header: the magic, and len at most max (the caller's cap,
 * checked before anything is allocated).
 */
int mb_media_wire_hdr_get(const uint8_t in[MB_MEDIA_WIRE_HEADER],
    const char magic[4], uint64_t max, struct mb_media_wire_hdr *h,
    struct mb_diag *d);

/* The limits as the request carries them, and back. */
void mb_media_wire_limits_put(uint8_t out[MB_MEDIA_WIRE_LIMITS],
    const struct mb_media_limits *l);
int mb_media_wire_limits_get(const uint8_t in[MB_MEDIA_WIRE_LIMITS],
    struct mb_media_limits *l, struct mb_diag *d);

/* The payload of an OK reply for s, with cpu_ms; appended to out. */
int mb_media_wire_reply_put(const struct mb_media_set *s, uint64_t cpu_ms,
    struct mb_buf *out);

/*
 * Parses an OK reply's payload into out (each rendition's bytes copied
 * and hashed here). MB_ERR_CORRUPT, naming what was wrong, for anything
 * that is not exactly a well-formed reply. Free with mb_media_set_free().
 */
int mb_media_wire_reply_parse(const uint8_t *p, size_t len,
    struct mb_media_set *out, uint64_t *cpu_ms, struct mb_diag *d);

#endif
