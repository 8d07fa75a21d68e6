/* SPDX-License-Identifier: MIT */
/* The public site's files: templates, message catalogs, static assets. */
#ifndef MB_HTTP_SITE_H
#define MB_HTTP_SITE_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"
#include "http/i18n.h"
#include "http/template.h"

/*
 * The site directory holds templates/ (*.html), templates/i18n/ (*.msg)
 * and static/ (served at /static/NAME). serve finds it, first match
 * wins:
 *
 *   1. $MEDIABRIDGE_SITE
 *   2. the binary's directory's parent, when it holds templates/ (the
 *      checkout: build/mediabridge finds ./templates)
 *   3. the installed copy, <prefix>/share/mediabridge (MB_SITE_DATADIR)
 *
 * Everything is read once, at start-up; edit the files and restart.
 */
struct mb_site;

struct mb_site_file {
	const char	*name;		/* "site.css" */
	const char	*ctype;
	const char	*data;
	size_t		 len;
	char		 hash[17];	/* of the contents, for ?v= URLs */
};

/* Finds the site directory (see above) into out. MB_ERR_NOTFOUND. */
int mb_site_find_dir(char *out, size_t n, struct mb_diag *d);

int mb_site_open(const char *dir, struct mb_site **out, struct mb_diag *d);
void mb_site_close(struct mb_site *s);

/*
 * The process's site: mb_site_init() loads it (serve calls it before
 * starting the server, so that a broken template stops start-up);
 * mb_site_get() returns it, loading it on first use if init was not
 * called; NULL (d says why) when it cannot be loaded.
 */
int mb_site_init(struct mb_diag *d);
const struct mb_site *mb_site_get(struct mb_diag *d);

const struct mb_tpl_set *mb_site_templates(const struct mb_site *s);
const struct mb_i18n *mb_site_i18n(const struct mb_site *s);
/* A static file by name, or NULL. */
const struct mb_site_file *mb_site_file(const struct mb_site *s,
    const char *name);

#endif
