/* SPDX-License-Identifier: MIT */
/* The links domain's table of calls, one per backend (private to the store). */
#ifndef MB_STORE_LINKS_INT_H
#define MB_STORE_LINKS_INT_H

#include "store/links.h"
#include "store/store_int.h"

struct mb_store_links_ops {
	int (*get)(struct mb_store *st, const char *center,
	    struct mb_link_policy *out, struct mb_diag *d);
	int (*set)(struct mb_store *st, const struct mb_link_policy *p,
	    struct mb_diag *d);
	int (*list)(struct mb_store *st,
	    int (*cb)(const struct mb_link_policy *p, void *arg), void *arg,
	    struct mb_diag *d);
	int (*count)(struct mb_store *st, const char *center, int64_t bytes,
	    int64_t period_ms, struct mb_diag *d);
	int (*blob_uri)(struct mb_store *st, const char *hash, char uri[2048],
	    struct mb_diag *d);
};
extern const struct mb_store_links_ops mb_sqlite_links, mb_pg_links;
extern const char *const mb_sqlite_links_migrations[];
extern const char *const mb_pg_links_migrations[];
extern const struct mb_store_cols mb_store__link_cols;
#define MB_STORE_LINK_COLS "center, window_from, window_to, max_rate, " \
	"media, quota, period, used, period_ms"

#endif
