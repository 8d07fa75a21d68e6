/* SPDX-License-Identifier: MIT */
/*
 * Server-rendered SVG charts of the impact figures (docs/impact.md, "The
 * impact view"): no JavaScript, and accessible: each chart is an image
 * with a title (role="img", aria-labelledby) and the page puts a table
 * of the same figures beside it, so that nothing is only in the picture.
 * Pure: strings in, SVG out, every text escaped.
 */
#ifndef MB_IMPACT_CHART_H
#define MB_IMPACT_CHART_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"

/* At most this many bars are drawn (the table beside has them all). */
#define MB_CHART_BARS_MAX	12
/* At most this many days are drawn (the stats' longest period). */
#define MB_CHART_DAYS_MAX	800

/* One bar or one day: a label and its figures. */
struct mb_chart_point {
	const char	*label;
	int64_t		 views;
	int64_t		 uniques;
};

/*
 * A horizontal bar chart of views (uniques as a thinner bar inside),
 * the first MB_CHART_BARS_MAX points, labels cut to 32 characters.
 * id: a unique [a-z0-9-] name on the page (its title's id). An empty
 * chart says so ("no views"). MB_ERR_INVAL when id is not such a name.
 */
int mb_chart_bars(const char *id, const char *title,
    const struct mb_chart_point *pts, size_t n, struct mb_buf *out);

/*
 * Views over time: a column per day (labels YYYY-MM-DD, oldest first)
 * and the uniques as a line, the first and the last day written under
 * the axis and the highest figure beside it.
 */
int mb_chart_days(const char *id, const char *title,
    const struct mb_chart_point *pts, size_t n, struct mb_buf *out);

/* Appends s escaped for XML text and attributes (& < > " '). */
int mb_chart_escape(struct mb_buf *out, const char *s);

#endif
