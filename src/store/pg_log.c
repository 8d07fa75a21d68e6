/* SPDX-License-Identifier: MIT */
/* The PostgreSQL backend's items and log: put, get, the log, stats, checks, the index queue. */
#include "pg_int.h"

#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/timeutil.h"

static const char SQL_PUT[] = "SELECT mb_put($1, $2, $3, $4, $5, $6, $7, "
    "$8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18::regconfig, $19, "
    "$20, $21, $22, $23)";

/*
 * The most bytes of the headline and of the body that go into the index
 * (docs/search.md, "Long texts"): PostgreSQL refuses a tsvector over
 * 1 MB, and a refused one would fail the whole put (and the import or
 * pull around it). Both vectors of both fields (stemmed and plain; CJK as
 * bigrams) of 64 KiB each stay well under it even when every word is a
 * new one; the text kept for snippets is the whole text.
 */
#define INDEX_MAX	65536

/* s's length, cut to INDEX_MAX at a character boundary. */
static size_t
index_len(const char *s)
{
	size_t n = strlen(s);

	if (n <= INDEX_MAX)
		return n;
	n = INDEX_MAX;
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	return n;
}

/*
 * The text the index reads for s into out (NULL: s as it is): its
 * first INDEX_MAX bytes, its words as the SQLite tokenizer splits them
 * (mb_pg__words).
 */
static int
index_text(struct mb_pg_params *p, const char *s, struct mb_buf *out)
{
	size_t	n = index_len(s);

	if (n == strlen(s) && !mb_pg__needs_words(s, n)) {
		mb_pg__p_text(p, NULL);
		return MB_OK;
	}
	if (mb_pg__words(s, n, true, out) != MB_OK)
		return MB_ERR_NOMEM;
	mb_pg__p_text(p, mb_buf_cstr(out));
	return MB_OK;
}

/* Adds the text columns: configuration, text, and the indexed text. */
static int
text_params(struct mb_pg_params *p, const struct mb_store_text *t,
    struct mb_buf *hb, struct mb_buf *bb)
{
	const char *h, *b;

	if (t == NULL) {
		mb_pg__p_text(p, NULL);
		mb_pg__p_text(p, NULL);
		mb_pg__p_text(p, NULL);
		mb_pg__p_text(p, NULL);
		mb_pg__p_text(p, NULL);
		return MB_OK;
	}
	h = t->headline != NULL ? t->headline : "";
	b = t->body != NULL ? t->body : "";
	mb_pg__p_text(p, mb_pg__tsconfig(t->language));
	mb_pg__p_text(p, h);
	mb_pg__p_text(p, b);
	if (index_text(p, h, hb) != MB_OK || index_text(p, b, bb) != MB_OK)
		return MB_ERR_NOMEM;
	return MB_OK;
}

int
mb_pg_put(struct mb_store *st, const struct mb_store_version *v,
    const struct mb_store_text *text, int64_t *seq, struct mb_diag *d)
{
	struct mb_pg		*pg = PG(st);
	struct mb_pg_params	 p;
	struct mb_pg_res	*r = NULL;
	struct mb_buf		 hb = MB_BUF_INIT, bb = MB_BUF_INIT;
	int64_t			 s;
	int			 rc;

	p.n = 0;
	mb_pg__p_text(&p, v->uri);
	mb_pg__p_int(&p, v->version);
	mb_pg__p_text(&p, v->center);
	mb_pg__p_text(&p, v->local);
	mb_pg__p_text(&p, v->origin);
	mb_pg__p_text(&p, v->audience);
	mb_pg__p_text(&p, v->pub_status);
	mb_pg__p_text(&p, v->workflow);
	mb_pg__p_text(&p, v->language);
	mb_pg__p_text(&p, v->type);
	mb_pg__p_text(&p, v->profile);
	mb_pg__p_text(&p, v->headline);
	mb_pg__p_int(&p, v->embargo_ms);
	mb_pg__p_int(&p, v->created_ms);
	mb_pg__p_int(&p, v->first_ms);
	mb_pg__p_int(&p, v->received_ms ? v->received_ms : mb_time_now_ms());
	mb_pg__p_bytes(&p, v->envelope, v->envelope_len);
	if ((rc = text_params(&p, text, &hb, &bb)) != MB_OK)
		goto out;
	mb_pg__p_text(&p, v->via);
	if ((rc = mb_pg__run(pg, SQL_PUT, &p, true, &r, d)) != MB_OK)
		goto out;
	s = mb_pg__i64(r, 0, 0);
	if (s == 0)
		rc = MB_ERR_EXISTS;
	else
		*seq = s;
out:
	mb_pg__free(r);
	mb_buf_free(&hb);
	mb_buf_free(&bb);
	return rc;
}

void
mb_pg__row_version(const struct mb_pg_res *r, int row, int at,
    struct mb_store_version *v)
{
	v->seq = mb_pg__i64(r, row, at);
	v->uri = mb_pg__str(r, row, at + 1);
	v->version = mb_pg__i64(r, row, at + 2);
	v->center = mb_pg__str(r, row, at + 3);
	v->local = mb_pg__str(r, row, at + 4);
	v->origin = mb_pg__str(r, row, at + 5);
	v->audience = mb_pg__str(r, row, at + 6);
	v->pub_status = mb_pg__str(r, row, at + 7);
	v->workflow = mb_pg__str(r, row, at + 8);
	v->language = mb_pg__str(r, row, at + 9);
	v->type = mb_pg__str(r, row, at + 10);
	v->profile = mb_pg__str(r, row, at + 11);
	v->headline = mb_pg__str(r, row, at + 12);
	v->embargo_ms = mb_pg__i64(r, row, at + 13);
	v->created_ms = mb_pg__i64(r, row, at + 14);
	v->first_ms = mb_pg__i64(r, row, at + 15);
	v->received_ms = mb_pg__i64(r, row, at + 16);
	v->envelope = mb_pg__bytes(r, row, at + 17, &v->envelope_len);
	v->topics = NULL;
	v->via = NULL;
}

/* Hands every row of r to cb; *rows (may be NULL) counts them. */
static int
visit(const struct mb_pg_res *r, mb_store_version_cb cb, void *arg,
    int *rows)
{
	struct mb_store_version	v;
	int			rc, n = mb_pg__nrows(r);

	for (int i = 0; i < n; i++) {
		mb_pg__row_version(r, i, 0, &v);
		if ((rc = cb(&v, arg)) != MB_OK) {
			if (rows)
				*rows = i + 1;
			return rc > 0 ? 1 : rc;
		}
	}
	if (rows)
		*rows = n;
	return MB_OK;
}

static const char SQL_GET_CURRENT[] = "SELECT " MB_SQL_VERSION_COLS
    " FROM versions v WHERE v.seq = (SELECT seq FROM items WHERE uri = $1)";
static const char SQL_GET_VERSION[] = "SELECT " MB_SQL_VERSION_COLS
    " FROM versions v WHERE v.uri = $1 AND v.version = $2";

int
mb_pg_get(struct mb_store *st, const char *uri, int64_t version,
    mb_store_version_cb cb, void *arg, struct mb_diag *d)
{
	struct mb_pg		*pg = PG(st);
	struct mb_pg_params	 p;
	struct mb_pg_res	*r;
	int			 rows = 0, rc;

	p.n = 0;
	mb_pg__p_text(&p, uri);
	if (version)
		mb_pg__p_int(&p, version);
	if ((rc = mb_pg__run(pg, version ? SQL_GET_VERSION : SQL_GET_CURRENT,
	    &p, true, &r, d)) != MB_OK)
		return rc;
	rc = visit(r, cb, arg, &rows);
	mb_pg__free(r);
	if (rc != MB_OK)
		return rc > 0 ? MB_OK : rc;
	if (rows == 0)
		return mb_diag_set(d, MB_ERR_NOTFOUND, "%s%s: not found", uri,
		    version ? " at that version" : "");
	return MB_OK;
}

static const char SQL_HAS[] =
    "SELECT 1 FROM versions WHERE uri = $1 AND version = $2";

int
mb_pg_has(struct mb_store *st, const char *uri, int64_t version, bool *has,
    struct mb_diag *d)
{
	struct mb_pg		*pg = PG(st);
	struct mb_pg_params	 p;
	struct mb_pg_res	*r;
	int			 rc;

	p.n = 0;
	mb_pg__p_text(&p, uri);
	mb_pg__p_int(&p, version);
	if ((rc = mb_pg__run(pg, SQL_HAS, &p, true, &r, d)) != MB_OK)
		return rc;
	*has = mb_pg__nrows(r) > 0;
	mb_pg__free(r);
	return MB_OK;
}

/* The log is read in pages, so that "all of it" is never one result. */
#define LOG_PAGE 1000

static const char SQL_LOG[] = "SELECT " MB_SQL_VERSION_COLS
    ", v.via FROM versions v WHERE v.seq > $1 ORDER BY v.seq LIMIT $2";

int
mb_pg_log(struct mb_store *st, int64_t after, int64_t limit,
    mb_store_version_cb cb, void *arg, struct mb_diag *d)
{
	struct mb_pg		*pg = PG(st);
	struct mb_pg_params	 p;
	struct mb_pg_res	*r;
	int64_t			 left = limit > 0 ? limit : INT64_MAX;
	int			 rows, rc;

	while (left > 0) {
		int64_t want = left < LOG_PAGE ? left : LOG_PAGE;

		p.n = 0;
		mb_pg__p_int(&p, after);
		mb_pg__p_int(&p, want);
		if ((rc = mb_pg__run(pg, SQL_LOG, &p, true, &r, d)) != MB_OK)
			return rc;
		rows = mb_pg__nrows(r);
		if (rows > 0)
			after = mb_pg__i64(r, rows - 1, 0);
		rc = MB_OK;
		for (int i = 0; i < rows && rc == MB_OK; i++) {
			struct mb_store_version v;

			mb_pg__row_version(r, i, 0, &v);
			v.via = mb_pg__str(r, i, 18);
			rc = cb(&v, arg);
		}
		mb_pg__free(r);
		if (rc != MB_OK)
			return rc > 0 ? MB_OK : rc;
		if (rows < want)
			break;
		left -= rows;
	}
	return MB_OK;
}

int
mb_pg_stats(struct mb_store *st, struct mb_store_stats *out,
    struct mb_diag *d)
{
	struct mb_pg		*pg = PG(st);
	struct mb_pg_res	*r;
	int			 rc;

	/* store_counts as SQLite's (mb_sqlite_stats). */
	if ((rc = mb_pg__run(pg, mb_store__has_domain(st, "scale") ?
	    "SELECT (SELECT n FROM store_counts WHERE name = 'items'), "
	    "(SELECT n FROM store_counts WHERE name = 'versions'), "
	    "(SELECT coalesce(max(seq), 0) FROM versions), "
	    "(SELECT n FROM store_counts WHERE name = 'pending_in') - "
	    "(SELECT n FROM store_counts WHERE name = 'pending_out'), "
	    "(SELECT coalesce(min(v.received_ms), 0) FROM (SELECT item_id "
	    "FROM fts_pending ORDER BY item_id LIMIT " MB_STORE_LAG_SCAN ") p "
	    "JOIN items i ON i.id = p.item_id JOIN versions v ON "
	    "v.seq = i.seq)" :
	    "SELECT (SELECT count(*) FROM items), "
	    "(SELECT count(*) FROM versions), "
	    "(SELECT coalesce(max(seq), 0) FROM versions), "
	    "(SELECT count(*) FROM fts_pending), "
	    "(SELECT coalesce(min(v.received_ms), 0) FROM fts_pending p "
	    "JOIN items i ON i.id = p.item_id JOIN versions v ON "
	    "v.seq = i.seq)", NULL, false, &r, d)) != MB_OK)
		return rc;
	memset(out, 0, sizeof(*out));
	out->items = mb_pg__i64(r, 0, 0);
	out->versions = mb_pg__i64(r, 0, 1);
	out->last_seq = mb_pg__i64(r, 0, 2);
	out->unindexed = mb_pg__i64(r, 0, 3);
	out->unindexed_since_ms = mb_pg__i64(r, 0, 4);
	mb_pg__free(r);
	return MB_OK;
}

static const char SQL_INDEX[] = "SELECT mb_index($1, $2::regconfig, $3, "
    "$4, $5, $6)";

int
mb_pg_index_peek(struct mb_store *st, int64_t limit,
    mb_store_version_cb cb, void *arg, struct mb_diag *d)
{
	struct mb_pg		*pg = PG(st);
	struct mb_pg_params	 p;
	struct mb_pg_res	*r = NULL;
	struct mb_store_version	 v;
	int			 rc;

	/* The rows mb_pg_index_next() takes next, in its order. */
	p.n = 0;
	mb_pg__p_int(&p, limit);
	if ((rc = mb_pg__run(pg, "SELECT " MB_SQL_VERSION_COLS " "
	    "FROM fts_pending q JOIN items i ON i.id = q.item_id "
	    "JOIN versions v ON v.seq = i.seq ORDER BY q.item_id LIMIT $1",
	    &p, false, &r, d)) != MB_OK)
		return rc;
	for (int i = 0; i < mb_pg__nrows(r) && rc == MB_OK; i++) {
		mb_pg__row_version(r, i, 0, &v);
		rc = cb(&v, arg);
	}
	mb_pg__free(r);
	return rc > 0 ? MB_OK : rc;
}

int
mb_pg_index_next(struct mb_store *st, int64_t limit,
    int (*cb)(const struct mb_store_version *v, struct mb_store_text *t,
	void *arg), void *arg, int64_t *done, struct mb_diag *d)
{
	struct mb_pg		*pg = PG(st);
	struct mb_pg_params	 p;
	struct mb_pg_res	*r = NULL;
	struct mb_store_version	 v;
	struct mb_store_text	 t;
	struct mb_buf		 hb = MB_BUF_INIT, bb = MB_BUF_INIT;
	int64_t			 n = 0;
	int			 rc;

	/*
	 * Not the log's lock: indexing never holds up writers. Instead the
	 * items' rows, which a put locks first too (then the text, then the
	 * queue: one order, no deadlock): a version arriving meanwhile
	 * waits, then queues itself again, so the index never keeps an
	 * older text. SKIP LOCKED: indexers in several processes take
	 * disjoint items, and never wait on a batch being applied.
	 */
	if ((rc = mb_pg__begin_plain(pg, d)) != MB_OK)
		return rc;
	p.n = 0;
	mb_pg__p_int(&p, limit);
	if ((rc = mb_pg__run(pg, "SELECT " MB_SQL_VERSION_COLS ", i.id "
	    "FROM fts_pending q JOIN items i ON i.id = q.item_id "
	    "JOIN versions v ON v.seq = i.seq ORDER BY q.item_id LIMIT $1 "
	    "FOR UPDATE OF i SKIP LOCKED", &p, false, &r, d)) != MB_OK)
		goto fail;
	for (int i = 0; i < mb_pg__nrows(r); i++) {
		mb_pg__row_version(r, i, 0, &v);
		memset(&t, 0, sizeof(t));
		if ((rc = cb(&v, &t, arg)) != MB_OK)
			goto fail;
		p.n = 0;
		mb_pg__p_int(&p, mb_pg__i64(r, i, 18));
		if ((rc = text_params(&p, &t, &hb, &bb)) != MB_OK)
			goto fail;
		if ((rc = mb_pg__run(pg, SQL_INDEX, &p, true, NULL, d)) !=
		    MB_OK)
			goto fail;
		n++;
	}
	mb_pg__free(r);
	mb_buf_free(&hb);
	mb_buf_free(&bb);
	if ((rc = mb_pg__commit(pg, d)) != MB_OK)
		return rc;
	*done = n;
	return MB_OK;
fail:
	mb_pg__free(r);
	mb_buf_free(&hb);
	mb_buf_free(&bb);
	mb_pg__rollback(pg);
	return rc;
}

