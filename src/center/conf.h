/* SPDX-License-Identifier: MIT */
/*
 * A center's configuration file (INI, read by inih): DIR/mediabridge.conf,
 * or on an installed system /etc/mediabridge/<name>.conf for the data
 * directory /var/lib/mediabridge/<name>.
 */
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
	char	file[1200];		/* the file read (and written) */

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
	int	connection_kb;		/* libmicrohttpd memory per connection */
	int	max_connections;
	int	cache_mb;		/* response cache; 0: off */
	int	access_log;		/* one log line per request: 1/0 */
	char	user[64];		/* serve started as root runs as */
	char	trusted_proxies[512];	/* whose X-Forwarded-For counts */

	/* [impact] (docs/impact.md) */
	int	impact_count;		/* count readers' views: 1/0 */
	int	impact_retention_months;/* aggregates kept; default 25 */
	int	impact_flush_s;		/* counters to the store; default 60 */
	int	impact_report_s;	/* today's report so far; default 3600 */
	char	impact_geo_db[512];	/* libloc's database; "" default */

	/* [store] */
	char	database[1024];		/* sqlite:PATH or postgresql://... */
	/*
	 * SQLite's page cache per connection, KiB ([store] cache_mb); 0:
	 * the process's default (serve: SERVE_STORE_CACHE_KB each; the
	 * commands: the store's 64 MiB).
	 */
	int	store_cache_kb;
	/*
	 * SQLite's memory in serve, all its connections together, MiB
	 * ([store] memory_mb); 0: serve's default (SERVE_STORE_MEMORY_MB).
	 * The commands: unbounded.
	 */
	int	store_memory_mb;

	/* [hq] (branches) */
	char	hq_url[256];
	char	hq_key[64];		/* ed25519:<base64> */

	/* [mail]: events' mail (docs/events.md); no relay, no mail */
	char	mail_relay[256];	/* smtp://host:port or smtps:// */
	char	mail_from[256];		/* events@example.org */
	char	mail_user[128];
	char	mail_password[128];

	/* [events] */
	int	events_register_per_minute;	/* per client; 0: no limit */

	/*
	 * [courses] signup: how learners get accounts (docs/courses.md):
	 * false ("code", the default) only with an invitation code; true
	 * ("approval") also without one, disabled until an admin enables it.
	 */
	int	courses_signup_approval;	/* 0: code, 1: approval */
};

/*
 * Where dir's configuration is, first match wins (docs/operations.md):
 *
 *   1. DIR/mediabridge.conf, when it exists (development, tests, demo);
 *   2. CONFDIR/<basename of DIR>.conf, when it exists: the packaged
 *      layout, /etc/mediabridge/cairo.conf for /var/lib/mediabridge/cairo;
 *   3. for a new center (init): CONFDIR/<name>.conf when DIR is
 *      STATEDIR/<name>, DIR/mediabridge.conf otherwise.
 *
 * CONFDIR is <sysconfdir>/mediabridge and STATEDIR <localstatedir>/lib/
 * mediabridge of the build; MEDIABRIDGE_CONFDIR and MEDIABRIDGE_STATEDIR
 * override them (tests). *exists says whether the file is there.
 */
int mb_conf_locate(const char *dir, char *out, size_t n, int *exists);

/* CONFDIR and STATEDIR as above. */
const char *mb_conf_confdir(void);
const char *mb_conf_statedir(void);

/* Fills c with defaults for dir (c->file from mb_conf_locate). */
void mb_conf_defaults(struct mb_conf *c, const char *dir);

/* Reads dir's configuration (mb_conf_locate) over the defaults. */
int mb_conf_load(const char *dir, struct mb_conf *c, struct mb_diag *d);

/* Writes c->file atomically. */
int mb_conf_save(const struct mb_conf *c, struct mb_diag *d);

/*
 * Sets one key of one section in c->file in place: every other line,
 * comment and unknown key is kept; the section is added when missing.
 */
int mb_conf_set(const struct mb_conf *c, const char *section,
    const char *key, const char *value, struct mb_diag *d);

/*
 * [server] listen as serve binds it: HOST:PORT, HOST a name, an address,
 * [an IPv6 address] or * (every address), PORT 0-65535 in digits (0: any
 * free one). host (brackets removed) and port into the caller's arrays;
 * MB_ERR_INVAL naming what is wrong. Shared by serve, init and doctor, so
 * that what init takes is what serve can listen on.
 */
#define MB_LISTEN_HOST_MAX	128
#define MB_LISTEN_PORT_MAX	16
int mb_conf_listen_split(const char *listen, char host[MB_LISTEN_HOST_MAX],
    char port[MB_LISTEN_PORT_MAX], struct mb_diag *d);

/* DIR/name into out. */
int mb_conf_path(const struct mb_conf *c, const char *name, char *out,
    size_t n);

#endif
