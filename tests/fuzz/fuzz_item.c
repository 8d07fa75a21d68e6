/* SPDX-License-Identifier: MIT */
/* Fuzz target: a ninjs item through validation and canonical JSON. */
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "base/buf.h"
#include "item/envelope.h"
#include "item/jcs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mb_buf	 b = MB_BUF_INIT;
	json_t		*v;

	v = json_loadb((const char *)data, size,
	    JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, NULL);
	if (v == NULL)
		return 0;
	(void)mb_item_check(v, NULL);
	(void)mb_jcs_dump(v, &b, NULL);
	mb_buf_free(&b);
	json_decref(v);
	return 0;
}
