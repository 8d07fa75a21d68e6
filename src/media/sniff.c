/* SPDX-License-Identifier: MIT */
/*
 * What an upload is (libmagic on the bytes), and starting the codec
 * libraries. Part of the codec module (codec.h): the main program loads
 * it only when it makes media.
 */
#include "codec.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <libavformat/avformat.h>
#include <libavutil/log.h>
#include <magic.h>
#include <vips/vips.h>

#include "base/log.h"

static pthread_once_t	 once = PTHREAD_ONCE_INIT;
static pthread_mutex_t	 magic_lock = PTHREAD_MUTEX_INITIALIZER;
static magic_t		 magic;
static int		 init_rc;
static char		 init_msg[256];
static bool		 have_heif;

/* libvips' own warnings ("error in tile ...") go to the log, quietly. */
static void
mb_vips_log(const gchar *domain, GLogLevelFlags level, const gchar *msg,
    gpointer arg)
{
	(void)domain;
	(void)level;
	(void)arg;
	log_debug("media: libvips: %s", msg);
}

static void
start(void)
{
	if (VIPS_INIT("mediabridge") != 0) {
		init_rc = MB_ERR_UNSUPPORTED;
		snprintf(init_msg, sizeof(init_msg), "libvips: %s",
		    vips_error_buffer());
		return;
	}
	/*
	 * No operation cache (every upload is new bytes; the cache would
	 * only hold memory), and libvips' own warnings stay quiet: errors
	 * come back through vips_error_buffer().
	 */
	vips_cache_set_max(0);
	vips_cache_set_max_mem(0);
	vips_leak_set(FALSE);
	g_log_set_handler("VIPS", G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE |
	    G_LOG_LEVEL_INFO | G_LOG_LEVEL_DEBUG, mb_vips_log, NULL);
	have_heif = vips_type_find("VipsOperation", "heifload_buffer") != 0;
	av_log_set_level(AV_LOG_QUIET);
	if ((magic = magic_open(MAGIC_MIME_TYPE | MAGIC_ERROR)) == NULL ||
	    magic_load(magic, NULL) != 0) {
		init_rc = MB_ERR_UNSUPPORTED;
		snprintf(init_msg, sizeof(init_msg), "libmagic: %s",
		    magic != NULL ? magic_error(magic) : "cannot start");
	}
}

int
mb_media_codec__init(struct mb_diag *d)
{
	pthread_once(&once, start);
	if (init_rc != MB_OK)
		return mb_diag_set(d, init_rc, "%s", init_msg);
	return MB_OK;
}

int
mb_media_codec__sniff(const void *data, size_t len,
    const struct mb_media_type **out, struct mb_diag *d)
{
	const struct mb_media_type	*t;
	const char			*m;
	char				 seen[128];
	int				 rc;

	if ((rc = mb_media_codec__init(d)) != MB_OK)
		return rc;
	if (len == 0)
		return mb_diag_set(d, MB_ERR_INVAL, "the upload is empty");
	pthread_mutex_lock(&magic_lock);
	m = magic_buffer(magic, data, len);
	snprintf(seen, sizeof(seen), "%s", m != NULL ? m :
	    "something libmagic cannot name");
	pthread_mutex_unlock(&magic_lock);
	if ((t = mb_media_type_by_mime(seen)) == NULL)
		return mb_diag_set(d, MB_ERR_UNSUPPORTED,
		    "the content is %s, which is not an allowed media type "
		    "(JPEG, PNG, WebP, GIF, AVIF/HEIF, MP4, WebM, MP3, Ogg, "
		    "WAV, PDF)", seen);
	if ((strcmp(t->name, "avif") == 0 || strcmp(t->name, "heif") == 0) &&
	    !have_heif)
		return mb_diag_set(d, MB_ERR_UNSUPPORTED,
		    "the content is %s, which this build's libvips cannot "
		    "read", t->mime);
	*out = t;
	return MB_OK;
}
