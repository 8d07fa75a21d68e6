/* SPDX-License-Identifier: MIT */
/* Audio and video with libavformat: probing, remuxing without metadata, a poster frame. */
#include "media_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/imgutils.h>
#include <libswscale/swscale.h>

#define IO_BUF 65536

/* Bytes in memory as an AVIOContext, read-only. */
struct memin {
	const uint8_t	*p;
	size_t		 len, pos;
};

static int
mem_read(void *opaque, uint8_t *buf, int n)
{
	struct memin	*m = opaque;
	size_t		 k = m->len - m->pos;

	if (k == 0)
		return AVERROR_EOF;
	if (k > (size_t)n)
		k = (size_t)n;
	memcpy(buf, m->p + m->pos, k);
	m->pos += k;
	return (int)k;
}

static int64_t
mem_seek(void *opaque, int64_t off, int whence)
{
	struct memin	*m = opaque;
	int64_t		 base;

	switch (whence & ~AVSEEK_FORCE) {
	case AVSEEK_SIZE:
		return (int64_t)m->len;
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = (int64_t)m->pos;
		break;
	case SEEK_END:
		base = (int64_t)m->len;
		break;
	default:
		return -1;
	}
	if (base + off < 0 || base + off > (int64_t)m->len)
		return -1;
	m->pos = (size_t)(base + off);
	return (int64_t)m->pos;
}

/* A growable, seekable output buffer for the muxer. */
struct memout {
	uint8_t	*p;
	size_t	 len, cap, pos;
	int	 nomem;
};

#if LIBAVFORMAT_VERSION_MAJOR >= 61
static int
mem_write(void *opaque, const uint8_t *buf, int n)
#else
static int
mem_write(void *opaque, uint8_t *buf, int n)
#endif
{
	struct memout *m = opaque;

	if (m->pos + (size_t)n > m->cap) {
		size_t	 cap = m->cap ? m->cap : IO_BUF;
		uint8_t	*p;

		while (cap < m->pos + (size_t)n)
			cap *= 2;
		if ((p = realloc(m->p, cap)) == NULL) {
			m->nomem = 1;
			return AVERROR(ENOMEM);
		}
		m->p = p;
		m->cap = cap;
	}
	memcpy(m->p + m->pos, buf, (size_t)n);
	m->pos += (size_t)n;
	if (m->pos > m->len)
		m->len = m->pos;
	return n;
}

static int64_t
memout_seek(void *opaque, int64_t off, int whence)
{
	struct memout	*m = opaque;
	int64_t		 base;

	switch (whence & ~AVSEEK_FORCE) {
	case AVSEEK_SIZE:
		return (int64_t)m->len;
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = (int64_t)m->pos;
		break;
	case SEEK_END:
		base = (int64_t)m->len;
		break;
	default:
		return -1;
	}
	if (base + off < 0 || base + off > (int64_t)m->len)
		return -1;
	m->pos = (size_t)(base + off);
	return (int64_t)m->pos;
}

static int
av_fail(struct mb_diag *d, int err, const char *what, int averr)
{
	char msg[AV_ERROR_MAX_STRING_SIZE];

	av_strerror(averr, msg, sizeof(msg));
	return mb_diag_set(d, err, "%s: %s", what, msg);
}

static void
close_input(AVFormatContext **fmt, AVIOContext **io)
{
	avformat_close_input(fmt);
	if (*io != NULL) {
		av_freep(&(*io)->buffer);
		avio_context_free(io);
	}
}

/* Opens the bytes in m as a container and reads its streams' facts. */
static int
open_input(struct memin *m, AVFormatContext **out, AVIOContext **outio,
    struct mb_diag *d)
{
	AVFormatContext	*fmt = NULL;
	AVIOContext	*io = NULL;
	unsigned char	*buf;
	int		 e;

	if ((buf = av_malloc(IO_BUF)) == NULL)
		return mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
	if ((io = avio_alloc_context(buf, IO_BUF, 0, m, mem_read, NULL,
	    mem_seek)) == NULL) {
		av_free(buf);
		return mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
	}
	if ((fmt = avformat_alloc_context()) == NULL) {
		close_input(&fmt, &io);
		return mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
	}
	fmt->pb = io;
	fmt->flags |= AVFMT_FLAG_CUSTOM_IO;
	if ((e = avformat_open_input(&fmt, NULL, NULL, NULL)) < 0) {
		/* avformat_open_input frees fmt on failure. */
		close_input(&fmt, &io);
		return av_fail(d, MB_ERR_INVAL, "reading the media", e);
	}
	if ((e = avformat_find_stream_info(fmt, NULL)) < 0) {
		close_input(&fmt, &io);
		return av_fail(d, MB_ERR_INVAL, "reading the streams", e);
	}
	*out = fmt;
	*outio = io;
	return MB_OK;
}

int
mb_media_av_probe(const void *data, size_t len, struct mb_media_av *out,
    struct mb_diag *d)
{
	struct memin		 m = { data, len, 0 };
	struct mb_media_av	 a;
	AVFormatContext		*fmt;
	AVIOContext		*io;
	int			 rc;

	if ((rc = open_input(&m, &fmt, &io, d)) != MB_OK)
		return rc;
	memset(&a, 0, sizeof(a));
	snprintf(a.format, sizeof(a.format), "%s", fmt->iformat->name);
	if (fmt->duration != AV_NOPTS_VALUE && fmt->duration > 0)
		a.duration = (double)fmt->duration / AV_TIME_BASE;
	for (unsigned i = 0; i < fmt->nb_streams; i++) {
		const AVStream		*st = fmt->streams[i];
		const AVCodecParameters	*p = st->codecpar;

		if (p->codec_type == AVMEDIA_TYPE_VIDEO &&
		    !(st->disposition & AV_DISPOSITION_ATTACHED_PIC) &&
		    a.video_codec[0] == '\0') {
			snprintf(a.video_codec, sizeof(a.video_codec), "%s",
			    avcodec_get_name(p->codec_id));
			a.width = p->width;
			a.height = p->height;
			if (st->avg_frame_rate.den != 0)
				a.frame_rate = av_q2d(st->avg_frame_rate);
		} else if (p->codec_type == AVMEDIA_TYPE_AUDIO &&
		    a.audio_codec[0] == '\0')
			snprintf(a.audio_codec, sizeof(a.audio_codec), "%s",
			    avcodec_get_name(p->codec_id));
	}
	close_input(&fmt, &io);
	if (a.video_codec[0] == '\0' && a.audio_codec[0] == '\0')
		return mb_diag_set(d, MB_ERR_INVAL, "the %s file has no audio "
		    "or video stream", a.format);
	*out = a;
	return MB_OK;
}

int
mb_media_av_strip(const void *data, size_t len, const char *format,
    void **out, size_t *outlen, struct mb_diag *d)
{
	struct memin	 m = { data, len, 0 };
	struct memout	 mo = { NULL, 0, 0, 0, 0 };
	AVFormatContext	*in = NULL, *o = NULL;
	AVIOContext	*io = NULL, *oio = NULL;
	AVPacket	*pkt = NULL;
	unsigned char	*obuf = NULL;
	int		*map = NULL;
	int		 e, rc, n = 0;

	if ((rc = open_input(&m, &in, &io, d)) != MB_OK)
		return rc;
	if ((e = avformat_alloc_output_context2(&o, NULL, format, NULL)) < 0) {
		rc = av_fail(d, MB_ERR_UNSUPPORTED, format, e);
		goto done;
	}
	if ((map = calloc(in->nb_streams, sizeof(*map))) == NULL ||
	    (pkt = av_packet_alloc()) == NULL ||
	    (obuf = av_malloc(IO_BUF)) == NULL) {
		rc = mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
		goto done;
	}
	if ((oio = avio_alloc_context(obuf, IO_BUF, 1, &mo, NULL, mem_write,
	    memout_seek)) == NULL) {
		rc = mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
		goto done;
	}
	obuf = NULL;
	o->pb = oio;
	o->flags |= AVFMT_FLAG_CUSTOM_IO | AVFMT_FLAG_BITEXACT;
	/*
	 * Audio and video streams only: data tracks (a camera's GPS track),
	 * subtitles and attachments stay behind, and no container or
	 * stream metadata is copied.
	 */
	for (unsigned i = 0; i < in->nb_streams; i++) {
		const AVStream	*is = in->streams[i];
		AVStream	*os;
		enum AVMediaType t = is->codecpar->codec_type;

		map[i] = -1;
		if ((t != AVMEDIA_TYPE_VIDEO && t != AVMEDIA_TYPE_AUDIO) ||
		    (is->disposition & AV_DISPOSITION_ATTACHED_PIC))
			continue;
		if ((os = avformat_new_stream(o, NULL)) == NULL ||
		    avcodec_parameters_copy(os->codecpar, is->codecpar) < 0) {
			rc = mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
			goto done;
		}
		os->codecpar->codec_tag = 0;
		os->time_base = is->time_base;
		map[i] = n++;
	}
	if (n == 0) {
		rc = mb_diag_set(d, MB_ERR_INVAL, "no audio or video stream");
		goto done;
	}
	if ((e = avformat_write_header(o, NULL)) < 0) {
		rc = av_fail(d, MB_ERR_INVAL, "remuxing", e);
		goto done;
	}
	while ((e = av_read_frame(in, pkt)) >= 0) {
		int si = pkt->stream_index;

		if (si < 0 || (unsigned)si >= in->nb_streams || map[si] < 0) {
			av_packet_unref(pkt);
			continue;
		}
		av_packet_rescale_ts(pkt, in->streams[si]->time_base,
		    o->streams[map[si]]->time_base);
		pkt->stream_index = map[si];
		pkt->pos = -1;
		if ((e = av_interleaved_write_frame(o, pkt)) < 0) {
			rc = av_fail(d, MB_ERR_INVAL, "remuxing", e);
			goto done;
		}
	}
	if (e != AVERROR_EOF) {
		rc = av_fail(d, MB_ERR_INVAL, "reading the media", e);
		goto done;
	}
	if ((e = av_write_trailer(o)) < 0 || mo.nomem) {
		rc = av_fail(d, MB_ERR_INVAL, "remuxing", e);
		goto done;
	}
	*out = mo.p;
	*outlen = mo.len;
	mo.p = NULL;
	rc = MB_OK;
done:
	free(mo.p);
	free(map);
	av_packet_free(&pkt);
	av_free(obuf);
	if (oio != NULL) {
		av_freep(&oio->buffer);
		avio_context_free(&oio);
	}
	if (o != NULL)
		avformat_free_context(o);
	close_input(&in, &io);
	return rc;
}

int
mb_media_av_frame(const void *data, size_t len, int max_side,
    unsigned char **rgb, int *wout, int *hout, struct mb_diag *d)
{
	struct memin		 m = { data, len, 0 };
	AVFormatContext		*in = NULL;
	AVIOContext		*io = NULL;
	AVCodecContext		*cc = NULL;
	const AVCodec		*codec = NULL;
	struct SwsContext	*sws = NULL;
	AVPacket		*pkt = NULL;
	AVFrame			*fr = NULL;
	unsigned char		*px = NULL;
	int			 si, e, rc, w, h, got = 0, tries = 0;

	if ((rc = open_input(&m, &in, &io, d)) != MB_OK)
		return rc;
	if ((si = av_find_best_stream(in, AVMEDIA_TYPE_VIDEO, -1, -1, &codec,
	    0)) < 0 || codec == NULL) {
		rc = mb_diag_set(d, MB_ERR_UNSUPPORTED, "no decodable video "
		    "stream");
		goto done;
	}
	if ((cc = avcodec_alloc_context3(codec)) == NULL ||
	    (pkt = av_packet_alloc()) == NULL ||
	    (fr = av_frame_alloc()) == NULL) {
		rc = mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
		goto done;
	}
	if ((e = avcodec_parameters_to_context(cc, in->streams[si]->codecpar))
	    < 0 || (e = avcodec_open2(cc, codec, NULL)) < 0) {
		rc = av_fail(d, MB_ERR_INVAL, "the video decoder", e);
		goto done;
	}
	if (cc->width <= 0 || cc->height <= 0 || cc->width > 16384 ||
	    cc->height > 16384) {
		rc = mb_diag_set(d, MB_ERR_TOOBIG, "the video is %d x %d",
		    cc->width, cc->height);
		goto done;
	}
	/* One frame: a bounded number of packets, then give up. */
	while (!got && tries++ < 600 && (e = av_read_frame(in, pkt)) >= 0) {
		if (pkt->stream_index == si && avcodec_send_packet(cc, pkt) >=
		    0 && avcodec_receive_frame(cc, fr) >= 0)
			got = 1;
		av_packet_unref(pkt);
	}
	if (!got && avcodec_send_packet(cc, NULL) >= 0 &&
	    avcodec_receive_frame(cc, fr) >= 0)
		got = 1;
	if (!got) {
		rc = mb_diag_set(d, MB_ERR_INVAL, "no video frame decodes");
		goto done;
	}
	w = fr->width;
	h = fr->height;
	if (w > max_side || h > max_side) {
		if (w >= h) {
			h = (int)((int64_t)h * max_side / w);
			w = max_side;
		} else {
			w = (int)((int64_t)w * max_side / h);
			h = max_side;
		}
	}
	if (w < 1)
		w = 1;
	if (h < 1)
		h = 1;
	if ((sws = sws_getContext(fr->width, fr->height, fr->format, w, h,
	    AV_PIX_FMT_RGB24, SWS_BICUBIC, NULL, NULL, NULL)) == NULL ||
	    (px = malloc((size_t)w * h * 3)) == NULL) {
		rc = mb_diag_set(d, MB_ERR_NOMEM, "scaling the frame");
		goto done;
	}
	{
		uint8_t	*dst[4] = { px, NULL, NULL, NULL };
		int	 stride[4] = { w * 3, 0, 0, 0 };

		sws_scale(sws, (const uint8_t *const *)fr->data, fr->linesize,
		    0, fr->height, dst, stride);
	}
	*rgb = px;
	*wout = w;
	*hout = h;
	px = NULL;
	rc = MB_OK;
done:
	free(px);
	sws_freeContext(sws);
	av_frame_free(&fr);
	av_packet_free(&pkt);
	avcodec_free_context(&cc);
	close_input(&in, &io);
	return rc;
}
