/* SPDX-License-Identifier: MIT */
/* CLDR's locale data through ICU: plural rules, numbers, dates, direction. */
#ifndef MB_HTTP_I18N_CLDR_H
#define MB_HTTP_I18N_CLDR_H

#include <stdbool.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"
#include "http/i18n.h"

/*
 * One language's formatters, opened once when its catalog loads (ICU's
 * data is read then, not while serving). Formatting takes a lock inside:
 * ICU's date and number formatters are not safe to share between
 * threads, its plural rules are.
 */
struct mb_cldr;

/* locale: an ICU or BCP 47 locale ("en-001", "pt"); digits: "latn",
 * "arab", "deva", ... or NULL for the locale's own default. */
int mb_cldr_open(const char *locale, const char *digits,
    struct mb_cldr **out, struct mb_diag *d);
void mb_cldr_free(struct mb_cldr *c);

enum mb_plural mb_cldr_plural(const struct mb_cldr *c, int64_t n);
/* The categories the locale's integers and decimals use: a bit set of
 * 1u << MB_PLURAL_x. */
unsigned mb_cldr_categories(const struct mb_cldr *c);
int mb_cldr_format_int(const struct mb_cldr *c, int64_t n,
    struct mb_buf *out);
/* The UTC date of ms, day month year, as the locale writes it. */
int mb_cldr_format_date(const struct mb_cldr *c, int64_t ms,
    struct mb_buf *out);
/* The same with the hour and minute and the zone (UTC), as the locale
 * writes them. */
int mb_cldr_format_datetime(const struct mb_cldr *c, int64_t ms,
    struct mb_buf *out);
/* Whether the locale's script is written right to left. */
bool mb_cldr_rtl(const char *locale);

#endif
