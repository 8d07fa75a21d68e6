/* SPDX-License-Identifier: MIT */
/* Publishing this center's domain items (profiles, proposals, tallies) as signed versions. */
#include "members_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/timeutil.h"
#include "center/ingest.h"
#include "item/json.h"
#include "store/store.h"

int
mb_members__set_data(json_t *item, const char *kind, const json_t *data)
{
	json_t	*descs, *entry;
	char	*text, role[64];

	snprintf(role, sizeof(role), "mb:%s", kind);
	if ((text = json_dumps(data, JSON_COMPACT | JSON_SORT_KEYS)) == NULL)
		return MB_ERR_NOMEM;
	entry = json_pack("{s:s, s:s, s:s}", "role", role, "contentType",
	    MB_DOMAIN_TYPE, "value", text);
	free(text);
	if (entry == NULL)
		return MB_ERR_NOMEM;
	if ((descs = json_object_get(item, "descriptions")) == NULL) {
		descs = json_array();
		if (descs == NULL || json_object_set_new(item, "descriptions",
		    descs) != 0) {
			json_decref(entry);
			return MB_ERR_NOMEM;
		}
	}
	return json_array_append_new(descs, entry) == 0 ? MB_OK : MB_ERR_NOMEM;
}

json_t *
mb_members__data(const json_t *item, const char *kind)
{
	const json_t	*descs = json_object_get(item, "descriptions");
	json_t		*e, *data;
	const char	*role, *value;
	size_t		 i;

	if (!json_is_array(descs))
		return NULL;
	json_array_foreach(descs, i, e) {
		role = json_string_value(json_object_get(e, "role"));
		value = json_string_value(json_object_get(e, "value"));
		if (role == NULL || value == NULL || strncmp(role, "mb:", 3) !=
		    0 || strcmp(role + 3, kind) != 0)
			continue;
		data = mb_json_loadb(value, strlen(value), 0, NULL);
		if (!json_is_object(data)) {
			json_decref(data);
			return NULL;
		}
		return data;
	}
	return NULL;
}

int
mb_members__parse(const char *env, size_t len, json_t **item, json_t **meta,
    struct mb_diag *d)
{
	json_t *root = mb_json_loadb(env, len, 0, NULL);

	if (root == NULL)
		return mb_diag_set(d, MB_ERR_CORRUPT, "a stored envelope does "
		    "not parse");
	*item = json_incref(json_object_get(root, "item"));
	*meta = json_incref(json_object_get(root, "meta"));
	json_decref(root);
	if (*item == NULL || *meta == NULL) {
		json_decref(*item);
		json_decref(*meta);
		return mb_diag_set(d, MB_ERR_CORRUPT, "a stored envelope has "
		    "no item or meta");
	}
	return MB_OK;
}

struct current {
	int64_t	version;
	int64_t	first_ms;
};

static int
current_cb(const struct mb_store_version *v, void *arg)
{
	struct current *c = arg;

	c->version = v->version;
	c->first_ms = v->first_ms;
	return MB_OK;
}

static int
set_str(json_t *o, const char *k, const char *v)
{
	return json_object_set_new(o, k, json_string(v)) == 0 ? MB_OK :
	    MB_ERR_NOMEM;
}

int
mb_members__publish(const struct mb_newsroom_env *e, json_t *item,
    const char *audience, const char *workflow, int64_t *version,
    struct mb_diag *d)
{
	struct mb_ingest_opts	 o;
	struct mb_prepared	*p = NULL;
	struct mb_ingest_result	 res;
	struct current		 cur = { 0, 0 };
	const char		*uri;
	char			 v[24], t[MB_TIME_RFC3339_LEN];
	char			 f[MB_TIME_RFC3339_LEN];
	int64_t			 now = mb_time_now_ms();
	int			 rc;

	if ((uri = json_string_value(json_object_get(item, "uri"))) == NULL) {
		json_decref(item);
		return mb_diag_set(d, MB_ERR_INVAL, "uri: missing");
	}
	if ((rc = mb_store_begin(e->st, d)) != MB_OK) {
		json_decref(item);
		return rc;
	}
	rc = mb_store_get(e->st, uri, 0, current_cb, &cur, d);
	if (rc != MB_OK && rc != MB_ERR_NOTFOUND)
		goto fail;
	snprintf(v, sizeof(v), "%lld", (long long)cur.version + 1);
	mb_time_format(now, t);
	mb_time_format(cur.version > 0 ? cur.first_ms : now, f);
	if (set_str(item, "version", v) != MB_OK ||
	    set_str(item, "versionCreated", t) != MB_OK ||
	    set_str(item, "firstCreated", f) != MB_OK) {
		rc = mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
		goto fail;
	}
	memset(&o, 0, sizeof(o));
	o.audience = audience;
	o.workflow = workflow;
	o.now_ms = now;
	rc = mb_ingest_prepare(e->ing, item, &o, &p, d);
	item = NULL;	/* stolen */
	if (rc != MB_OK)
		goto fail;
	if ((rc = mb_ingest_commit(e->ing, e->st, p, true, &res, d)) != MB_OK)
		goto fail;
	if (res.duplicate) {
		rc = mb_diag_set(d, MB_ERR_EXISTS, "%s version %lld: already "
		    "stored", res.uri, (long long)res.version);
		goto fail;
	}
	if ((rc = mb_store_commit(e->st, d)) != MB_OK)
		goto fail;
	if (e->saved != NULL)
		e->saved(e->saved_arg);
	log_info("members: published uri=%s version=%lld", res.uri,
	    (long long)res.version);
	if (version != NULL)
		*version = res.version;
	mb_prepared_free(p);
	return MB_OK;
fail:
	mb_store_rollback(e->st);
	mb_prepared_free(p);
	json_decref(item);
	return rc;
}

bool
mb_members__plain(const char *s)
{
	for (const unsigned char *c = (const unsigned char *)s; *c != '\0';
	    c++)
		if (*c == '<' || *c == '>' || (*c < 0x20 && *c != '\n' &&
		    *c != '\t') || *c == 0x7f)
			return false;
	return true;
}
