/* SPDX-License-Identifier: MIT */
/*
 * The registry's optional fields of a center (struct mb_center, store.h):
 * its name in other languages, and the machine translation pairs it lends
 * to member centers. Both are public by nature (a center's name, what its
 * engines translate): never personal data. Checked here, once, for the
 * CLI, the federation door and the registry's parser alike.
 */
#ifndef MB_CENTER_NAMES_H
#define MB_CENTER_NAMES_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "base/err.h"
#include "store/store.h"

#define MB_CENTER_NAMES_MAX	12	/* languages with a name */
#define MB_CENTER_NAME_MAX	127	/* bytes of one name */
#define MB_CENTER_PAIRS_MAX	64	/* pairs one center lends */
#define MB_CENTER_PAIR_TAG_MAX	15	/* bytes of one tag in a pair */

/*
 * True when tag is a language tag whose primary subtag is an ISO 639-1
 * code ("ar", "pt-BR", "zh-Hans"): the languages the network names.
 */
bool mb_lang_known(const char *tag);

/*
 * Sets (name not NULL nor "") or removes c's name in lang. lang must be
 * known (mb_lang_known) and is stored lower-cased; name valid UTF-8,
 * without control characters, 1..MB_CENTER_NAME_MAX bytes; at most
 * MB_CENTER_NAMES_MAX languages. MB_ERR_INVAL naming what was wrong, c
 * unchanged; MB_ERR_NOTFOUND when removing a name that is not there.
 */
int mb_center_name_set(struct mb_center *c, const char *lang,
    const char *name, struct mb_diag *d);

/*
 * The name of c for a reader of lang (a BCP 47 tag, may be NULL): its
 * name in lang, else in lang's primary language, else its default name,
 * else its id. Copied into out (n bytes).
 */
void mb_center_name_in(const struct mb_center *c, const char *lang,
    char *out, size_t n);

/*
 * The names as the registry carries them ({"ar": "..."}, a new
 * reference), NULL when c has none.
 */
json_t *mb_center_names_json(const struct mb_center *c);

/*
 * Checks names from a registry or a request (NULL: none) and writes them
 * to c->names in canonical form. MB_ERR_INVAL naming the bad entry.
 */
int mb_center_names_from_json(struct mb_center *c, const json_t *names,
    struct mb_diag *d);

/*
 * Checks a list of pairs (["en|es", ...]; NULL: none), normalizes each
 * tag ("EN" -> "en"), drops duplicates, and writes them, sorted, to
 * c->mt_pairs. Each tag known (mb_lang_known), from and to different,
 * at most MB_CENTER_PAIRS_MAX pairs. MB_ERR_INVAL (MB_ERR_TOOBIG for too
 * many) naming the bad entry, c unchanged.
 */
int mb_center_pairs_from_json(struct mb_center *c, const json_t *pairs,
    struct mb_diag *d);

/* c's pairs as the registry carries them (["en|es", ...]); NULL: none. */
json_t *mb_center_pairs_json(const struct mb_center *c);

/* True when c lends from -> to (normalized tags, exactly as stored). */
bool mb_center_lends(const struct mb_center *c, const char *from,
    const char *to);

#endif
