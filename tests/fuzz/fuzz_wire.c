/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target: feed documents (RSS, Atom, JSON Feed, NewsML-G2) as a
 * server sends them, then every entry written out as NewsML-G2 and read
 * back, which must give an item again.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wire/wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mb_wire_opts	 o = { .url = "https://feeds.example/a/feed",
				    .max_entries = 50 };
	struct mb_wire_feed	 f;
	struct mb_diag		 d = { "" };
	const json_t		*e;
	size_t			 i;
	int			 rc;

	rc = mb_wire_parse((const char *)data, size, &o, &f, &d);
	if (rc != MB_OK) {
		if (rc != MB_ERR_INVAL && rc != MB_ERR_TOOBIG)
			abort();
		return 0;
	}
	json_array_foreach(f.entries, i, e) {
		json_t			*it = json_deep_copy(json_object_get(e,
					    "item"));
		struct mb_buf		 out = MB_BUF_INIT;
		struct mb_wire_feed	 g;
		const char		*key = json_string_value(
					    json_object_get(e, "key"));

		if (it == NULL || key == NULL || key[0] == '\0')
			abort();
		json_object_set_new(it, "uri", json_string(
		    "urn:mediabridge:fuzz:x"));
		if (json_object_get(it, "versionCreated") == NULL)
			json_object_set_new(it, "versionCreated",
			    json_string("2026-12-05T00:00:00Z"));
		/* What we write we must read back as one entry. */
		if (mb_wire_newsml_write(it, "fuzz", &out, &d) == MB_OK) {
			if (mb_wire_parse(out.data, out.len, NULL, &g, &d) !=
			    MB_OK || json_array_size(g.entries) > 1)
				abort();
			mb_wire_feed_free(&g);
		}
		mb_buf_free(&out);
		json_decref(it);
	}
	mb_wire_feed_free(&f);
	return 0;
}
