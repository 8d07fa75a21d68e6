/* SPDX-License-Identifier: MIT */
/* The compact binary codec that tickets and revocation lists share. */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "item/id.h"
#include "signed/multibase.h"
#include "signed/signed_int.h"

static const char crockford[] = "0123456789abcdefghjkmnpqrstvwxyz";

/* A minted local id packs when it is 26 digits and the first is < 8. */
static int
packable(const char *id)
{
	if (strlen(id) != MB_LOCAL_LEN || id[0] < '0' || id[0] > '7')
		return 0;
	for (int i = 0; i < MB_LOCAL_LEN; i++)
		if (strchr(crockford, id[i]) == NULL || id[i] == '\0')
			return 0;
	return 1;
}

/*
 * The 26 digits are a 130-bit number whose top two bits are zero: digit
 * i holds bits (25 - i) * 5 .. + 4, counted from the least significant
 * bit of the 16 bytes (big-endian).
 */
static void
pack_ulid(const char *id, uint8_t out[16])
{
	memset(out, 0, 16);
	for (int i = 0; i < MB_LOCAL_LEN; i++) {
		unsigned v = (unsigned)(strchr(crockford, id[i]) - crockford);

		for (int b = 0; b < 5; b++) {
			int bit = (25 - i) * 5 + b;

			if ((v >> b) & 1)
				out[15 - bit / 8] |= (uint8_t)(1u << (bit % 8));
		}
	}
}

static void
unpack_ulid(const uint8_t in[16], char out[MB_LOCAL_LEN + 1])
{
	for (int i = 0; i < MB_LOCAL_LEN; i++) {
		unsigned v = 0;

		for (int b = 0; b < 5; b++) {
			int bit = (25 - i) * 5 + b;

			if (bit < 128 && ((in[15 - bit / 8] >> (bit % 8)) & 1))
				v |= 1u << b;
		}
		out[i] = crockford[v];
	}
	out[MB_LOCAL_LEN] = '\0';
}

int
mb_signed__put_id(struct mb_buf *b, const char *id)
{
	uint8_t	packed[16];
	size_t	n = strlen(id);
	int	rc;

	if (packable(id)) {
		pack_ulid(id, packed);
		if ((rc = mb_buf_putc(b, (char)MB_SIGNED__PACKED)) != MB_OK)
			return rc;
		return mb_buf_append(b, packed, sizeof(packed));
	}
	if (n == 0 || n > MB_LOCAL_MAX)
		return MB_ERR_INVAL;
	if ((rc = mb_buf_putc(b, (char)n)) != MB_OK)
		return rc;
	return mb_buf_append(b, id, n);
}

int
mb_signed__put_center(struct mb_buf *b, const char *center)
{
	size_t	n = strlen(center);
	int	rc;

	if (n > MB_CENTER_MAX)
		return MB_ERR_INVAL;
	if ((rc = mb_buf_putc(b, (char)n)) != MB_OK)
		return rc;
	return mb_buf_append(b, center, n);
}

int
mb_signed__put_u32(struct mb_buf *b, uint32_t v)
{
	uint8_t be[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16),
		(uint8_t)(v >> 8), (uint8_t)v };

	return mb_buf_append(b, be, 4);
}

static const uint8_t *
take(struct mb_signed__rd *r, size_t n)
{
	const uint8_t *p;

	if (r->n - r->off < n)
		return NULL;
	p = r->p + r->off;
	r->off += n;
	return p;
}

int
mb_signed__get_id(struct mb_signed__rd *r, char out[MB_LOCAL_MAX + 1])
{
	const uint8_t	*p;
	unsigned	 n;

	if ((p = take(r, 1)) == NULL)
		return MB_ERR_INVAL;
	n = p[0];
	if (n == MB_SIGNED__PACKED) {
		if ((p = take(r, 16)) == NULL)
			return MB_ERR_INVAL;
		/* Bits 128 and up do not exist: the first digit is < 8. */
		unpack_ulid(p, out);
		return MB_OK;
	}
	if (n == 0 || n > MB_LOCAL_MAX || (p = take(r, n)) == NULL)
		return MB_ERR_INVAL;
	memcpy(out, p, n);
	out[n] = '\0';
	/*
	 * One id, one encoding: a minted id written as text would be a
	 * second ticket text with the same meaning.
	 */
	if (!mb_local_id_valid(out) || packable(out))
		return MB_ERR_INVAL;
	return MB_OK;
}

int
mb_signed__get_center(struct mb_signed__rd *r, char out[MB_CENTER_MAX + 1])
{
	const uint8_t	*p;
	unsigned	 n;

	if ((p = take(r, 1)) == NULL)
		return MB_ERR_INVAL;
	n = p[0];
	if (n > MB_CENTER_MAX || (p = take(r, n)) == NULL)
		return MB_ERR_INVAL;
	memcpy(out, p, n);
	out[n] = '\0';
	if (n > 0 && !mb_center_id_valid(out))
		return MB_ERR_INVAL;
	return MB_OK;
}

int
mb_signed__get_u32(struct mb_signed__rd *r, uint32_t *v)
{
	const uint8_t *p;

	if ((p = take(r, 4)) == NULL)
		return MB_ERR_INVAL;
	*v = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
	return MB_OK;
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

int
mb_signed__unwrap(const char *text, size_t len, const char *prefix,
    size_t max, uint8_t **out, size_t *bodylen, struct mb_diag *d)
{
	size_t	 plen = strlen(prefix), cap, n;
	uint8_t	*buf;

	while (len > 0 && is_space(text[0])) {
		text++;
		len--;
	}
	while (len > 0 && is_space(text[len - 1]))
		len--;
	/* "MBT1:": the same three letters with another version. */
	if (len < plen || memcmp(text, prefix, plen - 2) != 0 ||
	    text[plen - 1] != ':')
		return mb_diag_set(d, MB_ERR_INVAL, "does not begin with %s",
		    prefix);
	if (text[plen - 2] != prefix[plen - 2])
		return mb_diag_set(d, MB_ERR_UNSUPPORTED,
		    "version %c is not supported (this build reads %s)",
		    text[plen - 2], prefix);
	text += plen;
	len -= plen;
	if (len > max)
		return mb_diag_set(d, MB_ERR_TOOBIG, "longer than %zu "
		    "characters", max);
	cap = len / 4 * 3 + 3;
	if ((buf = malloc(cap)) == NULL)
		return MB_ERR_NOMEM;
	if (mb_b64url_decode(text, len, buf, cap, &n) != MB_OK) {
		free(buf);
		return mb_diag_set(d, MB_ERR_INVAL,
		    "not base64url after %s", prefix);
	}
	if (n < MB_SIG_LEN + 1) {
		free(buf);
		return mb_diag_set(d, MB_ERR_INVAL, "too short");
	}
	*out = buf;
	*bodylen = n - MB_SIG_LEN;
	return MB_OK;
}

int
mb_signed__wrap(const char *prefix, const char *tag,
    const struct mb_buf *body, const struct mb_key *k, struct mb_buf *out,
    struct mb_diag *d)
{
	struct mb_buf	msg = MB_BUF_INIT, all = MB_BUF_INIT;
	uint8_t		sig[MB_SIG_LEN];
	int		rc;

	if ((rc = mb_buf_append(&msg, tag, strlen(tag) + 1)) != MB_OK ||
	    (rc = mb_buf_append(&msg, body->data, body->len)) != MB_OK)
		goto out;
	if ((rc = mb_key_sign_as(k, MB_SIGN_COMPACT, msg.data, msg.len, sig,
	    d)) != MB_OK)
		goto out;
	if ((rc = mb_buf_append(&all, body->data, body->len)) != MB_OK ||
	    (rc = mb_buf_append(&all, sig, sizeof(sig))) != MB_OK ||
	    (rc = mb_buf_puts(out, prefix)) != MB_OK)
		goto out;
	rc = mb_b64url_encode((const uint8_t *)all.data, all.len, out);
out:
	mb_buf_free(&msg);
	mb_buf_free(&all);
	return rc;
}

int
mb_signed__check(const char *tag, const uint8_t *body, size_t n,
    const uint8_t *sig, const uint8_t *pk)
{
	struct mb_buf	msg = MB_BUF_INIT;
	int		ok;

	/* The tag and its NUL first: these bytes mean nothing else. */
	if (mb_buf_append(&msg, tag, strlen(tag) + 1) != MB_OK ||
	    mb_buf_append(&msg, body, n) != MB_OK) {
		mb_buf_free(&msg);
		return 0;
	}
	ok = mb_sig_verify(pk, msg.data, msg.len, sig);
	mb_buf_free(&msg);
	return ok;
}
