/* SPDX-License-Identifier: MIT */
/* The SQLite backend's item listing: sql.c's statement, bound and walked. */
#include "sqlite_int.h"

#include "base/buf.h"

#include <stdio.h>

static void
bind_opt(sqlite3_stmt *s, int i, const char *v)
{
	if (v != NULL)
		sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
}

/*
 * The country's centers, up to one more than MB_SQL_COUNTRY_ARMS (more
 * than that: listed by a condition instead, sorted).
 */
static int
country_centers(struct mb_sqlite *sq, const char *country,
    char ids[][sizeof(((struct mb_center *)0)->id)], int *n,
    struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int			rc;

	*n = 0;
	if ((rc = mb_sqlite__query(sq, "SELECT id FROM centers WHERE "
	    "country = ?1 ORDER BY id LIMIT ?2", &r, "list", d)) != MB_OK)
		return rc;
	sqlite3_bind_text(r.s, 1, country, -1, SQLITE_STATIC);
	sqlite3_bind_int(r.s, 2, MB_SQL_COUNTRY_ARMS + 1);
	while (mb_sqlite__next(&r, NULL, NULL))
		snprintf(ids[(*n)++], sizeof(ids[0]), "%s",
		    (const char *)sqlite3_column_text(r.s, 0));
	return mb_sqlite__end(&r, MB_OK, d);
}

int
mb_sqlite_list(struct mb_store *st, const struct mb_store_filter *f,
    mb_store_version_cb cb, void *arg, struct mb_diag *d)
{
	struct mb_store_version	 v;
	struct mb_sqlite_rows	 r;
	struct mb_buf		 q = MB_BUF_INIT, scratch = MB_BUF_INIT;
	sqlite3_stmt		*s;
	char			 ids[MB_SQL_COUNTRY_ARMS + 1][sizeof(
				    ((struct mb_center *)0)->id)];
	int			 ncenters = 0, rc;

	if (f->limit < 1 || f->limit > 1000)
		return mb_diag_set(d, MB_ERR_INVAL,
		    "limit: must be from 1 to 1000");
	/* A country's page reads its centers' rows in order (sql.h). */
	if (f->country != NULL && f->center == NULL && f->topic == NULL) {
		if ((rc = country_centers(SQ(st), f->country, ids, &ncenters,
		    d)) != MB_OK)
			return rc;
		if (ncenters == 0)
			return MB_OK;
		if (ncenters > MB_SQL_COUNTRY_ARMS)
			ncenters = 0;
	}
	if ((rc = mb_sql_list(&q, &mb_sqlite_dialect, f,
	    mb_store__has_domain(st, "scale"), ncenters)) != MB_OK) {
		mb_buf_free(&q);
		return rc;
	}
	rc = mb_sqlite__query(SQ(st), mb_buf_cstr(&q), &r, "list", d);
	mb_buf_free(&q);
	if (rc != MB_OK)
		return rc;
	s = r.s;
	/* Every parameter of sql.h the listing uses; the SQL names some. */
	bind_opt(s, MB_SQLP_LANG, f->language);
	bind_opt(s, MB_SQLP_TYPE, f->type);
	bind_opt(s, MB_SQLP_PROFILE, f->profile);
	bind_opt(s, MB_SQLP_CENTER, f->center);
	mb_sqlite__bind_topic(s, MB_SQLP_TOPIC, f->topic);
	bind_opt(s, MB_SQLP_COUNTRY, f->country);
	sqlite3_bind_int64(s, MB_SQLP_TO, f->before_ms);
	sqlite3_bind_int64(s, MB_SQLP_NOW, f->now_ms);
	sqlite3_bind_int64(s, MB_SQLP_AUD, f->audiences);
	sqlite3_bind_int64(s, MB_SQLP_CUR_FIRST, f->cursor_first_ms);
	sqlite3_bind_int64(s, MB_SQLP_CUR_SEQ, f->cursor_seq);
	sqlite3_bind_int64(s, MB_SQLP_AUTHOR, f->author_id);
	sqlite3_bind_int64(s, MB_SQLP_LIMIT, f->limit);
	for (int k = 0; k < ncenters; k++)
		sqlite3_bind_text(s, MB_SQLP_COUNTRY_CENTERS + k, ids[k], -1,
		    SQLITE_STATIC);
	while (rc == MB_OK && mb_sqlite__next(&r, NULL, NULL)) {
		if ((rc = mb_sqlite__row_version(SQ(st), s, 0, &v, &scratch,
		    d)) == MB_OK)
			rc = cb(&v, arg);
	}
	mb_buf_free(&scratch);
	return mb_sqlite__end(&r, rc, d);
}
