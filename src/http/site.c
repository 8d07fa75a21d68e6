/* SPDX-License-Identifier: MIT */
/* Finds and loads the site directory: templates, catalogs, static files. */
#include "site.h"

#include <dirent.h>
#include <libgen.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "base/fs.h"
#include "base/log.h"

#ifndef MB_SITE_DATADIR
#define MB_SITE_DATADIR "/usr/local/share/mediabridge"
#endif

#define STATIC_MAX 64
#define STATIC_MAX_BYTES (1024 * 1024)

struct mb_site {
	struct mb_tpl_set	*tpl;
	struct mb_i18n		*i18n;
	struct mb_site_file	 files[STATIC_MAX];
	size_t			 nfiles;
};

static bool
is_site(const char *dir)
{
	char		path[PATH_MAX];
	struct stat	st;

	if (snprintf(path, sizeof(path), "%s/templates/head.html", dir) >=
	    (int)sizeof(path))
		return false;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int
mb_site_find_dir(char *out, size_t n, struct mb_diag *d)
{
	const char	*env = getenv("MEDIABRIDGE_SITE");
	char		 dir[PATH_MAX], *top;

	if (env != NULL && *env != '\0') {
		if (!is_site(env))
			return mb_diag_set(d, MB_ERR_NOTFOUND, "MEDIABRIDGE_SITE"
			    "=%s: no templates/head.html there", env);
		snprintf(out, n, "%s", env);
		return MB_OK;
	}
	if (mb_fs_self_dir(dir, sizeof(dir))) {
		top = dirname(dir);		/* build/ -> the checkout */
		if (is_site(top)) {
			snprintf(out, n, "%s", top);
			return MB_OK;
		}
	}
	if (is_site(MB_SITE_DATADIR)) {
		snprintf(out, n, "%s", MB_SITE_DATADIR);
		return MB_OK;
	}
	return mb_diag_set(d, MB_ERR_NOTFOUND, "no site directory (templates/"
	    "base.html): set MEDIABRIDGE_SITE, or install to %s",
	    MB_SITE_DATADIR);
}

static const char *
ctype_of(const char *name)
{
	static const struct {
		const char *ext, *type;
	} types[] = {
		{ ".css", "text/css; charset=utf-8" },
		{ ".js", "text/javascript; charset=utf-8" },
		{ ".svg", "image/svg+xml" },
		{ ".png", "image/png" },
		{ ".ico", "image/x-icon" },
		{ ".txt", "text/plain; charset=utf-8" },
		{ ".woff2", "font/woff2" },
	};
	const char *dot = strrchr(name, '.');

	for (size_t i = 0; dot != NULL && i < sizeof(types) /
	    sizeof(types[0]); i++)
		if (strcmp(dot, types[i].ext) == 0)
			return types[i].type;
	return NULL;
}

static int
load_static(struct mb_site *s, const char *dir, struct mb_diag *d)
{
	struct dirent	*e;
	DIR		*dp;
	char		 path[PATH_MAX];
	int		 rc = MB_OK;

	if ((dp = opendir(dir)) == NULL)
		return MB_OK;	/* a site may have no static files */
	while ((e = readdir(dp)) != NULL && rc == MB_OK) {
		struct mb_site_file	*f;
		unsigned char		 h[8];
		const char		*ct = ctype_of(e->d_name);
		char			*buf;
		size_t			 len;

		if (e->d_name[0] == '.' || ct == NULL)
			continue;
		if (s->nfiles == STATIC_MAX) {
			rc = mb_diag_set(d, MB_ERR_TOOBIG, "%s: more than %d "
			    "static files", dir, STATIC_MAX);
			break;
		}
		if ((rc = mb_fs_join(path, sizeof(path), dir, e->d_name)) !=
		    MB_OK || (rc = mb_fs_read(path, STATIC_MAX_BYTES, &buf,
		    &len, d)) != MB_OK)
			break;
		f = &s->files[s->nfiles];
		if ((f->name = strdup(e->d_name)) == NULL) {
			free(buf);
			rc = MB_ERR_NOMEM;
			break;
		}
		f->ctype = ct;
		f->data = buf;
		f->len = len;
		crypto_generichash(h, sizeof(h), (const unsigned char *)buf,
		    len, NULL, 0);
		sodium_bin2hex(f->hash, sizeof(f->hash), h, sizeof(h));
		s->nfiles++;
	}
	closedir(dp);
	return rc;
}

int
mb_site_open(const char *dir, struct mb_site **out, struct mb_diag *d)
{
	struct mb_site	*s;
	char		 path[PATH_MAX];
	int		 rc;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return MB_ERR_NOMEM;
	snprintf(path, sizeof(path), "%s/templates", dir);
	if ((rc = mb_tpl_load(path, &s->tpl, d)) != MB_OK)
		goto fail;
	snprintf(path, sizeof(path), "%s/templates/i18n", dir);
	if ((rc = mb_i18n_load(path, &s->i18n, d)) != MB_OK)
		goto fail;
	snprintf(path, sizeof(path), "%s/static", dir);
	if ((rc = load_static(s, path, d)) != MB_OK)
		goto fail;
	*out = s;
	return MB_OK;
fail:
	mb_site_close(s);
	return rc;
}

void
mb_site_close(struct mb_site *s)
{
	if (s == NULL)
		return;
	mb_tpl_set_free(s->tpl);
	mb_i18n_free(s->i18n);
	for (size_t i = 0; i < s->nfiles; i++) {
		free((char *)s->files[i].name);
		free((char *)s->files[i].data);
	}
	free(s);
}

static pthread_mutex_t	 site_lock = PTHREAD_MUTEX_INITIALIZER;
static struct mb_site	*the_site;

int
mb_site_init(struct mb_diag *d)
{
	char	dir[PATH_MAX];
	int	rc = MB_OK;

	pthread_mutex_lock(&site_lock);
	if (the_site == NULL) {
		if ((rc = mb_site_find_dir(dir, sizeof(dir), d)) == MB_OK &&
		    (rc = mb_site_open(dir, &the_site, d)) == MB_OK)
			log_info("site: dir=%s languages=%zu", dir,
			    mb_i18n_count(the_site->i18n));
	}
	pthread_mutex_unlock(&site_lock);
	return rc;
}

const struct mb_site *
mb_site_get(struct mb_diag *d)
{
	struct mb_site *s;

	pthread_mutex_lock(&site_lock);
	s = the_site;
	pthread_mutex_unlock(&site_lock);
	if (s == NULL && mb_site_init(d) == MB_OK) {
		pthread_mutex_lock(&site_lock);
		s = the_site;
		pthread_mutex_unlock(&site_lock);
	}
	return s;
}

const struct mb_tpl_set *
mb_site_templates(const struct mb_site *s)
{
	return s->tpl;
}

const struct mb_i18n *
mb_site_i18n(const struct mb_site *s)
{
	return s->i18n;
}

const struct mb_site_file *
mb_site_file(const struct mb_site *s, const char *name)
{
	for (size_t i = 0; i < s->nfiles; i++)
		if (strcmp(s->files[i].name, name) == 0)
			return &s->files[i];
	return NULL;
}
