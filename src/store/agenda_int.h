/* SPDX-License-Identifier: MIT */
/* Private to the agenda domain: its table of calls, one per backend. */
#ifndef MB_STORE_AGENDA_INT_H
#define MB_STORE_AGENDA_INT_H

#include "store/agenda.h"
#include "store/store_int.h"

/* The calls of agenda.h, with the same arguments and contract. */
struct mb_store_agenda_ops {
	int	(*vote)(struct mb_store *st, const char *proposal,
		    int64_t member, const char *choice, bool secret,
		    int64_t now_ms, struct mb_diag *d);
	int	(*voted)(struct mb_store *st, const char *proposal,
		    int64_t member, bool *voted, struct mb_diag *d);
	int	(*count)(struct mb_store *st, const char *proposal,
		    bool network, struct mb_agenda_counts *out,
		    struct mb_diag *d);
	int	(*votes)(struct mb_store *st, const char *proposal,
		    int (*cb)(int64_t member, const char *choice,
			int64_t created_ms, void *arg), void *arg,
		    struct mb_diag *d);
	int	(*comment_add)(struct mb_store *st, const char *proposal,
		    int64_t member, const char *body, int64_t now_ms,
		    int64_t *id, struct mb_diag *d);
	int	(*comment_proposal)(struct mb_store *st, int64_t id,
		    char *out, size_t out_len, struct mb_diag *d);
	int	(*comments)(struct mb_store *st, const char *proposal,
		    bool all,
		    int (*cb)(const struct mb_agenda_comment *c, void *arg),
		    void *arg, struct mb_diag *d);
	int	(*report)(struct mb_store *st, const char *target,
		    int64_t member, int64_t hide_at, int64_t *reports,
		    bool *hidden, struct mb_diag *d);
	int	(*flags)(struct mb_store *st, const char *target,
		    int64_t *reports, bool *hidden, struct mb_diag *d);
	int	(*moderate)(struct mb_store *st, const char *target,
		    bool hidden, struct mb_diag *d);
};

extern const struct mb_store_agenda_ops mb_sqlite_agenda, mb_pg_agenda;

/* Adds n votes of choice (yes, no, abstain; else nothing) to c. */
void mb_store__agenda_add(struct mb_agenda_counts *c, const char *choice,
    int64_t n);
extern const char *const mb_sqlite_agenda_migrations[];
extern const char *const mb_pg_agenda_migrations[];

/* A comment row: MB_STORE_COMMENT_COLS (agenda.c). */
extern const struct mb_store_cols mb_store__comment_cols;
#define MB_STORE_COMMENT_COLS "c.id, c.member_id, c.body, c.created_ms, " \
    "coalesce(f.reports, 0), coalesce(f.hidden, false)"

#endif
