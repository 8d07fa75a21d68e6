/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target: the small parsers of what peers and the newsroom's forms
 * send, one target so that each needs no file of its own. The first byte
 * modulo 4 picks the parser (the seeds' t, u, f and c); the rest is its
 * input, C strings split at NULs:
 *
 *	0  an RFC 3339 date-time (base/timeutil.h): peers' items, feeds
 *	1  an item uri (item/id.h): every item and reference a peer sends
 *	2  a picture's focal point, x NUL y (http/focus.h): the media form
 *	3  a campaign, name NUL utm NUL topics NUL items NUL starts NUL ends
 *	   (impact/campaign.h): the newsroom's form and the API
 *
 * Each checks a round trip: what parses, written out and parsed again,
 * is the same. A link's window, rate and quota (sync/link.h) are left
 * out: only the operator's command line gives them.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/timeutil.h"
#include "http/focus.h"
#include "impact/campaign.h"
#include "impact/impact.h"
#include "item/id.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NFIELDS 6

static void
fuzz_time(const char *s)
{
	char	out[MB_TIME_RFC3339_LEN];
	int64_t	ms, again, lo, hi;

	if (mb_time_parse(s, &ms) != MB_OK)
		return;
	/* An offset can carry a time out of the years the form can write. */
	if (mb_time_parse("0000-01-01T00:00:00Z", &lo) != MB_OK ||
	    mb_time_parse("9999-12-31T23:59:59.999Z", &hi) != MB_OK)
		abort();
	if (ms < lo || ms > hi)
		return;
	mb_time_format(ms, out);
	if (mb_time_parse(out, &again) != MB_OK || again != ms)
		abort();
}

static void
fuzz_uri(const char *s)
{
	char	center[MB_CENTER_MAX + 1], local[MB_LOCAL_MAX + 1];
	char	out[MB_URI_MAX + 1];

	if (mb_uri_parse(s, center, local) != MB_OK)
		return;
	if (!mb_center_id_valid(center) || !mb_local_id_valid(local) ||
	    mb_uri_make(out, sizeof(out), center, local) != MB_OK ||
	    strcmp(out, s) != 0)
		abort();
}

static void
fuzz_focus(const char *x, const char *y)
{
	static const int	 sizes[][2] = { { 1, 1 }, { 2, 3 }, { 640, 480 },
	    { 4000, 3000 } };
	double			 fx, fy, gx, gy;
	bool			 given;
	char			 cls[8];
	const char		*c;
	json_t			*rends;

	if (mb_focus_parse(x, y, &fx, &fy, &given) != MB_OK || !given)
		return;
	if (!(fx >= 0 && fx <= 1 && fy >= 0 && fy <= 1))
		abort();
	/* Set on renditions in pixels, it reads back within half a pixel. */
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		int w = sizes[i][0], h = sizes[i][1];

		rends = json_pack("[{s:i, s:i}]", "width", w, "height", h);
		if (rends == NULL)
			abort();
		mb_focus_set(rends, fx, fy);
		if (!mb_focus_get(rends, &gx, &gy))
			abort();
		if ((w > 1 && fabs(gx - fx) > 0.5 / (w - 1) + 1e-9) ||
		    (h > 1 && fabs(gy - fy) > 0.5 / (h - 1) + 1e-9))
			abort();
		if ((c = mb_focus_class(rends, cls)) != NULL &&
		    (strlen(c) != 4 || strncmp(c, "fp", 2) != 0 ||
		    c[2] < '0' || c[2] > '4' || c[3] < '0' || c[3] > '4'))
			abort();
		json_decref(rends);
	}
}

static void
fuzz_campaign(const char *f[NFIELDS])
{
	struct mb_campaign_args	a = { f[0], f[1], f[2], f[3], f[4], f[5] };
	struct mb_campaign	c, again;
	int			span;

	if (mb_campaign_parse(&a, &c, NULL) != MB_OK)
		return;
	if (c.ends[0] != '\0' && (mb_impact_day_diff(c.starts, c.ends,
	    &span) != MB_OK || span < 0))
		abort();
	/* What was kept, given again, is kept the same. */
	a.name = c.name;
	a.utm = c.utm;
	a.topics = c.topics;
	a.items = c.items;
	a.starts = c.starts;
	a.ends = c.ends;
	if (mb_campaign_parse(&a, &again, NULL) != MB_OK ||
	    strcmp(c.name, again.name) != 0 || strcmp(c.utm, again.utm) != 0 ||
	    strcmp(c.topics, again.topics) != 0 ||
	    strcmp(c.items, again.items) != 0 ||
	    strcmp(c.starts, again.starts) != 0 ||
	    strcmp(c.ends, again.ends) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*f[NFIELDS] = { NULL };
	char		*s, *p, *end;
	int		 n = 0;

	if (size == 0)
		return 0;
	/* The fields as C strings: the rest of the input, cut at NULs. */
	if ((s = malloc(size)) == NULL)
		return 0;
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';
	for (p = s, end = s + size - 1; n < NFIELDS; p += strlen(p) + 1) {
		f[n++] = p;
		if (p + strlen(p) >= end)
			break;
	}
	switch (data[0] % 4) {
	case 0:
		fuzz_time(f[0]);
		break;
	case 1:
		fuzz_uri(f[0]);
		break;
	case 2:
		fuzz_focus(f[0], f[1]);
		break;
	default:
		fuzz_campaign(f);
		break;
	}
	free(s);
	return 0;
}
