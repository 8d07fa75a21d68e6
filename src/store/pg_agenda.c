/* SPDX-License-Identifier: MIT */
/* The agenda domain on PostgreSQL: who voted, secret ballots, comments, reports. */
#include "pg_int.h"

#include <stdio.h>
#include <string.h>

#include "store/agenda_int.h"

const char *const mb_pg_agenda_migrations[] = {
	/* 1 */
	"CREATE TABLE agenda_voted ("
	"  proposal TEXT NOT NULL,"
	"  member_id BIGINT NOT NULL,"
	"  choice TEXT,"		/* NULL in a secret poll */
	"  created_ms BIGINT,"		/* NULL in a secret poll */
	"  UNIQUE (proposal, member_id));"
	/* A random key, no sequence: nothing orders ballots by arrival. */
	"CREATE TABLE agenda_ballots ("
	"  id TEXT PRIMARY KEY,"
	"  proposal TEXT NOT NULL,"
	"  choice TEXT NOT NULL);"
	"CREATE INDEX agenda_ballots_by_proposal ON agenda_ballots (proposal);"
	"CREATE TABLE agenda_comments ("
	"  id BIGSERIAL PRIMARY KEY,"
	"  proposal TEXT NOT NULL,"
	"  member_id BIGINT NOT NULL,"
	"  body TEXT NOT NULL,"
	"  created_ms BIGINT NOT NULL);"
	"CREATE INDEX agenda_comments_by_proposal ON agenda_comments "
	"  (proposal, id);"
	"CREATE TABLE agenda_reports ("
	"  target TEXT NOT NULL,"
	"  member_id BIGINT NOT NULL,"
	"  UNIQUE (target, member_id));"
	"CREATE TABLE agenda_flags ("
	"  target TEXT PRIMARY KEY,"
	"  reports BIGINT NOT NULL DEFAULT 0,"
	"  hidden BOOLEAN NOT NULL DEFAULT false,"
	"  reviewed BOOLEAN NOT NULL DEFAULT false);",
	NULL
};

/*
 * One statement, so one snapshot and atomic without a transaction: the
 * UNIQUE insert decides, and the ballot is written only when it did.
 */
static int
vote(struct mb_store *st, const char *proposal, int64_t member,
    const char *choice, bool secret, int64_t now_ms, struct mb_diag *d)
{
	struct mb_pg_params	p;
	struct mb_pg_rows	r;
	int			rc;

	p.n = 0;
	mb_pg__p_text(&p, proposal);
	mb_pg__p_int(&p, member);
	mb_pg__p_text(&p, secret ? NULL : choice);
	if (secret)
		mb_pg__p_text(&p, NULL);
	else
		mb_pg__p_int(&p, now_ms);
	mb_pg__p_text(&p, secret ? choice : NULL);
	if ((rc = mb_pg__query(PG(st), "WITH v AS (INSERT INTO agenda_voted "
	    "(proposal, member_id, choice, created_ms) VALUES ($1, $2, $3, "
	    "$4::bigint) ON CONFLICT DO NOTHING RETURNING 1), b AS (INSERT "
	    "INTO agenda_ballots (id, proposal, choice) SELECT "
	    "gen_random_uuid()::text, $1, $5 FROM v WHERE $5::text IS NOT NULL "
	    "RETURNING 1) SELECT (SELECT count(*) FROM v), (SELECT count(*) "
	    "FROM b)", &p, false, &r, d)) != MB_OK)
		return rc;
	if (!mb_pg__next(&r, NULL, NULL) || mb_pg__i64(r.res, r.row, 0) == 0)
		rc = mb_diag_set(d, MB_ERR_EXISTS, "member %lld has already "
		    "voted on %s", (long long)member, proposal);
	return mb_pg__end(&r, rc);
}

static int
voted(struct mb_store *st, const char *proposal, int64_t member, bool *out,
    struct mb_diag *d)
{
	struct mb_pg_params	p;
	struct mb_pg_rows	r;
	int			rc;

	p.n = 0;
	mb_pg__p_text(&p, proposal);
	mb_pg__p_int(&p, member);
	if ((rc = mb_pg__query(PG(st), "SELECT 1 FROM agenda_voted WHERE "
	    "proposal = $1 AND member_id = $2", &p, false, &r, d)) != MB_OK)
		return rc;
	*out = mb_pg__next(&r, NULL, NULL);
	return mb_pg__end(&r, MB_OK);
}

static int
count(struct mb_store *st, const char *proposal, bool network,
    struct mb_agenda_counts *out, struct mb_diag *d)
{
	struct mb_pg_params	p;
	struct mb_pg_rows	r;
	struct mb_agenda_counts	c = { 0, 0, 0, 0 };
	int			rc;

	p.n = 0;
	mb_pg__p_text(&p, proposal);
	mb_pg__p_bool(&p, network);
	/* A secret row (no choice) stays: its ballot cannot be found. */
	if ((rc = mb_pg__query(PG(st), "SELECT 'v'::text, v.choice, count(*) "
	    "FROM agenda_voted v WHERE v.proposal = $1 AND (NOT $2 OR "
	    "v.choice IS NULL OR EXISTS (SELECT 1 FROM members m WHERE "
	    "m.id = v.member_id AND m.status = 'active' AND m.audience IN "
	    "('public', 'network'))) GROUP BY v.choice UNION ALL "
	    "SELECT 'b'::text, choice, count(*) FROM agenda_ballots WHERE "
	    "proposal = $1 GROUP BY choice", &p, false, &r, d)) != MB_OK)
		return rc;
	while (mb_pg__next(&r, NULL, NULL)) {
		const char	*k = mb_pg__str(r.res, r.row, 0);
		int64_t		 n = mb_pg__i64(r.res, r.row, 2);

		if (k != NULL && k[0] == 'v')
			c.voters += n;
		mb_store__agenda_add(&c, mb_pg__null(r.res, r.row, 1) ? NULL :
		    mb_pg__str(r.res, r.row, 1), n);
	}
	*out = c;
	return mb_pg__end(&r, MB_OK);
}

static int
votes(struct mb_store *st, const char *proposal,
    int (*cb)(int64_t member, const char *choice, int64_t created_ms,
	void *arg), void *arg, struct mb_diag *d)
{
	struct mb_pg_params	p;
	struct mb_pg_rows	r;
	int			rc;

	p.n = 0;
	mb_pg__p_text(&p, proposal);
	if ((rc = mb_pg__query(PG(st), "SELECT member_id, choice, "
	    "coalesce(created_ms, 0) FROM agenda_voted WHERE proposal = $1 "
	    "ORDER BY created_ms NULLS FIRST, member_id", &p, false, &r, d)) !=
	    MB_OK)
		return rc;
	while (rc == MB_OK && mb_pg__next(&r, NULL, NULL))
		rc = cb(mb_pg__i64(r.res, r.row, 0),
		    mb_pg__null(r.res, r.row, 1) ? NULL :
		    mb_pg__str(r.res, r.row, 1), mb_pg__i64(r.res, r.row, 2),
		    arg);
	return mb_pg__end(&r, rc);
}

static int
comment_add(struct mb_store *st, const char *proposal, int64_t member,
    const char *body, int64_t now_ms, int64_t *id, struct mb_diag *d)
{
	struct mb_pg_params	p;
	struct mb_pg_rows	r;
	int			rc;

	p.n = 0;
	mb_pg__p_text(&p, proposal);
	mb_pg__p_int(&p, member);
	mb_pg__p_text(&p, body);
	mb_pg__p_int(&p, now_ms);
	if ((rc = mb_pg__query(PG(st), "INSERT INTO agenda_comments (proposal, "
	    "member_id, body, created_ms) VALUES ($1, $2, $3, $4) RETURNING id",
	    &p, false, &r, d)) != MB_OK)
		return rc;
	if (mb_pg__next(&r, NULL, NULL) && id != NULL)
		*id = mb_pg__i64(r.res, r.row, 0);
	return mb_pg__end(&r, MB_OK);
}

static int
comment_proposal(struct mb_store *st, int64_t id, char *out, size_t out_len,
    struct mb_diag *d)
{
	struct mb_pg_params	p;
	struct mb_pg_rows	r;
	bool			found = false;
	int			rc;

	p.n = 0;
	mb_pg__p_int(&p, id);
	if ((rc = mb_pg__query(PG(st), "SELECT proposal FROM agenda_comments "
	    "WHERE id = $1", &p, false, &r, d)) != MB_OK)
		return rc;
	if (mb_pg__next(&r, NULL, NULL)) {
		snprintf(out, out_len, "%s", mb_pg__str(r.res, r.row, 0));
		found = true;
	}
	if ((rc = mb_pg__end(&r, MB_OK)) != MB_OK)
		return rc;
	return found ? MB_OK : mb_diag_set(d, MB_ERR_NOTFOUND, "comment:%lld: "
	    "no such comment", (long long)id);
}

static int
comments(struct mb_store *st, const char *proposal, bool all,
    int (*cb)(const struct mb_agenda_comment *c, void *arg), void *arg,
    struct mb_diag *d)
{
	struct mb_pg_params		p;
	struct mb_pg_rows		r;
	struct mb_agenda_comment	c;
	int				rc;

	p.n = 0;
	mb_pg__p_text(&p, proposal);
	mb_pg__p_bool(&p, all);
	if ((rc = mb_pg__query(PG(st), "SELECT " MB_STORE_COMMENT_COLS
	    " FROM agenda_comments c LEFT JOIN agenda_flags f ON f.target = "
	    "'comment:' || c.id WHERE c.proposal = $1 AND ($2 OR "
	    "NOT coalesce(f.hidden, false)) ORDER BY c.id", &p, false, &r,
	    d)) != MB_OK)
		return rc;
	while (rc == MB_OK && mb_pg__next(&r, &mb_store__comment_cols, &c))
		rc = cb(&c, arg);
	return mb_pg__end(&r, rc);
}

static int
flags(struct mb_store *st, const char *target, int64_t *reports, bool *hidden,
    struct mb_diag *d)
{
	struct mb_pg_params	p;
	struct mb_pg_rows	r;
	int64_t			n = 0;
	bool			h = false;
	int			rc;

	p.n = 0;
	mb_pg__p_text(&p, target);
	if ((rc = mb_pg__query(PG(st), "SELECT reports, CASE WHEN hidden "
	    "THEN 1::int8 ELSE 0::int8 END FROM agenda_flags WHERE "
	    "target = $1", &p, false, &r, d)) != MB_OK)
		return rc;
	if (mb_pg__next(&r, NULL, NULL)) {
		n = mb_pg__i64(r.res, r.row, 0);
		h = mb_pg__i64(r.res, r.row, 1) != 0;
	}
	if ((rc = mb_pg__end(&r, MB_OK)) != MB_OK)
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
	struct mb_pg		*pg = PG(st);
	struct mb_pg_params	 p;
	struct mb_pg_res	*res;
	bool			 own = !mb_pg__in_txn(pg);
	int			 rc;

	if (own && (rc = mb_pg__begin_plain(pg, d)) != MB_OK)
		return rc;
	p.n = 0;
	mb_pg__p_text(&p, target);
	mb_pg__p_int(&p, member);
	if ((rc = mb_pg__run(pg, "INSERT INTO agenda_reports (target, "
	    "member_id) VALUES ($1, $2) ON CONFLICT DO NOTHING", &p, false,
	    &res, d)) != MB_OK)
		goto fail;
	if (mb_pg__affected(res) == 0) {
		mb_pg__free(res);
		rc = mb_diag_set(d, MB_ERR_EXISTS, "member %lld has already "
		    "reported %s", (long long)member, target);
		goto fail;
	}
	mb_pg__free(res);
	p.n = 0;
	mb_pg__p_text(&p, target);
	mb_pg__p_int(&p, hide_at);
	if ((rc = mb_pg__run(pg, "INSERT INTO agenda_flags AS f (target, "
	    "reports, hidden) VALUES ($1, 1, $2 <= 1) ON CONFLICT (target) DO "
	    "UPDATE SET reports = f.reports + 1, hidden = CASE WHEN NOT "
	    "f.reviewed AND f.reports + 1 >= $2 THEN true ELSE f.hidden END",
	    &p, false, NULL, d)) != MB_OK ||
	    (rc = flags(st, target, reports, hidden, d)) != MB_OK)
		goto fail;
	if (own)
		return mb_pg__commit(pg, d);
	return MB_OK;
fail:
	if (own)
		mb_pg__rollback(pg);
	return rc;
}

static int
moderate(struct mb_store *st, const char *target, bool hidden,
    struct mb_diag *d)
{
	struct mb_pg_params p;

	p.n = 0;
	mb_pg__p_text(&p, target);
	mb_pg__p_bool(&p, hidden);
	return mb_pg__run(PG(st), "INSERT INTO agenda_flags (target, hidden, "
	    "reviewed) VALUES ($1, $2, true) ON CONFLICT (target) DO UPDATE SET "
	    "hidden = excluded.hidden, reviewed = true", &p, false, NULL, d);
}

const struct mb_store_agenda_ops mb_pg_agenda = {
	.vote = vote, .voted = voted, .count = count, .votes = votes,
	.comment_add = comment_add, .comment_proposal = comment_proposal,
	.comments = comments, .report = report,
	.flags = flags, .moderate = moderate,
};
