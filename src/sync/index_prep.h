/* SPDX-License-Identifier: MIT */
/* Preparing the text and tokens of queued items on every core, so that the writer only inserts. */
#ifndef MB_SYNC_INDEX_PREP_H
#define MB_SYNC_INDEX_PREP_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"
#include "store/store.h"

struct mb_index_prep;

/*
 * Reads up to limit queued versions (mb_store_index_peek) and prepares,
 * on every core, the text the index holds for each (center's
 * mb_ingest_index_text) and its "mb" tokens.
 */
int mb_index_prep_run(struct mb_store *st, int64_t limit,
    struct mb_index_prep **out, struct mb_diag *d);

/*
 * The prepared text of v, its tokens offered to the calling thread's
 * tokenizer (mb_text_tokens_offer: an offer never changes what is
 * indexed). False when v was not prepared: the caller derives it.
 */
bool mb_index_prep_take(struct mb_index_prep *p,
    const struct mb_store_version *v, struct mb_store_text *t);

/* Withdraws the offer and frees everything. NULL is fine. */
void mb_index_prep_free(struct mb_index_prep *p);

#endif
