/* SPDX-License-Identifier: MIT */
/* The accounts domain on PostgreSQL: users, credentials, item authors. */
#include "pg_int.h"

#include "base/timeutil.h"
#include "store/accounts_int.h"

/* Its first tables came with core migration 3 (accounts.c says why). */
const char *const mb_pg_accounts_migrations[] = {
	/* 1: who made each version here (the history's "who"). */
	"CREATE TABLE accounts_version_authors ("
	"  uri TEXT NOT NULL,"
	"  version BIGINT NOT NULL,"
	"  user_id BIGINT NOT NULL,"
	"  PRIMARY KEY (uri, version));",
	NULL
};

static int
user_add(struct mb_store *st, const char *name, const char *role,
    const char *pwhash, int64_t *id, struct mb_diag *d)
{
	struct mb_pg_params	p;
	struct mb_pg_rows	r;
	int			rc;

	p.n = 0;
	mb_pg__p_text(&p, name);
	mb_pg__p_text(&p, role);
	mb_pg__p_text(&p, pwhash);
	mb_pg__p_int(&p, mb_time_now_ms());
	if ((rc = mb_pg__query(PG(st), "INSERT INTO users (name, role, "
	    "pwhash, created_ms) VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO "
	    "NOTHING RETURNING id", &p, false, &r, d)) != MB_OK)
		return rc;
	if (!mb_pg__next(&r, NULL, NULL))
		rc = mb_diag_set(d, MB_ERR_EXISTS, "user %s: already exists",
		    name);
	else if (id != NULL)
		*id = mb_pg__i64(r.res, r.row, 0);
	return mb_pg__end(&r, rc);
}

static int
user_get(struct mb_store *st, const char *name, int64_t id,
    struct mb_user *out, char *pwhash, size_t n, struct mb_diag *d)
{
	struct mb_pg_params	p;
	struct mb_pg_rows	r;
	int			rc;

	p.n = 0;
	if (name != NULL)
		mb_pg__p_text(&p, name);
	else
		mb_pg__p_int(&p, id);
	if ((rc = mb_pg__query(PG(st), name != NULL ?
	    "SELECT " MB_STORE_USER_COLS ", u.pwhash FROM users u WHERE "
	    "u.name = $1" :
	    "SELECT " MB_STORE_USER_COLS ", u.pwhash FROM users u WHERE "
	    "u.id = $1", &p, false, &r, d)) != MB_OK)
		return rc;
	if (!mb_pg__next(&r, &mb_store__user_cols, out))
		rc = mb_diag_set(d, MB_ERR_NOTFOUND, "no such user");
	else if (pwhash != NULL && n > 0)
		mb_pg__copy(pwhash, n, r.res, r.row, 5);
	return mb_pg__end(&r, rc);
}

static int
user_update(struct mb_store *st, const char *name, const char *role,
    const char *pwhash, struct mb_diag *d)
{
	struct mb_pg_params	 p;
	struct mb_pg_res	*r;
	int			 rc;

	p.n = 0;
	mb_pg__p_text(&p, name);
	mb_pg__p_text(&p, role);
	mb_pg__p_text(&p, pwhash);
	if ((rc = mb_pg__run(PG(st), "UPDATE users SET role = coalesce($2, "
	    "role), pwhash = coalesce($3, pwhash) WHERE name = $1", &p, false,
	    &r, d)) != MB_OK)
		return rc;
	if (mb_pg__affected(r) == 0)
		rc = mb_diag_set(d, MB_ERR_NOTFOUND, "user %s: no such user",
		    name);
	mb_pg__free(r);
	return rc;
}

static int
user_list(struct mb_store *st, int (*cb)(const struct mb_user *u, void *arg),
    void *arg, struct mb_diag *d)
{
	struct mb_pg_rows	r;
	struct mb_user		u;
	int			rc;

	if ((rc = mb_pg__query(PG(st), "SELECT " MB_STORE_USER_COLS " FROM "
	    "users u ORDER BY u.name COLLATE \"C\"", NULL, false, &r, d)) !=
	    MB_OK)
		return rc;
	while (rc == MB_OK && mb_pg__next(&r, &mb_store__user_cols, &u))
		rc = cb(&u, arg);
	return mb_pg__end(&r, rc);
}

static int
cred_add(struct mb_store *st, const char *kind,
    const uint8_t hash[MB_CRED_HASH_LEN], int64_t user_id, const char *csrf,
    int64_t expires_ms, struct mb_diag *d)
{
	struct mb_pg_params p;

	p.n = 0;
	mb_pg__p_bytes(&p, hash, MB_CRED_HASH_LEN);
	mb_pg__p_text(&p, kind);
	mb_pg__p_int(&p, user_id);
	mb_pg__p_text(&p, csrf);
	mb_pg__p_int(&p, mb_time_now_ms());
	mb_pg__p_int(&p, expires_ms);
	return mb_pg__run(PG(st), "INSERT INTO credentials (hash, kind, "
	    "user_id, csrf, created_ms, expires_ms) VALUES ($1, $2, $3, $4, "
	    "$5, $6)", &p, false, NULL, d);
}

/* Every request with a token or a session asks: prepared once. */
static const char SQL_CRED_USER[] = "SELECT " MB_STORE_USER_COLS ", c.csrf "
    "FROM credentials c JOIN users u ON u.id = c.user_id WHERE c.hash = $1 "
    "AND c.kind = $2 AND (c.expires_ms = 0 OR c.expires_ms > $3) AND "
    "NOT u.disabled";

static int
cred_user(struct mb_store *st, const char *kind,
    const uint8_t hash[MB_CRED_HASH_LEN], int64_t now_ms,
    struct mb_user *out, char *csrf, struct mb_diag *d)
{
	struct mb_pg_params	p;
	struct mb_pg_rows	r;
	int			rc;

	p.n = 0;
	mb_pg__p_bytes(&p, hash, MB_CRED_HASH_LEN);
	mb_pg__p_text(&p, kind);
	mb_pg__p_int(&p, now_ms);
	if ((rc = mb_pg__query(PG(st), SQL_CRED_USER, &p, true, &r, d)) !=
	    MB_OK)
		return rc;
	if (!mb_pg__next(&r, &mb_store__user_cols, out))
		rc = MB_ERR_NOTFOUND;
	else if (csrf != NULL)
		mb_pg__copy(csrf, 65, r.res, r.row, 5);
	return mb_pg__end(&r, rc);
}

static int
cred_delete(struct mb_store *st, const uint8_t hash[MB_CRED_HASH_LEN],
    struct mb_diag *d)
{
	struct mb_pg_params p;

	p.n = 0;
	mb_pg__p_bytes(&p, hash, MB_CRED_HASH_LEN);
	return mb_pg__run(PG(st), "DELETE FROM credentials WHERE hash = $1",
	    &p, false, NULL, d);
}

static int
user_disable(struct mb_store *st, const char *name, bool disabled,
    struct mb_diag *d)
{
	struct mb_pg_params	 p;
	struct mb_pg_res	*r;
	int			 rc;

	p.n = 0;
	mb_pg__p_text(&p, name);
	mb_pg__p_int(&p, disabled ? 1 : 0);
	if ((rc = mb_pg__run(PG(st), "UPDATE users SET disabled = ($2 <> 0) "
	    "WHERE name = $1", &p, false, &r, d)) != MB_OK)
		return rc;
	if (mb_pg__affected(r) == 0)
		rc = mb_diag_set(d, MB_ERR_NOTFOUND, "user %s: no such user",
		    name);
	mb_pg__free(r);
	return rc;
}

static int
cred_list(struct mb_store *st, int64_t user_id,
    int (*cb)(const struct mb_cred *c, void *arg), void *arg,
    struct mb_diag *d)
{
	struct mb_pg_params	p;
	struct mb_pg_rows	r;
	struct mb_cred		c;
	int			rc;

	p.n = 0;
	mb_pg__p_int(&p, user_id);
	if ((rc = mb_pg__query(PG(st), "SELECT " MB_STORE_CRED_COLS " FROM "
	    "credentials c JOIN users u ON u.id = c.user_id WHERE $1 = 0 OR "
	    "c.user_id = $1 ORDER BY c.created_ms, c.hash", &p, false, &r,
	    d)) != MB_OK)
		return rc;
	while (rc == MB_OK && mb_pg__next(&r, &mb_store__cred_cols, &c))
		rc = cb(&c, arg);
	return mb_pg__end(&r, rc);
}

static int
cred_delete_user(struct mb_store *st, int64_t user_id, const char *kind,
    struct mb_diag *d)
{
	struct mb_pg_params p;

	p.n = 0;
	mb_pg__p_int(&p, user_id);
	mb_pg__p_text(&p, kind);
	return mb_pg__run(PG(st), "DELETE FROM credentials WHERE user_id = $1 "
	    "AND ($2::text IS NULL OR kind = $2)", &p, false, NULL, d);
}

static int
author_set(struct mb_store *st, const char *uri, int64_t user_id,
    struct mb_diag *d)
{
	struct mb_pg_params p;

	p.n = 0;
	mb_pg__p_text(&p, uri);
	mb_pg__p_int(&p, user_id);
	return mb_pg__run(PG(st), "INSERT INTO item_authors (uri, user_id) "
	    "VALUES ($1, $2) ON CONFLICT (uri) DO NOTHING", &p, false, NULL, d);
}

static int
author_get(struct mb_store *st, const char *uri, int64_t *user_id,
    struct mb_diag *d)
{
	struct mb_pg_params	p;
	struct mb_pg_rows	r;
	int			rc;

	p.n = 0;
	mb_pg__p_text(&p, uri);
	if ((rc = mb_pg__query(PG(st), "SELECT user_id FROM item_authors WHERE "
	    "uri = $1", &p, false, &r, d)) != MB_OK)
		return rc;
	if (mb_pg__next(&r, NULL, NULL))
		*user_id = mb_pg__i64(r.res, r.row, 0);
	else
		rc = MB_ERR_NOTFOUND;
	return mb_pg__end(&r, rc);
}

static int
version_author_set(struct mb_store *st, const char *uri, int64_t version,
    int64_t user_id, struct mb_diag *d)
{
	struct mb_pg_params p;

	p.n = 0;
	mb_pg__p_text(&p, uri);
	mb_pg__p_int(&p, version);
	mb_pg__p_int(&p, user_id);
	return mb_pg__run(PG(st), "INSERT INTO accounts_version_authors (uri, "
	    "version, user_id) VALUES ($1, $2, $3) ON CONFLICT (uri, version) "
	    "DO NOTHING", &p, false, NULL, d);
}

static int
version_authors(struct mb_store *st, const char *uri,
    int (*cb)(const struct mb_version_author *va, void *arg), void *arg,
    struct mb_diag *d)
{
	struct mb_pg_params		p;
	struct mb_pg_rows		r;
	struct mb_version_author	va;
	int				rc;

	p.n = 0;
	mb_pg__p_text(&p, uri);
	if ((rc = mb_pg__query(PG(st), "SELECT " MB_STORE_VA_COLS " FROM "
	    "accounts_version_authors a JOIN users u ON u.id = a.user_id "
	    "WHERE a.uri = $1 ORDER BY a.version DESC", &p, false, &r, d)) !=
	    MB_OK)
		return rc;
	while (rc == MB_OK && mb_pg__next(&r, &mb_store__va_cols, &va))
		rc = cb(&va, arg);
	return mb_pg__end(&r, rc);
}

const struct mb_store_accounts_ops mb_pg_accounts = {
	.user_add = user_add,
	.user_get = user_get,
	.user_update = user_update,
	.user_list = user_list,
	.cred_add = cred_add,
	.cred_user = cred_user,
	.cred_delete = cred_delete,
	.user_disable = user_disable,
	.cred_list = cred_list,
	.cred_delete_user = cred_delete_user,
	.author_set = author_set,
	.author_get = author_get,
	.version_author_set = version_author_set,
	.version_authors = version_authors,
};
