/* SPDX-License-Identifier: MIT */
/* Pure checks on what a request says of itself: bots, referrer hosts, utm tags, days. */
#include "impact.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* Looked at: the first this many bytes of a user agent. */
#define UA_SCAN 1024

/*
 * Substrings (lowercase) of the user agents of crawlers, link previews,
 * monitors and HTTP libraries. A reader's browser has none of them; a
 * feed reader ("Feedly", "NetNewsWire") is a reader and is not here.
 */
static const char *const bots[] = {
	"bot", "crawl", "spider", "slurp", "archiver", "curl/", "wget/",
	"python", "httpclient", "http-client", "go-http", "java/", "okhttp",
	"libwww", "lwp-", "headless", "phantomjs", "monitor", "uptime",
	"pingdom", "preview", "facebookexternalhit", "scrapy", "httrack",
	"check_http", "wrk", "apachebench", "siege", "lighthouse",
};

bool
mb_impact_is_bot(const char *ua)
{
	char	low[UA_SCAN + 1];
	size_t	n;

	if (ua == NULL || ua[0] == '\0')
		return true;
	n = strnlen(ua, UA_SCAN);
	for (size_t i = 0; i < n; i++)
		low[i] = (char)tolower((unsigned char)ua[i]);
	low[n] = '\0';
	for (size_t i = 0; i < sizeof(bots) / sizeof(bots[0]); i++)
		if (strstr(low, bots[i]) != NULL)
			return true;
	return false;
}

void
mb_impact_referrer_host(const char *ref, const char *host,
    char out[MB_IMPACT_HOST_MAX])
{
	const char	*p, *end;
	size_t		 n, o = 0;
	bool		 dot = false;

	out[0] = '\0';
	if (ref == NULL)
		return;
	if (strncasecmp(ref, "https://", 8) == 0)
		p = ref + 8;
	else if (strncasecmp(ref, "http://", 7) == 0)
		p = ref + 7;
	else
		return;
	/* user:pass@ would be a place to hide an address: not a host. */
	end = p + strcspn(p, "/?#");
	if (memchr(p, '@', (size_t)(end - p)) != NULL)
		return;
	n = strcspn(p, ":/?#");
	if (n == 0 || n >= MB_IMPACT_HOST_MAX)
		return;
	for (size_t i = 0; i < n; i++) {
		char c = (char)tolower((unsigned char)p[i]);

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '.')) {
			out[0] = '\0';
			return;
		}
		dot |= c == '.';
		out[o++] = c;
	}
	out[o] = '\0';
	/*
	 * A name, not an address: an IP address in a referrer is somebody's
	 * own machine more often than a site, and is not kept.
	 */
	if (!dot || out[0] == '.' || out[o - 1] == '.' ||
	    strspn(out, "0123456789.") == o) {
		out[0] = '\0';
		return;
	}
	if (strncmp(out, "www.", 4) == 0)
		memmove(out, out + 4, o - 3);
	if (host != NULL) {
		size_t hn = strcspn(host, ":");
		const char *h = host;

		if (hn > 4 && strncasecmp(h, "www.", 4) == 0) {
			h += 4;
			hn -= 4;
		}
		if (hn == strlen(out) && strncasecmp(h, out, hn) == 0)
			out[0] = '\0';
	}
}

void
mb_impact_tag(const char *v, char out[MB_IMPACT_TAG_MAX])
{
	size_t n;

	out[0] = '\0';
	if (v == NULL)
		return;
	n = strlen(v);
	if (n == 0 || n >= MB_IMPACT_TAG_MAX)
		return;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)v[i]) && v[i] != '.' &&
		    v[i] != '_' && v[i] != '-')
			return;
	memcpy(out, v, n + 1);
}

void
mb_impact_day(int64_t ms, char out[MB_IMPACT_DAY_LEN + 1])
{
	time_t		t = (time_t)(ms / 1000);
	struct tm	tm;

	gmtime_r(&t, &tm);
	char	buf[48];

	snprintf(buf, sizeof(buf), "%04d-%02d-%02d", tm.tm_year + 1900,
	    tm.tm_mon + 1, tm.tm_mday);
	memcpy(out, buf, MB_IMPACT_DAY_LEN);
	out[MB_IMPACT_DAY_LEN] = '\0';
}

static int
day_epoch(const char *day, int64_t *days)
{
	struct tm	tm;
	int		y, m, dd;
	char		back[MB_IMPACT_DAY_LEN + 1];

	if (day == NULL || strlen(day) != MB_IMPACT_DAY_LEN ||
	    sscanf(day, "%4d-%2d-%2d", &y, &m, &dd) != 3 || y < 1970 ||
	    y > 9999)
		return MB_ERR_INVAL;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = dd;
	*days = (int64_t)timegm(&tm) / 86400;
	/* 2026-02-30 normalizes to March: not a day. */
	mb_impact_day(*days * 86400000, back);
	return strcmp(back, day) == 0 ? MB_OK : MB_ERR_INVAL;
}

int
mb_impact_day_add(const char *day, int n, char out[MB_IMPACT_DAY_LEN + 1])
{
	int64_t d;

	if (day_epoch(day, &d) != MB_OK)
		return MB_ERR_INVAL;
	mb_impact_day((d + n) * 86400000, out);
	return MB_OK;
}

int
mb_impact_day_diff(const char *a, const char *b, int *out)
{
	int64_t da, db;

	if (day_epoch(a, &da) != MB_OK || day_epoch(b, &db) != MB_OK)
		return MB_ERR_INVAL;
	*out = (int)(db - da);
	return MB_OK;
}
