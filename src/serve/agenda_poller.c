/* SPDX-License-Identifier: MIT */
/* The agenda poller: proposals closed at their closing date. */
#include "serve/agenda_poller.h"

#include <stdlib.h>

#include "base/log.h"
#include "base/timeutil.h"
#include "center/ingest.h"
#include "members/agenda.h"
#include "store/store.h"

struct mb_agenda_poller {
	const struct mb_center_node	*node;
	struct mb_store			*st;	/* the poller thread's own */
	void				(*saved)(void *arg);
	void				*saved_arg;
	int64_t				 grace_ms;
};

int
mb_agenda_poller_new(const struct mb_center_node *node,
    void (*saved)(void *arg), void *saved_arg,
    struct mb_agenda_poller **out, struct mb_diag *d)
{
	struct mb_agenda_poller	*p;
	const char		*g = getenv("MB_AGENDA_GRACE_MS");

	if ((p = calloc(1, sizeof(*p))) == NULL)
		return mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
	p->node = node;
	p->saved = saved;
	p->saved_arg = saved_arg;
	/*
	 * A network proposal closes this long after its closing date, when
	 * the other centers' final tallies have come (docs/members.md).
	 */
	p->grace_ms = g != NULL && *g != '\0' && atoll(g) >= 0 ? atoll(g) :
	    MB_AGENDA_GRACE_DEFAULT_MS;
	*out = p;
	return MB_OK;
}

int
mb_agenda_poller_round(void *arg, int64_t *next_ms, struct mb_diag *d)
{
	struct mb_agenda_poller	*p = arg;
	struct mb_newsroom_env	 e = { 0 };
	int			 rc, closed = 0;

	*next_ms = 0;
	if (p->st == NULL && (rc = mb_center_store(p->node, &p->st, d)) !=
	    MB_OK)
		return rc;
	/*
	 * A fresh ingest context each round: it reads the registry's keys,
	 * which may have changed since the last one.
	 */
	e.st = p->st;
	e.center = p->node->conf.id;
	e.saved = p->saved;
	e.saved_arg = p->saved_arg;
	if ((rc = mb_ingest_new(p->node, p->st, &e.ing, d)) != MB_OK)
		return rc;
	rc = mb_agenda_close_due(&e, mb_time_now_ms(), p->grace_ms,
	    &closed, d);
	mb_ingest_free(e.ing);
	if (closed > 0)
		log_info("agenda: %d proposals closed at their closing date",
		    closed);
	return rc;
}

void
mb_agenda_poller_free(struct mb_agenda_poller *p)
{
	if (p == NULL)
		return;
	mb_store_close(p->st);
	free(p);
}
