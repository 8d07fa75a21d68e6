/* SPDX-License-Identifier: MIT */
/*
 * Events: the rules of registration at the organising center (capacity,
 * deadline, approval, the waitlist and its promotions, withdrawal),
 * tickets and check-in, the organiser's messages and certificates, and
 * the mail they send. Every door (the site's form, the newsroom's pages,
 * the CLI, the demo) calls these; none speaks SQL or HTTP.
 *
 * Attendee data stays in the store's events tables: nothing here makes
 * an item, a log entry or anything else that leaves the center.
 */
#ifndef MB_EVENTS_EVENTS_H
#define MB_EVENTS_EVENTS_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "base/buf.h"
#include "base/err.h"
#include "item/key.h"
#include "newsroom/policy.h"
#include "store/events.h"

struct mb_store;

/* What a call needs: the store, the center's key and id, its site. */
struct mb_events_env {
	struct mb_store		*st;
	const struct mb_key	*key;
	const char		*center;	/* this center's id */
	const char		*site_url;	/* links in mail: "https://..." */
	const char		*mail_from;	/* "" or NULL: no mail queued */
	int64_t			 now_ms;	/* 0: the clock (tests set it) */
};

/* ---- The event item and its programme (programme.c) ---- */

#define MB_EV_MAX_SESSIONS	64
#define MB_EV_MAX_SPEAKERS	8

struct mb_ev_person {
	const char	*name;
	const char	*uri;		/* a member profile, or NULL */
};

struct mb_ev_session {
	const char		*id;		/* the association's name */
	const char		*title;
	const char		*room;
	const char		*language;
	int64_t			 start_ms, end_ms;
	int			 nspeakers;
	struct mb_ev_person	 speakers[MB_EV_MAX_SPEAKERS];
};

/*
 * How an event repeats: ninjs eventDetails.dates.recurrence's one
 * recurrenceRules entry, as iCalendar's RRULE (RFC 5545 §3.3.10) and
 * schema.org's eventSchedule say it. freq NULL: it does not repeat.
 */
struct mb_ev_recurrence {
	const char	*freq;		/* "DAILY", "WEEKLY", ... */
	int		 interval;	/* 1 and up */
	int		 count;		/* 0: none */
	int64_t		 until_ms;	/* 0: none */
};

/*
 * An event as read from its item (strings borrowed from it): ninjs
 * eventDetails (dates, eventStatus, organiser), places (the first, with
 * its geoJSON point if any), and its programme, the associations whose
 * rel is "session" (docs/events.md gives the form).
 */
struct mb_event {
	const char		*uri, *title, *summary, *language;
	const char		*status;	/* scheduled, canceled, postponed,
						   rescheduled */
	int64_t			 version;	/* iCal SEQUENCE is version - 1 */
	int64_t			 start_ms, end_ms, updated_ms;
	const char		*place;
	bool			 has_geo;
	double			 lat, lon;
	const char		*organiser;
	struct mb_ev_recurrence	 repeat;	/* every session repeats so */
	int			 nsessions;
	struct mb_ev_session	 sessions[MB_EV_MAX_SESSIONS];
	json_t			*own;	/* what the strings point into */
};

/* Reads an event from an item (borrowed); MB_ERR_INVAL names the field. */
int mb_event_read(const json_t *item, struct mb_event *out,
    struct mb_diag *d);

/*
 * What a new version of an event item must be, checked before it is
 * signed (the newsroom's profile check): what mb_event_read refuses,
 * and an end before the start (the event's own dates, or its own end
 * before its programme's first session when it gives no start).
 * MB_ERR_INVAL names the field.
 * mb_event_read itself takes such dates, so that what is stored still
 * reads.
 */
int mb_event_check(const json_t *item, struct mb_diag *d);

/*
 * Reads the current version of the event uri from the store (an item
 * whose profile is "event"); out->own keeps it: mb_event_release after.
 * MB_ERR_NOTFOUND when there is no such event.
 */
int mb_event_load(struct mb_store *st, const char *uri, struct mb_event *out,
    struct mb_diag *d);
void mb_event_release(struct mb_event *e);

/*
 * The event's iCalendar (RFC 5545): one VEVENT per session, or one for
 * the event when it has no programme, STATUS CONFIRMED or CANCELLED and
 * SEQUENCE from the item's version, and RRULE on each when the event
 * repeats; url is the event page.
 */
int mb_event_ical(const struct mb_event *e, const char *url, int64_t now_ms,
    struct mb_buf *out);
/*
 * Its VEVENTs alone, as mb_event_ical writes them (the same UIDs, STATUS
 * and SEQUENCE), for a calendar of many events: /events.ics.
 */
int mb_event_ical_vevents(const struct mb_event *e, const char *url,
    int64_t now_ms, struct mb_buf *out);

/* schema.org/Event as JSON-LD, for the page's <script> (escaped for it). */
int mb_event_jsonld(const struct mb_event *e, const char *url,
    const struct mb_ev_counts *counts, const struct mb_ev_settings *s,
    struct mb_buf *out);

/* ---- Registration (registration.c) ---- */

/*
 * The longest time to take up a place offered from the waitlist, in
 * hours (a year): a form's hours times 3600000 must not overflow.
 */
#define MB_EV_CONFIRM_HOURS_MAX		8760
#define MB_EV_CONFIRM_HOURS_MAX_TEXT	"8760"

/* The organiser's settings for an event of this center. */
int mb_event_configure(const struct mb_events_env *env,
    const struct mb_actor *a, const struct mb_ev_settings *s,
    struct mb_diag *d);

/* A registration form as a reader sent it (strings borrowed). */
struct mb_ev_form {
	const char	*event;
	const char	*name, *email, *organisation, *country, *language;
	const json_t	*answers;	/* {question: answer}, may be NULL */
};

/*
 * Registers: checks every field (MB_ERR_INVAL names it; MB_ERR_TOOBIG
 * for an answer over its limit), the deadline (MB_ERR_PERM), one
 * registration per e-mail (MB_ERR_EXISTS); then, in one transaction,
 * complete (a ticket) when a place is free, pending when the organiser
 * approves, waitlisted otherwise. out gets the registration and token
 * the secret of its link (/events/r/TOKEN), which the mail carries.
 */
#define MB_EV_TOKEN_LEN 43
int mb_event_register(const struct mb_events_env *env,
    const struct mb_ev_form *f, struct mb_ev_reg *out,
    char token[MB_EV_TOKEN_LEN + 1], struct mb_diag *d);

/* The registration a link's token opens. MB_ERR_NOTFOUND. */
int mb_event_by_token(const struct mb_events_env *env, const char *token,
    struct mb_ev_reg *out, struct mb_diag *d);

/*
 * The attendee withdraws (from the link): the place frees up and the
 * first on the waitlist is offered it. MB_ERR_EXISTS when already
 * withdrawn or rejected.
 */
int mb_event_withdraw(const struct mb_events_env *env, const char *token,
    struct mb_ev_reg *out, struct mb_diag *d);

/*
 * The attendee takes up a place offered from the waitlist, before it
 * lapses: complete, with a ticket; pending for the organiser when the
 * event asks for approval. MB_ERR_PERM when no offer stands.
 */
int mb_event_confirm(const struct mb_events_env *env, const char *token,
    struct mb_ev_reg *out, struct mb_diag *d);

/* The organiser approves (complete) or rejects a pending registration. */
int mb_event_decide(const struct mb_events_env *env, const struct mb_actor *a,
    const char *reg_id, bool approve, struct mb_diag *d);

/*
 * Background work: offers that lapsed are withdrawn and passed on, free
 * places offered in order. Returns how many registrations changed. An
 * event whose part fails (its item no longer an event, a ticket that
 * cannot be issued) is skipped with its change undone and the others go
 * on: *skipped counts them and d holds the first one's message.
 */
int mb_event_promote_round(const struct mb_events_env *env, int *changed,
    int *skipped, struct mb_diag *d);

/* ---- Tickets and check-in (checkin.c) ---- */

/*
 * The event's revocation list (withdrawn and rejected registrations),
 * signed. MB_ERR_NOTFOUND when uri is no event; MB_ERR_PERM when it is
 * another center's (its tickets are not ours to revoke).
 */
int mb_event_revoked(const struct mb_events_env *env, const char *event,
    struct mb_buf *out, struct mb_diag *d);

/* What a check-in found. */
struct mb_ev_checkin {
	bool		admitted;	/* first entry of a valid ticket */
	bool		again;		/* valid, but entered before */
	char		why[160];	/* when not admitted */
	int64_t		first_ms;
	int64_t		count;
	struct mb_ev_reg reg;		/* who it is (when the ticket is ours) */
};

/*
 * Checks a scanned ticket at the door of event (its uri) with this
 * center's key and the event's revocations, and marks the entry once: a
 * second entry is flagged; a ticket for another event ("wrong event:
 * TITLE") or for this one canceled is refused. MB_OK with out filled
 * whatever the verdict (admitted or not, why); MB_ERR_NOTFOUND when
 * event is none of this center's.
 */
int mb_event_checkin(const struct mb_events_env *env,
    const struct mb_actor *a, const char *event, const char *ticket,
    struct mb_ev_checkin *out, struct mb_diag *d);

/* ---- The organiser (organiser.c) ---- */

/* The attendee list as CSV (RFC 4180), in arrival order. */
int mb_event_csv(const struct mb_events_env *env, const struct mb_actor *a,
    const char *event, struct mb_buf *out, struct mb_diag *d);

/* Queues a message to every complete and pending attendee; *n: how many. */
int mb_event_message(const struct mb_events_env *env,
    const struct mb_actor *a, const char *event, const char *subject,
    const char *body, int *n, struct mb_diag *d);

/*
 * A certificate of attendance (an Open Badges 3.0 credential signed by
 * the center) for a registration that checked in, after the event.
 */
int mb_event_certificate(const struct mb_events_env *env,
    const struct mb_actor *a, const char *reg_id, const char *center_name,
    char **out, struct mb_diag *d);

/* ---- Mail (mail.c) ---- */

/* [mail] of mediabridge.conf. */
struct mb_mail_conf {
	const char	*relay;		/* smtp://host:port; "": no mail */
	const char	*from;
	const char	*user, *password;	/* may be "" */
	int64_t		 retry_ms;	/* first wait after a failure; 0: 30 s */
};

/*
 * Sends what is due from the queue through the relay; a failure is
 * tried again later (retry_ms, 30 s, doubling to 6 h). *sent and *failed count.
 */
int mb_event_mail_round(struct mb_store *st, const struct mb_mail_conf *mc,
    int *sent, int *failed, struct mb_diag *d);

#endif
