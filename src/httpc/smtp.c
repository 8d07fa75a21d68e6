/* SPDX-License-Identifier: MIT */
/* Mail out through the center's SMTP relay, with libcurl. */
#include "httpc/smtp.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <curl/curl.h>

#include "httpc/httpc.h"

struct reader {
	const char	*p;
	size_t		 left;
};

static size_t
read_cb(char *buf, size_t size, size_t n, void *arg)
{
	struct reader	*r = arg;
	size_t		 k = size * n < r->left ? size * n : r->left;

	memcpy(buf, r->p, k);
	r->p += k;
	r->left -= k;
	return k;
}

/* An address to hand to libcurl: no CR, LF, angle brackets or spaces. */
static bool
plain_address(const char *a)
{
	return a != NULL && a[0] != '\0' && strcspn(a, "\r\n<> \t") ==
	    strlen(a) && strchr(a, '@') != NULL;
}

int
mb_smtp_send(const struct mb_smtp *s, const char *rcpt, const char *msg,
    size_t len, struct mb_diag *d)
{
	CURL			*c;
	struct curl_slist	*to = NULL;
	struct reader		 r = { msg, len };
	char			 err[CURL_ERROR_SIZE] = "", addr[300];
	long			 code = 0;
	CURLcode		 cc;

	if (s->relay == NULL || (strncmp(s->relay, "smtp://", 7) != 0 &&
	    strncmp(s->relay, "smtps://", 8) != 0))
		return mb_diag_set(d, MB_ERR_INVAL, "mail relay: not "
		    "smtp://HOST:PORT or smtps://");
	if (!plain_address(rcpt) || strlen(rcpt) > 254)
		return mb_diag_set(d, MB_ERR_INVAL, "recipient: not an "
		    "address");
	if (!plain_address(s->from))
		return mb_diag_set(d, MB_ERR_INVAL, "mail from: not an "
		    "address");
	mb_httpc_global_init();
	if ((c = curl_easy_init()) == NULL)
		return MB_ERR_NOMEM;
	snprintf(addr, sizeof(addr), "<%s>", rcpt);
	if ((to = curl_slist_append(NULL, addr)) == NULL) {
		curl_easy_cleanup(c);
		return MB_ERR_NOMEM;
	}
	snprintf(addr, sizeof(addr), "<%s>", s->from);
	curl_easy_setopt(c, CURLOPT_URL, s->relay);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, addr);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, to);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(c, CURLOPT_READDATA, &r);
	curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)(s->timeout_s > 0 ?
	    s->timeout_s : 30));
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, err);
	/* STARTTLS when the relay offers it; smtps:// is TLS throughout. */
	curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
	if (s->user != NULL && s->user[0] != '\0') {
		curl_easy_setopt(c, CURLOPT_USERNAME, s->user);
		curl_easy_setopt(c, CURLOPT_PASSWORD, s->password != NULL ?
		    s->password : "");
	}
	cc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	curl_slist_free_all(to);
	curl_easy_cleanup(c);
	if (cc != CURLE_OK)
		return mb_diag_set(d, MB_ERR_NET, "mail relay %s: %s%s%.0ld",
		    s->relay, err[0] != '\0' ? err : curl_easy_strerror(cc),
		    code != 0 ? "; it answered " : "", code);
	return MB_OK;
}
