/* SPDX-License-Identifier: MIT */
/*
 * Campaigns: checking one as given, and its reach before, during and
 * after it. The store groups by one dimension and filters by one key or
 * one campaign at a time, so the reach is put together here by
 * inclusion and exclusion: (under its utm) + (its items) - (its items
 * under its utm). Views add up exactly; uniques are per aggregate and
 * day (docs/impact.md), so theirs are the same sums.
 */
#include "campaign.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "impact.h"

#define ITEMS_MAX 16

static bool
day_ok(const char *s)
{
	int n;

	return s != NULL && mb_impact_day_diff(s, s, &n) == MB_OK;
}

int
mb_campaign_item_key(const char *item, char *out, size_t n)
{
	const char	*p = item, *colon;
	size_t		 cl;

	if (strncmp(p, "urn:mediabridge:", 16) == 0) {
		p += 16;
		if ((colon = strchr(p, ':')) == NULL)
			return MB_ERR_INVAL;
		cl = (size_t)(colon - p);
		/* No "/" in either part: the key's one "/" splits them. */
		if (cl == 0 || cl > 32 || memchr(p, '/', cl) != NULL ||
		    strpbrk(colon + 1, ":/") != NULL || colon[1] == '\0' ||
		    cl + strlen(colon + 1) + 2 > n)
			return MB_ERR_INVAL;
		snprintf(out, n, "%.*s/%s", (int)cl, p, colon + 1);
	} else {
		const char *sl = strchr(p, '/');

		/*
		 * A center as long as a uri's may be: the key is kept as a
		 * uri, which must read back (a longer one made the
		 * campaign's reach fail on its own items).
		 */
		if (sl == NULL || sl == p || sl - p > 32 || sl[1] == '\0' ||
		    strchr(sl + 1, '/') != NULL || strlen(p) + 1 > n)
			return MB_ERR_INVAL;
		snprintf(out, n, "%s", p);
	}
	for (const char *c = out; *c != '\0'; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		    (*c >= '0' && *c <= '9') || *c == '-' || *c == '_' ||
		    *c == '.' || *c == '/'))
			return MB_ERR_INVAL;
	return MB_OK;
}

/* The items, one by one (by spaces or commas), as counter keys. */
static int
each_item(const char *items, int (*cb)(const char *key, void *arg), void *arg)
{
	char	tok[MB_IMPACT_KEY_MAX + 32], key[MB_IMPACT_KEY_MAX];
	int	rc = MB_OK;

	while (items != NULL && *items != '\0' && rc == MB_OK) {
		size_t n = strcspn(items, " ,\t\r\n");

		if (n > 0) {
			if (n >= sizeof(tok))
				return MB_ERR_INVAL;
			memcpy(tok, items, n);
			tok[n] = '\0';
			if (mb_campaign_item_key(tok, key, sizeof(key)) !=
			    MB_OK)
				return MB_ERR_INVAL;
			rc = cb(key, arg);
		}
		items += n;
		items += strspn(items, " ,\t\r\n");
	}
	return rc;
}

struct items_out {
	struct mb_campaign	*c;
	size_t			 len, count;
};

static int
put_item(const char *key, void *arg)
{
	struct items_out	*o = arg;
	const char		*sl = strchr(key, '/');
	int			 w;

	if (++o->count > ITEMS_MAX)
		return MB_ERR_TOOBIG;
	/* Kept as uris, the store's and the exchange's way of naming. */
	w = snprintf(o->c->items + o->len, sizeof(o->c->items) - o->len,
	    "%surn:mediabridge:%.*s:%s", o->len > 0 ? " " : "",
	    (int)(sl - key), key, sl + 1);
	if (w < 0 || (size_t)w >= sizeof(o->c->items) - o->len)
		return MB_ERR_TOOBIG;
	o->len += (size_t)w;
	return MB_OK;
}

int
mb_campaign_parse(const struct mb_campaign_args *a, struct mb_campaign *c,
    struct mb_diag *d)
{
	struct items_out	 o = { c, 0, 0 };
	char			 tag[MB_IMPACT_TAG_MAX];
	int			 span, rc;

	memset(c, 0, sizeof(*c));
	if (a->name == NULL || a->name[strspn(a->name, " \t")] == '\0' ||
	    strlen(a->name) >= sizeof(c->name))
		return mb_diag_set(d, MB_ERR_INVAL, "name: 1 to %zu bytes",
		    sizeof(c->name) - 1);
	for (const char *p = a->name; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20)
			return mb_diag_set(d, MB_ERR_INVAL, "name: no control "
			    "characters");
	mb_impact_tag(a->utm, tag);
	if (tag[0] == '\0')
		return mb_diag_set(d, MB_ERR_INVAL, "utm_campaign: 1 to 63 of "
		    "A-Z a-z 0-9 . _ -");
	if (a->topics != NULL && strlen(a->topics) >= sizeof(c->topics))
		return mb_diag_set(d, MB_ERR_INVAL, "topics: at most %zu "
		    "bytes", sizeof(c->topics) - 1);
	if (!day_ok(a->starts))
		return mb_diag_set(d, MB_ERR_INVAL, "starts: a day, "
		    "YYYY-MM-DD");
	if (a->ends != NULL && a->ends[0] != '\0') {
		if (!day_ok(a->ends))
			return mb_diag_set(d, MB_ERR_INVAL, "ends: a day, "
			    "YYYY-MM-DD, or none");
		mb_impact_day_diff(a->starts, a->ends, &span);
		if (span < 0)
			return mb_diag_set(d, MB_ERR_INVAL, "ends: before it "
			    "starts");
		if (span >= MB_IMPACT_SPAN_MAX)
			return mb_diag_set(d, MB_ERR_INVAL, "ends: a campaign "
			    "lasts at most %d days", MB_IMPACT_SPAN_MAX);
		snprintf(c->ends, sizeof(c->ends), "%s", a->ends);
	}
	snprintf(c->name, sizeof(c->name), "%s", a->name);
	snprintf(c->utm, sizeof(c->utm), "%s", tag);
	snprintf(c->topics, sizeof(c->topics), "%s", a->topics != NULL ?
	    a->topics : "");
	snprintf(c->starts, sizeof(c->starts), "%s", a->starts);
	rc = each_item(a->items, put_item, &o);
	if (rc == MB_ERR_TOOBIG)
		return mb_diag_set(d, MB_ERR_INVAL, "items: at most %d, in "
		    "%zu bytes", ITEMS_MAX, sizeof(c->items) - 1);
	if (rc != MB_OK)
		return mb_diag_set(d, MB_ERR_INVAL, "items: each a uri "
		    "(urn:mediabridge:<center>:<local>) or <center>/<local>");
	return MB_OK;
}

/* ---- Reach ------------------------------------------------------------ */

struct acc {
	struct mb_reach_row	*rows;
	size_t			*n;
	int			 sign;
	bool			 lang;
};

static void
add_row(struct mb_reach_row *rows, size_t *n, const char *key, int64_t v,
    int64_t u)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (strcmp(rows[i].key, key) == 0)
			break;
	if (i == *n) {
		if (*n >= MB_REACH_KEYS) {
			/*
			 * The rest, in one row, is the last one: once it is
			 * there *n is past MB_REACH_KEYS, and every further
			 * key must still land in it, never past the array.
			 */
			for (i = 0; i < *n; i++)
				if (strcmp(rows[i].key, "(other)") == 0)
					break;
			if (i == *n) {
				i = MB_REACH_KEYS;
				snprintf(rows[i].key, sizeof(rows->key),
				    "(other)");
				rows[i].views = rows[i].uniques = 0;
				*n = MB_REACH_KEYS + 1;
			}
		} else {
			snprintf(rows[i].key, sizeof(rows->key), "%s", key);
			rows[i].views = rows[i].uniques = 0;
			(*n)++;
		}
	}
	rows[i].views += v;
	rows[i].uniques += u;
}

static int
on_row(const struct mb_impact_row *r, void *arg)
{
	struct acc *a = arg;

	add_row(a->rows, a->n, a->lang ? r->lang : r->country,
	    a->sign * r->views, a->sign * r->uniques);
	return MB_OK;
}

struct one {
	struct mb_store		*st;
	struct mb_reach_period	*p;
	const char		*utm;
	struct mb_diag		*d;
};

/* Adds (sign) the views of key (NULL: any) under campaign (NULL: any). */
static int
add_query(struct one *o, const char *key, const char *campaign, int sign)
{
	struct mb_impact_query	q;
	struct acc		a;
	int			rc;

	memset(&q, 0, sizeof(q));
	snprintf(q.from, sizeof(q.from), "%s", o->p->from);
	snprintf(q.to, sizeof(q.to), "%s", o->p->to);
	q.kind = key != NULL ? "item" : NULL;
	q.key = key;
	q.campaign = campaign;
	q.limit = MB_IMPACT_ROWS_MAX;
	q.by = MB_IMPACT_BY_COUNTRY;
	a = (struct acc){ o->p->country, &o->p->ncountry, sign, false };
	if ((rc = mb_store_impact_query(o->st, &q, on_row, &a, o->d)) != MB_OK)
		return rc;
	q.by = MB_IMPACT_BY_LANGUAGE;
	a = (struct acc){ o->p->lang, &o->p->nlang, sign, true };
	return mb_store_impact_query(o->st, &q, on_row, &a, o->d);
}

static int
item_cb(const char *key, void *arg)
{
	struct one	*o = arg;
	int		 rc;

	if ((rc = add_query(o, key, NULL, 1)) != MB_OK)
		return rc;
	return add_query(o, key, o->utm, -1);
}

static int
cmp_rows(const void *a, const void *b)
{
	const struct mb_reach_row *x = a, *y = b;

	if (x->views != y->views)
		return x->views > y->views ? -1 : 1;
	return strcmp(x->key, y->key);
}

/* Drops the rows that came to nothing, sorts, and sums the period. */
static void
settle(struct mb_reach_period *p)
{
	struct mb_reach_row	*sets[2] = { p->country, p->lang };
	size_t			*ns[2] = { &p->ncountry, &p->nlang };

	for (int s = 0; s < 2; s++) {
		size_t k = 0;

		for (size_t i = 0; i < *ns[s]; i++) {
			if (sets[s][i].views <= 0)
				continue;
			if (sets[s][i].uniques < 0)
				sets[s][i].uniques = 0;
			sets[s][k++] = sets[s][i];
		}
		*ns[s] = k;
		qsort(sets[s], k, sizeof(*sets[s]), cmp_rows);
	}
	p->views = p->uniques = 0;
	for (size_t i = 0; i < p->ncountry; i++) {
		p->views += p->country[i].views;
		p->uniques += p->country[i].uniques;
	}
}

int
mb_campaign_reach(struct mb_store *st, const struct mb_campaign *c,
    const char *today, struct mb_reach_period out[MB_REACH__N],
    struct mb_diag *d)
{
	char	end[MB_IMPACT_DAY_LEN + 1];
	int	len, rc;

	memset(out, 0, sizeof(*out) * MB_REACH__N);
	if (!day_ok(c->starts) || !day_ok(today))
		return mb_diag_set(d, MB_ERR_INVAL, "campaign: starts: not a "
		    "day");
	/* Its length: its dates, or up to today while it is open. */
	snprintf(end, sizeof(end), "%s", c->ends[0] != '\0' ? c->ends : today);
	if (mb_impact_day_diff(c->starts, end, &len) != MB_OK || len < 0)
		len = 0;
	len++;
	if (len > MB_IMPACT_SPAN_MAX)
		len = MB_IMPACT_SPAN_MAX;
	mb_impact_day_add(c->starts, -len, out[MB_REACH_BEFORE].from);
	mb_impact_day_add(c->starts, -1, out[MB_REACH_BEFORE].to);
	snprintf(out[MB_REACH_DURING].from, sizeof(out->from), "%s",
	    c->starts);
	mb_impact_day_add(c->starts, len - 1, out[MB_REACH_DURING].to);
	mb_impact_day_add(out[MB_REACH_DURING].to, 1,
	    out[MB_REACH_AFTER].from);
	mb_impact_day_add(out[MB_REACH_DURING].to, len,
	    out[MB_REACH_AFTER].to);
	for (int i = 0; i < MB_REACH__N; i++) {
		struct mb_reach_period	*p = &out[i];
		struct one		 o = { st, p, c->utm, d };

		/* Nothing is counted after today: a period not begun is empty. */
		if (strcmp(p->from, today) > 0) {
			p->empty = true;
			continue;
		}
		if (strcmp(p->to, today) > 0)
			snprintf(p->to, sizeof(p->to), "%s", today);
		if ((rc = add_query(&o, NULL, c->utm, 1)) != MB_OK ||
		    (rc = each_item(c->items, item_cb, &o)) != MB_OK)
			return rc == MB_ERR_INVAL ? mb_diag_set(d, rc,
			    "campaign: items: not uris") : rc;
		settle(p);
	}
	return MB_OK;
}
