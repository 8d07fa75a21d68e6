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
	assert_int_equal(mb_plural_of("zh", 0), MB_PLURAL_OTHER);
	/* Hindi: 0 and 1 are "one", as in French; 2 is "other". */
	assert_int_equal(mb_plural_of("hi", 0), MB_PLURAL_ONE);
	assert_int_equal(mb_plural_of("hi", 1), MB_PLURAL_ONE);
	assert_int_equal(mb_plural_of("hi", 2), MB_PLURAL_OTHER);
	assert_int_equal(mb_plural_of("hi", 21), MB_PLURAL_OTHER);
	/* Spanish: only 1 is "one"; a whole million is "many". */
	assert_int_equal(mb_plural_of("es", 0), MB_PLURAL_OTHER);
	assert_int_equal(mb_plural_of("es", 1), MB_PLURAL_ONE);
	assert_int_equal(mb_plural_of("es", 5), MB_PLURAL_OTHER);
	assert_int_equal(mb_plural_of("es", 1000000), MB_PLURAL_MANY);
	/* Portuguese (Brazil, CLDR's pt): 0 and 1 are "one". */
	assert_int_equal(mb_plural_of("pt", 0), MB_PLURAL_ONE);
	assert_int_equal(mb_plural_of("pt", 1), MB_PLURAL_ONE);
	assert_int_equal(mb_plural_of("pt", 2), MB_PLURAL_OTHER);
	assert_int_equal(mb_plural_of("sw", 1), MB_PLURAL_ONE);
	assert_int_equal(mb_plural_of("sw", 0), MB_PLURAL_OTHER);
	assert_int_equal(mb_plural_of("ru", 22), MB_PLURAL_FEW);
	assert_int_equal(mb_plural_of("ru", 111), MB_PLURAL_MANY);
	assert_int_equal(mb_plural_of("ru", -1), MB_PLURAL_ONE);
	assert_int_equal(mb_plural_of("ar", 1000), MB_PLURAL_OTHER);
	assert_int_equal(mb_plural_of("ar", 1003), MB_PLURAL_FEW);
	assert_int_equal(mb_plural_of("ar", 1011), MB_PLURAL_MANY);
	assert_int_equal(mb_plural_of(NULL, 1), MB_PLURAL_ONE);
	assert_int_equal(mb_plural_of("ru", INT64_MIN), MB_PLURAL_MANY);
	assert_int_equal(mb_plural_of("ru", INT64_MAX), MB_PLURAL_MANY);
	assert_int_equal(mb_plural_of("ru", 1000000000000000001LL),
	    MB_PLURAL_ONE);
	assert_int_equal(mb_plural_of("es", 3000000000000000000LL),
	    MB_PLURAL_MANY);
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
	    "de, *;q=0.1")), "en");
	assert_string_equal(mb_catalog_lang(mb_i18n_negotiate(i, NULL,
	    "de-AT, sw-KE;q=0.8, en;q=0.5")), "sw");
	assert_string_equal(mb_catalog_lang(mb_i18n_negotiate(i, NULL,
	    "zh-Hans-CN")), "zh");
	assert_string_equal(mb_catalog_lang(mb_i18n_negotiate(i, NULL,
	    "pt-BR,pt;q=0.9")), "pt");
	assert_string_equal(mb_catalog_lang(mb_i18n_negotiate(i, NULL,
	    "fr;q=0")), "en");
	/*
	 * q=0 refuses a language in the fallback too: the center's first
	 * language (ar), then English, then the first catalog not refused.
	 */
	assert_string_equal(mb_catalog_lang(mb_i18n_negotiate_or(i, NULL,
	    "ar;q=0", "ar,en")), "en");
	assert_string_equal(mb_catalog_lang(mb_i18n_negotiate_or(i, NULL,
	    "ar;q=0, de", "ar,en")), "en");
	assert_string_equal(mb_catalog_lang(mb_i18n_negotiate_or(i, NULL,
	    "ar-EG;q=0.0", "ar,fr")), "fr");
	assert_string_equal(mb_catalog_lang(mb_i18n_negotiate_or(i, NULL,
	    "de, ar;q=0", "ar")), "en");
	assert_string_not_equal(mb_catalog_lang(mb_i18n_negotiate_or(i, NULL,
	    "en;q=0", NULL)), "en");
	assert_string_equal(mb_catalog_lang(mb_i18n_negotiate_or(i, NULL,
	    "ar", "en")), "ar");
	/* The remembered choice wins over the header. */
	assert_string_equal(mb_catalog_lang(mb_i18n_negotiate(i, "ru",
	    "ar")), "ru");
	assert_string_equal(mb_catalog_lang(mb_i18n_negotiate(i, "xx",
	    "fr")), "fr");
	/* Garbage does not crash and gives the default. */
	assert_string_equal(mb_catalog_lang(mb_i18n_negotiate(i, "",
	    ";;,,;q=,q=2,\x01")), "en");
	assert_true(mb_catalog_rtl(mb_i18n_get(i, "ar")));
	/* Right to left: Arabic only, of the shipped languages. */
	for (size_t k = 0; k < mb_i18n_count(i); k++) {
		const struct mb_catalog *c = mb_i18n_at(i, k);

		assert_int_equal(mb_catalog_rtl(c),
		    strcmp(mb_catalog_lang(c), "ar") == 0);
	}
	assert_null(mb_i18n_get(i, "de"));
	/* Nothing matches: the center's first language with a catalog. */
	assert_string_equal(mb_catalog_lang(mb_i18n_negotiate_or(i, NULL,
	    "de, it;q=0.5", "xx,sw,en")), "sw");
	assert_string_equal(mb_catalog_lang(mb_i18n_negotiate_or(i, NULL,
	    "de, hi;q=0.5", "sw")), "hi");
	assert_string_equal(mb_catalog_lang(mb_i18n_negotiate_or(i, NULL,
	    NULL, " , ,")), "en");
	/* What a language prefix looks like, catalog or not. */
	assert_true(mb_i18n_tag_shaped("de", 2));
	assert_true(mb_i18n_tag_shaped("gsw", 3));
	assert_true(mb_i18n_tag_shaped("es-419", 6));
	assert_true(mb_i18n_tag_shaped("zh-Hant-TW", 10));
	assert_true(mb_i18n_tag_shaped("de/rest", 2));
	assert_false(mb_i18n_tag_shaped("d", 1));
	assert_false(mb_i18n_tag_shaped("news", 4));
	assert_false(mb_i18n_tag_shaped("de-", 3));
	assert_false(mb_i18n_tag_shaped("12", 2));
	assert_false(mb_i18n_tag_shaped("de-toolongsub", 13));
	assert_false(mb_i18n_tag_shaped("e1", 2));
	mb_i18n_free(i);
}

static void
expect_date(const struct mb_i18n *i, const char *lang, int64_t ms,
    const char *want)
{
	struct mb_buf b = MB_BUF_INIT;

	assert_non_null(mb_i18n_get(i, lang));
	assert_int_equal(mb_catalog_format_date(mb_i18n_get(i, lang), ms, &b),
	    MB_OK);
	assert_string_equal(mb_buf_cstr(&b), want);
	mb_buf_free(&b);
}

static void
expect_datetime(const struct mb_i18n *i, const char *lang, int64_t ms,
    const char *want)
{
	struct mb_buf b = MB_BUF_INIT;

	assert_int_equal(mb_catalog_format_datetime(mb_i18n_get(i, lang), ms,
	    &b), MB_OK);
	assert_string_equal(mb_buf_cstr(&b), want);
	mb_buf_free(&b);
}

static void
expect_int(const struct mb_i18n *i, const char *lang, int64_t n,
    const char *want)
{
	struct mb_buf b = MB_BUF_INIT;

	assert_int_equal(mb_catalog_format_int(mb_i18n_get(i, lang), n, &b),
	    MB_OK);
	assert_string_equal(mb_buf_cstr(&b), want);
	mb_buf_free(&b);
}

/* Dates and numbers as CLDR writes them in each language. */
static void
test_dates(void **state)
{
	struct mb_i18n	*i = shipped(), *j;
	struct mb_diag	 d = { "" };
	int64_t		 ms = 1795962427000LL;	/* 2026-11-29T14:27:07Z */
	const char	*cat = "lang.dir = rtl\ndigits = arab\n";

	(void)state;
	expect_date(i, "ar", ms, "29 نوفمبر 2026");
	expect_date(i, "ru", ms, "29 ноября 2026\xe2\x80\xaf" "г.");
	expect_date(i, "fr", ms, "29 novembre 2026");
	expect_date(i, "en", ms, "29 November 2026");
	expect_date(i, "es", ms, "29 de noviembre de 2026");
	expect_date(i, "pt", ms, "29 de novembro de 2026");
	expect_date(i, "sw", ms, "29 Novemba 2026");
	expect_date(i, "hi", ms, "29 नवंबर 2026");
	expect_date(i, "zh", ms, "2026年11月29日");
	/* UTC, whatever the machine's zone: 23:30 on the 31st stays. */
	expect_date(i, "en", 1798759800000LL, "31 December 2026");
	/* An event's start: date, 24-hour time and UTC, in each
	 * language's order and words. */
	expect_datetime(i, "en", ms, "29 November 2026 at 14:27 UTC");
	expect_datetime(i, "ar", ms, "29 نوفمبر 2026 في 14:27 UTC");
	expect_datetime(i, "ru", ms, "29 ноября 2026\xe2\x80\xaf" "г. в 14:27 UTC");
	expect_datetime(i, "fr", ms, "29 novembre 2026 à 14:27 UTC");
	expect_datetime(i, "es", ms, "29 de noviembre de 2026, 14:27 UTC");
	expect_datetime(i, "pt", ms, "29 de novembro de 2026 às 14:27 UTC");
	expect_datetime(i, "sw", ms, "29 Novemba 2026, 14:27 UTC");
	expect_datetime(i, "hi", ms, "29 नवंबर 2026 को 14:27 UTC बजे");
	expect_datetime(i, "zh", ms, "2026年11月29日 UTC 14:27");
	expect_int(i, "en", 20000, "20,000");
	expect_int(i, "es", 20000, "20.000");
	expect_int(i, "es", 2000, "2000");	/* CLDR: no group of 4 */
	expect_int(i, "pt", 1234567, "1.234.567");
	expect_int(i, "ru", 20000, "20\xc2\xa0" "000");
	expect_int(i, "fr", 20000, "20\xe2\x80\xaf" "000");
	expect_int(i, "hi", 1234567, "12,34,567");	/* lakh grouping */
	expect_int(i, "zh", 20000, "20,000");
	expect_int(i, "ar", 500, "500");
	/* Arabic-Indic digits, when a catalog asks for them. */
	assert_int_equal(mb_i18n_new(&j), MB_OK);
	assert_int_equal(mb_i18n_add(j, "ar", cat, strlen(cat), &d), MB_OK);
	expect_date(j, "ar", ms, "٢٩ نوفمبر ٢٠٢٦");
	/* A locale ICU cannot take is refused, naming the catalog. */
	cat = "locale = en US\n";
	assert_int_equal(mb_i18n_add(j, "en", cat, strlen(cat), &d),
	    MB_ERR_INVAL);
	assert_non_null(strstr(d.msg, "en.msg"));
	mb_i18n_free(j);
	mb_i18n_free(i);
}

/* The plural forms a language needs of "key[...]" that it lacks. */
static int
missing_forms(const struct mb_catalog *c, const char *key)
{
	static const char *const names[] = { "zero", "one", "two", "few",
		"many", "other" };
	unsigned	cats = mb_catalog_categories(c);
	char		base[160], k[200];
	int		missing = 0;

	snprintf(base, sizeof(base), "%.*s", (int)strcspn(key, "["), key);
	for (int n = 0; n < 6; n++) {
		snprintf(k, sizeof(k), "%s[%s]", base, names[n]);
		if ((cats & (1u << n)) && !mb_catalog_has(c, k)) {
			fprintf(stderr, "%s: missing %s\n",
			    mb_catalog_lang(c), k);
			missing++;
		}
	}
	return missing;
}

/*
 * Every message the English catalogs have (the core and every domain's),
 * every other catalog has too, with each plural form its language uses
 * (CLDR's categories: six in Arabic, four in Russian, two in Hindi, one
 * in Chinese); and none has a message English lacks (a typo).
 */
static void
test_catalogs_complete(void **state)
{
	static const char *const langs[] = { "ar", "en", "es", "fr", "hi",
		"pt", "ru", "sw", "zh" };
	struct mb_i18n		*i = shipped();
	const struct mb_catalog	*en = mb_i18n_get(i, "en");
	int			 missing = 0;

	(void)state;
	for (size_t l = 0; l < sizeof(langs) / sizeof(langs[0]); l++)
		assert_non_null(mb_i18n_get(i, langs[l]));
	for (size_t l = 0; l < mb_i18n_count(i); l++) {
		const struct mb_catalog *c = mb_i18n_at(i, l);

		for (size_t n = 0; n < mb_catalog_count(en); n++) {
			const char *k = mb_catalog_key(en, n);

			if (strcmp(k, "locale") == 0)
				continue;	/* optional */
			if (strchr(k, '[') != NULL) {
				if (strstr(k, "[other]") != NULL)
					missing += missing_forms(c, k);
			} else if (!mb_catalog_has(c, k)) {
				fprintf(stderr, "%s: missing %s\n",
				    mb_catalog_lang(c), k);
				missing++;
			}
		}
		for (size_t n = 0; n < mb_catalog_count(c); n++) {
			const char	*k = mb_catalog_key(c, n);
			char		 other[200];

			snprintf(other, sizeof(other), "%.*s[other]",
			    (int)strcspn(k, "["), k);
			if (strcmp(k, "locale") != 0 && !mb_catalog_has(en, k) &&
			    (strchr(k, '[') == NULL ||
			    !mb_catalog_has(en, other))) {
				fprintf(stderr, "%s: %s is not in English\n",
				    mb_catalog_lang(c), k);
				missing++;
			}
		}
	}
	if (missing > 0)
		fprintf(stderr, "%d messages missing: every templates/i18n/"
		    "[DOMAIN/]en.msg key goes in each language's file beside "
		    "it (ar en es fr hi pt ru sw zh), with the plural forms "
		    "that language uses\n", missing);
	assert_int_equal(missing, 0);
	/* The forms are CLDR's: Arabic's two, Russian's many. */
	assert_string_equal(mb_catalog_plural(mb_i18n_get(i, "ar"),
	    "search.results", 2), "نتيجتان");
	assert_string_equal(mb_catalog_plural(mb_i18n_get(i, "ru"),
	    "search.results", 5), "{} результатов");
	assert_string_equal(mb_catalog_plural(mb_i18n_get(i, "ru"),
	    "search.results", 22), "{} результата");
	assert_int_equal(mb_catalog_categories(mb_i18n_get(i, "ar")), 0x3f);
	assert_int_equal(mb_catalog_categories(mb_i18n_get(i, "zh")),
	    1u << MB_PLURAL_OTHER);
	assert_int_equal(mb_catalog_categories(mb_i18n_get(i, "hi")),
	    (1u << MB_PLURAL_ONE) | (1u << MB_PLURAL_OTHER));
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
