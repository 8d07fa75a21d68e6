/* SPDX-License-Identifier: MIT */
/* The poller thread: a round, then a wait that stopping or a kick cuts short. */
#include "poller.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/log.h"

struct mb_poller {
	pthread_t	 thread;
	pthread_mutex_t	 lock;
	pthread_cond_t	 cond;
	bool		 stop, kicked;
	char		 name[16];
	int64_t		 period_ms;
	mb_poller_round	 fn;
	void		*arg;
	char		 last_error[512];
};

static void
deadline(struct timespec *ts, int64_t ms)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

static void *
poller_main(void *arg)
{
	struct mb_poller	*p = arg;
	char			 tname[16];

	snprintf(tname, sizeof(tname), "mb-%.12s", p->name);
	pthread_setname_np(pthread_self(), tname);
	for (;;) {
		struct mb_diag	d = { "" };
		struct timespec	ts;
		int64_t		next = 0;
		int		rc;
		bool		stop;

		rc = p->fn(p->arg, &next, &d);
		/* A log line per change of state, not per round. */
		if (rc != MB_OK && rc != MB_ERR_AGAIN &&
		    strcmp(p->last_error, mb_diag_msg(&d, rc)) != 0) {
			snprintf(p->last_error, sizeof(p->last_error), "%s",
			    mb_diag_msg(&d, rc));
			log_warn("%s: %s", p->name, p->last_error);
		} else if (rc == MB_OK && p->last_error[0] != '\0') {
			log_info("%s: working again", p->name);
			p->last_error[0] = '\0';
		}
		deadline(&ts, next > 0 ? next : p->period_ms);
		pthread_mutex_lock(&p->lock);
		while (!p->stop && !p->kicked &&
		    pthread_cond_timedwait(&p->cond, &p->lock, &ts) == 0)
			;
		p->kicked = false;
		stop = p->stop;
		pthread_mutex_unlock(&p->lock);
		if (stop)
			break;
	}
	return NULL;
}

int
mb_poller_start(const char *name, int64_t period_ms, mb_poller_round fn,
    void *arg, struct mb_poller **out, struct mb_diag *d)
{
	struct mb_poller	*p;
	pthread_condattr_t	 ca;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		return mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
	snprintf(p->name, sizeof(p->name), "%s", name);
	p->period_ms = period_ms > 0 ? period_ms : 1000;
	p->fn = fn;
	p->arg = arg;
	pthread_mutex_init(&p->lock, NULL);
	/* The monotonic clock: a clock set back never stalls a poller. */
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&p->cond, &ca);
	pthread_condattr_destroy(&ca);
	if (pthread_create(&p->thread, NULL, poller_main, p) != 0) {
		pthread_cond_destroy(&p->cond);
		pthread_mutex_destroy(&p->lock);
		free(p);
		return mb_diag_set(d, MB_ERR_NOMEM, "%s: cannot start its "
		    "thread", name);
	}
	*out = p;
	return MB_OK;
}

void
mb_poller_kick(struct mb_poller *p)
{
	pthread_mutex_lock(&p->lock);
	p->kicked = true;
	pthread_cond_signal(&p->cond);
	pthread_mutex_unlock(&p->lock);
}

void
mb_poller_stop(struct mb_poller *p)
{
	if (p == NULL)
		return;
	pthread_mutex_lock(&p->lock);
	p->stop = true;
	pthread_cond_signal(&p->cond);
	pthread_mutex_unlock(&p->lock);
	pthread_join(p->thread, NULL);
	pthread_cond_destroy(&p->cond);
	pthread_mutex_destroy(&p->lock);
	free(p);
}
