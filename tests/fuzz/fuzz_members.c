/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target: a published member document (a profile, a proposal, a
 * tally) as another center's envelope brings it and the members service
 * reads it back: the envelope's item and meta, then the domain data kept
 * as JSON text in the item's "descriptions" (members/members_int.h).
 * Checks that what is read is what was there: data read back is an
 * object, and set on a fresh item it reads back equal.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <jansson.h>

#include "members/members_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const kinds[] = { "member", "proposal", "tally",
	    "vote" };
	json_t		*item, *meta, *dat, *fresh, *back, *v;
	const char	*key;

	if (mb_members__parse((const char *)data, size, &item, &meta,
	    NULL) != MB_OK)
		return 0;
	if (item == NULL || meta == NULL)
		abort();
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		if ((dat = mb_members__data(item, kinds[k])) == NULL)
			continue;
		if (!json_is_object(dat))
			abort();
		/* What is published is what is read: set, then read back. */
		if ((fresh = json_object()) == NULL)
			abort();
		if (mb_members__set_data(fresh, kinds[k], dat) == MB_OK) {
			back = mb_members__data(fresh, kinds[k]);
			if (back == NULL || !json_equal(back, dat))
				abort();
			json_decref(back);
		}
		/* Its texts are shown only when plain. */
		json_object_foreach(dat, key, v)
			if (json_is_string(v))
				(void)mb_members__plain(json_string_value(v));
		json_decref(fresh);
		json_decref(dat);
	}
	json_decref(item);
	json_decref(meta);
	return 0;
}
