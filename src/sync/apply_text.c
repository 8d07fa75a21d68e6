/* SPDX-License-Identifier: MIT */
/* The search text and tokens of a pulled envelope, prepared on the verifying core from the tree it parsed. */
#include "apply_text.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "center/ingest.h"
#include "text/tokenizer.h"

/*
 * Tokenizers lent to the verifying threads. Those threads live for one
 * batch; a tokenizer's word cache pays over many (news repeats its
 * words), so the tokenizers outlive the threads, kept here until the
 * process ends.
 */
#define POOL_MAX	16

static pthread_mutex_t			 pool_mu = PTHREAD_MUTEX_INITIALIZER;
static struct mb_text_tokenizer		*pool[POOL_MAX];
static int				 npool;
static bool				 pool_bulk;

void
mb_sync_tokenizer_bulk(void)
{
	pthread_mutex_lock(&pool_mu);
	pool_bulk = true;
	pthread_mutex_unlock(&pool_mu);
}

struct mb_text_tokenizer *
mb_sync_tokenizer_get(void)
{
	struct mb_text_tokenizer *tk = NULL;
	bool			  bulk;

	pthread_mutex_lock(&pool_mu);
	if (npool > 0)
		tk = pool[--npool];
	bulk = pool_bulk;
	pthread_mutex_unlock(&pool_mu);
	if (tk == NULL && (bulk ? mb_text_tokenizer_new_bulk(&tk) :
	    mb_text_tokenizer_new(&tk)) != MB_OK)
		return NULL;
	return tk;
}

void
mb_sync_tokenizer_put(struct mb_text_tokenizer *tk)
{
	if (tk == NULL)
		return;
	pthread_mutex_lock(&pool_mu);
	if (npool < POOL_MAX) {
		pool[npool++] = tk;
		tk = NULL;
	}
	pthread_mutex_unlock(&pool_mu);
	mb_text_tokenizer_free(tk);
}

struct mb_sync_text *
mb_sync_text_new(const struct mb_envelope *e, struct mb_text_tokenizer *tk)
{
	struct mb_sync_text *t;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return NULL;
	/*
	 * The same text the store's view derives from the stored envelope
	 * (mb_ingest_index_text): a canonicalized envelope holds the same
	 * values as the bytes that were parsed here.
	 */
	if (mb_ingest_index_text_of(e, &t->headline, &t->body, t->lang) !=
	    MB_OK) {
		mb_sync_text_free(t);
		return NULL;
	}
	t->lang[MB_STORE_LANG_MAX - 1] = '\0';
	/* Without tokens the writer's tokenizer makes them: same index. */
	if (tk != NULL && (mb_ingest_tokens(tk, t->lang, t->headline,
	    &t->tok[0]) != MB_OK || mb_ingest_tokens(tk, t->lang, t->body,
	    &t->tok[1]) != MB_OK)) {
		mb_text_tokens_free(t->tok[0]);
		mb_text_tokens_free(t->tok[1]);
		t->tok[0] = t->tok[1] = NULL;
	}
	return t;
}

void
mb_sync_text_free(struct mb_sync_text *t)
{
	if (t == NULL)
		return;
	free(t->headline);
	free(t->body);
	mb_text_tokens_free(t->tok[0]);
	mb_text_tokens_free(t->tok[1]);
	free(t);
}

void
mb_sync_text_store(const struct mb_sync_text *t, struct mb_store_text *out)
{
	const struct mb_text_tokens *tt[2] = { t->tok[0], t->tok[1] };

	out->headline = t->headline;
	out->body = t->body;
	out->language = t->lang[0] != '\0' ? t->lang : NULL;
	mb_text_tokens_offer(tt, 2);
}
