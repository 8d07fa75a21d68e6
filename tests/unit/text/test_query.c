/* SPDX-License-Identifier: MIT */
/* Unit tests for the query translator: syntax, errors, and hostile input
 * that must never become an FTS5 syntax error. */
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
	    "fts5(body, tokenize='mb')", NULL, NULL, NULL), SQLITE_OK);
	return db;
}

static void
add(sqlite3 *db, int id, const char *lang, const char *body)
{
	sqlite3_stmt	*st;
	struct mb_buf	 b = MB_BUF_INIT;

	mb_text_put_marker(&b, lang);
	mb_buf_puts(&b, body);
	assert_int_equal(sqlite3_prepare_v2(db, "INSERT INTO t(rowid, body) "
	    "VALUES (?, ?)", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_int(st, 1, id);
	sqlite3_bind_text(st, 2, b.data, (int)b.len, SQLITE_TRANSIENT);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	mb_buf_free(&b);
}

/* Runs the translated query; returns the rowids "1,2" or NULL when the
 * translator refused it. Fails the test on any SQLite error. */
static char *
search(sqlite3 *db, const char *q, size_t qlen, const char *lang)
{
	struct mb_buf	 m = MB_BUF_INIT, r = MB_BUF_INIT;
	struct mb_diag	 d = { "" };
	sqlite3_stmt	*st;
	int		 rc;

	if ((rc = mb_text_query_translate(q, qlen, lang, &m, &d)) != MB_OK) {
		assert_true(rc == MB_ERR_INVAL || rc == MB_ERR_TOOBIG);
		assert_true(d.msg[0] != '\0');
		mb_buf_free(&m);
		return NULL;
	}
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT rowid FROM t WHERE t "
	    "MATCH ? ORDER BY rowid", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, m.data, (int)m.len, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		mb_buf_printf(&r, "%s%d", r.len ? "," : "",
		    sqlite3_column_int(st, 0));
	if (rc != SQLITE_DONE)
		fail_msg("query [%.*s] -> [%s]: %s", (int)qlen, q, m.data,
		    sqlite3_errmsg(db));
	sqlite3_finalize(st);
	mb_buf_free(&m);
	mb_buf_append(&r, "", 0);
	return mb_buf_steal(&r);
}

static void
expect(sqlite3 *db, const char *q, const char *lang, const char *want)
{
	char	*got = search(db, q, strlen(q), lang);

	if (want == NULL ? got != NULL : got == NULL || strcmp(got, want))
		fail_msg("search(%s): want [%s], got [%s]", q,
		    want ? want : "(refused)", got ? got : "(refused)");
	free(got);
}

static sqlite3 *
corpus(void)
{
	sqlite3	*db = open_db();

	add(db, 1, "en", "The election results were announced in the capital");
	add(db, 2, "en", "Election day: voters queue in the rain");
	add(db, 3, "en", "The rain stopped before the results came");
	add(db, 4, "en", "Body: a column filter is just text here");
	add(db, 5, "en", "NEAR the river, children played");
	add(db, 6, "fr", "Les résultats de l'élection présidentielle");
	return db;
}

static void
test_syntax(void **state)
{
	sqlite3	*db = corpus();

	(void)state;
	expect(db, "election results", "en", "1");
	expect(db, "\"election results\"", "en", "1");
	expect(db, "\"results were announced\"", "en", "1");
	expect(db, "\"results announced\"", "en", "");
	expect(db, "election -rain", "en", "1,6");
	expect(db, "election NOT rain", "en", "1,6");
	expect(db, "election -\"in the rain\"", "en", "1,6");
	expect(db, "capital OR river", "en", "1,5");
	expect(db, "rain results OR day", "en", "2,3");
	expect(db, "elect*", "en", "1,2,6");
	expect(db, "annou*", "en", "1");
	expect(db, "\"election res\"*", "en", "1");
	expect(db, "Election AND day", "en", "2");
	expect(db, "résultats", NULL, "6");
	/* Dangling operators are harmless. */
	expect(db, "OR election", "en", "1,2,6");
	expect(db, "election OR", "en", "1,2,6");
	expect(db, "election OR OR rain", "en", "1,2,3,6");
	expect(db, "rain OR -election", "en", "3");
	sqlite3_close(db);
}

/* The site's search: the reader's page language is no hint of the items'
 * language, so a word exactly as a Spanish item has it is found from an
 * English page and from a page in a language with no stemmer. */
static void
test_wide(void **state)
{
	sqlite3		*db = open_db();
	const char	*pl[] = { "en", "sw", "fr" };

	(void)state;
	add(db, 1, "es", "Los candidatos hablaron");
	add(db, 2, "en", "The candidates spoke");
	for (size_t i = 0; i < 3; i++) {
		struct mb_buf	m = MB_BUF_INIT;
		sqlite3_stmt	*st;
		int		 n = 0;

		assert_int_equal(mb_text_query_translate_wide("candidatos", 10,
		    pl[i], &m, NULL), MB_OK);
		assert_int_equal(sqlite3_prepare_v2(db, "SELECT rowid FROM t "
		    "WHERE t MATCH ?", -1, &st, NULL), SQLITE_OK);
		sqlite3_bind_text(st, 1, m.data, (int)m.len, SQLITE_STATIC);
		while (sqlite3_step(st) == SQLITE_ROW) {
			assert_int_equal(sqlite3_column_int(st, 0), 1);
			n++;
		}
		sqlite3_finalize(st);
		assert_int_equal(n, 1);
		mb_buf_free(&m);
	}
	sqlite3_close(db);
}

static void
test_translation_shape(void **state)
{
	struct mb_buf	m = MB_BUF_INIT;

	(void)state;
	assert_int_equal(mb_text_query_translate("a -b", 4, "en", &m, NULL),
	    MB_OK);
	assert_string_equal(m.data, "(((\"\x1f" "en\x1f" "a\" OR \"a\"))) NOT "
	    "(\"\x1f" "en\x1f" "b\" OR \"b\")");
	mb_buf_reset(&m);
	assert_int_equal(mb_text_query_translate("x*", 2, "sw", &m, NULL),
	    MB_OK);
	assert_string_equal(m.data, "(((\"x\" *)))");
	mb_buf_free(&m);
	assert_string_equal(mb_text_detect_query_lang("كتاب", 8), "ar");
	assert_string_equal(mb_text_detect_query_lang("hello", 5), "und");
}

static void
test_errors(void **state)
{
	struct mb_buf	 m = MB_BUF_INIT;
	struct mb_diag	 d = { "" };
	char		*big;
	struct mb_buf	 many = MB_BUF_INIT;

	(void)state;
	assert_int_equal(mb_text_query_translate("", 0, "en", &m, &d),
	    MB_ERR_INVAL);
	assert_string_equal(d.msg, "query: no words to search");
	assert_int_equal(mb_text_query_translate(NULL, 0, NULL, &m, &d),
	    MB_ERR_INVAL);
	assert_int_equal(mb_text_query_translate("  \"\" () * - ", 12, "en",
	    &m, &d), MB_ERR_INVAL);
	assert_int_equal(mb_text_query_translate("-a -b", 5, "en", &m, &d),
	    MB_ERR_INVAL);
	assert_non_null(strstr(d.msg, "excluded"));
	assert_int_equal(mb_text_query_translate("a\xff", 2, "en", &m, &d),
	    MB_ERR_INVAL);
	big = malloc(MB_TEXT_QUERY_MAX_BYTES + 1);
	memset(big, 'a', MB_TEXT_QUERY_MAX_BYTES + 1);
	assert_int_equal(mb_text_query_translate(big,
	    MB_TEXT_QUERY_MAX_BYTES + 1, "en", &m, &d), MB_ERR_TOOBIG);
	free(big);
	for (int i = 0; i <= MB_TEXT_QUERY_MAX_TERMS; i++)
		mb_buf_printf(&many, "w%d ", i);
	assert_int_equal(mb_text_query_translate(many.data, many.len, "en",
	    &m, &d), MB_ERR_TOOBIG);
	mb_buf_free(&many);
	/* Nothing appended on error. */
	assert_int_equal(m.len, 0);
	mb_buf_free(&m);
}

static void
test_hostile(void **state)
{
	sqlite3		*db = corpus();
	const char	*q[] = {
		"\"", "\"\"", "\"\"\"", "\"unterminated phrase",
		"a\"b\"c", "(", ")", "(election", "election)", "((a) OR (b))",
		"*", "**", "a**", "*a", "a*b", "-", "--", "-*", "- -",
		"-\"\"", "OR", "AND", "NOT", "NOT NOT", "OR OR OR", "a NOT",
		"NEAR(a b)", "NEAR(election results, 2)", "NEAR",
		"body:election", "body : election", "{body title}: rain",
		"-body:rain", "^election", "election^", "+election",
		"a + b", "col:\"x\"", "\x1f" "en\x1f" "election",
		"\x1f\x1f", "\x1f", "a\x1f" "b", "\x01\x02\x03",
		"'; DROP TABLE t; --", "t MATCH 'x'", "%", "_", "\\",
		"\\\"", "\"\\\"\"", "a:b:c:d", "\xd9\x80", "\xd9\x8e",
		"\xe2\x80\x8c", "\xc2\xad", "election\"* OR \"*", "\" OR \"",
		"\"a\" \"b\" NOT \"c\"", "a OR", "OR a", "-a OR b",
		"a -", "😀", "🇫🇷 france", "٠١٢", "١٢٣ election",
		"ﷺ", "\xef\xbb\xbf" "election", "election\x7f",
		"北", "大学*", "*北京", "\"北\"",
	};
	char		*got;

	(void)state;
	for (size_t i = 0; i < sizeof(q) / sizeof(q[0]); i++) {
		got = search(db, q[i], strlen(q[i]), "en");
		free(got);
		got = search(db, q[i], strlen(q[i]), NULL);
		free(got);
	}
	/* Injection attempts are searched as words. */
	expect(db, "body:election", "en", "");
	expect(db, "body: column", "en", "4");
	expect(db, "NEAR", "en", "5");
	/* A smuggled marker loses its control bytes: words "en election". */
	expect(db, "\x1f" "en\x1f" "election", "en", "");
	/* Random bytes and long quoted garbage. */
	srand(7);
	for (int i = 0; i < 2000; i++) {
		char	buf[64];
		size_t	n = (size_t)(rand() % (int)sizeof(buf));
		const char alphabet[] = "ab \"()*-:^+{}NEAROT\x1f\xd8\xa7\xe5"
		    "\x8c\x97";
		for (size_t k = 0; k < n; k++)
			buf[k] = alphabet[rand() % (int)(sizeof(alphabet) - 1)];
		got = search(db, buf, n, i % 2 ? "en" : NULL);
		free(got);
	}
	sqlite3_close(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_syntax),
		cmocka_unit_test(test_translation_shape),
		cmocka_unit_test(test_wide),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_hostile),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
