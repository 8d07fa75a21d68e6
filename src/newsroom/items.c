/* SPDX-License-Identifier: MIT */
/*
 * The items service: the workflow state machine and its permission
 * checks, once for every door. Each change runs in one store
 * transaction: load the current version, check who may and whether the
 * caller's version is current, sign the next version, commit.
 */
#include "items.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/timeutil.h"
#include "center/ingest.h"
#include "item/envelope.h"
#include "item/json.h"
#include "newsroom/pictext.h"
#include "store/agenda.h"
#include "store/store.h"

void
mb_nr_item_free(struct mb_nr_item *it)
{
	free(it->envelope);
	it->envelope = NULL;
}

struct mb_item_state
mb_nr_item_state(const struct mb_nr_item *it)
{
	struct mb_item_state s = { it->author, it->workflow, it->pub_status,
		it->audience, it->embargo_ms, it->profile };

	return s;
}

void
mb_nr_saved_free(struct mb_nr_saved *s)
{
	mb_buf_free(&s->wire);
}

static int
load_cb(const struct mb_store_version *v, void *arg)
{
	struct mb_nr_item *l = arg;

	l->version = v->version;
	snprintf(l->workflow, sizeof(l->workflow), "%s", v->workflow);
	snprintf(l->pub_status, sizeof(l->pub_status), "%s", v->pub_status);
	snprintf(l->audience, sizeof(l->audience), "%s", v->audience);
	snprintf(l->profile, sizeof(l->profile), "%s", v->profile != NULL ?
	    v->profile : "");
	l->embargo_ms = v->embargo_ms;
	l->created_ms = v->created_ms;
	l->first_ms = v->first_ms;
	l->seq = v->seq;
	if ((l->envelope = malloc(v->envelope_len + 1)) == NULL)
		return MB_ERR_NOMEM;
	memcpy(l->envelope, v->envelope, v->envelope_len);
	l->envelope[v->envelope_len] = '\0';
	l->len = v->envelope_len;
	return MB_OK;
}

static int
load(struct mb_store *st, const char *uri, int64_t version,
    struct mb_nr_item *l, struct mb_diag *d)
{
	int rc;

	memset(l, 0, sizeof(*l));
	if ((rc = mb_store_get(st, uri, version, load_cb, l, d)) != MB_OK) {
		mb_nr_item_free(l);
		return rc;
	}
	rc = mb_store_author_get(st, uri, &l->author, d);
	if (rc == MB_ERR_NOTFOUND)
		rc = MB_OK;
	if (rc != MB_OK)
		mb_nr_item_free(l);
	return rc;
}

static bool
visible(const struct mb_actor *a, const struct mb_nr_item *l)
{
	struct mb_item_state s = mb_nr_item_state(l);

	return mb_policy_visible(a, &s, mb_time_now_ms());
}

/*
 * A proposal hidden at this center (three members' reports or a
 * moderator's move, src/members/votes.c) is shown to the moderators
 * only, on every door that reads one item, as on /proposals.
 */
bool
mb_newsroom_hidden_proposal(struct mb_store *st, const char *uri,
    const char *profile)
{
	bool hidden = false;

	if (profile == NULL || strcmp(profile, "proposal") != 0)
		return false;
	/* A flag that cannot be read hides it: as the item's page does. */
	return mb_store_agenda_flags(st, uri, NULL, &hidden, NULL) != MB_OK ||
	    hidden;
}

/*
 * Staff who translate may translate an item submitted for review
 * (translatable() below), so they read it where they do: the API, its
 * HTML, the original beside the newsroom's form. Listings and search
 * keep to the policy (the desk lists what is theirs to act on).
 */
static bool
to_translate(const struct mb_actor *a, const struct mb_nr_item *l)
{
	return mb_actor_role(a) >= MB_ROLE_TRANSLATOR &&
	    strcmp(l->workflow, "submitted") == 0;
}

static bool
visible_here(const struct mb_newsroom_env *e, const struct mb_actor *a,
    const char *uri, const struct mb_nr_item *l)
{
	if (!visible(a, l) && !to_translate(a, l))
		return false;
	if (a == NULL || mb_actor_role(a) >= MB_ROLE_EDITOR)
		return true;
	return !mb_newsroom_hidden_proposal(e->st, uri, l->profile);
}

int
mb_newsroom_get(const struct mb_newsroom_env *e, const struct mb_actor *a,
    const char *uri, int64_t version, struct mb_nr_item *out,
    struct mb_diag *d)
{
	struct mb_nr_item	cur, at;
	int			rc;

	if ((rc = load(e->st, uri, 0, &cur, d)) != MB_OK)
		return rc;
	if (!visible_here(e, a, uri, &cur)) {
		mb_nr_item_free(&cur);
		return mb_diag_set(d, MB_ERR_NOTFOUND, "%s: not found", uri);
	}
	if (version == 0 || version == cur.version) {
		*out = cur;
		return MB_OK;
	}
	rc = load(e->st, uri, version, &at, d);
	if (rc != MB_OK) {
		mb_nr_item_free(&cur);
		return rc;
	}
	/* An older version is judged by its own state, by the same author. */
	at.author = cur.author;
	mb_nr_item_free(&cur);
	if (!visible(a, &at)) {
		mb_nr_item_free(&at);
		return mb_diag_set(d, MB_ERR_NOTFOUND, "%s at version %lld: "
		    "not found", uri, (long long)version);
	}
	*out = at;
	return MB_OK;
}

bool
mb_newsroom_visible(const struct mb_newsroom_env *e, const struct mb_actor *a,
    const char *uri)
{
	struct mb_nr_item	l;
	bool			v;

	if (load(e->st, uri, 0, &l, NULL) != MB_OK)
		return false;
	v = visible_here(e, a, uri, &l);
	mb_nr_item_free(&l);
	return v;
}

/* ---- writing ---- */

/*
 * What a translation may be "of": an item the actor may read, or one
 * submitted for review (translators work while the editor reviews, and
 * both are published together). Someone else's draft answers as an
 * item that is not there, without telling that it is.
 */
static bool
translatable(const struct mb_newsroom_env *e, const struct mb_actor *a,
    const char *uri)
{
	struct mb_nr_item	l;
	bool			ok;

	if (load(e->st, uri, 0, &l, NULL) != MB_OK)
		return false;
	ok = visible(a, &l) || strcmp(l.workflow, "submitted") == 0;
	mb_nr_item_free(&l);
	return ok;
}

static int
fail(struct mb_nr_saved *out, const char *code, int rc)
{
	out->code = code;
	return rc;
}

static int
set_str(json_t *o, const char *k, const char *v)
{
	return json_object_set_new(o, k, json_string(v)) == 0 ? MB_OK :
	    MB_ERR_NOMEM;
}

static int
set_version(json_t *item, int64_t version, int64_t now)
{
	char v[24], t[MB_TIME_RFC3339_LEN];

	snprintf(v, sizeof(v), "%lld", (long long)version);
	mb_time_format(now, t);
	if (set_str(item, "version", v) != MB_OK ||
	    set_str(item, "versionCreated", t) != MB_OK)
		return MB_ERR_NOMEM;
	return MB_OK;
}

/*
 * Signs item (stolen) as the next version inside the open transaction,
 * stores it, records the author of a new item, and commits. Rolls back
 * on failure.
 */
static int
save(const struct mb_newsroom_env *e, const struct mb_actor *a, json_t *item,
    const struct mb_ingest_opts *o, bool created, struct mb_nr_saved *out,
    struct mb_diag *d)
{
	struct mb_prepared	*p = NULL;
	struct mb_ingest_result	 res;
	int			 rc;

	/*
	 * An editor's note is for the newsroom: whichever door makes a
	 * published version (create, PUT, an action), it never carries one.
	 */
	if (o->workflow != NULL && strcmp(o->workflow, "published") == 0)
		json_object_del(item, "edNote");
	if ((rc = mb_ingest_prepare(e->ing, item, o, &p, d)) != MB_OK) {
		/* This center's own key signs: a refusal is the content's. */
		if (rc == MB_ERR_PERM)
			rc = MB_ERR_INVAL;
		out->code = rc == MB_ERR_TOOBIG ? "too_large" : "invalid";
		goto fail;
	}
	if ((rc = mb_ingest_commit(e->ing, e->st, p, true, &res, d)) != MB_OK)
		goto fail;
	if (res.duplicate) {
		rc = mb_diag_set(d, MB_ERR_EXISTS, "%s version %lld: already "
		    "stored", res.uri, (long long)res.version);
		out->code = "exists";
		goto fail;
	}
	/* The operator at the command line is no user: no author. */
	if (created && a->user_id > 0 && (rc = mb_store_author_set(e->st,
	    res.uri, a->user_id, d)) != MB_OK)
		goto fail;
	/* Who made this version, for the item's history (never exported). */
	if (a->user_id > 0 && (rc = mb_store_version_author_set(e->st,
	    res.uri, res.version, a->user_id, d)) != MB_OK)
		goto fail;
	if ((rc = mb_envelope_dump(mb_prepared_envelope(p), &out->wire, d)) !=
	    MB_OK)
		goto fail;
	if ((rc = mb_store_commit(e->st, d)) != MB_OK)
		goto fail;
	if (e->saved != NULL)
		e->saved(e->saved_arg);
	log_info("newsroom: item saved uri=%s version=%lld seq=%lld user=%s",
	    res.uri, (long long)res.version, (long long)res.seq,
	    a->name != NULL ? a->name : "-");
	snprintf(out->uri, sizeof(out->uri), "%s", res.uri);
	out->version = res.version;
	out->seq = res.seq;
	mb_prepared_free(p);
	return MB_OK;
fail:
	mb_store_rollback(e->st);
	mb_prepared_free(p);
	mb_buf_free(&out->wire);
	return rc;
}

static int
check_meta_keys(const json_t *meta, struct mb_diag *d)
{
	const char	*k;
	json_t		*v;

	json_object_foreach((json_t *)meta, k, v)
		if (strcmp(k, "audience") != 0 && strcmp(k, "workflow") != 0 &&
		    strcmp(k, "translation") != 0)
			return mb_diag_set(d, MB_ERR_INVAL, "meta.%.60s: not "
			    "settable here (audience, workflow, translation)",
			    k);
	return MB_OK;
}

/*
 * The publishing gate for pictures: an item goes to readers only when
 * each of its pictures has alt text or a caption in its language (a
 * page needs words for readers who cannot see it). MB_ERR_INVAL with
 * code "no_alt" and the picture's name; nothing is changed.
 */
static int
pictures_described(const json_t *item, struct mb_nr_saved *out,
    struct mb_diag *d)
{
	const char	*lang = json_string_value(json_object_get(item,
	    "language"));
	char		 name[64];

	if (!mb_newsroom_picture_lacks_text(item, name, sizeof(name)))
		return MB_OK;
	out->code = "no_alt";
	snprintf(out->what, sizeof(out->what), "%s", name);
	return mb_diag_set(d, MB_ERR_INVAL, "associations: the picture %s "
	    "has neither alt text nor a caption in %s; describe what it "
	    "shows, for readers who cannot see it, before publishing", name,
	    lang != NULL ? lang : "the item's language");
}

/*
 * The profile's own rules on a version's content (the environment's
 * check): an error is the content's, answered as invalid or too large.
 */
static int
profile_checked(const struct mb_newsroom_env *e, const json_t *item,
    struct mb_nr_saved *out, struct mb_diag *d)
{
	int rc;

	if (e->check == NULL || (rc = e->check(item, d)) == MB_OK)
		return MB_OK;
	out->code = rc == MB_ERR_TOOBIG ? "too_large" : "invalid";
	return rc;
}

/* Whether a version saved with workflow wf reaches readers. */
static bool
goes_to_readers(const char *wf, const json_t *item)
{
	const char *ps = json_string_value(json_object_get(item, "pubStatus"));

	return wf != NULL && strcmp(wf, "published") == 0 && (ps == NULL ||
	    strcmp(ps, "usable") == 0);
}

/* How far ahead of this clock a writer's clock may be (firstCreated). */
#define FIRST_CREATED_SKEW_MS	(5 * 60 * 1000)

/*
 * firstCreated orders listings and feeds, newest first: one in the
 * future would keep an item on top for years. A new item may be dated
 * back (an archive's story), not ahead, beyond a few minutes' skew.
 */
static int
first_created_checked(const json_t *item, int64_t now_ms, struct mb_diag *d)
{
	const json_t	*v = json_object_get(item, "firstCreated");
	int64_t		 ms;

	if (v == NULL)
		return MB_OK;
	if (json_string_value(v) == NULL || mb_time_parse(json_string_value(
	    v), &ms) != MB_OK)
		return mb_diag_set(d, MB_ERR_INVAL, "firstCreated: not an "
		    "RFC 3339 date-time; leave it out to have it now");
	if (ms > now_ms + FIRST_CREATED_SKEW_MS)
		return mb_diag_set(d, MB_ERR_INVAL, "firstCreated: %.40s is in "
		    "the future; an item is first created now or earlier "
		    "(leave it out to have it now)", json_string_value(v));
	return MB_OK;
}

int
mb_newsroom_create(const struct mb_newsroom_env *e, const struct mb_actor *a,
    json_t *item, const json_t *meta, struct mb_nr_saved *out,
    struct mb_diag *d)
{
	struct mb_ingest_opts	 o;
	json_t			*v;
	const char		*ps;
	char			 uri[MB_URI_MAX], lid[MB_LOCAL_LEN + 1];
	bool			 has;
	int			 rc;

	memset(out, 0, sizeof(*out));
	out->code = "invalid";
	if (mb_actor_role(a) < MB_ROLE_TRANSLATOR) {
		rc = mb_diag_set(d, MB_ERR_PERM, "a %s cannot create items",
		    mb_role_name(mb_actor_role(a)));
		goto out_forbidden;
	}
	memset(&o, 0, sizeof(o));
	o.audience = "public";
	o.workflow = "draft";
	if (meta != NULL) {
		if ((rc = check_meta_keys(meta, d)) != MB_OK)
			goto out;
		if ((v = json_object_get(meta, "audience")) != NULL &&
		    !mb_audience_valid(o.audience = json_string_value(v))) {
			rc = mb_diag_set(d, MB_ERR_INVAL, "meta.audience: one "
			    "of public, network, internal");
			goto out;
		}
		if ((v = json_object_get(meta, "workflow")) != NULL) {
			o.workflow = json_string_value(v);
			if (o.workflow == NULL ||
			    (strcmp(o.workflow, "draft") != 0 &&
			    strcmp(o.workflow, "submitted") != 0 &&
			    strcmp(o.workflow, "published") != 0)) {
				rc = mb_diag_set(d, MB_ERR_INVAL,
				    "meta.workflow: one of draft, submitted, "
				    "published");
				goto out;
			}
		}
		o.translation = json_object_get(meta, "translation");
	}
	if (mb_actor_role(a) == MB_ROLE_TRANSLATOR && o.translation == NULL) {
		rc = mb_diag_set(d, MB_ERR_PERM, "a translator creates "
		    "translations: give meta.translation {\"of\", \"by\"}");
		goto out_forbidden;
	}
	if (mb_actor_role(a) < MB_ROLE_EDITOR) {
		if (strcmp(o.workflow, "published") == 0) {
			rc = mb_diag_set(d, MB_ERR_PERM, "only an editor "
			    "publishes; create a draft and submit it");
			goto out_forbidden;
		}
		ps = json_string_value(json_object_get(item, "pubStatus"));
		if ((ps != NULL && strcmp(ps, "usable") != 0) ||
		    json_object_get(item, "embargoedUntil") != NULL) {
			rc = mb_diag_set(d, MB_ERR_PERM, "pubStatus and "
			    "embargoedUntil are an editor's to set");
			goto out_forbidden;
		}
	}
	if (o.translation != NULL) {
		const char *of = json_string_value(json_object_get(
		    o.translation, "of"));

		if (of == NULL || mb_store_has(e->st, of, 1, &has, NULL) !=
		    MB_OK || !has || !translatable(e, a, of)) {
			rc = mb_diag_set(d, MB_ERR_INVAL, "meta.translation.of: "
			    "no such item here");
			goto out;
		}
	}
	if (goes_to_readers(o.workflow, item) &&
	    (rc = pictures_described(item, out, d)) != MB_OK)
		goto out;
	/* A uri minted here, not an alias: two equal drafts are two items. */
	if ((v = json_object_get(item, "uri")) == NULL) {
		mb_local_id_mint(lid);
		if (mb_uri_make(uri, sizeof(uri), e->center, lid) != MB_OK ||
		    set_str(item, "uri", uri) != MB_OK) {
			rc = mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
			goto out;
		}
	} else if (json_string_value(v) == NULL) {
		rc = mb_diag_set(d, MB_ERR_INVAL, "uri: must be a string");
		goto out;
	}
	snprintf(uri, sizeof(uri), "%s", json_string_value(json_object_get(
	    item, "uri")));
	o.now_ms = mb_time_now_ms();
	if (set_version(item, 1, o.now_ms) != MB_OK) {
		rc = mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
		goto out;
	}
	if ((rc = first_created_checked(item, o.now_ms, d)) != MB_OK)
		goto out;
	if ((rc = profile_checked(e, item, out, d)) != MB_OK)
		goto out;
	if ((rc = mb_store_begin(e->st, d)) != MB_OK)
		goto out;
	if ((rc = mb_store_has(e->st, uri, 1, &has, d)) != MB_OK || has) {
		/*
		 * One the caller may not see (someone else's draft, an
		 * embargoed story) answers as reading it does: "exists"
		 * would tell them it is there.
		 */
		bool seen = rc == MB_OK && mb_newsroom_visible(e, a, uri);

		mb_store_rollback(e->st);
		if (rc == MB_OK && !seen) {
			rc = mb_diag_set(d, MB_ERR_NOTFOUND, "%s: not found; "
			    "leave uri out to have one minted", uri);
			out->code = "not_found";
		} else if (rc == MB_OK) {
			rc = mb_diag_set(d, MB_ERR_EXISTS, "%s already exists; "
			    "PUT to its URL with If-Match to change it", uri);
			out->code = "exists";
		}
		goto out;
	}
	return save(e, a, item, &o, true, out, d);
out_forbidden:
	out->code = "forbidden";
out:
	json_decref(item);
	return rc;
}

/* The current version's item and meta, parsed (new references). */
static int
parse_loaded(const struct mb_nr_item *l, json_t **item, json_t **meta,
    struct mb_diag *d)
{
	json_t *root = mb_json_loadb(l->envelope, l->len, 0, NULL);

	if (root == NULL)
		return mb_diag_set(d, MB_ERR_CORRUPT, "the stored envelope "
		    "does not parse");
	*item = json_deep_copy(json_object_get(root, "item"));
	*meta = json_incref(json_object_get(root, "meta"));
	json_decref(root);
	if (*item == NULL || *meta == NULL) {
		json_decref(*item);
		json_decref(*meta);
		return mb_diag_set(d, MB_ERR_CORRUPT, "the stored envelope "
		    "has no item or meta");
	}
	return MB_OK;
}

static bool
precond_ok(const struct mb_nr_precond *pre, int64_t current)
{
	if (pre == NULL || pre->any)
		return true;
	for (int i = 0; i < pre->n; i++)
		if (pre->v[i] == current)
			return true;
	return false;
}

/*
 * Opens the write transaction, loads the current version and checks
 * that the actor may see it, may change it, that it is not canceled and
 * that pre holds. On failure the transaction is closed.
 */
static int
begin_change(const struct mb_newsroom_env *e, const struct mb_actor *a,
    const char *uri, const struct mb_nr_precond *pre, struct mb_nr_item *cur,
    struct mb_nr_saved *out, struct mb_diag *d)
{
	char	why[160];
	int	rc;

	if ((rc = mb_store_begin(e->st, d)) != MB_OK)
		return rc;
	if ((rc = load(e->st, uri, 0, cur, d)) != MB_OK) {
		mb_store_rollback(e->st);
		return fail(out, "not_found", rc);
	}
	if (!visible(a, cur)) {
		rc = mb_diag_set(d, MB_ERR_NOTFOUND, "%s: not found", uri);
		out->code = "not_found";
		goto fail;
	}
	{
		struct mb_item_state s = mb_nr_item_state(cur);

		if (!mb_policy_may_edit(a, &s, why, sizeof(why))) {
			rc = mb_diag_set(d, MB_ERR_PERM, "%s", why);
			out->code = "forbidden";
			goto fail;
		}
	}
	if (strcmp(cur->pub_status, "canceled") == 0) {
		rc = mb_diag_set(d, MB_ERR_EXISTS, "%s is canceled; a canceled "
		    "item stays so", uri);
		out->code = "canceled";
		goto fail;
	}
	if (!precond_ok(pre, cur->version)) {
		out->current = cur->version;
		rc = mb_diag_set(d, MB_ERR_CONFLICT, "If-Match names a stale "
		    "version: the current version is %lld; fetch it and apply "
		    "your change again", (long long)cur->version);
		out->code = "stale_version";
		goto fail;
	}
	return MB_OK;
fail:
	mb_store_rollback(e->st);
	mb_nr_item_free(cur);
	return rc;
}

static void
opts_from_meta(struct mb_ingest_opts *o, const json_t *meta)
{
	const char *wf = json_string_value(json_object_get(meta, "workflow"));

	memset(o, 0, sizeof(*o));
	o->audience = json_string_value(json_object_get(meta, "audience"));
	o->workflow = wf != NULL ? wf : "published";
	o->translation = json_object_get(meta, "translation");
	o->now_ms = mb_time_now_ms();
}

static bool
same_json(const json_t *a, const json_t *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return json_equal((json_t *)a, (json_t *)b) != 0;
}

/*
 * The provenance a change leaves on a translation (new reference, or
 * NULL to keep it as it is): a machine draft a person edits becomes
 * "machine+human"; publishing records who reviewed it and when.
 */
static json_t *
translation_after(const json_t *tr, const struct mb_actor *a, bool publish,
    int64_t now_ms)
{
	const char	*by = json_string_value(json_object_get(tr, "by"));
	json_t		*n;

	if (tr == NULL || by == NULL || strcmp(by, "human") == 0)
		return NULL;
	if ((n = json_deep_copy(tr)) == NULL)
		return NULL;
	if (publish) {
		char t[MB_TIME_RFC3339_LEN];

		mb_time_format(now_ms, t);
		json_object_set_new(n, "reviewedBy", json_string(
		    a->name != NULL ? a->name : "operator"));
		json_object_set_new(n, "reviewedAt", json_string(t));
	} else {
		json_object_set_new(n, "by", json_string("machine+human"));
		json_object_del(n, "reviewedBy");
		json_object_del(n, "reviewedAt");
	}
	return n;
}

static int update_with(const struct mb_newsroom_env *e,
    const struct mb_actor *a, const char *uri,
    const struct mb_nr_precond *pre, json_t *item, const json_t *hints,
    const json_t *translation, struct mb_nr_saved *out, struct mb_diag *d);

int
mb_newsroom_update(const struct mb_newsroom_env *e, const struct mb_actor *a,
    const char *uri, const struct mb_nr_precond *pre, json_t *item,
    const json_t *hints, struct mb_nr_saved *out, struct mb_diag *d)
{
	return update_with(e, a, uri, pre, item, hints, NULL, out, d);
}

int
mb_newsroom_update_translation(const struct mb_newsroom_env *e,
    const struct mb_actor *a, const char *uri,
    const struct mb_nr_precond *pre, json_t *item, const json_t *translation,
    struct mb_nr_saved *out, struct mb_diag *d)
{
	return update_with(e, a, uri, pre, item, NULL, translation, out, d);
}

/*
 * PUT's work. translation: a machine draft made again (the translate
 * step): that provenance replaces the stored one and the item goes back
 * to draft; NULL: a person's edit.
 */
static int
update_with(const struct mb_newsroom_env *e, const struct mb_actor *a,
    const char *uri, const struct mb_nr_precond *pre, json_t *item,
    const json_t *hints, const json_t *translation, struct mb_nr_saved *out,
    struct mb_diag *d)
{
	struct mb_ingest_opts	 o;
	struct mb_nr_item	 cur;
	json_t			*old = NULL, *meta = NULL, *v, *tr = NULL;
	const char		*aud;
	int			 rc;

	memset(out, 0, sizeof(*out));
	out->code = "invalid";
	if (hints != NULL) {
		if ((rc = check_meta_keys(hints, d)) != MB_OK)
			goto out;
		if (json_object_get(hints, "workflow") != NULL ||
		    json_object_get(hints, "translation") != NULL) {
			rc = mb_diag_set(d, MB_ERR_INVAL, "meta.workflow and "
			    "meta.translation change by the actions (submit, "
			    "publish, ...), not by PUT");
			goto out;
		}
	}
	if ((v = json_object_get(item, "uri")) != NULL &&
	    (json_string_value(v) == NULL ||
	    strcmp(json_string_value(v), uri) != 0)) {
		rc = mb_diag_set(d, MB_ERR_INVAL, "uri: must be %s (or left "
		    "out)", uri);
		goto out;
	}
	if ((rc = begin_change(e, a, uri, pre, &cur, out, d)) != MB_OK)
		goto out;
	if ((rc = parse_loaded(&cur, &old, &meta, d)) != MB_OK)
		goto rollback;
	if (mb_actor_role(a) < MB_ROLE_EDITOR &&
	    (!same_json(json_object_get(old, "pubStatus"),
	    json_object_get(item, "pubStatus")) ||
	    !same_json(json_object_get(old, "embargoedUntil"),
	    json_object_get(item, "embargoedUntil")))) {
		rc = mb_diag_set(d, MB_ERR_PERM, "pubStatus and embargoedUntil "
		    "are an editor's to change");
		out->code = "forbidden";
		goto rollback;
	}
	opts_from_meta(&o, meta);
	if (translation != NULL) {
		o.translation = translation;
		o.workflow = "draft";
	} else if ((tr = translation_after(o.translation, a, false,
	    o.now_ms)) != NULL) {
		/* A person saved the machine's draft: it is theirs too. */
		o.translation = tr;
	}
	if (hints != NULL && (v = json_object_get(hints, "audience")) != NULL) {
		if (!mb_audience_valid(aud = json_string_value(v))) {
			rc = mb_diag_set(d, MB_ERR_INVAL, "meta.audience: one "
			    "of public, network, internal");
			goto rollback;
		}
		o.audience = aud;
	}
	if (goes_to_readers(o.workflow, item) &&
	    (rc = pictures_described(item, out, d)) != MB_OK)
		goto rollback;
	if (set_str(item, "uri", uri) != MB_OK ||
	    json_object_set(item, "firstCreated",
	    json_object_get(old, "firstCreated")) != 0 ||
	    set_version(item, cur.version + 1, o.now_ms) != MB_OK) {
		rc = mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
		goto rollback;
	}
	if ((rc = profile_checked(e, item, out, d)) != MB_OK)
		goto rollback;
	rc = save(e, a, item, &o, false, out, d);
	item = NULL;
	goto done;
rollback:
	mb_store_rollback(e->st);
done:
	mb_nr_item_free(&cur);
out:
	json_decref(item);
	json_decref(old);
	json_decref(meta);
	json_decref(tr);
	return rc;
}

static const char *const action_names[] = { "submit", "publish",
	"withhold", "cancel", "embargo", "return", NULL };

int
mb_nr_action_parse(const char *name)
{
	for (int i = 0; name != NULL && action_names[i] != NULL; i++)
		if (strcmp(name, action_names[i]) == 0)
			return i;
	return -1;
}

const char *
mb_nr_action_name(enum mb_nr_action a)
{
	return a >= MB_NR_SUBMIT && a <= MB_NR_RETURN ? action_names[a] :
	    "?";
}

/* Why the state does not allow the action, or NULL when it does. */
static const char *
transition_refused(enum mb_nr_action action, const struct mb_nr_item *cur)
{
	switch (action) {
	case MB_NR_SUBMIT:
		if (strcmp(cur->workflow, "draft") != 0)
			return "only a draft can be submitted";
		break;
	case MB_NR_PUBLISH:
		if (strcmp(cur->workflow, "published") == 0 &&
		    strcmp(cur->pub_status, "usable") == 0)
			return "already published";
		break;
	case MB_NR_WITHHOLD:
		if (strcmp(cur->pub_status, "usable") != 0)
			return "already withheld";
		break;
	case MB_NR_RETURN:
		if (strcmp(cur->workflow, "submitted") != 0)
			return "only a submitted item can be sent back";
		break;
	default:
		break;
	}
	return NULL;
}

static int
act(const struct mb_newsroom_env *e, const struct mb_actor *a,
    const char *uri, enum mb_nr_action action,
    const struct mb_nr_precond *pre, int64_t until_ms, const char *note,
    struct mb_nr_saved *out, struct mb_diag *d)
{
	struct mb_ingest_opts	 o;
	struct mb_nr_item	 cur;
	json_t			*item = NULL, *meta = NULL, *tr = NULL;
	const char		*refused, *name = mb_nr_action_name(action);
	int			 rc;

	memset(out, 0, sizeof(*out));
	out->code = "invalid";
	/*
	 * Lifting is said as such: a date that is no time an embargo can
	 * end at (1970 or before) is refused, not taken as "lift it".
	 */
	if (action == MB_NR_EMBARGO && until_ms != MB_NR_LIFT && until_ms <= 0)
		return mb_diag_set(d, MB_ERR_INVAL, "until: not a date an "
		    "embargo can end at (it must be after 1970-01-01); lift "
		    "the embargo instead (null, or an empty field)");
	if ((rc = begin_change(e, a, uri, pre, &cur, out, d)) != MB_OK)
		return rc;
	if (action != MB_NR_SUBMIT && mb_actor_role(a) < MB_ROLE_EDITOR) {
		rc = mb_diag_set(d, MB_ERR_PERM, "only an editor may %s", name);
		out->code = "forbidden";
		goto rollback;
	}
	if ((refused = transition_refused(action, &cur)) != NULL) {
		rc = mb_diag_set(d, MB_ERR_EXISTS, "%s: %s (it is %s, %s)",
		    name, refused, cur.workflow, cur.pub_status);
		out->code = "bad_transition";
		goto rollback;
	}
	if ((rc = parse_loaded(&cur, &item, &meta, d)) != MB_OK)
		goto rollback;
	opts_from_meta(&o, meta);
	switch (action) {
	case MB_NR_SUBMIT:
		/* The editor's note was for this round: it is answered. */
		o.workflow = "submitted";
		json_object_del(item, "edNote");
		break;
	case MB_NR_PUBLISH:
		/* An editor's note is for the newsroom, never for readers. */
		o.workflow = "published";
		json_object_del(item, "edNote");
		rc = set_str(item, "pubStatus", "usable");
		if (rc == MB_OK && (rc = pictures_described(item, out, d)) !=
		    MB_OK)
			goto rollback;
		if ((tr = translation_after(o.translation, a, true,
		    o.now_ms)) != NULL)
			o.translation = tr;
		break;
	case MB_NR_RETURN:
		o.workflow = "draft";
		if (note != NULL && *note != '\0')
			rc = set_str(item, "edNote", note);
		else
			json_object_del(item, "edNote");
		break;
	case MB_NR_WITHHOLD:
		rc = set_str(item, "pubStatus", "withheld");
		break;
	case MB_NR_CANCEL:
		rc = set_str(item, "pubStatus", "canceled");
		break;
	case MB_NR_EMBARGO:
		if (until_ms != MB_NR_LIFT) {
			char t[MB_TIME_RFC3339_LEN];

			mb_time_format(until_ms, t);
			rc = set_str(item, "embargoedUntil", t);
		} else {
			json_object_del(item, "embargoedUntil");
		}
		break;
	}
	if (rc != MB_OK || set_version(item, cur.version + 1, o.now_ms) !=
	    MB_OK) {
		rc = mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
		goto rollback;
	}
	rc = save(e, a, item, &o, false, out, d);
	item = NULL;
	goto done;
rollback:
	mb_store_rollback(e->st);
done:
	mb_nr_item_free(&cur);
	json_decref(item);
	json_decref(meta);
	json_decref(tr);
	return rc;
}

int
mb_newsroom_act(const struct mb_newsroom_env *e, const struct mb_actor *a,
    const char *uri, enum mb_nr_action action,
    const struct mb_nr_precond *pre, int64_t until_ms,
    struct mb_nr_saved *out, struct mb_diag *d)
{
	return act(e, a, uri, action, pre, until_ms, NULL, out, d);
}

int
mb_newsroom_send_back(const struct mb_newsroom_env *e,
    const struct mb_actor *a, const char *uri,
    const struct mb_nr_precond *pre, const char *note,
    struct mb_nr_saved *out, struct mb_diag *d)
{
	if (note != NULL && strlen(note) > MB_NR_NOTE_MAX) {
		memset(out, 0, sizeof(*out));
		out->code = "invalid";
		return mb_diag_set(d, MB_ERR_INVAL, "note: at most %d bytes",
		    MB_NR_NOTE_MAX);
	}
	return act(e, a, uri, MB_NR_RETURN, pre, 0, note, out, d);
}
