/* SPDX-License-Identifier: MIT */
/* Fuzz target: a log answer from a peer (framing, envelopes, verification). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "item/key.h"
#include "store/store.h"
#include "sync/apply.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * One keyring for the run, from a throw-away store that knows center
 * "cairo" (a fixed key) and "dakar" (revoked): entries from both, and
 * from strangers, take every path of the verifier.
 */
static struct mb_sync_keyring *
keyring(void)
{
	static struct mb_sync_keyring	*kr;
	struct mb_store			*st;
	struct mb_center		 c;
	char				 dir[] = "/tmp/mb-fuzz-log.XXXXXX";
	char				 path[64];

	if (kr != NULL)
		return kr;
	if (sodium_init() < 0 || mkdtemp(dir) == NULL)
		abort();
	snprintf(path, sizeof(path), "%s/store.db", dir);
	if (mb_store_open(path, NULL, &st, NULL) != MB_OK)
		abort();
	for (int i = 0; i < 2; i++) {
		memset(&c, 0, sizeof(c));
		snprintf(c.id, sizeof(c.id), "%s", i ? "dakar" : "cairo");
		snprintf(c.name, sizeof(c.name), "x");
		snprintf(c.country, sizeof(c.country), "EG");
		snprintf(c.languages, sizeof(c.languages), "ar");
		snprintf(c.url, sizeof(c.url), "http://127.0.0.1:1");
		memset(c.key, 0x42 + i, MB_PUBKEY_LEN);
		snprintf(c.role, sizeof(c.role), "branch");
		snprintf(c.status, sizeof(c.status), "%s",
		    i ? "revoked" : "active");
		if (mb_store_center_put(st, &c, NULL) != MB_OK)
			abort();
	}
	if (mb_sync_keyring_load(st, &kr, NULL) != MB_OK)
		abort();
	mb_store_close(st);
	unlink(path);
	snprintf(path, sizeof(path), "%s/store.db-wal", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/store.db-shm", dir);
	unlink(path);
	rmdir(dir);
	return kr;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mb_sync_keyring	*kr = keyring();
	struct mb_sync_batch	*b;
	char			*body;

	/* The body is borrowed by the batch, as the puller's buffer is. */
	if ((body = malloc(size + 1)) == NULL)
		return 0;
	memcpy(body, data, size);
	body[size] = '\0';
	if (mb_sync_batch_parse(body, size, &b, NULL) == MB_OK) {
		size_t n = mb_sync_batch_count(b);

		mb_sync_batch_verify(b, kr, 0, n / 2);
		mb_sync_batch_verify(b, kr, n / 2, n);
		mb_sync_batch_unverify(b);
		mb_sync_batch_verify(b, kr, 0, n);
		mb_sync_batch_free(b);
	}
	free(body);
	return 0;
}
