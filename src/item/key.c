/* SPDX-License-Identifier: MIT */
/* Ed25519 keys with libsodium; secret keys never leave locked memory. */
#include "key.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "base/fs.h"
#include "base/log.h"
#include "item/signer.h"

struct mb_key {
	uint8_t		sk[crypto_sign_SECRETKEYBYTES]; /* seed, public key */
	uint8_t		pk[crypto_sign_PUBLICKEYBYTES];
	/* A remote key (serve's worker): sk is zero, the signer is there. */
	int		remote_fd;
	pthread_mutex_t	lock;
};

#define KEY_FILE_PREFIX "ed25519-secret:"

static struct mb_key *
key_alloc(void)
{
	struct mb_key *k;

	if (sodium_init() < 0)
		return NULL;
	if ((k = sodium_malloc(sizeof(*k))) == NULL)
		return NULL;
	sodium_memzero(k, sizeof(*k));
	k->remote_fd = -1;
	return k;
}

int
mb_key_generate(struct mb_key **out)
{
	struct mb_key *k;

	if ((k = key_alloc()) == NULL)
		return MB_ERR_NOMEM;
	crypto_sign_keypair(k->pk, k->sk);
	*out = k;
	return MB_OK;
}

int
mb_key_remote(int fd, const uint8_t pk[MB_PUBKEY_LEN], struct mb_key **out)
{
	struct mb_key *k;

	if ((k = key_alloc()) == NULL)
		return MB_ERR_NOMEM;
	memcpy(k->pk, pk, MB_PUBKEY_LEN);
	k->remote_fd = fd;
	pthread_mutex_init(&k->lock, NULL);
	*out = k;
	return MB_OK;
}

void
mb_key_free(struct mb_key *k)
{
	if (k == NULL)
		return;
	if (k->remote_fd >= 0) {
		close(k->remote_fd);
		pthread_mutex_destroy(&k->lock);
	}
	sodium_free(k); /* wipes the memory */
}

int
mb_key_load(const char *path, struct mb_key **out, struct mb_diag *d)
{
	struct stat	 st;
	char		 text[128];
	uint8_t		 seed[crypto_sign_SEEDBYTES];
	size_t		 seedlen;
	const char	*end;
	struct mb_key	*k;
	ssize_t		 r;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return mb_diag_set(d, errno == ENOENT ? MB_ERR_NOTFOUND :
		    MB_ERR_IO, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) != 0) {
		close(fd);
		return mb_diag_set(d, MB_ERR_IO, "%s: %s", path,
		    strerror(errno));
	}
	if (st.st_mode & 077) {
		close(fd);
		return mb_diag_set(d, MB_ERR_PERM,
		    "%s: private key is accessible by others (mode %04o); "
		    "run: chmod 600 %s", path, (unsigned)(st.st_mode & 07777),
		    path);
	}
	r = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (r < 0)
		return mb_diag_set(d, MB_ERR_IO, "%s: %s", path,
		    strerror(errno));
	text[r] = '\0';
	text[strcspn(text, "\r\n")] = '\0';
	if (strncmp(text, KEY_FILE_PREFIX, sizeof(KEY_FILE_PREFIX) - 1) != 0 ||
	    sodium_base642bin(seed, sizeof(seed),
	    text + sizeof(KEY_FILE_PREFIX) - 1,
	    strlen(text + sizeof(KEY_FILE_PREFIX) - 1), NULL, &seedlen, &end,
	    sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    seedlen != sizeof(seed) || *end != '\0') {
		sodium_memzero(text, sizeof(text));
		return mb_diag_set(d, MB_ERR_CORRUPT,
		    "%s: not a mediabridge secret key file", path);
	}
	sodium_memzero(text, sizeof(text));
	if ((k = key_alloc()) == NULL) {
		sodium_memzero(seed, sizeof(seed));
		return MB_ERR_NOMEM;
	}
	crypto_sign_seed_keypair(k->pk, k->sk, seed);
	sodium_memzero(seed, sizeof(seed));
	*out = k;
	return MB_OK;
}

int
mb_key_save(const struct mb_key *k, const char *path, struct mb_diag *d)
{
	char	b64[sodium_base64_ENCODED_LEN(crypto_sign_SEEDBYTES,
	    sodium_base64_VARIANT_ORIGINAL)];
	char	text[128];
	int	n, rc;

	/* The first half of libsodium's secret key is the seed. */
	sodium_bin2base64(b64, sizeof(b64), k->sk, crypto_sign_SEEDBYTES,
	    sodium_base64_VARIANT_ORIGINAL);
	n = snprintf(text, sizeof(text), KEY_FILE_PREFIX "%s\n", b64);
	rc = mb_fs_write_atomic(path, text, (size_t)n, 0600, d);
	sodium_memzero(b64, sizeof(b64));
	sodium_memzero(text, sizeof(text));
	return rc;
}

void
mb_key_public(const struct mb_key *k, uint8_t pk[MB_PUBKEY_LEN])
{
	memcpy(pk, k->pk, MB_PUBKEY_LEN);
}

void
mb_key_sign(const struct mb_key *k, const void *msg, size_t len,
    uint8_t sig[MB_SIG_LEN])
{
	if (k->remote_fd >= 0) {
		/* A broken invariant: every serve path signs with a kind. */
		log_error("key: a remote key was asked to sign without a kind");
		abort();
	}
	crypto_sign_detached(sig, NULL, msg, len, k->sk);
}

int
mb_key_sign_as(const struct mb_key *k, enum mb_sign_kind kind,
    const void *msg, size_t len, uint8_t sig[MB_SIG_LEN], struct mb_diag *d)
{
	struct mb_key	*mk = (struct mb_key *)k;	/* the lock only */
	int		 rc;

	if (k->remote_fd < 0) {
		crypto_sign_detached(sig, NULL, msg, len, k->sk);
		return MB_OK;
	}
	/* One request at a time on the socket; replies come in order. */
	pthread_mutex_lock(&mk->lock);
	rc = mb_signer_ask(k->remote_fd, kind, msg, len, sig, d);
	pthread_mutex_unlock(&mk->lock);
	/* The signer's answer is checked here too: no trust in either. */
	if (rc == MB_OK && !mb_sig_verify(k->pk, msg, len, sig))
		rc = mb_diag_set(d, MB_ERR_SIG, "signer: the signature it "
		    "sent does not verify");
	return rc;
}

bool
mb_sig_verify(const uint8_t pk[MB_PUBKEY_LEN], const void *msg, size_t len,
    const uint8_t sig[MB_SIG_LEN])
{
	return crypto_sign_verify_detached(sig, msg, len, pk) == 0;
}

void
mb_pubkey_format(const uint8_t pk[MB_PUBKEY_LEN],
    char out[MB_PUBKEY_TEXT_LEN])
{
	memcpy(out, "ed25519:", 8);
	sodium_bin2base64(out + 8, MB_PUBKEY_TEXT_LEN - 8, pk, MB_PUBKEY_LEN,
	    sodium_base64_VARIANT_ORIGINAL);
}

int
mb_pubkey_parse(const char *s, uint8_t pk[MB_PUBKEY_LEN], struct mb_diag *d)
{
	uint8_t		 tmp[MB_PUBKEY_LEN];
	size_t		 n;
	const char	*end;

	if (s == NULL || strncmp(s, "ed25519:", 8) != 0)
		return mb_diag_set(d, MB_ERR_INVAL,
		    "public key must look like ed25519:<base64>");
	if (sodium_base642bin(tmp, sizeof(tmp), s + 8, strlen(s + 8), NULL,
	    &n, &end, sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    n != MB_PUBKEY_LEN || *end != '\0')
		return mb_diag_set(d, MB_ERR_INVAL,
		    "public key is not 32 bytes of base64 after ed25519:");
	memcpy(pk, tmp, MB_PUBKEY_LEN);
	return MB_OK;
}

void
mb_sig_format(const uint8_t sig[MB_SIG_LEN], char out[MB_SIG_TEXT_LEN])
{
	sodium_bin2base64(out, MB_SIG_TEXT_LEN, sig, MB_SIG_LEN,
	    sodium_base64_VARIANT_ORIGINAL);
}

int
mb_sig_parse(const char *s, uint8_t sig[MB_SIG_LEN])
{
	size_t		 n;
	const char	*end;

	if (s == NULL || sodium_base642bin(sig, MB_SIG_LEN, s, strlen(s),
	    NULL, &n, &end, sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    n != MB_SIG_LEN || *end != '\0')
		return MB_ERR_INVAL;
	return MB_OK;
}
