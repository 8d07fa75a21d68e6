/* SPDX-License-Identifier: MIT */
/* Logging: one line per event, a subsystem prefix and key=value fields. */
#ifndef MB_BASE_LOG_H
#define MB_BASE_LOG_H

#include <stddef.h>

enum mb_log_level {
	MB_LOG_DEBUG = 0,
	MB_LOG_INFO = 1,
	MB_LOG_WARN = 2,
	MB_LOG_ERROR = 3,
	MB_LOG_OFF = 4
};

/*
 * Lines go to stderr as "2026-11-29T14:27:11.123Z info sync: peer=cairo ...".
 * The level starts from $MB_LOG (debug, info, warn, error, off) or info.
 * Never log keys, tokens, passwords or request bodies.
 */
void mb_log_set_level(enum mb_log_level level);
enum mb_log_level mb_log_get_level(void);
void mb_log(enum mb_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/*
 * The same for a line already written (len bytes, no newline), without
 * printf: the server's access line, one per request.
 */
void mb_log_msg(enum mb_log_level level, const char *msg, size_t len);

#define log_debug(...) mb_log(MB_LOG_DEBUG, __VA_ARGS__)
#define log_info(...) mb_log(MB_LOG_INFO, __VA_ARGS__)
#define log_warn(...) mb_log(MB_LOG_WARN, __VA_ARGS__)
#define log_error(...) mb_log(MB_LOG_ERROR, __VA_ARGS__)

#endif
