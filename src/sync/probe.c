/* SPDX-License-Identifier: MIT */
/* One GET of another center's /healthz through httpc, for doctor (probe.h). */
#include "probe.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "httpc/httpc.h"

/* The Date header (RFC 9110 5.6.7, IMF-fixdate) as seconds; -1 if none. */
static void
on_header(const char *line, size_t len, void *arg)
{
	time_t		*date = arg;
	char		 v[64];
	struct tm	 tm;
	const char	*end;

	if (len < 6 || len - 5 >= sizeof(v) || strncasecmp(line, "date:", 5)
	    != 0)
		return;
	memcpy(v, line + 5, len - 5);
	v[len - 5] = '\0';
	memset(&tm, 0, sizeof(tm));
	if ((end = strptime(v, " %a, %d %b %Y %H:%M:%S GMT", &tm)) != NULL)
		*date = timegm(&tm);
}

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int
mb_sync_probe(const char *base_url, int timeout_ms,
    struct mb_sync_probe *out, struct mb_diag *d)
{
	/* The operator named these centers: the LAN and this host too. */
	struct mb_httpc_opts	 o = { .allow_private = true };
	struct mb_httpc_req	 rq;
	struct mb_httpc_resp	 resp;
	struct mb_httpc		*c;
	char			 url[600];
	time_t			 date = -1;
	int64_t			 t0, t1;
	size_t			 len = strlen(base_url);
	int			 rc;

	memset(out, 0, sizeof(*out));
	while (len > 0 && base_url[len - 1] == '/')
		len--;
	if (snprintf(url, sizeof(url), "%.*s/healthz", (int)len, base_url) >=
	    (int)sizeof(url))
		return mb_diag_set(d, MB_ERR_TOOBIG, "%s: URL too long",
		    base_url);
	mb_httpc_global_init();
	if ((rc = mb_httpc_new(&o, &c)) != MB_OK)
		return rc;
	memset(&rq, 0, sizeof(rq));
	memset(&resp, 0, sizeof(resp));
	rq.url = url;
	rq.timeout_ms = timeout_ms;
	rq.max_answer = 64 * 1024;
	rq.on_header = on_header;
	rq.header_arg = &date;
	t0 = now_ms();
	rc = mb_httpc_do(c, &rq, &resp, NULL, d);
	t1 = now_ms();
	mb_httpc_free(c);
	if (rc != MB_OK)
		return rc;
	out->status = resp.status;
	out->elapsed_ms = t1 - t0;
	if (date > 0) {
		out->has_date = 1;
		/* The Date is whole seconds: compare with the middle of the
		 * trip, taken to the second below it too. */
		out->skew_ms = (int64_t)date * 1000 - ((t0 + t1) / 2 / 1000 *
		    1000);
	}
	mb_httpc_resp_free(&resp);
	return MB_OK;
}
