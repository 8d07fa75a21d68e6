/* SPDX-License-Identifier: MIT */
/* A center's engines: DIR/engines.conf and the API key files, each engine's
 * bounded queue, requests with retries, the cache of pairs, and routes
 * (directly or through a pivot). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <ini.h>
#include <sodium.h>

#include "base/fs.h"
#include "base/log.h"
#include "base/timeutil.h"
#include "mt/mt_int.h"

#define PAIRS_TTL_MS	(5 * 60 * 1000)
#define PROBE_MS	10000
#define KEY_MAX		4096
#define REPLY_MAX	(32u * 1024 * 1024)

const char *
mb_mt_kind_name(enum mb_mt_kind kind)
{
	return kind == MB_MT_APY ? "apertium-apy" :
	    kind == MB_MT_LIBRETRANSLATE ? "libretranslate" :
	    kind == MB_MT_PEER ? "mediabridge" : "?";
}

int
mb_mt_kind_parse(const char *s, enum mb_mt_kind *out, struct mb_diag *d)
{
	if (strcmp(s, "apertium-apy") == 0)
		*out = MB_MT_APY;
	else if (strcmp(s, "libretranslate") == 0)
		*out = MB_MT_LIBRETRANSLATE;
	else if (strcmp(s, "mediabridge") == 0)
		*out = MB_MT_PEER;
	else
		return mb_diag_set(d, MB_ERR_INVAL, "kind \"%.40s\": must be "
		    "apertium-apy, libretranslate or mediabridge (a member "
		    "center's shared engines)", s);
	return MB_OK;
}

void
mb_mt_engine_conf_defaults(struct mb_mt_engine_conf *c)
{
	memset(c, 0, sizeof(*c));
	c->timeout_s = 30;
	c->retries = 2;
	c->concurrency = 2;
	c->queue = 16;
	c->max_chars = 20000;
}

bool
mb_mt_engine_name_valid(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n > MB_MT_NAME_MAX ||
	    !((name[0] >= 'a' && name[0] <= 'z') ||
	    (name[0] >= '0' && name[0] <= '9')))
		return false;
	for (size_t i = 1; i < n; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') ||
		    (name[i] >= '0' && name[i] <= '9') || name[i] == '-' ||
		    name[i] == '_'))
			return false;
	return true;
}

bool
mb_mt_engine_version_valid(const char *v)
{
	size_t n = strlen(v);

	if (n >= MB_MT_VERSION_MAX || (n > 0 && (v[0] == ' ' ||
	    v[n - 1] == ' ')))
		return false;
	for (size_t i = 0; i < n; i++)
		if (v[i] < ' ' || v[i] > '~' || v[i] == ';' || v[i] == '#')
			return false;
	return true;
}

static int
url_check(const char *url, struct mb_diag *d)
{
	size_t n = strlen(url);

	if ((strncmp(url, "http://", 7) != 0 &&
	    strncmp(url, "https://", 8) != 0) || n >= MB_MT_URL_MAX ||
	    n <= 8)
		return mb_diag_set(d, MB_ERR_INVAL, "url \"%.80s\": must be an "
		    "http:// or https:// URL", url);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)url[i] <= ' ' || url[i] == 0x7f)
			return mb_diag_set(d, MB_ERR_INVAL, "url: no spaces "
			    "or control characters");
	return MB_OK;
}

/* ---- engines.conf -------------------------------------------------------- */

struct confs {
	struct mb_mt_engine_conf	*v;
	size_t				 n;
	struct mb_diag			*d;
	int				 rc;
};

static int
set_num(const char *value, int lo, int hi, int *out)
{
	char	*end;
	long	 v;

	errno = 0;
	v = strtol(value, &end, 10);
	if (errno != 0 || end == value || *end != '\0' || v < lo || v > hi)
		return -1;
	*out = (int)v;
	return 0;
}

static int
on_conf(void *user, const char *section, const char *key, const char *value)
{
	struct confs			*cs = user;
	struct mb_mt_engine_conf	*c;
	const char			*name;
	int				 ok = -1;

	/* inih reads on after an error: keep the first, with its line. */
	if (cs->rc != MB_OK)
		return 0;
	if (strncmp(section, "engine ", 7) != 0) {
		cs->rc = mb_diag_set(cs->d, MB_ERR_INVAL, "[%.40s]: unknown "
		    "section (want [engine NAME])", section);
		return 0;
	}
	name = section + 7;
	if (cs->n == 0 || strcmp(cs->v[cs->n - 1].name, name) != 0) {
		void *p;

		for (size_t i = 0; i < cs->n; i++)
			if (strcmp(cs->v[i].name, name) == 0) {
				cs->rc = mb_diag_set(cs->d, MB_ERR_INVAL,
				    "[engine %s]: twice", name);
				return 0;
			}
		if (!mb_mt_engine_name_valid(name)) {
			cs->rc = mb_diag_set(cs->d, MB_ERR_INVAL, "[engine "
			    "%.40s]: not a name (a-z, 0-9, - and _)", name);
			return 0;
		}
		if ((p = realloc(cs->v, (cs->n + 1) * sizeof(*cs->v))) ==
		    NULL) {
			cs->rc = MB_ERR_NOMEM;
			return 0;
		}
		cs->v = p;
		mb_mt_engine_conf_defaults(&cs->v[cs->n]);
		snprintf(cs->v[cs->n].name, sizeof(cs->v[0].name), "%s", name);
		cs->n++;
	}
	c = &cs->v[cs->n - 1];
	if (strcmp(key, "kind") == 0) {
		if ((cs->rc = mb_mt_kind_parse(value, &c->kind, cs->d)) !=
		    MB_OK)
			return 0;
		ok = 0;
	} else if (strcmp(key, "url") == 0) {
		if ((cs->rc = url_check(value, cs->d)) != MB_OK)
			return 0;
		memcpy(c->url, value, strlen(value) + 1);	/* checked */
		ok = 0;
	} else if (strcmp(key, "key_file") == 0) {
		ok = strlen(value) < sizeof(c->key_file) &&
		    strstr(value, "..") == NULL && value[0] != '/' ? 0 : -1;
		if (ok == 0)
			memcpy(c->key_file, value, strlen(value) + 1);
	} else if (strcmp(key, "timeout") == 0) {
		ok = set_num(value, 1, 3600, &c->timeout_s);
	} else if (strcmp(key, "retries") == 0) {
		ok = set_num(value, 0, 10, &c->retries);
	} else if (strcmp(key, "concurrency") == 0) {
		ok = set_num(value, 1, 256, &c->concurrency);
	} else if (strcmp(key, "queue") == 0) {
		ok = set_num(value, 0, 100000, &c->queue);
	} else if (strcmp(key, "max_chars") == 0) {
		ok = set_num(value, 100, 1 << 24, &c->max_chars);
	} else if (strcmp(key, "share") == 0 || strcmp(key, "readers") == 0) {
		bool *b = key[0] == 's' ? &c->share : &c->readers;

		if (strcmp(value, "yes") == 0 || strcmp(value, "no") == 0) {
			*b = value[0] == 'y';
			ok = 0;
		}
	} else if (strcmp(key, "version") == 0) {
		if ((ok = mb_mt_engine_version_valid(value) ? 0 : -1) == 0)
			memcpy(c->version, value, strlen(value) + 1);
	} else {
		cs->rc = mb_diag_set(cs->d, MB_ERR_INVAL, "[%s] %.40s: unknown "
		    "setting", section, key);
		return 0;
	}
	if (ok != 0) {
		cs->rc = mb_diag_set(cs->d, MB_ERR_INVAL, "[%s] %s: bad value "
		    "\"%.60s\"", section, key, value);
		return 0;
	}
	return 1;
}

/* Reads DIR/engines.conf; a missing file is no engines. */
static int
conf_load(const char *dir, struct mb_mt_engine_conf **out, size_t *n,
    struct mb_diag *d)
{
	struct confs	cs = { NULL, 0, d, MB_OK };
	char		path[1200];
	FILE		*f;
	int		line;

	*out = NULL;
	*n = 0;
	if (mb_fs_join(path, sizeof(path), dir, MB_MT_CONF_FILE) != MB_OK)
		return mb_diag_set(d, MB_ERR_INVAL, "%s: path too long", dir);
	if ((f = fopen(path, "r")) == NULL) {
		if (errno == ENOENT)
			return MB_OK;
		return mb_diag_set(d, MB_ERR_IO, "%s: %s", path,
		    strerror(errno));
	}
	line = ini_parse_file(f, on_conf, &cs);
	fclose(f);
	if (cs.rc == MB_OK && line != 0)
		cs.rc = mb_diag_set(d, MB_ERR_INVAL, "syntax error");
	for (size_t i = 0; cs.rc == MB_OK && i < cs.n; i++)
		if (cs.v[i].kind == 0 || cs.v[i].url[0] == '\0')
			cs.rc = mb_diag_set(d, MB_ERR_INVAL, "[engine %s]: "
			    "kind and url are required", cs.v[i].name);
	if (cs.rc != MB_OK) {
		mb_diag_prefix(d, "%s%s%d", path, line > 0 ? ":" : "",
		    line > 0 ? line : 0);
		free(cs.v);
		return cs.rc;
	}
	*out = cs.v;
	*n = cs.n;
	return MB_OK;
}

static int
conf_save(const char *dir, const struct mb_mt_engine_conf *v, size_t n,
    struct mb_diag *d)
{
	struct mb_buf	b = MB_BUF_INIT;
	char		path[1200];
	int		rc;

	if (mb_fs_join(path, sizeof(path), dir, MB_MT_CONF_FILE) != MB_OK)
		return mb_diag_set(d, MB_ERR_INVAL, "%s: path too long", dir);
	mb_buf_puts(&b, "# Machine translation engines (docs/translation.md)."
	    "\n# Written by `mediabridge engine add|remove`; edit with "
	    "care.\n");
	for (size_t i = 0; i < n; i++) {
		const struct mb_mt_engine_conf *c = &v[i];

		mb_buf_printf(&b, "\n[engine %s]\nkind = %s\nurl = %s\n",
		    c->name, mb_mt_kind_name(c->kind), c->url);
		if (c->key_file[0] != '\0')
			mb_buf_printf(&b, "key_file = %s\n", c->key_file);
		mb_buf_printf(&b, "timeout = %d\nretries = %d\n"
		    "concurrency = %d\nqueue = %d\nmax_chars = %d\n",
		    c->timeout_s, c->retries, c->concurrency, c->queue,
		    c->max_chars);
		if (c->version[0] != '\0')
			mb_buf_printf(&b, "version = %s\n", c->version);
		if (c->share)
			mb_buf_puts(&b, "share = yes\n");
		if (c->readers)
			mb_buf_puts(&b, "readers = yes\n");
	}
	if (b.data == NULL)
		return MB_ERR_NOMEM;
	rc = mb_fs_write_atomic(path, b.data, b.len, 0644, d);
	mb_buf_free(&b);
	return rc;
}

/* Reads an API key file: one line, trailing white space dropped. */
static int
key_read(const char *path, char **out, struct mb_diag *d)
{
	char	*buf = NULL;
	size_t	 len = 0;
	int	 rc;

	if (sodium_init() < 0)
		return mb_diag_set(d, MB_ERR_NOMEM, "libsodium: cannot start");
	if ((rc = mb_fs_read(path, KEY_MAX, &buf, &len, d)) != MB_OK)
		return rc;
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r' ||
	    buf[len - 1] == ' ' || buf[len - 1] == '\t'))
		buf[--len] = '\0';
	for (size_t i = 0; i < len && rc == MB_OK; i++)
		if ((unsigned char)buf[i] < ' ' || buf[i] == 0x7f)
			rc = mb_diag_set(d, MB_ERR_INVAL, "%s: one line of "
			    "printable characters, please", path);
	if (rc == MB_OK && len == 0)
		rc = mb_diag_set(d, MB_ERR_INVAL, "%s: empty", path);
	if (rc == MB_OK && (*out = sodium_malloc(len + 1)) == NULL)
		rc = MB_ERR_NOMEM;
	if (rc == MB_OK)
		memcpy(*out, buf, len + 1);
	sodium_memzero(buf, len);
	free(buf);
	return rc;
}

int
mb_mt_conf_add(const char *dir, struct mb_mt_engine_conf *c,
    const char *api_key_file, struct mb_diag *d)
{
	struct mb_mt_engine_conf	*v = NULL, *nv;
	char				 path[1400], kdir[1200];
	char				*key = NULL;
	size_t				 n = 0;
	bool				 wrote_key = false;
	int				 rc;

	if (!mb_mt_engine_name_valid(c->name))
		return mb_diag_set(d, MB_ERR_INVAL, "name \"%.40s\": 1 to 32 "
		    "of a-z, 0-9, - and _", c->name);
	if ((rc = url_check(c->url, d)) != MB_OK)
		return rc;
	/* A new line would add settings, a ";" cut the rest as a comment. */
	if (!mb_mt_engine_version_valid(c->version))
		return mb_diag_set(d, MB_ERR_INVAL, "version: under %d "
		    "printable ASCII characters, no ; or #", MB_MT_VERSION_MAX);
	if (c->kind != MB_MT_APY && c->kind != MB_MT_LIBRETRANSLATE &&
	    c->kind != MB_MT_PEER)
		return mb_diag_set(d, MB_ERR_INVAL, "no kind");
	if (c->kind == MB_MT_PEER && c->share)
		return mb_diag_set(d, MB_ERR_INVAL, "a center's shared engines "
		    "are not shared on (no relaying): drop --share");
	if ((rc = conf_load(dir, &v, &n, d)) != MB_OK)
		return rc;
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].name, c->name) == 0) {
			free(v);
			return mb_diag_set(d, MB_ERR_EXISTS, "engine %s is "
			    "already there (mediabridge engine remove DIR %s "
			    "first)", c->name, c->name);
		}
	if (api_key_file != NULL) {
		if ((rc = key_read(api_key_file, &key, d)) != MB_OK)
			goto done;
		snprintf(c->key_file, sizeof(c->key_file), "keys/engine-%s.key",
		    c->name);
		if (mb_fs_join(kdir, sizeof(kdir), dir, "keys") != MB_OK ||
		    mb_fs_join(path, sizeof(path), dir, c->key_file) != MB_OK) {
			rc = mb_diag_set(d, MB_ERR_INVAL, "%s: path too long",
			    dir);
			goto done;
		}
		if ((rc = mb_fs_mkdirs(kdir, 0700, d)) != MB_OK ||
		    (rc = mb_fs_write_atomic(path, key, strlen(key), 0600,
		    d)) != MB_OK)
			goto done;
		wrote_key = true;
	}
	if ((nv = realloc(v, (n + 1) * sizeof(*v))) == NULL) {
		rc = MB_ERR_NOMEM;
		goto done;
	}
	v = nv;
	v[n++] = *c;
	rc = conf_save(dir, v, n, d);
done:
	if (rc != MB_OK && wrote_key)
		unlink(path);
	if (key != NULL)
		sodium_free(key);
	free(v);
	return rc;
}

int
mb_mt_conf_remove(const char *dir, const char *name, struct mb_diag *d)
{
	struct mb_mt_engine_conf	*v = NULL;
	char				 path[1400], key_file[256] = "";
	size_t				 n = 0, i;
	int				 rc;

	if ((rc = conf_load(dir, &v, &n, d)) != MB_OK)
		return rc;
	for (i = 0; i < n; i++)
		if (strcmp(v[i].name, name) == 0)
			break;
	if (i == n) {
		free(v);
		return mb_diag_set(d, MB_ERR_NOTFOUND, "no engine named "
		    "\"%.40s\"", name);
	}
	memcpy(key_file, v[i].key_file, sizeof(key_file));
	memmove(&v[i], &v[i + 1], (n - i - 1) * sizeof(*v));
	rc = conf_save(dir, v, n - 1, d);
	free(v);
	if (rc == MB_OK && key_file[0] != '\0' &&
	    mb_fs_join(path, sizeof(path), dir, key_file) == MB_OK &&
	    unlink(path) != 0 && errno != ENOENT)
		log_warn("mt: engine=%s cannot remove its key file %s: %s",
		    name, path, strerror(errno));
	return rc;
}

/* ---- the handle ---------------------------------------------------------- */

static void
engine_free(struct mb_mt__engine *e)
{
	if (e == NULL)
		return;
	if (e->api_key != NULL)
		sodium_free(e->api_key);
	free(e->pairs);
	pthread_mutex_destroy(&e->lock);
	pthread_cond_destroy(&e->cond);
	free(e);
}

void
mb_mt__engine_free(struct mb_mt__engine *e)
{
	engine_free(e);
}

struct mb_mt__engine *
mb_mt__engine_new(const struct mb_mt_engine_conf *c,
    const struct mb_mt__backend *be, void *user)
{
	struct mb_mt__engine	*e;
	pthread_condattr_t	 ca;

	if ((e = calloc(1, sizeof(*e))) == NULL)
		return NULL;
	e->conf = *c;
	e->be = be;
	e->user = user;
	atomic_init(&e->off, false);
	pthread_mutex_init(&e->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&e->cond, &ca);
	pthread_condattr_destroy(&ca);
	return e;
}

/*
 * While the handle is made (one thread): the array keeps room for the
 * lenders appended later, and is never moved once they may be.
 */
int
mb_mt__add(struct mb_mt *mt, const struct mb_mt_engine_conf *c,
    const struct mb_mt__backend *be, void *user, struct mb_diag *d)
{
	struct mb_mt__engine	*e, **nv;

	(void)d;
	if ((e = mb_mt__engine_new(c, be, user)) == NULL)
		return MB_ERR_NOMEM;
	if (mt->n == mt->cap) {
		size_t cap = mt->n + 1 + MB_MT_LENDERS_MAX;

		if ((nv = realloc(mt->engines, cap * sizeof(*nv))) == NULL) {
			engine_free(e);
			return MB_ERR_NOMEM;
		}
		mt->engines = nv;
		mt->cap = cap;
	}
	e->sign = mt->sign;
	e->sign_arg = mt->sign_arg;
	mt->engines[mt->n] = e;
	__atomic_store_n(&mt->n, mt->n + 1, __ATOMIC_RELEASE);
	return MB_OK;
}

size_t
mb_mt__count(const struct mb_mt *mt)
{
	return __atomic_load_n(&mt->n, __ATOMIC_ACQUIRE);
}

static int
key_load(const char *dir, struct mb_mt__engine *e, struct mb_diag *d)
{
	struct stat	st;
	char		path[1400];

	if (mb_fs_join(path, sizeof(path), dir, e->conf.key_file) != MB_OK)
		return mb_diag_set(d, MB_ERR_INVAL, "%s: path too long", dir);
	if (stat(path, &st) != 0)
		return mb_diag_set(d, MB_ERR_NOTFOUND, "engine %s: %s: %s",
		    e->conf.name, path, strerror(errno));
	if (st.st_mode & 077)
		return mb_diag_set(d, MB_ERR_PERM, "engine %s: %s is mode %04o:"
		    " an API key must be private; run: chmod 600 %s",
		    e->conf.name, path, (unsigned)(st.st_mode & 07777), path);
	return key_read(path, &e->api_key, d);
}

int
mb_mt_open(const char *dir, struct mb_mt **out, struct mb_diag *d)
{
	struct mb_mt_engine_conf	*v = NULL;
	struct mb_mt			*mt;
	size_t				 n = 0;
	int				 rc;

	if (sodium_init() < 0)
		return mb_diag_set(d, MB_ERR_NOMEM, "libsodium: cannot start");
	if ((rc = conf_load(dir, &v, &n, d)) != MB_OK)
		return rc;
	if ((mt = calloc(1, sizeof(*mt))) == NULL) {
		free(v);
		return MB_ERR_NOMEM;
	}
	snprintf(mt->dir, sizeof(mt->dir), "%s", dir);
	pthread_mutex_init(&mt->grow_lock, NULL);
	/* Room for the configured engines and the lenders, made once. */
	if ((mt->engines = calloc(n + MB_MT_LENDERS_MAX,
	    sizeof(*mt->engines))) == NULL) {
		free(v);
		pthread_mutex_destroy(&mt->grow_lock);
		free(mt);
		return MB_ERR_NOMEM;
	}
	mt->cap = n + MB_MT_LENDERS_MAX;
	for (size_t i = 0; i < n && rc == MB_OK; i++) {
		rc = mb_mt__add(mt, &v[i], v[i].kind == MB_MT_APY ?
		    &mb_mt__apy : v[i].kind == MB_MT_PEER ? &mb_mt__peer :
		    &mb_mt__libretranslate, NULL, d);
		if (rc == MB_OK && v[i].key_file[0] != '\0')
			rc = key_load(dir, mt->engines[i], d);
	}
	free(v);
	if (rc != MB_OK) {
		mb_mt_close(mt);
		return rc;
	}
	*out = mt;
	return MB_OK;
}

void
mb_mt_set_signer(struct mb_mt *mt, mb_mt_sign_fn fn, void *arg)
{
	if (mt == NULL)
		return;
	pthread_mutex_lock(&mt->grow_lock);
	mt->sign = fn;
	mt->sign_arg = arg;
	for (size_t i = 0; i < mt->n; i++) {
		mt->engines[i]->sign = fn;
		mt->engines[i]->sign_arg = arg;
	}
	pthread_mutex_unlock(&mt->grow_lock);
}

void
mb_mt_close(struct mb_mt *mt)
{
	if (mt == NULL)
		return;
	for (size_t i = 0; i < mt->n; i++)
		engine_free(mt->engines[i]);
	free(mt->engines);
	pthread_mutex_destroy(&mt->grow_lock);
	free(mt);
}

size_t
mb_mt_engine_count(const struct mb_mt *mt)
{
	return mb_mt__count(mt);
}

const struct mb_mt_engine_conf *
mb_mt_engine_at(const struct mb_mt *mt, size_t i)
{
	return i < mb_mt__count(mt) ? &mt->engines[i]->conf : NULL;
}

bool
mb_mt_engine_off(const struct mb_mt *mt, size_t i)
{
	return i < mb_mt__count(mt) && atomic_load(&mt->engines[i]->off);
}

/* ---- requests ------------------------------------------------------------ */

static void
nap_ms(int64_t ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

int
mb_mt__engine_http(struct mb_mt__engine *e, const char *method,
    const char *path, const char *content_type, const char *body,
    size_t len, int timeout_ms, long *status, struct mb_buf *reply,
    struct mb_diag *d)
{
	struct mb_mt__http_req	rq;
	enum mb_mt__net		why;
	char			url[MB_MT_URL_MAX + 64];
	size_t			ul = strlen(e->conf.url);
	int64_t			delay = 200;
	int			rc = MB_OK, attempt;

	while (ul > 0 && e->conf.url[ul - 1] == '/')
		ul--;
	snprintf(url, sizeof(url), "%.*s%s", (int)ul, e->conf.url, path);
	rq = (struct mb_mt__http_req){ method, url, content_type, body, len,
	    timeout_ms > 0 ? timeout_ms : e->conf.timeout_s * 1000,
	    REPLY_MAX, NULL };
	for (attempt = 0; attempt <= e->conf.retries; attempt++) {
		char	*sig[6] = { NULL, NULL, NULL, NULL, NULL, NULL };
		bool	 again;

		if (attempt > 0) {
			log_warn("mt: engine=%s try=%d after=%lldms %s",
			    e->conf.name, attempt + 1, (long long)delay,
			    d != NULL ? d->msg : "");
			nap_ms(delay);
			delay *= 3;
		}
		/* A peer's request is signed afresh each try (a new nonce). */
		if (e->conf.kind == MB_MT_PEER) {
			if (e->sign == NULL) {
				rc = mb_diag_set(d, MB_ERR_PERM, "no key to "
				    "sign requests to a center with");
				break;
			}
			if ((rc = e->sign(e->sign_arg, method, url, body, len,
			    sig, d)) != MB_OK)
				break;
			rq.headers = (const char *const *)sig;
		}
		rc = mb_mt__http(&rq, status, reply, &why, d);
		for (int k = 0; k < 6; k++)
			free(sig[k]);
		rq.headers = NULL;
		if (rc == MB_OK) {
			again = *status == 429 || *status >= 500;
			if (!again || attempt == e->conf.retries)
				return MB_OK;
			mb_diag_set(d, MB_ERR_NET, "HTTP %ld", *status);
			continue;
		}
		if (rc != MB_ERR_NET || why != MB_MT__NET_CONNECT)
			break;
	}
	if (attempt > 0)
		mb_diag_prefix(d, "engine %s (%s), %d tries", e->conf.name,
		    e->conf.url, attempt > e->conf.retries ? attempt :
		    attempt + 1);
	else
		mb_diag_prefix(d, "engine %s (%s)", e->conf.name, e->conf.url);
	return rc;
}

int
mb_mt__urlencode(struct mb_buf *b, const char *s, size_t len)
{
	static const char	hex[] = "0123456789ABCDEF";
	int			rc = MB_OK;

	if ((rc = mb_buf_reserve(b, len * 3)) != MB_OK)
		return rc;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' ||
		    c == '.' || c == '~') {
			b->data[b->len++] = (char)c;
		} else {
			b->data[b->len++] = '%';
			b->data[b->len++] = hex[c >> 4];
			b->data[b->len++] = hex[c & 15];
		}
	}
	b->data[b->len] = '\0';
	return MB_OK;
}

void
mb_mt__excerpt(const char *s, size_t len, char *out, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < len && k + 4 < n; i++)
		out[k++] = (unsigned char)s[i] >= ' ' &&
		    (unsigned char)s[i] < 0x7f ? s[i] : '?';
	if (k + 4 >= n && len > k) {
		memcpy(out + k, "...", 3);
		k += 3;
	}
	out[k] = '\0';
}

/* ---- pairs --------------------------------------------------------------- */

static int
pair_cmp(const void *a, const void *b)
{
	const struct mb_mt_pair *x = a, *y = b;
	int c = strcmp(x->engine_from, y->engine_from);

	return c != 0 ? c : strcmp(x->engine_to, y->engine_to);
}

/* What the engine's version is when it does not say: its pairs' digest. */
static void
derive_version(const struct mb_mt__engine *e, struct mb_mt_pair *p,
    size_t n, char out[MB_MT_VERSION_MAX])
{
	crypto_hash_sha256_state	st;
	unsigned char			h[crypto_hash_sha256_BYTES];
	char				hex[65];

	if (e->conf.version[0] != '\0') {
		snprintf(out, MB_MT_VERSION_MAX, "%s", e->conf.version);
		return;
	}
	qsort(p, n, sizeof(*p), pair_cmp);
	crypto_hash_sha256_init(&st);
	for (size_t i = 0; i < n; i++) {
		crypto_hash_sha256_update(&st,
		    (const unsigned char *)p[i].engine_from,
		    strlen(p[i].engine_from));
		crypto_hash_sha256_update(&st, (const unsigned char *)"|", 1);
		crypto_hash_sha256_update(&st,
		    (const unsigned char *)p[i].engine_to,
		    strlen(p[i].engine_to));
		crypto_hash_sha256_update(&st, (const unsigned char *)"\n", 1);
	}
	crypto_hash_sha256_final(&st, h);
	sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
	snprintf(out, MB_MT_VERSION_MAX, "%s/pairs-%.12s",
	    mb_mt_kind_name(e->conf.kind), hex);
}

/* Asks the engine and caches the answer. */
static int
pairs_fetch(struct mb_mt__engine *e, int timeout_ms, struct mb_diag *d)
{
	struct mb_mt_pair	*p = NULL, *old;
	size_t			 n = 0;
	char			 version[MB_MT_VERSION_MAX];
	int			 rc;

	if ((rc = e->be->pairs(e, timeout_ms, &p, &n, d)) != MB_OK)
		return rc;
	derive_version(e, p, n, version);
	pthread_mutex_lock(&e->lock);
	old = e->pairs;
	e->pairs = p;
	e->npairs = n;
	e->pairs_ms = mb_time_mono_ms();
	memcpy(e->version, version, sizeof(version));
	pthread_mutex_unlock(&e->lock);
	free(old);
	return MB_OK;
}

void
mb_mt__pairs_seed(struct mb_mt__engine *e, struct mb_mt_pair *p, size_t n)
{
	struct mb_mt_pair	*old;
	char			 version[MB_MT_VERSION_MAX];

	derive_version(e, p, n, version);
	pthread_mutex_lock(&e->lock);
	old = e->pairs;
	e->pairs = p;
	e->npairs = n;
	e->pairs_ms = mb_time_mono_ms();
	memcpy(e->version, version, sizeof(version));
	pthread_mutex_unlock(&e->lock);
	free(old);
}

int
mb_mt__pairs(struct mb_mt__engine *e, struct mb_mt_pair **out, size_t *n,
    char version[MB_MT_VERSION_MAX], struct mb_diag *d)
{
	int64_t	now = mb_time_mono_ms();
	int	rc;

	pthread_mutex_lock(&e->lock);
	if (e->pairs_ms == 0 || now - e->pairs_ms > PAIRS_TTL_MS) {
		pthread_mutex_unlock(&e->lock);
		if ((rc = pairs_fetch(e, 0, d)) != MB_OK)
			return rc;
		pthread_mutex_lock(&e->lock);
	}
	*n = e->npairs;
	*out = malloc((e->npairs + 1) * sizeof(**out));
	if (*out != NULL)
		memcpy(*out, e->pairs, e->npairs * sizeof(**out));
	memcpy(version, e->version, MB_MT_VERSION_MAX);
	pthread_mutex_unlock(&e->lock);
	return *out != NULL ? MB_OK : MB_ERR_NOMEM;
}

int
mb_mt_engine_probe(struct mb_mt *mt, size_t i, struct mb_mt_probe *out,
    struct mb_diag *d)
{
	struct mb_mt__engine	*e;
	int64_t			 t0 = mb_time_mono_ms();
	int			 rc;

	memset(out, 0, sizeof(*out));
	if (i >= mb_mt__count(mt))
		return mb_diag_set(d, MB_ERR_NOTFOUND, "no engine %zu", i);
	e = mt->engines[i];
	if ((rc = pairs_fetch(e, e->conf.timeout_s * 1000 < PROBE_MS ?
	    e->conf.timeout_s * 1000 : PROBE_MS, d)) != MB_OK)
		return rc;
	out->latency_ms = mb_time_mono_ms() - t0;
	return mb_mt__pairs(e, &out->pairs, &out->n, out->version, d);
}

int
mb_mt_engine_pairs(struct mb_mt *mt, size_t i, struct mb_mt_probe *out,
    struct mb_diag *d)
{
	memset(out, 0, sizeof(*out));
	if (i >= mb_mt__count(mt))
		return mb_diag_set(d, MB_ERR_NOTFOUND, "no engine %zu", i);
	return mb_mt__pairs(mt->engines[i], &out->pairs, &out->n,
	    out->version, d);
}

void
mb_mt_probe_free(struct mb_mt_probe *p)
{
	if (p == NULL)
		return;
	free(p->pairs);
	memset(p, 0, sizeof(*p));
}

/* ---- the queue ----------------------------------------------------------- */

int
mb_mt__slot_get(struct mb_mt__engine *e, struct mb_diag *d)
{
	struct timespec	ts;
	int		rc = MB_OK;

	pthread_mutex_lock(&e->lock);
	if (e->in_flight >= e->conf.concurrency) {
		if (e->waiting >= e->conf.queue) {
			rc = mb_diag_set(d, MB_ERR_AGAIN, "engine %s is busy: "
			    "%d translations under way and %d waiting (its "
			    "queue is full); try again later", e->conf.name,
			    e->in_flight, e->waiting);
			goto done;
		}
		clock_gettime(CLOCK_MONOTONIC, &ts);
		ts.tv_sec += e->conf.timeout_s;
		e->waiting++;
		while (e->in_flight >= e->conf.concurrency &&
		    pthread_cond_timedwait(&e->cond, &e->lock, &ts) == 0)
			;
		e->waiting--;
		if (e->in_flight >= e->conf.concurrency) {
			rc = mb_diag_set(d, MB_ERR_AGAIN, "engine %s is busy: "
			    "no free slot within %d s; try again later",
			    e->conf.name, e->conf.timeout_s);
			goto done;
		}
	}
	e->in_flight++;
done:
	pthread_mutex_unlock(&e->lock);
	return rc;
}

void
mb_mt__slot_put(struct mb_mt__engine *e)
{
	pthread_mutex_lock(&e->lock);
	e->in_flight--;
	pthread_cond_signal(&e->cond);
	pthread_mutex_unlock(&e->lock);
}
