/* SPDX-License-Identifier: MIT */
/* Log responses for peers, the long-poll wake-up, and response compression. */
#include "log.h"

#include <pthread.h>
#include <stdbool.h>
#include <string.h>
#include <time.h>

#include <zstd.h>

#include "base/gzip.h"

struct build_ctx {
	const char	*peer;
	struct mb_buf	*body;
	int64_t		 next;
	size_t		 count;
	int		 nomem;
};

static int
add_line(const struct mb_store_version *v, void *arg)
{
	struct build_ctx *c = arg;

	c->next = v->seq;
	/*
	 * internal never leaves; network and public go to members. Drafts
	 * and submitted versions stay in their newsroom: only published
	 * versions travel.
	 */
	if (strcmp(v->audience, "internal") == 0 ||
	    strcmp(v->workflow, "published") != 0)
		return MB_OK;
	/*
	 * Split horizon: what the peer signed or sent us, it has. Without
	 * this every branch would hand HQ back all it pulled from HQ, each
	 * version verified again only to be found a duplicate.
	 */
	if (c->peer != NULL && (strcmp(v->origin, c->peer) == 0 ||
	    (v->via != NULL && strcmp(v->via, c->peer) == 0)))
		return MB_OK;
	if (mb_buf_printf(c->body, "{\"seq\":%lld,\"envelope\":",
	    (long long)v->seq) != MB_OK ||
	    mb_buf_append(c->body, v->envelope, v->envelope_len) != MB_OK ||
	    mb_buf_puts(c->body, "}\n") != MB_OK) {
		c->nomem = 1;
		return MB_ERR_NOMEM;
	}
	c->count++;
	return MB_OK;
}

int
mb_sync_log_build(struct mb_store *st, const char *peer, int64_t after,
    int64_t limit, struct mb_buf *body, int64_t *next, size_t *count,
    struct mb_diag *d)
{
	struct build_ctx	c = { peer, body, after, 0, 0 };
	int			rc;

	/* Envelopes are about 4 KB: one allocation for most responses. */
	if (mb_buf_reserve(body, (size_t)(limit > 0 && limit < 4096 ?
	    limit : 4096) * 4096) != MB_OK)
		return MB_ERR_NOMEM;
	if ((rc = mb_store_log(st, after, limit, add_line, &c, d)) != MB_OK)
		return rc;
	*next = c.next;
	*count = c.count;
	return MB_OK;
}

int64_t
mb_sync_log_last(struct mb_store *st)
{
	int64_t seq;

	if (mb_store_last_seq(st, &seq, NULL) != MB_OK)
		return 0;
	return seq;
}

static pthread_mutex_t	notify_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t	notify_cond = PTHREAD_COND_INITIALIZER;
static uint64_t		notify_gen = 1;

void
mb_sync_log_notify(void)
{
	pthread_mutex_lock(&notify_lock);
	notify_gen++;
	pthread_cond_broadcast(&notify_cond);
	pthread_mutex_unlock(&notify_lock);
}

void
mb_sync_log_wait(uint64_t *gen, int timeout_ms)
{
	struct timespec	ts;

	if (timeout_ms > 100)
		timeout_ms = 100;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += (long)timeout_ms * 1000000L;
	ts.tv_sec += ts.tv_nsec / 1000000000L;
	ts.tv_nsec %= 1000000000L;
	pthread_mutex_lock(&notify_lock);
	while (*gen == notify_gen)
		if (pthread_cond_timedwait(&notify_cond, &notify_lock, &ts) !=
		    0)
			break;
	*gen = notify_gen;
	pthread_mutex_unlock(&notify_lock);
}

/* True when the Accept-Encoding list names coding (q=0 not honoured). */
static bool
accepts(const char *accept, const char *coding)
{
	const char	*p = accept;
	size_t		 n = strlen(coding);

	while (p != NULL && (p = strstr(p, coding)) != NULL) {
		bool start = p == accept || p[-1] == ' ' || p[-1] == ',';
		bool end = p[n] == '\0' || p[n] == ',' || p[n] == ';' ||
		    p[n] == ' ';

		if (start && end)
			return !(p[n] == ';' && strncmp(p + n, ";q=0", 4) == 0 &&
			    (p[n + 4] == '\0' || p[n + 4] == ','));
		p += n;
	}
	return false;
}

int
mb_sync_compress(const char *accept, const void *body, size_t len,
    struct mb_buf *out, const char **encoding)
{
	*encoding = NULL;
	if (accept == NULL || len < 256)
		return MB_OK;
	if (accepts(accept, "zstd")) {
		size_t bound = ZSTD_compressBound(len), n;

		if (mb_buf_reserve(out, bound + 1) != MB_OK)
			return MB_ERR_NOMEM;
		n = ZSTD_compress(out->data + out->len, bound, body, len, 1);
		if (ZSTD_isError(n))
			return MB_ERR_INVAL;
		out->len += n;
		out->data[out->len] = '\0';
		*encoding = "zstd";
		return MB_OK;
	}
	if (accepts(accept, "gzip")) {
		if (mb_gzip(body, len, 1, out) != MB_OK)
			return MB_ERR_NOMEM;
		*encoding = "gzip";
	}
	return MB_OK;
}
