/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target: the JSON limits (item/json_scan). The verdict must not depend
 * on where the text is cut, and on valid JSON it must match the tree jansson
 * builds: accepted means the tree is within the limits, and a tree over the
 * depth or value limit must have been refused.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "item/json_scan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct tally {
	size_t	depth, values, longest;
};

/* What the tree holds: depth, values and member names, longest string. */
static void
tally(json_t *v, size_t level, struct tally *t)
{
	const char	*k;
	json_t		*x;
	size_t		 i;

	t->values++;
	if (json_is_string(v) && json_string_length(v) > t->longest)
		t->longest = json_string_length(v);
	if (!json_is_object(v) && !json_is_array(v))
		return;
	if (level + 1 > t->depth)
		t->depth = level + 1;
	if (json_is_array(v)) {
		json_array_foreach(v, i, x)
			tally(x, level + 1, t);
		return;
	}
	json_object_foreach(v, k, x) {
		t->values++;
		if (strlen(k) > t->longest)
			t->longest = strlen(k);
		tally(x, level + 1, t);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mb_json_limits	 lim;
	struct mb_json_scan	 s;
	struct tally		 t = { 0, 0, 0 };
	const char		*doc;
	size_t			 n, cut;
	json_t			*v;
	int			 whole, parts;

	if (size < 4)
		return 0;
	/* Four bytes pick the limits and where the text is cut. */
	lim.depth = data[0] % 12;
	lim.values = data[1] % 64;
	lim.token = data[2] % 48;
	doc = (const char *)data + 4;
	n = size - 4;
	cut = n > 0 ? data[3] % (n + 1) : 0;

	whole = mb_json_scan(doc, n, &lim, NULL);
	mb_json_scan_init(&s, &lim);
	parts = mb_json_scan_feed(&s, doc, cut, NULL);
	if (parts == MB_OK)
		parts = mb_json_scan_feed(&s, doc + cut, n - cut, NULL);
	if (whole != parts || (whole != MB_OK && whole != MB_ERR_TOOBIG))
		abort();

	v = json_loadb(doc, n, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, NULL);
	if (v == NULL)
		return 0;
	tally(v, 0, &t);
	json_decref(v);
	if (whole == MB_OK && ((lim.depth > 0 && t.depth > lim.depth) ||
	    (lim.values > 0 && t.values > lim.values) ||
	    (lim.token > 0 && t.longest > lim.token)))
		abort();
	if (whole == MB_OK)
		return 0;
	/* Refused: one of the limits must really be passed. */
	if ((lim.depth == 0 || t.depth <= lim.depth) &&
	    (lim.values == 0 || t.values <= lim.values) && lim.token == 0)
		abort();
	return 0;
}
