/* SPDX-License-Identifier: MIT */
/*
 * GET and POST /federation/v1/translate: this center's shared engines,
 * lent to member centers, the request signed as the exchange's are.
 * The rules (pairs, bounds, rate) are newsroom/mt_share.c's.
 * POST /federation/v1/announce, at HQ: a member center says which pairs
 * it lends, and HQ puts them in that center's entry of the registry.
 */
#include <stdio.h>
#include <string.h>

#include "base/log.h"
#include "base/timeutil.h"
#include "http/federation.h"
#include "http_int.h"
#include "center/names.h"
#include "newsroom/mt_share.h"
#include "sync/registry.h"

/* An announcement's body (the small class): 64 pairs of long tags fit. */
#define ANNOUNCE_BYTES (8 * 1024)

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

/*
 * POST {"mt_pairs": ["en|es", ...]} (HQ only): the caller's pairs, checked
 * (known languages, at most MB_CENTER_PAIRS_MAX), replace those in its
 * registry entry, and a new registry is signed when they changed. A bad
 * announcement changes nothing. The answer: {"center", "mt_pairs",
 * "changed", "version"}.
 */
static void
announce(struct mb_req *r)
{
	const struct mb_center_node	*n = mb_req_node(r);
	struct mb_center		 c, now;
	struct mb_store			*st;
	struct mb_diag			 d = { "" };
	json_t				*body, *pairs;
	char				 caller[33], after[24];
	size_t				 len;
	int64_t				 wait, v = 0;
	bool				 changed;
	int				 rc;

	(void)mb_req_body(r, &len);
	if (len > ANNOUNCE_BYTES) {
		mb_resp_error(r, 413, "too_large", "an announcement is at most "
		    "%d bytes", ANNOUNCE_BYTES);
		return;
	}
	if (!mb_http_federation_signed(r, NULL, caller))
		return;
	mb_resp_private(r);
	if (strcmp(n->conf.role, "hq") != 0) {
		mb_resp_error(r, 403, "not_hq", "%s is a branch: announce to "
		    "HQ, which keeps the registry", n->conf.id);
		return;
	}
	if ((wait = mb_mt_share_admit(caller, mb_time_now_ms())) > 0) {
		snprintf(after, sizeof(after), "%lld",
		    (long long)(wait + 999) / 1000);
		mb_resp_header(r, "Retry-After", after);
		mb_resp_error(r, 429, "rate_limited", "center %s: more than "
		    "%d requests a minute", caller, MB_MT_SHARE_PER_MIN);
		return;
	}
	if ((body = mb_req_json_or_reply(r)) == NULL)
		return;
	if ((st = mb_req_store_or_reply(r)) == NULL) {
		json_decref(body);
		return;
	}
	pairs = json_object_get(body, "mt_pairs");
	if (!json_is_object(body) || !json_is_array(pairs)) {
		json_decref(body);
		mb_resp_error(r, 400, "invalid", "give {\"mt_pairs\": "
		    "[\"from|to\", ...]} (language codes, such as \"en|es\")");
		return;
	}
	if ((rc = mb_store_center_get(st, caller, &c, &d)) != MB_OK) {
		json_decref(body);
		mb_resp_err(r, rc, &d);
		return;
	}
	now = c;
	rc = mb_center_pairs_from_json(&now, pairs, &d);
	json_decref(body);
	if (rc != MB_OK) {
		log_info("mt: announcement refused caller=%s: %s", caller,
		    d.msg);
		mb_resp_error(r, rc == MB_ERR_TOOBIG ? 413 : 400, rc ==
		    MB_ERR_TOOBIG ? "too_large" : "invalid", "%s", d.msg);
		return;
	}
	changed = strcmp(now.mt_pairs, c.mt_pairs) != 0;
	if (changed) {
		now.updated_ms = mb_time_now_ms();
		if ((rc = mb_store_center_put(st, &now, &d)) != MB_OK ||
		    (rc = mb_sync_registry_publish(st, n, &v, &d)) != MB_OK) {
			mb_resp_err(r, rc, &d);
			return;
		}
		log_info("mt: center=%s announces pairs=%s registry=%lld",
		    caller, now.mt_pairs[0] ? now.mt_pairs : "none",
		    (long long)v);
	} else {
		v = mb_sync_registry_version(st);
	}
	pairs = mb_center_pairs_json(&now);
	mb_resp_json(r, 200, json_pack("{s:s, s:o, s:b, s:I}", "center",
	    caller, "mt_pairs", pairs != NULL ? pairs : json_array(),
	    "changed", changed, "version", (json_int_t)v));
}

const struct mb_route mb_routes_fed_mt[] = {
	{ "GET", "/federation/v1/translate", pairs, 0, "fed.translate.pairs" },
	{ "POST", "/federation/v1/translate", translate, MB_ROUTE_ITEM,
	  "fed.translate" },
	{ "POST", "/federation/v1/announce", announce, MB_ROUTE_SMALL,
	  "fed.announce" },
	MB_ROUTES_END
};
