/* SPDX-License-Identifier: MIT */
/* Dates as feeds really write them: RFC 822 and its variants, ISO 8601. */
#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/timeutil.h"
#include "wire/wire.h"

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian; Howard Hinnant). */
static int64_t
days_from_civil(int64_t y, unsigned m, unsigned dd)
{
	int64_t		era;
	unsigned	yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + dd - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static int
mdays(int y, int m)
{
	static const int n[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
	    31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return n[m - 1];
}

static int
make_ms(int y, int mo, int dd, int h, int mi, int s, int off_min,
    int64_t *ms)
{
	if (y < 1900 || y > 9999 || mo < 1 || mo > 12 || dd < 1 ||
	    dd > mdays(y, mo) || h < 0 || h > 23 || mi < 0 || mi > 59 ||
	    s < 0 || s > 60)
		return MB_ERR_INVAL;
	if (s == 60)
		s = 59;
	*ms = ((days_from_civil(y, (unsigned)mo, (unsigned)dd) * 86400 +
	    h * 3600 + mi * 60 + s) - (int64_t)off_min * 60) * 1000;
	return MB_OK;
}

/*
 * Month names: English, and the abbreviations of the languages whose
 * feeds we meet (Portuguese, Spanish, French, German, Italian, Dutch).
 */
static int
month_of(const char *w, size_t n)
{
	static const char *const names[12][6] = {
		{ "jan", "ene", "gen", "janv", "jän", NULL },
		{ "feb", "fev", "fév", "févr", NULL },
		{ "mar", "mär", "mrt", "mars", NULL },
		{ "apr", "abr", "avr", "avril", NULL },
		{ "may", "mai", "mag", "mei", "mayo", NULL },
		{ "jun", "juin", "giu", NULL },
		{ "jul", "juil", "lug", NULL },
		{ "aug", "ago", "août", "aoû", NULL },
		{ "sep", "set", "sept", NULL },
		{ "oct", "out", "okt", "ott", NULL },
		{ "nov", NULL },
		{ "dec", "dez", "dic", "déc", NULL },
	};
	char	lw[16];
	size_t	i, k;

	if (n < 3 || n >= sizeof(lw))
		return 0;
	for (i = 0; i < n; i++)
		lw[i] = (char)tolower((unsigned char)w[i]);
	lw[n] = '\0';
	for (i = 0; i < 12; i++)
		for (k = 0; k < 6 && names[i][k] != NULL; k++) {
			size_t l = strlen(names[i][k]);

			/* "Sept", "September", "Janeiro": the prefix counts. */
			if (strncmp(lw, names[i][k], l) == 0 &&
			    (l >= 3 && (n == l || strlen(names[i][k]) == 3)))
				return (int)i + 1;
		}
	return 0;
}

/* A zone name or offset; minutes east of UTC. Unknown names are UTC. */
static bool
zone_of(const char *z, int *off)
{
	static const struct {
		const char	*name;
		int		 off;
	} names[] = {
		{ "GMT", 0 }, { "UT", 0 }, { "UTC", 0 }, { "Z", 0 },
		{ "EST", -300 }, { "EDT", -240 }, { "CST", -360 },
		{ "CDT", -300 }, { "MST", -420 }, { "MDT", -360 },
		{ "PST", -480 }, { "PDT", -420 }, { "CET", 60 },
		{ "CEST", 120 }, { "BST", 60 }, { "IST", 330 },
		{ "EET", 120 }, { "EEST", 180 }, { "MSK", 180 },
		{ "JST", 540 }, { "AEST", 600 }, { "AEDT", 660 },
	};
	size_t	i;

	*off = 0;
	if (*z == '+' || *z == '-') {
		int	sign = *z == '-' ? -1 : 1, h = 0, m = 0, n = 0;

		z++;
		while (isdigit((unsigned char)*z) && n < 4) {
			if (n < 2)
				h = h * 10 + (*z - '0');
			else
				m = m * 10 + (*z - '0');
			n++;
			z++;
			if (n == 2 && *z == ':')
				z++;
		}
		if (n != 2 && n != 4)
			return false;
		if (h > 23 || m > 59)
			return false;
		*off = sign * (h * 60 + m);
		return true;
	}
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcasecmp(z, names[i].name) == 0) {
			*off = names[i].off;
			return true;
		}
	return isalpha((unsigned char)*z) != 0;	/* a name we do not know */
}

/* "HH:MM[:SS]" or "HHMM[SS]" at *p; advances. */
static bool
time_of(const char **pp, int *h, int *mi, int *s)
{
	const char	*p = *pp;
	int		 v[3] = { 0, 0, 0 }, n = 0, digits;

	while (n < 3) {
		digits = 0;
		while (isdigit((unsigned char)*p) && digits < 2) {
			v[n] = v[n] * 10 + (*p++ - '0');
			digits++;
		}
		if (digits != 2)
			return false;
		n++;
		if (*p == ':')
			p++;
		else if (!isdigit((unsigned char)*p))
			break;
	}
	if (n < 2)
		return false;
	/* Fractions of a second are dropped. */
	if (*p == '.' || *p == ',')
		while (isdigit((unsigned char)*++p))
			;
	*h = v[0];
	*mi = v[1];
	*s = v[2];
	*pp = p;
	return true;
}

static int
year_of(long y)
{
	if (y < 100)		/* RFC 822's two digits: 00-49 2000s */
		return (int)(y < 50 ? 2000 + y : 1900 + y);
	return (int)y;
}

/* RFC 822 and kin: "[Day,] DD Mon YYYY [HH:MM[:SS]] [zone]". */
static int
rfc822(const char *s, int64_t *ms)
{
	const char	*p = s, *w;
	char		 zone[16] = "";
	int		 dd, mo = 0, y, h = 0, mi = 0, sec = 0, off = 0;
	long		 v;
	char		*end;
	size_t		 n;

	/* A weekday, in whatever language, ends with a comma or a space. */
	if (isalpha((unsigned char)*p) || (unsigned char)*p >= 0x80) {
		w = p;
		while (*p != '\0' && *p != ',' && *p != ' ')
			p++;
		/* "May 14, 2020" has no weekday; "mar, 24 set" has one. */
		if (*p != ',' && month_of(w, (size_t)(p - w)) != 0)
			p = w;
		else {
			if (*p == ',')
				p++;
			while (*p == ' ')
				p++;
		}
	}
	if (isalpha((unsigned char)*p)) {	/* "May 14, 2020" */
		w = p;
		while (isalpha((unsigned char)*p))
			p++;
		if ((mo = month_of(w, (size_t)(p - w))) == 0)
			return MB_ERR_INVAL;
		while (*p == ' ')
			p++;
		v = strtol(p, &end, 10);
		if (end == p)
			return MB_ERR_INVAL;
		dd = (int)v;
		p = end;
		if (*p == ',')
			p++;
	} else {
		v = strtol(p, &end, 10);
		if (end == p || v < 1 || v > 31)
			return MB_ERR_INVAL;
		dd = (int)v;
		p = end;
		while (*p == ' ' || *p == '-')
			p++;
		w = p;
		while (*p != '\0' && *p != ' ' && *p != '-' && *p != '.')
			p++;
		if ((mo = month_of(w, (size_t)(p - w))) == 0)
			return MB_ERR_INVAL;
		if (*p == '.')
			p++;
	}
	while (*p == ' ' || *p == '-')
		p++;
	v = strtol(p, &end, 10);
	if (end == p || v < 0)
		return MB_ERR_INVAL;
	y = year_of(v);
	p = end;
	while (*p == ' ' || *p == ',')
		p++;
	if (isdigit((unsigned char)*p) && !time_of(&p, &h, &mi, &sec))
		return MB_ERR_INVAL;
	while (*p == ' ')
		p++;
	if (*p != '\0') {
		for (n = 0; n + 1 < sizeof(zone) && p[n] != '\0' && p[n] != ' ';
		    n++)
			zone[n] = p[n];
		zone[n] = '\0';
		if (!zone_of(zone, &off))
			return MB_ERR_INVAL;
	}
	return make_ms(y, mo, dd, h, mi, sec, off, ms);
}

/*
 * ISO 8601 as feeds write it: "YYYY-MM-DD", "YYYY-MM-DD HH:MM",
 * "YYYY-MM-DDTHH:MM:SS[.f][Z|±HH[:MM]]", and "YYYY/M/D HH:MM:SS".
 */
static int
iso(const char *s, int64_t *ms)
{
	const char	*p = s;
	char		*end;
	long		 y, mo, dd;
	int		 h = 0, mi = 0, sec = 0, off = 0;
	char		 sep;

	y = strtol(p, &end, 10);
	if (end - p != 4)
		return MB_ERR_INVAL;
	sep = *end;
	if (sep != '-' && sep != '/')
		return MB_ERR_INVAL;
	p = end + 1;
	mo = strtol(p, &end, 10);
	if (end == p || end - p > 2 || *end != sep)
		return MB_ERR_INVAL;
	p = end + 1;
	dd = strtol(p, &end, 10);
	if (end == p || end - p > 2)
		return MB_ERR_INVAL;
	p = end;
	if (*p == 'T' || *p == 't' || *p == ' ') {
		p++;
		if (!time_of(&p, &h, &mi, &sec))
			return MB_ERR_INVAL;
		while (*p == ' ')
			p++;
		if (*p != '\0' && !zone_of(p, &off))
			return MB_ERR_INVAL;
	} else if (*p != '\0')
		return MB_ERR_INVAL;
	return make_ms((int)y, (int)mo, (int)dd, h, mi, sec, off, ms);
}

int
mb_wire_date(const char *s, int64_t *ms)
{
	char	buf[128];
	size_t	n, i, j;
	int64_t	t;

	if (s == NULL)
		return MB_ERR_INVAL;
	while (isspace((unsigned char)*s))
		s++;
	n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	if (n == 0 || n >= sizeof(buf))
		return MB_ERR_INVAL;
	/* One space for any run of white space. */
	for (i = j = 0; i < n; i++) {
		if (isspace((unsigned char)s[i])) {
			if (j > 0 && buf[j - 1] != ' ')
				buf[j++] = ' ';
		} else
			buf[j++] = s[i];
	}
	buf[j] = '\0';
	if (mb_time_parse(buf, &t) != MB_OK && iso(buf, &t) != MB_OK &&
	    rfc822(buf, &t) != MB_OK)
		return MB_ERR_INVAL;
	/*
	 * Before 1970 is no feed's date (0000-01-01 is a placeholder) and
	 * NewsML-G2 out refuses the year 0; 0 is "no date" to the callers.
	 */
	if (t <= 0)
		return MB_ERR_INVAL;
	*ms = t;
	return MB_OK;
}
