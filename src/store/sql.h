/* SPDX-License-Identifier: MIT */
/* SQL both backends run, written once: the placeholder style is a parameter. */
#ifndef MB_STORE_SQL_H
#define MB_STORE_SQL_H

#include "base/buf.h"
#include "store/store_int.h"

/*
 * The statements of listing, search and translations number their
 * parameters by meaning, the same numbers on both backends (SQLite ?N,
 * PostgreSQL $N). A backend binds every number its statement kind uses,
 * whether or not the SQL built for one call names it: SQLite leaves a
 * parameter the SQL does not name alone, and PostgreSQL is told each
 * one's type. The macros below spell the numbers out; keep them equal.
 */
enum {
	MB_SQLP_MATCH = 1,	/* search: the query */
	MB_SQLP_LANG,		/* 2 */
	MB_SQLP_TYPE,		/* 3 */
	MB_SQLP_PROFILE,	/* 4 */
	MB_SQLP_CENTER,		/* 5 */
	MB_SQLP_TOPIC,		/* 6 */
	MB_SQLP_COUNTRY,	/* 7 */
	MB_SQLP_FROM,		/* 8: first_ms >= */
	MB_SQLP_TO,		/* 9: first_ms < (search's to, listing's before) */
	MB_SQLP_NOW,		/* 10 */
	MB_SQLP_AUD,		/* 11: audience bits */
	MB_SQLP_ID,		/* 12: an item id */
	MB_SQLP_URI,		/* 13 */
	MB_SQLP_ALL,		/* 14: everything visible (staff) */
	MB_SQLP_LO,		/* 15: lowest item id (SQLite's mb_bm25) */
	MB_SQLP_HI,		/* 16 */
	MB_SQLP_IDS,		/* 17: a JSON array of ids (SQLite's marks) */
	MB_SQLP_CUR_FIRST,	/* 18: listing's cursor */
	MB_SQLP_CUR_SEQ,	/* 19 */
	MB_SQLP_AUTHOR,		/* 20: listing's author */
	MB_SQLP_LIMIT,		/* 21 */
	MB_SQLP_COUNTRY_CENTERS, /* 22..: the listing's country's centers */
	MB_SQLP__COUNT
};

/*
 * What a reader or member may see of items i: published, usable, embargo
 * passed at NOW, audience among the AUD bits (public 1, network 2,
 * internal 4). A quiz (profile quiz: it holds its answer key) is read as
 * internal whatever its audience, as mb_policy_read_audience says.
 */
#define MB_SQL_VISIBLE(P) \
	"(i.workflow = 'published' AND i.pub_status = 'usable' AND " \
	"i.embargo_ms <= " P "10 AND ((CASE WHEN i.profile = 'quiz' THEN 4 " \
	"WHEN i.audience = 'public' THEN 1 WHEN i.audience = 'network' " \
	"THEN 2 ELSE 4 END) & " P "11) != 0)"

/* An item version's columns, from versions v (row order of the walkers). */
#define MB_SQL_VERSION_COLS \
	"v.seq, v.uri, v.version, v.center, v.local, v.origin, v.audience, " \
	"v.pub_status, v.workflow, v.language, v.type, v.profile, " \
	"v.headline, v.embargo_ms, v.created_ms, v.first_ms, " \
	"v.received_ms, v.envelope"

/*
 * A visible member of group URI in language LANG (prefer_language): the
 * hit itself (ID) when it is in that language, else the newest one.
 */
#define MB_SQL_PREFER(P) \
	"SELECT i.id FROM items i WHERE i.uri IN (SELECT " P "13 UNION ALL " \
	"SELECT uri FROM translations WHERE of_uri = " P "13) AND " \
	"(i.language = " P "2 OR i.language LIKE " P "2 || '-%') AND " \
	"(" P "14 OR " MB_SQL_VISIBLE(P) ") ORDER BY (i.id = " P "12) DESC, " \
	"i.id DESC LIMIT 1"

/*
 * The translation group of URI: the root is what URI translates, else
 * URI itself; members are the root and whatever translates it (one level
 * deep); the original first, then by language and uri in byte order (C:
 * the collation clause that gives byte order, "" where it is the default).
 */
#define MB_SQL_TRANSLATIONS(P, C) \
	"WITH g(root) AS (SELECT coalesce((SELECT of_uri FROM translations " \
	"WHERE uri = " P "13), " P "13)) " \
	"SELECT i.uri, i.language, v.headline, i.uri = g.root, t.by " \
	"FROM g, items i JOIN versions v ON v.seq = i.seq " \
	"LEFT JOIN translations t ON t.uri = i.uri " \
	"WHERE (i.uri = g.root OR i.uri IN (SELECT uri FROM translations " \
	"WHERE of_uri = g.root)) AND EXISTS (SELECT 1 FROM translations " \
	"WHERE uri = " P "13 OR of_uri = " P "13) AND (" P "14 OR " \
	MB_SQL_VISIBLE(P) ") ORDER BY i.uri = g.root DESC, i.language" C \
	" NULLS FIRST, i.uri" C

/* What differs between the backends' SQL besides the placeholders. */
struct mb_sql_dialect {
	enum mb_store_backend	 backend;	/* the placeholder style */
	/* The language's primary subtag in lower case, as the listing's
	 * index (migration 6) has it, over items i. */
	const char		*lang_primary;
};

/*
 * The listing statement for f: current versions (MB_SQL_VERSION_COLS),
 * newest first by firstCreated then seq. The page's rows are picked from
 * items alone and only then joined to their versions, so only the page's
 * envelopes are read. topic_order: item_topics has the items' order (the
 * scale domain), and a topic's page reads it in that order. ncenters: the
 * country's centers, 1 to MB_SQL_COUNTRY_ARMS, bound from parameter
 * MB_SQLP_COUNTRY_CENTERS on, one arm each merged in order; 0: the
 * country (if any) is a condition instead, and its matches are sorted.
 */
int mb_sql_list(struct mb_buf *q, const struct mb_sql_dialect *dl,
    const struct mb_store_filter *f, bool topic_order, int ncenters);

/* The most centers of one country listed by arms (above). */
#define MB_SQL_COUNTRY_ARMS	16

/*
 * The condition a search candidate (items i) must meet for q: its filters
 * and, unless q->all, MB_SQL_VISIBLE; "(true AND ...)".
 */
int mb_sql_search_ok(struct mb_buf *b, const struct mb_sql_dialect *dl,
    const struct mb_store_search_query *q);

#endif
