/* SPDX-License-Identifier: MIT */
/*
 * GET and POST /federation/v1/translate: this center's shared engines,
 * lent to member centers, the request signed as the exchange's are.
 * The rules (pairs, bounds, rate) are newsroom/mt_share.c's.
 */
#include <stdio.h>
#include <string.h>

#include "base/log.h"
#include "base/timeutil.h"
#include "http/federation.h"
#include "http_int.h"
#include "newsroom/mt_share.h"

/* GET: the pairs offered, and who offers them. */
static void
pairs(struct mb_req *r)
{
	char caller[33];

	if (!mb_http_federation_signed(r, NULL, caller))
		return;
	mb_resp_private(r);
	mb_resp_json(r, 200, json_pack("{s:s, s:o}", "center",
	    mb_req_node(r)->conf.id, "pairs", mb_mt_share_pairs(mb_req_mt(r))));
}

/* POST {"from", "to", "segments": [...]}: the segments translated. */
static void
translate(struct mb_req *r)
{
	struct mb_diag	 d = { "" };
	json_t		*body, *answer = NULL;
	char		 caller[33], after[24];
	size_t		 len;
	int64_t		 wait, t0 = mb_time_mono_ms();
	int		 rc;

	(void)mb_req_body(r, &len);
	if (len > MB_MT_SHARE_BYTES + 64 * 1024) {
		mb_resp_error(r, 413, "too_large", "at most %d bytes of "
		    "segments in one request", MB_MT_SHARE_BYTES);
		return;
	}
	if (!mb_http_federation_signed(r, NULL, caller))
		return;
	mb_resp_private(r);
	if ((wait = mb_mt_share_admit(caller, mb_time_now_ms())) > 0) {
		snprintf(after, sizeof(after), "%lld",
		    (long long)(wait + 999) / 1000);
		mb_resp_header(r, "Retry-After", after);
		mb_resp_error(r, 429, "rate_limited", "center %s: more than "
		    "%d translations a minute", caller, MB_MT_SHARE_PER_MIN);
		return;
	}
	if ((body = mb_req_json_or_reply(r)) == NULL)
		return;
	rc = mb_mt_share_translate(mb_req_mt(r), mb_req_node(r)->conf.id,
	    body, &answer, &d);
	log_info("mt: lent caller=%s from=%s to=%s segments=%zu ms=%lld "
	    "rc=%s", caller, json_string_value(json_object_get(body, "from")),
	    json_string_value(json_object_get(body, "to")), json_array_size(
	    json_object_get(body, "segments")), (long long)(mb_time_mono_ms() -
	    t0), mb_strerror(rc));
	json_decref(body);
	if (rc != MB_OK) {
		mb_resp_mt_fail(r, rc, rc == MB_ERR_NOTFOUND ? "no_pair" :
		    NULL, &d);
		return;
	}
	mb_resp_json(r, 200, answer);
}

const struct mb_route mb_routes_fed_mt[] = {
	{ "GET", "/federation/v1/translate", pairs, 0, "fed.translate.pairs" },
	{ "POST", "/federation/v1/translate", translate, MB_ROUTE_ITEM,
	  "fed.translate" },
	MB_ROUTES_END
};
