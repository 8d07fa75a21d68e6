/* SPDX-License-Identifier: MIT */
/* Unit tests for message catalogs: plurals, negotiation, dates, the files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/err.h"
#include "http/i18n.h"

static void
test_plurals(void **state)
{
	(void)state;
	/* CLDR: Arabic has six forms, Russian three for integers. */
	assert_int_equal(mb_plural_of("ar", 0), MB_PLURAL_ZERO);
	assert_int_equal(mb_plural_of("ar", 1), MB_PLURAL_ONE);
	assert_int_equal(mb_plural_of("ar", 2), MB_PLURAL_TWO);
	assert_int_equal(mb_plural_of("ar", 3), MB_PLURAL_FEW);
	assert_int_equal(mb_plural_of("ar", 110), MB_PLURAL_FEW);
	assert_int_equal(mb_plural_of("ar", 11), MB_PLURAL_MANY);
	assert_int_equal(mb_plural_of("ar", 99), MB_PLURAL_MANY);
	assert_int_equal(mb_plural_of("ar", 100), MB_PLURAL_OTHER);
	assert_int_equal(mb_plural_of("ar-EG", 102), MB_PLURAL_OTHER);
	assert_int_equal(mb_plural_of("ru", 1), MB_PLURAL_ONE);
	assert_int_equal(mb_plural_of("ru", 21), MB_PLURAL_ONE);
	assert_int_equal(mb_plural_of("ru", 11), MB_PLURAL_MANY);
	assert_int_equal(mb_plural_of("ru", 3), MB_PLURAL_FEW);
	assert_int_equal(mb_plural_of("ru", 13), MB_PLURAL_MANY);
	assert_int_equal(mb_plural_of("ru", 0), MB_PLURAL_MANY);
	assert_int_equal(mb_plural_of("en", 1), MB_PLURAL_ONE);
	assert_int_equal(mb_plural_of("en", 0), MB_PLURAL_OTHER);
	assert_int_equal(mb_plural_of("fr", 0), MB_PLURAL_ONE);
	assert_int_equal(mb_plural_of("fr", 1), MB_PLURAL_ONE);
	assert_int_equal(mb_plural_of("fr", 2), MB_PLURAL_OTHER);
	assert_int_equal(mb_plural_of("fr", 2000000), MB_PLURAL_MANY);
	assert_int_equal(mb_plural_of("zh", 1), MB_PLURAL_OTHER);
	assert_int_equal(mb_plural_of(NULL, 1), MB_PLURAL_ONE);
	assert_int_equal(mb_plural_of("ru", INT64_MIN), MB_PLURAL_MANY);
}

static struct mb_i18n *
shipped(void)
{
	struct mb_i18n	*i;
	struct mb_diag	 d = { "" };

	if (mb_i18n_load(MB_TEST_SRCDIR "/templates/i18n", &i, &d) != MB_OK)
		fail_msg("%s", d.msg);
	return i;
}

static void
test_negotiate(void **state)
{
	struct mb_i18n *i = shipped();

	(void)state;
	assert_string_equal(mb_catalog_lang(mb_i18n_negotiate(i, NULL,
	    NULL)), "en");
	assert_string_equal(mb_catalog_lang(mb_i18n_negotiate(i, NULL,
	    "ar-EG,ar;q=0.9,en;q=0.8")), "ar");
	assert_string_equal(mb_catalog_lang(mb_i18n_negotiate(i, NULL,
	    "de-DE, de;q=0.9, fr;q=0.5, ru;q=0.7")), "ru");
	assert_string_equal(mb_catalog_lang(mb_i18n_negotiate(i, NULL,
	    "sw, *;q=0.1")), "en");
	assert_string_equal(mb_catalog_lang(mb_i18n_negotiate(i, NULL,
	    "fr;q=0")), "en");
	/* The remembered choice wins over the header. */
	assert_string_equal(mb_catalog_lang(mb_i18n_negotiate(i, "ru",
	    "ar")), "ru");
	assert_string_equal(mb_catalog_lang(mb_i18n_negotiate(i, "xx",
	    "fr")), "fr");
	/* Garbage does not crash and gives the default. */
	assert_string_equal(mb_catalog_lang(mb_i18n_negotiate(i, "",
	    ";;,,;q=,q=2,\x01")), "en");
	assert_true(mb_catalog_rtl(mb_i18n_get(i, "ar")));
	assert_false(mb_catalog_rtl(mb_i18n_get(i, "ru")));
	assert_null(mb_i18n_get(i, "sw"));
	mb_i18n_free(i);
}

static void
test_dates(void **state)
{
	struct mb_i18n	*i = shipped(), *j;
	struct mb_buf	 b = MB_BUF_INIT;
	struct mb_diag	 d = { "" };
	int64_t		 ms = 1795962427000LL;	/* 2026-11-29T14:27:07Z */
	const char	*cat = "date.format = {d} {month} {y}\n"
			    "month.11 = نوفمبر\ndigits = arab\n";

	(void)state;
	mb_catalog_format_date(mb_i18n_get(i, "ar"), ms, &b);
	assert_string_equal(mb_buf_cstr(&b), "29 نوفمبر 2026");
	mb_buf_reset(&b);
	mb_catalog_format_date(mb_i18n_get(i, "ru"), ms, &b);
	assert_string_equal(mb_buf_cstr(&b), "29 ноября 2026 г.");
	mb_buf_reset(&b);
	mb_catalog_format_date(mb_i18n_get(i, "fr"), ms, &b);
	assert_string_equal(mb_buf_cstr(&b), "29 novembre 2026");
	mb_buf_reset(&b);
	mb_catalog_format_date(mb_i18n_get(i, "en"), ms, &b);
	assert_string_equal(mb_buf_cstr(&b), "29 November 2026");
	mb_buf_reset(&b);
	/* Arabic-Indic digits, when a catalog asks for them. */
	assert_int_equal(mb_i18n_new(&j), MB_OK);
	assert_int_equal(mb_i18n_add(j, "ar", cat, strlen(cat), &d), MB_OK);
	mb_catalog_format_date(mb_i18n_get(j, "ar"), ms, &b);
	assert_string_equal(mb_buf_cstr(&b), "٢٩ نوفمبر ٢٠٢٦");
	mb_buf_free(&b);
	mb_i18n_free(j);
	mb_i18n_free(i);
}

/* Every message the English catalog has, the others have too. */
static void
test_catalogs_complete(void **state)
{
	static const char *const langs[] = { "ar", "ru", "fr" };
	struct mb_i18n	*i = shipped();
	FILE		*f;
	char		 line[1024];
	int		 missing = 0;

	(void)state;
	f = fopen(MB_TEST_SRCDIR "/templates/i18n/en.msg", "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f) != NULL) {
		char *eq = strchr(line, '='), *k = line, *e;

		if (line[0] == '#' || eq == NULL)
			continue;
		for (e = eq; e > k && (e[-1] == ' ' || e[-1] == '\t'); e--)
			;
		*e = '\0';
		if (strchr(k, '[') != NULL)
			continue;	/* plural forms differ per language */
		for (size_t l = 0; l < 3; l++) {
			const struct mb_catalog *c = mb_i18n_get(i, langs[l]);
			const struct mb_catalog *en = mb_i18n_get(i, "en");

			/* A fallback to English is the same pointer. */
			if (mb_catalog_get(c, k) == mb_catalog_get(en, k) &&
			    strcmp(k, "kind.audio") != 0 &&
			    strcmp(k, "nr.date") != 0 &&
			    strcmp(k, "kind.article") != 0 &&
			    strcmp(k, "nr.version") != 0) {
				fprintf(stderr, "%s: missing %s\n", langs[l],
				    k);
				missing++;
			}
		}
	}
	fclose(f);
	assert_int_equal(missing, 0);
	/* Plural forms: each language has its "other" for counts. */
	assert_string_equal(mb_catalog_plural(mb_i18n_get(i, "ar"),
	    "search.results", 2), "نتيجتان");
	assert_string_equal(mb_catalog_plural(mb_i18n_get(i, "ru"),
	    "search.results", 5), "{} результатов");
	mb_i18n_free(i);
}

static void
test_malformed(void **state)
{
	struct mb_i18n	*i;
	struct mb_diag	 d;

	(void)state;
	assert_int_equal(mb_i18n_new(&i), MB_OK);
	memset(&d, 0, sizeof(d));
	assert_int_equal(mb_i18n_add(i, "en", "a = 1\nno equals\n", 16, &d),
	    MB_ERR_INVAL);
	assert_non_null(strstr(d.msg, "en.msg:2"));
	assert_int_equal(mb_i18n_add(i, "en", "a = 1\na = 2\n", 12, &d),
	    MB_ERR_INVAL);
	assert_int_equal(mb_i18n_add(i, "en", "b a = 1\n", 8, &d),
	    MB_ERR_INVAL);
	assert_int_equal(mb_i18n_add(i, "en", "a = \xff\n", 6, &d),
	    MB_ERR_INVAL);
	assert_int_equal(mb_i18n_count(i), 0);
	mb_i18n_free(i);
}

/* A domain's strings in DIR/<domain>/<lang>.msg join its language. */
static void
test_domain_catalogs(void **state)
{
	struct mb_i18n	*i;
	struct mb_diag	 d = { "" };
	char		 dir[] = "/tmp/mb-i18n-XXXXXX", path[256];
	FILE		*f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/en.msg", dir);
	assert_non_null(f = fopen(path, "w"));
	fputs("a = core\n", f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/events", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/events/en.msg", dir);
	assert_non_null(f = fopen(path, "w"));
	fputs("events.title = Events", f);	/* no final newline */
	fclose(f);
	assert_int_equal(mb_i18n_load(dir, &i, &d), MB_OK);
	assert_string_equal(mb_catalog_get(mb_i18n_get(i, "en"), "a"),
	    "core");
	assert_string_equal(mb_catalog_get(mb_i18n_get(i, "en"),
	    "events.title"), "Events");
	mb_i18n_free(i);
	/* The same key in the core and a domain is refused. */
	assert_non_null(f = fopen(path, "w"));
	fputs("a = again\n", f);
	fclose(f);
	assert_int_equal(mb_i18n_load(dir, &i, &d), MB_ERR_INVAL);
	assert_non_null(strstr(d.msg, "twice"));
	unlink(path);
	snprintf(path, sizeof(path), "%s/events", dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/en.msg", dir);
	unlink(path);
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plurals),
		cmocka_unit_test(test_negotiate),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_catalogs_complete),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_domain_catalogs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
