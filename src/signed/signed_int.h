/* SPDX-License-Identifier: MIT */
/* What the files of signed/ share and nobody else needs. */
#ifndef MB_SIGNED_SIGNED_INT_H
#define MB_SIGNED_SIGNED_INT_H

#include "base/err.h"
#include "signed/verdict.h"

/*
 * Sets *why (when not NULL) to v and the diagnostic from fmt; returns
 * err, so that a verifier can end with `return mb_signed__refuse(...)`.
 */
int mb_signed__refuse(enum mb_verdict *why, enum mb_verdict v,
    struct mb_diag *d, int err, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

#endif
