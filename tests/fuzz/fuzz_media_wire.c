/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target: a media sandbox reply, as a child that a hostile upload
 * took over could write it (media/wire.h). Checks the parser's promises:
 * what it accepts has 1..MB_MEDIA_MAX_RENDITIONS renditions of
 * allowlisted types, each with bytes that lie inside the input, hashed
 * here, and printable names.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "media/wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mb_media_set	s;
	uint64_t		cpu;
	size_t			total = 0;
	char			hex[65];

	if (mb_media_wire_reply_parse(data, size, &s, &cpu, NULL) != MB_OK)
		return 0;
	if (s.n == 0 || s.n > MB_MEDIA_MAX_RENDITIONS || s.type == NULL)
		abort();
	for (size_t i = 0; i < s.n; i++) {
		const struct mb_media_rendition *r = &s.r[i];

		if (r->data == NULL || r->len == 0 || r->size != (int64_t)r->len ||
		    mb_media_type_by_mime(r->mime) == NULL ||
		    strlen(r->name) == 0 || strlen(r->name) >= sizeof(r->name))
			abort();
		mb_media_hash(r->data, r->len, hex);
		if (strcmp(hex, r->hash) != 0)
			abort();
		total += r->len;
	}
	if (total > size)
		abort();
	mb_media_set_free(&s);
	return 0;
}
