/* SPDX-License-Identifier: MIT */
/*
 * What an organiser does with the attendees: the list as CSV, a message
 * to all, certificates of attendance. Only at the organising center and
 * only for its editors: the data never leaves it otherwise.
 */
#include "events/events_int.h"

#include <stdio.h>
#include <string.h>

#include "base/timeutil.h"
#include "signed/credential.h"
#include "store/store.h"

/* One CSV field (RFC 4180), and a guard against spreadsheet formulas. */
static int
csv_field(struct mb_buf *out, const char *s, bool last)
{
	int rc = mb_buf_append(out, "\"", 1);

	if (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@')
		rc = mb_buf_append(out, "'", 1);
	for (; rc == MB_OK && *s; s++)
		rc = *s == '"' ? mb_buf_append(out, "\"\"", 2) :
		    mb_buf_append(out, s, 1);
	if (rc == MB_OK)
		rc = mb_buf_append(out, last ? "\"\r\n" : "\",", last ? 3 : 2);
	return rc;
}

static int
csv_cb(const struct mb_ev_reg *r, void *arg)
{
	struct mb_buf	*out = arg;
	char		 seq[24], in[40] = "";
	int		 rc;

	snprintf(seq, sizeof(seq), "%lld", (long long)r->seq);
	if (r->checked_in_ms != 0)
		mb_time_format(r->checked_in_ms, in);
	if ((rc = csv_field(out, seq, false)) != MB_OK ||
	    (rc = csv_field(out, r->id, false)) != MB_OK ||
	    (rc = csv_field(out, r->state, false)) != MB_OK ||
	    (rc = csv_field(out, r->name, false)) != MB_OK ||
	    (rc = csv_field(out, r->email, false)) != MB_OK ||
	    (rc = csv_field(out, r->organisation, false)) != MB_OK ||
	    (rc = csv_field(out, r->country, false)) != MB_OK ||
	    (rc = csv_field(out, r->language, false)) != MB_OK ||
	    (rc = csv_field(out, in, false)) != MB_OK)
		return rc;
	return csv_field(out, r->answers, true);
}

int
mb_event_csv(const struct mb_events_env *env, const struct mb_actor *a,
    const char *event, struct mb_buf *out, struct mb_diag *d)
{
	int		 rc;

	if (!mb_ev__organiser(a))
		return mb_diag_set(d, MB_ERR_PERM, "only editors see "
		    "attendees");
	if ((rc = mb_ev__check(env, event, d)) != MB_OK)
		return rc;
	mb_buf_printf(out, "seq,id,state,name,email,organisation,country,"
	    "language,checked_in,answers\r\n");
	return mb_store_ev_reg_list(env->st, event, NULL, csv_cb, out, d);
}

struct msg_ctx {
	const struct mb_events_env	*env;
	const char			*subject, *body;
	int				 n;
	struct mb_diag			*d;
};

static int
msg_cb(const struct mb_ev_reg *r, void *arg)
{
	struct msg_ctx	*c = arg;
	struct mb_buf	 text = MB_BUF_INIT, msg = MB_BUF_INIT;
	int		 rc;

	if (strcmp(r->state, "complete") != 0 &&
	    strcmp(r->state, "pending") != 0)
		return MB_OK;
	mb_buf_printf(&text, "Dear %s,\n\n%s\n\nYour registration: "
	    "%s/events/r/%s\n", r->name, c->body, c->env->site_url != NULL ?
	    c->env->site_url : "", r->token);
	if ((rc = text.data == NULL ? MB_ERR_NOMEM : mb_ev__compose(c->env,
	    r->email, c->subject, text.data, NULL, &msg, c->d)) == MB_OK)
		rc = msg.data == NULL ? MB_ERR_NOMEM : mb_store_ev_mail_add(
		    c->env->st, r->email, c->subject, msg.data, c->d);
	mb_buf_free(&text);
	mb_buf_free(&msg);
	if (rc == MB_OK)
		c->n++;
	return rc;
}

int
mb_event_message(const struct mb_events_env *env, const struct mb_actor *a,
    const char *event, const char *subject, const char *body, int *n,
    struct mb_diag *d)
{
	struct msg_ctx	 c = { env, subject, body, 0, d };
	int		 rc;

	*n = 0;
	if (!mb_ev__organiser(a))
		return mb_diag_set(d, MB_ERR_PERM, "only editors write to "
		    "attendees");
	if (subject == NULL || subject[0] == '\0' || strlen(subject) > 200 ||
	    strpbrk(subject, "\r\n") != NULL)
		return mb_diag_set(d, MB_ERR_INVAL, "subject: one line of at "
		    "most 200 bytes");
	if (body == NULL || body[0] == '\0' || strlen(body) > 20000)
		return mb_diag_set(d, MB_ERR_INVAL, "body: 1 to 20000 bytes");
	if (env->mail_from == NULL || env->mail_from[0] == '\0')
		return mb_diag_set(d, MB_ERR_UNSUPPORTED, "this center sends "
		    "no mail: set [mail] relay and from");
	if ((rc = mb_ev__check(env, event, d)) != MB_OK)
		return rc;
	if ((rc = mb_store_begin(env->st, d)) != MB_OK)
		return rc;
	if ((rc = mb_store_ev_reg_list(env->st, event, NULL, msg_cb, &c, d)) !=
	    MB_OK) {
		mb_store_rollback(env->st);
		return rc;
	}
	if ((rc = mb_store_commit(env->st, d)) == MB_OK)
		*n = c.n;
	return rc;
}

int
mb_event_certificate(const struct mb_events_env *env,
    const struct mb_actor *a, const char *reg_id, const char *center_name,
    char **out, struct mb_diag *d)
{
	struct mb_ev_reg	*r;
	struct mb_event		*e;
	struct mb_badge		 b;
	json_t			*doc = NULL;
	char			 url[512], desc[600];
	int			 rc;

	if (!mb_ev__organiser(a))
		return mb_diag_set(d, MB_ERR_PERM, "only editors issue "
		    "certificates");
	r = malloc(sizeof(*r));
	e = calloc(1, sizeof(*e));
	if (r == NULL || e == NULL) {
		rc = MB_ERR_NOMEM;
		goto out;
	}
	if ((rc = mb_store_ev_reg_get(env->st, reg_id, NULL, r, d)) != MB_OK ||
	    (rc = mb_ev__load(env, r->event, e, d)) != MB_OK)
		goto out;
	/*
	 * Who attended: a complete registration that checked in. One
	 * withdrawn or rejected since is no longer attending, whatever the
	 * door saw.
	 */
	if (strcmp(r->state, "complete") != 0) {
		rc = mb_diag_set(d, MB_ERR_PERM, "registration %s: %s, not "
		    "complete", reg_id, r->state);
		goto out;
	}
	if (r->checked_in_ms == 0) {
		rc = mb_diag_set(d, MB_ERR_PERM, "registration %s: never "
		    "checked in", reg_id);
		goto out;
	}
	/*
	 * With no end date the event ends a day after it starts, as the
	 * ticket's validity says; an end of 0 is not "ended long ago".
	 */
	if (mb_ev__end(e) > mb_ev__now(env)) {
		rc = mb_diag_set(d, MB_ERR_PERM, "the event has not ended");
		goto out;
	}
	snprintf(url, sizeof(url), "%s/events/%s", env->site_url != NULL ?
	    env->site_url : "", r->event);
	snprintf(desc, sizeof(desc), "Attended %s.", e->title != NULL ?
	    e->title : r->event);
	memset(&b, 0, sizeof(b));
	b.name = "Certificate of attendance";
	b.description = desc;
	b.issuer_name = center_name != NULL ? center_name : env->center;
	b.issuer_url = env->site_url != NULL && env->site_url[0] != '\0' ?
	    env->site_url : NULL;
	b.subject_name = r->name;
	b.activity_start_ms = e->start_ms;
	b.activity_end_ms = e->end_ms;
	b.achievement_id = r->event;
	b.achievement_type = "Achievement";
	b.achievement_name = e->title != NULL ? e->title : r->event;
	b.achievement_description = desc;
	b.criteria_narrative = "Checked in at the event with a ticket.";
	b.language = e->language;
	if ((rc = mb_credential_issue(&b, env->key, &doc, d)) != MB_OK)
		goto out;
	rc = mb_credential_text(doc, out);
out:
	json_decref(doc);
	free(r);
	mb_ev__free(e);
	return rc;
}
