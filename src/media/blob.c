/* SPDX-License-Identifier: MIT */
/* Blob files: named by their SHA-256, written atomically, never by a client's name. */
#include "media.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "base/blobpath.h"
#include "base/fs.h"

void
mb_media_hash(const void *data, size_t len, char hex[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, data, len);
	sodium_bin2hex(hex, 65, h, sizeof(h));
}

bool
mb_media_hash_ok(const char *s)
{
	return mb_blob_hash_ok(s);
}

int
mb_media_blob_path(const char *dir, const char *hash, char *out, size_t n)
{
	return mb_blob_path(dir, hash, out, n);
}

int
mb_media_blob_put(const char *dir, const void *data, size_t len,
    char hex[65], bool *created, struct mb_diag *d)
{
	struct stat	 sb;
	char		 h[65], path[1200], sub[1200];
	int		 rc;

	mb_media_hash(data, len, h);
	if (mb_media_blob_path(dir, h, path, sizeof(path)) != MB_OK)
		return mb_diag_set(d, MB_ERR_TOOBIG, "%s: path too long", dir);
	if (stat(path, &sb) == 0 && (size_t)sb.st_size == len) {
		/* The same name is the same bytes: deduplicated. */
		memcpy(hex, h, 65);
		if (created != NULL)
			*created = false;
		return MB_OK;
	}
	if (mb_blob_dir(dir, h, sub, sizeof(sub)) != MB_OK)
		return mb_diag_set(d, MB_ERR_TOOBIG, "%s: path too long", dir);
	if ((rc = mb_fs_mkdirs(sub, 0755, d)) != MB_OK)
		return rc;
	if ((rc = mb_fs_write_atomic(path, data, len, 0644, d)) != MB_OK)
		return rc;
	memcpy(hex, h, 65);
	if (created != NULL)
		*created = true;
	return MB_OK;
}

int
mb_media_blob_remove(const char *dir, const char *hash, struct mb_diag *d)
{
	char path[1200];

	if (mb_media_blob_path(dir, hash, path, sizeof(path)) != MB_OK)
		return mb_diag_set(d, MB_ERR_INVAL, "%s: not a blob name",
		    hash);
	if (unlink(path) != 0 && errno != ENOENT)
		return mb_diag_set(d, MB_ERR_IO, "%s: %s", path,
		    strerror(errno));
	return MB_OK;
}
