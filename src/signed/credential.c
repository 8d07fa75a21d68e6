/* SPDX-License-Identifier: MIT */
/* Open Badges 3.0 credentials: issued, signed, verified offline. */
#include "signed/credential.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "base/timeutil.h"
#include "signed/multibase.h"
#include "signed/proof.h"
#include "signed/signed_int.h"

#define refuse mb_signed__refuse
#define set_str mb_signed__set_str
#define set_time mb_signed__set_time
#define str mb_signed__str

/* A random version 4 UUID as "urn:uuid:...". */
static void
urn_uuid(char out[48])
{
	uint8_t u[16];

	randombytes_buf(u, sizeof(u));
	u[6] = (uint8_t)((u[6] & 0x0f) | 0x40);
	u[8] = (uint8_t)((u[8] & 0x3f) | 0x80);
	snprintf(out, 48, "urn:uuid:%02x%02x%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x-%02x%02x%02x%02x%02x%02x", u[0], u[1], u[2], u[3], u[4],
	    u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13], u[14],
	    u[15]);
}

/* "sha256$" and the hex SHA-256 of name followed by salt (OB IdentityHash). */
static void
identity_hash(const char *name, const char *salt, char out[72])
{
	crypto_hash_sha256_state	st;
	uint8_t				h[32];

	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, (const uint8_t *)name, strlen(name));
	crypto_hash_sha256_update(&st, (const uint8_t *)salt, strlen(salt));
	crypto_hash_sha256_final(&st, h);
	memcpy(out, "sha256$", 7);
	sodium_bin2hex(out + 7, 65, h, sizeof(h));
}

static json_t *
type_list(const char *a, const char *b)
{
	json_t *t = json_array();

	if (t == NULL)
		return NULL;
	json_array_append_new(t, json_string(a));
	if (b != NULL)
		json_array_append_new(t, json_string(b));
	return t;
}

static int
required(const char *v, const char *field, struct mb_diag *d)
{
	if (v == NULL || v[0] == '\0')
		return mb_diag_set(d, MB_ERR_INVAL, "%s is required", field);
	return MB_OK;
}

static int
build_subject(const struct mb_badge *b, json_t *cs, struct mb_diag *d)
{
	json_t	*ids, *io, *ach, *crit;
	char	 salt[33], hash[72];
	uint8_t	 rnd[16];
	int	 rc;

	if ((rc = set_str(cs, "id", b->subject_id, d)) != MB_OK)
		return rc;
	json_object_set_new(cs, "type", type_list("AchievementSubject", NULL));
	if (b->subject_name != NULL) {
		ids = json_array();
		io = json_object();
		if (ids == NULL || io == NULL ||
		    json_array_append_new(ids, io) != 0 ||
		    json_object_set_new(cs, "identifier", ids) != 0)
			return MB_ERR_NOMEM;
		json_object_set_new(io, "type", json_string("IdentityObject"));
		json_object_set_new(io, "identityType", json_string("name"));
		json_object_set_new(io, "hashed",
		    json_boolean(b->subject_hashed));
		if (b->subject_hashed) {
			const char *s = b->subject_salt;

			if (s == NULL) {
				randombytes_buf(rnd, sizeof(rnd));
				sodium_bin2hex(salt, sizeof(salt), rnd,
				    sizeof(rnd));
				s = salt;
			}
			identity_hash(b->subject_name, s, hash);
			if ((rc = set_str(io, "identityHash", hash, d)) !=
			    MB_OK || (rc = set_str(io, "salt", s, d)) != MB_OK)
				return rc;
		} else if ((rc = set_str(io, "identityHash", b->subject_name,
		    d)) != MB_OK) {
			mb_diag_prefix(d, "subject name");
			return rc;
		}
	}
	if (b->activity_start_ms != 0 &&
	    (rc = set_time(cs, "activityStartDate", b->activity_start_ms)) !=
	    MB_OK)
		return rc;
	if (b->activity_end_ms != 0 &&
	    (rc = set_time(cs, "activityEndDate", b->activity_end_ms)) !=
	    MB_OK)
		return rc;

	if ((ach = json_object()) == NULL ||
	    json_object_set_new(cs, "achievement", ach) != 0)
		return MB_ERR_NOMEM;
	if ((rc = set_str(ach, "id", b->achievement_id, d)) != MB_OK)
		return rc;
	json_object_set_new(ach, "type", type_list("Achievement", NULL));
	if ((rc = set_str(ach, "achievementType", b->achievement_type, d)) !=
	    MB_OK ||
	    (rc = set_str(ach, "name", b->achievement_name, d)) != MB_OK ||
	    (rc = set_str(ach, "description", b->achievement_description,
	    d)) != MB_OK ||
	    (rc = set_str(ach, "inLanguage", b->language, d)) != MB_OK)
		return rc;
	if ((crit = json_object()) == NULL ||
	    json_object_set_new(ach, "criteria", crit) != 0)
		return MB_ERR_NOMEM;
	if ((rc = set_str(crit, "id", b->criteria_id, d)) != MB_OK ||
	    (rc = set_str(crit, "narrative", b->criteria_narrative, d)) !=
	    MB_OK)
		return rc;
	return MB_OK;
}

int
mb_credential_issue(const struct mb_badge *b, const struct mb_key *k,
    json_t **out, struct mb_diag *d)
{
	struct mb_proof_opts	 po;
	char			 uuid[48], did[MB_DIDKEY_LEN], idx[24];
	char			 entry[2048];
	uint8_t			 pk[MB_PUBKEY_LEN];
	json_t			*doc, *ctx, *iss, *cs, *st;
	int64_t			 from;
	int			 rc;

	if ((rc = required(b->name, "name", d)) != MB_OK ||
	    (rc = required(b->issuer_name, "issuer name", d)) != MB_OK ||
	    (rc = required(b->achievement_id, "achievement id", d)) != MB_OK ||
	    (rc = required(b->achievement_name, "achievement name", d)) !=
	    MB_OK ||
	    (rc = required(b->achievement_description,
	    "achievement description", d)) != MB_OK)
		return rc;
	if ((b->criteria_narrative == NULL || !b->criteria_narrative[0]) &&
	    (b->criteria_id == NULL || !b->criteria_id[0]))
		return mb_diag_set(d, MB_ERR_INVAL,
		    "criteria: give a narrative or a URL");
	if ((b->subject_id == NULL || !b->subject_id[0]) &&
	    (b->subject_name == NULL || !b->subject_name[0]))
		return mb_diag_set(d, MB_ERR_INVAL,
		    "subject: give the person's name or id");
	from = b->valid_from_ms != 0 ? b->valid_from_ms : mb_time_now_ms();
	if (b->valid_until_ms != 0 && b->valid_until_ms < from)
		return mb_diag_set(d, MB_ERR_INVAL,
		    "validUntil is before validFrom");
	mb_key_public(k, pk);
	mb_didkey_format(pk, did);

	if ((doc = json_object()) == NULL)
		return MB_ERR_NOMEM;
	ctx = type_list(MB_VC_CONTEXT, MB_OB_CONTEXT);
	json_object_set_new(doc, "@context", ctx);
	if (b->id == NULL)
		urn_uuid(uuid);
	if ((rc = set_str(doc, "id", b->id ? b->id : uuid, d)) != MB_OK)
		goto fail;
	json_object_set_new(doc, "type", type_list("VerifiableCredential",
	    "OpenBadgeCredential"));

	if ((iss = json_object()) == NULL ||
	    json_object_set_new(doc, "issuer", iss) != 0) {
		rc = MB_ERR_NOMEM;
		goto fail;
	}
	if ((rc = set_str(iss, "id", b->issuer_id ? b->issuer_id : did, d)) !=
	    MB_OK)
		goto fail;
	json_object_set_new(iss, "type", type_list("Profile", NULL));
	if ((rc = set_str(iss, "name", b->issuer_name, d)) != MB_OK ||
	    (rc = set_str(iss, "url", b->issuer_url, d)) != MB_OK)
		goto fail;

	if ((rc = set_time(doc, "validFrom", from)) != MB_OK ||
	    (b->valid_until_ms != 0 &&
	    (rc = set_time(doc, "validUntil", b->valid_until_ms)) != MB_OK))
		goto fail;
	if ((rc = set_str(doc, "name", b->name, d)) != MB_OK ||
	    (rc = set_str(doc, "description", b->description, d)) != MB_OK)
		goto fail;
	if ((cs = json_object()) == NULL ||
	    json_object_set_new(doc, "credentialSubject", cs) != 0) {
		rc = MB_ERR_NOMEM;
		goto fail;
	}
	if ((rc = build_subject(b, cs, d)) != MB_OK)
		goto fail;

	if (b->status_list != NULL) {
		if (b->status_index >= MB_STATUS_LIST_MAX) {
			rc = mb_diag_set(d, MB_ERR_INVAL, "status index %llu "
			    "is beyond any status list",
			    (unsigned long long)b->status_index);
			goto fail;
		}
		snprintf(idx, sizeof(idx), "%llu",
		    (unsigned long long)b->status_index);
		if ((size_t)snprintf(entry, sizeof(entry), "%s#%s",
		    b->status_list, idx) >= sizeof(entry)) {
			rc = mb_diag_set(d, MB_ERR_INVAL,
			    "status list URL is too long");
			goto fail;
		}
		if ((st = json_object()) == NULL ||
		    json_object_set_new(doc, "credentialStatus", st) != 0) {
			rc = MB_ERR_NOMEM;
			goto fail;
		}
		if ((rc = set_str(st, "id", entry, d)) != MB_OK)
			goto fail;
		json_object_set_new(st, "type",
		    json_string("BitstringStatusListEntry"));
		json_object_set_new(st, "statusPurpose",
		    json_string("revocation"));
		json_object_set_new(st, "statusListIndex", json_string(idx));
		if ((rc = set_str(st, "statusListCredential", b->status_list,
		    d)) != MB_OK)
			goto fail;
	}

	po.verification_method = b->verification_method;
	po.created_ms = b->created_ms != 0 ? b->created_ms : mb_time_now_ms();
	po.proof_purpose = NULL;
	if ((rc = mb_proof_sign(doc, k, &po, d)) != MB_OK)
		goto fail;
	*out = doc;
	return MB_OK;
fail:
	json_decref(doc);
	return rc;
}

int
mb_credential_text(const json_t *doc, char **out)
{
	char	*text, *nl;
	size_t	 n;

	if ((text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER)) ==
	    NULL)
		return MB_ERR_NOMEM;
	n = strlen(text);
	if ((nl = realloc(text, n + 2)) == NULL) {
		free(text);
		return MB_ERR_NOMEM;
	}
	nl[n] = '\n';
	nl[n + 1] = '\0';
	*out = nl;
	return MB_OK;
}

/* The Open Badges context: context.json or context-3.x.y.json. */
static int
ob_context(const char *s)
{
	static const char base[] =
	    "https://purl.imsglobal.org/spec/ob/v3p0/context";
	size_t n = sizeof(base) - 1;

	if (s == NULL || strncmp(s, base, n) != 0)
		return 0;
	s += n;
	if (strcmp(s, ".json") == 0)
		return 1;
	return s[0] == '-' && s[1] == '3' && s[2] == '.' &&
	    isdigit((unsigned char)s[3]) && s[4] == '.' &&
	    isdigit((unsigned char)s[5]) && strcmp(s + 6, ".json") == 0;
}

/* A statusListIndex: decimal digits only, no sign, no leading zeros. */
static int
parse_index(const char *s, int64_t *out)
{
	uint64_t v = 0;

	if (s == NULL || s[0] == '\0' || (s[0] == '0' && s[1] != '\0'))
		return -1;
	for (; *s; s++) {
		if (!isdigit((unsigned char)*s) || v > (INT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*out = (int64_t)v;
	return 0;
}

/* The revocation entry among credentialStatus (an object or a list). */
static const json_t *
revocation_entry(const json_t *status)
{
	const json_t	*e;
	size_t		 i;

	if (json_is_object(status))
		return mb_signed__has(json_object_get(status, "statusPurpose"),
		    "revocation") ? status : NULL;
	json_array_foreach(status, i, e)
		if (json_is_object(e) && mb_signed__has(json_object_get(e,
		    "statusPurpose"), "revocation"))
			return e;
	return NULL;
}

/* The shape of an OpenBadgeCredential; fills f as it reads. */
static int
check_shape(const json_t *doc, struct mb_credential_facts *f,
    enum mb_verdict *why, struct mb_diag *d)
{
	const json_t	*ctx, *iss, *cs, *ach, *ids, *io, *status, *entry;
	const json_t	*type;
	size_t		 i;

	ctx = json_object_get(doc, "@context");
	if (!json_is_array(ctx) || json_array_size(ctx) < 2 ||
	    !json_is_string(json_array_get(ctx, 0)) ||
	    strcmp(json_string_value(json_array_get(ctx, 0)),
	    MB_VC_CONTEXT) != 0 ||
	    !ob_context(json_string_value(json_array_get(ctx, 1))))
		return refuse(why, MB_VERDICT_MALFORMED, d, MB_ERR_INVAL,
		    "@context must begin with %s and the Open Badges 3.0 "
		    "context", MB_VC_CONTEXT);
	type = json_object_get(doc, "type");
	if (!mb_signed__has(type, "VerifiableCredential") ||
	    (!mb_signed__has(type, "OpenBadgeCredential") &&
	    !mb_signed__has(type, "AchievementCredential")))
		return refuse(why, MB_VERDICT_MALFORMED, d, MB_ERR_INVAL,
		    "type must hold VerifiableCredential and "
		    "OpenBadgeCredential");
	if ((f->id = str(doc, "id")) == NULL)
		return refuse(why, MB_VERDICT_MALFORMED, d, MB_ERR_INVAL,
		    "id is missing");
	f->name = str(doc, "name");
	iss = json_object_get(doc, "issuer");
	if (json_is_string(iss)) {
		f->issuer_id = json_string_value(iss);
	} else if (json_is_object(iss)) {
		f->issuer_id = str(iss, "id");
		f->issuer_name = str(iss, "name");
	}
	if (f->issuer_id == NULL)
		return refuse(why, MB_VERDICT_MALFORMED, d, MB_ERR_INVAL,
		    "issuer (or issuer.id) is missing");
	f->valid_from = str(doc, "validFrom");
	f->valid_until = str(doc, "validUntil");
	cs = json_object_get(doc, "credentialSubject");
	if (!json_is_object(cs))
		return refuse(why, MB_VERDICT_MALFORMED, d, MB_ERR_INVAL,
		    "credentialSubject must be one object");
	f->subject_id = str(cs, "id");
	ids = json_object_get(cs, "identifier");
	json_array_foreach(ids, i, io) {
		if (!json_is_object(io) || !mb_signed__has(json_object_get(io,
		    "identityType"), "name"))
			continue;
		f->subject_hashed = json_is_true(json_object_get(io,
		    "hashed"));
		if (!f->subject_hashed)
			f->subject_name = str(io, "identityHash");
		break;
	}
	if (f->subject_id == NULL && json_array_size(ids) == 0)
		return refuse(why, MB_VERDICT_MALFORMED, d, MB_ERR_INVAL,
		    "credentialSubject needs an id or an identifier");
	ach = json_object_get(cs, "achievement");
	if (!json_is_object(ach) ||
	    (f->achievement_id = str(ach, "id")) == NULL ||
	    (f->achievement_name = str(ach, "name")) == NULL)
		return refuse(why, MB_VERDICT_MALFORMED, d, MB_ERR_INVAL,
		    "credentialSubject.achievement needs an id and a name");
	f->status_index = -1;
	if ((status = json_object_get(doc, "credentialStatus")) != NULL &&
	    (entry = revocation_entry(status)) != NULL) {
		if (!mb_signed__has(json_object_get(entry, "type"),
		    "BitstringStatusListEntry"))
			return refuse(why, MB_VERDICT_UNSUPPORTED, d,
			    MB_ERR_UNSUPPORTED, "credentialStatus: only "
			    "BitstringStatusListEntry is supported");
		f->status_list = str(entry, "statusListCredential");
		if (f->status_list == NULL || parse_index(str(entry,
		    "statusListIndex"), &f->status_index) != 0)
			return refuse(why, MB_VERDICT_MALFORMED, d,
			    MB_ERR_INVAL, "credentialStatus needs a "
			    "statusListCredential and a decimal "
			    "statusListIndex");
		if (json_object_get(entry, "statusSize") != NULL &&
		    json_integer_value(json_object_get(entry,
		    "statusSize")) != 1)
			return refuse(why, MB_VERDICT_UNSUPPORTED, d,
			    MB_ERR_UNSUPPORTED, "credentialStatus: only "
			    "statusSize 1 is supported");
	}
	return MB_OK;
}

int
mb_credential_verify(const json_t *doc, const struct mb_credential_check *c,
    struct mb_credential_facts *facts, enum mb_verdict *why,
    struct mb_diag *d)
{
	struct mb_credential_facts	 local, *f = facts ? facts : &local;
	struct mb_proof_info		 pi;
	int				 rc, bit;

	memset(f, 0, sizeof(*f));
	f->status_index = -1;
	if (!json_is_object(doc))
		return refuse(why, MB_VERDICT_MALFORMED, d, MB_ERR_INVAL,
		    "a credential is a JSON object");
	if ((rc = check_shape(doc, f, why, d)) != MB_OK) {
		mb_diag_prefix(d, "not an OpenBadgeCredential");
		return rc;
	}
	if ((rc = mb_proof_verify(doc, c->pk, NULL, &pi, why, d)) != MB_OK)
		return rc;
	f->verification_method = pi.verification_method;
	f->created = pi.created;
	if ((rc = mb_signed__check_validity(doc, c->now_ms, "the credential",
	    why, d)) != MB_OK)
		return rc;
	if (c->status != NULL && f->status_list != NULL) {
		if (strcmp(f->status_list, mb_status_list_id(c->status)) != 0)
			return refuse(why, MB_VERDICT_WRONG_LIST, d,
			    MB_ERR_INVAL, "the status list given is %s; the "
			    "credential's is %s", mb_status_list_id(c->status),
			    f->status_list);
		bit = mb_status_list_get(c->status,
		    (uint64_t)f->status_index);
		if (bit < 0)
			return refuse(why, MB_VERDICT_WRONG_LIST, d,
			    MB_ERR_INVAL, "statusListIndex %lld is beyond the "
			    "status list (%llu entries)",
			    (long long)f->status_index, (unsigned long long)
			    mb_status_list_length(c->status));
		if (bit == 1)
			return refuse(why, MB_VERDICT_REVOKED, d, MB_ERR_PERM,
			    "the credential was revoked by its issuer "
			    "(status list %s, index %lld)", f->status_list,
			    (long long)f->status_index);
	}
	if (why != NULL)
		*why = MB_VERDICT_VALID;
	return MB_OK;
}

int
mb_credential_verify_text(const char *buf, size_t len,
    const struct mb_credential_check *c, json_t **out,
    struct mb_credential_facts *facts, enum mb_verdict *why,
    struct mb_diag *d)
{
	json_t	*doc;
	int	 rc;

	if (facts != NULL) {
		memset(facts, 0, sizeof(*facts));
		facts->status_index = -1;
	}
	if ((rc = mb_signed__parse(buf, len, MB_CREDENTIAL_MAX, &doc, why,
	    d)) != MB_OK)
		return rc;
	rc = mb_credential_verify(doc, c, facts, why, d);
	if (out != NULL) {
		*out = doc;
	} else {
		json_decref(doc);
		if (facts != NULL) {	/* they pointed into doc */
			memset(facts, 0, sizeof(*facts));
			facts->status_index = -1;
		}
	}
	return rc;
}

bool
mb_credential_names(const json_t *doc, const char *name)
{
	const json_t	*ids, *io;
	const char	*h, *salt;
	char		 want[72];
	size_t		 i;

	ids = json_object_get(json_object_get(doc, "credentialSubject"),
	    "identifier");
	json_array_foreach(ids, i, io) {
		if (!mb_signed__has(json_object_get(io, "identityType"),
		    "name") || (h = str(io, "identityHash")) == NULL)
			continue;
		if (!json_is_true(json_object_get(io, "hashed"))) {
			if (strcmp(h, name) == 0)
				return true;
			continue;
		}
		salt = str(io, "salt");
		identity_hash(name, salt ? salt : "", want);
		/* Hex may be upper or lower case (OB IdentityHash). */
		if (strcasecmp(h, want) == 0)
			return true;
	}
	return false;
}
