/* SPDX-License-Identifier: MIT */
/* Pure checks on what a request says of itself: bots, prefetches, referrer hosts, utm tags, days. */
#include "impact.h"

#include <ctype.h>
#include <pthread.h>
#include <stdint.h>
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

/*
 * One pass over the user agent, not one search per pattern: every view
 * asks this (docs/benchmarks.md, "impact"), so at each byte only the
 * patterns that begin with it and the next are compared. ASCII case is folded as
 * the bytes are read; nothing is copied.
 */
static inline unsigned char
fold(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c | 0x20) : c;
}

static bool
match_at(const char *ua, size_t left, const char *pat)
{
	size_t i;

	for (i = 0; pat[i] != '\0'; i++)
		if (i >= left || fold((unsigned char)ua[i]) !=
		    (unsigned char)pat[i])
			return false;
	return true;
}

/* Where a pair of bytes (folded) is looked up: 4,096 slots, 16 KiB. */
#define PAIRS 4096

static inline unsigned
pair_slot(unsigned char a, unsigned char b)
{
	return ((unsigned)a * 31u + (unsigned)b) & (PAIRS - 1);
}

bool
mb_impact_is_bot(const char *ua)
{
	/*
	 * first[slot(c1, c2)]: a bit per pattern that begins with the
	 * bytes c1 c2 (every pattern has at least two). A slot shared by
	 * two pairs only costs a comparison more.
	 */
	static uint32_t	first[PAIRS];
	static bool	ready;
	size_t		n;

	_Static_assert(sizeof(bots) / sizeof(bots[0]) <= 32, "a bit each");
	if (ua == NULL || ua[0] == '\0')
		return true;
	if (!__atomic_load_n(&ready, __ATOMIC_ACQUIRE)) {
		static uint32_t f[PAIRS];
		static pthread_mutex_t once = PTHREAD_MUTEX_INITIALIZER;

		pthread_mutex_lock(&once);
		if (!ready) {
			for (size_t i = 0; i < sizeof(bots) / sizeof(bots[0]);
			    i++)
				f[pair_slot((unsigned char)bots[i][0],
				    (unsigned char)bots[i][1])] |=
				    UINT32_C(1) << i;
			memcpy(first, f, sizeof(first));
			__atomic_store_n(&ready, true, __ATOMIC_RELEASE);
		}
		pthread_mutex_unlock(&once);
	}
	n = strnlen(ua, UA_SCAN);
	for (size_t i = 0; i + 1 < n; i++) {
		uint32_t m = first[pair_slot(fold((unsigned char)ua[i]),
		    fold((unsigned char)ua[i + 1]))];

		while (m != 0) {
			int b = __builtin_ctz(m);

			if (match_at(ua + i, n - i, bots[b]))
				return true;
			m &= m - 1;
		}
	}
	return false;
}

/*
 * Sec-Purpose is a structured list ("prefetch", "prefetch;prerender",
 * "prefetch;anonymous-client-ip"), Purpose its older plain form: a
 * member "prefetch", parameters or not, is a page fetched in case the
 * reader follows the link. A prerendered page that is then shown is
 * not asked for again, so it goes uncounted too: fewer views rather
 * than views nobody read.
 */
bool
mb_impact_is_prefetch(const char *v)
{
	const char *p = v;

	while (p != NULL && *p != '\0') {
		p += strspn(p, " \t,");
		if (strncasecmp(p, "prefetch", 8) == 0 && (p[8] == '\0' ||
		    strchr(" \t,;", p[8]) != NULL))
			return true;
		p = strchr(p, ',');
	}
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
	/*
	 * The civil date of a day number (H. Hinnant's days_from_civil,
	 * inverted): no gmtime_r and no printf on every counted view.
	 */
	int64_t		z = (ms >= 0 ? ms : ms - 86399999) / 86400000 + 719468;
	int64_t		era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned	doe = (unsigned)(z - era * 146097);
	unsigned	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) /
	    365;
	int64_t		y = (int64_t)yoe + era * 400;
	unsigned	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned	mp = (5 * doy + 2) / 153;
	unsigned	d = doy - (153 * mp + 2) / 5 + 1;
	unsigned	m = mp < 10 ? mp + 3 : mp - 9;

	y += m <= 2;
	if (y < 0 || y > 9999)
		y = 0;
	out[0] = (char)('0' + y / 1000);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '-';
	out[8] = (char)('0' + d / 10);
	out[9] = (char)('0' + d % 10);
	out[10] = '\0';
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
