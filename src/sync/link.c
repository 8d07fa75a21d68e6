/* SPDX-License-Identifier: MIT */
/* A peer link's policy: parsing, formatting, and what may cross the link now. */
#include "link.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/timeutil.h"
#include "httpc/httpc.h"
#include "sync/blob.h"

int
mb_link_parse_window(const char *s, int *from, int *to, struct mb_diag *d)
{
	unsigned	h1, m1, h2, m2;
	char		tail;

	if (sscanf(s, "%2u:%2u-%2u:%2u%c", &h1, &m1, &h2, &m2, &tail) != 4 ||
	    h1 > 23 || h2 > 23 || m1 > 59 || m2 > 59 ||
	    strlen(s) != 11)
		return mb_diag_set(d, MB_ERR_INVAL, "window \"%.40s\": not "
		    "HH:MM-HH:MM (e.g. 22:00-06:00)", s);
	if (h1 == h2 && m1 == m2)
		return mb_diag_set(d, MB_ERR_INVAL, "window \"%s\": empty "
		    "(it starts where it ends)", s);
	*from = (int)(h1 * 60 + m1);
	*to = (int)(h2 * 60 + m2);
	return MB_OK;
}

/* A number with an optional k/K, M or G (powers of 1000). */
static int
parse_amount(const char *s, const char **end, int64_t *out)
{
	char		*e;
	unsigned long long v;
	int64_t		 mul = 1;

	if (!isdigit((unsigned char)s[0]))
		return MB_ERR_INVAL;
	v = strtoull(s, &e, 10);
	switch (*e) {
	case 'k': case 'K':
		mul = 1000;
		e++;
		break;
	case 'M':
		mul = 1000 * 1000;
		e++;
		break;
	case 'G':
		mul = 1000 * 1000 * 1000;
		e++;
		break;
	}
	if (v == 0 || v > (unsigned long long)(INT64_MAX / 8 / mul))
		return MB_ERR_INVAL;
	*out = (int64_t)v * mul;
	*end = e;
	return MB_OK;
}

int
mb_link_parse_rate(const char *s, int64_t *bytes_s, struct mb_diag *d)
{
	const char	*end;
	int64_t		 bits;

	if (parse_amount(s, &end, &bits) != MB_OK || (*end != '\0' &&
	    strcmp(end, "bit") != 0) || bits < 800)
		return mb_diag_set(d, MB_ERR_INVAL, "max-rate \"%.40s\": not a "
		    "rate in bit/s of at least 800 (e.g. 64k)", s);
	*bytes_s = bits / 8;
	return MB_OK;
}

int
mb_link_parse_quota(const char *s, int64_t *bytes, char period[8],
    struct mb_diag *d)
{
	const char	*end;
	int64_t		 v;

	if (parse_amount(s, &end, &v) != MB_OK || *end != '/' ||
	    (strcmp(end + 1, "day") != 0 && strcmp(end + 1, "week") != 0 &&
	    strcmp(end + 1, "month") != 0))
		return mb_diag_set(d, MB_ERR_INVAL, "quota \"%.40s\": not "
		    "bytes per day, week or month (e.g. 500M/month)", s);
	*bytes = v;
	snprintf(period, 8, "%s", end + 1);
	return MB_OK;
}

/* 64000 as "64k", 1500000 as "1.5M": what the operator typed, roughly. */
static void
amount(int64_t v, char *out, size_t n)
{
	if (v >= 1000000000 && v % 10000000 == 0)
		snprintf(out, n, "%gG", (double)v / 1e9);
	else if (v >= 1000000 && v % 10000 == 0)
		snprintf(out, n, "%gM", (double)v / 1e6);
	else if (v >= 1000 && v % 10 == 0)
		snprintf(out, n, "%gk", (double)v / 1e3);
	else
		snprintf(out, n, "%lld", (long long)v);
}

void
mb_link_format(const struct mb_link_policy *p, char *out, size_t n)
{
	char	win[48] = "-", rate[24] = "-", quota[40] = "-", used[24];

	if (p->window_from >= 0 && p->window_to >= 0)
		snprintf(win, sizeof(win), "%02d:%02d-%02d:%02d",
		    p->window_from / 60, p->window_from % 60,
		    p->window_to / 60, p->window_to % 60);
	if (p->max_rate > 0)
		amount(p->max_rate * 8, rate, sizeof(rate));
	if (p->quota > 0) {
		amount(p->quota, quota, sizeof(quota) - 8);
		snprintf(quota + strlen(quota), sizeof(quota) - strlen(quota),
		    "/%s", p->period);
	}
	/* Bytes of an earlier period are not this one's. */
	snprintf(used, sizeof(used), "%lld", (long long)(p->period_ms ==
	    mb_link_period_start(p->period, mb_time_now_ms()) ? p->used : 0));
	snprintf(out, n, "window=%s\tmax_rate=%s\tmedia=%s\tquota=%s\t"
	    "used=%s", win, rate, p->media, quota, used);
}

bool
mb_link_in_window(const struct mb_link_policy *p, time_t t)
{
	struct tm	tm;
	int		m;

	if (p->window_from < 0 || p->window_to < 0 ||
	    localtime_r(&t, &tm) == NULL)
		return false;
	m = tm.tm_hour * 60 + tm.tm_min;
	if (p->window_from < p->window_to)
		return m >= p->window_from && m < p->window_to;
	return m >= p->window_from || m < p->window_to;	/* over midnight */
}

int64_t
mb_link_period_start(const char *period, int64_t now_ms)
{
	time_t		t = (time_t)(now_ms / 1000);
	struct tm	tm;

	/*
	 * Without a quota the bytes are counted by the month (as links are
	 * billed), so that a monthly quota set later starts from them.
	 */
	if (localtime_r(&t, &tm) == NULL)
		return 1;
	if (period == NULL || period[0] == '\0')
		period = "month";
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_isdst = -1;
	if (strcmp(period, "week") == 0)
		tm.tm_mday -= (tm.tm_wday + 6) % 7;	/* back to Monday */
	else if (strcmp(period, "month") == 0)
		tm.tm_mday = 1;
	return (int64_t)mktime(&tm) * 1000;
}

bool
mb_link_over_quota(const struct mb_link_policy *p, int64_t now_ms)
{
	return p->quota > 0 && p->period_ms ==
	    mb_link_period_start(p->period, now_ms) && p->used >= p->quota;
}

int
mb_sync_link_count(struct mb_store *st, const char *center, int64_t bytes,
    struct mb_diag *d)
{
	struct mb_link_policy	p;
	int			rc;

	if (bytes <= 0)
		return MB_OK;
	if ((rc = mb_store_link_get(st, center, &p, d)) != MB_OK)
		return rc == MB_ERR_NOTFOUND ? MB_OK : rc;
	return mb_store_link_count(st, center, bytes,
	    mb_link_period_start(p.period, mb_time_now_ms()), d);
}

/* ---- text first: the puller's word on each peer ------------------------ */

#define TEXT_SLOTS 64

static pthread_mutex_t text_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
	char	center[33];
	bool	done;
} text[TEXT_SLOTS];

void
mb_sync_link_text_state(const char *center, bool caught_up)
{
	size_t i, free_slot = TEXT_SLOTS;

	pthread_mutex_lock(&text_lock);
	for (i = 0; i < TEXT_SLOTS; i++) {
		if (strcmp(text[i].center, center) == 0)
			break;
		if (free_slot == TEXT_SLOTS && text[i].center[0] == '\0')
			free_slot = i;
	}
	if (i == TEXT_SLOTS)
		i = free_slot;
	if (i < TEXT_SLOTS) {
		snprintf(text[i].center, sizeof(text[i].center), "%s", center);
		text[i].done = caught_up;
	}
	pthread_mutex_unlock(&text_lock);
}

bool
mb_sync_link_text_done(const char *center)
{
	bool done = false;

	pthread_mutex_lock(&text_lock);
	for (size_t i = 0; i < TEXT_SLOTS; i++)
		if (strcmp(text[i].center, center) == 0)
			done = text[i].done;
	pthread_mutex_unlock(&text_lock);
	return done;
}

/* The capped links' lines in use, by base URL. */
struct line {
	struct line		*next;
	struct mb_httpc_line	*line;
	int			 users;
	char			 base[];
};
static pthread_mutex_t line_lock = PTHREAD_MUTEX_INITIALIZER;
static struct line *lines;

struct mb_httpc_line *
mb_sync_link_line_take(const char *base)
{
	struct mb_httpc_line	*out = NULL;
	struct line		*l;
	size_t			 n = strlen(base) + 1;

	pthread_mutex_lock(&line_lock);
	for (l = lines; l != NULL; l = l->next)
		if (strcmp(l->base, base) == 0)
			break;
	if (l == NULL && (l = calloc(1, sizeof(*l) + n)) != NULL) {
		if ((l->line = mb_httpc_line_new()) == NULL) {
			free(l);
			l = NULL;
		} else {
			memcpy(l->base, base, n);
			l->next = lines;
			lines = l;
		}
	}
	if (l != NULL) {
		l->users++;
		out = l->line;
	}
	pthread_mutex_unlock(&line_lock);
	return out;
}

void
mb_sync_link_line_give(struct mb_httpc_line *line)
{
	struct line **pp, *l;

	if (line == NULL)
		return;
	pthread_mutex_lock(&line_lock);
	for (pp = &lines; (l = *pp) != NULL; pp = &l->next)
		if (l->line == line) {
			/*
			 * The last user gone: what the line had booked is
			 * over by the time anyone takes it again.
			 */
			if (--l->users == 0) {
				*pp = l->next;
				mb_httpc_line_free(l->line);
				free(l);
			}
			break;
		}
	pthread_mutex_unlock(&line_lock);
}

int
mb_link_media_allowed(const struct mb_link_policy *p, bool thumbnail,
    bool on_demand, bool text_done, int64_t now_ms, struct mb_diag *d)
{
	if (strcmp(p->media, "none") == 0)
		return mb_diag_set(d, MB_ERR_AGAIN, "link %s: media none",
		    p->center);
	if (mb_link_over_quota(p, now_ms))
		return mb_diag_set(d, MB_ERR_AGAIN, "link %s: quota used up "
		    "(%lld of %lld bytes this %s): text only", p->center,
		    (long long)p->used, (long long)p->quota, p->period);
	if (on_demand)
		return MB_OK;
	if (!text_done)
		return mb_diag_set(d, MB_ERR_AGAIN, "link %s: text first (the "
		    "log is still coming)", p->center);
	if (thumbnail || strcmp(p->media, "all") == 0)
		return MB_OK;
	if (strcmp(p->media, "window") == 0 &&
	    mb_link_in_window(p, (time_t)(now_ms / 1000)))
		return MB_OK;
	return mb_diag_set(d, MB_ERR_AGAIN, "link %s: originals %s",
	    p->center, strcmp(p->media, "window") == 0 ? "wait for the window" :
	    "only when a reader asks");
}

/* ---- fetching a blob over a link -------------------------------------- */

struct by_url {
	const char	*url;
	char		 center[33];
	bool		 found;
};

static int
peer_by_url(const struct mb_peer *p, void *arg)
{
	struct by_url *b = arg;

	if (strcmp(p->url, b->url) != 0)
		return MB_OK;
	snprintf(b->center, sizeof(b->center), "%s", p->center);
	b->found = true;
	return 1;
}

static int
any_policy(const struct mb_link_policy *p, void *arg)
{
	(void)p;
	*(bool *)arg = true;
	return 1;
}

int
mb_sync_blob_fetch_link(const struct mb_center_node *n, struct mb_store *st,
    const char *base, const char *hash, bool thumbnail, bool on_demand,
    const struct mb_sync_blob_watch *w, struct mb_diag *d)
{
	struct mb_link_policy	p;
	struct by_url		b = { base, "", false };
	int64_t			wire = 0, now = mb_time_now_ms();
	bool			limited = false;
	int			rc;

	if ((rc = mb_store_peer_list(st, peer_by_url, &b, d)) != MB_OK)
		return rc;
	if (!b.found) {
		if ((rc = mb_store_link_list(st, any_policy, &limited, d)) !=
		    MB_OK)
			return rc;
		if (limited)
			return mb_diag_set(d, MB_ERR_AGAIN, "%s: not a peer, "
			    "and media crosses only links with a policy "
			    "here", base);
		return mb_sync_blob_fetch_capped(n, base, hash, 0, NULL, w, d);
	}
	if ((rc = mb_store_link_get(st, b.center, &p, d)) == MB_ERR_NOTFOUND)
		return mb_sync_blob_fetch_capped(n, base, hash, 0, NULL, w, d);
	if (rc != MB_OK)
		return rc;
	if ((rc = mb_link_media_allowed(&p, thumbnail, on_demand,
	    mb_sync_link_text_done(b.center), now, d)) != MB_OK)
		return rc;
	rc = mb_sync_blob_fetch_capped(n, base, hash, p.max_rate, &wire, w, d);
	if (wire > 0)
		(void)mb_sync_link_count(st, b.center, wire, NULL);
	return rc;
}
