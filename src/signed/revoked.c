/* SPDX-License-Identifier: MIT */
/* Revocation lists of tickets: an event's withdrawn registrations. */
#include "signed/ticket.h"

#include <stdlib.h>
#include <string.h>

#include "base/timeutil.h"
#include "signed/signed_int.h"

#define refuse mb_signed__refuse

#define REVOKED_TAG "mediabridge revocations v1"
/* Base64url of the largest list: 17 bytes an entry at most packed, 65
 * as text; a million of them stays under 90 MB of text. */
#define REVOKED_B64_MAX ((size_t)MB_REVOKED_MAX * 88 + 512)

struct mb_revoked {
	char	  issuer[MB_CENTER_MAX + 1];
	char	  event[MB_URI_MAX];
	int64_t	  issued_ms;
	size_t	  count;
	char	**regs;		/* sorted by strcmp, no duplicates */
	char	 *pool;		/* the strings regs point into */
};

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
mb_revoked_issue(const char *issuer, const char *event, int64_t issued_ms,
    const char *const *regs, size_t n, const struct mb_key *k,
    struct mb_buf *out, struct mb_diag *d)
{
	char		 center[MB_CENTER_MAX + 1], local[MB_LOCAL_MAX + 1];
	const char	**sorted = NULL;
	struct mb_buf	 body = MB_BUF_INIT;
	size_t		 m = 0;
	int64_t		 s;
	int		 rc;

	if (!mb_center_id_valid(issuer))
		return mb_diag_set(d, MB_ERR_INVAL, "issuer: not a center id");
	if (mb_uri_parse(event, center, local) != MB_OK)
		return mb_diag_set(d, MB_ERR_INVAL,
		    "event: not a urn:mediabridge:<center>:<local> uri");
	if (n > MB_REVOKED_MAX)
		return mb_diag_set(d, MB_ERR_TOOBIG, "more than %d "
		    "registrations in one list", MB_REVOKED_MAX);
	if (issued_ms == 0)
		issued_ms = mb_time_now_ms();
	s = issued_ms / 1000;
	if (s < 0 || s > (int64_t)UINT32_MAX)
		return mb_diag_set(d, MB_ERR_INVAL,
		    "issued must lie between 1970 and 2106");
	if (n > 0 && (sorted = malloc(n * sizeof(*sorted))) == NULL)
		return MB_ERR_NOMEM;
	for (size_t i = 0; i < n; i++) {
		if (!mb_local_id_valid(regs[i])) {
			free(sorted);
			return mb_diag_set(d, MB_ERR_INVAL, "registration "
			    "%.80s: not a local id", regs[i]);
		}
		sorted[i] = regs[i];
	}
	if (n > 0)
		qsort(sorted, n, sizeof(*sorted), cmp_str);
	for (size_t i = 0; i < n; i++)
		if (m == 0 || strcmp(sorted[m - 1], sorted[i]) != 0)
			sorted[m++] = sorted[i];
	if ((rc = mb_signed__put_center(&body, issuer)) != MB_OK ||
	    (rc = mb_signed__put_center(&body, strcmp(center, issuer) ?
	    center : "")) != MB_OK ||
	    (rc = mb_signed__put_id(&body, local)) != MB_OK ||
	    (rc = mb_signed__put_u32(&body, (uint32_t)s)) != MB_OK ||
	    (rc = mb_signed__put_u32(&body, (uint32_t)m)) != MB_OK)
		goto out;
	for (size_t i = 0; i < m; i++)
		if ((rc = mb_signed__put_id(&body, sorted[i])) != MB_OK)
			goto out;
	rc = mb_signed__wrap(MB_REVOKED_PREFIX, REVOKED_TAG, &body, k, out,
	    d);
out:
	free(sorted);
	mb_buf_free(&body);
	return rc;
}

static int
parse_body(const uint8_t *raw, size_t n, struct mb_revoked **out,
    struct mb_diag *d)
{
	struct mb_signed__rd	 r = { raw, n, 0 };
	struct mb_revoked	*rl;
	char			 center[MB_CENTER_MAX + 1];
	char			 local[MB_LOCAL_MAX + 1];
	uint32_t		 issued, count;
	size_t			 used = 0;
	int			 rc = MB_ERR_INVAL;

	if ((rl = calloc(1, sizeof(*rl))) == NULL)
		return MB_ERR_NOMEM;
	if (mb_signed__get_center(&r, rl->issuer) != MB_OK ||
	    rl->issuer[0] == '\0') {
		mb_diag_set(d, MB_ERR_INVAL, "issuer: not a center id");
		goto fail;
	}
	if (mb_signed__get_center(&r, center) != MB_OK ||
	    strcmp(center, rl->issuer) == 0 ||
	    mb_signed__get_id(&r, local) != MB_OK ||
	    mb_uri_make(rl->event, sizeof(rl->event), center[0] ? center :
	    rl->issuer, local) != MB_OK) {
		mb_diag_set(d, MB_ERR_INVAL, "event: not an event id");
		goto fail;
	}
	if (mb_signed__get_u32(&r, &issued) != MB_OK ||
	    mb_signed__get_u32(&r, &count) != MB_OK) {
		mb_diag_set(d, MB_ERR_INVAL, "cut short");
		goto fail;
	}
	rl->issued_ms = (int64_t)issued * 1000;
	/* Each entry takes 2 bytes at least: a count beyond is a lie. */
	if (count > MB_REVOKED_MAX || count > (r.n - r.off) / 2) {
		mb_diag_set(d, MB_ERR_INVAL, "count %u does not fit the list",
		    count);
		goto fail;
	}
	rl->count = count;
	/*
	 * The strings take at most twice the bytes left: a packed id is
	 * 17 bytes on the wire and 27 with its NUL; a text id n + 1 both.
	 */
	if ((count > 0 && (rl->regs = calloc(count, sizeof(char *))) ==
	    NULL) || (rl->pool = malloc((r.n - r.off) * 2 + 1)) == NULL) {
		rc = MB_ERR_NOMEM;
		goto fail;
	}
	for (uint32_t i = 0; i < count; i++) {
		char	id[MB_LOCAL_MAX + 1];
		size_t	l;

		if (mb_signed__get_id(&r, id) != MB_OK) {
			mb_diag_set(d, MB_ERR_INVAL, "registration %u: not a "
			    "local id", i);
			goto fail;
		}
		/* Sorted and unique: one list, one text; and a binary
		 * search can trust it. */
		if (i > 0 && strcmp(rl->regs[i - 1], id) >= 0) {
			mb_diag_set(d, MB_ERR_INVAL, "registration %u: out of "
			    "order or repeated", i);
			goto fail;
		}
		l = strlen(id) + 1;
		rl->regs[i] = rl->pool + used;
		memcpy(rl->pool + used, id, l);
		used += l;
	}
	if (r.off != r.n) {
		mb_diag_set(d, MB_ERR_INVAL, "%zu bytes after the last "
		    "registration", r.n - r.off);
		goto fail;
	}
	*out = rl;
	return MB_OK;
fail:
	mb_revoked_free(rl);
	return rc;
}

static int
revoked_read(const char *text, size_t len, struct mb_revoked **out,
    uint8_t **raw, size_t *bodylen, struct mb_diag *d)
{
	int rc;

	*raw = NULL;
	if ((rc = mb_signed__unwrap(text, len, MB_REVOKED_PREFIX,
	    REVOKED_B64_MAX, raw, bodylen, d)) != MB_OK) {
		mb_diag_prefix(d, "not a revocation list");
		return rc;
	}
	if ((rc = parse_body(*raw, *bodylen, out, d)) != MB_OK) {
		mb_diag_prefix(d, "malformed revocation list");
		free(*raw);
		*raw = NULL;
	}
	return rc;
}

int
mb_revoked_parse(const char *text, size_t len, struct mb_revoked **out,
    struct mb_diag *d)
{
	uint8_t	*raw;
	size_t	 bodylen;
	int	 rc;

	if ((rc = revoked_read(text, len, out, &raw, &bodylen, d)) == MB_OK)
		free(raw);
	return rc;
}

int
mb_revoked_load(const char *text, size_t len, const uint8_t pk[MB_PUBKEY_LEN],
    struct mb_revoked **out, enum mb_verdict *why, struct mb_diag *d)
{
	struct mb_revoked	*rl;
	uint8_t			*raw;
	size_t			 bodylen;
	int			 rc, ok;

	if ((rc = revoked_read(text, len, &rl, &raw, &bodylen, d)) != MB_OK) {
		if (why != NULL)
			*why = rc == MB_ERR_UNSUPPORTED ?
			    MB_VERDICT_UNSUPPORTED : MB_VERDICT_MALFORMED;
		return rc;
	}
	ok = mb_signed__check(REVOKED_TAG, raw, bodylen, raw + bodylen, pk);
	free(raw);
	if (!ok) {
		rc = refuse(why, MB_VERDICT_BAD_SIGNATURE, d, MB_ERR_SIG,
		    "the revocation list's signature does not verify with the "
		    "key given: altered, forged, or not %s's", rl->issuer);
		mb_revoked_free(rl);
		return rc;
	}
	if (why != NULL)
		*why = MB_VERDICT_VALID;
	*out = rl;
	return MB_OK;
}

const char *
mb_revoked_issuer(const struct mb_revoked *r)
{
	return r->issuer;
}

const char *
mb_revoked_event(const struct mb_revoked *r)
{
	return r->event;
}

int64_t
mb_revoked_issued(const struct mb_revoked *r)
{
	return r->issued_ms;
}

size_t
mb_revoked_count(const struct mb_revoked *r)
{
	return r->count;
}

const char *
mb_revoked_at(const struct mb_revoked *r, size_t i)
{
	return i < r->count ? r->regs[i] : NULL;
}

bool
mb_revoked_has(const struct mb_revoked *r, const char *registration)
{
	return r->count > 0 && bsearch(&registration, r->regs, r->count,
	    sizeof(char *), cmp_str) != NULL;
}

void
mb_revoked_free(struct mb_revoked *r)
{
	if (r == NULL)
		return;
	free(r->regs);
	free(r->pool);
	free(r);
}
