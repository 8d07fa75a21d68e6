/* SPDX-License-Identifier: MIT */
/* Fuzz target: verifying RFC 9421 signature headers of a federation request. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "item/key.h"
#include "sync/httpsig.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every caller is "cairo" with one fixed key; others are unknown. */
static int
lookup(const char *id, uint8_t pk[MB_PUBKEY_LEN], void *arg,
    struct mb_diag *d)
{
	(void)arg;
	(void)d;
	if (strcmp(id, "cairo") != 0)
		return MB_ERR_NOTFOUND;
	memset(pk, 0x42, MB_PUBKEY_LEN);
	return MB_OK;
}

/*
 * The input is Signature-Input, a newline, Signature, a newline and the
 * query: the headers a peer controls, byte for byte. The clock is the
 * seeds' (corpus/httpsig), so that their created falls in the window.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct mb_sync_replay	*replay;
	struct mb_sync_req		 q;
	char				*in, *sig, *query, keyid[33];

	if (replay == NULL && (sodium_init() < 0 ||
	    mb_sync_replay_new(64, &replay) != MB_OK))
		abort();
	if ((in = malloc(size + 1)) == NULL)
		return 0;
	memcpy(in, data, size);
	in[size] = '\0';
	sig = "";
	query = NULL;
	if ((sig = strchr(in, '\n')) != NULL) {
		*sig++ = '\0';
		if ((query = strchr(sig, '\n')) != NULL)
			*query++ = '\0';
	}
	memset(&q, 0, sizeof(q));
	q.method = "GET";
	q.authority = "127.0.0.1:8080";
	q.path = "/federation/v1/log";
	q.query = query;
	(void)mb_sync_httpsig_verify(&q, in, sig, 1795975257, replay, lookup,
	    NULL, keyid, NULL);
	free(in);
	return 0;
}
