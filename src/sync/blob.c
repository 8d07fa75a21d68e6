/* SPDX-License-Identifier: MIT */
/* Blob paths under the data directory and checking a blob against its hash. */
#include "blob.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "base/log.h"
#include "base/timeutil.h"
#include "sync/link.h"

int
mb_sync_blob_path(const struct mb_conf *c, const char *hash, char *out,
    size_t n)
{
	return mb_blob_path(c->dir, hash, out, n);
}

int
mb_sync_blob_check(const char *path, const char *hash, struct mb_diag *d)
{
	crypto_hash_sha256_state	st;
	unsigned char			buf[65536], h[32];
	char				hex[65];
	ssize_t				r;
	int				fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return mb_diag_set(d, errno == ENOENT ? MB_ERR_NOTFOUND :
		    MB_ERR_IO, "%s: %s", path, strerror(errno));
	crypto_hash_sha256_init(&st);
	while ((r = read(fd, buf, sizeof(buf))) != 0) {
		if (r < 0) {
			if (errno == EINTR)
				continue;
			close(fd);
			return mb_diag_set(d, MB_ERR_IO, "%s: %s", path,
			    strerror(errno));
		}
		crypto_hash_sha256_update(&st, buf, (unsigned long long)r);
	}
	close(fd);
	crypto_hash_sha256_final(&st, h);
	sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
	if (strcmp(hex, hash) != 0)
		return mb_diag_set(d, MB_ERR_CORRUPT,
		    "blob %.12s…: the content hashes to %.12s…", hash, hex);
	return MB_OK;
}

/*
 * The fetches under way and the backoff tables. The lock is held only to
 * look at them: a transfer runs outside it, so two readers of two videos
 * from one slow link are both answered as their bytes arrive. What must
 * still take turns does so through `running`: two fetches of one blob
 * (they would share its .part). Readers' fetches over one capped link
 * share its rate (the link's line, link.h: httpc books every transfer's
 * bytes on it, the puller's batches' too), so the link carries no more
 * than its cap and no reader waits for another's video. A fetch with
 * no watch is the background fetcher's, which no one waits for: it
 * does not share a capped link with readers, and when a reader's fetch
 * has to wait for it, it gives way (stopped, its .part kept, asked
 * again by the fetcher's next round), so that a reader of a video over
 * a slow link is not kept waiting for hours behind an original nobody
 * asked for. It gives way to the text too: a batch of the log coming
 * over the capped link stops it and keeps it off the link until the
 * batch is in (`texting`).
 */
static pthread_mutex_t fetch_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t fetch_turn = PTHREAD_COND_INITIALIZER;
/* mb_sync_blob_stop_all was called: the process is ending. */
static atomic_int stopping;

/* Transfers at once in this process; more askers wait their turn. */
#define FETCHES_MAX	4
/* How often a waiting asker looks at its stop flag. */
#define TURN_POLL_MS	200

/* Under fetch_lock. */
static struct {
	bool		used;
	bool		capped;
	bool		background;	/* no watch: may be asked to give way */
	atomic_int	give_way;	/* read by the transfer, outside the lock */
	bool		for_text;	/* gave way to the text, not a reader */
	char		hash[MB_BLOB_HASH_LEN + 1];
	char		base[256];
	/* Its link's line when capped (link.h), shared with the puller. */
	struct mb_httpc_line *line;
} running[FETCHES_MAX];

/*
 * Under fetch_lock: readers' fetches waiting for their turn (records on
 * their own stacks), so that the fetcher, its transfer just given way,
 * does not take the link again before the reader it gave way to.
 */
struct waiter {
	const char	*base;
	struct waiter	*next;
};
static struct waiter *waiters;

/*
 * Under fetch_lock: bases a batch of text is coming from over a capped
 * link (mb_sync_blob_text_begin), with how many such batches; the
 * background fetcher starts nothing from them meanwhile.
 */
#define TEXT_MAX	8
static struct {
	char	base[256];
	int	n;
} texting[TEXT_MAX];

static bool
text_coming(const char *base)
{
	for (int i = 0; i < TEXT_MAX; i++)
		if (texting[i].n > 0 && strcmp(texting[i].base, base) == 0)
			return true;
	return false;
}

#define BACKOFF_MIN_MS	2000
#define BACKOFF_MAX_MS	600000
#define ORIGIN_SLOTS	32
#define BLOB_SLOTS	256

/* A wait that doubles: until next_ms (mono); delay_ms 0: not failing. */
struct wait {
	int64_t	next_ms;
	int64_t	delay_ms;
};

/* Under fetch_lock. */
static struct {
	char		base[256];
	struct wait	w;
} origins[ORIGIN_SLOTS];
static struct {
	char		hash[MB_BLOB_HASH_LEN + 1];
	struct wait	w;
} blobs[BLOB_SLOTS];

static void
wait_more(struct wait *w, int64_t now)
{
	w->delay_ms = w->delay_ms == 0 ? BACKOFF_MIN_MS : w->delay_ms * 2;
	if (w->delay_ms > BACKOFF_MAX_MS)
		w->delay_ms = BACKOFF_MAX_MS;
	w->next_ms = now + w->delay_ms;
}

/* base's slot: its own, else a free one, else the one failing longest. */
static struct wait *
origin_wait(const char *base, bool take)
{
	size_t i, pick = ORIGIN_SLOTS;

	for (i = 0; i < ORIGIN_SLOTS; i++) {
		if (strcmp(origins[i].base, base) == 0)
			return &origins[i].w;
		if (pick == ORIGIN_SLOTS && origins[i].w.delay_ms == 0)
			pick = i;
	}
	if (!take)
		return NULL;
	if (pick == ORIGIN_SLOTS)
		for (pick = 0, i = 1; i < ORIGIN_SLOTS; i++)
			if (origins[i].w.next_ms < origins[pick].w.next_ms)
				pick = i;
	snprintf(origins[pick].base, sizeof(origins[pick].base), "%s", base);
	memset(&origins[pick].w, 0, sizeof(origins[pick].w));
	return &origins[pick].w;
}

/* The hash's slot (its first hex digits: it is already random). */
static size_t
blob_slot(const char *hash)
{
	size_t slot = 0;

	for (size_t i = 0; i < 4 && hash[i] != '\0'; i++)
		slot = slot * 16 + (size_t)(hash[i] <= '9' ? hash[i] - '0' :
		    hash[i] - 'a' + 10);
	return slot % BLOB_SLOTS;
}

/*
 * Under fetch_lock: the free slot hash may start in now; -1: not yet,
 * and a background fetch in the way of a reader's (reader) is asked to
 * give way.
 */
static int
turn_slot(const char *base, const char *hash, bool capped, bool reader)
{
	int	free_slot = -1;
	bool	blocked = false;

	if (!reader) {
		for (struct waiter *wt = waiters; wt != NULL; wt = wt->next)
			if (strcmp(wt->base, base) == 0)
				return -1;
		if (capped && text_coming(base))
			return -1;
	}
	for (int i = 0; i < FETCHES_MAX; i++) {
		if (!running[i].used) {
			if (free_slot < 0)
				free_slot = i;
			continue;
		}
		/* Over a capped link readers share; the fetcher does not. */
		if (strcmp(running[i].hash, hash) == 0 || (capped &&
		    running[i].capped && strcmp(running[i].base, base) == 0 &&
		    (running[i].background || !reader))) {
			blocked = true;
			if (reader && running[i].background) {
				atomic_store(&running[i].give_way, 1);
				running[i].for_text = false;
			}
		}
	}
	return blocked ? -1 : free_slot;
}

/* Under fetch_lock: waits for turn_slot; -1 when w's stop was set. */
static int
turn_wait(const char *base, const char *hash, bool capped,
    const struct mb_sync_blob_watch *w)
{
	struct waiter	me = { base, NULL }, **pp;
	struct timespec	ts;
	bool		listed = false;
	int		slot;

	while ((slot = turn_slot(base, hash, capped, w != NULL)) < 0) {
		if ((w != NULL && w->stop != NULL && atomic_load(w->stop)) ||
		    atomic_load(&stopping))
			break;
		if (w != NULL && !listed) {
			me.next = waiters;
			waiters = &me;
			listed = true;
		}
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += TURN_POLL_MS * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		(void)pthread_cond_timedwait(&fetch_turn, &fetch_lock, &ts);
	}
	for (pp = &waiters; listed && *pp != NULL; pp = &(*pp)->next)
		if (*pp == &me) {
			*pp = me.next;
			break;
		}
	if (slot < 0)
		return -1;
	running[slot].used = true;
	running[slot].capped = capped;
	running[slot].background = w == NULL;
	running[slot].line = capped ? mb_sync_link_line_take(base) : NULL;
	atomic_store(&running[slot].give_way, 0);
	snprintf(running[slot].hash, sizeof(running[slot].hash), "%s", hash);
	snprintf(running[slot].base, sizeof(running[slot].base), "%s", base);
	return slot;
}

int
mb_sync_blob_fetch_serial(void *arg, const char *base, const char *hash,
    struct mb_diag *d)
{
	return mb_sync_blob_fetch_capped(arg, base, hash, 0, NULL, NULL, d);
}

int
mb_sync_blob_fetch_capped(const struct mb_center_node *n, const char *base,
    const char *hash, int64_t max_rate, int64_t *wire,
    const struct mb_sync_blob_watch *w, struct mb_diag *d)
{
	struct mb_sync_blob_watch bg;
	struct mb_httpc_line *line;
	struct wait	*ow;
	size_t		 bs = blob_slot(hash);
	int64_t		 now;
	bool		 answered = false, progressed = false;
	int		 rc, slot;

	pthread_mutex_lock(&fetch_lock);
	if (atomic_load(&stopping)) {
		slot = -1;
		rc = mb_diag_set(d, MB_ERR_AGAIN, "shutting down");
		goto out;
	}
	/*
	 * Text coming over this capped link: the fetcher goes on to other
	 * links' blobs rather than wait here for a batch that may take
	 * minutes; its next round asks again.
	 */
	if (w == NULL && max_rate > 0 && text_coming(base)) {
		slot = -1;
		rc = mb_diag_set(d, MB_ERR_AGAIN, "blob %.12s: text first (a "
		    "batch is coming from %s)", hash, base);
		goto out;
	}
	if ((slot = turn_wait(base, hash, max_rate > 0, w)) < 0) {
		rc = mb_diag_set(d, MB_ERR_AGAIN, "blob %.12s: stopped while "
		    "waiting for its turn", hash);
		goto out;
	}
	now = mb_time_mono_ms();
	if ((ow = origin_wait(base, false)) != NULL && now < ow->next_ms) {
		rc = mb_diag_set(d, MB_ERR_AGAIN, "%s gave no answer; next "
		    "try in %lld s", base, (long long)((ow->next_ms - now +
		    999) / 1000));
		goto out;
	}
	if (strcmp(blobs[bs].hash, hash) == 0 && now < blobs[bs].w.next_ms) {
		rc = mb_diag_set(d, MB_ERR_AGAIN, "blob %.12s failed; next "
		    "try in %lld s", hash, (long long)((blobs[bs].w.next_ms -
		    now + 999) / 1000));
		goto out;
	}
	/* Held while this fetch uses it (given back at out:). */
	line = running[slot].line;
	pthread_mutex_unlock(&fetch_lock);
	if (w == NULL) {
		/* The background fetcher's: stoppable, to give way. */
		memset(&bg, 0, sizeof(bg));
		bg.expect = -1;
		bg.stop = &running[slot].give_way;
		w = &bg;
	}
	rc = mb_sync__blob_fetch(n, base, hash, max_rate, line, wire,
	    &answered, &progressed, w, d);
	pthread_mutex_lock(&fetch_lock);
	now = mb_time_mono_ms();
	if (rc != MB_OK && atomic_load(&stopping)) {
		rc = mb_diag_set(d, MB_ERR_AGAIN, "shutting down");
		goto out;
	}
	if (rc != MB_OK && atomic_load(&running[slot].give_way)) {
		/* Stopped for others: no fault of the center or the blob. */
		log_info("sync: blob %.12s paused for %s from %s; the .part is "
		    "kept", hash, running[slot].for_text ? "the text coming" :
		    "a reader's fetch", base);
		rc = mb_diag_set(d, MB_ERR_AGAIN, "blob %.12s: paused for %s",
		    hash, running[slot].for_text ? "the text coming" :
		    "a reader's fetch");
		goto out;
	}
	/* The tables may have moved meanwhile: base's slot looked up again. */
	ow = origin_wait(base, false);
	if (rc == MB_OK || answered) {
		if (ow != NULL && ow->delay_ms > 0) {
			log_info("sync: blob origin=%s answers again", base);
			memset(ow, 0, sizeof(*ow));
		}
	} else if (rc == MB_ERR_NET) {
		/* No answer at all: the center, not this blob. */
		if ((ow = origin_wait(base, true))->delay_ms == 0)
			log_warn("sync: blob origin=%s gave no answer, backing "
			    "off (said once until it answers): %s", base,
			    mb_diag_msg(d, rc));
		/* Two transfers cut by one outage double the wait once. */
		if (ow->delay_ms == 0 || now >= ow->next_ms)
			wait_more(ow, now);
		goto out;
	}
	if (rc == MB_OK) {
		if (strcmp(blobs[bs].hash, hash) == 0)
			memset(&blobs[bs], 0, sizeof(blobs[bs]));
	} else if (rc != MB_ERR_NOMEM) {
		if (strcmp(blobs[bs].hash, hash) != 0) {
			snprintf(blobs[bs].hash, sizeof(blobs[bs].hash), "%s",
			    hash);
			memset(&blobs[bs].w, 0, sizeof(blobs[bs].w));
		}
		/* Bytes came before the cut: the next piece at the least wait. */
		if (progressed)
			blobs[bs].w.delay_ms = 0;
		wait_more(&blobs[bs].w, now);
	}
out:
	if (slot >= 0) {
		mb_sync_link_line_give(running[slot].line);
		memset(&running[slot], 0, sizeof(running[slot]));
		pthread_cond_broadcast(&fetch_turn);
	}
	pthread_mutex_unlock(&fetch_lock);
	return rc;
}

void
mb_sync_blob_text_begin(const char *base)
{
	int i, pick = -1;

	pthread_mutex_lock(&fetch_lock);
	for (i = 0; i < TEXT_MAX; i++) {
		if (texting[i].n > 0 && strcmp(texting[i].base, base) == 0)
			break;
		if (pick < 0 && texting[i].n == 0)
			pick = i;
	}
	if (i == TEXT_MAX && pick >= 0) {
		i = pick;
		snprintf(texting[i].base, sizeof(texting[i].base), "%s", base);
	}
	/* No slot left (eight links at once): the text shares the link. */
	if (i < TEXT_MAX) {
		texting[i].n++;
		for (int k = 0; k < FETCHES_MAX; k++)
			if (running[k].used && running[k].background &&
			    running[k].capped &&
			    strcmp(running[k].base, base) == 0) {
				atomic_store(&running[k].give_way, 1);
				running[k].for_text = true;
			}
	}
	pthread_mutex_unlock(&fetch_lock);
}

void
mb_sync_blob_text_end(const char *base)
{
	pthread_mutex_lock(&fetch_lock);
	for (int i = 0; i < TEXT_MAX; i++)
		if (texting[i].n > 0 && strcmp(texting[i].base, base) == 0) {
			texting[i].n--;
			break;
		}
	pthread_cond_broadcast(&fetch_turn);
	pthread_mutex_unlock(&fetch_lock);
}

void
mb_sync_blob_stop_all(void)
{
	pthread_mutex_lock(&fetch_lock);
	atomic_store(&stopping, 1);
	for (int i = 0; i < FETCHES_MAX; i++)
		if (running[i].used && running[i].background)
			atomic_store(&running[i].give_way, 1);
	pthread_cond_broadcast(&fetch_turn);
	pthread_mutex_unlock(&fetch_lock);
}

void
mb_sync_blob_start_all(void)
{
	atomic_store(&stopping, 0);
}
