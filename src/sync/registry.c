/* SPDX-License-Identifier: MIT */
/* Building, signing, verifying and applying HQ's registry of centers. */
#include "registry.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/log.h"
#include "base/timeutil.h"
#include "center/names.h"
#include "item/id.h"
#include "item/jcs.h"
#include "item/json.h"
#include "item/json_scan.h"
#include "sync/dict.h"

#include <sys/stat.h>

/* jansson: json_pack's "s" copies the string, "o" steals the reference. */
static json_t *
languages_array(const char *list)
{
	json_t		*a = json_array();
	const char	*p = list, *e;

	if (a == NULL)
		return NULL;
	while (*p != '\0') {
		e = strchr(p, ',');
		if (e == NULL)
			e = p + strlen(p);
		if (e > p && json_array_append_new(a,
		    json_stringn(p, (size_t)(e - p))) != 0) {
			json_decref(a);
			return NULL;
		}
		p = *e == ',' ? e + 1 : e;
	}
	return a;
}

static int
add_center(const struct mb_center *c, void *arg)
{
	json_t	*arr = arg, *o, *langs, *names, *pairs;
	char	 key[MB_PUBKEY_TEXT_LEN];

	mb_pubkey_format(c->key, key);
	if ((langs = languages_array(c->languages)) == NULL)
		return MB_ERR_NOMEM;
	o = json_pack("{s:s, s:s, s:s, s:o, s:s, s:s, s:s, s:s}",
	    "id", c->id, "name", c->name, "country", c->country,
	    "languages", langs, "url", c->url, "key", key, "role", c->role,
	    "status", c->status);
	if (o == NULL)
		return MB_ERR_NOMEM;
	/* Optional: present only when the center has them. */
	if ((names = mb_center_names_json(c)) != NULL)
		json_object_set_new(o, "names", names);
	if ((pairs = mb_center_pairs_json(c)) != NULL)
		json_object_set_new(o, "mt_pairs", pairs);
	if (json_array_append_new(arr, o) != 0)
		return MB_ERR_NOMEM;
	return MB_OK;
}

/*
 * HQ's current wire dictionary (dict.h), named in the registry it signs:
 * "wireDictionary": {"version", "sha256", "size"}. None: nothing added.
 */
static int
announce_dict(json_t *reg, const char *dir, struct mb_diag *d)
{
	struct stat	 sb;
	char		 hash[65], path[1200];
	int64_t		 v;
	json_t		*o;

	if (mb_sync_dict_current(dir, &v, hash, NULL) != MB_OK)
		return MB_OK;
	snprintf(path, sizeof(path), "%s/dicts/%s.zdict", dir, hash);
	if (stat(path, &sb) != 0)
		return mb_diag_set(d, MB_ERR_IO, "%s: the current wire "
		    "dictionary is missing", path);
	o = json_pack("{s:I, s:s, s:I}", "version", (json_int_t)v, "sha256",
	    hash, "size", (json_int_t)sb.st_size);
	if (o == NULL || json_object_set_new(reg, "wireDictionary", o) != 0)
		return mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
	return MB_OK;
}

int
mb_sync_registry_dict(const char *doc, size_t len, int64_t *version,
    char hash[65])
{
	json_t		*root, *wd;
	const char	*h;
	int		 rc = MB_ERR_NOTFOUND;

	if ((root = json_loadb(doc, len, 0, NULL)) == NULL)
		return MB_ERR_INVAL;
	wd = json_object_get(json_object_get(root, "registry"),
	    "wireDictionary");
	h = json_string_value(json_object_get(wd, "sha256"));
	if (h != NULL && strlen(h) == 64 &&
	    json_is_integer(json_object_get(wd, "version"))) {
		*version = json_integer_value(json_object_get(wd, "version"));
		memcpy(hash, h, 65);
		rc = MB_OK;
	}
	json_decref(root);
	return rc;
}

int64_t
mb_sync_registry_version(struct mb_store *st)
{
	int64_t v = 0;

	if (mb_store_registry_get(st, &v, NULL, NULL) != MB_OK)
		return 0;
	return v;
}

int
mb_sync_registry_publish(struct mb_store *st, const struct mb_center_node *n,
    int64_t *version, struct mb_diag *d)
{
	json_t		*reg = NULL, *centers, *doc = NULL;
	struct mb_buf	 canon = MB_BUF_INIT, out = MB_BUF_INIT;
	char		 now[MB_TIME_RFC3339_LEN], sig64[MB_SIG_TEXT_LEN];
	uint8_t		 sig[MB_SIG_LEN];
	int64_t		 v;
	int		 rc, own = 0;

	if (strcmp(n->conf.role, "hq") != 0)
		return mb_diag_set(d, MB_ERR_PERM,
		    "only HQ signs the registry; this center is a branch");
	if ((rc = mb_store_begin(st, d)) != MB_OK)
		return rc;
	own = 1;
	v = mb_sync_registry_version(st) + 1;
	if ((centers = json_array()) == NULL) {
		rc = MB_ERR_NOMEM;
		goto fail;
	}
	if ((rc = mb_store_center_list(st, add_center, centers, d)) != MB_OK) {
		json_decref(centers);
		goto fail;
	}
	mb_time_format(mb_time_now_ms(), now);
	reg = json_pack("{s:I, s:s, s:s, s:o}", "version", (json_int_t)v,
	    "issued", now, "hq", n->conf.id, "centers", centers);
	if (reg == NULL) {
		rc = MB_ERR_NOMEM;
		goto fail;
	}
	if ((rc = announce_dict(reg, n->conf.dir, d)) != MB_OK)
		goto fail;
	if ((rc = mb_jcs_dump(reg, &canon, d)) != MB_OK)
		goto fail;
	if ((rc = mb_key_sign_as(n->key, MB_SIGN_REGISTRY, canon.data,
	    canon.len, sig, d)) != MB_OK)
		goto fail;
	mb_sig_format(sig, sig64);
	doc = json_pack("{s:O, s:s}", "registry", reg, "signature", sig64);
	if (doc == NULL) {
		rc = MB_ERR_NOMEM;
		goto fail;
	}
	if ((rc = mb_jcs_dump(doc, &out, d)) != MB_OK)
		goto fail;
	if ((rc = mb_store_registry_put(st, v, out.data, out.len, d)) !=
	    MB_OK)
		goto fail;
	rc = mb_store_commit(st, d);
	own = 0;
	if (rc == MB_OK) {
		log_info("sync: registry published version=%lld",
		    (long long)v);
		if (version != NULL)
			*version = v;
	}
fail:
	if (own)
		mb_store_rollback(st);
	json_decref(reg);
	json_decref(doc);
	mb_buf_free(&canon);
	mb_buf_free(&out);
	return rc;
}

int
mb_sync_registry_current(struct mb_store *st, const struct mb_center_node *n,
    struct mb_buf *doc, int64_t *version, struct mb_diag *d)
{
	int rc;

	rc = mb_store_registry_get(st, version, doc, d);
	if (rc == MB_ERR_NOTFOUND && strcmp(n->conf.role, "hq") == 0) {
		if ((rc = mb_sync_registry_publish(st, n, NULL, d)) != MB_OK)
			return rc;
		rc = mb_store_registry_get(st, version, doc, d);
	}
	return rc;
}

static int
copy_field(char *dst, size_t n, const json_t *o, const char *key,
    struct mb_diag *d)
{
	const char *s = json_string_value(json_object_get(o, key));

	if (s == NULL || strlen(s) >= n)
		return mb_diag_set(d, MB_ERR_INVAL,
		    "registry: center.%s: missing or too long", key);
	memcpy(dst, s, strlen(s) + 1);
	return MB_OK;
}

static int
center_from_json(const json_t *o, struct mb_center *c, struct mb_diag *d)
{
	const json_t	*langs, *l;
	const char	*key;
	size_t		 i, used = 0;
	int		 rc;

	memset(c, 0, sizeof(*c));
	if (!json_is_object(o))
		return mb_diag_set(d, MB_ERR_INVAL,
		    "registry: a center is not an object");
	if ((rc = copy_field(c->id, sizeof(c->id), o, "id", d)) != MB_OK ||
	    (rc = copy_field(c->name, sizeof(c->name), o, "name", d)) !=
	    MB_OK ||
	    (rc = copy_field(c->country, sizeof(c->country), o, "country",
	    d)) != MB_OK ||
	    (rc = copy_field(c->url, sizeof(c->url), o, "url", d)) != MB_OK ||
	    (rc = copy_field(c->role, sizeof(c->role), o, "role", d)) !=
	    MB_OK ||
	    (rc = copy_field(c->status, sizeof(c->status), o, "status", d)) !=
	    MB_OK)
		return rc;
	if (!mb_center_id_valid(c->id))
		return mb_diag_set(d, MB_ERR_INVAL, "registry: bad center id");
	if (strcmp(c->status, "active") != 0 &&
	    strcmp(c->status, "suspended") != 0 &&
	    strcmp(c->status, "revoked") != 0)
		return mb_diag_set(d, MB_ERR_INVAL,
		    "registry: center %s: unknown status", c->id);
	if ((key = json_string_value(json_object_get(o, "key"))) == NULL ||
	    mb_pubkey_parse(key, c->key, d) != MB_OK)
		return mb_diag_set(d, MB_ERR_INVAL,
		    "registry: center %s: bad key", c->id);
	langs = json_object_get(o, "languages");
	json_array_foreach(langs, i, l) {
		const char *s = json_string_value(l);
		size_t len = s != NULL ? strlen(s) : 0;

		if (len == 0 || used + len + 2 > sizeof(c->languages))
			return mb_diag_set(d, MB_ERR_INVAL,
			    "registry: center %s: bad languages", c->id);
		if (used > 0)
			c->languages[used++] = ',';
		memcpy(c->languages + used, s, len + 1);
		used += len;
	}
	if ((rc = mb_center_names_from_json(c, json_object_get(o, "names"),
	    d)) != MB_OK ||
	    (rc = mb_center_pairs_from_json(c, json_object_get(o, "mt_pairs"),
	    d)) != MB_OK) {
		mb_diag_prefix(d, "registry: center %s", c->id);
		return rc == MB_ERR_TOOBIG ? MB_ERR_INVAL : rc;
	}
	c->updated_ms = mb_time_now_ms();
	return MB_OK;
}

/* Ten thousand centers of ~25 values each, with room to spare. */
#define REGISTRY_MAX	(16 << 20)
static const struct mb_json_limits registry_limits = {
	.depth = 8, .values = 1u << 20, .token = 65536,
};

int
mb_sync_registry_verify(const char *doc, size_t len,
    const uint8_t pk[MB_PUBKEY_LEN], int64_t *version,
    int (*cb)(const struct mb_center *c, void *arg), void *arg,
    struct mb_diag *d)
{
	json_error_t	 je;
	json_t		*root, *reg, *centers, *c;
	struct mb_buf	 canon = MB_BUF_INIT;
	struct mb_center center;
	const char	*sig64;
	uint8_t		 sig[MB_SIG_LEN];
	size_t		 i;
	int		 rc;

	/*
	 * Bounded before the tree, which is built before the signature can
	 * be checked: a document from anyone who answers for a peer (a zstd
	 * bomb decodes to 512 MiB; a tree costs ~45 times its text).
	 */
	if (len > REGISTRY_MAX)
		return mb_diag_set(d, MB_ERR_TOOBIG, "registry: %zu bytes, more "
		    "than a registry may be (%d MiB)", len, REGISTRY_MAX >> 20);
	if (mb_json_scan(doc, len, &registry_limits, d) != MB_OK) {
		mb_diag_prefix(d, "registry");
		return MB_ERR_TOOBIG;
	}
	root = mb_json_loadb(doc, len, JSON_REJECT_DUPLICATES, &je);
	if (root == NULL)
		return mb_diag_set(d, MB_ERR_INVAL, "registry: not JSON: %s",
		    je.text);
	reg = json_object_get(root, "registry");
	sig64 = json_string_value(json_object_get(root, "signature"));
	centers = json_object_get(reg, "centers");
	if (!json_is_object(reg) || sig64 == NULL || !json_is_array(centers) ||
	    !json_is_integer(json_object_get(reg, "version"))) {
		rc = mb_diag_set(d, MB_ERR_INVAL,
		    "registry: needs registry.version, registry.centers and "
		    "signature");
		goto out;
	}
	if (mb_sig_parse(sig64, sig) != MB_OK) {
		rc = mb_diag_set(d, MB_ERR_SIG, "registry: bad signature");
		goto out;
	}
	if ((rc = mb_jcs_dump(reg, &canon, d)) != MB_OK)
		goto out;
	if (!mb_sig_verify(pk, canon.data, canon.len, sig)) {
		rc = mb_diag_set(d, MB_ERR_SIG,
		    "registry: not signed by the pinned HQ key");
		goto out;
	}
	json_array_foreach(centers, i, c) {
		if ((rc = center_from_json(c, &center, d)) != MB_OK)
			goto out;
		if (cb != NULL && (rc = cb(&center, arg)) != MB_OK)
			goto out;
	}
	*version = json_integer_value(json_object_get(reg, "version"));
	rc = MB_OK;
out:
	json_decref(root);
	mb_buf_free(&canon);
	return rc;
}

struct apply_ctx {
	struct mb_store			*st;
	const struct mb_center_node	*node;
	struct mb_diag			*d;
};

static int
apply_center(const struct mb_center *c, void *arg)
{
	struct apply_ctx	*a = arg;
	struct mb_center	 own;

	/*
	 * This center's own row keeps what it says of itself; only what HQ
	 * alone sets for it is taken: its names in other languages, and
	 * the pairs HQ recorded that it lends.
	 */
	if (strcmp(c->id, a->node->conf.id) == 0) {
		if (mb_store_center_get(a->st, c->id, &own, NULL) != MB_OK)
			return MB_OK;
		if (strcmp(own.names, c->names) == 0 &&
		    strcmp(own.mt_pairs, c->mt_pairs) == 0)
			return MB_OK;
		memcpy(own.names, c->names, sizeof(own.names));
		memcpy(own.mt_pairs, c->mt_pairs, sizeof(own.mt_pairs));
		return mb_store_center_put(a->st, &own, a->d);
	}
	return mb_store_center_put(a->st, c, a->d);
}

int
mb_sync_registry_apply(struct mb_store *st, const struct mb_center_node *n,
    const char *doc, size_t len, bool *applied, struct mb_diag *d)
{
	struct apply_ctx	 a = { st, n, d };
	uint8_t			 pk[MB_PUBKEY_LEN];
	int64_t			 v, have;
	int			 rc;

	*applied = false;
	if (strcmp(n->conf.role, "hq") == 0)
		memcpy(pk, n->pk, sizeof(pk));
	else if (mb_pubkey_parse(n->conf.hq_key, pk, d) != MB_OK)
		return mb_diag_set(d, MB_ERR_INVAL,
		    "mediabridge.conf: [hq] key: not a public key");
	/* Check first, outside the transaction; apply only when newer. */
	if ((rc = mb_sync_registry_verify(doc, len, pk, &v, NULL, NULL, d)) !=
	    MB_OK)
		return rc;
	if ((rc = mb_store_begin(st, d)) != MB_OK)
		return rc;
	have = mb_sync_registry_version(st);
	if (v <= have) {
		mb_store_rollback(st);
		return MB_OK;
	}
	if ((rc = mb_sync_registry_verify(doc, len, pk, &v, apply_center, &a,
	    d)) != MB_OK ||
	    (rc = mb_store_registry_put(st, v, doc, len, d)) != MB_OK) {
		mb_store_rollback(st);
		return rc;
	}
	if ((rc = mb_store_commit(st, d)) != MB_OK)
		return rc;
	log_info("sync: registry applied version=%lld previous=%lld",
	    (long long)v, (long long)have);
	*applied = true;
	return MB_OK;
}
