/* SPDX-License-Identifier: MIT */
/* Copying a whole store into an empty one of another backend, row for row. */
#include "store_int.h"

#include <stdio.h>

/*
 * Rows are copied as they are, keys and all: the log keeps its seq
 * numbers (other centers' cursors point into it), items and users keep
 * their ids (credentials and the search index refer to them). What is
 * derived is derived again by the target (copy_end: on PostgreSQL the
 * full-text index, every item queued for the indexer, and the counter
 * behind the log; copy_table_end: the id sequences). One transaction: a
 * failed copy leaves the target as empty as it was.
 *
 * The core's tables, then each domain's (struct mb_store_domain.tables),
 * in the order of mb_store_domains.
 */
static const struct mb_store_table core[] = {
	{ "centers", MB_STORE_CENTER_COLS },
	{ "center_keys", MB_STORE_CENTER_KEY_COLS },
	{ "versions", "seq, uri, version, center, local, origin, audience, "
	  "pub_status, workflow, language, type, profile, headline, "
	  "embargo_ms, created_ms, first_ms, received_ms, envelope, via" },
	{ "items", "id, uri, seq, version, center, audience, pub_status, "
	  "workflow, language, type, profile, embargo_ms, created_ms, "
	  "first_ms" },
	{ "aliases", "key, uri" },
	{ "peers", MB_STORE_PEER_COLS },
	{ "registry", "id, version, document" },
	{ "item_topics", "topic, item_id" },
	{ "translations", "uri, of_uri, by" },
	{ "media_blobs", "hash, mime, size, created_ms" },
	{ "media_refs", "uri, hash, origin, mime, size" },
	{ "media_state", "k, v" },
	{ NULL, NULL }
};

struct copying {
	struct mb_store	*to;
	const char	*table;
	const char	*insert;
	int64_t		 rows;
	void		(*progress)(const char *table, int64_t rows,
			    void *arg);
	void		*arg;
	struct mb_diag	*d;
};

static int
copy_one(const struct mb_store_cell *c, int n, void *arg)
{
	struct copying	*cp = arg;
	int		 rc;

	if ((rc = cp->to->ops->copy_row(cp->to, cp->insert, c, n, cp->d)) !=
	    MB_OK) {
		mb_diag_prefix(cp->d, "%s", cp->table);
		return rc;
	}
	if (++cp->rows % 10000 == 0 && cp->progress != NULL)
		cp->progress(cp->table, cp->rows, cp->arg);
	return MB_OK;
}

static int
copy_table(struct mb_store *from, struct copying *cp,
    const struct mb_store_table *t)
{
	char	ins[1024], *o, *end = ins + sizeof(ins);
	int	ncols = 1, rc;

	for (const char *s = t->cols; *s != '\0'; s++)
		ncols += *s == ',';
	/* The INSERT in the target's parameter style. */
	o = ins + snprintf(ins, sizeof(ins), "INSERT INTO %s (%s) VALUES (",
	    t->name, t->cols);
	for (int i = 0; i < ncols && o < end; i++)
		o += snprintf(o, (size_t)(end - o), "%s%c%d", i ? ", " : "",
		    cp->to->ops->param, i + 1);
	if (o >= end - 1)
		return mb_diag_set(cp->d, MB_ERR_TOOBIG, "store: copy: %s: "
		    "too many columns", t->name);
	snprintf(o, (size_t)(end - o), ")");
	cp->table = t->name;
	cp->insert = ins;
	cp->rows = 0;
	if ((rc = from->ops->copy_rows(from, t->name, t->cols, ncols,
	    copy_one, cp, cp->d)) != MB_OK)
		return rc;
	if ((rc = cp->to->ops->copy_table_end(cp->to, t->name, t->cols,
	    cp->d)) != MB_OK)
		return rc;
	if (cp->progress != NULL)
		cp->progress(t->name, cp->rows, cp->arg);
	return MB_OK;
}

int
mb_store_copy(struct mb_store *from, struct mb_store *to,
    void (*progress)(const char *table, int64_t rows, void *arg), void *arg,
    struct mb_diag *d)
{
	struct copying	cp = { to, NULL, NULL, 0, progress, arg, d };
	int		rc;

	if (from->ops->copy_rows == NULL || to->ops->copy_begin == NULL)
		return mb_diag_set(d, MB_ERR_UNSUPPORTED, "store: copying "
		    "goes from SQLite to PostgreSQL only");
	if ((rc = to->ops->copy_begin(to, d)) != MB_OK)
		return rc;
	/* A consistent snapshot of the source for the whole copy. */
	if ((rc = from->ops->begin(from, d)) != MB_OK) {
		to->ops->copy_end(to, false, NULL);
		return rc;
	}
	for (const struct mb_store_table *t = core; t->name != NULL; t++)
		if ((rc = copy_table(from, &cp, t)) != MB_OK)
			goto fail;
	for (const struct mb_store_domain *const *dp = from->domains;
	    dp != NULL && *dp != NULL; dp++)
		for (const struct mb_store_table *t = (*dp)->tables;
		    t != NULL && t->name != NULL; t++)
			if ((rc = copy_table(from, &cp, t)) != MB_OK)
				goto fail;
	rc = to->ops->copy_end(to, true, d);
	from->ops->rollback(from);
	return rc;
fail:
	to->ops->copy_end(to, false, NULL);
	from->ops->rollback(from);
	return rc;
}
