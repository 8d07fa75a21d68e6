/* SPDX-License-Identifier: MIT */
/* Parsing JSON from the network with limits jansson does not have. */
#include "http_int.h"

#include <string.h>

#include "base/utf8.h"
#include "item/json.h"
#include "item/json_scan.h"

int
mb_http_json_parse(const char *buf, size_t len,
    const struct mb_json_limits *lim, json_t **out, struct mb_diag *d)
{
	json_error_t	 e;
	json_t		*v;
	int		 rc;

	if (len == 0)
		return mb_diag_set(d, MB_ERR_INVAL, "body: empty, JSON wanted");
	if (!mb_utf8_valid(buf, len))
		return mb_diag_set(d, MB_ERR_INVAL, "body: not valid UTF-8");
	/* Before any tree is built: jansson's costs 240 bytes a "{}". */
	if ((rc = mb_json_scan(buf, len, lim, d)) != MB_OK) {
		mb_diag_prefix(d, "body");
		return rc;
	}
	v = mb_json_loadb(buf, len, JSON_REJECT_DUPLICATES, &e);
	if (v == NULL)
		return mb_diag_set(d, MB_ERR_INVAL,
		    "body: not valid JSON: %s at line %d column %d", e.text,
		    e.line, e.column);
	*out = v;
	return MB_OK;
}
