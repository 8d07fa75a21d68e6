/* SPDX-License-Identifier: MIT */
/* Indexing queued versions for search in a thread of their own. */
#include "indexer.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include <unistd.h>

#include "base/log.h"
#include "base/timeutil.h"
#include "center/ingest.h"
#include "item/envelope.h"
#include "sync/apply.h"
#include "sync/index_prep.h"
#include "text/lang.h"

struct mb_sync_indexer {
	const struct mb_center_node	*node;
	pthread_t			 thread;
	atomic_int			 stop;
};

/* The strings handed to the store live until the next row. */
struct text_ctx {
	char	*headline;
	char	*body;
	char	 lang[MB_STORE_LANG_MAX];
};

/*
 * The text the store's view of the index derives from the same envelope
 * (mb_ingest_index_text, center.c's mb_store_opts.index_text): the
 * index and the text it shows must agree.
 */
static int
text_of(const struct mb_store_version *v, struct mb_store_text *t, void *arg)
{
	struct text_ctx *c = arg;

	free(c->headline);
	free(c->body);
	c->headline = c->body = NULL;
	/* A stored envelope was checked when it came in. */
	if (mb_ingest_index_text(v->envelope, v->envelope_len, &c->headline,
	    &c->body, c->lang) != MB_OK)
		return MB_OK;
	t->headline = c->headline;
	t->body = c->body;
	if (c->lang[0] != '\0')
		t->language = c->lang;
	return MB_OK;
}

/*
 * How many queued versions one transaction indexes. Every commit makes
 * FTS5 write its pending terms as a new segment that later inserts must
 * merge (import's commit rhythm, src/cli/cmd_import.c), so bigger
 * transactions index faster: 32 at a time made catching up after a bulk
 * pull three times slower than import. But the write lock is held
 * meanwhile and a newsroom save waits behind it, so the chunk doubles or
 * halves until a transaction takes about its target.
 */
#define CHUNK_FIRST	32
#define CHUNK_MIN	8
#define CHUNK_MAX	8000
#define SERVE_TARGET_MS	150	/* beside the server: saves wait at most this */

struct pace {
	int64_t	chunk;
	int64_t	target_ms;
};

/* A row's text: prepared on every core (index_prep.c), or derived here. */
struct prep_ctx {
	struct mb_index_prep	*prep;
	struct text_ctx		 c;
};

static int
text_prepared(const struct mb_store_version *v, struct mb_store_text *t,
    void *arg)
{
	struct prep_ctx *x = arg;

	if (x->prep != NULL && mb_index_prep_take(x->prep, v, t))
		return MB_OK;
	return text_of(v, t, &x->c);
}

/*
 * Beside the server: at most this many rows of a chunk prepared ahead
 * on every core (an item's tokens take ~20 KB; serve's memory is
 * budgeted), outside the write lock; the rest derived by the writer.
 */
#define SERVE_PREP_MAX	500

static int
index_some(struct mb_store *st, struct pace *p, int64_t *done,
    struct mb_diag *d)
{
	struct prep_ctx	x;
	int64_t		t0, ms;
	int		rc;

	memset(&x, 0, sizeof(x));
	if (mb_index_prep_run(st, p->chunk < SERVE_PREP_MAX ? p->chunk :
	    SERVE_PREP_MAX, &x.prep, NULL) != MB_OK)
		x.prep = NULL;	/* the writer derives every row's text */
	t0 = mb_time_mono_ms();
	rc = mb_store_index_next(st, p->chunk, text_prepared, &x, done, d);
	mb_index_prep_free(x.prep);
	free(x.c.headline);
	free(x.c.body);
	ms = mb_time_mono_ms() - t0;
	if (rc == MB_OK && *done == p->chunk) {
		if (ms < p->target_ms / 2 && p->chunk < CHUNK_MAX)
			p->chunk *= 2;
		else if (ms > p->target_ms * 2 && p->chunk > CHUNK_MIN)
			p->chunk /= 2;
	}
	return rc;
}

/*
 * Catching up alone (nobody waits on the write lock): PREP_CHUNK rows a
 * transaction, their text and tokens prepared on every core first, so
 * the writer only inserts (issue 23; an item's tokens take ~20 KB).
 */
#define PREP_CHUNK	2000

int
mb_sync_index_all(struct mb_store *st, struct mb_diag *d)
{
	struct prep_ctx	x;
	int64_t		done;
	int		rc;

	do {
		memset(&x, 0, sizeof(x));
		if ((rc = mb_index_prep_run(st, PREP_CHUNK, &x.prep, d)) !=
		    MB_OK)
			return rc;
		rc = mb_store_index_next(st, PREP_CHUNK, text_prepared, &x,
		    &done, d);
		mb_index_prep_free(x.prep);
		free(x.c.headline);
		free(x.c.body);
		if (rc != MB_OK)
			return rc;
	} while (done > 0);
	return MB_OK;
}

/*
 * Merging the index's segments when the center is idle (commits only
 * write theirs: src/store/sqlite.c, tune_fts). A step writes about
 * TIDY_PAGES leaf pages (4 KB each, some milliseconds) in a transaction
 * of its own, so a newsroom save waits at most one step; steps follow
 * one another while there is more, and a store found tidy is looked at
 * again after TIDY_EVERY_MS (a save or a pulled batch adds a segment).
 * Never while the exchange applies or catches up: it goes first, and
 * FTS5's own bound ('crisismerge') keeps a long catch-up's segments few.
 */
#define TIDY_PAGES	256
#define TIDY_EVERY_MS	2000

struct tidy {
	int64_t	next_ms;	/* when to look again; 0: now */
	int64_t	steps;		/* of this run, for the log */
	int64_t	t0_ms;
};

/* One step, if it is time; true while there is more to do at once. */
static bool
tidy_step(struct mb_store *st, struct tidy *t)
{
	struct mb_store_stats	s;
	struct mb_diag		d;
	int64_t			now = mb_time_mono_ms();
	bool			more = false;
	int			rc;

	if (now < t->next_ms || mb_sync_defer(now))
		return false;
	if (t->steps == 0)
		t->t0_ms = now;
	if ((rc = mb_store_index_tidy(st, TIDY_PAGES, &more, &d)) != MB_OK) {
		if (rc != MB_ERR_AGAIN)
			log_warn("index: merging segments: %s",
			    mb_diag_msg(&d, rc));
		more = false;
	}
	t->steps++;
	if (more)
		return true;
	if (t->steps > 1 && mb_store_stats(st, &s, &d) == MB_OK)
		log_info("index: merged steps=%lld segments=%lld ms=%lld",
		    (long long)t->steps, (long long)s.index_segments,
		    (long long)(mb_time_mono_ms() - t->t0_ms));
	t->steps = 0;
	t->next_ms = mb_time_mono_ms() + TIDY_EVERY_MS;
	return false;
}

static void *
indexer_main(void *arg)
{
	struct mb_sync_indexer	*ix = arg;
	struct mb_store		*st = NULL;
	struct mb_diag		 d;
	struct pace		 p = { CHUNK_FIRST, SERVE_TARGET_MS };
	struct tidy		 t = { 0, 0, 0 };
	int64_t			 done, last_ms = 0;
	bool			 warm = false;
	int			 rc;

	/*
	 * Below the exchange and the server (Linux nices threads one by
	 * one): pulled batches are applied first, indexed right after.
	 */
	setpriority(PRIO_PROCESS, (id_t)gettid(), 10);
	pthread_setname_np(pthread_self(), "mb-index");
	if ((rc = mb_center_store(ix->node, &st, &d)) != MB_OK) {
		log_error("index: store: %s", mb_diag_msg(&d, rc));
		return NULL;
	}
	while (!atomic_load(&ix->stop)) {
		struct timespec ts = { 0, 100 * 1000000L };
		struct timespec yield = { 0, 5 * 1000000L };

		/* The exchange goes first (for a while: mb_sync_defer). */
		if (mb_sync_defer(last_ms)) {
			nanosleep(&yield, NULL);
			continue;
		}
		last_ms = mb_time_mono_ms();
		if ((rc = index_some(st, &p, &done, &d)) != MB_OK) {
			if (rc != MB_ERR_AGAIN)
				log_warn("index: %s", mb_diag_msg(&d, rc));
			done = 0;
		}
		/*
		 * Caught up: the segments are merged, then the pages the
		 * batches read go back until the next item comes (serve's
		 * memory; mb_store_idle).
		 */
		if (done > 0)
			warm = true;
		else if (tidy_step(st, &t)) {
			warm = true;
			continue;
		} else if (warm) {
			mb_store_idle(st);
			warm = false;
		}
		if (done == 0)
			nanosleep(&ts, NULL);
	}
	mb_store_close(st);
	return NULL;
}

int
mb_sync_indexer_start(const struct mb_center_node *n,
    struct mb_sync_indexer **out, struct mb_diag *d)
{
	struct mb_sync_indexer *ix;

	if ((ix = calloc(1, sizeof(*ix))) == NULL)
		return MB_ERR_NOMEM;
	ix->node = n;
	if (pthread_create(&ix->thread, NULL, indexer_main, ix) != 0) {
		free(ix);
		return mb_diag_set(d, MB_ERR_NOMEM,
		    "index: cannot start a thread");
	}
	*out = ix;
	return MB_OK;
}

void
mb_sync_indexer_stop(struct mb_sync_indexer *ix)
{
	if (ix == NULL)
		return;
	atomic_store(&ix->stop, 1);
	pthread_join(ix->thread, NULL);
	free(ix);
}
