/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target: what every request to the site hands the message catalogs
 * (http/i18n.h): the Accept-Language header, the mb_lang cookie and a
 * path's first segment. The input up to its first NUL is the header; what
 * follows is the cookie, and the whole input is also tried as a path
 * segment. Checks the promises, not just survival: a language is always
 * chosen, it is one of the catalogs, a cookie naming one wins, and a
 * segment taken for a tag looks like one.
 */
#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/i18n.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Catalogs loaded once: left to right and right to left, CLDR's data. */
static struct mb_i18n *
catalogs(void)
{
	static const char *const langs[] = { "en", "ar", "fr", "pt", "sw",
	    "zh" };
	static struct mb_i18n	*i;
	static const char	 text[] = "lang.name = x\nnav.search = y\n";

	if (i != NULL)
		return i;
	if (mb_i18n_new(&i) != MB_OK)
		abort();
	for (size_t k = 0; k < sizeof(langs) / sizeof(langs[0]); k++)
		if (mb_i18n_add(i, langs[k], text, sizeof(text) - 1, NULL) !=
		    MB_OK)
			abort();
	return i;
}

static bool
known(const struct mb_i18n *i, const struct mb_catalog *c)
{
	for (size_t k = 0; k < mb_i18n_count(i); k++)
		if (mb_i18n_at(i, k) == c)
			return true;
	return false;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct mb_i18n	*i = catalogs();
	const struct mb_catalog	*c, *want;
	const char		*cookie;
	char			*h;
	size_t			 hl;

	/* Header values and cookies are C strings. */
	if ((h = malloc(size + 1)) == NULL)
		return 0;
	memcpy(h, data, size);
	h[size] = '\0';
	hl = strlen(h);
	cookie = hl < size ? h + hl + 1 : NULL;

	c = mb_i18n_negotiate(i, NULL, h);
	if (c == NULL || !known(i, c))
		abort();
	c = mb_i18n_negotiate_or(i, cookie, h, "ar,en");
	if (c == NULL || !known(i, c))
		abort();
	/* The remembered choice wins when there is a catalog for it. */
	if ((want = mb_i18n_get(i, cookie)) != NULL && c != want)
		abort();

	/* A catalog found for a tag is its primary subtag's, lower-cased. */
	if ((c = mb_i18n_get(i, h)) != NULL) {
		const char *l = mb_catalog_lang(c);
		size_t n = strlen(l);

		if (!known(i, c) || strncasecmp(h, l, n) != 0 ||
		    (h[n] != '\0' && h[n] != '-' && h[n] != '_'))
			abort();
	}

	/* A path segment taken for a tag: two or three letters first. */
	if (mb_i18n_tag_shaped((const char *)data, size)) {
		size_t k = 0;

		while (k < size && isalpha(data[k]))
			k++;
		if (k < 2 || k > 3 || (k < size && data[k] != '-' &&
		    data[k] != '_') || data[size - 1] == '-' ||
		    data[size - 1] == '_')
			abort();
	}
	free(h);
	return 0;
}
