/* SPDX-License-Identifier: MIT */
/* Private to src/events: what its files share. */
#ifndef MB_EVENTS_EVENTS_INT_H
#define MB_EVENTS_EVENTS_INT_H

#include <stdlib.h>

#include "events/events.h"
#include "signed/ticket.h"

/* The clock, or the environment's fixed time (tests). */
int64_t mb_ev__now(const struct mb_events_env *env);

/* Editors and admins organise (and the CLI, which has no actor). */
bool mb_ev__organiser(const struct mb_actor *a);

/* An event of this center (others' events take no registrations here). */
int mb_ev__load(const struct mb_events_env *env, const char *uri,
    struct mb_event *e, struct mb_diag *d);
/* mb_event_release, then free. */
void mb_ev__free(struct mb_event *e);
/* Whether uri names an event of this center: mb_ev__load's answer. */
int mb_ev__check(const struct mb_events_env *env, const char *uri,
    struct mb_diag *d);

/*
 * When the event ends: its end, or a day after its start when it gives
 * no end (an end of 0 is not "long ago").
 */
int64_t mb_ev__end(const struct mb_event *e);
/*
 * When a ticket for e admits, by e's dates now: from a day before it
 * starts to a day after it ends. false when e has no date yet (then a
 * year from now_ms, for a ticket issued now).
 */
bool mb_ev__window(const struct mb_event *e, int64_t now_ms,
    int64_t *from_ms, int64_t *until_ms);

/* A ticket for r, valid from a day before the event to a day after. */
int mb_ev__ticket(const struct mb_events_env *env, const struct mb_event *e,
    const struct mb_ev_reg *r, char out[MB_TICKET_TEXT_MAX],
    struct mb_diag *d);

/* What a mail to an attendee says. */
enum mb_ev_mail_kind {
	MB_EV_MAIL_TICKET,	/* complete: the ticket */
	MB_EV_MAIL_PENDING,	/* waiting for the organiser */
	MB_EV_MAIL_WAITLIST,	/* on the waitlist */
	MB_EV_MAIL_OFFER,	/* a place: confirm by */
	MB_EV_MAIL_WITHDRAWN,
	MB_EV_MAIL_REJECTED,
	MB_EV_MAIL_LAPSED	/* the offer lapsed */
};

/* Queues the mail of kind to r (nothing when the center sends none). */
int mb_ev__notify(const struct mb_events_env *env, const struct mb_event *e,
    const struct mb_ev_reg *r, enum mb_ev_mail_kind kind, struct mb_diag *d);

/*
 * A whole MIME message from env->mail_from to to: the text, and the
 * ticket's QR code as an SVG attachment when ticket is given.
 */
int mb_ev__compose(const struct mb_events_env *env, const char *to,
    const char *subject, const char *text, const char *ticket,
    struct mb_buf *out, struct mb_diag *d);

#endif
