/* SPDX-License-Identifier: MIT */
/* The PostgreSQL backend's item listing: sql.c's statement, bound and walked. */
#include "pg_int.h"

#include "base/buf.h"

int
mb_pg_list(struct mb_store *st, const struct mb_store_filter *f,
    mb_store_version_cb cb, void *arg, struct mb_diag *d)
{
	struct mb_store_version	v;
	struct mb_pg_params	p;
	struct mb_pg_rows	r;
	struct mb_buf		q = MB_BUF_INIT;
	int			rc;

	if (f->limit < 1 || f->limit > 1000)
		return mb_diag_set(d, MB_ERR_INVAL,
		    "limit: must be from 1 to 1000");
	if ((rc = mb_sql_list(&q, &mb_pg_dialect, f)) != MB_OK) {
		mb_buf_free(&q);
		return rc;
	}
	/* Every parameter of sql.h up to the listing's last, all typed. */
	p.n = 0;
	mb_pg__p_text(&p, NULL);		/* 1 */
	mb_pg__p_text(&p, f->language);
	mb_pg__p_text(&p, f->type);
	mb_pg__p_text(&p, f->profile);
	mb_pg__p_text(&p, f->center);		/* 5 */
	mb_pg__p_text(&p, f->topic);
	mb_pg__p_text(&p, f->country);
	mb_pg__p_int(&p, 0);
	mb_pg__p_int(&p, f->before_ms);		/* 9: MB_SQLP_TO */
	mb_pg__p_int(&p, f->now_ms);		/* 10 */
	mb_pg__p_int(&p, f->audiences);
	mb_pg__p_int(&p, 0);
	mb_pg__p_text(&p, NULL);
	mb_pg__p_bool(&p, false);
	mb_pg__p_int(&p, 0);			/* 15 */
	mb_pg__p_int(&p, 0);
	mb_pg__p_text(&p, NULL);
	mb_pg__p_int(&p, f->cursor_first_ms);	/* 18 */
	mb_pg__p_int(&p, f->cursor_seq);
	mb_pg__p_int(&p, f->author_id);		/* 20 */
	mb_pg__p_int(&p, f->limit);		/* 21: MB_SQLP_LIMIT */
	rc = mb_pg__query(PG(st), mb_buf_cstr(&q), &p, false, &r, d);
	mb_buf_free(&q);
	if (rc != MB_OK)
		return rc;
	while (rc == MB_OK && mb_pg__next(&r, NULL, NULL)) {
		mb_pg__row_version(r.res, r.row, 0, &v);
		rc = cb(&v, arg);
	}
	return mb_pg__end(&r, rc);
}
