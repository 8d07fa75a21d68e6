/* SPDX-License-Identifier: MIT */
/*
 * The media API's codec calls in the program: the codec module
 * (codec.h) is loaded at the first of them, so that a process that never
 * makes a rendition (serve's worker, sync, search, most commands) never
 * maps libvips, FFmpeg and the ~160 libraries they bring.
 */
#include "codec.h"

#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/fs.h"

#ifndef MB_CODECS_DIR
#define MB_CODECS_DIR "/usr/lib/mediabridge"
#endif

static struct {
	int	(*init)(struct mb_diag *);
	int	(*sniff)(const void *, size_t, const struct mb_media_type **,
		    struct mb_diag *);
	int	(*make)(const void *, size_t, const struct mb_media_limits *,
		    struct mb_media_set *, struct mb_diag *);
	int	(*jpeg_rgb)(const unsigned char *, int, int, int, void **,
		    size_t *, struct mb_diag *);
} codec;
static pthread_once_t	once = PTHREAD_ONCE_INIT;
static bool		loaded;
static char		load_msg[PATH_MAX + 512];

static bool
is_file(const char *path)
{
	struct stat	st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/*
 * Where the module is, the first that exists:
 *
 *   1. $MEDIABRIDGE_CODECS, the module's path (a program copied out of
 *      its build directory, as the benchmarks do);
 *   2. the build directory the program was built in: its own directory
 *      holds build.ninja, and the module is src/media/ under it;
 *   3. the installed one, MB_CODECS_DIR (<libdir>/mediabridge).
 */
static void
find(char *out, size_t n)
{
	const char	*env = getenv("MEDIABRIDGE_CODECS");
	char		 dir[PATH_MAX], path[PATH_MAX + 16];

	if (env != NULL && *env != '\0') {
		snprintf(out, n, "%s", env);
		return;
	}
	if (mb_fs_self_dir(dir, sizeof(dir))) {
		snprintf(path, sizeof(path), "%s/build.ninja", dir);
		if (is_file(path) && snprintf(out, n, "%s/src/media/%s", dir,
		    MB_MEDIA_CODEC_FILE) < (int)n && is_file(out))
			return;
	}
	snprintf(out, n, "%s/%s", MB_CODECS_DIR, MB_MEDIA_CODEC_FILE);
}

static void *
sym(void *h, const char *name)
{
	void	*p = dlsym(h, name);

	if (p == NULL && load_msg[0] == '\0')
		snprintf(load_msg, sizeof(load_msg), "the media codecs lack "
		    "%s: %s", name, dlerror());
	return p;
}

static void
load(void)
{
	char	 path[PATH_MAX + 64];
	void	*h;

	find(path, sizeof(path));
	/*
	 * RTLD_NOW: a module from another build (a symbol of the program's
	 * missing) fails here, with its name, not at a later call. Never
	 * closed: renditions it made are freed by its functions.
	 */
	if ((h = dlopen(path, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		snprintf(load_msg, sizeof(load_msg), "cannot load the media "
		    "codecs (%s; set MEDIABRIDGE_CODECS to the module's "
		    "path): %s", path, dlerror());
		return;
	}
	*(void **)&codec.init = sym(h, "mb_media_codec__init");
	*(void **)&codec.sniff = sym(h, "mb_media_codec__sniff");
	*(void **)&codec.make = sym(h, "mb_media_codec__make");
	*(void **)&codec.jpeg_rgb = sym(h, "mb_media_codec__jpeg_rgb");
	loaded = load_msg[0] == '\0';
}

static int
need(struct mb_diag *d)
{
	pthread_once(&once, load);
	if (!loaded)
		return mb_diag_set(d, MB_ERR_UNSUPPORTED, "%s", load_msg);
	return MB_OK;
}

int
mb_media_init(struct mb_diag *d)
{
	int	rc;

	if ((rc = need(d)) != MB_OK)
		return rc;
	return codec.init(d);
}

int
mb_media_sniff(const void *data, size_t len,
    const struct mb_media_type **out, struct mb_diag *d)
{
	int	rc;

	if ((rc = need(d)) != MB_OK)
		return rc;
	return codec.sniff(data, len, out, d);
}

int
mb_media_make(const void *data, size_t len, const struct mb_media_limits *l,
    struct mb_media_set *out, struct mb_diag *d)
{
	int	rc;

	memset(out, 0, sizeof(*out));
	if ((rc = need(d)) != MB_OK)
		return rc;
	return codec.make(data, len, l, out, d);
}

int
mb_media_jpeg_rgb(const unsigned char *rgb, int w, int h, int quality,
    void **out, size_t *len, struct mb_diag *d)
{
	int	rc;

	*out = NULL;
	*len = 0;
	if ((rc = need(d)) != MB_OK)
		return rc;
	return codec.jpeg_rgb(rgb, w, h, quality, out, len, d);
}
