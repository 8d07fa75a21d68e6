/* SPDX-License-Identifier: MIT */
/* Asking another center whether it answers, and what time it says it is. */
#ifndef MB_SYNC_PROBE_H
#define MB_SYNC_PROBE_H

#include <stdint.h>

#include "base/err.h"

struct mb_sync_probe {
	long	status;		/* HTTP status of GET <url>/healthz */
	int64_t	elapsed_ms;	/* the round trip */
	int64_t	skew_ms;	/* its Date minus our clock at mid-trip */
	int	has_date;	/* it sent a Date header */
};

/*
 * GET base_url/healthz within timeout_ms (for `doctor`): MB_ERR_NET, d
 * saying why, when it does not answer at all. The Date header has a
 * resolution of a second, so skew_ms is good to about a second.
 */
int mb_sync_probe(const char *base_url, int timeout_ms,
    struct mb_sync_probe *out, struct mb_diag *d);

#endif
