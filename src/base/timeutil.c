/* SPDX-License-Identifier: MIT */
/* Clock readings and strict RFC 3339 date-times. */
#include "timeutil.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "err.h"

int64_t
mb_time_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t
mb_time_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
mb_time_format(int64_t ms, char out[MB_TIME_RFC3339_LEN])
{
	struct tm	tm;
	time_t		t;
	int64_t		frac;
	char		tmp[96];

	frac = ms % 1000;
	if (frac < 0) {
		frac += 1000;
		ms -= 1000;
	}
	t = (time_t)(ms / 1000);
	gmtime_r(&t, &tm);
	/* Formatted wide, then cut: years past 9999 do not fit the form. */
	if (frac != 0)
		snprintf(tmp, sizeof(tmp),
		    "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
		    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
		    (int)frac);
	else
		snprintf(tmp, sizeof(tmp),
		    "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
		    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	tmp[MB_TIME_RFC3339_LEN - 1] = '\0';
	memcpy(out, tmp, strlen(tmp) + 1);
}

static int
digits(const char **p, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if ((*p)[i] < '0' || (*p)[i] > '9')
			return -1;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*out = v;
	return 0;
}

static int
is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int
mb_time_parse(const char *s, int64_t *ms)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
		30, 31 };
	const char	*p = s;
	int		 y, mo, d, h, mi, sec, frac = 0, oh = 0, om = 0, sign = 0;
	int		 dim;
	int64_t		 v;

	if (s == NULL)
		return MB_ERR_INVAL;
	if (digits(&p, 4, &y) || *p++ != '-' || digits(&p, 2, &mo) ||
	    *p++ != '-' || digits(&p, 2, &d))
		return MB_ERR_INVAL;
	if (*p != 'T' && *p != 't' && *p != ' ')
		return MB_ERR_INVAL;
	p++;
	if (digits(&p, 2, &h) || *p++ != ':' || digits(&p, 2, &mi) ||
	    *p++ != ':' || digits(&p, 2, &sec))
		return MB_ERR_INVAL;
	if (*p == '.') {
		int n = 0;

		p++;
		if (*p < '0' || *p > '9')
			return MB_ERR_INVAL;
		while (*p >= '0' && *p <= '9') {
			if (n < 3)
				frac = frac * 10 + (*p - '0');
			n++;
			p++;
		}
		for (; n < 3; n++)
			frac *= 10;
	}
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		sign = *p == '+' ? 1 : -1;
		p++;
		if (digits(&p, 2, &oh) || *p++ != ':' || digits(&p, 2, &om))
			return MB_ERR_INVAL;
		if (oh > 23 || om > 59)
			return MB_ERR_INVAL;
	} else {
		return MB_ERR_INVAL;
	}
	if (*p != '\0')
		return MB_ERR_INVAL;
	if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || sec > 60)
		return MB_ERR_INVAL;
	dim = mdays[mo - 1] + (mo == 2 && is_leap(y));
	if (d > dim)
		return MB_ERR_INVAL;
	if (sec == 60)
		sec = 59; /* a leap second: keep it inside the minute */
	v = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
	v -= sign * (oh * 3600 + om * 60);
	*ms = v * 1000 + frac;
	return MB_OK;
}
