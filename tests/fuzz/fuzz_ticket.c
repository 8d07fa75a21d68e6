/* SPDX-License-Identifier: MIT */
/* Fuzz target: a ticket as a scanner reads it. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "item/id.h"
#include "signed/ticket.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The key the seeds in corpus/ticket/ are signed with: seed 0x42 x 32. */
static uint8_t pk[crypto_sign_PUBLICKEYBYTES];

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t			sk[crypto_sign_SECRETKEYBYTES], seed[32];
	char			center[MB_CENTER_MAX + 1];
	char			local[MB_LOCAL_MAX + 1];
	struct mb_ticket	t, v;
	enum mb_verdict		why;
	int			rc;

	if (sodium_init() < 0)
		abort();
	memset(seed, 0x42, sizeof(seed));
	crypto_sign_seed_keypair(pk, sk, seed);
	if (mb_ticket_parse((const char *)data, size, &t, NULL) == MB_OK) {
		/* What a parsed ticket holds is bounded and well-formed. */
		if (!mb_center_id_valid(t.issuer) ||
		    mb_uri_parse(t.event, center, local) != MB_OK ||
		    !mb_local_id_valid(t.registration) ||
		    t.valid_until_ms < t.valid_from_ms)
			abort();
		(void)mb_ticket_holder_is(&t, "Amira Haddad");
	}
	/* 2027-04-11: inside the seeds' validity. */
	rc = mb_ticket_verify((const char *)data, size, pk, 1807444800000LL,
	    NULL, &v, &why, NULL);
	if ((rc == MB_OK) != (why == MB_VERDICT_VALID))
		abort();
	return 0;
}
