/* SPDX-License-Identifier: MIT */
/* The events domain on PostgreSQL: registration settings, registrations, mail. */
#include "pg_int.h"

#include <stdlib.h>
#include <string.h>

#include "base/timeutil.h"
#include "store/events_int.h"

const char *const mb_pg_events_migrations[] = {
	/* 1 */
	"CREATE TABLE events_settings ("
	"  event TEXT PRIMARY KEY,"
	"  capacity BIGINT NOT NULL,"
	"  deadline_ms BIGINT NOT NULL,"
	"  approval BOOLEAN NOT NULL,"
	"  confirm_ms BIGINT NOT NULL,"
	"  questions TEXT NOT NULL,"
	"  updated_ms BIGINT NOT NULL);"
	"CREATE TABLE events_registrations ("
	"  seq BIGSERIAL PRIMARY KEY,"
	"  id TEXT NOT NULL UNIQUE,"
	"  event TEXT NOT NULL,"
	"  email TEXT NOT NULL,"
	"  name TEXT NOT NULL,"
	"  organisation TEXT NOT NULL,"
	"  country TEXT NOT NULL,"
	"  language TEXT NOT NULL,"
	"  answers TEXT NOT NULL,"
	"  state TEXT NOT NULL,"
	"  created_ms BIGINT NOT NULL,"
	"  updated_ms BIGINT NOT NULL,"
	"  offer_until_ms BIGINT NOT NULL DEFAULT 0,"
	"  checked_in_ms BIGINT NOT NULL DEFAULT 0,"
	"  checkins BIGINT NOT NULL DEFAULT 0,"
	"  ticket TEXT NOT NULL DEFAULT '',"
	"  token TEXT NOT NULL UNIQUE,"
	"  UNIQUE (event, email));"
	"CREATE INDEX events_registrations_state ON "
	"  events_registrations (state, event);"
	"CREATE TABLE events_mail ("
	"  id BIGSERIAL PRIMARY KEY,"
	"  to_addr TEXT NOT NULL,"
	"  subject TEXT NOT NULL,"
	"  body TEXT NOT NULL,"
	"  attempts BIGINT NOT NULL DEFAULT 0,"
	"  next_ms BIGINT NOT NULL,"
	"  sent_ms BIGINT NOT NULL DEFAULT 0,"
	"  last_error TEXT NOT NULL DEFAULT '',"
	"  created_ms BIGINT NOT NULL);"
	"CREATE INDEX events_mail_due ON events_mail (sent_ms, next_ms);",
	/*
	 * 2: one registration per e-mail and event among those not
	 * withdrawn, so that a withdrawn address can register again (its
	 * old row stays, and with it its ticket's revocation).
	 */
	"ALTER TABLE events_registrations DROP CONSTRAINT "
	"  events_registrations_event_email_key;"
	"CREATE UNIQUE INDEX events_registrations_email ON "
	"  events_registrations (event, email) WHERE state <> 'withdrawn';",
	NULL
};

static int
settings_put(struct mb_store *st, const struct mb_ev_settings *s,
    struct mb_diag *d)
{
	struct mb_pg_params	p;

	p.n = 0;
	mb_pg__p_text(&p, s->event);
	mb_pg__p_int(&p, s->capacity);
	mb_pg__p_int(&p, s->deadline_ms);
	mb_pg__p_bool(&p, s->approval);
	mb_pg__p_int(&p, s->confirm_ms);
	mb_pg__p_text(&p, s->questions);
	mb_pg__p_int(&p, mb_time_now_ms());
	return mb_pg__run(PG(st), "INSERT INTO events_settings ("
	    MB_STORE_EV_SETTINGS_COLS ") VALUES ($1, $2, $3, $4, $5, $6, $7) "
	    "ON CONFLICT (event) DO UPDATE SET capacity = $2, deadline_ms = "
	    "$3, approval = $4, confirm_ms = $5, questions = $6, updated_ms = "
	    "$7", &p, false, NULL, d);
}

static int
settings_get(struct mb_store *st, const char *event,
    struct mb_ev_settings *out, struct mb_diag *d)
{
	struct mb_pg_params	p;
	int			rc;

	p.n = 0;
	mb_pg__p_text(&p, event);
	if ((rc = mb_pg__one(PG(st), "SELECT " MB_STORE_EV_SETTINGS_COLS
	    " FROM events_settings WHERE event = $1", &p, false,
	    &mb_store__ev_settings_cols, out, d)) == MB_ERR_NOTFOUND)
		return mb_diag_set(d, rc, "%s: takes no registrations", event);
	return rc;
}

static int
reg_add(struct mb_store *st, struct mb_ev_reg *g, struct mb_diag *d)
{
	struct mb_pg_params	p;
	struct mb_pg_rows	r;
	int			rc;

	p.n = 0;
	mb_pg__p_text(&p, g->id);
	mb_pg__p_text(&p, g->event);
	mb_pg__p_text(&p, g->email);
	mb_pg__p_text(&p, g->name);
	mb_pg__p_text(&p, g->organisation);
	mb_pg__p_text(&p, g->country);
	mb_pg__p_text(&p, g->language);
	mb_pg__p_text(&p, g->answers);
	mb_pg__p_text(&p, g->state);
	mb_pg__p_int(&p, g->created_ms);
	mb_pg__p_int(&p, g->offer_until_ms);
	mb_pg__p_text(&p, g->ticket);
	mb_pg__p_text(&p, g->token);
	if ((rc = mb_pg__query(PG(st), "INSERT INTO events_registrations "
	    "(id, event, email, name, organisation, country, language, "
	    "answers, state, created_ms, updated_ms, offer_until_ms, ticket, "
	    "token) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, "
	    "$11, $12, $13) ON CONFLICT (event, email) WHERE state <> "
	    "'withdrawn' DO NOTHING RETURNING "
	    "seq", &p, false, &r, d)) != MB_OK)
		return rc;
	if (!mb_pg__next(&r, NULL, NULL))
		rc = mb_diag_set(d, MB_ERR_EXISTS, "email: %s is registered "
		    "for this event already", g->email);
	else {
		g->seq = mb_pg__i64(r.res, r.row, 0);
		g->updated_ms = g->created_ms;
	}
	return mb_pg__end(&r, rc);
}

static int
reg_get(struct mb_store *st, const char *id, const char *token,
    struct mb_ev_reg *out, struct mb_diag *d)
{
	struct mb_pg_params	p;
	int			rc;

	p.n = 0;
	mb_pg__p_text(&p, id != NULL ? id : token);
	if ((rc = mb_pg__one(PG(st), id != NULL ?
	    "SELECT " MB_STORE_EV_REG_COLS " FROM events_registrations WHERE "
	    "id = $1" :
	    "SELECT " MB_STORE_EV_REG_COLS " FROM events_registrations WHERE "
	    "token = $1", &p, false, &mb_store__ev_reg_cols, out, d)) ==
	    MB_ERR_NOTFOUND)
		return mb_diag_set(d, rc, "no such registration");
	return rc;
}

static int
reg_set(struct mb_store *st, const char *id, const char *state,
    int64_t offer_until_ms, const char *ticket, struct mb_diag *d)
{
	struct mb_pg_params	 p;
	struct mb_pg_res	*r;
	int			 rc;

	p.n = 0;
	mb_pg__p_text(&p, id);
	mb_pg__p_text(&p, state);
	mb_pg__p_int(&p, offer_until_ms);
	mb_pg__p_text(&p, ticket);
	mb_pg__p_int(&p, mb_time_now_ms());
	if ((rc = mb_pg__run(PG(st), "UPDATE events_registrations SET state = "
	    "$2, offer_until_ms = $3, ticket = coalesce($4, ticket), "
	    "updated_ms = $5 WHERE id = $1", &p, false, &r, d)) != MB_OK)
		return rc;
	if (mb_pg__affected(r) == 0)
		rc = mb_diag_set(d, MB_ERR_NOTFOUND, "no such registration");
	mb_pg__free(r);
	return rc;
}

static int
reg_counts(struct mb_store *st, const char *event, struct mb_ev_counts *out,
    struct mb_diag *d)
{
	struct mb_pg_params	p;
	struct mb_pg_rows	r;
	int			rc;

	memset(out, 0, sizeof(*out));
	p.n = 0;
	mb_pg__p_text(&p, event);
	if ((rc = mb_pg__query(PG(st), "SELECT state, count(*)::bigint FROM "
	    "events_registrations WHERE event = $1 GROUP BY state", &p, false,
	    &r, d)) != MB_OK)
		return rc;
	while (mb_pg__next(&r, NULL, NULL)) {
		const char	*s = mb_pg__str(r.res, r.row, 0);
		int64_t		 n = mb_pg__i64(r.res, r.row, 1);

		if (strcmp(s, "pending") == 0)
			out->pending = n;
		else if (strcmp(s, "complete") == 0)
			out->complete = n;
		else if (strcmp(s, "waitlisted") == 0)
			out->waitlisted = n;
		else if (strcmp(s, "withdrawn") == 0)
			out->withdrawn = n;
		else if (strcmp(s, "rejected") == 0)
			out->rejected = n;
	}
	return mb_pg__end(&r, MB_OK);
}

static int
reg_list(struct mb_store *st, const char *event, const char *state,
    int (*cb)(const struct mb_ev_reg *r, void *arg), void *arg,
    struct mb_diag *d)
{
	struct mb_pg_params	 p;
	struct mb_pg_rows	 r;
	struct mb_ev_reg	*g;
	int			 rc;

	if ((g = malloc(sizeof(*g))) == NULL)
		return MB_ERR_NOMEM;
	p.n = 0;
	mb_pg__p_text(&p, event);
	mb_pg__p_text(&p, state);
	if ((rc = mb_pg__query(PG(st), "SELECT " MB_STORE_EV_REG_COLS
	    " FROM events_registrations WHERE ($1::text IS NULL OR event = $1) "
	    "AND ($2::text IS NULL OR state = $2) ORDER BY seq", &p, false, &r,
	    d)) != MB_OK) {
		free(g);
		return rc;
	}
	while (rc == MB_OK && mb_pg__next(&r, &mb_store__ev_reg_cols, g))
		rc = cb(g, arg);
	free(g);
	return mb_pg__end(&r, rc);
}

static int
reg_checkin(struct mb_store *st, const char *id, int64_t now_ms,
    int64_t *first_ms, int64_t *count, struct mb_diag *d)
{
	struct mb_pg_params	p;
	struct mb_pg_rows	r;
	int			rc;

	p.n = 0;
	mb_pg__p_text(&p, id);
	mb_pg__p_int(&p, now_ms);
	if ((rc = mb_pg__query(PG(st), "UPDATE events_registrations SET "
	    "checkins = checkins + 1, checked_in_ms = CASE WHEN checked_in_ms "
	    "= 0 THEN $2 ELSE checked_in_ms END WHERE id = $1 RETURNING "
	    "checked_in_ms, checkins", &p, false, &r, d)) != MB_OK)
		return rc;
	if (!mb_pg__next(&r, NULL, NULL))
		rc = mb_diag_set(d, MB_ERR_NOTFOUND, "no such registration");
	else {
		*first_ms = mb_pg__i64(r.res, r.row, 0);
		*count = mb_pg__i64(r.res, r.row, 1);
	}
	return mb_pg__end(&r, rc);
}

static int
mail_add(struct mb_store *st, const char *to, const char *subject,
    const char *body, struct mb_diag *d)
{
	struct mb_pg_params	p;

	p.n = 0;
	mb_pg__p_text(&p, to);
	mb_pg__p_text(&p, subject);
	mb_pg__p_text(&p, body);
	mb_pg__p_int(&p, mb_time_now_ms());
	return mb_pg__run(PG(st), "INSERT INTO events_mail (to_addr, subject, "
	    "body, next_ms, created_ms) VALUES ($1, $2, $3, $4, $4)", &p,
	    false, NULL, d);
}

static int
mail_due(struct mb_store *st, int64_t now_ms, int64_t limit,
    int (*cb)(const struct mb_ev_mail *m, void *arg), void *arg,
    struct mb_diag *d)
{
	struct mb_pg_params	p;
	struct mb_pg_rows	r;
	struct mb_ev_mail	m;
	int			rc;

	p.n = 0;
	mb_pg__p_int(&p, now_ms);
	mb_pg__p_int(&p, limit);
	if ((rc = mb_pg__query(PG(st), "SELECT " MB_STORE_EV_MAIL_COLS
	    " FROM events_mail WHERE sent_ms = 0 AND next_ms <= $1 ORDER BY "
	    "id LIMIT $2", &p, false, &r, d)) != MB_OK)
		return rc;
	while (rc == MB_OK && mb_pg__next(&r, &mb_store__ev_mail_cols, &m))
		rc = cb(&m, arg);
	return mb_pg__end(&r, rc);
}

static int
mail_done(struct mb_store *st, int64_t id, int64_t sent_ms, int64_t next_ms,
    const char *error, struct mb_diag *d)
{
	struct mb_pg_params	p;

	p.n = 0;
	mb_pg__p_int(&p, id);
	mb_pg__p_int(&p, sent_ms);
	mb_pg__p_int(&p, next_ms);
	mb_pg__p_text(&p, error != NULL ? error : "");
	return mb_pg__run(PG(st), "UPDATE events_mail SET attempts = attempts "
	    "+ 1, sent_ms = $2, next_ms = $3, last_error = $4 WHERE id = $1",
	    &p, false, NULL, d);
}

static int
mail_pending(struct mb_store *st, int64_t *n, struct mb_diag *d)
{
	struct mb_pg_rows	r;
	int			rc;

	if ((rc = mb_pg__query(PG(st), "SELECT count(*)::bigint FROM "
	    "events_mail WHERE sent_ms = 0", NULL, false, &r, d)) != MB_OK)
		return rc;
	if (mb_pg__next(&r, NULL, NULL))
		*n = mb_pg__i64(r.res, r.row, 0);
	return mb_pg__end(&r, MB_OK);
}

const struct mb_store_events_ops mb_pg_events = {
	.settings_put = settings_put,
	.settings_get = settings_get,
	.reg_add = reg_add,
	.reg_get = reg_get,
	.reg_set = reg_set,
	.reg_counts = reg_counts,
	.reg_list = reg_list,
	.reg_checkin = reg_checkin,
	.mail_add = mail_add,
	.mail_due = mail_due,
	.mail_done = mail_done,
	.mail_pending = mail_pending,
};
