/* SPDX-License-Identifier: MIT */
/*
 * A poller: one thread that runs a round of background work every
 * period until stopped (the media fetcher today; feed ingest and the
 * next domains' schedules tomorrow). Stopping wakes it at once.
 */
#ifndef MB_SERVE_POLLER_H
#define MB_SERVE_POLLER_H

#include <stdint.h>

#include "base/err.h"

struct mb_poller;

/*
 * One round; its error is logged (once per change of message, so a
 * failure that lasts does not fill the log), then the next round waits
 * the period. A round returns the delay before the next one in *next_ms
 * when it wants another than the period (0: the period).
 */
typedef int (*mb_poller_round)(void *arg, int64_t *next_ms,
    struct mb_diag *d);

/* name: for the thread's name and the log ("media", "feeds", ...). */
int mb_poller_start(const char *name, int64_t period_ms, mb_poller_round fn,
    void *arg, struct mb_poller **out, struct mb_diag *d);

/* Runs a round now rather than at the end of the wait. */
void mb_poller_kick(struct mb_poller *p);

/* Stops after the round in progress and frees; NULL is a no-op. */
void mb_poller_stop(struct mb_poller *p);

#endif
