/* SPDX-License-Identifier: MIT */
/*
 * Tickets at the door: the revocation list an offline device carries,
 * and the newsroom's check-in, which verifies a scanned ticket with this
 * center's key, looks up whose it is, and marks the entry once.
 */
#include "events/events_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/timeutil.h"
#include "item/key.h"
#include "signed/ticket.h"
#include "store/store.h"

struct revoked_ctx {
	char	**ids;
	size_t	  n, cap;
};

static int
revoked_cb(const struct mb_ev_reg *r, void *arg)
{
	struct revoked_ctx *c = arg;

	if (strcmp(r->state, "withdrawn") != 0 &&
	    strcmp(r->state, "rejected") != 0)
		return MB_OK;
	if (c->n == c->cap) {
		size_t	 cap = c->cap ? c->cap * 2 : 64;
		char	**p = realloc(c->ids, cap * sizeof(*p));

		if (p == NULL)
			return MB_ERR_NOMEM;
		c->ids = p;
		c->cap = cap;
	}
	if ((c->ids[c->n] = strdup(r->id)) == NULL)
		return MB_ERR_NOMEM;
	c->n++;
	return MB_OK;
}

int
mb_event_revoked(const struct mb_events_env *env, const char *event,
    struct mb_buf *out, struct mb_diag *d)
{
	struct revoked_ctx	 c = { NULL, 0, 0 };
	int			 rc;

	/*
	 * An event of this center, which issued its tickets: a uri that
	 * names none would be signed as an empty list, which a door
	 * would take for "nothing revoked".
	 */
	if ((rc = mb_ev__check(env, event, d)) != MB_OK)
		return rc;
	if ((rc = mb_store_ev_reg_list(env->st, event, NULL, revoked_cb, &c,
	    d)) == MB_OK)
		rc = mb_revoked_issue(env->center, event, mb_ev__now(env),
		    (const char *const *)c.ids, c.n, env->key, out, d);
	for (size_t i = 0; i < c.n; i++)
		free(c.ids[i]);
	free(c.ids);
	return rc;
}

/* The why for a ticket of another event: its title, to send them there. */
static void
wrong_event(const struct mb_events_env *env, const char *uri,
    struct mb_ev_checkin *out)
{
	struct mb_event	*o;

	if ((o = calloc(1, sizeof(*o))) != NULL &&
	    mb_event_load(env->st, uri, o, NULL) == MB_OK && o->title != NULL)
		snprintf(out->why, sizeof(out->why), "wrong event: %.120s",
		    o->title);
	else
		snprintf(out->why, sizeof(out->why), "wrong event: %.120s",
		    uri);
	mb_ev__free(o);
}

int
mb_event_checkin(const struct mb_events_env *env, const struct mb_actor *a,
    const char *event, const char *ticket, struct mb_ev_checkin *out,
    struct mb_diag *d)
{
	struct mb_ticket	t;
	struct mb_event		*e;
	enum mb_verdict		why = MB_VERDICT_VALID;
	uint8_t			pk[MB_PUBKEY_LEN];
	struct mb_diag		vd;
	int64_t			from, until;
	int			rc;

	memset(out, 0, sizeof(*out));
	if (a != NULL && a->role < MB_ROLE_JOURNALIST)
		return mb_diag_set(d, MB_ERR_PERM, "only the newsroom checks "
		    "tickets in");
	if (ticket == NULL || ticket[0] == '\0')
		return mb_diag_set(d, MB_ERR_INVAL, "ticket: required");
	if (strlen(ticket) > 4096)
		return mb_diag_set(d, MB_ERR_TOOBIG, "ticket: longer than a "
		    "ticket can be");
	/*
	 * The door is one event's: a ticket only says it is genuine, and
	 * one for another event, or for this one once canceled, must not
	 * pass for it.
	 */
	if ((e = calloc(1, sizeof(*e))) == NULL)
		return MB_ERR_NOMEM;
	if ((rc = mb_ev__load(env, event, e, d)) != MB_OK)
		goto out;
	mb_key_public(env->key, pk);
	mb_diag_clear(&vd);
	rc = mb_ticket_verify(ticket, strlen(ticket), pk, mb_ev__now(env),
	    NULL, &t, &why, &vd);
	/*
	 * The dates a ticket carries are the event's when it was issued:
	 * a rescheduled event's tickets were refused as expired. Its
	 * signature is checked within them, and the event's current dates
	 * judge it below.
	 */
	if (rc != MB_OK && (why == MB_VERDICT_NOT_YET_VALID ||
	    why == MB_VERDICT_EXPIRED)) {
		mb_diag_clear(&vd);
		why = MB_VERDICT_VALID;
		rc = mb_ticket_verify(ticket, strlen(ticket), pk,
		    t.valid_until_ms, NULL, &t, &why, &vd);
	}
	if (rc != MB_OK) {
		snprintf(out->why, sizeof(out->why), "%s: %.120s",
		    mb_verdict_str(why), vd.msg);
		rc = MB_OK;
		goto out;
	}
	if (strcmp(t.issuer, env->center) != 0 ||
	    mb_store_ev_reg_get(env->st, t.registration, NULL, &out->reg,
	    NULL) != MB_OK || strcmp(out->reg.event, t.event) != 0) {
		snprintf(out->why, sizeof(out->why), "forged: no such "
		    "registration here");
		goto out;
	}
	if (strcmp(t.event, event) != 0) {
		wrong_event(env, t.event, out);
		goto out;
	}
	if (strcmp(e->status, "canceled") == 0) {
		snprintf(out->why, sizeof(out->why), "canceled: the event is "
		    "canceled");
		goto out;
	}
	if (mb_ev__window(e, mb_ev__now(env), &from, &until) &&
	    (mb_ev__now(env) < from || mb_ev__now(env) > until)) {
		char t1[MB_TIME_RFC3339_LEN], t2[MB_TIME_RFC3339_LEN];

		mb_time_format(from, t1);
		mb_time_format(until, t2);
		snprintf(out->why, sizeof(out->why), "%s: the event's tickets "
		    "admit from %s to %s", mb_ev__now(env) < from ?
		    mb_verdict_str(MB_VERDICT_NOT_YET_VALID) :
		    mb_verdict_str(MB_VERDICT_EXPIRED), t1, t2);
		goto out;
	}
	if (strcmp(out->reg.state, "complete") != 0) {
		snprintf(out->why, sizeof(out->why), "revoked: the "
		    "registration is %s", out->reg.state);
		goto out;
	}
	if ((rc = mb_store_ev_reg_checkin(env->st, out->reg.id,
	    mb_ev__now(env), &out->first_ms, &out->count, d)) != MB_OK)
		goto out;
	if (out->count > 1) {
		out->again = true;
		snprintf(out->why, sizeof(out->why), "entered before: this is "
		    "entry %lld with this ticket", (long long)out->count);
	} else {
		out->admitted = true;
	}
out:
	mb_ev__free(e);
	return rc;
}
