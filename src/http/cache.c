/* SPDX-License-Identifier: MIT */
/* The response cache for anonymous readers: gzip, ETags, direct-mapped slots. */
#include "server_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "base/gzip.h"
#include "base/log.h"
#include "base/timeutil.h"

/* ---------------------------------------------------------------- */
/* The response cache                                               */

uint64_t
srv_key_hash(const char *k)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *k != '\0'; k++)
		h = (h ^ (unsigned char)*k) * 1099511628211ULL;
	return h;
}

static int
add_arg(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *value)
{
	struct mb_buf *b = cls;

	(void)kind;
	mb_buf_putc(b, '&');
	mb_http_urlencode(key, b);
	if (value != NULL) {
		mb_buf_putc(b, '=');
		mb_http_urlencode(value, b);
	}
	return MHD_YES;
}

void
mb_req_query_append(struct mb_req *r, struct mb_buf *b)
{
	struct mb_buf q = MB_BUF_INIT;

	/* "&k=v&k2=v2", as the cache key has it; the first '&' a '?'. */
	MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND,
	    (MHD_KeyValueIterator)add_arg, &q);
	if (q.len > 0) {
		mb_buf_putc(b, '?');
		mb_buf_puts(b, mb_buf_cstr(&q) + 1);
	}
	mb_buf_free(&q);
}

/* s[0..n) without the blanks around it. */
static void
trim(const char **s, size_t *n)
{
	while (*n > 0 && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
		(*n)--;
}

/* The weight of one list element's parameters (";q=0.5"); 1 without. */
static double
weight(const char *p, size_t n)
{
	double q = 1.0;

	while (n > 0 && *p == ';') {
		const char	*e = memchr(p + 1, ';', n - 1);
		size_t		 len = e != NULL ? (size_t)(e - p) : n;
		const char	*v = p + 1;
		size_t		 vn = len - 1;

		trim(&v, &vn);
		if (vn >= 2 && (v[0] == 'q' || v[0] == 'Q')) {
			const char	*x = v + 1;
			size_t		 xn = vn - 1;
			char		 num[16];

			trim(&x, &xn);
			if (xn > 0 && *x == '=') {
				x++;
				xn--;
				trim(&x, &xn);
				if (xn >= sizeof(num))
					return 0;	/* no weight is this long */
				memcpy(num, x, xn);
				num[xn] = '\0';
				q = strtod(num, NULL);
			}
		}
		p += len;
		n -= len;
	}
	return q;
}

bool
mb_http_accepts_gzip(const char *ae)
{
	double gzip = -1, star = -1;

	/* "deflate, gzip;q=0.8, *;q=0": each coding with its weight. */
	while (ae != NULL && *ae != '\0') {
		size_t		 len = strcspn(ae, ",");
		size_t		 tn = strcspn(ae, ";,");	/* <= len */
		const char	*tok = ae;
		double		 q = weight(ae + tn, len - tn);

		trim(&tok, &tn);
		/* x-gzip: the same coding (RFC 9110, 8.4.1.3). */
		if ((tn == 4 && strncasecmp(tok, "gzip", 4) == 0) ||
		    (tn == 6 && strncasecmp(tok, "x-gzip", 6) == 0))
			gzip = q;
		else if (tn == 1 && *tok == '*')
			star = q;
		ae += len;
		if (*ae == ',')
			ae++;
	}
	/* gzip named decides; else "*" does; else it was not asked for. */
	return gzip >= 0 ? gzip > 0 : star > 0;
}

/* True when the client takes gzip (and did not refuse it with q=0). */
static bool
accepts_gzip(struct mb_req *r)
{
	return mb_http_accepts_gzip(mb_req_header(r, "Accept-Encoding"));
}

bool
srv_has_header(const struct mb_req *r, const char *name)
{
	for (int i = 0; i < r->nhdrs; i++)
		if (strcasecmp(r->hdrs[i].name, name) == 0)
			return true;
	return false;
}

/*
 * Pages, feeds and JSON go gzip-compressed to clients that take it
 * (readers on slow links); the ETag is then the compressed bytes'.
 */
void
srv_maybe_gzip(struct mb_req *r)
{
	const char	*ct = r->ctype;
	struct mb_buf	 out = MB_BUF_INIT;

	if (r->rlen < 256 || r->rbody == NULL ||
	    srv_has_header(r, "Content-Encoding") ||
	    !(strncmp(ct, "text/", 5) == 0 || strstr(ct, "json") != NULL ||
	    strstr(ct, "xml") != NULL))
		return;
	mb_resp_header(r, "Vary", "Accept-Encoding");
	if (!accepts_gzip(r))
		return;
	/*
	 * Level 6: readers on slow links pay for every byte (level 1 made
	 * pages 2-7 % larger, bench/pages), and libdeflate's level 6 costs
	 * a third of what zlib's did.
	 */
	if (mb_gzip(r->rbody, r->rlen, 6, &out) != MB_OK) {
		mb_buf_free(&out);
		return;
	}
	free(r->rbody);
	r->rlen = out.len;
	r->rbody = mb_buf_steal(&out);
	mb_resp_header(r, "Content-Encoding", "gzip");
}

char *
srv_cache_key(struct mb_req *r)
{
	struct mb_buf b = MB_BUF_INIT;

	mb_buf_puts(&b, r->method[0] == 'H' ? "GET " : "GET ");
	mb_buf_puts(&b, r->path);
	MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND,
	    (MHD_KeyValueIterator)add_arg, &b);
	if (accepts_gzip(r))
		mb_buf_puts(&b, " gzip");
	/* The items API answers NewsML-G2 to who asks (api_items.c). */
	if (mb_req_header(r, "Accept") != NULL &&
	    strstr(mb_req_header(r, "Accept"), "vnd.iptc.g2") != NULL)
		mb_buf_puts(&b, " g2");
	if (b.data == NULL)
		return NULL;
	return mb_buf_steal(&b);
}

bool
srv_etag_matches(const char *inm, const char *etag)
{
	if (inm == NULL)
		return false;
	return strcmp(inm, "*") == 0 || strstr(inm, etag) != NULL;
}

void
srv_make_etag(const char *data, size_t len, char out[24])
{
	unsigned char	h[8];
	char		hex[17];

	crypto_generichash(h, sizeof(h), (const unsigned char *)data, len,
	    NULL, 0);
	sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
	snprintf(out, 24, "\"%s\"", hex);
}

void
srv_entry_clear(struct mb_http_server *s, struct cache_entry *e)
{
	if (e->resp != NULL)
		MHD_destroy_response(e->resp);
	s->cache_used -= e->cost;
	free(e->key);
	memset(e, 0, sizeof(*e));
}

