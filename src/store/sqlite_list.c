/* SPDX-License-Identifier: MIT */
/* The SQLite backend's item listing: sql.c's statement, bound and walked. */
#include "sqlite_int.h"

#include "base/buf.h"

static void
bind_opt(sqlite3_stmt *s, int i, const char *v)
{
	if (v != NULL)
		sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
}

int
mb_sqlite_list(struct mb_store *st, const struct mb_store_filter *f,
    mb_store_version_cb cb, void *arg, struct mb_diag *d)
{
	struct mb_store_version	 v;
	struct mb_sqlite_rows	 r;
	struct mb_buf		 q = MB_BUF_INIT;
	sqlite3_stmt		*s;
	int			 rc;

	if (f->limit < 1 || f->limit > 1000)
		return mb_diag_set(d, MB_ERR_INVAL,
		    "limit: must be from 1 to 1000");
	if ((rc = mb_sql_list(&q, &mb_sqlite_dialect, f)) != MB_OK) {
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
	bind_opt(s, MB_SQLP_TOPIC, f->topic);
	bind_opt(s, MB_SQLP_COUNTRY, f->country);
	sqlite3_bind_int64(s, MB_SQLP_TO, f->before_ms);
	sqlite3_bind_int64(s, MB_SQLP_NOW, f->now_ms);
	sqlite3_bind_int64(s, MB_SQLP_AUD, f->audiences);
	sqlite3_bind_int64(s, MB_SQLP_CUR_FIRST, f->cursor_first_ms);
	sqlite3_bind_int64(s, MB_SQLP_CUR_SEQ, f->cursor_seq);
	sqlite3_bind_int64(s, MB_SQLP_AUTHOR, f->author_id);
	sqlite3_bind_int64(s, MB_SQLP_LIMIT, f->limit);
	while (rc == MB_OK && mb_sqlite__next(&r, NULL, NULL)) {
		mb_sqlite__row_version(s, 0, &v);
		rc = cb(&v, arg);
	}
	return mb_sqlite__end(&r, rc, d);
}
