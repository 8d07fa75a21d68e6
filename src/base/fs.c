/* SPDX-License-Identifier: MIT */
/* File helpers that never leave a half-written file behind. */
#include "fs.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int
mb_fs_join(char *out, size_t n, const char *dir, const char *name)
{
	int w = snprintf(out, n, "%s/%s", dir, name);

	if (w < 0 || (size_t)w >= n)
		return MB_ERR_TOOBIG;
	return MB_OK;
}

/* The link /proc/self/exe as the kernel gives it, into exe (size n). */
static bool
self_link(char *exe, size_t n)
{
	ssize_t	len;

	if (n == 0 || (len = readlink("/proc/self/exe", exe, n - 1)) <= 0 ||
	    (size_t)len >= n - 1)
		return false;
	exe[len] = '\0';
	return true;
}

bool
mb_fs_self_dir(char *out, size_t n)
{
	char	exe[PATH_MAX];

	if (!self_link(exe, sizeof(exe)))
		return false;
	return snprintf(out, n, "%s", dirname(exe)) < (int)n;
}

bool
mb_fs_self_exe(char *out, size_t n)
{
	char	exe[PATH_MAX];

	if (!self_link(exe, sizeof(exe)))
		return false;
	/*
	 * A binary replaced on disk (an upgrade) is named "... (deleted)":
	 * the one still running is reachable only through the link itself.
	 */
	if (strstr(exe, " (deleted)") != NULL)
		return snprintf(out, n, "/proc/self/exe") < (int)n;
	return snprintf(out, n, "%s", exe) < (int)n;
}

static int
fsync_dir_of(const char *path)
{
	char	tmp[4096];
	int	fd, rc = 0;

	if (snprintf(tmp, sizeof(tmp), "%s", path) >= (int)sizeof(tmp))
		return -1;
	if ((fd = open(dirname(tmp), O_RDONLY | O_DIRECTORY)) < 0)
		return -1;
	if (fsync(fd) != 0)
		rc = -1;
	close(fd);
	return rc;
}

int
mb_fs_write_atomic(const char *path, const void *data, size_t len,
    mode_t mode, struct mb_diag *d)
{
	char		 tmp[4096];
	const char	*p = data;
	int		 fd;
	ssize_t		 w;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp.XXXXXX", path) >=
	    (int)sizeof(tmp))
		return mb_diag_set(d, MB_ERR_TOOBIG, "%s: path too long", path);
	if ((fd = mkstemp(tmp)) < 0)
		return mb_diag_set(d, MB_ERR_IO, "%s: %s", path,
		    strerror(errno));
	if (fchmod(fd, mode) != 0)
		goto fail;
	while (len > 0) {
		if ((w = write(fd, p, len)) < 0) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		p += w;
		len -= (size_t)w;
	}
	if (fsync(fd) != 0)
		goto fail;
	if (close(fd) != 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) != 0)
		goto fail;
	(void)fsync_dir_of(path);
	return MB_OK;
fail:
	mb_diag_set(d, MB_ERR_IO, "%s: %s", path, strerror(errno));
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	return MB_ERR_IO;
}

int
mb_fs_read(const char *path, size_t max, char **out, size_t *len,
    struct mb_diag *d)
{
	struct stat	 st;
	char		*buf = NULL;
	size_t		 got = 0;
	ssize_t		 r;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return mb_diag_set(d, errno == ENOENT ? MB_ERR_NOTFOUND :
		    MB_ERR_IO, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return mb_diag_set(d, MB_ERR_IO, "%s: not a regular file",
		    path);
	}
	if ((size_t)st.st_size > max) {
		close(fd);
		return mb_diag_set(d, MB_ERR_TOOBIG,
		    "%s: larger than %zu bytes", path, max);
	}
	if ((buf = malloc((size_t)st.st_size + 1)) == NULL) {
		close(fd);
		return MB_ERR_NOMEM;
	}
	while (got < (size_t)st.st_size) {
		r = read(fd, buf + got, (size_t)st.st_size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	buf[got] = '\0';
	*out = buf;
	if (len != NULL)
		*len = got;
	return MB_OK;
}

int
mb_fs_mkdirs(const char *path, mode_t mode, struct mb_diag *d)
{
	char	tmp[4096];
	size_t	n;

	if ((n = strlen(path)) >= sizeof(tmp) || n == 0)
		return mb_diag_set(d, MB_ERR_INVAL, "%s: bad path", path);
	memcpy(tmp, path, n + 1);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, mode) != 0 && errno != EEXIST)
			return mb_diag_set(d, MB_ERR_IO, "%s: %s", tmp,
			    strerror(errno));
		*p = '/';
	}
	if (mkdir(tmp, mode) != 0 && errno != EEXIST)
		return mb_diag_set(d, MB_ERR_IO, "%s: %s", tmp,
		    strerror(errno));
	return MB_OK;
}

static int
remove_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb; (void)ftw;
	return (flag == FTW_DP ? rmdir(path) : unlink(path)) == 0 ? 0 : -1;
}

int
mb_fs_remove_tree(const char *dir)
{
	return nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS) == 0 ? 0 : -1;
}
