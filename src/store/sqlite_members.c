/* SPDX-License-Identifier: MIT */
/* The members domain on SQLite: the member records of this center. */
#include "sqlite_int.h"

#include <stdlib.h>
#include <string.h>

#include "base/timeutil.h"
#include "store/members_int.h"

const char *const mb_sqlite_members_migrations[] = {
	/* 1 */
	"CREATE TABLE members ("
	"  id INTEGER PRIMARY KEY,"
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
	"  created_ms INTEGER NOT NULL,"
	"  updated_ms INTEGER NOT NULL);"
	"CREATE INDEX members_by_name ON members (name);",
	/* 2: the photo, a ninjs association the profile carries. */
	"ALTER TABLE members ADD COLUMN photo TEXT NOT NULL DEFAULT '';",
	NULL
};

/* Binds the fields of m from ?1 (uri) to ?12 (status); "" user is NULL. */
static void
bind_member(sqlite3_stmt *s, const struct mb_member *m)
{
	sqlite3_bind_text(s, 1, m->uri, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, m->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, m->category, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, m->country, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, m->languages, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 6, m->affiliation, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 7, m->bio[0] != '\0' ? m->bio : "{}", -1,
	    SQLITE_STATIC);
	sqlite3_bind_text(s, 8, m->audience, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 9, m->email, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 10, m->phone, -1, SQLITE_STATIC);
	mb_sqlite__bind_text(s, 11, m->user[0] != '\0' ? m->user : NULL);
	sqlite3_bind_text(s, 12, m->status[0] != '\0' ? m->status : "active",
	    -1, SQLITE_STATIC);
}

static int
add(struct mb_store *st, const struct mb_member *m, int64_t *id,
    struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int64_t			changed = 0, now = mb_time_now_ms();
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "INSERT INTO members (uri, name, "
	    "category, country, languages, affiliation, bio, audience, email, "
	    "phone, user_name, status, created_ms, updated_ms) VALUES (?1, ?2, "
	    "?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13) "
	    "ON CONFLICT DO NOTHING", &r, "member", d)) != MB_OK)
		return rc;
	bind_member(r.s, m);
	sqlite3_bind_int64(r.s, 13, now);
	if ((rc = mb_sqlite__done(&r, &changed, d)) != MB_OK)
		return rc;
	if (changed == 0)
		return mb_diag_set(d, MB_ERR_EXISTS, "member: the profile %s "
		    "or the account %s already has a member", m->uri,
		    m->user[0] != '\0' ? m->user : "-");
	if (id != NULL)
		*id = sqlite3_last_insert_rowid(SQ(st)->db);
	return MB_OK;
}

static int
get(struct mb_store *st, int64_t id, const char *uri, const char *user,
    struct mb_member *out, struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), id != 0 ?
	    "SELECT " MB_STORE_MEMBER_COLS " FROM members WHERE id = ?1" :
	    uri != NULL ?
	    "SELECT " MB_STORE_MEMBER_COLS " FROM members WHERE uri = ?2" :
	    "SELECT " MB_STORE_MEMBER_COLS " FROM members WHERE "
	    "user_name = ?3", &r, "member", d)) != MB_OK)
		return rc;
	if (id != 0)
		sqlite3_bind_int64(r.s, 1, id);
	else if (uri != NULL)
		sqlite3_bind_text(r.s, 2, uri, -1, SQLITE_STATIC);
	else
		mb_sqlite__bind_text(r.s, 3, user);
	if ((rc = mb_sqlite__one(&r, &mb_store__member_cols, out, d)) ==
	    MB_ERR_NOTFOUND)
		return mb_diag_set(d, rc, "member: no such member");
	return rc;
}

static int
update(struct mb_store *st, const struct mb_member *m, struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int64_t			changed = 0;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "UPDATE members SET uri = ?1, "
	    "name = ?2, category = ?3, country = ?4, languages = ?5, "
	    "affiliation = ?6, bio = ?7, audience = ?8, email = ?9, "
	    "phone = ?10, user_name = ?11, status = ?12, updated_ms = ?13 "
	    "WHERE id = ?14", &r, "member", d)) != MB_OK)
		return rc;
	bind_member(r.s, m);
	sqlite3_bind_int64(r.s, 13, mb_time_now_ms());
	sqlite3_bind_int64(r.s, 14, m->id);
	if ((rc = mb_sqlite__done(&r, &changed, d)) != MB_OK)
		return rc;
	if (changed == 0)
		return mb_diag_set(d, MB_ERR_NOTFOUND, "member %lld: no such "
		    "member", (long long)m->id);
	return MB_OK;
}

static int
list(struct mb_store *st, const struct mb_store_member_filter *f,
    int (*cb)(const struct mb_member *m, void *arg), void *arg,
    struct mb_diag *d)
{
	struct mb_sqlite_rows	 r;
	struct mb_member	*m;
	int			 rc;

	if ((rc = mb_sqlite__query(SQ(st), "SELECT " MB_STORE_MEMBER_COLS
	    " FROM members WHERE (?1 IS NULL OR status = ?1) AND "
	    "(?2 IS NULL OR category = ?2) AND (?3 IS NULL OR country = ?3) "
	    "ORDER BY name, id", &r, "member", d)) != MB_OK)
		return rc;
	if (f != NULL) {
		mb_sqlite__bind_text(r.s, 1, f->status);
		mb_sqlite__bind_text(r.s, 2, f->category);
		mb_sqlite__bind_text(r.s, 3, f->country);
	}
	/* A member is 5 KB: on the heap, not on a request thread's stack. */
	if ((m = malloc(sizeof(*m))) == NULL) {
		mb_sqlite__end(&r, MB_OK, NULL);
		return mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
	}
	while (rc == MB_OK && mb_sqlite__next(&r, &mb_store__member_cols, m))
		rc = cb(m, arg);
	free(m);
	return mb_sqlite__end(&r, rc, d);
}

static int
photo_get(struct mb_store *st, int64_t id, char **out, struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int			rc;

	*out = NULL;
	if ((rc = mb_sqlite__query(SQ(st), "SELECT photo FROM members WHERE "
	    "id = ?1", &r, "member", d)) != MB_OK)
		return rc;
	sqlite3_bind_int64(r.s, 1, id);
	if (mb_sqlite__next(&r, NULL, NULL)) {
		const char *t = (const char *)sqlite3_column_text(r.s, 0);

		if ((*out = strdup(t != NULL ? t : "")) == NULL)
			rc = mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
	} else {
		rc = MB_ERR_NOTFOUND;
	}
	rc = mb_sqlite__end(&r, rc, d);
	if (rc == MB_ERR_NOTFOUND)
		return mb_diag_set(d, rc, "member %lld: no such member",
		    (long long)id);
	return rc;
}

static int
photo_set(struct mb_store *st, int64_t id, const char *photo,
    struct mb_diag *d)
{
	struct mb_sqlite_rows	r;
	int64_t			changed = 0;
	int			rc;

	if ((rc = mb_sqlite__query(SQ(st), "UPDATE members SET photo = ?1, "
	    "updated_ms = ?2 WHERE id = ?3", &r, "member", d)) != MB_OK)
		return rc;
	sqlite3_bind_text(r.s, 1, photo, -1, SQLITE_STATIC);
	sqlite3_bind_int64(r.s, 2, mb_time_now_ms());
	sqlite3_bind_int64(r.s, 3, id);
	if ((rc = mb_sqlite__done(&r, &changed, d)) != MB_OK)
		return rc;
	if (changed == 0)
		return mb_diag_set(d, MB_ERR_NOTFOUND, "member %lld: no such "
		    "member", (long long)id);
	return MB_OK;
}

const struct mb_store_members_ops mb_sqlite_members = {
	.add = add, .get = get, .update = update, .list = list,
	.photo_get = photo_get, .photo_set = photo_set,
};
