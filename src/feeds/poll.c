/* SPDX-License-Identifier: MIT */
/*
 * Polling a source: the conditional GET (ETag, Last-Modified, else a
 * hash of the body), the caps (size, time, redirects, the address
 * guard), the entries turned into items of this center, and the next
 * poll: the operator's period, stretched to what the server asks
 * (Cache-Control max-age, Retry-After) and the feed's own ttl; on an
 * error an exponential back-off capped at 24 h, so no source is ever
 * parked for good and one that recovers has its error cleared.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <sodium.h>

#include "base/log.h"
#include "base/timeutil.h"
#include "center/ingest.h"
#include "feeds/feeds.h"
#include "httpc/httpc.h"
#include "item/id.h"
#include "item/jcs.h"
#include "wire/wire.h"
#include "feeds_int.h"

struct mb_feeds {
	const struct mb_center_node	*node;
	struct mb_store			*st;
	mb_feeds_sanitize_fn		 sanitize;
	struct mb_ingest		*ig;
	mb_feeds_media_fn		 media;
	void				*media_arg;
	struct mb_feeds_media_budget	 budget;
};

void
mb_feeds_set_media(struct mb_feeds *f, mb_feeds_media_fn fn, void *arg)
{
	f->media = fn;
	f->media_arg = arg;
}

void
mb_feeds_set_media_budget(struct mb_feeds *f,
    const struct mb_feeds_media_budget *b)
{
	f->budget = *b;
}

int
mb_feeds_new(const struct mb_center_node *n, struct mb_store *st,
    mb_feeds_sanitize_fn sanitize, struct mb_feeds **out, struct mb_diag *d)
{
	struct mb_feeds	*f;

	if (sanitize == NULL)
		return mb_diag_set(d, MB_ERR_INVAL, "feeds: no sanitizer");
	if ((f = calloc(1, sizeof(*f))) == NULL)
		return MB_ERR_NOMEM;
	f->node = n;
	f->st = st;
	f->sanitize = sanitize;
	f->budget.ms = MB_FEEDS_MEDIA_BUDGET_MS;
	f->budget.files = MB_FEEDS_MEDIA_BUDGET_FILES;
	f->budget.bytes = MB_FEEDS_MEDIA_BUDGET_BYTES;
	mb_httpc_global_init();
	*out = f;
	return MB_OK;
}

void
mb_feeds_free(struct mb_feeds *f)
{
	if (f == NULL)
		return;
	mb_ingest_free(f->ig);
	free(f);
}

/* What the answer's headers said, for the final answer of the chain. */
struct answer {
	char	 etag[256];
	char	 last_modified[64];
	int64_t	 max_age_s;
	int64_t	 retry_after_s;
	/* Redirects: where we are, and whether every hop was permanent. */
	char	 url[MB_FEED_URL_MAX];
	long	 hop_status;
	bool	 moved;
	bool	 permanent;
};

static void
copy_value(char *dst, size_t n, const char *v, size_t len)
{
	while (len > 0 && isspace((unsigned char)*v)) {
		v++;
		len--;
	}
	while (len > 0 && isspace((unsigned char)v[len - 1]))
		len--;
	if (len >= n)
		len = 0;	/* too long to be a validator: none */
	memcpy(dst, v, len);
	dst[len] = '\0';
}

static bool
header_is(const char *line, size_t len, const char *name, const char **v,
    size_t *vlen)
{
	size_t n = strlen(name);

	if (len <= n || line[n] != ':' || strncasecmp(line, name, n) != 0)
		return false;
	*v = line + n + 1;
	*vlen = len - n - 1;
	return true;
}

/* Retry-After: seconds, or an HTTP date. */
static int64_t
retry_after(const char *v, size_t len)
{
	char	buf[64];
	int64_t	ms;

	copy_value(buf, sizeof(buf), v, len);
	if (buf[0] != '\0' && strspn(buf, "0123456789") == strlen(buf))
		return atoll(buf);
	if (mb_wire_date(buf, &ms) == MB_OK) {
		int64_t s = (ms - mb_time_now_ms()) / 1000;

		return s > 0 ? s : 0;
	}
	return 0;
}

static void
on_header(const char *line, size_t len, void *arg)
{
	struct answer	*a = arg;
	const char	*v;
	size_t		 vlen;

	if (len > 5 && strncmp(line, "HTTP/", 5) == 0) {
		const char *sp = memchr(line, ' ', len);

		/* A new answer in the chain: its headers replace the last. */
		a->hop_status = sp != NULL ? strtol(sp + 1, NULL, 10) : 0;
		a->etag[0] = a->last_modified[0] = '\0';
		a->max_age_s = a->retry_after_s = 0;
		return;
	}
	if (header_is(line, len, "etag", &v, &vlen))
		copy_value(a->etag, sizeof(a->etag), v, vlen);
	else if (header_is(line, len, "last-modified", &v, &vlen))
		copy_value(a->last_modified, sizeof(a->last_modified), v, vlen);
	else if (header_is(line, len, "retry-after", &v, &vlen))
		a->retry_after_s = retry_after(v, vlen);
	else if (header_is(line, len, "cache-control", &v, &vlen)) {
		char	cc[256];
		char	*p;

		copy_value(cc, sizeof(cc), v, vlen);
		for (p = cc; *p != '\0'; p++)
			*p = (char)tolower((unsigned char)*p);
		if ((p = strstr(cc, "max-age=")) != NULL)
			a->max_age_s = atoll(p + 8);
	} else if (header_is(line, len, "location", &v, &vlen) &&
	    a->hop_status >= 300 && a->hop_status < 400) {
		char		loc[MB_FEED_URL_MAX];
		struct mb_buf	b = MB_BUF_INIT;

		copy_value(loc, sizeof(loc), v, vlen);
		if (mb_wire_resolve(a->url, loc, &b) == MB_OK &&
		    b.len < sizeof(a->url)) {
			memcpy(a->url, b.data, b.len + 1);
			a->moved = true;
			if (a->hop_status != 301 && a->hop_status != 308)
				a->permanent = false;
		}
		mb_buf_free(&b);
	}
}

/* The next poll after a success: never before the server allows. */
static int64_t
next_ok(const struct mb_feed_source *s, const struct answer *a,
    int64_t ttl_s, int64_t now)
{
	int64_t wait = s->every_s;

	if (a->max_age_s > wait)
		wait = a->max_age_s;
	if (a->retry_after_s > wait)
		wait = a->retry_after_s;
	if (ttl_s > wait)
		wait = ttl_s;
	if (wait > MB_FEEDS_MAX_BACKOFF_S)
		wait = MB_FEEDS_MAX_BACKOFF_S;
	return now + wait * 1000;
}

/* After the n-th failure in a row: every_s doubling, capped at 24 h. */
static int64_t
next_fail(const struct mb_feed_source *s, int64_t retry_s, int64_t now)
{
	int64_t	wait = s->every_s;
	int64_t	n;

	for (n = 1; n < s->failures && wait < MB_FEEDS_MAX_BACKOFF_S; n++)
		wait *= 2;
	if (retry_s > wait)
		wait = retry_s;
	if (wait > MB_FEEDS_MAX_BACKOFF_S)
		wait = MB_FEEDS_MAX_BACKOFF_S;
	return now + wait * 1000;
}

static void
hash_hex(const void *p, size_t n, char out[72])
{
	unsigned char h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, p, n);
	memcpy(out, "sha256:", 7);
	sodium_bin2hex(out + 7, 65, h, sizeof(h));
}

/* The charset named in a Content-Type, or "". */
static void
charset_of(const char *ct, char out[40])
{
	const char	*p = strcasestr(ct, "charset=");
	size_t		 n = 0;

	out[0] = '\0';
	if (p == NULL)
		return;
	p += 8;
	if (*p == '"')
		p++;
	while (n < 39 && (isalnum((unsigned char)p[n]) || p[n] == '-' ||
	    p[n] == '_' || p[n] == '.' || p[n] == ':'))
		n++;
	memcpy(out, p, n);
	out[n] = '\0';
}

/* The source's topics added to the item's subjects. */
static int
add_topics(json_t *item, const char *topics)
{
	json_t		*subj = json_object_get(item, "subjects");
	const char	*p = topics, *e;
	char		 t[128];
	size_t		 n;

	while (*p != '\0') {
		e = strchr(p, ',');
		n = e != NULL ? (size_t)(e - p) : strlen(p);
		while (n > 0 && isspace((unsigned char)*p)) {
			p++;
			n--;
		}
		while (n > 0 && isspace((unsigned char)p[n - 1]))
			n--;
		if (n > 0 && n < sizeof(t)) {
			memcpy(t, p, n);
			t[n] = '\0';
			if (subj == NULL) {
				subj = json_array();
				if (subj == NULL || json_object_set_new(item,
				    "subjects", subj) != 0)
					return MB_ERR_NOMEM;
			}
			if (json_array_append_new(subj, json_pack("{ss}",
			    "name", t)) != 0)
				return MB_ERR_NOMEM;
		}
		if (e == NULL)
			break;
		p = e + 1;
	}
	return MB_OK;
}

/*
 * A date more than a day ahead is now: 9999-12-31 would pin the entry to
 * the top of every list. After the entry's hash, which stays the
 * source's, so that an unchanged entry is not a new version every poll.
 */
static void
clamp_dates(json_t *item, int64_t now_ms)
{
	static const char *const keys[] = { "firstCreated", "versionCreated" };
	char	t[MB_TIME_RFC3339_LEN];
	int64_t	ms;
	size_t	i;

	mb_time_format(now_ms, t);
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (mb_time_parse(json_string_value(json_object_get(item,
		    keys[i])), &ms) == MB_OK && ms > now_ms + 86400 * 1000LL)
			json_object_set_new(item, keys[i], json_string(t));
}

/* Sanitizes every body in place: what is signed is what is shown. */
static int
sanitize_bodies(struct mb_feeds *f, json_t *item, struct mb_diag *d)
{
	json_t	*b;
	size_t	 i;
	int	 rc;

	json_array_foreach(json_object_get(item, "bodies"), i, b) {
		const char	*v = json_string_value(json_object_get(b,
				    "value"));
		struct mb_buf	 out = MB_BUF_INIT;

		if (v == NULL)
			continue;
		if ((rc = f->sanitize(v, strlen(v), &out, d)) != MB_OK) {
			mb_buf_free(&out);
			return rc;
		}
		json_object_set_new(b, "value", json_string(mb_buf_cstr(&out)));
		mb_buf_free(&out);
	}
	return MB_OK;
}

/* The store's current version of an item: its number and its state. */
struct current {
	int64_t	version;
	int64_t	first_ms;	/* firstCreated */
	char	pub_status[16];
};

static int
current_cb(const struct mb_store_version *v, void *arg)
{
	struct current *c = arg;

	c->version = v->version;
	c->first_ms = v->first_ms;
	snprintf(c->pub_status, sizeof(c->pub_status), "%s",
	    v->pub_status != NULL ? v->pub_status : "usable");
	return MB_OK;
}

/*
 * Whether the newsroom has taken the item over from the feed: its current
 * version is not the one the feed made last (an edit, publishing a draft,
 * a withholding, a cancel are each a version of the desk's), or it is
 * withheld or canceled. Then the source's change is not signed over the
 * desk's version (docs/ingest.md, "Identity and updates").
 */
static bool
desk_owns(const struct mb_feed_seen *known, const struct current *cur)
{
	return cur->version != known->version ||
	    strcmp(cur->pub_status, "canceled") == 0 ||
	    strcmp(cur->pub_status, "withheld") == 0;
}

/* One entry: new item, new version, held for the desk, or nothing. */
static int
entry(struct mb_feeds *f, const struct mb_feed_source *s, const json_t *e,
    struct mb_feeds__left *left, struct mb_feeds_result *r,
    struct mb_diag *d)
{
	const char		*key = json_string_value(json_object_get(e,
				    "key"));
	json_t			*item = json_deep_copy(json_object_get(e,
				    "item"));
	struct mb_feed_seen	 known, now, claim;
	struct mb_ingest_opts	 o;
	struct mb_prepared	*p = NULL;
	struct mb_ingest_result	 res;
	struct mb_buf		 canon = MB_BUF_INIT;
	char			 lid[MB_LOCAL_LEN + 1], ver[24];
	bool			 update = false;
	int			 rc;

	if (key == NULL || item == NULL) {
		json_decref(item);
		return MB_ERR_NOMEM;
	}
	if ((rc = sanitize_bodies(f, item, d)) != MB_OK ||
	    (rc = add_topics(item, s->topics)) != MB_OK)
		goto out;
	if (s->language[0] != '\0')
		json_object_set_new(item, "language", json_string(s->language));
	/* The entry as the source says it, before uri and version. */
	if ((rc = mb_jcs_dump(item, &canon, d)) != MB_OK)
		goto out;
	memset(&now, 0, sizeof(now));
	hash_hex(canon.data, canon.len, now.hash);
	rc = mb_store_feed_entry_get(f->st, s->id, key, &known, d);
	if (rc == MB_OK && strcmp(known.hash, now.hash) == 0) {
		r->unchanged++;
		goto out;
	}
	if (rc == MB_OK) {
		struct current	cur;

		/* Version 0: claimed, but that poll stored no item. */
		update = known.version > 0;
		snprintf(now.uri, sizeof(now.uri), "%s", known.uri);
		now.version = known.version + 1;
		memset(&cur, 0, sizeof(cur));
		rc = mb_store_get(f->st, known.uri, 0, current_cb, &cur, d);
		if (rc != MB_OK && rc != MB_ERR_NOTFOUND)
			goto out;
		/*
		 * Not over a claim: the item there is the claiming poll's
		 * version 1, which the commit below finds stored (held).
		 */
		if (rc == MB_OK && update && desk_owns(&known, &cur)) {
			/*
			 * The desk's version stands. The source's change is
			 * remembered (its hash; the version stays the feed's
			 * last) so that it is logged once, not every poll.
			 */
			log_info("feeds: source=%lld entry=\"%.80s\" changed "
			    "at the source; held: %s is the newsroom's at "
			    "version %lld (%s), the feed's was %lld",
			    (long long)s->id, key, known.uri,
			    (long long)cur.version, cur.pub_status,
			    (long long)known.version);
			now.version = known.version;
			if ((rc = mb_store_feed_entry_put(f->st, s->id, key,
			    &now, d)) == MB_OK)
				r->held++;
			goto out;
		}
		/*
		 * An entry without a date is dated when it arrives: its first
		 * version's firstCreated stays the item's, not each update's.
		 */
		if (rc == MB_OK && cur.first_ms != 0 &&
		    json_object_get(item, "firstCreated") == NULL) {
			char	t[MB_TIME_RFC3339_LEN];

			mb_time_format(cur.first_ms, t);
			json_object_set_new(item, "firstCreated",
			    json_string(t));
		}
		rc = MB_OK;
	} else if (rc == MB_ERR_NOTFOUND) {
		mb_local_id_mint(lid);
		if (mb_uri_make(now.uri, sizeof(now.uri),
		    f->node->conf.id, lid) != MB_OK) {
			rc = MB_ERR_NOMEM;
			goto out;
		}
		/*
		 * The entry is claimed under the new uri before its item is
		 * stored: another poll of the source at the same time finds
		 * the claim and writes (or is refused) that uri's version 1,
		 * where both would have minted an item of their own. Version
		 * 0 and no hash, so that a poll that fails after the claim
		 * leaves the entry to be stored by the next one.
		 */
		claim = now;
		claim.version = 0;
		claim.hash[0] = '\0';
		if ((rc = mb_store_feed_entry_claim(f->st, s->id, key, &claim,
		    d)) == MB_ERR_EXISTS) {
			log_info("feeds: source=%lld entry=\"%.80s\" held: "
			    "another poll of the source claimed it",
			    (long long)s->id, key);
			r->held++;
			rc = MB_OK;
			goto out;
		}
		if (rc != MB_OK)
			goto out;
		now.version = 1;
	} else
		goto out;
	snprintf(ver, sizeof(ver), "%lld", (long long)now.version);
	json_object_set_new(item, "uri", json_string(now.uri));
	json_object_set_new(item, "version", json_string(ver));
	clamp_dates(item, mb_time_now_ms());
	/* A new version is dated now when the feed did not say. */
	if (update) {
		char	t[MB_TIME_RFC3339_LEN];
		int64_t	prev = 0;

		mb_time_format(mb_time_now_ms(), t);
		if (mb_time_parse(json_string_value(json_object_get(item,
		    "versionCreated")), &prev) != MB_OK ||
		    prev < mb_time_now_ms() - 1000)
			json_object_set_new(item, "versionCreated",
			    json_string(t));
	}
	/* New or changed only: an unchanged entry's media are not fetched. */
	if (f->media != NULL)
		mb_feeds__media(f->st, s, item, f->media, f->media_arg, left);
	memset(&o, 0, sizeof(o));
	o.audience = s->audience;
	o.workflow = s->workflow;
	o.now_ms = mb_time_now_ms();
	rc = mb_ingest_prepare(f->ig, item, &o, &p, d);
	item = NULL;	/* stolen */
	if (rc != MB_OK ||
	    (rc = mb_ingest_commit(f->ig, f->st, p, true, &res, d)) != MB_OK)
		goto out;
	if (res.duplicate) {
		/*
		 * That version was stored meanwhile (the desk's, written
		 * between the look above and now): nothing of the source's
		 * was, so its hash is not recorded and the next poll decides
		 * again, against the desk's version.
		 */
		log_info("feeds: source=%lld entry=\"%.80s\" held: %s "
		    "version %lld was written meanwhile", (long long)s->id,
		    key, now.uri, (long long)now.version);
		r->held++;
		goto out;
	}
	if ((rc = mb_store_feed_entry_put(f->st, s->id, key, &now, d)) !=
	    MB_OK)
		goto out;
	if (update)
		r->updated++;
	else
		r->added++;
out:
	mb_prepared_free(p);
	json_decref(item);
	mb_buf_free(&canon);
	return rc;
}

static const char *
fail_name(enum mb_httpc_fail why)
{
	switch (why) {
	case MB_HTTPC_REFUSED: return "refused";
	case MB_HTTPC_CONNECT: return "connect";
	case MB_HTTPC_TIMEOUT: return "timeout";
	case MB_HTTPC_TOOBIG: return "too big";
	case MB_HTTPC_CUT: return "cut";
	case MB_HTTPC_CANCELLED: return "cancelled";
	default: return "failed";
	}
}

/* An entry's NewsML-G2 version (altIds role "version"); 0: none. */
static long long
g2_version(const json_t *e)
{
	const json_t	*a, *v;
	const char	*s;
	char		*end;
	long long	 n;
	size_t		 i;

	json_array_foreach(json_object_get(json_object_get(e, "item"),
	    "altIds"), i, a) {
		v = json_object_get(a, "role");
		if (!json_is_string(v) || strcmp(json_string_value(v),
		    "version") != 0 || (s = json_string_value(json_object_get(a,
		    "value"))) == NULL)
			continue;
		n = strtoll(s, &end, 10);
		return *end == '\0' && n > 0 ? n : 0;
	}
	return 0;
}

/*
 * The entries of one document with each key once. Two entries under one
 * key would each replace the other's hash, and every poll of a document
 * that changed at all would sign a new version of both (docs/ingest.md,
 * "Identity and updates"). Of a key's entries the highest NewsML-G2
 * version is kept (a newsMessage may carry every version of an item, in
 * any order: export --format newsml-g2 writes them in log order), else
 * the first; the rest are dropped and logged. *out is a new array (the
 * entries borrowed from feed's).
 */
static int
unique_entries(const struct mb_feed_source *s, json_t *entries,
    json_t **out)
{
	json_t		*seen = json_object(), *keep = json_array();
	const json_t	*e, *at;
	const char	*key, *first = NULL;
	size_t		 i, dups = 0;

	if (seen == NULL || keep == NULL)
		goto nomem;
	json_array_foreach(entries, i, e) {
		key = json_string_value(json_object_get(e, "key"));
		if (key != NULL && (at = json_object_get(seen, key)) != NULL) {
			size_t	k = (size_t)json_integer_value(at);

			if (dups++ == 0)
				first = key;
			if (g2_version(e) > g2_version(json_array_get(keep,
			    k)) && json_array_set(keep, k, (json_t *)e) != 0)
				goto nomem;
			continue;
		}
		if ((key != NULL && json_object_set_new(seen, key,
		    json_integer((json_int_t)json_array_size(keep))) != 0) ||
		    json_array_append(keep, (json_t *)e) != 0)
			goto nomem;
	}
	if (dups > 0)
		log_warn("feeds: source=%lld %zu entries repeat a key "
		    "already in the document (the first: \"%.80s\"): each "
		    "key's highest NewsML-G2 version, else its first entry, "
		    "kept", (long long)s->id, dups, first);
	json_decref(seen);
	*out = keep;
	return MB_OK;
nomem:
	json_decref(seen);
	json_decref(keep);
	return MB_ERR_NOMEM;
}

/* The fetch and the entries; s is updated, not saved. */
static int
poll_one(struct mb_feeds *f, struct mb_feed_source *s,
    struct mb_feeds_result *r, struct answer *a, int64_t *ttl_s,
    struct mb_diag *d)
{
	struct mb_httpc_opts	 co = { .user_agent = "mediabridge-ingest",
				    .allow_private = s->allow_private,
				    .max_redirects = MB_FEEDS_MAX_REDIRECTS };
	struct mb_httpc		*c = NULL;
	struct mb_httpc_req	 rq;
	struct mb_httpc_resp	 resp;
	enum mb_httpc_fail	 why = MB_HTTPC_OK;
	struct mb_wire_opts	 wo;
	struct mb_wire_feed	 feed;
	const char		*hdr[4];
	char			 inm[300], ims[100], cs[40], bh[72];
	struct mb_diag		 ed = { "" };
	json_t			*entries = NULL;
	struct mb_feeds__left	 left;
	const json_t		*e;
	size_t			 i, nh = 0;
	int			 rc;

	memset(&resp, 0, sizeof(resp));
	memset(&feed, 0, sizeof(feed));
	if ((rc = mb_httpc_new(&co, &c)) != MB_OK)
		return rc;
	if (s->etag[0] != '\0') {
		snprintf(inm, sizeof(inm), "If-None-Match: %s", s->etag);
		hdr[nh++] = inm;
	}
	if (s->last_modified[0] != '\0') {
		snprintf(ims, sizeof(ims), "If-Modified-Since: %s",
		    s->last_modified);
		hdr[nh++] = ims;
	}
	hdr[nh++] = "Accept: application/rss+xml, application/atom+xml, "
	    "application/feed+json, application/vnd.iptc.g2.newsitem+xml, "
	    "application/xml;q=0.9, */*;q=0.5";
	hdr[nh] = NULL;
	memset(&rq, 0, sizeof(rq));
	rq.url = s->url;
	rq.headers = hdr;
	rq.max_answer = MB_FEEDS_MAX_BYTES;
	rq.timeout_ms = MB_FEEDS_TIMEOUT_MS;
	rq.low_speed_bytes = 256;
	rq.low_speed_s = 30;
	rq.accept_encoding = "gzip, deflate";
	rq.on_header = on_header;
	rq.header_arg = a;
	rc = mb_httpc_do(c, &rq, &resp, &why, d);
	mb_httpc_free(c);
	if (rc != MB_OK) {
		if (why == MB_HTTPC_TOOBIG)
			mb_diag_set(d, rc, "the answer is over %d MB (after "
			    "decompression)", MB_FEEDS_MAX_BYTES >> 20);
		else
			if (why != MB_HTTPC_REFUSED)
				mb_diag_prefix(d, "%s", fail_name(why));
		return rc;
	}
	if (resp.status == 304) {
		r->not_modified = true;
		goto done;
	}
	if (resp.status != 200) {
		rc = mb_diag_set(d, resp.status == 429 || resp.status == 503 ?
		    MB_ERR_AGAIN : MB_ERR_NET, "HTTP %ld%s", resp.status,
		    resp.status >= 300 && resp.status < 400 ?
		    " (more than 5 redirects, or a redirect to neither http nor "
		    "https)" : "");
		goto done;
	}
	/* No validator from the server: the body's hash is ours. */
	hash_hex(resp.body.data != NULL ? resp.body.data : "", resp.body.len,
	    bh);
	if (a->etag[0] == '\0' && a->last_modified[0] == '\0' &&
	    strcmp(bh, s->body_hash) == 0) {
		r->not_modified = true;
		goto done;
	}
	memset(&wo, 0, sizeof(wo));
	wo.url = a->moved ? a->url : s->url;
	charset_of(resp.content_type, cs);
	wo.charset = cs;
	if ((rc = mb_wire_parse(resp.body.data, resp.body.len, &wo, &feed,
	    d)) != MB_OK) {
		mb_diag_prefix(d, "parse");
		goto done;
	}
	*ttl_s = feed.ttl_s;
	if (feed.title[0] != '\0')
		snprintf(s->title, sizeof(s->title), "%s", feed.title);
	if (f->ig == NULL &&
	    (rc = mb_ingest_new(f->node, f->st, &f->ig, d)) != MB_OK)
		goto done;
	if ((rc = unique_entries(s, feed.entries, &entries)) != MB_OK)
		goto done;
	/* The media budget is the poll's, whatever the entries. */
	left.deadline_ms = mb_time_now_ms() + f->budget.ms;
	left.files = f->budget.files;
	left.bytes = f->budget.bytes;
	left.told = false;
	json_array_foreach(entries, i, e) {
		int erc = entry(f, s, e, &left, r, &ed);

		if (erc == MB_ERR_NOMEM || erc == MB_ERR_STORE ||
		    erc == MB_ERR_NOSPACE) {
			rc = erc;
			*d = ed;
			goto done;
		}
		if (erc != MB_OK) {
			/* One bad entry does not stop the others. */
			if (r->refused++ == 0)
				log_warn("feeds: source=%lld entry=\"%.80s\" "
				    "refused: %s", (long long)s->id,
				    json_string_value(json_object_get(e,
				    "key")), mb_diag_msg(&ed, erc));
			mb_diag_clear(&ed);
		}
	}
	snprintf(s->body_hash, sizeof(s->body_hash), "%s", bh);
done:
	if (rc == MB_OK) {
		/* A 304 keeps the validators we sent. */
		if (!r->not_modified || a->etag[0] != '\0')
			snprintf(s->etag, sizeof(s->etag), "%s", a->etag);
		if (!r->not_modified || a->last_modified[0] != '\0')
			snprintf(s->last_modified, sizeof(s->last_modified),
			    "%s", a->last_modified);
	}
	json_decref(entries);
	mb_wire_feed_free(&feed);
	mb_httpc_resp_free(&resp);
	return rc;
}

int
mb_feeds_poll(struct mb_feeds *f, int64_t id, struct mb_feeds_result *r,
    struct mb_diag *d)
{
	struct mb_feed_source	*s;
	struct answer		*a;
	int64_t			 now = mb_time_now_ms(), ttl_s = 0;
	struct mb_diag		 sd = { "" };
	int			 rc, src;

	memset(r, 0, sizeof(*r));
	s = malloc(sizeof(*s));
	a = calloc(1, sizeof(*a));
	if (s == NULL || a == NULL) {
		free(s);
		free(a);
		return MB_ERR_NOMEM;
	}
	if ((rc = mb_store_feed_get(f->st, id, s, d)) != MB_OK)
		goto out;
	snprintf(a->url, sizeof(a->url), "%s", s->url);
	a->permanent = true;
	rc = poll_one(f, s, r, a, &ttl_s, d);
	s->last_fetch_ms = now;
	if (rc == MB_OK) {
		if (r->added > 0 || r->updated > 0)
			s->last_new_ms = now;
		s->entries += r->added;
		s->updates += r->updated;
		s->failures = 0;
		s->last_error[0] = '\0';
		if (r->refused > 0)
			snprintf(s->last_error, sizeof(s->last_error), "%d "
			    "entries refused (see the log)", r->refused);
		s->next_poll_ms = next_ok(s, a, ttl_s, now);
		/* A permanent redirect moves the source. */
		if (a->moved && a->permanent &&
		    strcmp(a->url, s->url) != 0) {
			log_info("feeds: source=%lld moved permanently to %s",
			    (long long)s->id, a->url);
			snprintf(s->url, sizeof(s->url), "%s", a->url);
		}
	} else {
		s->failures++;
		snprintf(s->last_error, sizeof(s->last_error), "%s",
		    mb_diag_msg(d, rc));
		s->next_poll_ms = next_fail(s, a->retry_after_s, now);
	}
	r->next_poll_ms = s->next_poll_ms;
	if ((src = mb_store_feed_save(f->st, s, &sd)) == MB_ERR_EXISTS) {
		/* Moved onto another source's URL: keep ours. */
		struct mb_feed_source *cur = malloc(sizeof(*cur));

		if (cur != NULL && mb_store_feed_get(f->st, id, cur, NULL) ==
		    MB_OK) {
			snprintf(s->url, sizeof(s->url), "%s", cur->url);
			src = mb_store_feed_save(f->st, s, &sd);
		}
		free(cur);
	}
	if (src != MB_OK && rc == MB_OK) {
		rc = src;
		*d = sd;
	}
out:
	free(s);
	free(a);
	return rc;
}

struct due {
	int64_t	 now;
	int64_t	 next;
	int64_t	 ids[256];
	int	 n;
};

static int
collect_due(const struct mb_feed_source *s, void *arg)
{
	struct due *u = arg;

	if (s->next_poll_ms <= u->now) {
		if (u->n < (int)(sizeof(u->ids) / sizeof(u->ids[0])))
			u->ids[u->n++] = s->id;
		else
			u->next = u->now;	/* more next round */
	} else if (u->next == 0 || s->next_poll_ms < u->next)
		u->next = s->next_poll_ms;
	return MB_OK;
}

int
mb_feeds_poll_due(struct mb_feeds *f, int64_t *next_ms, struct mb_diag *d)
{
	struct due		u;
	struct mb_feeds_result	r;
	struct mb_diag		pd = { "" };
	int			i, rc;

	memset(&u, 0, sizeof(u));
	u.now = mb_time_now_ms();
	if ((rc = mb_store_feed_list(f->st, collect_due, &u, d)) != MB_OK)
		return rc;
	for (i = 0; i < u.n; i++) {
		rc = mb_feeds_poll(f, u.ids[i], &r, &pd);
		if (rc == MB_OK && (r.added > 0 || r.updated > 0 ||
		    r.held > 0))
			log_info("feeds: source=%lld added=%d updated=%d "
			    "held=%d", (long long)u.ids[i], r.added, r.updated,
			    r.held);
		else if (rc != MB_OK && rc != MB_ERR_NOTFOUND)
			log_warn("feeds: source=%lld error: %s",
			    (long long)u.ids[i], mb_diag_msg(&pd, rc));
		if (rc == MB_OK || rc != MB_ERR_NOTFOUND)
			if (u.next == 0 || r.next_poll_ms < u.next)
				u.next = r.next_poll_ms;
		mb_diag_clear(&pd);
	}
	*next_ms = u.next == 0 ? 60000 : u.next - mb_time_now_ms();
	if (*next_ms < 1000)
		*next_ms = 1000;
	return MB_OK;
}
