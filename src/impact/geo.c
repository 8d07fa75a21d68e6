/* SPDX-License-Identifier: MIT */
/* The country of an address, from libloc's database when it is installed; nothing finer. */
#include "geo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"

#ifdef MB_HAVE_LIBLOC
#include <libloc/database.h>
#include <libloc/libloc.h>
#include <libloc/network.h>
#endif

#define SYSTEM_DB "/var/lib/location/database.db"

struct mb_geo {
#ifdef MB_HAVE_LIBLOC
	struct loc_ctx		*ctx;
	struct loc_database	*db;
#endif
	int			 unused;
};

int
mb_geo_open(const char *path, struct mb_geo **out)
{
	struct mb_geo *g;

	*out = NULL;
	if ((g = calloc(1, sizeof(*g))) == NULL)
		return MB_ERR_NOMEM;
#ifdef MB_HAVE_LIBLOC
	if (path == NULL)
		path = SYSTEM_DB;
	if (path[0] != '\0') {
		FILE *f = fopen(path, "r");

		if (f == NULL) {
			log_info("impact: geo=off db=%s (countries are "
			    "\"unknown\"; install libloc-database)", path);
		} else if (loc_new(&g->ctx) != 0 ||
		    loc_database_new(g->ctx, &g->db, f) != 0) {
			log_warn("impact: geo=off db=%s: not a libloc "
			    "database", path);
			g->db = NULL;
		}
		if (f != NULL)
			fclose(f);
	}
#else
	(void)path;
	log_info("impact: geo=off (built without libloc: countries are "
	    "\"unknown\")");
#endif
	*out = g;
	return MB_OK;
}

void
mb_geo_close(struct mb_geo *g)
{
	if (g == NULL)
		return;
#ifdef MB_HAVE_LIBLOC
	if (g->db != NULL)
		loc_database_unref(g->db);
	if (g->ctx != NULL)
		loc_unref(g->ctx);
#endif
	free(g);
}

void
mb_geo_country(struct mb_geo *g, const char *addr, char out[4])
{
	out[0] = '\0';
#ifdef MB_HAVE_LIBLOC
	if (g != NULL && g->db != NULL && addr != NULL) {
		struct loc_network	*net = NULL;
		const char		*cc;

		if (loc_database_lookup_from_string(g->db, addr, &net) == 0 &&
		    net != NULL) {
			cc = loc_network_get_country_code(net);
			if (cc != NULL && strlen(cc) == 2 && cc[0] >= 'A' &&
			    cc[0] <= 'Z' && cc[1] >= 'A' && cc[1] <= 'Z')
				snprintf(out, 4, "%s", cc);
			loc_network_unref(net);
		}
	}
#else
	(void)g;
	(void)addr;
#endif
}

bool
mb_geo_on(const struct mb_geo *g)
{
#ifdef MB_HAVE_LIBLOC
	return g != NULL && g->db != NULL;
#else
	(void)g;
	return false;
#endif
}
