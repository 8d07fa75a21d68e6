/* SPDX-License-Identifier: MIT */
/* The PostgreSQL backend's fsck: the store's invariants and what is derived from the envelopes, checked and rebuilt. */
#include "pg_int.h"

#include <stdio.h>
#include <string.h>

/*
 * As sqlite_check.c: the envelope is the truth, each invariant a query
 * listing what breaks it and the statement that rebuilds it, in an
 * order where each fix leaves the next something to stand on. The topic
 * and translation rows are compared with what mb_topics_of and
 * mb_translation_of derive (migration 9), the functions mb_derive itself
 * calls, and rebuilt by mb_derive. PostgreSQL checks its own pages as it
 * reads them (amcheck is the operator's tool); a tsvector has no
 * integrity check of its own, so the index is compared by its rows.
 */
#define ITEM_FACTS "seq, version, center, audience, pub_status, workflow, " \
	"language, type, profile, embargo_ms, created_ms, first_ms"
#define VERSION_FACTS "v.seq, v.version, v.center, v.audience, " \
	"v.pub_status, v.workflow, v.language, v.type, v.profile, " \
	"v.embargo_ms, v.created_ms, v.first_ms"
#define HIGHEST "v.version = (SELECT max(w.version) FROM versions w " \
	"WHERE w.uri = v.uri)"
#define DIFFER(a, b) "(" a ".seq IS DISTINCT FROM " b ".seq OR " a \
	".version IS DISTINCT FROM " b ".version OR " a ".audience IS " \
	"DISTINCT FROM " b ".audience OR " a ".pub_status IS DISTINCT FROM " \
	b ".pub_status OR " a ".center IS DISTINCT FROM " b ".center OR " \
	a ".workflow IS DISTINCT FROM " b ".workflow OR " a ".language IS " \
	"DISTINCT FROM " b ".language OR " a ".type IS DISTINCT FROM " b \
	".type OR " a ".profile IS DISTINCT FROM " b ".profile OR " a \
	".embargo_ms IS DISTINCT FROM " b ".embargo_ms OR " a ".created_ms " \
	"IS DISTINCT FROM " b ".created_ms OR " a ".first_ms IS DISTINCT " \
	"FROM " b ".first_ms)"
/* Every item pointed at its highest version, with that version's facts. */
#define FIX_FACTS "UPDATE items SET (" ITEM_FACTS ") = (SELECT " \
	VERSION_FACTS " FROM versions v WHERE v.uri = items.uri ORDER BY " \
	"v.version DESC LIMIT 1) WHERE EXISTS (SELECT 1 FROM versions v " \
	"WHERE v.uri = items.uri AND " HIGHEST " AND " \
	DIFFER("v", "items") ")"
#define CURRENT "FROM items i JOIN versions v ON v.seq = i.seq"
#define TOPICS_DIFFER "SELECT i.uri " CURRENT ", LATERAL (SELECT " \
	"mb_json(v.envelope) AS e) j WHERE EXISTS (SELECT t FROM " \
	"mb_topics_of(j.e) t EXCEPT SELECT topic FROM item_topics WHERE " \
	"item_id = i.id) OR EXISTS (SELECT topic FROM item_topics WHERE " \
	"item_id = i.id EXCEPT SELECT t FROM mb_topics_of(j.e) t)"
#define TRANSLATION_DIFFERS "SELECT i.uri " CURRENT " LEFT JOIN " \
	"translations tr ON tr.uri = i.uri, LATERAL mb_translation_of(i.uri, " \
	"mb_json(v.envelope)) x WHERE x.o IS DISTINCT FROM tr.of_uri OR " \
	"(x.o IS NOT NULL AND x.b IS DISTINCT FROM tr.by)"
#define REDERIVE(find) "SELECT mb_derive(i.id, i.uri, v.envelope, false) " \
	CURRENT " WHERE i.uri IN (" find ")"

static const struct {
	const char *what;
	const char *find;
	const char *fix;
} invariants[] = {
	{ "item has no stored version",
	  "SELECT i.uri FROM items i WHERE NOT EXISTS (SELECT 1 FROM "
	  "versions v WHERE v.uri = i.uri)",
	  "DELETE FROM items WHERE NOT EXISTS (SELECT 1 FROM versions v "
	  "WHERE v.uri = items.uri)" },
	{ "item does not point at its highest version",
	  "SELECT i.uri FROM items i WHERE i.seq IS DISTINCT FROM (SELECT "
	  "v.seq FROM versions v WHERE v.uri = i.uri ORDER BY v.version DESC "
	  "LIMIT 1)",
	  FIX_FACTS },
	{ "item's facts differ from its current version",
	  "SELECT i.uri " CURRENT " WHERE v.uri IS DISTINCT FROM i.uri OR "
	  DIFFER("v", "i"),
	  FIX_FACTS },
	{ "version belongs to no item",
	  "SELECT v.uri FROM versions v WHERE NOT EXISTS (SELECT 1 FROM "
	  "items i WHERE i.uri = v.uri)",
	  "INSERT INTO items (uri, " ITEM_FACTS ") SELECT v.uri, "
	  VERSION_FACTS " FROM versions v WHERE " HIGHEST " AND NOT EXISTS "
	  "(SELECT 1 FROM items i WHERE i.uri = v.uri)" },
	{ "log counter behind the log",
	  "SELECT 'log_counter' FROM log_counter c WHERE c.seq < (SELECT "
	  "coalesce(max(seq), 0) FROM versions)",
	  "UPDATE log_counter SET seq = (SELECT coalesce(max(seq), 0) FROM "
	  "versions)" },
	{ "index row for no item",
	  "SELECT t.item_id::text FROM item_text t WHERE NOT EXISTS (SELECT 1 "
	  "FROM items i WHERE i.id = t.item_id)",
	  "DELETE FROM item_text t WHERE NOT EXISTS (SELECT 1 FROM items i "
	  "WHERE i.id = t.item_id)" },
	{ "item missing from the search index",
	  "SELECT i.uri FROM items i WHERE NOT EXISTS (SELECT 1 FROM "
	  "item_text t WHERE t.item_id = i.id) AND NOT EXISTS (SELECT 1 FROM "
	  "fts_pending p WHERE p.item_id = i.id)",
	  NULL /* every item is queued again at the end */ },
	{ "topic row for no item",
	  "SELECT DISTINCT t.item_id::text FROM item_topics t WHERE NOT EXISTS "
	  "(SELECT 1 FROM items i WHERE i.id = t.item_id)",
	  "DELETE FROM item_topics t WHERE NOT EXISTS (SELECT 1 FROM items i "
	  "WHERE i.id = t.item_id)" },
	{ "translation row for no item",
	  "SELECT t.uri FROM translations t WHERE NOT EXISTS (SELECT 1 FROM "
	  "items i WHERE i.uri = t.uri)",
	  "DELETE FROM translations t WHERE NOT EXISTS (SELECT 1 FROM items i "
	  "WHERE i.uri = t.uri)" },
	{ "queued for the index but no item",
	  "SELECT p.item_id::text FROM fts_pending p WHERE NOT EXISTS (SELECT "
	  "1 FROM items i WHERE i.id = p.item_id)",
	  "DELETE FROM fts_pending p WHERE NOT EXISTS (SELECT 1 FROM items i "
	  "WHERE i.id = p.item_id)" },
	{ "item's topics differ from its envelope",
	  TOPICS_DIFFER,
	  REDERIVE(TOPICS_DIFFER) },
	{ "item's translation link differs from its envelope",
	  TRANSLATION_DIFFERS,
	  REDERIVE(TRANSLATION_DIFFERS) },
};

#define NINVARIANTS (sizeof(invariants) / sizeof(invariants[0]))

/* The scale domain's copies (scale.c), checked after the rows they copy. */
#define COUNT_OF(c) "CASE " c " WHEN 'items' THEN (SELECT count(*) FROM " \
	"items) WHEN 'versions' THEN (SELECT count(*) FROM versions) WHEN " \
	"'pending_in' THEN (SELECT count(*) FROM fts_pending) ELSE 0 END"
static const struct {
	const char *what;
	const char *find;
	const char *fix;
} scale_invariants[] = {
	{ "topic row out of its item's listing order",
	  "SELECT DISTINCT t.item_id::text FROM item_topics t JOIN items i ON "
	  "i.id = t.item_id WHERE t.first_ms <> i.first_ms OR t.seq <> i.seq",
	  "UPDATE item_topics t SET first_ms = i.first_ms, seq = i.seq FROM "
	  "items i WHERE i.id = t.item_id AND (t.first_ms <> i.first_ms OR "
	  "t.seq <> i.seq)" },
	/* The queue's length is pending_in - pending_out. */
	{ "count differs from the rows counted",
	  "SELECT c.name FROM store_counts c WHERE c.name <> 'pending_out' "
	  "AND c.n - CASE c.name WHEN 'pending_in' THEN (SELECT n FROM "
	  "store_counts WHERE name = 'pending_out') ELSE 0 END <> "
	  COUNT_OF("c.name"),
	  "UPDATE store_counts SET n = " COUNT_OF("name") },
};

static int
fsck(struct mb_pg *pg, bool repair, bool has_scale,
    void (*report)(const char *problem, void *arg), void *arg, int *bad,
    struct mb_diag *d)
{
	struct mb_pg_res	*r;
	char			 line[512];
	int			 rc;

	for (size_t i = 0; i < NINVARIANTS; i++) {
		int n;

		if ((rc = mb_pg__run(pg, invariants[i].find, NULL, false, &r,
		    d)) != MB_OK)
			return rc;
		n = mb_pg__nrows(r);
		for (int k = 0; k < n; k++) {
			const char *s = mb_pg__str(r, k, 0);

			(*bad)++;
			snprintf(line, sizeof(line), "%s%s: %s", repair ?
			    "repaired: " : "", s != NULL ? s : "?",
			    invariants[i].what);
			if (report)
				report(line, arg);
		}
		mb_pg__free(r);
		if (repair && n > 0 && invariants[i].fix != NULL &&
		    (rc = mb_pg__run(pg, invariants[i].fix, NULL, false, NULL,
		    d)) != MB_OK)
			return rc;
	}
	for (size_t i = 0; has_scale && i < sizeof(scale_invariants) /
	    sizeof(scale_invariants[0]); i++) {
		int n;

		if ((rc = mb_pg__run(pg, scale_invariants[i].find, NULL, false,
		    &r, d)) != MB_OK)
			return rc;
		n = mb_pg__nrows(r);
		for (int k = 0; k < n; k++) {
			const char *s = mb_pg__str(r, k, 0);

			(*bad)++;
			snprintf(line, sizeof(line), "%s%s: %s", repair ?
			    "repaired: " : "", s != NULL ? s : "?",
			    scale_invariants[i].what);
			if (report)
				report(line, arg);
		}
		mb_pg__free(r);
		if (repair && n > 0 && (rc = mb_pg__run(pg,
		    scale_invariants[i].fix, NULL, false, NULL, d)) != MB_OK)
			return rc;
	}
	if (repair && (rc = mb_pg__run(pg, "INSERT INTO fts_pending SELECT id "
	    "FROM items ON CONFLICT DO NOTHING", NULL, false, NULL, d)) !=
	    MB_OK)
		return rc;
	return MB_OK;
}

int
mb_pg_check(struct mb_store *st,
    void (*report)(const char *problem, void *arg), void *arg,
    struct mb_diag *d)
{
	int bad = 0, rc;

	if ((rc = fsck(PG(st), false, mb_store__has_domain(st, "scale"),
	    report, arg, &bad, d)) != MB_OK)
		return rc;
	if (bad)
		return mb_diag_set(d, MB_ERR_CORRUPT,
		    "store: %d problem%s found", bad, bad == 1 ? "" : "s");
	return MB_OK;
}

int
mb_pg_repair(struct mb_store *st,
    void (*report)(const char *fixed, void *arg), void *arg,
    int *fixed, struct mb_diag *d)
{
	int bad = 0, rc;

	/* The log's lock too: no put between a fix and the next finding. */
	if ((rc = mb_pg_begin(st, d)) != MB_OK)
		return rc;
	if ((rc = fsck(PG(st), true, mb_store__has_domain(st, "scale"),
	    report, arg, &bad, d)) != MB_OK) {
		mb_pg_rollback(st);
		return rc;
	}
	if ((rc = mb_pg_commit(st, d)) != MB_OK)
		return rc;
	*fixed = bad;
	return MB_OK;
}

int
mb_pg_repair_version(struct mb_store *st, const struct mb_store_version *v,
    struct mb_diag *d)
{
	struct mb_pg_params	 p;
	struct mb_pg_res	*r;
	int64_t			 n;
	int			 rc;

	p.n = 0;
	mb_pg__p_int(&p, v->seq);
	mb_pg__p_text(&p, v->center);
	mb_pg__p_text(&p, v->local);
	mb_pg__p_text(&p, v->origin);
	mb_pg__p_text(&p, v->audience);
	mb_pg__p_text(&p, v->pub_status);
	mb_pg__p_text(&p, v->workflow);
	mb_pg__p_text(&p, v->language);
	mb_pg__p_text(&p, v->type);
	mb_pg__p_text(&p, v->profile);
	mb_pg__p_text(&p, v->headline);
	mb_pg__p_int(&p, v->embargo_ms);
	mb_pg__p_int(&p, v->created_ms);
	mb_pg__p_int(&p, v->first_ms);
	if ((rc = mb_pg__run(PG(st), "UPDATE versions SET center = $2, "
	    "local = $3, origin = $4, audience = $5, pub_status = $6, "
	    "workflow = $7, language = $8, type = $9, profile = $10, "
	    "headline = $11, embargo_ms = $12, created_ms = $13, "
	    "first_ms = $14 WHERE seq = $1", &p, false, &r, d)) !=
	    MB_OK)
		return rc;
	n = mb_pg__affected(r);
	mb_pg__free(r);
	if (n == 0)
		return mb_diag_set(d, MB_ERR_NOTFOUND, "store: no version "
		    "with seq %lld", (long long)v->seq);
	return MB_OK;
}
