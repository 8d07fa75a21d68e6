/* SPDX-License-Identifier: MIT */
/* Private to impact/: the country of an address (libloc), or "" when not known. */
#ifndef MB_IMPACT_GEO_H
#define MB_IMPACT_GEO_H

#include <stdbool.h>

#include "base/err.h"

struct mb_geo;

/*
 * path: libloc's database (NULL: the system's, /var/lib/location/
 * database.db from libloc-database; "": none). A missing database is no
 * error: every country is then unknown, and the log says so once.
 */
int mb_geo_open(const char *path, struct mb_geo **out);
void mb_geo_close(struct mb_geo *g);
/* Whether countries can be known. */
bool mb_geo_on(const struct mb_geo *g);
/* The ISO 3166 code of addr's country, or "". Not thread-safe. */
void mb_geo_country(struct mb_geo *g, const char *addr, char out[4]);

#endif
