/* SPDX-License-Identifier: MIT */
/* QR codes with libqrencode: an SVG path and a PNG written with zlib. */
#include "signed/qr.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <qrencode.h>
#include <zlib.h>

static int
encode(const char *payload, QRcode **out, struct mb_diag *d)
{
	QRcode *q;

	if (payload == NULL || payload[0] == '\0')
		return mb_diag_set(d, MB_ERR_INVAL, "nothing to encode");
	/* Case-sensitive, so that base64url comes back as it went in;
	 * libqrencode picks the densest mode for each stretch of text. */
	errno = 0;
	q = QRcode_encodeString(payload, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (q == NULL) {
		if (errno == ERANGE)
			return mb_diag_set(d, MB_ERR_TOOBIG, "%zu bytes do not "
			    "fit in a QR code", strlen(payload));
		return mb_diag_set(d, errno == ENOMEM ? MB_ERR_NOMEM :
		    MB_ERR_INVAL, "QR encoding failed");
	}
	*out = q;
	return MB_OK;
}

static int
dark(const QRcode *q, int x, int y)
{
	return q->data[y * q->width + x] & 1;
}

int
mb_qr_width(const char *payload)
{
	QRcode	*q;
	int	 w;

	if (encode(payload, &q, NULL) != MB_OK)
		return -1;
	w = q->width;
	QRcode_free(q);
	return w;
}

static int
put_escaped(struct mb_buf *b, const char *s)
{
	int rc = MB_OK;

	for (; *s && rc == MB_OK; s++) {
		switch (*s) {
		case '&':	rc = mb_buf_puts(b, "&amp;"); break;
		case '<':	rc = mb_buf_puts(b, "&lt;"); break;
		case '>':	rc = mb_buf_puts(b, "&gt;"); break;
		case '"':	rc = mb_buf_puts(b, "&quot;"); break;
		case '\'':	rc = mb_buf_puts(b, "&#39;"); break;
		default:	rc = mb_buf_putc(b, *s); break;
		}
	}
	return rc;
}

int
mb_qr_svg(const char *payload, const char *label, struct mb_buf *out,
    struct mb_diag *d)
{
	QRcode	*q;
	int	 side, rc;

	if ((rc = encode(payload, &q, d)) != MB_OK)
		return rc;
	side = q->width + 2 * MB_QR_QUIET;
	rc = mb_buf_printf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" "
	    "aria-label=\"", side, side, side * 4, side * 4);
	if (rc == MB_OK)
		rc = put_escaped(out, label ? label : "QR code");
	if (rc == MB_OK)
		rc = mb_buf_printf(out, "\" shape-rendering=\"crispEdges\">"
		    "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>"
		    "<path fill=\"#000\" d=\"", side, side);
	/* A run of dark modules in a row is one rectangle. */
	for (int y = 0; y < q->width && rc == MB_OK; y++) {
		for (int x = 0; x < q->width && rc == MB_OK; x++) {
			int run = 0;

			if (!dark(q, x, y))
				continue;
			while (x + run < q->width && dark(q, x + run, y))
				run++;
			rc = mb_buf_printf(out, "M%d %dh%dv1h-%dz",
			    x + MB_QR_QUIET, y + MB_QR_QUIET, run, run);
			x += run - 1;
		}
	}
	if (rc == MB_OK)
		rc = mb_buf_puts(out, "\"/></svg>\n");
	QRcode_free(q);
	return rc;
}

static int
png_chunk(struct mb_buf *b, const char *type, const uint8_t *data,
    size_t n)
{
	uint8_t	be[4];
	uLong	crc;
	int	rc;

	be[0] = (uint8_t)(n >> 24);
	be[1] = (uint8_t)(n >> 16);
	be[2] = (uint8_t)(n >> 8);
	be[3] = (uint8_t)n;
	crc = crc32(0, (const Bytef *)type, 4);
	if (n > 0)	/* crc32(crc, NULL, 0) would start over */
		crc = crc32(crc, data, (uInt)n);
	if ((rc = mb_buf_append(b, be, 4)) != MB_OK ||
	    (rc = mb_buf_append(b, type, 4)) != MB_OK ||
	    (n > 0 && (rc = mb_buf_append(b, data, n)) != MB_OK))
		return rc;
	be[0] = (uint8_t)(crc >> 24);
	be[1] = (uint8_t)(crc >> 16);
	be[2] = (uint8_t)(crc >> 8);
	be[3] = (uint8_t)crc;
	return mb_buf_append(b, be, 4);
}

int
mb_qr_png(const char *payload, unsigned scale, struct mb_buf *out,
    struct mb_diag *d)
{
	static const uint8_t sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n',
		0x1a, '\n' };
	QRcode		*q;
	uint8_t		 ihdr[13], *raw = NULL, *z = NULL;
	size_t		 px, stride, rawlen;
	uLongf		 zlen;
	int		 rc;

	if (scale < 1 || scale > 32)
		return mb_diag_set(d, MB_ERR_INVAL, "scale must be 1 to 32");
	if ((rc = encode(payload, &q, d)) != MB_OK)
		return rc;
	px = (size_t)(q->width + 2 * MB_QR_QUIET) * scale;
	stride = 1 + (px + 7) / 8;	/* the filter byte, then the bits */
	rawlen = stride * px;
	if ((raw = malloc(rawlen)) == NULL) {
		rc = MB_ERR_NOMEM;
		goto out;
	}
	/* 1-bit greyscale: 1 is white. Start white, paint the dark. */
	for (size_t y = 0; y < px; y++) {
		uint8_t *row = raw + y * stride;

		row[0] = 0;
		memset(row + 1, 0xff, stride - 1);
		for (size_t x = 0; x < px; x++) {
			long mx = (long)(x / scale) - MB_QR_QUIET;
			long my = (long)(y / scale) - MB_QR_QUIET;

			if (mx >= 0 && my >= 0 && mx < q->width &&
			    my < q->width && dark(q, (int)mx, (int)my))
				row[1 + x / 8] &= (uint8_t)~(0x80u >> (x % 8));
		}
	}
	zlen = compressBound((uLong)rawlen);
	if ((z = malloc(zlen)) == NULL) {
		rc = MB_ERR_NOMEM;
		goto out;
	}
	if (compress2(z, &zlen, raw, (uLong)rawlen, 9) != Z_OK) {
		rc = MB_ERR_NOMEM;
		goto out;
	}
	ihdr[0] = (uint8_t)(px >> 24);
	ihdr[1] = (uint8_t)(px >> 16);
	ihdr[2] = (uint8_t)(px >> 8);
	ihdr[3] = (uint8_t)px;
	memcpy(ihdr + 4, ihdr, 4);	/* square */
	ihdr[8] = 1;			/* bit depth */
	ihdr[9] = 0;			/* greyscale */
	ihdr[10] = ihdr[11] = ihdr[12] = 0; /* deflate, filter 0, plain */
	if ((rc = mb_buf_append(out, sig, sizeof(sig))) != MB_OK ||
	    (rc = png_chunk(out, "IHDR", ihdr, sizeof(ihdr))) != MB_OK ||
	    (rc = png_chunk(out, "IDAT", z, zlen)) != MB_OK ||
	    (rc = png_chunk(out, "IEND", NULL, 0)) != MB_OK)
		goto out;	/* rc says why */
out:
	free(raw);
	free(z);
	QRcode_free(q);
	return rc;
}
