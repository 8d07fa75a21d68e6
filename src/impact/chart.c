/* SPDX-License-Identifier: MIT */
/*
 * SVG charts for the impact view: bars for a dimension (countries,
 * languages, items, referrers, campaigns, centers) and columns for the
 * days of a period. The page that embeds them puts a table of the same
 * figures beside each; the chart carries a <title> and role="img" so a
 * screen reader announces it by name and then reads the table.
 */
#include "chart.h"

#include <stdbool.h>
#include <string.h>

#include "base/err.h"

#define W		640	/* the drawing's width, in its own units */
#define LABEL_W		220	/* room for a bar's label */
#define BAR_H		22
#define LABEL_CHARS	32

int
mb_chart_escape(struct mb_buf *out, const char *s)
{
	int rc = MB_OK;

	for (; s != NULL && *s != '\0' && rc == MB_OK; s++) {
		switch (*s) {
		case '&': rc = mb_buf_puts(out, "&amp;"); break;
		case '<': rc = mb_buf_puts(out, "&lt;"); break;
		case '>': rc = mb_buf_puts(out, "&gt;"); break;
		case '"': rc = mb_buf_puts(out, "&quot;"); break;
		case '\'': rc = mb_buf_puts(out, "&#39;"); break;
		default:
			/* Control characters are not XML: dropped. */
			if ((unsigned char)*s >= 0x20 || *s == '\t')
				rc = mb_buf_putc(out, *s);
		}
	}
	return rc;
}

/* s cut to at most max characters (UTF-8 sequences kept whole), escaped. */
static int
escape_cut(struct mb_buf *out, const char *s, size_t max)
{
	char	buf[4 * LABEL_CHARS + 8];
	size_t	i = 0, chars = 0;

	if (s == NULL)
		s = "";
	while (s[i] != '\0' && chars < max) {
		size_t j = i + 1;

		/*
		 * A character has at most 3 continuation bytes: a label of
		 * stray ones (not UTF-8) must not run past buf, which keeps
		 * room for the ellipsis and the NUL.
		 */
		while (j - i < 4 && ((unsigned char)s[j] & 0xc0) == 0x80)
			j++;
		if (j + 4 > sizeof(buf))
			break;
		i = j;
		chars++;
	}
	memcpy(buf, s, i);
	buf[i] = '\0';
	if (s[i] != '\0' && i + 3 < sizeof(buf)) {
		memcpy(buf + i, "\xe2\x80\xa6", 4);	/* … */
	}
	return mb_chart_escape(out, buf);
}

static bool
id_ok(const char *id)
{
	if (id == NULL || *id == '\0' || strlen(id) > 40)
		return false;
	for (; *id != '\0'; id++)
		if (!((*id >= 'a' && *id <= 'z') || (*id >= '0' && *id <= '9') ||
		    *id == '-'))
			return false;
	return true;
}

static int
open_svg(struct mb_buf *out, const char *id, const char *title, int h)
{
	int rc;

	rc = mb_buf_printf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "class=\"chart\" role=\"img\" aria-labelledby=\"%s-t\" "
	    "viewBox=\"0 0 %d %d\" width=\"100%%\" "
	    "preserveAspectRatio=\"xMinYMin meet\"><title id=\"%s-t\">",
	    id, W, h, id);
	if (rc == MB_OK)
		rc = mb_chart_escape(out, title);
	if (rc == MB_OK)
		rc = mb_buf_puts(out, "</title>");
	return rc;
}

static int64_t
max_views(const struct mb_chart_point *pts, size_t n)
{
	int64_t m = 0;

	for (size_t i = 0; i < n; i++)
		if (pts[i].views > m)
			m = pts[i].views;
	return m;
}

static int
empty(struct mb_buf *out, const char *id, const char *title)
{
	int rc = open_svg(out, id, title, 40);

	if (rc == MB_OK)
		rc = mb_buf_puts(out, "<text x=\"8\" y=\"24\" class=\"none\">"
		    "0</text></svg>");
	return rc;
}

int
mb_chart_bars(const char *id, const char *title,
    const struct mb_chart_point *pts, size_t n, struct mb_buf *out)
{
	int64_t	m;
	int	rc, h;

	if (!id_ok(id))
		return MB_ERR_INVAL;
	if (n > MB_CHART_BARS_MAX)
		n = MB_CHART_BARS_MAX;
	if (n == 0 || (m = max_views(pts, n)) == 0)
		return empty(out, id, title);
	h = (int)n * (BAR_H + 6) + 6;
	if ((rc = open_svg(out, id, title, h)) != MB_OK)
		return rc;
	for (size_t i = 0; i < n && rc == MB_OK; i++) {
		int y = 6 + (int)i * (BAR_H + 6);
		int bw = (int)((W - LABEL_W - 70) * pts[i].views / m);
		int uw = (int)((W - LABEL_W - 70) * (pts[i].uniques >
		    pts[i].views ? pts[i].views : pts[i].uniques) / m);

		rc = mb_buf_printf(out, "<g><text x=\"%d\" y=\"%d\" "
		    "text-anchor=\"end\" class=\"label\">", LABEL_W - 6,
		    y + 16);
		if (rc == MB_OK)
			rc = escape_cut(out, pts[i].label != NULL &&
			    pts[i].label[0] != '\0' ? pts[i].label : "-",
			    LABEL_CHARS);
		if (rc == MB_OK)
			rc = mb_buf_printf(out, "</text><rect class=\"views\" "
			    "x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/>"
			    "<rect class=\"uniques\" x=\"%d\" y=\"%d\" "
			    "width=\"%d\" height=\"%d\"/><text x=\"%d\" "
			    "y=\"%d\" class=\"value\">%lld</text></g>",
			    LABEL_W, y, bw > 0 ? bw : 1, BAR_H, LABEL_W,
			    y + BAR_H / 2 - 3, uw, 6, LABEL_W + bw + 6,
			    y + 16, (long long)pts[i].views);
	}
	if (rc == MB_OK)
		rc = mb_buf_puts(out, "</svg>");
	return rc;
}

int
mb_chart_days(const char *id, const char *title,
    const struct mb_chart_point *pts, size_t n, struct mb_buf *out)
{
	const int	 left = 60, top = 10, ch = 160, hgt = ch + 40;
	const int	 cw = W - left - 10;
	int64_t		 m;
	int		 rc;

	if (!id_ok(id))
		return MB_ERR_INVAL;
	if (n > MB_CHART_DAYS_MAX)
		n = MB_CHART_DAYS_MAX;
	if (n == 0 || (m = max_views(pts, n)) == 0)
		return empty(out, id, title);
	if ((rc = open_svg(out, id, title, hgt)) != MB_OK)
		return rc;
	rc = mb_buf_printf(out, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" "
	    "x2=\"%d\" y2=\"%d\"/><text x=\"%d\" y=\"%d\" text-anchor=\"end\" "
	    "class=\"value\">%lld</text><text x=\"%d\" y=\"%d\" "
	    "text-anchor=\"end\" class=\"value\">0</text>", left, top + ch,
	    left + cw, top + ch, left - 6, top + 10, (long long)m, left - 6,
	    top + ch);
	/* Columns: views, one per day, as wide as the period allows. */
	for (size_t i = 0; i < n && rc == MB_OK; i++) {
		int x0 = left + (int)((int64_t)cw * (int64_t)i / (int64_t)n);
		int x1 = left + (int)((int64_t)cw * (int64_t)(i + 1) /
		    (int64_t)n);
		int bh = (int)(ch * pts[i].views / m);

		rc = mb_buf_printf(out, "<rect class=\"views\" x=\"%d\" "
		    "y=\"%d\" width=\"%d\" height=\"%d\"/>", x0, top + ch - bh,
		    x1 - x0 > 2 ? x1 - x0 - 1 : 1, bh);
	}
	/* Uniques: a line over the columns' middles. */
	if (rc == MB_OK)
		rc = mb_buf_puts(out, "<polyline class=\"uniques\" "
		    "fill=\"none\" points=\"");
	for (size_t i = 0; i < n && rc == MB_OK; i++) {
		int x = left + (int)((int64_t)cw * (int64_t)(2 * i + 1) /
		    (int64_t)(2 * n));
		int64_t u = pts[i].uniques > m ? m : pts[i].uniques;

		rc = mb_buf_printf(out, "%s%d,%d", i > 0 ? " " : "", x,
		    top + ch - (int)(ch * u / m));
	}
	if (rc == MB_OK)
		rc = mb_buf_printf(out, "\"/><text x=\"%d\" y=\"%d\" "
		    "class=\"label\">", left, top + ch + 22);
	if (rc == MB_OK)
		rc = escape_cut(out, pts[0].label, 10);
	if (rc == MB_OK)
		rc = mb_buf_printf(out, "</text><text x=\"%d\" y=\"%d\" "
		    "text-anchor=\"end\" class=\"label\">", left + cw,
		    top + ch + 22);
	if (rc == MB_OK)
		rc = escape_cut(out, pts[n - 1].label, 10);
	if (rc == MB_OK)
		rc = mb_buf_puts(out, "</text></svg>");
	return rc;
}
