/* SPDX-License-Identifier: MIT */
/* The log generation and long-polls: parking requests and the waker thread. */
#include "server_int.h"

#include "base/log.h"
#include "base/timeutil.h"

/* ---------------------------------------------------------------- */
/* The log generation and long-polls                                */

void
mb_http_notify(struct mb_http_server *s)
{
	atomic_fetch_add(&s->gen, 1);
	pthread_mutex_lock(&s->wait_lock);
	s->wake_all = 1;
	s->notified = 1;
	pthread_cond_signal(&s->wait_cond);
	pthread_mutex_unlock(&s->wait_lock);
}

void
mb_http_recheck(struct mb_http_server *s)
{
	pthread_mutex_lock(&s->wait_lock);
	s->recheck = 1;
	pthread_cond_signal(&s->wait_cond);
	pthread_mutex_unlock(&s->wait_lock);
}

uint64_t
mb_http_log_gen(struct mb_http_server *s)
{
	return atomic_load(&s->gen);
}

bool
mb_http_stopping(struct mb_http_server *s)
{
	return atomic_load(&s->stopping);
}

void
mb_req_wake(struct mb_req *r)
{
	struct mb_http_server *s = r->srv;

	pthread_mutex_lock(&s->wait_lock);
	r->woken = true;
	pthread_cond_signal(&s->wait_cond);
	pthread_mutex_unlock(&s->wait_lock);
}

/*
 * Parks r (suspended by the caller) unless the log already moved (a
 * long-poll) or it was woken already (mb_req_wake).
 */
void
srv_park(struct mb_http_server *s, struct mb_req *r)
{
	struct waiter *w = malloc(sizeof(*w));

	pthread_mutex_lock(&s->wait_lock);
	if (w == NULL || (!r->wake_only && atomic_load(&s->gen) !=
	    r->gen_seen) || r->woken || atomic_load(&s->stopping)) {
		r->woken = false;
		pthread_mutex_unlock(&s->wait_lock);
		free(w);
		r->wakeups++;
		MHD_resume_connection(r->conn);
		return;
	}
	w->r = r;
	w->next = s->waiters;
	s->waiters = w;
	pthread_cond_signal(&s->wait_cond);
	pthread_mutex_unlock(&s->wait_lock);
}

/*
 * The waker: resumes parked requests when the log moves or their time
 * is up, and once a second looks at the store's last seq so that writes
 * by other processes (import, a second serve) also count; and at the
 * registry's version, which names the centers that pages show.
 */
void *
srv_waiter_main(void *arg)
{
	struct mb_http_server	*s = arg;
	struct mb_store		*st = NULL;
	int64_t			 last_seq = -1, next_poll = 0, seq;
	int64_t			 last_rv = -1, rv = 0;
	int			 absorb = 0;

	pthread_mutex_lock(&s->wait_lock);
	while (!s->waiter_stop) {
		int64_t		 now = mb_time_mono_ms(), until;
		struct waiter	**pp, *w;
		struct timespec	 ts;

		/*
		 * mb_http_notify() already moved the cache generation for
		 * this process's own commit: take the store's new last seq
		 * at once without moving it again, or a page cached just
		 * after the commit would be thrown away for nothing.
		 */
		if (s->notified) {
			s->notified = 0;
			absorb = 1;
			next_poll = 0;
		}
		if (s->recheck) {
			s->recheck = 0;
			next_poll = 0;
		}
		if (now >= next_poll) {
			pthread_mutex_unlock(&s->wait_lock);
			if (st == NULL && mb_center_store(s->node, &st, NULL) !=
			    MB_OK)
				st = NULL;
			/* The last seq, not the stats: those count rows. */
			if (st != NULL && mb_store_last_seq(st, &seq, NULL) ==
			    MB_OK) {
				if (!absorb && last_seq >= 0 &&
				    seq != last_seq) {
					atomic_fetch_add(&s->gen, 1);
					s->wake_all = 1;
				}
				last_seq = seq;
				absorb = 0;
			}
			/*
			 * A new registry (HQ's center name, a branch's fetch)
			 * renames centers on cached pages: they go too.
			 */
			if (st != NULL && mb_store_registry_get(st, &rv, NULL,
			    NULL) == MB_OK) {
				if (last_rv >= 0 && rv != last_rv)
					atomic_fetch_add(&s->gen, 1);
				last_rv = rv;
			}
			pthread_mutex_lock(&s->wait_lock);
			next_poll = now + 1000;
		}
		until = next_poll;
		for (pp = &s->waiters; (w = *pp) != NULL;) {
			if ((s->wake_all && !w->r->wake_only) || w->r->woken ||
			    atomic_load(&s->stopping) || w->r->deadline <= now) {
				*pp = w->next;
				w->r->woken = false;
				w->r->wakeups++;
				MHD_resume_connection(w->r->conn);
				free(w);
				continue;
			}
			if (w->r->deadline < until)
				until = w->r->deadline;
			pp = &w->next;
		}
		s->wake_all = 0;
		if (s->waiter_stop)
			break;
		/* Sleep on the wall clock, bounded by the mono deadline. */
		clock_gettime(CLOCK_REALTIME, &ts);
		until -= now;
		if (until < 1)
			until = 1;
		ts.tv_sec += until / 1000;
		ts.tv_nsec += (long)(until % 1000) * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&s->wait_cond, &s->wait_lock, &ts);
	}
	pthread_mutex_unlock(&s->wait_lock);
	mb_store_close(st);
	return NULL;
}

