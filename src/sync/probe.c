/* SPDX-License-Identifier: MIT */
/* One GET of another center's /healthz with libcurl, for doctor (probe.h). */
#include "probe.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>

static size_t
discard(char *p, size_t size, size_t n, void *arg)
{
	(void)p; (void)arg;
	return size * n;
}

/* The Date header: curl_getdate parses HTTP's date formats. */
static size_t
on_header(char *p, size_t size, size_t n, void *arg)
{
	time_t	*date = arg;
	char	 v[128];
	size_t	 len = size * n;

	if (len > 5 && len < sizeof(v) + 5 && strncasecmp(p, "date:", 5) ==
	    0) {
		memcpy(v, p + 5, len - 5);
		v[len - 5] = '\0';
		*date = curl_getdate(v, NULL);
	}
	return len;
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
	CURL		*c;
	CURLcode	 cc;
	char		 url[600], err[CURL_ERROR_SIZE] = "";
	int64_t		 t0, t1;
	time_t		 date = -1;
	size_t		 len = strlen(base_url);

	memset(out, 0, sizeof(*out));
	while (len > 0 && base_url[len - 1] == '/')
		len--;
	if (snprintf(url, sizeof(url), "%.*s/healthz", (int)len, base_url) >=
	    (int)sizeof(url))
		return mb_diag_set(d, MB_ERR_TOOBIG, "%s: URL too long",
		    base_url);
	if ((c = curl_easy_init()) == NULL)
		return MB_ERR_NOMEM;
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)timeout_ms);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, err);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, &date);
	t0 = now_ms();
	cc = curl_easy_perform(c);
	t1 = now_ms();
	if (cc != CURLE_OK) {
		curl_easy_cleanup(c);
		return mb_diag_set(d, MB_ERR_NET, "%s: %s", url, err[0] ? err :
		    curl_easy_strerror(cc));
	}
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->status);
	out->elapsed_ms = t1 - t0;
	if (date > 0) {
		out->has_date = 1;
		/* The Date is whole seconds: compare with the middle of the
		 * trip, taken to the second below it too. */
		out->skew_ms = (int64_t)date * 1000 - ((t0 + t1) / 2 / 1000 *
		    1000);
	}
	curl_easy_cleanup(c);
	return MB_OK;
}
