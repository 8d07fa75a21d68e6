/* SPDX-License-Identifier: MIT */
/* Writing and unpacking a center's backup archive (backup.h), with libarchive. */
#include "backup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <jansson.h>

#include "base/fs.h"

#define MANIFEST_MAX (64 * 1024)

struct writer {
	struct archive		*a;
	struct mb_backup_info	*info;
	const char		*dir;
	char			 skip[3][PATH_MAX];	/* the live store */
	struct mb_diag		*d;
};

static int
arc_fail(struct archive *a, const char *what, struct mb_diag *d)
{
	return mb_diag_set(d, MB_ERR_IO, "%s: %s", what,
	    archive_error_string(a) != NULL ? archive_error_string(a) :
	    "archive error");
}

/* Adds one entry: a directory (path NULL) or the file at path. */
static int
add_entry(struct writer *w, const char *name, const char *path,
    const struct stat *sb)
{
	struct archive_entry	*e;
	char			 buf[65536];
	ssize_t			 n;
	int			 fd = -1, rc = MB_OK;

	if (path != NULL && (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return mb_diag_set(w->d, MB_ERR_IO, "%s: %s", path,
		    strerror(errno));
	if ((e = archive_entry_new()) == NULL) {
		if (fd >= 0)
			close(fd);
		return MB_ERR_NOMEM;
	}
	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, path != NULL ? AE_IFREG : AE_IFDIR);
	archive_entry_set_perm(e, sb->st_mode & 07777);
	archive_entry_set_size(e, path != NULL ? sb->st_size : 0);
	archive_entry_set_mtime(e, sb->st_mtime, 0);
	if (archive_write_header(w->a, e) != ARCHIVE_OK) {
		rc = arc_fail(w->a, name, w->d);
		goto out;
	}
	while (fd >= 0 && (n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			rc = mb_diag_set(w->d, MB_ERR_IO, "%s: %s", path,
			    strerror(errno));
			goto out;
		}
		if (archive_write_data(w->a, buf, (size_t)n) != n) {
			rc = arc_fail(w->a, name, w->d);
			goto out;
		}
	}
	if (path != NULL) {
		w->info->files++;
		w->info->bytes += sb->st_size;
	}
out:
	archive_entry_free(e);
	if (fd >= 0)
		close(fd);
	return rc;
}

static int
add_file(struct writer *w, const char *name, const char *path)
{
	struct stat sb;

	if (stat(path, &sb) != 0)
		return mb_diag_set(w->d, MB_ERR_IO, "%s: %s", path,
		    strerror(errno));
	return add_entry(w, name, path, &sb);
}

/* What is not copied as it lies: the live store, and what serve leaves. */
static int
skipped(const struct writer *w, const char *name, const char *path)
{
	size_t len = strlen(name);

	if (name[0] == '.' || (len > 4 && strcmp(name + len - 4, ".tmp") ==
	    0) || strcmp(name, "serve.addr") == 0 ||
	    strcmp(name, MB_CONF_FILE) == 0)
		return 1;
	for (int i = 0; i < 3; i++)
		if (strcmp(path, w->skip[i]) == 0)
			return 1;
	return 0;
}

/* Every file below dir/rel, in name order (a stable archive). */
static int
add_tree(struct writer *w, const char *rel)
{
	struct dirent	**list;
	char		  path[PATH_MAX], name[PATH_MAX];
	int		  n, rc = MB_OK;

	if (snprintf(path, sizeof(path), "%s%s%s", w->dir, *rel ? "/" : "",
	    rel) >= (int)sizeof(path))
		return mb_diag_set(w->d, MB_ERR_TOOBIG, "%s: path too long",
		    rel);
	if ((n = scandir(path, &list, NULL, alphasort)) < 0)
		return mb_diag_set(w->d, MB_ERR_IO, "%s: %s", path,
		    strerror(errno));
	for (int i = 0; i < n; i++) {
		struct stat	 sb;
		const char	*e = list[i]->d_name;
		char		 full[PATH_MAX];

		if (rc != MB_OK || strcmp(e, ".") == 0 || strcmp(e, "..") == 0)
			continue;
		if (snprintf(name, sizeof(name), "%s%s%s", rel, *rel ? "/" :
		    "", e) >= (int)sizeof(name) || snprintf(full,
		    sizeof(full), "%s/%s", path, e) >= (int)sizeof(full)) {
			rc = mb_diag_set(w->d, MB_ERR_TOOBIG, "%s: path too "
			    "long", e);
			continue;
		}
		/* At the top only: serve.addr, the configuration, the store. */
		if ((*rel == '\0' && skipped(w, e, full)) || e[0] == '.' ||
		    lstat(full, &sb) != 0)
			continue;
		/*
		 * At the top a symbolic link is followed: blobs/ or keys/ on
		 * another disk is the center's own. One that leads nowhere
		 * fails the backup rather than leave them out unsaid.
		 */
		if (*rel == '\0' && S_ISLNK(sb.st_mode) && stat(full, &sb) !=
		    0) {
			rc = mb_diag_set(w->d, MB_ERR_IO, "%s: a symbolic "
			    "link to nothing: %s", full, strerror(errno));
			continue;
		}
		if (S_ISDIR(sb.st_mode)) {
			if ((rc = add_entry(w, name, NULL, &sb)) == MB_OK)
				rc = add_tree(w, name);
		} else if (S_ISREG(sb.st_mode))
			rc = add_entry(w, name, full, &sb);
	}
	for (int i = 0; i < n; i++)
		free(list[i]);
	free(list);
	return rc;
}

static int
add_manifest(struct writer *w)
{
	struct archive_entry	*e;
	json_t			*j;
	char			*s;
	int			 rc = MB_OK;

	j = json_pack("{s:i, s:s, s:s, s:I, s:I, s:I, s:I}",
	    "format", MB_BACKUP_FORMAT, "center", w->info->center,
	    "backend", w->info->backend, "created_ms",
	    (json_int_t)w->info->created_ms, "items",
	    (json_int_t)w->info->items, "versions",
	    (json_int_t)w->info->versions, "last_seq",
	    (json_int_t)w->info->last_seq);
	if (j == NULL || (s = json_dumps(j, JSON_SORT_KEYS)) == NULL) {
		json_decref(j);
		return MB_ERR_NOMEM;
	}
	json_decref(j);
	if ((e = archive_entry_new()) == NULL) {
		free(s);
		return MB_ERR_NOMEM;
	}
	archive_entry_set_pathname(e, MB_BACKUP_MANIFEST);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_size(e, (la_int64_t)strlen(s));
	archive_entry_set_mtime(e, w->info->created_ms / 1000, 0);
	if (archive_write_header(w->a, e) != ARCHIVE_OK ||
	    archive_write_data(w->a, s, strlen(s)) != (la_ssize_t)strlen(s))
		rc = arc_fail(w->a, MB_BACKUP_MANIFEST, w->d);
	archive_entry_free(e);
	free(s);
	return rc;
}

/* pg_dump's own consistent snapshot, in its custom format, to path. */
static int
pg_dump(const char *url, const char *path, struct mb_diag *d)
{
	pid_t	pid;
	int	st;

	if ((pid = fork()) < 0)
		return mb_diag_set(d, MB_ERR_IO, "fork: %s", strerror(errno));
	if (pid == 0) {
		execlp("pg_dump", "pg_dump", "--format=custom", "--no-owner",
		    "--file", path, "--dbname", url, (char *)NULL);
		fprintf(stderr, "mediabridge: pg_dump: %s\n", strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return mb_diag_set(d, MB_ERR_IO, "waitpid: %s",
			    strerror(errno));
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return mb_diag_set(d, MB_ERR_STORE, "pg_dump failed (exit %d%s)",
		    WIFEXITED(st) ? WEXITSTATUS(st) : -1, WIFEXITED(st) &&
		    WEXITSTATUS(st) == 127 ? ": is postgresql-client "
		    "installed?" : "");
	return MB_OK;
}

/*
 * The store's copy, into a temporary file beside out (the same file
 * system, and not the data directory, which the service may not let an
 * operator's process write).
 */
static int
snapshot(const struct mb_center_node *n, const char *tmp,
    struct mb_backup_info *info, struct mb_diag *d)
{
	struct mb_store		*st = NULL;
	struct mb_store_stats	 s;
	int			 rc;

	if ((rc = mb_center_store(n, &st, d)) != MB_OK)
		return rc;
	if (strncmp(n->conf.database, "postgres", 8) == 0) {
		snprintf(info->backend, sizeof(info->backend), "postgresql");
		/* Counted before the dump: at least these are in it. */
		if ((rc = mb_store_stats(st, &s, d)) == MB_OK)
			rc = pg_dump(n->conf.database, tmp, d);
	} else {
		snprintf(info->backend, sizeof(info->backend), "sqlite");
		rc = mb_store_backup(st, tmp, d);
		mb_store_close(st);
		st = NULL;
		/* Counted in the copy itself: exactly what it holds. */
		if (rc == MB_OK) {
			struct mb_center_node	copy = *n;
			struct mb_store		*cs = NULL;

			if (snprintf(copy.conf.database,
			    sizeof(copy.conf.database), "sqlite:%s", tmp) >=
			    (int)sizeof(copy.conf.database))
				rc = mb_diag_set(d, MB_ERR_TOOBIG, "%s: path "
				    "too long", tmp);
			else if ((rc = mb_center_store(&copy, &cs, d)) ==
			    MB_OK)
				rc = mb_store_stats(cs, &s, d);
			mb_store_close(cs);
		}
	}
	mb_store_close(st);
	if (rc != MB_OK)
		return rc;
	info->items = s.items;
	info->versions = s.versions;
	info->last_seq = s.last_seq;
	return MB_OK;
}

int
mb_backup_write(const struct mb_center_node *n, const char *out,
    struct mb_backup_info *info, struct mb_diag *d)
{
	struct writer	w;
	struct timespec	now;
	struct stat	sb;
	char		tmp[PATH_MAX], rdir[PATH_MAX], rout[PATH_MAX];
	char		odir[PATH_MAX], *slash;
	const char	*base = strrchr(out, '/') != NULL ? strrchr(out, '/') +
			    1 : out;
	int		fd, ofd = -1, made = 0, rc;

	memset(info, 0, sizeof(*info));
	memset(&w, 0, sizeof(w));
	if (stat(out, &sb) == 0 || errno != ENOENT)
		return mb_diag_set(d, MB_ERR_EXISTS, "%s: exists; a backup "
		    "never overwrites a file", out);
	/* Not inside the data directory: it would hold itself. */
	snprintf(rout, sizeof(rout), "%s", out);
	if ((slash = strrchr(rout, '/')) != NULL)
		*slash = '\0';
	if (realpath(slash != NULL ? (rout[0] ? rout : "/") : ".", odir) ==
	    NULL)
		return mb_diag_set(d, MB_ERR_NOTFOUND, "%s: %s", out,
		    strerror(errno));
	if (realpath(n->conf.dir, rdir) == NULL)
		return mb_diag_set(d, MB_ERR_NOTFOUND, "%s: %s", n->conf.dir,
		    strerror(errno));
	if (strncmp(odir, rdir, strlen(rdir)) == 0 && (odir[strlen(rdir)] ==
	    '\0' || odir[strlen(rdir)] == '/'))
		return mb_diag_set(d, MB_ERR_INVAL, "%s: inside the data "
		    "directory; write the backup elsewhere", out);

	clock_gettime(CLOCK_REALTIME, &now);
	info->format = MB_BACKUP_FORMAT;
	info->created_ms = (int64_t)now.tv_sec * 1000 + now.tv_nsec /
	    1000000;
	snprintf(info->center, sizeof(info->center), "%s", n->conf.id);

	/* Absolute: the store resolves a relative sqlite: path in DIR. */
	if (snprintf(tmp, sizeof(tmp), "%s/%s.store-XXXXXX", odir,
	    base) >= (int)sizeof(tmp))
		return mb_diag_set(d, MB_ERR_TOOBIG, "%s: path too long", out);
	if ((fd = mkstemp(tmp)) < 0)
		return mb_diag_set(d, MB_ERR_IO, "%s: %s", tmp,
		    strerror(errno));
	close(fd);
	unlink(tmp);	/* the store's copy makes it afresh */
	if ((rc = snapshot(n, tmp, info, d)) != MB_OK)
		goto out;

	/* The live store's files are not copied as they lie. */
	if (strncmp(n->conf.database, "sqlite:", 7) == 0) {
		const char *db = n->conf.database + 7;
		char	    p[PATH_MAX];

		if (snprintf(p, sizeof(p) - 4, "%s%s%s", db[0] == '/' ? "" :
		    rdir, db[0] == '/' ? "" : "/", db) < (int)sizeof(p) - 4 &&
		    realpath(p, w.skip[0]) != NULL) {
			if (snprintf(w.skip[1], sizeof(w.skip[1]), "%.4000s-wal",
			    w.skip[0]) < 0 || snprintf(w.skip[2],
			    sizeof(w.skip[2]), "%.4000s-shm", w.skip[0]) < 0)
				w.skip[0][0] = '\0';
		}
	}
	w.info = info;
	w.dir = rdir;
	w.d = d;
	if ((w.a = archive_write_new()) == NULL) {
		rc = MB_ERR_NOMEM;
		goto out;
	}
	/* Mode 0600: it holds the secret key. O_EXCL: never overwrites. */
	if ((ofd = open(out, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    0600)) < 0) {
		rc = mb_diag_set(d, errno == EEXIST ? MB_ERR_EXISTS :
		    MB_ERR_IO, "%s: %s", out, strerror(errno));
		goto out;
	}
	made = 1;
	if (archive_write_add_filter_zstd(w.a) != ARCHIVE_OK ||
	    archive_write_set_format_pax_restricted(w.a) != ARCHIVE_OK ||
	    archive_write_open_fd(w.a, ofd) != ARCHIVE_OK) {
		rc = arc_fail(w.a, out, d);
		goto out;
	}
	if ((rc = add_manifest(&w)) != MB_OK ||
	    (rc = add_file(&w, MB_CONF_FILE, n->conf.file)) != MB_OK ||
	    (rc = add_tree(&w, "")) != MB_OK ||
	    (rc = add_file(&w, strcmp(info->backend, "sqlite") == 0 ?
	    "store.db" : "store.pgdump", tmp)) != MB_OK)
		goto out;
	if (archive_write_close(w.a) != ARCHIVE_OK)
		rc = arc_fail(w.a, out, d);
	else if (fsync(ofd) != 0)
		rc = mb_diag_set(d, MB_ERR_IO, "%s: %s", out, strerror(errno));
out:
	if (w.a != NULL)
		archive_write_free(w.a);
	if (ofd >= 0)
		close(ofd);
	unlink(tmp);
	if (rc != MB_OK && made)
		unlink(out);
	return rc;
}

/* A name that stays below the target: relative, no "..", no empties. */
static int
safe_name(const char *name)
{
	const char *p = name;

	if (*name == '\0' || *name == '/' || strlen(name) > 512)
		return 0;
	while (*p != '\0') {
		const char *end = strchr(p, '/');
		size_t	    len = end != NULL ? (size_t)(end - p) : strlen(p);

		if ((len == 2 && strncmp(p, "..", 2) == 0) || (len == 1 &&
		    *p == '.') || (len == 0 && end != NULL))
			return 0;
		p += len + (end != NULL);
	}
	return 1;
}

static int
read_manifest(const char *buf, size_t len, struct mb_backup_info *info,
    struct mb_diag *d)
{
	json_t		*j;
	json_error_t	 err;
	json_int_t	 fmt = 0, created = 0, items = 0, versions = 0, seq = 0;
	const char	*center = NULL, *backend = NULL;

	if ((j = json_loadb(buf, len, 0, &err)) == NULL ||
	    json_unpack(j, "{s:I, s:s, s:s, s?I, s?I, s?I, s?I}",
	    "format", &fmt, "center", &center, "backend", &backend,
	    "created_ms", &created, "items", &items, "versions", &versions,
	    "last_seq", &seq) != 0) {
		json_decref(j);
		return mb_diag_set(d, MB_ERR_INVAL, "%s: not a mediabridge "
		    "backup manifest", MB_BACKUP_MANIFEST);
	}
	if (fmt != MB_BACKUP_FORMAT) {
		json_decref(j);
		return mb_diag_set(d, MB_ERR_UNSUPPORTED, "backup format %lld; "
		    "this mediabridge reads format %d", (long long)fmt,
		    MB_BACKUP_FORMAT);
	}
	info->format = (int)fmt;
	snprintf(info->center, sizeof(info->center), "%s", center);
	snprintf(info->backend, sizeof(info->backend), "%s", backend);
	info->created_ms = created;
	info->items = items;
	info->versions = versions;
	info->last_seq = seq;
	json_decref(j);
	return MB_OK;
}

static int
extract_file(struct archive *a, const char *path, mode_t mode,
    struct mb_diag *d)
{
	const void	*buf;
	size_t		 len;
	la_int64_t	 off;
	int		 fd, r, rc = MB_OK;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    mode & 0777)) < 0)
		return mb_diag_set(d, MB_ERR_IO, "%s: %s", path,
		    strerror(errno));
	while ((r = archive_read_data_block(a, &buf, &len, &off)) ==
	    ARCHIVE_OK) {
		if (pwrite(fd, buf, len, off) != (ssize_t)len) {
			rc = mb_diag_set(d, MB_ERR_IO, "%s: %s", path,
			    strerror(errno));
			break;
		}
	}
	if (rc == MB_OK && r != ARCHIVE_EOF)
		rc = arc_fail(a, path, d);
	if (rc == MB_OK && fsync(fd) != 0)
		rc = mb_diag_set(d, MB_ERR_IO, "%s: %s", path,
		    strerror(errno));
	close(fd);
	return rc;
}

int
mb_backup_extract(const char *file, const char *into,
    struct mb_backup_info *info, struct mb_diag *d)
{
	struct archive		*a;
	struct archive_entry	*e;
	char			 path[PATH_MAX];
	int			 r, rc = MB_OK, first = 1;

	memset(info, 0, sizeof(*info));
	if ((a = archive_read_new()) == NULL)
		return MB_ERR_NOMEM;
	archive_read_support_filter_all(a);
	archive_read_support_format_tar(a);
	if (archive_read_open_filename(a, file, 65536) != ARCHIVE_OK) {
		rc = arc_fail(a, file, d);
		goto out;
	}
	while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
		const char	*name = archive_entry_pathname(e);
		mode_t		 type = archive_entry_filetype(e);
		mode_t		 perm = archive_entry_perm(e) & 0777;

		if (name == NULL || !safe_name(name) || (type != AE_IFREG &&
		    type != AE_IFDIR)) {
			rc = mb_diag_set(d, MB_ERR_INVAL, "%s: entry %s: not a "
			    "plain file or directory below the target", file,
			    name != NULL ? name : "(no name)");
			goto out;
		}
		if (first) {
			char	 buf[MANIFEST_MAX];
			ssize_t	 len;

			if (strcmp(name, MB_BACKUP_MANIFEST) != 0 ||
			    archive_entry_size(e) >= MANIFEST_MAX) {
				rc = mb_diag_set(d, MB_ERR_INVAL, "%s: not a "
				    "mediabridge backup (no %s first)", file,
				    MB_BACKUP_MANIFEST);
				goto out;
			}
			len = archive_read_data(a, buf, sizeof(buf));
			if (len < 0 || (rc = read_manifest(buf, (size_t)len,
			    info, d)) != MB_OK) {
				if (len < 0)
					rc = arc_fail(a, file, d);
				goto out;
			}
			first = 0;
			continue;
		}
		if (snprintf(path, sizeof(path), "%s/%s", into, name) >=
		    (int)sizeof(path)) {
			rc = mb_diag_set(d, MB_ERR_TOOBIG, "%s: path too long",
			    name);
			goto out;
		}
		if (type == AE_IFDIR) {
			if (mkdir(path, perm | 0700) != 0 && errno != EEXIST) {
				rc = mb_diag_set(d, MB_ERR_IO, "%s: %s", path,
				    strerror(errno));
				goto out;
			}
			continue;
		}
		if ((rc = extract_file(a, path, perm, d)) != MB_OK)
			goto out;
		info->files++;
		info->bytes += archive_entry_size(e);
	}
	if (r != ARCHIVE_EOF)
		rc = arc_fail(a, file, d);
	else if (first)
		rc = mb_diag_set(d, MB_ERR_INVAL, "%s: an empty archive", file);
out:
	archive_read_free(a);
	return rc;
}
