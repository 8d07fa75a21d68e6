/* SPDX-License-Identifier: MIT */
/* The one door from src/mt to the network: an HTTP request with libcurl.
 * Nothing else in src/mt knows libcurl, so moving to the shared HTTP client
 * (src/httpc) is a change to this file alone. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <curl/curl.h>

#include "mt/mt_int.h"

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void
curl_start(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

struct sink {
	struct mb_buf	*b;
	size_t		 max;
	bool		 over;
	bool		 nomem;
};

static size_t
on_data(char *p, size_t size, size_t nmemb, void *arg)
{
	struct sink	*s = arg;
	size_t		 n = size * nmemb;

	if (s->b->len + n > s->max) {
		s->over = true;
		return 0;
	}
	if (mb_buf_append(s->b, p, n) != MB_OK) {
		s->nomem = true;
		return 0;
	}
	return n;
}

int
mb_mt__http(const struct mb_mt__http_req *rq, long *status,
    struct mb_buf *reply, enum mb_mt__net *why, struct mb_diag *d)
{
	struct curl_slist	*hdrs = NULL;
	struct sink		 s = { reply, rq->max_reply, false, false };
	char			 ctype[128], err[CURL_ERROR_SIZE] = "";
	CURL			*c;
	CURLcode		 cc;
	int			 rc = MB_OK;

	pthread_once(&curl_once, curl_start);
	*why = MB_MT__NET_OTHER;
	if ((c = curl_easy_init()) == NULL)
		return MB_ERR_NOMEM;
	mb_buf_reset(reply);
	curl_easy_setopt(c, CURLOPT_URL, rq->url);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)rq->timeout_ms);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
	    (long)(rq->timeout_ms < 5000 ? rq->timeout_ms : 5000));
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, err);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "mediabridge-mt");
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	/* Engines answer JSON; curl decompresses whatever they send. */
	curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
	hdrs = curl_slist_append(hdrs, "Accept: application/json");
	/* No "Expect: 100-continue" round trip before a large POST. */
	hdrs = curl_slist_append(hdrs, "Expect:");
	if (strcmp(rq->method, "POST") == 0) {
		snprintf(ctype, sizeof(ctype), "Content-Type: %s",
		    rq->content_type != NULL ? rq->content_type :
		    "application/octet-stream");
		hdrs = curl_slist_append(hdrs, ctype);
		curl_easy_setopt(c, CURLOPT_POST, 1L);
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, rq->body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)rq->len);
	}
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
	cc = curl_easy_perform(c);
	if (cc == CURLE_OK) {
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
		*why = MB_MT__NET_OK;
	} else if (s.nomem) {
		rc = MB_ERR_NOMEM;
	} else if (s.over) {
		*why = MB_MT__NET_TOOBIG;
		rc = mb_diag_set(d, MB_ERR_NET, "answer over %zu bytes",
		    rq->max_reply);
	} else if (cc == CURLE_OPERATION_TIMEDOUT) {
		*why = MB_MT__NET_TIMEOUT;
		rc = mb_diag_set(d, MB_ERR_NET, "no answer within %d s",
		    (rq->timeout_ms + 999) / 1000);
	} else if (cc == CURLE_COULDNT_CONNECT ||
	    cc == CURLE_COULDNT_RESOLVE_HOST) {
		*why = MB_MT__NET_CONNECT;
		rc = mb_diag_set(d, MB_ERR_NET, "cannot connect: %s",
		    err[0] ? err : curl_easy_strerror(cc));
	} else {
		rc = mb_diag_set(d, MB_ERR_NET, "%s",
		    err[0] ? err : curl_easy_strerror(cc));
	}
	curl_slist_free_all(hdrs);
	curl_easy_cleanup(c);
	return rc;
}
