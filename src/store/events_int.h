/* SPDX-License-Identifier: MIT */
/* Private to the events domain: its table of calls, one per backend, and its rows. */
#ifndef MB_STORE_EVENTS_INT_H
#define MB_STORE_EVENTS_INT_H

#include "store/events.h"
#include "store/store_int.h"

/* The calls of events.h, with the same arguments and contract. */
struct mb_store_events_ops {
	int	(*settings_put)(struct mb_store *st,
		    const struct mb_ev_settings *s, struct mb_diag *d);
	int	(*settings_get)(struct mb_store *st, const char *event,
		    struct mb_ev_settings *out, struct mb_diag *d);
	int	(*reg_add)(struct mb_store *st, struct mb_ev_reg *r,
		    struct mb_diag *d);
	int	(*reg_get)(struct mb_store *st, const char *id,
		    const char *token, struct mb_ev_reg *out,
		    struct mb_diag *d);
	int	(*reg_set)(struct mb_store *st, const char *id,
		    const char *state, int64_t offer_until_ms,
		    const char *ticket, struct mb_diag *d);
	int	(*reg_counts)(struct mb_store *st, const char *event,
		    struct mb_ev_counts *out, struct mb_diag *d);
	int	(*reg_list)(struct mb_store *st, const char *event,
		    const char *state,
		    int (*cb)(const struct mb_ev_reg *r, void *arg), void *arg,
		    struct mb_diag *d);
	int	(*reg_checkin)(struct mb_store *st, const char *id,
		    int64_t now_ms, int64_t *first_ms, int64_t *count,
		    struct mb_diag *d);
	int	(*mail_add)(struct mb_store *st, const char *to,
		    const char *subject, const char *body, struct mb_diag *d);
	int	(*mail_due)(struct mb_store *st, int64_t now_ms, int64_t limit,
		    int (*cb)(const struct mb_ev_mail *m, void *arg),
		    void *arg, struct mb_diag *d);
	int	(*mail_done)(struct mb_store *st, int64_t id, int64_t sent_ms,
		    int64_t next_ms, const char *error, struct mb_diag *d);
	int	(*mail_pending)(struct mb_store *st, int64_t *n,
		    struct mb_diag *d);
};

extern const struct mb_store_events_ops mb_sqlite_events;
extern const struct mb_store_events_ops mb_pg_events;
extern const char *const mb_sqlite_events_migrations[];
extern const char *const mb_pg_events_migrations[];

/* Rows: the columns in these orders. */
extern const struct mb_store_cols mb_store__ev_settings_cols;
#define MB_STORE_EV_SETTINGS_COLS "event, capacity, deadline_ms, approval, " \
    "confirm_ms, questions, updated_ms"
extern const struct mb_store_cols mb_store__ev_reg_cols;
#define MB_STORE_EV_REG_COLS "seq, id, event, email, name, organisation, " \
    "country, language, answers, state, created_ms, updated_ms, " \
    "offer_until_ms, checked_in_ms, checkins, ticket, token"
extern const struct mb_store_cols mb_store__ev_mail_cols;
#define MB_STORE_EV_MAIL_COLS "id, to_addr, subject, body, attempts, " \
    "next_ms, sent_ms, last_error"

#endif
