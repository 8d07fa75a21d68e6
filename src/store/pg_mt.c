/* SPDX-License-Identifier: MIT */
/* The machine translation domain on PostgreSQL: the cache, the glossary, machine drafts. */
#include "pg_int.h"

#include <stdlib.h>
#include <string.h>

#include "store/mt_int.h"

const char *const mb_pg_mt_migrations[] = {
	/* 1 */
	"CREATE TABLE mt_cache ("
	"  key TEXT PRIMARY KEY,"
	"  text TEXT NOT NULL,"
	"  at_ms BIGINT NOT NULL);"
	"CREATE TABLE mt_glossary ("
	"  id BIGSERIAL PRIMARY KEY,"
	"  src TEXT NOT NULL,"
	"  dst TEXT NOT NULL,"
	"  term TEXT NOT NULL,"
	"  translation TEXT NOT NULL DEFAULT '',"
	"  UNIQUE (src, dst, term));"
	"CREATE TABLE mt_drafts ("
	"  uri TEXT PRIMARY KEY,"
	"  of_uri TEXT NOT NULL,"
	"  of_version BIGINT NOT NULL,"
	"  language TEXT NOT NULL,"
	"  made_ms BIGINT NOT NULL);"
	"CREATE INDEX mt_drafts_of ON mt_drafts (of_uri, language);",
	NULL
};

static int
cache_get(struct mb_store *st, const char *key, char **text, int64_t *at_ms,
    struct mb_diag *d)
{
	struct mb_pg_params	p;
	struct mb_pg_rows	r;
	int			rc;

	p.n = 0;
	mb_pg__p_text(&p, key);
	if ((rc = mb_pg__query(PG(st), "SELECT text, at_ms FROM mt_cache WHERE "
	    "key = $1", &p, false, &r, d)) != MB_OK)
		return rc;
	if (!mb_pg__next(&r, NULL, NULL))
		rc = MB_ERR_NOTFOUND;
	else if ((*text = strdup(mb_pg__str(r.res, r.row, 0))) == NULL)
		rc = mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
	else
		*at_ms = mb_pg__i64(r.res, r.row, 1);
	return mb_pg__end(&r, rc);
}

static int
cache_put(struct mb_store *st, const char *key, const char *text,
    int64_t at_ms, struct mb_diag *d)
{
	struct mb_pg_params p;

	p.n = 0;
	mb_pg__p_text(&p, key);
	mb_pg__p_text(&p, text);
	mb_pg__p_int(&p, at_ms);
	return mb_pg__run(PG(st), "INSERT INTO mt_cache (key, text, at_ms) "
	    "VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING", &p, false, NULL,
	    d);
}

static int
term_add(struct mb_store *st, const char *src, const char *dst,
    const char *term, const char *translation, int64_t *id, struct mb_diag *d)
{
	struct mb_pg_params	p;
	struct mb_pg_rows	r;
	int			rc;

	p.n = 0;
	mb_pg__p_text(&p, src);
	mb_pg__p_text(&p, dst);
	mb_pg__p_text(&p, term);
	mb_pg__p_text(&p, translation != NULL ? translation : "");
	if ((rc = mb_pg__query(PG(st), "INSERT INTO mt_glossary (src, dst, "
	    "term, translation) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING "
	    "RETURNING id", &p, false, &r, d)) != MB_OK)
		return rc;
	if (!mb_pg__next(&r, NULL, NULL))
		rc = mb_diag_set(d, MB_ERR_EXISTS, "glossary: %s -> %s \"%s\" "
		    "is there already", src, dst, term);
	else if (id != NULL)
		*id = mb_pg__i64(r.res, r.row, 0);
	return mb_pg__end(&r, rc);
}

static int
term_remove(struct mb_store *st, int64_t id, struct mb_diag *d)
{
	struct mb_pg_params	 p;
	struct mb_pg_res	*res = NULL;
	int64_t			 n;
	int			 rc;

	p.n = 0;
	mb_pg__p_int(&p, id);
	if ((rc = mb_pg__run(PG(st), "DELETE FROM mt_glossary WHERE id = $1",
	    &p, false, &res, d)) != MB_OK)
		return rc;
	n = mb_pg__affected(res);
	mb_pg__free(res);
	if (n == 0)
		return mb_diag_set(d, MB_ERR_NOTFOUND, "glossary entry %lld: "
		    "no such entry", (long long)id);
	return MB_OK;
}

static int
term_list(struct mb_store *st,
    int (*cb)(const struct mb_store_mt_term *t, void *arg), void *arg,
    struct mb_diag *d)
{
	struct mb_pg_rows	r;
	struct mb_store_mt_term	t;
	int			rc;

	if ((rc = mb_pg__query(PG(st), "SELECT " MB_STORE_MT_TERM_COLS
	    " FROM mt_glossary ORDER BY id", NULL, false, &r, d)) != MB_OK)
		return rc;
	while (rc == MB_OK && mb_pg__next(&r, &mb_store__mt_term_cols, &t))
		rc = cb(&t, arg);
	return mb_pg__end(&r, rc);
}

static int
draft_put(struct mb_store *st, const char *uri, const char *of_uri,
    int64_t of_version, const char *language, int64_t made_ms,
    struct mb_diag *d)
{
	struct mb_pg_params p;

	p.n = 0;
	mb_pg__p_text(&p, uri);
	mb_pg__p_text(&p, of_uri);
	mb_pg__p_int(&p, of_version);
	mb_pg__p_text(&p, language);
	mb_pg__p_int(&p, made_ms);
	return mb_pg__run(PG(st), "INSERT INTO mt_drafts (uri, of_uri, "
	    "of_version, language, made_ms) VALUES ($1, $2, $3, $4, $5) ON "
	    "CONFLICT (uri) DO UPDATE SET of_version = excluded.of_version, "
	    "made_ms = excluded.made_ms", &p, false, NULL, d);
}

static int
draft_find(struct mb_store *st, const char *of_uri, const char *language,
    struct mb_store_mt_draft *out, struct mb_diag *d)
{
	struct mb_pg_params p;

	p.n = 0;
	mb_pg__p_text(&p, of_uri);
	mb_pg__p_text(&p, language);
	return mb_pg__one(PG(st), "SELECT " MB_STORE_MT_DRAFT_COLS " FROM "
	    "mt_drafts d JOIN items i ON i.uri = d.uri WHERE d.of_uri = $1 AND "
	    "d.language = $2 AND i.pub_status <> 'canceled' ORDER BY "
	    "d.made_ms DESC LIMIT 1", &p, false, &mb_store__mt_draft_cols, out,
	    d);
}

static int
stale_list(struct mb_store *st,
    int (*cb)(const struct mb_store_mt_draft *t, void *arg), void *arg,
    struct mb_diag *d)
{
	struct mb_pg_rows		r;
	struct mb_store_mt_draft	t;
	int				rc;

	if ((rc = mb_pg__query(PG(st), "SELECT " MB_STORE_MT_DRAFT_COLS
	    ", o.version FROM mt_drafts d JOIN items o ON o.uri = d.of_uri "
	    "JOIN items i ON i.uri = d.uri WHERE o.version > d.of_version "
	    "AND i.pub_status <> 'canceled' ORDER BY o.seq DESC, d.uri "
	    "COLLATE \"C\"", NULL, false, &r, d)) != MB_OK)
		return rc;
	while (rc == MB_OK && mb_pg__next(&r, &mb_store__mt_draft_cols, &t)) {
		t.current = mb_pg__i64(r.res, r.row, 5);
		rc = cb(&t, arg);
	}
	return mb_pg__end(&r, rc);
}

const struct mb_store_mt_ops mb_pg_mt = {
	.cache_get = cache_get,
	.cache_put = cache_put,
	.term_add = term_add,
	.term_remove = term_remove,
	.term_list = term_list,
	.draft_put = draft_put,
	.draft_find = draft_find,
	.stale_list = stale_list,
};
