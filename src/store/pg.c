/* SPDX-License-Identifier: MIT */
/* The PostgreSQL backend: connection, statements, migrations, the log. */
#include "pg_int.h"

#include <endian.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "base/log.h"
#include "base/timeutil.h"
#include "base/utf8.h"

/* Type OIDs of the parameters we send (pg_type.h is server-side only). */
#define OID_BOOL	16
#define OID_BYTEA	17
#define OID_INT8	20
#define OID_TEXT	25

/* Statements prepared on this connection, by their (static) SQL text. */
#define PG_CACHE	64

/* Serializes migrations across processes: any fixed 64-bit number. */
#define MIGRATE_LOCK	"7236016178716353281"

struct mb_pg {
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

bool
mb_pg_is_url(const char *location)
{
	return strncmp(location, "postgresql://", 13) == 0 ||
	    strncmp(location, "postgres://", 11) == 0;
}

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
	char		 m[400];
	size_t		 n;

	if (msg == NULL || msg[0] == '\0')
		msg = PQerrorMessage(pg->conn);
	snprintf(m, sizeof(m), "%s", msg);
	n = strlen(m);
	while (n > 0 && (m[n - 1] == '\n' || m[n - 1] == ' '))
		m[--n] = '\0';
	if (state != NULL && (strcmp(state, "40001") == 0 ||
	    strcmp(state, "40P01") == 0 || strcmp(state, "55P03") == 0))
		return mb_diag_set(d, MB_ERR_AGAIN, "store: %s: %s", what, m);
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

int
mb_pg_open(const char *url, const struct mb_store_opts *opts,
    struct mb_pg **out, struct mb_diag *d)
{
	struct mb_pg	*pg;
	bool		 ro = opts != NULL && opts->readonly;
	int		 rc;

	if ((pg = calloc(1, sizeof(*pg))) == NULL)
		return MB_ERR_NOMEM;
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
	*out = pg;
	return MB_OK;
fail:
	mb_pg_close(pg);
	return rc;
}

void
mb_pg_close(struct mb_pg *pg)
{
	if (pg == NULL)
		return;
	if (pg->in_txn)
		simple(pg, "ROLLBACK", NULL);
	PQfinish(pg->conn);
	free(pg);
}

int
mb_pg_schema_version(struct mb_pg *pg)
{
	return pg->schema_version;
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
mb_pg_begin(struct mb_pg *pg, struct mb_diag *d)
{
	int rc;

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
		mb_pg_rollback(pg);
	return rc;
}

int
mb_pg_commit(struct mb_pg *pg, struct mb_diag *d)
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
mb_pg_rollback(struct mb_pg *pg)
{
	if (!pg->in_txn)
		return;
	simple(pg, "ROLLBACK", NULL);
	pg->in_txn = 0;
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

bool
mb_pg__has_cjk(const char *s, size_t len)
{
	size_t		i = 0, n;
	unsigned	c;

	while (i < len) {
		if ((n = mb_utf8_decode(s + i, len - i, &c)) == 0)
			return false;
		if (is_cjk(c))
			return true;
		i += n;
	}
	return false;
}

int
mb_pg__bigrams(const char *s, bool tail, struct mb_buf *out)
{
	size_t		len = strlen(s), i = 0, n, prev = 0, prevn = 0;
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

/* ---- items and the log ---------------------------------------------- */

static const char SQL_PUT[] = "SELECT mb_put($1, $2, $3, $4, $5, $6, $7, "
    "$8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18::regconfig, $19, "
    "$20, $21, $22, $23)";

/* Adds the text columns: configuration, text, and CJK-split text. */
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
	if (mb_pg__has_cjk(h, strlen(h))) {
		if (mb_pg__bigrams(h, true, hb) != MB_OK)
			return MB_ERR_NOMEM;
		mb_pg__p_text(p, mb_buf_cstr(hb));
	} else {
		mb_pg__p_text(p, NULL);
	}
	if (mb_pg__has_cjk(b, strlen(b))) {
		if (mb_pg__bigrams(b, true, bb) != MB_OK)
			return MB_ERR_NOMEM;
		mb_pg__p_text(p, mb_buf_cstr(bb));
	} else {
		mb_pg__p_text(p, NULL);
	}
	return MB_OK;
}

int
mb_pg_put(struct mb_pg *pg, const struct mb_store_version *v,
    const struct mb_store_text *text, int64_t *seq, struct mb_diag *d)
{
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
	v->subjects = NULL;
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

static const char SQL_GET_CURRENT[] = "SELECT " MB_PG_VERSION_COLS
    " FROM versions v WHERE v.seq = (SELECT seq FROM items WHERE uri = $1)";
static const char SQL_GET_VERSION[] = "SELECT " MB_PG_VERSION_COLS
    " FROM versions v WHERE v.uri = $1 AND v.version = $2";

int
mb_pg_get(struct mb_pg *pg, const char *uri, int64_t version,
    mb_store_version_cb cb, void *arg, struct mb_diag *d)
{
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
mb_pg_has(struct mb_pg *pg, const char *uri, int64_t version, bool *has,
    struct mb_diag *d)
{
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

static const char SQL_LOG[] = "SELECT " MB_PG_VERSION_COLS
    ", v.via FROM versions v WHERE v.seq > $1 ORDER BY v.seq LIMIT $2";

int
mb_pg_log(struct mb_pg *pg, int64_t after, int64_t limit,
    mb_store_version_cb cb, void *arg, struct mb_diag *d)
{
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
mb_pg_stats(struct mb_pg *pg, struct mb_store_stats *out, struct mb_diag *d)
{
	struct mb_pg_res	*r;
	int			 rc;

	if ((rc = mb_pg__run(pg, "SELECT (SELECT count(*) FROM items), "
	    "(SELECT count(*) FROM versions), "
	    "(SELECT coalesce(max(seq), 0) FROM versions), "
	    "(SELECT count(*) FROM fts_pending)", NULL, false, &r, d)) !=
	    MB_OK)
		return rc;
	memset(out, 0, sizeof(*out));
	out->items = mb_pg__i64(r, 0, 0);
	out->versions = mb_pg__i64(r, 0, 1);
	out->last_seq = mb_pg__i64(r, 0, 2);
	out->unindexed = mb_pg__i64(r, 0, 3);
	mb_pg__free(r);
	return MB_OK;
}

/* The invariants, each a query listing what breaks it. */
static const struct {
	const char *what;
	const char *sql;
} invariants[] = {
	{ "item does not point at its highest version",
	  "SELECT i.uri FROM items i WHERE i.seq IS DISTINCT FROM (SELECT "
	  "v.seq FROM versions v WHERE v.uri = i.uri ORDER BY v.version DESC "
	  "LIMIT 1)" },
	{ "item's facts differ from its current version",
	  "SELECT i.uri FROM items i JOIN versions v ON v.seq = i.seq WHERE "
	  "v.uri IS DISTINCT FROM i.uri OR v.version IS DISTINCT FROM "
	  "i.version OR v.audience IS DISTINCT FROM i.audience OR "
	  "v.pub_status IS DISTINCT FROM i.pub_status" },
	{ "version belongs to no item",
	  "SELECT v.uri FROM versions v WHERE NOT EXISTS (SELECT 1 FROM "
	  "items i WHERE i.uri = v.uri)" },
	{ "index row for no item",
	  "SELECT t.item_id::text FROM item_text t WHERE NOT EXISTS (SELECT 1 "
	  "FROM items i WHERE i.id = t.item_id)" },
	{ "log counter behind the log",
	  "SELECT 'log_counter' FROM log_counter c WHERE c.seq < (SELECT "
	  "coalesce(max(seq), 0) FROM versions)" },
};

int
mb_pg_check(struct mb_pg *pg,
    void (*report)(const char *problem, void *arg), void *arg,
    struct mb_diag *d)
{
	struct mb_pg_res	*r;
	char			 line[512];
	int			 bad = 0, rc;

	/*
	 * PostgreSQL checks its own pages as it reads them (and amcheck is
	 * the operator's tool); what is ours to check is the invariants.
	 */
	for (size_t i = 0; i < sizeof(invariants) / sizeof(invariants[0]);
	    i++) {
		if ((rc = mb_pg__run(pg, invariants[i].sql, NULL, false, &r,
		    d)) != MB_OK)
			return rc;
		for (int k = 0; k < mb_pg__nrows(r); k++) {
			const char *s = mb_pg__str(r, k, 0);

			bad++;
			snprintf(line, sizeof(line), "%s: %s",
			    s != NULL ? s : "?", invariants[i].what);
			if (report)
				report(line, arg);
		}
		mb_pg__free(r);
	}
	if (bad)
		return mb_diag_set(d, MB_ERR_CORRUPT,
		    "store: %d problem%s found", bad, bad == 1 ? "" : "s");
	return MB_OK;
}

static const char SQL_INDEX[] = "SELECT mb_index($1, $2::regconfig, $3, "
    "$4, $5, $6)";

int
mb_pg_index_next(struct mb_pg *pg, int64_t limit,
    int (*cb)(const struct mb_store_version *v, struct mb_store_text *t,
	void *arg), void *arg, int64_t *done, struct mb_diag *d)
{
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
	if ((rc = mb_pg__run(pg, "SELECT " MB_PG_VERSION_COLS ", i.id "
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
	if ((rc = mb_pg_commit(pg, d)) != MB_OK)
		return rc;
	*done = n;
	return MB_OK;
fail:
	mb_pg__free(r);
	mb_buf_free(&hb);
	mb_buf_free(&bb);
	mb_pg_rollback(pg);
	return rc;
}

/* ---- aliases and centers -------------------------------------------- */

int
mb_pg_alias_get(struct mb_pg *pg, const char *key, struct mb_buf *uri,
    struct mb_diag *d)
{
	struct mb_pg_params	 p;
	struct mb_pg_res	*r;
	int			 rc;

	p.n = 0;
	mb_pg__p_text(&p, key);
	if ((rc = mb_pg__run(pg, "SELECT uri FROM aliases WHERE key = $1", &p,
	    false, &r, d)) != MB_OK)
		return rc;
	if (mb_pg__nrows(r) == 0) {
		rc = MB_ERR_NOTFOUND;
	} else {
		mb_buf_reset(uri);
		rc = mb_buf_puts(uri, mb_pg__str(r, 0, 0));
	}
	mb_pg__free(r);
	return rc;
}

int
mb_pg_alias_put(struct mb_pg *pg, const char *key, const char *uri,
    struct mb_diag *d)
{
	struct mb_pg_params p;

	p.n = 0;
	mb_pg__p_text(&p, key);
	mb_pg__p_text(&p, uri);
	return mb_pg__run(pg, "INSERT INTO aliases (key, uri) VALUES ($1, $2) "
	    "ON CONFLICT (key) DO UPDATE SET uri = excluded.uri", &p, false,
	    NULL, d);
}

int
mb_pg_center_put(struct mb_pg *pg, const struct mb_center *c,
    struct mb_diag *d)
{
	struct mb_pg_params p;

	p.n = 0;
	mb_pg__p_text(&p, c->id);
	mb_pg__p_text(&p, c->name);
	mb_pg__p_text(&p, c->country);
	mb_pg__p_text(&p, c->languages);
	mb_pg__p_text(&p, c->url);
	mb_pg__p_bytes(&p, c->key, sizeof(c->key));
	mb_pg__p_text(&p, c->role);
	mb_pg__p_text(&p, c->status);
	mb_pg__p_int(&p, c->updated_ms ? c->updated_ms : mb_time_now_ms());
	return mb_pg__run(pg, "INSERT INTO centers (id, name, country, "
	    "languages, url, key, role, status, updated_ms) VALUES ($1, $2, "
	    "$3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO UPDATE SET "
	    "name = excluded.name, country = excluded.country, "
	    "languages = excluded.languages, url = excluded.url, "
	    "key = excluded.key, role = excluded.role, "
	    "status = excluded.status, updated_ms = excluded.updated_ms", &p,
	    false, NULL, d);
}

static void
row_to_center(const struct mb_pg_res *r, int i, struct mb_center *c)
{
	const char	*k;
	size_t		 klen;

	memset(c, 0, sizeof(*c));
	mb_pg__copy(c->id, sizeof(c->id), r, i, 0);
	mb_pg__copy(c->name, sizeof(c->name), r, i, 1);
	mb_pg__copy(c->country, sizeof(c->country), r, i, 2);
	mb_pg__copy(c->languages, sizeof(c->languages), r, i, 3);
	mb_pg__copy(c->url, sizeof(c->url), r, i, 4);
	k = mb_pg__bytes(r, i, 5, &klen);
	if (klen == sizeof(c->key))
		memcpy(c->key, k, sizeof(c->key));
	mb_pg__copy(c->role, sizeof(c->role), r, i, 6);
	mb_pg__copy(c->status, sizeof(c->status), r, i, 7);
	c->updated_ms = mb_pg__i64(r, i, 8);
}

static const char SQL_CENTER_GET[] = "SELECT id, name, country, languages, "
    "url, key, role, status, updated_ms FROM centers WHERE id = $1";

int
mb_pg_center_get(struct mb_pg *pg, const char *id, struct mb_center *out,
    struct mb_diag *d)
{
	struct mb_pg_params	 p;
	struct mb_pg_res	*r;
	int			 rc;

	p.n = 0;
	mb_pg__p_text(&p, id);
	if ((rc = mb_pg__run(pg, SQL_CENTER_GET, &p, true, &r, d)) != MB_OK)
		return rc;
	if (mb_pg__nrows(r) == 0)
		rc = mb_diag_set(d, MB_ERR_NOTFOUND, "center %s: unknown", id);
	else
		row_to_center(r, 0, out);
	mb_pg__free(r);
	return rc;
}

int
mb_pg_center_list(struct mb_pg *pg,
    int (*cb)(const struct mb_center *c, void *arg), void *arg,
    struct mb_diag *d)
{
	struct mb_pg_res	*r;
	struct mb_center	 c;
	int			 rc;

	if ((rc = mb_pg__run(pg, "SELECT id, name, country, languages, url, "
	    "key, role, status, updated_ms FROM centers ORDER BY id "
	    "COLLATE \"C\"", NULL, false, &r, d)) != MB_OK)
		return rc;
	for (int i = 0; i < mb_pg__nrows(r); i++) {
		row_to_center(r, i, &c);
		if ((rc = cb(&c, arg)) != MB_OK)
			break;
	}
	mb_pg__free(r);
	return rc > 0 ? MB_OK : rc;
}
