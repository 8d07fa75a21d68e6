/* SPDX-License-Identifier: MIT */
/* The LibreTranslate API: GET /languages, POST /translate with a JSON body
 * {q, source, target, format: "html", api_key}; a batch of segments is
 * sent as q: [..] and answered as translatedText: [..]. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "mt/mt_int.h"

static int
lt_error(struct mb_mt__engine *e, long status, const struct mb_buf *r,
    struct mb_diag *d)
{
	char		 ex[120];
	json_t		*j = json_loadb(mb_buf_cstr(r), r->len, 0, NULL);
	const char	*why = json_string_value(json_object_get(j, "error"));

	mb_mt__excerpt(why != NULL ? why : mb_buf_cstr(r), why != NULL ?
	    strlen(why) : r->len, ex, sizeof(ex));
	json_decref(j);
	return mb_diag_set(d, MB_ERR_NET, "engine %s: HTTP %ld%s: %s",
	    e->conf.name, status, status == 401 || status == 403 ?
	    " (is its API key right?)" : "", ex);
}

static int
garbage(struct mb_mt__engine *e, const char *what, const struct mb_buf *r,
    struct mb_diag *d)
{
	char ex[80];

	mb_mt__excerpt(mb_buf_cstr(r), r->len, ex, sizeof(ex));
	return mb_diag_set(d, MB_ERR_CORRUPT, "engine %s answered garbage "
	    "(%s): \"%s\"", e->conf.name, what, ex);
}

static int
lt_pairs(struct mb_mt__engine *e, int timeout_ms, struct mb_mt_pair **out,
    size_t *n, struct mb_diag *d)
{
	struct mb_buf		 r = MB_BUF_INIT;
	struct mb_mt_pair	*v = NULL;
	json_t			*j = NULL, *l, *t;
	size_t			 i, m, k = 0, cap = 0;
	long			 status;
	int			 rc;

	if ((rc = mb_mt__engine_http(e, "GET", "/languages", NULL, NULL, 0,
	    timeout_ms, &status, &r, d)) != MB_OK)
		goto done;
	if (status != 200) {
		rc = lt_error(e, status, &r, d);
		goto done;
	}
	if ((j = json_loadb(r.data ? r.data : "", r.len, 0, NULL)) == NULL ||
	    !json_is_array(j)) {
		rc = garbage(e, "not a list of languages", &r, d);
		goto done;
	}
	json_array_foreach(j, i, l)
		cap += json_array_size(json_object_get(l, "targets"));
	if ((v = calloc(cap + 1, sizeof(*v))) == NULL) {
		rc = MB_ERR_NOMEM;
		goto done;
	}
	json_array_foreach(j, i, l) {
		const char *f = json_string_value(json_object_get(l, "code"));

		if (f == NULL || strlen(f) > MB_MT_TAG_MAX)
			continue;
		json_array_foreach(json_object_get(l, "targets"), m, t) {
			const char		*to = json_string_value(t);
			struct mb_mt_pair	*p = &v[k];

			if (to == NULL || strlen(to) > MB_MT_TAG_MAX ||
			    strcmp(to, f) == 0)
				continue;
			snprintf(p->engine_from, sizeof(p->engine_from), "%s",
			    f);
			snprintf(p->engine_to, sizeof(p->engine_to), "%s", to);
			if (mb_mt_lang_norm(f, p->from, NULL) == MB_OK &&
			    mb_mt_lang_norm(to, p->to, NULL) == MB_OK)
				k++;
		}
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
lt_translate(struct mb_mt__engine *e, const struct mb_mt_pair *p,
    char *const *in, size_t n, char **out, size_t *requests,
    struct mb_diag *d)
{
	struct mb_buf	 r = MB_BUF_INIT;
	json_t		*rq = NULL, *q, *j = NULL, *t;
	char		*body = NULL;
	size_t		 i;
	long		 status;
	int		 rc = MB_OK;

	/* One segment as a string: what every compatible server takes. */
	if (n == 1) {
		q = json_string(in[0]);
	} else if ((q = json_array()) != NULL) {
		for (i = 0; i < n && q != NULL; i++)
			if (json_array_append_new(q, json_string(in[i])) != 0) {
				json_decref(q);
				q = NULL;
			}
	}
	/* q is stolen by "o"; the key is never logged. */
	rq = json_pack("{s:o, s:s, s:s, s:s, s:s}", "q", q, "source",
	    p->engine_from, "target", p->engine_to, "format", "html",
	    "api_key", e->api_key != NULL ? e->api_key : "");
	if (rq == NULL || (body = json_dumps(rq, JSON_COMPACT)) == NULL) {
		rc = MB_ERR_NOMEM;
		goto done;
	}
	(*requests)++;
	if ((rc = mb_mt__engine_http(e, "POST", "/translate",
	    "application/json", body, strlen(body), 0, &status, &r, d)) !=
	    MB_OK)
		goto done;
	if (status != 200) {
		rc = lt_error(e, status, &r, d);
		goto done;
	}
	j = json_loadb(r.data ? r.data : "", r.len, 0, NULL);
	t = json_object_get(j, "translatedText");
	if (n == 1 && json_is_string(t)) {
		if ((out[0] = strdup(json_string_value(t))) == NULL)
			rc = MB_ERR_NOMEM;
		goto done;
	}
	if (!json_is_array(t) || json_array_size(t) != n) {
		rc = garbage(e, n == 1 ? "no translatedText" :
		    "translatedText is not a list as long as q", &r, d);
		goto done;
	}
	for (i = 0; i < n; i++) {
		const char *s = json_string_value(json_array_get(t, i));

		if (s == NULL || (out[i] = strdup(s)) == NULL) {
			rc = s == NULL ? garbage(e, "translatedText holds "
			    "something that is not a string", &r, d) :
			    MB_ERR_NOMEM;
			while (i-- > 0) {
				free(out[i]);
				out[i] = NULL;
			}
			break;
		}
	}
done:
	if (body != NULL) {
		/* It held the API key. */
		sodium_memzero(body, strlen(body));
		free(body);
	}
	json_decref(rq);
	json_decref(j);
	mb_buf_free(&r);
	return rc;
}

const struct mb_mt__backend mb_mt__libretranslate = {
	MB_MT_LIBRETRANSLATE, lt_pairs, lt_translate
};
