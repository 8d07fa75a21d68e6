/* SPDX-License-Identifier: MIT */
/* Time: the clock in milliseconds and RFC 3339 date-times. */
#ifndef MB_BASE_TIMEUTIL_H
#define MB_BASE_TIMEUTIL_H

#include <stdint.h>
#include <stddef.h>

/* Milliseconds since the Unix epoch, wall clock. */
int64_t mb_time_now_ms(void);

/* Milliseconds from an arbitrary start, never going back. */
int64_t mb_time_mono_ms(void);

/* Room for "2026-11-29T14:27:11.123Z" and a NUL. */
#define MB_TIME_RFC3339_LEN 32

/* Formats ms as UTC "YYYY-MM-DDTHH:MM:SSZ" (".mmmZ" when ms % 1000). */
void mb_time_format(int64_t ms, char out[MB_TIME_RFC3339_LEN]);

/*
 * Parses an RFC 3339 date-time ("2026-11-29T14:27:11Z",
 * "2026-11-29T16:27:11.5+02:00"); checks every field's range, leap
 * days included. MB_OK, or MB_ERR_INVAL for anything else.
 */
int mb_time_parse(const char *s, int64_t *ms);

#endif
