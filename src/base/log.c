/* SPDX-License-Identifier: MIT */
/* Logging to stderr, one whole line per write so threads do not interleave. */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int level_set;
static enum mb_log_level current = MB_LOG_INFO;

static enum mb_log_level
level_from_env(void)
{
	const char *s = getenv("MB_LOG");

	if (s == NULL)
		return MB_LOG_INFO;
	if (strcmp(s, "debug") == 0)
		return MB_LOG_DEBUG;
	if (strcmp(s, "warn") == 0)
		return MB_LOG_WARN;
	if (strcmp(s, "error") == 0)
		return MB_LOG_ERROR;
	if (strcmp(s, "off") == 0)
		return MB_LOG_OFF;
	return MB_LOG_INFO;
}

void
mb_log_set_level(enum mb_log_level level)
{
	current = level;
	level_set = 1;
}

enum mb_log_level
mb_log_get_level(void)
{
	if (!level_set) {
		current = level_from_env();
		level_set = 1;
	}
	return current;
}

/*
 * "2026-12-05T20:53:05" for sec, worked out once a second per thread:
 * gmtime_r() takes glibc's time zone lock, which the server's threads,
 * each logging a line per request, met on every line.
 */
static const char *
second_stamp(time_t sec)
{
	static _Thread_local time_t	done = (time_t)-1;
	static _Thread_local char	stamp[80];	/* room for any int */
	struct tm			tm;

	if (sec != done) {
		gmtime_r(&sec, &tm);
		snprintf(stamp, sizeof(stamp), "%04d-%02d-%02dT%02d:%02d:%02d",
		    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		    tm.tm_min, tm.tm_sec);
		done = sec;
	}
	return stamp;
}

static const char *const names[] = { "debug", "info", "warn", "error" };

/* "2026-12-05T20:53:05.123Z info " into line (>= 64 bytes); its length. */
static size_t
prefix(char *line, enum mb_log_level level)
{
	struct timespec	 ts;
	const char	*st;
	size_t		 n, l;
	long		 ms;

	clock_gettime(CLOCK_REALTIME, &ts);
	st = second_stamp(ts.tv_sec);
	n = strlen(st);
	if (n > 32)
		n = 32;
	memcpy(line, st, n);
	ms = ts.tv_nsec / 1000000;
	line[n++] = '.';
	line[n++] = (char)('0' + ms / 100);
	line[n++] = (char)('0' + ms / 10 % 10);
	line[n++] = (char)('0' + ms % 10);
	line[n++] = 'Z';
	line[n++] = ' ';
	l = strlen(names[level]);
	memcpy(line + n, names[level], l);
	n += l;
	line[n++] = ' ';
	return n;
}

void
mb_log(enum mb_log_level level, const char *fmt, ...)
{
	char		 line[2048];
	va_list		 ap;
	int		 n, m;

	if (level < mb_log_get_level() || level >= MB_LOG_OFF)
		return;
	n = (int)prefix(line, level);
	va_start(ap, fmt);
	m = vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	if (m < 0)
		return;
	n += m;
	if ((size_t)n > sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	line[n++] = '\n';
	/* One write(2) keeps lines whole when several threads log. */
	(void)!write(STDERR_FILENO, line, (size_t)n);
}

void
mb_log_msg(enum mb_log_level level, const char *msg, size_t len)
{
	char	line[2048];
	size_t	n;

	if (level < mb_log_get_level() || level >= MB_LOG_OFF)
		return;
	n = prefix(line, level);
	if (len > sizeof(line) - n - 1)
		len = sizeof(line) - n - 1;
	memcpy(line + n, msg, len);
	n += len;
	line[n++] = '\n';
	(void)!write(STDERR_FILENO, line, n);
}
