/* SPDX-License-Identifier: MIT */
/*
 * Lending this center's engines to member centers (POST
 * /federation/v1/translate): which pairs are offered, how much one
 * request may hold, how often one center may ask, and the translation
 * of a batch of segments. The HTTP door authenticates the caller.
 */
#include "mt_share.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/log.h"
#include "base/timeutil.h"
#include "center/names.h"
#include "mt/mt.h"
#include "store/store.h"

/* ---- how often: a token bucket per calling center -------------------- */

#define BUCKETS 64

static struct bucket {
	char	center[33];
	double	tokens;
	int64_t	at_ms;
} buckets[BUCKETS];
static pthread_mutex_t bucket_lock = PTHREAD_MUTEX_INITIALIZER;

int64_t
mb_mt_share_admit(const char *caller, int64_t now_ms)
{
	struct bucket	*b = NULL, *oldest = &buckets[0];
	int64_t		 wait = 0;

	pthread_mutex_lock(&bucket_lock);
	for (int i = 0; i < BUCKETS && b == NULL; i++) {
		if (strcmp(buckets[i].center, caller) == 0)
			b = &buckets[i];
		else if (buckets[i].at_ms < oldest->at_ms)
			oldest = &buckets[i];
	}
	if (b == NULL) {
		/* A new caller takes the slot asked least recently. */
		b = oldest;
		snprintf(b->center, sizeof(b->center), "%s", caller);
		b->tokens = MB_MT_SHARE_BURST;
		b->at_ms = now_ms;
	}
	b->tokens += (double)(now_ms - b->at_ms) * MB_MT_SHARE_PER_MIN /
	    60000.0;
	if (b->tokens > MB_MT_SHARE_BURST)
		b->tokens = MB_MT_SHARE_BURST;
	b->at_ms = now_ms;
	if (b->tokens >= 1.0)
		b->tokens -= 1.0;
	else
		wait = (int64_t)((1.0 - b->tokens) * 60000.0 /
		    MB_MT_SHARE_PER_MIN) + 1;
	pthread_mutex_unlock(&bucket_lock);
	return wait;
}

/* ---- what is offered ---------------------------------------------------- */

json_t *
mb_mt_share_pairs(struct mb_mt *mt)
{
	json_t *arr = json_array();

	for (size_t i = 0; mt != NULL && arr != NULL &&
	    i < mb_mt_engine_count(mt); i++) {
		const struct mb_mt_engine_conf	*c = mb_mt_engine_at(mt, i);
		struct mb_mt_probe		 p;

		if (!c->share || c->kind == MB_MT_PEER ||
		    mb_mt_engine_pairs(mt, i, &p, NULL) != MB_OK)
			continue;
		for (size_t k = 0; k < p.n; k++) {
			bool dup = false;
			size_t j;
			json_t *o;

			json_array_foreach(arr, j, o)
				if (strcmp(json_string_value(json_object_get(o,
				    "from")), p.pairs[k].from) == 0 &&
				    strcmp(json_string_value(json_object_get(o,
				    "to")), p.pairs[k].to) == 0)
					dup = true;
			if (!dup)
				json_array_append_new(arr, json_pack("{s:s, "
				    "s:s}", "from", p.pairs[k].from, "to",
				    p.pairs[k].to));
		}
		mb_mt_probe_free(&p);
	}
	return arr;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

json_t *
mb_mt_share_announcement(struct mb_mt *mt)
{
	json_t		*pairs = mb_mt_share_pairs(mt), *o, *out;
	char		*v[MB_CENTER_PAIRS_MAX];
	size_t		 i, n = 0;

	if ((out = json_array()) == NULL) {
		json_decref(pairs);
		return NULL;
	}
	json_array_foreach(pairs, i, o) {
		const char	*f, *t;
		char		 s[80];

		if (n == MB_CENTER_PAIRS_MAX) {
			log_warn("mt: more than %d pairs shared: the first %d "
			    "announced", MB_CENTER_PAIRS_MAX,
			    MB_CENTER_PAIRS_MAX);
			break;
		}
		f = json_string_value(json_object_get(o, "from"));
		t = json_string_value(json_object_get(o, "to"));
		/*
		 * The registry names languages by ISO 639-1 code: a pair in
		 * another (Asturian's "ast") is offered to those who name
		 * this center by hand, not announced.
		 */
		if (f == NULL || t == NULL || !mb_lang_known(f) ||
		    !mb_lang_known(t) || strlen(f) > MB_CENTER_PAIR_TAG_MAX ||
		    strlen(t) > MB_CENTER_PAIR_TAG_MAX)
			continue;
		snprintf(s, sizeof(s), "%s|%s", f, t);
		if ((v[n] = strdup(s)) != NULL)
			n++;
	}
	qsort(v, n, sizeof(*v), cmp_str);
	for (i = 0; i < n; i++) {
		if (i == 0 || strcmp(v[i], v[i - 1]) != 0)
			json_array_append_new(out, json_string(v[i]));
	}
	for (i = 0; i < n; i++)
		free(v[i]);
	json_decref(pairs);
	return out;
}

struct lenders {
	struct mb_mt_lender	 v[MB_MT_LENDERS_MAX];
	struct mb_center	*c;	/* their rows */
	size_t			 n;
	const char		*self;
};

static int
lender_cb(const struct mb_center *c, void *arg)
{
	struct lenders *l = arg;

	if (strcmp(c->id, l->self) == 0 || strcmp(c->status, "active") != 0 ||
	    c->mt_pairs[0] == '\0' || l->n == MB_MT_LENDERS_MAX)
		return MB_OK;
	l->c[l->n] = *c;
	l->v[l->n].center = l->c[l->n].id;
	l->v[l->n].url = l->c[l->n].url;
	l->v[l->n].pairs = l->c[l->n].mt_pairs;
	l->n++;
	return MB_OK;
}

int
mb_mt_share_lenders(struct mb_mt *mt, struct mb_store *st, const char *self,
    struct mb_diag *d)
{
	struct lenders	*l;
	int		 rc;

	if ((l = calloc(1, sizeof(*l))) == NULL ||
	    (l->c = calloc(MB_MT_LENDERS_MAX, sizeof(*l->c))) == NULL) {
		free(l);
		return mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
	}
	l->self = self;
	if ((rc = mb_store_center_list(st, lender_cb, l, d)) == MB_OK)
		rc = mb_mt_set_lenders(mt, l->v, l->n, d);
	free(l->c);
	free(l);
	return rc;
}

/* ---- a batch -------------------------------------------------------------- */

int
mb_mt_share_translate(struct mb_mt *mt, const char *center,
    const json_t *req, json_t **answer, struct mb_diag *d)
{
	struct mb_mt_request	 rq;
	struct mb_mt_result	 res;
	struct mb_buf		 doc = MB_BUF_INIT;
	const json_t		*segs = json_object_get(req, "segments"), *s;
	const char		*from = json_string_value(json_object_get(req,
	    "from"));
	const char		*to = json_string_value(json_object_get(req,
	    "to"));
	json_t			*out = NULL, *prov;
	char			*p, *q, *end;
	size_t			 i, n;
	int			 rc;

	if (!json_is_object(req) || from == NULL || to == NULL ||
	    !json_is_array(segs))
		return mb_diag_set(d, MB_ERR_INVAL, "give {\"from\", \"to\", "
		    "\"segments\": [strings]}");
	if ((n = json_array_size(segs)) == 0 || n > MB_MT_SHARE_SEGMENTS)
		return mb_diag_set(d, n == 0 ? MB_ERR_INVAL : MB_ERR_TOOBIG,
		    "segments: 1 to %d of them", MB_MT_SHARE_SEGMENTS);
	/*
	 * One document, a paragraph per segment, so that the engine gets
	 * one request: segments are inline content (their text escaped),
	 * so "</p><p>" in the result can only be a boundary.
	 */
	json_array_foreach(segs, i, s) {
		if (!json_is_string(s))
			return mb_diag_set(d, MB_ERR_INVAL, "segments[%zu]: "
			    "not a string", i);
		if (strstr(json_string_value(s), "<p") != NULL ||
		    strstr(json_string_value(s), "</p") != NULL) {
			mb_buf_free(&doc);
			return mb_diag_set(d, MB_ERR_INVAL, "segments[%zu]: a "
			    "segment holds no block markup", i);
		}
		if (mb_buf_printf(&doc, "<p>%s</p>", json_string_value(s)) !=
		    MB_OK) {
			mb_buf_free(&doc);
			return MB_ERR_NOMEM;
		}
	}
	if (doc.len > MB_MT_SHARE_BYTES) {
		mb_buf_free(&doc);
		return mb_diag_set(d, MB_ERR_TOOBIG, "segments: more than %d "
		    "bytes in all", MB_MT_SHARE_BYTES);
	}
	memset(&rq, 0, sizeof(rq));
	rq.from = from;
	rq.to = to;
	rq.text = doc.data;
	rq.len = doc.len;
	rq.need = MB_MT_FOR_PEERS;
	rc = mb_mt_translate(mt, &rq, &res, d);
	mb_buf_free(&doc);
	if (rc != MB_OK)
		return rc;
	rc = MB_ERR_NOMEM;
	if ((out = json_array()) == NULL)
		goto done;
	p = res.text;
	end = res.text + res.len;
	if (strncmp(p, "<p>", 3) != 0 || res.len < 7 ||
	    strcmp(end - 4, "</p>") != 0)
		goto garbage;
	p += 3;
	end -= 4;
	*end = '\0';
	for (i = 0; i < n; i++) {
		q = i + 1 < n ? strstr(p, "</p><p>") : end;
		if (q == NULL)
			goto garbage;
		if (json_array_append_new(out, json_stringn(p,
		    (size_t)(q - p))) != 0)
			goto done;
		p = q + (i + 1 < n ? 7 : 0);
	}
	if (p != end)
		goto garbage;
	if ((prov = mb_mt_provenance(&res.route, res.at_ms)) == NULL)
		goto done;
	json_object_set_new(prov, "center", json_string(center));
	json_object_set_new(prov, "segments", out);
	out = NULL;
	*answer = prov;
	rc = MB_OK;
	goto done;
garbage:
	rc = mb_diag_set(d, MB_ERR_CORRUPT, "the engine's answer lost the "
	    "segments' boundaries");
done:
	json_decref(out);
	mb_mt_result_free(&res);
	return rc;
}
