/* SPDX-License-Identifier: MIT */
/* A center's configuration file, DIR/mediabridge.conf (INI, read by inih). */
#ifndef MB_CENTER_CONF_H
#define MB_CENTER_CONF_H

#include <stdint.h>

#include "base/err.h"

#define MB_CONF_FILE "mediabridge.conf"

/*
 * Every setting, with its default. The file is written by `init` and may
 * be edited by hand; unknown sections or keys are refused, naming the
 * line, so that a typo does not silently change nothing.
 */
struct mb_conf {
	char	dir[1024];		/* the data directory (not in the file) */

	/* [center] */
	char	id[33];
	char	name[128];
	char	country[8];
	char	languages[128];		/* "ar,en" */
	char	role[16];		/* hq or branch */
	char	url[256];		/* how others reach this center */

	/* [server] */
	char	listen[128];		/* HOST:PORT */
	int	threads;		/* 0: one per core */
	int64_t	max_body;		/* bytes */
	int	timeout;		/* idle connection timeout, seconds */
	int	max_connections;
	int	cache_mb;		/* response cache; 0: off */
	int	access_log;		/* one log line per request: 1/0 */

	/* [store] */
	char	database[1024];		/* sqlite:PATH or postgresql://... */

	/* [hq] (branches) */
	char	hq_url[256];
	char	hq_key[64];		/* ed25519:<base64> */
};

/* Fills c with defaults for dir. */
void mb_conf_defaults(struct mb_conf *c, const char *dir);

/* Reads DIR/mediabridge.conf over the defaults. */
int mb_conf_load(const char *dir, struct mb_conf *c, struct mb_diag *d);

/* Writes DIR/mediabridge.conf atomically. */
int mb_conf_save(const struct mb_conf *c, struct mb_diag *d);

/* DIR/name into out. */
int mb_conf_path(const struct mb_conf *c, const char *name, char *out,
    size_t n);

#endif
