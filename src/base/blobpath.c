/* SPDX-License-Identifier: MIT */
/* Blob paths: written once here for media, the exchange and the collector. */
#include "blobpath.h"

#include <stdio.h>

#include "base/err.h"

bool
mb_blob_hash_ok(const char *s)
{
	size_t i;

	if (s == NULL)
		return false;
	for (i = 0; s[i] != '\0'; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		    (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return i == MB_BLOB_HASH_LEN;
}

/*
 * Blobs fan out over 256 directories by their first two hex digits, so
 * that no directory holds more than a few thousand files.
 */
static int
blob_fmt(const char *dir, const char *hash, bool file, char *out, size_t n)
{
	int len;

	if (!mb_blob_hash_ok(hash))
		return MB_ERR_INVAL;
	if (file)
		len = snprintf(out, n, "%s/" MB_BLOB_TOP "/%.2s/%s", dir, hash, hash);
	else
		len = snprintf(out, n, "%s/" MB_BLOB_TOP "/%.2s", dir, hash);
	if (len < 0 || (size_t)len >= n)
		return MB_ERR_TOOBIG;
	return MB_OK;
}

int
mb_blob_path(const char *dir, const char *hash, char *out, size_t n)
{
	return blob_fmt(dir, hash, true, out, n);
}

int
mb_blob_dir(const char *dir, const char *hash, char *out, size_t n)
{
	return blob_fmt(dir, hash, false, out, n);
}
