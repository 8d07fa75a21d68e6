/* SPDX-License-Identifier: MIT */
/* mediabridge restore: a backup archive back into a data directory, checked. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/fs.h"
#include "center/backup.h"
#include "center/center.h"
#include "cli/cli.h"
#include "media/media.h"

static int run(int argc, char **argv);

const struct mb_cli_cmd mb_cmd_restore = {
	"restore", "bring a center back from a backup archive, verified",
	"usage: mediabridge restore FILE DIR [--force] [--database URL]\n\n"
	"Unpacks the backup FILE (mediabridge backup) into DIR, on this\n"
	"machine or a new one, then checks it as `verify` does (every\n"
	"signature, the store's integrity, the counts the backup recorded)\n"
	"before it puts anything in place: a backup that does not check out\n"
	"changes nothing. DIR must be empty or absent; --force restores over\n"
	"a center that is there, which is first renamed DIR.before-restore-\n"
	"TIME (with its configuration), never deleted. For DIR in\n"
	"/var/lib/mediabridge the configuration goes to\n"
	"/etc/mediabridge/NAME.conf, and as root the files are handed to the\n"
	"mediabridge user. Stop the center's service first.\n\n"
	"  --force            move a center in DIR aside and restore anyway\n"
	"  --database URL     a PostgreSQL backup: the empty database to\n"
	"                     restore into (pg_restore); the configuration\n"
	"                     is set to it\n",
	run
};

/* True when dir is absent or an empty directory. */
static int
empty_dir(const char *dir)
{
	struct dirent	*e;
	DIR		*dp;
	int		 empty = 1;

	if ((dp = opendir(dir)) == NULL)
		return errno == ENOENT;
	while ((e = readdir(dp)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			empty = 0;
	closedir(dp);
	return empty;
}

static int
pg_restore(const char *dump, const char *url, struct mb_diag *d)
{
	pid_t	pid;
	int	st;

	if ((pid = fork()) < 0)
		return mb_diag_set(d, MB_ERR_IO, "fork: %s", strerror(errno));
	if (pid == 0) {
		execlp("pg_restore", "pg_restore", "--no-owner",
		    "--exit-on-error", "--single-transaction", "--dbname", url,
		    dump, (char *)NULL);
		fprintf(stderr, "mediabridge: pg_restore: %s\n",
		    strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return mb_diag_set(d, MB_ERR_IO, "waitpid: %s",
			    strerror(errno));
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return mb_diag_set(d, MB_ERR_STORE, "pg_restore into %s failed "
		    "(is the database empty?)", url);
	return MB_OK;
}

/* The configuration in the staging dir names the restored store. */
static int
point_store(const char *staging, const char *database, struct mb_diag *d)
{
	struct mb_conf	c;
	int		rc;

	if ((rc = mb_conf_load(staging, &c, d)) != MB_OK)
		return rc;
	if (strcmp(c.database, database) == 0)
		return MB_OK;
	if (strlen(database) >= sizeof(c.database))
		return mb_diag_set(d, MB_ERR_TOOBIG, "--database: too long");
	return mb_conf_set(&c, "store", "database", database, d);
}

struct blob_check {
	const char	*dir;
	int64_t		 missing;
	char		 first[65];
};

static int
blob_here(const struct mb_store_blob *b, void *arg)
{
	struct blob_check	*c = arg;
	struct stat		 sb;
	char			 path[PATH_MAX];

	if (mb_media_blob_path(c->dir, b->hash, path, sizeof(path)) !=
	    MB_OK || stat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		if (c->missing++ == 0)
			snprintf(c->first, sizeof(c->first), "%s", b->hash);
	}
	return MB_OK;
}

/* The restored store holds what the backup recorded, and its blobs. */
static int
check_counts(const char *staging, const struct mb_backup_info *info,
    struct mb_diag *d)
{
	struct mb_center_node	*n = NULL;
	struct mb_store		*st = NULL;
	struct mb_store_stats	 s;
	struct blob_check	 bc = { staging, 0, "" };
	int			 exact = strcmp(info->backend, "sqlite") == 0;
	int			 rc;

	if ((rc = mb_center_open(staging, &n, d)) == MB_OK &&
	    (rc = mb_center_store(n, &st, d)) == MB_OK &&
	    (rc = mb_store_stats(st, &s, d)) == MB_OK &&
	    (exact ? s.items != info->items || s.versions != info->versions ||
	    s.last_seq != info->last_seq : s.items < info->items ||
	    s.versions < info->versions || s.last_seq < info->last_seq))
		rc = mb_diag_set(d, MB_ERR_CORRUPT, "the restored store holds "
		    "%lld items, %lld versions, last seq %lld; the backup "
		    "recorded %lld, %lld, %lld", (long long)s.items,
		    (long long)s.versions, (long long)s.last_seq,
		    (long long)info->items, (long long)info->versions,
		    (long long)info->last_seq);
	/* A backup that left blobs/ out (a link it did not follow) is
	 * no restore of the center's media. */
	if (rc == MB_OK && (rc = mb_store_blob_each(st, blob_here, &bc, d)) ==
	    MB_OK && bc.missing > 0)
		rc = mb_diag_set(d, MB_ERR_CORRUPT, "the backup lacks %lld "
		    "of the store's media files (the first: blobs/%.2s/%s)",
		    (long long)bc.missing, bc.first, bc.first);
	mb_store_close(st);
	mb_center_close(n);
	return rc;
}

/* Moves path aside to path.before-restore-STAMP; say so. */
static int
move_aside(const char *path, const char *stamp, struct mb_diag *d)
{
	char to[PATH_MAX];

	if (snprintf(to, sizeof(to), "%s.before-restore-%s", path, stamp) >=
	    (int)sizeof(to))
		return mb_diag_set(d, MB_ERR_TOOBIG, "%s: path too long",
		    path);
	if (rename(path, to) != 0)
		return mb_diag_set(d, MB_ERR_IO, "%s: cannot move it aside: %s",
		    path, strerror(errno));
	fprintf(stderr, "restore: the center that was there is kept as %s\n",
	    to);
	return MB_OK;
}

static int
run(int argc, char **argv)
{
	struct mb_backup_info	 info;
	struct mb_diag		 d = { "" };
	struct stat		 sb;
	const char		*a = NULL, *b = NULL, *file;
	const char		*database = NULL;
	char			 staging[PATH_MAX], conf[1200], parent[PATH_MAX];
	char			 path[PATH_MAX], local[1200], stamp[32];
	char			 dir[PATH_MAX];
	char			*vargv[3], *slash, *text = NULL;
	size_t			 len;
	time_t			 now = time(NULL);
	int			 force = 0, conf_exists, packaged, rc;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--force") == 0)
			force = 1;
		else if (strcmp(argv[i], "--database") == 0 && i + 1 < argc)
			database = argv[++i];
		else if (strncmp(argv[i], "--database=", 11) == 0)
			database = argv[i] + 11;
		else if (argv[i][0] == '-')
			return mb_cli_usage(&mb_cmd_restore, "unknown option "
			    "%s", argv[i]);
		else if (a == NULL)
			a = argv[i];
		else if (b == NULL)
			b = argv[i];
		else
			return mb_cli_usage(&mb_cmd_restore, "give FILE and DIR");
	}
	if (a == NULL || b == NULL)
		return mb_cli_usage(&mb_cmd_restore, "give FILE and DIR");
	/* FILE is the archive that exists; DIR anything else (either order). */
	if (stat(a, &sb) == 0 && S_ISREG(sb.st_mode))
		file = a;
	else if (stat(b, &sb) == 0 && S_ISREG(sb.st_mode)) {
		file = b;
		b = a;
	} else
		return mb_cli_fail("restore", &d, mb_diag_set(&d,
		    MB_ERR_NOTFOUND, "neither %s nor %s is a backup file", a,
		    b));
	/* "DIR/" is DIR: it is renamed, and named in DIR.restore-XXXXXX. */
	if (snprintf(dir, sizeof(dir), "%s", b) >= (int)sizeof(dir))
		return mb_cli_fail("restore", &d, mb_diag_set(&d,
		    MB_ERR_TOOBIG, "%s: path too long", b));
	while (strlen(dir) > 1 && dir[strlen(dir) - 1] == '/')
		dir[strlen(dir) - 1] = '\0';
	if (stat(dir, &sb) == 0 && !S_ISDIR(sb.st_mode))
		return mb_cli_fail("restore", &d, mb_diag_set(&d,
		    MB_ERR_EXISTS, "%s: exists and is not a directory", dir));
	/*
	 * Where the configuration goes, decided now: once the restored tree
	 * is in DIR its mediabridge.conf would win.  A packaged center's
	 * (DIR in the state directory, or configured in CONFDIR) is
	 * CONFDIR/NAME.conf.
	 */
	if (mb_conf_locate(dir, conf, sizeof(conf), &conf_exists) != MB_OK ||
	    mb_fs_join(local, sizeof(local), dir, MB_CONF_FILE) != MB_OK)
		return mb_cli_fail("restore", &d, mb_diag_set(&d,
		    MB_ERR_TOOBIG, "%s: path too long", dir));
	packaged = strcmp(conf, local) != 0;
	if (!force && !empty_dir(dir))
		return mb_cli_fail("restore", &d, mb_diag_set(&d,
		    MB_ERR_EXISTS, "%s: not empty; nothing changed (--force "
		    "moves it aside and restores)", dir));
	if (!force && conf_exists)
		return mb_cli_fail("restore", &d, mb_diag_set(&d,
		    MB_ERR_EXISTS, "%s: a center of that name is configured; "
		    "nothing changed (--force moves it aside and restores)",
		    conf));

	/* Staging beside DIR (the same file system), renamed in at the end. */
	snprintf(parent, sizeof(parent), "%s", dir);
	if ((slash = strrchr(parent, '/')) != NULL && slash != parent) {
		*slash = '\0';
		if ((rc = mb_fs_mkdirs(parent, 0755, &d)) != MB_OK)
			return mb_cli_fail("restore", &d, rc);
	}
	if (snprintf(staging, sizeof(staging), "%s.restore-XXXXXX", dir) >=
	    (int)sizeof(staging) || mkdtemp(staging) == NULL)
		return mb_cli_fail("restore", &d, mb_diag_set(&d, MB_ERR_IO,
		    "%s: cannot make a staging directory: %s", dir,
		    strerror(errno)));
	chmod(staging, 0750);
	if ((rc = mb_backup_extract(file, staging, &info, &d)) != MB_OK)
		goto fail;
	if (strcmp(info.backend, "postgresql") == 0) {
		if (database == NULL) {
			rc = mb_diag_set(&d, MB_ERR_INVAL, "%s holds a "
			    "PostgreSQL dump: give --database URL of an empty "
			    "database", file);
			goto fail;
		}
		if ((rc = mb_fs_join(path, sizeof(path), staging,
		    "store.pgdump")) != MB_OK ||
		    (rc = pg_restore(path, database, &d)) != MB_OK ||
		    (rc = point_store(staging, database, &d)) != MB_OK)
			goto fail;
		unlink(path);
	} else if (database != NULL) {
		/* Not ignored: whoever gave one expects the store there. */
		rc = mb_diag_set(&d, MB_ERR_INVAL, "--database: %s is a backup "
		    "of a SQLite store, which is restored into DIR; --database "
		    "is for a PostgreSQL backup", file);
		goto fail;
	} else if ((rc = point_store(staging, "sqlite:store.db", &d)) != MB_OK)
		goto fail;
	/* Checked before anything is put in place. */
	if ((rc = check_counts(staging, &info, &d)) != MB_OK)
		goto fail;
	vargv[0] = "verify";
	vargv[1] = staging;
	vargv[2] = NULL;
	if (mb_cmd_verify.run(2, vargv) != MB_EXIT_OK) {
		rc = mb_diag_set(&d, MB_ERR_CORRUPT, "the restored center does "
		    "not verify (above); nothing changed");
		goto fail;
	}

	/* Its configuration, read now to be written where it belongs. */
	if (packaged && (mb_fs_join(path, sizeof(path), staging,
	    MB_CONF_FILE) != MB_OK || stat(path, &sb) != 0)) {
		rc = mb_diag_set(&d, MB_ERR_CORRUPT, "the backup holds no %s",
		    MB_CONF_FILE);
		goto fail;
	}
	if (packaged && (rc = mb_fs_read(path, 1 << 20, &text, &len, &d)) !=
	    MB_OK)
		goto fail;

	strftime(stamp, sizeof(stamp), "%Y%m%d%H%M%S", localtime(&now));
	if (!empty_dir(dir) && (rc = move_aside(dir, stamp, &d)) != MB_OK)
		goto fail;
	rmdir(dir);	/* an empty one */
	if (packaged && conf_exists && (rc = move_aside(conf, stamp, &d)) !=
	    MB_OK)
		goto fail;
	/* Its mode as backed up (it may hold the mail password). */
	if (packaged && ((rc = mb_fs_write_atomic(conf, text, len,
	    sb.st_mode & 0777, &d)) != MB_OK || unlink(path) != 0)) {
		if (rc == MB_OK)
			rc = mb_diag_set(&d, MB_ERR_IO, "%s: %s", path,
			    strerror(errno));
		goto fail;
	}
	if (rename(staging, dir) != 0) {
		rc = mb_diag_set(&d, MB_ERR_IO, "%s: %s", dir, strerror(errno));
		goto fail;
	}
	free(text);
	if ((rc = mb_cli_hand_over(dir, &d)) != MB_OK)
		return mb_cli_fail("restore", &d, rc);
	printf("restore: center %s restored in %s: %lld item%s, %lld "
	    "version%s, %lld file%s; verified\n", info.center, dir,
	    (long long)info.items, info.items == 1 ? "" : "s",
	    (long long)info.versions, info.versions == 1 ? "" : "s",
	    (long long)info.files, info.files == 1 ? "" : "s");
	return MB_EXIT_OK;
fail:
	free(text);
	mb_fs_remove_tree(staging);
	return mb_cli_fail("restore", &d, rc);
}
