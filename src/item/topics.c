/* SPDX-License-Identifier: MIT */
/* The topics an item's subjects give it, derived where the envelope is parsed anyway. */
#include "item/topics.h"

#include <stdbool.h>
#include <string.h>

#include "base/err.h"
#include "base/fold.h"

/* A member that derives a topic: absent or null (nothing), or a string. */
static bool
plain(const json_t *v)
{
	return v == NULL || json_is_null(v) || (json_is_string(v) &&
	    strlen(json_string_value(v)) == json_string_length(v));
}

/*
 * Adds s (n bytes) in lower case unless the list in out from start
 * already holds it: folded onto the end, then dropped again when a
 * twin is found. Subjects are few (the editor allows 50): a walk is
 * enough.
 */
static int
add(struct mb_buf *out, size_t start, const char *s, size_t n)
{
	size_t		 at = out->len, m;
	const char	*p, *fresh;

	if (n == 0)
		return MB_OK;
	if (mb_fold_lower(out, s, n) != MB_OK ||
	    mb_buf_putc(out, '\0') != MB_OK) {
		out->len = at;
		return MB_ERR_NOMEM;
	}
	fresh = out->data + at;
	m = out->len - at - 1;
	for (p = out->data + start; p < fresh; p += strlen(p) + 1)
		if (strlen(p) == m && memcmp(p, fresh, m) == 0) {
			out->len = at;
			out->data[at] = '\0';
			break;
		}
	return MB_OK;
}

int
mb_item_topics(const json_t *subjects, struct mb_buf *out)
{
	static const char *const keys[] = { "uri", "name", "code" };
	size_t		 start = out->len, i;
	const json_t	*s;
	int		 rc = MB_OK;

	if (!json_is_array(subjects))
		return MB_ERR_INVAL;
	json_array_foreach(subjects, i, s) {
		if (!json_is_object(s))
			return MB_ERR_INVAL;
		for (size_t k = 0; k < 3; k++)
			if (!plain(json_object_get(s, keys[k])))
				return MB_ERR_INVAL;
	}
	json_array_foreach(subjects, i, s) {
		for (size_t k = 0; k < 3 && rc == MB_OK; k++) {
			const json_t	*v = json_object_get(s, keys[k]);
			const char	*t, *seg;

			if (!json_is_string(v))
				continue;
			t = json_string_value(v);
			rc = add(out, start, t, strlen(t));
			if (k != 0 || rc != MB_OK)
				continue;
			/* The uri's last segment: the whole uri without one. */
			for (seg = t + strlen(t); seg > t && seg[-1] != '/' &&
			    seg[-1] != ':'; seg--)
				;
			rc = add(out, start, seg, strlen(seg));
		}
		if (rc != MB_OK)
			break;
	}
	if (rc == MB_OK)
		rc = mb_buf_putc(out, '\0');
	if (rc != MB_OK)
		out->len = start;
	return rc;
}
