/* SPDX-License-Identifier: MIT */
/*
 * The mail an event sends: composed here as a whole MIME message (the
 * text, and the ticket's QR code as an SVG attachment), queued in the
 * store in the same transaction as the change it tells of, and sent by
 * serve's poller through the relay, tried again until it goes.
 */
#include "events/events_int.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "base/log.h"
#include "base/timeutil.h"
#include "httpc/smtp.h"
#include "item/id.h"
#include "signed/qr.h"
#include "store/store.h"

#define BOUNDARY "mediabridge-part-7d1c"

/* Base64 in lines of 76 (RFC 2045). */
static int
b64_lines(struct mb_buf *out, const void *data, size_t n)
{
	size_t	 len = sodium_base64_ENCODED_LEN(n,
		    sodium_base64_VARIANT_ORIGINAL);
	char	*b = malloc(len);
	int	 rc = MB_OK;

	if (b == NULL)
		return MB_ERR_NOMEM;
	sodium_bin2base64(b, len, data, n, sodium_base64_VARIANT_ORIGINAL);
	for (size_t i = 0, k = strlen(b); i < k && rc == MB_OK; i += 76)
		if ((rc = mb_buf_append(out, b + i, k - i < 76 ? k - i : 76)) ==
		    MB_OK)
			rc = mb_buf_append(out, "\r\n", 2);
	free(b);
	return rc;
}

/* A header's text as RFC 2047 UTF-8 base64 words. */
static int
header_text(struct mb_buf *out, const char *name, const char *text)
{
	size_t	 n = strlen(text);
	size_t	 len = sodium_base64_ENCODED_LEN(n,
		    sodium_base64_VARIANT_ORIGINAL);
	char	*b = malloc(len);
	int	 rc;

	if (b == NULL)
		return MB_ERR_NOMEM;
	sodium_bin2base64(b, len, (const uint8_t *)text, n,
	    sodium_base64_VARIANT_ORIGINAL);
	rc = mb_buf_printf(out, "%s: =?UTF-8?B?%s?=\r\n", name, b);
	free(b);
	return rc;
}

/*
 * A whole message: headers, the text, and the ticket's QR code when
 * ticket is given. The addresses were checked (no CR, LF or brackets).
 */
int
mb_ev__compose(const struct mb_events_env *env, const char *to,
    const char *subject, const char *text, const char *ticket,
    struct mb_buf *out, struct mb_diag *d)
{
	char		 date[64], id[MB_LOCAL_LEN + 1];
	time_t		 now = (time_t)(mb_ev__now(env) / 1000);
	struct tm	 tm;
	struct mb_buf	 svg = MB_BUF_INIT;
	int		 rc;

	gmtime_r(&now, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", &tm);
	mb_local_id_mint(id);
	mb_buf_printf(out, "From: %s\r\nTo: %s\r\n", env->mail_from, to);
	header_text(out, "Subject", subject);
	mb_buf_printf(out, "Date: %s\r\nMessage-ID: <%s@%s>\r\n"
	    "MIME-Version: 1.0\r\n"
	    "Content-Type: multipart/mixed; boundary=\"" BOUNDARY "\"\r\n"
	    "\r\n--" BOUNDARY "\r\n"
	    "Content-Type: text/plain; charset=utf-8\r\n"
	    "Content-Transfer-Encoding: base64\r\n\r\n", date, id,
	    env->center);
	if ((rc = b64_lines(out, text, strlen(text))) != MB_OK)
		return rc;
	if (ticket != NULL && ticket[0] != '\0') {
		if ((rc = mb_qr_svg(ticket, "ticket", &svg, d)) != MB_OK)
			return rc;
		mb_buf_printf(out, "--" BOUNDARY "\r\n"
		    "Content-Type: image/svg+xml; name=\"ticket.svg\"\r\n"
		    "Content-Disposition: inline; filename=\"ticket.svg\"\r\n"
		    "Content-Transfer-Encoding: base64\r\n\r\n");
		rc = b64_lines(out, svg.data, svg.len);
		mb_buf_free(&svg);
		if (rc != MB_OK)
			return rc;
	}
	return mb_buf_printf(out, "--" BOUNDARY "--\r\n");
}

static void
when(int64_t ms, char out[40])
{
	time_t		t = (time_t)(ms / 1000);
	struct tm	tm;

	gmtime_r(&t, &tm);
	strftime(out, 40, "%Y-%m-%d %H:%M UTC", &tm);
}

/*
 * A subject cut to its buffer may end inside a character (a long
 * Arabic title): drop the partial one, so that the header stays UTF-8.
 */
static void
cut_utf8(char *s)
{
	size_t	n = strlen(s), i = n, need;

	while (i > 0 && n - i < 3 && ((unsigned char)s[i - 1] & 0xc0) == 0x80)
		i--;
	if (i == 0 || (unsigned char)s[i - 1] < 0xc0)
		return;
	need = (unsigned char)s[i - 1] >= 0xf0 ? 4 :
	    (unsigned char)s[i - 1] >= 0xe0 ? 3 : 2;
	if (n - (i - 1) < need)
		s[i - 1] = '\0';
}

int
mb_ev__notify(const struct mb_events_env *env, const struct mb_event *e,
    const struct mb_ev_reg *r, enum mb_ev_mail_kind kind, struct mb_diag *d)
{
	struct mb_buf	 text = MB_BUF_INIT, msg = MB_BUF_INIT;
	char		 subject[400], start[40], until[40];
	const char	*title = e->title != NULL ? e->title : e->uri;
	const char	*ticket = NULL;
	int		 rc;

	if (env->mail_from == NULL || env->mail_from[0] == '\0')
		return MB_OK;
	when(e->start_ms, start);
	when(r->offer_until_ms, until);
	mb_buf_printf(&text, "Dear %s,\n\n", r->name);
	switch (kind) {
	case MB_EV_MAIL_TICKET:
		snprintf(subject, sizeof(subject), "Your ticket: %s", title);
		mb_buf_printf(&text, "your registration for %s (%s%s%s) is "
		    "complete. Show the QR code attached at the door, or this "
		    "ticket text:\n\n%s\n\n", title, start, e->place != NULL ?
		    ", " : "", e->place != NULL ? e->place : "", r->ticket);
		ticket = r->ticket;
		break;
	case MB_EV_MAIL_PENDING:
		snprintf(subject, sizeof(subject), "Registration received: %s",
		    title);
		mb_buf_printf(&text, "we have your registration for %s. The "
		    "organiser will confirm it; you will have a mail then.\n\n",
		    title);
		break;
	case MB_EV_MAIL_WAITLIST:
		snprintf(subject, sizeof(subject), "On the waitlist: %s",
		    title);
		mb_buf_printf(&text, "%s is full. You are on the waitlist: if "
		    "a place frees up it is offered to you, in the order of "
		    "registration, and you will have a mail.\n\n", title);
		break;
	case MB_EV_MAIL_OFFER:
		snprintf(subject, sizeof(subject), "A place for you: %s",
		    title);
		mb_buf_printf(&text, "a place at %s has freed up and is yours "
		    "if you confirm it by %s on the page below; after that it "
		    "goes to the next on the waitlist.\n\n", title, until);
		break;
	case MB_EV_MAIL_WITHDRAWN:
		snprintf(subject, sizeof(subject), "Registration withdrawn: %s",
		    title);
		mb_buf_printf(&text, "your registration for %s is withdrawn; "
		    "its ticket no longer admits.\n\n", title);
		break;
	case MB_EV_MAIL_REJECTED:
		snprintf(subject, sizeof(subject), "Registration declined: %s",
		    title);
		mb_buf_printf(&text, "the organiser of %s could not accept "
		    "your registration.\n\n", title);
		break;
	case MB_EV_MAIL_LAPSED:
		snprintf(subject, sizeof(subject), "Offer lapsed: %s", title);
		mb_buf_printf(&text, "the place offered to you at %s was not "
		    "confirmed in time and has gone to the next on the "
		    "waitlist.\n\n", title);
		break;
	}
	cut_utf8(subject);
	mb_buf_printf(&text, "Your registration (to see it, confirm or "
	    "withdraw): %s/events/r/%s\n", env->site_url != NULL ?
	    env->site_url : "", r->token);
	if (text.data == NULL) {
		rc = MB_ERR_NOMEM;
		goto out;
	}
	if ((rc = mb_ev__compose(env, r->email, subject, text.data, ticket,
	    &msg, d)) != MB_OK)
		goto out;
	if (msg.data == NULL) {
		rc = MB_ERR_NOMEM;
		goto out;
	}
	rc = mb_store_ev_mail_add(env->st, r->email, subject, msg.data, d);
out:
	mb_buf_free(&text);
	mb_buf_free(&msg);
	return rc;
}

struct send_ctx {
	struct mb_store			*st;
	const struct mb_mail_conf	*mc;
	int				*sent, *failed;
	int64_t				 ids[32], next[32], sent_ms[32];
	char				 err[32][256];
	int				 n;
};

static int
send_cb(const struct mb_ev_mail *m, void *arg)
{
	struct send_ctx	*c = arg;
	struct mb_smtp	 s = { c->mc->relay, c->mc->from, c->mc->user,
			    c->mc->password, 30 };
	struct mb_diag	 d;
	int		 i = c->n++;

	mb_diag_clear(&d);
	c->ids[i] = m->id;
	c->err[i][0] = '\0';
	c->sent_ms[i] = 0;
	if (mb_smtp_send(&s, m->to, m->body, strlen(m->body), &d) == MB_OK) {
		c->sent_ms[i] = mb_time_now_ms();
		(*c->sent)++;
	} else {
		/* 30 s, doubling to 6 h. */
		int64_t wait = (c->mc->retry_ms > 0 ? c->mc->retry_ms :
		    30000) << (m->attempts < 10 ? m->attempts : 10);

		if (wait > 6 * 3600000LL)
			wait = 6 * 3600000LL;
		c->next[i] = mb_time_now_ms() + wait;
		snprintf(c->err[i], sizeof(c->err[i]), "%.250s", d.msg);
		(*c->failed)++;
	}
	return c->n == 32 ? 1 : MB_OK;
}

int
mb_event_mail_round(struct mb_store *st, const struct mb_mail_conf *mc,
    int *sent, int *failed, struct mb_diag *d)
{
	struct send_ctx	*c;
	int		 rc;

	*sent = *failed = 0;
	if (mc->relay == NULL || mc->relay[0] == '\0')
		return MB_OK;
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return MB_ERR_NOMEM;
	c->st = st;
	c->mc = mc;
	c->sent = sent;
	c->failed = failed;
	/* Sent while the rows are read, recorded after: no write mid-walk. */
	rc = mb_store_ev_mail_due(st, mb_time_now_ms(), 32, send_cb, c, d);
	for (int i = 0; i < c->n; i++) {
		int r2 = mb_store_ev_mail_done(st, c->ids[i], c->sent_ms[i],
		    c->next[i], c->err[i], d);

		if (rc == MB_OK)
			rc = r2;
		if (c->sent_ms[i] == 0)
			log_warn("events: mail %lld not sent: %s",
			    (long long)c->ids[i], c->err[i]);
	}
	free(c);
	return rc;
}
