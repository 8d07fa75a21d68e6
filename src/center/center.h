/* SPDX-License-Identifier: MIT */
/* A center on disk: its configuration, its key and its store, opened together. */
#ifndef MB_CENTER_CENTER_H
#define MB_CENTER_CENTER_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"
#include "center/conf.h"
#include "item/key.h"
#include "store/store.h"

/*
 * DIR/
 *   mediabridge.conf     the configuration (conf.h)
 *   keys/center.key      the secret key, mode 0600
 *   keys/center.pub      the public key, ed25519:<base64>
 *   store.db             the SQLite store (unless [store] database says)
 */
struct mb_center_node {
	struct mb_conf	 conf;
	struct mb_key	*key;
	uint8_t		 pk[MB_PUBKEY_LEN];
};

struct mb_init_opts {
	const char	*id;
	const char	*name;
	const char	*country;
	const char	*languages;
	const char	*url;		/* may be NULL: from listen */
	const char	*listen;	/* may be NULL */
	const char	*database;	/* may be NULL: SQLite in DIR */
	int		 hq;		/* this center is HQ */
	const char	*hq_url;	/* branches: HQ's URL */
	const char	*hq_key;	/* branches: HQ's public key */
};

/*
 * The rules for a center's card, the same wherever one is made (init,
 * center add): a name of one line, 1-120 bytes, no control characters;
 * an ISO 3166 two-letter code in capitals; languages as "ar,en" (two or
 * three lower-case letters each, 120 bytes at most); an http(s) URL with
 * a host.
 */
bool mb_center_name_valid(const char *s);
bool mb_center_country_valid(const char *s);
bool mb_center_languages_valid(const char *s);
bool mb_center_url_valid(const char *s);

/*
 * Creates a new center in dir (which must not hold one): checks every
 * option, writes the key pair, the configuration and an empty store
 * that lists this center (and HQ, for a branch). Nothing is left
 * behind on failure.
 */
int mb_center_init(const char *dir, const struct mb_init_opts *o,
    struct mb_diag *d);

/* Opens the center in dir: configuration and key. */
int mb_center_open(const char *dir, struct mb_center_node **out,
    struct mb_diag *d);
void mb_center_close(struct mb_center_node *n);

/*
 * Opens the center in dir with key, without reading the key file: serve's
 * worker, whose key is remote (mb_key_remote; docs/architecture.md,
 * Privilege separation). key is owned by the node, or freed on failure.
 */
int mb_center_open_with(const char *dir, struct mb_key *key,
    struct mb_center_node **out, struct mb_diag *d);

/*
 * Opens a store connection for this center, with the text module's
 * stemming tokenizer registered. One per thread.
 */
int mb_center_store(const struct mb_center_node *n, struct mb_store **out,
    struct mb_diag *d);

/* The public key of a center the store knows (this one included). */
int mb_center_key_of(struct mb_store *st, const char *id,
    uint8_t pk[MB_PUBKEY_LEN], struct mb_diag *d);

struct mb_envelope;

/*
 * Checks that center id signed e, which this node stored at received_ms:
 * with id's current key (pk, or looked up when NULL), else with a key id
 * had before that was still its own then (center_keys, until_ms after
 * received_ms), so that what a center signed before a key replacement
 * keeps verifying. MB_OK, MB_ERR_SIG, or the store's error.
 */
int mb_center_verify(struct mb_store *st, const char *id,
    const uint8_t *pk, const struct mb_envelope *e, int64_t received_ms,
    struct mb_diag *d);

#endif
