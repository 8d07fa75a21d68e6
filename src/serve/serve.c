/* SPDX-License-Identifier: MIT */
/* The serve assembly: what starts, in which order, and the one path that stops it. */
#include "serve.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/fs.h"
#include "base/log.h"
#include "center/center.h"
#include "http/federation.h"
#include "http/server.h"
#include "http/site.h"
#include "impact/impact.h"
#include "impact/service.h"
#include "media/media.h"
#include "media/sandbox.h"
#include "mt/mt.h"
#include "serve/feed_poller.h"
#include "serve/agenda_poller.h"
#include "serve/mt_announce.h"
#include "serve/events_poller.h"
#include "serve/media_fetcher.h"
#include "sync/blob.h"
#include "sync/blob_live.h"
#include "serve/mt_signer.h"
#include "serve/notices.h"
#include "serve/privsep.h"
#include "store/store.h"
#include "sync/indexer.h"
#include "sync/puller.h"

#define MAX_POLLERS 16

/*
 * SQLite's page cache for each of serve's store connections (one per
 * request thread and per poller), unless [store] cache_mb says: 16 MiB
 * each, where the commands keep the store's 64. At 1M items a search
 * ran as fast with 16 MiB as with 64 (its pages fit), twice as slow
 * with 12 or less; serve's Rss held 187 MiB after a minute of mixed
 * reads with 64 (docs/benchmarks.md, "pages").
 */
#define SERVE_STORE_CACHE_KB	(16 * 1024)

/*
 * And SQLite's memory for all of them together, unless [store]
 * memory_mb says: a request thread alone may still fill its 16 MiB (a
 * heavy search at full speed), while two or more busy ones share 24
 * MiB instead of taking 16 each (two heavy searches at the same moment
 * get ~10 MiB each: their CPU p99 at 1M doubles, 5.5 -> 11 ms; 32
 * keeps it); the pollers hand theirs back between rounds
 * (mb_store_idle). serve's Rss under mixed reads at 1M items:
 * docs/benchmarks.md, "serve's memory at 1M items".
 */
#define SERVE_STORE_MEMORY_MB	24

struct mb_serve {
	struct mb_center_node		*node;
	struct mb_http_server		*http;
	struct mb_sync			*sync;
	struct mb_sync_indexer		*indexer;
	bool				 notices;
	struct mb_media_fetcher		*media;
	struct mb_feed_poller		*feeds;
	struct mb_poller		*feeds_poller;	/* set once, atomically */
	struct mb_events_poller		*events;
	struct mb_agenda_poller		*agenda;
	struct mb_mt_announcer		*announcer;
	struct mb_media_sandbox		*decoder;
	struct mb_mt			*mt;
	struct mb_impact		*impact;
	struct mb_impact_service	*impact_service;
	struct mb_poller		*pollers[MAX_POLLERS];
	int				 npollers;
	char				 addr_path[1200];
};

/* The exchange applied a batch: long-polls parked here may answer. */
static void
wake_long_polls(void *arg)
{
	mb_http_notify(arg);
}

static int
start_exchange(struct mb_serve *s, struct mb_diag *d)
{
	struct mb_sync_opts	o;
	int			rc;

	mb_sync_opts_default(&o);
	o.merge_as_applied = true;
	o.on_applied = wake_long_polls;
	o.on_applied_arg = s->http;
	if ((rc = mb_sync_indexer_start(s->node, &s->indexer, d)) != MB_OK)
		return rc;
	if ((rc = mb_sync_start(s->node, &o, &s->sync, d)) != MB_OK)
		return rc;
	mb_http_federation_attach(s->sync);
	return MB_OK;
}

static int
start_media(struct mb_serve *s, struct mb_diag *d)
{
	const char	*e = getenv("MB_MEDIA_FETCH_MS");
	int64_t		 period = e != NULL && atoll(e) > 0 ? atoll(e) : 1000;
	int64_t		 eager;
	int		 rc;

	e = getenv("MB_MEDIA_EAGER_BYTES");
	eager = e != NULL ? atoll(e) : MB_MEDIA_EAGER_BYTES;
	if ((rc = mb_media_fetcher_new(s->node, eager, &s->media, d)) != MB_OK)
		return rc;
	return mb_serve_add_poller(s, "media", period, mb_media_fetcher_round,
	    s->media, d);
}

/* Feed ingest: the sources that are due, polled one after another. */
static int
start_feeds(struct mb_serve *s, struct mb_diag *d)
{
	const char	*e = getenv("MB_FEEDS_POLL_MS");
	int64_t		 period = e != NULL && atoll(e) > 0 ? atoll(e) : 30000;
	int		 rc;

	if ((rc = mb_feed_poller_new(s->node, &s->feeds, d)) != MB_OK)
		return rc;
	mb_feed_poller_set_decoder(s->feeds, s->decoder);
	if ((rc = mb_serve_add_poller(s, "feeds", period,
	    mb_feed_poller_round, s->feeds, d)) != MB_OK)
		return rc;
	__atomic_store_n(&s->feeds_poller, s->pollers[s->npollers - 1],
	    __ATOMIC_RELEASE);
	return MB_OK;
}

/* An editor's "poll now" (the newsroom's sources page): a round at once. */
static void
kick_feeds(void *arg)
{
	struct mb_serve	*s = arg;
	struct mb_poller *p = __atomic_load_n(&s->feeds_poller,
	    __ATOMIC_ACQUIRE);

	if (p != NULL)
		mb_poller_kick(p);
}

/* A report was stored: the exchange's long-polls may answer. */
static void
report_saved(void *arg)
{
	struct mb_serve *s = arg;

	if (s->http != NULL)
		mb_http_notify(s->http);
}

/*
 * Readers' views are counted (impact/): the counter before the
 * listeners that count into it, its round once they listen.
 */
static int
start_impact(struct mb_serve *s, struct mb_diag *d)
{
	const struct mb_conf	*c = &s->node->conf;
	struct mb_impact_opts	 o;
	int			 rc;

	if (!c->impact_count) {
		log_info("impact: counting is off ([impact] count = off)");
		return MB_OK;
	}
	memset(&o, 0, sizeof(o));
	o.center = c->id;
	o.trusted_proxies = c->trusted_proxies;
	o.geo_db = c->impact_geo_db[0] != '\0' ? c->impact_geo_db : NULL;
	if ((rc = mb_impact_new(&o, &s->impact, d)) != MB_OK)
		return rc;
	return mb_impact_service_new(s->node, s->impact, report_saved, s,
	    &s->impact_service, d);
}

/* Events: the waitlist's offers and the mail queue (docs/events.md). */
static int
start_events(struct mb_serve *s, struct mb_diag *d)
{
	const char	*e = getenv("MB_EVENTS_POLL_MS");
	int64_t		 period = e != NULL && atoll(e) > 0 ? atoll(e) : 5000;
	int		 rc;

	if ((rc = mb_events_poller_new(s->node, &s->events, d)) != MB_OK)
		return rc;
	return mb_serve_add_poller(s, "events", period,
	    mb_events_poller_round, s->events, d);
}

/* The agenda: proposals closed at their closing date (docs/members.md). */
static int
start_agenda(struct mb_serve *s, struct mb_diag *d)
{
	const char	*e = getenv("MB_AGENDA_POLL_MS");
	int64_t		 period = e != NULL && atoll(e) > 0 ? atoll(e) : 30000;
	int		 rc;

	if ((rc = mb_agenda_poller_new(s->node, report_saved, s, &s->agenda,
	    d)) != MB_OK)
		return rc;
	return mb_serve_add_poller(s, "agenda", period,
	    mb_agenda_poller_round, s->agenda, d);
}

/*
 * The pairs this center lends, announced for HQ's registry at start and
 * then every 5 minutes (MB_MT_ANNOUNCE_MS), only when they changed.
 */
static int
start_announcer(struct mb_serve *s, struct mb_diag *d)
{
	const char	*e = getenv("MB_MT_ANNOUNCE_MS");
	int64_t		 period = e != NULL && atoll(e) > 0 ? atoll(e) : 300000;
	int		 rc;

	if ((rc = mb_mt_announcer_new(s->node, s->mt, &s->announcer, d)) !=
	    MB_OK)
		return rc;
	return mb_serve_add_poller(s, "mt-announce", period,
	    mb_mt_announcer_round, s->announcer, d);
}

/*
 * Uploads are decoded in a child of their own (media/sandbox.h),
 * started from this very program as the kernel knows it.
 */
static int
start_decoder(struct mb_serve *s, struct mb_diag *d)
{
	char	exe[PATH_MAX];

	if (!mb_fs_self_exe(exe, sizeof(exe)))
		return mb_diag_set(d, MB_ERR_IO, "serve: cannot find this "
		    "program (/proc/self/exe) to start the media sandbox");
	return mb_media_sandbox_new(exe, 0, &s->decoder, d);
}

int
mb_serve_start(const char *dir, const struct mb_serve_opts *o,
    struct mb_serve **out, struct mb_diag *d)
{
	struct mb_serve		*s;
	struct mb_http_opts	 ho;
	char			 line[200];
	int			 rc;

	if ((s = calloc(1, sizeof(*s))) == NULL) {
		mb_key_free(o != NULL ? o->key : NULL);
		return mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
	}
	if ((rc = o != NULL && o->key != NULL ?
	    mb_center_open_with(dir, o->key, &s->node, d) :
	    mb_center_open(dir, &s->node, d)) != MB_OK)
		goto fail;
	if (s->node->conf.store_cache_kb == 0)
		s->node->conf.store_cache_kb = SERVE_STORE_CACHE_KB;
	if (s->node->conf.store_memory_mb == 0)
		s->node->conf.store_memory_mb = SERVE_STORE_MEMORY_MB;
	mb_store_memory_limit((int64_t)s->node->conf.store_memory_mb *
	    1024 * 1024);
	mb_http_opts_from_conf(&s->node->conf, &ho);
	if (o != NULL && o->listen != NULL)
		ho.listen = o->listen;
	/* 0. The listener (a port below 1024 needs root), then root goes. */
	if ((rc = mb_http_bind(ho.listen, &ho.listen_fd, d)) != MB_OK)
		goto fail;
	if ((rc = mb_privsep_drop_root(&s->node->conf, d)) != MB_OK) {
		close(ho.listen_fd);
		goto fail;
	}
	/* 1. The site's templates and catalogs: a broken one stops start-up. */
	if ((rc = mb_site_init(d)) == MB_ERR_NOTFOUND) {
		log_warn("serve: the site is off: %s", d != NULL ? d->msg : "");
		mb_diag_clear(d);
	} else if (rc != MB_OK) {
		close(ho.listen_fd);
		goto fail;
	}
	/* 2. The media sandbox, then the listeners, then the address. */
	if ((rc = start_decoder(s, d)) != MB_OK) {
		close(ho.listen_fd);
		goto fail;
	}
	ho.media = s->decoder;
	/* The translation engines (DIR/engines.conf; none is fine). */
	if ((rc = mb_mt_open(dir, &s->mt, d)) != MB_OK) {
		close(ho.listen_fd);
		goto fail;
	}
	/* Other centers' shared engines are asked as this center. */
	mb_mt_set_signer(s->mt, mb_serve_mt_sign, s->node);
	ho.mt = s->mt;
	if ((rc = start_impact(s, d)) != MB_OK)
		goto fail;
	ho.impact = s->impact;
	ho.impact_service = s->impact_service;
	ho.feeds_kick = kick_feeds;
	ho.feeds_kick_arg = s;
	if ((rc = mb_http_start(s->node, &ho, &s->http, d)) != MB_OK)
		goto fail;
	snprintf(line, sizeof(line), "%s\n", mb_http_address(s->http));
	if ((rc = mb_fs_join(s->addr_path, sizeof(s->addr_path), dir,
	    "serve.addr")) != MB_OK ||
	    (rc = mb_fs_write_atomic(s->addr_path, line, strlen(line), 0644,
	    d)) != MB_OK) {
		s->addr_path[0] = '\0';
		goto fail;
	}
	/* 3. The exchange: pullers (waking long-polls) and the indexer. */
	if ((rc = start_exchange(s, d)) != MB_OK)
		goto fail;
	/* 4. Several processes on one database: their commits wake ours. */
	if ((rc = mb_serve_notices_start(s->node, s->http, d)) != MB_OK) {
		log_warn("serve: no notices from other processes: %s",
		    mb_diag_msg(d, rc));
		mb_diag_clear(d);
	} else {
		s->notices = true;
	}
	/* 5. Media: fetching the blobs that arriving items refer to. */
	if ((rc = start_media(s, d)) != MB_OK) {
		log_warn("serve: media fetching is off: %s", mb_diag_msg(d, rc));
		mb_diag_clear(d);
	}
	/* 6. Feed ingest. */
	if ((rc = start_feeds(s, d)) != MB_OK) {
		log_warn("serve: feed ingest is off: %s", mb_diag_msg(d, rc));
		mb_diag_clear(d);
	}
	/* 7. Impact: the counters flushed, reports made and applied. */
	if (s->impact_service != NULL && (rc = mb_serve_add_poller(s, "impact",
	    (int64_t)s->node->conf.impact_flush_s * 1000,
	    mb_impact_service_round, s->impact_service, d)) != MB_OK)
		goto fail;
	/* 8. Events: the waitlist's offers and the mail queue. */
	if ((rc = start_events(s, d)) != MB_OK) {
		log_warn("serve: events' mail and waitlist are off: %s",
		    mb_diag_msg(d, rc));
		mb_diag_clear(d);
	}
	/* 9. The agenda: proposals closed at their closing date. */
	if ((rc = start_agenda(s, d)) != MB_OK) {
		log_warn("serve: the agenda's closing is off: %s",
		    mb_diag_msg(d, rc));
		mb_diag_clear(d);
	}
	/* 10. The pairs this center lends, for the registry. */
	if ((rc = start_announcer(s, d)) != MB_OK) {
		log_warn("serve: announcing shared engines is off: %s",
		    mb_diag_msg(d, rc));
		mb_diag_clear(d);
	}
	*out = s;
	return MB_OK;
fail:
	mb_serve_stop(s, 0);
	return rc;
}

const char *
mb_serve_address(const struct mb_serve *s)
{
	return mb_http_address(s->http);
}

int
mb_serve_add_poller(struct mb_serve *s, const char *name, int64_t period_ms,
    mb_poller_round fn, void *arg, struct mb_diag *d)
{
	int rc;

	if (s->npollers == MAX_POLLERS)
		return mb_diag_set(d, MB_ERR_TOOBIG, "serve: more than %d "
		    "pollers", MAX_POLLERS);
	if ((rc = mb_poller_start(name, period_ms, fn, arg,
	    &s->pollers[s->npollers], d)) != MB_OK)
		return rc;
	s->npollers++;
	return MB_OK;
}

void
mb_serve_stop(struct mb_serve *s, int64_t grace_ms)
{
	if (s == NULL)
		return;
	/*
	 * A blob coming over a slow link may take hours: the media
	 * fetcher's round would hold the poller's stop until it came.
	 */
	mb_sync_blob_stop_all();
	/* The reverse order of mb_serve_start. */
	while (s->npollers > 0)
		mb_poller_stop(s->pollers[--s->npollers]);
	mb_media_fetcher_free(s->media);
	mb_feed_poller_free(s->feeds);
	mb_events_poller_free(s->events);
	mb_agenda_poller_free(s->agenda);
	mb_mt_announcer_free(s->announcer);
	if (s->notices)
		mb_serve_notices_stop();
	mb_http_federation_attach(NULL);
	/* Readers following a video's fetch are cut; its thread ends. */
	mb_blob_live_shutdown();
	mb_sync_blob_start_all();
	mb_sync_stop(s->sync);
	mb_sync_indexer_stop(s->indexer);
	if (s->http != NULL)
		mb_http_stop(s->http, grace_ms);
	mb_media_sandbox_free(s->decoder);
	mb_mt_close(s->mt);
	/* After the listeners: the last minute's counts are flushed. */
	mb_impact_service_free(s->impact_service);
	mb_impact_free(s->impact);
	if (s->addr_path[0] != '\0')
		unlink(s->addr_path);
	mb_center_close(s->node);
	free(s);
}
