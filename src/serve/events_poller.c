/* SPDX-License-Identifier: MIT */
/* The events poller: the waitlist's lapsed offers and free places, and the mail queue. */
#include "serve/events_poller.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "events/events.h"
#include "store/store.h"

struct mb_events_poller {
	const struct mb_center_node	*node;
	struct mb_store			*st;	/* the poller thread's own */
	/* The last skipped event's message: logged once, not each round. */
	char				 skipped[sizeof(((struct mb_diag *)0)->msg)];
};

int
mb_events_poller_new(const struct mb_center_node *node,
    struct mb_events_poller **out, struct mb_diag *d)
{
	struct mb_events_poller *p;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		return mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
	p->node = node;
	*out = p;
	return MB_OK;
}

int
mb_events_poller_round(void *arg, int64_t *next_ms, struct mb_diag *d)
{
	struct mb_events_poller	*p = arg;
	const struct mb_conf	*c = &p->node->conf;
	struct mb_events_env	 env = { 0 };
	struct mb_mail_conf	 mc = { c->mail_relay, c->mail_from,
				    c->mail_user, c->mail_password, 0 };
	const char		*e = getenv("MB_EVENTS_MAIL_RETRY_MS");
	struct mb_diag		 sd = { "" };
	int			 rc, changed = 0, skipped = 0, sent = 0;
	int			 failed = 0;

	*next_ms = 0;
	/* Tests make the first retry sooner than 30 s. */
	mc.retry_ms = e != NULL ? atoll(e) : 0;
	if (p->st == NULL && (rc = mb_center_store(p->node, &p->st, d)) !=
	    MB_OK)
		return rc;
	env.st = p->st;
	env.key = p->node->key;
	env.center = c->id;
	env.site_url = c->url;
	env.mail_from = c->mail_relay[0] != '\0' ? c->mail_from : "";
	/*
	 * A round that fails as a whole (the store) still leaves the mail
	 * to send; one bad event is skipped inside it and the others go on.
	 */
	if ((rc = mb_event_promote_round(&env, &changed, &skipped, &sd)) !=
	    MB_OK)
		log_warn("events: waitlist: %s", sd.msg);
	else if (skipped > 0 && strcmp(sd.msg, p->skipped) != 0)
		log_warn("events: waitlist: %d events skipped: %s", skipped,
		    sd.msg);
	if (rc == MB_OK)
		snprintf(p->skipped, sizeof(p->skipped), "%s",
		    skipped > 0 ? sd.msg : "");
	if (changed > 0)
		log_info("events: waitlist: %d registrations changed", changed);
	if ((rc = mb_event_mail_round(p->st, &mc, &sent, &failed, d)) != MB_OK)
		return rc;
	if (sent > 0 || failed > 0)
		log_info("events: mail sent=%d failed=%d", sent, failed);
	/* A full batch: more may be waiting, go on at once. */
	if (sent + failed == 32)
		*next_ms = 1;
	return MB_OK;
}

void
mb_events_poller_free(struct mb_events_poller *p)
{
	if (p == NULL)
		return;
	mb_store_close(p->st);
	free(p);
}
