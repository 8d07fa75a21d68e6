/* SPDX-License-Identifier: MIT */
/* The members domain on PostgreSQL: the member records of this center. */
#include "pg_int.h"

#include <stdlib.h>
#include <string.h>

#include "base/timeutil.h"
#include "store/members_int.h"

const char *const mb_pg_members_migrations[] = {
	/* 1 */
	"CREATE TABLE members ("
	"  id BIGSERIAL PRIMARY KEY,"
	"  uri TEXT NOT NULL UNIQUE,"
	"  name TEXT NOT NULL,"
	"  category TEXT NOT NULL,"
	"  country TEXT NOT NULL,"
	"  languages TEXT NOT NULL,"
	"  affiliation TEXT NOT NULL DEFAULT '',"
	"  bio TEXT NOT NULL DEFAULT '{}',"
	"  audience TEXT NOT NULL,"
	"  email TEXT NOT NULL DEFAULT '',"
	"  phone TEXT NOT NULL DEFAULT '',"
	"  user_name TEXT UNIQUE,"
	"  status TEXT NOT NULL DEFAULT 'active',"
	"  created_ms BIGINT NOT NULL,"
	"  updated_ms BIGINT NOT NULL);"
	"CREATE INDEX members_by_name ON members (name COLLATE \"C\");",
	/* 2: the photo, a ninjs association the profile carries. */
	"ALTER TABLE members ADD COLUMN photo TEXT NOT NULL DEFAULT '';",
	NULL
};

/* The fields of m as $1 (uri) to $12 (status); "" user is NULL. */
static void
params_member(struct mb_pg_params *p, const struct mb_member *m)
{
	p->n = 0;
	mb_pg__p_text(p, m->uri);
	mb_pg__p_text(p, m->name);
	mb_pg__p_text(p, m->category);
	mb_pg__p_text(p, m->country);
	mb_pg__p_text(p, m->languages);
	mb_pg__p_text(p, m->affiliation);
	mb_pg__p_text(p, m->bio[0] != '\0' ? m->bio : "{}");
	mb_pg__p_text(p, m->audience);
	mb_pg__p_text(p, m->email);
	mb_pg__p_text(p, m->phone);
	mb_pg__p_text(p, m->user[0] != '\0' ? m->user : NULL);
	mb_pg__p_text(p, m->status[0] != '\0' ? m->status : "active");
}

static int
add(struct mb_store *st, const struct mb_member *m, int64_t *id,
    struct mb_diag *d)
{
	struct mb_pg_params	p;
	struct mb_pg_rows	r;
	int			rc;

	params_member(&p, m);
	mb_pg__p_int(&p, mb_time_now_ms());
	if ((rc = mb_pg__query(PG(st), "INSERT INTO members (uri, name, "
	    "category, country, languages, affiliation, bio, audience, email, "
	    "phone, user_name, status, created_ms, updated_ms) VALUES ($1, $2, "
	    "$3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) "
	    "ON CONFLICT DO NOTHING RETURNING id", &p, false, &r, d)) != MB_OK)
		return rc;
	if (!mb_pg__next(&r, NULL, NULL))
		rc = mb_diag_set(d, MB_ERR_EXISTS, "member: the profile %s "
		    "or the account %s already has a member", m->uri,
		    m->user[0] != '\0' ? m->user : "-");
	else if (id != NULL)
		*id = mb_pg__i64(r.res, r.row, 0);
	return mb_pg__end(&r, rc);
}

static int
get(struct mb_store *st, int64_t id, const char *uri, const char *user,
    struct mb_member *out, struct mb_diag *d)
{
	struct mb_pg_params	p;
	int			rc;

	p.n = 0;
	if (id != 0)
		mb_pg__p_int(&p, id);
	else
		mb_pg__p_text(&p, uri != NULL ? uri : user);
	rc = mb_pg__one(PG(st), id != 0 ?
	    "SELECT " MB_STORE_MEMBER_COLS " FROM members WHERE id = $1" :
	    uri != NULL ?
	    "SELECT " MB_STORE_MEMBER_COLS " FROM members WHERE uri = $1" :
	    "SELECT " MB_STORE_MEMBER_COLS " FROM members WHERE "
	    "user_name = $1", &p, false, &mb_store__member_cols, out, d);
	if (rc == MB_ERR_NOTFOUND)
		return mb_diag_set(d, rc, "member: no such member");
	return rc;
}

static int
update(struct mb_store *st, const struct mb_member *m, struct mb_diag *d)
{
	struct mb_pg_params	 p;
	struct mb_pg_res	*r;
	int			 rc;

	params_member(&p, m);
	mb_pg__p_int(&p, mb_time_now_ms());
	mb_pg__p_int(&p, m->id);
	if ((rc = mb_pg__run(PG(st), "UPDATE members SET uri = $1, "
	    "name = $2, category = $3, country = $4, languages = $5, "
	    "affiliation = $6, bio = $7, audience = $8, email = $9, "
	    "phone = $10, user_name = $11, status = $12, updated_ms = $13 "
	    "WHERE id = $14", &p, false, &r, d)) != MB_OK)
		return rc;
	if (mb_pg__affected(r) == 0)
		rc = mb_diag_set(d, MB_ERR_NOTFOUND, "member %lld: no such "
		    "member", (long long)m->id);
	mb_pg__free(r);
	return rc;
}

static int
list(struct mb_store *st, const struct mb_store_member_filter *f,
    int (*cb)(const struct mb_member *m, void *arg), void *arg,
    struct mb_diag *d)
{
	struct mb_pg_params	 p;
	struct mb_pg_rows	 r;
	struct mb_member	*m;
	int			 rc;

	p.n = 0;
	mb_pg__p_text(&p, f != NULL ? f->status : NULL);
	mb_pg__p_text(&p, f != NULL ? f->category : NULL);
	mb_pg__p_text(&p, f != NULL ? f->country : NULL);
	if ((rc = mb_pg__query(PG(st), "SELECT " MB_STORE_MEMBER_COLS
	    " FROM members WHERE ($1::text IS NULL OR status = $1) AND "
	    "($2::text IS NULL OR category = $2) AND ($3::text IS NULL OR "
	    "country = $3) ORDER BY name COLLATE \"C\", id", &p, false, &r,
	    d)) != MB_OK)
		return rc;
	if ((m = malloc(sizeof(*m))) == NULL) {
		mb_pg__end(&r, MB_OK);
		return mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
	}
	while (rc == MB_OK && mb_pg__next(&r, &mb_store__member_cols, m))
		rc = cb(m, arg);
	free(m);
	return mb_pg__end(&r, rc);
}

static int
photo_get(struct mb_store *st, int64_t id, char **out, struct mb_diag *d)
{
	struct mb_pg_params	p;
	struct mb_pg_rows	r;
	int			rc;

	*out = NULL;
	p.n = 0;
	mb_pg__p_int(&p, id);
	if ((rc = mb_pg__query(PG(st), "SELECT photo FROM members WHERE "
	    "id = $1", &p, false, &r, d)) != MB_OK)
		return rc;
	if (mb_pg__next(&r, NULL, NULL)) {
		if ((*out = strdup(mb_pg__str(r.res, r.row, 0) != NULL ?
		    mb_pg__str(r.res, r.row, 0) : "")) == NULL)
			rc = mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
	} else {
		rc = MB_ERR_NOTFOUND;
	}
	rc = mb_pg__end(&r, rc);
	if (rc == MB_ERR_NOTFOUND)
		return mb_diag_set(d, rc, "member %lld: no such member",
		    (long long)id);
	return rc;
}

static int
photo_set(struct mb_store *st, int64_t id, const char *photo,
    struct mb_diag *d)
{
	struct mb_pg_params	 p;
	struct mb_pg_res	*r;
	int			 rc;

	p.n = 0;
	mb_pg__p_text(&p, photo);
	mb_pg__p_int(&p, mb_time_now_ms());
	mb_pg__p_int(&p, id);
	if ((rc = mb_pg__run(PG(st), "UPDATE members SET photo = $1, "
	    "updated_ms = $2 WHERE id = $3", &p, false, &r, d)) != MB_OK)
		return rc;
	if (mb_pg__affected(r) == 0)
		rc = mb_diag_set(d, MB_ERR_NOTFOUND, "member %lld: no such "
		    "member", (long long)id);
	mb_pg__free(r);
	return rc;
}

const struct mb_store_members_ops mb_pg_members = {
	.add = add, .get = get, .update = update, .list = list,
	.photo_get = photo_get, .photo_set = photo_set,
};
