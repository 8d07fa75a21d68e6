/* SPDX-License-Identifier: MIT */
/* Fuzz target: a registry document as a peer serves it (form and HQ's signature). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

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
	return 0;
}
