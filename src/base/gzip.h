/* SPDX-License-Identifier: MIT */
/*
 * gzip (RFC 1952) of a whole buffer in one call, for answers that are
 * compressed once made: pages and feeds to readers, log answers to peers
 * that do not take zstd. libdeflate: the same bytes as zlib's level for
 * level at a third of its CPU on 5-15 KB pages (docs/benchmarks.md,
 * "gzip by libdeflate").
 */
#ifndef MB_BASE_GZIP_H
#define MB_BASE_GZIP_H

#include "base/buf.h"

/*
 * Appends the gzip of in[0..len) at level (1-12) to out. MB_ERR_NOMEM
 * when memory runs out; out is then as it was. Thread-safe: each thread
 * keeps a compressor per level it used, freed when the thread exits.
 */
int mb_gzip(const void *in, size_t len, int level, struct mb_buf *out);

#endif
