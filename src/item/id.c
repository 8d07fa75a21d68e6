/* SPDX-License-Identifier: MIT */
/* Center ids, ULID local ids and item uris. */
#include "id.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "base/err.h"
#include "base/timeutil.h"

static const char crockford[] = "0123456789abcdefghjkmnpqrstvwxyz";

bool
mb_center_id_valid(const char *id)
{
	size_t n;

	if (id == NULL || !(id[0] >= 'a' && id[0] <= 'z'))
		return false;
	for (n = 0; id[n] != '\0'; n++) {
		char c = id[n];

		if (n >= MB_CENTER_MAX)
			return false;
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-'))
			return false;
	}
	return true;
}

bool
mb_local_id_valid(const char *local)
{
	size_t n;

	if (local == NULL || local[0] == '\0')
		return false;
	for (n = 0; local[n] != '\0'; n++) {
		char c = local[n];

		if (n >= MB_LOCAL_MAX)
			return false;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return false;
	}
	return true;
}

/*
 * The last id minted, so that two ids in the same millisecond still sort:
 * the second one is the first one's random part plus one (as ULID's
 * monotonic mode does).
 */
static pthread_mutex_t mint_lock = PTHREAD_MUTEX_INITIALIZER;
static int64_t last_ms = -1;
static unsigned char last_rand[10];

void
mb_local_id_mint(char out[MB_LOCAL_LEN + 1])
{
	unsigned char	bytes[16];
	int64_t		ms = mb_time_now_ms();
	int		i, bit;

	pthread_mutex_lock(&mint_lock);
	if (ms <= last_ms) {
		ms = last_ms;
		for (i = 9; i >= 0; i--)
			if (++last_rand[i] != 0)
				break;
	} else {
		randombytes_buf(last_rand, sizeof(last_rand));
		last_rand[0] &= 0x7f; /* room to count up within a millisecond */
		last_ms = ms;
	}
	memcpy(bytes + 6, last_rand, 10);
	pthread_mutex_unlock(&mint_lock);
	for (i = 0; i < 6; i++)
		bytes[i] = (unsigned char)((uint64_t)ms >> (40 - 8 * i));
	/* 128 bits as 26 base32 digits: the first digit holds 3 bits. */
	for (i = 0, bit = -2; i < MB_LOCAL_LEN; i++, bit += 5) {
		unsigned v = 0;

		for (int b = 0; b < 5; b++) {
			int pos = bit + b;

			v <<= 1;
			if (pos >= 0 && (bytes[pos / 8] >> (7 - pos % 8)) & 1)
				v |= 1;
		}
		out[i] = crockford[v];
	}
	out[MB_LOCAL_LEN] = '\0';
}

int64_t
mb_local_id_time(const char *local)
{
	int64_t v = 0;

	if (local == NULL || strlen(local) != MB_LOCAL_LEN)
		return -1;
	/* The first 10 digits carry 50 bits: the top 2 are zero, 48 are ms. */
	for (int i = 0; i < 10; i++) {
		const char *p = strchr(crockford, local[i]);

		if (p == NULL || local[i] == '\0')
			return -1;
		v = v * 32 + (p - crockford);
	}
	return v;
}

int
mb_uri_parse(const char *uri, char center[MB_CENTER_MAX + 1],
    char local[MB_LOCAL_MAX + 1])
{
	static const char	 prefix[] = "urn:mediabridge:";
	const char		*c, *colon;
	size_t			 n;

	if (uri == NULL || strncmp(uri, prefix, sizeof(prefix) - 1) != 0)
		return MB_ERR_INVAL;
	c = uri + sizeof(prefix) - 1;
	if ((colon = strchr(c, ':')) == NULL)
		return MB_ERR_INVAL;
	n = (size_t)(colon - c);
	if (n == 0 || n > MB_CENTER_MAX || strlen(colon + 1) > MB_LOCAL_MAX)
		return MB_ERR_INVAL;
	memcpy(center, c, n);
	center[n] = '\0';
	memcpy(local, colon + 1, strlen(colon + 1) + 1); /* checked above */
	if (!mb_center_id_valid(center) || !mb_local_id_valid(local))
		return MB_ERR_INVAL;
	return MB_OK;
}

int
mb_uri_make(char *out, size_t n, const char *center, const char *local)
{
	int w;

	if (!mb_center_id_valid(center) || !mb_local_id_valid(local))
		return MB_ERR_INVAL;
	w = snprintf(out, n, "urn:mediabridge:%s:%s", center, local);
	if (w < 0 || (size_t)w >= n)
		return MB_ERR_TOOBIG;
	return MB_OK;
}
