/* SPDX-License-Identifier: MIT */
/* The store's dispatcher: picks a backend at open, then hands each call to its table. */
#include "store_int.h"

#include <string.h>

/*
 * Every call below is one indirect call through the table the backend
 * filled (store_int.h): no allocation, no test of which backend it is.
 * The backends are asked in turn whether a location is theirs.
 */
static const struct mb_store_ops *const backends[] = {
	&mb_pg_ops,
	&mb_sqlite_ops,
};

int
mb_store__open_with(const char *location, const struct mb_store_opts *opts,
    const struct mb_store_domain *const *domains, struct mb_store **out,
    struct mb_diag *d)
{
	const struct mb_store_ops	*ops = NULL;
	struct mb_store			*st;
	int				 rc;

	for (size_t i = 0; i < sizeof(backends) / sizeof(backends[0]); i++)
		if (backends[i]->accepts(location)) {
			ops = backends[i];
			break;
		}
	if (ops == NULL)
		return mb_diag_set(d, MB_ERR_UNSUPPORTED,
		    "store: %s: not a store (sqlite:PATH or postgresql://...)",
		    location);
	if ((rc = ops->open(location, opts, &st, d)) != MB_OK)
		return rc;
	st->domains = domains;
	if ((rc = mb_store__migrate_domains(st, opts != NULL &&
	    opts->readonly, d)) != MB_OK) {
		st->ops->close(st);
		return rc;
	}
	*out = st;
	return MB_OK;
}

int
mb_store_open(const char *location, const struct mb_store_opts *opts,
    struct mb_store **out, struct mb_diag *d)
{
	return mb_store__open_with(location, opts, mb_store_domains, out, d);
}

void
mb_store_close(struct mb_store *st)
{
	if (st != NULL)
		st->ops->close(st);
}

void
mb_store_idle(struct mb_store *st)
{
	if (st != NULL && st->ops->idle != NULL)
		st->ops->idle(st);
}

int
mb_store_packer(struct mb_store *st, struct mb_zenv_packer **out,
    struct mb_diag *d)
{
	*out = NULL;
	return st->ops->packer(st, out, d);
}

int
mb_store_schema_version(struct mb_store *st)
{
	return st->ops->schema_version(st);
}

int
mb_store_begin(struct mb_store *st, struct mb_diag *d)
{
	return st->ops->begin(st, d);
}

int
mb_store_commit(struct mb_store *st, struct mb_diag *d)
{
	return st->ops->commit(st, d);
}

void
mb_store_rollback(struct mb_store *st)
{
	st->ops->rollback(st);
}

int
mb_store_put(struct mb_store *st, const struct mb_store_version *v,
    const struct mb_store_text *text, int64_t *seq, struct mb_diag *d)
{
	return st->ops->put(st, v, text, seq, d);
}

int
mb_store_get(struct mb_store *st, const char *uri, int64_t version,
    mb_store_version_cb cb, void *arg, struct mb_diag *d)
{
	return st->ops->get(st, uri, version, cb, arg, d);
}

int
mb_store_has(struct mb_store *st, const char *uri, int64_t version,
    bool *has, struct mb_diag *d)
{
	return st->ops->has(st, uri, version, has, d);
}

int
mb_store_log(struct mb_store *st, int64_t after, int64_t limit,
    mb_store_version_cb cb, void *arg, struct mb_diag *d)
{
	return st->ops->log(st, after, limit, cb, arg, d);
}

int
mb_store_stats(struct mb_store *st, struct mb_store_stats *out,
    struct mb_diag *d)
{
	return st->ops->stats(st, out, d);
}

int
mb_store_check(struct mb_store *st,
    void (*report)(const char *problem, void *arg), void *arg,
    struct mb_diag *d)
{
	return st->ops->check(st, report, arg, d);
}

int
mb_store_repair(struct mb_store *st,
    void (*report)(const char *fixed, void *arg), void *arg, int *fixed,
    struct mb_diag *d)
{
	*fixed = 0;
	return st->ops->repair(st, report, arg, fixed, d);
}

int
mb_store_repair_version(struct mb_store *st, const struct mb_store_version *v,
    struct mb_diag *d)
{
	return st->ops->repair_version(st, v, d);
}

int
mb_store_backup(struct mb_store *st, const char *path, struct mb_diag *d)
{
	return st->ops->backup(st, path, d);
}

int
mb_store_index_next(struct mb_store *st, int64_t limit,
    int (*cb)(const struct mb_store_version *v, struct mb_store_text *t,
	void *arg), void *arg, int64_t *done, struct mb_diag *d)
{
	return st->ops->index_next(st, limit, cb, arg, done, d);
}

int
mb_store_index_peek(struct mb_store *st, int64_t limit,
    mb_store_version_cb cb, void *arg, struct mb_diag *d)
{
	return st->ops->index_peek(st, limit, cb, arg, d);
}

int
mb_store_index_tidy(struct mb_store *st, int pages, bool *more,
    struct mb_diag *d)
{
	*more = false;
	if (pages < 1)
		return mb_diag_set(d, MB_ERR_INVAL,
		    "index tidy: pages must be at least 1");
	return st->ops->index_tidy(st, pages, more, d);
}

int
mb_store_index_keep_up(struct mb_store *st, int64_t items,
    struct mb_diag *d)
{
	bool	more = true;
	int	rc;

	for (int64_t left = items; left > 0 && more; left -= 256)
		if ((rc = mb_store_index_tidy(st, left < 256 ? (int)left : 256,
		    &more, d)) != MB_OK)
			return rc == MB_ERR_AGAIN ? MB_OK : rc;
	return MB_OK;
}

int
mb_store_alias_get(struct mb_store *st, const char *key, struct mb_buf *uri,
    struct mb_diag *d)
{
	return st->ops->alias_get(st, key, uri, d);
}

int
mb_store_alias_put(struct mb_store *st, const char *key, const char *uri,
    struct mb_diag *d)
{
	return st->ops->alias_put(st, key, uri, d);
}

int
mb_store_center_put(struct mb_store *st, const struct mb_center *c,
    struct mb_diag *d)
{
	return st->ops->center_put(st, c, d);
}

int
mb_store_center_get(struct mb_store *st, const char *id,
    struct mb_center *out, struct mb_diag *d)
{
	return st->ops->center_get(st, id, out, d);
}

int
mb_store_center_list(struct mb_store *st,
    int (*cb)(const struct mb_center *c, void *arg), void *arg,
    struct mb_diag *d)
{
	return st->ops->center_list(st, cb, arg, d);
}

int
mb_store_peer_put(struct mb_store *st, const char *center, const char *url,
    int manual, struct mb_diag *d)
{
	return st->ops->peer_put(st, center, url, manual, d);
}

int
mb_store_peer_get(struct mb_store *st, const char *center,
    struct mb_peer *out, struct mb_diag *d)
{
	return st->ops->peer_get(st, center, out, d);
}

int
mb_store_peer_list(struct mb_store *st,
    int (*cb)(const struct mb_peer *p, void *arg), void *arg,
    struct mb_diag *d)
{
	return st->ops->peer_list(st, cb, arg, d);
}

int
mb_store_peer_advance(struct mb_store *st, const char *center,
    int64_t cursor, int64_t received, int64_t refused, int64_t now_ms,
    struct mb_diag *d)
{
	return st->ops->peer_advance(st, center, cursor, received, refused,
	    now_ms, d);
}

int
mb_store_last_seq(struct mb_store *st, int64_t *seq, struct mb_diag *d)
{
	return st->ops->last_seq(st, seq, d);
}

int
mb_store_peer_fail(struct mb_store *st, const char *center,
    const char *error, int64_t now_ms, struct mb_diag *d)
{
	return st->ops->peer_fail(st, center, error, now_ms, d);
}

int
mb_store_registry_get(struct mb_store *st, int64_t *version,
    struct mb_buf *doc, struct mb_diag *d)
{
	return st->ops->registry_get(st, version, doc, d);
}

int
mb_store_registry_put(struct mb_store *st, int64_t version, const char *doc,
    size_t len, struct mb_diag *d)
{
	return st->ops->registry_put(st, version, doc, len, d);
}

int
mb_store_list(struct mb_store *st, const struct mb_store_filter *f,
    mb_store_version_cb cb, void *arg, struct mb_diag *d)
{
	return st->ops->list(st, f, cb, arg, d);
}

int
mb_store_search(struct mb_store *st, const struct mb_store_search_query *q,
    int (*cb)(const struct mb_store_search_hit *h, void *arg), void *arg,
    struct mb_store_search_result *out, struct mb_diag *d)
{
	return st->ops->search(st, q, cb, arg, out, d);
}

int
mb_store_translations(struct mb_store *st, const char *uri, bool all,
    unsigned audiences, int64_t now_ms,
    int (*cb)(const struct mb_store_translation *t, void *arg), void *arg,
    struct mb_diag *d)
{
	return st->ops->translations(st, uri, all, audiences, now_ms, cb, arg,
	    d);
}

int
mb_store_blob_put(struct mb_store *st, const char *hash, const char *mime,
    int64_t size, int64_t now_ms, struct mb_diag *d)
{
	return st->ops->blob_put(st, hash, mime, size, now_ms, d);
}

int
mb_store_blob_get(struct mb_store *st, const char *hash,
    struct mb_store_blob *out, struct mb_diag *d)
{
	return st->ops->blob_get(st, hash, out, d);
}

int
mb_store_blob_delete(struct mb_store *st, const char *hash,
    int64_t before_ms, bool *deleted, struct mb_diag *d)
{
	return st->ops->blob_delete(st, hash, before_ms, deleted, d);
}

int
mb_store_blob_refs_set(struct mb_store *st, const char *uri,
    const char *origin, const struct mb_store_blob_ref *refs, size_t n,
    struct mb_diag *d)
{
	return st->ops->blob_refs_set(st, uri, origin, refs, n, d);
}

int
mb_store_blob_cursor(struct mb_store *st, int64_t *seq, struct mb_diag *d)
{
	return st->ops->blob_cursor(st, seq, d);
}

int
mb_store_blob_cursor_set(struct mb_store *st, int64_t seq,
    struct mb_diag *d)
{
	return st->ops->blob_cursor_set(st, seq, d);
}

int
mb_store_blob_unused(struct mb_store *st, int64_t before_ms,
    int (*cb)(const struct mb_store_blob *b, void *arg), void *arg,
    struct mb_diag *d)
{
	return st->ops->blob_unused(st, before_ms, cb, arg, d);
}

int
mb_store_blob_wanted(struct mb_store *st, int64_t limit,
    int (*cb)(const struct mb_store_blob *b, const char *origin, void *arg),
    void *arg, struct mb_diag *d)
{
	return st->ops->blob_wanted(st, limit, cb, arg, d);
}

int
mb_store_center_keys(struct mb_store *st, const char *id,
    int (*cb)(const struct mb_center_key *k, void *arg), void *arg,
    struct mb_diag *d)
{
	return st->ops->center_keys(st, id, cb, arg, d);
}

int
mb_store_center_key_users(struct mb_store *st, const unsigned char key[32],
    int (*cb)(const struct mb_center_key *k, void *arg), void *arg,
    struct mb_diag *d)
{
	return st->ops->center_key_users(st, key, cb, arg, d);
}

int
mb_store_blob_each(struct mb_store *st,
    int (*cb)(const struct mb_store_blob *b, void *arg), void *arg,
    struct mb_diag *d)
{
	return st->ops->blob_each(st, cb, arg, d);
}

int
mb_store_listen(struct mb_store *st, struct mb_diag *d)
{
	return st->ops->listen(st, d);
}

int
mb_store_wait(struct mb_store *st, int timeout_ms, bool *got,
    struct mb_diag *d)
{
	return st->ops->wait(st, timeout_ms, got, d);
}

int
mb_store_try_lock(struct mb_store *st, const char *name, bool *got,
    struct mb_diag *d)
{
	return st->ops->try_lock(st, name, got, d);
}

int
mb_store_unlock(struct mb_store *st, const char *name, struct mb_diag *d)
{
	return st->ops->unlock(st, name, d);
}
