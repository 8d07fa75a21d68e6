/* SPDX-License-Identifier: MIT */
/* What the files of signed/ share and nobody else needs. */
#ifndef MB_SIGNED_SIGNED_INT_H
#define MB_SIGNED_SIGNED_INT_H

#include <stdint.h>

#include <jansson.h>

#include "base/err.h"
#include "signed/verdict.h"

/*
 * Sets *why (when not NULL) to v and the diagnostic from fmt; returns
 * err, so that a verifier can end with `return mb_signed__refuse(...)`.
 */
int mb_signed__refuse(enum mb_verdict *why, enum mb_verdict v,
    struct mb_diag *d, int err, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));


/*
 * Sets o[name] to the string v (when v is not NULL). MB_ERR_INVAL with
 * "<name>: not valid UTF-8" when jansson refuses the text.
 */
int mb_signed__set_str(json_t *o, const char *name, const char *v,
    struct mb_diag *d);

/* Sets o[name] to the date-time of ms, to the second. */
int mb_signed__set_time(json_t *o, const char *name, int64_t ms);

/* A string member of o, or NULL. */
const char *mb_signed__str(const json_t *o, const char *name);

/* True when v is s, or an array holding s. */
int mb_signed__has(const json_t *v, const char *s);

/*
 * Checks validFrom and validUntil of a credential at now_ms (0: now):
 * NOT_YET_VALID or EXPIRED; MALFORMED for a date-time that is not one
 * or a missing validFrom. what names the artefact in the message.
 */
int mb_signed__check_validity(const json_t *doc, int64_t now_ms,
    const char *what, enum mb_verdict *why, struct mb_diag *d);

/* Reads text as a JSON object (duplicates refused, at most max bytes). */
int mb_signed__parse(const char *buf, size_t len, size_t max, json_t **out,
    enum mb_verdict *why, struct mb_diag *d);

#endif
