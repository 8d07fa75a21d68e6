/* SPDX-License-Identifier: MIT */
/*
 * An entry's media made this center's: RSS enclosures, Media RSS
 * pictures and NewsML-G2 renditions arrive as associations linking to
 * the source's copies (wire/emit.c). Each is fetched here under the
 * same guard as the feed (no private address unless the operator
 * allowed the source one; http and https; redirects capped) and handed
 * to the media pipeline as an upload is, so that its metadata is
 * stripped and its renditions are this center's blobs, which travel
 * with the item and are served by every center. Readers then never ask
 * the source for a picture (nothing of them reaches it).
 */
#include <string.h>

#include "base/log.h"
#include "base/timeutil.h"
#include "feeds_int.h"
#include "httpc/httpc.h"

static bool
wanted(const json_t *a)
{
	const char *type = json_string_value(json_object_get(a, "type"));
	const char *uri = json_string_value(json_object_get(a, "uri"));

	return type != NULL && uri != NULL && (strcmp(type, "picture") == 0 ||
	    strcmp(type, "audio") == 0 || strcmp(type, "video") == 0) &&
	    (strncmp(uri, "http://", 7) == 0 ||
	    strncmp(uri, "https://", 8) == 0);
}

/* Whether the poll's media budget is spent (feeds.h). */
static bool
spent(const struct mb_feeds__left *left)
{
	return left->files <= 0 || left->bytes <= 0 ||
	    mb_time_now_ms() >= left->deadline_ms;
}

/*
 * One file: fetched, then the pipeline; MB_OK with its renditions. It
 * spends the poll's budget (left, not spent): a file, its bytes, and its
 * time, the fetch cut when the budget's time runs out.
 */
static int
one(struct mb_store *st, const struct mb_feed_source *s, const char *url,
    const char *type, mb_feeds_media_fn fn, void *arg,
    struct mb_feeds__left *left, json_t **rends, struct mb_diag *d)
{
	struct mb_httpc_opts	 co = { .user_agent = "mediabridge-ingest",
				    .allow_private = s->allow_private,
				    .max_redirects = MB_FEEDS_MAX_REDIRECTS };
	struct mb_httpc		*c = NULL;
	struct mb_httpc_req	 rq;
	struct mb_httpc_resp	 resp;
	enum mb_httpc_fail	 why = MB_HTTPC_OK;
	int64_t			 ms = left->deadline_ms - mb_time_now_ms();
	int			 rc;

	memset(&resp, 0, sizeof(resp));
	memset(&rq, 0, sizeof(rq));
	if ((rc = mb_httpc_new(&co, &c)) != MB_OK)
		return mb_diag_set(d, rc, "out of memory");
	rq.url = url;
	/* One file's caps, or what the poll has left if that is less. */
	rq.max_answer = MB_FEEDS_MEDIA_BYTES;
	if (left->bytes < (int64_t)rq.max_answer)
		rq.max_answer = (size_t)left->bytes;
	rq.timeout_ms = MB_FEEDS_MEDIA_TIMEOUT_MS;
	if (ms < rq.timeout_ms)
		rq.timeout_ms = (int)ms;
	rq.low_speed_bytes = 1024;
	rq.low_speed_s = 15;
	left->files--;
	rc = mb_httpc_do(c, &rq, &resp, &why, d);
	mb_httpc_free(c);
	left->bytes -= (int64_t)resp.body.len;
	if (rc == MB_OK && resp.status != 200)
		rc = mb_diag_set(d, MB_ERR_NET, "HTTP %ld", resp.status);
	else if (rc != MB_OK && why == MB_HTTPC_TOOBIG)
		if (rq.max_answer < MB_FEEDS_MEDIA_BYTES)
			mb_diag_set(d, rc, "over the %zu bytes the poll's "
			    "media budget had left", rq.max_answer);
		else
			mb_diag_set(d, rc, "over %d MB",
			    MB_FEEDS_MEDIA_BYTES >> 20);
	else if (rc != MB_OK && why == MB_HTTPC_TIMEOUT &&
	    rq.timeout_ms < MB_FEEDS_MEDIA_TIMEOUT_MS)
		mb_diag_set(d, rc, "the poll's media budget ran out during "
		    "the fetch");
	if (rc == MB_OK)
		rc = fn(arg, st, type, resp.body.data, resp.body.len, rends,
		    d);
	mb_httpc_resp_free(&resp);
	return rc;
}

void
mb_feeds__media(struct mb_store *st, const struct mb_feed_source *s,
    json_t *item, mb_feeds_media_fn fn, void *arg,
    struct mb_feeds__left *left)
{
	json_t	*as = json_object_get(item, "associations"), *a;
	size_t	 i;
	int	 done = 0;

	json_array_foreach(as, i, a) {
		struct mb_diag	 d = { "" };
		json_t		*rends = NULL, *first;
		const char	*href;
		char		 url[MB_FEED_URL_MAX];
		int		 rc;

		if (!wanted(a))
			continue;
		if (done++ >= MB_FEEDS_MEDIA_PER_ENTRY)
			break;
		snprintf(url, sizeof(url), "%s", json_string_value(
		    json_object_get(a, "uri")));
		if (spent(left)) {
			/* Said once a poll, not once a file. */
			if (!left->told)
				log_info("feeds: media kept as a link "
				    "source=%lld url=%s: the poll's media "
				    "budget is spent (so are the rest of "
				    "this poll's)", (long long)s->id, url);
			left->told = true;
			continue;
		}
		if ((rc = one(st, s, url, json_string_value(json_object_get(a,
		    "type")), fn, arg, left, &rends, &d)) != MB_OK) {
			log_info("feeds: media kept as a link source=%lld "
			    "url=%s: %s", (long long)s->id, url,
			    mb_diag_msg(&d, rc));
			continue;
		}
		first = json_array_get(rends, 0);
		href = json_string_value(json_object_get(first, "href"));
		if (href == NULL) {
			json_decref(rends);
			continue;
		}
		/* The association now names this center's bytes. */
		json_object_set_new(a, "uri", json_string(href));
		json_object_set_new(a, "renditions", rends);
		json_object_set_new(a, "altIds", json_pack("[{s:s, s:s}]",
		    "role", "source", "value", url));
	}
}
