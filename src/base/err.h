/* SPDX-License-Identifier: MIT */
/* Error codes shared by every module, and the diagnostic that says why. */
#ifndef MB_BASE_ERR_H
#define MB_BASE_ERR_H

#include <stddef.h>

/*
 * Functions return MB_OK (0) or one of these negative codes. Out-parameters
 * are set only on success.
 */
enum mb_err {
	MB_OK = 0,
	MB_ERR_NOMEM = -1,	 /* out of memory */
	MB_ERR_INVAL = -2,	 /* bad input: the diagnostic says what */
	MB_ERR_NOTFOUND = -3,	 /* no such thing */
	MB_ERR_EXISTS = -4,	 /* already there (not an error for dedupe) */
	MB_ERR_IO = -5,		 /* the file system failed */
	MB_ERR_SIG = -6,	 /* a signature does not verify */
	MB_ERR_CONFLICT = -7,	 /* a stale version: someone else won */
	MB_ERR_STORE = -8,	 /* the database failed */
	MB_ERR_PERM = -9,	 /* not allowed */
	MB_ERR_TOOBIG = -10,	 /* over a limit */
	MB_ERR_CORRUPT = -11,	 /* stored data is damaged */
	MB_ERR_NET = -12,	 /* the network failed */
	MB_ERR_AGAIN = -13,	 /* try again later */
	MB_ERR_UNSUPPORTED = -14, /* not supported by this build or backend */
	MB_ERR_NOSPACE = -15	 /* the disk (or the database's quota) is full */
};

/* A short, static English description of an error code. */
const char *mb_strerror(int err);

/*
 * A diagnostic: the human-readable reason for the last error, filled in
 * where the error is found (deep in the code) and printed at the edges
 * (CLI, HTTP). Every function that takes one accepts NULL.
 */
struct mb_diag {
	char msg[512];
};

/*
 * Sets d->msg from a printf format and returns err, so that a failing
 * function can end with `return mb_diag_set(d, MB_ERR_INVAL, "...")`.
 */
int mb_diag_set(struct mb_diag *d, int err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Puts "prefix: " in front of the message already in d (if any). */
void mb_diag_prefix(struct mb_diag *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The message, or mb_strerror(err) when none was set. */
const char *mb_diag_msg(const struct mb_diag *d, int err);

/* Clears the message. */
void mb_diag_clear(struct mb_diag *d);

#endif
