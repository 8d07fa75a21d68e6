/* SPDX-License-Identifier: MIT */
/* Language identification (script rules, then libexttextcat) and facts
 * about languages: right-to-left, stemming algorithm. */
#ifndef MB_TEXT_LANG_H
#define MB_TEXT_LANG_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"

/* The longest tag this module hands out or accepts in a marker. */
#define MB_LANG_TAG_MAX 35

/*
 * A language detector: the libexttextcat fingerprints, loaded once
 * (~160 languages, a few MB, ~50 ms). One detector may be shared by all
 * threads: mb_lang_detect() takes an internal mutex around libexttextcat,
 * whose handle is not reentrant. Classification costs about 0.5 ms per
 * call on 600 bytes; callers detect once per item, not per query word.
 */
struct mb_lang_detector;

/*
 * Loads the fingerprints from datadir (which holds fpdb.conf and the
 * *.lm files); NULL means the Debian location /usr/share/libexttextcat.
 * MB_ERR_NOTFOUND when they are not there, MB_ERR_NOMEM.
 */
int mb_lang_detector_new(const char *datadir, struct mb_lang_detector **out,
    struct mb_diag *d);

/* Frees it; NULL is a no-op. */
void mb_lang_detector_free(struct mb_lang_detector *det);

/*
 * The BCP 47 primary language tag of the UTF-8 text s[0..len) ("ar",
 * "ru", "en", "zh", ...), or "und" when unsure (too short, mixed, not
 * recognised). The string is static. Scripts that decide the language
 * (Han, Kana, Hangul, Arabic, Hebrew, Devanagari, Greek, Thai, ...) are
 * decided by counting letters, without libexttextcat; other scripts
 * (Latin, Cyrillic) need det, and give "und" when det is NULL. Only the
 * first 4 KiB are looked at; invalid UTF-8 bytes are skipped.
 */
const char *mb_lang_detect(struct mb_lang_detector *det, const char *s,
    size_t len);

/*
 * Like mb_lang_detect() for a reader's short query: script rules only,
 * "und" for Latin and Cyrillic (a few words are too few for n-grams;
 * Cyrillic gives "ru" since that is the one Cyrillic language we stem).
 */
const char *mb_lang_detect_script(const char *s, size_t len);

/*
 * True for right-to-left languages: ar, fa, ur, he, ps, sd, ug, yi, dv,
 * ckb (and iw, ji, the old Hebrew and Yiddish codes), with or without
 * subtags ("ar-EG"), case-insensitive; also any tag whose script subtag
 * is Arab or Hebr ("pa-Arab"), and false for an explicit Latn/Cyrl.
 */
bool mb_lang_is_rtl(const char *tag);

/*
 * The libstemmer (Snowball) algorithm for tag's primary language
 * ("english", "russian", "arabic", ...) or NULL when there is none (sw,
 * zh, und, ...). Note that the tokenizer stems Arabic with its own light
 * stemmer instead of libstemmer's "arabic" (docs/search.md says why).
 */
const char *mb_lang_stemmer_name(const char *tag);

/*
 * Copies tag's primary subtag, lower-cased, into out (at least
 * MB_LANG_TAG_MAX + 1 bytes): "ar-EG" -> "ar", "EN" -> "en". Returns its
 * length, or 0 when tag is NULL, empty, "und" or not a well-formed tag.
 */
size_t mb_lang_primary(const char *tag, char *out);

#endif
