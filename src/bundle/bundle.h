/* SPDX-License-Identifier: MIT */
/* Offline bundles: the exchange carried by hand, as one signed archive (tar + zstd). */
#ifndef MB_BUNDLE_BUNDLE_H
#define MB_BUNDLE_BUNDLE_H

#include <stdbool.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"
#include "center/center.h"
#include "store/store.h"

/*
 * A bundle (docs/bundles.md) is a tar archive compressed with zstd whose
 * members are, in this order and no other:
 *
 *   manifest.json   {"bundle": {...}, "signature": "<base64 Ed25519 of
 *                   JCS({"bundle": ...}) by the exporting center>"}
 *   registry.json   HQ's signed registry, when the exporter has one
 *   log.ndjson      the exporter's log after "after" through "through",
 *                   one {"seq":N,"envelope":{...}} line per version, as
 *                   GET /federation/v1/log serves it
 *   blobs/<sha256>  media files, named by their SHA-256
 *
 * The manifest lists every member with its SHA-256 and size, every log
 * line (one envelope) with its seq, SHA-256 and size, the versions per
 * origin, and the previous bundle's manifest hash. The importer checks
 * all of it while streaming and applies nothing unless all of it holds;
 * no name from the archive is ever a path.
 */

#define MB_BUNDLE_FORMAT	"mediabridge-bundle/1"
#define MB_BUNDLE_ACK_FORMAT	"mediabridge-ack/1"

/* Which media travel: none, pictures up to MB_BUNDLE_THUMB_MAX, all. */
enum mb_bundle_media {
	MB_BUNDLE_MEDIA_NONE,
	MB_BUNDLE_MEDIA_THUMBNAILS,
	MB_BUNDLE_MEDIA_ALL
};
#define MB_BUNDLE_THUMB_MAX	(128 * 1024)

/* Caps an importer holds a bundle to, whatever its manifest says. */
#define MB_BUNDLE_MANIFEST_MAX	((int64_t)256 << 20)
#define MB_BUNDLE_REGISTRY_MAX	((int64_t)16 << 20)
#define MB_BUNDLE_LOG_MAX	((int64_t)2 << 30)
#define MB_BUNDLE_BLOB_MAX	((int64_t)4 << 30)

struct mb_bundle_export_opts {
	const char		*for_center;	/* NULL: nobody in particular */
	int64_t			 since;		/* -1: from the last bundle */
	const char		*ack;		/* an ack file, or NULL */
	enum mb_bundle_media	 media;
	int64_t			 max_size;	/* bytes per volume */
	const char		*out;		/* FILE; volumes FILE.2, ... */
};

struct mb_bundle_export_result {
	int	volumes;
	int64_t	after, through;	/* the exporter's log seqs */
	int64_t	versions, blobs, bytes;
	int64_t	missing;	/* blobs left out: the store's, files gone */
};

/*
 * Writes the versions after the starting point (--since, else the ack's
 * through, else where the last bundle for the same center ended) into
 * one or more bundles of at most max_size bytes each (a volume holds at
 * least one version, however large), each signed, each naming the one
 * before it. Internal items never enter one (they never leave their
 * center); for a center, the versions it sent here or signed are left
 * out, as the network log leaves them out. Each volume is written to a
 * temporary file and renamed: an interrupted export leaves no bundle.
 * print (may be NULL) is told each file written.
 */
int mb_bundle_export(const struct mb_center_node *n, struct mb_store *st,
    const struct mb_bundle_export_opts *o,
    void (*print)(const char *file, void *arg), void *arg,
    struct mb_bundle_export_result *r, struct mb_diag *d);

struct mb_bundle_import_result {
	char	exporter[33];
	int64_t	after, through;
	int64_t	applied, duplicates;
	int64_t	blobs;		/* added here: not those already here */
	int64_t	refused;	/* of a revoked origin: skipped, as a pull */
	bool	registry;	/* a newer registry was applied */
};

/*
 * Checks a bundle whole -- the manifest's signature by its exporter (a
 * center this node knows and has not revoked, or one the bundle's own
 * HQ-signed registry lists), every member's and every line's hash and
 * size, the members' names and order, nothing more and nothing less --
 * and only then applies it: the registry when newer, the versions in
 * one transaction through the exchange's own path (each origin's
 * signature checked, duplicates skipped, those of a revoked origin
 * skipped and counted refused), the blobs, and the mark an ack reports. A bundle that starts after the last one
 * imported from the same exporter ended is refused (one is missing).
 */
int mb_bundle_import(const struct mb_center_node *n, struct mb_store *st,
    const char *file, struct mb_bundle_import_result *r, struct mb_diag *d);

/*
 * The ack for the bundles imported from exporter (signed by this center):
 * how far its log reached here and the last manifest's hash. Appended to
 * out. MB_ERR_NOTFOUND when none was imported from it.
 */
int mb_bundle_ack(const struct mb_center_node *n, struct mb_store *st,
    const char *exporter, struct mb_buf *out, struct mb_diag *d);

/*
 * Reads an ack meant for this center: checks its signature by its
 * sender, a center the store knows; *through is where the next bundle
 * for from starts.
 */
int mb_bundle_ack_read(const struct mb_center_node *n, struct mb_store *st,
    const char *file, char from[33], int64_t *through, struct mb_diag *d);

#endif
