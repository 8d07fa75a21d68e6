/* SPDX-License-Identifier: MIT */
/* The links domain: its descriptor, its rows, and its calls handed to the store's backend. */
#include "links_int.h"

#include <string.h>

static const struct mb_store_table tables[] = {
	{ "links_policy", MB_STORE_LINK_COLS },
	{ NULL, NULL }
};

const struct mb_store_domain mb_store_links_domain = {
	.name = "links",
	.migrations = {
		[MB_STORE_SQLITE] = mb_sqlite_links_migrations,
		[MB_STORE_PG] = mb_pg_links_migrations,
	},
	.tables = tables,
};

static const struct mb_store_col link_col[] = {
	MB_COL(MB_COL_CHARS, struct mb_link_policy, center),
	MB_COL(MB_COL_INT, struct mb_link_policy, window_from),
	MB_COL(MB_COL_INT, struct mb_link_policy, window_to),
	MB_COL(MB_COL_INT, struct mb_link_policy, max_rate),
	MB_COL(MB_COL_CHARS, struct mb_link_policy, media),
	MB_COL(MB_COL_INT, struct mb_link_policy, quota),
	MB_COL(MB_COL_CHARS, struct mb_link_policy, period),
	MB_COL(MB_COL_INT, struct mb_link_policy, used),
	MB_COL(MB_COL_INT, struct mb_link_policy, period_ms),
};
const struct mb_store_cols mb_store__link_cols =
    MB_COLS(struct mb_link_policy, link_col);

static const struct mb_store_links_ops *const impl[MB_STORE__BACKENDS] = {
	[MB_STORE_SQLITE] = &mb_sqlite_links,
	[MB_STORE_PG] = &mb_pg_links,
};
#define OPS(st)	(impl[mb_store__backend(st)])

int
mb_store_link_get(struct mb_store *st, const char *center,
    struct mb_link_policy *out, struct mb_diag *d)
{
	return OPS(st)->get(st, center, out, d);
}

int
mb_store_link_set(struct mb_store *st, const struct mb_link_policy *p,
    struct mb_diag *d)
{
	/* The table's checks say the same; this names the field. */
	if (strcmp(p->media, "none") != 0 && strcmp(p->media,
	    "thumbnails") != 0 && strcmp(p->media, "window") != 0 &&
	    strcmp(p->media, "all") != 0)
		return mb_diag_set(d, MB_ERR_INVAL, "store: link %s: media %s "
		    "is not none, thumbnails, window or all", p->center,
		    p->media);
	if (p->max_rate < 0 || p->quota < 0 || p->window_from < -1 ||
	    p->window_from >= 1440 || p->window_to < -1 ||
	    p->window_to >= 1440)
		return mb_diag_set(d, MB_ERR_INVAL, "store: link %s: a rate, "
		    "quota or window out of range", p->center);
	return OPS(st)->set(st, p, d);
}

int
mb_store_link_list(struct mb_store *st,
    int (*cb)(const struct mb_link_policy *p, void *arg), void *arg,
    struct mb_diag *d)
{
	return OPS(st)->list(st, cb, arg, d);
}

int
mb_store_link_count(struct mb_store *st, const char *center, int64_t bytes,
    int64_t period_ms, struct mb_diag *d)
{
	if (bytes <= 0)
		return MB_OK;
	return OPS(st)->count(st, center, bytes, period_ms, d);
}

int
mb_store_link_blob_uri(struct mb_store *st, const char *hash, char uri[2048],
    struct mb_diag *d)
{
	return OPS(st)->blob_uri(st, hash, uri, d);
}
