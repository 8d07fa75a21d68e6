/* SPDX-License-Identifier: MIT */
/* The PostgreSQL side of the bundles domain: its migrations and its calls. */
#include "pg_int.h"
#include "store/bundles_int.h"

const char *const mb_pg_bundles_migrations[] = {
	/* 1: how far bundles took each log, in and out. */
	"CREATE TABLE bundles_marks ("
	"  direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),"
	"  center TEXT NOT NULL,"
	"  through BIGINT NOT NULL,"
	"  manifest TEXT NOT NULL,"
	"  at_ms BIGINT NOT NULL,"
	"  PRIMARY KEY (direction, center));",
	NULL
};

static int
mark(struct mb_store *st, const char *direction, const char *center,
    struct mb_bundle_mark *out, struct mb_diag *d)
{
	struct mb_pg_params p;

	p.n = 0;
	mb_pg__p_text(&p, direction);
	mb_pg__p_text(&p, center);
	return mb_pg__one(PG(st), "SELECT " MB_STORE_BUNDLE_MARK_COLS
	    " FROM bundles_marks WHERE direction = $1 AND center = $2", &p,
	    false, &mb_store__bundle_mark_cols, out, d);
}

static int
mark_set(struct mb_store *st, const char *direction,
    const struct mb_bundle_mark *m, struct mb_diag *d)
{
	struct mb_pg_params p;

	p.n = 0;
	mb_pg__p_text(&p, direction);
	mb_pg__p_text(&p, m->center);
	mb_pg__p_int(&p, m->through);
	mb_pg__p_text(&p, m->manifest);
	mb_pg__p_int(&p, m->at_ms);
	return mb_pg__run(PG(st), "INSERT INTO bundles_marks (direction, "
	    MB_STORE_BUNDLE_MARK_COLS ") VALUES ($1, $2, $3, $4, $5) ON "
	    "CONFLICT (direction, center) DO UPDATE SET through = "
	    "greatest(bundles_marks.through, excluded.through), manifest = "
	    "excluded.manifest, at_ms = excluded.at_ms", &p, false, NULL, d);
}

const struct mb_store_bundles_ops mb_pg_bundles = {
	.mark = mark, .mark_set = mark_set,
};
