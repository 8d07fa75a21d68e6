/* SPDX-License-Identifier: MIT */
/* Sources: what an operator or editor may add, checked before it is stored. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feeds/feeds.h"

int
mb_feeds_may_manage(const struct mb_actor *a, struct mb_diag *d)
{
	if (a == NULL || a->role < MB_ROLE_EDITOR)
		return mb_diag_set(d, MB_ERR_PERM, "feeds: editors and admins "
		    "manage the sources");
	return MB_OK;
}

int
mb_feeds_parse_every(const char *s, int64_t *secs, struct mb_diag *d)
{
	char	*end;
	long	 v;
	int64_t	 mult = 1;

	if (s == NULL || !isdigit((unsigned char)s[0]))
		goto bad;
	v = strtol(s, &end, 10);
	if (*end == 's' || *end == '\0')
		mult = 1;
	else if (*end == 'm')
		mult = 60;
	else if (*end == 'h')
		mult = 3600;
	else if (*end == 'd')
		mult = 86400;
	else
		goto bad;
	if (*end != '\0' && end[1] != '\0')
		goto bad;
	if (v <= 0 || v > 30 * 86400 / mult)
		goto bad;
	if (v * mult < MB_FEEDS_MIN_EVERY_S)
		return mb_diag_set(d, MB_ERR_INVAL, "every: \"%.20s\": at "
		    "least %ds", s, MB_FEEDS_MIN_EVERY_S);
	*secs = v * mult;
	return MB_OK;
bad:
	return mb_diag_set(d, MB_ERR_INVAL, "every: \"%.20s\": give a period "
	    "such as 15m, 1h, 90s or 1d (at most 30 days)", s != NULL ? s : "");
}

static bool
url_ok(const char *u)
{
	const char	*h;
	size_t		 i;

	if (strncmp(u, "http://", 7) == 0)
		h = u + 7;
	else if (strncmp(u, "https://", 8) == 0)
		h = u + 8;
	else
		return false;
	if (*h == '\0' || *h == '/' || strlen(u) >= MB_FEED_URL_MAX)
		return false;
	for (i = 0; u[i] != '\0'; i++)
		if ((unsigned char)u[i] <= 0x20 || (unsigned char)u[i] >= 0x7f)
			return false;
	return true;
}

/*
 * user:password@ in the URL would be published: the URL is the item's
 * infoSource and the base of its relative links, both signed and shown.
 */
static bool
has_userinfo(const char *u)
{
	const char	*h = strstr(u, "://"), *end;

	if (h == NULL)
		return false;
	h += 3;
	end = h + strcspn(h, "/?#");
	return memchr(h, '@', (size_t)(end - h)) != NULL;
}

static bool
lang_ok(const char *s)
{
	size_t	i, n = strlen(s);

	if (n < 2 || n > 35 || !isalpha((unsigned char)s[0]))
		return false;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-')
			return false;
	return true;
}

int
mb_feeds_add(struct mb_store *st, const struct mb_feeds_add *a, int64_t *id,
    struct mb_diag *d)
{
	struct mb_feed_source	*s;
	const char		*aud = a->audience != NULL ? a->audience :
				    "public";
	const char		*wf = a->workflow != NULL ? a->workflow :
				    "draft";
	int			 rc;

	if (a->url == NULL || !url_ok(a->url))
		return mb_diag_set(d, MB_ERR_INVAL, "url: \"%.200s\": give an "
		    "http:// or https:// URL (ASCII, no spaces)",
		    a->url != NULL ? a->url : "");
	if (has_userinfo(a->url))
		return mb_diag_set(d, MB_ERR_INVAL, "url: a user name or "
		    "password (user:pass@) in the URL would be published with "
		    "every item: give a URL without them");
	if (a->language != NULL && a->language[0] != '\0' &&
	    !lang_ok(a->language))
		return mb_diag_set(d, MB_ERR_INVAL, "language: \"%.40s\": give "
		    "a language tag such as ar or pt-BR", a->language);
	if (a->topics != NULL && strlen(a->topics) >= sizeof(s->topics))
		return mb_diag_set(d, MB_ERR_INVAL, "topics: longer than %zu "
		    "bytes", sizeof(s->topics) - 1);
	if (strcmp(aud, "public") != 0 && strcmp(aud, "network") != 0 &&
	    strcmp(aud, "internal") != 0)
		return mb_diag_set(d, MB_ERR_INVAL, "audience: \"%.20s\": one "
		    "of public, network, internal", aud);
	if (strcmp(wf, "publish") == 0)
		wf = "published";
	if (strcmp(wf, "draft") != 0 && strcmp(wf, "published") != 0)
		return mb_diag_set(d, MB_ERR_INVAL, "workflow: \"%.20s\": one "
		    "of draft, publish", wf);
	if (a->every_s != 0 && (a->every_s < MB_FEEDS_MIN_EVERY_S ||
	    a->every_s > 30 * 86400))
		return mb_diag_set(d, MB_ERR_INVAL, "every: between %ds and 30 "
		    "days", MB_FEEDS_MIN_EVERY_S);
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return MB_ERR_NOMEM;
	snprintf(s->url, sizeof(s->url), "%s", a->url);
	snprintf(s->language, sizeof(s->language), "%s",
	    a->language != NULL ? a->language : "");
	snprintf(s->topics, sizeof(s->topics), "%s",
	    a->topics != NULL ? a->topics : "");
	snprintf(s->audience, sizeof(s->audience), "%s", aud);
	snprintf(s->workflow, sizeof(s->workflow), "%s", wf);
	s->every_s = a->every_s != 0 ? a->every_s : 900;
	s->allow_private = a->allow_private;
	s->next_poll_ms = 0;	/* due at once */
	rc = mb_store_feed_add(st, s, id, d);
	free(s);
	return rc;
}
