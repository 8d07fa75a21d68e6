/* SPDX-License-Identifier: MIT */
/* Event tickets: a compact body signed by the center, a hashed name. */
#include "signed/ticket.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>
#include <utf8proc.h>

#include "base/timeutil.h"
#include "signed/signed_int.h"

#define refuse mb_signed__refuse

/* What the signature covers, in front of the body: nothing else signs it. */
#define TICKET_TAG "mediabridge ticket v1"
#define NAME_TAG "mediabridge ticket name v1"
/* Base64url of the longest body and signature. */
#define TICKET_B64_MAX (MB_TICKET_TEXT_MAX - sizeof(MB_TICKET_PREFIX))

/*
 * Folds a name as docs/signed.md says: NFKC, case folded, marks
 * stripped; letters and digits kept; separators and dashes one space;
 * other characters dropped; no space at either end.
 */
static int
fold_name(const char *name, struct mb_buf *out)
{
	utf8proc_uint8_t	*m = NULL;
	utf8proc_ssize_t	 n, i = 0;
	utf8proc_int32_t	 c;
	int			 space = 0, rc = MB_OK;

	n = utf8proc_map((const utf8proc_uint8_t *)name, 0, &m,
	    UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPAT |
	    UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK |
	    UTF8PROC_IGNORE);
	if (n < 0)
		return MB_ERR_INVAL;
	while (i < n && rc == MB_OK) {
		utf8proc_ssize_t	 l = utf8proc_iterate(m + i, n - i, &c);
		utf8proc_category_t	 cat;

		if (l <= 0) {
			rc = MB_ERR_INVAL;
			break;
		}
		cat = utf8proc_category(c);
		if ((cat >= UTF8PROC_CATEGORY_LU &&
		    cat <= UTF8PROC_CATEGORY_LO) ||
		    (cat >= UTF8PROC_CATEGORY_ND &&
		    cat <= UTF8PROC_CATEGORY_NO)) {
			if (space && out->len > 0)
				rc = mb_buf_putc(out, ' ');
			space = 0;
			if (rc == MB_OK)
				rc = mb_buf_append(out, m + i, (size_t)l);
		} else if (cat == UTF8PROC_CATEGORY_ZS ||
		    cat == UTF8PROC_CATEGORY_ZL ||
		    cat == UTF8PROC_CATEGORY_ZP ||
		    cat == UTF8PROC_CATEGORY_PD || c == '\t' || c == '\n' ||
		    c == '\r') {
			space = 1;
		}
		i += l;
	}
	free(m);
	if (rc == MB_OK && out->len == 0)
		rc = MB_ERR_INVAL;
	return rc;
}

int
mb_ticket_name_hash(const struct mb_ticket *t, const char *name,
    uint8_t out[MB_TICKET_NAME_HASH_LEN], struct mb_diag *d)
{
	crypto_generichash_state	st;
	struct mb_buf			folded = MB_BUF_INIT;
	int				rc;

	if (name == NULL || (rc = fold_name(name, &folded)) != MB_OK) {
		mb_buf_free(&folded);
		return mb_diag_set(d, MB_ERR_INVAL, "the holder's name is "
		    "empty or not UTF-8");
	}
	crypto_generichash_init(&st, NULL, 0, MB_TICKET_NAME_HASH_LEN);
	crypto_generichash_update(&st, (const uint8_t *)NAME_TAG,
	    sizeof(NAME_TAG));
	crypto_generichash_update(&st, (const uint8_t *)t->issuer,
	    strlen(t->issuer) + 1);
	crypto_generichash_update(&st, (const uint8_t *)t->event,
	    strlen(t->event) + 1);
	crypto_generichash_update(&st, (const uint8_t *)t->registration,
	    strlen(t->registration) + 1);
	crypto_generichash_update(&st, (const uint8_t *)folded.data,
	    folded.len);
	crypto_generichash_final(&st, out, MB_TICKET_NAME_HASH_LEN);
	mb_buf_free(&folded);
	return MB_OK;
}

bool
mb_ticket_name_ok(const char *name)
{
	struct mb_buf	folded = MB_BUF_INIT;
	int		rc;

	rc = name != NULL ? fold_name(name, &folded) : MB_ERR_INVAL;
	mb_buf_free(&folded);
	return rc == MB_OK;
}

bool
mb_ticket_holder_is(const struct mb_ticket *t, const char *name)
{
	uint8_t h[MB_TICKET_NAME_HASH_LEN];

	if (mb_ticket_name_hash(t, name, h, NULL) != MB_OK)
		return false;
	return sodium_memcmp(h, t->name_hash, sizeof(h)) == 0;
}

/* Seconds for the wire: whole, and within what 32 bits hold. */
static int
wire_time(int64_t ms, uint32_t *out)
{
	if (ms < 0 || ms / 1000 > (int64_t)UINT32_MAX)
		return -1;
	*out = (uint32_t)(ms / 1000);
	return 0;
}

int
mb_ticket_issue(struct mb_ticket *t, const char *name, const struct mb_key *k,
    char out[MB_TICKET_TEXT_MAX], struct mb_diag *d)
{
	char		center[MB_CENTER_MAX + 1], local[MB_LOCAL_MAX + 1];
	struct mb_buf	body = MB_BUF_INIT, text = MB_BUF_INIT;
	uint32_t	from, until;
	int		rc;

	if (!mb_center_id_valid(t->issuer))
		return mb_diag_set(d, MB_ERR_INVAL, "issuer: not a center id");
	if (mb_uri_parse(t->event, center, local) != MB_OK)
		return mb_diag_set(d, MB_ERR_INVAL,
		    "event: not a urn:mediabridge:<center>:<local> uri");
	if (!mb_local_id_valid(t->registration))
		return mb_diag_set(d, MB_ERR_INVAL, "registration: not a "
		    "local id (1 to 64 of A-Z a-z 0-9 _ -)");
	if (wire_time(t->valid_from_ms, &from) != 0 ||
	    wire_time(t->valid_until_ms, &until) != 0)
		return mb_diag_set(d, MB_ERR_INVAL,
		    "validity must lie between 1970 and 2106");
	if (until < from)
		return mb_diag_set(d, MB_ERR_INVAL,
		    "valid until is before valid from");
	if ((rc = mb_ticket_name_hash(t, name, t->name_hash, d)) != MB_OK)
		return rc;
	if ((rc = mb_signed__put_center(&body, t->issuer)) != MB_OK ||
	    (rc = mb_signed__put_center(&body, strcmp(center, t->issuer) ?
	    center : "")) != MB_OK ||
	    (rc = mb_signed__put_id(&body, local)) != MB_OK ||
	    (rc = mb_signed__put_id(&body, t->registration)) != MB_OK ||
	    (rc = mb_signed__put_u32(&body, from)) != MB_OK ||
	    (rc = mb_signed__put_u32(&body, until)) != MB_OK ||
	    (rc = mb_buf_append(&body, t->name_hash,
	    MB_TICKET_NAME_HASH_LEN)) != MB_OK ||
	    (rc = mb_signed__wrap(MB_TICKET_PREFIX, TICKET_TAG, &body, k,
	    &text, d)) != MB_OK)
		goto out;
	if (text.len >= MB_TICKET_TEXT_MAX) {
		rc = mb_diag_set(d, MB_ERR_TOOBIG, "ticket too long");
		goto out;
	}
	memcpy(out, text.data, text.len + 1);
out:
	mb_buf_free(&body);
	mb_buf_free(&text);
	return rc;
}

/* Reads the body; on MB_OK t is whole and *sig points into raw. */
static int
parse_body(const uint8_t *raw, size_t bodylen, struct mb_ticket *t,
    struct mb_diag *d)
{
	struct mb_signed__rd	r = { raw, bodylen, 0 };
	char			center[MB_CENTER_MAX + 1];
	char			local[MB_LOCAL_MAX + 1];
	uint32_t		from, until;

	memset(t, 0, sizeof(*t));
	if (mb_signed__get_center(&r, t->issuer) != MB_OK ||
	    t->issuer[0] == '\0')
		return mb_diag_set(d, MB_ERR_INVAL, "issuer: not a center id");
	if (mb_signed__get_center(&r, center) != MB_OK)
		return mb_diag_set(d, MB_ERR_INVAL,
		    "event center: not a center id");
	/* The issuer's own events are written with an empty center. */
	if (strcmp(center, t->issuer) == 0)
		return mb_diag_set(d, MB_ERR_INVAL,
		    "event center: repeats the issuer");
	if (mb_signed__get_id(&r, local) != MB_OK)
		return mb_diag_set(d, MB_ERR_INVAL, "event: not a local id");
	if (mb_uri_make(t->event, sizeof(t->event), center[0] ? center :
	    t->issuer, local) != MB_OK)
		return mb_diag_set(d, MB_ERR_INVAL, "event: not an id");
	if (mb_signed__get_id(&r, t->registration) != MB_OK)
		return mb_diag_set(d, MB_ERR_INVAL,
		    "registration: not a local id");
	if (mb_signed__get_u32(&r, &from) != MB_OK ||
	    mb_signed__get_u32(&r, &until) != MB_OK)
		return mb_diag_set(d, MB_ERR_INVAL, "validity: cut short");
	if (until < from)
		return mb_diag_set(d, MB_ERR_INVAL,
		    "validity: ends before it begins");
	t->valid_from_ms = (int64_t)from * 1000;
	t->valid_until_ms = (int64_t)until * 1000;
	if (r.n - r.off != MB_TICKET_NAME_HASH_LEN)
		return mb_diag_set(d, MB_ERR_INVAL, "name hash: %zu bytes, "
		    "not %d", r.n - r.off, MB_TICKET_NAME_HASH_LEN);
	memcpy(t->name_hash, r.p + r.off, MB_TICKET_NAME_HASH_LEN);
	return MB_OK;
}

/* Unwraps and parses; *raw (the caller frees it) holds body and sig. */
static int
ticket_read(const char *text, size_t len, struct mb_ticket *t,
    uint8_t **raw, size_t *bodylen, struct mb_diag *d)
{
	int rc;

	*raw = NULL;
	if ((rc = mb_signed__unwrap(text, len, MB_TICKET_PREFIX,
	    TICKET_B64_MAX, raw, bodylen, d)) != MB_OK) {
		mb_diag_prefix(d, "not a ticket");
		return rc;
	}
	if ((rc = parse_body(*raw, *bodylen, t, d)) != MB_OK) {
		mb_diag_prefix(d, "malformed ticket");
		free(*raw);
		*raw = NULL;
	}
	return rc;
}

int
mb_ticket_parse(const char *text, size_t len, struct mb_ticket *t,
    struct mb_diag *d)
{
	struct mb_ticket	 tmp;
	uint8_t			*raw;
	size_t			 bodylen;
	int			 rc;

	if ((rc = ticket_read(text, len, &tmp, &raw, &bodylen, d)) != MB_OK)
		return rc;
	free(raw);
	*t = tmp;
	return MB_OK;
}

int
mb_ticket_verify(const char *text, size_t len, const uint8_t pk[MB_PUBKEY_LEN],
    int64_t now_ms, const struct mb_revoked *rl, struct mb_ticket *t,
    enum mb_verdict *why, struct mb_diag *d)
{
	uint8_t	*raw;
	size_t	 bodylen;
	int	 rc;

	if ((rc = ticket_read(text, len, t, &raw, &bodylen, d)) != MB_OK) {
		if (why != NULL)
			*why = rc == MB_ERR_UNSUPPORTED ?
			    MB_VERDICT_UNSUPPORTED : MB_VERDICT_MALFORMED;
		return rc;
	}
	rc = mb_signed__check(TICKET_TAG, raw, bodylen, raw + bodylen, pk);
	free(raw);
	if (!rc)
		return refuse(why, MB_VERDICT_BAD_SIGNATURE, d, MB_ERR_SIG,
		    "the signature does not verify with the key given: the "
		    "ticket was altered or forged, or another center than "
		    "%s issued it", t->issuer);
	if (now_ms == 0)
		now_ms = mb_time_now_ms();
	if (now_ms < t->valid_from_ms) {
		char when[MB_TIME_RFC3339_LEN];

		mb_time_format(t->valid_from_ms, when);
		return refuse(why, MB_VERDICT_NOT_YET_VALID, d, MB_ERR_PERM,
		    "the ticket is not valid before %s", when);
	}
	if (now_ms > t->valid_until_ms) {
		char when[MB_TIME_RFC3339_LEN];

		mb_time_format(t->valid_until_ms, when);
		return refuse(why, MB_VERDICT_EXPIRED, d, MB_ERR_PERM,
		    "the ticket expired at %s", when);
	}
	if (rl != NULL) {
		if (strcmp(mb_revoked_event(rl), t->event) != 0 ||
		    strcmp(mb_revoked_issuer(rl), t->issuer) != 0)
			return refuse(why, MB_VERDICT_WRONG_LIST, d,
			    MB_ERR_INVAL, "the revocation list is %s's for %s; "
			    "the ticket is %s's for %s", mb_revoked_issuer(rl),
			    mb_revoked_event(rl), t->issuer, t->event);
		if (mb_revoked_has(rl, t->registration))
			return refuse(why, MB_VERDICT_REVOKED, d, MB_ERR_PERM,
			    "registration %s was withdrawn: the ticket is "
			    "revoked", t->registration);
	}
	if (why != NULL)
		*why = MB_VERDICT_VALID;
	return MB_OK;
}
