/* SPDX-License-Identifier: MIT */
/* A picture's focal point: the form's fields, ninjs poi, the site's class. */
#include "focus.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"

/* One coordinate: a plain decimal from 0 to 1 ("0.3", "0,3", "1"). */
static bool
coord(const char *s, double *out)
{
	char	 buf[32], *end;
	size_t	 n;
	double	 v;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n == 0 || n >= sizeof(buf))
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (buf[i] == ',')
			buf[i] = '.';
		/* No exponents, signs, hex or "nan": digits and one mark. */
		if ((buf[i] < '0' || buf[i] > '9') && buf[i] != '.' &&
		    buf[i] != ',')
			return false;
	}
	errno = 0;
	v = strtod(buf, &end);
	if (errno != 0 || *end != '\0' || end == buf || !isfinite(v) ||
	    v < 0 || v > 1)
		return false;
	*out = v;
	return true;
}

static bool
blank(const char *s)
{
	return s == NULL || s[strspn(s, " \t")] == '\0';
}

int
mb_focus_parse(const char *x, const char *y, double *fx, double *fy,
    bool *given)
{
	*given = false;
	if (blank(x) && blank(y))
		return MB_OK;
	if (blank(x) || blank(y) || !coord(x, fx) || !coord(y, fy))
		return MB_ERR_INVAL;
	*given = true;
	return MB_OK;
}

void
mb_focus_set(json_t *rends, double fx, double fy)
{
	json_t	*o;
	size_t	 i;

	json_array_foreach(rends, i, o) {
		json_int_t w = json_integer_value(json_object_get(o, "width"));
		json_int_t h = json_integer_value(json_object_get(o, "height"));

		if (w <= 0 || h <= 0)
			continue;
		/* Pixels from the top left, the last one included. */
		json_object_set_new(o, "poi", json_pack("{s:I, s:I}", "x",
		    (json_int_t)lround(fx * (double)(w - 1)), "y",
		    (json_int_t)lround(fy * (double)(h - 1))));
	}
}

bool
mb_focus_get(const json_t *rends, double *fx, double *fy)
{
	const json_t	*o;
	size_t		 i;

	json_array_foreach(rends, i, o) {
		const json_t	*poi = json_object_get(o, "poi");
		json_int_t	 w = json_integer_value(json_object_get(o,
				    "width"));
		json_int_t	 h = json_integer_value(json_object_get(o,
				    "height"));
		json_int_t	 x = json_integer_value(json_object_get(poi,
				    "x"));
		json_int_t	 y = json_integer_value(json_object_get(poi,
				    "y"));

		if (!json_is_object(poi) || w <= 0 || h <= 0 || x < 0 ||
		    y < 0 || x >= w || y >= h)
			continue;
		*fx = w > 1 ? (double)x / (double)(w - 1) : 0.5;
		*fy = h > 1 ? (double)y / (double)(h - 1) : 0.5;
		return true;
	}
	return false;
}

const char *
mb_focus_class(const json_t *rends, char out[8])
{
	double	fx, fy;
	long	i, j;

	if (!mb_focus_get(rends, &fx, &fy))
		return NULL;
	i = lround(fx * 4);
	j = lround(fy * 4);
	if (i == 2 && j == 2)
		return NULL;
	snprintf(out, 8, "fp%ld%ld", i, j);
	return out;
}
