/* SPDX-License-Identifier: MIT */
/* The events domain: its descriptor, its rows, and its calls handed to the store's backend. */
#include "events_int.h"

static const struct mb_store_table tables[] = {
	{ "events_settings", MB_STORE_EV_SETTINGS_COLS },
	{ "events_registrations", MB_STORE_EV_REG_COLS },
	{ "events_mail", "id, to_addr, subject, body, attempts, next_ms, "
	  "sent_ms, last_error, created_ms" },
	{ NULL, NULL }
};

const struct mb_store_domain mb_store_events_domain = {
	.name = "events",
	.migrations = {
		[MB_STORE_SQLITE] = mb_sqlite_events_migrations,
		[MB_STORE_PG] = mb_pg_events_migrations,
	},
	.tables = tables,
};

static const struct mb_store_col settings_col[] = {
	MB_COL(MB_COL_CHARS, struct mb_ev_settings, event),
	MB_COL(MB_COL_INT, struct mb_ev_settings, capacity),
	MB_COL(MB_COL_INT, struct mb_ev_settings, deadline_ms),
	MB_COL(MB_COL_BOOL, struct mb_ev_settings, approval),
	MB_COL(MB_COL_INT, struct mb_ev_settings, confirm_ms),
	MB_COL(MB_COL_CHARS, struct mb_ev_settings, questions),
	MB_COL(MB_COL_INT, struct mb_ev_settings, updated_ms),
};
const struct mb_store_cols mb_store__ev_settings_cols =
    MB_COLS(struct mb_ev_settings, settings_col);

static const struct mb_store_col reg_col[] = {
	MB_COL(MB_COL_INT, struct mb_ev_reg, seq),
	MB_COL(MB_COL_CHARS, struct mb_ev_reg, id),
	MB_COL(MB_COL_CHARS, struct mb_ev_reg, event),
	MB_COL(MB_COL_CHARS, struct mb_ev_reg, email),
	MB_COL(MB_COL_CHARS, struct mb_ev_reg, name),
	MB_COL(MB_COL_CHARS, struct mb_ev_reg, organisation),
	MB_COL(MB_COL_CHARS, struct mb_ev_reg, country),
	MB_COL(MB_COL_CHARS, struct mb_ev_reg, language),
	MB_COL(MB_COL_CHARS, struct mb_ev_reg, answers),
	MB_COL(MB_COL_CHARS, struct mb_ev_reg, state),
	MB_COL(MB_COL_INT, struct mb_ev_reg, created_ms),
	MB_COL(MB_COL_INT, struct mb_ev_reg, updated_ms),
	MB_COL(MB_COL_INT, struct mb_ev_reg, offer_until_ms),
	MB_COL(MB_COL_INT, struct mb_ev_reg, checked_in_ms),
	MB_COL(MB_COL_INT, struct mb_ev_reg, checkins),
	MB_COL(MB_COL_CHARS, struct mb_ev_reg, ticket),
	MB_COL(MB_COL_CHARS, struct mb_ev_reg, token),
};
const struct mb_store_cols mb_store__ev_reg_cols =
    MB_COLS(struct mb_ev_reg, reg_col);

static const struct mb_store_col mail_col[] = {
	MB_COL(MB_COL_INT, struct mb_ev_mail, id),
	MB_COL(MB_COL_CHARS, struct mb_ev_mail, to),
	MB_COL(MB_COL_CHARS, struct mb_ev_mail, subject),
	MB_COL(MB_COL_STR, struct mb_ev_mail, body),
	MB_COL(MB_COL_INT, struct mb_ev_mail, attempts),
	MB_COL(MB_COL_INT, struct mb_ev_mail, next_ms),
	MB_COL(MB_COL_INT, struct mb_ev_mail, sent_ms),
	MB_COL(MB_COL_CHARS, struct mb_ev_mail, last_error),
};
const struct mb_store_cols mb_store__ev_mail_cols =
    MB_COLS(struct mb_ev_mail, mail_col);

static const struct mb_store_events_ops *const impl[MB_STORE__BACKENDS] = {
	[MB_STORE_SQLITE] = &mb_sqlite_events,
	[MB_STORE_PG] = &mb_pg_events,
};

#define OPS(st)	(impl[mb_store__backend(st)])

int
mb_store_ev_settings_put(struct mb_store *st, const struct mb_ev_settings *s,
    struct mb_diag *d)
{
	return OPS(st)->settings_put(st, s, d);
}

int
mb_store_ev_settings_get(struct mb_store *st, const char *event,
    struct mb_ev_settings *out, struct mb_diag *d)
{
	return OPS(st)->settings_get(st, event, out, d);
}

int
mb_store_ev_reg_add(struct mb_store *st, struct mb_ev_reg *r,
    struct mb_diag *d)
{
	return OPS(st)->reg_add(st, r, d);
}

int
mb_store_ev_reg_get(struct mb_store *st, const char *id,
    const char *token, struct mb_ev_reg *out, struct mb_diag *d)
{
	return OPS(st)->reg_get(st, id, token, out, d);
}

int
mb_store_ev_reg_set(struct mb_store *st, const char *id, const char *state,
    int64_t offer_until_ms, const char *ticket, struct mb_diag *d)
{
	return OPS(st)->reg_set(st, id, state, offer_until_ms, ticket, d);
}

int
mb_store_ev_reg_counts(struct mb_store *st, const char *event,
    struct mb_ev_counts *out, struct mb_diag *d)
{
	return OPS(st)->reg_counts(st, event, out, d);
}

int
mb_store_ev_reg_list(struct mb_store *st, const char *event,
    const char *state, int (*cb)(const struct mb_ev_reg *r, void *arg),
    void *arg, struct mb_diag *d)
{
	return OPS(st)->reg_list(st, event, state, cb, arg, d);
}

int
mb_store_ev_reg_checkin(struct mb_store *st, const char *id, int64_t now_ms,
    int64_t *first_ms, int64_t *count, struct mb_diag *d)
{
	return OPS(st)->reg_checkin(st, id, now_ms, first_ms, count, d);
}

int
mb_store_ev_mail_add(struct mb_store *st, const char *to,
    const char *subject, const char *body, struct mb_diag *d)
{
	return OPS(st)->mail_add(st, to, subject, body, d);
}

int
mb_store_ev_mail_due(struct mb_store *st, int64_t now_ms, int64_t limit,
    int (*cb)(const struct mb_ev_mail *m, void *arg), void *arg,
    struct mb_diag *d)
{
	return OPS(st)->mail_due(st, now_ms, limit, cb, arg, d);
}

int
mb_store_ev_mail_done(struct mb_store *st, int64_t id, int64_t sent_ms,
    int64_t next_ms, const char *error, struct mb_diag *d)
{
	return OPS(st)->mail_done(st, id, sent_ms, next_ms, error, d);
}

int
mb_store_ev_mail_pending(struct mb_store *st, int64_t *n, struct mb_diag *d)
{
	return OPS(st)->mail_pending(st, n, d);
}
