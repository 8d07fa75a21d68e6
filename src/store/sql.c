/* SPDX-License-Identifier: MIT */
/* The listing's and the search's filters and visibility as SQL, once for both backends. */
#include "sql.h"

#include <string.h>

/*
 * Each condition, written once as a macro of the placeholder prefix and
 * spelled out for both backends at compile time: building a statement is
 * appending constant strings, as it was before the backends shared them.
 * Every value is a parameter (sql.h's numbers), never pasted into the SQL.
 */
enum {
	W_LANG,			/* the tag, or a tag with subtags */
	W_LANG_EQ,		/* after the dialect's lang_primary */
	W_LANG_CI,		/* W_LANG in any case (search's candidates) */
	W_TYPE,
	W_PROFILE,
	W_CENTER,
	W_TOPIC_IN,		/* the topic's rows first (listing) */
	W_TOPIC_EXISTS,		/* one probe per candidate (search) */
	W_COUNTRY,
	W_FROM,
	W_TO,
	W_CURSOR,
	W_VISIBLE,
	W_VISIBLE_OR_AUTHOR,
	W__COUNT
};

#define WHERE_SQL(P) { \
	[W_LANG] = " AND (i.language = " P "2 OR i.language LIKE " P "2 " \
	    "|| '-%')", \
	[W_LANG_EQ] = " = lower(" P "2)", \
	[W_LANG_CI] = " AND (lower(i.language) = lower(" P "2) OR " \
	    "lower(i.language) LIKE lower(" P "2) || '-%')", \
	[W_TYPE] = " AND i.type = " P "3", \
	[W_PROFILE] = " AND i.profile = " P "4", \
	[W_CENTER] = " AND i.center = " P "5", \
	[W_TOPIC_IN] = " AND i.id IN (SELECT item_id FROM item_topics " \
	    "WHERE topic = lower(" P "6))", \
	[W_TOPIC_EXISTS] = " AND EXISTS (SELECT 1 FROM item_topics tp " \
	    "WHERE tp.topic = lower(" P "6) AND tp.item_id = i.id)", \
	[W_COUNTRY] = " AND i.center IN (SELECT id FROM centers WHERE " \
	    "country = " P "7)", \
	[W_FROM] = " AND i.first_ms >= " P "8", \
	[W_TO] = " AND i.first_ms < " P "9", \
	[W_CURSOR] = " AND (i.first_ms < " P "18 OR (i.first_ms = " P "18 " \
	    "AND i.seq < " P "19))", \
	[W_VISIBLE] = " AND " MB_SQL_VISIBLE(P), \
	[W_VISIBLE_OR_AUTHOR] = " AND (" MB_SQL_VISIBLE(P) " OR EXISTS " \
	    "(SELECT 1 FROM item_authors a WHERE a.uri = i.uri AND " \
	    "a.user_id = " P "20))", \
}

static const char *const where_sql[MB_STORE__BACKENDS][W__COUNT] = {
	[MB_STORE_SQLITE] = WHERE_SQL("?"),
	[MB_STORE_PG] = WHERE_SQL("$"),
};

/*
 * The listing, in three shapes (docs/store.md, "Counts and long lists"),
 * each reading an index in listing order and stopping after the page:
 * items alone; a topic's rows (item_topics_list, with the item's order
 * beside each topic: the scale domain) each joined to its item; or, for
 * a country of several centers, one arm per center (items_center_list)
 * merged in order by UNION ALL. Only the page's rows are then joined to
 * their versions.
 */
#define LIST_HEAD "SELECT " MB_SQL_VERSION_COLS " FROM ("
#define LIST_TAIL(P) " LIMIT " P "21) x JOIN versions v ON v.seq = x.seq " \
	"ORDER BY x.first_ms DESC, x.seq DESC"

static const char *const list_tail[MB_STORE__BACKENDS] = {
	[MB_STORE_SQLITE] = LIST_TAIL("?"),
	[MB_STORE_PG] = LIST_TAIL("$"),
};

/* A topic's rows, in order: the same conditions on tp's copies. */
#define TOPIC_SQL(P) { \
	" AND i.id = tp.item_id AND tp.topic = lower(" P "6)", \
	" AND tp.first_ms < " P "9", \
	" AND (tp.first_ms < " P "18 OR (tp.first_ms = " P "18 AND " \
	"tp.seq < " P "19))", \
}

static const char *const topic_sql[MB_STORE__BACKENDS][3] = {
	[MB_STORE_SQLITE] = TOPIC_SQL("?"),
	[MB_STORE_PG] = TOPIC_SQL("$"),
};

/* One arm: the filters of f over items i (and tp by topic). */
static int
list_arm(struct mb_buf *q, const struct mb_sql_dialect *dl,
    const struct mb_store_filter *f, bool by_topic, int center)
{
	const char *const	*w = where_sql[dl->backend];
	const char *const	*t = topic_sql[dl->backend];
	int			 rc = 0;

	/* SQLite's CROSS JOIN keeps tp the outer loop, in index order. */
	rc |= mb_buf_puts(q, by_topic ? "SELECT i.seq AS seq, i.first_ms AS "
	    "first_ms FROM item_topics tp CROSS JOIN items i WHERE true" :
	    "SELECT i.seq AS seq, i.first_ms AS first_ms FROM items i WHERE "
	    "true");
	if (by_topic)
		rc |= mb_buf_puts(q, t[0]);
	if (center > 0)
		rc |= mb_buf_printf(q, " AND i.center = %c%d",
		    dl->backend == MB_STORE_PG ? '$' : '?', center);
	/* A primary subtag reads items_lang_list (migration 6). */
	if (f->language != NULL && strchr(f->language, '-') == NULL) {
		rc |= mb_buf_puts(q, " AND ");
		rc |= mb_buf_puts(q, dl->lang_primary);
		rc |= mb_buf_puts(q, w[W_LANG_EQ]);
	} else if (f->language != NULL) {
		rc |= mb_buf_puts(q, w[W_LANG]);
	}
	if (f->type != NULL)
		rc |= mb_buf_puts(q, w[W_TYPE]);
	if (f->profile != NULL)
		rc |= mb_buf_puts(q, w[W_PROFILE]);
	if (f->center != NULL)
		rc |= mb_buf_puts(q, w[W_CENTER]);
	/* Without the scale domain: the topic's rows first, then sorted. */
	if (f->topic != NULL && !by_topic)
		rc |= mb_buf_puts(q, w[W_TOPIC_IN]);
	if (f->country != NULL && center == 0)
		rc |= mb_buf_puts(q, w[W_COUNTRY]);
	if (f->before_ms > 0)
		rc |= mb_buf_puts(q, by_topic ? t[1] : w[W_TO]);
	if (f->cursor_seq > 0)
		rc |= mb_buf_puts(q, by_topic ? t[2] : w[W_CURSOR]);
	if (!f->all)
		rc |= mb_buf_puts(q, w[f->author_id != 0 ?
		    W_VISIBLE_OR_AUTHOR : W_VISIBLE]);
	return rc != 0 ? MB_ERR_NOMEM : MB_OK;
}

int
mb_sql_list(struct mb_buf *q, const struct mb_sql_dialect *dl,
    const struct mb_store_filter *f, bool topic_order, int ncenters)
{
	bool	by_topic = f->topic != NULL && topic_order;
	int	rc = 0;

	rc |= mb_buf_puts(q, LIST_HEAD);
	if (by_topic || ncenters <= 1) {
		rc |= list_arm(q, dl, f, by_topic, !by_topic && ncenters == 1 ?
		    MB_SQLP_COUNTRY_CENTERS : 0);
		rc |= mb_buf_puts(q, by_topic ? " ORDER BY tp.first_ms DESC, "
		    "tp.seq DESC" : " ORDER BY i.first_ms DESC, i.seq DESC");
	} else {
		/*
		 * Each arm reads its center's index (items_center_list) in
		 * order. SQLite merges the arms in order (MERGE (UNION ALL))
		 * and stops after the page. PostgreSQL does not merge them
		 * (an arm's center is not a constant of the whole query), so
		 * each arm stops after a page itself and the page is sorted
		 * out of those few rows.
		 */
		bool pg = dl->backend == MB_STORE_PG;

		for (int k = 0; k < ncenters; k++) {
			if (k > 0)
				rc |= mb_buf_puts(q, " UNION ALL ");
			if (pg)
				rc |= mb_buf_puts(q, "(");
			rc |= list_arm(q, dl, f, false,
			    MB_SQLP_COUNTRY_CENTERS + k);
			if (pg)
				rc |= mb_buf_puts(q, " ORDER BY i.first_ms "
				    "DESC, i.seq DESC LIMIT $21)");
		}
		rc |= mb_buf_puts(q, " ORDER BY first_ms DESC, seq DESC");
	}
	rc |= mb_buf_puts(q, list_tail[dl->backend]);
	return rc != 0 ? MB_ERR_NOMEM : MB_OK;
}

int
mb_sql_search_ok(struct mb_buf *b, const struct mb_sql_dialect *dl,
    const struct mb_store_search_query *q)
{
	const char *const	*w = where_sql[dl->backend];
	int			 rc = mb_buf_puts(b, "(true");

	/* A language tag is case-insensitive (RFC 5646 2.1.1). */
	if (q->language != NULL)
		rc |= mb_buf_puts(b, w[W_LANG_CI]);
	if (q->type != NULL)
		rc |= mb_buf_puts(b, w[W_TYPE]);
	if (q->profile != NULL)
		rc |= mb_buf_puts(b, w[W_PROFILE]);
	if (q->center != NULL)
		rc |= mb_buf_puts(b, w[W_CENTER]);
	if (q->topic != NULL)
		rc |= mb_buf_puts(b, w[W_TOPIC_EXISTS]);
	if (q->country != NULL)
		rc |= mb_buf_puts(b, w[W_COUNTRY]);
	if (q->from_ms != 0)
		rc |= mb_buf_puts(b, w[W_FROM]);
	if (q->to_ms != 0)
		rc |= mb_buf_puts(b, w[W_TO]);
	if (!q->all)
		rc |= mb_buf_puts(b, w[W_VISIBLE]);
	rc |= mb_buf_puts(b, ")");
	return rc != 0 ? MB_ERR_NOMEM : MB_OK;
}
