/* SPDX-License-Identifier: MIT */
/* Stats requests: their arguments checked once for every door, and their rows as JSON and CSV. */
#include "impact.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"

static const char *const by_names[MB_IMPACT_BY__N] = {
	[MB_IMPACT_BY_DAY] = "day",
	[MB_IMPACT_BY_ITEM] = "item",
	[MB_IMPACT_BY_LANGUAGE] = "language",
	[MB_IMPACT_BY_COUNTRY] = "country",
	[MB_IMPACT_BY_REFERRER] = "referrer",
	[MB_IMPACT_BY_CAMPAIGN] = "campaign",
	[MB_IMPACT_BY_CENTER] = "center",
	[MB_IMPACT_BY_SOURCE] = "source",
};

const char *
mb_impact_by_name(enum mb_impact_by by)
{
	return (unsigned)by < MB_IMPACT_BY__N ? by_names[by] : "?";
}

static bool
kind_ok(const char *k)
{
	return strcmp(k, "item") == 0 || strcmp(k, "page") == 0 ||
	    strcmp(k, "feed") == 0 || strcmp(k, "media") == 0;
}

int
mb_impact_args_parse(const struct mb_impact_args *a, const char *self,
    const char *today, struct mb_impact_query *q, struct mb_diag *d)
{
	int	span;
	char	*end;
	long	lim;

	memset(q, 0, sizeof(*q));
	q->by = MB_IMPACT_BY_DAY;
	if (a->by != NULL) {
		int i;

		for (i = 0; i < MB_IMPACT_BY__N; i++)
			if (strcmp(a->by, by_names[i]) == 0)
				break;
		if (i == MB_IMPACT_BY__N)
			return mb_diag_set(d, MB_ERR_INVAL, "by: one of item, "
			    "language, country, referrer, campaign, center, "
			    "day, source");
		q->by = (enum mb_impact_by)i;
	}
	if (a->to != NULL) {
		if (strlen(a->to) != MB_IMPACT_DAY_LEN ||
		    mb_impact_day_add(a->to, 0, q->to) != MB_OK)
			return mb_diag_set(d, MB_ERR_INVAL, "to: not a day "
			    "(YYYY-MM-DD)");
	} else {
		memcpy(q->to, today, MB_IMPACT_DAY_LEN + 1);
	}
	if (a->from != NULL) {
		if (strlen(a->from) != MB_IMPACT_DAY_LEN ||
		    mb_impact_day_add(a->from, 0, q->from) != MB_OK)
			return mb_diag_set(d, MB_ERR_INVAL, "from: not a day "
			    "(YYYY-MM-DD)");
	} else if (mb_impact_day_add(q->to, -29, q->from) != MB_OK) {
		return mb_diag_set(d, MB_ERR_INVAL, "to: not a day");
	}
	if (mb_impact_day_diff(q->from, q->to, &span) != MB_OK || span < 0)
		return mb_diag_set(d, MB_ERR_INVAL, "from: after to");
	if (span + 1 > MB_IMPACT_SPAN_MAX)
		return mb_diag_set(d, MB_ERR_INVAL, "from, to: %d days; at "
		    "most %d in one query (ask for less, or by period)",
		    span + 1, MB_IMPACT_SPAN_MAX);
	if (q->by == MB_IMPACT_BY_CENTER ||
	    (a->center != NULL && strcmp(a->center, "all") == 0))
		q->center = NULL;
	else
		q->center = a->center != NULL ? a->center : self;
	if (q->center != NULL && (strlen(q->center) == 0 ||
	    strlen(q->center) > 32))
		return mb_diag_set(d, MB_ERR_INVAL, "center: not a center id");
	if (a->kind != NULL && !kind_ok(a->kind))
		return mb_diag_set(d, MB_ERR_INVAL, "kind: one of item, page, "
		    "feed, media");
	q->kind = a->kind;
	if (a->key != NULL && strlen(a->key) >= MB_IMPACT_KEY_MAX)
		return mb_diag_set(d, MB_ERR_INVAL, "key: too long");
	q->key = a->key;
	if (a->campaign != NULL && strlen(a->campaign) >= MB_IMPACT_TAG_MAX)
		return mb_diag_set(d, MB_ERR_INVAL, "campaign: too long");
	q->campaign = a->campaign;
	q->limit = 100;
	if (a->limit != NULL) {
		lim = strtol(a->limit, &end, 10);
		if (end == a->limit || *end != '\0' || lim < 1 ||
		    lim > MB_IMPACT_ROWS_MAX)
			return mb_diag_set(d, MB_ERR_INVAL, "limit: 1 to %d",
			    MB_IMPACT_ROWS_MAX);
		q->limit = (int)lim;
	}
	return MB_OK;
}

/* The key fields of a grouping: name and value, at most two. */
static int
fields(const struct mb_impact_row *r, enum mb_impact_by by,
    const char *name[2], const char *val[2])
{
	switch (by) {
	case MB_IMPACT_BY_DAY:
		name[0] = "day"; val[0] = r->day; return 1;
	case MB_IMPACT_BY_ITEM:
		name[0] = "kind"; val[0] = r->kind;
		name[1] = "key"; val[1] = r->key; return 2;
	case MB_IMPACT_BY_LANGUAGE:
		name[0] = "language"; val[0] = r->lang; return 1;
	case MB_IMPACT_BY_COUNTRY:
		name[0] = "country"; val[0] = r->country; return 1;
	case MB_IMPACT_BY_REFERRER:
		name[0] = "referrer"; val[0] = r->referrer; return 1;
	case MB_IMPACT_BY_CAMPAIGN:
		name[0] = "campaign"; val[0] = r->campaign; return 1;
	case MB_IMPACT_BY_CENTER:
		name[0] = "center"; val[0] = r->center; return 1;
	case MB_IMPACT_BY_SOURCE:
		name[0] = "source"; val[0] = r->source;
		name[1] = "medium"; val[1] = r->medium; return 2;
	default:
		return 0;
	}
}

json_t *
mb_impact_row_json(const struct mb_impact_row *r, enum mb_impact_by by)
{
	const char	*name[2], *val[2];
	int		 n = fields(r, by, name, val);
	json_t		*o = json_object();

	if (o == NULL)
		return NULL;
	for (int i = 0; i < n; i++)
		json_object_set_new(o, name[i], json_string(val[i]));
	json_object_set_new(o, "views", json_integer(r->views));
	json_object_set_new(o, "uniques", json_integer(r->uniques));
	return o;
}

static void
csv_field(struct mb_buf *out, const char *v)
{
	/* A cell that starts like a formula is quoted and prefixed. */
	bool	formula = v[0] == '=' || v[0] == '+' || v[0] == '-' ||
	    v[0] == '@';

	if (strpbrk(v, ",\"\r\n") == NULL && !formula) {
		mb_buf_printf(out, "%s", v);
		return;
	}
	mb_buf_printf(out, "\"%s", formula ? "'" : "");
	for (; *v != '\0'; v++) {
		if (*v == '"')
			mb_buf_printf(out, "\"\"");
		else
			mb_buf_printf(out, "%c", *v);
	}
	mb_buf_printf(out, "\"");
}

int
mb_impact_csv_header(enum mb_impact_by by, struct mb_buf *out)
{
	struct mb_impact_row	 r;
	const char		*name[2], *val[2];
	int			 n;

	memset(&r, 0, sizeof(r));
	n = fields(&r, by, name, val);
	for (int i = 0; i < n; i++)
		mb_buf_printf(out, "%s,", name[i]);
	mb_buf_printf(out, "views,uniques\r\n");
	return out->data != NULL ? MB_OK : MB_ERR_NOMEM;
}

int
mb_impact_csv_row(const struct mb_impact_row *r, enum mb_impact_by by,
    struct mb_buf *out)
{
	const char	*name[2], *val[2];
	int		 n = fields(r, by, name, val);

	for (int i = 0; i < n; i++) {
		csv_field(out, val[i]);
		mb_buf_printf(out, ",");
	}
	mb_buf_printf(out, "%lld,%lld\r\n", (long long)r->views,
	    (long long)r->uniques);
	return out->data != NULL ? MB_OK : MB_ERR_NOMEM;
}
