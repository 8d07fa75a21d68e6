/* SPDX-License-Identifier: MIT */
/* Which blobs are thumbnails: what a link with a policy sends after the text and before the originals. */
#include "media_int.h"

#include <stdlib.h>
#include <string.h>

#include "store/links.h"

struct envelope {
	char	*data;
	size_t	 len;
};

static int
take_envelope(const struct mb_store_version *v, void *arg)
{
	struct envelope *e = arg;

	if ((e->data = malloc(v->envelope_len + 1)) == NULL)
		return MB_ERR_NOMEM;
	memcpy(e->data, v->envelope, v->envelope_len);
	e->data[v->envelope_len] = '\0';
	e->len = v->envelope_len;
	return 1;
}

/* Whether rendition r (with the hash asked for) is a thumbnail. */
static bool
rendition_small(const json_t *r)
{
	const char	*name = json_string_value(json_object_get(r, "name"));
	const char	*ct = json_string_value(json_object_get(r,
	    "contentType"));
	json_t		*w = json_object_get(r, "width");

	if (name != NULL && (strcmp(name, "thumbnail") == 0 ||
	    strncmp(name, "thumbnail-", 10) == 0 || strncmp(name, "poster",
	    6) == 0))
		return true;
	/* Unnamed ones by their size: a picture no wider than a card's. */
	return ct != NULL && strncmp(ct, "image/", 6) == 0 &&
	    json_is_integer(w) && json_integer_value(w) > 0 &&
	    json_integer_value(w) <= MB_MEDIA_SIZE_THUMBNAIL;
}

struct small_of {
	const char	*hash;
	bool		 small;
};

static int
small_cb(const char *hash, const json_t *rend, void *arg)
{
	struct small_of *s = arg;

	if (strcmp(hash, s->hash) == 0 && rendition_small(rend))
		s->small = true;
	return MB_OK;
}

int
mb_media_blob_thumbnail(struct mb_store *st, const char *hash,
    bool *thumbnail, struct mb_diag *d)
{
	struct envelope	 e = { NULL, 0 };
	struct small_of	 s = { hash, false };
	json_t		*env;
	char		 uri[2048];
	int		 rc;

	if ((rc = mb_store_link_blob_uri(st, hash, uri, d)) != MB_OK)
		return rc == MB_ERR_NOTFOUND ? mb_diag_set(d, rc, "blob "
		    "%.12s…: no item refers to it", hash) : rc;
	if ((rc = mb_store_get(st, uri, 0, take_envelope, &e, d)) != MB_OK)
		return rc;
	if ((env = json_loadb(e.data, e.len, 0, NULL)) == NULL) {
		free(e.data);
		return mb_diag_set(d, MB_ERR_CORRUPT, "%s: envelope does not "
		    "parse", uri);
	}
	free(e.data);
	/* The same walk as the index's (href.c); small_cb never fails. */
	(void)mb_media_item_blobs(json_object_get(env, "item"), small_cb, &s);
	json_decref(env);
	*thumbnail = s.small;
	return MB_OK;
}
