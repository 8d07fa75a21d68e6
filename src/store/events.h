/* SPDX-License-Identifier: MIT */
/*
 * The events domain: each event's registration settings, its
 * registrations (personal data: they never leave the center) and the
 * outgoing mail queue. The rules (capacity, waitlist, tickets) are in
 * src/events/; this is their storage only.
 */
#ifndef MB_STORE_EVENTS_H
#define MB_STORE_EVENTS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"

struct mb_store;

#define MB_EV_URI_MAX		128
#define MB_EV_ID_MAX		32
#define MB_EV_TEXT_MAX		256	/* name, e-mail, organisation */
#define MB_EV_ANSWERS_MAX	8192	/* the organiser's questions, answered */
#define MB_EV_TICKET_MAX	400

/* An event's registration settings, set by its organiser. */
struct mb_ev_settings {
	char	event[MB_EV_URI_MAX];		/* the event item's uri */
	int64_t	capacity;			/* places; 0: none */
	int64_t	deadline_ms;			/* 0: until the event */
	bool	approval;			/* the organiser decides */
	int64_t	confirm_ms;			/* time to take up a place */
	char	questions[MB_EV_ANSWERS_MAX];	/* JSON array of strings */
	int64_t	updated_ms;
};

/* A registration. state: pending, complete, waitlisted, withdrawn,
 * rejected (Indico's). */
struct mb_ev_reg {
	int64_t	seq;				/* arrival order */
	char	id[MB_EV_ID_MAX];
	char	event[MB_EV_URI_MAX];
	char	email[MB_EV_TEXT_MAX];
	char	name[MB_EV_TEXT_MAX];
	char	organisation[MB_EV_TEXT_MAX];
	char	country[8];
	char	language[36];
	char	answers[MB_EV_ANSWERS_MAX];	/* JSON object */
	char	state[16];
	int64_t	created_ms;
	int64_t	updated_ms;
	int64_t	offer_until_ms;		/* a promoted place: confirm by then */
	int64_t	checked_in_ms;		/* first entry; 0: none */
	int64_t	checkins;		/* entries tried with the ticket */
	char	ticket[MB_EV_TICKET_MAX];	/* "" until complete */
	char	token[48];		/* the secret of the attendee's link */
};

/* How many registrations of an event are in each state. */
struct mb_ev_counts {
	int64_t	pending, complete, waitlisted, withdrawn, rejected;
};

/* A queued mail. */
struct mb_ev_mail {
	int64_t	id;
	char	to[MB_EV_TEXT_MAX];
	char	subject[512];
	const char *body;		/* borrowed for the visitor's call */
	int64_t	attempts;
	int64_t	next_ms;
	int64_t	sent_ms;
	char	last_error[256];
};

/* Inserts or replaces an event's settings. */
int mb_store_ev_settings_put(struct mb_store *st,
    const struct mb_ev_settings *s, struct mb_diag *d);
/* MB_ERR_NOTFOUND when the event takes no registrations. */
int mb_store_ev_settings_get(struct mb_store *st, const char *event,
    struct mb_ev_settings *out, struct mb_diag *d);

/*
 * Adds a registration (r->seq is set on success). MB_ERR_EXISTS when
 * the event has one for this e-mail already (compared lower-cased) that
 * is not withdrawn: a withdrawn one stays as it was, a new one is added.
 */
int mb_store_ev_reg_add(struct mb_store *st, struct mb_ev_reg *r,
    struct mb_diag *d);
/*
 * By id, or (id NULL) by its link's token (kept in clear so that a later
 * mail, an offer from the waitlist, can carry the link again; these
 * tables never leave the center).
 */
int mb_store_ev_reg_get(struct mb_store *st, const char *id,
    const char *token, struct mb_ev_reg *out, struct mb_diag *d);
/* Sets state, offer time and ticket (NULL: unchanged) of a registration. */
int mb_store_ev_reg_set(struct mb_store *st, const char *id,
    const char *state, int64_t offer_until_ms, const char *ticket,
    struct mb_diag *d);
int mb_store_ev_reg_counts(struct mb_store *st, const char *event,
    struct mb_ev_counts *out, struct mb_diag *d);
/*
 * An event's registrations in arrival order, those in state only when
 * state is given; event NULL: every event's (with state, the poller's
 * look for lapsed offers).
 */
int mb_store_ev_reg_list(struct mb_store *st, const char *event,
    const char *state, int (*cb)(const struct mb_ev_reg *r, void *arg),
    void *arg, struct mb_diag *d);
/*
 * Records an entry: counts it, and keeps the first entry's time.
 * *first_ms gets the first entry's time (now_ms when this is it) and
 * *count the entries so far, this one included.
 */
int mb_store_ev_reg_checkin(struct mb_store *st, const char *id,
    int64_t now_ms, int64_t *first_ms, int64_t *count, struct mb_diag *d);

/* Queues a mail to send at once. */
int mb_store_ev_mail_add(struct mb_store *st, const char *to,
    const char *subject, const char *body, struct mb_diag *d);
/* Unsent mails due by now_ms, oldest first, at most limit. */
int mb_store_ev_mail_due(struct mb_store *st, int64_t now_ms, int64_t limit,
    int (*cb)(const struct mb_ev_mail *m, void *arg), void *arg,
    struct mb_diag *d);
/* Marks a mail sent (sent_ms > 0) or failed, to try again at next_ms. */
int mb_store_ev_mail_done(struct mb_store *st, int64_t id, int64_t sent_ms,
    int64_t next_ms, const char *error, struct mb_diag *d);
/* Mails waiting to go (not sent). */
int mb_store_ev_mail_pending(struct mb_store *st, int64_t *n,
    struct mb_diag *d);

#endif
