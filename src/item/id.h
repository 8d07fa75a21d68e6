/* SPDX-License-Identifier: MIT */
/* Item ids: center ids, time-sortable local ids, urn:mediabridge uris. */
#ifndef MB_ITEM_ID_H
#define MB_ITEM_ID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MB_CENTER_MAX 32  /* longest center id */
#define MB_LOCAL_MAX 64	  /* longest local id */
#define MB_LOCAL_LEN 26	  /* a minted local id */
#define MB_URI_MAX (sizeof("urn:mediabridge::") + MB_CENTER_MAX + MB_LOCAL_MAX)

/* A center id: a lower-case letter, then up to 31 of [a-z0-9-]. */
bool mb_center_id_valid(const char *id);

/* A local id: 1 to 64 of [A-Za-z0-9_-] (safe in a URL path as it is). */
bool mb_local_id_valid(const char *local);

/*
 * Mints a local id without coordination: 48 bits of milliseconds since
 * the epoch and 80 random bits in Crockford base32, lower case, 26
 * characters (a ULID). Ids minted by one process sort by time, and
 * strictly increase even within one millisecond. Thread-safe.
 */
void mb_local_id_mint(char out[MB_LOCAL_LEN + 1]);

/* The millisecond timestamp inside a minted id, or -1. */
int64_t mb_local_id_time(const char *local);

/*
 * Splits "urn:mediabridge:<center>:<local>". center and local get NUL-
 * terminated copies. MB_OK or MB_ERR_INVAL.
 */
int mb_uri_parse(const char *uri, char center[MB_CENTER_MAX + 1],
    char local[MB_LOCAL_MAX + 1]);

/* Builds a uri; MB_ERR_INVAL when either part is not a valid id. */
int mb_uri_make(char *out, size_t n, const char *center, const char *local);

#endif
