/* SPDX-License-Identifier: MIT */
/* Choosing the engine(s) for a language pair: directly when one has it,
 * else through one pivot language, and saying which. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mt/mt_int.h"

/* How well an offered tag serves an asked one: 2 same, 1 same language
 * where one of them says no more (zh and zh-Hans), 0 not at all. */
static int
tag_match(const char *asked, const char *offered)
{
	char a[MB_MT_TAG_MAX + 1], o[MB_MT_TAG_MAX + 1];

	if (strcasecmp(asked, offered) == 0)
		return 2;
	mb_mt__primary(asked, a);
	mb_mt__primary(offered, o);
	if (strcmp(a, o) == 0 && (strcmp(a, asked) == 0 ||
	    strcmp(o, offered) == 0))
		return 1;
	return 0;
}

/* The languages tried as pivots first; any other comes after. */
static int
pivot_rank(const char *tag)
{
	static const char *const order[] = { "en", "es", "fr", "pt", "ru",
	    "ar", "zh", NULL };
	char p[MB_MT_TAG_MAX + 1];

	mb_mt__primary(tag, p);
	for (int i = 0; order[i] != NULL; i++)
		if (strcmp(order[i], p) == 0)
			return i;
	return 100;
}

struct offer {
	struct mb_mt_pair	*pairs;
	size_t			 n;
	char			 version[MB_MT_VERSION_MAX];
	bool			 up;
};

/* A leg on a peer's engines: the route says which center served it. */
static void
via(struct mb_mt_route *r, struct mb_mt__engine *e)
{
	if (e->conf.kind != MB_MT_PEER)
		return;
	pthread_mutex_lock(&e->lock);
	snprintf(r->via, sizeof(r->via), "%s", e->peer);
	pthread_mutex_unlock(&e->lock);
}

static void
fill(struct mb_mt_route *r, const struct mb_mt *mt, const struct offer *of,
    size_t e1, const struct mb_mt_pair *p1, size_t e2,
    const struct mb_mt_pair *p2)
{
	const char *n1 = mt->engines[e1]->conf.name;

	r->leg[0].engine = e1;
	r->leg[0].pair = *p1;
	r->legs = 1;
	snprintf(r->engine, sizeof(r->engine), "%s", n1);
	snprintf(r->version, sizeof(r->version), "%s", of[e1].version);
	r->pivot[0] = '\0';
	r->via[0] = '\0';
	via(r, mt->engines[e1]);
	if (p2 == NULL)
		return;
	via(r, mt->engines[e2]);
	r->leg[1].engine = e2;
	r->leg[1].pair = *p2;
	r->legs = 2;
	snprintf(r->pivot, sizeof(r->pivot), "%s", p1->to);
	if (e2 != e1) {
		snprintf(r->engine, sizeof(r->engine), "%s+%s", n1,
		    mt->engines[e2]->conf.name);
		snprintf(r->version, sizeof(r->version), "%s+%s",
		    of[e1].version, of[e2].version);
	}
}

/* Are a and b variants of one language (en, en-GB; pt-BR, pt-PT)? */
static bool
same_primary(const char *a, const char *b)
{
	char pa[MB_MT_TAG_MAX + 1], pb[MB_MT_TAG_MAX + 1];

	mb_mt__primary(a, pa);
	mb_mt__primary(b, pb);
	return strcmp(pa, pb) == 0;
}

/*
 * The best direct pair of engine i, or NULL. Between variants of one
 * language only a pair the engine offers for exactly that target and
 * from another variant will do: en|en for en -> en-GB would copy.
 */
static const struct mb_mt_pair *
direct(const struct offer *o, const char *from, const char *to)
{
	const struct mb_mt_pair	*best = NULL;
	int			 score = 0;
	bool			 variant = same_primary(from, to);

	for (size_t k = 0; k < o->n; k++) {
		int a = tag_match(from, o->pairs[k].from);
		int b = tag_match(to, o->pairs[k].to);

		if (variant && (b != 2 || tag_match(o->pairs[k].from,
		    o->pairs[k].to) == 2))
			continue;
		if (a > 0 && b > 0 && a + b > score) {
			best = &o->pairs[k];
			score = a + b;
		}
	}
	return best;
}

static bool
find_pivot(const struct mb_mt *mt, const struct offer *of, const size_t *cand,
    size_t nc, const char *from, const char *to, struct mb_mt_route *r)
{
	const struct mb_mt_pair	*b1 = NULL, *b2 = NULL;
	size_t			 e1 = 0, e2 = 0;
	int			 best = 1 << 30;

	for (size_t i = 0; i < nc; i++) {
		const struct offer *o1 = &of[cand[i]];

		for (size_t k = 0; o1->up && k < o1->n; k++) {
			const struct mb_mt_pair *p1 = &o1->pairs[k];

			if (tag_match(from, p1->from) == 0 ||
			    tag_match(to, p1->to) > 0 ||
			    tag_match(from, p1->to) > 0)
				continue;
			for (size_t j = 0; j < nc; j++) {
				const struct offer	*o2 = &of[cand[j]];
				int			 cost;

				for (size_t m = 0; o2->up && m < o2->n; m++) {
					const struct mb_mt_pair *p2 =
					    &o2->pairs[m];

					if (tag_match(p1->to, p2->from) == 0 ||
					    tag_match(to, p2->to) == 0)
						continue;
					/* one engine, a usual pivot, the
					 * closest tags, the file's order */
					cost = (cand[i] != cand[j]) * 1000000 +
					    pivot_rank(p1->to) * 10000 +
					    (4 - tag_match(from, p1->from) -
					    tag_match(to, p2->to)) * 1000 +
					    (int)(i * 32 + j);
					if (cost < best) {
						best = cost;
						b1 = p1;
						b2 = p2;
						e1 = cand[i];
						e2 = cand[j];
					}
				}
			}
		}
	}
	if (b1 == NULL)
		return false;
	fill(r, mt, of, e1, b1, e2, b2);
	return true;
}

/* "apy: en|es es|en ...; lt: down" for a diagnostic, cut to n bytes. */
static void
offered(const struct mb_mt *mt, const struct offer *of, const size_t *cand,
    size_t nc, char *out, size_t n)
{
	struct mb_buf b = MB_BUF_INIT;

	for (size_t i = 0; i < nc && b.len < n; i++) {
		const struct offer *o = &of[cand[i]];

		mb_buf_printf(&b, "%s%s:", i > 0 ? "; " : "",
		    mt->engines[cand[i]]->conf.name);
		if (!o->up)
			mb_buf_puts(&b, " down");
		else if (o->n == 0)
			mb_buf_puts(&b, " no pairs");
		for (size_t k = 0; o->up && k < o->n && b.len < n; k++)
			mb_buf_printf(&b, " %s|%s", o->pairs[k].from,
			    o->pairs[k].to);
	}
	if (b.len >= n && n > 4)
		snprintf(out, n, "%.*s...", (int)(n - 4), mb_buf_cstr(&b));
	else
		snprintf(out, n, "%s", mb_buf_cstr(&b));
	mb_buf_free(&b);
}

int
mb_mt_route(struct mb_mt *mt, const char *from, const char *to,
    const char *engine, struct mb_mt_route *out, struct mb_diag *d)
{
	return mb_mt_route_for(mt, from, to, engine, 0, out, d);
}

/* May engine e serve a translation for need (MB_MT_FOR_*)? */
static bool
allowed(const struct mb_mt__engine *e, unsigned need)
{
	if ((need & MB_MT_FOR_PEERS) && (!e->conf.share ||
	    e->conf.kind == MB_MT_PEER))
		return false;
	if ((need & MB_MT_FOR_READERS) && !e->conf.readers)
		return false;
	if ((need & MB_MT_LOCAL) && e->conf.kind == MB_MT_PEER)
		return false;
	return !atomic_load(&e->off);
}

int
mb_mt_route_for(struct mb_mt *mt, const char *from, const char *to,
    const char *engine, unsigned need, struct mb_mt_route *out,
    struct mb_diag *d)
{
	struct mb_mt_route	 r;
	struct mb_diag		 down = { "" };
	struct offer		*of;
	size_t			*cand, nc = 0, ndown = 0;
	size_t			 total = mb_mt__count(mt);
	int			 rc = MB_OK, down_rc = MB_OK;
	bool			 found = false;

	memset(&r, 0, sizeof(r));
	if ((rc = mb_mt_lang_norm(from, r.from, d)) != MB_OK) {
		mb_diag_prefix(d, "from");
		return rc;
	}
	if ((rc = mb_mt_lang_norm(to, r.to, d)) != MB_OK) {
		mb_diag_prefix(d, "to");
		return rc;
	}
	if (tag_match(r.from, r.to) == 2)
		return mb_diag_set(d, MB_ERR_INVAL, "from and to are the same "
		    "language (%s)", r.from);
	snprintf(r.pair, sizeof(r.pair), "%s|%s", r.from, r.to);
	if (total == 0)
		return mb_diag_set(d, MB_ERR_NOTFOUND, "no engine is "
		    "configured (mediabridge engine add)");
	of = calloc(total, sizeof(*of));
	cand = calloc(total, sizeof(*cand));
	if (of == NULL || cand == NULL) {
		rc = MB_ERR_NOMEM;
		goto done;
	}
	for (size_t i = 0; i < total; i++)
		if ((engine == NULL || strcmp(engine,
		    mt->engines[i]->conf.name) == 0) &&
		    allowed(mt->engines[i], need))
			cand[nc++] = i;
	if (nc == 0 && (need & (MB_MT_FOR_PEERS | MB_MT_FOR_READERS))) {
		rc = mb_diag_set(d, MB_ERR_NOTFOUND, "no engine here is "
		    "offered for %s (share = yes, readers = yes in "
		    "engines.conf)", need & MB_MT_FOR_PEERS ? "other centers" :
		    "readers");
		goto done;
	}
	if (nc == 0 && (need & MB_MT_LOCAL)) {
		/* Only other centers' engines: say so, not "no engine". */
		rc = mb_diag_set(d, MB_ERR_NOTFOUND, "no engine of this "
		    "center's own translates %s to %s (mediabridge engine "
		    "add)", r.from, r.to);
		goto done;
	}
	if (nc == 0) {
		rc = engine != NULL ? mb_diag_set(d, MB_ERR_NOTFOUND, "no "
		    "engine named \"%.40s\" (mediabridge engine list)",
		    engine) : mb_diag_set(d, MB_ERR_NOTFOUND, "no engine here "
		    "may take this request (mediabridge engine list)");
		goto done;
	}
	for (size_t i = 0; i < nc; i++) {
		struct offer	*o = &of[cand[i]];
		struct mb_diag	 e = { "" };
		int		 erc;

		erc = mb_mt__pairs(mt->engines[cand[i]], &o->pairs, &o->n,
		    o->version, &e);
		if (erc == MB_OK) {
			o->up = true;
			continue;
		}
		if (erc == MB_ERR_NOMEM) {
			rc = erc;
			goto done;
		}
		if (ndown++ == 0) {
			down = e;
			down_rc = erc;
		}
	}
	for (size_t i = 0; i < nc && !found; i++) {
		const struct mb_mt_pair *p = direct(&of[cand[i]], r.from, r.to);

		if (of[cand[i]].up && p != NULL) {
			fill(&r, mt, of, cand[i], p, 0, NULL);
			found = true;
		}
	}
	/*
	 * Never a pivot between variants of one language: en -> es -> en-GB
	 * is a paraphrase of the text, not a translation of it.
	 */
	if (!found && !same_primary(r.from, r.to))
		found = find_pivot(mt, of, cand, nc, r.from, r.to, &r);
	if (found) {
		*out = r;
		rc = MB_OK;
	} else if (ndown > 0) {
		/* The one that is down may be the one with the pair. */
		rc = mb_diag_set(d, down_rc, "%s", down.msg);
		if (ndown < nc)
			mb_diag_prefix(d, "no engine that answered translates "
			    "%s to %s", r.from, r.to);
	} else {
		char list[300];

		offered(mt, of, cand, nc, list, sizeof(list));
		if (same_primary(r.from, r.to))
			rc = mb_diag_set(d, MB_ERR_NOTFOUND, "no engine "
			    "translates %s to %s directly, and variants of one "
			    "language are never translated through a pivot (%s)",
			    r.from, r.to, list);
		else
			rc = mb_diag_set(d, MB_ERR_NOTFOUND, "no engine "
			    "translates %s to %s, directly or through a pivot "
			    "(%s)", r.from, r.to, list);
	}
done:
	if (of != NULL)
		for (size_t i = 0; i < total; i++)
			free(of[i].pairs);
	free(of);
	free(cand);
	return rc;
}
