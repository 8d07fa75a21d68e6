/* SPDX-License-Identifier: MIT */
/* The PostgreSQL backend's search: text search configurations, ranking, snippets, translations. */
#include "pg_int.h"

#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/timeutil.h"

/*
 * The query arrives as the FTS5 expression mb_text_query_translate()
 * makes: quoted strings (each maybe "\x1f" lang "\x1f" marked, maybe
 * followed by " *"), parentheses, AND, OR, NOT. Each string becomes a
 * tsquery in the text search configuration of its marker's language
 * (PostgreSQL's snowball stemmers: arabic, russian, english, french,
 * spanish, portuguese, ...; "simple" when unmarked or when the language
 * has none, such as Hindi); CJK text is split into bigrams as the index
 * splits it (pg.c). The strings travel as one text[] parameter, never in
 * the SQL; only configuration names from our own table are pasted in.
 *
 * Ranking follows docs/search.md: the newest CANDIDATES visible matches
 * (by items.id, the arrival order) are scored by ts_rank with the
 * headline weighted four times the body, boosted for recency as SQLite's
 * bm25 is.
 */
#define CANDIDATES	MB_STORE_SEARCH_CANDIDATES
#define MAX_STRINGS	256

#define OID_TEXT_ARRAY	1009

/* Parameters of the search statements, by meaning (sql.h). */
enum {
	P_MATCH = MB_SQLP_MATCH, P_LANG = MB_SQLP_LANG, P_TYPE = MB_SQLP_TYPE,
	P_NOW = MB_SQLP_NOW
};

struct xlate {
	const char	*s;		/* the rest of the expression */
	struct mb_buf	*sql;		/* the tsquery expression */
	struct mb_buf	*arr;		/* the text[] literal */
	struct mb_buf	 tmp;
	int		 n;		/* strings so far */
	int		 depth;
};

static void
skip_space(struct xlate *x)
{
	while (*x->s == ' ')
		x->s++;
}

/* Appends s as an element of a text[] literal ("..." with escapes). */
static int
arr_add(struct xlate *x, const char *s, size_t len)
{
	int rc = mb_buf_puts(x->arr, x->n == 0 ? "{\"" : ",\"");

	for (size_t i = 0; i < len; i++) {
		if (s[i] == '"' || s[i] == '\\')
			rc |= mb_buf_putc(x->arr, '\\');
		rc |= mb_buf_putc(x->arr, s[i]);
	}
	rc |= mb_buf_putc(x->arr, '"');
	x->n++;
	return rc != 0 ? MB_ERR_NOMEM : MB_OK;
}

/* One quoted string: its configuration, then a tsquery for its words. */
static int
xlate_string(struct xlate *x)
{
	const char	*p = x->s + 1, *end, *text, *cfg = "mb_simple";
	struct mb_buf	 w = MB_BUF_INIT;
	char		 lang[40];
	bool		 prefix = false;
	int		 rc = MB_OK;

	if ((end = strchr(p, '"')) == NULL)
		return MB_ERR_INVAL;
	text = p;
	if (*p == '\x1f') {
		const char *m = memchr(p + 1, '\x1f', (size_t)(end - p - 1));

		if (m == NULL || (size_t)(m - p - 1) >= sizeof(lang))
			return MB_ERR_INVAL;
		memcpy(lang, p + 1, (size_t)(m - p - 1));
		lang[m - p - 1] = '\0';
		cfg = mb_pg__tsconfig(lang);
		text = m + 1;
	}
	x->s = end + 1;
	skip_space(x);
	if (*x->s == '*') {
		prefix = true;
		x->s++;
	}
	if (x->n == MAX_STRINGS)
		return MB_ERR_TOOBIG;
	/* The words as the index has them (mb_pg__words). */
	if (mb_pg__needs_words(text, (size_t)(end - text))) {
		if ((rc = mb_pg__words(text, (size_t)(end - text), false,
		    &w)) != MB_OK)
			goto out;
	} else if ((rc = mb_buf_append(&w, text, (size_t)(end - text))) !=
	    MB_OK) {
		goto out;
	}
	if (!prefix) {
		rc = arr_add(x, w.data != NULL ? w.data : "", w.len);
		if (rc == MB_OK)
			rc = mb_buf_printf(x->sql,
			    "phraseto_tsquery('%s', $1[%d])", cfg, x->n);
		goto out;
	}
	/*
	 * A prefix: to_tsquery syntax, each word quoted, in a row, the last
	 * one ending in :* (the configuration still stems it).
	 */
	{
		const char	*s = w.data != NULL ? w.data : "";
		bool		 first = true;

		while (*s != '\0') {
			size_t n;

			while (*s == ' ')
				s++;
			if (*s == '\0')
				break;
			n = strcspn(s, " ");
			rc |= mb_buf_puts(&x->tmp, first ? "'" : " <-> '");
			for (size_t i = 0; i < n; i++) {
				if (s[i] == '\'' || s[i] == '\\')
					rc |= mb_buf_putc(&x->tmp, s[i]);
				rc |= mb_buf_putc(&x->tmp, s[i]);
			}
			rc |= mb_buf_putc(&x->tmp, '\'');
			first = false;
			s += n;
		}
		if (first)
			rc |= mb_buf_puts(&x->tmp, "''");
		rc |= mb_buf_puts(&x->tmp, ":*");
		if (rc != MB_OK) {
			rc = MB_ERR_NOMEM;
			goto out;
		}
		rc = arr_add(x, x->tmp.data, x->tmp.len);
		mb_buf_reset(&x->tmp);
		if (rc == MB_OK)
			rc = mb_buf_printf(x->sql, "to_tsquery('%s', $1[%d])",
			    cfg, x->n);
	}
out:
	mb_buf_free(&w);
	return rc;
}

static int xlate_expr(struct xlate *x);

static int
xlate_unary(struct xlate *x)
{
	int rc;

	skip_space(x);
	if (*x->s == '"')
		return xlate_string(x);
	if (*x->s != '(' || x->depth > 16)
		return MB_ERR_INVAL;
	x->s++;
	x->depth++;
	if ((rc = mb_buf_putc(x->sql, '(')) != MB_OK ||
	    (rc = xlate_expr(x)) != MB_OK)
		return rc;
	skip_space(x);
	if (*x->s != ')')
		return MB_ERR_INVAL;
	x->s++;
	x->depth--;
	return mb_buf_putc(x->sql, ')');
}

static int
xlate_expr(struct xlate *x)
{
	int rc;

	if ((rc = mb_buf_putc(x->sql, '(')) != MB_OK ||
	    (rc = xlate_unary(x)) != MB_OK)
		return rc;
	for (;;) {
		const char *op;

		skip_space(x);
		if (strncmp(x->s, "AND ", 4) == 0) {
			op = ") && (";
			x->s += 4;
		} else if (strncmp(x->s, "OR ", 3) == 0) {
			op = ") || (";
			x->s += 3;
		} else if (strncmp(x->s, "NOT ", 4) == 0) {
			op = ") && !! (";
			x->s += 4;
		} else {
			break;
		}
		if ((rc = mb_buf_puts(x->sql, op)) != MB_OK ||
		    (rc = xlate_unary(x)) != MB_OK)
			return rc;
	}
	return mb_buf_putc(x->sql, ')');
}

/*
 * The tsquery expression (SQL over $1, a text[]) for match, and the
 * array's literal. MB_ERR_INVAL for what FTS5 would refuse too.
 */
static int
translate(const char *match, struct mb_buf *sql, struct mb_buf *arr,
    struct mb_diag *d)
{
	struct xlate	x;
	int		rc;

	memset(&x, 0, sizeof(x));
	x.s = match;
	x.sql = sql;
	x.arr = arr;
	rc = xlate_expr(&x);
	skip_space(&x);
	if (rc == MB_OK && *x.s != '\0')
		rc = MB_ERR_INVAL;
	if (rc == MB_OK && x.n == 0)
		rc = MB_ERR_INVAL;
	if (rc == MB_OK)
		rc = mb_buf_putc(arr, '}');
	mb_buf_free(&x.tmp);
	if (rc == MB_ERR_INVAL || rc == MB_ERR_TOOBIG)
		return mb_diag_set(d, rc, "search: bad query near \"%.40s\"",
		    x.s);
	return rc;
}


static void
bind_query(struct mb_pg_params *p, const char *arr,
    const struct mb_store_search_query *q, int64_t now)
{
	p->n = 0;
	mb_pg__p_text(p, arr);
	p->type[0] = OID_TEXT_ARRAY;
	mb_pg__p_text(p, q->language);
	mb_pg__p_text(p, q->type);
	mb_pg__p_text(p, q->profile);
	mb_pg__p_text(p, q->center);
	mb_pg__p_text(p, q->topic);
	mb_pg__p_text(p, q->country);
	mb_pg__p_int(p, q->from_ms);
	mb_pg__p_int(p, q->to_ms);
	mb_pg__p_int(p, now);
	mb_pg__p_int(p, q->audiences);
}

/*
 * Every visible match, for the reader's "N results" once there are more
 * than the ranked candidates, as the SQLite backend counts them
 * (sqlite_search.c, count_all; store.h): up to COUNT_WALK more visible
 * matches older than the last candidate (last); when there are more,
 * estimated from the share of the item ids they span, rounded to two
 * significant digits.
 */
static int64_t
round2(double v)
{
	double p = 1.0;

	while (v >= 100.0 * p)
		p *= 10.0;
	return (int64_t)(floor(v / p + 0.5) * p);
}

static int
count_all(struct mb_pg *pg, const struct mb_store_search_query *q,
    const char *tsq, const char *arr, int64_t now, int64_t seen,
    int64_t last, int64_t *total, bool *estimated, struct mb_diag *d)
{
	struct mb_buf		 sql = MB_BUF_INIT, ok = MB_BUF_INIT;
	struct mb_pg_params	 p;
	struct mb_pg_res	*r = NULL;
	int			 rc;

	*estimated = false;
	if ((rc = mb_sql_search_ok(&ok, &mb_pg_dialect, q)) != MB_OK ||
	    (rc = mb_buf_printf(&sql, "WITH q AS (SELECT %s AS q), x AS ("
	    "SELECT i.id FROM q, item_text t JOIN items i ON i.id = "
	    "t.item_id WHERE t.tsv @@ q.q AND %s AND i.id < %lld ORDER BY "
	    "i.id DESC LIMIT %d) SELECT (SELECT count(*) FROM x), (SELECT "
	    "min(id) FROM x), (SELECT min(id) FROM items), (SELECT max(id) "
	    "FROM items)", tsq, ok.data, (long long)last,
	    MB_STORE_SEARCH_COUNT_WALK)) != MB_OK)
		goto out;
	bind_query(&p, arr, q, now);
	if ((rc = mb_pg__run(pg, mb_buf_cstr(&sql), &p, false, &r, d)) ==
	    MB_OK && mb_pg__nrows(r) == 1) {
		int64_t	k = mb_pg__i64(r, 0, 0), lo = mb_pg__i64(r, 0, 2),
			hi = mb_pg__i64(r, 0, 3);

		*total = seen + k;
		if (k == MB_STORE_SEARCH_COUNT_WALK && !mb_pg__null(r, 0, 1) &&
		    hi > lo && mb_pg__i64(r, 0, 1) > lo) {
			*total = round2((double)(seen + k) * (double)(hi - lo +
			    1) / (double)(hi - mb_pg__i64(r, 0, 1) + 1));
			*estimated = true;
		}
	}
out:
	mb_pg__free(r);
	mb_buf_free(&sql);
	mb_buf_free(&ok);
	return rc;
}

static int
collect(struct mb_pg *pg, const struct mb_store_search_query *q,
    const char *tsq, const char *arr, int64_t now, struct mb_store__cand *c, int *nc,
    bool *more, struct mb_diag *d)
{
	struct mb_buf		 sql = MB_BUF_INIT, ok = MB_BUF_INIT;
	struct mb_pg_params	 p;
	struct mb_pg_res	*r = NULL;
	int			 n = 0, rows, rc;

	*more = false;
	if ((rc = mb_sql_search_ok(&ok, &mb_pg_dialect, q)) != MB_OK)
		goto out;
	if ((rc = mb_buf_printf(&sql, "WITH q AS (SELECT %s AS q) "
	    "SELECT i.id, i.first_ms, %s, ts_rank('{0.25, 0.25, 0.25, 1}', "
	    "t.tsv, q.q)::float8 FROM q, item_text t JOIN items i ON i.id = t.item_id "
	    "%s WHERE t.tsv @@ q.q AND %s ORDER BY i.id DESC LIMIT %d", tsq,
	    q->prefer_language != NULL ? "coalesce(tr.of_uri, i.uri)" :
	    "NULL::text", q->prefer_language != NULL ?
	    "LEFT JOIN translations tr ON tr.uri = i.uri" : "", ok.data,
	    CANDIDATES + 1)) != MB_OK)
		goto out;
	bind_query(&p, arr, q, now);
	if ((rc = mb_pg__run(pg, mb_buf_cstr(&sql), &p, false, &r, d)) !=
	    MB_OK) {
		/* The server refused the query it was given: ours to say. */
		if (rc == MB_ERR_STORE && d != NULL) {
			char m[sizeof(d->msg)];

			snprintf(m, sizeof(m), "%s", d->msg);
			rc = mb_diag_set(d, MB_ERR_INVAL, "search: %s", m);
		}
		goto out;
	}
	rows = mb_pg__nrows(r);
	if (rows > CANDIDATES) {
		*more = true;
		rows = CANDIDATES;
	}
	for (int i = 0; i < rows; i++) {
		c[n].id = mb_pg__i64(r, i, 0);
		c[n].first_ms = mb_pg__i64(r, i, 1);
		c[n].bm25 = mb_pg__f64(r, i, 3);
		c[n].group = NULL;
		if (!mb_pg__null(r, i, 2) &&
		    (c[n].group = strdup(mb_pg__str(r, i, 2))) == NULL) {
			rc = MB_ERR_NOMEM;
			goto out;
		}
		n++;
	}
out:
	*nc = n;
	mb_pg__free(r);
	mb_buf_free(&sql);
	mb_buf_free(&ok);
	return rc;
}

/*
 * A snippet from ts_headline: "…" where it starts after the body's start
 * or ends before its end, as FTS5's snippet() marks the cuts.
 */
static int
snippet(const char *hl, const char *body, struct mb_buf *out)
{
	struct mb_buf	plain = MB_BUF_INIT;
	size_t		blen = strlen(body);
	int		rc = MB_OK;

	for (const char *s = hl; *s != '\0'; s++)
		if (*s != MB_STORE_HIT_OPEN && *s != MB_STORE_HIT_CLOSE)
			rc |= mb_buf_putc(&plain, *s);
	if (rc != MB_OK || mb_buf_putc(&plain, '\0') != MB_OK) {
		mb_buf_free(&plain);
		return MB_ERR_NOMEM;
	}
	plain.len--;
	if (plain.len > 0 && strncmp(body, plain.data, plain.len) != 0)
		rc |= mb_buf_puts(out, "…");
	rc |= mb_buf_puts(out, hl);
	if (plain.len > 0 && (plain.len > blen ||
	    strcmp(body + blen - plain.len, plain.data) != 0))
		rc |= mb_buf_puts(out, "…");
	mb_buf_free(&plain);
	return rc != 0 ? MB_ERR_NOMEM : MB_OK;
}

#define HL_OPTS "StartSel=\x02, StopSel=\x03"

static int
emit(struct mb_pg *pg, const char *tsq, const char *arr,
    const struct mb_store_search_query *q, const struct mb_store__cand *c,
    int64_t show_id, const char *matched_uri,
    int (*cb)(const struct mb_store_search_hit *h, void *arg), void *arg,
    struct mb_buf *snip, struct mb_diag *d)
{
	struct mb_store_search_hit	 h;
	struct mb_buf			 sql = MB_BUF_INIT;
	struct mb_pg_params		 p;
	struct mb_pg_res		*r = NULL;
	const char			*body;
	int				 rc;

	if ((rc = mb_buf_printf(&sql, "WITH q AS (SELECT %s AS q) "
	    "SELECT i.uri, i.version, i.seq, i.center, i.language, i.type, "
	    "i.profile, v.headline, i.first_ms, "
	    "ts_headline(t.cfg, t.headline, q.q, '" HL_OPTS
	    ", HighlightAll=true'), "
	    "ts_headline(t.cfg, t.body, q.q, '" HL_OPTS ", MaxWords=24, "
	    "MinWords=10, MaxFragments=1'), coalesce(t.tsv @@ q.q, false), "
	    "t.body FROM q, items i JOIN versions v ON v.seq = i.seq "
	    "LEFT JOIN item_text t ON t.item_id = i.id WHERE i.id = $12",
	    tsq)) != MB_OK)
		goto out;
	bind_query(&p, arr, q, 0);
	mb_pg__p_int(&p, show_id);
	if ((rc = mb_pg__run(pg, mb_buf_cstr(&sql), &p, false, &r, d)) !=
	    MB_OK)
		goto out;
	if (mb_pg__nrows(r) == 0)
		goto out;
	memset(&h, 0, sizeof(h));
	h.uri = mb_pg__str(r, 0, 0);
	h.version = mb_pg__i64(r, 0, 1);
	h.seq = mb_pg__i64(r, 0, 2);
	h.center = mb_pg__str(r, 0, 3);
	h.language = mb_pg__str(r, 0, 4);
	h.type = mb_pg__str(r, 0, 5);
	h.profile = mb_pg__str(r, 0, 6);
	h.headline = mb_pg__str(r, 0, 7);
	if (h.headline == NULL)
		h.headline = "";
	h.first_ms = mb_pg__i64(r, 0, 8);
	body = mb_pg__str(r, 0, 12);
	mb_buf_reset(snip);
	if (mb_pg__i64(r, 0, 11) != 0) {
		h.headline_marked = mb_pg__str(r, 0, 9);
		rc = snippet(mb_pg__str(r, 0, 10), body, snip);
	} else {
		/* A translation that does not match: its lead, unmarked. */
		h.headline_marked = mb_pg__str(r, 0, 9);
		rc = mb_store__lead(body != NULL ? body : "", snip);
	}
	if (h.headline_marked == NULL)
		h.headline_marked = h.headline;
	if (rc != MB_OK || mb_buf_putc(snip, '\0') != MB_OK) {
		rc = MB_ERR_NOMEM;
		goto out;
	}
	snip->len--;
	h.snippet = snip->data;
	h.bm25 = c->bm25;
	h.score = c->score;
	h.matched_uri = matched_uri;
	rc = cb(&h, arg);
out:
	mb_pg__free(r);
	mb_buf_free(&sql);
	return rc;
}

static const char SQL_PREFER[] = MB_SQL_PREFER("$");

static int
preferred(struct mb_pg *pg, const struct mb_store_search_query *q,
    int64_t now, const struct mb_store__cand *c, int64_t *show, bool *swapped,
    struct mb_diag *d)
{
	struct mb_pg_params	 p;
	struct mb_pg_res	*r;
	int			 rc;

	*show = c->id;
	*swapped = false;
	if (q->prefer_language == NULL || c->group == NULL)
		return MB_OK;
	p.n = 0;
	mb_pg__p_text(&p, NULL);
	mb_pg__p_text(&p, q->prefer_language);
	for (int i = P_TYPE; i < P_NOW; i++)
		mb_pg__p_text(&p, NULL);
	mb_pg__p_int(&p, now);
	mb_pg__p_int(&p, q->audiences);
	mb_pg__p_int(&p, c->id);
	mb_pg__p_text(&p, c->group);
	mb_pg__p_bool(&p, q->all);
	if ((rc = mb_pg__run(pg, SQL_PREFER, &p, true, &r, d)) != MB_OK)
		return rc;
	if (mb_pg__nrows(r) > 0) {
		*show = mb_pg__i64(r, 0, 0);
		*swapped = *show != c->id;
	}
	mb_pg__free(r);
	return MB_OK;
}

static int
uri_of(struct mb_pg *pg, int64_t id, struct mb_buf *out, struct mb_diag *d)
{
	struct mb_pg_params	 p;
	struct mb_pg_res	*r;
	int			 rc;

	p.n = 0;
	mb_pg__p_int(&p, id);
	if ((rc = mb_pg__run(pg, "SELECT uri FROM items WHERE id = $1", &p,
	    false, &r, d)) != MB_OK)
		return rc;
	mb_buf_reset(out);
	if (mb_pg__nrows(r) == 0)
		rc = MB_ERR_NOTFOUND;
	else
		rc = mb_buf_puts(out, mb_pg__str(r, 0, 0));
	mb_pg__free(r);
	return rc;
}

int
mb_pg_search(struct mb_store *st, const struct mb_store_search_query *q,
    int (*cb)(const struct mb_store_search_hit *h, void *arg), void *arg,
    struct mb_store_search_result *out, struct mb_diag *d)
{
	struct mb_pg	*pg = PG(st);
	struct mb_buf	 tsq = MB_BUF_INIT, arr = MB_BUF_INIT;
	struct mb_buf	 muri = MB_BUF_INIT, snip = MB_BUF_INIT;
	struct mb_store__cand	*c = NULL;
	int64_t		 now, last = 0, seen;
	int		 n = 0, rc;
	bool		 more;

	if ((rc = mb_store__search_check(q, d)) != MB_OK)
		return rc;
	now = q->now_ms != 0 ? q->now_ms : mb_time_now_ms();
	if ((rc = translate(q->match, &tsq, &arr, d)) != MB_OK)
		goto out;
	if ((c = calloc(CANDIDATES, sizeof(*c))) == NULL) {
		rc = MB_ERR_NOMEM;
		goto out;
	}
	if ((rc = collect(pg, q, tsq.data, arr.data, now, c, &n, &more, d)) !=
	    MB_OK)
		goto out;
	/* Newest first: the last candidate is the oldest looked at. */
	seen = n;
	if (n > 0)
		last = c[n - 1].id;
	mb_store__rank(c, &n, now, q->prefer_language != NULL);
	if (out != NULL) {
		out->ranked = n;
		out->more = more;
		out->total = n;
		out->total_estimated = false;
		if (more && (rc = count_all(pg, q, tsq.data, arr.data, now,
		    seen, last, &out->total, &out->total_estimated, d)) !=
		    MB_OK)
			goto out;
	}
	for (int i = q->offset; i < n && i < q->offset + q->limit; i++) {
		int64_t	show;
		bool	swapped;

		if ((rc = preferred(pg, q, now, &c[i], &show, &swapped, d)) !=
		    MB_OK)
			goto out;
		if (swapped && (rc = uri_of(pg, c[i].id, &muri, d)) != MB_OK)
			goto out;
		rc = emit(pg, tsq.data, arr.data, q, &c[i], show, swapped ?
		    mb_buf_cstr(&muri) : NULL, cb, arg, &snip, d);
		if (rc != MB_OK) {
			if (rc > 0)
				rc = MB_OK;
			goto out;
		}
	}
out:
	mb_store__cands_free(c, n);
	mb_buf_free(&tsq);
	mb_buf_free(&arr);
	mb_buf_free(&muri);
	mb_buf_free(&snip);
	return rc;
}

static const char SQL_TRANSLATIONS[] =
    MB_SQL_TRANSLATIONS("$", " COLLATE \"C\"");

int
mb_pg_translations(struct mb_store *st, const char *uri, bool all,
    unsigned audiences, int64_t now_ms,
    int (*cb)(const struct mb_store_translation *t, void *arg), void *arg,
    struct mb_diag *d)
{
	struct mb_store_translation	t;
	struct mb_pg_params		p;
	struct mb_pg_rows		r;
	int				rc;

	/* Every parameter of sql.h up to MB_SQLP_ALL, all typed. */
	p.n = 0;
	for (int i = P_MATCH; i < P_NOW; i++)
		mb_pg__p_text(&p, NULL);
	mb_pg__p_int(&p, now_ms != 0 ? now_ms : mb_time_now_ms());
	mb_pg__p_int(&p, audiences);
	mb_pg__p_int(&p, 0);
	mb_pg__p_text(&p, uri);
	mb_pg__p_bool(&p, all);
	if ((rc = mb_pg__query(PG(st), SQL_TRANSLATIONS, &p, false, &r, d)) !=
	    MB_OK)
		return rc;
	while (rc == MB_OK && mb_pg__next(&r, NULL, NULL)) {
		t.uri = mb_pg__str(r.res, r.row, 0);
		t.language = mb_pg__str(r.res, r.row, 1);
		t.headline = mb_pg__str(r.res, r.row, 2);
		t.original = mb_pg__i64(r.res, r.row, 3) != 0;
		t.by = mb_pg__str(r.res, r.row, 4);
		rc = cb(&t, arg);
	}
	return mb_pg__end(&r, rc);
}
