/* SPDX-License-Identifier: MIT */
/* The one layout of blob files under a data directory: DIR/blobs/<h0h1>/<hash>. */
#ifndef MB_BASE_BLOBPATH_H
#define MB_BASE_BLOBPATH_H

#include <stdbool.h>
#include <stddef.h>

/* A blob's name: its SHA-256 in 64 lower-case hex digits. */
#define MB_BLOB_HASH_LEN 64

/* The folder under DIR that holds them (the collector walks it). */
#define MB_BLOB_TOP "blobs"

/* true when s is a blob name (and so cannot climb out of a directory). */
bool	mb_blob_hash_ok(const char *s);

/*
 * DIR/blobs/<h0h1>/<hash> into out: MB_ERR_INVAL when hash is not a blob
 * name, MB_ERR_TOOBIG when out is too small.
 */
int	mb_blob_path(const char *dir, const char *hash, char *out, size_t n);

/* The directory that holds it, DIR/blobs/<h0h1>; the same errors. */
int	mb_blob_dir(const char *dir, const char *hash, char *out, size_t n);

#endif
