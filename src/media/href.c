/* SPDX-License-Identifier: MIT */
/* Hrefs that name blobs, and the blobs an item version names by them. */
#include "media.h"

#include <stdio.h>
#include <string.h>

#include <sodium.h>

/*
 * No codec is called from this file: modules that only name blobs (the
 * bundle exporter) link it without libvips and FFmpeg.
 */

int
mb_media_href(const char *hash, const char *mime, char *out, size_t n)
{
	unsigned char	bin[32];
	char		b64[sodium_base64_ENCODED_LEN(32,
			    sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
	int		len;

	if (!mb_media_hash_ok(hash) ||
	    sodium_hex2bin(bin, sizeof(bin), hash, MB_MEDIA_HASH_LEN, NULL,
	    NULL, NULL) != 0)
		return MB_ERR_INVAL;
	sodium_bin2base64(b64, sizeof(b64), bin, sizeof(bin),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	len = snprintf(out, n, "ni:///sha-256;%s?ct=%s", b64, mime);
	if (len < 0 || (size_t)len >= n)
		return MB_ERR_TOOBIG;
	return MB_OK;
}

int
mb_media_href_hash(const char *href, char hash[65])
{
	static const char	 ni[] = "ni:///sha-256;";
	unsigned char		 bin[32];
	const char		*p, *end;
	size_t			 binlen;
	char			 h[65];

	if (href == NULL)
		return MB_ERR_INVAL;
	if (strncmp(href, ni, sizeof(ni) - 1) == 0) {
		p = href + sizeof(ni) - 1;
		end = p + strcspn(p, "?#");
		if (sodium_base642bin(bin, sizeof(bin), p, (size_t)(end - p),
		    NULL, &binlen, NULL,
		    sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
		    binlen != sizeof(bin))
			return MB_ERR_INVAL;
		sodium_bin2hex(hash, 65, bin, sizeof(bin));
		return MB_OK;
	}
	/* A URL whose path ends in /media/<hex> or /blobs/<hex>. */
	end = href + strcspn(href, "?#");
	if ((size_t)(end - href) < MB_MEDIA_HASH_LEN + 7)
		return MB_ERR_INVAL;
	p = end - MB_MEDIA_HASH_LEN;
	if (strncmp(p - 7, "/media/", 7) != 0 &&
	    strncmp(p - 7, "/blobs/", 7) != 0)
		return MB_ERR_INVAL;
	memcpy(h, p, MB_MEDIA_HASH_LEN);
	h[MB_MEDIA_HASH_LEN] = '\0';
	if (!mb_media_hash_ok(h))
		return MB_ERR_INVAL;
	memcpy(hash, h, 65);
	return MB_OK;
}

int
mb_media_item_blobs(const json_t *item,
    int (*cb)(const char *hash, const json_t *rendition, void *arg),
    void *arg)
{
	const json_t	*assocs, *rends, *r;
	const char	*status;
	char		 hash[65];
	size_t		 i;
	int		 rc;

	/* A canceled version withdraws its media with its words. */
	status = json_string_value(json_object_get(item, "pubStatus"));
	if (status != NULL && strcmp(status, "canceled") == 0)
		return MB_OK;
	/*
	 * The item's own renditions, then those of its pictures, video and
	 * sound (associations, as the newsroom puts them: docs/media.md).
	 */
	assocs = json_object_get(item, "associations");	/* borrowed */
	for (size_t k = 0; k <= json_array_size(assocs); k++) {
		rends = json_object_get(k == 0 ? item : json_array_get(assocs,
		    k - 1), "renditions");			/* borrowed */
		json_array_foreach(rends, i, r) {
			if (mb_media_href_hash(json_string_value(
			    json_object_get(r, "href")), hash) != MB_OK)
				continue;
			if ((rc = cb(hash, r, arg)) != MB_OK)
				return rc;
		}
	}
	return MB_OK;
}
