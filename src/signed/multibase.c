/* SPDX-License-Identifier: MIT */
/* base58-btc, base64url and did:key: the text forms of keys and signatures. */
#include "signed/multibase.h"

#include <stdio.h>
#include <string.h>

#include <sodium.h>

static const char b58_alphabet[] =
    "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/* The multicodec prefix of an Ed25519 public key (0xed as a varint). */
static const uint8_t ed25519_pub_codec[2] = { 0xed, 0x01 };

/* "z" and 47 or 48 base58 digits of 34 bytes, and a NUL. */
#define DIDKEY_MB_LEN 52

int
mb_base58_encode(const uint8_t *in, size_t n, struct mb_buf *out)
{
	uint8_t	digits[MB_BASE58_MAX];
	size_t	zeros = 0, len = 0, i, j;
	int	rc;

	/* Each byte needs log(256)/log(58) = 1.37 digits at most. */
	if (n > (MB_BASE58_MAX * 100) / 138)
		return MB_ERR_TOOBIG;
	while (zeros < n && in[zeros] == 0)
		zeros++;
	for (i = zeros; i < n; i++) {
		unsigned carry = in[i];

		for (j = 0; j < len; j++) {
			carry += (unsigned)digits[j] << 8;
			digits[j] = (uint8_t)(carry % 58);
			carry /= 58;
		}
		while (carry > 0) {
			digits[len++] = (uint8_t)(carry % 58);
			carry /= 58;
		}
	}
	if ((rc = mb_buf_reserve(out, zeros + len + 1)) != MB_OK)
		return rc;
	for (i = 0; i < zeros; i++)
		out->data[out->len++] = '1';
	for (i = 0; i < len; i++)
		out->data[out->len++] = b58_alphabet[digits[len - 1 - i]];
	out->data[out->len] = '\0';
	return MB_OK;
}

static int
b58_value(char c)
{
	const char *p;

	if (c == '\0' || (p = strchr(b58_alphabet, c)) == NULL)
		return -1;
	return (int)(p - b58_alphabet);
}

int
mb_base58_decode(const char *s, size_t len, uint8_t *out, size_t cap,
    size_t *outlen)
{
	uint8_t	bytes[MB_BASE58_MAX];
	size_t	zeros = 0, n = 0, i, j;

	if (len > MB_BASE58_MAX)
		return MB_ERR_TOOBIG;
	while (zeros < len && s[zeros] == '1')
		zeros++;
	for (i = zeros; i < len; i++) {
		int		v = b58_value(s[i]);
		unsigned	carry;

		if (v < 0)
			return MB_ERR_INVAL;
		carry = (unsigned)v;
		for (j = 0; j < n; j++) {
			carry += (unsigned)bytes[j] * 58;
			bytes[j] = (uint8_t)(carry & 0xff);
			carry >>= 8;
		}
		while (carry > 0) {
			bytes[n++] = (uint8_t)(carry & 0xff);
			carry >>= 8;
		}
	}
	if (zeros + n > cap)
		return MB_ERR_INVAL;
	memset(out, 0, zeros);
	for (i = 0; i < n; i++)
		out[zeros + i] = bytes[n - 1 - i];
	*outlen = zeros + n;
	return MB_OK;
}

int
mb_b64url_encode(const uint8_t *in, size_t n, struct mb_buf *out)
{
	size_t	need;
	int	rc;

	need = sodium_base64_ENCODED_LEN(n,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	if ((rc = mb_buf_reserve(out, need)) != MB_OK)
		return rc;
	sodium_bin2base64(out->data + out->len, need, in, n,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	out->len += strlen(out->data + out->len);
	return MB_OK;
}

int
mb_b64url_decode(const char *s, size_t len, uint8_t *out, size_t cap,
    size_t *outlen)
{
	const char	*end;
	size_t		 n;

	/*
	 * libsodium ignores nothing unless told to, and stops at the first
	 * byte outside the alphabet: that byte must be the end of the text.
	 * A length of 1 mod 4 cannot be base64 at all.
	 */
	if (len % 4 == 1)
		return MB_ERR_INVAL;
	if (sodium_base642bin(out, cap, s, len, NULL, &n, &end,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
	    end != s + len)
		return MB_ERR_INVAL;
	*outlen = n;
	return MB_OK;
}

/* "z" + base58(0xed 0x01 || pk): the multibase form of the key. */
static void
didkey_multibase(const uint8_t pk[MB_PUBKEY_LEN], char out[DIDKEY_MB_LEN])
{
	uint8_t		raw[2 + MB_PUBKEY_LEN];
	struct mb_buf	b = MB_BUF_INIT;

	memcpy(raw, ed25519_pub_codec, 2);
	memcpy(raw + 2, pk, MB_PUBKEY_LEN);
	out[0] = '\0';
	if (mb_buf_putc(&b, 'z') == MB_OK &&
	    mb_base58_encode(raw, sizeof(raw), &b) == MB_OK)
		snprintf(out, DIDKEY_MB_LEN, "%s", b.data);
	mb_buf_free(&b);
}

void
mb_didkey_format(const uint8_t pk[MB_PUBKEY_LEN], char out[MB_DIDKEY_LEN])
{
	char mb[DIDKEY_MB_LEN];

	didkey_multibase(pk, mb);
	snprintf(out, MB_DIDKEY_LEN, "did:key:%s", mb);
}

void
mb_didkey_vm(const uint8_t pk[MB_PUBKEY_LEN], char out[MB_DIDKEY_VM_LEN])
{
	char mb[DIDKEY_MB_LEN];

	didkey_multibase(pk, mb);
	snprintf(out, MB_DIDKEY_VM_LEN, "did:key:%s#%s", mb, mb);
}

int
mb_didkey_parse(const char *s, uint8_t pk[MB_PUBKEY_LEN], struct mb_diag *d)
{
	uint8_t		 raw[64];
	const char	*id, *hash;
	size_t		 idlen, n;

	if (s == NULL || strncmp(s, "did:key:", 8) != 0)
		return mb_diag_set(d, MB_ERR_INVAL, "not a did:key");
	id = s + 8;
	hash = strchr(id, '#');
	idlen = hash ? (size_t)(hash - id) : strlen(id);
	if (hash != NULL && (strlen(hash + 1) != idlen ||
	    memcmp(hash + 1, id, idlen) != 0))
		return mb_diag_set(d, MB_ERR_INVAL,
		    "did:key fragment does not repeat the key");
	if (idlen < 2 || id[0] != 'z')
		return mb_diag_set(d, MB_ERR_INVAL,
		    "did:key is not multibase base58-btc (no 'z')");
	if (mb_base58_decode(id + 1, idlen - 1, raw, sizeof(raw), &n) != MB_OK)
		return mb_diag_set(d, MB_ERR_INVAL,
		    "did:key is not valid base58-btc");
	if (n < 2 || raw[0] != ed25519_pub_codec[0] ||
	    raw[1] != ed25519_pub_codec[1])
		return mb_diag_set(d, MB_ERR_UNSUPPORTED,
		    "did:key is not an Ed25519 key (multicodec 0xed01)");
	if (n != 2 + MB_PUBKEY_LEN)
		return mb_diag_set(d, MB_ERR_INVAL,
		    "did:key holds %zu bytes of key, not 32", n - 2);
	memcpy(pk, raw + 2, MB_PUBKEY_LEN);
	return MB_OK;
}

int
mb_key_parse_any(const char *s, uint8_t pk[MB_PUBKEY_LEN], struct mb_diag *d)
{
	if (strncmp(s, "did:key:", 8) == 0)
		return mb_didkey_parse(s, pk, d);
	return mb_pubkey_parse(s, pk, d);
}
