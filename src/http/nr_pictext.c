/* SPDX-License-Identifier: MIT */
/*
 * The item form's words for each picture: a caption and an alt text per
 * picture, in the item's language (fields "pcap.<name>" and
 * "palt.<name>"). On a translation the original's words stand beside
 * them, and a new translation's fields start from the original's text.
 * The rule that a picture needs words before publishing is the
 * service's (src/newsroom/pictext.c); this file only carries the fields.
 */
#include <stdio.h>
#include <string.h>

#include "http_int.h"
#include "media/media.h"
#include "newsroom/pictext.h"
#include "nr_int.h"

/* A description's value by role ("caption": also one with no role). */
static const char *
desc(const json_t *o, const char *role)
{
	const json_t	*e;
	size_t		 i;

	json_array_foreach(json_object_get(o, "descriptions"), i, e) {
		const char *r = json_string_value(json_object_get(e, "role"));

		if ((r == NULL && strcmp(role, "caption") == 0) ||
		    (r != NULL && strcmp(r, role) == 0))
			return json_string_value(json_object_get(e, "value"));
	}
	return NULL;
}

static const json_t *
assoc_named(const json_t *item, const char *name)
{
	const json_t	*o;
	size_t		 i;

	json_array_foreach(json_object_get(item, "associations"), i, o) {
		const char *n = json_string_value(json_object_get(o, "name"));

		if (n != NULL && name != NULL && strcmp(n, name) == 0)
			return o;
	}
	return NULL;
}

/* The smallest picture to show beside the fields: /media/<hex>. */
static bool
thumb(const json_t *o, char out[80])
{
	static const char *const names[] = { "thumbnail", "poster", NULL };
	const json_t	*r;
	size_t		 i;
	char		 hx[65];

	for (int k = 0; k < 3; k++) {
		json_array_foreach(json_object_get(o, "renditions"), i, r) {
			const char *n = json_string_value(json_object_get(r,
			    "name"));
			const char *ct = json_string_value(json_object_get(r,
			    "contentType"));
			const char *h = json_string_value(json_object_get(r,
			    "href"));

			if (ct == NULL || strncmp(ct, "image/", 6) != 0 ||
			    h == NULL)
				continue;
			if (names[k] != NULL && (n == NULL || strcmp(n,
			    names[k]) != 0))
				continue;
			if (mb_media_href_hash(h, hx) != MB_OK)
				continue;
			snprintf(out, 80, "/media/%s", hx);
			return true;
		}
		if (names[k] == NULL)
			break;
	}
	return false;
}

static const char *
posted(struct mb_req *r, const char *prefix, const char *name)
{
	char k[96];

	snprintf(k, sizeof(k), "%s.%s", prefix, name);
	return mb_req_form(r, k);
}

void
mb_nr_picture_fields(struct mb_page *p, struct mb_req *r,
    const json_t *item, const json_t *orig)
{
	struct mb_tval	*f = mb_tv_get(p->root, "form"), *list = NULL;
	const json_t	*from = item != NULL ? item : orig, *o;
	const char	*il = json_string_value(json_object_get(item,
	    "language"));
	size_t		 i;
	char		 src[80];

	if (f == NULL)
		f = mb_tv_map(p->td, p->root, "form");
	json_array_foreach(json_object_get(from, "associations"), i, o) {
		const char	*name = json_string_value(json_object_get(o,
		    "name"));
		const char	*t = json_string_value(json_object_get(o, "type"));
		const char	*ml = json_string_value(json_object_get(o,
		    "language"));
		const json_t	*oo = orig != NULL ? assoc_named(orig, name) :
		    NULL;
		const char	*cap, *alt;
		struct mb_tval	*m;

		if (!mb_newsroom_is_media_assoc(o) || name == NULL)
			continue;
		if (list == NULL)
			list = mb_tv_list(p->td, f, "pictures");
		m = mb_tv_map(p->td, list, NULL);
		mb_tv_str(p->td, m, "name", name);
		mb_tv_str(p->td, m, "kind", t);
		mb_tv_printf(p->td, m, "cap_field", "pcap.%s", name);
		mb_tv_printf(p->td, m, "alt_field", "palt.%s", name);
		cap = posted(r, "pcap", name);
		alt = posted(r, "palt", name);
		mb_tv_str(p->td, m, "caption", cap != NULL ? cap : desc(o,
		    "caption"));
		mb_tv_str(p->td, m, "alt", alt != NULL ? alt : desc(o, "alt"));
		mb_tv_str(p->td, m, "credit", json_string_value(
		    json_object_get(o, "by")));
		/* Still in the original's words: the translator's to write. */
		mb_tv_bool(p->td, m, "untranslated", item == NULL ||
		    (ml != NULL && (il == NULL || strcmp(ml, il) != 0)));
		if (oo != NULL) {
			mb_tv_str(p->td, m, "of_caption", desc(oo, "caption"));
			mb_tv_str(p->td, m, "of_alt", desc(oo, "alt"));
		}
		if (thumb(o, src))
			mb_tv_str(p->td, m, "thumb", src);
	}
}

/* Whether the item's body shows one of the association's renditions. */
static bool
in_body(const json_t *item, const json_t *o)
{
	const char	*body = json_string_value(json_object_get(
	    json_array_get(json_object_get(item, "bodies"), 0), "value"));
	const json_t	*rd;
	size_t		 i;
	char		 hx[65], path[80];

	if (body == NULL)
		return false;
	json_array_foreach(json_object_get(o, "renditions"), i, rd) {
		const char *h = json_string_value(json_object_get(rd, "href"));

		if (h == NULL || mb_media_href_hash(h, hx) != MB_OK)
			continue;
		snprintf(path, sizeof(path), "/media/%s", hx);
		if (strstr(body, path) != NULL)
			return true;
	}
	return false;
}

void
mb_nr_picture_inline_fallback(json_t *item)
{
	json_t	*o;
	size_t	 i;

	json_array_foreach(json_object_get(item, "associations"), i, o) {
		const char *rel = json_string_value(json_object_get(o, "rel"));

		if (mb_newsroom_is_media_assoc(o) && rel != NULL &&
		    strcmp(rel, "inline") == 0 && !in_body(item, o))
			json_object_set_new(o, "rel", json_string("main"));
	}
}

bool
mb_nr_picture_fields_long(struct mb_req *r, const json_t *item, char *msg,
    size_t n)
{
	const json_t	*o;
	size_t		 i;

	json_array_foreach(json_object_get(item, "associations"), i, o) {
		const char *name = json_string_value(json_object_get(o,
		    "name"));
		const char *cap, *alt;

		if (!mb_newsroom_is_media_assoc(o) || name == NULL)
			continue;
		cap = posted(r, "pcap", name);
		alt = posted(r, "palt", name);
		if ((cap != NULL && strlen(cap) > MB_NR_PICTURE_TEXT_MAX) ||
		    (alt != NULL && strlen(alt) > MB_NR_PICTURE_TEXT_MAX)) {
			snprintf(msg, n, "The %s of %s is too long: at most "
			    "%d bytes. Nothing was changed.", cap != NULL &&
			    strlen(cap) > MB_NR_PICTURE_TEXT_MAX ? "caption" :
			    "description", name, MB_NR_PICTURE_TEXT_MAX);
			return true;
		}
	}
	return false;
}

void
mb_nr_picture_fields_apply(struct mb_req *r, json_t *item)
{
	const json_t	*o;
	size_t		 i;
	char		 names[64][64];
	size_t		 n = 0;

	/* Names first: setting the texts replaces the descriptions. */
	json_array_foreach(json_object_get(item, "associations"), i, o) {
		const char *name = json_string_value(json_object_get(o,
		    "name"));

		if (mb_newsroom_is_media_assoc(o) && name != NULL &&
		    strlen(name) < sizeof(names[0]) && n < 64)
			snprintf(names[n++], sizeof(names[0]), "%s", name);
	}
	for (i = 0; i < n; i++)
		/* Both blank: the picture keeps what it had. */
		(void)mb_newsroom_picture_set_text(item, names[i],
		    posted(r, "pcap", names[i]), posted(r, "palt", names[i]));
}
