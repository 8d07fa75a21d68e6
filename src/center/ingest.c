/* SPDX-License-Identifier: MIT */
/* Completing, signing or verifying, and storing items and envelopes. */
#include "ingest.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "base/buf.h"
#include "base/log.h"
#include "base/timeutil.h"
#include "item/jcs.h"
#include "item/topics.h"
#include "store/zenv.h"
#include "text/html_text.h"
#include "text/lang.h"
#include "text/tokenizer.h"

struct keyring_entry {
	char	id[33];
	char	status[16];
	uint8_t	pk[MB_PUBKEY_LEN];
};

struct mb_ingest {
	const struct mb_center_node	*node;
	struct keyring_entry		*keys;
	size_t				 nkeys;
	struct mb_lang_detector		*lang;
	/*
	 * The store's packer (NULL: none): the preparing threads compress
	 * the envelopes, so that the writer does not (issue 23).
	 */
	struct mb_zenv_packer		*packer;
};

struct mb_prepared {
	struct mb_envelope	*env;
	struct mb_buf		 wire;
	char			*headline;
	char			*body;
	char			 alias[64];	/* "item:<hash>", or "" */
	struct mb_text_tokens	*tokens[2];	/* headline, body, or NULL */
	struct mb_buf		 topics;	/* mb_item_topics, or empty */
	struct mb_buf		 packed;	/* the stored form, or empty */
	bool			 signed_in;	/* came signed, not signed here */
};

static int
add_key(const struct mb_center *c, void *arg)
{
	struct mb_ingest	*ig = arg;
	struct keyring_entry	*k;

	k = realloc(ig->keys, (ig->nkeys + 1) * sizeof(*k));
	if (k == NULL)
		return MB_ERR_NOMEM;
	ig->keys = k;
	k += ig->nkeys++;
	snprintf(k->id, sizeof(k->id), "%s", c->id);
	snprintf(k->status, sizeof(k->status), "%s", c->status);
	memcpy(k->pk, c->key, MB_PUBKEY_LEN);
	return MB_OK;
}

int
mb_ingest_new(const struct mb_center_node *n, struct mb_store *st,
    struct mb_ingest **out, struct mb_diag *d)
{
	struct mb_ingest	*ig;
	int			 rc;

	if ((ig = calloc(1, sizeof(*ig))) == NULL)
		return MB_ERR_NOMEM;
	ig->node = n;
	if ((rc = mb_store_center_list(st, add_key, ig, d)) != MB_OK) {
		mb_ingest_free(ig);
		return rc;
	}
	/* Without one (out of memory), the writer compresses. */
	if (mb_store_packer(st, &ig->packer, NULL) != MB_OK)
		ig->packer = NULL;
	/* Without the fingerprints, detection still works by script. */
	if (mb_lang_detector_new(NULL, &ig->lang, NULL) != MB_OK)
		ig->lang = NULL;
	*out = ig;
	return MB_OK;
}

void
mb_ingest_free(struct mb_ingest *ig)
{
	if (ig == NULL)
		return;
	mb_lang_detector_free(ig->lang);
	mb_zenv_packer_free(ig->packer);
	free(ig->keys);
	free(ig);
}

void
mb_prepared_free(struct mb_prepared *p)
{
	if (p == NULL)
		return;
	mb_envelope_free(p->env);
	mb_buf_free(&p->wire);
	free(p->headline);
	free(p->body);
	mb_text_tokens_free(p->tokens[0]);
	mb_text_tokens_free(p->tokens[1]);
	mb_buf_free(&p->topics);
	mb_buf_free(&p->packed);
	free(p);
}

const struct mb_envelope *
mb_prepared_envelope(const struct mb_prepared *p)
{
	return p->env;
}

static const struct keyring_entry *
find_key(const struct mb_ingest *ig, const char *id)
{
	for (size_t i = 0; i < ig->nkeys; i++)
		if (strcmp(ig->keys[i].id, id) == 0)
			return &ig->keys[i];
	return NULL;
}

/* Appends the text of every value in an array of {value} objects. */
static int
append_values(struct mb_buf *b, const json_t *arr, int html)
{
	size_t	 i;
	json_t	*o;

	json_array_foreach(arr, i, o) {
		const char *v = json_string_value(json_object_get(o, "value"));

		if (v == NULL)
			continue;
		if (b->len > 0 && mb_buf_putc(b, '\n') != MB_OK)
			return MB_ERR_NOMEM;
		if (html) {
			if (mb_text_from_html(v, strlen(v), b) != MB_OK)
				return MB_ERR_NOMEM;
		} else {
			/* Control bytes are no text (a body's lose them in
			 * mb_text_from_html); the highlighter's marks are
			 * among them, so kept they would mark words. */
			for (const char *c = v; *c != '\0'; c++) {
				unsigned char ch = (unsigned char)*c;

				if (mb_buf_putc(b, (ch < 0x20 && ch != '\t' &&
				    ch != '\n') || ch == 0x7f ? ' ' :
				    (char)ch) != MB_OK)
					return MB_ERR_NOMEM;
			}
		}
	}
	return MB_OK;
}

int
mb_ingest_text(const struct mb_envelope *e, char **headline, char **body,
    struct mb_diag *d)
{
	const json_t	*item = mb_envelope_item(e);
	struct mb_buf	 h = MB_BUF_INIT, b = MB_BUF_INIT;

	if (append_values(&h, json_object_get(item, "headlines"), 0) != MB_OK ||
	    append_values(&b, json_object_get(item, "descriptions"), 1) !=
	    MB_OK ||
	    append_values(&b, json_object_get(item, "bodies"), 1) != MB_OK) {
		mb_buf_free(&h);
		mb_buf_free(&b);
		return mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
	}
	*headline = mb_buf_steal(&h);
	*body = mb_buf_steal(&b);
	return MB_OK;
}

_Static_assert(MB_STORE_LANG_MAX > MB_LANG_TAG_MAX,
    "the store's language buffer holds any primary subtag");

int
mb_ingest_index_text(const char *envelope, size_t len, char **headline,
    char **body, char lang[MB_STORE_LANG_MAX])
{
	struct mb_envelope	*e;
	int			 rc;

	*headline = *body = NULL;
	lang[0] = '\0';
	if ((rc = mb_envelope_parse(envelope, len, &e, NULL)) != MB_OK)
		return rc;
	rc = mb_ingest_index_text_of(e, headline, body, lang);
	mb_envelope_free(e);
	return rc;
}

int
mb_ingest_index_text_of(const struct mb_envelope *e, char **headline,
    char **body, char lang[MB_STORE_LANG_MAX])
{
	const char	*tag;

	*headline = *body = NULL;
	/* index_language()'s choice, which import's index holds. */
	tag = mb_envelope_info(e)->language;
	if (tag == NULL || mb_lang_primary(tag, lang) == 0)
		lang[0] = '\0';
	return mb_ingest_text(e, headline, body, NULL);
}

static int pretokenize(struct mb_text_tokenizer *tk, const char *lang,
    const char *text, struct mb_text_tokens **out);

int
mb_ingest_tokens(struct mb_text_tokenizer *tk, const char *lang,
    const char *text, struct mb_text_tokens **out)
{
	return pretokenize(tk, lang != NULL && lang[0] != '\0' ? lang : NULL,
	    text, out);
}

/* The alias of an item without a uri: a hash of its canonical form. */
static int
item_alias(const json_t *item, char out[64], struct mb_diag *d)
{
	struct mb_buf	b = MB_BUF_INIT;
	unsigned char	h[16];
	int		rc;

	if ((rc = mb_jcs_dump(item, &b, d)) != MB_OK) {
		mb_buf_free(&b);
		return rc;
	}
	crypto_generichash(h, sizeof(h), (const unsigned char *)b.data, b.len,
	    NULL, 0);
	mb_buf_free(&b);
	memcpy(out, "item:", 5);
	sodium_bin2hex(out + 5, 64 - 5, h, sizeof(h));
	return MB_OK;
}

static int
set_string(json_t *o, const char *key, const char *value)
{
	if (json_object_set_new(o, key, json_string(value)) != 0)
		return MB_ERR_NOMEM;
	return MB_OK;
}

static pthread_mutex_t detect_mu = PTHREAD_MUTEX_INITIALIZER;

/* Completes an item of this center and wraps it in a signed envelope. */
static int
prepare_item(struct mb_ingest *ig, json_t *item,
    const struct mb_ingest_opts *o, struct mb_prepared *p,
    struct mb_diag *d)
{
	const char	*self = ig->node->conf.id;
	const char	*uri;
	char		 center[MB_CENTER_MAX + 1], local[MB_LOCAL_MAX + 1];
	char		 newuri[MB_URI_MAX], now[MB_TIME_RFC3339_LEN];
	json_t		*meta, *v;
	int		 detected = 0, rc;

	if ((v = json_object_get(item, "uri")) != NULL) {
		if ((uri = json_string_value(v)) == NULL)
			return mb_diag_set(d, MB_ERR_INVAL,
			    "uri: must be a string");
		if (mb_uri_parse(uri, center, local) != MB_OK)
			return mb_diag_set(d, MB_ERR_INVAL,
			    "uri: must be urn:mediabridge:<center>:<local> (or "
			    "left out, to have one minted): \"%.80s\"", uri);
		if (strcmp(center, self) != 0)
			return mb_diag_set(d, MB_ERR_PERM,
			    "uri: belongs to center %s, not %s; import %s's "
			    "signed envelope instead", center, self, center);
	} else {
		char lid[MB_LOCAL_LEN + 1];

		if ((rc = item_alias(item, p->alias, d)) != MB_OK)
			return rc;
		mb_local_id_mint(lid);
		if (mb_uri_make(newuri, sizeof(newuri), self, lid) != MB_OK ||
		    set_string(item, "uri", newuri) != MB_OK)
			return MB_ERR_NOMEM;
	}
	mb_time_format(o->now_ms, now);
	if (json_object_get(item, "version") == NULL &&
	    set_string(item, "version", "1") != MB_OK)
		return MB_ERR_NOMEM;
	if (json_object_get(item, "versionCreated") == NULL &&
	    set_string(item, "versionCreated", now) != MB_OK)
		return MB_ERR_NOMEM;
	if (json_object_get(item, "firstCreated") == NULL &&
	    json_is_string(json_object_get(item, "versionCreated")) &&
	    json_object_set(item, "firstCreated",
	    json_object_get(item, "versionCreated")) != 0)
		return MB_ERR_NOMEM;
	if (json_object_get(item, "language") == NULL) {
		struct mb_buf	 all = MB_BUF_INIT;
		const char	*lang;

		/* Detect from the same text the index will see. */
		if (append_values(&all, json_object_get(item, "headlines"),
		    0) != MB_OK ||
		    append_values(&all, json_object_get(item, "descriptions"),
		    1) != MB_OK ||
		    append_values(&all, json_object_get(item, "bodies"), 1) !=
		    MB_OK) {
			mb_buf_free(&all);
			return MB_ERR_NOMEM;
		}
		/* One detector, and import prepares on every core. */
		pthread_mutex_lock(&detect_mu);
		lang = mb_lang_detect(ig->lang, mb_buf_cstr(&all), all.len);
		pthread_mutex_unlock(&detect_mu);
		mb_buf_free(&all);
		if (strcmp(lang, "und") != 0) {
			if (set_string(item, "language", lang) != MB_OK)
				return MB_ERR_NOMEM;
			detected = 1;
		}
	}
	meta = json_pack("{s:s, s:s}", "origin", self, "audience",
	    o->audience != NULL ? o->audience : "public");
	if (meta == NULL)
		return MB_ERR_NOMEM;
	if (o->workflow != NULL && strcmp(o->workflow, "published") != 0)
		json_object_set_new(meta, "workflow", json_string(o->workflow));
	if (detected)
		json_object_set_new(meta, "languageDetected", json_true());
	if (o->translation != NULL)
		json_object_set_new(meta, "translation",
		    json_deep_copy(o->translation));
	if ((rc = mb_envelope_new(json_incref(item), meta, &p->env, d)) !=
	    MB_OK)
		return rc;
	if ((rc = mb_envelope_sign_dump(p->env, ig->node->key, &p->wire, d)) !=
	    MB_OK)
		return rc;
	/*
	 * What this center signs must be what every store, peer and verify
	 * accepts: an envelope over the limit is refused here, at the door,
	 * not stored and then refused everywhere else.
	 */
	if (p->wire.len > MB_ENVELOPE_MAX)
		return mb_diag_set(d, MB_ERR_TOOBIG, "the signed envelope "
		    "would be %zu bytes, over the limit of %u bytes (4 MiB); "
		    "shorten the text or put media in renditions",
		    p->wire.len, MB_ENVELOPE_MAX);
	return MB_OK;
}

static int
prepare_envelope(struct mb_ingest *ig, json_t *value, struct mb_prepared *p,
    struct mb_diag *d)
{
	const struct mb_item_info	*info;
	const struct keyring_entry	*k;
	int				 rc;

	if ((rc = mb_envelope_from_json(json_incref(value), &p->env, d)) !=
	    MB_OK)
		return rc;
	p->signed_in = true;
	info = mb_envelope_info(p->env);
	if ((k = find_key(ig, info->origin)) == NULL)
		return mb_diag_set(d, MB_ERR_PERM,
		    "meta.origin: center %s is unknown here", info->origin);
	if (strcmp(k->status, "revoked") == 0 &&
	    strcmp(info->origin, ig->node->conf.id) != 0)
		return mb_diag_set(d, MB_ERR_PERM,
		    "meta.origin: center %s is revoked", info->origin);
	return mb_envelope_verify_dump(p->env, k->pk, &p->wire, d);
}

/* The language the index stems an envelope's text in: lang, or NULL. */
static const char *
index_language(const struct mb_item_info *info, char lang[40])
{
	if (info->language != NULL && mb_lang_primary(info->language, lang))
		return lang;
	return NULL;
}

/*
 * Tokenizes the text as the store will hand it to the index: the marker
 * of the language, then the text (sqlite.c, index_item()).
 */
static int
pretokenize(struct mb_text_tokenizer *tk, const char *lang,
    const char *text, struct mb_text_tokens **out)
{
	struct mb_buf	b = MB_BUF_INIT;
	int		rc;

	if ((lang == NULL || ((rc = mb_buf_putc(&b, MB_TEXT_MARK)) ==
	    MB_OK && (rc = mb_buf_puts(&b, lang)) == MB_OK &&
	    (rc = mb_buf_putc(&b, MB_TEXT_MARK)) == MB_OK)) &&
	    (rc = mb_buf_puts(&b, text != NULL ? text : "")) == MB_OK)
		rc = mb_text_tokens_new(tk, b.data, b.len, out);
	mb_buf_free(&b);
	return rc;
}

int
mb_ingest_prepare(struct mb_ingest *ig, json_t *value,
    const struct mb_ingest_opts *o, struct mb_prepared **out,
    struct mb_diag *d)
{
	struct mb_ingest_opts	 def;
	struct mb_prepared	*p;
	int			 rc;

	if (o == NULL) {
		memset(&def, 0, sizeof(def));
		o = &def;
	}
	if (o->now_ms == 0) {
		def = *o;
		def.now_ms = mb_time_now_ms();
		o = &def;
	}
	if (!json_is_object(value)) {
		json_decref(value);
		return mb_diag_set(d, MB_ERR_INVAL,
		    "not a JSON object (an item or an envelope)");
	}
	if ((p = calloc(1, sizeof(*p))) == NULL) {
		json_decref(value);
		return MB_ERR_NOMEM;
	}
	if (json_object_get(value, "signature") != NULL ||
	    (json_object_get(value, "item") != NULL &&
	    json_object_get(value, "meta") != NULL))
		rc = prepare_envelope(ig, value, p, d);
	else
		rc = prepare_item(ig, value, o, p, d);
	json_decref(value);
	if (rc == MB_OK)
		rc = mb_ingest_text(p->env, &p->headline, &p->body, d);
	if (rc == MB_OK) {
		const json_t *subj = json_object_get(mb_envelope_item(p->env),
		    "subjects");

		/*
		 * The store's topics, so that the writer neither parses the
		 * envelope for them nor derives them (an odd shape: left to
		 * the store).
		 */
		if (subj == NULL)
			rc = mb_buf_putc(&p->topics, '\0');
		else if ((rc = mb_item_topics(subj, &p->topics)) ==
		    MB_ERR_INVAL)
			rc = MB_OK;
		if (rc != MB_OK)
			rc = mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
	}
	if (rc == MB_OK && o->pretokenize != NULL) {
		char		 lang[40];
		const char	*l = index_language(mb_envelope_info(p->env),
		    lang);

		if ((rc = pretokenize(o->pretokenize, l, p->headline,
		    &p->tokens[0])) != MB_OK ||
		    (rc = pretokenize(o->pretokenize, l, p->body,
		    &p->tokens[1])) != MB_OK)
			rc = mb_diag_set(d, rc, "out of memory");
	}
	/* Best effort: without it the writer compresses. */
	if (rc == MB_OK && ig->packer != NULL &&
	    mb_zenv_packer_pack(ig->packer, p->wire.data, p->wire.len,
	    &p->packed, NULL) != MB_OK)
		mb_buf_reset(&p->packed);
	if (rc != MB_OK) {
		mb_prepared_free(p);
		return rc;
	}
	*out = p;
	return MB_OK;
}

struct stored {
	const struct mb_prepared	*p;
	bool				*same;
	struct mb_diag			*d;
};

/* An item less the times import fills in when its input leaves them out. */
static json_t *
without_times(const json_t *item)
{
	json_t *c = json_copy((json_t *)item);

	if (c != NULL) {
		json_object_del(c, "versionCreated");
		json_object_del(c, "firstCreated");
	}
	return c;
}

static int
same_cb(const struct mb_store_version *v, void *arg)
{
	struct stored		*s = arg;
	struct mb_envelope	*e = NULL;
	json_t			*a = NULL, *b = NULL;
	int			 rc;

	if (s->p->signed_in) {
		/* Its origin signed both: one version, two contents. */
		*s->same = v->envelope_len == s->p->wire.len &&
		    memcmp(v->envelope, s->p->wire.data, v->envelope_len) == 0;
		return MB_OK;
	}
	if ((rc = mb_envelope_parse(v->envelope, v->envelope_len, &e,
	    s->d)) != MB_OK)
		return rc;
	if ((a = without_times(mb_envelope_item(e))) == NULL ||
	    (b = without_times(mb_envelope_item(s->p->env))) == NULL)
		rc = mb_diag_set(s->d, MB_ERR_NOMEM, "out of memory");
	else
		*s->same = json_equal(a, b) && json_equal(
		    (json_t *)mb_envelope_meta(e),
		    (json_t *)mb_envelope_meta(s->p->env));
	json_decref(a);
	json_decref(b);
	mb_envelope_free(e);
	return rc;
}

int
mb_ingest_duplicate_check(struct mb_store *st, const struct mb_prepared *p,
    struct mb_diag *d)
{
	const struct mb_item_info	*info = mb_envelope_info(p->env);
	bool				 same = false;
	struct stored			 s = { p, &same, d };
	int				 rc;

	/* Found by its content's hash (no uri given): the same content. */
	if (p->alias[0] != '\0')
		return MB_OK;
	if ((rc = mb_store_get(st, info->uri, info->version, same_cb, &s,
	    d)) != MB_OK)
		return rc;
	if (same)
		return MB_OK;
	if (p->signed_in)
		return mb_diag_set(d, MB_ERR_CONFLICT, "%s version %lld: "
		    "%s signed two different contents under this version; "
		    "the one stored is kept", info->uri,
		    (long long)info->version, info->origin);
	return mb_diag_set(d, MB_ERR_CONFLICT, "%s version %lld is already "
	    "stored with different content: a stored version never "
	    "changes; give the changed item \"version\": \"%lld\"",
	    info->uri, (long long)info->version,
	    (long long)info->version + 1);
}

int
mb_ingest_commit(struct mb_ingest *ig, struct mb_store *st,
    const struct mb_prepared *p, bool index, struct mb_ingest_result *r,
    struct mb_diag *d)
{
	const struct mb_item_info	*info = mb_envelope_info(p->env);
	struct mb_store_version		 v;
	struct mb_store_text		 t;
	struct mb_buf			 known = MB_BUF_INIT;
	char				 lang[40];
	int				 rc;

	(void)ig;
	memset(r, 0, sizeof(*r));
	snprintf(r->uri, sizeof(r->uri), "%s", info->uri);
	r->version = info->version;
	if (p->alias[0] != '\0') {
		rc = mb_store_alias_get(st, p->alias, &known, d);
		if (rc == MB_OK) {
			snprintf(r->uri, sizeof(r->uri), "%s",
			    mb_buf_cstr(&known));
			r->duplicate = true;
			mb_buf_free(&known);
			return MB_OK;
		}
		mb_buf_free(&known);
		if (rc != MB_ERR_NOTFOUND)
			return rc;
	}
	memset(&v, 0, sizeof(v));
	v.uri = info->uri;
	v.center = info->center;
	v.local = info->local;
	v.version = info->version;
	v.origin = info->origin;
	v.audience = info->audience;
	v.pub_status = info->pub_status;
	v.workflow = info->workflow;
	v.language = info->language;
	v.type = info->type;
	v.profile = info->profile;
	v.headline = info->headline;
	v.embargo_ms = info->embargo_ms;
	v.created_ms = info->created_ms;
	v.first_ms = info->first_ms;
	v.envelope = p->wire.data;
	v.envelope_len = p->wire.len;
	v.packed = p->packed.len > 0 ? p->packed.data : NULL;
	v.packed_len = p->packed.len;
	v.topics = p->topics.len > 0 ? p->topics.data : NULL;
	t.language = index_language(info, lang);
	t.headline = p->headline;
	t.body = p->body;
	if (index)
		mb_text_tokens_offer((const struct mb_text_tokens *const *)
		    p->tokens, 2);
	rc = mb_store_put(st, &v, index ? &t : NULL, &r->seq, d);
	mb_text_tokens_offer(NULL, 0);
	if (rc == MB_ERR_EXISTS) {
		r->duplicate = true;
		return MB_OK;
	}
	if (rc != MB_OK)
		return rc;
	if (p->alias[0] != '\0')
		return mb_store_alias_put(st, p->alias, info->uri, d);
	return MB_OK;
}
