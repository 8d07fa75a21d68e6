/* SPDX-License-Identifier: MIT */
/* bench/search: the store's search beside a plain FTS5 bm25 top-20 on the same rows; index size; recall@10. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "store/store.h"
#include "text/query.h"
#include "text/tokenizer.h"

/*
 * usage: search_bench N CORPUS_DIR|- WORKDIR
 *
 * Loads N items (4 sentences each, round-robin over the languages) into
 * the store through mb_store_put() with text (the import's checks and
 * signatures are not what is measured here, and importing 1M items
 * through `mediabridge import` takes far longer than this benchmark may),
 * and the same rows into a plain FTS5 table (unicode61 remove_diacritics
 * 2), in parallel. Then: latency of a fixed list of queries per language
 * (picked from the corpus by word frequency) through mb_store_search()
 * and through SELECT ... ORDER BY rank LIMIT 20 on the plain table;
 * index sizes; and recall@10 on a store of single sentences.
 */

#define NLANG	9
#define PER	4	/* sentences per item */
#define RUNS	15	/* timed runs of each query */

static const char *const lang_file[NLANG] = { "arb_Arab", "eng_Latn",
    "fra_Latn", "spa_Latn", "por_Latn", "rus_Cyrl", "swa_Latn", "hin_Deva",
    "zho_Hans" };
static const char *lang_tag[NLANG] = { "ar", "en", "fr", "es", "pt",
    "ru", "sw", "hi", "zh" };

struct sents {
	char	**s;
	size_t	  n;
};
static struct sents	corpus[NLANG];
static int		nlang;

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * This thread's CPU time: on a shared machine (load average far above
 * the core count) wall time is mostly waiting for a core.
 */
static double
cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
die(const char *what, const char *why)
{
	fprintf(stderr, "search_bench: %s: %s\n", what, why);
	exit(1);
}

static void
add_sent(struct sents *c, const char *s)
{
	c->s = realloc(c->s, (c->n + 1) * sizeof(*c->s));
	if (c->s == NULL || (c->s[c->n] = strdup(s)) == NULL)
		die("memory", "out of memory");
	c->n++;
}

/* The corpus, or generated English-like text when there is none. */
static void
load_corpus(const char *dir)
{
	char	path[1024], line[8192];
	FILE	*f;

	for (int l = 0; dir != NULL && strcmp(dir, "-") != 0 && l < NLANG;
	    l++) {
		snprintf(path, sizeof(path), "%s/ntrex128.%s.txt", dir,
		    lang_file[l]);
		if ((f = fopen(path, "r")) == NULL)
			die(path, "cannot open");
		while (fgets(line, sizeof(line), f) != NULL) {
			line[strcspn(line, "\r\n")] = '\0';
			add_sent(&corpus[l], line);
		}
		fclose(f);
		nlang = l + 1;
	}
	if (nlang == 0) {
		static const char *const w[] = { "media", "center", "news",
		    "exchange", "network", "report", "conference", "minister",
		    "press", "training", "journalist", "region", "election",
		    "economy", "health", "culture", "youth", "harbour",
		    "market", "school", "river", "energy", "festival" };
		unsigned seed = 1;

		for (int i = 0; i < 1000; i++) {
			line[0] = '\0';
			for (int k = 0; k < 16; k++) {
				seed = seed * 1103515245 + 12345;
				strcat(line, w[(seed >> 16) % 23]);
				strcat(line, k < 15 ? " " : ".");
			}
			add_sent(&corpus[0], line);
		}
		lang_tag[0] = "en";
		nlang = 1;
	}
}

/* ---- words, for picking queries ---- */

/* True for a byte that ends a word: ASCII non-alnum, and CJK/Arabic punct. */
static size_t
sep_len(const unsigned char *p)
{
	if (*p < 0x80)
		return (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= 'A' && *p <= 'Z') ? 0 : 1;
	/* ，。、：；！？“”（）《》 «» ، ؛ ؟ । */
	if ((p[0] == 0xef && p[1] == 0xbc) || (p[0] == 0xe3 && p[1] == 0x80) ||
	    (p[0] == 0xe2 && p[1] == 0x80) || (p[0] == 0xe0 && p[1] == 0xa5 &&
	    p[2] == 0xa4))
		return 3;
	if ((p[0] == 0xc2 && (p[1] == 0xab || p[1] == 0xbb)) ||
	    (p[0] == 0xd8 && (p[1] == 0x8c || p[1] == 0x9b || p[1] == 0x9f)))
		return 2;
	return 0;
}

static size_t
u8len(unsigned char c)
{
	return c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
}

/* Calls fn for each word of s (zh: each 2-character piece of a run). */
static void
words(const char *s, bool cjk, void (*fn)(const char *w, size_t n,
    void *arg), void *arg)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		const unsigned char	*b;
		size_t			 k;

		if ((k = sep_len(p)) > 0) {
			p += k;
			continue;
		}
		b = p;
		while (*p && sep_len(p) == 0)
			p += u8len(*p);
		if (!cjk) {
			fn((const char *)b, (size_t)(p - b), arg);
			continue;
		}
		/* non-overlapping bigrams of a Han run */
		for (const unsigned char *q = b; q < p;) {
			size_t a = u8len(*q), c;

			if (q + a >= p || *q < 0x80)
				break;
			c = u8len(q[a]);
			fn((const char *)q, a + c, arg);
			q += a + c;
		}
	}
}

struct wc {
	char	*w;
	int	 n;
};
struct wtab {
	struct wc	*v;
	size_t		 n, cap;
};

static void
count_word(const char *w, size_t n, void *arg)
{
	struct wtab	*t = arg;
	size_t		 chars = 0;

	for (size_t i = 0; i < n; i += u8len((unsigned char)w[i]))
		chars++;
	if (chars < 2 || (chars < 4 && (unsigned char)w[0] < 0xe0) ||
	    (w[0] >= '0' && w[0] <= '9'))
		return;
	for (size_t i = 0; i < t->n; i++)
		if (strlen(t->v[i].w) == n && memcmp(t->v[i].w, w, n) == 0) {
			t->v[i].n++;
			return;
		}
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 1024;
		if ((t->v = realloc(t->v, t->cap * sizeof(*t->v))) == NULL)
			die("memory", "out of memory");
	}
	t->v[t->n].w = strndup(w, n);
	t->v[t->n].n = 1;
	t->n++;
}

static int
by_count(const void *a, const void *b)
{
	const struct wc *x = a, *y = b;

	return x->n != y->n ? y->n - x->n : strcmp(x->w, y->w);
}

/* The fixed queries: words by corpus frequency rank, and a pair. */
#define NQ 4
static char query[NLANG][NQ][256];

static void
pick_queries(void)
{
	for (int l = 0; l < nlang; l++) {
		struct wtab	t = { NULL, 0, 0 };
		size_t		r[3] = { 15, 150, 1000 };

		for (size_t i = 0; i < corpus[l].n; i++)
			words(corpus[l].s[i], strcmp(lang_tag[l], "zh") == 0,
			    count_word, &t);
		qsort(t.v, t.n, sizeof(*t.v), by_count);
		for (int k = 0; k < 3; k++)
			snprintf(query[l][k], sizeof(query[l][k]), "%s",
			    t.v[r[k] < t.n ? r[k] : t.n - 1].w);
		snprintf(query[l][3], sizeof(query[l][3]), "%s %s",
		    t.v[r[0] + 1 < t.n ? r[0] + 1 : 0].w, query[l][1]);
		for (size_t i = 0; i < t.n; i++)
			free(t.v[i].w);
		free(t.v);
	}
}

/* ---- loading ---- */

static void
xexec(sqlite3 *db, const char *sql)
{
	char *m = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &m) != SQLITE_OK)
		die(sql, m ? m : "?");
}

/* Item i's text: headline and body, from the corpus, deterministic. */
static void
item_text(int64_t i, int *lang, char *head, size_t hn, char *body,
    size_t bn)
{
	int		 l = (int)(i % nlang);
	uint64_t	 x = (uint64_t)i * 2654435761u + 12345;
	size_t		 j = (size_t)(x % corpus[l].n), len;

	*lang = l;
	body[0] = '\0';
	for (int k = 0; k < PER; k++) {
		const char *s = corpus[l].s[(j + (size_t)k) % corpus[l].n];

		len = strlen(body);
		snprintf(body + len, bn - len, "%s%s", k ? " " : "", s);
	}
	snprintf(head, hn, "%s", corpus[l].s[j]);
	if (strlen(head) > 90) {
		char *sp = strchr(head + 60, ' ');

		if (sp != NULL)
			*sp = '\0';
		head[120] = '\0';
	}
}

struct load {
	const char	*path;
	int64_t		 n;
	double		 secs;
	int64_t		 text_bytes;
};

static void *
load_plain(void *arg)
{
	struct load	*ld = arg;
	sqlite3		*db;
	sqlite3_stmt	*s;
	char		 head[512], body[8192];
	int		 lang;
	double		 t0 = now_s();

	if (sqlite3_open(ld->path, &db) != SQLITE_OK)
		die(ld->path, "cannot open");
	xexec(db, "PRAGMA page_size = 16384; PRAGMA journal_mode = WAL; "
	    "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536; "
	    "CREATE VIRTUAL TABLE fts USING fts5(headline, body, "
	    "tokenize = 'unicode61 remove_diacritics 2'); BEGIN");
	if (sqlite3_prepare_v2(db, "INSERT INTO fts (rowid, headline, body) "
	    "VALUES (?1, ?2, ?3)", -1, &s, NULL) != SQLITE_OK)
		die("plain", sqlite3_errmsg(db));
	for (int64_t i = 0; i < ld->n; i++) {
		item_text(i, &lang, head, sizeof(head), body, sizeof(body));
		sqlite3_bind_int64(s, 1, i + 1);
		sqlite3_bind_text(s, 2, head, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 3, body, -1, SQLITE_STATIC);
		if (sqlite3_step(s) != SQLITE_DONE)
			die("plain insert", sqlite3_errmsg(db));
		sqlite3_reset(s);
		if (i % 20000 == 19999)
			xexec(db, "COMMIT; BEGIN");
	}
	sqlite3_finalize(s);
	xexec(db, "COMMIT; INSERT INTO fts(fts) VALUES ('optimize')");
	sqlite3_close(db);
	ld->secs = now_s() - t0;
	return NULL;
}

/*
 * MB_BENCH_CACHE_KB: the connection's page cache (serve's is 16384, the
 * commands' 65536, the default here); MB_BENCH_MEMORY_MB: SQLite's
 * memory for the process (serve's [store] memory_mb, 24): the queries
 * as serve's request thread runs them.
 */
static struct mb_store *
open_store(const char *path)
{
	struct mb_store		*st;
	struct mb_store_opts	 o;
	struct mb_diag		 d = { "" };
	const char		*kb = getenv("MB_BENCH_CACHE_KB");
	const char		*mb = getenv("MB_BENCH_MEMORY_MB");

	memset(&o, 0, sizeof(o));
	o.fts5_tokenizer = mb_text_fts5_tokenizer();
	if (kb != NULL)
		o.cache_kb = atoi(kb);
	if (mb != NULL)
		mb_store_memory_limit((int64_t)atoi(mb) * 1024 * 1024);

	if (mb_store_open(path, &o, &st, &d) != MB_OK)
		die(path, d.msg);
	return st;
}

#define BASE_MS 1700000000000LL

static void
put_item(struct mb_store *st, int64_t i, int lang, const char *head,
    const char *body)
{
	struct mb_store_version	v;
	struct mb_store_text	t;
	struct mb_diag		d = { "" };
	char			uri[64], local[32], env[128];
	int64_t			seq;

	snprintf(local, sizeof(local), "b%09lld", (long long)i);
	snprintf(uri, sizeof(uri), "urn:mediabridge:bench:%s", local);
	snprintf(env, sizeof(env), "{\"item\":{\"uri\":\"%s\"}}", uri);
	memset(&v, 0, sizeof(v));
	v.uri = uri;
	v.center = "bench";
	v.local = local;
	v.version = 1;
	v.origin = "bench";
	v.audience = "public";
	v.pub_status = "usable";
	v.workflow = "published";
	v.language = lang_tag[lang];
	v.type = "text";
	v.headline = head;
	v.first_ms = BASE_MS + i * 600;	/* one every 10 minutes of news */
	v.created_ms = v.first_ms;
	v.received_ms = v.first_ms;
	v.envelope = env;
	v.envelope_len = strlen(env);
	t.language = lang_tag[lang];
	t.headline = head;
	t.body = body;
	if (mb_store_put(st, &v, &t, &seq, &d) != MB_OK)
		die("put", d.msg);
}

static void *
load_store(void *arg)
{
	struct load	*ld = arg;
	struct mb_store	*st = open_store(ld->path);
	char		 head[512], body[8192];
	int		 lang;
	double		 t0 = now_s();

	mb_store_begin(st, NULL);
	for (int64_t i = 0; i < ld->n; i++) {
		item_text(i, &lang, head, sizeof(head), body, sizeof(body));
		ld->text_bytes += (int64_t)(strlen(head) + strlen(body));
		put_item(st, i, lang, head, body);
		if (i % 20000 == 19999) {
			mb_store_commit(st, NULL);
			mb_store_begin(st, NULL);
		}
	}
	mb_store_commit(st, NULL);
	mb_store_close(st);
	ld->secs = now_s() - t0;
	return NULL;
}

/* ---- latency ---- */

static int
cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
pct(double *v, int n, double p)
{
	int i = (int)(p * (n - 1) + 0.5);

	return v[i < n ? i : n - 1];
}

static int
count_hit(const struct mb_store_search_hit *h, void *arg)
{
	(void)h;
	(*(int *)arg)++;
	return MB_OK;
}

static double
time_mb(struct mb_store *st, const char *q, const char *lang, int *hits,
    struct mb_store_search_result *res, double *cpu_ms)
{
	struct mb_store_search_query	 sq;
	struct mb_buf			 m = MB_BUF_INIT;
	struct mb_diag			 d = { "" };
	double				 t0 = now_s(), c0 = cpu_s();

	*hits = 0;
	if (mb_text_query_translate(q, strlen(q), lang, &m, &d) != MB_OK)
		die(q, d.msg);
	memset(&sq, 0, sizeof(sq));
	sq.match = m.data;
	sq.limit = getenv("MB_BENCH_LIMIT") ? atoi(getenv("MB_BENCH_LIMIT")) :
	    20;
	sq.audiences = MB_AUD_PUBLIC;
	sq.now_ms = BASE_MS + 2000000000LL;
	if (mb_store_search(st, &sq, count_hit, hits, res, &d) != MB_OK)
		die(q, d.msg);
	mb_buf_free(&m);
	*cpu_ms = (cpu_s() - c0) * 1000;
	return (now_s() - t0) * 1000;
}

/* The plain table's MATCH: each word quoted, ANDed. */
static void
plain_match(const char *q, char *out, size_t n)
{
	const char *p = q;

	out[0] = '\0';
	while (*p) {
		size_t k = strcspn(p, " ");

		if (k > 0)
			snprintf(out + strlen(out), n - strlen(out),
			    "%s\"%.*s\"", out[0] ? " " : "", (int)k, p);
		p += k;
		p += strspn(p, " ");
	}
}

static double
time_plain(sqlite3_stmt *s, const char *q, int limit, int *hits,
    int64_t want, bool *found)
{
	char	m[512];
	double	t0 = now_s();

	plain_match(q, m, sizeof(m));
	sqlite3_reset(s);
	sqlite3_bind_text(s, 1, m, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(s, 2, limit);
	*hits = 0;
	if (found != NULL)
		*found = false;
	while (sqlite3_step(s) == SQLITE_ROW) {
		if (found != NULL && sqlite3_column_int64(s, 0) == want)
			*found = true;
		(*hits)++;
	}
	return (now_s() - t0) * 1000;
}

/* Bytes of the FTS index (data + idx + docsize) and of its stored copy. */
static void
fts_sizes(const char *path, int64_t *index, int64_t *content)
{
	sqlite3		*db;
	sqlite3_stmt	*s;

	*index = *content = -1;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK)
		return;
	if (sqlite3_prepare_v2(db, "SELECT coalesce(sum(CASE WHEN name IN "
	    "('fts_data', 'fts_idx', 'fts_docsize') THEN pgsize END), 0), "
	    "coalesce(sum(CASE WHEN name = 'fts_content' THEN pgsize END), 0) "
	    "FROM dbstat", -1, &s, NULL) == SQLITE_OK) {
		if (sqlite3_step(s) == SQLITE_ROW) {
			*index = sqlite3_column_int64(s, 0);
			*content = sqlite3_column_int64(s, 1);
		}
		sqlite3_finalize(s);
	}
	sqlite3_close(db);
}

static int64_t
file_bytes(const char *path)
{
	struct stat	sb;
	char		p[1100];
	int64_t		n = 0;

	if (stat(path, &sb) == 0)
		n += sb.st_size;
	snprintf(p, sizeof(p), "%s-wal", path);
	if (stat(p, &sb) == 0)
		n += sb.st_size;
	return n;
}

/* ---- recall@10 ---- */

struct pickw {
	char	w[3][128];
	size_t	n[3];
};

/* Keeps the 3 longest distinct words (in bytes; ties: first). */
static void
keep_long(const char *w, size_t n, void *arg)
{
	struct pickw	*p = arg;
	size_t		 chars = 0;

	for (size_t i = 0; i < n; i += u8len((unsigned char)w[i]))
		chars++;
	if (n >= 128 || chars < 2 || (w[0] >= '0' && w[0] <= '9'))
		return;
	for (int k = 0; k < 3; k++)
		if (p->n[k] == n && memcmp(p->w[k], w, n) == 0)
			return;
	for (int k = 0; k < 3; k++)
		if (n > p->n[k]) {
			for (int j = 2; j > k; j--) {
				memcpy(p->w[j], p->w[j - 1], sizeof(p->w[j]));
				p->n[j] = p->n[j - 1];
			}
			memcpy(p->w[k], w, n);
			p->w[k][n] = '\0';
			p->n[k] = n;
			return;
		}
}

struct find {
	const char	*want;
	bool		 found;
};

static int
find_hit(const struct mb_store_search_hit *h, void *arg)
{
	struct find *f = arg;

	if (strcmp(h->uri, f->want) == 0)
		f->found = true;
	return MB_OK;
}

static void
recall(const char *work)
{
	char		 sp[1024], pp[1024], q[512], uri[64], mt[600];
	struct mb_store	*st;
	sqlite3		*pdb;
	sqlite3_stmt	*ps, *ins;
	int		 every = 1, tot_mb = 0, tot_pl = 0, tot = 0;

	snprintf(sp, sizeof(sp), "%s/recall.db", work);
	snprintf(pp, sizeof(pp), "%s/recall-plain.db", work);
	/* Built afresh: with N 0 the work dir has an earlier run's. */
	for (int k = 0; k < 2; k++) {
		char f[1100];

		for (int j = 0; j < 3; j++) {
			snprintf(f, sizeof(f), "%s%s", k ? pp : sp,
			    (const char *const[]){ "", "-wal", "-shm" }[j]);
			unlink(f);
		}
	}
	st = open_store(sp);
	if (sqlite3_open(pp, &pdb) != SQLITE_OK)
		die(pp, "cannot open");
	xexec(pdb, "CREATE VIRTUAL TABLE fts USING fts5(headline, body, "
	    "tokenize = 'unicode61 remove_diacritics 2'); BEGIN");
	if (sqlite3_prepare_v2(pdb, "INSERT INTO fts (rowid, headline, body) "
	    "VALUES (?1, '', ?2)", -1, &ins, NULL) != SQLITE_OK)
		die("recall", sqlite3_errmsg(pdb));
	mb_store_begin(st, NULL);
	for (int l = 0; l < nlang; l++)
		for (size_t i = 0; i < corpus[l].n; i++) {
			int64_t id = (int64_t)l * 100000 + (int64_t)i;

			put_item(st, id, l, "", corpus[l].s[i]);
			sqlite3_bind_int64(ins, 1, id + 1);
			sqlite3_bind_text(ins, 2, corpus[l].s[i], -1,
			    SQLITE_STATIC);
			sqlite3_step(ins);
			sqlite3_reset(ins);
		}
	mb_store_commit(st, NULL);
	sqlite3_finalize(ins);
	xexec(pdb, "COMMIT");
	if (sqlite3_prepare_v2(pdb, "SELECT rowid FROM fts WHERE fts MATCH ?1 "
	    "ORDER BY rank LIMIT ?2", -1, &ps, NULL) != SQLITE_OK)
		die("recall", sqlite3_errmsg(pdb));
	printf("recall@10 (a query of the 3 longest words of a sentence finds "
	    "it in the top 10), stemmed mb / plain unicode61:\n ");
	for (int l = 0; l < nlang; l++) {
		int n = 0, okm = 0, okp = 0;

		for (size_t i = 0; i < corpus[l].n; i += (size_t)every) {
			struct pickw			 pw;
			struct mb_store_search_query	 sq;
			struct mb_buf			 m = MB_BUF_INIT;
			struct find			 f;
			int				 hits;
			bool				 fp;
			int64_t				 id;

			memset(&pw, 0, sizeof(pw));
			words(corpus[l].s[i], strcmp(lang_tag[l], "zh") == 0,
			    keep_long, &pw);
			if (pw.n[0] == 0)
				continue;
			snprintf(q, sizeof(q), "%s %s %s", pw.w[0], pw.w[1],
			    pw.w[2]);
			id = (int64_t)l * 100000 + (int64_t)i;
			snprintf(uri, sizeof(uri),
			    "urn:mediabridge:bench:b%09lld", (long long)id);
			n++;
			if (mb_text_query_translate(q, strlen(q), lang_tag[l],
			    &m, NULL) == MB_OK) {
				memset(&sq, 0, sizeof(sq));
				sq.match = m.data;
				sq.limit = 10;
				sq.audiences = MB_AUD_PUBLIC;
				sq.now_ms = BASE_MS + 2000000000LL;
				f.want = uri;
				f.found = false;
				if (mb_store_search(st, &sq, find_hit, &f, NULL,
				    NULL) == MB_OK && f.found)
					okm++;
			}
			mb_buf_free(&m);
			(void)mt;
			time_plain(ps, q, 10, &hits, id + 1, &fp);
			if (fp)
				okp++;
		}
		printf(" %s %.1f/%.1f%%", lang_tag[l], n ? 100.0 * okm / n : 0,
		    n ? 100.0 * okp / n : 0);
		tot_mb += okm;
		tot_pl += okp;
		tot += n;
	}
	printf("\n  all: stemmed %.1f%%, plain %.1f%% (%d sentences)\n",
	    tot ? 100.0 * tot_mb / tot : 0, tot ? 100.0 * tot_pl / tot : 0,
	    tot);
	sqlite3_finalize(ps);
	sqlite3_close(pdb);
	mb_store_close(st);
}

int
main(int argc, char **argv)
{
	char		 sp[1024], pp[1024];
	struct load	 ls = { sp, 0, 0, 0 }, lp = { pp, 0, 0, 0 };
	pthread_t	 th;
	struct mb_store	*st;
	sqlite3		*pdb;
	sqlite3_stmt	*ps;
	double		*tm, *tp, all_m[NLANG * NQ * RUNS], all_p[NLANG * NQ *
	    RUNS], all_c[NLANG * NQ * RUNS], cpu, la[1], la0 = -1, la1 = -1;
	int		 na = 0;
	int64_t		 idx_m, cont_m, idx_p, cont_p;

	if (argc != 4)
		die("usage", "search_bench N CORPUS_DIR|- WORKDIR");
	ls.n = lp.n = atoll(argv[1]);
	load_corpus(argv[2]);
	pick_queries();
	snprintf(sp, sizeof(sp), "%s/store.db", argv[3]);
	snprintf(pp, sizeof(pp), "%s/plain.db", argv[3]);

	/* Load both in parallel: one core each. N 0: reuse WORKDIR's. */
	if (ls.n > 0) {
		if (pthread_create(&th, NULL, load_plain, &lp) != 0)
			die("thread", "cannot start");
		load_store(&ls);
		pthread_join(th, NULL);
	}
	printf("items: %lld in %d languages (%d sentences each), %.1f MB of "
	    "text\n", (long long)ls.n, nlang, PER, ls.text_bytes / 1e6);
	printf("load: store (mb_store_put, stemmed index) %.0f items/s, "
	    "plain FTS5 unicode61 %.0f rows/s\n", ls.n / ls.secs,
	    lp.n / lp.secs);

	st = open_store(sp);
	/*
	 * Commits only write their segments; serve's indexer merges them
	 * when the center is idle (mb_store_index_tidy), and that is the
	 * index readers meet. SEARCH_UNTIDY=1 measures it as a catch-up
	 * leaves it instead (FTS5's crisismerge the only bound).
	 */
	{
		struct mb_store_stats	ss0, ss1;
		bool			more = true;
		double			t0 = now_s();
		int			steps = 0;

		mb_store_stats(st, &ss0, NULL);
		while (getenv("SEARCH_UNTIDY") == NULL && more) {
			if (mb_store_index_tidy(st, 256, &more, NULL) != MB_OK)
				die("tidy", "merging the index failed");
			steps++;
		}
		mb_store_stats(st, &ss1, NULL);
		printf("index: %lld segments after the load, %lld after the "
		    "idle merge (%d steps, %.1f s)\n",
		    (long long)ss0.index_segments,
		    (long long)ss1.index_segments, steps, now_s() - t0);
	}
	if (sqlite3_open_v2(pp, &pdb, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK)
		die(pp, "cannot open");
	xexec(pdb, "PRAGMA cache_size = -65536");
	if (sqlite3_prepare_v2(pdb, "SELECT rowid FROM fts WHERE fts MATCH ?1 "
	    "ORDER BY rank LIMIT ?2", -1, &ps, NULL) != SQLITE_OK)
		die("plain", sqlite3_errmsg(pdb));
	if (getloadavg(la, 1) == 1)
		la0 = la[0];
	tm = calloc(RUNS, sizeof(double));
	tp = calloc(RUNS, sizeof(double));
	printf("%-4s %-34s %9s %9s %9s %9s %8s\n", "lang", "query",
	    "mb p50", "mb p99", "fts p50", "fts p99", "matches");
	for (int l = 0; l < nlang; l++)
		for (int k = 0; k < NQ; k++) {
			struct mb_store_search_result	r;
			int				h, hp;
			const char			*q = query[l][k];

			/* warm */
			time_mb(st, q, lang_tag[l], &h, &r, &cpu);
			time_plain(ps, q, 20, &hp, 0, NULL);
			for (int i = 0; i < RUNS; i++) {
				tm[i] = time_mb(st, q, lang_tag[l], &h, &r,
				    &cpu);
				tp[i] = time_plain(ps, q, 20, &hp, 0, NULL);
				all_c[na] = cpu;
				all_m[na] = tm[i];
				all_p[na++] = tp[i];
			}
			qsort(tm, RUNS, sizeof(double), cmp_d);
			qsort(tp, RUNS, sizeof(double), cmp_d);
			printf("%-4s %-34.34s %8.2fms %8.2fms %8.2fms %8.2fms "
			    "%7lld%s\n", lang_tag[l], q, pct(tm, RUNS, 0.5),
			    pct(tm, RUNS, 0.99), pct(tp, RUNS, 0.5),
			    pct(tp, RUNS, 0.99), (long long)r.ranked,
			    r.more ? "+" : "");
		}
	if (getloadavg(la, 1) == 1)
		la1 = la[0];
	qsort(all_m, (size_t)na, sizeof(double), cmp_d);
	qsort(all_p, (size_t)na, sizeof(double), cmp_d);
	qsort(all_c, (size_t)na, sizeof(double), cmp_d);
	sqlite3_finalize(ps);
	sqlite3_close(pdb);
	mb_store_close(st);

	fts_sizes(sp, &idx_m, &cont_m);
	fts_sizes(pp, &idx_p, &cont_p);
	printf("text: %.1f MB; stemmed index %.1f MB (%.2fx text), plain "
	    "unicode61 index %.1f MB (%.2fx text); files: store %.1f MB, "
	    "plain %.1f MB\n", ls.text_bytes / 1e6, idx_m / 1e6,
	    (double)idx_m / (double)ls.text_bytes, idx_p / 1e6,
	    (double)idx_p / (double)ls.text_bytes, file_bytes(sp) / 1e6,
	    file_bytes(pp) / 1e6);
	recall(argv[3]);
	printf("all queries (%d timings each): mb p50 %.2f ms p99 %.2f ms; "
	    "plain FTS5 bm25 top-20 p50 %.2f ms p99 %.2f ms\n", na,
	    pct(all_m, na, 0.5), pct(all_m, na, 0.99), pct(all_p, na, 0.5),
	    pct(all_p, na, 0.99));
	printf("mb search CPU time (this thread): p50 %.2f ms p99 %.2f ms; "
	    "load average %.1f at the start of the queries, %.1f at the end\n",
	    pct(all_c, na, 0.5), pct(all_c, na, 0.99), la0, la1);
	printf("search ratio: p99 %.2f ms = %.3f of plain FTS5 bm25 p99 "
	    "(target p99 <= 10 ms)\n", pct(all_m, na, 0.99),
	    pct(all_m, na, 0.99) / pct(all_p, na, 0.99));
	free(tm);
	free(tp);
	return 0;
}
