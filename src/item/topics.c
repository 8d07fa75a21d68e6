/* SPDX-License-Identifier: MIT */
/* The topics an item's subjects give it, derived where the envelope is parsed anyway. */
#include "item/topics.h"

#include <stdbool.h>
#include <string.h>

#include "base/err.h"

/* A member that derives a topic: absent or null (nothing), or a string. */
static bool
plain(const json_t *v)
{
	return v == NULL || json_is_null(v) || (json_is_string(v) &&
	    strlen(json_string_value(v)) == json_string_length(v));
}

/*
 * Whether the list in out from start already holds the n bytes of s
 * lowered. Subjects are few (the editor allows 50): a walk is enough.
 */
static bool
listed(const struct mb_buf *out, size_t start, const char *s, size_t n)
{
	const char *p = out->data + start, *end = out->data + out->len;

	while (p < end) {
		size_t m = strlen(p);

		if (m == n) {
			size_t i = 0;

			while (i < n && p[i] == ((s[i] >= 'A' && s[i] <= 'Z') ?
			    s[i] - 'A' + 'a' : s[i]))
				i++;
			if (i == n)
				return true;
		}
		p += m + 1;
	}
	return false;
}

static int
add(struct mb_buf *out, size_t start, const char *s, size_t n)
{
	if (n == 0 || (out->len > start && listed(out, start, s, n)))
		return MB_OK;
	if (mb_buf_reserve(out, n + 1) != MB_OK)
		return MB_ERR_NOMEM;
	for (size_t i = 0; i < n; i++)
		out->data[out->len + i] = (s[i] >= 'A' && s[i] <= 'Z') ?
		    (char)(s[i] - 'A' + 'a') : s[i];
	out->data[out->len + n] = '\0';
	out->len += n + 1;
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
