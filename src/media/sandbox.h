/* SPDX-License-Identifier: MIT */
/* Media decoding in a child process: seccomp, resource limits, a typed protocol. */
#ifndef MB_MEDIA_SANDBOX_H
#define MB_MEDIA_SANDBOX_H

/*
 * libvips, libmagic and libav parse whatever a user uploads. In serve
 * they run in a child process of their own (`mediabridge media-sandbox`,
 * started with posix_spawn so that it shares no memory with the server)
 * that gives up, before it reads its first request, everything a
 * decoder does not need: setrlimit (CPU, address space, no file
 * writes, no core) and a seccomp filter (no open, no socket, no exec:
 * memory, threads and the socket it was given). The server writes the
 * upload's bytes down a socketpair and reads the renditions back
 * (wire.c: typed messages with strict lengths, the child trusted for
 * nothing: the server hashes the bytes itself). A child that crashes,
 * is killed or runs past its time fails that upload only; the next
 * one starts afresh. docs/architecture.md shows the processes.
 */

#include <stddef.h>
#include <sys/types.h>

#include "base/err.h"
#include "media/media.h"

struct mb_media_sandbox;

/*
 * Prepares the sandbox; the child is started by exe (this program:
 * "/proc/self/exe" resolved by the caller) with the argument
 * "media-sandbox". timeout_ms bounds one upload's decoding (0: 120 s).
 * The first child starts now, so that a broken setup shows at start-up.
 */
int mb_media_sandbox_new(const char *exe, int timeout_ms,
    struct mb_media_sandbox **out, struct mb_diag *d);

/* Stops the child and frees; NULL is a no-op. */
void mb_media_sandbox_free(struct mb_media_sandbox *sb);

/*
 * mb_media_make() in the child: the same results, and besides
 * MB_ERR_INVAL when the decoder died on this input (crash, killed, out
 * of CPU or memory, past the time limit), d saying how, and MB_ERR_IO
 * when the child cannot start its codecs. One upload at a
 * time; any thread.
 */
int mb_media_sandbox_make(struct mb_media_sandbox *sb, const void *data,
    size_t len, const struct mb_media_limits *l, struct mb_media_set *out,
    struct mb_diag *d);
/* The same with the file's first len bytes, sent by sendfile(2). */
int mb_media_sandbox_make_fd(struct mb_media_sandbox *sb, int fd, size_t len,
    const struct mb_media_limits *l, struct mb_media_set *out,
    struct mb_diag *d);

/* The child's pid now, 0 when none runs (logs and tests). */
pid_t mb_media_sandbox_pid(struct mb_media_sandbox *sb);

/*
 * The child's exit status when the codecs cannot start (the module does
 * not load, or libvips/libmagic/libav fail): the server's fault, not the
 * file's, and said so to the uploader (MB_ERR_IO, with the log to read).
 */
#define MB_MEDIA_SANDBOX_NO_CODECS 3

/*
 * The child: fd is its end of the socketpair. Sets the limits, starts
 * the decoders, installs the filter, then answers requests until the
 * server closes its end. Returns an exit status.
 */
int mb_media_sandbox_main(int fd);

#endif
