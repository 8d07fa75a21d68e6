/* SPDX-License-Identifier: MIT */
/* A bounded pre-scan of JSON text (see json_scan.h). */
#include "json_scan.h"

#include <stdio.h>
#include <string.h>

void
mb_json_scan_init(struct mb_json_scan *s, const struct mb_json_limits *l)
{
	memset(s, 0, sizeof(*s));
	if (l != NULL)
		s->lim = *l;
}

static int
over(struct mb_json_scan *s, struct mb_diag *d)
{
	if (s->err == MB_OK)
		s->err = MB_ERR_TOOBIG;
	return mb_diag_set(d, MB_ERR_TOOBIG, "%s", s->why);
}

/* Counts one more value; false (with why) when that is one too many. */
static bool
count_value(struct mb_json_scan *s)
{
	if (s->lim.values > 0 && ++s->values > s->lim.values) {
		snprintf(s->why, sizeof(s->why),
		    "JSON with more than %zu values", s->lim.values);
		return false;
	}
	return true;
}

static bool
grow_token(struct mb_json_scan *s)
{
	size_t	n = s->lim.token;
	char	unit[48] = "";

	if (n > 0 && ++s->token > n) {
		/* Round sizes also in the units the docs use. */
		if (n % (1024 * 1024) == 0)
			snprintf(unit, sizeof(unit), " (%zu MiB)",
			    n / (1024 * 1024));
		else if (n % 1024 == 0)
			snprintf(unit, sizeof(unit), " (%zu KiB)", n / 1024);
		snprintf(s->why, sizeof(s->why),
		    "a JSON %s longer than %zu bytes%s",
		    s->in_str ? "string" : "number or literal", n, unit);
		return false;
	}
	return true;
}

int
mb_json_scan_feed(struct mb_json_scan *s, const char *buf, size_t len,
    struct mb_diag *d)
{
	if (s->err != MB_OK)
		return mb_diag_set(d, s->err, "%s", s->why);
	for (size_t i = 0; i < len; i++) {
		char c = buf[i];

		if (s->in_str) {
			if (s->esc)
				s->esc = 0;
			else if (c == '\\')
				s->esc = 1;
			else if (c == '"') {
				s->in_str = 0;
				continue;
			}
			if (!grow_token(s))
				return over(s, d);
			continue;
		}
		switch (c) {
		case '"':
			s->in_scalar = 0;
			s->in_str = 1;
			s->token = 0;
			if (!count_value(s))
				return over(s, d);
			break;
		case '[':
		case '{':
			s->in_scalar = 0;
			if (!count_value(s))
				return over(s, d);
			if (s->lim.depth > 0 && ++s->depth > s->lim.depth) {
				snprintf(s->why, sizeof(s->why),
				    "JSON nested deeper than %zu levels",
				    s->lim.depth);
				return over(s, d);
			}
			break;
		case ']':
		case '}':
			s->in_scalar = 0;
			/* Unbalanced: the parser will say so. */
			if (s->depth > 0)
				s->depth--;
			break;
		case ' ':
		case '\t':
		case '\r':
		case '\n':
		case ',':
		case ':':
			s->in_scalar = 0;
			break;
		default:
			if (!s->in_scalar) {
				s->in_scalar = 1;
				s->token = 0;
				if (!count_value(s))
					return over(s, d);
			}
			if (!grow_token(s))
				return over(s, d);
			break;
		}
	}
	return MB_OK;
}

int
mb_json_scan(const char *buf, size_t len, const struct mb_json_limits *l,
    struct mb_diag *d)
{
	struct mb_json_scan s;

	mb_json_scan_init(&s, l);
	return mb_json_scan_feed(&s, buf, len, d);
}
