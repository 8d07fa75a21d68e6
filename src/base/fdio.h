/* SPDX-License-Identifier: MIT */
/*
 * Whole reads and writes on a descriptor, for the small framed protocols
 * between serve's processes (the signer, the media sandbox): a short
 * read or write is continued, EINTR retried, EOF and errors are -1.
 */
#ifndef MB_BASE_FDIO_H
#define MB_BASE_FDIO_H

#include <stddef.h>

/* Reads exactly n bytes with read(2); -1 on EOF or error. */
int mb_fd_read_all(int fd, void *p, size_t n);

/* Writes n bytes with write(2) (what a seccomp-confined child may use). */
int mb_fd_write_all(int fd, const void *p, size_t n);

/* Writes n bytes to a socket with send(2) and MSG_NOSIGNAL: a peer that
 * went away is an error here, never a SIGPIPE that kills the process. */
int mb_fd_send_all(int fd, const void *p, size_t n);

#endif
