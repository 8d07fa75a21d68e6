/* SPDX-License-Identifier: MIT */
/* Signs requests to other centers' shared engines as this center (RFC 9421, as the exchange does). */
#include "mt_signer.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/timeutil.h"
#include "center/center.h"
#include "sync/httpsig.h"

/* "Name: value" as a malloc'd line. */
static char *
line(const char *name, const char *value)
{
	size_t	 n = strlen(name) + strlen(value) + 3;
	char	*s = malloc(n);

	if (s != NULL)
		snprintf(s, n, "%s: %s", name, value);
	return s;
}

int
mb_serve_mt_sign(void *arg, const char *method, const char *url,
    const char *body, size_t len, char *hdrs[6], struct mb_diag *d)
{
	const struct mb_center_node	*n = arg;
	struct mb_sync_req		 q;
	struct mb_buf			 si = MB_BUF_INIT, sg = MB_BUF_INIT;
	struct mb_buf			 cd = MB_BUF_INIT;
	const char			*a, *p, *qs;
	char				 auth[256], path[512];
	size_t				 al;
	int				 rc, k = 0;

	if ((a = strstr(url, "://")) == NULL)
		return mb_diag_set(d, MB_ERR_INVAL, "%s: not an http URL",
		    url);
	a += 3;
	al = strcspn(a, "/?");
	if (al == 0 || al >= sizeof(auth))
		return mb_diag_set(d, MB_ERR_INVAL, "%s: no host", url);
	/* The authority signed is the one sent, in lower case. */
	for (size_t i = 0; i < al; i++)
		auth[i] = (char)tolower((unsigned char)a[i]);
	auth[al] = '\0';
	p = a + al;
	qs = strchr(p, '?');
	snprintf(path, sizeof(path), "%.*s", (int)(qs != NULL ? qs - p :
	    (ptrdiff_t)strlen(p)), *p == '/' ? p : "/");
	memset(&q, 0, sizeof(q));
	q.method = method;
	q.authority = auth;
	q.path = path;
	q.query = qs != NULL ? qs + 1 : NULL;
	q.body = body;
	q.body_len = body != NULL ? len : 0;
	if ((rc = mb_sync_httpsig_sign(&q, n->conf.id, n->key,
	    mb_time_now_ms() / 1000, &si, &sg, body != NULL ? &cd : NULL,
	    d)) != MB_OK)
		goto out;
	rc = MB_ERR_NOMEM;
	if ((hdrs[k++] = line("Host", auth)) == NULL ||
	    (hdrs[k++] = line("Signature-Input", mb_buf_cstr(&si))) == NULL ||
	    (hdrs[k++] = line("Signature", mb_buf_cstr(&sg))) == NULL ||
	    (body != NULL && (hdrs[k++] = line("Content-Digest",
	    mb_buf_cstr(&cd))) == NULL))
		goto out;
	hdrs[k] = NULL;
	rc = MB_OK;
out:
	if (rc != MB_OK)
		for (int i = 0; i < k; i++) {
			free(hdrs[i]);
			hdrs[i] = NULL;
		}
	mb_buf_free(&si);
	mb_buf_free(&sg);
	mb_buf_free(&cd);
	return rc;
}
