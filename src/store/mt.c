/* SPDX-License-Identifier: MIT */
/* The machine translation domain: its descriptor, its rows, and its calls handed to the store's backend. */
#include "mt_int.h"

static const struct mb_store_table tables[] = {
	{ "mt_cache", "key, text, at_ms" },
	{ "mt_glossary", "id, src, dst, term, translation" },
	{ "mt_drafts", "uri, of_uri, of_version, language, made_ms" },
	{ NULL, NULL }
};

const struct mb_store_domain mb_store_mt_domain = {
	.name = "mt",
	.migrations = {
		[MB_STORE_SQLITE] = mb_sqlite_mt_migrations,
		[MB_STORE_PG] = mb_pg_mt_migrations,
	},
	.tables = tables,
};

static const struct mb_store_col term_col[] = {
	MB_COL(MB_COL_INT, struct mb_store_mt_term, id),
	MB_COL(MB_COL_CHARS, struct mb_store_mt_term, src),
	MB_COL(MB_COL_CHARS, struct mb_store_mt_term, dst),
	MB_COL(MB_COL_CHARS, struct mb_store_mt_term, term),
	MB_COL(MB_COL_CHARS, struct mb_store_mt_term, translation),
};
const struct mb_store_cols mb_store__mt_term_cols =
    MB_COLS(struct mb_store_mt_term, term_col);

static const struct mb_store_col draft_col[] = {
	MB_COL(MB_COL_CHARS, struct mb_store_mt_draft, uri),
	MB_COL(MB_COL_CHARS, struct mb_store_mt_draft, of_uri),
	MB_COL(MB_COL_INT, struct mb_store_mt_draft, of_version),
	MB_COL(MB_COL_CHARS, struct mb_store_mt_draft, language),
	MB_COL(MB_COL_INT, struct mb_store_mt_draft, made_ms),
};
const struct mb_store_cols mb_store__mt_draft_cols =
    MB_COLS(struct mb_store_mt_draft, draft_col);

static const struct mb_store_mt_ops *const impl[MB_STORE__BACKENDS] = {
	[MB_STORE_SQLITE] = &mb_sqlite_mt,
	[MB_STORE_PG] = &mb_pg_mt,
};

#define OPS(st)	(impl[mb_store__backend(st)])

int
mb_store_mt_cache_get(struct mb_store *st, const char *key, char **text,
    int64_t *at_ms, struct mb_diag *d)
{
	return OPS(st)->cache_get(st, key, text, at_ms, d);
}

int
mb_store_mt_cache_put(struct mb_store *st, const char *key, const char *text,
    int64_t at_ms, struct mb_diag *d)
{
	return OPS(st)->cache_put(st, key, text, at_ms, d);
}

int
mb_store_mt_term_add(struct mb_store *st, const char *src, const char *dst,
    const char *term, const char *translation, int64_t *id, struct mb_diag *d)
{
	return OPS(st)->term_add(st, src, dst, term, translation, id, d);
}

int
mb_store_mt_term_remove(struct mb_store *st, int64_t id, struct mb_diag *d)
{
	return OPS(st)->term_remove(st, id, d);
}

int
mb_store_mt_term_list(struct mb_store *st,
    int (*cb)(const struct mb_store_mt_term *t, void *arg), void *arg,
    struct mb_diag *d)
{
	return OPS(st)->term_list(st, cb, arg, d);
}

int
mb_store_mt_draft_put(struct mb_store *st, const char *uri,
    const char *of_uri, int64_t of_version, const char *language,
    int64_t made_ms, struct mb_diag *d)
{
	return OPS(st)->draft_put(st, uri, of_uri, of_version, language,
	    made_ms, d);
}

int
mb_store_mt_draft_find(struct mb_store *st, const char *of_uri,
    const char *language, struct mb_store_mt_draft *out, struct mb_diag *d)
{
	return OPS(st)->draft_find(st, of_uri, language, out, d);
}

int
mb_store_mt_stale_list(struct mb_store *st,
    int (*cb)(const struct mb_store_mt_draft *t, void *arg), void *arg,
    struct mb_diag *d)
{
	return OPS(st)->stale_list(st, cb, arg, d);
}
