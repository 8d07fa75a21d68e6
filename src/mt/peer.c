/* SPDX-License-Identifier: MIT */
/*
 * Another member center's shared engines (kind mediabridge): its pairs
 * from GET /federation/v1/translate and segments translated by POST
 * /federation/v1/translate, both signed as this center (the signer is
 * the caller's: mb_mt_set_signer). The serving center checks its own
 * engine's answers; this side checks them again as for any engine.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "mt/mt_int.h"

#define PATH "/federation/v1/translate"

static int
peer_error(struct mb_mt__engine *e, long status, const struct mb_buf *r,
    struct mb_diag *d)
{
	char		 ex[160];
	json_t		*j = json_loadb(mb_buf_cstr(r), r->len, 0, NULL);
	const char	*why = json_string_value(json_object_get(
	    json_object_get(j, "error"), "message"));
	int		 rc = MB_ERR_NET;

	mb_mt__excerpt(why != NULL ? why : mb_buf_cstr(r), why != NULL ?
	    strlen(why) : r->len, ex, sizeof(ex));
	json_decref(j);
	if (status == 429)
		rc = MB_ERR_AGAIN;
	else if (status == 422)
		rc = MB_ERR_NOTFOUND;
	else if (status == 502)
		rc = MB_ERR_CORRUPT;
	return mb_diag_set(d, rc, "center behind engine %s: HTTP %ld%s: %s",
	    e->conf.name, status, status == 401 || status == 403 ?
	    " (is this center a member it knows?)" : "", ex);
}

static int
garbage(struct mb_mt__engine *e, const char *what, const struct mb_buf *r,
    struct mb_diag *d)
{
	char ex[80];

	mb_mt__excerpt(mb_buf_cstr(r), r->len, ex, sizeof(ex));
	return mb_diag_set(d, MB_ERR_CORRUPT, "center behind engine %s "
	    "answered garbage (%s): \"%s\"", e->conf.name, what, ex);
}

/* The serving center's id, remembered for the provenance's "via". */
static int
note_center(struct mb_mt__engine *e, const json_t *j)
{
	const char *c = json_string_value(json_object_get(j, "center"));

	if (c == NULL || *c == '\0' || strlen(c) > 32)
		return -1;
	pthread_mutex_lock(&e->lock);
	snprintf(e->peer, sizeof(e->peer), "%s", c);
	pthread_mutex_unlock(&e->lock);
	return 0;
}

static int
peer_pairs(struct mb_mt__engine *e, int timeout_ms, struct mb_mt_pair **out,
    size_t *n, struct mb_diag *d)
{
	struct mb_buf		 r = MB_BUF_INIT;
	struct mb_mt_pair	*v = NULL;
	json_t			*j = NULL, *l, *p;
	size_t			 i, k = 0;
	long			 status;
	int			 rc;

	if ((rc = mb_mt__engine_http(e, "GET", PATH, NULL, NULL, 0,
	    timeout_ms, &status, &r, d)) != MB_OK)
		goto done;
	if (status != 200) {
		rc = peer_error(e, status, &r, d);
		goto done;
	}
	j = json_loadb(r.data ? r.data : "", r.len, 0, NULL);
	if (!json_is_array(l = json_object_get(j, "pairs")) ||
	    note_center(e, j) != 0) {
		rc = garbage(e, "not {center, pairs}", &r, d);
		goto done;
	}
	if ((v = calloc(json_array_size(l) + 1, sizeof(*v))) == NULL) {
		rc = MB_ERR_NOMEM;
		goto done;
	}
	json_array_foreach(l, i, p) {
		const char *f = json_string_value(json_object_get(p, "from"));
		const char *t = json_string_value(json_object_get(p, "to"));

		if (f == NULL || t == NULL || mb_mt_lang_norm(f, v[k].from,
		    NULL) != MB_OK || mb_mt_lang_norm(t, v[k].to, NULL) !=
		    MB_OK)
			continue;
		snprintf(v[k].engine_from, sizeof(v[k].engine_from), "%s",
		    v[k].from);
		snprintf(v[k].engine_to, sizeof(v[k].engine_to), "%s",
		    v[k].to);
		k++;
	}
	*out = v;
	*n = k;
	v = NULL;
done:
	free(v);
	json_decref(j);
	mb_buf_free(&r);
	return rc;
}

static int
peer_translate(struct mb_mt__engine *e, const struct mb_mt_pair *p,
    char *const *in, size_t n, char **out, size_t *requests,
    struct mb_diag *d)
{
	struct mb_buf	 r = MB_BUF_INIT;
	json_t		*rq, *segs, *j = NULL, *t;
	char		*body = NULL;
	size_t		 i;
	long		 status;
	int		 rc = MB_OK;

	if ((segs = json_array()) == NULL)
		return MB_ERR_NOMEM;
	for (i = 0; i < n; i++)
		if (json_array_append_new(segs, json_string(in[i])) != 0) {
			json_decref(segs);
			return MB_ERR_NOMEM;
		}
	rq = json_pack("{s:s, s:s, s:o}", "from", p->engine_from, "to",
	    p->engine_to, "segments", segs);
	if (rq == NULL || (body = json_dumps(rq, JSON_COMPACT)) == NULL) {
		rc = MB_ERR_NOMEM;
		goto done;
	}
	(*requests)++;
	if ((rc = mb_mt__engine_http(e, "POST", PATH, "application/json",
	    body, strlen(body), 0, &status, &r, d)) != MB_OK)
		goto done;
	if (status != 200) {
		rc = peer_error(e, status, &r, d);
		goto done;
	}
	j = json_loadb(r.data ? r.data : "", r.len, 0, NULL);
	t = json_object_get(j, "segments");
	if (!json_is_array(t) || json_array_size(t) != n ||
	    note_center(e, j) != 0) {
		rc = garbage(e, "not {center, segments} as many as sent", &r,
		    d);
		goto done;
	}
	for (i = 0; i < n; i++) {
		const char *s = json_string_value(json_array_get(t, i));

		if (s == NULL || (out[i] = strdup(s)) == NULL) {
			rc = s == NULL ? garbage(e, "a segment that is not a "
			    "string", &r, d) : MB_ERR_NOMEM;
			while (i-- > 0) {
				free(out[i]);
				out[i] = NULL;
			}
			break;
		}
	}
done:
	free(body);
	json_decref(rq);
	json_decref(j);
	mb_buf_free(&r);
	return rc;
}

const struct mb_mt__backend mb_mt__peer = {
	MB_MT_PEER, peer_pairs, peer_translate
};
