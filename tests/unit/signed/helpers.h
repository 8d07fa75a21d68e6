/* SPDX-License-Identifier: MIT */
/* What the unit tests of src/signed share: keys from known seeds, files. */
#ifndef MB_TEST_SIGNED_HELPERS_H
#define MB_TEST_SIGNED_HELPERS_H

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "item/key.h"

/*
 * A key from a 32-byte seed, through the key file the node reads (the
 * item module has no other door for a known seed, and that is right).
 */
static inline struct mb_key *
key_from_seed(const uint8_t seed[32])
{
	char		 dir[] = "/tmp/mb-signed-test-XXXXXX", path[128];
	char		 b64[64], text[128];
	struct mb_key	*k = NULL;
	struct mb_diag	 d = { "" };
	int		 fd, n;

	if (mkdtemp(dir) == NULL)
		return NULL;
	snprintf(path, sizeof(path), "%s/k", dir);
	sodium_bin2base64(b64, sizeof(b64), seed, 32,
	    sodium_base64_VARIANT_ORIGINAL);
	n = snprintf(text, sizeof(text), "ed25519-secret:%s\n", b64);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd >= 0 && write(fd, text, (size_t)n) == n) {
		close(fd);
		if (mb_key_load(path, &k, &d) != MB_OK)
			k = NULL;
	} else if (fd >= 0) {
		close(fd);
	}
	unlink(path);
	rmdir(dir);
	return k;
}

/* A key from a seed of one repeated byte. */
static inline struct mb_key *
key_of_byte(uint8_t b)
{
	uint8_t seed[32];

	memset(seed, b, sizeof(seed));
	return key_from_seed(seed);
}

/* Reads bytes from hex text; returns how many. */
static inline size_t
unhex(const char *hex, uint8_t *out, size_t cap)
{
	size_t n = 0;

	while (hex[0] && hex[1] && n < cap) {
		unsigned v;

		if (sscanf(hex, "%2x", &v) != 1)
			break;
		out[n++] = (uint8_t)v;
		hex += 2;
	}
	return n;
}

#endif
