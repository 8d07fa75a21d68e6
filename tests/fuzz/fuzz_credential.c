/* SPDX-License-Identifier: MIT */
/* Fuzz target: a credential or a status list as a verifier reads it. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "signed/credential.h"
#include "signed/proof.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t				 pk[crypto_sign_PUBLICKEYBYTES];
	uint8_t				 sk[crypto_sign_SECRETKEYBYTES];
	uint8_t				 seed[32];
	struct mb_credential_check	 c;
	struct mb_credential_facts	 f;
	struct mb_status_list		*sl = NULL;
	enum mb_verdict			 why;
	json_t				*doc = NULL;
	int				 rc;

	if (sodium_init() < 0)
		abort();
	memset(seed, 0x42, sizeof(seed));
	crypto_sign_seed_keypair(pk, sk, seed);
	/* 2027-04-11, inside the seeds' validity. */
	if (mb_status_list_load((const char *)data, size, pk, 1807444800000LL,
	    &sl, &why, NULL) == MB_OK) {
		if (mb_status_list_length(sl) < MB_STATUS_LIST_MIN ||
		    mb_status_list_get(sl, mb_status_list_length(sl)) != -1 ||
		    mb_status_list_get(sl, 0) < 0)
			abort();
	}
	c.pk = pk;
	c.now_ms = 1807444800000LL;
	c.status = sl;
	rc = mb_credential_verify_text((const char *)data, size, &c, &doc, &f,
	    &why, NULL);
	if ((rc == MB_OK) != (why == MB_VERDICT_VALID) ||
	    (rc == MB_OK && (f.id == NULL || f.issuer_id == NULL)))
		abort();
	json_decref(doc);
	/* The generic signed document, trusting its did:key. */
	(void)mb_proof_verify_text((const char *)data, size, NULL, NULL, NULL,
	    &why, NULL);
	mb_status_list_free(sl);
	return 0;
}
