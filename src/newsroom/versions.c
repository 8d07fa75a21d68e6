/* SPDX-License-Identifier: MIT */
/* An item's versions: history, comparison, restore (versions.h). */
#include "versions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "item/json.h"
#include "store/store.h"
#include "text/diff.h"
#include "text/html_text.h"

/* The item object of a read version's envelope (a new reference). */
static json_t *
item_of(const struct mb_nr_item *it, struct mb_diag *d)
{
	json_t *root = mb_json_loadb(it->envelope, it->len, 0, NULL), *item;

	if (root == NULL || !json_is_object(item = json_object_get(root,
	    "item"))) {
		json_decref(root);
		mb_diag_set(d, MB_ERR_CORRUPT, "version %lld: the stored "
		    "envelope cannot be read", (long long)it->version);
		return NULL;
	}
	json_incref(item);
	json_decref(root);
	return item;
}

static const char *
first_value(const json_t *item, const char *key)
{
	return json_string_value(json_object_get(json_array_get(
	    json_object_get(item, key), 0), "value"));
}

/* Who made which version, as recorded here (newest first). */
struct authors {
	struct mb_version_author	*v;
	size_t				 n, cap;
};

static int
authors_cb(const struct mb_version_author *va, void *arg)
{
	struct authors *as = arg;

	if (as->n == as->cap) {
		size_t				 cap = as->cap ? as->cap * 2 : 16;
		struct mb_version_author	*v = realloc(as->v,
		    cap * sizeof(*v));

		if (v == NULL)
			return MB_ERR_NOMEM;
		as->v = v;
		as->cap = cap;
	}
	as->v[as->n++] = *va;
	return MB_OK;
}

static const struct mb_version_author *
author_of(const struct authors *as, int64_t version)
{
	for (size_t i = 0; i < as->n; i++)
		if (as->v[i].version == version)
			return &as->v[i];
	return NULL;
}

int
mb_newsroom_history(const struct mb_newsroom_env *e,
    const struct mb_actor *a, const char *uri, int64_t limit,
    int (*cb)(const struct mb_nr_version_info *v, void *arg), void *arg,
    struct mb_diag *d)
{
	struct mb_nr_item	 cur;
	struct authors		 as = { NULL, 0, 0 };
	struct mb_user		 first;
	bool			 have_first = false;
	int64_t			 last;
	int			 rc;

	if (limit <= 0 || limit > MB_NR_HISTORY_MAX)
		limit = MB_NR_HISTORY_MAX;
	if ((rc = mb_newsroom_get(e, a, uri, 0, &cur, d)) != MB_OK)
		return rc;
	if ((rc = mb_store_version_authors(e->st, uri, authors_cb, &as, d)) !=
	    MB_OK)
		goto out;
	/* Before versions had their authors: the item's author made v1. */
	if (cur.author > 0 && mb_store_user_get(e->st, NULL, cur.author,
	    &first, NULL, 0, NULL) == MB_OK)
		have_first = true;
	last = cur.version - limit + 1 > 1 ? cur.version - limit + 1 : 1;
	for (int64_t v = cur.version; v >= last && rc == MB_OK; v--) {
		struct mb_nr_version_info	 info;
		struct mb_nr_item		 it;
		const struct mb_version_author	*va;
		json_t				*item;

		if (v == cur.version)
			it = cur;
		else if ((rc = mb_newsroom_get(e, a, uri, v, &it, NULL)) !=
		    MB_OK) {
			/* Not stored here, or not the actor's to see. */
			rc = MB_OK;
			continue;
		}
		if ((item = item_of(&it, d)) == NULL) {
			rc = MB_ERR_CORRUPT;
			if (v != cur.version)
				mb_nr_item_free(&it);
			break;
		}
		memset(&info, 0, sizeof(info));
		info.version = v;
		info.workflow = it.workflow;
		info.pub_status = it.pub_status;
		info.created_ms = it.created_ms;
		info.embargo_ms = it.embargo_ms;
		info.headline = first_value(item, "headlines");
		info.note = json_string_value(json_object_get(item, "edNote"));
		info.current = v == cur.version;
		if ((va = author_of(&as, v)) != NULL) {
			info.user_id = va->user_id;
			info.user = va->user;
		} else if (v == 1 && have_first) {
			info.user_id = first.id;
			info.user = first.name;
		}
		rc = cb(&info, arg);
		json_decref(item);
		if (v != cur.version)
			mb_nr_item_free(&it);
	}
	if (rc > 0)
		rc = MB_OK;
out:
	free(as.v);
	mb_nr_item_free(&cur);
	return rc;
}

void
mb_nr_compare_free(struct mb_nr_compare *c)
{
	mb_buf_free(&c->headline);
	mb_buf_free(&c->byline);
	mb_buf_free(&c->body);
}

/* A version's item, read as the actor may see it. */
static int
read_item(const struct mb_newsroom_env *e, const struct mb_actor *a,
    const char *uri, int64_t version, json_t **item, struct mb_diag *d)
{
	struct mb_nr_item	it;
	int			rc;

	if (version < 1)
		return mb_diag_set(d, MB_ERR_INVAL, "version: a number from 1");
	if ((rc = mb_newsroom_get(e, a, uri, version, &it, d)) != MB_OK)
		return rc;
	/* The current version answers for version 0 and its own number. */
	if (it.version != version) {
		mb_nr_item_free(&it);
		return mb_diag_set(d, MB_ERR_NOTFOUND, "%s at version %lld: "
		    "not found", uri, (long long)version);
	}
	*item = item_of(&it, d);
	mb_nr_item_free(&it);
	return *item != NULL ? MB_OK : MB_ERR_CORRUPT;
}

/* The visible text of a version's body, a line per block. */
static int
body_text(const json_t *item, struct mb_buf *out)
{
	const char *html = first_value(item, "bodies");

	return html != NULL ? mb_text_from_html(html, strlen(html), out) :
	    MB_OK;
}

static int
words(const char *x, const char *y, struct mb_buf *out)
{
	x = x != NULL ? x : "";
	y = y != NULL ? y : "";
	return mb_diff_words_html(x, strlen(x), y, strlen(y), out);
}

int
mb_newsroom_compare(const struct mb_newsroom_env *e,
    const struct mb_actor *a, const char *uri, int64_t from, int64_t to,
    struct mb_nr_compare *out, struct mb_diag *d)
{
	json_t			*x = NULL, *y = NULL;
	struct mb_buf		 tx = MB_BUF_INIT, ty = MB_BUF_INIT;
	struct mb_diff_stats	 st;
	const char		*bx, *by;
	int			 rc;

	memset(out, 0, sizeof(*out));
	out->from = from;
	out->to = to;
	if ((rc = read_item(e, a, uri, from, &x, d)) != MB_OK ||
	    (rc = read_item(e, a, uri, to, &y, d)) != MB_OK)
		goto out;
	snprintf(out->from_lang, sizeof(out->from_lang), "%s",
	    json_string_value(json_object_get(x, "language")) ?
	    json_string_value(json_object_get(x, "language")) : "");
	snprintf(out->to_lang, sizeof(out->to_lang), "%s",
	    json_string_value(json_object_get(y, "language")) ?
	    json_string_value(json_object_get(y, "language")) : "");
	bx = json_string_value(json_object_get(x, "by"));
	by = json_string_value(json_object_get(y, "by"));
	if ((rc = words(first_value(x, "headlines"), first_value(y,
	    "headlines"), &out->headline)) != MB_OK ||
	    ((bx != NULL || by != NULL) && (rc = words(bx, by,
	    &out->byline)) != MB_OK) ||
	    (rc = body_text(x, &tx)) != MB_OK ||
	    (rc = body_text(y, &ty)) != MB_OK)
		goto out;
	if ((rc = mb_diff_lines_html(tx.len ? tx.data : "", tx.len,
	    ty.len ? ty.data : "", ty.len, &out->body, &st)) != MB_OK)
		goto out;
	out->added = st.added;
	out->removed = st.removed;
out:
	if (rc != MB_OK) {
		mb_nr_compare_free(out);
		if (rc == MB_ERR_NOMEM)
			mb_diag_set(d, rc, "out of memory");
	}
	mb_buf_free(&tx);
	mb_buf_free(&ty);
	json_decref(x);
	json_decref(y);
	return rc;
}

/* key as the current version has it (absent when it has none). */
static int
keep_current(json_t *item, const json_t *cur, const char *key)
{
	const json_t *v = json_object_get(cur, key);

	if (v == NULL)
		return json_object_del(item, key), MB_OK;
	return json_object_set(item, key, (json_t *)v) == 0 ? MB_OK :
	    MB_ERR_NOMEM;
}

int
mb_newsroom_restore(const struct mb_newsroom_env *e,
    const struct mb_actor *a, const char *uri, int64_t version,
    const struct mb_nr_precond *pre, struct mb_nr_saved *out,
    struct mb_diag *d)
{
	static const char *const state[] = { "pubStatus", "embargoedUntil",
		"edNote", NULL };
	struct mb_nr_item	 cur;
	json_t			*old = NULL, *now = NULL;
	int			 rc;

	memset(out, 0, sizeof(*out));
	out->code = "invalid";
	if ((rc = mb_newsroom_get(e, a, uri, 0, &cur, d)) != MB_OK) {
		out->code = "not_found";
		return rc;
	}
	if (version == cur.version) {
		mb_nr_item_free(&cur);
		return mb_diag_set(d, MB_ERR_INVAL, "version %lld is the "
		    "current one: nothing to restore", (long long)version);
	}
	now = item_of(&cur, d);
	mb_nr_item_free(&cur);
	if (now == NULL)
		return MB_ERR_CORRUPT;
	if ((rc = read_item(e, a, uri, version, &old, d)) != MB_OK) {
		out->code = rc == MB_ERR_NOTFOUND ? "not_found" : "invalid";
		json_decref(now);
		return rc;
	}
	/* The content is the old version's; its state is today's. */
	json_object_del(old, "version");
	json_object_del(old, "versionCreated");
	for (size_t i = 0; state[i] != NULL && rc == MB_OK; i++)
		rc = keep_current(old, now, state[i]);
	json_decref(now);
	if (rc != MB_OK) {
		json_decref(old);
		return mb_diag_set(d, rc, "out of memory");
	}
	return mb_newsroom_update(e, a, uri, pre, old, NULL, out, d);
}
