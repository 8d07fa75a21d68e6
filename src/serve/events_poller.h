/* SPDX-License-Identifier: MIT */
/*
 * The events poller's round: offers from the waitlist that lapsed are
 * passed on, free places offered, and queued mail sent through the
 * relay (src/events/; docs/events.md).
 */
#ifndef MB_SERVE_EVENTS_POLLER_H
#define MB_SERVE_EVENTS_POLLER_H

#include <stdint.h>

#include "base/err.h"
#include "center/center.h"

struct mb_events_poller;

int mb_events_poller_new(const struct mb_center_node *node,
    struct mb_events_poller **out, struct mb_diag *d);
/* An mb_poller_round. */
int mb_events_poller_round(void *arg, int64_t *next_ms, struct mb_diag *d);
/* After its poller has stopped; NULL is a no-op. */
void mb_events_poller_free(struct mb_events_poller *p);

#endif
