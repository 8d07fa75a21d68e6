/* SPDX-License-Identifier: MIT */
/* Blobs fetched while readers wait: the table of fetches under way, their threads, and reading a .part as it grows. */
#include "blob_live.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/blobpath.h"
#include "base/log.h"

/* A wake-up a reader waits for: called once, then dropped. */
struct waker {
	void		(*wake)(void *);
	void		*token;
	struct waker	*next;
};

struct mb_blob_live {
	char			 hash[MB_BLOB_HASH_LEN + 1];
	char			 path[1200];
	char			 part[1300];
	int			 refs;	/* readers, and the thread */
	bool			 listed;	/* in the table: joinable */
	struct mb_blob_live_view v;
	struct mb_sync_blob_watch w;
	mb_blob_live_fn		 fn;
	void			*arg;
	struct waker		*wakers;
	struct mb_blob_live	*next;
};

/* Everything here is under this one lock (few fetches, short holds). */
static pthread_mutex_t	live_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t	live_done = PTHREAD_COND_INITIALIZER;
static struct mb_blob_live *live_list;
static int		live_threads;
static bool		live_stopping;
static atomic_int	live_stop;

/* Under live_lock: every waiting reader may go on. */
static void
wake_all(struct mb_blob_live *l)
{
	struct waker *k;

	while ((k = l->wakers) != NULL) {
		l->wakers = k->next;
		k->wake(k->token);
		free(k);
	}
}

/* Under live_lock. */
static void
unlist(struct mb_blob_live *l)
{
	struct mb_blob_live **pp;

	for (pp = &live_list; *pp != NULL; pp = &(*pp)->next)
		if (*pp == l) {
			*pp = l->next;
			break;
		}
	l->listed = false;
}

/* Under live_lock: drops a reference, frees on the last. */
static void
unref(struct mb_blob_live *l)
{
	struct waker *k;

	if (--l->refs > 0)
		return;
	while ((k = l->wakers) != NULL) {
		l->wakers = k->next;
		free(k);
	}
	free(l);
}

/* Under live_lock: wake(token) once l moves. */
static void
add_waker(struct mb_blob_live *l, void (*wake)(void *), void *token)
{
	struct waker *k;

	for (k = l->wakers; k != NULL; k = k->next)
		if (k->token == token && k->wake == wake)
			return;
	if ((k = malloc(sizeof(*k))) == NULL) {
		/* No room to wait: go on at once, asking again. */
		wake(token);
		return;
	}
	k->wake = wake;
	k->token = token;
	k->next = l->wakers;
	l->wakers = k;
}

static void
on_begin(void *arg, int64_t kept, int64_t total)
{
	struct mb_blob_live *l = arg;

	pthread_mutex_lock(&live_lock);
	/* Bytes a reader may have had are gone: they may differ. */
	if (l->v.state == MB_BLOB_LIVE_FLOWING && kept < l->v.have)
		l->v.epoch++;
	l->v.state = MB_BLOB_LIVE_FLOWING;
	l->v.have = kept;
	if (total >= 0) {
		if (l->v.total >= 0 && l->v.total != total)
			l->v.epoch++;
		l->v.total = total;
	}
	wake_all(l);
	pthread_mutex_unlock(&live_lock);
}

static void
on_grew(void *arg, int64_t have)
{
	struct mb_blob_live *l = arg;

	pthread_mutex_lock(&live_lock);
	l->v.have = have;
	wake_all(l);
	pthread_mutex_unlock(&live_lock);
}

static void *
fetch_main(void *arg)
{
	struct mb_blob_live	*l = arg;
	struct mb_diag		 d = { "" };
	int			 rc;

	rc = l->fn(l->arg, l->hash, &l->w, &d);
	pthread_mutex_lock(&live_lock);
	if (rc == MB_OK) {
		l->v.state = MB_BLOB_LIVE_DONE;
		if (l->v.total < 0)
			l->v.total = l->v.have;
		l->v.have = l->v.total;
	} else {
		l->v.state = MB_BLOB_LIVE_FAILED;
		l->v.rc = rc;
		snprintf(l->v.msg, sizeof(l->v.msg), "%s", mb_diag_msg(&d, rc));
	}
	/* The next reader starts afresh (or finds the blob here). */
	unlist(l);
	wake_all(l);
	unref(l);
	if (--live_threads == 0)
		pthread_cond_broadcast(&live_done);
	pthread_mutex_unlock(&live_lock);
	return NULL;
}

int
mb_blob_live_join(const char *dir, const char *hash, int64_t expect,
    mb_blob_live_fn fn, void *arg, struct mb_blob_live **out,
    struct mb_diag *d)
{
	struct mb_blob_live	*l;
	pthread_attr_t		 at;
	pthread_t		 t;
	int			 rc;

	pthread_mutex_lock(&live_lock);
	if (live_stopping) {
		pthread_mutex_unlock(&live_lock);
		return mb_diag_set(d, MB_ERR_AGAIN, "shutting down");
	}
	for (l = live_list; l != NULL; l = l->next)
		if (strcmp(l->hash, hash) == 0) {
			l->refs++;
			pthread_mutex_unlock(&live_lock);
			*out = l;
			return MB_OK;
		}
	pthread_mutex_unlock(&live_lock);
	if ((l = calloc(1, sizeof(*l))) == NULL)
		return mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
	if ((rc = mb_blob_path(dir, hash, l->path, sizeof(l->path))) !=
	    MB_OK) {
		free(l);
		return mb_diag_set(d, rc, "%s: not a blob hash", hash);
	}
	snprintf(l->hash, sizeof(l->hash), "%s", hash);
	snprintf(l->part, sizeof(l->part), "%s.part", l->path);
	l->v.state = MB_BLOB_LIVE_STARTING;
	l->v.total = expect >= 0 ? expect : -1;
	l->w.expect = expect >= 0 ? expect : -1;
	l->w.begin = on_begin;
	l->w.grew = on_grew;
	l->w.arg = l;
	l->w.stop = &live_stop;
	l->fn = fn;
	l->arg = arg;
	l->refs = 2;		/* the caller's and the thread's */

	pthread_mutex_lock(&live_lock);
	/* Another reader may have started it meanwhile: join that one. */
	for (struct mb_blob_live *o = live_list; o != NULL; o = o->next)
		if (strcmp(o->hash, hash) == 0) {
			o->refs++;
			pthread_mutex_unlock(&live_lock);
			free(l);
			*out = o;
			return MB_OK;
		}
	pthread_attr_init(&at);
	pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
	if (live_stopping || pthread_create(&t, &at, fetch_main, l) != 0) {
		pthread_mutex_unlock(&live_lock);
		pthread_attr_destroy(&at);
		free(l);
		return mb_diag_set(d, MB_ERR_AGAIN, "cannot start a fetch now");
	}
	pthread_attr_destroy(&at);
	live_threads++;
	l->listed = true;
	l->next = live_list;
	live_list = l;
	pthread_mutex_unlock(&live_lock);
	*out = l;
	return MB_OK;
}

void
mb_blob_live_release(struct mb_blob_live *l, void *token)
{
	struct waker **pp, *k;

	if (l == NULL)
		return;
	pthread_mutex_lock(&live_lock);
	for (pp = &l->wakers; (k = *pp) != NULL;) {
		if (k->token == token) {
			*pp = k->next;
			free(k);
		} else
			pp = &k->next;
	}
	unref(l);
	pthread_mutex_unlock(&live_lock);
}

bool
mb_blob_live_wait_start(struct mb_blob_live *l, struct mb_blob_live_view *v,
    void (*wake)(void *), void *token)
{
	bool wait;

	pthread_mutex_lock(&live_lock);
	*v = l->v;
	if ((wait = l->v.state == MB_BLOB_LIVE_STARTING))
		add_waker(l, wake, token);
	pthread_mutex_unlock(&live_lock);
	return wait;
}

int
mb_blob_live_reader_open(struct mb_blob_live *l,
    const struct mb_blob_live_view *v, int64_t from, int64_t last,
    struct mb_blob_live_reader *rd, struct mb_diag *d)
{
	memset(rd, 0, sizeof(*rd));
	rd->l = l;
	rd->from = from;
	rd->last = last;
	rd->total = v->total;
	rd->epoch = v->epoch;
	/* Renamed into place meanwhile: the blob itself. */
	if ((rd->fd = open(l->part, O_RDONLY | O_CLOEXEC)) < 0 &&
	    (rd->fd = open(l->path, O_RDONLY | O_CLOEXEC)) < 0)
		return mb_diag_set(d, MB_ERR_IO, "blob %.12s…: %s", l->hash,
		    strerror(errno));
	return MB_OK;
}

void
mb_blob_live_reader_close(struct mb_blob_live_reader *rd)
{
	if (rd->fd >= 0)
		close(rd->fd);
	rd->fd = -1;
}

ssize_t
mb_blob_live_read(struct mb_blob_live_reader *rd, int64_t pos, char *buf,
    size_t max, void (*wake)(void *), void *token)
{
	struct mb_blob_live	*l = rd->l;
	int64_t			 upto;
	ssize_t			 n;
	bool			 done;

	if (pos < rd->from || pos > rd->last || rd->fd < 0)
		return -1;
	pthread_mutex_lock(&live_lock);
	if (l->v.epoch != rd->epoch && !rd->sent)
		rd->epoch = l->v.epoch;
	if (l->v.state == MB_BLOB_LIVE_FAILED || l->v.epoch != rd->epoch ||
	    (l->v.total >= 0 && l->v.total != rd->total)) {
		pthread_mutex_unlock(&live_lock);
		return -1;
	}
	done = l->v.state == MB_BLOB_LIVE_DONE;
	/* Held back until checked: the answer's last byte. */
	upto = done ? rd->last + 1 : l->v.have < rd->last ? l->v.have :
	    rd->last;
	if (l->v.state == MB_BLOB_LIVE_STARTING || pos >= upto) {
		if (done) {
			pthread_mutex_unlock(&live_lock);
			return -1;
		}
		add_waker(l, wake, token);
		pthread_mutex_unlock(&live_lock);
		return 0;
	}
	pthread_mutex_unlock(&live_lock);
	if ((int64_t)max > upto - pos)
		max = (size_t)(upto - pos);
	do
		n = pread(rd->fd, buf, max, (off_t)pos);
	while (n < 0 && errno == EINTR);
	if (n <= 0)
		return -1;
	/* Started again while we read: what we read may be the new. */
	pthread_mutex_lock(&live_lock);
	if (l->v.epoch != rd->epoch || l->v.state == MB_BLOB_LIVE_FAILED)
		n = -1;
	pthread_mutex_unlock(&live_lock);
	if (n > 0)
		rd->sent = true;
	return n;
}

void
mb_blob_live_shutdown(void)
{
	struct timespec until;

	/*
	 * A fetch sees the stop within blob.c's poll of its turn or the
	 * client's of its transfer: a bounded wait, not a hang at exit.
	 */
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 5;
	pthread_mutex_lock(&live_lock);
	live_stopping = true;
	atomic_store(&live_stop, 1);
	while (live_threads > 0)
		if (pthread_cond_timedwait(&live_done, &live_lock, &until) ==
		    ETIMEDOUT) {
			log_warn("media: %d on-demand fetches still running at "
			    "shutdown", live_threads);
			pthread_mutex_unlock(&live_lock);
			return;
		}
	/* All done: a server started again in this process may fetch. */
	live_stopping = false;
	atomic_store(&live_stop, 0);
	pthread_mutex_unlock(&live_lock);
}
