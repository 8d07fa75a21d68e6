/* SPDX-License-Identifier: MIT */
/* The PostgreSQL backend's item listing: sql.c's statement, bound and walked. */
#include "pg_int.h"

#include "base/buf.h"

/* The country's centers, as SQLite's (sqlite_list.c). */
static int
country_centers(struct mb_pg *pg, const char *country,
    char ids[][sizeof(((struct mb_center *)0)->id)], int *n,
    struct mb_diag *d)
{
	struct mb_pg_params	p;
	struct mb_pg_rows	r;
	int			rc;

	*n = 0;
	p.n = 0;
	mb_pg__p_text(&p, country);
	mb_pg__p_int(&p, MB_SQL_COUNTRY_ARMS + 1);
	if ((rc = mb_pg__query(pg, "SELECT id FROM centers WHERE country = $1 "
	    "ORDER BY id LIMIT $2", &p, true, &r, d)) != MB_OK)
		return rc;
	while (mb_pg__next(&r, NULL, NULL))
		mb_pg__copy(ids[(*n)++], sizeof(ids[0]), r.res, r.row, 0);
	return mb_pg__end(&r, MB_OK);
}

int
mb_pg_list(struct mb_store *st, const struct mb_store_filter *f,
    mb_store_version_cb cb, void *arg, struct mb_diag *d)
{
	struct mb_store_version	v;
	struct mb_pg_params	p;
	struct mb_pg_rows	r;
	struct mb_buf		q = MB_BUF_INIT;
	char			ids[MB_SQL_COUNTRY_ARMS + 1][sizeof(
				    ((struct mb_center *)0)->id)];
	int			ncenters = 0, rc;

	if (f->limit < 1 || f->limit > 1000)
		return mb_diag_set(d, MB_ERR_INVAL,
		    "limit: must be from 1 to 1000");
	if (f->country != NULL && f->center == NULL && f->topic == NULL) {
		if ((rc = country_centers(PG(st), f->country, ids, &ncenters,
		    d)) != MB_OK)
			return rc;
		if (ncenters == 0)
			return MB_OK;
		if (ncenters > MB_SQL_COUNTRY_ARMS)
			ncenters = 0;
	}
	if ((rc = mb_sql_list(&q, &mb_pg_dialect, f,
	    mb_store__has_domain(st, "scale"), ncenters)) != MB_OK) {
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
	for (int k = 0; k < ncenters; k++)	/* 22..: the centers */
		mb_pg__p_text(&p, ids[k]);
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
