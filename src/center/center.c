/* SPDX-License-Identifier: MIT */
/* Creating and opening a center's data directory. */
#include "center.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/blobpath.h"
#include "base/fs.h"
#include "base/timeutil.h"
#include "center/ingest.h"
#include "item/envelope.h"
#include "item/id.h"
#include "text/tokenizer.h"

bool
mb_center_name_valid(const char *s)
{
	if (s == NULL || *s == '\0' || strlen(s) > 120)
		return false;
	/* One line, no control characters: it is printed in lists. */
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

bool
mb_center_country_valid(const char *s)
{
	return s != NULL && strlen(s) == 2 && isupper((unsigned char)s[0]) &&
	    isupper((unsigned char)s[1]);
}

bool
mb_center_languages_valid(const char *s)
{
	size_t n;

	if (s == NULL || *s == '\0' || strlen(s) > 120)
		return false;
	for (;;) {
		for (n = 0; islower((unsigned char)s[n]); n++)
			;
		if (n < 2 || n > 3)
			return false;
		s += n;
		if (*s == '\0')
			return true;
		if (*s++ != ',')
			return false;
	}
}

bool
mb_center_url_valid(const char *s)
{
	const char *host;

	if (s == NULL)
		return false;
	if (strncmp(s, "http://", 7) == 0)
		host = s + 7;
	else if (strncmp(s, "https://", 8) == 0)
		host = s + 8;
	else
		return false;
	return *host != '\0' && strchr("/?#:@", *host) == NULL &&
	    strlen(s) < 256 && strpbrk(s, " \t\r\n\"<>\\") == NULL;
}

static int
check_opts(const struct mb_init_opts *o, struct mb_diag *d)
{
	uint8_t pk[MB_PUBKEY_LEN];
	char	host[MB_LISTEN_HOST_MAX], port[MB_LISTEN_PORT_MAX];

	if (!mb_center_id_valid(o->id))
		return mb_diag_set(d, MB_ERR_INVAL,
		    "--id: a center id is a lower-case letter then up to 31 "
		    "of a-z, 0-9, '-'");
	if (!mb_center_name_valid(o->name))
		return mb_diag_set(d, MB_ERR_INVAL,
		    "--name: required, one line, at most 120 bytes");
	if (!mb_center_country_valid(o->country))
		return mb_diag_set(d, MB_ERR_INVAL,
		    "--country: an ISO 3166 two-letter code such as EG");
	if (!mb_center_languages_valid(o->languages))
		return mb_diag_set(d, MB_ERR_INVAL,
		    "--languages: language codes separated by commas, such "
		    "as ar,en");
	if (o->url != NULL && !mb_center_url_valid(o->url))
		return mb_diag_set(d, MB_ERR_INVAL,
		    "--url: an http:// or https:// URL with a host");
	/* serve's own check: what init takes, serve can listen on. */
	if (o->listen != NULL && mb_conf_listen_split(o->listen, host, port,
	    NULL) != MB_OK)
		return mb_diag_set(d, MB_ERR_INVAL, "--listen: \"%s\" is not "
		    "HOST:PORT with a port from 0 to 65535, such as "
		    "127.0.0.1:8080 or [::1]:8080", o->listen);
	if (o->hq && (o->hq_url != NULL || o->hq_key != NULL))
		return mb_diag_set(d, MB_ERR_INVAL,
		    "--hq and --hq-url/--hq-key exclude each other");
	if (!o->hq && (o->hq_url == NULL) != (o->hq_key == NULL))
		return mb_diag_set(d, MB_ERR_INVAL,
		    "a branch needs both --hq-url and --hq-key");
	if (o->hq_url != NULL && !mb_center_url_valid(o->hq_url))
		return mb_diag_set(d, MB_ERR_INVAL,
		    "--hq-url: an http:// or https:// URL with a host");
	if (o->hq_key != NULL && mb_pubkey_parse(o->hq_key, pk, d) != MB_OK) {
		mb_diag_prefix(d, "--hq-key");
		return MB_ERR_INVAL;
	}
	return MB_OK;
}

/*
 * What a center keeps in its directory beside the configuration. A
 * directory holding any of them is a center whose configuration was
 * lost or moved (or a copy of one): init would replace its key, and a
 * failed init would remove its store. Refused, so that init and its undo
 * only ever touch what this run made.
 */
static const char *const center_files[] = { "keys", "store.db",
	"store.db-wal", "store.db-shm", MB_BLOB_TOP, NULL };

static int
check_fresh(const char *dir, struct mb_diag *d)
{
	struct stat	sb;
	char		path[1200];

	for (int i = 0; center_files[i] != NULL; i++) {
		if (mb_fs_join(path, sizeof(path), dir, center_files[i]) !=
		    MB_OK)
			return mb_diag_set(d, MB_ERR_TOOBIG, "%s: path too "
			    "long", dir);
		if (lstat(path, &sb) == 0)
			return mb_diag_set(d, MB_ERR_EXISTS, "%s: already "
			    "holds a center's %s (its configuration is "
			    "missing): init wants a new or empty directory; "
			    "to recover that center, restore its "
			    "mediabridge.conf", dir, center_files[i]);
	}
	return MB_OK;
}

/* The first center a store lists: it is some center's already. */
static int
first_center(const struct mb_center *c, void *arg)
{
	snprintf(arg, MB_CENTER_MAX + 1, "%s", c->id);
	return 1;
}

/* Removes what init made, so that a failed init leaves nothing. */
static void
undo_init(const char *dir, const char *conf_file, int made_dir)
{
	static const char *const files[] = { "keys/center.key",
		"keys/center.pub", "store.db", "store.db-wal",
		"store.db-shm", NULL };
	char path[1200];

	unlink(conf_file);
	for (int i = 0; files[i]; i++)
		if (mb_fs_join(path, sizeof(path), dir, files[i]) == MB_OK)
			unlink(path);
	if (mb_fs_join(path, sizeof(path), dir, "keys") == MB_OK)
		rmdir(path);
	if (made_dir)
		rmdir(dir);
}

int
mb_center_init(const char *dir, const struct mb_init_opts *o,
    struct mb_diag *d)
{
	struct mb_center_node	 n;
	struct mb_center	 self;
	struct mb_store		*st = NULL;
	struct stat		 sb;
	char			 path[1200], pub[MB_PUBKEY_TEXT_LEN];
	char			 line[MB_PUBKEY_TEXT_LEN + 2];
	char			 other[MB_CENTER_MAX + 1];
	int			 made_dir = 0, exists, rc;

	if ((rc = check_opts(o, d)) != MB_OK)
		return rc;
	if (mb_conf_locate(dir, path, sizeof(path), &exists) != MB_OK)
		return mb_diag_set(d, MB_ERR_TOOBIG, "%s: path too long", dir);
	if (exists)
		return mb_diag_set(d, MB_ERR_EXISTS, "%s: already holds a "
		    "center (%s)", dir, path);
	if (stat(dir, &sb) == 0) {
		if (!S_ISDIR(sb.st_mode))
			return mb_diag_set(d, MB_ERR_EXISTS,
			    "%s: exists and is not a directory", dir);
		if ((rc = check_fresh(dir, d)) != MB_OK)
			return rc;
	} else {
		/*
		 * 0700: the store holds members' contacts, password hashes,
		 * sessions and learners' answers (DESIGN section 9); the
		 * worker runs as the directory's owner (privsep.c).
		 */
		if ((rc = mb_fs_mkdirs(dir, 0755, d)) != MB_OK)
			return rc;
		made_dir = 1;
		if (chmod(dir, 0700) != 0) {
			rc = mb_diag_set(d, MB_ERR_IO, "%s: %s", dir,
			    strerror(errno));
			rmdir(dir);
			return rc;
		}
	}
	memset(&n, 0, sizeof(n));
	mb_conf_defaults(&n.conf, dir);
	snprintf(n.conf.id, sizeof(n.conf.id), "%s", o->id);
	snprintf(n.conf.name, sizeof(n.conf.name), "%s", o->name);
	snprintf(n.conf.country, sizeof(n.conf.country), "%s", o->country);
	snprintf(n.conf.languages, sizeof(n.conf.languages), "%s",
	    o->languages);
	snprintf(n.conf.role, sizeof(n.conf.role), "%s",
	    o->hq ? "hq" : "branch");
	if (o->listen != NULL)
		snprintf(n.conf.listen, sizeof(n.conf.listen), "%s",
		    o->listen);
	if (o->url != NULL)
		snprintf(n.conf.url, sizeof(n.conf.url), "%s", o->url);
	else
		snprintf(n.conf.url, sizeof(n.conf.url), "http://%s",
		    n.conf.listen);
	if (o->database != NULL)
		snprintf(n.conf.database, sizeof(n.conf.database), "%s",
		    o->database);
	if (o->hq_url != NULL) {
		snprintf(n.conf.hq_url, sizeof(n.conf.hq_url), "%s",
		    o->hq_url);
		snprintf(n.conf.hq_key, sizeof(n.conf.hq_key), "%s",
		    o->hq_key);
	}

	if ((rc = mb_fs_join(path, sizeof(path), dir, "keys")) != MB_OK ||
	    (rc = mb_fs_mkdirs(path, 0700, d)) != MB_OK)
		goto fail;
	if ((rc = mb_key_generate(&n.key)) != MB_OK)
		goto fail;
	mb_key_public(n.key, n.pk);
	mb_fs_join(path, sizeof(path), dir, "keys/center.key");
	if ((rc = mb_key_save(n.key, path, d)) != MB_OK)
		goto fail;
	mb_pubkey_format(n.pk, pub);
	snprintf(line, sizeof(line), "%s\n", pub);
	mb_fs_join(path, sizeof(path), dir, "keys/center.pub");
	if ((rc = mb_fs_write_atomic(path, line, strlen(line), 0644, d)) !=
	    MB_OK)
		goto fail;
	if ((rc = mb_conf_save(&n.conf, d)) != MB_OK)
		goto fail;
	if ((rc = mb_center_store(&n, &st, d)) != MB_OK)
		goto fail;
	/*
	 * A PostgreSQL database that holds a center's store already: two
	 * centers in one store would each serve the other's items as its
	 * own log. (A new SQLite file lists nobody: check_fresh.)
	 */
	other[0] = '\0';
	if ((rc = mb_store_center_list(st, first_center, other, d)) !=
	    MB_OK)
		goto fail;
	if (other[0] != '\0') {
		rc = mb_diag_set(d, MB_ERR_EXISTS, "--database: %s already "
		    "holds the store of center %s: a new center needs an "
		    "empty database of its own (createdb); several serve "
		    "processes of one center share its data directory "
		    "instead", o->database != NULL ? o->database : "the store",
		    other);
		goto fail;
	}
	memset(&self, 0, sizeof(self));
	snprintf(self.id, sizeof(self.id), "%s", n.conf.id);
	snprintf(self.name, sizeof(self.name), "%s", n.conf.name);
	snprintf(self.country, sizeof(self.country), "%s", n.conf.country);
	snprintf(self.languages, sizeof(self.languages), "%s",
	    n.conf.languages);
	snprintf(self.url, sizeof(self.url), "%s", n.conf.url);
	memcpy(self.key, n.pk, sizeof(self.key));
	snprintf(self.role, sizeof(self.role), "%s", n.conf.role);
	snprintf(self.status, sizeof(self.status), "active");
	if ((rc = mb_store_center_put(st, &self, d)) != MB_OK)
		goto fail;
	mb_store_close(st);
	mb_key_free(n.key);
	return MB_OK;
fail:
	mb_store_close(st);
	mb_key_free(n.key);
	undo_init(dir, n.conf.file, made_dir);
	return rc;
}

int
mb_center_open(const char *dir, struct mb_center_node **out,
    struct mb_diag *d)
{
	struct mb_center_node	*n;
	char			 path[1200];
	int			 rc;

	if ((n = calloc(1, sizeof(*n))) == NULL)
		return MB_ERR_NOMEM;
	if ((rc = mb_conf_load(dir, &n->conf, d)) != MB_OK)
		goto fail;
	mb_fs_join(path, sizeof(path), dir, "keys/center.key");
	if ((rc = mb_key_load(path, &n->key, d)) != MB_OK)
		goto fail;
	mb_key_public(n->key, n->pk);
	*out = n;
	return MB_OK;
fail:
	mb_center_close(n);
	return rc;
}

int
mb_center_open_with(const char *dir, struct mb_key *key,
    struct mb_center_node **out, struct mb_diag *d)
{
	struct mb_center_node	*n;
	int			 rc;

	if ((n = calloc(1, sizeof(*n))) == NULL) {
		mb_key_free(key);
		return MB_ERR_NOMEM;
	}
	n->key = key;
	if ((rc = mb_conf_load(dir, &n->conf, d)) != MB_OK) {
		mb_center_close(n);
		return rc;
	}
	mb_key_public(n->key, n->pk);
	*out = n;
	return MB_OK;
}

void
mb_center_close(struct mb_center_node *n)
{
	if (n == NULL)
		return;
	mb_key_free(n->key);
	free(n);
}

/*
 * The exchange's current zstd dictionary (DIR/dicts/current names it,
 * src/sync/dict.h), for the store to compress envelopes with; NULL when
 * the center has none (or it cannot be read: envelopes are then
 * compressed without one, nothing fails).
 */
static char *
current_zdict(const char *dir, size_t *len)
{
	char	path[1200], hash[65], *text = NULL, *dict = NULL;
	size_t	n;
	long long v;

	snprintf(path, sizeof(path), "%s/dicts/current", dir);
	if (mb_fs_read(path, 256, &text, &n, NULL) != MB_OK)
		return NULL;
	if (sscanf(text, "%lld %64[0-9a-f]", &v, hash) == 2 &&
	    strlen(hash) == 64) {
		snprintf(path, sizeof(path), "%s/dicts/%s.zdict", dir, hash);
		if (mb_fs_read(path, 1024 * 1024, &dict, len, NULL) != MB_OK)
			dict = NULL;
	}
	free(text);
	return dict;
}

int
mb_center_store(const struct mb_center_node *n, struct mb_store **out,
    struct mb_diag *d)
{
	struct mb_store_opts	opts;
	char			loc[2200], *zdict;
	const char		*db = n->conf.database;
	int			rc;

	memset(&opts, 0, sizeof(opts));
	opts.fts5_tokenizer = mb_text_fts5_tokenizer();
	opts.fts5_tokenizer_ctx = NULL;
	opts.index_text = mb_ingest_index_text;
	opts.zdict = zdict = current_zdict(n->conf.dir, &opts.zdict_len);
	opts.cache_kb = n->conf.store_cache_kb;
	/* A relative SQLite path is relative to the data directory. */
	if (strncmp(db, "sqlite:", 7) == 0 && db[7] != '/') {
		snprintf(loc, sizeof(loc), "sqlite:%s/%s", n->conf.dir, db + 7);
		db = loc;
	}
	rc = mb_store_open(db, &opts, out, d);
	free(zdict);
	return rc;
}

int
mb_center_key_of(struct mb_store *st, const char *id,
    uint8_t pk[MB_PUBKEY_LEN], struct mb_diag *d)
{
	struct mb_center	c;
	int			rc;

	if ((rc = mb_store_center_get(st, id, &c, d)) != MB_OK)
		return rc;
	memcpy(pk, c.key, MB_PUBKEY_LEN);
	return MB_OK;
}

struct old_key {
	const struct mb_envelope	*e;
	int64_t				 received_ms;
	bool				 ok;
};

/* A key the center had before, still its own when the item was stored. */
static int
try_old_key(const struct mb_center_key *k, void *arg)
{
	struct old_key	*o = arg;
	struct mb_diag	 d = { "" };

	if (o->received_ms >= k->until_ms)
		return MB_OK;
	o->ok = mb_envelope_verify(o->e, k->key, &d) == MB_OK;
	return o->ok ? 1 : MB_OK;
}

int
mb_center_verify(struct mb_store *st, const char *id, const uint8_t *pk,
    const struct mb_envelope *e, int64_t received_ms, struct mb_diag *d)
{
	uint8_t		now[MB_PUBKEY_LEN];
	struct old_key	o = { e, received_ms, false };
	int		rc;

	if (pk == NULL) {
		if ((rc = mb_center_key_of(st, id, now, d)) != MB_OK)
			return rc;
		pk = now;
	}
	if (mb_envelope_verify(e, pk, d) == MB_OK)
		return MB_OK;
	rc = mb_store_center_keys(st, id, try_old_key, &o, d);
	if (rc < 0)
		return rc;
	if (!o.ok)
		return mb_diag_set(d, MB_ERR_SIG, "signature does not verify");
	return MB_OK;
}
