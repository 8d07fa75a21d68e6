/* SPDX-License-Identifier: MIT */
/* Reading and writing the center's configuration file. */
#include "conf.h"

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>
#include <unistd.h>

#include <ini.h>

#include "base/buf.h"
#include "base/fs.h"

#ifndef MB_CONFDIR
#define MB_CONFDIR "/etc/mediabridge"
#endif
#ifndef MB_STATEDIR
#define MB_STATEDIR "/var/lib/mediabridge"
#endif

const char *
mb_conf_confdir(void)
{
	const char *e = getenv("MEDIABRIDGE_CONFDIR");

	return e != NULL && *e != '\0' ? e : MB_CONFDIR;
}

const char *
mb_conf_statedir(void)
{
	const char *e = getenv("MEDIABRIDGE_STATEDIR");

	return e != NULL && *e != '\0' ? e : MB_STATEDIR;
}

/* True when dir's parent is the state directory (both resolved). */
static int
under_statedir(const char *dir)
{
	char	copy[PATH_MAX], parent[PATH_MAX], state[PATH_MAX];

	if (snprintf(copy, sizeof(copy), "%s", dir) >= (int)sizeof(copy))
		return 0;
	if (realpath(dirname(copy), parent) == NULL ||
	    realpath(mb_conf_statedir(), state) == NULL)
		return 0;
	return strcmp(parent, state) == 0;
}

int
mb_conf_locate(const char *dir, char *out, size_t n, int *exists)
{
	char	local[1200], sys[1200], base[PATH_MAX], name[300];
	size_t	len;

	if (mb_fs_join(local, sizeof(local), dir, MB_CONF_FILE) != MB_OK)
		return MB_ERR_TOOBIG;
	*exists = access(local, F_OK) == 0;
	if (!*exists) {
		/* The data directory's last name: "cairo" of "/x/cairo/". */
		if (snprintf(base, sizeof(base), "%s", dir) >=
		    (int)sizeof(base))
			return MB_ERR_TOOBIG;
		while ((len = strlen(base)) > 1 && base[len - 1] == '/')
			base[len - 1] = '\0';
		snprintf(name, sizeof(name), "%s.conf", basename(base));
		if (mb_fs_join(sys, sizeof(sys), mb_conf_confdir(), name) !=
		    MB_OK)
			return MB_ERR_TOOBIG;
		if (access(sys, F_OK) == 0) {
			*exists = 1;
			return snprintf(out, n, "%s", sys) < (int)n ? MB_OK :
			    MB_ERR_TOOBIG;
		}
		if (under_statedir(dir))
			return snprintf(out, n, "%s", sys) < (int)n ? MB_OK :
			    MB_ERR_TOOBIG;
	}
	return snprintf(out, n, "%s", local) < (int)n ? MB_OK :
	    MB_ERR_TOOBIG;
}

void
mb_conf_defaults(struct mb_conf *c, const char *dir)
{
	int exists;

	memset(c, 0, sizeof(*c));
	snprintf(c->dir, sizeof(c->dir), "%s", dir);
	if (mb_conf_locate(dir, c->file, sizeof(c->file), &exists) != MB_OK)
		c->file[0] = '\0';
	snprintf(c->role, sizeof(c->role), "branch");
	snprintf(c->listen, sizeof(c->listen), "127.0.0.1:8080");
	c->max_body = 8 * 1024 * 1024;
	c->timeout = 30;
	/*
	 * Idle keep-alive connections are cheap to hold with epoll, but
	 * each keeps its libmicrohttpd pool (connection_kb): 16,384 of 16
	 * KB is 256 MB at worst. serve raises its descriptor limit to the
	 * hard one and caps this to fit (server.c).
	 */
	c->max_connections = 16384;
	c->connection_kb = 16;
	/*
	 * The response cache: the pages many readers ask for (fronts,
	 * feeds, today's items), not every item a crawler walks: 4 MiB
	 * (was 64, then 16 counting bodies only, then 8) holds ~1,000 item
	 * pages with their headers, all fronts and feeds. Under bench/rss's
	 * mixed reads 8 MiB hit 29.9 % of requests and 4 MiB 28.4 %, for 4
	 * MiB less Rss (docs/benchmarks.md, "The response cache's size").
	 */
	c->cache_mb = 4;
	c->access_log = 1;
	c->impact_count = 1;
	c->impact_retention_months = 25;
	c->impact_flush_s = 60;
	c->impact_report_s = 3600;
	snprintf(c->database, sizeof(c->database), "sqlite:store.db");
	c->events_register_per_minute = 10;
}

int
mb_conf_path(const struct mb_conf *c, const char *name, char *out, size_t n)
{
	return mb_fs_join(out, n, c->dir, name);
}

struct parse_state {
	struct mb_conf	*c;
	struct mb_diag	*d;
	int		 rc;
};

#define SET_STR(field) do {						\
	if (strlen(value) >= sizeof(c->field))				\
		goto toolong;						\
	memcpy(c->field, value, strlen(value) + 1);			\
	return 1;							\
} while (0)

static int
set_int(const char *value, int64_t min, int64_t max, int64_t *out)
{
	char	*end;
	long long v;

	errno = 0;
	v = strtoll(value, &end, 10);
	if (errno != 0 || end == value || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

static int
on_value(void *user, const char *section, const char *name,
    const char *value)
{
	struct parse_state	*ps = user;
	struct mb_conf		*c = ps->c;
	int64_t			 v;

	if (strcmp(section, "center") == 0) {
		if (strcmp(name, "id") == 0)
			SET_STR(id);
		if (strcmp(name, "name") == 0)
			SET_STR(name);
		if (strcmp(name, "country") == 0)
			SET_STR(country);
		if (strcmp(name, "languages") == 0)
			SET_STR(languages);
		if (strcmp(name, "role") == 0)
			SET_STR(role);
		if (strcmp(name, "url") == 0)
			SET_STR(url);
	} else if (strcmp(section, "server") == 0) {
		if (strcmp(name, "listen") == 0)
			SET_STR(listen);
		if (strcmp(name, "user") == 0)
			SET_STR(user);
		if (strcmp(name, "threads") == 0) {
			if (set_int(value, 0, 256, &v) != 0)
				goto badnum;
			c->threads = (int)v;
			return 1;
		}
		if (strcmp(name, "max_body") == 0) {
			if (set_int(value, 1024, INT64_C(1) << 40, &v) != 0)
				goto badnum;
			c->max_body = v;
			return 1;
		}
		if (strcmp(name, "timeout") == 0) {
			if (set_int(value, 1, 3600, &v) != 0)
				goto badnum;
			c->timeout = (int)v;
			return 1;
		}
		if (strcmp(name, "max_connections") == 0) {
			if (set_int(value, 1, 1000000, &v) != 0)
				goto badnum;
			c->max_connections = (int)v;
			return 1;
		}
		if (strcmp(name, "connection_kb") == 0) {
			if (set_int(value, 8, 1024, &v) != 0)
				goto badnum;
			c->connection_kb = (int)v;
			return 1;
		}
		if (strcmp(name, "cache_mb") == 0) {
			if (set_int(value, 0, 65536, &v) != 0)
				goto badnum;
			c->cache_mb = (int)v;
			return 1;
		}
		if (strcmp(name, "access_log") == 0) {
			if (strcmp(value, "on") == 0 || strcmp(value, "1") == 0)
				c->access_log = 1;
			else if (strcmp(value, "off") == 0 ||
			    strcmp(value, "0") == 0)
				c->access_log = 0;
			else
				goto badnum;
			return 1;
		}
		if (strcmp(name, "trusted_proxies") == 0)
			SET_STR(trusted_proxies);
	} else if (strcmp(section, "impact") == 0) {
		if (strcmp(name, "count") == 0) {
			if (strcmp(value, "on") == 0 || strcmp(value, "1") == 0)
				c->impact_count = 1;
			else if (strcmp(value, "off") == 0 ||
			    strcmp(value, "0") == 0)
				c->impact_count = 0;
			else
				goto badnum;
			return 1;
		}
		if (strcmp(name, "retention_months") == 0) {
			if (set_int(value, 1, 1200, &v) != 0)
				goto badnum;
			c->impact_retention_months = (int)v;
			return 1;
		}
		if (strcmp(name, "flush_s") == 0) {
			if (set_int(value, 1, 60, &v) != 0)
				goto badnum;
			c->impact_flush_s = (int)v;
			return 1;
		}
		if (strcmp(name, "report_s") == 0) {
			if (set_int(value, 1, 86400, &v) != 0)
				goto badnum;
			c->impact_report_s = (int)v;
			return 1;
		}
		if (strcmp(name, "geo_db") == 0)
			SET_STR(impact_geo_db);
	} else if (strcmp(section, "store") == 0) {
		if (strcmp(name, "database") == 0)
			SET_STR(database);
		if (strcmp(name, "cache_mb") == 0) {
			if (set_int(value, 1, 65536, &v) != 0)
				goto badnum;
			c->store_cache_kb = (int)v * 1024;
			return 1;
		}
		if (strcmp(name, "memory_mb") == 0) {
			if (set_int(value, 4, 65536, &v) != 0)
				goto badnum;
			c->store_memory_mb = (int)v;
			return 1;
		}
	} else if (strcmp(section, "hq") == 0) {
		if (strcmp(name, "url") == 0)
			SET_STR(hq_url);
		if (strcmp(name, "key") == 0)
			SET_STR(hq_key);
	} else if (strcmp(section, "mail") == 0) {
		if (strcmp(name, "relay") == 0)
			SET_STR(mail_relay);
		if (strcmp(name, "from") == 0)
			SET_STR(mail_from);
		if (strcmp(name, "user") == 0)
			SET_STR(mail_user);
		if (strcmp(name, "password") == 0)
			SET_STR(mail_password);
	} else if (strcmp(section, "courses") == 0) {
		if (strcmp(name, "signup") == 0) {
			if (strcmp(value, "code") != 0 &&
			    strcmp(value, "approval") != 0) {
				ps->rc = mb_diag_set(ps->d, MB_ERR_INVAL,
				    "[courses] signup: code or approval, not "
				    "%s", value);
				return 0;
			}
			c->courses_signup_approval = strcmp(value,
			    "approval") == 0;
			return 1;
		}
	} else if (strcmp(section, "events") == 0) {
		if (strcmp(name, "register_per_minute") == 0) {
			if (set_int(value, 0, 1000000, &v) != 0)
				goto badnum;
			c->events_register_per_minute = (int)v;
			return 1;
		}
	}
	ps->rc = mb_diag_set(ps->d, MB_ERR_INVAL, "[%s] %s: unknown setting",
	    section, name);
	return 0;
toolong:
	ps->rc = mb_diag_set(ps->d, MB_ERR_INVAL, "[%s] %s: value too long",
	    section, name);
	return 0;
badnum:
	ps->rc = mb_diag_set(ps->d, MB_ERR_INVAL,
	    "[%s] %s: not a number in range: %s", section, name, value);
	return 0;
}

int
mb_conf_load(const char *dir, struct mb_conf *c, struct mb_diag *d)
{
	struct parse_state	ps;
	char			path[1200];
	FILE			*f;
	int			line;

	mb_conf_defaults(c, dir);
	if (c->file[0] == '\0')
		return mb_diag_set(d, MB_ERR_INVAL, "%s: path too long", dir);
	snprintf(path, sizeof(path), "%s", c->file);
	if ((f = fopen(path, "r")) == NULL)
		return mb_diag_set(d, errno == ENOENT ? MB_ERR_NOTFOUND :
		    MB_ERR_IO, "%s: %s%s", path, strerror(errno),
		    errno == ENOENT ? " (is it a center? run mediabridge init)" :
		    "");
	ps.c = c;
	ps.d = d;
	ps.rc = MB_OK;
	line = ini_parse_file(f, on_value, &ps);
	fclose(f);
	if (ps.rc != MB_OK) {
		mb_diag_prefix(d, "%s:%d", path, line);
		return ps.rc;
	}
	if (line != 0)
		return mb_diag_set(d, MB_ERR_INVAL, "%s:%d: syntax error", path,
		    line);
	if (c->id[0] == '\0')
		return mb_diag_set(d, MB_ERR_INVAL, "%s: [center] id missing",
		    path);
	return MB_OK;
}

int
mb_conf_save(const struct mb_conf *c, struct mb_diag *d)
{
	struct mb_buf	b = MB_BUF_INIT;
	char		path[1200];
	int		rc;

	if (c->file[0] == '\0')
		return mb_diag_set(d, MB_ERR_INVAL, "%s: path too long",
		    c->dir);
	snprintf(path, sizeof(path), "%s", c->file);
	mb_buf_printf(&b,
	    "# mediabridge center configuration (written by init; edit with "
	    "care)\n\n"
	    "[center]\nid = %s\nname = %s\ncountry = %s\nlanguages = %s\n"
	    "role = %s\nurl = %s\n\n"
	    "[server]\nlisten = %s\nthreads = %d\nmax_body = %lld\n%s%s%s\n"
	    "[store]\ndatabase = %s\n",
	    c->id, c->name, c->country, c->languages, c->role, c->url,
	    c->listen, c->threads, (long long)c->max_body,
	    c->user[0] != '\0' ? "user = " : "", c->user,
	    c->user[0] != '\0' ? "\n" : "", c->database);
	if (c->hq_url[0] != '\0' || c->hq_key[0] != '\0')
		mb_buf_printf(&b, "\n[hq]\nurl = %s\nkey = %s\n", c->hq_url,
		    c->hq_key);
	if (c->mail_relay[0] != '\0')
		mb_buf_printf(&b, "\n[mail]\nrelay = %s\nfrom = %s\n",
		    c->mail_relay, c->mail_from);
	if (c->mail_user[0] != '\0')
		mb_buf_printf(&b, "user = %s\npassword = %s\n", c->mail_user,
		    c->mail_password);
	if (b.data == NULL) {
		mb_buf_free(&b);
		return MB_ERR_NOMEM;
	}
	/* 0600: it may name a database password or the mail relay's. */
	rc = mb_fs_write_atomic(path, b.data, b.len, 0600, d);
	mb_buf_free(&b);
	return rc;
}

/* Length of line s (up to and without its '\n'). */
static size_t
line_len(const char *s, const char *end)
{
	const char *nl = memchr(s, '\n', (size_t)(end - s));

	return nl != NULL ? (size_t)(nl - s) : (size_t)(end - s);
}

/* The section a "[name]" line opens, into out; 0 if the line is not one. */
static int
section_of(const char *s, size_t n, char *out, size_t outn)
{
	size_t	i = 0, j;

	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i >= n || s[i] != '[')
		return 0;
	for (j = i + 1; j < n && s[j] != ']'; j++)
		;
	if (j >= n || j - i - 1 >= outn)
		return 0;
	memcpy(out, s + i + 1, j - i - 1);
	out[j - i - 1] = '\0';
	return 1;
}

/* Whether the line sets key ("key = …" or "key: …", inih's syntax). */
static int
sets_key(const char *s, size_t n, const char *key)
{
	size_t	i = 0, k = strlen(key);

	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (n - i < k || memcmp(s + i, key, k) != 0)
		return 0;
	i += k;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i < n && (s[i] == '=' || s[i] == ':');
}

static int
blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return 0;
	return 1;
}

/*
 * Rewrites one key in place, keeping every other line (the operator's
 * comments and keys this version does not know) as it was: migrate and
 * restore change only [store] database, and writing the whole file from
 * struct mb_conf would drop the rest.
 */
int
mb_conf_set(const struct mb_conf *c, const char *section, const char *key,
    const char *value, struct mb_diag *d)
{
	struct mb_buf	b = MB_BUF_INIT;
	char		*text = NULL, cur[64];
	const char	*p, *end, *ins = NULL;
	size_t		len = 0, n;
	struct stat	st;
	int		rc, in = 0, done = 0, had;

	if (strpbrk(value, "\r\n") != NULL || strpbrk(key, "\r\n=:[") != NULL)
		return mb_diag_set(d, MB_ERR_INVAL, "%s: %s: a value may not "
		    "hold a line break", c->file, key);
	if ((rc = mb_fs_read(c->file, 1 << 20, &text, &len, d)) != MB_OK)
		return rc;
	cur[0] = '\0';
	end = text + len;
	for (p = text; p < end; p += n + 1) {
		n = line_len(p, end);
		if (section_of(p, n, cur, sizeof(cur))) {
			in = strcmp(cur, section) == 0;
			mb_buf_append(&b, p, n);
			mb_buf_append(&b, "\n", 1);
			if (in)
				ins = p + n;
			continue;
		}
		if (in && !done && sets_key(p, n, key)) {
			mb_buf_printf(&b, "%s = %s\n", key, value);
			done = 1;
			continue;
		}
		if (in && !blank(p, n))
			ins = p + n;
		mb_buf_append(&b, p, n);
		mb_buf_append(&b, "\n", 1);
	}
	if (!done && ins != NULL) {
		/* The section is there without the key: after its last line. */
		size_t at = (size_t)(ins - text);

		mb_buf_free(&b);
		mb_buf_append(&b, text, at);
		mb_buf_printf(&b, "\n%s = %s", key, value);
		mb_buf_append(&b, text + at, len - at);
		done = 1;
	}
	if (!done)
		mb_buf_printf(&b, "%s[%s]\n%s = %s\n",
		    len > 0 && text[len - 1] != '\n' ? "\n\n" : "\n", section,
		    key, value);
	free(text);
	if (b.data == NULL) {
		mb_buf_free(&b);
		return MB_ERR_NOMEM;
	}
	had = stat(c->file, &st) == 0;
	rc = mb_fs_write_atomic(c->file, b.data, b.len,
	    had ? (st.st_mode & 07777) : 0600, d);
	mb_buf_free(&b);
	/*
	 * The new file is root's when root rewrites it (migrate, restore):
	 * given back to its owner, the service's user, who reads it.
	 */
	if (rc == MB_OK && had && geteuid() == 0 &&
	    chown(c->file, st.st_uid, st.st_gid) != 0)
		rc = mb_diag_set(d, MB_ERR_IO, "%s: chown: %s", c->file,
		    strerror(errno));
	return rc;
}

int
mb_conf_listen_split(const char *listen, char host[MB_LISTEN_HOST_MAX],
    char port[MB_LISTEN_PORT_MAX], struct mb_diag *d)
{
	const char	*colon = strrchr(listen, ':');
	size_t		 hl;

	if (colon == NULL || colon == listen || colon[1] == '\0' ||
	    strlen(colon + 1) >= MB_LISTEN_PORT_MAX ||
	    (size_t)(colon - listen) >= MB_LISTEN_HOST_MAX ||
	    strpbrk(listen, " \t\r\n") != NULL)
		return mb_diag_set(d, MB_ERR_INVAL,
		    "listen: \"%s\" is not HOST:PORT", listen);
	hl = (size_t)(colon - listen);
	memcpy(host, listen, hl);
	host[hl] = '\0';
	snprintf(port, MB_LISTEN_PORT_MAX, "%s", colon + 1);
	/*
	 * getaddrinfo() takes "99999" and "+80" and listens on the port
	 * they wrap to: only 0-65535 in digits is a port here.
	 */
	if (strspn(port, "0123456789") != strlen(port) || strlen(port) > 5 ||
	    strtol(port, NULL, 10) > 65535)
		return mb_diag_set(d, MB_ERR_INVAL, "listen: \"%s\": the "
		    "port must be a number from 0 to 65535 (0: any free "
		    "port)", listen);
	if (host[0] == '[') {
		if (hl < 3 || host[hl - 1] != ']')
			return mb_diag_set(d, MB_ERR_INVAL, "listen: \"%s\": "
			    "an IPv6 address goes in brackets, [::1]:8080",
			    listen);
		memmove(host, host + 1, hl - 2);
		host[hl - 2] = '\0';
	}
	return MB_OK;
}
