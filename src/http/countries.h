/* SPDX-License-Identifier: MIT */
/*
 * Country names in the reader's language, from Debian's iso-codes: the
 * English names of ISO 3166-1 (/usr/share/iso-codes/json/iso_3166-1.json)
 * and their translations (/usr/share/locale/LANG/LC_MESSAGES/
 * iso_3166-1.mo), read once and kept. Without the package, the code.
 */
#ifndef MB_HTTP_COUNTRIES_H
#define MB_HTTP_COUNTRIES_H

#include <stddef.h>

/*
 * The name of the country alpha2 ("EG", any case) in lang (a primary
 * subtag: "ar", "zh"), copied into out (n bytes); English when the
 * language has no translation, alpha2 itself (upper-cased) when iso-codes
 * does not know it or is not installed. Thread-safe. Returns out.
 */
const char *mb_country_name(const char *lang, const char *alpha2, char *out,
    size_t n);

/* Where iso-codes is read from (tests): root replaces "/usr/share". */
void mb_countries_root(const char *root);

#endif
