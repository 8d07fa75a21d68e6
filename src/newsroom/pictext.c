/* SPDX-License-Identifier: MIT */
/*
 * Picture texts per language. ninjs descriptions carry no language, but
 * an association, being a ninjs object, has its own "language": a
 * translation's copy of the original's picture says "language": "<the
 * original's>" until its caption or alt text is written in the
 * translation's language, and then the mark goes. So a translation whose
 * pictures still speak the original's language is not published, and an
 * item from the API whose picture has no words at all is not either.
 */
#include "pictext.h"

#include <stdio.h>
#include <string.h>

#include "base/err.h"
#include "text/lang.h"

bool
mb_newsroom_is_media_assoc(const json_t *o)
{
	const char *t = json_string_value(json_object_get(o, "type"));

	return t != NULL && (strcmp(t, "picture") == 0 ||
	    strcmp(t, "video") == 0 || strcmp(t, "audio") == 0);
}

static bool
blank(const char *s)
{
	return s == NULL || s[strspn(s, " \t\r\n")] == '\0';
}

/* Whether the association's texts are in the item's language. */
static bool
same_language(const json_t *o, const char *item_lang)
{
	const char	*l = json_string_value(json_object_get(o, "language"));
	char		 a[MB_LANG_TAG_MAX + 1], b[MB_LANG_TAG_MAX + 1];

	if (l == NULL)
		return true;
	if (mb_lang_primary(l, a) == 0 || mb_lang_primary(item_lang, b) == 0)
		return l != NULL && item_lang != NULL && strcmp(l,
		    item_lang) == 0;
	return strcmp(a, b) == 0;
}

/* A caption or alt text (or a description with no role) that says something. */
static bool
has_text(const json_t *o)
{
	const json_t	*e;
	size_t		 i;

	json_array_foreach(json_object_get(o, "descriptions"), i, e) {
		const char *role = json_string_value(json_object_get(e,
		    "role"));

		if (role != NULL && strcmp(role, "caption") != 0 &&
		    strcmp(role, "alt") != 0)
			continue;
		if (!blank(json_string_value(json_object_get(e, "value"))))
			return true;
	}
	return false;
}

bool
mb_newsroom_picture_lacks_text(const json_t *item, char *name, size_t n)
{
	const char	*lang = json_string_value(json_object_get(item,
	    "language"));
	const json_t	*o;
	size_t		 i;

	json_array_foreach(json_object_get(item, "associations"), i, o) {
		const char *t = json_string_value(json_object_get(o, "type"));
		const char *nm = json_string_value(json_object_get(o, "name"));

		if (t == NULL || strcmp(t, "picture") != 0)
			continue;
		if (has_text(o) && same_language(o, lang))
			continue;
		if (nm == NULL)
			nm = json_string_value(json_object_get(o, "uri"));
		snprintf(name, n, "%s", nm != NULL ? nm : "?");
		return true;
	}
	return false;
}

static json_t *
by_name(const json_t *item, const char *name)
{
	json_t	*o;
	size_t	 i;

	json_array_foreach(json_object_get(item, "associations"), i, o) {
		const char *nm = json_string_value(json_object_get(o, "name"));

		if (nm != NULL && name != NULL && strcmp(nm, name) == 0)
			return o;
	}
	return NULL;
}

int
mb_newsroom_pictures_copy(json_t *item, const json_t *orig,
    const char *from_lang)
{
	json_t		*assoc = json_object_get(item, "associations"), *c;
	const json_t	*o;
	size_t		 i;

	json_array_foreach(json_object_get(orig, "associations"), i, o) {
		if (!mb_newsroom_is_media_assoc(o) || by_name(item,
		    json_string_value(json_object_get(o, "name"))) != NULL)
			continue;
		if (assoc == NULL) {
			if ((assoc = json_array()) == NULL ||
			    json_object_set_new(item, "associations",
			    assoc) != 0)
				return MB_ERR_NOMEM;
		}
		if ((c = json_deep_copy(o)) == NULL)
			return MB_ERR_NOMEM;
		/* Already marked (a copy of a copy) stays as it was. */
		if (json_object_get(c, "language") == NULL && from_lang != NULL)
			json_object_set_new(c, "language",
			    json_string(from_lang));
		if (json_array_append_new(assoc, c) != 0)
			return MB_ERR_NOMEM;
	}
	return MB_OK;
}

int
mb_newsroom_picture_set_text(json_t *item, const char *name,
    const char *caption, const char *alt)
{
	json_t *o = by_name(item, name), *ds;

	if (o == NULL)
		return MB_ERR_NOTFOUND;
	if (blank(caption) && blank(alt))
		return MB_ERR_INVAL;
	if ((ds = json_array()) == NULL)
		return MB_ERR_NOMEM;
	{
		const json_t	*e;
		size_t		 i;

		/* Descriptions of other roles stay. */
		json_array_foreach(json_object_get(o, "descriptions"), i, e) {
			const char *role = json_string_value(json_object_get(e,
			    "role"));

			if (role != NULL && strcmp(role, "caption") != 0 &&
			    strcmp(role, "alt") != 0)
				json_array_append(ds, (json_t *)e);
		}
	}
	if (!blank(caption))
		json_array_append_new(ds, json_pack("{s:s, s:s}", "role",
		    "caption", "value", caption));
	if (!blank(alt) && (caption == NULL || strcmp(alt, caption) != 0))
		json_array_append_new(ds, json_pack("{s:s, s:s}", "role",
		    "alt", "value", alt));
	json_object_set_new(o, "descriptions", ds);
	/* Written in the item's language now. */
	json_object_del(o, "language");
	return MB_OK;
}
