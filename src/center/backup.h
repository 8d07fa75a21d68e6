/* SPDX-License-Identifier: MIT */
/* A center's backup: one tar.zst archive of everything needed to restore it. */
#ifndef MB_CENTER_BACKUP_H
#define MB_CENTER_BACKUP_H

#include <stdint.h>

#include "base/err.h"
#include "center/center.h"

/*
 * The archive (tar, zstd-compressed, written with libarchive) holds:
 *
 *   MEDIABRIDGE-BACKUP   a JSON manifest (mb_backup_info), first
 *   mediabridge.conf     the configuration, wherever it lives
 *   keys/ ...            the keys, modes kept (center.key 0600)
 *   blobs/ ... and every other file of the data directory
 *   store.db             SQLite: a consistent copy (mb_store_backup)
 *   store.pgdump         PostgreSQL: pg_dump --format=custom
 *
 * The store copy is taken first and the files after it, so that every
 * media blob the copy refers to is in the archive. Taking it while serve
 * runs is safe: the copy is the store as of one commit.
 */
#define MB_BACKUP_MANIFEST "MEDIABRIDGE-BACKUP"
#define MB_BACKUP_FORMAT 1

struct mb_backup_info {
	int	format;			/* MB_BACKUP_FORMAT */
	char	center[33];
	char	backend[16];		/* "sqlite" or "postgresql" */
	int64_t	created_ms;
	int64_t	items, versions, last_seq;	/* of the store copy */
	int64_t	files;			/* archive entries, manifest aside */
	int64_t	bytes;			/* their sizes added up */
};

/* Writes n's backup to out (which must not exist). */
int mb_backup_write(const struct mb_center_node *n, const char *out,
    struct mb_backup_info *info, struct mb_diag *d);

/*
 * Unpacks file into the directory into (which must exist and be empty),
 * refusing any entry that is not a plain file or directory below it;
 * info from the manifest. The configuration lands as into/mediabridge.conf.
 */
int mb_backup_extract(const char *file, const char *into,
    struct mb_backup_info *info, struct mb_diag *d);

#endif
