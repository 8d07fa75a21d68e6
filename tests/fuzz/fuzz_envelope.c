/* SPDX-License-Identifier: MIT */
/* Fuzz target: the envelope parser (JSON, ninjs checks, meta, signature form). */
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "item/envelope.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mb_envelope	*e;
	struct mb_buf		 b = MB_BUF_INIT;

	if (mb_envelope_parse((const char *)data, size, &e, NULL) != MB_OK)
		return 0;
	/* What parses must also serialize canonically. */
	(void)mb_envelope_dump(e, &b, NULL);
	mb_buf_free(&b);
	mb_envelope_free(e);
	return 0;
}
