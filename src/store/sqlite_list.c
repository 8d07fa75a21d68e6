/* SPDX-License-Identifier: MIT */
/* The SQLite backend's item listing: filters, visibility, cursor paging. */
#include "sqlite_int.h"

#include <string.h>

#include "base/buf.h"

/*
 * One statement built per call from the filters that are set; every
 * value is bound as a parameter (?1..?14 by meaning, unused ones left
 * unbound), never pasted into the SQL.
 */
enum {
	P_LANG = 1, P_TYPE, P_PROFILE, P_CENTER, P_TOPIC, P_COUNTRY,
	P_BEFORE, P_CUR_FIRST, P_CUR_SEQ, P_NOW, P_AUD, P_AUTHOR, P_LIMIT
};

static int
build(struct mb_buf *q, const struct mb_store_filter *f)
{
	int rc = 0;

	rc |= mb_buf_puts(q, "SELECT v.seq, v.uri, v.version, v.center, "
	    "v.local, v.origin, v.audience, v.pub_status, v.workflow, "
	    "v.language, v.type, v.profile, v.headline, v.embargo_ms, "
	    "v.created_ms, v.first_ms, v.received_ms, v.envelope "
	    "FROM (SELECT i.seq, i.first_ms FROM items i WHERE 1");
	/* A primary subtag reads items_lang_list (migration 6). */
	if (f->language != NULL && strchr(f->language, '-') == NULL)
		rc |= mb_buf_puts(q, " AND lower(substr(i.language, 1, "
		    "instr(i.language || '-', '-') - 1)) = lower(?1)");
	else if (f->language != NULL)
		rc |= mb_buf_puts(q, " AND (i.language = ?1 OR i.language "
		    "LIKE ?1 || '-%')");
	if (f->type != NULL)
		rc |= mb_buf_puts(q, " AND i.type = ?2");
	if (f->profile != NULL)
		rc |= mb_buf_puts(q, " AND i.profile = ?3");
	if (f->center != NULL)
		rc |= mb_buf_puts(q, " AND i.center = ?4");
	if (f->topic != NULL)
		/* Read from the topic's rows, then sorted: a rare topic
		 * costs its own items, not a scan of the store. */
		rc |= mb_buf_puts(q, " AND i.id IN (SELECT item_id FROM "
		    "item_topics WHERE topic = lower(?5))");
	if (f->country != NULL)
		rc |= mb_buf_puts(q, " AND i.center IN (SELECT id FROM centers "
		    "WHERE country = ?6)");
	if (f->before_ms > 0)
		rc |= mb_buf_puts(q, " AND i.first_ms < ?7");
	if (f->cursor_seq > 0)
		rc |= mb_buf_puts(q, " AND (i.first_ms < ?8 OR (i.first_ms = "
		    "?8 AND i.seq < ?9))");
	if (!f->all) {
		rc |= mb_buf_puts(q, " AND ((i.workflow = 'published' AND "
		    "i.pub_status = 'usable' AND i.embargo_ms <= ?10 AND "
		    "(CASE i.audience WHEN 'public' THEN 1 WHEN 'network' "
		    "THEN 2 ELSE 4 END) & ?11 != 0)");
		if (f->author_id != 0)
			rc |= mb_buf_puts(q, " OR EXISTS (SELECT 1 FROM "
			    "item_authors a WHERE a.uri = i.uri AND "
			    "a.user_id = ?12)");
		rc |= mb_buf_puts(q, ")");
	}
	/*
	 * The page's rows are picked from items alone and only then joined
	 * to their versions: a filter that has to sort (topic, country)
	 * sorts small rows, and only the page's envelopes are read.
	 */
	rc |= mb_buf_puts(q, " ORDER BY i.first_ms DESC, i.seq DESC "
	    "LIMIT ?13) x JOIN versions v ON v.seq = x.seq "
	    "ORDER BY x.first_ms DESC, x.seq DESC");
	return rc != 0 ? MB_ERR_NOMEM : MB_OK;
}

static void
bind_opt(sqlite3_stmt *s, int i, const char *v)
{
	if (v != NULL)
		sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
}

int
mb_store_list(struct mb_store *st, const struct mb_store_filter *f,
    mb_store_version_cb cb, void *arg, struct mb_diag *d)
{
	struct mb_store_version	 v;
	struct mb_buf		 q = MB_BUF_INIT;
	sqlite3_stmt		*s;
	int			 rc;

	if (st->pg != NULL)
		return mb_pg_list(st->pg, f, cb, arg, d);
	if (f->limit < 1 || f->limit > 1000)
		return mb_diag_set(d, MB_ERR_INVAL,
		    "limit: must be from 1 to 1000");
	if ((rc = build(&q, f)) != MB_OK) {
		mb_buf_free(&q);
		return rc;
	}
	rc = sqlite3_prepare_v2(st->db, q.data, (int)q.len, &s, NULL);
	mb_buf_free(&q);
	if (rc != SQLITE_OK)
		return mb_sqlite_err(st, d, "list");
	bind_opt(s, P_LANG, f->language);
	bind_opt(s, P_TYPE, f->type);
	bind_opt(s, P_PROFILE, f->profile);
	bind_opt(s, P_CENTER, f->center);
	bind_opt(s, P_TOPIC, f->topic);
	bind_opt(s, P_COUNTRY, f->country);
	sqlite3_bind_int64(s, P_BEFORE, f->before_ms);
	sqlite3_bind_int64(s, P_CUR_FIRST, f->cursor_first_ms);
	sqlite3_bind_int64(s, P_CUR_SEQ, f->cursor_seq);
	sqlite3_bind_int64(s, P_NOW, f->now_ms);
	sqlite3_bind_int64(s, P_AUD, f->audiences);
	sqlite3_bind_int64(s, P_AUTHOR, f->author_id);
	sqlite3_bind_int64(s, P_LIMIT, f->limit);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		v.seq = sqlite3_column_int64(s, 0);
		v.uri = (const char *)sqlite3_column_text(s, 1);
		v.version = sqlite3_column_int64(s, 2);
		v.center = (const char *)sqlite3_column_text(s, 3);
		v.local = (const char *)sqlite3_column_text(s, 4);
		v.origin = (const char *)sqlite3_column_text(s, 5);
		v.audience = (const char *)sqlite3_column_text(s, 6);
		v.pub_status = (const char *)sqlite3_column_text(s, 7);
		v.workflow = (const char *)sqlite3_column_text(s, 8);
		v.language = (const char *)sqlite3_column_text(s, 9);
		v.type = (const char *)sqlite3_column_text(s, 10);
		v.profile = (const char *)sqlite3_column_text(s, 11);
		v.headline = (const char *)sqlite3_column_text(s, 12);
		v.embargo_ms = sqlite3_column_int64(s, 13);
		v.created_ms = sqlite3_column_int64(s, 14);
		v.first_ms = sqlite3_column_int64(s, 15);
		v.received_ms = sqlite3_column_int64(s, 16);
		v.envelope = sqlite3_column_blob(s, 17);
		v.envelope_len = (size_t)sqlite3_column_bytes(s, 17);
		if (v.envelope == NULL)
			v.envelope = "";
		if ((rc = cb(&v, arg)) != MB_OK) {
			sqlite3_finalize(s);
			return rc > 0 ? MB_OK : rc;
		}
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return mb_sqlite_err(st, d, "list");
	return MB_OK;
}
