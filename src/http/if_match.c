/* SPDX-License-Identifier: MIT */
/* If-Match, parsed into the item versions it names (see if_match.h). */
#include "http/if_match.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/*
 * One entity-tag of If-Match: "N" or "N-gzip" (the tags this server
 * sends for an item's version N, identity or gzip-coded), or a bare N
 * as earlier clients sent. Weak tags never match (§13.1.1: strong
 * comparison). Returns the version, 0 for a tag that names none, -1 when
 * malformed; *next after it.
 */
static int64_t
one_tag(const char *s, const char **next)
{
	const char	*p = s, *end;
	char		*e;
	long long	 v;
	bool		 weak = false, quoted = false;

	if (strncmp(p, "W/", 2) == 0) {
		weak = true;
		p += 2;
	}
	if (*p == '"') {
		quoted = true;
		p++;
	}
	if (quoted) {
		if ((end = strchr(p, '"')) == NULL)
			return -1;
		*next = end + 1;
	} else {
		end = p + strcspn(p, ", \t");
		*next = end;
		if (weak)
			return -1;
	}
	for (const char *c = p; c < end; c++)
		if ((unsigned char)*c < 0x21 || *c == 0x7f ||
		    (!quoted && !isdigit((unsigned char)*c)))
			/* Unquoted, only a bare version is understood. */
			return -1;
	if (weak || end == p || !isdigit((unsigned char)*p))
		return 0;
	v = strtoll(p, &e, 10);
	if (v < 1)
		return 0;
	if (e == end || (quoted && (size_t)(end - e) == 5 &&
	    strncmp(e, "-gzip", 5) == 0))
		return v;
	return 0;
}

int
mb_if_match_parse(const char *h, struct mb_nr_precond *pre)
{
	const char *p = h, *next;

	memset(pre, 0, sizeof(*pre));
	if (h == NULL)
		return 1;
	while (*p == ' ' || *p == '\t')
		p++;
	if (strcmp(p, "*") == 0 || (p[0] == '*' && strspn(p + 1, " \t") ==
	    strlen(p + 1))) {
		pre->any = true;
		return 0;
	}
	for (;;) {
		int64_t v;

		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (*p == '\0')
			break;
		if ((v = one_tag(p, &next)) < 0)
			return -1;
		if (v > 0) {
			bool seen = false;

			for (int i = 0; i < pre->n; i++)
				seen |= pre->v[i] == v;
			/* Dropping a version could turn a match into a 412. */
			if (!seen && pre->n == (int)(sizeof(pre->v) /
			    sizeof(pre->v[0])))
				return -2;
			if (!seen)
				pre->v[pre->n++] = v;
		}
		p = next;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p != '\0' && *p != ',')
			return -1;
	}
	/* Tags that name no version here can never match: a stale 412. */
	if (pre->n == 0)
		pre->v[pre->n++] = -1;
	return 0;
}

