/* SPDX-License-Identifier: MIT */
/* Apertium APy: GET /listPairs, POST /translate (langpair=eng|spa,
 * format=html, markUnknown=no). Segments go in one request, each in a
 * numbered <p>, which APy's HTML deformatter ends a sentence at. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/log.h"
#include "mt/mt_int.h"

/* The explanation in an APy error answer, else an excerpt of it. */
static int
apy_error(struct mb_mt__engine *e, long status, const struct mb_buf *r,
    struct mb_diag *d)
{
	char		 ex[120];
	json_t		*j = json_loadb(mb_buf_cstr(r), r->len, 0, NULL);
	const char	*why = NULL;

	if (j != NULL)
		why = json_string_value(json_object_get(j, "explanation"));
	mb_mt__excerpt(why != NULL ? why : mb_buf_cstr(r), why != NULL ?
	    strlen(why) : r->len, ex, sizeof(ex));
	json_decref(j);
	return mb_diag_set(d, MB_ERR_NET, "engine %s: HTTP %ld: %s",
	    e->conf.name, status, ex);
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
apy_pairs(struct mb_mt__engine *e, int timeout_ms, struct mb_mt_pair **out,
    size_t *n, struct mb_diag *d)
{
	struct mb_buf		 r = MB_BUF_INIT;
	struct mb_mt_pair	*v = NULL;
	json_t			*j = NULL, *a, *x;
	size_t			 i, k = 0;
	long			 status;
	int			 rc;

	if ((rc = mb_mt__engine_http(e, "GET", "/listPairs", NULL, NULL, 0,
	    timeout_ms, &status, &r, d)) != MB_OK)
		goto done;
	if (status != 200) {
		rc = apy_error(e, status, &r, d);
		goto done;
	}
	j = json_loadb(r.data ? r.data : "", r.len, 0, NULL);
	if ((a = json_object_get(j, "responseData")) == NULL ||
	    !json_is_array(a)) {
		rc = garbage(e, "no responseData list", &r, d);
		goto done;
	}
	if ((v = calloc(json_array_size(a) + 1, sizeof(*v))) == NULL) {
		rc = MB_ERR_NOMEM;
		goto done;
	}
	json_array_foreach(a, i, x) {
		const char *f = json_string_value(json_object_get(x,
		    "sourceLanguage"));
		const char *t = json_string_value(json_object_get(x,
		    "targetLanguage"));
		struct mb_mt_pair *p = &v[k];

		if (f == NULL || t == NULL || strlen(f) > MB_MT_TAG_MAX ||
		    strlen(t) > MB_MT_TAG_MAX)
			continue;
		snprintf(p->engine_from, sizeof(p->engine_from), "%s", f);
		snprintf(p->engine_to, sizeof(p->engine_to), "%s", t);
		mb_mt_lang_from_apy(f, p->from);
		mb_mt_lang_from_apy(t, p->to);
		if (mb_mt_lang_norm(p->from, p->from, NULL) == MB_OK &&
		    mb_mt_lang_norm(p->to, p->to, NULL) == MB_OK)
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

/*
 * Apertium marks a word it could not generate with its analysis, "#\<prn\>",
 * escaped for its stream format; in HTML mode the escapes come back as
 * they are, and "<prn\>" would read as a tag. It is text (the plain-text
 * mode gives "#<prn>"), so it is made text.
 */
static int
unescape_marks(const char *t, char **out)
{
	struct mb_buf	b = MB_BUF_INIT;
	int		rc = MB_OK;

	for (const char *p = t; *p != '\0' && rc == MB_OK; p++) {
		if (p[0] == '\\' && (p[1] == '<' || p[1] == '>')) {
			rc = mb_buf_puts(&b, p[1] == '<' ? "&lt;" : "&gt;");
			p++;
		} else {
			rc = mb_buf_putc(&b, *p);
		}
	}
	if (rc == MB_OK && b.data == NULL)
		rc = mb_buf_puts(&b, "");
	if (rc != MB_OK) {
		mb_buf_free(&b);
		return rc;
	}
	*out = mb_buf_steal(&b);
	return MB_OK;
}

/* One request: q through the pair; *text the translated text (malloc'd). */
static int
apy_call(struct mb_mt__engine *e, const struct mb_mt_pair *p, const char *q,
    size_t qlen, char **text, size_t *requests, struct mb_diag *d)
{
	struct mb_buf	 body = MB_BUF_INIT, r = MB_BUF_INIT;
	json_t		*j = NULL;
	const char	*t;
	long		 status;
	int		 rc;

	mb_buf_printf(&body, "langpair=");
	mb_mt__urlencode(&body, p->engine_from, strlen(p->engine_from));
	mb_buf_puts(&body, "%7C");
	mb_mt__urlencode(&body, p->engine_to, strlen(p->engine_to));
	mb_buf_puts(&body, "&format=html&markUnknown=no&q=");
	if ((rc = mb_mt__urlencode(&body, q, qlen)) != MB_OK)
		goto done;
	(*requests)++;
	if ((rc = mb_mt__engine_http(e, "POST", "/translate",
	    "application/x-www-form-urlencoded", body.data, body.len, 0,
	    &status, &r, d)) != MB_OK)
		goto done;
	if (status != 200) {
		rc = apy_error(e, status, &r, d);
		goto done;
	}
	j = json_loadb(r.data ? r.data : "", r.len, 0, NULL);
	t = json_string_value(json_object_get(json_object_get(j,
	    "responseData"), "translatedText"));
	if (t == NULL) {
		rc = garbage(e, "no responseData.translatedText", &r, d);
		goto done;
	}
	rc = unescape_marks(t, text);
done:
	json_decref(j);
	mb_buf_free(&body);
	mb_buf_free(&r);
	return rc;
}

/* Cuts the answer to a batch at its numbered <p>s; false if it can't. */
static bool
split(const char *a, size_t n, char **out)
{
	const char	*pos = a;
	char		 mark[32];

	for (size_t i = 0; i < n; i++) {
		const char *s, *e, *next;

		snprintf(mark, sizeof(mark), "<p mbs=\"%zu\">", i);
		if ((s = strstr(pos, mark)) == NULL)
			goto fail;
		s += strlen(mark);
		if ((e = strstr(s, "</p>")) == NULL)
			goto fail;
		next = strstr(s, "<p mbs=");
		if (next != NULL && next < e)
			goto fail;
		if ((out[i] = strndup(s, (size_t)(e - s))) == NULL)
			goto fail;
		pos = e + 4;
	}
	return true;
fail:
	for (size_t i = 0; i < n; i++) {
		free(out[i]);
		out[i] = NULL;
	}
	return false;
}

static int
apy_translate(struct mb_mt__engine *e, const struct mb_mt_pair *p,
    char *const *in, size_t n, char **out, size_t *requests,
    struct mb_diag *d)
{
	struct mb_buf	 q = MB_BUF_INIT;
	char		*a = NULL;
	int		 rc = MB_OK;

	if (n > 1) {
		for (size_t i = 0; i < n && rc == MB_OK; i++)
			rc = mb_buf_printf(&q, "<p mbs=\"%zu\">%s</p>", i,
			    in[i]);
		if (rc == MB_OK)
			rc = apy_call(e, p, q.data, q.len, &a, requests, d);
		mb_buf_free(&q);
		if (rc != MB_OK)
			return rc;
		if (split(a, n, out)) {
			free(a);
			return MB_OK;
		}
		free(a);
		log_warn("mt: engine=%s merged or lost the segments of a batch "
		    "of %zu; sending them one at a time", e->conf.name, n);
	}
	for (size_t i = 0; i < n; i++) {
		if ((rc = apy_call(e, p, in[i], strlen(in[i]), &out[i],
		    requests, d)) != MB_OK) {
			while (i-- > 0) {
				free(out[i]);
				out[i] = NULL;
			}
			return rc;
		}
	}
	return MB_OK;
}

const struct mb_mt__backend mb_mt__apy = {
	MB_MT_APY, apy_pairs, apy_translate
};
