/* SPDX-License-Identifier: MIT */
/* FNV-1a over a C string: the small tables' hash (SQL texts, groups, cache keys). */
#ifndef MB_BASE_HASH_H
#define MB_BASE_HASH_H

#include <stdint.h>

/* FNV-1a's 64-bit offset basis: the hash of the empty string. */
#define MB_FNV1A_START	14695981039346656037ULL

/*
 * h with s's bytes folded in: mb_fnv1a(MB_FNV1A_START, s) is s's hash,
 * and chaining calls hashes the strings one after another. Not for
 * hostile keys where collisions would cost (no seed).
 */
static inline uint64_t
mb_fnv1a(uint64_t h, const char *s)
{
	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

#endif
