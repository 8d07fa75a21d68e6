/* SPDX-License-Identifier: MIT */
/* Fuzz target: a ticket revocation list as a check-in device loads it. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "signed/ticket.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
walk(const struct mb_revoked *rl)
{
	const char *prev = NULL, *r;

	for (size_t i = 0; i < mb_revoked_count(rl); i++) {
		r = mb_revoked_at(rl, i);
		/* Sorted, unique, and each one found. */
		if (r == NULL || (prev != NULL && strcmp(prev, r) >= 0) ||
		    !mb_revoked_has(rl, r))
			abort();
		prev = r;
	}
	if (mb_revoked_at(rl, mb_revoked_count(rl)) != NULL)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t			 pk[crypto_sign_PUBLICKEYBYTES];
	uint8_t			 sk[crypto_sign_SECRETKEYBYTES], seed[32];
	struct mb_revoked	*rl = NULL;
	enum mb_verdict		 why;

	if (sodium_init() < 0)
		abort();
	memset(seed, 0x42, sizeof(seed));
	crypto_sign_seed_keypair(pk, sk, seed);
	if (mb_revoked_parse((const char *)data, size, &rl, NULL) == MB_OK) {
		walk(rl);
		mb_revoked_free(rl);
		rl = NULL;
	}
	if (mb_revoked_load((const char *)data, size, pk, &rl, &why, NULL) ==
	    MB_OK) {
		walk(rl);
		mb_revoked_free(rl);
	}
	return 0;
}
