/* SPDX-License-Identifier: MIT */
/*
 * The access line, one per request: "http: method= path= route= status=
 * bytes= us= client= user= cache=" (docs/http.md), put together by hand
 * rather than by printf, which was a tenth of a cached item's user CPU
 * (docs/benchmarks.md, "http").
 */
#include "server_int.h"

#include <string.h>

#include "base/log.h"

struct line {
	char	buf[1024];
	size_t	n;
};

static void
put(struct line *l, const char *s)
{
	size_t k = strlen(s);

	if (k > sizeof(l->buf) - l->n)
		k = sizeof(l->buf) - l->n;
	memcpy(l->buf + l->n, s, k);
	l->n += k;
}

static void
put_u(struct line *l, unsigned long long v)
{
	char	d[24];
	int	i = (int)sizeof(d) - 1;

	d[i] = '\0';
	do {
		d[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0);
	put(l, d + i);
}

/* The path fit for one line: no spaces, quotes or controls, at most n. */
static void
put_path(struct line *l, const char *p, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t o = 0;

	for (; *p != '\0' && o + 4 < n && l->n + 3 < sizeof(l->buf); p++) {
		unsigned char c = (unsigned char)*p;

		if (c <= 0x20 || c >= 0x7f || c == '"' || c == '\\' ||
		    c == '%') {
			l->buf[l->n++] = '%';
			l->buf[l->n++] = hex[c >> 4];
			l->buf[l->n++] = hex[c & 15];
			o += 3;
		} else {
			l->buf[l->n++] = (char)c;
			o++;
		}
	}
}

const char *
srv_logged_path(const struct mb_req *r)
{
	if (r->m.route != NULL && (r->m.route->flags & MB_ROUTE_SECRET) != 0)
		return r->m.route->pattern;
	return r->path;
}

void
srv_access_log(const struct mb_req *r, int64_t us, bool completed)
{
	struct line l;

	l.n = 0;
	put(&l, "http: method=");
	put(&l, r->method);
	put(&l, " path=");
	/* As many bytes as the 300-byte buffer that held it before. */
	put_path(&l, srv_logged_path(r), 300);
	put(&l, " route=");
	put(&l, r->m.route ? r->m.route->name : "-");
	put(&l, " status=");
	put_u(&l, r->status);
	put(&l, " bytes=");
	put_u(&l, r->rlen);
	put(&l, " us=");
	if (us < 0) {
		put(&l, "-");
		us = -us;
	}
	put_u(&l, (unsigned long long)us);
	put(&l, " client=");
	put(&l, r->client);
	put(&l, " user=");
	put(&l, r->have_user ? r->user.name : "-");
	put(&l, " cache=");
	put(&l, r->cache_state);
	if (!completed)
		put(&l, " aborted=1");
	mb_log_msg(MB_LOG_INFO, l.buf, l.n);
}
