/* SPDX-License-Identifier: MIT */
/* Fuzz target: a registry document as a peer serves it (form and HQ's signature). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include <jansson.h>

#include "center/names.h"
#include "sync/registry.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
each(const struct mb_center *c, void *arg)
{
	(void)arg;
	/* Fields reach the store: bounded, NUL-terminated. */
	if (strlen(c->id) >= sizeof(c->id) || strlen(c->url) >= sizeof(c->url))
		abort();
	return MB_OK;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t	pk[MB_PUBKEY_LEN];
	int64_t	version;

	if (sodium_init() < 0)
		abort();
	memset(pk, 0x42, sizeof(pk));
	(void)mb_sync_registry_verify((const char *)data, size, pk, &version,
	    each, NULL, NULL);
	/*
	 * A forged signature stops the parse before the centers: their
	 * optional fields (names, mt_pairs) are fuzzed here directly, as a
	 * signed document would reach them.
	 */
	{
		json_t			*root = json_loadb((const char *)data,
		    size, 0, NULL), *o;
		size_t			 i;
		struct mb_center	 c;
		char			 name[128];

		json_array_foreach(json_object_get(json_object_get(root,
		    "registry"), "centers"), i, o) {
			memset(&c, 0, sizeof(c));
			if (mb_center_names_from_json(&c, json_object_get(o,
			    "names"), NULL) == MB_OK) {
				if (strlen(c.names) >= sizeof(c.names))
					abort();
				mb_center_name_in(&c, "ar", name,
				    sizeof(name));
				mb_center_name_in(&c, "pt-BR", name,
				    sizeof(name));
			}
			if (mb_center_pairs_from_json(&c, json_object_get(o,
			    "mt_pairs"), NULL) == MB_OK) {
				json_decref(mb_center_pairs_json(&c));
				(void)mb_center_lends(&c, "en", "es");
			}
		}
		json_decref(root);
	}
	return 0;
}
