/* SPDX-License-Identifier: MIT */
/* Preparing the text and tokens of queued items on every core, so that the writer only inserts. */
#include "index_prep.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "center/ingest.h"
#include "text/tokenizer.h"

/*
 * Catching up (sync --once after a pull, verify --repair, migrate) the
 * writer parsed each envelope again, turned its HTML into text and ran
 * the tokenizer and stemmer inside FTS5's insert: most of an item's
 * cost, on one core (docs/benchmarks.md, "## searchable"). Here the
 * queued rows are read first, every core derives their text and tokens,
 * and the writer's tokenizer replays them, as import's does.
 */
#define PREP_THREADS_MAX	8

struct slot {
	int64_t			 seq;
	char			*env;
	size_t			 len;
	char			*headline, *body;
	char			 lang[MB_STORE_LANG_MAX];
	struct mb_text_tokens	*tok[2];
};

struct mb_index_prep {
	struct slot	*s;
	size_t		 n, cap;
	size_t		 next;		/* where the writer's next row is */
	atomic_size_t	 claim;		/* the next slot a worker takes */
};

static int
add_row(const struct mb_store_version *v, void *arg)
{
	struct mb_index_prep	*p = arg;
	struct slot		*s;

	if (p->n == p->cap) {
		size_t	cap = p->cap ? p->cap * 2 : 256;
		void	*ns = realloc(p->s, cap * sizeof(*p->s));

		if (ns == NULL)
			return MB_ERR_NOMEM;
		p->s = ns;
		p->cap = cap;
	}
	s = &p->s[p->n];
	memset(s, 0, sizeof(*s));
	s->seq = v->seq;
	if ((s->env = malloc(v->envelope_len + 1)) == NULL)
		return MB_ERR_NOMEM;
	memcpy(s->env, v->envelope, v->envelope_len);
	s->env[v->envelope_len] = '\0';
	s->len = v->envelope_len;
	p->n++;
	return MB_OK;
}

/* The tokens of the text as the store marks it (sqlite_fts_text.c). */
static void
tokens(struct mb_text_tokenizer *tk, const char *lang, const char *text,
    struct mb_text_tokens **out)
{
	struct mb_buf b = MB_BUF_INIT;

	if ((lang[0] == '\0' || (mb_buf_putc(&b, MB_TEXT_MARK) == MB_OK &&
	    mb_buf_puts(&b, lang) == MB_OK &&
	    mb_buf_putc(&b, MB_TEXT_MARK) == MB_OK)) &&
	    mb_buf_puts(&b, text != NULL ? text : "") == MB_OK &&
	    mb_text_tokens_new(tk, mb_buf_cstr(&b), b.len, out) != MB_OK)
		*out = NULL;	/* the writer tokenizes it then */
	mb_buf_free(&b);
}

static void *
worker(void *arg)
{
	struct mb_index_prep		*p = arg;
	struct mb_text_tokenizer	*tk = NULL;
	size_t				 i;

	if (mb_text_tokenizer_new(&tk) != MB_OK)
		tk = NULL;
	while ((i = atomic_fetch_add(&p->claim, 1)) < p->n) {
		struct slot *s = &p->s[i];

		/* An envelope with no text: none, as the view says. */
		if (mb_ingest_index_text(s->env, s->len, &s->headline,
		    &s->body, s->lang) != MB_OK) {
			free(s->headline);
			free(s->body);
			s->headline = s->body = NULL;
			s->lang[0] = '\0';
		}
		s->lang[MB_STORE_LANG_MAX - 1] = '\0';
		if (tk != NULL) {
			tokens(tk, s->lang, s->headline, &s->tok[0]);
			tokens(tk, s->lang, s->body, &s->tok[1]);
		}
		free(s->env);
		s->env = NULL;
	}
	mb_text_tokenizer_free(tk);
	return NULL;
}

int
mb_index_prep_run(struct mb_store *st, int64_t limit,
    struct mb_index_prep **out, struct mb_diag *d)
{
	struct mb_index_prep	*p;
	pthread_t		 th[PREP_THREADS_MAX];
	long			 ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int			 nth = 0, rc;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		return MB_ERR_NOMEM;
	atomic_init(&p->claim, 0);
	if ((rc = mb_store_index_peek(st, limit, add_row, p, d)) != MB_OK) {
		mb_index_prep_free(p);
		return rc;
	}
	/* The calling thread works too. */
	for (long k = 1; k < ncpu && k < PREP_THREADS_MAX && (size_t)k <
	    p->n; k++)
		if (pthread_create(&th[nth], NULL, worker, p) == 0)
			nth++;
	worker(p);
	for (int k = 0; k < nth; k++)
		pthread_join(th[k], NULL);
	*out = p;
	return MB_OK;
}

bool
mb_index_prep_take(struct mb_index_prep *p, const struct mb_store_version *v,
    struct mb_store_text *t)
{
	const struct mb_text_tokens	*tt[2];
	size_t				 i = p->next;

	/* The writer takes the rows in the order they were read. */
	if (i >= p->n || p->s[i].seq != v->seq)
		for (i = 0; i < p->n && p->s[i].seq != v->seq; i++)
			;
	if (i == p->n)
		return false;
	p->next = i + 1;
	t->headline = p->s[i].headline;
	t->body = p->s[i].body;
	t->language = p->s[i].lang[0] != '\0' ? p->s[i].lang : NULL;
	tt[0] = p->s[i].tok[0];
	tt[1] = p->s[i].tok[1];
	mb_text_tokens_offer(tt, 2);
	return true;
}

void
mb_index_prep_free(struct mb_index_prep *p)
{
	if (p == NULL)
		return;
	mb_text_tokens_offer(NULL, 0);
	for (size_t i = 0; i < p->n; i++) {
		free(p->s[i].env);
		free(p->s[i].headline);
		free(p->s[i].body);
		mb_text_tokens_free(p->s[i].tok[0]);
		mb_text_tokens_free(p->s[i].tok[1]);
	}
	free(p->s);
	free(p);
}
