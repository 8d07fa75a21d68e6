/* SPDX-License-Identifier: MIT */
/* Private to the impact domain: its table of calls, one per backend, its rows and its one shared statement. */
#ifndef MB_STORE_IMPACT_INT_H
#define MB_STORE_IMPACT_INT_H

#include <stdbool.h>

#include "store/impact.h"
#include "store/store_int.h"

/* The calls of impact.h, with the same arguments and contract. */
struct mb_store_impact_ops {
	int	(*add)(struct mb_store *st, const struct mb_impact_row *rows,
		    size_t n, struct mb_diag *d);
	int	(*replace)(struct mb_store *st, const char *center,
		    const char *day, const struct mb_impact_row *rows,
		    size_t n, struct mb_diag *d);
	int	(*query)(struct mb_store *st, const char *sql,
		    const struct mb_impact_query *q,
		    int (*cb)(const struct mb_impact_row *row, void *arg),
		    void *arg, struct mb_diag *d);
	int	(*day)(struct mb_store *st, const char *center,
		    const char *day,
		    int (*cb)(const struct mb_impact_row *row, void *arg),
		    void *arg, struct mb_diag *d);
	int	(*prune)(struct mb_store *st, const char *day, int64_t *n,
		    struct mb_diag *d);
	int	(*campaign_add)(struct mb_store *st,
		    const struct mb_campaign *c, int64_t *id,
		    struct mb_diag *d);
	int	(*campaign_get)(struct mb_store *st, int64_t id,
		    struct mb_campaign *out, struct mb_diag *d);
	int	(*campaign_list)(struct mb_store *st,
		    int (*cb)(const struct mb_campaign *c, void *arg),
		    void *arg, struct mb_diag *d);
	int	(*state_get)(struct mb_store *st, const char *name, char *out,
		    size_t n, struct mb_diag *d);
	int	(*state_set)(struct mb_store *st, const char *name,
		    const char *value, struct mb_diag *d);
};

extern const struct mb_store_impact_ops mb_sqlite_impact;
extern const struct mb_store_impact_ops mb_pg_impact;
extern const char *const mb_sqlite_impact_migrations[];
extern const char *const mb_pg_impact_migrations[];

/* A row (IMPACT_COLS, then views and uniques) into struct mb_impact_row. */
extern const struct mb_store_cols mb_store__impact_cols;
#define MB_STORE_IMPACT_COLS "center, day, kind, key, lang, country, " \
    "referrer, campaign, source, medium"
#define MB_STORE_CAMPAIGN_COLS "id, name, utm, topics, items, starts, ends, " \
    "created_ms"
extern const struct mb_store_cols mb_store__campaign_cols;

/*
 * The query's statement for q->by, the same on both backends but for
 * the placeholders: dollar ($N, PostgreSQL) or not (?N, SQLite).
 * Parameters: 1 from, 2 to, 3 center, 4 kind, 5 key, 6 campaign,
 * 7 limit (NULL filters are no filter).
 */
int mb_store__impact_sql(enum mb_impact_by by, bool dollar, char *out,
    size_t n, struct mb_diag *d);

#endif
