/* SPDX-License-Identifier: MIT */
/* Files: atomic writes, bounded reads, directories. */
#ifndef MB_BASE_FS_H
#define MB_BASE_FS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "err.h"

/*
 * Writes data to path atomically: a temporary file in the same directory,
 * fsync, rename, fsync of the directory. Readers see the old file or the
 * new one, never half of it. mode is the new file's permission bits.
 */
int mb_fs_write_atomic(const char *path, const void *data, size_t len,
    mode_t mode, struct mb_diag *d);

/*
 * Reads a whole file of at most max bytes into a malloc'd, NUL-terminated
 * buffer owned by the caller. MB_ERR_NOTFOUND, MB_ERR_TOOBIG, MB_ERR_IO.
 */
int mb_fs_read(const char *path, size_t max, char **out, size_t *len,
    struct mb_diag *d);

/* Creates a directory and its parents (like mkdir -p). */
int mb_fs_mkdirs(const char *path, mode_t mode, struct mb_diag *d);

/*
 * The directory of the running program (/proc/self/exe) into out (size
 * n): false when it cannot be read or does not fit.
 */
bool mb_fs_self_dir(char *out, size_t n);

/*
 * The path of the running program into out (size n), to start it again:
 * "/proc/self/exe" itself when the file was replaced on disk since (an
 * upgrade: the path now names the new binary, not this one). false when
 * the link cannot be read or does not fit.
 */
bool mb_fs_self_exe(char *out, size_t n);

/*
 * Removes dir and everything under it, links not followed (they are
 * removed, not what they name): 0, or -1 with errno.
 */
int mb_fs_remove_tree(const char *dir);

/* Joins dir and name into out (size n); MB_ERR_TOOBIG when it won't fit. */
int mb_fs_join(char *out, size_t n, const char *dir, const char *name);

#endif
