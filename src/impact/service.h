/* SPDX-License-Identifier: MIT */
/*
 * The impact service's background round (a poller of serve): the
 * counters flushed to the store, retention, this center's report of
 * the day, and the reports other centers sent applied.
 */
#ifndef MB_IMPACT_SERVICE_H
#define MB_IMPACT_SERVICE_H

#include <stdint.h>

#include "base/err.h"
#include "center/center.h"
#include "impact/impact.h"

struct mb_impact_service;

/*
 * im and n are borrowed and outlive the service. saved (may be NULL) is
 * called after a report was stored (serve wakes the exchange's
 * long-polls with it).
 */
int mb_impact_service_new(const struct mb_center_node *n,
    struct mb_impact *im, void (*saved)(void *), void *saved_arg,
    struct mb_impact_service **out, struct mb_diag *d);
void mb_impact_service_free(struct mb_impact_service *s);

/* One round (mb_poller_round). */
int mb_impact_service_round(void *arg, int64_t *next_ms, struct mb_diag *d);

/*
 * Flushes, publishes today's report now, and applies received reports
 * (the stats route "report now", and the demo). Thread-safe with the
 * round.
 */
int mb_impact_service_report_now(struct mb_impact_service *s,
    struct mb_diag *d);

/* The first day retention keeps, months before today. */
void mb_impact_retention_day(const char *today, int months,
    char out[MB_IMPACT_DAY_LEN + 1]);

#endif
