/* SPDX-License-Identifier: MIT */
/* The SQLite backend's search: bounded-candidate ranking, snippets, topics and translation links. */
#include "sqlite_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/fold.h"
#include "base/timeutil.h"
#include "store/sql.h"

/*
 * Ranking (docs/search.md, "Ranking"). FTS5's ORDER BY rank scores every
 * match, which costs hundreds of milliseconds for a common word at 1M
 * items (ANCHORS.md). We walk the matches newest first by rowid (items.id
 * grows as items arrive, and FTS5 walks its doclists in rowid order for
 * free), compute bm25 only for the visible ones that pass the filters,
 * stop at CANDIDATES of them, and rank those. SCAN_MAX bounds the rows
 * looked at when filters reject most of them.
 */
#define CANDIDATES	MB_STORE_SEARCH_CANDIDATES
#define SCAN_MAX	(20 * CANDIDATES)

/* bm25 column weights: a word in the headline counts four times. */
#define W_HEADLINE	"4.0"
#define W_BODY		"1.0"

/* Recency, the order of hits and leads: search.c, as PostgreSQL's. */

#define SNIPPET_TOKENS	"24"

enum {
	SS_TOPICS_DELETE,
	SS_TOPICS_SELECT,
	SS_TRANS_DELETE,
	SS_TRANS_INSERT,
	SS_TOPICS_STORED,
	SS_TRANS_DIFFER,
	SS_HIT,
	SS_LEAD,
	SS_PREFER,
	SS_ROW,
	SS_MARKS,
	SS_RANGE,
	SS__COUNT
};

#define HIT_COLS \
	"i.uri, i.version, i.seq, i.center, i.language, i.type, i.profile, " \
	"v.headline, i.first_ms, "

#define SQL_HIT "SELECT " HIT_COLS \
	"highlight(fts, 0, char(2), char(3)), " \
	"snippet(fts, 1, char(2), char(3), '…', " SNIPPET_TOKENS ") " \
	"FROM fts JOIN items i ON i.id = fts.rowid JOIN versions v ON " \
	"v.seq = i.seq WHERE fts MATCH ?1 AND fts.rowid = ?12"
#define SQL_ROW "SELECT " HIT_COLS "NULL, NULL " \
	"FROM items i JOIN versions v ON v.seq = i.seq WHERE i.id = ?12"
/*
 * The marked headline and snippet of a page's matching hits, in one walk
 * of the matches between the lowest (?15) and highest (?16) of their ids
 * (a JSON array, ?17). One walk: each FTS5 MATCH statement started costs
 * a seek per term in every segment (~75 us at 200k items), and the range
 * lies within the candidate window just walked. The unary + keeps the
 * id list a filter, so highlight() and snippet() run for those rows only.
 */
#define SQL_MARKS "SELECT fts.rowid, highlight(fts, 0, char(2), char(3)), " \
	"snippet(fts, 1, char(2), char(3), '…', " SNIPPET_TOKENS ") " \
	"FROM fts WHERE fts MATCH ?1 AND fts.rowid >= ?15 AND " \
	"fts.rowid <= ?16 AND +fts.rowid IN (SELECT value FROM json_each(?17))"
#define SQL_LEAD "SELECT " HIT_COLS \
	"fts.headline, fts.body " \
	"FROM items i JOIN versions v ON v.seq = i.seq LEFT JOIN fts ON " \
	"fts.rowid = i.id WHERE i.id = ?12"

/*
 * What an envelope (?2) derives: its topics (each subject's uri, name,
 * code and the uri's last segment; lower() folds ASCII alone, the rest
 * is folded in C, fold_topic; ?3 the JSON path of the
 * subjects, "$" when ?2 is the subjects alone) and the item that the
 * item ?1 translates. The same derivation as migration 4's backfill.
 */
#define SQL_TOPICS "WITH x(u, n, c) AS (SELECT " \
	"json_extract(value, '$.uri'), json_extract(value, '$.name'), " \
	"json_extract(value, '$.code') FROM json_each(CASE WHEN " \
	"json_valid(?2) THEN ?2 ELSE '{}' END, ?3)), " \
	"t(topic) AS (SELECT u FROM x UNION SELECT n FROM x UNION " \
	"SELECT c FROM x UNION SELECT replace(u, rtrim(u, " \
	"replace(replace(u, '/', ''), ':', '')), '') FROM x) " \
	"SELECT DISTINCT lower(topic) AS topic FROM t " \
	"WHERE typeof(topic) = 'text' AND topic != ''"
#define SQL_TRANSLATION "SELECT ?1, o, b FROM (SELECT " \
	"coalesce(json_extract(e, '$.meta.translation.of'), " \
	"(SELECT json_extract(a.value, '$.uri') FROM " \
	"json_each(e, '$.item.associations') a WHERE " \
	"json_extract(a.value, '$.rel') = 'translation-of' LIMIT 1)) AS o, " \
	"json_extract(e, '$.meta.translation.by') AS b FROM (SELECT " \
	"CASE WHEN json_valid(?2) THEN ?2 ELSE '{}' END AS e)) " \
	"WHERE typeof(o) = 'text' AND o != ?1"

static const char *const ss_sql[SS__COUNT] = {
	[SS_TOPICS_DELETE] = "DELETE FROM item_topics WHERE item_id = ?1",
	/*
	 * A SELECT, and each topic added with a one-row INSERT: an INSERT
	 * ... SELECT needs a statement journal, and opening one makes FTS5
	 * write its pending terms out as a new segment (xSavepoint) -- once
	 * an item, which made a bulk import six times slower.
	 */
	[SS_TOPICS_SELECT] = SQL_TOPICS,
	[SS_TRANS_DELETE] = "DELETE FROM translations WHERE uri = ?1",
	[SS_TRANS_INSERT] = "INSERT OR REPLACE INTO translations (uri, "
	    "of_uri, by) " SQL_TRANSLATION,
	/* verify: item ?1's topic rows, compared in C with the derivation. */
	[SS_TOPICS_STORED] = "SELECT topic FROM item_topics WHERE item_id = ?1",
	[SS_TRANS_DIFFER] = "SELECT EXISTS (SELECT o, b FROM ("
	    SQL_TRANSLATION ") EXCEPT SELECT of_uri, by FROM translations "
	    "WHERE uri = ?1) OR EXISTS (SELECT of_uri, by FROM translations "
	    "WHERE uri = ?1 EXCEPT SELECT o, b FROM (" SQL_TRANSLATION "))",
	[SS_HIT] = SQL_HIT,
	[SS_LEAD] = SQL_LEAD,
	[SS_PREFER] = MB_SQL_PREFER("?"),
	[SS_ROW] = SQL_ROW,
	[SS_MARKS] = SQL_MARKS,
	/* Two subqueries: each min() or max() alone is one b-tree seek. */
	[SS_RANGE] = ("SELECT (SELECT min(id) FROM items), "
	    "(SELECT max(id) FROM items)"),
};

_Static_assert(SS__COUNT <= MB_SQLITE_SEARCH_STMTS,
    "struct mb_sqlite's search_stmt has a slot for each statement");

/* Parameters of the search statements, by meaning (sql.h). */
enum {
	P_MATCH = MB_SQLP_MATCH, P_LANG = MB_SQLP_LANG, P_TYPE = MB_SQLP_TYPE,
	P_PROFILE = MB_SQLP_PROFILE, P_CENTER = MB_SQLP_CENTER,
	P_TOPIC = MB_SQLP_TOPIC, P_COUNTRY = MB_SQLP_COUNTRY,
	P_FROM = MB_SQLP_FROM, P_TO = MB_SQLP_TO, P_NOW = MB_SQLP_NOW,
	P_AUD = MB_SQLP_AUD, P_ID = MB_SQLP_ID, P_URI = MB_SQLP_URI,
	P_ALL = MB_SQLP_ALL, P_LO = MB_SQLP_LO, P_HI = MB_SQLP_HI,
	P_IDS = MB_SQLP_IDS
};

static sqlite3_stmt *
ss_stmt(struct mb_sqlite *sq, int i, struct mb_diag *d)
{
	sqlite3_stmt *s = sq->search_stmt[i];

	if (s == NULL) {
		if (sqlite3_prepare_v3(sq->db, ss_sql[i], -1,
		    SQLITE_PREPARE_PERSISTENT, &sq->search_stmt[i], NULL) !=
		    SQLITE_OK) {
			mb_sqlite_err(sq, d, "prepare");
			return NULL;
		}
		return sq->search_stmt[i];
	}
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return s;
}

void
mb_sqlite_search_close(struct mb_sqlite *sq)
{
	for (int i = 0; i < MB_SQLITE_SEARCH_STMTS; i++) {
		sqlite3_finalize(sq->search_stmt[i]);
		sq->search_stmt[i] = NULL;
	}
}

static int
run_item(struct mb_sqlite *sq, int which, int64_t id, const char *uri,
    const struct mb_store_version *v, struct mb_diag *d)
{
	sqlite3_stmt	*s;
	int		 rc;

	if ((s = ss_stmt(sq, which, d)) == NULL)
		return MB_ERR_STORE;
	if (uri != NULL)
		sqlite3_bind_text(s, 1, uri, -1, SQLITE_STATIC);
	else
		sqlite3_bind_int64(s, 1, id);
	if (v != NULL)
		sqlite3_bind_text(s, 2, v->envelope, (int)v->envelope_len,
		    SQLITE_STATIC);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return mb_sqlite_err(sq, d, "search index");
	return MB_OK;
}

static bool
has_word(const struct mb_store_version *v, const char *w)
{
	return v->envelope_len > 0 && memmem(v->envelope, v->envelope_len, w,
	    strlen(w)) != NULL;
}

/*
 * Appends column 0 of s, a topic lower() folded (ASCII alone), with
 * every other code point folded too (mb_fold_lower: PostgreSQL's lower()
 * in a UTF-8 database), and a NUL. A user function in the SQL would fold
 * it there, but registering one cost a bulk import 1.7x the CPU (issue
 * 23, f5e572e): the writer's topics come folded (mb_item_topics), and
 * only this fallback and verify fold here.
 */
static int
fold_topic(sqlite3_stmt *s, struct mb_buf *out)
{
	const char	*t = (const char *)sqlite3_column_text(s, 0);
	size_t		 n = (size_t)sqlite3_column_bytes(s, 0);

	if (t == NULL || mb_fold_lower(out, t, n) != MB_OK ||
	    mb_buf_putc(out, '\0') != MB_OK)
		return MB_ERR_NOMEM;
	return MB_OK;
}

static int
add_topic(struct mb_sqlite *sq, int64_t id, const char *topic,
    struct mb_diag *d)
{
	sqlite3_stmt	*add;
	int		 rc;

	if ((add = mb_sqlite_stmt(sq, STMT_TOPIC_ADD, d)) == NULL)
		return MB_ERR_STORE;
	sqlite3_bind_text(add, 1, topic, -1, SQLITE_STATIC);
	sqlite3_bind_int64(add, 2, id);
	rc = sqlite3_step(add);
	sqlite3_reset(add);
	return rc == SQLITE_DONE ? MB_OK : mb_sqlite_err(sq, d, "search index");
}

/*
 * The topics SQL_TOPICS derives from v's envelope into out (each ending
 * with a NUL; folded, so two may be the same: the callers' INSERT OR
 * IGNORE and set comparison take that).
 */
static int
derive_topics(struct mb_sqlite *sq, const struct mb_store_version *v,
    struct mb_buf *out, struct mb_diag *d)
{
	sqlite3_stmt	*s;
	int		 rc;

	if ((s = ss_stmt(sq, SS_TOPICS_SELECT, d)) == NULL)
		return MB_ERR_STORE;
	sqlite3_bind_text(s, 2, v->envelope, (int)v->envelope_len,
	    SQLITE_STATIC);
	sqlite3_bind_text(s, 3, "$.item.subjects", -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if (fold_topic(s, out) != MB_OK) {
			sqlite3_reset(s);
			return mb_diag_set(d, MB_ERR_NOMEM, "search index: "
			    "out of memory");
		}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return mb_sqlite_err(sq, d, "search index");
	return MB_OK;
}

/*
 * The topics the writer was given (derived where the envelope was
 * parsed, issue 23: 40 us an item on the writer otherwise), else the
 * same derivation as migration 4's backfill; both folded (fold_topic).
 */
static int
put_topics(struct mb_sqlite *sq, int64_t id, const struct mb_store_version *v,
    struct mb_diag *d)
{
	struct mb_buf	 list = MB_BUF_INIT;
	const char	*t;
	int		 rc;

	if (v->topics != NULL) {
		/* Folded again (the writer's are, mb_item_topics): a copy's pace. */
		rc = MB_OK;
		for (t = v->topics; *t != '\0' && rc == MB_OK;
		    t += strlen(t) + 1)
			if (mb_fold_lower(&list, t, strlen(t)) != MB_OK ||
			    mb_buf_putc(&list, '\0') != MB_OK)
				rc = mb_diag_set(d, MB_ERR_NOMEM,
				    "search index: out of memory");
	} else if (!has_word(v, "\"subjects\""))
		return MB_OK;
	else
		rc = derive_topics(sq, v, &list, d);
	if (rc == MB_OK)
		for (t = list.data; t != NULL && t < list.data + list.len &&
		    rc == MB_OK; t += strlen(t) + 1)
			rc = add_topic(sq, id, t, d);
	mb_buf_free(&list);
	return rc;
}

int
mb_sqlite_search_put(struct mb_sqlite *sq, int64_t item_id, bool is_new,
    const struct mb_store_version *v, struct mb_diag *d)
{
	int rc;

	/*
	 * The envelope is the truth; these rows are derived from it. Most
	 * items declare no translation, so a substring test spares the JSON
	 * parse (a false positive only costs the parse).
	 */
	if (!is_new && (rc = run_item(sq, SS_TOPICS_DELETE, item_id, NULL,
	    NULL, d)) != MB_OK)
		return rc;
	if ((rc = put_topics(sq, item_id, v, d)) != MB_OK)
		return rc;
	if (!is_new && (rc = run_item(sq, SS_TRANS_DELETE, 0, v->uri, NULL,
	    d)) != MB_OK)
		return rc;
	if (has_word(v, "translation") && (rc = run_item(sq, SS_TRANS_INSERT,
	    0, v->uri, v, d)) != MB_OK)
		return rc;
	return MB_OK;
}

/* Whether every topic of list a (NUL-separated, len bytes) is in b. */
static bool
within(const struct mb_buf *a, const struct mb_buf *b)
{
	for (const char *t = a->data; t != NULL && t < a->data + a->len;
	    t += strlen(t) + 1) {
		const char *u = b->data;

		while (u != NULL && u < b->data + b->len && strcmp(t, u) != 0)
			u += strlen(u) + 1;
		if (u == NULL || u >= b->data + b->len)
			return false;
	}
	return true;
}

/* Whether item_id's topic rows and what v's envelope derives differ, as sets. */
static int
topics_differ(struct mb_sqlite *sq, int64_t item_id,
    const struct mb_store_version *v, bool *out, struct mb_diag *d)
{
	struct mb_buf	 derived = MB_BUF_INIT, stored = MB_BUF_INIT;
	sqlite3_stmt	*s;
	int		 rc;

	if ((rc = derive_topics(sq, v, &derived, d)) != MB_OK)
		goto done;
	if ((s = ss_stmt(sq, SS_TOPICS_STORED, d)) == NULL) {
		rc = MB_ERR_STORE;
		goto done;
	}
	sqlite3_bind_int64(s, 1, item_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(s, 0);

		if (t == NULL || mb_buf_append(&stored, t, strlen(t) + 1) !=
		    MB_OK) {
			rc = SQLITE_NOMEM;
			break;
		}
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		rc = mb_sqlite_err(sq, d, "check");
		goto done;
	}
	*out = !within(&derived, &stored) || !within(&stored, &derived);
	rc = MB_OK;
done:
	mb_buf_free(&derived);
	mb_buf_free(&stored);
	return rc;
}

/* One boolean row from SS_TRANS_DIFFER, bound to v. */
static int
trans_differs(struct mb_sqlite *sq, const struct mb_store_version *v,
    bool *out, struct mb_diag *d)
{
	sqlite3_stmt	*s;
	int		 rc;

	if ((s = ss_stmt(sq, SS_TRANS_DIFFER, d)) == NULL)
		return MB_ERR_STORE;
	sqlite3_bind_text(s, 1, v->uri, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, v->envelope, (int)v->envelope_len,
	    SQLITE_STATIC);
	rc = sqlite3_step(s);
	*out = rc == SQLITE_ROW && sqlite3_column_int(s, 0) != 0;
	sqlite3_reset(s);
	if (rc != SQLITE_ROW)
		return mb_sqlite_err(sq, d, "check");
	return MB_OK;
}

int
mb_sqlite_search_differs(struct mb_sqlite *sq, int64_t item_id,
    const struct mb_store_version *v, bool *topics, bool *translation,
    struct mb_diag *d)
{
	int rc;

	if ((rc = topics_differ(sq, item_id, v, topics, d)) != MB_OK)
		return rc;
	return trans_differs(sq, v, translation, d);
}

/*
 * Binds topic (a filter) at i folded as the rows are (fold_topic); the
 * SQL's lower() leaves it so. Out of memory, it binds it as given: a
 * topic beyond ASCII then finds nothing, the old behaviour.
 */
void
mb_sqlite__bind_topic(sqlite3_stmt *s, int i, const char *topic)
{
	struct mb_buf b = MB_BUF_INIT;

	if (topic == NULL)
		return;
	if (mb_fold_lower(&b, topic, strlen(topic)) == MB_OK)
		sqlite3_bind_text(s, i, b.data, (int)b.len, SQLITE_TRANSIENT);
	else
		sqlite3_bind_text(s, i, topic, -1, SQLITE_TRANSIENT);
	mb_buf_free(&b);
}

/* mb_lower(text): mb_fold_lower in SQL; NULL stays NULL, as lower(NULL). */
static void
sql_lower(sqlite3_context *ctx, int n, sqlite3_value **v)
{
	struct mb_buf	 out = MB_BUF_INIT;
	const char	*t;

	(void)n;
	if (sqlite3_value_type(v[0]) == SQLITE_NULL)
		return;
	t = (const char *)sqlite3_value_text(v[0]);
	if (t == NULL || mb_fold_lower(&out, t,
	    (size_t)sqlite3_value_bytes(v[0])) != MB_OK) {
		sqlite3_result_error_nomem(ctx);
		return;
	}
	sqlite3_result_text(ctx, out.data != NULL ? out.data : "",
	    (int)out.len, SQLITE_TRANSIENT);
	mb_buf_free(&out);
}

int
mb_sqlite_lower_register(struct mb_sqlite *sq, bool on, struct mb_diag *d)
{
	if (sqlite3_create_function(sq->db, "mb_lower", 1, SQLITE_UTF8 |
	    SQLITE_DETERMINISTIC, NULL, on ? sql_lower : NULL, NULL, NULL) !=
	    SQLITE_OK)
		return d != NULL ? mb_sqlite_err(sq, d, "register mb_lower") :
		    MB_ERR_STORE;
	return MB_OK;
}

/* ---- mb_bm25: bm25 with a bounded document-frequency count ----------- */

/*
 * FTS5's bm25() counts every row that holds each phrase (xQueryPhrase)
 * once per statement, for the phrase's IDF: O(matches), 2-3 ms for a
 * common word at 1M items and growing with the store. mb_bm25 is the
 * same formula (FTS5's k1 1.2, b 0.75, IDF floor 1e-6; the same scores
 * while a phrase has fewer than DF_COUNT_MAX rows), but stops counting
 * at DF_COUNT_MAX rows (oldest first, FTS5's order) and extrapolates
 * from the share of the rowid range they span:
 *
 *   mb_bm25(fts, lo, hi, w0, w1, ...)   lo, hi: the lowest and highest
 *                                        rowid; w: column weights
 */
#define DF_COUNT_MAX	2000

struct df_count {
	sqlite3_int64	n;
	sqlite3_int64	last;	/* the rowid of the last row counted */
};

struct bm25_data {
	int	 nphrase;
	double	 avgdl;
	double	*idf;
	double	*freq;
};

static int
df_count_cb(const Fts5ExtensionApi *api, Fts5Context *fts, void *arg)
{
	struct df_count *c = arg;

	c->last = api->xRowid(fts);
	return ++c->n == DF_COUNT_MAX ? SQLITE_DONE : SQLITE_OK;
}

static int
bm25_data(const Fts5ExtensionApi *api, Fts5Context *fts, double lo,
    double hi, struct bm25_data **out)
{
	struct bm25_data	*p;
	sqlite3_int64		 nrow = 0, ntok = 0;
	int			 n, rc;

	if ((p = api->xGetAuxdata(fts, 0)) != NULL) {
		*out = p;
		return SQLITE_OK;
	}
	n = api->xPhraseCount(fts);
	if ((p = sqlite3_malloc64(sizeof(*p) + 2 * (size_t)n *
	    sizeof(double))) == NULL)
		return SQLITE_NOMEM;
	p->nphrase = n;
	p->idf = (double *)(p + 1);
	p->freq = p->idf + n;
	if ((rc = api->xRowCount(fts, &nrow)) == SQLITE_OK)
		rc = api->xColumnTotalSize(fts, -1, &ntok);
	p->avgdl = nrow > 0 ? (double)ntok / (double)nrow : 1.0;
	for (int i = 0; rc == SQLITE_OK && i < n; i++) {
		struct df_count	c = { 0, 0 };
		double		hits, idf;

		rc = api->xQueryPhrase(fts, i, &c, df_count_cb);
		hits = (double)c.n;
		/* Stopped early: scale by the share of rowids looked at. */
		if (c.n == DF_COUNT_MAX && hi > lo && (double)c.last < hi)
			hits *= (hi - lo + 1) / ((double)c.last - lo + 1);
		if (hits > (double)nrow)
			hits = (double)nrow;
		idf = log(((double)nrow - hits + 0.5) / (hits + 0.5));
		p->idf[i] = idf <= 0.0 ? 1e-6 : idf;
	}
	if (rc != SQLITE_OK) {
		sqlite3_free(p);
		return rc;
	}
	/* On failure xSetAuxdata frees p itself. */
	if ((rc = api->xSetAuxdata(fts, p, sqlite3_free)) != SQLITE_OK)
		return rc;
	*out = p;
	return SQLITE_OK;
}

static void
mb_bm25(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
    int nval, sqlite3_value **val)
{
	const double	 k1 = 1.2, b = 0.75;
	struct bm25_data *p = NULL;
	double		 score = 0.0, dl;
	int		 ninst = 0, tok = 0, rc;

	if (nval < 2) {
		sqlite3_result_error(ctx, "mb_bm25: lo and hi rowid needed",
		    -1);
		return;
	}
	rc = bm25_data(api, fts, sqlite3_value_double(val[0]),
	    sqlite3_value_double(val[1]), &p);
	if (rc == SQLITE_OK) {
		memset(p->freq, 0, (size_t)p->nphrase * sizeof(double));
		rc = api->xInstCount(fts, &ninst);
	}
	for (int i = 0; rc == SQLITE_OK && i < ninst; i++) {
		int ip, ic, io;

		if ((rc = api->xInst(fts, i, &ip, &ic, &io)) == SQLITE_OK)
			p->freq[ip] += nval > ic + 2 ?
			    sqlite3_value_double(val[ic + 2]) : 1.0;
	}
	if (rc == SQLITE_OK)
		rc = api->xColumnSize(fts, -1, &tok);
	if (rc != SQLITE_OK) {
		sqlite3_result_error_code(ctx, rc);
		return;
	}
	dl = (double)tok;
	for (int i = 0; i < p->nphrase; i++)
		score += p->idf[i] * (p->freq[i] * (k1 + 1.0)) /
		    (p->freq[i] + k1 * (1 - b + b * dl / p->avgdl));
	sqlite3_result_double(ctx, -1.0 * score);
}

int
mb_sqlite_search_register(fts5_api *api)
{
	return api->xCreateFunction(api, "mb_bm25", NULL, mb_bm25, NULL);
}

/* ---- search ---------------------------------------------------------- */


static void
bind_opt(sqlite3_stmt *s, int i, const char *v)
{
	if (v != NULL)
		sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
}

static void
bind_query(sqlite3_stmt *s, const struct mb_store_search_query *q,
    int64_t now)
{
	bind_opt(s, P_MATCH, q->match);
	bind_opt(s, P_LANG, q->language);
	bind_opt(s, P_TYPE, q->type);
	bind_opt(s, P_PROFILE, q->profile);
	bind_opt(s, P_CENTER, q->center);
	mb_sqlite__bind_topic(s, P_TOPIC, q->topic);
	bind_opt(s, P_COUNTRY, q->country);
	sqlite3_bind_int64(s, P_FROM, q->from_ms);
	sqlite3_bind_int64(s, P_TO, q->to_ms);
	sqlite3_bind_int64(s, P_NOW, now);
	sqlite3_bind_int64(s, P_AUD, q->audiences);
}

/*
 * A plain SQLITE_ERROR while stepping a statement that prepared fine is
 * FTS5 refusing the MATCH ("fts5: syntax error", "unterminated string"):
 * the caller's fault, MB_ERR_INVAL.
 */
static int
search_err(struct mb_sqlite *sq, struct mb_diag *d)
{
	if (sqlite3_extended_errcode(sq->db) == SQLITE_ERROR)
		return mb_diag_set(d, MB_ERR_INVAL, "search: bad query: %s",
		    sqlite3_errmsg(sq->db));
	return mb_sqlite_err(sq, d, "search");
}

/* Where collect() stopped: for count_all()'s walk and estimate. */
struct walk {
	int64_t	lo, hi;		/* the store's lowest and highest item id */
	int64_t	last;		/* the last (oldest) match looked at */
	int64_t	scanned;	/* matches looked at, visible or not */
};

/* Collects up to CANDIDATES visible matches, newest first, with bm25. */
static int
collect(struct mb_sqlite *sq, const struct mb_store_search_query *q,
    int64_t now, struct mb_store__cand *c, int *nc, bool *more,
    struct walk *w, struct mb_diag *d)
{
	struct mb_buf	 sql = MB_BUF_INIT, ok = MB_BUF_INIT;
	sqlite3_stmt	*s = NULL, *r;
	int		 n = 0, scanned = 0, rc;

	*more = false;
	if ((rc = mb_sql_search_ok(&ok, &mb_sqlite_dialect, q)) != MB_OK)
		goto out;
	rc = mb_buf_printf(&sql, "SELECT fts.rowid, i.first_ms, %s, "
	    "CASE WHEN %s THEN mb_bm25(fts, ?15, ?16, " W_HEADLINE ", "
	    W_BODY ") END FROM fts JOIN items i ON i.id = fts.rowid %s "
	    "WHERE fts MATCH ?1 ORDER BY fts.rowid DESC",
	    q->prefer_language != NULL ? "coalesce(t.of_uri, i.uri)" : "NULL",
	    ok.data, q->prefer_language != NULL ?
	    "LEFT JOIN translations t ON t.uri = i.uri" : "");
	if (rc != MB_OK)
		goto out;
	if (sqlite3_prepare_v2(sq->db, sql.data, (int)sql.len, &s, NULL) !=
	    SQLITE_OK) {
		rc = mb_sqlite_err(sq, d, "search");
		goto out;
	}
	bind_query(s, q, now);
	/* mb_bm25's rowid range. */
	if ((r = ss_stmt(sq, SS_RANGE, d)) == NULL) {
		rc = MB_ERR_STORE;
		goto out;
	}
	w->lo = w->hi = w->last = w->scanned = 0;
	if (sqlite3_step(r) == SQLITE_ROW) {
		w->lo = sqlite3_column_int64(r, 0);
		w->hi = sqlite3_column_int64(r, 1);
		sqlite3_bind_int64(s, P_LO, w->lo);
		sqlite3_bind_int64(s, P_HI, w->hi);
	}
	sqlite3_reset(r);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (n == CANDIDATES || scanned == SCAN_MAX) {
			*more = true;
			break;
		}
		scanned++;
		w->scanned = scanned;
		w->last = sqlite3_column_int64(s, 0);
		if (sqlite3_column_type(s, 3) == SQLITE_NULL)
			continue;
		c[n].id = sqlite3_column_int64(s, 0);
		c[n].first_ms = sqlite3_column_int64(s, 1);
		c[n].bm25 = -sqlite3_column_double(s, 3);
		c[n].group = NULL;
		if (sqlite3_column_type(s, 2) != SQLITE_NULL &&
		    (c[n].group = strdup((const char *)
		    sqlite3_column_text(s, 2))) == NULL) {
			rc = MB_ERR_NOMEM;
			goto out;
		}
		n++;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		*nc = n;
		rc = search_err(sq, d);
		goto out;
	}
	rc = MB_OK;
out:
	*nc = n;
	sqlite3_finalize(s);
	mb_buf_free(&sql);
	mb_buf_free(&ok);
	return rc;
}

/*
 * Every visible match, for the reader's "N results" once there are more
 * than the ranked candidates (store.h). The matches older than where
 * collect() stopped (w->last) are walked in the index alone, oldest
 * first, up to COUNT_WALK + 1 of them (no items lookup: ~0.2 us a row).
 * When there are at most COUNT_WALK, those are walked again with the
 * items join and the visible ones counted: the total is exact. When
 * there are more, it is estimated: item ids grow as items arrive, so
 * the matches per id at the newest end (collect's walk) and at the
 * oldest end (this one) give the density of the ids between, their
 * mean; times the visible share collect() saw (seen / scanned); rounded
 * to two significant digits. Counting every match of a common word
 * with an items lookup each cost 10-50 ms of CPU at 1M items, where the
 * rest of the search took 2-4 ms.
 */
#define COUNT_WALK	MB_STORE_SEARCH_COUNT_WALK

static int64_t
round2(double v)
{
	double p = 1.0;

	while (v >= 100.0 * p)
		p *= 10.0;
	return (int64_t)(floor(v / p + 0.5) * p);
}

static int
count_all(struct mb_sqlite *sq, const struct mb_store_search_query *q,
    int64_t now, int64_t seen, const struct walk *w, int64_t *total,
    bool *estimated, struct mb_diag *d)
{
	struct mb_buf	 sql = MB_BUF_INIT, ok = MB_BUF_INIT;
	sqlite3_stmt	*s = NULL;
	int64_t		 rows = 0, oldest = w->lo;
	int		 rc;

	*estimated = false;
	*total = seen;
	/* The index alone: how many older matches, and the oldest. */
	if ((rc = mb_buf_printf(&sql, "SELECT count(*), max(rowid) FROM "
	    "(SELECT rowid FROM fts WHERE fts MATCH ?1 AND rowid < %lld "
	    "ORDER BY rowid ASC LIMIT %d)", (long long)w->last,
	    COUNT_WALK + 1)) != MB_OK)
		goto out;
	if (sqlite3_prepare_v2(sq->db, sql.data, (int)sql.len, &s, NULL) !=
	    SQLITE_OK) {
		rc = mb_sqlite_err(sq, d, "search count");
		goto out;
	}
	sqlite3_bind_text(s, 1, q->match, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(s)) != SQLITE_ROW) {
		rc = search_err(sq, d);
		goto out;
	}
	rows = sqlite3_column_int64(s, 0);
	if (rows > 0)
		oldest = sqlite3_column_int64(s, 1);
	sqlite3_finalize(s);
	s = NULL;
	rc = MB_OK;
	if (rows == 0)
		goto out;
	if (rows > COUNT_WALK) {
		/* oldest: the newest of the oldest matches walked. */
		double share = w->scanned > 0 ? (double)seen /
		    (double)w->scanned : 1.0;
		double d_new = (double)w->scanned / (double)(w->hi - w->last +
		    1);
		double d_old = (double)rows / (double)(oldest - w->lo + 1);
		double between = (double)(w->last - oldest - 1);

		*total = round2(((double)w->scanned + (double)rows +
		    (between > 0 ? between * (d_new + d_old) / 2 : 0)) *
		    share);
		*estimated = true;
		goto out;
	}
	/* A few: count the visible ones exactly. */
	mb_buf_reset(&sql);
	if ((rc = mb_sql_search_ok(&ok, &mb_sqlite_dialect, q)) != MB_OK ||
	    (rc = mb_buf_printf(&sql, "SELECT count(*) FROM fts JOIN items i "
	    "ON i.id = fts.rowid WHERE fts MATCH ?1 AND fts.rowid < %lld AND "
	    "%s", (long long)w->last, ok.data)) != MB_OK)
		goto out;
	if (sqlite3_prepare_v2(sq->db, sql.data, (int)sql.len, &s, NULL) !=
	    SQLITE_OK) {
		rc = mb_sqlite_err(sq, d, "search count");
		goto out;
	}
	bind_query(s, q, now);
	if (sqlite3_step(s) == SQLITE_ROW)
		*total = seen + sqlite3_column_int64(s, 0);
	else
		rc = search_err(sq, d);
out:
	sqlite3_finalize(s);
	mb_buf_free(&sql);
	mb_buf_free(&ok);
	return rc;
}

/* The length of a "\x1f" tag "\x1f" language marker at the start of s. */
static size_t
marker_len(const char *s)
{
	size_t i;

	if (s == NULL || s[0] != '\x1f')
		return 0;
	for (i = 1; i <= 36; i++) {
		char ch = s[i];

		if (ch == '\x1f')
			return i > 1 ? i + 1 : 0;
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') || ch == '-'))
			return 0;
	}
	return 0;
}

static const char *
unmarked(sqlite3_stmt *s, int col)
{
	const char *t = (const char *)sqlite3_column_text(s, col);

	if (t == NULL)
		return "";
	return t + marker_len(t);
}

/*
 * The columns of a page hit; with MATCH the headline and the snippet are
 * highlighted, without (a translation shown in place of the hit that did
 * not match itself) the snippet is the body's lead.
 */
/* A page hit's marked headline and snippet, from SQL_MARKS. */
struct mark {
	int64_t	 show;		/* the item shown */
	bool	 swapped;	/* a translation of the candidate */
	bool	 have;		/* headline and snippet below */
	size_t	 headline;	/* offsets into page.marks */
	size_t	 snippet;
};

struct page {
	sqlite3_stmt	*hit;
	sqlite3_stmt	*lead;
	sqlite3_stmt	*prefer;
	sqlite3_stmt	*row;
	sqlite3_stmt	*marks_st;
	struct mb_buf	 snippet;
	struct mb_buf	 marks;		/* NUL-terminated strings */
	struct mark	 mark[MB_STORE_SEARCH_MAX_LIMIT];
};

static int
prep(struct mb_sqlite *sq, int which, sqlite3_stmt **s, struct mb_diag *d)
{
	if ((*s = ss_stmt(sq, which, d)) == NULL)
		return MB_ERR_STORE;
	return MB_OK;
}

/* Appends s and its NUL to b; *off says where it starts. */
static int
put_str(struct mb_buf *b, const char *s, size_t *off)
{
	*off = b->len;
	return mb_buf_append(b, s, strlen(s) + 1);
}

/*
 * Fills the marks of the page's hits m[0..n) that show a candidate itself
 * (not swapped), all in one SQL_MARKS walk.
 */
static int
fill_marks(struct mb_sqlite *sq, struct page *p,
    const struct mb_store_search_query *q, struct mark *m, int n,
    struct mb_diag *d)
{
	struct mb_buf	 ids = MB_BUF_INIT;
	sqlite3_stmt	*s = p->marks_st;
	int64_t		 lo = INT64_MAX, hi = INT64_MIN;
	int		 rc = MB_OK;

	for (int i = 0; i < n && rc == MB_OK; i++) {
		if (m[i].swapped)
			continue;
		if (m[i].show < lo)
			lo = m[i].show;
		if (m[i].show > hi)
			hi = m[i].show;
		rc = mb_buf_printf(&ids, "%s%lld", ids.len == 0 ? "[" : ",",
		    (long long)m[i].show);
	}
	if (rc != MB_OK || ids.len == 0 || (rc = mb_buf_putc(&ids, ']')) !=
	    MB_OK)
		goto out;
	sqlite3_reset(s);
	sqlite3_bind_text(s, P_MATCH, q->match, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, P_LO, lo);
	sqlite3_bind_int64(s, P_HI, hi);
	sqlite3_bind_text(s, P_IDS, ids.data, (int)ids.len, SQLITE_STATIC);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(s, 0);

		for (int i = 0; i < n; i++) {
			if (m[i].show != id || m[i].swapped || m[i].have)
				continue;
			if (put_str(&p->marks, unmarked(s, 1), &m[i].headline) !=
			    MB_OK || put_str(&p->marks, unmarked(s, 2),
			    &m[i].snippet) != MB_OK) {
				rc = MB_ERR_NOMEM;
				goto out;
			}
			m[i].have = true;
		}
	}
	rc = rc == SQLITE_DONE ? MB_OK : search_err(sq, d);
out:
	sqlite3_reset(s);
	mb_buf_free(&ids);
	return rc;
}

/*
 * Emits one page hit: the item id (matched or its translation). With
 * marks from fill_marks() only the item's columns are read; otherwise
 * the hit is looked up with its own MATCH (a translation, which may not
 * match: then its lead is the snippet).
 */
static int
emit(struct mb_sqlite *sq, struct page *p,
    const struct mb_store_search_query *q, const struct mb_store__cand *c,
    int64_t show_id, const char *matched_uri, const struct mark *mk,
    int (*cb)(const struct mb_store_search_hit *h, void *arg), void *arg,
    struct mb_diag *d)
{
	struct mb_store_search_hit	 h;
	sqlite3_stmt			*s;
	int				 rc;
	bool				 hl = true;

	if (mk->have) {
		s = p->row;
		sqlite3_reset(s);
		sqlite3_bind_int64(s, P_ID, show_id);
		rc = sqlite3_step(s);
	} else {
		s = p->hit;
		sqlite3_reset(s);
		sqlite3_bind_text(s, P_MATCH, q->match, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, P_ID, show_id);
		rc = sqlite3_step(s);
	}
	if (rc != SQLITE_ROW) {
		if (rc != SQLITE_DONE)
			return search_err(sq, d);
		/* A translation that does not match: show its lead. */
		hl = false;
		s = p->lead;
		sqlite3_reset(s);
		sqlite3_bind_int64(s, P_ID, show_id);
		if ((rc = sqlite3_step(s)) != SQLITE_ROW)
			return rc == SQLITE_DONE ? MB_OK :
			    mb_sqlite_err(sq, d, "search");
	}
	memset(&h, 0, sizeof(h));
	h.uri = (const char *)sqlite3_column_text(s, 0);
	h.version = sqlite3_column_int64(s, 1);
	h.seq = sqlite3_column_int64(s, 2);
	h.center = (const char *)sqlite3_column_text(s, 3);
	h.language = (const char *)sqlite3_column_text(s, 4);
	h.type = (const char *)sqlite3_column_text(s, 5);
	h.profile = (const char *)sqlite3_column_text(s, 6);
	h.headline = (const char *)sqlite3_column_text(s, 7);
	if (h.headline == NULL)
		h.headline = "";
	h.first_ms = sqlite3_column_int64(s, 8);
	mb_buf_reset(&p->snippet);
	if (hl && mk->have) {
		h.headline_marked = p->marks.data + mk->headline;
		h.snippet = p->marks.data + mk->snippet;
	} else {
		h.headline_marked = unmarked(s, 9);
		if (hl)
			rc = mb_buf_puts(&p->snippet, unmarked(s, 10));
		else
			rc = mb_store__lead(unmarked(s, 10), &p->snippet);
		if (rc != MB_OK)
			return MB_ERR_NOMEM;
		h.snippet = mb_buf_cstr(&p->snippet);
	}
	h.bm25 = c->bm25;
	h.score = c->score;
	h.matched_uri = matched_uri;
	return cb(&h, arg);
}

/* The id to show for candidate c: itself or its preferred translation. */
static int
preferred(struct mb_sqlite *sq, struct page *p,
    const struct mb_store_search_query *q, int64_t now, const struct mb_store__cand *c,
    int64_t *show, bool *swapped, struct mb_diag *d)
{
	sqlite3_stmt	*s = p->prefer;
	int		 rc;

	*show = c->id;
	*swapped = false;
	if (q->prefer_language == NULL || c->group == NULL)
		return MB_OK;
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	sqlite3_bind_text(s, P_LANG, q->prefer_language, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, P_NOW, now);
	sqlite3_bind_int64(s, P_AUD, q->audiences);
	sqlite3_bind_text(s, P_URI, c->group, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, P_ALL, q->all);
	sqlite3_bind_int64(s, P_ID, c->id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*show = sqlite3_column_int64(s, 0);
		*swapped = *show != c->id;
	} else if (rc != SQLITE_DONE) {
		return mb_sqlite_err(sq, d, "search");
	}
	sqlite3_reset(s);
	return MB_OK;
}

/* The uri of item id (for matched_uri), into out. */
static int
uri_of(struct mb_sqlite *sq, int64_t id, struct mb_buf *out,
    struct mb_diag *d)
{
	sqlite3_stmt	*s;
	int		 rc;

	if (sqlite3_prepare_v2(sq->db, "SELECT uri FROM items WHERE id = ?1",
	    -1, &s, NULL) != SQLITE_OK)
		return mb_sqlite_err(sq, d, "search");
	sqlite3_bind_int64(s, 1, id);
	mb_buf_reset(out);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW)
		rc = mb_buf_puts(out, (const char *)sqlite3_column_text(s, 0));
	else
		rc = rc == SQLITE_DONE ? MB_ERR_NOTFOUND :
		    mb_sqlite_err(sq, d, "search");
	sqlite3_finalize(s);
	return rc;
}

int
mb_sqlite_search(struct mb_store *st, const struct mb_store_search_query *q,
    int (*cb)(const struct mb_store_search_hit *h, void *arg), void *arg,
    struct mb_store_search_result *out, struct mb_diag *d)
{
	struct mb_sqlite	*sq = SQ(st);
	struct page		 p;
	struct mb_buf		 muri = MB_BUF_INIT;
	struct mb_store__cand	*c;
	struct walk		 w = { 0, 0, 0, 0 };
	int64_t			 now;
	int			 n = 0, np, rc;
	int64_t			 seen;
	bool			 more;

	if ((rc = mb_store__search_check(q, d)) != MB_OK)
		return rc;
	memset(&p, 0, sizeof(p));	/* the buffers too: MB_BUF_INIT */
	now = q->now_ms != 0 ? q->now_ms : mb_time_now_ms();
	if ((c = calloc(CANDIDATES, sizeof(*c))) == NULL)
		return MB_ERR_NOMEM;
	if ((rc = collect(sq, q, now, c, &n, &more, &w, d)) != MB_OK)
		goto out;
	seen = n;
	mb_store__rank(c, &n, now, q->prefer_language != NULL);
	if (out != NULL) {
		out->ranked = n;
		out->more = more;
		out->total = n;
		out->total_estimated = false;
		if (more && (rc = count_all(sq, q, now, seen, &w, &out->total,
		    &out->total_estimated, d)) != MB_OK)
			goto out;
	}
	if (q->offset >= n)
		goto out;
	if ((rc = prep(sq, SS_HIT, &p.hit, d)) != MB_OK ||
	    (rc = prep(sq, SS_LEAD, &p.lead, d)) != MB_OK ||
	    (rc = prep(sq, SS_PREFER, &p.prefer, d)) != MB_OK ||
	    (rc = prep(sq, SS_ROW, &p.row, d)) != MB_OK ||
	    (rc = prep(sq, SS_MARKS, &p.marks_st, d)) != MB_OK)
		goto out;
	np = n - q->offset < q->limit ? n - q->offset : q->limit;
	for (int i = 0; i < np; i++)
		if ((rc = preferred(sq, &p, q, now, &c[q->offset + i],
		    &p.mark[i].show, &p.mark[i].swapped, d)) != MB_OK)
			goto out;
	if ((rc = fill_marks(sq, &p, q, p.mark, np, d)) != MB_OK)
		goto out;
	for (int i = 0; i < np; i++) {
		const struct mb_store__cand *ci = &c[q->offset + i];

		if (p.mark[i].swapped && (rc = uri_of(sq, ci->id, &muri, d)) !=
		    MB_OK)
			goto out;
		rc = emit(sq, &p, q, ci, p.mark[i].show, p.mark[i].swapped ?
		    mb_buf_cstr(&muri) : NULL, &p.mark[i], cb, arg, d);
		if (rc != MB_OK) {
			if (rc > 0)
				rc = MB_OK;
			goto out;
		}
	}
out:
	mb_store__cands_free(c, n);
	/* Cached statements: reset so they hold no read transaction. */
	if (p.hit != NULL)
		sqlite3_reset(p.hit);
	if (p.lead != NULL)
		sqlite3_reset(p.lead);
	if (p.prefer != NULL)
		sqlite3_reset(p.prefer);
	if (p.row != NULL)
		sqlite3_reset(p.row);
	if (p.marks_st != NULL)
		sqlite3_reset(p.marks_st);
	mb_buf_free(&p.snippet);
	mb_buf_free(&p.marks);
	mb_buf_free(&muri);
	return rc;
}

/* ---- translations ---------------------------------------------------- */

int
mb_sqlite_translations(struct mb_store *st, const char *uri, bool all,
    unsigned audiences, int64_t now_ms,
    int (*cb)(const struct mb_store_translation *t, void *arg), void *arg,
    struct mb_diag *d)
{
	struct mb_store_translation	t;
	struct mb_sqlite_rows		r;
	int				rc;

	if ((rc = mb_sqlite__query(SQ(st), MB_SQL_TRANSLATIONS("?", ""), &r,
	    "translations", d)) != MB_OK)
		return rc;
	sqlite3_bind_text(r.s, P_URI, uri, -1, SQLITE_STATIC);
	sqlite3_bind_int(r.s, P_ALL, all);
	sqlite3_bind_int64(r.s, P_NOW, now_ms != 0 ? now_ms :
	    mb_time_now_ms());
	sqlite3_bind_int64(r.s, P_AUD, audiences);
	while (rc == MB_OK && mb_sqlite__next(&r, NULL, NULL)) {
		t.uri = (const char *)sqlite3_column_text(r.s, 0);
		t.language = (const char *)sqlite3_column_text(r.s, 1);
		t.headline = (const char *)sqlite3_column_text(r.s, 2);
		t.original = sqlite3_column_int(r.s, 3) != 0;
		t.by = (const char *)sqlite3_column_text(r.s, 4);
		rc = cb(&t, arg);
	}
	return mb_sqlite__end(&r, rc, d);
}
