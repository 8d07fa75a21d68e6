/* SPDX-License-Identifier: MIT */
/* The impact service's round: flush every minute, retention daily, reports as configured. */
#include "service.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/timeutil.h"
#include "report.h"

struct mb_impact_service {
	const struct mb_center_node	*node;
	struct mb_impact		*im;
	struct mb_store			*st;	/* the round's own connection */
	pthread_mutex_t			 lock;
	void				(*saved)(void *);
	void				*saved_arg;
	char				 pruned[16];	/* the day last pruned */
	int64_t				 reported_ms;
};

int
mb_impact_service_new(const struct mb_center_node *n, struct mb_impact *im,
    void (*saved)(void *), void *saved_arg, struct mb_impact_service **out,
    struct mb_diag *d)
{
	struct mb_impact_service	*s;
	int				 rc;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
	s->node = n;
	s->im = im;
	s->saved = saved;
	s->saved_arg = saved_arg;
	pthread_mutex_init(&s->lock, NULL);
	if ((rc = mb_center_store(n, &s->st, d)) != MB_OK) {
		mb_impact_service_free(s);
		return rc;
	}
	*out = s;
	return MB_OK;
}

void
mb_impact_service_free(struct mb_impact_service *s)
{
	if (s == NULL)
		return;
	if (s->st != NULL) {
		struct mb_diag d = { "" };

		/* What the last minute counted. */
		if (mb_impact_flush(s->im, s->st, &d) != MB_OK)
			log_warn("impact: last flush failed: %s", d.msg);
		mb_store_close(s->st);
	}
	pthread_mutex_destroy(&s->lock);
	free(s);
}

void
mb_impact_retention_day(const char *today, int months,
    char out[MB_IMPACT_DAY_LEN + 1])
{
	int	y = 1970, m = 1, dd = 1, total;
	char	buf[48];

	sscanf(today, "%4d-%2d-%2d", &y, &m, &dd);
	total = y * 12 + (m - 1) - months;
	if (total < 1970 * 12)
		total = 1970 * 12;
	snprintf(buf, sizeof(buf), "%04d-%02d-01", total / 12, total % 12 + 1);
	memcpy(out, buf, MB_IMPACT_DAY_LEN);
	out[MB_IMPACT_DAY_LEN] = '\0';
}

static int
count_peer(const struct mb_peer *p, void *arg)
{
	(void)p;
	(*(int *)arg)++;
	return MB_OK;
}

static int
publish(struct mb_impact_service *s, const char *day, struct mb_diag *d)
{
	bool	pub = false;
	int	rc, peers = 0;

	/* A center alone has nobody to report to. */
	if ((rc = mb_store_peer_list(s->st, count_peer, &peers, d)) != MB_OK)
		return rc;
	if (peers == 0)
		return MB_OK;
	if ((rc = mb_impact_report_publish(s->node, s->st, day, &pub, d)) !=
	    MB_OK)
		return rc;
	if (pub && s->saved != NULL)
		s->saved(s->saved_arg);
	return MB_OK;
}

static int
round_locked(struct mb_impact_service *s, bool report_now, struct mb_diag *d)
{
	const struct mb_conf	*c = &s->node->conf;
	int64_t			 now = mb_time_now_ms();
	char			 today[16], yesterday[16], keep[16], done[16];
	int64_t			 pruned = 0;
	int			 rc, prc = MB_OK, applied = 0;
	struct mb_diag		 pd = { "" };

	if ((rc = mb_impact_flush(s->im, s->st, d)) != MB_OK)
		return rc;
	mb_impact_day(now, today);
	mb_impact_day_add(today, -1, yesterday);
	/* Retention: once a day, every day before the first one kept. */
	if (strcmp(s->pruned, today) != 0) {
		mb_impact_retention_day(today, c->impact_retention_months, keep);
		if ((rc = mb_store_impact_prune(s->st, keep, &pruned, d)) !=
		    MB_OK)
			return rc;
		if (pruned > 0)
			log_info("impact: pruned rows=%lld before=%s",
			    (long long)pruned, keep);
		snprintf(s->pruned, sizeof(s->pruned), "%s", today);
	}
	/* Yesterday's final report, once; today's so far, every report_s. */
	if ((rc = mb_store_impact_state_get(s->st, "final_day", done,
	    sizeof(done), d)) != MB_OK)
		return rc;
	/*
	 * Our own report failing must not stop us applying everyone
	 * else's (at HQ, the whole network's): its error is said after
	 * the catch-up, and it is tried again next round.
	 */
	if (strcmp(done, yesterday) < 0) {
		if ((prc = publish(s, yesterday, &pd)) == MB_OK &&
		    (rc = mb_store_impact_state_set(s->st, "final_day",
		    yesterday, d)) != MB_OK)
			return rc;
	}
	if (prc == MB_OK && (report_now || now - s->reported_ms >=
	    (int64_t)c->impact_report_s * 1000)) {
		if ((prc = publish(s, today, &pd)) == MB_OK)
			s->reported_ms = now;
	}
	if ((rc = mb_impact_reports_catch_up(s->st, c->id, &applied, d)) !=
	    MB_OK)
		return rc;
	if (applied > 0)
		log_info("impact: reports applied=%d", applied);
	if (prc != MB_OK)
		return mb_diag_set(d, prc, "%s", pd.msg);
	return MB_OK;
}

int
mb_impact_service_round(void *arg, int64_t *next_ms, struct mb_diag *d)
{
	struct mb_impact_service	*s = arg;
	int				 rc;

	(void)next_ms;
	pthread_mutex_lock(&s->lock);
	rc = round_locked(s, false, d);
	/*
	 * A round a minute: what it read (the reports' catch-up walks the
	 * log) is not worth keeping until the next (mb_store_idle).
	 */
	mb_store_idle(s->st);
	pthread_mutex_unlock(&s->lock);
	return rc;
}

int
mb_impact_service_report_now(struct mb_impact_service *s, struct mb_diag *d)
{
	int rc;

	pthread_mutex_lock(&s->lock);
	rc = round_locked(s, true, d);
	pthread_mutex_unlock(&s->lock);
	return rc;
}
