/* SPDX-License-Identifier: MIT */
/* The events domain on SQLite: registration settings, registrations, mail. */
#include "sqlite_int.h"

#include <stdlib.h>
#include <string.h>

#include "base/timeutil.h"
#include "store/events_int.h"

const char *const mb_sqlite_events_migrations[] = {
	/* 1 */
	"CREATE TABLE events_settings ("
	"  event TEXT PRIMARY KEY,"
	"  capacity INTEGER NOT NULL,"
	"  deadline_ms INTEGER NOT NULL,"
	"  approval INTEGER NOT NULL,"
	"  confirm_ms INTEGER NOT NULL,"
	"  questions TEXT NOT NULL,"
	"  updated_ms INTEGER NOT NULL);"
	"CREATE TABLE events_registrations ("
	"  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  id TEXT NOT NULL UNIQUE,"
	"  event TEXT NOT NULL,"
	"  email TEXT NOT NULL,"
	"  name TEXT NOT NULL,"
	"  organisation TEXT NOT NULL,"
	"  country TEXT NOT NULL,"
	"  language TEXT NOT NULL,"
	"  answers TEXT NOT NULL,"
	"  state TEXT NOT NULL,"
	"  created_ms INTEGER NOT NULL,"
	"  updated_ms INTEGER NOT NULL,"
	"  offer_until_ms INTEGER NOT NULL DEFAULT 0,"
	"  checked_in_ms INTEGER NOT NULL DEFAULT 0,"
	"  checkins INTEGER NOT NULL DEFAULT 0,"
	"  ticket TEXT NOT NULL DEFAULT '',"
	"  token TEXT NOT NULL UNIQUE,"
	"  UNIQUE (event, email));"
	"CREATE INDEX events_registrations_state ON "
	"  events_registrations (state, event);"
	"CREATE TABLE events_mail ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  to_addr TEXT NOT NULL,"
	"  subject TEXT NOT NULL,"
	"  body TEXT NOT NULL,"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  next_ms INTEGER NOT NULL,"
	"  sent_ms INTEGER NOT NULL DEFAULT 0,"
	"  last_error TEXT NOT NULL DEFAULT '',"
	"  created_ms INTEGER NOT NULL);"
	"CREATE INDEX events_mail_due ON events_mail (sent_ms, next_ms);",
	/*
	 * 2: one registration per e-mail and event among those not
	 * withdrawn, so that a withdrawn address can register again (its
	 * old row stays, and with it its ticket's revocation). SQLite
	 * cannot drop a table's UNIQUE: the table is made again.
	 */
	"CREATE TABLE events_registrations_2 ("
	"  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  id TEXT NOT NULL UNIQUE,"
	"  event TEXT NOT NULL,"
	"  email TEXT NOT NULL,"
	"  name TEXT NOT NULL,"
	"  organisation TEXT NOT NULL,"
	"  country TEXT NOT NULL,"
	"  language TEXT NOT NULL,"
	"  answers TEXT NOT NULL,"
	"  state TEXT NOT NULL,"
	"  created_ms INTEGER NOT NULL,"
	"  updated_ms INTEGER NOT NULL,"
	"  offer_until_ms INTEGER NOT NULL DEFAULT 0,"
	"  checked_in_ms INTEGER NOT NULL DEFAULT 0,"
	"  checkins INTEGER NOT NULL DEFAULT 0,"
	"  ticket TEXT NOT NULL DEFAULT '',"
	"  token TEXT NOT NULL UNIQUE);"
	"INSERT INTO events_registrations_2 (seq, id, event, email, name,"
	"  organisation, country, language, answers, state, created_ms,"
	"  updated_ms, offer_until_ms, checked_in_ms, checkins, ticket, token)"
	"  SELECT seq, id, event, email, name, organisation, country,"
	"  language, answers, state, created_ms, updated_ms, offer_until_ms,"
	"  checked_in_ms, checkins, ticket, token FROM events_registrations;"
	/* AUTOINCREMENT's counter goes along: no seq is given twice. */
	"DELETE FROM sqlite_sequence WHERE name = 'events_registrations_2';"
	"INSERT INTO sqlite_sequence (name, seq) SELECT"
	"  'events_registrations_2', seq FROM sqlite_sequence"
	"  WHERE name = 'events_registrations';"
	"DROP TABLE events_registrations;"
	"ALTER TABLE events_registrations_2 RENAME TO events_registrations;"
	"CREATE INDEX events_registrations_state ON "
	"  events_registrations (state, event);"
	"CREATE UNIQUE INDEX events_registrations_email ON "
	"  events_registrations (event, email) WHERE state <> 'withdrawn';",
	NULL
};

static int
settings_put(struct mb_store *st, const struct mb_ev_settings *s,
    struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "INSERT INTO events_settings ("
	    MB_STORE_EV_SETTINGS_COLS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
	    "ON CONFLICT (event) DO UPDATE SET capacity = ?2, deadline_ms = "
	    "?3, approval = ?4, confirm_ms = ?5, questions = ?6, updated_ms = "
	    "?7", &r, "event settings", d)) != MB_OK)
		return rc;
	sqlite3_bind_text(r.s, 1, s->event, -1, SQLITE_STATIC);
	sqlite3_bind_int64(r.s, 2, s->capacity);
	sqlite3_bind_int64(r.s, 3, s->deadline_ms);
	sqlite3_bind_int(r.s, 4, s->approval);
	sqlite3_bind_int64(r.s, 5, s->confirm_ms);
	sqlite3_bind_text(r.s, 6, s->questions, -1, SQLITE_STATIC);
	sqlite3_bind_int64(r.s, 7, mb_time_now_ms());
	return mb_sqlite__done(&r, NULL, d);
}

static int
settings_get(struct mb_store *st, const char *event,
    struct mb_ev_settings *out, struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "SELECT " MB_STORE_EV_SETTINGS_COLS
	    " FROM events_settings WHERE event = ?1", &r, "event settings",
	    d)) != MB_OK)
		return rc;
	sqlite3_bind_text(r.s, 1, event, -1, SQLITE_STATIC);
	if ((rc = mb_sqlite__one(&r, &mb_store__ev_settings_cols, out, d)) ==
	    MB_ERR_NOTFOUND)
		return mb_diag_set(d, rc, "%s: takes no registrations", event);
	return rc;
}

static int
reg_add(struct mb_store *st, struct mb_ev_reg *g, struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int64_t			changed = 0;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "INSERT INTO events_registrations "
	    "(id, event, email, name, organisation, country, language, "
	    "answers, state, created_ms, updated_ms, offer_until_ms, ticket, "
	    "token) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, "
	    "?11, ?12, ?13) ON CONFLICT (event, email) WHERE state <> "
	    "'withdrawn' DO NOTHING", &r,
	    "registration", d)) != MB_OK)
		return rc;
	sqlite3_bind_text(r.s, 1, g->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(r.s, 2, g->event, -1, SQLITE_STATIC);
	sqlite3_bind_text(r.s, 3, g->email, -1, SQLITE_STATIC);
	sqlite3_bind_text(r.s, 4, g->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(r.s, 5, g->organisation, -1, SQLITE_STATIC);
	sqlite3_bind_text(r.s, 6, g->country, -1, SQLITE_STATIC);
	sqlite3_bind_text(r.s, 7, g->language, -1, SQLITE_STATIC);
	sqlite3_bind_text(r.s, 8, g->answers, -1, SQLITE_STATIC);
	sqlite3_bind_text(r.s, 9, g->state, -1, SQLITE_STATIC);
	sqlite3_bind_int64(r.s, 10, g->created_ms);
	sqlite3_bind_int64(r.s, 11, g->offer_until_ms);
	sqlite3_bind_text(r.s, 12, g->ticket, -1, SQLITE_STATIC);
	sqlite3_bind_text(r.s, 13, g->token, -1, SQLITE_STATIC);
	if ((rc = mb_sqlite__done(&r, &changed, d)) != MB_OK)
		return rc;
	if (changed == 0)
		return mb_diag_set(d, MB_ERR_EXISTS, "email: %s is registered "
		    "for this event already", g->email);
	g->seq = sqlite3_last_insert_rowid(SQ(st)->db);
	g->updated_ms = g->created_ms;
	return MB_OK;
}

static int
reg_get(struct mb_store *st, const char *id, const char *token,
    struct mb_ev_reg *out, struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), id != NULL ?
	    "SELECT " MB_STORE_EV_REG_COLS " FROM events_registrations WHERE "
	    "id = ?1" :
	    "SELECT " MB_STORE_EV_REG_COLS " FROM events_registrations WHERE "
	    "token = ?1", &r, "registration", d)) != MB_OK)
		return rc;
	sqlite3_bind_text(r.s, 1, id != NULL ? id : token, -1,
	    SQLITE_STATIC);
	if ((rc = mb_sqlite__one(&r, &mb_store__ev_reg_cols, out, d)) ==
	    MB_ERR_NOTFOUND)
		return mb_diag_set(d, rc, "no such registration");
	return rc;
}

static int
reg_set(struct mb_store *st, const char *id, const char *state,
    int64_t offer_until_ms, const char *ticket, struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int64_t			changed = 0;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "UPDATE events_registrations SET "
	    "state = ?2, offer_until_ms = ?3, ticket = coalesce(?4, ticket), "
	    "updated_ms = ?5 WHERE id = ?1", &r, "registration", d)) != MB_OK)
		return rc;
	sqlite3_bind_text(r.s, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(r.s, 2, state, -1, SQLITE_STATIC);
	sqlite3_bind_int64(r.s, 3, offer_until_ms);
	mb_sqlite__bind_text(r.s, 4, ticket);
	sqlite3_bind_int64(r.s, 5, mb_time_now_ms());
	if ((rc = mb_sqlite__done(&r, &changed, d)) != MB_OK)
		return rc;
	if (changed == 0)
		return mb_diag_set(d, MB_ERR_NOTFOUND, "no such registration");
	return MB_OK;
}

static int
reg_counts(struct mb_store *st, const char *event, struct mb_ev_counts *out,
    struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int			rc;

	memset(out, 0, sizeof(*out));
	if ((rc = mb_sqlite__query(SQ(st), "SELECT state, count(*) FROM "
	    "events_registrations WHERE event = ?1 GROUP BY state", &r,
	    "registration", d)) != MB_OK)
		return rc;
	sqlite3_bind_text(r.s, 1, event, -1, SQLITE_STATIC);
	while (mb_sqlite__next(&r, NULL, NULL)) {
		const char	*s = (const char *)sqlite3_column_text(r.s, 0);
		int64_t		 n = sqlite3_column_int64(r.s, 1);

		if (s == NULL)
			continue;
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
	return mb_sqlite__end(&r, MB_OK, d);
}

static int
reg_list(struct mb_store *st, const char *event, const char *state,
    int (*cb)(const struct mb_ev_reg *r, void *arg), void *arg,
    struct mb_diag *d)
{
	struct mb_sqlite_rows	 r;
	struct mb_ev_reg	*g;
	int			 rc;

	/* A registration is 10 KB: on the heap, not a poller's stack. */
	if ((g = malloc(sizeof(*g))) == NULL)
		return MB_ERR_NOMEM;
	if ((rc = mb_sqlite__query(SQ(st), "SELECT " MB_STORE_EV_REG_COLS
	    " FROM events_registrations WHERE (?1 IS NULL OR event = ?1) AND "
	    "(?2 IS NULL OR state = ?2) ORDER BY seq", &r, "registration",
	    d)) != MB_OK) {
		free(g);
		return rc;
	}
	mb_sqlite__bind_text(r.s, 1, event);
	mb_sqlite__bind_text(r.s, 2, state);
	while (rc == MB_OK && mb_sqlite__next(&r, &mb_store__ev_reg_cols, g))
		rc = cb(g, arg);
	free(g);
	return mb_sqlite__end(&r, rc, d);
}

static int
reg_checkin(struct mb_store *st, const char *id, int64_t now_ms,
    int64_t *first_ms, int64_t *count, struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "UPDATE events_registrations SET "
	    "checkins = checkins + 1, checked_in_ms = CASE WHEN checked_in_ms "
	    "= 0 THEN ?2 ELSE checked_in_ms END WHERE id = ?1 RETURNING "
	    "checked_in_ms, checkins", &r, "registration", d)) != MB_OK)
		return rc;
	sqlite3_bind_text(r.s, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(r.s, 2, now_ms);
	if (mb_sqlite__next(&r, NULL, NULL)) {
		*first_ms = sqlite3_column_int64(r.s, 0);
		*count = sqlite3_column_int64(r.s, 1);
	} else if (r.step == SQLITE_DONE) {
		rc = mb_diag_set(d, MB_ERR_NOTFOUND, "no such registration");
	}
	return mb_sqlite__end(&r, rc, d);
}

static int
mail_add(struct mb_store *st, const char *to, const char *subject,
    const char *body, struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int64_t			now = mb_time_now_ms();
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "INSERT INTO events_mail (to_addr, "
	    "subject, body, next_ms, created_ms) VALUES (?1, ?2, ?3, ?4, ?4)",
	    &r, "mail", d)) != MB_OK)
		return rc;
	sqlite3_bind_text(r.s, 1, to, -1, SQLITE_STATIC);
	sqlite3_bind_text(r.s, 2, subject, -1, SQLITE_STATIC);
	sqlite3_bind_text(r.s, 3, body, -1, SQLITE_STATIC);
	sqlite3_bind_int64(r.s, 4, now);
	return mb_sqlite__done(&r, NULL, d);
}

static int
mail_due(struct mb_store *st, int64_t now_ms, int64_t limit,
    int (*cb)(const struct mb_ev_mail *m, void *arg), void *arg,
    struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	struct mb_ev_mail	m;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "SELECT " MB_STORE_EV_MAIL_COLS
	    " FROM events_mail WHERE sent_ms = 0 AND next_ms <= ?1 ORDER BY "
	    "id LIMIT ?2", &r, "mail", d)) != MB_OK)
		return rc;
	sqlite3_bind_int64(r.s, 1, now_ms);
	sqlite3_bind_int64(r.s, 2, limit);
	while (rc == MB_OK && mb_sqlite__next(&r, &mb_store__ev_mail_cols, &m))
		rc = cb(&m, arg);
	return mb_sqlite__end(&r, rc, d);
}

static int
mail_done(struct mb_store *st, int64_t id, int64_t sent_ms, int64_t next_ms,
    const char *error, struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "UPDATE events_mail SET attempts = "
	    "attempts + 1, sent_ms = ?2, next_ms = ?3, last_error = ?4 WHERE "
	    "id = ?1", &r, "mail", d)) != MB_OK)
		return rc;
	sqlite3_bind_int64(r.s, 1, id);
	sqlite3_bind_int64(r.s, 2, sent_ms);
	sqlite3_bind_int64(r.s, 3, next_ms);
	sqlite3_bind_text(r.s, 4, error != NULL ? error : "", -1,
	    SQLITE_STATIC);
	return mb_sqlite__done(&r, NULL, d);
}

static int
mail_pending(struct mb_store *st, int64_t *n, struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "SELECT count(*) FROM events_mail "
	    "WHERE sent_ms = 0", &r, "mail", d)) != MB_OK)
		return rc;
	if (mb_sqlite__next(&r, NULL, NULL))
		*n = sqlite3_column_int64(r.s, 0);
	return mb_sqlite__end(&r, MB_OK, d);
}

const struct mb_store_events_ops mb_sqlite_events = {
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
