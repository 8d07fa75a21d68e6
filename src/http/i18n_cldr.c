/* SPDX-License-Identifier: MIT */
/*
 * CLDR through ICU (Debian's libicu): the plural category of a count,
 * numbers with the locale's grouping and digits, and dates ("29 de
 * noviembre de 2026", "2026年11月29日") in the page's language. The rules
 * are CLDR's own, so that Arabic's six forms, Russian's four and Hindi's
 * two come from the same source as every other language's.
 */
#include "i18n_cldr.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/udat.h>
#include <unicode/udatpg.h>
#include <unicode/uenum.h>
#include <unicode/uloc.h>
#include <unicode/unumberformatter.h>
#include <unicode/upluralrules.h>
#include <unicode/ustring.h>

struct mb_cldr {
	UPluralRules	*plural;
	UNumberFormatter *num;		/* immutable: thread-safe */
	UDateFormat	*date;
	UDateFormat	*datetime;	/* date, hour and minute, "UTC" */
	unsigned	 categories;
	pthread_mutex_t	 mu;		/* date is not thread-safe */
};

static const char *const plural_names[] = { "zero", "one", "two", "few",
	"many", "other" };

/* "en-001" + "latn" -> "en_001@numbers=latn": ICU's form of the name. */
static int
icu_locale(const char *locale, const char *digits, char *out, size_t cap,
    struct mb_diag *d)
{
	size_t k;

	if (locale == NULL || *locale == '\0' ||
	    strspn(locale, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") != strlen(locale))
		return mb_diag_set(d, MB_ERR_INVAL, "locale \"%.40s\": "
		    "letters, digits and dashes only", locale ? locale : "");
	if (digits != NULL && (*digits == '\0' ||
	    strspn(digits, "abcdefghijklmnopqrstuvwxyz") != strlen(digits)))
		return mb_diag_set(d, MB_ERR_INVAL, "digits \"%.40s\": a "
		    "numbering system such as latn or arab", digits);
	if ((size_t)snprintf(out, cap, "%s%s%s", locale, digits ?
	    "@numbers=" : "", digits ? digits : "") >= cap)
		return mb_diag_set(d, MB_ERR_INVAL, "locale \"%.40s\": too "
		    "long", locale);
	for (k = 0; out[k] != '\0' && out[k] != '@'; k++)
		if (out[k] == '-')
			out[k] = '_';
	return MB_OK;
}

int
mb_cldr_open(const char *locale, const char *digits, struct mb_cldr **out,
    struct mb_diag *d)
{
	struct mb_cldr			*c;
	UDateTimePatternGenerator	*gen = NULL;
	UEnumeration			*kw;
	UErrorCode			 st = U_ZERO_ERROR;
	UChar				 skel[16], pat[64], utc[4];
	int32_t				 plen;
	const char			*name;
	char				 loc[96];
	int				 rc;

	if ((rc = icu_locale(locale, digits, loc, sizeof(loc), d)) != MB_OK)
		return rc;
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return MB_ERR_NOMEM;
	pthread_mutex_init(&c->mu, NULL);
	c->plural = uplrules_open(loc, &st);
	/* The locale's grouping, its minimum included (Spanish 2000, but
	 * 20.000), which the older unum API leaves out. */
	c->num = unumf_openForSkeletonAndLocale(u"", 0, loc, &st);
	/* Day, month in words, year: the locale's order and words. */
	u_uastrcpy(skel, "yMMMMd");
	u_uastrcpy(utc, "UTC");
	gen = udatpg_open(loc, &st);
	plen = udatpg_getBestPattern(gen, skel, -1, pat,
	    (int32_t)(sizeof(pat) / sizeof(pat[0])), &st);
	c->date = udat_open(UDAT_PATTERN, UDAT_PATTERN, loc, utc, -1, pat,
	    plen, &st);
	/* An event's start: the same date with the hour as the locale
	 * writes it (24 hours, unambiguous across a network spanning time
	 * zones; the locale's digits) and the zone, always UTC here. */
	u_uastrcpy(skel, "yMMMMdHHmmz");
	plen = udatpg_getBestPattern(gen, skel, -1, pat,
	    (int32_t)(sizeof(pat) / sizeof(pat[0])), &st);
	c->datetime = udat_open(UDAT_PATTERN, UDAT_PATTERN, loc, utc, -1, pat,
	    plen, &st);
	udatpg_close(gen);
	if (U_FAILURE(st)) {
		mb_cldr_free(c);
		return mb_diag_set(d, MB_ERR_INVAL, "locale %s: ICU: %s", loc,
		    u_errorName(st));
	}
	kw = uplrules_getKeywords(c->plural, &st);
	while (U_SUCCESS(st) && (name = uenum_next(kw, NULL, &st)) != NULL)
		for (size_t k = 0; k < 6; k++)
			if (strcmp(name, plural_names[k]) == 0)
				c->categories |= 1u << k;
	uenum_close(kw);
	c->categories |= 1u << MB_PLURAL_OTHER;
	*out = c;
	return MB_OK;
}

void
mb_cldr_free(struct mb_cldr *c)
{
	if (c == NULL)
		return;
	uplrules_close(c->plural);
	unumf_close(c->num);
	udat_close(c->date);
	udat_close(c->datetime);
	pthread_mutex_destroy(&c->mu);
	free(c);
}

enum mb_plural
mb_cldr_plural(const struct mb_cldr *c, int64_t n)
{
	UErrorCode	st = U_ZERO_ERROR;
	UChar		kw[16];
	char		name[16];
	uint64_t	a = n < 0 ? (uint64_t)-(n + 1) + 1 : (uint64_t)n;

	if (c == NULL)
		return MB_PLURAL_OTHER;
	/* A count's category does not depend on its sign (CLDR's n is the
	 * absolute value). ICU takes a double, exact only below 2^53: a
	 * larger count keeps what the rules look at (its last digits, up
	 * to i % 1000000) and stays large. */
	if (a >= 1000000000000000ULL)
		a = 1000000000000ULL + a % 1000000000ULL;
	uplrules_select(c->plural, (double)a, kw,
	    (int32_t)(sizeof(kw) / sizeof(kw[0])), &st);
	if (U_FAILURE(st))
		return MB_PLURAL_OTHER;
	u_austrncpy(name, kw, sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	for (size_t k = 0; k < 6; k++)
		if (strcmp(name, plural_names[k]) == 0)
			return (enum mb_plural)k;
	return MB_PLURAL_OTHER;
}

unsigned
mb_cldr_categories(const struct mb_cldr *c)
{
	return c != NULL ? c->categories : 1u << MB_PLURAL_OTHER;
}

/* Appends ICU's UTF-16 result as UTF-8. */
static int
put_utf16(const UChar *s, int32_t n, struct mb_buf *out)
{
	UErrorCode	st = U_ZERO_ERROR;
	char		u8[256];
	int32_t		len;

	u_strToUTF8(u8, (int32_t)sizeof(u8), &len, s, n, &st);
	if (U_FAILURE(st) || len >= (int32_t)sizeof(u8))
		return MB_ERR_INVAL;
	return mb_buf_append(out, u8, (size_t)len);
}

int
mb_cldr_format_int(const struct mb_cldr *c, int64_t n, struct mb_buf *out)
{
	UFormattedNumber	*res;
	UErrorCode		 st = U_ZERO_ERROR;
	UChar			 s[64];
	int32_t			 len = 0;

	if (c == NULL || (res = unumf_openResult(&st)) == NULL)
		return mb_buf_printf(out, "%lld", (long long)n);
	unumf_formatInt(c->num, n, res, &st);
	len = unumf_resultToString(res, s, (int32_t)(sizeof(s) /
	    sizeof(s[0])), &st);
	unumf_closeResult(res);
	if (U_FAILURE(st))
		return mb_buf_printf(out, "%lld", (long long)n);
	return put_utf16(s, len, out);
}

static int
format_with(const struct mb_cldr *c, bool with_time, int64_t ms,
    struct mb_buf *out)
{
	struct mb_cldr	*m = (struct mb_cldr *)c;
	UErrorCode	 st = U_ZERO_ERROR;
	UChar		 s[128];
	int32_t		 len;

	if (c == NULL)
		return MB_ERR_INVAL;
	pthread_mutex_lock(&m->mu);
	len = udat_format(with_time ? m->datetime : m->date, (UDate)ms, s,
	    (int32_t)(sizeof(s) / sizeof(s[0])), NULL, &st);
	pthread_mutex_unlock(&m->mu);
	if (U_FAILURE(st))
		return MB_ERR_INVAL;
	return put_utf16(s, len, out);
}

int
mb_cldr_format_date(const struct mb_cldr *c, int64_t ms, struct mb_buf *out)
{
	return format_with(c, false, ms, out);
}

int
mb_cldr_format_datetime(const struct mb_cldr *c, int64_t ms,
    struct mb_buf *out)
{
	return format_with(c, true, ms, out);
}

bool
mb_cldr_rtl(const char *locale)
{
	char loc[96];

	if (icu_locale(locale, NULL, loc, sizeof(loc), NULL) != MB_OK)
		return false;
	return uloc_isRightToLeft(loc) != 0;
}
