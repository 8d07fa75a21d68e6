/* SPDX-License-Identifier: MIT */
/* Offline course packages: one zip of static pages, media and signed items, with a signed manifest. */
#ifndef MB_COURSES_PACKAGE_H
#define MB_COURSES_PACKAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "courses/courses.h"

/*
 * A package is a zip (docs/courses.md says why zip, not tar + zstd):
 *
 *   index.html             the course: its steps, in order
 *   step-01.html ...       each lesson, and each quiz's questions
 *   media/<sha256>.<ext>   the smallest rendition of each lesson's media
 *   items/<center>-<local>.json  the course's and lessons' signed
 *                          envelopes, verbatim (each checks against its
 *                          origin center's key); never a quiz's, whose
 *                          item holds the answers
 *   manifest.json          every other file's path, size and SHA-256,
 *                          signed (eddsa-jcs-2022) by the center that
 *                          made the package
 *
 * The pages are plain HTML with their style inline and nothing loaded
 * from outside: opened from disk they make no request. A quiz's page
 * has one script, allowed by its hash, that keeps answers taken offline
 * in the page's storage (package_quiz.c).
 */
#define MB_PACKAGE_MANIFEST "manifest.json"
#define MB_PACKAGE_TYPE "CoursePackage"
#define MB_PACKAGE_MAX (256u * 1024 * 1024)	/* the whole zip */
#define MB_PACKAGE_MAX_FILES 1000

/* Cleans an item's HTML body for a page (the site's sanitizer). */
typedef int (*mb_html_clean_fn)(const char *html, size_t len,
    struct mb_buf *out, struct mb_diag *d);

struct mb_package_opts {
	mb_html_clean_fn	 clean;		/* required */
	const char		*blob_dir;	/* the data directory; NULL:
						   no media */
	size_t			 max_media;	/* 0: 64 MiB in all */
};

/*
 * Builds the package of course c as the actor may see it (staff see
 * every step; others must be enrolled, as for the pages) into out.
 */
int mb_courses_package(const struct mb_courses_env *e,
    const struct mb_actor *a, const struct mb_course *c,
    const struct mb_package_opts *o, struct mb_buf *out, struct mb_diag *d);

/* What a checked package holds. */
struct mb_package_report {
	char	course[MB_URI_MAX];
	char	packager[MB_CENTER_MAX + 1];
	int	files;
	size_t	bytes;
};

/*
 * Checks a package (buf borrowed) with no network: every entry a plain
 * file with a relative path of [A-Za-z0-9._-/] and no "." or ".."
 * segment (a "../" path is MB_ERR_INVAL and nothing is written), at
 * most MB_PACKAGE_MAX_FILES; the manifest's proof verifies with pk
 * (MB_ERR_SIG otherwise); each file is listed with its size and SHA-256
 * and each listed file is there (MB_ERR_SIG, naming it). With dir
 * (may be NULL), a package that holds is then written under dir (which
 * must not exist yet).
 */
int mb_courses_package_check(const void *buf, size_t len, const uint8_t *pk,
    const char *dir, struct mb_package_report *rep, struct mb_diag *d);

#endif
