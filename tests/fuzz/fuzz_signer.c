/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target: a request to serve's signer (item/signer.h), as a worker
 * that a hostile request took over could send it: the first byte picks
 * the kind, the rest is what it asks to have signed as center "cairo".
 * Checks the promise that matters: what the signer accepts as an
 * envelope parses as one of cairo's, and it never accepts anything
 * longer than its limits.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "item/envelope.h"
#include "item/signer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int	kind;
	int	rc;

	if (size < 1)
		return 0;
	kind = data[0] % 7;
	rc = mb_signer_check(kind, "cairo", data + 1, size - 1, NULL);
	if (rc != MB_OK)
		return 0;
	if (kind < MB_SIGN_ENVELOPE || kind > MB_SIGN_PROOF)
		abort();
	if (kind == MB_SIGN_PROOF && size - 1 != 64)
		abort();
	if (kind == MB_SIGN_COMPACT && (size - 1 > MB_SIGNER_MAX_COMPACT ||
	    memcmp(data + 1, "mediabridge ", 12) != 0))
		abort();
	if (kind == MB_SIGN_HTTPSIG && size - 1 > MB_SIGNER_MAX_BASE)
		abort();
	if (kind == MB_SIGN_ENVELOPE) {
		if (size - 1 > MB_ENVELOPE_MAX ||
		    memcmp(data + 1, "{\"item\":", 8) != 0)
			abort();
	}
	return 0;
}
