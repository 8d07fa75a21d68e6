/* SPDX-License-Identifier: MIT */
/* mediabridge doctor: checks what operators get wrong, and says what to do. */
#include <errno.h>
#include <glob.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "base/fs.h"
#include "base/timeutil.h"
#include "center/center.h"
#include "cli/cli.h"
#include "media/media.h"
#include "sync/httpsig.h"
#include "sync/probe.h"

static int run(int argc, char **argv);

const struct mb_cli_cmd mb_cmd_doctor = {
	"doctor", "check a center's setup and say what to fix",
	"usage: mediabridge doctor DIR [--offline]\n\n"
	"Checks what operators get wrong and prints one line per check, ok,\n"
	"WARN or FAIL, with what to do: the configuration loads; the key's\n"
	"file modes (0600) and owner; the public key matches the secret one;\n"
	"the store's integrity and its search index backlog; free disk space;\n"
	"the URL other centers are told against the listen address; the\n"
	"clock against HQ's (signed requests are refused beyond 300 s of\n"
	"skew); every peer answers and none is failing; the age of HQ's\n"
	"registry; the age of the libloc database. Exit status 1 when any\n"
	"check fails, 0 when there are only warnings.\n\n"
	"  --offline          skip the checks that contact other centers\n",
	run
};

#define PROBE_MS 5000
#define DISK_FAIL_BYTES (1LL << 30)		/* 1 GiB */
#define REGISTRY_WARN_MS (7LL * 86400 * 1000)	/* a week */
#define LIBLOC_DB "/var/lib/location/database.db"
#define LIBLOC_WARN_S (60LL * 86400)

struct doctor {
	int	fails, warns;
};

static void
say(struct doctor *doc, int level, const char *what, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* level: 0 ok, 1 warn, 2 fail, -1 skipped. */
static void
say(struct doctor *doc, int level, const char *what, const char *fmt, ...)
{
	static const char *const tag[] = { "--  ", "ok  ", "WARN", "FAIL" };
	va_list ap;

	printf("%s  %s: ", tag[level + 1], what);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (level == 1)
		doc->warns++;
	else if (level == 2)
		doc->fails++;
}

/* A secret file: 0600 (no group or other bits), the right owner. */
static void
check_secret(struct doctor *doc, const char *path, const char *what,
    int packaged)
{
	struct stat	 sb;
	struct passwd	*pw;

	if (stat(path, &sb) != 0) {
		say(doc, 2, what, "%s: %s", path, strerror(errno));
		return;
	}
	if (sb.st_mode & 077) {
		say(doc, 2, what, "%s is mode %04o, readable by others: run "
		    "chmod 600 %s", path, (unsigned)(sb.st_mode & 07777),
		    path);
		return;
	}
	if (packaged && (pw = getpwnam("mediabridge")) != NULL &&
	    sb.st_uid != pw->pw_uid) {
		say(doc, 1, what, "%s is not owned by mediabridge, the "
		    "service's user: run chown mediabridge: %s", path, path);
		return;
	}
	say(doc, 0, what, "%s mode %04o", path, (unsigned)(sb.st_mode &
	    07777));
}

static void
check_keys(struct doctor *doc, const char *dir, int packaged)
{
	char		path[1200];
	struct stat	sb;
	glob_t		g;

	mb_fs_join(path, sizeof(path), dir, "keys");
	if (stat(path, &sb) == 0 && (sb.st_mode & 077))
		say(doc, 1, "keys", "%s is mode %04o: run chmod 700 %s", path,
		    (unsigned)(sb.st_mode & 07777), path);
	mb_fs_join(path, sizeof(path), dir, "keys/center.key");
	check_secret(doc, path, "key", packaged);
	/* The machine translation engines' API keys (engine add). */
	mb_fs_join(path, sizeof(path), dir, "keys/engine-*.key");
	if (glob(path, 0, NULL, &g) == 0) {
		for (size_t i = 0; i < g.gl_pathc; i++)
			check_secret(doc, g.gl_pathv[i], "engine key",
			    packaged);
		globfree(&g);
	}
}

/*
 * The data directory and the configuration: no other user reads the
 * store (members' contacts, password hashes, sessions, learners'
 * answers) or a password the configuration may hold. init makes the
 * directory 0700 and the configuration 0600; an older center's are
 * often 0755 and 0644.
 */
static void
check_modes(struct doctor *doc, const char *dir, const char *conf)
{
	struct stat sb;

	if (stat(dir, &sb) == 0 && (sb.st_mode & 007))
		say(doc, 1, "data", "%s is mode %04o, open to other users, "
		    "and the store holds personal data: run chmod o-rwx %s",
		    dir, (unsigned)(sb.st_mode & 07777), dir);
	if (stat(conf, &sb) == 0 && (sb.st_mode & 077))
		say(doc, 1, "config", "%s is mode %04o: it may hold "
		    "passwords (database, mail relay): run chmod 600 %s", conf,
		    (unsigned)(sb.st_mode & 07777), conf);
}

static void
check_pub(struct doctor *doc, const struct mb_center_node *n)
{
	char	path[1200], want[MB_PUBKEY_TEXT_LEN], *got = NULL;
	size_t	len;
	struct mb_diag d = { "" };

	mb_fs_join(path, sizeof(path), n->conf.dir, "keys/center.pub");
	mb_pubkey_format(n->pk, want);
	if (mb_fs_read(path, 4096, &got, &len, &d) != MB_OK) {
		say(doc, 1, "public key", "%s: %s (mediabridge key DIR prints "
		    "it from the secret key)", path, d.msg);
		return;
	}
	while (len > 0 && (got[len - 1] == '\n' || got[len - 1] == '\r'))
		got[--len] = '\0';
	if (strcmp(got, want) != 0)
		say(doc, 2, "public key", "%s does not match keys/center.key "
		    "(which signs): other centers know the key HQ admitted; "
		    "restore the matching pair", path);
	else
		say(doc, 0, "public key", "%s", want);
	free(got);
}

static void
report_problem(const char *problem, void *arg)
{
	say(arg, 2, "store", "%s", problem);
}

static void
check_store(struct doctor *doc, struct mb_store *st)
{
	struct mb_store_stats	s;
	struct mb_diag		d = { "" };
	int			rc, before = doc->fails;

	if ((rc = mb_store_stats(st, &s, &d)) != MB_OK) {
		say(doc, 2, "store", "%s", mb_diag_msg(&d, rc));
		return;
	}
	rc = mb_store_check(st, report_problem, doc, &d);
	if (rc != MB_OK && rc != MB_ERR_CORRUPT)
		say(doc, 2, "store", "%s", mb_diag_msg(&d, rc));
	if (doc->fails > before) {
		say(doc, 2, "store", "damaged: restore the latest backup "
		    "(mediabridge restore), then run mediabridge verify");
		return;
	}
	say(doc, 0, "store", "%lld items, %lld versions, integrity ok",
	    (long long)s.items, (long long)s.versions);
	if (s.unindexed > 1000)
		say(doc, 1, "search index", "%lld items wait to be indexed: "
		    "is serve running?", (long long)s.unindexed);
}

static void
check_disk(struct doctor *doc, const char *dir)
{
	struct statvfs	vfs;
	long long	free_b, total_b;

	if (statvfs(dir, &vfs) != 0) {
		say(doc, 2, "disk", "%s: %s", dir, strerror(errno));
		return;
	}
	free_b = (long long)vfs.f_bavail * (long long)vfs.f_frsize;
	total_b = (long long)vfs.f_blocks * (long long)vfs.f_frsize;
	if (free_b < DISK_FAIL_BYTES || free_b * 20 < total_b)
		say(doc, 2, "disk", "%lld MiB free of %lld MiB under %s: free "
		    "space (mediabridge gc removes unused media) or grow the "
		    "file system", free_b >> 20, total_b >> 20, dir);
	else if (free_b * 10 < total_b)
		say(doc, 1, "disk", "%lld MiB free of %lld MiB under %s: "
		    "under 10%%", free_b >> 20, total_b >> 20, dir);
	else
		say(doc, 0, "disk", "%lld MiB free of %lld MiB", free_b >> 20,
		    total_b >> 20);
}

/* The host of "http://host:port/..." or "host:port" into out. */
static void
host_of(const char *s, char *out, size_t n)
{
	const char	*p = strstr(s, "://");
	size_t		 len;

	p = p != NULL ? p + 3 : s;
	if (*p == '[') {
		len = strcspn(p + 1, "]");
		p++;
	} else
		len = strcspn(p, ":/");
	snprintf(out, n, "%.*s", (int)len, p);
}

static int
loopback(const char *host)
{
	return strncmp(host, "127.", 4) == 0 || strcmp(host, "localhost") ==
	    0 || strcmp(host, "::1") == 0;
}

static void
check_url(struct doctor *doc, const struct mb_conf *c, int remote)
{
	char	url_host[256] = "", listen_host[256] = "";
	char	host[MB_LISTEN_HOST_MAX], port[MB_LISTEN_PORT_MAX];
	struct mb_diag d = { "" };

	/* The check serve makes before it binds, made here first. */
	if (mb_conf_listen_split(c->listen, host, port, &d) != MB_OK)
		say(doc, 2, "listen", "[server] %s: serve would refuse it",
		    d.msg);
	host_of(c->listen, listen_host, sizeof(listen_host));
	if (loopback(url_host) && remote > 0)
		say(doc, 2, "url", "[center] url = %s is this machine's "
		    "loopback, yet %d center%s on other machines must reach "
		    "it: set url to the address they use (and tell HQ: center "
		    "add)", c->url, remote, remote == 1 ? "" : "s");
	else if (loopback(url_host))
		say(doc, 1, "url", "[center] url = %s is loopback: fine on "
		    "one machine, but centers elsewhere cannot reach it",
		    c->url);
	else if (loopback(listen_host))
		say(doc, 0, "url", "%s, served from %s behind a proxy: make "
		    "sure the proxy forwards to it", c->url, c->listen);
	else
		say(doc, 0, "url", "%s (listening on %s)", c->url, c->listen);
}

struct peers {
	struct doctor	*doc;
	int		 offline, n;
	int		 remote;	/* peers not on this machine */
};

static int
check_peer(const struct mb_peer *p, void *arg)
{
	struct peers		*ps = arg;
	struct mb_sync_probe	 pr;
	struct mb_diag		 d = { "" };
	char			 what[64], host[256];
	int			 rc;

	ps->n++;
	host_of(p->url, host, sizeof(host));
	if (!loopback(host))
		ps->remote++;
	snprintf(what, sizeof(what), "peer %s", p->center);
	if (p->last_err_ms > 0 && p->last_err_ms > p->last_ok_ms) {
		char when[40];

		mb_time_format(p->last_err_ms, when);
		say(ps->doc, 1, what, "the last pull failed (%s, %s): %s",
		    when, p->url, p->last_error);
	}
	if (ps->offline)
		return MB_OK;
	if ((rc = mb_sync_probe(p->url, PROBE_MS, &pr, &d)) != MB_OK)
		say(ps->doc, 2, what, "%s does not answer: %s; check the URL "
		    "(mediabridge peer list), DNS and firewalls", p->url,
		    mb_diag_msg(&d, rc));
	else if (pr.status != 200)
		say(ps->doc, 2, what, "%s/healthz answered HTTP %ld", p->url,
		    pr.status);
	else
		say(ps->doc, 0, what, "%s answers in %lld ms", p->url,
		    (long long)pr.elapsed_ms);
	return MB_OK;
}

static void
check_clock(struct doctor *doc, const struct mb_conf *c, int offline)
{
	struct mb_sync_probe	pr;
	struct mb_diag		d = { "" };
	long long		skew;
	int			rc;

	if (strcmp(c->role, "hq") == 0 || c->hq_url[0] == '\0') {
		say(doc, -1, "clock", "this is HQ; branches compare theirs with it");
		return;
	}
	if (offline) {
		say(doc, -1, "clock", "not checked (--offline)");
		return;
	}
	if ((rc = mb_sync_probe(c->hq_url, PROBE_MS, &pr, &d)) != MB_OK) {
		say(doc, 2, "hq", "%s does not answer: %s", c->hq_url,
		    mb_diag_msg(&d, rc));
		return;
	}
	if (!pr.has_date) {
		say(doc, 1, "clock", "HQ sent no Date header: skew unknown");
		return;
	}
	skew = (long long)(pr.skew_ms / 1000);
	if (llabs(skew) > MB_SYNC_SIG_WINDOW)
		say(doc, 2, "clock", "%+lld s against HQ: signed requests are "
		    "refused beyond %d s; run a time service (systemd-"
		    "timesyncd or chrony)", skew, MB_SYNC_SIG_WINDOW);
	else if (llabs(skew) > 30)
		say(doc, 1, "clock", "%+lld s against HQ: set up a time "
		    "service before it reaches %d s", skew, MB_SYNC_SIG_WINDOW);
	else
		say(doc, 0, "clock", "%+lld s against HQ", skew);
}

static void
check_registry(struct doctor *doc, struct mb_store *st,
    const struct mb_conf *c)
{
	struct mb_buf	 b = MB_BUF_INIT;
	struct mb_diag	 d = { "" };
	json_t		*j = NULL;
	const char	*issued = NULL;
	int64_t		 version = 0, ms, age;
	int		 rc;

	rc = mb_store_registry_get(st, &version, &b, &d);
	if (rc == MB_ERR_NOTFOUND || (rc == MB_OK && b.len == 0)) {
		say(doc, strcmp(c->role, "hq") == 0 ? 0 : 1, "registry",
		    "none yet%s", strcmp(c->role, "hq") == 0 ? " (HQ "
		    "publishes it with center add)" : ": the first pull from "
		    "HQ brings it (mediabridge sync DIR --once)");
		goto out;
	}
	if (rc != MB_OK) {
		say(doc, 2, "registry", "%s", mb_diag_msg(&d, rc));
		goto out;
	}
	if ((j = json_loadb(b.data, b.len, 0, NULL)) == NULL ||
	    json_unpack(j, "{s:s}", "issued", &issued) != 0 ||
	    mb_time_parse(issued, &ms) != MB_OK) {
		say(doc, 1, "registry", "version %lld has no issue date",
		    (long long)version);
		goto out;
	}
	age = mb_time_now_ms() - ms;
	if (strcmp(c->role, "hq") != 0 && age > REGISTRY_WARN_MS)
		say(doc, 1, "registry", "version %lld issued %s, %lld days "
		    "ago: is the link to HQ down? (peer list, sync --once)",
		    (long long)version, issued, (long long)(age / 86400000));
	else
		say(doc, 0, "registry", "version %lld issued %s",
		    (long long)version, issued);
out:
	json_decref(j);
	mb_buf_free(&b);
}

static void
check_libloc(struct doctor *doc)
{
	struct stat	sb;
	long long	age;

	if (stat(LIBLOC_DB, &sb) != 0) {
		say(doc, -1, "libloc", "no %s (readers' countries are not "
		    "counted; apt install libloc-database)", LIBLOC_DB);
		return;
	}
	age = (long long)(time(NULL) - sb.st_mtime);
	if (age > LIBLOC_WARN_S)
		say(doc, 1, "libloc", "%s is %lld days old: update it "
		    "(location update, or upgrade libloc-database)", LIBLOC_DB,
		    age / 86400);
	else
		say(doc, 0, "libloc", "%s, %lld days old", LIBLOC_DB,
		    age / 86400);
}

/*
 * The media codecs: a module the program loads when it makes media
 * (src/media/codec.h); a package or build without it refuses every
 * upload, so say so before a journalist meets it.
 */
static void
check_codecs(struct doctor *doc)
{
	struct mb_diag	d = { "" };
	int		rc;

	if ((rc = mb_media_init(&d)) != MB_OK)
		say(doc, 2, "media codecs", "%s: uploads and pictures fail "
		    "until it loads (reinstall the package, or rebuild)",
		    mb_diag_msg(&d, rc));
	else
		say(doc, 0, "media codecs", "libvips, FFmpeg and libmagic "
		    "load");
}

static int
run(int argc, char **argv)
{
	struct mb_center_node	*n = NULL;
	struct mb_store		*st = NULL;
	struct doctor		 doc = { 0, 0 };
	struct peers		 ps;
	struct mb_diag		 d = { "" };
	const char		*dir = NULL;
	char			 conf[1200];
	int			 offline = 0, exists, packaged, rc;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--offline") == 0)
			offline = 1;
		else if (argv[i][0] == '-')
			return mb_cli_usage(&mb_cmd_doctor, "unknown option %s",
			    argv[i]);
		else if (dir == NULL)
			dir = argv[i];
		else
			return mb_cli_usage(&mb_cmd_doctor, "give one DIR");
	}
	if (dir == NULL)
		return mb_cli_usage(&mb_cmd_doctor, "give DIR");
	if (mb_conf_locate(dir, conf, sizeof(conf), &exists) != MB_OK)
		return mb_cli_fail("doctor", &d, mb_diag_set(&d, MB_ERR_TOOBIG,
		    "%s: path too long", dir));
	packaged = strncmp(conf, mb_conf_confdir(),
	    strlen(mb_conf_confdir())) == 0;

	printf("doctor: %s\n", dir);
	if ((rc = mb_center_open(dir, &n, &d)) != MB_OK) {
		/* Which of the two: the configuration or the key. */
		struct mb_conf c;
		struct mb_diag d2 = { "" };

		if ((rc = mb_conf_load(dir, &c, &d2)) != MB_OK)
			say(&doc, 2, "config", "%s", mb_diag_msg(&d2, rc));
		else {
			int before = doc.fails;

			say(&doc, 0, "config", "%s", conf);
			check_keys(&doc, dir, packaged);
			if (doc.fails == before)
				say(&doc, 2, "key", "%s", d.msg);
		}
		goto done;
	}
	say(&doc, 0, "config", "%s (center %s, %s)", conf, n->conf.id,
	    n->conf.role);
	check_keys(&doc, dir, packaged);
	check_modes(&doc, dir, conf);
	check_pub(&doc, n);
	check_disk(&doc, dir);
	if ((rc = mb_center_store(n, &st, &d)) != MB_OK) {
		say(&doc, 2, "store", "%s", mb_diag_msg(&d, rc));
		goto done;
	}
	check_store(&doc, st);
	memset(&ps, 0, sizeof(ps));
	ps.doc = &doc;
	ps.offline = offline;
	if ((rc = mb_store_peer_list(st, check_peer, &ps, &d)) != MB_OK)
		say(&doc, 2, "peers", "%s", mb_diag_msg(&d, rc));
	else if (ps.n == 0)
		say(&doc, -1, "peers", "none");
	check_url(&doc, &n->conf, ps.remote);
	check_clock(&doc, &n->conf, offline);
	check_registry(&doc, st, &n->conf);
	check_libloc(&doc);
	check_codecs(&doc);
done:
	mb_store_close(st);
	mb_center_close(n);
	printf("doctor: %d problem%s, %d warning%s\n", doc.fails,
	    doc.fails == 1 ? "" : "s", doc.warns, doc.warns == 1 ? "" : "s");
	return doc.fails > 0 ? MB_EXIT_FAIL : MB_EXIT_OK;
}
