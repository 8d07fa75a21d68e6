/* SPDX-License-Identifier: MIT */
/*
 * Members: the record at the home center (every field, contact ones
 * included) and the signed profile item made from its public and
 * network fields only. The profile is the one thing of a member that
 * travels; the directory of every center is made of profiles.
 */
#include "members.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/timeutil.h"
#include "base/utf8.h"
#include "item/id.h"
#include "members_int.h"
#include "store/store.h"

const char *const mb_member_categories[] = {
	"politician", "diplomat", "academic", "expert",
	"youth-representative", "journalist", "other", NULL
};

static bool
is_category(const char *s)
{
	for (int i = 0; mb_member_categories[i] != NULL; i++)
		if (strcmp(s, mb_member_categories[i]) == 0)
			return true;
	return false;
}

/* A BCP 47 tag as the site takes them: "ar", "en-GB", "zh-Hant". */
static bool
lang_ok(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len && islower((unsigned char)s[i]))
		i++;
	if (i < 2 || i > 3)
		return false;
	while (i < len) {
		size_t k = 0;

		if (s[i++] != '-')
			return false;
		while (i < len && isalnum((unsigned char)s[i]))
			i++, k++;
		if (k < 1 || k > 8)
			return false;
	}
	return true;
}

static int
check_languages(const char *s, struct mb_diag *d)
{
	const char *p = s, *c;

	if (*s == '\0')
		return mb_diag_set(d, MB_ERR_INVAL, "languages: give at least "
		    "one, like ar,en");
	for (;;) {
		c = strchr(p, ',');
		if (!lang_ok(p, c != NULL ? (size_t)(c - p) : strlen(p)))
			return mb_diag_set(d, MB_ERR_INVAL, "languages: \"%.*s\" "
			    "is not a language tag (like ar, en, pt-BR)",
			    (int)(c != NULL ? c - p : (long)strlen(p)) > 16 ?
			    16 : (int)(c != NULL ? c - p : (long)strlen(p)), p);
		if (c == NULL)
			return MB_OK;
		p = c + 1;
	}
}

/* A text field: UTF-8, plain (no markup), within max bytes. */
static int
check_text(const char *field, const char *s, size_t max, bool required,
    struct mb_diag *d)
{
	size_t len = strlen(s);

	if (required && len == 0)
		return mb_diag_set(d, MB_ERR_INVAL, "%s: required", field);
	if (len > max)
		return mb_diag_set(d, MB_ERR_INVAL, "%s: longer than %zu bytes",
		    field, max);
	if (!mb_utf8_valid(s, len))
		return mb_diag_set(d, MB_ERR_INVAL, "%s: not UTF-8", field);
	if (!mb_members__plain(s))
		return mb_diag_set(d, MB_ERR_INVAL, "%s: plain text only (no "
		    "markup: < and > are refused, and so are control "
		    "characters)", field);
	return MB_OK;
}

static int
copy_field(char *dst, size_t n, const char *field, const char *v, bool req,
    struct mb_diag *d)
{
	int rc;

	if ((rc = check_text(field, v, n - 1, req, d)) != MB_OK)
		return rc;
	snprintf(dst, n, "%s", v);
	return MB_OK;
}

/* Applies the fields given in `in` to m, checking each. */
static int
apply_in(struct mb_newsroom_env const *e, struct mb_member *m,
    const struct mb_member_in *in, struct mb_diag *d)
{
	int rc;

	if (in->name != NULL && (rc = copy_field(m->name, sizeof(m->name),
	    "name", in->name, true, d)) != MB_OK)
		return rc;
	if (in->category != NULL) {
		if (!is_category(in->category))
			return mb_diag_set(d, MB_ERR_INVAL, "category: one of "
			    "politician, diplomat, academic, expert, "
			    "youth-representative, journalist, other");
		snprintf(m->category, sizeof(m->category), "%s", in->category);
	}
	if (in->country != NULL) {
		if (strlen(in->country) != 2 || !isupper((unsigned char)
		    in->country[0]) || !isupper((unsigned char)in->country[1]))
			return mb_diag_set(d, MB_ERR_INVAL, "country: an ISO "
			    "3166 code in capitals, like EG");
		snprintf(m->country, sizeof(m->country), "%s", in->country);
	}
	if (in->languages != NULL) {
		if (strlen(in->languages) >= sizeof(m->languages))
			return mb_diag_set(d, MB_ERR_INVAL, "languages: too "
			    "many");
		if ((rc = check_languages(in->languages, d)) != MB_OK)
			return rc;
		snprintf(m->languages, sizeof(m->languages), "%s",
		    in->languages);
	}
	if (in->affiliation != NULL && (rc = copy_field(m->affiliation,
	    sizeof(m->affiliation), "affiliation", in->affiliation, false,
	    d)) != MB_OK)
		return rc;
	if (in->bio != NULL) {
		const char	*lang;
		json_t		*v;
		char		*text, field[32];

		if (!json_is_object(in->bio))
			return mb_diag_set(d, MB_ERR_INVAL, "bio: an object "
			    "{\"en\": \"...\"}, one text per language");
		if (json_object_size(in->bio) > MB_MEMBER_BIOS_MAX)
			return mb_diag_set(d, MB_ERR_INVAL, "bio: at most %d "
			    "languages", MB_MEMBER_BIOS_MAX);
		json_object_foreach((json_t *)in->bio, lang, v) {
			if (!lang_ok(lang, strlen(lang)))
				return mb_diag_set(d, MB_ERR_INVAL, "bio: "
				    "\"%.16s\" is not a language tag", lang);
			snprintf(field, sizeof(field), "bio.%s", lang);
			if (!json_is_string(v))
				return mb_diag_set(d, MB_ERR_INVAL, "%s: must "
				    "be a string", field);
			if ((rc = check_text(field, json_string_value(v),
			    MB_MEMBER_BIO_MAX, false, d)) != MB_OK)
				return rc;
		}
		if ((text = json_dumps(in->bio, JSON_COMPACT |
		    JSON_SORT_KEYS)) == NULL)
			return mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
		if (strlen(text) >= sizeof(m->bio)) {
			free(text);
			return mb_diag_set(d, MB_ERR_INVAL, "bio: longer than "
			    "%zu bytes in all", sizeof(m->bio) - 1);
		}
		snprintf(m->bio, sizeof(m->bio), "%s", text);
		free(text);
	}
	if (in->audience != NULL) {
		if (!mb_audience_valid(in->audience))
			return mb_diag_set(d, MB_ERR_INVAL, "audience: one of "
			    "public, network, internal");
		snprintf(m->audience, sizeof(m->audience), "%s", in->audience);
	}
	if (in->email != NULL) {
		if ((rc = copy_field(m->email, sizeof(m->email), "email",
		    in->email, false, d)) != MB_OK)
			return rc;
		if (in->email[0] != '\0' && (strchr(in->email, '@') == NULL ||
		    strpbrk(in->email, " \t\n,;") != NULL))
			return mb_diag_set(d, MB_ERR_INVAL, "email: one "
			    "address, like name@example.org");
	}
	if (in->phone != NULL && (rc = copy_field(m->phone, sizeof(m->phone),
	    "phone", in->phone, false, d)) != MB_OK)
		return rc;
	if (in->user != NULL) {
		struct mb_user u;

		if (in->user[0] != '\0') {
			if (mb_store_user_get(e->st, in->user, 0, &u, NULL, 0,
			    NULL) != MB_OK)
				return mb_diag_set(d, MB_ERR_INVAL, "user: no "
				    "account %.64s here (mediabridge user "
				    "add DIR NAME --role member)", in->user);
			if (strcmp(u.role, "member") != 0)
				return mb_diag_set(d, MB_ERR_INVAL, "user: %s "
				    "has role %s; a member signs in with role "
				    "member", u.name, u.role);
		}
		snprintf(m->user, sizeof(m->user), "%s", in->user);
	}
	return MB_OK;
}

json_t *
mb_member_record_json(const struct mb_member *m)
{
	json_t *bio = json_loads(m->bio, 0, NULL);
	char	made[MB_TIME_RFC3339_LEN];

	mb_time_format(m->created_ms, made);
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:s, "
	    "s:s, s:s, s:s, s:s}", "id", (json_int_t)m->id, "uri", m->uri,
	    "name", m->name, "category", m->category, "country", m->country,
	    "languages", m->languages, "affiliation", m->affiliation,
	    "bio", bio != NULL ? bio : json_object(), "audience", m->audience,
	    "email", m->email, "phone", m->phone, "user", m->user,
	    "status", m->status, "created", made);
}

/* "ar,en" as ["ar", "en"]. */
static json_t *
lang_array(const char *s)
{
	json_t		*a = json_array();
	const char	*p = s, *c;

	while (a != NULL && *p != '\0') {
		c = strchr(p, ',');
		json_array_append_new(a, json_stringn(p, c != NULL ?
		    (size_t)(c - p) : strlen(p)));
		if (c == NULL)
			break;
		p = c + 1;
	}
	return a;
}

/*
 * The version that withdraws a record's profile: the name of the item
 * and that it is withdrawn, nothing of the member. A suspended member's
 * and an internal record's are withheld, a removed one's canceled.
 */
static json_t *
withdrawal_item(const struct mb_member *m)
{
	char	lang[16];
	size_t	n = strcspn(m->languages, ",");

	snprintf(lang, sizeof(lang), "%.*s", (int)(n < 15 ? n : 15),
	    m->languages);
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:[{s:s}]}",
	    "uri", m->uri, "type", "text", "profile", "member",
	    "language", lang, "pubStatus", strcmp(m->status, "removed") == 0 ?
	    "canceled" : "withheld",
	    "headlines", "value", "A member's profile, withdrawn");
}

/*
 * The profile item of an active record that may leave this center: its
 * public and network fields, never a contact field.
 */
static json_t *
profile_item(const struct mb_member *m, const char *photo)
{
	json_t	*item, *data, *bio;
	char	 lang[16];
	size_t	 n = strcspn(m->languages, ",");

	snprintf(lang, sizeof(lang), "%.*s", (int)(n < 15 ? n : 15),
	    m->languages);
	if ((bio = json_loads(m->bio, 0, NULL)) == NULL)
		bio = json_object();
	data = json_pack("{s:s, s:s, s:o, s:s, s:o}", "category", m->category,
	    "country", m->country, "languages", lang_array(m->languages),
	    "affiliation", m->affiliation, "bio", bio);
	item = json_pack("{s:s, s:s, s:s, s:s, s:s, s:[{s:s}], "
	    "s:[{s:s, s:s, s:s}], s:[{s:s, s:s}]}",
	    "uri", m->uri, "type", "text", "profile", "member",
	    "language", lang, "pubStatus", "usable",
	    "headlines", "value", m->name,
	    "people", "name", m->name, "rel", "member", "literal", m->category,
	    "places", "name", m->country, "rel", "country");
	if (item == NULL || data == NULL ||
	    (m->affiliation[0] != '\0' && json_object_set_new(item,
	    "organisations", json_pack("[{s:s, s:s}]", "name", m->affiliation,
	    "rel", "affiliation")) != 0) ||
	    mb_members__set_data(item, "member", data) != MB_OK) {
		json_decref(item);
		json_decref(data);
		return NULL;
	}
	json_decref(data);
	/* The photo: an association whose renditions travel as an item's. */
	if (photo != NULL && photo[0] != '\0') {
		json_t *a = json_loads(photo, 0, NULL);

		if (a != NULL)
			json_object_set_new(item, "associations",
			    json_pack("[o]", a));
	}
	return item;
}

struct published {
	bool	 found;
	bool	 withdrawn;
	char	 pub_status[16];
};

/*
 * Whether the current version is a withdrawal: no profile data and no
 * photo. Versions signed before internal records were withdrawn this
 * way carried the whole profile as "withheld": those are not.
 */
static int
published_cb(const struct mb_store_version *v, void *arg)
{
	struct published	*p = arg;
	json_t			*item, *meta, *data;

	p->found = true;
	snprintf(p->pub_status, sizeof(p->pub_status), "%s",
	    v->pub_status != NULL ? v->pub_status : "");
	if (mb_members__parse(v->envelope, v->envelope_len, &item, &meta,
	    NULL) != MB_OK)
		return MB_OK;
	data = mb_members__data(item, "member");
	p->withdrawn = data == NULL &&
	    json_object_get(item, "associations") == NULL &&
	    json_object_get(item, "organisations") == NULL;
	json_decref(data);
	json_decref(item);
	json_decref(meta);
	return MB_OK;
}

/*
 * Publishes the record's profile with the record's audience. An internal
 * record never leaves this center: never published, it stays so;
 * published before, the network gets the withdrawal a suspension
 * publishes, which says nothing of the member, and what the record gets
 * afterwards (a bio, an affiliation, a photo) stays here. A withdrawal is
 * signed once: a version for each edit of a withdrawn record would tell
 * the network when it changed, and nothing of use.
 */
int
mb_members__publish_profile(const struct mb_newsroom_env *e,
    const struct mb_member *m, struct mb_diag *d)
{
	struct published	 cur;
	json_t			*item;
	char			*photo = NULL;
	bool			 internal, withdraw;
	int			 rc;

	internal = strcmp(m->audience, "internal") == 0;
	withdraw = internal || strcmp(m->status, "active") != 0;
	if (withdraw) {
		if ((item = withdrawal_item(m)) == NULL)
			return mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
		memset(&cur, 0, sizeof(cur));
		rc = mb_store_get(e->st, m->uri, 0, published_cb, &cur, d);
		if (rc != MB_OK && rc != MB_ERR_NOTFOUND) {
			json_decref(item);
			return rc;
		}
		if ((internal && !cur.found) || (cur.withdrawn &&
		    strcmp(cur.pub_status, json_string_value(json_object_get(
		    item, "pubStatus"))) == 0)) {
			json_decref(item);
			return MB_OK;
		}
	} else {
		if (m->id != 0 && (rc = mb_store_member_photo_get(e->st, m->id,
		    &photo, d)) != MB_OK)
			return rc;
		item = profile_item(m, photo);
		free(photo);
		if (item == NULL)
			return mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
	}
	/* The item is stolen. The network held the profile: it is told. */
	return mb_members__publish(e, item, internal ? "network" :
	    m->audience, "published", NULL, d);
}

static bool
may_manage(const struct mb_actor *a)
{
	return a == NULL || mb_actor_role(a) == MB_ROLE_ADMIN;
}

int
mb_members_add(const struct mb_newsroom_env *e, const struct mb_actor *a,
    const struct mb_member_in *in, struct mb_member *out, struct mb_diag *d)
{
	struct mb_member	*m;
	char			 local[MB_LOCAL_LEN + 1];
	int			 rc;

	if (!may_manage(a))
		return mb_diag_set(d, MB_ERR_PERM, "only an admin adds "
		    "members");
	if (in->name == NULL || in->category == NULL || in->country == NULL ||
	    in->languages == NULL)
		return mb_diag_set(d, MB_ERR_INVAL, "%s: required",
		    in->name == NULL ? "name" : in->category == NULL ?
		    "category" : in->country == NULL ? "country" :
		    "languages");
	if ((m = calloc(1, sizeof(*m))) == NULL)
		return mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
	snprintf(m->audience, sizeof(m->audience), "network");
	snprintf(m->status, sizeof(m->status), "active");
	snprintf(m->bio, sizeof(m->bio), "{}");
	if ((rc = apply_in(e, m, in, d)) != MB_OK)
		goto out;
	mb_local_id_mint(local);
	if ((rc = mb_uri_make(m->uri, sizeof(m->uri), e->center, local)) !=
	    MB_OK) {
		rc = mb_diag_set(d, MB_ERR_INVAL, "center id: not valid");
		goto out;
	}
	if (m->user[0] != '\0' && mb_store_member_get(e->st, 0, NULL, m->user,
	    out != NULL ? out : m, NULL) == MB_OK) {
		rc = mb_diag_set(d, MB_ERR_EXISTS, "user: %s is already a "
		    "member's account", m->user);
		goto out;
	}
	if ((rc = mb_store_member_add(e->st, m, &m->id, d)) != MB_OK)
		goto out;
	/*
	 * The record first, then its profile: a profile that failed to be
	 * signed is published again by the next change; a profile without
	 * a record could not be withdrawn.
	 */
	if ((rc = mb_members__publish_profile(e, m, d)) != MB_OK)
		goto out;
	if ((rc = mb_store_member_get(e->st, m->id, NULL, NULL, m, d)) !=
	    MB_OK)
		goto out;
	if (out != NULL)
		*out = *m;
out:
	free(m);
	return rc;
}

int
mb_members_find(const struct mb_newsroom_env *e, const char *key,
    struct mb_member *out, struct mb_diag *d)
{
	char		*end;
	long long	 id;

	if (key[0] >= '0' && key[0] <= '9') {
		id = strtoll(key, &end, 10);
		if (*end == '\0' && id > 0)
			return mb_store_member_get(e->st, id, NULL, NULL, out,
			    d);
	}
	if (strncmp(key, "urn:", 4) == 0)
		return mb_store_member_get(e->st, 0, key, NULL, out, d);
	return mb_store_member_get(e->st, 0, NULL, key, out, d);
}

int
mb_members_of_actor(const struct mb_newsroom_env *e, const struct mb_actor *a,
    struct mb_member *out, struct mb_diag *d)
{
	if (a == NULL || a->name == NULL || a->user_id == 0)
		return mb_diag_set(d, MB_ERR_NOTFOUND, "not signed in as a "
		    "member");
	if (mb_store_member_get(e->st, 0, NULL, a->name, out, NULL) != MB_OK)
		return mb_diag_set(d, MB_ERR_NOTFOUND, "the account %s is not "
		    "a member's", a->name);
	return MB_OK;
}

/*
 * The account m links is no other member's: said as add says it, where
 * the store's UNIQUE would answer a database error.
 */
static int
account_free(const struct mb_newsroom_env *e, const struct mb_member *m,
    struct mb_diag *d)
{
	struct mb_member	*other;
	int			 rc = MB_OK;

	if (m->user[0] == '\0')
		return MB_OK;
	if ((other = malloc(sizeof(*other))) == NULL)
		return mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
	if (mb_store_member_get(e->st, 0, NULL, m->user, other, NULL) ==
	    MB_OK && other->id != m->id)
		rc = mb_diag_set(d, MB_ERR_EXISTS, "user: %s is already a "
		    "member's account", m->user);
	free(other);
	return rc;
}

int
mb_members_update(const struct mb_newsroom_env *e, const struct mb_actor *a,
    int64_t id, const struct mb_member_in *in, struct mb_member *out,
    struct mb_diag *d)
{
	struct mb_member	*m;
	int			 rc;

	if ((m = calloc(1, sizeof(*m))) == NULL)
		return mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
	if ((rc = mb_store_member_get(e->st, id, NULL, NULL, m, d)) != MB_OK)
		goto out;
	if (!may_manage(a)) {
		/* A member edits their own profile, not who they are. */
		if (m->user[0] == '\0' || a->name == NULL ||
		    strcmp(m->user, a->name) != 0) {
			rc = mb_diag_set(d, MB_ERR_PERM, "a member edits only "
			    "their own profile");
			goto out;
		}
		if (in->user != NULL || in->category != NULL) {
			rc = mb_diag_set(d, MB_ERR_PERM, "%s: an admin's to "
			    "change", in->user != NULL ? "user" : "category");
			goto out;
		}
	}
	if (strcmp(m->status, "removed") == 0) {
		rc = mb_diag_set(d, MB_ERR_EXISTS, "member %lld was removed",
		    (long long)id);
		goto out;
	}
	if ((rc = apply_in(e, m, in, d)) != MB_OK ||
	    (rc = account_free(e, m, d)) != MB_OK ||
	    (rc = mb_store_member_update(e->st, m, d)) != MB_OK ||
	    (rc = mb_members__publish_profile(e, m, d)) != MB_OK)
		goto out;
	if (out != NULL)
		*out = *m;
out:
	free(m);
	return rc;
}

int
mb_members_set_status(const struct mb_newsroom_env *e,
    const struct mb_actor *a, int64_t id, const char *status,
    struct mb_diag *d)
{
	struct mb_member	*m;
	int			 rc;

	if (!may_manage(a))
		return mb_diag_set(d, MB_ERR_PERM, "only an admin suspends or "
		    "removes members");
	if (strcmp(status, "active") != 0 && strcmp(status, "suspended") != 0 &&
	    strcmp(status, "removed") != 0)
		return mb_diag_set(d, MB_ERR_INVAL, "status: one of active, "
		    "suspended, removed");
	if ((m = calloc(1, sizeof(*m))) == NULL)
		return mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
	if ((rc = mb_store_member_get(e->st, id, NULL, NULL, m, d)) != MB_OK)
		goto out;
	if (strcmp(m->status, "removed") == 0) {
		rc = mb_diag_set(d, MB_ERR_EXISTS, "member %lld was removed; "
		    "a removal is for good", (long long)id);
		goto out;
	}
	if (strcmp(m->status, status) == 0) {
		rc = mb_diag_set(d, MB_ERR_EXISTS, "member %lld is already "
		    "%s", (long long)id, status);
		goto out;
	}
	snprintf(m->status, sizeof(m->status), "%s", status);
	if ((rc = mb_store_member_update(e->st, m, d)) != MB_OK)
		goto out;
	rc = mb_members__publish_profile(e, m, d);
out:
	free(m);
	return rc;
}

/* ---- the directory ---- */

/* The profile JSON of a stored profile version, or NULL. */
static json_t *
profile_of(const struct mb_store_version *v)
{
	json_t	*item = NULL, *meta = NULL, *data, *p = NULL;

	if (mb_members__parse(v->envelope, v->envelope_len, &item, &meta,
	    NULL) != MB_OK)
		return NULL;
	if ((data = mb_members__data(item, "member")) != NULL &&
	    json_is_string(json_object_get(data, "category")))
		p = json_pack("{s:s, s:s, s:O, s:O, s:O, s:O, s:O, s:O, s:s, "
		    "s:I}", "uri", v->uri, "center", v->center,
		    "name", json_object_get(json_array_get(json_object_get(item,
		    "headlines"), 0), "value"),
		    "category", json_object_get(data, "category"),
		    "country", json_object_get(data, "country"),
		    "languages", json_object_get(data, "languages"),
		    "affiliation", json_object_get(data, "affiliation"),
		    "bio", json_object_get(data, "bio"),
		    "audience", v->audience, "version", (json_int_t)v->version);
	if (p != NULL && json_array_size(json_object_get(item,
	    "associations")) > 0)
		json_object_set(p, "photo", json_array_get(json_object_get(item,
		    "associations"), 0));
	json_decref(data);
	json_decref(item);
	json_decref(meta);
	return p;
}

static bool
has_language(const json_t *langs, const char *want)
{
	json_t	*l;
	size_t	 i;

	json_array_foreach(langs, i, l)
		if (json_is_string(l) && strcmp(json_string_value(l), want) ==
		    0)
			return true;
	return false;
}

static bool
str_is(const json_t *v, const char *want)
{
	return json_is_string(v) && strcmp(json_string_value(v), want) == 0;
}

struct dir_walk {
	const struct mb_directory_filter	*f;
	int					(*cb)(const json_t *, void *);
	void					*arg;
	int					 left;
	int64_t					 last_first, last_seq;
	int					 seen;
};

static bool
given(const char *s)
{
	return s != NULL && s[0] != '\0';
}

static int
dir_cb(const struct mb_store_version *v, void *arg)
{
	struct dir_walk	*w = arg;
	json_t		*p;
	int		 rc = MB_OK;

	w->last_first = v->first_ms;
	w->last_seq = v->seq;
	w->seen++;
	if ((p = profile_of(v)) == NULL)
		return MB_OK;
	if ((given(w->f->category) && !str_is(json_object_get(p, "category"),
	    w->f->category)) ||
	    (given(w->f->country) && !str_is(json_object_get(p, "country"),
	    w->f->country)) ||
	    (given(w->f->language) && !has_language(json_object_get(p,
	    "languages"), w->f->language))) {
		json_decref(p);
		return MB_OK;
	}
	rc = w->cb(p, w->arg);
	json_decref(p);
	if (rc == MB_OK && --w->left == 0)
		return 1;
	return rc;
}

int
mb_members_directory(const struct mb_newsroom_env *e,
    const struct mb_actor *a, const struct mb_directory_filter *f,
    int (*cb)(const json_t *profile, void *arg), void *arg,
    struct mb_diag *d)
{
	struct mb_store_filter	sf;
	struct dir_walk		w;
	int			rc;

	memset(&w, 0, sizeof(w));
	w.f = f;
	w.cb = cb;
	w.arg = arg;
	/* A negative limit: every profile (for counting). */
	w.left = f->limit < 0 ? -1 : f->limit > 0 && f->limit <= 1000 ?
	    f->limit : 1000;
	memset(&sf, 0, sizeof(sf));
	sf.profile = "member";
	sf.center = given(f->center) ? f->center : NULL;
	sf.now_ms = mb_time_now_ms();
	sf.audiences = mb_audiences_of(mb_actor_role(a));
	sf.limit = 200;
	/* Pages of the store's listing until enough profiles passed. */
	for (;;) {
		w.seen = 0;
		if ((rc = mb_store_list(e->st, &sf, dir_cb, &w, d)) != MB_OK)
			return rc;
		if (w.left == 0 || w.seen < sf.limit)
			return MB_OK;
		sf.cursor_first_ms = w.last_first;
		sf.cursor_seq = w.last_seq;
	}
}

struct one {
	const char	*uri;
	json_t		*p;
};

static int
one_cb(const json_t *p, void *arg)
{
	struct one *o = arg;

	if (!str_is(json_object_get(p, "uri"), o->uri))
		return MB_OK;
	o->p = json_incref((json_t *)p);
	return 1;
}

int
mb_members_profile(const struct mb_newsroom_env *e, const struct mb_actor *a,
    const char *uri, json_t **out, struct mb_diag *d)
{
	struct mb_directory_filter	f;
	struct one			o = { uri, NULL };
	char				center[MB_CENTER_MAX + 1];
	char				local[MB_LOCAL_MAX + 1];
	int				rc;

	if (mb_uri_parse(uri, center, local) != MB_OK)
		return mb_diag_set(d, MB_ERR_NOTFOUND, "%.128s: no such "
		    "member", uri);
	memset(&f, 0, sizeof(f));
	f.center = center;
	if ((rc = mb_members_directory(e, a, &f, one_cb, &o, d)) != MB_OK)
		return rc;
	if (o.p == NULL)
		return mb_diag_set(d, MB_ERR_NOTFOUND, "%s: no such member",
		    uri);
	*out = o.p;
	return MB_OK;
}

struct count_walk {
	int64_t	n, seen, last_first, last_seq;
};

static int
count_cb(const struct mb_store_version *v, void *arg)
{
	struct count_walk *w = arg;

	w->last_first = v->first_ms;
	w->last_seq = v->seq;
	w->seen++;
	if (strcmp(v->workflow, "published") != 0)
		return MB_OK;
	if ((strcmp(v->pub_status, "usable") == 0 &&
	    strcmp(v->audience, "internal") != 0) ||
	    strcmp(v->pub_status, "withheld") == 0 ||
	    strcmp(v->pub_status, "canceled") == 0)
		w->n++;
	return MB_OK;
}

int
mb_members_count(struct mb_store *st, const char *center, int64_t *n,
    struct mb_diag *d)
{
	struct mb_store_filter	sf;
	struct count_walk	w;
	int			rc;

	/*
	 * Every profile the center signed for the network, withdrawn ones
	 * too: a secret ballot cannot be taken back when its voter is
	 * withdrawn (nothing ties it to them), and a withdrawal must not
	 * refuse the center's whole tally (docs/members.md, check 4).
	 */
	memset(&w, 0, sizeof(w));
	memset(&sf, 0, sizeof(sf));
	sf.profile = "member";
	sf.center = center;
	sf.all = true;
	sf.limit = 1000;
	for (;;) {
		w.seen = 0;
		if ((rc = mb_store_list(st, &sf, count_cb, &w, d)) != MB_OK)
			return rc;
		if (w.seen < sf.limit)
			break;
		sf.cursor_first_ms = w.last_first;
		sf.cursor_seq = w.last_seq;
	}
	*n = w.n;
	return MB_OK;
}
