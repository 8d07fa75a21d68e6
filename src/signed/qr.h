/* SPDX-License-Identifier: MIT */
/* QR codes of signed payloads, as SVG for pages and mail and as PNG. */
#ifndef MB_SIGNED_QR_H
#define MB_SIGNED_QR_H

#include <stddef.h>

#include "base/buf.h"
#include "base/err.h"

/*
 * The code: libqrencode, error correction level M (15% of the symbol may
 * be lost), the smallest version that holds the payload, a quiet zone
 * of 4 modules all round as ISO/IEC 18004 asks. A ticket of 177 to 185
 * characters is version 9 or 10: 53 or 57 modules, 61 or 65 with the
 * quiet zone.
 */
#define MB_QR_QUIET 4

/*
 * Appends an SVG image of payload to out: one path for the dark modules
 * over a white square (so that it scans on a dark page too), sized
 * 4 px a module unless CSS says otherwise, role="img" and aria-label
 * (label, escaped) so that a screen reader says what it is. MB_ERR_TOOBIG
 * for a payload no QR code holds (about 2,300 bytes at level M).
 */
int mb_qr_svg(const char *payload, const char *label, struct mb_buf *out,
    struct mb_diag *d);

/*
 * Appends a PNG image of payload (1-bit greyscale, scale pixels a module,
 * 1 to 32) to out.
 */
int mb_qr_png(const char *payload, unsigned scale, struct mb_buf *out,
    struct mb_diag *d);

/* The number of modules on a side (quiet zone not counted), or < 0. */
int mb_qr_width(const char *payload);

#endif
