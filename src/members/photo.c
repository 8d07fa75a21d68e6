/* SPDX-License-Identifier: MIT */
/* A member's photo: a picture the media pipeline made, carried by the profile. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/utf8.h"
#include "members/members.h"
#include "members_int.h"
#include "store/members.h"

/*
 * The photo is an association of the profile item, as an item's main
 * picture is (docs/media.md): {"name": "photo", "uri", "type":
 * "picture", "rel": "main", "descriptions": [{"role": "caption",
 * "value": the alt text}], "renditions": the upload's}. So its blobs
 * travel with the profile through the exchange and bundles, the media
 * fetcher brings them to every center, and gc keeps them while a
 * profile refers to them. The record keeps the association to build
 * each new version of the profile from; a withdrawn profile carries
 * none.
 */

#define CAPTION_MAX 300

int
mb_members_set_photo(const struct mb_newsroom_env *e,
    const struct mb_actor *a, int64_t id, const json_t *upload,
    const char *caption, struct mb_diag *d)
{
	struct mb_member	*m;
	json_t			*assoc = NULL;
	char			*text = NULL;
	const char		*kind;
	size_t			 len;
	int			 rc;

	if (upload != NULL) {
		len = caption != NULL ? strlen(caption) : 0;
		if (len == 0 || caption[strspn(caption, " \t\r\n")] == '\0')
			return mb_diag_set(d, MB_ERR_INVAL, "caption: describe "
			    "the photo; it is also its text for readers who "
			    "cannot see it");
		if (len > CAPTION_MAX || !mb_utf8_valid(caption, len) ||
		    !mb_members__plain(caption))
			return mb_diag_set(d, MB_ERR_INVAL, "caption: plain "
			    "text of at most %d bytes", CAPTION_MAX);
		kind = json_string_value(json_object_get(upload, "type"));
		if (kind == NULL || strcmp(kind, "picture") != 0 ||
		    json_array_size(json_object_get(upload, "renditions")) ==
		    0)
			return mb_diag_set(d, MB_ERR_INVAL, "file: a picture "
			    "(JPEG, PNG or WebP)");
	}
	if ((m = calloc(1, sizeof(*m))) == NULL)
		return mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
	if ((rc = mb_store_member_get(e->st, id, NULL, NULL, m, d)) != MB_OK)
		goto out;
	if (a != NULL && mb_actor_role(a) != MB_ROLE_ADMIN &&
	    (m->user[0] == '\0' || a->name == NULL || strcmp(m->user,
	    a->name) != 0)) {
		rc = mb_diag_set(d, MB_ERR_PERM, "an admin, or the member "
		    "themself, changes a member's photo");
		goto out;
	}
	if (strcmp(m->status, "removed") == 0) {
		rc = mb_diag_set(d, MB_ERR_EXISTS, "member %lld was removed",
		    (long long)id);
		goto out;
	}
	if (upload != NULL) {
		assoc = json_pack("{s:s, s:O, s:s, s:s, s:[{s:s, s:s}], s:O}",
		    "name", "photo", "uri", json_object_get(json_array_get(
		    json_object_get(upload, "renditions"), 0), "href"),
		    "type", "picture", "rel", "main", "descriptions", "role",
		    "caption", "value", caption, "renditions",
		    json_object_get(upload, "renditions"));
		if (assoc == NULL || (text = json_dumps(assoc, JSON_COMPACT |
		    JSON_SORT_KEYS)) == NULL) {
			rc = mb_diag_set(d, MB_ERR_INVAL, "file: the upload "
			    "has no rendition to show");
			goto out;
		}
	}
	if ((rc = mb_store_member_photo_set(e->st, id, text, d)) != MB_OK)
		goto out;
	if ((rc = mb_members__publish_profile(e, m, d)) == MB_OK)
		log_info("members: photo %s member=%lld", upload != NULL ?
		    "set" : "removed", (long long)id);
out:
	json_decref(assoc);
	free(text);
	free(m);
	return rc;
}
