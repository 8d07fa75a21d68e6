/* SPDX-License-Identifier: MIT */
/* The agenda domain: its descriptor, its rows, and its calls handed to the store's backend. */
#include <string.h>

#include "agenda_int.h"

static const struct mb_store_table tables[] = {
	{ "agenda_voted", "proposal, member_id, choice, created_ms" },
	{ "agenda_ballots", "id, proposal, choice" },
	{ "agenda_comments", "id, proposal, member_id, body, created_ms" },
	{ "agenda_reports", "target, member_id" },
	{ "agenda_flags", "target, reports, hidden, reviewed" },
	{ NULL, NULL }
};

const struct mb_store_domain mb_store_agenda_domain = {
	.name = "agenda",
	.migrations = {
		[MB_STORE_SQLITE] = mb_sqlite_agenda_migrations,
		[MB_STORE_PG] = mb_pg_agenda_migrations,
	},
	.tables = tables,
};

static const struct mb_store_col comment_col[] = {	/* COMMENT_COLS */
	MB_COL(MB_COL_INT, struct mb_agenda_comment, id),
	MB_COL(MB_COL_INT, struct mb_agenda_comment, member),
	MB_COL(MB_COL_STR, struct mb_agenda_comment, body),
	MB_COL(MB_COL_INT, struct mb_agenda_comment, created_ms),
	MB_COL(MB_COL_INT, struct mb_agenda_comment, reports),
	MB_COL(MB_COL_BOOL, struct mb_agenda_comment, hidden),
};
const struct mb_store_cols mb_store__comment_cols =
    MB_COLS(struct mb_agenda_comment, comment_col);

static const struct mb_store_agenda_ops *const impl[MB_STORE__BACKENDS] = {
	[MB_STORE_SQLITE] = &mb_sqlite_agenda,
	[MB_STORE_PG] = &mb_pg_agenda,
};

#define OPS(st)	(impl[mb_store__backend(st)])

int
mb_store_agenda_vote(struct mb_store *st, const char *proposal,
    int64_t member, const char *choice, bool secret, int64_t now_ms,
    struct mb_diag *d)
{
	return OPS(st)->vote(st, proposal, member, choice, secret, now_ms, d);
}

int
mb_store_agenda_voted(struct mb_store *st, const char *proposal,
    int64_t member, bool *voted, struct mb_diag *d)
{
	return OPS(st)->voted(st, proposal, member, voted, d);
}

void
mb_store__agenda_add(struct mb_agenda_counts *c, const char *choice,
    int64_t n)
{
	if (choice == NULL)
		return;
	if (strcmp(choice, "yes") == 0)
		c->yes += n;
	else if (strcmp(choice, "no") == 0)
		c->no += n;
	else if (strcmp(choice, "abstain") == 0)
		c->abstain += n;
}

int
mb_store_agenda_count(struct mb_store *st, const char *proposal,
    bool network, struct mb_agenda_counts *out, struct mb_diag *d)
{
	return OPS(st)->count(st, proposal, network, out, d);
}

int
mb_store_agenda_votes(struct mb_store *st, const char *proposal,
    int (*cb)(int64_t member, const char *choice, int64_t created_ms,
	void *arg), void *arg, struct mb_diag *d)
{
	return OPS(st)->votes(st, proposal, cb, arg, d);
}

int
mb_store_agenda_comment_add(struct mb_store *st, const char *proposal,
    int64_t member, const char *body, int64_t now_ms, int64_t *id,
    struct mb_diag *d)
{
	return OPS(st)->comment_add(st, proposal, member, body, now_ms, id, d);
}

int
mb_store_agenda_comment_proposal(struct mb_store *st, int64_t id, char *out,
    size_t out_len, struct mb_diag *d)
{
	return OPS(st)->comment_proposal(st, id, out, out_len, d);
}

int
mb_store_agenda_comments(struct mb_store *st, const char *proposal, bool all,
    int (*cb)(const struct mb_agenda_comment *c, void *arg), void *arg,
    struct mb_diag *d)
{
	return OPS(st)->comments(st, proposal, all, cb, arg, d);
}

int
mb_store_agenda_report(struct mb_store *st, const char *target,
    int64_t member, int64_t hide_at, int64_t *reports, bool *hidden,
    struct mb_diag *d)
{
	return OPS(st)->report(st, target, member, hide_at, reports, hidden,
	    d);
}

int
mb_store_agenda_flags(struct mb_store *st, const char *target,
    int64_t *reports, bool *hidden, struct mb_diag *d)
{
	return OPS(st)->flags(st, target, reports, hidden, d);
}

int
mb_store_agenda_moderate(struct mb_store *st, const char *target,
    bool hidden, struct mb_diag *d)
{
	return OPS(st)->moderate(st, target, hidden, d);
}
