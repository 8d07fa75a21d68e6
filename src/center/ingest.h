/* SPDX-License-Identifier: MIT */
/* Turning a ninjs item or a signed envelope into a stored version. */
#ifndef MB_CENTER_INGEST_H
#define MB_CENTER_INGEST_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "base/err.h"
#include "center/center.h"
#include "item/envelope.h"
#include "store/store.h"

struct mb_text_tokenizer;
struct mb_text_tokens;

/*
 * Ingesting is two steps so that the expensive half runs in parallel:
 * mb_ingest_prepare() (parse, complete, check, sign or verify, extract
 * the text to index: CPU only, no store, safe from several threads) and
 * mb_ingest_commit() (dedupe and store: one thread, inside the caller's
 * transaction if one is open).
 */
struct mb_ingest;
struct mb_prepared;

/*
 * A context for one run: the center and the keys of the centers the
 * store knows, read once. st is only read here.
 */
int mb_ingest_new(const struct mb_center_node *n, struct mb_store *st,
    struct mb_ingest **out, struct mb_diag *d);
void mb_ingest_free(struct mb_ingest *ig);

struct mb_ingest_opts {
	const char	*audience;	/* default "public" */
	const char	*workflow;	/* default "published" */
	int64_t		 now_ms;	/* default: the clock */
	/* meta.translation to sign with the item (borrowed); NULL: none */
	const json_t	*translation;
	/*
	 * A tokenizer instance of the calling thread (borrowed): prepare
	 * then also tokenizes the text for the index, and commit offers the
	 * tokens to the store's tokenizer (see text/tokenizer.h), moving
	 * that work off the writing thread. NULL: commit tokenizes.
	 */
	struct mb_text_tokenizer *pretokenize;
};

/*
 * Prepares one value (stolen): either an envelope {"item", "meta",
 * "signature"}, which must verify with its origin's key, or a ninjs
 * item from this center, which is completed and signed here:
 *   - no uri: this center mints one (the item's hash is remembered as
 *     an alias, so importing it again adds nothing), version "1";
 *   - no version: "1"; no versionCreated: now; no firstCreated: the
 *     versionCreated; no language: detected, and meta says so.
 * A uri of another center is refused: its own signed envelope is the
 * only form in which another center's item may enter.
 */
int mb_ingest_prepare(struct mb_ingest *ig, json_t *value,
    const struct mb_ingest_opts *o, struct mb_prepared **out,
    struct mb_diag *d);
void mb_prepared_free(struct mb_prepared *p);

/* The signed envelope a prepared version carries (borrowed). */
const struct mb_envelope *mb_prepared_envelope(const struct mb_prepared *p);

struct mb_ingest_result {
	char	uri[MB_URI_MAX];
	int64_t	version;
	int64_t	seq;		/* 0 for a duplicate */
	bool	duplicate;	/* already stored: nothing changed */
};

/*
 * Stores a prepared version: appends it to the log and indexes it (or
 * queues it for the index when index is false). A version already
 * stored is a duplicate, not an error.
 */
int mb_ingest_commit(struct mb_ingest *ig, struct mb_store *st,
    const struct mb_prepared *p, bool index, struct mb_ingest_result *r,
    struct mb_diag *d);

/*
 * After mb_ingest_commit() found p's version stored (a duplicate):
 * whether what is stored is what p holds. A version is never changed: a
 * different content under the same version is a mistake to report (the
 * writer meant a new version), not "already there". A signed envelope
 * must be the stored one byte for byte; an item signed here on import
 * may differ only in the times import fills in when its input leaves
 * them out (versionCreated, firstCreated), so that importing the same
 * file twice stays a duplicate. MB_OK: the same; MB_ERR_CONFLICT naming
 * the version: not.
 */
int mb_ingest_duplicate_check(struct mb_store *st,
    const struct mb_prepared *p, struct mb_diag *d);

/*
 * The text and language the full-text index holds for a stored envelope
 * (an mb_store_text_fn, store.h): the envelope's headline and body text
 * as mb_ingest_text() gives them and its primary language subtag, as
 * import and the indexer hand them to the store.
 */
int mb_ingest_index_text(const char *envelope, size_t len, char **headline,
    char **body, char lang[MB_STORE_LANG_MAX]);

/* mb_ingest_index_text() of an envelope already parsed. */
int mb_ingest_index_text_of(const struct mb_envelope *e, char **headline,
    char **body, char lang[MB_STORE_LANG_MAX]);

/*
 * The "mb" tokens of headline or body text as the store hands it to the
 * index (marked with lang, "" or NULL: none), for the writer's tokenizer
 * to replay (mb_text_tokens_offer).
 */
int mb_ingest_tokens(struct mb_text_tokenizer *tk, const char *lang,
    const char *text, struct mb_text_tokens **out);

/* The text of an envelope for the full-text index; free with free(). */
int mb_ingest_text(const struct mb_envelope *e, char **headline,
    char **body, struct mb_diag *d);

#endif
