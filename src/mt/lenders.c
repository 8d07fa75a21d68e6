/* SPDX-License-Identifier: MIT */
/*
 * Lenders: member centers whose shared engines the registry announces
 * (mt.h, mb_mt_set_lenders), kept as engines of kind mediabridge after
 * the configured ones. Appended while other threads translate: the
 * handle's array has room for them and never moves (mt_int.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "mt/mt_int.h"

/* "en|es,es|en" as pairs in BCP 47 (the peer's codes are BCP 47 too). */
static int
pairs_parse(const char *s, struct mb_mt_pair **out, size_t *n)
{
	struct mb_mt_pair	*v;
	size_t			 cap = 1, k = 0;
	const char		*p = s;

	for (const char *c = s; *c != '\0'; c++)
		cap += *c == ',';
	if ((v = calloc(cap, sizeof(*v))) == NULL)
		return MB_ERR_NOMEM;
	while (*p != '\0') {
		const char	*e = strchr(p, ','), *bar;
		char		 one[2 * MB_MT_TAG_MAX + 2], f[40], t[40];
		size_t		 len;

		if (e == NULL)
			e = p + strlen(p);
		len = (size_t)(e - p);
		if (len < sizeof(one)) {
			memcpy(one, p, len);
			one[len] = '\0';
			if ((bar = strchr(one, '|')) != NULL &&
			    (size_t)(bar - one) < sizeof(f)) {
				snprintf(f, sizeof(f), "%.*s", (int)(bar - one),
				    one);
				snprintf(t, sizeof(t), "%s", bar + 1);
				if (mb_mt_lang_norm(f, v[k].from, NULL) ==
				    MB_OK && mb_mt_lang_norm(t, v[k].to, NULL) ==
				    MB_OK) {
					memcpy(v[k].engine_from, v[k].from,
					    sizeof(v[k].from));
					memcpy(v[k].engine_to, v[k].to,
					    sizeof(v[k].to));
					k++;
				}
			}
		}
		p = *e == ',' ? e + 1 : e;
	}
	*out = v;
	*n = k;
	return MB_OK;
}

/* The lender engine for center, or NULL. Under grow_lock. */
static struct mb_mt__engine *
find(struct mb_mt *mt, const char *center)
{
	for (size_t i = 0; i < mt->n; i++) {
		struct mb_mt__engine *e = mt->engines[i];

		if (e->conf.lender && strcmp(e->peer, center) == 0 &&
		    !atomic_load(&e->off))
			return e;
	}
	return NULL;
}

/* A name no engine in use has: the center's id, else "net-" and a number. */
static void
name_for(struct mb_mt *mt, const char *center, char out[MB_MT_NAME_MAX + 1])
{
	bool taken;

	snprintf(out, MB_MT_NAME_MAX + 1, "%s", center);
	for (int k = 1;; k++) {
		taken = false;
		/* One set aside is never chosen: its name may serve again. */
		for (size_t i = 0; i < mt->n && !taken; i++)
			taken = strcmp(mt->engines[i]->conf.name, out) == 0 &&
			    !atomic_load(&mt->engines[i]->off);
		if (!taken)
			return;
		snprintf(out, MB_MT_NAME_MAX + 1, "net-%d", k);
	}
}

static int
lender_add(struct mb_mt *mt, const struct mb_mt_lender *l,
    struct mb_mt_pair *p, size_t np, struct mb_diag *d)
{
	struct mb_mt_engine_conf	 c;
	struct mb_mt__engine		*e;

	if (mt->n >= mt->cap)
		return mb_diag_set(d, MB_ERR_TOOBIG, "mt: no room for lender %s "
		    "(at most %d over serve's life; restart it)", l->center,
		    MB_MT_LENDERS_MAX);
	mb_mt_engine_conf_defaults(&c);
	c.kind = MB_MT_PEER;
	c.lender = true;
	name_for(mt, l->center, c.name);
	if (strlen(l->url) >= sizeof(c.url))
		return mb_diag_set(d, MB_ERR_INVAL, "lender %s: URL too long",
		    l->center);
	snprintf(c.url, sizeof(c.url), "%s", l->url);
	if ((e = mb_mt__engine_new(&c, &mb_mt__peer, NULL)) == NULL)
		return MB_ERR_NOMEM;
	snprintf(e->peer, sizeof(e->peer), "%s", l->center);
	e->sign = mt->sign;
	e->sign_arg = mt->sign_arg;
	mb_mt__pairs_seed(e, p, np);
	mt->engines[mt->n] = e;
	__atomic_store_n(&mt->n, mt->n + 1, __ATOMIC_RELEASE);
	log_info("mt: lender center=%s url=%s pairs=%zu (from the registry)",
	    l->center, l->url, np);
	return MB_OK;
}

int
mb_mt_set_lenders(struct mb_mt *mt, const struct mb_mt_lender *v, size_t n,
    struct mb_diag *d)
{
	int rc = MB_OK;

	pthread_mutex_lock(&mt->grow_lock);
	/* Set aside those no longer listed, or listed elsewhere now. */
	for (size_t i = 0; i < mt->n; i++) {
		struct mb_mt__engine	*e = mt->engines[i];
		bool			 keep = false;

		if (!e->conf.lender || atomic_load(&e->off))
			continue;
		for (size_t k = 0; k < n && !keep; k++)
			keep = strcmp(v[k].center, e->peer) == 0 &&
			    strcmp(v[k].url, e->conf.url) == 0;
		if (!keep) {
			atomic_store(&e->off, true);
			log_info("mt: lender center=%s set aside (no longer in "
			    "the registry)", e->peer);
		}
	}
	for (size_t k = 0; k < n && rc == MB_OK; k++) {
		struct mb_mt__engine	*e = find(mt, v[k].center);
		struct mb_mt_pair	*p;
		size_t			 np;

		if ((rc = pairs_parse(v[k].pairs, &p, &np)) != MB_OK)
			break;
		if (e != NULL) {
			/* The registry's word is fresher than the cache. */
			mb_mt__pairs_seed(e, p, np);
			continue;
		}
		if ((rc = lender_add(mt, &v[k], p, np, d)) != MB_OK)
			free(p);
	}
	pthread_mutex_unlock(&mt->grow_lock);
	return rc;
}
