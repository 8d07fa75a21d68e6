/* SPDX-License-Identifier: MIT */
/* One pull of a peer's log: fetch, verify in parallel, apply, with batches that shrink and grow and a prefetch of the next. */
#include "puller_int.h"

/* Whether w's peer has more waiting than the batch in hand. */
void
pl_set_behind(struct worker *w, bool behind)
{
	if (w->behind == behind)
		return;
	w->behind = behind;
	mb_sync_backlog_add(behind ? 1 : -1);
}

/*
 * Sleeps up to ms, waking early only when the exchange stops or (gone
 * not NULL) this worker's peer is removed. Other broadcasts on the
 * condition (the reconciler's, every rescan) do not cut a backoff short:
 * a peer that is down is asked as often as its backoff says, not every
 * second.
 */
void
pl_nap(struct mb_sync *s, const atomic_int *gone, int64_t ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (ms % 1000) * 1000000L;
	ts.tv_sec += ts.tv_nsec / 1000000000L;
	ts.tv_nsec %= 1000000000L;
	pthread_mutex_lock(&s->lock);
	while (!atomic_load(&s->stop) && (gone == NULL || !atomic_load(gone)))
		if (pthread_cond_timedwait(&s->cond, &s->lock, &ts) != 0)
			break;
	pthread_mutex_unlock(&s->lock);
}

/*
 * The wire dictionary the stored registry names, fetched from base when
 * it is newer than the one here and checked against HQ's signed hash
 * (dict.h). A failure is only logged: the exchange goes on without it.
 */
static void
dict_refresh(struct client *c, struct mb_store *st, const char *base)
{
	struct mb_buf	 doc = MB_BUF_INIT;
	struct response	 r;
	struct mb_diag	 d = { "" };
	const char	*dir = c->node->conf.dir;
	char		 want[65], have[65], got[65], path[128];
	int64_t		 wv, hv = 0;

	if (mb_store_registry_get(st, NULL, &doc, NULL) != MB_OK ||
	    mb_sync_registry_dict(doc.data, doc.len, &wv, want) != MB_OK)
		goto out;
	if (mb_sync_dict_current(dir, &hv, have, NULL) == MB_OK && hv >= wv)
		goto out;
	if (!mb_sync_dict_have(dir, want)) {
		snprintf(path, sizeof(path), "/federation/v1/dicts/%s", want);
		if (pl_http_get(c, base, path, NULL, 30, true, &r, &d) !=
		    MB_OK)
			goto fail;
		if (r.status != 200) {
			pl_status_error(base, &r, &d);
			mb_buf_free(&r.body);
			goto fail;
		}
		/* Checked before it is kept: a wrong one is not written. */
		mb_sync_dict_hash(r.body.data, r.body.len, got);
		if (strcmp(got, want) != 0) {
			mb_buf_free(&r.body);
			mb_diag_set(&d, MB_ERR_SIG, "dictionary from %s hashes "
			    "to %.12s, not the registry's %.12s", base, got,
			    want);
			goto fail;
		}
		if (mb_sync_dict_put(dir, r.body.data, r.body.len, got, &d) !=
		    MB_OK) {
			mb_buf_free(&r.body);
			goto fail;
		}
		mb_buf_free(&r.body);
	}
	if (mb_sync_dict_set_current(dir, wv, want, &d) != MB_OK)
		goto fail;
	log_info("sync: wire dictionary version=%lld sha256=%.12s in use",
	    (long long)wv, want);
	goto out;
fail:
	log_warn("sync: wire dictionary %.12s: %s (plain zstd meanwhile)",
	    want, d.msg);
out:
	mb_buf_free(&doc);
}

/* Fetches the registry from base and applies it when newer. */
int
pl_fetch_registry(struct client *c, struct mb_store *st, const char *base,
    bool *applied, struct mb_diag *d)
{
	struct response	r;
	int		rc;

	*applied = false;
	if ((rc = pl_http_get(c, base, "/federation/v1/registry", NULL, 10, true,
	    &r, d)) != MB_OK)
		return rc;
	if (r.status != 200)
		rc = pl_status_error(base, &r, d);
	else
		rc = mb_sync_registry_apply(st, c->node, r.body.data,
		    r.body.len, applied, d);
	mb_buf_free(&r.body);
	if (rc == MB_OK && strcmp(c->node->conf.role, "hq") != 0)
		dict_refresh(c, st, base);
	return rc;
}

/*
 * Entries per claim: small enough that the verifiers of a batch finish
 * within a few hundred microseconds of each other whatever their cores
 * are doing meanwhile (the writer, the other puller, HQ serving on the
 * same machine), large enough that the atomic is not what they share.
 * A fixed split into one chunk per thread left one core idle while the
 * slowest chunk finished.
 */
#define VERIFY_CHUNK	16

/* One batch's verification, claimed a chunk at a time. */
struct verify_work {
	struct mb_sync_batch		*b;
	const struct mb_sync_keyring	*kr;
	size_t				 n;
	atomic_size_t			 next;	/* the first entry unclaimed */
};

/* Claims chunks of vw's batch until none is left. */
static void
verify_work_run(struct verify_work *vw)
{
	size_t	from, to;

	while ((from = atomic_fetch_add(&vw->next, VERIFY_CHUNK)) < vw->n) {
		to = from + VERIFY_CHUNK < vw->n ? from + VERIFY_CHUNK : vw->n;
		mb_sync_batch_verify(vw->b, vw->kr, from, to);
	}
}

static void *
verify_thread(void *arg)
{
	pthread_setname_np(pthread_self(), "mb-verify");
	verify_work_run(arg);
	return NULL;
}

/* Verifies batch b with kr on up to threads cores. */
static void
verify_parallel(struct mb_sync_batch *b, const struct mb_sync_keyring *kr,
    int threads)
{
	struct verify_work	 vw = { b, kr, mb_sync_batch_count(b), 0 };
	pthread_t		 tids[16];
	int			 t = threads, started = 0;

	if (t > 16)
		t = 16;
	if (vw.n < 2 * VERIFY_CHUNK)
		t = 1;
	for (int i = 1; i < t; i++)
		if (pthread_create(&tids[started], NULL, verify_thread, &vw) ==
		    0)
			started++;
	verify_work_run(&vw);
	for (int i = 0; i < started; i++)
		pthread_join(tids[i], NULL);
}

/*
 * The batch size follows the link: a transfer that fails (a link that
 * drops every connection after so many bytes, a timeout on a slow one)
 * makes the next ones a quarter as large, down to one version, so that
 * a batch can get through; eight in a row that come double it again, up
 * to the configured size. Batches are applied whole or not at all, so a
 * smaller one is progress a larger one would lose.
 */
int
pl_batch_limit(struct pull_state *ps, const struct mb_sync_opts *o)
{
	if (ps->limit <= 0 || ps->limit > o->batch)
		ps->limit = o->batch;
	return ps->limit;
}

/*
 * How many versions to ask for now: a catch-up starts with a small batch
 * and doubles it with each next one (next: asked for while the last is
 * applied), up to pl_batch_limit's. The writer waits for the first batch
 * of a run to be fetched and verified, and the verifying cores for the
 * writer's first commit: with a full batch first, that was ~0.4 s of a
 * 20,000-item `sync --once` with one core idle (docs/benchmarks.md,
 * "The pull's batches").
 */
int
pl_batch_ask(struct pull_state *ps, const struct mb_sync_opts *o, bool next)
{
	int	limit = pl_batch_limit(ps, o), ask = BATCH_FIRST;

	if (next && ps->run > 0)
		ask = ps->run > limit / 2 ? limit : 2 * ps->run;
	if (ask > limit)
		ask = limit;
	ps->run = ask;
	return ask;
}

void
pl_batch_fit(struct pull_state *ps, const struct mb_sync_opts *o, int rc,
    bool cut)
{
	pl_batch_limit(ps, o);
	if (rc != MB_OK) {
		/* A peer down or refusing says nothing of the size. */
		ps->streak = 0;
		if (cut && ps->limit > 1)
			ps->limit = ps->limit / 4 > 1 ? ps->limit / 4 : 1;
	} else if (++ps->streak >= 8) {
		ps->streak = 0;
		ps->limit = ps->limit * 2 < o->batch ? ps->limit * 2 : o->batch;
	}
}

/* GET the peer's log after after. */
int
pl_fetch_log(struct client *c, const char *base, int64_t after, int limit,
    int wait_s, struct response *r, struct mb_diag *d)
{
	char	query[128];
	int	rc;

	snprintf(query, sizeof(query), "after=%lld&limit=%d&wait=%d",
	    (long long)after, limit, wait_s > 0 ? wait_s : 0);
	if ((rc = pl_http_get(c, base, "/federation/v1/log", query,
	    wait_s > 0 ? wait_s : 0, true, r, d)) != MB_OK)
		return rc;
	if (r->status != 200) {
		rc = pl_status_error(base, r, d);
		mb_buf_free(&r->body);
		return rc;
	}
	/*
	 * A link that drops mid-headers can leave libcurl with a "complete"
	 * answer that is no such thing (no length yet: read to the close).
	 * Trusting its Mb-Log-Next would move the cursor past versions never
	 * received: every Mb-Log-* header, and (in pl_apply_response) as many
	 * lines as Mb-Log-Count, or it is a transfer cut short. (A length is
	 * not required: a proxy may re-chunk a whole answer.)
	 */
	/*
	 * A log answer is NDJSON: a captive portal's or a proxy's page
	 * (text/html, 200) is not a batch, whatever its lines look like.
	 */
	if (strncasecmp(r->content_type, "application/x-ndjson", 20) != 0 ||
	    (r->content_type[20] != '\0' && r->content_type[20] != ';' &&
	    r->content_type[20] != ' ')) {
		rc = mb_diag_set(d, MB_ERR_NET, "%s: log answer of type "
		    "\"%.60s\", not application/x-ndjson", base,
		    r->content_type[0] != '\0' ? r->content_type : "none");
		mb_buf_free(&r->body);
		return rc;
	}
	if (r->log_next < 0 || r->log_last < 0 || r->log_count < 0) {
		mb_buf_free(&r->body);
		c->cut = true;
		return mb_diag_set(d, MB_ERR_NET, "%s: incomplete log answer "
		    "(Mb-Log-* headers missing)", base);
	}
	log_debug("sync: fetched %s after=%lld limit=%d bytes=%zu wire=%lld "
	    "next=%lld last=%lld encoding=%s dict=%.12s", base,
	    (long long)after, limit, r->body.len, (long long)r->wire_bytes,
	    (long long)r->log_next, (long long)r->log_last,
	    r->encoding[0] ? r->encoding : "none", r->dict[0] ? r->dict : "-");
	return MB_OK;
}

/*
 * Makes ps->kr fit for a batch from base: fetches the registry first when
 * the peer says it has a newer one, then takes a new snapshot when the
 * store's registry is not the one ps->kr was read at (fetched just now,
 * or changed here: a revoke on HQ).
 */
int
pl_keyring_refresh(struct client *c, struct mb_store *st, const char *base,
    int64_t peer_registry, struct pull_state *ps, struct mb_diag *d)
{
	int64_t	have = mb_sync_registry_version(st);
	bool	applied;
	int	rc;

	if (peer_registry > have) {
		if ((rc = pl_fetch_registry(c, st, base, &applied, d)) != MB_OK) {
			mb_diag_prefix(d, "registry");
			return rc;
		}
		have = mb_sync_registry_version(st);
	}
	if (ps->kr != NULL && mb_sync_keyring_version(ps->kr) != have) {
		mb_sync_keyring_free(ps->kr);
		ps->kr = NULL;
	}
	if (ps->kr == NULL)
		return mb_sync_keyring_load(st, &ps->kr, d);
	return MB_OK;
}

/*
 * Serve's pullers merge the index as they go (mb_sync_opts): a page for
 * each item applied, 256 a transaction, about what FTS5's automerge
 * spent inside the commit (the leaf pages a commit wrote, ~120 for 1,000
 * items, times the index's levels), so that a long catch-up, which keeps
 * the indexer from tidying, never piles a level up to the crisis bound:
 * a quarter of that left three 2.6-2.8 s commits in a 300,000-item
 * catch-up, with a newsroom save waiting behind each (docs/benchmarks.md,
 * "Merges when idle"). Best effort: what is left, the idle indexer
 * merges.
 */
static void
merge_as_applied(struct mb_store *st, int64_t applied)
{
	struct mb_diag	d;
	int		rc;

	if ((rc = mb_store_index_keep_up(st, applied, &d)) != MB_OK)
		log_warn("sync: merging the index: %s", mb_diag_msg(&d, rc));
}

/*
 * Applies one fetched log response r (freed here): refreshes the
 * registry when the peer has a newer one, verifies on every core and
 * applies in one transaction. ahead (may be NULL; taken over) is r's
 * batch already verified in the fetching thread with the keyring
 * ahead_kr: used as it is when that is still the keyring at hand, else
 * verified again. *cursor tells where the cursor went (r->log_next
 * unless the batch stopped early).
 */
int
pl_apply_response(struct client *c, struct mb_store *st,
    const struct mb_sync_opts *o, const char *center, const char *base,
    struct response *r, struct mb_sync_batch *ahead,
    const struct mb_sync_keyring *ahead_kr, struct pull_state *ps,
    int64_t *cursor, struct mb_diag *d)
{
	struct mb_sync_batch		*b = ahead;
	struct mb_sync_apply_result	 res;
	const char			*how = "ahead";
	int64_t				 t0, t1;
	bool				 applied;
	int				 rc;

	ps->caught_up = false;
	*cursor = -1;
	ps->wire += r->wire_bytes;
	ps->raw += (int64_t)r->body.len;
	if ((rc = pl_keyring_refresh(c, st, base, r->registry_version, ps,
	    d)) != MB_OK)
		goto out;
	t0 = pl_mono_us();
	if (b == NULL || ahead_kr != ps->kr) {
		if (b != NULL)
			mb_sync_batch_unverify(b);
		else if ((rc = mb_sync_batch_parse(r->body.data != NULL ?
		    r->body.data : "", r->body.len, &b, d)) != MB_OK)
			goto out;
		verify_parallel(b, ps->kr, o->threads);
		how = ahead != NULL ? "again" : "here";
	}
	if (r->log_count >= 0 && (int64_t)mb_sync_batch_count(b) !=
	    r->log_count) {
		c->cut = true;
		rc = mb_diag_set(d, MB_ERR_NET, "%s: log answer cut short: "
		    "%zu of %lld lines", base, mb_sync_batch_count(b),
		    (long long)r->log_count);
		goto out;
	}
	t1 = pl_mono_us();
	if ((rc = mb_sync_batch_apply(st, b, center, r->log_next, &res, d)) !=
	    MB_OK)
		goto out;
	/* verified=again: a batch verified ahead with a keyring since replaced. */
	log_debug("sync: batch peer=%s n=%zu verify_us=%lld apply_us=%lld "
	    "verified=%s", center, mb_sync_batch_count(b),
	    (long long)(t1 - t0), (long long)(pl_mono_us() - t1), how);
	if (o->merge_as_applied && res.applied > 0)
		merge_as_applied(st, res.applied);
	*cursor = res.cursor;
	ps->applied += res.applied;
	ps->refused += res.refused;
	ps->dups += res.duplicates;
	if (res.applied > 0 && o->on_applied != NULL)
		o->on_applied(o->on_applied_arg);
	if (res.applied > 0 || res.refused > 0)
		log_info("sync: pulled peer=%s applied=%lld dup=%lld "
		    "refused=%lld cursor=%lld", center, (long long)res.applied,
		    (long long)res.duplicates, (long long)res.refused,
		    (long long)res.cursor);
	if (res.unknown_origin[0] != '\0') {
		/* Our registry is behind: ask this peer for a newer one. */
		mb_sync_keyring_free(ps->kr);
		ps->kr = NULL;
		if (pl_fetch_registry(c, st, base, &applied, NULL) != MB_OK ||
		    !applied)
			rc = mb_diag_set(d, MB_ERR_AGAIN,
			    "origin %s is not in the registry yet",
			    res.unknown_origin);
		goto out;
	}
	ps->caught_up = r->log_last >= 0 ? res.cursor >= r->log_last :
	    mb_sync_batch_count(b) == 0;
out:
	mb_sync_batch_free(b);
	mb_buf_free(&r->body);
	return rc;
}

/*
 * One round with peer center at base (pp->c[pp->cur] is the connection
 * that fetches it): the batch prefetched during the last round, else a
 * GET of the log after the peer's cursor; while it is applied, the next
 * one is fetched and verified on the other connection when the peer
 * says more is waiting, so that the writer never waits for the network
 * nor for signatures (sync --once and the serving puller alike). w (may
 * be NULL) is told whether the peer is ahead.
 */
int
pl_pull_round(struct pull_pipe *pp, struct mb_store *st,
    const struct mb_sync_opts *o, const char *center, const char *base,
    int wait_s, struct pull_state *ps, struct worker *w, struct mb_diag *d)
{
	struct mb_peer		 peer;
	struct response		 r;
	struct mb_sync_batch	*ahead = NULL;
	struct mb_sync_keyring	*ahead_kr = NULL;
	int64_t			 cursor, before = -1;
	int			 rc;

	ps->caught_up = false;
	ps->moved = false;
	if (pp->pf.running) {
		int64_t	t = pl_mono_us();

		before = pp->pf.after;

		rc = pl_prefetch_join(&pp->pf, &r, &ahead, &ahead_kr, d);
		pp->cur ^= 1;
		/*
		 * Where the pipeline stalls: the writer waiting for the
		 * prefetch (wait_us), or the prefetch done before the writer
		 * came for it (idle_us).
		 */
		log_debug("sync: prefetch after=%lld fetch_us=%lld "
		    "verify_us=%lld wait_us=%lld idle_us=%lld",
		    (long long)pp->pf.after,
		    (long long)(pp->pf.t_fetched - pp->pf.t_start),
		    (long long)(pp->pf.t_done - pp->pf.t_fetched),
		    (long long)(pl_mono_us() - t),
		    (long long)(pp->pf.t_done > t ? 0 : t - pp->pf.t_done));
	} else if ((rc = mb_store_peer_get(st, center, &peer, d)) == MB_OK) {
		before = peer.cursor;
		rc = pl_fetch_log(&pp->c[pp->cur], base, peer.cursor,
		    pl_batch_ask(ps, o, false), wait_s, &r, d);
	}
	/*
	 * The keyring before the prefetch starts, so that the next batch is
	 * verified ahead with the one this answer names: on a branch's first
	 * pull (no keyring yet, or the answer's Mb-Registry-Version newer
	 * than the store's), refreshing it inside pl_apply_response, after
	 * the prefetch took the old one, had every prefetched batch of that
	 * round verified twice. pl_apply_response still checks it again
	 * before applying (a revoke here meanwhile).
	 */
	if (rc == MB_OK && (rc = pl_keyring_refresh(&pp->c[pp->cur], st, base,
	    r.registry_version, ps, d)) != MB_OK) {
		ps->wire += r.wire_bytes;
		ps->raw += (int64_t)r.body.len;
		mb_sync_batch_free(ahead);
		mb_buf_free(&r.body);
	}
	if (rc == MB_OK) {
		/* More waiting at the peer: fetch and verify it meanwhile. */
		if (r.log_last > r.log_next)
			pl_prefetch_start(&pp->pf, &pp->c[pp->cur ^ 1], o, base,
			    r.log_next, pl_batch_ask(ps, o, true), ps->kr);
		else
			ps->run = 0;	/* caught up: the next run starts small */
		if (w != NULL)
			pl_set_behind(w, r.log_last > r.log_next);
		rc = pl_apply_response(&pp->c[pp->cur], st, o, center, base,
		    &r, ahead, ahead_kr, ps, &cursor, d);
		ps->moved = rc == MB_OK && cursor > before;
		/* The prefetch starts where this batch should have ended. */
		if (pp->pf.running && (rc != MB_OK || cursor != pp->pf.after)) {
			pl_prefetch_drop(&pp->pf);
			pp->cur ^= 1;
		}
	}
	mb_sync_keyring_free(ahead_kr);
	/* c[cur] fetched this round's batch. */
	pl_batch_fit(ps, o, rc, pp->c[pp->cur].cut);
	return rc;
}

int
pl_pipe_init(struct pull_pipe *pp, const struct mb_center_node *n,
    atomic_int *stop, atomic_int *gone)
{
	memset(pp, 0, sizeof(*pp));
	if (pl_client_init(&pp->c[0], n, stop, gone) != MB_OK ||
	    pl_client_init(&pp->c[1], n, stop, gone) != MB_OK) {
		pl_pipe_free(pp);
		return MB_ERR_NOMEM;
	}
	return MB_OK;
}

void
pl_pipe_set_rate(struct pull_pipe *pp, const char *base, int64_t max_rate)
{
	struct mb_httpc_line *line = NULL;

	if (pp->line != NULL && strcmp(pp->line_base, base) != 0) {
		/* Another link: nothing may still book on the old line. */
		pl_prefetch_drop(&pp->pf);
		pp->c[0].line = pp->c[1].line = NULL;
		mb_sync_link_line_give(pp->line);
		pp->line = NULL;
		free(pp->line_base);
		pp->line_base = NULL;
	}
	if (max_rate > 0 && pp->line == NULL &&
	    (pp->line_base = strdup(base)) != NULL &&
	    (pp->line = mb_sync_link_line_take(base)) == NULL) {
		free(pp->line_base);
		pp->line_base = NULL;
	}
	if (max_rate > 0)
		line = pp->line;
	/* Written only when changed: a prefetch may be reading them. */
	for (int i = 0; i < 2; i++) {
		if (pp->c[i].max_rate != max_rate)
			pp->c[i].max_rate = max_rate;
		if (pp->c[i].line != line)
			pp->c[i].line = line;
	}
}

/* Drops a prefetch still running (its answer unwanted), then the connections. */
void
pl_pipe_free(struct pull_pipe *pp)
{
	pl_prefetch_drop(&pp->pf);
	pl_client_free(&pp->c[0]);
	pl_client_free(&pp->c[1]);
	mb_sync_link_line_give(pp->line);
	free(pp->line_base);
	pp->line = NULL;
	pp->line_base = NULL;
}

static void *
prefetch_main(void *arg)
{
	struct prefetch		*pf = arg;

	pthread_setname_np(pthread_self(), "mb-fetch");
	mb_diag_clear(&pf->d);
	pf->b = NULL;
	pf->t_start = pl_mono_us();
	pf->rc = pl_fetch_log(pf->c, pf->base, pf->after, pf->limit, 0, &pf->r,
	    &pf->d);
	pf->t_fetched = pl_mono_us();
	/*
	 * A body that does not parse is left to the applying thread. On
	 * every core, though the writer applies the batch before this one
	 * meanwhile: once the writer got faster than one verifying core
	 * (envelopes packed and topics derived there), leaving it a core of
	 * its own made sync --once slower (6.1-6.4 against 5.4 s for 20,000
	 * items on 2 cores, docs/benchmarks.md).
	 */
	if (pf->rc == MB_OK && pf->kr != NULL &&
	    mb_sync_batch_parse(pf->r.body.data != NULL ? pf->r.body.data :
	    "", pf->r.body.len, &pf->b, NULL) == MB_OK)
		verify_parallel(pf->b, pf->kr, pf->o->threads);
	pf->t_done = pl_mono_us();
	return NULL;
}

void
pl_prefetch_start(struct prefetch *pf, struct client *c,
    const struct mb_sync_opts *o, const char *base, int64_t after, int limit,
    struct mb_sync_keyring *kr)
{
	pf->c = c;
	pf->o = o;
	pf->base = base;
	pf->after = after;
	pf->limit = limit;
	pf->kr = mb_sync_keyring_ref(kr);
	pf->running = pthread_create(&pf->thread, NULL, prefetch_main, pf) ==
	    0;
	if (!pf->running) {
		mb_sync_keyring_free(pf->kr);
		pf->kr = NULL;
	}
}

/*
 * Waits for the prefetch; MB_OK with its response, its batch (NULL:
 * not verified ahead) and the keyring that verified it (a reference for
 * the caller to drop), or its error.
 */
int
pl_prefetch_join(struct prefetch *pf, struct response *r,
    struct mb_sync_batch **b, struct mb_sync_keyring **kr, struct mb_diag *d)
{
	if (!pf->running)
		return MB_ERR_NOTFOUND;
	pthread_join(pf->thread, NULL);
	pf->running = false;
	*kr = pf->kr;
	pf->kr = NULL;
	if (pf->rc != MB_OK) {
		*d = pf->d;
		*b = NULL;
		return pf->rc;
	}
	*r = pf->r;
	*b = pf->b;
	return MB_OK;
}

void
pl_prefetch_drop(struct prefetch *pf)
{
	struct response		 r;
	struct mb_sync_batch	*b;
	struct mb_sync_keyring	*kr = NULL;
	struct mb_diag		 d;

	/* Its answer is not wanted: do not wait for a slow link to give it. */
	if (pf->running)
		atomic_store(&pf->c->cancel, 1);
	if (pl_prefetch_join(pf, &r, &b, &kr, &d) == MB_OK) {
		mb_sync_batch_free(b);
		mb_buf_free(&r.body);
	}
	if (pf->c != NULL)
		atomic_store(&pf->c->cancel, 0);
	mb_sync_keyring_free(kr);
}

