/* SPDX-License-Identifier: MIT */
/* What both backends' search share: the checks, recency ranking, one hit per translation group, leads. */
#include "store_int.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/hash.h"

/*
 * Recency (docs/search.md, "Ranking"): score = relevance * (1 + BOOST *
 * 2^(-age / HALF_LIFE)). A story from today gets up to twice its
 * relevance; one a week old one and a half; a year-old story keeps its
 * bare relevance (bm25 on SQLite, ts_rank on PostgreSQL).
 */
#define BOOST		1.0
#define HALF_LIFE_MS	(7.0 * 24 * 3600 * 1000)

#define LEAD_CHARS	240	/* a translation's lead when it did not match */

int
mb_store__search_check(const struct mb_store_search_query *q,
    struct mb_diag *d)
{
	if (q->match == NULL || q->match[0] == '\0')
		return mb_diag_set(d, MB_ERR_INVAL, "search: empty query");
	if (q->limit < 1 || q->limit > MB_STORE_SEARCH_MAX_LIMIT)
		return mb_diag_set(d, MB_ERR_INVAL,
		    "search: limit must be from 1 to %d",
		    MB_STORE_SEARCH_MAX_LIMIT);
	if (q->offset < 0 || q->offset > MB_STORE_SEARCH_CANDIDATES - q->limit)
		return mb_diag_set(d, MB_ERR_INVAL,
		    "search: offset must be from 0 to %d (only the best %d "
		    "hits are ranked)", MB_STORE_SEARCH_CANDIDATES - q->limit,
		    MB_STORE_SEARCH_CANDIDATES);
	return MB_OK;
}

static int
cmp_cand(const void *a, const void *b)
{
	const struct mb_store__cand *x = a, *y = b;

	if (x->score != y->score)
		return x->score < y->score ? 1 : -1;
	return x->id < y->id ? 1 : x->id > y->id ? -1 : 0;
}

/*
 * Keeps the best-ranked candidate of each translation group (c is best
 * first), in one pass over a set of the groups seen: a common word's
 * thousand candidates compared each with every one kept before took a
 * tenth of a search page. Without memory for the set, compares so.
 */
static int
dedupe(struct mb_store__cand *c, int n)
{
	const char	**set;
	size_t		  cap = 16, mask;
	int		  k = 0;

	while (cap < (size_t)n * 2)
		cap *= 2;
	mask = cap - 1;
	set = calloc(cap, sizeof(*set));
	for (int i = 0; i < n; i++) {
		bool seen = false;

		if (c[i].group != NULL && set != NULL) {
			size_t at = (size_t)mb_fnv1a(MB_FNV1A_START,
			    c[i].group) & mask;

			while (set[at] != NULL && !(seen = strcmp(set[at],
			    c[i].group) == 0))
				at = (at + 1) & mask;
			if (!seen)
				set[at] = c[i].group;
		}
		for (int j = 0; set == NULL && j < k && c[i].group != NULL; j++)
			if (c[j].group != NULL &&
			    strcmp(c[j].group, c[i].group) == 0) {
				seen = true;
				break;
			}
		if (seen) {
			free(c[i].group);
			continue;
		}
		c[k++] = c[i];
	}
	free(set);
	return k;
}

void
mb_store__rank(struct mb_store__cand *c, int *n, int64_t now, bool dd)
{
	for (int i = 0; i < *n; i++) {
		double age = (double)(now - c[i].first_ms);

		if (age < 0)
			age = 0;
		c[i].score = c[i].bm25 * (1.0 + BOOST *
		    exp2(-age / HALF_LIFE_MS));
	}
	qsort(c, (size_t)*n, sizeof(*c), cmp_cand);
	if (dd)
		*n = dedupe(c, *n);
}

void
mb_store__cands_free(struct mb_store__cand *c, int n)
{
	if (c == NULL)
		return;
	for (int i = 0; i < n; i++)
		free(c[i].group);
	free(c);
}

int
mb_store__lead(const char *body, struct mb_buf *out)
{
	size_t n = 0, i = 0, cut = 0;

	while (body[i] != '\0' && n < LEAD_CHARS) {
		if (body[i] == ' ' || body[i] == '\n')
			cut = i;
		if (((unsigned char)body[i] & 0xc0) != 0x80)
			n++;
		i++;
	}
	while (body[i] != '\0' && ((unsigned char)body[i] & 0xc0) == 0x80)
		i++;
	if (body[i] == '\0')
		return mb_buf_puts(out, body);
	if (cut == 0)
		cut = i;
	if (mb_buf_append(out, body, cut) != MB_OK)
		return MB_ERR_NOMEM;
	return mb_buf_puts(out, "…");
}
