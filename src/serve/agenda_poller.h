/* SPDX-License-Identifier: MIT */
/*
 * The agenda poller's round: this center's open proposals whose closing
 * date has passed are closed (accepted onto their event's agenda when
 * the network's supports reach the threshold, else rejected), as a
 * moderator's `agenda close` would (src/members/; docs/members.md).
 */
#ifndef MB_SERVE_AGENDA_POLLER_H
#define MB_SERVE_AGENDA_POLLER_H

#include <stdint.h>

#include "base/err.h"
#include "center/center.h"

struct mb_agenda_poller;

/* saved (may be NULL) is called after a close is stored: long-polls wake. */
int mb_agenda_poller_new(const struct mb_center_node *node,
    void (*saved)(void *arg), void *saved_arg,
    struct mb_agenda_poller **out, struct mb_diag *d);
/* An mb_poller_round. */
int mb_agenda_poller_round(void *arg, int64_t *next_ms, struct mb_diag *d);
/* After its poller has stopped; NULL is a no-op. */
void mb_agenda_poller_free(struct mb_agenda_poller *p);

#endif
