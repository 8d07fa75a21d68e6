/* SPDX-License-Identifier: MIT */
/* Blob paths under the data directory and checking a blob against its hash. */
#include "blob.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

int
mb_sync_blob_path(const struct mb_conf *c, const char *hash, char *out,
    size_t n)
{
	int len;

	if (strlen(hash) != MB_BLOB_HASH_LEN)
		return MB_ERR_INVAL;
	for (const char *p = hash; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return MB_ERR_INVAL;
	len = snprintf(out, n, "%s/blobs/%.2s/%s", c->dir, hash, hash);
	if (len < 0 || (size_t)len >= n)
		return MB_ERR_TOOBIG;
	return MB_OK;
}

int
mb_sync_blob_check(const char *path, const char *hash, struct mb_diag *d)
{
	crypto_hash_sha256_state	st;
	unsigned char			buf[65536], h[32];
	char				hex[65];
	ssize_t				r;
	int				fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return mb_diag_set(d, errno == ENOENT ? MB_ERR_NOTFOUND :
		    MB_ERR_IO, "%s: %s", path, strerror(errno));
	crypto_hash_sha256_init(&st);
	while ((r = read(fd, buf, sizeof(buf))) != 0) {
		if (r < 0) {
			if (errno == EINTR)
				continue;
			close(fd);
			return mb_diag_set(d, MB_ERR_IO, "%s: %s", path,
			    strerror(errno));
		}
		crypto_hash_sha256_update(&st, buf, (unsigned long long)r);
	}
	close(fd);
	crypto_hash_sha256_final(&st, h);
	sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
	if (strcmp(hex, hash) != 0)
		return mb_diag_set(d, MB_ERR_CORRUPT,
		    "blob %.12s…: the content hashes to %.12s…", hash, hex);
	return MB_OK;
}

static pthread_mutex_t fetch_lock = PTHREAD_MUTEX_INITIALIZER;

int
mb_sync_blob_fetch_serial(void *arg, const char *base, const char *hash,
    struct mb_diag *d)
{
	int rc;

	pthread_mutex_lock(&fetch_lock);
	rc = mb_sync_blob_fetch(arg, base, hash, d);
	pthread_mutex_unlock(&fetch_lock);
	return rc;
}
