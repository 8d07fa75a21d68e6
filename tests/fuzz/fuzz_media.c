/* SPDX-License-Identifier: MIT */
/* Fuzz target: an upload's bytes through sniffing, limits and renditions. */
#include <stddef.h>
#include <stdint.h>

#include "media/media.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mb_media_limits	l;
	struct mb_media_set	s;

	/* Small limits keep each run quick; the checks are the same. */
	mb_media_limits_default(&l);
	l.max_pixels = 4 * 1000 * 1000;
	l.max_side = 4000;
	l.max_duration = 60;
	if (mb_media_make(data, size, &l, &s, NULL) == MB_OK)
		mb_media_set_free(&s);
	return 0;
}
