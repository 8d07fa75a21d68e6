/* SPDX-License-Identifier: MIT */
/* Parsing JSON from the network with limits jansson does not have. */
#include "http_int.h"

#include <string.h>

#include "base/utf8.h"
#include "item/json.h"

/* The deepest nesting of [ and { outside strings, or -1 if unbalanced. */
static long
json_depth(const char *p, size_t n)
{
	long	depth = 0, max = 0;
	int	in_str = 0;

	for (size_t i = 0; i < n; i++) {
		char c = p[i];

		if (in_str) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_str = 0;
			continue;
		}
		if (c == '"') {
			in_str = 1;
		} else if (c == '[' || c == '{') {
			if (++depth > max)
				max = depth;
		} else if (c == ']' || c == '}') {
			if (--depth < 0)
				return -1;
		}
	}
	return max;
}

int
mb_http_json_parse(const char *buf, size_t len, size_t max_depth,
    json_t **out, struct mb_diag *d)
{
	json_error_t	 e;
	json_t		*v;
	long		 depth;

	if (len == 0)
		return mb_diag_set(d, MB_ERR_INVAL, "body: empty, JSON wanted");
	if (!mb_utf8_valid(buf, len))
		return mb_diag_set(d, MB_ERR_INVAL, "body: not valid UTF-8");
	if ((depth = json_depth(buf, len)) > (long)max_depth)
		return mb_diag_set(d, MB_ERR_TOOBIG,
		    "body: JSON nested deeper than %zu levels", max_depth);
	v = mb_json_loadb(buf, len, JSON_REJECT_DUPLICATES, &e);
	if (v == NULL)
		return mb_diag_set(d, MB_ERR_INVAL,
		    "body: not valid JSON: %s at line %d column %d", e.text,
		    e.line, e.column);
	*out = v;
	return MB_OK;
}
