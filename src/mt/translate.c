/* SPDX-License-Identifier: MIT */
/* A translation from end to end: segments, glossary, engine calls in
 * batches (twice through a pivot), checks, reassembly; its cache key and
 * its provenance. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "base/log.h"
#include "base/timeutil.h"
#include "mt/mt_int.h"

static void
free_all(char **v, size_t n)
{
	if (v == NULL)
		return;
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/*
 * One leg: every segment in forms through engine e, in batches of at most
 * max_chars bytes; each answer checked against the document, and the
 * checked answers replace forms.
 */
static int
leg(struct mb_mt__engine *e, const struct mb_mt_pair *p,
    const struct mb_mt__doc *doc, char **forms, size_t n, size_t *requests,
    struct mb_diag *d)
{
	char	**ans;
	size_t	  i = 0;
	int	  rc;

	if (n == 0)
		return MB_OK;
	if ((ans = calloc(n, sizeof(*ans))) == NULL)
		return MB_ERR_NOMEM;
	if ((rc = mb_mt__slot_get(e, d)) != MB_OK) {
		free(ans);
		return rc;
	}
	while (i < n) {
		size_t j = i, chars = 0;

		/* At least one segment, however long it is. */
		do {
			chars += strlen(forms[j++]);
		} while (j < n && chars + strlen(forms[j]) <=
		    (size_t)e->conf.max_chars);
		if ((rc = e->be->translate(e, p, forms + i, j - i, ans + i,
		    requests, d)) != MB_OK)
			goto fail;
		for (size_t k = i; k < j; k++) {
			char *ok;

			if ((rc = mb_mt__doc_check(doc, k, ans[k], &ok, d)) !=
			    MB_OK) {
				mb_diag_prefix(d, "engine %s (%s to %s) "
				    "mangled segment %zu of %zu, refusing to "
				    "make a broken translation", e->conf.name,
				    p->engine_from, p->engine_to, k + 1, n);
				goto fail;
			}
			free(ans[k]);
			ans[k] = ok;
		}
		i = j;
	}
	mb_mt__slot_put(e);
	for (size_t k = 0; k < n; k++) {
		free(forms[k]);
		forms[k] = ans[k];
	}
	free(ans);
	return MB_OK;
fail:
	mb_mt__slot_put(e);
	free_all(ans, n);
	return rc;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every tag of the input is in the output, as written (order may move
 * inside a segment): the last guard against a broken draft. */
static int
same_tags(const char *a, size_t alen, const char *b, size_t blen,
    struct mb_diag *d)
{
	struct mb_buf	 sa = MB_BUF_INIT, sb = MB_BUF_INIT;
	char		**la = NULL, **lb = NULL;
	size_t		 na = 0, nb = 0;
	int		 rc;

	if ((rc = mb_mt_html_skeleton(a, alen, &sa)) != MB_OK ||
	    (rc = mb_mt_html_skeleton(b, blen, &sb)) != MB_OK)
		goto done;
	if (sa.len != sb.len) {
		rc = mb_diag_set(d, MB_ERR_CORRUPT, "the translation's tags "
		    "differ from the original's");
		goto done;
	}
	for (size_t i = 0; i < sa.len; i++)
		na += sa.data[i] == '\n';
	for (size_t i = 0; i < sb.len; i++)
		nb += sb.data[i] == '\n';
	if (na != nb) {
		rc = mb_diag_set(d, MB_ERR_CORRUPT, "the translation has %zu "
		    "tags, the original %zu", nb, na);
		goto done;
	}
	if (na == 0)
		goto done;
	la = calloc(na, sizeof(*la));
	lb = calloc(nb, sizeof(*lb));
	if (la == NULL || lb == NULL) {
		rc = MB_ERR_NOMEM;
		goto done;
	}
	na = nb = 0;
	for (char *s = sa.data, *nl; (nl = strchr(s, '\n')) != NULL;
	    s = nl + 1) {
		*nl = '\0';
		la[na++] = s;
	}
	for (char *s = sb.data, *nl; (nl = strchr(s, '\n')) != NULL;
	    s = nl + 1) {
		*nl = '\0';
		lb[nb++] = s;
	}
	qsort(la, na, sizeof(*la), cmp_str);
	qsort(lb, nb, sizeof(*lb), cmp_str);
	for (size_t i = 0; i < na; i++)
		if (strcmp(la[i], lb[i]) != 0) {
			rc = mb_diag_set(d, MB_ERR_CORRUPT, "the translation's "
			    "tags differ from the original's");
			break;
		}
done:
	free(la);
	free(lb);
	mb_buf_free(&sa);
	mb_buf_free(&sb);
	return rc;
}

int
mb_mt_translate(struct mb_mt *mt, const struct mb_mt_request *rq,
    struct mb_mt_result *out, struct mb_diag *d)
{
	struct mb_mt__doc	*doc = NULL;
	struct mb_mt_route	 r;
	struct mb_buf		 b = MB_BUF_INIT;
	char			**forms = NULL;
	size_t			 n = 0, requests = 0;
	int64_t			 t0 = mb_time_mono_ms();
	int			 rc;

	if ((rc = mb_mt__doc_parse(rq->text, rq->len, rq->plain, &doc, d)) !=
	    MB_OK)
		return rc;
	if ((rc = mb_mt_route_for(mt, rq->from, rq->to, rq->engine, rq->need,
	    &r, d)) != MB_OK)
		goto done;
	if ((rc = mb_mt__doc_protect(doc, rq->glossary, r.from, r.to, d)) !=
	    MB_OK)
		goto done;
	n = mb_mt__doc_count(doc);
	if ((forms = calloc(n + 1, sizeof(*forms))) == NULL) {
		rc = MB_ERR_NOMEM;
		goto done;
	}
	for (size_t k = 0; k < n; k++)
		if ((rc = mb_mt__doc_form(doc, k, &forms[k])) != MB_OK)
			goto done;
	for (int l = 0; l < r.legs; l++)
		if ((rc = leg(mt->engines[r.leg[l].engine], &r.leg[l].pair,
		    doc, forms, n, &requests, d)) != MB_OK)
			goto done;
	if ((rc = mb_mt__doc_assemble(doc, forms, &b, d)) != MB_OK)
		goto done;
	if (!rq->plain && (rc = same_tags(rq->text, rq->len, b.data, b.len,
	    d)) != MB_OK)
		goto done;
	memset(out, 0, sizeof(*out));
	out->len = b.len;
	out->text = mb_buf_steal(&b);
	out->route = r;
	out->at_ms = mb_time_now_ms();
	out->segments = n;
	out->requests = requests;
	out->took_ms = mb_time_mono_ms() - t0;
	mb_mt_cache_key(rq->text, rq->len, rq->plain, &r, rq->glossary,
	    out->cache_key);
	log_debug("mt: engine=%s pair=%s pivot=%s segments=%zu requests=%zu "
	    "bytes=%zu ms=%lld", r.engine, r.pair, r.pivot[0] ? r.pivot : "-",
	    n, requests, rq->len, (long long)out->took_ms);
done:
	free_all(forms, n);
	mb_buf_free(&b);
	mb_mt__doc_free(doc);
	return rc;
}

void
mb_mt_result_free(struct mb_mt_result *r)
{
	if (r == NULL)
		return;
	free(r->text);
	memset(r, 0, sizeof(*r));
}

static void
field(crypto_hash_sha256_state *st, const char *s, size_t len)
{
	unsigned char n[8];

	for (int i = 0; i < 8; i++)
		n[i] = (unsigned char)((uint64_t)len >> (56 - 8 * i));
	crypto_hash_sha256_update(st, n, sizeof(n));
	crypto_hash_sha256_update(st, (const unsigned char *)s, len);
}

void
mb_mt_cache_key(const char *text, size_t len, bool plain,
    const struct mb_mt_route *r, const struct mb_mt_glossary *g,
    char out[65])
{
	crypto_hash_sha256_state	st;
	unsigned char			h[crypto_hash_sha256_BYTES];
	char				gd[65];

	mb_mt_glossary_digest(g, r->from, r->to, gd);
	crypto_hash_sha256_init(&st);
	field(&st, "mediabridge-mt-1", 16);
	field(&st, plain ? "text" : "html", 4);
	field(&st, text, len);
	field(&st, r->pair, strlen(r->pair));
	field(&st, r->engine, strlen(r->engine));
	field(&st, r->version, strlen(r->version));
	field(&st, r->pivot, strlen(r->pivot));
	field(&st, gd, strlen(gd));
	crypto_hash_sha256_final(&st, h);
	sodium_bin2hex(out, 65, h, sizeof(h));
}

json_t *
mb_mt_provenance(const struct mb_mt_route *r, int64_t at_ms)
{
	char	at[MB_TIME_RFC3339_LEN];
	json_t	*o;

	mb_time_format(at_ms, at);
	o = json_pack("{s:s, s:s, s:s, s:s, s:s}", "by", "machine",
	    "engine", r->engine, "pair", r->pair, "engineVersion", r->version,
	    "at", at);
	if (o != NULL && ((r->pivot[0] != '\0' && json_object_set_new(o,
	    "pivot", json_string(r->pivot)) != 0) || (r->via[0] != '\0' &&
	    json_object_set_new(o, "via", json_string(r->via)) != 0))) {
		json_decref(o);
		return NULL;
	}
	return o;
}
