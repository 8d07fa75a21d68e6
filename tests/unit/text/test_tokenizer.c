/* SPDX-License-Identifier: MIT */
/* Unit tests for the "mb" FTS5 tokenizer: tokens and offsets, stemming per
 * language through the marker, CJK bigrams, and search in a real table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "base/buf.h"
#include "base/err.h"
#include "text/query.h"
#include "text/tokenizer.h"

/* --- calling the tokenizer directly ------------------------------------ */

struct collect {
	struct mb_buf	 b;
	const char	*text;
};

static int
on_token(void *ctx, int flags, const char *tok, int n, int s, int e)
{
	struct collect	*c = ctx;

	if (c->b.len > 0)
		mb_buf_putc(&c->b, ' ');
	mb_buf_printf(&c->b, "%s%.*s@%d-%d", flags & FTS5_TOKEN_COLOCATED ?
	    "+" : "", n, tok, s, e);
	return SQLITE_OK;
}

/* "tok@start-end tok@..." for text (with the marker for lang). */
static char *
tokens(const char *lang, const char *text, int flags)
{
	const fts5_tokenizer	*tk = mb_text_fts5_tokenizer();
	Fts5Tokenizer		*t;
	struct mb_buf		 in = MB_BUF_INIT;
	struct collect		 c = { MB_BUF_INIT, NULL };

	assert_int_equal(tk->xCreate(NULL, NULL, 0, &t), SQLITE_OK);
	assert_int_equal(mb_text_put_marker(&in, lang), MB_OK);
	mb_buf_puts(&in, text);
	c.text = in.data;
	assert_int_equal(tk->xTokenize(t, &c, flags, in.data, (int)in.len,
	    on_token), SQLITE_OK);
	tk->xDelete(t);
	mb_buf_free(&in);
	mb_buf_append(&c.b, "", 0);
	return mb_buf_steal(&c.b);
}

static void
check_tokens(const char *lang, const char *text, int flags, const char *want)
{
	char	*got = tokens(lang, text, flags);

	if (strcmp(got, want) != 0)
		fail_msg("tokens(%s, %s):\n want [%s]\n got  [%s]",
		    lang ? lang : "-", text, want, got);
	free(got);
}

static void
test_tokens_plain(void **state)
{
	(void)state;
	check_tokens(NULL, "Hello, World! 2024", 0,
	    "hello@0-5 world@7-12 2024@14-18");
	check_tokens(NULL, "  ", 0, "");
	check_tokens(NULL, "", 0, "");
	/* No marker: no stemming, but folding. */
	check_tokens(NULL, "Élections", 0, "elections@0-10");
	/* Offsets are in the original text, marker included. */
	check_tokens("en", "Elections held", 0, "elect@4-13 held@14-18");
	check_tokens("fr", "l'élection", 0, "l@4-5 elect@6-15");
	/* A stray byte separates words. */
	check_tokens(NULL, "ab\xffgh", 0, "ab@0-2 gh@3-5");
	/* A malformed marker is not a marker. */
	check_tokens(NULL, "\x1f" "e n\x1fword", 0, "e@1-2 n@3-4 word@5-9");
}

static void
test_tokens_arabic(void **state)
{
	(void)state;
	/* Harakat do not split words; the stem drops article and suffix. */
	check_tokens("ar", "وَبِالكِتَابِ", 0, "كتاب@4-30");
	check_tokens("ar", "الكتاب كتابه", 0, "كتاب@4-16 كتاب@17-27");
	/* Without a marker: normalized, not stemmed. */
	check_tokens(NULL, "الكتاب", 0, "الكتاب@0-12");
}

static void
test_tokens_cjk(void **state)
{
	(void)state;
	/* Bigrams; the last character again, colocated, in documents. */
	check_tokens("zh", "北京大学", 0,
	    "北京@4-10 京大@7-13 大学@10-16 +学@13-16");
	check_tokens("zh", "北京大学", FTS5_TOKENIZE_QUERY,
	    "北京@4-10 京大@7-13 大学@10-16");
	check_tokens(NULL, "中", 0, "中@0-3");
	/* Mixed with words. */
	check_tokens(NULL, "GDP增长7%", 0, "gdp@0-3 增长@3-9 +长@6-9 7@9-10");
	check_tokens(NULL, "カタカナ", FTS5_TOKENIZE_QUERY,
	    "カタ@0-6 タカ@3-9 カナ@6-12");
}

static void
test_tokens_prefix(void **state)
{
	(void)state;
	/* The last word of a prefix query is not stemmed. */
	check_tokens("en", "running elections", FTS5_TOKENIZE_QUERY |
	    FTS5_TOKENIZE_PREFIX, "run@4-11 elections@12-21");
	check_tokens("en", "running elections", FTS5_TOKENIZE_QUERY,
	    "run@4-11 elect@12-21");
}

static int
stop_at_two(void *ctx, int flags, const char *tok, int n, int s, int e)
{
	int	*count = ctx;

	(void)flags, (void)tok, (void)n, (void)s, (void)e;
	return ++*count == 2 ? SQLITE_ABORT : SQLITE_OK;
}

static void
test_tokens_errors(void **state)
{
	const fts5_tokenizer	*tk = mb_text_fts5_tokenizer();
	Fts5Tokenizer		*t;
	const char		*args[] = { "x" };
	int			 count = 0;

	(void)state;
	assert_int_equal(tk->xCreate(NULL, args, 1, &t), SQLITE_ERROR);
	assert_int_equal(tk->xCreate(NULL, NULL, 0, &t), SQLITE_OK);
	/* The callback's error is passed back. */
	assert_int_equal(tk->xTokenize(t, &count, 0, "a b c d", 7,
	    stop_at_two), SQLITE_ABORT);
	/* Many languages in one instance. */
	const char *langs[] = { "en", "fr", "de", "ru", "es", "pt", "it",
	    "nl", "sv", "tr", "ar", "hi", "ro" };
	for (size_t i = 0; i < sizeof(langs) / sizeof(langs[0]); i++) {
		char buf[64];
		count = -100;
		snprintf(buf, sizeof(buf), "\x1f%s\x1fwords here", langs[i]);
		assert_int_equal(tk->xTokenize(t, &count, 0, buf,
		    (int)strlen(buf), stop_at_two), SQLITE_OK);
	}
	tk->xDelete(t);
	tk->xDelete(NULL);
}

/* --- search in a real FTS5 table --------------------------------------- */

static sqlite3 *
open_db(void)
{
	sqlite3		*db;
	sqlite3_stmt	*st;
	fts5_api	*api = NULL;

	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st,
	    NULL), SQLITE_OK);
	sqlite3_bind_pointer(st, 1, &api, "fts5_api_ptr", NULL);
	sqlite3_step(st);
	sqlite3_finalize(st);
	assert_non_null(api);
	assert_int_equal(mb_text_fts5_register(api), MB_OK);
	assert_int_equal(sqlite3_exec(db, "CREATE VIRTUAL TABLE t USING "
	    "fts5(title, body, tokenize='mb')", NULL, NULL, NULL), SQLITE_OK);
	return db;
}

static void
add(sqlite3 *db, int id, const char *lang, const char *title,
    const char *body)
{
	sqlite3_stmt	*st;
	struct mb_buf	 t = MB_BUF_INIT, b = MB_BUF_INIT;

	mb_text_put_marker(&t, lang);
	mb_buf_puts(&t, title);
	mb_text_put_marker(&b, lang);
	mb_buf_puts(&b, body);
	assert_int_equal(sqlite3_prepare_v2(db, "INSERT INTO t(rowid, title, "
	    "body) VALUES (?, ?, ?)", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_int(st, 1, id);
	sqlite3_bind_text(st, 2, t.data, (int)t.len, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, b.data, (int)b.len, SQLITE_TRANSIENT);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	mb_buf_free(&t);
	mb_buf_free(&b);
}

/* The matching rowids, "1,3", for the reader's query q in lang. */
static char *
search(sqlite3 *db, const char *q, const char *lang)
{
	struct mb_buf	 m = MB_BUF_INIT, r = MB_BUF_INIT;
	struct mb_diag	 d = { "" };
	sqlite3_stmt	*st;
	int		 rc;

	if (mb_text_query_translate(q, strlen(q), lang, &m, &d) != MB_OK)
		fail_msg("translate(%s): %s", q, d.msg);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT rowid FROM t WHERE t "
	    "MATCH ? ORDER BY rowid", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, m.data, (int)m.len, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		mb_buf_printf(&r, "%s%d", r.len ? "," : "",
		    sqlite3_column_int(st, 0));
	if (rc != SQLITE_DONE)
		fail_msg("query %s -> %s: %s", q, m.data, sqlite3_errmsg(db));
	sqlite3_finalize(st);
	mb_buf_free(&m);
	mb_buf_append(&r, "", 0);
	return mb_buf_steal(&r);
}

static void
expect(sqlite3 *db, const char *q, const char *lang, const char *want)
{
	char	*got = search(db, q, lang);

	if (strcmp(got, want) != 0)
		fail_msg("search(%s, %s): want [%s], got [%s]", q,
		    lang ? lang : "-", want, got);
	free(got);
}

static void
test_search_arabic(void **state)
{
	sqlite3	*db = open_db();

	(void)state;
	add(db, 1, "ar", "الكتاب الجديد", "صدر الكتاب في القاهرة");
	add(db, 2, "ar", "خبر", "وبالكتاب نتعلم الكثير");
	add(db, 3, "ar", "خبر", "قرأت كتابه أمس وكتابها اليوم");
	add(db, 4, "ar", "المعلمون", "اجتمع المعلمون والمعلمات في المدرسة");
	add(db, 5, "ar", "الانتخابات", "نتائج الانتخابات والانتخابات المحلية");
	add(db, 6, "ar", "أحمد", "التقى أَحْمَد بالوزير");
	add(db, 7, "ar", "مدرسة", "افتتاح مدرسة جديدة في المدينة");
	/* The word, with the article, with و and ب, with a pronoun. */
	expect(db, "كتاب", "ar", "1,2,3");
	expect(db, "الكتاب", "ar", "1,2,3");
	expect(db, "كتابه", NULL, "1,2,3");	/* language from script */
	/* Sound plurals and the conjunction. */
	expect(db, "معلم", "ar", "4");
	expect(db, "المعلمين", "ar", "4");
	expect(db, "معلمات", "ar", "4");
	expect(db, "انتخابات", "ar", "5");
	/* Harakat and alef forms folded, both ways. */
	expect(db, "احمد", "ar", "6");
	expect(db, "أحمد", "ar", "6");
	expect(db, "الوزير", "ar", "6");
	/* Ta marbuta. */
	expect(db, "المدرسه", "ar", "4,7");
	sqlite3_close(db);
}

static void
test_search_russian(void **state)
{
	sqlite3	*db = open_db();

	(void)state;
	add(db, 1, "ru", "Выборы", "Итоги голосования на выборах в парламент");
	add(db, 2, "ru", "Новости", "Подсчёт выборов завершён");
	add(db, 3, "ru", "Ёлка", "На площади поставили ёлку");
	add(db, 4, "ru", "Погода", "Завтра будет дождь");
	expect(db, "выборы", "ru", "1,2");
	expect(db, "выборах", NULL, "1,2");
	expect(db, "подсчет", "ru", "2");	/* ё typed as е */
	expect(db, "елка", "ru", "3");
	expect(db, "ЁЛКИ", "ru", "3");
	sqlite3_close(db);
}

static void
test_search_romance(void **state)
{
	sqlite3	*db = open_db();

	(void)state;
	add(db, 1, "fr", "Élection présidentielle", "Les élections ont eu "
	    "lieu dimanche");
	add(db, 2, "fr", "Au café", "Le cafe du coin a fermé");
	add(db, 3, "es", "Año nuevo", "Las elecciones del próximo año");
	add(db, 4, "pt", "Eleições", "A eleição foi adiada; as ações caíram");
	add(db, 5, "en", "Elections", "The election was held on Sunday");
	/* French: accents typed or not, both directions (the English
	 * "election" has the same stem: fine). */
	expect(db, "election", "fr", "1,5");
	expect(db, "élections", "fr", "1,5");
	expect(db, "cafe", "fr", "2");
	expect(db, "café", "fr", "2");
	expect(db, "presidentielle", "fr", "1");
	/* Spanish. */
	expect(db, "ano", "es", "3");
	expect(db, "año", "es", "3");
	expect(db, "eleccion", "es", "3");
	expect(db, "proximo", "es", "3");
	/* Portuguese: -ção/-ções together. */
	expect(db, "eleicao", "pt", "4");
	expect(db, "eleições", "pt", "4");
	expect(db, "acao", "pt", "4");
	/* Unknown query language: all the Latin stemmers at once. */
	expect(db, "elections", NULL, "1,5");
	expect(db, "eleicoes", NULL, "4");
	expect(db, "election", "en", "1,5");
	sqlite3_close(db);
}

static void
test_search_cjk_hi_sw(void **state)
{
	sqlite3	*db = open_db();

	(void)state;
	add(db, 1, "zh", "北京大学", "北京大学今天举行了毕业典礼。");
	add(db, 2, "zh", "天气", "上海明天有雨");
	add(db, 3, "hi", "चुनाव", "राज्य में चुनावों के नतीजे घोषित");
	add(db, 4, "hi", "सरकार", "नई सरकारें बनीं");
	add(db, 5, "sw", "Habari", "Wanafunzi wamerudi shuleni leo");
	add(db, 6, "sw", "Uchaguzi", "Matokeo ya UCHAGUZI yametangazwa");
	expect(db, "大学", "zh", "1");
	expect(db, "北京", NULL, "1");
	expect(db, "京大", NULL, "1");
	expect(db, "北京大学", NULL, "1");
	expect(db, "学", NULL, "1");	/* last of a run: colocated unigram */
	expect(db, "雨", NULL, "2");
	expect(db, "海", NULL, "2");
	expect(db, "大学 -上海", NULL, "1");
	expect(db, "चुनाव", "hi", "3");
	expect(db, "सरकार", NULL, "4");
	expect(db, "wanafunzi", "sw", "5");
	expect(db, "uchaguzi", "sw", "6");
	expect(db, "Uchaguzi", NULL, "6");
	sqlite3_close(db);
}

static void
test_search_mixed(void **state)
{
	sqlite3	*db = open_db();

	(void)state;
	add(db, 1, "en", "Summit", "Leaders meet in Moscow to discuss trade");
	add(db, 2, "ru", "Саммит", "Лидеры встретились в Москве");
	add(db, 3, "ar", "قمة", "القادة يجتمعون في موسكو");
	add(db, 4, "fr", "Sommet", "Les dirigeants se réunissent à Moscou");
	add(db, 5, NULL, "Untagged", "Leaders meeting notes");
	expect(db, "Москва", NULL, "2");
	expect(db, "موسكو", NULL, "3");
	expect(db, "leaders", NULL, "1,5");
	expect(db, "leader", "en", "1");
	expect(db, "dirigeant", NULL, "4");
	expect(db, "moscow OR moscou", NULL, "1,4");
	expect(db, "moscow OR москве OR موسكو", NULL, "1,2,3");
	sqlite3_close(db);
}

static void
test_highlight(void **state)
{
	sqlite3		*db = open_db();
	sqlite3_stmt	*st;
	struct mb_buf	 m = MB_BUF_INIT;
	const char	*h;
	const struct { const char *lang, *body, *q, *want; } c[] = {
		{ "fr", "Les élections présidentielles", "election",
		    "Les [élections] présidentielles" },
		{ "ar", "قرأت وبالكِتَابِ أمس", "كتاب",
		    "قرأت [وبالكِتَابِ] أمس" },
		{ "zh", "我在北京大学学习", "大学", "我在北京[大学]学习" },
		{ "ru", "Итоги выборов в Думу", "выборы",
		    "Итоги [выборов] в Думу" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		add(db, (int)i + 1, c[i].lang, "", c[i].body);
		mb_buf_reset(&m);
		assert_int_equal(mb_text_query_translate(c[i].q,
		    strlen(c[i].q), c[i].lang, &m, NULL), MB_OK);
		assert_int_equal(sqlite3_prepare_v2(db, "SELECT highlight(t, "
		    "1, '[', ']') FROM t WHERE t MATCH ? AND rowid = ?", -1,
		    &st, NULL), SQLITE_OK);
		sqlite3_bind_text(st, 1, m.data, (int)m.len, SQLITE_STATIC);
		sqlite3_bind_int(st, 2, (int)i + 1);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		h = (const char *)sqlite3_column_text(st, 0);
		/* The store strips the marker from what it shows. */
		h += mb_text_marker_len(h, strlen(h));
		if (strcmp(h, c[i].want) != 0)
			fail_msg("highlight: want [%s], got [%s]", c[i].want,
			    h);
		sqlite3_finalize(st);
	}
	mb_buf_free(&m);
	sqlite3_close(db);
}

static void
test_marker(void **state)
{
	struct mb_buf	b = MB_BUF_INIT;

	(void)state;
	assert_int_equal(mb_text_put_marker(&b, "ar-EG"), MB_OK);
	assert_string_equal(mb_buf_cstr(&b), "\x1f" "ar" "\x1f");
	assert_int_equal(mb_text_marker_len(b.data, b.len), 4);
	mb_buf_reset(&b);
	assert_int_equal(mb_text_put_marker(&b, "und"), MB_OK);
	assert_int_equal(mb_text_put_marker(&b, NULL), MB_OK);
	assert_int_equal(mb_text_put_marker(&b, "x\x1f"), MB_OK);
	assert_int_equal(b.len, 0);
	assert_int_equal(mb_text_marker_len("\x1f\x1f", 2), 0);
	assert_int_equal(mb_text_marker_len("\x1fzz", 3), 0);
	assert_int_equal(mb_text_marker_len("plain", 5), 0);
	mb_buf_free(&b);
}

/* The index's every (term, column, offset), "term:col:off ...". */
static char *
instances(sqlite3 *db, const char *table)
{
	struct mb_buf	 r = MB_BUF_INIT;
	sqlite3_stmt	*st;
	char		 sql[200];

	snprintf(sql, sizeof(sql), "CREATE VIRTUAL TABLE IF NOT EXISTS v_%s "
	    "USING fts5vocab(%s, 'instance')", table, table);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	snprintf(sql, sizeof(sql), "SELECT term, doc, col, offset FROM v_%s",
	    table);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL),
	    SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW)
		mb_buf_printf(&r, "%s:%lld:%s:%d ", sqlite3_column_text(st, 0),
		    sqlite3_column_int64(st, 1), sqlite3_column_text(st, 2),
		    sqlite3_column_int(st, 3));
	sqlite3_finalize(st);
	mb_buf_append(&r, "", 0);
	return mb_buf_steal(&r);
}

/* Tokens made ahead and offered index exactly what the insert would. */
static void
test_pretokenized(void **state)
{
	static const char *const texts[][2] = {
		{ "en", "Ministers met the journalists; the reports differ." },
		{ "ar", "\u0627\u0644\u0635\u062d\u0641\u064a\u0648\u0646 "
		    "\u0648\u0627\u0644\u0635\u062d\u0641\u064a\u0629" },
		{ "zh", "\u65b0\u95fb\u4e2d\u5fc3\u4eca\u5929 2024 Beijing" },
		{ NULL, "No marker: Folded, NOT stemmed." },
		{ "ru", "" },
	};
	struct mb_text_tokenizer	*tk;
	struct mb_text_tokens		*tt[2];
	sqlite3				*db = open_db();
	sqlite3_stmt			*a, *b;
	unsigned long			 before;
	char				*want, *got;

	(void)state;
	assert_int_equal(sqlite3_exec(db, "CREATE VIRTUAL TABLE u USING "
	    "fts5(title, body, tokenize='mb')", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "INSERT INTO t(rowid, title, "
	    "body) VALUES (?1, ?2, ?3)", -1, &a, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "INSERT INTO u(rowid, title, "
	    "body) VALUES (?1, ?2, ?3)", -1, &b, NULL), SQLITE_OK);
	assert_int_equal(mb_text_tokenizer_new(&tk), MB_OK);
	before = mb_text_tokens_replayed();
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		struct mb_buf	h = MB_BUF_INIT, t = MB_BUF_INIT;

		mb_text_put_marker(&h, texts[i][0]);
		mb_buf_puts(&h, "Headline ");
		mb_buf_puts(&h, texts[i][1]);
		mb_text_put_marker(&t, texts[i][0]);
		mb_buf_puts(&t, texts[i][1]);
		mb_buf_append(&t, "", 0);
		assert_int_equal(mb_text_tokens_new(tk, h.data, h.len, &tt[0]),
		    MB_OK);
		assert_int_equal(mb_text_tokens_new(tk, t.data, t.len, &tt[1]),
		    MB_OK);
		/* Tokenized in the INSERT ... */
		sqlite3_bind_int(a, 1, (int)i + 1);
		sqlite3_bind_text(a, 2, h.data, (int)h.len, SQLITE_STATIC);
		sqlite3_bind_text(a, 3, t.data, (int)t.len, SQLITE_STATIC);
		assert_int_equal(sqlite3_step(a), SQLITE_DONE);
		sqlite3_reset(a);
		/* ... and replayed. */
		mb_text_tokens_offer((const struct mb_text_tokens *const *)tt,
		    2);
		sqlite3_bind_int(b, 1, (int)i + 1);
		sqlite3_bind_text(b, 2, h.data, (int)h.len, SQLITE_STATIC);
		sqlite3_bind_text(b, 3, t.data, (int)t.len, SQLITE_STATIC);
		assert_int_equal(sqlite3_step(b), SQLITE_DONE);
		sqlite3_reset(b);
		mb_text_tokens_offer(NULL, 0);
		mb_text_tokens_free(tt[0]);
		mb_text_tokens_free(tt[1]);
		mb_buf_free(&h);
		mb_buf_free(&t);
	}
	/* Every column, the one with only a marker too. */
	assert_int_equal(mb_text_tokens_replayed() - before, 10);
	want = instances(db, "t");
	got = instances(db, "u");
	assert_true(strlen(want) > 100);
	assert_string_equal(got, want);
	free(want);
	free(got);

	/* Offered tokens of other text change nothing. */
	assert_int_equal(mb_text_tokens_new(tk, "\x1f" "en" "\x1f" "cats",
	    7, &tt[0]), MB_OK);
	mb_text_tokens_offer((const struct mb_text_tokens *const *)tt, 1);
	before = mb_text_tokens_replayed();
	assert_int_equal(sqlite3_exec(db, "INSERT INTO u(rowid, title, body) "
	    "VALUES (10, 'dogs', 'dog')", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(mb_text_tokens_replayed(), before);
	mb_text_tokens_offer(NULL, 0);
	mb_text_tokens_free(tt[0]);
	sqlite3_finalize(a);
	sqlite3_finalize(b);
	mb_text_tokenizer_free(tk);
	sqlite3_close(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tokens_plain),
		cmocka_unit_test(test_tokens_arabic),
		cmocka_unit_test(test_tokens_cjk),
		cmocka_unit_test(test_tokens_prefix),
		cmocka_unit_test(test_tokens_errors),
		cmocka_unit_test(test_search_arabic),
		cmocka_unit_test(test_search_russian),
		cmocka_unit_test(test_search_romance),
		cmocka_unit_test(test_search_cjk_hi_sw),
		cmocka_unit_test(test_search_mixed),
		cmocka_unit_test(test_highlight),
		cmocka_unit_test(test_marker),
		cmocka_unit_test(test_pretokenized),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
