/* SPDX-License-Identifier: MIT */
/* The search text and tokens of a pulled envelope, prepared on the verifying core from the tree it parsed. */
#ifndef MB_SYNC_APPLY_TEXT_H
#define MB_SYNC_APPLY_TEXT_H

#include "item/envelope.h"
#include "store/store.h"

struct mb_text_tokenizer;
struct mb_text_tokens;

/*
 * What the index holds for one version (issue 23: an item is searchable
 * when its batch commits): its text as the store's view derives it and
 * its "mb" tokens, which the writer's tokenizer replays.
 */
struct mb_sync_text {
	char			*headline, *body;
	char			 lang[MB_STORE_LANG_MAX];
	struct mb_text_tokens	*tok[2];	/* NULL: tokenized by the writer */
};

/* A tokenizer for this thread's while (kept warm across batches). */
struct mb_text_tokenizer *mb_sync_tokenizer_get(void);
void mb_sync_tokenizer_put(struct mb_text_tokenizer *tk);
/*
 * From now on the pool makes bulk tokenizers (a word cache twice as
 * large): sync --once, which verifies thousands of items in one go and
 * then exits. serve's puller keeps the smaller ones (serve's Rss).
 */
void mb_sync_tokenizer_bulk(void);

/*
 * The text and (tk not NULL) tokens of the checked envelope e; NULL when
 * out of memory: the version is then queued for the indexer instead.
 */
struct mb_sync_text *mb_sync_text_new(const struct mb_envelope *e,
    struct mb_text_tokenizer *tk);
void mb_sync_text_free(struct mb_sync_text *t);

/*
 * Fills out for mb_store_put() and offers the tokens to the calling
 * thread's tokenizer; mb_text_tokens_offer(NULL, 0) withdraws them.
 */
void mb_sync_text_store(const struct mb_sync_text *t,
    struct mb_store_text *out);

#endif
