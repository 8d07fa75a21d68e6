/* SPDX-License-Identifier: MIT */
/* Envelopes: checking, canonical bytes, signing and verifying. */
#include "envelope.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "base/timeutil.h"
#include "item/jcs.h"
#include "item/json.h"
#include "item/ninjs.h"

struct mb_envelope {
	json_t			*item;
	json_t			*meta;
	bool			 is_signed;
	uint8_t			 sig[MB_SIG_LEN];
	struct mb_item_info	 info;
};

/* 2^53 - 1: versions must survive any JSON number handling. */
#define VERSION_MAX 9007199254740991LL

static int
parse_version(const char *s, int64_t *out)
{
	int64_t v = 0;

	if (s == NULL || s[0] < '1' || s[0] > '9')
		return MB_ERR_INVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return MB_ERR_INVAL;
		v = v * 10 + (*s - '0');
		if (v > VERSION_MAX)
			return MB_ERR_INVAL;
	}
	*out = v;
	return MB_OK;
}

/* A BCP 47 tag, loosely: 2-3 letters, then subtags of 1-8 alphanumerics. */
static bool
language_tag_valid(const char *s)
{
	size_t n = 0;

	while (isalpha((unsigned char)s[n]))
		n++;
	if (n < 2 || n > 3)
		return false;
	s += n;
	while (*s == '-') {
		s++;
		for (n = 0; isalnum((unsigned char)s[n]); n++)
			;
		if (n < 1 || n > 8)
			return false;
		s += n;
	}
	return *s == '\0';
}

static const char *
str_member(const json_t *o, const char *name)
{
	return json_string_value(json_object_get(o, name));
}

/*
 * A whole number from 2^53 up, as a JSON real, prints canonically as
 * digits that parse back as an integer out of range: what was signed
 * could not be read again. I-JSON (RFC 7493) leaves such numbers out.
 */
static int
numbers_safe(const json_t *v, int depth)
{
	const char	*key;
	json_t		*e;
	size_t		 i;
	double		 x;

	if (depth > 64)
		return 0;
	switch (json_typeof(v)) {
	case JSON_REAL:
		x = json_real_value(v);
		return x < 9007199254740992.0 && x > -9007199254740992.0;
	case JSON_OBJECT:
		json_object_foreach((json_t *)v, key, e)
			if (!numbers_safe(e, depth + 1))
				return 0;
		return 1;
	case JSON_ARRAY:
		json_array_foreach(v, i, e)
			if (!numbers_safe(e, depth + 1))
				return 0;
		return 1;
	default:
		return 1;
	}
}

/* Reads the facts mb_item_info carries; the item passed its checks. */
static int
item_facts(const json_t *item, struct mb_item_info *info, struct mb_diag *d)
{
	const char	*s;
	const json_t	*h;

	memset(info, 0, sizeof(*info));
	if (!numbers_safe(item, 0))
		return mb_diag_set(d, MB_ERR_INVAL,
		    "item: a number is too large for I-JSON (at most 2^53)");
	info->uri = str_member(item, "uri");
	if (info->uri == NULL)
		return mb_diag_set(d, MB_ERR_INVAL, "uri: missing");
	if (mb_uri_parse(info->uri, info->center, info->local) != MB_OK)
		return mb_diag_set(d, MB_ERR_INVAL,
		    "uri: must be urn:mediabridge:<center>:<local>, not "
		    "\"%.80s\"", info->uri);
	if ((s = str_member(item, "version")) == NULL)
		return mb_diag_set(d, MB_ERR_INVAL, "version: missing");
	if (parse_version(s, &info->version) != MB_OK)
		return mb_diag_set(d, MB_ERR_INVAL,
		    "version: must be a whole number 1, 2, ... as a string, "
		    "not \"%.40s\"", s);
	if ((s = str_member(item, "versionCreated")) == NULL)
		return mb_diag_set(d, MB_ERR_INVAL, "versionCreated: missing");
	if (mb_time_parse(s, &info->created_ms) != MB_OK)
		return mb_diag_set(d, MB_ERR_INVAL,
		    "versionCreated: not an RFC 3339 date-time");
	info->first_ms = info->created_ms;
	if ((s = str_member(item, "firstCreated")) != NULL &&
	    mb_time_parse(s, &info->first_ms) != MB_OK)
		return mb_diag_set(d, MB_ERR_INVAL,
		    "firstCreated: not an RFC 3339 date-time");
	if ((s = str_member(item, "embargoedUntil")) != NULL &&
	    mb_time_parse(s, &info->embargo_ms) != MB_OK)
		return mb_diag_set(d, MB_ERR_INVAL,
		    "embargoedUntil: not an RFC 3339 date-time");
	info->pub_status = str_member(item, "pubStatus");
	if (info->pub_status == NULL)
		info->pub_status = "usable";
	info->language = str_member(item, "language");
	if (info->language != NULL && !language_tag_valid(info->language))
		return mb_diag_set(d, MB_ERR_INVAL,
		    "language: not a BCP 47 language tag: \"%.40s\"",
		    info->language);
	info->type = str_member(item, "type");
	info->profile = str_member(item, "profile");
	h = json_array_get(json_object_get(item, "headlines"), 0);
	info->headline = str_member(h, "value");
	return MB_OK;
}

int
mb_item_check(const json_t *item, struct mb_diag *d)
{
	struct mb_item_info info;
	int rc;

	if (!json_is_object(item))
		return mb_diag_set(d, MB_ERR_INVAL, "item: must be an object");
	if ((rc = mb_ninjs_validate(item, d)) != MB_OK)
		return rc;
	return item_facts(item, &info, d);
}

static bool
one_of(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(s, *list) == 0)
			return true;
	return false;
}

/*
 * The provenance of a translation (docs/translation.md): the original
 * and its version, who made it (human, machine, or machine+human once a
 * translator edited the machine's draft), the engine, pair, pivot and
 * engine version, when, the center whose engine served it (via), and
 * who reviewed it when it was published.
 */
static int
check_translation_field(const char *key, const json_t *v, struct mb_diag *d)
{
	static const char *const strs[] = { "of", "by", "engine", "pair",
		"pivot", "engineVersion", "at", "via", "reviewedBy",
		"reviewedAt", NULL };

	if (strcmp(key, "ofVersion") == 0) {
		if (!json_is_integer(v) || json_integer_value(v) < 1)
			return mb_diag_set(d, MB_ERR_INVAL, "meta.translation."
			    "ofVersion: must be a version number (1, 2, ...)");
		return MB_OK;
	}
	if (!one_of(key, strs))
		return mb_diag_set(d, MB_ERR_INVAL,
		    "meta.translation.%.60s: not a field", key);
	if (!json_is_string(v) || json_string_length(v) > 256)
		return mb_diag_set(d, MB_ERR_INVAL, "meta.translation.%s: must "
		    "be a string of at most 256 bytes", key);
	return MB_OK;
}

static int
check_meta(const json_t *meta, struct mb_item_info *info, struct mb_diag *d)
{
	static const char *const audiences[] = { "public", "network",
		"internal", NULL };
	static const char *const workflows[] = { "draft", "submitted",
		"published", NULL };
	static const char *const bys[] = { "human", "machine",
		"machine+human", NULL };
	const char	*key, *s;
	const json_t	*v, *tr;
	int		 rc;

	if (!json_is_object(meta))
		return mb_diag_set(d, MB_ERR_INVAL, "meta: must be an object");
	json_object_foreach((json_t *)meta, key, v) {
		if (strcmp(key, "origin") != 0 && strcmp(key, "audience") != 0 &&
		    strcmp(key, "translation") != 0 &&
		    strcmp(key, "workflow") != 0 &&
		    strcmp(key, "languageDetected") != 0)
			return mb_diag_set(d, MB_ERR_INVAL,
			    "meta.%.60s: not a mediabridge meta field", key);
	}
	if ((info->origin = str_member(meta, "origin")) == NULL)
		return mb_diag_set(d, MB_ERR_INVAL,
		    "meta.origin: missing (the id of the center that signs)");
	if (strcmp(info->origin, info->center) != 0)
		return mb_diag_set(d, MB_ERR_INVAL,
		    "meta.origin: \"%.32s\" is not the center of the uri "
		    "(\"%s\")", info->origin, info->center);
	if ((info->audience = str_member(meta, "audience")) == NULL)
		return mb_diag_set(d, MB_ERR_INVAL, "meta.audience: missing");
	if (!one_of(info->audience, audiences))
		return mb_diag_set(d, MB_ERR_INVAL,
		    "meta.audience: must be one of public, network, internal");
	info->workflow = "published";
	if ((v = json_object_get(meta, "workflow")) != NULL) {
		if ((s = json_string_value(v)) == NULL || !one_of(s, workflows))
			return mb_diag_set(d, MB_ERR_INVAL,
			    "meta.workflow: must be one of draft, submitted, "
			    "published");
		info->workflow = s;
	}
	if ((v = json_object_get(meta, "languageDetected")) != NULL &&
	    !json_is_boolean(v))
		return mb_diag_set(d, MB_ERR_INVAL,
		    "meta.languageDetected: must be true or false");
	if ((tr = json_object_get(meta, "translation")) != NULL) {
		char c[MB_CENTER_MAX + 1], l[MB_LOCAL_MAX + 1];

		if (!json_is_object(tr))
			return mb_diag_set(d, MB_ERR_INVAL,
			    "meta.translation: must be an object");
		json_object_foreach((json_t *)tr, key, v) {
			if ((rc = check_translation_field(key, v, d)) != MB_OK)
				return rc;
		}
		s = str_member(tr, "of");
		if (s == NULL || mb_uri_parse(s, c, l) != MB_OK)
			return mb_diag_set(d, MB_ERR_INVAL,
			    "meta.translation.of: must be the uri of the "
			    "original item");
		s = str_member(tr, "by");
		if (s == NULL || !one_of(s, bys))
			return mb_diag_set(d, MB_ERR_INVAL,
			    "meta.translation.by: must be human, machine or "
			    "machine+human");
	}
	return MB_OK;
}

static int
envelope_check(struct mb_envelope *e, struct mb_diag *d)
{
	int rc;

	if (!json_is_object(e->item))
		return mb_diag_set(d, MB_ERR_INVAL, "item: must be an object");
	if ((rc = mb_ninjs_validate(e->item, d)) != MB_OK)
		return rc;
	if ((rc = item_facts(e->item, &e->info, d)) != MB_OK)
		return rc;
	return check_meta(e->meta, &e->info, d);
}

int
mb_envelope_new(json_t *item, json_t *meta, struct mb_envelope **out,
    struct mb_diag *d)
{
	struct mb_envelope	*e;
	int			 rc;

	if ((e = calloc(1, sizeof(*e))) == NULL) {
		json_decref(item);
		json_decref(meta);
		return MB_ERR_NOMEM;
	}
	e->item = item;
	e->meta = meta;
	if ((rc = envelope_check(e, d)) != MB_OK) {
		mb_envelope_free(e);
		return rc;
	}
	*out = e;
	return MB_OK;
}

int
mb_envelope_from_json(json_t *root, struct mb_envelope **out,
    struct mb_diag *d)
{
	struct mb_envelope	*e;
	json_t			*v;
	const char		*key, *sig;
	int			 rc;

	if (!json_is_object(root)) {
		json_decref(root);
		return mb_diag_set(d, MB_ERR_INVAL,
		    "envelope: must be an object");
	}
	json_object_foreach(root, key, v) {
		if (strcmp(key, "item") != 0 && strcmp(key, "meta") != 0 &&
		    strcmp(key, "signature") != 0) {
			mb_diag_set(d, MB_ERR_INVAL,
			    "%.60s: not an envelope field (item, meta, "
			    "signature)", key);
			json_decref(root);
			return MB_ERR_INVAL;
		}
	}
	if ((e = calloc(1, sizeof(*e))) == NULL) {
		json_decref(root);
		return MB_ERR_NOMEM;
	}
	e->item = json_incref(json_object_get(root, "item"));
	e->meta = json_incref(json_object_get(root, "meta"));
	sig = str_member(root, "signature");
	if (e->item == NULL) {
		rc = mb_diag_set(d, MB_ERR_INVAL, "item: missing");
		goto fail;
	}
	if (e->meta == NULL) {
		rc = mb_diag_set(d, MB_ERR_INVAL, "meta: missing");
		goto fail;
	}
	if (sig == NULL || mb_sig_parse(sig, e->sig) != MB_OK) {
		rc = mb_diag_set(d, MB_ERR_INVAL, "signature: %s",
		    sig == NULL ? "missing" : "not 64 bytes of base64");
		goto fail;
	}
	e->is_signed = true;
	if ((rc = envelope_check(e, d)) != MB_OK)
		goto fail;
	json_decref(root);
	*out = e;
	return MB_OK;
fail:
	json_decref(root);
	mb_envelope_free(e);
	return rc;
}

int
mb_envelope_parse(const char *buf, size_t len, struct mb_envelope **out,
    struct mb_diag *d)
{
	json_t		*root;
	json_error_t	 jerr;

	if (len > MB_ENVELOPE_MAX)
		return mb_diag_set(d, MB_ERR_TOOBIG,
		    "envelope larger than %u bytes", MB_ENVELOPE_MAX);
	root = mb_json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL)
		return mb_diag_set(d, MB_ERR_INVAL, "not JSON: %s at line %d",
		    jerr.text, jerr.line);
	return mb_envelope_from_json(root, out, d);
}

void
mb_envelope_free(struct mb_envelope *e)
{
	if (e == NULL)
		return;
	json_decref(e->item);
	json_decref(e->meta);
	free(e);
}

/* JCS({item, meta}): keys "item" < "meta", so it is simply this. */
static int
signed_bytes(const struct mb_envelope *e, struct mb_buf *out,
    struct mb_diag *d)
{
	int rc;

	if ((rc = mb_buf_puts(out, "{\"item\":")) != MB_OK ||
	    (rc = mb_jcs_dump(e->item, out, d)) != MB_OK ||
	    (rc = mb_buf_puts(out, ",\"meta\":")) != MB_OK ||
	    (rc = mb_jcs_dump(e->meta, out, d)) != MB_OK ||
	    (rc = mb_buf_putc(out, '}')) != MB_OK)
		return rc;
	return MB_OK;
}

int
mb_envelope_signed_bytes(const struct mb_envelope *e, struct mb_buf *out,
    struct mb_diag *d)
{
	return signed_bytes(e, out, d);
}

int
mb_envelope_sign(struct mb_envelope *e, const struct mb_key *k,
    struct mb_diag *d)
{
	struct mb_buf	b = MB_BUF_INIT;
	int		rc;

	if ((rc = signed_bytes(e, &b, d)) == MB_OK &&
	    (rc = mb_key_sign_as(k, MB_SIGN_ENVELOPE, b.data, b.len, e->sig,
	    d)) == MB_OK)
		e->is_signed = true;
	mb_buf_free(&b);
	return rc;
}

int
mb_envelope_verify(const struct mb_envelope *e,
    const uint8_t pk[MB_PUBKEY_LEN], struct mb_diag *d)
{
	struct mb_buf	b = MB_BUF_INIT;
	int		rc;

	if (!e->is_signed)
		return mb_diag_set(d, MB_ERR_SIG, "envelope is not signed");
	if ((rc = signed_bytes(e, &b, d)) == MB_OK &&
	    !mb_sig_verify(pk, b.data, b.len, e->sig))
		rc = mb_diag_set(d, MB_ERR_SIG,
		    "%s version %lld: signature does not verify with the key "
		    "of %s", e->info.uri, (long long)e->info.version,
		    e->info.origin);
	mb_buf_free(&b);
	return rc;
}

/*
 * Turns the signed bytes at the end of out into the wire form: JCS of
 * {item, meta, signature}, whose keys already sort so.
 */
static int
add_signature(const struct mb_envelope *e, struct mb_buf *out)
{
	char	sig[MB_SIG_TEXT_LEN];
	int	rc;

	mb_sig_format(e->sig, sig);
	out->len--; /* reopen the object: drop its closing brace */
	if ((rc = mb_buf_puts(out, ",\"signature\":\"")) != MB_OK ||
	    (rc = mb_buf_puts(out, sig)) != MB_OK ||
	    (rc = mb_buf_puts(out, "\"}")) != MB_OK)
		return rc;
	return MB_OK;
}

int
mb_envelope_dump(const struct mb_envelope *e, struct mb_buf *out,
    struct mb_diag *d)
{
	int	rc;

	if (!e->is_signed)
		return mb_diag_set(d, MB_ERR_INVAL, "envelope is not signed");
	if ((rc = signed_bytes(e, out, d)) != MB_OK)
		return rc;
	return add_signature(e, out);
}

int
mb_envelope_sign_dump(struct mb_envelope *e, const struct mb_key *k,
    struct mb_buf *out, struct mb_diag *d)
{
	size_t	start = out->len;
	int	rc;

	if ((rc = signed_bytes(e, out, d)) != MB_OK ||
	    (rc = mb_key_sign_as(k, MB_SIGN_ENVELOPE, out->data + start,
	    out->len - start, e->sig, d)) != MB_OK)
		return rc;
	e->is_signed = true;
	return add_signature(e, out);
}

int
mb_envelope_verify_dump(const struct mb_envelope *e,
    const uint8_t pk[MB_PUBKEY_LEN], struct mb_buf *out, struct mb_diag *d)
{
	size_t	start = out->len;
	int	rc;

	if (!e->is_signed)
		return mb_diag_set(d, MB_ERR_SIG, "envelope is not signed");
	if ((rc = signed_bytes(e, out, d)) != MB_OK)
		return rc;
	if (!mb_sig_verify(pk, out->data + start, out->len - start, e->sig))
		return mb_diag_set(d, MB_ERR_SIG,
		    "%s version %lld: signature does not verify with the key "
		    "of %s", e->info.uri, (long long)e->info.version,
		    e->info.origin);
	return add_signature(e, out);
}

const json_t *
mb_envelope_item(const struct mb_envelope *e)
{
	return e->item;
}

const json_t *
mb_envelope_meta(const struct mb_envelope *e)
{
	return e->meta;
}

const struct mb_item_info *
mb_envelope_info(const struct mb_envelope *e)
{
	return &e->info;
}

bool
mb_envelope_is_signed(const struct mb_envelope *e)
{
	return e->is_signed;
}
