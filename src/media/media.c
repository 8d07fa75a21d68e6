/* SPDX-License-Identifier: MIT */
/* An upload becomes a rendition set: checked, made in memory, then saved as blobs. */
#include "media_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/timeutil.h"

void
mb_media_limits_default(struct mb_media_limits *l)
{
	l->max_pixels = 100 * 1000 * 1000;
	l->max_side = 30000;
	l->max_bytes = 0;
	l->max_duration = 6 * 3600;
}

struct mb_media_rendition *
mb_media__add(struct mb_media_set *s, const char *name, const char *mime,
    const char *format)
{
	struct mb_media_rendition *r;

	if (s->n >= MB_MEDIA_MAX_RENDITIONS)
		return NULL;
	r = &s->r[s->n++];
	memset(r, 0, sizeof(*r));
	snprintf(r->name, sizeof(r->name), "%s", name);
	snprintf(r->mime, sizeof(r->mime), "%s", mime);
	snprintf(r->format, sizeof(r->format), "%s", format);
	return r;
}

void
mb_media_set_free(struct mb_media_set *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < s->n; i++) {
		if (s->r[i].data != NULL && s->r[i].free_fn != NULL)
			s->r[i].free_fn(s->r[i].data);
		s->r[i].data = NULL;
		s->r[i].free_fn = NULL;
	}
}

int
mb_media_save(const char *dir, struct mb_store *st, struct mb_media_set *s,
    int64_t now_ms, struct mb_diag *d)
{
	bool	created[MB_MEDIA_MAX_RENDITIONS] = { false };
	char	hex[65];
	size_t	i;
	int	rc = MB_OK;

	for (i = 0; i < s->n; i++) {
		if ((rc = mb_media_blob_put(dir, s->r[i].data, s->r[i].len,
		    hex, &created[i], d)) != MB_OK)
			goto fail;
	}
	if (st != NULL) {
		if ((rc = mb_store_begin(st, d)) != MB_OK)
			goto fail;
		for (i = 0; i < s->n; i++)
			if ((rc = mb_store_blob_put(st, s->r[i].hash,
			    s->r[i].mime, s->r[i].size, now_ms, d)) != MB_OK) {
				mb_store_rollback(st);
				goto fail;
			}
		if ((rc = mb_store_commit(st, d)) != MB_OK)
			goto fail;
	}
	/*
	 * A blob that was already here may have been collected by a gc
	 * between our look and the row above (which renewed its grace):
	 * write it again then.
	 */
	for (i = 0; i < s->n; i++)
		if (!created[i] && (rc = mb_media_blob_put(dir, s->r[i].data,
		    s->r[i].len, hex, NULL, d)) != MB_OK)
			return rc;
	return MB_OK;
fail:
	for (size_t k = 0; k < s->n; k++)
		if (created[k])
			mb_media_blob_remove(dir, s->r[k].hash, NULL);
	return rc;
}

int
mb_media_ingest(const char *dir, struct mb_store *st, const void *data,
    size_t len, const struct mb_media_limits *l, struct mb_media_set *out,
    struct mb_diag *d)
{
	int rc;

	if ((rc = mb_media_make(data, len, l, out, d)) != MB_OK)
		return rc;
	rc = mb_media_save(dir, st, out, mb_time_now_ms(), d);
	mb_media_set_free(out);
	return rc;
}

json_t *
mb_media_set_json(const struct mb_media_set *s)
{
	json_t	*arr, *o;
	char	 href[160];

	if ((arr = json_array()) == NULL)
		return NULL;
	for (size_t i = 0; i < s->n; i++) {
		const struct mb_media_rendition *r = &s->r[i];

		if (mb_media_href(r->hash, r->mime, href, sizeof(href)) !=
		    MB_OK || (o = json_object()) == NULL)
			goto fail;
		/* json_object_set_new steals each new value. */
		json_object_set_new(o, "name", json_string(r->name));
		json_object_set_new(o, "href", json_string(href));
		json_object_set_new(o, "contentType", json_string(r->mime));
		json_object_set_new(o, "format", json_string(r->format));
		json_object_set_new(o, "sizeInBytes", json_integer(r->size));
		if (r->width > 0 && r->height > 0) {
			json_object_set_new(o, "width",
			    json_integer(r->width));
			json_object_set_new(o, "height",
			    json_integer(r->height));
		}
		if (r->duration > 0)
			json_object_set_new(o, "duration",
			    json_real(r->duration));
		if (r->video_codec[0] != '\0')
			json_object_set_new(o, "videoCodec",
			    json_string(r->video_codec));
		if (r->frame_rate > 0)
			json_object_set_new(o, "frameRate",
			    json_real(r->frame_rate));
		if (json_array_append_new(arr, o) != 0)
			goto fail;
	}
	return arr;
fail:
	json_decref(arr);
	return NULL;
}

int
mb_media_srcset(const json_t *renditions, bool webp, struct mb_buf *out)
{
	const json_t	*r;
	size_t		 i, n = 0;
	char		 h[65];

	json_array_foreach(renditions, i, r) {
		const char *ct = json_string_value(json_object_get(r,
		    "contentType"));
		json_int_t w = json_integer_value(json_object_get(r, "width"));

		if (ct == NULL || strncmp(ct, "image/", 6) != 0 || w <= 0 ||
		    (strcmp(ct, "image/webp") == 0) != webp ||
		    mb_media_href_hash(json_string_value(json_object_get(r,
		    "href")), h) != MB_OK)
			continue;
		if (mb_buf_printf(out, "%s/media/%s %lldw", n > 0 ? ", " : "",
		    h, (long long)w) != MB_OK)
			return MB_ERR_NOMEM;
		n++;
	}
	return n > 0 ? MB_OK : MB_ERR_NOTFOUND;
}
