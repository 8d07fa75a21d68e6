/* SPDX-License-Identifier: MIT */
/* Announcing the pairs this center lends for HQ's registry (mt_announce.h). */
#include "mt_announce.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/log.h"
#include "base/timeutil.h"
#include "center/center.h"
#include "center/names.h"
#include "httpc/httpc.h"
#include "mt/mt.h"
#include "newsroom/mt_share.h"
#include "serve/mt_signer.h"
#include "store/store.h"
#include "sync/registry.h"

/* HQ's answer, or why none came, as an error naming HQ's reason. */
static int
hq_refused(long status, const struct mb_buf *b, struct mb_diag *d)
{
	json_t		*j = json_loadb(b->data != NULL ? b->data : "", b->len,
	    0, NULL);
	const char	*why = json_string_value(json_object_get(
	    json_object_get(j, "error"), "message"));
	int		 rc;

	rc = status == 413 ? MB_ERR_TOOBIG : status == 400 ? MB_ERR_INVAL :
	    status == 401 || status == 403 ? MB_ERR_PERM : status == 429 ?
	    MB_ERR_AGAIN : MB_ERR_NET;
	rc = mb_diag_set(d, rc, "HQ answered %ld: %.200s", status,
	    why != NULL ? why : "(no reason given)");
	json_decref(j);
	return rc;
}

/* A branch: the signed POST to HQ. */
static int
send_to_hq(const struct mb_center_node *n, const char *body,
    struct mb_diag *d)
{
	struct mb_httpc_opts	 o = { .user_agent = "mediabridge/mt",
	    .allow_private = true };
	struct mb_httpc_req	 rq;
	struct mb_httpc_resp	 resp;
	struct mb_httpc		*h = NULL;
	char			 url[600], *hdrs[6] = { NULL };
	size_t			 ul = strlen(n->conf.hq_url);
	int			 rc;

	if (n->conf.hq_url[0] == '\0')
		return mb_diag_set(d, MB_ERR_INVAL, "mediabridge.conf: no [hq] "
		    "url to announce to");
	while (ul > 0 && n->conf.hq_url[ul - 1] == '/')
		ul--;
	snprintf(url, sizeof(url), "%.*s/federation/v1/announce", (int)ul,
	    n->conf.hq_url);
	if ((rc = mb_serve_mt_sign((void *)n, "POST", url, body, strlen(body),
	    hdrs, d)) != MB_OK)
		return rc;
	memset(&rq, 0, sizeof(rq));
	memset(&resp, 0, sizeof(resp));
	rq.method = "POST";
	rq.url = url;
	rq.headers = (const char *const *)hdrs;
	rq.content_type = "application/json";
	rq.body = body;
	rq.len = strlen(body);
	rq.max_answer = 64 * 1024;
	rq.timeout_ms = 20000;
	if ((rc = mb_httpc_new(&o, &h)) == MB_OK &&
	    (rc = mb_httpc_do(h, &rq, &resp, NULL, d)) == MB_OK) {
		if (resp.status != 200)
			rc = hq_refused(resp.status, &resp.body, d);
		mb_httpc_resp_free(&resp);
	} else if (rc == MB_ERR_NET) {
		mb_diag_prefix(d, "HQ at %s", n->conf.hq_url);
	}
	mb_httpc_free(h);
	for (int i = 0; hdrs[i] != NULL; i++)
		free(hdrs[i]);
	return rc;
}

/* HQ: its own entry, then a new registry. */
static int
hq_own(const struct mb_center_node *n, struct mb_store *st,
    struct mb_center *want, enum mb_mt_announced *out, struct mb_diag *d)
{
	int64_t	v;
	int	rc;

	want->updated_ms = mb_time_now_ms();
	if ((rc = mb_store_center_put(st, want, d)) != MB_OK ||
	    (rc = mb_sync_registry_publish(st, n, &v, d)) != MB_OK)
		return rc;
	log_info("mt: announced pairs=%s registry=%lld",
	    want->mt_pairs[0] ? want->mt_pairs : "none", (long long)v);
	*out = MB_MT_ANNOUNCE_SIGNED;
	return MB_OK;
}

/* A branch: {"mt_pairs": pairs} to HQ (pairs is taken). */
static int
branch_send(const struct mb_center_node *n, json_t *pairs,
    enum mb_mt_announced *out, struct mb_diag *d)
{
	json_t	*body = json_pack("{s:o}", "mt_pairs", pairs);
	char	*text;
	int	 rc;

	if (body == NULL || (text = json_dumps(body, JSON_COMPACT)) == NULL) {
		json_decref(body);
		return mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
	}
	json_decref(body);
	rc = send_to_hq(n, text, d);
	if (rc == MB_OK) {
		log_info("mt: announced %s to hq", text);
		*out = MB_MT_ANNOUNCE_SENT;
	}
	free(text);
	return rc;
}

int
mb_serve_mt_announce_list(const struct mb_center_node *n,
    struct mb_store *st, json_t *pairs, enum mb_mt_announced *out,
    struct mb_diag *d)
{
	struct mb_center	own;
	int			rc;

	*out = MB_MT_ANNOUNCE_SAME;
	if (strcmp(n->conf.role, "hq") != 0)
		return branch_send(n, json_incref(pairs), out, d);
	if ((rc = mb_store_center_get(st, n->conf.id, &own, d)) != MB_OK ||
	    (rc = mb_center_pairs_from_json(&own, pairs, d)) != MB_OK)
		return rc;
	return hq_own(n, st, &own, out, d);
}

int
mb_serve_mt_announce(const struct mb_center_node *n, struct mb_store *st,
    struct mb_mt *mt, enum mb_mt_announced *out, struct mb_buf *said,
    struct mb_diag *d)
{
	struct mb_center	 own, want;
	json_t			*pairs;
	int			 rc;

	*out = MB_MT_ANNOUNCE_SAME;
	if ((rc = mb_store_center_get(st, n->conf.id, &own, d)) != MB_OK)
		return rc;
	want = own;
	if ((pairs = mb_mt_share_announcement(mt)) == NULL)
		return mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
	rc = mb_center_pairs_from_json(&want, pairs, d);
	if (rc == MB_OK && said != NULL)
		mb_buf_puts(said, want.mt_pairs);
	if (rc != MB_OK || strcmp(want.mt_pairs, own.mt_pairs) == 0) {
		json_decref(pairs);
		return rc;
	}
	if (strcmp(n->conf.role, "hq") == 0) {
		json_decref(pairs);
		return hq_own(n, st, &want, out, d);
	}
	return branch_send(n, pairs, out, d);
}

/* ---- serve's poller ------------------------------------------------------ */

struct mb_mt_announcer {
	const struct mb_center_node	*node;
	struct mb_mt			*mt;
	struct mb_store			*st;	/* the poller thread's own */
	char				 sent[sizeof(((struct mb_center *)0)
	    ->mt_pairs)];
	int64_t				 sent_ms;
};

int
mb_mt_announcer_new(const struct mb_center_node *n, struct mb_mt *mt,
    struct mb_mt_announcer **out, struct mb_diag *d)
{
	struct mb_mt_announcer *a;

	if ((a = calloc(1, sizeof(*a))) == NULL)
		return mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
	a->node = n;
	a->mt = mt;
	*out = a;
	return MB_OK;
}

int
mb_mt_announcer_round(void *arg, int64_t *next_ms, struct mb_diag *d)
{
	struct mb_mt_announcer	*a = arg;
	struct mb_buf		 said = MB_BUF_INIT;
	struct mb_center	 own;
	enum mb_mt_announced	 out;
	int64_t			 now = mb_time_mono_ms();
	int			 rc;

	*next_ms = 0;
	if (a->st == NULL && (rc = mb_center_store(a->node, &a->st, d)) !=
	    MB_OK)
		return rc;
	/*
	 * A branch waits for the registry to come back with what it sent
	 * (the registry's own period) before sending the same again.
	 */
	if (a->sent_ms != 0 && now - a->sent_ms < 60000 &&
	    mb_store_center_get(a->st, a->node->conf.id, &own, NULL) ==
	    MB_OK && strcmp(own.mt_pairs, a->sent) != 0) {
		struct mb_center probe = own;
		json_t *p = mb_mt_share_announcement(a->mt);

		if (p != NULL && mb_center_pairs_from_json(&probe, p, NULL) ==
		    MB_OK && strcmp(probe.mt_pairs, a->sent) == 0) {
			json_decref(p);
			return MB_OK;
		}
		json_decref(p);
	}
	rc = mb_serve_mt_announce(a->node, a->st, a->mt, &out, &said, d);
	if (rc == MB_OK && out == MB_MT_ANNOUNCE_SENT) {
		snprintf(a->sent, sizeof(a->sent), "%s", mb_buf_cstr(&said));
		a->sent_ms = now;
	}
	/*
	 * A shared engine that said nothing may still be starting (APy
	 * loads its pairs for a while): ask again soon, not in 5 minutes.
	 */
	if (rc == MB_OK && said.len == 0)
		for (size_t i = 0; i < mb_mt_engine_count(a->mt); i++) {
			const struct mb_mt_engine_conf *c =
			    mb_mt_engine_at(a->mt, i);

			if (c->share && c->kind != MB_MT_PEER) {
				*next_ms = 5000;
				break;
			}
		}
	mb_buf_free(&said);
	return rc;
}

void
mb_mt_announcer_free(struct mb_mt_announcer *a)
{
	if (a == NULL)
		return;
	mb_store_close(a->st);
	free(a);
}
