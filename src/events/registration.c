/* SPDX-License-Identifier: MIT */
/*
 * Registration at the organising center: the form's checks, capacity in
 * one transaction, approval, the waitlist promoted in order with a time
 * to confirm, withdrawal from the attendee's link. Indico's states.
 */
#include "events/events_int.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "base/timeutil.h"
#include "base/utf8.h"
#include "item/id.h"
#include "signed/ticket.h"
#include "store/store.h"

int64_t
mb_ev__now(const struct mb_events_env *env)
{
	return env->now_ms != 0 ? env->now_ms : mb_time_now_ms();
}

bool
mb_ev__organiser(const struct mb_actor *a)
{
	return a == NULL || a->role >= MB_ROLE_EDITOR;
}

/* A field people type: UTF-8, no control characters, no markup. */
static int
check_text(const char *field, const char *v, size_t max, bool required,
    struct mb_diag *d)
{
	size_t n = v != NULL ? strlen(v) : 0;

	if (n == 0)
		return required ? mb_diag_set(d, MB_ERR_INVAL, "%s: required",
		    field) : MB_OK;
	if (n > max)
		return mb_diag_set(d, MB_ERR_TOOBIG, "%s: longer than %zu "
		    "bytes", field, max);
	if (!mb_utf8_valid(v, n))
		return mb_diag_set(d, MB_ERR_INVAL, "%s: not UTF-8", field);
	for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
		if (*p < 0x20 && *p != '\n' && *p != '\t')
			return mb_diag_set(d, MB_ERR_INVAL, "%s: control "
			    "characters are not allowed", field);
		if (*p == '<' || *p == '>')
			return mb_diag_set(d, MB_ERR_INVAL, "%s: < and > are "
			    "not allowed", field);
	}
	return MB_OK;
}

/*
 * A name the ticket can hold: one letter or digit at least, as the
 * ticket folds it. Checked whether or not a place is free, since a
 * waitlisted registration is issued its ticket on promotion, inside
 * another registration's change, which a name with none would undo.
 */
static int
check_name(const char *name, struct mb_diag *d)
{
	if (!mb_ticket_name_ok(name))
		return mb_diag_set(d, MB_ERR_INVAL, "name: needs a letter or "
		    "a digit");
	return MB_OK;
}

/* A plain address, lower-cased into out: local@domain.tld. */
static int
check_email(const char *v, char out[MB_EV_TEXT_MAX], struct mb_diag *d)
{
	const char	*at;
	size_t		 n = v != NULL ? strlen(v) : 0;

	if (n == 0)
		return mb_diag_set(d, MB_ERR_INVAL, "email: required");
	if (n > 254)
		return mb_diag_set(d, MB_ERR_TOOBIG, "email: longer than 254 "
		    "bytes");
	at = strchr(v, '@');
	if (at == NULL || at == v || strchr(at + 1, '@') != NULL ||
	    strchr(at, '.') == NULL || at[1] == '.' || v[n - 1] == '.')
		return mb_diag_set(d, MB_ERR_INVAL, "email: not an address "
		    "(name@example.org)");
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)v[i];

		if (c <= 0x20 || c >= 0x7f || strchr("<>()[]\\,;:\"", c))
			return mb_diag_set(d, MB_ERR_INVAL, "email: not an "
			    "address (name@example.org)");
		out[i] = (char)tolower(c);
	}
	out[n] = '\0';
	return MB_OK;
}

/* The answers to the organiser's questions, as a JSON object. */
static int
check_answers(const json_t *answers, const char *questions,
    char out[MB_EV_ANSWERS_MAX], struct mb_diag *d)
{
	json_t		*qs;
	const char	*k;
	json_t		*v;
	char		*text;
	int		 rc = MB_OK;

	if (answers == NULL || json_object_size(answers) == 0) {
		snprintf(out, MB_EV_ANSWERS_MAX, "{}");
		return MB_OK;
	}
	if (!json_is_object(answers))
		return mb_diag_set(d, MB_ERR_INVAL, "answers: not an object");
	qs = json_loads(questions, 0, NULL);
	json_object_foreach((json_t *)answers, k, v) {
		bool	known = false;
		size_t	i;
		json_t	*q;
		char	field[96];

		json_array_foreach(qs, i, q)
			if (json_is_string(q) &&
			    strcmp(json_string_value(q), k) == 0)
				known = true;
		snprintf(field, sizeof(field), "answers[%.64s]", k);
		if (!known) {
			rc = mb_diag_set(d, MB_ERR_INVAL, "%s: not one of the "
			    "organiser's questions", field);
			break;
		}
		if (!json_is_string(v)) {
			rc = mb_diag_set(d, MB_ERR_INVAL, "%s: not text",
			    field);
			break;
		}
		if ((rc = check_text(field, json_string_value(v), 2000, false,
		    d)) != MB_OK)
			break;
	}
	json_decref(qs);
	if (rc != MB_OK)
		return rc;
	if ((text = json_dumps(answers, JSON_COMPACT | JSON_SORT_KEYS)) ==
	    NULL)
		return MB_ERR_NOMEM;
	if (strlen(text) >= MB_EV_ANSWERS_MAX)
		rc = mb_diag_set(d, MB_ERR_TOOBIG, "answers: longer than %d "
		    "bytes in all", MB_EV_ANSWERS_MAX - 1);
	else
		snprintf(out, MB_EV_ANSWERS_MAX, "%s", text);
	free(text);
	return rc;
}

int
mb_event_configure(const struct mb_events_env *env, const struct mb_actor *a,
    const struct mb_ev_settings *s, struct mb_diag *d)
{
	json_t		*qs, *q;
	size_t		 i;
	int		 rc;

	if (!mb_ev__organiser(a))
		return mb_diag_set(d, MB_ERR_PERM, "only editors organise "
		    "events");
	if (s->capacity < 0 || s->capacity > 1000000)
		return mb_diag_set(d, MB_ERR_INVAL, "capacity: 0 (no limit) "
		    "to 1000000");
	if (s->confirm_ms < 0 || s->deadline_ms < 0)
		return mb_diag_set(d, MB_ERR_INVAL, "deadline, confirm: must "
		    "not be negative");
	if (s->confirm_ms > (int64_t)MB_EV_CONFIRM_HOURS_MAX * 3600000)
		return mb_diag_set(d, MB_ERR_INVAL, "confirm_hours: 0 to %d",
		    MB_EV_CONFIRM_HOURS_MAX);
	if ((qs = json_loads(s->questions[0] ? s->questions : "[]", 0,
	    NULL)) == NULL || !json_is_array(qs) || json_array_size(qs) > 20) {
		json_decref(qs);
		return mb_diag_set(d, MB_ERR_INVAL, "questions: a JSON array "
		    "of at most 20 strings");
	}
	json_array_foreach(qs, i, q)
		if (!json_is_string(q) || (rc = check_text("questions",
		    json_string_value(q), 200, true, d)) != MB_OK) {
			json_decref(qs);
			return json_is_string(q) ? rc : mb_diag_set(d,
			    MB_ERR_INVAL, "questions[%zu]: not text", i);
		}
	json_decref(qs);
	if ((rc = mb_ev__check(env, s->event, d)) != MB_OK)
		return rc;
	return mb_store_ev_settings_put(env->st, s, d);
}

int64_t
mb_ev__end(const struct mb_event *e)
{
	return e->end_ms > e->start_ms ? e->end_ms : e->start_ms + 86400000;
}

/* A ticket for a complete registration, valid around the event. */
int
mb_ev__ticket(const struct mb_events_env *env, const struct mb_event *e,
    const struct mb_ev_reg *r, char out[MB_TICKET_TEXT_MAX],
    struct mb_diag *d)
{
	struct mb_ticket	t;

	memset(&t, 0, sizeof(t));
	snprintf(t.issuer, sizeof(t.issuer), "%s", env->center);
	if (strlen(r->event) >= sizeof(t.event))
		return mb_diag_set(d, MB_ERR_INVAL, "event: not an item uri");
	memcpy(t.event, r->event, strlen(r->event) + 1);
	snprintf(t.registration, sizeof(t.registration), "%s", r->id);
	mb_ev__window(e, mb_ev__now(env), &t.valid_from_ms, &t.valid_until_ms);
	return mb_ticket_issue(&t, r->name, env->key, out, d);
}

bool
mb_ev__window(const struct mb_event *e, int64_t now_ms, int64_t *from_ms,
    int64_t *until_ms)
{
	/*
	 * An event with no date yet: a ticket dated from its start was
	 * valid 1970-01-01 to 03. It is valid from its issue for a year;
	 * the door judges by the event's dates once it has them.
	 */
	if (e->start_ms == 0) {
		*from_ms = now_ms / 1000 * 1000;
		*until_ms = (now_ms + 366 * 86400000LL) / 1000 * 1000;
		return false;
	}
	/* From a day before the doors open to a day after they close. */
	*from_ms = (e->start_ms > 86400000 ? e->start_ms - 86400000 : 0) /
	    1000 * 1000;
	*until_ms = (mb_ev__end(e) + 86400000) / 1000 * 1000;
	return true;
}

/* Makes r complete with a ticket and tells the attendee. */
static int
complete(const struct mb_events_env *env, const struct mb_event *e,
    struct mb_ev_reg *r, struct mb_diag *d)
{
	char	ticket[MB_TICKET_TEXT_MAX];
	int	rc;

	if ((rc = mb_ev__ticket(env, e, r, ticket, d)) != MB_OK)
		return rc;
	if ((rc = mb_store_ev_reg_set(env->st, r->id, "complete", 0, ticket,
	    d)) != MB_OK)
		return rc;
	snprintf(r->state, sizeof(r->state), "complete");
	snprintf(r->ticket, sizeof(r->ticket), "%s", ticket);
	r->offer_until_ms = 0;
	return mb_ev__notify(env, e, r, MB_EV_MAIL_TICKET, d);
}

struct first_ctx {
	struct mb_ev_reg	*out;
	bool			 found;
};

static int
first_cb(const struct mb_ev_reg *r, void *arg)
{
	struct first_ctx *c = arg;

	*c->out = *r;
	c->found = true;
	return 1;
}

/*
 * Offers free places to the waitlist in order: a place to take up
 * within the settings' time, or at once when there is none. When the
 * organiser approves each registration, the first in line becomes
 * pending for the organiser instead, as a registration that found a
 * free place does: an offer the attendee confirms alone would let a
 * waitlisted registration past the organiser. Inside the caller's
 * transaction.
 */
static int
promote(const struct mb_events_env *env, const struct mb_event *e,
    const struct mb_ev_settings *s, int *changed, struct mb_diag *d)
{
	struct mb_ev_counts	 c;
	struct mb_ev_reg	*r;
	struct first_ctx	 fc;
	int			 rc = MB_OK;

	if ((r = malloc(sizeof(*r))) == NULL)
		return MB_ERR_NOMEM;
	for (;;) {
		if ((rc = mb_store_ev_reg_counts(env->st, s->event, &c, d)) !=
		    MB_OK)
			break;
		if (s->capacity > 0 && c.pending + c.complete >= s->capacity)
			break;
		fc.out = r;
		fc.found = false;
		if ((rc = mb_store_ev_reg_list(env->st, s->event, "waitlisted",
		    first_cb, &fc, d)) != MB_OK || !fc.found)
			break;
		if (s->approval) {
			r->offer_until_ms = 0;
			if ((rc = mb_store_ev_reg_set(env->st, r->id,
			    "pending", 0, NULL, d)) != MB_OK)
				break;
			snprintf(r->state, sizeof(r->state), "pending");
			rc = mb_ev__notify(env, e, r, MB_EV_MAIL_PENDING, d);
		} else if (s->confirm_ms > 0) {
			r->offer_until_ms = mb_ev__now(env) + s->confirm_ms;
			if ((rc = mb_store_ev_reg_set(env->st, r->id,
			    "pending", r->offer_until_ms, NULL, d)) != MB_OK)
				break;
			snprintf(r->state, sizeof(r->state), "pending");
			rc = mb_ev__notify(env, e, r, MB_EV_MAIL_OFFER, d);
		} else {
			rc = complete(env, e, r, d);
		}
		if (rc != MB_OK)
			break;
		if (changed != NULL)
			(*changed)++;
	}
	free(r);
	return rc;
}

int
mb_event_register(const struct mb_events_env *env,
    const struct mb_ev_form *f, struct mb_ev_reg *out,
    char token[MB_EV_TOKEN_LEN + 1], struct mb_diag *d)
{
	struct mb_ev_settings	 s;
	struct mb_ev_counts	 c;
	struct mb_event		*e = NULL;
	uint8_t			 secret[32];
	int64_t			 now = mb_ev__now(env), deadline;
	int			 rc;

	memset(out, 0, sizeof(*out));
	if ((rc = check_text("name", f->name, 200, true, d)) != MB_OK ||
	    (rc = check_name(f->name, d)) != MB_OK ||
	    (rc = check_email(f->email, out->email, d)) != MB_OK ||
	    (rc = check_text("organisation", f->organisation, 200, false,
	    d)) != MB_OK)
		return rc;
	if (f->country != NULL && f->country[0] != '\0' &&
	    (strlen(f->country) != 2 || !isalpha((unsigned char)f->country[0])
	    || !isalpha((unsigned char)f->country[1])))
		return mb_diag_set(d, MB_ERR_INVAL, "country: a two-letter "
		    "code (IQ, EG)");
	if (f->language != NULL && f->language[0] != '\0' &&
	    (strlen(f->language) > 35 || strspn(f->language,
	    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-")
	    != strlen(f->language)))
		return mb_diag_set(d, MB_ERR_INVAL, "language: a language tag "
		    "(ar, en, fr)");
	if ((rc = mb_store_ev_settings_get(env->st, f->event, &s, d)) != MB_OK)
		return rc;
	if ((rc = check_answers(f->answers, s.questions, out->answers, d)) !=
	    MB_OK)
		return rc;
	if ((e = calloc(1, sizeof(*e))) == NULL)
		return MB_ERR_NOMEM;
	if ((rc = mb_ev__load(env, f->event, e, d)) != MB_OK)
		goto out;
	if (strcmp(e->status, "canceled") == 0) {
		rc = mb_diag_set(d, MB_ERR_PERM, "%s: the event is canceled",
		    f->event);
		goto out;
	}
	deadline = s.deadline_ms != 0 ? s.deadline_ms : e->start_ms;
	if (deadline != 0 && now > deadline) {
		char t[40];

		mb_time_format(deadline, t);
		rc = mb_diag_set(d, MB_ERR_PERM, "registration closed at %s",
		    t);
		goto out;
	}

	snprintf(out->event, sizeof(out->event), "%s", f->event);
	snprintf(out->name, sizeof(out->name), "%s", f->name);
	snprintf(out->organisation, sizeof(out->organisation), "%s",
	    f->organisation != NULL ? f->organisation : "");
	for (int i = 0; f->country != NULL && f->country[i] != '\0' && i < 2;
	    i++)
		out->country[i] = (char)toupper((unsigned char)f->country[i]);
	snprintf(out->language, sizeof(out->language), "%s",
	    f->language != NULL ? f->language : "");
	mb_local_id_mint(out->id);
	randombytes_buf(secret, sizeof(secret));
	sodium_bin2base64(token, MB_EV_TOKEN_LEN + 1, secret, sizeof(secret),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	snprintf(out->token, sizeof(out->token), "%s", token);
	out->created_ms = now;

	/*
	 * Capacity is counted and the registration added under the store's
	 * write lock, so that of any number of registrations at once exactly
	 * the free places complete, in the order the lock is taken.
	 */
	if ((rc = mb_store_begin(env->st, d)) != MB_OK)
		goto out;
	if ((rc = mb_store_ev_reg_counts(env->st, f->event, &c, d)) != MB_OK)
		goto fail;
	if (s.capacity > 0 && c.pending + c.complete >= s.capacity)
		snprintf(out->state, sizeof(out->state), "waitlisted");
	else if (s.approval)
		snprintf(out->state, sizeof(out->state), "pending");
	else {
		snprintf(out->state, sizeof(out->state), "complete");
		if ((rc = mb_ev__ticket(env, e, out, out->ticket, d)) != MB_OK)
			goto fail;
	}
	if ((rc = mb_store_ev_reg_add(env->st, out, d)) != MB_OK)
		goto fail;
	if ((rc = mb_ev__notify(env, e, out, strcmp(out->state, "complete") ==
	    0 ? MB_EV_MAIL_TICKET : strcmp(out->state, "pending") == 0 ?
	    MB_EV_MAIL_PENDING : MB_EV_MAIL_WAITLIST, d)) != MB_OK)
		goto fail;
	rc = mb_store_commit(env->st, d);
	goto out;
fail:
	mb_store_rollback(env->st);
out:
	mb_ev__free(e);
	sodium_memzero(secret, sizeof(secret));
	return rc;
}

int
mb_event_by_token(const struct mb_events_env *env, const char *token,
    struct mb_ev_reg *out, struct mb_diag *d)
{
	if (token == NULL || strlen(token) != MB_EV_TOKEN_LEN)
		return mb_diag_set(d, MB_ERR_NOTFOUND, "no such registration");
	return mb_store_ev_reg_get(env->st, NULL, token, out, d);
}

/*
 * Changes a registration to state inside one transaction, then offers
 * what freed up. check says whether the change is allowed.
 */
static int
change(const struct mb_events_env *env, const char *token, const char *id,
    const char *state, struct mb_ev_reg *out, struct mb_diag *d)
{
	struct mb_ev_settings	 s;
	struct mb_event		*e;
	int			 rc;

	if ((e = calloc(1, sizeof(*e))) == NULL)
		return MB_ERR_NOMEM;
	if ((rc = mb_store_begin(env->st, d)) != MB_OK) {
		mb_ev__free(e);
		return rc;
	}
	if ((rc = token != NULL ? mb_event_by_token(env, token, out, d) :
	    mb_store_ev_reg_get(env->st, id, NULL, out, d)) != MB_OK)
		goto fail;
	if ((rc = mb_store_ev_settings_get(env->st, out->event, &s, d)) !=
	    MB_OK || (rc = mb_ev__load(env, out->event, e, d)) != MB_OK)
		goto fail;
	if (strcmp(state, "withdrawn") == 0 || strcmp(state, "rejected") ==
	    0) {
		if (strcmp(out->state, "withdrawn") == 0 ||
		    strcmp(out->state, "rejected") == 0) {
			rc = mb_diag_set(d, MB_ERR_EXISTS, "this registration "
			    "is %s already", out->state);
			goto fail;
		}
		if ((rc = mb_store_ev_reg_set(env->st, out->id, state, 0, NULL,
		    d)) != MB_OK)
			goto fail;
		snprintf(out->state, sizeof(out->state), "%s", state);
		if ((rc = mb_ev__notify(env, e, out, strcmp(state,
		    "withdrawn") == 0 ? MB_EV_MAIL_WITHDRAWN :
		    MB_EV_MAIL_REJECTED, d)) != MB_OK)
			goto fail;
	} else {	/* complete: a confirmed offer or an approval */
		if (strcmp(out->state, "pending") != 0) {
			rc = mb_diag_set(d, MB_ERR_PERM, "this registration "
			    "is %s, not pending", out->state);
			goto fail;
		}
		if (token != NULL && (out->offer_until_ms == 0 ||
		    out->offer_until_ms < mb_ev__now(env))) {
			rc = mb_diag_set(d, MB_ERR_PERM, out->offer_until_ms
			    == 0 ? "the organiser has not decided yet" :
			    "the offer of a place has lapsed");
			goto fail;
		}
		if (token != NULL && s.approval) {
			/*
			 * An offer made before the organiser asked for
			 * approval: taking it up keeps the place, and the
			 * organiser decides. Only the organiser completes.
			 */
			if ((rc = mb_store_ev_reg_set(env->st, out->id,
			    "pending", 0, NULL, d)) != MB_OK)
				goto fail;
			out->offer_until_ms = 0;
			if ((rc = mb_ev__notify(env, e, out,
			    MB_EV_MAIL_PENDING, d)) != MB_OK)
				goto fail;
		} else if ((rc = complete(env, e, out, d)) != MB_OK)
			goto fail;
	}
	if ((rc = promote(env, e, &s, NULL, d)) != MB_OK)
		goto fail;
	mb_ev__free(e);
	return mb_store_commit(env->st, d);
fail:
	mb_store_rollback(env->st);
	mb_ev__free(e);
	return rc;
}

int
mb_event_withdraw(const struct mb_events_env *env, const char *token,
    struct mb_ev_reg *out, struct mb_diag *d)
{
	return change(env, token, NULL, "withdrawn", out, d);
}

int
mb_event_confirm(const struct mb_events_env *env, const char *token,
    struct mb_ev_reg *out, struct mb_diag *d)
{
	return change(env, token, NULL, "complete", out, d);
}

int
mb_event_decide(const struct mb_events_env *env, const struct mb_actor *a,
    const char *reg_id, bool approve, struct mb_diag *d)
{
	struct mb_ev_reg	*r;
	int			 rc;

	if (!mb_ev__organiser(a))
		return mb_diag_set(d, MB_ERR_PERM, "only editors decide on "
		    "registrations");
	if ((r = malloc(sizeof(*r))) == NULL)
		return MB_ERR_NOMEM;
	rc = change(env, NULL, reg_id, approve ? "complete" : "rejected", r,
	    d);
	free(r);
	return rc;
}

struct lapse_ctx {
	const struct mb_events_env	*env;
	char				 ids[64][MB_EV_ID_MAX];
	int				 n;
};

static int
lapse_cb(const struct mb_ev_reg *r, void *arg)
{
	struct lapse_ctx *c = arg;

	if (r->offer_until_ms == 0 || r->offer_until_ms >= mb_ev__now(c->env))
		return MB_OK;
	snprintf(c->ids[c->n++], MB_EV_ID_MAX, "%s", r->id);
	return c->n == 64 ? 1 : MB_OK;
}

struct waiting_ctx {
	char	events[64][MB_EV_URI_MAX];
	int	n;
};

static int
waiting_cb(const struct mb_ev_reg *r, void *arg)
{
	struct waiting_ctx *c = arg;

	for (int i = 0; i < c->n; i++)
		if (strcmp(c->events[i], r->event) == 0)
			return MB_OK;
	snprintf(c->events[c->n++], MB_EV_URI_MAX, "%s", r->event);
	return c->n == 64 ? 1 : MB_OK;
}

/*
 * One event's part of a round went wrong: its change is undone, the
 * round goes on with the others (one event that no longer reads, as an
 * item whose profile changed, held up every other event's waitlist and
 * the mail), and the first such message is kept for the caller.
 */
static void
skip(const struct mb_events_env *env, int *skipped, struct mb_diag *first,
    const struct mb_diag *d)
{
	mb_store_rollback(env->st);
	if ((*skipped)++ == 0 && first != NULL)
		snprintf(first->msg, sizeof(first->msg), "%s", d->msg);
}

int
mb_event_promote_round(const struct mb_events_env *env, int *changed,
    int *skipped, struct mb_diag *d)
{
	struct lapse_ctx	*lc;
	struct waiting_ctx	*wc;
	struct mb_ev_reg	*r;
	struct mb_event		*e;
	struct mb_ev_settings	 s;
	struct mb_diag		 one = { "" };
	int			 rc;

	*changed = 0;
	*skipped = 0;
	lc = calloc(1, sizeof(*lc));
	wc = calloc(1, sizeof(*wc));
	r = malloc(sizeof(*r));
	e = calloc(1, sizeof(*e));
	if (lc == NULL || wc == NULL || r == NULL || e == NULL) {
		rc = MB_ERR_NOMEM;
		goto out;
	}
	lc->env = env;
	/* Offers that lapsed pass to the next in line. */
	if ((rc = mb_store_ev_reg_list(env->st, NULL, "pending", lapse_cb, lc,
	    d)) != MB_OK)
		goto out;
	for (int i = 0; i < lc->n; i++) {
		int n = 0;

		if ((rc = mb_store_begin(env->st, d)) != MB_OK)
			goto out;
		if ((rc = mb_store_ev_reg_get(env->st, lc->ids[i], NULL, r,
		    &one)) != MB_OK ||
		    (rc = mb_ev__load(env, r->event, e, &one)) != MB_OK) {
			skip(env, skipped, d, &one);
			continue;
		}
		if (strcmp(r->state, "pending") == 0 && r->offer_until_ms != 0
		    && r->offer_until_ms < mb_ev__now(env)) {
			if ((rc = mb_store_ev_reg_set(env->st, r->id,
			    "withdrawn", 0, NULL, &one)) == MB_OK) {
				snprintf(r->state, sizeof(r->state),
				    "withdrawn");
				rc = mb_ev__notify(env, e, r,
				    MB_EV_MAIL_LAPSED, &one);
			}
			if (rc != MB_OK) {
				skip(env, skipped, d, &one);
				continue;
			}
			n++;
		}
		if ((rc = mb_store_commit(env->st, d)) != MB_OK)
			goto out;
		*changed += n;
	}
	/* Free places (a capacity raised, a lapse) go to the waitlist. */
	if ((rc = mb_store_ev_reg_list(env->st, NULL, "waitlisted", waiting_cb,
	    wc, d)) != MB_OK)
		goto out;
	for (int i = 0; i < wc->n; i++) {
		int n = 0;

		if ((rc = mb_store_begin(env->st, d)) != MB_OK)
			goto out;
		if ((rc = mb_store_ev_settings_get(env->st, wc->events[i], &s,
		    &one)) != MB_OK ||
		    (rc = mb_ev__load(env, wc->events[i], e, &one)) != MB_OK
		    || (rc = promote(env, e, &s, &n, &one)) != MB_OK) {
			skip(env, skipped, d, &one);
			continue;
		}
		if ((rc = mb_store_commit(env->st, d)) != MB_OK)
			goto out;
		*changed += n;
	}
	rc = MB_OK;
out:
	free(lc);
	free(wc);
	free(r);
	mb_ev__free(e);
	return rc;
}
