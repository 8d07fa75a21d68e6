/* SPDX-License-Identifier: MIT */
/* Private to the machine translation domain: its table of calls, one per backend, and its rows. */
#ifndef MB_STORE_MT_INT_H
#define MB_STORE_MT_INT_H

#include "store/mt.h"
#include "store/store_int.h"

/* The calls of mt.h, with the same arguments and contract. */
struct mb_store_mt_ops {
	int	(*cache_get)(struct mb_store *st, const char *key, char **text,
		    int64_t *at_ms, struct mb_diag *d);
	int	(*cache_put)(struct mb_store *st, const char *key,
		    const char *text, int64_t at_ms, struct mb_diag *d);
	int	(*term_add)(struct mb_store *st, const char *src,
		    const char *dst, const char *term, const char *translation,
		    int64_t *id, struct mb_diag *d);
	int	(*term_remove)(struct mb_store *st, int64_t id,
		    struct mb_diag *d);
	int	(*term_list)(struct mb_store *st,
		    int (*cb)(const struct mb_store_mt_term *t, void *arg),
		    void *arg, struct mb_diag *d);
	int	(*draft_put)(struct mb_store *st, const char *uri,
		    const char *of_uri, int64_t of_version,
		    const char *language, int64_t made_ms, struct mb_diag *d);
	int	(*draft_find)(struct mb_store *st, const char *of_uri,
		    const char *language, struct mb_store_mt_draft *out,
		    struct mb_diag *d);
	int	(*stale_list)(struct mb_store *st,
		    int (*cb)(const struct mb_store_mt_draft *t, void *arg),
		    void *arg, struct mb_diag *d);
};

extern const struct mb_store_mt_ops mb_sqlite_mt, mb_pg_mt;
extern const char *const mb_sqlite_mt_migrations[];
extern const char *const mb_pg_mt_migrations[];

/* Rows: MB_STORE_MT_TERM_COLS, MB_STORE_MT_DRAFT_COLS (mt.c). */
extern const struct mb_store_cols mb_store__mt_term_cols;
extern const struct mb_store_cols mb_store__mt_draft_cols;
#define MB_STORE_MT_TERM_COLS "id, src, dst, term, translation"
#define MB_STORE_MT_DRAFT_COLS "d.uri, d.of_uri, d.of_version, d.language, " \
    "d.made_ms"

#endif
