/* SPDX-License-Identifier: MIT */
/* Private to the events' route files (routes_events.c, routes_nr_events.c). */
#ifndef MB_HTTP_EV_INT_H
#define MB_HTTP_EV_INT_H

#include <stdbool.h>

#include "events/events.h"
#include "http/http.h"

/* The events' environment for this request; false with 503 answered. */
bool mb_ev_env_of(struct mb_req *r, struct mb_events_env *e);

/* The HTTP status of an events error code. */
unsigned mb_ev_status(int rc);

#endif
