/* SPDX-License-Identifier: MIT */
/*
 * The machine translation domain's tables (docs/translation.md): the
 * cache of translations made, the center's glossary, and the drafts the
 * newsroom made by machine, which say which version of their original
 * they translate (so that a newer original shows them as stale).
 */
#ifndef MB_STORE_MT_H
#define MB_STORE_MT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

struct mb_store;

/*
 * The cache: key (mb_mt_cache_key, 64 hex) -> the translation and when
 * it was made. *text is malloc'd and NUL-terminated; MB_ERR_NOTFOUND
 * (d untouched) on a miss.
 */
int mb_store_mt_cache_get(struct mb_store *st, const char *key, char **text,
    int64_t *at_ms, struct mb_diag *d);
/* Keeps a translation (a key already there is left as it is). */
int mb_store_mt_cache_put(struct mb_store *st, const char *key,
    const char *text, int64_t at_ms, struct mb_diag *d);

/* A glossary entry: to "*" for every target; translation "" keeps it. */
struct mb_store_mt_term {
	int64_t	id;
	char	src[36];
	char	dst[36];
	char	term[256];
	char	translation[256];
};

/* MB_ERR_EXISTS when (src, dst, term) is there already. */
int mb_store_mt_term_add(struct mb_store *st, const char *src,
    const char *dst, const char *term, const char *translation, int64_t *id,
    struct mb_diag *d);
/* MB_ERR_NOTFOUND when there is no such entry. */
int mb_store_mt_term_remove(struct mb_store *st, int64_t id,
    struct mb_diag *d);
/* Every entry, by id; cb returns MB_OK to go on. */
int mb_store_mt_term_list(struct mb_store *st,
    int (*cb)(const struct mb_store_mt_term *t, void *arg), void *arg,
    struct mb_diag *d);

/*
 * A draft this center made by machine: its uri, its original and the
 * version of the original it translates, its language; current is the
 * original's current version where it is listed with it (stale lists).
 */
struct mb_store_mt_draft {
	char	uri[256];
	char	of_uri[256];
	int64_t	of_version;
	char	language[36];
	int64_t	made_ms;
	int64_t	current;
};

/* Records (or updates, by uri) a machine draft. */
int mb_store_mt_draft_put(struct mb_store *st, const char *uri,
    const char *of_uri, int64_t of_version, const char *language,
    int64_t made_ms, struct mb_diag *d);
/* This center's draft of of_uri in language; MB_ERR_NOTFOUND, d untouched. */
int mb_store_mt_draft_find(struct mb_store *st, const char *of_uri,
    const char *language, struct mb_store_mt_draft *out, struct mb_diag *d);
/*
 * The drafts whose original has a newer version than the one they
 * translate ("needs update"), newest original first, with current set.
 */
int mb_store_mt_stale_list(struct mb_store *st,
    int (*cb)(const struct mb_store_mt_draft *t, void *arg), void *arg,
    struct mb_diag *d);

#endif
