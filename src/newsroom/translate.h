/* SPDX-License-Identifier: MIT */
/*
 * Translation as a workflow step (docs/translation.md): a machine draft
 * of an item, linked to its original with its provenance signed in
 * meta.translation; made again when the original moves on; translations
 * whose original has a newer version are stale. The JSON API, the
 * newsroom pages, the CLI and the site call these.
 */
#ifndef MB_NEWSROOM_TRANSLATE_H
#define MB_NEWSROOM_TRANSLATE_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "base/err.h"
#include "newsroom/items.h"

struct mb_mt;
struct mb_mt_glossary;

/*
 * Makes a machine draft of uri (any center's item the actor may see) in
 * language `to` (BCP 47) with the center's engines: headlines,
 * descriptions and bodies translated (markup kept), the rest copied, the
 * draft created at this center with meta.translation {of, ofVersion,
 * by: "machine", engine, pair, pivot, engineVersion, at, via}. When this
 * center already has a draft of uri in that language, it is made again
 * (a new version, back to draft; the translator's edits stay in the
 * previous version); *made says which. Results come from the cache
 * when the same text, pair, engine version and glossary were translated
 * before. An internal or unpublished original is translated by this
 * center's own engines only (mb_newsroom_mt_scope): without one for the
 * pair, MB_ERR_NOTFOUND with code "no_pair", saying why. Errors: those
 * of mb_mt_translate (nothing is created), and of mb_newsroom_create /
 * update; out->code names the kind.
 */
int mb_newsroom_translate(const struct mb_newsroom_env *e,
    const struct mb_actor *a, struct mb_mt *mt, const char *uri,
    const char *to, struct mb_nr_saved *out, bool *made, struct mb_diag *d);

/*
 * The engines an item's text may go to, as MB_MT_* need bits to add:
 * MB_MT_LOCAL when the version is internal or not published (workflow
 * NULL is published), since such text never leaves the center (DESIGN
 * §9) and a lender is another center; 0 otherwise. *why (may be NULL)
 * gets "internal" or "not published" for the refusal, else NULL.
 */
unsigned mb_newsroom_mt_scope(const char *audience, const char *workflow,
    const char **why);

/*
 * A text translated with the cache in front and the center's glossary
 * (the readers' on-demand translations), by the engines allowed for need
 * (MB_MT_FOR_*, 0: all): *out malloc'd; prov (may be NULL) gets the
 * provenance (new reference, without "of"). HTML: the alt text of each
 * picture in it is translated too (attributes are not sent with it).
 */
int mb_newsroom_mt_text(struct mb_store *st, struct mb_mt *mt,
    const char *from, const char *to, unsigned need, const char *text,
    size_t len, bool plain, char **out, json_t **prov, struct mb_diag *d);

/* The center's glossary from the store (*out may be NULL: no terms). */
int mb_newsroom_glossary(struct mb_store *st, struct mb_mt_glossary **out,
    struct mb_diag *d);

/*
 * Whether the translation whose envelope meta is meta is stale: its
 * original (meta.translation.of) is here with a newer version than
 * meta.translation.ofVersion. *current gets that version (0 when the
 * original is not here or meta is not a translation's).
 */
bool mb_newsroom_translation_stale(struct mb_store *st, const json_t *meta,
    int64_t *current);

#endif
