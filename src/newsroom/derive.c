/* SPDX-License-Identifier: MIT */
/* Items made from another item: the shared copy, and picking up. */
#include "derive.h"

#include <stdio.h>
#include <string.h>

#include "item/json.h"

void
mb_newsroom_derive_item(json_t *item, const struct mb_actor *a)
{
	static const char *const drop[] = { "uri", "version", "versionCreated",
	    "firstCreated", "contentCreated", NULL };

	for (int i = 0; drop[i] != NULL; i++)
		json_object_del(item, drop[i]);
	json_object_set_new(item, "pubStatus", json_string("usable"));
	/* An embargo is an editor's to set; one who asks keeps it. */
	if (mb_actor_role(a) < MB_ROLE_EDITOR)
		json_object_del(item, "embargoedUntil");
}

int
mb_newsroom_pickup(const struct mb_newsroom_env *e,
    const struct mb_actor *a, const char *uri, const char *credit,
    struct mb_nr_saved *out, struct mb_diag *d)
{
	struct mb_nr_item	 orig;
	json_t			*root = NULL, *item = NULL, *meta = NULL;
	json_t			*assoc, *src;
	int			 rc;

	memset(out, 0, sizeof(*out));
	out->code = "not_found";
	if ((rc = mb_newsroom_get(e, a, uri, 0, &orig, d)) != MB_OK)
		return rc;
	/*
	 * What its center took back (withheld, canceled) or has not
	 * published is not republished here under this center's name.
	 */
	if (strcmp(orig.workflow, "published") != 0 ||
	    strcmp(orig.pub_status, "usable") != 0) {
		out->code = "bad_transition";
		rc = mb_diag_set(d, MB_ERR_EXISTS, "%s is %s, %s: only a "
		    "published, usable item can be picked up", uri,
		    orig.workflow, orig.pub_status);
		goto out;
	}
	out->code = "invalid";
	if ((root = mb_json_loadb(orig.envelope, orig.len, 0, NULL)) == NULL ||
	    (item = json_deep_copy(json_object_get(root, "item"))) == NULL) {
		rc = mb_diag_set(d, MB_ERR_CORRUPT, "%s: the stored envelope "
		    "does not parse", uri);
		goto out;
	}
	mb_newsroom_derive_item(item, a);
	/*
	 * Its pictures and links come along; what the original says of its
	 * own origin (its source, what it translates) is not the draft's:
	 * the draft's source is the original, credited.
	 */
	if ((assoc = json_object_get(item, "associations")) == NULL ||
	    !json_is_array(assoc)) {
		assoc = json_array();
		json_object_set_new(item, "associations", assoc);
	}
	for (size_t i = json_array_size(assoc); i-- > 0;) {
		const char *rel = json_string_value(json_object_get(
		    json_array_get(assoc, i), "rel"));

		if (rel != NULL && (strcmp(rel, "source") == 0 ||
		    strcmp(rel, "translation-of") == 0))
			json_array_remove(assoc, i);
	}
	if (credit == NULL)
		credit = json_string_value(json_object_get(json_object_get(root,
		    "meta"), "origin"));
	/* The _new call takes src even when it fails. */
	if (assoc == NULL || credit == NULL || (src = json_pack("{s:s, s:s, "
	    "s:s}", "name", credit, "uri", uri, "rel", "source")) == NULL ||
	    json_array_append_new(assoc, src) != 0 ||
	    (meta = json_pack("{s:s}", "audience", orig.audience)) == NULL) {
		rc = mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
		goto out;
	}
	rc = mb_newsroom_create(e, a, item, meta, out, d);
	item = NULL;
out:
	json_decref(item);
	json_decref(meta);
	json_decref(root);
	mb_nr_item_free(&orig);
	return rc;
}
