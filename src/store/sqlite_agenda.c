/* SPDX-License-Identifier: MIT */
/* The agenda domain on SQLite: who voted, secret ballots, comments, reports. */
#include "sqlite_int.h"

#include <stdio.h>

#include "store/agenda_int.h"

const char *const mb_sqlite_agenda_migrations[] = {
	/* 1 */
	"CREATE TABLE agenda_voted ("
	"  proposal TEXT NOT NULL,"
	"  member_id INTEGER NOT NULL,"
	"  choice TEXT,"		/* NULL in a secret poll */
	"  created_ms INTEGER,"		/* NULL in a secret poll */
	"  UNIQUE (proposal, member_id));"
	/*
	 * WITHOUT ROWID and keyed by a random id: the table's order is the
	 * ids', so not even the order of insertion ties a ballot to a row
	 * of agenda_voted.
	 */
	"CREATE TABLE agenda_ballots ("
	"  id TEXT PRIMARY KEY,"
	"  proposal TEXT NOT NULL,"
	"  choice TEXT NOT NULL) WITHOUT ROWID;"
	"CREATE INDEX agenda_ballots_by_proposal ON agenda_ballots (proposal);"
	"CREATE TABLE agenda_comments ("
	"  id INTEGER PRIMARY KEY,"
	"  proposal TEXT NOT NULL,"
	"  member_id INTEGER NOT NULL,"
	"  body TEXT NOT NULL,"
	"  created_ms INTEGER NOT NULL);"
	"CREATE INDEX agenda_comments_by_proposal ON agenda_comments "
	"  (proposal, id);"
	"CREATE TABLE agenda_reports ("
	"  target TEXT NOT NULL,"
	"  member_id INTEGER NOT NULL,"
	"  UNIQUE (target, member_id));"
	"CREATE TABLE agenda_flags ("
	"  target TEXT PRIMARY KEY,"
	"  reports INTEGER NOT NULL DEFAULT 0,"
	"  hidden INTEGER NOT NULL DEFAULT 0,"
	"  reviewed INTEGER NOT NULL DEFAULT 0);",
	NULL
};

static int
vote(struct mb_store *st, const char *proposal, int64_t member,
    const char *choice, bool secret, int64_t now_ms, struct mb_diag *d)
{
	struct mb_sqlite	*sq = SQ(st);
	struct mb_sqlite_rows	 r;
	int64_t			 changed = 0;
	int			 own, rc;

	if ((rc = mb_sqlite__auto_begin(sq, &own, d)) != MB_OK)
		return rc;
	if ((rc = mb_sqlite__query(sq, "INSERT INTO agenda_voted (proposal, "
	    "member_id, choice, created_ms) VALUES (?1, ?2, ?3, ?4) "
	    "ON CONFLICT DO NOTHING", &r, "vote", d)) != MB_OK)
		goto out;
	sqlite3_bind_text(r.s, 1, proposal, -1, SQLITE_STATIC);
	sqlite3_bind_int64(r.s, 2, member);
	if (!secret) {
		sqlite3_bind_text(r.s, 3, choice, -1, SQLITE_STATIC);
		sqlite3_bind_int64(r.s, 4, now_ms);
	}
	if ((rc = mb_sqlite__done(&r, &changed, d)) != MB_OK)
		goto out;
	if (changed == 0) {
		rc = mb_diag_set(d, MB_ERR_EXISTS, "member %lld has already "
		    "voted on %s", (long long)member, proposal);
		goto out;
	}
	if (secret) {
		if ((rc = mb_sqlite__query(sq, "INSERT INTO agenda_ballots (id, "
		    "proposal, choice) VALUES (lower(hex(randomblob(16))), "
		    "?1, ?2)", &r, "ballot", d)) != MB_OK)
			goto out;
		sqlite3_bind_text(r.s, 1, proposal, -1, SQLITE_STATIC);
		sqlite3_bind_text(r.s, 2, choice, -1, SQLITE_STATIC);
		rc = mb_sqlite__done(&r, NULL, d);
	}
out:
	return mb_sqlite__auto_end(sq, own, rc, d);
}

static int
voted(struct mb_store *st, const char *proposal, int64_t member, bool *out,
    struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "SELECT 1 FROM agenda_voted WHERE "
	    "proposal = ?1 AND member_id = ?2", &r, "vote", d)) != MB_OK)
		return rc;
	sqlite3_bind_text(r.s, 1, proposal, -1, SQLITE_STATIC);
	sqlite3_bind_int64(r.s, 2, member);
	*out = mb_sqlite__next(&r, NULL, NULL);
	return mb_sqlite__end(&r, MB_OK, d);
}

static int
count(struct mb_store *st, const char *proposal, bool network,
    struct mb_agenda_counts *out, struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	struct mb_agenda_counts	c = { 0, 0, 0, 0 };
	int			rc;

	/* A secret row (no choice) stays: its ballot cannot be found. */
	if ((rc = mb_sqlite__query(SQ(st), "SELECT 'v', v.choice, count(*) "
	    "FROM agenda_voted v WHERE v.proposal = ?1 AND (NOT ?2 OR "
	    "v.choice IS NULL OR EXISTS (SELECT 1 FROM members m WHERE "
	    "m.id = v.member_id AND m.status = 'active' AND m.audience IN "
	    "('public', 'network'))) GROUP BY v.choice UNION ALL "
	    "SELECT 'b', choice, count(*) FROM agenda_ballots WHERE "
	    "proposal = ?1 GROUP BY choice", &r, "count", d)) != MB_OK)
		return rc;
	sqlite3_bind_text(r.s, 1, proposal, -1, SQLITE_STATIC);
	sqlite3_bind_int(r.s, 2, network);
	while (mb_sqlite__next(&r, NULL, NULL)) {
		const char	*k = (const char *)sqlite3_column_text(r.s, 0);
		const char	*ch = (const char *)sqlite3_column_text(r.s, 1);
		int64_t		 n = sqlite3_column_int64(r.s, 2);

		if (k != NULL && k[0] == 'v')
			c.voters += n;
		mb_store__agenda_add(&c, ch, n);
	}
	if ((rc = mb_sqlite__end(&r, MB_OK, d)) == MB_OK)
		*out = c;
	return rc;
}

static int
votes(struct mb_store *st, const char *proposal,
    int (*cb)(int64_t member, const char *choice, int64_t created_ms,
	void *arg), void *arg, struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "SELECT member_id, choice, "
	    "coalesce(created_ms, 0) FROM agenda_voted WHERE proposal = ?1 "
	    "ORDER BY created_ms, member_id", &r, "votes", d)) != MB_OK)
		return rc;
	sqlite3_bind_text(r.s, 1, proposal, -1, SQLITE_STATIC);
	while (rc == MB_OK && mb_sqlite__next(&r, NULL, NULL))
		rc = cb(sqlite3_column_int64(r.s, 0),
		    (const char *)sqlite3_column_text(r.s, 1),
		    sqlite3_column_int64(r.s, 2), arg);
	return mb_sqlite__end(&r, rc, d);
}

static int
comment_add(struct mb_store *st, const char *proposal, int64_t member,
    const char *body, int64_t now_ms, int64_t *id, struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "INSERT INTO agenda_comments "
	    "(proposal, member_id, body, created_ms) VALUES (?1, ?2, ?3, ?4)",
	    &r, "comment", d)) != MB_OK)
		return rc;
	sqlite3_bind_text(r.s, 1, proposal, -1, SQLITE_STATIC);
	sqlite3_bind_int64(r.s, 2, member);
	sqlite3_bind_text(r.s, 3, body, -1, SQLITE_STATIC);
	sqlite3_bind_int64(r.s, 4, now_ms);
	if ((rc = mb_sqlite__done(&r, NULL, d)) == MB_OK && id != NULL)
		*id = sqlite3_last_insert_rowid(SQ(st)->db);
	return rc;
}

static int
comment_proposal(struct mb_store *st, int64_t id, char *out, size_t out_len,
    struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	bool			found = false;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "SELECT proposal FROM "
	    "agenda_comments WHERE id = ?1", &r, "comment", d)) != MB_OK)
		return rc;
	sqlite3_bind_int64(r.s, 1, id);
	if (mb_sqlite__next(&r, NULL, NULL)) {
		snprintf(out, out_len, "%s",
		    (const char *)sqlite3_column_text(r.s, 0));
		found = true;
	}
	if ((rc = mb_sqlite__end(&r, MB_OK, d)) != MB_OK)
		return rc;
	return found ? MB_OK : mb_diag_set(d, MB_ERR_NOTFOUND, "comment:%lld: "
	    "no such comment", (long long)id);
}

static int
comments(struct mb_store *st, const char *proposal, bool all,
    int (*cb)(const struct mb_agenda_comment *c, void *arg), void *arg,
    struct mb_diag *d)
{
	struct mb_sqlite_rows		r;
	struct mb_agenda_comment	c;
	int				rc;

	if ((rc = mb_sqlite__query(SQ(st), "SELECT " MB_STORE_COMMENT_COLS
	    " FROM agenda_comments c LEFT JOIN agenda_flags f ON f.target = "
	    "'comment:' || c.id WHERE c.proposal = ?1 AND (?2 OR "
	    "coalesce(f.hidden, 0) = 0) ORDER BY c.id", &r, "comment", d)) !=
	    MB_OK)
		return rc;
	sqlite3_bind_text(r.s, 1, proposal, -1, SQLITE_STATIC);
	sqlite3_bind_int(r.s, 2, all);
	while (rc == MB_OK && mb_sqlite__next(&r, &mb_store__comment_cols, &c))
		rc = cb(&c, arg);
	return mb_sqlite__end(&r, rc, d);
}

static int
flags(struct mb_store *st, const char *target, int64_t *reports, bool *hidden,
    struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int64_t			n = 0;
	bool			h = false;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "SELECT reports, hidden FROM "
	    "agenda_flags WHERE target = ?1", &r, "flags", d)) != MB_OK)
		return rc;
	sqlite3_bind_text(r.s, 1, target, -1, SQLITE_STATIC);
	if (mb_sqlite__next(&r, NULL, NULL)) {
		n = sqlite3_column_int64(r.s, 0);
		h = sqlite3_column_int(r.s, 1) != 0;
	}
	if ((rc = mb_sqlite__end(&r, MB_OK, d)) != MB_OK)
		return rc;
	if (reports != NULL)
		*reports = n;
	if (hidden != NULL)
		*hidden = h;
	return MB_OK;
}

static int
report(struct mb_store *st, const char *target, int64_t member,
    int64_t hide_at, int64_t *reports, bool *hidden, struct mb_diag *d)
{
	struct mb_sqlite	*sq = SQ(st);
	struct mb_sqlite_rows	 r;
	int64_t			 changed = 0;
	int			 own, rc;

	if ((rc = mb_sqlite__auto_begin(sq, &own, d)) != MB_OK)
		return rc;
	if ((rc = mb_sqlite__query(sq, "INSERT INTO agenda_reports (target, "
	    "member_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING", &r, "report",
	    d)) != MB_OK)
		goto out;
	sqlite3_bind_text(r.s, 1, target, -1, SQLITE_STATIC);
	sqlite3_bind_int64(r.s, 2, member);
	if ((rc = mb_sqlite__done(&r, &changed, d)) != MB_OK)
		goto out;
	if (changed == 0) {
		rc = mb_diag_set(d, MB_ERR_EXISTS, "member %lld has already "
		    "reported %s", (long long)member, target);
		goto out;
	}
	if ((rc = mb_sqlite__query(sq, "INSERT INTO agenda_flags (target, "
	    "reports, hidden) VALUES (?1, 1, ?2 <= 1) ON CONFLICT (target) DO "
	    "UPDATE SET reports = reports + 1, hidden = CASE WHEN reviewed = 0 "
	    "AND reports + 1 >= ?2 THEN 1 ELSE hidden END", &r, "report",
	    d)) != MB_OK)
		goto out;
	sqlite3_bind_text(r.s, 1, target, -1, SQLITE_STATIC);
	sqlite3_bind_int64(r.s, 2, hide_at);
	if ((rc = mb_sqlite__done(&r, NULL, d)) != MB_OK)
		goto out;
	rc = flags(st, target, reports, hidden, d);
out:
	return mb_sqlite__auto_end(sq, own, rc, d);
}

static int
moderate(struct mb_store *st, const char *target, bool hidden,
    struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "INSERT INTO agenda_flags (target, "
	    "hidden, reviewed) VALUES (?1, ?2, 1) ON CONFLICT (target) DO "
	    "UPDATE SET hidden = excluded.hidden, reviewed = 1", &r,
	    "moderate", d)) != MB_OK)
		return rc;
	sqlite3_bind_text(r.s, 1, target, -1, SQLITE_STATIC);
	sqlite3_bind_int(r.s, 2, hidden);
	return mb_sqlite__done(&r, NULL, d);
}

const struct mb_store_agenda_ops mb_sqlite_agenda = {
	.vote = vote, .voted = voted, .count = count, .votes = votes,
	.comment_add = comment_add, .comment_proposal = comment_proposal,
	.comments = comments, .report = report,
	.flags = flags, .moderate = moderate,
};
