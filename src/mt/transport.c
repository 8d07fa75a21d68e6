/* SPDX-License-Identifier: MIT */
/*
 * The one door from src/mt to the network: one request to an engine
 * through the node's HTTP client (src/httpc), its failures sorted into
 * the kinds the engine's retry policy tells apart.
 */
#include <stdio.h>
#include <string.h>

#include "httpc/httpc.h"
#include "mt/mt_int.h"

int
mb_mt__http(const struct mb_mt__http_req *rq, long *status,
    struct mb_buf *reply, enum mb_mt__net *why, struct mb_diag *d)
{
	const char		*hdrs[8] = { "Accept: application/json" };
	size_t			 nh = 1;
	/* The engine is the operator's: on this host or the LAN is fine. */
	struct mb_httpc_opts	 o = {
		.user_agent = "mediabridge-mt",
		.allow_private = true,
	};
	struct mb_httpc_req	 hr;
	struct mb_httpc_resp	 resp;
	struct mb_httpc		*c;
	struct mb_diag		 hd;
	enum mb_httpc_fail	 f;
	int			 rc;

	for (size_t i = 0; rq->headers != NULL && rq->headers[i] != NULL &&
	    nh < 7; i++)
		hdrs[nh++] = rq->headers[i];
	*why = MB_MT__NET_OTHER;
	mb_buf_reset(reply);
	if ((rc = mb_httpc_new(&o, &c)) != MB_OK)
		return rc;
	memset(&hr, 0, sizeof(hr));
	hr.method = rq->method;
	hr.url = rq->url;
	hr.headers = hdrs;
	hr.content_type = rq->content_type;
	hr.body = rq->body;
	hr.len = rq->len;
	hr.max_answer = rq->max_reply;
	hr.timeout_ms = rq->timeout_ms;
	hr.connect_timeout_ms = rq->timeout_ms < 5000 ? rq->timeout_ms : 5000;
	/* Engines answer JSON; take it in whatever coding they send. */
	hr.accept_encoding = "";
	mb_diag_clear(&hd);
	rc = mb_httpc_do(c, &hr, &resp, &f, &hd);
	mb_httpc_free(c);
	if (rc == MB_OK) {
		*status = resp.status;
		mb_buf_free(reply);
		*reply = resp.body;
		*why = MB_MT__NET_OK;
		return MB_OK;
	}
	if (rc == MB_ERR_NOMEM)
		return rc;
	switch (f) {
	case MB_HTTPC_TOOBIG:
		*why = MB_MT__NET_TOOBIG;
		return mb_diag_set(d, MB_ERR_NET, "answer over %zu bytes",
		    rq->max_reply);
	case MB_HTTPC_TIMEOUT:
		*why = MB_MT__NET_TIMEOUT;
		return mb_diag_set(d, MB_ERR_NET, "no answer within %d s",
		    (rq->timeout_ms + 999) / 1000);
	case MB_HTTPC_CONNECT:
		*why = MB_MT__NET_CONNECT;
		return mb_diag_set(d, MB_ERR_NET, "cannot connect: %s", hd.msg);
	default:
		return mb_diag_set(d, rc, "%s", hd.msg);
	}
}
