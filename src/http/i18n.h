/* SPDX-License-Identifier: MIT */
/* Interface strings per language: message catalogs, plurals, dates. */
#ifndef MB_HTTP_I18N_H
#define MB_HTTP_I18N_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"

/*
 * A catalog is one file, DIR/<lang>.msg, UTF-8, one message a line:
 *
 *	# a comment
 *	nav.search = Search
 *	results[one] = {} result
 *	results[other] = {} results
 *
 * Plural forms are CLDR's categories (zero, one, two, few, many, other)
 * in brackets, as many as the language has; "{}" stands for the number.
 * Keys every catalog should have: lang.name (the language's own name),
 * lang.dir (ltr or rtl; without it, its script's direction) and digits
 * ("latn", or "arab" for Arabic-Indic digits). An optional locale names
 * the CLDR locale of its numbers and dates ("en-001": "29 November
 * 2026"); else the language's own. Plural rules, numbers and dates are
 * CLDR's, through ICU (i18n_cldr.c). A key missing from a catalog falls
 * back to the English one, then to the key itself; the unit test
 * http-i18n fails on any catalog that misses one.
 */

struct mb_i18n;
struct mb_catalog;

enum mb_plural {
	MB_PLURAL_ZERO,
	MB_PLURAL_ONE,
	MB_PLURAL_TWO,
	MB_PLURAL_FEW,
	MB_PLURAL_MANY,
	MB_PLURAL_OTHER
};

/* Loads every <lang>.msg file in dir; there must be an en.msg. MB_ERR_INVAL names
 * the file and line of a malformed message. */
int mb_i18n_load(const char *dir, struct mb_i18n **out, struct mb_diag *d);
/* Loads one catalog from memory (tests); replaces one of that lang. */
int mb_i18n_add(struct mb_i18n *i, const char *lang, const char *text,
    size_t len, struct mb_diag *d);
int mb_i18n_new(struct mb_i18n **out);
void mb_i18n_free(struct mb_i18n *i);

/* The catalog of lang's primary subtag ("ar-EG" -> ar), or NULL. */
const struct mb_catalog *mb_i18n_get(const struct mb_i18n *i,
    const char *lang);
/* English (or the first catalog when there is no English one). */
const struct mb_catalog *mb_i18n_default(const struct mb_i18n *i);
/* The catalogs, sorted by language code. */
size_t mb_i18n_count(const struct mb_i18n *i);
const struct mb_catalog *mb_i18n_at(const struct mb_i18n *i, size_t n);

/*
 * The reader's language: choice (the remembered one, a cookie's value;
 * may be NULL) when there is a catalog for it, else the best match of
 * an Accept-Language header (may be NULL; q-values honoured), else the
 * default. Never NULL.
 */
const struct mb_catalog *mb_i18n_negotiate(const struct mb_i18n *i,
    const char *choice, const char *accept_language);
/* The same, but when neither choice nor header has a catalog, the first
 * of dflt's languages ("ar,en": a center's) that has one; then English. */
const struct mb_catalog *mb_i18n_negotiate_or(const struct mb_i18n *i,
    const char *choice, const char *accept_language, const char *dflt);
/* Whether the n bytes at s look like a language tag (BCP 47's shape: "de",
 * "gsw", "es-419", "zh-Hant-TW"), whether or not there is a catalog. */
bool mb_i18n_tag_shaped(const char *s, size_t n);

const char *mb_catalog_lang(const struct mb_catalog *c);
bool mb_catalog_rtl(const struct mb_catalog *c);
/* A message (never NULL: falls back to English, then to key). */
const char *mb_catalog_get(const struct mb_catalog *c, const char *key);
/* The plural form of key for n, falling back to key[other] and key. */
const char *mb_catalog_plural(const struct mb_catalog *c, const char *key,
    int64_t n);

/* CLDR plural category of an integer in a language (primary subtag). */
enum mb_plural mb_plural_of(const char *lang, int64_t n);
/* The categories (bits 1u << MB_PLURAL_x) the catalog's language uses. */
unsigned mb_catalog_categories(const struct mb_catalog *c);

/* The catalog's own messages, without fallback (sorted by key): for the
 * test that finds missing ones. */
size_t mb_catalog_count(const struct mb_catalog *c);
const char *mb_catalog_key(const struct mb_catalog *c, size_t n);
bool mb_catalog_has(const struct mb_catalog *c, const char *key);

/* n as the catalog's language writes it (grouping, digits). */
int mb_catalog_format_int(const struct mb_catalog *c, int64_t n,
    struct mb_buf *out);
/* The UTC date of ms, day month year, in the catalog's language. */
int mb_catalog_format_date(const struct mb_catalog *c, int64_t ms,
    struct mb_buf *out);
/* The same with the hour and minute in UTC, named as such. */
int mb_catalog_format_datetime(const struct mb_catalog *c, int64_t ms,
    struct mb_buf *out);
/* Replaces "{}" in msg with arg, appending to out. */
int mb_i18n_subst(const char *msg, const char *arg, struct mb_buf *out);

#endif
