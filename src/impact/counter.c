/* SPDX-License-Identifier: MIT */
/*
 * The day's counters, in memory: one aggregate per (day, what, language,
 * country, referrer, campaign), and the set of (what, visitor) pairs that
 * tells a unique visitor of an item, page, feed or medium (in a language)
 * from a returning one, whatever link brought them. A visitor is a keyed
 * SipHash of the center, the address and the user agent; the key is
 * random, lives in sodium_malloc memory only, and is replaced (and the set
 * emptied) when the day changes, so nothing here outlives its day.
 */
#include "impact.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "base/log.h"
#include "base/utf8.h"
#include "geo.h"

#define SEP '\x1f'
#define DIMS_MAX 640
#define DAY_MS INT64_C(86400000)

struct row {
	uint64_t	 hash;		/* 0: empty slot */
	char		*dims;		/* day SEP kind SEP key SEP ... */
	int64_t		 views;		/* since the last flush */
	int64_t		 uniques;
};

struct mb_impact {
	char				 center[33];
	struct mb_impact_proxies	*proxies;
	uint64_t			 gen;	/* this counter, among all */
	struct mb_geo			*geo;
	pthread_mutex_t			 geo_lock;	/* libloc's lookups */
	pthread_mutex_t			 lock;

	unsigned char			*key;	/* sodium_malloc'd */
	int64_t				 key_day;
	unsigned char			 slot_key[crypto_shorthash_KEYBYTES];

	struct row			*rows;
	size_t				 rcap, rused, max_rows;
	size_t				 others;	/* "(other)" rows */
	bool				 reader_full_logged;
	uint64_t			*vis;
	size_t				 vcap, vused, max_vis;
	bool				 vis_full_logged;
	int64_t				 pending;
	int64_t				 flushed_day;
};

int
mb_impact_new(const struct mb_impact_opts *o, struct mb_impact **out,
    struct mb_diag *d)
{
	struct mb_impact	*im;
	int			 rc;

	if (sodium_init() < 0)
		return mb_diag_set(d, MB_ERR_UNSUPPORTED, "libsodium: cannot "
		    "start");
	if ((im = calloc(1, sizeof(*im))) == NULL)
		return mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
	snprintf(im->center, sizeof(im->center), "%s", o->center);
	pthread_mutex_init(&im->lock, NULL);
	pthread_mutex_init(&im->geo_lock, NULL);
	/* Threads' caches name their counter by this, not by its address
	 * (a counter made where a freed one was is another). */
	{
		static uint64_t gens;

		im->gen = __atomic_add_fetch(&gens, 1, __ATOMIC_RELAXED);
	}
	im->max_rows = o->max_rows > 0 ? o->max_rows : 100000;
	im->max_vis = o->max_visitors > 0 ? o->max_visitors : 4u << 20;
	im->key_day = -1;
	randombytes_buf(im->slot_key, sizeof(im->slot_key));
	if ((rc = mb_impact_proxies_parse(o->trusted_proxies, &im->proxies,
	    d)) != MB_OK)
		goto fail;
	if ((im->key = sodium_malloc(crypto_shorthash_siphashx24_KEYBYTES)) ==
	    NULL) {
		rc = mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
		goto fail;
	}
	im->rcap = 1024;
	im->vcap = 4096;
	im->rows = calloc(im->rcap, sizeof(*im->rows));
	im->vis = calloc(im->vcap, sizeof(*im->vis));
	if (im->rows == NULL || im->vis == NULL) {
		rc = mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
		goto fail;
	}
	if ((rc = mb_geo_open(o->geo_db, &im->geo)) != MB_OK) {
		mb_diag_set(d, rc, "out of memory");
		goto fail;
	}
	*out = im;
	return MB_OK;
fail:
	mb_impact_free(im);
	return rc;
}

void
mb_impact_free(struct mb_impact *im)
{
	if (im == NULL)
		return;
	for (size_t i = 0; im->rows != NULL && i < im->rcap; i++)
		free(im->rows[i].dims);
	free(im->rows);
	if (im->vis != NULL)
		sodium_memzero(im->vis, im->vcap * sizeof(*im->vis));
	free(im->vis);
	if (im->key != NULL)
		sodium_free(im->key);
	sodium_memzero(im->slot_key, sizeof(im->slot_key));
	mb_impact_proxies_free(im->proxies);
	mb_geo_close(im->geo);
	pthread_mutex_destroy(&im->lock);
	pthread_mutex_destroy(&im->geo_lock);
	free(im);
}

/* A new day: a new key, and yesterday's visitors forgotten. */
static void
new_day(struct mb_impact *im, int64_t day)
{
	randombytes_buf(im->key, crypto_shorthash_siphashx24_KEYBYTES);
	im->key_day = day;
	sodium_memzero(im->vis, im->vcap * sizeof(*im->vis));
	im->vused = 0;
	im->vis_full_logged = false;
	im->reader_full_logged = false;
}

static uint64_t
slot_hash(const struct mb_impact *im, const char *s, size_t n)
{
	unsigned char	h[crypto_shorthash_BYTES];
	uint64_t	v;

	crypto_shorthash(h, (const unsigned char *)s, n, im->slot_key);
	memcpy(&v, h, sizeof(v));
	return v != 0 ? v : 1;
}

static int
rows_grow(struct mb_impact *im)
{
	size_t		 cap = im->rcap * 2;
	struct row	*nr;

	if ((nr = calloc(cap, sizeof(*nr))) == NULL)
		return MB_ERR_NOMEM;
	for (size_t i = 0; i < im->rcap; i++) {
		size_t j;

		if (im->rows[i].hash == 0)
			continue;
		for (j = im->rows[i].hash & (cap - 1); nr[j].hash != 0;
		    j = (j + 1) & (cap - 1))
			;
		nr[j] = im->rows[i];
	}
	free(im->rows);
	im->rows = nr;
	im->rcap = cap;
	return MB_OK;
}

/*
 * The row of dims, made if new while fewer than limit rows are in use,
 * the "(other)" rows apart (they have their own room: one per kind and
 * day, made with limit SIZE_MAX). NULL when there is no room, or no
 * memory.
 */
static struct row *
row_get(struct mb_impact *im, const char *dims, size_t n, uint64_t h,
    size_t limit)
{
	size_t j;

	for (j = h & (im->rcap - 1); im->rows[j].hash != 0;
	    j = (j + 1) & (im->rcap - 1))
		if (im->rows[j].hash == h && strcmp(im->rows[j].dims, dims) ==
		    0)
			return &im->rows[j];
	if (im->rused - im->others >= limit)
		return NULL;
	if ((im->rused + 1) * 2 > im->rcap) {
		if (rows_grow(im) != MB_OK)
			return NULL;
		for (j = h & (im->rcap - 1); im->rows[j].hash != 0;
		    j = (j + 1) & (im->rcap - 1))
			;
	}
	if ((im->rows[j].dims = malloc(n + 1)) == NULL)
		return NULL;
	memcpy(im->rows[j].dims, dims, n + 1);
	im->rows[j].hash = h;
	im->rused++;
	return &im->rows[j];
}

static int
vis_grow(struct mb_impact *im)
{
	size_t		 cap = im->vcap * 2;
	uint64_t	*nv;

	if (cap > im->max_vis * 2 || (nv = calloc(cap, sizeof(*nv))) == NULL)
		return MB_ERR_NOMEM;
	for (size_t i = 0; i < im->vcap; i++) {
		size_t j;

		if (im->vis[i] == 0)
			continue;
		for (j = im->vis[i] & (cap - 1); nv[j] != 0;
		    j = (j + 1) & (cap - 1))
			;
		nv[j] = im->vis[i];
	}
	sodium_memzero(im->vis, im->vcap * sizeof(*im->vis));
	free(im->vis);
	im->vis = nv;
	im->vcap = cap;
	return MB_OK;
}

/* Adds the pair; true when it is new (a unique visitor of the row). */
static bool
vis_add(struct mb_impact *im, uint64_t pair)
{
	size_t j;

	for (j = pair & (im->vcap - 1); im->vis[j] != 0;
	    j = (j + 1) & (im->vcap - 1))
		if (im->vis[j] == pair)
			return false;
	if ((im->vused + 1) * 2 > im->vcap) {
		if (im->vused >= im->max_vis || vis_grow(im) != MB_OK) {
			/* Bounded: further visitors today are not told apart. */
			if (!im->vis_full_logged)
				log_warn("impact: visitors=%zu: the day's set "
				    "is full; new uniques are not counted "
				    "until midnight", im->vused);
			im->vis_full_logged = true;
			return false;
		}
		for (j = pair & (im->vcap - 1); im->vis[j] != 0;
		    j = (j + 1) & (im->vcap - 1))
			;
	}
	im->vis[j] = pair;
	im->vused++;
	return true;
}

/* Appends s to dims: control characters become '?', at most max bytes. */
static size_t
dim(char *dims, size_t o, const char *s, size_t max, bool last)
{
	size_t i;

	for (i = 0; s != NULL && s[i] != '\0' && i < max &&
	    o + 2 < DIMS_MAX; i++)
		dims[o++] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' :
		    s[i];
	if (!last)
		dims[o++] = SEP;
	dims[o] = '\0';
	return o;
}

/* A language tag as sent by a route: [A-Za-z0-9-] only, else "". */
static void
clean_lang(const char *l, char out[16])
{
	size_t n;

	out[0] = '\0';
	if (l == NULL)
		return;
	for (n = 0; l[n] != '\0'; n++) {
		char c = l[n];

		if (n >= 15 || !((c >= 'a' && c <= 'z') || (c >= 'A' &&
		    c <= 'Z') || (c >= '0' && c <= '9') || c == '-'))
			return;
	}
	memcpy(out, l, n + 1);
}

/*
 * What was read, as the route named it, made valid UTF-8 of at most
 * MB_IMPACT_KEY_MAX - 1 bytes: a path is decoded from the reader's
 * URL (/feeds/topics/caf%E9.atom), and a key that is not UTF-8 could
 * not go out in a report nor be drawn. A byte that starts no character
 * is "?"; a character is never cut.
 */
static void
clean_key(const char *k, char out[MB_IMPACT_KEY_MAX])
{
	size_t	len = k != NULL ? strlen(k) : 0, i = 0, o = 0;

	while (i < len) {
		unsigned	cp;
		size_t		n = mb_utf8_decode(k + i, len - i, &cp);

		if (o + (n > 0 ? n : 1) >= MB_IMPACT_KEY_MAX)
			break;
		if (n == 0) {
			out[o++] = '?';
			i++;
		} else {
			memcpy(out + o, k + i, n);
			o += n;
			i += n;
		}
	}
	out[o] = '\0';
}

/* The day's "YYYY-MM-DD", worked out once per day by each thread. */
static void
day_of(int64_t now_ms, char out[16])
{
	static __thread int64_t	day = -1;
	static __thread char	text[16];

	if (now_ms / DAY_MS != day || day < 0) {
		mb_impact_day(now_ms, text);
		day = now_ms / DAY_MS;
	}
	memcpy(out, text, 16);
}

/*
 * The visitor: a keyed SipHash (libsodium's 128-bit siphashx24, keyed
 * with the day's key) of the center, the address and the user agent as
 * far as it matters (1 KiB: a 10 KB one too). SipHash rather than
 * BLAKE2b: it is a keyed pseudo-random function all the same, at a
 * fraction of the cost on every counted view (docs/benchmarks.md).
 */
static void
visitor(struct mb_impact *im, const char *addr, const char *ua,
    uint64_t *out)
{
	unsigned char	buf[33 + 64 + 1024], h[crypto_shorthash_siphashx24_BYTES];
	size_t		n = 0, l;

	l = strnlen(im->center, 32);
	memcpy(buf, im->center, l);
	n += l;
	buf[n++] = 0;
	l = strnlen(addr, 63);
	memcpy(buf + n, addr, l);
	n += l;
	buf[n++] = 0;
	l = strnlen(ua, 1024);
	memcpy(buf + n, ua, l);
	n += l;
	crypto_shorthash_siphashx24(h, buf, n, im->key);
	memcpy(out, h, sizeof(*out));
	sodium_memzero(h, sizeof(h));
	sodium_memzero(buf, n);
}

/*
 * The country of an address, remembered for the day by each server
 * thread: libloc's lookup (a tree walk and an allocation) is the
 * dearest step of a view, and readers come back. An entry is a keyed
 * hash of the address (the process's random slot key), never the
 * address, and is good for its day only.
 */
#define GEO_CACHE 1024

struct geo_entry {
	uint64_t	owner;		/* the counter it is of (gen) */
	uint64_t	h;
	int64_t		day;
	char		cc[4];
};

static __thread struct geo_entry geo_cache[GEO_CACHE];

static void
country(struct mb_impact *im, const char *addr, int64_t today, char cc[4])
{
	struct geo_entry	*e;
	uint64_t		 h;

	if (!mb_geo_on(im->geo)) {
		cc[0] = '\0';
		return;
	}
	h = slot_hash(im, addr, strlen(addr));
	e = &geo_cache[h & (GEO_CACHE - 1)];
	if (e->owner == im->gen && e->h == h && e->day == today) {
		memcpy(cc, e->cc, 4);
		return;
	}
	pthread_mutex_lock(&im->geo_lock);
	mb_geo_country(im->geo, addr, cc);
	pthread_mutex_unlock(&im->geo_lock);
	e->owner = im->gen;
	e->h = h;
	e->day = today;
	memcpy(e->cc, cc, 4);
}

/*
 * Each server thread remembers its last verdict on a user agent, under
 * a 64-bit hash of it (FNV-1a: a reader's browser asks again and again,
 * and the hash is cheaper than the scan); the agent itself is not kept.
 */
static bool
is_bot(const char *ua)
{
	static __thread uint64_t	last = 0;
	static __thread bool		verdict;
	uint64_t			h = UINT64_C(0xcbf29ce484222325);
	size_t				i;

	if (ua == NULL)
		return true;
	for (i = 0; ua[i] != '\0' && i < 1024; i++)
		h = (h ^ (unsigned char)ua[i]) * UINT64_C(0x100000001b3);
	h ^= i;
	if (h != last || last == 0) {
		verdict = mb_impact_is_bot(ua);
		last = h;
	}
	return verdict;
}

/*
 * The slot hashes of the aggregate (day, what, language, country,
 * referrer, campaign) and of what was read (its first wn bytes: day,
 * what, language), remembered by each thread for the last aggregate it
 * hashed: no reader in either, and a run of views of one page shares
 * them (one comparison then, no hash).
 */
static void
dims_hashes(struct mb_impact *im, const char *dims, size_t wn, size_t n,
    uint64_t *rh, uint64_t *wh)
{
	static __thread char		 last[DIMS_MAX];
	static __thread size_t		 last_n, last_wn;
	static __thread uint64_t	 owner, h, w;

	if (owner == im->gen && n == last_n && wn == last_wn &&
	    memcmp(last, dims, n) == 0) {
		*rh = h;
		*wh = w;
		return;
	}
	/* Another referrer or campaign of the same page: half the work. */
	if (owner != im->gen || wn != last_wn || memcmp(last, dims, wn) != 0)
		w = slot_hash(im, dims, wn);
	h = slot_hash(im, dims, n);
	memcpy(last, dims, n);
	last_n = n;
	last_wn = wn;
	owner = im->gen;
	*rh = h;
	*wh = w;
}

enum mb_impact_verdict
mb_impact_count(struct mb_impact *im, const struct mb_impact_hit *h,
    int64_t now_ms)
{
	enum mb_impact_verdict	 v = MB_IMPACT_COUNTED;
	char			 addr[64], dims[DIMS_MAX], day[16], lang[16];
	char			 ref[MB_IMPACT_HOST_MAX], cc[4];
	char			 camp[MB_IMPACT_TAG_MAX], src[MB_IMPACT_TAG_MAX];
	char			 med[MB_IMPACT_TAG_MAX], key[MB_IMPACT_KEY_MAX];
	struct row		*r;
	uint64_t		 who, rh, wh, pair;
	size_t			 o = 0, ow, oc;
	int64_t			 today = now_ms / DAY_MS;
	bool			 chosen;

	if (h->opt_out)
		return MB_IMPACT_OPT_OUT;
	/*
	 * The newsroom's staff reading the site are not its readers, and
	 * they read internal items: counted, an internal item's uri and its
	 * media's hashes would go out in the report to HQ.
	 */
	if (h->staff)
		return MB_IMPACT_STAFF;
	/* A browser fetching a link ahead, in case: nobody has read it. */
	if (mb_impact_is_prefetch(h->purpose))
		return MB_IMPACT_PREFETCH;
	if (is_bot(h->user_agent))
		return MB_IMPACT_BOT;
	mb_impact_client(im->proxies, h->peer, h->forwarded, addr,
	    sizeof(addr));
	mb_impact_referrer_host(h->referer, h->host, ref);
	mb_impact_tag(h->utm_campaign, camp);
	mb_impact_tag(h->utm_source, src);
	mb_impact_tag(h->utm_medium, med);
	clean_lang(h->lang, lang);
	clean_key(h->key, key);
	day_of(now_ms, day);

	country(im, addr, today, cc);
	o = dim(dims, o, day, 10, false);
	o = dim(dims, o, h->kind, 7, false);
	o = dim(dims, o, key, MB_IMPACT_KEY_MAX - 1, false);
	o = dim(dims, o, lang, 15, false);
	/* What was read, in which language: a visitor is unique to it. */
	ow = o;
	o = dim(dims, o, cc[0] != '\0' ? cc : "unknown", 7, false);
	oc = o;
	o = dim(dims, o, ref, MB_IMPACT_HOST_MAX - 1, false);
	o = dim(dims, o, camp, MB_IMPACT_TAG_MAX - 1, false);
	o = dim(dims, o, src, MB_IMPACT_TAG_MAX - 1, false);
	o = dim(dims, o, med, MB_IMPACT_TAG_MAX - 1, true);
	dims_hashes(im, dims, ow, o, &rh, &wh);
	chosen = h->key_chosen || ref[0] != '\0' || camp[0] != '\0' ||
	    src[0] != '\0' || med[0] != '\0';

	pthread_mutex_lock(&im->lock);
	if (today != im->key_day)
		new_day(im, today);
	/*
	 * The referrer and the campaign are the reader's to choose (any
	 * utm_campaign makes a new aggregate): new aggregates with them
	 * may fill half of the day's room only, so that a flood of made-up
	 * ones leaves the rest to what was read, where and in which
	 * language, and beyond it the view is counted without them.
	 */
	r = row_get(im, dims, o, rh, chosen ? im->max_rows / 2 : im->max_rows);
	/* A made-up key is still made up without the referrer: "(other)". */
	if (r == NULL && chosen && !h->key_chosen) {
		if (!im->reader_full_logged)
			log_warn("impact: aggregates=%zu: half full; views "
			    "through a new referrer or campaign are counted "
			    "without it until midnight", im->rused);
		im->reader_full_logged = true;
		o = oc;
		for (int i = 0; i < 3; i++)
			o = dim(dims, o, "", 0, false);
		o = dim(dims, o, "", 0, true);
		rh = slot_hash(im, dims, o);
		r = row_get(im, dims, o, rh, im->max_rows);
		v = MB_IMPACT_TRIMMED;
	}
	if (r == NULL) {
		size_t before = im->rused;

		/* Full: the day's views still count, as "(other)". */
		o = 0;
		o = dim(dims, o, day, 10, false);
		o = dim(dims, o, h->kind, 7, false);
		o = dim(dims, o, "(other)", 8, false);
		o = dim(dims, o, "", 0, false);
		o = dim(dims, o, "unknown", 7, false);
		for (int i = 0; i < 3; i++)
			o = dim(dims, o, "", 0, false);
		o = dim(dims, o, "", 0, true);
		rh = slot_hash(im, dims, o);
		/* Room is kept for these, one per kind and day: max_rows is
		 * a soft bound (the kinds are the routes', not a reader's). */
		r = row_get(im, dims, o, rh, SIZE_MAX);
		if (im->rused > before)
			im->others++;
		v = MB_IMPACT_FULL;
	}
	if (r != NULL) {
		/*
		 * Unique to what was read, whatever the referrer, campaign
		 * or row: the visitor is credited to the aggregate of their
		 * first view of it that day.
		 */
		visitor(im, addr, h->user_agent, &who);
		pair = who ^ (wh * UINT64_C(0x9E3779B97F4A7C15));
		r->views++;
		im->pending++;
		if (vis_add(im, pair != 0 ? pair : 1))
			r->uniques++;
	}
	pthread_mutex_unlock(&im->lock);
	sodium_memzero(addr, sizeof(addr));
	return v;
}

bool
mb_impact_trusts_proxies(const struct mb_impact *im)
{
	return mb_impact_proxies_count(im->proxies) > 0;
}

int64_t
mb_impact_pending(struct mb_impact *im)
{
	int64_t n;

	pthread_mutex_lock(&im->lock);
	n = im->pending;
	pthread_mutex_unlock(&im->lock);
	return n;
}

/* dims back into a row's fields. */
static void
split(const char *center, const char *dims, struct mb_impact_row *r)
{
	char		*f[9] = { r->day, r->kind, r->key, r->lang, r->country,
	    r->referrer, r->campaign, r->source, r->medium };
	size_t		 sz[9] = { sizeof(r->day), sizeof(r->kind),
	    sizeof(r->key), sizeof(r->lang), sizeof(r->country),
	    sizeof(r->referrer), sizeof(r->campaign), sizeof(r->source),
	    sizeof(r->medium) };
	const char	*p = dims;

	snprintf(r->center, sizeof(r->center), "%s", center);
	for (int i = 0; i < 9; i++) {
		size_t n = strcspn(p, "\x1f");

		snprintf(f[i], sz[i], "%.*s", (int)n, p);
		p += n;
		if (*p == SEP)
			p++;
	}
}

/* Whether dims are a kind's "(other)" row (day SEP kind SEP key ...). */
static bool
is_other(const char *dims)
{
	const char *p;

	if ((p = strchr(dims, SEP)) == NULL || (p = strchr(p + 1, SEP)) ==
	    NULL)
		return false;
	return strncmp(p + 1, "(other)\x1f", 8) == 0;
}

/* Drops the rows of days before today that have nothing pending. */
static void
forget_old(struct mb_impact *im, const char *today)
{
	for (size_t i = 0; i < im->rcap; i++) {
		struct row *r = &im->rows[i];

		if (r->hash == 0 || strncmp(r->dims, today, 10) == 0 ||
		    r->views != 0 || r->uniques != 0)
			continue;
		if (is_other(r->dims) && im->others > 0)
			im->others--;
		free(r->dims);
		r->dims = NULL;
		r->hash = 0;
		im->rused--;
	}
	/* Open addressing: re-place what is left after the holes. */
	{
		size_t		 cap = im->rcap;
		struct row	*old = im->rows, *nr;

		if ((nr = calloc(cap, sizeof(*nr))) == NULL)
			return;
		for (size_t i = 0; i < cap; i++) {
			size_t j;

			if (old[i].hash == 0)
				continue;
			for (j = old[i].hash & (cap - 1); nr[j].hash != 0;
			    j = (j + 1) & (cap - 1))
				;
			nr[j] = old[i];
		}
		free(old);
		im->rows = nr;
	}
}

int
mb_impact_flush(struct mb_impact *im, struct mb_store *st, struct mb_diag *d)
{
	struct mb_impact_row	*rows = NULL;
	size_t			 n = 0, cap;
	char			 today[16];
	int64_t			 day;
	int			 rc;

	day = (int64_t)time(NULL) / 86400;
	mb_impact_day(day * DAY_MS, today);
	pthread_mutex_lock(&im->lock);
	cap = 0;
	for (size_t i = 0; i < im->rcap; i++)
		if (im->rows[i].hash != 0 && im->rows[i].views + im->rows[i].
		    uniques > 0)
			cap++;
	if (cap > 0 && (rows = calloc(cap, sizeof(*rows))) == NULL) {
		pthread_mutex_unlock(&im->lock);
		return mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
	}
	for (size_t i = 0; i < im->rcap && n < cap; i++) {
		struct row *r = &im->rows[i];

		if (r->hash == 0 || r->views + r->uniques == 0)
			continue;
		split(im->center, r->dims, &rows[n]);
		rows[n].views = r->views;
		rows[n].uniques = r->uniques;
		r->views = r->uniques = 0;
		n++;
	}
	im->pending = 0;
	pthread_mutex_unlock(&im->lock);

	rc = mb_store_impact_add(st, rows, n, d);

	pthread_mutex_lock(&im->lock);
	if (rc != MB_OK) {
		/* Kept for the next flush: put the counts back. */
		for (size_t i = 0; i < n; i++) {
			char	 dims[DIMS_MAX];
			size_t	 o = 0;
			struct row *r;

			o = dim(dims, o, rows[i].day, 10, false);
			o = dim(dims, o, rows[i].kind, 7, false);
			o = dim(dims, o, rows[i].key, MB_IMPACT_KEY_MAX, false);
			o = dim(dims, o, rows[i].lang, 15, false);
			o = dim(dims, o, rows[i].country, 7, false);
			o = dim(dims, o, rows[i].referrer, MB_IMPACT_HOST_MAX,
			    false);
			o = dim(dims, o, rows[i].campaign, MB_IMPACT_TAG_MAX,
			    false);
			o = dim(dims, o, rows[i].source, MB_IMPACT_TAG_MAX,
			    false);
			o = dim(dims, o, rows[i].medium, MB_IMPACT_TAG_MAX,
			    true);
			/* Its row is still there (rows are dropped by a
			 * flush that worked): found, not made. */
			r = row_get(im, dims, o, slot_hash(im, dims, o),
			    SIZE_MAX);
			if (r != NULL) {
				r->views += rows[i].views;
				r->uniques += rows[i].uniques;
				im->pending += rows[i].views;
			}
		}
	} else if (im->flushed_day != day) {
		forget_old(im, today);
		im->flushed_day = day;
	}
	pthread_mutex_unlock(&im->lock);
	free(rows);
	return rc;
}
