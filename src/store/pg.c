/* SPDX-License-Identifier: MIT */
/* The PostgreSQL backend: connection, statements, migrations, transactions, row walks. */
#include "pg_int.h"

#include <endian.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "base/log.h"
#include "base/timeutil.h"
#include "base/utf8.h"

const struct mb_sql_dialect mb_pg_dialect = {
	MB_STORE_PG,
	"lower(split_part(i.language, '-', 1))",
};

/* Type OIDs of the parameters we send (pg_type.h is server-side only). */
#define OID_BOOL	16
#define OID_BYTEA	17
#define OID_INT8	20
#define OID_TEXT	25

/* Statements prepared on this connection, by their (static) SQL text. */
#define PG_CACHE	64

/* Serializes migrations across processes: any fixed 64-bit number. */
#define MIGRATE_LOCK	"7236016178716353281"

/* The handle: a struct mb_store (store_int.h) that is one of these. */
struct mb_pg {
	struct mb_store	 base;
	PGconn		*conn;
	int		 in_txn;
	int		 schema_version;
	int		 ncached;
	const char	*cached[PG_CACHE];
	int		 nlocks;	/* advisory locks held (pg_shared.c) */
};

struct mb_pg_res {
	PGresult	*r;
};

/* ---- parameters and results ----------------------------------------- */

static void
p_add(struct mb_pg_params *p, const char *v, int len, int fmt, unsigned type)
{
	if (p->n == MB_PG_MAXP)
		abort();	/* a broken invariant: our SQL, our count */
	p->v[p->n] = v;
	p->len[p->n] = len;
	p->fmt[p->n] = fmt;
	p->type[p->n] = type;
	p->n++;
}

void
mb_pg__p_text(struct mb_pg_params *p, const char *s)
{
	p_add(p, s, 0, 0, OID_TEXT);
}

void
mb_pg__p_int(struct mb_pg_params *p, int64_t v)
{
	if (p->n == MB_PG_MAXP)
		abort();
	snprintf(p->num[p->n], sizeof(p->num[0]), "%lld", (long long)v);
	p_add(p, p->num[p->n], 0, 0, OID_INT8);
}

void
mb_pg__p_bool(struct mb_pg_params *p, bool v)
{
	p_add(p, v ? "t" : "f", 0, 0, OID_BOOL);
}

void
mb_pg__p_bytes(struct mb_pg_params *p, const void *b, size_t n)
{
	/* A zero-length binary value must still be non-NULL. */
	p_add(p, b != NULL ? b : "", (int)n, 1, OID_BYTEA);
}

int
mb_pg__nrows(const struct mb_pg_res *r)
{
	return r != NULL ? PQntuples(r->r) : 0;
}

bool
mb_pg__null(const struct mb_pg_res *r, int row, int col)
{
	return PQgetisnull(r->r, row, col);
}

int64_t
mb_pg__i64(const struct mb_pg_res *r, int row, int col)
{
	const unsigned char	*p;
	uint64_t		 u = 0;
	int			 n;

	if (PQgetisnull(r->r, row, col))
		return 0;
	p = (const unsigned char *)PQgetvalue(r->r, row, col);
	n = PQgetlength(r->r, row, col);
	/* Big-endian int8, int4, int2 or a one-byte bool. */
	for (int i = 0; i < n && i < 8; i++)
		u = u << 8 | p[i];
	if (n == 4)
		return (int32_t)(uint32_t)u;
	if (n == 2)
		return (int16_t)(uint16_t)u;
	return (int64_t)u;
}

double
mb_pg__f64(const struct mb_pg_res *r, int row, int col)
{
	const unsigned char	*p;
	uint64_t		 u = 0;
	int			 n;

	if (PQgetisnull(r->r, row, col))
		return 0;
	p = (const unsigned char *)PQgetvalue(r->r, row, col);
	n = PQgetlength(r->r, row, col);
	for (int i = 0; i < n && i < 8; i++)
		u = u << 8 | p[i];
	if (n == 4) {
		uint32_t	u32 = (uint32_t)u;
		float		f;

		memcpy(&f, &u32, sizeof(f));
		return f;
	} else {
		double	f;

		memcpy(&f, &u, sizeof(f));
		return f;
	}
}

const char *
mb_pg__str(const struct mb_pg_res *r, int row, int col)
{
	/* libpq ends every value with a NUL, binary ones too. */
	if (PQgetisnull(r->r, row, col))
		return NULL;
	return PQgetvalue(r->r, row, col);
}

const char *
mb_pg__bytes(const struct mb_pg_res *r, int row, int col, size_t *len)
{
	*len = (size_t)PQgetlength(r->r, row, col);
	return PQgetvalue(r->r, row, col);
}

void
mb_pg__copy(char *dst, size_t n, const struct mb_pg_res *r, int row, int col)
{
	const char *v = mb_pg__str(r, row, col);

	snprintf(dst, n, "%s", v != NULL ? v : "");
}

void
mb_pg__free(struct mb_pg_res *r)
{
	if (r == NULL)
		return;
	PQclear(r->r);
	free(r);
}

int64_t
mb_pg__affected(const struct mb_pg_res *r)
{
	const char *s = PQcmdTuples(r->r);

	return s[0] != '\0' ? strtoll(s, NULL, 10) : 0;
}

void *
mb_pg__conn(struct mb_pg *pg)
{
	return pg->conn;
}

void
mb_pg__locks(struct mb_pg *pg, int delta)
{
	pg->nlocks += delta;
	if (pg->nlocks < 0)
		pg->nlocks = 0;
}

bool
mb_pg__in_txn(const struct mb_pg *pg)
{
	return pg->in_txn != 0;
}

/* ---- running statements --------------------------------------------- */

/* Maps a failed result to MB_ERR_* with the server's message in d. */
static int
pg_err(struct mb_pg *pg, PGresult *r, struct mb_diag *d, const char *what)
{
	const char	*state = r != NULL ?
	    PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	const char	*msg = r != NULL ? PQresultErrorMessage(r) : "";
	char		 m[400], *c;
	size_t		 n;

	if (msg == NULL || msg[0] == '\0')
		msg = PQerrorMessage(pg->conn);
	snprintf(m, sizeof(m), "%s", msg);
	/*
	 * Not the server's CONTEXT (the PL/pgSQL and SQL lines that failed):
	 * the message reaches users (peer list's last error, a 500).
	 */
	if ((c = strstr(m, "\nCONTEXT:")) != NULL)
		*c = '\0';
	n = strlen(m);
	while (n > 0 && (m[n - 1] == '\n' || m[n - 1] == ' '))
		m[--n] = '\0';
	if (state != NULL && (strcmp(state, "40001") == 0 ||
	    strcmp(state, "40P01") == 0 || strcmp(state, "55P03") == 0))
		return mb_diag_set(d, MB_ERR_AGAIN, "store: %s: %s", what, m);
	/* disk_full, out_of_memory's neighbour: 507 at the edge. */
	if (state != NULL && strcmp(state, "53100") == 0)
		return mb_diag_set(d, MB_ERR_NOSPACE, "store: %s: the disk is "
		    "full: %s", what, m);
	if (state != NULL && strcmp(state, "23505") == 0)
		return mb_diag_set(d, MB_ERR_EXISTS, "store: %s: %s", what, m);
	if (state != NULL && strncmp(state, "XX", 2) == 0)
		return mb_diag_set(d, MB_ERR_CORRUPT, "store: %s: %s", what, m);
	return mb_diag_set(d, MB_ERR_STORE, "store: %s: %s", what, m);
}

static int
cache_slot(struct mb_pg *pg, const char *sql)
{
	for (int i = 0; i < pg->ncached; i++)
		if (pg->cached[i] == sql)
			return i;
	return -1;
}

/*
 * Reopens a lost connection. Session locks went with the old one: say so
 * (MB_ERR_AGAIN) rather than go on as if still holding them; a puller
 * takes its peer's lock again before it pulls.
 */
static int
reconnect(struct mb_pg *pg, struct mb_diag *d)
{
	log_warn("store: postgresql connection lost, reconnecting");
	PQreset(pg->conn);
	pg->ncached = 0;
	if (PQstatus(pg->conn) != CONNECTION_OK)
		return mb_diag_set(d, MB_ERR_STORE, "store: postgresql: %s",
		    PQerrorMessage(pg->conn));
	if (pg->nlocks > 0) {
		pg->nlocks = 0;
		return mb_diag_set(d, MB_ERR_AGAIN, "store: postgresql "
		    "connection lost, and the locks it held");
	}
	return MB_OK;
}

static PGresult *
exec_once(struct mb_pg *pg, const char *sql, const struct mb_pg_params *p,
    bool cache)
{
	static const struct mb_pg_params	none;
	char					name[16];
	int					slot;
	PGresult				*r;

	if (p == NULL)
		p = &none;
	if (!cache || (slot = cache_slot(pg, sql)) < 0) {
		if (!cache || pg->ncached == PG_CACHE)
			return PQexecParams(pg->conn, sql, p->n, p->type,
			    p->v, p->len, p->fmt, 1);
		slot = pg->ncached;
		snprintf(name, sizeof(name), "mb%d", slot);
		r = PQprepare(pg->conn, name, sql, p->n, p->type);
		if (PQresultStatus(r) != PGRES_COMMAND_OK)
			return r;
		PQclear(r);
		pg->cached[pg->ncached++] = sql;
	}
	snprintf(name, sizeof(name), "mb%d", slot);
	return PQexecPrepared(pg->conn, name, p->n, p->v, p->len, p->fmt, 1);
}

int
mb_pg__run(struct mb_pg *pg, const char *sql, const struct mb_pg_params *p,
    bool cache, struct mb_pg_res **res, struct mb_diag *d)
{
	struct mb_pg_res	*out;
	PGresult		*r;
	ExecStatusType		 s;
	int			 rc;

	r = exec_once(pg, sql, p, cache);
	/*
	 * A connection lost between transactions (the server restarted, a
	 * proxy closed it) is reopened once; inside a transaction the work
	 * is lost and the caller must start over.
	 */
	if (PQstatus(pg->conn) == CONNECTION_BAD && !pg->in_txn) {
		PQclear(r);
		if ((rc = reconnect(pg, d)) != MB_OK)
			return rc;
		r = exec_once(pg, sql, p, cache);
	}
	s = PQresultStatus(r);
	if (s != PGRES_TUPLES_OK && s != PGRES_COMMAND_OK) {
		rc = pg_err(pg, r, d, "postgresql");
		PQclear(r);
		return rc;
	}
	if (res == NULL) {
		PQclear(r);
		return MB_OK;
	}
	if ((out = malloc(sizeof(*out))) == NULL) {
		PQclear(r);
		return MB_ERR_NOMEM;
	}
	out->r = r;
	*res = out;
	return MB_OK;
}

static int
simple(struct mb_pg *pg, const char *sql, struct mb_diag *d)
{
	PGresult	*r = PQexec(pg->conn, sql);
	int		 rc = MB_OK;

	if (PQresultStatus(r) != PGRES_COMMAND_OK &&
	    PQresultStatus(r) != PGRES_TUPLES_OK)
		rc = pg_err(pg, r, d, "postgresql");
	PQclear(r);
	return rc;
}

/* ---- open, migrate, close, transactions ----------------------------- */

/* Notices (an empty tsquery, say) are not the operator's business. */
static void
quiet(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

static int
migrate(struct mb_pg *pg, bool readonly, struct mb_diag *d)
{
	struct mb_pg_res	*r = NULL;
	char			 sql[96];
	int			 have, from, want = 0, rc;

	while (mb_pg_migrations[want] != NULL)
		want++;
	if ((rc = simple(pg, "BEGIN", d)) != MB_OK)
		return rc;
	if (!readonly && ((rc = simple(pg, "SELECT pg_advisory_xact_lock("
	    MIGRATE_LOCK ")", d)) != MB_OK ||
	    (rc = simple(pg, "CREATE TABLE IF NOT EXISTS mb_schema ("
	    "version INTEGER NOT NULL)", d)) != MB_OK))
		goto fail;
	if ((rc = mb_pg__run(pg, "SELECT coalesce((SELECT max(version) FROM "
	    "mb_schema), 0)", NULL, false, &r, d)) != MB_OK)
		goto fail;
	have = (int)mb_pg__i64(r, 0, 0);
	mb_pg__free(r);
	from = have;
	if (have > want) {
		rc = mb_diag_set(d, MB_ERR_UNSUPPORTED,
		    "store: schema version %d is newer than this program's "
		    "(%d); upgrade mediabridge", have, want);
		goto fail;
	}
	if (readonly && have < want) {
		rc = mb_diag_set(d, MB_ERR_UNSUPPORTED, "store: schema version "
		    "%d needs migrating; open it read-write once", have);
		goto fail;
	}
	for (; have < want; have++) {
		if ((rc = simple(pg, mb_pg_migrations[have], d)) != MB_OK) {
			mb_diag_prefix(d, "migration %d", have + 1);
			goto fail;
		}
		snprintf(sql, sizeof(sql), "DELETE FROM mb_schema; INSERT INTO "
		    "mb_schema VALUES (%d)", have + 1);
		if ((rc = simple(pg, sql, d)) != MB_OK)
			goto fail;
	}
	if (from > 0 && from < want)
		log_info("store: migrated backend=postgresql schema=%d to=%d",
		    from, want);
	pg->schema_version = want;
	return simple(pg, "COMMIT", d);
fail:
	simple(pg, "ROLLBACK", NULL);
	return rc;
}


/* Locations that are PostgreSQL databases: postgres[ql]://... */
static bool
pg_accepts(const char *location)
{
	return strncmp(location, "postgresql://", 13) == 0 ||
	    strncmp(location, "postgres://", 11) == 0;
}

static void pg_close(struct mb_store *st);

static int
pg_open(const char *url, const struct mb_store_opts *opts,
    struct mb_store **out, struct mb_diag *d)
{
	struct mb_pg	*pg;
	bool		 ro = opts != NULL && opts->readonly;
	int		 rc;

	if ((pg = calloc(1, sizeof(*pg))) == NULL)
		return MB_ERR_NOMEM;
	pg->base.ops = &mb_pg_ops;
	if ((pg->conn = PQconnectdb(url)) == NULL) {
		free(pg);
		return MB_ERR_NOMEM;
	}
	if (PQstatus(pg->conn) != CONNECTION_OK) {
		char	m[300];
		size_t	n;

		/* The message never holds the password; the URL might. */
		snprintf(m, sizeof(m), "%s", PQerrorMessage(pg->conn));
		n = strlen(m);
		while (n > 0 && (m[n - 1] == '\n' || m[n - 1] == ' '))
			m[--n] = '\0';
		rc = mb_diag_set(d, MB_ERR_STORE, "store: postgresql: %s", m);
		goto fail;
	}
	PQsetNoticeProcessor(pg->conn, quiet, NULL);
	if (PQclientEncoding(pg->conn) != 6 /* PG_UTF8 */ &&
	    PQsetClientEncoding(pg->conn, "UTF8") != 0) {
		rc = mb_diag_set(d, MB_ERR_STORE,
		    "store: postgresql: cannot use UTF-8");
		goto fail;
	}
	if ((rc = simple(pg, "SET client_min_messages = warning", d)) !=
	    MB_OK)
		goto fail;
	if (ro && (rc = simple(pg, "SET default_transaction_read_only = on",
	    d)) != MB_OK)
		goto fail;
	if ((rc = migrate(pg, ro, d)) != MB_OK)
		goto fail;
	*out = &pg->base;
	return MB_OK;
fail:
	pg_close(&pg->base);
	return rc;
}

static void
pg_close(struct mb_store *st)
{
	struct mb_pg *pg = PG(st);

	if (pg->in_txn)
		simple(pg, "ROLLBACK", NULL);
	PQfinish(pg->conn);
	free(pg);
}

static int
pg_schema_version(struct mb_store *st)
{
	return PG(st)->schema_version;
}

int
mb_pg__begin_plain(struct mb_pg *pg, struct mb_diag *d)
{
	int rc;

	if (pg->in_txn)
		return mb_diag_set(d, MB_ERR_STORE,
		    "store: transaction already open");
	if (PQstatus(pg->conn) == CONNECTION_BAD &&
	    (rc = reconnect(pg, d)) != MB_OK)
		return rc;
	if ((rc = simple(pg, "BEGIN", d)) == MB_OK)
		pg->in_txn = 1;
	return rc;
}

int
mb_pg_begin(struct mb_store *st, struct mb_diag *d)
{
	struct mb_pg	*pg = PG(st);
	int		 rc;

	/*
	 * The write lock at once, as SQLite's BEGIN IMMEDIATE takes it
	 * (store.h): the log counter's row, which every append locks
	 * anyway. Callers rely on it: the items API reads the current
	 * version, checks If-Match and writes the next one in one
	 * transaction, and two editors racing must see 200 and 412.
	 */
	if ((rc = mb_pg__begin_plain(pg, d)) != MB_OK)
		return rc;
	if ((rc = simple(pg, "SELECT 1 FROM log_counter WHERE id = 1 FOR "
	    "UPDATE", d)) != MB_OK)
		mb_pg__rollback(pg);
	return rc;
}

int
mb_pg__commit(struct mb_pg *pg, struct mb_diag *d)
{
	PGresult	*r;
	int		 rc = MB_OK;

	if (!pg->in_txn)
		return mb_diag_set(d, MB_ERR_STORE, "store: no transaction");
	r = PQexec(pg->conn, "COMMIT");
	/* COMMIT of a failed transaction answers ROLLBACK, not an error. */
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		rc = pg_err(pg, r, d, "commit");
	else if (strcmp(PQcmdStatus(r), "ROLLBACK") == 0)
		rc = mb_diag_set(d, MB_ERR_STORE,
		    "store: commit: the transaction had failed");
	PQclear(r);
	pg->in_txn = 0;
	return rc;
}

void
mb_pg__rollback(struct mb_pg *pg)
{
	if (!pg->in_txn)
		return;
	simple(pg, "ROLLBACK", NULL);
	pg->in_txn = 0;
}

int
mb_pg_commit(struct mb_store *st, struct mb_diag *d)
{
	return mb_pg__commit(PG(st), d);
}

void
mb_pg_rollback(struct mb_store *st)
{
	mb_pg__rollback(PG(st));
}

/* ---- domain migrations (domain.c) ------------------------------------ */

static int
pg_mig_begin(struct mb_store *st, struct mb_diag *d)
{
	struct mb_pg	*pg = PG(st);
	int		 rc;

	/* The lock the core's migrations take: one migrator at a time. */
	if ((rc = mb_pg__begin_plain(pg, d)) != MB_OK)
		return rc;
	if ((rc = simple(pg, "SELECT pg_advisory_xact_lock(" MIGRATE_LOCK ")",
	    d)) != MB_OK)
		mb_pg__rollback(pg);
	return rc;
}

static int
pg_mig_end(struct mb_store *st, bool commit, struct mb_diag *d)
{
	if (commit)
		return mb_pg__commit(PG(st), d);
	mb_pg__rollback(PG(st));
	return MB_OK;
}

static int
pg_exec(struct mb_store *st, const char *sql, struct mb_diag *d)
{
	return simple(PG(st), sql, d);
}

static int
pg_domain_version(struct mb_store *st, const char *domain, int *version,
    struct mb_diag *d)
{
	struct mb_pg_params	p;
	struct mb_pg_rows	r;
	int			rc;

	p.n = 0;
	mb_pg__p_text(&p, domain);
	*version = 0;
	if ((rc = mb_pg__query(PG(st), "SELECT version FROM schema_domains "
	    "WHERE domain = $1", &p, false, &r, d)) != MB_OK)
		return rc;
	if (mb_pg__next(&r, NULL, NULL))
		*version = (int)mb_pg__i64(r.res, r.row, 0);
	return mb_pg__end(&r, MB_OK);
}

static int
pg_domain_version_set(struct mb_store *st, const char *domain, int version,
    struct mb_diag *d)
{
	struct mb_pg_params p;

	p.n = 0;
	mb_pg__p_text(&p, domain);
	mb_pg__p_int(&p, version);
	return mb_pg__run(PG(st), "INSERT INTO schema_domains (domain, "
	    "version) VALUES ($1, $2) ON CONFLICT (domain) DO UPDATE SET "
	    "version = excluded.version", &p, false, NULL, d);
}

/* ---- row walks --------------------------------------------------------- */

int
mb_pg__query(struct mb_pg *pg, const char *sql, const struct mb_pg_params *p,
    bool cache, struct mb_pg_rows *r, struct mb_diag *d)
{
	int rc;

	r->res = NULL;
	r->row = -1;
	r->n = 0;
	if ((rc = mb_pg__run(pg, sql, p, cache, &r->res, d)) != MB_OK)
		return rc;
	r->n = mb_pg__nrows(r->res);
	return MB_OK;
}

bool
mb_pg__next(struct mb_pg_rows *r, const struct mb_store_cols *cols,
    void *out)
{
	if (r->row + 1 >= r->n)
		return false;
	r->row++;
	if (cols != NULL)
		mb_pg__fill(r->res, r->row, 0, cols, out);
	return true;
}

int
mb_pg__end(struct mb_pg_rows *r, int rc)
{
	mb_pg__free(r->res);
	r->res = NULL;
	return rc > 0 ? MB_OK : rc;
}

int
mb_pg__one(struct mb_pg *pg, const char *sql, const struct mb_pg_params *p,
    bool cache, const struct mb_store_cols *cols, void *out,
    struct mb_diag *d)
{
	struct mb_pg_rows	r;
	int			rc;

	if ((rc = mb_pg__query(pg, sql, p, cache, &r, d)) != MB_OK)
		return rc;
	return mb_pg__end(&r, mb_pg__next(&r, cols, out) ? MB_OK :
	    MB_ERR_NOTFOUND);
}

void
mb_pg__fill(const struct mb_pg_res *r, int row, int at,
    const struct mb_store_cols *cols, void *out)
{
	memset(out, 0, cols->size);
	for (int i = 0; i < cols->n; i++) {
		const struct mb_store_col	*c = &cols->col[i];
		char				*f = (char *)out + c->off;
		const char			*t;
		size_t				 len;
		int64_t				 v;
		int				 k = at + i, iv;
		bool				 b;
		double				 x;

		switch (c->kind) {
		case MB_COL_INT:
			v = mb_pg__i64(r, row, k);
			if (c->size == sizeof(v)) {
				memcpy(f, &v, sizeof(v));
			} else {
				iv = (int)v;
				memcpy(f, &iv, sizeof(iv));
			}
			break;
		case MB_COL_BOOL:
			b = mb_pg__i64(r, row, k) != 0;
			memcpy(f, &b, sizeof(b));
			break;
		case MB_COL_REAL:
			x = mb_pg__f64(r, row, k);
			memcpy(f, &x, sizeof(x));
			break;
		case MB_COL_CHARS:
			mb_pg__copy(f, c->size, r, row, k);
			break;
		case MB_COL_STR:
			t = mb_pg__str(r, row, k);
			memcpy(f, &t, sizeof(t));
			break;
		case MB_COL_BYTES:
			t = mb_pg__bytes(r, row, k, &len);
			if (!mb_pg__null(r, row, k) && len == c->size)
				memcpy(f, t, c->size);
			break;
		}
	}
}

/* ---- text search helpers -------------------------------------------- */

const char *
mb_pg__tsconfig(const char *lang)
{
	/* The configurations migration 1 creates (pg_schema.c). */
	static const char *const map[][2] = {
		{ "ar", "mb_arabic" }, { "hy", "mb_armenian" },
		{ "eu", "mb_basque" }, { "ca", "mb_catalan" },
		{ "da", "mb_danish" }, { "nl", "mb_dutch" },
		{ "en", "mb_english" }, { "fi", "mb_finnish" },
		{ "fr", "mb_french" }, { "de", "mb_german" },
		{ "el", "mb_greek" }, { "hi", "mb_hindi" },
		{ "hu", "mb_hungarian" }, { "id", "mb_indonesian" },
		{ "ga", "mb_irish" }, { "it", "mb_italian" },
		{ "lt", "mb_lithuanian" }, { "ne", "mb_nepali" },
		{ "no", "mb_norwegian" }, { "nb", "mb_norwegian" },
		{ "nn", "mb_norwegian" }, { "pt", "mb_portuguese" },
		{ "ro", "mb_romanian" }, { "ru", "mb_russian" },
		{ "sr", "mb_serbian" }, { "es", "mb_spanish" },
		{ "sv", "mb_swedish" }, { "ta", "mb_tamil" },
		{ "tr", "mb_turkish" }, { "yi", "mb_yiddish" },
	};
	char	p[9];
	size_t	n = 0;

	if (lang == NULL)
		return "mb_simple";
	while (n < sizeof(p) - 1 && lang[n] != '\0' && lang[n] != '-' &&
	    lang[n] != '_') {
		char c = lang[n];

		p[n++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	p[n] = '\0';
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(map[i][0], p) == 0)
			return map[i][1];
	return "mb_simple";
}

static bool
is_cjk(unsigned c)
{
	return (c >= 0x3040 && c <= 0x30ff) ||	/* kana */
	    (c >= 0x3400 && c <= 0x4dbf) ||	/* CJK ext A */
	    (c >= 0x4e00 && c <= 0x9fff) ||	/* CJK unified */
	    (c >= 0xac00 && c <= 0xd7af) ||	/* Hangul */
	    (c >= 0xf900 && c <= 0xfaff) ||	/* compatibility */
	    (c >= 0x20000 && c <= 0x2ffff);	/* ext B and on */
}

/* ASCII punctuation: what PostgreSQL's parser may keep inside a token. */
static bool
is_punct(unsigned c)
{
	return c > 0x20 && c < 0x7f && !(c >= '0' && c <= '9') &&
	    !(c >= 'A' && c <= 'Z') && !(c >= 'a' && c <= 'z');
}

bool
mb_pg__needs_words(const char *s, size_t len)
{
	size_t		i = 0, n;
	unsigned	c;

	while (i < len) {
		if ((n = mb_utf8_decode(s + i, len - i, &c)) == 0)
			return false;
		/* Punctuation between a word's character and another. */
		if (is_cjk(c) || (is_punct(c) && i > 0 && i + 1 < len &&
		    (unsigned char)s[i - 1] > ' ' &&
		    !is_punct((unsigned char)s[i - 1]) &&
		    (unsigned char)s[i + 1] > ' '))
			return true;
		i += n;
	}
	return false;
}

int
mb_pg__words(const char *s, size_t len, bool tail, struct mb_buf *out)
{
	size_t		i = 0, n, prev = 0, prevn = 0;
	unsigned	c;
	int		run = 0, rc = MB_OK;

	mb_buf_reset(out);
	while (i < len) {
		if ((n = mb_utf8_decode(s + i, len - i, &c)) == 0) {
			n = 1;
			c = 0xfffd;
		}
		if (is_cjk(c)) {
			if (run == 0) {
				rc |= mb_buf_putc(out, ' ');
			} else {
				if (run > 1)
					rc |= mb_buf_putc(out, ' ');
				rc |= mb_buf_append(out, s + prev, prevn);
				rc |= mb_buf_append(out, s + i, n);
			}
			run++;
			prev = i;
			prevn = n;
		} else {
			if (run == 1 || (run > 1 && tail)) {
				rc |= mb_buf_putc(out, ' ');
				rc |= mb_buf_append(out, s + prev, prevn);
			}
			if (run > 0)
				rc |= mb_buf_putc(out, ' ');
			run = 0;
			if (is_punct(c))
				rc |= mb_buf_putc(out, ' ');
			else
				rc |= mb_buf_append(out, s + i, n);
		}
		i += n;
	}
	if (run == 1 || (run > 1 && tail)) {
		rc |= mb_buf_putc(out, ' ');
		rc |= mb_buf_append(out, s + prev, prevn);
	}
	if (mb_buf_putc(out, '\0') != MB_OK || rc != MB_OK)
		return MB_ERR_NOMEM;
	out->len--;
	return MB_OK;
}


/* ---- the table ----------------------------------------------------------- */

/*
 * A consistent copy of a PostgreSQL store is pg_dump's work (its own
 * snapshot, its own format, versions it knows): center/backup.c runs it.
 */
static int
pg_backup(struct mb_store *st, const char *path, struct mb_diag *d)
{
	(void)st;
	return mb_diag_set(d, MB_ERR_UNSUPPORTED, "store: postgresql: a "
	    "backup of %s is taken with pg_dump", path);
}

/*
 * Nothing to tidy: the GIN index's pending list is merged by
 * PostgreSQL's own vacuum.
 */
static int
pg_index_tidy(struct mb_store *st, int pages, bool *more, struct mb_diag *d)
{
	(void)st;
	(void)pages;
	(void)d;
	*more = false;
	return MB_OK;
}

/*
 * Nothing to hand back: PostgreSQL's pages live in the server's shared
 * buffers, and libpq keeps no cache between statements.
 */
static void
pg_idle(struct mb_store *st)
{
	(void)st;
}

/* Envelopes are kept as they come (TOAST compresses them): no packer. */
static int
pg_packer(struct mb_store *st, struct mb_zenv_packer **out,
    struct mb_diag *d)
{
	(void)st;
	(void)d;
	*out = NULL;
	return MB_OK;
}

const struct mb_store_ops mb_pg_ops = {
	.name = "postgresql",
	.backend = MB_STORE_PG,
	.param = '$',
	.accepts = pg_accepts,
	.open = pg_open,
	.close = pg_close,
	.schema_version = pg_schema_version,
	.begin = mb_pg_begin,
	.commit = mb_pg_commit,
	.rollback = mb_pg_rollback,
	.idle = pg_idle,
	.packer = pg_packer,
	.put = mb_pg_put,
	.get = mb_pg_get,
	.has = mb_pg_has,
	.log = mb_pg_log,
	.stats = mb_pg_stats,
	.check = mb_pg_check,
	.repair = mb_pg_repair,
	.repair_version = mb_pg_repair_version,
	.backup = pg_backup,
	.index_next = mb_pg_index_next,
	.index_tidy = pg_index_tidy,
	.index_peek = mb_pg_index_peek,
	.alias_get = mb_pg_alias_get,
	.alias_put = mb_pg_alias_put,
	.center_put = mb_pg_center_put,
	.center_get = mb_pg_center_get,
	.center_list = mb_pg_center_list,
	.peer_put = mb_pg_peer_put,
	.peer_get = mb_pg_peer_get,
	.peer_list = mb_pg_peer_list,
	.peer_advance = mb_pg_peer_advance,
	.peer_fail = mb_pg_peer_fail,
	.last_seq = mb_pg_last_seq,
	.registry_get = mb_pg_registry_get,
	.registry_put = mb_pg_registry_put,
	.list = mb_pg_list,
	.search = mb_pg_search,
	.translations = mb_pg_translations,
	.blob_put = mb_pg_blob_put,
	.blob_get = mb_pg_blob_get,
	.blob_delete = mb_pg_blob_delete,
	.blob_refs_set = mb_pg_blob_refs_set,
	.blob_cursor = mb_pg_blob_cursor,
	.blob_cursor_set = mb_pg_blob_cursor_set,
	.blob_unused = mb_pg_blob_unused,
	.blob_wanted = mb_pg_blob_wanted,
	.blob_each = mb_pg_blob_each,
	.center_keys = mb_pg_center_keys,
	.center_key_users = mb_pg_center_key_users,
	.listen = mb_pg_listen,
	.wait = mb_pg_wait,
	.try_lock = mb_pg_try_lock,
	.unlock = mb_pg_unlock,
	.mig_begin = pg_mig_begin,
	.mig_end = pg_mig_end,
	.exec = pg_exec,
	.domain_version = pg_domain_version,
	.domain_version_set = pg_domain_version_set,
	/* A target for mb_store_copy, not a source. */
	.copy_begin = mb_pg_copy_begin,
	.copy_row = mb_pg_copy_row,
	.copy_table_end = mb_pg_copy_table_end,
	.copy_end = mb_pg_copy_end,
};
